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

STORE_ROWTYPE(news_rows, struct news_item,
	STORE_COL(I64, struct news_item, id),
	STORE_COL(TEXT, struct news_item, title),
	STORE_COL(TEXT, struct news_item, body),
	STORE_COL(TEXT, struct news_item, author),
	STORE_COL(TEXT, struct news_item, author_name),
	STORE_COL(I64, struct news_item, created_at));

int
news_may_publish(struct store *st, int64_t user_id, int role)
{
	int64_t	 may;

	if (role >= ROLE_COORDINATOR)
		return 1;
	if (store_int(st, &may, "SELECT EXISTS (SELECT 1 FROM"
	    " board_coordinators WHERE user_id = ?)", "i", user_id) != 0)
		return 0;
	return may != 0;
}

int
news_add(struct store *st, int64_t author_id, const char *title,
    const char *body, const char *actor, int64_t *id)
{
	char	*t = NULL, *b = NULL;
	int	 rc;

	/* Refused before the transaction: no level of ours (store.h). */
	if ((rc = post_texts(title, body, &t, &b)) != 0)
		return rc;
	if ((rc = store_begin(st)) != 0)
		goto out;
	rc = store_insert(st, "news", id, "INSERT INTO news(uuid, id,"
	    " author_id, title, body, created_at) VALUES (?1, ?2,"
	    " nullif(?3, 0), ?4, ?5, ?6)", "itti", author_id, t, b,
	    now_unix());
out:
	rc = audit_end(st, rc, actor, "news", "", t);
	free(t);
	free(b);
	return rc;
}

int
news_list(struct store *st, int64_t user_id, struct news_item **out,
    size_t *n)
{
	sqlite3_stmt	*stmt;

	if (user_id != 0)
		stmt = store_stmt(st, "SELECT * FROM (SELECT n.id, n.title,"
		    " n.body, coalesce(u.login, ''),"
		    " coalesce(u.display_name, ''), n.created_at FROM news n"
		    " LEFT JOIN users u ON u.id = n.author_id WHERE n.id >"
		    " coalesce((SELECT last_news_id FROM news_reads WHERE"
		    " user_id = ?1), 0) ORDER BY n.id DESC LIMIT ?2)"
		    " ORDER BY 1", "ii", user_id, (int64_t)NEWS_SHOWN_MAX);
	else
		stmt = store_stmt(st, "SELECT n.id, n.title, n.body,"
		    " coalesce(u.login, ''),"
		    " coalesce(u.display_name, ''), n.created_at FROM news n"
		    " LEFT JOIN users u ON u.id = n.author_id"
		    " WHERE ?1 = 0 AND ?2 > 0 ORDER BY n.id DESC", "ii", user_id,
		    (int64_t)NEWS_SHOWN_MAX);
	return store_rows(st, stmt, &news_rows, out, n, "news list");
}

void
news_list_free(struct news_item *v, size_t n)
{
	store_rows_free(&news_rows, v, n);
}

int
news_seen(struct store *st, int64_t user_id, int64_t last_id)
{
	return store_write(st, NULL, "INSERT INTO news_reads(user_id,"
	    " last_news_id) VALUES (?1, ?2) ON CONFLICT(user_id) DO UPDATE"
	    " SET last_news_id = max(last_news_id, excluded.last_news_id)",
	    "ii", user_id, last_id);
}

int
news_remove(struct store *st, int64_t id, const char *actor)
{
	char	*target;
	int	 rc, n;

	if ((rc = store_begin(st)) != 0)
		return rc;
	rc = store_write(st, &n, "DELETE FROM news WHERE id = ?", "i", id);
	if (rc == 0 && n == 0)
		rc = PERR_NOTFOUND;
	target = xasprintf("news %lld", (long long)id);
	rc = audit_end(st, rc, actor, "news remove", target, NULL);
	free(target);
	return rc;
}
