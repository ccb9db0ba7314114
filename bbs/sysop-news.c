/*
 * sysop-news.c: what the console announces to everyone: news (shown once
 * at each user's login), polls on a board, and a letter to every account
 * or to a role ("broadcast").  The texts are read from standard input.
 */
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "mail.h"
#include "news.h"
#include "perr.h"
#include "polls.h"
#include "post.h"
#include "request.h"
#include "sysop.h"
#include "text.h"
#include "user.h"
#include "util.h"

/* news list: every item, newest first, with its number. */
int
sysop_news_list(struct sysop *s, struct sysop_args *a)
{
	struct news_item	*v = NULL;
	struct sysop_grid	 g;
	char			 id[24], t[32];
	size_t			 n = 0, i;
	int			 rc;

	(void)a;
	if ((rc = news_list(s->st, 0, &v, &n)) != 0)
		return sysop_fail(rc);
	sysop_grid_init(&g, 4, SYSOP_CELL_MAX, 1u);
	sysop_grid_add(&g, _("ID"), _("DATE"), _("AUTHOR"), _("TITLE"));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)v[i].id);
		sysop_grid_add(&g, id, text_date(v[i].created_at,
		    TEXT_DATE_ISO_DAY, t, sizeof(t)), *v[i].author != '\0' ?
		    v[i].author : _("(console)"), v[i].title);
	}
	sysop_grid_list(&g, _("There is no news."));
	news_list_free(v, n);
	return 0;
}

/* news remove ID, poll close ID, poll remove ID: one shape, a row each
 * (sysop-cmd.c).  Apply a->req to the item numbered ID, as s's actor. */
int
sysop_news_by_id(struct sysop *s, struct sysop_args *a)
{
	const struct sysop_req_cmd *op = a->req;
	const char	*arg = a->argv[0];
	struct request r;
	char	 uuid[37];
	int64_t	 id;
	int	 rc;

	if (sysop_parse_id(arg, &id, NULL) != 0)
		return -1;
	request_init(&r, op->kind, NULL);
	r.news = uuid;
	r.poll = uuid;
	if ((rc = request_uuid_of(s->st, op->field, id, uuid)) == 0)
		rc = sysop_request(s, &r, NULL);
	if (rc == PERR_NOTFOUND) {
		sysop_err(_(op->notfound), arg);
		return -1;
	}
	if (rc != 0)
		return sysop_fail(rc);
	sysop_say(_(op->done), (long long)id);
	return 0;
}

/* poll list BOARD: its polls, their numbers, state and voters. */
int
sysop_news_poll_list(struct sysop *s, struct sysop_args *a)
{
	struct board		*b = NULL;
	struct poll		*v = NULL;
	struct sysop_grid	 g;
	char			 id[24], voters[24], t[32];
	size_t			 n = 0, i;
	int			 rc;

	if ((rc = board_get_for(s->st, NULL, a->argv[0], 0, &b)) != 0) {
		sysop_err(_("no board named \"%s\""), a->argv[0]);
		return -1;
	}
	rc = poll_list(s->st, NULL, b->id, &v, &n);
	board_free(b);
	if (rc != 0)
		return sysop_fail(rc);
	sysop_grid_init(&g, 5, SYSOP_CELL_MAX, 1u | 1u << 3);
	sysop_grid_add(&g, _("ID"), _("CLOSES"), _("STATE"), _("VOTERS"),
	    _("QUESTION"));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)v[i].id);
		snprintf(voters, sizeof(voters), "%lld", (long long)v[i].voters);
		sysop_grid_add(&g, id, v[i].closes_at != 0 ?
		    text_date(v[i].closes_at, TEXT_DATE_ISO_DAY, t, sizeof(t)) :
		    "-", v[i].closed ? _("closed") : _("open"), voters,
		    v[i].question);
	}
	sysop_grid_list(&g, _("The board has no polls."));
	poll_list_free(v, n);
	return 0;
}

/*
 * What news and broadcast share: the subject (subject, checked), the
 * author (as_login, or the console's own: *as stays ""), and the body
 * read from stdin after prompt, in *body (the caller frees it).  0, or
 * -1 once reported (*body NULL).
 */
static int
sysop_news_compose(struct sysop *s, const char *subject, const char *as_login,
    const char *prompt, char **body, char as[37])
{
	int64_t	 author;
	int	 rc;

	*body = NULL;
	if (sysop_as(s, as_login, &author) != 0)
		return -1;
	if ((rc = post_check_subject(subject)) != 0) {
		sysop_fail_text(_("subject"), subject, 0, rc);
		return -1;
	}
	if ((rc = sysop_read_stdin(body, POST_BODY_MAX, prompt)) == 0 &&
	    author != 0)
		rc = request_uuid_of(s->st, REQF_AUTHOR, author, as);
	if (rc != 0) {
		sysop_fail_text(_("text"), *body, 1, rc);
		free(*body);
		*body = NULL;
		return -1;
	}
	return 0;
}

/* broadcast --subject TEXT [--role ROLE] [--as USER], the body on stdin */
int
sysop_news_broadcast(struct sysop *s, struct sysop_args *a)
{
	struct request r;
	struct request_result res;
	char	*body, as[37] = "";
	size_t	 n = 0;
	int	 role = -1, rc;

	if (a->opt[1] != NULL && (role = role_parse(a->opt[1])) < 0)
		return sysop_fail(PERR_ROLE);
	if (sysop_news_compose(s, a->opt[0], a->opt[2], N_("Type the letter."),
	    &body, as) != 0)
		return -1;
	request_init(&r, REQ_MAIL_BROADCAST, NULL);
	r.author = *as != '\0' ? as : NULL;
	r.number = role;
	r.subject = a->opt[0];
	r.body = body;
	if ((rc = sysop_request(s, &r, &res)) == 0)
		n = (size_t)res.value;	/* the broadcast is audited with it */
	if (rc != 0) {
		sysop_fail_text(_("text"), body, 1, rc);
		free(body);
		return -1;
	}
	free(body);
	sysop_say(_("The letter is sent to %zu accounts."), n);
	return 0;
}

/* news --subject TEXT [--as USER], the body on stdin */
int
sysop_news_publish(struct sysop *s, struct sysop_args *a)
{
	struct request r;
	char	*body, as[37] = "";
	int	 rc;

	if (sysop_news_compose(s, a->opt[0], a->opt[1], N_("Type the news."),
	    &body, as) != 0)
		return -1;
	request_init(&r, REQ_NEWS_ADD, NULL);
	r.author = *as != '\0' ? as : NULL;
	r.subject = a->opt[0];
	r.body = body;
	rc = sysop_request(s, &r, NULL);
	if (rc != 0) {
		sysop_fail_text(_("text"), body, 1, rc);
		free(body);
		return -1;
	}
	free(body);
	sysop_say("%s", _("The news is published."));
	return 0;
}

/* poll add BOARD --question TEXT --closes DATE [--multiple], one option
 * per line on stdin */
int
sysop_news_poll_add(struct sysop *s, struct sysop_args *a)
{
	struct board	*b = NULL;
	struct request	 r;
	const char	*opts[POLL_OPTIONS_MAX];
	char		*in = NULL, *line, *save = NULL;
	int64_t		 closes;
	size_t		 n = 0;
	int		 rc;

	if ((rc = board_get_for(s->st, NULL, a->argv[0], 0, &b)) != 0) {
		sysop_err(_("no board named \"%s\""), a->argv[0]);
		return -1;
	}
	if ((rc = poll_parse_date(a->opt[1], &closes)) != 0) {
		board_free(b);
		return sysop_fail_field("--closes", rc);
	}
	if ((rc = sysop_read_stdin(&in, 64 * 1024,
	    N_("Type the answers, one per line."))) == 0) {
		for (line = strtok_r(in, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			if (*text_trim(line) == '\0')
				continue;
			if (n == POLL_OPTIONS_MAX) {
				rc = PERR_POLL_OPTIONS;
				break;
			}
			opts[n++] = line;
		}
	}
	request_init(&r, REQ_POLL_ADD, NULL);
	r.board = b->uuid;
	r.subject = a->opt[0];
	r.list = opts;
	r.nlist = n;
	r.number = a->opt[2] != NULL;
	r.when = closes;
	if (rc == 0)
		rc = sysop_request(s, &r, NULL);
	free(in);
	board_free(b);
	if (rc != 0)
		return sysop_fail(rc);
	sysop_say(_("The poll is open on board %s."), a->argv[0]);
	return 0;
}
