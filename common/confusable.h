/*
 * confusable.h: names that look alike.  "Ivаnova" with a Cyrillic "а",
 * "OKCAHA" in Latin capitals beside "ОКСАНА", or the same name typed
 * decomposed (и + U+0306) must not pass for another member's name.
 *
 * A name's skeleton is what it looks like: NFC, Latin (and Greek)
 * letters that look like Cyrillic ones replaced by those, lower case,
 * ё as е, invisible characters and stress marks removed, blanks
 * collapsed.  Two names with one skeleton are the same name to a reader;
 * users.name_key holds the skeleton of each display name.
 */
#ifndef PARTA_CONFUSABLE_H
#define PARTA_CONFUSABLE_H

#include <sqlite3.h>

/* 1 if some word of s (letters between non-letters) mixes Latin,
 * Cyrillic or Greek letters, else 0. */
int	 confusable_mixed(const char *s);

/* The skeleton of s; never NULL (broken UTF-8 is sanitised first).
 * Caller frees. */
char	*confusable_skeleton(const char *s);

/* Register the SQL function name_key(x), the skeleton, on db; 0 or -1. */
int	 confusable_register(sqlite3 *db);

#endif
