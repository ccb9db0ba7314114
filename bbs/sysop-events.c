/*
 * sysop-events.c: the console's event commands (event add, edit, cancel,
 * list, show).  Every write is a request (event-add, event-edit,
 * event-cancel) made by the console, so the module's rules and letters
 * are the BBS's own.  Each command runs without a question: the
 * description comes from --description, or else from standard input
 * (piped, or typed and ended with a dot).  Times are local to the
 * server (its TZ), as the BBS shows them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "event.h"
#include "i18n.h"
#include "perr.h"
#include "request.h"
#include "sysop.h"
#include "text.h"
#include "util.h"

/* The options of event add and event edit, in the rows' order. */
enum { EV_TITLE, EV_AT, EV_KIND, EV_MINUTES, EV_PLACE, EV_CAP, EV_DESC };

/* A number option into *v (absent: unchanged): 0, or -1 reported. */
static int
sysop_events_number(const char *opt, const char *s, int64_t *v)
{
	long long	 n;
	char		*end;

	if (s == NULL)
		return 0;
	n = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n < 0)
		return sysop_fail_field(opt, PERR_NUMBER);
	*v = n;
	return 0;
}

/*
 * The request r's fields from the options of a, over what r holds
 * already (an edit: the event as it is); the description read from
 * stdin into *desc when --description is absent and read_stdin.  0, or
 * -1 reported.
 */
static int
sysop_events_fields(struct sysop_args *a, struct request *r, int read_stdin,
    char **desc)
{
	int	 rc;

	*desc = NULL;
	if (a->opt[EV_TITLE] != NULL)
		r->subject = a->opt[EV_TITLE];
	if (a->opt[EV_AT] != NULL &&
	    (rc = event_parse_time(a->opt[EV_AT], &r->when)) != 0)
		return sysop_fail_field("--at", rc);
	if (a->opt[EV_KIND] != NULL)
		r->name = a->opt[EV_KIND];
	if (sysop_events_number("--minutes", a->opt[EV_MINUTES],
	    &r->minutes) != 0 ||
	    sysop_events_number("--cap", a->opt[EV_CAP], &r->number) != 0)
		return -1;
	if (a->opt[EV_PLACE] != NULL)
		r->text = a->opt[EV_PLACE];
	if (a->opt[EV_DESC] != NULL)
		r->body = a->opt[EV_DESC];
	else if (read_stdin) {
		if ((rc = sysop_read_stdin(desc, EVENT_DESC_MAX * 4,
		    N_("Type the description."))) != 0)
			return sysop_fail_field(_("description"), rc);
		r->body = text_trim(*desc);
	}
	return 0;
}

/* A write refused: the field to blame when the code names one. */
static int
sysop_events_fail(int rc)
{
	switch (rc) {
	case PERR_DATE:
		return sysop_fail_field("--at", rc);
	case PERR_EVENT_KIND:
		return sysop_fail_field("--kind", rc);
	case PERR_NUMBER:
		return sysop_fail_field("--minutes/--cap", rc);
	default:
		return sysop_fail(rc);
	}
}

/* event add BOARD --title T --at WHEN [--kind K] [--minutes N]
 * [--place P] [--cap N] [--description TEXT] */
int
sysop_events_add(struct sysop *s, struct sysop_args *a)
{
	struct request_result	 res;
	struct request		 r;
	char			 board[37], *desc = NULL;
	int			 rc;

	if ((rc = sysop_board_uuid(s, a->argv[0], board)) != 0)
		return sysop_fail_named(_("no board named \"%s\""), a->argv[0],
		    rc);
	request_init(&r, REQ_EVENT_ADD, NULL);
	r.board = board;
	r.name = "seminar";
	r.text = "";
	r.body = "";
	if (sysop_events_fields(a, &r, 1, &desc) != 0) {
		free(desc);
		return -1;
	}
	rc = sysop_request(s, &r, &res);
	free(desc);
	if (rc != 0)
		return sysop_events_fail(rc);
	sysop_say(_("Event %lld is planned on board %s."), (long long)res.id,
	    a->argv[0]);
	return 0;
}

/* The event numbered by the text id, as the console sees it: 0 with *e,
 * or -1 reported. */
static int
sysop_events_get(struct sysop *s, const char *arg, struct event **e)
{
	int64_t	 id;
	int	 rc;

	*e = NULL;
	if (sysop_parse_id(arg, &id, NULL) != 0)
		return -1;
	if ((rc = event_get(s->st, NULL, id, e)) != 0)
		return sysop_fail_named(_("no event %s"), arg, rc);
	return 0;
}

/* event edit ID [the options of add]: what is not given stays. */
int
sysop_events_edit(struct sysop *s, struct sysop_args *a)
{
	struct request	 r;
	struct event	*e;
	char		*desc = NULL;
	int		 rc;

	if (sysop_events_get(s, a->argv[0], &e) != 0)
		return -1;
	request_init(&r, REQ_EVENT_EDIT, NULL);
	r.event = e->uuid;
	r.name = e->kind;
	r.subject = e->title;
	r.text = e->place;
	r.body = e->description;
	r.when = e->starts_at;
	r.minutes = e->minutes;
	r.number = e->cap;
	rc = sysop_events_fields(a, &r, 0, &desc);
	if (rc == 0 && (rc = sysop_request(s, &r, NULL)) != 0)
		rc = sysop_events_fail(rc);
	if (rc == 0)
		sysop_say(_("Event %s is changed; those signed up are told by"
		    " letter."), a->argv[0]);
	event_free(e);
	free(desc);
	return rc == 0 ? 0 : -1;
}

/* event cancel ID [REASON...] */
int
sysop_events_cancel(struct sysop *s, struct sysop_args *a)
{
	struct request	 r;
	struct event	*e;
	char		*reason;
	int		 rc;

	if (sysop_events_get(s, a->argv[0], &e) != 0)
		return -1;
	reason = sysop_join(a->argc - 1, a->argv + 1);
	request_init(&r, REQ_EVENT_CANCEL, NULL);
	r.event = e->uuid;
	r.text = reason;
	rc = sysop_request(s, &r, NULL);
	event_free(e);
	free(reason);
	if (rc != 0)
		return sysop_fail(rc);
	sysop_say(_("Event %s is cancelled; those signed up are told by"
	    " letter."), a->argv[0]);
	return 0;
}

/* "12/30", or "12" without a cap: who comes, of how many places. */
static void
sysop_events_places(const struct event *e, char *buf, size_t len)
{
	if (e->cap > 0)
		snprintf(buf, len, "%lld/%lld", (long long)e->going,
		    (long long)e->cap);
	else
		snprintf(buf, len, "%lld", (long long)e->going);
}

/* event list [BOARD] [--all]: upcoming events (--all: past and
 * cancelled ones too). */
int
sysop_events_list(struct sysop *s, struct sysop_args *a)
{
	struct event_query	 q = { .from = now_unix() };
	struct sysop_grid	 g;
	struct board		*b = NULL;
	struct event		*v = NULL;
	char			 id[24], when[32], places[48], waiting[24];
	size_t			 n = 0, i;
	int			 rc;

	if (a->argc > 0) {
		if ((rc = board_get_for(s->st, NULL, a->argv[0], 0, &b)) != 0)
			return sysop_fail_named(_("no board named \"%s\""),
			    a->argv[0], rc);
		q.board_id = b->id;
		board_free(b);
	}
	if (a->opt[0] != NULL) {
		q.from = 0;
		q.cancelled = 1;
	}
	if ((rc = event_list(s->st, NULL, &q, &v, &n)) != 0)
		return sysop_fail(rc);
	sysop_grid_init(&g, 7, SYSOP_CELL_MAX, 1u | 1u << 4 | 1u << 5);
	sysop_grid_add(&g, _("ID"), _("WHEN"), _("BOARD"), _("KIND"),
	    _("PLACES"), _("WAITING"), _("TITLE"));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)v[i].id);
		sysop_events_places(&v[i], places, sizeof(places));
		if (v[i].cancelled_at != 0)
			snprintf(places, sizeof(places), "%s", _("cancelled"));
		snprintf(waiting, sizeof(waiting), "%lld",
		    (long long)v[i].waiting);
		sysop_grid_add(&g, id, text_date(v[i].starts_at,
		    TEXT_DATE_ISO_MINUTE, when, sizeof(when)), v[i].board,
		    event_kind_label(v[i].kind), places, waiting, v[i].title);
	}
	sysop_grid_list(&g, _("There are no events."));
	event_list_free(v, n);
	return 0;
}

/* event show ID: the event and who signed up. */
int
sysop_events_show(struct sysop *s, struct sysop_args *a)
{
	struct event_person	*p = NULL;
	struct sysop_grid	 g;
	struct event		*e;
	char			 when[32], at[32], places[48];
	char			*desc, *line, *save = NULL;
	size_t			 n = 0, i;
	int			 rc;

	if (sysop_events_get(s, a->argv[0], &e) != 0)
		return -1;
	if ((rc = event_people(s->st, NULL, e->id, &p, &n)) != 0) {
		event_free(e);
		return sysop_fail(rc);
	}
	sysop_events_places(e, places, sizeof(places));
	sysop_say("%s: %s", _("Title"), e->title);
	sysop_say("%s: %s", _("Kind"), event_kind_label(e->kind));
	sysop_say("%s: %s (%s)", _("Board"), e->board_title, e->board);
	sysop_say("%s: %s, %lld min.", _("When"), text_date(e->starts_at,
	    TEXT_DATE_ISO_MINUTE, when, sizeof(when)), (long long)e->minutes);
	sysop_say("%s: %s", _("Where"), e->place);
	sysop_say("%s: %s", _("Organiser"), *e->organiser != '\0' ?
	    e->organiser : _("(console)"));
	sysop_say("%s: %s", _("Places taken"), places);
	if (e->cancelled_at != 0)
		sysop_say("%s: %s", _("Cancelled"), *e->cancel_reason != '\0' ?
		    e->cancel_reason : _("(none given)"));
	/* Line by line, each sanitised: a teacher typed it. */
	desc = xstrdup(e->description);
	for (line = strtok_r(desc, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		sysop_say("  %s", line);
	free(desc);
	printf("\n");
	sysop_grid_init(&g, 4, SYSOP_CELL_MAX, 0);
	sysop_grid_add(&g, _("LOGIN"), _("NAME"), _("SIGNED UP"), _("STATE"));
	for (i = 0; i < n; i++)
		sysop_grid_add(&g, p[i].login, p[i].name, text_date(p[i].at,
		    TEXT_DATE_ISO_MINUTE, at, sizeof(at)), p[i].waiting ?
		    _("waiting") : _("signed up"));
	sysop_grid_list(&g, _("No one has signed up."));
	event_people_free(p, n);
	event_free(e);
	return 0;
}
