/*
 * chat.c: chat rooms and lines in the store (chat.h).
 *
 * A line is a row of chat_lines, written through the request table
 * (chat-say, with the UUID made where she typed, so a line sent again
 * after a stalled link is one line), and logged in the change log by
 * the triggers of v_chat (store-schema.c) so that the client's copy gets
 * it too.  Who may say: an active account that may read the room's
 * board (any member in a room of the sysop's); banned accounts never
 * reach here (request.c).  The flood limit counts her lines of the last
 * CHAT_BURST_SECS seconds inside the transaction that writes, so two
 * sessions of one user share it.
 *
 * Pruning is bounded (500 lines a call): the screens call it on entry,
 * so a store that nobody chats in is never walked.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "board-sql.h"
#include "board.h"
#include "chat.h"
#include "perr.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"

STORE_ROWTYPE(chat_room_rows, struct chat_room,
	STORE_COL(I64, struct chat_room, id),
	STORE_COL(UUID, struct chat_room, uuid),
	STORE_COL(TEXT, struct chat_room, name),
	STORE_COL(TEXT, struct chat_room, title),
	STORE_COL(I64, struct chat_room, board_id),
	STORE_COL(I64, struct chat_room, closed_at),
	STORE_COL(INT, struct chat_room, is_mod),
	STORE_COL(I64, struct chat_room, lines),
	STORE_COL(INT, struct chat_room, may_read));

STORE_ROWTYPE(chat_line_rows, struct chat_line,
	STORE_COL(I64, struct chat_line, id),
	STORE_COL(UUID, struct chat_line, uuid),
	STORE_COL(I64, struct chat_line, author_id),
	STORE_COL(TEXT, struct chat_line, author),
	STORE_COL(TEXT, struct chat_line, body),
	STORE_COL(I64, struct chat_line, at),
	STORE_COL(I64, struct chat_line, hidden_at));

/* A room as a reader sees it: r the room, b its board (none for the
 * sysop's); :uid and :role the reader. */
#define CHAT_ROOM_SQL							\
	"SELECT r.id, r.uuid, coalesce(b.name, r.name) AS rname,"	\
	" coalesce(b.title, r.name), coalesce(r.board_id, 0) AS bid,"	\
	" coalesce(r.closed_at, 0) AS closed, " SQL_IS_MOD ","		\
	" (SELECT count(*) FROM chat_lines l WHERE l.room_id = r.id"	\
	" AND l.hidden_at IS NULL) AS nlines, " SQL_CAN_READ " AS may"	\
	" FROM chat_rooms r LEFT JOIN boards b ON b.id = r.board_id"

int
chat_rooms(struct store *st, const struct user *u, struct chat_room **out,
    size_t *n)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, "SELECT * FROM (" CHAT_ROOM_SQL ")"
	    " WHERE :all OR (closed = 0 AND may)"
	    " ORDER BY bid <> 0, bid, rname");
	board_bind_reader(stmt, u);
	store_bind_named(stmt, ":all", u == NULL);
	return store_rows(st, stmt, &chat_room_rows, out, n, "chat rooms");
}

void
chat_rooms_free(struct chat_room *v, size_t n)
{
	store_rows_free(&chat_room_rows, v, n);
}

int
chat_room_get(struct store *st, const struct user *u, int64_t id,
    struct chat_room **out)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*out = NULL;
	stmt = store_prepare(st, CHAT_ROOM_SQL " WHERE r.id = :id");
	board_bind_reader(stmt, u);
	store_bind_named(stmt, ":id", id);
	if ((rc = store_row_new(st, stmt, &chat_room_rows, out,
	    "chat room")) != 0)
		return rc;
	if ((*out)->closed_at != 0)
		rc = PERR_CHAT_CLOSED;
	else if (!(*out)->may_read)
		rc = PERR_NO_READ;
	if (rc != 0) {
		chat_rooms_free(*out, 1);
		*out = NULL;
	}
	return rc;
}

int
chat_say(struct store *st, const struct user *u, int64_t room_id,
    const char *body, int64_t *id_out)
{
	struct chat_room *r = NULL;
	char		*text = NULL;
	int64_t		 id = 0, recent = 0;
	int		 rc;

	if (id_out != NULL)
		*id_out = 0;
	if (u == NULL || user_state(u) != USER_ACTIVE)
		return PERR_REQ_DENIED;
	if ((rc = text_field(body, CHAT_LINE_MAX, 0, &text)) != 0)
		return rc;
	if ((rc = store_begin(st)) != 0)
		goto out;
	if ((rc = chat_room_get(st, u, room_id, &r)) != 0)
		goto end;
	if ((rc = store_int(st, &recent, "SELECT count(*) FROM chat_lines"
	    " WHERE room_id = ?1 AND author_id = ?2 AND at > ?3", "iii",
	    room_id, u->id, now_unix() - CHAT_BURST_SECS)) != 0)
		goto end;
	if (recent >= CHAT_BURST) {
		rc = PERR_CHAT_FLOOD;
		goto end;
	}
	if ((rc = store_insert(st, "chat_lines", &id, "INSERT INTO"
	    " chat_lines(uuid, id, room_id, author_id, body, at) VALUES (?1,"
	    " ?2, ?3, ?4, ?5, ?6)", "iiti", room_id, u->id, text,
	    now_unix())) != 0)
		goto end;
	if (id_out != NULL)
		*id_out = id;
end:
	rc = store_end(st, rc);
out:
	chat_rooms_free(r, r != NULL);
	free(text);
	return rc;
}

int
chat_hide(struct store *st, const struct user *u, const char *actor,
    int64_t line_id)
{
	struct chat_room *r = NULL;
	char		*target;
	int64_t		 room_id = 0;
	int		 rc;

	target = xasprintf("chat line %lld", (long long)line_id);
	if ((rc = store_begin(st)) != 0)
		goto out;
	if ((rc = store_int(st, &room_id, "SELECT room_id FROM chat_lines"
	    " WHERE id = ?1", "i", line_id)) != 0)
		goto end;
	rc = chat_room_get(st, u, room_id, &r);
	if (rc == PERR_CHAT_CLOSED)	/* the sysop's to tidy up */
		rc = u == NULL || u->role == ROLE_SYSOP ? 0 : PERR_NOT_MOD;
	if (rc != 0)
		goto end;
	if (r != NULL && !r->is_mod) {
		rc = PERR_NOT_MOD;
		goto end;
	}
	rc = store_write(st, NULL, "UPDATE chat_lines SET hidden_at = ?2,"
	    " hidden_by = nullif(?3, 0) WHERE id = ?1 AND hidden_at IS NULL",
	    "iii", line_id, now_unix(), (int64_t)(u != NULL ? u->id : 0));
end:
	rc = audit_end(st, rc, actor, "hide chat line", target, "");
out:
	chat_rooms_free(r, r != NULL);
	free(target);
	return rc;
}

int
chat_lines(struct store *st, int64_t room_id, int64_t after_id,
    int64_t since, size_t limit, struct chat_line **out, size_t *n)
{
	sqlite3_stmt	*stmt;

	stmt = store_stmt(st, "SELECT * FROM (SELECT l.id, l.uuid,"
	    " coalesce(l.author_id, 0), coalesce(u.display_name, ''), l.body,"
	    " l.at, 0 FROM chat_lines l LEFT JOIN users u ON u.id ="
	    " l.author_id WHERE l.room_id = ?1 AND l.id > ?2 AND l.at >= ?3"
	    " AND l.hidden_at IS NULL ORDER BY l.id DESC LIMIT ?4)"
	    " ORDER BY id", "iiii", room_id, after_id, since, (int64_t)limit);
	return store_rows(st, stmt, &chat_line_rows, out, n, "chat lines");
}

void
chat_lines_free(struct chat_line *v, size_t n)
{
	store_rows_free(&chat_line_rows, v, n);
}

int
chat_hidden_since(struct store *st, int64_t room_id, int64_t since,
    int64_t from_id, int64_t *out, size_t limit, size_t *n)
{
	sqlite3_stmt	*stmt;
	int		 step;

	*n = 0;
	stmt = store_stmt(st, "SELECT id FROM chat_lines WHERE room_id = ?1"
	    " AND id >= ?4 AND hidden_at >= ?2 ORDER BY hidden_at DESC"
	    " LIMIT ?3", "iiii", room_id, since, (int64_t)limit, from_id);
	if (stmt == NULL)
		return PERR_DB;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW && *n < limit)
		out[(*n)++] = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 :
	    store_fail(st, "chat hidden");
}

int
chat_prune(struct store *st, int days, int *n)
{
	int	 changes = 0, rc;

	if (n != NULL)
		*n = 0;
	if (days <= 0)
		return 0;
	/* The oldest lines by the at index, a bounded number at a time. */
	rc = store_write(st, &changes, "DELETE FROM chat_lines WHERE id IN"
	    " (SELECT id FROM chat_lines WHERE at < ?1 ORDER BY at LIMIT 500)",
	    "i", now_unix() - (int64_t)days * 86400);
	if (n != NULL)
		*n = changes;
	return rc;
}

int
chat_room_named(struct store *st, const char *name, int64_t *id)
{
	return store_int(st, id, "SELECT id FROM chat_rooms WHERE name = ?1"
	    " AND board_id IS NULL AND closed_at IS NULL", "t", name);
}

int
chat_open(struct store *st, const char *actor, const char *name,
    int64_t *id_out)
{
	char	 uuid[37];
	int64_t	 id = 0;
	int	 rc;

	if (id_out != NULL)
		*id_out = 0;
	if (board_check_name(name) != 0 || strlen(name) > CHAT_NAME_MAX)
		return PERR_BOARD_NAME;
	if ((rc = store_begin(st)) != 0)
		return rc;
	if (chat_room_named(st, name, &id) == 0) {
		rc = PERR_EXISTS;
		goto out;
	}
	uuid_v4(uuid);
	if ((rc = store_write(st, NULL, "INSERT INTO chat_rooms(uuid, name,"
	    " created_at) VALUES (?1, ?2, ?3)", "tti", uuid, name,
	    now_unix())) != 0)
		goto out;
	if (id_out != NULL)
		*id_out = sqlite3_last_insert_rowid(store_db(st));
out:
	return audit_end(st, rc, actor, "open chat room", name, "");
}

int
chat_close(struct store *st, const char *actor, int64_t room_id)
{
	int	 rc, changes = 0;
	char	*target = xasprintf("chat room %lld", (long long)room_id);

	if ((rc = store_begin(st)) != 0)
		goto out;
	rc = store_write(st, &changes, "UPDATE chat_rooms SET closed_at = ?2"
	    " WHERE id = ?1 AND board_id IS NULL AND closed_at IS NULL", "ii",
	    room_id, now_unix());
	if (rc == 0 && changes == 0)
		rc = PERR_NOTFOUND;
	rc = audit_end(st, rc, actor, "close chat room", target, "");
out:
	free(target);
	return rc;
}
