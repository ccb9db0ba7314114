/*
 * changes.h: what changed in the store that a user may see, the one
 * question the sync server and the digest exporter ask of the change
 * log (store-schema.c fills it by triggers, so no write path can forget).
 *
 * Each change names one row by entity and uuid, says what happened to it
 * (op) and where it lives (board_id, user_id).  The client fetches the
 * row as it is now (or, for a delete, drops it); a change says nothing of
 * the row's columns.  The entities, and what their uuid names:
 *
 *   board            the board
 *   coordinator      the user who coordinates board_id (delete: no more)
 *   thread, post     the thread, the post (board_id: its board)
 *   thread_read      the reader's pointer in this thread (board_id)
 *   board_read       the reader's "read up to here" of this board
 *   news, news_read  the item; the reader's pointer (uuid: the reader)
 *   mail             a letter in one of the user's boxes
 *   mail_box         the user's box row (folder, read, deleted) of a letter
 *   poll, poll_option  the poll (update: also its counts), an option
 *   vote             the user's vote for this option (board_id: the poll's)
 *   library_section, library  a section, an item of the library
 *   user             an account's profile (the user's own: also language
 *                    and encoding); told again, with no change of its
 *                    own, to those whose sight of her page may have
 *                    changed: the readers of board_id when she began or
 *                    stopped sharing it, and she of theirs (page.h)
 *   draft            one of the user's drafts
 *   chat_room        a chat room (board_id: its board; none: the sysop's)
 *   chat_line        a line said in a room (board_id: the room's board)
 *
 * What a change means to the one who receives it:
 *   insert, update   fetch the row and store it, whether or not it is held
 *                    (an update of a row not held is how a row arrives
 *                    that came into sight: an approved thread, an
 *                    unhidden post, a thread moved in, with its posts)
 *   delete           drop the row: it is deleted, or this user may no
 *                    longer see it (a moderator hid it, the board became
 *                    stricter, the thread moved away, she deleted the
 *                    letter).  The two are told alike on purpose, so that
 *                    a hide tells a reader no more than the BBS shows
 *                    her.  Dropping a board drops its threads and polls,
 *                    dropping a thread its posts and read pointer, a poll
 *                    its options and votes, an account its coordinator
 *                    rows (these go unsaid); a letter goes with the last
 *                    of her boxes that shows it.  A delete of a row not
 *                    held changes nothing.
 *
 * Rights are judged as they are now.  A change of the user's own rights
 * (her own "user" row, a "coordinator" row naming her) may bring into
 * sight rows whose changes went by unseen: the caller then sends a fresh
 * snapshot instead of changes.  Only active accounts are to be served.
 */
#ifndef PARTA_CHANGES_H
#define PARTA_CHANGES_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct user;

enum change_op { CHANGE_INSERT, CHANGE_UPDATE, CHANGE_DELETE };

struct change {
	int64_t		 seq;		/* strictly increasing, never reused */
	char		 entity[24];	/* "post", "mail_box", ... (above) */
	char		 uuid[37];
	enum change_op	 op;
	int64_t		 board_id;	/* the board it lives on, or 0 */
	int64_t		 user_id;	/* its owner (the user asking), or 0 */
};

/*
 * The changes after seq since that u may see, oldest first, at most max
 * of them: 0 with *out (free with changes_free(); NULL when *n is 0) and
 * *n, or PERR_DB.  u NULL: the console, which sees what the sysop sees
 * and owns no rows.  One indexed query (changes_plan()).
 *
 * To page, call again with since = the seq of the last change returned;
 * fewer than max changes (0 included) means none newer is visible now,
 * and the cursor stays where the last change put it.  A cursor below
 * changes_floor() is too old to answer: send a snapshot instead.
 */
int	 changes_since(struct store *, const struct user *u, int64_t since,
	     size_t max, struct change **out, size_t *n);
void	 changes_free(struct change *);

/*
 * The lowest cursor the log can still answer (older changes are no
 * longer kept), into *floor; changes_head(): the newest seq, the cursor
 * for a snapshot taken in the same read transaction (store_begin_read()).
 * 0 or PERR_DB.
 */
int	 changes_floor(struct store *, int64_t *floor);
int	 changes_head(struct store *, int64_t *head);

/*
 * The query plan SQLite chooses for changes_since(), one step a line
 * ("SEARCH c USING INDEX changes_user ..."), so a test (or the sysop)
 * can see the change log is not scanned whole.  Caller frees *plan.
 * 0 or PERR_DB.
 */
int	 changes_plan(struct store *, char **plan);

#endif
