/*
 * test-event.c: events (event.h).  Local times read in the server's zone
 * (TZ=Europe/Moscow here); who may plan and edit; signing up to the cap,
 * the waiting list, its first moving up when a place frees (and told by
 * a letter in her language), a cap raised; the letters of a change and
 * of a cancellation; the calendar's ranges and the login reminder.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board.h"
#include "event.h"
#include "i18n.h"
#include "mail.h"
#include "perr.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

static struct store *st;
static struct user *sys, *coord, *other, *anna, *boris, *vera;
static int64_t math;

static int
parse(const char *s)
{
	int64_t	 t;
	int	 rc = event_parse_time(s, &t);

	return rc != 0 ? rc : (int)(t - 1898578800);	/* 2030-03-01 07:00Z */
}

static void
test_parse(void)
{
	static const struct t_int_case c[] = {
		{ "2030-03-01 10:00", 0, "ISO, Moscow time" },
		{ "01.03.2030 10:00", 0, "DD.MM.YYYY" },
		{ "01.03.2030 10:05", 300, "minutes count" },
		{ "2030-02-30 10:00", PERR_DATE, "30 February" },
		{ "2030-03-01 24:00", PERR_DATE, "hour 24" },
		{ "2030-03-01", PERR_DATE, "no time" },
		{ "2030-03-01 10:00x", PERR_DATE, "trailing text" },
		{ "", PERR_DATE, "empty" },
	};

	t_ints(c, nitems(c), parse);
	/* Wednesday 2030-03-06 15:00 Moscow: the week ends at Monday 11
	 * March 00:00, the month at 1 April 00:00 (Moscow has no summer time). */
	T_INT(event_week_end(1899028800), 1899406800, "a week ends on Sunday");
	T_INT(event_week_end(1899406800 - 1), 1899406800,
	    "... Sunday's last second is in it");
	T_INT(event_week_end(1899406800), 1899406800 + 7 * 86400,
	    "... Monday starts the next");
	T_INT(event_month_end(1899028800), 1901221200, "March ends");
}

/* The subject of the newest letter in login's inbox ("" for none). */
static const char *
last_letter(const char *login)
{
	static char	 buf[256];
	struct letter	*v = NULL;
	struct user	*u = NULL;
	size_t		 n = 0;

	buf[0] = '\0';
	if (user_get(st, login, &u) == 0 &&
	    mail_list(st, u->id, "inbox", &v, &n) == 0 && n > 0)
		snprintf(buf, sizeof(buf), "%s", v[0].subject);
	mail_list_free(v, n);
	user_free(u);
	return buf;
}

static int64_t
letters(const char *login)
{
	return t_int(st, "SELECT count(*) FROM mail_boxes mb JOIN users u"
	    " ON u.id = mb.user_id WHERE u.login = ? AND mb.folder = 'inbox'",
	    login);
}

static int
mine(const struct user *u, int64_t id)
{
	struct event	*e = NULL;
	int		 m = -1;

	if (event_get(st, u, id, &e) == 0)
		m = e->mine;
	event_free(e);
	return m;
}

static void
test_rights_and_cap(void)
{
	struct event_fields f = { .kind = "seminar", .title = "Дроби",
	    .place = "Кабинет 12", .description = "Разбор задач.", .cap = 2,
	    .starts_at = now_unix() + 5 * 86400 };
	struct event_person *p = NULL;
	struct event	*e = NULL;
	int64_t		 id = 0;
	size_t		 n = 0;
	int		 w = -1;

	T_INT(event_add(st, anna, "anna", math, &f, NULL), PERR_NOT_MOD,
	    "a teacher may not plan an event");
	T_INT(event_add(st, other, "other", math, &f, NULL), PERR_NOT_MOD,
	    "nor another board's coordinator");
	f.kind = "party";
	T_INT(event_add(st, coord, "coord", math, &f, NULL), PERR_EVENT_KIND,
	    "an unknown kind is refused");
	f.kind = "seminar";
	f.starts_at = now_unix() - 60;
	T_INT(event_add(st, coord, "coord", math, &f, NULL), PERR_DATE,
	    "a time past is refused");
	f.starts_at = now_unix() + 5 * 86400;
	T_INT(event_add(st, coord, "coord", math, &f, &id), 0,
	    "the coordinator plans one");

	T_INT(event_join(st, anna, id, &w), 0, "anna signs up");
	T_INT(w, 0, "... within the cap");
	T_INT(event_join(st, anna, id, &w), 0, "anna signs up again");
	T_INT(t_int(st, "SELECT count(*) FROM event_signups", NULL), 1,
	    "... which changes nothing");
	T_INT(event_join(st, boris, id, &w), 0, "boris signs up");
	T_INT(w, 0, "... the last place");
	T_INT(event_join(st, vera, id, &w), 0, "vera signs up");
	T_INT(w, 1, "... past the cap: she waits");
	T_INT(mine(vera, id), 2, "vera sees she waits");
	T_INT(event_get(st, anna, id, &e), 0, "the event read");
	T_INT(e->going, 2, "two come");
	T_INT(e->waiting, 1, "one waits");
	T_INT(e->is_mod, 0, "anna may not edit it");
	event_free(e);

	T_INT(event_people(st, anna, id, &p, &n), PERR_NOT_MOD,
	    "a teacher does not see who comes");
	T_INT(event_people(st, coord, id, &p, &n), 0, "the organiser does");
	T_INT((int64_t)n, 3, "... three names");
	if (n == 3) {
		T_STR(p[0].login, "anna", "first who signed up first");
		T_STR(p[2].login, "vera", "the waiting list last");
		T_INT(p[2].waiting, 1, "... marked so");
	}
	event_people_free(p, n);

	T_INT(letters("vera"), 0, "vera has no letter yet");
	T_INT(event_leave(st, anna, id), 0, "anna cancels her place");
	T_INT(mine(vera, id), 1, "vera moved up");
	T_INT(letters("vera"), 1, "vera got a letter");
	T_STR(last_letter("vera"), "You have a place: Дроби",
	    "... in her language (English)");
	T_INT(event_leave(st, anna, id), PERR_NOTFOUND,
	    "anna has no place to cancel now");

	/* A cap raised lets the waiting in. */
	T_INT(event_join(st, anna, id, &w), 0, "anna signs up again");
	T_INT(w, 1, "... and waits");
	f.cap = 3;
	f.starts_at += 3600;
	T_INT(event_edit(st, other, "other", id, &f), PERR_NOT_MOD,
	    "another board's coordinator may not edit it");
	T_INT(event_edit(st, coord, "coord", id, &f), 0,
	    "the organiser raises the cap and moves it an hour");
	T_INT(mine(anna, id), 1, "anna is in");
	T_STR(last_letter("anna"), "У вас есть место: Дроби",
	    "... told in Russian");
	T_INT(letters("boris"), 1, "boris is told of the change");
	T_STR(last_letter("boris"), "Мероприятие изменено: Дроби",
	    "... in Russian");

	T_INT(board_remove(st, "math", "t"), PERR_EVENT_COMING,
	    "a board with a coming event is not removed");
	T_INT(event_cancel(st, anna, "anna", id, ""), PERR_NOT_MOD,
	    "a teacher may not cancel it");
	T_INT(event_cancel(st, coord, "coord", id, "Болеет ведущий"), 0,
	    "the organiser cancels it");
	T_STR(last_letter("boris"), "Мероприятие отменено: Дроби",
	    "boris is told it is cancelled");
	T_STR(last_letter("vera"), "The event is cancelled: Дроби",
	    "vera, in English");
	T_INT(event_join(st, boris, id, NULL), PERR_EVENT_CANCELLED,
	    "no signing up for a cancelled event");
	T_INT(event_edit(st, coord, "coord", id, &f), PERR_EVENT_CANCELLED,
	    "nor editing it");
}

/* In a local copy a place freed moves the waiting list up there too,
 * but writes no letter: the server writes it when the request reaches
 * it, and it comes back by sync. */
static void
test_local_copy(void)
{
	struct event_fields f = { .kind = "seminar", .title = "Копия",
	    .cap = 1, .starts_at = now_unix() + 86400 * 4 };
	struct store	*lc, *keep = st;
	struct user	*k, *a, *b;
	char		*path = t_path("copy.db"), *cause = NULL;
	int64_t		 id = 0, board = 0;

	if (store_open_mode(path, STORE_LOCAL, &lc, &cause) != 0) {
		printf("Bail out! local copy: %s\n", cause);
		exit(1);
	}
	k = t_user_get(lc, "koord", "Координатор", ROLE_COORDINATOR);
	a = t_user_get(lc, "anna", "Анна", ROLE_TEACHER);
	b = t_user_get(lc, "boris", "Борис", ROLE_TEACHER);
	if (board_add(lc, "math", "Математика", "", "t") != 0 ||
	    board_coordinator(lc, "math", "koord", 1, "t") != 0 ||
	    store_int(lc, &board, "SELECT id FROM boards", "") != 0) {
		printf("Bail out! local copy setup\n");
		exit(1);
	}
	T_INT(event_add(lc, k, "koord", board, &f, &id), 0, "copy: an event");
	T_OK(STORE_ID_IS_LOCAL(id), "copy: made offline, a local id");
	T_INT(event_join(lc, a, id, NULL), 0, "copy: anna signs up");
	T_INT(event_join(lc, b, id, NULL), 0, "copy: boris waits");
	T_INT(event_leave(lc, a, id), 0, "copy: anna cancels");
	st = lc;
	T_INT(mine(b, id), 1, "copy: boris moved up");
	T_INT(letters("boris"), 0, "copy: no letter written offline");
	st = keep;
	user_free(k);
	user_free(a);
	user_free(b);
	store_close(lc);
	free(path);
}

/* 1 if every line of s is at most 75 octets and valid UTF-8 on its
 * own: libical folds without cutting a letter. */
static int
ics_lines_ok(const char *s)
{
	const char	*p = s, *nl;
	char		 line[128];
	size_t		 len;

	for (; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			return 0;
		len = (size_t)(nl - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len > 75)
			return 0;
		memcpy(line, p, len);
		line[len] = '\0';
		if (text_check(line, 200, TEXT_EMPTY_OK) != 0)
			return 0;
	}
	return 1;
}

static void
test_ics(void)
{
	static char	 kind[] = "webinar", title[] = "Дроби; части, целое",
			 place[] = "https://example.org/room", none[] = "",
			 desc[] = "Первая строка.\nВторая строка, очень длинная:"
			 " ёжик в тумане считает дроби и делит пирог на равные"
			 " части.";
	struct event	 e;
	char		*s;

	memset(&e, 0, sizeof(e));
	snprintf(e.uuid, sizeof(e.uuid), "%s",
	    "0b8c3f8e-1a2b-4c3d-8e4f-5a6b7c8d9e0f");
	e.kind = kind;
	e.title = title;
	e.place = place;
	e.description = desc;
	e.starts_at = 1898578800;
	e.minutes = 90;
	e.sequence = 2;
	e.created_at = e.updated_at = 1898500000;
	e.cancelled_at = 1898550000;
	e.board = e.board_title = e.organiser = e.organiser_name = none;
	e.cancel_reason = none;
	T_OK((s = event_ics(&e, 1)) != NULL, "ics: made");
	if (s == NULL)
		return;
	T_OK(strncmp(s, "BEGIN:VCALENDAR\r\n", 17) == 0, "ics: a VCALENDAR");
	T_OK(strstr(s, "DTSTART:20300301T070000Z\r\n") != NULL,
	    "ics: the start in UTC");
	T_OK(strstr(s, "DTEND:20300301T083000Z\r\n") != NULL,
	    "ics: the end, 90 minutes later");
	T_OK(strstr(s, "SUMMARY:Дроби\\; части\\, целое\r\n") != NULL,
	    "ics: ; and , escaped in the summary");
	T_OK(strstr(s, "STATUS:CANCELLED") != NULL, "ics: cancelled");
	T_OK(strstr(s, "SEQUENCE:2") != NULL, "ics: its edits");
	T_OK(strstr(s, "UID:0b8c3f8e-1a2b-4c3d-8e4f-5a6b7c8d9e0f@parta") !=
	    NULL, "ics: UID is the event's UUID");
	T_OK(strstr(s, "URL:https://example.org/room") != NULL,
	    "ics: a link is a URL too");
	T_OK(ics_lines_ok(s), "ics: folded at 75 octets, no letter cut");
	free(s);
}

/* u's reminders at login: n of them, the first titled first. */
static void
reminded(const struct user *u, size_t want, const char *first,
    const char *what)
{
	struct event	*v = NULL;
	size_t		 n = 0;

	T_INT(event_reminders(st, u, &v, &n), 0, "%s: read", what);
	T_INT((int64_t)n, (int64_t)want, "%s: how many", what);
	if (n > 0)
		T_STR(v[0].title, first, "%s: the first", what);
	event_list_free(v, n);
}

/* The calendar's ranges and the reminder at login. */
static void
test_calendar(void)
{
	struct event_fields f = { .kind = "webinar", .title = "Завтра",
	    .place = "https://example.org/room" };
	struct event_query q = { 0 };
	struct event	*v = NULL;
	int64_t		 now = now_unix(), tomorrow, later, waiting;
	size_t		 n = 0;

	f.starts_at = event_day_start(now, 1) + 10 * 3600;
	T_INT(event_add(st, coord, "coord", math, &f, &tomorrow), 0,
	    "an event tomorrow");
	f.title = "Позже";
	f.starts_at = event_day_start(now, 3) + 10 * 3600;
	T_INT(event_add(st, coord, "coord", math, &f, &later), 0,
	    "one in three days");
	f.title = "Мест нет";
	f.cap = 1;
	f.starts_at = event_day_start(now, 1) + 12 * 3600;
	T_INT(event_add(st, coord, "coord", math, &f, &waiting), 0,
	    "one tomorrow with one place");
	T_INT(event_join(st, boris, tomorrow, NULL), 0, "boris: tomorrow");
	T_INT(event_join(st, boris, later, NULL), 0, "boris: later");
	T_INT(event_join(st, anna, waiting, NULL), 0, "anna takes the place");
	T_INT(event_join(st, boris, waiting, NULL), 0, "boris waits for it");

	reminded(boris, 1, "Завтра", "one: tomorrow's, not one he waits for");

	q.from = now;
	q.to = event_day_start(now, 2);
	T_INT(event_list(st, vera, &q, &v, &n), 0, "the next two days");
	T_INT((int64_t)n, 2, "... two events, the cancelled one left out");
	event_list_free(v, n);
	q.to = 0;
	q.mine = 1;
	T_INT(event_list(st, boris, &q, &v, &n), 0, "boris's own");
	T_INT((int64_t)n, 3, "... three he signed up for");
	event_list_free(v, n);
	q.mine = 0;
	q.cancelled = 1;
	T_INT(event_list(st, vera, &q, &v, &n), 0, "with the cancelled");
	T_INT((int64_t)n, 4, "... four");
	event_list_free(v, n);

	/* One later today is reminded of too (unless midnight is too near
	 * to plan one before it). */
	if (event_day_start(now, 1) - now > 600) {
		f.title = "Сегодня";
		f.cap = 0;
		f.starts_at = now + 300;
		T_INT(event_add(st, coord, "coord", math, &f, &waiting), 0,
		    "an event later today");
		T_INT(event_join(st, boris, waiting, NULL), 0, "boris: today");
		reminded(boris, 2, "Сегодня", "today's first, then tomorrow's");
	} else {
		T_OK(1, "an event later today: skipped, midnight is near");
	}
}

int
main(void)
{
	setenv("TZ", "Europe/Moscow", 1);
	tzset();
	t_tmpdir();
	i18n_init(i18n_localedir("build/locale"), "en");
	st = t_store("event.db");
	sys = t_user_get(st, "sys", "Сисоп", ROLE_SYSOP);
	coord = t_user_get(st, "coord", "Координатор", ROLE_COORDINATOR);
	other = t_user_get(st, "other", "Другой", ROLE_COORDINATOR);
	anna = t_user_get(st, "anna", "Анна", ROLE_TEACHER);
	boris = t_user_get(st, "boris", "Борис", ROLE_TEACHER);
	vera = t_user_get(st, "vera", "Вера", ROLE_TEACHER);
	if (user_set_lang(st, vera->id, "en") != 0 ||
	    board_add(st, "math", "Математика", "", "t") != 0 ||
	    board_add(st, "staff", "Учительская", "", "t") != 0 ||
	    board_coordinator(st, "math", "coord", 1, "t") != 0 ||
	    board_coordinator(st, "staff", "other", 1, "t") != 0) {
		printf("Bail out! setup\n");
		return 1;
	}
	store_int(st, &math, "SELECT id FROM boards WHERE name = 'math'", "");
	test_parse();
	test_rights_and_cap();
	test_calendar();
	test_ics();
	test_local_copy();
	user_free(sys);
	user_free(coord);
	user_free(other);
	user_free(anna);
	user_free(boris);
	user_free(vera);
	store_close(st);
	return t_done();
}
