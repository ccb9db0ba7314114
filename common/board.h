/*
 * board.h: subject boards.  The sysop creates, edits, orders and removes
 * them and names their coordinators; who may read and who may post is a
 * role per board (a board "read-only for teachers" has post role
 * coordinator).  A board's coordinators, and the sysop, moderate it.
 * Threads and posts are post.h's; the visibility rules they share live
 * in board-sql.h.
 */
#ifndef PARTA_BOARD_H
#define PARTA_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct store;
struct user;

#define BOARD_TITLE_MAX	80
#define BOARD_DESC_MAX	500

struct board {
	int64_t	 id;
	char	 uuid[37];
	char	*name;		/* short ASCII tag: "math" */
	char	*title;		/* "Математика" */
	char	*description;
	int	 position;
	char	*read_role;
	char	*post_role;
	int	 premoderated;
	int64_t	 threads;	/* counts, for listings */
	int64_t	 posts;
	int64_t	 unread;	/* board_list_for() only: posts new to the reader */
	int64_t	 polls_waiting;	/* open polls the reader has not voted in */
	int	 may_post;	/* board_list_for()/board_get_for() only */
	int	 is_mod;
	int	 may_read;	/* board_get_for() only */
	int64_t	 replies;	/* board_list_for() only: threads she wrote
				 * in with posts new to her */
};

/* The open polls on boards u may read that u has not voted in: a
 * count, or a negative PERR code. */
int	 board_polls_waiting(struct store *, const struct user *u);
/* The threads u wrote in, on boards u may read, with posts new to u: a
 * count, or a negative PERR code. */
int	 board_replies_waiting(struct store *, const struct user *u);

/* Check a board's short name: 0 or PERR_BOARD_NAME. */
int	 board_check_name(const char *name);

/* Create a board at the end of the list.  0, PERR_EXISTS or a PERR
 * code for a bad name or title. */
int	 board_add(struct store *, const char *name, const char *title,
	     const char *description, const char *actor);

/*
 * Change one field of board name: "title", "description", "order" (a
 * number: the position in the list), "read" and "post" (a role),
 * "premoderated" (yes/no).  0, PERR_NOTFOUND, PERR_BOARD_FIELD or the
 * value's PERR code.  Audited.
 */
int	 board_edit(struct store *, const char *name, const char *field,
	     const char *value, const char *actor);

/* Remove an empty board: 0, PERR_NOTFOUND, PERR_BOARD_BUSY (threads) or
 * PERR_EVENT_COMING (events not cancelled, not begun). */
int	 board_remove(struct store *, const char *name, const char *actor);

/* Make login a coordinator of board name (on) or no longer (!on).
 * 0, PERR_NOTFOUND (board) or PERR_NO_USER. */
int	 board_coordinator(struct store *, const char *name, const char *login,
	     int on, const char *actor);

/* Logins of the coordinators of board id, comma-separated; caller frees. */
char	*board_coordinators(struct store *, int64_t board_id);

/* All boards in display order.  Free with board_list_free. */
int	 board_list(struct store *, struct board **out, size_t *n);
/* The boards u may read, with counts of what u sees and of what is new
 * to u.  Free with board_list_free. */
int	 board_list_for(struct store *, const struct user *u,
	     struct board **out, size_t *n);
void	 board_list_free(struct board *, size_t n);

/*
 * Board name (by name, or by id when name is NULL) as u sees it: 0 and
 * *out (free with board_free), PERR_NOTFOUND, or PERR_NO_READ when u may
 * not read it.  u NULL: the console, which sees everything.
 */
int	 board_get_for(struct store *, const struct user *u, const char *name,
	     int64_t id, struct board **out);
void	 board_free(struct board *);

/* Mark every post of board id read for u ("mark board read"). */
int	 board_mark_read(struct store *, const struct user *u, int64_t id);

/* Bind :uid and :role of stmt to reader u (NULL: the console, who is
 * treated as the sysop); nothing when stmt is NULL. */
void	 board_bind_reader(sqlite3_stmt *, const struct user *u);

#endif
