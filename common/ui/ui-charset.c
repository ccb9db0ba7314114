/*
 * ui-charset.c: which encoding the user's terminal speaks.
 *
 * Asked at the first login (for "new", before the registration form) and
 * from the main menu at any time, never by probing the terminal: a probe
 * costs a round trip, and old terminals do not answer.  The menu shows
 * one word per encoding, each line sent in that encoding, and the user
 * picks the one that reads right; the locale the client sent marks a
 * line in advance.
 *
 * The sample lines bypass ncurses: after a refresh they are written
 * straight to the pty between the pump's "out=" markers (pump.c), with
 * the cursor saved and restored around them, so ncurses' picture of the
 * screen stays right everywhere else.  ncurses thinks those cells are
 * blank, so they are blanked again before the menu goes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "charset.h"
#include "i18n.h"
#include "perr.h"
#include "pump-conv.h"
#include "request.h"
#include "ui.h"
#include "user.h"
#include "util.h"

/* "лимон": the same letters in every encoding, none of them at the
 * bytes 0x80-0x9F that some terminals take for control codes. */
#define SAMPLE		"лимон"
#define SAMPLE_X	7	/* screen column of the sample */
#define SAMPLE_W	12	/* cells it may cover on a wrong terminal */
#define NAME_X		(SAMPLE_X + SAMPLE_W + 2)

/* The menu's order: the most common terminals first. */
static const int menu_cs[] = {
	CHARSET_UTF8, CHARSET_CP1251, CHARSET_KOI8R, CHARSET_CP866,
	CHARSET_KOI8U,
};

static const char *const menu_what[] = {
	N_("(PuTTY, Linux, macOS)"), N_("(Windows)"), N_("(old Unix)"),
	N_("(DOS)"), N_("(Ukrainian KOI8)"),
};

struct cmenu {
	int	 top;		/* screen row of the first line */
};

void
ui_charset_raw_write(const char *s)
{
	size_t	 n = strlen(s);
	ssize_t	 w;

	fflush(stdout);
	while (n > 0) {
		if ((w = write(STDOUT_FILENO, s, n)) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

/* Draw the samples (erase: blank their cells) beside the menu lines. */
static void
samples(struct cmenu *m, int erase)
{
	char	 buf[1024];
	size_t	 o, i;
	int	 y;

	/* Save the cursor and attributes; plain text. */
	o = (size_t)snprintf(buf, sizeof(buf), "\0337\033[m");
	for (i = 0; i < nitems(menu_cs); i++) {
		y = m->top + (int)i;
		if (y >= LINES - 1)
			break;
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "\033[%d;%dH",
		    y + 1, SAMPLE_X + 1);
		if (erase)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%*s",
			    SAMPLE_W, "");
		else {
			/* The sample alone in its encoding (pump-conv.h). */
			o += pump_mark(buf + o, sizeof(buf) - o, PUMP_MARK_OUT,
			    charset_name(menu_cs[i]));
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s",
			    SAMPLE);
			o += pump_mark(buf + o, sizeof(buf) - o,
			    PUMP_MARK_OUT_END, NULL);
		}
	}
	snprintf(buf + o, sizeof(buf) - o, "\0338");
	ui_charset_raw_write(buf);
}

static void
samples_redrawn(struct ui *ui, void *arg)
{
	(void)ui;
	samples(arg, 0);
}

/* Print s, and when it is translated, the English too: ASCII reads
 * right on any terminal, whatever encoding it speaks. */
static int
both_languages(int y, const char *msgid)
{
	ui_text(y++, 2, COLS - 3, _(msgid));
	if (strcmp(_(msgid), msgid) != 0)
		ui_text(y++, 2, COLS - 3, msgid);
	return y;
}

static void
cmenu_draw(struct ui *ui, struct cmenu *m, size_t cur)
{
	char	 line[128];
	size_t	 i;
	int	 y;

	erase();
	ui_header(ui, _("Terminal encoding"));
	y = both_languages(3, N_("Choose the line you can read:"));
	m->top = y + 1;
	for (i = 0; i < nitems(menu_cs) && m->top + (int)i < LINES - 1; i++) {
		snprintf(line, sizeof(line), "%zu", i + 1);
		ui_text(m->top + (int)i, 3, 2, line);
		snprintf(line, sizeof(line), "%s %s", charset_name(menu_cs[i]),
		    _(menu_what[i]));
		ui_text(m->top + (int)i, NAME_X, COLS - NAME_X - 1, line);
	}
	ui_status(ui, "%s", _("Arrows and Enter, or the number of the line"));
	mvaddch(m->top + (int)cur, 1, '>');
	move(m->top + (int)cur, 1);
	refresh();
	samples(m, 0);
}

int
ui_charset_menu(struct ui *ui, int preselect, int can_leave)
{
	struct cmenu	 m = { 0 };
	size_t		 cur = 0, i, n = nitems(menu_cs);
	wint_t		 wch;
	int		 k, pick = -1;

	for (i = 0; i < n; i++)
		if (menu_cs[i] == preselect)
			cur = i;
	cmenu_draw(ui, &m, cur);
	ui->redrawn = samples_redrawn;
	ui->redrawn_arg = &m;
	while (pick < 0) {
		k = ui_key(ui, &wch);
		if (k == UI_FUNC && wch == KEY_RESIZE) {
			cmenu_draw(ui, &m, cur);
			continue;
		}
		if (k == UI_FUNC && (wch == KEY_UP || wch == KEY_DOWN)) {
			mvaddch(m.top + (int)cur, 1, ' ');
			cur = wch == KEY_UP ? (cur + n - 1) % n : (cur + 1) % n;
			mvaddch(m.top + (int)cur, 1, '>');
			move(m.top + (int)cur, 1);
			refresh();
			continue;
		}
		if ((k == UI_CHAR && (wch == L'\r' || wch == L'\n')) ||
		    (k == UI_FUNC && wch == KEY_ENTER))
			pick = (int)cur;
		else if (k == UI_CHAR && wch >= L'1' && wch < L'1' + (wint_t)n)
			pick = (int)(wch - L'1');
		else if (k == UI_CHAR && wch == UI_ESC && can_leave)
			break;
	}
	ui->redrawn = NULL;
	ui->redrawn_arg = NULL;
	samples(&m, 1);
	return pick < 0 ? -1 : menu_cs[pick];
}

void
ui_charset_switch(struct ui *ui, int cs)
{
	char	 buf[PUMP_MARK_BUF];

	if (cs == ui->charset)
		return;
	ui->charset = cs;
	pump_mark(buf, sizeof(buf), PUMP_MARK_CS, charset_name(cs));
	ui_charset_raw_write(buf);
	/* What is on the screen was sent in the old encoding. */
	clearok(curscr, TRUE);
}

void
ui_charset_first(struct ui *ui)
{
	struct request	 r;
	int		 cs;

	if (ui->user != NULL && ui->p->charset_chosen)
		return;
	cs = ui_charset_menu(ui, ui->charset, 0);
	ui_charset_switch(ui, cs);
	request_init(&r, REQ_ENCODING, ui->user);
	r.text = charset_name(cs);
	/* A guest's choice is stored with the registration. */
	if (ui->user != NULL && ui_apply(ui, &r, NULL) != 0)
		ui_notice(ui, _("The encoding could not be saved; you will be "
		    "asked again next time."));
}

int
ui_encoding(struct ui *ui)
{
	struct request	 r;
	char		*msg;
	int		 cs, rc;

	if ((cs = ui_charset_menu(ui, ui->charset, 1)) < 0)
		return 0;
	request_init(&r, REQ_ENCODING, ui->user);
	r.text = charset_name(cs);
	if ((rc = ui_apply(ui, &r, NULL)) != 0) {
		ui_notice(ui, _(perr_str(rc)));
		return 0;
	}
	ui_charset_switch(ui, cs);
	erase();
	ui_header(ui, _("Terminal encoding"));
	msg = xasprintf(_("Your terminal's encoding is now %s."),
	    charset_name(cs));
	ui_notice(ui, msg);
	free(msg);
	return 0;
}
