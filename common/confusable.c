/*
 * confusable.c: look-alike names (confusable.h).  The table is small
 * and deliberate: the Latin and Greek letters that a Russian, Tatar or
 * Buryat reader cannot tell from Cyrillic ones in the fonts of PuTTY,
 * xterm and the Linux console.  Case matters in the table (Latin "B"
 * looks like "В", Latin "b" does not), so it is applied before folding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "confusable.h"
#include "text.h"
#include "util.h"

static const struct {
	int32_t	 from, to;
} lookalike[] = {
	{ '0', 0x041e }, { '3', 0x0417 },			/* 0 О, 3 З */
	{ 'A', 0x0410 }, { 'B', 0x0412 }, { 'C', 0x0421 }, { 'E', 0x0415 },
	{ 'H', 0x041d }, { 'I', 0x0406 }, { 'J', 0x0408 }, { 'K', 0x041a },
	{ 'M', 0x041c }, { 'O', 0x041e }, { 'P', 0x0420 }, { 'S', 0x0405 },
	{ 'T', 0x0422 }, { 'X', 0x0425 }, { 'Y', 0x0423 },
	{ 'a', 0x0430 }, { 'c', 0x0441 }, { 'e', 0x0435 }, { 'h', 0x04bb },
	{ 'i', 0x0456 }, { 'j', 0x0458 }, { 'k', 0x043a }, { 'o', 0x043e },
	{ 'p', 0x0440 }, { 's', 0x0455 }, { 'x', 0x0445 }, { 'y', 0x0443 },
	{ 0x018f, 0x04d8 }, { 0x0259, 0x04d9 },			/* Ə ə: Ә ә */
	{ 0x0275, 0x04e9 },					/* ɵ: ө */
	{ 0x0391, 0x0410 }, { 0x0392, 0x0412 }, { 0x0395, 0x0415 },
	{ 0x0397, 0x041d }, { 0x039a, 0x041a }, { 0x039c, 0x041c },
	{ 0x039f, 0x041e }, { 0x03a1, 0x0420 }, { 0x03a4, 0x0422 },
	{ 0x03a7, 0x0425 }, { 0x03b1, 0x0430 }, { 0x03bf, 0x043e },
	{ 0x03c1, 0x0440 },
};

enum script { S_NONE, S_LATIN, S_CYRILLIC, S_GREEK, S_OTHER };

static enum script
script_of(int32_t cp)
{
	utf8proc_category_t	 cat = utf8proc_category(cp);

	if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO)
		return S_NONE;
	if (cp < 0x0250 || (cp >= 0x1e00 && cp <= 0x1eff))
		return S_LATIN;
	if ((cp >= 0x0400 && cp <= 0x052f) || (cp >= 0x1c80 && cp <= 0x1c8f) ||
	    (cp >= 0xa640 && cp <= 0xa69f))
		return S_CYRILLIC;
	if ((cp >= 0x0370 && cp <= 0x03ff) || (cp >= 0x1f00 && cp <= 0x1fff))
		return S_GREEK;
	return S_OTHER;
}

/* 1 for what may sit inside a word without ending it: combining marks
 * and invisible joiners. */
static int
in_word(int32_t cp)
{
	utf8proc_category_t	 cat = utf8proc_category(cp);

	return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME ||
	    cat == UTF8PROC_CATEGORY_CF;
}

int
confusable_mixed(const char *s)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	enum script		 word = S_NONE, sc;

	for (; *p != '\0'; p += n) {
		if ((n = utf8proc_iterate(p, -1, &cp)) <= 0) {
			n = 1;
			cp = 0xfffd;
		}
		sc = script_of(cp);
		if (sc == S_NONE) {
			if (!in_word(cp))
				word = S_NONE;
			continue;
		}
		if (sc == S_OTHER)
			continue;
		if (word != S_NONE && word != sc)
			return 1;
		word = sc;
	}
	return 0;
}

static int32_t
lookalike_of(int32_t cp)
{
	size_t	 i;

	for (i = 0; i < nitems(lookalike); i++)
		if (lookalike[i].from == cp)
			return lookalike[i].to;
	return cp;
}

char *
confusable_skeleton(const char *s)
{
	char			*clean = text_sanitize(s, 0), *nfc, *out;
	const utf8proc_uint8_t	*p;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	size_t			 o = 0;
	int			 blank = 1;	/* drop leading blanks */

	nfc = text_nfc(clean);
	free(clean);
	if (nfc == NULL)
		nfc = xstrdup("");
	out = xmalloc(strlen(nfc) * 2 + 4);
	for (p = (const utf8proc_uint8_t *)nfc; *p != '\0'; p += n) {
		if ((n = utf8proc_iterate(p, -1, &cp)) <= 0) {
			n = 1;
			continue;
		}
		if (cp == ' ' || cp == 0x00a0 || cp == 0xfffd ||
		    utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS) {
			if (!blank)
				out[o++] = ' ';
			blank = 1;
			continue;
		}
		if (in_word(cp) || (cp >= 0x80 && utf8proc_charwidth(cp) == 0))
			continue;	/* stress marks, zero-width joiners */
		cp = utf8proc_tolower(lookalike_of(cp));
		if (cp == 0x0451)	/* ё */
			cp = 0x0435;
		o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + o);
		blank = 0;
	}
	if (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	free(nfc);
	return out;
}

static void
sql_name_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*s;

	(void)argc;
	if ((s = sqlite3_value_text(argv[0])) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, confusable_skeleton((const char *)s), -1, free);
}

int
confusable_register(sqlite3 *db)
{
	return sqlite3_create_function(db, "name_key", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_name_key, NULL,
	    NULL) == SQLITE_OK ? 0 : -1;
}
