/*
 * text.h: UTF-8 text as parta keeps it: valid, NFC, free of terminal
 * control sequences, measured in display columns rather than bytes.
 * Locale-independent (utf8proc), so partad and parta-sysop agree.
 */
#ifndef PARTA_TEXT_H
#define PARTA_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TEXT_MULTILINE	0x1	/* newlines allowed */
#define TEXT_EMPTY_OK	0x2	/* the empty string is allowed */
#define TEXT_NAME	0x4	/* a name: no invisible characters either */

/*
 * Check that s is acceptable user text: valid UTF-8, no control
 * characters (C0 except newline when TEXT_MULTILINE, DEL, C1, BiDi
 * overrides), at most max_chars code points; with TEXT_NAME, no
 * invisible characters (PERR_INVISIBLE).  Returns 0 or a PERR code.
 */
int	 text_check(const char *s, size_t max_chars, int flags);

/* 1 if cp must never reach a terminal from user text. */
int	 text_is_control(int32_t cp);
/* 1 if cp is a Default_Ignorable_Code_Point (Unicode): shown as nothing,
 * as U+200B zero width space, U+200D joiner, U+00AD soft hyphen, U+FE0F
 * variation selector, U+2060 word joiner, U+FEFF.  Two names that differ
 * only in these look the same. */
int	 text_is_invisible(int32_t cp);
/* Remove the invisible characters (text_is_invisible) from s, which is
 * valid UTF-8, in place; returns s. */
char	*text_strip_invisible(char *s);

/* A new NFC copy of s, or NULL if s is not valid UTF-8.  Caller frees. */
char	*text_nfc(const char *s);

/*
 * A new copy of s for matching and searching: NFC, lower case (Cyrillic,
 * Tatar and Latin alike), and ё folded to е; й stays й.  Invalid bytes
 * become U+FFFD.  Never NULL; caller frees.
 */
char	*text_fold(const char *s);

/*
 * A new copy of s safe to print on a terminal: invalid bytes and control
 * characters become U+FFFD, tabs become a space, newlines are kept only
 * when keep_newlines is set.  Never NULL; caller frees.
 */
char	*text_sanitize(const char *s, int keep_newlines);

/* Display columns of s (wide characters count 2, combining marks 0). */
int	 text_width(const char *s);

/*
 * The number of bytes of s that fit in cols columns, never splitting a
 * character or separating it from the combining marks that follow it.
 */
size_t	 text_fit(const char *s, int cols);

/* Trim ASCII whitespace at both ends, in place; returns s. */
char	*text_trim(char *s);

#endif
