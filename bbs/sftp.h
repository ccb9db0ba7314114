/*
 * sftp.h: the "sftp" subsystem: the file library as a tree any SFTP
 * client can use (OpenSSH sftp, WinSCP, FileZilla, PuTTY's psftp, lftp).
 *
 * As OpenSSH does with sftp-server, the protocol (SFTP version 3) is
 * served by a child process; the session process only relays the
 * channel's bytes to and from it over a socket pair.  The child opens its
 * own store connection and knows only the user it serves.  The tree and
 * its rules are library.h's (library_vpath).
 *
 * The prefix is sftpd_ because libssh owns sftp_*.
 */
#ifndef PARTA_SFTP_H
#define PARTA_SFTP_H

#include <stddef.h>
#include <stdint.h>

#include <libssh/libssh.h>

struct store;
struct sftpd;

/* Who the child serves, where it finds its store and messages, and the
 * channel the relay serves. */
struct sftpd_params {
	int64_t		 user_id;
	const char	*login;
	const char	*store_path;
	const char	*localedir;
	ssh_session	 ssh;
	ssh_channel	 chan;
};

/*
 * Fork the SFTP child for p (worker.h).  *st is the session's store
 * connection: it is closed before the fork and opened again after, since
 * a connection must not cross a fork.  The relay watches the child's socket in event
 * and writes the child's replies to p->chan itself.  NULL if the child
 * could not start (logged).  Free with sftpd_free().
 */
struct sftpd	*sftpd_start(const struct sftpd_params *p, struct store **st,
		     ssh_event event);
/* Kill the child if it still runs, wait for it, free.  Accepts NULL. */
void		 sftpd_free(struct sftpd *);

/*
 * For the channel's data callback: data is all libssh holds of the
 * channel.  Returns how many bytes the relay took; libssh keeps the
 * rest, and its window stays closed while it does, until sftpd_relay()
 * takes them.  After the child's end, bytes are taken and dropped.
 */
int		 sftpd_input(struct sftpd *, const void *data, uint32_t len);
/*
 * The relay's work, called by the session's loop after each poll and
 * never from a libssh callback: bytes to the child, replies to the
 * client, as much as each side takes without a wait.  0, or -1 when the
 * session should end: the channel failed or was closed, the client
 * ignored the window, or nothing moved for sftp_idle_timeout (logged).
 */
int		 sftpd_relay(struct sftpd *);
/* The client sent EOF or closed the channel: the child ends. */
void		 sftpd_eof(struct sftpd *);
void		 sftpd_signal(struct sftpd *, int sig);
/* 1 once the child has exited and its last reply went out. */
int		 sftpd_finished(struct sftpd *, int *status);

#endif
