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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "client.h"
#include "i18n.h"
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

/* HELLO, the outbox's waiting items and a PULL, in one write. */
static int
syncer_start(struct link *l, struct sync_local *sl, size_t *pushes,
    char **cause)
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
	m.hello.agent = SYNCER_AGENT;
	rc = sync_encode(&w, &m);
	for (i = 0; i < n && rc == 0; i++) {
		if (bytes_put_raw(&w, v[i].frame, v[i].len) != 0)
			rc = SYNC_E_TOOBIG;
	}
	if (rc == 0)
		rc = syncer_pull(&w, sl);
	if (rc == 0)
		rc = link_send(l, bytes_writer_data(&w), bytes_writer_len(&w),
		    cause);
	else
		*cause = xasprintf(_("cannot encode a frame: %s"),
		    sync_strerror(rc));
	*pushes = n;
	sync_outbox_free(v, n);
	bytes_writer_free(&w);
	return rc == 0 ? 0 : -1;
}

int
syncer_run(struct link *l, struct sync_local *sl, int timeout_ms,
    struct syncer_stats *st, char **cause)
{
	struct bytes_writer	 w;
	struct sync_msg		 m;
	size_t			 pushes;
	int			 rc, pulling = 1;

	memset(st, 0, sizeof(*st));
	*cause = NULL;
	if (syncer_start(l, sl, &pushes, cause) != 0)
		return -1;
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
		case SYNC_BATCH:
			if ((rc = sync_local_batch(sl, &m)) != 0)
				break;
			st->batches++;
			st->rows += m.batch.nrows;
			if (m.batch.flags & SYNC_BATCH_SNAPSHOT)
				st->snapshot = 1;
			if (!(m.batch.flags & SYNC_BATCH_MORE))
				pulling = 0;
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
			break;	/* the pull under way brings it */
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
	return 0;
}
