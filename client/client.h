/*
 * client.h: parta, the companion client: its link to the server
 * (link.c: SSH with the ssh conventions, the parta-sync subsystem, its
 * frames) and its syncer (syncer.c: one round of parta-sync over a
 * link, applied to the local copy and the outbox of sync-local.h), its
 * library files (transfer.c), the host of the shared screens (ui-host.c,
 * ui-files.c) and the terminal boundary between them and her terminal
 * (term.c).
 */
#ifndef PARTA_CLIENT_H
#define PARTA_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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
 * *out, or with *cause (caller frees) -1 (the link: try again later) or
 * -2 (the host key or the login was refused: trying again will not do).
 */
int	 link_open(const struct link_opts *o, struct link **out, char **cause);
void	 link_close(struct link *);
/* After fork(), in the process that does not keep the link: close its
 * socket here without a word on it (the other process owns it). */
void	 link_abandon(struct link *);

/*
 * After a login with a password, on her terminal, once HELLO went on l:
 * offer to add her key ($HOME/.ssh/id_ed25519, made without a
 * passphrase if she has none) to her account, as a key-add request over
 * l, so that later logins and the syncer in the background need none.
 * 0 (added, declined, or no password was used), or -1 with *cause.
 */
int	 link_offer_key(struct link *, char **cause);

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
	int		 noticed;	/* a NOTICE came: pull again */
};

/*
 * One round over an open link: HELLO (when hello: the link's first
 * round), every waiting outbox item (the same UUIDs after any cut), one
 * PULL from the copy's cursor, and every answer applied, until the pull
 * is whole and every push answered.  timeout_ms bounds each wait for a
 * frame; a pull of several batches says in dir's progress file (NULL:
 * nowhere) how much has come.  0, or -1 with *cause (what was committed
 * stays: the next round goes on from there).
 */
int	 syncer_run(struct link *, struct sync_local *, int hello,
	     int timeout_ms, const char *dir, struct syncer_stats *,
	     char **cause);
/*
 * Keep the copy in step in this process until it is killed or ppid is
 * gone: rounds over l (NULL: connect first; never asking on the
 * terminal; hello: HELLO is still to be sent on l), again on a NOTICE or a new write in the outbox, and after
 * a cut reconnects with a backoff of 1 s doubling to 5 minutes (not
 * after a refused host key or login: CLIENT_LINK_REFUSED); the state
 * goes to dir's status file.  Opens its own copy and outbox.
 */
void	 syncer_loop(const struct link_opts *o, struct link *l, int hello,
	     const char *dir, pid_t ppid) __attribute__((noreturn));

/*
 * The state of the link, as the syncer (a process of its own) writes it
 * into CACHEDIR/status for the screens' header to read: online,
 * connecting, or offline since a time; when the last round ended.
 */
enum client_link { CLIENT_LINK_ONLINE, CLIENT_LINK_CONNECTING,
	CLIENT_LINK_REFUSED, CLIENT_LINK_OFFLINE };
void	 client_status_write(const char *dir, enum client_link,
	     int64_t since, int64_t last_sync);
/* 0 with the three values, or -1 when there is no status (yet). */
int	 client_status_read(const char *dir, enum client_link *,
	     int64_t *since, int64_t *last_sync);

/*
 * The shared screens over the copy of sl in dir, as login, on this
 * process's terminal (ui-host.c): writes go to the outbox, the header
 * shows the link (offline: never connecting) and the outbox.  Returns
 * the process's exit status; 1 when the copy holds no such account.
 */
int	 client_ui_run(struct sync_local *sl, const char *dir,
	     const char *login, int offline, int cs);
/*
 * For a digest's reading, before client_ui_run(): after every write the
 * outbox takes (kind: its request_type() name) and every change the
 * outbox screen makes (kind NULL), fn(sl, kind, arg, &cause) keeps it
 * (reader.c: the reply packet) before the screen says it went; its -1
 * (with *cause, which the screens free) makes the write fail, to be
 * sent again.  Without it (her cache) nothing more is done.
 */
typedef int (*client_ui_keep_fn)(struct sync_local *, const char *kind,
	     void *arg, char **cause);
void	 client_ui_keep(client_ui_keep_fn fn, void *arg);

/*
 * Run child(arg) in a new process on a local pty in UTF-8 and pump the
 * bytes between it and this process's terminal, converted to and from
 * cs (enum charset) as partad's pump does (term.c), until the child
 * ends; the terminal's modes are given back.  Returns the child's exit
 * status.  No SQLite connection may be open across the call.
 */
int	 term_run(int cs, int (*child)(void *), void *arg);
/* The signal (SIGHUP, SIGTERM, SIGINT) that ended term_run() early, or
 * 0 when the screens ended by themselves. */
int	 term_signal(void);

/* From now on log lines go to dir's parta.log, not to the terminal the
 * screens draw on. */
void	 term_log_to(const char *dir);

/* ---- transfer.c: library files, in the syncer --------------------- */

/*
 * After a round over l: every upload of the outbox (its bytes from where
 * the server holds them, then its item's PUSH) and every fetch she asked
 * for (into dir/files/<sha>, resumed from the bytes already there,
 * verified whole before it takes its name).  Refusals and failures are
 * noted in the outbox for the screens.  0, or -1 with *cause when the
 * link failed (what came and went is kept: the next round goes on).
 */
int	 transfer_run(struct link *, struct sync_local *, const char *dir,
	     int timeout_ms, struct syncer_stats *, char **cause);
/*
 * In the screens: copy the file at path into dir/uploads/ (hashing it)
 * and queue r (a library-file request; r->file is set meanwhile) with it
 * in the outbox.  0, or a PERR code with *cause (caller frees).
 */
struct request;
int	 transfer_queue(struct sync_local *, const char *dir, const char *path,
	     struct request *r, char **cause);

/* How far a file (way 'd' down, 'u' up) or a pull ('s', total 0: not
 * known) has come, as the syncer writes it for the header. */
struct transfer_progress {
	char		 way;
	int64_t		 done, total;
	int64_t		 started;	/* when it (re)started, and from */
	int64_t		 from;
};
void	 transfer_progress_write(const char *dir, char way, int64_t done,
	     int64_t total, int64_t started, int64_t from);
void	 transfer_progress_clear(const char *dir);
/* While on is set, each progress write is also shown on the terminal's
 * line (the first fetch, before the screens). */
void	 transfer_progress_echo(int on);
/* 0 with *p while something moves (written in the last minute), or -1. */
int	 transfer_progress_read(const char *dir, struct transfer_progress *p);

/* ---- ui-files.c: library files in the screens ---------------------- */

struct ui;
struct lib_item;
struct ui_card_key;
/* What the file rows of the screens work with: the host's arg. */
struct client_files {
	struct sync_local	*sl;
	const char		*dir;		/* the cache directory */
	const char		*upload;	/* the file being described */
	int			(*linked)(struct ui *);	/* online now */
};
/* The library card's rows (fetch, open, save a copy) into *n. */
const struct ui_card_key *client_files_card(size_t *n);
/* The card's foot: where the file of it is. */
void	 client_files_foot(struct ui *, const struct lib_item *it, int y);
/* The library menu's row: name a file of hers, describe it, and it
 * waits in the outbox.  Returns 0 (the menu goes on). */
int	 client_files_upload(struct ui *);
/* The apply hook's part for library-file (the file being described):
 * 0 or a PERR code with *cause (caller frees). */
int	 client_files_queue(struct ui *, struct request *r, char **cause);
/* The header's progress of what moves now into buf: 0, or -1 when
 * nothing does. */
int	 client_files_progress(const char *dir, char *buf, size_t len);

/* ---- reader.c: parta --digest ------------------------------------ */

/*
 * Read the digest at path with the screens, no network; replies go to
 * the packet reply (NULL: reader_reply_path()).  The exit status.
 */
int	 reader_run(const char *path, const char *reply, int cs);
/* Where a digest's replies go by default: FILE.reply beside it, or in
 * $HOME when its directory cannot be written.  Caller frees. */
char	*reader_reply_path(const char *digest);
/* Queue the items of reply packet path into the outbox sl of login's
 * copy (a packet of another's is refused), for the next sync: the exit
 * status, after a message. */
int	 reader_replies(struct sync_local *sl, const char *login,
	     const char *path);
/* Write the digest of login's local copy sl (the last days days; 0:
 * all) to path, with no network: the exit status, after a message. */
int	 reader_make(struct sync_local *sl, const char *login, long days,
	     const char *path);

#endif
