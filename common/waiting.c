/*
 * waiting.c: what waits for a moderator (waiting.h).  The threads are
 * those board-sql.h lets the reader moderate, so the summary and the
 * boards agree on whose they are.
 */
#include <stdlib.h>

#include "board-sql.h"
#include "board.h"
#include "library.h"
#include "perr.h"
#include "store.h"
#include "user.h"
#include "util.h"
#include "waiting.h"

#define WAITING_THREADS							\
	" FROM threads t JOIN boards b ON b.id = t.board_id"		\
	" LEFT JOIN users u ON u.id = t.author_id"			\
	" WHERE t.approved = 0 AND t.hidden_at IS NULL AND " SQL_IS_MOD

static int
waiting_one(struct store *st, const struct user *u, const char *sql,
    int64_t *out)
{
	sqlite3_stmt	*stmt;
	int		 rc = 0;

	*out = 0;
	if ((stmt = store_prepare(st, sql)) == NULL)
		return PERR_DB;
	board_bind_reader(stmt, u);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*out = sqlite3_column_int64(stmt, 0);
	else
		rc = store_fail(st, "waiting");
	sqlite3_finalize(stmt);
	return rc;
}

int
waiting_count(struct store *st, const struct user *u, struct waiting *w)
{
	int	 rc = 0;

	w->registrations = w->threads = w->library = 0;
	if (u->role == ROLE_SYSOP)
		rc = waiting_one(st, u, "SELECT count(*) FROM users"
		    " WHERE role = 'pending' AND rejected_at IS NULL"
		    " AND banned_at IS NULL", &w->registrations);
	if (rc == 0)
		rc = waiting_one(st, u, "SELECT count(*)" WAITING_THREADS,
		    &w->threads);
	if (rc == 0 && library_may_moderate((int)u->role))
		rc = waiting_one(st, u, "SELECT count(*) FROM library_items"
		    " WHERE approved_at IS NULL", &w->library);
	return rc;
}

STORE_ROWTYPE(waiting_thread_rows, struct waiting_thread,
	STORE_COL(I64, struct waiting_thread, id),
	STORE_COL(TEXT, struct waiting_thread, board),
	STORE_COL(TEXT, struct waiting_thread, subject),
	STORE_COL(TEXT, struct waiting_thread, author),
	STORE_COL(I64, struct waiting_thread, created_at));

int
waiting_threads(struct store *st, const struct user *u,
    struct waiting_thread **out, size_t *n)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "SELECT t.id, b.title, t.subject,"
	    " coalesce(u.login, ''), t.created_at" WAITING_THREADS
	    " ORDER BY t.created_at, t.id");
	board_bind_reader(stmt, u);
	return store_rows(st, stmt, &waiting_thread_rows, out, n,
	    "waiting threads");
}

void
waiting_threads_free(struct waiting_thread *v, size_t n)
{
	store_rows_free(&waiting_thread_rows, v, n);
}
