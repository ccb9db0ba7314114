/*
 * ui-library.c: the library in the interactive BBS: browse by section,
 * grade or tag, or search it (ui-search.c); an item's card (title, description, author, date, size,
 * downloads, recommendation) with the exact sftp and scp command lines
 * that fetch it; describe an upload from one's SFTP upload folder, or add
 * a link; experts and coordinators approve and recommend.
 *
 * Files travel over SFTP (sftp.c), with the command lines the card
 * shows.  A teacher without an SFTP client whose terminal receives
 * ZMODEM gets the file through the BBS session itself ("z" on the card,
 * ui-zmodem.c).  On a slow link that costs up to a quarter more bytes
 * than SFTP (ZMODEM escapes the 64 control byte values), a fair price
 * for a file that could not be had otherwise.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "blob.h"
#include "charset.h"
#include "i18n.h"
#include "library.h"
#include "log.h"
#include "online.h"
#include "perr.h"
#include "post.h"
#include "request.h"
#include "store.h"
#include "text.h"
#include "translit.h"
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

/* A form check that takes what was typed; the caller checks after. */
static int
accept_any(struct ui *ui, void *arg)
{
	(void)ui;
	(void)arg;
	return -1;
}

/* The host users reach the server by, for command lines. */
static const char *
public_host(struct ui *ui, char *buf, size_t size)
{
	const char	*h = ui->p->cfg->public_host;

	if (h != NULL && *h != '\0')
		return h;
	if (gethostname(buf, size) != 0 || *buf == '\0')
		strlcpy_p(buf, "localhost", size);
	buf[size - 1] = '\0';
	return buf;
}

/* ---- an item's card ------------------------------------------------- */

static void
card_line(int *y, const char *label, const char *value)
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
card_draw(struct ui *ui, const struct lib_item *it)
{
	char		 buf[512], date[32], size[32], hostbuf[256];
	const char	*host;
	struct thread	*t = NULL;
	int		 y = BODY_TOP, port = ui->p->cfg->port;

	erase();
	ui_header(ui, _("Library item"));
	attron(A_BOLD);
	y = ui_wrap(y, 2, y + 2, COLS - 4, it->title);
	attroff(A_BOLD);
	card_line(&y, N_("Section:"), it->section);
	snprintf(buf, sizeof(buf), "%s (%s)", it->uploader_name, it->uploader);
	card_line(&y, N_("Author:"), *it->uploader != '\0' ? buf : "-");
	card_line(&y, N_("Date:"), text_date(it->created_at, TEXT_DATE_ISO_DAY, date, sizeof(date)));
	if (*it->url != '\0')
		card_line(&y, N_("Link:"), it->url);
	else {
		library_fmt_size(it->size, size, sizeof(size));
		snprintf(buf, sizeof(buf), "%s, %s", it->filename, size);
		card_line(&y, N_("File:"), buf);
	}
	if (*it->grades != '\0')
		card_line(&y, N_("Grades:"), it->grades);
	if (*it->tags != '\0')
		card_line(&y, N_("Tags:"), it->tags);
	snprintf(buf, sizeof(buf), "%lld", (long long)it->downloads);
	card_line(&y, N_("Downloads:"), buf);
	if (it->approved_at == 0)
		card_line(&y, N_("Status:"), _("waiting for approval"));
	if (it->recommended_at != 0) {
		snprintf(buf, sizeof(buf), _("yes, by %s: %s"),
		    *it->recommender != '\0' ? it->recommender : "-", it->review);
		card_line(&y, N_("Recommended:"), buf);
	}
	if (it->thread_id != 0 &&
	    post_thread_get(ui->st, ui->user, it->thread_id, &t) == 0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)t->posts);
		card_line(&y, N_("Comments:"), buf);
		post_thread_free(t);
	}
	if (*it->description != '\0' && y < LINES - 6) {
		y++;
		y = ui_wrap(y, 2, LINES - 6, COLS - 4, it->description);
	}
	if (*it->url == '\0' && y < LINES - 4) {
		/* Exactly what to type: the ASCII path survives any
		 * terminal and keyboard; the UTF-8 one keeps the name. */
		y = LINES - 5;
		ui_text(y++, 2, 0, _("Download with sftp or scp (your password"
		    " or key, as for the BBS):"));
		host = public_host(ui, hostbuf, sizeof(hostbuf));
		snprintf(buf, sizeof(buf), "sftp -P %d %s@%s:/ascii/%s/%s", port,
		    ui->user->login, host, it->section, it->filename_ascii);
		ui_text(y++, 4, 0, buf);
		snprintf(buf, sizeof(buf), "scp -P %d '%s@%s:/library/%s/%s' .",
		    port, ui->user->login, host, it->section, it->filename);
		ui_text(y++, 4, 0, buf);
	}
}

/* Ask for a review and record the recommendation. */
static void
card_recommend(struct ui *ui, const struct lib_item *it)
{
	struct ui_field	 f[1] = {
		{ N_("Review"), NULL, LIB_REVIEW_MAX, 0 },
	};
	struct request	 r;
	int		 rc;

	f[0].value = xstrdup(it->review);
	for (;;) {
		if (!ui_form(ui, _("Recommend"), _("A short review: why this "
		    "material is good, for whom."), f, 1, accept_any, NULL))
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

/* Write a comment on it, then show the thread of comments. */
static void
card_comment(struct ui *ui, const struct lib_item *it)
{
	struct ui_field	 f[1] = {
		{ N_("Comment"), NULL, 1000, 0 },
	};
	struct request	 r;
	struct request_result res;
	int		 rc;

	f[0].value = xstrdup("");
	for (;;) {
		if (!ui_form(ui, _("Comment on the item"), it->title, f, 1,
		    accept_any, NULL))
			break;
		text_trim(f[0].value);
		request_init(&r, REQ_LIB_COMMENT, ui->user);
		r.item = it->uuid;
		r.body = f[0].value;
		if ((rc = ui_apply(ui, &r, &res)) == 0) {
			ui_thread_open(ui, res.id, INT64_MAX);
			break;
		}
		ui_status(ui, "%s: %s", _("Comment"), _(perr_str(rc)));
		refresh();
	}
	free(f[0].value);
}

/* Approve a pending item. */
static const char *
card_approve(struct ui *ui, const struct lib_item *it)
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
card_comments(struct ui *ui, const struct lib_item *it)
{
	if (it->thread_id != 0)
		ui_thread_open(ui, it->thread_id, 0);
	else
		ui_notice(ui, _("No comments yet; w writes the first."));
	return NULL;
}

/* The seconds a ZMODEM transfer of size bytes may take: ten minutes to
 * start, then at least 512 bytes a second (4 kbit/s, a poor GPRS link);
 * only a guard against a transfer that never ends. */
#define ZMODEM_LIMIT(size)	(600 + (size) / 512)

/*
 * Tell what is about to happen and how to receive, under the name the
 * receiver will see.  1 when the user presses Enter to start.
 */
static int
zmodem_intro(struct ui *ui, const struct lib_item *it, const char *name)
{
	char	 buf[1024], size[32];
	wint_t	 wch;
	int	 y, k;

	for (;;) {
		erase();
		ui_header(ui, _("Download by ZMODEM"));
		library_fmt_size(it->size, size, sizeof(size));
		snprintf(buf, sizeof(buf), _("The file %s (%s) will be sent to "
		    "this terminal by ZMODEM."), name, size);
		y = ui_wrap(BODY_TOP, 2, LINES - 2, COLS - 4, buf) + 1;
		y = ui_wrap(y, 2, LINES - 2, COLS - 4, _("Your terminal must "
		    "receive ZMODEM: Tera Term, SecureCRT, ZOC, SyncTERM, "
		    "Xshell, Konsole (with lrzsz) do. PuTTY does not: use "
		    "the sftp or scp command from the card with it, or psftp "
		    "or WinSCP.")) + 1;
		y = ui_wrap(y, 2, LINES - 2, COLS - 4, _("Most terminals start "
		    "receiving by themselves; if yours does not, start its "
		    "ZMODEM receive (Tera Term: File > Transfer > ZMODEM > "
		    "Receive).")) + 1;
		(void)ui_wrap(y, 2, LINES - 2, COLS - 4, _("Ctrl-X five times "
		    "cancels the transfer and brings the BBS back."));
		ui_status(ui, "%s", _("Enter start  Esc back"));
		refresh();
		do
			k = ui_key(ui, &wch);
		while (k == UI_CHAR && wch != L'\r' && wch != L'\n' &&
		    wch != UI_ESC && !ui_is_key(wch, L'q'));
		if (k == UI_CHAR)
			return wch == L'\r' || wch == L'\n';
	}
}

/* Send the item's file into this terminal by ZMODEM. */
static const char *
card_zmodem(struct ui *ui, const struct lib_item *it)
{
	/* A UTF-8 terminal gets the real name; an 8-bit one the ASCII
	 * name, which any receiver can store whatever its code page. */
	const char	*name = ui->charset == CHARSET_UTF8 ? it->filename :
			    it->filename_ascii;
	char		*path;
	int		 rc;

	if (!zmodem_intro(ui, it, name))
		return NULL;
	path = blob_path(ui->st, it->sha256);
	rc = ui_zmodem_send(ui, path, name, ZMODEM_LIMIT(it->size));
	free(path);
	/* The file arrived; a count that could not be kept is the sysop's
	 * matter, not the reader's. */
	if (rc == UI_ZM_SENT &&
	    library_count_download(ui->st, it->id, ui->user->id) != 0)
		log_warn("library: download of item %lld not counted",
		    (long long)it->id);
	return ui_zmodem_strerror(rc);
}

static const char *
card_recommend_key(struct ui *ui, const struct lib_item *it)
{
	card_recommend(ui, it);
	return NULL;
}

static const char *
card_comment_key(struct ui *ui, const struct lib_item *it)
{
	card_comment(ui, it);
	return NULL;
}

/* When a key is offered. */
static int
may_approve(struct ui *ui, const struct lib_item *it)
{
	return library_may_moderate((int)ui->user->role) && it->approved_at == 0;
}

static int
may_recommend(struct ui *ui, const struct lib_item *it)
{
	(void)it;
	return library_may_moderate((int)ui->user->role);
}

static int
may_zmodem(struct ui *ui, const struct lib_item *it)
{
	return *it->url == '\0' && blob_valid_sha(it->sha256) &&
	    ui_zmodem_available(ui);
}

/* The card's keys, in the order of the status line.  An action returns
 * a sentence to show on the card drawn afresh, or NULL. */
static const struct card_key {
	wint_t		 key;
	const char	*help;		/* message id */
	int		(*offered)(struct ui *, const struct lib_item *);
	const char	*(*fn)(struct ui *, const struct lib_item *);
} card_keys[] = {
	{ L'a', N_("a approve"), may_approve, card_approve },
	{ L'r', N_("r recommend"), may_recommend, card_recommend_key },
	{ L'z', N_("z ZMODEM"), may_zmodem, card_zmodem },
	{ L'c', N_("c comments"), NULL, card_comments },
	{ L'w', N_("w write a comment"), NULL, card_comment_key },
};

/* The key of card_keys[] the user pressed if offered, else NULL. */
static const struct card_key *
card_key_find(struct ui *ui, const struct lib_item *it, wint_t wch)
{
	size_t	 i;

	for (i = 0; i < nitems(card_keys); i++)
		if (ui_is_key(wch, card_keys[i].key) &&
		    (card_keys[i].offered == NULL ||
		    card_keys[i].offered(ui, it)))
			return &card_keys[i];
	return NULL;
}

/* The status line: the keys offered, then Esc.  When that is wider than
 * the screen, one space between keys and no Esc, which every screen
 * knows: in Russian, a moderator's card of a pending file takes 89
 * columns with both. */
static void
card_help(struct ui *ui, const struct lib_item *it)
{
	char		 buf[512];
	const char	*sep;
	size_t		 i, o;
	int		 pass;

	for (pass = 0; pass < 2; pass++) {
		sep = pass == 0 ? "  " : " ";
		for (i = 0, o = 0, buf[0] = '\0'; i < nitems(card_keys); i++) {
			if (card_keys[i].offered != NULL &&
			    !card_keys[i].offered(ui, it))
				continue;
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s",
			    o > 0 ? sep : "", _(card_keys[i].help));
			if (o >= sizeof(buf))
				o = sizeof(buf) - 1;
		}
		if (pass == 0)
			snprintf(buf + o, sizeof(buf) - o, "%s%s", sep,
			    _("Esc back"));
		if (text_width(buf) <= COLS - 1)
			break;
	}
	ui_status(ui, "%s", buf);
}

/* Show item id until Esc: the keys of card_keys[] as offered (ui.h). */
void
ui_library_card(struct ui *ui, int64_t id)
{
	struct lib_viewer v = viewer(ui);
	struct lib_item	*it = NULL;
	const struct card_key *ck;
	const char	*said = NULL;
	wint_t		 wch;
	int		 k;

	for (;;) {
		library_item_free(it);
		if (library_get(ui->st, &v, id, &it) != 0) {
			ui_notice(ui, _("This item is no longer in the library."));
			return;
		}
		card_draw(ui, it);
		if (said != NULL) {
			ui_notice(ui, said);
			said = NULL;
		}
		card_help(ui, it);
		refresh();
		/* Keys that do nothing cost nothing: no redraw for them. */
		do
			k = ui_key(ui, &wch);
		while (!(k == UI_FUNC && wch == KEY_RESIZE) && !(k == UI_CHAR &&
		    (wch == UI_ESC || ui_is_key(wch, L'q') ||
		    card_key_find(ui, it, wch) != NULL)));
		if (k != UI_CHAR)
			continue;	/* a resize: draw again */
		if (wch == UI_ESC || ui_is_key(wch, L'q'))
			break;
		ck = card_key_find(ui, it, wch);
		said = ck->fn(ui, it);
	}
	library_item_free(it);
}

/* ---- lists of items --------------------------------------------------- */

struct items {
	struct lib_item	*v;
	size_t		 n;
};

static void
items_draw(size_t i, int y, void *arg)
{
	struct items	*l = arg;
	struct lib_item	*it = &l->v[i];
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

/* List the items f finds under title; Enter opens one. */
static void
items_browse(struct ui *ui, const char *title, const struct lib_filter *f)
{
	struct lib_viewer v = viewer(ui);
	struct items	 l;
	size_t		 sel = 0;
	int64_t		 id;

	for (;;) {
		if (library_list(ui->st, &v, f, &l.v, &l.n) != 0) {
			ui_notice(ui, _("The library is not available now."));
			return;
		}
		if (ui_list(ui, title, _("Enter open  + recommended  ? waiting"
		    " for approval  Esc back"), l.n, items_draw, &l, "", &sel,
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

struct sections {
	struct lib_section *v;
	size_t		 n;
};

static void
sections_draw(size_t i, int y, void *arg)
{
	struct sections	*l = arg;
	char		 n[32];
	int		 w;

	snprintf(n, sizeof(n), "%lld", (long long)l->v[i].items);
	w = text_width(n);
	ui_text(y, 3, 14, l->v[i].name);
	ui_text(y, 18, COLS - 18 - w - 2, l->v[i].title);
	ui_text(y, COLS - w - 1, w, n);
}

/* Let the user pick a section: a new copy of its name, or NULL. */
static char *
section_pick(struct ui *ui, const char *title)
{
	struct sections	 l;
	size_t		 sel = 0;
	char		*name = NULL;

	if (library_section_list(ui->st, &l.v, &l.n) != 0) {
		ui_notice(ui, _("The library is not available now."));
		return NULL;
	}
	if (l.n == 0)
		ui_notice(ui, _("The library has no sections yet; the sysop "
		    "makes them."));
	else if (ui_list(ui, title, _("Enter choose  Esc back"), l.n,
	    sections_draw, &l, "", &sel, NULL) == UI_LIST_PICK)
		name = xstrdup(l.v[sel].name);
	library_section_list_free(l.v, l.n);
	return name;
}

static int
lib_sections(struct ui *ui)
{
	struct lib_filter f;
	char		*name, title[160];

	while ((name = section_pick(ui, _("Library sections"))) != NULL) {
		memset(&f, 0, sizeof(f));
		f.section = name;
		snprintf(title, sizeof(title), "%s: %s", _("Library"), name);
		items_browse(ui, title, &f);
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
	if (!ui_form(ui, title, "", f, 1, accept_any, NULL)) {
		free(f[0].value);
		return NULL;
	}
	text_trim(f[0].value);
	return f[0].value;
}

static int
lib_by_grade(struct ui *ui)
{
	struct lib_filter f;
	char		*g, *end, title[128];
	long		 grade;

	if ((g = ask(ui, _("Library by grade"), N_("Grade (1-11)"), 2)) == NULL)
		return 0;
	grade = strtol(g, &end, 10);
	if (*g == '\0' || *end != '\0' || grade < 1 || grade > 11)
		ui_notice(ui, _(perr_str(PERR_LIB_GRADES)));
	else {
		memset(&f, 0, sizeof(f));
		f.grade = (int)grade;
		snprintf(title, sizeof(title), _("Library: grade %ld"), grade);
		items_browse(ui, title, &f);
	}
	free(g);
	return 0;
}

static int
lib_by_tag(struct ui *ui)
{
	struct lib_filter f;
	char		*t, title[160];

	if ((t = ask(ui, _("Library by tag"), N_("Tag"), 40)) == NULL)
		return 0;
	if (*t != '\0' && text_check(t, 40, 0) == 0) {
		memset(&f, 0, sizeof(f));
		f.tag = t;
		snprintf(title, sizeof(title), "%s: %s", _("Library by tag"), t);
		items_browse(ui, title, &f);
	}
	free(t);
	return 0;
}

static int lib_pending(struct ui *);

int
ui_library_pending(struct ui *ui)
{
	return lib_pending(ui);
}

static int
lib_pending(struct ui *ui)
{
	struct lib_filter f;

	if (!library_may_moderate((int)ui->user->role)) {
		ui_notice(ui, _("Only experts and coordinators approve items."));
		return 0;
	}
	memset(&f, 0, sizeof(f));
	f.pending_only = 1;
	items_browse(ui, _("Waiting for approval"), &f);
	return 0;
}

static int
lib_mine(struct ui *ui)
{
	struct lib_filter f;

	memset(&f, 0, sizeof(f));
	f.mine = 1;
	items_browse(ui, _("My items in the library"), &f);
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
		(void)library_section_exists(ui->st, d->section, &approval);
		d->pending = approval && !library_may_moderate((int)ui->user->role);
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

/* The form for a new item; upload NULL makes a link. */
static void
describe(struct ui *ui, const char *upload)
{
	struct describe	 d;
	char		*section, *dot;
	size_t		 i;

	if ((section = section_pick(ui, _("Choose a section"))) == NULL)
		return;
	memset(&d, 0, sizeof(d));
	uuid_v4(d.req);
	d.f[D_TITLE] = (struct ui_field){ N_("Title"), NULL, LIB_TITLE_MAX, 0 };
	d.f[D_DESC] = (struct ui_field){ N_("Description"), NULL, LIB_DESC_MAX, 0 };
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
		ui_notice(ui, d.pending ? _("Added. The item waits for an "
		    "expert's approval; until then only you see it.") :
		    _("Added to the library."));
	for (i = 0; i < D_N; i++)
		free(d.f[i].value);
	free(section);
}

struct uploads {
	char		**name;
	int64_t		*size;
	size_t		 n;
};

static void
uploads_free(struct uploads *u)
{
	size_t	 i;

	for (i = 0; i < u->n; i++)
		free(u->name[i]);
	free(u->name);
	free(u->size);
	memset(u, 0, sizeof(*u));
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of the user's upload folder, sorted by name. */
static void
uploads_read(struct ui *ui, struct uploads *u)
{
	char		*dir = library_upload_dir(ui->st, ui->user->id), *clean;
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;

	memset(u, 0, sizeof(*u));
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (fstatat(dirfd(d), de->d_name, &sb,
			    AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
				continue;
			if (translit_clean_name(de->d_name, strlen(de->d_name),
			    &clean) != 0 || strcmp(clean, de->d_name) != 0) {
				free(clean);
				continue;
			}
			u->name = xrealloc(u->name, (u->n + 1) * sizeof(*u->name));
			u->size = xrealloc(u->size, (u->n + 1) * sizeof(*u->size));
			u->name[u->n] = clean;
			u->size[u->n++] = sb.st_size;
		}
		closedir(d);
	}
	free(dir);
	/* Sort names and sizes together: sort the names, then restat. */
	if (u->n > 1) {
		char	**names = xmalloc(u->n * sizeof(*names));
		int64_t	*sizes = xmalloc(u->n * sizeof(*sizes));
		size_t	 i, j;

		memcpy(names, u->name, u->n * sizeof(*names));
		qsort(names, u->n, sizeof(*names), name_cmp);
		for (i = 0; i < u->n; i++)
			for (j = 0; j < u->n; j++)
				if (names[i] == u->name[j])
					sizes[i] = u->size[j];
		free(u->name);
		free(u->size);
		u->name = names;
		u->size = sizes;
	}
}

static void
uploads_draw(size_t i, int y, void *arg)
{
	struct uploads	*u = arg;
	char		 size[32];
	int		 w;

	library_fmt_size(u->size[i], size, sizeof(size));
	w = text_width(size);
	ui_text(y, 3, COLS - 3 - w - 3, u->name[i]);
	ui_text(y, COLS - w - 1, w, size);
}

static int
lib_uploads(struct ui *ui)
{
	struct uploads	 u;
	size_t		 sel = 0;
	wint_t		 key;
	char		*dir, *path, host[256], help[512];
	int		 r;

	for (;;) {
		uploads_read(ui, &u);
		if (u.n == 0) {
			erase();
			ui_header(ui, _("My upload folder"));
			ui_wrap(BODY_TOP, 2, LINES - 6, COLS - 4, _("Your upload "
			    "folder is empty. Upload files with any SFTP client "
			    "(WinSCP, FileZilla, sftp) using your login and "
			    "password, into the folder /upload; then describe "
			    "them here. For example:"));
			snprintf(help, sizeof(help), "sftp -P %d %s@%s",
			    ui->p->cfg->port, ui->user->login,
			    public_host(ui, host, sizeof(host)));
			ui_text(LINES - 5, 4, 0, help);
			ui_text(LINES - 4, 4, 0, "put plan.docx");
			ui_notice(ui, "");
			uploads_free(&u);
			return 0;
		}
		r = ui_list(ui, _("My upload folder"), _("Enter describe  d delete"
		    "  Esc back"), u.n, uploads_draw, &u, "d", &sel, &key);
		if (r == UI_LIST_BACK) {
			uploads_free(&u);
			return 0;
		}
		if (r == UI_LIST_PICK)
			describe(ui, u.name[sel]);
		else if (ui_confirm(ui, _("Delete this file from your upload "
		    "folder?"))) {
			dir = library_upload_dir(ui->st, ui->user->id);
			path = xasprintf("%s/%s", dir, u.name[sel]);
			if (unlink(path) != 0 && errno != ENOENT)
				ui_notice(ui, strerror(errno));
			free(path);
			free(dir);
		}
		uploads_free(&u);
	}
}

static int
lib_link(struct ui *ui)
{
	describe(ui, NULL);
	return 0;
}

static int
lib_back(struct ui *ui)
{
	(void)ui;
	return 1;
}

static const struct ui_item library_menu[] = {
	{ .key = L's', .label = N_("Sections"), .fn = lib_sections },
	{ .key = L'f', .label = N_("Search the library"),
	  .fn = ui_search_library },
	{ .key = L'g', .label = N_("By grade"), .fn = lib_by_grade },
	{ .key = L't', .label = N_("By tag"), .fn = lib_by_tag },
	{ .key = L'u', .label = N_("My upload folder: describe a file"),
	  .fn = lib_uploads },
	{ .key = L'l', .label = N_("Add a link"), .fn = lib_link },
	{ .key = L'm', .label = N_("My items"), .fn = lib_mine },
	{ .key = L'a', .label = N_("Waiting for approval (experts)"),
	  .fn = lib_pending },
	{ .key = L'q', .label = N_("Back"), .fn = lib_back },
};

int
ui_library(struct ui *ui)
{
	(void)online_doing(ui->st, getppid(), "library");
	ui_menu(ui, N_("Library"), library_menu, nitems(library_menu), 1);
	(void)online_doing(ui->st, getppid(), "menu");
	return 0;
}
