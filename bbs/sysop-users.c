/*
 * sysop-users.c: the console's commands on accounts and on who may log
 * in: listing, approving and rejecting registrations, adding accounts,
 * passwords, profiles, roles, keys and reset codes, bans, and ending
 * sessions ("kick", "who"); "unblock" lifts the login throttle's block
 * on an address.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "i18n.h"
#include "online.h"
#include "page.h"
#include "perr.h"
#include "pwhash.h"
#include "request.h"
#include "reset.h"
#include "store.h"
#include "sysop.h"
#include "text.h"
#include "throttle.h"
#include "user.h"
#include "userkey.h"
#include "util.h"

#define KEY_LINE_MAX	16384	/* as userkey_parse() accepts */
#define PW_BUF		256	/* longer than any acceptable password */
#define ADDR_MAX	64

static const char *const state_names[] = {
	[USER_ACTIVE] = N_("active"),
	[USER_PENDING] = N_("awaiting approval"),
	[USER_REJECTED] = N_("rejected"),
	[USER_BANNED] = N_("banned"),
};

/* A role as the sysop reads it, in her language; commands still take
 * the English names (role_name). */
static const char *const role_labels[] = {
	[ROLE_PENDING] = N_("pending"),
	[ROLE_TEACHER] = N_("teacher"),
	[ROLE_EXPERT] = N_("expert"),
	[ROLE_COORDINATOR] = N_("coordinator"),
	[ROLE_SYSOP] = N_("sysop"),
};

static const char *
sysop_users_role_label(enum role r)
{
	return (unsigned)r < nitems(role_labels) ? _(role_labels[r]) :
	    role_name(r);
}

/* What a session is doing (online_doing), as the sysop reads it. */
static const char *
sysop_users_doing_label(const char *doing)
{
	static const struct { const char *what, *label; } labels[] = {
		{ .what = "menu", .label = N_("in the menu") },
		{ .what = "boards", .label = N_("on the boards") },
		{ .what = "reading", .label = N_("reading") },
		{ .what = "mail", .label = N_("in mail") },
		{ .what = "library", .label = N_("in the library") },
		{ .what = "search", .label = N_("searching") },
		{ .what = "chat", .label = N_("in chat") },
	};
	size_t	 i;

	/* In a room: "chat:ID" (ui-chat.c). */
	if (strncmp(doing, "chat:", 5) == 0)
		doing = "chat";
	for (i = 0; i < nitems(labels); i++)
		if (strcmp(doing, labels[i].what) == 0)
			return _(labels[i].label);
	return doing;
}

/* user list [--pending] */
enum { LIST_PENDING };

static int
sysop_users_list_row(const struct user *u, void *arg)
{
	char	 t[32];

	sysop_grid_add(arg, u->login, u->display_name,
	    sysop_users_role_label(u->role), _(state_names[user_state(u)]),
	    text_date(u->created_at, TEXT_DATE_ISO_MINUTE, t, sizeof(t)));
	return 0;
}

int
sysop_users_list(struct sysop *s, struct sysop_args *a)
{
	struct sysop_grid	 g;
	int			 pending = a->opt[LIST_PENDING] != NULL, rc;

	sysop_grid_init(&g, 5, SYSOP_CELL_MAX, 0);
	sysop_grid_add(&g, _("LOGIN"), _("NAME"), _("ROLE"), _("STATE"),
	    _("CREATED"));
	if ((rc = user_foreach(s->st, pending, sysop_users_list_row,
	    &g)) != 0) {
		sysop_grid_free(&g);
		return sysop_fail(rc);
	}
	sysop_grid_list(&g, pending ? _("No accounts await approval.") :
	    _("There are no accounts yet."));
	return 0;
}

/* Request kind k on the account login, with text and number as the kind
 * reads them: 0 or a PERR code (PERR_NOTFOUND: no such account). */
static int
sysop_users_request(struct sysop *s, enum request_kind k, const char *login,
    const char *text, int64_t number)
{
	struct request	 r;
	char		 uuid[37];
	int		 rc;

	if ((rc = sysop_user_uuid(s, login, uuid)) != 0)
		return rc;
	request_init(&r, k, NULL);
	r.to = uuid;
	r.text = text;
	r.number = number;
	return sysop_request(s, &r, NULL);
}

/* Request kind on user login with number and no text: 0 after saying
 * done (its %s is login; NULL: the caller says it), or -1 after saying
 * what failed. */
static int
sysop_users_on(struct sysop *s, enum request_kind k, const char *login,
    int64_t number, const char *done)
{
	int	 rc;

	if ((rc = sysop_users_request(s, k, login, NULL, number)) != 0)
		return sysop_fail_user(login, rc);
	if (done != NULL)
		sysop_say(done, login);
	return 0;
}

/* user approve NAME, user unban NAME: a row each (sysop-cmd.c). */
int
sysop_users_by_row(struct sysop *s, struct sysop_args *a)
{
	return sysop_users_on(s, a->req->kind, a->argv[0], 0, _(a->req->done));
}

/* user reject, user ban: request kind (REQ_USER_REJECT, REQ_USER_BAN)
 * on NAME with the rest of the line as the reason.  0, or -1
 * (reported). */
static int
sysop_users_for_reason(struct sysop *s, struct sysop_args *a,
    enum request_kind kind)
{
	char	*reason = sysop_join(a->argc - 1, a->argv + 1);
	int	 rc;

	rc = sysop_users_request(s, kind, a->argv[0], reason, 0);
	free(reason);
	return rc != 0 ? sysop_fail_reason(a->argv[0], rc) : 0;
}

/* user reject NAME [REASON...]: the reason is the rest of the line. */
int
sysop_users_reject(struct sysop *s, struct sysop_args *a)
{
	if (sysop_users_for_reason(s, a, REQ_USER_REJECT) != 0)
		return -1;
	sysop_say(_("%s is rejected."), a->argv[0]);
	return 0;
}

/* Read one line from the terminal fd with echo off into buf.  0, or -1
 * on end of file or SIGINT.  The terminal is restored either way. */
static int
sysop_users_tty_secret(int fd, const char *prompt, char *buf, size_t size)
{
	struct termios	 old, quiet;
	struct sigaction sa, osa;
	size_t		 n = 0;
	ssize_t		 r;
	char		 c;
	int		 rc = 0;

	if (tcgetattr(fd, &old) != 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sysop_on_sigint;	/* no SA_RESTART: read() returns */
	sigemptyset(&sa.sa_mask);
	sysop_interrupted = 0;
	sigaction(SIGINT, &sa, &osa);
	tcsetattr(fd, TCSAFLUSH, &quiet);
	dprintf(fd, "%s", prompt);
	for (;;) {
		if ((r = read(fd, &c, 1)) < 0 && errno == EINTR &&
		    !sysop_interrupted)
			continue;
		if (r <= 0) {
			rc = -1;
			break;
		}
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < size)	/* the rest is dropped: still too long */
			buf[n++] = c;
	}
	buf[n] = '\0';
	c = 0;
	tcsetattr(fd, TCSAFLUSH, &old);
	sigaction(SIGINT, &osa, NULL);
	dprintf(fd, "\n");
	return rc;
}

/*
 * The password for a new account into *out (caller frees with
 * freezero_str): from a line of standard input when from_stdin and it is
 * not a terminal, else asked twice on /dev/tty without echo.  0 or -1
 * (reported).
 */
static int
sysop_users_get_password(int from_stdin, const char *login, char **out)
{
	char	 pw[PW_BUF], again[PW_BUF], *line = NULL, *prompt = NULL;
	size_t	 cap = 0;
	ssize_t	 len;
	int	 fd = -1, rc = -1, perr;

	*out = NULL;
	if (from_stdin && !isatty(STDIN_FILENO)) {
		if ((len = getline(&line, &cap, stdin)) < 0) {
			sysop_err(_("no password on standard input"));
			goto out;
		}
		line[strcspn(line, "\r\n")] = '\0';
		*out = xstrdup(line);
		rc = 0;
		goto out;
	}
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		sysop_err(_("no terminal to ask for the password on; "
		    "give it with --password-stdin"));
		goto out;
	}
	prompt = xasprintf(_("Password for %s: "), login);
	if (sysop_users_tty_secret(fd, prompt, pw, sizeof(pw)) != 0) {
		sysop_err(_("no password given"));
		goto out;
	}
	if ((perr = pw_check_policy(pw)) != 0) {
		sysop_fail_field(_("password"), perr);
		goto out;
	}
	if (sysop_users_tty_secret(fd, _("The same password again: "), again,
	    sizeof(again)) != 0) {
		sysop_err(_("no password given"));
		goto out;
	}
	if (strcmp(pw, again) != 0) {
		sysop_err("%s", _(perr_str(PERR_PW_MISMATCH)));
		goto out;
	}
	*out = xstrdup(pw);
	rc = 0;
out:
	if (line != NULL) {
		explicit_bzero(line, cap);
		free(line);
	}
	explicit_bzero(pw, sizeof(pw));
	explicit_bzero(again, sizeof(again));
	free(prompt);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* user password NAME [--password-stdin]: set a forgotten password. */
int
sysop_users_password(struct sysop *s, struct sysop_args *a)
{
	struct user	*u = NULL;
	char		*pw = NULL;
	int		 rc;

	if ((rc = user_get(s->st, a->argv[0], &u)) != 0)
		return sysop_fail_user(a->argv[0], rc);
	if (sysop_users_get_password(a->opt[0] != NULL, u->login, &pw) != 0) {
		user_free(u);
		return -1;
	}
	if ((rc = user_set_password(s->st, u->id, pw)) == 0)
		rc = audit_log(s->st, s->actor, "password", u->login, NULL);
	freezero_str(pw);
	if (rc != 0) {
		user_free(u);
		return sysop_fail_field(_("password"), rc);
	}
	sysop_say(_("The password of %s is set."), u->login);
	user_free(u);
	return 0;
}

/* user edit NAME FIELD VALUE...: name, school, subjects or about. */
int
sysop_users_edit(struct sysop *s, struct sysop_args *a)
{
	static const char *const fields[] = { "name", "school", "subjects",
	    "about" };
	struct user	*u = NULL;
	const char	*v[nitems(fields)], *bad = NULL;
	char		*value;
	size_t		 i;
	int		 rc;

	for (i = 0; i < nitems(fields) && strcmp(fields[i], a->argv[1]) != 0;
	    i++)
		;
	if (i == nitems(fields)) {
		sysop_err(_("unknown field \"%s\" (name, school, subjects,"
		    " about)"), a->argv[1]);
		return -1;
	}
	if ((rc = user_get(s->st, a->argv[0], &u)) != 0)
		return sysop_fail_user(a->argv[0], rc);
	v[0] = u->display_name;
	v[1] = u->school;
	v[2] = u->subjects;
	v[3] = u->about;
	value = sysop_join(a->argc - 2, a->argv + 2);
	v[i] = value;
	if ((rc = user_set_profile(s->st, u->id, v[0], v[1], v[2], v[3],
	    &bad)) == 0)
		rc = audit_log(s->st, s->actor, "edit", u->login, fields[i]);
	if (rc != 0)
		sysop_fail_field(_(fields[i]), rc);
	else
		sysop_say(_("%s: %s is changed."), u->login, fields[i]);
	free(value);
	user_free(u);
	return rc != 0 ? -1 : 0;
}

/* user delete NAME --yes: what becomes of her things is said first. */
int
sysop_users_delete(struct sysop *s, struct sysop_args *a)
{
	if (a->opt[0] == NULL) {
		sysop_err(_("deleting %s removes the account, its keys, mailbox"
		    " and drafts for good; its posts, threads and library items"
		    " stay, shown under \"deleted account\"; to keep the account"
		    " but stop its logins, use \"user ban\".  Add --yes to"
		    " delete."), a->argv[0]);
		return -1;
	}
	return sysop_users_on(s, REQ_USER_DELETE, a->argv[0], 0,
	    _("The account %s is deleted; its posts stay under"
	    " \"deleted account\"."));
}

/* user key remove NAME FINGERPRINT: a lost laptop's key. */
/* The account login and its keys (*k, *nk; userkey_list()), for user
 * show and user key remove: 0, or -1 (reported). */
static int
sysop_users_with_keys(struct sysop *s, const char *login, struct user **u,
    struct userkey **k, size_t *nk)
{
	int	 rc;

	*k = NULL;
	*nk = 0;
	if ((rc = user_get(s->st, login, u)) != 0)
		return sysop_fail_user(login, rc);
	if ((rc = userkey_list(s->st, (*u)->id, k, nk)) != 0) {
		user_free(*u);
		*u = NULL;
		return sysop_fail(rc);
	}
	return 0;
}

int
sysop_users_key_remove(struct sysop *s, struct sysop_args *a)
{
	struct userkey	*k;
	struct user	*u = NULL;
	size_t		 nk, i, found = 0, which = 0;
	int		 rc = 0;

	if (sysop_users_with_keys(s, a->argv[0], &u, &k, &nk) != 0)
		return -1;
	/* The whole fingerprint as "user show" prints it, or its start. */
	for (i = 0; i < nk; i++)
		if (strncmp(k[i].fingerprint, a->argv[1],
		    strlen(a->argv[1])) == 0) {
			found++;
			which = i;
		}
	if (found != 1)
		sysop_err(found == 0 ? _("%s has no key %s; \"user show\" lists"
		    " them") : _("%s has several keys beginning %s; give more"),
		    u->login, a->argv[1]);
	else if ((rc = userkey_remove(s->st, u->id, k[which].id)) != 0 ||
	    (rc = audit_log(s->st, s->actor, "key remove", u->login,
	    k[which].fingerprint)) != 0)
		sysop_fail(rc);
	else
		sysop_say(_("The key %s of %s is removed."),
		    k[which].fingerprint, u->login);
	userkey_list_free(k, nk);
	user_free(u);
	return found == 1 && rc == 0 ? 0 : -1;
}

/* user reset NAME: a one-time code to pass on by phone. */
int
sysop_users_reset(struct sysop *s, struct sysop_args *a)
{
	char	 code[RESET_CODE_SIZE], t[32];
	int64_t	 expires;
	int	 rc;

	if ((rc = reset_issue(s->st, a->argv[0], s->actor, code,
	    &expires)) != 0)
		return sysop_fail_user(a->argv[0], rc);
	sysop_say(_("Reset code for %s: %s"), a->argv[0], code);
	sysop_say(_("It works once, until %s. She logs in as \"new\", presses"
	    " Esc on the registration form, chooses \"I have a reset code\""
	    " and sets a new password."),
	    text_date(expires, TEXT_DATE_ISO_MINUTE, t, sizeof(t)));
	explicit_bzero(code, sizeof(code));
	return 0;
}

/* user add NAME --role ROLE [--name DISPLAY] [--password-stdin] */
enum { ADD_ROLE, ADD_NAME, ADD_PWSTDIN };

int
sysop_users_add(struct sysop *s, struct sysop_args *a)
{
	struct user_new	 n = { 0 };
	struct user	*u = NULL;
	const char	*bad = NULL;
	char		*pw = NULL;
	int		 role, rc;

	n.login = a->argv[0];
	n.display_name = a->opt[ADD_NAME] != NULL ? a->opt[ADD_NAME] : n.login;
	if ((role = role_parse(a->opt[ADD_ROLE])) < 0) {
		sysop_err("%s: %s", a->opt[ADD_ROLE], _(perr_str(PERR_ROLE)));
		return -1;
	}
	n.role = (enum role)role;
	/* Everything is checked before the password is asked for. */
	if ((rc = user_check_login(n.login)) != 0) {
		sysop_err(_("login \"%s\": %s"), n.login, _(perr_str(rc)));
		return -1;
	}
	if ((rc = user_check_field(n.display_name, USER_NAME_MAX, 0)) != 0 ||
	    (rc = user_check_display_name(s->st, n.display_name, 0)) != 0)
		return sysop_fail_field(_("display name"), rc);
	if ((rc = user_get(s->st, n.login, &u)) != PERR_NOTFOUND) {
		user_free(u);
		if (rc == 0)
			sysop_err(_("an account named \"%s\" exists already"),
			    n.login);
		return rc == 0 ? -1 : sysop_fail(rc);
	}
	if (sysop_users_get_password(a->opt[ADD_PWSTDIN] != NULL, n.login,
	    &pw) != 0)
		return -1;
	n.password = pw;
	if ((rc = store_begin(s->st)) == 0) {
		if ((rc = user_create(s->st, &n, NULL, &bad)) == 0 &&
		    (rc = audit_log(s->st, s->actor, "user add", n.login,
		    role_name(n.role))) == 0)
			rc = store_commit(s->st);
		if (rc != 0)
			store_rollback(s->st);
	}
	freezero_str(pw);
	if (rc != 0 && bad != NULL && strcmp(bad, "password") == 0)
		return sysop_fail_field(_("password"), rc);
	if (rc != 0)
		return sysop_fail_user(n.login, rc);
	sysop_say(_("Account %s is created with role %s."), n.login,
	    sysop_users_role_label(n.role));
	return 0;
}

int
sysop_users_role(struct sysop *s, struct sysop_args *a)
{
	int	 role;

	if ((role = role_parse(a->argv[1])) < 0) {
		sysop_err("%s: %s", a->argv[1], _(perr_str(PERR_ROLE)));
		return -1;
	}
	if (sysop_users_on(s, REQ_USER_ROLE, a->argv[0], role, NULL) != 0)
		return -1;
	sysop_say(_("%s now has role %s."), a->argv[0],
	    sysop_users_role_label((enum role)role));
	return 0;
}

/*
 * End login's sessions now: each session process gets SIGUSR1, and its
 * UI says why and exits (an SFTP session just ends).  A ban does the
 * same; sessions would find the ban by themselves within seconds too.
 * tell_denied: report the sessions this process may not signal.  0 and
 * *ended, the number of sessions ended, or -1 after reporting an error.
 */
static int
sysop_users_kick_login(struct sysop *s, const char *login, int tell_denied,
    int *ended)
{
	struct user	*u = NULL;
	int		 denied, rc;

	*ended = 0;
	if ((rc = user_get(s->st, login, &u)) != 0)
		return sysop_fail_user(login, rc);
	rc = online_signal(s->st, u->id, SIGUSR1, ended, &denied);
	user_free(u);
	if (rc != 0)
		return sysop_fail(rc);
	if (denied > 0 && tell_denied)
		sysop_err(_("%d sessions of %s could not be ended: run "
		    "parta-sysop as partad's user or as root"), denied, login);
	return 0;
}

int
sysop_users_ban(struct sysop *s, struct sysop_args *a)
{
	int	 n;

	if (sysop_users_for_reason(s, a, REQ_USER_BAN) != 0)
		return -1;
	sysop_say(_("%s is banned."), a->argv[0]);
	/* Sessions this process may not signal notice the ban by
	 * themselves (session.c). */
	if (sysop_users_kick_login(s, a->argv[0], 0, &n) == 0 && n > 0)
		sysop_say(_("Ended sessions of %s: %d."), a->argv[0], n);
	return 0;
}

int
sysop_users_kick(struct sysop *s, struct sysop_args *a)
{
	int	 n;

	if (sysop_users_kick_login(s, a->argv[0], 1, &n) != 0)
		return -1;
	(void)audit_log(s->st, s->actor, "kick", a->argv[0], NULL);
	sysop_say(_("Ended sessions of %s: %d."), a->argv[0], n);
	return 0;
}

/* Add one authorized_keys line to u with its audit entry; report it. */
static int
sysop_users_key_add_line(struct sysop *s, const struct user *u,
    const char *line, const char *file, int lineno)
{
	struct userkey	 k;
	char		*desc;
	int		 rc;

	if ((rc = userkey_parse(line, &k)) == 0 &&
	    (rc = store_begin(s->st)) == 0) {
		if ((rc = userkey_add(s->st, u->id, line)) == 0 &&
		    (rc = audit_log(s->st, s->actor, "key add", u->login,
		    k.fingerprint)) == 0)
			rc = store_commit(s->st);
		if (rc != 0)
			store_rollback(s->st);
	}
	if (rc == 0) {
		desc = xasprintf("%s %s %s", k.type, k.fingerprint, k.comment);
		sysop_say(_("key added: %s"), text_trim(desc));
		free(desc);
	} else
		sysop_err(_("%s, line %d: key refused: %s"), file, lineno,
		    _(perr_str(rc)));
	userkey_clear(&k);
	return rc;
}

/* user key add NAME FILE: one key per line; "-" reads standard input. */
int
sysop_users_key_add(struct sysop *s, struct sysop_args *a)
{
	const char	*file = a->argv[1], *shown;
	struct user	*u = NULL;
	FILE		*fp = NULL;
	char		*buf = NULL, *line;
	size_t		 len;
	int		 rc, ch, lineno = 0, added = 0, refused = 0, ret = -1;

	if ((rc = user_get(s->st, a->argv[0], &u)) != 0)
		return sysop_fail_user(a->argv[0], rc);
	fp = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	shown = fp == stdin ? _("standard input") : file;
	if (fp == NULL) {
		sysop_err("%s: %s", file, strerror(errno));
		goto out;
	}
	buf = xmalloc(KEY_LINE_MAX + 2);
	while (fgets(buf, KEY_LINE_MAX + 2, fp) != NULL) {
		lineno++;
		len = strlen(buf);
		if (len > KEY_LINE_MAX && buf[len - 1] != '\n') {
			while ((ch = getc(fp)) != EOF && ch != '\n')
				;
			sysop_err(_("%s, line %d: key refused: %s"), shown,
			    lineno, _(perr_str(PERR_TOOLONG)));
			refused++;
			continue;
		}
		line = text_trim(buf);
		if (*line == '\0' || *line == '#')
			continue;
		if (sysop_users_key_add_line(s, u, line, shown, lineno) == 0)
			added++;
		else
			refused++;
	}
	if (ferror(fp)) {
		sysop_err("%s: %s", shown, strerror(errno));
		goto out;
	}
	if (added + refused == 0) {
		sysop_err(_("%s: no keys in it"), shown);
		goto out;
	}
	ret = refused == 0 ? 0 : -1;
out:
	if (fp == stdin)
		clearerr(stdin);	/* a terminal may be read again */
	else if (fp != NULL)
		fclose(fp);
	free(buf);
	user_free(u);
	return ret;
}

int
sysop_users_show(struct sysop *s, struct sysop_args *a)
{
	struct user		*u = NULL;
	struct page_member	*m = NULL;
	struct userkey		*k;
	struct sysop_grid	 g;
	char			 id[32], t[7][32];
	size_t			 nk, i;

	if (sysop_users_with_keys(s, a->argv[0], &u, &k, &nk) != 0)
		return -1;
	snprintf(id, sizeof(id), "%lld", (long long)u->id);
	sysop_grid_init(&g, 2, 0, 0);
	sysop_grid_add(&g, _("login:"), u->login);
	sysop_grid_add(&g, _("display name:"), u->display_name);
	sysop_grid_add(&g, _("id:"), id);
	sysop_grid_add(&g, _("uuid:"), u->uuid);
	sysop_grid_add(&g, _("role:"), sysop_users_role_label(u->role));
	sysop_grid_add(&g, _("state:"), _(state_names[user_state(u)]));
	sysop_grid_add(&g, _("school:"), u->school);
	sysop_grid_add(&g, _("subjects:"), u->subjects);
	sysop_grid_add(&g, _("about:"), u->about);
	if (page_member(s->st, NULL, u->id, &m) == 0)
		sysop_grid_add(&g, _("page shown to:"), m->shows ==
		    PAGE_SHOWS_BOARDS ? _("members of her boards") :
		    _("all members"));
	page_members_free(m, m != NULL);
	sysop_grid_add(&g, _("language:"), u->lang);
	sysop_grid_add(&g, _("encoding:"), u->encoding);
	sysop_grid_add(&g, _("password:"), u->pw_hash != NULL ? _("yes") : _("no"));
	sysop_grid_add(&g, _("created:"), text_date(u->created_at, TEXT_DATE_ISO_MINUTE, t[0], sizeof(t[0])));
	sysop_grid_add(&g, _("approved:"), text_date(u->approved_at, TEXT_DATE_ISO_MINUTE, t[1], sizeof(t[1])));
	sysop_grid_add(&g, _("rejected:"), text_date(u->rejected_at, TEXT_DATE_ISO_MINUTE, t[2], sizeof(t[2])));
	sysop_grid_add(&g, _("reject reason:"), u->reject_reason);
	sysop_grid_add(&g, _("banned:"), text_date(u->banned_at, TEXT_DATE_ISO_MINUTE, t[3], sizeof(t[3])));
	sysop_grid_add(&g, _("ban reason:"), u->ban_reason);
	sysop_grid_add(&g, _("last login:"), text_date(u->last_login, TEXT_DATE_ISO_MINUTE, t[4], sizeof(t[4])));
	sysop_grid_add(&g, _("keys:"), nk > 0 ? "" : "-");
	sysop_grid_print(&g, stdout, 0);
	sysop_grid_free(&g);
	sysop_grid_init(&g, 5, 0, 0);
	for (i = 0; i < nk; i++)
		sysop_grid_add(&g, k[i].type, k[i].fingerprint, k[i].comment,
		    text_date(k[i].added_at, TEXT_DATE_ISO_MINUTE, t[5], sizeof(t[5])),
		    text_date(k[i].last_used, TEXT_DATE_ISO_MINUTE, t[6], sizeof(t[6])));
	sysop_grid_print(&g, stdout, 2);
	sysop_grid_free(&g);
	userkey_list_free(k, nk);
	user_free(u);
	return 0;
}

int
sysop_users_who(struct sysop *s, struct sysop_args *a)
{
	struct online		*o;
	struct sysop_grid	 g;
	char			 t[32], pid[24];
	size_t			 n, i;
	int			 rc;

	(void)a;
	if ((rc = online_list(s->st, 1, &o, &n)) != 0)
		return sysop_fail(rc);
	sysop_grid_init(&g, 6, SYSOP_CELL_MAX, 1u << 5);
	sysop_grid_add(&g, _("LOGIN"), _("NAME"), _("ADDRESS"), _("SINCE"),
	    _("DOING"), _("PID"));
	for (i = 0; i < n; i++) {
		snprintf(pid, sizeof(pid), "%ld", (long)o[i].pid);
		sysop_grid_add(&g, *o[i].login != '\0' ? o[i].login : _("(guest)"),
		    o[i].display_name, o[i].addr,
		    text_date(o[i].started_at, TEXT_DATE_ISO_MINUTE, t, sizeof(t)),
		    sysop_users_doing_label(o[i].doing), pid);
	}
	sysop_grid_list(&g, _("Nobody is online."));
	online_list_free(o, n);
	return 0;
}

int
sysop_users_unblock(struct sysop *s, struct sysop_args *a)
{
	const char	*addr = a->argv[0];
	int64_t		 left;
	int		 rc;

	if ((rc = text_check(addr, ADDR_MAX, 0)) != 0) {
		sysop_err("%s: %s", addr, _(perr_str(rc)));
		return -1;
	}
	if ((left = throttle_blocked(s->st, addr)) < 0)
		return sysop_fail((int)left);
	if ((rc = store_begin(s->st)) == 0) {
		if ((rc = throttle_clear(s->st, addr)) == 0 &&
		    (rc = audit_log(s->st, s->actor, "unblock", addr, NULL)) == 0)
			rc = store_commit(s->st);
		if (rc != 0)
			store_rollback(s->st);
	}
	if (rc != 0)
		return sysop_fail(rc);
	if (left > 0)
		sysop_say(_("%s is unblocked."), addr);
	else
		sysop_say(_("%s was not blocked; its failed logins are "
		    "forgotten."), addr);
	return 0;
}
