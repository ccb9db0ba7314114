/*
 * ui-register.c: partad's screens about an account that need the
 * server: registration (by "new"), the gate for pending, rejected and
 * banned accounts, the password and the SSH keys one logs in with.  The
 * limits on registrations are partad's config (ui-host.h); a reset code
 * and applying again are in ui-reset.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "charset.h"
#include "i18n.h"
#include "log.h"
#include "perr.h"
#include "pwhash.h"
#include "request.h"
#include "request-keys.h"
#include "store.h"
#include "text.h"
#include "ui/ui.h"
#include "ui-host.h"
#include "user.h"
#include "userkey.h"
#include "util.h"

/* ---- registration -------------------------------------------------- */

enum { R_LOGIN, R_NAME, R_SCHOOL, R_SUBJECTS, R_PW, R_PW2, R_N };
static const char *const ui_register_names[R_N] = {
	"login", "display_name", "school", "subjects", "password", "password2"
};

struct ui_register_form {
	struct ui_field	 f[R_N];
	char		 login[64];	/* the account made */
};

static int
ui_register_check(struct ui *ui, void *arg)
{
	struct ui_register_form	*r = arg;
	struct ui_field		*f = r->f;
	struct user_new		 n;
	const char		*bad;
	int			 rc;

	text_trim(f[R_LOGIN].value);
	if ((rc = user_check_login(f[R_LOGIN].value)) != 0)
		return ui_field_error(ui, f, R_LOGIN, rc);
	if ((rc = pw_check_policy(f[R_PW].value)) != 0)
		return ui_field_error(ui, f, R_PW, rc);
	if (strcmp(f[R_PW].value, f[R_PW2].value) != 0)
		return ui_field_error(ui, f, R_PW2, PERR_PW_MISMATCH);
	memset(&n, 0, sizeof(n));
	n.login = f[R_LOGIN].value;
	n.display_name = f[R_NAME].value;
	n.school = f[R_SCHOOL].value;
	n.subjects = f[R_SUBJECTS].value;
	n.password = f[R_PW].value;
	n.role = ROLE_PENDING;
	n.lang = ui->p->default_language;
	n.encoding = charset_name(ui->charset);	/* chosen before the form */
	if ((rc = user_register(ui->st, &n, ui->p->addr, &ui_host_conf()->reg,
	    NULL, &bad)) != 0) {
		if (rc == PERR_REG_ADDRESS || rc == PERR_REG_DAY)
			ui_exit(ui, _(perr_str(rc)));
		if (rc == PERR_EXISTS) {
			ui_status(ui, "%s", _("This login is taken; please choose another."));
			refresh();
			return R_LOGIN;
		}
		return ui_field_error(ui, f, ui_field_index(ui_register_names, R_N, bad), rc);
	}
	strlcpy_p(r->login, n.login, sizeof(r->login));
	return -1;
}

void
ui_register(struct ui *ui)
{
	struct ui_register_form	 r = { {
		{ N_("Login (Latin letters)"), NULL, 32, 0 },
		{ N_("Your name"), NULL, USER_NAME_MAX, 0 },
		{ N_("School"), NULL, USER_SCHOOL_MAX, 0 },
		{ N_("Subjects"), NULL, USER_SUBJECTS_MAX, 0 },
		{ N_("Password"), NULL, 128, UI_FIELD_SECRET },
		{ N_("Password again"), NULL, 128, UI_FIELD_SECRET },
	}, "" };
	size_t			 i;
	int			 ok, rc, typed;

	/* Say so before the form is filled in, not after. */
	if ((rc = user_register_check(ui->st, ui->p->addr,
	    &ui_host_conf()->reg)) ==
	    PERR_REG_ADDRESS || rc == PERR_REG_DAY) {
		log_info("registration from %s refused: %s", ui->p->addr,
		    perr_str(rc));
		/* No new account, but a forgotten password is no new
		 * account: its way in stays open. */
		ui_reset(ui, _(perr_str(rc)), 0);
	}
	/* Esc leads to the way in with a reset code (ui-reset.c), which
	 * may lead back here, to the form as she left it. */
	for (i = 0; i < R_N; i++)
		r.f[i].value = xstrdup("");
	for (;;) {
		ok = ui_form(ui, _("Registration"), _("Welcome to parta, the "
		    "teachers' BBS. Fill in the form; the sysop approves new "
		    "accounts, usually within a day. Then log in with your "
		    "login and password. Forgot your password? Press Esc."),
		    r.f, R_N, ui_register_check, &r);
		if (ok)
			break;
		for (i = 0, typed = 0; i < R_N; i++)
			typed |= *r.f[i].value != '\0';
		ui_reset(ui, NULL, typed);
	}
	ui_fields_free(r.f, R_N);
	if (user_get(ui->st, r.login, &ui->user) != 0)
		ui_exit(ui, _("The service is unavailable, please try later."));
	ui_gate(ui);
}

/* ---- the gate: pending, rejected, banned ---------------------------- */

void
ui_gate(struct ui *ui)
{
	struct user	*u = ui->user;
	char		*msg;
	wint_t		 wch;
	int		 k, y;

	switch (user_state(u)) {
	case USER_PENDING:
		msg = xasprintf(_("Hello, %s! Your registration awaits approval "
		    "by the sysop. Once it is approved, log in again with your "
		    "login \"%s\" and your password."), u->display_name, u->login);
		break;
	case USER_REJECTED:
		msg = xasprintf(_("Your registration was declined by the sysop. "
		    "Reason: %s"), *u->reject_reason ? u->reject_reason : "-");
		break;
	case USER_BANNED:
		msg = xasprintf(_("Your account is blocked. Reason: %s"),
		    *u->ban_reason ? u->ban_reason : "-");
		break;
	default:
		return;
	}
	for (;;) {
		erase();
		ui_header(ui, user_state(u) == USER_PENDING ?
		    _("Awaiting approval") : _("No access"));
		y = ui_wrap(3, 2, LINES - 3, COLS - 4, msg);
		ui_text(y + 1, 2, COLS - 4, _("q  Log out"));
		if (user_state(u) == USER_REJECTED)
			ui_text(y + 2, 2, COLS - 4,
			    _("e  Correct the form and apply again"));
		ui_status(ui, "%s", "");
		move(y + 1, 2);
		refresh();
		k = ui_key(ui, &wch);
		if (k == UI_FUNC && wch == KEY_RESIZE)
			continue;
		if (k == UI_CHAR && user_state(u) == USER_REJECTED &&
		    ui_is_key(wch, L'e')) {
			if (ui_reapply(ui)) {	/* now pending: say so */
				free(msg);
				ui_gate(ui);
				return;
			}
			continue;
		}
		if (k == UI_CHAR && (ui_is_key(wch, L'q') || wch == UI_ESC ||
		    wch == L'\r' || wch == L'\n'))
			break;
	}
	free(msg);
}

/* ---- password -------------------------------------------------------- */

struct ui_register_pw {
	struct ui_field	 f[3];
	size_t		 n;		/* 2 when there is no old password */
};

static int
ui_register_pw_check(struct ui *ui, void *arg)
{
	struct ui_register_pw	*p = arg;
	struct ui_field		*f = p->f + (p->n - 2);	/* new, again */
	struct request		 r;
	int64_t			 id;
	int			 rc;

	if (p->n == 3 && user_check_password(ui->st, ui->user->login,
	    p->f[0].value, &id) != 0)
		return ui_field_error(ui, p->f, 0, PERR_PW_WRONG);
	if ((rc = pw_check_policy(f[0].value)) != 0)
		return ui_field_error(ui, p->f, (int)(p->n - 2), rc);
	if (strcmp(f[0].value, f[1].value) != 0)
		return ui_field_error(ui, p->f, (int)(p->n - 1), PERR_PW_MISMATCH);
	request_init(&r, REQ_PASSWORD, ui->user);
	r.text = f[0].value;
	if ((rc = ui_apply(ui, &r, NULL)) != 0)
		return ui_field_error(ui, p->f, (int)(p->n - 2), rc);
	return -1;
}

int
ui_password(struct ui *ui)
{
	struct ui_register_pw	 p = { {
		{ N_("Current password"), NULL, 128, UI_FIELD_SECRET },
		{ N_("New password"), NULL, 128, UI_FIELD_SECRET },
		{ N_("New password again"), NULL, 128, UI_FIELD_SECRET },
	}, 3 };
	struct ui_field		*f = p.f;
	size_t			 i;

	if (ui->user->pw_hash == NULL) {	/* keys only so far */
		f++;
		p.n = 2;
	}
	for (i = 0; i < p.n; i++)
		f[i].value = xstrdup("");
	/* ui_register_pw_check addresses fields from p.f; keep them in place. */
	if (f != p.f)
		memmove(p.f, f, p.n * sizeof(*f));
	if (ui_form(ui, _("Change password"), NULL, p.f, p.n, ui_register_pw_check, &p))
		ui_notice(ui, _("The password is changed."));
	ui_fields_free(p.f, p.n);
	return 0;
}

/* ---- SSH keys -------------------------------------------------------- */

struct ui_register_keys {
	struct userkey	*v;
	size_t		 n;
};

static const struct ui_keydef ui_register_key_keys[] = {
	{ .key = L'a', .label = N_("add"), .help = N_("add a public key") },
	{ .key = L'd', .label = N_("delete"),
	  .help = N_("delete the marked key") },
	UI_KEY_BACK,
};

static void
ui_register_key_draw(size_t i, int y, void *arg)
{
	struct ui_register_keys	*k = arg;
	char			*line;

	line = xasprintf("%s  %s  %s", k->v[i].type, k->v[i].fingerprint,
	    k->v[i].comment);
	ui_text(y, 3, COLS - 4, line);
	free(line);
}

static int
ui_register_key_check(struct ui *ui, void *arg)
{
	struct ui_field	*f = arg;
	struct request	 r;
	struct request_result res;
	int		 rc;

	request_init(&r, REQ_KEY_ADD, ui->user);
	r.text = f[0].value;
	if ((rc = request_keys_apply(ui->st, &r, 0, &res)) != 0)
		return ui_field_error(ui, f, 0, rc);
	return -1;
}

static void
ui_register_key_add(struct ui *ui)
{
	struct ui_field	 f[1] = { { N_("Key"), NULL, 16000, 0 } };

	f[0].value = xstrdup("");
	if (ui_form(ui, _("Add an SSH key"), _("Paste one line of your public "
	    "key file (for example ~/.ssh/id_ed25519.pub): ssh-ed25519 AAAA... "
	    "comment. Then you can log in without a password."), f, 1,
	    ui_register_key_check, f))
		ui_notice(ui, _("The key is added."));
	ui_fields_free(f, 1);
}

int
ui_keys(struct ui *ui)
{
	struct ui_register_keys	 k;
	struct request		 rq;
	struct request_result	 res;
	size_t			 sel = 0;
	wint_t			 key;
	int			 r, rc;

	for (;;) {
		if (userkey_list(ui->st, ui->user->id, &k.v, &k.n) != 0) {
			ui_notice(ui, _("The list is not available now."));
			return 0;
		}
		r = ui_list(ui, _("SSH keys"), UI_KEYS(ui_register_key_keys,
		    NULL), k.n, ui_register_key_draw, &k, &sel, &key);
		if (r == UI_LIST_KEY && key == L'a')
			ui_register_key_add(ui);
		else if (r == UI_LIST_KEY && key == L'd' && k.n > 0 &&
		    ui_confirm(ui, _("Delete the marked key?"))) {
			request_init(&rq, REQ_KEY_REMOVE, ui->user);
			rq.text = k.v[sel].fingerprint;
			if ((rc = request_keys_apply(ui->st, &rq, 0,
			    &res)) != 0)
				ui_say_error(ui, NULL, rc);
			else
				sel = sel > 0 ? sel - 1 : 0;
		}
		userkey_list_free(k.v, k.n);
		if (r == UI_LIST_BACK)
			return 0;
	}
}

