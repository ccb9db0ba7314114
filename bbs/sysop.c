/*
 * sysop.c: parta-sysop, the sysop's console.  It opens the same store as
 * partad, which may be running (WAL and the busy timeout let both write),
 * and runs the one command given on its command line, or reads commands:
 * through GNU readline, with history and completion, from a terminal;
 * line by line, without prompts, from a pipe or a file.
 *
 * The commands are rows of the table in sysop-cmd.c, their handlers in
 * files by subject (sysop-users.c, ...); this file knows nothing about
 * any one of them.
 */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "i18n.h"
#include "log.h"
#include "store.h"
#include "sysop.h"
#include "text.h"
#include "user.h"
#include "util.h"

#define DEFAULT_DATADIR	"/var/lib/parta"
#define HISTORY_MAX	1000
#define PROMPT		"parta> "

volatile sig_atomic_t	 sysop_interrupted;

/*
 * readline's callbacks take no argument, so the console they complete
 * for and the candidates of the completion under way are kept here.
 */
static struct sysop	*comp_console;
static char		**comp_cands;
static size_t		 comp_i;

void
sysop_on_sigint(int sig)
{
	(void)sig;
	sysop_interrupted = 1;
}

static void
sysop_vline(FILE *fp, const char *prefix, const char *fmt, va_list ap)
{
	char	*msg, *clean;

	if (vasprintf(&msg, fmt, ap) < 0)
		fatal("out of memory");
	clean = text_sanitize(msg, 0);
	fprintf(fp, "%s%s\n", prefix, clean);
	free(clean);
	free(msg);
}

void
sysop_say(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	sysop_vline(stdout, "", fmt, ap);
	va_end(ap);
}

void
sysop_err(const char *fmt, ...)
{
	va_list	 ap;

	fflush(stdout);		/* keep the two streams in order on a terminal */
	va_start(ap, fmt);
	sysop_vline(stderr, "parta-sysop: ", fmt, ap);
	va_end(ap);
}

struct store *
sysop_store(struct sysop *s)
{
	char	*path, *cause = NULL;

	if (s->st != NULL)
		return s->st;
	if (mkdir(s->datadir, 0700) != 0 && errno != EEXIST) {
		sysop_err(_("cannot create %s: %s"), s->datadir, strerror(errno));
		return NULL;
	}
	path = xasprintf("%s/parta.db", s->datadir);
	if (store_open(path, &s->st, &cause) != 0) {
		sysop_err("%s", cause);
		free(cause);
	}
	free(path);
	return s->st;
}

/* "console:LOGIN" for the audit log: who ran sudo, or who runs this. */
static char *
sysop_actor_name(void)
{
	const char	*who = getenv("SUDO_USER");
	struct passwd	*pw;

	if ((who == NULL || *who == '\0') && (pw = getpwuid(getuid())) != NULL)
		who = pw->pw_name;
	if (who == NULL || text_check(who, 32, 0) != 0)
		return xstrdup("console");
	return xasprintf("console:%s", who);
}

static void
sysop_argv_free(char **argv)
{
	user_list_free(argv);	/* the same NULL-terminated shape */
}

/*
 * Split line into words as a shell would, without expansions: blanks
 * separate; '...' keeps everything; "..." keeps all but \" and \\; a
 * backslash elsewhere keeps the next character; # starting a word starts
 * a comment.  0 and *argvp (free with sysop_argv_free), or -1 for an
 * unterminated quote.
 */
static int
sysop_split(const char *line, int *argcp, char ***argvp)
{
	const char	*p = line;
	char		**v = xcalloc(1, sizeof(*v)), *w, q;
	size_t		 o;
	int		 argc = 0;

	*argcp = 0;
	*argvp = NULL;
	w = xmalloc(strlen(line) + 1);
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		o = 0;
		while (*p != '\0' && strchr(" \t\r\n", *p) == NULL) {
			if (*p == '\'' || *p == '"') {
				for (q = *p++; *p != '\0' && *p != q; w[o++] = *p++)
					if (q == '"' && *p == '\\' &&
					    (p[1] == '"' || p[1] == '\\'))
						p++;
				if (*p++ == '\0')
					goto fail;
			} else if (*p == '\\' && p[1] != '\0') {
				w[o++] = p[1];
				p += 2;
			} else
				w[o++] = *p++;
		}
		w[o] = '\0';
		v = xrealloc(v, ((size_t)argc + 2) * sizeof(*v));
		v[argc++] = xstrdup(w);
		v[argc] = NULL;
	}
	free(w);
	*argcp = argc;
	*argvp = v;
	return 0;
fail:
	free(w);
	sysop_argv_free(v);
	return -1;
}

static char *
sysop_console_next(const char *text, int state)
{
	(void)text;
	if (state == 0)
		comp_i = 0;
	if (comp_cands == NULL || comp_cands[comp_i] == NULL)
		return NULL;
	return xstrdup(comp_cands[comp_i++]);	/* readline frees it */
}

/* Complete the word text at start: command words, options, logins,
 * roles from the table; file names where a FILE goes. */
static char **
sysop_console_complete(const char *text, int start, int end)
{
	char	*head, **argv, **m = NULL;
	int	 argc, files = 0;

	(void)end;
	rl_attempted_completion_over = 1;
	head = xasprintf("%.*s", start, rl_line_buffer);
	if (sysop_split(head, &argc, &argv) == 0) {
		comp_cands = sysop_complete(comp_console, argc, argv, text, &files);
		if (files)
			rl_attempted_completion_over = 0;
		else
			m = rl_completion_matches(text, sysop_console_next);
		user_list_free(comp_cands);
		comp_cands = NULL;
		sysop_argv_free(argv);
	}
	free(head);
	return m;
}

/* Ctrl-C at the prompt drops the line and asks again, as a shell does. */
static int
sysop_console_sigint(void)
{
	if (sysop_interrupted) {
		sysop_interrupted = 0;
		rl_replace_line("", 0);
		rl_crlf();
		rl_on_new_line();
		rl_redisplay();
	}
	return 0;
}

/* Where the history lives: in DATADIR if we may write there, else in
 * the home directory.  NULL when neither is known.  Caller frees. */
static char *
sysop_history_path(const struct sysop *s)
{
	const char	*home = getenv("HOME");

	if (access(s->datadir, W_OK) == 0)
		return xasprintf("%s/.sysop_history", s->datadir);
	if (home != NULL && *home != '\0')
		return xasprintf("%s/.parta_sysop_history", home);
	return NULL;
}

static void
sysop_history_add(const char *line)
{
	HIST_ENTRY	*last = history_get(history_base + history_length - 1);

	if (last == NULL || strcmp(last->line, line) != 0)
		add_history(line);
}

/* One line from stdin without its newline, or NULL at the end. */
static char *
sysop_read_plain(void)
{
	char	*line = NULL;
	size_t	 cap = 0;

	if (getline(&line, &cap, stdin) < 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

/*
 * Read and run commands until "quit" or the end of input.  0 when every
 * command succeeded, else -1, so a script fed to the console can tell.
 */
static int
sysop_loop(struct sysop *s)
{
	struct sigaction sa;
	char		*line, **argv, *hist = NULL;
	int		 argc, failed = 0, tty = isatty(STDIN_FILENO);

	if (sysop_store(s) == NULL)
		return -1;
	if (tty) {
		rl_readline_name = "parta-sysop";
		rl_attempted_completion_function = sysop_console_complete;
		rl_completer_quote_characters = "\"'";
		rl_signal_event_hook = sysop_console_sigint;
		comp_console = s;
		/* Ctrl-C only clears the line being typed: a command under
		 * way runs to its end, so no change is left half made. */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = sysop_on_sigint;	/* no SA_RESTART */
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		using_history();
		stifle_history(HISTORY_MAX);
		if ((hist = sysop_history_path(s)) != NULL)
			(void)read_history(hist);	/* none yet is fine */
		sysop_say(_("parta console on %s; \"help\" lists the commands, "
		    "\"quit\" leaves."), store_path(s->st));
	}
	while (!s->done) {
		sysop_interrupted = 0;
		line = tty ? readline(PROMPT) : sysop_read_plain();
		if (line == NULL) {
			if (tty)
				putchar('\n');
			break;
		}
		if (tty && line[strspn(line, " \t")] != '\0')
			sysop_history_add(line);
		if (sysop_split(line, &argc, &argv) != 0) {
			sysop_err(_("a quote is not closed"));
			failed = 1;
		} else {
			if (argc > 0 && sysop_exec(s, argc, argv) != 0)
				failed = 1;
			sysop_argv_free(argv);
		}
		free(line);
	}
	if (hist != NULL) {
		if (write_history(hist) == 0)
			(void)history_truncate_file(hist, HISTORY_MAX);
		free(hist);
	}
	if (tty)
		clear_history();
	return failed ? -1 : 0;
}

/* --help as -h, --datadir as -d: what people type first. */
static const struct option long_opts[] = {
	{ .name = "datadir", .has_arg = required_argument, .val = 'd' },
	{ .name = "help", .has_arg = no_argument, .val = 'h' },
	{ 0 }
};

static void
sysop_usage(FILE *fp)
{
	fprintf(fp, "%s\n", _("usage: parta-sysop [-d DATADIR] [-h] "
	    "[COMMAND ARGS...]"));
	fprintf(fp, _("The store is DATADIR/parta.db; DATADIR is %s unless -d "
	    "says otherwise.\nWithout a command, commands are read from the "
	    "terminal or from standard input.\n\nCommands:\n"), DEFAULT_DATADIR);
	sysop_help(fp, 0, NULL);
}

int
main(int argc, char **argv)
{
	struct sysop	 s;
	int		 c, rc;

	umask(077);	/* the store, its backups and the history are private */
	i18n_init(i18n_localedir(LOCALEDIR), i18n_env_lang());
	log_init("parta-sysop", LOG_LEVEL_WARN, 0);
	memset(&s, 0, sizeof(s));
	s.datadir = DEFAULT_DATADIR;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+d:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			s.datadir = optarg;
			break;
		case 'h':
			sysop_usage(stdout);
			return 0;
		default:
			sysop_err(optopt == 'd' ? _("option -%c needs a value") :
			    _("unknown option -%c"), optopt);
			sysop_usage(stderr);
			return 1;
		}
	}
	if (*s.datadir == '\0') {
		sysop_err(_("the data directory must not be empty"));
		return 1;
	}
	s.actor = sysop_actor_name();
	if (optind < argc)
		rc = sysop_exec(&s, argc - optind, argv + optind);
	else
		rc = sysop_loop(&s);
	store_close(s.st);
	free(s.actor);
	if (fflush(stdout) != 0 && rc == 0) {
		sysop_err("%s", strerror(errno));
		rc = -1;
	}
	return rc == 0 ? 0 : 1;
}
