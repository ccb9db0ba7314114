/*
 * ui-news.c: the news, the sysop's and coordinators' announcements: the
 * list, one item, and publishing one in the editor (also a news draft
 * resumed at login, ui-arrival.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "i18n.h"
#include "news.h"
#include "post.h"
#include "request.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

static void
ui_news_draw(size_t i, int y, void *arg)
{
	struct news_item	*it = (struct news_item *)arg + i;
	char		 date[32];

	ui_text(y, 3, 16, text_date(it->created_at, TEXT_DATE_MINUTE, date, sizeof(date)));
	ui_text(y, 21, COLS - 22, it->title);
}

static void
ui_news_show(struct ui *ui, const struct news_item *it)
{
	char	*head, date[32];
	wint_t	 key;

	/* The name teachers know her by; the login of a nameless one. */
	head = xasprintf("%s\n%s  %s", it->title,
	    *it->author_name != '\0' ? it->author_name :
	    *it->author != '\0' ? it->author : _("sysop"),
	    text_date(it->created_at, TEXT_DATE_MINUTE, date, sizeof(date)));
	(void)ui_viewer(ui, _("News"), head, it->body, NULL, &key);
	free(head);
}

static void
ui_news_write(struct ui *ui)
{
	char	*title;
	struct ui_doc doc;

	if ((title = ui_ask(ui, _("Publish news"), N_("Title"), "",
	    POST_SUBJECT_MAX)) == NULL)
		return;
	memset(&doc, 0, sizeof(doc));
	doc.title = N_("Publish news");
	doc.has_subject = 1;
	doc.subject = title;
	doc.body = xstrdup("");
	doc.kind = "news";
	ui_news_resume(ui, &doc);
}

void
ui_news_resume(struct ui *ui, struct ui_doc *doc)
{
	struct request	 r;

	doc->kind = "news";
	doc->title = N_("Publish news");
	doc->has_subject = 1;
	while (ui_edit(ui, doc)) {
		request_init(&r, REQ_NEWS_ADD, ui->user);
		strlcpy_p(r.uuid, doc->uuid, sizeof(r.uuid));
		r.subject = doc->subject;
		r.body = doc->body;
		/* A failure is said as every write's is; the text stays. */
		if (ui_request(ui, &r, NULL) == 0) {
			/* One's own news is not news to oneself. */
			ui_doc_done(ui, doc);
			return;
		}
	}
	ui_doc_free(doc);
}

static const struct ui_keydef ui_news_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("read"),
	  .help = N_("read the marked announcement") },
	{ .key = UI_K_WRITE, .label = N_("write"), .help = N_("publish news"),
	  .may = ui_keys_may_flag },
	UI_KEY_BACK,
};

int
ui_news(struct ui *ui)
{
	UI_ROWS(struct news_item) l = { NULL, 0 };
	size_t		 sel = 0;
	wint_t		 key;
	int		 rc, may = news_may_publish(ui->st, ui->user->id,
			     (int)ui->user->role);

	for (;;) {
		UI_ROWS_FREE(l, news_list_free);
		rc = news_list(ui->st, 0, &l.v, &l.n);
		if (!ui_list_ready(ui, rc, l.n, NULL))
			break;
		rc = ui_list(ui, _("News"), UI_KEYS(ui_news_keys, &may), l.n,
		    ui_news_draw, l.v, &sel, &key);
		if (rc == UI_LIST_BACK)
			break;
		if (rc == UI_LIST_KEY)
			ui_news_write(ui);
		else
			ui_news_show(ui, &l.v[sel]);
	}
	news_list_free(l.v, l.n);
	return 0;
}
