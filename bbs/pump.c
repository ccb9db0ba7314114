/*
 * pump.c: moving bytes between an SSH channel and a pty master.
 *
 * Output is read in large chunks and gathered for a few milliseconds so
 * that one screen update leaves as one SSH packet.  Input is written as
 * it comes.  Both pass the converter (pump-conv.h) here and nowhere else: the
 * UI itself only ever sees and writes UTF-8.
 *
 * The UI steers the conversion in band, with private markers that the
 * pump consumes and never forwards (charset changes, a ZMODEM
 * transfer's binary mode): their grammar, and everything else that
 * decides what the bytes become, is pump-conv.c's, which needs no
 * libssh.  This file moves the bytes: the pty, the event loop, the
 * child.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/poll.h>	/* not common/poll.h (the polls module) */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "charset.h"
#include "log.h"
#include "pump.h"
#include "util.h"
#include "worker.h"

#define PUMP_GATHER_MS	5	/* wait this long for the rest of a screen */
#define PUMP_EXIT_MS	3000	/* the UI's time to save and go at the end */
#define PUMP_IN_CHUNK	1024	/* keystrokes converted at once */

struct pump {
	int		 master;
	struct worker	 ui;		/* the UI's process */
	ssh_event	 event;
	pump_write_fn	 write;
	void		*arg;
	int		 eof;		/* master hung up: the UI is gone */
	struct pump_conv *conv;		/* what the bytes become */
};

void
pump_set_charset(struct pump *p, int cs)
{
	pump_conv_set_charset(p->conv, cs);
}

/* Read what the master holds into buf (room bytes) from offset *len; 0
 * on EOF. */
static ssize_t
pump_read_more(struct pump *p, char *buf, size_t room, size_t *len)
{
	ssize_t	 n;

	do
		n = read(p->master, buf + *len, room - *len);
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
	const char	*out = NULL;
	size_t		 len = 0, room, o = 0;
	char		*buf = pump_conv_space(p->conv, &room);
	ssize_t		 n;

	(void)revents;
	n = pump_read_more(p, buf, room, &len);
	/* Gather the rest of this screen update before sending. */
	while (n > 0 && len < room &&
	    poll(&pfd, 1, PUMP_GATHER_MS) > 0 && (pfd.revents & POLLIN))
		n = pump_read_more(p, buf, room, &len);
	if (len > 0)
		out = pump_conv_out(p->conv, len, &o);
	if (o > 0 && p->write(out, o, p->arg) != 0)
		n = 0;
	if (n <= 0 && !(n < 0 && errno == EAGAIN)) {
		/* EIO on a pty master means the slave side is closed. */
		ssh_event_remove_fd(p->event, p->master);
		p->eof = 1;
	}
	return 0;
}

struct pump *
pump_new(int master, const struct worker *ui, ssh_event event,
    pump_write_fn out, void *arg)
{
	struct pump	*p = xcalloc(1, sizeof(*p));

	p->master = master;
	p->ui = *ui;
	p->event = event;
	p->write = out;
	p->arg = arg;
	p->conv = pump_conv_new(CHARSET_UTF8);
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
	/* Closing the master hangs up the UI's terminal; SIGHUP says so
	 * too.  The UI then saves a draft (ui-editor.c) or ends a ZMODEM
	 * transfer's sz and removes its files (ui-zmodem.c), and exits:
	 * a few seconds for that, then SIGKILL. */
	close(p->master);
	worker_stop(&p->ui, SIGHUP, PUMP_EXIT_MS);
	pump_conv_free(p->conv);
	free(p);
}

/* Write len bytes of UTF-8 to the UI. */
static int
pump_write_ui(struct pump *p, const char *s, size_t len)
{
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

int
pump_input(struct pump *p, const void *data, size_t len)
{
	const char	*s = data;
	char		 conv[CHARSET_OUT_MAX(PUMP_IN_CHUNK)];
	size_t		 n, o;

	while (len > 0) {
		n = len < PUMP_IN_CHUNK ? len : PUMP_IN_CHUNK;
		o = pump_conv_in(p->conv, s, n, conv);
		if (pump_write_ui(p, conv, o) != 0)
			return -1;
		s += n;
		len -= n;
	}
	return p->eof ? -1 : 0;
}

void
pump_resize(struct pump *p, int cols, int rows)
{
	struct winsize	 ws;

	(void)pump_clamp_size(&cols, &rows);
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
	worker_signal(&p->ui, sig);
}

int
pump_finished(struct pump *p, int *status)
{
	if (worker_ended(&p->ui) && !p->eof) {
		/* Drain what the UI wrote before it exited. */
		pump_readable(p->master, POLLIN, p);
	}
	if (!p->ui.reaped || !p->eof)
		return 0;
	*status = p->ui.status;
	return 1;
}
