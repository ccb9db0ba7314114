/*
 * syncd.c: the parta-sync server (syncd.h, man/parta-sync.5), in the
 * channel's child.
 *
 * One loop over one socket: frames come in through a buffer of one frame
 * at most, are decoded by common/sync-proto.c and answered in turn into
 * an output queue that the loop writes as the relay takes it.  What
 * bounds a connection's memory: the input buffer (one frame), the queue
 * (two frames at most: no frame is read while it holds one, or
 * SYNCD_WAITING answers), and a pull's batch
 * (its budget).  A client that does not read its answers fills the
 * relay, which stops reading this socket (relay.c), and this loop then
 * stops reading frames.
 *
 * A pull is answered one batch at a time, the next built only once the
 * last has gone out, and no other frame is read meanwhile but to refuse
 * a second PULL.  A batch holds rows as they are now, read with the
 * visibility rules of the screens (sync_rows_entities[]): the change log says
 * which rows to look at, and a row the user may not see now goes as a
 * delete, whatever the change said, so that a post hidden after its
 * change was logged never leaves the server.  A snapshot (cursor 0) is
 * one read transaction, walking each entity's table by rowid.
 *
 * Live notices: once a second, when PRAGMA data_version says another
 * connection committed, the log is asked whether this user may see a
 * change newer than what she was last told of; if so, one NOTICE.
 * With the capability stream the server instead answers that NOTICE
 * itself: a pull of its own from where the last pull ended (s->cursor,
 * her copy's cursor once she has applied what was sent), batches marked
 * PUSHED, begun only when the queue is empty, so a slow link holds at
 * most one push and what comes meanwhile is coalesced into the next.
 * Her own PULL read meanwhile waits for the push's end, then is
 * answered as ever (rows as they are now: applying one twice is
 * harmless).  With estimate, a pull of many rows starts with ESTIMATE.
 *
 * With the capability zstd the queue is compressed as a whole into a
 * second buffer (wire) once the last one is all out, one flush per
 * turn, so the queue's bounds hold as before and the client can decode
 * every frame that has come; WELCOME itself goes uncompressed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board-sql.h"
#include "board.h"
#include "bytes.h"
#include "changes.h"
#include "i18n.h"
#include "library.h"
#include "log.h"
#include "partad.h"
#include "perr.h"
#include "relay.h"
#include "request-keys.h"
#include "request.h"
#include "store.h"
#include "sync-files.h"
#include "sync-proto.h"
#include "sync-rows.h"
#include "sync-zstd.h"
#include "syncd.h"
#include "user.h"
#include "util.h"
#include "worker.h"

#define SYNCD_WAITING	32	/* answers queued before frames wait */
#define SYNCD_PAGE	256	/* changes read at a time */
#define SYNCD_LIVE_MS	1000	/* how often the log is looked at */
#define SYNCD_ESTIMATE_MIN 128	/* rows before a pull says its size */
#define SYNCD_ESTIMATE_MAX 1000000 /* rows an estimate counts at most */
#define SYNCD_OUT_CAP	(2 * (4 + SYNC_FRAME_MAX) + 4096) /* the queue */
/* A BATCH frame without its rows: length, type, nrows, cursor, flags. */
#define SYNCD_BATCH_OVERHEAD	(4 + 1 + 4 + 8 + 1)

static volatile sig_atomic_t syncd_got_term;

/* The rows of one batch. */
struct syncd_batch {
	struct sync_rowbuf	**v;
	size_t			 n, cap;
	size_t			 bytes;		/* of the frame, so far */
	size_t			 budget;
};

struct syncd {
	int		 fd;
	struct store	*st;
	int64_t		 user_id;
	struct user	*u;		/* as read at the last pull or push */
	int		 hello;		/* HELLO answered */
	const char	*caps[SYNC_MAX_CAPS];	/* granted (syncd_caps[]) */
	size_t		 ncaps;
	int		 live;		/* SYNC_CAP_LIVE granted */
	int		 columns;	/* SYNC_CAP_COLUMNS granted */
	int		 names;		/* SYNC_CAP_NAMES granted */
	int		 packed;	/* SYNC_CAP_PACKED (and names) granted */
	int		 stream;	/* SYNC_CAP_STREAM (and live) granted */
	int		 estimate;	/* SYNC_CAP_ESTIMATE granted */
	struct sync_files *files;	/* its state, made at first use
					   (syncd_files()) */
	int		 closing;	/* ERROR queued: end once it is out */
	int		 eof;		/* the client sends no more */
	int		 gone;		/* the socket failed */
	unsigned char	*in;		/* one frame at most */
	size_t		 inlen;
	struct bytes_writer out;	/* frames for the client */
	size_t		 ooff;		/* of out, written */
	/* SYNC_CAP_ZSTD granted: out goes through z into wire, once
	 * wire is all written; out's first zfrom bytes (WELCOME) as
	 * they are. */
	struct sync_zstd_out *z;
	size_t		 zfrom;
	unsigned char	*wire;
	size_t		 wcap, wlen, woff;
	int		 waiting;	/* answers in out */
	struct sync_rows *rows;		/* her rows (sync-rows.h) */
	/* The pull being answered. */
	int		 pulling;
	int		 snapshot;
	int		 first;		/* the snapshot's first batch next */
	size_t		 ent;		/* snapshot: the entity walked */
	int64_t		 after;		/* snapshot: its last rowid sent */
	int64_t		 pos;		/* the last change considered */
	int64_t		 head;		/* the pull's head */
	uint32_t	 budget;
	int		 pushing;	/* the pull is the server's (stream) */
	/* Live. */
	int		 pulled;	/* a pull has ended */
	int64_t		 cursor;	/* where the last pull ended: her copy's
					   cursor once it has all we sent */
	int64_t		 seen;		/* the newest change she was told of */
	int64_t		 data_version;
	int64_t		 next_live_ms;
	/* Counts, for the log. */
	uint64_t	 rows_sent, frames_in;
};

static void
syncd_on_term(int sig)
{
	(void)sig;
	syncd_got_term = 1;
}

/* ---- rows ---------------------------------------------------------- */


static size_t
syncd_queued(const struct syncd *s)
{
	return bytes_writer_len(&s->out) - s->ooff + s->wlen - s->woff;
}

/* Queue m; 0, or -1 when the codec refused it (logged; then the server
 * has a bug, and the client gets ERROR SERVER). */
static int
syncd_send(struct syncd *s, const struct sync_msg *m)
{
	int	 rc;

	if ((rc = sync_encode(&s->out, m)) != 0) {
		log_error("sync: cannot encode %s: %s", sync_type_name(m->type),
		    sync_strerror(rc));
		return -1;
	}
	s->waiting++;
	return 0;
}

/* Queue ERROR code and end once it is out. */
static void
syncd_error(struct syncd *s, int code, const char *why)
{
	struct sync_msg	 m;
	char		 reason[SYNC_MAX_REASON];

	if (s->closing)
		return;
	snprintf(reason, sizeof(reason), "%s%s%s", sync_strerror(code),
	    why != NULL ? ": " : "", why != NULL ? why : "");
	if (code == SYNC_E_SHUTDOWN)	/* also the session's end */
		log_debug("sync for user %lld: %s", (long long)s->user_id,
		    reason);
	else
		log_info("sync for user %lld: %s", (long long)s->user_id,
		    reason);
	memset(&m, 0, sizeof(m));
	m.type = SYNC_ERROR;
	m.error.code = code;
	m.error.reason = reason;
	(void)syncd_send(s, &m);
	s->closing = 1;
}

/* Write p's len bytes from *off on, as far as the socket takes them:
 * 1 once all are out (or the socket failed), 0 when it is full. */
static int
syncd_write(struct syncd *s, const unsigned char *p, size_t len,
    size_t *off)
{
	ssize_t	 n;

	while (*off < len && !s->gone) {
		n = write(s->fd, p + *off, len - *off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) {
			s->gone = 1;
			break;
		}
		*off += (size_t)n;
	}
	return 1;
}

/* zstd: once wire is all out, the frames queued go into the stream,
 * flushed, so that the client can decode each as soon as it is there. */
static int
syncd_compress(struct syncd *s)
{
	const unsigned char	*p = bytes_writer_data(&s->out);
	size_t			 len = bytes_writer_len(&s->out), made;

	if (s->wlen > s->woff || len == 0)
		return 0;
	memcpy(s->wire, p, s->zfrom);
	if (sync_zstd_out_put(s->z, p + s->zfrom, len - s->zfrom,
	    s->wire + s->zfrom, s->wcap - s->zfrom, &made) != 0)
		return -1;
	s->wlen = s->zfrom + made;
	s->woff = s->zfrom = 0;
	bytes_writer_reset(&s->out);
	s->waiting = 0;
	return 0;
}

/* Write what the socket takes now. */
static void
syncd_flush(struct syncd *s)
{
	if (s->z != NULL) {
		if (syncd_compress(s) != 0)
			s->gone = 1;
		else if (syncd_write(s, s->wire, s->wlen, &s->woff))
			s->wlen = s->woff = 0;
		return;
	}
	if (!syncd_write(s, bytes_writer_data(&s->out),
	    bytes_writer_len(&s->out), &s->ooff))
		return;
	bytes_writer_reset(&s->out);
	s->ooff = 0;
	s->waiting = 0;
}

/* The user as she is now: 0, or -1 after ERROR DENIED (or SERVER). */
static int
syncd_user(struct syncd *s)
{
	struct user	*u = NULL;
	int		 rc;

	if ((rc = user_get_by_id(s->st, s->user_id, &u)) != 0 &&
	    rc != PERR_NOTFOUND) {
		syncd_error(s, SYNC_E_SERVER, NULL);
		return -1;
	}
	if (rc != 0 || user_state(u) != USER_ACTIVE) {
		user_free(u);
		syncd_error(s, SYNC_E_DENIED, NULL);
		return -1;
	}
	user_free(s->u);
	s->u = u;
	sync_rows_user(s->rows, u);
	return 0;
}

/* ---- pull ------------------------------------------------------------ */

static void
syncd_batch_free(struct syncd_batch *b)
{
	size_t	 i;

	for (i = 0; i < b->n; i++)
		sync_rowbuf_free(b->v[i]);
	free(b->v);
	memset(b, 0, sizeof(*b));
}

/* 1 if the batch holds a row of this entity and uuid. */
static int
syncd_batch_has(const struct syncd_batch *b, const struct sync_rowbuf *r)
{
	size_t	 i;

	for (i = b->n; i-- > 0; )
		if (strcmp(b->v[i]->row.uuid, r->row.uuid) == 0 &&
		    strcmp(b->v[i]->row.entity, r->row.entity) == 0)
			return 1;
	return 0;
}

/*
 * Add r to b if it fits the budget (a row alone always does, if it fits
 * a frame): 1 and b owns r, 0 when b is full (r is the caller's), -1
 * when r can never be sent.
 */
static int
syncd_batch_add(struct syncd_batch *b, struct sync_rowbuf *r)
{
	if (SYNCD_BATCH_OVERHEAD + r->wire > SYNC_FRAME_MAX + 4)
		return -1;
	if (b->n > 0 && (b->bytes + r->wire > b->budget || b->bytes +
	    r->wire > SYNC_FRAME_MAX + 4 || b->n == SYNC_MAX_ROWS))
		return 0;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = xrealloc(b->v, b->cap * sizeof(*b->v));
	}
	b->v[b->n++] = r;
	b->bytes += r->wire;
	return 1;
}

/* Send b with its cursor and flags. */
static int
syncd_batch_send(struct syncd *s, struct syncd_batch *b, int64_t cursor,
    unsigned flags)
{
	struct sync_msg	 m;
	struct sync_row	*rows;
	int		 rc;

	rows = xcalloc(b->n + 1, sizeof(*rows));
	sync_rows_batch(&m, rows, b->v, b->n, (uint64_t)cursor, flags);
	m.batch.columns = s->columns;	/* granted: the codec frames it so */
	m.batch.named = s->columns && s->names;
	m.batch.packed = m.batch.named && s->packed;
	rc = syncd_send(s, &m);
	free(rows);
	s->rows_sent += b->n;
	return rc;
}

static void
syncd_pull_end(struct syncd *s, int64_t cursor)
{
	if (s->snapshot)
		store_rollback(s->st);	/* the read transaction */
	s->pulling = 0;
	s->pulled = 1;
	s->cursor = cursor;
	if (cursor > s->seen)
		s->seen = cursor;
	log_debug("sync for user %lld: %s done at %lld, %llu rows",
	    (long long)s->user_id, s->pushing ? "push" : "pull",
	    (long long)cursor, (unsigned long long)s->rows_sent);
	s->pushing = 0;
}

/*
 * Changes this user may see after pos up to head, as rows: 0 with *done
 * when none is left, or PERR_DB; -1 when a row can never be sent.
 */
static int
syncd_fill_changes(struct syncd *s, struct syncd_batch *b, int *done)
{
	struct change		*ch = NULL;
	struct sync_rowbuf	*r;
	size_t			 n, i;
	int			 rc = 0, added;

	*done = 0;
	for (;;) {
		if ((rc = changes_since(s->st, s->u, s->pos, SYNCD_PAGE, &ch,
		    &n)) != 0)
			return rc;
		for (i = 0; i < n; i++) {
			if (ch[i].seq > s->head) {
				*done = 1;
				break;
			}
			if ((rc = sync_rows_change(s->rows, &ch[i], &r)) != 0)
				break;
			if (r != NULL && syncd_batch_has(b, r)) {
				sync_rowbuf_free(r);
				r = NULL;
			}
			if (r != NULL && (added = syncd_batch_add(b, r)) != 1) {
				sync_rowbuf_free(r);
				rc = added;
				break;
			}
			s->pos = ch[i].seq;
		}
		changes_free(ch);
		if (rc != 0 || *done || i < n)
			return rc;
		if (n < SYNCD_PAGE) {
			*done = 1;
			return 0;
		}
	}
}

/* A snapshot's next rows: 0 with *done after the last entity, PERR_DB,
 * or -1 when a row can never be sent. */
static int
syncd_fill_snapshot(struct syncd *s, struct syncd_batch *b, int *done)
{
	const struct sync_entity *e;
	struct sync_rowbuf	*r;
	sqlite3_stmt		*stmt;
	int64_t			 ids[64];
	char			 uuids[64][37];
	size_t			 n, i;
	int			 rc = 0, step, added;
	char			*sql;

	*done = 0;
	while (s->ent < sync_rows_nentities) {
		e = &sync_rows_entities[s->ent];
		if (!e->snapshot) {
			s->ent++;
			s->after = 0;
			continue;
		}
		sql = xasprintf("SELECT x.rowid, %s FROM %s WHERE (%s)"
		    " AND x.rowid > :after ORDER BY x.rowid LIMIT 64", e->uuid,
		    e->from, e->visible);
		stmt = store_prepare(s->st, sql);
		free(sql);
		if (stmt == NULL)
			return PERR_DB;
		board_bind_reader(stmt, s->u);
		store_bind_named(stmt, ":after", s->after);
		n = 0;
		while ((step = sqlite3_step(stmt)) == SQLITE_ROW && n < 64) {
			ids[n] = sqlite3_column_int64(stmt, 0);
			strlcpy_p(uuids[n], (const char *)
			    sqlite3_column_text(stmt, 1), sizeof(uuids[n]));
			n++;
		}
		sqlite3_finalize(stmt);
		if (step != SQLITE_DONE && step != SQLITE_ROW)
			return store_fail(s->st, "sync snapshot");
		if (n == 0) {
			s->ent++;
			s->after = 0;
			continue;
		}
		for (i = 0; i < n; i++) {
			if ((rc = sync_rows_fetch(s->rows, e, uuids[i],
			    &r)) != 0)
				return rc;
			if (r->row.op == SYNC_UPSERT &&
			    (added = syncd_batch_add(b, r)) != 1) {
				sync_rowbuf_free(r);
				return added;
			}
			if (r->row.op != SYNC_UPSERT)
				sync_rowbuf_free(r);
			s->after = ids[i];
		}
	}
	*done = 1;
	return 0;
}

/* Build and queue the pull's next batch. */
static void
syncd_pull_step(struct syncd *s)
{
	struct syncd_batch	 b;
	unsigned		 flags;
	int64_t			 cursor;
	int			 done, rc;

	memset(&b, 0, sizeof(b));
	b.budget = s->budget;
	b.bytes = SYNCD_BATCH_OVERHEAD;
	if (s->snapshot)
		rc = syncd_fill_snapshot(s, &b, &done);
	else
		rc = syncd_fill_changes(s, &b, &done);
	if (rc != 0) {
		syncd_batch_free(&b);
		if (s->snapshot)
			store_rollback(s->st);
		s->pulling = 0;
		syncd_error(s, rc == PERR_FULL ? SYNC_E_FULL : SYNC_E_SERVER,
		    rc == -1 ? "a row longer than a frame" : NULL);
		return;
	}
	flags = (done ? 0 : SYNC_BATCH_MORE) |
	    (s->pushing ? SYNC_BATCH_PUSHED : 0);
	cursor = done ? s->head : s->pos;
	if (s->snapshot) {
		flags |= SYNC_BATCH_SNAPSHOT | (s->first ? SYNC_BATCH_FIRST : 0);
		if (!done)
			cursor = 0;
		s->first = 0;
	}
	if (syncd_batch_send(s, &b, cursor, flags) != 0) {
		syncd_batch_free(&b);
		if (s->snapshot)
			store_rollback(s->st);
		s->pulling = 0;
		syncd_error(s, SYNC_E_SERVER, NULL);
		return;
	}
	syncd_batch_free(&b);
	if (done)
		syncd_pull_end(s, cursor);
}

/*
 * Since cursor, did this user's rights change so that rows came into
 * sight whose changes went by unseen?  Her account's row (its role,
 * approval, ban; her profile too, which cannot be told apart), a board
 * of hers to coordinate, or a board she may read now whose readers
 * changed.  Her row told to a board's readers (scope board: she began
 * or stopped sharing it, store-schema.c's page_moved) changes no rights.
 * 0 with *yes, or PERR_DB.
 */
static int
syncd_rights_changed(struct syncd *s, int64_t cursor, int *yes)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*yes = 0;
	stmt = store_prepare(s->st, "SELECT 1 FROM changes c LEFT JOIN"
	    " boards b ON b.id = c.board_id WHERE c.seq > :since AND"
	    " ((c.entity = 'user' AND c.uuid = :me"
	    " AND c.scope NOT IN ('user', 'board'))"
	    " OR (c.entity = 'coordinator' AND c.uuid = :me)"
	    " OR (c.entity = 'board' AND c.narrows = 1 AND b.id IS NOT NULL"
	    " AND " SQL_CAN_READ ")) LIMIT 1");
	if (stmt == NULL)
		return PERR_DB;
	board_bind_reader(stmt, s->u);
	store_bind_named(stmt, ":since", cursor);
	store_bind_named_text(stmt, ":me", s->u->uuid);
	if ((rc = store_first(s->st, stmt, "sync rights")) == 0)
		*yes = 1;
	sqlite3_finalize(stmt);
	return rc == PERR_NOTFOUND ? 0 : rc;
}

/*
 * About how many rows a pull from cursor up to the head holds, counted
 * cheaply and bounded: a snapshot's rows in sight, or the changes since
 * the cursor (some of which she may not see, or which name one row
 * twice).  0 with *rows, or PERR_DB.
 */
static int
syncd_estimate(struct syncd *s, int64_t cursor, int64_t *rows)
{
	const struct sync_entity *e;
	sqlite3_stmt	*stmt;
	size_t		 i;
	int64_t		 n;
	int		 rc;
	char		*sql;

	*rows = 0;
	if (cursor > 0)
		return store_int(s->st, rows, "SELECT count(*) FROM (SELECT 1"
		    " FROM changes WHERE seq > ?1 AND seq <= ?2 LIMIT ?3)",
		    "iii", cursor, s->head, (int64_t)SYNCD_ESTIMATE_MAX);
	for (i = 0; i < sync_rows_nentities; i++) {
		e = &sync_rows_entities[i];
		if (!e->snapshot)
			continue;
		sql = xasprintf("SELECT count(*) FROM (SELECT 1 FROM %s"
		    " WHERE (%s) LIMIT %d)", e->from, e->visible,
		    SYNCD_ESTIMATE_MAX);
		stmt = store_prepare(s->st, sql);
		free(sql);
		if (stmt == NULL)
			return PERR_DB;
		board_bind_reader(stmt, s->u);
		n = 0;
		if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			n = sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
		if (rc != SQLITE_ROW)
			return store_fail(s->st, "sync estimate");
		*rows += n;
	}
	return 0;
}

/*
 * Start a pull from cursor (with s->budget and s->pushing set): 1 when
 * it is under way (with ESTIMATE first, granted and long), 0 when the
 * cursor is stale (*floor, s->head set; nothing started), -1 once an
 * ERROR is queued.
 */
static int
syncd_pull_begin(struct syncd *s, int64_t cursor, int64_t *floor)
{
	struct sync_msg	 a;
	int64_t		 rows = 0;
	int		 stale = 0, rc;

	*floor = 0;
	s->snapshot = cursor == 0;
	if (s->snapshot && store_begin_read(s->st) != 0) {
		syncd_error(s, SYNC_E_SERVER, NULL);
		return -1;
	}
	if ((rc = changes_head(s->st, &s->head)) == 0 && !s->snapshot &&
	    (rc = changes_floor(s->st, floor)) == 0) {
		/* A cursor past the head is another server's, or from
		 * before a backup was restored: as stale as an old one. */
		if (cursor < *floor || cursor > s->head)
			stale = 1;
		else
			rc = syncd_rights_changed(s, cursor, &stale);
	}
	if (rc == 0 && !stale && s->estimate)
		rc = syncd_estimate(s, cursor, &rows);
	if (rc != 0) {
		if (s->snapshot)
			store_rollback(s->st);
		syncd_error(s, SYNC_E_SERVER, NULL);
		return -1;
	}
	if (stale)
		return 0;
	if (rows >= SYNCD_ESTIMATE_MIN) {
		memset(&a, 0, sizeof(a));
		a.type = SYNC_ESTIMATE;
		a.estimate.rows = (uint64_t)rows;
		(void)syncd_send(s, &a);
	}
	s->pulling = 1;
	s->first = 1;
	s->ent = 0;
	s->after = 0;
	s->pos = cursor;
	return 1;
}

static void
syncd_pull(struct syncd *s, const struct sync_msg *m)
{
	struct sync_msg	 a;
	int64_t		 floor;

	if (syncd_user(s) != 0)
		return;
	s->budget = m->pull.budget;
	s->pushing = 0;
	if (syncd_pull_begin(s, (int64_t)m->pull.cursor, &floor) != 0)
		return;
	memset(&a, 0, sizeof(a));
	a.type = SYNC_STALE;
	a.stale.floor = (uint64_t)floor;
	a.stale.head = (uint64_t)s->head;
	log_debug("sync for user %lld: cursor %lld is stale",
	    (long long)s->user_id, (long long)m->pull.cursor);
	(void)syncd_send(s, &a);
}

/* ---- push and read ----------------------------------------------------- */

/* The connection's files state (sync-files.h), made at its first use,
 * after HELLO: a file frame, or a push that names a held upload. */
static struct sync_files *
syncd_files(struct syncd *s)
{
	if (s->files == NULL)
		s->files = sync_files_new(s->st, s->u,
		    (int64_t)server.cfg.sync_upload_expiry * 3600);
	return s->files;
}

static void
syncd_refuse(struct syncd *s, const char *uuid, int rc, const char *field)
{
	struct sync_msg	 m;

	if (rc >= 0 || rc < -999)
		rc = PERR_DB;
	memset(&m, 0, sizeof(m));
	m.type = SYNC_REFUSED;
	strlcpy_p(m.refused.ref, uuid, sizeof(m.refused.ref));
	m.refused.code = rc;
	m.refused.field = field != NULL ? field : "";
	m.refused.reason = _(perr_str(rc));
	if (syncd_send(s, &m) != 0)
		syncd_error(s, SYNC_E_SERVER, NULL);
}

/* Add the row of entity named uuid, as she may see it now, to rows. */
static int
syncd_applied_row(struct syncd *s, struct sync_rowbuf **rows, size_t *n,
    const char *entity, const char *uuid)
{
	struct sync_rowbuf	*r;
	int			 rc;

	if (*n >= SYNC_MAX_APPLIED_ROWS || uuid == NULL || *uuid == '\0')
		return 0;
	if ((rc = sync_rows_fetch(s->rows, sync_rows_entity(entity), uuid,
	    &r)) != 0)
		return rc;
	rows[(*n)++] = r;
	return 0;
}

/* Add the rows of entity the query (one int parameter) names. */
static int
syncd_applied_rows(struct syncd *s, struct sync_rowbuf **rows, size_t *n,
    const char *entity, const char *sql, int64_t id)
{
	sqlite3_stmt	*stmt;
	char		 uuids[SYNC_MAX_APPLIED_ROWS][37];
	size_t		 k = 0, i;
	int		 step, rc = 0;

	if ((stmt = store_stmt(s->st, sql, "ii", id, s->user_id)) == NULL)
		return PERR_DB;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW &&
	    k < SYNC_MAX_APPLIED_ROWS)
		strlcpy_p(uuids[k++], (const char *)sqlite3_column_text(stmt,
		    0), sizeof(uuids[0]));
	sqlite3_finalize(stmt);
	for (i = 0; i < k && rc == 0; i++)
		rc = syncd_applied_row(s, rows, n, entity, uuids[i]);
	return rc;
}

/* The row of entity that uuid (of field f) names, then her own rows of
 * child that sql finds by its row id (?1) and hers (?2): a letter and
 * her box, an event and her sign-up. */
static int
syncd_applied_own(struct syncd *s, struct sync_rowbuf **rows, size_t *n,
    enum request_field f, const char *uuid, const char *entity,
    const char *child, const char *sql)
{
	int64_t	 id = 0;
	int	 rc;

	if ((rc = syncd_applied_row(s, rows, n, entity, uuid)) == 0 &&
	    request_id_of(s->st, f, uuid, &id) == 0)
		rc = syncd_applied_rows(s, rows, n, child, sql, id);
	return rc;
}

/*
 * The rows a request made or changed, as the server has them now: what
 * it made (a thread with its first post, a letter with her box, a poll
 * with its options), else the row it names.
 */
static int
syncd_applied_collect(struct syncd *s, const struct request *r,
    const struct request_result *res, struct sync_rowbuf **rows, size_t *n)
{
	const char	*table = request_type(r->kind)->result;
	int		 rc = 0;

	*n = 0;
	if (res->uuid[0] != '\0' && table != NULL) {
		if (strcmp(table, "threads") == 0) {
			if ((rc = syncd_applied_row(s, rows, n, "thread",
			    res->uuid)) == 0)
				rc = syncd_applied_rows(s, rows, n, "post",
				    "SELECT uuid FROM posts WHERE thread_id = ?1"
				    " ORDER BY id LIMIT 1", res->id);
		} else if (strcmp(table, "posts") == 0)
			rc = syncd_applied_row(s, rows, n, "post", res->uuid);
		else if (strcmp(table, "mail") == 0) {
			if ((rc = syncd_applied_row(s, rows, n, "mail",
			    res->uuid)) == 0)
				rc = syncd_applied_rows(s, rows, n, "mail_box",
				    "SELECT uuid FROM mail_boxes WHERE mail_id ="
				    " ?1 AND user_id = ?2", res->id);
		} else if (strcmp(table, "polls") == 0) {
			if ((rc = syncd_applied_row(s, rows, n, "poll",
			    res->uuid)) == 0)
				rc = syncd_applied_rows(s, rows, n,
				    "poll_option", "SELECT uuid FROM"
				    " poll_options WHERE poll_id = ?1 AND"
				    " ?2 = ?2 ORDER BY position, id", res->id);
		} else if (strcmp(table, "news") == 0)
			rc = syncd_applied_row(s, rows, n, "news", res->uuid);
		else if (strcmp(table, "library_items") == 0)
			rc = syncd_applied_row(s, rows, n, "library",
			    res->uuid);
		else if (strcmp(table, "boards") == 0)
			rc = syncd_applied_row(s, rows, n, "board", res->uuid);
		else if (strcmp(table, "events") == 0)
			rc = syncd_applied_row(s, rows, n, "event", res->uuid);
		else if (strcmp(table, "chat_lines") == 0)
			rc = syncd_applied_row(s, rows, n, "chat_line",
			    res->uuid);
		return rc;
	}
	if (r->post != NULL)
		return syncd_applied_row(s, rows, n, "post", r->post);
	if (r->thread != NULL)
		return syncd_applied_row(s, rows, n, "thread", r->thread);
	if (r->letter != NULL)
		return syncd_applied_own(s, rows, n, REQF_LETTER, r->letter,
		    "mail", "mail_box", "SELECT uuid FROM mail_boxes"
		    " WHERE mail_id = ?1 AND user_id = ?2");
	if (r->poll != NULL)
		return syncd_applied_row(s, rows, n, "poll", r->poll);
	if (r->item != NULL)
		return syncd_applied_row(s, rows, n, "library", r->item);
	/* The event, with her own sign-up (or none: it is gone). */
	if (r->event != NULL)
		return syncd_applied_own(s, rows, n, REQF_EVENT, r->event,
		    "event", "event_signup", "SELECT uuid FROM event_signups"
		    " WHERE event_id = ?1 AND user_id = ?2");
	if (r->news != NULL)
		return syncd_applied_row(s, rows, n, "news", r->news);
	if (r->line != NULL)
		return syncd_applied_row(s, rows, n, "chat_line", r->line);
	if (r->board != NULL)
		return syncd_applied_row(s, rows, n, "board", r->board);
	if (r->kind == REQ_PROFILE || r->kind == REQ_LANGUAGE ||
	    r->kind == REQ_ENCODING)
		return syncd_applied_row(s, rows, n, "user", s->u->uuid);
	return 0;
}

static void
syncd_applied(struct syncd *s, const char *uuid, const struct request *r,
    const struct request_result *res)
{
	struct sync_rowbuf	*rows[SYNC_MAX_APPLIED_ROWS];
	struct sync_row		 v[SYNC_MAX_APPLIED_ROWS];
	struct sync_msg		 m;
	size_t			 n = 0, i;

	memset(&m, 0, sizeof(m));
	m.type = SYNC_APPLIED;
	strlcpy_p(m.applied.uuid, uuid, sizeof(m.applied.uuid));
	m.applied.again = res->again ? 1 : 0;
	if (r != NULL && syncd_applied_collect(s, r, res, rows, &n) != 0)
		log_warn("sync: the rows of request %s not read", uuid);
	for (i = 0; i < n; i++)
		v[i] = rows[i]->row;
	m.applied.rows = v;
	m.applied.nrows = n;
	if (sync_encode(&s->out, &m) == 0)
		s->waiting++;
	else {
		/* Too long for a frame: the rows come with the next pull. */
		m.applied.nrows = 0;
		if (syncd_send(s, &m) != 0)
			syncd_error(s, SYNC_E_SERVER, NULL);
	}
	for (i = 0; i < n; i++)
		sync_rowbuf_free(rows[i]);
}

static void
syncd_push(struct syncd *s, const struct sync_msg *m)
{
	const struct request_type *t;
	struct request_result	 res;
	struct request		 r;
	struct lib_meta		 meta;
	const char		*bad;
	int			 rc;

	if (syncd_user(s) != 0)
		return;
	if ((rc = sync_rows_push(m, s->u, &r, &meta, &bad)) != 0) {
		syncd_refuse(s, m->push.uuid, rc, bad);
		return;
	}
	t = request_type(r.kind);
	/* The BBS asks for the password in force before it takes a new
	 * one; a sync connection that holds only a key must not. */
	if (r.kind == REQ_PASSWORD) {
		syncd_refuse(s, m->push.uuid, PERR_REQ_DENIED, "");
		return;
	}
	/* How long an author may edit or delete her post is the server's
	 * edit_window: the number a client sends is never trusted for it. */
	if (r.kind == REQ_POST_EDIT || r.kind == REQ_POST_DELETE)
		r.number = server.cfg.edit_window;
	memset(&res, 0, sizeof(res));
	if ((rc = request_keys_apply(s->st, &r, 0, &res)) != 0) {
		log_debug("sync for user %lld: %s %s refused: %s",
		    (long long)s->user_id, t->name, r.uuid, perr_str(rc));
		syncd_refuse(s, m->push.uuid, rc, res.bad_field);
		return;
	}
	log_debug("sync for user %lld: %s %s applied%s", (long long)s->user_id,
	    t->name, r.uuid, res.again ? " again" : "");
	/* Committed: a held upload it made an item of is no longer held. */
	if (r.kind == REQ_LIB_FILE && r.file != NULL)
		sync_files_made(syncd_files(s), r.file);
	syncd_applied(s, m->push.uuid, &r, &res);
}

/* One read request of kind k naming uuids a and b, under uuid. */
static int
syncd_read_one(struct syncd *s, const char *uuid, enum request_kind k,
    const char *a, const char *b)
{
	struct request_result	 res;
	struct request		 r;

	request_init(&r, k, s->u);
	if (uuid != NULL)
		strlcpy_p(r.uuid, uuid, sizeof(r.uuid));
	switch (k) {
	case REQ_THREAD_READ:
		r.thread = a;
		r.post = b;
		break;
	case REQ_NEWS_SEEN:
		r.news = a;
		break;
	default:
		r.letter = a;
		r.number = 1;
		break;
	}
	return request_apply(s->st, &r, 0, &res);
}

/* The UUIDs (pairs, for posts: thread and post) that range x names. */
static int
syncd_read_range(struct syncd *s, const struct sync_msg *m,
    const struct sync_range *x)
{
	const struct sync_entity *e;
	sqlite3_stmt	*stmt;
	char		*sql;
	char		(*v)[2][37] = NULL;
	size_t		 n = 0, i;
	int		 step, rc = 0;

	if (strcmp(m->read.entity, "post") == 0) {
		/* Read up to the last post she may see of each thread in
		 * the range; the others are not hers to mark. */
		e = sync_rows_entity("post");
		sql = xasprintf("SELECT rt.uuid, rp.uuid FROM (SELECT"
		    " x.thread_id AS tid, max(x.id) AS pid FROM %s WHERE x.id"
		    " BETWEEN :first AND :last AND (%s) GROUP BY x.thread_id)"
		    " JOIN threads rt ON rt.id = tid JOIN posts rp ON"
		    " rp.id = pid", e->from, e->visible);
	} else if (strcmp(m->read.entity, "news") == 0)
		sql = xstrdup("SELECT uuid, '' FROM news WHERE id BETWEEN"
		    " :first AND :last ORDER BY id DESC LIMIT 1");
	else
		sql = xstrdup("SELECT DISTINCT m.uuid, '' FROM mail m JOIN"
		    " mail_boxes mb ON mb.mail_id = m.id WHERE m.id BETWEEN"
		    " :first AND :last AND mb.user_id = :uid AND mb.read_at"
		    " IS NULL AND mb.deleted_at IS NULL");
	stmt = store_prepare(s->st, sql);
	free(sql);
	if (stmt == NULL)
		return PERR_DB;
	board_bind_reader(stmt, s->u);
	store_bind_named(stmt, ":first", x->first);
	store_bind_named(stmt, ":last", x->last);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		strlcpy_p(v[n][0], (const char *)sqlite3_column_text(stmt, 0),
		    sizeof(v[n][0]));
		strlcpy_p(v[n][1], (const char *)sqlite3_column_text(stmt, 1),
		    sizeof(v[n][1]));
		n++;
	}
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE)
		rc = store_fail(s->st, "sync read");
	/* Read pointers are not recorded, so they share the READ's UUID; a
	 * letter's mark is, and each gets its own. */
	for (i = 0; i < n && rc == 0; i++)
		rc = syncd_read_one(s, m->read.entity[0] == 'm' ? NULL :
		    m->read.uuid, m->read.entity[0] == 'p' ? REQ_THREAD_READ :
		    m->read.entity[0] == 'n' ? REQ_NEWS_SEEN : REQ_MAIL_READ,
		    v[i][0], v[i][1]);
	free(v);
	return rc;
}

static void
syncd_read(struct syncd *s, const struct sync_msg *m)
{
	struct request_result	 res;
	size_t			 i;
	int			 rc;

	if (syncd_user(s) != 0)
		return;
	if (strcmp(m->read.entity, "post") != 0 &&
	    strcmp(m->read.entity, "news") != 0 &&
	    strcmp(m->read.entity, "mail") != 0) {
		syncd_refuse(s, m->read.uuid, PERR_NOTFOUND, "entity");
		return;
	}
	/* All of it or none. */
	if ((rc = store_begin(s->st)) == 0) {
		/* News are read up to a point: the last range's end. */
		for (i = strcmp(m->read.entity, "news") == 0 &&
		    m->read.nranges > 0 ? m->read.nranges - 1 : 0;
		    i < m->read.nranges && rc == 0; i++)
			rc = syncd_read_range(s, m, &m->read.ranges[i]);
		rc = store_end(s->st, rc);
	}
	if (rc != 0) {
		syncd_refuse(s, m->read.uuid, rc, "");
		return;
	}
	memset(&res, 0, sizeof(res));
	syncd_applied(s, m->read.uuid, NULL, &res);
}

/* ---- the frames ------------------------------------------------------ */

/* The capabilities this server grants when asked, each only with those
 * it rides on offered too. */
static const struct syncd_cap {
	const char	*name;
	const char	*needs[2];
} syncd_caps[] = {
	{ .name = SYNC_CAP_LIVE },
	{ .name = SYNC_CAP_FILES },
	{ .name = SYNC_CAP_COLUMNS },
	{ .name = SYNC_CAP_NAMES },
	{ .name = SYNC_CAP_ZSTD },
	{ .name = SYNC_CAP_STREAM, .needs = { SYNC_CAP_LIVE } },
	{ .name = SYNC_CAP_ESTIMATE },
	{ .name = SYNC_CAP_PACKED,
	  .needs = { SYNC_CAP_COLUMNS, SYNC_CAP_NAMES } },
};

/* 1 if HELLO m offers capability cap. */
static int
syncd_offered(const struct sync_msg *m, const char *cap)
{
	size_t	 i;

	for (i = 0; i < m->hello.ncaps; i++)
		if (strcmp(m->hello.caps[i], cap) == 0)
			return 1;
	return 0;
}

/* 1 if HELLO m offers every capability c rides on. */
static int
syncd_needs_offered(const struct sync_msg *m, const struct syncd_cap *c)
{
	size_t	 i;

	for (i = 0; i < nitems(c->needs); i++)
		if (c->needs[i] != NULL && !syncd_offered(m, c->needs[i]))
			return 0;
	return 1;
}

/* Grant what is asked and known, and offered with what it rides on
 * (syncd_caps[]). */
static void
syncd_hello(struct syncd *s, const struct sync_msg *m)
{
	struct sync_msg	 a;
	uint32_t	 version = 0;
	size_t		 i, k;
	int		 zstd = 0;

	for (i = 0; i < m->hello.nversions; i++)
		if (m->hello.versions[i] <= SYNC_VERSION &&
		    m->hello.versions[i] > version)
			version = m->hello.versions[i];
	if (version == 0) {
		syncd_error(s, SYNC_E_VERSION, NULL);
		return;
	}
	if (syncd_user(s) != 0)
		return;
	memset(&a, 0, sizeof(a));
	a.type = SYNC_WELCOME;
	a.welcome.version = version;
	for (i = 0; i < m->hello.ncaps; i++)
		for (k = 0; k < nitems(syncd_caps); k++)
			if (strcmp(m->hello.caps[i], syncd_caps[k].name) == 0 &&
			    syncd_needs_offered(m, &syncd_caps[k]))
				a.welcome.caps[a.welcome.ncaps++] =
				    syncd_caps[k].name;
	for (i = 0; i < a.welcome.ncaps; i++) {
		s->caps[s->ncaps++] = a.welcome.caps[i];
		if (strcmp(a.welcome.caps[i], SYNC_CAP_LIVE) == 0)
			s->live = 1;
		if (strcmp(a.welcome.caps[i], SYNC_CAP_COLUMNS) == 0)
			s->columns = 1;
		if (strcmp(a.welcome.caps[i], SYNC_CAP_NAMES) == 0)
			s->names = 1;
		if (strcmp(a.welcome.caps[i], SYNC_CAP_ZSTD) == 0)
			zstd = 1;
		if (strcmp(a.welcome.caps[i], SYNC_CAP_STREAM) == 0)
			s->stream = 1;
		if (strcmp(a.welcome.caps[i], SYNC_CAP_ESTIMATE) == 0)
			s->estimate = 1;
		if (strcmp(a.welcome.caps[i], SYNC_CAP_PACKED) == 0)
			s->packed = 1;
	}
	a.welcome.frame_max = SYNC_FRAME_MAX;
	a.welcome.agent = "partad";
	s->hello = 1;
	log_info("sync for %s: %.128s, version %u%s%s", s->u->login,
	    m->hello.agent, version, s->live ? ", live" : "",
	    zstd ? ", zstd" : "");
	if (syncd_send(s, &a) != 0) {
		syncd_error(s, SYNC_E_SERVER, NULL);
		return;
	}
	/* Every byte after WELCOME is the stream's. */
	if (zstd) {
		s->z = sync_zstd_out_new();
		s->zfrom = bytes_writer_len(&s->out);
		s->wcap = sync_zstd_out_bound(SYNCD_OUT_CAP);
		s->wire = xmalloc(s->wcap);
	}
}

/* 1 if the capability of frame type t was granted. */
static int
syncd_granted(const struct syncd *s, int t)
{
	const char	*cap = sync_type_capability((enum sync_type)t);
	size_t		 i;

	if (cap == NULL)
		return 1;
	for (i = 0; i < s->ncaps; i++)
		if (strcmp(s->caps[i], cap) == 0)
			return 1;
	return 0;
}

/* FILE_GET or FILE_PUT: bbs/sync-files.c answers into the queue. */
static void
syncd_file(struct syncd *s, const struct sync_msg *m)
{
	char	*cause = NULL;

	if (sync_files_answer(syncd_files(s), m, &s->out, &cause) != 0) {
		log_error("sync for user %lld: %s", (long long)s->user_id,
		    cause);
		free(cause);
		syncd_error(s, SYNC_E_SERVER, NULL);
		return;
	}
	s->waiting++;
}

static void
syncd_dispatch(struct syncd *s, const struct sync_msg *m)
{
	/* The frames a client sends, and who answers each. */
	static const struct {
		enum sync_type	 type;
		void		(*answer)(struct syncd *,
				    const struct sync_msg *);
	} frames[] = {
		{ .type = SYNC_HELLO, .answer = syncd_hello },
		{ .type = SYNC_PULL, .answer = syncd_pull },
		{ .type = SYNC_PUSH, .answer = syncd_push },
		{ .type = SYNC_READ, .answer = syncd_read },
		{ .type = SYNC_FILE_GET, .answer = syncd_file },
		{ .type = SYNC_FILE_PUT, .answer = syncd_file },
	};
	size_t	 i;

	if (!s->hello && m->type != SYNC_HELLO) {
		syncd_error(s, SYNC_E_ORDER, "the first frame is not HELLO");
		return;
	}
	if (!syncd_granted(s, m->type)) {
		syncd_error(s, SYNC_E_CAPABILITY, sync_type_name(m->type));
		return;
	}
	if (m->type == SYNC_HELLO && s->hello) {
		syncd_error(s, SYNC_E_ORDER, "a second HELLO");
		return;
	}
	for (i = 0; i < nitems(frames); i++)
		if (frames[i].type == m->type) {
			frames[i].answer(s, m);
			return;
		}
	syncd_error(s, SYNC_E_TYPE, sync_type_name(m->type));
}

/* Answer the frames that are all there, while answers may wait. */
static void
syncd_frames(struct syncd *s)
{
	struct sync_msg	 m;
	size_t		 flen;
	int		 rc;

	while (!s->closing && !s->pulling && s->waiting < SYNCD_WAITING &&
	    syncd_queued(s) < SYNC_FRAME_MAX) {
		if ((rc = sync_frame_len(s->in, s->inlen, &flen)) < 0) {
			syncd_error(s, rc, "a frame's length");
			return;
		}
		if (rc == 0)
			return;
		s->frames_in++;
		if ((rc = sync_decode(s->in, flen, 0, &m)) != 0)
			syncd_error(s, rc, m.why);
		else
			syncd_dispatch(s, &m);
		sync_msg_free(&m);
		memmove(s->in, s->in + flen, s->inlen - flen);
		s->inlen -= flen;
	}
}

/* While a pull is answered: a second PULL waiting is out of order. */
static void
syncd_scan(struct syncd *s)
{
	size_t	 off = 0, flen;

	while (!s->closing && sync_frame_len(s->in + off, s->inlen - off,
	    &flen) == 1) {
		/* Hers waits for the end of ours (stream). */
		if (s->in[off + 4] == SYNC_PULL && !s->pushing)
			syncd_error(s, SYNC_E_ORDER,
			    "a PULL while a pull is answered");
		off += flen;
	}
}

/* Once a second: something new for her since she was last told? */
static void
syncd_live(struct syncd *s)
{
	struct sync_msg	 m;
	struct change	*ch;
	int64_t		 dv, last, floor, now = now_mono_ms();
	size_t		 n, pages;
	int		 rc;

	if (!s->live || !s->pulled || now < s->next_live_ms ||
	    syncd_queued(s) >= SYNC_FRAME_MAX)
		return;
	/* Stream: rows go only once what went before is all written, so
	 * pushes never pile up for a slow link; what comes meanwhile
	 * rides in the next one. */
	if (s->stream && syncd_queued(s) > 0)
		return;
	s->next_live_ms = now + SYNCD_LIVE_MS;
	if (store_int(s->st, &dv, "PRAGMA data_version", "") != 0 ||
	    dv == s->data_version)
		return;
	s->data_version = dv;
	if (syncd_user(s) != 0)
		return;
	last = s->seen;
	for (pages = 0; pages < 16; pages++) {
		if (changes_since(s->st, s->u, last, SYNCD_PAGE, &ch, &n) != 0)
			return;
		if (n > 0)
			last = ch[n - 1].seq;
		changes_free(ch);
		if (n < SYNCD_PAGE)
			break;
	}
	if (last <= s->seen)
		return;
	if (s->stream && s->cursor > 0) {
		/* The rows themselves, from where her copy is, as she
		 * would have pulled them; a stale cursor (rights changed)
		 * gets a NOTICE, and her PULL the STALE. */
		s->pushing = 1;
		if ((rc = syncd_pull_begin(s, s->cursor, &floor)) != 0) {
			if (rc < 0)
				s->pushing = 0;
			return;
		}
		s->pushing = 0;
	}
	s->seen = last;
	memset(&m, 0, sizeof(m));
	m.type = SYNC_NOTICE;
	m.notice.head = (uint64_t)last;
	(void)syncd_send(s, &m);
}

/* ---- the loop ---------------------------------------------------------- */

static void
syncd_read_socket(struct syncd *s)
{
	ssize_t	 n;

	n = read(s->fd, s->in + s->inlen, 4 + SYNC_FRAME_MAX - s->inlen);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		s->eof = 1;
		return;
	}
	s->inlen += (size_t)n;
}

static int
syncd_serve(struct syncd *s)
{
	struct pollfd	 pfd;
	size_t		 flen;
	int		 ready;

	for (;;) {
		syncd_flush(s);
		if (s->gone || (s->closing && syncd_queued(s) == 0))
			break;
		if (syncd_got_term && !s->closing) {
			if (s->pulling && s->snapshot)
				store_rollback(s->st);
			s->pulling = 0;
			syncd_error(s, SYNC_E_SHUTDOWN, NULL);
			continue;
		}
		if (!s->closing) {
			if (s->pulling && syncd_queued(s) == 0)
				syncd_pull_step(s);
			else if (!s->pulling)
				syncd_frames(s);
			if (s->pulling)
				syncd_scan(s);
			else
				syncd_live(s);
		}
		if (s->eof && !s->closing && !s->pulling &&
		    syncd_queued(s) == 0 &&
		    sync_frame_len(s->in, s->inlen, &flen) == 0) {
			if (s->inlen == 0)
				break;
			syncd_error(s, SYNC_E_FRAME, "the frame is cut short");
			continue;
		}
		syncd_flush(s);
		/* An ERROR just queued may be out already: end now, not
		 * after a poll that waits for nothing (it watches no event
		 * while closing with an empty queue). */
		if (s->gone || (s->closing && syncd_queued(s) == 0))
			break;
		memset(&pfd, 0, sizeof(pfd));
		pfd.fd = s->fd;
		if (!s->eof && !s->closing && s->inlen < 4 + SYNC_FRAME_MAX)
			pfd.events |= POLLIN;
		if (syncd_queued(s) > 0)
			pfd.events |= POLLOUT;
		/* No wait while there is work: a batch to build, or a
		 * frame whole in the buffer that may be answered now. */
		ready = !s->closing && syncd_queued(s) == 0 && (s->pulling ||
		    sync_frame_len(s->in, s->inlen, &flen) != 0);
		if (poll(&pfd, 1, ready ? 0 : SYNCD_LIVE_MS) < 0 &&
		    errno != EINTR)
			break;
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR) &&
		    (pfd.events & POLLIN))
			syncd_read_socket(s);
	}
	return s->closing ? 1 : 0;
}

/* The child's work (worker.h): serve parta-sync on fd for the user. */
static int
syncd_child(int fd, struct store *st, void *arg)
{
	const struct relay_user *u = arg;
	struct syncd	 s;
	int		 rc;

	relay_child_init(st, u, syncd_on_term);
	memset(&s, 0, sizeof(s));
	s.fd = fd;
	s.st = st;
	s.user_id = u->user_id;
	s.rows = sync_rows_new(st, u->user_id);
	s.in = xmalloc(4 + SYNC_FRAME_MAX);
	/* What is queued is written from its start, and the queue emptied
	 * once all of it is out: frames are added while it holds less
	 * than a frame, and ERROR always fits. */
	bytes_writer_init(&s.out, SYNCD_OUT_CAP);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	(void)store_int(st, &s.data_version, "PRAGMA data_version", "");
	rc = syncd_serve(&s);
	log_info("sync for user %lld ended: %llu frames in, %llu rows out%s",
	    (long long)s.user_id, (unsigned long long)s.frames_in,
	    (unsigned long long)s.rows_sent, s.z != NULL ? ", zstd" : "");
	sync_zstd_out_free(s.z);
	free(s.wire);
	sync_rows_free(s.rows);
	if (store_depth(st) > 0)
		store_rollback(st);
	sync_files_free(s.files);
	user_free(s.u);
	free(s.in);
	bytes_writer_free(&s.out);
	return rc;
}

struct relay *
syncd_start(const struct relay_user *u, struct store **st, ssh_event event)
{
	static const struct relay_kind k = {
		.worker = "partad-sync",
		.name = "parta-sync",
		.idle_timeout = 0,	/* a live client waits, silent */
		.run = syncd_child,
	};

	return relay_start(&k, u, st, event);
}
