/*
 * store.h: the one SQLite file that holds parta's community.
 *
 * Every process opens its own connection (never across a fork) with WAL,
 * foreign keys and a busy timeout; store_open() brings the schema up to
 * date.  The modules of common/ (user.c, board.c, ...) run their queries
 * through store_db(); nothing outside common/ writes SQL.
 */
#ifndef PARTA_STORE_H
#define PARTA_STORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct store;

/*
 * How a store is opened.  The two writable modes create a missing file,
 * bring its schema up to date and write with synchronous = FULL, so a
 * commit that returned is on the disk (a post acknowledged to its author
 * survives a power cut; partad.conf(5), DURABILITY).  STORE_READONLY never
 * writes, never migrates and makes no -wal or -shm file: it is for a file
 * nothing writes while it is open (a digest on a write-protected stick, a
 * backup); it must have exactly this program's schema.
 */
enum store_mode {
	STORE_SERVER,	/* partad, parta-sysop: the community itself */
	STORE_LOCAL,	/* a local copy (the client's, a digest's working copy) */
	STORE_READONLY,
};

/* What a store says it is: its meta row (store-schema.c). */
struct store_meta {
	char	*kind;		/* "server", "local" or "digest" */
	char	*server;	/* the UUID of the community's server */
	char	*owner;		/* whose copy: a login; "" on a server */
	int	 schema;	/* the schema version that wrote it */
};

/*
 * Open the store at path in mode.  A file that is not parta's (another
 * program's SQLite database, anything else), a truncated one, one with a
 * schema version no parta wrote or one from a newer parta is refused and
 * left as it was, each with its own message; a server's store is not
 * opened as a local copy, nor one the other way round.  A store of an
 * older parta that predates the application_id (it has parta's tables)
 * is adopted.  Returns 0 and *out, or -1 with *cause set (caller frees).
 * Free with store_close().
 */
int	 store_open_mode(const char *path, enum store_mode mode,
	     struct store **out, char **cause);
/* store_open_mode(path, STORE_SERVER, ...): what partad and the console
 * open. */
int	 store_open(const char *path, struct store **out, char **cause);
/* Close the connection.  Accepts NULL.  Never call it on a connection
 * inherited across fork(); drop that one unused. */
void	 store_close(struct store *);

/* The meta row read when the store was opened; owned by the store. */
const struct store_meta *store_meta(struct store *);
/* 1 when the store is a digest's working copy (meta kind "digest"):
 * scratch, whose commits are not synced to the disk (store.c), nor
 * those of the outbox beside it (sync-local.c). */
int	 store_is_scratch(struct store *);
/* Record which server's community a local copy holds, and whose copy it
 * is.  0, or PERR_DB (also for a store that is not a local copy). */
int	 store_set_copy(struct store *, const char *server, const char *owner);

/*
 * Row ids: the policy every copy of the community follows.
 *
 * A row's identity is its UUID; a row id is only where it sits in one
 * file.  A local copy (the client's cache, a digest's working copy)
 * keeps the server's row ids: a row fetched from the server is inserted
 * with the server's id, so read pointers (thread_reads.last_post_id),
 * keyset paging by id and ranking by id work unchanged in both files.
 * A row made offline in a local copy takes its id from a range no server
 * ever reaches, STORE_LOCAL_ID_MIN (2^62) and up, so it never collides
 * with a server row fetched later and sorts after every server row (a
 * post written offline comes last in its thread, as it will on the
 * server).  When the server answers the request that made it, the local
 * row is replaced by the server's row, matched by UUID: the server's id
 * takes its place and every reference follows the UUID.  A server's
 * store never hands out ids from that range.  Nothing ever sends a row
 * id to another store: requests, changes and packets name rows by UUID.
 */
#define STORE_LOCAL_ID_MIN	((int64_t)1 << 62)
#define STORE_ID_IS_LOCAL(id)	((id) >= STORE_LOCAL_ID_MIN)

/*
 * The row id for a new row of table (a parta table with an INTEGER
 * PRIMARY KEY id) into *id: in a local copy the next id of the local
 * range (one more than the largest there, or STORE_LOCAL_ID_MIN); in a
 * server's store 0, which asks SQLite for max + 1 (bind it as NULL).
 * Call it inside the transaction that inserts.  0, PERR_DB.
 */
int	 store_new_id(struct store *, const char *table, int64_t *id);
/*
 * The id and UUID of a new row of table, inside the transaction that
 * inserts it.  A server's store names threads, posts, letters and users: *id
 * is one more than the largest the table held or named, and *uuid a
 * version 8 UUID of the server's namespace, the table and that id
 * (store_uuid_named(); parta-sync sends it as a bit); other tables,
 * and every table of a local copy, get store_new_id()'s id and a
 * random UUID.  0, PERR_DB.
 */
int	 store_new_row(struct store *, const char *table, int64_t *id,
	     char uuid[37]);
/*
 * The UUID a server of namespace ns gives row id of the table of code
 * (1..63): its bytes 0-7 are ns with the version 8, byte 8 the variant
 * and the code, bytes 9-15 the id (below 2^56), big-endian.
 */
void	 store_uuid_named(int64_t ns, unsigned code, int64_t id,
	     char uuid[37]);

sqlite3	*store_db(struct store *);
const char *store_path(struct store *);

/*
 * Transactions nest.  The outermost store_begin() is BEGIN IMMEDIATE, so
 * writers queue on the busy timeout instead of failing at COMMIT; one
 * inside it is a SAVEPOINT, so a function that opens its own transaction
 * can be called inside the caller's: its store_rollback() undoes only
 * what it did, and its store_commit() keeps its writes for the caller's
 * COMMIT (or ROLLBACK) to decide.  0, PERR_DB or PERR_FULL.
 *
 * Each successful store_begin() (or store_begin_read()) is ended by
 * exactly one store_commit() or store_rollback() of the same function;
 * after a failed store_commit() call store_rollback().  store_rollback()
 * must not be called for a level this function did not begin: inside a
 * caller's transaction it would undo the caller's.  (After a failed
 * store_begin() it does no harm: outside a transaction there is nothing
 * to undo, and inside one the failure has doomed the caller's already,
 * which can then only roll back.)  When SQLite itself
 * ended the transaction (a full disk, an I/O error), every open level
 * fails to commit, and store_prepare() and store_exec() refuse to run
 * statements outside it until the outermost level is ended.
 */
int	 store_begin(struct store *);
int	 store_commit(struct store *);
/* A read transaction: every query until store_rollback() sees the same
 * snapshot, and writers are not held up.  Inside a transaction it is a
 * savepoint of it.  0 or PERR_DB. */
int	 store_begin_read(struct store *);
/* Undo the innermost level and end it; with no level open, roll back
 * whatever transaction the connection has (none: nothing happens). */
void	 store_rollback(struct store *);
/*
 * End the level this function began with store_begin(), as rc says:
 * commit it when rc is 0, roll it back when rc is not or the commit
 * fails.  Returns rc, or the commit's code.  A function writes
 *	if ((rc = store_begin(st)) != 0) return rc;
 *	rc = ...;
 *	return store_end(st, rc);
 */
int	 store_end(struct store *, int rc);
/* How many levels are open: 0 outside any transaction. */
int	 store_depth(struct store *);

/* Prepare sql; on failure log it and return NULL. */
sqlite3_stmt *store_prepare(struct store *, const char *sql);
/* Log the connection's last error with a context string; returns
 * PERR_FULL when the disk (or the store's size limit) is full, else
 * PERR_DB. */
int	 store_fail(struct store *, const char *what);

/* Run sql with no parameters and no rows; 0, PERR_DB or PERR_FULL. */
int	 store_exec(struct store *, const char *sql);

/*
 * Copy the whole store to the new file dest (mode 0600, fsynced): one
 * consistent snapshot (VACUUM INTO) while other processes write, which
 * are not held up.  An existing dest is never overwritten.  0, or -1
 * with *cause (caller frees).
 */
int	 store_backup(struct store *, const char *dest, char **cause);

/*
 * The prepare-bind-step-finalize idiom in one call.  types gives the
 * parameters ?1, ?2, ... one character each: 'i' an int64_t (cast a
 * literal: (int64_t)1), 't' a
 * const char * (NULL binds NULL; copied), 'n' NULL (no argument).
 * Values past the statement's last parameter are not bound, so that one
 * helper may bind a fixed set of values to each of several statements.
 *
 * store_stmt: the prepared, bound statement, for the caller to step and
 * finalize; NULL (logged) on failure.
 * store_write: run a statement that returns no rows; *changes (if not
 * NULL) gets the rows it changed.  0, PERR_EXISTS on a UNIQUE or
 * PRIMARY KEY conflict, PERR_FULL or PERR_DB.
 * store_int: the integer in the first column of the first row into *v
 * (v NULL: only whether there is a row).  0, PERR_NOTFOUND when there is
 * no row, PERR_FULL or PERR_DB.
 * store_text: the same for a text, into a new *v ("" for NULL; caller
 * frees), *v NULL on failure.
 */
sqlite3_stmt *store_stmt(struct store *, const char *sql, const char *types,
	     ...);
/* store_stmt with the values as a va_list, for a module's own wrapper
 * that binds more (its viewer) before it steps. */
sqlite3_stmt *store_stmtv(struct store *, const char *sql, const char *types,
	     va_list);
int	 store_write(struct store *, int *changes, const char *sql,
	     const char *types, ...);
int	 store_int(struct store *, int64_t *v, const char *sql,
	     const char *types, ...);
int	 store_text(struct store *, char **v, const char *sql,
	     const char *types, ...);
/* store_write on a connection that is not a store (the client's outbox
 * file has its own): the same values, codes and log. */
int	 store_write_db(sqlite3 *db, int *changes, const char *sql,
	     const char *types, ...);
/* store_fail() for a connection that is not a store (the client's
 * outbox file): what failed logged, PERR_FULL or PERR_DB. */
int	 store_fail_db(sqlite3 *db, const char *what);
/* Close db (NULL: nothing); a statement left open is logged, under
 * path, and finalized so that the connection does close. */
void	 store_close_db(sqlite3 *db, const char *path);
/*
 * Insert a new row of table, inside the caller's transaction: its UUID
 * and id are store_new_row()'s, bound to ?1 and ?2 of sql (?2 NULL when
 * SQLite is to choose the id: a server's rows of an unnamed table), and
 * the values of types to ?3, ?4, ...  *rowid (if not NULL) gets the new
 * row's id, 0 on failure.  0, or as store_write().
 */
int	 store_insert(struct store *, const char *table, int64_t *rowid,
	     const char *sql, const char *types, ...);

/*
 * Reading rows into structs.  A row type maps the result columns, in
 * order, to fields of a struct (cols[i] takes column i; a statement
 * with fewer columns leaves the rest zero), and may add a fix, run
 * after the columns, for what they cannot say (a derived field).  Text
 * fields are the struct's own copies and go with the row.
 *
 * store_rows: step stmt (finalized here; NULL, as store_stmt() returns
 * on failure, gives PERR_DB) to its end, into a new array *out of *n
 * elements (NULL and 0 for no rows); out is the address of the caller's
 * pointer to the element type (a struct board **), so a list function
 * can hand its own out-parameter on.  On a failed step the rows so far
 * are freed, *out is NULL, *n 0, and store_fail(what) is returned.
 * store_row: the first row only, into *elem (zeroed first); 0,
 * PERR_NOTFOUND when there is none, PERR_DB or PERR_FULL.
 * store_row_new: store_row into a new element, which *out (out as for
 * store_rows) is on 0 and NULL otherwise; free it with store_rows_free(1).
 * store_rows_free: free each element's texts and the array.
 * store_row_clear: free the texts of the one element elem and zero it,
 * for an element the caller owns (on its stack, say).
 */
enum store_coltype {
	STORE_I64,		/* int64_t */
	STORE_INT,		/* int */
	STORE_TEXT,		/* char *: a copy, "" for NULL */
	STORE_TEXT_NULL,	/* char *: a copy, NULL for NULL */
	STORE_UUID,		/* char[STORE_UUID_SIZE]: "" for NULL */
	STORE_SKIP,		/* not kept (the fix reads it) */
};
#define STORE_UUID_SIZE	37

struct store_col {
	enum store_coltype	 type;
	size_t			 off;
};
#define STORE_COL(type, s, field)	{ STORE_##type, offsetof(s, field) }
#define STORE_COL_SKIP			{ STORE_SKIP, 0 }

struct store_rowtype {
	size_t			 size;
	const struct store_col	*cols;
	size_t			 ncols;
	void			(*fix)(sqlite3_stmt *, void *elem);
	/* Run before the texts are freed (freezero a secret, free what
	 * fix made); NULL when nothing more is owned. */
	void			(*clear)(void *elem);
};
/* The first three members: rows of type s, read by the column array c. */
#define STORE_ROWS(s, c)						\
	.size = sizeof(s), .cols = (c), .ncols = nitems(c)
/*
 * Declare the row type name of struct s whose columns are the STORE_COL
 * rows that follow (their array is name_cols), for a type with no fix
 * or clear:
 *	STORE_ROWTYPE(board_rows, struct board,
 *		STORE_COL(I64, struct board, id),
 *		STORE_COL(TEXT, struct board, name));
 */
#define STORE_ROWTYPE(name, s, ...)					\
	static const struct store_col name##_cols[] = { __VA_ARGS__ };	\
	static const struct store_rowtype name = { STORE_ROWS(s, name##_cols) }

int	 store_rows(struct store *, sqlite3_stmt *, const struct store_rowtype *,
	     void *out, size_t *n, const char *what);
int	 store_row(struct store *, sqlite3_stmt *, const struct store_rowtype *,
	     void *elem, const char *what);
int	 store_row_new(struct store *, sqlite3_stmt *,
	     const struct store_rowtype *, void *out, const char *what);
void	 store_rows_free(const struct store_rowtype *, void *v, size_t n);
void	 store_row_clear(const struct store_rowtype *, void *elem);

/*
 * Step stmt (NULL, as store_stmt() returns on failure, gives PERR_DB)
 * to its first row, for the caller to read and then finalize: 0 on a
 * row, PERR_NOTFOUND when there is none, else store_fail(what).  For a
 * row read column by column; store_row() fills a struct.
 */
int	 store_first(struct store *, sqlite3_stmt *, const char *what);

/* Bind a value to the named parameter (":id") of a statement that has it;
 * nothing when stmt is NULL or has no such parameter. */
void	 store_bind_named(sqlite3_stmt *, const char *name, int64_t);
void	 store_bind_named_text(sqlite3_stmt *, const char *name,
	     const char *);

/* Bind a string or NULL; text is copied (SQLITE_TRANSIENT). */
int	 store_bind_text(sqlite3_stmt *, int idx, const char *);
/* A new copy of a text column, "" for NULL.  Caller frees. */
char	*store_column_dup(sqlite3_stmt *, int col);
/* A new copy of a blob (or text) column, its length into *len, with a
 * NUL after it so a text may be read in place; NULL reads as 0 bytes.
 * Caller frees. */
void	*store_column_blob_dup(sqlite3_stmt *, int col, size_t *len);

#endif
