/*
 * ui-keys.c: a screen's keys as one table (struct ui_keydef, ui.h).
 * Each row names a key, what it does and who may use it; the same rows
 * make the legend on the status line, find the row of a pressed key
 * (through ui_is_key(), so the Russian layout works) and fill the "?"
 * screen.  A row the user may not use is left out of all three: a key
 * that is not offered does nothing.  The screen keeps its own switch on
 * the key of the row found, so its handling code stays where it was.
 *
 * The legend is cut to the screen's width by whole entries from the end
 * of the table, so a table lists its keys by importance; one space
 * between entries instead of two when that keeps more of them.  The
 * help key is always shown, last, as the way to all the others.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "i18n.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

/* The column where the "?" screen writes what a key does. */
#define KEYS_HELP_COL	20

int
ui_keys_may(struct ui *ui, const struct ui_keys *ks, const struct ui_keydef *d)
{
	if (d->role != 0 && (ui->user == NULL || (int)ui->user->role < d->role))
		return 0;
	return d->may == NULL || d->may(ui, ks->arg);
}

int
ui_keys_may_flag(struct ui *ui, void *arg)
{
	(void)ui;
	return *(int *)arg != 0;
}

const struct ui_keydef *
ui_keys_find(struct ui *ui, const struct ui_keys *ks, int k, wint_t wch)
{
	size_t	 i;

	if (ks == NULL || k != UI_CHAR)
		return NULL;
	for (i = 0; i < ks->n; i++)
		if (ks->v[i].key != 0 && ui_is_key(wch, ks->v[i].key) &&
		    ui_keys_may(ui, ks, &ks->v[i]))
			return &ks->v[i];
	return NULL;
}

static wint_t
keys_help_key(const struct ui_keys *ks)
{
	return ks != NULL && ks->help_key != 0 ? ks->help_key : L'?';
}

int
ui_keys_is_help(const struct ui_keys *ks, int k, wint_t wch)
{
	if (keys_help_key(ks) == WEOF)
		return 0;
	/* F1 as well, the help key of DOS and Windows programs, and one
	 * that is never text (the editor's and forms' ^G is rarer). */
	if (k == UI_FUNC)
		return wch == KEY_F(1);
	return k == UI_CHAR && wch == keys_help_key(ks);
}

/* How key d is written: its name, Enter, Esc, ^X or the character. */
static const char *
keys_name(const struct ui_keydef *d, char *buf, size_t len)
{
	if (d->name != NULL)
		return _(d->name);
	if (d->key == UI_KEY_ENTER)
		return "Enter";
	if (d->key == UI_ESC)
		return "Esc";
	if (d->key < 0x20)
		snprintf(buf, len, "^%c", (int)d->key + '@');
	else
		snprintf(buf, len, "%lc", d->key);
	return buf;
}

static const struct ui_keydef keys_help_row = {
	.label = N_("help"), .help = N_("this list of keys")
};

/* How many rows of ks the legend would show if it had room. */
static size_t
keys_legend_rows(struct ui *ui, const struct ui_keys *ks)
{
	size_t	 i, n = 0;

	for (i = 0; ks != NULL && i < ks->n; i++)
		if (ks->v[i].label != NULL && !(ks->v[i].flags &
		    UI_KEY_NOLEGEND) && ui_keys_may(ui, ks, &ks->v[i]))
			n++;
	return n;
}

/*
 * One legend into buf with sep between entries: the rows that fit in
 * cols columns, from the first on, then last (the help key) if any.
 * Returns how many rows it shows.
 */
static size_t
keys_legend_pass(struct ui *ui, const struct ui_keys *ks, int cols,
    const char *sep, const char *last, char *buf, size_t len)
{
	char		 name[16], entry[160];
	size_t		 i, o = 0, shown = 0;
	int		 used;

	buf[0] = '\0';
	if (ks != NULL && ks->msg != NULL && *ks->msg != '\0')
		o = (size_t)snprintf(buf, len, "%s  ", ks->msg);
	if (o >= len)
		o = len - 1;
	used = text_width(buf) + text_width(last);
	for (i = 0; ks != NULL && i < ks->n; i++) {
		if (ks->v[i].label == NULL || (ks->v[i].flags &
		    UI_KEY_NOLEGEND) || !ui_keys_may(ui, ks, &ks->v[i]))
			continue;
		snprintf(entry, sizeof(entry), "%s %s%s", keys_name(&ks->v[i],
		    name, sizeof(name)), _(ks->v[i].label), sep);
		if (used + text_width(entry) > cols)
			break;
		used += text_width(entry);
		shown++;
		o += (size_t)snprintf(buf + o, len - o, "%s", entry);
		if (o >= len)
			o = len - 1;
	}
	if (*last == '\0' && o >= strlen(sep) && buf[o - 1] == ' ')
		buf[o - strlen(sep)] = '\0';	/* no help key: no gap */
	else
		snprintf(buf + o, len - o, "%s", last);
	return shown;
}

/* Two spaces between entries; one if that shows more of them (in
 * Russian, a moderator's card of a pending file needs it).  When rows
 * are left out, the help key says "all keys": the way to the others.
 * Returns how many rows it shows. */
static size_t
keys_legend_fit(struct ui *ui, const struct ui_keys *ks, int cols, char *buf,
    size_t len)
{
	struct ui_keydef help = keys_help_row;
	char		 name[16], last[64], *tight;
	size_t		 wide, narrow, all = keys_legend_rows(ui, ks);
	int		 pass;

	help.key = keys_help_key(ks);
	tight = xmalloc(len);
	for (pass = 0; pass < 2; pass++) {
		last[0] = '\0';
		if (help.key != WEOF)
			snprintf(last, sizeof(last), "%s %s", keys_name(&help,
			    name, sizeof(name)), pass == 0 ? _(help.label) :
			    _("all keys"));
		wide = keys_legend_pass(ui, ks, cols, "  ", last, buf, len);
		narrow = keys_legend_pass(ui, ks, cols, " ", last, tight, len);
		if (narrow > wide) {
			memcpy(buf, tight, len);
			wide = narrow;
		}
		if (wide >= all || help.key == WEOF)
			break;
	}
	free(tight);
	return wide;
}

/*
 * A message before the legend must not push keys off it (after "Sent."
 * the pager lost its delete key): when it would, the message gets a row
 * of its own, padded to the screen's width so that ui_status() breaks
 * the line right after it and shows the whole legend on the row below.
 */
void
ui_keys_legend(struct ui *ui, const struct ui_keys *ks, int cols, char *buf,
    size_t len)
{
	struct ui_keys	 bare;
	char		*alone;
	size_t		 with;
	int		 pad;

	with = keys_legend_fit(ui, ks, cols, buf, len);
	if (ks == NULL || ks->msg == NULL || *ks->msg == '\0' ||
	    text_width(ks->msg) > cols - 2 || text_width(ks->msg) >= COLS)
		return;
	bare = *ks;
	bare.msg = NULL;
	alone = xmalloc(len);
	if (keys_legend_fit(ui, &bare, cols, alone, len) > with) {
		/* Past the screen's width, whatever the caller keeps
		 * room for after the legend. */
		pad = COLS - text_width(ks->msg);
		snprintf(buf, len, "%s%*s%s", ks->msg, pad, "", alone);
	}
	free(alone);
}

/* Append to *text the line of row d: its key, then what it does. */
static void
keys_help_line(char **text, const struct ui_keydef *d)
{
	char		 buf[16], *t;
	const char	*name = keys_name(d, buf, sizeof(buf));
	int		 pad = KEYS_HELP_COL - text_width(name);

	t = xasprintf("%s%s%*s%s\n", *text, name, pad > 1 ? pad : 1, "",
	    _(d->help != NULL ? d->help : d->label));
	free(*text);
	*text = t;
}

static const struct ui_keydef keys_everywhere[] = {
	{ .key = UI_CTRL('l'), .label = N_("redraw"),
	  .help = N_("draw the screen again") },
};

static const struct ui_keydef keys_back[] = { UI_KEY_BACK };

void
ui_keys_help(struct ui *ui, const char *title, const struct ui_keys *ks,
    const struct ui_keydef *widget, size_t nwidget)
{
	struct ui_keydef help = keys_help_row;
	struct ui_keys	 none = { .v = keys_back, .n = nitems(keys_back),
	    .help_key = WEOF };
	char		*text = xstrdup(""), *t, *head;
	size_t		 i;
	wint_t		 key;

	for (i = 0; ks != NULL && i < ks->n; i++)
		if (ui_keys_may(ui, ks, &ks->v[i]))
			keys_help_line(&text, &ks->v[i]);
	for (i = 0; i < nwidget; i++)
		keys_help_line(&text, &widget[i]);
	for (i = 0; i < nitems(keys_everywhere); i++)
		keys_help_line(&text, &keys_everywhere[i]);
	help.key = keys_help_key(ks);
	if (help.key != WEOF)
		keys_help_line(&text, &help);
	if (ks != NULL && ks->about != NULL) {
		t = xasprintf("%s\n%s\n", text, _(ks->about));
		free(text);
		text = t;
	}
	head = xasprintf("%s: %s", _("Keys"), title);
	/* The help screen has no help of its own. */
	(void)ui_viewer(ui, head, _("What each key does on this screen:"),
	    text, &none, &key);
	free(head);
	free(text);
}
