/*
 * syncdrv.c: parta-syncdrv, a parta-sync client for the tests and the
 * benchmarks (tests/e2e/t-sync*.sh, make bench).  Not the companion
 * client: it speaks the protocol of man/parta-sync.5 with the codec both
 * ends share (common/sync-proto.c) and keeps what it pulled in a state
 * file, one line per row, so that a script can compare it with what the
 * user may see.
 *
 * The state file is written whole, to a temporary name renamed over it,
 * after each batch: a batch and its cursor are committed together, as
 * the man page's rules for resuming ask, so a cut at any byte leaves the
 * state of the last batch committed.  A snapshot is held in memory and
 * committed with its last batch (it replaces the rows held).
 *
 * Files (capability files): "get" fetches a library file by its SHA-256
 * into FILE, keeping what arrived in FILE.part, each chunk checked
 * against its digest before it is written, so a cut leaves only good
 * bytes and the next "get" goes on from there; the whole file is
 * checked at the end.  "put" sends a file the same way, asking first
 * how much the server holds.  -F flips one byte of what arrives, at an
 * offset of the file, before the chunk's check: the damage a client's
 * own memory or disk may do to a chunk, which the chunk's digest is
 * there to catch (over SSH the link itself cannot change a byte
 * unnoticed: its MAC would end the connection).
 *
 * The host key is not checked: the tests run on 127.0.0.1 against a
 * partad they started.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <openssl/evp.h>

#include "bytes.h"
#include "sync-proto.h"
#include "sync-zstd.h"
#include "util.h"

struct drow {
	char	 entity[24];
	char	 uuid[37];
	char	*fields;	/* "name=T:value\t...", escaped */
	int64_t	 id, board_id, thread_id, poll_id;
	int	 mark;		/* snapshot: not seen yet */
};

static struct {
	const char	*host, *login, *password, *keyfile, *state, *caps;
	int		 port, bench, verbose, compress;
	FILE		*frames;	/* -D: every frame received */
	uint32_t	 budget;
	uint32_t	 chunk;		/* files: bytes a chunk */
	int64_t		 flip;		/* files: the offset to damage; -1 */
	ssh_session	 ssh;
	ssh_channel	 ch;
	int		 hello;
	unsigned char	*in;
	size_t		 inlen;
	struct sync_zstd_in *z;		/* zstd granted: what in is fed by */
	uint64_t	 up, down;	/* channel payload bytes */
	size_t		 flen;		/* of the last frame received */
	int64_t		 cursor;
	struct drow	*rows;
	size_t		 nrows;
} D = { .host = "127.0.0.1", .budget = 65536, .caps = "live,columns,names,zstd",
    .chunk = SYNC_MAX_CHUNK, .flip = -1 };

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fprintf(stderr, "parta-syncdrv: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static int64_t
drv_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the state ------------------------------------------------------ */

static void
drv_esc(FILE *fp, const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\' || c == '|')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\x%02x", c);
		else
			fputc(c, fp);
	}
}

/* The ids of a row that the cascades follow, by field name. */
static const struct {
	const char	*name;
	size_t		 off;
} drv_ids[] = {
	{ .name = "id", .off = offsetof(struct drow, id) },
	{ .name = "board_id", .off = offsetof(struct drow, board_id) },
	{ .name = "thread_id", .off = offsetof(struct drow, thread_id) },
	{ .name = "poll_id", .off = offsetof(struct drow, poll_id) },
};

/* An INT field f into d, when it is one of drv_ids. */
static void
drv_id(struct drow *d, const struct sync_field *f)
{
	size_t	 i;

	for (i = 0; i < nitems(drv_ids); i++)
		if (strcmp(f->name, drv_ids[i].name) == 0)
			*(int64_t *)(void *)((char *)d + drv_ids[i].off) = f->i;
}

/* A row's fields as one escaped string; its ids for the cascades. */
static char *
drv_fields(const struct sync_row *r, struct drow *d)
{
	const struct sync_field	*f;
	char			*buf = NULL;
	size_t			 len = 0, i, k;
	FILE			*fp = open_memstream(&buf, &len);

	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		fprintf(fp, "%s%s=", i ? "\t" : "", f->name);
		switch (f->type) {
		case SYNC_F_NULL:
			fprintf(fp, "N:");
			break;
		case SYNC_F_INT:
			fprintf(fp, "I:%lld", (long long)f->i);
			drv_id(d, f);
			break;
		case SYNC_F_TEXT:
		case SYNC_F_BLOB:
		case SYNC_F_UUID:
			fprintf(fp, "%c:", f->type == SYNC_F_BLOB ? 'B' : 'T');
			drv_esc(fp, f->s, f->len);
			break;
		case SYNC_F_INTS:
			fprintf(fp, "L:");
			for (k = 0; k < f->n; k++)
				fprintf(fp, "%s%lld", k ? "," : "",
				    (long long)f->ints[k]);
			break;
		case SYNC_F_TEXTS:
			fprintf(fp, "S:");
			for (k = 0; k < f->n; k++) {
				fprintf(fp, "%s", k ? "|" : "");
				drv_esc(fp, f->texts[k], strlen(f->texts[k]));
			}
			break;
		case SYNC_F_RANGES:
			fprintf(fp, "R:");
			for (k = 0; k < f->n; k++)
				fprintf(fp, "%s%lld-%lld", k ? "," : "",
				    (long long)f->ranges[k].first,
				    (long long)f->ranges[k].last);
			break;
		default:
			break;
		}
	}
	fclose(fp);
	return buf;
}

static struct drow *
drv_find(const char *entity, const char *uuid)
{
	size_t	 i;

	for (i = 0; i < D.nrows; i++)
		if (strcmp(D.rows[i].uuid, uuid) == 0 &&
		    strcmp(D.rows[i].entity, entity) == 0)
			return &D.rows[i];
	return NULL;
}

static void
drv_remove_at(size_t i)
{
	free(D.rows[i].fields);
	D.rows[i] = D.rows[--D.nrows];
}

/* Drop a row and what goes with it (man page: a board its threads and
 * polls, a thread its posts, a poll its options and votes). */
static void
drv_drop(const char *entity, const char *uuid)
{
	struct drow	*d = drv_find(entity, uuid);
	char		 e[24], u[37];
	int64_t		 id;
	size_t		 i;

	if (d == NULL)
		return;
	id = d->id;
	strlcpy_p(e, d->entity, sizeof(e));
	drv_remove_at((size_t)(d - D.rows));
	for (i = D.nrows; i-- > 0; ) {
		if (i >= D.nrows)
			continue;
		d = &D.rows[i];
		strlcpy_p(u, d->uuid, sizeof(u));
		if (strcmp(e, "board") == 0 && d->board_id == id &&
		    (strcmp(d->entity, "thread") == 0 ||
		    strcmp(d->entity, "poll") == 0)) {
			drv_drop(d->entity, u);
			i = D.nrows;
		} else if (strcmp(e, "thread") == 0 && d->thread_id == id &&
		    (strcmp(d->entity, "post") == 0 ||
		    strcmp(d->entity, "thread_read") == 0))
			drv_remove_at(i);
		else if (strcmp(e, "poll") == 0 && d->poll_id == id &&
		    (strcmp(d->entity, "poll_option") == 0 ||
		    strcmp(d->entity, "vote") == 0))
			drv_remove_at(i);
	}
}

static void
drv_apply(const struct sync_row *r)
{
	struct drow	*d, n;

	if (r->op == SYNC_DELETE) {
		drv_drop(r->entity, r->uuid);
		return;
	}
	memset(&n, 0, sizeof(n));
	strlcpy_p(n.entity, r->entity, sizeof(n.entity));
	strlcpy_p(n.uuid, r->uuid, sizeof(n.uuid));
	n.fields = drv_fields(r, &n);
	if ((d = drv_find(r->entity, r->uuid)) != NULL) {
		free(d->fields);
		*d = n;
		return;
	}
	D.rows = xrealloc(D.rows, (D.nrows + 1) * sizeof(*D.rows));
	D.rows[D.nrows++] = n;
}

static int
drv_cmp(const void *a, const void *b)
{
	const struct drow	*x = a, *y = b;
	int			 c = strcmp(x->entity, y->entity);

	return c != 0 ? c : strcmp(x->uuid, y->uuid);
}

static void
drv_write(FILE *fp)
{
	size_t	 i;

	qsort(D.rows, D.nrows, sizeof(*D.rows), drv_cmp);
	for (i = 0; i < D.nrows; i++)
		fprintf(fp, "%s %s\t%s\n", D.rows[i].entity, D.rows[i].uuid,
		    D.rows[i].fields);
}

/* Commit: the rows and the cursor, together. */
static void
drv_save(void)
{
	char	*tmp;
	FILE	*fp;

	if (D.state == NULL)
		return;
	tmp = xasprintf("%s.tmp", D.state);
	if ((fp = fopen(tmp, "w")) == NULL)
		die("%s: %s", tmp, strerror(errno));
	fprintf(fp, "cursor %lld\n", (long long)D.cursor);
	drv_write(fp);
	if (fflush(fp) != 0 || fsync(fileno(fp)) != 0 || fclose(fp) != 0 ||
	    rename(tmp, D.state) != 0)
		die("%s: %s", D.state, strerror(errno));
	free(tmp);
}

static void
drv_load(void)
{
	char		*line = NULL, *sp, *tab;
	size_t		 cap = 0;
	ssize_t		 n;
	struct drow	 d;
	FILE		*fp;
	long long	 c;

	if (D.state == NULL || (fp = fopen(D.state, "r")) == NULL)
		return;
	if (getline(&line, &cap, fp) > 0 && sscanf(line, "cursor %lld", &c) == 1)
		D.cursor = c;
	while ((n = getline(&line, &cap, fp)) > 0) {
		line[n - 1] = '\0';
		if ((sp = strchr(line, ' ')) == NULL ||
		    (tab = strchr(sp, '\t')) == NULL)
			continue;
		memset(&d, 0, sizeof(d));
		*sp = *tab = '\0';
		strlcpy_p(d.entity, line, sizeof(d.entity));
		strlcpy_p(d.uuid, sp + 1, sizeof(d.uuid));
		d.fields = xstrdup(tab + 1);
		/* The ids, for the cascades. */
		for (sp = d.fields; sp != NULL && *sp != '\0'; ) {
			long long v;

			if (sscanf(sp, "id=I:%lld", &v) == 1)
				d.id = v;
			else if (sscanf(sp, "board_id=I:%lld", &v) == 1)
				d.board_id = v;
			else if (sscanf(sp, "thread_id=I:%lld", &v) == 1)
				d.thread_id = v;
			else if (sscanf(sp, "poll_id=I:%lld", &v) == 1)
				d.poll_id = v;
			sp = strchr(sp, '\t');
			if (sp != NULL)
				sp++;
		}
		D.rows = xrealloc(D.rows, (D.nrows + 1) * sizeof(*D.rows));
		D.rows[D.nrows++] = d;
	}
	free(line);
	fclose(fp);
}

/* ---- the link ------------------------------------------------------- */

static void
drv_connect(void)
{
	ssh_key	 key = NULL;
	int	 rc, verbosity = 0;

	D.ssh = ssh_new();
	ssh_options_set(D.ssh, SSH_OPTIONS_HOST, D.host);
	ssh_options_set(D.ssh, SSH_OPTIONS_PORT, &D.port);
	ssh_options_set(D.ssh, SSH_OPTIONS_USER, D.login);
	ssh_options_set(D.ssh, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
	ssh_options_set(D.ssh, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
	ssh_options_set(D.ssh, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
	/* -C: ask for zlib@openssh.com, as "ssh -C" does (the bench). */
	if (D.compress)
		ssh_options_set(D.ssh, SSH_OPTIONS_COMPRESSION, "yes");
	if (ssh_connect(D.ssh) != SSH_OK)
		die("connect: %s", ssh_get_error(D.ssh));
	if (D.keyfile != NULL) {
		if (ssh_pki_import_privkey_file(D.keyfile, NULL, NULL, NULL,
		    &key) != SSH_OK)
			die("%s: cannot read the key", D.keyfile);
		rc = ssh_userauth_publickey(D.ssh, NULL, key);
		ssh_key_free(key);
	} else
		rc = ssh_userauth_password(D.ssh, NULL,
		    D.password != NULL ? D.password : "");
	if (rc != SSH_AUTH_SUCCESS)
		die("authentication failed: %s", ssh_get_error(D.ssh));
	if ((D.ch = ssh_channel_new(D.ssh)) == NULL ||
	    ssh_channel_open_session(D.ch) != SSH_OK)
		die("channel: %s", ssh_get_error(D.ssh));
	if (ssh_channel_request_subsystem(D.ch, "parta-sync") != SSH_OK)
		die("the subsystem was refused: %s", ssh_get_error(D.ssh));
	D.in = xmalloc(4 + SYNC_FRAME_MAX);
}

static void
drv_write_raw(const void *p, size_t len)
{
	if (ssh_channel_write(D.ch, p, (uint32_t)len) != (int)len)
		die("write: %s", ssh_get_error(D.ssh));
	D.up += len;
}

static void
drv_send(const struct sync_msg *m)
{
	struct bytes_writer	 w;
	int			 rc;

	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	if ((rc = sync_encode(&w, m)) != 0)
		die("cannot encode %s: %s", sync_type_name(m->type),
		    sync_strerror(rc));
	drv_write_raw(bytes_writer_data(&w), bytes_writer_len(&w));
	bytes_writer_free(&w);
}

/* The next frame into *m within ms: 1, 0 on a timeout, -1 when the
 * channel closed (exit 3: the link was cut). */
static int
drv_recv(struct sync_msg *m, int ms)
{
	int64_t		 end = drv_ms() + ms;
	unsigned char	*at;
	size_t		 flen, room, made;
	int		 n, rc;

	memset(m, 0, sizeof(*m));
	for (;;) {
		rc = sync_frame_len(D.in, D.inlen, &flen);
		if (rc < 0)
			die("the server sent a frame of a bad length");
		if (rc == 1) {
			if (D.frames != NULL) {
				fwrite(D.in, 1, flen, D.frames);
				fflush(D.frames);
			}
			if ((rc = sync_decode(D.in, flen, 1, m)) != 0)
				die("the server sent a bad frame: %s (%s)",
				    sync_strerror(rc), m->why);
			memmove(D.in, D.in + flen, D.inlen - flen);
			D.inlen -= flen;
			D.flen = flen;
			/* What follows WELCOME is the zstd stream. */
			if (D.z == NULL &&
			    sync_welcome_grants(m, SYNC_CAP_ZSTD)) {
				D.z = sync_zstd_in_new();
				if (sync_zstd_in_put(D.z, D.in, D.inlen) != 0)
					die("too much after WELCOME");
				D.inlen = 0;
			}
			return 1;
		}
		at = D.in + D.inlen;
		room = 4 + SYNC_FRAME_MAX - D.inlen;
		if (D.z != NULL) {
			if (sync_zstd_in_take(D.z, at, room, &made) != 0)
				die("the server sent a bad zstd stream");
			D.inlen += made;
			if (made > 0)
				continue;
			if ((at = sync_zstd_in_room(D.z, &room)) == NULL ||
			    room == 0)
				die("the server sent a bad zstd stream");
		}
		if (ssh_channel_is_eof(D.ch) || ssh_channel_is_closed(D.ch))
			return -1;
		if (drv_ms() >= end)
			return 0;
		n = ssh_channel_read_timeout(D.ch, at, (uint32_t)room, 0,
		    (int)(end - drv_ms() > 0 ? end - drv_ms() : 1));
		if (n == SSH_ERROR)
			return -1;
		if (D.z != NULL)
			sync_zstd_in_got(D.z, (size_t)n);
		else
			D.inlen += (size_t)n;
		D.down += (size_t)n;
	}
}

/* A frame the command waits for; a cut link ends the driver (exit 3). */
static void
drv_expect(struct sync_msg *m, int ms)
{
	int	 rc = drv_recv(m, ms);

	if (rc < 0) {
		printf("cut\n");
		exit(3);
	}
	if (rc == 0)
		die("no answer within %d ms", ms);
	if (m->type == SYNC_ERROR) {
		printf("error code=%d reason=%s\n", -m->error.code,
		    m->error.reason);
		exit(4);
	}
}

static void
drv_hello(void)
{
	struct sync_msg	 m;
	char		*caps = xstrdup(D.caps), *c, *save = NULL;

	if (D.hello)
		return;
	memset(&m, 0, sizeof(m));
	m.type = SYNC_HELLO;
	m.hello.versions[0] = SYNC_VERSION;
	m.hello.nversions = 1;
	for (c = strtok_r(caps, ",", &save); c != NULL &&
	    m.hello.ncaps < SYNC_MAX_CAPS; c = strtok_r(NULL, ",", &save))
		m.hello.caps[m.hello.ncaps++] = c;
	m.hello.agent = "parta-syncdrv";
	drv_send(&m);
	free(caps);
	drv_expect(&m, 30000);
	if (m.type != SYNC_WELCOME)
		die("HELLO answered by %s", sync_type_name(m.type));
	if (D.verbose) {
		size_t i;

		printf("welcome version=%u caps=", m.welcome.version);
		for (i = 0; i < m.welcome.ncaps; i++)
			printf("%s%s", i ? "," : "", m.welcome.caps[i]);
		printf("\n");
	}
	sync_msg_free(&m);
	D.hello = 1;
}

/* ---- the commands ---------------------------------------------------- */

/* Apply batch m as a pull's (a snapshot's with its last, the others
 * each with its cursor), counting into *rows; 1 if more follow. */
static int
drv_batch(const struct sync_msg *m, size_t *rows, int *snapshot)
{
	size_t	 i, k;

	*rows += m->batch.nrows;
	if (m->batch.flags & SYNC_BATCH_FIRST) {
		*snapshot = 1;
		for (k = 0; k < D.nrows; k++)
			D.rows[k].mark = 1;
	}
	for (i = 0; i < m->batch.nrows; i++) {
		struct drow *d;

		if (D.verbose)
			printf("row %s %s %s\n", m->batch.rows[i].op ==
			    SYNC_DELETE ? "delete" : "upsert",
			    m->batch.rows[i].entity, m->batch.rows[i].uuid);
		drv_apply(&m->batch.rows[i]);
		if ((d = drv_find(m->batch.rows[i].entity,
		    m->batch.rows[i].uuid)) != NULL)
			d->mark = 0;
	}
	if (D.verbose)
		printf("batch rows=%zu cursor=%llu flags=%u packed=%d"
		    " bytes=%zu named=%d columns=%d\n", m->batch.nrows,
		    (unsigned long long)m->batch.cursor, m->batch.flags,
		    m->batch.packed, D.flen, m->batch.named,
		    m->batch.columns);
	/* A snapshot's batches are committed with its last. */
	if (!(m->batch.flags & SYNC_BATCH_SNAPSHOT) ||
	    !(m->batch.flags & SYNC_BATCH_MORE)) {
		if (m->batch.flags & SYNC_BATCH_SNAPSHOT)
			for (k = D.nrows; k-- > 0; )
				if (k < D.nrows && D.rows[k].mark)
					drv_remove_at(k);
		D.cursor = (int64_t)m->batch.cursor;
		drv_save();
	}
	return (m->batch.flags & SYNC_BATCH_MORE) != 0;
}

static void
drv_pull(void)
{
	struct sync_msg	 m;
	size_t		 rows = 0, batches = 0, pushed = 0;
	int		 snapshot = 0, more;

	drv_hello();
	memset(&m, 0, sizeof(m));
	m.type = SYNC_PULL;
	m.pull.cursor = (uint64_t)D.cursor;
	m.pull.budget = D.budget;
	drv_send(&m);
	for (;;) {
		drv_expect(&m, 60000);
		if (m.type == SYNC_NOTICE) {
			sync_msg_free(&m);
			continue;
		}
		if (m.type == SYNC_ESTIMATE) {
			printf("estimate rows=%llu\n",
			    (unsigned long long)m.estimate.rows);
			sync_msg_free(&m);
			continue;
		}
		if (m.type == SYNC_STALE) {
			printf("stale floor=%llu head=%llu\n",
			    (unsigned long long)m.stale.floor,
			    (unsigned long long)m.stale.head);
			sync_msg_free(&m);
			return;
		}
		if (m.type != SYNC_BATCH)
			die("PULL answered by %s", sync_type_name(m.type));
		if (m.batch.flags & SYNC_BATCH_PUSHED) {
			/* The server's own, before ours: applied alike. */
			(void)drv_batch(&m, &pushed, &snapshot);
			sync_msg_free(&m);
			continue;
		}
		batches++;
		more = drv_batch(&m, &rows, &snapshot);
		sync_msg_free(&m);
		if (!more)
			break;
	}
	printf("pulled rows=%zu batches=%zu cursor=%lld snapshot=%d\n", rows,
	    batches, (long long)D.cursor, snapshot);
}

/* The next frame into *m before end (drv_ms()): 1, or 0 when the time
 * is up; a cut link prints "cut" and ends the driver (status 3). */
static int
drv_until(int64_t end, struct sync_msg *m)
{
	int	 rc;

	if (drv_ms() >= end)
		return 0;
	if ((rc = drv_recv(m, (int)(end - drv_ms()))) < 0) {
		printf("cut\n");
		exit(3);
	}
	return rc;
}

/* stream SECS: wait for the server's own batches (capability stream),
 * applied as a pull's; 0 once the last is in, 1 on a NOTICE or none.
 * With cut (stream-cut SECS N), after the Nth pushed batch that has
 * more to follow the driver ends at once, its socket closed unclosed:
 * the client of a link cut in the middle of a push. */
static int
drv_stream(int secs, int cut)
{
	struct sync_msg	 m;
	int64_t		 end = drv_ms() + secs * 1000LL;
	size_t		 rows = 0, batches = 0;
	int		 snapshot = 0;

	drv_hello();
	while (drv_until(end, &m)) {
		if (m.type == SYNC_BATCH &&
		    (m.batch.flags & SYNC_BATCH_PUSHED)) {
			batches++;
			if (drv_batch(&m, &rows, &snapshot) == 1 &&
			    cut > 0 && --cut == 0) {
				printf("cut after %zu pushed batches\n",
				    batches);
				_exit(3);
			}
			if (!(m.batch.flags & SYNC_BATCH_MORE)) {
				printf("streamed rows=%zu batches=%zu"
				    " cursor=%lld\n", rows, batches,
				    (long long)D.cursor);
				sync_msg_free(&m);
				return 0;
			}
		} else if (m.type == SYNC_NOTICE) {
			printf("notice head=%llu\n",
			    (unsigned long long)m.notice.head);
			sync_msg_free(&m);
			return 1;
		} else
			printf("unexpected %s flags=%u\n",
			    sync_type_name(m.type), m.type == SYNC_BATCH ?
			    m.batch.flags : 0);
		sync_msg_free(&m);
	}
	printf("no stream\n");
	return 1;
}

/* The type of a push's field, by its name (man page, PUSH). */
static enum sync_ftype
drv_ftype(const char *name)
{
	static const char *const uuids[] = { "board", "thread", "post",
	    "letter", "to", "news", "poll", "item" };
	size_t	 i;

	for (i = 0; i < nitems(uuids); i++)
		if (strcmp(name, uuids[i]) == 0)
			return SYNC_F_UUID;
	if (strcmp(name, "number") == 0 || strcmp(name, "when") == 0)
		return SYNC_F_INT;
	if (strcmp(name, "list") == 0)
		return SYNC_F_TEXTS;
	if (strcmp(name, "choice") == 0)
		return SYNC_F_INTS;
	return SYNC_F_TEXT;
}

/* A value as typed: \e, \n and \\ in text; lists split on '|' or ','. */
static char *
drv_unesc(const char *s)
{
	char	*o = xmalloc(strlen(s) + 1), *p = o;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			*p++ = *s == 'e' ? '\033' : *s == 'n' ? '\n' : *s;
		} else
			*p++ = *s;
	}
	*p = '\0';
	return o;
}

static void
drv_print_answer(const struct sync_msg *m)
{
	size_t	 i;

	if (m->type == SYNC_APPLIED) {
		printf("applied again=%d rows=%zu", m->applied.again,
		    m->applied.nrows);
		for (i = 0; i < m->applied.nrows; i++)
			printf(" %s:%s:%s", m->applied.rows[i].op ==
			    SYNC_DELETE ? "delete" : "upsert",
			    m->applied.rows[i].entity, m->applied.rows[i].uuid);
		printf("\n");
	} else if (m->type == SYNC_REFUSED)
		printf("refused code=%d field=%s reason=%s\n",
		    -m->refused.code, m->refused.field, m->refused.reason);
	else
		printf("answered %s\n", sync_type_name(m->type));
}

/* The next answer that is not a NOTICE. */
static void
drv_answer(struct sync_msg *m)
{
	for (;;) {
		drv_expect(m, 60000);
		if (m->type != SYNC_NOTICE)
			return;
		sync_msg_free(m);
	}
}

/* The answer into *m, if it is of the type want: 1.  Otherwise it is
 * printed and freed: 0. */
static int
drv_answer_is(struct sync_msg *m, int want)
{
	drv_answer(m);
	if ((int)m->type == want)
		return 1;
	drv_print_answer(m);
	sync_msg_free(m);
	return 0;
}

/* push KIND UUID NAME=VALUE...: returns the arguments used. */
static int
drv_push(int argc, char **argv)
{
	struct sync_field	 f[SYNC_MAX_FIELDS];
	struct sync_msg		 m;
	char			*vals[SYNC_MAX_FIELDS];
	const char		*texts[64][64];
	int64_t			 ints[64][64];
	int			 n = 0, used = 2, i;
	char			*eq, *tok, *save;

	if (argc < 2)
		die("push KIND UUID [NAME=VALUE...]");
	drv_hello();
	memset(&m, 0, sizeof(m));
	m.type = SYNC_PUSH;
	m.push.kind = argv[0];
	strlcpy_p(m.push.uuid, argv[1], sizeof(m.push.uuid));
	for (i = 2; i < argc && n < 64 && (eq = strchr(argv[i], '=')) != NULL &&
	    eq != argv[i] && strchr("abcdefghijklmnopqrstuvwxyz", argv[i][0]);
	    i++, used++) {
		*eq = '\0';
		memset(&f[n], 0, sizeof(f[n]));
		f[n].name = argv[i];
		f[n].type = drv_ftype(argv[i]);
		vals[n] = drv_unesc(eq + 1);
		switch (f[n].type) {
		case SYNC_F_INT:
			f[n].i = strtoll(vals[n], NULL, 10);
			break;
		case SYNC_F_TEXTS:
		case SYNC_F_INTS:
			save = NULL;
			for (tok = strtok_r(vals[n], f[n].type == SYNC_F_TEXTS ?
			    "|" : ",", &save); tok != NULL && f[n].n < 64;
			    tok = strtok_r(NULL, f[n].type == SYNC_F_TEXTS ?
			    "|" : ",", &save)) {
				texts[n][f[n].n] = tok;
				ints[n][f[n].n] = strtoll(tok, NULL, 10);
				f[n].n++;
			}
			f[n].texts = texts[n];
			f[n].ints = ints[n];
			break;
		default:
			f[n].s = vals[n];
			f[n].len = strlen(vals[n]);
			break;
		}
		n++;
	}
	m.push.fields = f;
	m.push.nfields = (size_t)n;
	drv_send(&m);
	for (i = 0; i < n; i++)
		free(vals[i]);
	drv_answer(&m);
	drv_print_answer(&m);
	for (i = 0; m.type == SYNC_APPLIED && i < (int)m.applied.nrows; i++)
		if (D.verbose)
			drv_apply(&m.applied.rows[i]);
	sync_msg_free(&m);
	return used;
}

/* read ENTITY UUID FIRST-LAST[,FIRST-LAST...] */
static void
drv_read(const char *entity, const char *uuid, const char *spec)
{
	struct sync_range	 r[64];
	struct sync_msg		 m;
	char			*s = xstrdup(spec), *tok, *save = NULL;
	size_t			 n = 0;
	long long		 a, b;

	drv_hello();
	for (tok = strtok_r(s, ",", &save); tok != NULL && n < 64;
	    tok = strtok_r(NULL, ",", &save))
		if (sscanf(tok, "%lld-%lld", &a, &b) == 2) {
			r[n].first = a;
			r[n++].last = b;
		}
	free(s);
	memset(&m, 0, sizeof(m));
	m.type = SYNC_READ;
	strlcpy_p(m.read.uuid, uuid, sizeof(m.read.uuid));
	m.read.entity = entity;
	m.read.ranges = r;
	m.read.nranges = n;
	drv_send(&m);
	drv_answer(&m);
	drv_print_answer(&m);
	sync_msg_free(&m);
}

static int
drv_notice(int secs)
{
	struct sync_msg	 m;
	int64_t		 end = drv_ms() + secs * 1000LL;

	drv_hello();
	while (drv_until(end, &m)) {
		if (m.type == SYNC_NOTICE) {
			printf("notice head=%llu\n",
			    (unsigned long long)m.notice.head);
			sync_msg_free(&m);
			return 0;
		}
		if (m.type == SYNC_ERROR)
			printf("error code=%d reason=%s\n", -m.error.code,
			    m.error.reason);
		else
			printf("unexpected %s\n", sync_type_name(m.type));
		sync_msg_free(&m);
	}
	printf("no notice\n");
	return 1;
}

/* send-hex HEX: bytes as they are (a bad frame), in lower-case hex. */
static void
drv_send_hex(const char *hex)
{
	size_t		 n = strlen(hex) / 2;
	unsigned char	*b = xmalloc(n + 1);

	if (hex_parse(hex, n, b) != 0)
		die("bad hex");
	drv_write_raw(b, n);
	free(b);
}

/* expect-error SECS: the one ERROR frame, then the channel's end. */
static int
drv_expect_error(int secs)
{
	struct sync_msg	 m;
	int		 rc, frames = 0, code = 0;

	while ((rc = drv_recv(&m, secs * 1000)) == 1) {
		if (m.type == SYNC_ERROR) {
			printf("error code=%d reason=%s\n", -m.error.code,
			    m.error.reason);
			code = -m.error.code;
			frames++;
		} else if (frames > 0)
			printf("a frame after ERROR: %s\n",
			    sync_type_name(m.type));
		sync_msg_free(&m);
	}
	if (rc == 0) {
		printf("not closed\n");
		return 1;
	}
	printf("closed errors=%d\n", frames);
	return frames == 1 && code > 0 ? 0 : 1;
}

/* ---- files ------------------------------------------------------------ */

/* The 64 lower-case hex digits of hex into b: 0, or -1. */
static int
drv_sha_parse(const char *hex, unsigned char b[32])
{
	return strlen(hex) == 64 ? hex_parse(hex, 32, b) : -1;
}

/* The SHA-256 of the open file fp from its start, in hex, into hex. */
static void
drv_sha_file(FILE *fp, char hex[65])
{
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	unsigned char	 buf[65536], md[32];
	size_t		 n;

	rewind(fp);
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	hex_format(md, sizeof(md), hex);
}

/*
 * get SHA FILE: fetch the library file SHA into FILE, going on from
 * FILE.part.  Prints "got ..." (0), "refused ..." (1), or "damaged"
 * when the whole file does not match (5; FILE.part is removed).
 */
static int
drv_get(const char *hex, const char *path)
{
	struct sync_msg	 m;
	unsigned char	 sha[32], md[32], *data = xmalloc(SYNC_MAX_CHUNK);
	unsigned int	 mdlen;
	char		*part = xasprintf("%s.part", path), got[65];
	uint64_t	 from, off, size = UINT64_MAX;
	int		 chunks = 0, bad = 0, rc = 0;
	FILE		*fp;

	if (drv_sha_parse(hex, sha) != 0)
		die("get: not a SHA-256: %s", hex);
	if ((fp = fopen(part, "a+b")) == NULL || fseeko(fp, 0, SEEK_END) != 0)
		die("%s: %s", part, strerror(errno));
	from = off = (uint64_t)ftello(fp);
	drv_hello();
	while (off < size) {
		memset(&m, 0, sizeof(m));
		m.type = SYNC_FILE_GET;
		memcpy(m.file_get.sha256, sha, 32);
		m.file_get.offset = off;
		m.file_get.length = D.chunk;
		drv_send(&m);
		if (!drv_answer_is(&m, SYNC_FILE_DATA)) {
			rc = 1;
			goto out;
		}
		size = m.file_data.size;
		memcpy(data, m.file_data.data, m.file_data.len);
		if (D.flip >= 0 && (uint64_t)D.flip >= off &&
		    (uint64_t)D.flip < off + m.file_data.len) {
			data[D.flip - (int64_t)off] ^= 0x40;
			D.flip = -1;	/* once */
		}
		mdlen = sizeof(md);
		EVP_Digest(data, m.file_data.len, md, &mdlen, EVP_sha256(),
		    NULL);
		if (memcmp(md, m.file_data.chunk_sha256, 32) != 0) {
			printf("chunk-bad offset=%llu\n", (unsigned long long)off);
			sync_msg_free(&m);
			if (++bad > 3)
				die("get: chunk at %llu damaged again and again",
				    (unsigned long long)off);
			continue;	/* ask for it again */
		}
		if (fwrite(data, 1, m.file_data.len, fp) != m.file_data.len ||
		    fflush(fp) != 0)
			die("%s: %s", part, strerror(errno));
		off += m.file_data.len;
		chunks++;
		if (m.file_data.len == 0)
			size = off;
		sync_msg_free(&m);
	}
	drv_sha_file(fp, got);
	if (strcmp(got, hex) != 0) {
		printf("damaged sha=%s\n", got);
		unlink(part);
		rc = 5;
		goto out;
	}
	if (rename(part, path) != 0)
		die("%s: %s", path, strerror(errno));
	printf("got size=%llu from=%llu chunks=%d bad=%d\n",
	    (unsigned long long)size, (unsigned long long)from, chunks, bad);
out:
	fclose(fp);
	free(part);
	free(data);
	return rc;
}

/*
 * put FILE NAME: send FILE as an upload called NAME, from what the
 * server holds.  Prints "put size=... from=... have=..." (0) or
 * "refused ..." (1).
 */
static int
drv_put(const char *path, const char *name)
{
	struct sync_msg	 m;
	unsigned char	 sha[32], *data = xmalloc(SYNC_MAX_CHUNK);
	char		 hex[65];
	uint64_t	 size, have, from = 0;
	size_t		 n;
	int		 rc = 0;
	FILE		*fp;

	if ((fp = fopen(path, "rb")) == NULL)
		die("%s: %s", path, strerror(errno));
	drv_sha_file(fp, hex);
	(void)drv_sha_parse(hex, sha);
	fseeko(fp, 0, SEEK_END);
	size = (uint64_t)ftello(fp);
	drv_hello();
	have = UINT64_MAX;
	for (;;) {
		memset(&m, 0, sizeof(m));
		m.type = SYNC_FILE_PUT;
		memcpy(m.file_put.sha256, sha, 32);
		m.file_put.size = size;
		m.file_put.name = name;
		n = 0;
		if (have != UINT64_MAX) {
			/* The next chunk, from what the server holds. */
			m.file_put.offset = have;
			n = size - have < D.chunk ? (size_t)(size - have) :
			    D.chunk;
			if (fseeko(fp, (off_t)have, SEEK_SET) != 0 ||
			    fread(data, 1, n, fp) != n)
				die("%s: %s", path, strerror(errno));
			m.file_put.data = data;
			m.file_put.len = n;
		}
		drv_send(&m);
		if (!drv_answer_is(&m, SYNC_FILE_HAVE)) {
			rc = 1;
			break;
		}
		if (have == UINT64_MAX)
			from = m.file_have.have;
		else if (m.file_have.have <= have && n > 0)
			die("put: the server holds %llu after a chunk at %llu",
			    (unsigned long long)m.file_have.have,
			    (unsigned long long)have);
		have = m.file_have.have;
		sync_msg_free(&m);
		if (have >= size) {
			printf("put size=%llu from=%llu have=%llu sha=%s\n",
			    (unsigned long long)size, (unsigned long long)from,
			    (unsigned long long)have, hex);
			break;
		}
	}
	fclose(fp);
	free(data);
	return rc;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: parta-syncdrv -p PORT -l LOGIN (-w PASSWORD | -i KEY)"
	    " [-H HOST] [-s STATE]\n"
	    "    [-b BUDGET] [-c CAPS] [-k CHUNK] [-F OFFSET] [-B] [-C] [-D FILE]"
	    " [-v] COMMAND...\n"
	    "commands, run in order on one connection:\n"
	    "  pull                      pull from the state's cursor until"
	    " done\n"
	    "  push KIND UUID [N=V...]   one request; prints applied or"
	    " refused\n"
	    "  read ENTITY UUID A-B,...  read state as ranges\n"
	    "  notice SECS               wait for a NOTICE\n"
	    "  stream SECS               wait for the server's own rows"
	    " (-c stream)\n"
	    "  stream-cut SECS N         the same, but end abruptly after"
	    " the Nth\n"
	    "                            pushed batch with more to follow\n"
	    "  send-hex HEX              raw bytes, as they are\n"
	    "  expect-error SECS         the one ERROR, then the close\n"
	    "  hello                     HELLO now (else before the first"
	    " frame)\n"
	    "  eof                       send EOF: no more from the client\n"
	    "  sleep MS                  wait\n"
	    "  dump                      print the state's rows\n"
	    "  get SHA FILE              fetch a library file, going on from"
	    " FILE.part\n"
	    "  put FILE NAME             upload FILE, going on from what the"
	    " server holds\n"
	    "-k BYTES: a file chunk (default 131072); -F OFFSET: damage the"
	    " byte at\n"
	    "OFFSET of what \"get\" receives, once, before its check.\n"
	    "-B prints \"phase NAME up=BYTES down=BYTES ms=MS\" for each\n"
	    "command (channel payload bytes; the relay counts the wire).\n"
	    "-C asks for SSH's compression (zlib@openssh.com); -D FILE\n"
	    "appends every frame received to FILE (the bench's study),\n"
	    "decompressed when -c asks for zstd.\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int64_t	 t0;
	uint64_t up0, down0;
	int	 c, i, rc = 0, n;

	while ((c = getopt(argc, argv, "H:p:l:w:i:s:b:c:k:F:BCD:v")) != -1) {
		switch (c) {
		case 'H': D.host = optarg; break;
		case 'p': D.port = atoi(optarg); break;
		case 'l': D.login = optarg; break;
		case 'w': D.password = optarg; break;
		case 'i': D.keyfile = optarg; break;
		case 's': D.state = optarg; break;
		case 'b': D.budget = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'c': D.caps = optarg; break;
		case 'k': D.chunk = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'F': D.flip = strtoll(optarg, NULL, 10); break;
		case 'B': D.bench = 1; break;
		case 'C': D.compress = 1; break;
		case 'D':
			if ((D.frames = fopen(optarg, "a")) == NULL)
				die("%s: %s", optarg, strerror(errno));
			break;
		case 'v': D.verbose = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 || (D.login == NULL && strcmp(argv[0], "dump") != 0))
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	drv_load();
	if (strcmp(argv[0], "dump") != 0) {
		t0 = drv_ms();
		drv_connect();
		if (D.bench)
			printf("phase connect up=0 down=0 ms=%lld\n",
			    (long long)(drv_ms() - t0));
	}
	for (i = 0; i < argc; i++) {
		t0 = drv_ms();
		up0 = D.up;
		down0 = D.down;
		n = 1;
		if (strcmp(argv[i], "pull") == 0)
			drv_pull();
		else if (strcmp(argv[i], "push") == 0)
			n += drv_push(argc - i - 1, argv + i + 1);
		else if (strcmp(argv[i], "read") == 0 && i + 3 < argc) {
			drv_read(argv[i + 1], argv[i + 2], argv[i + 3]);
			n += 3;
		} else if (strcmp(argv[i], "notice") == 0 && i + 1 < argc) {
			rc |= drv_notice(atoi(argv[i + 1]));
			n++;
		} else if (strcmp(argv[i], "stream") == 0 && i + 1 < argc) {
			rc |= drv_stream(atoi(argv[i + 1]), 0);
			n++;
		} else if (strcmp(argv[i], "stream-cut") == 0 &&
		    i + 2 < argc) {
			rc |= drv_stream(atoi(argv[i + 1]), atoi(argv[i + 2]));
			n += 2;
		} else if (strcmp(argv[i], "send-hex") == 0 && i + 1 < argc) {
			drv_send_hex(argv[i + 1]);
			n++;
		} else if (strcmp(argv[i], "expect-error") == 0 &&
		    i + 1 < argc) {
			rc |= drv_expect_error(atoi(argv[i + 1]));
			n++;
		} else if (strcmp(argv[i], "get") == 0 && i + 2 < argc) {
			rc |= drv_get(argv[i + 1], argv[i + 2]);
			n += 2;
		} else if (strcmp(argv[i], "put") == 0 && i + 2 < argc) {
			rc |= drv_put(argv[i + 1], argv[i + 2]);
			n += 2;
		} else if (strcmp(argv[i], "hello") == 0)
			drv_hello();
		else if (strcmp(argv[i], "eof") == 0)
			ssh_channel_send_eof(D.ch);
		else if (strcmp(argv[i], "sleep") == 0 && i + 1 < argc) {
			usleep((useconds_t)atoi(argv[i + 1]) * 1000);
			n++;
		} else if (strcmp(argv[i], "dump") == 0)
			drv_write(stdout);
		else
			usage();
		if (D.bench)
			printf("phase %s up=%llu down=%llu ms=%lld\n", argv[i],
			    (unsigned long long)(D.up - up0),
			    (unsigned long long)(D.down - down0),
			    (long long)(drv_ms() - t0));
		i += n - 1;
	}
	if (D.ch != NULL) {
		ssh_channel_send_eof(D.ch);
		ssh_channel_close(D.ch);
		ssh_channel_free(D.ch);
	}
	if (D.ssh != NULL) {
		ssh_disconnect(D.ssh);
		ssh_free(D.ssh);
	}
	return rc;
}
