/*
 * post.c: threads and posts in the store.  Writes validate their text
 * here (so the UI, the console and later the sync server store alike)
 * and run in one transaction each; reads apply the visibility rules of
 * board-sql.h with the reader bound as :uid and :role.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board-sql.h"
#include "board.h"
#include "i18n.h"
#include "log.h"
#include "mail.h"
#include "perr.h"
#include "post.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"

int
post_check_subject(const char *s)
{
	char	*t = xstrdup(s);
	int	 rc;

	text_trim(t);
	rc = text_check(t, POST_SUBJECT_MAX, 0);
	free(t);
	return rc;
}

int
post_check_body(const char *s)
{
	const char	*p;

	if (strlen(s) > POST_BODY_MAX)
		return PERR_POST_SIZE;
	for (p = s; *p == ' ' || *p == '\n'; p++)
		;
	if (*p == '\0')
		return PERR_EMPTY;
	return text_check(s, POST_BODY_MAX, TEXT_MULTILINE);
}

/* What u may do on board_id: 0 with the three flags, or a PERR code. */
static int
board_rights(struct store *st, const struct user *u, int64_t board_id,
    int *may_post, int *is_mod, int *premod)
{
	struct board	*b = NULL;
	int		 rc;

	if ((rc = board_get_for(st, u, NULL, board_id, &b)) != 0)
		return rc;
	*may_post = b->may_post;
	*is_mod = b->is_mod;
	if (premod != NULL)
		*premod = b->premoderated;
	board_free(b);
	return 0;
}

/* Insert one post; the caller holds the transaction. */
static int
post_insert(struct store *st, int64_t thread_id, int64_t author_id,
    int64_t reply_to, const char *subject, const char *body, int64_t now,
    int64_t *post_id)
{
	return store_insert(st, "posts", post_id, "INSERT INTO posts(uuid, id,"
	    " thread_id, author_id, reply_to, subject, body, created_at)"
	    " VALUES (?1, ?2, ?3, CASE WHEN ?4 > 0 THEN ?4 END,"
	    " CASE WHEN ?5 > 0 THEN ?5 END, ?6, ?7, ?8)", "iiitti", thread_id,
	    author_id, reply_to, subject, body, now);
}

int
post_texts(const char *subject, const char *body, char **s, char **b)
{
	char	*t;
	int	 rc;

	*s = *b = NULL;
	if (subject != NULL && (rc = post_check_subject(subject)) != 0)
		return rc;
	if ((rc = post_check_body(body)) != 0)
		return rc;
	if (subject != NULL) {
		t = xstrdup(subject);
		*s = text_nfc(text_trim(t));
		free(t);
	}
	*b = text_nfc(body);
	if ((subject != NULL && *s == NULL) || *b == NULL) {
		free(*s);
		free(*b);
		*s = *b = NULL;
		return PERR_UTF8;
	}
	return 0;
}

int
post_thread_new(struct store *st, const struct user *u, int64_t author_id,
    int64_t board_id, const char *subject, const char *body,
    int64_t *thread_id, int64_t *post_id)
{
	char		*s = NULL, *b = NULL;
	int64_t		 now = now_unix(), tid = 0;
	int		 rc, may_post, is_mod, premod;

	if ((rc = board_rights(st, u, board_id, &may_post, &is_mod, &premod)) != 0)
		return rc;
	if (!may_post)
		return PERR_NO_POST;
	if ((rc = post_texts(subject, body, &s, &b)) != 0)
		return rc;
	if (u != NULL)
		author_id = u->id;
	if ((rc = store_begin(st)) != 0)
		goto out;
	if ((rc = store_insert(st, "threads", &tid, "INSERT INTO threads(uuid,"
	    " id, board_id, subject, author_id, created_at, last_post_at,"
	    " approved) VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 > 0 THEN ?5 END,"
	    " ?6, ?6, ?7)", "itiii", board_id, s, author_id, now,
	    (int64_t)(premod && !is_mod ? 0 : 1))) == 0)
		rc = post_insert(st, tid, author_id, 0, s, b, now, post_id);
out:
	if ((rc = store_end(st, rc)) == 0 && thread_id != NULL)
		*thread_id = tid;
	free(s);
	free(b);
	return rc;
}

int
post_reply(struct store *st, const struct user *u, int64_t thread_id,
    int64_t reply_to, const char *body, int64_t *post_id)
{
	struct thread	*t = NULL;
	char		*s = NULL, *b = NULL;
	int64_t		 now = now_unix();
	int		 rc;

	if ((rc = post_thread_get(st, u, thread_id, &t)) != 0)
		return rc == PERR_NOTFOUND ? PERR_HIDDEN : rc;
	if (t->hidden_at != 0)
		rc = PERR_HIDDEN;	/* its author or a moderator sees it */
	else if (!t->may_post)
		rc = PERR_NO_POST;
	else if (t->locked && !t->is_mod)
		rc = PERR_LOCKED;
	if (rc == 0)
		rc = post_texts(NULL, body, &s, &b);
	if (rc != 0) {
		/* Not through out: no transaction of ours (store.h). */
		post_thread_free(t);
		return rc;
	}
	if ((rc = store_begin(st)) != 0)
		goto out;
	rc = post_insert(st, thread_id, u != NULL ? u->id : 0, reply_to, "", b,
	    now, post_id);
	if (rc == 0)
		rc = store_write(st, NULL, "UPDATE threads SET last_post_at = ?"
		    " WHERE id = ?", "ii", now, thread_id);
out:
	rc = store_end(st, rc);
	post_thread_free(t);
	free(s);
	free(b);
	return rc;
}

/*
 * Thread t is listed for the reader: shown (board-sql.h), or hidden and
 * the reader wrote it or moderates its board (a placeholder for them).
 * Post p is listed likewise.
 */
#define SQL_THREAD_LISTED						\
	"(" SQL_THREAD_SHOWN " OR (" SQL_CAN_READ " AND t.hidden_at"	\
	" IS NOT NULL AND (t.author_id = :uid OR " SQL_IS_MOD ")))"
#define SQL_POST_LISTED(p)						\
	"(" p ".hidden_at IS NULL OR " p ".author_id = :uid OR "	\
	SQL_IS_MOD ")"

#define THREAD_COLUMNS							\
	"SELECT t.id, t.uuid, t.board_id, t.subject,"			\
	" coalesce(u.login, t.foreign_login, ''),"			\
	" coalesce(u.display_name, t.foreign_login, ''), coalesce(t.author_id, 0),"	\
	" t.created_at, t.last_post_at, t.pinned,"			\
	" t.locked, t.approved, coalesce(t.hidden_at, 0),"		\
	" (SELECT count(*) FROM posts p WHERE p.thread_id = t.id"	\
	"  AND p.hidden_at IS NULL),"					\
	" (SELECT count(*) FROM posts p WHERE p.thread_id = t.id AND "	\
	SQL_POST_UNREAD "), " SQL_IS_MOD ", " SQL_CAN_POST ","		\
	" coalesce(t.hide_reason, ''), " SQL_THREAD_FOLLOWED
#define THREAD_FROM							\
	" FROM threads t JOIN boards b ON b.id = t.board_id"		\
	" LEFT JOIN users u ON u.id = t.author_id"

STORE_ROWTYPE(thread_rows, struct thread,
	STORE_COL(I64, struct thread, id),
	STORE_COL(UUID, struct thread, uuid),
	STORE_COL(I64, struct thread, board_id),
	STORE_COL(TEXT, struct thread, subject),
	STORE_COL(TEXT, struct thread, author),
	STORE_COL(TEXT, struct thread, author_name),
	STORE_COL(I64, struct thread, author_id),
	STORE_COL(I64, struct thread, created_at),
	STORE_COL(I64, struct thread, last_post_at),
	STORE_COL(INT, struct thread, pinned),
	STORE_COL(INT, struct thread, locked),
	STORE_COL(INT, struct thread, approved),
	STORE_COL(I64, struct thread, hidden_at),
	STORE_COL(I64, struct thread, posts),
	STORE_COL(I64, struct thread, unread),
	STORE_COL(INT, struct thread, is_mod),
	STORE_COL(INT, struct thread, may_post),
	STORE_COL(TEXT, struct thread, hide_reason),
	STORE_COL(INT, struct thread, followed),
	STORE_COL(INT, struct thread, listed));

int
post_threads(struct store *st, const struct user *u, int64_t board_id,
    struct thread **out, size_t *n)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, THREAD_COLUMNS THREAD_FROM
	    " WHERE t.board_id = :board"
	    " AND " SQL_THREAD_LISTED " ORDER BY t.pinned DESC,"
	    " t.last_post_at DESC, t.id DESC");
	board_bind_reader(stmt, u);
	store_bind_named(stmt, ":board", board_id);
	return store_rows(st, stmt, &thread_rows, out, n, "threads");
}

void
post_threads_free(struct thread *v, size_t n)
{
	store_rows_free(&thread_rows, v, n);
}

int
post_thread_get(struct store *st, const struct user *u, int64_t id,
    struct thread **out)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stmt = store_prepare(st, THREAD_COLUMNS ", (" SQL_THREAD_LISTED ")"
	    THREAD_FROM " WHERE t.id = :id");
	board_bind_reader(stmt, u);
	store_bind_named(stmt, ":id", id);
	rc = store_row_new(st, stmt, &thread_rows, out, "thread get");
	if (rc == 0 && !(*out)->listed) {
		rc = (*out)->hidden_at != 0 ? PERR_HIDDEN : PERR_NOTFOUND;
		post_thread_free(*out);
		*out = NULL;
	}
	return rc;
}

void
post_thread_free(struct thread *t)
{
	post_threads_free(t, t != NULL);
}

STORE_ROWTYPE(post_rows, struct post,
	STORE_COL(I64, struct post, id),
	STORE_COL(UUID, struct post, uuid),
	STORE_COL(I64, struct post, thread_id),
	STORE_COL(I64, struct post, author_id),
	STORE_COL(TEXT, struct post, author),
	STORE_COL(TEXT, struct post, author_name),
	STORE_COL(TEXT, struct post, subject),
	STORE_COL(TEXT, struct post, body),
	STORE_COL(I64, struct post, created_at),
	STORE_COL(I64, struct post, edited_at),
	STORE_COL(I64, struct post, index),
	STORE_COL(I64, struct post, total),
	STORE_COL(INT, struct post, unread),
	STORE_COL(I64, struct post, hidden_at),
	STORE_COL(TEXT, struct post, hide_reason));

int
post_get(struct store *st, const struct user *u, int64_t thread_id,
    int64_t post_id, int dir, struct post **out)
{
	static const char *const sql[3] = {
#define POST_SELECT							\
	"SELECT p.id, p.uuid, p.thread_id, coalesce(p.author_id, 0),"	\
	" coalesce(u.login, p.foreign_login, ''),"			\
	" coalesce(u.display_name, p.foreign_name, ''), p.subject,"	\
	" p.body, p.created_at, coalesce(p.edited_at, 0),"		\
	" (SELECT count(*) FROM posts q WHERE q.thread_id = p.thread_id"	\
	"  AND " SQL_POST_LISTED("q") " AND q.id <= p.id),"		\
	" (SELECT count(*) FROM posts q WHERE q.thread_id = p.thread_id"	\
	"  AND " SQL_POST_LISTED("q") "), " SQL_POST_UNREAD ","	\
	" coalesce(p.hidden_at, 0), coalesce(p.hide_reason, '')"	\
	" FROM posts p JOIN threads t ON t.id = p.thread_id"		\
	" JOIN boards b ON b.id = t.board_id"				\
	" LEFT JOIN users u ON u.id = p.author_id"			\
	" WHERE p.thread_id = :thread AND " SQL_POST_LISTED("p")	\
	" AND " SQL_THREAD_LISTED
		POST_SELECT " AND p.id < :post ORDER BY p.id DESC LIMIT 1",
		POST_SELECT " AND p.id >= :post ORDER BY p.id LIMIT 1",
		POST_SELECT " AND p.id > :post ORDER BY p.id LIMIT 1",
#undef POST_SELECT
	};
	sqlite3_stmt	*stmt;

	*out = NULL;
	if (dir < -1 || dir > 1)
		return PERR_NOTFOUND;
	if ((stmt = store_prepare(st, sql[dir + 1])) != NULL)
		board_bind_reader(stmt, u);
	store_bind_named(stmt, ":thread", thread_id);
	store_bind_named(stmt, ":post", post_id);
	return store_row_new(st, stmt, &post_rows, out, "post get");
}

void
post_free(struct post *p)
{
	store_rows_free(&post_rows, p, p != NULL);
}

/* Run a query of one row of two integer columns. */
static int
post_pair(struct store *st, const struct user *u, const char *sql,
    int64_t thread_id, int64_t *a, int64_t *b)
{
	sqlite3_stmt	*stmt;
	int		 rc = 0, step;

	*a = 0;
	if (b != NULL)
		*b = 0;
	if ((stmt = store_prepare(st, sql)) == NULL)
		return PERR_DB;
	board_bind_reader(stmt, u);
	store_bind_named(stmt, ":thread", thread_id);
	if ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		*a = sqlite3_column_int64(stmt, 0);
		if (b != NULL)
			*b = sqlite3_column_int64(stmt, 1);
	} else if (step != SQLITE_DONE)
		rc = store_fail(st, "unread");
	sqlite3_finalize(stmt);
	return rc;
}

int
post_first_unread(struct store *st, const struct user *u, int64_t thread_id,
    int64_t *post_id)
{
	return post_pair(st, u, "SELECT p.id FROM posts p JOIN threads t ON"
	    " t.id = p.thread_id JOIN boards b ON b.id = t.board_id WHERE"
	    " p.thread_id = :thread AND " SQL_THREAD_SHOWN " AND "
	    SQL_POST_UNREAD " ORDER BY p.id LIMIT 1", thread_id, post_id, NULL);
}

int
post_next_unread(struct store *st, const struct user *u, int64_t *thread_id,
    int64_t *post_id)
{
	return post_pair(st, u, "SELECT t.id, p.id FROM posts p JOIN threads t"
	    " ON t.id = p.thread_id JOIN boards b ON b.id = t.board_id WHERE "
	    SQL_THREAD_SHOWN " AND " SQL_POST_UNREAD
	    " ORDER BY b.position, b.id, t.id, p.id LIMIT 1", 0, thread_id,
	    post_id);
}

int
post_mark_read(struct store *st, const struct user *u, int64_t thread_id,
    int64_t post_id)
{
	return store_write(st, NULL, "INSERT INTO thread_reads(user_id,"
	    " thread_id, last_post_id) VALUES (?, ?, ?) ON CONFLICT(user_id,"
	    " thread_id) DO UPDATE SET last_post_id = max(last_post_id,"
	    " excluded.last_post_id)", "iii", u->id, thread_id, post_id);
}

int
post_follow(struct store *st, const struct user *u, int64_t thread_id,
    int on)
{
	struct thread	*t = NULL;
	int		 rc;

	if ((rc = post_thread_get(st, u, thread_id, &t)) != 0)
		return rc;	/* none to follow that she may not read */
	post_thread_free(t);
	return store_write(st, NULL, "INSERT INTO thread_reads(user_id,"
	    " thread_id, last_post_id, followed) VALUES (?, ?, 0, ?)"
	    " ON CONFLICT(user_id, thread_id) DO UPDATE SET followed ="
	    " excluded.followed", "iii", u->id, thread_id, (int64_t)(on != 0));
}

/* ---- moderation ---------------------------------------------------- */

/* The thread and board of post_id (0 post_id: of thread *thread_id),
 * whether it is the thread's first post, and whether u moderates. */
static int
mod_lookup(struct store *st, const struct user *u, int64_t post_id,
    int64_t *thread_id, int64_t *board_id, int *first)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stmt = store_prepare(st, "SELECT t.id, b.id, p.id = (SELECT min(id)"
	    " FROM posts WHERE thread_id = t.id), " SQL_IS_MOD
	    " FROM threads t JOIN boards b ON b.id = t.board_id"
	    " LEFT JOIN posts p ON p.id = :post AND p.thread_id = t.id"
	    " WHERE (:post > 0 AND t.id = (SELECT thread_id FROM posts"
	    " WHERE id = :post)) OR (:post = 0 AND t.id = :thread)");
	board_bind_reader(stmt, u);
	store_bind_named(stmt, ":post", post_id);
	store_bind_named(stmt, ":thread", *thread_id);
	if ((rc = store_first(st, stmt, "moderation")) == 0) {
		*thread_id = sqlite3_column_int64(stmt, 0);
		*board_id = sqlite3_column_int64(stmt, 1);
		if (first != NULL)
			*first = sqlite3_column_int(stmt, 2);
		if (!sqlite3_column_int(stmt, 3))
			rc = PERR_NOT_MOD;
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Run sql binding ?1 text, ?2 and ?3 integers, ?4 the time; no rows. */
static int
mod_exec(struct store *st, const char *sql, const char *s, int64_t a,
    int64_t b)
{
	return store_write(st, NULL, sql, "tiii", s, a, b, now_unix());
}

/*
 * Tell the author of post_id, just hidden by u with reason r, what was
 * hidden, where and why, by a letter from u (the console: from nobody).
 * Her own hiding needs no letter.  A failure is logged: the post stays
 * hidden either way.
 */
static void
post_hide_letter(struct store *st, const struct user *u, int64_t post_id,
    int first, const char *r)
{
	sqlite3_stmt	*stmt;
	char		*login = NULL, *subject = NULL, *body = NULL, *text;
	char		*board = NULL, *quote = NULL, *thread = NULL, *name;
	int64_t		 author = 0, when = 0;
	int		 rc;

	stmt = store_prepare(st, "SELECT coalesce(p.author_id, 0), u.login,"
	    " t.subject, b.title, p.body, p.created_at,"
	    " coalesce(nullif(u.display_name, ''), u.login) FROM posts p"
	    " JOIN threads t ON t.id = p.thread_id"
	    " JOIN boards b ON b.id = t.board_id"
	    " LEFT JOIN users u ON u.id = p.author_id WHERE p.id = ?");
	if (stmt == NULL)
		return;
	sqlite3_bind_int64(stmt, 1, post_id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		author = sqlite3_column_int64(stmt, 0);
		login = store_column_dup(stmt, 1);
		thread = store_column_dup(stmt, 2);
		board = store_column_dup(stmt, 3);
		text = store_column_dup(stmt, 4);
		when = sqlite3_column_int64(stmt, 5);
		/* Her name, as every "писал(а)" names the author. */
		name = store_column_dup(stmt, 6);
		quote = post_quote(name != NULL ? name : "", when, text, 72);
		free(name);
		free(text);
	}
	sqlite3_finalize(stmt);
	if (author == 0 || (u != NULL && u->id == author))
		goto out;
	subject = xstrdup(first ? _("Your thread is hidden") :
	    _("Your post is hidden"));
	body = xasprintf(first ?
	    _("A coordinator has hidden your thread \"%s\" on the board"
	    " \"%s\".\nReason: %s\n\nOthers no longer see it; you still do."
	    " To talk it over, answer this letter.\n\n%s") :
	    _("A coordinator has hidden your post in the thread \"%s\" on"
	    " the board \"%s\".\nReason: %s\n\nOthers no longer see it; you"
	    " still do.  To talk it over, answer this letter.\n\n%s"),
	    thread, board, *r != '\0' ? r : _("(none given)"), quote);
	if (strlen(body) > POST_BODY_MAX)
		body[text_fit(body, 1000)] = '\0';	/* the quote was long */
	if ((rc = mail_send(st, u != NULL ? u->id : 0, login, subject, body, 0,
	    NULL)) != 0)
		log_warn("post %lld hidden, but the letter to %s failed: %s",
		    (long long)post_id, login, perr_str(rc));
out:
	free(login);
	free(thread);
	free(board);
	free(quote);
	free(subject);
	free(body);
}

int
post_hide(struct store *st, const struct user *u, const char *actor,
    int64_t post_id, const char *reason)
{
	int64_t	 thread_id = 0, board_id;
	char	*r = NULL, *target = NULL;
	int	 rc, first = 0;

	if (reason == NULL)
		reason = "";
	if ((rc = text_field(reason, POST_REASON_MAX, TEXT_EMPTY_OK, &r)) != 0)
		return rc;
	if ((rc = mod_lookup(st, u, post_id, &thread_id, &board_id,
	    &first)) != 0) {
		free(r);
		return rc;
	}
	target = xasprintf("post %lld", (long long)post_id);
	if ((rc = store_begin(st)) != 0)
		goto out;
	if ((rc = mod_exec(st, "UPDATE posts SET hidden_at = ?4,"
	    " hidden_by = nullif(?3, 0), hide_reason = ?1 WHERE id = ?2", r,
	    post_id, u != NULL ? u->id : 0)) != 0)
		goto out;
	if (first && (rc = mod_exec(st, "UPDATE threads SET hidden_at = ?4,"
	    " hide_reason = ?1 WHERE id = ?2 AND ?3 = 0", r, thread_id, 0)) != 0)
		goto out;
out:
	if ((rc = audit_end(st, rc, actor, first ? "hide thread" : "hide post",
	    target, r)) == 0)
		post_hide_letter(st, u, post_id, first, r);
	free(r);
	free(target);
	return rc;
}

int
post_unhide(struct store *st, const struct user *u, const char *actor,
    int64_t post_id)
{
	int64_t	 thread_id = 0, board_id;
	char	*target;
	int	 rc, first = 0;

	if ((rc = mod_lookup(st, u, post_id, &thread_id, &board_id, &first)) != 0)
		return rc;
	target = xasprintf("post %lld", (long long)post_id);
	if ((rc = store_begin(st)) != 0)
		goto out;
	if ((rc = mod_exec(st, "UPDATE posts SET hidden_at = NULL,"
	    " hidden_by = NULL, hide_reason = NULL WHERE id = ?2"
	    " AND hidden_at IS NOT NULL AND ?1 IS NULL AND ?3 = ?3 AND ?4 = ?4",
	    NULL, post_id, 0)) != 0)
		goto out;
	if (sqlite3_changes(store_db(st)) == 0) {
		rc = PERR_NOT_HIDDEN;
		goto out;
	}
	if (first && (rc = mod_exec(st, "UPDATE threads SET hidden_at = NULL,"
	    " hide_reason = NULL WHERE id = ?2 AND ?1 IS NULL AND ?3 = ?3"
	    " AND ?4 = ?4", NULL, thread_id, 0)) != 0)
		goto out;
out:
	rc = audit_end(st, rc, actor, first ? "unhide thread" : "unhide post",
	    target, NULL);
	free(target);
	return rc;
}

int
post_thread_flag(struct store *st, const struct user *u, const char *actor,
    int64_t thread_id, enum post_flag f, int on)
{
	static const char *const sql[] = {
		"UPDATE threads SET pinned = ?2 WHERE id = ?3 AND ?1 IS NULL",
		"UPDATE threads SET locked = ?2 WHERE id = ?3 AND ?1 IS NULL",
		"UPDATE threads SET approved = ?2 WHERE id = ?3 AND ?1 IS NULL",
	};
	static const char *const what[][2] = {
		{ "unpin", "pin" }, { "unlock", "lock" }, { "unapprove", "approve" },
	};
	int64_t	 board_id;
	char	*target;
	int	 rc;

	if ((unsigned)f >= nitems(sql))
		return PERR_NOTFOUND;
	if ((rc = mod_lookup(st, u, 0, &thread_id, &board_id, NULL)) != 0)
		return rc;
	target = xasprintf("thread %lld", (long long)thread_id);
	if ((rc = store_begin(st)) == 0)
		rc = mod_exec(st, sql[f], NULL, on != 0, thread_id);
	rc = audit_end(st, rc, actor, what[f][on != 0], target, NULL);
	free(target);
	return rc;
}

int
post_thread_move(struct store *st, const struct user *u, const char *actor,
    int64_t thread_id, int64_t to_board)
{
	struct board	*b = NULL;
	int64_t		 board_id;
	char		*target;
	int		 rc;

	if ((rc = mod_lookup(st, u, 0, &thread_id, &board_id, NULL)) != 0)
		return rc;
	if ((rc = board_get_for(st, u, NULL, to_board, &b)) != 0)
		return rc;
	if (!b->is_mod) {
		board_free(b);
		return PERR_NOT_MOD;
	}
	target = xasprintf("thread %lld", (long long)thread_id);
	if ((rc = store_begin(st)) == 0)
		rc = mod_exec(st, "UPDATE threads SET board_id = ?2 WHERE id = ?3"
		    " AND ?1 IS NULL", NULL, to_board, thread_id);
	rc = audit_end(st, rc, actor, "move thread", target, b->name);
	free(target);
	board_free(b);
	return rc;
}

int
post_set_subject(struct store *st, const struct user *u, const char *actor,
    int64_t post_id, const char *subject)
{
	int64_t	 thread_id = 0, board_id;
	char	*s = NULL, *t, *target;
	int	 rc, first = 0;

	if ((rc = post_check_subject(subject)) != 0)
		return rc;
	if ((rc = mod_lookup(st, u, post_id, &thread_id, &board_id, &first)) != 0)
		return rc;
	t = xstrdup(subject);
	s = text_nfc(text_trim(t));
	free(t);
	if (s == NULL)
		return PERR_UTF8;
	target = xasprintf("post %lld", (long long)post_id);
	if ((rc = store_begin(st)) == 0)
		rc = mod_exec(st, "UPDATE posts SET subject = ?1, edited_at = ?4"
		    " WHERE id = ?2 AND ?3 = ?3", s, post_id, 0);
	if (rc == 0 && first)
		rc = mod_exec(st, "UPDATE threads SET subject = ?1"
		    " WHERE id = ?2 AND ?3 = ?3 AND ?4 = ?4", s, thread_id, 0);
	rc = audit_end(st, rc, actor, "retitle", target, s);
	free(target);
	free(s);
	return rc;
}

/* ---- the author's own edits --------------------------------------- */

/*
 * Hers, shown, in a shown thread and still within the window: the rows
 * the author may change, with ?1 the post, ?2 her id and ?3 the earliest
 * created_at in the window.  The check runs inside the writing
 * transaction, so a window that closes while she types still holds.
 */
#define POST_OWN							\
	" id = ?1 AND author_id = ?2 AND created_at >= ?3"		\
	" AND hidden_at IS NULL AND (SELECT hidden_at FROM threads"	\
	" WHERE id = posts.thread_id) IS NULL"

int
post_edit(struct store *st, const struct user *u, int64_t post_id,
    const char *body, int window)
{
	char	*s = NULL, *b = NULL;
	int64_t	 now = now_unix();
	int	 rc, n = 0;

	if (u == NULL || window <= 0)
		return PERR_EDIT_LATE;
	if ((rc = post_texts(NULL, body, &s, &b)) != 0)
		return rc;
	if ((rc = store_begin(st)) != 0)
		goto out;
	if ((rc = store_write(st, &n, "UPDATE posts SET body = ?4,"
	    " edited_at = ?5 WHERE" POST_OWN, "iiiti", post_id, u->id,
	    now - (int64_t)window * 60, b, now)) == 0 && n == 0)
		rc = PERR_EDIT_LATE;
out:
	rc = store_end(st, rc);
	free(s);
	free(b);
	return rc;
}

int
post_delete(struct store *st, const struct user *u, int64_t post_id,
    int window, int *kept)
{
	int64_t	 now = now_unix(), since, thread_id = 0, first = 0, others = 0;
	int	 rc, n = 0;

	if (kept != NULL)
		*kept = 0;
	if (u == NULL || window <= 0)
		return PERR_EDIT_LATE;
	since = now - (int64_t)window * 60;
	if ((rc = store_begin(st)) != 0)
		goto out;
	rc = store_int(st, &thread_id, "SELECT thread_id FROM posts WHERE"
	    POST_OWN, "iii", post_id, u->id, since);
	if (rc == PERR_NOTFOUND)
		rc = PERR_EDIT_LATE;
	if (rc != 0 ||
	    (rc = store_int(st, &first, "SELECT min(id) = ?2 FROM posts"
	    " WHERE thread_id = ?1", "ii", thread_id, post_id)) != 0 ||
	    (rc = store_int(st, &others, "SELECT count(*) FROM posts"
	    " WHERE thread_id = ?1 AND id <> ?2", "ii", thread_id,
	    post_id)) != 0)
		goto out;
	if (first && others > 0) {
		/* The replies keep their thread: an empty body, marked
		 * edited, is the placeholder "deleted by its author". */
		rc = store_write(st, &n, "UPDATE posts SET body = '',"
		    " edited_at = ?2 WHERE id = ?1", "ii", post_id, now);
		if (kept != NULL)
			*kept = 1;
	} else if ((rc = store_write(st, NULL, "UPDATE posts SET"
	    " reply_to = NULL WHERE reply_to = ?1", "i", post_id)) == 0 &&
	    (rc = store_write(st, NULL, "DELETE FROM posts WHERE id = ?1",
	    "i", post_id)) == 0 && first)
		rc = store_write(st, NULL, "DELETE FROM threads WHERE id = ?1",
		    "i", thread_id);
out:
	rc = store_end(st, rc);
	return rc;
}
#undef POST_OWN

/* ---- quoting ------------------------------------------------------- */

/* Append line to buf (growing it), prefix first. */
static void
buf_add(char **buf, size_t *len, size_t *cap, const char *prefix,
    const char *s, size_t n)
{
	size_t	 pl = strlen(prefix);

	while (*len + pl + n + 2 > *cap)
		*buf = xrealloc(*buf, *cap = *cap ? *cap * 2 : 256);
	memcpy(*buf + *len, prefix, pl);
	*len += pl;
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
}

char *
post_quote(const char *author, int64_t when, const char *body, int width)
{
	char		*clean = text_sanitize(body, 1), *p, *nl, *buf = NULL;
	char		 date[32], *head;
	size_t		 len = 0, cap = 0, cut, next;

	if (width < 20)
		width = 20;
	text_date(when, TEXT_DATE_MINUTE, date, sizeof(date));
	head = xasprintf(_("%s wrote on %s:"), *author != '\0' ? author : "?",
	    date);
	buf_add(&buf, &len, &cap, "", head, strlen(head));
	free(head);
	for (p = clean; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		if (*p == '>') {	/* an older quote: one level deeper */
			buf_add(&buf, &len, &cap, ">", p, strlen(p));
			continue;
		}
		if (*p == '\0') {
			buf_add(&buf, &len, &cap, ">", "", 0);
			continue;
		}
		while (*p != '\0') {	/* rewrap to width - 2 columns */
			cut = text_wrap(p, width - 2, &next);
			buf_add(&buf, &len, &cap, "> ", p, cut);
			p += next;
		}
	}
	free(clean);
	return buf;
}
