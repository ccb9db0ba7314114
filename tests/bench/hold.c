/*
 * hold.c: parta-hold, the hostile half of the start-up benchmark: it
 * holds many connections open against a server and never authenticates.
 *
 *   parta-hold -p PORT [-n SILENT] [-s DRIP] [-a ADDRS] [-i SECS] [-d SECS]
 *
 * SILENT connections connect and send nothing; DRIP connections send an
 * SSH version line one byte every -i seconds (default 5), never its
 * final newline, as a slow-drip attacker does to keep a pre-authentication slot busy.  All
 * stay open for -d seconds (default 60) or until SIGTERM, reconnecting
 * none: a connection the server closes stays closed and is counted.
 * Prints "open N" once all are made, then "closed_by_server N" at the
 * end.  The connections come from ADDRS loopback source addresses in
 * turn, 127.0.0.2 and up (default 1), so that an attacker spread over
 * many addresses can be told from a teacher on 127.0.0.1.  Loopback
 * only: it is a benchmark tool.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN	5000

static volatile sig_atomic_t	 stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Connect to 127.0.0.1:port from 127.0.0.(2 + src). */
static int
connect_one(int port, int src)
{
	struct sockaddr_in	 sin;
	int			 fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1 + (unsigned)src);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		close(fd);
		return -1;
	}
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char **argv)
{
	static const char	 banner[] = "SSH-2.0-slowdrip_1.0\r\n";
	static struct pollfd	 pfd[MAX_CONN];
	static size_t		 sent[MAX_CONN];
	struct rlimit		 rl;
	char			 buf[4096];
	double			 end, next_drip;
	int			 ch, port = 0, nsilent = 0, ndrip = 0, n, i;
	int			 interval = 5, secs = 60, closed = 0, naddr = 1;

	while ((ch = getopt(argc, argv, "a:d:i:n:p:s:")) != -1) {
		switch (ch) {
		case 'a': naddr = atoi(optarg); break;
		case 'd': secs = atoi(optarg); break;
		case 'i': interval = atoi(optarg); break;
		case 'n': nsilent = atoi(optarg); break;
		case 'p': port = atoi(optarg); break;
		case 's': ndrip = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: parta-hold -p PORT [-n SILENT] "
			    "[-s DRIP] [-a ADDRS] [-i SECS] [-d SECS]\n");
			return 2;
		}
	}
	n = nsilent + ndrip;
	if (port <= 0 || n <= 0 || n > MAX_CONN || interval <= 0 || secs <= 0 ||
	    naddr <= 0 || naddr > 250) {
		fprintf(stderr, "parta-hold: bad arguments\n");
		return 2;
	}
	/* One descriptor a connection, and a few to spare. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 16) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)n + 16 ? rl.rlim_max :
		    (rlim_t)n + 16;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < n; i++) {
		pfd[i].fd = connect_one(port, i % naddr);
		pfd[i].events = POLLIN;
		if (pfd[i].fd < 0)
			closed++;
	}
	printf("open %d\n", n - closed);
	fflush(stdout);
	end = now_s() + secs;
	next_drip = now_s() + interval;
	while (!stop && now_s() < end) {
		if (poll(pfd, (nfds_t)n, 200) > 0) {
			for (i = 0; i < n; i++) {
				if (pfd[i].fd < 0 || pfd[i].revents == 0)
					continue;
				/* Read what the server says; EOF: it hung up. */
				if (read(pfd[i].fd, buf, sizeof(buf)) <= 0) {
					close(pfd[i].fd);
					pfd[i].fd = -1;
					closed++;
				}
			}
		}
		if (now_s() < next_drip)
			continue;
		next_drip += interval;
		for (i = nsilent; i < n; i++) {
			/* Never the final newline: the line never ends. */
			if (pfd[i].fd < 0 || sent[i] >= sizeof(banner) - 2)
				continue;
			if (write(pfd[i].fd, banner + sent[i], 1) == 1)
				sent[i]++;
		}
	}
	printf("closed_by_server %d\n", closed);
	return 0;
}
