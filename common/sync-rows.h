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
 * Fill r (kind and uuid set by the caller) from a PUSH's fields, as
 * man/parta-sync.5 names them; texts point into m, library metadata goes
 * into meta.  NULL, or the name of the field to blame.
 */
const char *sync_rows_push_fields(const struct sync_msg *m,
	     const struct request_type *t, struct request *r,
	     struct lib_meta *meta);

#endif
