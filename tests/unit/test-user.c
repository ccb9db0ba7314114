/*
 * test-user.c: accounts: login rules, validation of every text field with
 * the field to blame, NFC storage, the pending/active/rejected/banned
 * life cycle with its audit trail, passwords, and login completion.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "perr.h"
#include "pwhash.h"
#include "store.h"
#include "t.h"
#include "t-tmp.h"
#include "user.h"
#include "util.h"

/* Create login with the given display name and password, role pending. */
static int
create(struct store *st, const char *login, const char *name, const char *pw,
    int64_t *id, const char **bad)
{
	struct user_new	 n = {
		.login = login, .display_name = name, .school = "Школа № 1",
		.subjects = "математика", .password = pw, .role = ROLE_PENDING,
		.lang = "ru",
	};

	return user_create(st, &n, id, bad);
}

/* create(login, name) fails with rc and blames field ("what": the
 * check's description). */
static void
create_refused(struct store *st, const char *login, const char *name, int rc,
    const char *field, const char *what)
{
	const char	*bad = NULL;

	T_INT(create(st, login, name, NULL, NULL, &bad), rc, "%s", what);
	T_STR(bad, field, "... blames %s", field);
}

static void
test_login_rules(void)
{
	char			 b32[33], b33[34];
	const struct t_int_case	 c[] = {
		{ "anna", 0, "login anna" },
		{ "a.petrova-2_b", 0, "login with . - _ and digits" },
		{ "ab", 0, "2 characters is enough" },
		{ "a", PERR_LOGIN_LENGTH, "1 character refused" },
		{ t_fill(b32, 'a', 32), 0, "32 characters accepted" },
		{ t_fill(b33, 'a', 33), PERR_LOGIN_LENGTH, "33 characters refused" },
		{ "", PERR_EMPTY, "empty login refused" },
		{ "new", PERR_LOGIN_RESERVED, "\"new\" is reserved" },
		{ "NEW", PERR_LOGIN_RESERVED, "\"NEW\" is reserved too" },
		{ "root", PERR_LOGIN_RESERVED, "\"root\" is reserved" },
		{ "Admin", PERR_LOGIN_RESERVED, "\"Admin\" is reserved" },
		{ "newton", 0, "a login starting with \"new\" is fine" },
		{ "анна", PERR_LOGIN_CHARS, "Cyrillic login refused" },
		{ "\xd0\xb0nna", PERR_LOGIN_CHARS, "a Cyrillic homoglyph а refused" },
		{ "1anna", PERR_LOGIN_CHARS, "leading digit refused" },
		{ "_anna", PERR_LOGIN_CHARS, "leading _ refused" },
		{ "an na", PERR_LOGIN_CHARS, "space refused" },
		{ "anna@school", PERR_LOGIN_CHARS, "@ refused" },
		{ "../etc", PERR_LOGIN_CHARS, "path refused" },
		{ "an\x1b[2J", PERR_LOGIN_CHARS, "ESC refused" },
		{ "anna\n", PERR_LOGIN_CHARS, "newline refused" },
		{ "an\xffna", PERR_LOGIN_CHARS, "invalid byte refused" },
		{ "é", PERR_LOGIN_CHARS, "Latin-1 letter refused" },
	};

	t_ints(c, nitems(c), user_check_login);

	T_STR(role_name(ROLE_PENDING), "pending", "role_name pending");
	T_STR(role_name(ROLE_SYSOP), "sysop", "role_name sysop");
	T_STR(role_name((enum role)99), "?", "role_name out of range");
	T_INT(role_parse("coordinator"), ROLE_COORDINATOR, "role_parse coordinator");
	T_INT(role_parse("Sysop"), -1, "role_parse is exact");
	T_INT(role_parse(""), -1, "role_parse \"\"");
}

static void
test_create_get(struct store *st)
{
	struct user	*u = NULL;
	const char	*bad = "junk";
	int64_t		 id = -1, id2;
	long long	 changes;
	char		 name[300];
	int		 i;

	changes = t_int(st, "SELECT count(*) FROM changes", NULL);
	T_INT(create(st, "Anna", "Петрова Анна", "secret-пароль", &id, &bad), 0,
	    "create Anna");
	T_OK(bad == NULL, "no bad field on success");
	T_OK(id > 0, "an id is returned");
	T_INT(t_int(st, "SELECT count(*) FROM changes", NULL), changes + 1,
	    "a new account leaves a change row");

	T_INT(user_get(st, "anna", &u), 0, "user_get with another case finds Anna");
	if (u != NULL) {
		T_INT(u->id, id, "... the same id");
		T_STR(u->login, "Anna", "login kept as typed");
		T_STR(u->display_name, "Петрова Анна", "display name");
		T_STR(u->school, "Школа № 1", "school");
		T_STR(u->subjects, "математика", "subjects");
		T_STR(u->about, "", "about empty");
		T_STR(u->lang, "ru", "lang");
		T_STR(u->encoding, "UTF-8", "encoding default");
		T_INT(u->role, ROLE_PENDING, "role pending");
		T_INT(user_state(u), USER_PENDING, "state pending");
		T_INT(strlen(u->uuid), 36, "uuid");
		T_OK(u->created_at > 0 && u->approved_at == 0, "created, not approved");
		T_OK(u->pw_hash != NULL && strncmp(u->pw_hash, "$y$", 3) == 0,
		    "password stored as a yescrypt hash");
		T_OK(u->pw_hash != NULL && strstr(u->pw_hash, "secret") == NULL,
		    "password not stored in clear");
		user_free(u);
	}
	T_INT(user_get(st, "ANNA", &u), 0, "user_get ANNA");
	user_free(u);
	T_INT(user_get_by_id(st, id, &u), 0, "user_get_by_id");
	T_STR(u != NULL ? u->login : NULL, "Anna", "... finds Anna");
	user_free(u);
	u = (struct user *)1;
	T_INT(user_get(st, "nobody-here", &u), PERR_NOTFOUND, "unknown login: PERR_NOTFOUND");
	T_OK(u == NULL, "... and *out NULL");
	T_INT(user_get_by_id(st, 999999, &u), PERR_NOTFOUND, "unknown id: PERR_NOTFOUND");
	T_INT(user_get(st, "ann", &u), PERR_NOTFOUND, "a prefix is not a match");
	T_INT(user_get(st, "anna%", &u), PERR_NOTFOUND, "no LIKE wildcards");
	user_free(NULL);

	/* Duplicates, in any case. */
	bad = NULL;
	T_INT(create(st, "Anna", "Другая Анна", NULL, &id2, &bad), PERR_EXISTS,
	    "duplicate login: PERR_EXISTS");
	T_STR(bad, "login", "... blames login");
	T_INT(id2, 0, "... and returns no id");
	bad = NULL;
	T_INT(create(st, "aNNa", "Другая Анна", NULL, &id2, &bad), PERR_EXISTS,
	    "duplicate login in another case: PERR_EXISTS");
	T_STR(bad, "login", "... blames login");
	T_INT(t_int(st, "SELECT count(*) FROM users", NULL), 1, "still one account");

	/* Each field is validated and blamed by name. */
	create_refused(st, "new", "Новый", PERR_LOGIN_RESERVED, "login",
	    "create \"new\" refused");
	create_refused(st, "ivan", "Иван\x1b[31m", PERR_CONTROL, "display_name",
	    "display name with ESC: PERR_CONTROL");
	create_refused(st, "ivan", "Иван\xe2\x80\xae", PERR_CONTROL, "display_name",
	    "display name with a BiDi override refused");
	create_refused(st, "ivan", "", PERR_EMPTY, "display_name",
	    "empty display name");
	create_refused(st, "ivan", NULL, PERR_EMPTY, "display_name",
	    "NULL display name");
	create_refused(st, "ivan", "Иван\nИванов", PERR_MULTILINE, "display_name",
	    "two-line display name");
	create_refused(st, "ivan", "Иван \xd0", PERR_UTF8, "display_name",
	    "display name with broken UTF-8");
	name[0] = '\0';
	for (i = 0; i < USER_NAME_MAX + 1; i++)
		strcat(name, "ж");
	create_refused(st, "ivan", name, PERR_TOOLONG, "display_name",
	    "65-letter display name refused");
	{
		struct user_new	 n = { .login = "ivan", .display_name = "Иван",
		    .school = "Школа\x9b", .role = ROLE_PENDING };
		bad = NULL;
		T_INT(user_create(st, &n, NULL, &bad), PERR_UTF8, "school with a raw C1 byte");
		T_STR(bad, "school", "... blames school");
		n.school = NULL;
		n.subjects = "математика\x07";
		bad = NULL;
		T_INT(user_create(st, &n, NULL, &bad), PERR_CONTROL, "subjects with BEL");
		T_STR(bad, "subjects", "... blames subjects");
		n.subjects = NULL;
		n.password = "short";
		bad = NULL;
		T_INT(user_create(st, &n, NULL, &bad), PERR_PW_SHORT, "short password");
		T_STR(bad, "password", "... blames password");
	}
	T_INT(user_get(st, "ivan", &u), PERR_NOTFOUND, "no refused account was stored");

	/* 64 letters is the limit, in characters, not bytes. */
	name[strlen(name) - 2] = '\0';
	T_INT(create(st, "ivan", name, NULL, &id, &bad), 0,
	    "64-letter (128-byte) display name accepted");
	T_INT(user_get(st, "ivan", &u), 0, "ivan stored");
	T_OK(u != NULL && u->pw_hash == NULL, "no password: pw_hash is NULL");
	user_free(u);
}

static void
test_nfc(struct store *st)
{
	struct user	*u = NULL;
	const char	*bad;
	char		 name[300];
	int		 i;

	T_INT(create(st, "yozhik", "Е\xcc\x88жиков Мои\xcc\x86сеев", NULL, NULL, &bad), 0,
	    "create with a decomposed (NFD) display name");
	T_INT(user_get(st, "yozhik", &u), 0, "get it");
	T_STR(u != NULL ? u->display_name : NULL, "Ёжиков Мойсеев",
	    "display name stored as NFC");
	user_free(u);

	/* The limit applies to what is stored: 40 decomposed й are 80 code
	 * points as typed but 40 characters once composed. */
	name[0] = '\0';
	for (i = 0; i < 40; i++)
		strcat(name, "и\xcc\x86");
	T_INT(create(st, "yot", name, NULL, NULL, &bad), 0,
	    "40 decomposed letters fit a 64-character name");
	T_INT(user_get(st, "yot", &u), 0, "get it");
	T_INT(u != NULL ? strlen(u->display_name) : 0, 80, "stored as 40 two-byte й");
	user_free(u);
}

static int
collect(const struct user *u, void *arg)
{
	char	*s = arg;

	strcat(s, u->login);
	strcat(s, " ");
	return 0;
}

static int
stop_at_first(const struct user *u, void *arg)
{
	(void)u;
	(*(int *)arg)++;
	return 1;
}

static long long
audit_count(struct store *st, const char *action, const char *target)
{
	char		*sql;
	long long	 v;

	sql = sqlite3_mprintf("SELECT count(*) FROM audit WHERE action = %Q"
	    " AND target = ? AND actor = 'console'", action);
	v = t_int(st, sql, target);
	sqlite3_free(sql);
	return v;
}

static enum user_state
state_of(struct store *st, const char *login)
{
	struct user	*u;
	enum user_state	 s;

	if (user_get(st, login, &u) != 0)
		return (enum user_state)-1;
	s = user_state(u);
	user_free(u);
	return s;
}

static void
test_lifecycle(struct store *st)
{
	struct user	*u = NULL;
	const char	*bad;
	char		 list[512];
	int		 n = 0;

	create(st, "pavel", "Павел", "pavel-password", NULL, &bad);
	create(st, "olga", "Ольга", NULL, NULL, &bad);

	list[0] = '\0';
	T_INT(user_foreach(st, 1, collect, list), 0, "user_foreach pending only");
	T_OK(strstr(list, "pavel ") != NULL && strstr(list, "olga ") != NULL,
	    "pending list has pavel and olga: %s", list);
	T_INT(user_foreach(st, 0, stop_at_first, &n), 0, "user_foreach stops early");
	T_INT(n, 1, "... after one call");

	T_INT(user_approve(st, "PAVEL", "console"), 0, "approve pavel");
	T_INT(user_get(st, "pavel", &u), 0, "get pavel");
	if (u != NULL) {
		T_INT(u->role, ROLE_TEACHER, "approved: role teacher");
		T_INT(user_state(u), USER_ACTIVE, "approved: state active");
		T_OK(u->approved_at > 0, "approved_at set");
		user_free(u);
	}
	T_INT(audit_count(st, "approve", "pavel"), 1, "approve is audited");
	T_INT(user_approve(st, "pavel", "console"), PERR_NOT_PENDING,
	    "approving an active account: PERR_NOT_PENDING");
	T_INT(audit_count(st, "approve", "pavel"), 1, "a refused approval is not audited");
	T_INT(user_reject(st, "pavel", "поздно", "console"), PERR_NOT_PENDING,
	    "rejecting an active account: PERR_NOT_PENDING");
	T_INT(user_approve(st, "ghost", "console"), PERR_NOTFOUND,
	    "approving an unknown login: PERR_NOTFOUND");
	T_INT(user_reject(st, "ghost", "", "console"), PERR_NOTFOUND,
	    "rejecting an unknown login: PERR_NOTFOUND");
	T_INT(user_ban(st, "ghost", "", "console"), PERR_NOTFOUND, "banning an unknown login");
	T_INT(user_unban(st, "ghost", "console"), PERR_NOTFOUND, "unbanning an unknown login");
	T_INT(user_set_role(st, "ghost", ROLE_EXPERT, "console"), PERR_NOTFOUND,
	    "set_role of an unknown login");

	T_INT(user_reject(st, "olga", "Нет такой школы\x1b[2J", "console"), PERR_CONTROL,
	    "a reject reason with ESC is refused");
	T_INT(state_of(st, "olga"), USER_PENDING, "... and olga is still pending");
	T_INT(user_reject(st, "olga", "Нет такой школы", "console"), 0, "reject olga");
	T_INT(user_get(st, "olga", &u), 0, "get olga");
	if (u != NULL) {
		T_INT(user_state(u), USER_REJECTED, "rejected: state rejected");
		T_STR(u->reject_reason, "Нет такой школы", "reject reason stored");
		T_OK(u->rejected_at > 0, "rejected_at set");
		user_free(u);
	}
	T_INT(audit_count(st, "reject", "olga"), 1, "reject is audited");
	list[0] = '\0';
	user_foreach(st, 1, collect, list);
	T_OK(strstr(list, "olga") == NULL, "a rejected account is no longer pending: %s", list);

	T_INT(user_ban(st, "pavel", "спам", "console"), 0, "ban pavel");
	T_INT(user_get(st, "pavel", &u), 0, "get pavel");
	if (u != NULL) {
		T_INT(user_state(u), USER_BANNED, "banned: state banned");
		T_STR(u->ban_reason, "спам", "ban reason stored");
		T_INT(u->role, ROLE_TEACHER, "a ban keeps the role");
		user_free(u);
	}
	T_INT(audit_count(st, "ban", "pavel"), 1, "ban is audited");
	T_INT(t_int(st, "SELECT count(*) FROM audit WHERE action = 'ban'"
	    " AND detail = ?", "спам"), 1, "the audit row carries the reason");
	T_INT(user_approve(st, "pavel", "console"), PERR_NOT_PENDING,
	    "approving a banned teacher: PERR_NOT_PENDING");
	T_INT(user_ban(st, "pavel", "\xff", "console"), PERR_UTF8,
	    "a ban reason with broken UTF-8 is refused");
	T_INT(user_unban(st, "pavel", "console"), 0, "unban pavel");
	T_INT(user_get(st, "pavel", &u), 0, "get pavel");
	if (u != NULL) {
		T_INT(user_state(u), USER_ACTIVE, "unbanned: active again");
		T_OK(u->banned_at == 0 && strcmp(u->ban_reason, "") == 0,
		    "ban fields cleared");
		user_free(u);
	}
	T_INT(audit_count(st, "unban", "pavel"), 1, "unban is audited");

	/* A ban is not lifted by approving or rejecting the account. */
	create(st, "spammer", "Спамер", NULL, NULL, &bad);
	T_INT(user_ban(st, "spammer", "реклама", "console"), 0, "ban a pending account");
	T_INT(state_of(st, "spammer"), USER_BANNED, "a banned pending account is banned");
	T_INT(user_approve(st, "spammer", "console"), 0, "approve it");
	T_INT(state_of(st, "spammer"), USER_BANNED, "... it stays banned");

	T_INT(user_set_role(st, "pavel", ROLE_EXPERT, "console"), 0, "set_role expert");
	T_INT(user_get(st, "pavel", &u), 0, "get pavel");
	T_INT(u != NULL ? (int)u->role : -1, ROLE_EXPERT, "role is expert");
	user_free(u);
	T_INT(user_set_role(st, "pavel", (enum role)42, "console"), PERR_ROLE,
	    "set_role with a bad role: PERR_ROLE");
	T_INT(user_set_role(st, "olga", ROLE_TEACHER, "console"), 0,
	    "set_role teacher on a rejected account");
	T_INT(state_of(st, "olga"), USER_ACTIVE, "... makes it active");
}

/* "второй-пароль" as each terminal types it, and which reading matches. */
static void
test_password_typed(struct store *st)
{
	static const struct {
		int		 cs;	/* the terminal's; -1: as it is */
		const char	*pw;
		int		 rc, want_cs;
		const char	*what;
	} c[] = {
		{ CHARSET_UTF8, "второй-пароль", 0, CHARSET_UTF8, "UTF-8" },
		{ CHARSET_CP1251, "второй-пароль", 0, CHARSET_CP1251, "CP1251" },
		{ CHARSET_KOI8R, "второй-пароль", 0, CHARSET_KOI8R, "KOI8-R" },
		{ CHARSET_CP866, "второй-пароль", 0, CHARSET_CP866, "CP866" },
		{ CHARSET_KOI8R, "второй-парол", PERR_PW_WRONG, -1,
		    "KOI8-R, a wrong one" },
		{ -1, "first-password", PERR_PW_WRONG, -1, "ASCII, wrong" },
	};
	char		*typed;
	int64_t		 id;
	size_t		 i;
	int		 cs;

	for (i = 0; i < nitems(c); i++) {
		typed = c[i].cs < 0 ? xstrdup(c[i].pw) :
		    charset_convert(c[i].cs, CHARSET_OUT, c[i].pw);
		T_INT(user_check_password_typed(st, "marat", typed, &id, &cs),
		    c[i].rc, "typed on %s", c[i].what);
		T_INT(cs, c[i].want_cs, "... read as %s", c[i].what);
		free(typed);
	}
	T_INT(user_check_password_typed(st, "nosuchuser", "\xf7\xd4", &id,
	    &cs), PERR_PW_WRONG, "typed: an unknown login fails");
}

static void
test_passwords(struct store *st)
{
	struct user	*u;
	int64_t		 id = -1, pid;
	const char	*bad;

	create(st, "marat", "Марат", "first-password", &pid, &bad);
	T_INT(user_check_password(st, "marat", "first-password", &id), 0,
	    "right password");
	T_INT(id, pid, "... gives the account's id");
	T_INT(user_check_password(st, "MARAT", "first-password", &id), 0,
	    "right password, login in another case");
	T_INT(user_check_password(st, "marat", "first-passwordX", &id), PERR_PW_WRONG,
	    "wrong password: PERR_PW_WRONG");
	T_INT(id, 0, "... and id 0");
	T_INT(user_check_password(st, "marat", "", &id), PERR_PW_WRONG, "empty password");
	T_INT(user_check_password(st, "nosuchuser", "first-password", &id),
	    PERR_PW_WRONG, "unknown login: PERR_PW_WRONG too");
	T_INT(user_check_password(st, "olga", "", &id), PERR_PW_WRONG,
	    "an account without a password never matches");

	T_INT(user_set_password(st, pid, "short"), PERR_PW_SHORT,
	    "set_password: policy applies");
	T_INT(user_check_password(st, "marat", "first-password", &id), 0,
	    "... and the old password still works");
	T_INT(user_set_password(st, 999999, "long-enough-pw"), PERR_NOTFOUND,
	    "set_password of an unknown id: PERR_NOTFOUND");
	T_INT(user_set_password(st, pid, "второй-пароль"), 0, "set_password");
	T_INT(user_check_password(st, "marat", "второй-пароль", &id), 0,
	    "the new password works");
	T_INT(user_check_password(st, "marat", "first-password", &id), PERR_PW_WRONG,
	    "the old one does not");

	test_password_typed(st);

	T_INT(user_touch_login(st, pid), 0, "user_touch_login");
	T_INT(user_get(st, "marat", &u), 0, "get marat");
	T_OK(u != NULL && u->last_login > 0, "last_login set");
	user_free(u);
}

static void
test_profile(struct store *st)
{
	struct user	*u = NULL;
	const char	*bad;
	int64_t		 id;
	char		 about[1100];
	const struct {
		const char	*name, *school, *subjects, *about;
		int		 want;
		const char	*field, *what;
	} refused[] = {
		{ "Роза\nX", "", "", "", PERR_MULTILINE, "display_name", "a two-line name" },
		{ "Роза", "\x1b[H", "", "", PERR_CONTROL, "school", "school with ESC" },
		{ "Роза", "", "a\nb", "", PERR_MULTILINE, "subjects", "two-line subjects" },
		{ "Роза", "", "", "ok\x1b]0;x\x07", PERR_CONTROL, "about", "about with OSC" },
		{ "Роза", "", "", about, PERR_TOOLONG, "about", "about of 1001 characters" },
		{ "", "", "", "", PERR_EMPTY, "display_name", "empty display name" },
	};
	size_t		 i;

	create(st, "rosa", "Роза", NULL, &id, &bad);
	T_INT(user_set_profile(st, id, "Роза Е\xcc\x88лкина", "Школа № 7",
	    "татар теле", "Укытучы.\nӘнкәм өйдә.", &bad), 0,
	    "set_profile with a multi-line about");
	T_OK(bad == NULL, "no bad field");
	T_INT(user_get(st, "rosa", &u), 0, "get rosa");
	if (u != NULL) {
		T_STR(u->display_name, "Роза Ёлкина", "profile name stored NFC");
		T_STR(u->school, "Школа № 7", "school");
		T_STR(u->subjects, "татар теле", "subjects");
		T_STR(u->about, "Укытучы.\nӘнкәм өйдә.", "about keeps its newline");
		user_free(u);
	}
	memset(about, 'x', 1001);
	about[1001] = '\0';
	for (i = 0; i < nitems(refused); i++) {
		T_INT(user_set_profile(st, id, refused[i].name, refused[i].school,
		    refused[i].subjects, refused[i].about, &bad), refused[i].want,
		    "%s refused", refused[i].what);
		T_STR(bad, refused[i].field, "... blames %s", refused[i].field);
	}
	T_INT(user_get(st, "rosa", &u), 0, "get rosa");
	T_STR(u != NULL ? u->display_name : NULL, "Роза Ёлкина",
	    "refused profiles changed nothing");
	T_STR(u != NULL ? u->about : NULL, "Укытучы.\nӘнкәм өйдә.",
	    "... not the about either");
	user_free(u);
	u = NULL;
	about[1000] = '\0';
	T_INT(user_set_profile(st, id, "Роза", "", "", about, &bad), 0,
	    "about of 1000 characters accepted");
	T_INT(user_get(st, "rosa", &u), 0, "get rosa");
	T_STR(u != NULL ? u->display_name : NULL, "Роза", "an accepted profile is stored");
	user_free(u);
	T_INT(user_set_profile(st, 999999, "Кто-то", "", "", "", &bad), PERR_NOTFOUND,
	    "set_profile of an unknown id: PERR_NOTFOUND");

	T_INT(user_set_lang(st, id, "en"), 0, "set_lang en");
	T_INT(user_get(st, "rosa", &u), 0, "get rosa");
	T_STR(u != NULL ? u->lang : NULL, "en", "lang is en");
	user_free(u);
	T_OK(user_set_lang(st, id, "xx") != 0, "set_lang of an unknown language refused");
}

static void
test_logins(struct store *st)
{
	char	**v;
	size_t	 n;
	const char	*bad;

	create(st, "annabel", "Аннабель", NULL, NULL, &bad);
	create(st, "Andrey", "Андрей", NULL, NULL, &bad);
	create(st, "boris", "Борис", NULL, NULL, &bad);

	v = user_logins(st, "ann");
	for (n = 0; v[n] != NULL; n++)
		;
	T_INT(n, 2, "prefix \"ann\": two logins");
	T_STR(v[0], "Anna", "... Anna first");
	T_STR(n > 1 ? v[1] : NULL, "annabel", "... then annabel");
	user_list_free(v);

	v = user_logins(st, "AN");
	for (n = 0; v[n] != NULL; n++)
		;
	T_INT(n, 3, "prefix \"AN\" is case-insensitive: Andrey, Anna, annabel");
	T_STR(v[0], "Andrey", "... in login order");
	user_list_free(v);

	v = user_logins(st, "b");
	T_STR(v[0], "boris", "prefix \"b\": boris");
	T_OK(v[0] != NULL && v[1] == NULL, "... only boris");
	user_list_free(v);

	v = user_logins(st, "zz");
	T_OK(v != NULL && v[0] == NULL, "no match: an empty list, not NULL");
	user_list_free(v);
	v = user_logins(st, "%");
	T_OK(v != NULL && v[0] == NULL, "\"%%\" is not a wildcard");
	user_list_free(v);
	v = user_logins(st, "_");
	T_OK(v != NULL && v[0] == NULL, "\"_\" is not a wildcard");
	user_list_free(v);

	/* More logins than user_logins' first allocation holds. */
	for (n = 0; n < 40; n++) {
		char	 login[16], name[32];
		snprintf(login, sizeof(login), "t%02zu", n);
		/* Distinct names: look-alike names are refused (issue 4). */
		snprintf(name, sizeof(name), "Учитель %zu", n);
		create(st, login, name, NULL, NULL, &bad);
	}
	v = user_logins(st, "t");
	for (n = 0; v[n] != NULL; n++)
		;
	T_INT(n, 40, "prefix \"t\": all 40 teachers");
	T_STR(n == 40 ? v[39] : NULL, "t39", "... the last one is t39");
	user_list_free(v);

	v = user_logins(st, "");
	for (n = 0; v[n] != NULL; n++)
		;
	T_INT(n, t_int(st, "SELECT count(*) FROM users", NULL),
	    "the empty prefix lists every login");
	user_list_free(v);
	user_list_free(NULL);
}

/* Registrations: per address and per day, the old ones expire, and a
 * pending account keeps no teacher from her own name. */
static void
test_register(void)
{
	struct store		*st = t_store("register.db");
	struct user_reg_limits	 l = { .per_address = 2, .per_day = 3,
				     .expiry = 86400 };
	struct user_new		 n;
	const char		*bad;
	int64_t			 id = 0;
	struct user		*u = NULL;

	memset(&n, 0, sizeof(n));
	n.display_name = "Мария Петрова";
	n.role = ROLE_TEACHER;		/* a registration is pending anyway */
	n.login = "squat1";
	T_INT(user_register(st, &n, "192.0.2.1", &l, &id, &bad), 0,
	    "a registration");
	T_INT(user_get_by_id(st, id, &u), 0, "... is an account");
	T_INT(u != NULL ? (int)u->role : -1, ROLE_PENDING, "... pending");
	user_free(u);
	n.login = "squat2";
	n.display_name = "Мария Петрова";
	T_INT(user_register(st, &n, "192.0.2.1", &l, &id, &bad), 0,
	    "a second one from the address, the same name: pending"
	    " accounts reserve no names");
	T_INT(user_register_check(st, "192.0.2.1", &l), PERR_REG_ADDRESS,
	    "the third from the address is refused before the form");
	n.login = "squat3";
	T_INT(user_register(st, &n, "192.0.2.1", &l, &id, &bad),
	    PERR_REG_ADDRESS, "... and by user_register");
	T_INT(user_get(st, "squat3", &u), PERR_NOTFOUND, "no account made");
	T_INT(user_register(st, &n, "192.0.2.2", &l, &id, &bad), 0,
	    "another address may (3 of 3 today)");
	n.login = "squat4";
	T_INT(user_register(st, &n, "192.0.2.3", &l, &id, &bad), PERR_REG_DAY,
	    "the fourth of the day is refused from any address");

	n.login = "zwsp";
	n.display_name = "Мария\xe2\x80\x8b Петрова";
	T_INT(user_create(st, &n, &id, &bad), PERR_INVISIBLE,
	    "a display name with a zero width space is refused");
	T_STR(bad, "display_name", "... naming the field");
	T_INT(user_set_profile(st, 1, "Анна\xe2\x81\xa0", "", "", "", &bad),
	    PERR_INVISIBLE, "also in a profile (a word joiner)");

	/* The real Мария Петрова, made by the sysop, keeps her name. */
	n.login = "petrova";
	n.display_name = "Мария Петрова";
	T_INT(user_create(st, &n, &id, &bad), 0,
	    "an active teacher takes the name pending accounts had");
	T_INT(user_check_display_name(st, "Мaрия Петрова", 0), PERR_NAME_MIXED,
	    "(the mixed-script check still applies)");
	T_INT(user_approve(st, "squat1", "console"), PERR_NAME_LOOKALIKE,
	    "approving a pending account with her name is refused");
	T_INT(user_set_role(st, "squat2", ROLE_TEACHER, "console"),
	    PERR_NAME_LOOKALIKE, "so is giving it a role");
	T_INT(user_set_profile(st, id, "Мария Петрова", "", "", "", &bad), 0,
	    "her own profile keeps saving");

	/* Expiry: pending made long ago, rejected long ago. */
	T_INT(user_reject(st, "squat2", "нет", "console"), 0, "reject squat2");
	T_INT(store_exec(st, "UPDATE users SET created_at = created_at - 200000"
	    " WHERE login = 'squat1'"), 0, "squat1 applied days ago");
	T_INT(store_exec(st, "UPDATE users SET rejected_at = rejected_at - 200000"
	    " WHERE login = 'squat2'"), 0, "squat2 was rejected days ago");
	T_INT(user_expire_pending(st, l.expiry), 2, "two accounts expire");
	T_INT(user_get(st, "squat1", &u), PERR_NOTFOUND, "squat1 is gone");
	T_INT(user_get(st, "squat2", &u), PERR_NOTFOUND, "squat2 is gone");
	T_INT(user_get(st, "squat3", &u), 0, "a recent application stays");
	user_free(u);
	u = NULL;
	T_INT(user_get(st, "petrova", &u), 0, "an active account stays");
	user_free(u);
	T_INT(user_expire_pending(st, l.expiry), 0, "nothing more to expire");
	store_close(st);
}

int
main(void)
{
	struct store	*st;

	t_tmpdir();
	st = t_store("users.db");
	test_login_rules();
	test_create_get(st);
	test_nfc(st);
	test_lifecycle(st);
	test_passwords(st);
	test_profile(st);
	test_logins(st);
	test_register();
	store_close(st);
	return t_done();
}
