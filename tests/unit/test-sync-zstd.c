/*
 * test-sync-zstd.c: the stream of parta-sync's capability zstd
 * (common/sync-zstd.c).  Frames compressed one flush each come out
 * whole and the same, however the bytes are cut on the way; a later
 * frame reuses the context of an earlier one; the decompressor refuses
 * what is not zstd and a window past SYNC_ZSTD_WINDOW_LOG; and a bomb
 * (megabytes from a few hundred bytes) never gives more than the room
 * its caller offers, however much it holds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "bytes.h"
#include "sync-proto.h"
#include "sync-zstd.h"
#include "t.h"
#include "util.h"

#define BUF	(4 + SYNC_FRAME_MAX)

/* A BATCH of n posts' rows as one frame in w. */
static void
batch(struct bytes_writer *w, size_t n, int64_t first)
{
	struct sync_msg		 m;
	struct sync_row		*rows = xcalloc(n, sizeof(*rows));
	struct sync_field	*f = xcalloc(n * 2, sizeof(*f));
	size_t			 i;

	for (i = 0; i < n; i++) {
		snprintf(rows[i].entity, sizeof(rows[i].entity), "post");
		snprintf(rows[i].uuid, sizeof(rows[i].uuid),
		    "00000000-0000-4000-8000-%012llx",
		    (unsigned long long)(first + (int64_t)i));
		rows[i].op = SYNC_UPSERT;
		f[2 * i].name = "id";
		f[2 * i].type = SYNC_F_INT;
		f[2 * i].i = first + (int64_t)i;
		f[2 * i + 1].name = "body";
		f[2 * i + 1].type = SYNC_F_TEXT;
		f[2 * i + 1].s = "Решите уравнение и объясните решение ученикам.";
		f[2 * i + 1].len = strlen(f[2 * i + 1].s);
		rows[i].fields = &f[2 * i];
		rows[i].nfields = 2;
	}
	memset(&m, 0, sizeof(m));
	m.type = SYNC_BATCH;
	m.batch.rows = rows;
	m.batch.nrows = n;
	m.batch.cursor = (uint64_t)(first + (int64_t)n);
	m.batch.columns = 1;
	if (sync_encode(w, &m) != 0)
		abort();
	free(f);
	free(rows);
}

/* What n bytes of a stream compressed with window log wlog look like. */
static size_t
squeeze(const void *in, size_t n, int wlog, void *out, size_t cap)
{
	ZSTD_CCtx	*c = ZSTD_createCCtx();
	ZSTD_inBuffer	 i = { in, n, 0 };
	ZSTD_outBuffer	 o = { out, cap, 0 };

	ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, wlog);
	ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0);
	while (ZSTD_compressStream2(c, &o, &i, ZSTD_e_flush) != 0)
		;
	ZSTD_freeCCtx(c);
	return o.pos;
}

static void
round_trip(void)
{
	struct sync_zstd_out	*z = sync_zstd_out_new();
	struct sync_zstd_in	*d = sync_zstd_in_new();
	struct bytes_writer	 w;
	const unsigned char	*data;
	unsigned char		*wire, *got, *at;
	size_t			 wlen = 0, made, off, have = 0, room, step;
	size_t			 sizes[3], flen, n = 0, cap;
	int			 ok = 1, i;

	bytes_writer_init(&w, 3 * BUF);
	for (i = 0; i < 3; i++) {
		batch(&w, 200, 1 + i * 200);
		sizes[i] = bytes_writer_len(&w);
	}
	data = bytes_writer_data(&w);
	cap = sync_zstd_out_bound(bytes_writer_len(&w));
	wire = xmalloc(cap);
	/* Each frame its own flush, as syncd.c sends them. */
	for (i = 0, off = 0; i < 3; i++) {
		if (sync_zstd_out_put(z, data + off,
		    sizes[i] - off, wire + wlen, cap - wlen, &made) != 0)
			ok = 0;
		if (i == 1)
			T_OK(made * 3 < sizes[0], "a later frame reuses the"
			    " context (%zu B for %zu)", made, sizes[1] - off);
		wlen += made;
		off = sizes[i];
	}
	T_OK(ok && wlen * 4 < bytes_writer_len(&w),
	    "three batches compressed: %zu B of %zu", wlen,
	    bytes_writer_len(&w));
	T_OK(sync_zstd_out_memory(z) < 6 * 1024 * 1024,
	    "the compressor holds %zu kB (bounded)",
	    sync_zstd_out_memory(z) / 1024);
	/* The wire cut into pieces of 7 bytes, frames cut as link.c does. */
	got = xmalloc(BUF);
	for (off = 0;;) {
		if (sync_frame_len(got, have, &flen) == 1) {
			if (memcmp(got, data + (n > 0 ? sizes[n - 1] : 0),
			    flen) != 0)
				ok = 0;
			memmove(got, got + flen, have - flen);
			have -= flen;
			if (++n == 3)
				break;
			continue;
		}
		if (sync_zstd_in_take(d, got + have, BUF - have, &made) != 0) {
			ok = 0;
			break;
		}
		have += made;
		if (made > 0)
			continue;
		if (off == wlen)
			break;
		at = sync_zstd_in_room(d, &room);
		step = wlen - off < 7 ? wlen - off : 7;
		memcpy(at, wire + off, step);
		sync_zstd_in_got(d, step);
		off += step;
	}
	T_OK(ok && n == 3 && have == 0,
	    "the client gets the three frames back, byte for byte");
	free(got);
	free(wire);
	bytes_writer_free(&w);
	sync_zstd_in_free(d);
	sync_zstd_out_free(z);
}

static void
refused(void)
{
	struct sync_zstd_in	*d;
	unsigned char		*big, *out, junk[64];
	size_t			 n, made, i;

	d = sync_zstd_in_new();
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 37 + 1);
	(void)sync_zstd_in_put(d, junk, sizeof(junk));
	T_INT(sync_zstd_in_take(d, junk, sizeof(junk), &made), -1,
	    "bytes that are not zstd are refused");
	sync_zstd_in_free(d);

	/* A stream that asks for a window of 2^24 bytes. */
	big = xcalloc(1, 1 << 20);
	out = xmalloc(1 << 16);
	for (i = 0; i < (1 << 20); i++)
		big[i] = (unsigned char)(i % 251);
	n = squeeze(big, 1 << 20, 24, out, 1 << 16);
	d = sync_zstd_in_new();
	(void)sync_zstd_in_put(d, out, n);
	T_INT(sync_zstd_in_take(d, big, 1 << 20, &made), -1,
	    "a window past 2^%d is refused", SYNC_ZSTD_WINDOW_LOG);
	sync_zstd_in_free(d);
	free(out);
	free(big);
}

/* 16 MiB of zeros in a few hundred bytes: given out a room at a time. */
static void
bomb(void)
{
	struct sync_zstd_in	*d = sync_zstd_in_new();
	unsigned char		*zeros, *out, *room_at;
	size_t			 n, made, total = 0, most = 0, room, calls = 0;
	int			 rc = 0;

	zeros = xcalloc(1, 16 << 20);
	out = xmalloc(1 << 20);
	n = squeeze(zeros, 16 << 20, SYNC_ZSTD_WINDOW_LOG, out, 1 << 20);
	room_at = sync_zstd_in_room(d, &room);
	T_OK(n <= room, "the bomb is %zu B", n);
	memcpy(room_at, out, n);
	sync_zstd_in_got(d, n);
	while (calls++ < 10000 &&
	    (rc = sync_zstd_in_take(d, zeros, BUF, &made)) == 0 && made > 0) {
		total += made;
		if (made > most)
			most = made;
	}
	T_OK(rc == 0 && total == (size_t)16 << 20,
	    "it decompresses to all its %zu bytes", total);
	T_OK(most <= BUF, "never more than one frame's room at a time"
	    " (%zu B)", most);
	free(out);
	free(zeros);
	sync_zstd_in_free(d);
}

int
main(void)
{
	round_trip();
	refused();
	bomb();
	return t_done();
}
