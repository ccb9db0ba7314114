/*
 * user.h: accounts.  A person registers as "pending"; the sysop approves
 * (role teacher) or rejects with a reason; roles rise to expert,
 * coordinator and sysop; a ban keeps the account but closes the door.
 * Every text field is validated here, so the UI, the console and later
 * the sync server cannot store what another could not.
 */
#ifndef PARTA_USER_H
#define PARTA_USER_H

#include <stdint.h>

struct store;

enum role { ROLE_PENDING, ROLE_TEACHER, ROLE_EXPERT, ROLE_COORDINATOR, ROLE_SYSOP };

/* What a login leads to, derived from role, rejection and ban. */
enum user_state { USER_ACTIVE, USER_PENDING, USER_REJECTED, USER_BANNED };

/* Field limits, in characters (code points). */
#define USER_NAME_MAX		64
#define USER_SCHOOL_MAX		128
#define USER_SUBJECTS_MAX	128
#define USER_ABOUT_MAX		1000
#define USER_REASON_MAX		500

struct user {
	int64_t		 id;
	char		 uuid[37];
	char		*login;
	char		*display_name;
	char		*school;
	char		*subjects;
	char		*about;
	enum role	 role;
	char		*lang;		/* "ru" or "en" */
	char		*encoding;	/* terminal encoding (charset_name()) */
	int		 encoding_chosen; /* 0: ask at the next login */
	char		*pw_hash;	/* NULL when only keys may log in */
	int64_t		 created_at;
	int64_t		 approved_at;	/* 0 when not */
	int64_t		 rejected_at;
	char		*reject_reason;
	int64_t		 banned_at;
	char		*ban_reason;
	int64_t		 last_login;
};

/* The fields a registration or "user add" supplies.  Strings borrowed. */
struct user_new {
	const char	*login;
	const char	*display_name;
	const char	*school;
	const char	*subjects;
	const char	*password;	/* may be NULL: no password login */
	enum role	 role;
	const char	*lang;
	const char	*encoding;	/* chosen before registering; NULL:
					 * UTF-8, asked at the first login */
};

const char	*role_name(enum role);
/* The role named s, or -1 (PERR_ROLE is the matching error). */
int		 role_parse(const char *s);
enum user_state	 user_state(const struct user *);

/* Validators: 0 or a PERR code.  They take text as typed (not yet NFC). */
int	 user_check_login(const char *login);
int	 user_check_field(const char *value, size_t max_chars, int flags);

/*
 * Create an account from n after validating every field; NFC-normalises
 * text and hashes the password.  0 and *id_out, or a PERR code;
 * *bad_field names the offending field ("login", "display_name", ...)
 * when one is to blame, else NULL.
 */
int	 user_create(struct store *, const struct user_new *n, int64_t *id_out,
	     const char **bad_field);

/* How many may register, and how long applications are kept. */
struct user_reg_limits {
	int	 per_address;	/* registrations from one address in 24 h */
	int	 per_day;	/* from all addresses in 24 h */
	int64_t	 expiry;	/* seconds a pending or rejected account stays */
};

/*
 * A registration from addr: expire old applications, then, if addr and
 * the day are below l's limits, user_create (role pending whatever n
 * says) and note it in the audit log, in one transaction.  0 and
 * *id_out, PERR_REG_ADDRESS or PERR_REG_DAY, or user_create's codes.
 */
int	 user_register(struct store *, const struct user_new *n,
	     const char *addr, const struct user_reg_limits *l, int64_t *id_out,
	     const char **bad_field);
/* May addr register now?  0, PERR_REG_ADDRESS, PERR_REG_DAY or PERR_DB;
 * reads only, to ask before the form is filled. */
int	 user_register_check(struct store *, const char *addr,
	     const struct user_reg_limits *l);
/* Delete the pending accounts older than age seconds and the rejected
 * ones rejected longer ago, noting each in the audit log.  The number
 * deleted, or PERR_DB. */
int	 user_expire_pending(struct store *, int64_t age);

/* Look up by login (case-insensitive) or id.  0 and *out (free with
 * user_free), PERR_NOTFOUND or PERR_DB. */
int	 user_get(struct store *, const char *login, struct user **out);
int	 user_get_by_id(struct store *, int64_t id, struct user **out);
void	 user_free(struct user *);

/* Call fn for each account in Russian order of display names
 * (collate.h); pending_only limits to those awaiting approval, oldest
 * first.  Stops early when fn returns non-zero. */
int	 user_foreach(struct store *, int pending_only,
	     int (*fn)(const struct user *, void *), void *arg);

/* Logins starting with prefix (case-insensitive), for completion.
 * Returns a NULL-terminated array the caller frees with user_list_free. */
char	**user_logins(struct store *, const char *prefix);
/* The logins of active accounts a recipient typed may mean: the
 * beginning of a login, or of any word of a display name (Cyrillic
 * case and ё folded), in Russian order of names.  NULL-terminated,
 * freed with user_list_free. */
char	**user_recipients(struct store *, const char *typed);
void	 user_list_free(char **);

/* Approve a pending account (role teacher), or reject it with a reason. */
int	 user_approve(struct store *, const char *login, const char *actor);
int	 user_reject(struct store *, const char *login, const char *reason,
	     const char *actor);
int	 user_set_role(struct store *, const char *login, enum role, const char *actor);
int	 user_ban(struct store *, const char *login, const char *reason, const char *actor);
int	 user_unban(struct store *, const char *login, const char *actor);
/* A rejected applicant (id) who corrected her form applies again: she
 * awaits approval anew.  0, PERR_NOT_PENDING (not rejected), or PERR_DB. */
int	 user_reapply(struct store *, int64_t id);
/* Delete the account login with its keys, mailbox, drafts and read
 * marks; her posts, threads, letters sent and library items stay, under
 * no author ("deleted account").  Audited as actor.  0, PERR_NOTFOUND or
 * PERR_DB. */
int	 user_delete(struct store *, const char *login, const char *actor);

/* Update the profile; each field is validated.  *bad_field as above. */
int	 user_set_profile(struct store *, int64_t id, const char *display_name,
	     const char *school, const char *subjects, const char *about,
	     const char **bad_field);
int	 user_set_lang(struct store *, int64_t id, const char *lang);

/* ---- charset: encodings and look-alike names (confusable.h) ---- */
/* Store the terminal encoding the user chose (a charset_name()); 0,
 * PERR_CHARSET or PERR_NOTFOUND. */
int	 user_set_encoding(struct store *, int64_t id, const char *encoding);
/*
 * May account self_id (0 for a new one) be called name?  0, or
 * PERR_NAME_MIXED (Latin and Cyrillic in one word) or PERR_NAME_LOOKALIKE
 * (another account's name looks the same), or PERR_DB.  Pending
 * accounts reserve no names: approving one (user_approve, user_set_role)
 * fails with PERR_NAME_LOOKALIKE if an active account took it meanwhile.  user_create and
 * user_set_profile check this themselves; call it to ask early.
 */
int	 user_check_display_name(struct store *, const char *name,
	     int64_t self_id);
/* Set a new password (policy checked); 0 or a PERR code. */
int	 user_set_password(struct store *, int64_t id, const char *password);
int	 user_touch_login(struct store *, int64_t id);

/*
 * Check login/password.  Returns 0 and *id_out when they match, else
 * PERR_PW_WRONG (also for unknown logins, after the same work).
 */
int	 user_check_password(struct store *, const char *login, const char *pw,
	     int64_t *id_out);

/*
 * user_check_password() for a password as an SSH client sent it: the
 * bytes its terminal typed, so a Cyrillic password set on a UTF-8
 * terminal arrives from a CP1251, KOI8-R or CP866 one as other bytes.
 * A password with bytes above ASCII is tried as it is, then as each
 * legacy encoding reads it (charset_convert(), as the pump decodes
 * keys): at most five hashes, as many for an unknown login.  On a match
 * *cs_out is the encoding whose reading matched (CHARSET_UTF8 for the
 * bytes as they are), or -1 for an ASCII password; it is -1 on failure.
 */
int	 user_check_password_typed(struct store *, const char *login,
	     const char *pw, int64_t *id_out, int *cs_out);

/* Record an administrative action in the audit log. */
int	 audit_log(struct store *, const char *actor, const char *action,
	     const char *target, const char *detail);
/*
 * The tail of an audited write: when rc is 0, the audit line, then
 * store_end(st, rc) for the level the caller began.  Returns the final
 * code.
 */
int	 audit_end(struct store *, int rc, const char *actor,
	     const char *action, const char *target, const char *detail);

#endif
