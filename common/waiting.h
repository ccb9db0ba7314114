/*
 * waiting.h: what waits for the sysop, a coordinator or an expert: new
 * registrations (the sysop), threads awaiting approval on the boards one
 * moderates, library items awaiting approval (experts, coordinators,
 * the sysop).  Shown at login and from the main menu (bbs/ui-waiting.c).
 */
#ifndef PARTA_WAITING_H
#define PARTA_WAITING_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct user;

struct waiting {
	int64_t	 registrations;	/* awaiting approval; 0 unless the sysop */
	int64_t	 threads;	/* awaiting approval on u's boards */
	int64_t	 library;	/* items awaiting approval, if u approves */
};

/* Count what waits for u: 0 with *w filled, or PERR_DB. */
int	 waiting_count(struct store *, const struct user *u, struct waiting *w);

struct waiting_thread {
	int64_t	 id;
	char	*board;		/* title */
	char	*subject;
	char	*author;	/* login, "" when gone */
	int64_t	 created_at;
};

/* The threads awaiting u's approval, oldest first: 0 with *out and *n
 * (free with waiting_threads_free), or PERR_DB. */
int	 waiting_threads(struct store *, const struct user *u,
	     struct waiting_thread **out, size_t *n);
void	 waiting_threads_free(struct waiting_thread *, size_t n);

#endif
