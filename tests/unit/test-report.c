/*
 * test-report.c: the sysop's activity report counts what happened in
 * the period and nothing before it, lists the busiest boards and the
 * most active authors in order, and frees what it made.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
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
	    " UPDATE users SET created_at = %lld, last_login = %lld"
	    " WHERE login = 'boris'", (long long)(now - 30 * 86400),
	    (long long)(now - 30 * 86400), (long long)(now - 30 * 86400),
	    (long long)(now - 20 * 86400));
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
	T_INT(r->new_accounts, 2, "two accounts are new (anna and vera)");
	T_INT(r->pending, 1, "one awaits approval");
	T_INT(r->posts, 3, "three posts this week, the hidden one too");
	T_INT(r->threads, 1, "one new thread");
	T_INT(r->hidden, 1, "one hidden");
	T_INT(r->letters, 1, "one letter");
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
	store_close(st);
	return t_done();
}
