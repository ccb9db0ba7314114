/*
 * charset.c: converting between UTF-8 and a terminal's encoding, as a
 * stream, in the pump (bbs/pump.c) and wherever a legacy rendering is
 * needed.
 *
 * The four legacy encodings are single-byte, so a converter asks glibc's
 * iconv once for the 128 upper bytes and works from that table; only
 * UTF-8 has sequences that can be split between reads, and only UTF-8
 * input needs a kept tail.  What an encoding cannot hold is replaced from
 * the table below by one character of the same display width; the table
 * is ours because //TRANSLIT depends on the process locale and may turn
 * one character into several ("«" into "<<"), which breaks every column.
 */
#include <ctype.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "charset.h"
#include "log.h"
#include "perr.h"
#include "util.h"

static const struct {
	const char	*name;		/* as stored in users.encoding */
	const char	*iconv;		/* glibc's name */
	const char	*aliases;	/* normalised: lower case, no - _ . */
} charsets[CHARSET_N] = {
	[CHARSET_UTF8] = { "UTF-8", "UTF-8", " utf8 " },
	[CHARSET_KOI8R] = { "KOI8-R", "KOI8-R", " koi8r koi8 " },
	[CHARSET_KOI8U] = { "KOI8-U", "KOI8-U", " koi8u " },
	[CHARSET_CP1251] = { "CP1251", "CP1251", " cp1251 windows1251 win1251 " },
	[CHARSET_CP866] = { "CP866", "IBM866", " cp866 ibm866 866 " },
};

/*
 * Substitutes, each one display column like what it replaces.  Tatar and
 * Buryat letters become their Russian base letters, which every legacy
 * encoding holds; typography becomes ASCII.
 */
static const struct {
	uint32_t	 cp;
	const char	*sub;
} subst[] = {
	{ 0x00a0, " " },	/* no-break space */
	{ 0x00ab, "\"" },	/* « */
	{ 0x00b0, "o" },	/* degree */
	{ 0x00b1, "+" },
	{ 0x00b7, "." },
	{ 0x00bb, "\"" },	/* » */
	{ 0x00d7, "x" },
	{ 0x0404, "Е" }, { 0x0406, "I" }, { 0x0407, "I" },	/* Є І Ї */
	{ 0x040e, "У" },					/* Ў */
	{ 0x0454, "е" }, { 0x0456, "i" }, { 0x0457, "i" },	/* є і ї */
	{ 0x045e, "у" },					/* ў */
	{ 0x0490, "Г" }, { 0x0491, "г" },			/* Ґ ґ */
	{ 0x0496, "Ж" }, { 0x0497, "ж" },			/* Җ җ */
	{ 0x04a2, "Н" }, { 0x04a3, "н" },			/* Ң ң */
	{ 0x04ae, "У" }, { 0x04af, "у" },			/* Ү ү */
	{ 0x04ba, "Х" }, { 0x04bb, "х" },			/* Һ һ */
	{ 0x04d8, "А" }, { 0x04d9, "а" },			/* Ә ә */
	{ 0x04e8, "О" }, { 0x04e9, "о" },			/* Ө ө */
	{ 0x2010, "-" }, { 0x2011, "-" }, { 0x2012, "-" },
	{ 0x2013, "-" }, { 0x2014, "-" }, { 0x2015, "-" },	/* – — ― */
	{ 0x2018, "'" }, { 0x2019, "'" }, { 0x201a, "'" }, { 0x201b, "'" },
	{ 0x201c, "\"" }, { 0x201d, "\"" }, { 0x201e, "\"" }, { 0x201f, "\"" },
	{ 0x2022, "*" },	/* bullet */
	{ 0x2026, "." },	/* … (one column: "..." would shift the row) */
	{ 0x2039, "<" }, { 0x203a, ">" },
	{ 0x20ac, "E" },	/* euro */
	{ 0x2116, "N" },	/* № */
	{ 0x2122, "T" },
	{ 0x2190, "<" }, { 0x2191, "^" }, { 0x2192, ">" }, { 0x2193, "v" },
	{ 0x2212, "-" },	/* minus */
	{ 0x2264, "<" }, { 0x2265, ">" },
	{ 0x25a0, "#" }, { 0x25b2, "^" }, { 0x25b6, ">" }, { 0x25bc, "v" },
	{ 0x25c0, "<" }, { 0x25cb, "o" }, { 0x25cf, "*" },
	{ 0x2713, "v" }, { 0x2714, "v" }, { 0x2717, "x" }, { 0x2718, "x" },
	{ 0xfffd, "?" },
};

struct charset_conv {
	int		 cs;
	enum charset_dir dir;
	uint32_t	 fwd[128];	/* byte 0x80 + i -> code point; 0: none */
	struct {
		uint32_t	 cp;
		unsigned char	 b;
	}		 rev[128];	/* what may be sent, by code point */
	size_t		 nrev;
	unsigned char	 tail[4];	/* an incomplete UTF-8 sequence */
	size_t		 ntail;
};

const char *
charset_name(int cs)
{
	return cs >= 0 && cs < CHARSET_N ? charsets[cs].name : "?";
}

/* Lower case, without '-', '_', '.' and blanks, surrounded by spaces. */
static void
normalise(const char *s, size_t n, char *out, size_t outsz)
{
	size_t	 o = 0, i;

	out[o++] = ' ';
	for (i = 0; i < n && s[i] != '\0' && o + 2 < outsz; i++)
		if (strchr("-_. ", s[i]) == NULL)
			out[o++] = (char)tolower((unsigned char)s[i]);
	out[o++] = ' ';
	out[o] = '\0';
}

static int
charset_lookup(const char *s, size_t n)
{
	char	 key[40];
	int	 cs;

	normalise(s, n, key, sizeof(key));
	if (strlen(key) <= 2)
		return -1;
	for (cs = 0; cs < CHARSET_N; cs++)
		if (strstr(charsets[cs].aliases, key) != NULL)
			return cs;
	return -1;
}

int
charset_parse(const char *s)
{
	int	 cs;

	if (s == NULL || (cs = charset_lookup(s, strlen(s))) < 0)
		return PERR_CHARSET;
	return cs;
}

int
charset_from_locale(const char *locale)
{
	const char	*dot, *end;

	if (locale == NULL || (dot = strchr(locale, '.')) == NULL)
		return -1;
	dot++;
	end = strchr(dot, '@');
	return charset_lookup(dot, end != NULL ? (size_t)(end - dot) : strlen(dot));
}

/* Encode cp as UTF-8 into out; returns the bytes written. */
static size_t
put_utf8(uint32_t cp, char *out)
{
	return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp,
	    (utf8proc_uint8_t *)out);
}

/*
 * The well-formed UTF-8 sequences (The Unicode Standard, table 3-7): by
 * the first byte, the length and the range the second byte must be in;
 * every later byte is 80..BF.  The narrow rows exclude overlongs (E0,
 * F0), surrogates (ED) and values above U+10FFFF (F4).
 */
static const struct utf8_form {
	unsigned char	 first, last;	/* the first byte's range */
	unsigned char	 lo, hi;	/* the second byte's */
	size_t		 len;
} utf8_forms[] = {
	{ .first = 0xc2, .last = 0xdf, .lo = 0x80, .hi = 0xbf, .len = 2 },
	{ .first = 0xe0, .last = 0xe0, .lo = 0xa0, .hi = 0xbf, .len = 3 },
	{ .first = 0xe1, .last = 0xec, .lo = 0x80, .hi = 0xbf, .len = 3 },
	{ .first = 0xed, .last = 0xed, .lo = 0x80, .hi = 0x9f, .len = 3 },
	{ .first = 0xee, .last = 0xef, .lo = 0x80, .hi = 0xbf, .len = 3 },
	{ .first = 0xf0, .last = 0xf0, .lo = 0x90, .hi = 0xbf, .len = 4 },
	{ .first = 0xf1, .last = 0xf3, .lo = 0x80, .hi = 0xbf, .len = 4 },
	{ .first = 0xf4, .last = 0xf4, .lo = 0x80, .hi = 0x8f, .len = 4 },
};

/*
 * Decode one UTF-8 sequence at p (n bytes available), strictly: no
 * overlongs, surrogates or values above U+10FFFF.  Returns its length
 * with *cp set, 0 when the bytes so far are a valid beginning that needs
 * more, or -1 when the first byte cannot start a character here.
 */
static int
utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
	const struct utf8_form *f = NULL;
	unsigned char	 lo, hi;
	size_t		 i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	for (i = 0; i < nitems(utf8_forms) && f == NULL; i++)
		if (p[0] >= utf8_forms[i].first && p[0] <= utf8_forms[i].last)
			f = &utf8_forms[i];
	if (f == NULL)
		return -1;
	*cp = p[0] & (0xff >> (f->len + 1));
	lo = f->lo;
	hi = f->hi;
	for (i = 1; i < f->len; i++) {
		if (i >= n)
			return 0;
		if (p[i] < lo || p[i] > hi)
			return -1;
		lo = 0x80;
		hi = 0xbf;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	return (int)f->len;
}

int
charset_c1_opens(unsigned char b)
{
	switch (b) {
	case 0x90:	/* DCS */
	case 0x98:	/* SOS */
	case 0x9b:	/* CSI */
	case 0x9d:	/* OSC */
	case 0x9e:	/* PM */
	case 0x9f:	/* APC */
		return 1;
	default:
		return 0;
	}
}

/* Ask iconv what the upper half of cs means. */
static void
conv_tables(struct charset_conv *c)
{
	iconv_t		 cd;
	unsigned char	 b;
	char		 in[1], out[8], *ip, *op;
	size_t		 il, ol;
	uint32_t	 cp;
	int		 i;

	cd = iconv_open("UTF-8", charsets[c->cs].iconv);
	if (cd == (iconv_t)-1)
		fatal("iconv has no %s", charsets[c->cs].iconv);
	for (i = 0; i < 128; i++) {
		b = (unsigned char)(0x80 + i);
		in[0] = (char)b;
		ip = in;
		il = 1;
		op = out;
		ol = sizeof(out);
		(void)iconv(cd, NULL, NULL, NULL, NULL);
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
		    utf8_next((unsigned char *)out, (size_t)(op - out), &cp) <= 0)
			continue;
		c->fwd[i] = cp;
		/* Never send anything that decodes to a control, nor, but in
		 * CP866 (whose capitals live there), a byte a terminal that
		 * reads C1 controls would take for the start of a sequence or
		 * a string (charset_c1_opens()).  Every other byte of
		 * 0x80-0x9F is a character the encoding has (CP1251's "—",
		 * KOI8-R's box drawing) and is sent as such. */
		if (c->cs != CHARSET_CP866 && charset_c1_opens(b))
			continue;
		if (cp < 0xa0)
			continue;
		c->rev[c->nrev].cp = cp;
		c->rev[c->nrev].b = b;
		c->nrev++;
	}
	iconv_close(cd);
}

struct charset_conv *
charset_conv_new(int cs, enum charset_dir dir)
{
	struct charset_conv	*c = xcalloc(1, sizeof(*c));

	c->cs = cs >= 0 && cs < CHARSET_N ? cs : CHARSET_UTF8;
	c->dir = dir;
	if (c->cs != CHARSET_UTF8)
		conv_tables(c);
	return c;
}

void
charset_conv_free(struct charset_conv *c)
{
	free(c);
}

int
charset_conv_charset(const struct charset_conv *c)
{
	return c->cs;
}

/* The byte that shows cp on this terminal, or -1. */
static int
conv_byte(const struct charset_conv *c, uint32_t cp)
{
	size_t	 i;

	if (cp < 0x80)
		return (int)cp;
	for (i = 0; i < c->nrev; i++)
		if (c->rev[i].cp == cp)
			return c->rev[i].b;
	return -1;
}

static const char *
subst_lookup(uint32_t cp)
{
	size_t	 lo = 0, hi = nitems(subst), mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (subst[mid].cp == cp)
			return subst[mid].sub;
		if (subst[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Box drawing (U+2500-257F) as ASCII: lines stay lines, the rest are
 * corners and crossings. */
static char
box_ascii(uint32_t cp)
{
	static const uint16_t horiz[] = { 0x2500, 0x2501, 0x2504, 0x2505,
	    0x2508, 0x2509, 0x254c, 0x254d, 0x2550, 0x2574, 0x2576, 0x2578,
	    0x257a, 0x257c, 0x257e };
	static const uint16_t vert[] = { 0x2502, 0x2503, 0x2506, 0x2507,
	    0x250a, 0x250b, 0x254e, 0x254f, 0x2551, 0x2575, 0x2577, 0x2579,
	    0x257b, 0x257d, 0x257f };
	size_t	 i;

	for (i = 0; i < nitems(horiz); i++)
		if (horiz[i] == cp)
			return '-';
	for (i = 0; i < nitems(vert); i++)
		if (vert[i] == cp)
			return '|';
	if (cp == 0x2571)
		return '/';
	if (cp == 0x2572)
		return '\\';
	return '+';
}

/* Write what the terminal shows for cp into out; returns the bytes. */
static size_t
conv_out_char(const struct charset_conv *c, uint32_t cp, char *out)
{
	const char		*sub;
	utf8proc_int32_t	 d[8];
	utf8proc_ssize_t	 nd;
	int			 b, w;
	uint32_t		 scp;

	if ((b = conv_byte(c, cp)) >= 0) {
		out[0] = (char)b;
		return 1;
	}
	w = utf8proc_charwidth((utf8proc_int32_t)cp);
	if (cp >= 0x80 && cp <= 0x9f)
		w = 1;			/* a stray C1: shown, harmlessly */
	else if (w == 0)
		return 0;		/* stress marks, zero-width space */
	if ((sub = subst_lookup(cp)) != NULL) {
		if (utf8_next((const unsigned char *)sub, strlen(sub), &scp) > 0 &&
		    (b = conv_byte(c, scp)) >= 0) {
			out[0] = (char)b;
			return 1;
		}
	} else if (cp >= 0x2500 && cp <= 0x257f) {
		out[0] = box_ascii(cp);
		return 1;
	} else if (cp >= 0x2580 && cp <= 0x259f) {
		out[0] = '#';
		return 1;
	} else if (w == 1) {
		/* A letter with an accent: its base letter, if we have it. */
		nd = utf8proc_decompose_char((utf8proc_int32_t)cp, d, nitems(d),
		    UTF8PROC_DECOMPOSE, NULL);
		if (nd > 1 && utf8proc_charwidth(d[0]) == 1 &&
		    (b = conv_byte(c, (uint32_t)d[0])) >= 0) {
			out[0] = (char)b;
			return 1;
		}
	}
	if (w >= 2) {
		memcpy(out, "??", 2);
		return 2;
	}
	out[0] = '?';
	return 1;
}

/* Convert the whole of in (len bytes); an incomplete UTF-8 end is kept
 * in c->tail. */
static size_t
conv_run(struct charset_conv *c, const unsigned char *in, size_t len,
    char *out)
{
	size_t	 i = 0, o = 0;
	uint32_t cp;
	int	 n;

	if (c->dir == CHARSET_IN && c->cs != CHARSET_UTF8) {
		for (i = 0; i < len; i++) {
			if (in[i] < 0x80)
				out[o++] = (char)in[i];
			else
				o += put_utf8(c->fwd[in[i] - 0x80] != 0 ?
				    c->fwd[in[i] - 0x80] : 0xfffd, out + o);
		}
		return o;
	}
	if (c->dir == CHARSET_OUT && c->cs == CHARSET_UTF8) {
		memcpy(out, in, len);
		return len;
	}
	while (i < len) {
		if (in[i] < 0x80) {
			out[o++] = (char)in[i++];
			continue;
		}
		n = utf8_next(in + i, len - i, &cp);
		if (n == 0) {
			memcpy(c->tail, in + i, len - i);
			c->ntail = len - i;
			break;
		}
		if (n < 0) {
			cp = 0xfffd;
			n = 1;
		}
		if (c->dir == CHARSET_IN) {
			memcpy(out + o, in + i, (size_t)n);
			if (cp == 0xfffd && n == 1)
				o += put_utf8(cp, out + o);
			else
				o += (size_t)n;
		} else
			o += conv_out_char(c, cp, out + o);
		i += (size_t)n;
	}
	return o;
}

size_t
charset_conv(struct charset_conv *c, const char *in, size_t len, char *out)
{
	unsigned char	*joined;
	size_t		 o;

	if (c->ntail == 0)
		return conv_run(c, (const unsigned char *)in, len, out);
	/* Rare: a character was split between reads. */
	joined = xmalloc(c->ntail + len);
	memcpy(joined, c->tail, c->ntail);
	memcpy(joined + c->ntail, in, len);
	len += c->ntail;
	c->ntail = 0;
	o = conv_run(c, joined, len, out);
	free(joined);
	return o;
}

char *
charset_convert(int cs, enum charset_dir dir, const char *s)
{
	struct charset_conv	*c = charset_conv_new(cs, dir);
	size_t			 len = strlen(s), o, i;
	char			*out = xmalloc(CHARSET_OUT_MAX(len) + 1);

	o = charset_conv(c, s, len, out);
	/* Nothing more comes: what was kept is broken. */
	for (i = 0; i < c->ntail; i++)
		o += dir == CHARSET_IN ? put_utf8(0xfffd, out + o) :
		    (out[o] = '?', 1);
	out[o] = '\0';
	charset_conv_free(c);
	return out;
}

int
charset_can_show(int cs, const char *s)
{
	struct charset_conv	*c;
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s);
	uint32_t		 cp;
	int			 n, ok = 1;

	if (cs == CHARSET_UTF8)
		return 1;
	c = charset_conv_new(cs, CHARSET_OUT);
	while (len > 0 && ok) {
		if ((n = utf8_next(p, len, &cp)) <= 0 || conv_byte(c, cp) < 0)
			ok = 0;
		else {
			p += n;
			len -= (size_t)n;
		}
	}
	charset_conv_free(c);
	return ok;
}
