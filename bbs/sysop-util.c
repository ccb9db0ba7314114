/*
 * sysop-util.c: what the console's commands share.  A grid lines up
 * columns by display width for every listing; the rest turns a command's
 * arguments into values (joined words, a positive number, the account of
 * --as, a text read from standard input) and reports why an action
 * failed, each kind of failure in one wording wherever it happens.
 *
 * Everything printed here passes text_sanitize(): names, titles and
 * reasons were typed by people on the BBS.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "board.h"
#include "perr.h"
#include "request.h"
#include "sysop.h"
#include "text.h"
#include "user.h"
#include "util.h"

void
sysop_grid_init(struct sysop_grid *g, size_t ncols, int clip, unsigned right)
{
	memset(g, 0, sizeof(*g));
	g->ncols = ncols;
	g->clip = clip;
	g->right = right;
}

/* A sanitised copy of s cut to max columns with an ellipsis. */
char *
sysop_cell_new(const char *s, int max)
{
	char	*t = text_sanitize(s, 0), *c;
	size_t	 n;

	if (max == 0 || text_width(t) <= max)
		return t;
	n = text_fit(t, max - 1);
	c = xasprintf("%.*s…", (int)n, t);
	free(t);
	return c;
}

/* Add a row: g->ncols strings, copied. */
void
sysop_grid_add(struct sysop_grid *g, ...)
{
	va_list	 ap;
	char	*c;
	size_t	 i;
	int	 w;

	g->cell = xrealloc(g->cell, (g->nrows + 1) * g->ncols * sizeof(*g->cell));
	va_start(ap, g);
	for (i = 0; i < g->ncols; i++) {
		c = sysop_cell_new(va_arg(ap, const char *), g->clip);
		g->cell[g->nrows * g->ncols + i] = c;
		if ((w = text_width(c)) > g->w[i])
			g->w[i] = w;
	}
	va_end(ap);
	g->nrows++;
}

/* Print the rows, each indented by indent columns, without trailing
 * blanks. */
void
sysop_grid_print(const struct sysop_grid *g, FILE *fp, int indent)
{
	char	**row;
	size_t	 r, i, last;
	int	 pad;

	for (r = 0; r < g->nrows; r++) {
		row = &g->cell[r * g->ncols];
		for (last = g->ncols; last > 1 && *row[last - 1] == '\0'; last--)
			;
		fprintf(fp, "%*s", indent, "");
		for (i = 0; i < last; i++) {
			pad = g->w[i] - text_width(row[i]);
			if (g->right & (1u << i))
				fprintf(fp, "%*s%s", pad, "", row[i]);
			else if (i + 1 < last)
				fprintf(fp, "%s%*s", row[i], pad, "");
			else
				fputs(row[i], fp);
			if (i + 1 < last)
				fputs("  ", fp);
		}
		fputc('\n', fp);
	}
}

void
sysop_grid_free(struct sysop_grid *g)
{
	size_t	 i;

	for (i = 0; i < g->nrows * g->ncols; i++)
		free(g->cell[i]);
	free(g->cell);
	g->cell = NULL;
	g->nrows = 0;
}

/*
 * Print a listing whose first row is the header, or the message empty
 * when only the header is there; then free it.
 */
void
sysop_grid_list(struct sysop_grid *g, const char *empty)
{
	if (g->nrows > 1)
		sysop_grid_print(g, stdout, 0);
	else
		sysop_say("%s", empty);
	sysop_grid_free(g);
}

/* argv joined by single spaces, "" for none.  Caller frees. */
char *
sysop_join(int argc, char **argv)
{
	size_t	 len = 1, o = 0, n;
	char	*s;
	int	 i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = xmalloc(len);
	for (i = 0; i < argc; i++) {
		if (i > 0)
			s[o++] = ' ';
		n = strlen(argv[i]);
		memcpy(s + o, argv[i], n);
		o += n;
	}
	s[o] = '\0';
	return s;
}

/* Report a failed action on what arg names: notfound (a format taking
 * arg) for PERR_NOTFOUND, else arg with the error.  Returns -1. */
int
sysop_fail_named(const char *notfound, const char *arg, int rc)
{
	if (rc == PERR_NOTFOUND)
		sysop_err(notfound, arg);
	else
		sysop_err("%s: %s", arg, _(perr_str(rc)));
	return -1;
}

/* Report a failed add of name: exists (a format taking name) for
 * PERR_EXISTS, else the error, blaming field (NULL: no one argument).
 * Returns -1. */
int
sysop_fail_exists(const char *exists, const char *name, const char *field,
    int rc)
{
	if (rc == PERR_EXISTS) {
		sysop_err(exists, name);
		return -1;
	}
	if (field != NULL)
		return sysop_fail_field(field, rc);
	return sysop_fail(rc);
}

/* Report a failed action on the account login; returns -1. */
int
sysop_fail_user(const char *login, int rc)
{
	return sysop_fail_named(_("no account named \"%s\""), login, rc);
}

/* Report what is wrong with the text given for field; returns -1. */
int
sysop_fail_field(const char *field, int rc)
{
	sysop_err("%s: %s", field, _(perr_str(rc)));
	return -1;
}

/* Report a failed action on login that also took a reason: the reason
 * is to blame unless the account is.  Returns -1. */
int
sysop_fail_reason(const char *login, int rc)
{
	if (rc == PERR_NOTFOUND || rc == PERR_NOT_PENDING || rc == PERR_DB)
		return sysop_fail_user(login, rc);
	return sysop_fail_field(_("reason"), rc);
}

/* Report a store error that concerns no one argument; returns -1. */
int
sysop_fail(int rc)
{
	sysop_err("%s", _(perr_str(rc)));
	return -1;
}

/*
 * Read all of standard input into *out (NUL-terminated, caller frees),
 * taken as text from a file (text_from_file: CRLF and CR become LF,
 * tabs spaces).  0, or PERR_POST_SIZE when it holds more than max bytes.
 *
 * On a terminal the sysop is first told how to end the text (hint, a
 * message id, says what to type): a line holding only "." ends it, as
 * in mail(1), or Ctrl-D at the start of a line; the console then goes on
 * reading commands.  From a pipe or a file every line is text, to the
 * end.
 */
int
sysop_read_stdin(char **out, size_t max, const char *hint)
{
	size_t	 len = 0, cap = 4096, n, lcap = 0;
	char	*buf = xmalloc(cap), *text, *line = NULL;
	ssize_t	 ll;
	int	 tty = isatty(STDIN_FILENO);

	*out = NULL;
	if (tty)
		sysop_say("%s %s", _(hint), _("End it with a line holding only"
		    " a dot, or Ctrl-D at the start of a line."));
	for (;;) {
		if (tty) {	/* line by line, to see the dot */
			if ((ll = getline(&line, &lcap, stdin)) <= 0)
				break;
			if (strcmp(line, ".\n") == 0 || strcmp(line, ".") == 0)
				break;
			n = (size_t)ll;
			while (len + n + 1 >= cap)
				buf = xrealloc(buf, cap *= 2);
			memcpy(buf + len, line, n);
		} else {
			if (len + 1 >= cap)
				buf = xrealloc(buf, cap *= 2);
			n = fread(buf + len, 1, cap - len - 1, stdin);
			if (n == 0)
				break;
		}
		len += n;
		if (len > max) {
			free(buf);
			free(line);
			if (tty)
				clearerr(stdin);
			return PERR_POST_SIZE;
		}
	}
	free(line);
	if (tty)
		clearerr(stdin);	/* Ctrl-D: the console reads on */
	buf[len] = '\0';
	text = text_from_file(buf);
	free(buf);
	/* One trailing newline is the shell's, not the author's. */
	len = strlen(text);
	while (len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	*out = text;
	return 0;
}

/*
 * Report what is wrong with text given for field (NULL when it was not
 * read); returns -1.  A character that may not be stored is named, with
 * its line when the text is a file's (multiline), so that it can be
 * found and mended.
 */
int
sysop_fail_text(const char *field, const char *text, int multiline, int rc)
{
	const char	*name;
	size_t		 line;
	int32_t		 cp;

	if ((rc != PERR_CONTROL && rc != PERR_UTF8) || text == NULL ||
	    text_find_bad(text, &line, &cp) != rc)
		return sysop_fail_field(field, rc);
	/* Every character text_check refuses has an abbreviation. */
	if ((name = text_control_name(cp)) == NULL)
		name = "?";
	if (rc == PERR_UTF8 && multiline)
		sysop_err(_("%s: line %zu: byte 0x%02X is not UTF-8 (convert the"
		    " file with iconv)"), field, line, (unsigned)cp);
	else if (rc == PERR_UTF8)
		sysop_err(_("%s: byte 0x%02X is not UTF-8"), field, (unsigned)cp);
	else if (multiline)
		sysop_err(_("%s: line %zu: control character U+%04X (%s)"), field,
		    line, (unsigned)cp, name);
	else
		sysop_err(_("%s: control character U+%04X (%s)"), field,
		    (unsigned)cp, name);
	return -1;
}

/* The account named by --as, or none (0) when absent. */
int
sysop_as(struct sysop *s, const char *login, int64_t *id)
{
	struct user	*u = NULL;
	int		 rc;

	*id = 0;
	if (login == NULL)
		return 0;
	if ((rc = user_get(s->st, login, &u)) != 0)
		return sysop_fail_user(login, rc);
	*id = u->id;
	user_free(u);
	return 0;
}

/* A positive number in s into *id: 0, or -1 (reported with bad, a format
 * taking s; NULL: s with the error PERR_NUMBER). */
int
sysop_parse_id(const char *s, int64_t *id, const char *bad)
{
	char		*end;
	long long	 v = strtoll(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v <= 0) {
		if (bad != NULL)
			sysop_err(bad, s);
		else
			sysop_err("%s: %s", s, _(perr_str(PERR_NUMBER)));
		return -1;
	}
	*id = v;
	return 0;
}

int
sysop_request(struct sysop *s, struct request *r, struct request_result *res)
{
	struct request_result	 own;

	r->user = NULL;
	r->actor = s->actor;
	return request_apply(s->st, r, 0, res != NULL ? res : &own);
}

int
sysop_board_uuid(struct sysop *s, const char *name, char uuid[37])
{
	struct board	*b = NULL;
	int		 rc;

	uuid[0] = '\0';
	if ((rc = board_get_for(s->st, NULL, name, 0, &b)) != 0)
		return rc;
	strlcpy_p(uuid, b->uuid, 37);
	board_free(b);
	return 0;
}

int
sysop_board_request(struct sysop *s, const char *board, struct request *r)
{
	char	 uuid[37];
	int	 rc;

	if ((rc = sysop_board_uuid(s, board, uuid)) != 0)
		return rc;
	r->board = uuid;
	rc = sysop_request(s, r, NULL);
	r->board = NULL;
	return rc;
}

int
sysop_user_uuid(struct sysop *s, const char *login, char uuid[37])
{
	struct user	*u = NULL;
	int		 rc;

	uuid[0] = '\0';
	if ((rc = user_get(s->st, login, &u)) != 0)
		return rc;
	strlcpy_p(uuid, u->uuid, 37);
	user_free(u);
	return 0;
}
