/*
 * test-digest.c: the digest builder and its file (digest.h).  A server
 * store with two teachers, a moderator's board, a hidden post, a post
 * waiting for approval, letters between others, SSH keys and password
 * hashes; anna's digest, unpacked, must hold her board, her letters and
 * none of the rest; a board digest no one's mail; old posts stay out
 * with --since; a file cut, flipped or foreign is refused with its own
 * words, and so are one of format 1, one whose rows (checksum right) do
 * not read and one from a newer schema; the dump keeps every kind of
 * value as it was; a reply packet made from her outbox parses, and is
 * refused when a byte changes.  In a reading, her edit of her unsent
 * reply is folded into it and her delete takes it out, so that the
 * import posts the edited text once and never the deleted one; a post
 * the server has is refused; a packet of another digest, or another
 * user's, is not loaded.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zstd.h>

#include "board.h"
#include "bytes.h"
#include "digest-dump.h"
#include "digest.h"
#include "mail.h"
#include "perr.h"
#include "post.h"
#include "request.h"
#include "store.h"
#include "sync-local.h"
#include "user.h"
#include "userkey.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl anna@school"

/* Unpack the digest at path into a new directory name and open it. */
static struct store *
unpacked(const char *path, const char *name, struct digest_info *di)
{
	struct store	*st;
	char		*dir = t_path(name), *copy, *cause = NULL;

	if (mkdir(dir, 0700) != 0 || digest_unpack(path, dir, di, 0,
	    &cause) != 0) {
		printf("Bail out! unpack %s: %s\n", path, cause);
		exit(1);
	}
	copy = xasprintf("%s/copy.db", dir);
	if (store_open_mode(copy, STORE_READONLY, &st, &cause) != 0) {
		printf("Bail out! open %s: %s\n", copy, cause);
		exit(1);
	}
	free(copy);
	free(dir);
	return st;
}

static int
refused(const char *path, const char *words)
{
	struct digest_info	 di;
	char			*dir = t_path("bad"), *cause = NULL;
	int			 rc;

	(void)mkdir(dir, 0700);
	rc = digest_unpack(path, dir, &di, 0, &cause) != 0 && cause != NULL &&
	    strstr(cause, words) != NULL;
	if (!rc)
		printf("# %s: %s\n", path, cause != NULL ? cause : "(opened)");
	free(cause);
	free(dir);
	return rc;
}

static void
write_file(const char *path, const void *p, size_t len)
{
	FILE	*fp = fopen(path, "wb");

	if (fp == NULL || fwrite(p, 1, len, fp) != len || fclose(fp) != 0)
		abort();
}

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE		*fp = fopen(path, "rb");
	unsigned char	*buf = xmalloc(1 << 22);

	if (fp == NULL)
		abort();
	*len = fread(buf, 1, 1 << 22, fp);
	fclose(fp);
	return buf;
}


/* A digest file of format 2 around the dump raw (rawlen bytes), with
 * its checksum right: what only a forger (or a bug) makes. */
static void
forge(const char *path, const void *raw, size_t rawlen)
{
	static const char	 meta[] = "format=2\nuuid=00000000-0000-4000-"
	    "8000-000000000000\nserver=s\nuser=anna\n";
	struct bytes_writer	 w;
	unsigned char		 sum[32], z[4096];
	unsigned int		 sl;
	size_t			 zlen;
	EVP_MD_CTX		*md = EVP_MD_CTX_new();

	zlen = ZSTD_compress(z, sizeof(z), raw, rawlen, 3);
	if (ZSTD_isError(zlen) || md == NULL)
		abort();
	bytes_writer_init(&w, 1 << 20);
	bytes_put_raw(&w, "PARTADIG", 8);
	bytes_put_u32(&w, DIGEST_FORMAT);
	bytes_put_u32(&w, 0);
	bytes_put_u32(&w, sizeof(meta) - 1);
	bytes_put_u32(&w, 0);
	bytes_put_u64(&w, zlen);
	bytes_put_u64(&w, rawlen);
	memset(sum, 0, sizeof(sum));
	bytes_put_raw(&w, sum, sizeof(sum));
	bytes_put_raw(&w, meta, sizeof(meta) - 1);
	bytes_put_raw(&w, z, zlen);
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(md, bytes_writer_data(&w), 40) != 1 ||
	    EVP_DigestUpdate(md, (const unsigned char *)bytes_writer_data(&w) +
	    72, bytes_writer_len(&w) - 72) != 1 ||
	    EVP_DigestFinal_ex(md, sum, &sl) != 1)
		abort();
	EVP_MD_CTX_free(md);
	memcpy((unsigned char *)bytes_writer_data(&w) + 40, sum, 32);
	write_file(path, bytes_writer_data(&w), bytes_writer_len(&w));
	bytes_writer_free(&w);
}

/* The table odd of the dump in w, read back: its values, row by row. */
static int
odd_values(struct bytes_writer *w, struct digest_value *out, size_t n)
{
	struct digest_dump	 d;
	struct digest_table	 t;
	int			 got, found = 0;

	if (digest_dump_open(&d, bytes_writer_data(w),
	    bytes_writer_len(w)) != 0)
		return -1;
	while ((got = digest_dump_next(&d, &t)) == 1) {
		if (t.namelen == 3 && memcmp(t.name, "odd", 3) == 0 &&
		    t.nrows * t.ncols == n) {
			memcpy(out, t.v, n * sizeof(*out));
			found = 1;
		}
		digest_table_free(&t);
	}
	return got == 0 && found ? 0 : -1;
}

/* A dump of one table of n NULLs in one column: every value is its tag
 * byte, so only the cap on values refuses a huge one. */
static int
nulls_read(size_t n)
{
	struct digest_dump	 d;
	struct digest_table	 t;
	unsigned char		*buf = xcalloc(n + 32, 1), *p = buf;
	size_t			 v;
	int			 got;

	*p++ = 1;			/* schema */
	*p++ = 1;			/* one table */
	*p++ = 1;
	*p++ = 'x';
	for (v = n; v >= 0x80; v >>= 7)	/* rows */
		*p++ = (unsigned char)(v | 0x80);
	*p++ = (unsigned char)v;
	*p++ = 1;			/* one column */
	*p++ = 1;
	*p++ = 'c';
	p += n;				/* the tags: DIGEST_V_NULL */
	got = digest_dump_open(&d, buf, (size_t)(p - buf)) == 0 ?
	    digest_dump_next(&d, &t) : -2;
	if (got == 1)
		digest_table_free(&t);
	free(buf);
	return got;
}

/* Count of the server's posts with body. */
static int64_t
bodies(struct store *st, const char *body)
{
	return t_int(st, "SELECT count(*) FROM posts WHERE body = ?", body);
}

/* Her reply to thread (to post to, or NULL) in reading sl, its post's
 * UUID into made: sync_local_queue()'s code. */
static int
reply(struct sync_local *sl, const struct user *u, const char *thread,
    const char *to, const char *body, char made[37])
{
	struct request_result	 res;
	struct request		 r;
	int			 rc;

	request_init(&r, REQ_REPLY, u);
	r.thread = thread;
	r.post = to;
	r.body = body;
	rc = sync_local_queue(sl, &r, &res);
	strlcpy_p(made, res.uuid, 37);
	return rc;
}

/* The first column of sql over param in st, into out (37 bytes): 0 or
 * the store's code. */
static int
uuid_by(struct store *st, const char *sql, const char *param, char out[37])
{
	sqlite3_stmt	*stmt = store_stmt(st, sql, "t", param);
	int		 rc;

	*out = '\0';
	if ((rc = store_first(st, stmt, "test")) == 0)
		strlcpy_p(out, (const char *)sqlite3_column_text(stmt, 0), 37);
	sqlite3_finalize(stmt);
	return rc;
}

/* Her new thread on board in reading sl, its first post's UUID into
 * start: sync_local_queue()'s code, or the lookup's. */
static int
thread_of(struct sync_local *sl, const struct user *u, const char *board,
    const char *subject, const char *body, char start[37])
{
	struct request_result	 res;
	struct request		 r;
	int			 rc;

	request_init(&r, REQ_THREAD_NEW, u);
	r.board = board;
	r.subject = subject;
	r.body = body;
	if ((rc = sync_local_queue(sl, &r, &res)) != 0)
		return rc;
	return uuid_by(sync_local_store(sl), "SELECT p.uuid FROM posts p JOIN"
	    " threads t ON t.id = p.thread_id WHERE t.uuid = ?1", res.uuid,
	    start);
}

/* Her edit (body) or delete (NULL) of post in reading sl, with the
 * client's edit window: sync_local_fold()'s code. */
static int
change(struct sync_local *sl, const struct user *u, const char *post,
    const char *body)
{
	struct request_result	 res;
	struct request		 r;

	request_init(&r, body != NULL ? REQ_POST_EDIT : REQ_POST_DELETE, u);
	r.post = post;
	r.body = body;
	r.number = 60;
	return sync_local_fold(sl, &r, &res);
}

/*
 * A reading of anna's digest at path (its thread tid, post pid of the
 * server srv): replies edited and deleted before they are sent, then
 * the packet imported, twice.
 */
static void
folds(struct store *srv, const char *path, int64_t tid, int64_t pid)
{
	struct digest_info	 di;
	struct digest_load	 dl;
	struct sync_local	*sl;
	struct user		*u;
	unsigned char		*buf;
	char			*dir = t_path("reading"), *pk = t_path("p.reply");
	char			 thread[37], post[37], first[37], second[37];
	char			 third[37], board[37], start[37], tnew[37];
	char			*cause = NULL;
	size_t			 n, len;

	if (mkdir(dir, 0700) != 0 || digest_unpack(path, dir, &di, 0,
	    &cause) != 0 || sync_local_open(dir, &sl, &cause) != 0 ||
	    user_get(sync_local_store(sl), "anna", &u) != 0 ||
	    request_uuid_of(srv, REQF_THREAD, tid, thread) != 0 ||
	    request_uuid_of(srv, REQF_POST, pid, post) != 0 ||
	    uuid_by(srv, "SELECT uuid FROM boards WHERE name = ?1", "math",
	    board) != 0) {
		printf("Bail out! a reading: %s\n", cause);
		exit(1);
	}
	T_INT(reply(sl, u, thread, NULL, "Первый ответ.", first), 0,
	    "her reply is queued");
	T_INT(change(sl, u, first, "Первый ответ, исправленный."), 0,
	    "her edit of it is folded");
	T_INT(t_int(sync_local_store(sl), "SELECT count(*) FROM posts WHERE"
	    " body = ?", "Первый ответ, исправленный."), 1,
	    "the copy shows the new text");
	T_INT(reply(sl, u, thread, NULL, "Второй ответ.", second), 0,
	    "a second reply");
	T_INT(reply(sl, u, thread, second, "Ответ на второй.", third), 0,
	    "and a reply to it");
	T_INT(change(sl, u, second, NULL), PERR_ANSWERED,
	    "a reply another waiting reply answers is not deleted");
	T_INT(change(sl, u, third, NULL), 0, "the answer is deleted");
	T_INT(change(sl, u, second, NULL), 0, "then the reply it answered");
	T_INT(t_int(sync_local_store(sl), "SELECT count(*) FROM posts WHERE"
	    " body LIKE ?", "%втор%"), 0, "both gone from the copy");
	T_INT(change(sl, u, post, "Чужой текст."), PERR_SENT_POST,
	    "a post the server has is not changed from a reading");
	T_INT(thread_of(sl, u, board, "Новая тема", "Начало.", start), 0,
	    "a new thread of hers");
	T_INT(change(sl, u, start, "Начало, исправленное."), 0,
	    "an edit of its first post is folded into it");
	T_INT(uuid_by(sync_local_store(sl), "SELECT t.uuid FROM threads t JOIN"
	    " posts p ON p.thread_id = t.id WHERE p.uuid = ?1", start,
	    tnew), 0, "its thread");
	T_INT(reply(sl, u, tnew, NULL, "Ответ себе.", third), 0,
	    "a reply in it");
	T_INT(change(sl, u, start, NULL), PERR_ANSWERED,
	    "the thread is not deleted while a reply in it waits");
	T_INT(change(sl, u, third, NULL), 0, "the reply is");
	T_INT(change(sl, u, start, NULL), 0, "then the thread");
	T_INT(t_int(sync_local_store(sl), "SELECT count(*) FROM threads WHERE"
	    " subject = ?", "Новая тема"), 0, "gone from the copy");
	T_INT(reply(sl, u, thread, NULL, "Третий ответ.", third), 0,
	    "a third reply, left as it is");
	T_INT(change(sl, u, third, "Третий ответ, исправленный."), 0,
	    "then edited");
	T_INT(change(sl, u, third, "Третий ответ, исправленный дважды."), 0,
	    "and edited again");
	T_INT(thread_of(sl, u, board, "Вторая тема", "Её начало.", start), 0,
	    "another thread of hers");
	T_INT(change(sl, u, start, "Её начало, исправленное."), 0,
	    "edited, and kept");
	T_INT(sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING), 3,
	    "the outbox holds three posts (and no read marks)");
	T_INT(digest_packet_write(sl, &di, pk, &n, &cause), 0,
	    "the packet is written");
	T_INT((int64_t)n, 3, "with those three");
	buf = read_file(pk, &len);
	T_INT(digest_import(srv, buf, len, NULL, NULL, &cause), 0,
	    "the sysop imports it");
	T_INT(bodies(srv, "Первый ответ, исправленный.") +
	    bodies(srv, "Третий ответ, исправленный дважды.") +
	    bodies(srv, "Её начало, исправленное."), 3,
	    "the edited texts are posted, as last edited");
	T_INT(bodies(srv, "Первый ответ.") + bodies(srv, "Второй ответ.") +
	    bodies(srv, "Ответ на второй.") + bodies(srv, "Начало.") +
	    bodies(srv, "Начало, исправленное.") + bodies(srv, "Ответ себе.") +
	    bodies(srv, "Третий ответ.") + bodies(srv, "Её начало."), 0,
	    "not the text before the edit, nor the deleted replies");
	T_INT(digest_import(srv, buf, len, NULL, NULL, &cause), 0,
	    "imported again");
	T_INT(bodies(srv, "Первый ответ, исправленный."), 1, "still once");
	free(buf);
	T_INT(digest_packet_load(sl, pk, di.uuid, "anna", &dl, &cause), 0,
	    "her packet loads into her reading");
	T_INT((int64_t)dl.again, 3, "as the items it holds");
	T_INT(digest_packet_load(sl, pk, "00000000-0000-4000-8000-000000000000",
	    "anna", &dl, &cause), -1, "another digest's packet is refused");
	T_OK(cause != NULL && strstr(cause, "another digest") != NULL,
	    "saying so");
	free(cause);
	cause = NULL;
	T_INT(digest_packet_load(sl, pk, NULL, "boris", &dl, &cause), -1,
	    "so is another user's");
	free(cause);
	user_free(u);
	sync_local_close(sl);
	digest_info_free(&di);
	free(pk);
	free(dir);
}

int
main(void)
{
	struct digest_spec	 spec;
	struct digest_info	 di;
	struct digest_packet	 pk;
	struct store		*srv, *d;
	struct user		*anna, *boris, *sys;
	unsigned char		*buf;
	char			*path, *bpath, *cause = NULL, *p, *copy;
	const char		*only[] = { "math" };
	int64_t			 math, staff, mods, tid, pid, hid, wid, x;
	size_t			 len;

	T_INT(nulls_read(1000), 1, "a table of a thousand NULLs reads");
	T_INT(nulls_read(((size_t)1 << 24) + 1), -1,
	    "a table claiming more values than the cap is refused");

	t_tmpdir();
	srv = t_store("server.db");
	sys = t_user_get(srv, "sys", "Сисоп", ROLE_SYSOP);
	anna = t_user_get(srv, "anna", "Анна", ROLE_TEACHER);
	boris = t_user_get(srv, "boris", "Борис", ROLE_TEACHER);
	if (board_add(srv, "math", "Математика", "", "sys") != 0 ||
	    board_add(srv, "staff", "Учительская", "", "sys") != 0 ||
	    board_add(srv, "mods", "Модерация", "", "sys") != 0 ||
	    board_edit(srv, "staff", "read", "sysop", "sys") != 0 ||
	    board_edit(srv, "mods", "premoderated", "yes", "sys") != 0 ||
	    store_int(srv, &math, "SELECT id FROM boards WHERE name = 'math'",
	    "") != 0 ||
	    store_int(srv, &staff, "SELECT id FROM boards WHERE name ="
	    " 'staff'", "") != 0 ||
	    store_int(srv, &mods, "SELECT id FROM boards WHERE name = 'mods'",
	    "") != 0 ||
	    post_thread_new(srv, boris, 0, math, "Дроби", "Видно всем.", &tid,
	    &pid) != 0 ||
	    post_reply(srv, boris, tid, pid, "Скрытый ответ.", &hid) != 0 ||
	    post_hide(srv, sys, "sys", hid, "спам") != 0 ||
	    post_thread_new(srv, sys, 0, staff, "Тайна", "Только сисопу.", &x,
	    &x) != 0 ||
	    post_thread_new(srv, boris, 0, mods, "Ждёт", "Ждёт одобрения.",
	    &wid, &x) != 0 ||
	    mail_send(srv, boris->id, "anna", "Анне", "Письмо Анне.", 0,
	    NULL) != 0 ||
	    mail_send(srv, anna->id, "sys", "Сисопу", "Чужое письмо.", 0,
	    NULL) != 0 ||
	    mail_send(srv, boris->id, "sys", "Сисопу", "Письмо Бориса.", 0,
	    NULL) != 0 ||
	    userkey_add(srv, anna->id, KEY) != 0) {
		printf("Bail out! the server's store\n");
		return 1;
	}
	(void)store_write(srv, NULL, "UPDATE users SET pw_hash = '$y$secret'",
	    "");

	memset(&spec, 0, sizeof(spec));
	spec.login = "anna";
	spec.level = 3;
	path = t_path("anna.pdg");
	T_INT(digest_export(srv, &spec, path, &di, &cause), 0,
	    "anna's digest is made");
	T_INT(di.posts, 1, "it counts the one post she may see");
	T_OK(di.has_key, "a personal digest has a reply key");
	T_INT(t_int(srv, "SELECT count(*) FROM digests WHERE uuid = ?",
	    di.uuid), 1, "the server keeps its key");
	digest_info_free(&di);
	folds(srv, path, tid, pid);

	d = unpacked(path, "anna", &di);
	T_STR(store_meta(d)->kind, "digest", "the store inside is a digest");
	T_STR(store_meta(d)->owner, "anna", "made for anna");
	T_STR(di.user, "anna", "the meta says whose");
	T_STR(di.boards, "math,mods", "and which boards");
	T_INT(t_int(d, "SELECT count(*) FROM posts WHERE body = ?",
	    "Видно всем."), 1, "the visible post is there");
	T_INT(t_int(d, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH"
	    " ?", "видно"), 1, "and found: the index is made again");
	T_INT(t_int(d, "SELECT count(*) FROM posts WHERE body = ?",
	    "Скрытый ответ."), 0, "a hidden post is not");
	T_INT(t_int(d, "SELECT count(*) FROM boards WHERE name = ?", "staff"),
	    0, "a board above her role is not");
	T_INT(t_int(d, "SELECT count(*) FROM posts WHERE body = ?",
	    "Только сисопу."), 0, "nor its posts");
	T_INT(t_int(d, "SELECT count(*) FROM threads WHERE subject = ?",
	    "Ждёт"), 0, "a thread waiting for approval is not");
	T_INT(t_int(d, "SELECT count(*) FROM mail WHERE body = ?",
	    "Письмо Анне."), 1, "her letter is there");
	T_INT(t_int(d, "SELECT count(*) FROM mail WHERE body = ?",
	    "Чужое письмо."), 1, "and the one she sent");
	T_INT(t_int(d, "SELECT count(*) FROM mail WHERE body = ?",
	    "Письмо Бориса."), 0, "other users' mail is not");
	T_INT(t_int(d, "SELECT count(*) FROM users WHERE pw_hash IS NOT NULL",
	    NULL), 0, "no password hash");
	T_INT(t_int(d, "SELECT count(*) FROM user_keys", NULL), 0,
	    "no SSH keys");
	T_INT(t_int(d, "SELECT count(*) FROM digests", NULL), 0,
	    "no reply keys in the store");
	T_INT(t_int(d, "SELECT count(*) FROM drafts", NULL), 0, "no drafts");
	T_INT(t_int(d, "SELECT count(*) FROM users WHERE ban_reason IS NOT"
	    " NULL OR (login <> 'anna' AND lang <> 'ru')", NULL), 0,
	    "no one else's private columns");
	store_close(d);
	digest_info_free(&di);

	/* The working copy is scratch: its commits are not synced (the
	 * reader's indexer held the write lock through slow syncs, CI);
	 * the server's are, FULL. */
	p = t_path("anna");
	copy = xasprintf("%s/copy.db", p);
	free(p);
	T_INT(store_open_mode(copy, STORE_LOCAL, &d, &cause), 0,
	    "the working copy opens to be written");
	T_OK(store_is_scratch(d), "as scratch");
	T_INT(t_int(d, "PRAGMA synchronous", NULL), 0, "not synced (OFF)");
	store_close(d);
	free(copy);
	T_OK(!store_is_scratch(srv), "the server's store is not scratch");
	T_INT(t_int(srv, "PRAGMA synchronous", NULL), 2, "it is synced (FULL)");

	/* A board digest for a shared computer: no one's mail. */
	memset(&spec, 0, sizeof(spec));
	spec.boards = only;
	spec.nboards = 1;
	bpath = t_path("board.pdg");
	T_INT(digest_export(srv, &spec, bpath, &di, &cause), 0,
	    "a board digest is made");
	T_OK(!di.has_key, "with no reply key");
	digest_info_free(&di);
	d = unpacked(bpath, "board", &di);
	T_INT(t_int(d, "SELECT count(*) FROM mail", NULL), 0, "no mail");
	T_INT(t_int(d, "SELECT count(*) FROM mail_boxes", NULL), 0,
	    "no mail boxes");
	T_INT(t_int(d, "SELECT count(*) FROM boards", NULL), 1,
	    "only the board asked for");
	T_STR(di.user, "", "for no one");
	store_close(d);
	digest_info_free(&di);

	/* Since tomorrow: nothing new. */
	memset(&spec, 0, sizeof(spec));
	spec.login = "anna";
	spec.since = time(NULL) + 86400;
	p = t_path("empty.pdg");
	T_INT(digest_export(srv, &spec, p, &di, &cause), 0,
	    "a digest of nothing new is made");
	T_INT(di.posts, 0, "with no posts");
	digest_info_free(&di);
	free(p);

	/* Bad files. */
	buf = read_file(path, &len);
	p = t_path("cut.pdg");
	write_file(p, buf, len - 10);
	T_OK(refused(p, "truncated"), "a cut file is truncated");
	write_file(p, buf, 40);
	T_OK(refused(p, "truncated"), "a file cut in its header too");
	buf[len - 5] ^= 1;
	write_file(p, buf, len);
	T_OK(refused(p, "damaged"), "a flipped byte is damage");
	write_file(p, "", 0);
	T_OK(refused(p, "empty"), "an empty file is empty");
	write_file(p, "SQLite format 3\0xxxxxxxxxxxxxxxx", 32);
	T_OK(refused(p, "SQLite database"), "an SQLite file is named");
	write_file(p, "hello, world", 12);
	T_OK(refused(p, "not a parta digest"), "anything else is foreign");
	buf[len - 5] ^= 1;
	buf[11] = 9;
	write_file(p, buf, len);
	T_OK(refused(p, "newer parta"), "a newer format says so");
	buf[11] = 1;
	write_file(p, buf, len);
	T_OK(refused(p, "older parta (digest format 1"),
	    "format 1 (the SQLite file itself) is refused as older");
	forge(p, "\x11\x01\x05posts\x09", 9);
	T_OK(refused(p, "its rows do not read"),
	    "a dump that does not read is damage, checksum or not");
	forge(p, "\xe7\x07\x00", 3);
	T_OK(refused(p, "newer parta (its store's schema 999"),
	    "a dump from a newer schema says so");
	free(buf);
	free(p);

	/* Every kind of value comes back as it was. */
	{
		struct bytes_writer	 w;
		struct digest_value	 v[12];

		T_INT(store_exec(srv, "CREATE TABLE odd(a, b);"
		    " INSERT INTO odd VALUES (1.5, x'00ff'), (-5,"
		    " 9223372036854775807), (-9223372036854775808, NULL),"
		    " ('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'ABCDEF01-"
		    "2345-4678-89AB-CDEF01234567'), ('', 'ёлка'),"
		    " (0, 'bench-user-0')"), 0, "a table of odd values");
		bytes_writer_init(&w, 1 << 24);
		T_INT(digest_dump_write(srv, &w), 0, "the store is dumped");
		T_INT(odd_values(&w, v, 12), 0, "and read back");
		T_OK(v[0].type == DIGEST_V_REAL && v[0].r == 1.5, "a real");
		T_OK(v[1].type == DIGEST_V_BLOB && v[1].len == 2 &&
		    memcmp(v[1].p, "\x00\xff", 2) == 0, "a blob");
		T_OK(v[2].type == DIGEST_V_INT && v[2].i == -5 &&
		    v[4].i == INT64_MIN, "integers, down");
		T_OK(v[3].type == DIGEST_V_INT && v[3].i == INT64_MAX,
		    "and up to the largest");
		T_OK(v[5].type == DIGEST_V_NULL, "a NULL");
		T_OK(v[6].type == DIGEST_V_UUID && v[6].p[0] == 0x0a &&
		    v[6].p[15] == 0x4d, "a UUID in 16 bytes");
		T_OK(v[7].type == DIGEST_V_TEXT && v[7].len == 36,
		    "one in capitals stays text");
		T_OK(v[8].type == DIGEST_V_TEXT && v[8].len == 0 &&
		    v[9].type == DIGEST_V_TEXT && v[9].len == 8 &&
		    memcmp(v[9].p, "ёлка", 8) == 0, "texts, empty or not");
		T_OK(v[10].type == DIGEST_V_INT && v[10].i == 0 &&
		    v[11].type == DIGEST_V_TEXT, "a zero, a login");
		bytes_writer_free(&w);
	}

	/* Packets: parse what the writer makes; refuse garbage. */
	T_OK(digest_packet_parse((const unsigned char *)"PARTAREP", 8, &pk,
	    &cause) != 0, "a packet cut after its magic is refused");
	free(cause);
	cause = NULL;
	/* What a reading rewrites its packet for (reader.c): her writes. */
	T_OK(digest_packet_carries("reply") &&
	    digest_packet_carries("thread-new") &&
	    digest_packet_carries("mail-send"), "a packet carries her writes");
	T_OK(!digest_packet_carries("thread-read") &&
	    !digest_packet_carries("profile") && !digest_packet_carries(""),
	    "not her read marks, nor changes to her account");

	free(path);
	free(bpath);
	user_free(anna);
	user_free(boris);
	user_free(sys);
	store_close(srv);
	return t_done();
}
