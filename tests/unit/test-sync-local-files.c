/*
 * test-sync-local-files.c: the library files of the client's outbox
 * file (sync-local.h, "files"): a fetch asked, listed, ended and asked
 * again; an upload queued as a library-file item whose PUSH carries the
 * file's digest and its description, left out of the copy, its progress
 * kept, refused by its digest with the server's reason, and forgotten
 * once given up; a fetch's state or an upload's progress that cannot be
 * read is an error, not "none"; and a poll's totals and an item's size as a batch
 * brings them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bytes.h"
#include "library.h"
#include "perr.h"
#include "request.h"
#include "store.h"
#include "sync-local.h"
#include "sync-proto.h"
#include "user.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

#define SHA_A	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static int	 forgotten;

static void
forget(const char *uuid, void *arg)
{
	(void)arg;
	(void)uuid;
	forgotten++;
}

/* The text field name of the PUSH frame, or NULL. */
static char *
field(const unsigned char *frame, size_t len, const char *name)
{
	struct sync_msg	 m;
	char		*s = NULL;
	size_t		 i;

	memset(&m, 0, sizeof(m));
	if (sync_decode(frame, len, 0, &m) == 0 && m.type == SYNC_PUSH)
		for (i = 0; i < m.push.nfields; i++)
			if (strcmp(m.push.fields[i].name, name) == 0 &&
			    m.push.fields[i].type == SYNC_F_TEXT)
				s = xstrdup(m.push.fields[i].s);
	sync_msg_free(&m);
	return s;
}

static void
test_fetches(struct sync_local *sl)
{
	struct sync_fetch	*f = NULL;
	char			 why[128];
	size_t			 n = 0;

	T_INT(sync_local_fetch_state(sl, SHA_A, why, sizeof(why)),
	    SYNC_FETCH_NONE, "a file never asked for has no fetch");
	T_INT(sync_local_fetch_ask(sl, SHA_A, "Дроби.pdf", 1000), 0,
	    "a fetch is asked for");
	T_INT(sync_local_fetch_ask(sl, SHA_B, "b.txt", 10), 0, "and another");
	T_INT(sync_local_fetches(sl, &f, &n), 0, "the fetches are listed");
	T_INT(n, 2, "both wait");
	T_STR(n > 0 ? f[0].name : NULL, "Дроби.pdf", "the oldest first, with "
	    "its name");
	sync_fetch_free(f, n);
	T_INT(sync_local_fetch_end(sl, SHA_A, "did not match"), 0,
	    "a fetch fails");
	T_INT(sync_local_fetch_state(sl, SHA_A, why, sizeof(why)),
	    SYNC_FETCH_FAILED, "it is failed");
	T_STR(why, "did not match", "with its reason");
	T_INT(sync_local_fetch_end(sl, SHA_B, NULL), 0, "the other is done");
	T_INT(sync_local_fetch_state(sl, SHA_B, why, sizeof(why)),
	    SYNC_FETCH_DONE, "and says so");
	T_INT(sync_local_fetches(sl, &f, &n), 0, "listed again");
	T_INT(n, 0, "nothing waits");
	sync_fetch_free(f, n);
	T_INT(sync_local_fetch_ask(sl, SHA_A, "Дроби.pdf", 1000), 0,
	    "the failed one is asked again");
	T_INT(sync_local_fetch_state(sl, SHA_A, why, sizeof(why)),
	    SYNC_FETCH_WAITING, "and waits again, its reason gone");
	T_STR(why, "", "no reason left");
}

/* sql on sl's outbox: 0 or -1. */
static int
outbox_exec(struct sync_local *sl, const char *sql)
{
	return sqlite3_exec(sync_local_outbox_db(sl), sql, NULL, NULL,
	    NULL) == SQLITE_OK ? 0 : -1;
}

/* Table name (fetches, uploads) cannot be read: gone (a statement
 * cannot be made), or a view whose rows fail as they are stepped. */
static void
unreadable(struct sync_local *sl, const char *name, int stepped)
{
	char	*sql;

	sql = xasprintf(stepped ? "ALTER TABLE %s RENAME TO kept;"
	    " CREATE VIEW %s AS SELECT * FROM kept WHERE"
	    " abs(-9223372036854775808) > 0" : "ALTER TABLE %s RENAME TO kept",
	    name, name);
	T_INT(outbox_exec(sl, sql), 0, "%s cannot be read (%s)", name,
	    stepped ? "stepped" : "prepared");
	free(sql);
}

static void
readable(struct sync_local *sl, const char *name)
{
	char	*sql;

	sql = xasprintf("DROP VIEW IF EXISTS %s; ALTER TABLE kept RENAME TO"
	    " %s", name, name);
	T_INT(outbox_exec(sl, sql), 0, "%s back", name);
	free(sql);
}

/* A read that fails is not a fetch never asked, nor an upload none. */
static void
test_read_errors(struct sync_local *sl, const char *uuid)
{
	char	 why[128];
	int64_t	 have, size;
	int	 stepped;

	for (stepped = 0; stepped <= 1; stepped++) {
		unreadable(sl, "fetches", stepped);
		T_INT(sync_local_fetch_state(sl, SHA_A, why, sizeof(why)),
		    SYNC_FETCH_ERROR, "a fetch state not read is an error");
		readable(sl, "fetches");
		unreadable(sl, "uploads", stepped);
		T_INT(sync_local_upload_progress(sl, uuid, &have, &size),
		    PERR_DB, "an upload's progress not read is an error");
		readable(sl, "uploads");
	}
	T_INT(sync_local_fetch_state(sl, SHA_A, why, sizeof(why)),
	    SYNC_FETCH_WAITING, "read again, the fetch waits");
	T_INT(sync_local_upload_progress(sl, uuid, &have, &size), 0,
	    "and the upload's progress is read");
}

static void
test_uploads(struct sync_local *sl, const struct user *u)
{
	struct lib_meta		 meta = { .section = "math", .title = "План",
				    .description = "5 класс", .grades = "5",
				    .tags = "дроби" };
	struct sync_upload	*v = NULL;
	struct sync_msg		 m;
	struct request		 r;
	char			*s;
	int64_t			 have, size, n64 = 0;
	size_t			 n = 0;

	request_init(&r, REQ_LIB_FILE, u);
	r.name = "План урока.pdf";
	r.meta = &meta;
	r.file = SHA_A;
	T_INT(sync_local_upload(sl, &r, 5000), 0, "an upload is queued");
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING), 1,
	    "as an item of the outbox");
	T_INT(store_int(sync_local_store(sl), &n64, "SELECT count(*) FROM"
	    " library_items", ""), 0, "the copy is read");
	T_INT(n64, 0, "the copy has no item before the server made it");
	T_INT(sync_local_uploads(sl, &v, &n), 0, "the uploads are listed");
	T_INT(n, 1, "one");
	if (n == 1) {
		T_STR(v[0].uuid, r.uuid, "under the request's UUID");
		T_INT(v[0].size, 5000, "with its size");
		T_INT(v[0].whole, 0, "not held whole yet");
		s = field(v[0].frame, v[0].len, "file");
		T_STR(s, SHA_A, "its PUSH names the file by digest");
		free(s);
		s = field(v[0].frame, v[0].len, "title");
		T_STR(s, "План", "and carries its description");
		free(s);
		s = field(v[0].frame, v[0].len, "section");
		T_STR(s, "math", "and its section");
		free(s);
	}
	sync_upload_free(v, n);
	T_INT(sync_local_upload_have(sl, r.uuid, 2000, 0), 0,
	    "the server holds some");
	T_INT(sync_local_upload_progress(sl, r.uuid, &have, &size), 0,
	    "its progress is read");
	T_INT(have * 100 / size, 40, "40%% of it");
	test_read_errors(sl, r.uuid);

	memset(&m, 0, sizeof(m));
	m.type = SYNC_REFUSED;
	strlcpy_p(m.refused.ref, SHA_B, sizeof(m.refused.ref));
	m.refused.code = PERR_LIB_QUOTA;
	m.refused.field = "";
	m.refused.reason = "Квота исчерпана";
	T_INT(sync_local_upload_refused(sl, &m), PERR_NOTFOUND,
	    "a refusal of another digest refuses nothing");
	strlcpy_p(m.refused.ref, SHA_A, sizeof(m.refused.ref));
	T_INT(sync_local_upload_refused(sl, &m), 0,
	    "a refusal of its digest refuses the item");
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_REFUSED), 1,
	    "which is kept, refused");
	T_INT(sync_local_uploads(sl, &v, &n), 0, "listed again");
	T_INT(n, 0, "a refused upload is not sent");
	sync_upload_free(v, n);
	T_INT(sync_local_upload_sweep(sl, forget, NULL), 0, "a sweep");
	T_INT(forgotten, 0, "keeps the copy of a refused upload");
	T_INT(sync_local_drop(sl, r.uuid), 0, "she gives it up");
	T_INT(sync_local_upload_sweep(sl, forget, NULL), 0, "a sweep");
	T_INT(forgotten, 1, "forgets its copy of the file then");
	T_INT(sync_local_upload_progress(sl, r.uuid, &have, &size),
	    PERR_NOTFOUND, "and its upload");
}

/* A batch of one row, through the codec, into the copy. */
static int
one_row(struct sync_local *sl, const char *entity, const char *uuid,
    struct sync_field *f, size_t nf)
{
	struct bytes_writer	 w;
	struct sync_row		 row;
	struct sync_msg		 m, got;
	int			 rc;

	memset(&row, 0, sizeof(row));
	strlcpy_p(row.entity, entity, sizeof(row.entity));
	strlcpy_p(row.uuid, uuid, sizeof(row.uuid));
	row.op = SYNC_UPSERT;
	row.fields = f;
	row.nfields = nf;
	memset(&m, 0, sizeof(m));
	m.type = SYNC_BATCH;
	m.batch.rows = &row;
	m.batch.nrows = 1;
	m.batch.cursor = 7;
	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	memset(&got, 0, sizeof(got));
	if ((rc = sync_encode(&w, &m)) == 0 &&
	    (rc = sync_decode(bytes_writer_data(&w), bytes_writer_len(&w), 1,
	    &got)) == 0)
		rc = sync_local_batch(sl, &got);
	sync_msg_free(&got);
	bytes_writer_free(&w);
	return rc;
}

static void
test_totals(struct sync_local *sl)
{
	static const int64_t	 votes[] = { 2, 1 };
	struct sync_field	 f[8];
	struct store		*st = sync_local_store(sl);
	int64_t			 v = 0;

	memset(f, 0, sizeof(f));
	f[0] = (struct sync_field){ .name = "id", .type = SYNC_F_INT, .i = 5 };
	f[1] = (struct sync_field){ .name = "board_id", .type = SYNC_F_INT,
	    .i = 1 };
	f[2] = (struct sync_field){ .name = "question", .type = SYNC_F_TEXT,
	    .s = "Идём?", .len = strlen("Идём?") };
	f[3] = (struct sync_field){ .name = "created_at", .type = SYNC_F_INT,
	    .i = 1 };
	f[4] = (struct sync_field){ .name = "votes", .type = SYNC_F_INTS,
	    .ints = votes, .n = 2 };
	f[5] = (struct sync_field){ .name = "voters", .type = SYNC_F_INT,
	    .i = 3 };
	T_INT(one_row(sl, "poll", "11111111-1111-4111-8111-111111111111", f,
	    6), 0, "a poll with its totals is kept");
	T_INT(store_int(st, &v, "SELECT votes FROM copy_poll_votes WHERE"
	    " poll_id = 5 AND n = 0", ""), 0, "its votes are kept");
	T_INT(v, 2, "by option, in order");
	T_INT(store_int(st, &v, "SELECT voters FROM copy_poll_voters WHERE"
	    " poll_id = 5", ""), 0, "its voters are kept");
	T_INT(v, 3, "as the server counted them");

	memset(f, 0, sizeof(f));
	f[0] = (struct sync_field){ .name = "id", .type = SYNC_F_INT, .i = 9 };
	f[1] = (struct sync_field){ .name = "sha256", .type = SYNC_F_TEXT,
	    .s = SHA_B, .len = 64 };
	f[2] = (struct sync_field){ .name = "size", .type = SYNC_F_INT,
	    .i = 4096 };
	T_INT(one_row(sl, "library", "22222222-2222-4222-8222-222222222222",
	    f, 3), 0, "an item with its size is kept");
	T_INT(store_int(st, &v, "SELECT size FROM blobs WHERE sha256 = ?1",
	    "t", SHA_B), 0, "its file's size is in the copy");
	T_INT(v, 4096, "as the server has it");
}

int
main(void)
{
	struct sync_local	*sl;
	struct store		*srv;
	struct user		*anna;
	char			*cause, *dir;

	t_tmpdir();
	srv = t_store("server.db");
	anna = t_user_get(srv, "anna", "Анна Ивановна", ROLE_TEACHER);
	dir = t_path("cache");
	if (mkdir(dir, 0700) != 0 || sync_local_open(dir, &sl, &cause) != 0) {
		printf("Bail out! sync_local_open\n");
		return 1;
	}
	test_fetches(sl);
	test_uploads(sl, anna);
	test_totals(sl);
	sync_local_close(sl);
	user_free(anna);
	store_close(srv);
	free(dir);
	t_tmp_cleanup();
	return t_done();
}
