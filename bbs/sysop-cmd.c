/*
 * sysop-cmd.c: the commands of parta-sysop.  Each is one row of
 * sysop_cmds[]: its words, its arguments and options, its handler and its
 * help line.  sysop_exec() finds the row, checks the argument count and
 * the options against it and calls the handler; "help" and completion read
 * the same rows, so a command cannot exist without being documented.
 *
 * Handlers return 0, or -1 after reporting the error with sysop_err().
 * What they print passes text_sanitize() (sysop_say, the grid), because
 * names, titles and reasons were typed by people on the BBS.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "blob.h"
#include "board.h"
#include "mail.h"
#include "news.h"
#include "polls.h"
#include "post.h"
#include "i18n.h"
#include "library.h"
#include "online.h"
#include "perr.h"
#include "pwhash.h"
#include "report.h"
#include "reset.h"
#include "search.h"
#include "store.h"
#include "sysop.h"
#include "text.h"
#include "throttle.h"
#include "user.h"
#include "userkey.h"
#include "util.h"

#define CELL_MAX	40	/* columns a list cell may take */
#define GRID_COLS	10
#define KEY_LINE_MAX	16384	/* as userkey_parse() accepts */
#define PW_BUF		256	/* longer than any acceptable password */
#define ADDR_MAX	64

/* Columns of text lined up by display width, not by bytes. */
struct grid {
	size_t		 ncols, nrows;
	char		**cell;		/* nrows * ncols, sanitised */
	int		 w[GRID_COLS];	/* the widest cell of each column */
	int		 clip;		/* cut cells wider than this; 0: never */
	unsigned	 right;		/* bit i set: column i aligns right */
};

static void
grid_init(struct grid *g, size_t ncols, int clip, unsigned right)
{
	memset(g, 0, sizeof(*g));
	g->ncols = ncols;
	g->clip = clip;
	g->right = right;
}

/* A sanitised copy of s cut to max columns with an ellipsis. */
static char *
cell_new(const char *s, int max)
{
	char	*t = text_sanitize(s, 0), *c;
	size_t	 n;

	if (max == 0 || text_width(t) <= max)
		return t;
	n = text_fit(t, max - 1);
	c = xasprintf("%.*s…", (int)n, t);
	free(t);
	return c;
}

/* Add a row: g->ncols strings, copied. */
static void
grid_add(struct grid *g, ...)
{
	va_list	 ap;
	char	*c;
	size_t	 i;
	int	 w;

	g->cell = xrealloc(g->cell, (g->nrows + 1) * g->ncols * sizeof(*g->cell));
	va_start(ap, g);
	for (i = 0; i < g->ncols; i++) {
		c = cell_new(va_arg(ap, const char *), g->clip);
		g->cell[g->nrows * g->ncols + i] = c;
		if ((w = text_width(c)) > g->w[i])
			g->w[i] = w;
	}
	va_end(ap);
	g->nrows++;
}

/* Print the rows, each indented by indent columns, without trailing
 * blanks. */
static void
grid_print(const struct grid *g, FILE *fp, int indent)
{
	char	**row;
	size_t	 r, i, last;
	int	 pad;

	for (r = 0; r < g->nrows; r++) {
		row = &g->cell[r * g->ncols];
		for (last = g->ncols; last > 1 && *row[last - 1] == '\0'; last--)
			;
		fprintf(fp, "%*s", indent, "");
		for (i = 0; i < last; i++) {
			pad = g->w[i] - text_width(row[i]);
			if (g->right & (1u << i))
				fprintf(fp, "%*s%s", pad, "", row[i]);
			else if (i + 1 < last)
				fprintf(fp, "%s%*s", row[i], pad, "");
			else
				fputs(row[i], fp);
			if (i + 1 < last)
				fputs("  ", fp);
		}
		fputc('\n', fp);
	}
}

static void
grid_free(struct grid *g)
{
	size_t	 i;

	for (i = 0; i < g->nrows * g->ncols; i++)
		free(g->cell[i]);
	free(g->cell);
	g->cell = NULL;
	g->nrows = 0;
}

/*
 * Print a listing whose first row is the header, or the message empty
 * when only the header is there; then free it.
 */
static void
grid_list(struct grid *g, const char *empty)
{
	if (g->nrows > 1)
		grid_print(g, stdout, 0);
	else
		sysop_say("%s", empty);
	grid_free(g);
}

/* argv joined by single spaces, "" for none.  Caller frees. */
static char *
join(int argc, char **argv)
{
	size_t	 len = 1, o = 0, n;
	char	*s;
	int	 i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = xmalloc(len);
	for (i = 0; i < argc; i++) {
		if (i > 0)
			s[o++] = ' ';
		n = strlen(argv[i]);
		memcpy(s + o, argv[i], n);
		o += n;
	}
	s[o] = '\0';
	return s;
}

/* Report a failed action on the account login; returns -1. */
static int
fail_user(const char *login, int rc)
{
	if (rc == PERR_NOTFOUND)
		sysop_err(_("no account named \"%s\""), login);
	else
		sysop_err("%s: %s", login, _(perr_str(rc)));
	return -1;
}

/* Report what is wrong with the text given for field; returns -1. */
static int
fail_field(const char *field, int rc)
{
	sysop_err("%s: %s", field, _(perr_str(rc)));
	return -1;
}

/* Report a failed action on login that also took a reason: the reason
 * is to blame unless the account is.  Returns -1. */
static int
fail_reason(const char *login, int rc)
{
	if (rc == PERR_NOTFOUND || rc == PERR_NOT_PENDING || rc == PERR_DB)
		return fail_user(login, rc);
	return fail_field(_("reason"), rc);
}

/* Report a store error that concerns no one argument; returns -1. */
static int
fail(int rc)
{
	sysop_err("%s", _(perr_str(rc)));
	return -1;
}

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
role_label(enum role r)
{
	return (unsigned)r < nitems(role_labels) ? _(role_labels[r]) :
	    role_name(r);
}

/* What a session is doing (online_doing), as the sysop reads it. */
static const char *
doing_label(const char *doing)
{
	static const struct { const char *what, *label; } labels[] = {
		{ .what = "menu", .label = N_("in the menu") },
		{ .what = "boards", .label = N_("on the boards") },
		{ .what = "reading", .label = N_("reading") },
		{ .what = "mail", .label = N_("in mail") },
		{ .what = "library", .label = N_("in the library") },
		{ .what = "search", .label = N_("searching") },
	};
	size_t	 i;

	for (i = 0; i < nitems(labels); i++)
		if (strcmp(doing, labels[i].what) == 0)
			return _(labels[i].label);
	return doing;
}

/* user list [--pending] */
enum { LIST_PENDING };

static int
list_row(const struct user *u, void *arg)
{
	char	 t[32];

	grid_add(arg, u->login, u->display_name, role_label(u->role),
	    _(state_names[user_state(u)]), text_date(u->created_at, TEXT_DATE_ISO_MINUTE, t, sizeof(t)));
	return 0;
}

static int
cmd_user_list(struct sysop *s, struct sysop_args *a)
{
	struct grid	 g;
	int		 pending = a->opt[LIST_PENDING] != NULL, rc;

	grid_init(&g, 5, CELL_MAX, 0);
	grid_add(&g, _("LOGIN"), _("NAME"), _("ROLE"), _("STATE"), _("CREATED"));
	if ((rc = user_foreach(s->st, pending, list_row, &g)) != 0) {
		grid_free(&g);
		return fail(rc);
	}
	grid_list(&g, pending ? _("No accounts await approval.") :
	    _("There are no accounts yet."));
	return 0;
}

static int
cmd_user_approve(struct sysop *s, struct sysop_args *a)
{
	int	 rc;

	if ((rc = user_approve(s->st, a->argv[0], s->actor)) != 0)
		return fail_user(a->argv[0], rc);
	sysop_say(_("%s is approved and may log in as a teacher."), a->argv[0]);
	return 0;
}

/* user reject NAME [REASON...]: the reason is the rest of the line. */
static int
cmd_user_reject(struct sysop *s, struct sysop_args *a)
{
	char	*reason = join(a->argc - 1, a->argv + 1);
	int	 rc;

	rc = user_reject(s->st, a->argv[0], reason, s->actor);
	free(reason);
	if (rc != 0)
		return fail_reason(a->argv[0], rc);
	sysop_say(_("%s is rejected."), a->argv[0]);
	return 0;
}

/* Read one line from the terminal fd with echo off into buf.  0, or -1
 * on end of file or SIGINT.  The terminal is restored either way. */
static int
tty_secret(int fd, const char *prompt, char *buf, size_t size)
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
get_password(int from_stdin, const char *login, char **out)
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
	if (tty_secret(fd, prompt, pw, sizeof(pw)) != 0) {
		sysop_err(_("no password given"));
		goto out;
	}
	if ((perr = pw_check_policy(pw)) != 0) {
		fail_field(_("password"), perr);
		goto out;
	}
	if (tty_secret(fd, _("The same password again: "), again,
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
static int
cmd_user_password(struct sysop *s, struct sysop_args *a)
{
	struct user	*u = NULL;
	char		*pw = NULL;
	int		 rc;

	if ((rc = user_get(s->st, a->argv[0], &u)) != 0)
		return fail_user(a->argv[0], rc);
	if (get_password(a->opt[0] != NULL, u->login, &pw) != 0) {
		user_free(u);
		return -1;
	}
	if ((rc = user_set_password(s->st, u->id, pw)) == 0)
		rc = audit_log(s->st, s->actor, "password", u->login, NULL);
	freezero_str(pw);
	if (rc != 0) {
		user_free(u);
		return fail_field(_("password"), rc);
	}
	sysop_say(_("The password of %s is set."), u->login);
	user_free(u);
	return 0;
}

/* user edit NAME FIELD VALUE...: name, school, subjects or about. */
static int
cmd_user_edit(struct sysop *s, struct sysop_args *a)
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
		return fail_user(a->argv[0], rc);
	v[0] = u->display_name;
	v[1] = u->school;
	v[2] = u->subjects;
	v[3] = u->about;
	value = join(a->argc - 2, a->argv + 2);
	v[i] = value;
	if ((rc = user_set_profile(s->st, u->id, v[0], v[1], v[2], v[3],
	    &bad)) == 0)
		rc = audit_log(s->st, s->actor, "edit", u->login, fields[i]);
	if (rc != 0)
		fail_field(_(fields[i]), rc);
	else
		sysop_say(_("%s: %s is changed."), u->login, fields[i]);
	free(value);
	user_free(u);
	return rc != 0 ? -1 : 0;
}

/* user delete NAME --yes: what becomes of her things is said first. */
static int
cmd_user_delete(struct sysop *s, struct sysop_args *a)
{
	int	 rc;

	if (a->opt[0] == NULL) {
		sysop_err(_("deleting %s removes the account, its keys, mailbox"
		    " and drafts for good; its posts, threads and library items"
		    " stay, shown under \"deleted account\"; to keep the account"
		    " but stop its logins, use \"user ban\".  Add --yes to"
		    " delete."), a->argv[0]);
		return -1;
	}
	if ((rc = user_delete(s->st, a->argv[0], s->actor)) != 0)
		return fail_user(a->argv[0], rc);
	sysop_say(_("The account %s is deleted; its posts stay under"
	    " \"deleted account\"."), a->argv[0]);
	return 0;
}

/* user key remove NAME FINGERPRINT: a lost laptop's key. */
static int
cmd_user_key_remove(struct sysop *s, struct sysop_args *a)
{
	struct userkey	*k = NULL;
	struct user	*u = NULL;
	size_t		 nk = 0, i, found = 0, which = 0;
	int		 rc;

	if ((rc = user_get(s->st, a->argv[0], &u)) != 0)
		return fail_user(a->argv[0], rc);
	if ((rc = userkey_list(s->st, u->id, &k, &nk)) != 0) {
		user_free(u);
		return fail(rc);
	}
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
		fail(rc);
	else
		sysop_say(_("The key %s of %s is removed."),
		    k[which].fingerprint, u->login);
	userkey_list_free(k, nk);
	user_free(u);
	return found == 1 && rc == 0 ? 0 : -1;
}

/* user reset NAME: a one-time code to pass on by phone. */
static int
cmd_user_reset(struct sysop *s, struct sysop_args *a)
{
	char	 code[RESET_CODE_SIZE], t[32];
	int64_t	 expires;
	int	 rc;

	if ((rc = reset_issue(s->st, a->argv[0], s->actor, code,
	    &expires)) != 0)
		return fail_user(a->argv[0], rc);
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

static int
cmd_user_add(struct sysop *s, struct sysop_args *a)
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
		return fail_field(_("display name"), rc);
	if ((rc = user_get(s->st, n.login, &u)) != PERR_NOTFOUND) {
		user_free(u);
		if (rc == 0)
			sysop_err(_("an account named \"%s\" exists already"),
			    n.login);
		return rc == 0 ? -1 : fail(rc);
	}
	if (get_password(a->opt[ADD_PWSTDIN] != NULL, n.login, &pw) != 0)
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
		return fail_field(_("password"), rc);
	if (rc != 0)
		return fail_user(n.login, rc);
	sysop_say(_("Account %s is created with role %s."), n.login,
	    role_label(n.role));
	return 0;
}

static int
cmd_user_role(struct sysop *s, struct sysop_args *a)
{
	int	 role, rc;

	if ((role = role_parse(a->argv[1])) < 0) {
		sysop_err("%s: %s", a->argv[1], _(perr_str(PERR_ROLE)));
		return -1;
	}
	if ((rc = user_set_role(s->st, a->argv[0], (enum role)role,
	    s->actor)) != 0)
		return fail_user(a->argv[0], rc);
	sysop_say(_("%s now has role %s."), a->argv[0],
	    role_label((enum role)role));
	return 0;
}

/*
 * End login's sessions now: each session process gets SIGUSR1, and its
 * UI says why and exits (an SFTP session just ends).  A ban does the
 * same; sessions would find the ban by themselves within seconds too.
 * tell_denied: report the sessions this process may not signal.  -1
 * after reporting an error, else the number of sessions ended.
 */
static int
kick_login(struct sysop *s, const char *login, int tell_denied)
{
	struct user	*u = NULL;
	int		 n, denied, rc;

	if ((rc = user_get(s->st, login, &u)) != 0)
		return fail_user(login, rc);
	n = online_signal(s->st, u->id, SIGUSR1, &denied);
	user_free(u);
	if (n < 0)
		return fail(n);
	if (denied > 0 && tell_denied)
		sysop_err(_("%d sessions of %s could not be ended: run "
		    "parta-sysop as partad's user or as root"), denied, login);
	return n;
}

static int
cmd_user_ban(struct sysop *s, struct sysop_args *a)
{
	char	*reason = join(a->argc - 1, a->argv + 1);
	int	 rc;

	rc = user_ban(s->st, a->argv[0], reason, s->actor);
	free(reason);
	if (rc != 0)
		return fail_reason(a->argv[0], rc);
	sysop_say(_("%s is banned."), a->argv[0]);
	/* Sessions this process may not signal notice the ban by
	 * themselves (session.c). */
	if ((rc = kick_login(s, a->argv[0], 0)) > 0)
		sysop_say(_("Ended sessions of %s: %d."), a->argv[0], rc);
	return 0;
}

static int
cmd_kick(struct sysop *s, struct sysop_args *a)
{
	int	 n;

	if ((n = kick_login(s, a->argv[0], 1)) < 0)
		return -1;
	(void)audit_log(s->st, s->actor, "kick", a->argv[0], NULL);
	sysop_say(_("Ended sessions of %s: %d."), a->argv[0], n);
	return 0;
}

static int
cmd_user_unban(struct sysop *s, struct sysop_args *a)
{
	int	 rc;

	if ((rc = user_unban(s->st, a->argv[0], s->actor)) != 0)
		return fail_user(a->argv[0], rc);
	sysop_say(_("%s is no longer banned."), a->argv[0]);
	return 0;
}

/* Add one authorized_keys line to u with its audit entry; report it. */
static int
key_add_line(struct sysop *s, const struct user *u, const char *line,
    const char *file, int lineno)
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
static int
cmd_user_key_add(struct sysop *s, struct sysop_args *a)
{
	const char	*file = a->argv[1], *shown;
	struct user	*u = NULL;
	FILE		*fp = NULL;
	char		*buf = NULL, *line;
	size_t		 len;
	int		 rc, ch, lineno = 0, added = 0, refused = 0, ret = -1;

	if ((rc = user_get(s->st, a->argv[0], &u)) != 0)
		return fail_user(a->argv[0], rc);
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
		if (key_add_line(s, u, line, shown, lineno) == 0)
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

static int
cmd_user_show(struct sysop *s, struct sysop_args *a)
{
	struct user	*u = NULL;
	struct userkey	*k = NULL;
	struct grid	 g;
	char		 id[32], t[7][32];
	size_t		 nk = 0, i;
	int		 rc;

	if ((rc = user_get(s->st, a->argv[0], &u)) != 0)
		return fail_user(a->argv[0], rc);
	if ((rc = userkey_list(s->st, u->id, &k, &nk)) != 0) {
		user_free(u);
		return fail(rc);
	}
	snprintf(id, sizeof(id), "%lld", (long long)u->id);
	grid_init(&g, 2, 0, 0);
	grid_add(&g, _("login:"), u->login);
	grid_add(&g, _("display name:"), u->display_name);
	grid_add(&g, _("id:"), id);
	grid_add(&g, _("uuid:"), u->uuid);
	grid_add(&g, _("role:"), role_label(u->role));
	grid_add(&g, _("state:"), _(state_names[user_state(u)]));
	grid_add(&g, _("school:"), u->school);
	grid_add(&g, _("subjects:"), u->subjects);
	grid_add(&g, _("about:"), u->about);
	grid_add(&g, _("language:"), u->lang);
	grid_add(&g, _("encoding:"), u->encoding);
	grid_add(&g, _("password:"), u->pw_hash != NULL ? _("yes") : _("no"));
	grid_add(&g, _("created:"), text_date(u->created_at, TEXT_DATE_ISO_MINUTE, t[0], sizeof(t[0])));
	grid_add(&g, _("approved:"), text_date(u->approved_at, TEXT_DATE_ISO_MINUTE, t[1], sizeof(t[1])));
	grid_add(&g, _("rejected:"), text_date(u->rejected_at, TEXT_DATE_ISO_MINUTE, t[2], sizeof(t[2])));
	grid_add(&g, _("reject reason:"), u->reject_reason);
	grid_add(&g, _("banned:"), text_date(u->banned_at, TEXT_DATE_ISO_MINUTE, t[3], sizeof(t[3])));
	grid_add(&g, _("ban reason:"), u->ban_reason);
	grid_add(&g, _("last login:"), text_date(u->last_login, TEXT_DATE_ISO_MINUTE, t[4], sizeof(t[4])));
	grid_add(&g, _("keys:"), nk > 0 ? "" : "-");
	grid_print(&g, stdout, 0);
	grid_free(&g);
	grid_init(&g, 5, 0, 0);
	for (i = 0; i < nk; i++)
		grid_add(&g, k[i].type, k[i].fingerprint, k[i].comment,
		    text_date(k[i].added_at, TEXT_DATE_ISO_MINUTE, t[5], sizeof(t[5])),
		    text_date(k[i].last_used, TEXT_DATE_ISO_MINUTE, t[6], sizeof(t[6])));
	grid_print(&g, stdout, 2);
	grid_free(&g);
	userkey_list_free(k, nk);
	user_free(u);
	return 0;
}

/* board add NAME TITLE [DESCRIPTION] */
static int
cmd_board_add(struct sysop *s, struct sysop_args *a)
{
	const char	*name = a->argv[0], *title = a->argv[1];
	const char	*desc = a->argc > 2 ? a->argv[2] : "";
	int		 rc;

	/* board_add() does not say which field it refused; ask first. */
	if ((rc = board_check_name(name)) != 0) {
		sysop_err(_("board name \"%s\": %s"), name, _(perr_str(rc)));
		return -1;
	}
	if ((rc = text_check(title, BOARD_TITLE_MAX, 0)) != 0)
		return fail_field(_("title"), rc);
	if ((rc = text_check(desc, BOARD_DESC_MAX,
	    TEXT_EMPTY_OK | TEXT_MULTILINE)) != 0)
		return fail_field(_("description"), rc);
	if ((rc = board_add(s->st, name, title, desc, s->actor)) == PERR_EXISTS) {
		sysop_err(_("a board named \"%s\" exists already"), name);
		return -1;
	}
	if (rc != 0)
		return fail(rc);
	sysop_say(_("Board %s is added."), name);
	return 0;
}

static int
cmd_board_list(struct sysop *s, struct sysop_args *a)
{
	struct board	*b;
	struct grid	 g;
	char		 th[24], po[24];
	size_t		 n, i;
	int		 rc;

	(void)a;
	if ((rc = board_list(s->st, &b, &n)) != 0)
		return fail(rc);
	grid_init(&g, 6, CELL_MAX, 1u << 2 | 1u << 3);
	grid_add(&g, _("NAME"), _("TITLE"), _("THREADS"), _("POSTS"),
	    _("READ/POST, COORDINATORS"), _("DESCRIPTION"));
	for (i = 0; i < n; i++) {
		char	*co = board_coordinators(s->st, b[i].id), *acc;

		snprintf(th, sizeof(th), "%lld", (long long)b[i].threads);
		snprintf(po, sizeof(po), "%lld", (long long)b[i].posts);
		acc = xasprintf("%s/%s%s%s%s", b[i].read_role, b[i].post_role,
		    b[i].premoderated ? _(", premoderated") : "",
		    *co != '\0' ? ", " : "", co);
		grid_add(&g, b[i].name, b[i].title, th, po, acc,
		    b[i].description);
		free(acc);
		free(co);
	}
	grid_list(&g, _("There are no boards yet."));
	board_list_free(b, n);
	return 0;
}

static int
cmd_who(struct sysop *s, struct sysop_args *a)
{
	struct online	*o;
	struct grid	 g;
	char		 t[32], pid[24];
	size_t		 n, i;
	int		 rc;

	(void)a;
	if ((rc = online_list(s->st, 1, &o, &n)) != 0)
		return fail(rc);
	grid_init(&g, 6, CELL_MAX, 1u << 5);
	grid_add(&g, _("LOGIN"), _("NAME"), _("ADDRESS"), _("SINCE"),
	    _("DOING"), _("PID"));
	for (i = 0; i < n; i++) {
		snprintf(pid, sizeof(pid), "%ld", (long)o[i].pid);
		grid_add(&g, *o[i].login != '\0' ? o[i].login : _("(guest)"),
		    o[i].display_name, o[i].addr,
		    text_date(o[i].started_at, TEXT_DATE_ISO_MINUTE, t, sizeof(t)),
		    doing_label(o[i].doing), pid);
	}
	grid_list(&g, _("Nobody is online."));
	online_list_free(o, n);
	return 0;
}

/* report [--days N]: what the community did over the last N days. */
enum { REPORT_OPT_DAYS, REPORT_OPT_FROM, REPORT_OPT_TO, REPORT_OPT_BY,
    REPORT_OPT_BOARD, REPORT_OPT_SCHOOL, REPORT_OPT_CSV };
#define REPORT_DAYS_MAX	3660
#define REPORT_BAR	40	/* columns of the longest bar of a chart */

/* A figure as the console shows it: "—" where the row cannot count it. */
static const char *
report_num(int64_t n, char *buf, size_t size)
{
	if (n == REPORT_NA)
		return "—";
	snprintf(buf, size, "%lld", (long long)n);
	return buf;
}

/* One row of the growth table: its name then the figures. */
static void
report_grid_row(struct grid *g, const char *name,
    const struct report_figures *f)
{
	char	 b[8][24];

	grid_add(g, name, report_num(f->active, b[0], sizeof(b[0])),
	    report_num(f->members, b[1], sizeof(b[1])),
	    report_num(f->new_members, b[2], sizeof(b[2])),
	    report_num(f->posts, b[3], sizeof(b[3])),
	    report_num(f->threads, b[4], sizeof(b[4])),
	    report_num(f->letters, b[5], sizeof(b[5])),
	    report_num(f->uploads, b[6], sizeof(b[6])),
	    report_num(f->downloads, b[7], sizeof(b[7])));
}

static void
report_grid_head(struct grid *g, const char *first)
{
	grid_init(g, 9, CELL_MAX, 0x1feu);
	grid_add(g, first, _("ACTIVE"), _("MEMBERS"), _("NEW"), _("POSTS"),
	    _("THREADS"), _("LETTERS"), _("UPLOADS"), _("DOWNLOADS"));
}

/* A text chart: one bar per period, as long as its share of the most. */
static void
report_chart(const char *title, const struct report_series *s, size_t off)
{
	int64_t	 v, max = 0;
	size_t	 i;
	int	 w, lw = 0;

	for (i = 0; i < s->nperiods; i++) {
		v = *(const int64_t *)(const void *)((const char *)&s->periods[i].f + off);
		if (v > max)
			max = v;
		if ((w = text_width(s->periods[i].name)) > lw)
			lw = w;
	}
	sysop_say("%s", "");
	sysop_say("%s", title);
	for (i = 0; i < s->nperiods; i++) {
		v = *(const int64_t *)(const void *)((const char *)&s->periods[i].f + off);
		w = max > 0 ? (int)((v * REPORT_BAR + max - 1) / max) : 0;
		printf("  %-*s  ", lw, s->periods[i].name);
		while (w-- > 0)
			fputs("#", stdout);
		printf(" %lld\n", (long long)v);
	}
}

/* A CSV field (RFC 4180): quoted when it must be; a text a spreadsheet
 * would take for a formula gets a leading apostrophe. */
static void
report_csv_text(const char *s)
{
	char	*t = text_sanitize(s != NULL ? s : "", 0), *p;

	if (*t != '\0' && strchr("=+-@", *t) != NULL) {
		p = xasprintf("'%s", t);
		free(t);
		t = p;
	}
	if (strpbrk(t, ",\"\r\n") == NULL) {
		fputs(t, stdout);
		free(t);
		return;
	}
	fputc('"', stdout);
	for (p = t; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', stdout);
		fputc(*p, stdout);
	}
	fputc('"', stdout);
	free(t);
}

static void
report_csv_row(const char *kind, const struct report_row *r)
{
	const int64_t	*f = &r->f.active;
	char		 d[32];
	size_t		 i;

	printf("%s,", kind);
	report_csv_text(r->name);
	printf(",%s", text_date(r->start, TEXT_DATE_ISO_DAY, d, sizeof(d)));
	printf(",%s", text_date(r->end - 1, TEXT_DATE_ISO_DAY, d, sizeof(d)));
	for (i = 0; i < sizeof(r->f) / sizeof(*f); i++)
		if (f[i] == REPORT_NA)
			fputs(",", stdout);
		else
			printf(",%lld", (long long)f[i]);
	fputs("\r\n", stdout);
}

static void
report_csv(const struct report_series *s)
{
	size_t	 i;

	fputs("kind,name,from,to,active,members,new_members,posts,threads,"
	    "letters,uploads,downloads\r\n", stdout);
	for (i = 0; i < s->nperiods; i++)
		report_csv_row("period", &s->periods[i]);
	report_csv_row("total", &s->total);
	for (i = 0; i < s->nboards; i++)
		report_csv_row("board", &s->boards[i]);
	for (i = 0; i < s->nschools; i++)
		report_csv_row("school", &s->schools[i]);
}

static void
report_text(const struct report_series *s)
{
	struct grid	 g;
	char		 d1[32], d2[32];
	size_t		 i;

	sysop_say(s->q.by == REPORT_WEEK ?
	    _("The community from %s to %s, by week:") :
	    _("The community from %s to %s, by month:"),
	    text_date(s->q.from, TEXT_DATE_ISO_DAY, d1, sizeof(d1)),
	    text_date(s->q.to - 1, TEXT_DATE_ISO_DAY, d2, sizeof(d2)));
	report_grid_head(&g, _("PERIOD"));
	for (i = 0; i < s->nperiods; i++)
		report_grid_row(&g, s->periods[i].name, &s->periods[i].f);
	report_grid_row(&g, _("total"), &s->total.f);
	grid_print(&g, stdout, 2);
	grid_free(&g);
	report_chart(_("Active participants:"), s,
	    offsetof(struct report_figures, active));
	report_chart(_("Posts:"), s, offsetof(struct report_figures, posts));
	sysop_say("%s", "");
	report_grid_head(&g, _("BOARD"));
	for (i = 0; i < s->nboards; i++)
		report_grid_row(&g, s->boards[i].name, &s->boards[i].f);
	grid_print(&g, stdout, 2);
	grid_free(&g);
	if (s->nschools == 0)
		return;
	sysop_say("%s", "");
	report_grid_head(&g, _("SCHOOL"));
	for (i = 0; i < s->nschools; i++)
		report_grid_row(&g, *s->schools[i].name != '\0' ?
		    s->schools[i].name : _("(not given)"), &s->schools[i].f);
	grid_print(&g, stdout, 2);
	grid_free(&g);
}

/* report --from DATE --to DATE --by week|month ...: the growth report. */
static int
report_series(struct sysop *s, struct sysop_args *a)
{
	const char		*by = a->opt[REPORT_OPT_BY];
	struct report_query	 q;
	struct report_series	*r = NULL;
	int64_t			 today;
	int			 rc;

	memset(&q, 0, sizeof(q));
	if (by == NULL || strcmp(by, "week") == 0)
		q.by = REPORT_WEEK;
	else if (strcmp(by, "month") == 0)
		q.by = REPORT_MONTH;
	else {
		sysop_err(_("--by: week or month"));
		return -1;
	}
	q.board = a->opt[REPORT_OPT_BOARD];
	q.school = a->opt[REPORT_OPT_SCHOOL];
	if (q.school != NULL && *q.school == '\0')
		q.school = NULL;
	/* The last day counted is --to (today), whole. */
	if (report_parse_day(text_date(now_unix(), TEXT_DATE_ISO_DAY,
	    (char[32]){ 0 }, 32), &today) != 0)
		today = now_unix();
	if (a->opt[REPORT_OPT_TO] == NULL)
		q.to = today;
	else if (report_parse_day(a->opt[REPORT_OPT_TO], &q.to) != 0)
		return fail_field("--to", PERR_DATE);
	q.to += 86400;
	if (a->opt[REPORT_OPT_FROM] == NULL)
		q.from = q.to - (q.by == REPORT_WEEK ? 12 * 7 : 365) * 86400LL;
	else if (report_parse_day(a->opt[REPORT_OPT_FROM], &q.from) != 0)
		return fail_field("--from", PERR_DATE);
	if (q.from >= q.to) {
		sysop_err(_("--from must not be after --to"));
		return -1;
	}
	if ((rc = report_series_make(s->st, &q, &r)) == PERR_NOTFOUND) {
		sysop_err(_("no board named \"%s\""), q.board);
		return -1;
	}
	if (rc == PERR_DATE) {
		sysop_err(_("the span is too long for --by %s"), by != NULL ?
		    by : "week");
		return -1;
	}
	if (rc != 0)
		return fail(rc);
	if (a->opt[REPORT_OPT_CSV] != NULL)
		report_csv(r);
	else
		report_text(r);
	report_series_free(r);
	return 0;
}

static int
cmd_report(struct sysop *s, struct sysop_args *a)
{
	const char	*d = a->opt[REPORT_OPT_DAYS];
	struct report	*r = NULL;
	struct grid	 g;
	char		 t[32], n1[24], n2[24], *end;
	long		 days = 7;
	size_t		 i;
	int		 rc;

	for (i = REPORT_OPT_FROM; i <= REPORT_OPT_CSV; i++)
		if (a->opt[i] != NULL) {
			if (d != NULL) {
				sysop_err(_("--days goes with none of the other"
				    " options"));
				return -1;
			}
			return report_series(s, a);
		}
	if (d != NULL) {
		days = strtol(d, &end, 10);
		if (*d == '\0' || *end != '\0' || days < 1 ||
		    days > REPORT_DAYS_MAX) {
			sysop_err(_("--days: a number of days from 1 to %d"),
			    REPORT_DAYS_MAX);
			return -1;
		}
	}
	if ((rc = report_make(s->st, now_unix() - days * 86400, &r)) != 0)
		return fail(rc);
	sysop_say(_("Activity over the last %ld days, since %s:"), days,
	    text_date(r->since, TEXT_DATE_ISO_MINUTE, t, sizeof(t)));
	sysop_say(_("  accounts: %lld, logged in: %lld; new: %lld; awaiting "
	    "approval: %lld"), (long long)r->accounts, (long long)r->visitors,
	    (long long)r->new_accounts, (long long)r->pending);
	sysop_say(_("  posts: %lld; new threads: %lld; hidden: %lld"),
	    (long long)r->posts, (long long)r->threads, (long long)r->hidden);
	sysop_say(_("  letters: %lld; news: %lld"), (long long)r->letters,
	    (long long)r->news);
	sysop_say(_("  library: new items: %lld; awaiting approval: %lld"),
	    (long long)r->lib_items, (long long)r->lib_pending);
	if (r->nboards > 0) {
		sysop_say("%s", "");
		grid_init(&g, 4, CELL_MAX, 1u << 2 | 1u << 3);
		grid_add(&g, _("BOARD"), _("TITLE"), _("POSTS"), _("THREADS"));
		for (i = 0; i < r->nboards; i++) {
			snprintf(n1, sizeof(n1), "%lld", (long long)r->boards[i].posts);
			snprintf(n2, sizeof(n2), "%lld",
			    (long long)r->boards[i].threads);
			grid_add(&g, r->boards[i].name, r->boards[i].title, n1, n2);
		}
		grid_print(&g, stdout, 2);
		grid_free(&g);
		sysop_say("%s", "");
		grid_init(&g, 3, CELL_MAX, 1u << 2);
		grid_add(&g, _("AUTHOR"), _("NAME"), _("POSTS"));
		for (i = 0; i < r->nauthors; i++) {
			snprintf(n1, sizeof(n1), "%lld", (long long)r->authors[i].posts);
			grid_add(&g, r->authors[i].login, r->authors[i].name, n1);
		}
		grid_print(&g, stdout, 2);
		grid_free(&g);
	}
	report_free(r);
	return 0;
}

enum { BACKUP_OPT_KEEP };
#define BACKUP_KEEP_MAX	1000

/* backup --keep N DIR: a dated copy in DIR, the last N kept. */
static int
cmd_backup_keep(struct sysop *s, const char *keep, const char *dir)
{
	struct backup_result r;
	char		*end, *cause = NULL;
	long		 n;

	errno = 0;
	n = strtol(keep, &end, 10);
	if (errno != 0 || end == keep || *end != '\0' || n < 1 ||
	    n > BACKUP_KEEP_MAX) {
		sysop_err(_("--keep: a number of copies from 1 to %d"),
		    BACKUP_KEEP_MAX);
		return -1;
	}
	if (backup_run(s->st, dir, (int)n, &r, &cause) != 0) {
		sysop_err(_("the backup failed: %s"), cause);
		free(cause);
		return -1;
	}
	sysop_say(_("The store and its library files are copied to %s "
	    "(%lld files copied, %lld linked from the previous copy)."),
	    r.path, (long long)r.copied, (long long)r.linked);
	if (r.missing > 0)
		sysop_err(_("%lld library files named in the store are missing "
		    "from the data directory; see \"library verify\""),
		    (long long)r.missing);
	if (r.removed > 0)
		sysop_say(_("Older copies removed: %d; %ld are kept."), r.removed, n);
	backup_result_clear(&r);
	return 0;
}

static int
cmd_backup(struct sysop *s, struct sysop_args *a)
{
	struct stat	 sb;
	char		*cause = NULL;

	if (a->opt[BACKUP_OPT_KEEP] != NULL)
		return cmd_backup_keep(s, a->opt[BACKUP_OPT_KEEP], a->argv[0]);
	/* store_backup() checks too, but its message is not translated. */
	if (stat(a->argv[0], &sb) == 0) {
		sysop_err(_("%s exists already; not overwriting it"), a->argv[0]);
		return -1;
	}
	if (store_backup(s->st, a->argv[0], &cause) != 0) {
		sysop_err("%s", cause);
		free(cause);
		return -1;
	}
	sysop_say(_("The store is copied to %s."), a->argv[0]);
	return 0;
}

static int
cmd_unblock(struct sysop *s, struct sysop_args *a)
{
	const char	*addr = a->argv[0];
	int64_t		 left;
	int		 rc;

	if ((rc = text_check(addr, ADDR_MAX, 0)) != 0) {
		sysop_err("%s: %s", addr, _(perr_str(rc)));
		return -1;
	}
	if ((left = throttle_blocked(s->st, addr)) < 0)
		return fail((int)left);
	if ((rc = store_begin(s->st)) == 0) {
		if ((rc = throttle_clear(s->st, addr)) == 0 &&
		    (rc = audit_log(s->st, s->actor, "unblock", addr, NULL)) == 0)
			rc = store_commit(s->st);
		if (rc != 0)
			store_rollback(s->st);
	}
	if (rc != 0)
		return fail(rc);
	if (left > 0)
		sysop_say(_("%s is unblocked."), addr);
	else
		sysop_say(_("%s was not blocked; its failed logins are "
		    "forgotten."), addr);
	return 0;
}

/* search QUERY... [--board B]: the posts a moderator looks for, best
 * first, with the post id that "hide" takes.  library search: the items,
 * with the id "library remove" takes.  Both print the same six columns. */
enum { SEARCH_OPT_BOARD };
enum { LIBSEARCH_OPT_SECTION };
#define SEARCH_CONSOLE_LIMIT	100
#define SEARCH_SUBJECT_COLS	30

/* The heads of the columns: number, place, subject, author, date, text.
 * The console searches no mail. */
static const char *const search_heads[][6] = {
	[SEARCH_POSTS] = { N_("POST"), N_("BOARD"), N_("THREAD"), N_("AUTHOR"),
	    N_("DATE"), N_("TEXT") },
	[SEARCH_LIBRARY] = { N_("ID"), N_("SECTION"), N_("TITLE"),
	    N_("AUTHOR"), N_("DATE"), N_("TEXT") },
};

/* Run q as the console and print its hits, the found words in [[ ]].
 * 0, or -1 (reported). */
static int
search_print(struct sysop *s, struct search_query *q)
{
	const char *const	*head = search_heads[q->source];
	struct search_hit	*h = NULL;
	struct grid		 g;
	char			*subj, *snip;
	char			 id[24], t[32];
	size_t			 n = 0, i;
	int			 rc;

	q->user_id = 0;
	q->role = ROLE_SYSOP;
	q->limit = SEARCH_CONSOLE_LIMIT;
	if ((rc = search_run(s->st, q, &h, &n)) != 0) {
		sysop_err(_("search \"%s\": %s"), q->text, _(perr_str(rc)));
		return -1;
	}
	grid_init(&g, 6, 0, 1u << 0);
	grid_add(&g, _(head[0]), _(head[1]), _(head[2]), _(head[3]),
	    _(head[4]), _(head[5]));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)h[i].id);
		subj = cell_new(h[i].subject, SEARCH_SUBJECT_COLS);
		snip = search_mark(h[i].snippet, "[[", "]]");
		grid_add(&g, id, h[i].board, subj, *h[i].author != '\0' ?
		    h[i].author : "-", text_date(h[i].created_at, TEXT_DATE_ISO_MINUTE, t, sizeof(t)),
		    snip);
		free(subj);
		free(snip);
	}
	grid_list(&g, _("Nothing found."));
	search_hits_free(h, n);
	return 0;
}

static int
cmd_search(struct sysop *s, struct sysop_args *a)
{
	struct search_query	 q = { 0 };
	char			*text = join(a->argc, a->argv);
	const char		*board = a->opt[SEARCH_OPT_BOARD];
	int			 rc, ret = -1;

	q.text = text;
	q.source = SEARCH_POSTS;
	if (board != NULL && (rc = search_find_board(s->st, board, ROLE_SYSOP,
	    0, &q.board_id)) != 0) {
		sysop_err(_("board \"%s\": %s"), board, _(perr_str(rc)));
		goto out;
	}
	ret = search_print(s, &q);
out:
	free(text);
	return ret;
}

/* library search QUERY... [--section S]: every item, pending ones too. */
static int
cmd_library_search(struct sysop *s, struct sysop_args *a)
{
	struct search_query	 q = { 0 };
	char			*text = join(a->argc, a->argv), *name = NULL;
	const char		*section = a->opt[LIBSEARCH_OPT_SECTION];
	int			 rc, ret = -1;

	q.text = text;
	q.source = SEARCH_LIBRARY;
	if (section != NULL &&
	    (rc = search_find_section(s->st, section, &name)) != 0) {
		sysop_err(_("section \"%s\": %s"), section, _(perr_str(rc)));
		goto out;
	}
	q.section = name;
	ret = search_print(s, &q);
out:
	free(name);
	free(text);
	return ret;
}

/* ---- boards, posts, mail, news, polls ------------------------------ */

/*
 * Read all of standard input into *out (NUL-terminated, caller frees),
 * taken as text from a file (text_from_file: CRLF and CR become LF,
 * tabs spaces).  0, or PERR_POST_SIZE when it holds more than max bytes.
 *
 * On a terminal the sysop is first told how to end the text (hint, a
 * message id, says what to type): a line holding only "." ends it, as
 * in mail(1), or Ctrl-D at the start of a line; the console then goes on
 * reading commands.  From a pipe or a file every line is text, to the
 * end.
 */
static int
read_stdin(char **out, size_t max, const char *hint)
{
	size_t	 len = 0, cap = 4096, n, lcap = 0;
	char	*buf = xmalloc(cap), *text, *line = NULL;
	ssize_t	 ll;
	int	 tty = isatty(STDIN_FILENO);

	*out = NULL;
	if (tty)
		sysop_say("%s %s", _(hint), _("End it with a line holding only"
		    " a dot, or Ctrl-D at the start of a line."));
	for (;;) {
		if (tty) {	/* line by line, to see the dot */
			if ((ll = getline(&line, &lcap, stdin)) <= 0)
				break;
			if (strcmp(line, ".\n") == 0 || strcmp(line, ".") == 0)
				break;
			n = (size_t)ll;
			while (len + n + 1 >= cap)
				buf = xrealloc(buf, cap *= 2);
			memcpy(buf + len, line, n);
		} else {
			if (len + 1 >= cap)
				buf = xrealloc(buf, cap *= 2);
			n = fread(buf + len, 1, cap - len - 1, stdin);
			if (n == 0)
				break;
		}
		len += n;
		if (len > max) {
			free(buf);
			free(line);
			if (tty)
				clearerr(stdin);
			return PERR_POST_SIZE;
		}
	}
	free(line);
	if (tty)
		clearerr(stdin);	/* Ctrl-D: the console reads on */
	buf[len] = '\0';
	text = text_from_file(buf);
	free(buf);
	/* One trailing newline is the shell's, not the author's. */
	len = strlen(text);
	while (len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	*out = text;
	return 0;
}

/*
 * Report what is wrong with text given for field (NULL when it was not
 * read); returns -1.  A character that may not be stored is named, with
 * its line when the text is a file's (multiline), so that it can be
 * found and mended.
 */
static int
fail_text(const char *field, const char *text, int multiline, int rc)
{
	const char	*name;
	size_t		 line;
	int32_t		 cp;

	if ((rc != PERR_CONTROL && rc != PERR_UTF8) || text == NULL ||
	    text_find_bad(text, &line, &cp) != rc)
		return fail_field(field, rc);
	/* Every character text_check refuses has an abbreviation. */
	if ((name = text_control_name(cp)) == NULL)
		name = "?";
	if (rc == PERR_UTF8 && multiline)
		sysop_err(_("%s: line %zu: byte 0x%02X is not UTF-8 (convert the"
		    " file with iconv)"), field, line, (unsigned)cp);
	else if (rc == PERR_UTF8)
		sysop_err(_("%s: byte 0x%02X is not UTF-8"), field, (unsigned)cp);
	else if (multiline)
		sysop_err(_("%s: line %zu: control character U+%04X (%s)"), field,
		    line, (unsigned)cp, name);
	else
		sysop_err(_("%s: control character U+%04X (%s)"), field,
		    (unsigned)cp, name);
	return -1;
}

/* board edit NAME FIELD VALUE... */
static int
cmd_board_edit(struct sysop *s, struct sysop_args *a)
{
	char	*value = join(a->argc - 2, a->argv + 2);
	int	 rc;

	rc = board_edit(s->st, a->argv[0], a->argv[1], value, s->actor);
	free(value);
	if (rc == PERR_NOTFOUND) {
		sysop_err(_("no board named \"%s\""), a->argv[0]);
		return -1;
	}
	if (rc != 0)
		return fail_field(a->argv[1], rc);
	sysop_say(_("Board %s: %s is changed."), a->argv[0], a->argv[1]);
	return 0;
}

static int
cmd_board_remove(struct sysop *s, struct sysop_args *a)
{
	int	 rc = board_remove(s->st, a->argv[0], s->actor);

	if (rc == PERR_NOTFOUND) {
		sysop_err(_("no board named \"%s\""), a->argv[0]);
		return -1;
	}
	if (rc != 0) {
		sysop_err("%s: %s", a->argv[0], _(perr_str(rc)));
		return -1;
	}
	sysop_say(_("Board %s is removed."), a->argv[0]);
	return 0;
}

/* board coordinator BOARD USER [--remove] */
static int
cmd_board_coordinator(struct sysop *s, struct sysop_args *a)
{
	int	 on = a->opt[0] == NULL, rc;

	rc = board_coordinator(s->st, a->argv[0], a->argv[1], on, s->actor);
	if (rc == PERR_NOTFOUND) {
		sysop_err(_("no board named \"%s\""), a->argv[0]);
		return -1;
	}
	if (rc == PERR_NO_USER)
		return fail_user(a->argv[1], PERR_NOTFOUND);
	if (rc != 0)
		return fail(rc);
	if (on)
		sysop_say(_("%s coordinates board %s."), a->argv[1], a->argv[0]);
	else
		sysop_say(_("%s no longer coordinates board %s."), a->argv[1],
		    a->argv[0]);
	return 0;
}

/* The account named by --as, or none (0) when absent. */
static int
sysop_as(struct sysop *s, const char *login, int64_t *id)
{
	struct user	*u = NULL;
	int		 rc;

	*id = 0;
	if (login == NULL)
		return 0;
	if ((rc = user_get(s->st, login, &u)) != 0)
		return fail_user(login, rc);
	*id = u->id;
	user_free(u);
	return 0;
}

/* post BOARD --as USER --subject TEXT, the body on stdin */
static int
cmd_post(struct sysop *s, struct sysop_args *a)
{
	struct board	*b = NULL;
	char		*body = NULL;
	int64_t		 author, tid = 0, pid = 0;
	int		 rc;

	if (sysop_as(s, a->opt[0], &author) != 0)
		return -1;
	if ((rc = board_get_for(s->st, NULL, a->argv[0], 0, &b)) != 0) {
		sysop_err(_("no board named \"%s\""), a->argv[0]);
		return -1;
	}
	if ((rc = post_check_subject(a->opt[1])) != 0) {
		board_free(b);
		return fail_text(_("subject"), a->opt[1], 0, rc);
	}
	if ((rc = read_stdin(&body, POST_BODY_MAX,
	    N_("Type the post."))) == 0)
		rc = post_check_body(body);
	if (rc == 0)
		rc = post_thread_new(s->st, NULL, author, b->id, a->opt[1], body,
		    &tid, &pid);
	board_free(b);
	if (rc != 0) {
		fail_text(_("text"), body, 1, rc);
		free(body);
		return -1;
	}
	free(body);
	sysop_say(_("Posted: thread %lld, post %lld."), (long long)tid,
	    (long long)pid);
	return 0;
}

/* hide POST [REASON...] */
static int
cmd_hide(struct sysop *s, struct sysop_args *a)
{
	char	*reason = join(a->argc - 1, a->argv + 1), *end;
	long long id = strtoll(a->argv[0], &end, 10);
	int	 rc;

	if (*a->argv[0] == '\0' || *end != '\0' || id <= 0)
		rc = PERR_NUMBER;
	else
		rc = post_hide(s->st, NULL, s->actor, id, reason);
	free(reason);
	if (rc == PERR_NOTFOUND) {
		sysop_err(_("no post %s"), a->argv[0]);
		return -1;
	}
	if (rc != 0)
		return fail(rc);
	sysop_say(_("Post %lld is hidden."), id);
	return 0;
}

/* A positive number in s into *id: 0, or -1 (reported). */
static int
parse_id(const char *s, int64_t *id)
{
	char		*end;
	long long	 v = strtoll(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v <= 0) {
		sysop_err("%s: %s", s, _(perr_str(PERR_NUMBER)));
		return -1;
	}
	*id = v;
	return 0;
}

/* news list: every item, newest first, with its number. */
static int
cmd_news_list(struct sysop *s, struct sysop_args *a)
{
	struct news_item	*v = NULL;
	struct grid		 g;
	char			 id[24], t[32];
	size_t			 n = 0, i;
	int			 rc;

	(void)a;
	if ((rc = news_list(s->st, 0, &v, &n)) != 0)
		return fail(rc);
	grid_init(&g, 4, CELL_MAX, 1u);
	grid_add(&g, _("ID"), _("DATE"), _("AUTHOR"), _("TITLE"));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)v[i].id);
		grid_add(&g, id, text_date(v[i].created_at, TEXT_DATE_ISO_DAY, t,
		    sizeof(t)), *v[i].author != '\0' ? v[i].author :
		    _("(console)"), v[i].title);
	}
	grid_list(&g, _("There is no news."));
	news_list_free(v, n);
	return 0;
}

/* news remove ID */
static int
cmd_news_remove(struct sysop *s, struct sysop_args *a)
{
	int64_t	 id;
	int	 rc;

	if (parse_id(a->argv[0], &id) != 0)
		return -1;
	if ((rc = news_remove(s->st, id, s->actor)) == PERR_NOTFOUND) {
		sysop_err(_("no news %s"), a->argv[0]);
		return -1;
	}
	if (rc != 0)
		return fail(rc);
	sysop_say(_("News %lld is removed."), (long long)id);
	return 0;
}

/* poll list BOARD: its polls, their numbers, state and voters. */
static int
cmd_poll_list(struct sysop *s, struct sysop_args *a)
{
	struct board	*b = NULL;
	struct poll	*v = NULL;
	struct grid	 g;
	char		 id[24], voters[24], t[32];
	size_t		 n = 0, i;
	int		 rc;

	if ((rc = board_get_for(s->st, NULL, a->argv[0], 0, &b)) != 0) {
		sysop_err(_("no board named \"%s\""), a->argv[0]);
		return -1;
	}
	rc = poll_list(s->st, NULL, b->id, &v, &n);
	board_free(b);
	if (rc != 0)
		return fail(rc);
	grid_init(&g, 5, CELL_MAX, 1u | 1u << 3);
	grid_add(&g, _("ID"), _("CLOSES"), _("STATE"), _("VOTERS"),
	    _("QUESTION"));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)v[i].id);
		snprintf(voters, sizeof(voters), "%lld", (long long)v[i].voters);
		grid_add(&g, id, v[i].closes_at != 0 ? text_date(v[i].closes_at,
		    TEXT_DATE_ISO_DAY, t, sizeof(t)) : "-", v[i].closed ?
		    _("closed") : _("open"), voters, v[i].question);
	}
	grid_list(&g, _("The board has no polls."));
	poll_list_free(v, n);
	return 0;
}

/* poll close ID, poll remove ID (rm) */
static int
poll_close_or_remove(struct sysop *s, struct sysop_args *a, int rm)
{
	int64_t	 id;
	int	 rc;

	if (parse_id(a->argv[0], &id) != 0)
		return -1;
	rc = rm ? poll_remove(s->st, id, s->actor) :
	    poll_close(s->st, id, s->actor);
	if (rc == PERR_NOTFOUND) {
		sysop_err(_("no poll %s"), a->argv[0]);
		return -1;
	}
	if (rc != 0)
		return fail(rc);
	sysop_say(rm ? _("Poll %lld is removed, with its votes.") :
	    _("Poll %lld is closed; its votes are kept."), (long long)id);
	return 0;
}

static int
cmd_poll_close(struct sysop *s, struct sysop_args *a)
{
	return poll_close_or_remove(s, a, 0);
}

static int
cmd_poll_remove(struct sysop *s, struct sysop_args *a)
{
	return poll_close_or_remove(s, a, 1);
}

/* unhide POST: undo hide, audited alike. */
static int
cmd_unhide(struct sysop *s, struct sysop_args *a)
{
	char		*end;
	long long	 id = strtoll(a->argv[0], &end, 10);
	int		 rc;

	if (*a->argv[0] == '\0' || *end != '\0' || id <= 0)
		rc = PERR_NUMBER;
	else
		rc = post_unhide(s->st, NULL, s->actor, id);
	if (rc == PERR_NOTFOUND) {
		sysop_err(_("no post %s"), a->argv[0]);
		return -1;
	}
	if (rc == PERR_NOT_HIDDEN) {
		sysop_err(_("post %s is not hidden"), a->argv[0]);
		return -1;
	}
	if (rc != 0)
		return fail(rc);
	sysop_say(_("Post %lld is shown again."), id);
	return 0;
}

/* broadcast --subject TEXT [--role ROLE] [--as USER], the body on stdin */
static int
cmd_broadcast(struct sysop *s, struct sysop_args *a)
{
	char	*body = NULL;
	int64_t	 from;
	size_t	 n = 0;
	int	 role = -1, rc;

	if (a->opt[1] != NULL && (role = role_parse(a->opt[1])) < 0)
		return fail(PERR_ROLE);
	if (sysop_as(s, a->opt[2], &from) != 0)
		return -1;
	if ((rc = post_check_subject(a->opt[0])) != 0)
		return fail_text(_("subject"), a->opt[0], 0, rc);
	if ((rc = read_stdin(&body, POST_BODY_MAX,
	    N_("Type the letter."))) == 0)
		rc = mail_broadcast(s->st, from, role, a->opt[0], body, &n);
	if (rc != 0) {
		fail_text(_("text"), body, 1, rc);
		free(body);
		return -1;
	}
	free(body);
	if (audit_log(s->st, s->actor, "broadcast", a->opt[1] != NULL ?
	    a->opt[1] : "all", a->opt[0]) != 0)
		return fail(PERR_DB);
	sysop_say(_("The letter is sent to %zu accounts."), n);
	return 0;
}

/* news --subject TEXT [--as USER], the body on stdin */
static int
cmd_news(struct sysop *s, struct sysop_args *a)
{
	char	*body = NULL;
	int64_t	 author;
	int	 rc;

	if (sysop_as(s, a->opt[1], &author) != 0)
		return -1;
	if ((rc = post_check_subject(a->opt[0])) != 0)
		return fail_text(_("subject"), a->opt[0], 0, rc);
	if ((rc = read_stdin(&body, POST_BODY_MAX,
	    N_("Type the news."))) == 0)
		rc = news_add(s->st, author, a->opt[0], body, s->actor, NULL);
	if (rc != 0) {
		fail_text(_("text"), body, 1, rc);
		free(body);
		return -1;
	}
	free(body);
	sysop_say("%s", _("The news is published."));
	return 0;
}

/* poll add BOARD --question TEXT --closes DATE [--multiple], one option
 * per line on stdin */
static int
cmd_poll_add(struct sysop *s, struct sysop_args *a)
{
	struct board	*b = NULL;
	const char	*opts[POLL_OPTIONS_MAX];
	char		*in = NULL, *line, *save = NULL;
	int64_t		 closes;
	size_t		 n = 0;
	int		 rc;

	if ((rc = board_get_for(s->st, NULL, a->argv[0], 0, &b)) != 0) {
		sysop_err(_("no board named \"%s\""), a->argv[0]);
		return -1;
	}
	if ((rc = poll_parse_date(a->opt[1], &closes)) != 0) {
		board_free(b);
		return fail_field("--closes", rc);
	}
	if ((rc = read_stdin(&in, 64 * 1024,
	    N_("Type the answers, one per line."))) == 0) {
		for (line = strtok_r(in, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			if (*text_trim(line) == '\0')
				continue;
			if (n == POLL_OPTIONS_MAX) {
				rc = PERR_POLL_OPTIONS;
				break;
			}
			opts[n++] = line;
		}
	}
	if (rc == 0)
		rc = poll_add(s->st, NULL, s->actor, b->id, a->opt[0], opts, n,
		    a->opt[2] != NULL, closes, NULL);
	free(in);
	board_free(b);
	if (rc != 0)
		return fail(rc);
	sysop_say(_("The poll is open on board %s."), a->argv[0]);
	return 0;
}

static int
cmd_help(struct sysop *s, struct sysop_args *a)
{
	(void)s;
	return sysop_help(stdout, a->argc, a->argv);
}

static int
cmd_quit(struct sysop *s, struct sysop_args *a)
{
	(void)a;
	s->done = 1;
	return 0;
}

/* ---- the library (issue 5) ---------------------------------------- */

/* "10M", "500K", "2G" or plain bytes: 0 and *out, or -1 (reported). */
static int
parse_bytes(const char *s, int64_t *out)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v < 0)
		goto bad;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end != '\0' || v < 0)
		goto bad;
	*out = v;
	return 0;
bad:
	sysop_err(_("\"%s\" is not a size (bytes, or with K, M or G)"), s);
	return -1;
}

/* The item id in s: 0 and *id, or -1 (reported). */
static int
parse_item(const char *s, int64_t *id)
{
	char	*end;

	*id = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || *id <= 0) {
		sysop_err(_("\"%s\" is not an item number"), s);
		return -1;
	}
	return 0;
}

static int
fail_item(const char *arg, int rc)
{
	if (rc == PERR_NOTFOUND)
		sysop_err(_("no library item %s"), arg);
	else
		sysop_err("%s: %s", arg, _(perr_str(rc)));
	return -1;
}

enum { LIB_OPT_PENDING, LIB_OPT_SECTION };

/* library list [--pending] [--section NAME] */
/* n bytes as ls -h shows them: "812", "1.5K", "300K", "2.1G"; rounded up,
 * so a file is never shown smaller than it is. */
static const char *
size_human(int64_t n, char *buf, size_t size)
{
	static const char	 suffix[] = "KMGT";
	int64_t			 unit = 1024;
	size_t			 i;

	if (n < 1024) {
		snprintf(buf, size, "%lld", (long long)n);
		return buf;
	}
	for (i = 0; i + 1 < sizeof(suffix) - 1 && n >= unit * 1024; i++)
		unit *= 1024;
	if (n < unit * 10)	/* one decimal, in tenths, rounded up */
		snprintf(buf, size, "%lld.%lld%c",
		    (long long)((n * 10 + unit - 1) / unit / 10),
		    (long long)((n * 10 + unit - 1) / unit % 10), suffix[i]);
	else
		snprintf(buf, size, "%lld%c", (long long)((n + unit - 1) / unit),
		    suffix[i]);
	return buf;
}

static int
cmd_library_list(struct sysop *s, struct sysop_args *a)
{
	struct lib_viewer v = { 0, ROLE_SYSOP };
	struct lib_filter f;
	struct lib_item	*it;
	struct grid	 g;
	char		 id[24], dl[24], sz[24];
	const char	*state;
	size_t		 n, i;
	int		 rc;

	memset(&f, 0, sizeof(f));
	f.pending_only = a->opt[LIB_OPT_PENDING] != NULL;
	f.section = a->opt[LIB_OPT_SECTION];
	if ((rc = library_list(s->st, &v, &f, &it, &n)) != 0)
		return fail(rc);
	grid_init(&g, 7, CELL_MAX, 1u << 0 | 1u << 3 | 1u << 4);
	grid_add(&g, _("ID"), _("SECTION"), _("STATE"), _("SIZE"),
	    _("DOWNLOADS"), _("FILE OR LINK"), _("TITLE"));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)it[i].id);
		snprintf(dl, sizeof(dl), "%lld", (long long)it[i].downloads);
		state = it[i].approved_at == 0 ? _("pending") :
		    it[i].recommended_at != 0 ? _("recommended") : _("approved");
		if (*it[i].filename != '\0')
			size_human(it[i].size, sz, sizeof(sz));
		else
			strlcpy_p(sz, "-", sizeof(sz));
		grid_add(&g, id, it[i].section, state, sz, dl,
		    *it[i].filename != '\0' ? it[i].filename : it[i].url,
		    it[i].title);
	}
	grid_list(&g, _("The library has no such items."));
	library_list_free(it, n);
	return 0;
}

static int
cmd_library_approve(struct sysop *s, struct sysop_args *a)
{
	int64_t	 id;
	int	 rc;

	if (parse_item(a->argv[0], &id) != 0)
		return -1;
	if ((rc = library_approve(s->st, id, 0, s->actor)) == PERR_EXISTS) {
		sysop_err(_("item %s is approved already"), a->argv[0]);
		return -1;
	}
	if (rc != 0)
		return fail_item(a->argv[0], rc);
	sysop_say(_("Item %s is approved."), a->argv[0]);
	return 0;
}

static int
cmd_library_remove(struct sysop *s, struct sysop_args *a)
{
	int64_t	 id;
	int	 rc;

	if (parse_item(a->argv[0], &id) != 0)
		return -1;
	if ((rc = library_remove(s->st, id, s->actor)) != 0)
		return fail_item(a->argv[0], rc);
	sysop_say(_("Item %s is removed."), a->argv[0]);
	return 0;
}

/* library add SECTION FILE --as USER --title TITLE [--description TEXT]
 * [--grades GRADES] [--tags TAGS] [--force]: the sysop puts a file of
 * the server's (a normative document, say) into the library, approved;
 * --force takes a system or a private file (library_import's rule). */
enum { LIB_OPT_AS, LIB_OPT_TITLE, LIB_OPT_DESC, LIB_OPT_GRADES, LIB_OPT_TAGS,
    LIB_OPT_FORCE };

static int
cmd_library_add(struct sysop *s, struct sysop_args *a)
{
	static const struct { const char *name, *label; } fields[] = {
		{ "section", N_("section") }, { "title", N_("title") },
		{ "description", N_("description") }, { "grades", N_("grades") },
		{ "tags", N_("tags") },
	};
	struct lib_meta	 m;
	const char	*bad = NULL;
	int64_t		 uploader, id;
	size_t		 i;
	int		 rc;

	if (sysop_as(s, a->opt[LIB_OPT_AS], &uploader) != 0)
		return -1;
	m.section = a->argv[0];
	m.title = a->opt[LIB_OPT_TITLE];
	m.description = a->opt[LIB_OPT_DESC] != NULL ? a->opt[LIB_OPT_DESC] : "";
	m.grades = a->opt[LIB_OPT_GRADES] != NULL ? a->opt[LIB_OPT_GRADES] : "";
	m.tags = a->opt[LIB_OPT_TAGS] != NULL ? a->opt[LIB_OPT_TAGS] : "";
	rc = library_import(s->st, uploader, a->argv[1],
	    a->opt[LIB_OPT_FORCE] != NULL, &m, s->actor, &id, &bad);
	if (rc == PERR_NOTFOUND) {
		sysop_err(_("%s: no such file"), a->argv[1]);
		return -1;
	}
	if (rc == PERR_LIB_SPECIAL || rc == PERR_LIB_DATA ||
	    rc == PERR_LIB_SYSTEM || rc == PERR_LIB_PRIVATE) {
		sysop_err("%s: %s", a->argv[1], _(perr_str(rc)));
		return -1;
	}
	if (rc == PERR_LIB_SECTION) {
		sysop_err(_("no library section named \"%s\""), a->argv[0]);
		return -1;
	}
	for (i = 0; bad != NULL && i < nitems(fields); i++)
		if (strcmp(bad, fields[i].name) == 0)
			return fail_field(_(fields[i].label), rc);
	if (rc != 0)
		return fail_field(a->argv[1], rc);
	sysop_say(_("Item %lld is in the library."), (long long)id);
	return 0;
}

enum { LIB_OPT_BY };

/* library recommend ID [--by LOGIN] REVIEW... */
static int
cmd_library_recommend(struct sysop *s, struct sysop_args *a)
{
	struct user	*u = NULL;
	const char	*by = a->opt[LIB_OPT_BY];
	char		*review;
	int64_t		 id;
	int		 rc;

	if (parse_item(a->argv[0], &id) != 0)
		return -1;
	if (by != NULL && (rc = user_get(s->st, by, &u)) != 0)
		return fail_user(by, rc);
	review = join(a->argc - 1, a->argv + 1);
	rc = library_recommend(s->st, id, u != NULL ? u->id : 0, review,
	    s->actor);
	free(review);
	user_free(u);
	if (rc == PERR_NOTFOUND || rc == PERR_DB)
		return fail_item(a->argv[0], rc);
	if (rc != 0)
		return fail_field(_("review"), rc);
	sysop_say(_("Item %s is recommended."), a->argv[0]);
	return 0;
}

static void
verify_report(const char *sha, enum blob_problem p, void *arg)
{
	static const char *const what[] = {
		[BLOB_MISSING] = N_("missing"),
		[BLOB_SIZE] = N_("damaged: wrong size"),
		[BLOB_HASH] = N_("damaged: the contents do not match the hash"),
		[BLOB_STRAY] = N_("not in the store (left over?)"),
	};

	(void)arg;
	sysop_say("files/%s: %s", sha, _(what[p]));
}

static int
cmd_library_verify(struct sysop *s, struct sysop_args *a)
{
	int64_t	 checked;
	int	 problems;

	(void)a;
	if ((problems = blob_verify(s->st, verify_report, NULL, &checked)) < 0)
		return fail(problems);
	sysop_say(_("%lld files checked, %d problems."), (long long)checked,
	    problems);
	if (problems > 0) {
		sysop_err(_("the library has missing or damaged files"));
		return -1;
	}
	return 0;
}

/* library quota BYTES | library quota LOGIN [BYTES|none] */
/* n bytes as "100M", "300K", "2G" when exact, else "1234567 bytes":
 * as the sysop types them. */
static const char *
size_str(int64_t n, char *buf, size_t size)
{
	static const struct { int64_t unit; const char *suffix; } u[] = {
		{ 1LL << 30, "G" }, { 1LL << 20, "M" }, { 1LL << 10, "K" },
	};
	size_t	 i;

	for (i = 0; i < nitems(u); i++)
		if (n > 0 && n % u[i].unit == 0) {
			snprintf(buf, size, "%lld%s", (long long)(n / u[i].unit),
			    u[i].suffix);
			return buf;
		}
	snprintf(buf, size, _("%lld bytes"), (long long)n);
	return buf;
}

static int
cmd_library_quota(struct sysop *s, struct sysop_args *a)
{
	struct user	*u = NULL;
	int64_t		 bytes, quota, maxsize, used;
	char		 b1[32], b2[32], b3[32];
	int		 rc;

	if (a->argc == 0) {
		if ((rc = library_limits(s->st, 0, &quota, &maxsize)) != 0)
			return fail(rc);
		sysop_say(_("The default library quota is %s; the largest file"
		    " %s."), size_str(quota, b1, sizeof(b1)),
		    size_str(maxsize, b2, sizeof(b2)));
		return 0;
	}
	if (a->argc == 1 && a->argv[0][0] >= '0' && a->argv[0][0] <= '9') {
		if (parse_bytes(a->argv[0], &bytes) != 0)
			return -1;
		if ((rc = library_set_quota(s->st, 0, bytes, s->actor)) != 0)
			return fail(rc);
		sysop_say(_("The default library quota is %s."),
		    size_str(bytes, b1, sizeof(b1)));
		return 0;
	}
	if ((rc = user_get(s->st, a->argv[0], &u)) != 0)
		return fail_user(a->argv[0], rc);
	if (a->argc == 2) {
		if (strcmp(a->argv[1], "none") == 0)
			bytes = -1;
		else if (parse_bytes(a->argv[1], &bytes) != 0) {
			user_free(u);
			return -1;
		}
		if ((rc = library_set_quota(s->st, u->id, bytes, s->actor)) != 0) {
			user_free(u);
			return fail(rc);
		}
	}
	if ((rc = library_limits(s->st, u->id, &quota, &maxsize)) != 0 ||
	    (rc = library_used(s->st, u->id, &used)) != 0) {
		user_free(u);
		return fail(rc);
	}
	sysop_say(_("%s: quota %s, %s used; largest file %s."), u->login,
	    size_str(quota, b1, sizeof(b1)), size_str(used, b2, sizeof(b2)),
	    size_str(maxsize, b3, sizeof(b3)));
	user_free(u);
	return 0;
}

static int
cmd_library_maxsize(struct sysop *s, struct sysop_args *a)
{
	char	 b1[32];
	int64_t	 bytes;
	int	 rc;

	if (parse_bytes(a->argv[0], &bytes) != 0)
		return -1;
	if ((rc = library_set_maxsize(s->st, bytes, s->actor)) != 0)
		return fail(rc);
	sysop_say(_("The library accepts files up to %s."),
	    size_str(bytes, b1, sizeof(b1)));
	return 0;
}

enum { LIB_OPT_APPROVAL };

/* library section add NAME TITLE [--approval] */
static int
cmd_library_section_add(struct sysop *s, struct sysop_args *a)
{
	const char	*name = a->argv[0];
	int		 rc;

	if (board_check_name(name) != 0) {
		sysop_err(_("section name \"%s\": %s"), name,
		    _(perr_str(PERR_BOARD_NAME)));
		return -1;
	}
	rc = library_section_add(s->st, name, a->argv[1],
	    a->opt[LIB_OPT_APPROVAL] != NULL, s->actor);
	if (rc == PERR_EXISTS) {
		sysop_err(_("a library section named \"%s\" exists already"), name);
		return -1;
	}
	if (rc != 0)
		return fail_field(_("title"), rc);
	sysop_say(_("Library section %s is added."), name);
	return 0;
}

static int
cmd_library_section_list(struct sysop *s, struct sysop_args *a)
{
	struct lib_section *sec;
	struct grid	 g;
	char		 items[24];
	size_t		 n, i;
	int		 rc;

	(void)a;
	if ((rc = library_section_list(s->st, &sec, &n)) != 0)
		return fail(rc);
	grid_init(&g, 4, CELL_MAX, 1u << 3);
	grid_add(&g, _("NAME"), _("TITLE"), _("APPROVAL"), _("ITEMS"));
	for (i = 0; i < n; i++) {
		snprintf(items, sizeof(items), "%lld", (long long)sec[i].items);
		grid_add(&g, sec[i].name, sec[i].title,
		    sec[i].approval ? _("yes") : _("no"), items);
	}
	grid_list(&g, _("The library has no sections yet."));
	library_section_list_free(sec, n);
	return 0;
}

const struct sysop_cmd sysop_cmds[] = {
	{ { "user", "list" }, "[--pending]", 0, 0,
	  { { "--pending", 0, 0, ARG_NONE } }, { ARG_NONE },
	  cmd_user_list, N_("list accounts, or only those awaiting approval"), 0 },
	{ { "user", "approve" }, "NAME", 1, 1, { { NULL } }, { ARG_USER },
	  cmd_user_approve, N_("approve a pending account (role teacher)"), 0 },
	{ { "user", "reject" }, "NAME [REASON...]", 1, -1, { { NULL } },
	  { ARG_USER }, cmd_user_reject,
	  N_("reject a pending account, saying why"), 0 },
	{ { "user", "add" },
	  "NAME --role ROLE [--name \"DISPLAY NAME\"] [--password-stdin]", 1, 1,
	  { { "--role", 1, 1, ARG_ROLE }, { "--name", 1, 0, ARG_NONE },
	    { "--password-stdin", 0, 0, ARG_NONE } }, { ARG_NONE },
	  cmd_user_add, N_("create an account; the password is asked for,"
	  " or read from a line of standard input"), 0 },
	{ { "user", "role" }, "NAME ROLE", 2, 2, { { NULL } },
	  { ARG_USER, ARG_ROLE }, cmd_user_role,
	  N_("set the role: pending, teacher, expert,"
	  " coordinator or sysop"), 0 },
	{ { "user", "ban" }, "NAME [REASON...]", 1, -1, { { NULL } },
	  { ARG_USER }, cmd_user_ban,
	  N_("ban an account: it is kept but cannot log in"), 0 },
	{ { "user", "unban" }, "NAME", 1, 1, { { NULL } }, { ARG_USER },
	  cmd_user_unban, N_("lift a ban"), 0 },
	{ { "user", "password" }, "NAME [--password-stdin]", 1, 1,
	  { { "--password-stdin", 0, 0, ARG_NONE } }, { ARG_USER },
	  cmd_user_password, N_("set an account's password; it is asked for,"
	  " or read from a line of standard input"), 0 },
	{ { "user", "edit" }, "NAME FIELD VALUE...", 3, -1, { { NULL } },
	  { ARG_USER }, cmd_user_edit,
	  N_("change an account's name, school, subjects or about"), 0 },
	{ { "user", "key", "remove" }, "NAME FINGERPRINT", 2, 2, { { NULL } },
	  { ARG_USER }, cmd_user_key_remove,
	  N_("remove one of an account's SSH keys, named by its fingerprint"
	  " or its beginning"), 0 },
	{ { "user", "delete" }, "NAME --yes", 1, 1,
	  { { "--yes", 0, 0, ARG_NONE } }, { ARG_USER }, cmd_user_delete,
	  N_("delete an account for good; its posts stay, under \"deleted"
	  " account\""), 0 },
	{ { "user", "reset" }, "NAME", 1, 1, { { NULL } }, { ARG_USER },
	  cmd_user_reset, N_("print a one-time code (valid for a day) with"
	  " which the account's owner sets a new password herself"), 0 },
	{ { "user", "key", "add" }, "NAME FILE", 2, 2, { { NULL } },
	  { ARG_USER, ARG_FILE }, cmd_user_key_add,
	  N_("add the SSH keys of an authorized_keys FILE"
	  " (-: standard input)"), 0 },
	{ { "user", "show" }, "NAME", 1, 1, { { NULL } }, { ARG_USER },
	  cmd_user_show, N_("show an account and its keys"), 0 },
	{ { "board", "add" }, "NAME TITLE [DESCRIPTION]", 2, 3, { { NULL } },
	  { ARG_NONE }, cmd_board_add,
	  N_("add a board: NAME is a Latin tag, TITLE is shown"), 0 },
	{ { "board", "list" }, "", 0, 0, { { NULL } }, { ARG_NONE },
	  cmd_board_list, N_("list the boards"), 0 },
	{ { "board", "edit" }, "NAME FIELD VALUE...", 3, -1, { { NULL } },
	  { ARG_BOARD }, cmd_board_edit,
	  N_("change a board: title, description, order, read ROLE, post ROLE,"
	  " premoderated yes|no"), 0 },
	{ { "board", "remove" }, "NAME", 1, 1, { { NULL } }, { ARG_BOARD },
	  cmd_board_remove, N_("remove a board that has no threads"), 0 },
	{ { "board", "coordinator" }, "BOARD USER [--remove]", 2, 2,
	  { { "--remove", 0, 0, ARG_NONE } }, { ARG_BOARD, ARG_USER },
	  cmd_board_coordinator,
	  N_("make USER a coordinator of BOARD, or no longer"), 0 },
	{ { "post" }, "BOARD --as USER --subject TEXT", 1, 1,
	  { { "--as", 1, 1, ARG_USER }, { "--subject", 1, 1, ARG_NONE } },
	  { ARG_BOARD }, cmd_post,
	  N_("start a thread on BOARD as USER; the text is read from stdin"), 0 },
	{ { "hide" }, "POST [REASON...]", 1, -1, { { NULL } }, { ARG_NONE },
	  cmd_hide, N_("hide a post (its thread too, if it is the first);"
	  " its author gets a letter saying why"), 0 },
	{ { "unhide" }, "POST", 1, 1, { { NULL } }, { ARG_NONE },
	  cmd_unhide, N_("show a hidden post (and its thread) again"), 0 },
	{ { "broadcast" }, "--subject TEXT [--role ROLE] [--as USER]", 0, 0,
	  { { "--subject", 1, 1, ARG_NONE }, { "--role", 1, 0, ARG_ROLE },
	    { "--as", 1, 0, ARG_USER } }, { ARG_NONE }, cmd_broadcast,
	  N_("send a letter (text on stdin) to everyone, or to a role"), 0 },
	{ { "news", "list" }, "", 0, 0, { { NULL } }, { ARG_NONE },
	  cmd_news_list, N_("list the news, newest first, with their numbers"),
	  0 },
	{ { "news", "remove" }, "ID", 1, 1, { { NULL } }, { ARG_NONE },
	  cmd_news_remove, N_("remove an item of news"), 0 },
	{ { "news" }, "--subject TEXT [--as USER]", 0, 0,
	  { { "--subject", 1, 1, ARG_NONE }, { "--as", 1, 0, ARG_USER } },
	  { ARG_NONE }, cmd_news,
	  N_("publish news (text on stdin), shown once at each user's login"), 0 },
	{ { "poll", "add" }, "BOARD --question TEXT --closes YYYY-MM-DD [--multiple]",
	  1, 1, { { "--question", 1, 1, ARG_NONE }, { "--closes", 1, 1, ARG_NONE },
	    { "--multiple", 0, 0, ARG_NONE } }, { ARG_BOARD }, cmd_poll_add,
	  N_("open a poll on BOARD; one answer per line on stdin"), 0 },
	{ { "poll", "list" }, "BOARD", 1, 1, { { NULL } }, { ARG_BOARD },
	  cmd_poll_list, N_("list a board's polls with their numbers"), 0 },
	{ { "poll", "close" }, "ID", 1, 1, { { NULL } }, { ARG_NONE },
	  cmd_poll_close, N_("close a poll now; its votes are kept"), 0 },
	{ { "poll", "remove" }, "ID", 1, 1, { { NULL } }, { ARG_NONE },
	  cmd_poll_remove, N_("remove a poll with its votes"), 0 },
	{ { "who" }, "", 0, 0, { { NULL } }, { ARG_NONE },
	  cmd_who, N_("show who is connected"), 0 },
	{ { "kick" }, "LOGIN", 1, 1, { { NULL } }, { ARG_USER },
	  cmd_kick, N_("end every session of LOGIN now (interactive and"
	  " SFTP), saying how many"), 0 },
	{ { "report" }, "[--days N] | [--from DATE] [--to DATE]"
	  " [--by week|month] [--board NAME] [--school TEXT] [--csv]", 0, 0,
	  { { "--days", 1, 0, ARG_NONE }, { "--from", 1, 0, ARG_NONE },
	    { "--to", 1, 0, ARG_NONE }, { "--by", 1, 0, ARG_NONE },
	    { "--board", 1, 0, ARG_BOARD }, { "--school", 1, 0, ARG_NONE },
	    { "--csv", 0, 0, ARG_NONE } },
	  { ARG_NONE }, cmd_report,
	  N_("activity over the last N days (7): logins, posts by board, the "
	  "most active authors, mail, the library; or, with the other options,"
	  " the community's growth period by period (active participants, new"
	  " members, posts, letters, the library) by board and by school,"
	  " with charts, or as CSV"), 0 },
	{ { "backup" }, "FILE | --keep N DIR", 1, 1,
	  { { "--keep", 1, 0, ARG_NONE } }, { ARG_FILE },
	  cmd_backup, N_("copy the store to a new FILE, also while partad runs;"
	  " with --keep, a dated copy of the store and the library's files in"
	  " DIR, keeping the last N"), 0 },
	{ { "unblock" }, "ADDR", 1, 1, { { NULL } }, { ARG_NONE },
	  cmd_unblock, N_("lift the block on an address after failed"
	  " logins"), 0 },
	{ { "search" }, "QUERY... [--board BOARD]", 1, -1,
	  { { "--board", 1, 0, ARG_BOARD } }, { ARG_NONE }, cmd_search,
	  N_("find posts: words, \"phrases\", -word to exclude, OR;"
	  " shows each post's id"), 0 },
	{ { "library", "list" }, "[--pending] [--section NAME]", 0, 0,
	  { { "--pending", 0, 0, ARG_NONE }, { "--section", 1, 0, ARG_SECTION } },
	  { ARG_NONE }, cmd_library_list,
	  N_("list library items, newest first, with their numbers"), 0 },
	{ { "library", "search" }, "QUERY... [--section SECTION]", 1, -1,
	  { { "--section", 1, 0, ARG_SECTION } }, { ARG_NONE }, cmd_library_search,
	  N_("find library items by title, description, tags or file name,"
	  " as search does posts; shows each item's number"), 0 },
	{ { "library", "add" }, "SECTION FILE --as USER --title TITLE"
	  " [--description TEXT] [--grades GRADES] [--tags TAGS] [--force]", 2, 2,
	  { { "--as", 1, 1, ARG_USER }, { "--title", 1, 1, ARG_NONE },
	    { "--description", 1, 0, ARG_NONE }, { "--grades", 1, 0, ARG_NONE },
	    { "--tags", 1, 0, ARG_NONE }, { "--force", 0, 0, ARG_NONE } },
	  { ARG_SECTION, ARG_FILE }, cmd_library_add,
	  N_("put a file of this server into the library as USER's, approved"),
	  0 },
	{ { "library", "approve" }, "ID", 1, 1, { { NULL } }, { ARG_NONE },
	  cmd_library_approve, N_("approve a pending library item"), 0 },
	{ { "library", "remove" }, "ID", 1, 1, { { NULL } }, { ARG_NONE },
	  cmd_library_remove,
	  N_("remove a library item (its file too, if no other item has it)"), 0 },
	{ { "library", "recommend" }, "ID [--by LOGIN] REVIEW...", 2, -1,
	  { { "--by", 1, 0, ARG_USER } }, { ARG_NONE }, cmd_library_recommend,
	  N_("mark an item recommended, with a short review (by an expert)"), 0 },
	{ { "library", "verify" }, "", 0, 0, { { NULL } }, { ARG_NONE },
	  cmd_library_verify,
	  N_("recheck the hash of every library file; report missing or"
	  " damaged ones"), 0 },
	{ { "library", "quota" }, "[LOGIN] [BYTES|none]", 0, 2, { { NULL } },
	  { ARG_USER }, cmd_library_quota,
	  N_("set the default quota (BYTES), or show or set one account's"
	  " (K, M, G allowed)"), 0 },
	{ { "library", "maxsize" }, "BYTES", 1, 1, { { NULL } }, { ARG_NONE },
	  cmd_library_maxsize, N_("set the largest file the library accepts"), 0 },
	{ { "library", "section", "add" }, "NAME TITLE [--approval]", 2, 2,
	  { { "--approval", 0, 0, ARG_NONE } }, { ARG_NONE },
	  cmd_library_section_add,
	  N_("add a library section; with --approval its new items wait for"
	  " an expert or coordinator"), 0 },
	{ { "library", "section", "list" }, "", 0, 0, { { NULL } }, { ARG_NONE },
	  cmd_library_section_list, N_("list the library sections"), 0 },
	{ { "help" }, "[COMMAND...]", 0, -1, { { NULL } },
	  { ARG_COMMAND, ARG_COMMAND, ARG_COMMAND }, cmd_help,
	  N_("list the commands, or explain one"), CMD_NOSTORE },
	{ { "quit" }, "", 0, 0, { { NULL } }, { ARG_NONE },
	  cmd_quit, N_("leave the console"), CMD_NOSTORE },
};
const size_t sysop_ncmds = nitems(sysop_cmds);

static size_t
cmd_nwords(const struct sysop_cmd *c)
{
	size_t	 n = 0;

	while (n < SYSOP_WORDS_MAX && c->words[n] != NULL)
		n++;
	return n;
}

/* How many of argv's first words c's words begin with. */
static size_t
cmd_match(const struct sysop_cmd *c, int argc, char **argv)
{
	size_t	 n = 0;

	while (n < SYSOP_WORDS_MAX && c->words[n] != NULL &&
	    (int)n < argc && strcmp(c->words[n], argv[n]) == 0)
		n++;
	return n;
}

/* The command whose words all start argv, or NULL. */
static const struct sysop_cmd *
cmd_find(int argc, char **argv)
{
	size_t	 i;

	for (i = 0; i < sysop_ncmds; i++)
		if (cmd_match(&sysop_cmds[i], argc, argv) ==
		    cmd_nwords(&sysop_cmds[i]))
			return &sysop_cmds[i];
	return NULL;
}

/* "user key add NAME FILE".  Caller frees. */
static char *
cmd_usage(const struct sysop_cmd *c)
{
	char	*w = join((int)cmd_nwords(c), (char **)c->words);
	char	*u;

	u = *c->synopsis != '\0' ? xasprintf("%s %s", w, c->synopsis) : xstrdup(w);
	free(w);
	return u;
}

static int
fail_usage(const struct sysop_cmd *c, const char *fmt, const char *arg)
{
	char	*u = cmd_usage(c);

	sysop_err(fmt, arg);
	sysop_err(_("usage: %s"), u);
	free(u);
	return -1;
}

/* The option of c named by arg ("--name" or "--name=value"), or NULL. */
static const struct sysop_opt *
opt_find(const struct sysop_cmd *c, const char *arg, const char **value)
{
	const char	*eq = strchr(arg, '=');
	size_t		 len = eq != NULL ? (size_t)(eq - arg) : strlen(arg), i;

	*value = eq != NULL ? eq + 1 : NULL;
	for (i = 0; i < SYSOP_OPTS_MAX && c->opts[i].name != NULL; i++)
		if (strlen(c->opts[i].name) == len &&
		    strncmp(c->opts[i].name, arg, len) == 0)
			return &c->opts[i];
	return NULL;
}

/*
 * Sort argv (after c's words) into positional arguments and c's options,
 * then check them against the row.  Options are only recognised for
 * commands that have some, so a reason may start with "--"; "--" ends
 * them.  a->argv is allocated: free it.  0, or -1 (reported).
 */
static int
cmd_parse(const struct sysop_cmd *c, int argc, char **argv,
    struct sysop_args *a)
{
	const struct sysop_opt	*o;
	const char		*value;
	int			 i, options = c->opts[0].name != NULL;
	size_t			 j;

	memset(a, 0, sizeof(*a));
	a->argv = xcalloc((size_t)argc + 1, sizeof(*a->argv));
	for (i = 0; i < argc; i++) {
		if (!options || strncmp(argv[i], "--", 2) != 0) {
			a->argv[a->argc++] = argv[i];
			continue;
		}
		if (strcmp(argv[i], "--") == 0) {
			options = 0;
			continue;
		}
		if ((o = opt_find(c, argv[i], &value)) == NULL)
			return fail_usage(c, _("unknown option %s"), argv[i]);
		if (o->has_arg && value == NULL) {
			if (i + 1 == argc)
				return fail_usage(c, _("option %s needs a value"),
				    o->name);
			value = argv[++i];
		} else if (!o->has_arg && value != NULL)
			return fail_usage(c, _("option %s takes no value"),
			    o->name);
		a->opt[o - c->opts] = o->has_arg ? value : "";
	}
	for (j = 0; j < SYSOP_OPTS_MAX && c->opts[j].name != NULL; j++)
		if (c->opts[j].required && a->opt[j] == NULL)
			return fail_usage(c, _("option %s is required"),
			    c->opts[j].name);
	if (a->argc < c->min || (c->max >= 0 && a->argc > c->max))
		return fail_usage(c, "%s", _("wrong number of arguments"));
	return 0;
}

int
sysop_exec(struct sysop *s, int argc, char **argv)
{
	const struct sysop_cmd	*c;
	struct sysop_args	 a;
	size_t			 i, best = 0, n;
	int			 rc = -1;

	if ((c = cmd_find(argc, argv)) == NULL) {
		/* Say how far the words went: "user" alone is incomplete. */
		for (i = 0; i < sysop_ncmds; i++)
			if ((n = cmd_match(&sysop_cmds[i], argc, argv)) > best)
				best = n;
		if ((int)best == argc) {
			sysop_err(_("incomplete command; it goes on as:"));
			sysop_help(stderr, argc, argv);
		} else {
			char	*w = join((int)best + 1, argv);
			sysop_err(_("unknown command \"%s\"; \"help\" lists them"),
			    w);
			free(w);
		}
		return -1;
	}
	n = cmd_nwords(c);
	if (cmd_parse(c, argc - (int)n, argv + n, &a) == 0 &&
	    ((c->flags & CMD_NOSTORE) || sysop_store(s) != NULL))
		rc = c->fn(s, &a);
	free(a.argv);
	return rc;
}

int
sysop_help(FILE *fp, int argc, char **argv)
{
	const struct sysop_cmd	*c;
	char			*u[nitems(sysop_cmds)];
	size_t			 i, n = 0;
	int			 w = 0, uw;

	for (i = 0; i < sysop_ncmds; i++) {
		c = &sysop_cmds[i];
		u[i] = NULL;
		if (argc > 0 && cmd_match(c, argc, argv) < (size_t)argc)
			continue;
		u[i] = cmd_usage(c);
		n++;
		if ((uw = text_width(u[i])) > w && uw <= 36)
			w = uw;
	}
	if (n == 0) {
		char	*cmd = join(argc, argv);
		sysop_err(_("no command \"%s\"; \"help\" lists them"), cmd);
		free(cmd);
		return -1;
	}
	/* A usage too wide for the column gets a line of its own. */
	for (i = 0; i < sysop_ncmds; i++) {
		if (u[i] == NULL)
			continue;
		if ((uw = text_width(u[i])) <= w)
			fprintf(fp, "  %s%*s  %s\n", u[i], w - uw, "",
			    _(sysop_cmds[i].help));
		else
			fprintf(fp, "  %s\n  %*s  %s\n", u[i], w, "",
			    _(sysop_cmds[i].help));
		free(u[i]);
	}
	return 0;
}

/* Append to v (n entries, NULL-terminated) each of words that begins
 * with text and is not in v yet. */
static char **
cands_add(char **v, size_t *n, const char *const *words, size_t nwords,
    const char *text)
{
	size_t	 i, j;

	for (i = 0; i < nwords; i++) {
		if (words[i] == NULL ||
		    strncmp(words[i], text, strlen(text)) != 0)
			continue;
		for (j = 0; j < *n && strcmp(v[j], words[i]) != 0; j++)
			;
		if (j < *n)
			continue;
		v = xrealloc(v, (*n + 2) * sizeof(*v));
		v[(*n)++] = xstrdup(words[i]);
		v[*n] = NULL;
	}
	return v;
}

/* The next command words after argv that begin with text. */
static char **
complete_words(char **v, size_t *n, int argc, char **argv, const char *text)
{
	const struct sysop_cmd	*c;
	size_t			 i;

	for (i = 0; i < sysop_ncmds; i++) {
		c = &sysop_cmds[i];
		if (argc < SYSOP_WORDS_MAX && cmd_match(c, argc, argv) ==
		    (size_t)argc && c->words[argc] != NULL)
			v = cands_add(v, n, &c->words[argc], 1, text);
	}
	return v;
}

/* Board tags that begin with text. */
static char **
complete_boards(struct sysop *s, char **v, size_t *n, const char *text)
{
	struct board	*b = NULL;
	size_t		 nb = 0, i;

	if (board_list_for(s->st, NULL, &b, &nb) != 0)
		return v;
	for (i = 0; i < nb; i++)
		v = cands_add(v, n, (const char *const *)&b[i].name, 1, text);
	board_list_free(b, nb);
	return v;
}

/* Library section names that begin with text. */
static char **
complete_sections(struct sysop *s, char **v, size_t *n, const char *text)
{
	struct lib_section	*sec = NULL;
	size_t			 ns = 0, i;

	if (library_section_list(s->st, &sec, &ns) != 0)
		return v;
	for (i = 0; i < ns; i++)
		v = cands_add(v, n, (const char *const *)&sec[i].name, 1, text);
	library_section_list_free(sec, ns);
	return v;
}

char **
sysop_complete(struct sysop *s, int argc, char **argv, const char *text,
    int *files)
{
	const struct sysop_cmd	*c;
	const struct sysop_opt	*o;
	const char		*value, *roles[ROLE_SYSOP + 1];
	enum sysop_arg		 kind = ARG_NONE;
	char			**v = xcalloc(1, sizeof(*v)), **logins;
	size_t			 n = 0, i, nw;
	int			 pos = 0, options, value_of_opt = 0, k;

	*files = 0;
	if ((c = cmd_find(argc, argv)) == NULL)
		return complete_words(v, &n, argc, argv, text);
	nw = cmd_nwords(c);
	/* Is text an option's value, an option, or which argument? */
	options = c->opts[0].name != NULL;
	for (k = (int)nw; k < argc; k++) {
		if (options && strncmp(argv[k], "--", 2) == 0 &&
		    (o = opt_find(c, argv[k], &value)) != NULL) {
			if (o->has_arg && value == NULL && ++k == argc) {
				kind = o->kind;
				value_of_opt = 1;
			}
			continue;
		}
		pos++;
	}
	if (!value_of_opt && options && *text == '-') {
		for (i = 0; i < SYSOP_OPTS_MAX; i++)
			v = cands_add(v, &n, &c->opts[i].name, 1, text);
		return v;
	}
	if (!value_of_opt && pos < SYSOP_ARGS_MAX)
		kind = c->args[pos];
	switch (kind) {
	case ARG_USER:
		if (sysop_store(s) == NULL)
			break;
		logins = user_logins(s->st, text);
		for (i = 0; logins[i] != NULL; i++)
			;
		v = cands_add(v, &n, (const char *const *)logins, i, "");
		user_list_free(logins);
		break;
	case ARG_ROLE:
		for (i = 0; i <= ROLE_SYSOP; i++)
			roles[i] = role_name((enum role)i);
		v = cands_add(v, &n, roles, nitems(roles), text);
		break;
	case ARG_FILE:
		user_list_free(v);
		*files = 1;
		return NULL;
	case ARG_COMMAND:
		v = complete_words(v, &n, argc - (int)nw, argv + nw, text);
		break;
	case ARG_BOARD:
		if (sysop_store(s) != NULL)
			v = complete_boards(s, v, &n, text);
		break;
	case ARG_SECTION:
		if (sysop_store(s) != NULL)
			v = complete_sections(s, v, &n, text);
		break;
	case ARG_NONE:
		break;
	}
	return v;
}
