/*
 * term.c: the client's terminal boundary, as partad's pump (bbs/pump.c)
 * is the server's: the screens run in a child on a local pty in UTF-8,
 * and this process moves the bytes between the user's real terminal and
 * the pty, converting them to and from the terminal's encoding with the
 * pump's core (common/pump-conv.c), so that a KOI8-R, CP1251, CP866 or
 * KOI8-U terminal gets the same bytes, and the same one-column
 * substitutes for Tatar letters, as from the BBS.
 *
 * The real terminal is put in raw mode here and given back as it was
 * (what she typed before the screens, during a first connection, is
 * discarded: it was typed blind, and the screens act on single keys);
 * a window change is passed on to the pty (the kernel then signals the
 * child, and ncurses redraws).  A hang-up (her window closed), SIGTERM
 * or SIGINT ends the pump as the end of her terminal does: the pty is
 * closed, the screens end on its hang-up (saving what the editor
 * holds), the terminal's modes are given back and the caller goes on
 * to its own end (term_signal() says which), where the default action
 * would have killed this process with the screens' work undone.  The
 * signals are blocked but inside ppoll(), so one cannot slip in between
 * the test of the flag and the wait.  The child's screen bytes are gathered a
 * little before they are written, as partad gathers them into packets.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "charset.h"
#include "client.h"
#include "pump-conv.h"
#include "util.h"

#define TERM_CHUNK	4096

static volatile sig_atomic_t term_winch, term_ended;

static void
term_on_winch(int sig)
{
	(void)sig;
	term_winch = 1;
}

static void
term_on_end(int sig)
{
	term_ended = sig;
}

int
term_signal(void)
{
	return term_ended;
}

/* Write all of len bytes to fd; 0 or -1. */
static int
term_write(int fd, const char *s, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, s, len)) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

void
term_log_to(const char *dir)
{
	char	*path = xasprintf("%s/parta.log", dir);
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) >= 0) {
		(void)dup2(fd, STDERR_FILENO);
		close(fd);
	}
	free(path);
}

int
term_run(int cs, int (*child)(void *), void *arg)
{
	struct pump_conv	*conv;
	struct termios		 saved, raw;
	struct winsize		 ws;
	struct sigaction	 sa;
	sigset_t		 ends, old;
	struct pollfd		 pfd[2];
	char			 in[TERM_CHUNK], cin[CHARSET_OUT_MAX(TERM_CHUNK)];
	char			*buf;
	const char		*out;
	size_t			 room, o;
	ssize_t			 n;
	pid_t			 pid;
	int			 master, tty, status = 0, rc = 1;

	tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0) {
		memset(&ws, 0, sizeof(ws));
		ws.ws_col = 80;
		ws.ws_row = 24;
	}
	if ((pid = forkpty(&master, NULL, NULL, &ws)) < 0) {
		fprintf(stderr, "parta: forkpty: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0)
		_exit(child(arg));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = term_on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = term_on_end;
	sigemptyset(&ends);
	sigaddset(&ends, SIGHUP);
	sigaddset(&ends, SIGTERM);
	sigaddset(&ends, SIGINT);
	(void)sigprocmask(SIG_BLOCK, &ends, &old);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		/* Keys typed while she waited for the link were typed at no
		 * screen, and a menu acts on one key: thrown away, as a
		 * password prompt throws away what was typed before it. */
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
	}
	conv = pump_conv_new(cs);
	pfd[0].fd = STDIN_FILENO;
	pfd[0].events = POLLIN;
	pfd[1].fd = master;
	pfd[1].events = POLLIN;
	for (;;) {
		if (term_ended)
			break;
		if (term_winch) {
			term_winch = 0;
			if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
				(void)ioctl(master, TIOCSWINSZ, &ws);
		}
		if (ppoll(pfd, 2, NULL, &old) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			buf = pump_conv_space(conv, &room);
			if ((n = read(master, buf, room)) <= 0) {
				if (n < 0 && errno == EINTR)
					continue;
				break;	/* EIO: the screens have ended */
			}
			out = pump_conv_out(conv, (size_t)n, &o);
			if (o > 0 && term_write(STDOUT_FILENO, out, o) != 0)
				break;
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((n = read(STDIN_FILENO, in, sizeof(in))) <= 0) {
				if (n < 0 && errno == EINTR)
					continue;
				break;	/* her terminal is gone */
			}
			o = pump_conv_in(conv, in, (size_t)n, cin);
			if (term_write(master, cin, o) != 0)
				break;
		}
	}
	close(master);	/* a hang-up for the screens, if still there */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		rc = WEXITSTATUS(status);
	if (tty)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	/* Still caught, and now delivered: a second signal while the
	 * caller ends (writes its packet) only sets the flag again. */
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	pump_conv_free(conv);
	return rc;
}
