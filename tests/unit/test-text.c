/*
 * test-text.c: what may be stored (text_check), how it is normalised
 * (text_nfc), what may reach a terminal (text_sanitize) and how wide it
 * is (text_width, text_fit).  Russian and Tatar must pass untouched;
 * escape sequences, C1 controls, BiDi overrides and broken UTF-8 must
 * not.  tests/unit/data/tricky.bin holds one hostile input per line.
 */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "perr.h"
#include "text.h"
#include "util.h"
#include "t.h"
#include "t-data.h"

#define FFFD	"\xef\xbf\xbd"

/*
 * An independent judge of text_sanitize's output, so that a mistake in
 * text_is_control cannot hide itself: strict UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF) and none of ESC, other C0 (newline
 * only when allowed), DEL, C1, BiDi controls or line/paragraph separators.
 * Returns NULL when s is safe, else what is wrong.
 */
static const char *
terminal_unsafe(const char *s, size_t len, int newlines_ok)
{
	const unsigned char	*p = (const unsigned char *)s, *e = p + len;
	uint32_t		 cp;
	int			 n, i;
	unsigned char		 lo, hi;

	while (p < e) {
		if (*p < 0x80) {
			if (*p == '\n' && newlines_ok) {
				p++;
				continue;
			}
			if (*p < 0x20 || *p == 0x7f)
				return *p == 0x1b ? "ESC" : "C0 control or DEL";
			p++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 1;
		else if (*p >= 0xe0 && *p <= 0xef) {
			n = 2;
			if (*p == 0xe0)
				lo = 0xa0;
			if (*p == 0xed)
				hi = 0x9f;	/* no surrogates */
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			n = 3;
			if (*p == 0xf0)
				lo = 0x90;
			if (*p == 0xf4)
				hi = 0x8f;
		} else
			return "invalid UTF-8 lead byte";
		if (e - p < n + 1)
			return "truncated UTF-8";
		if (p[1] < lo || p[1] > hi)
			return "invalid UTF-8 continuation";
		cp = *p & (0x3f >> n);
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return "invalid UTF-8 continuation";
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp >= 0x80 && cp <= 0x9f)
			return "C1 control";
		if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
		    cp == 0x200e || cp == 0x200f || cp == 0x061c)
			return "BiDi control";
		if (cp == 0x2028 || cp == 0x2029)
			return "line/paragraph separator";
		p += n + 1;
	}
	return NULL;
}

static void
test_check_corpus(const char *file)
{
	size_t	 len, lines = 0, good = 0;
	char	*buf = t_data(file, &len), *line, *p, *nl;

	T_OK(strlen(buf) == len, "%s has no NUL bytes", file);
	T_INT(text_check(buf, 100000, TEXT_MULTILINE), 0,
	    "%s as a whole is valid multi-line text", file);
	T_INT(text_check(buf, 100000, 0), PERR_MULTILINE,
	    "%s as a whole is refused as one line", file);
	for (p = buf; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		line = strndup(p, (size_t)(nl - p));
		lines++;
		if (text_check(line, 1000, 0) == 0)
			good++;
		else
			printf("#   refused: %s\n", line);
		free(line);
	}
	T_OK(lines >= 5, "%s has lines (%zu)", file, lines);
	T_INT(good, lines, "every line of %s passes text_check as one line", file);
	free(buf);
}

static void
test_check(void)
{
	test_check_corpus("ru.txt");
	test_check_corpus("tt.txt");

	T_INT(text_check("Әнкәм өйдә, җәй, ңарат, һава, үзәк", 100, 0), 0,
	    "Tatar letters pass");
	T_INT(text_check("Ёлка, йод, подъём, ударе\xcc\x81ние", 100, 0), 0,
	    "ё, й, ъ and a combining stress mark pass");
	T_INT(text_check("«Ёлка в лесу» — № 5", 100, 0), 0,
	    "guillemets, em dash and numero sign pass");

	T_INT(text_check("", 10, 0), PERR_EMPTY, "empty refused without TEXT_EMPTY_OK");
	T_INT(text_check("", 10, TEXT_EMPTY_OK), 0, "empty allowed with TEXT_EMPTY_OK");
	T_INT(text_check("", 0, TEXT_EMPTY_OK | TEXT_MULTILINE), 0,
	    "empty allowed even with max 0");
	T_INT(text_check(" ", 10, 0), 0, "a single space is not empty");

	/* Length is counted in code points: Cyrillic is 2 bytes, 1 char. */
	T_INT(text_check("ёлка", 4, 0), 0, "4 Cyrillic letters (8 bytes) fit in 4");
	T_INT(text_check("ёлка", 3, 0), PERR_TOOLONG, "4 Cyrillic letters exceed 3");
	T_INT(text_check("Привет, мир", 11, 0), 0, "11 chars / 20 bytes fit in 11");
	T_INT(text_check("Привет, мир", 10, 0), PERR_TOOLONG, "... but not in 10");
	T_INT(text_check("漢字😀", 3, 0), 0, "3- and 4-byte characters count 1 each");
	T_INT(text_check("漢字😀", 2, 0), PERR_TOOLONG, "... 3 of them exceed 2");
	T_INT(text_check("abcd", 4, 0), 0, "ASCII at the limit");
	T_INT(text_check("abcde", 4, 0), PERR_TOOLONG, "ASCII one over the limit");

	T_INT(text_check("строка\nещё", 100, 0), PERR_MULTILINE,
	    "newline refused without TEXT_MULTILINE");
	T_INT(text_check("строка\nещё", 100, TEXT_MULTILINE), 0,
	    "newline allowed with TEXT_MULTILINE");
	T_INT(text_check("\n", 100, TEXT_MULTILINE), 0, "a lone newline, multi-line");
	T_INT(text_check("\n", 100, 0), PERR_MULTILINE, "a lone newline, one line");
	T_INT(text_check("a\r\nb", 100, TEXT_MULTILINE), PERR_CONTROL,
	    "CR is a control even in multi-line text");
	T_INT(text_check("a\tb", 100, TEXT_MULTILINE), PERR_CONTROL, "tab is refused");

	T_INT(text_check("red \x1b[31mtext", 100, 0), PERR_CONTROL, "ESC [31m refused");
	T_INT(text_check("\x1b[31m", 100, TEXT_MULTILINE | TEXT_EMPTY_OK),
	    PERR_CONTROL, "ESC refused whatever the flags");
	T_INT(text_check("\x1b]0;owned\x07", 100, 0), PERR_CONTROL, "OSC title refused");
	T_INT(text_check("a\x7f", 100, 0), PERR_CONTROL, "DEL refused");
	T_INT(text_check("a\x08", 100, 0), PERR_CONTROL, "backspace refused");
	T_INT(text_check("\xc2\x9b" "2J", 100, 0), PERR_CONTROL, "C1 CSI U+009B refused");
	T_INT(text_check("\xc2\x80", 100, 0), PERR_CONTROL, "C1 U+0080 refused");
	T_INT(text_check("\xc2\x9f", 100, 0), PERR_CONTROL, "C1 U+009F refused");
	T_INT(text_check("\xc2\xa0", 100, 0), 0, "U+00A0 (after C1) is allowed");
	T_INT(text_check("abc\xe2\x80\xae" "dcba", 100, 0), PERR_CONTROL,
	    "BiDi override U+202E refused");
	T_INT(text_check("\xe2\x80\xaa", 100, 0), PERR_CONTROL, "BiDi U+202A refused");
	T_INT(text_check("\xe2\x81\xa6", 100, 0), PERR_CONTROL, "BiDi isolate U+2066 refused");
	T_INT(text_check("\xe2\x80\x8f", 100, 0), PERR_CONTROL, "RLM U+200F refused");
	T_INT(text_check("\xd8\x9c", 100, 0), PERR_CONTROL, "Arabic letter mark U+061C refused");
	T_INT(text_check("a\xe2\x80\xa8" "b", 100, TEXT_MULTILINE), PERR_CONTROL,
	    "line separator U+2028 refused");

	T_INT(text_check("\xff", 100, 0), PERR_UTF8, "bare 0xff refused");
	T_INT(text_check("abc\xff", 100, 0), PERR_UTF8, "0xff after text refused");
	T_INT(text_check("\x9b" "2J", 100, 0), PERR_UTF8, "raw C1 byte 0x9b refused");
	T_INT(text_check("\x80", 100, 0), PERR_UTF8, "lone continuation byte refused");
	T_INT(text_check("\xd0", 100, 0), PERR_UTF8, "truncated 2-byte sequence refused");
	T_INT(text_check("\xd0" "a", 100, 0), PERR_UTF8, "2-byte lead then ASCII refused");
	T_INT(text_check("\xe2\x80", 100, 0), PERR_UTF8, "truncated 3-byte sequence refused");
	T_INT(text_check("\xf0\x9f\x98", 100, 0), PERR_UTF8, "truncated 4-byte sequence refused");
	T_INT(text_check("\xc0\xaf", 100, 0), PERR_UTF8, "overlong \"/\" (c0 af) refused");
	T_INT(text_check("\xe0\x80\xaf", 100, 0), PERR_UTF8, "3-byte overlong refused");
	T_INT(text_check("\xc1\xbf", 100, 0), PERR_UTF8, "overlong c1 bf refused");
	T_INT(text_check("\xed\xa0\x80", 100, 0), PERR_UTF8, "surrogate U+D800 refused");
	T_INT(text_check("\xed\xbf\xbf", 100, 0), PERR_UTF8, "surrogate U+DFFF refused");
	T_INT(text_check("\xf4\x90\x80\x80", 100, 0), PERR_UTF8, "above U+10FFFF refused");
	T_INT(text_check("\xf8\x88\x80\x80\x80", 100, 0), PERR_UTF8, "5-byte form refused");
	T_INT(text_check("\xce\xf2\xf7\xb8\xf2", 100, 0), PERR_UTF8,
	    "CP1251 bytes are not UTF-8");

	T_OK(text_is_control(0x1b), "text_is_control(ESC)");
	T_OK(text_is_control('\n'), "text_is_control(newline): callers decide");
	T_OK(text_is_control(0x9b), "text_is_control(U+009B)");
	T_OK(text_is_control(0x202e), "text_is_control(U+202E)");
	T_OK(!text_is_control('a'), "!text_is_control('a')");
	T_OK(!text_is_control(0x0439), "!text_is_control(й)");
	T_OK(!text_is_control(0x04d9), "!text_is_control(ә)");
	T_OK(!text_is_control(0x0301), "!text_is_control(combining acute)");
	T_OK(!text_is_control(0xfffd), "!text_is_control(U+FFFD)");
}

static void
nfc_is(const char *in, const char *want, const char *what)
{
	char	*out = text_nfc(in);

	T_STR(out, want, "text_nfc: %s", what);
	free(out);
}

static void
test_nfc(void)
{
	char	*out;

	nfc_is("и\xcc\x86", "й", "и + U+0306 becomes й");
	nfc_is("И\xcc\x86", "Й", "И + U+0306 becomes Й");
	nfc_is("е\xcc\x88", "ё", "е + U+0308 becomes ё");
	nfc_is("Е\xcc\x88" "лка", "Ёлка", "Е + U+0308 becomes Ё");
	nfc_is("\xd0\xb8\xcc\x86" "од", "\xd0\xb9" "од", "decomposed й as bytes");
	nfc_is("e\xcc\x81", "\xc3\xa9", "Latin e + acute becomes é");
	nfc_is("ударе\xcc\x81ние", "ударе\xcc\x81ние",
	    "Cyrillic е + stress has no precomposed form and stays");
	nfc_is("Әнкәм өйдә", "Әнкәм өйдә", "Tatar text is already NFC");
	nfc_is("", "", "empty string");
	T_OK(text_nfc("\xff") == NULL, "text_nfc of invalid UTF-8 is NULL");
	T_OK(text_nfc("\xed\xa0\x80") == NULL, "text_nfc of a surrogate is NULL");
	T_OK(text_nfc("a\xd0") == NULL, "text_nfc of truncated UTF-8 is NULL");

	out = text_nfc("и\xcc\x86");
	T_INT(out != NULL ? text_check(out, 1, 0) : -100, 0,
	    "NFC of decomposed й is 1 code point");
	free(out);
}

static void
sanitize_is(const char *in, int nl, const char *want, const char *what)
{
	char	*out = text_sanitize(in, nl);

	T_STR(out, want, "text_sanitize: %s", what);
	free(out);
}

static void
test_sanitize(void)
{
	sanitize_is("Привет, мир! Әнкәм өйдә.", 0, "Привет, мир! Әнкәм өйдә.",
	    "Cyrillic and Tatar are kept");
	sanitize_is("ударе\xcc\x81ние", 0, "ударе\xcc\x81ние", "combining stress kept");
	sanitize_is("hello\x1b[2Jpwned", 0, "hello" FFFD "[2Jpwned",
	    "ESC becomes U+FFFD");
	sanitize_is("\xc2\x9b" "2J", 0, FFFD "2J", "C1 U+009B becomes one U+FFFD");
	sanitize_is("\x9b" "2J", 0, FFFD "2J", "raw byte 0x9b becomes U+FFFD");
	sanitize_is("a\xffz", 0, "a" FFFD "z", "0xff becomes U+FFFD");
	sanitize_is("\xc0\xaf", 0, FFFD FFFD, "overlong: one U+FFFD per byte");
	sanitize_is("\xed\xa0\x80", 0, FFFD FFFD FFFD, "surrogate: one per byte");
	sanitize_is("я\xd0", 0, "я" FFFD, "truncated sequence at the end");
	sanitize_is("\xd0я", 0, FFFD "я", "truncated sequence resynchronises");
	sanitize_is("abc\xe2\x80\xae" "dcba", 0, "abc" FFFD "dcba", "BiDi override");
	sanitize_is("a\tb", 0, "a b", "tab becomes a space");
	sanitize_is("a\nb", 0, "a b", "newline becomes a space when not kept");
	sanitize_is("a\nb", 1, "a\nb", "newline kept when asked");
	sanitize_is("a\r\nb", 1, "a" FFFD "\nb", "CR becomes U+FFFD");
	sanitize_is("a\x7f", 1, "a" FFFD, "DEL becomes U+FFFD");
	sanitize_is("", 0, "", "empty stays empty");
	/* Worst case for the output buffer: every byte grows to 3. */
	sanitize_is("\x01\x02\x03\xff\xfe", 0, FFFD FFFD FFFD FFFD FFFD,
	    "every byte replaced (output 3x input)");
}

static void
test_width(void)
{
	static const struct t_int_case c[] = {
		{ "", 0, "width of \"\"" },
		{ "abc", 3, "width of ASCII" },
		{ "Привет", 6, "Cyrillic is 1 column each (12 bytes)" },
		{ "ёЁйЙъ", 5, "ё Ё й Й ъ are 1 column each" },
		{ "әөүҗңһ", 6, "Tatar letters are 1 column each" },
		{ "е\xcc\x81", 1, "combining stress U+0301 is 0 columns" },
		{ "и\xcc\x86", 1, "decomposed й is 1 column" },
		{ "漢字", 4, "CJK is 2 columns each" },
		{ "\xf0\x9f\x98\x80", 2, "emoji U+1F600 is 2 columns" },
		{ "漢字 😀 ок", 10, "mixed line" },
		{ "\xff", 1, "an invalid byte counts as its U+FFFD, 1 column" },
	};

	t_ints(c, nitems(c), text_width);
}

/* Check text_fit(s, cols) against its contract. */
static int
fit_ok(const char *s, int cols, size_t *fit_out, const char **why)
{
	size_t			 len = strlen(s), fit = text_fit(s, cols), pos;
	char			*prefix;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	int			 w, cat;

	*fit_out = fit;
	*why = NULL;
	if (fit > len) {
		*why = "beyond the end";
		return 0;
	}
	prefix = strndup(s, fit);
	w = text_width(prefix);
	free(prefix);
	if (w > (cols < 0 ? 0 : cols)) {
		*why = "wider than cols";
		return 0;
	}
	if (fit == len)
		return 1;
	/* fit must fall on a character boundary, walking as text.c does
	 * (an invalid byte is a character of its own). */
	for (pos = 0; pos < fit; pos += (size_t)(n > 0 ? n : 1))
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + pos, -1, &cp);
	if (pos != fit) {
		*why = "splits a character";
		return 0;
	}
	n = utf8proc_iterate((const utf8proc_uint8_t *)s + fit, -1, &cp);
	if (n <= 0)
		return 1;	/* invalid byte: nothing to keep together */
	cat = utf8proc_category(cp);
	if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME) {
		*why = "separates a combining mark from its base";
		return 0;
	}
	if (w + utf8proc_charwidth(cp) <= cols) {
		*why = "stops although the next character fits";
		return 0;
	}
	return 1;
}

static void
fit_is(const char *s, int cols, size_t want, const char *what)
{
	size_t		 fit;
	const char	*why;
	int		 ok = fit_ok(s, cols, &fit, &why);

	T_INT(fit, want, "text_fit: %s", what);
	T_OK(ok, "text_fit contract: %s%s%s", what, why ? ": " : "", why ? why : "");
}

/* Every line of file at every width from 0 to one past its own. */
static void
test_fit_corpus(const char *file)
{
	size_t		 len, lines = 0, checks = 0, bad = 0, fit;
	char		*buf = t_data(file, &len), *line, *p, *nl;
	const char	*why;
	int		 cols, w;

	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			break;
		line = strndup(p, (size_t)(nl - p));	/* stops at a NUL */
		lines++;
		w = text_width(line);
		for (cols = 0; cols <= w + 1; cols++) {
			checks++;
			if (!fit_ok(line, cols, &fit, &why)) {
				if (bad++ < 5)
					printf("#   %s line %zu cols %d: %s\n",
					    file, lines, cols, why);
			}
		}
		T_INT(text_fit(line, w), strlen(line),
		    "text_fit(%s line %zu, its width) is the whole line", file, lines);
		free(line);
	}
	T_INT(bad, 0, "text_fit contract holds on %zu cuts of %s", checks, file);
	free(buf);
}

static void
test_fit(void)
{
	fit_is("Привет", 3, 6, "3 Cyrillic letters are 6 bytes");
	fit_is("Привет", 0, 0, "0 columns fit nothing");
	fit_is("Привет", -1, 0, "negative columns fit nothing");
	fit_is("Привет", 100, 12, "wide enough: the whole string");
	fit_is("", 5, 0, "empty string");
	fit_is("до\xcc\x81рога", 2, 6, "a stress mark stays with its letter");
	fit_is("до\xcc\x81рога", 1, 2, "a letter that does not fit takes its mark along");
	fit_is("о\xcc\x81\xcc\x88\xcc\x86x", 1, 8, "several marks stay with their letter");
	fit_is("и\xcc\x86" "ёж", 1, 4, "decomposed й is not split");
	fit_is("漢字", 1, 0, "a wide char does not fit in 1 column");
	fit_is("漢字", 2, 3, "one wide char in 2 columns");
	fit_is("漢字", 3, 3, "a wide char is never cut in half");
	fit_is("漢字", 4, 6, "two wide chars in 4 columns");
	fit_is("a漢", 2, 1, "ASCII then a wide char that does not fit");
	fit_is("\xf0\x9f\x98\x80!", 2, 4, "emoji is 2 columns, 4 bytes");
	fit_is("\xf0\x9f\x98\x80!", 1, 0, "emoji not cut");
	fit_is("ab\xff" "cd", 3, 3, "an invalid byte counts one column");

	test_fit_corpus("ru.txt");
	test_fit_corpus("tt.txt");
	test_fit_corpus("tricky.bin");
}

static void
test_trim(void)
{
	char	 a[] = "  \tПривет мир \n", b[] = "   ", c[] = "",
		 d[] = "\xc2\xa0Ёлка\xc2\xa0", e[] = "x\xc2\x85";

	T_STR(text_trim(a), "Привет мир", "text_trim: ASCII blanks at both ends");
	T_STR(text_trim(b), "", "text_trim: all blanks");
	T_STR(text_trim(c), "", "text_trim: empty");
	/* In the C.UTF-8 locale partad runs in, isspace() must not take a
	 * byte of a UTF-8 sequence (NBSP is c2 a0, NEL c2 85) for a blank. */
	setlocale(LC_ALL, "C.UTF-8");
	T_STR(text_trim(d), "\xc2\xa0Ёлка\xc2\xa0", "text_trim leaves NBSP whole");
	T_STR(text_trim(e), "x\xc2\x85", "text_trim leaves U+0085's bytes whole");
	setlocale(LC_ALL, "C");
}

/*
 * tricky.bin: for every line, what text_sanitize makes of it must be safe
 * for a terminal (judged independently) and acceptable to text_check.
 * Lines holding NUL are cut there by any C string API, so each NUL-free
 * piece is checked.
 */
static void
test_tricky(void)
{
	static const struct {
		const char	*name;
		int		 check;	/* text_check of the raw bytes */
	} expect[] = {
		{ "nfd-yo-y", 0 },
		{ "stress", 0 },
		{ "homoglyph-latin-in-cyr", 0 },
		{ "homoglyph-cyr-admin", 0 },
		{ "ansi-clear", PERR_CONTROL },
		{ "osc-title", PERR_CONTROL },
		{ "c1-csi-raw", PERR_UTF8 },
		{ "nul", 0 },		/* "before", cut at the NUL */
		{ "backspaces", PERR_CONTROL },
		{ "bidi-override", PERR_CONTROL },
		{ "zero-width", 0 },
		{ "zalgo", 0 },
		{ "wide-cjk-emoji", 0 },
		{ "overlong-slash", PERR_UTF8 },
		{ "surrogate-utf8", PERR_UTF8 },
		{ "truncated-utf8", PERR_UTF8 },
		{ "cp1251-bytes", PERR_UTF8 },
		{ "koi8-bytes", PERR_UTF8 },
		{ "long-word", 0 },
		{ "path-traversal", 0 },
		{ "windows-forbidden", 0 },
		{ "sql-ish", 0 },
		{ "format-string", 0 },
	};
	size_t		 len, lines = 0, pieces = 0, i, plen, bad = 0, nn;
	char		*buf = t_data("tricky.bin", &len), *p, *nl, *tab, *q;
	char		*raw, *name, *out;
	const char	*why;
	int		 nl_kept, rc;

	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			break;
		lines++;
		if ((tab = memchr(p, '\t', (size_t)(nl - p))) == NULL) {
			T_OK(0, "tricky.bin line %zu has a tab", lines);
			continue;
		}
		name = strndup(p, (size_t)(tab - p));
		for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
			if (strcmp(expect[i].name, name) == 0)
				break;
		raw = strndup(tab + 1, (size_t)(nl - tab - 1));
		if (i < sizeof(expect) / sizeof(expect[0]))
			T_INT(text_check(raw, 100000, TEXT_EMPTY_OK), expect[i].check,
			    "tricky %s: text_check of the raw line", name);
		else
			T_OK(0, "tricky %s: an expectation for this line", name);
		free(raw);

		/* Each NUL-free piece, sanitised with and without newlines. */
		for (q = tab + 1; q <= nl; q += plen + 1) {
			plen = strnlen(q, (size_t)(nl - q));
			raw = strndup(q, plen);
			pieces++;
			for (nl_kept = 0; nl_kept <= 1; nl_kept++) {
				out = text_sanitize(raw, nl_kept);
				nn = strlen(out);
				why = terminal_unsafe(out, nn, nl_kept);
				rc = text_check(out, SIZE_MAX, TEXT_EMPTY_OK |
				    (nl_kept ? TEXT_MULTILINE : 0));
				if (why != NULL || rc != 0) {
					bad++;
					printf("#   %s (newlines %d): %s, text_check %d\n",
					    name, nl_kept, why ? why : "safe", rc);
				}
				/* Clean input must come out byte for byte. */
				if (text_check(raw, SIZE_MAX, TEXT_EMPTY_OK) == 0 &&
				    strcmp(out, raw) != 0) {
					bad++;
					printf("#   %s: valid text was changed\n", name);
				}
				free(out);
			}
			free(raw);
		}
		free(name);
	}
	T_INT(lines, 23, "tricky.bin has 23 lines");
	T_OK(pieces > lines, "the NUL line was split into pieces (%zu)", pieces);
	T_INT(bad, 0, "text_sanitize output of every tricky.bin line is safe, "
	    "valid UTF-8 and passes text_check");
	free(buf);
}

static void
test_fold(void)
{
	static const struct t_map_case cases[] = {
		{ "Ёлка", "елка", "Ё folds to е" },
		{ "ЕЛКИ", "елки", "Cyrillic capitals fold" },
		{ "ёжик", "ежик", "ё folds to е" },
		{ "Зайка", "зайка", "й stays й" },
		{ "И\xcc\x86од", "йод", "decomposed Й becomes й, not и" },
		{ "ӘНКӘМ", "әнкәм", "Tatar ә folds" },
		{ "ӨЙДӘ ҮҢ ҖӘЙ ҺӘМ", "өйдә үң җәй һәм", "Tatar ө ү ң җ һ fold" },
		{ "Parta BBS", "parta bbs", "Latin folds" },
		{ "", "", "empty stays empty" },
	};
	char	*f;

	t_maps(cases, nitems(cases), text_fold, "text_fold");
	f = text_fold("a\xff" "b");
	T_STR(f, "a\xef\xbf\xbd" "b", "text_fold: an invalid byte becomes U+FFFD");
	free(f);
}

/* Rows of s as text_wrap cuts them, joined with '|'. */
static char *
wrap_rows(const char *s, int cols)
{
	static char	 out[512];
	size_t		 len = 0, cut, next;

	out[0] = '\0';
	do {
		cut = text_wrap(s, cols, &next);
		if (len > 0)
			out[len++] = '|';
		memcpy(out + len, s, cut);
		len += cut;
		out[len] = '\0';
		s += next;
	} while (*s != '\0' && len < sizeof(out) - 64);
	return out;
}

static void
test_wrap(void)
{
	T_STR(wrap_rows("Ёлка в школе", 20), "Ёлка в школе", "wrap: what fits is one row");
	T_STR(wrap_rows("Ёлка в школе", 8), "Ёлка в|школе", "wrap: at the last space that fits");
	T_STR(wrap_rows("Ёлка  в", 5), "Ёлка |в", "wrap: spaces at the break are skipped");
	T_STR(wrap_rows("Достопримечательность", 8), "Достопри|мечатель|ность",
	    "wrap: a word longer than the row is cut between letters");
	T_STR(wrap_rows("", 10), "", "wrap: an empty paragraph is one empty row");
	T_STR(wrap_rows("абв   ", 3), "абв", "wrap: trailing spaces make no empty row");
	/* Too narrow for a wide character: it still takes a row of its own. */
	T_STR(wrap_rows("\xe4\xb8\xad\xe6\x96\x87", 1), "\xe4\xb8\xad|\xe6\x96\x87",
	    "wrap: one whole character per row when nothing fits");
	/* A combining stress mark stays with its letter. */
	T_STR(wrap_rows("уда\xcc\x81р", 3), "уда\xcc\x81|р",
	    "wrap: combining marks stay with their letter");
	T_STR(wrap_rows("а\xcc\x81", 0), "а\xcc\x81",
	    "wrap: width 0 still advances by a character and its marks");
}

/* Days as typed into date fields (TZ is UTC here). */
static void
test_parse_day(void)
{
	static const struct t_int_case c[] = {
		{ "22.11.2026", 1795305600, "day: DD.MM.YYYY, as parta writes" },
		{ "2026-11-22", 1795305600, "day: YYYY-MM-DD" },
		{ "2.3.2026", 1772409600, "day: D.M.YYYY" },
		{ "01.01.1970", 0, "day: the epoch" },
		{ "31.02.2026", -1, "day: 31 February is refused" },
		{ "2026-02-31", -1, "day: so in ISO" },
		{ "22.11.26", -1, "day: a two-digit year is refused" },
		{ "2026-9-1", -1, "day: ISO needs two digits" },
		{ "22.11.2026 ", -1, "day: nothing after it" },
		{ "22-11-2026", -1, "day: another form" },
		{ "31.12.1969", -1, "day: before 1970" },
		{ "", -1, "day: empty" },
	};
	int64_t	 t;
	size_t	 i;
	int	 rc;

	for (i = 0; i < nitems(c); i++) {
		rc = text_parse_day(c[i].in, 0, &t);
		T_INT(rc == 0 ? t : -1, c[i].want, "%s", c[i].what);
	}
	T_INT(text_parse_day("22.11.2026", 1, &t), 0, "day: its last second");
	T_INT(t, 1795305600 + 86399, "... is 23:59:59");
}

static void
test_date(void)
{
	char	 buf[32];
	int64_t	 t = 1795359780;	/* 22.11.2026 15:03 UTC */

	setenv("TZ", "UTC", 1);
	T_STR(text_date(t, TEXT_DATE_DAY, buf, sizeof(buf)), "22.11.2026", "date: day");
	T_STR(text_date(t, TEXT_DATE_MINUTE, buf, sizeof(buf)), "22.11.2026 15:03",
	    "date: day and minute");
	T_STR(text_date(t, TEXT_DATE_ISO_DAY, buf, sizeof(buf)), "2026-11-22", "date: ISO day");
	T_STR(text_date(t, TEXT_DATE_ISO_MINUTE, buf, sizeof(buf)), "2026-11-22 15:03",
	    "date: ISO minute");
	T_STR(text_date(0, TEXT_DATE_MINUTE, buf, sizeof(buf)), "-", "date: 0 is never");
	T_STR(text_date(0, TEXT_DATE_LS, buf, sizeof(buf)), "Jan  1  1970",
	    "date: ls style shows the epoch with its year");
	T_STR(text_date(t, TEXT_DATE_MINUTE, buf, 4), "-",
	    "date: a buffer too small gives -");
	test_parse_day();
}

/* Text from a file (parta-sysop post, news, broadcast): Windows line
 * ends and tabs are taken, refusals say where and what. */
static void
test_from_file(void)
{
	static const struct t_map_case cases[] = {
		{ "a\r\nb\r\n", "a\nb\n", "CRLF becomes LF" },
		{ "a\rb", "a\nb", "a lone CR becomes LF" },
		{ "a\r\n\r\nb", "a\n\nb", "an empty CRLF line stays a line" },
		{ "\tx", "        x", "a tab at the start: 8 spaces" },
		{ "abc\tx", "abc     x", "a tab after 3 columns: to column 8" },
		{ "abcdefgh\tx", "abcdefgh        x", "a tab at a stop: 8 more" },
		{ "ёлка\t1\nab\t2", "ёлка    1\nab      2",
		    "Cyrillic counts in columns, and a newline restarts them" },
		{ "a\t\tb", "a               b", "two tabs" },
		{ "x\xff\ty", "x\xff      y", "an invalid byte is left and counts 1" },
		{ "", "", "empty" },
	};
	size_t	 line;
	int32_t	 cp;
	char	*got;

	t_maps(cases, nitems(cases), text_from_file, "text_from_file");
	got = text_from_file("Строка 1\r\n\tСтрока 2\r\n");
	T_INT(text_check(got, 1000, TEXT_MULTILINE), 0,
	    "a Windows file with a tab passes text_check once taken");
	free(got);

	T_INT(text_find_bad("ok\nok", &line, &cp), 0, "text_find_bad: clean text");
	T_INT(text_find_bad("a\nb\nc\033[2J", &line, &cp), PERR_CONTROL,
	    "ESC on line 3 is refused");
	T_INT(line, 3, "... on line 3");
	T_INT(cp, 0x1b, "... the character is U+001B");
	T_STR(text_control_name(cp), "ESC", "... named ESC");
	T_INT(text_find_bad("a\n\xd0", &line, &cp), PERR_UTF8,
	    "a cut UTF-8 sequence is refused");
	T_INT(line, 2, "... on line 2");
	T_INT(cp, 0xd0, "... the byte is 0xD0");
	T_INT(text_find_bad("\xe2\x80\xae", &line, &cp), PERR_CONTROL,
	    "RLO is refused");
	T_STR(text_control_name(cp), "RLO", "... named RLO");
	T_STR(text_control_name(0x9b), "CSI", "C1 0x9B is CSI");
	T_STR(text_control_name(0x7f), "DEL", "0x7F is DEL");
	T_STR(text_control_name(0), "NUL", "0 is NUL");
	T_OK(text_control_name('a') == NULL, "a letter has no control name");
	for (cp = 0; cp < 0x3000; cp++)
		if (text_is_control(cp) && text_control_name(cp) == NULL)
			break;
	T_INT(cp, 0x3000, "every control text_is_control names has a name");
}

/* Default_Ignorable_Code_Point: invisible, so refused in names. */
static void
test_invisible(void)
{
	static const int32_t	 yes[] = { 0x200b, 0x200c, 0x200d, 0x00ad,
	    0x2060, 0xfeff, 0xfe0f, 0x034f, 0x115f, 0x3164, 0xe0041 };
	static const int32_t	 no[] = { 'a', ' ', 0x0430, 0x0301, 0x00a0,
	    0x04d9, 0x2013 };
	char			 buf[64];
	size_t			 i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		T_INT(text_is_invisible(yes[i]), 1, "U+%04X is invisible",
		    (unsigned)yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		T_INT(text_is_invisible(no[i]), 0, "U+%04X is not",
		    (unsigned)no[i]);
	snprintf(buf, sizeof(buf), "%s", "Ма\xe2\x80\x8bрия\xe2\x80\x8d");
	T_STR(text_strip_invisible(buf), "Мария", "text_strip_invisible");
	snprintf(buf, sizeof(buf), "%s", "\xe2\x80\x8b");
	T_STR(text_strip_invisible(buf), "", "... down to nothing");
	T_INT(text_check("Ма\xe2\x80\x8bрия", 64, TEXT_NAME), PERR_INVISIBLE,
	    "a name with a zero width space is refused");
	T_INT(text_check("Ма\xe2\x80\x8bрия", 64, 0), 0,
	    "other text may have one (emoji sequences)");
	T_INT(text_check("Ма\xcc\x81рия", 64, TEXT_NAME), 0,
	    "a stress mark is not invisible");
}

int
main(void)
{
	test_from_file();
	test_fold();
	test_invisible();
	test_check();
	test_nfc();
	test_sanitize();
	test_width();
	test_fit();
	test_trim();
	test_wrap();
	test_date();
	test_tricky();
	return t_done();
}
