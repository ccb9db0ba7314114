/*
 * share.h: boards shared with other districts through INN, on the
 * store's side (the gateway, bbs/parta-news.c, does the NNTP).
 *
 * A shared board has a newsgroup.  Its posts made after it was shared
 * leave as articles (share_outgoing(), then share_sent()); posts from
 * other districts arrive as requests (REQ_ARTICLE, applied by
 * share_post_foreign()), stored with the author as text
 * ("login@district", her name), never as a user of this server.  A post
 * of ours hidden here sends a cancel once (share_cancels(),
 * share_cancel_sent()); a cancel from another district hides one of its
 * own posts, never another's (share_cancel_foreign()).
 */
#ifndef PARTA_SHARE_H
#define PARTA_SHARE_H

#include <stddef.h>
#include <stdint.h>

struct store;

#define SHARE_GROUP_MAX	128

/* A shared board. */
struct share {
	int64_t	 board_id;
	char	 board_uuid[37];
	char	*board;		/* its name */
	char	*newsgroup;
};

/* A post of ours to send, or a cancel to send for one. */
struct share_post {
	int64_t	 id;
	char	 uuid[37];
	char	*newsgroup;
	char	*login, *name;	/* the author */
	char	*subject;	/* a reply's: "Re: " and the thread's */
	char	*body;
	int64_t	 created_at;
	char	*thread_ref;	/* the first post's Message-ID; "" for it */
	char	*parent_ref;	/* the post answered; "" if none or first */
	char	*message_id;	/* share_cancels(): the post's */
};

/* 0 when s is a newsgroup name parta shares under (lower-case
 * components of a-z 0-9 + - _ joined by dots, at least two, not
 * control.* or junk), else PERR_BOARD_NAME. */
int	 share_check_group(const char *s);

/*
 * Share board_id under newsgroup, or no longer (newsgroup NULL or ""):
 * 0, PERR_NOTFOUND, PERR_BOARD_NAME (a bad name), PERR_EXISTS (the
 * group is another board's).  Posts made before it was shared stay
 * here.  Audited as actor.
 */
int	 share_set(struct store *, int64_t board_id, const char *newsgroup,
	     const char *actor);

/* The shared boards, by newsgroup: free with share_list_free(). */
int	 share_list(struct store *, struct share **, size_t *);
void	 share_list_free(struct share *, size_t);

/* The board shared as newsgroup: 0 and its UUID, or PERR_NOTFOUND. */
int	 share_board_of(struct store *, const char *newsgroup, char uuid[37]);

/*
 * At most limit posts of ours to send, oldest first: on shared boards,
 * made after the board was shared, shown (not hidden, approved), not
 * yet sent.  ident is this server's (for the references of our own
 * posts).  Free with share_posts_free().
 */
int	 share_outgoing(struct store *, const char *ident, size_t limit,
	     struct share_post **, size_t *);
/* Post id left as message_id: it is not offered again. */
int	 share_sent(struct store *, int64_t post_id, const char *message_id);
/* At most limit posts of ours sent and hidden since, whose cancel is
 * not sent yet; then share_cancel_sent() for each sent. */
int	 share_cancels(struct store *, size_t limit, struct share_post **,
	     size_t *);
int	 share_cancel_sent(struct store *, int64_t post_id);
void	 share_posts_free(struct share_post *, size_t);

/* The gateway's cursor in newsgroup on the district's INN (0 at
 * first), and its update, which never moves it back. */
int	 share_cursor(struct store *, const char *newsgroup, int64_t *last);
int	 share_cursor_set(struct store *, const char *newsgroup, int64_t last);
/* As share_cursor_set(), but it may move back (INN renumbered). */
int	 share_cursor_reset(struct store *, const char *newsgroup,
	     int64_t last);

/*
 * The thread an article answers: the last of refs (Message-IDs) that
 * names a post here on board_id gives the thread's UUID and the post's.
 * 0 with both "" when none does (a new thread), or PERR_DB.
 */
int	 share_thread_of(struct store *, int64_t board_id,
	     const char *const *refs, size_t nrefs, char thread[37],
	     char post[37]);

/* What share_post_foreign() is given; strings borrowed. */
struct share_foreign {
	const char	*uuid;		/* the post's, from its Message-ID */
	const char	*message_id;
	const char	*origin;	/* its district */
	const char	*login, *name;
	const char	*subject, *body;
	int64_t		 when;
};

/*
 * Store a post from another district on shared board_id: a new thread
 * (thread_id 0) or a reply in thread_id to reply_to (0: to none), hidden
 * at once if its district's cancel came first (share_cancel_early()).  0 and
 * *post_id, PERR_NOTFOUND (the board is not shared), PERR_EXISTS (its
 * UUID or Message-ID is here already), or a text PERR code.
 */
int	 share_post_foreign(struct store *, int64_t board_id,
	     int64_t thread_id, int64_t reply_to, const struct share_foreign *,
	     int64_t *post_id);

/*
 * A cancel from district origin for the post of uuid, which is not here
 * (yet): kept, so that the post, if it comes, is stored hidden.  0 or
 * PERR_DB.
 */
int	 share_cancel_early(struct store *, const char *uuid,
	     const char *origin);

/*
 * A cancel from district origin for post_id: hidden when the post came
 * from origin (0; 0 too when it was hidden already), PERR_REQ_DENIED
 * when it is ours or another district's, PERR_NOTFOUND.
 */
int	 share_cancel_foreign(struct store *, int64_t post_id,
	     const char *origin);

#endif
