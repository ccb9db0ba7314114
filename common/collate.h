/*
 * collate.h: Russian alphabetical order for lists of names and titles.
 *
 * Case is ignored at first (а Б в), ё is a letter of its own right after
 * е, the Tatar and Buryat letters follow their base letters (ә after а,
 * ө after о, ү after у, җ after ж, ң after н, һ after х), Latin comes
 * before Cyrillic, digits and punctuation before letters; stress marks
 * do not count.  Strings equal so far are ordered lower case first, then
 * byte for byte, so the order is total and stable.
 *
 * SQLite knows it as the collation "RU" on every connection store_open()
 * makes (ORDER BY display_name COLLATE RU), together with the function
 * fold(x), which is text_fold() for case-insensitive matching in SQL
 * (WHERE instr(fold(title), fold(?)) > 0), and ru_key(x), a BLOB in
 * that order for a column an index keeps sorted (online.c).
 */
#ifndef PARTA_COLLATE_H
#define PARTA_COLLATE_H

#include <stddef.h>

#include <sqlite3.h>

/* Compare UTF-8 (NFC) strings of the given byte lengths: <0, 0 or >0. */
int	 collate_cmp(const char *a, int alen, const char *b, int blen);

/* The same for NUL-terminated strings; usable with qsort wrappers. */
int	 collate_strcmp(const char *a, const char *b);

/* A sort key of the first len bytes of s: memcmp of two keys (then the
 * shorter first) orders as collate_cmp() does, so an index can keep the
 * order.  Malloc'd, *keylen bytes, not NUL-terminated; the caller frees
 * it.  SQL knows it as ru_key(x), a BLOB. */
char	*collate_key(const char *s, int len, size_t *keylen);
/* Register the collation "RU" and the function fold() on db; 0 or -1. */
int	 collate_register(sqlite3 *db);

#endif
