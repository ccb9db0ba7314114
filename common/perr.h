/*
 * perr.h: error codes shared by the store and its callers.  Functions
 * return 0 or one of these (negative); perr_str() gives a message id that
 * the caller translates with _() where it shows it to a person.
 */
#ifndef PARTA_PERR_H
#define PARTA_PERR_H

enum perr {
	PERR_OK = 0,
	PERR_DB = -1,		/* the store failed; details are logged */
	PERR_FULL = -50,	/* the store's disk is full: nothing was saved */
	PERR_PACKET = -51,	/* digest.h: the reply packet was not written */
	PERR_LOCAL_FULL = -52,	/* the client's own disk is full (PERR_FULL
				 * there, which speaks of the server's) */
	PERR_SENT_POST = -55,	/* sync-local.h: no unsent item made that post */
	PERR_ANSWERED = -56,	/* sync-local.h: an unsent reply names it */
	PERR_NOTFOUND = -2,
	PERR_EXISTS = -3,
	PERR_EMPTY = -4,
	PERR_TOOLONG = -5,
	PERR_CONTROL = -6,	/* control characters or escape sequences */
	PERR_UTF8 = -7,
	PERR_LOGIN_CHARS = -8,
	PERR_LOGIN_LENGTH = -9,
	PERR_LOGIN_RESERVED = -10,
	PERR_PW_SHORT = -11,
	PERR_PW_LONG = -12,
	PERR_PW_MISMATCH = -13,
	PERR_KEY_INVALID = -14,
	PERR_KEY_EXISTS = -15,
	PERR_ROLE = -16,
	PERR_NOT_PENDING = -17,
	PERR_BOARD_NAME = -18,
	PERR_PW_WRONG = -19,
	PERR_KEY_TYPE = -20,
	PERR_MULTILINE = -21,
	PERR_REQ_SERVER = -22,	/* request.h: only the server can do it */
	PERR_REQ_DENIED = -23,	/* request.h: not this user's to ask */
	/* boards, posts, mail, news, polls: -100..-199 */
	PERR_BOARD_BUSY = -100,
	PERR_NO_READ = -101,
	PERR_NO_POST = -102,
	PERR_LOCKED = -103,
	PERR_HIDDEN = -104,
	PERR_NOT_MOD = -105,
	PERR_POST_SIZE = -106,
	PERR_NO_USER = -107,
	PERR_VOTED = -108,
	PERR_POLL_CLOSED = -109,
	PERR_POLL_OPTIONS = -110,
	PERR_DATE = -111,
	PERR_BOARD_FIELD = -112,
	PERR_CHOICE = -113,
	PERR_NUMBER = -114,
	PERR_AMBIGUOUS = -115,
	PERR_NOT_HIDDEN = -130,
	PERR_RESET_CODE = -131,
	PERR_EDIT_LATE = -132,	/* not hers, or the edit window has passed */
	/* events (event.h): -140.. */
	PERR_EVENT_KIND = -140,
	PERR_EVENT_CANCELLED = -141,
	PERR_EVENT_PAST = -142,
	PERR_EVENT_COMING = -143,
	PERR_CHAT_FLOOD = -150,	/* chat.h: too many lines too fast */
	PERR_CHAT_CLOSED = -151,	/* chat.h: the room is closed */
	/* the file library: -300..-399 */
	PERR_LIB_QUOTA = -300,
	PERR_LIB_TOOBIG = -301,
	PERR_LIB_NAME = -302,
	PERR_LIB_SECTION = -303,
	PERR_LIB_DENIED = -304,
	PERR_LIB_URL = -305,
	PERR_LIB_IO = -306,
	PERR_LIB_GRADES = -307,
	PERR_LIB_PENDING = -308,
	/* what the console's import refuses (library_import) */
	PERR_LIB_SPECIAL = -320,
	PERR_LIB_SYSTEM = -321,
	PERR_LIB_PRIVATE = -322,
	PERR_LIB_DATA = -323,
	/* charsets, collation, look-alike names: -200..-299 */
	PERR_CHARSET = -200,
	PERR_NAME_MIXED = -201,
	PERR_NAME_LOOKALIKE = -202,
	/* accounts and logins: -500..-599 */
	PERR_REG_ADDRESS = -500,
	PERR_REG_DAY = -501,
	PERR_INVISIBLE = -502,
	PERR_PAGE_SHOWS = -503,
	/* search.c */
	PERR_SEARCH_EMPTY = -400,
	PERR_SEARCH_QUOTE = -401,
	PERR_SEARCH_OR = -402,
	PERR_SEARCH_ONLY_NOT = -403,
	PERR_SEARCH_MINUS = -404,
	PERR_SEARCH_LONG = -405,
	PERR_SEARCH_DATE = -406,
	PERR_SEARCH_RANGE = -407,
	PERR_SEARCH_BOARD = -408,
	PERR_SEARCH_AUTHOR = -409,
	PERR_SEARCH_AMBIGUOUS = -410,
	PERR_SEARCH_BOARDS = -411,
};

/* A message id (English, untranslated) for code; never NULL. */
const char	*perr_str(int code);

#endif
