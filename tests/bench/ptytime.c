/*
 * ptytime.c: parta-ptytime, a tiny expect for the benchmarks: it runs a
 * command (an ssh client) on an 80x24 pty, follows a script of steps,
 * and prints the milliseconds since the start at each wait.
 *
 *   parta-ptytime [-T SECS] STEP... -- COMMAND [ARG...]
 *   -w TEXT   wait until TEXT appears in the output (after the previous
 *             match); print the elapsed ms
 *   -q MS     wait until no output has come for MS ms; print the ms
 *             of the last output (or of the step's start)
 *   -s KEYS   type KEYS (\r \n \t \e \\ and \xHH escapes)
 *   -x CMD    run CMD with sh -c (e.g. kill -USR1 RELAY) and wait for it
 *   -e        wait until the command exits; print ms
 *   -T SECS   give up after SECS seconds in all (default 120): exit 1
 *
 * The output is read all the time, so the client never blocks on it.
 * Matching is on raw bytes: choose TEXT that the screen draws in one run
 * (a word, not a phrase ncurses might split with cursor moves).
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

#define OUT_MAX	(1 << 20)

static char	 out[OUT_MAX];
static size_t	 out_len, mark;		/* matching starts at mark */
static int	 master = -1, exited;
static pid_t	 child;
static double	 t0, deadline;

/* Read what the pty has, waiting up to ms; 0, or -1 at EOF. */
static int
pump(int ms)
{
	struct pollfd	 pfd = { .fd = master, .events = POLLIN };
	char		 buf[16384];
	ssize_t		 n;

	if (exited)
		return -1;
	if (poll(&pfd, 1, ms) <= 0)
		return 0;
	n = read(master, buf, sizeof(buf));
	if (n <= 0) {
		exited = 1;
		return -1;
	}
	if (out_len + (size_t)n > OUT_MAX) {
		/* Keep the tail: matches never look that far back. */
		size_t keep = OUT_MAX / 2;

		memmove(out, out + out_len - keep, keep);
		mark = mark > out_len - keep ? mark - (out_len - keep) : 0;
		out_len = keep;
	}
	memcpy(out + out_len, buf, (size_t)n);
	out_len += (size_t)n;
	return (int)n;
}

static int
expired(void)
{
	return now_ms() > deadline;
}

static int
step_wait(const char *text)
{
	size_t	 tl = strlen(text);

	for (;;) {
		char *hit = memmem(out + mark, out_len - mark, text, tl);

		if (hit != NULL) {
			mark = (size_t)(hit - out) + tl;
			printf("%.1f\n", now_ms() - t0);
			return 0;
		}
		if (expired() || pump(100) < 0)
			return -1;
	}
}

static int
step_quiet(int ms)
{
	double	 last = now_ms();

	while (now_ms() - last < ms) {
		int n = pump(ms);

		if (n < 0)
			break;
		if (n > 0)
			last = now_ms();
		if (expired())
			return -1;
	}
	mark = out_len;
	printf("%.1f\n", last - t0);
	return 0;
}

static int
step_send(const char *keys)
{
	char	 buf[1024];
	size_t	 n = 0;

	for (const char *p = keys; *p != '\0' && n < sizeof(buf); p++) {
		if (*p != '\\' || p[1] == '\0') {
			buf[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'r': buf[n++] = '\r'; break;
		case 'n': buf[n++] = '\n'; break;
		case 't': buf[n++] = '\t'; break;
		case 'e': buf[n++] = 27; break;
		case 'x': {
			unsigned	 v = 0;
			int		 k;

			for (k = 0; k < 2 && p[1] != '\0'; k++, p++)
				v = v * 16 + (unsigned)(p[1] <= '9' ? p[1] - '0' :
				    (p[1] | 0x20) - 'a' + 10);
			buf[n++] = (char)v;
			break;
		}
		default: buf[n++] = *p; break;
		}
	}
	return write(master, buf, n) == (ssize_t)n ? 0 : -1;
}

static int
step_exit(void)
{
	while (pump(100) >= 0)
		if (expired())
			return -1;
	printf("%.1f\n", now_ms() - t0);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: parta-ptytime [-T SECS] [-w TEXT | -q MS | -s KEYS |"
	    " -x CMD | -e]... -- COMMAND [ARG...]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct winsize	 ws = { .ws_row = 24, .ws_col = 80 };
	int		 i, cmd = 0, rc = 0, st;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			cmd = i + 1;
			break;
		}
	if (cmd == 0 || cmd >= argc)
		usage();
	deadline = 120000;
	if (argc > 2 && strcmp(argv[1], "-T") == 0)
		deadline = atof(argv[2]) * 1000;
	signal(SIGPIPE, SIG_IGN);
	t0 = now_ms();
	deadline += t0;
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0) {
		perror("forkpty");
		return 1;
	}
	if (child == 0) {
		execvp(argv[cmd], argv + cmd);
		perror(argv[cmd]);
		_exit(127);
	}
	for (i = 1; i < cmd - 1 && rc == 0; i++) {
		const char	*a = argv[i], *v = argv[i + 1];

		if (strcmp(a, "-T") == 0)
			i++;
		else if (strcmp(a, "-w") == 0 && i + 1 < cmd - 1)
			rc = step_wait(v), i++;
		else if (strcmp(a, "-q") == 0 && i + 1 < cmd - 1)
			rc = step_quiet(atoi(v)), i++;
		else if (strcmp(a, "-s") == 0 && i + 1 < cmd - 1)
			rc = step_send(v), i++;
		else if (strcmp(a, "-x") == 0 && i + 1 < cmd - 1)
			rc = system(v) == -1 ? -1 : 0, i++;
		else if (strcmp(a, "-e") == 0)
			rc = step_exit();
		else
			usage();
		fflush(stdout);
	}
	if (rc != 0)
		fprintf(stderr, "parta-ptytime: step %d (%s) failed; output tail:\n%.*s\n",
		    i, argv[i], (int)(out_len > 400 ? 400 : out_len),
		    out + (out_len > 400 ? out_len - 400 : 0));
	if (!exited)
		kill(child, SIGTERM);
	waitpid(child, &st, 0);
	return rc == 0 ? 0 : 1;
}
