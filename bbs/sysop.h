/*
 * sysop.h: what the files of parta-sysop share.  sysop.c is the
 * program: options, the store, the interactive loop and readline's
 * completion.  sysop-cmd.c holds the command table; one row per command
 * drives parsing, validation, completion and "help".  The handlers the
 * rows name live in a file per subject, sysop-SUBJECT.c, and share the
 * helpers of sysop-util.c.
 */
#ifndef PARTA_SYSOP_H
#define PARTA_SYSOP_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "request.h"

struct request;
struct request_result;
struct store;

/* The console's state: one per process, handed to every command. */
struct sysop {
	const char	*datadir;
	struct store	*st;		/* opened on first use: sysop_store() */
	char		*actor;		/* "console[:LOGIN]", for the audit log */
	int		 done;		/* "quit" was given */
};

/* What an argument names, so completion knows what to offer. */
enum sysop_arg { ARG_NONE, ARG_USER, ARG_ROLE, ARG_FILE, ARG_COMMAND,
    ARG_BOARD, ARG_SECTION };

#define SYSOP_WORDS_MAX	3	/* "user key add" */
#define SYSOP_OPTS_MAX	8	/* "report" */
#define SYSOP_ARGS_MAX	3	/* positional arguments completion knows */

struct sysop_opt {
	const char	*name;		/* "--role" */
	int		 has_arg;
	int		 required;
	enum sysop_arg	 kind;		/* of its value */
};

/*
 * A command that is one request on the one thing its line names, for the
 * rows that share a handler (sysop_users_by_row, sysop_boards_by_row,
 * sysop_news_by_id): the request, and what the console says.
 */
struct sysop_req_cmd {
	enum request_kind  kind;
	enum request_field field;	/* the row an ID names (news, polls) */
	const char	  *notfound;	/* N_(): an ID not found, as typed */
	const char	  *done;	/* N_(): the name, or the ID as read */
	const char	  *name;	/* the request's name (board unshare: "") */
};

/* A command line after its row parsed it; strings are borrowed. */
struct sysop_args {
	int		 argc;		/* positional arguments, after the words */
	char		**argv;
	const char	*opt[SYSOP_OPTS_MAX];	/* value; "" for a flag; NULL: absent */
	const struct sysop_req_cmd *req;	/* the row's .req */
};

struct sysop_cmd {
	const char	*words[SYSOP_WORDS_MAX];
	const char	*synopsis;	/* arguments, as in a man page */
	int		 min, max;	/* positional arguments; max -1: any number */
	struct sysop_opt opts[SYSOP_OPTS_MAX];
	enum sysop_arg	 args[SYSOP_ARGS_MAX];
	int		(*fn)(struct sysop *, struct sysop_args *);
	const struct sysop_req_cmd *req;	/* for a handler rows share */
	const char	*help;		/* N_(): translated where shown */
	int		 flags;
};
#define CMD_NOSTORE	0x1	/* runs without opening the store */

extern const struct sysop_cmd	 sysop_cmds[];
extern const size_t		 sysop_ncmds;

/* Set by SIGINT while the console waits for a line or a password. */
extern volatile sig_atomic_t	 sysop_interrupted;
void	 sysop_on_sigint(int);

/*
 * The store under s->datadir, opened (and the directory created, mode
 * 0700) on the first call.  NULL after an error was reported.
 */
struct store *sysop_store(struct sysop *s);

/*
 * Run one command: argv holds its words and arguments (borrowed).
 * Returns 0, or -1 once the error has been reported on stderr.
 */
int	 sysop_exec(struct sysop *s, int argc, char **argv);

/*
 * Print help on fp: every command when argc is 0, else those whose words
 * begin with argv.  0, or -1 (reported) when none does.
 */
int	 sysop_help(FILE *fp, int argc, char **argv);

/*
 * Completion candidates for the word text that follows the complete
 * words argv: a NULL-terminated array the caller frees with
 * user_list_free(), or NULL with *files set when file names fit there.
 */
char	**sysop_complete(struct sysop *s, int argc, char **argv,
	     const char *text, int *files);

/*
 * Print one line made from fmt: on stdout, or on stderr after the
 * program's name.  The whole line passes text_sanitize(), so whatever
 * user text it quotes cannot reach the terminal as a control sequence.
 */
void	 sysop_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	 sysop_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- sysop-util.c: what the handlers share ------------------------- */

#define SYSOP_CELL_MAX	40	/* columns a list cell may take */
#define SYSOP_GRID_COLS	10

/* Columns of text lined up by display width, not by bytes. */
struct sysop_grid {
	size_t		 ncols, nrows;
	char		**cell;		/* nrows * ncols, sanitised */
	int		 w[SYSOP_GRID_COLS];	/* the widest cell of each column */
	int		 clip;		/* cut cells wider than this; 0: never */
	unsigned	 right;		/* bit i set: column i aligns right */
};

/* An empty grid of ncols columns (at most SYSOP_GRID_COLS); cells wider
 * than clip columns (0: none is) are cut with an ellipsis. */
void	 sysop_grid_init(struct sysop_grid *, size_t ncols, int clip,
	     unsigned right);
/* Add a row: ncols strings, copied (sanitised, clipped). */
void	 sysop_grid_add(struct sysop_grid *, ...);
/* Print the rows on fp, each indented by indent columns, without
 * trailing blanks. */
void	 sysop_grid_print(const struct sysop_grid *, FILE *fp, int indent);
/* Free the cells; the grid is empty after it. */
void	 sysop_grid_free(struct sysop_grid *);
/* Print a listing whose first row is the header, or the line empty when
 * only the header is there; then free it. */
void	 sysop_grid_list(struct sysop_grid *, const char *empty);
/* A sanitised copy of s cut to max columns (0: uncut) with an ellipsis.
 * Caller frees. */
char	*sysop_cell_new(const char *s, int max);

/* argv joined by single spaces, "" for none.  Caller frees. */
char	*sysop_join(int argc, char **argv);
/* A positive number in s into *id: 0, or -1 (reported with bad, a format
 * taking s; NULL: s with the error PERR_NUMBER). */
int	 sysop_parse_id(const char *s, int64_t *id, const char *bad);
/* The id of the account named by --as into *id, 0 when login is NULL:
 * 0, or -1 (reported). */
int	 sysop_as(struct sysop *, const char *login, int64_t *id);
/*
 * Read all of standard input into *out (NUL-terminated, caller frees) as
 * text from a file (CRLF and CR become LF).  0, or PERR_POST_SIZE when it
 * holds more than max bytes.  On a terminal the sysop is first told how
 * to end the text: hint (a message id) says what to type; a line holding
 * only "." or Ctrl-D at the start of a line ends it.
 */
int	 sysop_read_stdin(char **out, size_t max, const char *hint);

/* Report a failure and return -1: of an action on the account login
 * (PERR_NOTFOUND: no such account); of the text given for field; of an
 * action on login that also took a reason (the reason is to blame unless
 * the account is); of the store, concerning no one argument. */
int	 sysop_fail_user(const char *login, int rc);
/* As sysop_fail_user() for any name: notfound is a format taking arg. */
int	 sysop_fail_named(const char *notfound, const char *arg, int rc);
int	 sysop_fail_field(const char *field, int rc);
/* Of an add of name: exists (a format taking name) for PERR_EXISTS,
 * else as sysop_fail_field() (field NULL: as sysop_fail()). */
int	 sysop_fail_exists(const char *exists, const char *name,
	     const char *field, int rc);
int	 sysop_fail_reason(const char *login, int rc);
int	 sysop_fail(int rc);
/* As sysop_fail_field(), naming the character of text (NULL: not read)
 * that may not be stored, with its line when multiline.  Returns -1. */
int	 sysop_fail_text(const char *field, const char *text, int multiline,
	     int rc);

/*
 * The console writes through the request table (request.h) as the
 * console (no user), audited as s->actor: 0 or a PERR code, nothing
 * reported.  res may be NULL.
 */
int	 sysop_request(struct sysop *, struct request *r,
	     struct request_result *res);
/* The UUID of the board named name, or of the account login, into
 * uuid: 0, or PERR_NOTFOUND (uuid ""), PERR_DB; nothing reported. */
int	 sysop_board_uuid(struct sysop *, const char *name, char uuid[37]);
int	 sysop_user_uuid(struct sysop *, const char *login, char uuid[37]);
/* Apply r (sysop_request()) to the board named board: r->board is set
 * to its UUID for the call.  0, or PERR_NOTFOUND, or what applying r
 * returned; nothing reported. */
int	 sysop_board_request(struct sysop *, const char *board,
	     struct request *r);

/*
 * ---- the handlers, one file per subject ----------------------------
 * Each runs the command of the row of sysop_cmds[] that names it, with
 * its arguments already checked against the row; 0, or -1 once the error
 * has been reported on stderr.
 */
#define SYSOP_HANDLER(name) int name(struct sysop *, struct sysop_args *)

/* sysop-users.c: accounts, approvals, bans, keys, reset codes, sessions */
SYSOP_HANDLER(sysop_users_list);
/* sysop-chat.c */
SYSOP_HANDLER(sysop_chat_list);
SYSOP_HANDLER(sysop_chat_open);
SYSOP_HANDLER(sysop_chat_close);
SYSOP_HANDLER(sysop_users_by_row);	/* .req on NAME */
SYSOP_HANDLER(sysop_users_reject);
SYSOP_HANDLER(sysop_users_password);
SYSOP_HANDLER(sysop_users_edit);
SYSOP_HANDLER(sysop_users_delete);
SYSOP_HANDLER(sysop_users_key_add);
SYSOP_HANDLER(sysop_users_key_remove);
SYSOP_HANDLER(sysop_users_reset);
SYSOP_HANDLER(sysop_users_add);
SYSOP_HANDLER(sysop_users_role);
SYSOP_HANDLER(sysop_users_ban);
SYSOP_HANDLER(sysop_users_show);
SYSOP_HANDLER(sysop_users_who);
SYSOP_HANDLER(sysop_users_kick);
SYSOP_HANDLER(sysop_users_unblock);

/* sysop-boards.c: boards, coordinators, posting, moderation */
SYSOP_HANDLER(sysop_boards_add);
SYSOP_HANDLER(sysop_boards_list);
SYSOP_HANDLER(sysop_boards_edit);
SYSOP_HANDLER(sysop_boards_by_row);	/* .req on NAME */
SYSOP_HANDLER(sysop_boards_coordinator);
SYSOP_HANDLER(sysop_boards_post);
SYSOP_HANDLER(sysop_boards_hide);
SYSOP_HANDLER(sysop_boards_unhide);
SYSOP_HANDLER(sysop_boards_share);

/* sysop-news.c: news, polls, the broadcast letter */
SYSOP_HANDLER(sysop_news_publish);
SYSOP_HANDLER(sysop_news_list);
SYSOP_HANDLER(sysop_news_by_id);	/* .req on ID */
SYSOP_HANDLER(sysop_news_poll_add);
SYSOP_HANDLER(sysop_news_poll_list);
SYSOP_HANDLER(sysop_news_broadcast);

/* sysop-events.c: events */
SYSOP_HANDLER(sysop_events_add);
SYSOP_HANDLER(sysop_events_edit);
SYSOP_HANDLER(sysop_events_cancel);
SYSOP_HANDLER(sysop_events_list);
SYSOP_HANDLER(sysop_events_show);

/* sysop-library.c: items, files, quotas, sections */
SYSOP_HANDLER(sysop_library_list);
SYSOP_HANDLER(sysop_library_add);
SYSOP_HANDLER(sysop_library_approve);
SYSOP_HANDLER(sysop_library_remove);
SYSOP_HANDLER(sysop_library_recommend);
SYSOP_HANDLER(sysop_library_verify);
SYSOP_HANDLER(sysop_library_quota);
SYSOP_HANDLER(sysop_library_maxsize);
SYSOP_HANDLER(sysop_library_section_add);
SYSOP_HANDLER(sysop_library_section_list);

/* sysop-search.c, sysop-report.c, sysop-backup.c */
SYSOP_HANDLER(sysop_search_posts);
SYSOP_HANDLER(sysop_search_library);
SYSOP_HANDLER(sysop_report_run);
SYSOP_HANDLER(sysop_backup_run);
/* sysop-digest.c */
SYSOP_HANDLER(sysop_digest_export);
SYSOP_HANDLER(sysop_digest_import);

#endif
