/*
 * worker.c: forking a channel's child (worker.h), written once for the
 * UI, SFTP and the sync server, and the limits every session process
 * and its children run under.
 *
 * What a child holds is decided by what it keeps, not by a list of what
 * to close: it keeps fds 0, 1, 2 and its end of the channel, and
 * closefrom() closes the rest, so that neither the SSH socket, nor the
 * listener's remnants, nor an fd a later change opens in the session
 * can leak into a process that serves one channel.  Syslog's socket is
 * closed first through closelog(), so that the C library never writes
 * to, or closes, a number reused by then; log_init() opens it again.
 *
 * The store connection cannot cross the fork: the session closes its
 * own before and opens it again after, and the child opens one of its
 * own (SQLite: a connection must not be used in two processes).
 *
 * The limits (worker_confine) are applied once by the session, before
 * it reads a byte from the client, and again by each child: they are
 * inherited anyway, and applying them again costs a few system calls,
 * but a worker then has them whoever forked it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "partad.h"
#include "store.h"
#include "util.h"
#include "worker.h"

/*
 * The memory ceiling of this process and, inherited, of its UI and SFTP
 * children: RLIMIT_DATA (heap and private mappings, not the shared
 * libraries' text), so one runaway process fails its own allocations
 * and dies while the others serve on.  AddressSanitizer reserves
 * terabytes of shadow memory up front, so a sanitizer build cannot have
 * one (the listener says so at start).
 */
static void
worker_limit_memory(void)
{
#if !PARTAD_ASAN
	struct rlimit	 rl;

	if (server.cfg.memory_limit == 0)
		return;
	rl.rlim_cur = rl.rlim_max = (rlim_t)server.cfg.memory_limit << 20;
	if (setrlimit(RLIMIT_DATA, &rl) != 0)
		log_warn("setrlimit(RLIMIT_DATA): %s", strerror(errno));
#endif
}

/*
 * Landlock (Linux 5.13 on): confine this process, and so its UI, SFTP
 * and sz children, to the data directory for everything that writes,
 * and to reading and running what the system installs (/usr, /etc,
 * the catalogues, the terminals of /dev/pts), and to the temporary
 * directory (TMPDIR, else data_dir/tmp: partad.c).  Home directories,
 * /var, /srv and the rest are out of reach.  0 confined, 1 no Landlock
 * in this kernel, -1 failed.
 */
#define LL_FILE	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
	LANDLOCK_ACCESS_FS_READ_FILE)
#define LL_READ	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | \
	LANDLOCK_ACCESS_FS_READ_DIR)
#define LL_ALL	((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1)

static int
worker_landlock_add(int rs, const char *path, uint64_t access,
    uint64_t handled)
{
	struct landlock_path_beneath_attr	 pb;
	struct stat				 sb;
	int					 rc;

	memset(&pb, 0, sizeof(pb));
	if ((pb.parent_fd = open(path, O_PATH | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -1;	/* absent: nothing to allow */
	if (fstat(pb.parent_fd, &sb) == 0 && !S_ISDIR(sb.st_mode))
		access &= LL_FILE;
	pb.allowed_access = access & handled;
	rc = (int)syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH,
	    &pb, 0);
	close(pb.parent_fd);
	return rc;
}

static int
worker_landlock(void)
{
	static const char *const	 ro[] = {
		"/usr", "/lib", "/lib64", "/bin", "/etc",
#if PARTAD_ASAN
		"/proc",	/* the sanitizer's reports read /proc/self */
#endif
	};
	static const char *const	 rw[] = {
		"/dev/null", "/dev/ptmx", "/dev/pts", "/dev/tty"
	};
	struct landlock_ruleset_attr	 ra;
	uint64_t			 handled = LL_ALL;
	long				 abi;
	size_t				 i;
	int				 rs, rc = -1;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1)
		return 1;
	if (abi >= 2)
		handled |= LANDLOCK_ACCESS_FS_REFER;
	memset(&ra, 0, sizeof(ra));
	ra.handled_access_fs = handled;
	if ((rs = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra),
	    0)) < 0)
		return -1;
	for (i = 0; i < nitems(ro); i++)
		if (worker_landlock_add(rs, ro[i], LL_READ, handled) != 0)
			goto out;
	for (i = 0; i < nitems(rw); i++)
		if (worker_landlock_add(rs, rw[i], LL_READ |
		    LANDLOCK_ACCESS_FS_WRITE_FILE, handled) != 0)
			goto out;
	if (worker_landlock_add(rs, server.cfg.data_dir, handled, handled) != 0 ||
	    worker_landlock_add(rs, server.tmp_dir, handled, handled) != 0 ||
	    worker_landlock_add(rs, server.localedir, LL_READ, handled) != 0 ||
	    (*server.cfg.zmodem_sz != '\0' &&
	    worker_landlock_add(rs, server.cfg.zmodem_sz, LL_READ, handled) != 0))
		goto out;
	rc = (int)syscall(SYS_landlock_restrict_self, rs, 0);
out:
	close(rs);
	return rc == 0 ? 0 : -1;
}

int
worker_confine(void)
{
	worker_limit_memory();
	/* Nor may anything this process and its children run gain
	 * privileges (set-id files, file capabilities).  Landlock needs
	 * this first. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		log_warn("PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return 0;
	}
	if (server.cfg.landlock && worker_landlock() < 0) {
		/* Refuse rather than serve unconfined where it was promised. */
		log_error("landlock: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* In the child: the terminal is the pty's slave side, on 0 and 1. */
static int
worker_child_pty(int slave)
{
	setsid();
	ioctl(slave, TIOCSCTTY, 0);
	/* The screen is 0 and 1 (curses draws on stdout); 2 is the log. */
	dup2(slave, 0);
	dup2(slave, 1);
	if (slave == 2 || fcntl(2, F_GETFD) == -1) {
		/* partad had no stderr: then nowhere. */
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull > 2) {
			dup2(devnull, 2);
			close(devnull);
		}
	}
	closefrom(3);
	return 0;
}

/* In the child: its end of the socket pair moves to 3. */
static int
worker_child_socket(int fd)
{
	if (fd != 3) {
		if (dup2(fd, 3) != 3)
			return -1;
	}
	closefrom(4);
	return 3;	/* dup2() cleared close-on-exec; the child execs nothing */
}

static void worker_child(const struct worker_params *, int)
    __attribute__((noreturn));
static void
worker_child(const struct worker_params *p, int fd)
{
	struct store	*st = NULL;
	char		*cause = NULL;
	int		 rc;

	closelog();
	fd = p->channel == WORKER_PTY ? worker_child_pty(fd) :
	    worker_child_socket(fd);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	log_init(p->name, server.verbose ? LOG_LEVEL_DEBUG :
	    (enum log_level)log_level_parse(server.cfg.log_level),
	    server.cfg.syslog);
	if (fd < 0 || worker_confine() != 0)
		_exit(1);
	if (p->store_path != NULL &&
	    store_open(p->store_path, &st, &cause) != 0) {
		log_error("%s", cause);
		_exit(1);
	}
	rc = p->run(fd, st, p->arg);
	store_close(st);
	_exit(rc);
}

int
worker_start(const struct worker_params *p, struct store **st,
    struct worker *w, int *fd)
{
	char	*cause = NULL;
	int	 ours, theirs, sv[2];

	memset(w, 0, sizeof(*w));
	w->pid = -1;
	*fd = -1;
	if (p->channel == WORKER_PTY) {
		if (openpty(&ours, &theirs, NULL, NULL, p->ws) != 0) {
			log_error("openpty: %s", strerror(errno));
			return -1;
		}
		fcntl(ours, F_SETFD, FD_CLOEXEC);
	} else {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
			log_error("socketpair: %s", strerror(errno));
			return -1;
		}
		ours = sv[0];
		theirs = sv[1];
	}
	/* A store connection must not cross fork(): close, reopen after. */
	store_close(*st);
	*st = NULL;
	switch (w->pid = fork()) {
	case -1:
		log_error("fork: %s", strerror(errno));
		close(ours);
		break;
	case 0:
		worker_child(p, theirs);
	default:
		*fd = ours;
		break;
	}
	close(theirs);
	if (store_open(server.store_path, st, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
	}
	if (w->pid <= 0) {
		w->reaped = 1;	/* nothing to signal or wait for */
		return -1;
	}
	return 0;
}

void
worker_signal(struct worker *w, int sig)
{
	if (!w->reaped)
		kill(w->pid, sig);
}

/* Record how a waited-for worker ended (waitpid's st). */
static void
worker_reaped(struct worker *w, int st)
{
	w->reaped = 1;
	w->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int
worker_ended(struct worker *w)
{
	int	 st;

	if (!w->reaped && waitpid(w->pid, &st, WNOHANG) == w->pid)
		worker_reaped(w, st);
	return w->reaped;
}

void
worker_stop(struct worker *w, int sig, int wait_ms)
{
	pid_t	 r;
	int	 ms, st;

	worker_signal(w, sig);
	for (ms = 0; !w->reaped && (wait_ms < 0 || ms < wait_ms); ms += 50) {
		r = waitpid(w->pid, &st, wait_ms < 0 ? 0 : WNOHANG);
		if (r == w->pid)
			worker_reaped(w, st);
		else if (r < 0 && errno != EINTR)
			w->reaped = 1;	/* not ours to wait for (ECHILD) */
		else if (wait_ms >= 0)
			usleep(50000);
	}
	if (!w->reaped) {
		kill(w->pid, SIGKILL);
		if (waitpid(w->pid, &st, 0) == w->pid)
			worker_reaped(w, st);
		w->reaped = 1;
	}
}
