/*
 * ui-menu.c: menus and lists.  The current row carries a '>' marker in
 * column 1; moving it rewrites two cells, not a highlighted bar, which
 * is what keeps a keystroke under a hundred bytes on the wire.
 */
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include <curses.h>

#include "i18n.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

#define BODY_TOP	3

/* The Russian ЙЦУКЕН layout, key for key with QWERTY a..z. */
static const wchar_t jcuken[26] = {
	L'ф', L'и', L'с', L'в', L'у', L'а', L'п', L'р', L'ш', L'о', L'л',
	L'д', L'ь', L'т', L'щ', L'з', L'й', L'к', L'ы', L'е', L'г', L'м',
	L'ц', L'ч', L'н', L'я'
};

int
ui_is_key(wint_t pressed, wint_t latin)
{
	wint_t	 p = towlower(pressed), l = towlower(latin);

	if (p == l)
		return 1;
	return l >= L'a' && l <= L'z' && p == (wint_t)jcuken[l - L'a'];
}

void
ui_list_marker(int y, int on)
{
	mvaddch(y, 1, on ? '>' : ' ');
	move(y, 1);
}

/* The rows a menu has on this screen, and its first shown item so that
 * item cur is on the screen: a small terminal (40x15) scrolls the
 * menu, it never cuts items off. */
static int
menu_rows(void)
{
	return LINES - 1 - BODY_TOP > 1 ? LINES - 1 - BODY_TOP : 1;
}

static size_t
menu_top(size_t top, size_t cur, size_t n)
{
	size_t	 rows = (size_t)menu_rows();

	if (n <= rows)
		return 0;
	if (cur < top)
		return cur;
	if (cur >= top + rows)
		return cur - rows + 1;
	return top;
}

static void
menu_draw(struct ui *ui, const char *title, const struct ui_item *items,
    size_t n, size_t cur, size_t top)
{
	struct ui_keys	 ks = { .v = NULL };
	char	 line[256], help[256];
	size_t	 i, rows = (size_t)menu_rows();

	erase();
	ui_header(ui, _(title));
	for (i = top; i < n && i < top + rows; i++) {
		snprintf(line, sizeof(line), "%lc  %s", (wint_t)items[i].key,
		    _(items[i].label));
		ui_text(BODY_TOP + (int)(i - top), 3, COLS - 4, line);
	}
	/* More above or below: a mark in the margin. */
	if (top > 0)
		mvaddch(BODY_TOP, 0, '^');
	if (top + rows < n)
		mvaddch(BODY_TOP + (int)rows - 1, 0, 'v');
	ks.msg = _("Arrows and Enter, or the letter of an item");
	/* The tour's offer comes first, the rest as it fits on one row:
	 * a second row would hide the menu's last. */
	if (ui->menu_hint != NULL && strcmp(title, N_("Main menu")) == 0) {
		snprintf(line, sizeof(line), "%s  %s", ui->menu_hint, ks.msg);
		if (text_width(line) + 12 > COLS - 1)
			snprintf(line, sizeof(line), "%s", ui->menu_hint);
		ks.msg = line;
	}
	ui_keys_legend(ui, &ks, COLS - 1, help, sizeof(help));
	/* On a narrow terminal the explanation gives way: a legend on two
	 * rows would hide the menu's last item. */
	if (text_width(help) > COLS - 1) {
		ks.msg = ui->menu_hint != NULL &&
		    strcmp(title, N_("Main menu")) == 0 ? ui->menu_hint : NULL;
		ui_keys_legend(ui, &ks, COLS - 1, help, sizeof(help));
	}
	ui_status(ui, "%s", help);
	ui_list_marker(BODY_TOP + (int)(cur - top), 1);
	refresh();
}

static void	menu_run(struct ui *, const char *, const struct ui_item *,
		    size_t, int);

/* The menu's own keys, for its "?" screen. */
static const struct ui_keydef menu_keys[] = {
	{ .name = N_("Up, Down"), .label = N_("move the marker") },
	{ .key = UI_KEY_ENTER, .label = N_("choose the marked item") },
	UI_KEY_BACK,
};

/* The "?" screen of a menu: its items are its keys. */
static void
menu_help(struct ui *ui, const char *title, const struct ui_item *items,
    size_t n, int can_leave)
{
	struct ui_keydef *v = xcalloc(n, sizeof(*v));
	struct ui_keys	 ks = { .v = v, .n = n };
	size_t		 i;

	for (i = 0; i < n; i++) {
		v[i].key = items[i].key;
		v[i].label = items[i].label;
	}
	ui_keys_help(ui, _(title), &ks, menu_keys, can_leave ?
	    nitems(menu_keys) : nitems(menu_keys) - 1);
	free(v);
}

void
ui_menu_host(struct ui *ui, const char *title, const struct ui_item *items,
    size_t n, const struct ui_host_item *extra, size_t hn, int can_leave)
{
	struct ui_item	*v = xcalloc(n + hn, sizeof(*v));
	size_t		 i, j, m = 0;

	for (i = 0; i < n; i++) {
		/* The last row leaves the menu: the host's come before. */
		for (j = 0; i + 1 == n && j < hn; j++)
			if (extra[j].after == 0)
				v[m++] = extra[j].item;
		v[m++] = items[i];
		for (j = 0; j < hn; j++)
			if (extra[j].after != 0 && extra[j].after == items[i].key)
				v[m++] = extra[j].item;
	}
	ui_menu(ui, title, v, m, can_leave);
	free(v);
}

void
ui_menu(struct ui *ui, const char *title, const struct ui_item *items,
    size_t n, int can_leave)
{
	struct ui_item	*v = xcalloc(n, sizeof(*v));
	size_t		 i, m = 0;

	for (i = 0; i < n; i++)
		if (items[i].role == 0 || (ui->user != NULL &&
		    (int)ui->user->role >= items[i].role))
			v[m++] = items[i];
	if (m > 0)
		menu_run(ui, title, v, m, can_leave);
	free(v);
}

/*
 * Whether to do item it, chosen by the key wch: a lasting item chosen by
 * its letter on the Russian layout (д for l) asks first, since Cyrillic
 * typed where no field has focus is more often a slip than a choice.
 */
static int
menu_layout_ok(struct ui *ui, const struct ui_item *it, wint_t wch)
{
	char	 q[256];

	if (!(it->flags & UI_ITEM_ASK_LAYOUT) ||
	    towlower(wch) == towlower(it->key))
		return 1;
	snprintf(q, sizeof(q), _("The key %lc is %lc on a Latin layout: "
	    "\"%s\". Do it?"), wch, it->key, _(it->label));
	return ui_confirm(ui, q);
}

static void
menu_run(struct ui *ui, const char *title, const struct ui_item *items,
    size_t n, int can_leave)
{
	size_t	 cur = 0, top = 0, i, pick, was;
	wint_t	 wch;
	int	 k;

	menu_draw(ui, title, items, n, cur, top);
	for (;;) {
		k = ui_key(ui, &wch);
		pick = n;
		if (k == UI_FUNC && wch == KEY_RESIZE) {
			top = menu_top(top, cur, n);
			menu_draw(ui, title, items, n, cur, top);
			continue;
		}
		if (k == UI_FUNC && (wch == KEY_UP || wch == KEY_DOWN)) {
			was = top;
			ui_list_marker(BODY_TOP + (int)(cur - top), 0);
			cur = wch == KEY_UP ? (cur + n - 1) % n : (cur + 1) % n;
			/* Two cells while the marker stays on the screen. */
			if ((top = menu_top(top, cur, n)) != was)
				menu_draw(ui, title, items, n, cur, top);
			else {
				ui_list_marker(BODY_TOP + (int)(cur - top), 1);
				refresh();
			}
			continue;
		}
		if ((k == UI_CHAR && (wch == L'\r' || wch == L'\n')) ||
		    (k == UI_FUNC && wch == KEY_ENTER))
			pick = cur;
		else if (k == UI_CHAR && wch == UI_ESC && can_leave)
			return;
		else if (ui_keys_is_help(NULL, k, wch)) {
			menu_help(ui, title, items, n, can_leave);
			menu_draw(ui, title, items, n, cur, top);
			continue;
		} else if (k == UI_CHAR) {
			for (i = 0; i < n; i++)
				if (ui_is_key(wch, items[i].key))
					pick = i;
			if (pick < n && !menu_layout_ok(ui, &items[pick], wch)) {
				menu_draw(ui, title, items, n, cur, top);
				continue;
			}
		}
		if (pick == n)
			continue;
		cur = pick;
		top = menu_top(top, cur, n);
		if (items[pick].fn(ui))
			return;
		menu_draw(ui, title, items, n, cur, top);
	}
}

/* The list's own keys, for its "?" screen. */
static const struct ui_keydef list_keys[] = {
	{ .name = N_("Up, Down"), .label = N_("move the marker") },
	{ .name = N_("PgUp, PgDn"), .label = N_("a page up or down") },
	{ .key = L'q', .label = N_("back"), .help = N_("back, as Esc") },
};

static void
list_draw(struct ui *ui, const char *title, const struct ui_keys *keys,
    size_t n, void (*draw)(size_t, int, void *), void *arg, size_t top,
    size_t cur)
{
	int	 rows = LINES - 1 - BODY_TOP, y;
	size_t	 i;
	char	 help[512];

	erase();
	ui_header(ui, title);
	if (n == 0)
		ui_text(BODY_TOP, 3, COLS - 4, _("(empty)"));
	for (i = top, y = BODY_TOP; i < n && y < BODY_TOP + rows; i++, y++)
		draw(i, y, arg);
	ui_keys_legend(ui, keys, COLS - 1, help, sizeof(help));
	ui_status(ui, "%s", help);
	if (n > 0)
		ui_list_marker(BODY_TOP + (int)(cur - top), 1);
	refresh();
}

int
ui_list(struct ui *ui, const char *title, const struct ui_keys *keys,
    size_t n, void (*draw)(size_t, int, void *), void *arg, size_t *sel,
    wint_t *key)
{
	size_t	 top = 0, cur = *sel < n ? *sel : 0, rows, prev;
	wint_t	 wch;
	int	 k;
	const struct ui_keydef *d;

	for (;;) {
		rows = LINES - 1 - BODY_TOP > 0 ? (size_t)(LINES - 1 - BODY_TOP) : 1;
		if (cur < top || cur >= top + rows)
			top = cur - cur % rows;
		list_draw(ui, title, keys, n, draw, arg, top, cur);
		for (;;) {
			k = ui_key(ui, &wch);
			prev = cur;
			if (k == UI_FUNC && wch == KEY_RESIZE)
				break;
			if (k == UI_FUNC && wch == UI_KEY_RELOAD) {
				*sel = cur;
				return UI_LIST_RELOAD;
			}
			if (k == UI_FUNC && wch == KEY_UP && cur > 0)
				cur--;
			else if (k == UI_FUNC && wch == KEY_DOWN && cur + 1 < n)
				cur++;
			else if (k == UI_FUNC && wch == KEY_PPAGE)
				cur = cur > rows ? cur - rows : 0;
			else if (k == UI_FUNC && wch == KEY_NPAGE && n > 0)
				cur = cur + rows < n ? cur + rows : n - 1;
			else if (k == UI_CHAR && (wch == UI_ESC ||
			    ui_is_key(wch, L'q')))
				return UI_LIST_BACK;
			else if (((k == UI_CHAR && (wch == L'\r' || wch == L'\n')) ||
			    (k == UI_FUNC && wch == KEY_ENTER)) && n > 0) {
				*sel = cur;
				return UI_LIST_PICK;
			} else if (ui_keys_is_help(keys, k, wch)) {
				ui_keys_help(ui, title, keys, list_keys,
				    nitems(list_keys));
				break;
			} else if ((d = ui_keys_find(ui, keys, k, wch)) !=
			    NULL && d->key != UI_KEY_ENTER && d->key != UI_ESC) {
				*sel = cur;
				if (key != NULL)
					*key = d->key;
				return UI_LIST_KEY;
			}
			if (cur == prev)
				continue;
			if (cur < top || cur >= top + rows)
				break;		/* a new page */
			ui_list_marker(BODY_TOP + (int)(prev - top), 0);
			ui_list_marker(BODY_TOP + (int)(cur - top), 1);
			refresh();
		}
	}
}

int
ui_list_again(struct ui *ui, const char *title, const struct ui_keys *keys,
    size_t n, void (*draw)(size_t, int, void *), void *arg, size_t *sel,
    wint_t *key)
{
	if (*sel >= n && n > 0)
		*sel = n - 1;
	return ui_list(ui, title, keys, n, draw, arg, sel, key);
}
