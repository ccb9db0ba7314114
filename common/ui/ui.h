/*
 * ui.h: the interactive BBS, run by a child of the session process on a
 * pty, under ncursesw in the C.UTF-8 locale.
 *
 * Made for slow links: no art, no clocks, no full redraws except on
 * Ctrl-L or resize; the current row is shown with a marker, not a
 * repainted bar, so moving it costs a few bytes.  Every string a user
 * typed passes text_sanitize() before it is drawn.
 */
#ifndef PARTA_UI_H
#define PARTA_UI_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

struct draft;
struct lib_item;
struct request;
struct request_result;
struct store;
struct ui;
struct ui_status_row;
struct user;

/* A row of a menu (ui-menu.c). */
#define UI_ITEM_ASK_LAYOUT 0x1	/* lasting (language, encoding, logout):
				 * its hotkey typed on the Russian layout
				 * asks first, as it may be a stray letter */
struct ui_item {
	wint_t		 key;		/* hotkey */
	const char	*label;		/* message id */
	int		(*fn)(struct ui *);	/* returns 1 to leave the menu */
	int		 role;		/* enum role it needs; 0: anyone */
	int		 flags;		/* UI_ITEM_* */
};

/* A row the host adds to one of the UI's menus, after the UI's row
 * whose hotkey is after (0: at the end, before the last row, which
 * leaves the menu).  Rows with the same after keep their order. */
struct ui_host_item {
	wint_t		 after;
	struct ui_item	 item;
};

/*
 * ui-keys.c: a screen's keys as one table.  The same rows make the
 * legend on the status line, the dispatch and the "?" screen; a row the
 * user may not use is left out of all three.  The row's key is the
 * action: ui_list() and ui_viewer() return it and the screen's switch
 * acts on it.  Rows come in the order the legend shows them, the most
 * needed first, as the legend is cut from the end to fit.
 */
#define UI_KEY_ENTER	L'\r'
#define UI_KEY_NOLEGEND	0x1	/* only on the "?" screen */

/*
 * One key for one action on every screen (tin's and mutt's, where they
 * agree): a table names an action's key through these, never a bare
 * letter, so a screen cannot give the key another meaning unnoticed.
 * The main menu's letters choose items; of them only n (what is new) and
 * m (mail) are actions, and they mean the same everywhere.  README and
 * partad(8) list the map; the tour shows it (ui-tour.c).
 */
#define UI_K_NEW	L'n'	/* read what is new: the next new post */
#define UI_K_NEXT	L'j'	/* the next post (mutt) */
#define UI_K_PREV	L'k'	/* the previous post (mutt) */
#define UI_K_WRITE	L'w'	/* write something new: thread, letter,
				 * news, poll, comment (tin) */
#define UI_K_REPLY	L'r'	/* reply */
#define UI_K_QUOTE	L't'	/* reply, quoting */
#define UI_K_EDIT	L'e'	/* change what she made: post, draft, vote */
#define UI_K_DELETE	L'd'	/* delete, after asking */
#define UI_K_CATCHUP	L'c'	/* mark everything read (tin's catch-up) */
#define UI_K_UNREAD	L'u'	/* mark unread */
#define UI_K_PAGE	L'i'	/* the page of the author of what is marked
				 * or shown: thread, post, letter, session */
#define UI_K_FOLLOW	L'f'	/* follow a thread, or stop (marked '@') */

struct ui_keydef {
	wint_t		 key;	/* a Latin letter (its ЙЦУКЕН key too), a
				 * symbol, UI_KEY_ENTER, UI_ESC or UI_CTRL();
				 * 0 for a row that only explains */
	const char	*name;	/* message id: how the key is written, when
				 * not the key itself ("Arrows"); or NULL */
	const char	*label;	/* message id: what it does, in a word */
	const char	*help;	/* message id: the same, for "?"; or NULL */
	int		 role;	/* enum role it needs; 0: anyone */
	int		(*may)(struct ui *, void *arg);	/* NULL: anyone */
	int		 flags;	/* UI_KEY_* */
};

/*
 * A key on a library item's card (ui-library.c): a row of its key table,
 * whose may(ui, item) says whether it is offered (NULL: always); fn
 * returns a sentence to show on the card drawn afresh, or NULL.
 */
struct ui_card_key {
	struct ui_keydef def;	/* its may() is given the item */
	const char	*(*fn)(struct ui *, const struct lib_item *);
};

/* A key on an event's card (ui-event.c), as struct ui_card_key is on a
 * library item's: its may() is given the event; fn returns a sentence
 * to show, or NULL (partad: the event's calendar file by ZMODEM). */
struct event;
struct ui_event_key {
	struct ui_keydef def;
	const char	*(*fn)(struct ui *, const struct event *);
};

/*
 * What differs between the programs that show the UI: partad's host is
 * bbs/ui-host.c, the test host tests/uihost/host.c; the client's will be
 * in client/.  The UI reads nothing of a program's configuration but
 * this and struct ui_params.  Every hook may be NULL: then the UI does
 * what its comment says, or nothing.
 */
struct ui_host {
	/* Idle policy, in seconds: an active account's session ends after
	 * idle_limit without a key, any other's (a guest registering, an
	 * account awaiting approval) after guest_idle_limit; a warning
	 * comes idle_warning before.  0: never. */
	int	 idle_limit;
	int	 guest_idle_limit;
	int	 idle_warning;

	/* What the user is doing now ("menu", "boards", "reading", "mail",
	 * "library", "search"), for who-is-online; called on every change
	 * of screen, so it must be cheap and may fail silently. */
	void	(*doing)(struct ui *, const char *what);

	/*
	 * How a write is carried out (ui_apply(), common/ui/ui-request.c,
	 * calls this with a request a screen built): partad applies it on
	 * ui->st at once, a client queues it in its outbox and applies it
	 * to its copy.  Returns 0 with *res (zeroed first) what it made
	 * where the screens read, or a negative perr code, with *cause a
	 * message the caller frees.  NULL: the request layer applies it on
	 * ui->st itself.
	 */
	int	(*apply)(struct ui *, struct request *, struct request_result *res,
		    char **cause);

	/* Before the main menu, once the terminal's encoding is known: an
	 * account that may not use the UI yet (none: registration; one
	 * pending, rejected or banned: the gate) is dealt with here.
	 * Returns 1 to go on to the arrival and the main menu, 0 to end
	 * the session.  NULL: only an active account goes on. */
	int	(*enter)(struct ui *);
	/* After the arrival screens (ui_arrival), before the main menu. */
	void	(*arrived)(struct ui *);

	/* Rows added to the main menu and the library menu, and keys added
	 * to a library item's card (after its moderators' keys). */
	const struct ui_host_item *main_menu;
	size_t	 main_menu_n;
	const struct ui_host_item *library_menu;
	size_t	 library_menu_n;
	const struct ui_card_key *card_keys;
	size_t	 card_keys_n;
	/* Keys added to an event's card, before "back". */
	const struct ui_event_key *event_keys;
	size_t	 event_keys_n;
	/* A file item's card leaves its three rows above the status line,
	 * from row y, to the host: how to fetch the file (partad: the sftp
	 * and scp command lines). */
	void	(*card_foot)(struct ui *, const struct lib_item *, int y);

	/* The right end of the header: what fits in size (partad: the
	 * login; a client: the state of the link).  NULL: the login. */
	void	(*header_right)(struct ui *, char *buf, size_t size);

	/* Whether lists that can reload (ui->reload) watch the store for
	 * changes made by other connections (PRAGMA data_version, read
	 * once a second while no key comes).  partad: no, as every write
	 * of any session would wake every list on the server; a client,
	 * whose syncer writes while the UI reads: yes. */
	int	 watch_store;

	/* Every this many seconds while no key comes, read the account
	 * again (ui_refresh_user): a ban or a deletion written by any
	 * program ends the session.  partad: 2, as its session process
	 * keeps no store connection while the UI runs; 0: only before a
	 * key. */
	int	 check_account;
	/* Whether the server can be reached now: the chat screen takes no
	 * text while not (a client offline).  NULL: always (partad). */
	int	(*linked)(struct ui *);

	/* Milliseconds ncurses waits after an Esc for the rest of a
	 * function key's sequence: over a network a sequence's bytes may
	 * come apart; on a local pty (the client) they never do, and a
	 * short wait makes Esc answer at once.  0: 250. */
	int	 esc_delay_ms;

	void	*arg;		/* the host's own */
};

/* What the session knows when it starts the UI; copied across fork(). */
struct ui_params {
	int64_t			 user_id;	/* 0 for registration */
	int			 guest;		/* logged in as "new" */
	char			 login[64];
	char			 addr[64];	/* the client's address */
	char			 term[64];	/* TERM from the pty request */
	int			 cols, rows;
	int			 pty;		/* the client asked for one */
	char			 client_locale[64]; /* LANG/LC_* it sent */
	int			 charset;	/* the pump's encoding at start */
	int			 charset_chosen; /* the user chose it */
	int			 first_login;	/* never logged in before */
	int			 edit_window;	/* minutes an author may edit */
	int			 chat_history_days; /* chat lines kept (0: all) */
	char			 default_language[16];
	const struct ui_host	*host;
	const char		*store_path;
	int			 store_mode;	/* enum store_mode: 0 partad's
						   store, or a client's copy */
	const char		*localedir;
};

/*
 * Run the UI on the terminal of stdin and stdout, over the store at
 * p->store_path, to its end (the user logs out, idles, is kicked, the
 * link drops or the program stops: see ui_exit()); returns the exit
 * status for the process.  Installs handlers for SIGTERM, SIGHUP and
 * SIGUSR1 (ui_ending()).
 */
int	ui_run(const struct ui_params *p);

/*
 * Fill *p (zeroed first) for a UI on this process's own terminal, in
 * UTF-8, over the store at store_path, for the account u (read only for
 * its id and login): TERM and the window's size from the environment
 * and the terminal, 60 minutes to edit, Russian by default.  Sets this
 * process's locale to C.UTF-8, as ui_run() needs.  The client and the
 * UI's test host call it; the caller sets the host, the charset and the
 * store mode.  store_path must outlive the UI.
 */
void	ui_params_local(struct ui_params *p, const struct user *u,
	    const char *store_path);

/* ---- inside the UI (ui*.c) ------------------------------------------ */

struct ui {
	const struct ui_params	*p;
	struct store		*st;
	struct user		*user;		/* NULL while registering */
	int64_t			 last_input_ms;
	int			 idle_limit;	/* seconds */
	int			 warned;
	/* Called about once a second while no key comes, and once more
	 * when the link drops (ui-editor.c saves its draft here). */
	void			(*idle)(struct ui *, void *);
	void			*idle_arg;
	/* ui-charset.c: the terminal's encoding now, and what to draw
	 * again after Ctrl-L has repainted what ncurses knows of. */
	int			 charset;
	void			(*redrawn)(struct ui *, void *);
	void			*redrawn_arg;
	/* Set by a screen around a ui_list() (or its own ui_key() loop)
	 * that can show the store afresh: when the host watches the store
	 * and another connection changed it, ui_key() returns UI_FUNC with
	 * UI_KEY_RELOAD, and ui_list() UI_LIST_RELOAD. */
	int			 reload;
	int64_t			 data_version;
	int64_t			 account_checked_ms;	/* host->check_account */
	/* ui_mail_watch(): the newest letter she was told of (-1: not
	 * read yet), and when the inbox was last looked at. */
	int64_t			 mail_seen_id;
	int64_t			 mail_checked_ms;
	/* Said before the main menu's legend (ui-tour.c: the tour's offer
	 * at a first login); NULL: nothing. */
	const char		*menu_hint;
	/* The header's right end as last drawn (ui.c): with watch_store,
	 * the idle tick draws it again when the host's text changed (the
	 * client's link state), on any screen. */
	char			 header_right[128];
	int			 header_right_x;
	/* ui_status(): the row above the status line a long message
	 * borrowed, to give back (ui.c). */
	struct ui_status_row	*status_row;
	/* ui_exit(): where it unwinds to (ui_run), and its last line. */
	jmp_buf			 end;
	char			*end_msg;
};

/* The pseudo key ui_key() returns when the store changed (ui->reload):
 * beyond every KEY_* code of ncurses (KEY_MAX is 0777). */
#define UI_KEY_RELOAD	0x7f01

/* Keys as ui_key() returns them: a character, or one of these. */
enum {
	UI_CHAR = 0,	/* *wch holds a character */
	UI_FUNC,	/* *wch holds a KEY_* code (arrows, KEY_RESIZE, ...) */
};

#define UI_CTRL(c)	((c) & 0x1f)
#define UI_ESC		0x1b

/*
 * Wait for a key.  Handles idleness (a warning, then the end of the
 * session), server shutdown and Ctrl-L (redraw) itself; never returns
 * for those (it ends the session with ui_exit()).  Returns UI_CHAR or
 * UI_FUNC with *wch set (UI_KEY_RELOAD: see ui->reload).
 */
int	ui_key(struct ui *, wint_t *wch);

/* SIGHUP if the link dropped, SIGTERM if the server is shutting down
 * (ui_key() ends the session for either at its next call), else 0. */
int	ui_ending(void);

/* 1 if more input waits at once, without waiting: the key came with
 * others (a paste), so a screen may read on before it draws. */
int	ui_key_pending(void);

/*
 * End the session with a last line of text (msg may be NULL): unwinds
 * with longjmp() to ui_run(), which leaves curses, prints msg and
 * returns.  Does not return.  Nothing on the way is freed: call it only
 * where no transaction of the screen's own is open (store_close() rolls
 * back whatever is), and only inside ui_run().  The process's exit is
 * the host's (ui_run's caller).
 */
void	ui_exit(struct ui *, const char *msg) __attribute__((noreturn));

/* Tell the host what the user is doing now (struct ui_host's doing). */
void	ui_doing(struct ui *, const char *what);

/* Screen helpers.  Text is sanitised and cut to fit display columns. */
void	ui_header(struct ui *, const char *title);
/* The status line: a message wider than the screen is broken between
 * words onto the row above as well, which the next call gives back. */
void	ui_status(struct ui *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	ui_text(int y, int x, int maxcols, const char *s);
/* Row y: left from column x, and right flush with the right edge (its
 * last column COLS - 2); left is cut to end gap columns before right. */
void	ui_text_pair(int y, int x, int gap, const char *left,
	    const char *right);
/* Word-wrap s into the rows from y to ymax (exclusive) at column x;
 * returns the row after the last line written. */
int	ui_wrap(int y, int x, int ymax, int width, const char *s);
void	ui_clear_body(void);
/* Show msg on the status line and wait for any key. */
void	ui_notice(struct ui *, const char *msg);
/* Ask a yes/no question on the status line: 1 for yes. */
int	ui_confirm(struct ui *, const char *question);

/* ui-form.c: forms of single-line fields. */
#define UI_FIELD_SECRET	0x1	/* shown as '*' */
#define UI_FIELD_SUBMIT	0x2	/* Enter here submits, as on the last */
#define UI_FIELD_TEXT	0x4	/* several lines: a key typed there opens
				 * the editor on it (Ctrl-X or Esc back to
				 * the form, the text kept either way); the
				 * field shows its lines joined */

struct ui_field {
	const char	*label;		/* message id, translated when drawn */
	char		*value;		/* UTF-8, owned by the form's caller */
	size_t		 max_chars;
	int		 flags;
};

/*
 * Run a form: draw intro and fields, edit them; on Enter in the last
 * field (or one marked UI_FIELD_SUBMIT) call check(arg), which returns the index of a bad field (its
 * message already on the status line) or -1 to accept (check NULL:
 * accept what was typed; the caller checks after).  Returns 1 when
 * accepted, 0 when the user pressed Esc.  Values are replaced in place
 * (the old strings freed) with what was typed, after Esc as well.
 */
int	ui_form(struct ui *, const char *title, const char *intro,
	    struct ui_field *, size_t n, int (*check)(struct ui *, void *),
	    void *arg);
/* ui_form() with one field of choices rather than of text, field
 * number ch->field: Space and the arrows go from one of ch->names
 * (message ids, NULL-terminated) to the next, *ch->choice is the index
 * of the one shown (the field's value is its translation). */
struct ui_choice {
	size_t			 field;
	const char *const	*names;
	int			*choice;
};
int	ui_form_choice(struct ui *, const char *title, const char *intro,
	    struct ui_field *, size_t n, const struct ui_choice *ch,
	    int (*check)(struct ui *, void *), void *arg);
/*
 * A field completed while she types (ui_form_complete()): the
 * candidates for the text after its last comma are listed under the
 * form; the arrows mark one, Tab or Enter takes it (Tab the first when
 * none is marked), and the field gets it and ", " for the next.
 */
#define UI_COMPLETE_MAX	5	/* candidates listed */
struct ui_completion {
	size_t	 field;		/* the index of the field completed */
	/* Up to max candidates for typed (trimmed, never empty): into
	 * value[] what the field takes, into shown[] what the list shows,
	 * strings the form frees.  Returns how many. */
	size_t	(*list)(struct ui *, const char *typed, char **value,
		    char **shown, size_t max);
};
/* ui_form() with field cp->field completed as cp says. */
int	ui_form_complete(struct ui *, const char *title, const char *intro,
	    struct ui_field *, size_t n, int (*check)(struct ui *, void *),
	    void *arg, const struct ui_completion *cp);
/* For checks: put "Label: what code means" on the status line and
 * return field. */
int	ui_field_error(struct ui *, const struct ui_field *, int field,
	    int code);
/* The index of name in names[] (a store's name for a bad field), 0 when
 * it is not there. */
int	ui_field_index(const char *const *names, size_t n, const char *name);
/* Free the values of n fields (secret ones wiped first); set to NULL. */
void	ui_fields_free(struct ui_field *, size_t n);
/*
 * One key k/wch, as ui_key() read it, applied to a line of text being
 * edited: buf holds *len characters (at most cap, room for cap + 1,
 * NUL-terminated) with the cursor at *cur.  Knows the arrows, Home, End,
 * Backspace, Delete and printable characters (control characters are
 * never inserted); the form's fields and the editor's subject line share
 * it.  UI_LINE_CHANGED if the text changed, UI_LINE_MOVED if only the
 * cursor did, UI_LINE_NONE for a key it does not know or with nothing to
 * do.
 */
enum { UI_LINE_NONE, UI_LINE_MOVED, UI_LINE_CHANGED };
int	ui_line_key(wchar_t *buf, size_t *len, size_t *cur, size_t cap,
	    int k, wint_t wch);

/* ui-menu.c: a vertical menu with a moving marker (struct ui_item). */

/* Run a menu until an item's fn returns 1 or (if can_leave) Esc.  The
 * title is a message id, translated at each redraw, so a change of
 * language shows at once.  Items whose role the user lacks are left
 * out. */
void	ui_menu(struct ui *, const char *title, const struct ui_item *,
	    size_t n, int can_leave);
/* The same, with the host's rows (struct ui_host_item) among the UI's
 * own: each after the UI's row it names. */
void	ui_menu_host(struct ui *, const char *title, const struct ui_item *,
	    size_t n, const struct ui_host_item *, size_t hn, int can_leave);

/* 1 if pressed is the hotkey latin, also on a Russian (ЙЦУКЕН) layout
 * and in either case. */
int	ui_is_key(wint_t pressed, wint_t latin);

/* "Esc back", the last row of most tables.  xgettext reads no headers:
 * "back" is a message id of ui-menu.c's rows as well. */
#define UI_KEY_BACK	{ .key = UI_ESC, .label = N_("back") }

struct ui_keys {
	const struct ui_keydef	*v;	/* the screen's rows; may be NULL */
	size_t			 n;
	void			*arg;	/* passed to may() */
	const char		*msg;	/* translated, before the legend */
	const char		*about;	/* message id: text under "?"'s keys */
	wint_t			 help_key;	/* 0: '?'; WEOF: none */
};
/* A struct ui_keys * for the table v, living as long as the block it is
 * written in. */
#define UI_KEYS(v, arg)	(&(struct ui_keys){ (v), nitems(v), (arg), \
			    NULL, NULL, 0 })

/* 1 if the user may use row d of ks now (its role and its may()). */
int	ui_keys_may(struct ui *, const struct ui_keys *ks,
	    const struct ui_keydef *d);
/* A row's may() for a flag: 1 if arg points at an int that is not 0. */
int	ui_keys_may_flag(struct ui *, void *arg);
/* The row of ks a key press k/wch names, among those the user may use,
 * or NULL; ks may be NULL. */
const struct ui_keydef *ui_keys_find(struct ui *, const struct ui_keys *ks,
	    int k, wint_t wch);
/* 1 if k/wch is the help key of ks, or F1 (unless ks has none). */
int	ui_keys_is_help(const struct ui_keys *ks, int k, wint_t wch);
/* Write into buf (len bytes) ks->msg, then "key label" for the rows the
 * user may use, in table order, and always the help key last; rows that
 * would not fit in cols columns are cut from the end (with one space
 * between entries instead of two if that keeps more).  A message that
 * would cut rows is padded to the screen's width instead, so that
 * ui_status() shows it on a row of its own above the whole legend. */
void	ui_keys_legend(struct ui *, const struct ui_keys *ks, int cols,
	    char *buf, size_t len);
/* Show the "?" screen of the screen title: every row of ks the user may
 * use with what it does, then the rows of the widget (its own keys, such
 * as arrows), then ks->about; returns after Esc. */
void	ui_keys_help(struct ui *, const char *title,
	    const struct ui_keys *ks, const struct ui_keydef *widget,
	    size_t nwidget);

/*
 * A list the user moves through; row i is drawn at screen row y by
 * draw(i, y, arg).  Returns UI_LIST_PICK (Enter on *sel), UI_LIST_BACK
 * (Esc or q) or UI_LIST_KEY with *key the key of the row of keys the
 * user pressed (its Latin letter), for the marked row *sel; with
 * ui->reload set, UI_LIST_RELOAD when the store changed underneath
 * (*sel is the marked row): read it again.  keys (NULL: only Esc) makes
 * the legend; '?' shows them all.
 */
enum { UI_LIST_BACK, UI_LIST_PICK, UI_LIST_KEY, UI_LIST_RELOAD };
/* The rows of a list as the store hands them over (v, n): a screen
 * declares UI_ROWS(struct thread) l and gives ui_list() l.v as arg, so
 * draw() finds row i at (struct thread *)arg + i. */
#define UI_ROWS(type)	struct { type *v; size_t n; }
/* Free the rows with free_rows(v, n) and leave none, to read again. */
#define UI_ROWS_FREE(l, free_rows) do {					\
	free_rows((l).v, (l).n);					\
	(l).v = NULL;							\
	(l).n = 0;							\
} while (0)
int	ui_list(struct ui *, const char *title, const struct ui_keys *keys,
	    size_t n, void (*draw)(size_t i, int y, void *), void *arg,
	    size_t *sel, wint_t *key);
/* ui_list() for a list read again: a *sel past its end (rows went
 * away) marks the last row rather than the first. */
int	ui_list_again(struct ui *, const char *title,
	    const struct ui_keys *keys, size_t n,
	    void (*draw)(size_t i, int y, void *), void *arg, size_t *sel,
	    wint_t *key);

/* ui-account.c: the screens about one's account that need no server:
 * profile and language (partad's registration, gate, password and keys
 * are in bbs/ui-register.c). */
int	ui_profile(struct ui *);
/* For a form's check: send r (made by request_init()) with the name,
 * school and subjects of f[0..2] and the about of f[3] (n is 4) or of
 * the user (n is 3).  -1 when it is applied, else ui_field_error()'s
 * field. */
int	ui_account_send(struct ui *, struct request *r, struct ui_field *f,
	    size_t n);
/* Fill f[0..n) (n 3 or 4) with the account form's fields, name, school,
 * subjects and about, valued from the user; ui_fields_free() frees the
 * values. */
void	ui_account_fields(struct ui *, struct ui_field *f, size_t n);
int	ui_language(struct ui *);
/* ui-library.c: the items awaiting approval (experts, coordinators). */
int	ui_library_pending(struct ui *);
/* ui-library.c: the form that describes a new item: the file upload
 * (a name in the user's upload folder), or a link when upload is NULL. */
void	ui_library_describe(struct ui *, const char *upload);

/* ---- ui-request.c: writing ------------------------------------------ */

struct request;
struct request_result;

/*
 * Apply request r as the session's user (r->user is set here): 0, or a
 * PERR code (nothing was written).  res may be NULL.  ui_request() tells
 * the user what failed itself; with ui_apply() the caller does.
 */
int	ui_apply(struct ui *, struct request *r, struct request_result *res);
int	ui_request(struct ui *, struct request *r, struct request_result *res);
/* Tell the user that something failed with rc: "prefix: why" (prefix
 * NULL: only why), and wait for a key. */
void	ui_say_error(struct ui *, const char *prefix, int rc);
/* 1 if a list just read from the store (rc its result, n its rows) is to
 * be shown; else 0 once the user is told why not: the error, or empty
 * (a message id; NULL: an empty list is shown) when there are no rows. */
int	ui_list_ready(struct ui *, int rc, size_t n, const char *empty);

/* ---- boards, posts, mail, news and polls (ui-board.c, ui-pager.c,
 * ui-editor.c, ui-mail.c, ui-poll.c) ---------------------------------- */

/* Main menu items. */
int	ui_boards(struct ui *);		/* the board list */
int	ui_newscan(struct ui *);	/* read everything new, board by board */
int	ui_mail(struct ui *);		/* inbox, sent, compose */
int	ui_news(struct ui *);		/* announcements (ui-news.c) */
int	ui_chat(struct ui *);		/* the chat rooms (ui-chat.c) */

/* ui-arrival.c: at login, before the main menu: new letters, unseen
 * news, a draft. */
void	ui_arrival(struct ui *);

/*
 * Open the pager on thread_id at post_id (or the first post the user
 * may see after it; 0 for the first post).  Hidden posts and threads,
 * and boards the user may not read, are never shown: the user gets a
 * notice instead.  Returns when the user leaves the pager.
 */
void	ui_thread_open(struct ui *ui, int64_t thread_id, int64_t post_id);
/* A row's may() on a board's screens: 1 if arg points at a struct
 * board * the user coordinates (its is_mod). */
int	ui_board_may_mod(struct ui *, void *arg);

/*
 * A scrolling text viewer: head (a few lines) over body, word-wrapped;
 * arrows, PgUp/PgDn and Space scroll.  Returns UI_LIST_BACK (Esc or q)
 * or UI_LIST_KEY with *key the key of the row of keys pressed, as
 * ui_list() does.
 */
int	ui_viewer(struct ui *, const char *title, const char *head,
	    const char *body, const struct ui_keys *keys, wint_t *key);

/* Ask for one line of text on a form of one field; a new string the
 * caller frees, or NULL when the user pressed Esc. */
char	*ui_ask(struct ui *, const char *title, const char *label,
	    const char *value, size_t max_chars);

/* The built-in editor: what it edits and where its draft goes. */
struct ui_doc {
	const char	*title;		/* message id of the screen */
	char		 info[160];	/* a line above the text: "To: anna" */
	int		 has_subject;
	char		*subject;	/* owned; edited in place */
	char		*body;		/* owned; edited in place */
	const char	*kind;		/* draft kind: post, reply, edit, mail,
				   news, comment */
	char		 target[64];	/* the UUID of the board, thread, post
					   or recipient it is for */
	char		 uuid[37];	/* the request's, made when the text
					   is first typed and kept with its
					   draft: sent twice, it posts once */
	int64_t		 draft_id;	/* 0 until first saved */
	int		 draft_asked;	/* ui_draft_reopen() has asked */
};

/*
 * Edit doc in place.  Returns 1 when the user sends (Ctrl-X), 0 when
 * they leave (Esc); leaving asks whether to keep the draft.  The text
 * is saved as a draft every few seconds while it changes.
 */
int	ui_edit(struct ui *, struct ui_doc *);
/* Show why a send failed and return to the editor: 1 if the user sent
 * again, 0 if they left. */
int	ui_edit_again(struct ui *, struct ui_doc *, const char *why);
/* The text was sent: forget its draft and free the texts. */
void	ui_doc_done(struct ui *, struct ui_doc *);
/* Free the texts, keeping the draft. */
void	ui_doc_free(struct ui_doc *);

/* ---- ui-drafts.c: unsent texts -------------------------------------- */

/* Where draft d goes, in a sentence ("Board: ..., thread: ..."). */
void	ui_draft_where(const struct draft *d, char *buf, size_t len);
/* Show draft d (where it goes, when saved, its text) and ask question:
 * 1 for yes. */
int	ui_draft_offer(struct ui *, const struct draft *d,
	    const char *question);
/* Continue draft d in the editor of its kind; d's texts go to it. */
void	ui_draft_resume(struct ui *, struct draft *d);
/* Opening the editor on doc, which has no draft yet: offer the user's
 * latest draft of the same kind and target (once per doc).  1 when she
 * took it (doc now holds its texts, UUID and id), else 0. */
int	ui_draft_reopen(struct ui *, struct ui_doc *doc);
/* Main menu item: every unsent text, to read, continue or delete. */
int	ui_drafts(struct ui *);

/* Resume a draft (from ui_draft_resume): its kind says where it goes. */
void	ui_post_resume(struct ui *, struct ui_doc *);
void	ui_mail_resume(struct ui *, struct ui_doc *);
/* ui-news.c: publish the news doc holds (its texts are edited, then
 * sent or kept as a draft); doc's texts are freed. */
void	ui_news_resume(struct ui *, struct ui_doc *);
/* ui-mail.c: called by ui_key() while she is online: a letter that came
 * since the last look (every UI_MAIL_WATCH_MS at most, one indexed
 * query) is told on the status line, "New letter from ...", the cursor
 * put back where it was, so that what she types is not disturbed. */
#define UI_MAIL_WATCH_MS	2000
void	ui_mail_watch(struct ui *);
/* ui-library.c: send the comment on a library item doc holds (kind
 * "comment", target the item's UUID), edited first; its texts are
 * freed. */
void	ui_library_comment_resume(struct ui *, struct ui_doc *);

/* ui-poll.c: the polls of a board. */
void	ui_polls(struct ui *, int64_t board_id);
/* ui-event.c: the calendar of events of board_id (0: every board she
 * reads), and the main menu's row for it. */
void	ui_events(struct ui *, int64_t board_id);
int	ui_events_all(struct ui *);
/* ui-event.c: the card of event id, until she leaves it; an event she
 * may not see gets a notice. */
void	ui_event_card(struct ui *, int64_t id);
/* ui-mail.c: the form of a new letter to the login to (""; she types
 * it), with subject and the editor's text body, answering letter
 * reply_to (0: none), then the editor. */
void	ui_mail_compose(struct ui *, const char *to, const char *subject,
	    const char *body, int64_t reply_to);

/* ---- ui-page.c: teachers' pages and the directory -------------------- */

/* A row of a key table: UI_K_PAGE, "page", with its help text. */
#define UI_KEY_PAGE(h)	{ .key = UI_K_PAGE, .label = N_("page"), .help = (h) }
/* Member user_id's page, until she leaves it: her name, school, subjects
 * and "about", her threads, posts, library items and events, a letter
 * to her; a page she does not show to the user says so.  A login or id
 * of no member (0: a deleted account) gets a notice. */
void	ui_page(struct ui *, int64_t user_id);
void	ui_page_login(struct ui *, const char *login);
/* Main menu item: the directory of members, found by name, school or
 * subject. */
int	ui_directory(struct ui *);

/* ---- ui-tour.c: a short tour, offered at the first login ------------- */

/* Main menu item: a few screens made from the key tables (the main
 * menu's rows, the marks and keys of lists, the editor's keys). */
int	ui_tour(struct ui *);
/* At login: on a first one, the main menu's legend offers the tour. */
void	ui_tour_offer(struct ui *);
/* The main menu's rows as the user sees them (ui.c), for the tour:
 * *n rows in a new array the caller frees. */
struct ui_item *ui_main_menu_rows(struct ui *, size_t *n);
/* The editor's keys (ui-editor.c), for the tour. */
const struct ui_keys *ui_editor_keys(void);

/* ---- ui-charset.c: the terminal's encoding --------------------------- */

/*
 * Ask which encoding the terminal speaks: the word "лимон" once per
 * encoding, each line sent in its own, "choose the line you can read";
 * preselect is marked.  No probe: nothing waits for the terminal.
 * Returns the choice (enum charset), or -1 for Esc when can_leave.
 */
int	ui_charset_menu(struct ui *, int preselect, int can_leave);
/* The terminal speaks cs from now on: tell the pump, repaint in it. */
void	ui_charset_switch(struct ui *, int cs);
/* At login: ask a user who never chose (and store it), or a guest. */
void	ui_charset_first(struct ui *);
/* The main menu's "Terminal encoding". */
int	ui_encoding(struct ui *);
/* Write s to the terminal now, after what curses has written and past
 * it (pump marks, sample lines in another encoding, ZMODEM's own
 * bytes): curses does not know of it.  A failed write is dropped. */
void	ui_charset_raw_write(const char *s);

/* ---- ui-search.c: full-text search over posts, one's mail, the library */

int	ui_search(struct ui *);		/* main menu item: posts, or mail */
int	ui_search_library(struct ui *);	/* library menu item: items */

/* ---- ui-library.c: the file library --------------------------------- */

int	ui_library(struct ui *);	/* main menu item */

/*
 * Show library item id's card until Esc: approval and recommendation for
 * those who may, comments for everyone.  An item the user may not see,
 * or one removed meanwhile, gets a notice instead.
 */
void	ui_library_card(struct ui *, int64_t id);

/* ---- ui-menu.c: the marker, for a screen that draws its own list --- */

/* Draw (on) or clear the '>' marker of the row at line y, and leave the
 * cursor on it, as ui_list() does. */
void	ui_list_marker(int y, int on);

#endif
