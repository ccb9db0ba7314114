/*
 * ui-arrival.c: what greets a user at login, before the main menu: the
 * count of new letters, the open polls she has not voted in, the news
 * not yet seen (then marked seen), the events she signed up for that
 * are today or tomorrow, and the latest unsent draft offered back to the screen it belongs to.
 * Nothing is shown when there is nothing to say: every "press a key"
 * screen costs a round trip on a slow link.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "board.h"
#include "draft.h"
#include "event.h"
#include "i18n.h"
#include "mail.h"
#include "news.h"
#include "request.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

/* The reminder of an event she comes to, today or tomorrow, at row y:
 * the row after it. */
static int
ui_arrival_event(int y, const struct event *e)
{
	char	 line[320], when[32];
	int64_t	 tomorrow = event_day_start(now_unix(), 1);

	text_date(e->starts_at, TEXT_DATE_MINUTE, when, sizeof(when));
	snprintf(line, sizeof(line), e->starts_at < tomorrow ?
	    _("Today at %s: %s \"%s\", %s") :
	    _("Tomorrow at %s: %s \"%s\", %s"), when + 11,	/* HH:MM */
	    event_kind_label(e->kind), e->title, e->place);
	attron(A_BOLD);
	ui_text(y, 2, COLS - 3, line);
	attroff(A_BOLD);
	return y + 1;
}

void
ui_arrival(struct ui *ui)
{
	struct event	*ev = NULL;
	size_t		 nev = 0;
	struct news_item *v = NULL;
	struct draft	*d = NULL;
	struct request	 r;
	char		 nu[37];
	int64_t		 letters = mail_unread(ui->st, ui->user->id);
	int		 polls = board_polls_waiting(ui->st, ui->user);
	int		 replies = board_replies_waiting(ui->st, ui->user);
	size_t		 n = 0, i;
	char		 line[160], date[32];
	int		 y;
	wint_t		 wch;

	(void)news_list(ui->st, ui->user->id, &v, &n);
	(void)event_reminders(ui->st, ui->user, &ev, &nev);
	if (letters > 0 || n > 0 || polls > 0 || nev > 0 ||
	    replies > 0) {
		erase();
		ui_header(ui, _("Since your last visit"));
		y = 3;
		if (letters > 0) {
			attron(A_BOLD);
			snprintf(line, sizeof(line), _("You have new letters: "
			    "%lld (Mail, key m)."), (long long)letters);
			ui_text(y, 2, COLS - 3, line);
			attroff(A_BOLD);
			y += 2;
		}
		if (polls > 0) {
			snprintf(line, sizeof(line), _("Open polls waiting for "
			    "your vote: %d (Boards, key b)."), polls);
			ui_text(y, 2, COLS - 3, line);
			y += 2;
		}
		for (i = 0; i < nev && y < LINES - 3; i++)
			y = ui_arrival_event(y, &ev[i]);
		if (nev > 0)
			y++;
		if (replies > 0) {
			snprintf(line, sizeof(line), _("Threads you follow "
			    "have new replies: %d (Boards, key b)."), replies);
			ui_text(y, 2, COLS - 3, line);
			y += 2;
		}
		for (i = 0; i < n && y < LINES - 3; i++) {
			attron(A_BOLD);
			snprintf(line, sizeof(line), "%s  ",
			    text_date(v[i].created_at, TEXT_DATE_MINUTE, date, sizeof(date)));
			ui_text(y, 2, 18, line);
			ui_text(y++, 20, COLS - 21, v[i].title);
			attroff(A_BOLD);
			y = ui_wrap(y, 4, LINES - 2, COLS - 5, v[i].body) + 1;
		}
		ui_status(ui, "%s", _("Any key: the main menu"));
		refresh();
		(void)ui_key(ui, &wch);
		if (n > 0 && request_uuid_of(ui->st, REQF_NEWS, v[n - 1].id,
		    nu) == 0) {
			request_init(&r, REQ_NEWS_SEEN, ui->user);
			r.news = nu;
			(void)ui_request(ui, &r, NULL);	/* it says what failed */
		}
	}
	news_list_free(v, n);
	event_list_free(ev, nev);
	if (draft_latest(ui->st, ui->user->id, &d) != 0)
		return;
	if (ui_draft_offer(ui, d, _("You have an unsent text. Continue it?")))
		ui_draft_resume(ui, d);
	draft_free(d);
}
