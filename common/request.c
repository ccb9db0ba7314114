/*
 * request.c: the table of every write a user makes, and the one path
 * that applies them.
 *
 * request_apply() opens one transaction (a SAVEPOINT inside a caller's),
 * looks the request's UUID up in the requests table (a request seen
 * before returns its first result and writes nothing), reads the user
 * again (a ban or a lost role counts at once), resolves the UUIDs the
 * kind names into row ids, and calls the kind's apply function, which
 * calls the entity's module (post.c, mail.c, ...): the module's checks of
 * rights, locks and limits then run inside the transaction that writes.
 * What was made is recorded with the UUID in the same transaction, so a
 * request is applied once or not at all.
 *
 * Read pointers (thread, board, news) are not recorded: they only move
 * forward, so applying one again changes nothing anyway, and a reader
 * makes one per post read.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "chat.h"
#include "event.h"
#include "library.h"
#include "log.h"
#include "mail.h"
#include "news.h"
#include "page.h"
#include "perr.h"
#include "polls.h"
#include "post.h"
#include "request.h"
#include "share.h"
#include "store.h"
#include "user.h"
#include "util.h"

/* The tables the row fields name; fixed strings, never user input. */
static const struct {
	const char	*table;
	size_t		 off;		/* of the UUID in struct request */
} request_rows[REQF_NROWS] = {
	[REQF_BOARD] = { "boards", offsetof(struct request, board) },
	[REQF_THREAD] = { "threads", offsetof(struct request, thread) },
	[REQF_POST] = { "posts", offsetof(struct request, post) },
	[REQF_LETTER] = { "mail", offsetof(struct request, letter) },
	[REQF_TO] = { "users", offsetof(struct request, to) },
	[REQF_NEWS] = { "news", offsetof(struct request, news) },
	[REQF_POLL] = { "polls", offsetof(struct request, poll) },
	[REQF_ITEM] = { "library_items", offsetof(struct request, item) },
	[REQF_EVENT] = { "events", offsetof(struct request, event) },
	[REQF_AUTHOR] = { "users", offsetof(struct request, author) },
	[REQF_ROOM] = { "chat_rooms", offsetof(struct request, room) },
	[REQF_LINE] = { "chat_lines", offsetof(struct request, line) },
};

/* ---- helpers of the apply functions ------------------------------ */

static const char *
request_actor(const struct request *r, const struct user *u)
{
	if (r->actor != NULL)
		return r->actor;
	return u != NULL ? u->login : "console";
}

/* After an apply step that returned rc: rc when it failed, else the
 * UUID of row id of table f into res, with the id. */
static int
request_made(struct store *st, int rc, enum request_field f, int64_t id,
    struct request_result *res)
{
	if (rc != 0)
		return rc;
	res->id = id;
	return request_uuid_of(st, f, id, res->uuid);
}

/* ---- the apply functions ----------------------------------------- */

static int
request_thread_new(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	int64_t	 tid = 0;
	int	 rc;

	rc = post_thread_new(st, u, u != NULL ? 0 : rows[REQF_AUTHOR],
	    rows[REQF_BOARD], r->subject, r->body, &tid, NULL);
	return request_made(st, rc, REQF_THREAD, tid, res);
}

static int
request_reply(struct store *st, const struct request *r, const struct user *u,
    const int64_t *rows, struct request_result *res)
{
	int64_t	 pid = 0;
	int	 rc;

	rc = post_reply(st, u, rows[REQF_THREAD], rows[REQF_POST], r->body,
	    &pid);
	return request_made(st, rc, REQF_POST, pid, res);
}

static int
request_thread_read(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)r;
	(void)res;
	return post_mark_read(st, u, rows[REQF_THREAD], rows[REQF_POST]);
}

static int
request_thread_follow(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)res;
	return post_follow(st, u, rows[REQF_THREAD], r->number != 0);
}

static int
request_board_read(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)r;
	(void)res;
	return board_mark_read(st, u, rows[REQF_BOARD]);
}

static int
request_post_edit(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)res;
	return post_edit(st, u, rows[REQF_POST], r->body, (int)r->number);
}

static int
request_post_delete(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	int	 kept = 0, rc;

	rc = post_delete(st, u, rows[REQF_POST], (int)r->number, &kept);
	res->value = kept;
	return rc;
}

static int
request_post_hide(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)res;
	return post_hide(st, u, request_actor(r, u), rows[REQF_POST], r->text);
}

static int
request_post_unhide(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)res;
	return post_unhide(st, u, request_actor(r, u), rows[REQF_POST]);
}

static int
request_post_retitle(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)res;
	return post_set_subject(st, u, request_actor(r, u), rows[REQF_POST],
	    r->subject);
}

static int
request_thread_flag(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	enum post_flag	 f;

	(void)res;
	f = r->kind == REQ_THREAD_PIN ? POST_PIN : r->kind == REQ_THREAD_LOCK ?
	    POST_LOCK : POST_APPROVE;
	return post_thread_flag(st, u, request_actor(r, u), rows[REQF_THREAD],
	    f, r->number != 0);
}

static int
request_thread_move(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)res;
	return post_thread_move(st, u, request_actor(r, u), rows[REQF_THREAD],
	    rows[REQF_BOARD]);
}

static int
request_mail_send(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	struct user	*to = NULL;
	int64_t		 id = 0;
	int		 rc;

	if ((rc = user_get_by_id(st, rows[REQF_TO], &to)) != 0)
		return rc == PERR_NOTFOUND ? PERR_NO_USER : rc;
	rc = mail_send(st, u != NULL ? u->id : 0, to->login, r->subject,
	    r->body, rows[REQF_LETTER], &id);
	user_free(to);
	return request_made(st, rc, REQF_LETTER, id, res);
}

static int
request_mail_read(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)res;
	return mail_set_read(st, u->id, rows[REQF_LETTER], r->number != 0);
}

static int
request_mail_delete(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)res;
	if (strcmp(r->name, "inbox") != 0 && strcmp(r->name, "sent") != 0)
		return PERR_NOTFOUND;
	return mail_delete(st, u->id, r->name, rows[REQF_LETTER]);
}

static int
request_mail_broadcast(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	size_t	 n = 0;
	int	 rc;

	(void)rows;
	rc = mail_broadcast(st, u != NULL ? u->id : rows[REQF_AUTHOR],
	    (int)r->number, r->subject, r->body, &n);
	res->value = (int64_t)n;
	if (rc == 0)
		rc = audit_log(st, request_actor(r, u), "broadcast",
		    r->number < 0 ? "all" : role_name((enum role)r->number),
		    r->subject);
	return rc;
}

static int
request_news_add(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	int64_t	 id = 0;
	int	 rc;

	if (u != NULL && !news_may_publish(st, u->id, (int)u->role))
		return PERR_NOT_MOD;
	rc = news_add(st, u != NULL ? u->id : rows[REQF_AUTHOR], r->subject,
	    r->body, request_actor(r, u), &id);
	return request_made(st, rc, REQF_NEWS, id, res);
}

static int
request_news_seen(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)r;
	(void)res;
	return news_seen(st, u->id, rows[REQF_NEWS]);
}

static int
request_news_remove(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)res;
	return news_remove(st, rows[REQF_NEWS], request_actor(r, u));
}

static int
request_poll_add(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	int64_t	 id = 0;
	int	 rc;

	rc = poll_add(st, u, request_actor(r, u), rows[REQF_BOARD], r->subject,
	    r->list, r->nlist, r->number != 0, r->when, &id);
	return request_made(st, rc, REQF_POLL, id, res);
}

/* An event's fields as a request carries them. */
static void
request_event_fields(const struct request *r, struct event_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->kind = r->name;
	f->title = r->subject;
	f->place = r->text;
	f->description = r->body;
	f->starts_at = r->when;
	f->minutes = r->minutes;
	f->cap = r->number;
}

static int
request_event_add(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	struct event_fields	 f;
	int64_t			 id = 0;
	int			 rc;

	request_event_fields(r, &f);
	rc = event_add(st, u, request_actor(r, u), rows[REQF_BOARD], &f, &id);
	return request_made(st, rc, REQF_EVENT, id, res);
}

/* Edit, cancel, join and leave: the one event the request names. */
static int
request_event(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	struct event_fields	 f;
	int			 waiting = 0, rc;

	switch (r->kind) {
	case REQ_EVENT_EDIT:
		request_event_fields(r, &f);
		return event_edit(st, u, request_actor(r, u), rows[REQF_EVENT],
		    &f);
	case REQ_EVENT_CANCEL:
		return event_cancel(st, u, request_actor(r, u),
		    rows[REQF_EVENT], r->text);
	case REQ_EVENT_JOIN:
		rc = event_join(st, u, rows[REQF_EVENT], &waiting);
		res->value = waiting;
		return rc;
	default:
		return event_leave(st, u, rows[REQF_EVENT]);
	}
}

/* A vote names its options by their place in the poll (1-based). */
static int
request_poll_vote(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	int64_t	*ids, id;
	size_t	 i;
	int	 rc = 0;

	(void)res;
	ids = xcalloc(r->nchoice + 1, sizeof(*ids));
	for (i = 0; i < r->nchoice && rc == 0; i++) {
		rc = store_int(st, &id, "SELECT id FROM poll_options"
		    " WHERE poll_id = ?1 ORDER BY position, id LIMIT 1 OFFSET ?2",
		    "ii", rows[REQF_POLL], r->choice[i] - 1);
		if (rc == PERR_NOTFOUND || r->choice[i] < 1)
			rc = PERR_CHOICE;
		ids[i] = id;
	}
	if (rc == 0)
		rc = poll_vote(st, u, rows[REQF_POLL], ids, r->nchoice);
	free(ids);
	return rc;
}

static int
request_poll_close(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)res;
	if (r->kind == REQ_POLL_REMOVE)
		return poll_remove(st, rows[REQF_POLL], request_actor(r, u));
	return poll_close(st, rows[REQF_POLL], request_actor(r, u));
}

static int
request_lib_comment(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	int64_t	 tid = 0;
	int	 rc;

	rc = library_comment(st, u, rows[REQF_ITEM], r->body, &tid);
	return request_made(st, rc, REQF_THREAD, tid, res);
}

static int
request_lib_add(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	int64_t	 id = 0;
	int	 rc;

	(void)rows;
	if (r->kind == REQ_LIB_FILE && r->file != NULL)
		rc = library_add_held(st, u->id, r->file, r->name, r->meta, &id,
		    &res->bad_field);
	else if (r->kind == REQ_LIB_FILE)
		rc = library_add_file(st, u->id, r->name, r->meta, &id,
		    &res->bad_field);
	else
		rc = library_add_link(st, u->id, r->text, r->meta, &id,
		    &res->bad_field);
	return request_made(st, rc, REQF_ITEM, id, res);
}

static int
request_lib_moderate(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	int64_t	 uid = u != NULL ? u->id : rows[REQF_AUTHOR];

	(void)res;
	if (u != NULL && !library_may_moderate((int)u->role))
		return PERR_LIB_DENIED;
	switch (r->kind) {
	case REQ_LIB_APPROVE:
		return library_approve(st, rows[REQF_ITEM], uid,
		    request_actor(r, u));
	case REQ_LIB_RECOMMEND:
		return library_recommend(st, rows[REQF_ITEM], uid, r->text,
		    request_actor(r, u));
	default:
		return library_remove(st, rows[REQF_ITEM], request_actor(r, u));
	}
}

static int
request_profile(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)rows;
	return user_set_profile(st, u->id, r->display_name, r->school,
	    r->subjects, r->about, &res->bad_field);
}

/* The corrected form and the new application are one write. */
static int
request_reapply(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	int	 rc;

	(void)rows;
	if ((rc = user_set_profile(st, u->id, r->display_name, r->school,
	    r->subjects, r->about, &res->bad_field)) != 0)
		return rc;
	return user_reapply(st, u->id);
}

static int
request_account(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)rows;
	(void)res;
	switch (r->kind) {
	case REQ_LANGUAGE:
		return user_set_lang(st, u->id, r->text);
	case REQ_ENCODING:
		return user_set_encoding(st, u->id, r->text);
	case REQ_PAGE_SHOWS:
		return page_set_shows(st, u->id, r->text);
	default:
		return user_set_password(st, u->id, r->text);
	}
}

/* ---- the sysop's ------------------------------------------------- */

/* The login of user id, or the short name of board id, into a new
 * string the caller frees; NULL when it is gone. */
static char *
request_login(struct store *st, int64_t id)
{
	struct user	*u = NULL;
	char		*s;

	if (user_get_by_id(st, id, &u) != 0)
		return NULL;
	s = xstrdup(u->login);
	user_free(u);
	return s;
}

static char *
request_board_name(struct store *st, int64_t id)
{
	struct board	*b = NULL;
	char		*s;

	if (board_get_for(st, NULL, NULL, id, &b) != 0)
		return NULL;
	s = xstrdup(b->name);
	board_free(b);
	return s;
}

static int
request_board(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	const char	*actor = request_actor(r, u);
	char		*name = NULL, *login = NULL;
	int64_t		 id = 0;
	int		 rc;

	if (r->kind == REQ_BOARD_ADD) {
		if ((rc = board_add(st, r->name, r->subject,
		    r->body != NULL ? r->body : "", actor)) != 0)
			return rc;
		rc = store_int(st, &id, "SELECT id FROM boards WHERE"
		    " name = ?", "t", r->name);
		return request_made(st, rc, REQF_BOARD, id, res);
	}
	if ((name = request_board_name(st, rows[REQF_BOARD])) == NULL)
		return PERR_NOTFOUND;
	switch (r->kind) {
	case REQ_BOARD_EDIT:
		rc = board_edit(st, name, r->name, r->text, actor);
		break;
	case REQ_BOARD_REMOVE:
		rc = board_remove(st, name, actor);
		break;
	default:
		if ((login = request_login(st, rows[REQF_TO])) == NULL)
			rc = PERR_NO_USER;
		else
			rc = board_coordinator(st, name, login, r->number != 0,
			    actor);
		break;
	}
	free(login);
	free(name);
	return rc;
}

static int
request_user_admin(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	const char	*actor = request_actor(r, u);
	char		*login;
	int		 rc;

	(void)res;
	if ((login = request_login(st, rows[REQF_TO])) == NULL)
		return PERR_NOTFOUND;
	switch (r->kind) {
	case REQ_USER_APPROVE:
		rc = user_approve(st, login, actor);
		break;
	case REQ_USER_REJECT:
		rc = user_reject(st, login, r->text, actor);
		break;
	case REQ_USER_ROLE:
		rc = user_set_role(st, login, (enum role)r->number, actor);
		break;
	case REQ_USER_BAN:
		rc = user_ban(st, login, r->text, actor);
		break;
	case REQ_USER_UNBAN:
		rc = user_unban(st, login, actor);
		break;
	default:
		rc = user_delete(st, login, actor);
		break;
	}
	free(login);
	return rc;
}

static int
request_section_add(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)rows;
	(void)res;
	return library_section_add(st, r->name, r->subject, r->number != 0,
	    request_actor(r, u));
}

static int
request_board_share(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)res;
	return share_set(st, rows[REQF_BOARD], r->name, request_actor(r, u));
}

/* A post from another district; its UUID is the request's. */
static int
request_article(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	int64_t	 pid = 0;
	int	 rc;

	(void)u;
	if (strcmp(r->foreign->uuid, r->uuid) != 0)
		return PERR_EXISTS;
	rc = share_post_foreign(st, rows[REQF_BOARD], rows[REQF_THREAD],
	    rows[REQF_POST], r->foreign, &pid);
	return request_made(st, rc, REQF_POST, pid, res);
}

static int
request_article_cancel(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)u;
	(void)res;
	return share_cancel_foreign(st, rows[REQF_POST], r->text);
}

static int
request_chat_say(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	int64_t	 id = 0;
	int	 rc;

	rc = chat_say(st, u, rows[REQF_ROOM], r->body, &id);
	return request_made(st, rc, REQF_LINE, id, res);
}

static int
request_chat_hide(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	(void)res;
	return chat_hide(st, u, request_actor(r, u), rows[REQF_LINE]);
}

/* ---- the table --------------------------------------------------- */

#define F(x)	REQ_F(REQF_ ## x)

static const struct request_type request_types[REQ_NKINDS] = {
	[REQ_THREAD_NEW] = { .name = "thread-new",
	    .fields = F(BOARD) | F(SUBJECT) | F(BODY), .optional = F(AUTHOR),
	    .result = "threads", .apply = request_thread_new },
	[REQ_REPLY] = { .name = "reply",
	    .fields = F(THREAD) | F(BODY), .optional = F(POST),
	    .result = "posts", .apply = request_reply },
	[REQ_THREAD_READ] = { .name = "thread-read",
	    .fields = F(THREAD) | F(POST), .monotone = 1,
	    .apply = request_thread_read },
	[REQ_BOARD_READ] = { .name = "board-read",
	    .fields = F(BOARD), .monotone = 1,
	    .apply = request_board_read },
	[REQ_POST_EDIT] = { .name = "post-edit",
	    .fields = F(POST) | F(BODY), .apply = request_post_edit },
	[REQ_POST_DELETE] = { .name = "post-delete",
	    .fields = F(POST), .apply = request_post_delete },
	[REQ_POST_HIDE] = { .name = "post-hide",
	    .fields = F(POST) | F(TEXT), .apply = request_post_hide },
	[REQ_POST_UNHIDE] = { .name = "post-unhide",
	    .fields = F(POST), .apply = request_post_unhide },
	[REQ_POST_RETITLE] = { .name = "post-retitle",
	    .fields = F(POST) | F(SUBJECT), .apply = request_post_retitle },
	[REQ_THREAD_PIN] = { .name = "thread-pin",
	    .fields = F(THREAD), .apply = request_thread_flag },
	[REQ_THREAD_LOCK] = { .name = "thread-lock",
	    .fields = F(THREAD), .apply = request_thread_flag },
	[REQ_THREAD_APPROVE] = { .name = "thread-approve",
	    .fields = F(THREAD), .apply = request_thread_flag },
	[REQ_THREAD_MOVE] = { .name = "thread-move",
	    .fields = F(THREAD) | F(BOARD), .apply = request_thread_move },
	[REQ_MAIL_SEND] = { .name = "mail-send",
	    .fields = F(TO) | F(SUBJECT) | F(BODY), .optional = F(LETTER),
	    .result = "mail", .apply = request_mail_send },
	[REQ_MAIL_READ] = { .name = "mail-read",
	    .fields = F(LETTER), .apply = request_mail_read },
	[REQ_MAIL_DELETE] = { .name = "mail-delete",
	    .fields = F(LETTER) | F(NAME), .apply = request_mail_delete },
	[REQ_MAIL_BROADCAST] = { .name = "mail-broadcast",
	    .fields = F(SUBJECT) | F(BODY), .optional = F(AUTHOR),
	    .console = 1, .apply = request_mail_broadcast },
	[REQ_NEWS_ADD] = { .name = "news-add",
	    .fields = F(SUBJECT) | F(BODY), .optional = F(AUTHOR),
	    .result = "news", .apply = request_news_add },
	[REQ_NEWS_SEEN] = { .name = "news-seen",
	    .fields = F(NEWS), .monotone = 1, .apply = request_news_seen },
	[REQ_NEWS_REMOVE] = { .name = "news-remove",
	    .fields = F(NEWS), .console = 1, .apply = request_news_remove },
	[REQ_POLL_ADD] = { .name = "poll-add",
	    .fields = F(BOARD) | F(SUBJECT) | F(LIST), .result = "polls",
	    .apply = request_poll_add },
	[REQ_POLL_VOTE] = { .name = "poll-vote",
	    .fields = F(POLL) | F(CHOICE), .apply = request_poll_vote },
	[REQ_POLL_CLOSE] = { .name = "poll-close",
	    .fields = F(POLL), .console = 1, .apply = request_poll_close },
	[REQ_POLL_REMOVE] = { .name = "poll-remove",
	    .fields = F(POLL), .console = 1, .apply = request_poll_close },
	[REQ_EVENT_ADD] = { .name = "event-add",
	    .fields = F(BOARD) | F(NAME) | F(SUBJECT) | F(TEXT) | F(BODY),
	    .result = "events", .apply = request_event_add },
	[REQ_EVENT_EDIT] = { .name = "event-edit",
	    .fields = F(EVENT) | F(NAME) | F(SUBJECT) | F(TEXT) | F(BODY),
	    .apply = request_event },
	[REQ_EVENT_CANCEL] = { .name = "event-cancel",
	    .fields = F(EVENT) | F(TEXT), .apply = request_event },
	[REQ_EVENT_JOIN] = { .name = "event-join",
	    .fields = F(EVENT), .apply = request_event },
	[REQ_EVENT_LEAVE] = { .name = "event-leave",
	    .fields = F(EVENT), .apply = request_event },
	[REQ_LIB_COMMENT] = { .name = "library-comment",
	    .fields = F(ITEM) | F(BODY), .result = "threads",
	    .apply = request_lib_comment },
	[REQ_LIB_LINK] = { .name = "library-link",
	    .fields = F(TEXT) | F(META), .result = "library_items",
	    .apply = request_lib_add },
	[REQ_LIB_FILE] = { .name = "library-file",
	    .fields = F(NAME) | F(META), .optional = F(FILE), .server = 1,
	    .result = "library_items", .apply = request_lib_add },
	[REQ_LIB_APPROVE] = { .name = "library-approve",
	    .fields = F(ITEM), .apply = request_lib_moderate },
	[REQ_LIB_RECOMMEND] = { .name = "library-recommend",
	    .fields = F(ITEM) | F(TEXT), .optional = F(AUTHOR),
	    .apply = request_lib_moderate },
	[REQ_LIB_REMOVE] = { .name = "library-remove",
	    .fields = F(ITEM), .console = 1, .apply = request_lib_moderate },
	[REQ_PROFILE] = { .name = "profile",
	    .fields = F(PROFILE), .apply = request_profile },
	[REQ_LANGUAGE] = { .name = "language",
	    .fields = F(TEXT), .apply = request_account },
	[REQ_ENCODING] = { .name = "encoding",
	    .fields = F(TEXT), .apply = request_account },
	[REQ_PASSWORD] = { .name = "password",
	    .fields = F(TEXT), .server = 1, .apply = request_account },
	/* Keys need libssh: their apply is bbs/request-keys.c's. */
	[REQ_KEY_ADD] = { .name = "key-add",
	    .fields = F(TEXT), .server = 1 },
	[REQ_KEY_REMOVE] = { .name = "key-remove",
	    .fields = F(TEXT), .server = 1 },
	[REQ_REAPPLY] = { .name = "reapply",
	    .fields = F(PROFILE), .server = 1, .apply = request_reapply },
	[REQ_BOARD_ADD] = { .name = "board-add",
	    .fields = F(NAME) | F(SUBJECT), .console = 1, .result = "boards",
	    .apply = request_board },
	[REQ_BOARD_EDIT] = { .name = "board-edit",
	    .fields = F(BOARD) | F(NAME) | F(TEXT), .console = 1,
	    .apply = request_board },
	[REQ_BOARD_REMOVE] = { .name = "board-remove",
	    .fields = F(BOARD), .console = 1, .apply = request_board },
	[REQ_BOARD_COORDINATOR] = { .name = "board-coordinator",
	    .fields = F(BOARD) | F(TO), .console = 1, .apply = request_board },
	[REQ_USER_APPROVE] = { .name = "user-approve",
	    .fields = F(TO), .console = 1, .apply = request_user_admin },
	[REQ_USER_REJECT] = { .name = "user-reject",
	    .fields = F(TO) | F(TEXT), .console = 1,
	    .apply = request_user_admin },
	[REQ_USER_ROLE] = { .name = "user-role",
	    .fields = F(TO), .console = 1, .apply = request_user_admin },
	[REQ_USER_BAN] = { .name = "user-ban",
	    .fields = F(TO) | F(TEXT), .console = 1,
	    .apply = request_user_admin },
	[REQ_USER_UNBAN] = { .name = "user-unban",
	    .fields = F(TO), .console = 1, .apply = request_user_admin },
	[REQ_USER_DELETE] = { .name = "user-delete",
	    .fields = F(TO), .console = 1, .apply = request_user_admin },
	[REQ_LIB_SECTION_ADD] = { .name = "library-section-add",
	    .fields = F(NAME) | F(SUBJECT), .console = 1,
	    .apply = request_section_add },
	[REQ_BOARD_SHARE] = { .name = "board-share",
	    .fields = F(BOARD) | F(NAME), .console = 1,
	    .apply = request_board_share },
	[REQ_ARTICLE] = { .name = "article",
	    .fields = F(BOARD) | F(FOREIGN), .optional = F(THREAD) | F(POST),
	    .console = 1, .server = 1, .result = "posts",
	    .apply = request_article },
	/* Hiding twice changes nothing: a cancel that comes again by a
	 * second path needs no record. */
	[REQ_ARTICLE_CANCEL] = { .name = "article-cancel",
	    .fields = F(POST) | F(TEXT), .console = 1, .server = 1,
	    .monotone = 1, .apply = request_article_cancel },
	[REQ_CHAT_SAY] = { .name = "chat-say",
	    .fields = F(ROOM) | F(BODY), .result = "chat_lines",
	    .apply = request_chat_say },
	/* Hiding twice changes nothing. */
	[REQ_CHAT_HIDE] = { .name = "chat-hide",
	    .fields = F(LINE), .monotone = 1, .apply = request_chat_hide },
	[REQ_PAGE_SHOWS] = { .name = "page-shows",
	    .fields = F(TEXT), .apply = request_account },
	/* Her choice, kept as she made it last. */
	[REQ_THREAD_FOLLOW] = { .name = "thread-follow",
	    .fields = F(THREAD), .apply = request_thread_follow },
};

#undef F

/* The kinds that act on the user's own rows need a user. */
static int
request_needs_user(enum request_kind k)
{
	switch (k) {
	case REQ_THREAD_READ: case REQ_BOARD_READ: case REQ_POST_EDIT:
	case REQ_POST_DELETE: case REQ_MAIL_READ: case REQ_MAIL_DELETE:
	case REQ_NEWS_SEEN: case REQ_POLL_VOTE: case REQ_LIB_COMMENT:
	case REQ_LIB_LINK: case REQ_LIB_FILE: case REQ_PROFILE:
	case REQ_LANGUAGE: case REQ_ENCODING: case REQ_PASSWORD:
	case REQ_KEY_ADD: case REQ_KEY_REMOVE: case REQ_REPLY:
	case REQ_REAPPLY: case REQ_EVENT_JOIN: case REQ_EVENT_LEAVE:
	case REQ_CHAT_SAY: case REQ_PAGE_SHOWS: case REQ_THREAD_FOLLOW:
		return 1;
	default:
		return 0;
	}
}

const struct request_type *
request_type(enum request_kind k)
{
	if ((int)k < 0 || k >= REQ_NKINDS)
		return NULL;
	return &request_types[k];
}

int
request_kind_named(const char *name)
{
	int	 k;

	for (k = 0; k < REQ_NKINDS; k++)
		if (strcmp(request_types[k].name, name) == 0)
			return k;
	return -1;
}

void
request_init(struct request *r, enum request_kind kind,
    const struct user *user)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->user = user;
	uuid_v4(r->uuid);
}

/* ---- UUIDs and row ids ------------------------------------------- */

int
request_uuid_of(struct store *st, enum request_field f, int64_t id,
    char uuid[37])
{
	static const struct store_col cols[] = { { STORE_UUID, 0 } };
	static const struct store_rowtype rows = {
		.size = STORE_UUID_SIZE, .cols = cols, .ncols = nitems(cols),
	};
	char	 sql[96];

	uuid[0] = '\0';
	if ((int)f < 0 || f >= REQF_NROWS)
		return PERR_NOTFOUND;
	snprintf(sql, sizeof(sql), "SELECT uuid FROM %s WHERE id = ?",
	    request_rows[f].table);
	/* The row is the UUID itself. */
	return store_row(st, store_stmt(st, sql, "i", id), &rows, uuid,
	    "request uuid");
}

int
request_id_of(struct store *st, enum request_field f, const char *uuid,
    int64_t *id)
{
	char	 sql[96];

	*id = 0;
	if ((int)f < 0 || f >= REQF_NROWS || uuid == NULL || *uuid == '\0')
		return PERR_NOTFOUND;
	snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE uuid = ?",
	    request_rows[f].table);
	return store_int(st, id, sql, "t", uuid);
}

/* ---- applying ---------------------------------------------------- */

/* The UUID field of r for row field f. */
static const char *
request_row_uuid(const struct request *r, int f)
{
	return *(const char *const *)(const void *)((const char *)r +
	    request_rows[f].off);
}

/* Every field the kind needs is there; resolve the rows it names. */
static int
request_resolve(struct store *st, const struct request *r,
    const struct request_type *t, int64_t *rows)
{
	const char	*uuid;
	unsigned	 want = t->fields | t->optional;
	int		 f, rc;

	for (f = 0; f < REQF_NROWS; f++) {
		rows[f] = 0;
		if (!(want & REQ_F(f)))
			continue;
		uuid = request_row_uuid(r, f);
		if (uuid == NULL || *uuid == '\0') {
			if (t->fields & REQ_F(f))
				return PERR_NOTFOUND;
			continue;
		}
		if ((rc = request_id_of(st, f, uuid, &rows[f])) != 0)
			return rc;
	}
	if (((t->fields & REQ_F(REQF_SUBJECT)) && r->subject == NULL) ||
	    ((t->fields & REQ_F(REQF_BODY)) && r->body == NULL) ||
	    ((t->fields & REQ_F(REQF_TEXT)) && r->text == NULL) ||
	    ((t->fields & REQ_F(REQF_NAME)) && r->name == NULL) ||
	    ((t->fields & REQ_F(REQF_META)) && r->meta == NULL) ||
	    ((t->fields & REQ_F(REQF_FOREIGN)) && r->foreign == NULL) ||
	    ((t->fields & REQ_F(REQF_PROFILE)) && (r->display_name == NULL ||
	    r->school == NULL || r->subjects == NULL || r->about == NULL)))
		return PERR_EMPTY;
	if ((t->fields & REQ_F(REQF_LIST)) && r->list == NULL && r->nlist != 0)
		return PERR_EMPTY;
	if ((t->fields & REQ_F(REQF_CHOICE)) && r->nchoice == 0)
		return PERR_CHOICE;
	return 0;
}

/* The first result of r's UUID into res: 0, PERR_NOTFOUND when it was
 * never applied, PERR_EXISTS when another kind or user used it. */
static int
request_seen(struct store *st, const struct request *r,
    const struct request_type *t, int64_t user_id, struct request_result *res)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stmt = store_stmt(st, "SELECT kind, coalesce(user_id, 0), result_uuid,"
	    " result_id, result_value FROM requests WHERE uuid = ?", "t",
	    r->uuid);
	if ((rc = store_first(st, stmt, "request seen")) == 0) {
		const char *k = (const char *)sqlite3_column_text(stmt, 0);
		const char *u = (const char *)sqlite3_column_text(stmt, 2);

		if (k == NULL || strcmp(k, t->name) != 0 ||
		    sqlite3_column_int64(stmt, 1) != user_id)
			rc = PERR_EXISTS;
		else {
			strlcpy_p(res->uuid, u != NULL ? u : "",
			    sizeof(res->uuid));
			res->id = sqlite3_column_int64(stmt, 3);
			res->value = sqlite3_column_int64(stmt, 4);
			res->again = 1;
		}
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* The user as she is now, inside the transaction: PERR_REQ_DENIED when
 * she is gone or banned.  One awaiting approval (or whose role was
 * taken away) goes on: the modules judge her by her role, as read
 * here. */
static int
request_user(struct store *st, const struct request *r, struct user **out)
{
	int	 rc;

	*out = NULL;
	if (r->user == NULL)
		return 0;
	if ((rc = user_get_by_id(st, r->user->id, out)) == PERR_NOTFOUND)
		return PERR_REQ_DENIED;
	if (rc != 0)
		return rc;
	if (user_state(*out) == USER_BANNED) {
		user_free(*out);
		*out = NULL;
		return PERR_REQ_DENIED;
	}
	return 0;
}

int
request_apply(struct store *st, const struct request *r, int flags,
    struct request_result *res)
{
	return request_apply_with(st, r, flags, NULL, res);
}

int
request_apply_with(struct store *st, const struct request *r, int flags,
    request_apply_fn *apply, struct request_result *res)
{
	const struct request_type *t = request_type(r->kind);
	const struct store_meta	*m = store_meta(st);
	struct user		*u = NULL;
	int64_t			 rows[REQF_NROWS];
	int			 rc;

	memset(res, 0, sizeof(*res));
	if (t == NULL || strlen(r->uuid) != 36) {
		log_warn("request: bad kind %d or uuid", (int)r->kind);
		return PERR_DB;
	}
	if (t->server && ((flags & REQUEST_LOCAL) ||
	    (m->kind != NULL && strcmp(m->kind, "server") != 0)))
		return PERR_REQ_SERVER;
	if (apply == NULL && (apply = t->apply) == NULL)
		return PERR_REQ_SERVER;	/* the server program's own */
	if ((r->user == NULL && request_needs_user(r->kind)) ||
	    (r->user != NULL && r->author != NULL))	/* the console's */
		return PERR_REQ_DENIED;
	if ((rc = store_begin(st)) != 0)
		return rc;
	rc = request_seen(st, r, t, r->user != NULL ? r->user->id : 0, res);
	if (rc != PERR_NOTFOUND) {
		/* Applied before (0), or the UUID is another's: nothing
		 * is written either way. */
		store_rollback(st);
		return rc;
	}
	if ((rc = request_user(st, r, &u)) != 0)
		goto out;
	if (t->console && u != NULL && u->role != ROLE_SYSOP) {
		rc = PERR_REQ_DENIED;
		goto out;
	}
	if ((rc = request_resolve(st, r, t, rows)) != 0)
		goto out;
	if ((rc = apply(st, r, u, rows, res)) != 0)
		goto out;
	if (!t->monotone)
		rc = store_write(st, NULL, "INSERT INTO requests(uuid, kind,"
		    " user_id, result_uuid, result_id, result_value, at)"
		    " VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6, ?7)", "ttitiii",
		    r->uuid, t->name, u != NULL ? u->id : (int64_t)0, res->uuid,
		    res->id, res->value, now_unix());
out:
	user_free(u);
	if (rc == 0 && (rc = store_commit(st)) == 0)
		return 0;
	store_rollback(st);
	return rc;
}
