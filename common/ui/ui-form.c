/*
 * ui-form.c: forms of single-line fields with an in-place line editor.
 *
 * The editor works on wide characters and measures display columns, so
 * Cyrillic and wide characters scroll and truncate correctly; a keystroke
 * redraws its own field only.  Control characters and escape sequences
 * are never inserted: a pasted ESC is dropped, what follows it is text.
 * A field may be completed while she types (struct ui_completion): its
 * candidates are listed under the form, redrawn at each keystroke there.
 * The line editor's keys (ui_line_key()) serve the editor's subject line
 * as well.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <curses.h>

#include "i18n.h"
#include "perr.h"
#include "text.h"
#include "ui.h"
#include "util.h"

#define FORM_TOP	3

struct edit {
	wchar_t	*buf;
	size_t	 len, cap;	/* cap: the field's max_chars */
	size_t	 cur;		/* cursor, in characters */
	size_t	 off;		/* first character shown */
};

static int
wc_cols(wchar_t c)
{
	int	 w = wcwidth(c);

	return w < 0 ? 1 : w;
}

static void
edit_load(struct edit *e, const char *value, size_t max)
{
	size_t	 n;

	e->cap = max;
	e->buf = xcalloc(max + 1, sizeof(wchar_t));
	n = mbstowcs(e->buf, value, max);
	e->len = n == (size_t)-1 ? 0 : n;
	e->buf[e->len] = L'\0';
	e->cur = e->len;
	e->off = 0;
}

static char *
edit_string(const struct edit *e)
{
	size_t	 n = wcstombs(NULL, e->buf, 0);
	char	*s;

	if (n == (size_t)-1)
		return xstrdup("");
	s = xmalloc(n + 1);
	wcstombs(s, e->buf, n + 1);
	return s;
}

/* Load value again if it differs from what the line holds. */
static void
edit_reload(struct edit *e, const char *value)
{
	char	*now = edit_string(e);

	if (strcmp(now, value) != 0) {
		wmemset(e->buf, 0, e->cap);
		free(e->buf);
		edit_load(e, value, e->cap);
	}
	explicit_bzero(now, strlen(now));	/* may be a password */
	free(now);
}

/* What a field of several lines (UI_FIELD_TEXT) shows on its one row:
 * its lines joined by spaces.  Caller frees. */
static char *
edit_preview(const char *value)
{
	char	*s = xstrdup(value), *p;

	for (p = s; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	return s;
}

/* Load field f into e: its value, or its preview. */
static void
edit_load_field(struct edit *e, const struct ui_field *f)
{
	char	*p;

	if (!(f->flags & UI_FIELD_TEXT)) {
		edit_load(e, f->value, f->max_chars);
		return;
	}
	p = edit_preview(f->value);
	edit_load(e, p, f->max_chars);
	free(p);
}

/* Draw the field at (y, x), width cols, keeping the cursor visible. */
static void
edit_draw(struct edit *e, int y, int x, int cols, int secret)
{
	int	 w = 0, cw;
	size_t	 i;

	if (cols < 2)
		return;
	if (e->cur < e->off)
		e->off = e->cur;
	for (;;) {	/* scroll right until the cursor fits */
		for (w = 0, i = e->off; i < e->cur; i++)
			w += secret ? 1 : wc_cols(e->buf[i]);
		if (w < cols || e->off >= e->cur)
			break;
		/* Never start the view on a combining mark: it belongs to
		 * the letter before it (issue 4). */
		do
			e->off++;
		while (e->off < e->cur && !secret && wc_cols(e->buf[e->off]) == 0);
	}
	move(y, x);
	for (w = 0, i = e->off; i < e->len; i++) {
		cw = secret ? 1 : wc_cols(e->buf[i]);
		if (w + cw > cols)
			break;
		if (secret)
			addch('*');
		else
			addnwstr(&e->buf[i], 1);
		w += cw;
	}
	for (; w < cols; w++)
		addch('_');
	for (w = 0, i = e->off; i < e->cur; i++)
		w += secret ? 1 : wc_cols(e->buf[i]);
	move(y, x + w);
}

int
ui_line_key(wchar_t *buf, size_t *len, size_t *cur, size_t cap, int k,
    wint_t wch)
{
	if (k == UI_FUNC) {
		switch (wch) {
		case KEY_LEFT:
			if (*cur == 0)
				return UI_LINE_NONE;
			(*cur)--;
			return UI_LINE_MOVED;
		case KEY_RIGHT:
			if (*cur == *len)
				return UI_LINE_NONE;
			(*cur)++;
			return UI_LINE_MOVED;
		case KEY_HOME:
			*cur = 0;
			return UI_LINE_MOVED;
		case KEY_END:
			*cur = *len;
			return UI_LINE_MOVED;
		case KEY_BACKSPACE:
			goto backspace;
		case KEY_DC:
			if (*cur == *len)
				return UI_LINE_NONE;
			wmemmove(&buf[*cur], &buf[*cur + 1], *len - *cur);
			(*len)--;
			return UI_LINE_CHANGED;
		}
		return UI_LINE_NONE;
	}
	if (wch == 0x7f || wch == UI_CTRL('h')) {
backspace:
		if (*cur == 0)
			return UI_LINE_NONE;
		wmemmove(&buf[*cur - 1], &buf[*cur], *len - *cur + 1);
		(*cur)--;
		(*len)--;
		return UI_LINE_CHANGED;
	}
	if (text_is_control((int32_t)wch) || !iswprint(wch) || *len >= cap)
		return UI_LINE_NONE;
	wmemmove(&buf[*cur + 1], &buf[*cur], *len - *cur + 1);
	buf[(*cur)++] = (wchar_t)wch;
	(*len)++;
	return UI_LINE_CHANGED;
}

/* Apply one key to the field's line: ui_line_key(), with ^A and ^E for
 * Home and End and ^U to clear the field.  1 if the text or cursor
 * changed. */
static int
edit_key(struct edit *e, int k, wint_t wch)
{
	if (k != UI_FUNC && wch == UI_CTRL('u')) {
		e->len = e->cur = e->off = 0;
		e->buf[0] = L'\0';
		return 1;
	}
	if (k != UI_FUNC && (wch == UI_CTRL('a') || wch == UI_CTRL('e'))) {
		wch = wch == UI_CTRL('a') ? KEY_HOME : KEY_END;
		k = UI_FUNC;
	}
	return ui_line_key(e->buf, &e->len, &e->cur, e->cap, k, wch) !=
	    UI_LINE_NONE;
}

/* The form's keys, for its legend and its help screen (Ctrl-G: "?" is
 * text in a field).  The form's loop reads the keys itself. */
static const struct ui_keydef form_keydefs[] = {
	{ .name = N_("Enter"), .label = N_("next field"),
	  .help = N_("to the next field; on the last one, send the form") },
	{ .name = N_("Tab"), .label = N_("take the name"),
	  .help = N_("take the name marked in the list under the form "
	  "(the arrows mark one; none marked: the first)"),
	  .may = ui_keys_may_flag },
	{ .name = N_("Up"), .label = N_("previous"),
	  .help = N_("to the field above") },
	{ .key = UI_ESC, .label = N_("cancel"), .help = N_("leave the form") },
	{ .key = UI_CTRL('u'), .label = N_("clear"),
	  .help = N_("clear the field"), .flags = UI_KEY_NOLEGEND },
	{ .name = N_("Home, End, ^A, ^E"),
	  .label = N_("the start, the end of the field"),
	  .flags = UI_KEY_NOLEGEND },
	{ .name = N_("Space, arrows"), .label = N_("another choice"),
	  .help = N_("in a field of choices, the next one"),
	  .flags = UI_KEY_NOLEGEND },
};

struct form {
	const char	*title, *intro;
	struct ui_field	*f;
	struct edit	*e;
	size_t		 n;
	int		 label_w;	/* columns of the widest label */
	int		 top;		/* row of the first field */
	struct ui_keys	 keys;		/* arg: &listed */
	const struct ui_completion *cp;	/* or NULL */
	char		*cv[UI_COMPLETE_MAX], *cs[UI_COMPLETE_MAX];
	size_t		 cn;		/* candidates listed */
	int		 listed;	/* cn > 0, for the legend */
	int		 cmark;		/* the marked candidate, or -1 */
};

/* The values of the lines back into the fields; a field of several
 * lines holds its own value (form_text()). */
static void
form_store(struct form *fm)
{
	size_t	 i;

	for (i = 0; i < fm->n; i++) {
		if (fm->f[i].flags & UI_FIELD_TEXT)
			continue;
		free(fm->f[i].value);
		fm->f[i].value = edit_string(&fm->e[i]);
	}
}

/*
 * Field i has several lines: the key k/wch typed there opens the editor
 * on its value (a printable key is the first typed), and whatever the
 * editor holds when she leaves it, by Ctrl-X or Esc, is the field's.  No
 * draft is kept: the form keeps the text.
 */
static void
form_text(struct ui *ui, struct form *fm, size_t i, int k, wint_t wch)
{
	struct ui_doc	 doc;
	char		*p;
	size_t		 n;

	memset(&doc, 0, sizeof(doc));
	doc.title = fm->f[i].label;
	snprintf(doc.info, sizeof(doc.info), "%s",
	    _("Several lines.  Ctrl-X: back to the form."));
	if (k == UI_CHAR && iswprint(wch) && !text_is_control((int32_t)wch))
		doc.body = xasprintf("%s%lc", fm->f[i].value, wch);
	else
		doc.body = xstrdup(fm->f[i].value);
	doc.subject = xstrdup("");
	(void)ui_edit(ui, &doc);	/* either way, the text is kept */
	n = strlen(doc.body);
	while (n > 0 && doc.body[n - 1] == '\n')
		doc.body[--n] = '\0';
	free(fm->f[i].value);
	fm->f[i].value = doc.body;
	free(doc.subject);
	p = edit_preview(fm->f[i].value);
	edit_reload(&fm->e[i], p);
	free(p);
}

static int
form_row(const struct form *fm, size_t i)
{
	return fm->top + (int)i;
}

static void
form_field(struct form *fm, size_t i)
{
	int	 x = fm->label_w + 4;

	edit_draw(&fm->e[i], form_row(fm, i), x, COLS - x - 1,
	    fm->f[i].flags & UI_FIELD_SECRET);
}

/* The row under the fields where the candidates begin. */
static int
form_list_top(const struct form *fm)
{
	return form_row(fm, fm->n) + 1;
}

static void
form_legend(struct ui *ui, struct form *fm)
{
	char	 legend[256];

	ui_keys_legend(ui, &fm->keys, COLS - 1, legend, sizeof(legend));
	ui_status(ui, "%s", legend);
}

/* How many of the candidates the screen has rows for: only those are
 * drawn, marked or taken, so a small terminal (the intro taking the
 * rows) never sends a letter to a name she was not shown. */
static size_t
form_list_shown(const struct form *fm)
{
	int	 rows = LINES - 2 - form_list_top(fm);

	return rows <= 0 ? 0 : (size_t)rows < fm->cn ? (size_t)rows : fm->cn;
}

/* Draw the candidates under the form, below the field's first column;
 * the marked one has the lists' marker, " > ", and is in reverse. */
static void
form_list_draw(struct form *fm)
{
	int	 y, x = fm->label_w + 4;
	size_t	 i;

	for (i = 0; i < UI_COMPLETE_MAX; i++) {
		if ((y = form_list_top(fm) + (int)i) >= LINES - 2)
			break;
		move(y, 0);
		clrtoeol();
		if (i >= fm->cn)
			continue;
		if ((int)i == fm->cmark) {
			mvaddstr(y, x - 2, ">");
			attron(A_REVERSE);
		}
		ui_text(y, x, COLS - x - 1, fm->cs[i]);
		if ((int)i == fm->cmark)
			attroff(A_REVERSE);
	}
}

static void
form_list_free(struct form *fm)
{
	size_t	 i;

	for (i = 0; i < fm->cn; i++) {
		free(fm->cv[i]);
		free(fm->cs[i]);
	}
	fm->cn = 0;
	fm->cmark = -1;
}

/*
 * List again the candidates for what field cur holds after its last
 * comma (none outside the completed field, or for nothing typed), and
 * draw them; the legend changes when the list comes or goes.
 */
static void
form_list(struct ui *ui, struct form *fm, size_t cur)
{
	char	*s, *seg;
	int	 was = fm->listed;

	form_list_free(fm);
	if (fm->cp != NULL && cur == fm->cp->field) {
		s = edit_string(&fm->e[cur]);
		seg = strrchr(s, ',') != NULL ? strrchr(s, ',') + 1 : s;
		text_trim(seg);
		if (*seg != '\0')
			fm->cn = fm->cp->list(ui, seg, fm->cv, fm->cs,
			    UI_COMPLETE_MAX);
		free(s);
	}
	fm->listed = form_list_shown(fm) > 0;
	form_list_draw(fm);
	if (fm->listed != was)
		form_legend(ui, fm);
}

/* Field cur takes candidate i in place of what follows its last comma,
 * and ", " for the next. */
static void
form_list_take(struct ui *ui, struct form *fm, size_t cur, size_t i)
{
	char	*s = edit_string(&fm->e[cur]), *comma, *t;

	if ((comma = strrchr(s, ',')) != NULL)
		comma[1] = '\0';
	t = xasprintf("%s%s%s, ", comma != NULL ? s : "",
	    comma != NULL ? " " : "", fm->cv[i]);
	edit_reload(&fm->e[cur], t);
	free(t);
	free(s);
	form_list(ui, fm, cur);
}

/* A key while candidates are listed: the arrows mark one, Tab takes the
 * marked or the first, Enter the marked.  1 if the key was for the list. */
static int
form_list_key(struct ui *ui, struct form *fm, size_t cur, int k, wint_t wch)
{
	int	 enter = (k == UI_CHAR && (wch == L'\r' || wch == L'\n')) ||
	    (k == UI_FUNC && wch == KEY_ENTER);
	size_t	 shown = form_list_shown(fm);

	if (shown == 0 || fm->cp == NULL || cur != fm->cp->field)
		return 0;
	if (fm->cmark >= (int)shown)	/* the screen became smaller */
		fm->cmark = (int)shown - 1;
	if (k == UI_FUNC && wch == KEY_DOWN) {
		if (fm->cmark + 1 < (int)shown)
			fm->cmark++;
	} else if (k == UI_FUNC && wch == KEY_UP && fm->cmark >= 0)
		fm->cmark--;	/* above the first: back to the field */
	else if (k == UI_CHAR && wch == L'\t')
		form_list_take(ui, fm, cur, fm->cmark >= 0 ?
		    (size_t)fm->cmark : 0);
	else if (enter && fm->cmark >= 0)
		form_list_take(ui, fm, cur, (size_t)fm->cmark);
	else
		return 0;
	form_list_draw(fm);
	return 1;
}

static void
form_draw(struct ui *ui, struct form *fm, size_t cur)
{
	size_t	 i;

	erase();
	ui_header(ui, fm->title);
	fm->top = FORM_TOP;
	if (fm->intro != NULL)
		fm->top = ui_wrap(FORM_TOP, 2, LINES - 2 - (int)fm->n, COLS - 4,
		    fm->intro) + 1;
	for (i = 0; i < fm->n; i++) {
		ui_text(form_row(fm, i), 2, fm->label_w, _(fm->f[i].label));
		form_field(fm, i);
	}
	form_list_draw(fm);
	form_legend(ui, fm);
	form_field(fm, cur);
	refresh();
}

/* A key on a field of choices: 1 if it moved to another choice. */
static int
form_choose(const struct ui_choice *ch, int k, wint_t wch)
{
	int	 n;

	for (n = 0; ch->names[n] != NULL; n++)
		;
	if ((k == UI_CHAR && wch == L' ') ||
	    (k == UI_FUNC && wch == KEY_RIGHT))
		*ch->choice = (*ch->choice + 1) % n;
	else if (k == UI_FUNC && wch == KEY_LEFT)
		*ch->choice = (*ch->choice + n - 1) % n;
	else
		return 0;
	return 1;
}

static int	form_run(struct ui *, const char *, const char *,
		    struct ui_field *, size_t, int (*)(struct ui *, void *),
		    void *, const struct ui_choice *,
		    const struct ui_completion *);

int
ui_form(struct ui *ui, const char *title, const char *intro,
    struct ui_field *f, size_t n, int (*check)(struct ui *, void *), void *arg)
{
	return form_run(ui, title, intro, f, n, check, arg, NULL, NULL);
}

int
ui_form_choice(struct ui *ui, const char *title, const char *intro,
    struct ui_field *f, size_t n, const struct ui_choice *ch,
    int (*check)(struct ui *, void *), void *arg)
{
	return form_run(ui, title, intro, f, n, check, arg, ch, NULL);
}

int
ui_form_complete(struct ui *ui, const char *title, const char *intro,
    struct ui_field *f, size_t n, int (*check)(struct ui *, void *),
    void *arg, const struct ui_completion *cp)
{
	return form_run(ui, title, intro, f, n, check, arg, NULL, cp);
}

/* The form of ui_form(), with field ch->field one of choices (ch not
 * NULL), or field cp->field completed as she types (cp not NULL). */
static int
form_run(struct ui *ui, const char *title, const char *intro,
    struct ui_field *f, size_t n, int (*check)(struct ui *, void *),
    void *arg, const struct ui_choice *ch, const struct ui_completion *cp)
{
	struct form	 fm = { .title = title, .intro = intro, .f = f,
			    .n = n, .top = FORM_TOP, .cp = cp, .cmark = -1 };
	size_t		 cur = 0, i;
	wint_t		 wch;
	int		 k, w, bad, rc = 0;

	fm.keys = (struct ui_keys){ .v = form_keydefs,
	    .n = nitems(form_keydefs), .arg = &fm.listed,
	    .help_key = UI_CTRL('g') };
	fm.e = xcalloc(n, sizeof(*fm.e));
	for (i = 0; i < n; i++) {
		if (ch != NULL && ch->field == i)
			edit_load(&fm.e[i], _(ch->names[*ch->choice]),
			    f[i].max_chars);
		else
			edit_load_field(&fm.e[i], &f[i]);
		if ((w = text_width(_(f[i].label))) > fm.label_w)
			fm.label_w = w;
	}
	if (fm.label_w > COLS / 2)
		fm.label_w = COLS / 2;
	form_draw(ui, &fm, cur);
	for (;;) {
		k = ui_key(ui, &wch);
		if (k == UI_FUNC && wch == KEY_RESIZE) {
			form_draw(ui, &fm, cur);
			continue;
		}
		/* A BEL inside a paste is a control character like any
		 * other, not a press of Ctrl-G. */
		if (ui_keys_is_help(&fm.keys, k, wch) && !ui_key_pending()) {
			ui_keys_help(ui, fm.title, &fm.keys, NULL, 0);
			form_draw(ui, &fm, cur);
			continue;
		}
		if (k == UI_CHAR && wch == UI_ESC) {
			/* What was typed goes back too: a caller may keep it
			 * for a form opened again (registration). */
			form_store(&fm);
			break;
		}
		if (form_list_key(ui, &fm, cur, k, wch)) {
			form_field(&fm, cur);
			refresh();
			continue;
		}
		if ((k == UI_FUNC && (wch == KEY_UP || wch == KEY_BTAB)) ||
		    (k == UI_FUNC && (wch == KEY_DOWN)) ||
		    (k == UI_CHAR && (wch == L'\t' || wch == L'\r' || wch == L'\n')) ||
		    (k == UI_FUNC && wch == KEY_ENTER)) {
			int	 up = k == UI_FUNC && (wch == KEY_UP || wch == KEY_BTAB);
			int	 enter = wch == L'\r' || wch == L'\n' || wch == KEY_ENTER;

			if (enter && (cur + 1 == n ||
			    (f[cur].flags & UI_FIELD_SUBMIT))) {
				form_store(&fm);
				bad = check != NULL ? check(ui, arg) : -1;
				if (bad < 0) {
					rc = 1;
					break;
				}
				/* The check may have completed or corrected a
				 * value (a login): show what it holds now. */
				for (i = 0; i < n; i++)
					if (!(f[i].flags & UI_FIELD_TEXT))
						edit_reload(&fm.e[i],
						    f[i].value);
				for (i = 0; i < n; i++)
					form_field(&fm, i);
				cur = (size_t)bad < n ? (size_t)bad : cur;
			} else {
				cur = up ? (cur > 0 ? cur - 1 : n - 1) :
				    (cur + 1) % n;
				/* A check's message stays: no list comes with
				 * it to take the legend's row. */
				form_list(ui, &fm, cur);
			}
			form_field(&fm, cur);
			refresh();
			continue;
		}
		if (ch != NULL && ch->field == cur) {
			if (form_choose(ch, k, wch)) {
				edit_reload(&fm.e[cur], _(ch->names[*ch->choice]));
				form_field(&fm, cur);
				refresh();
			}
			continue;
		}
		if ((f[cur].flags & UI_FIELD_TEXT) && (k == UI_CHAR ||
		    (k == UI_FUNC && wch == KEY_BACKSPACE))) {
			form_text(ui, &fm, cur, k, wch);
			form_draw(ui, &fm, cur);
			continue;
		}
		if (edit_key(&fm.e[cur], k, wch)) {
			form_list(ui, &fm, cur);
			form_field(&fm, cur);
			refresh();
		}
	}
	form_list_free(&fm);
	for (i = 0; i < n; i++) {
		wmemset(fm.e[i].buf, 0, fm.e[i].cap);	/* may hold a password */
		free(fm.e[i].buf);
	}
	free(fm.e);
	return rc;
}

/* ---- helpers for the checks of forms ------------------------------- */

int
ui_field_error(struct ui *ui, const struct ui_field *f, int field, int code)
{
	ui_status(ui, "%s: %s", _(f[field].label), _(perr_str(code)));
	refresh();
	return field;
}

int
ui_field_index(const char *const *names, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; name != NULL && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return 0;
}

void
ui_fields_free(struct ui_field *f, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (f[i].flags & UI_FIELD_SECRET)
			freezero_str(f[i].value);
		else
			free(f[i].value);
		f[i].value = NULL;
	}
}
