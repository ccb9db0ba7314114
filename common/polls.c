/*
 * polls.c: polls, their options and votes in the store.  "Votes once" is
 * checked inside the voting transaction, so two sessions of one teacher
 * cannot both vote.
 *
 * A client's copy (a store of kind "local") holds her own votes only:
 * the totals the BBS shows come with each poll from the server, and
 * sync-local.c keeps them in copy_poll_votes (by option, in the options'
 * order) and copy_poll_voters, which the copy alone has.  The counts
 * below are read from there in a copy, and counted in the server's.
 */
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "perr.h"
#include "polls.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"

STORE_ROWTYPE(poll_option_rows, struct poll_option,
	STORE_COL(I64, struct poll_option, id),
	STORE_COL(TEXT, struct poll_option, text),
	STORE_COL(I64, struct poll_option, votes),
	STORE_COL(INT, struct poll_option, mine));

/* The votes of option o and the voters of poll p, as the server
 * counts them and as a copy was told them. */
#define POLL_VOTES	"(SELECT count(*) FROM poll_votes v WHERE" \
	" v.option_id = o.id)"
#define POLL_VOTES_COPY	"coalesce((SELECT c.votes FROM copy_poll_votes c" \
	" WHERE c.poll_id = o.poll_id AND c.n = (SELECT count(*) FROM" \
	" poll_options o2 WHERE o2.poll_id = o.poll_id AND (o2.position <" \
	" o.position OR (o2.position = o.position AND o2.id < o.id)))), 0)"
#define POLL_VOTERS	"(SELECT count(DISTINCT user_id) FROM poll_votes v" \
	" WHERE v.poll_id = p.id)"
#define POLL_VOTERS_COPY "coalesce((SELECT c.voters FROM copy_poll_voters c" \
	" WHERE c.poll_id = p.id), 0)"

/* 1 if st is a client's copy, whose totals are the server's word. */
static int
poll_in_copy(struct store *st)
{
	const struct store_meta	*m = store_meta(st);

	return m->kind != NULL && strcmp(m->kind, "local") == 0;
}

int
poll_parse_date(const char *s, int64_t *t)
{
	if (text_parse_day(s, 1, t) != 0)
		return PERR_DATE;
	if (*t < now_unix()) {
		*t = 0;
		return PERR_DATE;
	}
	return 0;
}

int
poll_add(struct store *st, const struct user *u, const char *actor,
    int64_t board_id, const char *question, const char *const *options,
    size_t n, int multiple, int64_t closes_at, int64_t *id_out)
{
	struct board	*b = NULL;
	char		*q = NULL, *o;
	int64_t		 id = 0, lid;
	size_t		 i;
	int		 rc;

	if (n < 2 || n > POLL_OPTIONS_MAX)
		return PERR_POLL_OPTIONS;
	if ((rc = text_check(question, POLL_TEXT_MAX, 0)) != 0)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = text_check(options[i], POLL_TEXT_MAX, 0)) != 0)
			return rc;
	if (closes_at != 0 && closes_at < now_unix())
		return PERR_DATE;
	if ((rc = board_get_for(st, u, NULL, board_id, &b)) != 0)
		return rc;
	/* Refused before the transaction: not through out, which would roll
	 * back a caller's (store.h). */
	if (!b->is_mod || (q = text_nfc(question)) == NULL) {
		rc = b->is_mod ? PERR_UTF8 : PERR_NOT_MOD;
		board_free(b);
		return rc;
	}
	if ((rc = store_begin(st)) != 0)
		goto out;
	rc = store_insert(st, "polls", &id, "INSERT INTO polls(uuid, id,"
	    " board_id, author_id, question, multiple, closes_at, created_at)"
	    " VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, ?6, nullif(?7, 0), ?8)",
	    "iitiii", board_id, (int64_t)(u != NULL ? u->id : 0), q,
	    (int64_t)(multiple != 0), closes_at, now_unix());
	for (i = 0; rc == 0 && i < n; i++) {
		if ((o = text_nfc(options[i])) == NULL)
			rc = PERR_UTF8;
		else if ((rc = store_new_id(st, "poll_options", &lid)) == 0)
			rc = store_write(st, NULL, "INSERT INTO poll_options("
			    "poll_id, position, text, id) VALUES (?, ?, ?,"
			    " nullif(?, 0))", "iiti", id, (int64_t)i + 1, o,
			    lid);
		free(o);
	}
out:
	if ((rc = audit_end(st, rc, actor, "poll add", b->name, q)) == 0 &&
	    id_out != NULL)
		*id_out = id;
	board_free(b);
	free(q);
	return rc;
}

/* Closed: past its closing time now. */
static void
poll_fix(sqlite3_stmt *stmt, void *elem)
{
	struct poll	*p = elem;

	(void)stmt;
	p->closed = p->closes_at != 0 && p->closes_at < now_unix();
}

static void
poll_clear(void *elem)
{
	struct poll	*p = elem;

	store_rows_free(&poll_option_rows, p->opt, p->nopt);
}

static const struct store_col poll_cols[] = {
	STORE_COL(I64, struct poll, id),
	STORE_COL(I64, struct poll, board_id),
	STORE_COL(TEXT, struct poll, question),
	STORE_COL(TEXT, struct poll, author),
	STORE_COL(INT, struct poll, multiple),
	STORE_COL(I64, struct poll, closes_at),
	STORE_COL(I64, struct poll, created_at),
	STORE_COL(I64, struct poll, voters),
	STORE_COL(INT, struct poll, voted),
};

static const struct store_rowtype poll_rows = {
	STORE_ROWS(struct poll, poll_cols),
	.fix = poll_fix, .clear = poll_clear,
};

/* Load the options and counts of p, and which of them user_id chose. */
static int
poll_options(struct store *st, struct poll *p, int64_t user_id)
{
	char	*q = xasprintf("SELECT o.id, o.text, %s, EXISTS (SELECT 1 FROM"
	    " poll_votes v WHERE v.option_id = o.id AND v.user_id = ?2) FROM"
	    " poll_options o WHERE o.poll_id = ?1 ORDER BY o.position, o.id",
	    poll_in_copy(st) ? POLL_VOTES_COPY : POLL_VOTES);
	int	 rc;

	rc = store_rows(st, store_stmt(st, q, "ii", p->id, user_id),
	    &poll_option_rows, &p->opt, &p->nopt, "poll options");
	free(q);
	return rc;
}

int
poll_list(struct store *st, const struct user *u, int64_t board_id,
    struct poll **out, size_t *n)
{
	struct board	*b = NULL;
	char		*q;
	size_t		 i;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((rc = board_get_for(st, u, NULL, board_id, &b)) != 0)
		return rc;
	board_free(b);
	q = xasprintf("SELECT p.id, p.board_id, p.question,"
	    " coalesce(u.login, ''), p.multiple, coalesce(p.closes_at, 0),"
	    " p.created_at, %s, EXISTS (SELECT 1 FROM poll_votes v WHERE"
	    " v.poll_id = p.id AND v.user_id = ?2) FROM polls p LEFT JOIN"
	    " users u ON u.id = p.author_id WHERE p.board_id = ?1"
	    " ORDER BY p.id DESC", poll_in_copy(st) ? POLL_VOTERS_COPY :
	    POLL_VOTERS);
	rc = store_rows(st, store_stmt(st, q, "ii", board_id,
	    (int64_t)(u != NULL ? u->id : 0)), &poll_rows, out, n,
	    "poll list");
	free(q);
	for (i = 0; rc == 0 && i < *n; i++)
		rc = poll_options(st, &(*out)[i],
		    (int64_t)(u != NULL ? u->id : 0));
	if (rc != 0) {
		poll_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void
poll_list_free(struct poll *v, size_t n)
{
	store_rows_free(&poll_rows, v, n);
}

int
poll_vote(struct store *st, const struct user *u, int64_t poll_id,
    const int64_t *options, size_t n)
{
	struct board	*b = NULL;
	sqlite3_stmt	*stmt;
	int64_t		 board_id = 0, closes = 0, now = now_unix();
	size_t		 i, j;
	int		 rc, multiple = 0, changes;

	stmt = store_stmt(st, "SELECT board_id, multiple,"
	    " coalesce(closes_at, 0) FROM polls WHERE id = ?", "i", poll_id);
	if ((rc = store_first(st, stmt, "vote")) == 0) {
		board_id = sqlite3_column_int64(stmt, 0);
		multiple = sqlite3_column_int(stmt, 1);
		closes = sqlite3_column_int64(stmt, 2);
	}
	sqlite3_finalize(stmt);
	if (rc != 0)
		return rc;
	if ((rc = board_get_for(st, u, NULL, board_id, &b)) != 0)
		return rc;
	board_free(b);
	if (closes != 0 && closes < now)
		return PERR_POLL_CLOSED;
	if (n == 0 || (!multiple && n != 1))
		return PERR_CHOICE;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (options[i] == options[j])
				return PERR_CHOICE;
	if ((rc = store_begin(st)) != 0)
		return rc;
	/* A vote may be changed until the poll closes: her new answers
	 * replace the ones she gave before. */
	rc = store_write(st, &changes, "DELETE FROM poll_votes"
	    " WHERE poll_id = ? AND user_id = ?", "ii", poll_id, u->id);
	/* The option must belong to this poll: the SELECT finds none else. */
	for (i = 0; rc == 0 && i < n; i++)
		if ((rc = store_write(st, &changes, "INSERT INTO poll_votes("
		    "poll_id, option_id, user_id, at) SELECT poll_id, id, ?, ?"
		    " FROM poll_options WHERE id = ? AND poll_id = ?", "iiii",
		    u->id, now, options[i], poll_id)) == 0 && changes != 1)
			rc = PERR_CHOICE;
	return store_end(st, rc);
}

/* One write to poll_id, then its audit entry. */
static int
poll_write(struct store *st, const char *sql, int64_t poll_id,
    const char *actor, const char *action)
{
	char	*target;
	int	 rc, n;

	if ((rc = store_begin(st)) != 0)
		return rc;
	rc = store_write(st, &n, sql, "ii", poll_id, now_unix());
	if (rc == 0 && n == 0)
		rc = PERR_NOTFOUND;
	target = xasprintf("poll %lld", (long long)poll_id);
	rc = audit_end(st, rc, actor, action, target, NULL);
	free(target);
	return rc;
}

int
poll_close(struct store *st, int64_t poll_id, const char *actor)
{
	return poll_write(st, "UPDATE polls SET closes_at = ?2 - 1 WHERE id = ?1",
	    poll_id, actor, "poll close");
}

int
poll_remove(struct store *st, int64_t poll_id, const char *actor)
{
	return poll_write(st, "DELETE FROM polls WHERE id = ?1 AND ?2 > 0",
	    poll_id, actor, "poll remove");
}
