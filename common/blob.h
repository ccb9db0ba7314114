/*
 * blob.h: library file contents, stored once each, named by SHA-256.
 *
 * A blob lives in data_dir/files/<sha256> (data_dir is the directory of
 * the store file); its row in the blobs table gives its size.  A blob is
 * written to a temporary file in the same directory, fsynced, renamed into
 * place and the directory fsynced, so a crash leaves either the whole
 * file or no file under the final name, never half of one.
 */
#ifndef PARTA_BLOB_H
#define PARTA_BLOB_H

#include <stdint.h>

struct store;

#define BLOB_HEX	65	/* 64 hex digits and NUL */

/* data_dir/files for the store st (made if missing).  Caller frees. */
char	*blob_dir(struct store *st);

/* The path of blob sha (which must be 64 hex digits).  Caller frees. */
char	*blob_path(struct store *st, const char *sha);

/* 1 if s is 64 lower-case hex digits. */
int	 blob_valid_sha(const char *s);

/* Hash the file at path: 0 with sha and *size, or PERR_LIB_IO. */
int	 blob_hash_file(const char *path, char sha[BLOB_HEX], int64_t *size);
/* Read fd in to its end, hashing, and write every byte to out (a
 * copy that is what was hashed): 0 with sha and *size, or PERR_LIB_IO. */
int	 blob_hash_copy(int in, int out, char sha[BLOB_HEX], int64_t *size);

/*
 * Store a copy of the file at src as a blob: the copy is hashed as it is
 * written, so what is stored is what was hashed, even if src changes.
 * When the blob exists already the copy is dropped.  Returns 0 with sha
 * and *size, or PERR_LIB_IO.  The blobs row is the caller's to insert
 * (blob_insert), inside its own transaction.
 */
int	 blob_put_file(struct store *st, const char *src, char sha[BLOB_HEX],
	     int64_t *size);
/* As blob_put_file, from the open file in (read to its end, left open
 * for the caller to close); src names it in log lines. */
int	 blob_put_fd(struct store *st, int in, const char *src,
	     char sha[BLOB_HEX], int64_t *size);

/* Insert the blobs row for sha (if missing).  0 or PERR_DB. */
int	 blob_insert(struct store *st, const char *sha, int64_t size);

/*
 * Forget blob sha if no library item refers to it any more: its row
 * and its file.  0 or PERR_DB.  Call after the referring row is gone and
 * committed.
 */
int	 blob_drop_unused(struct store *st, const char *sha);

/* What blob_verify found wrong with one blob. */
enum blob_problem { BLOB_MISSING, BLOB_SIZE, BLOB_HASH, BLOB_STRAY };

/*
 * Recheck every blob: the file exists, has the recorded size and hashes
 * to its name.  fn is called for each problem (sha is the file name for
 * BLOB_STRAY: a file in files/ with no row, or a temporary left by a
 * crash).  0 with the number of problems in *problems (and of blobs
 * checked in *checked), or PERR_DB.
 */
int	 blob_verify(struct store *st, void (*fn)(const char *sha,
	     enum blob_problem, void *), void *arg, int64_t *checked,
	     int *problems);

#endif
