/*
 * perr.c: the messages behind perr codes, marked for translation.
 */
#include "i18n.h"
#include "perr.h"

const char *
perr_str(int code)
{
	switch ((enum perr)code) {
	case PERR_OK:		return N_("no error");
	case PERR_DB:		return N_("the database failed; please try again later");
	case PERR_NOTFOUND:	return N_("not found");
	case PERR_EXISTS:	return N_("already exists");
	case PERR_EMPTY:	return N_("must not be empty");
	case PERR_TOOLONG:	return N_("is too long");
	case PERR_CONTROL:	return N_("must not contain control characters or escape sequences");
	case PERR_UTF8:		return N_("is not valid UTF-8 text");
	case PERR_LOGIN_CHARS:	return N_("use Latin letters, digits and - _ . only, starting with a letter");
	case PERR_LOGIN_LENGTH:	return N_("2 to 32 characters");
	case PERR_LOGIN_RESERVED: return N_("this name is reserved");
	case PERR_PW_SHORT:	return N_("at least 8 characters");
	case PERR_PW_LONG:	return N_("at most 128 characters");
	case PERR_PW_MISMATCH:	return N_("the two passwords differ");
	case PERR_KEY_INVALID:	return N_("not a valid SSH public key (expected: ssh-ed25519 AAAA... comment)");
	case PERR_KEY_EXISTS:	return N_("this key is added already");
	case PERR_ROLE:		return N_("unknown role (pending, teacher, expert, coordinator, sysop)");
	case PERR_NOT_PENDING:	return N_("this account is not awaiting approval");
	case PERR_BOARD_NAME:	return N_("1 to 32 Latin letters, digits, - _ .");
	case PERR_PW_WRONG:	return N_("wrong password");
	case PERR_KEY_TYPE:	return N_("this key type is not accepted (use ed25519, ECDSA or RSA)");
	case PERR_MULTILINE:	return N_("must be a single line");
	}
	return N_("unknown error");
}
