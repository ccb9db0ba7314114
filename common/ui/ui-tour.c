/*
 * ui-tour.c: a short tour for a new teacher, three "?" screens in a row
 * made from the key tables the screens themselves use, so it cannot
 * drift from them: the main menu's rows (as this user sees them), the
 * marks and keys every list shares (the common keys of ui.h among
 * them), and the editor's keys.  It is
 * offered, not imposed: at the first login the main menu's legend says
 * "t: a short tour", which costs no extra screen (a round trip on a
 * slow link), and its row is in the main menu for that session only,
 * as a menu one row longer for good would not fit 60x20.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"
#include "util.h"

/* What a list shows and takes everywhere: its marks first. */
static const struct ui_keydef tour_list_keys[] = {
	{ .name = "+3", .label = N_("new posts: three of them") },
	{ .name = "!", .label = N_("a pinned thread, atop the board") },
	{ .name = "#", .label = N_("a locked thread: no more replies") },
	{ .name = "?", .label = N_("waits for a coordinator's or an "
	  "expert's approval") },
	{ .name = "*", .label = N_("a recommended library item") },
	{ .name = "@", .label = N_("a thread you follow: new replies are "
	  "told at login") },
	{ .name = N_("Up, Down"), .label = N_("move the marker") },
	{ .key = UI_KEY_ENTER, .label = N_("open the marked row") },
	UI_KEY_BACK,
	/* The keys that mean the same on every screen (ui.h). */
	{ .key = UI_K_NEW, .label = N_("read what is new, post by post") },
	{ .key = UI_K_WRITE, .label = N_("write: a thread, a letter, a "
	  "comment") },
	{ .key = UI_K_REPLY, .label = N_("reply") },
	{ .key = UI_K_EDIT, .label = N_("change what you wrote") },
	{ .key = UI_K_DELETE, .label = N_("delete, after asking") },
	{ .key = UI_K_CATCHUP, .label = N_("mark everything read") },
	{ .key = UI_K_UNREAD, .label = N_("mark unread") },
	{ .key = UI_K_FOLLOW, .label = N_("follow a thread, or stop") },
	{ .key = L'?', .label = N_("every key of the screen, on every "
	  "screen (in the editor and on forms: Ctrl-G)") },
};

void
ui_tour_offer(struct ui *ui)
{
	if (ui->p->first_login)
		ui->menu_hint = _("New here? t: a short tour.");
}

int
ui_tour(struct ui *ui)
{
	struct ui_keys	 ks = { .help_key = WEOF };
	struct ui_keydef *rows;
	struct ui_item	*items;
	size_t		 n, i;

	ui->menu_hint = NULL;	/* taken: no longer offered */
	items = ui_main_menu_rows(ui, &n);
	rows = xcalloc(n, sizeof(*rows));
	for (i = 0; i < n; i++) {
		rows[i].key = items[i].key;
		rows[i].label = items[i].label;
	}
	ks.v = rows;
	ks.n = n;
	ks.about = N_("Press the letter of an item in the main menu, or move "
	    "the marker and press Enter.  Esc: the next screen of the tour.");
	ui_keys_help(ui, _("A short tour, 1/3: the main menu"), &ks, NULL, 0);
	free(rows);
	free(items);

	ks.v = tour_list_keys;
	ks.n = nitems(tour_list_keys);
	ks.about = N_("Boards, mail, the library: each is a list.  The "
	    "bottom line shows the keys that fit; ? shows them all.");
	ui_keys_help(ui, _("A short tour, 2/3: lists"), &ks, NULL, 0);

	ks = *ui_editor_keys();
	ks.about = N_("What you type is saved as a draft while you write: a "
	    "dropped link loses nothing.  \"My drafts\" (d in the main menu) "
	    "lists every unsent text.  Esc: back to the main menu.");
	ui_keys_help(ui, _("A short tour, 3/3: writing"), &ks, NULL, 0);
	return 0;
}
