/*
 * online.h: who is connected now.  Each session process keeps one row,
 * keyed by its pid; rows of processes that died without cleaning up are
 * skipped (the pid is gone) and purged.
 */
#ifndef PARTA_ONLINE_H
#define PARTA_ONLINE_H

#include <stdint.h>
#include <sys/types.h>

struct store;

struct online {
	pid_t	 pid;
	char	*login;		/* "" while registering */
	char	*display_name;
	char	*addr;
	int64_t	 started_at;
	char	*doing;
};

/* Insert or replace this process's row.  user_id 0 for a guest. */
int	 online_enter(struct store *, pid_t, int64_t user_id, const char *addr);
int	 online_doing(struct store *, pid_t, const char *what);
int	 online_leave(struct store *, pid_t);

/* Send sig to each live session of user_id (parta-sysop kick); pids of
 * stale rows that are no partad process now are skipped.  The number
 * signalled, or PERR_DB; *denied counts the sessions this process may
 * not signal (it runs as another user). */
int	 online_signal(struct store *, int64_t user_id, int sig, int *denied);

/* Live sessions by display name in Russian order (guests first), then
 * oldest first; logged-in users only unless guests is set.
 * Free with online_list_free. */
int	 online_list(struct store *, int guests, struct online **out, size_t *n);
void	 online_list_free(struct online *, size_t n);

#endif
