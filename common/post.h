/*
 * post.h: threads and posts on the boards, read pointers and moderation.
 *
 * Every function that reads takes the reader (struct user, or NULL for
 * the console) and shows only what that reader may see (board-sql.h):
 * boards the role may read, threads not hidden and, on a premoderated
 * board, approved (or the reader's own, or the reader moderates), posts
 * not hidden.  A hidden post or thread stays visible, as a placeholder
 * saying why (hidden_at, hide_reason), to its author and to the board's
 * moderators, so that they know and can undo it; nobody can reply to a
 * hidden thread.  A thread of thousands of posts is walked one post at a
 * time by post id (keyset), never loaded whole.
 *
 * posts.subject and posts.body hold the searchable text; hidden posts
 * and threads are marked by posts.hidden_at and threads.hidden_at.
 */
#ifndef PARTA_POST_H
#define PARTA_POST_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct user;

#define POST_SUBJECT_MAX	120		/* characters */
#define POST_BODY_MAX		(64 * 1024)	/* bytes of UTF-8 */
#define POST_REASON_MAX		500

struct thread {
	int64_t	 id;
	char	 uuid[37];
	int64_t	 board_id;
	char	*subject;
	char	*author;	/* login, "" when the account is gone */
	char	*author_name;	/* display name, "" when the account is gone */
	int64_t	 author_id;
	int64_t	 created_at, last_post_at;
	int	 pinned, locked, approved;
	int64_t	 hidden_at;
	char	*hide_reason;	/* "" unless hidden */
	int64_t	 posts;		/* shown to the reader */
	int64_t	 unread;	/* new to the reader */
	int	 is_mod;	/* the reader moderates its board */
	int	 may_post;	/* the reader may post on its board */
	int	 followed;	/* the reader follows it (SQL_THREAD_FOLLOWED) */
	int	 listed;	/* post_thread_get() only: the reader may see it */
};

struct post {
	int64_t	 id;
	char	 uuid[37];
	int64_t	 thread_id;
	int64_t	 author_id;
	char	*author;	/* login */
	char	*author_name;	/* display name */
	char	*subject;
	char	*body;
	int64_t	 created_at, edited_at;
	int64_t	 hidden_at;	/* 0 unless hidden (then only its author
				   and the moderators see it) */
	char	*hide_reason;	/* "" unless hidden */
	int64_t	 index;		/* 1-based position among shown posts */
	int64_t	 total;		/* shown posts in the thread */
	int	 unread;
};

/*
 * Validate a subject (required, one line) and a body (required, at most
 * POST_BODY_MAX bytes): 0 or PERR_EMPTY, PERR_TOOLONG, PERR_POST_SIZE,
 * PERR_CONTROL, PERR_UTF8, PERR_MULTILINE.
 */
int	 post_check_subject(const char *);
int	 post_check_body(const char *);
/*
 * A subject (trimmed; NULL: none) and a body checked as above, into new
 * NFC copies *s (NULL when subject is) and *b, which the caller frees.
 * 0 or the check's PERR code; both NULL on failure.  Posts, letters and
 * news take their texts this way.
 */
int	 post_texts(const char *subject, const char *body, char **s,
	     char **b);

/*
 * Start a thread on board_id as u (NULL: only from the console, with
 * author_id given).  The subject and body are validated and stored NFC.
 * On a premoderated board the thread waits for a coordinator unless u
 * moderates it.  0 and *thread_id, *post_id (either may be NULL), or
 * PERR_NO_READ, PERR_NO_POST, or a text PERR code.
 */
int	 post_thread_new(struct store *, const struct user *u, int64_t author_id,
	     int64_t board_id, const char *subject, const char *body,
	     int64_t *thread_id, int64_t *post_id);

/*
 * Reply to thread_id as u (reply_to: the post answered, or 0).  0 and
 * *post_id, PERR_HIDDEN (the thread is hidden or gone), PERR_LOCKED
 * (locked, and u does not moderate), PERR_NO_POST, or a text PERR code.
 */
int	 post_reply(struct store *, const struct user *u, int64_t thread_id,
	     int64_t reply_to, const char *body, int64_t *post_id);

/* The threads of board_id u sees: pinned first, then newest activity.
 * Free with post_threads_free. */
int	 post_threads(struct store *, const struct user *u, int64_t board_id,
	     struct thread **out, size_t *n);
void	 post_threads_free(struct thread *, size_t n);

/* One thread as u sees it: 0 and *out (free with post_thread_free),
 * PERR_HIDDEN when hidden, PERR_NOTFOUND when u may not see it. */
int	 post_thread_get(struct store *, const struct user *u, int64_t id,
	     struct thread **out);
void	 post_thread_free(struct thread *);

/*
 * The post of thread_id nearest to post_id that u sees, in direction dir:
 * 0 the post itself or else the first after it, 1 the first after it,
 * -1 the last before it.  post_id 0 with dir 0 is the first post,
 * INT64_MAX with dir -1 the last.  0 and *out (free with post_free), or
 * PERR_NOTFOUND when there is none that way.
 */
int	 post_get(struct store *, const struct user *u, int64_t thread_id,
	     int64_t post_id, int dir, struct post **out);
void	 post_free(struct post *);

/* The first post of thread_id new to u, or 0 in *post_id. */
int	 post_first_unread(struct store *, const struct user *u,
	     int64_t thread_id, int64_t *post_id);

/* The next post new to u across all boards, in board order, then thread,
 * then post: 0 with *thread_id and *post_id, or 0 with both 0 when
 * nothing is new. */
int	 post_next_unread(struct store *, const struct user *u,
	     int64_t *thread_id, int64_t *post_id);

/* u has read thread_id up to post_id (the pointer only moves forward). */
int	 post_mark_read(struct store *, const struct user *u, int64_t thread_id,
	     int64_t post_id);
/* u follows thread_id (on 1) or not (on 0), whether she wrote in it or
 * not: her choice overrides what her posts say.  0, PERR_NOTFOUND (or
 * PERR_HIDDEN) for a thread she may not see, PERR_DB. */
int	 post_follow(struct store *, const struct user *u, int64_t thread_id,
	     int on);

/*
 * Moderation.  u is the moderator (NULL: the console, allowed always),
 * actor the name for the audit log.  Each returns 0, PERR_NOT_MOD,
 * PERR_NOTFOUND, or a PERR code for bad text.
 *
 * post_hide: hide post_id with a reason (kept in the audit log and with
 * the post); hiding a thread's first post hides the thread.  Then its
 * author (unless she hid it herself) gets a letter from u saying what
 * was hidden, where and why; a letter that cannot be sent is logged and
 * does not undo the hiding.
 *
 * post_unhide: show post_id again (and its thread, if it is the first
 * post), audited as hiding is; PERR_NOT_HIDDEN if it is not hidden.
 */
int	 post_hide(struct store *, const struct user *u, const char *actor,
	     int64_t post_id, const char *reason);
int	 post_unhide(struct store *, const struct user *u, const char *actor,
	     int64_t post_id);
enum post_flag { POST_PIN, POST_LOCK, POST_APPROVE };
int	 post_thread_flag(struct store *, const struct user *u,
	     const char *actor, int64_t thread_id, enum post_flag, int on);
/* Move a thread to board to_board (u must moderate both). */
int	 post_thread_move(struct store *, const struct user *u,
	     const char *actor, int64_t thread_id, int64_t to_board);
/* Retitle a post; for a thread's first post the thread's subject too. */
int	 post_set_subject(struct store *, const struct user *u,
	     const char *actor, int64_t post_id, const char *subject);

/*
 * The author's own changes, allowed to u alone on her own shown post in
 * a shown thread for window minutes after posting (config edit_window;
 * 0: never), checked in the writing transaction.  Each returns 0,
 * PERR_EDIT_LATE (not hers, hidden, gone or too late: "you may
 * no longer change this post"), or a PERR code.
 *
 * post_edit: replace the body (validated as a reply's); the post is then
 * marked edited (edited_at).  The search index follows.
 *
 * post_delete: remove the post; a thread's first post removes the
 * thread, unless it has replies: then the post stays, its body empty and
 * edited_at set (the UI shows "deleted by its author"), and *kept (if
 * not NULL) is 1.  Replies that answered the post no longer point to it.
 */
int	 post_edit(struct store *, const struct user *u, int64_t post_id,
	     const char *body, int window);
int	 post_delete(struct store *, const struct user *u, int64_t post_id,
	     int window, int *kept);

/*
 * The body of a reply quoting p: "login wrote on DATE:" and p's lines
 * marked "> ", rewrapped to width columns.  Caller frees.
 */
char	*post_quote(const char *author, int64_t when, const char *body,
	     int width);

#endif
