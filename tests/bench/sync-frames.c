/*
 * sync-frames.c: parta-sync-frames, the frames of parta-sync's
 * benchmark (tests/bench/b-sync.sh) encoded with the real codec
 * (common/sync-proto.c), and the compression study on them.
 *
 *   parta-sync-frames [-b BUDGET] [-D DICT] [-o OUT] [-S DIR] [-w WLOG]
 *       (-f FRAMES [-7] [-P] | -r FIRST-LAST [-s] [-m] POSTS.TSV)
 *   parta-sync-frames -x STORE <SQL
 *
 * POSTS.TSV is what tests/bench/sync-posts.awk writes.  The tool plays
 * the server answering one PULL: the posts FIRST..LAST (line numbers) as
 * upserts of "post" rows, with the "thread" rows they touch (a new post
 * changes its thread: count, last post) and, with -s, as a snapshot: the
 * board and the 40 authors' "user" rows first, every batch flagged
 * SNAPSHOT.  With -m it answers instead a live connection's one new
 * letter: a NOTICE, then one BATCH with the "mail" row (post LAST's text
 * as the letter's body).  The rows carry the columns of the store's
 * tables (common/store-schema.c), as a server that sends whole rows
 * would; the batches fill up to BUDGET bytes (default 65536) as the man
 * page says.  The client's HELLO and PULL are counted apart ("up").
 *
 * With -x STORE it only runs the SQL of its standard input on a parta
 * store opened as partad opens it (its FTS tokenizer registered, which
 * the sqlite3 shell lacks), for b-sync.sh to fill a store whose triggers
 * write the change log.  With -f FRAMES it encodes nothing: the frames are those a real server
 * sent (tests/sync/syncdrv.c -F writes them), and only the study runs;
 * with -7 on their rows' UUIDs made time-ordered (sf_uuid7_frames()),
 * with -P on their batches with names encoded again as BATCH_PACKED
 * (sf_pack_frames()).
 *
 * -o writes the server's frames, back to back, to OUT (to be carried by
 * a real SSH connection through the relay); -S writes each row as a
 * one-row BATCH frame into DIR, the samples for "zstd --train".  It
 * prints one line of key=value figures, bytes of:
 *   up       the client's frames; raw the server's frames
 *   zlib6, zlib7
 *            deflate as zlib@openssh.com does it: one stream for the
 *            whole connection, a partial flush after each SSH packet
 *            (channel data of at most 32 KiB); OpenSSH's client uses
 *            level 6, libssh (partad's side) 7
 *   zstdL    each frame compressed alone at level L (1, 3, 9, 19), as
 *            a "zstd" capability would wrap a BATCH: 9 bytes of frame
 *            header and original length added to each
 *   zstdLd   the same with the dictionary DICT (-D)
 *   zstdLs   one zstd stream for the connection, flushed after each
 *            frame (context kept from batch to batch), a window of
 *            2^WLOG bytes (-w, default 20: 1 MiB);
 *            zstdLsd the same, the stream primed with DICT;
 *            zstdLs_kb and zstdLs_ms its context's memory (what a
 *            connection would hold) and the CPU time it took
 *   zcap     the capability zstd as partad sends it (sync-zstd.c: the
 *            stream unwrapped, its bounded parameters); zcap_kb its
 *            context's memory
 * It measures; it asserts nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include <zlib.h>
#include <zstd.h>

#include "bytes.h"
#include "store.h"
#include "sync-proto.h"
#include "sync-zstd.h"
#include "util.h"

#define MAX_POSTS	100000
#define AUTHORS		40
#define SSH_PACKET	32768	/* channel data per SSH packet, at most */
#define ZWRAP		9	/* length, type, original length */

struct post {
	long		 id, thread, reply, author, created;
	char		*subject, *body;
};

static struct post	*posts;
static size_t		 nposts;
static uint64_t		 rng = 0x9e3779b97f4a7c15ULL;

/* The frames of the server's answer, kept for the study. */
static unsigned char	**frames;
static size_t		*frame_len, nframes;
static size_t		 up_bytes;

static void
sf_die(const char *what)
{
	fprintf(stderr, "parta-sync-frames: %s\n", what);
	exit(2);
}

/* A reproducible UUID (version 4 layout) from a 64-bit PRNG. */
static void
sf_uuid(char out[37])
{
	unsigned char	 b[16];
	int		 i;

	for (i = 0; i < 16; i++) {
		rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
		b[i] = (unsigned char)rng;
	}
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Undo sync-posts.awk's escapes in place. */
static void
sf_unescape(char *s)
{
	char	*d = s;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] == 'n')
			*d++ = '\n', s++;
		else if (*s == '\\' && s[1] == '\\')
			*d++ = '\\', s++;
		else
			*d++ = *s;
	}
	*d = '\0';
}

static void
sf_load(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*line = NULL, *p, *fld[7];
	size_t	 cap = 0;
	int	 i;

	if (f == NULL)
		sf_die("cannot open the posts");
	posts = calloc(MAX_POSTS, sizeof(*posts));
	if (posts == NULL)
		sf_die("out of memory");
	while (getline(&line, &cap, f) > 0 && nposts < MAX_POSTS) {
		line[strcspn(line, "\n")] = '\0';
		p = line;
		for (i = 0; i < 7; i++)
			fld[i] = strsep(&p, "\t");
		if (fld[6] == NULL)
			sf_die("a line of the posts has fewer than 7 fields");
		sf_unescape(fld[6]);
		posts[nposts++] = (struct post){ .id = atol(fld[0]),
		    .thread = atol(fld[1]), .reply = atol(fld[2]),
		    .author = atol(fld[3]), .created = atol(fld[4]),
		    .subject = strdup(fld[5]), .body = strdup(fld[6]) };
	}
	free(line);
	fclose(f);
}

/* Field constructors. */
static struct sync_field
sf_int(const char *name, int64_t v)
{
	return (struct sync_field){ .name = name, .type = SYNC_F_INT, .i = v };
}

static struct sync_field
sf_text(const char *name, const char *s)
{
	return (struct sync_field){ .name = name, .type = SYNC_F_TEXT, .s = s,
	    .len = strlen(s) };
}

static struct sync_field
sf_null(const char *name)
{
	return (struct sync_field){ .name = name, .type = SYNC_F_NULL };
}

/* A row being built: its fields live with it. */
struct sf_row {
	struct sync_row		 row;
	struct sync_field	 f[16];
	char			 buf[4][96];
};

static void
sf_row_start(struct sf_row *r, const char *entity)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->row.entity, sizeof(r->row.entity), "%s", entity);
	sf_uuid(r->row.uuid);
	r->row.op = SYNC_UPSERT;
	r->row.fields = r->f;
}

static const char *const names[] = { "Анна Иванова", "Борис Петров",
	"Валентина Сергеевна Кузнецова", "Галина Михайловна", "Дмитрий Орлов",
	"Елена Викторовна", "Жанна Ким", "Зоя Белова", "Ирина Соколова",
	"Ксения Павлова" };
static const char *const schools[] = { "МБОУ СОШ с. Березовка",
	"МКОУ ООШ д. Малиновка", "Гимназия № 2 г. Заречный",
	"МБОУ СОШ № 1 пос. Северный" };

/* The rows of one answer, in the change log's order. */
static struct sf_row	*rows;
static size_t		 nrows, rowcap;

static struct sf_row *
sf_add(const char *entity)
{
	/* Allocated once: rows point into themselves (fields, buffers). */
	if (rows == NULL) {
		rowcap = 2 * nposts + AUTHORS + 8;
		if ((rows = calloc(rowcap, sizeof(*rows))) == NULL)
			sf_die("out of memory");
	}
	if (nrows == rowcap)
		sf_die("too many rows");
	sf_row_start(&rows[nrows], entity);
	return &rows[nrows++];
}

static void
sf_user_row(long a)
{
	struct sf_row	*r = sf_add("user");

	snprintf(r->buf[0], sizeof(r->buf[0]), "teacher%02ld", a);
	snprintf(r->buf[1], sizeof(r->buf[1]), "%s", names[a % 10]);
	r->f[r->row.nfields++] = sf_int("id", a + 1);
	r->f[r->row.nfields++] = sf_text("login", r->buf[0]);
	r->f[r->row.nfields++] = sf_text("display_name", r->buf[1]);
	r->f[r->row.nfields++] = sf_text("school", schools[a % 4]);
	r->f[r->row.nfields++] = sf_text("subjects", "математика, физика");
	r->f[r->row.nfields++] = sf_text("role", "teacher");
	r->f[r->row.nfields++] = sf_int("created_at", 1763000000 + a * 86400);
}

static void
sf_thread_row(const struct post *first, const struct post *last, long count)
{
	struct sf_row	*r = sf_add("thread");

	r->f[r->row.nfields++] = sf_int("id", first->thread);
	r->f[r->row.nfields++] = sf_int("board_id", 1);
	r->f[r->row.nfields++] = sf_int("author_id", first->author + 1);
	r->f[r->row.nfields++] = sf_text("subject", first->subject);
	r->f[r->row.nfields++] = sf_int("created_at", first->created);
	r->f[r->row.nfields++] = sf_int("last_post_at", last->created);
	r->f[r->row.nfields++] = sf_int("last_post_id", last->id);
	r->f[r->row.nfields++] = sf_int("posts", count);
	r->f[r->row.nfields++] = sf_int("locked", 0);
	r->f[r->row.nfields++] = sf_int("pinned", 0);
	r->f[r->row.nfields++] = sf_null("hidden_at");
}

static void
sf_post_row(const struct post *p)
{
	struct sf_row	*r = sf_add("post");

	r->f[r->row.nfields++] = sf_int("id", p->id);
	r->f[r->row.nfields++] = sf_int("thread_id", p->thread);
	r->f[r->row.nfields++] = sf_int("author_id", p->author + 1);
	r->f[r->row.nfields++] = p->reply ? sf_int("reply_to", p->reply) :
	    sf_null("reply_to");
	r->f[r->row.nfields++] = sf_text("subject", p->subject);
	r->f[r->row.nfields++] = sf_text("body", p->body);
	r->f[r->row.nfields++] = sf_int("created_at", p->created);
	r->f[r->row.nfields++] = sf_null("edited_at");
	r->f[r->row.nfields++] = sf_null("hidden_at");
}

static void
sf_mail_row(const struct post *p)
{
	struct sf_row	*r = sf_add("mail");

	r->f[r->row.nfields++] = sf_int("id", 1);
	r->f[r->row.nfields++] = sf_int("from_id", p->author + 1);
	r->f[r->row.nfields++] = sf_int("to_id", 1);
	r->f[r->row.nfields++] = sf_text("subject", "Вопрос по вашему посту");
	r->f[r->row.nfields++] = sf_text("body", p->body);
	r->f[r->row.nfields++] = sf_int("created_at", p->created);
	r->f[r->row.nfields++] = sf_null("read_at");
	r->f[r->row.nfields++] = sf_null("reply_to");
}

/* Encode m and keep the frame (server) or count it (client). */
static void
sf_emit(const struct sync_msg *m, int server)
{
	struct bytes_writer	 w;

	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	if (sync_encode(&w, m) != 0)
		sf_die("a frame did not encode");
	if (!server) {
		up_bytes += bytes_writer_len(&w);
		bytes_writer_free(&w);
		return;
	}
	frames = realloc(frames, (nframes + 1) * sizeof(*frames));
	frame_len = realloc(frame_len, (nframes + 1) * sizeof(*frame_len));
	if (frames == NULL || frame_len == NULL)
		sf_die("out of memory");
	frame_len[nframes] = bytes_writer_len(&w);
	frames[nframes] = malloc(frame_len[nframes]);
	if (frames[nframes] == NULL)
		sf_die("out of memory");
	memcpy(frames[nframes], bytes_writer_data(&w), frame_len[nframes]);
	nframes++;
	bytes_writer_free(&w);
}

/* The size of one row in a batch: a one-row batch less its frame. */
static size_t
sf_row_size(const struct sync_row *row)
{
	struct bytes_writer	 w;
	struct sync_msg		 m = { .type = SYNC_BATCH };
	size_t			 n;

	m.batch.rows = row;
	m.batch.nrows = 1;
	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	if (sync_encode(&w, &m) != 0)
		sf_die("a row did not encode");
	n = bytes_writer_len(&w) - 18;	/* header, nrows, cursor, flags */
	bytes_writer_free(&w);
	return n;
}

/* Cut the rows into batches under budget, as the server does. */
static void
sf_batches(size_t budget, int snapshot, uint64_t cursor)
{
	struct sync_row	*r;
	size_t		 i = 0, j, len;
	int		 first = 1;

	r = calloc(nrows ? nrows : 1, sizeof(*r));
	if (r == NULL)
		sf_die("out of memory");
	for (j = 0; j < nrows; j++)
		r[j] = rows[j].row;
	while (i < nrows || first) {
		struct sync_msg	 m = { .type = SYNC_BATCH };

		len = 18;
		for (j = i; j < nrows; j++) {
			size_t	 n = sf_row_size(&r[j]);

			if (j > i && len + n > budget)
				break;
			len += n;
		}
		m.batch.rows = r + i;
		m.batch.nrows = j - i;
		m.batch.flags = (j < nrows ? SYNC_BATCH_MORE : 0) |
		    (snapshot ? SYNC_BATCH_SNAPSHOT : 0) |
		    (snapshot && first ? SYNC_BATCH_FIRST : 0);
		m.batch.cursor = snapshot && j < nrows ? 0 : cursor;
		sf_emit(&m, 1);
		i = j;
		first = 0;
	}
	free(r);
}

/* zlib@openssh.com: one deflate stream, a partial flush per packet. */
static size_t
sf_zlib(int level)
{
	z_stream	 z;
	unsigned char	 out[SSH_PACKET * 2];
	size_t		 total = 0, i, off, n;

	memset(&z, 0, sizeof(z));
	if (deflateInit(&z, level) != Z_OK)
		sf_die("deflateInit");
	for (i = 0; i < nframes; i++)
		for (off = 0; off < frame_len[i]; off += n) {
			n = frame_len[i] - off;
			if (n > SSH_PACKET)
				n = SSH_PACKET;
			z.next_in = frames[i] + off;
			z.avail_in = (uInt)n;
			do {
				z.next_out = out;
				z.avail_out = sizeof(out);
				deflate(&z, Z_PARTIAL_FLUSH);
				total += sizeof(out) - z.avail_out;
			} while (z.avail_out == 0);
		}
	deflateEnd(&z);
	return total;
}

/* Each frame alone, with or without a dictionary. */
static size_t
sf_zstd(int level, const void *dict, size_t dictlen)
{
	ZSTD_CCtx	*c = ZSTD_createCCtx();
	size_t		 total = 0, i, cap, n;
	void		*out;

	for (i = 0; i < nframes; i++) {
		cap = ZSTD_compressBound(frame_len[i]);
		if ((out = malloc(cap)) == NULL)
			sf_die("out of memory");
		n = dict ? ZSTD_compress_usingDict(c, out, cap, frames[i],
		    frame_len[i], dict, dictlen, level) :
		    ZSTD_compressCCtx(c, out, cap, frames[i], frame_len[i], level);
		if (ZSTD_isError(n))
			sf_die("zstd failed");
		total += n + ZWRAP;
		free(out);
	}
	ZSTD_freeCCtx(c);
	return total;
}

/* One stream for the connection, flushed after each frame. */
static int	 window_log = 20;
static size_t	 stream_mem;	/* the last stream's context, bytes */
static double	 stream_ms;	/* and its CPU time */

static size_t
sf_zstd_stream(int level, const void *dict, size_t dictlen)
{
	ZSTD_CCtx	*c = ZSTD_createCCtx();
	unsigned char	 out[1 << 16];
	size_t		 total = 0, i, left;
	clock_t		 t0 = clock();

	ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level);
	ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, window_log);
	if (dict != NULL)
		ZSTD_CCtx_loadDictionary(c, dict, dictlen);
	for (i = 0; i < nframes; i++) {
		ZSTD_inBuffer	 in = { frames[i], frame_len[i], 0 };

		do {
			ZSTD_outBuffer	 o = { out, sizeof(out), 0 };

			left = ZSTD_compressStream2(c, &o, &in, ZSTD_e_flush);
			if (ZSTD_isError(left))
				sf_die("zstd failed");
			total += o.pos;
		} while (left != 0);
		total += ZWRAP;	/* a protocol frame around each flush */
	}
	stream_ms = (double)(clock() - t0) * 1000 / CLOCKS_PER_SEC;
	stream_mem = ZSTD_sizeof_CCtx(c);
	ZSTD_freeCCtx(c);
	return total;
}

/* The capability zstd as partad sends it (common/sync-zstd.c): the
 * bytes after WELCOME, one stream, flushed after each frame, unwrapped. */
static size_t
sf_zstd_cap(size_t *kb)
{
	struct sync_zstd_out	*z = sync_zstd_out_new();
	unsigned char		*out;
	size_t			 total = 0, i, made;

	for (i = 0; i < nframes; i++) {
		out = xmalloc(sync_zstd_out_bound(frame_len[i]));
		if (sync_zstd_out_put(z, frames[i], frame_len[i], out,
		    sync_zstd_out_bound(frame_len[i]), &made) != 0)
			sf_die("zstd failed");
		free(out);
		total += made;
	}
	*kb = sync_zstd_out_memory(z) / 1024;
	sync_zstd_out_free(z);
	return total;
}

static void	*sf_slurp(const char *, size_t *);

/* -x: the SQL on standard input, run on the store at path. */
static int
sf_exec(const char *path)
{
	struct store	*st;
	char		*cause = NULL, *err = NULL, *sql = NULL;
	size_t		 cap = 0, len = 0;
	ssize_t		 n;
	char		 buf[65536];

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		if (len + (size_t)n + 1 > cap) {
			cap = (len + (size_t)n + 1) * 2;
			if ((sql = realloc(sql, cap)) == NULL)
				sf_die("out of memory");
		}
		memcpy(sql + len, buf, (size_t)n);
		len += (size_t)n;
	}
	if (sql == NULL)
		return 0;
	sql[len] = '\0';
	if (store_open(path, &st, &cause) != 0) {
		fprintf(stderr, "parta-sync-frames: %s\n", cause);
		free(cause);
		return 1;
	}
	sqlite3_busy_timeout(store_db(st), 20000);
	if (sqlite3_exec(store_db(st), sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "parta-sync-frames: %s\n", err);
		sqlite3_free(err);
		store_close(st);
		return 1;
	}
	store_close(st);
	free(sql);
	return 0;
}

/* A one-row BATCH frame as the file DIR/rowN: a sample for zstd --train. */
static void
sf_sample(const char *dir, size_t n, const struct sync_row *row, size_t nrow)
{
	struct sync_msg		 m = { .type = SYNC_BATCH };
	struct bytes_writer	 w;
	char			 path[4096];
	FILE			*f;

	m.batch.rows = row;
	m.batch.nrows = nrow;
	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	snprintf(path, sizeof(path), "%s/row%05zu", dir, n);
	if (sync_encode(&w, &m) != 0 || (f = fopen(path, "wb")) == NULL)
		sf_die("cannot write a sample");
	fwrite(bytes_writer_data(&w), 1, bytes_writer_len(&w), f);
	fclose(f);
	bytes_writer_free(&w);
}

/* The frames of a file a server's frames were appended to. */
static void
sf_read_frames(const char *path)
{
	unsigned char	*buf;
	size_t		 len, off = 0, flen;

	buf = sf_slurp(path, &len);
	while (off < len && sync_frame_len(buf + off, len - off, &flen) == 1) {
		frames = realloc(frames, (nframes + 1) * sizeof(*frames));
		frame_len = realloc(frame_len, (nframes + 1) * sizeof(*frame_len));
		if (frames == NULL || frame_len == NULL ||
		    (frames[nframes] = malloc(flen)) == NULL)
			sf_die("out of memory");
		memcpy(frames[nframes], buf + off, flen);
		frame_len[nframes++] = flen;
		off += flen;
	}
	if (off != len)
		sf_die("the frames file ends inside a frame");
	free(buf);
}

/* Frame i (read with -f) replaced by m, encoded. */
static void
sf_reencode(size_t i, const struct sync_msg *m)
{
	struct bytes_writer	 w;

	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	if (sync_encode(&w, m) != 0)
		sf_die("a frame did not encode again");
	free(frames[i]);
	frame_len[i] = bytes_writer_len(&w);
	if ((frames[i] = malloc(frame_len[i])) == NULL)
		sf_die("out of memory");
	memcpy(frames[i], bytes_writer_data(&w), frame_len[i]);
	bytes_writer_free(&w);
}

/*
 * -7: each row's UUID in the frames read (-f) made a time-ordered one
 * (RFC 9562 UUIDv7: 48 bits of Unix milliseconds, then random), its
 * time the row's created_at (or the row before's), the same UUID for
 * the same row wherever it recurs; the frames encoded again as they
 * came (plain or in columns).  What new rows' UUIDs would cost if the
 * server made them so.
 */
static void
sf_uuid7_frames(void)
{
	struct { char from[37], to[37]; } *map = NULL;
	size_t		 nmap = 0, i, j, k;
	int64_t		 ms = 1763000000000LL;

	for (i = 0; i < nframes; i++) {
		struct sync_msg		 m;
		struct sync_row		*r;

		if (sync_decode(frames[i], frame_len[i], 1, &m) != 0 ||
		    m.type != SYNC_BATCH || m.batch.nrows == 0) {
			sync_msg_free(&m);
			continue;
		}
		if ((r = calloc(m.batch.nrows, sizeof(*r))) == NULL)
			sf_die("out of memory");
		for (j = 0; j < m.batch.nrows; j++) {
			r[j] = m.batch.rows[j];
			for (k = 0; k < r[j].nfields; k++)
				if (strcmp(r[j].fields[k].name,
				    "created_at") == 0 &&
				    r[j].fields[k].type == SYNC_F_INT)
					ms = r[j].fields[k].i * 1000 +
					    (int64_t)(rng % 1000);
			for (k = 0; k < nmap; k++)
				if (strcmp(map[k].from, r[j].uuid) == 0)
					break;
			if (k == nmap) {
				unsigned char	 b[16];
				int		 n;

				map = realloc(map, (nmap + 1) * sizeof(*map));
				if (map == NULL)
					sf_die("out of memory");
				memcpy(map[k].from, r[j].uuid, 37);
				for (n = 0; n < 6; n++)
					b[n] = (unsigned char)(ms >> (40 - 8 * n));
				for (n = 6; n < 16; n++) {
					rng ^= rng << 13; rng ^= rng >> 7;
					rng ^= rng << 17;
					b[n] = (unsigned char)rng;
				}
				b[6] = (b[6] & 0x0f) | 0x70;
				b[8] = (b[8] & 0x3f) | 0x80;
				snprintf(map[k].to, 37, "%02x%02x%02x%02x-%02x%02x-"
				    "%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
				    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
				    b[8], b[9], b[10], b[11], b[12], b[13], b[14],
				    b[15]);
				nmap++;
			}
			memcpy(r[j].uuid, map[k].to, 37);
		}
		m.batch.rows = r;
		sf_reencode(i, &m);
		free(r);
		sync_msg_free(&m);
	}
	free(map);
}

/*
 * -P: each BATCH in columns with names of the frames read (-f) encoded
 * again as BATCH_PACKED (capability packed); the other frames as they
 * came.  What the same rows cost in the packed encoding.
 */
static void
sf_pack_frames(void)
{
	size_t	 i;

	for (i = 0; i < nframes; i++) {
		struct sync_msg		 m;

		if (sync_decode(frames[i], frame_len[i], 1, &m) != 0 ||
		    m.type != SYNC_BATCH || !m.batch.named) {
			sync_msg_free(&m);
			continue;
		}
		m.batch.packed = 1;
		sf_reencode(i, &m);
		sync_msg_free(&m);
	}
}

static void *
sf_slurp(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	long	 n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		sf_die("cannot read a file");
	rewind(f);
	if ((buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n)
		sf_die("cannot read a file");
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int
main(int argc, char **argv)
{
	const char	*out_path = NULL, *dict_path = NULL, *sample_dir = NULL;
	const char	*frames_path = NULL;
	size_t		 budget = 65536, first = 0, last = 0, i, dictlen = 0;
	int		 ch, snapshot = 0, mail = 0, uuid7 = 0, pack = 0;
	void		*dict = NULL;
	const int	 levels[] = { 1, 3, 9, 19 };

	while ((ch = getopt(argc, argv, "7b:D:f:mo:Pr:sS:w:x:")) != -1) {
		switch (ch) {
		case '7': uuid7 = 1; break;
		case 'P': pack = 1; break;
		case 'b': budget = strtoul(optarg, NULL, 10); break;
		case 'w': window_log = atoi(optarg); break;
		case 'x': return sf_exec(optarg);
		case 'D': dict_path = optarg; break;
		case 'f': frames_path = optarg; break;
		case 'm': mail = 1; break;
		case 'o': out_path = optarg; break;
		case 'r':
			if (sscanf(optarg, "%zu-%zu", &first, &last) != 2)
				sf_die("-r FIRST-LAST");
			break;
		case 's': snapshot = 1; break;
		case 'S': sample_dir = optarg; break;
		default:
			fprintf(stderr, "usage: parta-sync-frames [-7P] [-b BUDGET] "
			    "[-D DICT] [-o OUT] [-S DIR] [-w WLOG] (-f FRAMES | "
			    "-r FIRST-LAST [-s] [-m] POSTS.TSV)\n");
			return 2;
		}
	}
	if (frames_path != NULL) {
		sf_read_frames(frames_path);
		if (uuid7)
			sf_uuid7_frames();
		if (pack)
			sf_pack_frames();
		goto study;
	}
	if (optind + 1 != argc || first < 1 || last < first)
		sf_die("give -r FIRST-LAST and the posts");
	if (budget < SYNC_MIN_BUDGET || budget > SYNC_FRAME_MAX)
		sf_die("the budget is out of bounds");
	sf_load(argv[optind]);
	if (last > nposts)
		sf_die("-r goes past the posts");

	/* The client: HELLO, then PULL right behind it. */
	{
		struct sync_msg	 h = { .type = SYNC_HELLO }, p = { .type = SYNC_PULL };

		h.hello.versions[0] = SYNC_VERSION;
		h.hello.nversions = 1;
		h.hello.caps[h.hello.ncaps++] = SYNC_CAP_LIVE;
		h.hello.caps[h.hello.ncaps++] = SYNC_CAP_FILES;
		h.hello.agent = "parta 0.3";
		p.pull.cursor = snapshot ? 0 : 5000 + first;
		p.pull.budget = (uint32_t)budget;
		if (!mail)
			sf_emit(&h, 0);
		sf_emit(&p, 0);
	}

	if (mail) {
		struct sync_msg	 n = { .type = SYNC_NOTICE };

		n.notice.head = 9000;
		sf_emit(&n, 1);
		sf_mail_row(&posts[last - 1]);
	} else {
		if (snapshot) {
			struct sf_row	*b = sf_add("board");

			b->f[b->row.nfields++] = sf_int("id", 1);
			b->f[b->row.nfields++] = sf_text("name", "metodika");
			b->f[b->row.nfields++] = sf_text("title", "Методика");
			b->f[b->row.nfields++] = sf_text("description",
			    "Уроки, планы, обмен опытом");
			b->f[b->row.nfields++] = sf_int("min_role", 1);
			for (i = 0; i < AUTHORS; i++)
				sf_user_row((long)i);
		}
		/* Each thread the posts touch, as it stands after them, then
		 * the posts; a new thread's row comes before its posts. */
		for (i = first - 1; i < last; i++) {
			const struct post	*p = &posts[i], *t0 = NULL, *tl = p;
			size_t			 j;
			long			 count = 0;
			int			 seen = 0;

			for (j = first - 1; j < i; j++)
				if (posts[j].thread == p->thread)
					seen = 1;
			if (!seen) {
				for (j = 0; j < last; j++)
					if (posts[j].thread == p->thread) {
						if (t0 == NULL)
							t0 = &posts[j];
						tl = &posts[j];
						count++;
					}
				sf_thread_row(t0, tl, count);
			}
			sf_post_row(p);
		}
	}
	sf_batches(budget, snapshot, 6000 + last);

	if (sample_dir != NULL)
		for (i = 0; i < nrows; i++)
			sf_sample(sample_dir, i, &rows[i].row, 1);
	if (out_path != NULL) {
		FILE	*f = fopen(out_path, "wb");

		if (f == NULL)
			sf_die("cannot write the frames");
		for (i = 0; i < nframes; i++)
			fwrite(frames[i], 1, frame_len[i], f);
		if (fclose(f) != 0)
			sf_die("cannot write the frames");
	}

study:
	/* Real frames: each row of each BATCH a sample of its own. */
	if (frames_path != NULL && sample_dir != NULL)
		for (i = 0; i < nframes; i++) {
			struct sync_msg	 m;
			size_t		 j;

			if (sync_decode(frames[i], frame_len[i], 1, &m) == 0 &&
			    m.type == SYNC_BATCH)
				for (j = 0; j < m.batch.nrows; j++)
					sf_sample(sample_dir, nrows++,
					    &m.batch.rows[j], 1);
			sync_msg_free(&m);
		}
	if (dict_path != NULL)
		dict = sf_slurp(dict_path, &dictlen);
	{
		size_t	 raw = 0, zcap, zkb;

		for (i = 0; i < nframes; i++)
			raw += frame_len[i];
		printf("frames=%zu rows=%zu up=%zu raw=%zu zlib6=%zu zlib7=%zu",
		    nframes, nrows, up_bytes, raw, sf_zlib(6), sf_zlib(7));
		zcap = sf_zstd_cap(&zkb);
		printf(" zcap=%zu zcap_kb=%zu", zcap, zkb);
	}
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		printf(" zstd%d=%zu", levels[i], sf_zstd(levels[i], NULL, 0));
		if (dict != NULL)
			printf(" zstd%dd=%zu", levels[i],
			    sf_zstd(levels[i], dict, dictlen));
		printf(" zstd%ds=%zu", levels[i], sf_zstd_stream(levels[i],
		    NULL, 0));
		printf(" zstd%ds_kb=%zu zstd%ds_ms=%.0f", levels[i],
		    stream_mem / 1024, levels[i], stream_ms);
		if (dict != NULL)
			printf(" zstd%dsd=%zu", levels[i],
			    sf_zstd_stream(levels[i], dict, dictlen));
	}
	printf("\n");
	free(dict);
	return 0;
}
