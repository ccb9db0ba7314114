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

#include <sqlite3.h>

struct store;

/*
 * Open (creating if needed) the store at path and migrate it.  Returns
 * 0 and *out, or -1 with *cause set (caller frees).  Free with
 * store_close().
 */
int	 store_open(const char *path, struct store **out, char **cause);
/* Close the connection.  Accepts NULL.  Never call it on a connection
 * inherited across fork(); drop that one unused. */
void	 store_close(struct store *);

sqlite3	*store_db(struct store *);
const char *store_path(struct store *);

/* Transactions: BEGIN IMMEDIATE, so writers queue on the busy timeout
 * instead of failing at COMMIT.  0 or PERR_DB. */
int	 store_begin(struct store *);
int	 store_commit(struct store *);
/* A read transaction: every query until store_rollback() sees the same
 * snapshot, and writers are not held up.  0 or PERR_DB. */
int	 store_begin_read(struct store *);
/* Roll back if a transaction is open; safe to call when none is. */
void	 store_rollback(struct store *);

/* Prepare sql; on failure log it and return NULL. */
sqlite3_stmt *store_prepare(struct store *, const char *sql);
/* Log the connection's last error with a context string; returns PERR_DB. */
int	 store_fail(struct store *, const char *what);

/* Run sql with no parameters and no rows; 0 or PERR_DB. */
int	 store_exec(struct store *, const char *sql);

/*
 * Copy the whole store to dest with SQLite's online backup, consistent
 * while other processes write.  0, or -1 with *cause (caller frees).
 */
int	 store_backup(struct store *, const char *dest, char **cause);

/* Bind a string or NULL; text is copied (SQLITE_TRANSIENT). */
int	 store_bind_text(sqlite3_stmt *, int idx, const char *);
/* A new copy of a text column, "" for NULL.  Caller frees. */
char	*store_column_dup(sqlite3_stmt *, int col);

#endif
