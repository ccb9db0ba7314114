/*
 * relay.c: parta-relay, a weak link between a client and a server on
 * 127.0.0.1 (or given IPv4 addresses: two network namespaces' links),
 * for the end-to-end tests and the benchmarks.
 *
 * The kernel here has no tc netem, so the link is emulated in userspace.
 * Each accepted connection is joined to a new connection to the target,
 * and each direction of it is a small model of a link:
 *
 *   read from the sender ─► token bucket (rate) ─► delay line ─► write
 *                           (bytes wait here)      (+ jitter,     to the
 *                                                   order kept)   receiver
 *
 * Scripted faults act on a direction: a stall (nothing passes for N
 * seconds; bytes queue up, as in a modem's buffer) at a time or after a
 * number of bytes, and a cut (both sockets closed) at a time or after
 * exactly N bytes delivered.  A control FIFO lets a test stall or cut the
 * link at the moment it chooses.  Bytes delivered in each direction are
 * counted and written as JSON lines: one when a connection closes, one
 * on SIGUSR1 (or "stats" on the FIFO) with the totals and the open
 * connections.  One process, one poll() loop, any number of connections.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DIR_BUF		(256 * 1024)	/* bytes queued per direction, at most */
#define READ_CHUNK	16384
#define NO_LIMIT	UINT64_MAX
#define NEVER		INT64_MAX
#define MAX_FAULTS	16

enum { UP, DOWN };			/* client→server, server→client */
static const char *const dir_name[] = { "up", "down" };

/* The shape of one direction of the link. */
struct shape {
	double		 rate;		/* bytes per second; 0: unlimited */
	double		 burst;		/* token bucket depth, bytes */
	int64_t		 delay_ms;	/* one way */
	int64_t		 jitter_ms;	/* extra delay, uniform in 0..jitter */
};

enum fault_kind { STALL_AT, STALL_AFTER, CUT_AT, CUT_AFTER };

/* A scripted fault, from --fault; "at" in ms since the connection began. */
struct fault {
	enum fault_kind	 kind;
	int		 dir[2];	/* which directions it applies to */
	int64_t		 at_ms;
	uint64_t	 bytes;
	int64_t		 secs_ms;	/* length of a stall */
};

/* A run of bytes that has left the token bucket and is due at "due". */
struct seg {
	uint64_t	 end;		/* absolute offset just past the run */
	int64_t		 due;
};

/* One direction of one connection.  Offsets count bytes since the start. */
struct dir {
	int		 from, to;
	unsigned char	*buf;		/* bytes [wr, rd) at buf[0..rd-wr) */
	uint64_t	 rd, shaped, wr;
	struct seg	*segs;
	size_t		 nseg, segcap;
	double		 tokens;
	int64_t		 refill_ms;
	int64_t		 last_due;
	int64_t		 stall_until;
	int		 eof;		/* the sender has closed */
	int		 shut;		/* we have shut down the receiver */
	uint64_t	 cut_after;	/* cut when wr reaches this */
	uint64_t	 stall_after;	/* next STALL_AFTER threshold */
	int64_t		 stall_after_ms;
	int		 fired[MAX_FAULTS];
};

struct conn {
	unsigned	 id;
	int		 fd[2];		/* the client, the server */
	int64_t		 start_ms;
	struct dir	 d[2];
	int64_t		 next_random_stall;
	int		 dead;
	const char	*why;		/* how it ended */
};

/* Everything the relay knows: the options and the open connections. */
static struct relay {
	struct shape	 shape[2];
	struct fault	 faults[MAX_FAULTS];
	size_t		 nfaults;
	double		 rs_every, rs_min, rs_max;	/* random stalls, s */
	const char	*json_path;
	const char	*control_path;
	int		 verbose;
	int		 listen_port, target_port;
	in_addr_t	 listen_addr, target_addr;	/* network order */
	int		 lfd, cfd;
	struct conn	**conns;
	size_t		 nconns;
	unsigned	 next_id;
	uint64_t	 closed_bytes[2];
	int64_t		 link_stall_until[2];	/* from the control FIFO */
	char		 ctl[256];
	size_t		 ctl_len;
} R;

static volatile sig_atomic_t got_usr1, got_term;

struct profile {
	const char	*name;
	double		 kbit;		/* both directions */
	int64_t		 delay_ms;	/* one way */
	double		 rs_every, rs_min, rs_max;
	const char	*what;
};

static const struct profile profiles[] = {
	{ "lan",	0,	0,   0, 0, 0, "no shaping: a plain relay that counts bytes" },
	{ "gprs",	40,	500, 0, 0, 0, "40 kbit/s, 500 ms one way (RTT ~1 s)" },
	{ "edge",	120,	300, 0, 0, 0, "120 kbit/s, 300 ms one way" },
	{ "satellite",	1000,	300, 0, 0, 0, "1 Mbit/s, 300 ms one way (geostationary)" },
	{ "dsl-flaky",	1000,	30,  20, 2, 5,
	  "1 Mbit/s, 30 ms, a 2-5 s stall every 20 s on average" },
};

static void die(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
static void say(const char *, ...) __attribute__((format(printf, 1, 2)));

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	fputs("parta-relay: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void
say(const char *fmt, ...)
{
	va_list	 ap;

	if (!R.verbose)
		return;
	fputs("parta-relay: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *
xcalloc(size_t n, size_t sz)
{
	void	*p = calloc(n, sz);

	if (p == NULL)
		die("out of memory");
	return p;
}

/* --- options ------------------------------------------------------------ */

/* "40k", "1M", "64000": bits per second into bytes per second. */
static double
parse_rate(const char *s)
{
	char	*end;
	double	 v = strtod(s, &end);

	if (end == s || v < 0)
		die("bad rate \"%s\"", s);
	if (*end == 'k' || *end == 'K')
		v *= 1000, end++;
	else if (*end == 'M' || *end == 'm')
		v *= 1000000, end++;
	if (*end != '\0')
		die("bad rate \"%s\"", s);
	return v / 8;
}

static double
parse_num(const char *s, const char *what)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || v < 0 || errno != 0)
		die("bad %s \"%s\"", what, s);
	return v;
}

static void
set_profile(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		const struct profile *p = &profiles[i];

		if (strcmp(p->name, name) != 0)
			continue;
		for (int d = UP; d <= DOWN; d++) {
			R.shape[d].rate = p->kbit * 1000 / 8;
			R.shape[d].delay_ms = p->delay_ms;
		}
		R.rs_every = p->rs_every;
		R.rs_min = p->rs_min;
		R.rs_max = p->rs_max;
		return;
	}
	die("no profile \"%s\" (see --help)", name);
}

/*
 * A fault: [up:|down:|both:]KIND:ARGS, KIND one of stall-at:T:N,
 * stall-after:B:N, cut-at:T, cut-after:B (T, N seconds; B bytes).
 */
static void
parse_fault(const char *spec)
{
	char		*s, *f[5], *p;
	int		 n = 0, i = 0;
	struct fault	*ft;

	if (R.nfaults == MAX_FAULTS)
		die("too many faults");
	ft = &R.faults[R.nfaults];
	s = strdup(spec);
	if (s == NULL)
		die("out of memory");
	for (p = strtok(s, ":"); p != NULL && n < 5; p = strtok(NULL, ":"))
		f[n++] = p;
	ft->dir[UP] = ft->dir[DOWN] = 1;
	if (n > 0 && strcmp(f[0], "up") == 0)
		ft->dir[DOWN] = 0, i++;
	else if (n > 0 && strcmp(f[0], "down") == 0)
		ft->dir[UP] = 0, i++;
	else if (n > 0 && strcmp(f[0], "both") == 0)
		i++;
	if (i >= n)
		die("bad fault \"%s\"", spec);
	if (strcmp(f[i], "stall-at") == 0 && n - i == 3) {
		ft->kind = STALL_AT;
		ft->at_ms = (int64_t)(parse_num(f[i + 1], "time") * 1000);
		ft->secs_ms = (int64_t)(parse_num(f[i + 2], "seconds") * 1000);
	} else if (strcmp(f[i], "stall-after") == 0 && n - i == 3) {
		ft->kind = STALL_AFTER;
		ft->bytes = (uint64_t)parse_num(f[i + 1], "byte count");
		ft->secs_ms = (int64_t)(parse_num(f[i + 2], "seconds") * 1000);
	} else if (strcmp(f[i], "cut-at") == 0 && n - i == 2) {
		ft->kind = CUT_AT;
		ft->at_ms = (int64_t)(parse_num(f[i + 1], "time") * 1000);
	} else if (strcmp(f[i], "cut-after") == 0 && n - i == 2) {
		ft->kind = CUT_AFTER;
		ft->bytes = (uint64_t)parse_num(f[i + 1], "byte count");
	} else
		die("bad fault \"%s\"", spec);
	free(s);
	R.nfaults++;
}

static void
parse_random_stalls(const char *spec)
{
	double	 every, lo, hi;
	char	 extra;

	if (sscanf(spec, "%lf:%lf-%lf%c", &every, &lo, &hi, &extra) != 3 ||
	    every <= 0 || lo < 0 || hi < lo)
		die("bad --random-stalls \"%s\" (want EVERY:MIN-MAX)", spec);
	R.rs_every = every;
	R.rs_min = lo;
	R.rs_max = hi;
}

/* A dotted IPv4 address, in network order. */
static in_addr_t
parse_addr(const char *s)
{
	struct in_addr	 a;

	if (inet_pton(AF_INET, s, &a) != 1)
		die("bad IPv4 address \"%s\"", s);
	return a.s_addr;
}

enum { O_UP = 0x100, O_DOWN = 0x200 };

/* The options: one row each drives getopt_long and --help. */
static const struct opt {
	const char	*name;
	int		 val;		/* short option, or O_UP/O_DOWN | short */
	const char	*arg;
	const char	*help;
} opts[] = {
	{ "listen",	'l', "PORT",	"listen on 127.0.0.1:PORT; 0 (default) picks a free port" },
	{ "target",	't', "PORT",	"forward to 127.0.0.1:PORT (required)" },
	{ "listen-address", 'L', "ADDR", "listen on IPv4 ADDR, not 127.0.0.1" },
	{ "target-address", 'T', "ADDR", "forward to IPv4 ADDR, not 127.0.0.1" },
	{ "profile",	'p', "NAME",	"start from a named link profile (below)" },
	{ "rate",	'r', "BITS",	"rate each way, bits/s: 40k, 1M, 64000; 0 unlimited" },
	{ "up-rate",	O_UP | 'r', "BITS", "rate client to server only" },
	{ "down-rate",	O_DOWN | 'r', "BITS", "rate server to client only" },
	{ "delay",	'd', "MS",	"one-way delay each way, ms" },
	{ "up-delay",	O_UP | 'd', "MS", "delay client to server only" },
	{ "down-delay",	O_DOWN | 'd', "MS", "delay server to client only" },
	{ "jitter",	'j', "MS",	"add 0..MS ms to each run's delay (order is kept)" },
	{ "burst",	'b', "BYTES",	"token bucket depth (default 1500)" },
	{ "fault",	'f', "SPEC",	"a scripted fault, repeatable (below)" },
	{ "random-stalls", 's', "E:A-B", "a stall of A..B s every E s on average" },
	{ "json",	'o', "FILE",	"append the byte counts to FILE as JSON lines" },
	{ "control",	'c', "FIFO",	"read commands from FIFO: stall SECS [up|down],"
					" cut, stats" },
	{ "seed",	'S', "N",	"seed of the random stalls and jitter (default 1)" },
	{ "verbose",	'v', NULL,	"log connections and faults on stderr" },
	{ "help",	'h', NULL,	"this help" },
};
#define NOPTS	(sizeof(opts) / sizeof(opts[0]))

static void
usage(FILE *fp)
{
	size_t	 i;
	char	 left[40];

	fprintf(fp, "usage: parta-relay -t PORT [options]\n"
	    "A weak link for tests: relays 127.0.0.1:LISTEN to 127.0.0.1:PORT with a\n"
	    "rate limit, a delay and scripted faults per direction; prints the\n"
	    "listening port on stdout.  SIGUSR1 appends the byte counts to --json.\n\n");
	for (i = 0; i < NOPTS; i++) {
		if ((opts[i].val & 0xff) < 0x7f && !(opts[i].val & (O_UP | O_DOWN)))
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
			    opts[i].val, opts[i].name, opts[i].arg ? " " : "",
			    opts[i].arg ? opts[i].arg : "");
		else
			snprintf(left, sizeof(left), "    --%s %s", opts[i].name,
			    opts[i].arg);
		fprintf(fp, "  %-26s %s\n", left, opts[i].help);
	}
	fprintf(fp, "\nprofiles:\n");
	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		fprintf(fp, "  %-12s %s\n", profiles[i].name, profiles[i].what);
	fprintf(fp, "\nOptions apply in order: -p edge -d 100 is edge with 100 ms.\n"
	    "Faults: [up:|down:]stall-at:T:N, stall-after:B:N, cut-at:T, cut-after:B\n"
	    "(both directions unless up: or down:).  T is seconds since the\n"
	    "connection began, N seconds of stall, B bytes delivered in that\n"
	    "direction; a cut closes both sockets.  JSON lines:\n"
	    "  {\"event\":\"close\",\"conn\":1,\"up\":N,\"down\":N,\"ms\":N,\"why\":\"eof\"}\n"
	    "  {\"event\":\"stats\",\"up\":N,\"down\":N,\"conns\":N,\"open\":[{\"conn\":1,\"up\":N,\"down\":N}]}\n");
}

static void
parse_args(int argc, char **argv)
{
	struct option	 lo[NOPTS + 1];
	char		 so[3 * NOPTS + 1], *sp = so;
	size_t		 i;
	int		 c, d;

	memset(lo, 0, sizeof(lo));
	for (i = 0; i < NOPTS; i++) {
		lo[i].name = opts[i].name;
		lo[i].has_arg = opts[i].arg ? required_argument : no_argument;
		lo[i].val = opts[i].val;
		if (opts[i].val & (O_UP | O_DOWN))
			continue;
		*sp++ = (char)opts[i].val;
		if (opts[i].arg)
			*sp++ = ':';
	}
	*sp = '\0';
	for (int k = UP; k <= DOWN; k++)
		R.shape[k].burst = 1500;
	R.target_port = -1;
	R.listen_addr = R.target_addr = htonl(INADDR_LOOPBACK);
	srandom(1);
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		int lo_d = UP, hi_d = DOWN;

		if (c & O_UP)
			hi_d = UP;
		if (c & O_DOWN)
			lo_d = DOWN;
		c &= 0xff;
		for (d = lo_d; d <= hi_d; d++) {
			switch (c) {
			case 'r': R.shape[d].rate = parse_rate(optarg); break;
			case 'd': R.shape[d].delay_ms = (int64_t)parse_num(optarg, "delay"); break;
			case 'j': R.shape[d].jitter_ms = (int64_t)parse_num(optarg, "jitter"); break;
			case 'b': R.shape[d].burst = parse_num(optarg, "burst"); break;
			}
		}
		switch (c) {
		case 'l': R.listen_port = (int)parse_num(optarg, "port"); break;
		case 't': R.target_port = (int)parse_num(optarg, "port"); break;
		case 'L': R.listen_addr = parse_addr(optarg); break;
		case 'T': R.target_addr = parse_addr(optarg); break;
		case 'p': set_profile(optarg); break;
		case 'f': parse_fault(optarg); break;
		case 's': parse_random_stalls(optarg); break;
		case 'o': R.json_path = optarg; break;
		case 'c': R.control_path = optarg; break;
		case 'S': srandom((unsigned)parse_num(optarg, "seed")); break;
		case 'v': R.verbose = 1; break;
		case 'h': usage(stdout); exit(0);
		case 'r': case 'd': case 'j': case 'b': break;
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc || R.target_port <= 0 || R.target_port > 65535 ||
	    R.listen_port > 65535) {
		usage(stderr);
		exit(2);
	}
	for (d = UP; d <= DOWN; d++)
		if (R.shape[d].burst < 1)
			R.shape[d].burst = 1;
}

/* --- the JSON lines ----------------------------------------------------- */

static void
json_write(const char *line)
{
	FILE	*fp;

	if (R.json_path == NULL)
		return;
	if ((fp = fopen(R.json_path, "a")) == NULL) {
		fprintf(stderr, "parta-relay: %s: %s\n", R.json_path, strerror(errno));
		return;
	}
	fputs(line, fp);
	fclose(fp);
}

static void
json_close(const struct conn *c, int64_t now)
{
	char	 line[256];

	snprintf(line, sizeof(line), "{\"event\":\"close\",\"conn\":%u,"
	    "\"up\":%llu,\"down\":%llu,\"ms\":%lld,\"why\":\"%s\"}\n", c->id,
	    (unsigned long long)c->d[UP].wr, (unsigned long long)c->d[DOWN].wr,
	    (long long)(now - c->start_ms), c->why);
	json_write(line);
}

static void
json_stats(void)
{
	uint64_t	 tot[2] = { R.closed_bytes[UP], R.closed_bytes[DOWN] };
	size_t		 i, cap = 128 + R.nconns * 128, len;
	char		*line = xcalloc(1, cap), *p;

	for (i = 0; i < R.nconns; i++)
		for (int d = UP; d <= DOWN; d++)
			tot[d] += R.conns[i]->d[d].wr;
	len = (size_t)snprintf(line, cap, "{\"event\":\"stats\",\"up\":%llu,"
	    "\"down\":%llu,\"conns\":%u,\"open\":[", (unsigned long long)tot[UP],
	    (unsigned long long)tot[DOWN], R.next_id);
	for (i = 0; i < R.nconns; i++) {
		p = line + len;
		len += (size_t)snprintf(p, cap - len, "%s{\"conn\":%u,\"up\":%llu,"
		    "\"down\":%llu}", i ? "," : "", R.conns[i]->id,
		    (unsigned long long)R.conns[i]->d[UP].wr,
		    (unsigned long long)R.conns[i]->d[DOWN].wr);
	}
	snprintf(line + len, cap - len, "]}\n");
	json_write(line);
	free(line);
}

/* --- connections -------------------------------------------------------- */

static double
uniform(double lo, double hi)
{
	return lo + (hi - lo) * ((double)random() / RAND_MAX);
}

static void
schedule_random_stall(struct conn *c, int64_t from)
{
	if (R.rs_every <= 0) {
		c->next_random_stall = NEVER;
		return;
	}
	/* Uniform in 0.5..1.5 of the mean interval: no stall in a burst. */
	c->next_random_stall = from + (int64_t)(uniform(0.5, 1.5) * R.rs_every * 1000);
}

static void
stall(struct conn *c, int d, int64_t until)
{
	if (until > c->d[d].stall_until)
		c->d[d].stall_until = until;
	say("conn %u: %s stalled for %lld ms", c->id, dir_name[d],
	    (long long)(until - now_ms()));
}

/* The next STALL_AFTER threshold of direction d that has not fired. */
static void
next_stall_after(struct conn *c, int d)
{
	struct dir	*dr = &c->d[d];
	size_t		 i;

	dr->stall_after = NO_LIMIT;
	for (i = 0; i < R.nfaults; i++) {
		const struct fault *f = &R.faults[i];

		if (f->kind == STALL_AFTER && f->dir[d] && !dr->fired[i] &&
		    f->bytes < dr->stall_after) {
			dr->stall_after = f->bytes;
			dr->stall_after_ms = f->secs_ms;
		}
	}
}

static void
conn_new(int cfd, int sfd, int64_t now)
{
	struct conn	*c = xcalloc(1, sizeof(*c));
	size_t		 i;

	c->id = ++R.next_id;
	c->fd[0] = cfd;
	c->fd[1] = sfd;
	c->start_ms = now;
	c->why = "eof";
	for (int d = UP; d <= DOWN; d++) {
		struct dir *dr = &c->d[d];

		dr->from = d == UP ? cfd : sfd;
		dr->to = d == UP ? sfd : cfd;
		dr->buf = xcalloc(1, DIR_BUF);
		dr->tokens = R.shape[d].burst;
		dr->refill_ms = now;
		dr->cut_after = NO_LIMIT;
		dr->stall_until = R.link_stall_until[d];
		for (i = 0; i < R.nfaults; i++)
			if (R.faults[i].kind == CUT_AFTER && R.faults[i].dir[d] &&
			    R.faults[i].bytes < dr->cut_after)
				dr->cut_after = R.faults[i].bytes;
		next_stall_after(c, d);
	}
	schedule_random_stall(c, now);
	R.conns = realloc(R.conns, (R.nconns + 1) * sizeof(*R.conns));
	if (R.conns == NULL)
		die("out of memory");
	R.conns[R.nconns++] = c;
	say("conn %u: open", c->id);
}

/*
 * End a connection: both ends see it closed.  What the relay already
 * delivered stays readable: unread input is drained first, because
 * closing a socket with unread input resets it, and a reset may discard
 * what the peer has not read yet.
 */
static void
conn_end(struct conn *c, const char *why)
{
	char	 junk[4096];

	if (c->dead)
		return;
	c->dead = 1;
	c->why = why;
	for (int i = 0; i < 2; i++) {
		shutdown(c->fd[i], SHUT_WR);
		while (read(c->fd[i], junk, sizeof(junk)) > 0)
			;
		close(c->fd[i]);
	}
	say("conn %u: %s after %llu up, %llu down", c->id, why,
	    (unsigned long long)c->d[UP].wr, (unsigned long long)c->d[DOWN].wr);
}

static void
conn_free(struct conn *c)
{
	for (int d = UP; d <= DOWN; d++) {
		free(c->d[d].buf);
		free(c->d[d].segs);
	}
	free(c);
}

static int
stalled(const struct conn *c, int d, int64_t now)
{
	return now < c->d[d].stall_until || now < R.link_stall_until[d];
}

/* Time-based faults and random stalls due by now. */
static void
conn_faults(struct conn *c, int64_t now)
{
	int64_t	 t = now - c->start_ms;
	size_t	 i;

	for (i = 0; i < R.nfaults && !c->dead; i++) {
		const struct fault *f = &R.faults[i];

		for (int d = UP; d <= DOWN; d++) {
			if (!f->dir[d] || c->d[d].fired[i] || t < f->at_ms)
				continue;
			if (f->kind == STALL_AT) {
				c->d[d].fired[i] = 1;
				stall(c, d, now + f->secs_ms);
			} else if (f->kind == CUT_AT) {
				c->d[d].fired[i] = 1;
				conn_end(c, "cut");
			}
		}
	}
	if (!c->dead && now >= c->next_random_stall) {
		int64_t until = now + (int64_t)(uniform(R.rs_min, R.rs_max) * 1000);

		stall(c, UP, until);
		stall(c, DOWN, until);
		schedule_random_stall(c, until);
	}
}

/* Move bytes that have tokens from the bucket into the delay line. */
static void
dir_shape(struct conn *c, int d, int64_t now)
{
	const struct shape *sh = &R.shape[d];
	struct dir	*dr = &c->d[d];
	uint64_t	 n = dr->rd - dr->shaped;
	int64_t		 due;

	if (sh->rate > 0) {
		dr->tokens += sh->rate * (double)(now - dr->refill_ms) / 1000;
		if (dr->tokens > sh->burst)
			dr->tokens = sh->burst;
	}
	dr->refill_ms = now;
	if (n == 0 || stalled(c, d, now))
		return;
	if (sh->rate > 0) {
		if (dr->tokens < 1 || (dr->tokens < (double)n && dr->tokens < sh->burst))
			return;		/* wait for a full packet's worth */
		if ((double)n > dr->tokens)
			n = (uint64_t)dr->tokens;
		dr->tokens -= (double)n;
	}
	due = now + sh->delay_ms;
	if (sh->jitter_ms > 0)
		due += (int64_t)uniform(0, (double)sh->jitter_ms);
	if (due < dr->last_due)
		due = dr->last_due;	/* a delay line: order is kept */
	dr->last_due = due;
	if (dr->nseg == dr->segcap) {
		dr->segcap = dr->segcap ? 2 * dr->segcap : 64;
		dr->segs = realloc(dr->segs, dr->segcap * sizeof(*dr->segs));
		if (dr->segs == NULL)
			die("out of memory");
	}
	dr->shaped += n;
	dr->segs[dr->nseg].end = dr->shaped;
	dr->segs[dr->nseg].due = due;
	dr->nseg++;
}

/* How many bytes may be written now: due, and within the fault limits. */
static uint64_t
dir_writable(struct conn *c, int d, int64_t now)
{
	struct dir	*dr = &c->d[d];
	uint64_t	 end = dr->wr;
	size_t		 i;

	if (stalled(c, d, now))
		return 0;
	for (i = 0; i < dr->nseg && dr->segs[i].due <= now; i++)
		end = dr->segs[i].end;
	if (end > dr->cut_after)
		end = dr->cut_after;
	if (end > dr->stall_after)
		end = dr->stall_after;
	return end - dr->wr;
}

/* Forget the delivered bytes and the segments that are done. */
static void
dir_consumed(struct dir *dr, uint64_t n)
{
	size_t	 i = 0;

	memmove(dr->buf, dr->buf + n, (size_t)(dr->rd - dr->wr - n));
	dr->wr += n;
	while (i < dr->nseg && dr->segs[i].end <= dr->wr)
		i++;
	if (i > 0) {
		memmove(dr->segs, dr->segs + i, (dr->nseg - i) * sizeof(*dr->segs));
		dr->nseg -= i;
	}
}

static void
dir_write(struct conn *c, int d, int64_t now)
{
	struct dir	*dr = &c->d[d];
	uint64_t	 n = dir_writable(c, d, now);
	ssize_t		 w;

	if (n > 0) {
		w = write(dr->to, dr->buf, (size_t)n);
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			conn_end(c, "reset");
			return;
		}
		if (w > 0)
			dir_consumed(dr, (uint64_t)w);
	}
	if (dr->wr == dr->cut_after) {
		conn_end(c, "cut");
		return;
	}
	if (dr->wr == dr->stall_after) {
		for (size_t i = 0; i < R.nfaults; i++)
			if (R.faults[i].kind == STALL_AFTER && R.faults[i].dir[d] &&
			    R.faults[i].bytes == dr->stall_after)
				dr->fired[i] = 1;
		stall(c, d, now + dr->stall_after_ms);
		next_stall_after(c, d);
	}
	if (dr->eof && dr->wr == dr->rd && !dr->shut) {
		shutdown(dr->to, SHUT_WR);
		dr->shut = 1;
	}
}

static void
dir_read(struct conn *c, int d)
{
	struct dir	*dr = &c->d[d];
	size_t		 room = DIR_BUF - (size_t)(dr->rd - dr->wr);
	ssize_t		 n;

	if (room > READ_CHUNK)
		room = READ_CHUNK;
	n = read(dr->from, dr->buf + (dr->rd - dr->wr), room);
	if (n > 0)
		dr->rd += (uint64_t)n;
	else if (n == 0 || (errno != EAGAIN && errno != EINTR))
		dr->eof = 1;	/* a reset is an end too; deliver what we hold */
}

/* When this direction next needs attention, or NEVER. */
static int64_t
dir_next(const struct conn *c, int d, int64_t now)
{
	const struct dir *dr = &c->d[d];
	const struct shape *sh = &R.shape[d];
	int64_t		 t = NEVER, s = c->d[d].stall_until;

	if (R.link_stall_until[d] > s)
		s = R.link_stall_until[d];
	if (s > now && (dr->rd > dr->wr))
		return s;
	if (dr->rd > dr->shaped) {
		if (sh->rate <= 0)
			t = now;
		else {
			double	 want = (double)(dr->rd - dr->shaped);

			if (want > sh->burst)
				want = sh->burst;
			t = dr->tokens >= want ? now :
			    now + 1 + (int64_t)((want - dr->tokens) * 1000 / sh->rate);
		}
	}
	/* Runs already due wait for POLLOUT, not for the clock. */
	for (size_t i = 0; i < dr->nseg; i++) {
		if (dr->segs[i].due > now) {
			if (dr->segs[i].due < t)
				t = dr->segs[i].due;
			break;
		}
	}
	return t;
}

/* --- the control FIFO --------------------------------------------------- */

static void
control_line(char *line)
{
	char	 cmd[16] = "", which[8] = "";
	double	 secs = 0;
	size_t	 i;
	int64_t	 now = now_ms();

	if (sscanf(line, "%15s %lf %7s", cmd, &secs, which) < 1)
		return;
	if (strcmp(cmd, "stats") == 0)
		json_stats();
	else if (strcmp(cmd, "cut") == 0) {
		for (i = 0; i < R.nconns; i++)
			conn_end(R.conns[i], "cut");
	} else if (strcmp(cmd, "stall") == 0 && secs > 0) {
		for (int d = UP; d <= DOWN; d++) {
			if (which[0] != '\0' && strcmp(which, dir_name[d]) != 0)
				continue;
			R.link_stall_until[d] = now + (int64_t)(secs * 1000);
		}
		say("link stalled for %.1f s", secs);
	} else
		fprintf(stderr, "parta-relay: unknown control command \"%s\"\n", line);
}

static void
control_read(void)
{
	ssize_t	 n;
	char	*nl;

	n = read(R.cfd, R.ctl + R.ctl_len, sizeof(R.ctl) - 1 - R.ctl_len);
	if (n <= 0)
		return;
	R.ctl_len += (size_t)n;
	R.ctl[R.ctl_len] = '\0';
	while ((nl = strchr(R.ctl, '\n')) != NULL) {
		*nl = '\0';
		control_line(R.ctl);
		R.ctl_len -= (size_t)(nl + 1 - R.ctl);
		memmove(R.ctl, nl + 1, R.ctl_len + 1);
	}
	if (R.ctl_len == sizeof(R.ctl) - 1)
		R.ctl_len = 0;		/* an overlong line: drop it */
}

/* --- the loop ----------------------------------------------------------- */

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

/* on_signal() catches each of the signals (none restarts a call: poll()
 * returns, and the loop reads the flags); SIGPIPE is ignored. */
static void
signals_catch(const int *sigs, size_t n)
{
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < n; i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int
tcp_socket(void)
{
	int	 fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;

	if (fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	return fd;
}

static struct sockaddr_in
loopback(in_addr_t addr, int port)
{
	struct sockaddr_in	 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = addr;
	return sin;
}

static void
accept_one(int64_t now)
{
	struct sockaddr_in	 sin = loopback(R.target_addr, R.target_port);
	int			 cfd, sfd, on = 1;

	cfd = accept4(R.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	sfd = tcp_socket();
	/* Loopback: the connect completes or fails at once. */
	if (connect(sfd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		say("connect to %d: %s", R.target_port, strerror(errno));
		close(sfd);
		close(cfd);
		return;
	}
	fcntl(sfd, F_SETFL, fcntl(sfd, F_GETFL) | O_NONBLOCK);
	/* The relay is the link: the kernel must not add its own waits. */
	setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	conn_new(cfd, sfd, now);
}

static void
listen_init(void)
{
	struct sockaddr_in	 sin = loopback(R.listen_addr, R.listen_port);
	socklen_t		 len = sizeof(sin);

	R.lfd = tcp_socket();
	if (bind(R.lfd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(R.lfd, 128) != 0)
		die("listening on port %d: %s", R.listen_port, strerror(errno));
	fcntl(R.lfd, F_SETFL, fcntl(R.lfd, F_GETFL) | O_NONBLOCK);
	getsockname(R.lfd, (struct sockaddr *)&sin, &len);
	printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	R.cfd = -1;
	if (R.control_path != NULL) {
		if (mkfifo(R.control_path, 0600) != 0 && errno != EEXIST)
			die("%s: %s", R.control_path, strerror(errno));
		/* Open read-write so that writers coming and going never EOF it. */
		R.cfd = open(R.control_path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (R.cfd < 0)
			die("%s: %s", R.control_path, strerror(errno));
	}
}

/* Drop the connections that have ended, writing their JSON lines. */
static void
reap(int64_t now)
{
	size_t	 i, j = 0;

	for (i = 0; i < R.nconns; i++) {
		struct conn *c = R.conns[i];

		if (!c->dead && c->d[UP].shut && c->d[DOWN].shut)
			conn_end(c, "eof");
		if (!c->dead) {
			R.conns[j++] = c;
			continue;
		}
		R.closed_bytes[UP] += c->d[UP].wr;
		R.closed_bytes[DOWN] += c->d[DOWN].wr;
		json_close(c, now);
		conn_free(c);
	}
	R.nconns = j;
}

static void
loop(void)
{
	struct pollfd	*pfd = NULL;
	struct conn	**owner = NULL;
	int		*which = NULL;
	size_t		 cap = 0, n, i;
	int64_t		 now, next;
	int		 timeout;

	while (!got_term) {
		now = now_ms();
		next = now + 1000;
		for (i = 0; i < R.nconns; i++) {
			struct conn *c = R.conns[i];

			conn_faults(c, now);
			for (int d = UP; d <= DOWN && !c->dead; d++) {
				dir_shape(c, d, now);
				dir_write(c, d, now);
			}
		}
		reap(now);
		if (got_usr1) {
			got_usr1 = 0;
			json_stats();
		}
		if (cap < 2 + 4 * R.nconns) {
			cap = 2 + 4 * R.nconns + 64;
			pfd = realloc(pfd, cap * sizeof(*pfd));
			owner = realloc(owner, cap * sizeof(*owner));
			which = realloc(which, cap * sizeof(*which));
			if (pfd == NULL || owner == NULL || which == NULL)
				die("out of memory");
		}
		n = 0;
		pfd[n].fd = R.lfd, pfd[n].events = POLLIN, owner[n++] = NULL;
		if (R.cfd >= 0)
			pfd[n].fd = R.cfd, pfd[n].events = POLLIN, owner[n++] = NULL;
		for (i = 0; i < R.nconns; i++) {
			struct conn *c = R.conns[i];

			if (c->next_random_stall < next)
				next = c->next_random_stall;
			for (size_t f = 0; f < R.nfaults; f++)
				if (R.faults[f].at_ms > 0 &&
				    c->start_ms + R.faults[f].at_ms < next &&
				    c->start_ms + R.faults[f].at_ms > now)
					next = c->start_ms + R.faults[f].at_ms;
			for (int d = UP; d <= DOWN; d++) {
				struct dir *dr = &c->d[d];
				int64_t	 t = dir_next(c, d, now);

				if (t < next)
					next = t;
				if (!dr->eof && dr->rd - dr->wr < DIR_BUF) {
					pfd[n].fd = dr->from;
					pfd[n].events = POLLIN;
					owner[n] = c, which[n++] = d;
				}
				if (dir_writable(c, d, now) > 0) {
					pfd[n].fd = dr->to;
					pfd[n].events = POLLOUT;
					owner[n] = c, which[n++] = d | 2;
				}
			}
		}
		timeout = next <= now ? 0 : (int)(next - now);
		if (poll(pfd, (nfds_t)n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		now = now_ms();
		for (i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (owner[i] == NULL && pfd[i].fd == R.lfd)
				accept_one(now);
			else if (owner[i] == NULL)
				control_read();
			else if (!owner[i]->dead && !(which[i] & 2))
				dir_read(owner[i], which[i]);
			/* POLLOUT: the next round writes. */
		}
	}
	for (i = 0; i < R.nconns; i++)
		conn_end(R.conns[i], "exit");
	reap(now_ms());
	free(pfd);
	free(owner);
	free(which);
	free(R.conns);
}

int
main(int argc, char **argv)
{
	static const int	 sigs[] = { SIGUSR1, SIGTERM, SIGINT };

	parse_args(argc, argv);
	signals_catch(sigs, sizeof(sigs) / sizeof(sigs[0]));
	listen_init();
	loop();
	if (R.control_path != NULL)
		unlink(R.control_path);
	return 0;
}
