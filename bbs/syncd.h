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
struct store;

/* Whom the child serves, where it finds its store and messages, and the
 * channel the relay serves. */
struct syncd_params {
	int64_t		 user_id;
	const char	*login;
	const char	*store_path;
	const char	*localedir;
	ssh_session	 ssh;
	ssh_channel	 chan;
};

/*
 * Fork the sync child for p and relay p->chan to it (relay.h).  *st is
 * the session's store connection, closed before the fork and opened
 * again after.  NULL if the child could not start (logged).  Free with
 * relay_free().
 */
struct relay	*syncd_start(const struct syncd_params *p, struct store **st,
		     ssh_event event);

#endif
