/*
 * throttle.c: the failure log and blocks live in the store, because every
 * connection is its own process and the listener keeps no state about
 * untrusted peers.
 */
#include "log.h"
#include "perr.h"
#include "store.h"
#include "throttle.h"
#include "util.h"

/* Run sql with addr as ?1 and two numbers as ?2 and ?3; parameters the
 * statement does not use are ignored (binding them is a no-op). */
static int
exec_addr(struct store *st, const char *sql, const char *addr, int64_t a,
    int64_t b)
{
	sqlite3_stmt	*stmt;
	int		 rc = 0;

	if ((stmt = store_prepare(st, sql)) == NULL)
		return PERR_DB;
	store_bind_text(stmt, 1, addr);
	sqlite3_bind_int64(stmt, 2, a);
	sqlite3_bind_int64(stmt, 3, b);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = store_fail(st, sql);
	sqlite3_finalize(stmt);
	return rc;
}

int
throttle_fail(struct store *st, const struct throttle_policy *p,
    const char *addr, const char *login)
{
	sqlite3_stmt	*stmt = NULL;
	int64_t		 now = now_unix(), count = 0;
	char		 name[LOG_NAME_MAX + 1];
	int		 rc;

	/* The login is whatever the client sent: keep a short, printable
	 * record of it, never 5000 bytes or an escape sequence. */
	(void)log_vis(name, sizeof(name), login);
	if (store_begin(st) != 0)
		return PERR_DB;
	stmt = store_prepare(st, "INSERT INTO auth_failures(addr, login, at)"
	    " VALUES (?, ?, ?)");
	if (stmt == NULL)
		goto fail;
	store_bind_text(stmt, 1, addr);
	store_bind_text(stmt, 2, name);
	sqlite3_bind_int64(stmt, 3, now);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(stmt);
	stmt = store_prepare(st, "SELECT count(*) FROM auth_failures"
	    " WHERE addr = ? AND at > ?");
	if (stmt == NULL)
		goto fail;
	store_bind_text(stmt, 1, addr);
	sqlite3_bind_int64(stmt, 2, now - p->window);
	if (sqlite3_step(stmt) != SQLITE_ROW)
		goto fail;
	count = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (count >= p->failures) {
		/* The block starts now; the failures that caused it are spent. */
		if (exec_addr(st, "INSERT OR REPLACE INTO auth_blocks(addr, until)"
		    " VALUES (?1, ?2 + ?3)", addr, now, p->block) != 0 ||
		    exec_addr(st, "DELETE FROM auth_failures WHERE addr = ?1",
		    addr, 0, 0) != 0)
			goto fail;
	}
	/* Old failures of every address are of no further use. */
	if (exec_addr(st, "DELETE FROM auth_failures WHERE at <= ?2 - ?3",
	    addr, now, p->window) != 0)
		goto fail;
	if ((rc = store_commit(st)) == 0)
		return 0;
fail:
	sqlite3_finalize(stmt);
	rc = store_fail(st, "throttle");
	store_rollback(st);
	return rc;
}

int64_t
throttle_blocked(struct store *st, const char *addr)
{
	sqlite3_stmt	*stmt;
	int64_t		 left = 0, now = now_unix();

	stmt = store_prepare(st, "SELECT until FROM auth_blocks WHERE addr = ?");
	if (stmt == NULL)
		return PERR_DB;
	store_bind_text(stmt, 1, addr);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		left = sqlite3_column_int64(stmt, 0) - now;
	sqlite3_finalize(stmt);
	return left > 0 ? left : 0;
}

int
throttle_clear(struct store *st, const char *addr)
{
	if (exec_addr(st, "DELETE FROM auth_blocks WHERE addr = ?1",
	    addr, 0, 0) != 0)
		return PERR_DB;
	return exec_addr(st, "DELETE FROM auth_failures WHERE addr = ?1",
	    addr, 0, 0);
}
