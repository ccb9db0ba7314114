/*
 * ui-editor.c: the built-in editor, made for slow links and Cyrillic.
 *
 * The text is a list of paragraphs of wide characters, soft-wrapped at
 * word boundaries by display columns (wcwidth), so Cyrillic, Tatar and
 * wide characters wrap where they look.  Each paragraph remembers how
 * many rows it takes, so a keystroke re-wraps one paragraph only; the
 * rows are drawn into curses' buffer and curses sends what changed, so
 * typing costs a few bytes and a paste is drawn once it has arrived.
 * Pasted text is handled like typed text: newlines split paragraphs,
 * tabs become spaces, control characters and escape sequences are
 * dropped.
 *
 * While the text changes it is saved as a draft on the server: at the
 * latest every SAVE_EVERY_MS while typing, after SAVE_PAUSE_MS of quiet,
 * and when the link drops (the UI gets SIGHUP), so a dropped link loses
 * at most the last seconds.
 *
 * Nothing typed is lost by a key pressed once: Esc asks whether to keep
 * the text, and only an explicit answer, asked twice, deletes it (Esc at
 * the question goes back to the text).  A text may grow past what can be
 * sent (POST_BODY_MAX): from three quarters of it on, the status line
 * shows its size, and Ctrl-X refuses to send it until it is shortened.
 * The editor holds what a draft can keep (EDIT_MAX); a paste beyond that
 * stops there, and the status line says so until the text is changed.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <curses.h>

#include "draft.h"
#include "i18n.h"
#include "perr.h"
#include "post.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

#define SAVE_EVERY_MS	5000
#define SAVE_PAUSE_MS	1000
#define SUBJECT_CHARS	POST_SUBJECT_MAX
/* What the editor holds: what a draft keeps, a full subject aside. */
#define EDIT_MAX	(DRAFT_MAX - SUBJECT_CHARS * 4)
/* From here on the status line shows the size. */
#define SHOW_SIZE	(POST_BODY_MAX / 4 * 3)

struct par {
	wchar_t	*s;
	size_t	 len, cap;
	int	 rows;		/* display rows at the current width */
};

struct ed {
	struct ui	*ui;
	struct ui_doc	*doc;
	struct par	*p;
	size_t		 np;
	size_t		 pi, ci;	/* cursor: paragraph, character */
	wchar_t		*subj;		/* the subject line */
	size_t		 slen, scur;
	int		 in_subject;
	int		 width;		/* columns of text */
	int		 top;		/* first display row shown */
	int		 srow;		/* screen row of the subject */
	int		 body_y;	/* screen row of the first text row */
	size_t		 bytes;		/* UTF-8 size of the body, roughly */
	int		 dirty;
	int64_t		 changed_ms, saved_ms;
	int		 after_cr;	/* a paste's \r\n is one newline */
	const char	*msg;		/* shown on the status line once */
	char		 msgbuf[256];	/* a msg made with numbers */
	int		 clipped;	/* a paste stopped at EDIT_MAX */
};

/* KiB, rounded up: 64 KiB and one byte is too long, and says 65. */
static size_t
kib(size_t bytes)
{
	return (bytes + 1023) / 1024;
}

static int
wc_cols(wchar_t c)
{
	int	 w = wcwidth(c);

	return w < 0 ? 1 : w;
}

/* UTF-8 bytes of one wide character. */
static size_t
wc_bytes(wchar_t c)
{
	return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

/* A wide copy of UTF-8 s; invalid bytes become U+FFFD, controls other
 * than newline are dropped, tabs become a space. */
static wchar_t *
wide(const char *s, size_t *len)
{
	mbstate_t	 ps;
	wchar_t		*w = xcalloc(strlen(s) + 1, sizeof(*w)), c;
	size_t		 n = 0, k;

	memset(&ps, 0, sizeof(ps));
	while (*s != '\0') {
		k = mbrtowc(&c, s, strlen(s), &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof(ps));
			c = 0xfffd;
			k = 1;
		}
		s += k;
		if (c == L'\t')
			c = L' ';
		if (c != L'\n' && text_is_control((int32_t)c))
			continue;
		w[n++] = c;
	}
	w[n] = L'\0';
	*len = n;
	return w;
}

/* UTF-8 of n wide characters. */
static char *
narrow(const wchar_t *w, size_t n)
{
	char	*s = xmalloc(n * 4 + 1), *o = s;
	mbstate_t ps;
	size_t	 i, k;

	memset(&ps, 0, sizeof(ps));
	for (i = 0; i < n; i++) {
		k = wcrtomb(o, w[i], &ps);
		if (k == (size_t)-1) {
			memset(&ps, 0, sizeof(ps));
			continue;
		}
		o += k;
	}
	*o = '\0';
	return s;
}

/*
 * The start of the display row after the one starting at start: the
 * last space that fits, else as many characters as fit (at least one).
 */
static size_t
row_end(const struct par *p, size_t start, int width)
{
	size_t	 i = start, sp = 0;
	int	 w = 0, cw;

	while (i < p->len) {
		cw = wc_cols(p->s[i]);
		if (w + cw > width)
			break;
		if (p->s[i] == L' ')
			sp = i + 1;
		w += cw;
		i++;
	}
	if (i >= p->len)
		return p->len;
	if (sp > start)
		return sp;
	return i > start ? i : start + 1;
}

static int
par_rows(const struct par *p, int width)
{
	size_t	 s = 0;
	int	 rows = 1;

	while ((s = row_end(p, s, width)) < p->len)
		rows++;
	return rows;
}

/* The row within p and the column of character ci. */
static void
par_locate(const struct par *p, size_t ci, int width, int *row, int *col)
{
	size_t	 s = 0, e, i;

	*row = 0;
	for (;;) {
		e = row_end(p, s, width);
		if (ci < e || e >= p->len)
			break;
		s = e;
		(*row)++;
	}
	*col = 0;
	for (i = s; i < ci; i++)
		*col += wc_cols(p->s[i]);
}

/* The character of p nearest to column col of row row. */
static size_t
par_at(const struct par *p, int row, int col, int width)
{
	size_t	 s = 0, e;
	int	 r, w = 0;

	for (r = 0; r < row; r++)
		s = row_end(p, s, width);
	e = row_end(p, s, width);
	while (s < e && s < p->len) {
		if (w + wc_cols(p->s[s]) > col)
			break;
		w += wc_cols(p->s[s]);
		s++;
	}
	/* At a soft break the cursor stays on this row. */
	if (s == e && e < p->len && s > 0)
		s--;
	return s;
}

static void
par_reserve(struct par *p, size_t n)
{
	if (p->len + n + 1 > p->cap) {
		p->cap = (p->len + n + 1) * 2;
		p->s = xrealloc(p->s, p->cap * sizeof(wchar_t));
	}
}

static void
ed_insert_par(struct ed *e, size_t at, const wchar_t *s, size_t n)
{
	struct par	*p;

	e->p = xrealloc(e->p, (e->np + 1) * sizeof(*e->p));
	memmove(&e->p[at + 1], &e->p[at], (e->np - at) * sizeof(*e->p));
	e->np++;
	p = &e->p[at];
	memset(p, 0, sizeof(*p));
	par_reserve(p, n);
	wmemcpy(p->s, s, n);
	p->len = n;
	p->s[n] = L'\0';
	p->rows = par_rows(p, e->width);
}

static void
ed_load(struct ed *e)
{
	wchar_t	*w, *q, *nl;
	size_t	 n, i;

	w = wide(e->doc->body != NULL ? e->doc->body : "", &n);
	e->bytes = 0;
	for (i = 0; i < n; i++)
		e->bytes += wc_bytes(w[i]);
	for (q = w;; q = nl + 1) {
		nl = wcschr(q, L'\n');
		ed_insert_par(e, e->np, q, nl != NULL ? (size_t)(nl - q) : wcslen(q));
		if (nl == NULL)
			break;
	}
	free(w);
	e->subj = xcalloc(SUBJECT_CHARS + 1, sizeof(wchar_t));
	if (e->doc->subject != NULL) {
		w = wide(e->doc->subject, &n);
		for (i = 0; i < n && e->slen < SUBJECT_CHARS; i++)
			if (w[i] != L'\n')
				e->subj[e->slen++] = w[i];
		free(w);
	}
	e->scur = e->slen;
	e->pi = e->np - 1;
	e->ci = e->p[e->pi].len;
	/* A reply quoting a post starts below the quote; a new text with a
	 * subject starts in the subject. */
	e->in_subject = e->doc->has_subject && e->slen == 0;
}

/* Put the editor's text back into the doc. */
static void
ed_store(struct ed *e)
{
	size_t	 total = 0, i, n;
	char	*s, *b;

	for (i = 0; i < e->np; i++)
		total += e->p[i].len * 4 + 1;
	b = xmalloc(total + 1);
	b[0] = '\0';
	for (i = 0, n = 0; i < e->np; i++) {
		s = narrow(e->p[i].s, e->p[i].len);
		n += (size_t)sprintf(b + n, "%s%s", s, i + 1 < e->np ? "\n" : "");
		free(s);
	}
	free(e->doc->body);
	e->doc->body = b;
	free(e->doc->subject);
	e->doc->subject = narrow(e->subj, e->slen);
}

/* Save the text as a draft: 0, or the PERR code (said on the status
 * line). */
static int
ed_save(struct ed *e)
{
	struct ui_doc	*d = e->doc;
	int		 rc;

	ed_store(e);
	if (d->kind == NULL) {	/* a form's field: the form keeps it */
		e->dirty = 0;
		e->saved_ms = now_mono_ms();
		return 0;
	}
	rc = draft_save(e->ui->st, e->ui->user->id, &d->draft_id, d->uuid,
	    d->kind, d->target, d->subject, d->body);
	if (rc == PERR_NOTFOUND) {	/* sent or dropped elsewhere: anew */
		d->draft_id = 0;
		rc = draft_save(e->ui->st, e->ui->user->id, &d->draft_id,
		    d->uuid, d->kind, d->target, d->subject, d->body);
	}
	e->saved_ms = now_mono_ms();
	if (rc == 0) {
		e->dirty = 0;
		e->msg = N_("Draft saved.");
	} else
		e->msg = N_("The draft could not be saved.");
	return rc;
}

/* ---- keys ---------------------------------------------------------- */

/* Keys that would type a character are text here: help is ^G. */
static const struct ui_keydef ed_keydefs[] = {
	{ .key = UI_CTRL('x'), .label = N_("send"),
	  .help = N_("send the text") },
	{ .key = UI_ESC, .label = N_("leave"),
	  .help = N_("leave; a text you typed may be kept as a draft") },
	{ .key = UI_CTRL('a'), .label = N_("line start"),
	  .help = N_("to the start of the paragraph"),
	  .flags = UI_KEY_NOLEGEND },
	{ .key = UI_CTRL('e'), .label = N_("line end"),
	  .help = N_("to the end of the paragraph"), .flags = UI_KEY_NOLEGEND },
};

static const struct ui_keys ed_keys = {
	.v = ed_keydefs, .n = nitems(ed_keydefs), .help_key = UI_CTRL('g')
};

const struct ui_keys *
ui_editor_keys(void)
{
	return &ed_keys;
}

/* The editor's own keys, for its help screen. */
static const struct ui_keydef ed_widget_keys[] = {
	{ .name = N_("Arrows, PgUp, PgDn"), .label = N_("move the cursor") },
	{ .name = N_("Home, End"),
	  .label = N_("the start, the end of the paragraph") },
	{ .name = N_("Backspace, Del"), .label = N_("delete a character") },
	{ .name = N_("Enter"), .label = N_("a new paragraph; in the subject, "
	  "to the text") },
};

/* ---- drawing ------------------------------------------------------- */

static void
ed_status(struct ed *e)
{
	int	 y, x;
	char	 help[256];

	char	 size[128] = "";

	getyx(stdscr, y, x);
	if (e->clipped)
		snprintf(size, sizeof(size), _("%zu KiB: the rest of the paste "
		    "was not taken"), kib(e->bytes));
	else if (e->bytes > POST_BODY_MAX)
		snprintf(size, sizeof(size), _("%zu KiB of %d: shorten it to "
		    "send"), kib(e->bytes), POST_BODY_MAX / 1024);
	else if (e->bytes > SHOW_SIZE)
		snprintf(size, sizeof(size), _("%zu of %d KiB"), kib(e->bytes),
		    POST_BODY_MAX / 1024);
	/* The status line is one row here (the row above is text): a
	 * message goes before the size, which then waits. */
	if (e->msg != NULL && *size != '\0' && text_width(_(e->msg)) +
	    text_width(size) + 20 > COLS - 1)
		size[0] = '\0';
	ui_keys_legend(e->ui, &ed_keys, COLS - 1 - (e->msg != NULL ?
	    text_width(_(e->msg)) + 2 : 0) - (*size != '\0' ?
	    text_width(size) + 2 : 0), help, sizeof(help));
	ui_status(e->ui, "%s%s%s%s%s", help, e->msg != NULL ? "  " : "",
	    e->msg != NULL ? _(e->msg) : "", *size != '\0' ? "  " : "", size);
	move(y, x);
}

static void
ed_subject_draw(struct ed *e)
{
	const char	*label = _("Subject:");
	int		 lw = text_width(label) + 1, w = 0, cw, cols = COLS - lw - 1;
	size_t		 off = 0, i;

	/* Scroll the subject so its cursor fits. */
	for (;;) {
		for (w = 0, i = off; i < e->scur; i++)
			w += wc_cols(e->subj[i]);
		if (w < cols || off >= e->scur)
			break;
		off++;
	}
	move(e->srow, 0);
	clrtoeol();
	ui_text(e->srow, 0, lw, label);
	move(e->srow, lw);
	for (w = 0, i = off; i < e->slen; i++) {
		cw = wc_cols(e->subj[i]);
		if (w + cw > cols)
			break;
		addnwstr(&e->subj[i], 1);
		w += cw;
	}
	for (w = 0, i = off; i < e->scur; i++)
		w += wc_cols(e->subj[i]);
	if (e->in_subject)
		move(e->srow, lw + w);
}

/* Draw the text rows from the top of the view; place the cursor. */
static void
ed_body_draw(struct ed *e)
{
	int	 rows = LINES - 1 - e->body_y, crow = 0, ccol, r, y, skip;
	size_t	 i, s, en;

	if (rows < 1)
		return;
	for (i = 0; i < e->pi; i++)
		crow += e->p[i].rows;
	par_locate(&e->p[e->pi], e->ci, e->width, &r, &ccol);
	crow += r;
	if (crow < e->top)
		e->top = crow;
	if (crow >= e->top + rows)
		e->top = crow - rows + 1;
	/* Find the paragraph holding the top row. */
	for (i = 0, skip = e->top; i < e->np && skip >= e->p[i].rows; i++)
		skip -= e->p[i].rows;
	y = e->body_y;
	for (; i < e->np && y < LINES - 1; i++) {
		s = 0;
		for (r = 0; ; r++) {
			en = row_end(&e->p[i], s, e->width);
			if (r >= skip) {
				move(y, 0);
				clrtoeol();
				if (en > s)
					addnwstr(&e->p[i].s[s], (int)(en - s));
				if (++y >= LINES - 1)
					break;
			}
			if (en >= e->p[i].len)
				break;
			s = en;
		}
		skip = 0;
	}
	for (; y < LINES - 1; y++) {
		move(y, 0);
		clrtoeol();
	}
	if (!e->in_subject)
		move(e->body_y + crow - e->top, ccol);
}

static void
ed_draw_all(struct ed *e)
{
	size_t	 i;
	int	 y = 2;

	erase();
	ui_header(e->ui, _(e->doc->title));
	e->width = COLS - 1 > 10 ? COLS - 1 : 10;
	for (i = 0; i < e->np; i++)
		e->p[i].rows = par_rows(&e->p[i], e->width);
	if (e->doc->info[0] != '\0')
		ui_text(y++, 0, COLS - 1, e->doc->info);
	if (e->doc->has_subject)
		e->srow = y++;
	e->body_y = y;
	ed_status(e);
	if (e->doc->has_subject)
		ed_subject_draw(e);
	ed_body_draw(e);
	if (e->in_subject)
		ed_subject_draw(e);
	refresh();
}

/* ---- editing ------------------------------------------------------- */

static void
ed_changed(struct ed *e)
{
	if (!e->dirty)
		e->msg = NULL;
	e->dirty = 1;
	e->changed_ms = now_mono_ms();
}

/* Insert one character at the cursor (a newline splits the paragraph).
 * 0, or -1 when the text would exceed the size limit. */
static int
ed_put(struct ed *e, wchar_t c)
{
	struct par	*p = &e->p[e->pi];

	if (e->bytes + wc_bytes(c) > EDIT_MAX) {
		e->clipped = 1;
		return -1;
	}
	e->bytes += wc_bytes(c);
	if (c == L'\n') {
		ed_insert_par(e, e->pi + 1, &p->s[e->ci], p->len - e->ci);
		p = &e->p[e->pi];	/* the array moved */
		p->len = e->ci;
		p->s[p->len] = L'\0';
		p->rows = par_rows(p, e->width);
		e->pi++;
		e->ci = 0;
		return 0;
	}
	par_reserve(p, 1);
	wmemmove(&p->s[e->ci + 1], &p->s[e->ci], p->len - e->ci + 1);
	p->s[e->ci++] = c;
	p->len++;
	p->rows = par_rows(p, e->width);
	return 0;
}

static void
ed_backspace(struct ed *e)
{
	struct par	*p = &e->p[e->pi], *q;

	e->clipped = 0;
	if (e->ci > 0) {
		e->bytes -= wc_bytes(p->s[e->ci - 1]);
		wmemmove(&p->s[e->ci - 1], &p->s[e->ci], p->len - e->ci + 1);
		e->ci--;
		p->len--;
		p->rows = par_rows(p, e->width);
		return;
	}
	if (e->pi == 0)
		return;
	/* Join with the paragraph before. */
	q = &e->p[e->pi - 1];
	e->ci = q->len;
	par_reserve(q, p->len);
	wmemcpy(&q->s[q->len], p->s, p->len + 1);
	q->len += p->len;
	q->rows = par_rows(q, e->width);
	free(p->s);
	memmove(&e->p[e->pi], &e->p[e->pi + 1],
	    (e->np - e->pi - 1) * sizeof(*e->p));
	e->np--;
	e->pi--;
	e->bytes--;
}

static void
ed_delete(struct ed *e)
{
	struct par	*p = &e->p[e->pi];

	if (e->ci < p->len) {
		e->ci++;
		ed_backspace(e);
	} else if (e->pi + 1 < e->np) {
		e->pi++;
		e->ci = 0;
		ed_backspace(e);
	}
}

/* Move the cursor a display row up (-1) or down (1). */
static void
ed_vertical(struct ed *e, int dir)
{
	struct par	*p = &e->p[e->pi];
	int		 row, col;

	par_locate(p, e->ci, e->width, &row, &col);
	if (dir < 0 && row > 0)
		e->ci = par_at(p, row - 1, col, e->width);
	else if (dir < 0 && e->pi > 0) {
		e->pi--;
		p = &e->p[e->pi];
		e->ci = par_at(p, p->rows - 1, col, e->width);
	} else if (dir < 0 && e->doc->has_subject)
		e->in_subject = 1;
	else if (dir > 0 && row + 1 < p->rows)
		e->ci = par_at(p, row + 1, col, e->width);
	else if (dir > 0 && e->pi + 1 < e->np) {
		e->pi++;
		e->ci = par_at(&e->p[e->pi], 0, col, e->width);
	} else if (dir > 0)
		e->ci = p->len;
}

/* A key in the subject line; 1 if it changed the text. */
static int
ed_subject_key(struct ed *e, int k, wint_t wch)
{
	if (k == UI_FUNC && (wch == KEY_DOWN || wch == KEY_ENTER)) {
		e->in_subject = 0;
		return 0;
	}
	if (k != UI_FUNC && (wch == L'\r' || wch == L'\n' || wch == L'\t')) {
		e->in_subject = 0;
		e->after_cr = wch == L'\r';
		return 0;
	}
	return ui_line_key(e->subj, &e->slen, &e->scur, SUBJECT_CHARS, k,
	    wch) == UI_LINE_CHANGED;
}

/* A key in the text; 1 if it changed the text. */
static int
ed_body_key(struct ed *e, int k, wint_t wch)
{
	struct par	*p = &e->p[e->pi];
	int		 rows = LINES - 1 - e->body_y, i;

	if (k == UI_FUNC) {
		e->after_cr = 0;
		switch (wch) {
		case KEY_LEFT:
			if (e->ci > 0)
				e->ci--;
			else if (e->pi > 0)
				e->ci = e->p[--e->pi].len;
			return 0;
		case KEY_RIGHT:
			if (e->ci < p->len)
				e->ci++;
			else if (e->pi + 1 < e->np) {
				e->pi++;
				e->ci = 0;
			}
			return 0;
		case KEY_UP:
			ed_vertical(e, -1);
			return 0;
		case KEY_DOWN:
			ed_vertical(e, 1);
			return 0;
		case KEY_PPAGE:
		case KEY_NPAGE:
			for (i = 0; i < rows - 1 && !e->in_subject; i++)
				ed_vertical(e, wch == KEY_PPAGE ? -1 : 1);
			return 0;
		case KEY_HOME:
			e->ci = 0;
			return 0;
		case KEY_END:
			e->ci = p->len;
			return 0;
		case KEY_BACKSPACE:
			ed_backspace(e);
			return 1;
		case KEY_DC:
			ed_delete(e);
			return 1;
		case KEY_ENTER:
			return ed_put(e, L'\n') == 0;
		}
		return 0;
	}
	if (wch == L'\n' && e->after_cr) {	/* \r\n from a paste */
		e->after_cr = 0;
		return 0;
	}
	e->after_cr = wch == L'\r';
	switch (wch) {
	case L'\r':
	case L'\n':
		return ed_put(e, L'\n') == 0;
	case 0x7f:
	case UI_CTRL('h'):
		ed_backspace(e);
		return 1;
	case UI_CTRL('a'):
		e->ci = 0;
		return 0;
	case UI_CTRL('e'):
		e->ci = p->len;
		return 0;
	case L'\t':
		wch = L' ';
		break;
	}
	if (text_is_control((int32_t)wch) || !iswprint(wch))
		return 0;
	return ed_put(e, (wchar_t)wch) == 0;
}

/* Called by ui_key() while no key comes, and when the link drops. */
static void
ed_idle(struct ui *ui, void *arg)
{
	struct ed	*e = arg;

	(void)ui;
	if (e->dirty && now_mono_ms() - e->changed_ms >= SAVE_PAUSE_MS) {
		ed_save(e);
		ed_status(e);
		refresh();
	}
}

/*
 * Esc pressed: what becomes of the text.  1 keep it as a draft; 0
 * delete it (a second question first, as that cannot be undone); -1 back
 * to the text (Esc, or no to the second question).  Other keys ask
 * again: a stray key answers nothing.
 */
static int
ed_leave_ask(struct ed *e)
{
	wint_t	 wch;
	int	 k;

	for (;;) {
		ui_status(e->ui, "%s", _("Keep the text as a draft? y: keep it, "
		    "n: delete it, Esc: back to the text"));
		refresh();
		k = ui_key(e->ui, &wch);
		if (k == UI_FUNC && wch == KEY_RESIZE)
			ed_draw_all(e);
		if (k != UI_CHAR)
			continue;
		if (wch == UI_ESC)
			return -1;
		/* "д" is "да"; "т" is n on a Russian layout. */
		if (wch == L'y' || wch == L'Y' || wch == L'д' || wch == L'Д')
			return 1;
		if (wch == L'n' || wch == L'N' || wch == L'т' || wch == L'Т')
			return ui_confirm(e->ui, _("Delete the text for good? "
			    "It cannot be brought back.")) ? 0 : -1;
	}
}

/* The cursor and the status line again, after a question. */
static void
ed_back(struct ed *e)
{
	ed_status(e);
	if (e->in_subject)
		ed_subject_draw(e);
	else
		ed_body_draw(e);
	refresh();
}

static void
ed_free(struct ed *e)
{
	size_t	 i;

	for (i = 0; i < e->np; i++)
		free(e->p[i].s);
	free(e->p);
	free(e->subj);
}

int
ui_edit(struct ui *ui, struct ui_doc *doc)
{
	struct ed	 e;
	wint_t		 wch;
	int		 k, rc = -1, changed, leave;
	const struct ui_keydef *d;

	memset(&e, 0, sizeof(e));
	e.ui = ui;
	e.doc = doc;
	e.width = COLS - 1 > 10 ? COLS - 1 : 10;
	e.saved_ms = now_mono_ms();
	(void)ui_draft_reopen(ui, doc);	/* before its texts are read */
	if (doc->uuid[0] == '\0')	/* the request's, from the first key */
		uuid_v4(doc->uuid);
	ed_load(&e);
	ui->idle = ed_idle;
	ui->idle_arg = &e;
	ed_draw_all(&e);
	while (rc < 0) {
		k = ui_key(ui, &wch);
		if (k == UI_FUNC && wch == KEY_RESIZE) {
			ed_draw_all(&e);
			continue;
		}
		/* A BEL inside a paste is dropped, not a press of ^G. */
		if (ui_keys_is_help(&ed_keys, k, wch) && !ui_key_pending()) {
			/* Nothing is typed meanwhile: save now, not on idle. */
			if (e.dirty)
				ed_save(&e);
			ui->idle = NULL;
			ui_keys_help(ui, _(doc->title), &ed_keys,
			    ed_widget_keys, nitems(ed_widget_keys));
			ui->idle = ed_idle;
			ed_draw_all(&e);
			continue;
		}
		d = ui_keys_find(ui, &ed_keys, k, wch);
		if (d != NULL && d->key == UI_CTRL('x') &&
		    e.bytes > POST_BODY_MAX) {
			if (e.dirty)	/* kept first: its "saved" would
					 * replace the sentence */
				ed_save(&e);
			snprintf(e.msgbuf, sizeof(e.msgbuf), _("Not sent: the "
			    "text is %zu KiB, at most %d KiB may be sent."),
			    kib(e.bytes), POST_BODY_MAX / 1024);
			e.msg = e.msgbuf;
			ed_back(&e);
			continue;
		}
		if (d != NULL && d->key == UI_CTRL('x')) {
			ed_store(&e);
			if (e.dirty)	/* kept until the caller has sent it */
				ed_save(&e);
			rc = 1;
			break;
		}
		if (d != NULL && d->key == UI_ESC) {
			/* Save first: the question may wait long, or the
			 * link drop while it does. */
			if (e.dirty)
				ed_save(&e);
			if (doc->draft_id == 0 && !e.dirty)
				leave = 0;	/* nothing typed: nothing to keep */
			else if ((leave = ed_leave_ask(&e)) < 0) {
				ed_back(&e);
				continue;
			}
			if (leave == 1 && ed_save(&e) != 0) {
				/* Kept nowhere: it stays here, to be sent,
				 * kept again, or deleted by her answer. */
				ui_notice(ui, _("The draft could not be saved; "
				    "the text stays in the editor."));
				ed_back(&e);
				continue;
			}
			if (leave == 0 && doc->draft_id != 0) {
				if (draft_delete(ui->st, ui->user->id,
				    doc->draft_id) != 0)
					ui_notice(ui, _("The draft could not "
					    "be removed."));
				doc->draft_id = 0;
			}
			ed_store(&e);
			rc = 0;
			break;
		}
		if (e.in_subject) {
			changed = ed_subject_key(&e, k, wch);
			if (!e.in_subject)	/* the subject's cursor goes */
				ed_subject_draw(&e);
		} else {
			changed = ed_body_key(&e, k, wch);
			if (e.in_subject)
				ed_body_draw(&e);
		}
		if (changed)
			ed_changed(&e);
		if (e.dirty && now_mono_ms() - e.saved_ms >= SAVE_EVERY_MS)
			ed_save(&e);
		/* A paste arriving: leave the changes in curses' buffer and
		 * read on, so that it is drawn once and the UI never blocks
		 * writing a screen while its input queue is full. */
		if (ui_key_pending())
			continue;
		ed_status(&e);
		if (e.in_subject)
			ed_subject_draw(&e);
		else
			ed_body_draw(&e);
		refresh();
	}
	ui->idle = NULL;
	ui->idle_arg = NULL;
	ed_free(&e);
	return rc;
}

int
ui_edit_again(struct ui *ui, struct ui_doc *doc, const char *why)
{
	ui_notice(ui, why);
	return ui_edit(ui, doc);
}

void
ui_doc_done(struct ui *ui, struct ui_doc *doc)
{
	/* Left behind, the draft would be offered again: sending it again
	 * does no harm (its request was applied), but say so. */
	if (doc->draft_id != 0 &&
	    draft_delete(ui->st, ui->user->id, doc->draft_id) != 0)
		ui_notice(ui, _("The draft could not be removed; sending it "
		    "again, if it is offered, does no harm."));
	doc->draft_id = 0;
	ui_doc_free(doc);
}

void
ui_doc_free(struct ui_doc *doc)
{
	free(doc->subject);
	free(doc->body);
	doc->subject = doc->body = NULL;
}
