/*
 * store.c: opening, migrating, transactions and backup of the SQLite
 * store.  See store-schema.c for the tables.
 *
 * Opening looks before it writes: the file's first bytes, then its
 * application_id, user_version and tables are read before journal_mode
 * or anything else is set, so that a file that is not parta's, a
 * truncated one or one from a newer parta is refused exactly as it was
 * found.  Only then does a writable mode switch to WAL and migrate, in
 * one IMMEDIATE transaction that reads the version again (two processes
 * may open a new store at once).
 *
 * Transactions nest with savepoints named after their depth; depth
 * counts the levels store_begin() opened.  When SQLite rolls the whole
 * transaction back on its own (SQLITE_FULL, SQLITE_IOERR, ...) the
 * connection is in autocommit mode while depth is still above 0: every
 * level is dead then, and the statements of a caller that carries on are
 * refused instead of being committed one by one outside any transaction.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
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
/* PRAGMA application_id of parta's stores: "Prta". */
#define STORE_APP_ID	0x50727461
#define STORE_MAGIC	"SQLite format 3"	/* and its NUL: 16 bytes */
#define STORE_HEADER	100

struct store {
	sqlite3		*db;
	char		*path;
	enum store_mode	 mode;
	int		 depth;		/* levels store_begin() opened */
	int		 poisoned;	/* a savepoint failed: no level commits */
	struct store_meta meta;
};

/* What store_look() found in a file that SQLite can read. */
struct store_look {
	int	 app_id;
	int	 version;
	int	 objects;	/* rows of sqlite_master */
	int	 parta_tables;	/* users and changes are there */
	int	 has_meta;
};

static const char *const store_kinds[] = {
	[STORE_SERVER] = "server",
	[STORE_LOCAL] = "local",
	[STORE_READONLY] = "",
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

const struct store_meta *
store_meta(struct store *st)
{
	return &st->meta;
}

int
store_is_scratch(struct store *st)
{
	return st->meta.kind != NULL && strcmp(st->meta.kind, "digest") == 0;
}

int
store_depth(struct store *st)
{
	return st->depth;
}

int
store_fail_db(sqlite3 *db, const char *what)
{
	int	 code = sqlite3_extended_errcode(db);

	/* The extended code tells one I/O error from another. */
	log_error("store: %s: %s (SQLite %d)", what, sqlite3_errmsg(db), code);
	return (code & 0xff) == SQLITE_FULL ? PERR_FULL : PERR_DB;
}

int
store_fail(struct store *st, const char *what)
{
	return store_fail_db(st->db, what);
}

/* 1 (logged) when a level is open but SQLite ended the transaction. */
static int
store_lost(struct store *st, const char *what)
{
	if (st->depth == 0 || !sqlite3_get_autocommit(st->db))
		return 0;
	log_error("store: %s: the transaction was rolled back already", what);
	return 1;
}

sqlite3_stmt *
store_prepare(struct store *st, const char *sql)
{
	sqlite3_stmt	*stmt = NULL;

	if (store_lost(st, sql))
		return NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_fail(st, sql);
		return NULL;
	}
	return stmt;
}

/* sqlite3_exec with the error logged; no check of the transaction. */
static int
store_sql(struct store *st, const char *sql)
{
	char	*err = NULL;
	int	 code;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		code = sqlite3_extended_errcode(st->db);
		log_error("store: %s", err != NULL ? err : sqlite3_errmsg(st->db));
		sqlite3_free(err);
		return (code & 0xff) == SQLITE_FULL ? PERR_FULL : PERR_DB;
	}
	return 0;
}

int
store_exec(struct store *st, const char *sql)
{
	if (store_lost(st, sql))
		return PERR_DB;
	return store_sql(st, sql);
}

/* Open a level: the transaction itself (begin) or a savepoint. */
static int
store_push(struct store *st, const char *begin)
{
	char	 sql[32];
	int	 rc;

	if (st->depth == 0) {
		if ((rc = store_sql(st, begin)) != 0)
			return rc;
		st->poisoned = 0;
		st->depth = 1;
		return 0;
	}
	snprintf(sql, sizeof(sql), "SAVEPOINT store_%d", st->depth);
	if (store_lost(st, sql) || (rc = store_sql(st, sql)) != 0) {
		/* The caller may or may not roll back after this; either way
		 * the transaction around it must not commit. */
		st->poisoned = 1;
		return PERR_DB;
	}
	st->depth++;
	return 0;
}

int
store_begin(struct store *st)
{
	return store_push(st, "BEGIN IMMEDIATE");
}

int
store_begin_read(struct store *st)
{
	return store_push(st, "BEGIN DEFERRED");
}

int
store_commit(struct store *st)
{
	char	 sql[32];
	int	 rc;

	if (st->depth == 0)
		return store_sql(st, "COMMIT");	/* fails: none is open */
	if (sqlite3_get_autocommit(st->db)) {
		log_error("store: commit: the transaction was rolled back already");
		return PERR_DB;		/* the caller's store_rollback() pops it */
	}
	if (st->depth > 1) {
		snprintf(sql, sizeof(sql), "RELEASE store_%d", st->depth - 1);
		if ((rc = store_sql(st, sql)) != 0)
			return rc;
		st->depth--;
		return 0;
	}
	if (st->poisoned) {
		log_error("store: commit: an inner level failed to begin");
		return PERR_DB;
	}
	if ((rc = store_sql(st, "COMMIT")) != 0) {
		/* SQLite may have rolled back already; if not, the caller's
		 * store_rollback() will. */
		return rc;
	}
	st->depth = 0;
	return 0;
}

void
store_rollback(struct store *st)
{
	char	 sql[64];

	if (st->depth > 1) {
		if (!sqlite3_get_autocommit(st->db)) {
			snprintf(sql, sizeof(sql), "ROLLBACK TO store_%d;"
			    " RELEASE store_%d", st->depth - 1, st->depth - 1);
			(void)sqlite3_exec(st->db, sql, NULL, NULL, NULL);
		}
		st->depth--;
		return;
	}
	if (!sqlite3_get_autocommit(st->db))
		(void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->depth = 0;
	st->poisoned = 0;
}

int
store_end(struct store *st, int rc)
{
	if (rc == 0)
		rc = store_commit(st);
	if (rc != 0)
		store_rollback(st);
	return rc;
}

/* Bind ap's values to stmt as types says (store.h, store_stmt), the
 * first to parameter ?first. */
static int
store_bindv(sqlite3_stmt *stmt, int first, const char *types, va_list ap)
{
	const char	*s;
	int		 i, n = sqlite3_bind_parameter_count(stmt), rc = SQLITE_OK;

	for (i = 0; types[i] != '\0' && first + i <= n && rc == SQLITE_OK;
	    i++) {
		switch (types[i]) {
		case 'i':
			rc = sqlite3_bind_int64(stmt, first + i,
			    va_arg(ap, int64_t));
			break;
		case 't':
			s = va_arg(ap, const char *);
			rc = store_bind_text(stmt, first + i, s);
			break;
		case 'n':
			rc = sqlite3_bind_null(stmt, first + i);
			break;
		default:
			return SQLITE_MISUSE;
		}
	}
	return rc;
}

/* ap's values bound to stmt (prepared from sql; NULL gives NULL), the
 * first to ?first: stmt, or NULL (logged, stmt finalized). */
static sqlite3_stmt *
store_bound(sqlite3_stmt *stmt, const char *sql, int first,
    const char *types, va_list ap)
{
	int	 rc;

	if (stmt == NULL)
		return NULL;
	if ((rc = store_bindv(stmt, first, types, ap)) != SQLITE_OK) {
		log_error("store: binding \"%s\" to %s: %s", types, sql,
		    sqlite3_errstr(rc));
		sqlite3_finalize(stmt);
		return NULL;
	}
	return stmt;
}

/* store_stmt with the arguments as a va_list, the first bound to ?first. */
static sqlite3_stmt *
store_stmt_at(struct store *st, const char *sql, int first,
    const char *types, va_list ap)
{
	return store_bound(store_prepare(st, sql), sql, first, types, ap);
}

sqlite3_stmt *
store_stmtv(struct store *st, const char *sql, const char *types, va_list ap)
{
	return store_stmt_at(st, sql, 1, types, ap);
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql, const char *types, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;

	va_start(ap, types);
	stmt = store_stmtv(st, sql, types, ap);
	va_end(ap);
	return stmt;
}

/* Step the write stmt of db (NULL gives PERR_DB) once and finalize it,
 * as store_write() says; *changes (if not NULL) gets the rows it
 * changed.  The conflict is read from the extended code, which a
 * connection without extended result codes (the outbox's) has too. */
static int
store_step_write(sqlite3 *db, sqlite3_stmt *stmt, const char *sql,
    int *changes)
{
	int	 rc;

	if (stmt == NULL)
		return PERR_DB;
	if ((rc = sqlite3_step(stmt)) == SQLITE_DONE) {
		rc = 0;
		if (changes != NULL)
			*changes = sqlite3_changes(db);
	} else if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE ||
	    sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY)
		rc = PERR_EXISTS;
	else
		rc = store_fail_db(db, sql);
	sqlite3_finalize(stmt);
	return rc;
}

int
store_write(struct store *st, int *changes, const char *sql,
    const char *types, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;

	if (changes != NULL)
		*changes = 0;
	va_start(ap, types);
	stmt = store_stmtv(st, sql, types, ap);
	va_end(ap);
	return store_step_write(st->db, stmt, sql, changes);
}

int
store_write_db(sqlite3 *db, int *changes, const char *sql,
    const char *types, ...)
{
	sqlite3_stmt	*stmt = NULL;
	va_list		 ap;

	if (changes != NULL)
		*changes = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return store_fail_db(db, sql);
	va_start(ap, types);
	stmt = store_bound(stmt, sql, 1, types, ap);
	va_end(ap);
	return store_step_write(db, stmt, sql, changes);
}

int
store_insert(struct store *st, const char *table, int64_t *rowid,
    const char *sql, const char *types, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;
	char		 uuid[37];
	int64_t		 id;
	int		 rc;

	if (rowid != NULL)
		*rowid = 0;
	if ((rc = store_new_row(st, table, &id, uuid)) != 0)
		return rc;
	va_start(ap, types);
	stmt = store_stmt_at(st, sql, 3, types, ap);
	va_end(ap);
	if (stmt != NULL) {
		store_bind_text(stmt, 1, uuid);
		if (id != 0)
			sqlite3_bind_int64(stmt, 2, id);
	}
	if ((rc = store_step_write(st->db, stmt, sql, NULL)) == 0 &&
	    rowid != NULL)
		*rowid = sqlite3_last_insert_rowid(st->db);
	return rc;
}

/* store_int (i not NULL) and store_text (t not NULL), with the values
 * as a va_list. */
static int
store_scalarv(struct store *st, int64_t *i, char **t, const char *sql,
    const char *types, va_list ap)
{
	sqlite3_stmt	*stmt = store_stmtv(st, sql, types, ap);
	int		 rc;

	if ((rc = store_first(st, stmt, sql)) == 0) {
		if (i != NULL)
			*i = sqlite3_column_int64(stmt, 0);
		else
			*t = store_column_dup(stmt, 0);
	}
	sqlite3_finalize(stmt);
	return rc;
}

int
store_int(struct store *st, int64_t *v, const char *sql, const char *types, ...)
{
	va_list		 ap;
	int64_t		 none;
	int		 rc;

	if (v == NULL)
		v = &none;	/* only whether there is a row */
	*v = 0;
	va_start(ap, types);
	rc = store_scalarv(st, v, NULL, sql, types, ap);
	va_end(ap);
	return rc;
}

int
store_text(struct store *st, char **v, const char *sql, const char *types,
    ...)
{
	va_list		 ap;
	int		 rc;

	*v = NULL;
	va_start(ap, types);
	rc = store_scalarv(st, NULL, v, sql, types, ap);
	va_end(ap);
	return rc;
}

/* Fill elem from the row stmt is on, as t says. */
static void
store_fill(sqlite3_stmt *stmt, const struct store_rowtype *t, void *elem)
{
	const struct store_col	*col;
	const unsigned char	*s;
	char			*f;
	int			 i, n = sqlite3_column_count(stmt);

	for (i = 0; i < n && (size_t)i < t->ncols; i++) {
		col = &t->cols[i];
		f = (char *)elem + col->off;
		switch (col->type) {
		case STORE_I64:
			*(int64_t *)(void *)f = sqlite3_column_int64(stmt, i);
			break;
		case STORE_INT:
			*(int *)(void *)f = sqlite3_column_int(stmt, i);
			break;
		case STORE_TEXT_NULL:
			if (sqlite3_column_type(stmt, i) == SQLITE_NULL)
				break;
			/* FALLTHROUGH */
		case STORE_TEXT:
			*(char **)(void *)f = store_column_dup(stmt, i);
			break;
		case STORE_UUID:
			s = sqlite3_column_text(stmt, i);
			strlcpy_p(f, s != NULL ? (const char *)s : "",
			    STORE_UUID_SIZE);
			break;
		case STORE_SKIP:
			break;
		}
	}
	if (t->fix != NULL)
		t->fix(stmt, elem);
}

/* Free what store_fill() copied into elem. */
static void
store_unfill(const struct store_rowtype *t, void *elem)
{
	size_t	 i;

	if (t->clear != NULL)
		t->clear(elem);
	for (i = 0; i < t->ncols; i++)
		if (t->cols[i].type == STORE_TEXT ||
		    t->cols[i].type == STORE_TEXT_NULL)
			free(*(char **)(void *)((char *)elem + t->cols[i].off));
}

int
store_rows(struct store *st, sqlite3_stmt *stmt, const struct store_rowtype *t,
    void *out, size_t *n, const char *what)
{
	char	*v = NULL;
	void	*array = NULL;
	size_t	 cap = 0;
	int	 step;

	/* out is a struct x ** (store.h): written as a void *, which has
	 * the same representation. */
	memcpy(out, &array, sizeof(array));
	*n = 0;
	if (stmt == NULL)
		return PERR_DB;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap)
			v = xrealloc(v, (cap = cap ? cap * 2 : 8) * t->size);
		memset(v + *n * t->size, 0, t->size);
		store_fill(stmt, t, v + (*n)++ * t->size);
	}
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE) {
		store_rows_free(t, v, *n);
		*n = 0;
		return store_fail(st, what);
	}
	array = v;
	memcpy(out, &array, sizeof(array));
	return 0;
}

int
store_row(struct store *st, sqlite3_stmt *stmt, const struct store_rowtype *t,
    void *elem, const char *what)
{
	int	 rc;

	memset(elem, 0, t->size);
	if ((rc = store_first(st, stmt, what)) == 0)
		store_fill(stmt, t, elem);
	sqlite3_finalize(stmt);
	return rc;
}

int
store_row_new(struct store *st, sqlite3_stmt *stmt,
    const struct store_rowtype *t, void *out, const char *what)
{
	void	*elem = xmalloc(t->size);
	int	 rc;

	if ((rc = store_row(st, stmt, t, elem, what)) != 0) {
		store_rows_free(t, elem, 1);
		elem = NULL;
	}
	memcpy(out, &elem, sizeof(elem));
	return rc;
}

int
store_first(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	int	 step;

	if (stmt == NULL)
		return PERR_DB;
	if ((step = sqlite3_step(stmt)) == SQLITE_ROW)
		return 0;
	return step == SQLITE_DONE ? PERR_NOTFOUND : store_fail(st, what);
}

void
store_rows_free(const struct store_rowtype *t, void *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		store_unfill(t, (char *)v + i * t->size);
	free(v);
}

void
store_row_clear(const struct store_rowtype *t, void *elem)
{
	store_unfill(t, elem);
	memset(elem, 0, t->size);
}

void
store_bind_named(sqlite3_stmt *stmt, const char *name, int64_t v)
{
	int	 i;

	if (stmt != NULL && (i = sqlite3_bind_parameter_index(stmt, name)) > 0)
		sqlite3_bind_int64(stmt, i, v);
}

void
store_bind_named_text(sqlite3_stmt *stmt, const char *name, const char *s)
{
	int	 i;

	if (stmt != NULL && (i = sqlite3_bind_parameter_index(stmt, name)) > 0)
		store_bind_text(stmt, i, s);
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

void *
store_column_blob_dup(sqlite3_stmt *stmt, int col, size_t *len)
{
	const void	*p = sqlite3_column_blob(stmt, col);
	char		*s;

	*len = (size_t)sqlite3_column_bytes(stmt, col);
	s = xmalloc(*len + 1);
	if (*len > 0)
		memcpy(s, p, *len);
	s[*len] = '\0';
	return s;
}

/* The integer the one-row, one-column query sql gives, into *v. */
static int
store_pragma_int(struct store *st, const char *sql, int *v)
{
	sqlite3_stmt	*stmt;
	int		 rc = PERR_DB;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return PERR_DB;
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*v = sqlite3_column_int(stmt, 0);
		rc = 0;
	}
	sqlite3_finalize(stmt);
	return rc;
}

static uint32_t
store_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * The first n bytes of path, read through SQLite's own VFS: closing a
 * plain descriptor of a file drops every POSIX lock this process holds
 * on it, and a connection to the same store in this process would lose
 * its SHARED lock.  Another process's last close would then believe it
 * alone and delete the log under this one's reads ("disk I/O error",
 * SQLite 522).  The VFS defers such a close until the locks are gone.
 * *got is how much there was (less than n for a short file).
 */
static int
store_read_head(const char *path, unsigned char *h, int n, int *got,
    char **cause)
{
	sqlite3_vfs	*vfs = sqlite3_vfs_find(NULL);
	sqlite3_file	*f;
	sqlite3_int64	 size = 0;
	int		 flags, rc;

	f = xcalloc(1, (size_t)vfs->szOsFile);
	rc = vfs->xOpen(vfs, path, f, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_MAIN_DB, &flags);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("%s: %s", path, strerror(errno != 0 ? errno :
		    EACCES));
		free(f);
		return -1;
	}
	rc = f->pMethods->xFileSize(f, &size);
	*got = rc != SQLITE_OK ? 0 : size < n ? (int)size : n;
	if (rc == SQLITE_OK && *got > 0)
		rc = f->pMethods->xRead(f, h, *got, 0);
	if (rc != SQLITE_OK)
		*cause = xasprintf("%s: cannot read it (SQLite %d)", path, rc);
	f->pMethods->xClose(f);
	free(f);
	return rc != SQLITE_OK ? -1 : 0;
}

/*
 * Look at the file's first bytes before SQLite does: *exists says whether
 * there is a file with content at all.  A file that does not start as an
 * SQLite database is foreign; one that does but ends before the pages its
 * header counts is truncated (unless a write-ahead log or a rollback
 * journal holds the rest).
 */
static int
store_sniff(const char *path, int *exists, char **cause)
{
	unsigned char	 h[STORE_HEADER];
	struct stat	 sb, wsb;
	char		*wal;
	int		 n;
	uint32_t	 psize, pages;
	int		 wal_used;

	*exists = 0;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		return -1;
	}
	if (store_read_head(path, h, (int)sizeof(h), &n, cause) != 0)
		return -1;
	if (n == 0)
		return 0;	/* empty: SQLite makes a new database of it */
	*exists = 1;
	if (memcmp(h, STORE_MAGIC, (size_t)n < sizeof(STORE_MAGIC) ?
	    (size_t)n : sizeof(STORE_MAGIC)) != 0) {
		*cause = xasprintf("%s: not a parta store: the file is not an "
		    "SQLite database; it is left as it is", path);
		return -1;
	}
	if (n < STORE_HEADER) {
		*cause = xasprintf("%s: the store is truncated (%d bytes, less "
		    "than its header); restore it from a backup", path, n);
		return -1;
	}
	psize = (uint32_t)h[16] << 8 | h[17];
	if (psize == 1)
		psize = 65536;
	pages = store_be32(h + 28);
	/* The header's page count is valid when its version-valid-for
	 * number matches the change counter. */
	if (pages == 0 || store_be32(h + 92) != store_be32(h + 24))
		return 0;
	/* A log or a hot journal may hold the pages the file lacks. */
	wal = xasprintf("%s-wal", path);
	wal_used = stat(wal, &wsb) == 0 && wsb.st_size > 0;
	free(wal);
	wal = xasprintf("%s-journal", path);
	wal_used |= stat(wal, &wsb) == 0 && wsb.st_size > 0;
	free(wal);
	if (!wal_used && (uint64_t)sb.st_size < (uint64_t)psize * pages) {
		*cause = xasprintf("%s: the store is truncated (%lld bytes of "
		    "%llu); restore it from a backup", path,
		    (long long)sb.st_size, (unsigned long long)psize * pages);
		return -1;
	}
	return 0;
}

/* Read what the file says it is, without changing it. */
static int
store_look(struct store *st, struct store_look *lk, char **cause)
{
	int	 rc;

	memset(lk, 0, sizeof(*lk));
	rc = store_pragma_int(st, "PRAGMA application_id", &lk->app_id);
	if (rc == 0)
		rc = store_pragma_int(st, "PRAGMA user_version", &lk->version);
	if (rc == 0)
		rc = store_pragma_int(st, "SELECT count(*) FROM sqlite_master",
		    &lk->objects);
	if (rc == 0)
		rc = store_pragma_int(st, "SELECT count(*) FROM sqlite_master"
		    " WHERE type = 'table' AND name IN ('users', 'changes')",
		    &lk->parta_tables);
	if (rc == 0)
		rc = store_pragma_int(st, "SELECT count(*) FROM sqlite_master"
		    " WHERE type = 'table' AND name = 'meta'", &lk->has_meta);
	if (rc != 0) {
		*cause = xasprintf("%s: cannot read the store: %s", st->path,
		    sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

/*
 * Decide from what store_look() found: -1 with *cause when the file must
 * be refused, else 0 with *fresh set for a new, empty database.
 */
static int
store_judge(struct store *st, const struct store_look *lk, int *fresh,
    char **cause)
{
	*fresh = 0;
	if (lk->app_id != 0 && lk->app_id != STORE_APP_ID) {
		*cause = xasprintf("%s: not a parta store: an SQLite database "
		    "of another program (application_id %#x); it is left as it "
		    "is", st->path, (unsigned)lk->app_id);
		return -1;
	}
	if (lk->version < 0) {
		*cause = xasprintf("%s: schema version %d is not one any parta "
		    "wrote: the store is damaged; restore it from a backup",
		    st->path, lk->version);
		return -1;
	}
	if (lk->version > store_nmigrations) {
		*cause = xasprintf("%s: the store is from a newer parta (schema "
		    "version %d; this one knows up to %d); it is left as it "
		    "is: run the newer parta", st->path, lk->version,
		    store_nmigrations);
		return -1;
	}
	if (lk->version == 0 && lk->objects == 0) {
		*fresh = 1;
		return 0;
	}
	if (lk->version == 0 || lk->parta_tables != 2) {
		*cause = xasprintf("%s: not a parta store: an SQLite database "
		    "with other tables; it is left as it is", st->path);
		return -1;
	}
	return 0;
}

/* Read the meta row into st->meta (a store older than the table: a
 * server's, of no known identity). */
static int
store_meta_load(struct store *st, int has_meta, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 rc = SQLITE_DONE;

	free(st->meta.kind);
	free(st->meta.server);
	free(st->meta.owner);
	st->meta.kind = xstrdup("server");
	st->meta.server = xstrdup("");
	st->meta.owner = xstrdup("");
	st->meta.schema = 0;
	if (!has_meta)
		return 0;
	if (sqlite3_prepare_v2(st->db, "SELECT kind, server_uuid, owner, schema"
	    " FROM meta WHERE one = 1", -1, &stmt, NULL) != SQLITE_OK ||
	    (rc = sqlite3_step(stmt)) != SQLITE_ROW) {
		*cause = xasprintf("%s: cannot read what the store is (its meta "
		    "table): %s", st->path, rc == SQLITE_DONE ? "no row" :
		    sqlite3_errmsg(st->db));
		sqlite3_finalize(stmt);
		return -1;
	}
	free(st->meta.kind);
	free(st->meta.server);
	free(st->meta.owner);
	st->meta.kind = store_column_dup(stmt, 0);
	st->meta.server = store_column_dup(stmt, 1);
	st->meta.owner = store_column_dup(stmt, 2);
	st->meta.schema = sqlite3_column_int(stmt, 3);
	sqlite3_finalize(stmt);
	return 0;
}

/* A server's store is not a local copy, nor the other way round. */
static int
store_check_kind(struct store *st, char **cause)
{
	const char	*k = st->meta.kind;

	if (st->mode == STORE_SERVER && strcmp(k, "server") != 0) {
		*cause = xasprintf("%s: this is a %s copy, not a server's store",
		    st->path, k);
		return -1;
	}
	if (st->mode == STORE_LOCAL && strcmp(k, "server") == 0) {
		*cause = xasprintf("%s: this is a server's store, not a local "
		    "copy", st->path);
		return -1;
	}
	return 0;
}

/* After the migrations, in their transaction: mark the file parta's, say
 * what it is (a new one takes the mode's kind; a server gets its UUID
 * once) and which schema wrote it. */
static int
store_stamp(struct store *st, int fresh)
{
	sqlite3_stmt	*stmt;
	char		 uuid[37], sql[64];
	int		 rc = 0;

	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", STORE_APP_ID);
	if (store_sql(st, sql) != 0)
		return PERR_DB;
	uuid_v4(uuid);
	if ((stmt = store_prepare(st, "UPDATE meta SET"
	    " kind = CASE WHEN ?1 THEN ?2 ELSE kind END,"
	    " server_uuid = CASE WHEN server_uuid = '' AND"
	    "  (CASE WHEN ?1 THEN ?2 ELSE kind END) = 'server' THEN ?3"
	    "  ELSE server_uuid END,"
	    " schema = ?4 WHERE one = 1")) == NULL)
		return PERR_DB;
	sqlite3_bind_int(stmt, 1, fresh);
	store_bind_text(stmt, 2, store_kinds[st->mode]);
	store_bind_text(stmt, 3, uuid);
	sqlite3_bind_int(stmt, 4, store_nmigrations);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = store_fail(st, "meta");
	sqlite3_finalize(stmt);
	return rc;
}

/* Apply every migration newer than the store, all in one transaction
 * with the version bump and the stamp, so a crash leaves the old store
 * or the new one. */
static int
store_migrate(struct store *st, char **cause)
{
	struct store_look lk;
	int		 v, fresh;
	char		 sql[64];

	if (store_begin(st) != 0) {
		*cause = xasprintf("%s: cannot lock the store: %s", st->path,
		    sqlite3_errmsg(st->db));
		return -1;
	}
	if (store_look(st, &lk, cause) != 0 ||
	    store_judge(st, &lk, &fresh, cause) != 0)
		goto fail;
	if (lk.app_id == STORE_APP_ID && lk.version == store_nmigrations) {
		store_rollback(st);	/* nothing to do: write nothing */
		return store_meta_load(st, lk.has_meta, cause);
	}
	for (v = lk.version; v < store_nmigrations; v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (store_exec(st, store_migrations[v]) != 0 ||
		    store_exec(st, sql) != 0) {
			*cause = xasprintf("%s: migration to version %d failed: %s",
			    st->path, v + 1, sqlite3_errmsg(st->db));
			goto fail;
		}
		log_info("store: migrated %s to schema version %d", st->path, v + 1);
	}
	if (store_stamp(st, fresh) != 0) {
		*cause = xasprintf("%s: cannot mark the store as parta's: %s",
		    st->path, sqlite3_errmsg(st->db));
		goto fail;
	}
	if (store_meta_load(st, 1, cause) != 0)
		goto fail;
	if (!fresh && store_check_kind(st, cause) != 0)
		goto fail;
	if (store_commit(st) != 0) {
		*cause = xasprintf("%s: cannot commit the schema: %s", st->path,
		    sqlite3_errmsg(st->db));
		goto fail;
	}
	return 0;
fail:
	store_rollback(st);
	return -1;
}

/* "file:" URI of path with immutable=1 or mode=ro; caller frees. */
static char *
store_uri(const char *path, int immutable)
{
	size_t	 len = strlen(path), i, o = 0;
	char	*uri = xmalloc(3 * len + 64);

	o += (size_t)sprintf(uri, "file:");
	for (i = 0; i < len; i++) {
		unsigned char	 c = (unsigned char)path[i];

		if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7f)
			o += (size_t)sprintf(uri + o, "%%%02X", c);
		else
			uri[o++] = (char)c;
	}
	sprintf(uri + o, "?mode=ro%s", immutable ? "&immutable=1" : "");
	return uri;
}

/*
 * Open the connection for mode.  Read-only: a file whose write-ahead log
 * is empty or gone is opened immutable, so SQLite takes no lock and makes
 * no -shm (it could not on a write-protected stick); one with a log that
 * holds transactions must read it, through the -shm beside it.
 */
static int
store_connect(struct store *st, char **cause)
{
	struct stat	 sb;
	char		*wal, *uri;
	mode_t		 old;
	int		 rc, used;

	if (st->mode != STORE_READONLY) {
		old = umask(077);	/* the store holds password hashes */
		rc = sqlite3_open_v2(st->path, &st->db, SQLITE_OPEN_READWRITE |
		    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
		umask(old);
	} else {
		wal = xasprintf("%s-wal", st->path);
		used = stat(wal, &sb) == 0 && sb.st_size > 0;
		free(wal);
		uri = store_uri(st->path, !used);
		rc = sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY |
		    SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
		free(uri);
		if (rc != SQLITE_OK && used) {
			*cause = xasprintf("%s: cannot open it read-only: its "
			    "write-ahead log (-wal) holds transactions; open it "
			    "once where it can be written", st->path);
			return -1;
		}
	}
	if (rc != SQLITE_OK) {
		*cause = xasprintf("%s: %s", st->path,
		    st->db != NULL ? sqlite3_errmsg(st->db) : "cannot open");
		return -1;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	/*
	 * Keep the -wal and -shm files when the last connection closes.  A
	 * new connection to a WAL store must otherwise make both, and on a
	 * full disk it cannot: no session could open the store to read,
	 * nobody could log in.  Kept, they cost a few pages: the -wal is
	 * emptied at the last close (journal_size_limit, below).
	 */
	if (st->mode != STORE_READONLY) {
		int	 keep = 1;

		(void)sqlite3_file_control(st->db, "main",
		    SQLITE_FCNTL_PERSIST_WAL, &keep);
	}
	return 0;
}

/*
 * Before SQLite's first use in this process: no bulk page cache.  By
 * default every connection, and every database attached to it, carves
 * 20 pages (some 86 kB) at once and writes a header into each, private
 * memory from the start whether the pages are read or not; partad has
 * two connections per session.  Pages are allocated as they are read
 * instead.  Called once SQLite is initialised it is refused
 * (SQLITE_MISUSE) and changes nothing.
 */
static void
store_configure(void)
{
	static int	 done;

	if (done)
		return;
	done = 1;
	(void)sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
}

int
store_open_mode(const char *path, enum store_mode mode, struct store **out,
    char **cause)
{
	struct store	*st;
	struct store_look lk;
	int		 exists, fresh;

	*out = NULL;
	*cause = NULL;
	store_configure();
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	st->mode = mode;
	if (store_sniff(path, &exists, cause) != 0)
		goto fail;
	if (!exists && mode == STORE_READONLY) {
		*cause = xasprintf("%s: no store there (%s)", path,
		    access(path, F_OK) == 0 ? "the file is empty" :
		    strerror(ENOENT));
		goto fail;
	}
	if (store_connect(st, cause) != 0)
		goto fail;
	/* Refuse before anything is written, journal_mode included. */
	if (store_look(st, &lk, cause) != 0 ||
	    store_judge(st, &lk, &fresh, cause) != 0)
		goto fail;
	if (mode == STORE_READONLY) {
		if (fresh || lk.version < store_nmigrations) {
			*cause = xasprintf("%s: the store has schema version %d; "
			    "this parta reads %d and does not migrate a store "
			    "opened read-only: copy it where it can be written",
			    path, lk.version, store_nmigrations);
			goto fail;
		}
		if (store_exec(st, "PRAGMA query_only = ON") != 0 ||
		    store_meta_load(st, lk.has_meta, cause) != 0)
			goto fail;
	} else {
		if (!fresh && lk.has_meta) {
			if (store_meta_load(st, 1, cause) != 0 ||
			    store_check_kind(st, cause) != 0)
				goto fail;
		} else if (!fresh && mode == STORE_LOCAL) {
			*cause = xasprintf("%s: this is a server's store, not a "
			    "local copy", path);
			goto fail;
		}
		/* FULL: a commit that returned is on the disk, WAL included
		 * (partad.conf(5), DURABILITY).  Not for a digest's working
		 * copy, which is scratch: unpacked into a directory removed
		 * at the end (parta --digest), or packed into a file that is
		 * synced once (digest_export).  A sync a commit there only
		 * held the write lock longer: on a busy disk the reader's
		 * search indexer kept its screens from writing past the busy
		 * timeout, and a reply she sent failed (CI). */
		/* journal_size_limit: the log kept on disk (store_connect)
		 * shrinks to this after a checkpoint, and to nothing when
		 * the last connection closes. */
		if (store_exec(st, "PRAGMA journal_mode = WAL") != 0 ||
		    store_exec(st, "PRAGMA journal_size_limit = 4194304") != 0 ||
		    store_exec(st, store_is_scratch(st) ?
		    "PRAGMA synchronous = OFF" : "PRAGMA synchronous = FULL") !=
		    0) {
			*cause = xasprintf("%s: %s", path, sqlite3_errmsg(st->db));
			goto fail;
		}
	}
	/* temp_store: a statement inside a SAVEPOINT (a request around a
	 * module's own transaction) keeps its statement journal, and a
	 * large one would spill to a file in a temporary directory the
	 * session's sandbox does not open; keep such files in memory. */
	if (store_exec(st, "PRAGMA foreign_keys = ON") != 0 ||
	    store_exec(st, "PRAGMA temp_store = MEMORY") != 0) {
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
	/* A store already up to date is not locked for writing at all: a
	 * session of partad opens one each time. */
	if (mode != STORE_READONLY && (lk.app_id != STORE_APP_ID ||
	    lk.version != store_nmigrations) && store_migrate(st, cause) != 0)
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}

int
store_open(const char *path, struct store **out, char **cause)
{
	return store_open_mode(path, STORE_SERVER, out, cause);
}

int
store_set_copy(struct store *st, const char *server, const char *owner)
{
	sqlite3_stmt	*stmt;
	int		 rc = 0;

	if (st->mode != STORE_LOCAL) {
		log_error("store: %s: not a local copy", st->path);
		return PERR_DB;
	}
	if ((stmt = store_prepare(st, "UPDATE meta SET server_uuid = ?,"
	    " owner = ? WHERE one = 1")) == NULL)
		return PERR_DB;
	store_bind_text(stmt, 1, server);
	store_bind_text(stmt, 2, owner);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = store_fail(st, "set copy");
	sqlite3_finalize(stmt);
	if (rc == 0) {
		free(st->meta.server);
		free(st->meta.owner);
		st->meta.server = xstrdup(server);
		st->meta.owner = xstrdup(owner);
	}
	return rc;
}

/*
 * sqlite3_close() refuses while a statement is unfinalized (a bug), and
 * the connection stays open with its locks.  Open across a fork (the
 * client's screens and syncer, the digest reader's indexer), a child's
 * SQLite believes it holds locks it does not, and another process's
 * checkpoint cuts the log under its reads ("disk I/O error", SQLite
 * 522).  So each such statement is named in the log, finalized, and the
 * connection closed.
 */
void
store_close_db(sqlite3 *db, const char *path)
{
	sqlite3_stmt	*s;

	if (db == NULL || sqlite3_close(db) == SQLITE_OK)
		return;
	while ((s = sqlite3_next_stmt(db, NULL)) != NULL) {
		log_error("store: %s: a statement was left open: %s", path,
		    sqlite3_sql(s));
		sqlite3_finalize(s);
	}
	if (sqlite3_close(db) != SQLITE_OK)
		log_error("store: %s: cannot close: %s", path,
		    sqlite3_errmsg(db));
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	store_close_db(st->db, st->path);
	free(st->meta.kind);
	free(st->meta.server);
	free(st->meta.owner);
	free(st->path);
	free(st);
}

int
store_backup(struct store *st, const char *dest, char **cause)
{
	sqlite3_stmt	*stmt;
	struct stat	 sb;
	mode_t		 old;
	int		 rc;

	*cause = NULL;
	if (stat(dest, &sb) == 0) {
		*cause = xasprintf("%s: file exists; not overwriting it", dest);
		return -1;
	}
	/*
	 * VACUUM INTO copies in one read transaction: a snapshot, however
	 * much partad writes meanwhile (the online backup API starts again
	 * at each write of another connection, and on a busy server might
	 * never finish), and it blocks no writer.  The copy is compact and
	 * in rollback-journal mode: it opens read-only with no -wal.
	 */
	if ((stmt = store_prepare(st, "VACUUM INTO ?")) == NULL) {
		*cause = xasprintf("%s: %s", dest, sqlite3_errmsg(st->db));
		return -1;
	}
	store_bind_text(stmt, 1, dest);
	old = umask(077);
	rc = sqlite3_step(stmt);
	umask(old);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		*cause = xasprintf("%s: backup failed: %s", dest,
		    sqlite3_errmsg(st->db));
		if (stat(dest, &sb) == 0)
			unlink(dest);
		return -1;
	}
	if (chmod(dest, 0600) != 0 || fsync_path(dest) != 0 ||
	    fsync_dir_of(dest) != 0) {
		*cause = xasprintf("%s: %s", dest, strerror(errno));
		unlink(dest);
		return -1;
	}
	return 0;
}

/* The tables a server names (store_new_row()).  A code is part of
 * every UUID made with it: never change one or give it to another. */
static const struct store_name {
	const char	*table;
	unsigned	 code;		/* 1..63 */
} store_names[] = {
	{ .table = "threads", .code = 1 },
	{ .table = "posts", .code = 2 },
	{ .table = "mail", .code = 3 },
	{ .table = "users", .code = 4 },
};

void
store_uuid_named(int64_t ns, unsigned code, int64_t id, char uuid[37])
{
	uint64_t	 n = (uint64_t)ns, v = (uint64_t)id;
	unsigned char	 b[16];
	int		 i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(n >> (56 - 8 * i));
	b[6] = (unsigned char)(0x80 | (b[6] & 0x0f));
	b[8] = (unsigned char)(0x80 | (code & 0x3f));
	for (i = 0; i < 7; i++)
		b[9 + i] = (unsigned char)(v >> (48 - 8 * i));
	uuid_format(b, uuid);
}

int
store_new_row(struct store *st, const char *table, int64_t *id,
    char uuid[37])
{
	const struct store_name	*n = NULL;
	int64_t			 ns, max, last;
	char			*sql;
	size_t			 i;
	int			 rc;

	if ((rc = store_new_id(st, table, id)) != 0)
		return rc;
	for (i = 0; i < nitems(store_names); i++)
		if (strcmp(store_names[i].table, table) == 0)
			n = &store_names[i];
	if (st->mode != STORE_SERVER || n == NULL) {
		uuid_v4(uuid);
		return 0;
	}
	sql = xasprintf("SELECT coalesce(max(rowid), 0) FROM %s", n->table);
	rc = store_int(st, &max, sql, "");
	free(sql);
	if (rc == 0)
		rc = store_int(st, &ns, "SELECT names FROM meta", "");
	if (rc == 0)
		rc = store_int(st, &last, "SELECT coalesce((SELECT last FROM"
		    " row_names WHERE tbl = ?), 0)", "t", n->table);
	if (rc != 0)
		return rc;
	*id = (max > last ? max : last) + 1;
	if (*id >= (int64_t)1 << 56) {
		*id = 0;
		uuid_v4(uuid);
		return 0;
	}
	if ((rc = store_write(st, NULL, "INSERT INTO row_names(tbl, last)"
	    " VALUES (?1, ?2) ON CONFLICT(tbl) DO UPDATE SET last = ?2", "ti",
	    n->table, *id)) != 0)
		return rc;
	store_uuid_named(ns, n->code, *id, uuid);
	/* A row that came from elsewhere (a post from another district,
	 * whose UUID its article chose) may hold the name already: that
	 * one row gets a random UUID, else every later row would collide
	 * with it and nothing more could be written to the table. */
	sql = xasprintf("SELECT 1 FROM %s WHERE uuid = ?", n->table);
	rc = store_int(st, NULL, sql, "t", uuid);
	free(sql);
	if (rc == 0)
		uuid_v4(uuid);
	else if (rc != PERR_NOTFOUND)
		return rc;
	return 0;
}

int
store_new_id(struct store *st, const char *table, int64_t *id)
{
	const char	*p;
	char		*sql;
	int		 rc;

	*id = 0;
	if (st->mode != STORE_LOCAL)
		return 0;
	for (p = table; *p != '\0'; p++) {
		if ((*p < 'a' || *p > 'z') && *p != '_')
			break;
	}
	if (*table == '\0' || *p != '\0') {
		log_warn("store new id: bad table \"%s\"", table);
		return PERR_DB;
	}
	/* The rowid index answers max() over the range in one step. */
	sql = xasprintf("SELECT coalesce(max(rowid) + 1, ?1) FROM %s"
	    " WHERE rowid >= ?1", table);
	rc = store_int(st, id, sql, "i", STORE_LOCAL_ID_MIN);
	free(sql);
	return rc;
}
