/*
 * ui-pager.c: the text viewer the thread pager, mail and news share, and
 * a one-line question.  The viewer wraps text by display columns once,
 * remembering where each screen row starts, and scrolling redraws the
 * text rows only; curses sends the rows that changed.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "i18n.h"
#include "text.h"
#include "ui.h"
#include "util.h"

struct vline {
	size_t	 off, len;	/* bytes of the sanitised body */
	size_t	 qoff, qlen;	/* a quote's marker ("> > ") to draw first */
};

/* The bytes of the quote marker a paragraph starts with: '>' and the
 * '>' and spaces after it; 0 when it is no quote. */
static size_t
quote_marker(const char *p, int width)
{
	size_t	 n = 0;

	if (*p != '>')
		return 0;
	while (p[n] == '>' || p[n] == ' ')
		n++;
	return (int)n <= width / 2 ? n : 0;
}

/* Wrap s (sanitised, newlines kept) at width columns.  The newlines are
 * cut for a moment while a paragraph is measured.  A quoted paragraph's
 * rows after its first start with its marker again, so a quote wrapped
 * on a narrow terminal still reads as one. */
static struct vline *
wrap_lines(char *s, int width, size_t *n)
{
	struct vline	*v = NULL;
	size_t		 cap = 0, cut, next, q, qoff;
	char		*p = s, *nl;
	int		 first;

	*n = 0;
	for (;;) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		q = quote_marker(p, width);
		qoff = (size_t)(p - s);
		first = 1;
		do {		/* an empty paragraph is one empty row */
			cut = text_wrap(p, first ? width : width - (int)q,
			    &next);
			if (*n == cap)
				v = xrealloc(v, (cap = cap ? cap * 2 : 64) *
				    sizeof(*v));
			v[*n].off = (size_t)(p - s);
			v[*n].len = cut;
			v[*n].qoff = qoff;
			v[*n].qlen = first ? 0 : q;
			(*n)++;
			p += next;
			first = 0;
		} while (*p != '\0');
		if (nl == NULL)
			break;
		*nl = '\n';
		p = nl + 1;
	}
	return v;
}

struct viewer {
	struct ui	*ui;
	const char	*title, *head;
	const struct ui_keys *keys;
	char		*body;		/* sanitised */
	struct vline	*lines;
	size_t		 n, top;
	int		 body_y, rows;
};

static void
viewer_body(struct viewer *v)
{
	char	 help[512];
	int	 y, more = v->n > (size_t)v->rows;
	size_t	 i;

	for (y = v->body_y, i = v->top; y < LINES - 1; y++, i++) {
		move(y, 0);
		clrtoeol();
		if (i < v->n) {
			const struct vline *l = &v->lines[i];
			int	 quote = l->qlen > 0 || (l->len > 0 &&
			    v->body[l->off] == '>');

			if (quote)
				attron(A_DIM);
			move(y, 0);
			if (l->qlen > 0)
				addnstr(v->body + l->qoff, (int)l->qlen);
			addnstr(v->body + l->off, (int)l->len);
			if (quote)
				attroff(A_DIM);
		}
	}
	/* Room for "  (100%)" when the text is longer than the screen. */
	ui_keys_legend(v->ui, v->keys, COLS - 1 - (more ? 8 : 0), help,
	    sizeof(help));
	if (more)
		ui_status(v->ui, "%s  (%zu%%)", help,
		    (v->top + (size_t)v->rows >= v->n ? v->n :
		    v->top + (size_t)v->rows) * 100 / v->n);
	else
		ui_status(v->ui, "%s", help);
	move(LINES - 1, COLS - 1);
}

static void
viewer_draw(struct viewer *v)
{
	erase();
	ui_header(v->ui, v->title);
	attron(A_BOLD);
	v->body_y = ui_wrap(2, 0, LINES - 3, COLS - 1, v->head);
	attroff(A_BOLD);
	mvhline(v->body_y++, 0, ACS_HLINE, COLS);
	v->rows = LINES - 1 - v->body_y;
	if (v->rows < 1)
		v->rows = 1;
	free(v->lines);
	v->lines = wrap_lines(v->body, COLS - 1, &v->n);
	if (v->top >= v->n)
		v->top = v->n > 0 ? v->n - 1 : 0;
	viewer_body(v);
	refresh();
}

/* The viewer's own keys, for its "?" screen. */
static const struct ui_keydef viewer_keys[] = {
	{ .name = N_("Up, Down"), .label = N_("scroll a line") },
	{ .name = N_("PgUp, PgDn, Space"), .label = N_("scroll a page") },
	{ .name = N_("Home, End"), .label = N_("the beginning, the end") },
	{ .key = L'q', .label = N_("back"), .help = N_("back, as Esc") },
};

int
ui_viewer(struct ui *ui, const char *title, const char *head,
    const char *body, const struct ui_keys *keys, wint_t *key)
{
	struct viewer	 v;
	size_t		 old, page, last;
	const struct ui_keydef *d;
	wint_t		 wch;
	int		 k, rc = -1;

	memset(&v, 0, sizeof(v));
	v.ui = ui;
	v.title = title;
	v.head = head;
	v.keys = keys;
	v.body = text_sanitize(body, 1);
	viewer_draw(&v);
	while (rc < 0) {
		k = ui_key(ui, &wch);
		old = v.top;
		page = v.rows > 1 ? (size_t)v.rows - 1 : 1;
		last = v.n > (size_t)v.rows ? v.n - (size_t)v.rows : 0;
		if (k == UI_FUNC && wch == KEY_RESIZE) {
			viewer_draw(&v);
			continue;
		}
		if (k == UI_FUNC && wch == KEY_UP && v.top > 0)
			v.top--;
		else if (k == UI_FUNC && wch == KEY_DOWN && v.top < last)
			v.top++;
		else if ((k == UI_FUNC && wch == KEY_NPAGE) ||
		    (k == UI_CHAR && wch == L' '))
			v.top = v.top + page < last ? v.top + page : last;
		else if (k == UI_FUNC && wch == KEY_PPAGE)
			v.top = v.top > page ? v.top - page : 0;
		else if (k == UI_FUNC && wch == KEY_HOME)
			v.top = 0;
		else if (k == UI_FUNC && wch == KEY_END)
			v.top = last;
		else if (k == UI_CHAR && (wch == UI_ESC || ui_is_key(wch, L'q')))
			rc = UI_LIST_BACK;
		else if (ui_keys_is_help(keys, k, wch)) {
			ui_keys_help(ui, title, keys, viewer_keys,
			    nitems(viewer_keys));
			viewer_draw(&v);
			continue;
		} else if ((d = ui_keys_find(ui, keys, k, wch)) != NULL &&
		    d->key != UI_ESC) {
			*key = d->key;
			rc = UI_LIST_KEY;
		}
		if (rc < 0 && v.top != old) {
			viewer_body(&v);
			refresh();
		}
	}
	free(v.lines);
	free(v.body);
	return rc;
}

char *
ui_ask(struct ui *ui, const char *title, const char *label, const char *value,
    size_t max_chars)
{
	struct ui_field	 f = { label, xstrdup(value != NULL ? value : ""),
	    max_chars, 0 };

	if (!ui_form(ui, title, NULL, &f, 1, NULL, NULL)) {
		free(f.value);
		return NULL;
	}
	return f.value;
}
