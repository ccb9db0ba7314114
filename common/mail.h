/*
 * mail.h: private letters.  A letter is stored once (mail) and filed in
 * each person's boxes (mail_boxes): the recipient's inbox and the
 * sender's sent folder; reading, marking unread and deleting act on one
 * person's copy only.  The sysop's broadcast files one letter in many
 * inboxes.  Subjects and bodies obey the limits of posts (post.h).
 */
#ifndef PARTA_MAIL_H
#define PARTA_MAIL_H

#include <stddef.h>
#include <stdint.h>

struct store;

struct letter {
	int64_t	 id;
	char	*from;		/* login, "" when sent from the console */
	char	*from_name;
	char	*to;		/* the recipient's login ("" for a broadcast) */
	char	*to_name;	/* the recipient's display name, or "" */
	char	*subject;
	char	*body;
	int64_t	 created_at;
	int64_t	 read_at;	/* 0: unread (inbox) */
	int64_t	 recipients;	/* its inbox copies: more than one for a
				 * broadcast, whose to is then only the first */
};

/*
 * Send a letter from sender_id (0: the console) to the account to_login.
 * Subject and body are validated and stored NFC.  0 and *id (may be
 * NULL), PERR_NO_USER, or a text PERR code.
 */
int	 mail_send(struct store *, int64_t sender_id, const char *to_login,
	     const char *subject, const char *body, int64_t reply_to,
	     int64_t *id);

/*
 * File one letter in the inbox of every active account (role < 0), or
 * of every active account of that role, and in the sent folder of
 * sender_id (0: the console, none).  0 and *count, or a PERR code.
 */
int	 mail_broadcast(struct store *, int64_t sender_id, int role,
	     const char *subject, const char *body, size_t *count);

/* The letters of folder "inbox" or "sent" of user_id, newest first.
 * Free with mail_list_free. */
int	 mail_list(struct store *, int64_t user_id, const char *folder,
	     struct letter **out, size_t *n);
void	 mail_list_free(struct letter *, size_t n);
/* The newest letter in user_id's inbox after letter id after (0: any),
 * into a new *out (free with mail_list_free(*out, 1)): 0, PERR_NOTFOUND
 * when none came, or PERR_DB. */
int	 mail_newest(struct store *, int64_t user_id, int64_t after,
	     struct letter **out);

/* Mark letter id in user_id's inbox read or unread; 0 or a PERR code. */
int	 mail_set_read(struct store *, int64_t user_id, int64_t id, int read);

/* Delete user_id's copy of letter id in folder; 0 or PERR_NOTFOUND. */
int	 mail_delete(struct store *, int64_t user_id, const char *folder,
	     int64_t id);

/* The number of unread letters in user_id's inbox, or a PERR code. */
int64_t	 mail_unread(struct store *, int64_t user_id);

#endif
