/*
 * request.h: every write a user makes, as one table.
 *
 * A request is one row of the table (its kind), the fields that kind
 * names, a UUID made where the user typed it (the editor's draft UUID
 * for a text, a fresh one for a key press) and the UUIDs of the rows it
 * refers to, never their row ids, so that a request means the same on
 * the server, in a local copy and in a reply packet.  request_apply()
 * carries it out in one transaction: it reads the user again, resolves
 * the UUIDs, checks rights, locks and limits and writes, and records the
 * request's UUID with its result, so that a request applied again (a
 * resent draft, a retried packet) changes nothing and returns the first
 * result.  The BBS, parta-sysop and, later, the sync server, reply
 * packets and the client's outbox all write through it.
 */
#ifndef PARTA_REQUEST_H
#define PARTA_REQUEST_H

#include <stddef.h>
#include <stdint.h>

struct lib_meta;
struct share_foreign;
struct store;
struct user;

enum request_kind {
	/* boards and posts */
	REQ_THREAD_NEW,		/* board, subject, body -> the thread */
	REQ_REPLY,		/* thread, [post answered], body -> the post */
	REQ_THREAD_READ,	/* thread, post: read up to it */
	REQ_BOARD_READ,		/* board: all of it read */
	REQ_POST_EDIT,		/* post, body: her own */
	REQ_POST_DELETE,	/* post: her own; value 1 when it was kept */
	REQ_POST_HIDE,		/* post, text (the reason) */
	REQ_POST_UNHIDE,	/* post */
	REQ_POST_RETITLE,	/* post, subject */
	REQ_THREAD_PIN,		/* thread, number (1 on, 0 off) */
	REQ_THREAD_LOCK,	/* thread, number */
	REQ_THREAD_APPROVE,	/* thread, number */
	REQ_THREAD_MOVE,	/* thread, board (where to) */
	/* mail and news */
	REQ_MAIL_SEND,		/* to, subject, body, [letter answered] */
	REQ_MAIL_READ,		/* letter, number (1 read, 0 unread) */
	REQ_MAIL_DELETE,	/* letter, name ("inbox" or "sent") */
	REQ_MAIL_BROADCAST,	/* subject, body, number (role, -1: all) */
	REQ_NEWS_ADD,		/* subject (title), body -> the item */
	REQ_NEWS_SEEN,		/* news: seen up to it */
	REQ_NEWS_REMOVE,	/* news */
	/* polls */
	REQ_POLL_ADD,		/* board, subject (question), list, number
				   (multiple), when (closes; 0 never) */
	REQ_POLL_VOTE,		/* poll, choice (positions, 1-based) */
	REQ_POLL_CLOSE,		/* poll */
	REQ_POLL_REMOVE,	/* poll */
	/* events (event.h) */
	REQ_EVENT_ADD,		/* board, name (kind), subject (title), text
				   (place), body (description), when (starts),
				   minutes, number (cap; 0 none) -> the event */
	REQ_EVENT_EDIT,		/* event, and the fields of event-add but
				   the board */
	REQ_EVENT_CANCEL,	/* event, text (the reason) */
	REQ_EVENT_JOIN,		/* event; value 1 when on the waiting list */
	REQ_EVENT_LEAVE,	/* event */
	/* the library */
	REQ_LIB_COMMENT,	/* item, body -> the thread */
	REQ_LIB_LINK,		/* text (the URL), meta -> the item */
	REQ_LIB_FILE,		/* name (the upload), meta, [file: a held
				   upload] -> the item */
	REQ_LIB_APPROVE,	/* item */
	REQ_LIB_RECOMMEND,	/* item, text (the review) */
	REQ_LIB_REMOVE,		/* item */
	/* the account */
	REQ_PROFILE,		/* display_name, school, subjects, about */
	REQ_LANGUAGE,		/* text ("ru", "en") */
	REQ_ENCODING,		/* text (a charset_name()) */
	REQ_PASSWORD,		/* text (the new password) */
	REQ_KEY_ADD,		/* text (an OpenSSH public key line) */
	REQ_KEY_REMOVE,		/* text (the key's fingerprint) */
	REQ_REAPPLY,		/* display_name, school, subjects, about:
				   a rejected applicant applies again */
	/* the sysop's: boards, accounts, library sections */
	REQ_BOARD_ADD,		/* name, subject (title), body (description)
				   -> the board */
	REQ_BOARD_EDIT,		/* board, name (the field), text (value) */
	REQ_BOARD_REMOVE,	/* board */
	REQ_BOARD_COORDINATOR,	/* board, to, number (1 on, 0 off) */
	REQ_USER_APPROVE,	/* to */
	REQ_USER_REJECT,	/* to, text (the reason) */
	REQ_USER_ROLE,		/* to, number (an enum role) */
	REQ_USER_BAN,		/* to, text (the reason) */
	REQ_USER_UNBAN,		/* to */
	REQ_USER_DELETE,	/* to */
	REQ_LIB_SECTION_ADD,	/* name, subject (title), number (approval) */
	/* federation (common/share.h): the console's and the gateway's */
	REQ_BOARD_SHARE,	/* board, name (the newsgroup; "": no longer) */
	REQ_ARTICLE,		/* board, foreign, [thread, post answered]:
				   a post from another district; the
				   request's UUID is the post's */
	REQ_ARTICLE_CANCEL,	/* post, text (the cancelling district) */
	/* chat (common/chat.h) */
	REQ_CHAT_SAY,		/* room, body -> the line */
	REQ_CHAT_HIDE,		/* line */
	/* teachers' pages (common/page.h) */
	REQ_PAGE_SHOWS,		/* text ("all", "boards"): whom her page
				   shows to */
	REQ_THREAD_FOLLOW,	/* thread, number (1 follow, 0 not) */
	REQ_NKINDS
};

/*
 * What a request carries.  Strings and arrays are borrowed.  Only the
 * fields its kind names are read (the table in request.c); a row field
 * is a UUID, NULL when not given.
 */
struct request {
	enum request_kind	 kind;
	char			 uuid[37];	/* request_init() makes one */
	const struct user	*user;		/* who asks; NULL: the console */
	const char		*actor;		/* the audit log's name; NULL:
						   the user's login */
	/* rows, by UUID */
	const char		*board;
	const char		*thread;
	const char		*post;
	const char		*letter;
	const char		*to;		/* a user */
	const char		*news;
	const char		*poll;
	const char		*item;
	const char		*event;
	const char		*author;	/* the console's only: in whose
						   name it writes (a user; NULL:
						   the console's own) */
	const char		*room;		/* a chat room */
	const char		*line;		/* a chat line */
	/* values */
	const char		*subject;
	const char		*body;
	const char		*text;
	const char		*name;
	const char		*display_name, *school, *subjects, *about;
	int64_t			 number;
	int64_t			 when;
	int64_t			 minutes;	/* an event's length */
	const char *const	*list;		/* poll options */
	size_t			 nlist;
	const int64_t		*choice;	/* poll positions, 1-based */
	size_t			 nchoice;
	const struct lib_meta	*meta;
	const struct share_foreign *foreign;	/* an article's post */
	const char		*file;		/* library-file: the SHA-256 (hex)
						   of an upload held for
						   parta-sync, which name then
						   names; NULL: name is a file
						   of the upload folder */
};

/* What a request made. */
struct request_result {
	char		 uuid[37];	/* the row made ("" for none) */
	int64_t		 id;		/* its row id here (0 for none) */
	int64_t		 value;		/* a count, a flag (see the kinds) */
	int		 again;		/* 1: applied before; this is the
					   first time's result */
	const char	*bad_field;	/* the field to blame, or NULL */
	int		 queued;	/* 1: a client's outbox holds it; the
					   server applies it when the link
					   allows */
};

/* What a row's apply does: rows[] holds the row ids of the UUIDs the
 * request names (REQF_BOARD ...; 0 when not given), u the user as read
 * in the transaction (NULL: the console).  0 or a PERR code. */
typedef int request_apply_fn(struct store *, const struct request *,
    const struct user *u, const int64_t *rows, struct request_result *);

/* One row of the table. */
struct request_type {
	const char	*name;		/* "thread-new", in logs and packets */
	unsigned	 fields;	/* REQF_ bits it needs */
	unsigned	 optional;	/* REQF_ bits it may carry */
	int		 server;	/* needs the server (passwords, keys,
					   uploads): a local copy refuses it */
	int		 console;	/* the sysop's alone */
	int		 monotone;	/* applying it again changes nothing
					   by itself (a read pointer moves
					   only forward): not recorded */
	const char	*result;	/* the table of the row it makes */
	request_apply_fn *apply;	/* NULL: the server program's own
					   (bbs/request-keys.c) */
};

/* The fields, as bits of request_type.fields.  The REQF_ROW_ bits come
 * first, in the order of their rows[] index. */
enum request_field {
	REQF_BOARD, REQF_THREAD, REQF_POST, REQF_LETTER, REQF_TO, REQF_NEWS,
	REQF_POLL, REQF_ITEM, REQF_EVENT, REQF_AUTHOR, REQF_ROOM, REQF_LINE,
	REQF_NROWS,
	REQF_SUBJECT = REQF_NROWS, REQF_BODY, REQF_TEXT, REQF_NAME,
	REQF_PROFILE, REQF_LIST, REQF_CHOICE, REQF_META, REQF_FOREIGN, REQF_FILE,
	REQF_NFIELDS
};
#define REQ_F(f)	(1u << (f))

/* The row of kind (NULL for a kind out of range). */
const struct request_type *request_type(enum request_kind);
/* The kind whose row is named name (a PUSH's, an outbox item's), or -1. */
int	 request_kind_named(const char *name);

/* Zero r and give it kind, user and a new UUID. */
void	 request_init(struct request *r, enum request_kind kind,
	     const struct user *user);

/* Flags of request_apply(). */
#define REQUEST_LOCAL	0x1	/* a local copy applies it: refuse the
				   kinds that need the server */

/*
 * Apply r in one transaction (nested in the caller's, if any).  Returns
 * 0 with *res filled (res->again 1 when r's UUID was applied before: then
 * nothing changed and *res is the first result), or a negative PERR code
 * (nothing changed): PERR_REQ_SERVER for a kind that needs the server in
 * a local copy (flags REQUEST_LOCAL, or a store opened STORE_LOCAL),
 * PERR_REQ_DENIED for the sysop's kinds asked by another, or a user who
 * is banned or gone, PERR_NOTFOUND for a row that is not there,
 * PERR_EXISTS for a UUID applied before as another kind or by another
 * user, PERR_REQ_SERVER too for a kind whose apply the server supplies
 * (request_apply_with()), or what the kind's module returns (the rights, locks and limits
 * it checks, inside this transaction).  A refused request is not
 * recorded: sent again, it is judged again.
 */
int	 request_apply(struct store *, const struct request *r, int flags,
	     struct request_result *res);

/*
 * As request_apply(), for a kind whose row has no apply of its own (the
 * SSH key kinds: keys are parsed with libssh, which only the server's
 * programs link, not the UI's test host nor a local copy): the server
 * supplies it (bbs/request-keys.c).
 */
int	 request_apply_with(struct store *, const struct request *r, int flags,
	     request_apply_fn *apply, struct request_result *res);

/*
 * The UUID of row id of the table a field names (REQF_BOARD ... REQF_LINE)
 * into uuid, or the row id of a UUID into *id: 0 or PERR_NOTFOUND,
 * PERR_DB.  For a screen that holds row ids and names them in a
 * request.
 */
int	 request_uuid_of(struct store *, enum request_field, int64_t id,
	     char uuid[37]);
int	 request_id_of(struct store *, enum request_field, const char *uuid,
	     int64_t *id);

#endif
