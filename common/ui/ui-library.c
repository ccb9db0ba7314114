/*
 * ui-library.c: the library in the interactive BBS: browse by section,
 * grade or tag, or search it (ui-search.c); an item's card (title, description, author, date, size,
 * downloads, recommendation); describe a new item, or add a link;
 * experts and coordinators approve and recommend.
 *
 * How a file is fetched is the host's (struct ui_host): partad's card
 * shows the exact sftp and scp command lines and offers ZMODEM
 * (bbs/ui-zmodem.c), its library menu the SFTP upload folder
 * (bbs/ui-upload.c); the client's will fetch the file itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "i18n.h"
#include "library.h"
#include "perr.h"
#include "post.h"
#include "request.h"
#include "store.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

#define BODY_TOP	3

static struct lib_viewer
viewer(struct ui *ui)
{
	struct lib_viewer v = { ui->user->id, (int)ui->user->role };

	return v;
}

/* ---- an item's card ------------------------------------------------- */

static void
ui_library_card_line(int *y, const char *label, const char *value)
{
	int	 w;

	if (*y >= LINES - 2)
		return;
	ui_text(*y, 2, 20, _(label));
	w = text_width(_(label));
	ui_text(*y, w + 4 > 16 ? w + 4 : 16, 0, value);
	(*y)++;
}

static void
ui_library_card_draw(struct ui *ui, const struct lib_item *it)
{
	char		 buf[512], date[32], size[32];
	struct thread	*t = NULL;
	int		 y = BODY_TOP;

	erase();
	ui_header(ui, _("Library item"));
	attron(A_BOLD);
	y = ui_wrap(y, 2, y + 2, COLS - 4, it->title);
	attroff(A_BOLD);
	ui_library_card_line(&y, N_("Section:"), it->section);
	snprintf(buf, sizeof(buf), "%s (%s)", it->uploader_name, it->uploader);
	ui_library_card_line(&y, N_("Author:"), *it->uploader != '\0' ? buf : "-");
	ui_library_card_line(&y, N_("Date:"), text_date(it->created_at, TEXT_DATE_DAY, date, sizeof(date)));
	if (*it->url != '\0')
		ui_library_card_line(&y, N_("Link:"), it->url);
	else {
		library_fmt_size(it->size, size, sizeof(size));
		snprintf(buf, sizeof(buf), "%s, %s", it->filename, size);
		ui_library_card_line(&y, N_("File:"), buf);
	}
	if (*it->grades != '\0')
		ui_library_card_line(&y, N_("Grades:"), it->grades);
	if (*it->tags != '\0')
		ui_library_card_line(&y, N_("Tags:"), it->tags);
	snprintf(buf, sizeof(buf), "%lld", (long long)it->downloads);
	ui_library_card_line(&y, N_("Downloads:"), buf);
	if (it->approved_at == 0)
		ui_library_card_line(&y, N_("Status:"), _("waiting for approval"));
	if (it->recommended_at != 0) {
		snprintf(buf, sizeof(buf), _("yes, by %s: %s"),
		    *it->recommender != '\0' ? it->recommender : "-", it->review);
		ui_library_card_line(&y, N_("Recommended:"), buf);
	}
	if (it->thread_id != 0 &&
	    post_thread_get(ui->st, ui->user, it->thread_id, &t) == 0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)t->posts);
		ui_library_card_line(&y, N_("Comments:"), buf);
		post_thread_free(t);
	}
	if (*it->description != '\0' && y < LINES - 6) {
		y++;
		y = ui_wrap(y, 2, LINES - 6, COLS - 4, it->description);
	}
	/* How to fetch a file: the host's three rows. */
	if (*it->url == '\0' && y < LINES - 4 && ui->p->host != NULL &&
	    ui->p->host->card_foot != NULL)
		ui->p->host->card_foot(ui, it, LINES - 5);
}

/* Ask for a review and record the recommendation. */
static void
ui_library_card_recommend(struct ui *ui, const struct lib_item *it)
{
	struct ui_field	 f[1] = {
		{ N_("Review"), NULL, LIB_REVIEW_MAX, 0 },
	};
	struct request	 r;
	int		 rc;

	f[0].value = xstrdup(it->review);
	for (;;) {
		if (!ui_form(ui, _("Recommend"), _("A short review: why this "
		    "material is good, for whom."), f, 1, NULL, NULL))
			break;
		text_trim(f[0].value);
		request_init(&r, REQ_LIB_RECOMMEND, ui->user);
		r.item = it->uuid;
		r.text = f[0].value;
		rc = ui_apply(ui, &r, NULL);
		if (rc == 0) {
			ui_notice(ui, _("The item is marked recommended."));
			break;
		}
		ui_status(ui, "%s: %s", _("Review"), _(perr_str(rc)));
		refresh();
	}
	free(f[0].value);
}

/*
 * Edit and send the comment doc holds (kind "comment", target the item's
 * UUID) in the editor until it is sent (Ctrl-X) or left, then show the
 * thread of comments at it.  A comment is a text like a reply: it is
 * kept as a draft while typed, and a refusal returns to the editor.
 */
void
ui_library_comment_resume(struct ui *ui, struct ui_doc *doc)
{
	struct request	 r;
	struct request_result res;
	char		 why[512];
	int		 rc, sent;

	doc->title = N_("Comment on the item");
	for (sent = ui_edit(ui, doc); sent; sent = ui_edit_again(ui, doc,
	    why)) {
		request_init(&r, REQ_LIB_COMMENT, ui->user);
		strlcpy_p(r.uuid, doc->uuid, sizeof(r.uuid));
		r.item = doc->target;
		r.body = doc->body;
		if ((rc = post_check_body(doc->body)) == 0 &&
		    (rc = ui_apply(ui, &r, &res)) == 0)
			break;
		snprintf(why, sizeof(why), "%s: %s", _("Comment"),
		    _(perr_str(rc)));
	}
	if (!sent) {
		ui_doc_free(doc);
		return;
	}
	ui_doc_done(ui, doc);
	ui_thread_open(ui, res.id, INT64_MAX);
}

/* Write a comment on it, then show the thread of comments. */
static void
ui_library_card_comment(struct ui *ui, const struct lib_item *it)
{
	struct ui_doc	 doc;

	memset(&doc, 0, sizeof(doc));
	snprintf(doc.info, sizeof(doc.info), "%s %s", _("Item:"), it->title);
	doc.subject = xstrdup("");
	doc.body = xstrdup("");
	doc.kind = "comment";
	strlcpy_p(doc.target, it->uuid, sizeof(doc.target));
	ui_library_comment_resume(ui, &doc);
}

/* Approve a pending item. */
static const char *
ui_library_card_approve(struct ui *ui, const struct lib_item *it)
{
	struct request	 r;
	int		 rc;

	request_init(&r, REQ_LIB_APPROVE, ui->user);
	r.item = it->uuid;
	rc = ui_apply(ui, &r, NULL);

	ui_notice(ui, rc == 0 ? _("The item is approved.") : _(perr_str(rc)));
	return NULL;
}

/* Open the thread of comments. */
static const char *
ui_library_card_comments(struct ui *ui, const struct lib_item *it)
{
	if (it->thread_id != 0)
		ui_thread_open(ui, it->thread_id, 0);
	else
		ui_notice(ui, _("No comments yet; w writes the first."));
	return NULL;
}

static const char *
ui_library_card_recommend_key(struct ui *ui, const struct lib_item *it)
{
	ui_library_card_recommend(ui, it);
	return NULL;
}

static const char *
ui_library_card_comment_key(struct ui *ui, const struct lib_item *it)
{
	ui_library_card_comment(ui, it);
	return NULL;
}

/* When a key is offered; arg is the item on the card. */
static int
may_approve(struct ui *ui, void *arg)
{
	const struct lib_item *it = arg;

	return library_may_moderate((int)ui->user->role) && it->approved_at == 0;
}

static int
may_recommend(struct ui *ui, void *arg)
{
	(void)arg;
	return library_may_moderate((int)ui->user->role);
}

/* The card's own keys, in the order of the status line; the host's
 * come after the moderators' (CARD_MOD_KEYS), before the comments. */
static const struct ui_keydef ui_library_card_keys[] = {
	{ .key = L'a', .label = N_("approve"),
	  .help = N_("approve the item for everyone"), .may = may_approve },
	{ .key = L'r', .label = N_("recommend"),
	  .help = N_("mark the item recommended, with a short review"),
	  .may = may_recommend },
	{ .key = UI_KEY_ENTER, .label = N_("comments"),
	  .help = N_("read the comments on the item") },
	{ .key = UI_K_WRITE, .label = N_("write a comment"),
	  .help = N_("write a comment on the item") },
	UI_KEY_BACK,
};
#define CARD_MOD_KEYS	2

/* The card's rows with the host's among them, in *n; caller frees. */
static struct ui_keydef *
ui_library_card_keys_all(struct ui *ui, size_t *n)
{
	const struct ui_host	*h = ui->p->host;
	size_t			 hn = h != NULL ? h->card_keys_n : 0, i;
	struct ui_keydef	*v = xcalloc(nitems(ui_library_card_keys) + hn,
				    sizeof(*v));

	memcpy(v, ui_library_card_keys, CARD_MOD_KEYS * sizeof(*v));
	for (i = 0; i < hn; i++)
		v[CARD_MOD_KEYS + i] = h->card_keys[i].def;
	memcpy(v + CARD_MOD_KEYS + hn, ui_library_card_keys + CARD_MOD_KEYS,
	    (nitems(ui_library_card_keys) - CARD_MOD_KEYS) * sizeof(*v));
	*n = nitems(ui_library_card_keys) + hn;
	return v;
}

static const struct ui_keydef ui_library_card_widget_keys[] = {
	{ .key = L'q', .label = N_("back"), .help = N_("back, as Esc") },
};

/* Act on key, a row of ui_library_card_keys_all(): a sentence to show
 * on the card drawn afresh, or NULL. */
static const char *
ui_library_card_act(struct ui *ui, const struct lib_item *it, wint_t key)
{
	const struct ui_host	*h = ui->p->host;
	size_t			 i;

	switch (key) {
	case L'a':
		return ui_library_card_approve(ui, it);
	case L'r':
		return ui_library_card_recommend_key(ui, it);
	case UI_KEY_ENTER:
		return ui_library_card_comments(ui, it);
	case UI_K_WRITE:
		return ui_library_card_comment_key(ui, it);
	}
	for (i = 0; h != NULL && i < h->card_keys_n; i++)
		if (h->card_keys[i].def.key == key)
			return h->card_keys[i].fn(ui, it);
	return NULL;
}

/* Show item id until Esc: the keys of ui_library_card_keys_all() as
 * offered (ui.h). */
void
ui_library_card(struct ui *ui, int64_t id)
{
	struct lib_viewer v = viewer(ui);
	struct lib_item	*it = NULL;
	struct ui_keydef *keys;
	const struct ui_keydef *ck;
	struct ui_keys	*ks;
	const char	*said = NULL;
	char		 help[512];
	wint_t		 wch;
	size_t		 n;
	int		 k;

	keys = ui_library_card_keys_all(ui, &n);
	ks = &(struct ui_keys){ keys, n, NULL, NULL, NULL, 0 };
	for (;;) {
		library_item_free(it);
		if (library_get(ui->st, &v, id, &it) != 0) {
			ui_notice(ui, _("This item is no longer in the library."));
			free(keys);
			return;
		}
		ks->arg = it;
		ui_library_card_draw(ui, it);
		if (said != NULL) {
			ui_notice(ui, said);
			said = NULL;
		}
		ui_keys_legend(ui, ks, COLS - 1, help, sizeof(help));
		ui_status(ui, "%s", help);
		refresh();
		/* Keys that do nothing cost nothing: no redraw for them. */
		do
			k = ui_key(ui, &wch);
		while (!(k == UI_FUNC && wch == KEY_RESIZE) && !(k == UI_CHAR &&
		    (wch == UI_ESC || ui_is_key(wch, L'q') ||
		    ui_keys_is_help(ks, k, wch) ||
		    ui_keys_find(ui, ks, k, wch) != NULL)));
		if (k != UI_CHAR)
			continue;	/* a resize: draw again */
		if (wch == UI_ESC || ui_is_key(wch, L'q'))
			break;
		if (ui_keys_is_help(ks, k, wch)) {
			ui_keys_help(ui, _("Library item"), ks,
			    ui_library_card_widget_keys,
			    nitems(ui_library_card_widget_keys));
			continue;
		}
		ck = ui_keys_find(ui, ks, k, wch);
		said = ui_library_card_act(ui, it, ck->key);
	}
	library_item_free(it);
	free(keys);
}

/* ---- lists of items --------------------------------------------------- */

static void
ui_library_items_draw(size_t i, int y, void *arg)
{
	struct lib_item	*it = (struct lib_item *)arg + i;
	char		 right[64], size[32];
	int		 rw;

	/* '+' recommended, '?' waiting for approval, '@' a link. */
	ui_text(y, 3, 1, it->approved_at == 0 ? "?" :
	    it->recommended_at != 0 ? "+" : " ");
	if (*it->url != '\0')
		snprintf(right, sizeof(right), "%s", _("link"));
	else {
		library_fmt_size(it->size, size, sizeof(size));
		snprintf(right, sizeof(right), "%s", size);
	}
	rw = text_width(right);
	ui_text(y, 5, COLS - 5 - rw - 3, it->title);
	ui_text(y, COLS - rw - 1, rw, right);
}

static const struct ui_keydef ui_library_items_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("view"),
	  .help = N_("the card of the marked item") },
	UI_KEY_BACK,
};

/* List the items f finds under title; Enter opens one. */
static void
ui_library_browse(struct ui *ui, const char *title, const struct lib_filter *f)
{
	struct lib_viewer v = viewer(ui);
	UI_ROWS(struct lib_item) l;
	size_t		 sel = 0;
	struct ui_keys	*ks = UI_KEYS(ui_library_items_keys, NULL);
	int64_t		 id;

	for (;;) {
		if (library_list(ui->st, &v, f, &l.v, &l.n) != 0) {
			ui_notice(ui, _("The library is not available now."));
			return;
		}
		ks->about = N_("In the list, + marks a recommended item, ? one "
		    "waiting for approval.");
		if (ui_list(ui, title, ks, l.n, ui_library_items_draw, l.v, &sel,
		    NULL) != UI_LIST_PICK) {
			library_list_free(l.v, l.n);
			return;
		}
		id = l.v[sel].id;
		library_list_free(l.v, l.n);
		ui_library_card(ui, id);
	}
}

/* ---- sections --------------------------------------------------------- */

static const struct ui_keydef sections_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("choose"),
	  .help = N_("choose the marked section") },
	UI_KEY_BACK,
};

static void
sections_draw(size_t i, int y, void *arg)
{
	struct lib_section *sec = (struct lib_section *)arg + i;
	char		 n[32];

	snprintf(n, sizeof(n), "%lld", (long long)sec->items);
	ui_text(y, 3, 14, sec->name);
	ui_text_pair(y, 18, 1, sec->title, n);
}

/* Let the user pick a section: a new copy of its name, or NULL. */
static char *
section_pick(struct ui *ui, const char *title)
{
	UI_ROWS(struct lib_section) l;
	size_t		 sel = 0;
	char		*name = NULL;

	if (library_section_list(ui->st, &l.v, &l.n) != 0) {
		ui_notice(ui, _("The library is not available now."));
		return NULL;
	}
	if (l.n == 0)
		ui_notice(ui, _("The library has no sections yet; the sysop "
		    "makes them."));
	else if (ui_list(ui, title, UI_KEYS(sections_keys, NULL), l.n,
	    sections_draw, l.v, &sel, NULL) == UI_LIST_PICK)
		name = xstrdup(l.v[sel].name);
	library_section_list_free(l.v, l.n);
	return name;
}

static int
ui_library_menu_sections(struct ui *ui)
{
	char		*name, title[160];

	while ((name = section_pick(ui, _("Library sections"))) != NULL) {
		snprintf(title, sizeof(title), "%s: %s", _("Library"), name);
		ui_library_browse(ui, title,
		    &(struct lib_filter){ .section = name });
		free(name);
	}
	return 0;
}

/* Ask one line; a new string, or NULL on Esc. */
static char *
ask(struct ui *ui, const char *title, const char *label, size_t max)
{
	struct ui_field	 f[1] = { { label, NULL, max, 0 } };

	f[0].value = xstrdup("");
	if (!ui_form(ui, title, "", f, 1, NULL, NULL)) {
		free(f[0].value);
		return NULL;
	}
	text_trim(f[0].value);
	return f[0].value;
}

static int
ui_library_menu_by_grade(struct ui *ui)
{
	char		*g, *end, title[128];
	long		 grade;

	if ((g = ask(ui, _("Library by grade"), N_("Grade (1-11)"), 2)) == NULL)
		return 0;
	grade = strtol(g, &end, 10);
	if (*g == '\0' || *end != '\0' || grade < 1 || grade > 11)
		ui_notice(ui, _(perr_str(PERR_LIB_GRADES)));
	else {
		snprintf(title, sizeof(title), _("Library: grade %ld"), grade);
		ui_library_browse(ui, title,
		    &(struct lib_filter){ .grade = (int)grade });
	}
	free(g);
	return 0;
}

static int
ui_library_menu_by_tag(struct ui *ui)
{
	char		*t, title[160];

	if ((t = ask(ui, _("Library by tag"), N_("Tag"), 40)) == NULL)
		return 0;
	if (*t != '\0' && text_check(t, 40, 0) == 0) {
		snprintf(title, sizeof(title), "%s: %s", _("Library by tag"), t);
		ui_library_browse(ui, title, &(struct lib_filter){ .tag = t });
	}
	free(t);
	return 0;
}

int
ui_library_pending(struct ui *ui)
{
	if (!library_may_moderate((int)ui->user->role)) {
		ui_notice(ui, _("Only experts and coordinators approve items."));
		return 0;
	}
	ui_library_browse(ui, _("Waiting for approval"),
	    &(struct lib_filter){ .pending_only = 1 });
	return 0;
}

static int
ui_library_menu_mine(struct ui *ui)
{
	ui_library_browse(ui, _("My items in the library"),
	    &(struct lib_filter){ .mine = 1 });
	return 0;
}

/* ---- describing an upload, adding a link ------------------------------ */

enum { D_TITLE, D_DESC, D_GRADES, D_TAGS, D_URL, D_N };

struct describe {
	struct ui_field	 f[D_N];
	size_t		 n;		/* fields shown: D_URL only for links */
	const char	*section;
	const char	*upload;	/* the file's name; NULL for a link */
	char		 req[37];	/* the request's UUID, one per form */
	int64_t		 id;
	int		 pending;
	int		 queued;	/* in a client's outbox: not sent yet */
};

static int
describe_check(struct ui *ui, void *arg)
{
	static const char *const names[D_N] = {
		"title", "description", "grades", "tags", "url"
	};
	struct describe	*d = arg;
	struct lib_meta	 m;
	struct request	 r;
	struct request_result res;
	const char	*bad = NULL;
	size_t		 i;
	int		 rc, approval = 0;

	for (i = 0; i < d->n; i++)
		text_trim(d->f[i].value);
	m.section = d->section;
	m.title = d->f[D_TITLE].value;
	m.description = d->f[D_DESC].value;
	m.grades = d->f[D_GRADES].value;
	m.tags = d->f[D_TAGS].value;
	request_init(&r, d->upload != NULL ? REQ_LIB_FILE : REQ_LIB_LINK,
	    ui->user);
	strlcpy_p(r.uuid, d->req, sizeof(r.uuid));
	r.name = d->upload;
	r.text = d->f[D_URL].value;
	r.meta = &m;
	rc = ui_apply(ui, &r, &res);
	bad = res.bad_field;
	d->id = res.id;
	if (rc == 0) {
		/* The item is in: whether it waits is only what to say. */
		d->queued = res.queued;
		d->pending = library_section_exists(ui->st, d->section,
		    &approval) == 0 && approval &&
		    !library_may_moderate((int)ui->user->role);
		return -1;
	}
	for (i = 0; bad != NULL && i < d->n; i++)
		if (strcmp(names[i], bad) == 0)
			break;
	if (bad == NULL || i == d->n)
		i = 0;
	ui_status(ui, "%s: %s", bad != NULL ? _(d->f[i].label) : _("Library"),
	    _(perr_str(rc)));
	refresh();
	return (int)i;
}

/* The form for a new item; upload NULL makes a link (ui.h). */
void
ui_library_describe(struct ui *ui, const char *upload)
{
	struct describe	 d;
	char		*section, *dot;
	size_t		 i;

	if ((section = section_pick(ui, _("Choose a section"))) == NULL)
		return;
	memset(&d, 0, sizeof(d));
	uuid_v4(d.req);
	d.f[D_TITLE] = (struct ui_field){ N_("Title"), NULL, LIB_TITLE_MAX, 0 };
	d.f[D_DESC] = (struct ui_field){ N_("Description"), NULL, LIB_DESC_MAX,
	    UI_FIELD_TEXT };
	d.f[D_GRADES] = (struct ui_field){ N_("Grades (e.g. 5-7)"), NULL, 40, 0 };
	d.f[D_TAGS] = (struct ui_field){ N_("Tags, comma-separated"), NULL,
	    LIB_TAGS_MAX, 0 };
	d.f[D_URL] = (struct ui_field){ N_("Link (https://...)"), NULL,
	    LIB_URL_MAX, 0 };
	for (i = 0; i < D_N; i++)
		d.f[i].value = xstrdup("");
	d.n = upload != NULL ? D_URL : D_N;
	d.section = section;
	d.upload = upload;
	if (upload != NULL) {
		/* The file's name without its extension is a fair start. */
		free(d.f[D_TITLE].value);
		d.f[D_TITLE].value = xstrdup(upload);
		if ((dot = strrchr(d.f[D_TITLE].value, '.')) != NULL &&
		    dot != d.f[D_TITLE].value)
			*dot = '\0';
	}
	if (ui_form(ui, upload != NULL ? _("Describe the file") : _("Add a link"),
	    upload != NULL ? upload : _("A link to material elsewhere on the "
	    "Internet."), d.f, d.n, describe_check, &d))
		ui_notice(ui, d.queued && upload != NULL ? _("The file waits in "
		    "the outbox: it is sent when the link allows, and is in the "
		    "library once the server has it whole.") : d.pending ?
		    _("Added. The item waits for an expert's approval; until "
		    "then only you see it.") : _("Added to the library."));
	for (i = 0; i < D_N; i++)
		free(d.f[i].value);
	free(section);
}

static int
ui_library_menu_link(struct ui *ui)
{
	ui_library_describe(ui, NULL);
	return 0;
}

static int
ui_library_menu_back(struct ui *ui)
{
	(void)ui;
	return 1;
}

static const struct ui_item library_menu[] = {
	{ .key = L's', .label = N_("Sections"),
	  .fn = ui_library_menu_sections },
	{ .key = L'f', .label = N_("Search the library"),
	  .fn = ui_search_library },
	{ .key = L'g', .label = N_("By grade"),
	  .fn = ui_library_menu_by_grade },
	{ .key = L't', .label = N_("By tag"), .fn = ui_library_menu_by_tag },
	{ .key = L'l', .label = N_("Add a link"), .fn = ui_library_menu_link },
	{ .key = L'm', .label = N_("My items"), .fn = ui_library_menu_mine },
	{ .key = L'a', .label = N_("Waiting for approval (experts)"),
	  .fn = ui_library_pending },
	{ .key = L'q', .label = N_("Back"), .fn = ui_library_menu_back },
};

int
ui_library(struct ui *ui)
{
	const struct ui_host *h = ui->p->host;

	ui_doing(ui, "library");
	ui_menu_host(ui, N_("Library"), library_menu, nitems(library_menu),
	    h != NULL ? h->library_menu : NULL,
	    h != NULL ? h->library_menu_n : 0, 1);
	ui_doing(ui, "menu");
	return 0;
}
