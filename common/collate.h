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
 * (WHERE instr(fold(title), fold(?)) > 0).
 */
#ifndef PARTA_COLLATE_H
#define PARTA_COLLATE_H

#include <sqlite3.h>

/* Compare UTF-8 (NFC) strings of the given byte lengths: <0, 0 or >0. */
int	 collate_cmp(const char *a, int alen, const char *b, int blen);

/* The same for NUL-terminated strings; usable with qsort wrappers. */
int	 collate_strcmp(const char *a, const char *b);

/* Register the collation "RU" and the function fold() on db; 0 or -1. */
int	 collate_register(sqlite3 *db);

#endif
