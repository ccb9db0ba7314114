/*
 * load.c: parta-load, the capacity benchmark's client: many interactive
 * sessions at once against partad, on libssh's client API.
 *
 *   parta-load -p PORT -l LOGIN -i KEY -n SESSIONS [-d SECS] [-k MS]
 *              [-t THREADS] [-P PARTAD_PID]
 *
 * Each session logs in with the key, asks for an 80x24 pty and a shell,
 * and waits for the main menu.  Then, for SECS seconds, every session
 * presses a key each MS milliseconds (the starts are spread over the
 * interval), cycling through screens: the who-is-online list (every
 * session is in it), two rows down in it, back to the main menu (a new
 * screen), and moving the marker there.  The time
 * from a key to the first bytes of the screen's answer is its latency.
 * With -P, partad's process tree is read from /proc at the start and the
 * end of the measured window: CPU time used, and the private memory of
 * the session processes at the end and before the first key (idle, also
 * split: the session processes themselves, idle_session_kb, and their
 * children, idle_ui_kb, per session); this client's own CPU time in that window
 * (load_cpu_pct: what the measuring costs, apart from the server's);
 * and the whole machine's busy share (this client included).  With
 * PARTA_LOAD_BYKEY set, p50 and p95 of each key of the cycle go to
 * stderr.  Prints one line of "name value" pairs.  It
 * measures; it asserts nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "clock.h"

#define MAX_SESSIONS	2000
#define ANSWER_TIMEOUT	5000.0		/* ms: a key with no answer */
#define MENU_TEXT	"\xd0\xbc\xd0\xb5\xd0\xbd\xd1\x8e"	/* "меню" */
#define CHARSET_TEXT	"Choose the line you can read"

/* The keys pressed in turn: each one changes the screen. */
static const char *const cycle[] = {
	"w",		/* who is online: a new screen */
	"\033OB",	/* down in the list */
	"\033OB",
	"q",		/* back to the main menu */
	"\033OB",	/* down: the marker moves */
	"\033OB",
	"\033OA",	/* up */
};
#define NCYCLE	(sizeof(cycle) / sizeof(cycle[0]))

struct sess {
	ssh_session	 ssh;
	ssh_channel	 ch;
	int		 ok;
	size_t		 next_key;
	double		 next_send, sent;
	int		 waiting;
};

struct worker {
	pthread_t	 th;
	int		 id;
	struct sess	*s;
	size_t		 n;
	double		*lat;
	unsigned char	*lkey;		/* the cycle's index of each */
	size_t		 nlat, caplat;
	unsigned	 timeouts, errors;
};

static struct {
	int		 port, nsess, secs, interval, nthreads, partad;
	const char	*login, *keyfile;
	pthread_barrier_t ready;
	double		 t_start;	/* start of the measured window */
} opt = { .secs = 20, .interval = 1000, .nthreads = 8 };

/* Log in and wait for the main menu.  0 or -1. */
static int
sess_open(struct sess *s, ssh_key key)
{
	char		 buf[8192], seen[16384];
	size_t		 seen_len = 0;
	int		 n, verbosity = SSH_LOG_NOLOG, answered = 0;
	long		 timeout = 60;
	double		 until = now_ms() + 30000;

	s->ssh = ssh_new();
	if (s->ssh == NULL)
		return -1;
	ssh_options_set(s->ssh, SSH_OPTIONS_HOST, "127.0.0.1");
	ssh_options_set(s->ssh, SSH_OPTIONS_PORT, &opt.port);
	ssh_options_set(s->ssh, SSH_OPTIONS_USER, opt.login);
	ssh_options_set(s->ssh, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
	ssh_options_set(s->ssh, SSH_OPTIONS_TIMEOUT, &timeout);
	ssh_options_set(s->ssh, SSH_OPTIONS_PROCESS_CONFIG, &(int){ 0 });
	/* A private server on loopback: its key is not checked. */
	if (ssh_connect(s->ssh) != SSH_OK ||
	    ssh_userauth_publickey(s->ssh, NULL, key) != SSH_AUTH_SUCCESS)
		return -1;
	if ((s->ch = ssh_channel_new(s->ssh)) == NULL ||
	    ssh_channel_open_session(s->ch) != SSH_OK ||
	    ssh_channel_request_pty_size(s->ch, "xterm", 80, 24) != SSH_OK ||
	    /* As OpenSSH's SendEnv does: the terminal speaks UTF-8. */
	    ssh_channel_request_env(s->ch, "LANG", "C.UTF-8") != SSH_OK ||
	    ssh_channel_request_shell(s->ch) != SSH_OK)
		return -1;
	while (now_ms() < until) {
		n = ssh_channel_read_timeout(s->ch, buf, sizeof(buf), 0, 1000);
		if (n < 0 || (n == 0 && ssh_channel_is_eof(s->ch)))
			return -1;
		if (seen_len + (size_t)n > sizeof(seen))
			seen_len = 0;
		memcpy(seen + seen_len, buf, (size_t)n);
		seen_len += (size_t)n;
		/* A first login asks for the terminal's encoding: UTF-8. */
		if (!answered && memmem(seen, seen_len, CHARSET_TEXT,
		    strlen(CHARSET_TEXT)) != NULL) {
			answered = 1;
			seen_len = 0;
			ssh_channel_write(s->ch, "\r", 1);
			continue;
		}
		if (memmem(seen, seen_len, MENU_TEXT, strlen(MENU_TEXT)) != NULL) {
			s->ok = 1;
			return 0;
		}
	}
	if (getenv("PARTA_LOAD_DEBUG") != NULL)
		fprintf(stderr, "parta-load: no menu in: %.*s\n", (int)seen_len, seen);
	return -1;
}

static void
record(struct worker *w, double ms, size_t key)
{
	if (w->nlat == w->caplat) {
		w->caplat = w->caplat ? 2 * w->caplat : 1024;
		w->lat = realloc(w->lat, w->caplat * sizeof(*w->lat));
		w->lkey = realloc(w->lkey, w->caplat);
		if (w->lat == NULL || w->lkey == NULL)
			abort();
	}
	w->lkey[w->nlat] = (unsigned char)key;
	w->lat[w->nlat++] = ms;
}

static void
measure(struct worker *w)
{
	struct pollfd	*pfd = calloc(w->n, sizeof(*pfd));
	char		 buf[16384];
	double		 now, end = opt.t_start + opt.secs * 1000.0, next;
	size_t		 i;
	int		 n;

	for (i = 0; i < w->n; i++) {
		w->s[i].next_send = opt.t_start +
		    (double)(random() % (opt.interval > 0 ? opt.interval : 1));
		w->s[i].next_key = 0;	/* the cycle starts in the main menu */
	}
	while ((now = now_ms()) < end) {
		next = end;
		for (i = 0; i < w->n; i++) {
			struct sess *s = &w->s[i];

			pfd[i].fd = s->ok ? ssh_get_fd(s->ssh) : -1;
			pfd[i].events = POLLIN;
			if (!s->ok)
				continue;
			if (s->waiting && now - s->sent > ANSWER_TIMEOUT) {
				if (getenv("PARTA_LOAD_DEBUG") != NULL)
					fprintf(stderr, "parta-load: no answer to key %zu\n",
					    (s->next_key + NCYCLE - 1) % NCYCLE);
				w->timeouts++;
				s->waiting = 0;
			}
			if (!s->waiting && now >= s->next_send) {
				const char *k = cycle[s->next_key];

				s->next_key = (s->next_key + 1) % NCYCLE;
				if (ssh_channel_write(s->ch, k, (uint32_t)strlen(k)) < 0) {
					w->errors++;
					s->ok = 0;
					continue;
				}
				s->sent = now;
				s->waiting = 1;
				s->next_send = now + opt.interval;
			}
			if (!s->waiting && s->next_send < next)
				next = s->next_send;
			if (s->waiting && s->sent + ANSWER_TIMEOUT < next)
				next = s->sent + ANSWER_TIMEOUT;
			/* A write may have pulled the answer into libssh already. */
			if (s->waiting && ssh_channel_poll(s->ch, 0) > 0)
				next = now;
		}
		if (poll(pfd, w->n, next > now ? (int)(next - now) + 1 : 0) < 0 &&
		    errno != EINTR)
			break;
		now = now_ms();
		for (i = 0; i < w->n; i++) {
			struct sess *s = &w->s[i];
			int got = 0;

			if (!s->ok || (!s->waiting &&
			    !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR))))
				continue;
			while ((n = ssh_channel_read_nonblocking(s->ch, buf,
			    sizeof(buf), 0)) > 0)
				got += n;
			if (n < 0 || ssh_channel_is_eof(s->ch)) {
				w->errors++;
				s->ok = 0;
			}
			if (got > 0 && s->waiting) {
				record(w, now - s->sent,
				    (s->next_key + NCYCLE - 1) % NCYCLE);
				s->waiting = 0;
			}
		}
	}
	free(pfd);
}

static void *
worker_run(void *arg)
{
	struct worker	*w = arg;
	ssh_key		 key = NULL;
	size_t		 i;

	srandom((unsigned)(w->id + 1));
	if (ssh_pki_import_privkey_file(opt.keyfile, NULL, NULL, NULL, &key) != SSH_OK) {
		fprintf(stderr, "parta-load: cannot read %s\n", opt.keyfile);
		exit(2);
	}
	for (i = 0; i < w->n; i++)
		if (sess_open(&w->s[i], key) != 0)
			w->errors++;
	ssh_key_free(key);
	pthread_barrier_wait(&opt.ready);	/* all are in */
	pthread_barrier_wait(&opt.ready);	/* t_start is set */
	measure(w);
	return NULL;
}

/* --- partad's process tree in /proc --------------------------------------- */

struct proc {
	int		 pid, ppid;
	double		 cpu;		/* time on a CPU, s */
	double		 ccpu;		/* of reaped children */
};

static long	 clk_tck;

static size_t
proc_list(struct proc **out)
{
	DIR		*d = opendir("/proc");
	struct dirent	*de;
	struct proc	*v = NULL;
	size_t		 n = 0, cap = 0;

	while (d != NULL && (de = readdir(d)) != NULL) {
		char		 path[300], buf[1024], *p;
		FILE		*fp;
		unsigned long	 ut, st;
		long		 cut, cst;
		int		 ppid;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		p = fgets(buf, sizeof(buf), fp);
		fclose(fp);
		if (p == NULL || (p = strrchr(buf, ')')) == NULL)
			continue;
		/* After "pid (comm)": state ppid ... utime(14) stime cutime cstime. */
		if (sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %ld %ld",
		    &ppid, &ut, &st, &cut, &cst) != 5)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			v = realloc(v, cap * sizeof(*v));
			if (v == NULL)
				abort();
		}
		v[n].pid = atoi(de->d_name);
		v[n].ppid = ppid;
		v[n].cpu = (double)(ut + st) / (double)clk_tck;
		/*
		 * The tick-sampled utime and stime miss the short bursts of
		 * an idle-ticking kernel; the scheduler's own nanoseconds
		 * do not.
		 */
		snprintf(path, sizeof(path), "/proc/%s/schedstat", de->d_name);
		if ((fp = fopen(path, "r")) != NULL) {
			unsigned long long ns;

			if (fscanf(fp, "%llu", &ns) == 1)
				v[n].cpu = (double)ns / 1e9;
			fclose(fp);
		}
		v[n].ccpu = (double)(cut + cst) / (double)clk_tck;
		n++;
	}
	if (d != NULL)
		closedir(d);
	*out = v;
	return n;
}

static int
in_tree(const struct proc *v, size_t n, int pid, int root)
{
	for (int depth = 0; depth < 8 && pid > 1; depth++) {
		if (pid == root)
			return 1;
		size_t i;
		for (i = 0; i < n && v[i].pid != pid; i++)
			;
		if (i == n)
			return 0;
		pid = v[i].ppid;
	}
	return pid == root;
}

/* Private memory of one process in kB, from smaps_rollup. */
static long
private_kb(int pid)
{
	char	 path[64], line[256];
	FILE	*fp;
	long	 kb, sum = 0;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL)
		if ((sscanf(line, "Private_Clean: %ld kB", &kb) == 1) ||
		    (sscanf(line, "Private_Dirty: %ld kB", &kb) == 1))
			sum += kb;
	fclose(fp);
	return sum;
}

/* CPU seconds used by partad and every process below it, living or
 * reaped; with mem, the private kB of the processes below it, and in
 * *top those of partad's own children (the session processes; the rest
 * are their UI children). */
static double
tree_cpu(long *mem, long *top, int *nproc)
{
	struct proc	*v;
	size_t		 n = proc_list(&v), i;
	double		 cpu = 0;
	long		 kb;

	if (mem != NULL)
		*mem = 0, *top = 0, *nproc = 0;
	for (i = 0; i < n; i++) {
		if (v[i].pid == opt.partad)
			cpu += v[i].cpu + v[i].ccpu;
		else if (in_tree(v, n, v[i].pid, opt.partad)) {
			cpu += v[i].cpu;
			if (mem != NULL) {
				kb = private_kb(v[i].pid);
				*mem += kb;
				if (v[i].ppid == opt.partad)
					*top += kb;
				(*nproc)++;
			}
		}
	}
	free(v);
	return cpu;
}

/* CPU seconds this client has used, all its threads. */
static double
self_cpu(void)
{
	struct rusage	 ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The whole machine's busy and total CPU seconds, from /proc/stat. */
static void
machine_cpu(double *busy, double *total)
{
	unsigned long long	 v[8] = { 0 };
	FILE			*fp = fopen("/proc/stat", "r");

	*busy = *total = 0;
	if (fp == NULL)
		return;
	if (fscanf(fp, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
	    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
		for (int i = 0; i < 8; i++)
			*total += (double)v[i];
		*busy = *total - (double)v[3] - (double)v[4];	/* idle, iowait */
	}
	fclose(fp);
	*busy /= (double)clk_tck;
	*total /= (double)clk_tck;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* With PARTA_LOAD_BYKEY: p50 and p95 of each key of the cycle, on stderr
 * (which screen is slow).  buf holds every latency. */
static void
by_key(struct worker *w, double *buf)
{
	size_t	 key, i, j, n;

	for (key = 0; key < NCYCLE; key++) {
		for (i = 0, n = 0; i < (size_t)opt.nthreads; i++)
			for (j = 0; j < w[i].nlat; j++)
				if (w[i].lkey[j] == key)
					buf[n++] = w[i].lat[j];
		qsort(buf, n, sizeof(*buf), cmp_double);
		fprintf(stderr, "key %zu (%s) n %zu p50 %.1f p95 %.1f\n", key,
		    cycle[key][0] == '\033' ? cycle[key] + 1 : cycle[key], n,
		    n ? buf[(n - 1) / 2] : 0, n ? buf[(size_t)((n - 1) * 0.95)] : 0);
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: parta-load -p PORT -l LOGIN -i KEY -n SESSIONS"
	    " [-d SECS] [-k MS] [-t THREADS] [-P PARTAD_PID]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct worker	*w;
	struct sess	*all;
	double		*lat, t0, t_conn, cpu0 = 0, cpu1 = 0;
	double		 busy0, total0, busy1, total1, self0, self1;
	size_t		 nlat = 0, i, k;
	unsigned	 timeouts = 0, errors = 0;
	long		 mem = 0, mem_idle = 0, top = 0, top_idle = 0;
	int		 c, nproc = 0, connected = 0;

	while ((c = getopt(argc, argv, "p:l:i:n:d:k:t:P:")) != -1) {
		switch (c) {
		case 'p': opt.port = atoi(optarg); break;
		case 'l': opt.login = optarg; break;
		case 'i': opt.keyfile = optarg; break;
		case 'n': opt.nsess = atoi(optarg); break;
		case 'd': opt.secs = atoi(optarg); break;
		case 'k': opt.interval = atoi(optarg); break;
		case 't': opt.nthreads = atoi(optarg); break;
		case 'P': opt.partad = atoi(optarg); break;
		default: usage();
		}
	}
	if (opt.port <= 0 || opt.login == NULL || opt.keyfile == NULL ||
	    opt.nsess <= 0 || opt.nsess > MAX_SESSIONS || opt.nthreads <= 0 ||
	    opt.secs <= 0 || opt.secs > 600)
		usage();
	if (opt.nthreads > opt.nsess)
		opt.nthreads = opt.nsess;
	clk_tck = sysconf(_SC_CLK_TCK);
	ssh_init();
	all = calloc((size_t)opt.nsess, sizeof(*all));
	w = calloc((size_t)opt.nthreads, sizeof(*w));
	pthread_barrier_init(&opt.ready, NULL, (unsigned)opt.nthreads + 1);
	t0 = now_ms();
	for (i = 0, k = 0; i < (size_t)opt.nthreads; i++) {
		size_t share = (size_t)opt.nsess / (size_t)opt.nthreads +
		    (i < (size_t)opt.nsess % (size_t)opt.nthreads);

		w[i].id = (int)i;
		w[i].s = all + k;
		w[i].n = share;
		k += share;
		pthread_create(&w[i].th, NULL, worker_run, &w[i]);
	}
	pthread_barrier_wait(&opt.ready);
	t_conn = now_ms() - t0;
	if (opt.partad > 0)
		cpu0 = tree_cpu(&mem_idle, &top_idle, &nproc);
	machine_cpu(&busy0, &total0);
	self0 = self_cpu();
	opt.t_start = now_ms();
	pthread_barrier_wait(&opt.ready);
	for (i = 0; i < (size_t)opt.nthreads; i++)
		pthread_join(w[i].th, NULL);
	machine_cpu(&busy1, &total1);
	self1 = self_cpu();
	if (opt.partad > 0)
		cpu1 = tree_cpu(&mem, &top, &nproc);
	for (i = 0; i < (size_t)opt.nsess; i++)
		connected += all[i].ok;
	for (i = 0; i < (size_t)opt.nthreads; i++) {
		nlat += w[i].nlat;
		timeouts += w[i].timeouts;
		errors += w[i].errors;
	}
	lat = calloc(nlat + 1, sizeof(*lat));
	if (getenv("PARTA_LOAD_BYKEY") != NULL)
		by_key(w, lat);
	for (i = 0, k = 0; i < (size_t)opt.nthreads; i++) {
		memcpy(lat + k, w[i].lat, w[i].nlat * sizeof(*lat));
		k += w[i].nlat;
		free(w[i].lat);
		free(w[i].lkey);
	}
	qsort(lat, nlat, sizeof(*lat), cmp_double);
#define PCT(p)	(nlat ? lat[(size_t)((double)(nlat - 1) * (p))] : 0)
	printf("sessions %d connected %d connect_s %.1f keys %zu p50_ms %.1f "
	    "p95_ms %.1f p99_ms %.1f max_ms %.1f timeouts %u errors %u "
	    "cpu_pct %.1f load_cpu_pct %.1f machine_busy_pct %.0f "
	    "mem_kb_per_session %ld idle_mem_kb_per_session %ld "
	    "idle_session_kb %ld idle_ui_kb %ld procs %d\n",
	    opt.nsess, connected, t_conn / 1000, nlat, PCT(0.5), PCT(0.95),
	    PCT(0.99), PCT(1.0), timeouts, errors,
	    opt.partad > 0 ? 100 * (cpu1 - cpu0) / opt.secs : 0.0,
	    100 * (self1 - self0) / opt.secs,
	    total1 > total0 ? 100 * (busy1 - busy0) / (total1 - total0) : 0.0,
	    connected ? mem / connected : 0,
	    connected ? mem_idle / connected : 0,
	    connected ? top_idle / connected : 0,
	    connected ? (mem_idle - top_idle) / connected : 0, nproc);
	fflush(stdout);
	/* Hang up all at once: partad's sessions see the link go. */
	for (i = 0; i < (size_t)opt.nsess; i++) {
		if (all[i].ssh != NULL) {
			ssh_disconnect(all[i].ssh);
			ssh_free(all[i].ssh);
		}
	}
	free(lat);
	free(all);
	free(w);
	ssh_finalize();
	return 0;
}
