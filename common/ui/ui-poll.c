/*
 * ui-poll.c: the polls of a board.  A teacher votes, and may change her
 * vote until the poll closes; the results are a text bar chart, shown
 * right after voting and, for everyone, once the poll is closed.  Each
 * answer's share is of the voters, so a multiple-choice poll's shares
 * may add up to more than 100%.  The board's coordinators create polls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "board.h"
#include "i18n.h"
#include "perr.h"
#include "polls.h"
#include "request.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

#define BAR_MAX	30

static void
poll_draw(size_t i, int y, void *arg)
{
	struct poll	*p = (struct poll *)arg + i;
	const char	*state = p->closed ? _("closed") :
	    p->voted ? _("voted") : _("open");

	ui_text(y, 3, COLS - 3 - 16, p->question);
	ui_text(y, COLS - 14, 13, state);
}

/* The results as bars: "########    12 (40%)", the share of voters who
 * chose the answer; hers are marked. */
static char *
poll_results(const struct poll *p)
{
	char	*s = xstrdup(""), *t, bar[BAR_MAX * 3 + 1];
	int64_t	 voters = p->voters;
	size_t	 i;
	int	 k, len, pct;

	for (i = 0; i < p->nopt; i++) {
		pct = voters > 0 ? (int)(p->opt[i].votes * 100 / voters) : 0;
		len = voters > 0 ? (int)(p->opt[i].votes * BAR_MAX / voters) : 0;
		bar[0] = '\0';
		for (k = 0; k < len && k < BAR_MAX; k++)
			strcat(bar, "#");
		t = xasprintf("%s%zu. %s%s\n   %-*s %lld (%d%%)\n", s, i + 1,
		    p->opt[i].text, p->opt[i].mine ? _("  (your answer)") : "",
		    BAR_MAX, bar, (long long)p->opt[i].votes, pct);
		free(s);
		s = t;
	}
	t = xasprintf(_("%sVoted: %lld"), s, (long long)p->voters);
	free(s);
	return t;
}

static void
poll_head(const struct poll *p, char *buf, size_t size)
{
	char		 date[32];

	text_date(p->closes_at, TEXT_DATE_DAY, date, sizeof(date));
	snprintf(buf, size, "%s\n%s  %s %s", p->question,
	    p->multiple ? _("several answers") : _("one answer"),
	    p->closed ? _("closed on") : _("closes on"), date);
}

/* A vote may be changed while the poll is open. */
static int
poll_may_change(struct ui *ui, void *arg)
{
	const struct poll	*p = arg;

	(void)ui;
	return p->voted && !p->closed;
}

static const struct ui_keydef poll_results_keys[] = {
	{ .key = UI_K_EDIT, .label = N_("change vote"),
	  .help = N_("vote again; allowed until the poll closes"),
	  .may = poll_may_change },
	UI_KEY_BACK,
};

/* The results; 1 if she asks to change her vote. */
static int
poll_show_results(struct ui *ui, struct poll *p, const char *why)
{
	char	 head[512], *body = poll_results(p);
	wint_t	 key;
	struct ui_keys	*ks = UI_KEYS(poll_results_keys, p);
	int	 rc;

	poll_head(p, head, sizeof(head));
	ks->msg = why != NULL ? _(why) : NULL;
	rc = ui_viewer(ui, _("Poll results"), head, body, ks, &key);
	free(body);
	return rc == UI_LIST_KEY && key == UI_K_EDIT;
}

static int
poll_may_multiple(struct ui *ui, void *arg)
{
	(void)ui;
	return ((const struct poll *)arg)->multiple;
}

static int
poll_may_single(struct ui *ui, void *arg)
{
	return !poll_may_multiple(ui, arg);
}

/* The vote's keys: a digit is a row that only explains (key 0). */
static const struct ui_keydef poll_vote_keys[] = {
	{ .name = N_("1-5"), .label = N_("votes"),
	  .help = N_("the digit of your answer votes for it"),
	  .may = poll_may_single },
	{ .name = N_("1-5"), .label = N_("mark"),
	  .help = N_("a digit marks or unmarks its answer"),
	  .may = poll_may_multiple },
	{ .key = UI_KEY_ENTER, .label = N_("vote"),
	  .help = N_("vote for the marked answers"),
	  .may = poll_may_multiple },
	UI_KEY_BACK,
};

/* Let the user choose and vote (her earlier answers marked): 1 if she
 * voted. */
static int
poll_vote_screen(struct ui *ui, struct poll *p)
{
	const struct ui_keys *ks = UI_KEYS(poll_vote_keys, p);
	char	 legend[256];
	int	 chosen[POLL_OPTIONS_MAX] = { 0 };
	int64_t	 ids[POLL_OPTIONS_MAX];	/* positions, 1-based */
	struct request r;
	char	 head[512], line[256], uuid[37];
	size_t	 i, n;
	wint_t	 wch;
	int	 k, y0, rc;

	for (i = 0; i < p->nopt && i < POLL_OPTIONS_MAX; i++)
		chosen[i] = p->opt[i].mine;
	for (;;) {
		erase();
		ui_header(ui, _("Poll"));
		poll_head(p, head, sizeof(head));
		attron(A_BOLD);
		y0 = ui_wrap(2, 0, LINES - 3, COLS - 1, head) + 1;
		attroff(A_BOLD);
		for (i = 0; i < p->nopt && y0 + (int)i < LINES - 1; i++) {
			snprintf(line, sizeof(line), "%s %zu. %s",
			    p->multiple ? (chosen[i] ? "[x]" : "[ ]") : "",
			    i + 1, p->opt[i].text);
			ui_text(y0 + (int)i, 2, COLS - 3, line);
		}
		ui_keys_legend(ui, ks, COLS - 1, legend, sizeof(legend));
		ui_status(ui, "%s", legend);
		refresh();
		k = ui_key(ui, &wch);
		if (k == UI_CHAR && wch == UI_ESC)
			return 0;
		if (ui_keys_is_help(ks, k, wch)) {
			ui_keys_help(ui, _("Poll"), ks, NULL, 0);
			continue;
		}
		if (k == UI_CHAR && wch >= L'1' && wch < L'1' + (wint_t)p->nopt) {
			i = (size_t)(wch - L'1');
			if (p->multiple) {
				chosen[i] = !chosen[i];
				continue;
			}
			ids[0] = (int64_t)i + 1;
			n = 1;
		} else if (p->multiple && ((k == UI_CHAR && wch == L'\r') ||
		    (k == UI_FUNC && wch == KEY_ENTER))) {
			for (i = 0, n = 0; i < p->nopt; i++)
				if (chosen[i])
					ids[n++] = (int64_t)i + 1;
			if (n == 0) {
				ui_notice(ui, _(perr_str(PERR_CHOICE)));
				continue;
			}
		} else
			continue;
		request_init(&r, REQ_POLL_VOTE, ui->user);
		r.poll = uuid;
		r.choice = ids;
		r.nchoice = n;
		if ((rc = request_uuid_of(ui->st, REQF_POLL, p->id, uuid)) == 0)
			rc = ui_apply(ui, &r, NULL);
		if (rc == 0)
			return 1;
		ui_notice(ui, _(perr_str(rc)));
		return 0;
	}
}

struct newpoll {
	struct ui_field	 f[8];
	int64_t		 closes;
	size_t		 nopt;
};

static int
newpoll_check(struct ui *ui, void *arg)
{
	struct newpoll	*np = arg;
	size_t		 i;
	int		 rc;

	for (i = 0; i < 8; i++)
		text_trim(np->f[i].value);
	if ((rc = text_check(np->f[0].value, POLL_TEXT_MAX, 0)) != 0) {
		ui_status(ui, "%s: %s", _(np->f[0].label), _(perr_str(rc)));
		return 0;
	}
	for (i = 1, np->nopt = 0; i <= 5; i++)
		if (*np->f[i].value != '\0')
			np->nopt++;
	if (np->nopt < 2) {
		ui_status(ui, "%s", _(perr_str(PERR_POLL_OPTIONS)));
		return 1;
	}
	if ((rc = poll_parse_date(np->f[6].value, &np->closes)) != 0) {
		ui_status(ui, "%s: %s", _(np->f[6].label), _(perr_str(rc)));
		return 6;
	}
	return -1;
}

static void
poll_create(struct ui *ui, int64_t board_id)
{
	struct newpoll	 np;
	struct request	 r;
	const char	*opts[5];
	char		 uuid[37];
	size_t		 i, n = 0;
	int		 rc;

	memset(&np, 0, sizeof(np));
	np.f[0] = (struct ui_field){ N_("Question"), xstrdup(""), POLL_TEXT_MAX, 0 };
	np.f[1] = (struct ui_field){ N_("Answer 1"), xstrdup(""), POLL_TEXT_MAX, 0 };
	np.f[2] = (struct ui_field){ N_("Answer 2"), xstrdup(""), POLL_TEXT_MAX, 0 };
	np.f[3] = (struct ui_field){ N_("Answer 3"), xstrdup(""), POLL_TEXT_MAX, 0 };
	np.f[4] = (struct ui_field){ N_("Answer 4"), xstrdup(""), POLL_TEXT_MAX, 0 };
	np.f[5] = (struct ui_field){ N_("Answer 5"), xstrdup(""), POLL_TEXT_MAX, 0 };
	np.f[6] = (struct ui_field){ N_("Closes (DD.MM.YYYY)"), xstrdup(""), 10, 0 };
	np.f[7] = (struct ui_field){ N_("Several answers (y/n)"), xstrdup("n"), 3, 0 };
	if (ui_form(ui, _("New poll"), _("Two to five answers; leave the "
	    "others empty."), np.f, 8, newpoll_check, &np)) {
		for (i = 1; i <= 5; i++)
			if (*np.f[i].value != '\0')
				opts[n++] = np.f[i].value;
		request_init(&r, REQ_POLL_ADD, ui->user);
		r.board = uuid;
		r.subject = np.f[0].value;
		r.list = opts;
		r.nlist = n;
		r.number = ui_is_key((wint_t)np.f[7].value[0], L'y') ||
		    strncmp(np.f[7].value, "д", strlen("д")) == 0;
		r.when = np.closes;
		if ((rc = request_uuid_of(ui->st, REQF_BOARD, board_id,
		    uuid)) == 0)
			rc = ui_apply(ui, &r, NULL);
		ui_notice(ui, rc == 0 ? _("The poll is open.") : _(perr_str(rc)));
	}
	for (i = 0; i < 8; i++)
		free(np.f[i].value);
}

static const struct ui_keydef polls_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("view"),
	  .help = N_("vote, or see the results") },
	{ .key = UI_K_WRITE, .label = N_("create"),
	  .help = N_("open a new poll (coordinators)"),
	  .may = ui_board_may_mod },
	UI_KEY_BACK,
};

/* Right after a vote: the results as they are now, hers marked. */
static void
ui_polls_voted(struct ui *ui, int64_t board_id, int64_t poll_id)
{
	struct poll	*v = NULL;
	size_t		 n = 0, i;

	if (poll_list(ui->st, ui->user, board_id, &v, &n) != 0) {
		ui_notice(ui, _("Your vote is counted."));
		return;
	}
	for (i = 0; i < n; i++)
		if (v[i].id == poll_id) {
			(void)poll_show_results(ui, &v[i],
			    N_("Your vote is counted."));
			break;
		}
	poll_list_free(v, n);
}

void
ui_polls(struct ui *ui, int64_t board_id)
{
	struct board	*b = NULL;
	UI_ROWS(struct poll) l = { NULL, 0 };
	size_t		 sel = 0;
	wint_t		 key;
	int		 rc;

	if ((rc = board_get_for(ui->st, ui->user, NULL, board_id, &b)) != 0) {
		ui_notice(ui, _(perr_str(rc)));
		return;
	}
	for (;;) {
		UI_ROWS_FREE(l, poll_list_free);
		rc = poll_list(ui->st, ui->user, board_id, &l.v, &l.n);
		if (!ui_list_ready(ui, rc, l.n, NULL))
			break;
		rc = ui_list(ui, _("Polls"), UI_KEYS(polls_keys, &b), l.n,
		    poll_draw, l.v, &sel, &key);
		if (rc == UI_LIST_BACK)
			break;
		if (rc == UI_LIST_KEY)
			poll_create(ui, board_id);
		else if (l.v[sel].closed)
			(void)poll_show_results(ui, &l.v[sel],
			    N_("The poll is closed."));
		else if (!l.v[sel].voted ||
		    poll_show_results(ui, &l.v[sel], N_("You have voted; "
		    "e changes your vote until the poll closes."))) {
			if (poll_vote_screen(ui, &l.v[sel]))
				ui_polls_voted(ui, board_id, l.v[sel].id);
		}
	}
	poll_list_free(l.v, l.n);
	board_free(b);
}
