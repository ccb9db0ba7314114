/*
 * test-digest.c: the digest builder and its file (digest.h).  A server
 * store with two teachers, a moderator's board, a hidden post, a post
 * waiting for approval, letters between others, SSH keys and password
 * hashes; anna's digest, unpacked, must hold her board, her letters and
 * none of the rest; a board digest no one's mail; old posts stay out
 * with --since; a file cut, flipped or foreign is refused with its own
 * words; a reply packet made from her outbox parses, and is refused
 * when a byte changes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "digest.h"
#include "mail.h"
#include "perr.h"
#include "post.h"
#include "store.h"
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

int
main(void)
{
	struct digest_spec	 spec;
	struct digest_info	 di;
	struct digest_packet	 pk;
	struct store		*srv, *d;
	struct user		*anna, *boris, *sys;
	unsigned char		*buf;
	char			*path, *bpath, *cause = NULL, *p;
	const char		*only[] = { "math" };
	int64_t			 math, staff, mods, tid, pid, hid, wid, x;
	size_t			 len;

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
	free(buf);
	free(p);

	/* Packets: parse what the writer makes; refuse garbage. */
	T_OK(digest_packet_parse((const unsigned char *)"PARTAREP", 8, &pk,
	    &cause) != 0, "a packet cut after its magic is refused");
	free(cause);
	cause = NULL;

	free(path);
	free(bpath);
	user_free(anna);
	user_free(boris);
	user_free(sys);
	store_close(srv);
	return t_done();
}
