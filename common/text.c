/*
 * text.c: validation, normalisation, sanitising and measuring of UTF-8.
 *
 * Everything that a user typed passes text_check() before it is stored,
 * and text_sanitize() again before it is drawn, so an escape sequence can
 * neither be saved nor reach another user's terminal.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "perr.h"
#include "text.h"
#include "util.h"

int
text_is_control(int32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return 1;
	if (cp >= 0x80 && cp <= 0x9f)			/* C1, incl. CSI 0x9b */
		return 1;
	if ((cp >= 0x202a && cp <= 0x202e) ||		/* BiDi embeddings */
	    (cp >= 0x2066 && cp <= 0x2069) ||		/* BiDi isolates */
	    cp == 0x200e || cp == 0x200f || cp == 0x061c)
		return 1;
	if (cp == 0x2028 || cp == 0x2029)		/* line/para separators */
		return 1;
	return 0;
}

int
text_is_invisible(int32_t cp)
{
	/* utf8proc's "ignorable" is DerivedCoreProperties'
	 * Default_Ignorable_Code_Point. */
	return utf8proc_get_property(cp)->ignorable;
}

char *
text_strip_invisible(char *s)
{
	utf8proc_uint8_t	*p = (utf8proc_uint8_t *)s, *o = p;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;

	while (*p != '\0') {
		if ((n = utf8proc_iterate(p, -1, &cp)) <= 0)
			n = 1;		/* not ours to mend: kept */
		else if (text_is_invisible(cp)) {
			p += n;
			continue;
		}
		memmove(o, p, (size_t)n);
		o += n;
		p += n;
	}
	*o = '\0';
	return s;
}

int
text_check(const char *s, size_t max_chars, int flags)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	size_t			 chars = 0;
	int			 newline = 0, invisible = 0;

	if (*s == '\0')
		return (flags & TEXT_EMPTY_OK) ? 0 : PERR_EMPTY;
	while (*p != '\0') {
		n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0)
			return PERR_UTF8;
		p += n;
		chars++;
		if (cp == '\n') {
			newline = 1;
			continue;
		}
		if (text_is_control(cp))
			return PERR_CONTROL;
		if ((flags & TEXT_NAME) && text_is_invisible(cp))
			invisible = 1;
	}
	if (invisible)
		return PERR_INVISIBLE;
	if (newline && !(flags & TEXT_MULTILINE))
		return PERR_MULTILINE;
	if (chars > max_chars)
		return PERR_TOOLONG;
	return 0;
}

char *
text_nfc(const char *s)
{
	utf8proc_uint8_t	*out = NULL;
	char			*copy;

	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE) < 0)
		return NULL;
	/* utf8proc allocates with malloc; hand back our own allocation. */
	copy = xstrdup((char *)out);
	free(out);
	return copy;
}

int
text_field(const char *s, size_t max_chars, int flags, char **out)
{
	int	 rc;

	*out = NULL;
	if ((rc = text_check(s, max_chars, flags)) != 0)
		return rc;
	if ((*out = text_nfc(s)) == NULL)
		return PERR_UTF8;
	return 0;
}

char *
text_fold(const char *s)
{
	char			*nfc = text_nfc(s), *out;
	const utf8proc_uint8_t	*p;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	size_t			 o = 0;

	if (nfc == NULL) {
		/* Invalid UTF-8: fold what sanitising makes of it. */
		char	*clean = text_sanitize(s, 1);
		nfc = text_nfc(clean);
		free(clean);
	}
	/* Lower case never needs more than 4 bytes per code point. */
	out = xmalloc(strlen(nfc) * 2 + 4);
	for (p = (const utf8proc_uint8_t *)nfc; *p != '\0'; p += n) {
		n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0) {
			n = 1;
			cp = 0xfffd;
		}
		cp = utf8proc_tolower(cp);
		if (cp == 0x0451)		/* ё */
			cp = 0x0435;		/* е */
		o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + o);
	}
	out[o] = '\0';
	free(nfc);
	return out;
}

char *
text_sanitize(const char *s, int keep_newlines)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	size_t			 len = strlen(s), o = 0;
	char			*out = xmalloc(len * 3 + 1);
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;

	while (*p != '\0') {
		n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0) {
			/* One replacement per bad byte, then resynchronise. */
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
			continue;
		}
		if (cp == '\n' && keep_newlines)
			out[o++] = '\n';
		else if (cp == '\t' || (cp == '\n' && !keep_newlines))
			out[o++] = ' ';
		else if (text_is_control(cp)) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
		} else {
			memcpy(out + o, p, (size_t)n);
			o += (size_t)n;
		}
		p += n;
	}
	out[o] = '\0';
	return out;
}

static int
cp_width(utf8proc_int32_t cp)
{
	int	 w = utf8proc_charwidth(cp);

	return w < 0 ? 0 : w;
}

int
text_width(const char *s)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	int			 w = 0;

	while (*p != '\0') {
		n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0) {
			w++;		/* shown as U+FFFD, one column */
			p++;
			continue;
		}
		w += cp_width(cp);
		p += n;
	}
	return w;
}

size_t
text_fit(const char *s, int cols)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	size_t			 fit = 0;
	int			 w = 0, cw;

	while (*p != '\0') {
		n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0) {
			n = 1;
			cw = 1;
		} else
			cw = cp_width(cp);
		if (cw > 0 && w + cw > cols)
			break;
		w += cw;
		p += n;
		fit = (size_t)(p - (const utf8proc_uint8_t *)s);
	}
	return fit;
}

/* Bytes of the character at s with the combining marks after it. */
static size_t
text_char_len(const char *s)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	size_t			 len = 0;

	do {
		n = utf8proc_iterate(p + len, -1, &cp);
		len += n > 0 ? (size_t)n : 1;
	} while (p[len] != '\0' && utf8proc_iterate(p + len, -1, &cp) > 0 &&
	    cp_width(cp) == 0);
	return len;
}

size_t
text_wrap(const char *s, int cols, size_t *next)
{
	size_t	 fit, cut;

	fit = text_fit(s, cols);
	if (fit == 0 && s[0] != '\0')
		fit = text_char_len(s);
	cut = fit;
	if (s[fit] != '\0' && s[fit] != ' ') {
		/* Break at the last space that fits. */
		while (cut > 0 && s[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = fit;
	}
	*next = cut;
	while (s[*next] == ' ')
		(*next)++;
	return cut;
}

const char *
text_date(int64_t t, enum text_date_style style, char *buf, size_t size)
{
	static const char *const fmt[] = {
		[TEXT_DATE_DAY] = "%d.%m.%Y",
		[TEXT_DATE_MINUTE] = "%d.%m.%Y %H:%M",
		[TEXT_DATE_ISO_DAY] = "%Y-%m-%d",
		[TEXT_DATE_ISO_MINUTE] = "%Y-%m-%d %H:%M",
		[TEXT_DATE_LS] = "%b %e %H:%M",
	};
	const char	*f = fmt[style];
	time_t		 tt = (time_t)t;
	struct tm	 tm;
	int64_t		 age = (int64_t)time(NULL) - t;

	if (style == TEXT_DATE_LS && (age >= 180 * 86400 || age <= -180 * 86400))
		f = "%b %e  %Y";
	if ((t == 0 && style != TEXT_DATE_LS) || localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, size, f, &tm) == 0)
		strlcpy_p(buf, "-", size);
	return buf;
}

/* Read min to max digits at p into *v: the byte after them, or NULL. */
static const char *
text_day_num(const char *p, int min, int max, int *v)
{
	int	 n;

	for (*v = 0, n = 0; n < max && isdigit((unsigned char)p[n]); n++)
		*v = *v * 10 + (p[n] - '0');
	return n >= min ? p + n : NULL;
}

/* Split s, "YYYY-MM-DD" or "DD.MM.YYYY" (day and month may have one
 * digit), into *y, *m and *d: 0, or -1 when it is neither. */
static int
text_day_split(const char *s, int *y, int *m, int *d)
{
	const char	*p;

	if ((p = text_day_num(s, 4, 4, y)) != NULL && *p == '-') {
		if ((p = text_day_num(p + 1, 2, 2, m)) == NULL || *p != '-' ||
		    (p = text_day_num(p + 1, 2, 2, d)) == NULL)
			return -1;
	} else if ((p = text_day_num(s, 1, 2, d)) != NULL && *p == '.') {
		if ((p = text_day_num(p + 1, 1, 2, m)) == NULL || *p != '.' ||
		    (p = text_day_num(p + 1, 4, 4, y)) == NULL)
			return -1;
	} else
		return -1;
	return *p == '\0' ? 0 : -1;
}

int
text_parse_day(const char *s, int last, int64_t *t)
{
	struct tm	 tm;
	time_t		 tt;
	int		 y, m, d;

	*t = 0;
	if (text_day_split(s, &y, &m, &d) != 0 || y < 1970)
		return PERR_DATE;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	if (last) {
		tm.tm_hour = 23;
		tm.tm_min = 59;
		tm.tm_sec = 59;
	}
	tm.tm_isdst = -1;
	/* mktime() carries 31 February into March: such a day is wrong. */
	if ((tt = mktime(&tm)) == (time_t)-1 || tm.tm_year != y - 1900 ||
	    tm.tm_mon != m - 1 || tm.tm_mday != d)
		return PERR_DATE;
	*t = (int64_t)tt;
	return 0;
}

char *
text_trim(char *s)
{
	char	*b = s, *e;

	while (isspace((unsigned char)*b))
		b++;
	e = b + strlen(b);
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	memmove(s, b, (size_t)(e - b));
	s[e - b] = '\0';
	return s;
}

char *
text_from_file(const char *s)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	size_t			 o = 0, tabs = 0, pad;
	char			*out;
	int			 col = 0;

	for (; *p != '\0'; p++)
		tabs += *p == '\t';
	/* A tab grows into at most TEXT_TAB_WIDTH spaces; CRs only shrink. */
	out = xmalloc(strlen(s) + tabs * (TEXT_TAB_WIDTH - 1) + 1);
	p = (const utf8proc_uint8_t *)s;
	while (*p != '\0') {
		if ((n = utf8proc_iterate(p, -1, &cp)) <= 0) {
			/* Left for text_check to refuse; one column. */
			n = 1;
			cp = -1;
		}
		if (cp == '\t') {
			pad = (size_t)(TEXT_TAB_WIDTH - col % TEXT_TAB_WIDTH);
			memset(out + o, ' ', pad);
			o += pad;
			col += (int)pad;
		} else if (cp == '\r') {
			/* CRLF, or a lone CR (an old Mac file): one LF. */
			out[o++] = '\n';
			col = 0;
			if (p[1] == '\n')
				p++;
		} else {
			memcpy(out + o, p, (size_t)n);
			o += (size_t)n;
			col = cp == '\n' ? 0 : col + (cp < 0 ? 1 : cp_width(cp));
		}
		p += n;
	}
	out[o] = '\0';
	return out;
}

int
text_find_bad(const char *s, size_t *line, int32_t *cp)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 c;
	utf8proc_ssize_t	 n;

	*line = 1;
	*cp = 0;
	while (*p != '\0') {
		if ((n = utf8proc_iterate(p, -1, &c)) <= 0) {
			*cp = *p;
			return PERR_UTF8;
		}
		if (c == '\n')
			(*line)++;
		else if (text_is_control(c)) {
			*cp = c;
			return PERR_CONTROL;
		}
		p += n;
	}
	return 0;
}

const char *
text_control_name(int32_t cp)
{
	/* Unicode's abbreviations (NameAliases.txt). */
	static const char *const c0[] = {
		"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL",
		"BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
		"DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
		"CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
	};
	static const char *const c1[] = {
		"PAD", "HOP", "BPH", "NBH", "IND", "NEL", "SSA", "ESA",
		"HTS", "HTJ", "VTS", "PLD", "PLU", "RI", "SS2", "SS3",
		"DCS", "PU1", "PU2", "STS", "CCH", "MW", "SPA", "EPA",
		"SOS", "SGC", "SCI", "CSI", "ST", "OSC", "PM", "APC",
	};
	static const struct { int32_t cp; const char *name; } other[] = {
		{ .cp = 0x7f, .name = "DEL" },
		{ .cp = 0x061c, .name = "ALM" },
		{ .cp = 0x200e, .name = "LRM" },
		{ .cp = 0x200f, .name = "RLM" },
		{ .cp = 0x2028, .name = "LSEP" },
		{ .cp = 0x2029, .name = "PSEP" },
		{ .cp = 0x202a, .name = "LRE" },
		{ .cp = 0x202b, .name = "RLE" },
		{ .cp = 0x202c, .name = "PDF" },
		{ .cp = 0x202d, .name = "LRO" },
		{ .cp = 0x202e, .name = "RLO" },
		{ .cp = 0x2066, .name = "LRI" },
		{ .cp = 0x2067, .name = "RLI" },
		{ .cp = 0x2068, .name = "FSI" },
		{ .cp = 0x2069, .name = "PDI" },
	};
	size_t	 i;

	if (cp >= 0 && cp < 0x20)
		return c0[cp];
	if (cp >= 0x80 && cp <= 0x9f)
		return c1[cp - 0x80];
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (other[i].cp == cp)
			return other[i].name;
	return NULL;
}
