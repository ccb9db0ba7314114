/*
 * board.c: subject boards in the store.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "perr.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"

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
	sqlite3_stmt	*stmt = NULL;
	char		 uuid[37], *t = NULL, *d = NULL;
	int		 rc;

	if ((rc = board_check_name(name)) != 0)
		return rc;
	if ((rc = text_check(title, BOARD_TITLE_MAX, 0)) != 0 ||
	    (rc = text_check(description, BOARD_DESC_MAX,
	    TEXT_EMPTY_OK | TEXT_MULTILINE)) != 0)
		return rc;
	t = text_nfc(title);
	d = text_nfc(description);
	if (t == NULL || d == NULL) {
		rc = PERR_UTF8;
		goto out;
	}
	if (store_begin(st) != 0) {
		rc = PERR_DB;
		goto out;
	}
	uuid_v4(uuid);
	stmt = store_prepare(st, "INSERT INTO boards(uuid, name, title,"
	    " description, position, created_at) VALUES (?, ?, ?, ?,"
	    " (SELECT coalesce(max(position), 0) + 1 FROM boards), ?)");
	if (stmt == NULL) {
		rc = PERR_DB;
		goto out;
	}
	store_bind_text(stmt, 1, uuid);
	store_bind_text(stmt, 2, name);
	store_bind_text(stmt, 3, t);
	store_bind_text(stmt, 4, d);
	sqlite3_bind_int64(stmt, 5, now_unix());
	switch (sqlite3_step(stmt)) {
	case SQLITE_DONE:
		rc = audit_log(st, actor, "board add", name, t);
		break;
	case SQLITE_CONSTRAINT_UNIQUE:	/* extended codes are on (store.c) */
		rc = PERR_EXISTS;
		break;
	default:
		rc = store_fail(st, "board add");
	}
	if (rc == 0)
		rc = store_commit(st);
out:
	if (rc != 0)
		store_rollback(st);
	sqlite3_finalize(stmt);
	free(t);
	free(d);
	return rc;
}

int
board_list(struct store *st, struct board **out, size_t *n)
{
	sqlite3_stmt	*stmt;
	struct board	*v = NULL, *b;
	size_t		 cap = 0;
	int		 step;

	*out = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT b.id, b.uuid, b.name, b.title,"
	    " b.description, b.position, b.read_role, b.post_role,"
	    " b.premoderated,"
	    " (SELECT count(*) FROM threads t WHERE t.board_id = b.id),"
	    " (SELECT count(*) FROM posts p JOIN threads t ON t.id = p.thread_id"
	    "  WHERE t.board_id = b.id)"
	    " FROM boards b ORDER BY b.position, b.id");
	if (stmt == NULL)
		return PERR_DB;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap)
			v = xrealloc(v, (cap = cap ? cap * 2 : 8) * sizeof(*v));
		b = &v[(*n)++];
		b->id = sqlite3_column_int64(stmt, 0);
		strlcpy_p(b->uuid, (const char *)sqlite3_column_text(stmt, 1),
		    sizeof(b->uuid));
		b->name = store_column_dup(stmt, 2);
		b->title = store_column_dup(stmt, 3);
		b->description = store_column_dup(stmt, 4);
		b->position = sqlite3_column_int(stmt, 5);
		b->read_role = store_column_dup(stmt, 6);
		b->post_role = store_column_dup(stmt, 7);
		b->premoderated = sqlite3_column_int(stmt, 8);
		b->threads = sqlite3_column_int64(stmt, 9);
		b->posts = sqlite3_column_int64(stmt, 10);
	}
	sqlite3_finalize(stmt);
	*out = v;
	if (step != SQLITE_DONE) {
		board_list_free(v, *n);
		*out = NULL;
		*n = 0;
		return store_fail(st, "board list");
	}
	return 0;
}

void
board_list_free(struct board *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].title);
		free(v[i].description);
		free(v[i].read_role);
		free(v[i].post_role);
	}
	free(v);
}
