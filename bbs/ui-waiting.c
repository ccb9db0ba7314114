/*
 * ui-waiting.c: what waits for the sysop, coordinators and experts
 * (common/waiting.h): one summary at login and from the main menu, from
 * which each kind opens its own screen: the registrations (approve, or
 * reject saying why: the sysop may have no shell on the server), the
 * threads awaiting approval on one's boards, the library's pending
 * items.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "perr.h"
#include "request.h"
#include "post.h"
#include "text.h"
#include "ui/ui.h"
#include "ui-host.h"
#include "user.h"
#include "util.h"
#include "waiting.h"

/* ---- registrations --------------------------------------------------- */

struct reg_row {
	char	*login, *name, *school, *subjects;
	int64_t	 created_at;
};

struct regs {
	struct reg_row	*v;
	size_t		 n;
};

static int
ui_waiting_reg_add(const struct user *u, void *arg)
{
	struct regs	*r = arg;
	struct reg_row	*w;

	if (user_state(u) != USER_PENDING)
		return 0;
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	w = &r->v[r->n++];
	w->login = xstrdup(u->login);
	w->name = xstrdup(u->display_name);
	w->school = xstrdup(u->school);
	w->subjects = xstrdup(u->subjects);
	w->created_at = u->created_at;
	return 0;
}

static void
ui_waiting_regs_free(struct regs *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].login);
		free(r->v[i].name);
		free(r->v[i].school);
		free(r->v[i].subjects);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static const struct ui_keydef ui_waiting_reg_keys[] = {
	{ .key = L'a', .label = N_("approve"),
	  .help = N_("approve the marked registration") },
	{ .key = L'r', .label = N_("reject"),
	  .help = N_("reject it, with a reason for the applicant") },
	UI_KEY_BACK,
};

static const struct ui_keydef ui_waiting_thread_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("read"),
	  .help = N_("read the marked thread") },
	{ .key = L'a', .label = N_("approve"),
	  .help = N_("approve the marked thread") },
	UI_KEY_BACK,
};

static const struct ui_keydef ui_waiting_sum_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("view"),
	  .help = N_("what waits of the marked kind") },
	{ .key = UI_ESC, .label = N_("on"), .help = N_("go on") },
};

static void
ui_waiting_reg_draw(size_t i, int y, void *arg)
{
	struct regs	*r = arg;
	struct reg_row	*w = &r->v[i];
	char		*s, date[32];

	ui_text(y, 3, 16, w->login);
	s = xasprintf("%s, %s, %s", w->name, w->school, w->subjects);
	ui_text(y, 20, COLS - 20 - 12, s);
	free(s);
	text_date(w->created_at, TEXT_DATE_DAY, date, sizeof(date));
	ui_text(y, COLS - 11, 10, date);
}

/* The registrations, for the sysop: a approve, r reject with a reason. */
static int
ui_waiting_registrations(struct ui *ui)
{
	struct regs	 r = { NULL, 0 };
	size_t		 sel = 0;
	wint_t		 key;
	char		*why, *q;
	int		 rc;

	if (ui->user->role != ROLE_SYSOP) {
		ui_notice(ui, _("Only the sysop approves registrations."));
		return 0;
	}
	for (;;) {
		ui_waiting_regs_free(&r);
		if ((rc = user_foreach(ui->st, 1, ui_waiting_reg_add,
		    &r)) != 0) {
			ui_notice(ui, _(perr_str(rc)));
			break;
		}
		rc = ui_list_again(ui, _("Registrations awaiting approval"),
		    UI_KEYS(ui_waiting_reg_keys, NULL), r.n,
		    ui_waiting_reg_draw, &r, &sel, &key);
		if (rc == UI_LIST_BACK)
			break;
		if (rc != UI_LIST_KEY || r.n == 0)
			continue;
		if (key == L'a') {
			q = xasprintf(_("Approve %s (%s)?"), r.v[sel].login,
			    r.v[sel].name);
			if (ui_confirm(ui, q) && (rc = user_approve(ui->st,
			    r.v[sel].login, ui->user->login)) != 0)
				ui_notice(ui, _(perr_str(rc)));
			free(q);
		} else {
			why = ui_ask(ui, _("Reject the registration"),
			    N_("Reason (she sees it and may correct her form)"),
			    "", USER_REASON_MAX);
			if (why != NULL && (rc = user_reject(ui->st,
			    r.v[sel].login, why, ui->user->login)) != 0)
				ui_notice(ui, _(perr_str(rc)));
			free(why);
		}
	}
	ui_waiting_regs_free(&r);
	return 0;
}

/* ---- threads awaiting approval --------------------------------------- */

static void
ui_waiting_thread_draw(size_t i, int y, void *arg)
{
	struct waiting_thread	*t = (struct waiting_thread *)arg + i;

	ui_text(y, 3, 20, t->board);
	ui_text(y, 25, COLS - 25 - 14, t->subject);
	ui_text(y, COLS - 13, 12, t->author);
}

/* The threads awaiting approval on the user's boards: Enter reads one,
 * a approves it. */
static int
ui_waiting_threads(struct ui *ui)
{
	UI_ROWS(struct waiting_thread) l = { NULL, 0 };
	struct request	 r;
	size_t		 sel = 0;
	char		 uuid[37];
	wint_t		 key;
	int		 rc;

	for (;;) {
		waiting_threads_free(l.v, l.n);
		if ((rc = waiting_threads(ui->st, ui->user, &l.v, &l.n)) != 0) {
			ui_notice(ui, _(perr_str(rc)));
			break;
		}
		rc = ui_list_again(ui, _("Threads awaiting approval"),
		    UI_KEYS(ui_waiting_thread_keys, NULL), l.n,
		    ui_waiting_thread_draw, l.v, &sel, &key);
		if (rc == UI_LIST_BACK)
			break;
		if (l.n == 0)
			continue;
		if (rc == UI_LIST_PICK)
			ui_thread_open(ui, l.v[sel].id, 0);
		else {
			request_init(&r, REQ_THREAD_APPROVE, ui->user);
			r.thread = uuid;
			r.number = 1;
			if ((rc = request_uuid_of(ui->st, REQF_THREAD,
			    l.v[sel].id, uuid)) != 0)
				ui_say_error(ui, NULL, rc);
			else
				(void)ui_request(ui, &r, NULL);	/* it told */
		}
	}
	waiting_threads_free(l.v, l.n);
	return 0;
}

/* ---- the summary ----------------------------------------------------- */

enum { W_REG, W_THREADS, W_LIBRARY, W_N };

struct wsum {
	int64_t	 count[W_N];
	int	 kind[W_N];	/* the rows shown, by kind */
	size_t	 n;
};

static void
ui_waiting_sum_draw(size_t i, int y, void *arg)
{
	static const char *const what[W_N] = {
		N_("Registrations awaiting approval"),
		N_("Threads awaiting approval on your boards"),
		N_("Library items awaiting approval"),
	};
	struct wsum	*s = arg;
	char		 n[24];

	snprintf(n, sizeof(n), "%lld", (long long)s->count[s->kind[i]]);
	ui_text(y, 3, 6, n);
	ui_text(y, 10, COLS - 11, _(what[s->kind[i]]));
}

/* What waits, as rows with something in them; 0 rows: nothing waits. */
static int
ui_waiting_sum(struct ui *ui, struct wsum *s)
{
	struct waiting	 w;
	int		 k, rc;

	memset(s, 0, sizeof(*s));
	if ((rc = waiting_count(ui->st, ui->user, &w)) != 0)
		return rc;
	s->count[W_REG] = w.registrations;
	s->count[W_THREADS] = w.threads;
	s->count[W_LIBRARY] = w.library;
	for (k = 0; k < W_N; k++)
		if (s->count[k] > 0)
			s->kind[s->n++] = k;
	return 0;
}

/* The summary until the user leaves it; Enter opens a kind. */
static void
ui_waiting_screen(struct ui *ui, struct wsum *s)
{
	size_t	 sel = 0;
	wint_t	 key;
	int	 rc;

	for (;;) {
		if (s->n == 0) {
			ui_notice(ui, _("Nothing waits for you."));
			return;
		}
		rc = ui_list_again(ui, _("What waits for you"),
		    UI_KEYS(ui_waiting_sum_keys, NULL), s->n,
		    ui_waiting_sum_draw, s, &sel, &key);
		if (rc == UI_LIST_BACK)
			return;
		if (rc != UI_LIST_PICK)
			continue;
		switch (s->kind[sel]) {
		case W_REG:
			ui_waiting_registrations(ui);
			break;
		case W_THREADS:
			ui_waiting_threads(ui);
			break;
		case W_LIBRARY:
			ui_library_pending(ui);
			break;
		}
		if (ui_waiting_sum(ui, s) != 0)
			return;
	}
}

int
ui_waiting(struct ui *ui)
{
	struct wsum	 s;
	int		 rc;

	if ((rc = ui_waiting_sum(ui, &s)) != 0)
		ui_notice(ui, _(perr_str(rc)));
	else
		ui_waiting_screen(ui, &s);
	return 0;
}

void
ui_waiting_login(struct ui *ui)
{
	struct wsum	 s;

	/* A coordinator is a teacher who moderates boards: ask for all. */
	if (ui_waiting_sum(ui, &s) != 0 || s.n == 0)
		return;
	ui_waiting_screen(ui, &s);
}
