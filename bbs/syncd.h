/*
 * syncd.h: the "parta-sync" subsystem (man/parta-sync.5), partad's end
 * of the protocol the companion client speaks.
 *
 * As SFTP is, it is served by a channel child (worker.h) with its own
 * store connection, knowing only the user it serves; the session relays
 * the channel's bytes to it (relay.h).  The frames are common/sync-proto's;
 * what changed is common/changes.h's query; every write goes through
 * request_apply() (common/request.h), with the rights, locks and limits
 * the BBS has.  The prefix is syncd_ because the codec owns sync_.
 */
#ifndef PARTA_SYNCD_H
#define PARTA_SYNCD_H

#include <stdint.h>

#include <libssh/libssh.h>

struct relay;
struct relay_user;
struct store;

/*
 * Fork the sync child for u and relay u->chan to it (relay.h; a
 * relay_start_fn).  *st is the session's store connection, closed
 * before the fork and opened again after.  NULL if the child could not
 * start (logged).  Free with relay_free().
 */
struct relay	*syncd_start(const struct relay_user *u, struct store **st,
		     ssh_event event);

#endif
