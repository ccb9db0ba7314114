/*
 * worker.h: a channel's child process.  A session serves each channel in
 * a child of its own (ARCHITECTURE: one process per connection, one
 * child per channel): the UI on a pty, SFTP and, next, parta-sync on a
 * socket pair.  The session keeps one end and relays it to the SSH
 * channel (pump.c, sftp.c); the child runs the given function with its
 * own store connection, under the session's limits, holding nothing of
 * the session's but that one end and stderr (the log).
 *
 * "worker", not "child": partad.h's struct child is the listener's
 * record of a session process.
 */
#ifndef PARTA_WORKER_H
#define PARTA_WORKER_H

#include <sys/ioctl.h>
#include <sys/types.h>

struct store;

enum worker_channel {
	WORKER_PTY,	/* a new pty: the child's terminal, on fds 0 and 1 */
	WORKER_SOCKET,	/* a socket pair (AF_UNIX, SOCK_STREAM) */
};

struct worker_params {
	const char		*name;	/* the child's name in the log */
	enum worker_channel	 channel;
	const struct winsize	*ws;	/* WORKER_PTY: the pty's size */
	/*
	 * The child's own store connection, opened in the child and
	 * passed to run(); NULL: run() opens its own (the UI does, to say
	 * on the user's screen that it cannot).
	 */
	const char		*store_path;
	/*
	 * The child's work: fd is its end of the channel (for a pty, also
	 * fds 0 and 1), st its store connection (NULL without a
	 * store_path), closed after run() returns.  Returns the child's
	 * exit status.
	 */
	int			(*run)(int fd, struct store *st, void *arg);
	void			*arg;
};

/*
 * The session's record of one worker: its pid and, once reaped, how it
 * ended.  pump.c and sftp.c each keep one; only these functions touch
 * it.
 */
struct worker {
	pid_t	 pid;
	int	 reaped;	/* waited for: pid may be reused, never signal */
	int	 status;	/* once reaped: the exit status, or 128 + signal */
};

/*
 * Fork a worker for p.  *st is the caller's store connection: closed
 * before the fork and opened again after, since a connection must not
 * cross a fork; if it cannot be opened again *st is NULL (logged).
 *
 * In the child: every fd but 0, 1, 2 and the child's end of the channel
 * is closed (the SSH socket, whatever the listener left), signals are
 * back to their defaults, the session's limits are applied again
 * (worker_confine()), then run() runs and the child exits with its
 * status.  For a pty the child is a session leader with the pty as its
 * controlling terminal; fd 2 stays partad's stderr, the log, so that
 * nothing a library writes there reaches the user's screen.
 *
 * Returns 0, *w filled and *fd (the session's end: the pty master, or
 * the socket, both close-on-exec), or -1 if the child could not start
 * (logged).  The caller owns *fd and ends *w with worker_stop().
 */
int	worker_start(const struct worker_params *p, struct store **st,
	    struct worker *w, int *fd);

/* Send sig to the worker unless it has been reaped already. */
void	worker_signal(struct worker *w, int sig);

/*
 * Reap the worker if it has ended, without waiting.  Returns 1 once it
 * has (w->status says how; a reaped worker is not asked again), 0 while
 * it runs.
 */
int	worker_ended(struct worker *w);

/*
 * End the worker: send sig (unless reaped), give it wait_ms milliseconds
 * to exit, then SIGKILL it, and reap it; wait_ms < 0 waits as long as it
 * takes.  Afterwards w->reaped is 1.
 */
void	worker_stop(struct worker *w, int sig, int wait_ms);

/*
 * The session's limits, for this process and whatever it forks: the
 * memory ceiling (memory_limit, RLIMIT_DATA; none in a sanitizer
 * build), no new privileges (no set-id or file capabilities from
 * anything it runs), and, with landlock on, Landlock: write only in
 * data_dir and the temporary directory, read what the system installs
 * (worker.c lists it).  Applying them again changes nothing, so a worker
 * has them whoever forked it.  0, or -1 if Landlock was promised and
 * failed (logged): then the process must not serve.
 */
int	worker_confine(void);

#endif
