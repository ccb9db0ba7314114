/*
 * sysop-search.c: "search" and "library search", the full-text search
 * as the sysop runs it: every post and every item, hidden and pending
 * ones too, each hit with the number that "hide" or "library remove"
 * takes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "perr.h"
#include "search.h"
#include "sysop.h"
#include "text.h"
#include "user.h"
#include "util.h"

/* search QUERY... [--board B]: the posts a moderator looks for, best
 * first, with the post id that "hide" takes.  library search: the items,
 * with the id "library remove" takes.  Both print the same six columns. */
enum { SEARCH_OPT_BOARD };
enum { LIBSEARCH_OPT_SECTION };
#define SEARCH_CONSOLE_LIMIT	100
#define SEARCH_SUBJECT_COLS	30

/* The heads of the columns: number, place, subject, author, date, text.
 * The console searches no mail. */
static const char *const search_heads[][6] = {
	[SEARCH_POSTS] = { N_("POST"), N_("BOARD"), N_("THREAD"), N_("AUTHOR"),
	    N_("DATE"), N_("TEXT") },
	[SEARCH_LIBRARY] = { N_("ID"), N_("SECTION"), N_("TITLE"),
	    N_("AUTHOR"), N_("DATE"), N_("TEXT") },
};

/* Run q as the console and print its hits, the found words in [[ ]].
 * 0, or -1 (reported). */
static int
sysop_search_print(struct sysop *s, struct search_query *q)
{
	const char *const	*head = search_heads[q->source];
	struct search_hit	*h = NULL;
	struct sysop_grid	 g;
	char			*subj, *snip;
	char			 id[24], t[32];
	size_t			 n = 0, i;
	int			 rc;

	q->user_id = 0;
	q->role = ROLE_SYSOP;
	q->limit = SEARCH_CONSOLE_LIMIT;
	if ((rc = search_run(s->st, q, &h, &n)) != 0) {
		sysop_err(_("search \"%s\": %s"), q->text, _(perr_str(rc)));
		return -1;
	}
	sysop_grid_init(&g, 6, 0, 1u << 0);
	sysop_grid_add(&g, _(head[0]), _(head[1]), _(head[2]), _(head[3]),
	    _(head[4]), _(head[5]));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)h[i].id);
		subj = sysop_cell_new(h[i].subject, SEARCH_SUBJECT_COLS);
		snip = search_mark(h[i].snippet, "[[", "]]");
		sysop_grid_add(&g, id, h[i].board, subj, *h[i].author != '\0' ?
		    h[i].author : "-", text_date(h[i].created_at,
		    TEXT_DATE_ISO_MINUTE, t, sizeof(t)), snip);
		free(subj);
		free(snip);
	}
	sysop_grid_list(&g, _("Nothing found."));
	search_hits_free(h, n);
	return 0;
}

int
sysop_search_posts(struct sysop *s, struct sysop_args *a)
{
	struct search_query	 q = { 0 };
	char			*text = sysop_join(a->argc, a->argv);
	const char		*board = a->opt[SEARCH_OPT_BOARD];
	int			 rc, ret = -1;

	q.text = text;
	q.source = SEARCH_POSTS;
	if (board != NULL && (rc = search_find_board(s->st, board, ROLE_SYSOP,
	    0, &q.board_id)) != 0) {
		sysop_err(_("board \"%s\": %s"), board, _(perr_str(rc)));
		goto out;
	}
	ret = sysop_search_print(s, &q);
out:
	free(text);
	return ret;
}

/* library search QUERY... [--section S]: every item, pending ones too. */
int
sysop_search_library(struct sysop *s, struct sysop_args *a)
{
	struct search_query	 q = { 0 };
	char			*text = sysop_join(a->argc, a->argv), *name = NULL;
	const char		*section = a->opt[LIBSEARCH_OPT_SECTION];
	int			 rc, ret = -1;

	q.text = text;
	q.source = SEARCH_LIBRARY;
	if (section != NULL &&
	    (rc = search_find_section(s->st, section, &name)) != 0) {
		sysop_err(_("section \"%s\": %s"), section, _(perr_str(rc)));
		goto out;
	}
	q.section = name;
	ret = sysop_search_print(s, &q);
out:
	free(name);
	free(text);
	return ret;
}
