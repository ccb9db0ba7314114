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

struct relay;
struct relay_user;
struct store;

/*
 * Fork the SFTP child for u (worker.h) and relay u->chan to it
 * (relay.h; a relay_start_fn).  *st is the session's store connection:
 * it is closed before the fork and opened again after, since a
 * connection must not cross a fork.  NULL if the child could not start
 * (logged).  Free with relay_free().
 */
struct relay	*sftpd_start(const struct relay_user *u, struct store **st,
		     ssh_event event);

#endif
