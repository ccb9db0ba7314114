/*
 * report.c: the activity report of parta-sysop "report".  Each figure is
 * one row of a table: a field of struct report and the query that counts
 * it (?1 is the start of the period); the busiest boards and the most
 * active authors are lists.  Hidden posts count as written: the report
 * says what teachers did, and "hidden" says what moderators undid.
 *
 * The growth report (report_series_make) is a second table, figures[]:
 * each query counts one figure of struct report_figures over [?1, ?2),
 * for the board named ?3 (NULL: all), for members whose school contains
 * ?4 folded (NULL: all) and whose school is exactly ?5 (NULL: any).  The
 * same queries count a period, the whole span, a board and a school, so
 * the rows cannot disagree about what they count.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "perr.h"
#include "report.h"
#include "store.h"
#include "text.h"
#include "util.h"

STORE_ROWTYPE(report_board_rows, struct report_board,
	STORE_COL(TEXT, struct report_board, name),
	STORE_COL(TEXT, struct report_board, title),
	STORE_COL(I64, struct report_board, posts),
	STORE_COL(I64, struct report_board, threads));

STORE_ROWTYPE(report_author_rows, struct report_author,
	STORE_COL(TEXT, struct report_author, login),
	STORE_COL(TEXT, struct report_author, name),
	STORE_COL(I64, struct report_author, posts));

#define OFF(f)	offsetof(struct report, f)

static const struct {
	size_t		 off;	/* of an int64_t in struct report */
	const char	*sql;
} counts[] = {
	{ OFF(accounts), "SELECT count(*) FROM users"
	    " WHERE role <> 'pending' AND banned_at IS NULL" },
	{ OFF(visitors), "SELECT count(*) FROM users"
	    " WHERE role <> 'pending' AND banned_at IS NULL AND last_login >= ?1" },
	/* As "accounts" counts them: a rejected account is no new one. */
	{ OFF(new_accounts), "SELECT count(*) FROM users"
	    " WHERE role <> 'pending' AND banned_at IS NULL"
	    " AND approved_at >= ?1" },
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

/* The lists: a query (?1 the start of the period, ?2 REPORT_TOP), its
 * row type, and where the array and its count go in struct report. */
static const struct {
	const char			*sql;
	const struct store_rowtype	*rows;
	size_t				 v, n;	/* offsets in struct report */
	const char			*what;
} lists[] = {
	{ .sql = "SELECT b.name, b.title, count(*),"
	    " count(DISTINCT p.thread_id)"
	    " FROM posts p JOIN threads t ON t.id = p.thread_id"
	    " JOIN boards b ON b.id = t.board_id"
	    " WHERE p.created_at >= ?1"
	    " GROUP BY b.id ORDER BY 3 DESC, b.position, b.name",
	  .rows = &report_board_rows, .v = OFF(boards), .n = OFF(nboards),
	  .what = "report boards" },
	{ .sql = "SELECT u.login, u.display_name,"
	    " count(*) FROM posts p JOIN users u ON u.id = p.author_id"
	    " WHERE p.created_at >= ?1"
	    " GROUP BY u.id ORDER BY 3 DESC, u.display_name COLLATE RU"
	    " LIMIT ?2",
	  .rows = &report_author_rows, .v = OFF(authors), .n = OFF(nauthors),
	  .what = "report authors" },
};

#undef OFF

/* The school conditions on the account u (LEFT JOINed: no account, no
 * school). */
#define SCHOOL " AND (?4 IS NULL OR instr(fold(u.school), fold(?4)) > 0)" \
	" AND (?5 IS NULL OR u.school = ?5)"
#define MEMBER " u.role <> 'pending' AND u.banned_at IS NULL"
#define FOFF(f)	offsetof(struct report_figures, f)

static const struct {
	size_t		 off;		/* of an int64_t in report_figures */
	int		 board;		/* can be counted for a board */
	const char	*sql;
} figures[] = {
	{ FOFF(active), 1, "SELECT count(DISTINCT a.user_id) FROM ("
	    " SELECT p.author_id AS user_id FROM posts p"
	    "  JOIN threads t ON t.id = p.thread_id"
	    "  JOIN boards b ON b.id = t.board_id"
	    "  WHERE p.created_at >= ?1 AND p.created_at < ?2"
	    "  AND (?3 IS NULL OR b.name = ?3)"
	    " UNION ALL SELECT v.user_id FROM poll_votes v"
	    "  JOIN polls pl ON pl.id = v.poll_id"
	    "  JOIN boards b ON b.id = pl.board_id"
	    "  WHERE v.at >= ?1 AND v.at < ?2 AND (?3 IS NULL OR b.name = ?3)"
	    " UNION ALL SELECT sender_id FROM mail WHERE ?3 IS NULL"
	    "  AND created_at >= ?1 AND created_at < ?2"
	    " UNION ALL SELECT uploader_id FROM library_items WHERE ?3 IS NULL"
	    "  AND created_at >= ?1 AND created_at < ?2"
	    " UNION ALL SELECT user_id FROM library_downloads WHERE ?3 IS NULL"
	    "  AND at >= ?1 AND at < ?2) a"
	    " JOIN users u ON u.id = a.user_id WHERE 1" SCHOOL },
	{ FOFF(members), 0, "SELECT count(*) FROM users u WHERE" MEMBER
	    " AND u.approved_at < ?2" SCHOOL },
	{ FOFF(new_members), 0, "SELECT count(*) FROM users u WHERE" MEMBER
	    " AND u.approved_at >= ?1 AND u.approved_at < ?2" SCHOOL },
	{ FOFF(posts), 1, "SELECT count(*) FROM posts p"
	    " JOIN threads t ON t.id = p.thread_id"
	    " JOIN boards b ON b.id = t.board_id"
	    " LEFT JOIN users u ON u.id = p.author_id"
	    " WHERE p.created_at >= ?1 AND p.created_at < ?2"
	    " AND (?3 IS NULL OR b.name = ?3)" SCHOOL },
	{ FOFF(threads), 1, "SELECT count(*) FROM threads t"
	    " JOIN boards b ON b.id = t.board_id"
	    " LEFT JOIN users u ON u.id = t.author_id"
	    " WHERE t.created_at >= ?1 AND t.created_at < ?2"
	    " AND (?3 IS NULL OR b.name = ?3)" SCHOOL },
	{ FOFF(letters), 0, "SELECT count(*) FROM mail m"
	    " LEFT JOIN users u ON u.id = m.sender_id"
	    " WHERE m.created_at >= ?1 AND m.created_at < ?2"
	    " AND ?3 IS NULL" SCHOOL },
	{ FOFF(uploads), 0, "SELECT count(*) FROM library_items i"
	    " LEFT JOIN users u ON u.id = i.uploader_id"
	    " WHERE i.created_at >= ?1 AND i.created_at < ?2"
	    " AND ?3 IS NULL" SCHOOL },
	{ FOFF(downloads), 0, "SELECT count(*) FROM library_downloads d"
	    " LEFT JOIN users u ON u.id = d.user_id"
	    " WHERE d.at >= ?1 AND d.at < ?2 AND ?3 IS NULL" SCHOOL },
};
#undef FOFF

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
		rc = store_int(st, (int64_t *)(void *)((char *)r +
		    counts[i].off), counts[i].sql, "i", since);
	/* A query without ?2 binds only ?1 (store_stmt). */
	for (i = 0; i < nitems(lists) && rc == 0; i++)
		rc = store_rows(st, store_stmt(st, lists[i].sql, "ii", since,
		    (int64_t)REPORT_TOP), lists[i].rows, (char *)r + lists[i].v,
		    (size_t *)(void *)((char *)r + lists[i].n), lists[i].what);
	store_rollback(st);
out:
	if (rc != 0) {
		report_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* ---- the growth report ------------------------------------------ */

int
report_parse_day(const char *s, int64_t *t)
{
	return text_parse_day(s, 0, t);
}

/* The start of the week (Monday) or month holding t, and of the next. */
static void
report_period(int64_t t, enum report_by by, int64_t *start, int64_t *next)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	localtime_r(&tt, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if (by == REPORT_WEEK)
		tm.tm_mday -= (tm.tm_wday + 6) % 7;
	else
		tm.tm_mday = 1;
	*start = (int64_t)mktime(&tm);
	tm.tm_isdst = -1;
	if (by == REPORT_WEEK)
		tm.tm_mday += 7;
	else
		tm.tm_mon++;
	*next = (int64_t)mktime(&tm);
}

/* Count every figure of row r (r->start, r->end set) for board (NULL:
 * all) and the exact school (NULL: any). */
static int
report_count_row(struct store *st, const struct report_query *q,
    const char *board, const char *school, struct report_row *r)
{
	sqlite3_stmt	*stmt;
	int64_t		*f;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < nitems(figures) && rc == 0; i++) {
		f = (int64_t *)(void *)((char *)&r->f + figures[i].off);
		if (board != NULL && !figures[i].board) {
			*f = REPORT_NA;
			continue;
		}
		if ((stmt = store_prepare(st, figures[i].sql)) == NULL)
			return PERR_DB;
		sqlite3_bind_int64(stmt, 1, r->start);
		sqlite3_bind_int64(stmt, 2, r->end);
		if (board != NULL)
			sqlite3_bind_text(stmt, 3, board, -1, SQLITE_STATIC);
		if (q->school != NULL)
			sqlite3_bind_text(stmt, 4, q->school, -1, SQLITE_STATIC);
		if (school != NULL)
			sqlite3_bind_text(stmt, 5, school, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			*f = sqlite3_column_int64(stmt, 0);
		else
			rc = store_fail(st, "report figures");
		sqlite3_finalize(stmt);
	}
	return rc;
}

static struct report_row *
report_row_add(struct report_row **v, size_t *n, const struct report_row *r)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n] = *r;
	return &(*v)[(*n)++];
}

static int
report_periods(struct store *st, struct report_series *s)
{
	struct report_row	 r;
	int64_t			 start, next, t;
	char			 label[32];
	struct tm		 tm;
	time_t			 tt;
	int			 rc;

	for (t = s->q.from; t < s->q.to; t = next) {
		if (s->nperiods == REPORT_PERIODS_MAX)
			return PERR_DATE;
		report_period(t, s->q.by, &start, &next);
		if (next <= t)
			return PERR_DATE;	/* mktime gave up */
		memset(&r, 0, sizeof(r));
		r.start = t;
		r.end = next < s->q.to ? next : s->q.to;
		tt = (time_t)start;
		localtime_r(&tt, &tm);
		strftime(label, sizeof(label), s->q.by == REPORT_WEEK ?
		    "%Y-%m-%d" : "%Y-%m", &tm);
		r.name = xstrdup(label);
		report_row_add(&s->periods, &s->nperiods, &r);
		if ((rc = report_count_row(st, &s->q, s->q.board, NULL,
		    &s->periods[s->nperiods - 1])) != 0)
			return rc;
	}
	return 0;
}

/* A board's or a school's row as its query gives it: the name, and
 * (boards) the title; a school's stays NULL. */
STORE_ROWTYPE(report_named_rows, struct report_row,
	STORE_COL(TEXT, struct report_row, name),
	STORE_COL(TEXT, struct report_row, title));

/*
 * One row for each row of sql (bound to key as ?1): its name from column
 * 0, its title from column 1 if there is one, counted as a board's row or
 * (schools) as a school's within the query's board.
 */
static int
report_named(struct store *st, struct report_series *s, const char *sql,
    const char *key, int schools, const char *what)
{
	struct report_row	**v = schools ? &s->schools : &s->boards, *r;
	size_t			*n = schools ? &s->nschools : &s->nboards, i;
	int			 rc;

	rc = store_rows(st, store_stmt(st, sql, "t", key), &report_named_rows,
	    v, n, what);
	for (i = 0; rc == 0 && i < *n; i++) {
		r = &(*v)[i];
		r->start = s->q.from;
		r->end = s->q.to;
		rc = report_count_row(st, &s->q, schools ? s->q.board : r->name,
		    schools ? r->name : NULL, r);
	}
	return rc;
}

static int
report_boards(struct store *st, struct report_series *s)
{
	int	 rc;

	rc = report_named(st, s, "SELECT name, title FROM boards"
	    " WHERE ?1 IS NULL OR name = ?1 ORDER BY position, name",
	    s->q.board, 0, "report boards");
	if (rc == 0 && s->q.board != NULL && s->nboards == 0)
		rc = PERR_NOTFOUND;
	return rc;
}

/* The schools members gave, each counted on its own (the exact text). */
static int
report_schools(struct store *st, struct report_series *s)
{
	return report_named(st, s, "SELECT DISTINCT u.school FROM users u"
	    " WHERE" MEMBER " AND (?1 IS NULL OR"
	    " instr(fold(u.school), fold(?1)) > 0)"
	    " ORDER BY u.school COLLATE RU", s->q.school, 1, "report schools");
}

int
report_series_make(struct store *st, const struct report_query *q,
    struct report_series **out)
{
	struct report_series	*s;
	int			 rc;

	*out = NULL;
	if (q->from >= q->to)
		return PERR_DATE;
	s = xcalloc(1, sizeof(*s));
	s->q = *q;
	s->total.name = xstrdup("total");
	s->total.start = q->from;
	s->total.end = q->to;
	if ((rc = store_begin_read(st)) != 0)
		goto out;
	if ((rc = report_boards(st, s)) == 0 &&
	    (rc = report_count_row(st, q, q->board, NULL, &s->total)) == 0 &&
	    (rc = report_periods(st, s)) == 0)
		rc = report_schools(st, s);
	store_rollback(st);
out:
	s->q.board = s->q.school = NULL;
	if (rc != 0) {
		report_series_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static void
report_rows_free(struct report_row *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].title);
	}
	free(v);
}

void
report_series_free(struct report_series *s)
{
	if (s == NULL)
		return;
	free(s->total.name);
	report_rows_free(s->periods, s->nperiods);
	report_rows_free(s->boards, s->nboards);
	report_rows_free(s->schools, s->nschools);
	free(s);
}

void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	store_rows_free(&report_board_rows, r->boards, r->nboards);
	store_rows_free(&report_author_rows, r->authors, r->nauthors);
	free(r);
}
