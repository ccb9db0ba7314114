/*
 * test-charset.c: the terminal encoding converter.  The corpus text
 * round-trips through KOI8-R, CP1251 and CP866 byte for byte, also when
 * it arrives one byte per read; broken input becomes U+FFFD; what an
 * encoding lacks becomes one substitute of the same width, so every
 * line of the Tatar text and of tricky.bin keeps its display width.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "perr.h"
#include "text.h"
#include "t.h"
#include "t-data.h"
#include "util.h"

#define FFFD	"\xef\xbf\xbd"

static const int legacy[] = {
	CHARSET_KOI8R, CHARSET_KOI8U, CHARSET_CP1251, CHARSET_CP866
};

/* Convert len bytes with a fresh converter, step bytes per call; the
 * result is NUL-terminated, its length in *olen.  Caller frees. */
static char *
conv_steps(int cs, enum charset_dir dir, const char *in, size_t len,
    size_t step, size_t *olen)
{
	struct charset_conv	*c = charset_conv_new(cs, dir);
	char			*out = xmalloc(CHARSET_OUT_MAX(len) + 1);
	size_t			 o = 0, i, n;

	for (i = 0; i < len; i += n) {
		n = len - i < step ? len - i : step;
		o += charset_conv(c, in + i, n, out + o);
	}
	out[o] = '\0';
	*olen = o;
	charset_conv_free(c);
	return out;
}

/* 1 if s is strict UTF-8. */
static int
valid_utf8(const char *s, size_t len)
{
	char	*copy = xmalloc(len + 1);
	int	 ok;

	memcpy(copy, s, len);
	copy[len] = '\0';
	ok = strlen(copy) == len && text_check(copy, SIZE_MAX,
	    TEXT_EMPTY_OK | TEXT_MULTILINE) != PERR_UTF8;
	free(copy);
	return ok;
}

/* The display width of what a terminal of cs shows for bytes s. */
static int
shown_width(int cs, const char *s)
{
	char	*back = charset_convert(cs, CHARSET_IN, s);
	int	 w = text_width(back);

	free(back);
	return w;
}

static void
test_names(void)
{
	T_STR(charset_name(CHARSET_CP866), "CP866", "name of CP866");
	T_STR(charset_name(99), "?", "name of an unknown value");
	T_INT(charset_parse("koi8-r"), CHARSET_KOI8R, "koi8-r parses");
	T_INT(charset_parse("UTF8"), CHARSET_UTF8, "UTF8 parses");
	T_INT(charset_parse("windows-1251"), CHARSET_CP1251, "windows-1251");
	T_INT(charset_parse("IBM866"), CHARSET_CP866, "IBM866");
	T_INT(charset_parse("KOI8-U"), CHARSET_KOI8U, "KOI8-U");
	T_INT(charset_parse("latin1"), PERR_CHARSET, "latin1 is not offered");
	T_INT(charset_parse(""), PERR_CHARSET, "empty is no charset");
	T_INT(charset_from_locale("ru_RU.KOI8-R"), CHARSET_KOI8R, "ru_RU.KOI8-R");
	T_INT(charset_from_locale("ru_RU.CP1251"), CHARSET_CP1251, "ru_RU.CP1251");
	T_INT(charset_from_locale("ru_RU.IBM866"), CHARSET_CP866, "ru_RU.IBM866");
	T_INT(charset_from_locale("C.UTF-8"), CHARSET_UTF8, "C.UTF-8");
	T_INT(charset_from_locale("tt_RU.utf8@iqtelif"), CHARSET_UTF8,
	    "a modifier after @ is ignored");
	T_INT(charset_from_locale("ru_RU"), -1, "no codeset, no hint");
	T_INT(charset_from_locale("POSIX"), -1, "POSIX says nothing");
	T_INT(charset_from_locale(NULL), -1, "NULL says nothing");
}

/* ru-basic.txt and its three legacy forms turn into each other exactly,
 * whole and one byte per read. */
static void
test_round_trip(void)
{
	static const struct { int cs; const char *file; } f[] = {
		{ CHARSET_KOI8R, "ru-basic.koi8r" },
		{ CHARSET_CP1251, "ru-basic.cp1251" },
		{ CHARSET_CP866, "ru-basic.cp866" },
	};
	size_t	 ulen, llen, olen, i, step;
	char	*utf = t_data("ru-basic.txt", &ulen), *leg, *out;

	for (i = 0; i < nitems(f); i++) {
		leg = t_data(f[i].file, &llen);
		for (step = 1; step <= 4096; step *= 4096) {
			out = conv_steps(f[i].cs, CHARSET_IN, leg, llen, step, &olen);
			T_OK(olen == ulen && memcmp(out, utf, ulen) == 0,
			    "%s to UTF-8, %zu byte(s) per read", f[i].file, step);
			free(out);
			out = conv_steps(f[i].cs, CHARSET_OUT, utf, ulen, step, &olen);
			T_OK(olen == llen && memcmp(out, leg, llen) == 0,
			    "UTF-8 to %s, %zu byte(s) per read", f[i].file, step);
			free(out);
		}
		free(leg);
	}
	out = conv_steps(CHARSET_UTF8, CHARSET_IN, utf, ulen, 1, &olen);
	T_OK(olen == ulen && memcmp(out, utf, ulen) == 0,
	    "UTF-8 input one byte per read arrives unchanged");
	free(out);
	free(utf);
}

static void
test_input(void)
{
	static const struct { int cs; const char *in, *want, *what; } c[] = {
		{ CHARSET_UTF8, "a\xff" "b", "a" FFFD "b",
		  "a bad byte becomes U+FFFD" },
		{ CHARSET_UTF8, "\xc0\xaf", FFFD FFFD,
		  "an overlong '/' becomes two U+FFFD" },
		{ CHARSET_UTF8, "\xed\xa0\x80", FFFD FFFD FFFD,
		  "a UTF-8 surrogate is refused" },
		{ CHARSET_UTF8, "\xe0\x80\xaf", FFFD FFFD FFFD,
		  "a three-byte overlong is refused" },
		{ CHARSET_UTF8, "\xf0\x80\x80\xaf", FFFD FFFD FFFD FFFD,
		  "a four-byte overlong is refused" },
		{ CHARSET_UTF8, "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD,
		  "above U+10FFFF is refused" },
		{ CHARSET_UTF8, "\xe0\xa0\x80|\xed\x9f\xbf|\xf4\x8f\xbf\xbf",
		  "\xe0\xa0\x80|\xed\x9f\xbf|\xf4\x8f\xbf\xbf",
		  "U+0800, U+D7FF and U+10FFFF, the edges, pass" },
		{ CHARSET_UTF8, "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80",
		  "an emoji passes" },
		{ CHARSET_UTF8, "\xd0" "x", FFFD "x",
		  "a lead byte without its continuation" },
		{ CHARSET_UTF8, "\xd0", FFFD, "a lead byte at the very end" },
		{ CHARSET_CP1251, "\x98", FFFD,
		  "CP1251 0x98 (undefined) becomes U+FFFD" },
		{ CHARSET_KOI8R, "\xe5\xcc\xcb\xc1", "Елка", "KOI8-R Елка" },
		{ CHARSET_KOI8R, "\xb3\xcc\xcb\xc1", "Ёлка",
		  "KOI8-R Ёлка (0xB3)" },
		{ CHARSET_CP866, "\x8f\xe0\xa8\xa2\xa5\xe2", "Привет",
		  "CP866 Привет" },
		{ CHARSET_KOI8R, "\033[A\r\x7f", "\033[A\r\x7f",
		  "keys (arrows, Enter, Backspace) pass" },
	};
	char	*s;
	size_t	 n, i;

	s = conv_steps(CHARSET_UTF8, CHARSET_IN, "\xd0\x81\xd0\xbb\xd0\xba\xd0\xb0",
	    8, 1, &n);
	T_STR(s, "Ёлка", "Ёлка typed on a UTF-8 terminal, byte by byte");
	free(s);
	for (i = 0; i < nitems(c); i++) {
		s = charset_convert(c[i].cs, CHARSET_IN, c[i].in);
		T_STR(s, c[i].want, "%s", c[i].what);
		free(s);
	}
}

static void
test_output(void)
{
	static const struct { int cs; const char *in, *want, *what; } c[] = {
		{ CHARSET_CP1251, "Әнкәм өйдә", "\xc0\xed\xea\xe0\xec \xee\xe9\xe4\xe0",
		  "Tatar in CP1251: Анкам ойда" },
		{ CHARSET_KOI8R, "җ ң ү һ Җ Ң Ү Һ Ө", "\xd6 \xce \xd5 \xc8 \xf6 \xee \xf5 \xe8 \xef",
		  "Tatar letters to their Russian bases in KOI8-R" },
		{ CHARSET_KOI8R, "«Ёлка» — №1…", "\"\xb3\xcc\xcb\xc1\" - N1.",
		  "KOI8-R: quotes, dash, numero, ellipsis" },
		{ CHARSET_CP1251, "«ёлка»", "\xab\xb8\xeb\xea\xe0\xbb", "CP1251 has « » and ё" },
		{ CHARSET_CP1251, "„а“ — б – …", "\x84\xe0\x93 \x97 \xe1 \x96 \x85",
		  "CP1251 has „ “ — – …: sent as they are" },
		{ CHARSET_CP1251, "‹›ђ", "\x8b>?",
		  "CP1251's 0x9B and 0x90 (CSI, DCS as C1) are never sent" },
		{ CHARSET_KOI8U, "—", "-", "KOI8-U lacks the em dash" },
		{ CHARSET_CP866, "— –", "- -", "CP866 lacks the dashes" },
		{ CHARSET_CP866, "«а»", "\"\xa0\"", "CP866 lacks « »" },
		{ CHARSET_CP1251, "┌─┐│└┘├┼", "+-+|++++", "CP1251 box drawing becomes ASCII" },
		{ CHARSET_KOI8R, "─│┼", "\x80\x81\x8a", "KOI8-R has box drawing (0x80-0x9F)" },
		{ CHARSET_CP866, "─│┼", "\xc4\xb3\xc5", "CP866 has box drawing" },
		{ CHARSET_KOI8R, "доро\xcc\x81га", "\xc4\xcf\xd2\xcf\xc7\xc1",
		  "a stress mark is dropped" },
		{ CHARSET_KOI8R, "日本", "????", "wide characters: two columns each" },
		{ CHARSET_KOI8R, "✓ ✗", "v x", "check marks" },
		{ CHARSET_KOI8R, "é", "e", "an accented Latin letter: its base" },
		{ CHARSET_KOI8R, "\033[1;1H\033(0q\033(B\r\n", "\033[1;1H\033(0q\033(B\r\n",
		  "escape sequences pass untouched" },
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < nitems(c); i++) {
		s = charset_convert(c[i].cs, CHARSET_OUT, c[i].in);
		T_STR(s, c[i].want, "%s", c[i].what);
		T_INT(shown_width(c[i].cs, s), text_width(c[i].in),
		    "%s: same width", c[i].what);
		free(s);
	}
	s = charset_convert(CHARSET_UTF8, CHARSET_OUT, "доро\xcc\x81га «ә»");
	T_STR(s, "доро\xcc\x81га «ә»", "UTF-8 terminals get everything, "
	    "stress marks too");
	free(s);
	T_OK(charset_can_show(CHARSET_CP1251, "лимон"), "CP1251 shows лимон");
	T_OK(!charset_can_show(CHARSET_CP1251, "ә"), "CP1251 cannot show ә");
	T_OK(charset_can_show(CHARSET_UTF8, "ә"), "UTF-8 shows ә");
}

/* The Tatar text: every line, in every legacy encoding, one byte per
 * read, keeps its width. */
static void
test_tatar_widths(void)
{
	size_t	 len, i, olen;
	char	*tt = t_data("tt.txt", &len), *out, *line, *nl;
	int	 bad = 0, lines = 0;

	for (line = tt; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			break;
		*nl = '\0';
		lines++;
		for (i = 0; i < nitems(legacy); i++) {
			out = conv_steps(legacy[i], CHARSET_OUT, line,
			    strlen(line), 1, &olen);
			if (shown_width(legacy[i], out) != text_width(line) ||
			    strlen(out) != olen) {
				printf("# %s: %s\n", charset_name(legacy[i]), line);
				bad++;
			}
			free(out);
		}
	}
	T_OK(lines > 3, "tt.txt has lines (%d)", lines);
	T_INT(bad, 0, "every Tatar line keeps its width in every encoding");
	free(tt);
}

/* tricky.bin: raw as input from each terminal, UTF-8 always comes out;
 * sanitised as output, the width holds and no C1 byte is sent. */
static void
test_tricky(void)
{
	size_t	 len, i, olen, k;
	char	*buf = t_data("tricky.bin", &len), *p, *nl, *tab, *clean;
	char	*out, *whole;
	int	 lines = 0, bad_in = 0, bad_width = 0, bad_c1 = 0, bad_split = 0;
	int	 cs;

	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		if ((tab = memchr(p, '\t', (size_t)(nl - p))) == NULL)
			continue;
		lines++;
		tab++;
		for (cs = 0; cs < CHARSET_N; cs++) {
			out = conv_steps(cs, CHARSET_IN, tab, (size_t)(nl - tab),
			    1, &olen);
			/* A NUL typed is a NUL passed; judge the rest. */
			for (k = 0; k < olen; k++)
				if (out[k] == '\0')
					out[k] = ' ';
			if (!valid_utf8(out, olen)) {
				printf("# input %.*s from %s\n", (int)(tab - p - 1),
				    p, charset_name(cs));
				bad_in++;
			}
			free(out);
		}
		*nl = '\0';
		clean = text_sanitize(tab, 0);
		for (i = 0; i < nitems(legacy); i++) {
			out = conv_steps(legacy[i], CHARSET_OUT, clean,
			    strlen(clean), 1, &olen);
			whole = charset_convert(legacy[i], CHARSET_OUT, clean);
			if (strcmp(out, whole) != 0)
				bad_split++;
			if (shown_width(legacy[i], out) != text_width(clean)) {
				printf("# width %.*s in %s\n", (int)(tab - p - 1),
				    p, charset_name(legacy[i]));
				bad_width++;
			}
			for (k = 0; k < olen; k++)
				if (charset_c1_opens((unsigned char)out[k]) &&
				    legacy[i] != CHARSET_CP866)
					bad_c1++;
			free(whole);
			free(out);
		}
		free(clean);
	}
	T_INT(lines, 23, "tricky.bin has 23 lines");
	T_INT(bad_in, 0, "every line typed on every terminal becomes valid UTF-8");
	T_INT(bad_width, 0, "every sanitised line keeps its width on 8-bit terminals");
	T_INT(bad_c1, 0, "no C1 byte that opens a sequence reaches a KOI8 or CP1251 terminal");
	T_INT(bad_split, 0, "one byte per read gives what one read gives");
	free(buf);
}

/* Every code point up to U+FFFF shown on each 8-bit terminal: one
 * substitute of its own width (marks: nothing). */
static void
test_every_width(void)
{
	struct charset_conv	*out, *in;
	char			 u[8], leg[16], back[64];
	uint32_t		 cp;
	size_t			 i, n, ln, bn;
	int			 bad = 0;

	for (i = 0; i < nitems(legacy); i++) {
		out = charset_conv_new(legacy[i], CHARSET_OUT);
		in = charset_conv_new(legacy[i], CHARSET_IN);
		for (cp = 0xa0; cp < 0x10000; cp++) {
			if (cp >= 0xd800 && cp <= 0xdfff)
				continue;
			n = 0;
			if (cp < 0x800) {
				u[n++] = (char)(0xc0 | (cp >> 6));
			} else {
				u[n++] = (char)(0xe0 | (cp >> 12));
				u[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			}
			u[n++] = (char)(0x80 | (cp & 0x3f));
			u[n] = '\0';
			ln = charset_conv(out, u, n, leg);
			bn = charset_conv(in, leg, ln, back);
			back[bn] = '\0';
			if (text_width(back) != text_width(u) && bad++ < 5)
				printf("# U+%04X in %s: \"%.*s\"\n", cp,
				    charset_name(legacy[i]), (int)ln, leg);
		}
		charset_conv_free(out);
		charset_conv_free(in);
	}
	T_INT(bad, 0, "every character of the BMP keeps its width");
}

int
main(void)
{
	test_names();
	test_round_trip();
	test_input();
	test_output();
	test_tatar_widths();
	test_tricky();
	test_every_width();
	return t_done();
}
