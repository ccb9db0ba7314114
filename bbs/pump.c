/*
 * pump.c: moving bytes between an SSH channel and a pty master.
 *
 * Output is read in large chunks and gathered for a few milliseconds so
 * that one screen update leaves as one SSH packet.  Input is written as
 * it comes.  Conversion to and from legacy terminal encodings will sit in
 * pump_input() and pump_flush_out(): the UI itself only ever sees UTF-8.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "pump.h"
#include "util.h"

#define PUMP_OUT_MAX	32768	/* one SSH packet carries up to 32 KB */
#define PUMP_GATHER_MS	5	/* wait this long for the rest of a screen */

struct pump {
	int		 master;
	pid_t		 child;
	ssh_event	 event;
	pump_write_fn	 out;
	void		*arg;
	int		 eof;		/* master hung up: the UI is gone */
	int		 reaped;
	int		 status;
	char		 buf[PUMP_OUT_MAX];
};

/* Read what the master holds into p->buf from offset *len; 0 on EOF. */
static ssize_t
pump_read_more(struct pump *p, size_t *len)
{
	ssize_t	 n;

	do
		n = read(p->master, p->buf + *len, sizeof(p->buf) - *len);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		*len += (size_t)n;
	return n;
}

static int
pump_readable(socket_t fd, int revents, void *arg)
{
	struct pump	*p = arg;
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	size_t		 len = 0;
	ssize_t		 n;

	(void)revents;
	n = pump_read_more(p, &len);
	/* Gather the rest of this screen update before sending. */
	while (n > 0 && len < sizeof(p->buf) &&
	    poll(&pfd, 1, PUMP_GATHER_MS) > 0 && (pfd.revents & POLLIN))
		n = pump_read_more(p, &len);
	if (len > 0 && p->out(p->buf, len, p->arg) != 0)
		n = 0;
	if (n <= 0 && !(n < 0 && errno == EAGAIN)) {
		/* EIO on a pty master means the slave side is closed. */
		ssh_event_remove_fd(p->event, p->master);
		p->eof = 1;
	}
	return 0;
}

struct pump *
pump_new(int master, pid_t child, ssh_event event, pump_write_fn out, void *arg)
{
	struct pump	*p = xcalloc(1, sizeof(*p));

	p->master = master;
	p->child = child;
	p->event = event;
	p->out = out;
	p->arg = arg;
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	if (ssh_event_add_fd(event, master, POLLIN, pump_readable, p) != SSH_OK)
		fatal("cannot watch the pty");
	return p;
}

void
pump_free(struct pump *p)
{
	if (p == NULL)
		return;
	if (!p->eof)
		ssh_event_remove_fd(p->event, p->master);
	close(p->master);
	if (!p->reaped) {
		kill(p->child, SIGKILL);
		waitpid(p->child, NULL, 0);
	}
	free(p);
}

int
pump_input(struct pump *p, const void *data, size_t len)
{
	const char	*s = data;
	ssize_t		 n;

	while (len > 0 && !p->eof) {
		n = write(p->master, s, len);
		if (n < 0) {
			struct pollfd	 pfd = { .fd = p->master, .events = POLLOUT };

			if (errno == EINTR)
				continue;
			/* The UI is busy; its input queue drains soon. */
			if (errno == EAGAIN && poll(&pfd, 1, 1000) >= 0)
				continue;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return p->eof ? -1 : 0;
}

void
pump_resize(struct pump *p, int cols, int rows)
{
	struct winsize	 ws;

	memset(&ws, 0, sizeof(ws));
	ws.ws_col = (unsigned short)cols;
	ws.ws_row = (unsigned short)rows;
	/* The kernel sends SIGWINCH to the UI, and ncurses redraws. */
	if (ioctl(p->master, TIOCSWINSZ, &ws) != 0)
		log_warn("TIOCSWINSZ: %s", strerror(errno));
}

void
pump_signal(struct pump *p, int sig)
{
	if (!p->reaped)
		kill(p->child, sig);
}

int
pump_finished(struct pump *p, int *status)
{
	int	 st;

	if (!p->reaped && waitpid(p->child, &st, WNOHANG) == p->child) {
		p->reaped = 1;
		p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	if (p->reaped && !p->eof) {
		/* Drain what the UI wrote before it exited. */
		pump_readable(p->master, POLLIN, p);
	}
	if (!p->reaped || !p->eof)
		return 0;
	*status = p->status;
	return 1;
}
