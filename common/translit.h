/*
 * translit.h: file names as the library keeps them.
 *
 * A name that arrives from an SFTP client is bytes: usually UTF-8, from
 * old Windows clients often CP1251, sometimes decomposed (NFD, as macOS
 * writes it).  translit_clean_name() turns it into the one form the
 * library stores and shows (UTF-8 NFC, nothing Windows refuses);
 * translit_ascii() gives its ASCII twin for clients and terminals that
 * cannot show Cyrillic, from parta's own table (ICAO 9303 for Russian,
 * plus Tatar, Bashkir, Buryat, Ukrainian and Belarusian letters).
 */
#ifndef PARTA_TRANSLIT_H
#define PARTA_TRANSLIT_H

#include <stddef.h>

#define TRANSLIT_NAME_MAX	200	/* bytes of a cleaned name */

/*
 * Clean the file name raw (len bytes, not NUL-terminated necessarily):
 * invalid UTF-8 is decoded as CP1251; the result is NFC; invisible
 * characters (text_is_invisible: a zero width space would make two names
 * look the same) and the characters
 * Windows forbids (< > : " / \ | ? *) are removed, as are leading dots
 * and spaces and trailing dots and spaces; a Windows device name (CON,
 * NUL, COM1, ...) gets a leading '_'.  Returns 0 and *out (caller
 * frees), or PERR_CONTROL (NUL or control characters: refused, not
 * removed), PERR_UTF8 (neither UTF-8 nor CP1251), PERR_EMPTY or
 * PERR_TOOLONG.
 */
int	 translit_clean_name(const char *raw, size_t len, char **out);

/*
 * A new ASCII transliteration of the UTF-8 string s (caller frees):
 * Cyrillic by the table, Latin letters with accents without them, spaces
 * as '_', anything else unknown as '_'; characters Windows forbids are
 * dropped.  Never NULL; "_" when nothing is left.
 */
char	*translit_ascii(const char *s);

/*
 * A new name made from name (UTF-8) for the n-th collision (n >= 2):
 * "plan.docx" becomes "plan (2).docx", or "plan_2.docx" when ascii is set.
 * Caller frees.
 */
char	*translit_suffix(const char *name, int n, int ascii);

#endif
