/*
 * user.c: accounts in the store: creation with validation, look-up,
 * approval, roles, bans, profiles and passwords.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "confusable.h"
#include "log.h"
#include "perr.h"
#include "pwhash.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"

static const char *const role_names[] = {
	"pending", "teacher", "expert", "coordinator", "sysop"
};

/* Logins a registration may not take: they mean something already. */
static const char *const reserved_logins[] = {
	"new", "root", "admin", "guest", "parta", "partad", "postmaster",
	"system", "nobody",
};

const char *
role_name(enum role r)
{
	return names_get(role_names, nitems(role_names), r);
}

int
role_parse(const char *s)
{
	return names_find(role_names, nitems(role_names), s);
}

enum user_state
user_state(const struct user *u)
{
	if (u->banned_at != 0)
		return USER_BANNED;
	if (u->role == ROLE_PENDING)
		return u->rejected_at != 0 ? USER_REJECTED : USER_PENDING;
	return USER_ACTIVE;
}

int
user_check_login(const char *login)
{
	size_t	 n = strlen(login), i;

	if (n == 0)
		return PERR_EMPTY;
	for (i = 0; i < n; i++) {
		unsigned char	 c = (unsigned char)login[i];
		if (!(isascii(c) && (isalnum(c) || c == '-' || c == '_' || c == '.')))
			return PERR_LOGIN_CHARS;
	}
	if (!isalpha((unsigned char)login[0]))
		return PERR_LOGIN_CHARS;
	if (n < 2 || n > 32)
		return PERR_LOGIN_LENGTH;
	for (i = 0; i < nitems(reserved_logins); i++)
		if (strcasecmp(login, reserved_logins[i]) == 0)
			return PERR_LOGIN_RESERVED;
	return 0;
}

int
user_check_field(const char *value, size_t max_chars, int flags)
{
	return text_check(value, max_chars, flags);
}

/* Validate then NFC-normalise one text field into *out (caller frees). */
static int
user_text(const char *in, size_t max, int flags, char **out)
{
	int	 rc;

	/* The length limit is for the stored form: decomposed input (и +
	 * U+0306 for й) has more code points than its NFC. */
	if ((rc = text_field(in, SIZE_MAX, flags, out)) != 0)
		return rc;
	if ((rc = text_check(*out, max, flags)) != 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

int
audit_log(struct store *st, const char *actor, const char *action,
    const char *target, const char *detail)
{
	return store_write(st, NULL, "INSERT INTO audit(at, actor, action,"
	    " target, detail) VALUES (?, ?, ?, ?, ?)", "itttt", now_unix(),
	    actor, action, target != NULL ? target : "",
	    detail != NULL ? detail : "");
}

int
audit_end(struct store *st, int rc, const char *actor, const char *action,
    const char *target, const char *detail)
{
	if (rc == 0)
		rc = audit_log(st, actor, action, target, detail);
	return store_end(st, rc);
}

int
user_create(struct store *st, const struct user_new *n, int64_t *id_out,
    const char **bad_field)
{
	struct { const char *name, *in; size_t max; int flags; char *out; } f[] = {
		{ "display_name", n->display_name, USER_NAME_MAX, TEXT_NAME, NULL },
		{ "school", n->school, USER_SCHOOL_MAX, TEXT_EMPTY_OK, NULL },
		{ "subjects", n->subjects, USER_SUBJECTS_MAX, TEXT_EMPTY_OK, NULL },
	};
	char		 uuid[37], *hash = NULL;
	int64_t		 uid = 0;
	size_t		 i;
	int		 rc;

	*bad_field = NULL;
	if (id_out != NULL)
		*id_out = 0;
	if ((rc = user_check_login(n->login)) != 0) {
		*bad_field = "login";
		return rc;
	}
	for (i = 0; i < nitems(f); i++) {
		if ((rc = user_text(f[i].in != NULL ? f[i].in : "", f[i].max,
		    f[i].flags, &f[i].out)) != 0) {
			*bad_field = f[i].name;
			goto out;
		}
	}
	if ((rc = user_check_display_name(st, f[0].out, 0)) != 0) {
		*bad_field = "display_name";
		goto out;
	}
	if (n->encoding != NULL && charset_parse(n->encoding) < 0) {
		rc = PERR_CHARSET;
		*bad_field = "encoding";
		goto out;
	}
	if (n->password != NULL) {
		if ((rc = pw_check_policy(n->password)) != 0) {
			*bad_field = "password";
			goto out;
		}
		if ((hash = pw_hash(n->password)) == NULL) {
			rc = PERR_DB;
			goto out;
		}
	}
	/* A server names the account (store_new_row()), in the
	 * transaction that makes it; a copy's accounts are the server's,
	 * made here only by tests, and SQLite chooses their ids as before. */
	if ((rc = store_begin(st)) != 0)
		goto out;
	if ((rc = store_new_row(st, "users", &uid, uuid)) == 0 &&
	    STORE_ID_IS_LOCAL(uid))
		uid = 0;
	if (rc == 0)
		rc = store_write(st, NULL, "INSERT INTO users(uuid, login,"
		    " display_name, school, subjects, role, lang, pw_hash,"
		    " created_at, approved_at, encoding, encoding_chosen,"
		    " name_key, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
		    " nullif(?10, 0), ?11, ?12, name_key(?3), nullif(?13, 0))",
		    "ttttttttiitii", uuid, n->login, f[0].out, f[1].out,
		    f[2].out, role_name(n->role),
		    n->lang != NULL ? n->lang : "ru", hash, now_unix(),
		    (int64_t)(n->role != ROLE_PENDING ? now_unix() : 0),
		    n->encoding != NULL ?
		    charset_name(charset_parse(n->encoding)) : "UTF-8",
		    (int64_t)(n->encoding != NULL), uid);
	rc = store_end(st, rc);
	if (rc == 0 && id_out != NULL)
		*id_out = sqlite3_last_insert_rowid(store_db(st));
	if (rc == PERR_EXISTS)
		*bad_field = "login";
out:
	for (i = 0; i < nitems(f); i++)
		free(f[i].out);
	freezero_str(hash);
	return rc;
}

#define USER_COLUMNS "id, uuid, login, display_name, school, subjects, about," \
	" role, lang, encoding, pw_hash, created_at, approved_at, rejected_at," \
	" reject_reason, banned_at, ban_reason, last_login, encoding_chosen"

/* The role, column 7, as its enum. */
static void
user_fix(sqlite3_stmt *stmt, void *elem)
{
	struct user	*u = elem;
	const char	*s = (const char *)sqlite3_column_text(stmt, 7);
	int		 r = s != NULL ? role_parse(s) : -1;

	u->role = r < 0 ? ROLE_PENDING : (enum role)r;
}

/* The hash is a secret: zeroed before it is freed. */
static void
user_clear(void *elem)
{
	struct user	*u = elem;

	freezero_str(u->pw_hash);
	u->pw_hash = NULL;
}

static const struct store_col user_cols[] = {
	STORE_COL(I64, struct user, id),
	STORE_COL(UUID, struct user, uuid),
	STORE_COL(TEXT, struct user, login),
	STORE_COL(TEXT, struct user, display_name),
	STORE_COL(TEXT, struct user, school),
	STORE_COL(TEXT, struct user, subjects),
	STORE_COL(TEXT, struct user, about),
	STORE_COL_SKIP,				/* role: user_fix() */
	STORE_COL(TEXT, struct user, lang),
	STORE_COL(TEXT, struct user, encoding),
	STORE_COL(TEXT_NULL, struct user, pw_hash),
	STORE_COL(I64, struct user, created_at),
	STORE_COL(I64, struct user, approved_at),
	STORE_COL(I64, struct user, rejected_at),
	STORE_COL(TEXT, struct user, reject_reason),
	STORE_COL(I64, struct user, banned_at),
	STORE_COL(TEXT, struct user, ban_reason),
	STORE_COL(I64, struct user, last_login),
	STORE_COL(INT, struct user, encoding_chosen),
};

static const struct store_rowtype user_rows = {
	STORE_ROWS(struct user, user_cols),
	.fix = user_fix, .clear = user_clear,
};

void
user_free(struct user *u)
{
	store_rows_free(&user_rows, u, u != NULL);
}

static int
user_get_where(struct store *st, const char *where, const char *s, int64_t id,
    struct user **out)
{
	sqlite3_stmt	*stmt;
	char		*sql;

	sql = xasprintf("SELECT " USER_COLUMNS " FROM users WHERE %s", where);
	stmt = s != NULL ? store_stmt(st, sql, "t", s) :
	    store_stmt(st, sql, "i", id);
	free(sql);
	return store_row_new(st, stmt, &user_rows, out, "get user");
}

int
user_get(struct store *st, const char *login, struct user **out)
{
	return user_get_where(st, "login = ?", login, 0, out);
}

int
user_get_by_id(struct store *st, int64_t id, struct user **out)
{
	return user_get_where(st, "id = ?", NULL, id, out);
}

int
user_foreach(struct store *st, int pending_only,
    int (*fn)(const struct user *, void *), void *arg)
{
	struct user	*u;
	size_t		 n, i;
	int		 rc;

	rc = store_rows(st, store_stmt(st, pending_only ?
	    "SELECT " USER_COLUMNS " FROM users WHERE role = 'pending'"
	    " AND rejected_at IS NULL ORDER BY created_at, login" :
	    "SELECT " USER_COLUMNS " FROM users"
	    " ORDER BY display_name COLLATE RU, login", ""), &user_rows, &u, &n,
	    "list users");
	for (i = 0; rc == 0 && i < n; i++)
		if (fn(&u[i], arg) != 0)
			break;
	store_rows_free(&user_rows, u, n);
	return rc;
}

/* The first column of every row of stmt (finalized here; NULL gives
 * none): a NULL-terminated array for user_list_free. */
static char **
user_column_list(sqlite3_stmt *stmt)
{
	char	**v;
	size_t	 n = 0, cap = 16;

	v = xcalloc(cap, sizeof(*v));
	while (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW) {
		if (n + 1 >= cap)
			v = xrealloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = store_column_dup(stmt, 0);
	}
	v[n] = NULL;
	sqlite3_finalize(stmt);
	return v;
}

char **
user_logins(struct store *st, const char *prefix)
{
	return user_column_list(store_stmt(st, "SELECT login FROM users WHERE"
	    " substr(login, 1, length(?1)) = ?1 COLLATE NOCASE ORDER BY login",
	    "t", prefix));
}

char **
user_recipients(struct store *st, const char *typed)
{
	/* A login's beginning, or a word's of her name: "гул", "хаб". */
	return user_column_list(store_stmt(st, "SELECT login FROM users WHERE"
	    " banned_at IS NULL AND role <> 'pending' AND (substr(login, 1,"
	    " length(?1)) = ?1 COLLATE NOCASE OR instr(' ' ||"
	    " fold(display_name), ' ' || fold(?1)) > 0)"
	    " ORDER BY display_name COLLATE RU, login", "t", typed));
}

void
user_list_free(char **v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/*
 * Run one UPDATE on the account named login, with up to two text
 * parameters (?2, ?3) and the current time as ?4, then audit it.  The
 * precondition in sql's WHERE decides between PERR_NOTFOUND and
 * PERR_NOT_PENDING-style failures: a missing account is told apart by a
 * second look-up.
 */
static int
user_update(struct store *st, const char *login, const char *sql,
    const char *p2, const char *p3, int fail_rc, const char *actor,
    const char *action, const char *detail)
{
	struct user	*u = NULL;
	int		 rc, n = 0;

	if (store_begin(st) != 0)
		return PERR_DB;
	if ((rc = user_get(st, login, &u)) == 0)
		rc = store_write(st, &n, sql, "itti", u->id, p2, p3, now_unix());
	if (rc == 0 && n == 0)
		rc = fail_rc;
	if (rc == 0)
		rc = audit_log(st, actor, action, u->login, detail);
	rc = store_end(st, rc);
	user_free(u);
	return rc;
}

/*
 * A pending account's name reserves nothing (user_check_display_name):
 * it is judged when the account becomes active.  0, or
 * PERR_NAME_LOOKALIKE when an active or banned account's name looks the
 * same, or PERR_DB; an account not pending passes.
 */
static int
user_name_free(struct store *st, const char *login)
{
	int64_t	 taken;
	int	 rc;

	rc = store_int(st, &taken, "SELECT EXISTS (SELECT 1 FROM users p,"
	    " users o WHERE p.login = ?1 AND p.role = 'pending'"
	    " AND o.name_key = p.name_key AND o.id <> p.id"
	    " AND o.role <> 'pending')", "t", login);
	return rc == 0 && taken ? PERR_NAME_LOOKALIKE : rc;
}

int
user_approve(struct store *st, const char *login, const char *actor)
{
	int	 rc;

	if ((rc = user_name_free(st, login)) != 0)
		return rc;
	return user_update(st, login,
	    "UPDATE users SET role = 'teacher', approved_at = ?4,"
	    " approved_by = (SELECT id FROM users WHERE login = ?2),"
	    " rejected_at = NULL, reject_reason = NULL"
	    " WHERE id = ?1 AND role = 'pending' AND ?3 IS NULL",
	    actor, NULL, PERR_NOT_PENDING, actor, "approve", NULL);
}

/* user_update() with a reason (NULL: none) the sysop typed as ?2. */
static int
user_update_why(struct store *st, const char *login, const char *sql,
    const char *reason, int fail_rc, const char *actor, const char *action)
{
	char	*r = NULL;
	int	 rc;

	if ((rc = user_text(reason != NULL ? reason : "", USER_REASON_MAX,
	    TEXT_EMPTY_OK, &r)) != 0)
		return rc;
	rc = user_update(st, login, sql, r, NULL, fail_rc, actor, action, r);
	free(r);
	return rc;
}

int
user_reject(struct store *st, const char *login, const char *reason,
    const char *actor)
{
	return user_update_why(st, login,
	    "UPDATE users SET rejected_at = ?4, reject_reason = ?2"
	    " WHERE id = ?1 AND role = 'pending' AND ?3 IS NULL",
	    reason, PERR_NOT_PENDING, actor, "reject");
}

int
user_set_role(struct store *st, const char *login, enum role role,
    const char *actor)
{
	int	 rc;

	if ((unsigned)role >= nitems(role_names))
		return PERR_ROLE;
	if (role != ROLE_PENDING && (rc = user_name_free(st, login)) != 0)
		return rc;
	return user_update(st, login,
	    "UPDATE users SET role = ?2, approved_at = coalesce(approved_at,"
	    " CASE WHEN ?2 <> 'pending' THEN ?4 END),"
	    " rejected_at = CASE WHEN ?2 <> 'pending' THEN NULL ELSE rejected_at END"
	    " WHERE id = ?1 AND ?3 IS NULL",
	    role_name(role), NULL, PERR_NOTFOUND, actor, "role", role_name(role));
}

int
user_ban(struct store *st, const char *login, const char *reason,
    const char *actor)
{
	return user_update_why(st, login,
	    "UPDATE users SET banned_at = ?4, ban_reason = ?2"
	    " WHERE id = ?1 AND ?3 IS NULL", reason, PERR_NOTFOUND, actor, "ban");
}

int
user_unban(struct store *st, const char *login, const char *actor)
{
	return user_update(st, login,
	    "UPDATE users SET banned_at = NULL, ban_reason = NULL"
	    " WHERE id = ?1 AND ?2 IS NULL AND ?3 IS NULL",
	    NULL, NULL, PERR_NOTFOUND, actor, "unban", NULL);
}

/* Run a write on users by id (?1) with up to four text parameters (?2..);
 * PERR_NOTFOUND when no row changed. */
static int
user_update_id(struct store *st, int64_t id, const char *sql,
    const char *const *params, size_t nparams)
{
	const char	*p[4] = { NULL };	/* an unbound one is NULL too */
	int		 rc, n;

	if (nparams > 0)
		memcpy(p, params, nparams * sizeof(*p));
	rc = store_write(st, &n, sql, "itttt", id, p[0], p[1], p[2], p[3]);
	return rc == 0 && n == 0 ? PERR_NOTFOUND : rc;
}

int
user_set_profile(struct store *st, int64_t id, const char *display_name,
    const char *school, const char *subjects, const char *about,
    const char **bad_field)
{
	struct { const char *name, *in; size_t max; int flags; char *out; } f[] = {
		{ "display_name", display_name, USER_NAME_MAX, TEXT_NAME, NULL },
		{ "school", school, USER_SCHOOL_MAX, TEXT_EMPTY_OK, NULL },
		{ "subjects", subjects, USER_SUBJECTS_MAX, TEXT_EMPTY_OK, NULL },
		{ "about", about, USER_ABOUT_MAX, TEXT_EMPTY_OK | TEXT_MULTILINE, NULL },
	};
	const char	*p[nitems(f)];
	size_t		 i;
	int		 rc = 0;

	*bad_field = NULL;
	for (i = 0; i < nitems(f); i++) {
		if ((rc = user_text(f[i].in, f[i].max, f[i].flags, &f[i].out)) != 0) {
			*bad_field = f[i].name;
			goto out;
		}
		p[i] = f[i].out;
	}
	if ((rc = user_check_display_name(st, f[0].out, id)) != 0) {
		*bad_field = "display_name";
		goto out;
	}
	rc = user_update_id(st, id, "UPDATE users SET display_name = ?2,"
	    " school = ?3, subjects = ?4, about = ?5, name_key = name_key(?2)"
	    " WHERE id = ?1", p, nitems(p));
out:
	for (i = 0; i < nitems(f); i++)
		free(f[i].out);
	return rc;
}

int
user_set_lang(struct store *st, int64_t id, const char *lang)
{
	const char	*p[] = { lang };

	if (strcmp(lang, "ru") != 0 && strcmp(lang, "en") != 0)
		return PERR_NOTFOUND;
	return user_update_id(st, id, "UPDATE users SET lang = ?2 WHERE id = ?1",
	    p, 1);
}

int
user_set_encoding(struct store *st, int64_t id, const char *encoding)
{
	const char	*p[1];
	int		 cs = charset_parse(encoding);

	if (cs < 0)
		return PERR_CHARSET;
	p[0] = charset_name(cs);
	return user_update_id(st, id, "UPDATE users SET encoding = ?2,"
	    " encoding_chosen = 1 WHERE id = ?1", p, 1);
}

int
user_check_display_name(struct store *st, const char *name, int64_t self_id)
{
	sqlite3_stmt	*stmt = NULL;
	char		*nfc, *key = NULL;
	int		 rc = 0;

	if ((nfc = text_nfc(name)) == NULL)
		return PERR_UTF8;
	key = confusable_skeleton(nfc);
	stmt = store_prepare(st, "SELECT"
	    " coalesce((SELECT display_name = ?3 FROM users WHERE id = ?1), 0),"
	    " coalesce((SELECT name_key = ?2 FROM users WHERE id = ?1), 0),"
	    " EXISTS (SELECT 1 FROM users WHERE name_key = ?2 AND id <> ?1"
	    " AND role <> 'pending')");
	if (stmt == NULL) {
		rc = PERR_DB;
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, self_id);
	store_bind_text(stmt, 2, key);
	store_bind_text(stmt, 3, nfc);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = store_fail(st, "check name");
		goto out;
	}
	/* A name kept as it was passes, even one stored before these
	 * rules; a changed one is judged afresh. */
	if (sqlite3_column_int(stmt, 0))
		goto out;
	if (confusable_mixed(nfc))
		rc = PERR_NAME_MIXED;
	else if (!sqlite3_column_int(stmt, 1) && sqlite3_column_int(stmt, 2))
		rc = PERR_NAME_LOOKALIKE;
out:
	sqlite3_finalize(stmt);
	free(key);
	free(nfc);
	return rc;
}

int
user_set_password(struct store *st, int64_t id, const char *password)
{
	const char	*p[1];
	char		*hash;
	int		 rc;

	if ((rc = pw_check_policy(password)) != 0)
		return rc;
	if ((hash = pw_hash(password)) == NULL)
		return PERR_DB;
	p[0] = hash;
	rc = user_update_id(st, id, "UPDATE users SET pw_hash = ?2 WHERE id = ?1",
	    p, 1);
	freezero_str(hash);
	return rc;
}

int
user_touch_login(struct store *st, int64_t id)
{
	return store_write(st, NULL, "UPDATE users SET last_login = ?"
	    " WHERE id = ?", "ii", now_unix(), id);
}

int
user_check_password(struct store *st, const char *login, const char *pw,
    int64_t *id_out)
{
	struct user	*u = NULL;
	int		 ok;

	*id_out = 0;
	if (user_get(st, login, &u) != 0)
		u = NULL;
	ok = pw_verify(pw, u != NULL ? u->pw_hash : NULL);
	if (ok)
		*id_out = u->id;
	user_free(u);
	return ok ? 0 : PERR_PW_WRONG;
}

/* Longer passwords are tried as they are only: 128 characters of
 * UTF-8 at most, as pwhash.c allows. */
#define USER_PW_TYPED_MAX	(4 * 128)

/* 1 if s has a byte above ASCII. */
static int
user_pw_has_8bit(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

int
user_check_password_typed(struct store *st, const char *login,
    const char *pw, int64_t *id_out, int *cs_out)
{
	/* The readings to try after the bytes as they are, most common
	 * terminals first; KOI8-U reads Russian as KOI8-R does, and a
	 * reading met before is not hashed again. */
	static const int legacy[] = {
		CHARSET_CP1251, CHARSET_KOI8R, CHARSET_CP866, CHARSET_KOI8U,
	};
	char		*seen[nitems(legacy) + 1];
	struct user	*u = NULL;
	const char	*hash;
	size_t		 i, j, n = 0;
	int		 ok, dup;

	*id_out = 0;
	*cs_out = -1;
	if (user_get(st, login, &u) != 0)
		u = NULL;
	hash = u != NULL ? u->pw_hash : NULL;
	ok = pw_verify(pw, hash);
	if (ok && user_pw_has_8bit(pw))
		*cs_out = CHARSET_UTF8;
	/* Bounded by the table, and the same work for a login that does
	 * not exist: the count depends on the password alone. */
	for (i = 0; !ok && i < nitems(legacy) && user_pw_has_8bit(pw) &&
	    strlen(pw) <= USER_PW_TYPED_MAX; i++) {
		seen[n] = charset_convert(legacy[i], CHARSET_IN, pw);
		for (dup = strcmp(seen[n], pw) == 0, j = 0; !dup && j < n; j++)
			dup = strcmp(seen[j], seen[n]) == 0;
		if (!dup && (ok = pw_verify(seen[n], hash)))
			*cs_out = legacy[i];
		n++;
	}
	for (j = 0; j < n; j++)
		freezero_str(seen[j]);
	if (ok)
		*id_out = u->id;
	user_free(u);
	return ok ? 0 : PERR_PW_WRONG;
}

/* Pending accounts made before ?1 and rejected ones rejected before it. */
#define USER_EXPIRED "role = 'pending' AND coalesce(rejected_at, created_at) < ?1"

int
user_expire_pending(struct store *st, int64_t age)
{
	int	 rc, n = 0;

	if (store_begin(st) != 0)
		return PERR_DB;
	/* The trail keeps who went, and why, before the rows go. */
	rc = store_write(st, NULL, "INSERT INTO audit(at, actor, action,"
	    " target, detail) SELECT ?2, 'partad', 'expire', login, CASE WHEN"
	    " rejected_at IS NULL THEN 'pending' ELSE 'rejected' END"
	    " FROM users WHERE " USER_EXPIRED, "ii", now_unix() - age,
	    now_unix());
	if (rc == 0)
		rc = store_write(st, &n, "DELETE FROM users WHERE " USER_EXPIRED,
		    "i", now_unix() - age);
	if ((rc = store_end(st, rc)) != 0)
		return rc;
	if (n > 0)
		log_info("expired %d pending or rejected accounts", n);
	return n;
}

int
user_register_check(struct store *st, const char *addr,
    const struct user_reg_limits *l)
{
	sqlite3_stmt	*stmt;
	int		 rc = 0;

	/* Each registration leaves an audit row with its address, which
	 * outlives the account if it expires. */
	stmt = store_prepare(st, "SELECT count(*), coalesce(sum(detail = ?2), 0)"
	    " FROM audit WHERE action = 'register' AND at > ?1");
	if (stmt == NULL)
		return PERR_DB;
	sqlite3_bind_int64(stmt, 1, now_unix() - 86400);
	store_bind_text(stmt, 2, addr);
	if (sqlite3_step(stmt) != SQLITE_ROW)
		rc = store_fail(st, "count registrations");
	else if (sqlite3_column_int64(stmt, 1) >= l->per_address)
		rc = PERR_REG_ADDRESS;
	else if (sqlite3_column_int64(stmt, 0) >= l->per_day)
		rc = PERR_REG_DAY;
	sqlite3_finalize(stmt);
	return rc;
}

int
user_register(struct store *st, const struct user_new *n, const char *addr,
    const struct user_reg_limits *l, int64_t *id_out, const char **bad_field)
{
	struct user_new	 p = *n;
	int		 rc;

	*bad_field = NULL;
	p.role = ROLE_PENDING;
	/* Old applications go first: they free their logins. */
	if (user_expire_pending(st, l->expiry) < 0)
		log_warn("could not expire old registrations");
	if (store_begin(st) != 0)
		return PERR_DB;
	if ((rc = user_register_check(st, addr, l)) == 0)
		rc = user_create(st, &p, id_out, bad_field);
	return audit_end(st, rc, p.login, "register", p.login, addr);
}

int
user_reapply(struct store *st, int64_t id)
{
	int	 rc;

	rc = user_update_id(st, id, "UPDATE users SET rejected_at = NULL,"
	    " reject_reason = NULL WHERE id = ?1 AND role = 'pending'"
	    " AND rejected_at IS NOT NULL AND banned_at IS NULL", NULL, 0);
	return rc == PERR_NOTFOUND ? PERR_NOT_PENDING : rc;
}

int
user_delete(struct store *st, const char *login, const char *actor)
{
	struct user	*u = NULL;
	int		 rc;

	if ((rc = user_get(st, login, &u)) != 0)
		return rc;
	if ((rc = store_begin(st)) == 0)
		rc = user_update_id(st, u->id, "DELETE FROM users WHERE id = ?1",
		    NULL, 0);
	rc = audit_end(st, rc, actor, "delete", u->login, NULL);
	user_free(u);
	return rc;
}
