/*
 * relay.h: the session's side of a subsystem served by a channel child
 * on a socket pair (worker.h): "sftp" (sftp.c) and "parta-sync"
 * (syncd.c).  The session process touches none of the subsystem's bytes;
 * it moves them between the SSH channel and the child, with
 * back-pressure both ways (relay.c says how), so that neither a client
 * that sends without reading nor one that never opens its window can make
 * the session hold more than a few megabytes.
 */
#ifndef PARTA_RELAY_H
#define PARTA_RELAY_H

#include <stdint.h>

#include <libssh/libssh.h>

struct relay;
struct store;

/*
 * Whom a subsystem's child serves, where it finds its store and
 * messages, and the channel the relay serves: what the session hands
 * sftpd_start() and syncd_start() alike.
 */
struct relay_user {
	int64_t		 user_id;
	const char	*login;
	const char	*store_path;
	const char	*localedir;
	ssh_session	 ssh;
	ssh_channel	 chan;
};

/* What a subsystem's start function is: fork the child for u and relay
 * u->chan to it (*st as relay_start() says).  NULL if the child could
 * not start (logged); free with relay_free(). */
typedef struct relay	*(*relay_start_fn)(const struct relay_user *u,
			     struct store **st, ssh_event event);

/* A subsystem, as its start function describes it to relay_start(). */
struct relay_kind {
	const char	*worker;	/* "partad-sftp": the child's name */
	const char	*name;		/* "sftp": the log's */
	int		 idle_timeout;	/* seconds without a byte moving
					   before it closes; 0: never */
	/* The child's work (worker_params' run); its arg is the
	 * struct relay_user. */
	int		(*run)(int fd, struct store *st, void *arg);
};

/*
 * Fork k's child for u (worker_start(), WORKER_SOCKET, with u's
 * store_path; *st is the session's store connection, closed and opened
 * again around the fork) and relay u->chan to it.  The relay watches the
 * child's socket in event, the session's loop.  NULL if the child could
 * not start (logged).  Free with relay_free().
 */
struct relay	*relay_start(const struct relay_kind *k,
		     const struct relay_user *u, struct store **st,
		     ssh_event event);
/*
 * In the child, before it serves: SIGTERM to on_term, SIGPIPE ignored,
 * and messages in u's language (Russian if u cannot be read).
 */
void		 relay_child_init(struct store *st, const struct relay_user *u,
		     void (*on_term)(int));
/* Kill the child if it still runs, wait for it, free.  Accepts NULL. */
void		 relay_free(struct relay *);

/*
 * For the channel's data callback: data is all libssh holds of the
 * channel.  Returns how many bytes the relay took; libssh keeps the
 * rest, and its window stays closed while it does, until relay_run()
 * takes them.  After the child's end, bytes are taken and dropped.
 */
int		 relay_input(struct relay *, const void *data, uint32_t len);
/*
 * The relay's work, called by the session's loop after each poll and
 * never from a libssh callback: bytes to the child, replies to the
 * client, as much as each side takes without a wait.  0, or -1 when the
 * session should end: the channel failed or was closed, the client
 * ignored the window, or nothing moved for the idle timeout (logged).
 */
int		 relay_run(struct relay *);
/* The client sent EOF or closed the channel: the child ends. */
void		 relay_eof(struct relay *);
void		 relay_signal(struct relay *, int sig);
/* 1 once the child has exited and its last reply went out. */
int		 relay_finished(struct relay *, int *status);
/* How long the session's poll may wait, at most ms: less while the
 * child, its end of the socket closed, is still exiting, since nothing
 * but the poll's timeout would then bring the loop back to see it end. */
int		 relay_poll_ms(struct relay *, int ms);

#endif
