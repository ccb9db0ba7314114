/*
 * online.h: who is connected now.  Each session process keeps one row,
 * keyed by its pid; rows of processes that died without cleaning up are
 * skipped (the pid is gone) and purged.  The rows live in STORE-online
 * beside the store, not in it (online.c says why); each function
 * attaches it to the store's connection on first use, so none may be
 * called inside a transaction of the store.
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

/* Empty the table (partad, when it starts: every row is of a process
 * gone), making STORE-online if missing.  0 or PERR_DB. */
int	 online_reset(struct store *);

/* Insert or replace this process's row.  user_id 0 for a guest.  The
 * list's order takes the display name as it is now. */
int	 online_enter(struct store *, pid_t, int64_t user_id, const char *addr);
int	 online_doing(struct store *, pid_t, const char *what);
int	 online_leave(struct store *, pid_t);

/* Send sig to each live session of user_id (parta-sysop kick); pids of
 * stale rows that are no partad process now are skipped.  0 or PERR_DB;
 * *signalled counts the sessions signalled, *denied those this process
 * may not signal (it runs as another user), both set even on failure. */
int	 online_signal(struct store *, int64_t user_id, int sig,
	     int *signalled, int *denied);

/* Live sessions by display name in Russian order (guests first), then
 * oldest first; logged-in users only unless guests is set.
 * Free with online_list_free. */
int	 online_list(struct store *, int guests, struct online **out, size_t *n);
/* The same list from row offset on, at most limit rows (0: all): what
 * one screen shows.  Rows of dead sessions are left out, so a page may
 * be short.  online_count: the rows of the list (dead ones included
 * until a page meets them).  0 or PERR_DB. */
int	 online_page(struct store *, int guests, size_t offset, size_t limit,
	     struct online **out, size_t *n);
int	 online_count(struct store *, int guests, size_t *n);
/* The logged-in sessions doing exactly doing (a chat room's "chat:ID"),
 * at most limit (0: all), in the list's order.  0 or PERR_DB. */
int	 online_in(struct store *, const char *doing, size_t limit,
	     struct online **out, size_t *n);
void	 online_list_free(struct online *, size_t n);

#endif
