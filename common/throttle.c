/*
 * throttle.c: the failure log and blocks live in the store, because every
 * connection is its own process and the listener keeps no state about
 * untrusted peers.
 *
 * An attempt is written down as a failure before the password is
 * checked, in the transaction that decided it may go ahead
 * (BEGIN IMMEDIATE: one writer at a time), and struck out when it
 * succeeds.  So 150 connections that guess at once see each other's
 * attempts, and no more than the limit are ever checked.  An address's
 * count starts after its last block ended, so a block that expires does
 * not come back at the next failure; a login's count is a plain sliding
 * window.  Logins are counted in lower case, as the store compares them.
 */
#include "log.h"
#include "perr.h"
#include "store.h"
#include "throttle.h"
#include "util.h"

/* The login as failures record it: lower case, and escaped and cut by
 * throttle_sql, since it is whatever the client sent. */
#define LOGIN_KEY	"lower(?2)"

/*
 * Run sql with addr as ?1, login as ?2 and two numbers as ?3 and ?4;
 * parameters the statement does not use are ignored (binding them is a
 * no-op).  *out gets the first column of the first row, 0 when there is
 * none or it is NULL; out may be NULL for a statement without rows.
 */
static int
throttle_sql(struct store *st, const char *sql, const char *addr,
    const char *login, int64_t a, int64_t b, int64_t *out)
{
	sqlite3_stmt	*stmt;
	char		 name[LOG_NAME_MAX + 1];
	int		 rc = 0, step;

	if (out != NULL)
		*out = 0;
	if ((stmt = store_prepare(st, sql)) == NULL)
		return PERR_DB;
	/* A short, printable record: never 5000 bytes or an escape. */
	(void)log_vis(name, sizeof(name), login != NULL ? login : "");
	store_bind_text(stmt, 1, addr);
	store_bind_text(stmt, 2, name);
	sqlite3_bind_int64(stmt, 3, a);
	sqlite3_bind_int64(stmt, 4, b);
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW && out != NULL)
		*out = sqlite3_column_int64(stmt, 0);
	else if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "throttle");
	sqlite3_finalize(stmt);
	return rc;
}

/* Failures from addr that count now: within the window and after the
 * address's last block ended.  0 and *n, or PERR_DB. */
static int
throttle_addr_count(struct store *st, const struct throttle_policy *p,
    const char *addr, int64_t now, int64_t *n)
{
	int64_t	 since;

	if (throttle_sql(st, "SELECT max(until) FROM auth_blocks WHERE addr = ?1",
	    addr, NULL, 0, 0, &since) != 0)
		return PERR_DB;
	if (since < now - p->window)
		since = now - p->window;
	return throttle_sql(st, "SELECT count(*) FROM auth_failures"
	    " WHERE addr = ?1 AND at > ?3", addr, NULL, since, 0, n);
}

/* Seconds until login may try a password from addr again (0: now), or
 * PERR_DB.  Reads only. */
static int64_t
throttle_left(struct store *st, const struct throttle_policy *p,
    const char *addr, const char *login, int64_t now)
{
	int64_t	 until, n, at;

	if (throttle_sql(st, "SELECT max(until) FROM auth_blocks WHERE addr = ?1",
	    addr, NULL, 0, 0, &until) != 0)
		return PERR_DB;
	if (until > now)
		return until - now;
	/* At the limit without a block: the last attempts are still being
	 * checked, and will most likely block the address. */
	if (throttle_addr_count(st, p, addr, now, &n) != 0)
		return PERR_DB;
	if (n >= p->addr_failures)
		return p->block;
	if (login == NULL)
		return 0;
	/* The failures-th newest failure of login: when it leaves the
	 * window, one more attempt is allowed. */
	if (throttle_sql(st, "SELECT at FROM auth_failures WHERE addr = ?1"
	    " AND login = " LOGIN_KEY " AND at > ?3 ORDER BY at DESC"
	    " LIMIT 1 OFFSET ?4", addr, login, now - p->window,
	    p->failures - 1, &at) != 0)
		return PERR_DB;
	return at > 0 ? at + p->window - now : 0;
}

/* Inside a transaction: block addr if its failures reached the limit,
 * and purge what no count needs any longer.  0 or PERR_DB. */
static int
throttle_settle(struct store *st, const struct throttle_policy *p,
    const char *addr, int64_t now)
{
	int64_t	 n;

	if (throttle_addr_count(st, p, addr, now, &n) != 0)
		return PERR_DB;
	if (n >= p->addr_failures && throttle_sql(st, "INSERT OR REPLACE INTO"
	    " auth_blocks(addr, until) VALUES (?1, ?3)", addr, NULL,
	    now + p->block, 0, NULL) != 0)
		return PERR_DB;
	if (throttle_sql(st, "DELETE FROM auth_failures WHERE at <= ?3",
	    addr, NULL, now - p->window, 0, NULL) != 0 ||
	    throttle_sql(st, "DELETE FROM auth_blocks WHERE until <= ?3",
	    addr, NULL, now - p->window, 0, NULL) != 0)
		return PERR_DB;
	return 0;
}

static int64_t
throttle_insert(struct store *st, const char *addr, const char *login,
    int64_t now)
{
	if (throttle_sql(st, "INSERT INTO auth_failures(addr, login, at)"
	    " VALUES (?1, " LOGIN_KEY ", ?3)", addr, login, now, 0, NULL) != 0)
		return PERR_DB;
	return sqlite3_last_insert_rowid(store_db(st));
}

int64_t
throttle_begin(struct store *st, const struct throttle_policy *p,
    const char *addr, const char *login, int64_t *left)
{
	int64_t	 now = now_unix(), l, id;

	*left = 0;
	if (store_begin(st) == 0) {
		if ((l = throttle_left(st, p, addr, login, now)) > 0) {
			store_rollback(st);
			*left = l;
			return 0;
		}
		if (l == 0 && (id = throttle_insert(st, addr, login, now)) > 0 &&
		    store_commit(st) == 0)
			return id;
		store_rollback(st);
	}
	/* Nothing can be written: the failures on record still count. */
	if ((l = throttle_left(st, p, addr, login, now)) > 0) {
		*left = l;
		return 0;
	}
	return PERR_DB;
}

int
throttle_failed(struct store *st, const struct throttle_policy *p,
    int64_t id, const char *addr)
{
	(void)id;	/* its row stays: it is a failure now */
	if (store_begin(st) != 0)
		return PERR_DB;
	if (throttle_settle(st, p, addr, now_unix()) == 0 &&
	    store_commit(st) == 0)
		return 0;
	store_rollback(st);
	return PERR_DB;
}

int
throttle_success(struct store *st, const int64_t *ids, int n,
    const char *addr, const char *login)
{
	int64_t	 any = 0;
	int	 i;

	/* Most logins have nothing to forget: a read, no write lock. */
	for (i = 0; i < n; i++)
		if (ids[i] > 0)
			any = 1;
	if (!any) {
		if (throttle_sql(st, "SELECT EXISTS (SELECT 1 FROM auth_failures"
		    " WHERE addr = ?1 AND login = " LOGIN_KEY ")", addr, login,
		    0, 0, &any) != 0)
			return PERR_DB;
		if (!any)
			return 0;
	}
	if (store_begin(st) != 0)
		return PERR_DB;
	for (i = 0; i < n; i++)
		if (ids[i] > 0 && throttle_sql(st, "DELETE FROM auth_failures"
		    " WHERE id = ?3", addr, NULL, ids[i], 0, NULL) != 0)
			goto fail;
	if (throttle_sql(st, "DELETE FROM auth_failures WHERE addr = ?1"
	    " AND login = " LOGIN_KEY, addr, login, 0, 0, NULL) != 0)
		goto fail;
	if (store_commit(st) == 0)
		return 0;
fail:
	store_rollback(st);
	return PERR_DB;
}

int64_t
throttle_fail(struct store *st, const struct throttle_policy *p,
    const char *addr, const char *login)
{
	int64_t	 now = now_unix(), id;

	if (store_begin(st) != 0)
		return PERR_DB;
	if ((id = throttle_insert(st, addr, login, now)) > 0 &&
	    throttle_settle(st, p, addr, now) == 0 && store_commit(st) == 0)
		return id;
	store_rollback(st);
	return PERR_DB;
}

int64_t
throttle_blocked(struct store *st, const char *addr)
{
	int64_t	 until, now = now_unix();

	if (throttle_sql(st, "SELECT max(until) FROM auth_blocks WHERE addr = ?1",
	    addr, NULL, 0, 0, &until) != 0)
		return PERR_DB;
	return until > now ? until - now : 0;
}

int64_t
throttle_login_blocked(struct store *st, const struct throttle_policy *p,
    const char *addr, const char *login)
{
	return throttle_left(st, p, addr, login, now_unix());
}

int
throttle_clear(struct store *st, const char *addr)
{
	if (throttle_sql(st, "DELETE FROM auth_blocks WHERE addr = ?1",
	    addr, NULL, 0, 0, NULL) != 0)
		return PERR_DB;
	return throttle_sql(st, "DELETE FROM auth_failures WHERE addr = ?1",
	    addr, NULL, 0, 0, NULL);
}
