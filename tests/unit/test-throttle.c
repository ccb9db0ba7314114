/*
 * test-throttle.c: failed logins per address: below the threshold nothing
 * happens, at it the address is blocked, the sysop can clear the block,
 * and a block ends by itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perr.h"
#include "store.h"
#include "t.h"
#include "t-tmp.h"
#include "throttle.h"

static long long
failures(struct store *st, const char *addr)
{
	sqlite3_stmt	*stmt;
	long long	 n = -1;

	stmt = store_prepare(st, "SELECT count(*) FROM auth_failures WHERE addr = ?");
	store_bind_text(stmt, 1, addr);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

static void
test_threshold(struct store *st)
{
	struct throttle_policy	 p = { .failures = 3, .window = 600, .block = 900 };
	const char		*a = "192.0.2.10", *b = "2001:db8::1";
	int64_t			 left;

	T_INT(throttle_blocked(st, a), 0, "an unknown address is not blocked");
	T_INT(throttle_fail(st, &p, a, "anna"), 0, "first failure recorded");
	T_INT(throttle_blocked(st, a), 0, "1 of 3: not blocked");
	T_INT(throttle_fail(st, &p, a, "anna"), 0, "second failure recorded");
	T_INT(throttle_blocked(st, a), 0, "2 of 3: not blocked");
	T_INT(failures(st, a), 2, "two failures on record");
	T_INT(throttle_fail(st, &p, b, "anna"), 0, "a failure from another address");
	T_INT(throttle_blocked(st, b), 0, "the other address is not blocked");

	T_INT(throttle_fail(st, &p, a, "boris"), 0, "third failure (another login)");
	left = throttle_blocked(st, a);
	T_OK(left > 0, "3 of 3: blocked (%lld s left)", (long long)left);
	T_OK(left <= 900 && left >= 898, "... for about throttle_block seconds");
	T_INT(throttle_blocked(st, b), 0, "the other address is still not blocked");
	T_INT(failures(st, a), 0, "the failures that caused the block are spent");
	T_INT(throttle_blocked(st, "192.0.2.1"), 0, "a prefix of the address is not blocked");

	T_INT(throttle_clear(st, a), 0, "throttle_clear");
	T_INT(throttle_blocked(st, a), 0, "cleared: not blocked");
	T_INT(throttle_fail(st, &p, a, "anna"), 0, "a failure after clearing");
	T_INT(throttle_blocked(st, a), 0, "... counts from zero again");
	T_INT(throttle_clear(st, "198.51.100.7"), 0, "clearing an unknown address is fine");
	T_INT(throttle_clear(st, b), 0, "clear b");
	T_INT(failures(st, b), 0, "throttle_clear forgets the failures too");
}

static void
test_threshold_one(struct store *st)
{
	struct throttle_policy	 p = { .failures = 1, .window = 60, .block = 60 };

	T_INT(throttle_fail(st, &p, "203.0.113.1", "x"), 0, "failures = 1");
	T_OK(throttle_blocked(st, "203.0.113.1") > 0, "the first failure blocks");
}

/* Failures older than the window do not count. */
static void
test_window(struct store *st)
{
	struct throttle_policy	 p = { .failures = 2, .window = 600, .block = 900 };
	const char		*a = "192.0.2.20";

	T_INT(store_exec(st, "INSERT INTO auth_failures(addr, login, at) VALUES"
	    " ('192.0.2.20', 'old', strftime('%s','now') - 3600)"), 0,
	    "a failure from an hour ago");
	T_INT(throttle_fail(st, &p, a, "anna"), 0, "a failure now");
	T_INT(throttle_blocked(st, a), 0, "the old failure is outside the window: not blocked");
	T_INT(failures(st, a), 1, "... and was purged");
}

static void
test_expiry(struct store *st)
{
	struct throttle_policy	 p = { .failures = 2, .window = 60, .block = 1 };
	const char		*a = "192.0.2.30";

	throttle_fail(st, &p, a, "anna");
	throttle_fail(st, &p, a, "anna");
	T_OK(throttle_blocked(st, a) > 0, "blocked for 1 second");
	sleep(2);
	T_INT(throttle_blocked(st, a), 0, "the block has expired by itself");
	T_INT(throttle_fail(st, &p, a, "anna"), 0, "a failure after expiry");
	T_INT(throttle_blocked(st, a), 0, "... does not block again at once");
}

/* The login is the client's: stored short and printable. */
static void
test_login_capped(struct store *st)
{
	struct throttle_policy	 p = { .failures = 100, .window = 600, .block = 900 };
	sqlite3_stmt		*stmt;
	char			 big[5001];
	const char		*got;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "a\n\033[2J", 6);
	T_INT(throttle_fail(st, &p, "192.0.2.99", big), 0,
	    "a 5000-byte login with an escape is recorded");
	stmt = store_prepare(st, "SELECT login FROM auth_failures WHERE addr = ?");
	store_bind_text(stmt, 1, "192.0.2.99");
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    (got = (const char *)sqlite3_column_text(stmt, 0)) != NULL) {
		T_INT(strlen(got), 64, "... cut to 64 bytes");
		T_OK(strncmp(got, "a\\n\\033[2Jxx", 12) == 0 &&
		    strcmp(got + 61, "...") == 0,
		    "... escaped, and the cut marked (%s)", got);
	} else
		T_OK(0, "... and is there");
	sqlite3_finalize(stmt);
}

int
main(void)
{
	struct store	*st;

	t_tmpdir();
	st = t_store("throttle.db");
	test_threshold(st);
	test_threshold_one(st);
	test_window(st);
	test_expiry(st);
	test_login_capped(st);
	store_close(st);
	return t_done();
}
