/*
 * throttle.h: failed logins, per login and address and per address.
 *
 * Too many failures of one login from one address within a window
 * refuse that login's passwords from there until older failures leave
 * the window; too many failures from one address, whatever the logins,
 * block the address's passwords for a while.  A school behind one modem
 * shares an address: its teachers who did not fail keep their logins
 * below the address limit, and key logins are never refused (a key is
 * not guessed).  The session asks before every password (throttle_begin
 * counts the attempt in the same transaction as the check, so parallel
 * connections cannot all slip under the limit) and says how it went.
 */
#ifndef PARTA_THROTTLE_H
#define PARTA_THROTTLE_H

#include <stdint.h>

struct store;

struct throttle_policy {
	int	 failures;	/* of one login from one address, in window */
	int	 addr_failures;	/* from one address, any login, in window */
	int	 window;	/* seconds */
	int	 block;		/* seconds an address stays blocked */
};

/*
 * Before checking login's password from addr: refuse it, or count it
 * as a failure until throttle_success() says otherwise.  Returns the
 * attempt's id (> 0) when it may go ahead; 0 when login or addr is
 * blocked now, with *left the seconds until it may try again; PERR_DB
 * when the attempt could not be recorded (a full disk) though the
 * failures on record do not block it: the caller may go ahead uncounted.
 */
int64_t	 throttle_begin(struct store *, const struct throttle_policy *,
	     const char *addr, const char *login, int64_t *left);
/* Attempt id (from throttle_begin or throttle_fail) failed: block addr
 * if it now has too many.  0 or PERR_DB. */
int	 throttle_failed(struct store *, const struct throttle_policy *,
	     int64_t id, const char *addr);
/* Login proved who she is from addr: attempt ids (n of them, 0s are
 * skipped) and her earlier failures from there are forgotten.  0 or
 * PERR_DB. */
int	 throttle_success(struct store *, const int64_t *ids, int n,
	     const char *addr, const char *login);

/* Record one failure of login from addr that had no throttle_begin (a
 * key not on file); blocks addr when the policy says so.  Returns the
 * failure's id (> 0) or PERR_DB. */
int64_t	 throttle_fail(struct store *, const struct throttle_policy *,
	     const char *addr, const char *login);

/* Seconds addr stays blocked (0 when it is not), or PERR_DB. */
int64_t	 throttle_blocked(struct store *, const char *addr);
/* Seconds login's passwords from addr stay refused, by the address's
 * block or by login's own failures (0: not refused), or PERR_DB.  A
 * read only. */
int64_t	 throttle_login_blocked(struct store *, const struct throttle_policy *,
	     const char *addr, const char *login);

/* Forget addr's failures and block (sysop's unblock).  0 or PERR_DB. */
int	 throttle_clear(struct store *, const char *addr);

#endif
