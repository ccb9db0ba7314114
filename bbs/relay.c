/*
 * relay.c: the session's side of a subsystem served by a child on a
 * socket pair (relay.h): SFTP (sftp.c) and parta-sync (syncd.c).
 *
 * The relay moves bytes both ways with back-pressure, so that no client
 * can make the session hold more than a few megabytes, or spin:
 *
 * - Client to child: chan_data offers the relay what libssh holds of the
 *   channel; the relay takes what fits in its queue (RELAY_QMAX) and
 *   leaves the rest in libssh's buffer.  libssh widens the channel's
 *   window only as that buffer empties, so a client whose requests the
 *   child does not take stops sending.  The relay takes the rest itself
 *   (relay_pull) once it has room for all of it: taking a part would let
 *   libssh widen the window while it still holds the remainder, and its
 *   buffer would grow without bound.
 * - Child to client: the relay reads a reply chunk only when the client's
 *   window is open and libssh has nothing unsent, and writes no more than
 *   the window, with the session non-blocking for that one call, so that
 *   a write never waits.  A child whose replies are not read blocks in
 *   write(2), then stops reading requests.
 *
 * All this happens in relay_run(), from the session's loop, never in a
 * libssh callback: a write made in a callback may recurse into libssh's
 * poll with the SSH socket locked against input, and spin (issue 19).
 * The child's socket is watched only for what the relay can act on now
 * (POLLIN when a reply could go out, POLLOUT when client bytes wait), and
 * registered again from relay_run() when that changes: adding or
 * removing an fd inside an event callback upsets libssh's loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "log.h"
#include "partad.h"
#include "relay.h"
#include "user.h"
#include "util.h"
#include "worker.h"

#define RELAY_CHUNK	32768
#define RELAY_QMAX	(2 << 20)	/* client bytes held for the child */
/* libssh holds at most its window, 1280000 bytes, for a client that keeps
 * to it; holding more than this, the client ignores the window. */
#define RELAY_OVERRUN	(4 << 20)
/* The session's poll while a child that closed its end exits. */
#define RELAY_REAP_MS	10

struct relay {
	int		 fd;		/* our end of the socket pair */
	struct worker	 child;
	const char	*name;		/* "sftp", "parta-sync": the log's */
	char		*login;		/* for the log */
	int		 idle_timeout;	/* seconds; 0: none */
	ssh_event	 event;
	ssh_session	 ssh;
	ssh_channel	 chan;
	short		 watched;	/* the events fd is registered for */
	int		 eof;		/* the child closed its end */
	int		 wclosed;	/* the child takes no more input */
	int		 want_eof;	/* 1: the client is done; 2: told the
					 * child (SHUT_WR) */
	int		 overrun;	/* the client ignored the window */
	int64_t		 last_ms;	/* when bytes last moved */
	uint32_t	 left;		/* client bytes libssh still holds */
	char		*q;		/* client bytes for the child */
	size_t		 qoff, qlen, qcap;
	char		 out[RELAY_CHUNK]; /* a reply chunk for the client */
	size_t		 ooff, olen;
};

/* Room in the queue for n more bytes (n <= RELAY_QMAX - qlen). */
static char *
relay_reserve(struct relay *r, size_t n)
{
	if (r->qoff > 0) {
		memmove(r->q, r->q + r->qoff, r->qlen);
		r->qoff = 0;
	}
	if (r->qlen + n > r->qcap) {
		r->qcap = r->qlen + n + RELAY_CHUNK;
		r->q = xrealloc(r->q, r->qcap);
	}
	return r->q + r->qlen;
}

int
relay_input(struct relay *r, const void *data, uint32_t len)
{
	size_t	 take;

	/* Each call offers all libssh holds: what is not taken stays. */
	r->left = 0;
	if (len > RELAY_OVERRUN)
		r->overrun = 1;
	if (r->overrun || r->eof || r->wclosed || r->want_eof != 0)
		return (int)len;	/* nobody takes them: dropped */
	take = r->qlen < RELAY_QMAX ? RELAY_QMAX - r->qlen : 0;
	if (take > len)
		take = len;
	memcpy(relay_reserve(r, take), data, take);
	r->qlen += take;
	r->left = len - (uint32_t)take;
	if (take > 0)
		r->last_ms = now_mono_ms();
	return (int)take;
}

/* Take what libssh kept back, all of it, once it fits.  0 or -1. */
static int
relay_pull(struct relay *r)
{
	int	 n;

	if (r->left == 0)
		return 0;
	/* What it holds now; it reads the socket only if it holds none,
	 * and then chan_data may come in and count again. */
	if ((n = ssh_channel_poll(r->chan, 0)) == SSH_ERROR)
		return -1;
	r->left = n > 0 ? (uint32_t)n : 0;
	if (r->left == 0 || r->qlen + r->left > RELAY_QMAX)
		return 0;
	/* Not empty, so this read only copies: nothing comes in meanwhile
	 * to move the queue under it. */
	n = ssh_channel_read_nonblocking(r->chan, relay_reserve(r, r->left),
	    r->left, 0);
	if (n == SSH_ERROR)
		return -1;
	if (n > 0) {
		r->qlen += (size_t)n;
		r->last_ms = now_mono_ms();
	}
	r->left = n > 0 && (uint32_t)n < r->left ? r->left - (uint32_t)n : 0;
	return 0;
}

/* Write what the child takes now, without waiting. */
static void
relay_tochild(struct relay *r)
{
	ssize_t	 n;

	while (r->qlen > 0 && !r->wclosed) {
		n = write(r->fd, r->q + r->qoff, r->qlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			r->wclosed = 1;	/* the child is gone */
			r->qlen = 0;
			break;
		}
		r->qoff += (size_t)n;
		r->qlen -= (size_t)n;
	}
	if (r->qlen == 0)
		r->qoff = 0;
	if (r->want_eof == 1 && r->qlen == 0 && r->left == 0) {
		shutdown(r->fd, SHUT_WR);
		r->want_eof = 2;
	}
}

/* May the client take bytes now without a wait: its window is open and
 * libssh has sent all it had. */
static int
relay_can_send(struct relay *r)
{
	return ssh_channel_window_size(r->chan) > 0 &&
	    (ssh_get_status(r->ssh) & SSH_WRITE_PENDING) == 0;
}

/* Forward the child's replies while the client takes them.  0 or -1. */
static int
relay_toclient(struct relay *r)
{
	uint32_t	 len;
	ssize_t		 n;
	int		 w, blocking;

	for (;;) {
		if (r->olen == 0) {
			if (r->eof || !relay_can_send(r))
				return 0;
			n = read(r->fd, r->out, sizeof(r->out));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				return 0;
			if (n <= 0) {
				r->eof = 1;
				return 0;
			}
			r->ooff = 0;
			r->olen = (size_t)n;
		}
		if (!relay_can_send(r))
			return 0;
		len = ssh_channel_window_size(r->chan);
		if (len > r->olen)
			len = (uint32_t)r->olen;
		blocking = ssh_is_blocking(r->ssh);
		ssh_set_blocking(r->ssh, 0);
		w = ssh_channel_write(r->chan, r->out + r->ooff, len);
		ssh_set_blocking(r->ssh, blocking);
		if (w == SSH_ERROR)
			return -1;
		if (w == 0)
			return 0;	/* a key re-exchange: later */
		r->ooff += (size_t)w;
		r->olen -= (size_t)w;
		r->last_ms = now_mono_ms();
	}
}

/* The child's socket is polled by the session's loop, which then calls
 * relay_run(): nothing to do here. */
static int
relay_event(socket_t fd, int revents, void *arg)
{
	(void)fd;
	(void)revents;
	(void)arg;
	return 0;
}

/* Watch the child's socket for what the relay can act on now. */
static void
relay_watch(struct relay *r)
{
	short	 ev = 0;

	if (r->olen == 0 && !r->eof && relay_can_send(r))
		ev |= POLLIN;
	if (r->qlen > 0 && !r->wclosed)
		ev |= POLLOUT;
	if (ev == r->watched)
		return;
	if (r->watched != 0)
		ssh_event_remove_fd(r->event, r->fd);
	r->watched = 0;
	if (ev != 0) {
		if (ssh_event_add_fd(r->event, r->fd, ev, relay_event, r) !=
		    SSH_OK)
			fatal("cannot watch the %s child", r->name);
		r->watched = ev;
	}
}

int
relay_run(struct relay *r)
{
	int64_t	 idle;

	if (r->overrun) {
		log_warn("%s for %s: the client overran its window; "
		    "hanging up", r->name, r->login);
		return -1;
	}
	if (ssh_channel_is_closed(r->chan)) {
		log_debug("%s for %s: the channel is closed", r->name,
		    r->login);
		return -1;
	}
	if (relay_pull(r) != 0 || relay_toclient(r) != 0) {
		log_info("%s for %s: the channel failed", r->name, r->login);
		return -1;
	}
	relay_tochild(r);
	relay_watch(r);
	idle = now_mono_ms() - r->last_ms;
	if (r->idle_timeout > 0 && idle >= r->idle_timeout * 1000LL) {
		log_info("%s for %s idle for %lld seconds; closing",
		    r->name, r->login, (long long)(idle / 1000));
		return -1;
	}
	return 0;
}

void
relay_eof(struct relay *r)
{
	/* The child reads EOF once the queue is out (sftpd_relay). */
	if (r->want_eof == 0)
		r->want_eof = 1;
}

void
relay_signal(struct relay *r, int sig)
{
	worker_signal(&r->child, sig);
}

int
relay_finished(struct relay *r, int *status)
{
	/* Done once the last reply the child wrote has gone out. */
	if (!worker_ended(&r->child) || !r->eof || r->olen > 0)
		return 0;
	*status = r->child.status;
	return 1;
}

int
relay_poll_ms(struct relay *r, int ms)
{
	/* Its end closed, the child is exiting: the socket no longer wakes
	 * the loop, and the SIGCHLD may have come before the poll. */
	if (r->eof && !worker_ended(&r->child) && ms > RELAY_REAP_MS)
		return RELAY_REAP_MS;
	return ms;
}

void
relay_free(struct relay *r)
{
	if (r == NULL)
		return;
	if (r->watched != 0)
		ssh_event_remove_fd(r->event, r->fd);
	close(r->fd);
	worker_stop(&r->child, SIGTERM, -1);
	free(r->login);
	free(r->q);
	free(r);
}

void
relay_child_init(struct store *st, const struct relay_user *u,
    void (*on_term)(int))
{
	struct user	*who = NULL;

	signal(SIGTERM, on_term);
	signal(SIGPIPE, SIG_IGN);
	i18n_init(u->localedir, user_get_by_id(st, u->user_id, &who) == 0 ?
	    who->lang : "ru");
	user_free(who);
}

struct relay *
relay_start(const struct relay_kind *k, const struct relay_user *u,
    struct store **st, ssh_event event)
{
	struct worker_params wp = {
		.name = k->worker,
		.channel = WORKER_SOCKET,
		.store_path = u->store_path,
		.run = k->run,
		.arg = (void *)u,
	};
	struct relay	*r;
	struct worker	 w;
	int		 fd;

	if (worker_start(&wp, st, &w, &fd) != 0)
		return NULL;
	log_info("%s for %s started", k->name, u->login);
	r = xcalloc(1, sizeof(*r));
	r->fd = fd;
	r->child = w;
	r->name = k->name;
	r->login = xstrdup(u->login);
	r->idle_timeout = k->idle_timeout;
	r->event = event;
	r->ssh = u->ssh;
	r->chan = u->chan;
	r->last_ms = now_mono_ms();
	fcntl(r->fd, F_SETFL, fcntl(r->fd, F_GETFL) | O_NONBLOCK);
	relay_watch(r);
	return r;
}
