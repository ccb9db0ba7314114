/*
 * client.h: parta, the companion client: its link to the server
 * (link.c: SSH with the ssh conventions, the parta-sync subsystem, its
 * frames) and its syncer (syncer.c: one round of parta-sync over a
 * link, applied to the local copy and the outbox of sync-local.h).
 */
#ifndef PARTA_CLIENT_H
#define PARTA_CLIENT_H

#include <stddef.h>
#include <stdint.h>

struct sync_local;
struct sync_msg;

/* What the command line says of the server; NULL or 0: ssh_config's,
 * then the defaults. */
struct link_opts {
	const char	*dest;		/* [LOGIN@]HOST, as typed */
	const char	*port;		/* -p */
	const char	*identity;	/* -i */
	const char	*config;	/* -F; NULL: ~/.ssh/config */
	int		 ask;		/* may ask on the terminal (first
					   contact, a password) */
};

/* The server as resolved from the options and ssh_config. */
struct link_dest {
	char		*login;
	char		*host;		/* HostName */
	unsigned	 port;
	char		*name;		/* "login@host" or "login@host:port":
					   the cache directory's */
};

struct link;

/*
 * Resolve o into *d (free with link_dest_free()) without connecting:
 * ssh_config's Host, HostName, Port and User apply as ssh(1) does, the
 * command line's over them.  0, or -1 with *cause (caller frees).
 */
int	 link_resolve(const struct link_opts *o, struct link_dest *d,
	     char **cause);
void	 link_dest_free(struct link_dest *);

/*
 * Connect, check the server's host key against known_hosts (asking on
 * first contact when o->ask, as OpenSSH does; a changed key is refused
 * with what to check), authenticate (the agent, IdentityFile and -i,
 * then a password typed without echo when o->ask), and open the
 * parta-sync subsystem.  Messages for the user go to stderr.  0 and
 * *out, or -1 with *cause (caller frees).
 */
int	 link_open(const struct link_opts *o, struct link **out, char **cause);
void	 link_close(struct link *);

/* Send len bytes (whole frames).  0, or -1 with *cause. */
int	 link_send(struct link *, const void *buf, size_t len, char **cause);
/*
 * The next whole frame from the server, decoded into *m (give it to
 * sync_msg_free() after a 1): 1, 0 when nothing came within timeout_ms,
 * or -1 with *cause (the link closed, a frame the codec refuses).
 */
int	 link_recv(struct link *, struct sync_msg *m, int timeout_ms,
	     char **cause);
/* Bytes sent and received on the channel so far. */
void	 link_counts(const struct link *, uint64_t *sent, uint64_t *recvd);

/* What one round of the syncer did. */
struct syncer_stats {
	size_t		 batches, rows;
	size_t		 applied, refused;
	int		 snapshot;	/* a snapshot was taken */
};

/*
 * One round over an open link: HELLO, every waiting outbox item (the
 * same UUIDs after any cut), one PULL from the copy's cursor, and every
 * answer applied, until the pull is whole and every push answered.
 * timeout_ms bounds each wait for a frame.  0, or -1 with *cause (what
 * was committed stays: the next round goes on from there).
 */
int	 syncer_run(struct link *, struct sync_local *, int timeout_ms,
	     struct syncer_stats *, char **cause);

#endif
