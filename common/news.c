/*
 * news.c: announcements in the store and who has seen them.
 */
#include <stdlib.h>
#include <string.h>

#include "news.h"
#include "perr.h"
#include "post.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"

int
news_may_publish(struct store *st, int64_t user_id, int role)
{
	sqlite3_stmt	*stmt;
	int		 may = role >= ROLE_COORDINATOR;

	if (may)
		return 1;
	stmt = store_prepare(st, "SELECT EXISTS (SELECT 1 FROM"
	    " board_coordinators WHERE user_id = ?)");
	if (stmt == NULL)
		return 0;
	sqlite3_bind_int64(stmt, 1, user_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		may = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return may;
}

int
news_add(struct store *st, int64_t author_id, const char *title,
    const char *body, const char *actor, int64_t *id)
{
	sqlite3_stmt	*stmt = NULL;
	char		 uuid[37], *t = NULL, *b = NULL, *tt;
	int		 rc;

	if ((rc = post_check_subject(title)) != 0 ||
	    (rc = post_check_body(body)) != 0)
		return rc;
	tt = xstrdup(title);
	t = text_nfc(text_trim(tt));
	free(tt);
	b = text_nfc(body);
	if (t == NULL || b == NULL) {
		/* No transaction of ours to roll back (store.h). */
		free(t);
		free(b);
		return PERR_UTF8;
	}
	if ((rc = store_begin(st)) != 0)
		goto out;
	stmt = store_prepare(st, "INSERT INTO news(uuid, author_id, title, body,"
	    " created_at) VALUES (?, nullif(?, 0), ?, ?, ?)");
	if (stmt == NULL) {
		rc = PERR_DB;
		goto out;
	}
	uuid_v4(uuid);
	store_bind_text(stmt, 1, uuid);
	sqlite3_bind_int64(stmt, 2, author_id);
	store_bind_text(stmt, 3, t);
	store_bind_text(stmt, 4, b);
	sqlite3_bind_int64(stmt, 5, now_unix());
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = store_fail(st, "news add");
		goto out;
	}
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(store_db(st));
	if ((rc = audit_log(st, actor, "news", "", t)) == 0)
		rc = store_commit(st);
out:
	if (rc != 0)
		store_rollback(st);
	sqlite3_finalize(stmt);
	free(t);
	free(b);
	return rc;
}

static const struct store_col news_cols[] = {
	STORE_COL(I64, struct news_item, id),
	STORE_COL(TEXT, struct news_item, title),
	STORE_COL(TEXT, struct news_item, body),
	STORE_COL(TEXT, struct news_item, author),
	STORE_COL(I64, struct news_item, created_at),
};

static const struct store_rowtype news_rows = {
	.size = sizeof(struct news_item), .cols = news_cols,
	.ncols = nitems(news_cols),
};

int
news_list(struct store *st, int64_t user_id, struct news_item **out,
    size_t *n)
{
	sqlite3_stmt	*stmt;
	void		*v;
	int		 rc;

	if (user_id != 0)
		stmt = store_prepare(st, "SELECT * FROM (SELECT n.id, n.title,"
		    " n.body, coalesce(u.login, ''), n.created_at FROM news n"
		    " LEFT JOIN users u ON u.id = n.author_id WHERE n.id >"
		    " coalesce((SELECT last_news_id FROM news_reads WHERE"
		    " user_id = ?1), 0) ORDER BY n.id DESC LIMIT ?2)"
		    " ORDER BY 1");
	else
		stmt = store_prepare(st, "SELECT n.id, n.title, n.body,"
		    " coalesce(u.login, ''), n.created_at FROM news n"
		    " LEFT JOIN users u ON u.id = n.author_id"
		    " WHERE ?1 = 0 AND ?2 > 0 ORDER BY n.id DESC");
	if (stmt != NULL) {
		sqlite3_bind_int64(stmt, 1, user_id);
		sqlite3_bind_int(stmt, 2, NEWS_SHOWN_MAX);
	}
	rc = store_rows(st, stmt, &news_rows, &v, n, "news list");
	*out = v;
	return rc;
}

void
news_list_free(struct news_item *v, size_t n)
{
	store_rows_free(&news_rows, v, n);
}

int
news_seen(struct store *st, int64_t user_id, int64_t last_id)
{
	sqlite3_stmt	*stmt;
	int		 rc = 0;

	stmt = store_prepare(st, "INSERT INTO news_reads(user_id, last_news_id)"
	    " VALUES (?1, ?2) ON CONFLICT(user_id) DO UPDATE SET last_news_id ="
	    " max(last_news_id, excluded.last_news_id)");
	if (stmt == NULL)
		return PERR_DB;
	sqlite3_bind_int64(stmt, 1, user_id);
	sqlite3_bind_int64(stmt, 2, last_id);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = store_fail(st, "news seen");
	sqlite3_finalize(stmt);
	return rc;
}

int
news_remove(struct store *st, int64_t id, const char *actor)
{
	sqlite3_stmt	*stmt;
	char		*target;
	int		 rc;

	if ((rc = store_begin(st)) != 0)
		return rc;
	if ((stmt = store_prepare(st, "DELETE FROM news WHERE id = ?")) == NULL) {
		store_rollback(st);
		return PERR_DB;
	}
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = store_fail(st, "news remove");
	else if (sqlite3_changes(store_db(st)) == 0)
		rc = PERR_NOTFOUND;
	sqlite3_finalize(stmt);
	target = xasprintf("news %lld", (long long)id);
	if (rc == 0 && (rc = audit_log(st, actor, "news remove", target,
	    NULL)) == 0)
		rc = store_commit(st);
	if (rc != 0)
		store_rollback(st);
	free(target);
	return rc;
}
