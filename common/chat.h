/*
 * chat.h: chat rooms and their lines.  Every board has a room (made with
 * the board, by a trigger), which its readers may enter and its
 * coordinators moderate; the sysop opens and closes rooms of her own,
 * open to every member.  A line is one sentence typed by a member, kept
 * for the last days (config chat_history_days: chat_prune()) and shown
 * to whoever enters the room; a coordinator of the board (or the sysop)
 * may hide one, and it is gone for everyone else.
 */
#ifndef PARTA_CHAT_H
#define PARTA_CHAT_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct user;

#define CHAT_LINE_MAX		400	/* characters of one line */
#define CHAT_NAME_MAX		32	/* of a room the sysop opens */
/* The flood limit: at most CHAT_BURST lines of one user in one room
 * within CHAT_BURST_SECS seconds. */
#define CHAT_BURST		5
#define CHAT_BURST_SECS		10

struct chat_room {
	int64_t	 id;
	char	 uuid[37];
	char	*name;		/* the board's name, or the sysop's */
	char	*title;		/* the board's title, or the name */
	int64_t	 board_id;	/* 0: a room the sysop opened */
	int64_t	 closed_at;	/* 0: open */
	int	 is_mod;	/* the reader may hide its lines */
	int64_t	 lines;		/* lines kept */
	int	 may_read;	/* the reader may enter (the console: 1) */
};

struct chat_line {
	int64_t	 id;
	char	 uuid[37];
	int64_t	 author_id;
	char	*author;	/* display name ("" when gone) */
	char	*body;
	int64_t	 at;
	int64_t	 hidden_at;	/* 0: shown */
};

/*
 * The open rooms u may enter (u NULL: the console, every room, closed
 * ones too): the sysop's first, by name, then the boards' in the board
 * list's order.  0 or PERR_DB; free with chat_rooms_free().
 */
int	 chat_rooms(struct store *, const struct user *u,
	     struct chat_room **out, size_t *n);
void	 chat_rooms_free(struct chat_room *, size_t n);

/* Room id as u sees it into a new *out (free with chat_rooms_free(1)):
 * 0, PERR_NOTFOUND (none, or closed), PERR_NO_READ (a board she may not
 * read). */
int	 chat_room_get(struct store *, const struct user *u, int64_t id,
	     struct chat_room **out);

/*
 * u says body in room_id: 0 and *id (may be NULL) the new line;
 * PERR_REQ_DENIED for an account that is not active, PERR_NOTFOUND,
 * PERR_NO_READ, a text code (one line, no control characters or escape
 * sequences, at most CHAT_LINE_MAX characters, not empty) or
 * PERR_CHAT_FLOOD.  Checked inside the transaction that writes.
 */
int	 chat_say(struct store *, const struct user *u, int64_t room_id,
	     const char *body, int64_t *id);

/* Hide line_id as u (NULL: the console), audited as actor: 0,
 * PERR_NOTFOUND, PERR_NOT_MOD (not a coordinator of its board, nor the
 * sysop), PERR_NOT_HIDDEN never (hiding twice changes nothing). */
int	 chat_hide(struct store *, const struct user *u, const char *actor,
	     int64_t line_id);

/*
 * The shown lines of room_id after line after_id and not older than
 * since (unix time), the newest limit of them, oldest first.  0 or
 * PERR_DB; free with chat_lines_free().
 */
int	 chat_lines(struct store *, int64_t room_id, int64_t after_id,
	     int64_t since, size_t limit, struct chat_line **out, size_t *n);
void	 chat_lines_free(struct chat_line *, size_t n);

/* The lines of room_id from line from_id on hidden at or after since,
 * the newest limit of them (ids into out): for a screen that shows the
 * lines from from_id, to take away.  Reads those lines only (the index
 * chat_lines(room_id, id)). */
int	 chat_hidden_since(struct store *, int64_t room_id, int64_t since,
	     int64_t from_id, int64_t *out, size_t limit, size_t *n);

/* Delete the lines older than days days, at most 500 at a time; *n (may
 * be NULL) how many.  0 or PERR_DB. */
int	 chat_prune(struct store *, int days, int *n);

/*
 * The console's: open a room name (CHAT_NAME_MAX ASCII letters, digits,
 * '-', '_', '.'; *id may be NULL), close room name (its lines stay until
 * pruned).  0, PERR_BOARD_NAME, PERR_EXISTS (an open room of that
 * name), PERR_NOTFOUND.  A board's room opens and closes with its
 * board.
 */
int	 chat_open(struct store *, const char *actor, const char *name,
	     int64_t *id);
int	 chat_close(struct store *, const char *actor, int64_t room_id);

/* The open room of the sysop's called name into *id: 0, PERR_NOTFOUND. */
int	 chat_room_named(struct store *, const char *name, int64_t *id);

#endif
