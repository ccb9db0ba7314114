/*
 * ui-board.c: the boards as a teacher meets them: the board list with
 * counts of new posts, a board's threads (pinned first, then newest
 * activity, unread marked), the thread pager (one post at a time, walked
 * by post id, so a thread of thousands of posts costs one post), new
 * threads, replies with quoting, the new-scan across boards, and the
 * coordinators' moderation keys.
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
#include "online.h"
#include "perr.h"
#include "post.h"
#include "store.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

static void
say_error(struct ui *ui, const char *prefix, int rc)
{
	char	 msg[512];

	if (prefix != NULL)
		snprintf(msg, sizeof(msg), "%s: %s", prefix, _(perr_str(rc)));
	else
		snprintf(msg, sizeof(msg), "%s", _(perr_str(rc)));
	ui_notice(ui, msg);
}

/* Make sure the doc's text is in a draft, for when a send cannot be
 * done now. */
static void
keep_draft(struct ui *ui, struct ui_doc *doc)
{
	(void)draft_save(ui->st, ui->user->id, &doc->draft_id, doc->kind,
	    doc->target, doc->subject != NULL ? doc->subject : "",
	    doc->body != NULL ? doc->body : "");
}

/* ---- sending ------------------------------------------------------- */

/* Edit and send a new thread until it is posted or the user leaves. */
static void
thread_send(struct ui *ui, struct ui_doc *doc, int64_t board_id)
{
	struct board	*b = NULL;
	int64_t		 tid = 0;
	int		 rc, sent = ui_edit(ui, doc);

	while (sent) {
		if ((rc = post_check_subject(doc->subject)) != 0)
			say_error(ui, _("Subject"), rc);
		else if ((rc = post_check_body(doc->body)) != 0)
			say_error(ui, _("Text"), rc);
		else if ((rc = post_thread_new(ui->st, ui->user, 0, board_id,
		    doc->subject, doc->body, &tid, NULL)) == 0)
			break;
		else if (rc == PERR_NO_POST || rc == PERR_NO_READ ||
		    rc == PERR_NOTFOUND) {
			keep_draft(ui, doc);
			say_error(ui, NULL, rc);
			ui_doc_free(doc);
			return;
		} else
			say_error(ui, NULL, rc);
		sent = ui_edit(ui, doc);
	}
	if (!sent) {
		ui_doc_free(doc);
		return;
	}
	ui_doc_done(ui, doc);
	if (board_get_for(ui->st, ui->user, NULL, board_id, &b) == 0 &&
	    b->premoderated && !b->is_mod)
		ui_notice(ui, _("Your thread is posted and waits for a "
		    "coordinator's approval."));
	board_free(b);
}

/* Edit and send a reply until it is posted or the user leaves. */
static void
reply_send(struct ui *ui, struct ui_doc *doc, int64_t thread_id,
    int64_t reply_to)
{
	int	 rc, sent = ui_edit(ui, doc);

	while (sent) {
		if ((rc = post_check_body(doc->body)) != 0)
			say_error(ui, _("Text"), rc);
		else if ((rc = post_reply(ui->st, ui->user, thread_id, reply_to,
		    doc->body, NULL)) == 0)
			break;
		else if (rc == PERR_HIDDEN || rc == PERR_LOCKED ||
		    rc == PERR_NO_POST || rc == PERR_NO_READ) {
			char	 msg[512];

			keep_draft(ui, doc);
			snprintf(msg, sizeof(msg), "%s. %s", _(perr_str(rc)),
			    _("Your text is kept as a draft."));
			ui_notice(ui, msg);
			ui_doc_free(doc);
			return;
		} else
			say_error(ui, NULL, rc);
		sent = ui_edit(ui, doc);
	}
	if (sent)
		ui_doc_done(ui, doc);
	else
		ui_doc_free(doc);
}

/* Start a reply to post p of thread t, quoting it or not. */
static void
reply_start(struct ui *ui, int64_t thread_id, const struct post *p, int quote)
{
	struct thread	*t = NULL;
	struct ui_doc	 doc;
	char		*q;
	int		 rc;

	/* Ask the store again: the thread may have been locked or hidden
	 * while the user was reading. */
	if ((rc = post_thread_get(ui->st, ui->user, thread_id, &t)) != 0) {
		say_error(ui, NULL, rc == PERR_NOTFOUND ? PERR_HIDDEN : rc);
		return;
	}
	if (!t->may_post)
		rc = PERR_NO_POST;
	else if (t->locked && !t->is_mod)
		rc = PERR_LOCKED;
	if (rc != 0) {
		say_error(ui, NULL, rc);
		post_thread_free(t);
		return;
	}
	memset(&doc, 0, sizeof(doc));
	doc.title = N_("Reply");
	snprintf(doc.info, sizeof(doc.info), "%s %s", _("Re:"), t->subject);
	doc.kind = "reply";
	snprintf(doc.target, sizeof(doc.target), "%lld", (long long)thread_id);
	if (quote && p != NULL) {
		q = post_quote(p->author, p->created_at, p->body, COLS - 1);
		doc.body = xasprintf("%s\n", q);
		free(q);
	} else
		doc.body = xstrdup("");
	doc.subject = xstrdup("");
	post_thread_free(t);
	reply_send(ui, &doc, thread_id, p != NULL ? p->id : 0);
}

void
ui_post_resume(struct ui *ui, struct ui_doc *doc)
{
	int64_t	 target = strtoll(doc->target, NULL, 10);

	if (strcmp(doc->kind, "post") == 0) {
		doc->title = N_("New thread");
		doc->has_subject = 1;
		thread_send(ui, doc, target);
	} else {
		doc->title = N_("Reply");
		reply_send(ui, doc, target, 0);
	}
}

/* ---- the pager ----------------------------------------------------- */

/* Moderation of post p from the pager: hide it or retitle it. */
static int
pager_moderate(struct ui *ui, const struct post *p, wint_t key)
{
	char	*s;
	int	 rc;

	if (key == L'h') {
		s = ui_ask(ui, _("Hide the post"), N_("Reason"), "",
		    POST_REASON_MAX);
		if (s == NULL)
			return 0;
		rc = post_hide(ui->st, ui->user, ui->user->login, p->id, s);
		free(s);
	} else {
		s = ui_ask(ui, _("Edit the title"), N_("Title"),
		    *p->subject != '\0' ? p->subject : "", POST_SUBJECT_MAX);
		if (s == NULL)
			return 0;
		rc = post_set_subject(ui->st, ui->user, ui->user->login, p->id, s);
		free(s);
	}
	if (rc != 0)
		say_error(ui, NULL, rc);
	return rc == 0;
}

void
ui_thread_open(struct ui *ui, int64_t thread_id, int64_t post_id)
{
	struct thread	*t = NULL;
	struct board	*b = NULL;
	struct post	*p = NULL, *q;
	const char	*msg = NULL;
	char		*head, title[256], date[32], help[256];
	int64_t		 nt, np;
	wint_t		 key;
	int		 rc, dir = 0;

	(void)online_doing(ui->st, getppid(), "reading");
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
		(void)post_mark_read(ui->st, ui->user, thread_id, p->id);
		snprintf(title, sizeof(title), "%s / %s", b->title, t->subject);
		head = xasprintf("%s\n#%lld/%lld  %s (%s)  %s%s%s%s",
		    *p->subject != '\0' ? p->subject : t->subject,
		    (long long)p->index, (long long)p->total, p->author,
		    p->author_name, text_date(p->created_at, TEXT_DATE_MINUTE, date, sizeof(date)),
		    p->unread ? _("  [new]") : "",
		    t->locked ? _("  [locked]") : "",
		    t->approved ? "" : _("  [awaiting approval]"));
		snprintf(help, sizeof(help), "%s%s", msg != NULL ? _(msg) :
		    _("n/p next/prev  u new  r reply  t quote  Esc back"),
		    msg == NULL && t->is_mod ? _("  h hide  e title") : "");
		msg = NULL;
		rc = ui_viewer(ui, title, head, p->body, help,
		    t->is_mod ? "npurthe" : "npurt", &key);
		free(head);
		if (rc == UI_LIST_BACK)
			break;
		switch (key) {
		case L'n':
			dir = 1;
			break;
		case L'p':
			dir = -1;
			break;
		case L'u':
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
		case L'r':
		case L't':
			reply_start(ui, thread_id, p, key == L't');
			break;
		case L'h':
		case L'e':
			if (pager_moderate(ui, p, key) && key == L'h') {
				/* Show the next post, or the one before. */
				dir = 1;
				msg = N_("The post is hidden.");
			}
			break;
		}
		if (key == L'h' && dir == 1) {
			struct post	*nx = NULL;

			if (post_get(ui->st, ui->user, thread_id, post_id, 1,
			    &nx) != 0 && post_get(ui->st, ui->user, thread_id,
			    post_id, -1, &nx) != 0) {
				ui_notice(ui, _("The thread is hidden."));
				break;
			}
			post_id = nx->id;
			post_free(nx);
			dir = 0;
			msg = NULL;
		}
	}
	post_free(p);
	post_thread_free(t);
	board_free(b);
	(void)online_doing(ui->st, getppid(), "menu");
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

struct tlist {
	struct thread	*v;
	size_t		 n;
};

static void
thread_draw(size_t i, int y, void *arg)
{
	struct tlist	*l = arg;
	struct thread	*t = &l->v[i];
	char		 cnt[32], flags[4], date[32];
	int		 w = COLS - 3 - 6 - 4 - 14 - 12;
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
	flags[f] = '\0';
	ui_text(y, 3, 5, cnt);
	ui_text(y, 9, 3, flags);
	ui_text(y, 13, w > 10 ? w : 10, t->subject);
	ui_text(y, COLS - 26, 12, t->author);
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
		say_error(ui, NULL, PERR_NO_POST);
		return;
	}
	memset(&doc, 0, sizeof(doc));
	doc.title = N_("New thread");
	snprintf(doc.info, sizeof(doc.info), "%s %s", _("Board:"), b->title);
	doc.has_subject = 1;
	doc.subject = xstrdup("");
	doc.body = xstrdup("");
	doc.kind = "post";
	snprintf(doc.target, sizeof(doc.target), "%lld", (long long)b->id);
	thread_send(ui, &doc, b->id);
}

/* Moderation keys on the thread list. */
static void
thread_moderate(struct ui *ui, const struct thread *t, wint_t key)
{
	struct board	*to = NULL;
	struct post	*first = NULL;
	char		*s;
	int		 rc = 0;

	switch (key) {
	case L'p':
		rc = post_thread_flag(ui->st, ui->user, ui->user->login, t->id,
		    POST_PIN, !t->pinned);
		break;
	case L'l':
		rc = post_thread_flag(ui->st, ui->user, ui->user->login, t->id,
		    POST_LOCK, !t->locked);
		break;
	case L'a':
		rc = post_thread_flag(ui->st, ui->user, ui->user->login, t->id,
		    POST_APPROVE, 1);
		break;
	case L'v':
		if ((s = ui_ask(ui, _("Move the thread"),
		    N_("To board (its short name)"), "", 32)) == NULL)
			return;
		if ((rc = board_get_for(ui->st, ui->user, text_trim(s), 0,
		    &to)) == 0)
			rc = post_thread_move(ui->st, ui->user, ui->user->login,
			    t->id, to->id);
		board_free(to);
		free(s);
		break;
	case L'h':
		if ((rc = post_get(ui->st, ui->user, t->id, 0, 0, &first)) != 0)
			break;
		if ((s = ui_ask(ui, _("Hide the thread"), N_("Reason"), "",
		    POST_REASON_MAX)) != NULL) {
			rc = post_hide(ui->st, ui->user, ui->user->login,
			    first->id, s);
			free(s);
		}
		post_free(first);
		break;
	}
	if (rc != 0)
		say_error(ui, NULL, rc);
}

static void
board_threads(struct ui *ui, int64_t board_id)
{
	struct board	*b = NULL;
	struct tlist	 l = { NULL, 0 };
	char		 title[160], help[256];
	size_t		 sel = 0;
	int64_t		 pid;
	wint_t		 key;
	int		 rc;

	for (;;) {
		board_free(b);
		post_threads_free(l.v, l.n);
		l.v = NULL;
		l.n = 0;
		if ((rc = board_get_for(ui->st, ui->user, NULL, board_id, &b)) != 0 ||
		    (rc = post_threads(ui->st, ui->user, board_id, &l.v, &l.n)) != 0) {
			say_error(ui, NULL, rc);
			break;
		}
		snprintf(title, sizeof(title), "%s", b->title);
		snprintf(help, sizeof(help), "%s%s",
		    _("Enter read  n new thread  m mark read  o polls  Esc back"),
		    b->is_mod ? _("  p pin l lock h hide v move a approve") : "");
		rc = ui_list(ui, title, help, l.n, thread_draw, &l,
		    b->is_mod ? "nmoplhva" : "nmo", &sel, &key);
		if (rc == UI_LIST_BACK)
			break;
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
		case L'n':
			thread_new(ui, b);
			sel = 0;
			break;
		case L'm':
			(void)board_mark_read(ui->st, ui->user, board_id);
			break;
		case L'o':
			ui_polls(ui, board_id);
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

/* ---- the board list ------------------------------------------------ */

struct blist {
	struct board	*v;
	size_t		 n;
};

static void
board_draw(size_t i, int y, void *arg)
{
	struct blist	*l = arg;
	struct board	*b = &l->v[i];
	char		 cnt[48];

	if (b->unread > 0)
		snprintf(cnt, sizeof(cnt), _("%lld new"), (long long)b->unread);
	else
		cnt[0] = '\0';
	ui_text(y, 3, COLS - 3 - 32, b->title);
	if (!b->may_post)
		ui_text(y, COLS - 31, 16, _("read-only"));
	ui_text(y, COLS - 14, 13, cnt);
}

int
ui_boards(struct ui *ui)
{
	struct blist	 l = { NULL, 0 };
	size_t		 sel = 0;
	wint_t		 key;
	int		 rc;

	(void)online_doing(ui->st, getppid(), "boards");
	for (;;) {
		board_list_free(l.v, l.n);
		l.v = NULL;
		l.n = 0;
		if ((rc = board_list_for(ui->st, ui->user, &l.v, &l.n)) != 0) {
			say_error(ui, NULL, rc);
			break;
		}
		rc = ui_list(ui, _("Boards"),
		    _("Enter open  m mark read  Esc back"), l.n, board_draw, &l,
		    "m", &sel, &key);
		if (rc == UI_LIST_BACK)
			break;
		if (rc == UI_LIST_PICK)
			board_threads(ui, l.v[sel].id);
		else if (key == L'm')
			(void)board_mark_read(ui->st, ui->user, l.v[sel].id);
	}
	board_list_free(l.v, l.n);
	(void)online_doing(ui->st, getppid(), "menu");
	return 0;
}
