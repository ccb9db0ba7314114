/*
 * fuzz-charset.c: the terminal-encoding converter (common/charset.c),
 * every encoding, both directions, the input split anywhere.
 *
 * Input: one byte picks the encoding and the direction, one byte the
 * number of splits (up to 15), one byte per split its chunk's length;
 * the rest is the byte stream.  Besides memory errors the harness checks
 * what charset.h promises, and aborts when a promise is broken:
 * - the stream split at those points converts to exactly what it does
 *   in one piece (a character cut between reads is kept, not lost);
 * - no call writes more than CHARSET_OUT_MAX(len) bytes (each output
 *   buffer is malloc'd to exactly that size, so ASan sees an overrun);
 * - to UTF-8: the output is valid UTF-8, and valid UTF-8 from a UTF-8
 *   terminal passes unchanged;
 * - to KOI8-R/KOI8-U/CP1251: no byte that opens a C1 sequence or string
 *   (charset_c1_opens(): CSI, OSC, DCS, SOS, PM, APC) is sent;
 * - charset_convert() of a string equals the stream converted with its
 *   kept tail flushed.
 * The locale and name parsers (a client's LANG, a stored encoding) get
 * the bytes as a string too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "charset.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Valid UTF-8 by utf8proc's own decoder (no surrogates, no overlongs). */
static int
fuzz_valid_utf8(const char *s, size_t len)
{
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;

	while (len > 0) {
		n = utf8proc_iterate((const utf8proc_uint8_t *)s,
		    (utf8proc_ssize_t)len, &cp);
		if (n <= 0)
			return 0;
		s += n;
		len -= (size_t)n;
	}
	return 1;
}

/* Convert in (len bytes) in chunks of the given lengths, then flush the
 * kept tail with a newline.  Returns a new buffer and its length. */
static char *
fuzz_run(int cs, enum charset_dir dir, const uint8_t *in, size_t len,
    const uint8_t *cuts, size_t ncuts, size_t *outlen)
{
	struct charset_conv	*c = charset_conv_new(cs, dir);
	char			*all, *o;
	size_t			 n = 0, i = 0, k, chunk, got;

	/* Room for the whole, plus what a wrong split might add. */
	all = xmalloc(CHARSET_OUT_MAX(len + 1) + 16 * (ncuts + 1));
	for (k = 0; k <= ncuts && i <= len; k++) {
		chunk = k < ncuts ? cuts[k] : len - i;
		if (chunk > len - i)
			chunk = len - i;
		o = xmalloc(CHARSET_OUT_MAX(chunk));
		got = charset_conv(c, (const char *)in + i, chunk, o);
		if (got > CHARSET_OUT_MAX(chunk))
			abort();
		memcpy(all + n, o, got);
		n += got;
		free(o);
		i += chunk;
	}
	o = xmalloc(CHARSET_OUT_MAX(1));
	got = charset_conv(c, "\n", 1, o);
	memcpy(all + n, o, got);
	n += got;
	free(o);
	charset_conv_free(c);
	*outlen = n;
	return all;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t	 none[1];
	const uint8_t		*cuts, *in;
	char			*whole, *split, *str, *conv;
	size_t			 ncuts, len, wlen, slen, i, plen;
	enum charset_dir	 dir;
	int			 cs;

	if (size < 2)
		return 0;
	cs = (data[0] & 0x7f) % CHARSET_N;
	dir = (data[0] & 0x80) ? CHARSET_OUT : CHARSET_IN;
	ncuts = data[1] & 15;
	if (size - 2 < ncuts)
		ncuts = size - 2;
	cuts = ncuts > 0 ? data + 2 : none;
	in = data + 2 + ncuts;
	len = size - 2 - ncuts;

	whole = fuzz_run(cs, dir, in, len, NULL, 0, &wlen);
	split = fuzz_run(cs, dir, in, len, cuts, ncuts, &slen);
	if (wlen != slen || memcmp(whole, split, wlen) != 0) {
		fprintf(stderr, "split output differs (%zu, %zu bytes)\n",
		    wlen, slen);
		abort();
	}
	if (dir == CHARSET_IN) {
		if (!fuzz_valid_utf8(whole, wlen))
			abort();
		if (cs == CHARSET_UTF8 && fuzz_valid_utf8((const char *)in, len) &&
		    (wlen != len + 1 || memcmp(whole, in, len) != 0))
			abort();
	} else if (cs == CHARSET_KOI8R || cs == CHARSET_KOI8U ||
	    cs == CHARSET_CP1251) {
		/* No byte a terminal would take as the start of a C1
		 * sequence or string (other C1 bytes are letters and
		 * dashes in these encodings). */
		for (i = 0; i < wlen; i++)
			if (charset_c1_opens((unsigned char)whole[i]))
				abort();
	}

	/* The same bytes as a string, up to the first NUL. */
	str = xmalloc(len + 1);
	memcpy(str, in, len);
	str[len] = '\0';
	plen = strlen(str);
	conv = charset_convert(cs, dir, str);
	free(whole);
	whole = fuzz_run(cs, dir, in, plen, NULL, 0, &wlen);
	if (strlen(conv) + 1 != wlen || memcmp(conv, whole, wlen - 1) != 0) {
		fprintf(stderr, "charset_convert differs from the stream\n");
		abort();
	}
	if (dir == CHARSET_OUT)
		(void)charset_can_show(cs, str);
	(void)charset_parse(str);
	(void)charset_from_locale(str);
	free(conv);
	free(str);
	free(whole);
	free(split);
	return 0;
}
