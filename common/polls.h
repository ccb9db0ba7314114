/*
 * polls.h: polls on a board (named so because a common/poll.h would
 * hide the system's <poll.h>).  A coordinator of the board (or the sysop)
 * creates one: a question, 2 to 9 options, a closing date, single or
 * multiple choice.  Each reader of the board votes, and may change her
 * vote until the poll closes; after voting, and for everyone once the
 * poll is closed, the results are shown.
 */
#ifndef PARTA_POLLS_H
#define PARTA_POLLS_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct user;

#define POLL_OPTIONS_MAX	9
#define POLL_TEXT_MAX		200

struct poll_option {
	int64_t	 id;
	char	*text;
	int64_t	 votes;
	int	 mine;		/* the reader chose it */
};

struct poll {
	int64_t		 id;
	int64_t		 board_id;
	char		*question;
	char		*author;
	int		 multiple;
	int64_t		 closes_at;	/* 0: never */
	int64_t		 created_at;
	int		 closed;
	int		 voted;		/* the reader has voted */
	int64_t		 voters;
	struct poll_option *opt;
	size_t		 nopt;
};

/* A day as text_parse_day() reads it (DD.MM.YYYY or YYYY-MM-DD) to the
 * end of that day (local time) in *t: 0, or PERR_DATE when malformed or
 * already past. */
int	 poll_parse_date(const char *s, int64_t *t);

/*
 * Create a poll on board_id as u (NULL: the console).  0 and *id (may be
 * NULL), PERR_NOT_MOD, PERR_POLL_OPTIONS, PERR_DATE or a text PERR code.
 */
int	 poll_add(struct store *, const struct user *u, const char *actor,
	     int64_t board_id, const char *question,
	     const char *const *options, size_t n, int multiple,
	     int64_t closes_at, int64_t *id);

/* The polls of board_id, newest first, with their options and counts.
 * Free with poll_list_free. */
int	 poll_list(struct store *, const struct user *u, int64_t board_id,
	     struct poll **out, size_t *n);
void	 poll_list_free(struct poll *, size_t n);

/* Close poll_id now (it keeps its votes), or remove it with its votes;
 * audited as actor: 0, PERR_NOTFOUND or PERR_DB. */
int	 poll_close(struct store *, int64_t poll_id, const char *actor);
int	 poll_remove(struct store *, int64_t poll_id, const char *actor);

/*
 * Vote in poll_id for the options chosen (n of them; one unless the poll
 * is multiple choice), in place of the user's earlier vote if any.  0,
 * PERR_POLL_CLOSED, PERR_CHOICE, PERR_NO_READ or PERR_NOTFOUND.
 */
int	 poll_vote(struct store *, const struct user *u, int64_t poll_id,
	     const int64_t *options, size_t n);

#endif
