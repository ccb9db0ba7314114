/*
 * sync-local-files.c: the library files of the client's outbox file
 * (sync-local.h, "files"): what she asked to fetch and what she uploads.
 *
 * Both live in the outbox's SQLite file, beside the writes, because they
 * are things she asked for that a copy rebuilt from the server must not
 * lose.  A fetch is only a wish (the digest, the name, the size) and its
 * end; the bytes are the caller's (client/transfer.c keeps them under
 * CACHEDIR/files/, a partial file's length being all the state a resume
 * needs).  An upload is an outbox item of kind library-file (its PUSH
 * names the file by digest) with a row of uploads beside it: the item
 * and the row are made in one transaction, the row is forgotten once
 * the item has left the outbox (made into a library item, or given up).
 * The syncer sends such an item only after the server said it holds the
 * whole file (syncer.c leaves library-file items to the transfer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bytes.h"
#include "log.h"
#include "perr.h"
#include "request.h"
#include "store.h"
#include "sync-local.h"
#include "sync-proto.h"
#include "util.h"

static const char slf_sql[] =
"CREATE TABLE IF NOT EXISTS fetches ("
"  sha       TEXT PRIMARY KEY,"
"  name      TEXT NOT NULL,"
"  size      INTEGER NOT NULL,"
"  state     TEXT NOT NULL DEFAULT 'waiting'"
"            CHECK (state IN ('waiting','done','failed')),"
"  reason    TEXT NOT NULL DEFAULT '',"
"  asked_at  INTEGER NOT NULL"
");"
"CREATE TABLE IF NOT EXISTS uploads ("
"  uuid      TEXT PRIMARY KEY,"		/* the outbox item's */
"  sha       TEXT NOT NULL,"
"  size      INTEGER NOT NULL,"
"  name      TEXT NOT NULL,"
"  have      INTEGER NOT NULL DEFAULT 0,"
"  whole     INTEGER NOT NULL DEFAULT 0"
");";

int
sync_local_files_init(struct sqlite3 *db)
{
	char	*err = NULL;

	if (sqlite3_exec(db, slf_sql, NULL, NULL, &err) != SQLITE_OK) {
		log_error("outbox: files: %s", err != NULL ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* sql prepared on sl's outbox, or NULL (logged). */
static sqlite3_stmt *
slf_prepare(struct sync_local *sl, const char *sql)
{
	sqlite3		*db = sync_local_outbox_db(sl);
	sqlite3_stmt	*stmt;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		log_error("outbox: %s: %s", sql, sqlite3_errmsg(db));
		return NULL;
	}
	return stmt;
}

/* A step of a statement of sl's outbox failed: logged (what the
 * statement was for), PERR_FULL or PERR_DB. */
static int
slf_fail(struct sync_local *sl, const char *what)
{
	sqlite3	*db = sync_local_outbox_db(sl);

	log_error("outbox: files: %s: %s", what, sqlite3_errmsg(db));
	return (sqlite3_extended_errcode(db) & 0xff) == SQLITE_FULL ?
	    PERR_FULL : PERR_DB;
}

/* Step a statement that returns no rows and finalize it: 0, PERR_FULL
 * or PERR_DB; *changes (if not NULL) the rows it changed. */
static int
slf_done(struct sync_local *sl, sqlite3_stmt *stmt, int *changes)
{
	int	 rc;

	if (stmt == NULL)
		return PERR_DB;
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (changes != NULL)
		*changes = sqlite3_changes(sync_local_outbox_db(sl));
	return rc == SQLITE_DONE ? 0 : slf_fail(sl, "a write");
}


/* ---- fetches --------------------------------------------------------- */

int
sync_local_fetch_ask(struct sync_local *sl, const char *sha, const char *name,
    int64_t size)
{
	return store_write_db(sync_local_outbox_db(sl), NULL, "INSERT INTO"
	    " fetches(sha, name, size, asked_at) VALUES (?1, ?2, ?3, ?4)"
	    " ON CONFLICT(sha) DO UPDATE SET state = 'waiting', reason = '',"
	    " name = ?2, size = ?3, asked_at = ?4", "ttii", sha, name, size,
	    now_unix());
}

enum sync_fetch_state
sync_local_fetch_state(struct sync_local *sl, const char *sha, char *why,
    size_t len)
{
	enum sync_fetch_state	 st = SYNC_FETCH_NONE;
	sqlite3_stmt		*stmt;
	const char		*s;

	if (len > 0)
		*why = '\0';
	if ((stmt = slf_prepare(sl, "SELECT state, reason FROM fetches"
	    " WHERE sha = ?1")) == NULL)
		return SYNC_FETCH_ERROR;
	sqlite3_bind_text(stmt, 1, sha, -1, SQLITE_TRANSIENT);
	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		s = (const char *)sqlite3_column_text(stmt, 0);
		st = s == NULL ? SYNC_FETCH_WAITING :
		    strcmp(s, "done") == 0 ? SYNC_FETCH_DONE :
		    strcmp(s, "failed") == 0 ? SYNC_FETCH_FAILED :
		    SYNC_FETCH_WAITING;
		s = (const char *)sqlite3_column_text(stmt, 1);
		if (len > 0 && s != NULL)
			strlcpy_p(why, s, len);
		break;
	case SQLITE_DONE:
		break;
	default:
		/* Not "never asked": she would ask again for nothing. */
		slf_fail(sl, "fetch state");
		st = SYNC_FETCH_ERROR;
	}
	sqlite3_finalize(stmt);
	return st;
}

int
sync_local_fetches(struct sync_local *sl, struct sync_fetch **out, size_t *n)
{
	struct sync_fetch	*v = NULL, *f;
	sqlite3_stmt		*stmt;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((stmt = slf_prepare(sl, "SELECT sha, name, size FROM fetches"
	    " WHERE state = 'waiting' ORDER BY asked_at, sha")) == NULL)
		return PERR_DB;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (*n + 1) * sizeof(*v));
		f = &v[(*n)++];
		strlcpy_p(f->sha, (const char *)sqlite3_column_text(stmt, 0),
		    sizeof(f->sha));
		f->name = store_column_dup(stmt, 1);
		f->size = sqlite3_column_int64(stmt, 2);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		sync_fetch_free(v, *n);
		*n = 0;
		return PERR_DB;
	}
	*out = v;
	return 0;
}

void
sync_fetch_free(struct sync_fetch *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int
sync_local_fetch_end(struct sync_local *sl, const char *sha, const char *why)
{
	return store_write_db(sync_local_outbox_db(sl), NULL, "UPDATE fetches"
	    " SET state = ?2, reason = ?3 WHERE sha = ?1", "ttt", sha,
	    why == NULL ? "done" : "failed", why == NULL ? "" : why);
}

/* ---- uploads ----------------------------------------------------------- */

int
sync_local_upload(struct sync_local *sl, const struct request *r,
    int64_t size)
{
	sqlite3			*db = sync_local_outbox_db(sl);
	const struct request_type *t = request_type(r->kind);
	struct bytes_writer	 w;
	sqlite3_stmt		*stmt;
	int			 rc;

	if (t == NULL || r->kind != REQ_LIB_FILE || r->file == NULL ||
	    r->name == NULL)
		return PERR_DB;
	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	if ((rc = sync_local_push(&w, r)) != 0) {
		log_warn("outbox: %s %s: %s", t->name, r->uuid,
		    sync_strerror(rc));
		bytes_writer_free(&w);
		return PERR_TOOLONG;
	}
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		bytes_writer_free(&w);
		return PERR_DB;
	}
	stmt = slf_prepare(sl, "INSERT INTO outbox(uuid, kind, frame,"
	    " created_at) VALUES (?1, ?2, ?3, ?4)");
	if (stmt != NULL) {
		sqlite3_bind_text(stmt, 1, r->uuid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, t->name, -1, SQLITE_STATIC);
		sqlite3_bind_blob(stmt, 3, bytes_writer_data(&w),
		    (int)bytes_writer_len(&w), SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 4, now_unix());
	}
	if ((rc = slf_done(sl, stmt, NULL)) == 0) {
		stmt = slf_prepare(sl, "INSERT INTO uploads(uuid, sha, size,"
		    " name) VALUES (?1, ?2, ?3, ?4)");
		if (stmt != NULL) {
			sqlite3_bind_text(stmt, 1, r->uuid, -1,
			    SQLITE_TRANSIENT);
			sqlite3_bind_text(stmt, 2, r->file, -1,
			    SQLITE_TRANSIENT);
			sqlite3_bind_int64(stmt, 3, size);
			sqlite3_bind_text(stmt, 4, r->name, -1,
			    SQLITE_TRANSIENT);
		}
		rc = slf_done(sl, stmt, NULL);
	}
	bytes_writer_free(&w);
	if (sqlite3_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL,
	    NULL) != SQLITE_OK && rc == 0) {
		(void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		rc = PERR_DB;
	}
	return rc;
}

/* Read the uploads that stmt lists (uuid, sha, size, have, whole, name,
 * frame) into *out. */
static int
slf_uploads(sqlite3_stmt *stmt, struct sync_upload **out, size_t *n)
{
	struct sync_upload	*v = NULL, *u;
	int			 rc;

	*out = NULL;
	*n = 0;
	if (stmt == NULL)
		return PERR_DB;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (*n + 1) * sizeof(*v));
		u = &v[(*n)++];
		memset(u, 0, sizeof(*u));
		strlcpy_p(u->uuid, (const char *)sqlite3_column_text(stmt, 0),
		    sizeof(u->uuid));
		strlcpy_p(u->sha, (const char *)sqlite3_column_text(stmt, 1),
		    sizeof(u->sha));
		u->size = sqlite3_column_int64(stmt, 2);
		u->have = sqlite3_column_int64(stmt, 3);
		u->whole = sqlite3_column_int(stmt, 4);
		u->name = store_column_dup(stmt, 5);
		u->frame = store_column_blob_dup(stmt, 6, &u->len);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		sync_upload_free(v, *n);
		*n = 0;
		return PERR_DB;
	}
	*out = v;
	return 0;
}

#define SLF_UPLOADS	"SELECT u.uuid, u.sha, u.size, u.have, u.whole," \
	" u.name, o.frame FROM uploads u JOIN outbox o ON o.uuid = u.uuid"

int
sync_local_uploads(struct sync_local *sl, struct sync_upload **out, size_t *n)
{
	return slf_uploads(slf_prepare(sl, SLF_UPLOADS " WHERE"
	    " o.state = 'waiting' ORDER BY o.seq"), out, n);
}

int
sync_local_upload_progress(struct sync_local *sl, const char *uuid,
    int64_t *have, int64_t *size)
{
	sqlite3_stmt	*stmt;
	int		 rc = PERR_NOTFOUND;

	*have = *size = 0;
	if ((stmt = slf_prepare(sl, "SELECT have, size FROM uploads"
	    " WHERE uuid = ?1")) == NULL)
		return PERR_DB;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		*have = sqlite3_column_int64(stmt, 0);
		*size = sqlite3_column_int64(stmt, 1);
		rc = 0;
		break;
	case SQLITE_DONE:
		break;
	default:
		rc = slf_fail(sl, "upload progress");
	}
	sqlite3_finalize(stmt);
	return rc;
}

void
sync_upload_free(struct sync_upload *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].frame);
	}
	free(v);
}

int
sync_local_upload_have(struct sync_local *sl, const char *uuid, int64_t have,
    int whole)
{
	return store_write_db(sync_local_outbox_db(sl), NULL, "UPDATE uploads"
	    " SET have = ?2, whole = ?3 WHERE uuid = ?1", "tii", uuid, have,
	    (int64_t)(whole != 0));
}

int
sync_local_upload_refused(struct sync_local *sl, const struct sync_msg *m)
{
	int	 rc, n = 0;

	if (m->type != SYNC_REFUSED || strlen(m->refused.ref) != 64)
		return PERR_NOTFOUND;
	if ((rc = store_write_db(sync_local_outbox_db(sl), &n, "UPDATE outbox"
	    " SET state = 'refused', field = ?2, reason = ?3, code = ?4,"
	    " answered_at = CAST(strftime('%s', 'now') AS INTEGER)"
	    " WHERE state = 'waiting' AND uuid IN (SELECT uuid FROM uploads"
	    " WHERE sha = ?1)", "ttti", m->refused.ref,
	    m->refused.field != NULL ? m->refused.field : "",
	    m->refused.reason != NULL ? m->refused.reason : "",
	    (int64_t)m->refused.code)) != 0)
		return rc;
	return n == 0 ? PERR_NOTFOUND : 0;
}

int
sync_local_upload_sweep(struct sync_local *sl,
    void (*fn)(const char *uuid, void *), void *arg)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if ((stmt = slf_prepare(sl, "SELECT uuid FROM uploads WHERE uuid NOT IN"
	    " (SELECT uuid FROM outbox)")) == NULL)
		return PERR_DB;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(stmt, 0), arg);
	if (rc != SQLITE_DONE) {
		rc = slf_fail(sl, "upload sweep");
		sqlite3_finalize(stmt);
		return rc;
	}
	sqlite3_finalize(stmt);
	/* Only the rows of copies fn removed: one that fails stays, and
	 * the next sweep removes it again (fn accepts a copy gone). */
	return store_write_db(sync_local_outbox_db(sl), NULL, "DELETE FROM"
	    " uploads WHERE uuid NOT IN (SELECT uuid FROM outbox)", "");
}
