/*
 * pump-conv.c: the pump's core (pump-conv.h): what the UI's screen bytes
 * and the user's keystrokes become on their way through the pump, with
 * no pty, socket or event loop, so that it is tested (test-pump) and
 * fuzzed (fuzz-pump) on its own, and the client's pump can share it.
 *
 * The UI tells the pump about encodings in band, with private APC
 * strings that the pump consumes and never forwards (user text cannot
 * contain ESC: text_sanitize() and the form editor remove it):
 *
 *   ESC _ parta;cs=NAME ESC \    the terminal speaks NAME from here on,
 *                                 in both directions (a choice was made)
 *   ESC _ parta;out=NAME ESC \   only what follows, until the next
 *                                 marker, is sent in NAME (the samples
 *                                 of the encoding menu)
 *   ESC _ parta;out ESC \        back to the terminal's encoding
 *   ESC _ parta;bin=TOKEN ESC \  a binary transfer (ZMODEM) starts: bytes
 *                                 pass untouched in both directions
 *   ESC _ parta;text=TOKEN ESC \ it has ended: back to the terminal's
 *                                 encoding, both ways
 *
 * A marker split between two reads is kept and completed by the next.
 *
 * In binary mode the pump still scans for ESC, but obeys only "text="
 * with the token "bin=" gave; everything else, markers too, passes as
 * data.  The token is random per transfer (ui-zmodem.c), so a file can
 * never end the binary mode early, even one that contains markers and
 * is sent without ZMODEM's escaping (sz falls back to YMODEM, which
 * escapes nothing, when the other side answers with 'C' or NAK).
 * Under ZMODEM with sz --escape no ESC byte ever appears in the data,
 * so the scan finds nothing but the end marker.
 *
 * The grammar is one table (pump_conv_marks): the parser obeys its
 * rows, and pump_mark() builds a marker from the same row, so the UI
 * (common/ui/ui-charset.c, bbs/ui-zmodem.c) never spells one out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "pump-conv.h"
#include "util.h"

#define PUMP_MARK	"\033_parta;"	/* the UI's private markers */
#define PUMP_ST		"\033\\"	/* and their end, ST */

struct pump_conv {
	int		 cs;		/* the terminal's encoding */
	int		 bin;		/* a binary transfer: no conversion */
	char		 token[PUMP_TOKEN_MAX + 1]; /* that ends it */
	struct charset_conv *in;	/* client -> UI */
	struct charset_conv *out;	/* UI -> client, maybe a sample's */
	size_t		 carry;		/* marker bytes kept at buf's start */
	char		 buf[PUMP_OUT_MAX];
	char		 conv[CHARSET_OUT_MAX(PUMP_OUT_MAX)];
};

/* Use encoding cs for output from now on (input too if both). */
static void
pump_conv_use(struct pump_conv *c, int cs, int both)
{
	if (both) {
		c->cs = cs;
		charset_conv_free(c->in);
		c->in = charset_conv_new(cs, CHARSET_IN);
	}
	if (c->out == NULL || charset_conv_charset(c->out) != cs) {
		charset_conv_free(c->out);
		c->out = charset_conv_new(cs, CHARSET_OUT);
	}
}

struct pump_conv *
pump_conv_new(int cs)
{
	struct pump_conv *c = xcalloc(1, sizeof(*c));

	pump_conv_use(c, cs, 1);
	return c;
}

void
pump_conv_free(struct pump_conv *c)
{
	if (c == NULL)
		return;
	charset_conv_free(c->in);
	charset_conv_free(c->out);
	explicit_bzero(c->token, sizeof(c->token));
	free(c);
}

void
pump_conv_set_charset(struct pump_conv *c, int cs)
{
	pump_conv_use(c, cs, 1);
}

int
pump_conv_charset(const struct pump_conv *c)
{
	return c->cs;
}

int
pump_conv_binary(const struct pump_conv *c)
{
	return c->bin;
}

/* A row of the marker grammar (pump_conv_marks, below). */
struct pump_conv_mark {
	enum pump_mark	 kind;
	const char	*name;
	int		 value;		/* takes "=VALUE" */
	size_t		 value_max;	/* at most this long */
	int		 in_bin;	/* obeyed during a binary transfer */
	int		 both;		/* cs: input and output, not only out */
	int		(*fn)(struct pump_conv *, const struct pump_conv_mark *,
			    const char *);
};

/* The markers' actions; v is the NUL-terminated value after '='.  Each
 * returns 0 when it obeyed, -1 when the marker is not for it. */

/* cs=NAME (both ways) and out=NAME (output only): m->both says which. */
static int
pump_conv_mark_cs(struct pump_conv *c, const struct pump_conv_mark *m,
    const char *v)
{
	int	 cs;

	if ((cs = charset_parse(v)) >= 0)
		pump_conv_use(c, cs, m->both);
	return 0;
}

static int
pump_conv_mark_out_end(struct pump_conv *c, const struct pump_conv_mark *m,
    const char *v)
{
	(void)m;
	(void)v;
	pump_conv_use(c, c->cs, 0);
	return 0;
}

static int
pump_conv_mark_bin(struct pump_conv *c, const struct pump_conv_mark *m,
    const char *v)
{
	(void)m;
	if (*v == '\0' || strlen(v) > PUMP_TOKEN_MAX)
		return 0;
	strlcpy_p(c->token, v, sizeof(c->token));
	c->bin = 1;
	return 0;
}

static int
pump_conv_mark_text(struct pump_conv *c, const struct pump_conv_mark *m,
    const char *v)
{
	(void)m;
	if (!c->bin || strcmp(v, c->token) != 0)
		return -1;
	c->bin = 0;
	explicit_bzero(c->token, sizeof(c->token));
	/* Fresh converters: nothing half-converted from before the
	 * transfer may leak into what follows it. */
	pump_conv_use(c, c->cs, 1);
	return 0;
}

static const struct pump_conv_mark pump_conv_marks[] = {
	{ .kind = PUMP_MARK_CS, .name = "cs", .value = 1,
	  .value_max = PUMP_MARK_MAX, .both = 1, .fn = pump_conv_mark_cs },
	{ .kind = PUMP_MARK_OUT, .name = "out", .value = 1,
	  .value_max = PUMP_MARK_MAX, .fn = pump_conv_mark_cs },
	{ .kind = PUMP_MARK_OUT_END, .name = "out", .value = 0,
	  .fn = pump_conv_mark_out_end },
	{ .kind = PUMP_MARK_BIN, .name = "bin", .value = 1,
	  .value_max = PUMP_TOKEN_MAX, .fn = pump_conv_mark_bin },
	{ .kind = PUMP_MARK_TEXT, .name = "text", .value = 1,
	  .value_max = PUMP_TOKEN_MAX, .in_bin = 1, .fn = pump_conv_mark_text },
};

size_t
pump_mark(char *buf, size_t size, enum pump_mark kind, const char *value)
{
	const struct pump_conv_mark *m = NULL;
	size_t		 i, vl = value != NULL ? strlen(value) : 0, n;

	if (size > 0)
		*buf = '\0';
	for (i = 0; i < nitems(pump_conv_marks); i++)
		if (pump_conv_marks[i].kind == kind)
			m = &pump_conv_marks[i];
	if (m == NULL || m->value != (value != NULL) ||
	    (m->value && (vl == 0 || vl > m->value_max)))
		return 0;
	for (i = 0; i < vl; i++)
		if ((unsigned char)value[i] <= 0x20 ||
		    (unsigned char)value[i] >= 0x7f)
			return 0;
	/* The parser takes a marker of at most PUMP_MARK_MAX bytes before
	 * its ST. */
	n = sizeof(PUMP_MARK) - 1 + strlen(m->name) + (m->value ? 1 + vl : 0);
	if (n > PUMP_MARK_MAX || n + sizeof(PUMP_ST) > size)
		return 0;
	return (size_t)snprintf(buf, size, "%s%s%s%s%s", PUMP_MARK, m->name,
	    m->value ? "=" : "", m->value ? value : "", PUMP_ST);
}

/*
 * Obey the marker body s (len bytes, between "ESC _ parta;" and ST).
 * Returns 0 when the marker is consumed: obeyed, or (outside a binary
 * transfer) unknown and dropped; -1 when it is data to pass on.
 */
static int
pump_conv_marker(struct pump_conv *c, const char *s, size_t len)
{
	const struct pump_conv_mark *m;
	char			 body[PUMP_MARK_MAX + 1];
	const char		*v;
	size_t			 i, nl;

	if (memchr(s, '\0', len) != NULL)	/* no string of ours */
		return c->bin ? -1 : 0;
	memcpy(body, s, len);	/* len < PUMP_MARK_MAX: see the caller */
	body[len] = '\0';
	v = strchr(body, '=');
	nl = v != NULL ? (size_t)(v - body) : len;
	for (i = 0; i < nitems(pump_conv_marks); i++) {
		m = &pump_conv_marks[i];
		if (strlen(m->name) != nl || memcmp(m->name, body, nl) != 0 ||
		    m->value != (v != NULL) || (c->bin && !m->in_bin))
			continue;
		if (m->fn(c, m, v != NULL ? v + 1 : "") == 0)
			return 0;
		break;
	}
	return c->bin ? -1 : 0;
}

/* Pass n bytes at s to c->conv at offset o, converted unless a binary
 * transfer runs; returns the bytes written. */
static size_t
pump_conv_emit(struct pump_conv *c, const char *s, size_t n, size_t o)
{
	if (c->bin) {
		memcpy(c->conv + o, s, n);
		return n;
	}
	return charset_conv(c->out, s, n, c->conv + o);
}

char *
pump_conv_space(struct pump_conv *c, size_t *room)
{
	*room = sizeof(c->buf) - c->carry;
	return c->buf + c->carry;
}

/*
 * Convert what c->buf holds for the terminal into c->conv, obeying and
 * removing markers; a marker not yet complete at the end is moved to
 * the start of c->buf (c->carry).
 */
const char *
pump_conv_out(struct pump_conv *c, size_t len, size_t *olen)
{
	const size_t	 ml = sizeof(PUMP_MARK) - 1;
	size_t		 i = 0, o = 0, rest, body, n;
	const char	*esc, *st;

	if (len > sizeof(c->buf) - c->carry)	/* more than the room given */
		len = sizeof(c->buf) - c->carry;
	len += c->carry;
	c->carry = 0;
	while (i < len) {
		esc = memchr(c->buf + i, '\033', len - i);
		n = esc != NULL ? (size_t)(esc - (c->buf + i)) : len - i;
		o += pump_conv_emit(c, c->buf + i, n, o);
		if (esc == NULL)
			break;
		i += n;
		rest = len - i;
		if (memcmp(esc, PUMP_MARK, rest < ml ? rest : ml) != 0) {
			/* Not ours: an ordinary escape sequence. */
			o += pump_conv_emit(c, esc, 1, o);
			i++;
			continue;
		}
		st = rest > ml ? memmem(esc + ml, rest - ml, PUMP_ST, 2) : NULL;
		/* Ours may be up to PUMP_MARK_MAX bytes, then the 2 of ST:
		 * until that much is here, the rest comes later. */
		if (st == NULL && rest < PUMP_MARK_MAX + 2) {
			memmove(c->buf, esc, rest);
			c->carry = rest;
			break;
		}
		if (st == NULL || (size_t)(st - esc) > PUMP_MARK_MAX) {
			o += pump_conv_emit(c, esc, 1, o);
			i++;
			continue;
		}
		body = (size_t)(st - esc) - ml;
		if (pump_conv_marker(c, esc + ml, body) != 0) {
			/* Data that looks like a marker: on, untouched. */
			o += pump_conv_emit(c, esc, 1, o);
			i++;
			continue;
		}
		i += ml + body + 2;
	}
	*olen = o;
	return c->conv;
}

size_t
pump_conv_in(struct pump_conv *c, const char *s, size_t len, char *out)
{
	if (c->bin) {	/* a transfer's bytes reach the UI untouched */
		memcpy(out, s, len);
		return len;
	}
	return charset_conv(c->in, s, len, out);
}

static int
pump_conv_clamp_one(int *v, int unset, int min, int max)
{
	int	 old = *v;

	if (*v <= 0)
		*v = unset;
	else if (*v < min)
		*v = min;
	else if (*v > max)
		*v = max;
	return *v != old;
}

int
pump_clamp_size(int *cols, int *rows)
{
	int	 changed;

	changed = pump_conv_clamp_one(cols, 80, PUMP_COLS_MIN, PUMP_COLS_MAX);
	changed |= pump_conv_clamp_one(rows, 24, PUMP_ROWS_MIN, PUMP_ROWS_MAX);
	return changed;
}
