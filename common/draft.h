/*
 * draft.h: unsent texts kept on the server.  The editor saves its text
 * every few seconds, so a dropped link loses at most the last seconds of
 * typing; at the next login the user is offered the draft back.
 * A draft says what it was for, naming its target by UUID: kind "post"
 * (target: the board), "reply" (the thread), "edit" (the post) or
 * "mail" (the recipient).  Its UUID is the request's that will send it
 * (request.h), so a draft sent twice (from two sessions, or again after
 * a lost answer) is applied once.  A user may have any number of them:
 * the editor offers the one for what it opens, "My drafts" lists all.
 */
#ifndef PARTA_DRAFT_H
#define PARTA_DRAFT_H

#include <stddef.h>
#include <stdint.h>

struct store;

#define DRAFT_MAX	(128 * 1024)	/* bytes of subject and body */

struct draft {
	int64_t	 id;
	char	 uuid[37];
	char	*kind;
	char	*target;
	char	*subject;
	char	*body;
	int64_t	 updated_at;
	/* Where it goes, read with it ("" when that is gone): the board's
	 * title (post, reply, edit) or the recipient's login (mail); the
	 * thread's subject (reply, edit) or the recipient's name (mail). */
	char	*place;
	char	*place_sub;
};

/*
 * Save a draft of user_id: a new one with UUID uuid (NULL: a new UUID)
 * when *id is 0 (then *id is set), else overwrite draft *id.  The text
 * is kept as typed, checked only in size (PERR_TOOLONG).  0 or a PERR
 * code (PERR_EXISTS: another draft has that UUID).
 */
int	 draft_save(struct store *, int64_t user_id, int64_t *id,
	     const char *uuid, const char *kind, const char *target,
	     const char *subject, const char *body);

/* The user's most recent draft: 0 and *out (free with draft_free), or
 * PERR_NOTFOUND. */
int	 draft_latest(struct store *, int64_t user_id, struct draft **out);

/* The user's most recent draft of kind for target (the editor opened
 * again for the same thing): 0 and *out (free with draft_free), or
 * PERR_NOTFOUND. */
int	 draft_find(struct store *, int64_t user_id, const char *kind,
	     const char *target, struct draft **out);

/* All the user's drafts, the most recent first: 0 with *out (*n rows,
 * NULL for none; free with draft_list_free), or PERR_DB. */
int	 draft_list(struct store *, int64_t user_id, struct draft **out,
	     size_t *n);
void	 draft_list_free(struct draft *, size_t n);

/* Forget draft id of user_id (sent or given up).  0 or PERR_DB. */
int	 draft_delete(struct store *, int64_t user_id, int64_t id);
void	 draft_free(struct draft *);

#endif
