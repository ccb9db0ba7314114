/*
 * fuzz-sync.c: the parta-sync decoder (common/sync-proto.c) on a byte
 * stream as a hostile peer sends it.
 *
 * The first byte says which side sent it (bit 0: the server); the rest
 * is cut into frames as a reader of the channel would, with
 * sync_frame_len(), and each frame is decoded.  A frame that decodes
 * must encode again to exactly its own bytes (the encoder and the
 * decoder keep the same rules), and its decoding must have stayed
 * within SYNC_DECODE_BUDGET (SYNC_COLUMNS_BUDGET for a BATCH_COLUMNS,
 * BATCH_NAMED or BATCH_PACKED, tests/fuzz/sync/packed*);
 * one that does not must say why.  A header
 * that announces too long a frame ends the stream, as it closes the
 * channel.
 *
 * With bit 1 set the rest is the server's zstd stream (capability zstd,
 * common/sync-zstd.c), decompressed as the client does: into the room
 * of one frame at a time, so that a bomb costs no more than that room
 * and the window (tests/fuzz/sync/zstd-*).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "sync-proto.h"
#include "sync-zstd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_frame(const uint8_t *p, size_t len, int from_server)
{
	struct sync_msg		 m;
	struct bytes_writer	 w;
	int			 rc;

	rc = sync_decode(p, len, from_server, &m);
	if (rc != 0) {
		if (m.why == NULL || rc < -SYNC_NERRORS || rc > 0)
			abort();
		sync_msg_free(&m);
		return;
	}
	if (m.spent > (p[4] == SYNC_BATCH_COLUMNS || p[4] == SYNC_BATCH_NAMED ||
	    p[4] == SYNC_BATCH_PACKED ? SYNC_COLUMNS_BUDGET(len) :
	    SYNC_DECODE_BUDGET(len)))
		abort();
	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	if (sync_encode(&w, &m) != 0 || bytes_writer_len(&w) != len ||
	    memcmp(bytes_writer_data(&w), p, len) != 0) {
		fprintf(stderr, "a %s frame does not encode to itself\n",
		    sync_type_name(m.type));
		abort();
	}
	bytes_writer_free(&w);
	sync_msg_free(&m);
}

/* A frame not all there never decodes. */
static void
fuzz_cut(const uint8_t *p, size_t len, int from_server)
{
	struct sync_msg	 m;

	if (sync_decode(p, len, from_server, &m) != SYNC_E_FRAME)
		abort();
	sync_msg_free(&m);
}

/* The server's frames in zstd, cut as client/link.c cuts them. */
static void
fuzz_zstd(const uint8_t *data, size_t size)
{
	struct sync_zstd_in	*z = sync_zstd_in_new();
	unsigned char		*buf = malloc(4 + SYNC_FRAME_MAX), *at;
	size_t			 have = 0, len, made, room, off = 0, n;
	int			 rc, frames = 0;

	for (;;) {
		rc = sync_frame_len(buf, have, &len);
		if (rc < 0)
			break;
		if (rc == 1) {
			fuzz_frame(buf, len, 1);
			memmove(buf, buf + len, have - len);
			have -= len;
			if (++frames == 1000)
				break;
			continue;
		}
		if (sync_zstd_in_take(z, buf + have, 4 + SYNC_FRAME_MAX - have,
		    &made) != 0)
			break;
		if (made > 4 + SYNC_FRAME_MAX - have)
			abort();
		have += made;
		if (made > 0)
			continue;
		if (off == size)
			break;
		at = sync_zstd_in_room(z, &room);
		if (room == 0)
			break;
		n = size - off < room ? size - off : room;
		memcpy(at, data + off, n);
		sync_zstd_in_got(z, n);
		off += n;
	}
	free(buf);
	sync_zstd_in_free(z);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t	 off, len;
	int	 from_server, rc;

	if (size < 1)
		return 0;
	if (data[0] & 2) {
		fuzz_zstd(data + 1, size - 1);
		return 0;
	}
	from_server = data[0] & 1;
	for (off = 1; off < size; off += len) {
		rc = sync_frame_len(data + off, size - off, &len);
		if (rc < 0)
			break;		/* ERROR, and the channel closes */
		if (rc == 0) {
			/* The rest, as if the link were cut: refused. */
			fuzz_cut(data + off, size - off, from_server);
			break;
		}
		fuzz_frame(data + off, len, from_server);
	}
	return 0;
}
