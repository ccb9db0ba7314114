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
 * A field a user typed, checked and normalised: text_check(s, max_chars,
 * flags), then a new NFC copy into *out (caller frees).  0, or the
 * check's PERR code (PERR_UTF8 when s is not UTF-8); *out is NULL on
 * failure.
 */
int	 text_field(const char *s, size_t max_chars, int flags, char **out);

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

/*
 * One display row of the paragraph s (no newline in it), at most cols
 * columns wide: returns the row's length in bytes, broken after the last
 * word that fits; a word longer than the row is cut between characters.
 * Every row holds at least one character, so a caller always advances.
 * *next is set to where the following row starts (the spaces at the
 * break are skipped); at the paragraph's end s[*next] is '\0'.  The
 * editor keeps its own rows (ui-editor.c): it wraps wide characters
 * and keeps the spaces, so that every position has a place on screen.
 */
size_t	 text_wrap(const char *s, int cols, size_t *next);

/* The ways parta writes a moment, in local time. */
enum text_date_style {
	TEXT_DATE_DAY,		/* 22.11.2026 */
	TEXT_DATE_MINUTE,	/* 22.11.2026 14:03 */
	TEXT_DATE_ISO_DAY,	/* 2026-11-22: the console and search hits */
	TEXT_DATE_ISO_MINUTE,	/* 2026-11-22 14:03 */
	TEXT_DATE_LS,		/* as ls -l: "Nov 22 14:03", or "Nov 22  2026"
				   when half a year or more from now */
};

/*
 * Write the Unix time t into buf (size bytes) in style; returns buf.
 * A time of 0 means "never" and is written "-", as is a time that
 * cannot be shown.  TEXT_DATE_LS writes 0 as the epoch, as ls does.
 */
const char *text_date(int64_t t, enum text_date_style style, char *buf,
	    size_t size);

/*
 * Read s, a day written DD.MM.YYYY (as parta writes days; D.M.YYYY too)
 * or YYYY-MM-DD, into *t: the Unix time of its first second in local
 * time, or of its last when last is nonzero.  Returns 0, or PERR_DATE
 * (and *t 0) when s is no such day (31.02.2026, before 1970, anything
 * after the day).
 */
int	 text_parse_day(const char *s, int last, int64_t *t);

/* Trim ASCII whitespace at both ends, in place; returns s. */
char	*text_trim(char *s);

/* Tab stops of text_from_file(): the pager and the editor draw a tab as
 * one space, so a tab from a file is spaces by the time it is stored. */
#define TEXT_TAB_WIDTH	8

/*
 * A new copy of s, text as it comes from a file (a Windows one, say):
 * CRLF and a lone CR become LF, and a tab becomes spaces up to the next
 * multiple of TEXT_TAB_WIDTH columns.  Anything else, invalid UTF-8
 * included, is left for text_check() to judge.  Never NULL; caller frees.
 */
char	*text_from_file(const char *s);

/*
 * Where text_check(s, ..., TEXT_MULTILINE) would refuse s for what it
 * holds: PERR_CONTROL with the character in *cp, or PERR_UTF8 with the
 * first byte that is not UTF-8 in *cp, and the line (from 1) in *line;
 * 0 when nothing in s is refused.
 */
int	 text_find_bad(const char *s, size_t *line, int32_t *cp);

/* Unicode's abbreviation of a control character text_is_control()
 * names ("ESC", "CSI", "RLO"), or NULL for any other. */
const char *text_control_name(int32_t cp);

#endif
