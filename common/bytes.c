/*
 * bytes.c: the bounded byte codec (bytes.h), written once for every
 * binary protocol: the SFTP server (bbs/sftp.c) and the parta-sync
 * protocol both read untrusted packets with it, so the bounds are
 * checked here and nowhere else.
 *
 * A failed reader stops where it failed and reads nothing more (its
 * pointer jumps to the end), which is what makes "check once at the
 * end" safe: a parser that goes on after a failure only ever sees
 * zeros and empty strings.  A writer grows by what it needs plus a
 * little, never past its cap.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "util.h"

#define BYTES_GROW	4096	/* a writer grows by at least this much */

void
bytes_reader_init(struct bytes_reader *r, const void *data, size_t len)
{
	r->p = data;
	r->end = data != NULL ? r->p + len : NULL;
	r->failed = 0;
}

size_t
bytes_left(const struct bytes_reader *r)
{
	return r->failed ? 0 : (size_t)(r->end - r->p);
}

int
bytes_failed(const struct bytes_reader *r)
{
	return r->failed;
}

/* n bytes from the reader, or NULL and the reader fails. */
static const unsigned char *
bytes_take(struct bytes_reader *r, size_t n)
{
	const unsigned char	*s;

	if (r->failed || (size_t)(r->end - r->p) < n) {
		r->failed = 1;
		r->p = r->end;
		return NULL;
	}
	s = r->p;
	r->p += n;
	return s;
}

uint8_t
bytes_get_u8(struct bytes_reader *r)
{
	const unsigned char	*s = bytes_take(r, 1);

	return s != NULL ? s[0] : 0;
}

uint32_t
bytes_get_u32(struct bytes_reader *r)
{
	const unsigned char	*s = bytes_take(r, 4);

	if (s == NULL)
		return 0;
	return (uint32_t)s[0] << 24 | (uint32_t)s[1] << 16 |
	    (uint32_t)s[2] << 8 | s[3];
}

uint64_t
bytes_get_u64(struct bytes_reader *r)
{
	uint64_t	 hi = bytes_get_u32(r);
	uint64_t	 lo = bytes_get_u32(r);

	return r->failed ? 0 : hi << 32 | lo;
}

const char *
bytes_get_str(struct bytes_reader *r, size_t *len)
{
	uint32_t	 n = bytes_get_u32(r);
	const char	*s = (const char *)bytes_take(r, n);

	*len = s != NULL ? n : 0;
	return s != NULL ? s : "";
}

const void *
bytes_get_raw(struct bytes_reader *r, size_t n)
{
	return bytes_take(r, n);
}

const void *
bytes_get_until(struct bytes_reader *r, uint8_t end, size_t *len)
{
	const unsigned char	*z = NULL;

	*len = 0;
	if (!r->failed)
		z = memchr(r->p, end, (size_t)(r->end - r->p));
	if (z == NULL) {
		r->failed = 1;
		r->p = r->end;
		return NULL;
	}
	*len = (size_t)(z - r->p);
	return bytes_take(r, *len + 1);
}

void
bytes_writer_init(struct bytes_writer *w, size_t max)
{
	memset(w, 0, sizeof(*w));
	w->max = max;
}

void
bytes_writer_free(struct bytes_writer *w)
{
	free(w->buf);
	bytes_writer_init(w, w->max);
}

void
bytes_writer_reset(struct bytes_writer *w)
{
	w->len = 0;
	w->failed = 0;
}

int
bytes_writer_failed(const struct bytes_writer *w)
{
	return w->failed;
}

const void *
bytes_writer_data(const struct bytes_writer *w)
{
	return w->buf;
}

size_t
bytes_writer_len(const struct bytes_writer *w)
{
	return w->len;
}

/* Room for n more bytes at the end, or NULL and the writer fails. */
static unsigned char *
bytes_room(struct bytes_writer *w, size_t n)
{
	size_t	 cap;

	if (w->failed || n > w->max - w->len) {
		w->failed = 1;
		return NULL;
	}
	if (w->len + n > w->cap) {
		cap = w->len + n + BYTES_GROW;
		if (cap > w->max)
			cap = w->max;
		w->buf = xrealloc(w->buf, cap);
		w->cap = cap;
	}
	return w->buf + w->len;
}

int
bytes_put_raw(struct bytes_writer *w, const void *d, size_t len)
{
	unsigned char	*o;

	if ((o = bytes_room(w, len)) == NULL)
		return -1;
	if (len > 0)
		memcpy(o, d, len);
	w->len += len;
	return 0;
}

int
bytes_put_u8(struct bytes_writer *w, uint8_t v)
{
	return bytes_put_raw(w, &v, 1);
}

static void
bytes_be32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

int
bytes_put_u32(struct bytes_writer *w, uint32_t v)
{
	unsigned char	 b[4];

	bytes_be32(b, v);
	return bytes_put_raw(w, b, 4);
}

int
bytes_put_u64(struct bytes_writer *w, uint64_t v)
{
	unsigned char	 b[8];

	bytes_be32(b, (uint32_t)(v >> 32));
	bytes_be32(b + 4, (uint32_t)v);
	return bytes_put_raw(w, b, 8);
}

int
bytes_put_varint(struct bytes_writer *w, uint64_t v)
{
	unsigned char	 b[10];
	size_t		 n = 0;

	for (; v >= 0x80; v >>= 7)
		b[n++] = (unsigned char)(v | 0x80);
	b[n++] = (unsigned char)v;
	return bytes_put_raw(w, b, n);
}

int
bytes_put_str(struct bytes_writer *w, const void *s, size_t len)
{
	unsigned char	*o;

	/* One check for both parts: a string is written whole or not. */
	if (len > UINT32_MAX || len > SIZE_MAX - 4 ||
	    (o = bytes_room(w, 4 + len)) == NULL) {
		w->failed = 1;
		return -1;
	}
	bytes_be32(o, (uint32_t)len);
	if (len > 0)
		memcpy(o + 4, s, len);
	w->len += 4 + len;
	return 0;
}

int
bytes_set_u32(struct bytes_writer *w, size_t off, uint32_t v)
{
	if (off > w->len || w->len - off < 4)
		return -1;
	bytes_be32(w->buf + off, v);
	return 0;
}
