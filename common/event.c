/*
 * event.c: events on a board and who signed up (event.h).
 *
 * Every write checks its rights inside its own transaction (a savepoint
 * of request_apply()'s): one who moderates the event's board edits and
 * cancels it; one who may read the board signs up.  The cap is counted
 * in the same transaction that inserts, so two sessions cannot both take
 * the last place.  A place freed (a cancellation, a cap raised) moves up
 * the first on the waiting list, in the order they signed up; a cap
 * lowered takes no place away from anyone who has it.
 *
 * The letters (moved up, changed, cancelled) are ordinary mail from the
 * one who acted (the console: from nobody), written in each recipient's
 * language: the process's messages are switched to hers while her
 * letter is made, and back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board-sql.h"
#include "board.h"
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "mail.h"
#include "perr.h"
#include "post.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"

const struct event_kind event_kinds[] = {
	{ .name = "seminar", .label = N_("seminar") },
	{ .name = "masterclass", .label = N_("master class") },
	{ .name = "webinar", .label = N_("webinar") },
	{ .name = "olympiad", .label = N_("olympiad") },
};
const size_t event_nkinds = nitems(event_kinds);

const char *
event_kind_label(const char *name)
{
	const struct event_kind	*k;

	k = names_row(event_kinds, event_nkinds, sizeof(event_kinds[0]), name);
	if (k != NULL)
		return _(k->label);
	return name != NULL ? name : "";
}

int
event_parse_time(const char *s, int64_t *t)
{
	struct tm	 tm;
	time_t		 tt;
	int		 d, mo, y, h, mi, n = 0;

	*t = 0;
	if (s == NULL)
		return PERR_DATE;
	if (sscanf(s, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 &&
	    sscanf(s, "%2d.%2d.%4d %2d:%2d%n", &d, &mo, &y, &h, &mi, &n) != 5)
		return PERR_DATE;
	if (s[n] != '\0' || y < 2000 || y > 2200 || mo < 1 || mo > 12 ||
	    d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59)
		return PERR_DATE;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	/* mktime() carries 31 February into March: such a day is wrong. */
	if ((tt = mktime(&tm)) == (time_t)-1 || tm.tm_mday != d ||
	    tm.tm_mon != mo - 1)
		return PERR_DATE;
	*t = (int64_t)tt;
	return 0;
}

/* What the calendar's days are counted from. */
enum event_from { EVENT_FROM_DAY, EVENT_FROM_WEEK, EVENT_FROM_MONTH };

/* Local midnight of the day holding t, moved n days on, from the start
 * of that day, of the next week (Monday, as Russian calendars start it)
 * or of the next month. */
static int64_t
event_midnight(int64_t t, enum event_from from, int n)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (localtime_r(&tt, &tm) == NULL)
		return t;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	if (from == EVENT_FROM_WEEK)
		tm.tm_mday += tm.tm_wday == 0 ? 1 : 8 - tm.tm_wday;
	else if (from == EVENT_FROM_MONTH) {
		tm.tm_mday = 1;
		tm.tm_mon++;
	}
	tm.tm_mday += n;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int64_t
event_day_start(int64_t t, int n)
{
	return event_midnight(t, EVENT_FROM_DAY, n);
}

int64_t
event_week_end(int64_t t)
{
	return event_midnight(t, EVENT_FROM_WEEK, 0);
}

int64_t
event_month_end(int64_t t)
{
	return event_midnight(t, EVENT_FROM_MONTH, 0);
}

/* ---- reading ------------------------------------------------------ */

STORE_ROWTYPE(event_rows, struct event,
	STORE_COL(I64, struct event, id),
	STORE_COL(UUID, struct event, uuid),
	STORE_COL(I64, struct event, board_id),
	STORE_COL(TEXT, struct event, board),
	STORE_COL(TEXT, struct event, board_title),
	STORE_COL(TEXT, struct event, organiser),
	STORE_COL(TEXT, struct event, organiser_name),
	STORE_COL(TEXT, struct event, kind),
	STORE_COL(TEXT, struct event, title),
	STORE_COL(I64, struct event, starts_at),
	STORE_COL(I64, struct event, minutes),
	STORE_COL(TEXT, struct event, place),
	STORE_COL(TEXT, struct event, description),
	STORE_COL(I64, struct event, cap),
	STORE_COL(I64, struct event, sequence),
	STORE_COL(I64, struct event, created_at),
	STORE_COL(I64, struct event, updated_at),
	STORE_COL(I64, struct event, cancelled_at),
	STORE_COL(TEXT, struct event, cancel_reason),
	STORE_COL(I64, struct event, going),
	STORE_COL(I64, struct event, waiting),
	STORE_COL(INT, struct event, mine),
	STORE_COL(INT, struct event, is_mod));

/* The columns of event_rows, of event e on board b, for reader :uid. */
#define EVENT_SELECT							\
	"SELECT e.id, e.uuid, e.board_id, b.name, b.title,"		\
	" coalesce(u.login, ''), coalesce(u.display_name, ''), e.kind,"	\
	" e.title, e.starts_at, e.minutes, e.place, e.description,"	\
	" e.cap, e.sequence, e.created_at, e.updated_at,"		\
	" coalesce(e.cancelled_at, 0), coalesce(e.cancel_reason, ''),"	\
	" e.going, e.waiting, coalesce((SELECT"				\
	" 1 + s.waiting FROM event_signups s WHERE s.event_id = e.id"	\
	" AND s.user_id = :uid), 0), " SQL_IS_MOD			\
	" FROM events e JOIN boards b ON b.id = e.board_id"		\
	" LEFT JOIN users u ON u.id = e.organiser_id"

int
event_get(struct store *st, const struct user *u, int64_t id,
    struct event **out)
{
	sqlite3_stmt	*stmt;
	int64_t		 board_id;
	struct board	*b = NULL;
	int		 rc;

	*out = NULL;
	if ((rc = store_int(st, &board_id, "SELECT board_id FROM events"
	    " WHERE id = ?", "i", id)) != 0)
		return rc;
	if ((rc = board_get_for(st, u, NULL, board_id, &b)) != 0)
		return rc;
	board_free(b);
	stmt = store_prepare(st, EVENT_SELECT " WHERE e.id = :id");
	board_bind_reader(stmt, u);
	store_bind_named(stmt, ":id", id);
	return store_row_new(st, stmt, &event_rows, out, "event get");
}

void
event_free(struct event *e)
{
	store_rows_free(&event_rows, e, e != NULL);
}

int
event_list(struct store *st, const struct user *u,
    const struct event_query *q, struct event **out, size_t *n)
{
	sqlite3_stmt	*stmt;

	*out = NULL;
	*n = 0;
	stmt = store_prepare(st, EVENT_SELECT " WHERE " SQL_CAN_READ
	    " AND (:board = 0 OR e.board_id = :board)"
	    " AND e.starts_at + 60 * e.minutes > :from"
	    " AND (:to = 0 OR e.starts_at < :to)"
	    " AND (:cancelled OR e.cancelled_at IS NULL)"
	    " AND (NOT :mine OR e.organiser_id = :uid OR EXISTS (SELECT 1"
	    " FROM event_signups s WHERE s.event_id = e.id"
	    " AND s.user_id = :uid))"
	    " ORDER BY e.starts_at, e.id");
	board_bind_reader(stmt, u);
	store_bind_named(stmt, ":board", q->board_id);
	store_bind_named(stmt, ":from", q->from);
	store_bind_named(stmt, ":to", q->to);
	store_bind_named(stmt, ":cancelled", q->cancelled != 0);
	store_bind_named(stmt, ":mine", q->mine != 0);
	return store_rows(st, stmt, &event_rows, out, n, "event list");
}

void
event_list_free(struct event *v, size_t n)
{
	store_rows_free(&event_rows, v, n);
}

int
event_reminders(struct store *st, const struct user *u, struct event **out,
    size_t *n)
{
	sqlite3_stmt	*stmt;
	int64_t		 now = now_unix();

	*out = NULL;
	*n = 0;
	stmt = store_prepare(st, EVENT_SELECT " JOIN event_signups s0"
	    " ON s0.event_id = e.id AND s0.user_id = :uid AND s0.waiting = 0"
	    " WHERE e.cancelled_at IS NULL AND e.starts_at + 60 * e.minutes"
	    " > :now AND e.starts_at < :end AND " SQL_CAN_READ
	    " ORDER BY e.starts_at, e.id");
	board_bind_reader(stmt, u);
	store_bind_named(stmt, ":now", now);
	store_bind_named(stmt, ":end", event_day_start(now, 2));
	return store_rows(st, stmt, &event_rows, out, n, "event reminders");
}

STORE_ROWTYPE(event_person_rows, struct event_person,
	STORE_COL(TEXT, struct event_person, login),
	STORE_COL(TEXT, struct event_person, name),
	STORE_COL(INT, struct event_person, waiting),
	STORE_COL(I64, struct event_person, at));

int
event_people(struct store *st, const struct user *u, int64_t event_id,
    struct event_person **out, size_t *n)
{
	struct event	*e = NULL;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((rc = event_get(st, u, event_id, &e)) != 0)
		return rc;
	rc = e->is_mod ? 0 : PERR_NOT_MOD;
	event_free(e);
	if (rc != 0)
		return rc;
	return store_rows(st, store_stmt(st, "SELECT u.login, u.display_name,"
	    " s.waiting, s.at FROM event_signups s JOIN users u"
	    " ON u.id = s.user_id WHERE s.event_id = ?"
	    " ORDER BY s.waiting, s.at, s.id", "i", event_id),
	    &event_person_rows, out, n, "event people");
}

void
event_people_free(struct event_person *v, size_t n)
{
	store_rows_free(&event_person_rows, v, n);
}

/* ---- letters ------------------------------------------------------ */

/* What a letter says. */
enum event_letter { EVENT_MOVED_UP, EVENT_CHANGED, EVENT_CANCELLED };

/* The old time and place, for a letter saying what changed. */
struct event_was {
	int64_t		 starts_at;
	int64_t		 minutes;
	char		*place;
};

/* Subject and body of letter what about e, in the current language. */
static void
event_letter_text(enum event_letter what, const struct event *e,
    const struct event_was *was, char **subject, char **body)
{
	char	 when[32], old[32], *extra = NULL;

	text_date(e->starts_at, TEXT_DATE_MINUTE, when, sizeof(when));
	switch (what) {
	case EVENT_MOVED_UP:
		*subject = xasprintf(_("You have a place: %s"), e->title);
		*body = xasprintf(_("A place has freed at the %s \"%s\" on the"
		    " board \"%s\", and you have moved up from the waiting"
		    " list: you are signed up.\n\nWhen: %s\nWhere: %s\n\n"
		    "If you cannot come, cancel your place in Events, so"
		    " that the next in line gets it."),
		    event_kind_label(e->kind), e->title, e->board_title, when,
		    e->place);
		break;
	case EVENT_CHANGED:
		if (was != NULL && was->starts_at != e->starts_at)
			extra = xasprintf(_("The time has changed; it was %s."),
			    text_date(was->starts_at, TEXT_DATE_MINUTE, old,
			    sizeof(old)));
		if (was != NULL && strcmp(was->place, e->place) != 0) {
			char *p = xasprintf("%s%s%s", extra != NULL ? extra :
			    "", extra != NULL ? "\n" : "",
			    _("The place has changed."));
			free(extra);
			extra = p;
		}
		*subject = xasprintf(_("The event has changed: %s"), e->title);
		*body = xasprintf(_("The %s \"%s\" on the board \"%s\", which"
		    " you signed up for, has changed.\n%s\n\nWhen: %s (%lld"
		    " min.)\nWhere: %s\n\n%s"), event_kind_label(e->kind),
		    e->title, e->board_title, extra != NULL ? extra : "", when,
		    (long long)e->minutes, e->place, e->description);
		break;
	case EVENT_CANCELLED:
		*subject = xasprintf(_("The event is cancelled: %s"), e->title);
		*body = xasprintf(_("The %s \"%s\" on the board \"%s\", set for"
		    " %s, is cancelled.\nReason: %s\n\nYour place is"
		    " released; there is nothing you need to do."),
		    event_kind_label(e->kind), e->title, e->board_title, when,
		    *e->cancel_reason != '\0' ? e->cancel_reason :
		    _("(none given)"));
		break;
	}
	free(extra);
}

/*
 * Send letter what about event_id from from_id (0: nobody) to login, in
 * her language lang.  A failure is logged: the change stands either way,
 * as a post hidden does when its letter fails.
 */
static void
event_letter(struct store *st, int64_t from_id, int64_t event_id,
    enum event_letter what, const struct event_was *was, const char *login,
    const char *lang)
{
	const struct store_meta *m = store_meta(st);
	const char	*cur = getenv("LANGUAGE");
	struct event	*e = NULL;
	char		*saved, *subject = NULL, *body = NULL;
	int		 rc;

	/* A local copy writes no letters: the server does, when the
	 * request reaches it, and its letters come back by sync. */
	if (m->kind != NULL && strcmp(m->kind, "server") != 0)
		return;
	saved = xstrdup(cur != NULL ? cur : "");
	if ((rc = event_get(st, NULL, event_id, &e)) == 0) {
		i18n_init(NULL, lang);
		event_letter_text(what, e, was, &subject, &body);
		if (*saved != '\0')
			i18n_init(NULL, saved);
		else
			unsetenv("LANGUAGE");
		if (strlen(body) > POST_BODY_MAX)	/* a long description */
			body[text_fit(body, POST_BODY_MAX / 4)] = '\0';
		subject[text_fit(subject, POST_SUBJECT_MAX)] = '\0';
		rc = mail_send(st, from_id, login, subject, body, 0, NULL);
	}
	if (rc != 0)
		log_warn("event %lld: the letter to %s failed: %s",
		    (long long)event_id, login, perr_str(rc));
	event_free(e);
	free(saved);
	free(subject);
	free(body);
}

/* Letter what to everyone signed up for event_id (waiting: those on the
 * waiting list too) but from_id. */
static void
event_tell_all(struct store *st, int64_t from_id, int64_t event_id,
    enum event_letter what, const struct event_was *was)
{
	struct event_person	*v = NULL;
	sqlite3_stmt		*stmt;
	size_t			 n = 0, i = 0;

	stmt = store_stmt(st, "SELECT u.login, u.lang, s.waiting, s.at"
	    " FROM event_signups s JOIN users u ON u.id = s.user_id"
	    " WHERE s.event_id = ? AND s.user_id IS NOT ?"
	    " ORDER BY s.waiting, s.at, s.id", "ii", event_id, from_id);
	/* The language rides in the name field. */
	if (store_rows(st, stmt, &event_person_rows, &v, &n, "event tell") != 0)
		return;
	for (i = 0; i < n; i++)
		event_letter(st, from_id, event_id, what, was, v[i].login,
		    v[i].name);
	event_people_free(v, n);
}

/* Count again who comes and who waits (event.going, event.waiting):
 * every reader's counts change with one event row. */
static int
event_count(struct store *st, int64_t event_id)
{
	return store_write(st, NULL, "UPDATE events SET going = (SELECT"
	    " count(*) FROM event_signups s WHERE s.event_id = ?1 AND"
	    " s.waiting = 0), waiting = (SELECT count(*) FROM event_signups s"
	    " WHERE s.event_id = ?1 AND s.waiting = 1) WHERE id = ?1", "i",
	    event_id);
}

/*
 * Move up the waiting list of event_id while places are free; each one
 * moved up is told (from from_id).  0 or a PERR code.
 */
static int
event_move_up(struct store *st, int64_t from_id, int64_t event_id)
{
	sqlite3_stmt	*stmt;
	char		*login, *lang;
	int64_t		 free_places, sid;
	int		 rc;

	for (;;) {
		if ((rc = store_int(st, &free_places, "SELECT CASE WHEN e.cap"
		    " = 0 THEN 1 ELSE e.cap - (SELECT count(*) FROM"
		    " event_signups s WHERE s.event_id = e.id AND s.waiting"
		    " = 0) END FROM events e WHERE e.id = ?", "i",
		    event_id)) != 0)
			return rc;
		if (free_places <= 0)
			return event_count(st, event_id);
		stmt = store_stmt(st, "SELECT s.id, u.login, u.lang FROM"
		    " event_signups s JOIN users u ON u.id = s.user_id"
		    " WHERE s.event_id = ? AND s.waiting = 1"
		    " ORDER BY s.at, s.id LIMIT 1", "i", event_id);
		if ((rc = store_first(st, stmt, "event next")) != 0) {
			sqlite3_finalize(stmt);
			return rc == PERR_NOTFOUND ? event_count(st, event_id) :
			    rc;
		}
		sid = sqlite3_column_int64(stmt, 0);
		login = store_column_dup(stmt, 1);
		lang = store_column_dup(stmt, 2);
		sqlite3_finalize(stmt);
		rc = store_write(st, NULL, "UPDATE event_signups SET waiting = 0"
		    " WHERE id = ?", "i", sid);
		if (rc == 0)
			event_letter(st, from_id, event_id, EVENT_MOVED_UP,
			    NULL, login, lang);
		free(login);
		free(lang);
		if (rc != 0)
			return rc;
	}
}

/* ---- writes ------------------------------------------------------- */

/* The fields f, checked, as NFC copies into title, place and desc (the
 * caller frees), minutes defaulted: 0 or a PERR code. */
static int
event_check(const struct event_fields *f, char **title, char **place,
    char **desc, int64_t *minutes)
{
	size_t	 i;
	int	 rc;

	*title = *place = *desc = NULL;
	for (i = 0; i < event_nkinds; i++)
		if (f->kind != NULL && strcmp(f->kind, event_kinds[i].name) == 0)
			break;
	if (i == event_nkinds)
		return PERR_EVENT_KIND;
	*minutes = f->minutes != 0 ? f->minutes : 90;
	if (*minutes < 1 || *minutes > EVENT_MINUTES_MAX || f->cap < 0 ||
	    f->cap > EVENT_CAP_MAX)
		return PERR_NUMBER;
	if (f->starts_at < now_unix())
		return PERR_DATE;
	if ((rc = text_field(f->title, EVENT_TITLE_MAX, 0, title)) == 0 &&
	    (rc = text_field(f->place != NULL ? f->place : "", EVENT_PLACE_MAX,
	    TEXT_EMPTY_OK, place)) == 0)
		rc = text_field(f->description != NULL ? f->description : "",
		    EVENT_DESC_MAX, TEXT_MULTILINE | TEXT_EMPTY_OK, desc);
	if (rc != 0) {
		free(*title);
		free(*place);
		free(*desc);
		*title = *place = *desc = NULL;
	}
	return rc;
}

int
event_add(struct store *st, const struct user *u, const char *actor,
    int64_t board_id, const struct event_fields *f, int64_t *id_out)
{
	struct board	*b = NULL;
	char		*title, *place, *desc;
	int64_t		 minutes, id = 0, now = now_unix();
	int		 rc;

	if ((rc = event_check(f, &title, &place, &desc, &minutes)) != 0)
		return rc;
	if ((rc = board_get_for(st, u, NULL, board_id, &b)) != 0)
		goto out;
	if (!b->is_mod) {
		rc = PERR_NOT_MOD;
		goto out;
	}
	if ((rc = store_begin(st)) != 0)
		goto out;
	rc = store_insert(st, "events", &id, "INSERT INTO events(uuid, id,"
	    " board_id, organiser_id, kind, title, starts_at, minutes,"
	    " place, description, cap, created_at, updated_at) VALUES"
	    " (?1, ?2, ?3, nullif(?4, 0), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	    " ?12)", "iitt" "iitti" "i", board_id,
	    (int64_t)(u != NULL ? u->id : 0), f->kind, title, f->starts_at,
	    minutes, place, desc, f->cap, now);
	if ((rc = audit_end(st, rc, actor, "event add", b->name, title)) == 0 &&
	    id_out != NULL)
		*id_out = id;
out:
	board_free(b);
	free(title);
	free(place);
	free(desc);
	return rc;
}

/* Event id, for one who must moderate its board, not cancelled: 0 with
 * *out, or a PERR code. */
static int
event_for_mod(struct store *st, const struct user *u, int64_t id,
    struct event **out)
{
	int	 rc;

	if ((rc = event_get(st, u, id, out)) != 0)
		return rc;
	if (!(*out)->is_mod)
		rc = PERR_NOT_MOD;
	else if ((*out)->cancelled_at != 0)
		rc = PERR_EVENT_CANCELLED;
	if (rc != 0) {
		event_free(*out);
		*out = NULL;
	}
	return rc;
}

/* The tail of a write to event_id: its audit line (action, detail),
 * then the end of the level the caller began (audit_end()). */
static int
event_audit_end(struct store *st, int rc, const char *actor,
    const char *action, int64_t event_id, const char *detail)
{
	char	*target = xasprintf("event %lld", (long long)event_id);

	rc = audit_end(st, rc, actor, action, target, detail);
	free(target);
	return rc;
}

int
event_edit(struct store *st, const struct user *u, const char *actor,
    int64_t event_id, const struct event_fields *f)
{
	struct event	*e = NULL;
	struct event_was was = { 0 };
	char		*title = NULL, *place = NULL, *desc = NULL;
	int64_t		 minutes, from = u != NULL ? u->id : 0;
	int		 rc;

	if ((rc = event_check(f, &title, &place, &desc, &minutes)) != 0)
		return rc;
	if ((rc = store_begin(st)) != 0)
		goto out;
	if ((rc = event_for_mod(st, u, event_id, &e)) == 0)
		rc = store_write(st, NULL, "UPDATE events SET kind = ?2,"
		    " title = ?3, starts_at = ?4, minutes = ?5, place = ?6,"
		    " description = ?7, cap = ?8, sequence = sequence + 1,"
		    " updated_at = ?9 WHERE id = ?1", "itt" "iit" "tii",
		    event_id, f->kind, title, f->starts_at, minutes, place,
		    desc, f->cap, now_unix());
	if (rc == 0) {
		was.starts_at = e->starts_at;
		was.minutes = e->minutes;
		was.place = e->place;
		event_tell_all(st, from, event_id, EVENT_CHANGED, &was);
		rc = event_move_up(st, from, event_id);
	}
	rc = event_audit_end(st, rc, actor, "event edit", event_id, title);
out:
	event_free(e);
	free(title);
	free(place);
	free(desc);
	return rc;
}

int
event_cancel(struct store *st, const struct user *u, const char *actor,
    int64_t event_id, const char *reason)
{
	struct event	*e = NULL;
	char		*r = NULL;
	int		 rc;

	if ((rc = text_field(reason != NULL ? reason : "", EVENT_REASON_MAX,
	    TEXT_EMPTY_OK, &r)) != 0)
		return rc;
	if ((rc = store_begin(st)) != 0)
		goto out;
	if ((rc = event_for_mod(st, u, event_id, &e)) == 0)
		rc = store_write(st, NULL, "UPDATE events SET cancelled_at = ?2,"
		    " cancel_reason = ?3, sequence = sequence + 1,"
		    " updated_at = ?2 WHERE id = ?1", "iit", event_id,
		    now_unix(), r);
	if (rc == 0)
		event_tell_all(st, u != NULL ? u->id : 0, event_id,
		    EVENT_CANCELLED, NULL);
	rc = event_audit_end(st, rc, actor, "event cancel", event_id, r);
out:
	event_free(e);
	free(r);
	return rc;
}

/* Event id for u to sign up or cancel her place: readable, not
 * cancelled, not begun.  0 or a PERR code. */
static int
event_open(struct store *st, const struct user *u, int64_t id)
{
	struct event	*e = NULL;
	int		 rc;

	if ((rc = event_get(st, u, id, &e)) != 0)
		return rc;
	if (e->cancelled_at != 0)
		rc = PERR_EVENT_CANCELLED;
	else if (e->starts_at <= now_unix())
		rc = PERR_EVENT_PAST;
	event_free(e);
	return rc;
}

int
event_join(struct store *st, const struct user *u, int64_t event_id,
    int *waiting)
{
	int64_t	 w;
	int	 rc;

	if (waiting != NULL)
		*waiting = 0;
	if (u == NULL)
		return PERR_REQ_DENIED;
	if ((rc = store_begin(st)) != 0)
		return rc;
	if ((rc = event_open(st, u, event_id)) != 0)
		goto out;
	rc = store_int(st, &w, "SELECT waiting FROM event_signups"
	    " WHERE event_id = ? AND user_id = ?", "ii", event_id, u->id);
	if (rc == PERR_NOTFOUND) {
		/* Past the cap, she waits. */
		if ((rc = store_int(st, &w, "SELECT e.cap > 0 AND (SELECT"
		    " count(*) FROM event_signups s WHERE s.event_id = e.id"
		    " AND s.waiting = 0) >= e.cap FROM events e WHERE e.id = ?",
		    "i", event_id)) != 0)
			goto out;
		if ((rc = store_insert(st, "event_signups", NULL,
		    "INSERT INTO event_signups(uuid, id, event_id, user_id,"
		    " waiting, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "iiii",
		    event_id, u->id, w, now_unix())) == 0)
			rc = event_count(st, event_id);
	}
	if (rc == 0 && waiting != NULL)
		*waiting = (int)w;
out:
	return store_end(st, rc);
}

int
event_leave(struct store *st, const struct user *u, int64_t event_id)
{
	int	 rc, n;

	if (u == NULL)
		return PERR_REQ_DENIED;
	if ((rc = store_begin(st)) != 0)
		return rc;
	if ((rc = event_open(st, u, event_id)) == 0 &&
	    (rc = store_write(st, &n, "DELETE FROM event_signups"
	    " WHERE event_id = ? AND user_id = ?", "ii", event_id,
	    u->id)) == 0 && n == 0)
		rc = PERR_NOTFOUND;
	/* The letter to the one moved up comes from no one: she did not
	 * make the place free for her. */
	if (rc == 0)
		rc = event_move_up(st, 0, event_id);
	return store_end(st, rc);
}
