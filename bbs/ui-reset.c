/*
 * ui-reset.c: the other way in for "new": a teacher who forgot her
 * password and got a one-time code from the sysop (common/reset.h) sets
 * a new one here.  Reached by Esc on the registration form, so the form
 * stays the first thing a newcomer sees.  A wrong code counts as a
 * failed login of her address (throttle.h): codes cannot be guessed
 * faster than passwords.  The other second chance is here too: a
 * rejected applicant corrects her form and applies again.  And the
 * sysop's side: issuing a code from the main menu, shown once.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "log.h"
#include "perr.h"
#include "request.h"
#include "pwhash.h"
#include "reset.h"
#include "text.h"
#include "throttle.h"
#include "ui/ui.h"
#include "ui-host.h"
#include "user.h"
#include "util.h"

enum { RS_LOGIN, RS_CODE, RS_PW, RS_PW2, RS_N };

static int
ui_reset_check(struct ui *ui, void *arg)
{
	struct ui_field		*f = arg;
	struct throttle_policy	 p = ui_host_conf()->throttle;
	int64_t			 attempt, left;
	int			 rc;

	text_trim(f[RS_LOGIN].value);
	if ((rc = pw_check_policy(f[RS_PW].value)) != 0)
		return ui_field_error(ui, f, RS_PW, rc);
	if (strcmp(f[RS_PW].value, f[RS_PW2].value) != 0)
		return ui_field_error(ui, f, RS_PW2, PERR_PW_MISMATCH);
	/* A code is weighed as a password is (throttle.h): counted before
	 * it is checked, forgiven if it was right. */
	if ((attempt = throttle_begin(ui->st, &p, ui->p->addr,
	    f[RS_LOGIN].value, &left)) == 0)
		ui_exit(ui, _("Too many wrong attempts; please try again later."));
	rc = reset_redeem(ui->st, f[RS_LOGIN].value, f[RS_CODE].value,
	    f[RS_PW].value);
	if (rc == PERR_RESET_CODE) {
		if (attempt > 0 && throttle_failed(ui->st, &p, attempt,
		    ui->p->addr) != 0)
			log_warn("could not count a wrong reset code from %s",
			    ui->p->addr);
		return ui_field_error(ui, f, RS_CODE, rc);
	}
	if (rc == 0 && attempt > 0 && throttle_success(ui->st, &attempt, 1,
	    ui->p->addr, f[RS_LOGIN].value) != 0)
		log_warn("could not forget the reset attempts of %s",
		    f[RS_LOGIN].value);
	if (rc != 0)
		return ui_field_error(ui, f, RS_PW, rc);
	return -1;
}

/* The form: login, code, the new password twice. */
static void
ui_reset_form(struct ui *ui)
{
	struct ui_field	 f[RS_N] = {
		{ N_("Login"), NULL, 32, 0 },
		{ N_("Reset code"), NULL, 20, 0 },
		{ N_("New password"), NULL, 128, UI_FIELD_SECRET },
		{ N_("New password again"), NULL, 128, UI_FIELD_SECRET },
	};
	size_t		 i;
	int		 ok;

	for (i = 0; i < RS_N; i++)
		f[i].value = xstrdup("");
	ok = ui_form(ui, _("I have a reset code"), _("Type your login, the "
	    "code the sysop gave you (it works once, for a day) and a new "
	    "password."), f, RS_N, ui_reset_check, f);
	for (i = 0; i < RS_N; i++)
		if (f[i].flags & UI_FIELD_SECRET)
			freezero_str(f[i].value);
		else
			free(f[i].value);
	if (ok)
		ui_exit(ui, _("Your new password is set. Log in again with your "
		    "login and the new password."));
}

void
ui_reset(struct ui *ui, const char *why, int typed)
{
	wint_t	 wch;
	int	 k, y;

	for (;;) {
		erase();
		ui_header(ui, _("Registration"));
		y = 3;
		if (why != NULL)
			y = ui_wrap(y, 2, LINES - 3, COLS - 4, why) + 1;
		y = ui_wrap(y, 2, LINES - 3, COLS - 4, _("Forgot your password? "
		    "Ask the sysop for a reset code, then choose c."));
		if (why == NULL)
			ui_text(++y, 2, COLS - 4,
			    _("r  Back to the registration form"));
		ui_text(++y, 2, COLS - 4, _("c  I have a reset code"));
		ui_text(++y, 2, COLS - 4, _("q  Log out"));
		ui_status(ui, "%s", "");
		refresh();
		k = ui_key(ui, &wch);
		if (k != UI_CHAR)
			continue;
		if (ui_is_key(wch, L'c'))
			ui_reset_form(ui);
		else if (why == NULL && (ui_is_key(wch, L'r') || wch == UI_ESC))
			return;
		else if (ui_is_key(wch, L'q') || (why != NULL && wch == UI_ESC)) {
			if (typed && !ui_confirm(ui, _("Log out? What you typed "
			    "in the registration form is lost.")))
				continue;
			ui_exit(ui, why != NULL ? why : _("Goodbye!"));
		}
	}
}

/* ---- applying again -------------------------------------------------- */

/* In ui_account_send()'s order. */
enum { RA_NAME, RA_SCHOOL, RA_SUBJECTS, RA_N };

static int
reapply_check(struct ui *ui, void *arg)
{
	struct request	 r;

	request_init(&r, REQ_REAPPLY, ui->user);
	return ui_account_send(ui, &r, arg, RA_N);
}

int
ui_reapply(struct ui *ui)
{
	struct ui_field	 f[RA_N];
	struct user	*u = NULL;
	char		*intro;
	int		 ok;

	ui_account_fields(ui, f, RA_N);
	intro = xasprintf(_("The sysop wrote: %s. Correct your form; it goes "
	    "to the sysop again."), *ui->user->reject_reason != '\0' ?
	    ui->user->reject_reason : "-");
	ok = ui_form(ui, _("Apply again"), intro, f, RA_N, reapply_check, f);
	free(intro);
	ui_fields_free(f, RA_N);
	if (!ok)
		return 0;
	if (user_get_by_id(ui->st, ui->user->id, &u) != 0)
		ui_exit(ui, _("The service is unavailable, please try later."));
	user_free(ui->user);
	ui->user = u;
	return 1;
}

/* ---- the sysop's side -------------------------------------------------- */

int
ui_reset_issue(struct ui *ui)
{
	struct user	*u = NULL;
	char		 code[RESET_CODE_SIZE], t[32], *login, *q, *line;
	int64_t		 expires;
	wint_t		 wch;
	int		 rc;

	if (ui->user->role != ROLE_SYSOP)
		return 0;	/* the menu offers it to the sysop only */
	login = ui_ask(ui, _("Password reset code"), N_("Login"), "",
	    32);
	if (login == NULL)
		return 0;
	if ((rc = user_get(ui->st, login, &u)) != 0) {
		ui_notice(ui, _(perr_str(rc == PERR_NOTFOUND ? PERR_NO_USER :
		    rc)));
		free(login);
		return 0;
	}
	q = xasprintf(_("Issue a reset code for %s (%s)? An earlier code stops "
	    "working."), u->login, u->display_name);
	if (!ui_confirm(ui, q))
		goto out;
	if ((rc = reset_issue(ui->st, u->login, ui->user->login, code,
	    &expires)) != 0) {
		ui_notice(ui, _(perr_str(rc)));
		goto out;
	}
	erase();
	ui_header(ui, _("Password reset code"));
	line = xasprintf(_("Reset code for %s: %s"), u->login, code);
	explicit_bzero(code, sizeof(code));
	ui_text(3, 2, COLS - 4, line);
	explicit_bzero(line, strlen(line));
	free(line);
	line = xasprintf(_("It works once, until %s. She logs in as \"new\", "
	    "presses Esc on the registration form, chooses \"I have a reset "
	    "code\" and sets a new password."),
	    text_date(expires, TEXT_DATE_MINUTE, t, sizeof(t)));
	(void)ui_wrap(5, 2, LINES - 3, COLS - 4, line);
	free(line);
	ui_status(ui, "%s", _("It is shown only now. (any key)"));
	refresh();
	(void)ui_key(ui, &wch);
	/* Nothing of the code stays on the screen or in ncurses' copy. */
	erase();
	refresh();
out:
	free(q);
	free(login);
	user_free(u);
	return 0;
}
