/*
 * pwhash.h: password hashing with yescrypt (libcrypt).  Passwords are
 * never stored or logged; callers wipe them after use.
 */
#ifndef PARTA_PWHASH_H
#define PARTA_PWHASH_H

/* Check length rules for a new password: 0 or a PERR code. */
int	 pw_check_policy(const char *pw);

/* A new yescrypt hash of pw with a fresh salt, or NULL on failure. */
char	*pw_hash(const char *pw);

/*
 * 1 if pw matches hash, else 0.  With hash NULL (no such user) the same
 * work is done against a dummy hash, so timing does not reveal which
 * logins exist.  The comparison is constant-time.
 */
int	 pw_verify(const char *pw, const char *hash);

#endif
