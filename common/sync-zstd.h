/*
 * sync-zstd.h: parta-sync's capability "zstd" (man/parta-sync.5,
 * COMPRESSION): every byte the server sends after WELCOME is one zstd
 * stream for the connection, flushed at the end of each frame, so that a
 * frame can be decoded as soon as it has arrived and later batches reuse
 * the context of earlier ones.  The client's frames are not compressed.
 *
 * Both ends' memory is bounded: the compressor's window is 2^19 bytes
 * and its tables are fixed (SYNC_ZSTD_* below; about 4.3 MB a connection,
 * sync_zstd_out_memory()); the decompressor refuses a window larger than
 * 2^SYNC_ZSTD_WINDOW_LOG and writes only into the buffer its caller
 * gives, a frame at a time, so no stream, however it expands, costs the
 * client more than that window and its two buffers.
 */
#ifndef PARTA_SYNC_ZSTD_H
#define PARTA_SYNC_ZSTD_H

#include <stddef.h>

#define SYNC_ZSTD_LEVEL		19
#define SYNC_ZSTD_WINDOW_LOG	19	/* 512 KiB: a first sync of 1,000 posts */
#define SYNC_ZSTD_CHAIN_LOG	19	/* the binary tree: half the window */
#define SYNC_ZSTD_HASH_LOG	16
/* Compressed bytes a client holds before they are decompressed. */
#define SYNC_ZSTD_IN_MAX	(4 + 256 * 1024)

struct sync_zstd_out;
struct sync_zstd_in;

/* A compressor for one connection; never NULL (exits on no memory). */
struct sync_zstd_out	*sync_zstd_out_new(void);
/* Accepts NULL. */
void		 sync_zstd_out_free(struct sync_zstd_out *);
/* The most bytes sync_zstd_out_put() makes of len bytes. */
size_t		 sync_zstd_out_bound(size_t len);
/*
 * Compress the len bytes at in (whole frames) and flush, writing at most
 * cap bytes at out (cap >= sync_zstd_out_bound(len)): 0 with *made, or
 * -1 (zstd failed; the stream is broken and the connection must end).
 */
int		 sync_zstd_out_put(struct sync_zstd_out *, const void *in,
		     size_t len, void *out, size_t cap, size_t *made);
/* Bytes the compressor's context holds. */
size_t		 sync_zstd_out_memory(const struct sync_zstd_out *);

/* A decompressor for one connection; never NULL. */
struct sync_zstd_in	*sync_zstd_in_new(void);
/* Accepts NULL. */
void		 sync_zstd_in_free(struct sync_zstd_in *);
/* Where compressed bytes go and how many fit (0: take some first). */
void		*sync_zstd_in_room(struct sync_zstd_in *, size_t *room);
/* n bytes were written at sync_zstd_in_room(). */
void		 sync_zstd_in_got(struct sync_zstd_in *, size_t n);
/* Put len compressed bytes (len <= the room): 0, or -1 if they do not fit. */
int		 sync_zstd_in_put(struct sync_zstd_in *, const void *buf,
		     size_t len);
/*
 * Decompress what is held into out, at most cap bytes: 0 with *made
 * (0 when more compressed bytes are needed), or -1 when the stream is
 * not zstd or asks for a larger window (the caller closes the link).
 */
int		 sync_zstd_in_take(struct sync_zstd_in *, void *out,
		     size_t cap, size_t *made);

#endif
