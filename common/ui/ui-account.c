/*
 * ui-account.c: the screens about one's account: registration, the gate
 * for pending, rejected and banned accounts, profile, password, SSH keys
 * and language.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "charset.h"
#include "i18n.h"
#include "log.h"
#include "perr.h"
#include "request.h"
#include "pwhash.h"
#include "store.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "userkey.h"
#include "util.h"

/* Put "Label: what is wrong" on the status line; returns field. */
static int
field_error(struct ui *ui, const struct ui_field *f, int field, int code)
{
	ui_status(ui, "%s: %s", _(f[field].label), _(perr_str(code)));
	refresh();
	return field;
}

/* The index of the field called name in names[], for store errors. */
static int
field_index(const char *const *names, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; name != NULL && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return 0;
}

static void
fields_free(struct ui_field *f, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (f[i].flags & UI_FIELD_SECRET)
			freezero_str(f[i].value);
		else
			free(f[i].value);
		f[i].value = NULL;
	}
}

/* ---- registration -------------------------------------------------- */

enum { R_LOGIN, R_NAME, R_SCHOOL, R_SUBJECTS, R_PW, R_PW2, R_N };
static const char *const reg_names[R_N] = {
	"login", "display_name", "school", "subjects", "password", "password2"
};

struct reg {
	struct ui_field	 f[R_N];
	char		 login[64];	/* the account made */
};

static void
reg_limits(struct ui *ui, struct user_reg_limits *l)
{
	l->per_address = ui->p->cfg->registration_per_address;
	l->per_day = ui->p->cfg->registration_per_day;
	l->expiry = (int64_t)ui->p->cfg->registration_expiry * 86400;
}

static int
reg_check(struct ui *ui, void *arg)
{
	struct reg	*r = arg;
	struct ui_field	*f = r->f;
	struct user_new	 n;
	struct user_reg_limits l;
	const char	*bad;
	int		 rc;

	text_trim(f[R_LOGIN].value);
	if ((rc = user_check_login(f[R_LOGIN].value)) != 0)
		return field_error(ui, f, R_LOGIN, rc);
	if ((rc = pw_check_policy(f[R_PW].value)) != 0)
		return field_error(ui, f, R_PW, rc);
	if (strcmp(f[R_PW].value, f[R_PW2].value) != 0)
		return field_error(ui, f, R_PW2, PERR_PW_MISMATCH);
	memset(&n, 0, sizeof(n));
	n.login = f[R_LOGIN].value;
	n.display_name = f[R_NAME].value;
	n.school = f[R_SCHOOL].value;
	n.subjects = f[R_SUBJECTS].value;
	n.password = f[R_PW].value;
	n.role = ROLE_PENDING;
	n.lang = ui->p->cfg->default_language;
	n.encoding = charset_name(ui->charset);	/* chosen before the form */
	reg_limits(ui, &l);
	if ((rc = user_register(ui->st, &n, ui->p->addr, &l, NULL, &bad)) != 0) {
		if (rc == PERR_REG_ADDRESS || rc == PERR_REG_DAY)
			ui_exit(ui, _(perr_str(rc)));
		if (rc == PERR_EXISTS) {
			ui_status(ui, "%s", _("This login is taken; please choose another."));
			refresh();
			return R_LOGIN;
		}
		return field_error(ui, f, field_index(reg_names, R_N, bad), rc);
	}
	strlcpy_p(r->login, n.login, sizeof(r->login));
	return -1;
}

void
ui_register(struct ui *ui)
{
	struct reg	 r = { {
		{ N_("Login (Latin letters)"), NULL, 32, 0 },
		{ N_("Your name"), NULL, USER_NAME_MAX, 0 },
		{ N_("School"), NULL, USER_SCHOOL_MAX, 0 },
		{ N_("Subjects"), NULL, USER_SUBJECTS_MAX, 0 },
		{ N_("Password"), NULL, 128, UI_FIELD_SECRET },
		{ N_("Password again"), NULL, 128, UI_FIELD_SECRET },
	}, "" };
	struct user_reg_limits l;
	size_t		 i;
	int		 ok, rc;

	/* Say so before the form is filled in, not after. */
	reg_limits(ui, &l);
	if ((rc = user_register_check(ui->st, ui->p->addr, &l)) ==
	    PERR_REG_ADDRESS || rc == PERR_REG_DAY) {
		log_info("registration from %s refused: %s", ui->p->addr,
		    perr_str(rc));
		/* No new account, but a forgotten password is no new
		 * account: its way in stays open. */
		ui_reset(ui, _(perr_str(rc)));
	}
	/* Esc leads to the way in with a reset code (ui-reset.c), which
	 * may lead back here. */
	for (;;) {
		for (i = 0; i < R_N; i++)
			r.f[i].value = xstrdup("");
		ok = ui_form(ui, _("Registration"), _("Welcome to parta, the "
		    "teachers' BBS. Fill in the form; the sysop approves new "
		    "accounts, usually within a day. Then log in with your "
		    "login and password. Forgot your password? Press Esc."),
		    r.f, R_N, reg_check, &r);
		fields_free(r.f, R_N);
		if (ok)
			break;
		ui_reset(ui, NULL);
	}
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

/* ---- profile --------------------------------------------------------- */

enum { P_NAME, P_SCHOOL, P_SUBJECTS, P_ABOUT, P_N };
static const char *const profile_names[P_N] = {
	"display_name", "school", "subjects", "about"
};

static int
profile_check(struct ui *ui, void *arg)
{
	struct ui_field	*f = arg;
	struct user	*u = NULL;
	struct request	 r;
	struct request_result res;
	int		 rc;

	request_init(&r, REQ_PROFILE, ui->user);
	r.display_name = f[P_NAME].value;
	r.school = f[P_SCHOOL].value;
	r.subjects = f[P_SUBJECTS].value;
	r.about = f[P_ABOUT].value;
	if ((rc = ui_apply(ui, &r, &res)) != 0)
		return field_error(ui, f, field_index(profile_names, P_N,
		    res.bad_field), rc);
	if (user_get_by_id(ui->st, ui->user->id, &u) == 0) {
		user_free(ui->user);
		ui->user = u;
	}
	return -1;
}

int
ui_profile(struct ui *ui)
{
	struct ui_field	 f[P_N] = {
		{ N_("Your name"), NULL, USER_NAME_MAX, 0 },
		{ N_("School"), NULL, USER_SCHOOL_MAX, 0 },
		{ N_("Subjects"), NULL, USER_SUBJECTS_MAX, 0 },
		{ N_("About me"), NULL, USER_ABOUT_MAX, 0 },
	};

	f[P_NAME].value = xstrdup(ui->user->display_name);
	f[P_SCHOOL].value = xstrdup(ui->user->school);
	f[P_SUBJECTS].value = xstrdup(ui->user->subjects);
	f[P_ABOUT].value = xstrdup(ui->user->about);
	if (ui_form(ui, _("Profile"), _("What other teachers see about you."),
	    f, P_N, profile_check, f))
		ui_notice(ui, _("Profile saved."));
	fields_free(f, P_N);
	return 0;
}

/* ---- password -------------------------------------------------------- */

struct pwform {
	struct ui_field	 f[3];
	size_t		 n;		/* 2 when there is no old password */
};

static int
password_check(struct ui *ui, void *arg)
{
	struct pwform	*p = arg;
	struct ui_field	*f = p->f + (p->n - 2);	/* new, again */
	struct request	 r;
	int64_t		 id;
	int		 rc;

	if (p->n == 3 && user_check_password(ui->st, ui->user->login,
	    p->f[0].value, &id) != 0)
		return field_error(ui, p->f, 0, PERR_PW_WRONG);
	if ((rc = pw_check_policy(f[0].value)) != 0)
		return field_error(ui, p->f, (int)(p->n - 2), rc);
	if (strcmp(f[0].value, f[1].value) != 0)
		return field_error(ui, p->f, (int)(p->n - 1), PERR_PW_MISMATCH);
	request_init(&r, REQ_PASSWORD, ui->user);
	r.text = f[0].value;
	if ((rc = ui_apply(ui, &r, NULL)) != 0)
		return field_error(ui, p->f, (int)(p->n - 2), rc);
	return -1;
}

int
ui_password(struct ui *ui)
{
	struct pwform	 p = { {
		{ N_("Current password"), NULL, 128, UI_FIELD_SECRET },
		{ N_("New password"), NULL, 128, UI_FIELD_SECRET },
		{ N_("New password again"), NULL, 128, UI_FIELD_SECRET },
	}, 3 };
	struct ui_field	*f = p.f;
	size_t		 i;

	if (ui->user->pw_hash == NULL) {	/* keys only so far */
		f++;
		p.n = 2;
	}
	for (i = 0; i < p.n; i++)
		f[i].value = xstrdup("");
	/* password_check addresses fields from p.f; keep them in place. */
	if (f != p.f)
		memmove(p.f, f, p.n * sizeof(*f));
	if (ui_form(ui, _("Change password"), NULL, p.f, p.n, password_check, &p))
		ui_notice(ui, _("The password is changed."));
	fields_free(p.f, p.n);
	return 0;
}

/* ---- SSH keys -------------------------------------------------------- */

struct keys {
	struct userkey	*v;
	size_t		 n;
};

static void
keys_draw(size_t i, int y, void *arg)
{
	struct keys	*k = arg;
	char		*line;

	line = xasprintf("%s  %s  %s", k->v[i].type, k->v[i].fingerprint,
	    k->v[i].comment);
	ui_text(y, 3, COLS - 4, line);
	free(line);
}

static int
key_add_check(struct ui *ui, void *arg)
{
	struct ui_field	*f = arg;
	struct request	 r;
	int		 rc;

	request_init(&r, REQ_KEY_ADD, ui->user);
	r.text = f[0].value;
	if ((rc = ui_apply(ui, &r, NULL)) != 0)
		return field_error(ui, f, 0, rc);
	return -1;
}

static void
key_add(struct ui *ui)
{
	struct ui_field	 f[1] = { { N_("Key"), NULL, 16000, 0 } };

	f[0].value = xstrdup("");
	if (ui_form(ui, _("Add an SSH key"), _("Paste one line of your public "
	    "key file (for example ~/.ssh/id_ed25519.pub): ssh-ed25519 AAAA... "
	    "comment. Then you can log in without a password."), f, 1,
	    key_add_check, f))
		ui_notice(ui, _("The key is added."));
	fields_free(f, 1);
}

int
ui_keys(struct ui *ui)
{
	struct keys	 k;
	struct request	 rq;
	size_t		 sel = 0;
	wint_t		 key;
	int		 r;

	for (;;) {
		if (userkey_list(ui->st, ui->user->id, &k.v, &k.n) != 0) {
			ui_notice(ui, _("The list is not available now."));
			return 0;
		}
		r = ui_list(ui, _("SSH keys"), _("a add  d delete  Esc back"),
		    k.n, keys_draw, &k, "ad", &sel, &key);
		if (r == UI_LIST_KEY && key == L'a')
			key_add(ui);
		else if (r == UI_LIST_KEY && key == L'd' && k.n > 0 &&
		    ui_confirm(ui, _("Delete the marked key?"))) {
			request_init(&rq, REQ_KEY_REMOVE, ui->user);
			rq.text = k.v[sel].fingerprint;
			if (ui_request(ui, &rq, NULL) == 0)
				sel = sel > 0 ? sel - 1 : 0;
		}
		userkey_list_free(k.v, k.n);
		if (r == UI_LIST_BACK)
			return 0;
	}
}

/* ---- language -------------------------------------------------------- */

int
ui_language(struct ui *ui)
{
	const char	*lang = strcmp(ui->user->lang, "ru") == 0 ? "en" : "ru";
	struct request	 r;

	request_init(&r, REQ_LANGUAGE, ui->user);
	r.text = lang;
	if (ui_apply(ui, &r, NULL) != 0) {
		ui_notice(ui, _("The language could not be changed."));
		return 0;
	}
	free(ui->user->lang);
	ui->user->lang = xstrdup(lang);
	i18n_init(NULL, lang);
	return 0;
}
