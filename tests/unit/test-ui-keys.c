/*
 * test-ui-keys.c: the key tables (common/ui/ui-keys.c) without a
 * terminal: which row a key press finds (the Russian layout, roles and
 * may() predicates, keys not offered), and the legend: whole entries cut
 * from the end to fit, one space when that keeps more, the help key
 * always last, the message before.  Messages are the English ids: no
 * catalogue is loaded.  It links ui-keys.o and ui-menu.o (ui_is_key)
 * alone, not the whole UI, so the few screen functions they call are
 * stubs here: nothing is drawn.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <curses.h>

#include "i18n.h"
#include "text.h"
#include "ui/ui.h"
#include "user.h"
#include "util.h"
#include "t.h"

/* Stubs of ui.c and ui-pager.c: never called by what is tested. */
int
ui_key(struct ui *ui, wint_t *wch)
{
	(void)ui;
	*wch = UI_ESC;
	return UI_CHAR;
}

int
ui_confirm(struct ui *ui, const char *question)
{
	(void)ui;
	(void)question;
	return 0;
}

void
ui_header(struct ui *ui, const char *title)
{
	(void)ui;
	(void)title;
}

void
ui_status(struct ui *ui, const char *fmt, ...)
{
	(void)ui;
	(void)fmt;
}

void
ui_text(int y, int x, int maxcols, const char *s)
{
	(void)y;
	(void)x;
	(void)maxcols;
	(void)s;
}

int
ui_viewer(struct ui *ui, const char *title, const char *head,
    const char *body, const struct ui_keys *keys, wint_t *key)
{
	(void)ui;
	(void)title;
	(void)head;
	(void)body;
	(void)keys;
	(void)key;
	return UI_LIST_BACK;
}

static int
may_own(struct ui *ui, void *arg)
{
	(void)ui;
	return *(int *)arg;
}

static const struct ui_keydef rows[] = {
	{ .key = UI_KEY_ENTER, .label = "read" },
	{ .key = L'n', .label = "new thread" },
	{ .key = L'c', .label = "edit", .may = may_own },
	{ .key = L'p', .label = "pin", .role = ROLE_COORDINATOR },
	{ .key = L'x', .label = "secret", .flags = UI_KEY_NOLEGEND },
	UI_KEY_BACK,
};

int
main(void)
{
	struct user	 u;
	struct ui	 ui;
	int		 own = 0;
	struct ui_keys	 ks = { .v = rows, .n = nitems(rows), .arg = &own };
	const struct ui_keydef *d;
	char		 buf[256];

	setlocale(LC_ALL, "C.UTF-8");
	memset(&u, 0, sizeof(u));
	memset(&ui, 0, sizeof(ui));
	u.role = ROLE_TEACHER;
	ui.user = &u;

	d = ui_keys_find(&ui, &ks, UI_CHAR, L'n');
	T_OK(d != NULL && d->key == L'n', "n finds its row");
	d = ui_keys_find(&ui, &ks, UI_CHAR, L'т');
	T_OK(d != NULL && d->key == L'n', "т (n on ЙЦУКЕН) finds it too");
	d = ui_keys_find(&ui, &ks, UI_CHAR, L'N');
	T_OK(d != NULL && d->key == L'n', "and N");
	T_OK(ui_keys_find(&ui, &ks, UI_FUNC, L'n') == NULL,
	    "a function key with the same code finds nothing");
	T_OK(ui_keys_find(&ui, &ks, UI_CHAR, L'c') == NULL,
	    "a row whose may() says no is not found");
	T_OK(ui_keys_find(&ui, &ks, UI_CHAR, L'p') == NULL,
	    "nor one that needs a role she lacks");
	T_OK(ui_keys_find(&ui, &ks, UI_CHAR, L'z') == NULL,
	    "a key of no row finds nothing");
	T_OK(ui_keys_find(&ui, NULL, UI_CHAR, L'n') == NULL, "NULL: nothing");
	T_OK(ui_keys_find(&ui, &ks, UI_CHAR, L'x') != NULL,
	    "a row kept out of the legend still works");
	T_OK(ui_keys_is_help(&ks, UI_CHAR, L'?'), "? is the help key");
	T_OK(!ui_keys_is_help(&ks, UI_CHAR, L','), "not ,");

	ui_keys_legend(&ui, &ks, 79, buf, sizeof(buf));
	T_STR(buf, "Enter read  n new thread  Esc back  ? help",
	    "a teacher's legend: her rows only, ? last");
	own = 1;
	u.role = ROLE_COORDINATOR;
	ui_keys_legend(&ui, &ks, 79, buf, sizeof(buf));
	T_STR(buf, "Enter read  n new thread  c edit  p pin  Esc back  ? help",
	    "her own post as a coordinator: edit and pin");
	T_OK(ui_keys_find(&ui, &ks, UI_CHAR, L'з') != NULL,
	    "з (p on ЙЦУКЕН) pins for her");

	ui_keys_legend(&ui, &ks, 44, buf, sizeof(buf));
	T_STR(buf, "Enter read  n new thread  c edit  ? all keys",
	    "44 columns: whole entries from the start, \"? all keys\" kept");
	ui_keys_legend(&ui, &ks, 41, buf, sizeof(buf));
	T_STR(buf, "Enter read n new thread c edit ? all keys",
	    "41 columns: one space keeps three rows, not two");
	T_OK(text_width(buf) <= 41, "and fits");
	ui_keys_legend(&ui, &ks, 25, buf, sizeof(buf));
	T_STR(buf, "Enter read  ? all keys",
	    "25 columns: one space keeps no more, so two");
	ui_keys_legend(&ui, &ks, 5, buf, sizeof(buf));
	T_STR(buf, "? all keys", "no room: only the help key");

	ks.msg = "Готово.";
	ui_keys_legend(&ui, &ks, 63, buf, sizeof(buf));
	T_STR(buf, "Готово.  Enter read n new thread c edit p pin Esc back ? help",
	    "a message first, counted in columns, not bytes");
	T_OK(text_width(buf) <= 63, "and it fits");
	/* A message that would cut keys off gets a row of its own: padded
	 * to the screen's width, ui_status() breaks the line after it. */
	COLS = 64;
	ks.msg = "Это последнее сообщение.";
	ui_keys_legend(&ui, &ks, 63, buf, sizeof(buf));
	T_STR(buf, "Это последнее сообщение.                                        "
	    "Enter read  n new thread  c edit  p pin  Esc back  ? help",
	    "a longer message: its own row, the whole legend below");
	T_OK(text_width(buf) > 63, "so wider than the row, to be broken");
	ks.msg = NULL;

	ks.help_key = UI_CTRL('g');
	ui_keys_legend(&ui, &ks, 79, buf, sizeof(buf));
	T_STR(buf, "Enter read  n new thread  c edit  p pin  Esc back  ^G help",
	    "another help key is written ^G");
	T_OK(!ui_keys_is_help(&ks, UI_CHAR, L'?'), "then ? is text");
	T_OK(ui_keys_is_help(&ks, UI_FUNC, KEY_F(1)), "and F1 is help too");
	T_OK(!ui_keys_is_help(&ks, UI_FUNC, KEY_F(2)), "not F2");
	ks.help_key = WEOF;
	T_OK(!ui_keys_is_help(&ks, UI_FUNC, KEY_F(1)),
	    "no help key: F1 is none either");
	ui_keys_legend(&ui, &ks, 79, buf, sizeof(buf));
	T_STR(buf, "Enter read  n new thread  c edit  p pin  Esc back",
	    "no help key: no help entry, no trailing gap");

	ui_keys_legend(&ui, NULL, 79, buf, sizeof(buf));
	T_STR(buf, "? help", "no table: the help key alone");
	return t_done();
}
