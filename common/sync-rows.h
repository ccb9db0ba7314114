/*
 * sync-rows.h: the rows a user may see, read from a server's store as
 * parta-sync sends them (man/parta-sync.5), for the sync server
 * (bbs/syncd.c) and the digest builder (common/digest.c).  The
 * visibility of each entity is written once here, in SQL, with the
 * screens' rules (board-sql.h); secret columns never leave.
 */
#ifndef PARTA_SYNC_ROWS_H
#define PARTA_SYNC_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "sync-proto.h"

struct change;
struct lib_meta;
struct request;
struct request_type;
struct store;
struct user;

/*
 * An entity of the change log: its table and the joins that judge it
 * (x is the row; b its board, t its thread), the expression of its UUID,
 * and who may see it now (":uid" and ":role" of the reader).  from is
 * NULL for an entity told as another's (a coordinator, as its board).
 */
struct sync_entity {
	const char	*name;
	const char	*from;
	const char	*uuid;
	const char	*visible;
	int		 snapshot;	/* walked by a snapshot */
};
/* The entities in a snapshot's order, parents before children. */
extern const struct sync_entity sync_rows_entities[];
extern const size_t sync_rows_nentities;
/* The entity named name, or NULL. */
const struct sync_entity *sync_rows_entity(const char *name);
/*
 * The query sql (made by the caller over entities' from and visible;
 * freed here) prepared on st with reader u bound to :uid and :role
 * (NULL: the sysop), for the caller to bind the rest, step and
 * finalize.  NULL (logged) on failure.
 */
sqlite3_stmt *sync_rows_prepare(struct store *st, const struct user *u,
	     char *sql);

/* A row read for a user, with copies of its values; wire is its size in
 * a BATCH frame.  Free with sync_rowbuf_free(). */
struct sync_rowbuf {
	struct sync_row		 row;
	struct sync_field	 f[SYNC_MAX_FIELDS];
	void			*mem[2 * SYNC_MAX_FIELDS];
	size_t			 nmem;
	size_t			 wire;
};
void	 sync_rowbuf_free(struct sync_rowbuf *);

/* A reader of rows for one user on st (its statements are kept). */
struct sync_rows;
struct sync_rows *sync_rows_new(struct store *st, int64_t user_id);
/* The user the rows are judged for, as last read (not owned; NULL: the
 * console, who sees what the sysop sees).  Set it before reading. */
void	 sync_rows_user(struct sync_rows *, const struct user *u);
void	 sync_rows_free(struct sync_rows *);

/*
 * The row of entity e named uuid as the user may see it now into *out
 * (caller frees): its fields (every column but uuid and the secret
 * ones), or a delete when it is gone or out of her sight.  0 or PERR_DB.
 */
int	 sync_rows_fetch(struct sync_rows *, const struct sync_entity *e,
	     const char *uuid, struct sync_rowbuf **out);
/* A change's row: its entity's, or for a coordinator its board's; *out
 * NULL when there is nothing to send.  0 or PERR_DB. */
int	 sync_rows_change(struct sync_rows *, const struct change *c,
	     struct sync_rowbuf **out);

/*
 * The request a decoded PUSH m asks for, as user u, into r (texts point
 * into m; library metadata into meta, which starts empty): its kind by
 * name, its UUID, its fields as man/parta-sync.5 names them.  0;
 * PERR_NOTFOUND for a kind there is none of (*bad ""); PERR_REQ_DENIED
 * with *bad the field to blame.
 */
int	 sync_rows_push(const struct sync_msg *m, const struct user *u,
	     struct request *r, struct lib_meta *meta, const char **bad);

/* The BATCH m of the n rows v (copied into rows, n long, which m then
 * points to), committing cursor, with flags (SYNC_BATCH_). */
void	 sync_rows_batch(struct sync_msg *m, struct sync_row *rows,
	     struct sync_rowbuf *const *v, size_t n, uint64_t cursor,
	     unsigned flags);

#endif
