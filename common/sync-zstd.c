/*
 * sync-zstd.c: the zstd stream of parta-sync's capability "zstd"
 * (sync-zstd.h), for the server (out) and the client (in).
 *
 * The parameters were chosen by tests/bench/b-sync.sh's figures (see
 * tests/bench/RESULTS.md): level 19 with a window of 2^19 bytes (a
 * whole first sync of 1,000 posts) and a binary tree over half of it
 * (chain log 19) makes 1% less than a window of 2^18 in about the same
 * memory (4.3 MB against 4.1), and within 0.2% of chain log 20 (6.4 MB)
 * or a window of 2^20; the hash table is small (2^16) because the tree
 * does the searching.
 * Only stable zstd parameters are used (no ZSTD_STATIC_LINKING_ONLY).
 */
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "log.h"
#include "sync-zstd.h"
#include "util.h"

struct sync_zstd_out {
	ZSTD_CCtx	*c;
};

struct sync_zstd_in {
	ZSTD_DCtx	*d;
	unsigned char	*buf;		/* compressed, not yet taken */
	size_t		 off, len;
};

struct sync_zstd_out *
sync_zstd_out_new(void)
{
	struct sync_zstd_out	*z = xcalloc(1, sizeof(*z));

	if ((z->c = ZSTD_createCCtx()) == NULL)
		fatal("zstd: out of memory");
	ZSTD_CCtx_setParameter(z->c, ZSTD_c_compressionLevel,
	    SYNC_ZSTD_LEVEL);
	ZSTD_CCtx_setParameter(z->c, ZSTD_c_windowLog, SYNC_ZSTD_WINDOW_LOG);
	ZSTD_CCtx_setParameter(z->c, ZSTD_c_chainLog, SYNC_ZSTD_CHAIN_LOG);
	ZSTD_CCtx_setParameter(z->c, ZSTD_c_hashLog, SYNC_ZSTD_HASH_LOG);
	/* The stream never ends: no checksum, no size in its header. */
	ZSTD_CCtx_setParameter(z->c, ZSTD_c_checksumFlag, 0);
	ZSTD_CCtx_setParameter(z->c, ZSTD_c_contentSizeFlag, 0);
	return z;
}

void
sync_zstd_out_free(struct sync_zstd_out *z)
{
	if (z == NULL)
		return;
	ZSTD_freeCCtx(z->c);
	free(z);
}

size_t
sync_zstd_out_bound(size_t len)
{
	/* A flush adds a block header; the stream's first, a frame's. */
	return ZSTD_compressBound(len) + 64;
}

int
sync_zstd_out_put(struct sync_zstd_out *z, const void *in, size_t len,
    void *out, size_t cap, size_t *made)
{
	ZSTD_inBuffer	 i = { in, len, 0 };
	ZSTD_outBuffer	 o = { out, cap, 0 };
	size_t		 left;

	*made = 0;
	do {
		left = ZSTD_compressStream2(z->c, &o, &i, ZSTD_e_flush);
		if (ZSTD_isError(left)) {
			log_error("zstd: %s", ZSTD_getErrorName(left));
			return -1;
		}
		if (left != 0 && o.pos == o.size) {
			log_error("zstd: the output does not fit");
			return -1;
		}
	} while (left != 0);
	*made = o.pos;
	return 0;
}

size_t
sync_zstd_out_memory(const struct sync_zstd_out *z)
{
	return ZSTD_sizeof_CCtx(z->c);
}

struct sync_zstd_in *
sync_zstd_in_new(void)
{
	struct sync_zstd_in	*z = xcalloc(1, sizeof(*z));

	if ((z->d = ZSTD_createDCtx()) == NULL)
		fatal("zstd: out of memory");
	/* What bounds a hostile stream's memory: the window. */
	ZSTD_DCtx_setParameter(z->d, ZSTD_d_windowLogMax,
	    SYNC_ZSTD_WINDOW_LOG);
	z->buf = xmalloc(SYNC_ZSTD_IN_MAX);
	return z;
}

void
sync_zstd_in_free(struct sync_zstd_in *z)
{
	if (z == NULL)
		return;
	ZSTD_freeDCtx(z->d);
	free(z->buf);
	free(z);
}

void *
sync_zstd_in_room(struct sync_zstd_in *z, size_t *room)
{
	if (z->off > 0) {
		memmove(z->buf, z->buf + z->off, z->len - z->off);
		z->len -= z->off;
		z->off = 0;
	}
	*room = SYNC_ZSTD_IN_MAX - z->len;
	return z->buf + z->len;
}

void
sync_zstd_in_got(struct sync_zstd_in *z, size_t n)
{
	z->len += n;
}

int
sync_zstd_in_put(struct sync_zstd_in *z, const void *buf, size_t len)
{
	size_t	 room;
	void	*at = sync_zstd_in_room(z, &room);

	if (len > room)
		return -1;
	memcpy(at, buf, len);
	sync_zstd_in_got(z, len);
	return 0;
}

int
sync_zstd_in_take(struct sync_zstd_in *z, void *out, size_t cap,
    size_t *made)
{
	ZSTD_inBuffer	 i;
	ZSTD_outBuffer	 o = { out, cap, 0 };
	size_t		 rc, before;

	*made = 0;
	do {
		i.src = z->buf;
		i.size = z->len;
		i.pos = before = z->off;
		rc = ZSTD_decompressStream(z->d, &o, &i);
		if (ZSTD_isError(rc))
			return -1;
		z->off = i.pos;
	} while (o.pos == 0 && i.pos > before && o.pos < o.size);
	*made = o.pos;
	return 0;
}
