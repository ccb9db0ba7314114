/*
 * changes.c: the change log as one user may see it (changes.h).
 *
 * The triggers of store-schema.c (v_changes) give each change row its
 * scope as the row stands after the change; this file turns scope into
 * "may u see it" with the same rules the screens use (board-sql.h for
 * boards, library_may_moderate() for the library), judged now.
 *
 * The query is two arms merged in seq order, both read through the index
 * changes_user(user_id, seq): the user's own rows (user_id = u) and the
 * rows that are no one user's (user_id IS NULL).  Other users' mail,
 * read pointers and drafts, which are most of the log on a busy server,
 * are never read; LIMIT stops both arms after max rows.  A row the user
 * may not see is dropped, unless its change narrowed who sees it: then
 * it is a delete for her.
 */
#include <stdlib.h>
#include <string.h>

#include "board-sql.h"
#include "board.h"
#include "changes.h"
#include "perr.h"
#include "store.h"
#include "util.h"

/* The reader may read board b; b is NULL when the row has no board, or
 * its board is gone. */
#define CHG_CAN_READ	"(b.id IS NOT NULL AND " SQL_CAN_READ ")"

/* The reader, :uid with the rank :role, may see change c as it now is
 * (store-schema.c explains the scopes).  The library's moderators are
 * library_may_moderate()'s roles: expert and up. */
#define CHG_VISIBLE							\
	"(CASE c.scope WHEN 'all' THEN 1"				\
	" WHEN 'board' THEN " CHG_CAN_READ				\
	" WHEN 'board-mods' THEN " CHG_CAN_READ " AND (" SQL_IS_MOD	\
	"  OR c.author_id = :uid)"					\
	" WHEN 'library-mods' THEN :role >= 2 OR c.author_id = :uid"	\
	" WHEN 'sysop' THEN :role >= 4 OR c.author_id = :uid"		\
	" ELSE 0 END)"

/* A change that narrowed who sees its row is a delete to the reader who
 * may not see it, if she could have: a board's rows only to those who
 * may read the board. */
#define CHG_REMOVES							\
	"(c.narrows = 1 AND (c.board_id IS NULL OR c.entity = 'board'"	\
	" OR " CHG_CAN_READ "))"

#define CHG_SQL								\
	"SELECT c.seq, c.entity, c.uuid, CASE WHEN c.scope = 'user'"	\
	" THEN c.op ELSE 'delete' END, coalesce(c.board_id, 0),"	\
	" c.user_id FROM changes c WHERE c.user_id = :uid"		\
	" AND c.seq > :since AND (c.scope = 'user' OR c.narrows = 1)"	\
	" UNION ALL "							\
	"SELECT c.seq, c.entity, c.uuid, CASE WHEN " CHG_VISIBLE	\
	" THEN c.op ELSE 'delete' END, coalesce(c.board_id, 0), 0"	\
	" FROM changes c LEFT JOIN boards b ON b.id = c.board_id"	\
	" WHERE c.user_id IS NULL AND c.seq > :since AND (" CHG_VISIBLE	\
	" OR " CHG_REMOVES ")"						\
	" ORDER BY 1 LIMIT :max"

static enum change_op
changes_op(const unsigned char *s)
{
	if (s != NULL && strcmp((const char *)s, "insert") == 0)
		return CHANGE_INSERT;
	if (s != NULL && strcmp((const char *)s, "update") == 0)
		return CHANGE_UPDATE;
	return CHANGE_DELETE;
}

/* The statement of changes_since(), bound; NULL (logged) on failure. */
static sqlite3_stmt *
changes_stmt(struct store *st, const char *prefix, const struct user *u,
    int64_t since, size_t max)
{
	sqlite3_stmt	*stmt;
	char		*sql;

	sql = xasprintf("%s%s", prefix, CHG_SQL);
	stmt = store_prepare(st, sql);
	free(sql);
	if (stmt == NULL)
		return NULL;
	board_bind_reader(stmt, u);
	store_bind_named(stmt, ":since", since);
	store_bind_named(stmt, ":max", max > INT64_MAX ? INT64_MAX :
	    (int64_t)max);
	return stmt;
}

int
changes_since(struct store *st, const struct user *u, int64_t since,
    size_t max, struct change **out, size_t *n)
{
	sqlite3_stmt	*stmt;
	struct change	*v = NULL, *c;
	size_t		 cap = 0;
	int		 step;

	*out = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	if ((stmt = changes_stmt(st, "", u, since, max)) == NULL)
		return PERR_DB;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		c = &v[(*n)++];
		memset(c, 0, sizeof(*c));
		c->seq = sqlite3_column_int64(stmt, 0);
		strlcpy_p(c->entity, (const char *)sqlite3_column_text(stmt, 1),
		    sizeof(c->entity));
		strlcpy_p(c->uuid, (const char *)sqlite3_column_text(stmt, 2),
		    sizeof(c->uuid));
		c->op = changes_op(sqlite3_column_text(stmt, 3));
		c->board_id = sqlite3_column_int64(stmt, 4);
		c->user_id = sqlite3_column_int64(stmt, 5);
	}
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE) {
		free(v);
		*n = 0;
		return store_fail(st, "changes since");
	}
	*out = v;
	return 0;
}

void
changes_free(struct change *v)
{
	free(v);
}

int
changes_floor(struct store *st, int64_t *floor)
{
	/* Rows go only from the old end (the migration that gave them
	 * scope dropped all then kept), so the log is whole above the
	 * oldest row kept; with none kept, above the last seq issued. */
	return store_int(st, floor, "SELECT coalesce((SELECT min(seq) - 1"
	    " FROM changes), (SELECT seq FROM sqlite_sequence"
	    " WHERE name = 'changes'), 0)", "");
}

int
changes_head(struct store *st, int64_t *head)
{
	return store_int(st, head, "SELECT max(coalesce((SELECT max(seq)"
	    " FROM changes), 0), coalesce((SELECT seq FROM sqlite_sequence"
	    " WHERE name = 'changes'), 0))", "");
}

int
changes_plan(struct store *st, char **plan)
{
	sqlite3_stmt	*stmt;
	char		*s = xstrdup(""), *t;
	int		 step;

	*plan = NULL;
	stmt = changes_stmt(st, "EXPLAIN QUERY PLAN ", NULL, 0, 1);
	if (stmt == NULL) {
		free(s);
		return PERR_DB;
	}
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		t = xasprintf("%s%s\n", s, (const char *)
		    sqlite3_column_text(stmt, 3));
		free(s);
		s = t;
	}
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE) {
		free(s);
		return store_fail(st, "changes plan");
	}
	*plan = s;
	return 0;
}
