/*
 * sync-files.h: the files of parta-sync (man/parta-sync.5, FILES): a
 * connection's answers to FILE_GET (chunks of the library files its
 * user may see, each with its SHA-256) and FILE_PUT (uploads, resumable,
 * held by the server by uploader and digest until whole).
 *
 * The sync server (sync.c) decodes a frame and hands each FILE_GET and
 * FILE_PUT to sync_files_answer(), which appends the answer's frames to
 * the server's writer; a held upload becomes a library item through the
 * request table (a PUSH of kind library-file with the field "file").
 * Memory is bounded by one chunk: no file is ever read whole.
 */
#ifndef PARTA_SYNC_FILES_H
#define PARTA_SYNC_FILES_H

#include <stdint.h>

struct bytes_writer;
struct store;
struct sync_files;
struct sync_msg;
struct user;

/*
 * A connection's state for user u (its id is kept; the account is read
 * again for each frame, so a ban or a new role counts at once) on the
 * store st, borrowed until sync_files_free().  expiry: seconds after
 * its last chunk that an unfinished upload is kept (sync_upload_expiry).
 */
struct sync_files *sync_files_new(struct store *st, const struct user *u,
		     int64_t expiry);
/* Record how far an unfinished download got, and free.  Accepts NULL. */
void		 sync_files_free(struct sync_files *);

/*
 * Answer in, a decoded FILE_GET or FILE_PUT, by appending FILE_DATA,
 * FILE_HAVE or REFUSED to out.  Returns 0, also for a refusal (what
 * the user may not do, or a file that could not be stored), or -1 and
 * *cause (caller frees) when the server failed (the store, or out
 * full): the caller sends ERROR and closes.  A file the user may not
 * see is refused exactly as one that does not exist.
 */
int		 sync_files_answer(struct sync_files *, const struct sync_msg *in,
		     struct bytes_writer *out, char **cause);

/*
 * A push of kind library-file naming the held upload sha (64 hex
 * digits) was applied (or had been): remove the held file, now that the
 * item holds its own copy.  Called after the push's transaction
 * committed, so that a failure before leaves the upload to push again.
 */
void		 sync_files_made(struct sync_files *, const char *sha);

/*
 * Remove every user's held uploads whose last chunk came more than age
 * seconds ago, each user's with her uploads locked.  Returns how many
 * went.  sync_files_answer() calls it at a connection's first upload.
 */
int		 sync_files_expire(struct store *st, int64_t age);

#endif
