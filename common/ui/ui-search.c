/*
 * ui-search.c: the search screens.  A form (the words, and optionally a
 * board or a library section, an author, dates, or one's own mail
 * instead of the boards) and a list of hits, two rows each: where,
 * subject, author and date, then a line of the text with the found words
 * in bold and underlined (visible on monochrome terminals too).  Enter
 * opens a post in its thread, a letter, or a library item's card.  The
 * form keeps what was typed, so a search is refined by going back to it.
 *
 * Two forms share this code: the main menu's Search (posts, or one's
 * mail) and the library's (items).  What differs is data: a row of
 * forms[] for each form, a row of sources[] for each source searched.
 *
 * Moving through the hits moves a '>' marker, as ui_list() does; only a
 * new page redraws the body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "i18n.h"
#include "mail.h"
#include "perr.h"
#include "request.h"
#include "search.h"
#include "store.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

#define LIST_TOP	3
#define HIT_ROWS	2	/* screen rows per hit */

/* The form's fields; F_PLACE is a board or a library section, F_MAIL
 * only on a form that offers mail. */
enum { F_QUERY, F_PLACE, F_AUTHOR, F_FROM, F_TO, F_MAIL, F_N };

/* A search form: the main menu's or the library's. */
struct search_form {
	const char		*title;
	const char		*place;		/* F_PLACE's label */
	size_t			 place_max;
	enum search_source	 source;
	int			 mail;		/* F_MAIL: SEARCH_MAIL on "y" */
	const char		*back;		/* ui_doing() on leaving */
};

struct search_ui {
	const struct search_form *form;
	struct ui_field		 f[F_N];
	struct search_query	 q;
	char			*section;	/* q.section's storage */
	struct search_hit	*hits;
	size_t			 n;
};

/* How the UI treats one enum search_source. */
struct source_ui {
	/* Narrow s->q to the place typed (a board, a section): 0 or a
	 * PERR code.  NULL when the source has no places; no_place then
	 * says why the field must stay empty. */
	int		(*place)(struct ui *, struct search_ui *, const char *);
	const char	*no_place;
	const char	*nothing;	/* no hits */
	const char	*help;		/* what Enter does, for the legend */
	/* The first column of a hit, and what Enter does with it. */
	const char	*(*where)(const struct search_hit *);
	void		(*open)(struct ui *, const struct search_hit *);
};

static int
field_error(struct ui *ui, struct search_ui *s, int field, int code)
{
	ui_status(ui, "%s: %s", _(s->f[field].label), _(perr_str(code)));
	refresh();
	return field;
}

/* "y"/"n" in either language, "" for no.  1, 0, or -1 when neither. */
static int
yes_no(const char *s)
{
	static const char *const yes[] = { "y", "yes", "д", "да" };
	static const char *const no[] = { "", "n", "no", "н", "нет" };
	char	*f = text_fold(s);
	size_t	 i;
	int	 rc = -1;

	for (i = 0; i < nitems(yes); i++)
		if (strcmp(f, yes[i]) == 0)
			rc = 1;
	for (i = 0; i < nitems(no); i++)
		if (strcmp(f, no[i]) == 0)
			rc = 0;
	free(f);
	return rc;
}

/* ---- the sources ------------------------------------------------------ */

static int
place_board(struct ui *ui, struct search_ui *s, const char *typed)
{
	return search_find_board(ui->st, typed, s->q.role, s->q.user_id,
	    &s->q.board_id);
}

static int
place_section(struct ui *ui, struct search_ui *s, const char *typed)
{
	int	 rc = search_find_section(ui->st, typed, &s->section);

	s->q.section = s->section;
	return rc;
}

/* Show the letter of hit h (one of the user's own). */
static void
open_letter(struct ui *ui, const struct search_hit *h)
{
	struct letter	*v = NULL;
	struct request	 r;
	size_t		 n = 0, i;
	char		*head, uuid[37];
	wint_t		 key;
	int		 rc;

	if (mail_list(ui->st, ui->user->id, h->where, &v, &n) != 0) {
		ui_notice(ui, _("The letter is not available now."));
		return;
	}
	for (i = 0; i < n && v[i].id != h->id; i++)
		;
	if (i == n) {
		ui_notice(ui, _("The letter is no longer there."));
	} else {
		head = xasprintf("%s %s\n%s %s", _("From:"), *v[i].from != '\0' ?
		    v[i].from : _("the sysop"), _("Subject:"), v[i].subject);
		(void)ui_viewer(ui, _("Letter"), head, v[i].body, NULL, &key);
		free(head);
		if (strcmp(h->where, "inbox") == 0 && v[i].read_at == 0) {
			request_init(&r, REQ_MAIL_READ, ui->user);
			r.letter = uuid;
			r.number = 1;
			if ((rc = request_uuid_of(ui->st, REQF_LETTER, h->id,
			    uuid)) != 0)
				ui_say_error(ui, NULL, rc);
			else
				(void)ui_request(ui, &r, NULL);	/* it tells */
		}
	}
	mail_list_free(v, n);
}

static void
open_post(struct ui *ui, const struct search_hit *h)
{
	ui_thread_open(ui, h->thread_id, h->id);
}

static void
open_item(struct ui *ui, const struct search_hit *h)
{
	ui_library_card(ui, h->id);
}

static const char *
where_board(const struct search_hit *h)
{
	return h->where;	/* the board's or the section's title */
}

static const char *
where_folder(const struct search_hit *h)
{
	return strcmp(h->where, "sent") == 0 ? _("Sent") : _("Inbox");
}

static const struct source_ui	 sources[] = {
	[SEARCH_POSTS] = {
		place_board, NULL, N_("Nothing found."),
		N_("open the post in its thread"),
		where_board, open_post
	},
	[SEARCH_MAIL] = {
		NULL, N_("Letters are not on boards: leave the board empty to "
		"search your mail."), N_("Nothing found in your mail."),
		N_("read the letter"),
		where_folder, open_letter
	},
	[SEARCH_LIBRARY] = {
		place_section, NULL, N_("Nothing found in the library."),
		N_("open the item's card"),
		where_board, open_item
	},
};

/* Check the form, run the search; -1 when there are hits to show. */
static int
search_check(struct ui *ui, void *arg)
{
	struct search_ui	*s = arg;
	struct search_query	*q = &s->q;
	struct ui_field		*f = s->f;
	const struct source_ui	*src;
	int			 i, rc, mail = 0;

	for (i = 0; i < F_N; i++)
		text_trim(f[i].value);
	memset(q, 0, sizeof(*q));
	free(s->section);
	s->section = NULL;
	q->text = f[F_QUERY].value;
	q->user_id = ui->user->id;
	q->role = (int)ui->user->role;
	q->limit = SEARCH_LIMIT;
	if (s->form->mail && (mail = yes_no(f[F_MAIL].value)) < 0) {
		ui_status(ui, "%s: %s", _(f[F_MAIL].label),
		    _("answer y (yes) or n (no)"));
		refresh();
		return F_MAIL;
	}
	q->source = mail ? SEARCH_MAIL : s->form->source;
	src = &sources[q->source];
	if (*f[F_PLACE].value != '\0') {
		if (src->place == NULL) {
			ui_status(ui, "%s", _(src->no_place));
			refresh();
			return F_PLACE;
		}
		if ((rc = src->place(ui, s, f[F_PLACE].value)) != 0)
			return field_error(ui, s, F_PLACE, rc);
	}
	if (*f[F_AUTHOR].value != '\0' && (rc = search_find_author(ui->st,
	    f[F_AUTHOR].value, &q->author_id)) != 0)
		return field_error(ui, s, F_AUTHOR, rc);
	if (*f[F_FROM].value != '\0' &&
	    (rc = search_parse_date(f[F_FROM].value, 0, &q->from)) != 0)
		return field_error(ui, s, F_FROM, rc);
	if (*f[F_TO].value != '\0' &&
	    (rc = search_parse_date(f[F_TO].value, 1, &q->to)) != 0)
		return field_error(ui, s, F_TO, rc);
	if (q->from != 0 && q->to != 0 && q->from >= q->to)
		return field_error(ui, s, F_TO, PERR_SEARCH_RANGE);
	search_hits_free(s->hits, s->n);
	s->hits = NULL;
	s->n = 0;
	ui_status(ui, "%s", _("Searching..."));
	refresh();
	if ((rc = search_run(ui->st, q, &s->hits, &s->n)) != 0) {
		if (rc == PERR_DB) {
			ui_status(ui, "%s", _("Search is not available now; "
			    "please try again later."));
			refresh();
			return F_QUERY;
		}
		return field_error(ui, s, F_QUERY, rc);
	}
	if (s->n == 0) {
		ui_status(ui, "%s", _(src->nothing));
		refresh();
		return F_QUERY;
	}
	return -1;
}

/* ---- the hits ------------------------------------------------------- */

/*
 * Draw a snippet at (y, x) in at most cols columns: the text between
 * SEARCH_MARK_ON and SEARCH_MARK_OFF bold and underlined.  Every piece
 * is sanitised; the markers themselves never reach the terminal.
 */
static int
draw_snippet_part(const char *text, int on, void *arg)
{
	int	*cols = arg;
	char	*clean;
	size_t	 fit;

	if (text == NULL)
		return 0;
	clean = xstrdup(text);
	fit = text_fit(clean, *cols);
	clean[fit] = '\0';
	if (on)
		attron(A_BOLD | A_UNDERLINE);
	addnstr(clean, (int)fit);
	if (on)
		attroff(A_BOLD | A_UNDERLINE);
	*cols -= text_width(clean);
	free(clean);
	return *cols <= 0;
}

static void
draw_snippet(int y, int x, int cols, const char *snip)
{
	move(y, x);
	if (cols > 0)
		search_snippet_walk(snip, draw_snippet_part, &cols);
}

static void
hit_draw(const struct search_ui *s, size_t i, int y)
{
	const struct search_hit	*h = &s->hits[i];
	char			 date[16];
	int			 wb = COLS / 5, wa = COLS / 6, wd = 10, ws;

	text_date(h->created_at, TEXT_DATE_DAY, date, sizeof(date));
	ws = COLS - 3 - wb - wa - wd - 4;
	move(y, 0);
	clrtoeol();
	ui_text(y, 3, wb, sources[s->q.source].where(h));
	attron(A_BOLD);
	ui_text(y, 3 + wb + 1, ws, h->subject);
	attroff(A_BOLD);
	ui_text(y, COLS - wd - wa - 2, wa, *h->author_name != '\0' ?
	    h->author_name : h->author);
	ui_text(y, COLS - wd - 1, wd, date);
	move(y + 1, 0);
	clrtoeol();
	draw_snippet(y + 1, 5, COLS - 6, h->snippet);
}

static size_t
per_page(void)
{
	int	 rows = (LINES - 1 - LIST_TOP) / HIT_ROWS;

	return rows > 0 ? (size_t)rows : 1;
}

/* The keys of the hit list: Enter does what the source says. */
#define HITS_KEYS(s) { \
	{ .key = UI_KEY_ENTER, .label = sources[(s)->q.source].help }, \
	{ .key = UI_ESC, .label = N_("back to the search") }, \
}

static const struct ui_keydef hits_widget_keys[] = {
	{ .name = N_("Up, Down"), .label = N_("move the marker") },
	{ .name = N_("PgUp, PgDn"), .label = N_("a page up or down") },
	{ .key = L'q', .label = N_("back"), .help = N_("back, as Esc") },
};

static void
hits_draw(struct ui *ui, const struct search_ui *s, size_t top, size_t cur)
{
	const struct ui_keydef v[] = HITS_KEYS(s);
	struct ui_keys	 ks = { .v = v, .n = nitems(v) };
	char	 title[256], help[256];
	size_t	 i;
	int	 y;

	erase();
	snprintf(title, sizeof(title), s->n >= (size_t)s->q.limit ?
	    _("Search: the best %zu matches") : _("Search: %zu found"), s->n);
	ui_header(ui, title);
	for (i = top, y = LIST_TOP; i < s->n && i < top + per_page();
	    i++, y += HIT_ROWS)
		hit_draw(s, i, y);
	ui_keys_legend(ui, &ks, COLS - 1, help, sizeof(help));
	ui_status(ui, "%s", help);
	ui_list_marker(LIST_TOP + (int)(cur - top) * HIT_ROWS, 1);
	refresh();
}

/* The list of hits until Esc. */
static void
hits_run(struct ui *ui, struct search_ui *s)
{
	const struct ui_keydef v[] = HITS_KEYS(s);
	struct ui_keys	 ks = { .v = v, .n = nitems(v) };
	size_t	 top = 0, cur = 0, prev, rows;
	wint_t	 wch;
	int	 k;

	for (;;) {
		rows = per_page();
		top = cur - cur % rows;
		hits_draw(ui, s, top, cur);
		for (;;) {
			k = ui_key(ui, &wch);
			prev = cur;
			if (k == UI_FUNC && wch == KEY_RESIZE)
				break;
			if (k == UI_FUNC && wch == KEY_UP && cur > 0)
				cur--;
			else if (k == UI_FUNC && wch == KEY_DOWN && cur + 1 < s->n)
				cur++;
			else if (k == UI_FUNC && wch == KEY_PPAGE)
				cur = cur > rows ? cur - rows : 0;
			else if (k == UI_FUNC && wch == KEY_NPAGE)
				cur = cur + rows < s->n ? cur + rows : s->n - 1;
			else if (k == UI_CHAR && (wch == UI_ESC ||
			    ui_is_key(wch, L'q')))
				return;
			else if ((k == UI_CHAR && (wch == L'\r' || wch == L'\n')) ||
			    (k == UI_FUNC && wch == KEY_ENTER)) {
				sources[s->q.source].open(ui, &s->hits[cur]);
				ui_doing(ui, "search");
				break;
			} else if (ui_keys_is_help(&ks, k, wch)) {
				ui_keys_help(ui, _("Search"), &ks,
				    hits_widget_keys, nitems(hits_widget_keys));
				break;
			}
			if (cur == prev)
				continue;
			if (cur < top || cur >= top + rows)
				break;		/* a new page */
			ui_list_marker(LIST_TOP + (int)(prev - top) * HIT_ROWS,
			    0);
			ui_list_marker(LIST_TOP + (int)(cur - top) * HIT_ROWS,
			    1);
			refresh();
		}
	}
}

static const struct search_form	 forms[] = {
	{ N_("Search"), N_("Board (optional)"), 80, SEARCH_POSTS, 1, "menu" },
	{ N_("Search the library"), N_("Section (optional)"), 80,
	  SEARCH_LIBRARY, 0, "library" },
};
enum { FORM_MAIN, FORM_LIBRARY };

/* Run form until the user leaves it. */
static int
search_form_run(struct ui *ui, const struct search_form *form)
{
	struct search_ui	 s = { form, {
		{ N_("Words to find"), NULL, SEARCH_QUERY_MAX, UI_FIELD_SUBMIT },
		{ form->place, NULL, form->place_max, 0 },
		{ N_("Author (optional)"), NULL, USER_NAME_MAX, 0 },
		{ N_("From date (DD.MM.YYYY)"), NULL, 10, 0 },
		{ N_("To date (DD.MM.YYYY)"), NULL, 10, 0 },
		{ N_("In my mail instead (y/n)"), NULL, 3, 0 },
	}, { 0 }, NULL, NULL, 0 };
	size_t			 i;

	ui_doing(ui, "search");
	for (i = 0; i < F_N; i++)
		s.f[i].value = xstrdup("");
	while (ui_form(ui, _(form->title), _("Words find all their forms: "
	    "\"ёлки\" finds \"ёлка\". \"Words in quotes\" find a phrase, "
	    "-word excludes, OR gives a choice, word* a beginning. Enter "
	    "searches from the first line or the last, and moves down from "
	    "the others."), s.f,
	    form->mail ? F_N : F_MAIL, search_check, &s))
		hits_run(ui, &s);
	search_hits_free(s.hits, s.n);
	free(s.section);
	for (i = 0; i < F_N; i++)
		free(s.f[i].value);
	ui_doing(ui, form->back);
	return 0;
}

int
ui_search(struct ui *ui)
{
	return search_form_run(ui, &forms[FORM_MAIN]);
}

int
ui_search_library(struct ui *ui)
{
	return search_form_run(ui, &forms[FORM_LIBRARY]);
}
