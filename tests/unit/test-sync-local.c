/*
 * test-sync-local.c: the client's copy and outbox (sync-local.h) fed
 * with frames made by the codec from a real server store.  A server
 * store is written through the modules; its rows, every column as a
 * field (and a field of a later schema), are encoded as BATCH and
 * APPLIED frames and decoded again, as they cross the wire; the copy
 * must then hold what the server holds, with the server's ids.  Then
 * snapshots (the sweep, a cut in the middle), a batch that fails whole,
 * deletes with what they take along, and the outbox: a reply written
 * in the copy, its PUSH applied on the server, the answer replacing the
 * local row; a refusal kept with its reason; the outbox surviving a
 * copy deleted and made again; an event and a sign-up, and what the
 * event's delete takes along.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "board.h"
#include "bytes.h"
#include "event.h"
#include "perr.h"
#include "post.h"
#include "request.h"
#include "store.h"
#include "sync-local.h"
#include "sync-proto.h"
#include "user.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

/* What the rows made below own, freed at the end. */
static void	*pool[8192];
static size_t	 npool;

static void *
keep(void *p)
{
	if (npool == nitems(pool))
		abort();
	return pool[npool++] = p;
}

/* Row uuid of the server's table as entity, every column a field, and
 * "x_later" (a column of a schema to come) besides. */
static struct sync_row
server_row(struct store *srv, const char *entity, const char *table,
    const char *key, const char *uuid)
{
	struct sync_row		 row;
	struct sync_field	*f;
	sqlite3_stmt		*stmt;
	char			*sql;
	int			 i, n;

	memset(&row, 0, sizeof(row));
	strlcpy_p(row.entity, entity, sizeof(row.entity));
	strlcpy_p(row.uuid, uuid, sizeof(row.uuid));
	row.op = SYNC_UPSERT;
	sql = xasprintf("SELECT * FROM %s WHERE %s = ?1", table, key);
	stmt = store_stmt(srv, sql, "t", uuid);
	free(sql);
	if (stmt == NULL || sqlite3_step(stmt) != SQLITE_ROW) {
		printf("Bail out! no %s %s\n", entity, uuid);
		exit(1);
	}
	n = sqlite3_column_count(stmt);
	f = keep(xcalloc((size_t)n + 1, sizeof(*f)));
	for (i = 0; i < n; i++) {
		f[i].name = keep(xstrdup(sqlite3_column_name(stmt, i)));
		switch (sqlite3_column_type(stmt, i)) {
		case SQLITE_INTEGER:
			f[i].type = SYNC_F_INT;
			f[i].i = sqlite3_column_int64(stmt, i);
			break;
		case SQLITE_NULL:
			f[i].type = SYNC_F_NULL;
			break;
		default:
			f[i].type = SYNC_F_TEXT;
			f[i].s = keep(store_column_dup(stmt, i));
			f[i].len = strlen(f[i].s);
		}
	}
	f[n].name = "x_later";
	f[n].type = SYNC_F_TEXT;
	f[n].s = "a column the copy does not have";
	f[n].len = strlen(f[n].s);
	sqlite3_finalize(stmt);
	row.fields = f;
	row.nfields = (size_t)n + 1;
	return row;
}

static struct sync_row
gone(const char *entity, const char *uuid)
{
	struct sync_row	 row;

	memset(&row, 0, sizeof(row));
	strlcpy_p(row.entity, entity, sizeof(row.entity));
	strlcpy_p(row.uuid, uuid, sizeof(row.uuid));
	row.op = SYNC_DELETE;
	return row;
}

/* The server's REFUSED of the request uuid: code, the field at fault
 * ("" for none) and its reason (the strings are not copied). */
static struct sync_msg
refused(const char *uuid, int code, const char *field, const char *reason)
{
	struct sync_msg	 m = {
		.type = SYNC_REFUSED,
		.refused = { .code = code, .field = field, .reason = reason },
	};

	strlcpy_p(m.refused.ref, uuid, sizeof(m.refused.ref));
	return m;
}

/* 1 when the waiting item uuid is a PUSH whose body is body. */
static int
mended_body(struct sync_local *sl, const char *uuid, const char *body)
{
	struct sync_outbox_item	*v = NULL;
	struct sync_msg		 m;
	size_t			 n = 0, i, j;
	int			 found = 0;

	if (sync_local_outbox(sl, SYNC_OUTBOX_WAITING, &v, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		if (strcmp(v[i].uuid, uuid) != 0 ||
		    sync_decode(v[i].frame, v[i].len, 0, &m) != 0)
			continue;
		for (j = 0; j < m.push.nfields; j++)
			if (strcmp(m.push.fields[j].name, "body") == 0 &&
			    strcmp(m.push.fields[j].s, body) == 0)
				found = strcmp(m.push.uuid, uuid) == 0;
		sync_msg_free(&m);
	}
	sync_outbox_free(v, n);
	return found;
}

/* Encode m, decode it as the client would, hand it to the copy. */
static int
deliver(struct sync_local *sl, const struct sync_msg *m)
{
	struct bytes_writer	 w;
	struct sync_msg		 d;
	int			 rc;

	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	memset(&d, 0, sizeof(d));
	if ((rc = sync_encode(&w, m)) != 0 ||
	    (rc = sync_decode(bytes_writer_data(&w), bytes_writer_len(&w), 1,
	    &d)) != 0) {
		printf("Bail out! codec: %s\n", sync_strerror(rc));
		exit(1);
	}
	switch (d.type) {
	case SYNC_BATCH:
		rc = sync_local_batch(sl, &d);
		break;
	case SYNC_APPLIED:
		rc = sync_local_applied(sl, &d);
		break;
	case SYNC_REFUSED:
		rc = sync_local_refused(sl, &d);
		break;
	default:
		rc = PERR_DB;
	}
	sync_msg_free(&d);
	bytes_writer_free(&w);
	return rc;
}

static int
batch(struct sync_local *sl, const struct sync_row *rows, size_t n,
    uint64_t cursor, unsigned flags)
{
	struct sync_msg	 m;

	memset(&m, 0, sizeof(m));
	m.type = SYNC_BATCH;
	m.batch.rows = rows;
	m.batch.nrows = n;
	m.batch.cursor = cursor;
	m.batch.flags = flags;
	return deliver(sl, &m);
}

static char *
uuid_of(struct store *st, const char *sql, int64_t id)
{
	sqlite3_stmt	*stmt = store_stmt(st, sql, "i", id);
	char		*u = NULL;

	if (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW)
		u = keep(store_column_dup(stmt, 0));
	sqlite3_finalize(stmt);
	if (u == NULL) {
		printf("Bail out! %s %lld\n", sql, (long long)id);
		exit(1);
	}
	return u;
}

static int64_t
copy_int(struct sync_local *sl, const char *sql, const char *param)
{
	return t_int(sync_local_store(sl), sql, param);
}

/* The PUSH of the outbox's first waiting item, applied on the server as
 * the sync server would: the fields back into a request. */
static int
serve_push(struct sync_local *sl, struct store *srv, const struct user *u,
    struct request_result *res, char uuid[37])
{
	struct sync_outbox_item	*v = NULL;
	struct sync_msg		 m;
	struct request		 r;
	size_t			 n = 0, i;
	int			 rc;

	if (sync_local_outbox(sl, SYNC_OUTBOX_WAITING, &v, &n) != 0 || n == 0)
		return PERR_NOTFOUND;
	memset(&m, 0, sizeof(m));
	if ((rc = sync_decode(v[0].frame, v[0].len, 0, &m)) != 0 ||
	    m.type != SYNC_PUSH || strcmp(m.push.kind, "reply") != 0) {
		sync_msg_free(&m);
		sync_outbox_free(v, n);
		return PERR_DB;
	}
	request_init(&r, REQ_REPLY, u);
	strlcpy_p(r.uuid, m.push.uuid, sizeof(r.uuid));
	strlcpy_p(uuid, m.push.uuid, 37);
	for (i = 0; i < m.push.nfields; i++) {
		if (strcmp(m.push.fields[i].name, "thread") == 0)
			r.thread = m.push.fields[i].s;
		else if (strcmp(m.push.fields[i].name, "body") == 0)
			r.body = m.push.fields[i].s;
	}
	rc = request_apply(srv, &r, 0, res);
	sync_msg_free(&m);
	sync_outbox_free(v, n);
	return rc;
}

/* Times counts of the outbox while its table cannot be read (a view
 * whose rows fail as they are stepped): each one -1, and the lines they
 * logged, from stderr on a file. */
static int
count_unreadable(struct sync_local *sl, int times)
{
	sqlite3	*db = sync_local_outbox_db(sl);
	char	*path = t_path("count.log"), line[1024];
	FILE	*fp;
	int	 fd, saved, i, lines = 0;

	T_INT(sqlite3_exec(db, "ALTER TABLE outbox RENAME TO kept;"
	    " CREATE VIEW outbox AS SELECT * FROM kept WHERE"
	    " abs(-9223372036854775808) > 0", NULL, NULL, NULL), SQLITE_OK,
	    "the outbox cannot be read");
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	for (i = 0; i < times; i++)
		T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING), -1,
		    "a count that fails is -1, never a number");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	T_INT(sqlite3_exec(db, "DROP VIEW outbox; ALTER TABLE kept RENAME TO"
	    " outbox", NULL, NULL, NULL), SQLITE_OK, "the outbox is back");
	if ((fp = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL)
			lines += strstr(line, "outbox: count") != NULL;
		fclose(fp);
	}
	free(path);
	return lines;
}

int
main(void)
{
	static const char *const options[] = { "Во вторник", "В четверг" };
	struct store		*srv;
	struct sync_local	*sl;
	struct user		*anna, *me = NULL;
	struct request		 r;
	struct request_result	 res;
	struct sync_row		 rows[8];
	struct sync_msg		 m;
	struct sync_outbox_item	*v;
	char			*cause, *dir, *path, pushed[37];
	char			*board, *thread, *p1, *p2, *p3, *u_anna, *u_sys;
	int64_t			 bid, tid, pid1, pid2, pid3, sid, local_id;
	size_t			 n, i;

	t_tmpdir();
	srv = t_store("server.db");
	sid = t_user(srv, "sys", "Сисоп", ROLE_SYSOP);
	anna = t_user_get(srv, "anna", "Анна Ивановна", ROLE_TEACHER);
	if (board_add(srv, "math", "Математика", "", "sys") != 0 ||
	    store_int(srv, &bid, "SELECT id FROM boards", "") != 0 ||
	    post_thread_new(srv, anna, 0, bid, "Дроби", "Как объяснить дроби?",
	    &tid, &pid1) != 0 ||
	    post_reply(srv, anna, tid, pid1, "Через пирог.", &pid2) != 0) {
		printf("Bail out! the server's board\n");
		return 1;
	}
	board = uuid_of(srv, "SELECT uuid FROM boards WHERE id = ?1", bid);
	thread = uuid_of(srv, "SELECT uuid FROM threads WHERE id = ?1", tid);
	p1 = uuid_of(srv, "SELECT uuid FROM posts WHERE id = ?1", pid1);
	p2 = uuid_of(srv, "SELECT uuid FROM posts WHERE id = ?1", pid2);
	u_anna = uuid_of(srv, "SELECT uuid FROM users WHERE id = ?1", anna->id);
	u_sys = uuid_of(srv, "SELECT uuid FROM users WHERE id = ?1", sid);

	dir = t_path("cache");
	if (mkdir(dir, 0700) != 0 || sync_local_open(dir, &sl, &cause) != 0) {
		printf("Bail out! sync_local_open\n");
		return 1;
	}
	T_INT(sync_local_cursor(sl), 0, "a new copy asks for a snapshot");

	/* A snapshot in two batches. */
	rows[0] = server_row(srv, "user", "users", "uuid", u_anna);
	rows[1] = server_row(srv, "user", "users", "uuid", u_sys);
	rows[2] = server_row(srv, "board", "boards", "uuid", board);
	T_INT(batch(sl, rows, 3, 0, SYNC_BATCH_SNAPSHOT | SYNC_BATCH_FIRST |
	    SYNC_BATCH_MORE), 0, "the snapshot's first batch is kept");
	T_INT(sync_local_cursor(sl), 0, "the cursor waits for the last batch");
	rows[0] = server_row(srv, "thread", "threads", "uuid", thread);
	rows[1] = server_row(srv, "post", "posts", "uuid", p1);
	rows[2] = server_row(srv, "post", "posts", "uuid", p2);
	T_INT(batch(sl, rows, 3, 40, SYNC_BATCH_SNAPSHOT), 0,
	    "the snapshot's last batch is kept");
	T_INT(sync_local_cursor(sl), 40, "its cursor is committed");
	T_INT(copy_int(sl, "SELECT id FROM posts WHERE uuid = ?", p2), pid2,
	    "a post keeps the server's id");
	T_INT(copy_int(sl, "SELECT thread_id FROM posts WHERE uuid = ?", p2),
	    tid, "and its thread's");
	T_INT(copy_int(sl, "SELECT count(*) FROM posts_fts WHERE posts_fts"
	    " MATCH 'пирог'", NULL), 1, "the copy's search finds a post stored");
	T_INT(copy_int(sl, "SELECT count(*) FROM changes", NULL), 0,
	    "the copy keeps no change log of its own");

	/* A change: an edit arrives as the row again. */
	if (store_write(srv, NULL, "UPDATE posts SET body = 'Через пиццу.'"
	    " WHERE id = ?1", "i", pid2) != 0)
		return 1;
	rows[0] = server_row(srv, "post", "posts", "uuid", p2);
	T_INT(batch(sl, rows, 1, 41, 0), 0, "a batch of one change");
	T_INT(copy_int(sl, "SELECT count(*) FROM posts WHERE body ="
	    " 'Через пиццу.' AND uuid = ?", p2), 1, "the row is updated");
	T_INT(copy_int(sl, "SELECT count(*) FROM posts", NULL), 2,
	    "in place, not twice");
	T_INT(sync_local_cursor(sl), 41, "the cursor moves with it");

	/* A batch that fails half way keeps nothing. */
	if (post_reply(srv, anna, tid, 0, "Третий.", &pid3) != 0)
		return 1;
	p3 = uuid_of(srv, "SELECT uuid FROM posts WHERE id = ?1", pid3);
	rows[0] = server_row(srv, "post", "posts", "uuid", p3);
	rows[1] = server_row(srv, "user", "users", "uuid", u_anna);
	for (i = 0; i < rows[1].nfields; i++) {
		if (strcmp(rows[1].fields[i].name, "login") == 0)
			((struct sync_field *)rows[1].fields)[i].type =
			    SYNC_F_NULL;
	}
	T_OK(batch(sl, rows, 2, 42, 0) != 0, "a row the schema refuses fails "
	    "its batch");
	T_INT(copy_int(sl, "SELECT count(*) FROM posts WHERE uuid = ?", p3), 0,
	    "and the batch's other rows are not kept");
	T_INT(sync_local_cursor(sl), 41, "nor its cursor");
	T_INT(batch(sl, rows, 1, 42, 0), 0, "the batch sent again is kept");

	/* Me, in the copy, as the screens will ask. */
	if (user_get(sync_local_store(sl), "anna", &me) != 0) {
		printf("Bail out! anna is not in the copy\n");
		return 1;
	}
	T_INT(me->id, anna->id, "her account in the copy has the server's id");

	/* A reply written offline. */
	request_init(&r, REQ_REPLY, me);
	r.thread = thread;
	r.body = "Ответ без связи.";
	T_INT(sync_local_queue(sl, &r, &res), 0, "a reply is queued");
	local_id = res.id;
	T_OK(STORE_ID_IS_LOCAL(local_id), "its post takes a local id");
	T_INT(copy_int(sl, "SELECT count(*) FROM posts WHERE body = ?",
	    "Ответ без связи."), 1, "the copy shows it at once");
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING), 1,
	    "the outbox holds it");
	T_INT(sync_local_queue(sl, &r, &res), 0, "queued again (a resent draft)");
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING), 1,
	    "it is still one item");
	T_INT(copy_int(sl, "SELECT count(*) FROM posts WHERE body = ?",
	    "Ответ без связи."), 1, "and one post");

	/* The copy survives nothing of what it was; the outbox does. */
	sync_local_close(sl);
	path = t_path("cache/" SYNC_LOCAL_COPY);
	unlink(path);
	free(path);
	if (sync_local_open(dir, &sl, &cause) != 0) {
		printf("Bail out! reopening: %s\n", cause);
		return 1;
	}
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING), 1,
	    "a copy made again finds the outbox as it was");
	T_INT(sync_local_cursor(sl), 0, "and asks for a snapshot");
	rows[0] = server_row(srv, "user", "users", "uuid", u_anna);
	rows[1] = server_row(srv, "board", "boards", "uuid", board);
	rows[2] = server_row(srv, "thread", "threads", "uuid", thread);
	rows[3] = server_row(srv, "post", "posts", "uuid", p1);
	T_INT(batch(sl, rows, 4, 42, SYNC_BATCH_SNAPSHOT | SYNC_BATCH_FIRST),
	    0, "a snapshot in one batch");

	/* The server applies the push; its answer replaces the local row. */
	T_INT(serve_push(sl, srv, anna, &res, pushed), 0,
	    "the server applies the outbox's PUSH");
	memset(&m, 0, sizeof(m));
	m.type = SYNC_APPLIED;
	strlcpy_p(m.applied.uuid, pushed, sizeof(m.applied.uuid));
	rows[0] = server_row(srv, "post", "posts", "uuid", res.uuid);
	m.applied.rows = rows;
	m.applied.nrows = 1;
	T_INT(deliver(sl, &m), 0, "APPLIED is taken");
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING), 0,
	    "the item leaves the outbox");
	T_INT(copy_int(sl, "SELECT id FROM posts WHERE body = ?",
	    "Ответ без связи."), res.id, "the post has the server's id now");
	T_INT(copy_int(sl, "SELECT count(*) FROM posts WHERE body = ?",
	    "Ответ без связи."), 1, "and is there once");
	T_INT(deliver(sl, &m), 0, "the same APPLIED again (after a cut)");
	T_INT(copy_int(sl, "SELECT count(*) FROM posts WHERE body = ?",
	    "Ответ без связи."), 1, "changes nothing");
	T_INT(t_int(srv, "SELECT count(*) FROM posts WHERE body = ?",
	    "Ответ без связи."), 1, "the server holds it once");

	/* A refusal is kept with its reason; the local post goes. */
	request_init(&r, REQ_REPLY, me);
	r.thread = thread;
	r.body = "Ещё одно.";
	T_INT(sync_local_queue(sl, &r, &res), 0, "another reply is queued");
	m = refused(r.uuid, PERR_LOCKED, "", "Тема закрыта.");
	T_INT(deliver(sl, &m), 0, "REFUSED is taken");
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING), 0,
	    "a refused item is no longer sent");
	v = NULL;
	T_INT(sync_local_outbox(sl, SYNC_OUTBOX_REFUSED, &v, &n), 0,
	    "the refused items are listed");
	T_INT(n, 1, "one of them");
	if (n == 1) {
		T_STR(v[0].reason, "Тема закрыта.", "with the server's reason");
		T_INT(v[0].code, PERR_LOCKED, "and its code");
		T_STR(v[0].uuid, r.uuid, "under the request's UUID");
	}
	sync_outbox_free(v, n);
	T_INT(copy_int(sl, "SELECT count(*) FROM posts WHERE body = ?",
	    "Ещё одно."), 0, "the copy no longer shows the refused post");
	T_INT(sync_local_retry(sl, r.uuid), 0, "a refused item may be sent again");
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING), 1,
	    "it waits again");
	T_INT(sync_local_drop(sl, r.uuid), PERR_NOTFOUND,
	    "a waiting item cannot be deleted: it may be on its way");
	T_INT(sync_local_refused(sl, &m), 0, "refused again");
	T_INT(sync_local_mend(sl, r.uuid, NULL, "Исправлено."), 0,
	    "a refused text may be mended");
	T_INT(mended_body(sl, r.uuid, "Исправлено."), 1,
	    "it waits again, the same UUID with the new text");
	T_INT(sync_local_mend(sl, r.uuid, NULL, "Ещё раз."), PERR_NOTFOUND,
	    "only a refused item is mended");
	T_INT(sync_local_refused(sl, &m), 0, "refused once more");
	/* Her disk full (max_page_count stands in for it): the mend says
	 * so, as every other write of a full store does, and the item
	 * stays refused as it was. */
	{
		char	*big = xmalloc(20001);

		memset(big, 'x', 20000);
		big[20000] = '\0';
		T_INT(sqlite3_exec(sync_local_outbox_db(sl), "PRAGMA"
		    " max_page_count = 1", NULL, NULL, NULL), SQLITE_OK,
		    "the outbox may grow no more");
		T_INT(sync_local_mend(sl, r.uuid, NULL, big), PERR_FULL,
		    "a mend her disk has no room for is a full disk");
		T_INT(sqlite3_exec(sync_local_outbox_db(sl), "PRAGMA"
		    " max_page_count = 1073741823", NULL, NULL, NULL),
		    SQLITE_OK, "room again");
		T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_REFUSED), 1,
		    "the item is still refused");
		free(big);
	}
	/* A count that fails is said once in the log, not at every
	 * repaint of the client's header; once more after one worked. */
	T_INT(count_unreadable(sl, 3), 1, "three failed counts log one line");
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_REFUSED), 1,
	    "the outbox is counted again");
	T_INT(count_unreadable(sl, 2), 1, "a new failure logs again, once");
	T_INT(sync_local_drop(sl, r.uuid), 0, "a refused item may be deleted");
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_REFUSED), 0,
	    "then it is gone");
	T_INT(sync_local_drop(sl, r.uuid), PERR_NOTFOUND, "and only once");

	/* The copy refuses what it knows the server would. */
	if (store_write(sync_local_store(sl), NULL, "UPDATE threads SET"
	    " locked = 1 WHERE uuid = ?1", "t", thread) != 0)
		return 1;
	request_init(&r, REQ_REPLY, me);
	r.thread = thread;
	r.body = "В закрытую тему.";
	T_INT(sync_local_queue(sl, &r, &res), PERR_LOCKED,
	    "a reply to a thread locked in the copy is refused at once");
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING), 0,
	    "and not queued");

	/* A read pointer refused is dropped, not kept to be mended. */
	request_init(&r, REQ_THREAD_READ, me);
	r.thread = thread;
	r.post = p1;
	T_INT(sync_local_queue(sl, &r, &res), 0, "a read pointer is queued");
	m = refused(r.uuid, PERR_NOTFOUND, "post", "Нет такого сообщения.");
	T_INT(deliver(sl, &m), 0, "its REFUSED is taken");
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_REFUSED), 0,
	    "and it leaves the outbox");

	/* A board's coordinators come as a field of the board. */
	{
		struct sync_field	*f;
		int64_t			 ids[] = { anna->id };

		rows[0] = server_row(srv, "board", "boards", "uuid", board);
		f = (struct sync_field *)rows[0].fields;
		f[rows[0].nfields - 1].name = "coordinators";
		f[rows[0].nfields - 1].type = SYNC_F_INTS;
		f[rows[0].nfields - 1].ints = ids;
		f[rows[0].nfields - 1].n = 1;
		T_INT(batch(sl, rows, 1, 43, 0), 0, "a board with its "
		    "coordinators");
		T_INT(copy_int(sl, "SELECT user_id FROM board_coordinators",
		    NULL), anna->id, "they are the copy's coordinators");
		f[rows[0].nfields - 1].n = 0;
		T_INT(batch(sl, rows, 1, 43, 0), 0, "the board without them");
		T_INT(copy_int(sl, "SELECT count(*) FROM board_coordinators",
		    NULL), 0, "and the copy has none");
	}

	/* A delete takes the thread's posts along. */
	rows[0] = gone("thread", thread);
	T_INT(batch(sl, rows, 1, 43, 0), 0, "a thread's delete");
	T_INT(copy_int(sl, "SELECT count(*) FROM posts", NULL), 0,
	    "takes its posts");

	/* A snapshot cut in the middle, then one sweeping what is gone. */
	rows[0] = server_row(srv, "thread", "threads", "uuid", thread);
	rows[1] = server_row(srv, "post", "posts", "uuid", p1);
	rows[2] = server_row(srv, "post", "posts", "uuid", p2);
	T_INT(batch(sl, rows, 3, 44, 0), 0, "the thread is back");
	rows[0] = server_row(srv, "user", "users", "uuid", u_anna);
	rows[1] = server_row(srv, "board", "boards", "uuid", board);
	T_INT(batch(sl, rows, 2, 0, SYNC_BATCH_SNAPSHOT | SYNC_BATCH_FIRST |
	    SYNC_BATCH_MORE), 0, "a snapshot's first batch");
	T_INT(sync_local_cursor(sl), 0,
	    "cut there, the next pull is a snapshot again");
	rows[0] = server_row(srv, "user", "users", "uuid", u_anna);
	T_INT(batch(sl, rows, 1, 0, SYNC_BATCH_SNAPSHOT | SYNC_BATCH_FIRST |
	    SYNC_BATCH_MORE), 0, "the snapshot starts again");
	rows[0] = server_row(srv, "board", "boards", "uuid", board);
	rows[1] = server_row(srv, "thread", "threads", "uuid", thread);
	rows[2] = server_row(srv, "post", "posts", "uuid", p1);
	T_INT(batch(sl, rows, 3, 50, SYNC_BATCH_SNAPSHOT), 0,
	    "and ends");
	T_INT(copy_int(sl, "SELECT count(*) FROM posts WHERE uuid = ?", p2), 0,
	    "a post the snapshot left out is swept");
	T_INT(copy_int(sl, "SELECT count(*) FROM users WHERE uuid = ?", u_sys),
	    0, "so is an account");
	T_INT(copy_int(sl, "SELECT count(*) FROM posts WHERE uuid = ?", p1), 1,
	    "what it sent stays");
	T_INT(sync_local_cursor(sl), 50, "the snapshot's cursor is committed");
	T_INT(sync_local_stale(sl), 0, "STALE");
	T_INT(sync_local_cursor(sl), 0, "asks for a snapshot");

	/* Events: the event and her sign-up arrive, with the counts the
	 * server keeps; the event's delete takes the sign-up along. */
	{
		struct event_fields f = { .kind = "webinar",
		    .title = "Дроби", .place = "https://example.org/x",
		    .cap = 10, .starts_at = now_unix() + 86400 };
		int64_t	 eid = 0, gid = 0;
		char	*ev, *su;

		if (event_add(srv, NULL, "sys", bid, &f, &eid) != 0 ||
		    event_join(srv, anna, eid, NULL) != 0 ||
		    store_int(srv, &gid, "SELECT id FROM event_signups", "")
		    != 0) {
			printf("Bail out! the server's event\n");
			return 1;
		}
		ev = uuid_of(srv, "SELECT uuid FROM events WHERE id = ?1", eid);
		su = uuid_of(srv, "SELECT uuid FROM event_signups WHERE id ="
		    " ?1", gid);
		rows[0] = server_row(srv, "user", "users", "uuid", u_anna);
		rows[1] = server_row(srv, "board", "boards", "uuid", board);
		rows[2] = server_row(srv, "event", "events", "uuid", ev);
		rows[3] = server_row(srv, "event_signup", "event_signups",
		    "uuid", su);
		T_INT(batch(sl, rows, 4, 60, SYNC_BATCH_SNAPSHOT |
		    SYNC_BATCH_FIRST), 0, "a snapshot with an event");
		T_INT(copy_int(sl, "SELECT id FROM events WHERE uuid = ?", ev),
		    eid, "the event keeps the server's id");
		T_INT(copy_int(sl, "SELECT going FROM events WHERE uuid = ?",
		    ev), 1, "and its count of who comes");
		T_INT(copy_int(sl, "SELECT user_id FROM event_signups WHERE"
		    " uuid = ?", su), anna->id, "her sign-up is there");
		rows[0] = gone("event", ev);
		T_INT(batch(sl, rows, 1, 61, 0), 0, "the event's delete");
		T_INT(copy_int(sl, "SELECT count(*) FROM event_signups", NULL),
		    0, "takes her sign-up along");
	}

	/* A coordinator's poll made offline takes local ids, poll and
	 * options: the server's rows, stored beside them, never collide. */
	if (store_write(sync_local_store(sl), NULL, "INSERT INTO"
	    " board_coordinators(board_id, user_id) VALUES (?1, ?2)", "ii",
	    bid, me->id) != 0)
		return 1;
	request_init(&r, REQ_POLL_ADD, me);
	r.board = board;
	r.subject = "Когда собрание?";
	r.list = options;
	r.nlist = nitems(options);
	T_INT(sync_local_queue(sl, &r, &res), 0, "a poll is queued");
	T_OK(STORE_ID_IS_LOCAL(res.id), "the poll takes a local id");
	/* 2^62: STORE_LOCAL_ID_MIN */
	T_INT(copy_int(sl, "SELECT count(*) FROM poll_options WHERE id >= "
	    "4611686018427387904", NULL), 2, "and so do its options");

	user_free(me);
	user_free(anna);
	sync_local_close(sl);
	store_close(srv);
	free(dir);
	for (i = 0; i < npool; i++)
		free(pool[i]);
	return t_done();
}
