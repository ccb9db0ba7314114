/*
 * article.h: a shared board's post as a netnews article (RFC 5536), and
 * back, for the INN gateway (bbs/parta-news.c).
 *
 * Written articles are UTF-8 with MIME headers (text/plain; 8bit, or
 * base64 when a line is too long for 8bit), names and subjects as RFC
 * 2047 encoded-words.  The Message-ID is <UUID@IDENT>: the post's UUID
 * and the federation identity of its home server; a cancel's is
 * <cancel.UUID@IDENT>, for the same district's <UUID@IDENT> alone.
 * Every article carries X-Parta-Signature, an
 * Ed25519 signature by its home server's key over the headers that say
 * what it is (Message-ID, Newsgroups, From, Subject, Date, References,
 * Control) and the decoded body, so that a third server can neither
 * forge a post nor a cancel in another's name (article_verify()).
 *
 * The parser reads untrusted bytes: it never reads past len, bounds
 * every count, and refuses (with a cause for the log) what is malformed,
 * too large, not UTF-8 or carries control characters.  No store, no
 * sockets: the gateway does the rest.
 */
#ifndef PARTA_ARTICLE_H
#define PARTA_ARTICLE_H

#include <stddef.h>
#include <stdint.h>

#define ARTICLE_MAX		(256 * 1024)	/* bytes on the wire, at most */
#define ARTICLE_REFS_MAX	32		/* References kept (the last) */
#define ARTICLE_HEADERS_MAX	64		/* header fields, at most */
#define ARTICLE_IDENT_MAX	63
#define ARTICLE_LOGIN_MAX	64

/* A server's Ed25519 key pair. */
struct article_key {
	unsigned char	 priv[32];
	unsigned char	 pub[32];
};

/* The public keys of the districts an article may come from. */
struct article_peer {
	char		*ident;
	unsigned char	 pub[32];
};
struct article_peers {
	struct article_peer	*v;
	size_t			 n;
};

/* What the writer is given; strings are borrowed. */
struct article_out {
	const char		*uuid;		/* the post's */
	const char		*ident;		/* its home server's */
	const char		*newsgroup;
	const char		*login, *name;	/* the author */
	const char		*subject;
	const char		*body;		/* UTF-8, LF line ends */
	const char *const	*refs;		/* Message-IDs, thread first */
	size_t			 nrefs;
	const char		*cancel;	/* a cancel: its target's
						   Message-ID; else NULL */
	int64_t			 date;
};

/* An article as read. */
struct article {
	char		*message_id;	/* "<...>" */
	char		 uuid[37];	/* a cancel's: its target's */
	char		*ident;		/* the Message-ID's right side */
	char		*newsgroups;	/* as written, commas */
	char		*login;		/* the From address's local part */
	char		*name;		/* decoded display name ("" if none) */
	char		*subject;	/* decoded */
	char		*body;		/* decoded, LF line ends */
	char		*refs[ARTICLE_REFS_MAX];
	size_t		 nrefs;
	char		*cancel;	/* Control: cancel's Message-ID */
	int64_t		 date;
	unsigned char	 sig[64];
	int		 has_sig;
	char		*signed_text;	/* what the signature covers */
	size_t		 signed_len;
};

/* 0 when s is a federation identity (a-z, 0-9, '-', '.' inside, at
 * most ARTICLE_IDENT_MAX), else -1. */
int	 article_ident_check(const char *s);

/*
 * Parse the Message-ID <UUID@IDENT> or <cancel.UUID@IDENT> into uuid and
 * ident (ARTICLE_IDENT_MAX + 1 bytes); *cancel 1 for the second form.
 * 0 or -1.
 */
int	 article_msgid_split(const char *msgid, char uuid[37], char *ident,
	     int *cancel);

/*
 * The article for a, signed with key, LF line ends (the NNTP layer makes
 * them CRLF and dot-stuffs): a new string, or NULL with *cause (caller
 * frees either) when a field cannot be written (not UTF-8, a bad
 * identity or UUID).
 */
char	*article_write(const struct article_out *a,
	     const struct article_key *key, char **cause);

/*
 * Parse len bytes (CRLF or LF line ends, not dot-stuffed) into *out (free
 * with article_free()): 0, or -1 with *cause saying why (for the log;
 * caller frees).  Refused: more than max bytes (0: ARTICLE_MAX), a
 * missing or repeated Message-ID, Newsgroups, From, Date or Subject, a
 * Message-ID not of parta's two forms, a cancel of a post of another
 * district than its own, a charset other than UTF-8 or
 * US-ASCII, an unknown transfer encoding, and a subject, name or body
 * that is not valid UTF-8 or carries control characters or escape
 * sequences (text_check()).
 */
int	 article_parse(const char *buf, size_t len, size_t max,
	     struct article **out, char **cause);
void	 article_free(struct article *);

/*
 * Whether a comes from the server its Message-ID names: that server is
 * among peers, the signature verifies with its key, and the From
 * address is one of its users (login@IDENT).  0, or -1 with *cause.
 */
int	 article_verify(const struct article *a,
	     const struct article_peers *peers, char **cause);

/* Make a key pair into *key (0, or -1 when the random source fails). */
int	 article_key_make(struct article_key *key);
/* Read or write a key file ("parta-ed25519 BASE64-SEED", mode 0600):
 * 0, or -1 with *cause. */
int	 article_key_load(const char *path, struct article_key *key,
	     char **cause);
int	 article_key_save(const char *path, const struct article_key *key,
	     char **cause);
/* The public key in base64 (45 bytes with the NUL). */
void	 article_key_pub(const struct article_key *key, char out[45]);

/*
 * Read a peers file: lines "IDENT BASE64-PUBLIC-KEY", '#' comments.
 * 0 and *peers (free with article_peers_free()), or -1 with *cause.
 * A missing path or "" gives no peers.
 */
int	 article_peers_load(const char *path, struct article_peers *peers,
	     char **cause);
void	 article_peers_free(struct article_peers *);

#endif
