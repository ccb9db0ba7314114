/*
 * report.h: the sysop's activity report: what the community did over the
 * last days, counted from the store.  Logins are known only as each
 * account's last one, so a report always ends now.
 */
#ifndef PARTA_REPORT_H
#define PARTA_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct store;

#define REPORT_TOP	10	/* most active authors listed */

struct report_board {
	char	*name;
	char	*title;
	int64_t	 posts;		/* in the period */
	int64_t	 threads;	/* that these posts are in */
};

struct report_author {
	char	*login;
	char	*name;
	int64_t	 posts;
};

struct report {
	int64_t	 since;		/* the period is [since, now] */
	/* Accounts, now and in the period. */
	int64_t	 accounts;	/* able to log in: not pending, not banned */
	int64_t	 visitors;	/* of them, logged in during the period */
	int64_t	 new_accounts;	/* registered or added in the period */
	int64_t	 pending;	/* waiting for approval now */
	/* What was written in the period. */
	int64_t	 posts;
	int64_t	 threads;	/* new ones */
	int64_t	 hidden;	/* posts hidden by moderators */
	int64_t	 letters;
	int64_t	 news;
	int64_t	 lib_items;	/* new library items */
	int64_t	 lib_pending;	/* items waiting for approval now */
	struct report_board *boards;	/* with posts, the busiest first */
	size_t	 nboards;
	struct report_author *authors;	/* up to REPORT_TOP, most posts first */
	size_t	 nauthors;
};

/* Count what happened since the Unix time since: 0 with *out (free with
 * report_free), or PERR_DB. */
int	 report_make(struct store *, int64_t since, struct report **out);
void	 report_free(struct report *);

#endif
