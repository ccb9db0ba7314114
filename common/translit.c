/*
 * translit.c: cleaning library file names and transliterating them to
 * ASCII.  See translit.h for the rules; the table below is parta's own.
 *
 * Russian follows ICAO 9303 (the Latin of Russian passports: ж zh,
 * х kh, ц ts, щ shch, ю iu, я ia) except that the hard and soft signs are
 * dropped rather than written "ie" and "", which reads better in file
 * names.  Tatar and Bashkir letters take the nearest plain Latin letter
 * (ә a, ө o, ү u, җ zh, ң n, һ h; ғ g, ҡ k, ҙ z, ҫ s), as do Buryat
 * (ө, ү, һ) and the Ukrainian and Belarusian extras.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "perr.h"
#include "text.h"
#include "translit.h"
#include "util.h"

struct translit_row {
	int32_t		 cp;	/* lower-case letter */
	const char	*ascii;
};

static const struct translit_row translit_table[] = {
	{ 0x0430, "a" }, { 0x0431, "b" }, { 0x0432, "v" }, { 0x0433, "g" },
	{ 0x0434, "d" }, { 0x0435, "e" }, { 0x0451, "e" }, { 0x0436, "zh" },
	{ 0x0437, "z" }, { 0x0438, "i" }, { 0x0439, "i" }, { 0x043a, "k" },
	{ 0x043b, "l" }, { 0x043c, "m" }, { 0x043d, "n" }, { 0x043e, "o" },
	{ 0x043f, "p" }, { 0x0440, "r" }, { 0x0441, "s" }, { 0x0442, "t" },
	{ 0x0443, "u" }, { 0x0444, "f" }, { 0x0445, "kh" }, { 0x0446, "ts" },
	{ 0x0447, "ch" }, { 0x0448, "sh" }, { 0x0449, "shch" },
	{ 0x044a, "" }, { 0x044b, "y" }, { 0x044c, "" }, { 0x044d, "e" },
	{ 0x044e, "iu" }, { 0x044f, "ia" },
	/* Tatar, Bashkir, Buryat */
	{ 0x04d9, "a" }, { 0x04e9, "o" }, { 0x04af, "u" }, { 0x0497, "zh" },
	{ 0x04a3, "n" }, { 0x04bb, "h" }, { 0x0493, "g" }, { 0x04a1, "k" },
	{ 0x0499, "z" }, { 0x04ab, "s" },
	/* Ukrainian, Belarusian */
	{ 0x0454, "ie" }, { 0x0456, "i" }, { 0x0457, "i" }, { 0x0491, "g" },
	{ 0x045e, "u" },
};

/* Punctuation with a plain ASCII stand-in. */
static const struct translit_row translit_punct[] = {
	{ 0x00a0, " " }, { 0x2013, "-" }, { 0x2014, "-" }, { 0x2212, "-" },
	{ 0x2116, "N" }, { 0x00ab, "" }, { 0x00bb, "" }, { 0x201c, "" },
	{ 0x201d, "" }, { 0x201e, "" }, { 0x2018, "'" }, { 0x2019, "'" },
	{ 0x2026, "..." },
};

static const char translit_forbidden[] = "<>:\"/\\|?*";

static const char *
translit_lookup(const struct translit_row *t, size_t n, int32_t cp)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (t[i].cp == cp)
			return t[i].ascii;
	return NULL;
}

/* Decode CP1251 bytes into a new UTF-8 string, or NULL. */
static char *
translit_from_cp1251(const char *raw, size_t len)
{
	iconv_t	 cd;
	char	*in = (char *)raw, *out, *o;
	size_t	 inleft = len, outleft = len * 3 + 1;

	if ((cd = iconv_open("UTF-8", "CP1251")) == (iconv_t)-1)
		return NULL;
	o = out = xmalloc(outleft);
	if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
		free(out);
		out = NULL;
	} else
		*o = '\0';
	iconv_close(cd);
	return out;
}

/* 1 if the name, without its extension, is a Windows device name. */
static int
translit_is_device(const char *s)
{
	static const char *const dev[] = { "CON", "PRN", "AUX", "NUL" };
	size_t	 n = strcspn(s, "."), i;

	for (i = 0; i < nitems(dev); i++)
		if (n == 3 && strncasecmp(s, dev[i], 3) == 0)
			return 1;
	return n == 4 && (strncasecmp(s, "COM", 3) == 0 ||
	    strncasecmp(s, "LPT", 3) == 0) && s[3] >= '1' && s[3] <= '9';
}

int
translit_clean_name(const char *raw, size_t len, char **out)
{
	char	*utf = NULL, *nfc = NULL, *o, *p, *end;
	int	 rc;

	*out = NULL;
	if (memchr(raw, '\0', len) != NULL)
		return PERR_CONTROL;
	utf = xmalloc(len + 1);
	memcpy(utf, raw, len);
	utf[len] = '\0';
	if (text_check(utf, SIZE_MAX, TEXT_EMPTY_OK) == PERR_UTF8) {
		free(utf);
		if ((utf = translit_from_cp1251(raw, len)) == NULL)
			return PERR_UTF8;
	}
	if ((rc = text_check(utf, SIZE_MAX, TEXT_EMPTY_OK)) != 0) {
		rc = rc == PERR_UTF8 ? rc : PERR_CONTROL;	/* newlines too */
		goto out;
	}
	if ((nfc = text_nfc(utf)) == NULL) {
		rc = PERR_UTF8;
		goto out;
	}
	/* Invisible characters would make two names look the same. */
	text_strip_invisible(nfc);
	/* Drop what Windows forbids; all of it is ASCII, so bytes do. */
	for (p = o = nfc; *p != '\0'; p++)
		if (strchr(translit_forbidden, *p) == NULL)
			*o++ = *p;
	*o = '\0';
	for (p = nfc; *p == '.' || *p == ' '; p++)
		;
	end = p + strlen(p);
	while (end > p && (end[-1] == '.' || end[-1] == ' '))
		end--;
	*end = '\0';
	if (*p == '\0') {
		rc = PERR_EMPTY;
		goto out;
	}
	if (strlen(p) + 1 > TRANSLIT_NAME_MAX) {
		rc = PERR_TOOLONG;
		goto out;
	}
	*out = translit_is_device(p) ? xasprintf("_%s", p) : xstrdup(p);
	rc = 0;
out:
	free(utf);
	free(nfc);
	return rc;
}

/* Append s to the buffer at *o, upper-casing as asked: 0 none, 1 the
 * first letter, 2 all. */
static void
translit_put(char **o, const char *s, int upper)
{
	for (; *s != '\0'; s++) {
		**o = upper != 0 ? (char)toupper((unsigned char)*s) : *s;
		if (upper == 1)
			upper = 0;
		(*o)++;
	}
}

char *
translit_ascii(const char *s)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 cp, next, lower;
	utf8proc_ssize_t	 n, m;
	utf8proc_uint8_t	*dec = NULL;
	const char		*a;
	char			*buf, *o;
	int			 upper;

	/* At most 4 ASCII bytes ("shch") per input byte pair; be generous. */
	o = buf = xmalloc(strlen(s) * 4 + 2);
	while (*p != '\0') {
		if ((n = utf8proc_iterate(p, -1, &cp)) <= 0) {
			*o++ = '_';
			p++;
			continue;
		}
		p += n;
		if (cp < 0x80) {
			if (cp == ' ')
				*o++ = '_';
			else if (strchr(translit_forbidden, (int)cp) == NULL &&
			    cp >= 0x20 && cp != 0x7f)
				*o++ = (char)cp;
			continue;
		}
		lower = utf8proc_tolower(cp);
		if ((a = translit_lookup(translit_table,
		    nitems(translit_table), lower)) != NULL) {
			upper = 0;
			if (lower != cp) {
				/* ЖУК is ZHUK, Жук is Zhuk. */
				upper = 1;
				m = utf8proc_iterate(p, -1, &next);
				if (m > 0 && utf8proc_tolower(next) != next)
					upper = 2;
			}
			translit_put(&o, a, upper);
			continue;
		}
		if ((a = translit_lookup(translit_punct,
		    nitems(translit_punct), cp)) != NULL) {
			translit_put(&o, strcmp(a, " ") == 0 ? "_" : a, 0);
			continue;
		}
		/* é is e: decompose and keep the base letter if ASCII. */
		{
			utf8proc_uint8_t	 one[5];
			utf8proc_ssize_t	 len;

			len = utf8proc_encode_char(cp, one);
			one[len] = '\0';
			if (utf8proc_map(one, 0, &dec, UTF8PROC_NULLTERM |
			    UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK) >= 0 &&
			    dec[0] < 0x80 && isalnum(dec[0]) && dec[1] == '\0')
				*o++ = (char)dec[0];
			else
				*o++ = '_';
			free(dec);
			dec = NULL;
		}
	}
	*o = '\0';
	if (buf[0] == '\0' || strspn(buf, ".") == strlen(buf)) {
		free(buf);
		return xstrdup("_");
	}
	return buf;
}

char *
translit_suffix(const char *name, int n, int ascii)
{
	const char	*dot = strrchr(name, '.');

	/* ".bashrc" has no extension; neither has "name." */
	if (dot == NULL || dot == name || dot[1] == '\0')
		dot = name + strlen(name);
	if (ascii)
		return xasprintf("%.*s_%d%s", (int)(dot - name), name, n, dot);
	return xasprintf("%.*s (%d)%s", (int)(dot - name), name, n, dot);
}
