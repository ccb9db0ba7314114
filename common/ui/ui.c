/*
 * ui.c: the UI process: start-up, the key loop with idle handling, the
 * screen primitives and the main menu.
 *
 * What differs between the programs that run the UI comes from their
 * struct ui_host (ui.h).  The session ends in one place: ui_exit(),
 * called from any depth (ui_key() on idleness, a hang-up, a shutdown, a
 * ban; a screen that cannot go on), unwinds with longjmp() to ui_run(),
 * which leaves curses, says the last line and returns the exit status
 * to its caller, the host program.  A longjmp rather than an "ending"
 * result every loop would have to pass up: a screen stays a plain loop
 * around ui_key(), and none can forget to stop.  What is lost on the
 * way is memory the process gives back as it ends; drafts are saved
 * before (the idle hook), and no screen holds a transaction across
 * ui_key().
 */
#include <locale.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "charset.h"
#include "i18n.h"
#include "log.h"
#include "perr.h"
#include "store.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

static volatile sig_atomic_t ui_got_term, ui_got_hup, ui_got_kick;

static void
ui_on_term(int sig)
{
	if (sig == SIGHUP)
		ui_got_hup = 1;
	else if (sig == SIGUSR1)
		ui_got_kick = 1;	/* the session: banned or kicked */
	else
		ui_got_term = 1;
}

int
ui_ending(void)
{
	return ui_got_hup ? SIGHUP : ui_got_term ? SIGTERM : 0;
}

int
ui_key_pending(void)
{
	struct pollfd	 pfd = { .fd = 0, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0;
}

void
ui_exit(struct ui *ui, const char *msg)
{
	free(ui->end_msg);
	ui->end_msg = msg != NULL ? xstrdup(msg) : NULL;
	longjmp(ui->end, 1);
}

void
ui_doing(struct ui *ui, const char *what)
{
	if (ui->p->host != NULL && ui->p->host->doing != NULL)
		ui->p->host->doing(ui, what);
}

void
ui_text(int y, int x, int maxcols, const char *s)
{
	char	*clean = text_sanitize(s, 0);
	size_t	 n;

	if (maxcols <= 0)
		maxcols = COLS - x;
	n = text_fit(clean, maxcols);
	/* Cut: say so with "…" (one column; the pump writes "." where an
	 * encoding lacks it). */
	if (clean[n] != '\0' && maxcols > 1) {
		n = text_fit(clean, maxcols - 1);
		while (n > 0 && clean[n - 1] == ' ')
			n--;
		mvaddnstr(y, x, clean, (int)n);
		addstr("…");
	} else
		mvaddnstr(y, x, clean, (int)n);
	free(clean);
}

void
ui_text_pair(int y, int x, int gap, const char *left, const char *right)
{
	int	 w = text_width(right);

	ui_text(y, x, COLS - x - w - 1 - gap, left);
	ui_text(y, COLS - w - 1, w, right);
}

int
ui_wrap(int y, int x, int ymax, int width, const char *s)
{
	char	*clean = text_sanitize(s, 1), *p = clean, *nl;
	size_t	 cut, next;

	while (*p != '\0' && y < ymax) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		while (y < ymax) {
			cut = text_wrap(p, width, &next);
			mvaddnstr(y++, x, p, (int)cut);
			p += next;
			if (*p == '\0')
				break;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	free(clean);
	return y;
}

/* The header's right end: the host's (a login, a link's state). */
/* The header's right end: the host's (a login, a link's state); its
 * columns, or 0 when there is none or it would not leave room. */
static int
ui_header_right(struct ui *ui)
{
	const struct ui_host *h = ui->p->host;
	char		 buf[128];
	int		 w;

	if (h != NULL && h->header_right != NULL)
		h->header_right(ui, buf, sizeof(buf));
	else
		strlcpy_p(buf, ui->user != NULL ? ui->user->login : "",
		    sizeof(buf));
	w = text_width(buf);
	strlcpy_p(ui->header_right, buf, sizeof(ui->header_right));
	ui->header_right_x = 0;
	if (w <= 0 || w >= COLS / 3)
		return 0;
	ui->header_right_x = COLS - w - 1;
	ui_text(0, ui->header_right_x, w, buf);
	return w;
}

/* The idle tick, when the host watches the store: the header's right
 * end again if its text changed and the new one fits where the old
 * one was or in the third of the row it may take; the cursor stays. */
static void
ui_header_again(struct ui *ui)
{
	const struct ui_host *h = ui->p->host;
	char		 buf[128];
	int		 w, x, y, ox, from;

	if (h == NULL || !h->watch_store || h->header_right == NULL ||
	    ui->header_right_x <= 0)
		return;
	h->header_right(ui, buf, sizeof(buf));
	if (strcmp(buf, ui->header_right) == 0)
		return;
	w = text_width(buf);
	x = COLS - w - 1;
	if (w <= 0 || w >= COLS / 3 || x < COLS - COLS / 3)
		return;
	getyx(stdscr, y, ox);
	from = x < ui->header_right_x ? x : ui->header_right_x;
	mvhline(0, from, ' ', COLS - from);
	ui_text(0, x, w, buf);
	strlcpy_p(ui->header_right, buf, sizeof(ui->header_right));
	ui->header_right_x = x;
	move(y, ox);
	refresh();
}

void
ui_header(struct ui *ui, const char *title)
{
	int	 right, x;

	move(0, 0);
	clrtoeol();
	right = ui_header_right(ui);
	attron(A_BOLD);
	ui_text(0, 0, COLS / 2, "parta");
	attroff(A_BOLD);
	addstr(" | ");
	/* A long title is cut two columns before the login. */
	x = getcurx(stdscr);
	ui_text(0, x, COLS - x - 1 - (right > 0 ? right + 2 : 0), title);
	mvhline(1, 0, ACS_HLINE, COLS);
}

/*
 * The status line's second row.  A message wider than the screen takes
 * the row above the status line too, broken between words; what that
 * row held is kept and put back by the next status line, unless the
 * screen has drawn something else there meanwhile.
 */
struct ui_status_row {
	int	 y, cols;
	cchar_t	*saved;		/* the row as it was */
	wchar_t	*drawn;		/* what the message put there */
};

static void
ui_status_give_back(struct ui *ui)
{
	struct ui_status_row *r = ui->status_row;
	wchar_t		*now;

	if (r == NULL)
		return;
	ui->status_row = NULL;
	if (r->y == LINES - 2 && r->cols == COLS) {
		now = xcalloc((size_t)COLS + 1, sizeof(*now));
		if (mvinnwstr(r->y, 0, now, COLS) != ERR &&
		    wcscmp(now, r->drawn) == 0)
			mvadd_wchnstr(r->y, 0, r->saved, COLS);
		free(now);
	}
	free(r->saved);
	free(r->drawn);
	free(r);
}

void
ui_status(struct ui *ui, const char *fmt, ...)
{
	struct ui_status_row *r;
	va_list	 ap;
	char	 buf[1024], *clean;
	size_t	 cut, next;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ui_status_give_back(ui);
	move(LINES - 1, 0);
	clrtoeol();
	clean = text_sanitize(buf, 0);
	if (text_width(clean) <= COLS - 1 || LINES < 8) {
		ui_text(LINES - 1, 0, COLS - 1, clean);
		free(clean);
		return;
	}
	r = xcalloc(1, sizeof(*r));
	r->y = LINES - 2;
	r->cols = COLS;
	r->saved = xcalloc((size_t)COLS + 1, sizeof(*r->saved));
	r->drawn = xcalloc((size_t)COLS + 1, sizeof(*r->drawn));
	mvin_wchnstr(r->y, 0, r->saved, COLS);
	cut = text_wrap(clean, COLS - 1, &next);
	move(r->y, 0);
	clrtoeol();
	mvaddnstr(r->y, 0, clean, (int)cut);
	/* What is read back, trailing blanks included, to compare. */
	mvinnwstr(r->y, 0, r->drawn, COLS);
	ui_text(LINES - 1, 0, COLS - 1, clean + next);
	ui->status_row = r;
	free(clean);
}

void
ui_clear_body(void)
{
	int	 y;

	for (y = 2; y < LINES - 1; y++) {
		move(y, 0);
		clrtoeol();
	}
}

void
ui_notice(struct ui *ui, const char *msg)
{
	wint_t	 wch;

	ui_status(ui, "%s %s", msg, _("(any key)"));
	refresh();
	(void)ui_key(ui, &wch);
	ui_status(ui, "%s", "");
}

int
ui_confirm(struct ui *ui, const char *question)
{
	wint_t	 wch;
	int	 k;

	ui_status(ui, "%s %s", question, _("(y/n)"));
	refresh();
	k = ui_key(ui, &wch);
	ui_status(ui, "%s", "");
	/* "д" is "да" on a Russian keyboard layout. */
	return k == UI_CHAR && (wch == L'y' || wch == L'Y' || wch == L'д' ||
	    wch == L'Д');
}

static void
ui_idle_check(struct ui *ui)
{
	int64_t	 idle = (now_mono_ms() - ui->last_input_ms) / 1000;
	int	 warn_at = ui->idle_limit - (ui->p->host != NULL ?
		    ui->p->host->idle_warning : 0);

	if (ui->idle_limit <= 0)
		return;		/* the host never ends a session for it */
	if (idle >= ui->idle_limit)
		ui_exit(ui, _("The session was closed after a period of inactivity."));
	if (!ui->warned && idle >= warn_at) {
		int	 y, x;

		getyx(stdscr, y, x);
		ui->warned = 1;
		attron(A_BOLD);
		ui_status(ui, _("No input: the session closes in %d seconds. "
		    "Press any key to stay."), ui->idle_limit - (int)idle);
		attroff(A_BOLD);
		move(y, x);
		refresh();
	}
}

/*
 * After an ESC: if a CSI, OSC, DCS or SS3 introducer follows at once, the
 * ESC began an escape sequence that ncurses did not turn into a key, and
 * 1 is returned.  A key's own sequence is put back as that key: ncurses
 * does not match one that follows another ESC (Esc, then Down, in one
 * packet on a slow link: ESC ESC [ B); anything else (a pasted colour
 * code, say) is dropped whole.  Any other character means a lone Esc
 * key, perhaps sent in one packet with the next key: that key is put
 * back and 0 returned.  ncurses waited for the character after the
 * first ESC; an ESC put back here, and a sequence's rest, are waited
 * for as long (a packet may end inside a sequence).
 */
static int
ui_swallow_sequence(void)
{
	static int	 esc_back;	/* the ESC now read was put back */
	char		 seq[32];
	size_t		 n = 0;
	wint_t		 c;
	int		 rc, osc, code;

	timeout(esc_back ? get_escdelay() : 0);
	esc_back = 0;
	rc = get_wch(&c);
	if (rc == ERR)
		return 0;
	if (rc == KEY_CODE_YES) {
		ungetch((int)c);
		return 0;
	}
	if (c != L'[' && c != L']' && c != L'P' && c != L'O') {
		unget_wch(c);
		esc_back = c == UI_ESC;
		return 0;
	}
	timeout(get_escdelay());
	seq[n++] = '\033';
	seq[n++] = (char)c;
	osc = c != L'[' && c != L'O';
	while ((rc = get_wch(&c)) == OK) {
		if (n < sizeof(seq) - 1)
			seq[n++] = c < 0x80 ? (char)c : '?';
		if (osc && (c == 0x07 || c == 0x9c))
			break;		/* BEL or ST ends an OSC or DCS */
		if (osc && c == UI_ESC) {
			(void)get_wch(&c);	/* ESC \ is ST too */
			break;
		}
		if (!osc && (seq[1] == 'O' || (c >= 0x40 && c <= 0x7e)))
			break;		/* SS3's one character, a CSI's final */
	}
	seq[n] = '\0';
	if (!osc && (code = key_defined(seq)) > 0)
		ungetch(code);
	return 1;
}

/*
 * The account as the store has it now, before the key is acted on: a
 * role the sysop changed applies from this action on, and a ban ends
 * the session.  Only the numbers are copied, as callers may hold the
 * strings; a failed read keeps what was known.
 */
static void
ui_refresh_user(struct ui *ui, int kicked)
{
	struct user	*u = NULL;
	char		*msg;
	int		 was, rc = 0;

	if (ui->user == NULL ||
	    (rc = user_get_by_id(ui->st, ui->user->id, &u)) != 0) {
		/* A deleted account is gone for good; a failed read
		 * changes nothing. */
		if (kicked || (ui->user != NULL && rc == PERR_NOTFOUND))
			ui_exit(ui, _("The sysop has ended your session."));
		return;
	}
	was = user_state(ui->user);
	ui->user->role = u->role;
	ui->user->approved_at = u->approved_at;
	ui->user->rejected_at = u->rejected_at;
	ui->user->banned_at = u->banned_at;
	if (user_state(u) == USER_BANNED && (kicked || was != USER_BANNED)) {
		msg = xasprintf(_("Your account is blocked. Reason: %s"),
		    *u->ban_reason ? u->ban_reason : "-");
		ui_exit(ui, msg);
	}
	user_free(u);
	if (kicked)
		ui_exit(ui, _("The sysop has ended your session."));
}

/* While no key comes: the account read again every
 * host->check_account seconds. */
static void
ui_account_check(struct ui *ui)
{
	const struct ui_host *h = ui->p->host;
	int64_t		 now = now_mono_ms();

	if (h == NULL || h->check_account <= 0 ||
	    now - ui->account_checked_ms < h->check_account * 1000LL)
		return;
	ui->account_checked_ms = now;
	ui_refresh_user(ui, 0);
}

/*
 * 1 once after another connection changed the store (PRAGMA
 * data_version; this connection's own writes do not count), when the
 * host watches it.  A failed read counts as no change.
 */
static int
ui_store_changed(struct ui *ui)
{
	int64_t	 v;

	if (ui->p->host == NULL || !ui->p->host->watch_store ||
	    store_int(ui->st, &v, "PRAGMA data_version", "") != 0)
		return 0;
	if (v == ui->data_version)
		return 0;
	ui->data_version = v;
	return 1;
}

int
ui_key(struct ui *ui, wint_t *wch)
{
	int	 rc;

	for (;;) {
		if (ui_got_hup) {
			/* The link dropped: save what can be saved, then go. */
			if (ui->idle != NULL)
				ui->idle(ui, ui->idle_arg);
			ui_exit(ui, NULL);
		}
		if (ui_got_term)
			ui_exit(ui, _("The server is shutting down. Goodbye."));
		if (ui_got_kick) {
			if (ui->idle != NULL)
				ui->idle(ui, ui->idle_arg);	/* drafts */
			ui_refresh_user(ui, 1);
		}
		ui_mail_watch(ui);
		timeout(1000);
		rc = get_wch(wch);
		if (rc == ERR) {
			if (ui->idle != NULL && !ui_got_hup)
				ui->idle(ui, ui->idle_arg);
			ui_idle_check(ui);
			ui_account_check(ui);
			ui_header_again(ui);
			/* A change seen while no screen can reload is not
			 * kept: the next list reads the store anyway. */
			if (ui_store_changed(ui) && ui->reload) {
				*wch = UI_KEY_RELOAD;
				return UI_FUNC;
			}
			continue;
		}
		ui->last_input_ms = now_mono_ms();
		if (ui->warned) {
			/* The key that dismisses the warning does nothing else. */
			ui->warned = 0;
			ui_status(ui, "%s", "");
			if (rc != KEY_CODE_YES || *wch != KEY_RESIZE)
				continue;
		}
		if (rc == OK && *wch == UI_ESC && ui_swallow_sequence())
			continue;
		ui_refresh_user(ui, 0);
		if (rc == OK && *wch == UI_CTRL('l')) {
			clearok(curscr, TRUE);
			refresh();
			if (ui->redrawn != NULL)
				ui->redrawn(ui, ui->redrawn_arg);
			continue;
		}
		return rc == KEY_CODE_YES ? UI_FUNC : UI_CHAR;
	}
}

/* ---- the main menu ------------------------------------------------ */

static int
ui_logout(struct ui *ui)
{
	(void)ui;
	return 1;
}

/* The rows every host shows, what teachers come for first, then their
 * settings; the host adds its own among them
 * (partad: who is online, keys, password, approvals, reset codes). */
static const struct ui_item main_menu[] = {
	{ .key = L'b', .label = N_("Boards"), .fn = ui_boards },
	{ .key = L'n', .label = N_("Read everything new"), .fn = ui_newscan },
	{ .key = L'm', .label = N_("Mail"), .fn = ui_mail },
	{ .key = L'c', .label = N_("Chat"), .fn = ui_chat },
	{ .key = L'i', .label = N_("Library"), .fn = ui_library },
	{ .key = L'd', .label = N_("My drafts"), .fn = ui_drafts },
	{ .key = L'a', .label = N_("News"), .fn = ui_news },
	{ .key = L'v', .label = N_("Events"), .fn = ui_events_all },
	{ .key = L'f', .label = N_("Search"), .fn = ui_search },
	{ .key = L'u', .label = N_("Members"), .fn = ui_directory },
	{ .key = L'p', .label = N_("Profile"), .fn = ui_profile },
	{ .key = L'l', .label = N_("Язык: русский"), .fn = ui_language,
	  .flags = UI_ITEM_ASK_LAYOUT },
	{ .key = L'e', .label = N_("Terminal encoding"), .fn = ui_encoding,
	  .flags = UI_ITEM_ASK_LAYOUT },
	{ .key = L'q', .label = N_("Log out"), .fn = ui_logout,
	  .flags = UI_ITEM_ASK_LAYOUT },
};

struct ui_item *
ui_main_menu_rows(struct ui *ui, size_t *n)
{
	const struct ui_host *h = ui->p->host;
	const struct ui_host_item *x = h != NULL ? h->main_menu : NULL;
	size_t	 xn = h != NULL ? h->main_menu_n : 0, i, j;
	struct ui_item *v = xcalloc(nitems(main_menu) + xn, sizeof(*v));

	/* In ui_menu_host()'s order; the role decides as it does there. */
	*n = 0;
	for (i = 0; i < nitems(main_menu); i++) {
		for (j = 0; i + 1 == nitems(main_menu) && j < xn; j++)
			if (x[j].after == 0)
				v[(*n)++] = x[j].item;
		v[(*n)++] = main_menu[i];
		for (j = 0; j < xn; j++)
			if (x[j].after != 0 && x[j].after == main_menu[i].key)
				v[(*n)++] = x[j].item;
	}
	for (i = j = 0; i < *n; i++)
		if (v[i].role == 0 || (ui->user != NULL &&
		    (int)ui->user->role >= v[i].role))
			v[j++] = v[i];
	*n = j;
	return v;
}

/* The tour's row, at a first login only: a menu that grows by a row for
 * good would no longer fit 60x20. */
static const struct ui_host_item main_menu_tour = {
	.after = L'i',
	.item = { .key = L't', .label = N_("A short tour"), .fn = ui_tour },
};

static void
ui_main_menu(struct ui *ui)
{
	const struct ui_host *h = ui->p->host;
	size_t		 hn = h != NULL ? h->main_menu_n : 0;
	struct ui_host_item *x = xcalloc(hn + 1, sizeof(*x));

	if (hn > 0)
		memcpy(x, h->main_menu, hn * sizeof(*x));
	if (ui->menu_hint != NULL)
		x[hn++] = main_menu_tour;
	ui_menu_host(ui, N_("Main menu"), main_menu, nitems(main_menu), x, hn,
	    0);
	free(x);
}

/*
 * Keys whatever TERM the client announced: Home and End as PuTTY (by
 * default), rxvt and the Linux console send them (an xterm's terminfo
 * knows only ESC O H and ESC O F), and the arrows in the cursor mode a
 * terminal starts in (keypad() asks for the other, ESC O A, which
 * terminfo knows).
 */
static const struct {
	const char	*seq;
	int		 key;
} ui_more_keys[] = {
	{ "\033[1~", KEY_HOME }, { "\033[7~", KEY_HOME }, { "\033[H", KEY_HOME },
	{ "\033[4~", KEY_END }, { "\033[8~", KEY_END }, { "\033[F", KEY_END },
	{ "\033[A", KEY_UP }, { "\033[B", KEY_DOWN }, { "\033[C", KEY_RIGHT },
	{ "\033[D", KEY_LEFT },
};

/* From the terminal's encoding to the main menu, and out again: the
 * part of ui_run() that ui_exit() may leave at any point. */
static void
ui_session(struct ui *ui)
{
	const struct ui_host *h = ui->p->host;
	size_t		 i;

	set_escdelay(h != NULL && h->esc_delay_ms > 0 ? h->esc_delay_ms : 250);
	initscr();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	for (i = 0; i < nitems(ui_more_keys); i++)
		define_key(ui_more_keys[i].seq, ui_more_keys[i].key);
	/* Slow links: never scroll the terminal, never repaint needlessly. */
	idlok(stdscr, TRUE);

	ui->charset = ui->p->charset;
	ui_charset_first(ui);
	if (h != NULL && h->enter != NULL) {
		if (!h->enter(ui))
			ui_exit(ui, _("Goodbye!"));
	} else if (ui->user == NULL || user_state(ui->user) != USER_ACTIVE)
		ui_exit(ui, _("Your account is not available."));
	ui_doing(ui, "menu");
	ui_arrival(ui);
	if (h != NULL && h->arrived != NULL)
		h->arrived(ui);
	ui_tour_offer(ui);
	ui_main_menu(ui);
	ui_exit(ui, _("Goodbye!"));
}

void
ui_params_local(struct ui_params *p, const struct user *u,
    const char *store_path)
{
	struct winsize	 ws;
	const char	*term = getenv("TERM");

	memset(p, 0, sizeof(*p));
	p->user_id = u->id;
	strlcpy_p(p->login, u->login, sizeof(p->login));
	strlcpy_p(p->addr, "local", sizeof(p->addr));
	strlcpy_p(p->term, term != NULL && *term != '\0' ? term : "vt100",
	    sizeof(p->term));
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
		p->cols = ws.ws_col;
		p->rows = ws.ws_row;
	}
	p->pty = 1;
	strlcpy_p(p->client_locale, "C.UTF-8", sizeof(p->client_locale));
	p->charset = CHARSET_UTF8;
	p->charset_chosen = 1;
	p->edit_window = 60;
	strlcpy_p(p->default_language, "ru", sizeof(p->default_language));
	p->store_path = store_path;
	setlocale(LC_ALL, "C.UTF-8");
	setenv("LANG", "C.UTF-8", 1);
}

int
ui_run(const struct ui_params *p)
{
	struct ui	*ui;
	struct sigaction sa;
	char		*cause = NULL;
	const char	*lang = p->default_language;
	int		 active;

	ui = xcalloc(1, sizeof(*ui));
	ui->p = p;
	ui->last_input_ms = now_mono_ms();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ui_on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	if (store_open_mode(p->store_path, (enum store_mode)p->store_mode,
	    &ui->st, &cause) != 0) {
		printf("parta: the service is unavailable, please try later.\r\n");
		log_error("%s", cause);
		free(cause);
		free(ui);
		return 1;
	}
	if (!p->guest && user_get_by_id(ui->st, p->user_id, &ui->user) != 0) {
		printf("parta: your account is not available.\r\n");
		store_close(ui->st);
		free(ui);
		return 1;
	}
	if (ui->user != NULL)
		lang = ui->user->lang;
	i18n_init(p->localedir, *lang != '\0' ? lang : "ru");
	setenv("TERM", p->term, 1);
	/* Line drawing as Unicode, never VT100 charset switching, which
	 * PuTTY and tmux ignore in UTF-8 mode ("qqqq"); the pump turns it
	 * into - | + (or CP866's own) for 8-bit terminals (issue 4). */
	setenv("NCURSES_NO_UTF8_ACS", "1", 1);
	active = ui->user != NULL && user_state(ui->user) == USER_ACTIVE;
	if (p->host != NULL)
		ui->idle_limit = active ? p->host->idle_limit :
		    p->host->guest_idle_limit;
	(void)store_int(ui->st, &ui->data_version, "PRAGMA data_version", "");
	ui->mail_seen_id = -1;
	ui_mail_watch(ui);	/* learn where her inbox is */

	/* ui is on the heap and not changed here after setjmp(): what
	 * ui_session() did to it is there after the longjmp(). */
	if (setjmp(ui->end) == 0)
		ui_session(ui);
	if (!isendwin()) {
		move(LINES - 1, 0);
		clrtoeol();
		refresh();
		endwin();
	}
	if (ui->end_msg != NULL)
		printf("\r\n%s\r\n", ui->end_msg);
	fflush(stdout);
	free(ui->end_msg);
	if (ui->status_row != NULL) {
		free(ui->status_row->saved);
		free(ui->status_row->drawn);
		free(ui->status_row);
	}
	user_free(ui->user);
	store_close(ui->st);
	free(ui);
	return 0;
}
