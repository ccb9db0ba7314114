/*
 * test-throttle.c: failed logins per login and address and per address:
 * below the thresholds nothing happens; at the login's, that login is
 * refused from that address while others from there are not; at the
 * address's, the address is blocked; attempts are counted before they
 * are checked and struck out when they succeed; the sysop can clear a
 * block, and a block ends by itself.
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

/* A policy that refuses a login from an address after login failures
 * there, and blocks the address after addr failures of any login, in
 * the ten minutes past; a block lasts a quarter of an hour. */
#define POLICY(login, addr)						\
	{ .failures = (login), .addr_failures = (addr), .window = 600,	\
	  .block = 900 }

static long long
failures(struct store *st, const char *addr)
{
	return t_int(st, "SELECT count(*) FROM auth_failures WHERE addr = ?",
	    addr);
}

static void
test_address(struct store *st)
{
	struct throttle_policy	 p = POLICY(10, 3);
	const char		*a = "192.0.2.10", *b = "2001:db8::1";
	int64_t			 left;

	T_INT(throttle_blocked(st, a), 0, "an unknown address is not blocked");
	T_OK(throttle_fail(st, &p, a, "anna") > 0, "first failure recorded");
	T_INT(throttle_blocked(st, a), 0, "1 of 3: not blocked");
	T_OK(throttle_fail(st, &p, a, "anna") > 0, "second failure recorded");
	T_INT(throttle_blocked(st, a), 0, "2 of 3: not blocked");
	T_INT(failures(st, a), 2, "two failures on record");
	T_OK(throttle_fail(st, &p, b, "anna") > 0, "a failure from another address");
	T_INT(throttle_blocked(st, b), 0, "the other address is not blocked");

	T_OK(throttle_fail(st, &p, a, "boris") > 0, "third failure (another login)");
	left = throttle_blocked(st, a);
	T_OK(left > 0, "3 of 3: blocked (%lld s left)", (long long)left);
	T_OK(left <= 900 && left >= 898, "... for about throttle_block seconds");
	T_OK(throttle_login_blocked(st, &p, a, "vera") > 0,
	    "a blocked address refuses every login's passwords");
	T_INT(throttle_begin(st, &p, a, "vera", &left), 0,
	    "throttle_begin refuses an attempt from a blocked address");
	T_OK(left > 0, "... and says for how long");
	T_INT(throttle_blocked(st, b), 0, "the other address is still not blocked");
	T_INT(throttle_blocked(st, "192.0.2.1"), 0, "a prefix of the address is not blocked");

	T_INT(throttle_clear(st, a), 0, "throttle_clear");
	T_INT(throttle_blocked(st, a), 0, "cleared: not blocked");
	T_OK(throttle_fail(st, &p, a, "anna") > 0, "a failure after clearing");
	T_INT(throttle_blocked(st, a), 0, "... counts from zero again");
	T_INT(throttle_clear(st, "198.51.100.7"), 0, "clearing an unknown address is fine");
	T_INT(throttle_clear(st, b), 0, "clear b");
	T_INT(failures(st, b), 0, "throttle_clear forgets the failures too");
}

/* One login failing from a school's address does not lock out the
 * others there. */
static void
test_login(struct store *st)
{
	struct throttle_policy	 p = POLICY(3, 100);
	const char		*a = "192.0.2.40";
	int64_t			 left, id;
	int			 i;

	for (i = 0; i < 3; i++)
		T_OK(throttle_fail(st, &p, a, "anna") > 0, "anna fails (%d)", i + 1);
	left = throttle_login_blocked(st, &p, a, "anna");
	T_OK(left > 590 && left <= 600, "anna is refused from there until her "
	    "oldest failure leaves the window (%lld s)", (long long)left);
	T_OK(throttle_login_blocked(st, &p, a, "ANNA") > 0,
	    "in any case of her login");
	T_INT(throttle_begin(st, &p, a, "Anna", &left), 0,
	    "throttle_begin refuses her next password");
	T_INT(throttle_login_blocked(st, &p, "192.0.2.41", "anna"), 0,
	    "anna from another address is not refused");
	T_INT(throttle_blocked(st, a), 0, "the address is not blocked");
	id = throttle_begin(st, &p, a, "boris", &left);
	T_OK(id > 0, "boris behind the same address may try");
	T_INT(throttle_success(st, &id, 1, a, "boris"), 0, "and succeeds");
	T_INT(failures(st, a), 3, "his success is no failure");
}

/* Every attempt counts from the moment it is allowed: attempts being
 * checked at once cannot all slip under the limit. */
static void
test_reserve(struct store *st)
{
	struct throttle_policy	 p = POLICY(4, 4);
	const char		*a = "192.0.2.50";
	int64_t			 id[6], left;
	int			 i, allowed = 0;

	for (i = 0; i < 6; i++)
		if ((id[i] = throttle_begin(st, &p, a, "anna", &left)) > 0)
			allowed++;
	T_INT(allowed, 4, "six attempts at once: four go ahead");
	T_INT(id[4], 0, "the fifth waits for nothing: refused");
	T_INT(throttle_blocked(st, a), 0, "no block while they are checked");
	T_INT(throttle_failed(st, &p, id[0], a), 0, "the first fails");
	T_OK(throttle_blocked(st, a) > 0, "four on record: the address is blocked");
	T_INT(throttle_success(st, &id[1], 1, a, "anna"), 0,
	    "the second succeeds after all");
	T_INT(failures(st, a), 0, "anna's failures from there are forgiven");
	T_OK(throttle_blocked(st, a) > 0, "the block stays");
}

/* Failures older than the window do not count. */
static void
test_window(struct store *st)
{
	struct throttle_policy	 p = POLICY(2, 2);
	const char		*a = "192.0.2.20";

	T_INT(store_exec(st, "INSERT INTO auth_failures(addr, login, at) VALUES"
	    " ('192.0.2.20', 'anna', strftime('%s','now') - 3600)"), 0,
	    "a failure from an hour ago");
	T_OK(throttle_fail(st, &p, a, "anna") > 0, "a failure now");
	T_INT(throttle_blocked(st, a), 0, "the old failure is outside the window: not blocked");
	T_INT(throttle_login_blocked(st, &p, a, "anna"), 0, "nor is anna refused");
	T_INT(failures(st, a), 1, "... and was purged");
}

static void
test_expiry(struct store *st)
{
	struct throttle_policy	 p = { .failures = 10, .addr_failures = 2,
				     .window = 60, .block = 1 };
	const char		*a = "192.0.2.30";
	int64_t			 left;

	throttle_fail(st, &p, a, "anna");
	throttle_fail(st, &p, a, "anna");
	T_OK(throttle_blocked(st, a) > 0, "blocked for 1 second");
	sleep(2);
	T_INT(throttle_blocked(st, a), 0, "the block has expired by itself");
	T_OK(throttle_begin(st, &p, a, "anna", &left) > 0,
	    "after expiry an attempt may go ahead");
	T_INT(throttle_blocked(st, a), 0, "... and does not block again at once");
}

/* Nothing can be written (a full disk): the failures on record still
 * refuse, and an attempt that is not blocked may go ahead uncounted. */
static void
test_readonly(struct store *st)
{
	struct throttle_policy	 p = POLICY(1, 100);
	const char		*a = "192.0.2.60";
	int64_t			 left;

	throttle_fail(st, &p, a, "anna");
	T_INT(store_exec(st, "PRAGMA query_only = 1"), 0, "the store is read-only");
	T_INT(throttle_begin(st, &p, a, "anna", &left), 0,
	    "anna's failure on record still refuses her");
	T_INT(throttle_begin(st, &p, a, "boris", &left), PERR_DB,
	    "boris may go ahead, uncounted");
	T_INT(throttle_success(st, NULL, 0, a, "boris"), 0,
	    "his login has nothing to forget: no write is tried");
	T_INT(store_exec(st, "PRAGMA query_only = 0"), 0, "writable again");
}

/* The login is the client's: stored short and printable. */
static void
test_login_capped(struct store *st)
{
	struct throttle_policy	 p = POLICY(100, 100);
	sqlite3_stmt		*stmt;
	char			 big[5001];
	const char		*got;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "a\n\033[2J", 6);
	T_OK(throttle_fail(st, &p, "192.0.2.99", big) > 0,
	    "a 5000-byte login with an escape is recorded");
	stmt = store_prepare(st, "SELECT login FROM auth_failures WHERE addr = ?");
	store_bind_text(stmt, 1, "192.0.2.99");
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    (got = (const char *)sqlite3_column_text(stmt, 0)) != NULL) {
		T_INT(strlen(got), 64, "... cut to 64 bytes");
		T_OK(strncmp(got, "a\\n\\033[2jxx", 12) == 0 &&
		    strcmp(got + 61, "...") == 0,
		    "... escaped, lower case, and the cut marked (%s)", got);
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
	test_address(st);
	test_login(st);
	test_reserve(st);
	test_window(st);
	test_expiry(st);
	test_login_capped(st);
	test_readonly(st);
	store_close(st);
	return t_done();
}
