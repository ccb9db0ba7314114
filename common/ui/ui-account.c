/*
 * ui-account.c: the screens about one's account that any host shows:
 * the profile and the language.  partad's own (registration, the gate
 * for pending, rejected and banned accounts, password, SSH keys) need
 * the server and are in bbs/ui-register.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "i18n.h"
#include "page.h"
#include "request.h"
#include "store.h"
#include "ui.h"
#include "user.h"
#include "util.h"

/* ---- profile --------------------------------------------------------- */

enum { P_NAME, P_SCHOOL, P_SUBJECTS, P_ABOUT, P_N };
static const char *const profile_names[P_N] = {
	"display_name", "school", "subjects", "about"
};

/* The account form's fields, in ui_account_send()'s order. */
static const struct ui_field ui_account_form[P_N] = {
	{ .label = N_("Your name"), .max_chars = USER_NAME_MAX },
	{ .label = N_("School"), .max_chars = USER_SCHOOL_MAX },
	{ .label = N_("Subjects"), .max_chars = USER_SUBJECTS_MAX },
	{ .label = N_("About me"), .max_chars = USER_ABOUT_MAX },
};

void
ui_account_fields(struct ui *ui, struct ui_field *f, size_t n)
{
	const char	*v[P_N] = { ui->user->display_name, ui->user->school,
	    ui->user->subjects, ui->user->about };
	size_t		 i;

	for (i = 0; i < n && i < P_N; i++) {
		f[i] = ui_account_form[i];
		f[i].value = xstrdup(v[i]);
	}
}

int
ui_account_send(struct ui *ui, struct request *r, struct ui_field *f,
    size_t n)
{
	struct request_result res;
	int		 rc;

	r->display_name = f[P_NAME].value;
	r->school = f[P_SCHOOL].value;
	r->subjects = f[P_SUBJECTS].value;
	r->about = n > P_ABOUT ? f[P_ABOUT].value : ui->user->about;
	if ((rc = ui_apply(ui, r, &res)) != 0)
		return ui_field_error(ui, f, ui_field_index(profile_names, n,
		    res.bad_field), rc);
	return -1;
}

/* Whom her page shows to, in enum page_shows's order (page.h). */
static const char *const ui_account_shows[] = {
	N_("all members"), N_("members of my boards"), NULL
};

struct ui_account_profile {
	struct ui_field	 f[P_N + 1];	/* the account's, then whom her
					   page shows to */
	int		 shows;		/* as stored */
	int		 choice;	/* as chosen on the form */
};

static int
ui_account_check(struct ui *ui, void *arg)
{
	struct ui_account_profile *pf = arg;
	struct user	*u = NULL;
	struct request	 r;
	int		 field, rc;

	request_init(&r, REQ_PROFILE, ui->user);
	if ((field = ui_account_send(ui, &r, pf->f, P_N)) >= 0)
		return field;
	if (pf->choice != pf->shows) {
		request_init(&r, REQ_PAGE_SHOWS, ui->user);
		r.text = page_shows_name((enum page_shows)pf->choice);
		if ((rc = ui_apply(ui, &r, NULL)) != 0)
			return ui_field_error(ui, pf->f, P_N, rc);
		pf->shows = pf->choice;
	}
	if (user_get_by_id(ui->st, ui->user->id, &u) == 0) {
		user_free(ui->user);
		ui->user = u;
	}
	return -1;
}

/* The profile's form: the account's fields (Enter on "about" sends it
 * all, as before there was more) and whom her page shows to. */
int
ui_profile(struct ui *ui)
{
	struct ui_account_profile pf;
	struct page_member *m = NULL;

	memset(&pf, 0, sizeof(pf));
	if (page_member(ui->st, ui->user, ui->user->id, &m) == 0)
		pf.shows = m->shows;
	page_members_free(m, m != NULL);
	ui_account_fields(ui, pf.f, P_N);
	pf.f[P_ABOUT].flags |= UI_FIELD_SUBMIT;
	pf.f[P_N] = (struct ui_field){ .label = N_("Page shown to"),
	    .value = xstrdup(""), .max_chars = 64 };
	pf.choice = pf.shows;
	if (ui_form_choice(ui, _("Profile"),
	    _("What other teachers see about you."), pf.f, P_N + 1,
	    &(struct ui_choice){ P_N, ui_account_shows, &pf.choice },
	    ui_account_check, &pf))
		ui_notice(ui, _("Profile saved."));
	ui_fields_free(pf.f, P_N + 1);
	return 0;
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
