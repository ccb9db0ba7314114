/*
 * bytes.h: a bounded codec for the binary protocols parta speaks (SFTP
 * version 3 today, parta-sync next): big-endian integers of 8, 32 and
 * 64 bits, and strings prefixed by their length as a 32-bit integer,
 * as SSH and SFTP write them (RFC 4251, section 5).
 *
 * Reading: a reader borrows a buffer and never reads past its end.  A
 * read that does not fit (a truncated packet, a length longer than what
 * is left) fails, returns 0 or an empty string, and the reader remembers
 * the failure: every later read fails too, so a parser may read a whole
 * request and look at bytes_failed() once, as OpenSSH's sshbuf lets it.
 *
 * Writing: a writer owns a growing buffer with a hard cap, fixed when it
 * is made.  A write that would pass the cap writes nothing, and the
 * writer remembers the failure until bytes_writer_reset(), so a reply
 * is never sent half-built.
 *
 * Both structures are on the caller's stack; their fields are this
 * module's: use the functions.  No sockets here: the caller moves the
 * bytes.
 */
#ifndef PARTA_BYTES_H
#define PARTA_BYTES_H

#include <stddef.h>
#include <stdint.h>

struct bytes_reader {
	const unsigned char	*p;	/* the next byte */
	const unsigned char	*end;	/* one past the last */
	int			 failed;
};

struct bytes_writer {
	unsigned char		*buf;	/* owned; NULL until the first write */
	size_t			 len;
	size_t			 cap;	/* allocated */
	size_t			 max;	/* the hard cap */
	int			 failed;
};

/* Read the len bytes at data (borrowed: they must outlive the reader). */
void		 bytes_reader_init(struct bytes_reader *, const void *data,
		     size_t len);
/* Bytes not read yet (0 once a read has failed). */
size_t		 bytes_left(const struct bytes_reader *);
/* 1 if a read did not fit: then the values read are not to be trusted. */
int		 bytes_failed(const struct bytes_reader *);

/* The next integer; 0 (and the reader fails) if it is not all there. */
uint8_t		 bytes_get_u8(struct bytes_reader *);
uint32_t	 bytes_get_u32(struct bytes_reader *);
uint64_t	 bytes_get_u64(struct bytes_reader *);
/*
 * The next string: a 32-bit length, then that many bytes, which the
 * result points at inside the reader's buffer (not NUL-terminated; may
 * hold NULs).  *len is its length.  If the length is longer than what
 * is left, the reader fails, *len is 0 and the result "".
 */
const char	*bytes_get_str(struct bytes_reader *, size_t *len);
/* The next n bytes, inside the buffer; NULL (and the reader fails) if
 * fewer are left. */
const void	*bytes_get_raw(struct bytes_reader *, size_t n);
/* The bytes before the next byte end, inside the buffer, end read too
 * and left out of *len; NULL (and the reader fails) if none is left. */
const void	*bytes_get_until(struct bytes_reader *, uint8_t end,
		     size_t *len);

/* An empty writer that will hold at most max bytes. */
void		 bytes_writer_init(struct bytes_writer *, size_t max);
/* Free the writer's buffer; the writer is empty again.  Accepts a
 * writer never written to. */
void		 bytes_writer_free(struct bytes_writer *);
/* Empty the writer and forget a failure; the buffer is kept. */
void		 bytes_writer_reset(struct bytes_writer *);
/* 1 if a write would have passed the cap since the last reset. */
int		 bytes_writer_failed(const struct bytes_writer *);
/* The bytes written (the writer's, valid until its next write), and how
 * many. */
const void	*bytes_writer_data(const struct bytes_writer *);
size_t		 bytes_writer_len(const struct bytes_writer *);

/*
 * Append a value.  Each returns 0, or -1 when it does not fit under the
 * cap (or the writer failed before): then nothing is written.
 */
int		 bytes_put_u8(struct bytes_writer *, uint8_t);
int		 bytes_put_u32(struct bytes_writer *, uint32_t);
int		 bytes_put_u64(struct bytes_writer *, uint64_t);
/* A string: its length as a 32-bit integer, then its len bytes. */
int		 bytes_put_str(struct bytes_writer *, const void *s, size_t len);
int		 bytes_put_raw(struct bytes_writer *, const void *d, size_t len);
/* v in 7-bit groups, least significant first, the high bit of each byte
 * but the last set (LEB128): 1 to 10 bytes.  The digest dump and
 * parta-sync write their integers so. */
int		 bytes_put_varint(struct bytes_writer *, uint64_t v);
/*
 * Overwrite 4 bytes at off, already written, with v: a packet's length,
 * known only once its body is written.  0, or -1 if off + 4 is past
 * what was written.
 */
int		 bytes_set_u32(struct bytes_writer *, size_t off, uint32_t v);

#endif
