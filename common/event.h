/*
 * event.h: seminars, master classes, webinars and olympiads on a board,
 * and the teachers who signed up.  A coordinator of the board (or the
 * sysop) creates, edits and cancels one; each reader of the board signs
 * up and cancels her place.  An event may have a cap: who signs up past
 * it goes on a waiting list, and moves up, told by a letter, when a
 * place frees.  Those signed up are told of every change by a letter in
 * their own language.
 *
 * Times are UTC seconds; they are typed and shown in the server's local
 * time (the TZ of the process: the system's zone, or TZ= in partad's
 * environment, such as Europe/Moscow).
 */
#ifndef PARTA_EVENT_H
#define PARTA_EVENT_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct user;

#define EVENT_TITLE_MAX		120
#define EVENT_PLACE_MAX		300
#define EVENT_DESC_MAX		4000
#define EVENT_REASON_MAX	300
#define EVENT_MINUTES_MAX	(14 * 24 * 60)
#define EVENT_CAP_MAX		100000

/* What a coordinator types; strings borrowed. */
struct event_fields {
	const char	*kind;		/* event_kinds[].name */
	const char	*title;
	const char	*place;		/* a room, an address or a link */
	const char	*description;
	int64_t		 starts_at;
	int64_t		 minutes;	/* 0: 90 */
	int64_t		 cap;		/* 0: no cap */
};

struct event {
	int64_t	 id;
	char	 uuid[37];
	int64_t	 board_id;
	char	*board;		/* the board's short name */
	char	*board_title;
	char	*organiser;	/* login, "" for the console */
	char	*organiser_name;
	char	*kind;
	char	*title;
	int64_t	 starts_at;
	int64_t	 minutes;
	char	*place;
	char	*description;
	int64_t	 cap;
	int64_t	 sequence;	/* edits so far (iCalendar SEQUENCE) */
	int64_t	 created_at;
	int64_t	 updated_at;
	int64_t	 cancelled_at;	/* 0: not cancelled */
	char	*cancel_reason;
	int64_t	 going;		/* signed up, within the cap */
	int64_t	 waiting;	/* on the waiting list */
	int	 mine;		/* the reader: 0 not, 1 signed up, 2 waiting */
	int	 is_mod;	/* the reader may edit it and see who comes */
};

/* One person signed up, in the order of signing up. */
struct event_person {
	char	*login;
	char	*name;
	int	 waiting;
	int64_t	 at;
};

/* The kinds, in menu order: name (stored) and label (N_()). */
struct event_kind {
	const char	*name;
	const char	*label;
};
extern const struct event_kind	event_kinds[];
extern const size_t		event_nkinds;

/* The translated label of kind name (the name itself if unknown). */
const char *event_kind_label(const char *name);

/*
 * A local date and time, "DD.MM.YYYY HH:MM" or "YYYY-MM-DD HH:MM", into
 * *t (UTC seconds): 0 or PERR_DATE.  Past times are allowed here; the
 * writes refuse them.
 */
int	 event_parse_time(const char *s, int64_t *t);

/*
 * Create an event on board_id as u (NULL: the console), who must
 * moderate the board.  0 and *id (may be NULL), PERR_NOT_MOD, PERR_DATE
 * (in the past), PERR_EVENT_KIND, PERR_NUMBER (minutes or cap), or a
 * text PERR code.  Audited as actor.
 */
int	 event_add(struct store *, const struct user *u, const char *actor,
	     int64_t board_id, const struct event_fields *f, int64_t *id);

/*
 * Replace the fields of event_id (its board stays), as one who moderates
 * its board.  Everyone signed up gets a letter saying what changed.  A
 * cap raised moves the waiting list up (each told).  0, PERR_NOTFOUND,
 * PERR_NOT_MOD, PERR_EVENT_CANCELLED, or as event_add().
 */
int	 event_edit(struct store *, const struct user *u, const char *actor,
	     int64_t event_id, const struct event_fields *f);

/* Cancel event_id, saying why (may be ""); everyone signed up gets a
 * letter.  0, PERR_NOTFOUND, PERR_NOT_MOD, PERR_EVENT_CANCELLED. */
int	 event_cancel(struct store *, const struct user *u, const char *actor,
	     int64_t event_id, const char *reason);

/*
 * Sign u up for event_id: within the cap, or on the waiting list
 * (*waiting 1; may be NULL).  Signing up again changes nothing.  0,
 * PERR_NOTFOUND, PERR_NO_READ, PERR_EVENT_CANCELLED, PERR_EVENT_PAST.
 */
int	 event_join(struct store *, const struct user *u, int64_t event_id,
	     int *waiting);

/* Cancel u's place: the first on the waiting list moves up and gets a
 * letter.  0, PERR_NOTFOUND (she was not signed up), PERR_EVENT_PAST. */
int	 event_leave(struct store *, const struct user *u, int64_t event_id);

/* Event id as u sees it (NULL: the console): 0, PERR_NOTFOUND,
 * PERR_NO_READ.  Free with event_free(). */
int	 event_get(struct store *, const struct user *u, int64_t id,
	     struct event **out);
void	 event_free(struct event *);

/* What event_list() lists. */
struct event_query {
	int64_t	 board_id;	/* 0: every board u may read */
	int64_t	 from, to;	/* starts within [from, to); to 0: no end */
	int	 mine;		/* only those u signed up for or organises */
	int	 cancelled;	/* include cancelled events */
};

/* The events u may see that q asks for, soonest first.  Free with
 * event_list_free(). */
int	 event_list(struct store *, const struct user *u,
	     const struct event_query *q, struct event **out, size_t *n);
void	 event_list_free(struct event *, size_t n);

/* Who signed up for event_id, in order (within the cap first): for one
 * who moderates its board.  0, PERR_NOT_MOD, PERR_NOTFOUND.  Free with
 * event_people_free(). */
int	 event_people(struct store *, const struct user *u, int64_t event_id,
	     struct event_person **out, size_t *n);
void	 event_people_free(struct event_person *, size_t n);

/* The start of the local day holding t, and of the day n days later. */
int64_t	 event_day_start(int64_t t, int n);

/* The end of the local week holding t (the next Monday's start) and of
 * its month (the next month's first day's start): the calendar's
 * "this week" and "this month". */
int64_t	 event_week_end(int64_t t);
int64_t	 event_month_end(int64_t t);

/* The events u signed up for (within the cap) that start today or
 * tomorrow and are not cancelled, soonest first: the login reminder. */
int	 event_reminders(struct store *, const struct user *u,
	     struct event **out, size_t *n);

/* ---- event-ics.c ---- */

/*
 * Events v[0..n) as one iCalendar (RFC 5545) VCALENDAR, made with
 * libical: times in UTC, UID the event's UUID, SEQUENCE its edits,
 * STATUS:CANCELLED when cancelled.  A new string the caller frees, or
 * NULL (logged).
 */
char	*event_ics(const struct event *v, size_t n);

#endif
