/*
 * test-request.c: the request table.  Every kind applied twice makes its
 * rows once and returns the first result; rights, locks and bans are
 * judged inside the writing transaction (another connection changes them
 * between the screen's look and the write); a kind that needs the server
 * is refused by a local copy; a library item's two first comments at
 * once make one thread; the ids a local copy gives rows made offline.
 */
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "board.h"
#include "chat.h"
#include "event.h"
#include "library.h"
#include "mail.h"
#include "news.h"
#include "perr.h"
#include "polls.h"
#include "post.h"
#include "request.h"
#include "request-keys.h"
#include "share.h"
#include "store.h"
#include "user.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

#define ED_KEY	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAID3IrK9UuFwRFjL2vmqUUwBqdbPk+WwzcCkI1BQM7IiC t@school"

static struct store *st;
static char *path;
static struct user *admin, *koord, *anna, *boris, *expert;
static char math[37], other[37];
static int kinds_seen[REQ_NKINDS];

static int64_t
count(const char *sql)
{
	int64_t	 n = -1;

	if (store_int(st, &n, sql, "") != 0)
		return -1;
	return n;
}

/*
 * Apply r, then apply it again: the first must succeed and change
 * "SELECT count(*) ..." sql by delta, the second must change nothing
 * (sql, and the requests table) and return the first result.  Returns
 * the first result in *res.
 */
static void
twice(const struct request *r, const char *sql, int64_t delta,
    struct request_result *res)
{
	const struct request_type *t = request_type(r->kind);
	struct request_result	 again;
	int64_t			 before = count(sql), mid, nreq;
	int			 rc;

	kinds_seen[r->kind] = 1;
	rc = request_keys_apply(st, r, 0, res);
	T_INT(rc, 0, "%s: applied", t->name);
	mid = count(sql);
	T_INT(mid - before, delta, "%s: made its change once", t->name);
	nreq = count("SELECT count(*) FROM requests");
	rc = request_keys_apply(st, r, 0, &again);
	T_INT(rc, 0, "%s: applied again without error", t->name);
	T_INT(count(sql), mid, "%s: applied again, nothing changes", t->name);
	T_INT(count("SELECT count(*) FROM requests"), nreq,
	    "%s: applied again, nothing is recorded", t->name);
	if (!t->monotone) {
		T_INT(again.again, 1, "%s: says it was applied before", t->name);
		T_STR(again.uuid, res->uuid, "%s: the first result's UUID",
		    t->name);
		T_INT(again.id, res->id, "%s: the first result's row", t->name);
		T_INT(again.value, res->value, "%s: the first result's value",
		    t->name);
	}
}

static void
req(struct request *r, enum request_kind k, const struct user *u)
{
	request_init(r, k, u);
}

/* The request r with a fresh UUID, as request_init() gives one. */
static struct request *
fresh(struct request *r)
{
	uuid_v4(r->uuid);
	return r;
}

/* A request of kind k from u (NULL: the console) with the fields given
 * as designated initializers (".board = math, ..."), the rest zero as
 * request_init() leaves them; it lives to the end of the block. */
#define REQ(k, u, ...)							\
	fresh(&(struct request){ .kind = (k), .user = (u), __VA_ARGS__ })

/*
 * A later request r2 of the same kind applied after r, then r again:
 * both succeed, and "SELECT count(*) ..." sql gives want after r2 and
 * still after r again (what the later one left, the first applied again
 * does not undo).
 */
static void
later(const struct request *r, const struct request *r2, const char *sql,
    int64_t want, const char *what)
{
	const char		*name = request_type(r->kind)->name;
	struct request_result	 tmp;

	T_INT(request_apply(st, r2, 0, &tmp), 0, "%s: a later one", name);
	T_INT(count(sql), want, "%s: %s", name, what);
	T_INT(request_apply(st, r, 0, &tmp), 0, "%s: the first again", name);
	T_INT(count(sql), want, "%s: the first applied again does not undo it",
	    name);
}

static void
setup(void)
{
	t_tmpdir();
	path = t_path("parta.db");
	st = t_store("parta.db");
	admin = t_user_get(st, "ilya", "Илья", ROLE_SYSOP);
	koord = t_user_get(st, "koord", "Координатор", ROLE_COORDINATOR);
	anna = t_user_get(st, "anna", "Анна", ROLE_TEACHER);
	boris = t_user_get(st, "boris", "Борис", ROLE_TEACHER);
	expert = t_user_get(st, "expert", "Эксперт", ROLE_EXPERT);
	if (board_add(st, "math", "Математика", "", "t") != 0 ||
	    board_add(st, "other", "Другое", "", "t") != 0 ||
	    board_coordinator(st, "math", "koord", 1, "t") != 0 ||
	    board_coordinator(st, "other", "koord", 1, "t") != 0 ||
	    library_section_add(st, "free", "Свободный", 0, "t") != 0 ||
	    library_section_add(st, "checked", "С проверкой", 1, "t") != 0) {
		printf("Bail out! setup\n");
		exit(1);
	}
	request_uuid_of(st, REQF_BOARD, 1, math);
	request_uuid_of(st, REQF_BOARD, 2, other);
}

/* The boards, their posts and moderation. */
static void
test_posts(void)
{
	struct request		 r, r2;
	struct request_result	 res, thr, rep, tmp;
	char			 puuid[37];
	int64_t			 nchg;

	twice(REQ(REQ_THREAD_NEW, anna, .board = math, .subject = "Дроби",
	    .body = "Как объяснить дроби?"),
	    "SELECT count(*) FROM threads", 1, &thr);
	T_OK(thr.id > 0 && strlen(thr.uuid) == 36, "thread-new: its result is "
	    "the thread");

	twice(REQ(REQ_REPLY, boris, .thread = thr.uuid, .body = "На пирогах."),
	    "SELECT count(*) FROM posts", 1, &rep);

	twice(REQ(REQ_THREAD_READ, boris, .thread = thr.uuid, .post = rep.uuid),
	    "SELECT count(*) FROM thread_reads WHERE user_id = 4", 1,
	    &res);

	twice(REQ(REQ_BOARD_READ, boris, .board = math),
	    "SELECT count(*) FROM board_reads WHERE user_id = 4", 1,
	    &res);

	/* Her thread, followed as she wrote it, left, then followed again:
	 * boris's reply waits for her only while she follows it. */
	T_INT(board_replies_waiting(st, anna), 1,
	    "thread-follow: the reply in her thread waits for anna");
	twice(REQ(REQ_THREAD_FOLLOW, anna, .thread = thr.uuid, .number = 0),
	    "SELECT count(*) FROM thread_reads WHERE followed = 0", 1,
	    &res);
	T_INT(board_replies_waiting(st, anna), 0,
	    "thread-follow: left, no reply waits");
	nchg = count("SELECT count(*) FROM changes WHERE entity ="
	    " 'thread_read'");
	req(&r, REQ_THREAD_FOLLOW, anna);
	r.thread = thr.uuid;
	r.number = 1;
	T_INT(request_keys_apply(st, &r, 0, &res), 0,
	    "thread-follow: followed again");
	T_INT(board_replies_waiting(st, anna), 1,
	    "thread-follow: the reply waits again");
	T_INT(count("SELECT count(*) FROM changes WHERE entity ="
	    " 'thread_read'"), nchg + 1,
	    "thread-follow: a choice is a change of her thread_read");

	req(&r, REQ_POST_EDIT, boris);
	r.post = rep.uuid;
	r.body = "На яблоках.";
	r.number = 15;
	twice(&r, "SELECT count(*) FROM posts WHERE body = 'На яблоках.'", 1,
	    &res);
	/* A second edit, then the first one again: the second stays. */
	req(&r2, REQ_POST_EDIT, boris);
	r2.post = rep.uuid;
	r2.body = "На арбузах.";
	r2.number = 15;
	later(&r, &r2, "SELECT count(*) FROM posts WHERE body = 'На арбузах.'",
	    1, "the second edit");

	twice(REQ(REQ_POST_HIDE, koord, .post = rep.uuid, .text = "не по теме"),
	    "SELECT (SELECT count(*) FROM posts WHERE hidden_at IS NOT"
	    " NULL) + (SELECT count(*) FROM mail)", 2, &res);

	twice(REQ(REQ_POST_UNHIDE, koord, .post = rep.uuid),
	    "SELECT count(*) FROM posts WHERE hidden_at IS NOT NULL",
	    -1, &res);

	twice(REQ(REQ_POST_RETITLE, koord, .post = rep.uuid,
	    .subject = "Пироги"),
	    "SELECT count(*) FROM posts WHERE subject = 'Пироги'", 1,
	    &res);

	req(&r, REQ_THREAD_PIN, koord);
	r.thread = thr.uuid;
	r.number = 1;
	twice(&r, "SELECT count(*) FROM threads WHERE pinned", 1, &res);
	req(&r2, REQ_THREAD_PIN, koord);
	r2.thread = thr.uuid;
	later(&r, &r2, "SELECT count(*) FROM threads WHERE pinned", 0,
	    "unpinned");

	twice(REQ(REQ_THREAD_APPROVE, koord, .thread = thr.uuid, .number = 0),
	    "SELECT count(*) FROM threads WHERE approved = 0", 1, &res);

	twice(REQ(REQ_THREAD_MOVE, koord, .thread = thr.uuid, .board = other),
	    "SELECT count(*) FROM threads WHERE board_id = 2", 1, &res);

	twice(REQ(REQ_THREAD_LOCK, koord, .thread = thr.uuid, .number = 1),
	    "SELECT count(*) FROM threads WHERE locked", 1, &res);

	/* Her own reply, deleted. */
	req(&r, REQ_REPLY, koord);
	r.thread = thr.uuid;
	r.body = "Удалю.";
	T_INT(request_apply(st, &r, 0, &tmp), 0, "a reply to delete");
	strlcpy_p(puuid, tmp.uuid, sizeof(puuid));
	twice(REQ(REQ_POST_DELETE, koord, .post = puuid, .number = 15),
	    "SELECT count(*) FROM posts", -1, &res);
}

static void
test_mail_news(void)
{
	struct request		 r, r2;
	struct request_result	 res, letter, item;
	const char		*opts[] = { "да", "нет" };
	int64_t			 choice[] = { 2 };
	char			*sql;

	twice(REQ(REQ_MAIL_SEND, anna, .to = boris->uuid, .subject = "Привет",
	    .body = "Как дела?"),
	    "SELECT count(*) FROM mail", 1, &letter);

	req(&r, REQ_MAIL_READ, boris);
	r.letter = letter.uuid;
	r.number = 1;
	twice(&r, "SELECT count(*) FROM mail_boxes WHERE read_at IS NOT NULL",
	    1, &res);
	req(&r2, REQ_MAIL_READ, boris);
	r2.letter = letter.uuid;
	sql = xasprintf("SELECT count(*) FROM mail_boxes WHERE read_at IS NULL"
	    " AND folder = 'inbox' AND mail_id = %lld", (long long)letter.id);
	later(&r, &r2, sql, 1, "marked unread");
	free(sql);

	twice(REQ(REQ_MAIL_DELETE, boris, .letter = letter.uuid,
	    .name = "inbox"),
	    "SELECT count(*) FROM mail_boxes WHERE deleted_at IS NULL",
	    -1, &res);

	twice(REQ(REQ_MAIL_BROADCAST, NULL, .subject = "Всем",
	    .body = "Собрание в пятницу.", .number = -1),
	    "SELECT count(*) FROM mail", 1, &res);
	T_INT(res.value, 5, "mail-broadcast: its count is the first result");

	twice(REQ(REQ_NEWS_ADD, koord, .subject = "Новость",
	    .body = "Текст новости."),
	    "SELECT count(*) FROM news", 1, &item);

	twice(REQ(REQ_NEWS_SEEN, anna, .news = item.uuid),
	    "SELECT count(*) FROM news_reads", 1, &res);

	twice(REQ(REQ_NEWS_REMOVE, admin, .news = item.uuid),
	    "SELECT count(*) FROM news", -1, &res);

	twice(REQ(REQ_POLL_ADD, koord, .board = math,
	    .subject = "Нужен ли кружок?", .list = opts, .nlist = 2),
	    "SELECT count(*) FROM polls", 1, &item);

	twice(REQ(REQ_POLL_VOTE, anna, .poll = item.uuid, .choice = choice,
	    .nchoice = 1),
	    "SELECT count(*) FROM poll_votes v JOIN poll_options o"
	    " ON o.id = v.option_id WHERE o.text = 'нет'", 1, &res);

	twice(REQ(REQ_POLL_CLOSE, NULL, .poll = item.uuid),
	    "SELECT count(*) FROM polls WHERE closes_at IS NOT NULL", 1,
	    &res);

	twice(REQ(REQ_POLL_REMOVE, NULL, .poll = item.uuid),
	    "SELECT count(*) FROM polls", -1, &res);
}

/* Events: made, edited, signed up for and cancelled, each once. */
static void
test_events(void)
{
	struct request		 r;
	struct request_result	 ev, res;

	twice(REQ(REQ_EVENT_ADD, koord, .board = math, .name = "seminar",
	    .subject = "Дроби в 5 классе", .text = "Кабинет 12",
	    .body = "Разбор задач.", .when = now_unix() + 7 * 86400,
	    .minutes = 60, .number = 1),
	    "SELECT count(*) FROM events", 1, &ev);

	twice(REQ(REQ_EVENT_JOIN, anna, .event = ev.uuid),
	    "SELECT count(*) FROM event_signups WHERE waiting = 0", 1,
	    &res);
	T_INT(res.value, 0, "event-join: within the cap");
	req(&r, REQ_EVENT_JOIN, boris);
	r.event = ev.uuid;
	T_INT(request_apply(st, &r, 0, &res), 0, "event-join: past the cap");
	T_INT(res.value, 1, "event-join: past the cap, on the waiting list");

	twice(REQ(REQ_EVENT_EDIT, koord, .event = ev.uuid, .name = "webinar",
	    .subject = "Дроби в 5 классе", .text = "https://example.org/room",
	    .body = "Разбор задач.", .when = now_unix() + 8 * 86400,
	    .number = 1),
	    "SELECT count(*) FROM events WHERE kind = 'webinar'", 1,
	    &res);

	twice(REQ(REQ_EVENT_LEAVE, anna, .event = ev.uuid),
	    "SELECT count(*) FROM event_signups WHERE waiting = 0 AND"
	    " user_id = (SELECT id FROM users WHERE login = 'boris')", 1, &res);

	twice(REQ(REQ_EVENT_CANCEL, koord, .event = ev.uuid,
	    .text = "Болеет ведущий"),
	    "SELECT count(*) FROM events WHERE cancelled_at IS NOT NULL",
	    1, &res);
	req(&r, REQ_EVENT_JOIN, anna);
	r.event = ev.uuid;
	T_INT(request_apply(st, &r, 0, &res), PERR_EVENT_CANCELLED,
	    "event-join: a cancelled event is refused");
}

static void
test_library(void)
{
	struct request		 r;
	struct request_result	 res, link, pend;
	struct lib_meta		 m = { "free", "Дроби", "", "5", "дроби" };
	struct lib_meta		 mc = { "checked", "Тест", "", "6", "" };
	struct lib_meta		 mf = { "free", "Файл", "", "7", "" };
	char			*dir, *file;
	FILE			*fp;

	twice(REQ(REQ_LIB_LINK, anna, .text = "https://example.org/drobi",
	    .meta = &m),
	    "SELECT count(*) FROM library_items", 1, &link);

	twice(REQ(REQ_LIB_COMMENT, boris, .item = link.uuid,
	    .body = "Полезно."),
	    "SELECT count(*) FROM threads", 1, &res);

	dir = library_upload_dir(st, anna->id);
	file = xasprintf("%s/plan.txt", dir);
	if ((fp = fopen(file, "w")) != NULL) {
		fputs("план урока\n", fp);
		fclose(fp);
	}
	twice(REQ(REQ_LIB_FILE, anna, .name = "plan.txt", .meta = &mf),
	    "SELECT count(*) FROM library_items", 1, &res);
	free(file);
	free(dir);

	req(&r, REQ_LIB_LINK, anna);
	r.text = "https://example.org/test";
	r.meta = &mc;
	T_INT(request_apply(st, &r, 0, &pend), 0, "a link that waits");

	req(&r, REQ_LIB_APPROVE, anna);
	r.item = pend.uuid;
	T_INT(request_apply(st, &r, 0, &res), PERR_LIB_DENIED,
	    "library-approve: a teacher may not");
	twice(REQ(REQ_LIB_APPROVE, expert, .item = pend.uuid),
	    "SELECT count(*) FROM library_items WHERE approved_at IS NULL",
	    -1, &res);

	twice(REQ(REQ_LIB_RECOMMEND, expert, .item = pend.uuid,
	    .text = "Хороший тест."),
	    "SELECT count(*) FROM library_items WHERE review IS NOT NULL",
	    1, &res);

	twice(REQ(REQ_LIB_REMOVE, admin, .item = pend.uuid),
	    "SELECT count(*) FROM library_items", -1, &res);
}

static void
test_account(void)
{
	struct request		 r, r2;
	struct request_result	 res;
	int64_t			 key;

	req(&r, REQ_PROFILE, anna);
	r.display_name = "Анна Петровна";
	r.school = "Школа 1";
	r.subjects = "математика";
	r.about = "";
	twice(&r, "SELECT count(*) FROM users WHERE school = 'Школа 1'", 1,
	    &res);
	req(&r2, REQ_PROFILE, anna);
	r2.display_name = "Анна Петровна";
	r2.school = "Школа 2";
	r2.subjects = r2.about = "";
	later(&r, &r2, "SELECT count(*) FROM users WHERE school = 'Школа 2'", 1,
	    "changed again");

	twice(REQ(REQ_LANGUAGE, anna, .text = "en"),
	    "SELECT count(*) FROM users WHERE lang = 'en'", 1, &res);

	twice(REQ(REQ_PAGE_SHOWS, anna, .text = "boards"),
	    "SELECT count(*) FROM users WHERE page_shows = 'boards'", 1,
	    &res);

	twice(REQ(REQ_ENCODING, anna, .text = "KOI8-R"),
	    "SELECT count(*) FROM users WHERE encoding = 'KOI8-R'", 1,
	    &res);

	twice(REQ(REQ_PASSWORD, anna, .text = "новый пароль 123"),
	    "SELECT count(*) FROM users WHERE pw_hash IS NOT NULL", 1,
	    &res);
	T_INT(user_check_password(st, "anna", "новый пароль 123", &key), 0,
	    "password: the new one logs in");

	req(&r, REQ_KEY_ADD, anna);
	r.text = ED_KEY;
	twice(&r, "SELECT count(*) FROM user_keys", 1, &res);

	{
		struct user	*vera = t_user_get(st, "vera", "Вера",
				    ROLE_PENDING);

		T_INT(user_reject(st, "vera", "не указана школа", "t"), 0,
		    "vera's application is rejected");
		user_free(vera);
		T_INT(user_get(st, "vera", &vera), 0, "vera, rejected");
		req(&r, REQ_REAPPLY, vera);
		r.display_name = "Вера";
		r.school = "Школа 3";
		r.subjects = r.about = "";
		twice(&r, "SELECT count(*) FROM users WHERE rejected_at IS NULL",
		    1, &res);
		req(&r, REQ_THREAD_NEW, vera);
		r.board = math;
		r.subject = r.body = "Тема";
		T_INT(request_apply(st, &r, 0, &res), PERR_NO_READ,
		    "one who awaits approval may not yet read the boards");
		user_free(vera);
	}

	twice(REQ(REQ_KEY_REMOVE, anna,
	    .text = "SHA256:dZ5u9hpSTFlEinmClQi2Wh8etSg7Rz+Vzb5ZH2V4Ei0"),
	    "SELECT count(*) FROM user_keys", -1, &res);
}

/* The sysop's kinds, from the console (no user) and in another's name. */
static void
test_console(void)
{
	struct request		 r;
	struct request_result	 res, board;
	struct user		*zoya = t_user_get(st, "zoya", "Зоя",
				    ROLE_PENDING);

	twice(REQ(REQ_BOARD_ADD, NULL, .name = "art", .subject = "Рисование"),
	    "SELECT count(*) FROM boards", 1, &board);
	T_OK(board.id > 0, "board-add: its result is the board");

	twice(REQ(REQ_BOARD_EDIT, admin, .board = board.uuid, .name = "title",
	    .text = "ИЗО"),
	    "SELECT count(*) FROM boards WHERE title = 'ИЗО'", 1, &res);

	twice(REQ(REQ_BOARD_COORDINATOR, NULL, .board = board.uuid,
	    .to = koord->uuid, .number = 1),
	    "SELECT count(*) FROM board_coordinators", 1, &res);

	twice(REQ(REQ_BOARD_REMOVE, NULL, .board = board.uuid),
	    "SELECT count(*) FROM boards", -1, &res);

	twice(REQ(REQ_USER_REJECT, NULL, .to = zoya->uuid, .text = "нет школы"),
	    "SELECT count(*) FROM users WHERE rejected_at IS NOT NULL",
	    1, &res);
	T_INT(user_reapply(st, zoya->id), 0, "zoya applies again");

	twice(REQ(REQ_USER_APPROVE, NULL, .to = zoya->uuid),
	    "SELECT count(*) FROM users WHERE role = 'teacher'", 1, &res);

	twice(REQ(REQ_USER_ROLE, admin, .to = zoya->uuid,
	    .number = ROLE_EXPERT),
	    "SELECT count(*) FROM users WHERE role = 'expert'", 1, &res);

	twice(REQ(REQ_USER_BAN, NULL, .to = zoya->uuid, .text = "спам"),
	    "SELECT count(*) FROM users WHERE banned_at IS NOT NULL", 1,
	    &res);

	twice(REQ(REQ_USER_UNBAN, NULL, .to = zoya->uuid),
	    "SELECT count(*) FROM users WHERE banned_at IS NOT NULL", -1,
	    &res);

	twice(REQ(REQ_USER_DELETE, NULL, .to = zoya->uuid),
	    "SELECT count(*) FROM users", -1, &res);
	user_free(zoya);

	twice(REQ(REQ_LIB_SECTION_ADD, NULL, .name = "music",
	    .subject = "Музыка"),
	    "SELECT count(*) FROM library_sections", 1, &res);

	/* In another's name: the console posts as anna. */
	req(&r, REQ_THREAD_NEW, NULL);
	r.board = math;
	r.author = anna->uuid;
	r.subject = "От имени";
	r.body = "Текст.";
	T_INT(request_apply(st, &r, 0, &res), 0, "the console posts as anna");
	T_INT(count("SELECT count(*) FROM threads WHERE subject = 'От имени'"
	    " AND author_id = 3"), 1, "the thread is anna's");
	req(&r, REQ_THREAD_NEW, boris);
	r.board = math;
	r.author = anna->uuid;
	r.subject = r.body = "Чужое имя";
	T_INT(request_apply(st, &r, 0, &res), PERR_REQ_DENIED,
	    "a user may not write in another's name");
	req(&r, REQ_USER_BAN, koord);
	r.to = boris->uuid;
	r.text = "x";
	T_INT(request_apply(st, &r, 0, &res), PERR_REQ_DENIED,
	    "the sysop's kinds are refused to a coordinator");
}

/*
 * Federation (common/share.c): sharing a board, a post from another
 * district applied once under its own UUID, threaded, its author kept
 * as text; a cancel obeyed only from the post's own district; what the
 * gateway finds to send.
 */
#define FU1	"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
#define FU2	"11111111-2222-4333-8444-555555555555"
#define FU3	"33333333-2222-4333-8444-555555555555"
#define FU4	"44444444-2222-4333-8444-555555555555"
/* r: the gateway's article of the foreign post f onto board, under the
 * post's own UUID, as INN brings it. */
static struct request *
article(struct request *r, const struct share_foreign *f, const char *board)
{
	req(r, REQ_ARTICLE, NULL);
	strlcpy_p(r->uuid, f->uuid, sizeof(r->uuid));
	r->board = board;
	r->foreign = f;
	return r;
}

static void
test_share(void)
{
	struct request		 r;
	struct request_result	 res, th;
	struct share_foreign	 f = {
		.uuid = FU1, .message_id = "<" FU1 "@kazan-1>",
		.origin = "kazan-1", .login = "gulnara", .name = "Гульнара",
		.subject = "Дроби", .body = "Как объяснять дроби?", .when = 1,
	};
	struct share_foreign	 f2 = f, f3;
	struct share_post	*v;
	struct post		*p = NULL;
	char			 t[37], pu[37];
	const char		*refs[] = { "<" FU1 "@kazan-1>" };
	size_t			 n;
	int64_t			 tid, mine;

	twice(REQ(REQ_BOARD_SHARE, NULL, .board = math, .name = "parta.t.math"),
	    "SELECT count(*) FROM board_shares", 1, &res);
	req(&r, REQ_BOARD_SHARE, NULL);
	r.board = other;
	r.name = "parta.t.math";
	T_INT(request_apply(st, &r, 0, &res), PERR_EXISTS,
	    "board-share: a newsgroup is one board's");
	r.name = "Bad";
	T_INT(request_apply(st, &r, 0, &res), PERR_BOARD_NAME,
	    "board-share: a bad newsgroup name is refused");

	twice(article(&r, &f, math),
	    "SELECT count(*) FROM posts WHERE foreign_login ="
	    " 'gulnara@kazan-1'", 1, &th);
	T_STR(th.uuid, FU1, "article: the post keeps its UUID");
	tid = 0;
	store_int(st, &tid, "SELECT thread_id FROM posts WHERE id = ?", "i",
	    th.id);
	if (post_get(st, anna, tid, 0, 0, &p) == 0) {
		T_STR(p->author, "gulnara@kazan-1", "article: shown as "
		    "login@district");
		T_STR(p->author_name, "Гульнара", "article: with her name");
		T_INT(p->author_id, 0, "article: no user of ours");
	} else
		T_OK(0, "article: anna sees the post");
	post_free(p);

	T_INT(share_thread_of(st, 0, refs, 1, t, pu), 0, "thread of: runs");
	T_STR(t, "", "thread of: not on another board");
	store_int(st, &mine, "SELECT id FROM boards WHERE uuid = ?", "t", math);
	T_INT(share_thread_of(st, mine, refs, 1, t, pu), 0, "thread of: runs");
	T_STR(pu, FU1, "thread of: References name the post");
	f2.uuid = FU2;
	f2.message_id = "<" FU2 "@chally>";
	f2.origin = "chally";
	f2.login = "ruslan";
	f2.subject = "Re: Дроби";
	f2.body = "Через пиццу.";
	article(&r, &f2, math);
	r.thread = t;
	r.post = pu;
	T_INT(request_apply(st, &r, 0, &res), 0, "article: a reply");
	T_INT(count("SELECT count(*) FROM posts p JOIN posts q ON"
	    " q.id = p.reply_to WHERE p.uuid = '" FU2 "' AND q.uuid = '" FU1
	    "' AND p.thread_id = q.thread_id"), 1,
	    "article: the reply is in the thread, answering its post");
	req(&r, REQ_ARTICLE, NULL);
	r.board = math;
	r.foreign = &f2;
	T_INT(request_apply(st, &r, 0, &res), PERR_EXISTS,
	    "article: under a UUID not the post's: refused");
	req(&r, REQ_ARTICLE, anna);
	f3 = f2;
	f3.uuid = r.uuid;	/* a fresh one: the user is judged */
	r.board = math;
	r.foreign = &f3;
	T_INT(request_apply(st, &r, 0, &res), PERR_REQ_DENIED,
	    "article: a user may not send one");

	/* Ours to send: anna's thread, after the board was shared. */
	req(&r, REQ_THREAD_NEW, anna);
	r.board = math;
	r.subject = "Своя тема";
	r.body = "Текст анны.";
	T_INT(request_apply(st, &r, 0, &res), 0, "anna posts on a shared board");
	T_INT(share_outgoing(st, "bugulma", 10, &v, &n), 0, "outgoing: runs");
	T_INT(n, 1, "outgoing: anna's post alone (not theirs, not older)");
	if (n == 1) {
		T_STR(v[0].login, "anna", "outgoing: by anna");
		T_STR(v[0].subject, "Своя тема", "outgoing: its subject");
		T_STR(v[0].thread_ref, "", "outgoing: a thread's first post");
		T_INT(share_sent(st, v[0].id, "<x@bugulma>"), 0, "sent");
		mine = v[0].id;
	}
	share_posts_free(v, n);
	T_INT(share_outgoing(st, "bugulma", 10, &v, &n), 0, "outgoing: runs");
	T_INT(n, 0, "outgoing: nothing once sent");
	share_posts_free(v, n);

	/* Cancels: from the post's own district only. */
	req(&r, REQ_ARTICLE_CANCEL, NULL);
	r.post = FU1;
	r.text = "chally";
	T_INT(request_apply(st, &r, 0, &res), PERR_REQ_DENIED,
	    "article-cancel: another district's post: refused");
	r.post = res.uuid;
	request_uuid_of(st, REQF_POST, mine, pu);
	r.post = pu;
	T_INT(request_apply(st, &r, 0, &res), PERR_REQ_DENIED,
	    "article-cancel: a post of ours: refused");
	r.post = FU1;
	r.text = "kazan-1";
	twice(&r, "SELECT count(*) FROM posts WHERE hidden_at IS NOT NULL", 1,
	    &res);

	T_INT(post_hide(st, NULL, "t", mine, "спам"), 0, "anna's post hidden");
	T_INT(share_cancels(st, 10, &v, &n), 0, "cancels: runs");
	T_INT(n, 1, "cancels: one to send");
	if (n == 1) {
		T_STR(v[0].message_id, "<x@bugulma>", "cancels: its Message-ID");
		T_INT(share_cancel_sent(st, v[0].id), 0, "cancel sent");
	}
	share_posts_free(v, n);
	T_INT(share_cancels(st, 10, &v, &n), 0, "cancels: runs");
	T_INT(n, 0, "cancels: none once sent");
	share_posts_free(v, n);

	/* A cancel before its post: the post comes hidden; a cancel
	 * from another district before it is no cancel of it. */
	T_INT(share_cancel_early(st, FU3, "kazan-1"), 0, "an early cancel");
	T_INT(share_cancel_early(st, FU4, "chally"), 0, "a stranger's");
	f3 = f;
	f3.uuid = FU3;
	f3.message_id = "<" FU3 "@kazan-1>";
	T_INT(request_apply(st, article(&r, &f3, math), 0, &res), 0,
	    "its post comes");
	T_INT(count("SELECT count(*) FROM posts WHERE uuid = '" FU3 "'"
	    " AND hidden_at IS NOT NULL"), 1, "and is stored hidden");
	f3.uuid = FU4;
	f3.message_id = "<" FU4 "@kazan-1>";
	T_INT(request_apply(st, article(&r, &f3, math), 0, &res), 0,
	    "another comes");
	T_INT(count("SELECT count(*) FROM posts WHERE uuid = '" FU4 "'"
	    " AND hidden_at IS NULL"), 1,
	    "shown: the early cancel was another district's");

	/* The reader's cursor moves forward only, unless INN renumbered. */
	T_INT(share_cursor(st, "parta.t.math", &tid), 0, "cursor: none yet");
	T_INT(tid, 0, "cursor: starts at 0");
	share_cursor_set(st, "parta.t.math", 7);
	share_cursor_set(st, "parta.t.math", 3);
	share_cursor(st, "parta.t.math", &tid);
	T_INT(tid, 7, "cursor: a stale run does not move it back");
	share_cursor_reset(st, "parta.t.math", 0);
	share_cursor(st, "parta.t.math", &tid);
	T_INT(tid, 0, "cursor: a renumbered group starts again");
}

/* Rights, locks and bans are read inside the transaction that writes. */
static void
test_rights(void)
{
	struct store		*st2;
	struct request		 r;
	struct request_result	 res, thr;
	char			*cause = NULL;
	int64_t			 posts, nreq;

	req(&r, REQ_THREAD_NEW, anna);
	r.board = math;
	r.subject = "Замок";
	r.body = "Текст.";
	T_INT(request_apply(st, &r, 0, &thr), 0, "a thread to lock");

	/* The screen saw it open; another session locks it meanwhile. */
	if (store_open(path, &st2, &cause) != 0) {
		printf("Bail out! second store: %s\n", cause);
		exit(1);
	}
	T_INT(post_thread_flag(st2, NULL, "t", thr.id, POST_LOCK, 1), 0,
	    "another connection locks the thread");
	posts = count("SELECT count(*) FROM posts");
	nreq = count("SELECT count(*) FROM requests");
	req(&r, REQ_REPLY, boris);
	r.thread = thr.uuid;
	r.body = "Поздно.";
	T_INT(request_apply(st, &r, 0, &res), PERR_LOCKED,
	    "a reply to a thread locked meanwhile is refused");
	T_INT(count("SELECT count(*) FROM posts"), posts, "no post is made");
	T_INT(count("SELECT count(*) FROM requests"), nreq,
	    "a refused request is not recorded");
	T_INT(post_thread_flag(st2, NULL, "t", thr.id, POST_LOCK, 0), 0,
	    "unlocked again");
	T_INT(request_apply(st, &r, 0, &res), 0,
	    "the same request sent again is judged again, and applied");
	T_INT(count("SELECT count(*) FROM posts"), posts + 1, "one post");

	/* A ban made elsewhere counts at once, whatever the session knew. */
	T_INT(user_ban(st2, "boris", "спам", "t"), 0, "boris is banned");
	req(&r, REQ_REPLY, boris);
	r.thread = thr.uuid;
	r.body = "Ещё.";
	T_INT(request_apply(st, &r, 0, &res), PERR_REQ_DENIED,
	    "a banned user's request is refused");
	T_INT(user_unban(st2, "boris", "t"), 0, "unbanned");
	store_close(st2);

	req(&r, REQ_POST_HIDE, anna);
	r.post = thr.uuid;		/* not a post's UUID */
	r.text = "x";
	T_INT(request_apply(st, &r, 0, &res), PERR_NOTFOUND,
	    "a UUID that names no row of its kind is not found");
	T_INT(request_uuid_of(st, REQF_POST, 1, (char[37]){ 0 }), 0,
	    "the first post has a UUID");
	{
		char	 p1[37];

		request_uuid_of(st, REQF_POST, 1, p1);
		r.post = p1;
		T_INT(request_apply(st, &r, 0, &res), PERR_NOT_MOD,
		    "a teacher may not hide a post");
	}
	req(&r, REQ_NEWS_ADD, anna);
	r.subject = "Новость";
	r.body = "Текст.";
	T_INT(request_apply(st, &r, 0, &res), PERR_NOT_MOD,
	    "a teacher may not publish news");
	req(&r, REQ_MAIL_BROADCAST, koord);
	r.subject = "Всем";
	r.body = "Текст.";
	T_INT(request_apply(st, &r, 0, &res), PERR_REQ_DENIED,
	    "only the sysop broadcasts");

	/* A UUID is one request's: another kind or user with it is refused. */
	req(&r, REQ_LANGUAGE, boris);
	r.text = "ru";
	T_INT(request_apply(st, &r, 0, &res), 0, "a request");
	r.kind = REQ_ENCODING;
	r.text = "UTF-8";
	T_INT(request_apply(st, &r, 0, &res), PERR_EXISTS,
	    "its UUID as another kind is refused");
	r.kind = REQ_LANGUAGE;
	r.user = anna;
	T_INT(request_apply(st, &r, 0, &res), PERR_EXISTS,
	    "its UUID from another user is refused");

	/* Inside a caller's transaction that rolls back, nothing stays. */
	nreq = count("SELECT count(*) FROM requests");
	store_begin(st);
	req(&r, REQ_LANGUAGE, boris);
	r.text = "en";
	T_INT(request_apply(st, &r, 0, &res), 0, "applied inside a transaction");
	store_rollback(st);
	T_INT(count("SELECT count(*) FROM requests"), nreq,
	    "the caller's rollback takes the record with it");
}

/* A local copy refuses what needs the server. */
static void
test_local(void)
{
	struct store		*lc;
	struct request		 r;
	struct request_result	 res;
	const struct request_type *t;
	char			*lpath = t_path("copy.db"), *cause = NULL;
	struct user		*u;
	int			 k, nserver = 0;
	int64_t			 id;

	for (k = 0; k < REQ_NKINDS; k++) {
		t = request_type(k);
		T_OK(t != NULL && t->name != NULL && (t->apply != NULL ||
		    k == REQ_KEY_ADD || k == REQ_KEY_REMOVE),
		    "kind %d has a row", k);
		if (!t->server)
			continue;
		nserver++;
		req(&r, (enum request_kind)k, anna);
		r.text = "x";
		r.name = "x";
		T_INT(request_apply(st, &r, REQUEST_LOCAL, &res),
		    PERR_REQ_SERVER, "%s: refused in local mode", t->name);
	}
	/* Passwords, keys, uploads; the gateway's articles and cancels. */
	T_INT(nserver, 7, "seven kinds need the server");
	T_OK(request_type(REQ_NKINDS) == NULL, "no row past the table");

	if (store_open_mode(lpath, STORE_LOCAL, &lc, &cause) != 0) {
		printf("Bail out! local copy: %s\n", cause);
		exit(1);
	}
	u = t_user_get(lc, "anna", "Анна", ROLE_TEACHER);
	req(&r, REQ_PASSWORD, u);
	r.text = "пароль пароль";
	T_INT(request_apply(lc, &r, 0, &res), PERR_REQ_SERVER,
	    "a store opened as a local copy refuses a password change");
	req(&r, REQ_LANGUAGE, u);
	r.text = "en";
	T_INT(request_apply(lc, &r, 0, &res), 0,
	    "and applies what it may do offline");

	/* The ids of rows made offline. */
	T_INT(store_new_id(st, "posts", &id), 0, "a server's store: new id");
	T_INT(id, 0, "a server's store lets SQLite choose");
	T_INT(store_new_id(lc, "posts", &id), 0, "a local copy: new id");
	T_OK(id == STORE_LOCAL_ID_MIN, "the first offline row takes 2^62");
	T_OK(STORE_ID_IS_LOCAL(id) && !STORE_ID_IS_LOCAL(u->id),
	    "an offline id is told from a server's");
	T_INT(store_exec(lc, "INSERT INTO users(id, uuid, login, display_name,"
	    " created_at) VALUES (4611686018427387904, 'u-local', 'lena',"
	    " 'Лена', 0), (77, 'u-server', 'oleg', 'Олег', 0)"), 0,
	    "an offline row and a server's row");
	T_INT(store_new_id(lc, "users", &id), 0, "the next offline id");
	T_OK(id == STORE_LOCAL_ID_MIN + 1, "is one past the last offline row, "
	    "whatever the server's rows");
	T_INT(count("SELECT 1"), 1, "the server's store is untouched");
	T_INT(store_new_id(lc, "users; DROP TABLE users", &id), PERR_DB,
	    "a table name that is not one is refused");
	user_free(u);
	store_close(lc);
	free(lpath);
}

/* ---- two first comments at once ---------------------------------- */

static int gate_out = -1, gate_in = -1, gate_done;

/* At the first BEGIN the parent's connection runs, let the child
 * comment, and wait (bounded) until it has. */
static int
gate(unsigned type, void *ctx, void *p, void *x)
{
	struct pollfd	 pfd;
	char		 c = 'g';

	(void)type;
	(void)ctx;
	(void)p;
	if (gate_done || x == NULL || strncmp(x, "BEGIN", 5) != 0)
		return 0;
	gate_done = 1;
	if (write(gate_out, &c, 1) != 1)
		return 0;
	pfd.fd = gate_in;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 10000) == 1)
		(void)read(gate_in, &c, 1);
	return 0;
}

static void
test_first_comments(void)
{
	struct request		 r;
	struct request_result	 item;
	struct lib_meta		 m = { "free", "Спор", "", "8", "" };
	struct pollfd		 pfd;
	int			 to_child[2], to_parent[2], status = -1;
	int64_t			 tid = 0, threads;
	pid_t			 pid;
	char			 c;

	req(&r, REQ_LIB_LINK, anna);
	r.text = "https://example.org/spor";
	r.meta = &m;
	T_INT(request_apply(st, &r, 0, &item), 0, "an item nobody commented");
	threads = count("SELECT count(*) FROM threads");
	if (pipe(to_child) != 0 || pipe(to_parent) != 0) {
		printf("Bail out! pipe\n");
		exit(1);
	}
	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct store	*cst;
		char		*cause;

		/* The child's own connection, opened after the fork. */
		pfd.fd = to_child[0];
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 10000) != 1 || read(to_child[0], &c, 1) != 1)
			_exit(2);
		if (store_open(path, &cst, &cause) != 0)
			_exit(3);
		c = library_comment(cst, boris, item.id, "Второй.", &tid) == 0 ?
		    'y' : 'n';
		store_close(cst);
		(void)write(to_parent[1], &c, 1);
		_exit(c == 'y' ? 0 : 1);
	}
	gate_out = to_child[1];
	gate_in = to_parent[0];
	sqlite3_trace_v2(store_db(st), SQLITE_TRACE_STMT, gate, NULL);
	T_INT(library_comment(st, anna, item.id, "Первый.", &tid), 0,
	    "the first comment");
	sqlite3_trace_v2(store_db(st), 0, NULL, NULL);
	if (pid > 0)
		waitpid(pid, &status, 0);
	T_OK(gate_done, "the two comments met");
	T_INT(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0,
	    "the other comment, made meanwhile");
	T_INT(count("SELECT count(*) FROM threads"), threads + 1,
	    "two first comments at once make one thread");
	T_INT(count("SELECT count(*) FROM posts p JOIN library_items i"
	    " ON i.thread_id = p.thread_id WHERE i.url = "
	    "'https://example.org/spor'"), 2, "both comments are in it");
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
}

/* Say body in room as u: request_apply()'s code. */
static int
chat_try(const struct user *u, const char *room, const char *body)
{
	struct request		 r;
	struct request_result	 res;

	req(&r, REQ_CHAT_SAY, u);
	r.room = room;
	r.body = body;
	return request_apply(st, &r, 0, &res);
}

/* Chat: a line said twice is one line; hiding twice hides once; who may
 * say and hide is judged in the transaction that writes. */
static void
test_chat(void)
{
	struct request		 r;
	struct request_result	 res;
	char			 room[37], line[37], talk[37];
	int64_t			 rid = 0, tid = 0, i;

	T_INT(store_int(st, &rid, "SELECT id FROM chat_rooms WHERE board_id ="
	    " (SELECT id FROM boards WHERE name = 'math')", ""), 0,
	    "chat: the board has its room");
	request_uuid_of(st, REQF_ROOM, rid, room);
	twice(REQ(REQ_CHAT_SAY, anna, .room = room, .body = "Доброе утро"),
	    "SELECT count(*) FROM chat_lines", 1, &res);
	strlcpy_p(line, res.uuid, sizeof(line));

	req(&r, REQ_CHAT_HIDE, anna);
	r.line = line;
	T_INT(request_apply(st, &r, 0, &res), PERR_NOT_MOD,
	    "chat-hide: a teacher may not hide");
	twice(REQ(REQ_CHAT_HIDE, koord, .line = line),
	    "SELECT count(*) FROM chat_lines WHERE hidden_at IS NOT NULL",
	    1, &res);

	/* Text: one line, no escapes, not too long, not empty. */
	static const struct { const char *body; int rc; const char *what; }
	    bad[] = {
		{ "a\x1b[2Jb", PERR_CONTROL, "an escape sequence" },
		{ "две\nстроки", PERR_MULTILINE, "a newline" },
		{ "", PERR_EMPTY, "an empty line" },
	};
	for (i = 0; i < (int64_t)nitems(bad); i++) {
		T_INT(chat_try(boris, room, bad[i].body), bad[i].rc,
		    "chat-say: %s is refused", bad[i].what);
	}
	{
		char long_line[CHAT_LINE_MAX + 2];

		memset(long_line, 'x', sizeof(long_line) - 1);
		long_line[sizeof(long_line) - 1] = '\0';
		T_INT(chat_try(boris, room, long_line), PERR_TOOLONG,
		    "chat-say: a line over CHAT_LINE_MAX is refused");
	}

	/* The flood limit: CHAT_BURST lines, then no more for a while. */
	for (i = 0; i < CHAT_BURST; i++) {
		T_INT(chat_try(boris, room, "ещё"), 0, "chat-say: line %d",
		    (int)i + 1);
	}
	T_INT(chat_try(boris, room, "ещё"), PERR_CHAT_FLOOD,
	    "chat-say: one line too many is refused");
	T_INT(store_write(st, NULL, "UPDATE chat_lines SET at = at - ?1", "i",
	    (int64_t)CHAT_BURST_SECS + 1), 0, "time passes");
	T_INT(chat_try(boris, room, "ещё"), 0,
	    "chat-say: after the window, she may speak again");

	/* A board she may not read; a ban; the sysop's room. */
	T_INT(board_edit(st, "other", "read", "coordinator", "t"), 0,
	    "other: coordinators only");
	T_INT(store_int(st, &tid, "SELECT id FROM chat_rooms WHERE board_id ="
	    " (SELECT id FROM boards WHERE name = 'other')", ""), 0,
	    "chat: other's room");
	request_uuid_of(st, REQF_ROOM, tid, talk);
	T_INT(chat_try(anna, talk, "можно?"), PERR_NO_READ,
	    "chat-say: not in the room of a board she may not read");
	T_INT(board_edit(st, "other", "read", "teacher", "t"), 0,
	    "other: open again");
	T_INT(chat_open(st, "t", "talk", &tid), 0, "chat: the sysop's room");
	request_uuid_of(st, REQF_ROOM, tid, talk);
	T_INT(chat_try(anna, talk, "Всем привет"), 0,
	    "chat-say: a teacher in the sysop's room");
	T_INT(store_int(st, &i, "SELECT max(id) FROM chat_lines", ""), 0,
	    "chat: her line");
	request_uuid_of(st, REQF_LINE, i, line);
	req(&r, REQ_CHAT_HIDE, koord);
	r.line = line;
	T_INT(request_apply(st, &r, 0, &res), PERR_NOT_MOD,
	    "chat-hide: the sysop's room is the sysop's to moderate");
	T_INT(chat_close(st, "t", tid), 0, "chat: the room closed");
	T_INT(chat_try(anna, talk, "Ещё тут?"), PERR_CHAT_CLOSED,
	    "chat-say: not in a closed room");
	T_INT(user_ban(st, "boris", "спам", "t"), 0, "boris banned");
	T_INT(chat_try(boris, room, "а я всё равно"), PERR_REQ_DENIED,
	    "chat-say: a banned teacher cannot speak");
	T_INT(user_unban(st, "boris", "t"), 0, "boris unbanned");
}

int
main(void)
{
	int	 k, all = 1;

	setup();
	test_posts();
	test_mail_news();
	test_library();
	test_events();
	test_account();
	test_console();
	test_share();
	test_chat();
	for (k = 0; k < REQ_NKINDS; k++) {
		if (!kinds_seen[k]) {
			printf("# kind %s not applied twice\n",
			    request_type(k)->name);
			all = 0;
		}
	}
	T_OK(all, "every kind was applied twice");
	test_rights();
	test_local();
	test_first_comments();
	user_free(admin);
	user_free(koord);
	user_free(anna);
	user_free(boris);
	user_free(expert);
	store_close(st);
	free(path);
	return t_done();
}
