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

/* Write out: sends bytes to the client; returns 0 or -1. */
typedef int (*sftpd_write_fn)(const char *buf, size_t len, void *arg);

/* Who the child serves and where it finds its store and messages. */
struct sftpd_params {
	int64_t		 user_id;
	const char	*login;
	const char	*store_path;
	const char	*localedir;
	int		 close_fd;	/* the SSH socket, closed in the child */
};

/*
 * Fork the SFTP child for p.  *st is the session's store connection: it
 * is closed before the fork and opened again after, since a connection
 * must not cross a fork.  out() sends the child's replies to the client;
 * the relay watches its socket in event.  NULL if the child could not
 * start (logged).  Free with sftpd_free().
 */
struct sftpd	*sftpd_start(const struct sftpd_params *p, struct store **st,
		     ssh_event event, sftpd_write_fn out, void *arg);
void		 sftpd_free(struct sftpd *);

/* Bytes from the client for the child; queued if it is busy.  0, or -1
 * when the child is gone. */
int		 sftpd_input(struct sftpd *, const void *data, size_t len);
/* The client sent EOF or closed the channel: the child ends. */
void		 sftpd_eof(struct sftpd *);
void		 sftpd_signal(struct sftpd *, int sig);
/* 1 once the child has exited and its last reply went out. */
int		 sftpd_finished(struct sftpd *, int *status);

#endif
