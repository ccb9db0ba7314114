/*
 * reset.h: one-time password reset codes.  The sysop issues a code for
 * an account (parta-sysop user reset, or the BBS) and passes it on by
 * phone; its owner, logged in as "new", gives her login, the code and a
 * new password.  A code is a secret: only its hash is stored
 * (pwhash.h), it is compared in constant time, works once and expires
 * after RESET_TTL seconds; a new code replaces the old.
 */
#ifndef PARTA_RESET_H
#define PARTA_RESET_H

#include <stddef.h>
#include <stdint.h>

struct store;

#define RESET_TTL	86400		/* a day */
#define RESET_CODE_SIZE	15		/* "1234-5678-9012" and NUL */

/*
 * Issue a new code for login, as actor (for the audit log): 0 with the
 * code in code (RESET_CODE_SIZE bytes; the caller wipes it) and its
 * expiry in *expires, PERR_NOTFOUND, or PERR_DB.
 */
int	 reset_issue(struct store *, const char *login, const char *actor,
	     char *code, int64_t *expires);

/*
 * Set login's password to password if code (digits; other characters
 * are ignored) is her valid code, and use the code up.  0,
 * PERR_RESET_CODE (no such login, no code, a wrong or expired one: the
 * same answer, in the same time), a pw_check_policy() code (the code is
 * kept), or PERR_DB.
 */
int	 reset_redeem(struct store *, const char *login, const char *code,
	     const char *password);

#endif
