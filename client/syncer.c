/*
 * syncer.c: one round of parta-sync over an open link (client.h).
 *
 * The client does not wait for WELCOME: HELLO, then every waiting
 * outbox item as the PUSH frame it was stored as (the same UUID as
 * every earlier try, so the server applies it at most once), then a
 * PULL from the copy's cursor, go out together, saving round trips on
 * a slow link.  Each answer is applied as it comes: a BATCH with its
 * cursor in one transaction of the copy, APPLIED and REFUSED to the
 * outbox (sync-local.c).  STALE asks for a snapshot with a new PULL.
 * The round ends when the pull's last batch is in and every push has
 * been answered; a cut at any byte leaves what was committed, and the
 * next round starts from there.
 *
 * In the background (syncer_loop(), a process of its own beside the
 * screens), rounds follow one another, each with the library files that
 * wait (transfer.c): after a NOTICE (capability live), a new write in
 * the outbox or a file she asked for, and after a cut a reconnection
 * with a doubling backoff.  The screens see what it commits through PRAGMA
 * data_version, and its state through the status file (ui-host.c).
 *
 * With the capability stream the server sends new rows itself, BATCH
 * frames marked PUSHED, instead of a NOTICE: applied as they come, each
 * with its cursor like a pulled one, between rounds or within one (a
 * pushed batch's end is not the round's pull's).  With estimate a long
 * pull starts with ESTIMATE, its rows: the progress file's whole is
 * then that many rows at the bytes a row so far, an estimate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytes.h"
#include "client.h"
#include "i18n.h"
#include "log.h"
#include "perr.h"
#include "sync-local.h"
#include "sync-proto.h"
#include "util.h"

#define SYNCER_BUDGET	(64 * 1024)	/* bytes a batch */
#define SYNCER_AGENT	"parta 0.3"

/* Append a PULL from the copy's cursor to w. */
static int
syncer_pull(struct bytes_writer *w, struct sync_local *sl)
{
	struct sync_msg	 m;

	memset(&m, 0, sizeof(m));
	m.type = SYNC_PULL;
	m.pull.cursor = sync_local_cursor(sl);
	m.pull.budget = SYNCER_BUDGET;
	return sync_encode(w, &m);
}

/* HELLO (the first round on a link), the outbox's waiting items and a
 * PULL, in one write. */
static int
syncer_start(struct link *l, struct sync_local *sl, int hello,
    size_t *pushes, char **cause)
{
	struct sync_outbox_item	*v = NULL;
	struct bytes_writer	 w;
	struct sync_msg		 m;
	size_t			 n = 0, i;
	int			 rc;

	*pushes = 0;
	if (sync_local_outbox(sl, SYNC_OUTBOX_WAITING, &v, &n) != 0) {
		*cause = xstrdup(_("cannot read the outbox"));
		return -1;
	}
	bytes_writer_init(&w, (n + 2) * (4 + SYNC_FRAME_MAX));
	memset(&m, 0, sizeof(m));
	m.type = SYNC_HELLO;
	m.hello.versions[0] = SYNC_VERSION;
	m.hello.nversions = 1;
	m.hello.caps[0] = SYNC_CAP_LIVE;
	m.hello.caps[1] = SYNC_CAP_COLUMNS;
	m.hello.caps[2] = SYNC_CAP_FILES;
	m.hello.caps[3] = SYNC_CAP_NAMES;
	m.hello.caps[4] = SYNC_CAP_ZSTD;
	m.hello.caps[5] = SYNC_CAP_STREAM;
	m.hello.caps[6] = SYNC_CAP_ESTIMATE;
	m.hello.caps[7] = SYNC_CAP_PACKED;
	m.hello.ncaps = 8;
	m.hello.agent = SYNCER_AGENT;
	rc = hello ? sync_encode(&w, &m) : 0;
	for (i = 0; i < n && rc == 0; i++) {
		/* An upload's item goes once its file is there (transfer.c). */
		if (strcmp(v[i].kind, "library-file") == 0)
			continue;
		if (bytes_put_raw(&w, v[i].frame, v[i].len) != 0)
			rc = SYNC_E_TOOBIG;
		(*pushes)++;
	}
	if (rc == 0)
		rc = syncer_pull(&w, sl);
	if (rc == 0)
		rc = link_send(l, bytes_writer_data(&w), bytes_writer_len(&w),
		    cause);
	else
		*cause = xasprintf(_("cannot encode a frame: %s"),
		    sync_strerror(rc));
	sync_outbox_free(v, n);
	bytes_writer_free(&w);
	return rc == 0 ? 0 : -1;
}

int
syncer_run(struct link *l, struct sync_local *sl, int hello, int timeout_ms,
    const char *dir, struct syncer_stats *st, char **cause)
{
	uint64_t		 sent, recvd, from, estimate = 0, rows = 0;
	struct bytes_writer	 w;
	struct sync_msg		 m;
	size_t			 pushes;
	int64_t			 started = now_unix(), total;
	int			 rc, pulling = 1;

	memset(st, 0, sizeof(*st));
	*cause = NULL;
	if (syncer_start(l, sl, hello, &pushes, cause) != 0)
		return -1;
	link_counts(l, &sent, &from);
	while (pulling || st->applied + st->refused < pushes) {
		if ((rc = link_recv(l, &m, timeout_ms, cause)) <= 0) {
			if (rc == 0)
				*cause = xstrdup(_("the server did not answer "
				    "in time"));
			return -1;
		}
		rc = 0;
		switch (m.type) {
		case SYNC_WELCOME:
			if (m.welcome.version != SYNC_VERSION)
				rc = -1;
			break;
		case SYNC_ESTIMATE:
			estimate = m.estimate.rows;
			break;
		case SYNC_BATCH:
			if ((rc = sync_local_batch(sl, &m)) != 0)
				break;
			st->batches++;
			st->rows += m.batch.nrows;
			/* The server's own rows (stream) are not our
			 * pull's: its end is not ours. */
			if (m.batch.flags & SYNC_BATCH_PUSHED)
				break;
			rows += m.batch.nrows;
			if (m.batch.flags & SYNC_BATCH_SNAPSHOT)
				st->snapshot = 1;
			if (!(m.batch.flags & SYNC_BATCH_MORE))
				pulling = 0;
			else if (dir != NULL) {
				/* A long pull: how much came, and the whole
				 * as the ESTIMATE's rows at the bytes a row
				 * so far (0, no bar, without one). */
				link_counts(l, &sent, &recvd);
				total = estimate > rows ? (int64_t)((double)
				    (recvd - from) * estimate / rows) : 0;
				transfer_progress_write(dir, 's',
				    (int64_t)(recvd - from), total, started, 0);
			}
			break;
		case SYNC_STALE:
			/* Start again from a snapshot. */
			if ((rc = sync_local_stale(sl)) != 0)
				break;
			bytes_writer_init(&w, 64);
			if ((rc = syncer_pull(&w, sl)) == 0)
				rc = link_send(l, bytes_writer_data(&w),
				    bytes_writer_len(&w), cause);
			bytes_writer_free(&w);
			if (rc != 0) {
				sync_msg_free(&m);
				return -1;
			}
			break;
		case SYNC_APPLIED:
			if ((rc = sync_local_applied(sl, &m)) == 0)
				st->applied++;
			break;
		case SYNC_REFUSED:
			/* A file's refusal has no item of the outbox. */
			rc = sync_local_refused(sl, &m);
			if (rc == PERR_NOTFOUND)
				rc = 0;
			else if (rc == 0)
				st->refused++;
			break;
		case SYNC_NOTICE:
			st->noticed = 1;	/* the next round's pull */
			break;
		case SYNC_ERROR:
			*cause = xasprintf(_("the server refused: %s (%s)"),
			    sync_strerror(m.error.code),
			    m.error.reason != NULL ? m.error.reason : "");
			sync_msg_free(&m);
			return -1;
		default:
			break;	/* a file's frame: not asked for */
		}
		if (rc != 0 && *cause == NULL)
			*cause = xstrdup(m.type == SYNC_WELCOME ?
			    _("the server speaks another protocol version") :
			    _("cannot write the local copy (is the disk full?)"));
		sync_msg_free(&m);
		if (rc != 0)
			return -1;
	}
	if (dir != NULL && st->batches > 1)
		transfer_progress_clear(dir);
	return 0;
}

/* ---- in the background ------------------------------------------- */

#define SYNCER_TIMEOUT_MS	(120 * 1000)
#define SYNCER_IDLE_MS		1000	/* between looks at the outbox */
#define SYNCER_BACKOFF_MAX	300	/* seconds */

/* Between rounds: a BATCH the server sent unasked (stream) is applied
 * as a pulled one, with its cursor; its last says online, synced now.
 * 0, or -1 with *cause. */
static int
syncer_pushed(struct sync_local *sl, const struct sync_msg *m,
    const char *dir, int64_t since, int64_t *last, char **cause)
{
	if (m->type == SYNC_ERROR) {
		*cause = xasprintf(_("the server refused: %s (%s)"),
		    sync_strerror(m->error.code),
		    m->error.reason != NULL ? m->error.reason : "");
		return -1;
	}
	if (m->type != SYNC_BATCH)
		return 0;
	if (sync_local_batch(sl, m) != 0) {
		*cause = xstrdup(_("cannot write the local copy (is the disk "
		    "full?)"));
		return -1;
	}
	if (!(m->batch.flags & SYNC_BATCH_MORE)) {
		*last = now_unix();
		client_status_write(dir, CLIENT_LINK_ONLINE, since, *last);
	}
	return 0;
}

/* Wait up to secs for ppid to go; 1 when it went. */
static int
syncer_sleep(int secs, pid_t ppid)
{
	int	 i;

	for (i = 0; i < secs * 10; i++) {
		if (getppid() != ppid)
			return 1;
		usleep(100 * 1000);
	}
	return getppid() != ppid;
}

/* Wait *backoff seconds, doubled for the next time (up to
 * SYNCER_BACKOFF_MAX); 1 when ppid went meanwhile. */
static int
syncer_backoff(int *backoff, pid_t ppid)
{
	if (syncer_sleep(*backoff, ppid))
		return 1;
	if ((*backoff *= 2) > SYNCER_BACKOFF_MAX)
		*backoff = SYNCER_BACKOFF_MAX;
	return 0;
}

/* The link is lost (*cause says why, in parta.log): close it, say
 * offline from now.  Returns now. */
static int64_t
syncer_lost(struct link **l, char **cause, const char *dir, int64_t last)
{
	int64_t	 since = now_unix();

	log_warn("syncer: %s", *cause);
	free(*cause);
	*cause = NULL;
	link_close(*l);
	*l = NULL;
	client_status_write(dir, CLIENT_LINK_OFFLINE, since, last);
	return since;
}

/* What waits for the link: writes, uploads and fetches. */
static int64_t
syncer_waiting(struct sync_local *sl)
{
	struct sync_fetch	*f = NULL;
	size_t			 n = 0;

	if (sync_local_fetches(sl, &f, &n) != 0)
		n = 0;
	sync_fetch_free(f, n);
	return sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING) + (int64_t)n;
}

void
syncer_loop(const struct link_opts *o, struct link *l, int hello,
    const char *dir, pid_t ppid)
{
	struct sync_local	*sl;
	struct syncer_stats	 st;
	struct sync_msg		 m;
	char			*cause = NULL;
	int64_t			 since = now_unix(), last = 0, waiting;
	int			 backoff = 1, rc;

	if (sync_local_open(dir, &sl, &cause) != 0) {
		log_error("syncer: %s", cause);
		free(cause);
		client_status_write(dir, CLIENT_LINK_OFFLINE, since, 0);
		_exit(1);
	}
	for (;;) {
		if (getppid() != ppid)
			break;
		if (l == NULL) {
			client_status_write(dir, CLIENT_LINK_CONNECTING, since,
			    last);
			if ((rc = link_open(o, &l, &cause)) != 0) {
				log_warn("syncer: %s", cause);
				free(cause);
				cause = NULL;
				if (rc == -2) {
					/* parta.log says why; she must act. */
					client_status_write(dir,
					    CLIENT_LINK_REFUSED, since, last);
					while (!syncer_sleep(60, ppid))
						;
					break;
				}
				client_status_write(dir, CLIENT_LINK_OFFLINE,
				    since, last);
				if (syncer_backoff(&backoff, ppid))
					break;
				continue;
			}
			hello = 1;
		}
		if (syncer_run(l, sl, hello, SYNCER_TIMEOUT_MS, dir, &st,
		    &cause) != 0 || transfer_run(l, sl, dir,
		    SYNCER_TIMEOUT_MS, &st, &cause) != 0) {
			since = syncer_lost(&l, &cause, dir, last);
			/* Not again at once: a round that failed on her side
			 * (her disk full) fails again, each time over a new
			 * connection she pays for. */
			if (syncer_backoff(&backoff, ppid))
				break;
			continue;
		}
		hello = 0;
		backoff = 1;
		last = now_unix();
		client_status_write(dir, CLIENT_LINK_ONLINE, since, last);
		/* Until a NOTICE or a new write: then another round. */
		for (rc = 0; !st.noticed && rc == 0;) {
			if (getppid() != ppid)
				goto out;
			waiting = syncer_waiting(sl);
			if (waiting > 0)
				break;
			rc = link_recv(l, &m, SYNCER_IDLE_MS, &cause);
			if (rc == 1) {
				if (m.type == SYNC_NOTICE)
					st.noticed = 1;
				rc = syncer_pushed(sl, &m, dir, since, &last,
				    &cause);
				sync_msg_free(&m);
			}
		}
		if (rc < 0)
			since = syncer_lost(&l, &cause, dir, last);
	}
out:
	link_close(l);
	sync_local_close(sl);
	_exit(0);
}
