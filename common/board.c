/*
 * board.c: subject boards in the store: the sysop's add, edit, remove
 * and coordinators, and the board list a reader sees with its counts of
 * new posts (the rules of who sees what are board-sql.h's).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "board-sql.h"
#include "board.h"
#include "perr.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"

STORE_ROWTYPE(board_rows, struct board,
	STORE_COL(I64, struct board, id),
	STORE_COL(UUID, struct board, uuid),
	STORE_COL(TEXT, struct board, name),
	STORE_COL(TEXT, struct board, title),
	STORE_COL(TEXT, struct board, description),
	STORE_COL(INT, struct board, position),
	STORE_COL(TEXT, struct board, read_role),
	STORE_COL(TEXT, struct board, post_role),
	STORE_COL(INT, struct board, premoderated),
	STORE_COL(I64, struct board, threads),
	STORE_COL(I64, struct board, posts),
	STORE_COL(I64, struct board, unread),
	STORE_COL(I64, struct board, polls_waiting),
	STORE_COL(INT, struct board, may_post),
	STORE_COL(INT, struct board, is_mod),
	STORE_COL(INT, struct board, may_read),
	STORE_COL(I64, struct board, replies));

int
board_check_name(const char *name)
{
	size_t	 n = strlen(name), i;

	if (n == 0 || n > 32)
		return PERR_BOARD_NAME;
	for (i = 0; i < n; i++) {
		unsigned char	 c = (unsigned char)name[i];
		if (!(isascii(c) && (isalnum(c) || c == '-' || c == '_' || c == '.')))
			return PERR_BOARD_NAME;
	}
	return 0;
}

int
board_add(struct store *st, const char *name, const char *title,
    const char *description, const char *actor)
{
	char		 uuid[37], *t = NULL, *d = NULL;
	int		 rc;

	/* Refused before the transaction: no level of ours to roll back,
	 * and there may be a caller's (store.h). */
	if ((rc = board_check_name(name)) != 0 ||
	    (rc = text_field(title, BOARD_TITLE_MAX, 0, &t)) != 0 ||
	    (rc = text_field(description, BOARD_DESC_MAX,
	    TEXT_EMPTY_OK | TEXT_MULTILINE, &d)) != 0)
		goto out;
	if (store_begin(st) != 0) {
		rc = PERR_DB;
		goto out;
	}
	uuid_v4(uuid);
	rc = store_write(st, NULL, "INSERT INTO boards(uuid, name, title,"
	    " description, position, created_at) VALUES (?, ?, ?, ?,"
	    " (SELECT coalesce(max(position), 0) + 1 FROM boards), ?)",
	    "tttti", uuid, name, t, d, now_unix());
	rc = audit_end(st, rc, actor, "board add", name, t);
out:
	free(t);
	free(d);
	return rc;
}

int
board_list(struct store *st, struct board **out, size_t *n)
{
	/* The sysop's counts: every thread and post, hidden or not. */
	return store_rows(st, store_stmt(st, "SELECT b.id, b.uuid, b.name,"
	    " b.title, b.description, b.position, b.read_role, b.post_role,"
	    " b.premoderated,"
	    " (SELECT count(*) FROM threads t WHERE t.board_id = b.id),"
	    " (SELECT count(*) FROM posts p JOIN threads t ON t.id = p.thread_id"
	    "  WHERE t.board_id = b.id), 0, 0, 0"
	    " FROM boards b ORDER BY b.position, b.id", ""), &board_rows, out, n,
	    "board list");
}

/* The columns board_row() reads, as the reader bound to :uid/:role sees. */
#define BOARD_COLUMNS							\
	"SELECT b.id, b.uuid, b.name, b.title, b.description, b.position,"	\
	" b.read_role, b.post_role, b.premoderated,"			\
	" (SELECT count(*) FROM threads t WHERE t.board_id = b.id AND "	\
	SQL_THREAD_SHOWN "),"						\
	" (SELECT count(*) FROM posts p JOIN threads t ON t.id = p.thread_id" \
	"  WHERE t.board_id = b.id AND p.hidden_at IS NULL AND "	\
	SQL_THREAD_SHOWN "),"						\
	" (SELECT count(*) FROM posts p JOIN threads t ON t.id = p.thread_id" \
	"  WHERE t.board_id = b.id AND " SQL_THREAD_SHOWN " AND "	\
	SQL_POST_UNREAD "), " SQL_POLLS_WAITING ","			\
	" " SQL_CAN_POST ", " SQL_IS_MOD

void
board_bind_reader(sqlite3_stmt *stmt, const struct user *u)
{
	store_bind_named(stmt, ":uid", u != NULL ? u->id : 0);
	store_bind_named(stmt, ":role", u != NULL ? (int)u->role : ROLE_SYSOP);
}

int
board_list_for(struct store *st, const struct user *u, struct board **out,
    size_t *n)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, BOARD_COLUMNS ", 1, " SQL_REPLIES_WAITING
	    " FROM boards b WHERE " SQL_CAN_READ " ORDER BY b.position, b.id");
	board_bind_reader(stmt, u);
	return store_rows(st, stmt, &board_rows, out, n, "board list for");
}

/* The sum over the boards u may read of count, an SQL count of board b
 * as u sees it: the sum, or a negative PERR code. */
static int
board_sum_for(struct store *st, const struct user *u, const char *sql,
    const char *what)
{
	sqlite3_stmt	*stmt;
	int		 rc, n = 0;

	stmt = store_prepare(st, sql);
	board_bind_reader(stmt, u);
	if ((rc = store_first(st, stmt, what)) == 0)
		n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return rc != 0 ? rc : n;
}

int
board_polls_waiting(struct store *st, const struct user *u)
{
	return board_sum_for(st, u, "SELECT coalesce(sum(" SQL_POLLS_WAITING
	    "), 0) FROM boards b WHERE " SQL_CAN_READ, "polls waiting");
}

int
board_replies_waiting(struct store *st, const struct user *u)
{
	return board_sum_for(st, u, "SELECT coalesce(sum("
	    SQL_REPLIES_WAITING "), 0) FROM boards b WHERE " SQL_CAN_READ,
	    "replies waiting");
}

int
board_get_for(struct store *st, const struct user *u, const char *name,
    int64_t id, struct board **out)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stmt = store_prepare(st, BOARD_COLUMNS ", " SQL_CAN_READ
	    " FROM boards b WHERE (:name IS NULL AND b.id = :id)"
	    " OR b.name = :name");
	board_bind_reader(stmt, u);
	store_bind_named_text(stmt, ":name", name);
	store_bind_named(stmt, ":id", id);
	rc = store_row_new(st, stmt, &board_rows, out, "board get");
	if (rc == 0 && !(*out)->may_read) {
		board_free(*out);
		*out = NULL;
		rc = PERR_NO_READ;
	}
	return rc;
}

void
board_free(struct board *b)
{
	board_list_free(b, b != NULL);
}

void
board_list_free(struct board *v, size_t n)
{
	store_rows_free(&board_rows, v, n);
}

/* Run one UPDATE/INSERT/DELETE on board name with up to two text values
 * and the audit line, in one transaction.  0, PERR_NOTFOUND, PERR_DB. */
static int
board_write(struct store *st, const char *sql, const char *name,
    const char *v1, int64_t n2, const char *actor, const char *action,
    const char *detail)
{
	int	 rc, changes;

	if (store_begin(st) != 0)
		return PERR_DB;
	rc = store_write(st, &changes, sql, "tti", name, v1, n2);
	if (rc == 0 && changes == 0)
		rc = PERR_NOTFOUND;
	return audit_end(st, rc, actor, action, name, detail);
}

static int
parse_yesno(const char *v)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
		return 1;
	if (strcmp(v, "no") == 0 || strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
		return 0;
	return -1;
}

int
board_edit(struct store *st, const char *name, const char *field,
    const char *value, const char *actor)
{
	char		*t = NULL, *end, *detail;
	long		 n;
	int		 rc, yn;

	detail = xasprintf("%s=%s", field, value);
	if (strcmp(field, "title") == 0 || strcmp(field, "description") == 0) {
		int	 title = field[0] == 't';

		if ((rc = text_check(value, title ? BOARD_TITLE_MAX :
		    BOARD_DESC_MAX, title ? 0 : TEXT_EMPTY_OK | TEXT_MULTILINE)) != 0)
			goto out;
		if ((t = text_nfc(value)) == NULL) {
			rc = PERR_UTF8;
			goto out;
		}
		rc = board_write(st, title ?
		    "UPDATE boards SET title = ?2 WHERE name = ?1" :
		    "UPDATE boards SET description = ?2 WHERE name = ?1",
		    name, t, 0, actor, "board edit", detail);
	} else if (strcmp(field, "order") == 0) {
		errno = 0;
		n = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno != 0 || n < 0 ||
		    n > 1000000) {
			rc = PERR_NUMBER;
			goto out;
		}
		rc = board_write(st, "UPDATE boards SET position = ?3"
		    " WHERE name = ?1", name, NULL, n, actor, "board edit", detail);
	} else if (strcmp(field, "read") == 0 || strcmp(field, "post") == 0) {
		if (role_parse(value) < 0) {
			rc = PERR_ROLE;
			goto out;
		}
		rc = board_write(st, field[0] == 'r' ?
		    "UPDATE boards SET read_role = ?2 WHERE name = ?1" :
		    "UPDATE boards SET post_role = ?2 WHERE name = ?1",
		    name, value, 0, actor, "board edit", detail);
	} else if (strcmp(field, "premoderated") == 0) {
		if ((yn = parse_yesno(value)) < 0) {
			rc = PERR_BOARD_FIELD;
			goto out;
		}
		rc = board_write(st, "UPDATE boards SET premoderated = ?3"
		    " WHERE name = ?1", name, NULL, yn, actor, "board edit", detail);
	} else
		rc = PERR_BOARD_FIELD;
out:
	free(t);
	free(detail);
	return rc;
}

int
board_remove(struct store *st, const char *name, const char *actor)
{
	sqlite3_stmt	*stmt;
	int		 rc, busy = 0;

	/* Coming events count too: those signed up would lose them
	 * unannounced (cancel them first: they are told). */
	stmt = store_prepare(st, "SELECT (SELECT count(*) FROM threads t"
	    " WHERE t.board_id = b.id), (SELECT count(*) FROM events e"
	    " WHERE e.board_id = b.id AND e.cancelled_at IS NULL AND"
	    " e.starts_at > CAST(strftime('%s', 'now') AS INTEGER))"
	    " FROM boards b WHERE b.name = ?");
	if (stmt == NULL)
		return PERR_DB;
	store_bind_text(stmt, 1, name);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		busy = sqlite3_column_int(stmt, 0) > 0 ? PERR_BOARD_BUSY :
		    sqlite3_column_int(stmt, 1) > 0 ? PERR_EVENT_COMING : 0;
	sqlite3_finalize(stmt);
	if (rc == SQLITE_DONE)
		return PERR_NOTFOUND;
	if (rc != SQLITE_ROW)
		return store_fail(st, "board remove");
	if (busy != 0)
		return busy;
	return board_write(st, "DELETE FROM boards WHERE name = ?1 AND ?2 IS NULL"
	    " AND ?3 = 0", name, NULL, 0, actor, "board remove", NULL);
}

int
board_coordinator(struct store *st, const char *name, const char *login,
    int on, const char *actor)
{
	struct user	*u = NULL;
	int		 rc;

	if ((rc = user_get(st, login, &u)) == PERR_NOTFOUND)
		return PERR_NO_USER;
	if (rc != 0)
		return rc;
	rc = board_write(st, on ?
	    "INSERT OR IGNORE INTO board_coordinators(board_id, user_id)"
	    " SELECT id, ?3 FROM boards WHERE name = ?1 AND ?2 IS NOT NULL" :
	    "DELETE FROM board_coordinators WHERE user_id = ?3 AND board_id ="
	    " (SELECT id FROM boards WHERE name = ?1) AND ?2 IS NOT NULL",
	    name, u->login, u->id, actor,
	    on ? "board coordinator" : "board coordinator off", u->login);
	if (rc == PERR_NOTFOUND) {
		/* No change: either no such board, or nothing to do. */
		struct board	*b = NULL;

		if ((rc = board_get_for(st, NULL, name, 0, &b)) == 0)
			board_free(b);
	}
	user_free(u);
	return rc;
}

char *
board_coordinators(struct store *st, int64_t board_id)
{
	char	*s;

	if (store_text(st, &s, "SELECT group_concat(login, ', ') FROM"
	    " (SELECT u.login FROM board_coordinators c JOIN users u"
	    " ON u.id = c.user_id WHERE c.board_id = ? ORDER BY u.login)",
	    "i", board_id) != 0)
		return xstrdup("");
	return s;
}

int
board_mark_read(struct store *st, const struct user *u, int64_t id)
{
	return store_write(st, NULL, "INSERT INTO board_reads(user_id,"
	    " board_id, last_post_id) SELECT ?1, ?2, coalesce(max(p.id), 0)"
	    " FROM posts p JOIN threads t ON t.id = p.thread_id"
	    " WHERE t.board_id = ?2 ON CONFLICT(user_id, board_id) DO UPDATE"
	    " SET last_post_id = max(last_post_id, excluded.last_post_id)",
	    "ii", u->id, id);
}
