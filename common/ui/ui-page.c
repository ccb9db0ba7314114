/*
 * ui-page.c: a member's page and the directory of members (common/page.h).
 *
 * The page is a viewer: who she is, her school, subjects and "about",
 * then the newest few of her threads, posts, library items and events,
 * each list a key away (Enter there opens the thread, the post, the
 * card).  It opens from an author's name (UI_K_PAGE in the thread list,
 * the pager and a letter), from who-is-online (the host's), and from the
 * directory; "w" writes her a letter.  What her page does not show to
 * the reader, page.c does not read, so a hidden page is one sentence
 * here, the same on the server and over a client's copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "i18n.h"
#include "page.h"
#include "perr.h"
#include "search.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

#define UI_PAGE_NEWEST	3	/* rows of each list on the page itself */

/* Each list of her work: its key on the page, its heading, its title. */
static const struct ui_page_list {
	wint_t		 key;
	const char	*heading;	/* message id, "Threads (%s)" */
	const char	*title;		/* message id of its screen */
} ui_page_lists[PAGE_NLISTS] = {
	[PAGE_THREADS] = { .key = L't', .heading = N_("Threads (%s), key t"),
	    .title = N_("Her threads") },
	[PAGE_POSTS] = { .key = L'p', .heading = N_("Posts (%s), key p"),
	    .title = N_("Her posts") },
	[PAGE_LIBRARY] = { .key = L'l', .heading = N_("Library (%s), key l"),
	    .title = N_("Her library items") },
	[PAGE_EVENTS] = { .key = L'v', .heading = N_("Events (%s), key v"),
	    .title = N_("Events she organises") },
};

struct ui_page {
	struct page_member	*m;
	int			 other;	/* not her own page */
};

static int
ui_page_may_see(struct ui *ui, void *arg)
{
	(void)ui;
	return ((struct ui_page *)arg)->m->shown;
}

static int
ui_page_may_write(struct ui *ui, void *arg)
{
	(void)ui;
	return ((struct ui_page *)arg)->other;
}

static const struct ui_keydef ui_page_keys[] = {
	{ .key = L'w', .label = N_("letter"), .help = N_("write her a letter"),
	  .may = ui_page_may_write },
	{ .key = L't', .label = N_("threads"),
	  .help = N_("the threads she started"), .may = ui_page_may_see },
	{ .key = L'p', .label = N_("posts"), .help = N_("her posts, newest first"),
	  .may = ui_page_may_see },
	{ .key = L'l', .label = N_("library"),
	  .help = N_("her library items and their recommendations"),
	  .may = ui_page_may_see },
	{ .key = L'v', .label = N_("events"),
	  .help = N_("the events she organises"), .may = ui_page_may_see },
	UI_KEY_BACK,
};

/* One row of a list: its day, its title and where it is; a recommended
 * item and a cancelled event say so. */
static void
ui_page_item_line(const struct page_item *it, enum page_list which,
    char *buf, size_t len)
{
	char		 day[32];
	const char	*mark = "";

	if (which == PAGE_LIBRARY && it->flag)
		mark = _("  [recommended]");
	else if (which == PAGE_EVENTS && it->flag)
		mark = _("  [cancelled]");
	snprintf(buf, len, "%s  %s — %s%s", text_date(it->at, TEXT_DATE_DAY,
	    day, sizeof(day)), it->title, it->where, mark);
}

/* The page's text: her fields, then the newest rows of each list. */
static char *
ui_page_body(struct ui *ui, const struct page_member *m)
{
	struct page_item *v;
	char		*s, *t, count[16], line[512];
	size_t		 n, i;
	int		 l, rc;

	if (!m->shown)
		return xstrdup(_("This page is shown only to members who share"
		    " a board with its owner."));
	s = xasprintf("%s %s\n%s %s\n\n%s%s", _("School:"), m->school,
	    _("Subjects:"), m->subjects, m->about, *m->about != '\0' ? "\n" : "");
	for (l = 0; l < PAGE_NLISTS; l++) {
		/* A list that could not be read says so: "(0)" would tell
		 * her she has written nothing. */
		rc = page_items(ui->st, ui->user, m->id, (enum page_list)l, &v,
		    &n);
		if (rc != 0)
			strlcpy_p(count, "?", sizeof(count));
		else
			snprintf(count, sizeof(count), n >= PAGE_LIST_MAX ?
			    "%zu+" : "%zu", n);
		snprintf(line, sizeof(line), _(ui_page_lists[l].heading), count);
		t = rc != 0 ? xasprintf("%s\n%s\n  %s", s, line,
		    _(perr_str(rc))) : xasprintf("%s\n%s", s, line);
		free(s);
		s = t;
		for (i = 0; i < n && i < UI_PAGE_NEWEST; i++) {
			ui_page_item_line(&v[i], (enum page_list)l, line,
			    sizeof(line));
			t = xasprintf("%s\n  %s", s, line);
			free(s);
			s = t;
		}
		t = xasprintf("%s\n", s);
		free(s);
		s = t;
		page_items_free(v, n);
	}
	return s;
}

/* ---- her lists ------------------------------------------------------- */

struct ui_page_rows {
	UI_ROWS(struct page_item) l;
	enum page_list	 which;
};

static void
ui_page_item_draw(size_t i, int y, void *arg)
{
	struct ui_page_rows	*r = arg;
	char			 line[512];

	ui_page_item_line(&r->l.v[i], r->which, line, sizeof(line));
	ui_text(y, 3, COLS - 4, line);
}

static const struct ui_keydef ui_page_item_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("open"),
	  .help = N_("open the marked thread, post, item or event") },
	UI_KEY_BACK,
};

static void
ui_page_items(struct ui *ui, const struct page_member *m, enum page_list which)
{
	struct ui_page_rows	 r = { .which = which };
	const struct page_item	*it;
	size_t			 sel = 0;
	char			 title[256];
	int			 rc;

	for (;;) {
		UI_ROWS_FREE(r.l, page_items_free);
		rc = page_items(ui->st, ui->user, m->id, which, &r.l.v,
		    &r.l.n);
		if (!ui_list_ready(ui, rc, r.l.n,
		    N_("There is nothing here yet.")))
			break;
		snprintf(title, sizeof(title), "%s: %s", m->display_name,
		    _(ui_page_lists[which].title));
		if (ui_list_again(ui, title, UI_KEYS(ui_page_item_keys, NULL),
		    r.l.n, ui_page_item_draw, &r, &sel, NULL) != UI_LIST_PICK)
			break;
		it = &r.l.v[sel];
		switch (which) {
		case PAGE_THREADS:
			ui_thread_open(ui, it->id, 0);
			break;
		case PAGE_POSTS:
			ui_thread_open(ui, it->thread_id, it->id);
			break;
		case PAGE_LIBRARY:
			ui_library_card(ui, it->id);
			break;
		default:
			ui_event_card(ui, it->id);
			break;
		}
	}
	UI_ROWS_FREE(r.l, page_items_free);
}

/* ---- the page -------------------------------------------------------- */

void
ui_page(struct ui *ui, int64_t user_id)
{
	struct ui_page	 pg;
	char		*head, *body;
	wint_t		 key;
	int		 rc, l;

	ui_doing(ui, "page");
	for (;;) {
		pg.m = NULL;
		if ((rc = page_member(ui->st, ui->user, user_id, &pg.m)) != 0) {
			ui_notice(ui, rc == PERR_NOTFOUND ?
			    _("There is no such member.") : _(perr_str(rc)));
			break;
		}
		pg.other = pg.m->id != ui->user->id;
		head = xasprintf("%s (%s)", pg.m->display_name, pg.m->login);
		body = ui_page_body(ui, pg.m);
		rc = ui_viewer(ui, _("Member's page"), head, body,
		    UI_KEYS(ui_page_keys, &pg), &key);
		free(head);
		free(body);
		if (rc == UI_LIST_BACK) {
			page_members_free(pg.m, 1);
			break;
		}
		if (key == L'w')
			ui_mail_compose(ui, pg.m->login, "", "", 0);
		for (l = 0; l < PAGE_NLISTS; l++)
			if (key == ui_page_lists[l].key)
				ui_page_items(ui, pg.m, (enum page_list)l);
		page_members_free(pg.m, 1);
	}
	ui_doing(ui, "menu");
}

void
ui_page_login(struct ui *ui, const char *login)
{
	struct user	*u = NULL;

	if (login == NULL || *login == '\0' ||
	    user_get(ui->st, login, &u) != 0) {
		ui_notice(ui, _("There is no such member."));
		return;
	}
	ui_page(ui, u->id);
	user_free(u);
}

/* ---- the directory ---------------------------------------------------- */

static void
ui_directory_draw(size_t i, int y, void *arg)
{
	const struct page_member *m = (const struct page_member *)arg + i;
	int			 w = COLS / 2 - 4;
	char			*rest;

	ui_text(y, 3, w, m->display_name);
	rest = xasprintf("%s%s%s", m->school, *m->school != '\0' &&
	    *m->subjects != '\0' ? " · " : "", m->subjects);
	ui_text(y, w + 4, COLS - w - 5, rest);
	free(rest);
}

static const struct ui_keydef ui_directory_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("page"),
	  .help = N_("the marked member's page") },
	{ .key = L'f', .label = N_("find"),
	  .help = N_("find members by name, school or subject") },
	{ .key = L'w', .label = N_("letter"),
	  .help = N_("write a letter to the marked member") },
	UI_KEY_BACK,
};

int
ui_directory(struct ui *ui)
{
	UI_ROWS(struct page_member) l = { NULL, 0 };
	char		*query = NULL, *q, title[256];
	size_t		 sel = 0;
	wint_t		 key;
	int		 rc;

	ui_doing(ui, "directory");
	for (;;) {
		UI_ROWS_FREE(l, page_members_free);
		if ((rc = page_directory(ui->st, ui->user, query, &l.v,
		    &l.n)) != 0 || l.n == 0) {
			if (rc != 0)
				ui_say_error(ui, _("Find members"), rc);
			else
				ui_notice(ui, _("Nobody is found."));
			if (query == NULL)
				break;
			free(query);		/* all of them again */
			query = NULL;
			continue;
		}
		if (query != NULL)
			snprintf(title, sizeof(title), _("Members: %s (%zu)"),
			    query, l.n);
		else
			snprintf(title, sizeof(title), _("Members (%zu)"), l.n);
		rc = ui_list_again(ui, title, UI_KEYS(ui_directory_keys, NULL),
		    l.n, ui_directory_draw, l.v, &sel, &key);
		if (rc == UI_LIST_BACK)
			break;
		if (rc == UI_LIST_PICK)
			ui_page(ui, l.v[sel].id);
		else if (rc == UI_LIST_KEY && key == L'w')
			ui_mail_compose(ui, l.v[sel].login, "", "", 0);
		else if (rc == UI_LIST_KEY && key == L'f' &&
		    (q = ui_ask(ui, _("Find members"),
		    N_("Name, school or subject"), query, SEARCH_QUERY_MAX)) !=
		    NULL) {
			free(query);
			query = q;
			text_trim(query);
			if (*query == '\0') {
				free(query);
				query = NULL;
			}
			sel = 0;
		}
	}
	UI_ROWS_FREE(l, page_members_free);
	free(query);
	ui_doing(ui, "menu");
	return 0;
}
