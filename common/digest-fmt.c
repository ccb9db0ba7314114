/*
 * digest-fmt.c: a digest as plain text and as one HTML file, for the
 * school's printer, Notepad, `less` and an old browser (digest-fmt.h).
 *
 * Both renderings, and the QWK packet (qwk.c), read the store once into
 * a struct digest_fmt_doc: the boards in their order, each board's shown
 * threads (pinned first, then newest activity, as the BBS lists them)
 * with their shown posts in order, her inbox and the news.  The text is
 * built in UTF-8 and converted at the end, once, as the pump converts a
 * terminal's output: the legacy encodings get the BBS's one-column
 * substitutes, so columns stay aligned in every encoding.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "charset.h"
#include "digest.h"
#include "digest-fmt.h"
#include "i18n.h"
#include "log.h"
#include "perr.h"
#include "qwk.h"
#include "store.h"
#include "sync-local.h"
#include "text.h"
#include "util.h"

static const struct store_col digest_fmt_post_cols[] = {
	STORE_COL(I64, struct digest_fmt_post, id),
	STORE_COL(I64, struct digest_fmt_post, reply_to),
	STORE_COL(I64, struct digest_fmt_post, created_at),
	STORE_COL(TEXT, struct digest_fmt_post, author),
	STORE_COL(TEXT, struct digest_fmt_post, login),
	STORE_COL(TEXT, struct digest_fmt_post, subject),
	STORE_COL(TEXT, struct digest_fmt_post, body),
};
static const struct store_rowtype digest_fmt_post_type = {
	STORE_ROWS(struct digest_fmt_post, digest_fmt_post_cols)
};

static void digest_fmt_thread_clear(void *);
static const struct store_col digest_fmt_thread_cols[] = {
	STORE_COL(I64, struct digest_fmt_thread, id),
	STORE_COL(TEXT, struct digest_fmt_thread, subject),
};
static const struct store_rowtype digest_fmt_thread_type = {
	STORE_ROWS(struct digest_fmt_thread, digest_fmt_thread_cols),
	.clear = digest_fmt_thread_clear,
};

static void digest_fmt_board_clear(void *);
static const struct store_col digest_fmt_board_cols[] = {
	STORE_COL(I64, struct digest_fmt_board, id),
	STORE_COL(TEXT, struct digest_fmt_board, name),
	STORE_COL(TEXT, struct digest_fmt_board, title),
};
static const struct store_rowtype digest_fmt_board_type = {
	STORE_ROWS(struct digest_fmt_board, digest_fmt_board_cols),
	.clear = digest_fmt_board_clear,
};

static void
digest_fmt_thread_clear(void *elem)
{
	struct digest_fmt_thread *t = elem;

	store_rows_free(&digest_fmt_post_type, t->posts, t->nposts);
}

static void
digest_fmt_board_clear(void *elem)
{
	struct digest_fmt_board *b = elem;

	store_rows_free(&digest_fmt_thread_type, b->threads, b->nthreads);
}

/* The author of a row: her display name, else a federated post's. */
#define DIGEST_FMT_AUTHOR(p)						\
	"COALESCE(u.display_name, " p ".foreign_name, ''), "		\
	"COALESCE(u.login, " p ".foreign_login, '')"

static int
digest_fmt_read_boards(struct store *st, struct digest_fmt_doc *d,
    int64_t since)
{
	struct digest_fmt_board	*b;
	struct digest_fmt_thread *t;
	size_t			 i, j;
	int			 rc;

	rc = store_rows(st, store_stmt(st, "SELECT id, name, title "
	    "FROM boards ORDER BY position, name", ""),
	    &digest_fmt_board_type, &d->boards, &d->nboards, "digest boards");
	for (i = 0; rc == 0 && i < d->nboards; i++) {
		b = &d->boards[i];
		rc = store_rows(st, store_stmt(st, "SELECT t.id, t.subject "
		    "FROM threads t WHERE t.board_id = ?1 AND "
		    "t.hidden_at IS NULL AND t.approved = 1 AND EXISTS "
		    "(SELECT 1 FROM posts p WHERE p.thread_id = t.id AND "
		    "p.hidden_at IS NULL AND p.created_at >= ?2) "
		    "ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC",
		    "ii", b->id, since), &digest_fmt_thread_type, &b->threads,
		    &b->nthreads, "digest threads");
		for (j = 0; rc == 0 && j < b->nthreads; j++) {
			t = &b->threads[j];
			rc = store_rows(st, store_stmt(st, "SELECT p.id, "
			    "COALESCE(p.reply_to, 0), p.created_at, "
			    DIGEST_FMT_AUTHOR("p") ", p.subject, p.body "
			    "FROM posts p LEFT JOIN users u ON "
			    "u.id = p.author_id WHERE p.thread_id = ?1 AND "
			    "p.hidden_at IS NULL AND p.created_at >= ?2 "
			    "ORDER BY p.id", "ii", t->id, since),
			    &digest_fmt_post_type, &t->posts, &t->nposts,
			    "digest posts");
			d->total += t->nposts;
		}
	}
	return rc;
}

static int
digest_fmt_read_owner(struct store *st, struct digest_fmt_doc *d,
    int64_t since)
{
	int64_t	 uid;
	int	 rc;

	if (*d->owner == '\0')
		return 0;
	if ((rc = store_int(st, &uid, "SELECT id FROM users WHERE login = ?1",
	    "t", d->owner)) != 0)
		return rc;
	free(d->owner_name);
	if ((rc = store_text(st, &d->owner_name, "SELECT display_name FROM"
	    " users WHERE id = ?1", "i", uid)) != 0)
		return rc;
	return store_rows(st, store_stmt(st, "SELECT m.id, "
	    "COALESCE(m.reply_to, 0), m.created_at, "
	    "COALESCE(u.display_name, ''), COALESCE(u.login, ''), "
	    "m.subject, m.body FROM mail m JOIN mail_boxes b ON "
	    "b.mail_id = m.id LEFT JOIN users u ON u.id = m.sender_id "
	    "WHERE b.user_id = ?1 AND b.folder = 'inbox' AND "
	    "b.deleted_at IS NULL AND m.created_at >= ?2 ORDER BY m.id",
	    "ii", uid, since), &digest_fmt_post_type, &d->mail, &d->nmail,
	    "digest mail");
}

int
digest_fmt_read(struct store *st, const struct digest_fmt_opts *o,
    struct digest_fmt_doc **out, char **cause)
{
	struct digest_fmt_doc	*d;
	const struct store_meta	*m = store_meta(st);
	const char		*owner = o->owner;
	int			 rc;

	*out = NULL;
	*cause = NULL;
	if (owner == NULL)
		owner = m != NULL && m->owner != NULL ? m->owner : "";
	d = xcalloc(1, sizeof(*d));
	d->owner = xstrdup(owner);
	d->owner_name = xstrdup(owner);
	d->title = xstrdup(o->title != NULL ? o->title : _("Digest"));
	d->now = o->now != 0 ? o->now : now_unix();
	if ((rc = store_begin_read(st)) != 0)
		goto out;
	if ((rc = digest_fmt_read_boards(st, d, o->since)) == 0 &&
	    (rc = digest_fmt_read_owner(st, d, o->since)) == 0)
		rc = store_rows(st, store_stmt(st, "SELECT n.id, 0, "
		    "n.created_at, COALESCE(u.display_name, ''), "
		    "COALESCE(u.login, ''), n.title, n.body FROM news n "
		    "LEFT JOIN users u ON u.id = n.author_id "
		    "WHERE n.created_at >= ?1 ORDER BY n.id DESC", "i",
		    o->since), &digest_fmt_post_type, &d->news, &d->nnews,
		    "digest news");
	store_rollback(st);
out:
	if (rc != 0) {
		*cause = xasprintf("%s: %s", store_path(st), perr_str(rc));
		digest_fmt_doc_free(d);
		return -1;
	}
	*out = d;
	return 0;
}

void
digest_fmt_doc_free(struct digest_fmt_doc *d)
{
	if (d == NULL)
		return;
	store_rows_free(&digest_fmt_board_type, d->boards, d->nboards);
	store_rows_free(&digest_fmt_post_type, d->mail, d->nmail);
	store_rows_free(&digest_fmt_post_type, d->news, d->nnews);
	free(d->title);
	free(d->owner);
	free(d->owner_name);
	free(d);
}

/* --- text ---------------------------------------------------------- */

/* One paragraph (a line of the body, no newline) wrapped into fp at
 * cols, each row after indent; a quoted line keeps its marks ("> > ")
 * on every row it becomes. */
static void
digest_fmt_wrap(FILE *fp, const char *line, const char *indent, int cols)
{
	const char	*s = line;
	size_t		 q = 0, len, next;
	int		 w;

	while (s[q] == '>' || (q > 0 && s[q] == ' ' && s[q - 1] == '>'))
		q++;
	w = cols - text_width(indent) - (int)q;
	if (w < 20)
		w = 20;
	s += q;
	if (*s == '\0') {
		fprintf(fp, "%s%.*s\n", indent, (int)q, line);
		return;
	}
	while (*s != '\0') {
		len = text_wrap(s, w, &next);
		fprintf(fp, "%s%.*s%.*s\n", indent, (int)q, line, (int)len, s);
		s += next;
	}
}

/* body, sanitized, paragraph by paragraph. */
static void
digest_fmt_body(FILE *fp, const char *body, const char *indent)
{
	char	*clean = text_sanitize(body, 1), *line, *nl;

	for (line = clean; line != NULL; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		if (nl == NULL && *line == '\0')
			break;
		digest_fmt_wrap(fp, line, indent, DIGEST_FMT_COLS);
	}
	free(clean);
}

/* A one-line text (a subject, a name) made safe to print. */
static char *
digest_fmt_line(const char *s)
{
	return text_sanitize(s, 0);
}

/* A row of c, DIGEST_FMT_COLS wide. */
static void
digest_fmt_rule(FILE *fp, char c)
{
	int	 i;

	for (i = 0; i < DIGEST_FMT_COLS; i++)
		fputc(c, fp);
	fputc('\n', fp);
}

/* "left ........ right": a row of the table of contents, left cut to
 * fit; right "" leaves the row without dots. */
static void
digest_fmt_toc_row(FILE *fp, const char *left, const char *right)
{
	char	*l = digest_fmt_line(left);
	int	 room = DIGEST_FMT_COLS - text_width(right) - 1, w;

	l[text_fit(l, room - 1)] = '\0';
	fputs(l, fp);
	if (*right != '\0') {
		for (w = text_width(l); w < room; w++)
			fputc(w == text_width(l) ? ' ' : '.', fp);
		fprintf(fp, " %s", right);
	}
	fputc('\n', fp);
	free(l);
}

/* "Author, 22.11.2026 14:03 [2/5]" above a post. */
static void
digest_fmt_post_head(FILE *fp, const struct digest_fmt_post *p,
    size_t i, size_t n)
{
	char	 when[32], *who, *row;

	who = digest_fmt_line(*p->author != '\0' ? p->author :
	    _("(account removed)"));
	text_date(p->created_at, TEXT_DATE_MINUTE, when, sizeof(when));
	row = xasprintf("%s, %s [%zu/%zu]", who, when, i + 1, n);
	digest_fmt_wrap(fp, row, "", DIGEST_FMT_COLS);
	free(row);
	free(who);
}

static void
digest_fmt_letters(FILE *fp, const char *heading,
    const struct digest_fmt_post *v, size_t n)
{
	char	 when[32], *s, *who;
	size_t	 i;

	if (n == 0)
		return;
	digest_fmt_rule(fp, '=');
	fprintf(fp, "%s\n", heading);
	digest_fmt_rule(fp, '=');
	for (i = 0; i < n; i++) {
		s = digest_fmt_line(v[i].subject);
		who = digest_fmt_line(v[i].author);
		text_date(v[i].created_at, TEXT_DATE_MINUTE, when,
		    sizeof(when));
		fputc('\n', fp);
		digest_fmt_wrap(fp, s, "", DIGEST_FMT_COLS);
		fprintf(fp, "%s%s%s\n", who, *who != '\0' ? ", " : "", when);
		digest_fmt_rule(fp, '-');
		digest_fmt_body(fp, v[i].body, "");
		free(s);
		free(who);
	}
	fputc('\n', fp);
}

char *
digest_fmt_text_string(const struct digest_fmt_doc *d)
{
	const struct digest_fmt_board	*b;
	const struct digest_fmt_thread	*t;
	FILE	*fp;
	char	*buf = NULL, *s, when[32], right[64];
	size_t	 len = 0, i, j, k;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	s = digest_fmt_line(d->title);
	text_date(d->now, TEXT_DATE_MINUTE, when, sizeof(when));
	digest_fmt_rule(fp, '=');
	digest_fmt_wrap(fp, s, "", DIGEST_FMT_COLS);
	free(s);
	if (*d->owner != '\0') {
		s = digest_fmt_line(d->owner_name);
		fprintf(fp, _("For %s (%s), made %s"), s, d->owner, when);
		free(s);
	} else
		fprintf(fp, _("Made %s"), when);
	fputc('\n', fp);
	digest_fmt_rule(fp, '=');
	fprintf(fp, "\n%s\n\n", _("Contents"));
	for (i = 0; i < d->nboards; i++) {
		b = &d->boards[i];
		if (b->nthreads == 0)
			continue;
		s = xasprintf("%zu. %s", i + 1, b->title);
		digest_fmt_toc_row(fp, s, "");
		free(s);
		for (j = 0; j < b->nthreads; j++) {
			t = &b->threads[j];
			s = xasprintf("   %zu.%zu %s", i + 1, j + 1,
			    t->subject);
			snprintf(right, sizeof(right), "%zu", t->nposts);
			digest_fmt_toc_row(fp, s, right);
			free(s);
		}
	}
	if (d->nmail > 0) {
		snprintf(right, sizeof(right), "%zu", d->nmail);
		digest_fmt_toc_row(fp, _("Mail"), right);
	}
	if (d->nnews > 0) {
		snprintf(right, sizeof(right), "%zu", d->nnews);
		digest_fmt_toc_row(fp, _("News"), right);
	}
	if (d->total == 0 && d->nmail == 0 && d->nnews == 0)
		fprintf(fp, "%s\n", _("Nothing new."));
	fputc('\n', fp);
	for (i = 0; i < d->nboards; i++) {
		b = &d->boards[i];
		if (b->nthreads == 0)
			continue;
		digest_fmt_rule(fp, '=');
		s = xasprintf("%zu. %s (%s)", i + 1, b->title, b->name);
		digest_fmt_wrap(fp, s, "", DIGEST_FMT_COLS);
		free(s);
		digest_fmt_rule(fp, '=');
		for (j = 0; j < b->nthreads; j++) {
			t = &b->threads[j];
			s = xasprintf("%zu.%zu %s", i + 1, j + 1, t->subject);
			fputc('\n', fp);
			digest_fmt_wrap(fp, s, "", DIGEST_FMT_COLS);
			free(s);
			digest_fmt_rule(fp, '-');
			for (k = 0; k < t->nposts; k++) {
				if (k > 0)
					fputc('\n', fp);
				digest_fmt_post_head(fp, &t->posts[k], k,
				    t->nposts);
				digest_fmt_body(fp, t->posts[k].body, "  ");
			}
		}
		fputc('\n', fp);
	}
	digest_fmt_letters(fp, _("Mail"), d->mail, d->nmail);
	digest_fmt_letters(fp, _("News"), d->news, d->nnews);
	if (fclose(fp) != 0)
		fatal("open_memstream");
	return buf;
}

/* Write s (UTF-8, LF) on fp in o's encoding and line ends. */
static int
digest_fmt_put(FILE *fp, const char *s, const struct digest_fmt_opts *o,
    char **cause)
{
	char		*conv = NULL;
	const char	*p;

	if (o->charset != CHARSET_UTF8)
		s = conv = charset_convert(o->charset, CHARSET_OUT, s);
	for (p = s; *p != '\0'; p++) {
		if (*p == '\n' && o->crlf)
			fputc('\r', fp);
		fputc(*p, fp);
	}
	free(conv);
	if (fflush(fp) != 0 || ferror(fp)) {
		*cause = xasprintf("%s", _("cannot write the digest"));
		return -1;
	}
	return 0;
}

int
digest_fmt_text(struct store *st, const struct digest_fmt_opts *o,
    FILE *fp, char **cause)
{
	struct digest_fmt_doc	*d;
	char			*s;
	int			 rc;

	if (digest_fmt_read(st, o, &d, cause) != 0)
		return -1;
	s = digest_fmt_text_string(d);
	rc = digest_fmt_put(fp, s, o, cause);
	free(s);
	digest_fmt_doc_free(d);
	return rc;
}

/* --- HTML ---------------------------------------------------------- */

/* s with &, <, >, " and ' escaped, control characters made U+FFFD. */
static void
digest_fmt_esc(FILE *fp, const char *s, int keep_newlines)
{
	char		*clean = text_sanitize(s, keep_newlines);
	const char	*p;

	for (p = clean; *p != '\0'; p++) {
		switch (*p) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: fputc(*p, fp); break;
		}
	}
	free(clean);
}

/* A body: a <pre> whose quoted lines are marked for the style. */
static void
digest_fmt_html_body(FILE *fp, const char *body)
{
	char	*b = xstrdup(body), *line, *nl;

	fputs("<pre>", fp);
	for (line = b; line != NULL; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		if (nl == NULL && *line == '\0')
			break;
		if (*line == '>') {
			fputs("<span class=\"q\">", fp);
			digest_fmt_esc(fp, line, 0);
			fputs("</span>\n", fp);
		} else {
			digest_fmt_esc(fp, line, 0);
			fputc('\n', fp);
		}
	}
	fputs("</pre>\n", fp);
	free(b);
}

static void
digest_fmt_html_post(FILE *fp, const struct digest_fmt_post *p,
    const char *heading)
{
	char	 when[32];

	text_date(p->created_at, TEXT_DATE_MINUTE, when, sizeof(when));
	fputs("<div class=\"post\"><p class=\"head\">", fp);
	if (heading != NULL) {
		fputs("<b>", fp);
		digest_fmt_esc(fp, heading, 0);
		fputs("</b><br>", fp);
	}
	digest_fmt_esc(fp, *p->author != '\0' ? p->author :
	    _("(account removed)"), 0);
	fprintf(fp, ", %s</p>\n", when);
	digest_fmt_html_body(fp, p->body);
	fputs("</div>\n", fp);
}

/* The style: inline, for browsers of any age; nothing is fetched. */
static const char digest_fmt_style[] =
    "body{font-family:serif;max-width:44em;margin:1em auto;padding:0 1em}"
    "pre{white-space:pre-wrap;font-family:monospace}"
    ".q{color:#555}.head{color:#333;margin-bottom:0}"
    ".post{border-top:1px solid #ccc;margin-top:1em}"
    "@media print{a{color:black;text-decoration:none}}";

static void
digest_fmt_html_section(FILE *fp, const char *id, const char *heading,
    const struct digest_fmt_post *v, size_t n)
{
	size_t	 i;

	if (n == 0)
		return;
	fprintf(fp, "<h2 id=\"%s\">", id);
	digest_fmt_esc(fp, heading, 0);
	fputs("</h2>\n", fp);
	for (i = 0; i < n; i++)
		digest_fmt_html_post(fp, &v[i], v[i].subject);
}

static void
digest_fmt_html_doc(FILE *fp, const struct digest_fmt_doc *d)
{
	const struct digest_fmt_board	*b;
	const struct digest_fmt_thread	*t;
	char	 when[32], *s;
	size_t	 i, j, k;

	text_date(d->now, TEXT_DATE_MINUTE, when, sizeof(when));
	fputs("<!DOCTYPE html>\n<html lang=\"ru\"><head>"
	    "<meta charset=\"utf-8\">\n<title>", fp);
	digest_fmt_esc(fp, d->title, 0);
	fprintf(fp, "</title>\n<style>%s</style>\n</head><body>\n<h1>",
	    digest_fmt_style);
	digest_fmt_esc(fp, d->title, 0);
	fputs("</h1>\n<p>", fp);
	if (*d->owner != '\0') {
		s = xasprintf(_("For %s (%s), made %s"), d->owner_name,
		    d->owner, when);
		digest_fmt_esc(fp, s, 0);
		free(s);
	} else {
		s = xasprintf(_("Made %s"), when);
		digest_fmt_esc(fp, s, 0);
		free(s);
	}
	fprintf(fp, "</p>\n<h2>%s</h2>\n<ul>\n", _("Contents"));
	for (i = 0; i < d->nboards; i++) {
		b = &d->boards[i];
		if (b->nthreads == 0)
			continue;
		fprintf(fp, "<li><a href=\"#b%lld\">", (long long)b->id);
		digest_fmt_esc(fp, b->title, 0);
		fputs("</a><ul>\n", fp);
		for (j = 0; j < b->nthreads; j++) {
			t = &b->threads[j];
			fprintf(fp, "<li><a href=\"#t%lld\">",
			    (long long)t->id);
			digest_fmt_esc(fp, t->subject, 0);
			fprintf(fp, "</a> (%zu)</li>\n", t->nposts);
		}
		fputs("</ul></li>\n", fp);
	}
	if (d->nmail > 0)
		fprintf(fp, "<li><a href=\"#mail\">%s</a> (%zu)</li>\n",
		    _("Mail"), d->nmail);
	if (d->nnews > 0)
		fprintf(fp, "<li><a href=\"#news\">%s</a> (%zu)</li>\n",
		    _("News"), d->nnews);
	fputs("</ul>\n", fp);
	if (d->total == 0 && d->nmail == 0 && d->nnews == 0)
		fprintf(fp, "<p>%s</p>\n", _("Nothing new."));
	for (i = 0; i < d->nboards; i++) {
		b = &d->boards[i];
		if (b->nthreads == 0)
			continue;
		fprintf(fp, "<h2 id=\"b%lld\">", (long long)b->id);
		digest_fmt_esc(fp, b->title, 0);
		fputs("</h2>\n", fp);
		for (j = 0; j < b->nthreads; j++) {
			t = &b->threads[j];
			fprintf(fp, "<h3 id=\"t%lld\">", (long long)t->id);
			digest_fmt_esc(fp, t->subject, 0);
			fputs("</h3>\n", fp);
			for (k = 0; k < t->nposts; k++)
				digest_fmt_html_post(fp, &t->posts[k], NULL);
		}
	}
	digest_fmt_html_section(fp, "mail", _("Mail"), d->mail, d->nmail);
	digest_fmt_html_section(fp, "news", _("News"), d->news, d->nnews);
	fputs("</body></html>\n", fp);
}

int
digest_fmt_html(struct store *st, const struct digest_fmt_opts *o,
    FILE *fp, char **cause)
{
	struct digest_fmt_doc	*d;

	if (digest_fmt_read(st, o, &d, cause) != 0)
		return -1;
	digest_fmt_html_doc(fp, d);
	digest_fmt_doc_free(d);
	if (fflush(fp) != 0 || ferror(fp)) {
		*cause = xasprintf("%s", _("cannot write the digest"));
		return -1;
	}
	return 0;
}

/* --- the table ----------------------------------------------------- */

const struct digest_fmt_format digest_fmt_formats[] = {
	{ .name = "text", .kind = DIGEST_FMT_TEXT, .charset = CHARSET_UTF8 },
	{ .name = "text-crlf", .kind = DIGEST_FMT_TEXT,
	  .charset = CHARSET_UTF8, .crlf = 1 },
	{ .name = "text-koi8r", .kind = DIGEST_FMT_TEXT,
	  .charset = CHARSET_KOI8R },
	{ .name = "text-cp1251", .kind = DIGEST_FMT_TEXT,
	  .charset = CHARSET_CP1251, .crlf = 1 },
	{ .name = "text-cp866", .kind = DIGEST_FMT_TEXT,
	  .charset = CHARSET_CP866, .crlf = 1 },
	{ .name = "html", .kind = DIGEST_FMT_HTML },
	{ .name = "qwk", .kind = DIGEST_FMT_QWK },
};
const size_t digest_fmt_nformats = nitems(digest_fmt_formats);

const struct digest_fmt_format *
digest_fmt_format(const char *name)
{
	return names_row(digest_fmt_formats, digest_fmt_nformats,
	    sizeof(digest_fmt_formats[0]), name);
}

int
digest_fmt_render(struct store *st, const struct digest_fmt_format *f,
    const struct digest_fmt_opts *opts, const char *out, char **cause)
{
	struct digest_fmt_opts	 o = { 0 };
	FILE			*fp;
	int			 fd, rc;

	*cause = NULL;
	if (opts != NULL)
		o = *opts;
	o.charset = f->charset;
	o.crlf = f->crlf;
	if (f->kind == DIGEST_FMT_QWK)
		return qwk_write(st, &o, out, NULL, cause);
	if ((fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("%s: %s", out, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	rc = f->kind == DIGEST_FMT_TEXT ? digest_fmt_text(st, &o, fp, cause) :
	    digest_fmt_html(st, &o, fp, cause);
	if (fclose(fp) != 0 && rc == 0) {
		*cause = xasprintf("%s: %s", out, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		(void)remove(out);
	return rc;
}

int
digest_fmt_file(const struct digest_format *f, const char *src,
    const char *out, char **cause)
{
	const struct digest_fmt_format *ff;
	struct digest_fmt_opts	 o = { 0 };
	struct digest_info	 di;
	struct store		*st = NULL;
	const char		*tmpdir;
	char			 dir[PATH_MAX], *copy = NULL;
	int			 rc = -1;

	*cause = NULL;
	if ((ff = digest_fmt_format(f->name)) == NULL) {
		*cause = xasprintf("no rendering %s", f->name);
		return -1;
	}
	if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	snprintf(dir, sizeof(dir), "%s/parta-render.XXXXXX", tmpdir);
	if (mkdtemp(dir) == NULL) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	/* No search index: a rendering reads the rows in order. */
	if (digest_unpack(src, dir, &di, DIGEST_UNPACK_NOINDEX, cause) != 0)
		goto out;
	copy = xasprintf("%s/%s", dir, SYNC_LOCAL_COPY);
	if (store_open_mode(copy, STORE_READONLY, &st, cause) == 0) {
		o.owner = di.user;
		rc = digest_fmt_render(st, ff, &o, out, cause);
	}
	digest_info_free(&di);
out:
	store_close(st);
	free(copy);
	digest_unpack_remove(dir);
	return rc;
}
