/*
 * digest.c: digest files and reply packets (digest.h, man/parta-digest.5).
 *
 * Making one: the rows go through the sync server's own reader
 * (sync-rows.c), judged for the recipient with the visibility SQL of
 * parta-sync, then through the client's own writer (sync-local.c) into
 * a fresh local copy in a temporary directory; so a digest holds what a
 * sync would give her and nothing else, and the screens read it as
 * they read the client's copy.  digest_filters[] only narrows: which
 * entities a digest carries (no drafts; a board digest no one's mail nor
 * read pointers), since when, which boards, and never a hidden post or a
 * thread waiting for approval, even for a moderator.  The copy's rows
 * are then dumped column by column (digest-dump.c) and the dump is
 * compressed with zstd -19, its window as long as the dump.
 *
 * Why a dump and not the copy's file (format 1): the SQLite file of
 * 1,000 posts under zstd -19 was 1.74 times the zstd size of the posts'
 * text (pages, indexes, row ids, UUIDs in 36 characters); the dump is
 * 1.20 times.  Why zstd (Debian's libzstd): on a store xz -9 gave 9%
 * less and gzip -9 23% more, and zstd unpacks in a few milliseconds
 * where xz takes 60: opening a digest on a school's old computer waits
 * for exactly that.  libssh already pulls libzstd in on the server, and
 * libcrypto, which the project links, gives SHA-256 and the HMAC of
 * reply packets.
 *
 * Reading one checks, in order, that the file is not empty, is parta's
 * (an SQLite file is named as such), is not from a newer parta nor of
 * format 1, is whole, and matches its SHA-256, before a byte is
 * decompressed; then that it decompresses to the size it says (the
 * buffer grows with what zstd really gives), that its rows read and are
 * of a schema this parta knows, and that its meta row says "digest".
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <zstd.h>

#include "board-sql.h"
#include "board.h"
#include "bytes.h"
#include "changes.h"
#include "digest-dump.h"
#include "digest.h"
#include "digest-fmt.h"
#include "i18n.h"
#include "library.h"
#include "log.h"
#include "mail.h"
#include "perr.h"
#include "request.h"
#include "store-schema.h"
#include "store.h"
#include "sync-local.h"
#include "sync-proto.h"
#include "sync-rows.h"
#include "user.h"
#include "util.h"

#define DIGEST_MAGIC		"PARTADIG"
#define DIGEST_HEADER		72
#define DIGEST_SUM_AT		40
#define DIGEST_MAX_FILE		((uint64_t)1 << 31)
#define DIGEST_MAX_RAW		((uint64_t)1 << 30)	/* a million posts fit */
#define DIGEST_WINDOW_LOG	27	/* zstd's default limit to a reader */
#define DIGEST_META_MAX		(64 * 1024)
#define DIGEST_BATCH		256
#define PACKET_MAGIC		"PARTAREP"
#define PACKET_SIGNED		0x01

/* Rows of this board list, bound as ",3,5," (none: every board). */
#define DIGEST_ON(col)							\
	"(:nb = 0 OR instr(:boards, ',' || " col " || ',') > 0)"

/*
 * What a digest carries of each entity, beyond what she may see: the
 * entities not here (drafts, coordinators) are never carried; personal
 * ones only in a personal digest.
 */
static const struct digest_filter {
	const char	*entity;
	int		 personal;
	const char	*where;
} digest_filters[] = {
	{ .entity = "user", .where = "1" },
	{ .entity = "board", .where = DIGEST_ON("x.id") },
	{ .entity = "library_section", .where = "1" },
	{ .entity = "library", .where = "x.approved_at IS NOT NULL" },
	{ .entity = "news", .where = "x.created_at >= :since" },
	{ .entity = "news_read", .personal = 1, .where = "1" },
	{ .entity = "thread", .where = DIGEST_ON("x.board_id")
	  " AND x.hidden_at IS NULL AND x.approved = 1"
	  " AND x.last_post_at >= :since" },
	{ .entity = "post", .where = DIGEST_ON("t.board_id")
	  " AND x.hidden_at IS NULL AND t.hidden_at IS NULL"
	  " AND t.approved = 1 AND t.last_post_at >= :since"
	  " AND (x.created_at >= :since OR x.id ="
	  " (SELECT min(f.id) FROM posts f WHERE f.thread_id = t.id))" },
	{ .entity = "thread_read", .personal = 1, .where = "1" },
	{ .entity = "board_read", .personal = 1, .where = "1" },
	{ .entity = "poll", .where = DIGEST_ON("x.board_id") },
	{ .entity = "poll_option", .where = DIGEST_ON("p.board_id") },
	{ .entity = "vote", .personal = 1, .where = "1" },
	{ .entity = "mail", .personal = 1, .where = "x.created_at >= :since" },
	{ .entity = "mail_box", .personal = 1, .where = "x.mail_id IN"
	  " (SELECT m.id FROM mail m WHERE m.created_at >= :since)" },
};

const struct digest_format digest_formats[] = {
	{ .name = "parta", .render = NULL,
	  .help = N_("the digest file: parta --digest FILE reads it") },
	/* Rendered from the digest file: digest_fmt_file() finds the row
	 * of digest_fmt_formats[] (digest-fmt.h) of the same name. */
	{ .name = "text", .render = digest_fmt_file,
	  .help = N_("plain text, UTF-8, 72 columns, for less and printing") },
	{ .name = "text-crlf", .render = digest_fmt_file,
	  .help = N_("the same with CRLF line ends, for Notepad") },
	{ .name = "text-koi8r", .render = digest_fmt_file,
	  .help = N_("plain text in KOI8-R") },
	{ .name = "text-cp1251", .render = digest_fmt_file,
	  .help = N_("plain text in CP1251 with CRLF, for old Windows") },
	{ .name = "text-cp866", .render = digest_fmt_file,
	  .help = N_("plain text in CP866 with CRLF, for DOS") },
	{ .name = "html", .render = digest_fmt_file,
	  .help = N_("one HTML file, no scripts, nothing fetched") },
	{ .name = "qwk", .render = digest_fmt_file,
	  .help = N_("a QWK packet for offline readers (MultiMail)") },
};
const size_t digest_nformats = nitems(digest_formats);

const struct digest_format *
digest_format(const char *name)
{
	return names_row(digest_formats, digest_nformats,
	    sizeof(digest_formats[0]), name);
}

void
digest_info_free(struct digest_info *di)
{
	if (di == NULL)
		return;
	free(di->server);
	free(di->user);
	free(di->boards);
	free(di->made_by);
	explicit_bzero(di->key, sizeof(di->key));
	memset(di, 0, sizeof(*di));
}

/* ---- making one ------------------------------------------------------ */

/* The rows being gathered into the copy. */
struct digest_build {
	struct store		*st;
	struct sync_local	*sl;
	struct sync_rows	*rows;
	const struct user	*reader;
	char			*boards;	/* ",3,5," */
	size_t			 nb;
	int64_t			 since;
	int64_t			 head;
	struct sync_rowbuf	*v[DIGEST_BATCH];
	size_t			 n;
	int64_t			 posts, letters;
};

static int
digest_flush(struct digest_build *b)
{
	struct sync_row	 rows[DIGEST_BATCH];
	struct sync_msg	 m;
	size_t		 i;
	int		 rc;

	if (b->n == 0)
		return 0;
	sync_rows_batch(&m, rows, b->v, b->n, (uint64_t)b->head, 0);
	rc = sync_local_batch(b->sl, &m);
	for (i = 0; i < b->n; i++)
		sync_rowbuf_free(b->v[i]);
	b->n = 0;
	return rc;
}

/* Carry every row of f's entity she may see and f lets through. */
static int
digest_entity(struct digest_build *b, const struct digest_filter *f)
{
	const struct sync_entity *e = sync_rows_entity(f->entity);
	struct sync_rowbuf	*r;
	sqlite3_stmt		*stmt;
	char			(*uuids)[37] = NULL;
	size_t			 n = 0, i;
	int			 step, rc = 0;

	if (e == NULL || e->from == NULL)
		return PERR_DB;
	stmt = sync_rows_prepare(b->st, b->reader, xasprintf("SELECT %s FROM"
	    " %s WHERE (%s) AND (%s) ORDER BY x.rowid", e->uuid, e->from,
	    e->visible, f->where));
	if (stmt == NULL)
		return PERR_DB;
	store_bind_named(stmt, ":since", b->since);
	store_bind_named(stmt, ":nb", (int64_t)b->nb);
	store_bind_named_text(stmt, ":boards", b->boards);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n % 1024 == 0)
			uuids = xrealloc(uuids, (n + 1024) * sizeof(*uuids));
		strlcpy_p(uuids[n++], (const char *)sqlite3_column_text(stmt,
		    0), sizeof(uuids[0]));
	}
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE) {
		free(uuids);
		return store_fail(b->st, "digest rows");
	}
	for (i = 0; i < n && rc == 0; i++) {
		if ((rc = sync_rows_fetch(b->rows, e, uuids[i], &r)) != 0)
			break;
		if (r->row.op != SYNC_UPSERT) {
			sync_rowbuf_free(r);
			continue;
		}
		b->v[b->n++] = r;
		if (strcmp(f->entity, "post") == 0)
			b->posts++;
		else if (strcmp(f->entity, "mail") == 0)
			b->letters++;
		if (b->n == DIGEST_BATCH)
			rc = digest_flush(b);
	}
	free(uuids);
	if (rc == 0)
		rc = digest_flush(b);
	return rc;
}

/* The boards of spec as ",id,id," and their names as "a,b" (all she
 * may read when spec names none). */
static int
digest_boards(struct digest_build *b, const struct digest_spec *spec,
    char **names, char **cause)
{
	sqlite3_stmt	*stmt;
	char		*s;
	size_t		 i;
	int64_t		 id;
	int		 rc;

	b->boards = xstrdup(",");
	*names = xstrdup("");
	for (i = 0; i < spec->nboards; i++) {
		rc = store_int(b->st, &id, "SELECT id FROM boards WHERE name"
		    " = ?1", "t", spec->boards[i]);
		if (rc == PERR_NOTFOUND) {
			*cause = xasprintf(_("no board named %s"),
			    spec->boards[i]);
			return -1;
		}
		if (rc != 0)
			goto db;
		s = xasprintf("%s%lld,", b->boards, (long long)id);
		free(b->boards);
		b->boards = s;
		b->nb++;
	}
	stmt = store_stmt(b->st, "SELECT b.name FROM boards b WHERE "
	    SQL_CAN_READ " AND " DIGEST_ON("b.id") " ORDER BY b.position,"
	    " b.id", "");
	if (stmt == NULL)
		goto db;
	board_bind_reader(stmt, b->reader);
	store_bind_named(stmt, ":nb", (int64_t)b->nb);
	store_bind_named_text(stmt, ":boards", b->boards);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		s = xasprintf("%s%s%s", *names, **names != '\0' ? "," : "",
		    (const char *)sqlite3_column_text(stmt, 0));
		free(*names);
		*names = s;
	}
	sqlite3_finalize(stmt);
	if (rc == SQLITE_DONE)
		return 0;
db:
	*cause = xstrdup(_(perr_str(PERR_DB)));
	return -1;
}

/* The meta lines of info. */
static char *
digest_meta(const struct digest_info *di)
{
	char	 key[2 * DIGEST_KEY_LEN + 1] = "";

	if (di->has_key)
		hex_format(di->key, DIGEST_KEY_LEN, key);
	return xasprintf("format=%d\nuuid=%s\nserver=%s\nuser=%s\n"
	    "boards=%s\nsince=%lld\nmade_at=%lld\nmade_by=%s\nposts=%lld\n"
	    "letters=%lld\n%s%s%s", di->format, di->uuid, di->server,
	    di->user, di->boards, (long long)di->since,
	    (long long)di->made_at, di->made_by, (long long)di->posts,
	    (long long)di->letters, di->has_key ? "reply_key=" : "", key,
	    di->has_key ? "\n" : "");
}

static int
digest_read_all(const char *path, unsigned char **out, size_t *len,
    uint64_t max, char **cause)
{
	struct stat	 sb;
	unsigned char	*buf;
	size_t		 got = 0;
	ssize_t		 r;
	int		 fd;

	*out = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > max) {
		*cause = xasprintf(_("%s: not a file parta reads (too large, "
		    "or not a plain file)"), path);
		close(fd);
		return -1;
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size &&
	    (r = read(fd, buf + got, (size_t)sb.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	*out = buf;
	*len = got;
	return 0;
}

/* Write len bytes to path through a temporary file beside it, synced,
 * renamed, and the rename synced: after a crash (the power gone) path
 * holds the old bytes or the new, whole.  A reading rewrites its reply
 * packet so after each reply (reader.c). */
static int
digest_write_file(const char *path, const void *p, size_t len,
    char **cause)
{
	char		*tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	FILE		*fp;
	int		 ok;

	(void)unlink(tmp);	/* left by a crash of a process of this pid */
	if ((fp = fopen(tmp, "wbx")) == NULL) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	ok = fwrite(p, 1, len, fp) == len && fflush(fp) == 0 &&
	    fsync(fileno(fp)) == 0;
	ok = fclose(fp) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	if (fsync_dir_of(path) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* raw (rawlen bytes) under zstd at level into *z (caller frees): a
 * window as long as the dump, so that a post's text finds its like
 * anywhere before it.  The size goes in the frame: the reader checks
 * it against the header's. */
static int
digest_compress(const unsigned char *raw, size_t rawlen, int level,
    void **z, size_t *zlen, char **cause)
{
	ZSTD_CCtx	*cc = ZSTD_createCCtx();
	size_t		 zcap = ZSTD_compressBound(rawlen), r;
	int		 wlog = 20;

	while (wlog < DIGEST_WINDOW_LOG && ((size_t)1 << wlog) < rawlen)
		wlog++;
	*z = xmalloc(zcap);
	if (cc == NULL || ZSTD_isError(ZSTD_CCtx_setParameter(cc,
	    ZSTD_c_compressionLevel, level > 0 ? level : 19)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, wlog)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cc,
	    ZSTD_c_enableLongDistanceMatching, 1)) ||
	    ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(cc, rawlen)))
		r = (size_t)-1;
	else
		r = ZSTD_compress2(cc, *z, zcap, raw, rawlen);
	ZSTD_freeCCtx(cc);
	if (ZSTD_isError(r)) {
		*cause = xasprintf("zstd: %s", ZSTD_getErrorName(r));
		free(*z);
		*z = NULL;
		return -1;
	}
	*zlen = r;
	return 0;
}

/* The container around the dump raw (rawlen bytes) into *w. */
static int
digest_pack(const struct digest_info *di, const unsigned char *raw,
    size_t rawlen, int level, struct bytes_writer *w, char **cause)
{
	unsigned char	 sum[32];
	char		*meta;
	void		*z;
	size_t		 zlen;
	unsigned int	 sl = 0;
	EVP_MD_CTX	*md;

	if (digest_compress(raw, rawlen, level, &z, &zlen, cause) != 0)
		return -1;
	meta = digest_meta(di);
	bytes_writer_init(w, DIGEST_HEADER + strlen(meta) + zlen);
	bytes_put_raw(w, DIGEST_MAGIC, 8);
	bytes_put_u32(w, DIGEST_FORMAT);
	bytes_put_u32(w, 0);
	bytes_put_u32(w, (uint32_t)strlen(meta));
	bytes_put_u32(w, 0);
	bytes_put_u64(w, zlen);
	bytes_put_u64(w, rawlen);
	memset(sum, 0, sizeof(sum));
	bytes_put_raw(w, sum, sizeof(sum));
	bytes_put_raw(w, meta, strlen(meta));
	bytes_put_raw(w, z, zlen);
	free(z);
	free(meta);
	if (bytes_writer_failed(w)) {
		*cause = xstrdup("digest: too large");
		return -1;
	}
	md = EVP_MD_CTX_new();
	if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(md, bytes_writer_data(w), DIGEST_SUM_AT) != 1 ||
	    EVP_DigestUpdate(md, (const unsigned char *)bytes_writer_data(w) +
	    DIGEST_HEADER, bytes_writer_len(w) - DIGEST_HEADER) != 1 ||
	    EVP_DigestFinal_ex(md, sum, &sl) != 1) {
		EVP_MD_CTX_free(md);
		*cause = xstrdup("digest: SHA-256 failed");
		return -1;
	}
	EVP_MD_CTX_free(md);
	memcpy((unsigned char *)bytes_writer_data(w) + DIGEST_SUM_AT, sum,
	    sizeof(sum));
	return 0;
}

/* The search indexes and what they index, as the triggers fill them:
 * a digest carries none (a dump holds no virtual table: digest-dump.c);
 * digest_reindex() makes them again from the rows. */
static const struct digest_fts_table {
	const char	*fts, *table, *cols;
} digest_fts_tables[] = {
	{ .fts = "posts_fts", .table = "posts", .cols = "subject, body" },
	{ .fts = "mail_fts", .table = "mail", .cols = "subject, body" },
	{ .fts = "library_fts", .table = "library_items",
	  .cols = "title, description, tags, filename" },
};

/* Fill the copy in dir with what spec lets through for reader. */
static int
digest_fill(struct digest_build *b, const struct digest_spec *spec,
    const struct store_meta *sm, const char *dir, char **cause)
{
	size_t	 i;
	int	 rc = 0;

	if (sync_local_open(dir, &b->sl, cause) != 0)
		return -1;
	b->rows = sync_rows_new(b->st, b->reader->id);
	sync_rows_user(b->rows, b->reader);
	if ((rc = store_begin_read(b->st)) == 0) {
		(void)changes_head(b->st, &b->head);
		for (i = 0; i < nitems(digest_filters) && rc == 0; i++)
			if (!digest_filters[i].personal || spec->login != NULL)
				rc = digest_entity(b, &digest_filters[i]);
		store_rollback(b->st);
	}
	if (rc == 0)
		rc = store_set_copy(sync_local_store(b->sl), sm->server,
		    spec->login != NULL ? spec->login : "");
	if (rc == 0)
		rc = store_exec(sync_local_store(b->sl),
		    "UPDATE meta SET kind = 'digest'");
	if (rc != 0) {
		*cause = xstrdup(_(perr_str(rc)));
		return -1;
	}
	return 0;
}

int
digest_export(struct store *st, const struct digest_spec *spec,
    const char *path, struct digest_info *info, char **cause)
{
	struct digest_build	 b;
	struct digest_info	 di;
	struct bytes_writer	 w, dump;
	struct user		*u = NULL, board_reader;
	char			 tmpl[4096];
	char			 hex[2 * DIGEST_KEY_LEN + 1];
	char			*dir;
	int			 rc = -1, wrc;

	*cause = NULL;
	memset(&b, 0, sizeof(b));
	memset(&di, 0, sizeof(di));
	memset(&w, 0, sizeof(w));
	memset(&dump, 0, sizeof(dump));
	tmpl[0] = '\0';
	b.st = st;
	b.since = spec->since;
	if (spec->login != NULL) {
		if (user_get(st, spec->login, &u) != 0) {
			*cause = xasprintf(_("no user with login %s"),
			    spec->login);
			return -1;
		}
		b.reader = u;
	} else {
		/* A school's shared computer reads as any teacher. */
		memset(&board_reader, 0, sizeof(board_reader));
		board_reader.role = ROLE_TEACHER;
		b.reader = &board_reader;
	}
	if (digest_boards(&b, spec, &di.boards, cause) != 0)
		goto out;
	/* Work beside the file: that folder must be writable anyway, and
	 * a sysop's console may run with a TMPDIR it cannot write. */
	dir = xstrdup(path);
	snprintf(tmpl, sizeof(tmpl), "%s/.parta-digest.XXXXXX", dirname(dir));
	free(dir);
	if (mkdtemp(tmpl) == NULL) {
		*cause = xasprintf("%s: %s", tmpl, strerror(errno));
		tmpl[0] = '\0';
		goto out;
	}
	if (digest_fill(&b, spec, store_meta(st), tmpl, cause) != 0)
		goto out;
	/* The rows in columns, not the SQLite file (digest-dump.c). */
	bytes_writer_init(&dump, (size_t)DIGEST_MAX_RAW);
	if (digest_dump_write(sync_local_store(b.sl), &dump) != 0) {
		*cause = xstrdup(_(perr_str(PERR_DB)));
		goto out;
	}
	sync_local_close(b.sl);
	b.sl = NULL;
	di.format = DIGEST_FORMAT;
	uuid_v4(di.uuid);
	di.server = xstrdup(store_meta(st)->server);
	di.user = xstrdup(spec->login != NULL ? spec->login : "");
	di.since = spec->since;
	di.made_at = (int64_t)time(NULL);
	di.made_by = xstrdup(spec->made_by != NULL ? spec->made_by : "parta");
	di.posts = b.posts;
	di.letters = b.letters;
	/* Only a server keeps reply keys: replies from a digest made from
	 * a local copy go back through her client (parta --replies). */
	if (u != NULL && strcmp(store_meta(st)->kind, "server") == 0) {
		if (RAND_bytes(di.key, sizeof(di.key)) != 1) {
			*cause = xstrdup("RAND_bytes failed");
			goto out;
		}
		di.has_key = 1;
		/* Kept on the server: the import checks packets with it. */
		hex_format(di.key, sizeof(di.key), hex);
		wrc = store_write(st, NULL, "INSERT INTO digests(uuid, user_id,"
		    " reply_key, made_at, since) VALUES (?1, ?2, ?3, ?4, ?5)",
		    "titii", di.uuid, u->id, hex, di.made_at, di.since);
		explicit_bzero(hex, sizeof(hex));
		if (wrc != 0) {
			*cause = xstrdup(_(perr_str(wrc)));
			goto out;
		}
	}
	if (digest_pack(&di, bytes_writer_data(&dump),
	    bytes_writer_len(&dump), spec->level, &w, cause) != 0 ||
	    digest_write_file(path, bytes_writer_data(&w),
	    bytes_writer_len(&w), cause) != 0)
		goto out;
	log_info("digest %s for %s: %lld posts, %lld letters, %zu bytes",
	    di.uuid, *di.user != '\0' ? di.user : "(boards)",
	    (long long)di.posts, (long long)di.letters, bytes_writer_len(&w));
	if (info != NULL) {
		*info = di;
		memset(&di, 0, sizeof(di));
	}
	rc = 0;
out:
	sync_rows_free(b.rows);
	sync_local_close(b.sl);
	for (; b.n > 0; b.n--)
		sync_rowbuf_free(b.v[b.n - 1]);
	if (tmpl[0] != '\0')
		digest_unpack_remove(tmpl);
	free(b.boards);
	bytes_writer_free(&w);
	bytes_writer_free(&dump);
	digest_info_free(&di);
	user_free(u);
	return rc;
}

int
digest_make(struct store *st, const struct digest_spec *spec,
    const struct digest_format *f, const char *path,
    struct digest_info *info, char **cause)
{
	char	*tmp;
	int	 rc;

	if (f == NULL || f->render == NULL)
		return digest_export(st, spec, path, info, cause);
	tmp = xasprintf("%s.digest%ld", path, (long)getpid());
	if ((rc = digest_export(st, spec, tmp, info, cause)) == 0)
		rc = f->render(f, tmp, path, cause);
	(void)unlink(tmp);
	free(tmp);
	return rc;
}

/* ---- reading one ----------------------------------------------------- */

static int
digest_unhex(const char *s, unsigned char *out, size_t n)
{
	unsigned int	 v;
	size_t		 i;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

/* The meta lines (len bytes, not NUL-terminated) into di. */
static int
digest_parse_meta(const char *p, size_t len, struct digest_info *di)
{
	char	*copy = xmalloc(len + 1), *line, *next, *eq;
	int	 rc = 0;

	memcpy(copy, p, len);
	copy[len] = '\0';
	for (line = copy; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(line, '=')) == NULL)
			continue;
		*eq++ = '\0';
		if (strcmp(line, "uuid") == 0)
			strlcpy_p(di->uuid, eq, sizeof(di->uuid));
		else if (strcmp(line, "server") == 0)
			di->server = xstrdup(eq);
		else if (strcmp(line, "user") == 0)
			di->user = xstrdup(eq);
		else if (strcmp(line, "boards") == 0)
			di->boards = xstrdup(eq);
		else if (strcmp(line, "made_by") == 0)
			di->made_by = xstrdup(eq);
		else if (strcmp(line, "since") == 0)
			di->since = strtoll(eq, NULL, 10);
		else if (strcmp(line, "made_at") == 0)
			di->made_at = strtoll(eq, NULL, 10);
		else if (strcmp(line, "posts") == 0)
			di->posts = strtoll(eq, NULL, 10);
		else if (strcmp(line, "letters") == 0)
			di->letters = strtoll(eq, NULL, 10);
		else if (strcmp(line, "reply_key") == 0)
			di->has_key = digest_unhex(eq, di->key,
			    sizeof(di->key)) == 0;
	}
	explicit_bzero(copy, len + 1);
	free(copy);
	if (di->server == NULL || di->user == NULL || di->uuid[0] == '\0')
		rc = -1;
	if (di->boards == NULL)
		di->boards = xstrdup("");
	if (di->made_by == NULL)
		di->made_by = xstrdup("");
	return rc;
}

/*
 * Check the file buf (len bytes, named path in messages): 0 with the
 * payload's place and sizes and *di filled, or -1 with *cause.
 */
static int
digest_check(const char *path, const unsigned char *buf, size_t len,
    struct digest_info *di, size_t *zoff, size_t *zlen, uint64_t *rawlen,
    char **cause)
{
	struct bytes_reader	 r;
	unsigned char		 sum[32];
	unsigned int		 sl = 0;
	uint32_t		 format, mlen;
	uint64_t		 plen, want;
	EVP_MD_CTX		*md;
	int			 ok;

	memset(di, 0, sizeof(*di));
	if (len == 0) {
		*cause = xasprintf(_("%s: the file is empty (0 bytes): it is no "
		    "digest; copy it again from where it was made"), path);
		return -1;
	}
	if (len >= 16 && memcmp(buf, "SQLite format 3", 16) == 0) {
		*cause = xasprintf(_("%s: this is an SQLite database, not a "
		    "parta digest (a digest is one compressed file made by "
		    "\"parta-sysop digest export\")"), path);
		return -1;
	}
	if (len < 8 || memcmp(buf, DIGEST_MAGIC, 8) != 0) {
		*cause = xasprintf(_("%s: not a parta digest (another "
		    "program's file)"), path);
		return -1;
	}
	bytes_reader_init(&r, buf + 8, len - 8);
	format = bytes_get_u32(&r);
	if (!bytes_failed(&r) && format > DIGEST_FORMAT) {
		*cause = xasprintf(_("%s: made by a newer parta (digest format "
		    "%u; this parta reads %d): update parta to read it"), path,
		    format, DIGEST_FORMAT);
		return -1;
	}
	/* Format 1 was the SQLite file itself; a digest is made for the
	 * days it covers, so one is made again rather than read twice. */
	if (!bytes_failed(&r) && format < DIGEST_FORMAT) {
		*cause = xasprintf(_("%s: made by an older parta (digest format "
		    "%u; this parta reads %d): ask for a new digest"), path,
		    format, DIGEST_FORMAT);
		return -1;
	}
	(void)bytes_get_u32(&r);
	mlen = bytes_get_u32(&r);
	(void)bytes_get_u32(&r);
	plen = bytes_get_u64(&r);
	*rawlen = bytes_get_u64(&r);
	want = DIGEST_HEADER + (uint64_t)mlen + plen;
	if (bytes_failed(&r) || len < DIGEST_HEADER || want > len ||
	    mlen > DIGEST_META_MAX || plen > DIGEST_MAX_FILE) {
		*cause = xasprintf(_("%s: the digest is truncated (%zu bytes of "
		    "%llu): copy it again"), path, len,
		    (unsigned long long)(bytes_failed(&r) || len <
		    DIGEST_HEADER || mlen > DIGEST_META_MAX ? DIGEST_HEADER :
		    want));
		return -1;
	}
	md = EVP_MD_CTX_new();
	ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(md, buf, DIGEST_SUM_AT) == 1 &&
	    EVP_DigestUpdate(md, buf + DIGEST_HEADER, len - DIGEST_HEADER) ==
	    1 && EVP_DigestFinal_ex(md, sum, &sl) == 1;
	EVP_MD_CTX_free(md);
	if (!ok || want != len || CRYPTO_memcmp(sum, buf + DIGEST_SUM_AT,
	    sizeof(sum)) != 0 || *rawlen > DIGEST_MAX_RAW ||
	    digest_parse_meta((const char *)buf + DIGEST_HEADER, mlen,
	    di) != 0) {
		digest_info_free(di);
		*cause = xasprintf(_("%s: the digest is damaged (its checksum "
		    "does not match): copy it again"), path);
		return -1;
	}
	di->format = (int)format;
	*zoff = DIGEST_HEADER + mlen;
	*zlen = (size_t)plen;
	return 0;
}

int
digest_read_info(const char *path, struct digest_info *info, char **cause)
{
	unsigned char	*buf;
	size_t		 len, zoff, zlen;
	uint64_t	 rawlen;
	int		 rc;

	*cause = NULL;
	memset(info, 0, sizeof(*info));
	if (digest_read_all(path, &buf, &len, DIGEST_MAX_FILE, cause) != 0)
		return -1;
	rc = digest_check(path, buf, len, info, &zoff, &zlen, &rawlen, cause);
	free(buf);
	return rc;
}

#define DIGEST_INDEX_STEP	256	/* rows a transaction */

/* Index the rows of t after *last, DIGEST_INDEX_STEP of them in one
 * short transaction, so that the screens' connection is never kept
 * waiting long; *done when there are no more. */
static int
digest_index_step(struct store *st, const struct digest_fts_table *t,
    int64_t *last, int *done)
{
	char	*sql;
	int64_t	 top;
	int	 rc;

	if ((rc = store_begin(st)) != 0)
		return rc;
	sql = xasprintf("SELECT max(id) FROM (SELECT id FROM %s WHERE id >"
	    " ?1 ORDER BY id LIMIT %d)", t->table, DIGEST_INDEX_STEP);
	rc = store_int(st, &top, sql, "i", *last);
	free(sql);
	if (rc == 0 && top == 0)
		*done = 1;
	else if (rc == 0) {
		sql = xasprintf("INSERT INTO %s(rowid, %s) SELECT id, %s FROM %s"
		    " WHERE id > ?1 AND id <= ?2", t->fts, t->cols, t->cols,
		    t->table);
		rc = store_write(st, NULL, sql, "ii", *last, top);
		free(sql);
		*last = top;
	}
	return store_end(st, rc);
}

int
digest_reindex(const char *dir, char **cause)
{
	struct store	*st;
	char		*path = xasprintf("%s/%s", dir, SYNC_LOCAL_COPY);
	int64_t		 last;
	size_t		 i;
	int		 rc = 0, done;

	if (store_open_mode(path, STORE_LOCAL, &st, cause) != 0) {
		free(path);
		return -1;
	}
	for (i = 0; i < nitems(digest_fts_tables) && rc == 0; i++)
		for (last = 0, done = 0; !done && rc == 0; )
			rc = digest_index_step(st, &digest_fts_tables[i],
			    &last, &done);
	store_close(st);
	if (rc != 0)
		*cause = xasprintf(_("%s: the digest's search index could not be "
		    "made"), path);
	free(path);
	return rc != 0 ? -1 : 0;
}

/*
 * The zstd frame z (zlen bytes), which must give exactly rawlen bytes,
 * into *out (caller frees).  The buffer grows with what the frame
 * really gives: a header that claims more costs nothing.
 */
static int
digest_decompress(const unsigned char *z, size_t zlen, uint64_t rawlen,
    unsigned char **out)
{
	ZSTD_DCtx	*dc = ZSTD_createDCtx();
	ZSTD_inBuffer	 in = { z, zlen, 0 };
	ZSTD_outBuffer	 o;
	unsigned char	*buf;
	size_t		 cap, r = 1, was_in, was_out;

	*out = NULL;
	if (dc == NULL || ZSTD_isError(ZSTD_DCtx_setParameter(dc,
	    ZSTD_d_windowLogMax, DIGEST_WINDOW_LOG))) {
		ZSTD_freeDCtx(dc);
		return -1;
	}
	cap = rawlen < (uint64_t)zlen * 8 + 65536 ? (size_t)rawlen :
	    zlen * 8 + 65536;
	buf = xmalloc(cap + 1);
	o.dst = buf;
	o.size = cap;
	o.pos = 0;
	while (r != 0) {
		if (o.pos == o.size && o.size < rawlen) {
			cap = (uint64_t)o.size * 2 < rawlen ? o.size * 2 :
			    (size_t)rawlen;
			buf = xrealloc(buf, cap + 1);
			o.dst = buf;
			o.size = cap;
		}
		was_in = in.pos;
		was_out = o.pos;
		r = ZSTD_decompressStream(dc, &o, &in);
		if (ZSTD_isError(r) || (r != 0 && in.pos == was_in &&
		    o.pos == was_out))
			break;
	}
	ZSTD_freeDCtx(dc);
	if (r != 0 || o.pos != rawlen || in.pos != in.size) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

/* Empty dir of what digest_unpack() and a session over it made. */
static void
digest_unpack_clean(const char *dir)
{
	static const char *const names[] = { SYNC_LOCAL_COPY,
	    SYNC_LOCAL_COPY "-wal", SYNC_LOCAL_COPY "-shm", SYNC_LOCAL_OUTBOX,
	    SYNC_LOCAL_OUTBOX "-wal", SYNC_LOCAL_OUTBOX "-shm",
	    "parta.log", DIGEST_UNPACK_LOCK };	/* the reader's */
	char	*p;
	size_t	 i;

	for (i = 0; i < nitems(names); i++) {
		p = xasprintf("%s/%s", dir, names[i]);
		(void)unlink(p);
		free(p);
	}
}

void
digest_unpack_remove(const char *dir)
{
	digest_unpack_clean(dir);
	(void)rmdir(dir);
}

/* Make the copy in dir from the dump raw of the digest at path. */
static int
digest_rebuild(const char *path, const char *dir, const unsigned char *raw,
    size_t rawlen, char **cause)
{
	struct sync_local	*sl;
	sqlite3_stmt		*stmt;
	char			*kind;
	int			 rc, schema;

	/* A fresh copy of this parta's schema, then the rows. */
	if (sync_local_open(dir, &sl, cause) != 0)
		return -1;
	/* A copy in a temporary directory, made again from the file
	 * after a crash: no need to wait for the disk. */
	if (store_exec(sync_local_store(sl), "PRAGMA synchronous = OFF") != 0)
		rc = -1;
	else
		rc = digest_dump_load(sync_local_store(sl), raw, rawlen,
		    &schema);
	if (rc == -2)
		*cause = xasprintf(_("%s: made by a newer parta (its store's "
		    "schema %d; this parta reads %d): update parta to read it"),
		    path, schema, store_nmigrations);
	else if (rc != 0)
		*cause = xasprintf(_("%s: the digest is damaged (its rows do "
		    "not read): copy it again"), path);
	/* What is inside must be a digest, not another copy. */
	if (rc == 0 && (stmt = store_stmt(sync_local_store(sl), "SELECT kind"
	    " FROM meta WHERE one = 1", "")) != NULL) {
		kind = sqlite3_step(stmt) == SQLITE_ROW ?
		    store_column_dup(stmt, 0) : xstrdup("");
		sqlite3_finalize(stmt);
		if (strcmp(kind, "digest") != 0) {
			*cause = xasprintf(_("%s: not a parta digest (it holds a "
			    "%s store)"), path, kind);
			rc = -1;
		}
		free(kind);
	} else if (rc == 0) {
		*cause = xstrdup(_(perr_str(PERR_DB)));
		rc = -1;
	}
	sync_local_close(sl);
	return rc != 0 ? -1 : 0;
}

int
digest_unpack(const char *path, const char *dir, struct digest_info *info,
    int flags, char **cause)
{
	unsigned char	*buf, *raw = NULL;
	size_t		 len, zoff, zlen;
	uint64_t	 rawlen;
	int		 rc = -1;

	*cause = NULL;
	memset(info, 0, sizeof(*info));
	if (digest_read_all(path, &buf, &len, DIGEST_MAX_FILE, cause) != 0)
		return -1;
	if (digest_check(path, buf, len, info, &zoff, &zlen, &rawlen,
	    cause) != 0) {
		free(buf);
		return -1;
	}
	if (digest_decompress(buf + zoff, zlen, rawlen, &raw) != 0) {
		*cause = xasprintf(_("%s: the digest is damaged (it does not "
		    "decompress): copy it again"), path);
		free(buf);
		goto out;
	}
	free(buf);
	if (digest_rebuild(path, dir, raw, (size_t)rawlen, cause) != 0)
		goto out;
	if ((flags & DIGEST_UNPACK_NOINDEX) == 0 &&
	    digest_reindex(dir, cause) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		digest_info_free(info);
		digest_unpack_clean(dir);
	}
	free(raw);
	return rc;
}

int
digest_add_reader(const char *dir)
{
	struct store	*st;
	char		*path = xasprintf("%s/%s", dir, SYNC_LOCAL_COPY), *cause;
	char		 uuid[37];
	int64_t		 id;
	int		 rc;

	if (store_open_mode(path, STORE_LOCAL, &st, &cause) != 0) {
		log_warn("%s", cause);
		free(cause);
		free(path);
		return PERR_DB;
	}
	free(path);
	uuid_v4(uuid);
	if ((rc = store_begin(st)) == 0) {
		if ((rc = store_new_id(st, "users", &id)) == 0)
			rc = store_write(st, NULL, "INSERT INTO users(id, uuid,"
			    " login, display_name, role, created_at) VALUES (?1,"
			    " ?2, ?3, ?4, 'teacher', 0)", "ittt", id, uuid,
			    DIGEST_READER, _("Reader"));
		rc = store_end(st, rc);
	}
	store_close(st);
	return rc;
}

/* ---- reply packets --------------------------------------------------- */

/* A login as parta makes them: printable ASCII, no blank. */
static int
digest_is_login(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return 1;
}

int
digest_packet_parse(const unsigned char *buf, size_t len,
    struct digest_packet *p, char **cause)
{
	struct bytes_reader	 r;
	struct sync_msg		 m;
	const unsigned char	*at;
	const char		*s;
	size_t			 slen, flen, i, left;
	uint32_t		 format, n;
	int			 rc;

	*cause = NULL;
	memset(p, 0, sizeof(*p));
	if (len < 8 + DIGEST_KEY_LEN || memcmp(buf, PACKET_MAGIC, 8) != 0) {
		*cause = xstrdup(_("not a parta reply packet"));
		return -1;
	}
	bytes_reader_init(&r, buf + 8, len - 8 - DIGEST_KEY_LEN);
	format = bytes_get_u32(&r);
	(void)bytes_get_u32(&r);
	if (!bytes_failed(&r) && format > DIGEST_PACKET_FORMAT) {
		*cause = xasprintf(_("the reply packet is from a newer parta "
		    "(format %u): update parta to import it"), format);
		return -1;
	}
	s = bytes_get_str(&r, &slen);
	if (!digest_dump_is_uuid(s, slen))
		goto bad;
	memcpy(p->digest, s, 36);
	s = bytes_get_str(&r, &slen);
	if (slen == 0 || slen >= sizeof(p->login) || !digest_is_login(s, slen))
		goto bad;
	memcpy(p->login, s, slen);
	n = bytes_get_u32(&r);
	if (bytes_failed(&r))
		goto bad;
	at = (const unsigned char *)bytes_get_raw(&r, 0);
	left = bytes_left(&r);
	p->frames = at;
	for (i = 0; i < n; i++) {
		if (sync_frame_len(at, left, &flen) != 1 || flen > left)
			goto bad;
		memset(&m, 0, sizeof(m));
		rc = sync_decode(at, flen, 0, &m);
		if (rc != 0 || m.type != SYNC_PUSH) {
			sync_msg_free(&m);
			goto bad;
		}
		sync_msg_free(&m);
		at += flen;
		left -= flen;
	}
	if (left != 0)
		goto bad;
	p->nframes = n;
	p->frameslen = (size_t)(at - p->frames);
	p->mac = buf + len - DIGEST_KEY_LEN;
	p->signedlen = len - DIGEST_KEY_LEN;
	return 0;
bad:
	*cause = xstrdup(_("the reply packet is damaged (cut short or "
	    "altered)"));
	return -1;
}

static void
digest_mac(const unsigned char *key, const void *p, size_t len,
    unsigned char out[DIGEST_KEY_LEN])
{
	unsigned int	 ol = DIGEST_KEY_LEN;

	if (HMAC(EVP_sha256(), key, DIGEST_KEY_LEN, p, len, out, &ol) == NULL)
		memset(out, 0, DIGEST_KEY_LEN);
}

/* The kinds a reply packet carries: posts and letters.  Read pointers
 * moved while reading a digest stay in it (the server's move on their
 * own when she reads online). */
static const enum request_kind digest_kinds[] = {
	REQ_THREAD_NEW, REQ_REPLY, REQ_MAIL_SEND,
};

int
digest_packet_carries(const char *kind)
{
	size_t	 i;

	for (i = 0; i < nitems(digest_kinds); i++)
		if (strcmp(request_type(digest_kinds[i])->name, kind) == 0)
			return 1;
	return 0;
}

int
digest_packet_write(struct sync_local *sl, const struct digest_info *di,
    const char *path, size_t *n, char **cause)
{
	struct sync_outbox_item	*v = NULL;
	struct bytes_writer	 w;
	unsigned char		 mac[DIGEST_KEY_LEN];
	size_t			 nv = 0, i, k;
	int			 rc = -1;

	*n = 0;
	*cause = NULL;
	if (sync_local_outbox(sl, SYNC_OUTBOX_WAITING, &v, &nv) != 0) {
		*cause = xstrdup(_(perr_str(PERR_DB)));
		return -1;
	}
	bytes_writer_init(&w, DIGEST_PACKET_MAX);
	bytes_put_raw(&w, PACKET_MAGIC, 8);
	bytes_put_u32(&w, DIGEST_PACKET_FORMAT);
	bytes_put_u32(&w, di->has_key ? PACKET_SIGNED : 0);
	bytes_put_str(&w, di->uuid, strlen(di->uuid));
	bytes_put_str(&w, di->user, strlen(di->user));
	for (i = k = 0; i < nv; i++)
		k += digest_packet_carries(v[i].kind);
	if (k == 0) {		/* read marks only: nothing to carry */
		rc = 0;
		goto out;
	}
	bytes_put_u32(&w, (uint32_t)k);
	for (i = 0; i < nv; i++)
		if (digest_packet_carries(v[i].kind))
			bytes_put_raw(&w, v[i].frame, v[i].len);
	memset(mac, 0, sizeof(mac));
	if (di->has_key)
		digest_mac(di->key, bytes_writer_data(&w), bytes_writer_len(&w),
		    mac);
	bytes_put_raw(&w, mac, sizeof(mac));
	if (bytes_writer_failed(&w))
		*cause = xstrdup(_("too much to carry in one reply packet"));
	else if (digest_write_file(path, bytes_writer_data(&w),
	    bytes_writer_len(&w), cause) == 0) {
		*n = k;
		rc = 0;
	}
out:
	bytes_writer_free(&w);
	sync_outbox_free(v, nv);
	return rc;
}

/* The PUSH frame at p as request r of user u (texts point into m): a
 * kind a reply packet carries, or PERR_REQ_DENIED. */
static int
digest_request(const unsigned char *p, size_t len, struct sync_msg *m,
    struct request *r, struct lib_meta *meta, const struct user *u)
{
	const char	*bad;
	int		 rc;

	memset(m, 0, sizeof(*m));
	memset(r, 0, sizeof(*r));
	if (sync_decode(p, len, 0, m) != 0 || m->type != SYNC_PUSH)
		return PERR_REQ_DENIED;
	if ((rc = sync_rows_push(m, u, r, meta, &bad)) != 0)
		return rc;
	/* A reply packet carries posts and letters, nothing that changes
	 * her account or another's rows. */
	return digest_packet_carries(request_type(r->kind)->name) ? 0 :
	    PERR_REQ_DENIED;
}

int
digest_packet_load(struct sync_local *sl, const char *path,
    const char *digest, const char *login, struct digest_load *res,
    char **cause)
{
	struct digest_packet	 p;
	struct request_result	 rr;
	struct request		 r;
	struct sync_msg		 m;
	struct lib_meta		 meta;
	struct user		*u = NULL;
	unsigned char		*buf;
	const unsigned char	*at;
	size_t			 len, flen, i;
	int			 rc;

	memset(res, 0, sizeof(*res));
	if (digest_read_all(path, &buf, &len, DIGEST_PACKET_MAX, cause) != 0)
		return -1;
	if (digest_packet_parse(buf, len, &p, cause) != 0) {
		free(buf);
		return -1;
	}
	/* Its items would be sent as another's, or signed with the key
	 * of a digest they were not written in. */
	if (digest != NULL && strcmp(p.digest, digest) != 0) {
		*cause = xasprintf(_("%s is the reply packet of another digest "
		    "(%s), not of this one: give it to the sysop first "
		    "(parta-sysop digest import), or name another packet with "
		    "--reply"), path, p.digest);
		free(buf);
		return -1;
	}
	if (login != NULL && strcmp(p.login, login) != 0) {
		*cause = xasprintf(_("%s holds the replies of %s, not yours "
		    "(%s): they go back from her own parta or through the "
		    "sysop"), path, p.login, login);
		free(buf);
		return -1;
	}
	if (user_get(sync_local_store(sl), p.login, &u) != 0) {
		*cause = xasprintf(_("%s: written by %s, who is not in this "
		    "copy"), path, p.login);
		free(buf);
		return -1;
	}
	res->items = p.nframes;
	at = p.frames;
	for (i = 0; i < p.nframes; i++) {
		(void)sync_frame_len(at, p.frameslen - (size_t)(at - p.frames),
		    &flen);
		memset(&meta, 0, sizeof(meta));
		if ((rc = digest_request(at, flen, &m, &r, &meta, u)) == 0) {
			memset(&rr, 0, sizeof(rr));
			rc = sync_local_queue(sl, &r, &rr);
		}
		/* The copy knew its UUID: queued by an earlier load, or
		 * sent already (the server applies it once). */
		if (rc == 0 && rr.again)
			res->again++;
		else if (rc == 0)
			res->queued++;
		else {
			log_warn("%s: item %zu not queued: %s", path, i + 1,
			    perr_str(rc));
			if (res->why == 0)
				res->why = rc;
		}
		sync_msg_free(&m);
		at += flen;
	}
	user_free(u);
	free(buf);
	return 0;
}

/* The key the server keeps for digest uuid, and whose digest it is. */
static int
digest_key_of(struct store *st, const char *uuid, unsigned char *key,
    int64_t *user_id)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stmt = store_stmt(st, "SELECT reply_key, user_id FROM digests WHERE"
	    " uuid = ?1", "t", uuid);
	if ((rc = store_first(st, stmt, "digest key")) == 0) {
		if (digest_unhex((const char *)sqlite3_column_text(stmt, 0), key,
		    DIGEST_KEY_LEN) != 0)
			rc = PERR_NOTFOUND;
		*user_id = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Tell her, in a letter from the sysop, what was not posted. */
static void
digest_tell(struct store *st, const struct user *u,
    const struct digest_import_item *it, const char *what)
{
	struct request_result	 res;
	struct request		 r;
	struct user		*sysop = NULL;
	char			*body;
	int64_t			 id;

	if (store_int(st, &id, "SELECT id FROM users WHERE role = 'sysop'"
	    " ORDER BY id LIMIT 1", "") != 0 ||
	    user_get_by_id(st, id, &sysop) != 0)
		return;
	body = xasprintf(_("Your %s written while reading a digest (%s) was "
	    "not posted: %s\n\n%s"), it->kind, it->uuid,
	    _(perr_str(it->rc)), what);
	request_init(&r, REQ_MAIL_SEND, sysop);
	/* One letter per refused item, however often it is imported: its
	 * UUID is the item's with the first digit changed. */
	strlcpy_p(r.uuid, it->uuid, sizeof(r.uuid));
	r.uuid[0] = r.uuid[0] == 'f' ? 'e' : 'f';
	r.to = u->uuid;
	r.subject = _("A reply from a digest was not posted");
	r.body = body;
	memset(&res, 0, sizeof(res));
	if (request_apply(st, &r, 0, &res) != 0)
		log_warn("digest: the letter to %s about %s not sent",
		    u->login, it->uuid);
	free(body);
	user_free(sysop);
}

int
digest_import(struct store *st, const unsigned char *buf, size_t len,
    void (*report)(void *, const struct digest_import_item *), void *arg,
    char **cause)
{
	struct digest_packet	 p;
	struct digest_import_item it;
	struct request_result	 res;
	struct request		 r;
	struct sync_msg		 m;
	struct lib_meta		 meta;
	struct user		*u = NULL;
	unsigned char		 key[DIGEST_KEY_LEN], mac[DIGEST_KEY_LEN];
	const unsigned char	*at;
	int64_t			 owner = 0;
	size_t			 flen, i;
	int			 rc;

	if (digest_packet_parse(buf, len, &p, cause) != 0)
		return -1;
	rc = digest_key_of(st, p.digest, key, &owner);
	if (rc == PERR_NOTFOUND) {
		*cause = xasprintf(_("the reply packet names digest %s, which "
		    "this server did not make"), p.digest);
		return -1;
	}
	if (rc != 0) {
		*cause = xstrdup(_(perr_str(rc)));
		return -1;
	}
	digest_mac(key, buf, p.signedlen, mac);
	explicit_bzero(key, sizeof(key));
	if (CRYPTO_memcmp(mac, p.mac, sizeof(mac)) != 0) {
		*cause = xstrdup(_("the reply packet's signature does not "
		    "match: it was altered, or not made from this server's "
		    "digest"));
		return -1;
	}
	if (user_get(st, p.login, &u) != 0 || u->id != owner) {
		*cause = xasprintf(_("the reply packet claims to be %s's, but "
		    "its digest was made for another user"), p.login);
		user_free(u);
		return -1;
	}
	at = p.frames;
	for (i = 0; i < p.nframes; i++) {
		(void)sync_frame_len(at, p.frameslen - (size_t)(at - p.frames),
		    &flen);
		memset(&meta, 0, sizeof(meta));
		memset(&it, 0, sizeof(it));
		rc = digest_request(at, flen, &m, &r, &meta, u);
		strlcpy_p(it.uuid, m.type == SYNC_PUSH ? m.push.uuid : "",
		    sizeof(it.uuid));
		it.kind = rc == 0 ? request_type(r.kind)->name : "?";
		if (rc == 0) {
			memset(&res, 0, sizeof(res));
			rc = request_apply(st, &r, 0, &res);
			it.again = rc == 0 && res.again;
		}
		it.rc = rc;
		if (report != NULL)
			report(arg, &it);
		if (rc != 0) {
			log_warn("digest import for %s: %s %s refused: %s",
			    u->login, it.kind, it.uuid, perr_str(rc));
			digest_tell(st, u, &it, r.body != NULL ? r.body : "");
		}
		sync_msg_free(&m);
		at += flen;
	}
	user_free(u);
	return 0;
}
