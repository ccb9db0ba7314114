/*
 * draft.c: drafts in the store, one row per unsent text.  A draft is read
 * with where it goes (the board's title, the thread's subject, the
 * recipient), so a list of them needs no second look-up per row.
 */
#include <stdlib.h>
#include <string.h>

#include "draft.h"
#include "perr.h"
#include "store.h"
#include "util.h"

STORE_ROWTYPE(draft_rows, struct draft,
	STORE_COL(I64, struct draft, id),
	STORE_COL(TEXT, struct draft, kind),
	STORE_COL(TEXT, struct draft, target),
	STORE_COL(TEXT, struct draft, subject),
	STORE_COL(TEXT, struct draft, body),
	STORE_COL(I64, struct draft, updated_at),
	STORE_COL(UUID, struct draft, uuid),
	STORE_COL(TEXT, struct draft, place),
	STORE_COL(TEXT, struct draft, place_sub));

/* The columns of draft_rows, where it goes included: one subquery per
 * kind, as a target is named by UUID and may be gone. */
#define DRAFT_SELECT							\
	"SELECT d.id, d.kind, d.target, d.subject, d.body, d.updated_at,"	\
	" d.uuid,"							\
	" CASE d.kind"							\
	"  WHEN 'post' THEN (SELECT title FROM boards WHERE uuid = d.target)" \
	"  WHEN 'reply' THEN (SELECT b.title FROM threads t JOIN boards b"	\
	"   ON b.id = t.board_id WHERE t.uuid = d.target)"		\
	"  WHEN 'edit' THEN (SELECT b.title FROM posts p JOIN threads t"	\
	"   ON t.id = p.thread_id JOIN boards b ON b.id = t.board_id"	\
	"   WHERE p.uuid = d.target)"					\
	"  WHEN 'mail' THEN (SELECT login FROM users WHERE uuid = d.target)" \
	"  WHEN 'comment' THEN (SELECT title FROM library_items"		\
	"   WHERE uuid = d.target)"					\
	" END,"								\
	" CASE d.kind"							\
	"  WHEN 'reply' THEN (SELECT subject FROM threads WHERE uuid = d.target)" \
	"  WHEN 'edit' THEN (SELECT t.subject FROM posts p JOIN threads t"	\
	"   ON t.id = p.thread_id WHERE p.uuid = d.target)"		\
	"  WHEN 'mail' THEN (SELECT display_name FROM users"		\
	"   WHERE uuid = d.target)"					\
	" END"								\
	" FROM drafts d WHERE d.user_id = ?1"

int
draft_save(struct store *st, int64_t user_id, int64_t *id,
    const char *given, const char *kind, const char *target,
    const char *subject, const char *body)
{
	sqlite3_stmt	*stmt;
	char		 uuid[37];
	int64_t		 new_id = 0;
	int		 rc = 0, step;

	if (strlen(subject) + strlen(body) > DRAFT_MAX)
		return PERR_TOOLONG;
	/* A local copy's own drafts take ids above every server id, so a
	 * server's draft fetched later never takes this one's place. */
	if (*id == 0 && (rc = store_new_id(st, "drafts", &new_id)) != 0)
		return rc;
	if (*id == 0) {
		stmt = store_prepare(st, "INSERT INTO drafts(uuid, user_id, kind,"
		    " target, subject, body, updated_at, id)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, 0))");
		if (given != NULL && *given != '\0')
			strlcpy_p(uuid, given, sizeof(uuid));
		else
			uuid_v4(uuid);
	} else
		stmt = store_prepare(st, "UPDATE drafts SET kind = ?3,"
		    " target = ?4, subject = ?5, body = ?6, updated_at = ?7"
		    " WHERE id = ?8 AND user_id = ?2 AND ?1 IS NULL");
	if (stmt == NULL)
		return PERR_DB;
	store_bind_text(stmt, 1, *id == 0 ? uuid : NULL);
	sqlite3_bind_int64(stmt, 2, user_id);
	store_bind_text(stmt, 3, kind);
	store_bind_text(stmt, 4, target);
	store_bind_text(stmt, 5, subject);
	store_bind_text(stmt, 6, body);
	sqlite3_bind_int64(stmt, 7, now_unix());
	sqlite3_bind_int64(stmt, 8, *id != 0 ? *id : new_id);
	/* One statement is its own transaction: the draft is on disk when
	 * it returns.  The store's codes are extended: a UUID taken is
	 * SQLITE_CONSTRAINT_UNIQUE, never the bare SQLITE_CONSTRAINT. */
	if ((step = sqlite3_step(stmt)) == SQLITE_CONSTRAINT_UNIQUE)
		rc = PERR_EXISTS;
	else if (step != SQLITE_DONE)
		rc = store_fail(st, "draft save");
	else if (*id == 0)
		*id = sqlite3_last_insert_rowid(store_db(st));
	else if (sqlite3_changes(store_db(st)) == 0)
		rc = PERR_NOTFOUND;
	sqlite3_finalize(stmt);
	return rc;
}

int
draft_latest(struct store *st, int64_t user_id, struct draft **out)
{
	return store_row_new(st, store_stmt(st, DRAFT_SELECT
	    " ORDER BY d.updated_at DESC, d.id DESC LIMIT 1", "i", user_id),
	    &draft_rows, out, "draft latest");
}

int
draft_find(struct store *st, int64_t user_id, const char *kind,
    const char *target, struct draft **out)
{
	return store_row_new(st, store_stmt(st, DRAFT_SELECT
	    " AND d.kind = ?2 AND d.target = ?3"
	    " ORDER BY d.updated_at DESC, d.id DESC LIMIT 1", "itt", user_id,
	    kind, target), &draft_rows, out, "draft find");
}

int
draft_list(struct store *st, int64_t user_id, struct draft **out, size_t *n)
{
	return store_rows(st, store_stmt(st, DRAFT_SELECT
	    " ORDER BY d.updated_at DESC, d.id DESC", "i", user_id),
	    &draft_rows, out, n, "draft list");
}

void
draft_list_free(struct draft *v, size_t n)
{
	store_rows_free(&draft_rows, v, n);
}

int
draft_delete(struct store *st, int64_t user_id, int64_t id)
{
	return store_write(st, NULL, "DELETE FROM drafts WHERE id = ?"
	    " AND user_id = ?", "ii", id, user_id);
}

void
draft_free(struct draft *d)
{
	store_rows_free(&draft_rows, d, d != NULL);
}
