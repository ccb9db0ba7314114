/*
 * ui-event.c: the calendar of events.  From the main menu it lists the
 * events of every board she may read; from a board, that board's (and
 * there its coordinators plan new ones).  The list shows this week,
 * this month, all that are coming or her own; an event's card signs her
 * up or cancels her place, and shows its coordinators who comes, the
 * edit form and the cancel.  Every write is a request (ui_apply()), so
 * the client queues them like any other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "board.h"
#include "event.h"
#include "i18n.h"
#include "perr.h"
#include "request.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

/* What the list shows. */
enum ui_event_range { UI_EV_WEEK, UI_EV_MONTH, UI_EV_COMING, UI_EV_MINE };

static const char *const ui_event_titles[] = {
	[UI_EV_WEEK] = N_("Events: this week"),
	[UI_EV_MONTH] = N_("Events: this month"),
	[UI_EV_COMING] = N_("Events: all coming"),
	[UI_EV_MINE] = N_("Events: mine"),
};

/* The list's state, for its keys' may(). */
struct ui_event_list {
	struct board	*b;		/* NULL: every board */
	int		 range;
};

/* "signed up", "waiting", "cancelled", "full", or the places left. */
static const char *
ui_event_state(const struct event *e, char *buf, size_t len)
{
	if (e->cancelled_at != 0)
		return _("cancelled");
	if (e->mine == 1)
		return _("signed up");
	if (e->mine == 2)
		return _("waiting");
	if (e->cap > 0 && e->going >= e->cap)
		return _("full");
	if (e->cap > 0) {
		snprintf(buf, len, _("%lld free"),
		    (long long)(e->cap - e->going));
		return buf;
	}
	return "";
}

static void
ui_event_draw(size_t i, int y, void *arg)
{
	const struct event	*e = (const struct event *)arg + i;
	char			 when[32], st[32];

	text_date(e->starts_at, TEXT_DATE_MINUTE, when, sizeof(when));
	ui_text(y, 3, 17, when);
	ui_text(y, 21, COLS - 21 - 16, e->title);
	ui_text(y, COLS - 14, 13, ui_event_state(e, st, sizeof(st)));
}

/* ---- the card ---------------------------------------------------- */

/* She may still sign up or cancel: not cancelled, not begun. */
static int
ui_event_open(const struct event *e)
{
	return e->cancelled_at == 0 && e->starts_at > now_unix();
}

static int
ui_event_may_join(struct ui *ui, void *arg)
{
	(void)ui;
	return ((const struct event *)arg)->mine == 0 && ui_event_open(arg);
}

static int
ui_event_may_leave(struct ui *ui, void *arg)
{
	(void)ui;
	return ((const struct event *)arg)->mine != 0 && ui_event_open(arg);
}

static int
ui_event_may_see(struct ui *ui, void *arg)
{
	(void)ui;
	return ((const struct event *)arg)->is_mod;
}

static int
ui_event_may_edit(struct ui *ui, void *arg)
{
	const struct event	*e = arg;

	(void)ui;
	return e->is_mod && e->cancelled_at == 0;
}

static const struct ui_keydef ui_event_card_keys[] = {
	{ .key = L's', .label = N_("sign up"),
	  .help = N_("sign up; past the places, on the waiting list"),
	  .may = ui_event_may_join },
	{ .key = L'c', .label = N_("cancel my place"),
	  .help = N_("give up your place or leave the waiting list"),
	  .may = ui_event_may_leave },
	{ .key = L'p', .label = N_("who comes"),
	  .help = N_("the list of those signed up (coordinators)"),
	  .may = ui_event_may_see },
	{ .key = L'e', .label = N_("edit"),
	  .help = N_("change the event; those signed up get a letter"),
	  .may = ui_event_may_edit },
	{ .key = L'x', .label = N_("cancel the event"),
	  .help = N_("cancel it; those signed up get a letter"),
	  .may = ui_event_may_edit },
	UI_KEY_BACK,
};

/* The card's text: when, where, who, places, what. */
static char *
ui_event_body(const struct event *e)
{
	char	 when[32], places[64], *s, *c = NULL;

	text_date(e->starts_at, TEXT_DATE_MINUTE, when, sizeof(when));
	if (e->cap > 0)
		snprintf(places, sizeof(places), _("%lld of %lld taken, %lld"
		    " waiting"), (long long)e->going, (long long)e->cap,
		    (long long)e->waiting);
	else
		snprintf(places, sizeof(places), _("%lld signed up"),
		    (long long)e->going);
	if (e->cancelled_at != 0)
		c = xasprintf(_("CANCELLED. Reason: %s\n\n"),
		    *e->cancel_reason != '\0' ? e->cancel_reason :
		    _("(none given)"));
	s = xasprintf(_("%sWhen: %s (%lld min.)\nWhere: %s\nBoard: %s\n"
	    "Organiser: %s\nPlaces: %s\n\n%s"), c != NULL ? c : "", when,
	    (long long)e->minutes, e->place, e->board_title,
	    *e->organiser_name != '\0' ? e->organiser_name : _("(console)"),
	    places, e->description);
	free(c);
	return s;
}

/* Who signed up, for a coordinator. */
static void
ui_event_people(struct ui *ui, const struct event *e)
{
	struct event_person	*v = NULL;
	char			*s = xstrdup(""), *t, at[32];
	size_t			 n = 0, i;
	int			 rc;

	if ((rc = event_people(ui->st, ui->user, e->id, &v, &n)) != 0) {
		free(s);
		ui_say_error(ui, NULL, rc);
		return;
	}
	for (i = 0; i < n; i++) {
		t = xasprintf("%s%zu. %s (%s)  %s%s\n", s, i + 1, v[i].name,
		    v[i].login, text_date(v[i].at, TEXT_DATE_MINUTE, at,
		    sizeof(at)), v[i].waiting ? _("  [waiting]") : "");
		free(s);
		s = t;
	}
	if (n == 0) {
		free(s);
		s = xstrdup(_("No one has signed up yet."));
	}
	(void)ui_viewer(ui, _("Who comes"), e->title, s, NULL, NULL);
	event_people_free(v, n);
	free(s);
}

/* The form of a new event or an edit. */
struct ui_event_form {
	struct ui_field		 f[7];
	struct event_fields	 v;
};

enum { UF_KIND, UF_TITLE, UF_WHEN, UF_MINUTES, UF_PLACE, UF_CAP, UF_DESC };

/* A number typed in a field into *v (empty: 0, the default): 0, or
 * PERR_NUMBER. */
static int
ui_event_number(const char *s, int64_t *v)
{
	long long	 n;
	char		*end;

	*v = 0;
	if (*s == '\0')
		return 0;
	n = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n < 0)
		return PERR_NUMBER;
	*v = n;
	return 0;
}

static int
ui_event_check(struct ui *ui, void *arg)
{
	struct ui_event_form	*fm = arg;
	size_t			 i;
	int			 rc;

	for (i = 0; i < nitems(fm->f); i++)
		text_trim(fm->f[i].value);
	i = (size_t)(fm->f[UF_KIND].value[0] - '1');
	if (strlen(fm->f[UF_KIND].value) != 1 || i >= event_nkinds)
		return ui_field_error(ui, fm->f, UF_KIND, PERR_EVENT_KIND);
	fm->v.kind = event_kinds[i].name;
	fm->v.title = fm->f[UF_TITLE].value;
	if ((rc = text_check(fm->v.title, EVENT_TITLE_MAX, 0)) != 0)
		return ui_field_error(ui, fm->f, UF_TITLE, rc);
	if ((rc = event_parse_time(fm->f[UF_WHEN].value,
	    &fm->v.starts_at)) != 0 || fm->v.starts_at < now_unix())
		return ui_field_error(ui, fm->f, UF_WHEN, PERR_DATE);
	if (ui_event_number(fm->f[UF_MINUTES].value, &fm->v.minutes) != 0 ||
	    fm->v.minutes < 0 || fm->v.minutes > EVENT_MINUTES_MAX)
		return ui_field_error(ui, fm->f, UF_MINUTES, PERR_NUMBER);
	if (ui_event_number(fm->f[UF_CAP].value, &fm->v.cap) != 0)
		return ui_field_error(ui, fm->f, UF_CAP, PERR_NUMBER);
	fm->v.place = fm->f[UF_PLACE].value;
	fm->v.description = fm->f[UF_DESC].value;
	return -1;
}

/* Plan an event on board b (e NULL) or edit e: 1 when written. */
static int
ui_event_form(struct ui *ui, const struct board *b, const struct event *e)
{
	struct ui_event_form	 fm;
	struct request		 r;
	char			 when[32], kind[4] = "1", mins[24], cap[24];
	size_t			 i;
	int			 rc = -1;

	memset(&fm, 0, sizeof(fm));
	for (i = 0; e != NULL && i < event_nkinds; i++)
		if (strcmp(event_kinds[i].name, e->kind) == 0)
			kind[0] = (char)('1' + i);
	/* A new event's length and places start empty: 90 and none. */
	mins[0] = cap[0] = '\0';
	if (e != NULL) {
		snprintf(mins, sizeof(mins), "%lld", (long long)e->minutes);
		snprintf(cap, sizeof(cap), "%lld", (long long)e->cap);
	}
	when[0] = '\0';
	if (e != NULL)
		text_date(e->starts_at, TEXT_DATE_MINUTE, when, sizeof(when));
	fm.f[UF_KIND] = (struct ui_field){ N_("Kind (1 seminar, 2 master"
	    " class, 3 webinar, 4 olympiad)"), xstrdup(kind), 1, 0 };
	fm.f[UF_TITLE] = (struct ui_field){ N_("Title"),
	    xstrdup(e != NULL ? e->title : ""), EVENT_TITLE_MAX, 0 };
	fm.f[UF_WHEN] = (struct ui_field){ N_("When (DD.MM.YYYY HH:MM)"),
	    xstrdup(when), 16, 0 };
	fm.f[UF_MINUTES] = (struct ui_field){ N_("Length, minutes (empty: 90)"),
	    xstrdup(mins), 5, 0 };
	fm.f[UF_PLACE] = (struct ui_field){ N_("Place or link"),
	    xstrdup(e != NULL ? e->place : ""), EVENT_PLACE_MAX, 0 };
	fm.f[UF_CAP] = (struct ui_field){ N_("Places (empty: no limit)"),
	    xstrdup(cap), 6, 0 };
	fm.f[UF_DESC] = (struct ui_field){ N_("Description"),
	    xstrdup(e != NULL ? e->description : ""), EVENT_DESC_MAX, 0 };
	if (ui_form(ui, e != NULL ? _("Edit the event") : _("New event"),
	    _("Times are the server's local time."), fm.f, nitems(fm.f),
	    ui_event_check, &fm)) {
		request_init(&r, e != NULL ? REQ_EVENT_EDIT : REQ_EVENT_ADD,
		    ui->user);
		r.board = b != NULL ? b->uuid : NULL;
		r.event = e != NULL ? e->uuid : NULL;
		r.name = fm.v.kind;
		r.subject = fm.v.title;
		r.text = fm.v.place;
		r.body = fm.v.description;
		r.when = fm.v.starts_at;
		r.minutes = fm.v.minutes;
		r.number = fm.v.cap;
		rc = ui_apply(ui, &r, NULL);
		ui_notice(ui, rc != 0 ? _(perr_str(rc)) : e != NULL ?
		    _("The event is changed; those signed up get a letter.") :
		    _("The event is planned."));
	}
	ui_fields_free(fm.f, nitems(fm.f));
	return rc == 0;
}

/* One request on event e: sign up, cancel her place or the event. */
static void
ui_event_act(struct ui *ui, const struct event *e, enum request_kind k)
{
	struct request_result	 res;
	struct request		 r;
	char			*reason = NULL;
	int			 rc;

	if (k == REQ_EVENT_CANCEL) {
		if ((reason = ui_ask(ui, _("Cancel the event"), _("Reason"), "",
		    EVENT_REASON_MAX)) == NULL)
			return;
	} else if (k == REQ_EVENT_LEAVE &&
	    !ui_confirm(ui, _("Cancel your place?")))
		return;
	request_init(&r, k, ui->user);
	r.event = e->uuid;
	r.text = reason;
	rc = ui_apply(ui, &r, &res);
	free(reason);
	if (rc != 0)
		ui_say_error(ui, NULL, rc);
	else if (k == REQ_EVENT_JOIN)
		ui_notice(ui, res.value ? _("All places are taken: you are on"
		    " the waiting list, and get a letter if a place frees.") :
		    _("You are signed up."));
	else
		ui_notice(ui, k == REQ_EVENT_LEAVE ? _("Your place is"
		    " cancelled.") : _("The event is cancelled; those signed"
		    " up get a letter."));
}

/* The card's keys: its own, the host's (struct ui_event_key), then
 * "back"; *n of them.  Caller frees. */
static struct ui_keydef *
ui_event_card_keys_all(struct ui *ui, size_t *n)
{
	const struct ui_host	*h = ui->p->host;
	size_t			 own = nitems(ui_event_card_keys) - 1;
	size_t			 hn = h != NULL ? h->event_keys_n : 0, i;
	struct ui_keydef	*v = xcalloc(own + hn + 1, sizeof(*v));

	memcpy(v, ui_event_card_keys, own * sizeof(*v));
	for (i = 0; i < hn; i++)
		v[own + i] = h->event_keys[i].def;
	v[own + hn] = ui_event_card_keys[own];	/* back */
	*n = own + hn + 1;
	return v;
}

/* The host's key on the card: 1 when key was one (done). */
static int
ui_event_host_key(struct ui *ui, const struct event *e, wint_t key)
{
	const struct ui_host	*h = ui->p->host;
	const char		*say;
	size_t			 i;

	for (i = 0; h != NULL && i < h->event_keys_n; i++)
		if (h->event_keys[i].def.key == key) {
			if ((say = h->event_keys[i].fn(ui, e)) != NULL)
				ui_notice(ui, say);
			return 1;
		}
	return 0;
}

/* The card of event id, until she leaves it (ui.h). */
void
ui_event_card(struct ui *ui, int64_t id)
{
	struct ui_keydef *keys;
	struct ui_keys	 ks;
	struct event	*e = NULL;
	char		 head[256], *body;
	wint_t		 key;
	size_t		 nkeys;
	int		 rc;

	keys = ui_event_card_keys_all(ui, &nkeys);
	for (;;) {
		event_free(e);
		if ((rc = event_get(ui->st, ui->user, id, &e)) != 0) {
			ui_say_error(ui, NULL, rc);
			return;
		}
		snprintf(head, sizeof(head), "%s\n%s", e->title,
		    event_kind_label(e->kind));
		body = ui_event_body(e);
		memset(&ks, 0, sizeof(ks));
		ks.v = keys;
		ks.n = nkeys;
		ks.arg = e;
		rc = ui_viewer(ui, _("Event"), head, body, &ks, &key);
		free(body);
		if (rc != UI_LIST_KEY)
			break;
		if (ui_event_host_key(ui, e, key))
			continue;
		switch (key) {
		case L's':
			ui_event_act(ui, e, REQ_EVENT_JOIN);
			break;
		case L'c':
			ui_event_act(ui, e, REQ_EVENT_LEAVE);
			break;
		case L'p':
			ui_event_people(ui, e);
			break;
		case L'e':
			(void)ui_event_form(ui, NULL, e);
			break;
		case L'x':
			ui_event_act(ui, e, REQ_EVENT_CANCEL);
			break;
		}
	}
	event_free(e);
	free(keys);
}

/* ---- the list ---------------------------------------------------- */

static int
ui_event_may_new(struct ui *ui, void *arg)
{
	const struct ui_event_list *el = arg;

	(void)ui;
	return el->b != NULL && el->b->is_mod;
}

static const struct ui_keydef ui_event_list_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("open"),
	  .help = N_("the event: sign up, or cancel your place") },
	{ .key = L'w', .label = N_("week"), .help = N_("this week's events") },
	{ .key = L'm', .label = N_("month"),
	  .help = N_("this month's events") },
	{ .key = L'a', .label = N_("all"), .help = N_("all coming events") },
	{ .key = L'o', .label = N_("mine"),
	  .help = N_("those you signed up for or organise") },
	{ .key = L'n', .label = N_("new"),
	  .help = N_("plan a new event on the board (coordinators)"),
	  .may = ui_event_may_new },
	UI_KEY_BACK,
};

void
ui_events(struct ui *ui, int64_t board_id)
{
	struct ui_event_list	 el = { .range = UI_EV_MONTH };
	struct event_query	 q;
	UI_ROWS(struct event)	 l = { NULL, 0 };
	size_t			 sel = 0;
	wint_t			 key;
	int64_t			 now;
	int			 rc;

	if (board_id != 0 && (rc = board_get_for(ui->st, ui->user, NULL,
	    board_id, &el.b)) != 0) {
		ui_say_error(ui, NULL, rc);
		return;
	}
	ui_doing(ui, "events");
	for (;;) {
		UI_ROWS_FREE(l, event_list_free);
		now = now_unix();
		memset(&q, 0, sizeof(q));
		q.board_id = board_id;
		q.from = now;
		q.to = el.range == UI_EV_WEEK ? event_week_end(now) :
		    el.range == UI_EV_MONTH ? event_month_end(now) : 0;
		q.mine = el.range == UI_EV_MINE;
		q.cancelled = q.mine;	/* so that she sees what was */
		if ((rc = event_list(ui->st, ui->user, &q, &l.v, &l.n)) != 0) {
			ui_say_error(ui, NULL, rc);
			break;
		}
		rc = ui_list_again(ui, _(ui_event_titles[el.range]),
		    UI_KEYS(ui_event_list_keys, &el), l.n, ui_event_draw, l.v,
		    &sel, &key);
		if (rc == UI_LIST_BACK)
			break;
		if (rc == UI_LIST_PICK) {
			if (l.n > 0)
				ui_event_card(ui, l.v[sel].id);
			continue;
		}
		if (rc != UI_LIST_KEY)
			continue;
		switch (key) {
		case L'w':
			el.range = UI_EV_WEEK;
			break;
		case L'm':
			el.range = UI_EV_MONTH;
			break;
		case L'a':
			el.range = UI_EV_COMING;
			break;
		case L'o':
			el.range = UI_EV_MINE;
			break;
		case L'n':
			(void)ui_event_form(ui, el.b, NULL);
			break;
		}
	}
	event_list_free(l.v, l.n);
	board_free(el.b);
}

int
ui_events_all(struct ui *ui)
{
	ui_events(ui, 0);
	return 0;
}
