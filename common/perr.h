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
};

/* A message id (English, untranslated) for code; never NULL. */
const char	*perr_str(int code);

#endif
