/*
 * ui-board.c: the boards as a teacher meets them: the board list with
 * counts of new posts, a board's threads (pinned first, then newest
 * activity, unread marked), the thread pager (one post at a time, walked
 * by post id, so a thread of thousands of posts costs one post), new
 * threads, replies with quoting, the new-scan across boards, the
 * author's own edits and deletions (for config edit_window minutes; the
 * store checks the window again when it writes), the coordinators'
 * moderation keys, and their boards' growth report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "board.h"
#include "draft.h"
#include "i18n.h"
#include "perr.h"
#include "post.h"
#include "report.h"
#include "request.h"
#include "store.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

/*
 * A send was refused for good (rc): keep the doc's text in a draft and
 * tell the user why, and whether it is kept.  1 when it is kept; 0 when
 * keeping it failed too: then the text stays in the editor.
 */
static int
keep_draft(struct ui *ui, struct ui_doc *doc, int rc)
{
	char	 msg[512];
	int	 kept;

	kept = draft_save(ui->st, ui->user->id, &doc->draft_id, doc->uuid,
	    doc->kind, doc->target, doc->subject != NULL ? doc->subject : "",
	    doc->body != NULL ? doc->body : "") == 0;
	snprintf(msg, sizeof(msg), "%s. %s", _(perr_str(rc)), kept ?
	    _("Your text is kept as a draft.") :
	    _("Keeping it as a draft failed too."));
	ui_notice(ui, msg);
	return kept;
}

/* ---- sending ------------------------------------------------------- */

/*
 * How a kind of post is sent: make() fills r from doc and checks the
 * text (0, or a PERR code with *field the translated label of what is
 * wrong, or NULL); a refusal listed in refused (0 ends the list) is for
 * good and keeps the text as a draft; another failure is told, under
 * the label fail (a message id, or NULL), and the text stays in the
 * editor.
 */
struct send_op {
	int		(*make)(struct ui *, struct ui_doc *, struct request *,
			    const char **field, const void *arg);
	int		 refused[8];
	const char	*fail;
};

/* Edit and send doc as op says until it is sent or the user leaves:
 * 1 if sent (doc is done; *res, if not NULL, what it made), 0 if not
 * (doc is freed, or kept as a draft). */
static int
ui_board_send(struct ui *ui, struct ui_doc *doc, const struct send_op *op,
    const void *arg, struct request_result *res)
{
	struct request	 r;
	const char	*field;
	int		 rc, sent = ui_edit(ui, doc), draft;
	size_t		 i;

	while (sent) {
		field = NULL;
		if ((rc = op->make(ui, doc, &r, &field, arg)) != 0) {
			ui_say_error(ui, field, rc);
			sent = ui_edit(ui, doc);
			continue;
		}
		if ((rc = ui_apply(ui, &r, res)) == 0)
			break;
		for (i = 0, draft = 0; i < nitems(op->refused) &&
		    op->refused[i] != 0; i++)
			draft |= rc == op->refused[i];
		if (!draft)
			ui_say_error(ui, op->fail != NULL ? _(op->fail) : NULL,
			    rc);
		else if (keep_draft(ui, doc, rc)) {
			ui_doc_free(doc);
			return 0;
		}
		sent = ui_edit(ui, doc);
	}
	if (!sent) {
		ui_doc_free(doc);
		return 0;
	}
	ui_doc_done(ui, doc);
	return 1;
}

static int
thread_make(struct ui *ui, struct ui_doc *doc, struct request *r,
    const char **field, const void *arg)
{
	int	 rc;

	(void)arg;
	request_init(r, REQ_THREAD_NEW, ui->user);
	strlcpy_p(r->uuid, doc->uuid, sizeof(r->uuid));
	r->board = doc->target;
	r->subject = doc->subject;
	r->body = doc->body;
	if ((rc = post_check_subject(doc->subject)) != 0)
		*field = _("Subject");
	else if ((rc = post_check_body(doc->body)) != 0)
		*field = _("Text");
	return rc;
}

static const struct send_op thread_op = {
	.make = thread_make,
	.refused = { PERR_NO_POST, PERR_NO_READ, PERR_NOTFOUND,
	    PERR_REQ_DENIED },
};

/* Edit and send a new thread until it is posted or the user leaves. */
static void
thread_send(struct ui *ui, struct ui_doc *doc, int64_t board_id,
    const char *done)
{
	struct board	*b = NULL;

	if (!ui_board_send(ui, doc, &thread_op, NULL, NULL))
		return;
	if (board_get_for(ui->st, ui->user, NULL, board_id, &b) == 0 &&
	    b->premoderated && !b->is_mod)
		ui_notice(ui, _("Your thread is posted and waits for a "
		    "coordinator's approval."));
	else if (done != NULL)
		ui_notice(ui, done);
	board_free(b);
}

/* arg: the uuid of the post replied to, or NULL. */
static int
reply_make(struct ui *ui, struct ui_doc *doc, struct request *r,
    const char **field, const void *arg)
{
	int	 rc;

	request_init(r, REQ_REPLY, ui->user);
	strlcpy_p(r->uuid, doc->uuid, sizeof(r->uuid));
	r->thread = doc->target;
	r->post = arg;
	r->body = doc->body;
	if ((rc = post_check_body(doc->body)) != 0)
		*field = _("Text");
	return rc;
}

static const struct send_op reply_op = {
	.make = reply_make,
	.refused = { PERR_HIDDEN, PERR_LOCKED, PERR_NO_POST, PERR_NO_READ,
	    PERR_NOTFOUND, PERR_REQ_DENIED },
};

/* Edit and send a reply until it is posted or the user leaves: the new
 * post's id, or 0. */
static int64_t
reply_send(struct ui *ui, struct ui_doc *doc, const char *reply_to)
{
	struct request_result	 res;

	memset(&res, 0, sizeof(res));
	if (!ui_board_send(ui, doc, &reply_op, reply_to, &res))
		return 0;
	return res.id;
}

/* Start a reply to post p of thread t, quoting it or not: the id of
 * the post she sent, or 0. */
static int64_t
reply_start(struct ui *ui, int64_t thread_id, const struct post *p, int quote)
{
	struct thread	*t = NULL;
	struct ui_doc	 doc;
	char		*q;
	int		 rc;

	/* Ask the store again: the thread may have been locked or hidden
	 * while the user was reading. */
	if ((rc = post_thread_get(ui->st, ui->user, thread_id, &t)) != 0) {
		ui_say_error(ui, NULL, rc == PERR_NOTFOUND ? PERR_HIDDEN : rc);
		return 0;
	}
	if (t->hidden_at != 0)
		rc = PERR_HIDDEN;	/* shown to its author and moderators */
	else if (!t->may_post)
		rc = PERR_NO_POST;
	else if (t->locked && !t->is_mod)
		rc = PERR_LOCKED;
	if (rc != 0) {
		ui_say_error(ui, NULL, rc);
		post_thread_free(t);
		return 0;
	}
	memset(&doc, 0, sizeof(doc));
	doc.title = N_("Reply");
	snprintf(doc.info, sizeof(doc.info), "%s %s", _("Re:"), t->subject);
	doc.kind = "reply";
	strlcpy_p(doc.target, t->uuid, sizeof(doc.target));
	if (quote && p != NULL) {
		q = post_quote(p->author_name, p->created_at, p->body, COLS - 1);
		doc.body = xasprintf("%s\n", q);
		free(q);
	} else
		doc.body = xstrdup("");
	doc.subject = xstrdup("");
	post_thread_free(t);
	return reply_send(ui, &doc, p != NULL ? p->uuid : NULL);
}

static int
edit_make(struct ui *ui, struct ui_doc *doc, struct request *r,
    const char **field, const void *arg)
{
	(void)field;
	(void)arg;
	request_init(r, REQ_POST_EDIT, ui->user);
	strlcpy_p(r->uuid, doc->uuid, sizeof(r->uuid));
	r->post = doc->target;
	r->body = doc->body;
	r->number = ui->p->edit_window;
	return 0;
}

static const struct send_op edit_op = {
	.make = edit_make,
	.refused = { PERR_EDIT_LATE, PERR_NOTFOUND, PERR_REQ_DENIED },
	.fail = N_("Text"),
};

/* Edit and save her own post post_id until it is saved or she leaves; a
 * refusal (too late, hidden meanwhile) keeps the text as a draft. */
static int
edit_send(struct ui *ui, struct ui_doc *doc)
{
	return ui_board_send(ui, doc, &edit_op, NULL, NULL);
}

void
ui_post_resume(struct ui *ui, struct ui_doc *doc)
{
	int64_t	 board_id = 0;

	/* Away from the board, nothing on the screen shows the post:
	 * she is told it went, as a resumed letter says it is sent. */
	if (strcmp(doc->kind, "edit") == 0) {
		doc->title = N_("Edit the post");
		if (edit_send(ui, doc))
			ui_notice(ui, _("Sent."));
	} else if (strcmp(doc->kind, "post") == 0) {
		doc->title = N_("New thread");
		doc->has_subject = 1;
		/* A board gone meanwhile: the send says so. */
		(void)request_id_of(ui->st, REQF_BOARD, doc->target, &board_id);
		thread_send(ui, doc, board_id, _("Sent."));
	} else {
		doc->title = N_("Reply");
		if (reply_send(ui, doc, NULL) != 0)
			ui_notice(ui, _("Sent."));
	}
}

/* ---- the pager ----------------------------------------------------- */

/*
 * Hide post p (a thread, if it is its first post) after asking why and
 * asking again whether to, or show it again if it is hidden: 1 if done.
 */
static int
hide_toggle(struct ui *ui, const struct post *p, int thread)
{
	struct request	 r;
	char		*s;
	int		 rc;

	if (p->hidden_at != 0) {
		if (!ui_confirm(ui, thread ? _("Show the thread to everyone "
		    "again?") : _("Show the post to everyone again?")))
			return 0;
		request_init(&r, REQ_POST_UNHIDE, ui->user);
		r.post = p->uuid;
		return ui_request(ui, &r, NULL) == 0;
	}
	s = ui_ask(ui, thread ? _("Hide the thread") : _("Hide the post"),
	    N_("Reason"), "", POST_REASON_MAX);
	if (s == NULL)
		return 0;
	rc = -1;
	if (ui_confirm(ui, thread ? _("Hide the thread? Its author gets a "
	    "letter saying why.") : _("Hide the post? Its author gets a "
	    "letter saying why."))) {
		request_init(&r, REQ_POST_HIDE, ui->user);
		r.post = p->uuid;
		r.text = s;
		rc = ui_request(ui, &r, NULL);
	}
	free(s);
	return rc == 0;
}

/* The line that stands for a hidden post or thread. */
static char *
hidden_line(const char *reason)
{
	return *reason != '\0' ? xasprintf(_("[hidden by a coordinator: %s]"),
	    reason) : xstrdup(_("[hidden by a coordinator]"));
}

/* Moderation of post p from the pager: hide or show it, or retitle it. */
static int
pager_moderate(struct ui *ui, const struct post *p, wint_t key)
{
	struct request	 r;
	char		*s;
	int		 rc;

	if (key == L'h')
		return hide_toggle(ui, p, p->index == 1);
	s = ui_ask(ui, _("Edit the title"), N_("Title"),
	    *p->subject != '\0' ? p->subject : "", POST_SUBJECT_MAX);
	if (s == NULL)
		return 0;
	request_init(&r, REQ_POST_RETITLE, ui->user);
	r.post = p->uuid;
	r.subject = s;
	rc = ui_request(ui, &r, NULL);
	free(s);
	return rc == 0;
}

/* 1 if the reader wrote p and may still change it (the store checks
 * again when she does). */
static int
own_post(struct ui *ui, const struct thread *t, const struct post *p)
{
	int	 window = ui->p->edit_window;

	return window > 0 && p->author_id == ui->user->id &&
	    p->hidden_at == 0 && t->hidden_at == 0 && *p->body != '\0' &&
	    now_unix() - p->created_at <= (int64_t)window * 60;
}

/* Her own post p: UI_K_EDIT changes its text in the editor, UI_K_DELETE
 * deletes it after asking.  Returns the message to show, or NULL. */
static const char *
own_change(struct ui *ui, const struct post *p, wint_t key, int *gone)
{
	struct ui_doc	 doc;
	struct request	 r;
	struct request_result res;
	int		 rc, kept = 0;

	*gone = 0;
	if (key == UI_K_EDIT) {
		memset(&doc, 0, sizeof(doc));
		doc.title = N_("Edit the post");
		snprintf(doc.info, sizeof(doc.info), "%s",
		    *p->subject != '\0' ? p->subject : _("Your post"));
		doc.kind = "edit";
		strlcpy_p(doc.target, p->uuid, sizeof(doc.target));
		doc.body = xstrdup(p->body);
		doc.subject = xstrdup("");
		(void)edit_send(ui, &doc);
		return NULL;
	}
	if (!ui_confirm(ui, _("Delete your post? This cannot be undone.")))
		return NULL;
	request_init(&r, REQ_POST_DELETE, ui->user);
	r.post = p->uuid;
	r.number = ui->p->edit_window;
	if ((rc = ui_request(ui, &r, &res)) != 0)
		return NULL;
	kept = res.value != 0;
	*gone = !kept;
	return kept ? N_("Your post is deleted; the replies keep the thread.") :
	    N_("Your post is deleted.");
}

/* The pager's keys; their may() see the post shown (struct pager). */
struct pager {
	const struct thread	*t;
	const struct post	*p;
	int			 mine;
};

static int
pager_may_own(struct ui *ui, void *arg)
{
	(void)ui;
	return ((struct pager *)arg)->mine;
}

static int
pager_may_mod(struct ui *ui, void *arg)
{
	(void)ui;
	return ((struct pager *)arg)->t->is_mod;
}

static int
pager_may_hide(struct ui *ui, void *arg)
{
	struct pager	*pg = arg;

	return pager_may_mod(ui, arg) && pg->p->hidden_at == 0;
}

static int
pager_may_show(struct ui *ui, void *arg)
{
	struct pager	*pg = arg;

	return pager_may_mod(ui, arg) && pg->p->hidden_at != 0;
}

static int
pager_may_follow(struct ui *ui, void *arg)
{
	(void)ui;
	return !((struct pager *)arg)->t->followed;
}

static int
pager_may_unfollow(struct ui *ui, void *arg)
{
	(void)ui;
	return ((struct pager *)arg)->t->followed;
}

/* She follows thread t, or stops (UI_K_FOLLOW): the sentence that says
 * which, or NULL after telling a failure. */
static const char *
ui_board_follow(struct ui *ui, const struct thread *t)
{
	struct request	 r;

	request_init(&r, REQ_THREAD_FOLLOW, ui->user);
	r.thread = t->uuid;
	r.number = !t->followed;
	if (ui_request(ui, &r, NULL) != 0)
		return NULL;
	return t->followed ? N_("You no longer follow the thread.") :
	    N_("You follow the thread: its new replies are told at login "
	    "and in the board list.");
}

static const struct ui_keydef pager_keys[] = {
	{ .key = UI_K_NEW, .label = N_("new"),
	  .help = N_("the first new post, here or in the next thread") },
	{ .key = UI_K_NEXT, .label = N_("next"), .help = N_("the next post") },
	{ .key = UI_K_PREV, .label = N_("prev"), .help = N_("the previous post") },
	{ .key = UI_K_REPLY, .label = N_("reply"),
	  .help = N_("reply to the thread") },
	{ .key = UI_K_QUOTE, .label = N_("quote"),
	  .help = N_("reply, quoting this post") },
	{ .key = UI_K_EDIT, .label = N_("edit"),
	  .help = N_("change the text of your post"), .may = pager_may_own },
	{ .key = UI_K_DELETE, .label = N_("delete"),
	  .help = N_("delete your post"), .may = pager_may_own },
	{ .key = UI_K_FOLLOW, .label = N_("follow"),
	  .help = N_("follow the thread: its new replies are told at login "
	  "and in the board list"), .may = pager_may_follow },
	{ .key = UI_K_FOLLOW, .label = N_("unfollow"),
	  .help = N_("stop following the thread"), .may = pager_may_unfollow },
	{ .key = L'h', .label = N_("hide"),
	  .help = N_("hide the post from readers; its author gets a letter"),
	  .may = pager_may_hide },
	{ .key = L'h', .label = N_("show again"),
	  .help = N_("show the hidden post to everyone again"),
	  .may = pager_may_show },
	{ .key = L's', .label = N_("title"),
	  .help = N_("change the title of the thread"), .may = pager_may_mod },
	/* On "?" only: with it the legend would lose "Esc back". */
	{ .key = UI_K_PAGE, .label = N_("page"),
	  .help = N_("the page of the post's author"),
	  .flags = UI_KEY_NOLEGEND },
	UI_KEY_BACK,
};

void
ui_thread_open(struct ui *ui, int64_t thread_id, int64_t post_id)
{
	struct thread	*t = NULL;
	struct board	*b = NULL;
	struct post	*p = NULL, *q;
	struct request	 rq;
	const char	*msg = NULL;
	char		*head, *hid, title[256], date[32];
	int64_t		 nt, np;
	wint_t		 key;
	char		 edited[96], when[32];
	int		 rc, dir = 0, gone;
	struct pager	 pg;
	struct ui_keys	*ks = UI_KEYS(pager_keys, &pg);

	ui_doing(ui, "reading");
	for (;;) {
		post_thread_free(t);
		board_free(b);
		t = NULL;
		b = NULL;
		if ((rc = post_thread_get(ui->st, ui->user, thread_id, &t)) != 0 ||
		    (rc = board_get_for(ui->st, ui->user, NULL, t->board_id,
		    &b)) != 0) {
			ui_notice(ui, _("This thread is not available."));
			break;
		}
		if ((rc = post_get(ui->st, ui->user, thread_id, post_id, dir,
		    &q)) != 0 && dir == 0)
			rc = post_get(ui->st, ui->user, thread_id, INT64_MAX, -1,
			    &q);
		if (rc != 0 && p == NULL) {
			ui_notice(ui, _("This thread is not available."));
			break;
		}
		if (rc == 0) {
			post_free(p);
			p = q;
		} else
			msg = dir > 0 ? N_("This is the last post.") :
			    N_("This is the first post.");
		post_id = p->id;
		dir = 0;
		request_init(&rq, REQ_THREAD_READ, ui->user);
		rq.thread = t->uuid;
		rq.post = p->uuid;
		if ((rc = ui_apply(ui, &rq, NULL)) != 0)
			msg = perr_str(rc);	/* shown where the keys are */
		snprintf(title, sizeof(title), "%s / %s", b->title, t->subject);
		hid = p->hidden_at != 0 ? hidden_line(p->hide_reason) :
		    xstrdup("");
		edited[0] = '\0';
		if (p->edited_at != 0 && *p->body != '\0')
			snprintf(edited, sizeof(edited), _("  [edited %s]"),
			    text_date(p->edited_at, TEXT_DATE_MINUTE, when,
			    sizeof(when)));
		/* The name to know her by, the login to write to her. */
		head = xasprintf("%s%s%s\n#%lld/%lld  %s (%s)  %s%s%s%s%s", hid,
		    *hid != '\0' ? "\n" : "",
		    *p->subject != '\0' ? p->subject : t->subject,
		    (long long)p->index, (long long)p->total,
		    *p->author != '\0' ? p->author_name : _("deleted account"),
		    *p->author != '\0' ? p->author : "-", text_date(p->created_at, TEXT_DATE_MINUTE, date, sizeof(date)),
		    edited, p->unread ? _("  [new]") : "",
		    t->locked ? _("  [locked]") : "",
		    t->approved ? "" : _("  [awaiting approval]"));
		free(hid);
		pg.t = t;
		pg.p = p;
		pg.mine = own_post(ui, t, p);
		ks->msg = msg != NULL ? _(msg) : NULL;
		msg = NULL;
		rc = ui_viewer(ui, title, head, *p->body != '\0' ? p->body :
		    _("[deleted by its author]"), ks, &key);
		free(head);
		if (rc == UI_LIST_BACK)
			break;
		switch (key) {
		case UI_K_NEXT:
			dir = 1;
			break;
		case UI_K_PREV:
			dir = -1;
			break;
		case UI_K_NEW:
			if (post_first_unread(ui->st, ui->user, thread_id, &np) == 0 &&
			    np != 0) {
				post_id = np;
				break;
			}
			if (post_next_unread(ui->st, ui->user, &nt, &np) == 0 &&
			    np != 0) {
				thread_id = nt;
				post_id = np;
				post_free(p);
				p = NULL;
			} else
				msg = N_("Nothing new is left.");
			break;
		case UI_K_REPLY:
		case UI_K_QUOTE:
			/* She lands on what she wrote, told it went. */
			if ((np = reply_start(ui, thread_id, p,
			    key == UI_K_QUOTE)) != 0) {
				post_id = np;
				msg = N_("Sent.");
			}
			break;
		case UI_K_EDIT:
		case UI_K_DELETE:
			msg = own_change(ui, p, key, &gone);
			if (gone) {	/* show the post before it, or after */
				dir = -1;
				if (post_get(ui->st, ui->user, thread_id,
				    p->id, -1, &q) != 0)
					dir = 1;
				else
					post_free(q);
			}
			break;
		case UI_K_FOLLOW:
			msg = ui_board_follow(ui, t);
			break;
		case L'h':
		case L's':
			/* The post stays on the screen, as its placeholder
			 * or shown again. */
			if (pager_moderate(ui, p, key) && key == L'h')
				msg = p->hidden_at != 0 ?
				    N_("The post is shown to everyone again.") :
				    N_("The post is hidden; its author has a letter.");
			break;
		case UI_K_PAGE:
			ui_page(ui, p->author_id);
			break;
		}
	}
	post_free(p);
	post_thread_free(t);
	board_free(b);
	ui_doing(ui, "menu");
}

int
ui_newscan(struct ui *ui)
{
	int64_t	 tid = 0, pid = 0;

	if (post_next_unread(ui->st, ui->user, &tid, &pid) != 0 || pid == 0) {
		ui_notice(ui, _("Nothing new on the boards."));
		return 0;
	}
	ui_thread_open(ui, tid, pid);
	return 0;
}

/* ---- threads of a board -------------------------------------------- */

static void
thread_draw(size_t i, int y, void *arg)
{
	struct thread	*t = (struct thread *)arg + i;
	char		 cnt[32], flags[4], date[32];
	/* The subject ends two columns before the author's. */
	int		 w = COLS - 26 - 2 - 13;
	size_t		 f = 0;

	if (t->unread > 0)
		snprintf(cnt, sizeof(cnt), "+%lld", (long long)t->unread);
	else
		cnt[0] = '\0';
	if (t->pinned)
		flags[f++] = '!';
	if (t->locked)
		flags[f++] = '#';
	if (!t->approved)
		flags[f++] = '?';
	if (t->followed && f < 3)
		flags[f++] = '@';	/* the rarest mark, left out first */
	flags[f] = '\0';
	ui_text(y, 3, 5, cnt);
	ui_text(y, 9, 3, flags);
	if (t->hidden_at != 0) {
		char	*h = hidden_line(t->hide_reason);
		char	*s = xasprintf("%s %s", h, t->subject);

		ui_text(y, 13, w > 10 ? w : 10, s);
		free(s);
		free(h);
	} else
		ui_text(y, 13, w > 10 ? w : 10, t->subject);
	ui_text(y, COLS - 26, 12, *t->author != '\0' ? t->author_name :
	    _("deleted account"));
	/* Day, month and time: the year is the current one, mostly. */
	text_date(t->last_post_at, TEXT_DATE_MINUTE, date, sizeof(date));
	memmove(date + 5, date + 10, strlen(date + 10) + 1);
	ui_text(y, COLS - 12, 11, date);
}

static void
thread_new(struct ui *ui, const struct board *b)
{
	struct ui_doc	 doc;

	if (!b->may_post) {
		ui_say_error(ui, NULL, PERR_NO_POST);
		return;
	}
	memset(&doc, 0, sizeof(doc));
	doc.title = N_("New thread");
	snprintf(doc.info, sizeof(doc.info), "%s %s", _("Board:"), b->title);
	doc.has_subject = 1;
	doc.subject = xstrdup("");
	doc.body = xstrdup("");
	doc.kind = "post";
	strlcpy_p(doc.target, b->uuid, sizeof(doc.target));
	thread_send(ui, &doc, b->id, NULL);
}

/* Draw a board of the move list: its title and short name. */
static void
move_draw(size_t i, int y, void *arg)
{
	struct board	*v = arg;

	ui_text(y, 3, COLS - 3 - 22, v[i].title);
	ui_text(y, COLS - 20, 19, v[i].name);
}

static const struct ui_keydef move_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("move here"),
	  .help = N_("move the thread to the marked board") },
	{ .key = UI_ESC, .label = N_("cancel"),
	  .help = N_("leave the thread where it is") },
};

/*
 * Move thread t to a board picked from those the user moderates (none
 * is typed, so none can be refused): 0 after moving or leaving the list,
 * or a PERR code.
 */
static int
thread_move(struct ui *ui, const struct thread *t)
{
	struct board	*all = NULL, *v = NULL;
	struct request	 r;
	size_t		 n = 0, nv = 0, i, sel = 0;
	wint_t		 key;
	int		 rc;

	if ((rc = board_list_for(ui->st, ui->user, &all, &n)) != 0)
		return rc;
	v = xcalloc(n > 0 ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++)
		if (all[i].is_mod && all[i].id != t->board_id)
			v[nv++] = all[i];
	if (nv == 0)
		ui_notice(ui, _("There is no other board you coordinate."));
	else if (ui_list(ui, _("Move the thread to the board"),
	    UI_KEYS(move_keys, NULL), nv, move_draw, v, &sel,
	    &key) == UI_LIST_PICK) {
		request_init(&r, REQ_THREAD_MOVE, ui->user);
		r.thread = t->uuid;
		r.board = v[sel].uuid;
		rc = ui_apply(ui, &r, NULL);
	}
	free(v);	/* its rows are all's */
	board_list_free(all, n);
	return rc;
}

/* Moderation keys on the thread list. */
static void
thread_moderate(struct ui *ui, const struct thread *t, wint_t key)
{
	struct post	*first = NULL;
	struct request	 r;
	int		 rc = 0;

	switch (key) {
	case L'p':
	case L'l':
	case L'a':
		request_init(&r, key == L'p' ? REQ_THREAD_PIN : key == L'l' ?
		    REQ_THREAD_LOCK : REQ_THREAD_APPROVE, ui->user);
		r.thread = t->uuid;
		r.number = key == L'p' ? !t->pinned : key == L'l' ?
		    !t->locked : 1;
		rc = ui_apply(ui, &r, NULL);
		break;
	case L'v':
		rc = thread_move(ui, t);
		break;
	case L'h':
		if ((rc = post_get(ui->st, ui->user, t->id, 0, 0, &first)) != 0)
			break;
		(void)hide_toggle(ui, first, 1);	/* it said what failed */
		post_free(first);
		break;
	}
	if (rc != 0)
		ui_say_error(ui, NULL, rc);
}

/* Mark all of board uuid read: the sentence that says it was done, for
 * the list's status line, or NULL after telling a failure. */
static const char *
ui_board_mark_read(struct ui *ui, const char *uuid)
{
	struct request	 r;

	request_init(&r, REQ_BOARD_READ, ui->user);
	r.board = uuid;
	if (ui_request(ui, &r, NULL) != 0)
		return NULL;
	return N_("Everything on the board is marked read.");
}

int
ui_board_may_mod(struct ui *ui, void *arg)
{
	(void)ui;
	return (*(struct board **)arg)->is_mod;
}

/* A coordinator's keys come before the rarer ones for the legend. */
static const struct ui_keydef thread_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("read"),
	  .help = N_("read the thread, from its first new post") },
	{ .key = UI_K_WRITE, .label = N_("new thread"),
	  .help = N_("start a new thread on the board") },
	{ .key = UI_K_FOLLOW, .label = N_("follow"),
	  .help = N_("follow the marked thread, or stop following it") },
	{ .key = L'p', .label = N_("pin"),
	  .help = N_("pin the thread atop the board, or unpin it"),
	  .may = ui_board_may_mod },
	{ .key = L'l', .label = N_("lock"),
	  .help = N_("close the thread to replies, or open it"),
	  .may = ui_board_may_mod },
	{ .key = L'h', .label = N_("hide/show"),
	  .help = N_("hide the thread from readers, or show it again"),
	  .may = ui_board_may_mod },
	{ .key = L'v', .label = N_("move"),
	  .help = N_("move the thread to another board you coordinate"),
	  .may = ui_board_may_mod },
	{ .key = L'a', .label = N_("approve"),
	  .help = N_("approve a thread that awaits approval"),
	  .may = ui_board_may_mod },
	{ .key = UI_K_CATCHUP, .label = N_("mark read"),
	  .help = N_("mark everything on the board read") },
	{ .key = L'o', .label = N_("polls"), .help = N_("the board's polls") },
	{ .key = L'e', .label = N_("events"),
	  .help = N_("the board's seminars, webinars and olympiads") },
	UI_KEY_PAGE(N_("the page of the marked thread's author")),
	UI_KEY_BACK,
};

static void
ui_board_threads(struct ui *ui, int64_t board_id)
{
	struct board	*b = NULL;
	UI_ROWS(struct thread) l = { NULL, 0 };
	char		 title[160];
	const char	*said = NULL;
	size_t		 sel = 0, i;
	int64_t		 pid, marked = 0;
	wint_t		 key;
	int		 rc;
	struct ui_keys	*ks;

	for (;;) {
		board_free(b);
		UI_ROWS_FREE(l, post_threads_free);
		if ((rc = board_get_for(ui->st, ui->user, NULL, board_id,
		    &b)) == 0)
			rc = post_threads(ui->st, ui->user, board_id, &l.v, &l.n);
		if (!ui_list_ready(ui, rc, l.n, NULL))
			break;
		/* The marker stays on the thread it was on, wherever pinning
		 * put it; if it left the board, on the row it was on. */
		for (i = 0; marked != 0 && i < l.n; i++)
			if (l.v[i].id == marked) {
				sel = i;
				break;
			}
		snprintf(title, sizeof(title), "%s", b->title);
		ks = UI_KEYS(thread_keys, &b);
		ks->about = N_("In the list, +3 counts the new posts; ! marks "
		    "a pinned thread, # a locked one, ? one awaiting approval, "
		    "@ one you follow: its new replies are told at login and "
		    "in the board list.  You follow the threads you wrote in "
		    "until you stop with f.");
		ks->msg = said != NULL ? _(said) : NULL;
		said = NULL;
		ui->reload = 1;
		rc = ui_list_again(ui, title, ks, l.n, thread_draw, l.v, &sel,
		    &key);
		ui->reload = 0;
		if (rc == UI_LIST_BACK)
			break;
		marked = l.n > 0 ? l.v[sel].id : 0;
		if (rc == UI_LIST_RELOAD)
			continue;	/* the store changed: read it again */
		if (rc == UI_LIST_PICK) {
			/* Open at the first new post, if any. */
			pid = 0;
			if (l.v[sel].unread > 0)
				(void)post_first_unread(ui->st, ui->user,
				    l.v[sel].id, &pid);
			ui_thread_open(ui, l.v[sel].id, pid);
			continue;
		}
		switch (key) {
		case UI_K_WRITE:
			thread_new(ui, b);
			sel = 0;
			marked = 0;
			break;
		case UI_K_CATCHUP:
			said = ui_board_mark_read(ui, b->uuid);
			break;
		case UI_K_FOLLOW:
			if (l.n > 0)
				said = ui_board_follow(ui, &l.v[sel]);
			break;
		case L'o':
			ui_polls(ui, board_id);
			break;
		case L'e':
			ui_events(ui, board_id);
			break;
		case UI_K_PAGE:
			if (l.n > 0)
				ui_page(ui, l.v[sel].author_id);
			break;
		default:
			if (l.n > 0)
				thread_moderate(ui, &l.v[sel], key);
			break;
		}
	}
	board_free(b);
	post_threads_free(l.v, l.n);
}

/* ---- the growth of a board ------------------------------------------ */

#define GROWTH_WEEKS	8

/* Append to *text a row of the growth table: c[0] on the left, the
 * other three right-aligned, lined up by display width, not bytes. */
static void
ui_board_growth_row(char **text, const char *const c[4])
{
	char	*t;
	int	 i, pad;

	for (i = 0; i < 4; i++) {
		pad = 12 - text_width(c[i]);
		if (pad < 1)
			pad = 1;
		t = i == 0 ? xasprintf("%s%s%*s", *text, c[i], pad, "") :
		    xasprintf("%s%*s%s", *text, pad, "", c[i]);
		free(*text);
		*text = t;
	}
	t = xasprintf("%s\n", *text);
	free(*text);
	*text = t;
}

/*
 * The growth report of board b for its coordinators and the sysop: the
 * last GROWTH_WEEKS weeks to today, week by week, the figures that
 * parta-sysop report --board gives for a board (common/report.c), as a
 * text table within 80 columns.  Read-only.
 */
static void
ui_board_growth(struct ui *ui, const struct board *b)
{
	struct report_query	 q;
	struct report_series	*r = NULL;
	char			*text = NULL, d1[32], d2[32], title[160];
	char			 n[3][24];
	const char		*c[4];
	const struct report_row	*row;
	size_t			 i;
	wint_t			 key;
	int			 rc;

	if (!b->is_mod) {
		ui_notice(ui, _(perr_str(PERR_NOT_MOD)));
		return;
	}
	memset(&q, 0, sizeof(q));
	q.by = REPORT_WEEK;
	q.board = b->name;
	/* Today, whole, as the console counts it. */
	if (report_parse_day(text_date(now_unix(), TEXT_DATE_ISO_DAY, d1,
	    sizeof(d1)), &q.to) != 0)
		q.to = now_unix();
	q.to += 86400;
	q.from = q.to - GROWTH_WEEKS * 7 * 86400LL;
	if ((rc = report_series_make(ui->st, &q, &r)) != 0) {
		ui_say_error(ui, NULL, rc);
		return;
	}
	text = xasprintf(_("From %s to %s, by week.  Active: those who "
	    "posted or voted on this board.\n\n"), text_date(q.from,
	    TEXT_DATE_DAY, d1, sizeof(d1)), text_date(q.to - 1,
	    TEXT_DATE_DAY, d2, sizeof(d2)));
	c[0] = _("WEEK");
	c[1] = _("ACTIVE");
	c[2] = _("POSTS");
	c[3] = _("THREADS");
	ui_board_growth_row(&text, c);
	for (i = 0; i <= r->nperiods; i++) {
		row = i < r->nperiods ? &r->periods[i] : &r->total;
		snprintf(n[0], sizeof(n[0]), "%lld", (long long)row->f.active);
		snprintf(n[1], sizeof(n[1]), "%lld", (long long)row->f.posts);
		snprintf(n[2], sizeof(n[2]), "%lld", (long long)row->f.threads);
		c[0] = i < r->nperiods ? row->name : _("total");
		c[1] = n[0];
		c[2] = n[1];
		c[3] = n[2];
		ui_board_growth_row(&text, c);
	}
	report_series_free(r);
	snprintf(title, sizeof(title), "%s: %s", b->title, _("growth"));
	(void)ui_viewer(ui, title, "", text, NULL, &key);
	free(text);
}

/* ---- the board list ------------------------------------------------ */

static void
ui_board_draw(size_t i, int y, void *arg)
{
	struct board	*b = (struct board *)arg + i;
	char		 cnt[48];

	if (b->unread > 0)
		snprintf(cnt, sizeof(cnt), _("%lld new"), (long long)b->unread);
	else
		cnt[0] = '\0';
	ui_text(y, 3, COLS - 3 - 33, b->title);	/* a gap before the marks */
	/* An open poll she has not voted in matters more than replies in
	 * her threads, which matter more than read-only. */
	if (b->polls_waiting > 0)
		ui_text(y, COLS - 31, 16, _("open poll"));
	else if (b->replies > 0)
		ui_text(y, COLS - 31, 16, _("new replies"));
	else if (!b->may_post)
		ui_text(y, COLS - 31, 16, _("read-only"));
	ui_text(y, COLS - 14, 13, cnt);
}

static const struct ui_keydef boards_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("view"),
	  .help = N_("the threads of the board") },
	{ .key = UI_K_CATCHUP, .label = N_("mark read"),
	  .help = N_("mark everything on the board read") },
	{ .key = L'g', .label = N_("growth"),
	  .help = N_("how the board grew, week by week (coordinators)"),
	  .may = ui_keys_may_flag },
	UI_KEY_BACK,
};

int
ui_boards(struct ui *ui)
{
	UI_ROWS(struct board) l = { NULL, 0 };
	const char	*said = NULL;
	size_t		 sel = 0, i;
	wint_t		 key;
	int		 rc, mod;
	struct ui_keys	*ks;

	ui_doing(ui, "boards");
	for (;;) {
		UI_ROWS_FREE(l, board_list_free);
		rc = board_list_for(ui->st, ui->user, &l.v, &l.n);
		if (!ui_list_ready(ui, rc, l.n, NULL))
			break;
		for (i = 0, mod = 0; i < l.n; i++)
			mod |= l.v[i].is_mod;
		ks = UI_KEYS(boards_keys, &mod);
		ks->msg = said != NULL ? _(said) : NULL;
		said = NULL;
		ui->reload = 1;
		rc = ui_list(ui, _("Boards"), ks, l.n, ui_board_draw, l.v,
		    &sel, &key);
		ui->reload = 0;
		if (rc == UI_LIST_BACK)
			break;
		if (rc == UI_LIST_RELOAD)
			continue;	/* the store changed: read it again */
		if (rc == UI_LIST_PICK)
			ui_board_threads(ui, l.v[sel].id);
		else if (key == UI_K_CATCHUP && l.n > 0)
			said = ui_board_mark_read(ui, l.v[sel].uuid);
		else if (key == L'g' && l.n > 0)
			ui_board_growth(ui, &l.v[sel]);
	}
	board_list_free(l.v, l.n);
	ui_doing(ui, "menu");
	return 0;
}
