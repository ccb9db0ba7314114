/*
 * test-reset.c: one-time password reset codes: a code sets the password
 * once, a wrong, used, replaced or expired code or an unknown login is
 * refused alike, only the code's hash is stored, and a refused new
 * password keeps the code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perr.h"
#include "pwhash.h"
#include "reset.h"
#include "store.h"
#include "user.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

static struct store *st;

static char *
query_text(const char *q)
{
	sqlite3_stmt	*stmt = store_prepare(st, q);
	char		*s = NULL;

	if (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW)
		s = store_column_dup(stmt, 0);
	sqlite3_finalize(stmt);
	return s;
}

static int
password_is(const char *login, const char *pw)
{
	struct user	*u = NULL;
	int		 ok;

	if (user_get(st, login, &u) != 0)
		return 0;
	ok = pw_verify(pw, u->pw_hash);
	user_free(u);
	return ok;
}

int
main(void)
{
	struct user	*anna;
	char		 code[RESET_CODE_SIZE], old[RESET_CODE_SIZE], *s;
	int64_t		 exp;

	t_tmpdir();
	st = t_store("parta.db");
	anna = t_user_get(st, "anna", "Анна", ROLE_TEACHER);

	T_INT(reset_issue(st, "nobody", "console", code, &exp), PERR_NOTFOUND,
	    "no code for a missing account");
	T_INT(reset_issue(st, "anna", "console", code, &exp), 0, "a code");
	T_INT((int)strlen(code), RESET_CODE_SIZE - 1, "of 12 digits in 3 groups");
	T_OK(code[4] == '-' && code[9] == '-', "split by dashes");
	T_OK(exp > now_unix() + RESET_TTL - 60, "valid for a day");
	s = query_text("SELECT hash FROM reset_codes");
	T_OK(s != NULL && strstr(s, code) == NULL && strncmp(s, "$y$", 3) == 0,
	    "only its yescrypt hash is stored");
	free(s);
	s = query_text("SELECT action || ' ' || target FROM audit");
	T_STR(s, "reset code anna", "issuing is audited");
	free(s);

	T_INT(reset_redeem(st, "anna", "0000-0000-0000", "new password 1"),
	    PERR_RESET_CODE, "a wrong code is refused");
	T_INT(reset_redeem(st, "boris", code, "new password 1"),
	    PERR_RESET_CODE, "so is an unknown login, alike");
	T_INT(reset_redeem(st, "anna", code, "short"), PERR_PW_SHORT,
	    "a short new password is refused");
	/* Typed by phone: without dashes, with spaces. */
	snprintf(old, sizeof(old), "%s", code);
	memmove(old + 4, old + 5, strlen(old + 5) + 1);
	old[8] = ' ';
	T_INT(reset_redeem(st, "ANNA", old, "new password 1"), 0,
	    "the code (typed with spaces) sets the password");
	T_OK(password_is("anna", "new password 1"), "the new password works");
	T_INT(reset_redeem(st, "anna", code, "new password 2"), PERR_RESET_CODE,
	    "the code works once");
	T_OK(password_is("anna", "new password 1"), "the password stays");

	T_INT(reset_issue(st, "anna", "console", old, &exp), 0, "a code");
	T_INT(reset_issue(st, "anna", "console", code, &exp), 0, "another");
	T_INT(reset_redeem(st, "anna", old, "new password 3"), PERR_RESET_CODE,
	    "the new code replaces the old");
	T_INT(store_exec(st, "UPDATE reset_codes SET expires_at = 1"), 0,
	    "a day passes");
	T_INT(reset_redeem(st, "anna", code, "new password 3"), PERR_RESET_CODE,
	    "an expired code is refused");
	T_OK(password_is("anna", "new password 1"), "the password stays");

	explicit_bzero(code, sizeof(code));
	user_free(anna);
	store_close(st);
	return t_done();
}
