/*
 * sysop.h: what the two files of parta-sysop share.  sysop.c is the
 * program: options, the store, the interactive loop and readline's
 * completion.  sysop-cmd.c holds the command table and the commands; one
 * row per command drives parsing, validation, completion and "help".
 */
#ifndef PARTA_SYSOP_H
#define PARTA_SYSOP_H

#include <signal.h>
#include <stdio.h>

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

/* A command line after its row parsed it; strings are borrowed. */
struct sysop_args {
	int		 argc;		/* positional arguments, after the words */
	char		**argv;
	const char	*opt[SYSOP_OPTS_MAX];	/* value; "" for a flag; NULL: absent */
};

struct sysop_cmd {
	const char	*words[SYSOP_WORDS_MAX];
	const char	*synopsis;	/* arguments, as in a man page */
	int		 min, max;	/* positional arguments; max -1: any number */
	struct sysop_opt opts[SYSOP_OPTS_MAX];
	enum sysop_arg	 args[SYSOP_ARGS_MAX];
	int		(*fn)(struct sysop *, struct sysop_args *);
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

#endif
