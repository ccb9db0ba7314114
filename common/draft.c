/*
 * draft.c: drafts in the store, one row per unsent text.
 */
#include <stdlib.h>
#include <string.h>

#include "draft.h"
#include "perr.h"
#include "store.h"
#include "util.h"

static const struct store_col draft_cols[] = {
	STORE_COL(I64, struct draft, id),
	STORE_COL(TEXT, struct draft, kind),
	STORE_COL(TEXT, struct draft, target),
	STORE_COL(TEXT, struct draft, subject),
	STORE_COL(TEXT, struct draft, body),
	STORE_COL(I64, struct draft, updated_at),
	STORE_COL(UUID, struct draft, uuid),
};

static const struct store_rowtype draft_rows = {
	STORE_ROWS(struct draft, draft_cols)
};

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
	 * it returns. */
	if ((step = sqlite3_step(stmt)) == SQLITE_CONSTRAINT)
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
	return store_row_new(st, store_stmt(st, "SELECT id, kind, target,"
	    " subject, body, updated_at, uuid FROM drafts WHERE user_id = ?"
	    " ORDER BY updated_at DESC, id DESC LIMIT 1", "i", user_id),
	    &draft_rows, out, "draft latest");
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
