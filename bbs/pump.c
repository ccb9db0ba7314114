/*
 * pump.c: moving bytes between an SSH channel and a pty master.
 *
 * Output is read in large chunks and gathered for a few milliseconds so
 * that one screen update leaves as one SSH packet.  Input is written as
 * it comes.  Both pass a converter (charset.h) here and nowhere else: the
 * UI itself only ever sees and writes UTF-8.
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
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/poll.h>	/* not common/poll.h (the polls module) */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "charset.h"
#include "log.h"
#include "pump.h"
#include "util.h"

#define PUMP_OUT_MAX	32768	/* one SSH packet carries up to 32 KB */
#define PUMP_GATHER_MS	5	/* wait this long for the rest of a screen */
#define PUMP_MARK	"\033_parta;"	/* the UI's private markers */
#define PUMP_MARK_MAX	64	/* longer is not ours: sent as it is */
#define PUMP_TOKEN_MAX	40	/* a binary transfer's token (a UUID) */
#define PUMP_EXIT_MS	3000	/* the UI's time to save and go at the end */

struct pump {
	int		 master;
	pid_t		 child;
	ssh_event	 event;
	pump_write_fn	 write;
	void		*arg;
	int		 eof;		/* master hung up: the UI is gone */
	int		 reaped;
	int		 status;
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
pump_use(struct pump *p, int cs, int both)
{
	if (both) {
		p->cs = cs;
		charset_conv_free(p->in);
		p->in = charset_conv_new(cs, CHARSET_IN);
	}
	if (p->out == NULL || charset_conv_charset(p->out) != cs) {
		charset_conv_free(p->out);
		p->out = charset_conv_new(cs, CHARSET_OUT);
	}
}

void
pump_set_charset(struct pump *p, int cs)
{
	pump_use(p, cs, 1);
}

/* The markers' actions; v is the NUL-terminated value after '='.  Each
 * returns 0 when it obeyed, -1 when the marker is not for it. */
static int
mark_cs(struct pump *p, const char *v)
{
	int	 cs;

	if ((cs = charset_parse(v)) >= 0)
		pump_use(p, cs, 1);
	return 0;
}

static int
mark_out(struct pump *p, const char *v)
{
	int	 cs;

	if ((cs = charset_parse(v)) >= 0)
		pump_use(p, cs, 0);
	return 0;
}

static int
mark_out_end(struct pump *p, const char *v)
{
	(void)v;
	pump_use(p, p->cs, 0);
	return 0;
}

static int
mark_bin(struct pump *p, const char *v)
{
	if (*v == '\0' || strlen(v) > PUMP_TOKEN_MAX)
		return 0;
	strlcpy_p(p->token, v, sizeof(p->token));
	p->bin = 1;
	return 0;
}

static int
mark_text(struct pump *p, const char *v)
{
	if (!p->bin || strcmp(v, p->token) != 0)
		return -1;
	p->bin = 0;
	explicit_bzero(p->token, sizeof(p->token));
	/* Fresh converters: nothing half-converted from before the
	 * transfer may leak into what follows it. */
	pump_use(p, p->cs, 1);
	return 0;
}

static const struct pump_mark {
	const char	*name;
	int		 value;		/* takes "=VALUE" */
	int		 in_bin;	/* obeyed during a binary transfer */
	int		(*fn)(struct pump *, const char *);
} pump_marks[] = {
	{ "cs",		1, 0, mark_cs },
	{ "out",	1, 0, mark_out },
	{ "out",	0, 0, mark_out_end },
	{ "bin",	1, 0, mark_bin },
	{ "text",	1, 1, mark_text },
};

/*
 * Obey the marker body s (len bytes, between "ESC _ parta;" and ST).
 * Returns 0 when the marker is consumed: obeyed, or (outside a binary
 * transfer) unknown and dropped; -1 when it is data to pass on.
 */
static int
pump_marker(struct pump *p, const char *s, size_t len)
{
	const struct pump_mark	*m;
	char			 body[PUMP_MARK_MAX + 1];
	const char		*v;
	size_t			 i, nl;

	if (memchr(s, '\0', len) != NULL)	/* no string of ours */
		return p->bin ? -1 : 0;
	memcpy(body, s, len);	/* len < PUMP_MARK_MAX: see the caller */
	body[len] = '\0';
	v = strchr(body, '=');
	nl = v != NULL ? (size_t)(v - body) : len;
	for (i = 0; i < nitems(pump_marks); i++) {
		m = &pump_marks[i];
		if (strlen(m->name) != nl || memcmp(m->name, body, nl) != 0 ||
		    m->value != (v != NULL) || (p->bin && !m->in_bin))
			continue;
		if (m->fn(p, v != NULL ? v + 1 : "") == 0)
			return 0;
		break;
	}
	return p->bin ? -1 : 0;
}

/* Pass n bytes at s to p->conv at offset o, converted unless a binary
 * transfer runs; returns the bytes written. */
static size_t
pump_emit(struct pump *p, const char *s, size_t n, size_t o)
{
	if (p->bin) {
		memcpy(p->conv + o, s, n);
		return n;
	}
	return charset_conv(p->out, s, n, p->conv + o);
}

/*
 * Convert len bytes of p->buf for the terminal into p->conv, obeying and
 * removing markers; a marker not yet complete at the end is moved to
 * the start of p->buf (p->carry).  Returns the bytes in p->conv.
 */
static size_t
pump_convert_out(struct pump *p, size_t len)
{
	const size_t	 ml = sizeof(PUMP_MARK) - 1;
	size_t		 i = 0, o = 0, rest, body, n;
	const char	*esc, *st;

	p->carry = 0;
	while (i < len) {
		esc = memchr(p->buf + i, '\033', len - i);
		n = esc != NULL ? (size_t)(esc - (p->buf + i)) : len - i;
		o += pump_emit(p, p->buf + i, n, o);
		if (esc == NULL)
			break;
		i += n;
		rest = len - i;
		if (memcmp(esc, PUMP_MARK, rest < ml ? rest : ml) != 0) {
			/* Not ours: an ordinary escape sequence. */
			o += pump_emit(p, esc, 1, o);
			i++;
			continue;
		}
		st = rest > ml ? memmem(esc + ml, rest - ml, "\033\\", 2) : NULL;
		/* Ours may be up to PUMP_MARK_MAX bytes, then the 2 of ST:
		 * until that much is here, the rest comes later. */
		if (st == NULL && rest < PUMP_MARK_MAX + 2) {
			memmove(p->buf, esc, rest);
			p->carry = rest;
			break;
		}
		if (st == NULL || (size_t)(st - esc) > PUMP_MARK_MAX) {
			o += pump_emit(p, esc, 1, o);
			i++;
			continue;
		}
		body = (size_t)(st - esc) - ml;
		if (pump_marker(p, esc + ml, body) != 0) {
			/* Data that looks like a marker: on, untouched. */
			o += pump_emit(p, esc, 1, o);
			i++;
			continue;
		}
		i += ml + body + 2;
	}
	return o;
}

/* Read what the master holds into p->buf from offset *len; 0 on EOF. */
static ssize_t
pump_read_more(struct pump *p, size_t *len)
{
	ssize_t	 n;

	do
		n = read(p->master, p->buf + *len, sizeof(p->buf) - *len);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		*len += (size_t)n;
	return n;
}

static int
pump_readable(socket_t fd, int revents, void *arg)
{
	struct pump	*p = arg;
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	size_t		 len = p->carry, o;
	ssize_t		 n;

	(void)revents;
	n = pump_read_more(p, &len);
	/* Gather the rest of this screen update before sending. */
	while (n > 0 && len < sizeof(p->buf) &&
	    poll(&pfd, 1, PUMP_GATHER_MS) > 0 && (pfd.revents & POLLIN))
		n = pump_read_more(p, &len);
	o = len > 0 ? pump_convert_out(p, len) : 0;
	if (o > 0 && p->write(p->conv, o, p->arg) != 0)
		n = 0;
	if (n <= 0 && !(n < 0 && errno == EAGAIN)) {
		/* EIO on a pty master means the slave side is closed. */
		ssh_event_remove_fd(p->event, p->master);
		p->eof = 1;
	}
	return 0;
}

struct pump *
pump_new(int master, pid_t child, ssh_event event, pump_write_fn out, void *arg)
{
	struct pump	*p = xcalloc(1, sizeof(*p));

	p->master = master;
	p->child = child;
	p->event = event;
	p->write = out;
	p->arg = arg;
	pump_use(p, CHARSET_UTF8, 1);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	if (ssh_event_add_fd(event, master, POLLIN, pump_readable, p) != SSH_OK)
		fatal("cannot watch the pty");
	return p;
}

void
pump_free(struct pump *p)
{
	pid_t	 r;
	int	 ms;

	if (p == NULL)
		return;
	if (!p->eof)
		ssh_event_remove_fd(p->event, p->master);
	/* Closing the master hangs up the UI's terminal; SIGHUP says so
	 * too.  The UI then saves a draft (ui-editor.c) or ends a ZMODEM
	 * transfer's sz and removes its files (ui-zmodem.c), and exits:
	 * a few seconds for that, then SIGKILL. */
	close(p->master);
	if (!p->reaped)
		kill(p->child, SIGHUP);
	for (ms = 0; !p->reaped && ms < PUMP_EXIT_MS; ms += 50) {
		r = waitpid(p->child, NULL, WNOHANG);
		if (r == p->child || (r < 0 && errno != EINTR))
			p->reaped = 1;
		else
			usleep(50000);
	}
	if (!p->reaped) {
		kill(p->child, SIGKILL);
		waitpid(p->child, NULL, 0);
	}
	charset_conv_free(p->in);
	charset_conv_free(p->out);
	free(p);
}

/* Write len bytes of UTF-8 to the UI. */
static int
pump_write_ui(struct pump *p, const char *s, size_t len)
{
	ssize_t		 n;

	while (len > 0 && !p->eof) {
		n = write(p->master, s, len);
		if (n < 0) {
			struct pollfd	 pfd = { .fd = p->master, .events = POLLOUT };

			if (errno == EINTR)
				continue;
			/* The UI is busy; its input queue drains soon. */
			if (errno == EAGAIN && poll(&pfd, 1, 1000) >= 0)
				continue;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return p->eof ? -1 : 0;
}

int
pump_input(struct pump *p, const void *data, size_t len)
{
	const char	*s = data;
	char		 conv[CHARSET_OUT_MAX(1024)];
	size_t		 n, o;

	if (p->bin)	/* a transfer's bytes reach it untouched */
		return pump_write_ui(p, s, len);
	while (len > 0) {
		n = len < 1024 ? len : 1024;
		o = charset_conv(p->in, s, n, conv);
		if (pump_write_ui(p, conv, o) != 0)
			return -1;
		s += n;
		len -= n;
	}
	return p->eof ? -1 : 0;
}

void
pump_resize(struct pump *p, int cols, int rows)
{
	struct winsize	 ws;

	(void)pump_clamp_size(&cols, &rows);
	memset(&ws, 0, sizeof(ws));
	ws.ws_col = (unsigned short)cols;
	ws.ws_row = (unsigned short)rows;
	/* The kernel sends SIGWINCH to the UI, and ncurses redraws. */
	if (ioctl(p->master, TIOCSWINSZ, &ws) != 0)
		log_warn("TIOCSWINSZ: %s", strerror(errno));
}

static int
pump_clamp_one(int *v, int unset, int min, int max)
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

	changed = pump_clamp_one(cols, 80, PUMP_COLS_MIN, PUMP_COLS_MAX);
	changed |= pump_clamp_one(rows, 24, PUMP_ROWS_MIN, PUMP_ROWS_MAX);
	return changed;
}

void
pump_signal(struct pump *p, int sig)
{
	if (!p->reaped)
		kill(p->child, sig);
}

int
pump_finished(struct pump *p, int *status)
{
	int	 st;

	if (!p->reaped && waitpid(p->child, &st, WNOHANG) == p->child) {
		p->reaped = 1;
		p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	if (p->reaped && !p->eof) {
		/* Drain what the UI wrote before it exited. */
		pump_readable(p->master, POLLIN, p);
	}
	if (!p->reaped || !p->eof)
		return 0;
	*status = p->status;
	return 1;
}
