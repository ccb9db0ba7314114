/*
 * report.c: the activity report of parta-sysop "report".  Each figure is
 * one row of a table: a field of struct report and the query that counts
 * it (?1 is the start of the period); the busiest boards and the most
 * active authors are lists.  Hidden posts count as written: the report
 * says what teachers did, and "hidden" says what moderators undid.
 */
#include <stddef.h>
#include <stdlib.h>

#include "perr.h"
#include "report.h"
#include "store.h"
#include "util.h"

#define OFF(f)	offsetof(struct report, f)

static const struct {
	size_t		 off;	/* of an int64_t in struct report */
	const char	*sql;
} counts[] = {
	{ OFF(accounts), "SELECT count(*) FROM users"
	    " WHERE role <> 'pending' AND banned_at IS NULL" },
	{ OFF(visitors), "SELECT count(*) FROM users"
	    " WHERE role <> 'pending' AND banned_at IS NULL AND last_login >= ?1" },
	{ OFF(new_accounts), "SELECT count(*) FROM users WHERE created_at >= ?1" },
	{ OFF(pending), "SELECT count(*) FROM users WHERE role = 'pending'"
	    " AND rejected_at IS NULL AND banned_at IS NULL" },
	{ OFF(posts), "SELECT count(*) FROM posts WHERE created_at >= ?1" },
	{ OFF(threads), "SELECT count(*) FROM threads WHERE created_at >= ?1" },
	{ OFF(hidden), "SELECT count(*) FROM posts WHERE hidden_at >= ?1" },
	{ OFF(letters), "SELECT count(*) FROM mail WHERE created_at >= ?1" },
	{ OFF(news), "SELECT count(*) FROM news WHERE created_at >= ?1" },
	{ OFF(lib_items), "SELECT count(*) FROM library_items"
	    " WHERE created_at >= ?1" },
	{ OFF(lib_pending), "SELECT count(*) FROM library_items"
	    " WHERE approved_at IS NULL" },
};
#undef OFF

static int
count(struct store *st, const char *sql, int64_t since, int64_t *out)
{
	sqlite3_stmt	*stmt;
	int		 rc = 0;

	if ((stmt = store_prepare(st, sql)) == NULL)
		return PERR_DB;
	if (sqlite3_bind_parameter_count(stmt) > 0)
		sqlite3_bind_int64(stmt, 1, since);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*out = sqlite3_column_int64(stmt, 0);
	else
		rc = store_fail(st, "report");
	sqlite3_finalize(stmt);
	return rc;
}

static int
boards(struct store *st, struct report *r)
{
	sqlite3_stmt		*stmt;
	struct report_board	*b;
	int			 step;

	stmt = store_prepare(st, "SELECT b.name, b.title, count(*),"
	    " count(DISTINCT p.thread_id)"
	    " FROM posts p JOIN threads t ON t.id = p.thread_id"
	    " JOIN boards b ON b.id = t.board_id"
	    " WHERE p.created_at >= ?1"
	    " GROUP BY b.id ORDER BY 3 DESC, b.position, b.name");
	if (stmt == NULL)
		return PERR_DB;
	sqlite3_bind_int64(stmt, 1, r->since);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		r->boards = xrealloc(r->boards, (r->nboards + 1) *
		    sizeof(*r->boards));
		b = &r->boards[r->nboards++];
		b->name = store_column_dup(stmt, 0);
		b->title = store_column_dup(stmt, 1);
		b->posts = sqlite3_column_int64(stmt, 2);
		b->threads = sqlite3_column_int64(stmt, 3);
	}
	sqlite3_finalize(stmt);
	return step == SQLITE_DONE ? 0 : store_fail(st, "report boards");
}

static int
authors(struct store *st, struct report *r)
{
	sqlite3_stmt		*stmt;
	struct report_author	*a;
	int			 step;

	stmt = store_prepare(st, "SELECT u.login, u.display_name, count(*)"
	    " FROM posts p JOIN users u ON u.id = p.author_id"
	    " WHERE p.created_at >= ?1"
	    " GROUP BY u.id ORDER BY 3 DESC, u.display_name COLLATE RU"
	    " LIMIT ?2");
	if (stmt == NULL)
		return PERR_DB;
	sqlite3_bind_int64(stmt, 1, r->since);
	sqlite3_bind_int(stmt, 2, REPORT_TOP);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		r->authors = xrealloc(r->authors, (r->nauthors + 1) *
		    sizeof(*r->authors));
		a = &r->authors[r->nauthors++];
		a->login = store_column_dup(stmt, 0);
		a->name = store_column_dup(stmt, 1);
		a->posts = sqlite3_column_int64(stmt, 2);
	}
	sqlite3_finalize(stmt);
	return step == SQLITE_DONE ? 0 : store_fail(st, "report authors");
}

int
report_make(struct store *st, int64_t since, struct report **out)
{
	struct report	*r = xcalloc(1, sizeof(*r));
	size_t		 i;
	int		 rc = 0;

	*out = NULL;
	r->since = since;
	/* One read transaction: the figures agree with each other. */
	if ((rc = store_begin_read(st)) != 0)
		goto out;
	for (i = 0; i < nitems(counts) && rc == 0; i++)
		rc = count(st, counts[i].sql, since,
		    (int64_t *)(void *)((char *)r + counts[i].off));
	if (rc == 0)
		rc = boards(st, r);
	if (rc == 0)
		rc = authors(st, r);
	store_rollback(st);
out:
	if (rc != 0) {
		report_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void
report_free(struct report *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nboards; i++) {
		free(r->boards[i].name);
		free(r->boards[i].title);
	}
	for (i = 0; i < r->nauthors; i++) {
		free(r->authors[i].login);
		free(r->authors[i].name);
	}
	free(r->boards);
	free(r->authors);
	free(r);
}
