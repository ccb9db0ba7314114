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

/*
 * The community's growth over a span of days, period by period.  A
 * participant is active in a period if she posted, voted, wrote a letter,
 * put an item into the library or downloaded one; logging in alone is not
 * activity.  A member is an account that was approved and is not banned;
 * she is new in the period of her approval (a rejected or still pending
 * account is no member, so the figures agree with "accounts").
 */
enum report_by { REPORT_WEEK, REPORT_MONTH };

/* What one row counts; REPORT_NA where the row's scope cannot say (a
 * board has no letters, downloads or members of its own). */
#define REPORT_NA	(-1)
struct report_figures {
	int64_t	 active;	/* distinct participants */
	int64_t	 members;	/* at the row's end */
	int64_t	 new_members;
	int64_t	 posts;
	int64_t	 threads;
	int64_t	 letters;
	int64_t	 uploads;	/* library items put in */
	int64_t	 downloads;
};

struct report_row {
	char			*name;	/* period label, board tag or school */
	char			*title;	/* the board's title, else NULL */
	int64_t			 start, end;	/* [start, end) */
	struct report_figures	 f;
};

struct report_query {
	int64_t		 from, to;	/* [from, to), Unix times */
	enum report_by	 by;
	const char	*board;		/* only this board's activity, or NULL */
	const char	*school;	/* only members whose school contains
					   this (folded), or NULL */
};

struct report_series {
	struct report_query	 q;		/* its strings are not kept */
	struct report_row	 total;		/* the whole span */
	struct report_row	*periods;	/* oldest first */
	size_t			 nperiods;
	struct report_row	*boards;	/* over the span, in board order */
	size_t			 nboards;
	struct report_row	*schools;	/* over the span, by name */
	size_t			 nschools;
};

#define REPORT_PERIODS_MAX	1000	/* about 19 years of weeks */

/* Midnight (local time) starting the day s ("YYYY-MM-DD") names: 0 and
 * *t, or PERR_DATE. */
int	 report_parse_day(const char *s, int64_t *t);

/* Count q's span period by period, by board and by school, in one read
 * transaction: 0 with *out (free with report_series_free), PERR_DATE if
 * the span is empty or has more than REPORT_PERIODS_MAX periods,
 * PERR_NOTFOUND if q->board names no board, or PERR_DB. */
int	 report_series_make(struct store *, const struct report_query *q,
	    struct report_series **out);
void	 report_series_free(struct report_series *);

/* Count what happened since the Unix time since: 0 with *out (free with
 * report_free), or PERR_DB. */
int	 report_make(struct store *, int64_t since, struct report **out);
void	 report_free(struct report *);

#endif
