/*
 * test-bytes.c: the bounded byte codec (common/bytes.c).  Values written
 * read back the same, big-endian; a reader never reads past its end: a
 * truncated integer, a string whose length is longer than what is left
 * (up to 0xffffffff) and a read after a failure all fail and stay
 * failed; a writer never passes its cap, writes nothing of a value that
 * does not fit, and forgets the failure only when reset.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "t.h"

static void
round_trip(void)
{
	struct bytes_writer	 w;
	struct bytes_reader	 r;
	const unsigned char	*d;
	const char		*s;
	size_t			 len;

	bytes_writer_init(&w, 1024);
	T_OK(bytes_writer_len(&w) == 0 && !bytes_writer_failed(&w),
	    "a new writer is empty");
	T_OK(bytes_put_u8(&w, 0xfe) == 0 && bytes_put_u32(&w, 0x01020304) == 0 &&
	    bytes_put_u64(&w, 0x1122334455667788ULL) == 0 &&
	    bytes_put_str(&w, "при\0вет", 13) == 0 &&
	    bytes_put_str(&w, "", 0) == 0 && bytes_put_raw(&w, "xyz", 3) == 0,
	    "values of each kind are written");
	T_INT(bytes_writer_len(&w), 1 + 4 + 8 + 4 + 13 + 4 + 3,
	    "the writer holds what was written");
	d = bytes_writer_data(&w);
	T_OK(d[0] == 0xfe && memcmp(d + 1, "\1\2\3\4", 4) == 0 &&
	    memcmp(d + 5, "\x11\x22\x33\x44\x55\x66\x77\x88", 8) == 0 &&
	    memcmp(d + 13, "\0\0\0\15", 4) == 0,
	    "integers and lengths are big-endian");

	bytes_reader_init(&r, d, bytes_writer_len(&w));
	T_INT(bytes_get_u8(&r), 0xfe, "u8 reads back");
	T_INT(bytes_get_u32(&r), 0x01020304, "u32 reads back");
	T_OK(bytes_get_u64(&r) == 0x1122334455667788ULL, "u64 reads back");
	s = bytes_get_str(&r, &len);
	T_OK(len == 13 && memcmp(s, "при\0вет", 13) == 0,
	    "a string with a NUL in it reads back whole");
	s = bytes_get_str(&r, &len);
	T_OK(len == 0 && s != NULL, "the empty string reads back");
	T_OK(memcmp(bytes_get_raw(&r, 3), "xyz", 3) == 0, "raw bytes read back");
	T_OK(bytes_left(&r) == 0 && !bytes_failed(&r),
	    "all was read, nothing failed");
	T_OK(bytes_get_u8(&r) == 0 && bytes_failed(&r),
	    "a read past the end fails");

	/* A length patched in afterwards, as a packet's is. */
	bytes_writer_reset(&w);
	T_OK(bytes_writer_len(&w) == 0 && bytes_put_u32(&w, 0) == 0 &&
	    bytes_put_u8(&w, 7) == 0 && bytes_set_u32(&w, 0, 1) == 0,
	    "a reset writer is empty and takes a length patched in later");
	d = bytes_writer_data(&w);
	T_OK(memcmp(d, "\0\0\0\1\7", 5) == 0, "the patched length is there");
	T_OK(bytes_set_u32(&w, 2, 1) == -1 && bytes_set_u32(&w, SIZE_MAX, 1) == -1,
	    "a patch past what was written is refused");
	bytes_writer_free(&w);
	bytes_writer_free(&w);
	T_OK(bytes_writer_len(&w) == 0, "a freed writer is empty (and may be "
	    "freed again)");
}

static void
truncated(void)
{
	static const unsigned char three[] = { 1, 2, 3 };
	static const unsigned char seven[] = { 0, 0, 0, 1, 0, 0, 0 };
	struct bytes_reader	 r;
	size_t			 len;
	const char		*s;

	bytes_reader_init(&r, three, sizeof(three));
	T_OK(bytes_get_u32(&r) == 0 && bytes_failed(&r),
	    "a u32 of which 3 bytes are there fails");
	T_OK(bytes_left(&r) == 0 && bytes_get_u8(&r) == 0,
	    "after a failure nothing more is read, not even what is there");

	bytes_reader_init(&r, seven, sizeof(seven));
	T_OK(bytes_get_u64(&r) == 0 && bytes_failed(&r),
	    "a u64 of which 7 bytes are there fails, and reads as 0");

	bytes_reader_init(&r, three, 0);
	T_OK(bytes_get_u8(&r) == 0 && bytes_failed(&r), "an empty buffer fails");
	bytes_reader_init(&r, NULL, 0);
	s = bytes_get_str(&r, &len);
	T_OK(bytes_failed(&r) && len == 0 && strcmp(s, "") == 0,
	    "a NULL buffer reads nothing");

	bytes_reader_init(&r, three, sizeof(three));
	T_OK(bytes_get_raw(&r, 4) == NULL && bytes_failed(&r),
	    "4 raw bytes out of 3 fail");
}

static void
overlong(void)
{
	static const unsigned char five[] = { 0, 0, 0, 5, 'a', 'b', 'c', 'd' };
	static const unsigned char huge[] = { 0xff, 0xff, 0xff, 0xff, 'a' };
	static const unsigned char two[] = { 0, 0, 0, 1, 'a', 0, 0, 0, 9, 'b' };
	struct bytes_reader	 r;
	const char		*s;
	size_t			 len;

	bytes_reader_init(&r, five, sizeof(five));
	s = bytes_get_str(&r, &len);
	T_OK(bytes_failed(&r) && len == 0 && strcmp(s, "") == 0,
	    "a string of 5 bytes with 4 there fails, as \"\" of length 0");
	bytes_reader_init(&r, huge, sizeof(huge));
	s = bytes_get_str(&r, &len);
	T_OK(bytes_failed(&r) && len == 0 && strcmp(s, "") == 0,
	    "a length of 0xffffffff fails without reading past the end");
	bytes_reader_init(&r, two, sizeof(two));
	s = bytes_get_str(&r, &len);
	T_OK(len == 1 && *s == 'a' && !bytes_failed(&r),
	    "the first of two strings reads");
	s = bytes_get_str(&r, &len);
	T_OK(bytes_failed(&r) && len == 0, "the second, overlong, fails");
	T_OK(bytes_get_u32(&r) == 0 && bytes_failed(&r),
	    "and the reader stays failed");
}

static void
caps(void)
{
	struct bytes_writer	 w;

	bytes_writer_init(&w, 10);
	T_OK(bytes_put_u64(&w, 1) == 0 && bytes_put_u8(&w, 2) == 0,
	    "9 bytes fit under a cap of 10");
	T_OK(bytes_put_u32(&w, 3) == -1 && bytes_writer_len(&w) == 9,
	    "a u32 that would pass the cap writes nothing");
	T_OK(bytes_writer_failed(&w) && bytes_put_u8(&w, 4) == -1 &&
	    bytes_writer_len(&w) == 9,
	    "the writer stays failed: even a byte that fits is refused");
	bytes_writer_reset(&w);
	T_OK(!bytes_writer_failed(&w) && bytes_put_raw(&w, "0123456789", 10) == 0,
	    "after a reset the writer takes exactly its cap");
	T_OK(bytes_put_raw(&w, "", 0) == 0 && bytes_put_u8(&w, 1) == -1,
	    "nothing is empty enough to fail, one byte more is too much");
	bytes_writer_reset(&w);
	T_OK(bytes_put_str(&w, "abcdefg", 7) == -1 && bytes_writer_len(&w) == 0,
	    "a string whose length fits but whose bytes do not writes nothing");
	bytes_writer_reset(&w);
	T_OK(bytes_put_str(&w, "abcdef", 6) == 0 && bytes_writer_len(&w) == 10,
	    "a string that fills the cap exactly is written");
	bytes_writer_free(&w);

	bytes_writer_init(&w, 0);
	T_OK(bytes_put_u8(&w, 1) == -1 && bytes_writer_data(&w) == NULL,
	    "a cap of 0 takes nothing and allocates nothing");
	bytes_writer_free(&w);

	/* Growth past the first allocation keeps what was written. */
	bytes_writer_init(&w, 100000);
	{
		unsigned char	 big[30000];
		size_t		 i;
		int		 ok = 1;

		for (i = 0; i < sizeof(big); i++)
			big[i] = (unsigned char)(i * 7);
		for (i = 0; i < 3; i++)
			ok &= bytes_put_raw(&w, big, sizeof(big)) == 0;
		T_OK(ok && bytes_put_raw(&w, big, sizeof(big)) == -1 &&
		    bytes_writer_len(&w) == 90000 &&
		    memcmp((const unsigned char *)bytes_writer_data(&w) + 60000,
		    big, sizeof(big)) == 0,
		    "a writer grows to its cap, keeping what it holds, no further");
	}
	bytes_writer_free(&w);
}

/* Varints as LEB128: the digest dump's and parta-sync's. */
static void
varints(void)
{
	struct bytes_writer	 w;
	const unsigned char	*d;

	bytes_writer_init(&w, 64);
	T_OK(bytes_put_varint(&w, 0) == 0 && bytes_put_varint(&w, 127) == 0 &&
	    bytes_put_varint(&w, 300) == 0 &&
	    bytes_put_varint(&w, UINT64_MAX) == 0, "varints are written");
	d = bytes_writer_data(&w);
	T_INT(bytes_writer_len(&w), 1 + 1 + 2 + 10, "1, 1, 2 and 10 bytes");
	T_OK(d[0] == 0 && d[1] == 0x7f && d[2] == 0xac && d[3] == 0x02 &&
	    d[4] == 0xff && d[12] == 0xff && d[13] == 0x01,
	    "seven bits a byte, least significant first");
	bytes_writer_free(&w);

	bytes_writer_init(&w, 1);
	T_OK(bytes_put_varint(&w, 300) == -1 && bytes_writer_len(&w) == 0,
	    "a varint past the cap writes nothing");
	bytes_writer_free(&w);
}

/* bytes_get_until(): the bytes before a terminator, which is read too. */
static void
until(void)
{
	static const unsigned char	 two[] = { 'a', 'b', 0, 0, 'c' };
	struct bytes_reader		 r;
	const unsigned char		*p;
	size_t				 len;

	bytes_reader_init(&r, two, sizeof(two));
	p = bytes_get_until(&r, 0, &len);
	T_OK(p == two && len == 2 && bytes_left(&r) == 2,
	    "the bytes before the NUL, the NUL read too");
	p = bytes_get_until(&r, 0, &len);
	T_OK(p == two + 3 && len == 0, "an empty run before the next NUL");
	p = bytes_get_until(&r, 0, &len);
	T_OK(p == NULL && len == 0 && bytes_failed(&r) && bytes_left(&r) == 0,
	    "bytes without their terminator fail the reader");
	T_OK(bytes_get_until(&r, 'c', &len) == NULL,
	    "and a failed reader reads nothing more");
}

int
main(void)
{
	round_trip();
	until();
	varints();
	truncated();
	overlong();
	caps();
	return t_done();
}
