/*
 * store.c: opening, migrating, transactions and backup of the SQLite
 * store.  See store-schema.c for the tables.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collate.h"
#include "confusable.h"
#include "log.h"
#include "perr.h"
#include "search.h"
#include "store-schema.h"
#include "store.h"
#include "util.h"

#define STORE_BUSY_MS	10000

struct store {
	sqlite3	*db;
	char	*path;
};

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

const char *
store_path(struct store *st)
{
	return st->path;
}

int
store_fail(struct store *st, const char *what)
{
	log_error("store: %s: %s", what, sqlite3_errmsg(st->db));
	return PERR_DB;
}

sqlite3_stmt *
store_prepare(struct store *st, const char *sql)
{
	sqlite3_stmt	*stmt = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_fail(st, sql);
		return NULL;
	}
	return stmt;
}

int
store_exec(struct store *st, const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_error("store: %s", err != NULL ? err : sqlite3_errmsg(st->db));
		sqlite3_free(err);
		return PERR_DB;
	}
	return 0;
}

int
store_begin(struct store *st)
{
	return store_exec(st, "BEGIN IMMEDIATE");
}

int
store_begin_read(struct store *st)
{
	return store_exec(st, "BEGIN DEFERRED");
}

int
store_commit(struct store *st)
{
	return store_exec(st, "COMMIT");
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		(void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int
store_bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(stmt, idx);
	return sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT);
}

char *
store_column_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char	*s = sqlite3_column_text(stmt, col);

	return xstrdup(s != NULL ? (const char *)s : "");
}

static int
store_version(struct store *st, int *version)
{
	sqlite3_stmt	*stmt;
	int		 rc = PERR_DB;

	if ((stmt = store_prepare(st, "PRAGMA user_version")) == NULL)
		return PERR_DB;
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*version = sqlite3_column_int(stmt, 0);
		rc = 0;
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Apply every migration newer than the store, each in its own
 * transaction together with the version bump. */
static int
store_migrate(struct store *st, char **cause)
{
	int	 version, v;
	char	 sql[64];

	if (store_begin(st) != 0 || store_version(st, &version) != 0) {
		*cause = xasprintf("%s: cannot read the schema version", st->path);
		store_rollback(st);
		return -1;
	}
	if (version > store_nmigrations) {
		*cause = xasprintf("%s: schema version %d is newer than this "
		    "program knows (%d)", st->path, version, store_nmigrations);
		store_rollback(st);
		return -1;
	}
	for (v = version; v < store_nmigrations; v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (store_exec(st, store_migrations[v]) != 0 ||
		    store_exec(st, sql) != 0) {
			*cause = xasprintf("%s: migration to version %d failed",
			    st->path, v + 1);
			store_rollback(st);
			return -1;
		}
		log_info("store: migrated %s to schema version %d", st->path, v + 1);
	}
	if (store_commit(st) != 0) {
		*cause = xasprintf("%s: cannot commit the schema", st->path);
		store_rollback(st);
		return -1;
	}
	return 0;
}

int
store_open(const char *path, struct store **out, char **cause)
{
	struct store	*st;
	mode_t		 old;
	int		 rc;

	*out = NULL;
	*cause = NULL;
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	old = umask(077);	/* the store holds password hashes */
	rc = sqlite3_open_v2(path, &st->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	umask(old);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("%s: %s", path,
		    st->db != NULL ? sqlite3_errmsg(st->db) : "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (store_exec(st, "PRAGMA journal_mode = WAL") != 0 ||
	    store_exec(st, "PRAGMA foreign_keys = ON") != 0 ||
	    store_exec(st, "PRAGMA synchronous = NORMAL") != 0) {
		*cause = xasprintf("%s: %s", path, sqlite3_errmsg(st->db));
		goto fail;
	}
	/* ORDER BY ... COLLATE RU, fold() and name_key() (used by a
	 * migration too) exist on every connection. */
	if (collate_register(st->db) != 0 || confusable_register(st->db) != 0) {
		*cause = xasprintf("%s: cannot register the RU collation", path);
		goto fail;
	}
	/* The search indexes' triggers need the tokenizer on every write. */
	if (search_register(st->db) != 0) {
		*cause = xasprintf("%s: cannot set up full-text search", path);
		goto fail;
	}
	if (store_migrate(st, cause) != 0)
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->db != NULL)
		sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int
store_backup(struct store *st, const char *dest, char **cause)
{
	sqlite3		*to = NULL;
	sqlite3_backup	*bk;
	int		 rc;
	struct stat	 sb;

	*cause = NULL;
	if (stat(dest, &sb) == 0) {
		*cause = xasprintf("%s: file exists; not overwriting it", dest);
		return -1;
	}
	if (sqlite3_open_v2(dest, &to,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		*cause = xasprintf("%s: %s", dest,
		    to != NULL ? sqlite3_errmsg(to) : "cannot open");
		sqlite3_close(to);
		return -1;
	}
	sqlite3_busy_timeout(to, STORE_BUSY_MS);
	if ((bk = sqlite3_backup_init(to, "main", st->db, "main")) == NULL) {
		*cause = xasprintf("%s: %s", dest, sqlite3_errmsg(to));
		sqlite3_close(to);
		return -1;
	}
	/* Copy in steps so writers are not held up for the whole copy; a
	 * write by another connection restarts the copy, which is what keeps
	 * it consistent. */
	do {
		rc = sqlite3_backup_step(bk, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		*cause = xasprintf("%s: backup failed: %s", dest, sqlite3_errstr(rc));
		sqlite3_close(to);
		unlink(dest);
		return -1;
	}
	if (sqlite3_close(to) != SQLITE_OK) {
		*cause = xasprintf("%s: cannot close the copy", dest);
		return -1;
	}
	return 0;
}
