/*
 * share.c: the store's side of boards shared through INN (share.h).
 *
 * What left and what came is kept in `articles` (one row per post with
 * a Message-ID: ours once sent, theirs as received), so the gateway's
 * queries are plain: a post of ours on a shared board without a row is
 * still to send; a row of ours whose post is hidden and whose cancel is
 * not sent is a cancel to send.  A run that stops half way leaves the
 * rest for the next: INN refuses a Message-ID it has seen, and a
 * request's UUID is applied once here, so nothing goes or comes twice.
 *
 * A post from another district names its author as text
 * (posts.foreign_login "login@district", foreign_name) and has no
 * author_id: she cannot log in here, write as a local user, or be sent
 * a letter.
 */
#include <stdlib.h>
#include <string.h>

#include "perr.h"
#include "post.h"
#include "share.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"

int
share_check_group(const char *s)
{
	size_t		 n = strlen(s), i, parts = 1;
	const char	*p;

	if (n == 0 || n > SHARE_GROUP_MAX || s[0] == '.' || s[n - 1] == '.' ||
	    strstr(s, "..") != NULL || strncmp(s, "control", 7) == 0 ||
	    strncmp(s, "junk", 4) == 0 || strncmp(s, "to.", 3) == 0)
		return PERR_BOARD_NAME;
	for (i = 0, p = s; i < n; i++, p++) {
		if (*p == '.')
			parts++;
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '+' || *p == '-' || *p == '_'))
			return PERR_BOARD_NAME;
	}
	return parts >= 2 ? 0 : PERR_BOARD_NAME;
}

int
share_set(struct store *st, int64_t board_id, const char *newsgroup,
    const char *actor)
{
	char	*target;
	int64_t	 id;
	int	 rc, n = 0;

	if (newsgroup != NULL && *newsgroup != '\0' &&
	    (rc = share_check_group(newsgroup)) != 0)
		return rc;
	if ((rc = store_begin(st)) != 0)
		return rc;
	target = xasprintf("board %lld", (long long)board_id);
	if ((rc = store_int(st, &id, "SELECT id FROM boards WHERE id = ?",
	    "i", board_id)) != 0)
		goto out;
	if (newsgroup == NULL || *newsgroup == '\0')
		rc = store_write(st, &n, "DELETE FROM board_shares"
		    " WHERE board_id = ?", "i", board_id);
	else
		rc = store_write(st, NULL, "INSERT INTO board_shares(board_id,"
		    " newsgroup, from_post, shared_at) VALUES (?1, ?2,"
		    " (SELECT coalesce(max(id), 0) FROM posts), ?3)"
		    " ON CONFLICT (board_id) DO UPDATE SET"
		    " newsgroup = excluded.newsgroup", "iti", board_id,
		    newsgroup, now_unix());
out:
	rc = audit_end(st, rc, actor, newsgroup != NULL && *newsgroup != '\0' ?
	    "share board" : "unshare board", target,
	    newsgroup != NULL ? newsgroup : "");
	free(target);
	return rc;
}

STORE_ROWTYPE(share_rows, struct share,
	STORE_COL(I64, struct share, board_id),
	STORE_COL(UUID, struct share, board_uuid),
	STORE_COL(TEXT, struct share, board),
	STORE_COL(TEXT, struct share, newsgroup));

int
share_list(struct store *st, struct share **v, size_t *n)
{
	return store_rows(st, store_stmt(st, "SELECT b.id, b.uuid, b.name,"
	    " s.newsgroup FROM board_shares s JOIN boards b"
	    " ON b.id = s.board_id ORDER BY s.newsgroup", ""), &share_rows,
	    v, n, "share list");
}

void
share_list_free(struct share *v, size_t n)
{
	store_rows_free(&share_rows, v, n);
}

int
share_board_of(struct store *st, const char *newsgroup, char uuid[37])
{
	struct share	 s;
	int		 rc;

	uuid[0] = '\0';
	rc = store_row(st, store_stmt(st, "SELECT b.id, b.uuid, b.name,"
	    " s.newsgroup FROM board_shares s JOIN boards b"
	    " ON b.id = s.board_id WHERE s.newsgroup = ?", "t", newsgroup),
	    &share_rows, &s, "share board");
	if (rc == 0)
		strlcpy_p(uuid, s.board_uuid, 37);
	store_row_clear(&share_rows, &s);
	return rc;
}

STORE_ROWTYPE(share_post_rows, struct share_post,
	STORE_COL(I64, struct share_post, id),
	STORE_COL(UUID, struct share_post, uuid),
	STORE_COL(TEXT, struct share_post, newsgroup),
	STORE_COL(TEXT, struct share_post, login),
	STORE_COL(TEXT, struct share_post, name),
	STORE_COL(TEXT, struct share_post, subject),
	STORE_COL(TEXT, struct share_post, body),
	STORE_COL(I64, struct share_post, created_at),
	STORE_COL(TEXT, struct share_post, thread_ref),
	STORE_COL(TEXT, struct share_post, parent_ref),
	STORE_COL(TEXT, struct share_post, message_id));

/* The Message-ID of post q (a column expression): its article's, or
 * ours, <UUID@:ident>. */
#define SHARE_MSGID(q)							\
	"coalesce((SELECT message_id FROM articles WHERE post_id = " q	\
	".id), '<' || " q ".uuid || '@' || :ident || '>')"

int
share_outgoing(struct store *st, const char *ident, size_t limit,
    struct share_post **v, size_t *n)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "SELECT p.id, p.uuid, s.newsgroup, u.login,"
	    " u.display_name, CASE WHEN f.id = p.id THEN t.subject"
	    " WHEN p.subject <> '' THEN p.subject"
	    " ELSE 'Re: ' || t.subject END, p.body, p.created_at,"
	    " CASE WHEN f.id = p.id THEN '' ELSE " SHARE_MSGID("f") " END,"
	    " CASE WHEN f.id = p.id OR r.id IS NULL OR r.id = f.id THEN ''"
	    "  ELSE " SHARE_MSGID("r") " END"
	    " FROM posts p JOIN threads t ON t.id = p.thread_id"
	    " JOIN board_shares s ON s.board_id = t.board_id"
	    " JOIN users u ON u.id = p.author_id"
	    " JOIN posts f ON f.id = (SELECT min(id) FROM posts"
	    "  WHERE thread_id = t.id)"
	    " LEFT JOIN posts r ON r.id = p.reply_to"
	    " WHERE p.id > s.from_post AND p.foreign_login IS NULL"
	    " AND p.hidden_at IS NULL AND t.hidden_at IS NULL AND t.approved"
	    " AND p.body <> ''"
	    " AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.post_id = p.id)"
	    " ORDER BY p.id LIMIT :limit");
	store_bind_named_text(stmt, ":ident", ident);
	store_bind_named(stmt, ":limit", (int64_t)limit);
	return store_rows(st, stmt, &share_post_rows, v, n, "share outgoing");
}

int
share_sent(struct store *st, int64_t post_id, const char *message_id)
{
	return store_write(st, NULL, "INSERT OR IGNORE INTO articles(post_id,"
	    " message_id, origin, at) VALUES (?, ?, '', ?)", "iti", post_id,
	    message_id, now_unix());
}

int
share_cancels(struct store *st, size_t limit, struct share_post **v,
    size_t *n)
{
	return store_rows(st, store_stmt(st, "SELECT p.id, p.uuid, s.newsgroup,"
	    " u.login, u.display_name, '', '', p.created_at, '', '',"
	    " a.message_id FROM articles a JOIN posts p ON p.id = a.post_id"
	    " JOIN threads t ON t.id = p.thread_id"
	    " JOIN board_shares s ON s.board_id = t.board_id"
	    " LEFT JOIN users u ON u.id = p.author_id"
	    " WHERE a.origin = '' AND a.cancelled_at IS NULL"
	    " AND p.hidden_at IS NOT NULL ORDER BY p.id LIMIT ?", "i",
	    (int64_t)limit), &share_post_rows, v, n, "share cancels");
}

int
share_cancel_sent(struct store *st, int64_t post_id)
{
	return store_write(st, NULL, "UPDATE articles SET cancelled_at = ?"
	    " WHERE post_id = ?", "ii", now_unix(), post_id);
}

void
share_posts_free(struct share_post *v, size_t n)
{
	store_rows_free(&share_post_rows, v, n);
}

int
share_cursor(struct store *st, const char *newsgroup, int64_t *last)
{
	int	 rc;

	rc = store_int(st, last, "SELECT last FROM news_cursors"
	    " WHERE newsgroup = ?", "t", newsgroup);
	if (rc == PERR_NOTFOUND) {
		*last = 0;
		rc = 0;
	}
	return rc;
}

int
share_cursor_set(struct store *st, const char *newsgroup, int64_t last)
{
	return store_write(st, NULL, "INSERT INTO news_cursors(newsgroup, last)"
	    " VALUES (?1, ?2) ON CONFLICT (newsgroup) DO UPDATE SET"
	    " last = max(last, excluded.last)", "ti", newsgroup, last);
}

int
share_cursor_reset(struct store *st, const char *newsgroup, int64_t last)
{
	return store_write(st, NULL, "INSERT OR REPLACE INTO news_cursors"
	    "(newsgroup, last) VALUES (?, ?)", "ti", newsgroup, last);
}

int
share_thread_of(struct store *st, int64_t board_id, const char *const *refs,
    size_t nrefs, char thread[37], char post[37])
{
	sqlite3_stmt	*stmt;
	size_t		 i;
	int		 rc;

	thread[0] = post[0] = '\0';
	for (i = nrefs; i-- > 0;) {
		/* Ours are <our post's UUID@us>, theirs are kept as they
		 * came: the Message-ID's row, or the UUID in it. */
		stmt = store_stmt(st, "SELECT t.uuid, p.uuid FROM posts p"
		    " JOIN threads t ON t.id = p.thread_id WHERE t.board_id = ?1"
		    " AND (p.id = (SELECT post_id FROM articles"
		    "  WHERE message_id = ?2) OR p.uuid = substr(?2, 2, 36))"
		    " LIMIT 1", "it", board_id, refs[i]);
		if ((rc = store_first(st, stmt, "share thread")) == 0) {
			strlcpy_p(thread, (const char *)sqlite3_column_text(stmt,
			    0), 37);
			strlcpy_p(post, (const char *)sqlite3_column_text(stmt,
			    1), 37);
		}
		sqlite3_finalize(stmt);
		if (rc == 0)
			return 0;
		if (rc != PERR_NOTFOUND)
			return rc;
	}
	return 0;
}

int
share_cancel_early(struct store *st, const char *uuid, const char *origin)
{
	return store_write(st, NULL, "INSERT OR IGNORE INTO news_cancels(uuid,"
	    " origin, at) VALUES (?, ?, ?)", "tti", uuid, origin, now_unix());
}

/* Post post_id, just stored from f, hidden if its district's cancel came
 * first; a cancel from another district is no cancel of it. */
static int
share_cancelled_first(struct store *st, int64_t post_id,
    const struct share_foreign *f)
{
	char	*actor;
	int	 rc, n = 0;

	if ((rc = store_write(st, &n, "DELETE FROM news_cancels WHERE uuid = ?"
	    " AND origin = ?", "tt", f->uuid, f->origin)) != 0 || n == 0)
		return rc;
	actor = xasprintf("news:%s", f->origin);
	rc = post_hide(st, NULL, actor, post_id, "cancelled by its home server");
	free(actor);
	return rc;
}

int
share_post_foreign(struct store *st, int64_t board_id, int64_t thread_id,
    int64_t reply_to, const struct share_foreign *f, int64_t *post_id)
{
	char	 tuuid[37], *s = NULL, *b = NULL, *who = NULL, *name = NULL;
	int64_t	 shared, now = now_unix(), when = f->when;
	int	 rc;

	*post_id = 0;
	if ((rc = post_texts(f->subject, f->body, &s, &b)) != 0)
		return rc;
	if ((rc = text_field(f->name, 100, TEXT_EMPTY_OK | TEXT_NAME,
	    &name)) != 0)
		goto done;
	who = xasprintf("%s@%s", f->login, f->origin);
	if (when <= 0 || when > now)
		when = now;	/* a clock ahead does not sort first */
	if ((rc = store_begin(st)) != 0)
		goto done;
	if ((rc = store_int(st, &shared, "SELECT board_id FROM board_shares"
	    " WHERE board_id = ?", "i", board_id)) != 0)
		goto out;
	if (thread_id == 0) {
		uuid_v4(tuuid);
		rc = store_write(st, NULL, "INSERT INTO threads(uuid, board_id,"
		    " subject, created_at, last_post_at, foreign_login)"
		    " VALUES (?1, ?2, ?3, ?4, ?4, ?5)", "titit", tuuid,
		    board_id, s, when, who);
		if (rc != 0)
			goto out;
		thread_id = sqlite3_last_insert_rowid(store_db(st));
	} else if ((rc = store_write(st, NULL, "UPDATE threads SET"
	    " last_post_at = max(last_post_at, ?1) WHERE id = ?2", "ii", when,
	    thread_id)) != 0)
		goto out;
	rc = store_write(st, NULL, "INSERT INTO posts(uuid, thread_id, reply_to,"
	    " subject, body, created_at, foreign_login, foreign_name)"
	    " VALUES (?1, ?2, CASE WHEN ?3 > 0 THEN ?3 END, ?4, ?5, ?6, ?7, ?8)",
	    "tiittitt", f->uuid, thread_id, reply_to, s, b, when, who, name);
	if (rc != 0)
		goto out;
	*post_id = sqlite3_last_insert_rowid(store_db(st));
	rc = store_write(st, NULL, "INSERT INTO articles(post_id, message_id,"
	    " origin, at) VALUES (?, ?, ?, ?)", "itti", *post_id,
	    f->message_id, f->origin, now);
	if (rc == 0)
		rc = share_cancelled_first(st, *post_id, f);
out:
	rc = store_end(st, rc);
	if (rc != 0)
		*post_id = 0;
done:
	free(s);
	free(b);
	free(who);
	free(name);
	return rc;
}

int
share_cancel_foreign(struct store *st, int64_t post_id, const char *origin)
{
	sqlite3_stmt	*stmt;
	char		*from = NULL, *actor;
	int		 rc, hidden = 0;

	stmt = store_stmt(st, "SELECT a.origin, p.hidden_at IS NOT NULL"
	    " FROM posts p LEFT JOIN articles a ON a.post_id = p.id"
	    " WHERE p.id = ?", "i", post_id);
	if ((rc = store_first(st, stmt, "share cancel")) == 0) {
		from = store_column_dup(stmt, 0);
		hidden = sqlite3_column_int(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != 0)
		return rc;
	/* Ours ('') or no article at all (''), or another district's. */
	if (*from == '\0' || strcmp(from, origin) != 0) {
		free(from);
		return PERR_REQ_DENIED;
	}
	free(from);
	if (hidden)
		return 0;
	actor = xasprintf("news:%s", origin);
	rc = post_hide(st, NULL, actor, post_id, "cancelled by its home server");
	free(actor);
	return rc;
}
