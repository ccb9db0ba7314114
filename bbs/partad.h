/*
 * partad.h: the server's one global, its documented state.
 *
 * The listener fills it at start-up and on SIGHUP; a session process
 * inherits a copy through fork() and reads it, never writes it.  Signal
 * handlers only set the sig_atomic_t flags.
 */
#ifndef PARTA_PARTAD_H
#define PARTA_PARTAD_H

#include <signal.h>
#include <sys/types.h>

#include <libssh/server.h>

#include "config.h"

/*
 * A session process as the listener sees it.  Until it has logged in it
 * holds one end of a socket pair, its "startup socket" (OpenSSH's
 * startup pipe): it writes STARTUP_AUTHED when an account has logged
 * in, or STARTUP_GUEST when "new" has, and then waits for the listener's
 * STARTUP_YES or STARTUP_NO (max_guest_sessions).  So the listener
 * counts connections not yet logged in, overall and per address
 * (max_startups, per_source_max_startups), and registrations, without
 * reading a byte from any client.
 */
#define STARTUP_AUTHED	'a'
#define STARTUP_GUEST	'g'
#define STARTUP_YES	'y'
#define STARTUP_NO	'n'

enum child_state {
	CHILD_STARTUP,		/* connected, not logged in yet */
	CHILD_AUTHED,		/* an account logged in */
	CHILD_GUEST,		/* "new", registering */
	CHILD_GONE		/* ended before logging in (not yet reaped) */
};

struct child {
	pid_t			 pid;
	int			 fd;		/* startup socket; -1 after */
	enum child_state	 state;
	char			 addr[64];	/* numeric peer address */
	int64_t			 started_ms;	/* now_mono_ms() at accept */
};

struct server {
	struct config		 cfg;		/* the effective configuration */
	char			*config_path;	/* NULL: built-in defaults */
	int			 config_required; /* -f given: must exist */
	char			*store_path;	/* data_dir/parta.db */
	char			*host_key;	/* resolved host key path */
	char			*tmp_dir;	/* TMPDIR, or data_dir/tmp */
	const char		*localedir;	/* message catalogues */
	ssh_bind		 bind;		/* holds the host key */
	int			 listen_fd;
	struct child		*children;	/* live session processes */
	size_t			 nchildren;
	int			 startup_fd;	/* session: to the listener */
	int			 verbose;
	volatile sig_atomic_t	 got_term;	/* SIGTERM/SIGINT */
	volatile sig_atomic_t	 got_hup;	/* SIGHUP: re-read config */
	volatile sig_atomic_t	 got_chld;	/* SIGCHLD: reap */
};

extern struct server server;

/* 1 in an AddressSanitizer build, which cannot bear a memory rlimit. */
#if defined(__SANITIZE_ADDRESS__)
#define PARTAD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PARTAD_ASAN 1
#endif
#endif
#ifndef PARTAD_ASAN
#define PARTAD_ASAN 0
#endif

/*
 * session.c: serve one accepted connection in this (forked) process:
 * key exchange, authentication, channels.  Returns the exit status for
 * the process; never returns to the listener loop.
 */
int	session_run(int fd, const char *peer_addr);

#endif
