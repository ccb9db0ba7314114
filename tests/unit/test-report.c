/*
 * test-report.c: the sysop's activity report counts what happened in
 * the period and nothing before it, lists the busiest boards and the
 * most active authors in order, and frees what it made.  The growth
 * report's figures, period by period, by board and by school, are those
 * of a store filled with known activity at known times.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "library.h"
#include "mail.h"
#include "perr.h"
#include "post.h"
#include "report.h"
#include "store.h"
#include "user.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

static struct store *st;

static int64_t
board(const char *name, const char *title)
{
	struct board	*b = NULL;
	int64_t		 id = 0;

	if (board_add(st, name, title, "", "t") != 0 ||
	    board_get_for(st, NULL, name, 0, &b) != 0) {
		printf("Bail out! cannot add board %s\n", name);
		exit(1);
	}
	id = b->id;
	board_free(b);
	return id;
}

static void
sql(const char *s)
{
	if (store_exec(st, s) != 0) {
		printf("Bail out! %s\n", s);
		exit(1);
	}
}

/* Run the SQL fmt, its (up to two) %lld the time t0 + days * 86400 + 3600. */
static void
at(int64_t t0, const char *fmt, int days)
{
	long long	 t = t0 + days * 86400LL + 3600;
	char		 q[512];

	/* Extra arguments are ignored: a format may use the time twice. */
	snprintf(q, sizeof(q), fmt, t, t);
	sql(q);
}

/* Every figure of row r against want, each its own check. */
static void
figures(const struct report_row *r, const struct report_figures *want)
{
	const struct {
		const char	*name;
		int64_t		 got, want;
	} f[] = {
		{ "active", r->f.active, want->active },
		{ "members", r->f.members, want->members },
		{ "new members", r->f.new_members, want->new_members },
		{ "posts", r->f.posts, want->posts },
		{ "threads", r->f.threads, want->threads },
		{ "letters", r->f.letters, want->letters },
		{ "uploads", r->f.uploads, want->uploads },
		{ "downloads", r->f.downloads, want->downloads },
	};
	size_t	 i;

	for (i = 0; i < nitems(f); i++)
		T_INT(f[i].got, f[i].want, "%s: %s", r->name, f[i].name);
}

static void
growth(void)
{
	struct report_query	 q;
	struct report_series	*s = NULL;
	struct user		*anna, *boris, *gleb, *vera;
	int64_t			 t0, to, math, tid, pid;
	const struct report_figures weeks[] = {
		{ .active = 2, .members = 2, .new_members = 1, .posts = 1, .threads = 1 },
		{ .active = 2, .members = 2, .posts = 1, .letters = 1, .downloads = 1 },
		{ .active = 1, .members = 2, .uploads = 1 },
	};
	size_t			 i;

	store_close(st);
	st = t_store("growth.db");
	T_INT(report_parse_day("2026-03-02", &t0), 0, "a Monday");
	T_INT(report_parse_day("2026-03-22", &to), 0, "three weeks on");
	T_INT(report_parse_day("2026-3-x", &to), PERR_DATE, "not a date");
	T_INT(report_parse_day("2026-03-22", &to), 0, "the last day");
	to += 86400;
	anna = t_user_get(st, "anna", "Анна", ROLE_TEACHER);
	boris = t_user_get(st, "boris", "Борис", ROLE_TEACHER);
	gleb = t_user_get(st, "gleb", "Глеб", ROLE_TEACHER);
	vera = t_user_get(st, "vera", "Вера", ROLE_PENDING);
	math = board("math", "Математика");
	(void)board("tatar", "Татар теле");
	sql("UPDATE users SET school = 'Школа №1, Арск' WHERE login = 'anna';"
	    "UPDATE users SET school = 'Гимназия 2' WHERE login IN"
	    " ('boris', 'gleb', 'vera')");
	at(t0, "UPDATE users SET approved_at = %lld WHERE login = 'anna'", 1);
	at(t0, "UPDATE users SET approved_at = %lld WHERE login = 'boris'", -30);
	/* Gleb joined in the first week but is banned; vera was rejected. */
	at(t0, "UPDATE users SET approved_at = %lld, banned_at = %lld"
	    " WHERE login = 'gleb'", 2);
	at(t0, "UPDATE users SET created_at = %lld, rejected_at = created_at"
	    " WHERE login = 'vera'", 3);
	/* Week 1: anna starts a thread, boris votes in a poll. */
	T_INT(post_thread_new(st, anna, anna->id, math, "Дроби", "как?", &tid,
	    &pid), 0, "anna's thread");
	at(t0, "UPDATE posts SET created_at = %lld;"
	    " UPDATE threads SET created_at = %lld", 1);
	at(t0, "INSERT INTO polls(uuid, board_id, question, created_at)"
	    " VALUES ('p1', 1, 'Когда?', %lld);"
	    " INSERT INTO poll_options(poll_id, position, text)"
	    " VALUES (1, 1, 'Завтра')", 2);
	at(t0, "INSERT INTO poll_votes(poll_id, option_id, user_id, at)"
	    " VALUES (1, 1, 2, %lld)", 2);
	/* Week 2: boris replies, anna writes a letter and downloads. */
	T_INT(post_reply(st, boris, tid, pid, "так", &pid), 0, "a reply");
	at(t0, "UPDATE posts SET created_at = %lld WHERE id = 2", 8);
	T_INT(mail_send(st, anna->id, "boris", "Привет", "Как дела?", 0, NULL),
	    0, "a letter");
	at(t0, "UPDATE mail SET created_at = %lld", 9);
	/* Week 3: boris puts an item into the library. */
	at(t0, "INSERT INTO library_items(uuid, section, title, uploader_id,"
	    " created_at) VALUES ('i1', 'docs', 'План', 2, %lld)", 15);
	T_INT(library_count_download(st, 1, anna->id), 0, "anna downloads it");
	at(t0, "UPDATE library_downloads SET at = %lld", 10);
	T_INT(t_int(st, "SELECT downloads FROM library_items", NULL), 1,
	    "the item's own count too");
	/* Outside the span: a letter after it. */
	T_INT(mail_send(st, boris->id, "anna", "Ещё", "потом", 0, NULL), 0,
	    "a later letter");
	at(t0, "UPDATE mail SET created_at = %lld WHERE id = 2", 30);

	memset(&q, 0, sizeof(q));
	q.from = t0;
	q.to = to;
	q.by = REPORT_WEEK;
	T_INT(report_series_make(st, &q, &s), 0, "the growth by week");
	T_INT(s->nperiods, 3, "three weeks");
	T_STR(s->periods[0].name, "2026-03-02", "named by their Mondays");
	T_STR(s->periods[2].name, "2026-03-16", "the third week");
	/* Week 1: anna posted, boris voted; anna is new (not gleb, vera).
	 * Week 2: boris replied, anna wrote and downloaded.  Week 3: boris
	 * uploaded. */
	for (i = 0; i < nitems(weeks) && i < s->nperiods; i++)
		figures(&s->periods[i], &weeks[i]);
	T_INT(s->total.f.active, 2, "two active over the span, not 5");
	T_INT(s->total.f.letters, 1, "the later letter is outside");
	T_INT(s->total.f.posts, 2, "two posts");
	T_INT(s->nboards, 2, "both boards listed");
	T_STR(s->boards[0].name, "math", "math");
	T_INT(s->boards[0].f.active, 2, "two active on math");
	T_INT(s->boards[0].f.posts, 2, "two posts on math");
	T_INT(s->boards[0].f.letters, REPORT_NA, "a board has no letters");
	T_INT(s->boards[1].f.posts, 0, "none on tatar");
	T_INT(s->nschools, 2, "two schools of members");
	T_STR(s->schools[0].name, "Гимназия 2", "Г before Ш");
	T_INT(s->schools[0].f.active, 1, "boris, of Гимназия 2");
	T_INT(s->schools[0].f.members, 1, "gleb is banned");
	T_INT(s->schools[1].f.letters, 1, "anna's school wrote the letter");
	report_series_free(s);

	q.by = REPORT_MONTH;
	T_INT(report_series_make(st, &q, &s), 0, "by month");
	T_INT(s->nperiods, 1, "one month");
	T_STR(s->periods[0].name, "2026-03", "March");
	T_INT(s->periods[0].f.active, 2, "two active");
	report_series_free(s);

	q.by = REPORT_WEEK;
	q.school = "ШКОЛА";
	T_INT(report_series_make(st, &q, &s), 0, "one school, by its name");
	T_INT(s->total.f.active, 1, "only anna");
	T_INT(s->total.f.posts, 1, "her post");
	T_INT(s->total.f.downloads, 1, "her download");
	T_INT(s->total.f.new_members, 1, "she is new");
	T_INT(s->nschools, 1, "one school listed");
	report_series_free(s);

	q.school = NULL;
	q.board = "math";
	T_INT(report_series_make(st, &q, &s), 0, "one board");
	T_INT(s->nboards, 1, "only math");
	T_INT(s->periods[0].f.active, 2, "the vote counts on its board");
	T_INT(s->periods[1].f.active, 1, "the letter does not");
	T_INT(s->total.f.letters, REPORT_NA, "no letters for a board");
	report_series_free(s);
	q.board = "nosuch";
	T_INT(report_series_make(st, &q, &s), PERR_NOTFOUND, "no such board");
	T_OK(s == NULL, "nothing made");
	q.board = NULL;
	q.to = q.from;
	T_INT(report_series_make(st, &q, &s), PERR_DATE, "an empty span");
	q.to = q.from + (REPORT_PERIODS_MAX + 1) * 7 * 86400LL;
	T_INT(report_series_make(st, &q, &s), PERR_DATE, "too many periods");
	report_series_free(NULL);

	user_free(anna);
	user_free(boris);
	user_free(gleb);
	user_free(vera);
}

int
main(void)
{
	struct user	*anna, *boris, *pending;
	struct report	*r = NULL;
	int64_t		 math, tatar, tid, pid, now = now_unix();
	char		 q[256];

	t_tmpdir();
	st = t_store("parta.db");
	anna = t_user_get(st, "anna", "Анна", ROLE_TEACHER);
	boris = t_user_get(st, "boris", "Борис", ROLE_TEACHER);
	pending = t_user_get(st, "vera", "Вера", ROLE_PENDING);
	math = board("math", "Математика");
	tatar = board("tatar", "Татар теле");

	/* An old thread, a month ago: outside a week's report. */
	T_INT(post_thread_new(st, anna, anna->id, math, "Старое", "давно", &tid,
	    &pid), 0, "an old thread");
	snprintf(q, sizeof(q), "UPDATE posts SET created_at = %lld;"
	    " UPDATE threads SET created_at = %lld;"
	    " UPDATE users SET created_at = %lld, approved_at = %lld,"
	    " last_login = %lld"
	    " WHERE login = 'boris'", (long long)(now - 30 * 86400),
	    (long long)(now - 30 * 86400), (long long)(now - 30 * 86400),
	    (long long)(now - 30 * 86400), (long long)(now - 20 * 86400));
	sql(q);
	/* This week: two posts by boris on tatar, one by anna on math. */
	T_INT(post_thread_new(st, boris, boris->id, tatar, "Әлифба", "уеннар",
	    &tid, &pid), 0, "a new thread on tatar");
	T_INT(post_reply(st, boris, tid, pid, "тагын", &pid), 0, "a reply");
	T_INT(post_reply(st, anna, tid, pid, "Рәхмәт!", &pid), 0,
	    "anna replies");
	T_INT(post_hide(st, NULL, "t", pid, "проверка"), 0, "one is hidden");
	T_INT(mail_send(st, anna->id, "boris", "Привет", "Как дела?", 0, NULL), 0,
	    "a letter");
	snprintf(q, sizeof(q), "UPDATE users SET last_login = %lld"
	    " WHERE login = 'anna'", (long long)now);
	sql(q);

	T_INT(report_make(st, now - 7 * 86400, &r), 0, "a week's report");
	T_INT(r->accounts, 2, "two accounts may log in (not the pending one)");
	T_INT(r->visitors, 1, "one logged in this week");
	T_INT(r->new_accounts, 1, "one account is new: anna, not pending vera");
	T_INT(r->pending, 1, "one awaits approval");
	T_INT(r->posts, 3, "three posts this week, the hidden one too");
	T_INT(r->threads, 1, "one new thread");
	T_INT(r->hidden, 1, "one hidden");
	T_INT(r->letters, 2, "one letter, and the one telling of the hiding");
	T_INT(r->news, 0, "no news");
	T_INT(r->nboards, 1, "only tatar had posts");
	T_STR(r->boards[0].name, "tatar", "the board is tatar");
	T_INT(r->boards[0].posts, 3, "with three posts");
	T_INT(r->boards[0].threads, 1, "in one thread");
	T_INT(r->nauthors, 2, "two authors");
	T_STR(r->authors[0].login, "boris", "boris wrote most");
	T_INT(r->authors[0].posts, 2, "two posts");
	T_STR(r->authors[1].name, "Анна", "then Анна");
	report_free(r);

	T_INT(report_make(st, now - 60 * 86400, &r), 0, "two months' report");
	T_INT(r->posts, 4, "the old post counts too");
	T_INT(r->visitors, 2, "and boris's visit");
	T_INT(r->nboards, 2, "two boards");
	T_STR(r->boards[0].name, "tatar", "the busier first");
	T_STR(r->boards[1].title, "Математика", "then math");
	report_free(r);
	report_free(NULL);

	user_free(anna);
	user_free(boris);
	user_free(pending);
	growth();
	store_close(st);
	return t_done();
}
