/*
 * ui-drafts.c: unsent texts, offered back wherever she may look for
 * them.  A draft is kept by the editor (ui-editor.c) as she types; it is
 * offered at login (ui-arrival.c), again when she opens the editor for
 * the same thing (the same board's new thread, the same thread's reply,
 * the same post, the same recipient), and "My drafts" lists them all, to
 * read, continue or delete.  Every offer says where the text will go
 * ("Board: ..., thread: ..."), as a draft may be weeks old.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "draft.h"
#include "i18n.h"
#include "perr.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

void
ui_draft_where(const struct draft *d, char *buf, size_t len)
{
	const char	*place = *d->place != '\0' ? d->place : "?";
	const char	*sub = *d->place_sub != '\0' ? d->place_sub : "?";

	if (strcmp(d->kind, "post") == 0)
		snprintf(buf, len, _("Board: %s, a new thread"), place);
	else if (strcmp(d->kind, "reply") == 0)
		snprintf(buf, len, _("Board: %s, thread: %s"), place, sub);
	else if (strcmp(d->kind, "edit") == 0)
		snprintf(buf, len, _("Board: %s, thread: %s (your post, "
		    "edited)"), place, sub);
	else if (strcmp(d->kind, "mail") == 0)
		snprintf(buf, len, _("A letter to %s (%s)"), place, sub);
	else if (strcmp(d->kind, "comment") == 0)
		snprintf(buf, len, _("A comment on the library item %s"), place);
	else
		snprintf(buf, len, "%s", _("News"));
}

int
ui_draft_offer(struct ui *ui, const struct draft *d, const char *question)
{
	char	 line[512], date[32];
	int	 y;

	erase();
	ui_header(ui, _("An unsent text"));
	ui_draft_where(d, line, sizeof(line));
	y = ui_wrap(3, 2, LINES - 3, COLS - 3, line);
	snprintf(line, sizeof(line), _("Saved %s:"),
	    text_date(d->updated_at, TEXT_DATE_MINUTE, date, sizeof(date)));
	ui_text(y++, 2, COLS - 3, line);
	if (*d->subject != '\0')
		ui_text(y++, 2, COLS - 3, d->subject);
	(void)ui_wrap(y + 1, 2, LINES - 2, COLS - 3, d->body);
	return ui_confirm(ui, question);
}

/* A doc for draft d, which gives up its texts to it. */
static void
ui_draft_doc(struct draft *d, struct ui_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
	doc->subject = d->subject;
	doc->body = d->body;
	d->subject = d->body = NULL;
	doc->draft_id = d->id;
	doc->draft_asked = 1;
	strlcpy_p(doc->uuid, d->uuid, sizeof(doc->uuid));
	strlcpy_p(doc->target, d->target, sizeof(doc->target));
}

void
ui_draft_resume(struct ui *ui, struct draft *d)
{
	struct ui_doc	 doc;

	ui_draft_doc(d, &doc);
	if (strcmp(d->kind, "mail") == 0) {
		doc.kind = "mail";
		ui_mail_resume(ui, &doc);
	} else if (strcmp(d->kind, "post") == 0 ||
	    strcmp(d->kind, "reply") == 0 || strcmp(d->kind, "edit") == 0) {
		doc.kind = strcmp(d->kind, "post") == 0 ? "post" :
		    strcmp(d->kind, "edit") == 0 ? "edit" : "reply";
		ui_post_resume(ui, &doc);
	} else if (strcmp(d->kind, "comment") == 0) {
		doc.kind = "comment";
		ui_library_comment_resume(ui, &doc);
	} else
		ui_news_resume(ui, &doc);	/* news: publish it again */
}

int
ui_draft_reopen(struct ui *ui, struct ui_doc *doc)
{
	struct draft	*d = NULL;

	if (doc->draft_id != 0 || doc->draft_asked || doc->kind == NULL ||
	    ui->user == NULL)
		return 0;
	doc->draft_asked = 1;
	if (draft_find(ui->st, ui->user->id, doc->kind, doc->target, &d) != 0)
		return 0;
	if (!ui_draft_offer(ui, d, _("You left a text here unsent. "
	    "Continue it?"))) {
		draft_free(d);
		return 0;
	}
	free(doc->subject);
	free(doc->body);
	doc->subject = d->subject;
	doc->body = d->body;
	d->subject = d->body = NULL;
	doc->draft_id = d->id;
	strlcpy_p(doc->uuid, d->uuid, sizeof(doc->uuid));
	draft_free(d);
	return 1;
}

/* ---- My drafts ------------------------------------------------------ */

static const struct ui_keydef ui_drafts_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("read"),
	  .help = N_("read the marked text") },
	{ .key = UI_K_EDIT, .label = N_("continue"),
	  .help = N_("continue the marked text in the editor") },
	{ .key = UI_K_DELETE, .label = N_("delete"),
	  .help = N_("delete the marked text, after asking") },
	UI_KEY_BACK,
};

static void
ui_drafts_draw(size_t i, int y, void *arg)
{
	struct draft	*d = (struct draft *)arg + i;
	char		 date[32], where[256], *line, *nl;

	ui_text(y, 3, 16, text_date(d->updated_at, TEXT_DATE_MINUTE, date,
	    sizeof(date)));
	ui_draft_where(d, where, sizeof(where));
	/* Where it goes first, as that tells drafts apart; then its
	 * subject, or its first line. */
	line = xasprintf("%s  %s", where, *d->subject != '\0' ? d->subject :
	    d->body);
	if ((nl = strchr(line, '\n')) != NULL)
		*nl = '\0';
	ui_text(y, 21, COLS - 22, line);
	free(line);
}

/* 1 if the user deleted draft d, after being asked. */
static int
ui_drafts_delete(struct ui *ui, const struct draft *d)
{
	int	 rc;

	if (!ui_confirm(ui, _("Delete this unsent text for good?")))
		return 0;
	if ((rc = draft_delete(ui->st, ui->user->id, d->id)) != 0) {
		ui_say_error(ui, _("The draft could not be removed."), rc);
		return 0;
	}
	ui_notice(ui, _("The text is deleted."));
	return 1;
}

/* Read draft d; returns the key pressed there (UI_K_EDIT, UI_K_DELETE)
 * or 0 for back. */
static wint_t
ui_drafts_read(struct ui *ui, const struct draft *d)
{
	static const struct ui_keydef keys[] = {
		{ .key = UI_K_EDIT, .label = N_("continue"),
		  .help = N_("continue the text in the editor") },
		{ .key = UI_K_DELETE, .label = N_("delete"),
		  .help = N_("delete the text, after asking") },
		UI_KEY_BACK,
	};
	char	 where[256], date[32], *head;
	wint_t	 key = 0;

	ui_draft_where(d, where, sizeof(where));
	head = xasprintf("%s\n%s  %s", where, text_date(d->updated_at,
	    TEXT_DATE_MINUTE, date, sizeof(date)), d->subject);
	if (ui_viewer(ui, _("An unsent text"), head, d->body,
	    UI_KEYS(keys, NULL), &key) != UI_LIST_KEY)
		key = 0;
	free(head);
	return key;
}

int
ui_drafts(struct ui *ui)
{
	UI_ROWS(struct draft) l = { NULL, 0 };
	size_t		 sel = 0;
	wint_t		 key;
	int		 rc;

	ui_doing(ui, "drafts");
	for (;;) {
		UI_ROWS_FREE(l, draft_list_free);
		rc = draft_list(ui->st, ui->user->id, &l.v, &l.n);
		if (!ui_list_ready(ui, rc, l.n, N_("You have no unsent texts.")))
			break;
		rc = ui_list_again(ui, _("My drafts"),
		    UI_KEYS(ui_drafts_keys, NULL), l.n, ui_drafts_draw, l.v,
		    &sel, &key);
		if (rc == UI_LIST_BACK)
			break;
		if (rc == UI_LIST_PICK)
			key = ui_drafts_read(ui, &l.v[sel]);
		else if (rc != UI_LIST_KEY)
			continue;
		if (key == UI_K_EDIT)
			ui_draft_resume(ui, &l.v[sel]);
		else if (key == UI_K_DELETE)
			(void)ui_drafts_delete(ui, &l.v[sel]);
	}
	draft_list_free(l.v, l.n);
	return 0;
}
