/*
 * sync-local.h: the client's end of parta-sync (man/parta-sync.5) over
 * its files: the local copy (a store of the server's schema, opened
 * STORE_LOCAL) and the outbox (its own SQLite file beside the copy, so
 * that a copy found corrupt can be deleted and rebuilt from the server
 * while nothing typed is lost).  No sockets, no libssh, no curses: the
 * caller moves the frames (sync-proto.h) and hands each decoded one here.
 *
 * The copy holds the server's rows with the server's row ids, the
 * syncer's cursor and, during a snapshot, the marks of the rows not yet
 * seen again (tables copy_sync and copy_marks, made here).  A BATCH is
 * applied with its cursor in one transaction of the copy.
 *
 * A write the user makes (sync_local_queue()) is kept first in the
 * outbox as the PUSH frame it will be sent as, then applied to the copy
 * through the request table, where the rows it makes take ids from
 * STORE_LOCAL_ID_MIN up.  It stays in the outbox, sent again with the
 * same UUID after every cut, until APPLIED (its local rows are replaced
 * by the server's) or REFUSED (kept, with the code and the reason, for
 * the outbox screen) names it.
 */
#ifndef PARTA_SYNC_LOCAL_H
#define PARTA_SYNC_LOCAL_H

#include <stddef.h>
#include <stdint.h>

struct request;
struct request_result;
struct store;
struct sync_msg;

struct sync_local;

/* The files inside a cache directory. */
#define SYNC_LOCAL_COPY		"copy.db"
#define SYNC_LOCAL_OUTBOX	"outbox.db"

/*
 * Open (making them when missing) the copy and the outbox in dir, which
 * must exist.  A copy that cannot be opened (corrupt, foreign, newer) is
 * refused with *cause and left alone, as is the outbox.  0 and *out, or
 * -1 with *cause (caller frees).  Free with sync_local_close().
 */
int	 sync_local_open(const char *dir, struct sync_local **out,
	     char **cause);
void	 sync_local_close(struct sync_local *);
/* The copy's store, owned by sl: the screens read through it. */
struct store *sync_local_store(struct sync_local *);

/* The cursor the next PULL sends: the last one committed, or 0 while a
 * snapshot is due (never synced, STALE, or one cut short). */
uint64_t sync_local_cursor(struct sync_local *);

/*
 * Apply a decoded BATCH: its rows (upserts into the entity's table by
 * UUID, the fields that are columns, others ignored; deletes with what
 * they take along) and its cursor, in one transaction; during a
 * snapshot, marks on the first batch and sweeps the rows still marked on
 * the last.  0, PERR_DB or PERR_FULL (then nothing of the batch is
 * kept).
 */
int	 sync_local_batch(struct sync_local *, const struct sync_msg *);
/* STALE: the next pull is a snapshot.  0 or PERR_DB. */
int	 sync_local_stale(struct sync_local *);

/*
 * The user's write r (its UUID made where she typed): kept in the
 * outbox, then applied to the copy (request_apply(), REQUEST_LOCAL),
 * *res as it says.  A write the copy refuses is taken out of the outbox
 * again and its code returned; a kind that needs the server
 * (PERR_REQ_SERVER) is not queued.  0, or a PERR code.
 */
int	 sync_local_queue(struct sync_local *, const struct request *r,
	     struct request_result *res);

/* What the outbox holds, oldest first. */
enum sync_outbox_state { SYNC_OUTBOX_WAITING, SYNC_OUTBOX_REFUSED };
struct sync_outbox_item {
	char			 uuid[37];
	char			*kind;		/* "reply" */
	enum sync_outbox_state	 state;
	int			 code;		/* REFUSED: a PERR code, < 0 */
	char			*field;		/* REFUSED: "" or the field */
	char			*reason;	/* REFUSED: for the teacher */
	int64_t			 created_at;
	unsigned char		*frame;		/* the PUSH, as sent */
	size_t			 len;
};
/* The items of state (WAITING: those to send, in order), into *out
 * (free with sync_outbox_free()) and *n.  0 or PERR_DB. */
int	 sync_local_outbox(struct sync_local *, enum sync_outbox_state,
	     struct sync_outbox_item **out, size_t *n);
void	 sync_outbox_free(struct sync_outbox_item *, size_t n);
/* How many items of state the outbox holds, or -1 when it cannot be
 * read (logged once, until a count works again): never a number then. */
int64_t	 sync_local_outbox_count(struct sync_local *,
	     enum sync_outbox_state);
/* Waiting and refused items together, or -1 when either count fails. */
int64_t	 sync_local_outbox_held(struct sync_local *);

/*
 * APPLIED: the rows the request made locally are replaced by the
 * server's (in one transaction of the copy), then the item leaves the
 * outbox.  An answer naming no item of the outbox (answered before a
 * cut) still stores its rows.  0, PERR_DB or PERR_FULL.
 */
int	 sync_local_applied(struct sync_local *, const struct sync_msg *);
/* REFUSED of a request: the item is kept, marked with its code, field
 * and reason, and no longer sent; its local rows leave the copy.
 * 0, PERR_NOTFOUND (no such item), PERR_DB. */
int	 sync_local_refused(struct sync_local *, const struct sync_msg *);
/* Send a refused item again (after the teacher mended it, or at once):
 * it is waiting again.  0, PERR_NOTFOUND, PERR_FULL, PERR_DB. */
int	 sync_local_retry(struct sync_local *, const char *uuid);
/*
 * Mend a refused item that carries a text: its "subject" and "body"
 * fields, those it has, become subject and body (NULL: unchanged), under
 * the same UUID (the server records no refused request, so it judges the
 * mended one afresh), and it waits again.  0, PERR_NOTFOUND (no such
 * refused item), PERR_TOOLONG (the frame would not fit), PERR_FULL (her
 * disk), PERR_DB.
 */
int	 sync_local_mend(struct sync_local *, const char *uuid,
	     const char *subject, const char *body);
/* Delete a refused item: she gives it up.  Only a refused one: a
 * waiting item may be on its way already, and the server's answer
 * would bring it back.  Its local rows left the copy when it was
 * refused.  0, PERR_NOTFOUND, PERR_DB. */
int	 sync_local_drop(struct sync_local *, const char *uuid);

/*
 * A post-edit or post-delete r (her own post) for an outbox that is
 * never sent as it is, a digest's, whose reply packet carries posts and
 * letters: folded into the waiting item that makes the post (a reply,
 * or a new thread's first post).  An edit remakes that item with r's
 * text under its own UUID; a delete takes it out of the outbox, so the
 * server never sees it.  The copy changes as r says (request_apply(),
 * REQUEST_LOCAL; *res as it says), before the outbox: what the copy
 * refuses leaves the item as it was.  0; PERR_SENT_POST when no waiting
 * item makes the post (the server has it: r is not queued either);
 * PERR_ANSWERED to delete a post another waiting item names (a reply
 * to it, in its thread); or the copy's refusal, PERR_TOOLONG, PERR_DB.
 */
int	 sync_local_fold(struct sync_local *, const struct request *r,
	     struct request_result *res);

/*
 * The PUSH frame of request r (its kind's fields, named as
 * man/parta-sync.5 says) appended to w.  0, PERR_REQ_SERVER for a kind
 * the protocol cannot carry (the console's, written in another's name),
 * or an SYNC_E_ code from the encoder.
 */
struct bytes_writer;
int	 sync_local_push(struct bytes_writer *w, const struct request *r);

/* ---- files (sync-local-files.c) ----------------------------------------
 *
 * Two more tables of the outbox file.  fetches: the library files she
 * asked for, by SHA-256, until the syncer has them whole and verified in
 * the cache (or failed, with a reason).  uploads: the file of each
 * library-file item of the outbox (its UUID), with how much of it the
 * server holds; the item's PUSH goes once the server holds it whole.
 */

/* Made by sync_local_open() (the outbox's connection); 0 or -1. */
struct sqlite3;
int	 sync_local_files_init(struct sqlite3 *outbox);
/* The outbox's connection, owned by sl: for sync-local-files.c. */
struct sqlite3 *sync_local_outbox_db(struct sync_local *);

enum sync_fetch_state { SYNC_FETCH_ERROR = -2, SYNC_FETCH_NONE = -1,
	SYNC_FETCH_WAITING, SYNC_FETCH_DONE, SYNC_FETCH_FAILED };
struct sync_fetch {
	char		 sha[65];
	char		*name;		/* the item's file name */
	int64_t		 size;
};
/* Ask for file sha (64 hex digits) of size bytes: it waits for the
 * syncer (again, after a failure).  0 or a PERR code. */
int	 sync_local_fetch_ask(struct sync_local *, const char *sha,
	     const char *name, int64_t size);
/* The state of sha's fetch, with its reason (FAILED) into why; NONE
 * when never asked, ERROR (logged) when the outbox cannot be read. */
enum sync_fetch_state sync_local_fetch_state(struct sync_local *,
	     const char *sha, char *why, size_t len);
/* The waiting fetches, oldest first, into *out (sync_fetch_free()). */
int	 sync_local_fetches(struct sync_local *, struct sync_fetch **out,
	     size_t *n);
void	 sync_fetch_free(struct sync_fetch *, size_t n);
/* The fetch of sha ended: done (why NULL) or failed for why. */
int	 sync_local_fetch_end(struct sync_local *, const char *sha,
	     const char *why);

struct sync_upload {
	char		 uuid[37];	/* the outbox item's */
	char		 sha[65];
	int64_t		 size;
	int64_t		 have;		/* held by the server, last told */
	int		 whole;		/* the server holds all of it */
	char		*name;
	unsigned char	*frame;		/* the item's PUSH */
	size_t		 len;
};
/*
 * Queue the library-file request r (r->file the SHA-256 of the file
 * of size bytes, which the caller keeps until the item leaves the
 * outbox) as an outbox item with its upload, in one transaction.  The
 * copy gets nothing until the server has made the item.  0 or a PERR.
 */
int	 sync_local_upload(struct sync_local *, const struct request *r,
	     int64_t size);
/* The uploads of waiting items, oldest first (sync_upload_free()). */
int	 sync_local_uploads(struct sync_local *, struct sync_upload **out,
	     size_t *n);
/* How much of item uuid's upload the server holds, of its size:
 * 0, PERR_NOTFOUND (no upload), PERR_DB. */
int	 sync_local_upload_progress(struct sync_local *, const char *uuid,
	     int64_t *have, int64_t *size);
void	 sync_upload_free(struct sync_upload *, size_t n);
/* The server holds have bytes of item uuid's upload (whole: all). */
int	 sync_local_upload_have(struct sync_local *, const char *uuid,
	     int64_t have, int whole);
/* A REFUSED naming an upload's digest: its item is refused with the
 * server's reason.  0, PERR_NOTFOUND (no such upload), PERR_DB. */
int	 sync_local_upload_refused(struct sync_local *,
	     const struct sync_msg *);
/* Forget the uploads whose item left the outbox (made, or given up):
 * fn(uuid, arg) first, to remove the caller's copy of the file. */
int	 sync_local_upload_sweep(struct sync_local *,
	     void (*fn)(const char *uuid, void *), void *arg);

#endif
