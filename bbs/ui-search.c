/*
 * ui-search.c: the search screen.  A form (the words, and optionally a
 * board, an author, dates, or one's own mail instead of the boards) and
 * a list of hits, two rows each: where, subject, author and date, then a
 * line of the text with the found words in bold and underlined (visible
 * on monochrome terminals too).  Enter opens a post in its thread, or a
 * letter.  The form keeps what was typed, so a search is refined by
 * going back to it.
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
#include "online.h"
#include "perr.h"
#include "search.h"
#include "store.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

#define LIST_TOP	3
#define HIT_ROWS	2	/* screen rows per hit */

enum { F_QUERY, F_BOARD, F_AUTHOR, F_FROM, F_TO, F_MAIL, F_N };

struct search_ui {
	struct ui_field		 f[F_N];
	struct search_query	 q;
	struct search_hit	*hits;
	size_t			 n;
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

/* Check the form, run the search; -1 when there are hits to show. */
static int
search_check(struct ui *ui, void *arg)
{
	struct search_ui	*s = arg;
	struct search_query	*q = &s->q;
	struct ui_field		*f = s->f;
	int			 i, rc, mail;

	for (i = 0; i < F_N; i++)
		text_trim(f[i].value);
	memset(q, 0, sizeof(*q));
	q->text = f[F_QUERY].value;
	q->user_id = ui->user->id;
	q->role = (int)ui->user->role;
	q->limit = SEARCH_LIMIT;
	if ((mail = yes_no(f[F_MAIL].value)) < 0) {
		ui_status(ui, "%s: %s", _(f[F_MAIL].label),
		    _("answer y (yes) or n (no)"));
		refresh();
		return F_MAIL;
	}
	q->source = mail ? SEARCH_MAIL : SEARCH_POSTS;
	if (*f[F_BOARD].value != '\0') {
		if (mail) {
			ui_status(ui, "%s", _("Letters are not on boards: leave "
			    "the board empty to search your mail."));
			refresh();
			return F_BOARD;
		}
		if ((rc = search_find_board(ui->st, f[F_BOARD].value, q->role,
		    q->user_id, &q->board_id)) != 0)
			return field_error(ui, s, F_BOARD, rc);
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
		ui_status(ui, "%s", mail ? _("Nothing found in your mail.") :
		    _("Nothing found."));
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
static void
draw_snippet(int y, int x, int cols, const char *snip)
{
	char	*piece, *clean;
	size_t	 len, fit;
	int	 on = 0;

	move(y, x);
	while (*snip != '\0' && cols > 0) {
		if (*snip == SEARCH_MARK_ON || *snip == SEARCH_MARK_OFF) {
			on = *snip == SEARCH_MARK_ON;
			snip++;
			continue;
		}
		len = strcspn(snip, "\001\002");
		piece = xmalloc(len + 1);
		memcpy(piece, snip, len);
		piece[len] = '\0';
		clean = text_sanitize(piece, 0);
		fit = text_fit(clean, cols);
		clean[fit] = '\0';
		if (on)
			attron(A_BOLD | A_UNDERLINE);
		addnstr(clean, (int)fit);
		if (on)
			attroff(A_BOLD | A_UNDERLINE);
		cols -= text_width(clean);
		free(clean);
		free(piece);
		snip += len;
	}
}

static const char *
hit_where(const struct search_query *q, const struct search_hit *h)
{
	if (q->source == SEARCH_MAIL)
		return strcmp(h->where, "sent") == 0 ? _("Sent") : _("Inbox");
	return h->where;
}

static void
hit_draw(const struct search_ui *s, size_t i, int y)
{
	const struct search_hit	*h = &s->hits[i];
	time_t			 t = (time_t)h->created_at;
	struct tm		 tm;
	char			 date[16] = "";
	int			 wb = COLS / 5, wa = COLS / 6, wd = 10, ws;

	if (localtime_r(&t, &tm) != NULL)
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	ws = COLS - 3 - wb - wa - wd - 4;
	move(y, 0);
	clrtoeol();
	ui_text(y, 3, wb, hit_where(&s->q, h));
	attron(A_BOLD);
	ui_text(y, 3 + wb + 1, ws, h->subject);
	attroff(A_BOLD);
	ui_text(y, COLS - wd - wa - 2, wa, *h->author != '\0' ? h->author :
	    h->author_name);
	ui_text(y, COLS - wd - 1, wd, date);
	move(y + 1, 0);
	clrtoeol();
	draw_snippet(y + 1, 5, COLS - 6, h->snippet);
}

static void
marker(int y, int on)
{
	mvaddch(y, 1, on ? '>' : ' ');
	move(y, 1);
}

static size_t
per_page(void)
{
	int	 rows = (LINES - 1 - LIST_TOP) / HIT_ROWS;

	return rows > 0 ? (size_t)rows : 1;
}

static void
hits_draw(struct ui *ui, const struct search_ui *s, size_t top, size_t cur)
{
	char	 title[256];
	size_t	 i;
	int	 y;

	erase();
	snprintf(title, sizeof(title), s->n >= (size_t)s->q.limit ?
	    _("Search: the best %zu matches") : _("Search: %zu found"), s->n);
	ui_header(ui, title);
	for (i = top, y = LIST_TOP; i < s->n && i < top + per_page();
	    i++, y += HIT_ROWS)
		hit_draw(s, i, y);
	ui_status(ui, "%s", s->q.source == SEARCH_MAIL ?
	    _("Enter read the letter  Esc back to the search") :
	    _("Enter open the post in its thread  Esc back to the search"));
	marker(LIST_TOP + (int)(cur - top) * HIT_ROWS, 1);
	refresh();
}

/* Show the letter of hit h (one of the user's own). */
static void
open_letter(struct ui *ui, const struct search_hit *h)
{
	struct letter	*v = NULL;
	size_t		 n = 0, i;
	char		*head;
	wint_t		 key;

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
		(void)ui_viewer(ui, _("Letter"), head, v[i].body,
		    _("Arrows scroll  Esc back"), "", &key);
		free(head);
		if (strcmp(h->where, "inbox") == 0 && v[i].read_at == 0)
			(void)mail_set_read(ui->st, ui->user->id, h->id, 1);
	}
	mail_list_free(v, n);
}

/* The list of hits until Esc. */
static void
hits_run(struct ui *ui, struct search_ui *s)
{
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
				if (s->q.source == SEARCH_MAIL)
					open_letter(ui, &s->hits[cur]);
				else
					ui_thread_open(ui, s->hits[cur].thread_id,
					    s->hits[cur].id);
				(void)online_doing(ui->st, getppid(), "search");
				break;
			}
			if (cur == prev)
				continue;
			if (cur < top || cur >= top + rows)
				break;		/* a new page */
			marker(LIST_TOP + (int)(prev - top) * HIT_ROWS, 0);
			marker(LIST_TOP + (int)(cur - top) * HIT_ROWS, 1);
			refresh();
		}
	}
}

int
ui_search(struct ui *ui)
{
	struct search_ui	 s = { {
		{ N_("Words to find"), NULL, SEARCH_QUERY_MAX, 0 },
		{ N_("Board (optional)"), NULL, 80, 0 },
		{ N_("Author (optional)"), NULL, USER_NAME_MAX, 0 },
		{ N_("From date (YYYY-MM-DD)"), NULL, 10, 0 },
		{ N_("To date (YYYY-MM-DD)"), NULL, 10, 0 },
		{ N_("In my mail instead (y/n)"), NULL, 3, 0 },
	}, { 0 }, NULL, 0 };
	size_t			 i;

	(void)online_doing(ui->st, getppid(), "search");
	for (i = 0; i < F_N; i++)
		s.f[i].value = xstrdup("");
	while (ui_form(ui, _("Search"), _("Words find all their forms: "
	    "\"ёлки\" finds \"ёлка\". \"Words in quotes\" find a phrase, "
	    "-word excludes, OR gives a choice, word* a beginning. Enter "
	    "moves down; Enter on the last line searches."), s.f, F_N,
	    search_check, &s))
		hits_run(ui, &s);
	search_hits_free(s.hits, s.n);
	for (i = 0; i < F_N; i++)
		free(s.f[i].value);
	(void)online_doing(ui->st, getppid(), "menu");
	return 0;
}
