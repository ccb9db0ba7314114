/*
 * ui-chat.c: the chat rooms (common/chat.h): the list of rooms she may
 * enter, and a room.
 *
 * A room is made for weak links.  The screen is drawn once: the header,
 * who is here (row 2), the lines (a window of its own with a scrolling
 * region, idlok), the input line and the legend.  After that a new line
 * costs its own text: it is written at the bottom of the lines' window,
 * which scrolls by one row (ncurses sends the terminal's scroll, not the
 * rows again), and nothing else is drawn; a key she types is echoed on
 * the input line alone.  Only a hidden line, a new size or Ctrl-L draw
 * the lines again.
 *
 * The screen learns of new lines from PRAGMA data_version (it moves when
 * another connection commits: another session's line, the client's
 * syncer), read at most once a second, while no key comes (the idle
 * hook of ui_key()) or between keys; only when it moved are the lines
 * after the last one shown read, by the index chat_lines(room_id, id).
 * Who is here is who-is-online's (the host's doing hook writes
 * "chat:ID"), read again when its own data_version moves; a host without
 * that hook (the client) shows nobody.
 *
 * Lines are written through the request table (chat-say) as she presses
 * Enter.  A host that is not linked now (the client offline) gets no
 * input line: the screen says that chat needs the link, and takes no
 * text until the link is back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include <curses.h>

#include "chat.h"
#include "i18n.h"
#include "log.h"
#include "online.h"
#include "perr.h"
#include "request.h"
#include "store.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

#define UI_CHAT_KEEP	200	/* lines kept to draw again */
#define UI_CHAT_WHO	32	/* names read for "who is here" */

struct ui_chat {
	struct ui		*ui;
	struct chat_room	*room;
	WINDOW			*win;		/* the lines */
	struct chat_line	*v;		/* shown, oldest first */
	size_t			 n;
	int64_t			 last_id;	/* the newest shown */
	int64_t			 entered;	/* hides since then count */
	int64_t			 version;	/* the store's data_version */
	int64_t			 live_version;	/* who is online's */
	int64_t			 checked_ms;
	int			 linked;	/* the host has its link */
	int			 written;	/* the window holds a line */
	char			 doing[32];
	char			*who;		/* row 2 as drawn */
	wchar_t			 in[CHAT_LINE_MAX + 1];
	size_t			 nin;
	const char		*msg;		/* on the status line */
};

static int
ui_chat_may_mod(struct ui *ui, void *arg)
{
	const struct ui_chat *c = arg;

	(void)ui;
	return c->room->is_mod && c->linked;
}

static const struct ui_keydef ui_chat_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("say"),
	  .help = N_("send the line you typed to everyone in the room") },
	{ .key = UI_CTRL('k'), .label = N_("hide a line"),
	  .help = N_("choose a line to hide: it disappears for everyone"
	  " else"), .may = ui_chat_may_mod },
	{ .key = UI_CTRL('u'), .label = N_("clear"),
	  .help = N_("clear the line you are typing"),
	  .flags = UI_KEY_NOLEGEND },
	UI_KEY_BACK,
};

/* What the "?" screen says of typing, which is no row of the table. */
static const struct ui_keydef ui_chat_typing[] = {
	{ .name = N_("Letters"), .label = N_("type"),
	  .help = N_("type your line; Backspace takes back a letter; \"?\""
	  " on an empty line shows this list") },
};

static const char ui_chat_about[] = N_("Lines of the last days are shown"
    " when you enter; new ones appear by themselves.  A coordinator of the"
    " board (or the sysop) may hide a line.");

static struct ui_keys *
ui_chat_keyset(struct ui_chat *c, struct ui_keys *ks)
{
	memset(ks, 0, sizeof(*ks));
	ks->v = ui_chat_keys;
	ks->n = nitems(ui_chat_keys);
	ks->arg = c;
	ks->about = ui_chat_about;
	return ks;
}

static int
ui_chat_is_linked(struct ui *ui)
{
	const struct ui_host *h = ui->p->host;

	return h == NULL || h->linked == NULL || h->linked(ui);
}

/* ---- drawing --------------------------------------------------------- */

/* Line l at the bottom of the lines' window, scrolling it by its rows. */
static void
ui_chat_put(struct ui_chat *c, const struct chat_line *l)
{
	char	 hhmm[32], *name, *body;

	text_date(l->at, TEXT_DATE_MINUTE, hhmm, sizeof(hhmm));
	name = text_sanitize(*l->author != '\0' ? l->author : "?", 0);
	body = text_sanitize(l->body, 0);
	if (c->written)
		waddch(c->win, '\n');
	c->written = 1;
	/* The time without the day: the day is today's, or the history's. */
	wattron(c->win, A_BOLD);
	wprintw(c->win, "%s %s:", strlen(hhmm) > 11 ? hhmm + 11 : hhmm, name);
	wattroff(c->win, A_BOLD);
	wprintw(c->win, " %s", body);
	free(name);
	free(body);
}

/* The input line, with the cursor at its end. */
static void
ui_chat_input(struct ui_chat *c)
{
	size_t	 off = 0;
	int	 w = 0, cols = COLS - 3;

	move(LINES - 2, 0);
	clrtoeol();
	if (!c->linked) {
		attron(A_BOLD);
		ui_text(LINES - 2, 0, COLS - 1, _("Chat needs the link to the"
		    " server; you are offline now."));
		attroff(A_BOLD);
		return;
	}
	/* Her last letters, as many as fit. */
	for (off = c->nin; off > 0; off--) {
		int cw = wcwidth(c->in[off - 1]);

		if (w + (cw > 0 ? cw : 0) >= cols)
			break;
		w += cw > 0 ? cw : 0;
	}
	mvaddstr(LINES - 2, 0, "> ");
	addnwstr(c->in + off, (int)(c->nin - off));
}

static void
ui_chat_legend(struct ui_chat *c)
{
	struct ui_keys	 ks;
	char		 legend[256];
	const char	*msg = c->msg != NULL ? _(c->msg) : "";
	int		 mw = *msg != '\0' ? text_width(msg) + 2 : 0;

	char		*line;

	ui_keys_legend(c->ui, ui_chat_keyset(c, &ks), COLS - 1 - mw, legend,
	    sizeof(legend));
	/* One row, cut to fit: ui_status() would borrow the input line for
	 * a long message. */
	line = xasprintf("%s%s%s", msg, *msg != '\0' ? "  " : "", legend);
	move(LINES - 1, 0);
	clrtoeol();
	ui_text(LINES - 1, 0, COLS - 1, line);
	free(line);
}

/* Row 2: who is in the room now (the host's who-is-online). */
static void
ui_chat_who(struct ui_chat *c, int force)
{
	struct online	*o = NULL;
	size_t		 n = 0, i;
	char		*s;
	int64_t		 v = 0;

	if (c->ui->p->host == NULL || c->ui->p->host->doing == NULL) {
		if (force)
			ui_text(2, 0, COLS - 1, _("Who is here is shown on the"
			    " BBS."));
		return;
	}
	if (!force && store_int(c->ui->st, &v, "PRAGMA live.data_version",
	    "") == 0 && v == c->live_version)
		return;
	if (online_in(c->ui->st, c->doing, UI_CHAT_WHO, &o, &n) != 0)
		return;
	(void)store_int(c->ui->st, &c->live_version,
	    "PRAGMA live.data_version", "");
	s = xasprintf("%s", _("Here:"));
	for (i = 0; i < n; i++) {
		char *t = xasprintf("%s%s %s", s, i > 0 ? "," : "",
		    o[i].display_name);
		free(s);
		s = t;
	}
	online_list_free(o, n);
	if (force || c->who == NULL || strcmp(s, c->who) != 0) {
		move(2, 0);
		clrtoeol();
		ui_text(2, 0, COLS - 1, s);
		free(c->who);
		c->who = s;
	} else
		free(s);
}

/* Put the cursor back on the input line and send what changed. */
static void
ui_chat_flush(struct ui_chat *c)
{
	wnoutrefresh(c->win);
	ui_chat_input(c);
	wnoutrefresh(stdscr);
	doupdate();
}

/* The whole screen, from the lines kept. */
static void
ui_chat_draw(struct ui_chat *c)
{
	int	 rows = LINES - 5;
	size_t	 i, from;

	erase();
	ui_header(c->ui, c->room->title);
	ui_chat_who(c, 1);
	if (c->win != NULL)
		delwin(c->win);
	if (rows < 1)
		rows = 1;
	c->win = newwin(rows, COLS, 3, 0);
	scrollok(c->win, TRUE);
	idlok(c->win, TRUE);
	c->written = 0;
	from = c->n > (size_t)rows ? c->n - (size_t)rows : 0;
	for (i = from; i < c->n; i++)
		ui_chat_put(c, &c->v[i]);
	ui_chat_legend(c);
	wnoutrefresh(stdscr);
	ui_chat_flush(c);
}

/* ---- reading ------------------------------------------------------- */

/* 1 if the line named uuid is shown already. */
static int
ui_chat_shown(const struct ui_chat *c, const char *uuid)
{
	size_t	 i;

	for (i = c->n; i > 0; i--)
		if (strcmp(c->v[i - 1].uuid, uuid) == 0)
			return 1;
	return 0;
}

/*
 * Keep the lines l (taken over) not shown yet, dropping the oldest past
 * the cap; *n becomes how many were new.  In a local copy a line she
 * wrote has a local id (STORE_LOCAL_ID_MIN up) until the server's row,
 * with the same UUID, replaces it: last_id follows the server's ids
 * only, so lines of others that come later are still read, and a line
 * is told apart from one shown by its UUID.
 */
static void
ui_chat_keep(struct ui_chat *c, struct chat_line *l, size_t *n)
{
	size_t	 drop, i, k = 0;

	c->v = xrealloc(c->v, (c->n + *n + 1) * sizeof(*c->v));
	for (i = 0; i < *n; i++) {
		if (ui_chat_shown(c, l[i].uuid)) {
			free(l[i].author);
			free(l[i].body);
			continue;
		}
		if (l[i].id < STORE_LOCAL_ID_MIN && l[i].id > c->last_id)
			c->last_id = l[i].id;
		c->v[c->n + k++] = l[i];
	}
	free(l);
	c->n += k;
	*n = k;
	if (c->n > UI_CHAT_KEEP) {
		drop = c->n - UI_CHAT_KEEP;
		for (i = 0; i < drop; i++) {
			free(c->v[i].author);
			free(c->v[i].body);
		}
		memmove(c->v, c->v + drop, (c->n - drop) * sizeof(*c->v));
		c->n -= drop;
	}
}

/* The lines after the last one shown, drawn at the bottom. */
static void
ui_chat_new_lines(struct ui_chat *c)
{
	struct chat_line *l = NULL;
	size_t		 n = 0, i;
	int		 days = c->ui->p->chat_history_days;

	if (chat_lines(c->ui->st, c->room->id, c->last_id, c->last_id == 0 &&
	    days > 0 ? now_unix() - (int64_t)days * 86400 : 0, UI_CHAT_KEEP,
	    &l, &n) != 0)
		return;
	ui_chat_keep(c, l, &n);
	for (i = n < c->n ? c->n - n : 0; i < c->n; i++)
		ui_chat_put(c, &c->v[i]);
}

/* Lines hidden since she came in, among those shown: taken away, and
 * the lines drawn again (a hide is rare; a line is not). */
static void
ui_chat_hidden(struct ui_chat *c)
{
	int64_t	 ids[64];
	size_t	 n = 0, i, j, k;
	int	 gone = 0;

	if (c->n == 0 || chat_hidden_since(c->ui->st, c->room->id, c->entered,
	    c->v[0].id, ids, nitems(ids), &n) != 0 || n == 0)
		return;
	for (i = 0, k = 0; i < c->n; i++) {
		for (j = 0; j < n && ids[j] != c->v[i].id; j++)
			;
		if (j < n) {
			free(c->v[i].author);
			free(c->v[i].body);
			gone = 1;
		} else
			c->v[k++] = c->v[i];
	}
	c->n = k;
	if (gone)
		ui_chat_draw(c);
}

/* At most once a second: new lines, hidden ones, who is here, the link. */
static void
ui_chat_tick(struct ui_chat *c, int force)
{
	int64_t	 now = now_mono_ms(), v = 0;
	int	 linked;

	if (!force && now - c->checked_ms < 1000)
		return;
	c->checked_ms = now;
	if ((linked = ui_chat_is_linked(c->ui)) != c->linked) {
		c->linked = linked;
		ui_chat_legend(c);
	}
	if (force || (store_int(c->ui->st, &v, "PRAGMA data_version", "") ==
	    0 && v != c->version)) {
		if (!force)
			c->version = v;
		ui_chat_new_lines(c);
		ui_chat_hidden(c);
	}
	ui_chat_who(c, 0);
	ui_chat_flush(c);
}

static void
ui_chat_idle(struct ui *ui, void *arg)
{
	(void)ui;
	ui_chat_tick(arg, 0);
}

/* ---- acting -------------------------------------------------------- */

static void
ui_chat_say(struct ui_chat *c)
{
	struct request	 r;
	char		*body;
	size_t		 len;
	int		 rc;

	if (c->nin == 0)
		return;
	c->in[c->nin] = L'\0';
	len = wcstombs(NULL, c->in, 0);
	if (len == (size_t)-1) {
		c->msg = N_("that line cannot be sent");
		ui_chat_legend(c);
		return;
	}
	body = xmalloc(len + 1);
	wcstombs(body, c->in, len + 1);
	request_init(&r, REQ_CHAT_SAY, c->ui->user);
	r.room = c->room->uuid;
	r.body = body;
	rc = ui_apply(c->ui, &r, NULL);
	free(body);
	if (rc != 0) {
		/* Her line stays, to send again or to mend. */
		c->msg = perr_str(rc);
		ui_chat_legend(c);
		return;
	}
	c->nin = 0;
	if (c->msg != NULL) {
		c->msg = NULL;
		ui_chat_legend(c);
	}
	ui_chat_tick(c, 1);
}

static void
ui_chat_hide_draw(size_t i, int y, void *arg)
{
	const struct chat_line *l = (const struct chat_line *)arg + i;
	char	*s = xasprintf("%s: %s", l->author, l->body);

	ui_text(y, 3, COLS - 4, s);
	free(s);
}

static const struct ui_keydef ui_chat_hide_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("hide"),
	  .help = N_("hide the marked line from everyone else") },
	UI_KEY_BACK,
};

/* Choose a line to hide, newest last (marked first). */
static void
ui_chat_hide(struct ui_chat *c)
{
	struct request	 r;
	size_t		 sel = c->n > 0 ? c->n - 1 : 0;
	wint_t		 key;

	if (c->n == 0)
		return;
	if (ui_list(c->ui, _("Hide a line"), UI_KEYS(ui_chat_hide_keys, NULL),
	    c->n, ui_chat_hide_draw, c->v, &sel, &key) == UI_LIST_PICK) {
		request_init(&r, REQ_CHAT_HIDE, c->ui->user);
		r.line = c->v[sel].uuid;
		(void)ui_request(c->ui, &r, NULL);
	}
	ui_chat_tick(c, 1);
	ui_chat_draw(c);
}

/* A key on the room's screen: 1 to leave. */
static int
ui_chat_key(struct ui_chat *c, int k, wint_t wch)
{
	struct ui_keys	 ks;

	if (k == UI_FUNC && wch == KEY_RESIZE) {
		ui_chat_draw(c);
		return 0;
	}
	if (k == UI_FUNC && wch == KEY_BACKSPACE) {
		if (c->nin > 0)
			c->nin--;
		return 0;
	}
	if (k == UI_CHAR && (wch == 0x7f || wch == UI_CTRL('h'))) {
		if (c->nin > 0)
			c->nin--;
		return 0;
	}
	if (k == UI_CHAR && (wch == UI_CTRL('g') || (wch == L'?' &&
	    c->nin == 0))) {
		ui_keys_help(c->ui, _("Chat"), ui_chat_keyset(c, &ks),
		    ui_chat_typing, nitems(ui_chat_typing));
		ui_chat_draw(c);
		return 0;
	}
	if (k == UI_CHAR && wch != UI_ESC && wch != L'\r' &&
	    wch != UI_CTRL('k') && wch != UI_CTRL('u')) {
		if (c->linked && iswprint(wch) && c->nin < CHAT_LINE_MAX)
			c->in[c->nin++] = (wchar_t)wch;
		return 0;
	}
	switch (ui_keys_find(c->ui, ui_chat_keyset(c, &ks), k, wch) != NULL ?
	    (int)wch : 0) {
	case UI_ESC:
		return 1;
	case L'\r':
		if (c->linked)
			ui_chat_say(c);
		break;
	case UI_CTRL('k'):
		ui_chat_hide(c);
		break;
	case UI_CTRL('u'):
		c->nin = 0;
		break;
	}
	return 0;
}

static void
ui_chat_room(struct ui *ui, struct chat_room *room)
{
	struct ui_chat	 c;
	void		(*idle)(struct ui *, void *) = ui->idle;
	void		*idle_arg = ui->idle_arg;
	wint_t		 wch;
	int		 k, pruned = 0;

	memset(&c, 0, sizeof(c));
	c.ui = ui;
	c.room = room;
	c.entered = now_unix();
	c.linked = ui_chat_is_linked(ui);
	if (chat_prune(ui->st, ui->p->chat_history_days, &pruned) != 0)
		log_warn("chat: old lines not pruned");
	snprintf(c.doing, sizeof(c.doing), "chat:%lld", (long long)room->id);
	ui_doing(ui, c.doing);
	(void)store_int(ui->st, &c.version, "PRAGMA data_version", "");
	ui_chat_new_lines(&c);
	ui_chat_draw(&c);
	ui->idle = ui_chat_idle;
	ui->idle_arg = &c;
	for (;;) {
		k = ui_key(ui, &wch);
		if (ui_chat_key(&c, k, wch))
			break;
		ui_chat_tick(&c, 0);
		ui_chat_flush(&c);
	}
	ui->idle = idle;
	ui->idle_arg = idle_arg;
	ui_doing(ui, "chat");
	delwin(c.win);
	chat_lines_free(c.v, c.n);
	free(c.who);
}

/* ---- the rooms ------------------------------------------------------- */

static void
ui_chat_room_draw(size_t i, int y, void *arg)
{
	const struct chat_room *r = (const struct chat_room *)arg + i;

	ui_text(y, 3, 20, r->name);
	if (r->board_id != 0)
		ui_text(y, 24, COLS - 25, r->title);
}

static const struct ui_keydef ui_chat_room_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("enter"),
	  .help = N_("enter the marked room") },
	UI_KEY_BACK,
};

int
ui_chat(struct ui *ui)
{
	UI_ROWS(struct chat_room) l = { NULL, 0 };
	struct chat_room *room;
	size_t		 sel = 0;
	wint_t		 key;
	int		 rc;

	ui_doing(ui, "chat");
	for (;;) {
		UI_ROWS_FREE(l, chat_rooms_free);
		rc = chat_rooms(ui->st, ui->user, &l.v, &l.n);
		if (!ui_list_ready(ui, rc, l.n,
		    N_("There are no chat rooms yet.")))
			break;
		if (ui_list_again(ui, _("Chat rooms"),
		    UI_KEYS(ui_chat_room_keys, NULL), l.n, ui_chat_room_draw,
		    l.v, &sel, &key) != UI_LIST_PICK)
			break;
		if ((rc = chat_room_get(ui->st, ui->user, l.v[sel].id,
		    &room)) != 0) {
			ui_say_error(ui, NULL, rc);
			continue;
		}
		ui_chat_room(ui, room);
		chat_rooms_free(room, 1);
	}
	chat_rooms_free(l.v, l.n);
	ui_doing(ui, "menu");
	return 0;
}
