/*
 * charset.h: terminal encodings at the boundary.  Inside parta all text
 * is UTF-8; a user's terminal may speak UTF-8, KOI8-R, KOI8-U, CP1251 or
 * CP866.  A converter works on a byte stream in one direction and keeps
 * what it cannot finish (half a UTF-8 character) for the next call, so
 * input may arrive one byte per read.
 *
 * Terminal to UTF-8: bytes the encoding does not define, and broken UTF-8
 * from a UTF-8 terminal, become U+FFFD, one per bad byte.
 * UTF-8 to terminal: a character the encoding lacks becomes one
 * substitute of the same display width from charset.c's own table (ә→а,
 * «→", —→-, ─→-, ...), never iconv's locale-dependent //TRANSLIT, so a
 * row keeps its width; combining marks (stress U+0301) are dropped.
 * Bytes 0x80-0x9F are never sent to a KOI8 or CP1251 terminal (C1
 * controls to some terminals); CP866 needs them for its capitals.
 */
#ifndef PARTA_CHARSET_H
#define PARTA_CHARSET_H

#include <stddef.h>

enum charset {
	CHARSET_UTF8,
	CHARSET_KOI8R,
	CHARSET_KOI8U,
	CHARSET_CP1251,
	CHARSET_CP866,
	CHARSET_N
};

enum charset_dir {
	CHARSET_IN,	/* from the terminal: its encoding to UTF-8 */
	CHARSET_OUT,	/* to the terminal: UTF-8 to its encoding */
};

/* The canonical name stored in users.encoding ("UTF-8", "KOI8-R",
 * "KOI8-U", "CP1251", "CP866"); "?" for an unknown value. */
const char	*charset_name(int cs);

/* The charset named s (canonical names and common aliases such as utf8,
 * koi8r, windows-1251, ibm866; case ignored), or PERR_CHARSET. */
int		 charset_parse(const char *s);

/* The charset a locale name implies ("ru_RU.KOI8-R", "C.UTF-8",
 * "ru_RU.CP1251@x"), or -1 when it says nothing we know. */
int		 charset_from_locale(const char *locale);

/* 1 if byte b, read as a C1 control by a terminal that reads them (an
 * xterm outside UTF-8, a VT220), would open a sequence or a string (CSI,
 * OSC, DCS, SOS, PM, APC): such bytes are never sent to a KOI8 or CP1251
 * terminal, whatever character they are in its encoding. */
int		 charset_c1_opens(unsigned char b);

/* Output can grow: at most this many bytes for len bytes of input. */
#define CHARSET_OUT_MAX(len)	(3 * ((len) + 4))

struct charset_conv;

/* A converter for cs in direction dir; never NULL (exits when glibc's
 * iconv lacks the tables).  Free with charset_conv_free. */
struct charset_conv	*charset_conv_new(int cs, enum charset_dir dir);
void			 charset_conv_free(struct charset_conv *);
int			 charset_conv_charset(const struct charset_conv *);

/*
 * Convert len bytes of in, after whatever the previous call kept, into
 * out, which has room for CHARSET_OUT_MAX(len) bytes.  Returns the bytes
 * written; an incomplete character at the end is kept for the next call.
 */
size_t	 charset_conv(struct charset_conv *, const char *in, size_t len,
	     char *out);

/*
 * A whole string converted in one go (what the converter would keep at
 * the end is treated as invalid).  Caller frees; NUL-terminated.
 */
char	*charset_convert(int cs, enum charset_dir dir, const char *s);

/* For UTF-8 text s: 1 if every character reaches a terminal of cs as
 * itself, without a substitute. */
int	 charset_can_show(int cs, const char *s);

#endif
