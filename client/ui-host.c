/*
 * ui-host.c: the client's host of the shared screens (common/ui/,
 * struct ui_host): the BBS's own screens over the local copy, on the
 * user's terminal, at the speed of her own disk.
 *
 * What differs from partad's host: every write goes into the outbox
 * (sync-local.c) through the apply hook, and shows in the copy at once;
 * lists watch the store, so that what the syncer (another process, with
 * its own connection) commits appears by itself; the header's right end
 * shows the link and the outbox (the status the syncer writes, see
 * client_status_*()); and the main menu has an Outbox screen: what
 * waits, what the server refused and why, each mended in the editor,
 * sent again or given up (with a question first) on request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "client.h"
#include "i18n.h"
#include "log.h"
#include "perr.h"
#include "request.h"
#include "store.h"
#include "sync-local.h"
#include "sync-proto.h"
#include "text.h"
#include "ui/ui.h"
#include "user.h"
#include "util.h"

struct client_ui {
	struct client_files	 files;		/* the host's arg */
	struct sync_local	*sl;
	const char		*dir;		/* the cache directory */
	int			 offline;	/* never connects */
	int64_t			 started;
	client_ui_keep_fn	 keep;		/* a digest's: client_ui_keep() */
	void			*keep_arg;
};

static struct client_ui client_ui;

/* ---- the status of the link, written by the syncer --------------- */

void
client_status_write(const char *dir, enum client_link state, int64_t since,
    int64_t last_sync)
{
	char	*path = xasprintf("%s/status", dir), *tmp;
	FILE	*fp;

	tmp = xasprintf("%s.tmp", path);
	if ((fp = fopen(tmp, "w")) != NULL) {
		fprintf(fp, "%d %lld %lld\n", (int)state, (long long)since,
		    (long long)last_sync);
		if (fclose(fp) == 0)
			(void)rename(tmp, path);
	}
	free(tmp);
	free(path);
}

int
client_status_read(const char *dir, enum client_link *state, int64_t *since,
    int64_t *last_sync)
{
	char		*path = xasprintf("%s/status", dir);
	FILE		*fp;
	int		 s, rc = -1;
	long long	 a, b;

	if ((fp = fopen(path, "r")) != NULL) {
		if (fscanf(fp, "%d %lld %lld", &s, &a, &b) == 3 && s >= 0 &&
		    s <= CLIENT_LINK_OFFLINE) {
			*state = (enum client_link)s;
			*since = a;
			*last_sync = b;
			rc = 0;
		}
		fclose(fp);
	}
	free(path);
	return rc;
}

/* "HH:MM" of t, local time. */
static const char *
client_ui_hhmm(int64_t t, char *buf, size_t len)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (t <= 0 || localtime_r(&tt, &tm) == NULL)
		snprintf(buf, len, "--:--");
	else
		strftime(buf, len, "%H:%M", &tm);
	return buf;
}

static void
client_ui_header(struct ui *ui, char *buf, size_t size)
{
	enum client_link	 state = CLIENT_LINK_OFFLINE;
	int64_t			 since = client_ui.started, last = 0, held;
	char			 a[8], b[8], link[64];

	(void)ui;
	/* A file or a long pull on the move says how far it has come. */
	if (!client_ui.offline && client_files_progress(client_ui.dir, buf,
	    size) == 0)
		return;
	if (!client_ui.offline)
		(void)client_status_read(client_ui.dir, &state, &since, &last);
	/* The header leaves a third of the width to this: short words. */
	switch (state) {
	case CLIENT_LINK_ONLINE:
		if (last > 0)
			snprintf(link, sizeof(link), _("online %s"),
			    client_ui_hhmm(last, b, sizeof(b)));
		else
			snprintf(link, sizeof(link), "%s", _("online"));
		break;
	case CLIENT_LINK_CONNECTING:
		snprintf(link, sizeof(link), "%s", _("connecting"));
		break;
	case CLIENT_LINK_REFUSED:
		/* parta.log (and parta --sync) say why. */
		snprintf(link, sizeof(link), "%s", _("login refused"));
		break;
	default:
		snprintf(link, sizeof(link), _("offline since %s"),
		    client_ui_hhmm(since, a, sizeof(a)));
	}
	/* A count that failed (logged) is not known: never a number. */
	if ((held = sync_local_outbox_held(client_ui.sl)) < 0)
		snprintf(buf, size, _("%s, outbox ?"), link);
	else
		snprintf(buf, size, _("%s, outbox %lld"), link,
		    (long long)held);
}

void
client_ui_keep(client_ui_keep_fn fn, void *arg)
{
	client_ui.keep = fn;
	client_ui.keep_arg = arg;
}

/* The outbox took a write of kind (NULL: the outbox screen changed
 * it): kept where the host's keep says, before the screen says it went
 * (a digest's reading writes its reply packet).  0 or PERR_PACKET. */
static int
client_ui_kept(const char *kind, char **cause)
{
	if (client_ui.keep == NULL)	/* her cache: the outbox is kept */
		return 0;
	return client_ui.keep(client_ui.sl, kind, client_ui.keep_arg,
	    cause) == 0 ? 0 : PERR_PACKET;
}

/* rc of a write into her own files, as she is to read it: PERR_FULL
 * speaks of the server's disk, and this one is her computer's. */
static int
client_ui_local(int rc)
{
	return rc == PERR_FULL ? PERR_LOCAL_FULL : rc;
}

/* A write: into the outbox, and into the copy at once.  A digest's
 * outbox (a keep is set) is never sent: her edit or delete of her own
 * post changes the reply or thread that waits in it (sync_local_fold()),
 * as a reply packet carries posts and letters, not changes to them;
 * one of a post the server has is refused at once. */
static int
client_ui_apply(struct ui *ui, struct request *r, struct request_result *res,
    char **cause)
{
	const char	*kind = request_type(r->kind)->name;
	int		 rc;

	*cause = NULL;
	if (client_ui.keep != NULL && (r->kind == REQ_POST_EDIT ||
	    r->kind == REQ_POST_DELETE)) {
		if ((rc = sync_local_fold(client_ui.sl, r, res)) != 0)
			*cause = xasprintf("%s %s: %s", kind, r->uuid,
			    perr_str(rc));
		kind = NULL;	/* the outbox changed: the packet follows */
	} else if (r->kind == REQ_LIB_FILE) {
		/* A file of hers: a copy and an item of the outbox. */
		memset(res, 0, sizeof(*res));
		if ((rc = client_files_queue(ui, r, cause)) == 0)
			res->queued = 1;
	} else if ((rc = sync_local_queue(client_ui.sl, r, res)) != 0)
		*cause = xasprintf("%s %s: %s", request_type(r->kind)->name,
		    r->uuid, perr_str(rc));
	else
		res->queued = 1;
	/* A failed keep is a failed write: she sends it again (the same
	 * UUID: the outbox and the copy take it once). */
	if (rc == 0 && (rc = client_ui_kept(kind, cause)) != 0)
		res->queued = 0;
	return client_ui_local(rc);
}

/* ---- the outbox screen --------------------------------------------- */

struct client_ui_rows {
	struct sync_outbox_item	*v;
	size_t			 n;
};

static void
client_ui_rows_free(struct client_ui_rows *l)
{
	sync_outbox_free(l->v, l->n);
	l->v = NULL;
	l->n = 0;
}

/* The waiting items, then the refused: 0 or PERR_DB. */
static int
client_ui_rows_read(struct client_ui_rows *l)
{
	struct sync_outbox_item	*r = NULL;
	size_t			 nr = 0;

	client_ui_rows_free(l);
	if (sync_local_outbox(client_ui.sl, SYNC_OUTBOX_WAITING, &l->v,
	    &l->n) != 0 || sync_local_outbox(client_ui.sl,
	    SYNC_OUTBOX_REFUSED, &r, &nr) != 0) {
		sync_outbox_free(r, nr);
		return PERR_DB;
	}
	l->v = xrealloc(l->v, (l->n + nr + 1) * sizeof(*l->v));
	if (nr > 0)
		memcpy(l->v + l->n, r, nr * sizeof(*r));
	l->n += nr;
	free(r);
	return 0;
}

/* What the user wrote in item it (its subject and body), as text. */
static char *
client_ui_item_text(const struct sync_outbox_item *it)
{
	struct sync_msg	 m;
	char		*s = xstrdup(""), *t;
	size_t		 i;

	memset(&m, 0, sizeof(m));
	if (sync_decode(it->frame, it->len, 0, &m) == 0 &&
	    m.type == SYNC_PUSH) {
		for (i = 0; i < m.push.nfields; i++) {
			if (m.push.fields[i].type != SYNC_F_TEXT)
				continue;
			t = xasprintf("%s%s\n", s, m.push.fields[i].s);
			free(s);
			s = t;
		}
	}
	sync_msg_free(&m);
	return s;
}

static void
client_ui_draw(size_t i, int y, void *arg)
{
	struct sync_outbox_item	*it = (struct sync_outbox_item *)arg + i;
	char			 date[32], *text, *nl;
	int64_t			 have, size;

	ui_text(y, 3, 16, text_date(it->created_at, TEXT_DATE_MINUTE, date,
	    sizeof(date)));
	ui_text(y, 21, 12, it->state == SYNC_OUTBOX_WAITING ? _("waiting") :
	    _("refused"));
	if (it->state == SYNC_OUTBOX_REFUSED)
		ui_text(y, 34, COLS - 35, it->reason);
	else {
		text = client_ui_item_text(it);
		if ((nl = strchr(text, '\n')) != NULL)
			*nl = '\0';
		/* An upload: how much of its file the server holds. */
		if (sync_local_upload_progress(client_ui.sl, it->uuid, &have,
		    &size) == 0) {
			nl = xasprintf(_("%s, sent %d%%"), text, size > 0 ?
			    (int)(have * 100 / size) : 100);
			free(text);
			text = nl;
		}
		ui_text(y, 34, COLS - 35, text);
		free(text);
	}
}

/* Which writes the editor can mend: the draft kind the editor saves
 * under, and the field that names where the text goes. */
static const struct {
	const char	*kind;		/* the request's */
	const char	*draft;
	const char	*target;
} client_ui_texts[] = {
	{ .kind = "reply", .draft = "reply", .target = "thread" },
	{ .kind = "thread-new", .draft = "post", .target = "board" },
	{ .kind = "post-edit", .draft = "edit", .target = "post" },
	{ .kind = "mail-send", .draft = "mail", .target = "to" },
};

/* Fill doc from the refused item it: 0, or -1 when it carries no text
 * the editor can mend. */
static int
client_ui_doc(const struct sync_outbox_item *it, struct ui_doc *doc)
{
	const struct sync_field	*f;
	struct sync_msg		 m;
	size_t			 k, i;

	memset(doc, 0, sizeof(*doc));
	for (k = 0; k < nitems(client_ui_texts); k++)
		if (strcmp(client_ui_texts[k].kind, it->kind) == 0)
			break;
	memset(&m, 0, sizeof(m));
	if (k == nitems(client_ui_texts) || sync_decode(it->frame, it->len, 0,
	    &m) != 0 || m.type != SYNC_PUSH) {
		sync_msg_free(&m);
		return -1;
	}
	doc->title = N_("Outbox");
	doc->kind = client_ui_texts[k].draft;
	strlcpy_p(doc->uuid, it->uuid, sizeof(doc->uuid));
	snprintf(doc->info, sizeof(doc->info), _("Refused: %s"), it->reason);
	for (i = 0; i < m.push.nfields; i++) {
		f = &m.push.fields[i];
		if (strcmp(f->name, client_ui_texts[k].target) == 0 &&
		    f->type == SYNC_F_UUID)
			strlcpy_p(doc->target, f->s, sizeof(doc->target));
		else if (strcmp(f->name, "subject") == 0 &&
		    f->type == SYNC_F_TEXT) {
			doc->has_subject = 1;
			doc->subject = xstrdup(f->s);
		} else if (strcmp(f->name, "body") == 0 &&
		    f->type == SYNC_F_TEXT)
			doc->body = xstrdup(f->s);
	}
	sync_msg_free(&m);
	if (doc->body == NULL) {
		ui_doc_free(doc);
		return -1;
	}
	if (doc->subject == NULL)
		doc->subject = xstrdup("");
	return 0;
}

/* The outbox screen changed an item (rc: how that went): the keep
 * follows it (a digest's packet loses a deleted item, carries a mended
 * one), or she is told why not.  1 if all went well. */
static int
client_ui_changed(struct ui *ui, int rc)
{
	char	*cause = NULL;

	if (rc == 0 && (rc = client_ui_kept(NULL, &cause)) != 0)
		log_warn("outbox: %s", cause != NULL ? cause : "");
	free(cause);
	if (rc != 0)
		ui_notice(ui, _(perr_str(rc == PERR_PACKET ||
		    rc == PERR_FULL ? client_ui_local(rc) : PERR_DB)));
	return rc == 0;
}

/* The editor over a refused write; sent, it waits again, mended. */
static void
client_ui_mend(struct ui *ui, const struct sync_outbox_item *it)
{
	struct ui_doc	 doc;
	int		 rc;

	if (client_ui_doc(it, &doc) != 0) {
		ui_notice(ui, _("Only a text can be edited: send it again or "
		    "delete it."));
		return;
	}
	if (ui_edit(ui, &doc) != 1) {
		ui_doc_free(&doc);
		return;
	}
	if ((rc = sync_local_mend(client_ui.sl, it->uuid, doc.has_subject ?
	    doc.subject : NULL, doc.body)) != 0) {
		ui_notice(ui, _(perr_str(client_ui_local(rc))));
		ui_doc_free(&doc);
		return;
	}
	if (!client_ui_changed(ui, 0)) {
		ui_doc_free(&doc);
		return;
	}
	ui_doc_done(ui, &doc);
	ui_notice(ui, _("Mended: it goes to the server at the next sync."));
}

static const struct ui_keydef client_ui_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("read"),
	  .help = N_("read the marked write and what the server said") },
	{ .key = L's', .label = N_("send again"),
	  .help = N_("send a refused write again at the next sync"),
	  .may = ui_keys_may_flag },
	{ .key = L'e', .label = N_("edit"),
	  .help = N_("mend a refused text in the editor and send it again"),
	  .may = ui_keys_may_flag },
	{ .key = L'd', .label = N_("delete"),
	  .help = N_("give up a refused write: the server never gets it"),
	  .may = ui_keys_may_flag },
	UI_KEY_BACK,
};

static void
client_ui_show(struct ui *ui, const struct sync_outbox_item *it)
{
	char	*head, *body, date[32];
	wint_t	 key;

	if (it->state == SYNC_OUTBOX_REFUSED)
		head = xasprintf(_("%s, written %s: refused by the server:\n%s"),
		    it->kind, text_date(it->created_at, TEXT_DATE_MINUTE, date,
		    sizeof(date)), it->reason);
	else
		head = xasprintf(_("%s, written %s: waiting to be sent"),
		    it->kind, text_date(it->created_at, TEXT_DATE_MINUTE, date,
		    sizeof(date)));
	body = client_ui_item_text(it);
	(void)ui_viewer(ui, _("Outbox"), head, body, NULL, &key);
	free(head);
	free(body);
}

static int
client_ui_outbox(struct ui *ui)
{
	struct client_ui_rows	 l = { NULL, 0 };
	size_t			 sel = 0;
	wint_t			 key;
	int			 rc, refused = 0;

	ui_doing(ui, "outbox");
	for (;;) {
		rc = client_ui_rows_read(&l);
		if (!ui_list_ready(ui, rc, l.n, N_("The outbox is empty: the "
		    "server has everything you wrote.")))
			break;
		refused = sel < l.n && l.v[sel].state == SYNC_OUTBOX_REFUSED;
		rc = ui_list_again(ui, _("Outbox"), UI_KEYS(client_ui_keys,
		    &refused), l.n, client_ui_draw, l.v, &sel, &key);
		if (rc == UI_LIST_BACK)
			break;
		if (rc == UI_LIST_KEY && key == L's') {
			if (l.v[sel].state == SYNC_OUTBOX_REFUSED)
				client_ui_changed(ui, sync_local_retry(
				    client_ui.sl, l.v[sel].uuid));
		} else if (rc == UI_LIST_KEY && key == L'e') {
			if (l.v[sel].state == SYNC_OUTBOX_REFUSED)
				client_ui_mend(ui, &l.v[sel]);
		} else if (rc == UI_LIST_KEY && key == L'd') {
			if (l.v[sel].state == SYNC_OUTBOX_REFUSED &&
			    ui_confirm(ui, _("Delete this write? The server will "
			    "never get it.")))
				client_ui_changed(ui, sync_local_drop(
				    client_ui.sl, l.v[sel].uuid));
		} else if (rc == UI_LIST_PICK)
			client_ui_show(ui, &l.v[sel]);
	}
	client_ui_rows_free(&l);
	return 0;
}

/* The link is up now, as the syncer last wrote: chat takes text only
 * then (its lines need the server; an outbox would send them late). */
static int
client_ui_linked(struct ui *ui)
{
	enum client_link	 state = CLIENT_LINK_OFFLINE;
	int64_t			 since, last;

	(void)ui;
	if (client_ui.offline || client_status_read(client_ui.dir, &state,
	    &since, &last) != 0)
		return 0;
	return state == CLIENT_LINK_ONLINE;
}

static const struct ui_host_item client_ui_main[] = {
	{ .after = 0, .item = { .key = L'o', .label = N_("Outbox"),
	  .fn = client_ui_outbox } },
};

static const struct ui_host_item client_ui_library[] = {
	{ .after = L'l', .item = { .key = L'u',
	  .label = N_("Upload a file from this computer"),
	  .fn = client_files_upload } },
};

static struct ui_host client_ui_host = {
	.idle_limit = 0,		/* her own machine: never */
	.guest_idle_limit = 0,
	.apply = client_ui_apply,
	.header_right = client_ui_header,
	.linked = client_ui_linked,
	.main_menu = client_ui_main,
	.main_menu_n = nitems(client_ui_main),
	.library_menu = client_ui_library,
	.library_menu_n = nitems(client_ui_library),
	.card_foot = client_files_foot,
	.watch_store = 1,
	.esc_delay_ms = 25,		/* a local pty: Esc comes whole */
	.arg = &client_ui.files,
};

int
client_ui_run(struct sync_local *sl, const char *dir, const char *login,
    int offline, int cs)
{
	struct ui_params	 p;
	struct user		*u = NULL;
	char			*path;
	int			 rc;

	if (user_get(sync_local_store(sl), login, &u) != 0) {
		fprintf(stderr, _("parta: the local copy holds no account "
		    "%s yet: sync first (parta --sync)\n"), login);
		return 1;
	}
	client_ui.sl = sl;
	client_ui.dir = dir;
	client_ui.files.sl = sl;
	client_ui.files.dir = dir;
	client_ui.files.linked = client_ui_linked;
	client_ui_host.card_keys = client_files_card(
	    &client_ui_host.card_keys_n);
	client_ui.offline = offline;
	client_ui.started = now_unix();
	path = xasprintf("%s/%s", dir, SYNC_LOCAL_COPY);
	ui_params_local(&p, u, path);
	user_free(u);
	/* The pump in the parent (term.c) converts to it. */
	p.charset = cs;
	p.store_mode = STORE_LOCAL;
	p.localedir = i18n_localedir(LOCALEDIR);
	p.host = &client_ui_host;
	rc = ui_run(&p);
	free(path);
	return rc;
}
