/*
 * test-sync-files.c: FILE_GET and FILE_PUT of parta-sync (bbs/sync-files.c)
 * over a real store: who may fetch which file, each chunk's digest, a
 * download counted once, uploads resumed across connections, chunks at
 * the wrong offset, size and quota judged before a byte is stored, a
 * digest that does not match, stale uploads removed, and the library
 * item made once from a held upload by a PUSH sent twice.
 *
 * Frames go through the codec both ways: each question is a struct
 * sync_msg as the server's decoder gives it, each answer is decoded
 * from the bytes sync_files_answer() wrote, as a client would.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "blob.h"
#include "bytes.h"
#include "library.h"
#include "perr.h"
#include "request.h"
#include "sync-files.h"
#include "sync-proto.h"
#include "t.h"
#include "t-tmp.h"
#include "user.h"
#include "util.h"

#define CHUNK	SYNC_MAX_CHUNK
#define WEEK	(7 * 86400)

static struct store	*st;
static struct user	*anna, *boris, *eve;

/* A file's bytes and digests. */
struct tfile {
	unsigned char	*data;
	size_t		 size;
	unsigned char	 sha[32];
	char		 hex[BLOB_HEX];
};

static void
tfile_make(struct tfile *f, size_t size, unsigned seed)
{
	unsigned int	 len = 32;
	size_t		 i;

	f->data = xmalloc(size > 0 ? size : 1);
	f->size = size;
	for (i = 0; i < size; i++) {
		seed = seed * 1103515245u + 12345u;
		f->data[i] = (unsigned char)(seed >> 16);
	}
	EVP_Digest(f->data, size, f->sha, &len, EVP_sha256(), NULL);
	hex_format(f->sha, 32, f->hex);
}

/* Make f an item of section by u, through the upload folder. */
static int64_t
tfile_item(const struct tfile *f, const struct user *u, const char *section,
    const char *name)
{
	struct lib_meta	 m = { .section = section, .title = name,
			    .description = "", .grades = "5", .tags = "" };
	char		*dir = library_upload_dir(st, u->id), *path;
	const char	*bad;
	int64_t		 id = 0;
	FILE		*fp;

	path = xasprintf("%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL ||
	    fwrite(f->data, 1, f->size, fp) != f->size || fclose(fp) != 0 ||
	    library_add_file(st, u->id, name, &m, &id, &bad) != 0) {
		printf("Bail out! cannot make the item %s\n", name);
		exit(1);
	}
	free(path);
	free(dir);
	return id;
}

/*
 * Give in to sf and decode the one frame it answered into *m (free it
 * with sync_msg_free()): sync_files_answer()'s result, or -2 when the
 * answer is not exactly one frame a client accepts.
 */
static int
ask(struct sync_files *sf, const struct sync_msg *in, struct sync_msg *m)
{
	struct bytes_writer	 w;
	char			*cause = NULL;
	size_t			 len = 0;
	int			 rc;

	memset(m, 0, sizeof(*m));
	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	rc = sync_files_answer(sf, in, &w, &cause);
	if (rc == 0 && (sync_frame_len(bytes_writer_data(&w),
	    bytes_writer_len(&w), &len) != 1 || len != bytes_writer_len(&w) ||
	    sync_decode(bytes_writer_data(&w), len, 1, m) != 0))
		rc = -2;
	if (cause != NULL)
		printf("# cause: %s\n", cause);
	free(cause);
	bytes_writer_free(&w);
	return rc;
}

static int
get(struct sync_files *sf, const unsigned char *sha, uint64_t off,
    uint32_t len, struct sync_msg *m)
{
	struct sync_msg	 in = { .type = SYNC_FILE_GET };

	memcpy(in.file_get.sha256, sha, 32);
	in.file_get.offset = off;
	in.file_get.length = len;
	return ask(sf, &in, m);
}

/* FILE_PUT of f's bytes [off, off + n) under f's digest and size. */
static int
put(struct sync_files *sf, const struct tfile *f, uint64_t off, size_t n,
    struct sync_msg *m)
{
	struct sync_msg	 in = { .type = SYNC_FILE_PUT };

	memcpy(in.file_put.sha256, f->sha, 32);
	in.file_put.size = f->size;
	in.file_put.offset = off;
	in.file_put.name = "План урока.txt";
	in.file_put.data = f->data + off;
	in.file_put.len = n;
	return ask(sf, &in, m);
}

/* The answer m is FILE_HAVE of f with have bytes. */
static int
is_have(const struct sync_msg *m, const struct tfile *f, uint64_t have)
{
	return m->type == SYNC_FILE_HAVE && m->file_have.have == have &&
	    memcmp(m->file_have.sha256, f->sha, 32) == 0;
}

/* The answer m is REFUSED of f's digest with code. */
static int
is_refused(const struct sync_msg *m, const char *hex, int code)
{
	return m->type == SYNC_REFUSED && m->refused.code == code &&
	    strcmp(m->refused.ref, hex) == 0;
}

/* The refusal's sentence and field of m, or "(not refused)". */
static const char *
reason(const struct sync_msg *m)
{
	return m->type == SYNC_REFUSED ? m->refused.reason : "(not refused)";
}

/*
 * FILE_PUT of f's bytes [off, off + n) is answered (the check "what:
 * answered") with REFUSED of f's digest and code (the check "what:
 * desc"), its sentence naming words unless words is NULL (a third).
 */
static void
put_refused(struct sync_files *sf, const struct tfile *f, uint64_t off,
    size_t n, int code, const char *words, const char *what,
    const char *desc)
{
	struct sync_msg	 m;

	T_INT(put(sf, f, off, n, &m), 0, "%s: answered", what);
	T_OK(is_refused(&m, f->hex, code), "%s: %s", what, desc);
	if (words != NULL)
		T_OK(strstr(reason(&m), words) != NULL,
		    "%s: the refusal says \"%s\" (%s)", what, words, reason(&m));
	sync_msg_free(&m);
}

static const char *
field(const struct sync_msg *m)
{
	return m->type == SYNC_REFUSED ? m->refused.field : "(not refused)";
}

/* Send all of f from what the server holds, in chunks: the last have. */
static uint64_t
put_all(struct sync_files *sf, const struct tfile *f, uint64_t from)
{
	struct sync_msg	 m;
	uint64_t	 off = from;
	size_t		 n;

	do {
		n = f->size - off < CHUNK ? f->size - off : CHUNK;
		if (put(sf, f, off, n, &m) != 0 || m.type != SYNC_FILE_HAVE) {
			sync_msg_free(&m);
			return (uint64_t)-1;
		}
		off = m.file_have.have;
		sync_msg_free(&m);
	} while (off < f->size && n > 0);
	return off;
}

/* The size of user u's held file name ("" + sha + suffix), -1 if none. */
static int64_t
held_size(const struct user *u, const char *hex, const char *suffix)
{
	char		*dir = library_held_dir(st, u->id), *path;
	struct stat	 sb;
	int64_t		 n;

	path = xasprintf("%s/%s%s", dir, hex, suffix);
	n = lstat(path, &sb) == 0 ? sb.st_size : -1;
	free(path);
	free(dir);
	return n;
}

static int64_t
used(const struct user *u)
{
	int64_t	 n = -1;

	if (library_used(st, u->id, &n) != 0)
		return -1;
	return n;
}

static struct tfile	 big, pending;	/* an approved item, a pending one */
static int64_t		 big_id;

static void
setup(void)
{
	t_tmpdir();
	st = t_store("parta.db");
	anna = t_user_get(st, "anna", "Анна", ROLE_TEACHER);
	boris = t_user_get(st, "boris", "Борис", ROLE_TEACHER);
	eve = t_user_get(st, "eve", "Ева", ROLE_EXPERT);
	if (library_section_add(st, "math", "Математика", 0, "t") != 0 ||
	    library_section_add(st, "tatar", "Татар теле", 1, "t") != 0) {
		printf("Bail out! sections\n");
		exit(1);
	}
	tfile_make(&big, 2 * CHUNK + 1000, 1);
	tfile_make(&pending, 5000, 2);
	big_id = tfile_item(&big, boris, "math", "big.bin");
	(void)tfile_item(&pending, anna, "tatar", "pending.bin");
}

/* Who may fetch what: approved for all, pending for its uploader and
 * the experts; anything else as if it did not exist. */
static void
test_visibility(void)
{
	static const unsigned char nosuch[32] = { 0xde, 0xad };
	struct sync_files	*sa = sync_files_new(st, anna, WEEK);
	struct sync_files	*sb = sync_files_new(st, boris, WEEK);
	struct sync_files	*se = sync_files_new(st, eve, WEEK);
	struct sync_msg		 m, gone;
	char			 hex[BLOB_HEX];

	T_INT(get(sb, big.sha, 0, 100, &m), 0, "get: answered");
	T_OK(m.type == SYNC_FILE_DATA && m.file_data.len == 100 &&
	    m.file_data.size == big.size, "get: an approved file for anyone");
	sync_msg_free(&m);
	T_INT(get(sa, pending.sha, 0, 100, &m), 0, "get: answered");
	T_OK(m.type == SYNC_FILE_DATA && m.file_data.len == 100,
	    "get: her own pending file for its uploader");
	sync_msg_free(&m);
	T_INT(get(se, pending.sha, 0, 100, &m), 0, "get: answered");
	T_OK(m.type == SYNC_FILE_DATA, "get: a pending file for an expert");
	sync_msg_free(&m);

	T_INT(get(sb, pending.sha, 0, 100, &m), 0, "get: answered");
	T_INT(get(sb, nosuch, 0, 100, &gone), 0, "get: answered");
	hex_format(nosuch, 32, hex);
	T_OK(is_refused(&gone, hex, PERR_NOTFOUND),
	    "get: a file that does not exist is PERR_NOTFOUND");
	T_OK(is_refused(&m, pending.hex, PERR_NOTFOUND),
	    "get: another's pending file is PERR_NOTFOUND");
	T_STR(reason(&m), reason(&gone),
	    "get: refused in the same words as a file that does not exist");
	T_STR(field(&m), field(&gone), "get: and the same field");
	sync_msg_free(&m);
	sync_msg_free(&gone);

	T_INT(get(sb, big.sha, big.size + 1, 100, &m), 0, "get: answered");
	T_OK(is_refused(&m, big.hex, PERR_NOTFOUND),
	    "get: past the end is PERR_NOTFOUND");
	sync_msg_free(&m);
	T_INT(get(sb, big.sha, big.size, 100, &m), 0, "get: answered");
	T_OK(m.type == SYNC_FILE_DATA && m.file_data.len == 0 &&
	    m.file_data.offset == big.size, "get: at the end, empty data");
	sync_msg_free(&m);
	sync_files_free(sa);
	sync_files_free(sb);
	sync_files_free(se);
}

/* Every chunk carries its own digest; together they are the file. */
static void
test_chunks(void)
{
	struct sync_files	*sf = sync_files_new(st, boris, WEEK);
	struct sync_msg		 m;
	unsigned char		*got = xcalloc(1, big.size), md[32], whole[32];
	unsigned int		 len = 32;
	uint64_t		 off = 0;
	int			 bad = 0, chunks = 0;

	while (off < big.size) {
		if (get(sf, big.sha, off, CHUNK, &m) != 0 ||
		    m.type != SYNC_FILE_DATA || m.file_data.offset != off ||
		    m.file_data.len == 0) {
			bad++;
			sync_msg_free(&m);
			break;
		}
		EVP_Digest(m.file_data.data, m.file_data.len, md, &len,
		    EVP_sha256(), NULL);
		if (memcmp(md, m.file_data.chunk_sha256, 32) != 0 ||
		    memcmp(m.file_data.sha256, big.sha, 32) != 0)
			bad++;
		memcpy(got + off, m.file_data.data, m.file_data.len);
		off += m.file_data.len;
		chunks++;
		sync_msg_free(&m);
	}
	EVP_Digest(got, big.size, whole, &len, EVP_sha256(), NULL);
	T_INT(bad, 0, "chunks: each chunk's digest is its data's");
	T_INT(chunks, 3, "chunks: three chunks of at most %d bytes", CHUNK);
	T_OK(memcmp(whole, big.sha, 32) == 0 &&
	    memcmp(got, big.data, big.size) == 0,
	    "chunks: together they are the file");
	sync_files_free(sf);
	T_INT(t_int(st, "SELECT downloads FROM library_items WHERE"
	    " filename = 'big.bin'", NULL), 1,
	    "chunks: a download read whole is counted once");
	free(got);
}

/* A download cut and resumed on another connection counts once; the
 * last chunk alone counts nothing. */
static void
test_download_resume(void)
{
	struct sync_files	*sf;
	struct sync_msg		 m;
	char			 id[32];

	snprintf(id, sizeof(id), "%lld", (long long)big_id);
	sf = sync_files_new(st, eve, WEEK);
	(void)get(sf, big.sha, 2 * CHUNK, CHUNK, &m);
	sync_msg_free(&m);
	sync_files_free(sf);
	T_INT(t_int(st, "SELECT downloads FROM library_items WHERE id = ?", id),
	    1, "download: the last chunk alone counts nothing");
	sf = sync_files_new(st, anna, WEEK);
	(void)get(sf, big.sha, 0, CHUNK, &m);
	sync_msg_free(&m);
	sync_files_free(sf);	/* the link is cut */
	sf = sync_files_new(st, anna, WEEK);
	(void)get(sf, big.sha, CHUNK, CHUNK, &m);
	sync_msg_free(&m);
	(void)get(sf, big.sha, 2 * CHUNK, CHUNK, &m);
	sync_msg_free(&m);
	T_INT(t_int(st, "SELECT downloads FROM library_items WHERE id = ?", id),
	    2, "download: resumed on another connection, counted once read whole");
	sync_files_free(sf);
}

/* An upload in chunks, cut and resumed, a chunk at the wrong offset,
 * then the item made by a PUSH sent twice. */
static void
test_upload(void)
{
	struct sync_files	*sf = sync_files_new(st, anna, WEEK);
	struct tfile		 up;
	struct sync_msg		 m;
	struct request		 r;
	struct request_result	 res, again;
	struct lib_meta		 meta = { .section = "math",
				    .title = "План урока", .description = "",
				    .grades = "5-6", .tags = "" };
	char			 part[80];
	int64_t			 before = used(anna);

	tfile_make(&up, 2 * CHUNK + 77, 3);
	snprintf(part, sizeof(part), "-%zu.part", up.size);
	T_INT(put(sf, &up, 0, 0, &m), 0, "put: answered");
	T_OK(is_have(&m, &up, 0), "put: an empty chunk asks: nothing held");
	sync_msg_free(&m);
	T_INT(held_size(anna, up.hex, part), -1, "put: asking stores nothing");

	T_INT(put(sf, &up, 0, CHUNK, &m), 0, "put: answered");
	T_OK(is_have(&m, &up, CHUNK), "put: the first chunk is held");
	sync_msg_free(&m);
	T_INT(used(anna), before + CHUNK,
	    "put: what is held counts against her quota");
	T_INT(put(sf, &up, 2 * CHUNK, 77, &m), 0, "put: answered");
	T_OK(is_have(&m, &up, CHUNK),
	    "put: a chunk past what is held is answered with what is held");
	sync_msg_free(&m);
	T_INT(put(sf, &up, 0, CHUNK, &m), 0, "put: answered");
	T_OK(is_have(&m, &up, CHUNK), "put: a chunk sent again is not stored");
	sync_msg_free(&m);
	T_INT(held_size(anna, up.hex, part), CHUNK,
	    "put: chunks at the wrong offset were not stored");
	sync_files_free(sf);

	/* The link is cut; a new connection (as after a restart) resumes. */
	sf = sync_files_new(st, anna, WEEK);
	T_INT(put(sf, &up, 0, 0, &m), 0, "put: answered");
	T_OK(is_have(&m, &up, CHUNK), "put: held across connections");
	sync_msg_free(&m);
	T_INT(put_all(sf, &up, CHUNK), up.size, "put: resumed to the end");
	T_INT(held_size(anna, up.hex, ""), up.size,
	    "put: whole and checked, it waits under its digest");
	T_INT(held_size(anna, up.hex, part), -1, "put: the partial is gone");
	T_INT(put(sf, &up, 0, 0, &m), 0, "put: answered");
	T_OK(is_have(&m, &up, up.size), "put: asked again, all is held");
	sync_msg_free(&m);

	/* The PUSH, and the same PUSH again after a lost answer. */
	request_init(&r, REQ_LIB_FILE, anna);
	r.name = "План урока.txt";
	r.meta = &meta;
	r.file = up.hex;
	T_INT(request_apply(st, &r, 0, &res), 0,
	    "push: library-file makes the item from the held upload");
	T_INT(held_size(anna, up.hex, ""), up.size,
	    "push: the held upload stays until the push is committed");
	sync_files_made(sf, up.hex);
	T_INT(held_size(anna, up.hex, ""), -1,
	    "push: then sync_files_made() removes it");
	T_INT(request_apply(st, &r, 0, &again), 0, "push: sent again, answered");
	T_INT(again.again, 1, "push: sent again, applied before");
	T_INT(again.id, res.id, "push: sent again, the first item");
	T_INT(t_int(st, "SELECT count(*) FROM library_items WHERE sha256 = ?",
	    up.hex), 1, "push: one item, exactly once");
	T_INT(t_int(st, "SELECT count(*) FROM library_items WHERE sha256 = ?1"
	    " AND filename = 'План урока.txt' AND uploader_id ="
	    " (SELECT id FROM users WHERE login = 'anna')", up.hex), 1,
	    "push: the item is hers, under the name she gave");
	T_INT(used(anna), before + (int64_t)up.size,
	    "push: her quota counts the item, not the upload twice");
	T_INT(get(sf, up.sha, 0, 10, &m), 0, "push: answered");
	T_OK(m.type == SYNC_FILE_DATA && memcmp(m.file_data.data, up.data,
	    10) == 0, "push: the item's file is what she sent");
	sync_msg_free(&m);

	/* A push naming an upload not (or no longer) whole. */
	request_init(&r, REQ_LIB_FILE, anna);
	r.name = "x.txt";
	r.meta = &meta;
	r.file = pending.hex;
	T_INT(request_apply(st, &r, 0, &res), PERR_NOTFOUND,
	    "push: no whole upload of that digest is PERR_NOTFOUND");
	T_STR(res.bad_field, "file", "push: the field to blame is file");
	sync_files_free(sf);
	free(up.data);
}

/* Size, quota and name are judged before a byte is stored. */
static void
test_limits(void)
{
	struct sync_files	*sf = sync_files_new(st, boris, WEEK);
	struct tfile		 a, b;
	struct sync_msg		 m, in;
	char			 part[80];

	tfile_make(&a, 2 * CHUNK, 4);
	tfile_make(&b, CHUNK + CHUNK / 2, 5);
	T_INT(library_set_maxsize(st, CHUNK + 1, "t"), 0, "limits: maxsize set");
	put_refused(sf, &a, 0, CHUNK, PERR_LIB_TOOBIG, "128 KB", "limits",
	    "a file above maxsize is PERR_LIB_TOOBIG");
	snprintf(part, sizeof(part), "-%zu.part", a.size);
	T_INT(held_size(boris, a.hex, part), -1,
	    "limits: nothing of it was stored");
	T_INT(library_set_maxsize(st, 50LL << 20, "t"), 0, "limits: maxsize back");

	/* Quota: what she holds, with a's unfinished upload, plus b's
	 * whole size passes it, though b alone would not. */
	T_INT(put(sf, &a, 0, CHUNK, &m), 0, "limits: answered");
	T_OK(is_have(&m, &a, CHUNK), "limits: a's first chunk is held");
	sync_msg_free(&m);
	T_INT(library_set_quota(st, boris->id, (int64_t)big.size + 2 * CHUNK,
	    "t"), 0, "limits: a quota that b passes only with a's held bytes");
	put_refused(sf, &b, 0, 0, PERR_LIB_QUOTA, NULL, "limits",
	    "asked about first, b is PERR_LIB_QUOTA");
	put_refused(sf, &b, 0, CHUNK, PERR_LIB_QUOTA, NULL, "limits",
	    "b's first chunk is PERR_LIB_QUOTA");
	snprintf(part, sizeof(part), "-%zu.part", b.size);
	T_INT(held_size(boris, b.hex, part), -1,
	    "limits: nothing of b was stored");
	T_INT(put(sf, &a, CHUNK, CHUNK, &m), 0, "limits: answered");
	T_OK(is_have(&m, &a, a.size), "limits: a itself still fits");
	sync_msg_free(&m);
	T_INT(library_set_quota(st, boris->id, -1, "t"), 0, "limits: quota back");

	in = (struct sync_msg){ .type = SYNC_FILE_PUT };
	memcpy(in.file_put.sha256, b.sha, 32);
	in.file_put.size = b.size;
	in.file_put.name = "\x01";
	T_INT(ask(sf, &in, &m), 0, "limits: answered");
	T_OK(is_refused(&m, b.hex, PERR_LIB_NAME),
	    "limits: a name the library refuses is PERR_LIB_NAME");
	T_STR(field(&m), "name", "limits: the field to blame is name");
	sync_msg_free(&m);
	sync_files_free(sf);
	free(a.data);
	free(b.data);
}

/* Bytes that do not hash to the digest announced are dropped. */
static void
test_mismatch(void)
{
	struct sync_files	*sf = sync_files_new(st, eve, WEEK);
	struct tfile		 f, lie;
	struct sync_msg		 m;
	char			 part[80];

	tfile_make(&f, CHUNK + 10, 6);
	tfile_make(&lie, CHUNK + 10, 6);
	lie.data[CHUNK + 3] ^= 0x01;	/* one bit of the last chunk */
	memcpy(lie.sha, f.sha, 32);	/* announced as f */
	memcpy(lie.hex, f.hex, sizeof(lie.hex));
	T_INT(put(sf, &lie, 0, CHUNK, &m), 0, "mismatch: answered");
	T_OK(is_have(&m, &f, CHUNK), "mismatch: the first chunk is held");
	sync_msg_free(&m);
	put_refused(sf, &lie, CHUNK, 10, PERR_LIB_IO, "SHA-256 does not match",
	    "mismatch", "the last chunk gets PERR_LIB_IO");
	snprintf(part, sizeof(part), "-%zu.part", f.size);
	T_OK(held_size(eve, f.hex, part) == -1 && held_size(eve, f.hex, "") == -1,
	    "mismatch: the upload was dropped");
	T_INT(put(sf, &f, 0, 0, &m), 0, "mismatch: answered");
	T_OK(is_have(&m, &f, 0), "mismatch: asked again, nothing is held");
	sync_msg_free(&m);
	T_INT(put_all(sf, &f, 0), f.size, "mismatch: sent again right, whole");
	sync_files_free(sf);
	free(f.data);
	free(lie.data);
}

/* An empty file is whole at its first FILE_PUT, checked all the same. */
static void
test_empty(void)
{
	struct sync_files	*sf = sync_files_new(st, eve, WEEK);
	struct tfile		 f, lie;
	struct sync_msg		 m;

	tfile_make(&f, 0, 9);
	tfile_make(&lie, 0, 9);
	memset(lie.sha, 0x5a, 32);
	hex_format(lie.sha, 32, lie.hex);
	put_refused(sf, &lie, 0, 0, PERR_LIB_IO, NULL, "empty",
	    "under another digest, PERR_LIB_IO");
	T_INT(put(sf, &f, 0, 0, &m), 0, "empty: answered");
	T_OK(is_have(&m, &f, 0), "empty: whole at once");
	sync_msg_free(&m);
	T_INT(held_size(eve, f.hex, ""), 0, "empty: it waits under its digest");
	sync_files_free(sf);
	free(f.data);
	free(lie.data);
}

/* Unfinished uploads older than the expiry go, at the next connection's
 * first upload; younger ones stay. */
static void
test_expire(void)
{
	struct sync_files	*sf = sync_files_new(st, anna, WEEK);
	struct tfile		 old, young;
	struct sync_msg		 m;
	struct timespec		 ts[2];
	char			 part[80], *dir, *path;
	int64_t			 before;

	tfile_make(&old, CHUNK + 1, 7);
	tfile_make(&young, CHUNK + 1, 8);
	(void)put(sf, &old, 0, CHUNK, &m);
	sync_msg_free(&m);
	(void)put(sf, &young, 0, CHUNK, &m);
	sync_msg_free(&m);
	sync_files_free(sf);
	snprintf(part, sizeof(part), "%s-%zu.part", old.hex, old.size);
	dir = library_held_dir(st, anna->id);
	path = xasprintf("%s/%s", dir, part);
	ts[0].tv_sec = ts[1].tv_sec = now_unix() - WEEK - 60;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	T_INT(utimensat(AT_FDCWD, path, ts, 0), 0, "expire: one upload aged");
	before = used(anna);

	sf = sync_files_new(st, boris, WEEK);
	(void)put(sf, &young, 0, 0, &m);	/* anyone's first upload */
	sync_msg_free(&m);
	sync_files_free(sf);
	T_INT(access(path, F_OK) == 0, 0, "expire: the stale upload is gone");
	T_INT(used(anna), before - CHUNK, "expire: and no longer counts");
	T_INT(held_size(anna, young.hex, part + 64), CHUNK,
	    "expire: a younger one stays");
	T_INT(sync_files_expire(st, WEEK), 0, "expire: nothing more is stale");
	T_INT(sync_files_expire(st, -60), 4, "expire: an age in the future "
	    "removes the other four (anna's, boris's and eve's two)");
	free(path);
	free(dir);
	free(old.data);
	free(young.data);
}

/* A banned account fetches and sends nothing. */
static void
test_banned(void)
{
	struct sync_files	*sf = sync_files_new(st, boris, WEEK);
	struct sync_msg		 m;

	T_INT(user_ban(st, "boris", "spam", "t"), 0, "banned: boris banned");
	T_INT(get(sf, big.sha, 0, 10, &m), 0, "banned: answered");
	T_OK(is_refused(&m, big.hex, PERR_REQ_DENIED),
	    "banned: FILE_GET on an open connection is PERR_REQ_DENIED");
	sync_msg_free(&m);
	put_refused(sf, &big, 0, 10, PERR_REQ_DENIED, NULL, "banned",
	    "FILE_PUT is PERR_REQ_DENIED");
	sync_files_free(sf);
}

static void
test_not_files(void)
{
	struct sync_files	*sf = sync_files_new(st, anna, WEEK);
	struct sync_msg		 in = { .type = SYNC_PULL }, m;

	T_INT(ask(sf, &in, &m), -1, "a frame that is not a file's is refused");
	sync_msg_free(&m);
	sync_files_free(sf);
	sync_files_free(NULL);
}

int
main(void)
{
	setup();
	test_visibility();
	test_chunks();
	test_download_resume();
	test_upload();
	test_limits();
	test_mismatch();
	test_empty();
	test_expire();
	test_banned();
	test_not_files();
	user_free(anna);
	user_free(boris);
	user_free(eve);
	free(big.data);
	free(pending.data);
	store_close(st);
	return t_done();
}
