/*
 * collate.c: the Russian order of collate.h, in C and as SQLite's
 * collation "RU".  SQLite's own BINARY puts Ё before А and ё after я and
 * NOCASE folds ASCII only, so lists of Cyrillic names need this.
 *
 * Each code point gets a primary weight; two strings compare by their
 * weights, skipping marks of zero width, then by case, then by bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "collate.h"
#include "text.h"
#include "util.h"

/* The Cyrillic letters in order, lower case; Tatar, Buryat, Ukrainian
 * and Belarusian letters after the Russian letter they resemble:
 * а ә б в г ґ д е ё є ж җ з и і ї й к л м н ң о ө п р с т у ү ў ф х һ
 * ц ч ш щ ъ ы ь э ю я. */
static const int32_t alphabet[] = {
	0x0430, 0x04d9, 0x0431, 0x0432, 0x0433, 0x0491, 0x0434, 0x0435,
	0x0451, 0x0454, 0x0436, 0x0497, 0x0437, 0x0438, 0x0456, 0x0457,
	0x0439, 0x043a, 0x043b, 0x043c, 0x043d, 0x04a3, 0x043e, 0x04e9,
	0x043f, 0x0440, 0x0441, 0x0442, 0x0443, 0x04af, 0x045e, 0x0444,
	0x0445, 0x04bb, 0x0446, 0x0447, 0x0448, 0x0449, 0x044a, 0x044b,
	0x044c, 0x044d, 0x044e, 0x044f
};

#define W_LATIN		0x1000
#define W_CYRILLIC	0x2000
#define W_OTHER		0x100000

/* The primary weight of cp (lower-cased); 0 for marks that do not count. */
static int32_t
weight(int32_t cp)
{
	utf8proc_int32_t	 d[4];
	size_t			 i;

	if (cp >= 0x80 && utf8proc_charwidth(cp) == 0 &&
	    utf8proc_category(cp) != UTF8PROC_CATEGORY_CC)
		return 0;
	cp = utf8proc_tolower(cp);
	if (cp >= 'a' && cp <= 'z')
		return W_LATIN + (cp - 'a') * 4;
	if (cp < 0x80)
		return cp;		/* blanks, digits, punctuation */
	for (i = 0; i < nitems(alphabet); i++)
		if (alphabet[i] == cp)
			return W_CYRILLIC + (int32_t)i * 4;
	if (cp >= 0x400 && cp <= 0x52f)
		return W_CYRILLIC + 0x400 + cp;
	/* Latin with an accent: as its base letter (the bytes decide
	 * between "Abel" and "Ábel"). */
	if (cp < 0x250 && utf8proc_decompose_char(cp, d, nitems(d),
	    UTF8PROC_DECOMPOSE, NULL) > 1 && d[0] >= 'a' && d[0] <= 'z')
		return W_LATIN + (d[0] - 'a') * 4;
	return W_OTHER + cp;
}

/* The next code point of s[*i..len), or -1 at the end; bad bytes are
 * U+FFFD. */
static int32_t
next_cp(const char *s, int len, int *i)
{
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;

	if (*i >= len)
		return -1;
	n = utf8proc_iterate((const utf8proc_uint8_t *)s + *i, len - *i, &cp);
	if (n <= 0) {
		(*i)++;
		return 0xfffd;
	}
	*i += (int)n;
	return cp;
}

/* Compare by primary weights, or by case when by_case is set. */
static int
pass(const char *a, int alen, const char *b, int blen, int by_case)
{
	int	 i = 0, j = 0;
	int32_t	 ca, cb, wa, wb;

	for (;;) {
		do {
			ca = next_cp(a, alen, &i);
			wa = ca < 0 ? -1 : weight(ca);
		} while (wa == 0);
		do {
			cb = next_cp(b, blen, &j);
			wb = cb < 0 ? -1 : weight(cb);
		} while (wb == 0);
		if (wa < 0 || wb < 0)
			return (wa >= 0) - (wb >= 0);
		if (by_case) {
			/* Lower case first: "ёлка" before "Ёлка". */
			wa = utf8proc_tolower(ca) != ca;
			wb = utf8proc_tolower(cb) != cb;
		}
		if (wa != wb)
			return wa < wb ? -1 : 1;
	}
}

int
collate_cmp(const char *a, int alen, const char *b, int blen)
{
	int	 r;

	if ((r = pass(a, alen, b, blen, 0)) != 0 ||
	    (r = pass(a, alen, b, blen, 1)) != 0)
		return r;
	r = memcmp(a, b, (size_t)(alen < blen ? alen : blen));
	return r != 0 ? r : (alen > blen) - (alen < blen);
}

int
collate_strcmp(const char *a, const char *b)
{
	return collate_cmp(a, (int)strlen(a), b, (int)strlen(b));
}

/* Append n bytes to the key being built. */
static void
key_put(char **k, size_t *len, size_t *cap, const void *p, size_t n)
{
	if (*len + n > *cap) {
		*cap = (*len + n) * 2;
		*k = xrealloc(*k, *cap);
	}
	memcpy(*k + *len, p, n);
	*len += n;
}

/*
 * The three passes of collate_cmp() written one after the other, so
 * that memcmp does what they do: the primary weights (below 2^24, three
 * bytes each, high first) and three zero bytes, one byte of case for
 * each of them and a zero, then the bytes.  Both keys of equal primary
 * weights have as many case bytes, so the parts line up.
 */
char *
collate_key(const char *s, int len, size_t *keylen)
{
	char		*k = NULL;
	size_t		 n = 0, cap = 0;
	unsigned char	 b[3];
	int		 i, by_case;
	int32_t		 cp, w;

	for (by_case = 0; by_case < 2; by_case++) {
		i = 0;
		while ((cp = next_cp(s, len, &i)) >= 0) {
			if ((w = weight(cp)) == 0)
				continue;
			if (by_case) {
				b[0] = utf8proc_tolower(cp) != cp ? 2 : 1;
				key_put(&k, &n, &cap, b, 1);
				continue;
			}
			b[0] = (unsigned char)(w >> 16);
			b[1] = (unsigned char)(w >> 8);
			b[2] = (unsigned char)w;
			key_put(&k, &n, &cap, b, 3);
		}
		memset(b, 0, sizeof(b));
		key_put(&k, &n, &cap, b, by_case ? 1 : 3);
	}
	key_put(&k, &n, &cap, s, (size_t)len);
	*keylen = n;
	return k;
}

/* ru_key(x): collate_key() in SQL; NULL stays NULL. */
static void
sql_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char	*s;
	char		*k;
	size_t		 n;

	(void)argc;
	if ((s = (const char *)sqlite3_value_text(argv[0])) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	k = collate_key(s, sqlite3_value_bytes(argv[0]), &n);
	sqlite3_result_blob(ctx, k, (int)n, free);
}

static int
sql_collate(void *arg, int alen, const void *a, int blen, const void *b)
{
	(void)arg;
	return collate_cmp(a, alen, b, blen);
}

static void
sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*s;
	char			*f;

	(void)argc;
	if ((s = sqlite3_value_text(argv[0])) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	f = text_fold((const char *)s);
	sqlite3_result_text(ctx, f, -1, free);
}

int
collate_register(sqlite3 *db)
{
	if (sqlite3_create_collation(db, "RU", SQLITE_UTF8, NULL,
	    sql_collate) != SQLITE_OK)
		return -1;
	if (sqlite3_create_function(db, "fold", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_fold, NULL,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_create_function(db, "ru_key", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_key, NULL,
	    NULL) != SQLITE_OK)
		return -1;
	return 0;
}
