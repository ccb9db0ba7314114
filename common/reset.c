/*
 * reset.c: one-time password reset codes (reset.h).  The table
 * reset_codes holds one row per account with a code outstanding: the
 * yescrypt hash of its digits and when it expires.  Redeeming deletes
 * the row it matched before setting the password, so two tries at once
 * cannot both use one code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "perr.h"
#include "pwhash.h"
#include "reset.h"
#include "store.h"
#include "user.h"
#include "util.h"

#define RESET_DIGITS	12

/* The digits of s, at most RESET_DIGITS + 1 of them, into d. */
static void
reset_digits(const char *s, char d[RESET_DIGITS + 2])
{
	size_t	 n = 0;

	for (; *s != '\0' && n <= RESET_DIGITS; s++)
		if (*s >= '0' && *s <= '9')
			d[n++] = *s;
	d[n] = '\0';
}

int
reset_issue(struct store *st, const char *login, const char *actor,
    char *code, int64_t *expires)
{
	unsigned char	 r[RESET_DIGITS];
	char		 d[RESET_DIGITS + 2], *hash = NULL;
	struct user	*u = NULL;
	size_t		 i;
	int		 rc;

	*code = '\0';
	*expires = 0;
	if ((rc = user_get(st, login, &u)) != 0)
		return rc;
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		rc = PERR_DB;
		goto out;
	}
	/* 250 is a multiple of 10: no digit is likelier than another. */
	for (i = 0; i < RESET_DIGITS; i++) {
		while (r[i] >= 250)
			if (getrandom(&r[i], 1, 0) != 1) {
				rc = PERR_DB;
				goto out;
			}
		d[i] = (char)('0' + r[i] % 10);
	}
	d[RESET_DIGITS] = '\0';
	if ((hash = pw_hash(d)) == NULL) {
		rc = PERR_DB;
		goto out;
	}
	*expires = now_unix() + RESET_TTL;
	if ((rc = store_begin(st)) != 0)
		goto out;
	rc = store_write(st, NULL, "INSERT INTO reset_codes(user_id, hash,"
	    " expires_at, issued_by) VALUES (?1, ?2, ?3, ?4)"
	    " ON CONFLICT(user_id) DO UPDATE SET hash = excluded.hash,"
	    " expires_at = excluded.expires_at, issued_by = excluded.issued_by",
	    "itit", u->id, hash, *expires, actor);
	if ((rc = audit_end(st, rc, actor, "reset code", u->login, NULL)) == 0)
		snprintf(code, RESET_CODE_SIZE, "%.4s-%.4s-%.4s", d, d + 4,
		    d + 8);
out:
	if (rc != 0)
		*expires = 0;
	explicit_bzero(d, sizeof(d));
	explicit_bzero(r, sizeof(r));
	free(hash);
	user_free(u);
	return rc;
}

int
reset_redeem(struct store *st, const char *login, const char *code,
    const char *password)
{
	sqlite3_stmt	*stmt;
	char		 d[RESET_DIGITS + 2], *hash = NULL;
	int64_t		 id = 0;
	int		 rc, ok, n;

	if ((rc = pw_check_policy(password)) != 0)
		return rc;
	reset_digits(code, d);
	stmt = store_prepare(st, "SELECT r.user_id, r.hash FROM reset_codes r"
	    " JOIN users u ON u.id = r.user_id"
	    " WHERE u.login = ?1 AND r.expires_at > ?2");
	if (stmt == NULL)
		return PERR_DB;
	sqlite3_bind_text(stmt, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, now_unix());
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		id = sqlite3_column_int64(stmt, 0);
		hash = store_column_dup(stmt, 1);
	}
	sqlite3_finalize(stmt);
	/* Without a code the same work is done against a dummy hash. */
	ok = pw_verify(d, hash) && strlen(d) == RESET_DIGITS && id != 0;
	explicit_bzero(d, sizeof(d));
	if (!ok) {
		free(hash);
		return PERR_RESET_CODE;
	}
	rc = store_write(st, &n, "DELETE FROM reset_codes WHERE user_id = ?1"
	    " AND hash = ?2", "it", id, hash);
	if (rc == 0 && n != 1)
		rc = PERR_RESET_CODE;	/* used or replaced meanwhile */
	free(hash);
	if (rc == 0 && (rc = user_set_password(st, id, password)) == 0)
		rc = audit_log(st, login, "reset password", login, NULL);
	return rc;
}
