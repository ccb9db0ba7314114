/*
 * test-pump.c: the pump's in-band markers (bbs/pump.c).  The encoding
 * markers convert; a binary transfer ("bin=TOKEN") passes every byte
 * untouched in both directions, markers in the data too, until
 * "text=TOKEN" with its own token, also when that marker arrives split
 * across reads; then conversion resumes both ways.
 *
 * The pty master is one end of a socket pair; this test plays the UI at
 * the other end and the SSH channel in a write callback.
 *
 * Then the window-size clamp (pump_clamp_size), which keeps a client's
 * 10000 x 10000 from becoming gigabytes of ncurses cells.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "charset.h"
#include "pump.h"
#include "t.h"
#include "util.h"

#define TOKEN	"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"

/* What the pump sent to "the client". */
static char	 sent[65536];
static size_t	 nsent;

static int
to_client(const char *buf, size_t len, void *arg)
{
	(void)arg;
	if (nsent + len > sizeof(sent))
		return -1;
	memcpy(sent + nsent, buf, len);
	nsent += len;
	return 0;
}

static struct pump	*p;
static ssh_event	 ev;
static int		 ui;	/* the UI's end of the "pty" */

/* The UI writes len bytes; the pump runs until it has read them. */
static void
ui_says(const void *s, size_t len)
{
	if (write(ui, s, len) != (ssize_t)len) {
		printf("Bail out! write: %s\n", strerror(errno));
		exit(1);
	}
	(void)ssh_event_dopoll(ev, 200);
}

/* The same for a string. */
static void
ui_str(const char *s)
{
	ui_says(s, strlen(s));
}

/* Forget what was sent so far. */
static void
sent_reset(void)
{
	nsent = 0;
}

/* 1 if what was sent since sent_reset() is exactly want (len bytes). */
static int
sent_is(const void *want, size_t len)
{
	return nsent == len && memcmp(sent, want, len) == 0;
}

/* What the UI reads after the client typed len bytes: into buf. */
static size_t
ui_reads(const void *typed, size_t len, char *buf, size_t size)
{
	struct pollfd	 pfd = { .fd = ui, .events = POLLIN };
	size_t		 got = 0;
	ssize_t		 n;

	if (pump_input(p, typed, len) != 0)
		return 0;
	while (got < size && poll(&pfd, 1, 100) > 0) {
		if ((n = read(ui, buf + got, size - got)) <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/* Window sizes a client asks for, brought within partad(8)'s bounds. */
static void
clamp_checks(void)
{
	int	 cols, rows, changed;

	cols = 10000, rows = 10000;
	changed = pump_clamp_size(&cols, &rows);
	T_OK(changed && cols == PUMP_COLS_MAX && rows == PUMP_ROWS_MAX,
	    "10000x10000 is clamped to %dx%d", PUMP_COLS_MAX, PUMP_ROWS_MAX);
	cols = 65535, rows = 3;
	pump_clamp_size(&cols, &rows);
	T_OK(cols == PUMP_COLS_MAX && rows == PUMP_ROWS_MIN,
	    "each dimension is clamped on its own");
	cols = 0, rows = -1;
	changed = pump_clamp_size(&cols, &rows);
	T_OK(changed && cols == 80 && rows == 24,
	    "an unspecified (0) or negative size becomes 80x24");
	cols = 1, rows = 1;
	pump_clamp_size(&cols, &rows);
	T_OK(cols == PUMP_COLS_MIN && rows == PUMP_ROWS_MIN,
	    "1x1 is raised to %dx%d", PUMP_COLS_MIN, PUMP_ROWS_MIN);
	cols = 132, rows = 43;
	changed = pump_clamp_size(&cols, &rows);
	T_OK(!changed && cols == 132 && rows == 43,
	    "an ordinary size is left alone");
	cols = PUMP_COLS_MAX, rows = PUMP_ROWS_MAX;
	changed = pump_clamp_size(&cols, &rows);
	T_OK(!changed, "the bounds themselves are allowed");
}

int
main(void)
{
	static const char koi8_privet[] = "\xd0\xd2\xc9\xd7\xc5\xd4";
	char		 all[256], buf[4096], data[1024];
	size_t		 i, n, cut;
	int		 sv[2];
	pid_t		 child;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < sizeof(all); i++)
		all[i] = (char)i;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 ||
	    (ev = ssh_event_new()) == NULL) {
		printf("Bail out! no socket pair or event\n");
		return 1;
	}
	/* The pump owns a child (the UI); a stand-in that waits. */
	if ((child = fork()) == 0) {
		pause();
		_exit(0);
	}
	ui = sv[1];
	p = pump_new(sv[0], child, ev, to_client, NULL);

	/* Encodings, as before. */
	ui_str("\033_parta;cs=KOI8-R\033\\привет");
	T_OK(sent_is(koi8_privet, 6), "cs= switches output to KOI8-R, the "
	    "marker consumed");
	n = ui_reads(koi8_privet, 6, buf, sizeof(buf));
	T_OK(n == 12 && memcmp(buf, "привет", 12) == 0,
	    "and input from KOI8-R to UTF-8");
	sent_reset();
	ui_str("\033_parta;whatever\033\\x");
	T_OK(sent_is("x", 1), "an unknown marker is dropped outside a transfer");

	/* A transfer: every byte as it is, out and in. */
	sent_reset();
	ui_str("\033_parta;bin=\033\\");
	ui_str("привет");
	T_OK(sent_is(koi8_privet, 6), "bin= without a token is ignored");
	sent_reset();
	ui_str("\033_parta;bin=" TOKEN "\033\\");
	ui_says(all, sizeof(all));
	T_OK(sent_is(all, sizeof(all)), "during a transfer all 256 byte "
	    "values pass out untouched");
	n = ui_reads(all, sizeof(all), buf, sizeof(buf));
	T_OK(n == sizeof(all) && memcmp(buf, all, n) == 0,
	    "and in, untouched");
	sent_reset();
	n = (size_t)snprintf(data, sizeof(data), "%s%s%s%s",
	    "\033_parta;cs=UTF-8\033\\", "\033_parta;out\033\\",
	    "\033_parta;text=not-the-token\033\\", "\033_parta;text\033\\");
	ui_says(data, n);
	T_OK(sent_is(data, n), "markers in the data pass as data, a wrong "
	    "token too");
	sent_reset();
	ui_str("привет");
	T_OK(sent_is("привет", 12), "and change nothing: still untouched");

	/* The end, split at every place: the rest converts again. */
	n = (size_t)snprintf(data, sizeof(data), "%s",
	    "\033_parta;text=" TOKEN "\033\\привет");
	for (cut = 1; cut < n - 12; cut++) {
		ui_str("\033_parta;bin=" TOKEN "\033\\");	/* data, the 1st time */
		sent_reset();
		ui_says(data, cut);
		ui_says(data + cut, n - cut);
		if (!sent_is(koi8_privet, 6))
			break;
	}
	T_OK(cut == n - 12, "text= with the token ends the transfer, also "
	    "split between reads (cut at %zu of %zu)", cut, n - 12);
	n = ui_reads(koi8_privet, 6, buf, sizeof(buf));
	T_OK(n == 12 && memcmp(buf, "привет", 12) == 0,
	    "after it input converts from KOI8-R again");

	pump_free(p);
	ssh_event_free(ev);
	close(ui);
	clamp_checks();
	return t_done();
}
