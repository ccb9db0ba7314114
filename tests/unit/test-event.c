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

	T_INT(event_reminders(st, boris, &v, &n), 0, "boris's reminders");
	T_INT((int64_t)n, 1, "one: tomorrow's, not one he waits for");
	if (n == 1)
		T_STR(v[0].title, "Завтра", "... tomorrow's");
	event_list_free(v, n);

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
	user_free(sys);
	user_free(coord);
	user_free(other);
	user_free(anna);
	user_free(boris);
	user_free(vera);
	store_close(st);
	return t_done();
}
