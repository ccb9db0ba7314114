/*
 * test-changes.c: the change log as each user may see it (changes.h).
 * Per entity, what a reader, a board's coordinator, the sysop and the
 * row's author or owner are told after each write, deletes and hides
 * included: a hidden post is a delete to the reader and an update to
 * its coordinator and the sysop; a letter reaches only its sender and
 * recipient; read pointers, votes and drafts only their owner.  Then
 * paging, the query plan (an index, never a scan of the whole log), and
 * a store of the previous schema migrated.
 *
 * The writes go through the modules' own functions (the real triggers'
 * inputs), each wrapped once below.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "board.h"
#include "changes.h"
#include "chat.h"
#include "collate.h"
#include "confusable.h"
#include "draft.h"
#include "event.h"
#include "library.h"
#include "mail.h"
#include "news.h"
#include "perr.h"
#include "polls.h"
#include "post.h"
#include "search.h"
#include "store-schema.h"
#include "store.h"
#include "user.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

static struct store *st;
/* sys the sysop; coord a teacher who coordinates math and prem; elena
 * an expert who coordinates staff; anna, boris and vera teachers. */
static struct user *sys, *coord, *elena, *anna, *boris, *vera;
static int64_t math, staff, prem;

static const char *const op_name[] = { "insert", "update", "delete" };

/*
 * What u is told of row uuid of entity since seq since: the ops in
 * order, space-separated ("" when nothing).  The console when u is NULL.
 */
static const char *
ops(const struct user *u, const char *entity, const char *uuid,
    int64_t since)
{
	static char	 buf[256];
	struct change	*v = NULL;
	size_t		 n = 0, i, len;

	buf[0] = '\0';
	if (changes_since(st, u, since, 100000, &v, &n) != 0)
		return "(failed)";
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].entity, entity) != 0 ||
		    strcmp(v[i].uuid, uuid) != 0)
			continue;
		len = strlen(buf);
		snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    len > 0 ? " " : "", op_name[v[i].op]);
	}
	changes_free(v);
	return buf;
}

/*
 * What each of several users is told since seq since: one row a user
 * (NULL: the console), one check a row.
 */
struct told {
	const struct user	*u;
	const char		*entity;
	const char		*uuid;
	const char		*want;
	const char		*what;
};

static void
told_check(const struct told *c, size_t n, int64_t since)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		T_STR(ops(c[i].u, c[i].entity, c[i].uuid, since), c[i].want,
		    "%s", c[i].what);
}

#define TOLD(since, ...) do {						\
	const struct told	 told_c_[] = { __VA_ARGS__ };		\
									\
	told_check(told_c_, nitems(told_c_), (since));			\
} while (0)

/* The write call succeeds (returns 0), described by what; since is set
 * to the head before it, and each row of struct told then holds. */
#define AFTER(since, call, what, ...) do {				\
	(since) = head();						\
	T_INT((call), 0, "%s", (what));					\
	TOLD((since), __VA_ARGS__);					\
} while (0)

static int64_t
head(void)
{
	return t_changes_head(st);
}

/* The uuid the query sql finds for id, into out. */
static void
uuid_of(const char *sql, int64_t id, char out[37])
{
	sqlite3_stmt	*stmt = store_stmt(st, sql, "i", id);

	out[0] = '\0';
	if (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_text(stmt, 0) != NULL)
		strlcpy_p(out, (const char *)sqlite3_column_text(stmt, 0), 37);
	sqlite3_finalize(stmt);
}

static int64_t
board_of(const char *name)
{
	int64_t	 id = 0;

	store_int(st, &id, "SELECT id FROM boards WHERE name = ?1", "t", name);
	return id;
}

/* ---- the writes, one wrapper each ------------------------------- */

static int64_t
w_thread(const struct user *u, int64_t board, int64_t *post)
{
	int64_t	 t = 0;

	if (post_thread_new(st, u, 0, board, "Дроби", "Как объяснять дроби?",
	    &t, post) != 0)
		return 0;
	return t;
}

static int64_t
w_reply(const struct user *u, int64_t thread)
{
	int64_t	 p = 0;

	return post_reply(st, u, thread, 0, "Через пирог.", &p) == 0 ? p : 0;
}

static int
w_hide(const struct user *u, int64_t post, int on)
{
	return on ? post_hide(st, u, u->login, post, "не по теме") :
	    post_unhide(st, u, u->login, post);
}

static int64_t
w_mail(const struct user *from, const char *to)
{
	int64_t	 id = 0;

	return mail_send(st, from->id, to, "Привет", "Текст письма", 0,
	    &id) == 0 ? id : 0;
}

/* ---- boards and coordinators ----------------------------------- */

static void
test_boards(void)
{
	int64_t	 s0 = head(), s1, club;
	char	 m[37], sf[37], c[37];

	T_INT(board_add(st, "math", "Математика", "", "console"), 0, "board math");
	T_INT(board_add(st, "staff", "Учительская", "", "console"), 0,
	    "board staff");
	T_INT(board_add(st, "prem", "Предмодерация", "", "console"), 0,
	    "board prem");
	T_INT(board_edit(st, "staff", "read", "coordinator", "console"), 0,
	    "staff is for coordinators");
	T_INT(board_edit(st, "prem", "premoderated", "yes", "console"), 0,
	    "prem is premoderated");
	math = board_of("math");
	staff = board_of("staff");
	prem = board_of("prem");
	uuid_of("SELECT uuid FROM boards WHERE id = ?1", math, m);
	uuid_of("SELECT uuid FROM boards WHERE id = ?1", staff, sf);

	TOLD(s0,
	    { anna, "board", m, "insert", "a reader is told of a new board" },
	    { NULL, "board", m, "insert", "... so is the console" },
	    { sys, "board", sf, "insert update",
	      "the sysop is told of the coordinators' board and its change" });

	AFTER(s1,
	    board_edit(st, "staff", "title", "Для координаторов", "console"),
	    "staff retitled",
	    { anna, "board", sf, "",
	      "a board she may not read is never announced to a teacher" },
	    { coord, "board", sf, "",
	      "... nor to another board's coordinator" },
	    { sys, "board", sf, "update", "the sysop is told" });

	/* A board made stricter is gone for those who may no longer read it. */
	T_INT(board_add(st, "club", "Клуб", "", "console"), 0, "board club");
	club = board_of("club");
	uuid_of("SELECT uuid FROM boards WHERE id = ?1", club, c);
	AFTER(s1, board_edit(st, "club", "read", "expert", "console"),
	    "club for experts and up",
	    { anna, "board", c, "delete",
	      "a teacher who may no longer read it is told it is gone" },
	    { elena, "board", c, "update", "the expert: an update" },
	    { sys, "board", c, "update", "the sysop: an update" });
	s1 = head();
	T_INT(board_remove(st, "club", "console"), 0, "club removed");
	T_STR(ops(elena, "board", c, s1), "delete", "a removed board is a delete");

	/* Coordinators: the board's readers learn who moderates it. */
	s1 = head();
	T_INT(board_coordinator(st, "math", "coord", 1, "console"), 0,
	    "coord coordinates math");
	T_INT(board_coordinator(st, "prem", "coord", 1, "console"), 0,
	    "... and prem");
	T_INT(board_coordinator(st, "staff", "elena", 1, "console"), 0,
	    "elena coordinates staff");
	TOLD(s1,
	    { anna, "coordinator", coord->uuid, "insert insert",
	      "a reader of math and prem learns their coordinator" },
	    { anna, "coordinator", elena->uuid, "",
	      "... not the coordinator of a board she may not read" },
	    { sys, "coordinator", elena->uuid, "insert", "the sysop does" });
	s1 = head();
	T_INT(board_coordinator(st, "math", "vera", 1, "console"), 0, "vera too");
	T_INT(board_coordinator(st, "math", "vera", 0, "console"), 0,
	    "vera no longer");
	T_STR(ops(anna, "coordinator", vera->uuid, s1), "insert delete",
	    "a coordinator removed is a delete");
	{
		struct change	*v = NULL;
		size_t		 n = 0;

		T_INT(changes_since(st, anna, s1, 1, &v, &n), 0, "one change");
		T_INT(n, 1, "... one");
		if (n == 1) {
			T_STR(v[0].entity, "coordinator", "... a coordinator");
			T_INT(v[0].board_id, math, "... of the board math");
			T_INT(v[0].user_id, 0, "... no one user's");
		}
		changes_free(v);
	}
}

/* ---- threads and posts, hidden and shown ------------------------ */

static void
test_posts(void)
{
	int64_t	 s, t, p1 = 0, p2, p3, t2, q2 = 0, t3, q3 = 0;
	char	 tu[37], u1[37], u2[37], u3[37], tu2[37], uq2[37], tu3[37];
	char	 uq3[37];
	int	 kept = 0;

	s = head();
	t = w_thread(boris, math, &p1);
	p2 = w_reply(anna, t);
	p3 = w_reply(vera, t);
	T_OK(t > 0 && p1 > 0 && p2 > 0 && p3 > 0, "a thread with two replies");
	uuid_of("SELECT uuid FROM threads WHERE id = ?1", t, tu);
	uuid_of("SELECT uuid FROM posts WHERE id = ?1", p1, u1);
	uuid_of("SELECT uuid FROM posts WHERE id = ?1", p2, u2);
	uuid_of("SELECT uuid FROM posts WHERE id = ?1", p3, u3);
	TOLD(s,
	    { anna, "thread", tu, "insert update update",
	      "a reader: the thread, touched by each reply" },
	    { anna, "post", u3, "insert", "a reader: each post" },
	    { elena, "post", u3, "insert", "an expert reads math too" });

	/* A coordinator hides and shows posts: one step a row, what each
	 * user is told of it after.  A reply hidden is gone for readers, an
	 * update for those who still see it (its author, the board's
	 * coordinator, the sysop); the first post hidden hides the thread. */
	{
		const struct {
			int64_t		 post;
			int		 hidden;
			const char	*what;
			struct told	 told[9];	/* to the first NULL entity */
		} steps[] = {
			{ p3, 1, "the coordinator hides vera's reply", {
			    { anna, "post", u3, "delete", "the reader: a delete" },
			    { boris, "post", u3, "delete",
			      "the thread's author, not the reply's: a delete" },
			    { vera, "post", u3, "update", "its author: an update" },
			    { coord, "post", u3, "update",
			      "the coordinator: an update" },
			    { sys, "post", u3, "update", "the sysop: an update" },
			    { NULL, "post", u3, "update",
			      "the console: an update" },
			    { anna, "thread", tu, "", "the thread is untouched" } } },
			{ p3, 0, "... and shows it again", {
			    { anna, "post", u3, "update", "the reader: it is back" },
			    { coord, "post", u3, "update",
			      "the coordinator: an update" } } },
			{ p1, 1, "the coordinator hides the first post", {
			    { anna, "post", u1, "delete",
			      "the reader: the post is gone" },
			    { anna, "thread", tu, "delete", "... and the thread" },
			    { vera, "thread", tu, "delete",
			      "a reply's author: the thread is gone" },
			    { boris, "post", u1, "update", "its author: an update" },
			    { boris, "thread", tu, "update", "... of the thread too" },
			    { coord, "thread", tu, "update",
			      "the coordinator: an update" },
			    { sys, "thread", tu, "update", "the sysop: an update" },
			    { anna, "post", u2, "",
			      "her own reply in it is no change of its own: it goes with the thread" } } },
			{ p1, 0, "... and shows it again", {
			    { anna, "thread", tu, "update",
			      "the reader: the thread is back" },
			    { anna, "post", u1, "update", "... with its first post" },
			    { anna, "post", u2, "update", "... and its replies" },
			    { anna, "post", u3, "update", "... all of them" },
			    { coord, "post", u1, "update update",
			      "the coordinator: the post's update, then the thread's posts again" } } },
		};
		size_t	 i, n;

		for (i = 0; i < nitems(steps); i++) {
			s = head();
			T_INT(w_hide(coord, steps[i].post, steps[i].hidden), 0,
			    "%s", steps[i].what);
			for (n = 0; n < nitems(steps[i].told) &&
			    steps[i].told[n].entity != NULL; n++)
				;
			told_check(steps[i].told, n, s);
		}
	}

	/* Premoderation: a thread waiting is its author's and the
	 * coordinators' until approved. */
	s = head();
	t2 = w_thread(boris, prem, &q2);
	T_OK(t2 > 0, "boris opens a thread on the premoderated board");
	uuid_of("SELECT uuid FROM threads WHERE id = ?1", t2, tu2);
	uuid_of("SELECT uuid FROM posts WHERE id = ?1", q2, uq2);
	TOLD(s,
	    { anna, "thread", tu2, "", "a reader is not told of it" },
	    { anna, "post", uq2, "", "... nor of its post" },
	    { boris, "thread", tu2, "insert", "its author is" },
	    { coord, "post", uq2, "insert", "the coordinator is" },
	    { sys, "thread", tu2, "insert", "the sysop is" });
	AFTER(s, post_thread_flag(st, coord, "coord", t2, POST_APPROVE, 1),
	    "the coordinator approves it",
	    { anna, "thread", tu2, "update", "the reader: it arrives" },
	    { anna, "post", uq2, "update", "... with its post" });

	/* A thread moved to a board the reader may not read is gone. */
	AFTER(s, post_thread_move(st, sys, "sys", t2, staff),
	    "the sysop moves it to staff",
	    { anna, "thread", tu2, "delete", "the reader: gone" },
	    { anna, "post", uq2, "", "its post goes with it, unsaid" },
	    { coord, "thread", tu2, "delete",
	      "prem's coordinator, who may not read staff: gone" },
	    { elena, "thread", tu2, "delete update",
	      "staff's coordinator, who reads both: gone from prem, then on staff" },
	    { elena, "post", uq2, "update", "... with its post" },
	    { sys, "thread", tu2, "delete update", "the sysop likewise" });

	/* The author deletes her own thread. */
	s = head();
	t3 = w_thread(boris, math, &q3);
	uuid_of("SELECT uuid FROM threads WHERE id = ?1", t3, tu3);
	uuid_of("SELECT uuid FROM posts WHERE id = ?1", q3, uq3);
	T_INT(post_delete(st, boris, q3, 60, &kept), 0, "boris deletes it");
	TOLD(s,
	    { anna, "post", uq3, "insert delete",
	      "the reader: the post deleted" },
	    { anna, "thread", tu3, "insert delete", "... and its thread" },
	    { sys, "thread", tu3, "insert delete", "the sysop likewise" });

	/* Read pointers are the reader's alone. */
	s = head();
	T_INT(post_mark_read(st, anna, t, p2), 0, "anna reads up to her reply");
	T_INT(post_mark_read(st, anna, t, p3), 0, "... and on");
	T_INT(post_mark_read(st, anna, t, p3), 0, "... and again (no change)");
	TOLD(s,
	    { anna, "thread_read", tu, "insert update",
	      "her pointer in the thread, once per move" },
	    { boris, "thread_read", tu, "", "not boris's business" },
	    { sys, "thread_read", tu, "", "nor the sysop's" });
	T_INT(board_mark_read(st, anna, math), 0, "anna marks math read");
	{
		char	 m[37];

		uuid_of("SELECT uuid FROM boards WHERE id = ?1", math, m);
		TOLD(s,
		    { anna, "board_read", m, "insert", "her board pointer" },
		    { sys, "board_read", m, "", "the sysop is not told" });
	}
}

/* ---- mail ------------------------------------------------------- */

static void
test_mail(void)
{
	int64_t	 s = head(), l;
	char	 lu[37], ab[37], bb[37];

	l = w_mail(boris, "anna");
	T_OK(l > 0, "boris writes to anna");
	uuid_of("SELECT uuid FROM mail WHERE id = ?1", l, lu);
	uuid_of("SELECT uuid FROM mail_boxes WHERE mail_id = ?1 AND folder ="
	    " 'inbox'", l, ab);
	uuid_of("SELECT uuid FROM mail_boxes WHERE mail_id = ?1 AND folder ="
	    " 'sent'", l, bb);
	T_INT(strlen(ab), 36, "her box row has a uuid");
	T_INT(strlen(bb), 36, "so has his");
	T_OK(strcmp(ab, bb) != 0, "... another one");
	TOLD(s,
	    { anna, "mail", lu, "insert",
	      "the recipient is told of the letter" },
	    { anna, "mail_box", ab, "insert", "... in her inbox" },
	    { boris, "mail", lu, "insert", "the sender too" },
	    { boris, "mail_box", bb, "insert", "... in his sent folder" },
	    { anna, "mail_box", bb, "", "she is not told of his box" });
	T_INT(t_changes(st, vera, s, "mail", NULL) +
	    t_changes(st, vera, s, "mail_box", NULL), 0, "anyone else is told nothing");
	T_INT(t_changes(st, sys, s, "mail", NULL) +
	    t_changes(st, sys, s, "mail_box", NULL), 0, "not even the sysop");
	T_INT(t_changes(st, NULL, s, "mail", NULL) +
	    t_changes(st, NULL, s, "mail_box", NULL), 0, "nor the console");

	s = head();
	T_INT(mail_set_read(st, anna->id, l, 1), 0, "anna reads it");
	T_STR(ops(anna, "mail_box", ab, s), "update", "her box: an update");
	T_INT(t_changes(st, boris, s, NULL, NULL), 0, "the sender is told nothing");
	AFTER(s, mail_delete(st, anna->id, "inbox", l),
	    "anna deletes it",
	    { anna, "mail_box", ab, "delete", "her box is gone for her" },
	    { anna, "mail", lu, "delete", "... and the letter with it" });
	T_INT(t_changes(st, boris, s, NULL, NULL), 0,
	    "the sender keeps his copy, told nothing");
	T_STR(ops(boris, "mail", lu, 0), "insert", "... the letter stays his");

	/* No screen deletes a letter outright; the trigger is there for the
	 * console and the sync that will. */
	s = head();
	T_INT(store_write(st, NULL, "DELETE FROM mail WHERE id = ?1", "i", l),
	    0, "the letter itself deleted");
	TOLD(s,
	    { boris, "mail", lu, "delete", "the sender: the letter is gone" },
	    { boris, "mail_box", bb, "delete", "... with his box" },
	    { anna, "mail", lu, "", "she had deleted it: not told again" });
	T_INT(t_changes(st, vera, s, NULL, NULL), 0, "anyone else: nothing");

	/* A letter to oneself: deleting one box keeps the letter. */
	s = head();
	l = w_mail(vera, "vera");
	uuid_of("SELECT uuid FROM mail WHERE id = ?1", l, lu);
	T_INT(mail_delete(st, vera->id, "sent", l), 0, "vera deletes her sent copy");
	T_STR(ops(vera, "mail", lu, s), "insert insert",
	    "the letter stays in her inbox: no delete of it");
}

/* ---- news, polls, the library, accounts, drafts ----------------- */

static void
test_news(void)
{
	int64_t	 s = head(), id = 0;
	char	 nu[37];

	T_INT(news_add(st, sys->id, "Новости", "Текст", "sys", &id), 0, "news");
	uuid_of("SELECT uuid FROM news WHERE id = ?1", id, nu);
	TOLD(s,
	    { anna, "news", nu, "insert", "every reader is told of news" },
	    { vera, "news", nu, "insert", "... every one" });
	T_INT(news_seen(st, anna->id, id), 0, "anna has seen it");
	TOLD(s,
	    { anna, "news_read", anna->uuid, "insert", "her news pointer" },
	    { vera, "news_read", anna->uuid, "", "not vera's business" });
	T_INT(news_remove(st, id, "sys"), 0, "news removed");
	T_STR(ops(vera, "news", nu, s), "insert delete", "removed news is a delete");
}

static void
test_polls(void)
{
	static const char *const opt[] = { "Да", "Нет" };
	int64_t	 s = head(), p = 0, q = 0, o1;
	char	 pu[37], qu[37], ou1[37], ou2[37];

	T_INT(poll_add(st, coord, "coord", math, "Нужен кружок?", opt, 2, 0,
	    0, &p), 0, "the coordinator asks on math");
	T_INT(poll_add(st, sys, "sys", staff, "Совещание?", opt, 2, 0, 0, &q),
	    0, "the sysop asks on staff");
	uuid_of("SELECT uuid FROM polls WHERE id = ?1", p, pu);
	uuid_of("SELECT uuid FROM polls WHERE id = ?1", q, qu);
	o1 = 0;
	store_int(st, &o1, "SELECT min(id) FROM poll_options WHERE"
	    " poll_id = ?1", "i", p);
	uuid_of("SELECT uuid FROM poll_options WHERE id = ?1", o1, ou1);
	uuid_of("SELECT uuid FROM poll_options WHERE id = ?1 + 1", o1, ou2);
	T_INT(strlen(ou1), 36, "an option has a uuid");
	TOLD(s,
	    { anna, "poll", pu, "insert", "a reader of math: the poll" },
	    { anna, "poll_option", ou1, "insert", "... its options" },
	    { anna, "poll_option", ou2, "insert", "... each" },
	    { anna, "poll", qu, "", "not staff's poll" },
	    { elena, "poll", qu, "insert", "staff's coordinator is told" });

	AFTER(s, poll_vote(st, anna, p, &o1, 1),
	    "anna votes",
	    { anna, "vote", ou1, "insert", "her vote is hers" },
	    { boris, "vote", ou1, "", "not boris's" },
	    { sys, "vote", ou1, "", "nor the sysop's" },
	    { boris, "poll", pu, "update", "everyone's counts change" },
	    { anna, "poll", pu, "update", "hers too" });

	s = head();
	T_INT(poll_remove(st, p, "sys"), 0, "the poll removed");
	T_STR(ops(anna, "poll", pu, s), "delete", "a reader: a delete");
}

/* An event is its board's; a sign-up its teacher's and the board's
 * moderators' (the organiser's list), and changes the counts for all. */
static void
test_events(void)
{
	struct event_fields f = { .kind = "seminar", .title = "Дроби",
	    .place = "Кабинет 12", .description = "", .cap = 1,
	    .starts_at = now_unix() + 86400 * 3 };
	int64_t	 s = head(), e = 0, q = 0, sid = 0;
	char	 eu[37], qu[37], su[37];

	T_INT(event_add(st, coord, "coord", math, &f, &e), 0,
	    "the coordinator plans an event on math");
	T_INT(event_add(st, sys, "sys", staff, &f, &q), 0,
	    "the sysop plans one on staff");
	uuid_of("SELECT uuid FROM events WHERE id = ?1", e, eu);
	uuid_of("SELECT uuid FROM events WHERE id = ?1", q, qu);
	TOLD(s,
	    { anna, "event", eu, "insert", "a reader of math: the event" },
	    { anna, "event", qu, "", "not staff's event" },
	    { elena, "event", qu, "insert", "staff's coordinator is told" });

	s = head();
	T_INT(event_join(st, anna, e, NULL), 0, "anna signs up");
	store_int(st, &sid, "SELECT id FROM event_signups WHERE event_id = ?1",
	    "i", e);
	uuid_of("SELECT uuid FROM event_signups WHERE id = ?1", sid, su);
	TOLD(s,
	    { anna, "event_signup", su, "insert", "her sign-up is hers" },
	    { coord, "event_signup", su, "insert", "the organiser sees it" },
	    { sys, "event_signup", su, "insert", "so does the sysop" },
	    { boris, "event_signup", su, "", "not boris" },
	    { boris, "event", eu, "update", "everyone's counts change" });

	AFTER(s, event_leave(st, anna, e),
	    "anna cancels her place",
	    { anna, "event_signup", su, "delete", "her sign-up is gone" },
	    { coord, "event_signup", su, "delete", "from the list too" },
	    { boris, "event_signup", su, "", "boris never saw it" });

	s = head();
	T_INT(event_cancel(st, coord, "coord", e, "болезнь"), 0,
	    "the event cancelled");
	T_STR(ops(anna, "event", eu, s), "update", "a reader: an update");
}

/* Chat: a room and its lines are its board's (a room of the sysop's
 * everyone's); a hidden line is a delete to readers, an update to the
 * board's coordinator and to its author; a pruned line is a delete. */
static void
test_chat(void)
{
	int64_t	 s = head(), mr = 0, sr = 0, tr = 0, l1 = 0, l2 = 0, l3 = 0;
	char	 mru[37], tru[37], u1[37], u2[37], u3[37];

	store_int(st, &mr, "SELECT id FROM chat_rooms WHERE board_id = ?1",
	    "i", math);
	store_int(st, &sr, "SELECT id FROM chat_rooms WHERE board_id = ?1",
	    "i", staff);
	uuid_of("SELECT uuid FROM chat_rooms WHERE id = ?1", mr, mru);
	T_INT(chat_open(st, "sys", "talk", &tr), 0, "the sysop opens a room");
	uuid_of("SELECT uuid FROM chat_rooms WHERE id = ?1", tr, tru);
	T_INT(chat_say(st, anna, mr, "Привет", &l1), 0, "anna says on math");
	T_INT(chat_say(st, elena, sr, "Совещание в 3", &l2), 0,
	    "elena says on staff");
	T_INT(chat_say(st, boris, tr, "Всем привет", &l3), 0,
	    "boris says in the sysop's room");
	uuid_of("SELECT uuid FROM chat_lines WHERE id = ?1", l1, u1);
	uuid_of("SELECT uuid FROM chat_lines WHERE id = ?1", l2, u2);
	uuid_of("SELECT uuid FROM chat_lines WHERE id = ?1", l3, u3);
	TOLD(s,
	    { vera, "chat_room", tru, "insert", "the sysop's room is everyone's" },
	    { vera, "chat_line", u1, "insert", "a reader of math: its line" },
	    { vera, "chat_line", u2, "", "not staff's line" },
	    { elena, "chat_line", u2, "insert", "staff's coordinator: it" },
	    { vera, "chat_line", u3, "insert", "the sysop's room's: hers" });

	AFTER(s, chat_hide(st, coord, "coord", l1),
	    "math's coordinator hides",
	    { vera, "chat_line", u1, "delete", "a reader: the hidden line goes" },
	    { coord, "chat_line", u1, "update", "the coordinator: an update" },
	    { anna, "chat_line", u1, "update", "its author: an update" });

	s = head();
	T_INT(store_write(st, NULL, "UPDATE chat_lines SET at = 1", ""), 0,
	    "the lines grow old");
	T_INT(chat_prune(st, 7, NULL), 0, "and are pruned");
	TOLD(s,
	    { vera, "chat_line", u3, "delete", "a pruned line is a delete" });
	T_OK(strlen(mru) == 36, "a board's room has a uuid");
}

static void
test_library(void)
{
	struct lib_meta	 m = { .section = "tatar", .title = "Словарь",
	    .description = "", .grades = "5", .tags = "" };
	const char	*bad = NULL;
	int64_t		 s = head(), id = 0;
	char		 su[37], iu[37];

	T_INT(library_section_add(st, "tatar", "Татар теле", 1, "sys"), 0,
	    "a section that needs approval");
	uuid_of("SELECT uuid FROM library_sections WHERE rowid = ?1",
	    (int64_t)1, su);
	T_INT(strlen(su), 36, "a section has a uuid");
	T_STR(ops(anna, "library_section", su, s), "insert",
	    "every reader learns of a section");

	s = head();
	T_INT(library_add_link(st, boris->id, "https://example.org/dict", &m,
	    &id, &bad), 0, "boris adds a link, waiting for approval");
	uuid_of("SELECT uuid FROM library_items WHERE id = ?1", id, iu);
	TOLD(s,
	    { anna, "library", iu, "", "a reader is not told of it" },
	    { coord, "library", iu, "",
	      "nor a board's coordinator: the library's moderators go by role" },
	    { boris, "library", iu, "insert", "its uploader is" },
	    { elena, "library", iu, "insert", "an expert is" },
	    { sys, "library", iu, "insert", "the sysop is" });
	s = head();
	T_INT(library_approve(st, id, elena->id, "elena"), 0, "elena approves");
	T_STR(ops(anna, "library", iu, s), "update", "the reader: it arrives");
	T_INT(library_count_download(st, id, anna->id), 0, "a download");
	T_STR(ops(anna, "library", iu, s), "update", "... is no change");
	T_INT(library_remove(st, id, "sys"), 0, "removed");
	T_STR(ops(anna, "library", iu, s), "update delete", "a delete");
}

static void
test_users(void)
{
	int64_t		 s = head(), d = 0;
	struct user	*nb;
	const char	*bad = NULL;
	char		 du[37];

	nb = t_user_get(st, "newbie", "Новенькая", ROLE_PENDING);
	TOLD(s,
	    { anna, "user", nb->uuid, "",
	      "a teacher is not told of an account waiting" },
	    { sys, "user", nb->uuid, "insert", "the sysop is" },
	    { nb, "user", nb->uuid, "insert", "and its owner" });
	T_INT(user_approve(st, "newbie", "console"), 0, "approved");
	T_STR(ops(anna, "user", nb->uuid, s), "update", "now everyone is told");

	AFTER(s, user_set_lang(st, anna->id, "en"),
	    "anna chooses English",
	    { anna, "user", anna->uuid, "update", "she is told" },
	    { boris, "user", anna->uuid, "", "boris is not" });
	T_INT(user_set_profile(st, anna->id, "Анна Петрова", "Школа № 2",
	    "математика", "", &bad), 0, "anna's profile");
	T_STR(ops(boris, "user", anna->uuid, s), "update", "a profile is everyone's");

	s = head();
	T_INT(draft_save(st, anna->id, &d, NULL, "mail", "boris", "Тема", "Текст"), 0,
	    "a draft");
	uuid_of("SELECT uuid FROM drafts WHERE id = ?1", d, du);
	TOLD(s,
	    { anna, "draft", du, "insert", "her draft is hers" },
	    { boris, "draft", du, "", "not boris's" });
	T_INT(draft_delete(st, anna->id, d), 0, "the draft sent");
	T_STR(ops(anna, "draft", du, s), "insert delete", "... and gone");
	user_free(nb);
}

/* ---- paging, the plan ------------------------------------------- */

static void
test_paging(const struct user *u, const char *who)
{
	struct change	*all = NULL, *v = NULL;
	size_t		 nall = 0, n, got = 0, pages = 0, bad = 0;
	int64_t		 since = 0;

	T_INT(changes_since(st, u, 0, 100000, &all, &nall), 0, "%s: all at once", who);
	T_OK(nall > 10, "%s: %zu changes", who, nall);
	for (;;) {
		if (changes_since(st, u, since, 3, &v, &n) != 0 || n > 3 ||
		    pages > nall)
			break;
		pages++;
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++, got++)
			if (got >= nall || all[got].seq != v[i].seq ||
			    strcmp(all[got].uuid, v[i].uuid) != 0 ||
			    all[got].op != v[i].op)
				bad++;
		since = v[n - 1].seq;
		changes_free(v);
		v = NULL;
	}
	changes_free(v);
	T_INT(got, nall, "%s: pages of 3 give every change", who);
	T_INT(bad, 0, "%s: the same, in the same order", who);
	T_INT(pages, (nall + 2) / 3 + 1, "%s: in full pages and one empty", who);
	for (size_t i = 1; i < nall; i++)
		if (all[i].seq <= all[i - 1].seq)
			bad++;
	T_INT(bad, 0, "%s: seq only grows", who);
	changes_free(all);
	T_INT(changes_since(st, u, 0, 0, &v, &n), 0, "%s: max 0", who);
	T_OK(n == 0 && v == NULL, "%s: ... returns nothing", who);
}

static void
test_plan(void)
{
	char	*plan = NULL, *line, *save = NULL;
	int	 scans = 0, index = 0;

	T_INT(changes_plan(st, &plan), 0, "the query plan");
	if (plan == NULL)
		return;
	for (line = strtok_r(plan, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		printf("#   %s\n", line);
		if (strncmp(line, "SCAN c", 6) == 0 ||
		    strncmp(line, "SCAN changes", 12) == 0)
			scans++;
		if (strstr(line, "SEARCH c USING INDEX changes_user") != NULL)
			index++;
	}
	T_INT(scans, 0, "the change log is never scanned whole");
	T_INT(index, 2, "both arms search the index changes_user");
	free(plan);
}

/* ---- a store of the schema before ------------------------------- */

static void
test_migration(void)
{
	struct store	*old;
	sqlite3		*db;
	char		*path = t_path("before.db"), *cause = NULL, *sql;
	int64_t		 floor = -1, h = -1, last;
	int		 i;

	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	collate_register(db);
	confusable_register(db);
	search_register(db);
	for (i = 0; i < store_nmigrations &&
	    strstr(store_migrations[i], "CREATE INDEX changes_user") == NULL; i++)
		sqlite3_exec(db, store_migrations[i], NULL, NULL, NULL);
	T_OK(i < store_nmigrations, "the migration of the change log is found");
	sql = sqlite3_mprintf("PRAGMA user_version = %d;"
	    " PRAGMA application_id = 1349678177;"
	    " INSERT INTO users(uuid, login, display_name, role, created_at)"
	    " VALUES ('00000000-0000-4000-8000-000000000001', 'anna', 'Анна',"
	    " 'teacher', 1), ('00000000-0000-4000-8000-000000000002', 'boris',"
	    " 'Борис', 'teacher', 1);"
	    " INSERT INTO mail(uuid, sender_id, subject, body, created_at)"
	    " VALUES ('00000000-0000-4000-8000-000000000003', 2, 'Тема',"
	    " 'Текст', 1);"
	    " INSERT INTO mail_boxes(mail_id, user_id, folder) VALUES (1, 1,"
	    " 'inbox'), (1, 2, 'sent');", i);
	T_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), 0, "an old store with mail");
	sqlite3_free(sql);
	last = 0;
	{
		sqlite3_stmt	*q;

		sqlite3_prepare_v2(db, "SELECT max(seq) FROM changes", -1, &q, NULL);
		if (sqlite3_step(q) == SQLITE_ROW)
			last = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	T_OK(last >= 3, "its change log has old rows (%lld)", (long long)last);
	sqlite3_close(db);

	T_INT(store_open(path, &old, &cause), 0, "it opens, migrated");
	free(cause);
	if (old == NULL) {
		free(path);
		return;
	}
	{
		struct store	*keep = st;
		int64_t		 n = -1;

		st = old;
		store_int(st, &n, "SELECT count(DISTINCT uuid) FROM mail_boxes"
		    " WHERE length(uuid) = 36", "");
		T_INT(n, 2, "each old box row got its own uuid");
		store_int(st, &n, "SELECT count(*) FROM changes", "");
		T_INT(n, 0, "the old change rows, without scope, are dropped");
		T_INT(changes_floor(st, &floor), 0, "changes_floor");
		T_INT(floor, last, "a cursor from before is too old");
		T_INT(changes_head(st, &h), 0, "changes_head");
		T_INT(h, last, "the head stays where it was");
		T_INT(board_add(st, "math", "Математика", "", "console"), 0,
		    "a board");
		/* The board and its chat room (v_chat's boards_chat). */
		T_INT(head(), last + 2, "the log goes on past the old rows");
		T_INT(changes_floor(st, &floor), 0, "changes_floor");
		T_INT(floor, last, "... answering from the same point");
		T_INT(store_exec(st, "INSERT INTO changes(at, entity, uuid, op)"
		    " VALUES (1, 'x', 'y', 'insert')"), PERR_DB,
		    "a change row without its scope is refused");
		st = keep;
	}
	store_close(old);
	free(path);
}

int
main(void)
{
	int64_t	 floor = -1;

	t_tmpdir();
	st = t_store("changes.db");
	T_INT(changes_floor(st, &floor), 0, "a new store: changes_floor");
	T_INT(floor, 0, "... answers from the start");
	sys = t_user_get(st, "sys", "Сисоп", ROLE_SYSOP);
	coord = t_user_get(st, "coord", "Координатор", ROLE_TEACHER);
	elena = t_user_get(st, "elena", "Елена", ROLE_EXPERT);
	anna = t_user_get(st, "anna", "Анна", ROLE_TEACHER);
	boris = t_user_get(st, "boris", "Борис", ROLE_TEACHER);
	vera = t_user_get(st, "vera", "Вера", ROLE_TEACHER);

	test_boards();
	test_posts();
	test_mail();
	test_news();
	test_polls();
	test_events();
	test_chat();
	test_library();
	test_users();
	test_paging(anna, "a reader");
	test_paging(sys, "the sysop");
	test_plan();
	test_migration();

	user_free(sys);
	user_free(coord);
	user_free(elena);
	user_free(anna);
	user_free(boris);
	user_free(vera);
	store_close(st);
	return t_done();
}
