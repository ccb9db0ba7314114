/*
 * qwk.h: a digest as a QWK packet for classic offline readers
 * (MultiMail, and the DOS readers schools still keep), and the REP
 * packets they write back.
 *
 * The packet (a zip) holds CONTROL.DAT (the conferences), MESSAGES.DAT
 * (128-byte blocks: a header, then the text), one NNN.NDX per conference
 * and PERSONAL.NDX (the block of each message, as an MSBIN float),
 * DOOR.ID and, when there is news, NEWS.  Text is CP866 with the BBS's
 * one-column substitutes (charset.c); QWK ends every line with byte
 * 0xE3, which is CP866's "у", so "у" is written as the Latin "y" that
 * looks the same, and read back as "у" beside Cyrillic letters.
 *
 * Numbers, as the format has only numbers: a conference is a board's row
 * id (0: her mail); a message number is the post's (or letter's) row id.
 * A digest keeps the server's row ids, so a REP's conference and
 * reference name the server's rows; the import turns them into UUIDs
 * before anything is written.
 *
 * Whose a REP is: a REP carries no signature, and its From field is
 * whatever the reader typed, so the packet proves nothing.  It is
 * imported for an account the caller names (the sysop's console, who
 * had the stick from her hand; later her own SFTP upload, which SSH
 * authenticated), and every reply is a request as that user, judged by
 * the same checks as any post.  Each reply's request UUID is derived
 * from the user and the reply's own bytes, so importing a packet twice
 * posts nothing twice.
 */
#ifndef PARTA_QWK_H
#define PARTA_QWK_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct user;
struct digest_fmt_opts;

#define QWK_BBSID	"PARTA"		/* the packet's and the REP's name */
#define QWK_BLOCK	128
#define QWK_REP_MAX	(16 * 1024 * 1024)	/* bytes of a REP's .MSG */
#define QWK_REPLIES_MAX	10000			/* replies in one REP */

/*
 * Write what st holds (digest_fmt_read(): boards, her mail, news) as a
 * QWK packet, a new zip file at path (an existing file is refused).
 * *nmsg (if not NULL) gets the messages written.  0, or -1 with *cause
 * (caller frees).
 */
int	 qwk_write(struct store *st, const struct digest_fmt_opts *o,
	     const char *path, size_t *nmsg, char **cause);

/* One reply of a REP packet, as parsed. */
struct qwk_reply {
	int	 conf;		/* conference: a board id, 0 for mail */
	int64_t	 ref;		/* the message answered, 0: none */
	char	*to;		/* UTF-8, as typed in the reader */
	char	*subject;	/* UTF-8; a "Subject:" line wins */
	char	*body;		/* UTF-8, LF line ends, trailing blank
				   lines removed */
	unsigned char digest[32]; /* SHA-256 of the reply's fields */
};

/*
 * Parse a REP's .MSG (len bytes, untrusted) into a new array *out of *n
 * replies (free with qwk_replies_free).  The first block must name
 * bbsid (NULL: any).  0, or -1 with *cause (caller frees): too short,
 * not a whole number of blocks, a header whose block count runs past
 * the end, a foreign BBS id, more than QWK_REPLIES_MAX replies.
 */
int	 qwk_rep_parse(const unsigned char *buf, size_t len, const char *bbsid,
	     struct qwk_reply **out, size_t *n, char **cause);
void	 qwk_replies_free(struct qwk_reply *, size_t n);

/*
 * The .MSG inside a REP zip of len bytes (or buf itself when it is not a
 * zip) into a new *msg of *msglen bytes (caller frees).  0, or -1 with
 * *cause: not a zip, no .MSG in it, one larger than QWK_REP_MAX.
 */
int	 qwk_rep_unzip(const void *buf, size_t len, unsigned char **msg,
	     size_t *msglen, char **cause);

/* What an import did, reply by reply counted. */
struct qwk_import {
	size_t	 posted;	/* applied now */
	size_t	 again;		/* applied before: nothing done */
	size_t	 refused;	/* refused: *why has a line each */
	char	*why;		/* "N: reason\n" per refused reply; caller
				   frees */
};

/*
 * Import the REP packet at path for user u: each reply becomes a
 * request as u (a reply to the thread of the post it answers, a new
 * thread on the conference's board, or a letter answering one of her
 * letters) with a UUID derived from u and the reply, applied through
 * request_apply().  0 with *res filled (refusals are counted, not
 * failures), or -1 with *cause when the packet cannot be read at all.
 */
int	 qwk_import(struct store *st, const struct user *u, const char *path,
	     struct qwk_import *res, char **cause);

/* The UUID of a reply of u's (an RFC 4122 version 5-style name hash of
 * the user's UUID and r->digest) into uuid. */
void	 qwk_reply_uuid(const char *user_uuid, const struct qwk_reply *r,
	     char uuid[37]);

#endif
