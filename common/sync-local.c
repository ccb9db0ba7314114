/*
 * sync-local.c: the client's copy of the community and its outbox, as
 * parta-sync's frames change them (sync-local.h states the contract).
 *
 * Rows arrive as an entity name, a UUID and typed fields.  Each entity
 * is one row of sync_local_entities[]: its table, how the UUID names the
 * rows (most tables have a uuid column; a read pointer, a vote or a
 * coordinator is named by the UUID of the row it points to), what a
 * delete takes along (a thread its posts) and which rows a snapshot
 * marks.  A field is stored only when it names a column of the table
 * (the columns are read from the schema once), so the server may add
 * fields and the copy ignores them.  A board's field "coordinators"
 * (user ids) fills board_coordinators, which has no rows of its own on
 * the wire.
 *
 * The copy's foreign keys are off on this connection: the copy holds
 * what one user may see, and a post whose author is not visible, or a
 * reply to a hidden post, still belongs there.  Deleting a row takes
 * along its children explicitly instead.  Rows are upserted by UPDATE
 * then INSERT, never INSERT OR REPLACE, so that the search index's
 * triggers see every change.  The copy's change log (its triggers fire
 * as on a server) is emptied with each batch: no one reads it.
 *
 * The outbox is its own file with its own connection, written before
 * the copy: a write is in the outbox before the copy shows it, so a cut
 * (or a crash) between the two loses nothing; an answer is applied to
 * the copy before it leaves the outbox, so a cut there only means it is
 * sent again and answered "applied before".
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bytes.h"
#include "library.h"
#include "log.h"
#include "perr.h"
#include "request.h"
#include "store.h"
#include "sync-local.h"
#include "sync-proto.h"
#include "util.h"

#define SL_LOCAL	"4611686018427387904"	/* STORE_LOCAL_ID_MIN */

struct sync_local_entity {
	const char	*entity;
	const char	*table;
	/* The rows ?1 names, as a WHERE clause; NULL: "uuid = ?1". */
	const char	*where;
	/* What a delete takes along first (?1 the UUID). */
	const char	*take[10];
	/* The UUIDs a snapshot marks: the rows held from the server. */
	const char	*mark;
};

static const struct sync_local_entity sync_local_entities[] = {
	{ .entity = "board", .table = "boards",
	  .take = {
	    "DELETE FROM posts WHERE thread_id IN (SELECT t.id FROM threads t"
	    " JOIN boards b ON b.id = t.board_id WHERE b.uuid = ?1)",
	    "DELETE FROM thread_reads WHERE thread_id IN (SELECT t.id FROM"
	    " threads t JOIN boards b ON b.id = t.board_id WHERE b.uuid = ?1)",
	    "DELETE FROM chat_lines WHERE room_id IN (SELECT r.id FROM"
	    " chat_rooms r JOIN boards b ON b.id = r.board_id WHERE b.uuid ="
	    " ?1)",
	    "DELETE FROM threads WHERE board_id = (SELECT id FROM boards"
	    " WHERE uuid = ?1)",
	    "DELETE FROM poll_options WHERE poll_id IN (SELECT p.id FROM"
	    " polls p JOIN boards b ON b.id = p.board_id WHERE b.uuid = ?1)",
	    "DELETE FROM poll_votes WHERE poll_id IN (SELECT p.id FROM polls p"
	    " JOIN boards b ON b.id = p.board_id WHERE b.uuid = ?1)",
	    "DELETE FROM polls WHERE board_id = (SELECT id FROM boards"
	    " WHERE uuid = ?1)",
	    "DELETE FROM event_signups WHERE event_id IN (SELECT e.id FROM"
	    " events e JOIN boards b ON b.id = e.board_id WHERE b.uuid = ?1)",
	    "DELETE FROM events WHERE board_id = (SELECT id FROM boards"
	    " WHERE uuid = ?1)" },
	  .mark = "SELECT uuid FROM boards WHERE id < " SL_LOCAL },
	{ .entity = "thread", .table = "threads",
	  .take = {
	    "DELETE FROM posts WHERE thread_id = (SELECT id FROM threads"
	    " WHERE uuid = ?1)",
	    "DELETE FROM thread_reads WHERE thread_id = (SELECT id FROM"
	    " threads WHERE uuid = ?1)" },
	  .mark = "SELECT uuid FROM threads WHERE id < " SL_LOCAL },
	{ .entity = "post", .table = "posts",
	  .mark = "SELECT uuid FROM posts WHERE id < " SL_LOCAL },
	{ .entity = "thread_read", .table = "thread_reads",
	  .where = "thread_id = (SELECT id FROM threads WHERE uuid = ?1)",
	  .mark = "SELECT t.uuid FROM thread_reads r JOIN threads t"
	    " ON t.id = r.thread_id" },
	{ .entity = "board_read", .table = "board_reads",
	  .where = "board_id = (SELECT id FROM boards WHERE uuid = ?1)",
	  .mark = "SELECT b.uuid FROM board_reads r JOIN boards b"
	    " ON b.id = r.board_id" },
	{ .entity = "news", .table = "news",
	  .mark = "SELECT uuid FROM news WHERE id < " SL_LOCAL },
	{ .entity = "news_read", .table = "news_reads",
	  .where = "user_id = (SELECT id FROM users WHERE uuid = ?1)",
	  .mark = "SELECT u.uuid FROM news_reads r JOIN users u"
	    " ON u.id = r.user_id" },
	{ .entity = "mail", .table = "mail",
	  .take = { "DELETE FROM mail_boxes WHERE mail_id = (SELECT id FROM"
	    " mail WHERE uuid = ?1)" },
	  .mark = "SELECT uuid FROM mail WHERE id < " SL_LOCAL },
	{ .entity = "mail_box", .table = "mail_boxes",
	  .mark = "SELECT uuid FROM mail_boxes WHERE mail_id < " SL_LOCAL },
	{ .entity = "poll", .table = "polls",
	  .take = {
	    "DELETE FROM poll_votes WHERE poll_id = (SELECT id FROM polls"
	    " WHERE uuid = ?1)",
	    "DELETE FROM poll_options WHERE poll_id = (SELECT id FROM polls"
	    " WHERE uuid = ?1)",
	    "DELETE FROM copy_poll_votes WHERE poll_id = (SELECT id FROM"
	    " polls WHERE uuid = ?1)",
	    "DELETE FROM copy_poll_voters WHERE poll_id = (SELECT id FROM"
	    " polls WHERE uuid = ?1)" },
	  .mark = "SELECT uuid FROM polls WHERE id < " SL_LOCAL },
	{ .entity = "poll_option", .table = "poll_options",
	  .take = { "DELETE FROM poll_votes WHERE option_id = (SELECT id FROM"
	    " poll_options WHERE uuid = ?1)" },
	  .mark = "SELECT uuid FROM poll_options WHERE id < " SL_LOCAL },
	{ .entity = "vote", .table = "poll_votes",
	  .where = "option_id = (SELECT id FROM poll_options WHERE uuid = ?1)",
	  .mark = "SELECT o.uuid FROM poll_votes v JOIN poll_options o"
	    " ON o.id = v.option_id" },
	{ .entity = "event", .table = "events",
	  .take = { "DELETE FROM event_signups WHERE event_id = (SELECT id"
	    " FROM events WHERE uuid = ?1)" },
	  .mark = "SELECT uuid FROM events WHERE id < " SL_LOCAL },
	{ .entity = "event_signup", .table = "event_signups",
	  .mark = "SELECT uuid FROM event_signups WHERE id < " SL_LOCAL },
	{ .entity = "library_section", .table = "library_sections",
	  .mark = "SELECT uuid FROM library_sections" },
	{ .entity = "library", .table = "library_items",
	  .mark = "SELECT uuid FROM library_items WHERE id < " SL_LOCAL },
	{ .entity = "user", .table = "users",
	  .take = { "DELETE FROM board_coordinators WHERE user_id = (SELECT"
	    " id FROM users WHERE uuid = ?1)" },
	  .mark = "SELECT uuid FROM users WHERE id < " SL_LOCAL },
	{ .entity = "draft", .table = "drafts",
	  .mark = "SELECT uuid FROM drafts WHERE id < " SL_LOCAL },
	{ .entity = "chat_room", .table = "chat_rooms",
	  .take = { "DELETE FROM chat_lines WHERE room_id = (SELECT id FROM"
	    " chat_rooms WHERE uuid = ?1)" },
	  .mark = "SELECT uuid FROM chat_rooms WHERE id < " SL_LOCAL },
	{ .entity = "chat_line", .table = "chat_lines",
	  .mark = "SELECT uuid FROM chat_lines WHERE id < " SL_LOCAL },
	/* A delete names the user only: it takes her rows on every board
	 * (the next snapshot brings back those that stay). */
	{ .entity = "coordinator", .table = "board_coordinators",
	  .where = "user_id = (SELECT id FROM users WHERE uuid = ?1)",
	  .mark = "SELECT u.uuid FROM board_coordinators c JOIN users u"
	    " ON u.id = c.user_id" },
};
#define SL_NENTITIES	nitems(sync_local_entities)

/* A table's columns, read once from its schema. */
struct sync_local_cols {
	char		**name;
	int		 *notnull;	/* NOT NULL without a default */
	int		 *integer;	/* declared INTEGER */
	size_t		  n;
	int		  loaded;
};

struct sync_local {
	struct store		*copy;
	sqlite3			*outbox;
	struct sync_local_cols	 cols[SL_NENTITIES];
	int			 count_failed;	/* logged, until one works */
};

static const char sync_local_copy_sql[] =
"CREATE TABLE IF NOT EXISTS copy_sync ("
"  one       INTEGER PRIMARY KEY CHECK (one = 1),"
"  cursor    INTEGER NOT NULL DEFAULT 0,"
"  snapshot  INTEGER NOT NULL DEFAULT 1"	/* a snapshot is due */
");"
"INSERT OR IGNORE INTO copy_sync(one) VALUES (1);"
"CREATE TABLE IF NOT EXISTS copy_marks ("
"  entity    TEXT NOT NULL,"
"  uuid      TEXT NOT NULL,"
"  PRIMARY KEY (entity, uuid)"
") WITHOUT ROWID;"
/* A poll's totals as the server counts them (polls.c reads them in a
 * copy, which holds her own votes only): votes by option, n from 0 in
 * the options' order, and the voters. */
"CREATE TABLE IF NOT EXISTS copy_poll_votes ("
"  poll_id   INTEGER NOT NULL,"
"  n         INTEGER NOT NULL,"
"  votes     INTEGER NOT NULL,"
"  PRIMARY KEY (poll_id, n)"
") WITHOUT ROWID;"
"CREATE TABLE IF NOT EXISTS copy_poll_voters ("
"  poll_id   INTEGER PRIMARY KEY,"
"  voters    INTEGER NOT NULL"
");";

static const char sync_local_outbox_sql[] =
"PRAGMA journal_mode = WAL;"
"PRAGMA synchronous = FULL;"
"CREATE TABLE IF NOT EXISTS outbox ("
"  seq         INTEGER PRIMARY KEY,"
"  uuid        TEXT NOT NULL UNIQUE,"
"  kind        TEXT NOT NULL,"
"  frame       BLOB NOT NULL,"
"  state       TEXT NOT NULL DEFAULT 'waiting'"
"              CHECK (state IN ('waiting','refused')),"
"  code        INTEGER NOT NULL DEFAULT 0,"
"  field       TEXT NOT NULL DEFAULT '',"
"  reason      TEXT NOT NULL DEFAULT '',"
"  created_at  INTEGER NOT NULL,"
"  answered_at INTEGER"
");";

/* ---- open and close ---------------------------------------------- */

/* 1 if the copy has its syncer's tables and row already: then opening
 * it writes nothing, and waits for no writer (a digest's screens open
 * while its search index is being made). */
static int
sync_local_ready(struct store *st)
{
	int64_t	 n = 0;

	return store_int(st, &n, "SELECT count(*) FROM sqlite_master WHERE"
	    " type = 'table' AND name IN ('copy_sync', 'copy_marks')", "") ==
	    0 && n == 2 && store_int(st, NULL, "SELECT 1 FROM copy_sync"
	    " WHERE one = 1", "") == 0;
}

int
sync_local_open(const char *dir, struct sync_local **out, char **cause)
{
	struct sync_local	*sl;
	char			*path, *err = NULL;

	*out = NULL;
	*cause = NULL;
	sl = xcalloc(1, sizeof(*sl));
	path = xasprintf("%s/%s", dir, SYNC_LOCAL_OUTBOX);
	if (sqlite3_open_v2(path, &sl->outbox, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(sl->outbox, 5000) != SQLITE_OK ||
	    sqlite3_exec(sl->outbox, sync_local_outbox_sql, NULL, NULL,
	    &err) != SQLITE_OK || sync_local_files_init(sl->outbox) != 0) {
		*cause = xasprintf("%s: %s", path, err != NULL ? err :
		    sqlite3_errmsg(sl->outbox));
		sqlite3_free(err);
		free(path);
		goto fail;
	}
	free(path);
	path = xasprintf("%s/%s", dir, SYNC_LOCAL_COPY);
	if (store_open_mode(path, STORE_LOCAL, &sl->copy, cause) != 0) {
		free(path);
		goto fail;
	}
	free(path);
	/* A digest's outbox is scratch as its copy is: the reply packet,
	 * written (and synced) at the end, is what is kept. */
	if ((store_is_scratch(sl->copy) && sqlite3_exec(sl->outbox,
	    "PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK) ||
	    store_exec(sl->copy, "PRAGMA foreign_keys = OFF") != 0 ||
	    (!sync_local_ready(sl->copy) &&
	    store_exec(sl->copy, sync_local_copy_sql) != 0)) {
		*cause = xasprintf("%s: cannot prepare the copy",
		    store_path(sl->copy));
		goto fail;
	}
	*out = sl;
	return 0;
fail:
	sync_local_close(sl);
	return -1;
}

static void
sync_local_cols_free(struct sync_local_cols *c)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		free(c->name[i]);
	free(c->name);
	free(c->notnull);
	free(c->integer);
	memset(c, 0, sizeof(*c));
}

void
sync_local_close(struct sync_local *sl)
{
	size_t	 i;

	if (sl == NULL)
		return;
	for (i = 0; i < SL_NENTITIES; i++)
		sync_local_cols_free(&sl->cols[i]);
	store_close(sl->copy);
	store_close_db(sl->outbox, SYNC_LOCAL_OUTBOX);
	free(sl);
}

struct store *
sync_local_store(struct sync_local *sl)
{
	return sl->copy;
}

struct sqlite3 *
sync_local_outbox_db(struct sync_local *sl)
{
	return sl->outbox;
}

uint64_t
sync_local_cursor(struct sync_local *sl)
{
	int64_t	 cursor = 0;

	if (store_int(sl->copy, &cursor, "SELECT CASE WHEN snapshot THEN 0"
	    " ELSE cursor END FROM copy_sync", "") != 0 || cursor < 0)
		return 0;
	return (uint64_t)cursor;
}

int
sync_local_stale(struct sync_local *sl)
{
	return store_write(sl->copy, NULL, "UPDATE copy_sync SET snapshot = 1",
	    "");
}

/* ---- rows ---------------------------------------------------------- */

static const struct sync_local_entity *
sync_local_entity(const char *name, size_t *idx)
{
	size_t	 i;

	for (i = 0; i < SL_NENTITIES; i++) {
		if (strcmp(sync_local_entities[i].entity, name) == 0) {
			*idx = i;
			return &sync_local_entities[i];
		}
	}
	return NULL;
}

static const struct sync_local_cols *
sync_local_columns(struct sync_local *sl, size_t idx)
{
	struct sync_local_cols	*c = &sl->cols[idx];
	sqlite3_stmt		*stmt;
	const char		*type;
	char			*sql;
	int			 rc;

	if (c->loaded)
		return c;
	/* The table name is one of sync_local_entities[], never input. */
	sql = xasprintf("PRAGMA table_info(%s)", sync_local_entities[idx].table);
	stmt = store_stmt(sl->copy, sql, "");
	free(sql);
	if (stmt == NULL)
		return NULL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		c->name = xrealloc(c->name, (c->n + 1) * sizeof(*c->name));
		c->notnull = xrealloc(c->notnull, (c->n + 1) * sizeof(int));
		c->integer = xrealloc(c->integer, (c->n + 1) * sizeof(int));
		c->name[c->n] = store_column_dup(stmt, 1);
		type = (const char *)sqlite3_column_text(stmt, 2);
		c->integer[c->n] = type != NULL && strcmp(type, "INTEGER") == 0;
		c->notnull[c->n] = sqlite3_column_int(stmt, 3) != 0 &&
		    sqlite3_column_type(stmt, 4) == SQLITE_NULL &&
		    sqlite3_column_int(stmt, 5) == 0;	/* not the key */
		c->n++;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		sync_local_cols_free(c);
		return NULL;
	}
	c->loaded = 1;
	return c;
}

/* The column index of name in c, or -1. */
static int
sync_local_col(const struct sync_local_cols *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->n; i++) {
		if (strcmp(c->name[i], name) == 0)
			return (int)i;
	}
	return -1;
}

/* A field a column can hold. */
static int
sync_local_scalar(const struct sync_field *f)
{
	return f->type == SYNC_F_NULL || f->type == SYNC_F_INT ||
	    f->type == SYNC_F_TEXT || f->type == SYNC_F_BLOB ||
	    f->type == SYNC_F_UUID;
}

static void
sync_local_bind(sqlite3_stmt *stmt, int idx, const struct sync_field *f)
{
	switch (f->type) {
	case SYNC_F_INT:
		sqlite3_bind_int64(stmt, idx, f->i);
		break;
	case SYNC_F_TEXT:
	case SYNC_F_UUID:
		sqlite3_bind_text(stmt, idx, f->s, -1, SQLITE_TRANSIENT);
		break;
	case SYNC_F_BLOB:
		sqlite3_bind_blob(stmt, idx, f->s, (int)f->len,
		    SQLITE_TRANSIENT);
		break;
	default:
		sqlite3_bind_null(stmt, idx);
	}
}

/* Run a statement made here (?1 the uuid, then the fields kept). */
static int
sync_local_run(struct store *st, const char *sql, const char *uuid,
    const struct sync_field *const *kept, size_t nkept, int *changes)
{
	sqlite3_stmt	*stmt;
	size_t		 i;
	int		 rc;

	*changes = 0;
	if ((stmt = store_prepare(st, sql)) == NULL)
		return PERR_DB;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
	for (i = 0; i < nkept; i++)
		sync_local_bind(stmt, (int)i + 2, kept[i]);
	if ((rc = sqlite3_step(stmt)) == SQLITE_DONE) {
		rc = 0;
		*changes = sqlite3_changes(store_db(st));
	} else
		rc = store_fail(st, "sync: storing a row");
	sqlite3_finalize(stmt);
	return rc;
}

/* Drop the rows uuid names, and what they take along. */
static int
sync_local_delete(struct sync_local *sl, const struct sync_local_entity *e,
    const char *uuid)
{
	char	*sql;
	size_t	 i;
	int	 rc = 0, n;

	for (i = 0; i < nitems(e->take) && e->take[i] != NULL && rc == 0; i++)
		rc = store_write(sl->copy, NULL, e->take[i], "t", uuid);
	if (rc != 0)
		return rc;
	sql = xasprintf("DELETE FROM %s WHERE %s", e->table,
	    e->where != NULL ? e->where : "uuid = ?1");
	rc = sync_local_run(sl->copy, sql, uuid, NULL, 0, &n);
	free(sql);
	return rc;
}

/* Store the row as the server has it. */
static int
sync_local_upsert(struct sync_local *sl, const struct sync_local_entity *e,
    size_t idx, const struct sync_row *row)
{
	const struct sync_local_cols	*c;
	const struct sync_field		*kept[SYNC_MAX_FIELDS], *id = NULL;
	char				*set = NULL, *cols = NULL, *vals = NULL;
	char				*sql = NULL, *t;
	unsigned char			 given[256];
	size_t				 i, nkept = 0;
	int				 rc, n, col;

	if ((c = sync_local_columns(sl, idx)) == NULL)
		return PERR_DB;
	memset(given, 0, sizeof(given));
	for (i = 0; i < row->nfields; i++) {
		col = sync_local_col(c, row->fields[i].name);
		if (col < 0 || !sync_local_scalar(&row->fields[i]) ||
		    strcmp(row->fields[i].name, "uuid") == 0 ||
		    col >= (int)sizeof(given) || given[col])
			continue;	/* not ours to keep */
		given[col] = 1;
		if (strcmp(row->fields[i].name, "id") == 0)
			id = &row->fields[i];
		kept[nkept++] = &row->fields[i];
	}
	rc = 0;
	n = 0;
	if (e->where == NULL && nkept > 0) {
		/* A row held already: update it where it is. */
		for (i = 0; i < nkept; i++) {
			t = xasprintf("%s%s%s = ?%zu", set != NULL ? set : "",
			    set != NULL ? ", " : "", kept[i]->name, i + 2);
			free(set);
			set = t;
		}
		sql = xasprintf("UPDATE %s SET %s WHERE uuid = ?1", e->table,
		    set);
		rc = sync_local_run(sl->copy, sql, row->uuid, kept, nkept, &n);
		free(sql);
		sql = NULL;
	}
	if (rc != 0 || n > 0)
		goto out;
	if (e->where == NULL && id != NULL && id->type == SYNC_F_INT) {
		/* A row id the server gave away again: the old row is
		 * gone there. */
		t = xasprintf("DELETE FROM %s WHERE id = ?2 AND uuid <> ?1",
		    e->table);
		rc = sync_local_run(sl->copy, t, row->uuid, &id, 1, &n);
		free(t);
		if (rc != 0)
			goto out;
	}
	cols = xstrdup(e->where == NULL ? "uuid" : "");
	vals = xstrdup(e->where == NULL ? "?1" : "");
	for (i = 0; i < nkept; i++) {
		t = xasprintf("%s%s%s", cols, *cols != '\0' ? ", " : "",
		    kept[i]->name);
		free(cols);
		cols = t;
		t = xasprintf("%s%s?%zu", vals, *vals != '\0' ? ", " : "",
		    i + 2);
		free(vals);
		vals = t;
	}
	/* What the server left out and the schema insists on. */
	for (i = 0; i < c->n && i < sizeof(given); i++) {
		if (!c->notnull[i] || given[i] || strcmp(c->name[i], "uuid") == 0)
			continue;
		t = xasprintf("%s%s%s", cols, *cols != '\0' ? ", " : "",
		    c->name[i]);
		free(cols);
		cols = t;
		t = xasprintf("%s%s%s", vals, *vals != '\0' ? ", " : "",
		    c->integer[i] ? "0" : "''");
		free(vals);
		vals = t;
	}
	if (*cols == '\0')
		goto out;	/* nothing to store */
	sql = xasprintf("INSERT %sINTO %s(%s) VALUES (%s)",
	    e->where != NULL ? "OR REPLACE " : "", e->table, cols, vals);
	rc = sync_local_run(sl->copy, sql, row->uuid, kept, nkept, &n);
out:
	free(sql);
	free(set);
	free(cols);
	free(vals);
	return rc;
}

static int
sync_local_coordinators(struct sync_local *sl, const char *board,
    const struct sync_field *f)
{
	size_t	 i;
	int	 rc;

	rc = store_write(sl->copy, NULL, "DELETE FROM board_coordinators"
	    " WHERE board_id = (SELECT id FROM boards WHERE uuid = ?1)", "t",
	    board);
	for (i = 0; i < f->n && rc == 0; i++)
		rc = store_write(sl->copy, NULL, "INSERT OR IGNORE INTO"
		    " board_coordinators(board_id, user_id) SELECT id, ?2"
		    " FROM boards WHERE uuid = ?1", "ti", board, f->ints[i]);
	return rc;
}

/* A library item's field "size": its blob's row, so the card shows the
 * size and a fetch knows it (the bytes come only when she asks). */
static int
sync_local_blob(struct sync_local *sl, const struct sync_row *row)
{
	const char	*sha = NULL;
	int64_t		 size = -1;
	size_t		 i;

	for (i = 0; i < row->nfields; i++) {
		if (strcmp(row->fields[i].name, "sha256") == 0 &&
		    row->fields[i].type == SYNC_F_TEXT)
			sha = row->fields[i].s;
		else if (strcmp(row->fields[i].name, "size") == 0 &&
		    row->fields[i].type == SYNC_F_INT)
			size = row->fields[i].i;
	}
	if (sha == NULL || size < 0)
		return 0;
	return store_write(sl->copy, NULL, "INSERT OR REPLACE INTO blobs(sha256,"
	    " size, created_at) VALUES (?1, ?2, strftime('%s', 'now'))", "ti",
	    sha, size);
}

/* A poll's fields "votes" (by option) and "voters": its totals. */
static int
sync_local_poll_totals(struct sync_local *sl, const struct sync_row *row)
{
	const struct sync_field	*f;
	size_t			 i, k;
	int			 rc = 0;

	for (i = 0; i < row->nfields && rc == 0; i++) {
		f = &row->fields[i];
		if (strcmp(f->name, "votes") == 0 && f->type == SYNC_F_INTS) {
			rc = store_write(sl->copy, NULL, "DELETE FROM"
			    " copy_poll_votes WHERE poll_id = (SELECT id FROM"
			    " polls WHERE uuid = ?1)", "t", row->uuid);
			for (k = 0; k < f->n && rc == 0; k++)
				rc = store_write(sl->copy, NULL, "INSERT INTO"
				    " copy_poll_votes(poll_id, n, votes) SELECT"
				    " id, ?2, ?3 FROM polls WHERE uuid = ?1",
				    "tii", row->uuid, (int64_t)k, f->ints[k]);
		} else if (strcmp(f->name, "voters") == 0 &&
		    f->type == SYNC_F_INT)
			rc = store_write(sl->copy, NULL, "INSERT OR REPLACE INTO"
			    " copy_poll_voters(poll_id, voters) SELECT id, ?2"
			    " FROM polls WHERE uuid = ?1", "ti", row->uuid,
			    f->i);
	}
	return rc;
}

static int
sync_local_row(struct sync_local *sl, const struct sync_row *row)
{
	const struct sync_local_entity	*e;
	size_t				 idx;

	size_t				 i;
	int				 rc;

	if ((e = sync_local_entity(row->entity, &idx)) == NULL) {
		log_debug("sync: entity %s not kept", row->entity);
		return 0;
	}
	if (row->op == SYNC_DELETE)
		return sync_local_delete(sl, e, row->uuid);
	if ((rc = sync_local_upsert(sl, e, idx, row)) != 0)
		return rc;
	if (strcmp(e->entity, "poll") == 0)
		return sync_local_poll_totals(sl, row);
	if (strcmp(e->entity, "library") == 0)
		return sync_local_blob(sl, row);
	/* A board's coordinators come as its field "coordinators", their
	 * user ids: the rights a copy judges a coordinator's writes by. */
	for (i = 0; i < row->nfields && strcmp(e->entity, "board") == 0; i++)
		if (strcmp(row->fields[i].name, "coordinators") == 0 &&
		    row->fields[i].type == SYNC_F_INTS)
			return sync_local_coordinators(sl, row->uuid,
			    &row->fields[i]);
	return 0;
}

/* ---- batches --------------------------------------------------------- */

/* The first batch of a snapshot: every row held from the server is
 * marked; the snapshot's rows clear their marks. */
static int
sync_local_mark(struct sync_local *sl)
{
	char	*sql;
	size_t	 i;
	int	 rc;

	if ((rc = store_exec(sl->copy, "DELETE FROM copy_marks")) != 0)
		return rc;
	for (i = 0; i < SL_NENTITIES && rc == 0; i++) {
		sql = xasprintf("INSERT OR IGNORE INTO copy_marks(entity, uuid)"
		    " SELECT '%s', uuid FROM (%s) WHERE uuid IS NOT NULL",
		    sync_local_entities[i].entity, sync_local_entities[i].mark);
		rc = store_exec(sl->copy, sql);
		free(sql);
	}
	return rc;
}

/* The last batch of a snapshot: the rows still marked are gone. */
static int
sync_local_sweep(struct sync_local *sl)
{
	const struct sync_local_entity	*e;
	sqlite3_stmt			*stmt;
	char				 uuid[37], entity[SYNC_MAX_ENTITY + 1];
	size_t				 idx;
	int				 rc;

	for (;;) {
		stmt = store_stmt(sl->copy, "SELECT entity, uuid FROM copy_marks"
		    " LIMIT 1", "");
		if ((rc = store_first(sl->copy, stmt, "sync: sweep")) != 0) {
			sqlite3_finalize(stmt);
			return rc == PERR_NOTFOUND ? 0 : rc;
		}
		strlcpy_p(entity, (const char *)sqlite3_column_text(stmt, 0),
		    sizeof(entity));
		strlcpy_p(uuid, (const char *)sqlite3_column_text(stmt, 1),
		    sizeof(uuid));
		sqlite3_finalize(stmt);
		if ((e = sync_local_entity(entity, &idx)) != NULL &&
		    (rc = sync_local_delete(sl, e, uuid)) != 0)
			return rc;
		if ((rc = store_write(sl->copy, NULL, "DELETE FROM copy_marks"
		    " WHERE entity = ?1 AND uuid = ?2", "tt", entity, uuid)) != 0)
			return rc;
	}
}

int
sync_local_batch(struct sync_local *sl, const struct sync_msg *m)
{
	unsigned	 f = m->batch.flags;
	size_t		 i;
	int		 rc;

	if (m->type != SYNC_BATCH)
		return PERR_DB;
	if ((rc = store_begin(sl->copy)) != 0)
		return rc;
	if ((f & SYNC_BATCH_SNAPSHOT) && (f & SYNC_BATCH_FIRST)) {
		if ((rc = sync_local_mark(sl)) == 0)
			rc = store_exec(sl->copy,
			    "UPDATE copy_sync SET snapshot = 1");
	}
	for (i = 0; i < m->batch.nrows && rc == 0; i++) {
		rc = sync_local_row(sl, &m->batch.rows[i]);
		if (rc == 0 && (f & SYNC_BATCH_SNAPSHOT))
			rc = store_write(sl->copy, NULL, "DELETE FROM copy_marks"
			    " WHERE entity = ?1 AND uuid = ?2", "tt",
			    m->batch.rows[i].entity, m->batch.rows[i].uuid);
	}
	if (rc == 0 && (f & SYNC_BATCH_SNAPSHOT) && !(f & SYNC_BATCH_MORE))
		rc = sync_local_sweep(sl);
	/* A snapshot's cursor is 0 but in its last batch: the cursor held
	 * stays until the snapshot is whole. */
	if (rc == 0 && (!(f & SYNC_BATCH_SNAPSHOT) || !(f & SYNC_BATCH_MORE)))
		rc = store_write(sl->copy, NULL, "UPDATE copy_sync SET"
		    " cursor = ?1, snapshot = 0", "i", (int64_t)m->batch.cursor);
	if (rc == 0)
		rc = store_exec(sl->copy, "DELETE FROM changes");
	return store_end(sl->copy, rc);
}

/* ---- the outbox -------------------------------------------------------- */

static void
sync_local_field(struct sync_field *f, size_t *n, const char *name,
    const char *uuid_or_text, enum sync_ftype type)
{
	if (uuid_or_text == NULL)
		return;
	memset(&f[*n], 0, sizeof(f[*n]));
	f[*n].name = name;
	f[*n].type = type;
	f[*n].s = uuid_or_text;
	f[*n].len = strlen(uuid_or_text);
	(*n)++;
}

int
sync_local_push(struct bytes_writer *w, const struct request *r)
{
	static const struct {
		const char	*name;
		size_t		 off;
		int		 f;		/* REQF_ */
	} rows[] = {
#define SL_ROWF(n, f)	{ #n, offsetof(struct request, n), f }
		SL_ROWF(board, REQF_BOARD), SL_ROWF(thread, REQF_THREAD),
		SL_ROWF(post, REQF_POST), SL_ROWF(letter, REQF_LETTER),
		SL_ROWF(to, REQF_TO), SL_ROWF(news, REQF_NEWS),
		SL_ROWF(poll, REQF_POLL), SL_ROWF(item, REQF_ITEM),
		SL_ROWF(event, REQF_EVENT),
		SL_ROWF(room, REQF_ROOM), SL_ROWF(line, REQF_LINE),
#undef SL_ROWF
	};
	const struct request_type	*t = request_type(r->kind);
	struct sync_field		 f[SYNC_MAX_FIELDS];
	struct sync_msg			 m;
	unsigned			 bits;
	size_t				 i, n = 0;

	if (t == NULL)
		return PERR_DB;
	bits = t->fields | t->optional;
	/* Written in another's name: the console's.  A kind that only may
	 * name an author (thread-new) is hers when it names none. */
	if ((bits & REQ_F(REQF_AUTHOR)) && r->author != NULL)
		return PERR_REQ_SERVER;
	/* The row fields, in the order of their REQF_ bits. */
	for (i = 0; i < nitems(rows); i++) {
		if (bits & REQ_F(rows[i].f))
			sync_local_field(f, &n, rows[i].name, *(const char *const *)
			    (const void *)((const char *)r + rows[i].off),
			    SYNC_F_UUID);
	}
	if (bits & REQ_F(REQF_SUBJECT))
		sync_local_field(f, &n, "subject", r->subject, SYNC_F_TEXT);
	if (bits & REQ_F(REQF_BODY))
		sync_local_field(f, &n, "body", r->body, SYNC_F_TEXT);
	if (bits & REQ_F(REQF_TEXT))
		sync_local_field(f, &n, "text", r->text, SYNC_F_TEXT);
	if (bits & REQ_F(REQF_NAME))
		sync_local_field(f, &n, "name", r->name, SYNC_F_TEXT);
	if (bits & REQ_F(REQF_FILE))
		sync_local_field(f, &n, "file", r->file, SYNC_F_TEXT);
	if ((bits & REQ_F(REQF_META)) && r->meta != NULL) {
		sync_local_field(f, &n, "section", r->meta->section,
		    SYNC_F_TEXT);
		sync_local_field(f, &n, "title", r->meta->title, SYNC_F_TEXT);
		sync_local_field(f, &n, "description", r->meta->description,
		    SYNC_F_TEXT);
		sync_local_field(f, &n, "grades", r->meta->grades, SYNC_F_TEXT);
		sync_local_field(f, &n, "tags", r->meta->tags, SYNC_F_TEXT);
	}
	if (bits & REQ_F(REQF_PROFILE)) {
		sync_local_field(f, &n, "display_name", r->display_name,
		    SYNC_F_TEXT);
		sync_local_field(f, &n, "school", r->school, SYNC_F_TEXT);
		sync_local_field(f, &n, "subjects", r->subjects, SYNC_F_TEXT);
		sync_local_field(f, &n, "about", r->about, SYNC_F_TEXT);
	}
	if ((bits & REQ_F(REQF_LIST)) && r->nlist > 0) {
		memset(&f[n], 0, sizeof(f[n]));
		f[n].name = "list";
		f[n].type = SYNC_F_TEXTS;
		f[n].texts = r->list;
		f[n++].n = r->nlist;
	}
	if ((bits & REQ_F(REQF_CHOICE)) && r->nchoice > 0) {
		memset(&f[n], 0, sizeof(f[n]));
		f[n].name = "choice";
		f[n].type = SYNC_F_INTS;
		f[n].ints = r->choice;
		f[n++].n = r->nchoice;
	}
	/* The integers are in no kind's bits: sent when they say
	 * something, as the kinds that read them take 0 for "not given". */
	if (r->number != 0) {
		memset(&f[n], 0, sizeof(f[n]));
		f[n].name = "number";
		f[n].type = SYNC_F_INT;
		f[n++].i = r->number;
	}
	if (r->when != 0) {
		memset(&f[n], 0, sizeof(f[n]));
		f[n].name = "when";
		f[n].type = SYNC_F_INT;
		f[n++].i = r->when;
	}
	if (r->minutes != 0) {
		memset(&f[n], 0, sizeof(f[n]));
		f[n].name = "minutes";
		f[n].type = SYNC_F_INT;
		f[n++].i = r->minutes;
	}
	memset(&m, 0, sizeof(m));
	m.type = SYNC_PUSH;
	strlcpy_p(m.push.uuid, r->uuid, sizeof(m.push.uuid));
	m.push.kind = t->name;
	m.push.fields = f;
	m.push.nfields = n;
	return sync_encode(w, &m);
}

int
sync_local_queue(struct sync_local *sl, const struct request *r,
    struct request_result *res)
{
	const struct request_type	*t = request_type(r->kind);
	struct bytes_writer		 w;
	sqlite3_stmt			*stmt = NULL;
	int				 rc, queued = 0;

	memset(res, 0, sizeof(*res));
	if (t == NULL)
		return PERR_DB;
	if (t->server)
		return PERR_REQ_SERVER;
	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	if ((rc = sync_local_push(&w, r)) != 0) {
		if (rc != PERR_REQ_SERVER) {
			log_warn("outbox: %s %s: %s", t->name, r->uuid,
			    sync_strerror(rc));
			rc = PERR_DB;
		}
		goto out;
	}
	if (sqlite3_prepare_v2(sl->outbox, "INSERT INTO outbox(uuid, kind,"
	    " frame, created_at) VALUES (?1, ?2, ?3, ?4)", -1, &stmt,
	    NULL) != SQLITE_OK) {
		rc = store_fail_db(sl->outbox, "outbox: queue");
		goto out;
	}
	sqlite3_bind_text(stmt, 1, r->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 3, bytes_writer_data(&w),
	    (int)bytes_writer_len(&w), SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, now_unix());
	switch (sqlite3_step(stmt)) {
	case SQLITE_DONE:
		queued = 1;
		break;
	case SQLITE_CONSTRAINT:
		break;		/* queued before: the copy says what it made */
	default:
		rc = store_fail_db(sl->outbox, "outbox: queue");
		goto out;
	}
	if ((rc = request_apply(sl->copy, r, REQUEST_LOCAL, res)) != 0 &&
	    queued)
		(void)store_write_db(sl->outbox, NULL, "DELETE FROM outbox"
		    " WHERE uuid = ?1", "t", r->uuid);
out:
	sqlite3_finalize(stmt);
	bytes_writer_free(&w);
	return rc;
}

void
sync_outbox_free(struct sync_outbox_item *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].field);
		free(v[i].reason);
		free(v[i].frame);
	}
	free(v);
}


int
sync_local_outbox(struct sync_local *sl, enum sync_outbox_state state,
    struct sync_outbox_item **out, size_t *n)
{
	struct sync_outbox_item	*v = NULL, *it;
	sqlite3_stmt		*stmt;
	int			 rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(sl->outbox, "SELECT uuid, kind, code, field,"
	    " reason, created_at, frame FROM outbox WHERE state = ?1"
	    " ORDER BY seq", -1, &stmt, NULL) != SQLITE_OK)
		return store_fail_db(sl->outbox, "outbox: list");
	sqlite3_bind_text(stmt, 1, state == SYNC_OUTBOX_WAITING ? "waiting" :
	    "refused", -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (*n + 1) * sizeof(*v));
		it = &v[(*n)++];
		memset(it, 0, sizeof(*it));
		strlcpy_p(it->uuid, (const char *)sqlite3_column_text(stmt, 0),
		    sizeof(it->uuid));
		it->kind = store_column_dup(stmt, 1);
		it->state = state;
		it->code = sqlite3_column_int(stmt, 2);
		it->field = store_column_dup(stmt, 3);
		it->reason = store_column_dup(stmt, 4);
		it->created_at = sqlite3_column_int64(stmt, 5);
		it->frame = store_column_blob_dup(stmt, 6, &it->len);
	}
	if (rc != SQLITE_DONE) {
		rc = store_fail_db(sl->outbox, "outbox: list");
		sqlite3_finalize(stmt);
		sync_outbox_free(v, *n);
		*n = 0;
		return rc;
	}
	sqlite3_finalize(stmt);
	*out = v;
	return 0;
}

int64_t
sync_local_outbox_count(struct sync_local *sl, enum sync_outbox_state state)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 v = -1;

	if (sqlite3_prepare_v2(sl->outbox, "SELECT count(*) FROM outbox"
	    " WHERE state = ?1", -1, &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, state == SYNC_OUTBOX_WAITING ?
		    "waiting" : "refused", -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			v = sqlite3_column_int64(stmt, 0);
	}
	/* The client's header asks at every repaint: one line in
	 * parta.log for a failure, not one a second. */
	if (v < 0 && !sl->count_failed)
		(void)store_fail_db(sl->outbox, "outbox: count");
	sl->count_failed = v < 0;
	sqlite3_finalize(stmt);
	return v;
}

int64_t
sync_local_outbox_held(struct sync_local *sl)
{
	int64_t	 waiting, refused;

	waiting = sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING);
	refused = sync_local_outbox_count(sl, SYNC_OUTBOX_REFUSED);
	return waiting < 0 || refused < 0 ? -1 : waiting + refused;
}

/* Take out of the copy what request uuid made there (rows with local
 * ids only: a server row it changed stays) and its record. */
static int
sync_local_unmake(struct sync_local *sl, const char *uuid)
{
	static const struct {
		const char	*kind;
		const char	*entity;
	} made[] = {
		{ "thread-new", "thread" }, { "reply", "post" },
		{ "mail-send", "mail" }, { "news-add", "news" },
		{ "poll-add", "poll" }, { "library-comment", "thread" },
		{ "event-add", "event" },
	};
	const struct sync_local_entity	*e;
	sqlite3_stmt			*stmt;
	char				 kind[64], made_uuid[37];
	int64_t				 id;
	size_t				 i, idx;
	int				 rc;

	stmt = store_stmt(sl->copy, "SELECT kind, result_uuid, result_id"
	    " FROM requests WHERE uuid = ?1", "t", uuid);
	if ((rc = store_first(sl->copy, stmt, "sync: unmake")) != 0) {
		sqlite3_finalize(stmt);
		return rc == PERR_NOTFOUND ? 0 : rc;
	}
	strlcpy_p(kind, (const char *)sqlite3_column_text(stmt, 0),
	    sizeof(kind));
	strlcpy_p(made_uuid, (const char *)sqlite3_column_text(stmt, 1),
	    sizeof(made_uuid));
	id = sqlite3_column_int64(stmt, 2);
	sqlite3_finalize(stmt);
	for (i = 0; i < nitems(made) && rc == 0; i++) {
		if (strcmp(made[i].kind, kind) != 0 || !STORE_ID_IS_LOCAL(id) ||
		    (e = sync_local_entity(made[i].entity, &idx)) == NULL)
			continue;
		rc = sync_local_delete(sl, e, made_uuid);
	}
	if (rc == 0)
		rc = store_write(sl->copy, NULL, "DELETE FROM requests"
		    " WHERE uuid = ?1", "t", uuid);
	return rc;
}

int
sync_local_applied(struct sync_local *sl, const struct sync_msg *m)
{
	size_t	 i;
	int	 rc;

	if (m->type != SYNC_APPLIED)
		return PERR_DB;
	if ((rc = store_begin(sl->copy)) != 0)
		return rc;
	rc = sync_local_unmake(sl, m->applied.uuid);
	for (i = 0; i < m->applied.nrows && rc == 0; i++)
		rc = sync_local_row(sl, &m->applied.rows[i]);
	if (rc == 0)
		rc = store_exec(sl->copy, "DELETE FROM changes");
	if ((rc = store_end(sl->copy, rc)) != 0)
		return rc;
	return store_write_db(sl->outbox, NULL, "DELETE FROM outbox WHERE"
	    " uuid = ?1", "t", m->applied.uuid);
}

int
sync_local_refused(struct sync_local *sl, const struct sync_msg *m)
{
	int	 rc, n;

	if (m->type != SYNC_REFUSED || strlen(m->refused.ref) != 36)
		return PERR_NOTFOUND;
	if ((rc = store_write_db(sl->outbox, &n, "UPDATE outbox SET"
	    " state = 'refused', field = ?2, reason = ?3, code = ?4,"
	    " answered_at = CAST(strftime('%s', 'now') AS INTEGER)"
	    " WHERE uuid = ?1", "ttti", m->refused.ref, m->refused.field,
	    m->refused.reason, (int64_t)m->refused.code)) != 0)
		return rc;
	if (n == 0)
		return PERR_NOTFOUND;
	if ((rc = store_begin(sl->copy)) != 0)
		return rc;
	rc = sync_local_unmake(sl, m->refused.ref);
	if ((rc = store_end(sl->copy, rc)) != 0)
		return rc;
	/* A read pointer refused (it named a post the server does not
	 * have yet, or may no longer show) is nothing she wrote: it is not
	 * kept to be mended, the next read moves it. */
	return store_write_db(sl->outbox, NULL, "DELETE FROM outbox WHERE"
	    " uuid = ?1 AND kind IN ('thread-read', 'board-read', 'news-seen')",
	    "t", m->refused.ref);
}

/* One statement on a refused item named by uuid. */
static int
sync_local_on_refused(struct sync_local *sl, const char *sql,
    const char *uuid)
{
	int	 rc, n;

	if ((rc = store_write_db(sl->outbox, &n, sql, "t", uuid)) != 0)
		return rc;
	return n == 0 ? PERR_NOTFOUND : 0;
}

int
sync_local_retry(struct sync_local *sl, const char *uuid)
{
	return sync_local_on_refused(sl, "UPDATE outbox SET"
	    " state = 'waiting', code = 0, field = '', reason = ''"
	    " WHERE uuid = ?1 AND state = 'refused'", uuid);
}

/* The PUSH of item it with its subject and body replaced, into w. */
static int
sync_local_remade(const struct sync_outbox_item *it, const char *subject,
    const char *body, struct bytes_writer *w)
{
	struct sync_field	 f[SYNC_MAX_FIELDS];
	struct sync_msg		 m;
	size_t			 i;
	int			 rc;

	memset(&m, 0, sizeof(m));
	if (sync_decode(it->frame, it->len, 0, &m) != 0 ||
	    m.type != SYNC_PUSH || m.push.nfields > SYNC_MAX_FIELDS) {
		sync_msg_free(&m);
		return PERR_DB;
	}
	for (i = 0; i < m.push.nfields; i++) {
		f[i] = m.push.fields[i];
		if (f[i].type == SYNC_F_TEXT && subject != NULL &&
		    strcmp(f[i].name, "subject") == 0)
			f[i].s = subject;
		else if (f[i].type == SYNC_F_TEXT && body != NULL &&
		    strcmp(f[i].name, "body") == 0)
			f[i].s = body;
		if (f[i].type == SYNC_F_TEXT)
			f[i].len = strlen(f[i].s);
	}
	m.push.fields = f;
	rc = sync_encode(w, &m) == 0 ? 0 : PERR_TOOLONG;
	sync_msg_free(&m);
	return rc;
}

/* Item uuid, in state, carries the frame in w now, and waits.  0,
 * PERR_NOTFOUND (no such item in that state) or PERR_DB. */
static int
sync_local_reframe(struct sync_local *sl, const char *uuid,
    enum sync_outbox_state state, const struct bytes_writer *w)
{
	sqlite3_stmt	*stmt;
	int		 rc = PERR_DB;

	if (sqlite3_prepare_v2(sl->outbox, "UPDATE outbox SET frame = ?2,"
	    " state = 'waiting', code = 0, field = '', reason = ''"
	    " WHERE uuid = ?1 AND state = ?3", -1, &stmt, NULL) != SQLITE_OK)
		return store_fail_db(sl->outbox, "outbox: reframe");
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 2, bytes_writer_data(w),
	    (int)bytes_writer_len(w), SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, state == SYNC_OUTBOX_WAITING ? "waiting" :
	    "refused", -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_DONE)
		rc = sqlite3_changes(sl->outbox) == 1 ? 0 : PERR_NOTFOUND;
	else
		rc = store_fail_db(sl->outbox, "outbox: reframe");
	sqlite3_finalize(stmt);
	return rc;
}

int
sync_local_mend(struct sync_local *sl, const char *uuid, const char *subject,
    const char *body)
{
	struct sync_outbox_item	*v = NULL;
	struct bytes_writer	 w;
	size_t			 n = 0, i;
	int			 rc;

	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	if ((rc = sync_local_outbox(sl, SYNC_OUTBOX_REFUSED, &v, &n)) != 0)
		goto out;
	for (i = 0; i < n && strcmp(v[i].uuid, uuid) != 0; i++)
		;
	rc = PERR_NOTFOUND;
	if (i < n && (rc = sync_local_remade(&v[i], subject, body, &w)) == 0)
		rc = sync_local_reframe(sl, uuid, SYNC_OUTBOX_REFUSED, &w);
out:
	sync_outbox_free(v, n);
	bytes_writer_free(&w);
	return rc;
}

int
sync_local_drop(struct sync_local *sl, const char *uuid)
{
	return sync_local_on_refused(sl, "DELETE FROM outbox"
	    " WHERE uuid = ?1 AND state = 'refused'", uuid);
}

/* ---- an unsent post changed: folded into the item that makes it ---- */

/* 1 if the PUSH of item it names one of the n UUIDs of names and would
 * be refused without it; a read pointer (a monotone kind) is not: the
 * next read moves it. */
static int
sync_local_names(const struct sync_outbox_item *it, const char *const *names,
    size_t n)
{
	struct sync_msg	 m;
	size_t		 i, k;
	int		 kind = request_kind_named(it->kind), found = 0;

	if (kind >= 0 && request_type((enum request_kind)kind)->monotone)
		return 0;
	memset(&m, 0, sizeof(m));
	if (sync_decode(it->frame, it->len, 0, &m) == 0 &&
	    m.type == SYNC_PUSH) {
		for (i = 0; i < m.push.nfields && !found; i++)
			for (k = 0; k < n && !found; k++)
				found = m.push.fields[i].type == SYNC_F_UUID &&
				    strcmp(m.push.fields[i].s, names[k]) == 0;
	}
	sync_msg_free(&m);
	return found;
}

/* The request the copy made post uuid by (a reply, or the new thread
 * whose first post it is) into made, and its thread's UUID into thread,
 * empty for a reply.  0, PERR_SENT_POST (none: the server's post), or
 * PERR_DB. */
static int
sync_local_maker(struct sync_local *sl, const char *post, char made[37],
    char thread[37])
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*made = *thread = '\0';
	stmt = store_stmt(sl->copy, "SELECT q.uuid, CASE q.kind WHEN"
	    " 'thread-new' THEN t.uuid ELSE '' END FROM posts p"
	    " JOIN threads t ON t.id = p.thread_id JOIN requests q"
	    " ON (q.kind = 'reply' AND q.result_uuid = p.uuid) OR"
	    " (q.kind = 'thread-new' AND q.result_uuid = t.uuid AND p.id ="
	    " (SELECT min(id) FROM posts WHERE thread_id = t.id))"
	    " WHERE p.uuid = ?1", "t", post);
	if ((rc = store_first(sl->copy, stmt, "outbox: fold")) == 0) {
		strlcpy_p(made, (const char *)sqlite3_column_text(stmt, 0), 37);
		strlcpy_p(thread, (const char *)sqlite3_column_text(stmt, 1),
		    37);
	}
	sqlite3_finalize(stmt);
	return rc == PERR_NOTFOUND ? PERR_SENT_POST : rc;
}

int
sync_local_fold(struct sync_local *sl, const struct request *r,
    struct request_result *res)
{
	struct sync_outbox_item	*v = NULL;
	struct bytes_writer	 w;
	const char		*names[2];
	char			 made[37], thread[37];
	size_t			 n = 0, i, k;
	int			 rc;

	memset(res, 0, sizeof(*res));
	if (r->kind != REQ_POST_EDIT && r->kind != REQ_POST_DELETE)
		return PERR_DB;
	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	if ((rc = sync_local_maker(sl, r->post, made, thread)) != 0 ||
	    (rc = sync_local_outbox(sl, SYNC_OUTBOX_WAITING, &v, &n)) != 0)
		goto out;
	for (i = 0; i < n && strcmp(v[i].uuid, made) != 0; i++)
		;
	rc = PERR_SENT_POST;
	if (i == n)
		goto out;
	if (r->kind == REQ_POST_EDIT) {
		if ((rc = sync_local_remade(&v[i], NULL, r->body, &w)) != 0)
			goto out;
	} else {
		/* What names it would be refused without it. */
		names[0] = r->post;
		names[1] = thread;
		for (k = 0; k < n; k++)
			if (k != i && sync_local_names(&v[k], names,
			    *thread != '\0' ? 2 : 1)) {
				rc = PERR_ANSWERED;
				goto out;
			}
	}
	/* The copy first: what it refuses leaves the item as it was. */
	if ((rc = request_apply(sl->copy, r, REQUEST_LOCAL, res)) != 0)
		goto out;
	if (r->kind == REQ_POST_EDIT)
		rc = sync_local_reframe(sl, made, SYNC_OUTBOX_WAITING, &w);
	else if ((rc = store_write_db(sl->outbox, NULL, "DELETE FROM outbox"
	    " WHERE uuid = ?1 AND state = 'waiting'", "t", made)) == 0)
		rc = store_write(sl->copy, NULL, "DELETE FROM requests"
		    " WHERE uuid = ?1", "t", made);
out:
	sync_outbox_free(v, n);
	bytes_writer_free(&w);
	return rc;
}
