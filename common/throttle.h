/*
 * throttle.h: failed logins per address.  Too many failures within a
 * window block the address for a while; the block expires by itself.
 */
#ifndef PARTA_THROTTLE_H
#define PARTA_THROTTLE_H

#include <stdint.h>

struct store;

struct throttle_policy {
	int	 failures;	/* failures within window that block */
	int	 window;	/* seconds */
	int	 block;		/* seconds */
};

/* Record one failure of login from addr (login stored escaped and cut
 * as log_vis does, at LOG_NAME_MAX bytes); blocks addr when the policy
 * says so.  0 or PERR_DB. */
int	 throttle_fail(struct store *, const struct throttle_policy *,
	     const char *addr, const char *login);

/* Seconds addr stays blocked (0 when it is not), or PERR_DB. */
int64_t	 throttle_blocked(struct store *, const char *addr);

/* Forget addr's failures and block (sysop's unblock).  0 or PERR_DB. */
int	 throttle_clear(struct store *, const char *addr);

#endif
