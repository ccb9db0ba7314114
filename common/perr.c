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
	case PERR_FULL:		return N_("the server's disk is full: nothing was saved; please tell the sysop");
	case PERR_LOCAL_FULL:	return N_("this computer's disk is full: nothing was saved; free some space and try again");
	case PERR_PACKET:	return N_("could not be written into the reply packet (is its disk full, or the stick taken out?): send it again");
	case PERR_SENT_POST:	return N_("this post is on the server already: while reading a digest only what you wrote in it can be changed; change this one online");
	case PERR_ANSWERED:	return N_("a reply you wrote to it waits to be sent with it: delete that reply first");
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
	case PERR_REQ_SERVER:	return N_("this can only be done while connected to the server");
	case PERR_REQ_DENIED:	return N_("you may not do this");
	/* boards, posts, mail, news, polls */
	case PERR_BOARD_BUSY:	return N_("the board still has threads; move them first");
	case PERR_NO_READ:	return N_("you may not read this board");
	case PERR_NO_POST:	return N_("this board is read-only for you: only its coordinators post here");
	case PERR_LOCKED:	return N_("the thread is locked: no more replies");
	case PERR_HIDDEN:	return N_("the thread or post was removed by a coordinator");
	case PERR_NOT_MOD:	return N_("only the board's coordinators may do this");
	case PERR_POST_SIZE:	return N_("the text is too long: at most 64 KiB");
	case PERR_NO_USER:	return N_("there is no user with this login");
	case PERR_VOTED:	return N_("you have voted in this poll already");
	case PERR_POLL_CLOSED:	return N_("the poll is closed");
	case PERR_POLL_OPTIONS:	return N_("a poll needs 2 to 9 options");
	case PERR_DATE:		return N_("a date as DD.MM.YYYY, not in the past");
	case PERR_BOARD_FIELD:	return N_("unknown field (title, description, order, read, post, premoderated)");
	case PERR_CHOICE:	return N_("choose one of the options");
	case PERR_NUMBER:	return N_("a number is expected");
	case PERR_AMBIGUOUS:	return N_("several logins begin so; type more letters");
	case PERR_NOT_HIDDEN:	return N_("it is not hidden");
	case PERR_RESET_CODE:	return N_("the login or the reset code is wrong, or the code has expired or was used");
	case PERR_EDIT_LATE:	return N_("you may no longer change this post");
	case PERR_EVENT_KIND:	return N_("the kind is seminar, masterclass, webinar or olympiad");
	case PERR_EVENT_CANCELLED: return N_("the event is cancelled");
	case PERR_EVENT_PAST:	return N_("the event has already begun");
	case PERR_EVENT_COMING: return N_("the board has coming events; cancel them first");
	case PERR_CHAT_FLOOD:	return N_("too many lines at once: wait a few seconds");
	case PERR_CHAT_CLOSED:	return N_("the room is closed");
	case PERR_LIB_QUOTA:	return N_("your library quota is exhausted");
	case PERR_LIB_TOOBIG:	return N_("the file is larger than the library accepts");
	case PERR_LIB_NAME:	return N_("this file name is not allowed");
	case PERR_LIB_SECTION:	return N_("no such library section");
	case PERR_LIB_DENIED:	return N_("you may not do that in the library");
	case PERR_LIB_URL:	return N_("a link must start with http://, https:// or ftp://");
	case PERR_LIB_IO:	return N_("the file could not be stored; please try again later");
	case PERR_LIB_GRADES:	return N_("grades are numbers from 1 to 11, e.g. 5-7, 9");
	case PERR_LIB_PENDING:	return N_("the item is not approved yet");
	case PERR_LIB_SPECIAL:
		return N_("not a regular file: a directory, device, FIFO or"
		    " socket is never published");
	case PERR_LIB_SYSTEM:
		return N_("a system file: it is published only with --force");
	case PERR_LIB_DATA:
		return N_("a file of the BBS's own data directory (the store,"
		    " the host key) is never published");
	case PERR_LIB_PRIVATE:
		return N_("others may not read this file, so it looks private:"
		    " it is published only with --force");
	case PERR_CHARSET:	return N_("unknown terminal encoding (UTF-8, KOI8-R, KOI8-U, CP1251, CP866)");
	case PERR_REG_ADDRESS:	return N_("too many registrations from your address today; please try again tomorrow");
	case PERR_REG_DAY:	return N_("too many registrations today; please try again tomorrow");
	case PERR_PAGE_SHOWS:	return N_("whom the page shows to: all or boards");
	case PERR_INVISIBLE:	return N_("must not contain invisible characters (zero-width spaces, joiners and the like)");
	case PERR_NAME_MIXED:	return N_("mixes Latin and Cyrillic letters in one word; type each word in one alphabet");
	case PERR_NAME_LOOKALIKE: return N_("looks the same as the name of another member; add an initial or a middle name");
	case PERR_SEARCH_EMPTY:	return N_("type a word to search for");
	case PERR_SEARCH_QUOTE:	return N_("a quotation mark is not closed: put a \" at the end of the phrase");
	case PERR_SEARCH_OR:	return N_("OR must stand between two words or phrases");
	case PERR_SEARCH_ONLY_NOT: return N_("a query needs a word to find, not only words excluded with a minus");
	case PERR_SEARCH_MINUS:	return N_("a minus must stand right before a word or phrase to exclude");
	case PERR_SEARCH_LONG:	return N_("the query is too long: at most 200 characters and 16 words");
	case PERR_SEARCH_DATE:	return N_("write a date as DD.MM.YYYY, for example 01.09.2024");
	case PERR_SEARCH_RANGE:	return N_("the first date is after the last one");
	case PERR_SEARCH_BOARD:	return N_("there is no such board");
	case PERR_SEARCH_AUTHOR: return N_("there is no member with this login or name");
	case PERR_SEARCH_AMBIGUOUS: return N_("several members have this name; give the login");
	case PERR_SEARCH_BOARDS: return N_("several boards' titles contain this; type more of the title");
	}
	return N_("unknown error");
}
