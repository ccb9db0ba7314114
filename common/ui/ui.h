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

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "config.h"

struct store;
struct user;

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
	const struct config	*cfg;
	const char		*store_path;
	const char		*localedir;
};

/* Run the UI to its end; returns the process exit status. */
int	ui_run(const struct ui_params *);

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
};

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
 * for those.  Returns UI_CHAR or UI_FUNC with *wch set.
 */
int	ui_key(struct ui *, wint_t *wch);

/* SIGHUP if the link dropped, SIGTERM if the server is shutting down
 * (ui_key() ends the session for either at its next call), else 0. */
int	ui_ending(void);

/* End the session with a last line of text; does not return. */
void	ui_exit(struct ui *, const char *msg) __attribute__((noreturn));

/* Screen helpers.  Text is sanitised and cut to fit display columns. */
void	ui_header(struct ui *, const char *title);
void	ui_status(struct ui *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	ui_text(int y, int x, int maxcols, const char *s);
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

struct ui_field {
	const char	*label;		/* message id, translated when drawn */
	char		*value;		/* UTF-8, owned by the form's caller */
	size_t		 max_chars;
	int		 flags;
};

/*
 * Run a form: draw intro and fields, edit them; on Enter in the last
 * field (or one marked UI_FIELD_SUBMIT) call check(arg), which returns the index of a bad field (its
 * message already on the status line) or -1 to accept.  Returns 1 when
 * accepted, 0 when the user pressed Esc.  Values are replaced in place
 * (the old strings freed).
 */
int	ui_form(struct ui *, const char *title, const char *intro,
	    struct ui_field *, size_t n, int (*check)(struct ui *, void *),
	    void *arg);

/* ui-menu.c: a vertical menu with a moving marker. */
struct ui_item {
	wint_t		 key;		/* hotkey */
	const char	*label;		/* message id */
	int		(*fn)(struct ui *);	/* returns 1 to leave the menu */
	int		 role;		/* enum role it needs; 0: anyone */
};

/* Run a menu until an item's fn returns 1 or (if can_leave) Esc.  The
 * title is a message id, translated at each redraw, so a change of
 * language shows at once.  Items whose role the user lacks are left
 * out. */
void	ui_menu(struct ui *, const char *title, const struct ui_item *,
	    size_t n, int can_leave);

/* 1 if pressed is the hotkey latin, also on a Russian (ЙЦУКЕН) layout
 * and in either case. */
int	ui_is_key(wint_t pressed, wint_t latin);

/*
 * A list the user moves through; row i is drawn at screen row y by
 * draw(i, y, arg).  Returns UI_LIST_PICK (Enter on *sel), UI_LIST_BACK
 * (Esc or q) or UI_LIST_KEY with *key one of the hotkeys in keys, for
 * the marked row *sel.
 */
enum { UI_LIST_BACK, UI_LIST_PICK, UI_LIST_KEY };
int	ui_list(struct ui *, const char *title, const char *help, size_t n,
	    void (*draw)(size_t i, int y, void *), void *arg, const char *keys,
	    size_t *sel, wint_t *key);

/* ui-account.c: screens about the account. */
void	ui_register(struct ui *);
/* ui-reset.c: after Esc on the registration form: back to it, log out,
 * or set a new password with a reset code (then the session ends).
 * With why (registration is closed to her, and why), there is no form
 * to go back to, and logging out says why again.  Returns only to the
 * form. */
void	ui_reset(struct ui *, const char *why);
/* ui-reset.c: a rejected applicant corrects her form and applies
 * again; 1 if she did (ui->user is read again). */
int	ui_reapply(struct ui *);
/* ui-waiting.c: what waits for the sysop, coordinators and experts: the
 * main menu item, and the summary at login (shown only if something
 * waits). */
/* ui-reset.c: the sysop issues a one-time reset code for an account and
 * sees it once, to pass on by phone. */
int	ui_reset_issue(struct ui *);
int	ui_waiting(struct ui *);
void	ui_waiting_login(struct ui *);
/* ui-library.c: the items awaiting approval (experts, coordinators). */
int	ui_library_pending(struct ui *);
void	ui_gate(struct ui *);		/* pending, rejected, banned */
int	ui_profile(struct ui *);
int	ui_password(struct ui *);
int	ui_keys(struct ui *);
int	ui_language(struct ui *);

/* ---- boards, posts, mail, news and polls (ui-board.c, ui-pager.c,
 * ui-editor.c, ui-mail.c, ui-poll.c) ---------------------------------- */

/* Main menu items. */
int	ui_boards(struct ui *);		/* the board list */
int	ui_newscan(struct ui *);	/* read everything new, board by board */
int	ui_mail(struct ui *);		/* inbox, sent, compose */
int	ui_news(struct ui *);		/* announcements */

/* At login, before the main menu: new letters, unseen news, a draft. */
void	ui_arrival(struct ui *);

/*
 * Open the pager on thread_id at post_id (or the first post the user
 * may see after it; 0 for the first post).  Hidden posts and threads,
 * and boards the user may not read, are never shown: the user gets a
 * notice instead.  Returns when the user leaves the pager.
 */
void	ui_thread_open(struct ui *ui, int64_t thread_id, int64_t post_id);

/*
 * A scrolling text viewer: head (a few lines) over body, word-wrapped;
 * arrows, PgUp/PgDn and Space scroll.  Returns UI_LIST_BACK (Esc or q)
 * or UI_LIST_KEY with *key one of keys.
 */
int	ui_viewer(struct ui *, const char *title, const char *head,
	    const char *body, const char *help, const char *keys, wint_t *key);

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
	const char	*kind;		/* draft kind: post, reply, mail */
	char		 target[64];	/* draft target */
	int64_t		 draft_id;	/* 0 until first saved */
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

/* Resume a draft (from ui_arrival): its kind says where it goes. */
void	ui_post_resume(struct ui *, struct ui_doc *);
void	ui_mail_resume(struct ui *, struct ui_doc *);

/* ui-poll.c: the polls of a board. */
void	ui_polls(struct ui *, int64_t board_id);

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

/* ---- ui-zmodem.c: a file straight into the terminal by ZMODEM -------- */

/* 1 if ZMODEM can be offered: zmodem_sz names an executable file. */
int	ui_zmodem_available(const struct ui *);

/* What ui_zmodem_send() returns. */
enum {
	UI_ZM_SENT = 0,		/* sz says the receiver has the whole file */
	UI_ZM_FAILED = -1,	/* cancelled, refused, or no answer in time */
	UI_ZM_NOSTART = -2,	/* sz could not be started */
	UI_ZM_CUT = -3,		/* the link dropped or the server stops */
};

/*
 * Send the file at path to the terminal with sz, named name (no '/') for
 * the receiver; give up after limit_s seconds.  Leaves curses and marks
 * the whole screen for repainting: the caller draws its screen again.
 * A hang-up or shutdown during the transfer ends sz; the next ui_key()
 * then ends the session as usual.  Returns a UI_ZM_ code.
 */
int	ui_zmodem_send(struct ui *, const char *path, const char *name,
	    int64_t limit_s);
/* A translated sentence saying what a UI_ZM_ code means to the user. */
const char *ui_zmodem_strerror(int code);

#endif
