/*
 * test-post.c: boards, threads and posts (visibility by role, read-only
 * boards, premoderation, hiding (a placeholder for the author and the
 * moderators, the author's letter) and unhiding, locking, read pointers and the
 * new-scan, keyset paging through a long thread, quoting), the author's
 * own edits and deletions within the window, and the
 * modules beside them: drafts, mail, news and polls.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "draft.h"
#include "mail.h"
#include "news.h"
#include "perr.h"
#include "polls.h"
#include "post.h"
#include "store.h"
#include "user.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

static struct user *
mkuser(struct store *st, const char *login, enum role role)
{
	return t_user_get(st, login, login, (int)role);
}

static int64_t
board_id(struct store *st, const char *name)
{
	struct board	*b = NULL;
	int64_t		 id = 0;

	if (board_get_for(st, NULL, name, 0, &b) == 0)
		id = b->id;
	board_free(b);
	return id;
}

static int64_t
unread_of(struct store *st, const struct user *u, const char *name)
{
	struct board	*b = NULL;
	int64_t		 n = -1;

	if (board_get_for(st, u, name, 0, &b) == 0)
		n = b->unread;
	board_free(b);
	return n;
}

/* The one integer a query returns, or -1. */
static int64_t
count_of(struct store *st, const char *sql)
{
	return t_int(st, sql, NULL);
}

static void
test_posts(struct store *st)
{
	struct user	*anna = mkuser(st, "anna", ROLE_TEACHER);
	struct user	*boris = mkuser(st, "boris", ROLE_TEACHER);
	struct user	*koord = mkuser(st, "koord", ROLE_TEACHER);
	struct thread	*t = NULL, *tv = NULL;
	struct post	*p = NULL;
	int64_t		 math, news, staff, tid, pid, pid2, a, b, i;
	size_t		 n;
	char		*big, *q;

	T_INT(board_add(st, "math", "Математика", "", "test"), 0, "board add");
	T_INT(board_add(st, "news", "Объявления", "", "test"), 0, "board add news");
	T_INT(board_add(st, "staff", "Учительская", "", "test"), 0, "board add staff");
	T_INT(board_edit(st, "news", "post", "coordinator", "test"), 0,
	    "news is read-only for teachers");
	T_INT(board_edit(st, "staff", "read", "expert", "test"), 0,
	    "staff is for experts");
	T_INT(board_edit(st, "math", "colour", "red", "test"), PERR_BOARD_FIELD,
	    "an unknown field is refused");
	T_INT(board_edit(st, "nope", "title", "X", "test"), PERR_NOTFOUND,
	    "editing a missing board");
	T_INT(board_coordinator(st, "math", "koord", 1, "test"), 0, "coordinator");
	T_INT(board_coordinator(st, "math", "nobody", 1, "test"), PERR_NO_USER,
	    "coordinator: no such user");
	math = board_id(st, "math");
	news = board_id(st, "news");
	staff = board_id(st, "staff");

	T_INT(post_thread_new(st, anna, 0, news, "Тема", "Текст", NULL, NULL),
	    PERR_NO_POST, "a teacher may not post on a read-only board");
	T_INT(post_thread_new(st, anna, 0, staff, "Тема", "Текст", NULL, NULL),
	    PERR_NO_READ, "nor on a board she may not read");
	T_INT(post_thread_new(st, anna, 0, math, "  ", "Текст", NULL, NULL),
	    PERR_EMPTY, "an empty subject is refused");
	T_INT(post_thread_new(st, anna, 0, math, "Тема", " \n ", NULL, NULL),
	    PERR_EMPTY, "an empty body is refused");
	T_INT(post_thread_new(st, anna, 0, math, "Тема", "a\033[2Jb", NULL, NULL),
	    PERR_CONTROL, "an escape sequence is refused");
	big = xmalloc(POST_BODY_MAX + 2);
	memset(big, 'a', POST_BODY_MAX + 1);
	big[POST_BODY_MAX + 1] = '\0';
	T_INT(post_thread_new(st, anna, 0, math, "Тема", big, NULL, NULL),
	    PERR_POST_SIZE, "a body over the limit is refused");
	big[POST_BODY_MAX] = '\0';
	T_INT(post_check_body(big), 0, "a body at the limit is accepted");
	free(big);

	T_INT(post_thread_new(st, anna, 0, math, " Дроби ", "Как объяснять?",
	    &tid, &pid), 0, "a thread");
	T_INT(post_thread_get(st, anna, tid, &t), 0, "the thread is read back");
	T_STR(t != NULL ? t->subject : NULL, "Дроби", "its subject trimmed");
	post_thread_free(t);
	T_INT(unread_of(st, anna, "math"), 0, "one's own post is not new");
	T_INT(unread_of(st, boris, "math"), 1, "another's post is new");
	T_INT(post_next_unread(st, boris, &a, &b), 0, "next unread");
	T_INT(b, pid, "the new-scan finds it");
	T_INT(post_mark_read(st, boris, tid, pid), 0, "mark read");
	T_INT(unread_of(st, boris, "math"), 0, "then nothing is new");
	T_INT(post_next_unread(st, boris, &a, &b), 0, "next unread again");
	T_INT(b, 0, "the new-scan finds nothing");

	/* A long thread pages by post id. */
	for (i = 0; i < 300; i++)
		if (post_reply(st, boris, tid, 0, "ответ", &pid2) != 0)
			break;
	T_INT(i, 300, "300 replies");
	T_INT(post_get(st, anna, tid, INT64_MAX, -1, &p), 0, "the last post");
	T_INT(p != NULL ? p->index : 0, 301, "its position");
	T_INT(p != NULL ? p->total : 0, 301, "of all");
	post_free(p);
	T_INT(post_get(st, anna, tid, pid, 1, &p), 0, "the post after the first");
	T_INT(p != NULL ? p->index : 0, 2, "is the second");
	post_free(p);
	T_INT(board_mark_read(st, anna, math), 0, "mark board read");
	T_INT(unread_of(st, anna, "math"), 0, "the board has nothing new");
	T_INT(post_reply(st, boris, tid, 0, "ещё", &pid2), 0, "one more reply");
	T_INT(unread_of(st, anna, "math"), 1, "counts as new after the mark");

	/* Moderation. */
	T_INT(post_hide(st, anna, "anna", pid2, "нет"), PERR_NOT_MOD,
	    "a teacher may not hide");
	T_INT(post_hide(st, koord, "koord", pid2, "не по теме"), 0,
	    "the coordinator hides a post");
	T_INT(post_get(st, anna, tid, pid2, 0, &p), PERR_NOTFOUND,
	    "the hidden post is not shown");
	post_free(p);
	p = NULL;
	T_INT(unread_of(st, anna, "math"), 0, "nor counted");
	T_INT(post_get(st, boris, tid, pid2, 0, &p), 0,
	    "its author still sees it");
	T_OK(p != NULL && p->id == pid2 && p->hidden_at != 0 &&
	    strcmp(p->hide_reason, "не по теме") == 0,
	    "as hidden, with the reason");
	post_free(p);
	p = NULL;
	T_INT(post_get(st, koord, tid, pid2, 0, &p), 0, "so does the coordinator");
	T_INT(p != NULL ? p->total : 0, 302, "counted among the posts he sees");
	post_free(p);
	p = NULL;
	T_INT(count_of(st, "SELECT count(*) FROM mail m JOIN mail_boxes x"
	    " ON x.mail_id = m.id JOIN users u ON u.id = x.user_id"
	    " WHERE u.login = 'boris' AND x.folder = 'inbox'"
	    " AND m.sender_id = (SELECT id FROM users WHERE login = 'koord')"
	    " AND instr(m.body, 'не по теме') > 0 AND instr(m.body, 'Дроби') > 0"),
	    1, "the author has a letter from the coordinator saying why");
	T_INT(post_unhide(st, anna, "anna", pid2), PERR_NOT_MOD,
	    "a teacher may not unhide");
	T_INT(post_unhide(st, koord, "koord", pid2), 0, "the coordinator unhides");
	T_INT(post_get(st, anna, tid, pid2, 0, &p), 0, "all see it again");
	T_OK(p != NULL && p->hidden_at == 0 && *p->hide_reason == '\0',
	    "no longer hidden");
	post_free(p);
	p = NULL;
	T_INT(post_unhide(st, koord, "koord", pid2), PERR_NOT_HIDDEN,
	    "unhiding a shown post");
	T_INT(count_of(st, "SELECT count(*) FROM audit WHERE action ="
	    " 'unhide post' AND actor = 'koord'"), 1, "unhiding is audited");
	T_INT(post_hide(st, koord, "koord", pid2, "не по теме"), 0,
	    "hidden again");
	T_INT(post_thread_flag(st, koord, "koord", tid, POST_LOCK, 1), 0, "lock");
	T_INT(post_reply(st, anna, tid, 0, "можно?", NULL), PERR_LOCKED,
	    "a reply to a locked thread is refused");
	T_INT(post_reply(st, koord, tid, 0, "итог", NULL), 0,
	    "the coordinator may still reply");
	T_INT(post_set_subject(st, koord, "koord", pid, "Дроби: итоги"), 0,
	    "retitle");
	T_INT(post_thread_get(st, anna, tid, &tv), 0, "read back");
	T_STR(tv != NULL ? tv->subject : NULL, "Дроби: итоги",
	    "the first post's title is the thread's");
	post_thread_free(tv);
	T_INT(post_hide(st, NULL, "console", pid, "дубль"), 0,
	    "hiding the first post");
	T_INT(post_thread_get(st, boris, tid, &tv), PERR_HIDDEN,
	    "hides the thread");
	T_INT(post_thread_get(st, anna, tid, &tv), 0,
	    "but its author sees it");
	T_OK(tv != NULL && tv->hidden_at != 0 &&
	    strcmp(tv->hide_reason, "дубль") == 0, "as hidden, with the reason");
	post_thread_free(tv);
	tv = NULL;
	T_INT(post_reply(st, koord, tid, 0, "ещё", NULL), PERR_HIDDEN,
	    "and replies to it are refused");
	T_INT(post_reply(st, anna, tid, 0, "ещё", NULL), PERR_HIDDEN,
	    "also by its author");
	T_INT(count_of(st, "SELECT count(*) FROM mail m JOIN mail_boxes x"
	    " ON x.mail_id = m.id JOIN users u ON u.id = x.user_id"
	    " WHERE u.login = 'anna' AND m.sender_id IS NULL"
	    " AND instr(m.body, 'дубль') > 0"), 1,
	    "the author of the thread has a letter from the console");

	/* Premoderation. */
	T_INT(board_edit(st, "math", "premoderated", "yes", "test"), 0, "premod");
	T_INT(post_thread_new(st, anna, 0, math, "Вопрос", "Текст", &tid, NULL), 0,
	    "a thread on a premoderated board");
	T_INT(post_thread_get(st, boris, tid, &tv), PERR_NOTFOUND,
	    "waits unseen by others");
	T_INT(post_thread_get(st, anna, tid, &tv), 0, "but seen by its author");
	post_thread_free(tv);
	T_INT(post_thread_flag(st, koord, "koord", tid, POST_APPROVE, 1), 0,
	    "approved");
	T_INT(post_thread_get(st, boris, tid, &tv), 0, "then seen by all");
	post_thread_free(tv);
	T_INT(post_thread_move(st, koord, "koord", tid, news), PERR_NOT_MOD,
	    "moving needs both boards");
	T_INT(board_coordinator(st, "news", "koord", 1, "test"), 0, "coordinator 2");
	T_INT(post_thread_move(st, koord, "koord", tid, news), 0, "moved");
	T_INT(post_threads(st, anna, news, &t, &n), 0, "news threads");
	T_INT(n, 1, "the moved thread is there");
	post_threads_free(t, n);

	q = post_quote("anna", 0, "Первая строка достаточно длинная, чтобы её "
	    "пришлось переносить на узком экране.\n> старая цитата", 30);
	T_OK(strstr(q, "anna") != NULL, "the quote names its author");
	T_OK(strstr(q, "\n> Первая строка") != NULL, "lines are marked >");
	T_OK(strstr(q, "\n>> старая цитата") != NULL, "old quotes go deeper");
	free(q);

	user_free(anna);
	user_free(boris);
	user_free(koord);
}

static void
test_others(struct store *st)
{
	struct user	*anna = NULL, *boris = NULL;
	struct draft	*d = NULL;
	struct letter	*l = NULL;
	struct news_item *nv = NULL;
	struct poll	*pv = NULL;
	const char	*opts[] = { "Да", "Нет" };
	int64_t		 id = 0, poll = 0, o[2];
	size_t		 n = 0;

	T_INT(user_get(st, "anna", &anna), 0, "anna");
	T_INT(user_get(st, "boris", &boris), 0, "boris");

	T_INT(draft_save(st, anna->id, &id, NULL, "post", "1", "Тема", "текст"), 0,
	    "a draft");
	T_INT(draft_save(st, anna->id, &id, NULL, "post", "1", "Тема", "текст 2"), 0,
	    "saved again");
	T_INT(draft_latest(st, anna->id, &d), 0, "the latest draft");
	T_STR(d != NULL ? d->body : NULL, "текст 2", "holds the last text");
	draft_free(d);
	T_INT(draft_delete(st, anna->id, id), 0, "deleted");
	T_INT(draft_latest(st, anna->id, &d), PERR_NOTFOUND, "none left");

	/* The letters moderation sent are not this part's. */
	T_INT(store_exec(st, "DELETE FROM mail"), 0, "an empty mailbox");
	T_INT(mail_send(st, anna->id, "nobody", "Тема", "Текст", 0, NULL),
	    PERR_NO_USER, "mail to nobody");
	T_INT(mail_send(st, anna->id, "BORIS", "Тема", "Текст", 0, &id), 0,
	    "mail (login case-insensitive)");
	T_INT(mail_unread(st, boris->id), 1, "one new letter");
	T_INT(mail_set_read(st, boris->id, id, 1), 0, "read");
	T_INT(mail_unread(st, boris->id), 0, "none new");
	T_INT(mail_set_read(st, boris->id, id, 0), 0, "unread again");
	T_INT(mail_unread(st, boris->id), 1, "one new again");
	T_INT(mail_list(st, anna->id, "sent", &l, &n), 0, "sent folder");
	T_INT(n, 1, "holds the letter");
	T_STR(n > 0 ? l[0].to : NULL, "boris", "to boris");
	mail_list_free(l, n);
	T_INT(mail_delete(st, boris->id, "inbox", id), 0, "deleted");
	T_INT(mail_unread(st, boris->id), 0, "gone from the inbox");
	T_INT(mail_broadcast(st, 0, ROLE_TEACHER, "Всем", "Текст", &n), 0,
	    "broadcast");
	T_INT(n, 3, "to the three teachers");

	T_INT(news_add(st, 0, "Новость", "Текст", "test", &id), 0, "news");
	T_INT(news_list(st, anna->id, &nv, &n), 0, "unseen news");
	T_INT(n, 1, "one item");
	news_list_free(nv, n);
	T_INT(news_seen(st, anna->id, id), 0, "seen");
	T_INT(news_list(st, anna->id, &nv, &n), 0, "unseen news again");
	T_INT(n, 0, "none");
	news_list_free(nv, n);

	T_INT(poll_add(st, anna, "anna", board_id(st, "news"), "Вопрос?", opts, 2,
	    0, 0, &poll), PERR_NOT_MOD, "a teacher may not open a poll");
	T_INT(poll_add(st, NULL, "test", board_id(st, "news"), "Вопрос?", opts, 1,
	    0, 0, &poll), PERR_POLL_OPTIONS, "one option is too few");
	T_INT(poll_add(st, NULL, "test", board_id(st, "news"), "Вопрос?", opts, 2,
	    0, 0, &poll), 0, "a poll");
	T_INT(poll_list(st, anna, board_id(st, "news"), &pv, &n), 0, "polls");
	T_INT(n, 1, "one poll");
	o[0] = pv[0].opt[0].id;
	o[1] = pv[0].opt[1].id;
	poll_list_free(pv, n);
	T_INT(poll_vote(st, anna, poll, o, 2), PERR_CHOICE,
	    "two answers to a single-choice poll");
	T_INT(poll_vote(st, anna, poll, o, 1), 0, "a vote");
	T_INT(poll_list(st, anna, board_id(st, "news"), &pv, &n), 0, "polls");
	T_INT(n > 0 ? pv[0].opt[0].mine : -1, 1, "her answer is marked hers");
	poll_list_free(pv, n);
	T_INT(poll_vote(st, anna, poll, o + 1, 1), 0, "a vote changed");
	T_INT(poll_list(st, anna, board_id(st, "news"), &pv, &n), 0, "polls");
	T_INT(n > 0 ? pv[0].opt[0].votes : -1, 0, "the first answer lost it");
	T_INT(n > 0 ? pv[0].opt[1].votes : -1, 1, "the second has it");
	T_INT(n > 0 ? pv[0].opt[1].mine && !pv[0].opt[0].mine : -1, 1,
	    "... and is hers now");
	T_INT(n > 0 ? pv[0].voters : -1, 1, "one voter still");
	T_INT(n > 0 ? pv[0].voted : -1, 1, "marked voted");
	poll_list_free(pv, n);

	user_free(anna);
	user_free(boris);
}

/* The author edits and deletes her own posts, within the window only. */
static void
test_own(struct store *st)
{
	struct user	*anna = mkuser(st, "vera", ROLE_TEACHER);
	struct user	*boris = mkuser(st, "gleb", ROLE_TEACHER);
	struct post	*p = NULL;
	int64_t		 math, tid, first, reply, r2;
	char		 sql[160];
	int		 kept;

	T_INT(board_add(st, "own", "Свои правки", "", "test"), 0, "board add");
	math = board_id(st, "own");

	T_INT(post_thread_new(st, anna, 0, math, "Своя тема", "Черновик",
	    &tid, &first), 0, "her thread");
	T_INT(post_edit(st, anna, first, "Исправленный кактус", 30), 0,
	    "she edits it within the window");
	T_INT(post_get(st, boris, tid, first, 0, &p), 0, "others read it");
	T_STR(p != NULL ? p->body : "", "Исправленный кактус", "the new text");
	T_INT(p != NULL && p->edited_at > 0, 1, "marked edited");
	post_free(p);
	T_INT(count_of(st, "SELECT count(*) FROM posts_fts WHERE posts_fts"
	    " MATCH 'кактус'"), 1, "the search index follows the edit");
	T_INT(count_of(st, "SELECT count(*) FROM posts_fts WHERE posts_fts"
	    " MATCH 'Черновик'"), 0, "and forgets the old text");
	T_INT(post_edit(st, boris, first, "Чужая правка", 30), PERR_EDIT_LATE,
	    "nobody else may edit it");
	T_INT(post_edit(st, NULL, first, "Консоль", 30), PERR_EDIT_LATE,
	    "nor the console, as an author");
	T_INT(post_edit(st, anna, first, " \n", 30), PERR_EMPTY,
	    "an empty body is refused");
	T_INT(post_edit(st, anna, first, "Никогда", 0), PERR_EDIT_LATE,
	    "a window of 0 allows no edit");
	T_INT(post_delete(st, boris, first, 30, &kept), PERR_EDIT_LATE,
	    "nobody else may delete it");

	T_INT(post_reply(st, boris, tid, first, "Ответ", &reply), 0, "a reply");
	T_INT(post_reply(st, anna, tid, reply, "Её ответ", &r2), 0,
	    "her reply to it");
	snprintf(sql, sizeof(sql), "UPDATE posts SET created_at = created_at"
	    " - 31 * 60 WHERE id = %lld", (long long)r2);
	T_INT(store_exec(st, sql), 0, "her reply grows old");
	T_INT(post_edit(st, anna, r2, "Поздно", 30), PERR_EDIT_LATE,
	    "too late to edit");
	T_INT(post_delete(st, anna, r2, 30, &kept), PERR_EDIT_LATE,
	    "too late to delete");
	T_INT(post_edit(st, anna, r2, "Ещё можно", 60), 0,
	    "a longer window still allows it");
	T_INT(post_delete(st, anna, r2, 60, &kept), 0, "she deletes her reply");
	T_INT(kept, 0, "a reply is gone");
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM posts WHERE id = %lld",
	    (long long)r2);
	T_INT(count_of(st, sql), 0, "no longer stored");

	T_INT(post_delete(st, anna, first, 30, &kept), 0,
	    "she deletes her first post, which has a reply");
	T_INT(kept, 1, "it stays as a placeholder");
	T_INT(post_get(st, boris, tid, first, 0, &p), 0, "the thread stays");
	T_STR(p != NULL ? p->body : "?", "", "its text is gone");
	T_INT(p != NULL && p->edited_at > 0, 1, "marked edited");
	post_free(p);
	T_INT(post_get(st, boris, tid, reply, 0, &p), 0, "the reply stays");
	post_free(p);
	T_INT(count_of(st, "SELECT count(*) FROM posts_fts WHERE posts_fts"
	    " MATCH 'кактус'"), 0, "the index forgets the deleted text");

	T_INT(post_thread_new(st, anna, 0, math, "Одинокая", "Без ответов",
	    &tid, &first), 0, "a thread without replies");
	T_INT(post_delete(st, anna, first, 30, &kept), 0, "she deletes it");
	T_INT(kept, 0, "not kept");
	T_INT(post_get(st, anna, tid, 0, 0, &p), PERR_NOTFOUND,
	    "the thread is gone");

	user_free(anna);
	user_free(boris);
}

int
main(void)
{
	struct store	*st;

	t_tmpdir();
	st = t_store("post.db");
	test_posts(st);
	test_others(st);
	test_own(st);
	store_close(st);
	return t_done();
}
