/*
 * sysop-boards.c: the console's commands on boards and what is posted on
 * them: adding, listing, editing and removing boards, their
 * coordinators, a thread started as a user ("post"), moderation
 * ("hide", "unhide"), and sharing boards with other districts.
 */
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "i18n.h"
#include "perr.h"
#include "post.h"
#include "request.h"
#include "share.h"
#include "store.h"
#include "sysop.h"
#include "text.h"
#include "util.h"

/* board add NAME TITLE [DESCRIPTION] */
int
sysop_boards_add(struct sysop *s, struct sysop_args *a)
{
	const char	*name = a->argv[0], *title = a->argv[1];
	const char	*desc = a->argc > 2 ? a->argv[2] : "";
	struct request	 r;
	int		 rc;

	/* board_add() does not say which field it refused; ask first. */
	if ((rc = board_check_name(name)) != 0) {
		sysop_err(_("board name \"%s\": %s"), name, _(perr_str(rc)));
		return -1;
	}
	if ((rc = text_check(title, BOARD_TITLE_MAX, 0)) != 0)
		return sysop_fail_field(_("title"), rc);
	if ((rc = text_check(desc, BOARD_DESC_MAX,
	    TEXT_EMPTY_OK | TEXT_MULTILINE)) != 0)
		return sysop_fail_field(_("description"), rc);
	request_init(&r, REQ_BOARD_ADD, NULL);
	r.name = name;
	r.subject = title;
	r.body = desc;
	if ((rc = sysop_request(s, &r, NULL)) != 0)
		return sysop_fail_exists(
		    _("a board named \"%s\" exists already"), name, NULL, rc);
	sysop_say(_("Board %s is added."), name);
	return 0;
}

int
sysop_boards_list(struct sysop *s, struct sysop_args *a)
{
	struct board		*b;
	struct sysop_grid	 g;
	char			 th[24], po[24];
	size_t			 n, i;
	int			 rc;

	(void)a;
	if ((rc = board_list(s->st, &b, &n)) != 0)
		return sysop_fail(rc);
	sysop_grid_init(&g, 6, SYSOP_CELL_MAX, 1u << 2 | 1u << 3);
	sysop_grid_add(&g, _("NAME"), _("TITLE"), _("THREADS"), _("POSTS"),
	    _("READ/POST, COORDINATORS"), _("DESCRIPTION"));
	for (i = 0; i < n; i++) {
		char	*co = board_coordinators(s->st, b[i].id), *acc;

		snprintf(th, sizeof(th), "%lld", (long long)b[i].threads);
		snprintf(po, sizeof(po), "%lld", (long long)b[i].posts);
		acc = xasprintf("%s/%s%s%s%s", b[i].read_role, b[i].post_role,
		    b[i].premoderated ? _(", premoderated") : "",
		    *co != '\0' ? ", " : "", co);
		sysop_grid_add(&g, b[i].name, b[i].title, th, po, acc,
		    b[i].description);
		free(acc);
		free(co);
	}
	sysop_grid_list(&g, _("There are no boards yet."));
	board_list_free(b, n);
	return 0;
}

/* board edit NAME FIELD VALUE... */
int
sysop_boards_edit(struct sysop *s, struct sysop_args *a)
{
	char	*value = sysop_join(a->argc - 2, a->argv + 2);
	struct request r;
	int	 rc;

	request_init(&r, REQ_BOARD_EDIT, NULL);
	r.name = a->argv[1];
	r.text = value;
	rc = sysop_board_request(s, a->argv[0], &r);
	free(value);
	if (rc == PERR_NOTFOUND) {
		sysop_err(_("no board named \"%s\""), a->argv[0]);
		return -1;
	}
	if (rc != 0)
		return sysop_fail_field(a->argv[1], rc);
	sysop_say(_("Board %s: %s is changed."), a->argv[0], a->argv[1]);
	return 0;
}

/* board remove, board unshare: the row's request on the board NAME,
 * with the row's name (unshare: ""). */
int
sysop_boards_by_row(struct sysop *s, struct sysop_args *a)
{
	struct request	 r;
	int		 rc;

	request_init(&r, a->req->kind, NULL);
	r.name = a->req->name;
	if ((rc = sysop_board_request(s, a->argv[0], &r)) != 0)
		return sysop_fail_named(_("no board named \"%s\""), a->argv[0],
		    rc);
	sysop_say(_(a->req->done), a->argv[0]);
	return 0;
}

/* board coordinator BOARD USER [--remove] */
int
sysop_boards_coordinator(struct sysop *s, struct sysop_args *a)
{
	struct request	 r;
	char		 board[37], user[37];
	int		 on = a->opt[0] == NULL, rc;

	request_init(&r, REQ_BOARD_COORDINATOR, NULL);
	r.board = board;
	r.to = user;
	r.number = on;
	if ((rc = sysop_board_uuid(s, a->argv[0], board)) == 0 &&
	    (rc = sysop_user_uuid(s, a->argv[1], user)) == PERR_NOTFOUND)
		rc = PERR_NO_USER;
	if (rc == 0)
		rc = sysop_request(s, &r, NULL);
	if (rc == PERR_NOTFOUND) {
		sysop_err(_("no board named \"%s\""), a->argv[0]);
		return -1;
	}
	if (rc == PERR_NO_USER)
		return sysop_fail_user(a->argv[1], PERR_NOTFOUND);
	if (rc != 0)
		return sysop_fail(rc);
	if (on)
		sysop_say(_("%s coordinates board %s."), a->argv[1], a->argv[0]);
	else
		sysop_say(_("%s no longer coordinates board %s."), a->argv[1],
		    a->argv[0]);
	return 0;
}

/* post BOARD --as USER --subject TEXT, the body on stdin */
int
sysop_boards_post(struct sysop *s, struct sysop_args *a)
{
	struct board	*b = NULL;
	struct request	 r;
	struct request_result res;
	char		*body = NULL, as[37] = "";
	int64_t		 author, tid = 0, pid = 0;
	int		 rc;

	if (sysop_as(s, a->opt[0], &author) != 0)
		return -1;
	if ((rc = board_get_for(s->st, NULL, a->argv[0], 0, &b)) != 0) {
		sysop_err(_("no board named \"%s\""), a->argv[0]);
		return -1;
	}
	if ((rc = post_check_subject(a->opt[1])) != 0) {
		board_free(b);
		return sysop_fail_text(_("subject"), a->opt[1], 0, rc);
	}
	if ((rc = sysop_read_stdin(&body, POST_BODY_MAX,
	    N_("Type the post."))) == 0)
		rc = post_check_body(body);
	request_init(&r, REQ_THREAD_NEW, NULL);
	r.board = b->uuid;
	r.author = author != 0 ? as : NULL;
	r.subject = a->opt[1];
	r.body = body;
	if (rc == 0 && author != 0)
		rc = request_uuid_of(s->st, REQF_AUTHOR, author, as);
	if (rc == 0 && (rc = sysop_request(s, &r, &res)) == 0) {
		tid = res.id;
		rc = store_int(s->st, &pid, "SELECT min(id) FROM posts"
		    " WHERE thread_id = ?", "i", tid);
	}
	board_free(b);
	if (rc != 0) {
		sysop_fail_text(_("text"), body, 1, rc);
		free(body);
		return -1;
	}
	free(body);
	sysop_say(_("Posted: thread %lld, post %lld."), (long long)tid,
	    (long long)pid);
	return 0;
}

/*
 * Apply r to the post numbered arg, with text (NULL: none): 0 after
 * saying done (its %lld is the number), or -1 after saying what failed
 * (not_hidden, with arg for its %s, for PERR_NOT_HIDDEN).
 */
static int
sysop_boards_post_apply(struct sysop *s, const char *arg,
    enum request_kind kind, const char *text, const char *not_hidden,
    const char *done)
{
	char		*end, uuid[37];
	long long	 id = strtoll(arg, &end, 10);
	struct request	 r;
	int		 rc;

	request_init(&r, kind, NULL);
	r.post = uuid;
	r.text = text;
	if (*arg == '\0' || *end != '\0' || id <= 0)
		rc = PERR_NUMBER;
	else if ((rc = request_uuid_of(s->st, REQF_POST, id, uuid)) == 0)
		rc = sysop_request(s, &r, NULL);
	if (rc == PERR_NOTFOUND) {
		sysop_err(_("no post %s"), arg);
		return -1;
	}
	if (rc == PERR_NOT_HIDDEN && not_hidden != NULL) {
		sysop_err(not_hidden, arg);
		return -1;
	}
	if (rc != 0)
		return sysop_fail(rc);
	sysop_say(done, id);
	return 0;
}

/* hide POST [REASON...] */
int
sysop_boards_hide(struct sysop *s, struct sysop_args *a)
{
	char	*reason = sysop_join(a->argc - 1, a->argv + 1);
	int	 rc;

	rc = sysop_boards_post_apply(s, a->argv[0], REQ_POST_HIDE, reason,
	    NULL, _("Post %lld is hidden."));
	free(reason);
	return rc;
}

/* unhide POST: undo hide, audited alike. */
int
sysop_boards_unhide(struct sysop *s, struct sysop_args *a)
{
	return sysop_boards_post_apply(s, a->argv[0], REQ_POST_UNHIDE, NULL,
	    _("post %s is not hidden"), _("Post %lld is shown again."));
}

/*
 * board share [BOARD NEWSGROUP]: share BOARD with the other districts
 * through INN under NEWSGROUP (parta-news carries it); with no
 * arguments, list the shared boards.
 */
int
sysop_boards_share(struct sysop *s, struct sysop_args *a)
{
	struct sysop_grid	 g;
	struct share		*v;
	struct request		 r;
	size_t			 n, i;
	int			 rc;

	if (a->argc == 0) {
		if ((rc = share_list(s->st, &v, &n)) != 0)
			return sysop_fail(rc);
		sysop_grid_init(&g, 2, SYSOP_CELL_MAX, 0);
		sysop_grid_add(&g, _("NAME"), _("NEWSGROUP"));
		for (i = 0; i < n; i++)
			sysop_grid_add(&g, v[i].board, v[i].newsgroup);
		sysop_grid_list(&g, _("No board is shared."));
		share_list_free(v, n);
		return 0;
	}
	if (a->argc != 2) {
		sysop_err(_("usage: board share [BOARD NEWSGROUP]"));
		return -1;
	}
	if (share_check_group(a->argv[1]) != 0) {
		sysop_err(_("newsgroup \"%s\": lower-case Latin words joined by"
		    " dots, as parta.tatarstan.math"), a->argv[1]);
		return -1;
	}
	request_init(&r, REQ_BOARD_SHARE, NULL);
	r.name = a->argv[1];
	rc = sysop_board_request(s, a->argv[0], &r);
	if (rc == PERR_NOTFOUND)
		return sysop_fail_named(_("no board named \"%s\""), a->argv[0],
		    rc);
	if (rc != 0)
		return sysop_fail_exists(_("newsgroup %s is another board's"),
		    a->argv[1], NULL, rc);
	sysop_say(_("Board %s is shared as %s; its new posts go to the other"
	    " districts."), a->argv[0], a->argv[1]);
	return 0;
}
