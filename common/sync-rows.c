/*
 * sync-rows.c: the rows a user may see, as parta-sync and digests carry
 * them (sync-rows.h).
 *
 * A row is read as the user may see it now, whatever the change that
 * named it said: a row out of her sight reads as a delete, so a post
 * hidden after its change was logged never leaves the server, by sync or
 * in a digest.  Moved here from bbs/syncd.c so that the digest builder
 * judges visibility with the very same SQL.
 */
#include <stdlib.h>
#include <string.h>

#include "board-sql.h"
#include "board.h"
#include "changes.h"
#include "library.h"
#include "log.h"
#include "page.h"
#include "perr.h"
#include "request.h"
#include "store.h"
#include "sync-rows.h"
#include "user.h"
#include "util.h"

/*
 * What is sent of each entity of the change log: the table and the
 * joins that judge it (x is the row; b its board, t its thread, as
 * board-sql.h names them), the expression of the UUID a change names it
 * by, and who may see it now: the same rules as the screens' and the
 * change log's scopes (store-schema.c).  Order: a snapshot's, parents
 * before children.  A coordinator's change is told as its board's row,
 * whose field "coordinators" lists them.
 */
#define SYNC_ROWS_THREAD_HID	"(t.hidden_at IS NOT NULL OR t.approved = 0)"

const struct sync_entity sync_rows_entities[] = {
	{ .name = "user", .from = "users x", .uuid = "x.uuid",
	  .visible = "x.role <> 'pending' OR :role >= 4 OR x.id = :uid",
	  .snapshot = 1 },
	{ .name = "board", .from = "boards x JOIN boards b ON b.id = x.id",
	  .uuid = "x.uuid", .visible = SQL_CAN_READ, .snapshot = 1 },
	{ .name = "library_section", .from = "library_sections x",
	  .uuid = "x.uuid", .visible = "1", .snapshot = 1 },
	{ .name = "library", .from = "library_items x", .uuid = "x.uuid",
	  .visible = "x.approved_at IS NOT NULL OR :role >= 2"
	  " OR x.uploader_id = :uid", .snapshot = 1 },
	{ .name = "news", .from = "news x", .uuid = "x.uuid", .visible = "1",
	  .snapshot = 1 },
	{ .name = "news_read", .from = "news_reads x JOIN users u"
	  " ON u.id = x.user_id", .uuid = "u.uuid",
	  .visible = "x.user_id = :uid", .snapshot = 1 },
	{ .name = "thread", .from = "threads x JOIN threads t ON t.id = x.id"
	  " JOIN boards b ON b.id = x.board_id", .uuid = "x.uuid",
	  .visible = SQL_CAN_READ " AND (NOT " SYNC_ROWS_THREAD_HID " OR "
	  SQL_IS_MOD " OR x.author_id = :uid)", .snapshot = 1 },
	{ .name = "post", .from = "posts x JOIN threads t ON t.id ="
	  " x.thread_id JOIN boards b ON b.id = t.board_id", .uuid = "x.uuid",
	  .visible = SQL_CAN_READ " AND ((NOT " SYNC_ROWS_THREAD_HID " AND"
	  " x.hidden_at IS NULL) OR " SQL_IS_MOD " OR :uid IS CASE WHEN NOT "
	  SYNC_ROWS_THREAD_HID " THEN x.author_id WHEN x.hidden_at IS NULL OR"
	  " x.author_id = t.author_id THEN t.author_id END)", .snapshot = 1 },
	{ .name = "thread_read", .from = "thread_reads x JOIN threads t"
	  " ON t.id = x.thread_id", .uuid = "t.uuid",
	  .visible = "x.user_id = :uid", .snapshot = 1 },
	{ .name = "board_read", .from = "board_reads x JOIN boards b"
	  " ON b.id = x.board_id", .uuid = "b.uuid",
	  .visible = "x.user_id = :uid", .snapshot = 1 },
	{ .name = "poll", .from = "polls x JOIN boards b ON b.id = x.board_id",
	  .uuid = "x.uuid", .visible = SQL_CAN_READ, .snapshot = 1 },
	{ .name = "poll_option", .from = "poll_options x JOIN polls p"
	  " ON p.id = x.poll_id JOIN boards b ON b.id = p.board_id",
	  .uuid = "x.uuid", .visible = SQL_CAN_READ, .snapshot = 1 },
	{ .name = "vote", .from = "poll_votes x JOIN poll_options o"
	  " ON o.id = x.option_id", .uuid = "o.uuid",
	  .visible = "x.user_id = :uid", .snapshot = 1 },
	{ .name = "event", .from = "events x JOIN boards b"
	  " ON b.id = x.board_id", .uuid = "x.uuid", .visible = SQL_CAN_READ,
	  .snapshot = 1 },
	{ .name = "event_signup", .from = "event_signups x JOIN events e"
	  " ON e.id = x.event_id JOIN boards b ON b.id = e.board_id",
	  .uuid = "x.uuid", .visible = SQL_CAN_READ " AND (" SQL_IS_MOD
	  " OR x.user_id = :uid)", .snapshot = 1 },
	{ .name = "mail", .from = "mail x", .uuid = "x.uuid",
	  .visible = "EXISTS (SELECT 1 FROM mail_boxes mb WHERE mb.mail_id ="
	  " x.id AND mb.user_id = :uid AND mb.deleted_at IS NULL)",
	  .snapshot = 1 },
	{ .name = "mail_box", .from = "mail_boxes x", .uuid = "x.uuid",
	  .visible = "x.user_id = :uid AND x.deleted_at IS NULL",
	  .snapshot = 1 },
	{ .name = "draft", .from = "drafts x", .uuid = "x.uuid",
	  .visible = "x.user_id = :uid", .snapshot = 1 },
	{ .name = "chat_room", .from = "chat_rooms x LEFT JOIN boards b"
	  " ON b.id = x.board_id", .uuid = "x.uuid",
	  .visible = "x.board_id IS NULL OR " SQL_CAN_READ, .snapshot = 1 },
	{ .name = "chat_line", .from = "chat_lines x JOIN chat_rooms r"
	  " ON r.id = x.room_id LEFT JOIN boards b ON b.id = r.board_id",
	  .uuid = "x.uuid", .visible = "(r.board_id IS NULL OR " SQL_CAN_READ
	  ") AND (x.hidden_at IS NULL OR x.author_id = :uid OR "
	  SQL_IS_MOD ")", .snapshot = 1 },
	{ .name = "coordinator" },	/* told as its board */
};
const size_t sync_rows_nentities = nitems(sync_rows_entities);
#define SYNC_ROWS_NENTITIES	nitems(sync_rows_entities)

/* Columns never sent, of anyone's row (last_login changes at each login
 * and is logged as no change); and those of an account that
 * are its owner's alone (the sysop's business, or her settings). */
static const char *const sync_rows_secret[] = { "pw_hash", "name_key",
    "last_login" };
static const char *const sync_rows_private[] = {
	"lang", "encoding", "encoding_chosen", "reject_reason", "ban_reason",
};
/* Columns of an account that her page shows only to whom she chose
 * (page.h): to anyone else they go as "", so a copy that held them
 * before loses them with the change that hid them. */
static const char *const sync_rows_paged[] = { "school", "subjects", "about" };

struct sync_rows {
	struct store		*st;
	int64_t			 user_id;
	const struct user	*u;
	sqlite3_stmt		*fetch[SYNC_ROWS_NENTITIES];
	sqlite3_stmt		*page;		/* sync_rows_page_shown() */
};

struct sync_rows *
sync_rows_new(struct store *st, int64_t user_id)
{
	struct sync_rows	*s = xcalloc(1, sizeof(*s));

	s->st = st;
	s->user_id = user_id;
	return s;
}

void
sync_rows_user(struct sync_rows *s, const struct user *u)
{
	s->u = u;
}

void
sync_rows_free(struct sync_rows *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < SYNC_ROWS_NENTITIES; i++)
		sqlite3_finalize(s->fetch[i]);
	sqlite3_finalize(s->page);
	free(s);
}

const struct sync_entity *
sync_rows_entity(const char *name)
{
	return names_row(sync_rows_entities, SYNC_ROWS_NENTITIES,
	    sizeof(sync_rows_entities[0]), name);
}

static int
sync_rows_listed(const char *const *list, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

void
sync_rowbuf_free(struct sync_rowbuf *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nmem; i++)
		free(r->mem[i]);
	free(r);
}

static void *
sync_rows_keep(struct sync_rowbuf *r, void *p)
{
	r->mem[r->nmem++] = p;
	return p;
}

/* A new row of entity e named uuid: a delete until fields come. */
static struct sync_rowbuf *
sync_rows_row_new(const char *entity, const char *uuid)
{
	struct sync_rowbuf	*r = xcalloc(1, sizeof(*r));

	strlcpy_p(r->row.entity, entity, sizeof(r->row.entity));
	strlcpy_p(r->row.uuid, uuid, sizeof(r->row.uuid));
	r->row.op = SYNC_DELETE;
	r->row.fields = r->f;
	r->wire = 1 + 4 + strlen(r->row.entity) + 16 + 4;
	return r;
}

/* Add a field named name (copied) to r; NULL when r is full. */
static struct sync_field *
sync_rows_field(struct sync_rowbuf *r, const char *name, enum sync_ftype type)
{
	struct sync_field	*f;

	if (r->row.nfields >= SYNC_MAX_FIELDS)
		return NULL;
	f = &r->f[r->row.nfields++];
	memset(f, 0, sizeof(*f));
	f->name = sync_rows_keep(r, xstrdup(name));
	f->type = type;
	r->row.op = SYNC_UPSERT;
	r->wire += 4 + strlen(name) + 1;
	return f;
}

/* An integer field of r. */
static void
sync_rows_int(struct sync_rowbuf *r, const char *name, int64_t v)
{
	struct sync_field	*f;

	if ((f = sync_rows_field(r, name, SYNC_F_INT)) == NULL)
		return;
	f->i = v;
	r->wire += 8;
}

/* Column i of stmt as a field of r. */
static void
sync_rows_column(struct sync_rowbuf *r, sqlite3_stmt *stmt, int i,
    const char *name)
{
	struct sync_field	*f;
	char			*s;
	size_t			 len;

	switch (sqlite3_column_type(stmt, i)) {
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		sync_rows_int(r, name, sqlite3_column_int64(stmt, i));
		break;
	case SQLITE_TEXT:
	case SQLITE_BLOB:
		s = store_column_blob_dup(stmt, i, &len);
		/* Text the store holds is UTF-8; anything else goes as it
		 * is, a blob. */
		if ((f = sync_rows_field(r, name, sqlite3_column_type(stmt, i) ==
		    SQLITE_TEXT && sync_utf8_valid(s, len) ? SYNC_F_TEXT :
		    SYNC_F_BLOB)) == NULL) {
			free(s);
			return;
		}
		f->s = sync_rows_keep(r, s);
		f->len = len;
		r->wire += 4 + len;
		break;
	default:
		(void)sync_rows_field(r, name, SYNC_F_NULL);
		break;
	}
}

/* A text field of r. */
static void
sync_rows_text(struct sync_rowbuf *r, const char *name, const char *text)
{
	struct sync_field	*f;

	if ((f = sync_rows_field(r, name, SYNC_F_TEXT)) == NULL)
		return;
	f->s = sync_rows_keep(r, xstrdup(text));
	f->len = strlen(text);
	r->wire += 4 + f->len;
}

/* A field of ints the query (one id parameter) lists: a board's
 * coordinators, a poll's votes by option. */
static int
sync_rows_ints(struct sync_rows *s, struct sync_rowbuf *r, const char *name,
    const char *sql, int64_t id)
{
	struct sync_field	*f;
	sqlite3_stmt		*stmt;
	int64_t			*v = NULL;
	size_t			 n = 0;
	int			 step;

	if ((stmt = store_stmt(s->st, sql, "i", id)) == NULL)
		return PERR_DB;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW && n < SYNC_MAX_LIST) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		free(v);
		return store_fail(s->st, "sync ints");
	}
	if ((f = sync_rows_field(r, name, SYNC_F_INTS)) == NULL) {
		free(v);
		return 0;
	}
	f->ints = v != NULL ? sync_rows_keep(r, v) : NULL;
	f->n = n;
	r->wire += 4 + 8 * n;
	return 0;
}

/* A poll's totals, as the BBS shows them: the votes of its options in
 * their order, and its voters (a multiple-choice poll's are fewer than
 * its votes). */
static int
sync_rows_votes(struct sync_rows *s, struct sync_rowbuf *r, int64_t id)
{
	int64_t	 voters = 0;
	int	 rc;

	if ((rc = sync_rows_ints(s, r, "votes", "SELECT (SELECT count(*)"
	    " FROM poll_votes v WHERE v.option_id = o.id) FROM"
	    " poll_options o WHERE o.poll_id = ? ORDER BY o.position,"
	    " o.id", id)) != 0)
		return rc;
	if ((rc = store_int(s->st, &voters, "SELECT count(DISTINCT user_id)"
	    " FROM poll_votes WHERE poll_id = ?", "i", id)) != 0)
		return rc;
	sync_rows_int(r, "voters", voters);
	return 0;
}

/* A library item's file size (its blob's row, which a copy has not):
 * what its card shows and what a client fetches. */
static int
sync_rows_size(struct sync_rows *s, struct sync_rowbuf *r, int64_t id)
{
	int64_t	 size = 0;
	int	 rc;

	rc = store_int(s->st, &size, "SELECT b.size FROM library_items i"
	    " JOIN blobs b ON b.sha256 = i.sha256 WHERE i.id = ?", "i", id);
	if (rc == PERR_NOTFOUND)
		return 0;	/* a link */
	if (rc != 0)
		return rc;
	sync_rows_int(r, "size", size);
	return 0;
}

/* What a row carries beyond its columns: a board its coordinators (their
 * changes are told as the board's), a poll the votes of its options in
 * their order (a vote is logged as the poll's change). */
static int
sync_rows_derived(struct sync_rows *s, struct sync_rowbuf *r, int64_t id)
{
	if (strcmp(r->row.entity, "board") == 0)
		return sync_rows_ints(s, r, "coordinators", "SELECT user_id FROM"
		    " board_coordinators WHERE board_id = ? ORDER BY user_id",
		    id);
	if (strcmp(r->row.entity, "poll") == 0)
		return sync_rows_votes(s, r, id);
	if (strcmp(r->row.entity, "library") == 0)
		return sync_rows_size(s, r, id);
	return 0;
}

sqlite3_stmt *
sync_rows_prepare(struct store *st, const struct user *u, char *sql)
{
	sqlite3_stmt	*stmt;

	stmt = store_prepare(st, sql);
	free(sql);
	board_bind_reader(stmt, u);
	return stmt;
}

/* The statement that reads one row of e as the user may see it now. */
static sqlite3_stmt *
sync_rows_fetch_stmt(struct sync_rows *s, size_t i)
{
	const struct sync_entity *e = &sync_rows_entities[i];
	char			*sql;

	if (s->fetch[i] != NULL) {
		sqlite3_reset(s->fetch[i]);
		sqlite3_clear_bindings(s->fetch[i]);
	} else {
		sql = xasprintf("SELECT x.* FROM %s WHERE %s = :key AND (%s)",
		    e->from, e->uuid, e->visible);
		s->fetch[i] = store_prepare(s->st, sql);
		free(sql);
		if (s->fetch[i] == NULL)
			return NULL;
	}
	board_bind_reader(s->fetch[i], s->u);
	return s->fetch[i];
}

/* Whether account id's page shows to the reader (page.h's rule): 1, 0,
 * or PERR_DB. */
static int
sync_rows_page_shown(struct sync_rows *s, int64_t id)
{
	int	 step, shown;

	if (s->page != NULL) {
		sqlite3_reset(s->page);
		sqlite3_clear_bindings(s->page);
	} else if ((s->page = store_prepare(s->st, "SELECT " PAGE_SQL_SHOWN("x")
	    " FROM users x WHERE x.id = :id")) == NULL)
		return PERR_DB;
	store_bind_named(s->page, ":id", id);
	board_bind_reader(s->page, s->u);
	if ((step = sqlite3_step(s->page)) != SQLITE_ROW) {
		sqlite3_reset(s->page);
		return step == SQLITE_DONE ? 0 : store_fail(s->st, "sync page");
	}
	shown = sqlite3_column_int(s->page, 0) != 0;
	sqlite3_reset(s->page);
	return shown;
}

/*
 * The row of entity e named uuid as the user may see it now into *out:
 * its fields, or a delete when it is gone or out of her sight.  Every
 * column of its table is a field but uuid (the row's) and the secret
 * ones.  0 or PERR_DB.
 */
int
sync_rows_fetch(struct sync_rows *s, const struct sync_entity *e,
    const char *uuid, struct sync_rowbuf **out)
{
	struct sync_rowbuf	*r;
	sqlite3_stmt		*stmt;
	const char		*name;
	int64_t			 id = 0;
	int			 i, n, step, own, shown = 1;

	*out = NULL;
	if ((stmt = sync_rows_fetch_stmt(s, (size_t)(e - sync_rows_entities))) == NULL)
		return PERR_DB;
	store_bind_named_text(stmt, ":key", uuid);
	r = sync_rows_row_new(e->name, uuid);
	if ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		n = sqlite3_column_count(stmt);
		for (i = 0; i < n; i++)
			if (strcmp(sqlite3_column_name(stmt, i), "id") == 0)
				id = sqlite3_column_int64(stmt, i);
		own = strcmp(e->name, "user") != 0 || id == s->user_id;
		if (!own && (shown = sync_rows_page_shown(s, id)) < 0) {
			sqlite3_reset(stmt);
			sync_rowbuf_free(r);
			return PERR_DB;
		}
		for (i = 0; i < n; i++) {
			name = sqlite3_column_name(stmt, i);
			if (strcmp(name, "uuid") == 0 ||
			    sync_rows_listed(sync_rows_secret, nitems(sync_rows_secret),
			    name) || (!own && sync_rows_listed(sync_rows_private,
			    nitems(sync_rows_private), name)))
				continue;
			if (!shown && sync_rows_listed(sync_rows_paged,
			    nitems(sync_rows_paged), name))
				sync_rows_text(r, name, "");
			else
				sync_rows_column(r, stmt, i, name);
		}
	}
	sqlite3_reset(stmt);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		sync_rowbuf_free(r);
		return store_fail(s->st, "sync fetch");
	}
	if (r->row.op == SYNC_UPSERT && sync_rows_derived(s, r, id) != 0) {
		sync_rowbuf_free(r);
		return PERR_DB;
	}
	*out = r;
	return 0;
}

/* A change's row: its entity's, or for a coordinator its board's. */
int
sync_rows_change(struct sync_rows *s, const struct change *c,
    struct sync_rowbuf **out)
{
	const struct sync_entity *e;
	char			 uuid[37];
	int			 rc;

	*out = NULL;
	if ((e = sync_rows_entity(c->entity)) == NULL) {
		log_debug("sync: a change of an unknown entity %s", c->entity);
		return 0;
	}
	if (e->from != NULL)
		return sync_rows_fetch(s, e, c->uuid, out);
	rc = request_uuid_of(s->st, REQF_BOARD, c->board_id, uuid);
	if (rc == PERR_NOTFOUND)
		return 0;	/* its board's delete says it */
	if (rc != 0)
		return rc;
	return sync_rows_fetch(s, sync_rows_entity("board"), uuid, out);
}

/* ---- sending --------------------------------------------------------- */

/* A push's field: its type and where it goes in struct request (or in
 * its lib_meta: meta 1). */
static const struct sync_rows_pfield {
	const char	*name;
	enum sync_ftype	 type;
	int		 reqf;		/* REQF_, or -1: number and when */
	size_t		 off;
	int		 meta;
} sync_rows_pfields[] = {
#define ROWF(n, f)	{ .name = #n, .type = SYNC_F_UUID, .reqf = f,	\
	.off = offsetof(struct request, n) }
#define TEXTF(n, f)	{ .name = #n, .type = SYNC_F_TEXT, .reqf = f,	\
	.off = offsetof(struct request, n) }
#define METAF(n)	{ .name = #n, .type = SYNC_F_TEXT, .reqf = REQF_META, \
	.off = offsetof(struct lib_meta, n), .meta = 1 }
	ROWF(board, REQF_BOARD), ROWF(thread, REQF_THREAD),
	ROWF(post, REQF_POST), ROWF(letter, REQF_LETTER), ROWF(to, REQF_TO),
	ROWF(news, REQF_NEWS), ROWF(poll, REQF_POLL), ROWF(item, REQF_ITEM),
	ROWF(event, REQF_EVENT), ROWF(room, REQF_ROOM), ROWF(line, REQF_LINE),
	TEXTF(subject, REQF_SUBJECT), TEXTF(body, REQF_BODY),
	TEXTF(text, REQF_TEXT), TEXTF(name, REQF_NAME),
	TEXTF(file, REQF_FILE),
	TEXTF(display_name, REQF_PROFILE), TEXTF(school, REQF_PROFILE),
	TEXTF(subjects, REQF_PROFILE), TEXTF(about, REQF_PROFILE),
	METAF(section), METAF(title), METAF(description), METAF(grades),
	METAF(tags),
	{ .name = "number", .type = SYNC_F_INT, .reqf = -1 },
	{ .name = "when", .type = SYNC_F_INT, .reqf = -1 },
	{ .name = "minutes", .type = SYNC_F_INT, .reqf = -1 },
	{ .name = "list", .type = SYNC_F_TEXTS, .reqf = REQF_LIST },
	{ .name = "choice", .type = SYNC_F_INTS, .reqf = REQF_CHOICE },
#undef ROWF
#undef TEXTF
#undef METAF
};

/* The kinds whose apply reads number, when or minutes (request.c). */
static int
sync_rows_takes(enum request_kind k, const char *name)
{
	if (strcmp(name, "when") == 0)
		return k == REQ_POLL_ADD || k == REQ_EVENT_ADD ||
		    k == REQ_EVENT_EDIT;
	if (strcmp(name, "minutes") == 0)
		return k == REQ_EVENT_ADD || k == REQ_EVENT_EDIT;
	switch (k) {
	case REQ_POST_EDIT: case REQ_POST_DELETE: case REQ_THREAD_PIN:
	case REQ_THREAD_LOCK: case REQ_THREAD_APPROVE: case REQ_MAIL_READ:
	case REQ_MAIL_BROADCAST: case REQ_POLL_ADD: case REQ_BOARD_COORDINATOR:
	case REQ_USER_ROLE: case REQ_LIB_SECTION_ADD: case REQ_EVENT_ADD:
	case REQ_EVENT_EDIT: case REQ_THREAD_FOLLOW:
		return 1;
	default:
		return 0;
	}
}

static const char *
sync_rows_push_fields(const struct sync_msg *m, const struct request_type *t,
    struct request *r, struct lib_meta *meta)
{
	const struct sync_field	*f;
	const struct sync_rows_pfield *p;
	size_t			 i, k;

	for (i = 0; i < m->push.nfields; i++) {
		f = &m->push.fields[i];
		p = NULL;
		for (k = 0; k < nitems(sync_rows_pfields); k++)
			if (strcmp(sync_rows_pfields[k].name, f->name) == 0)
				p = &sync_rows_pfields[k];
		if (p == NULL || p->type != f->type)
			return f->name;
		if (p->reqf < 0 ? !sync_rows_takes(r->kind, p->name) :
		    !((t->fields | t->optional) & REQ_F(p->reqf)))
			return f->name;
		if (p->meta) {
			r->meta = meta;
			*(const char **)(void *)((char *)meta + p->off) = f->s;
		} else if (p->type == SYNC_F_UUID || p->type == SYNC_F_TEXT)
			*(const char **)(void *)((char *)r + p->off) = f->s;
		else if (strcmp(p->name, "number") == 0)
			r->number = f->i;
		else if (strcmp(p->name, "when") == 0)
			r->when = f->i;
		else if (strcmp(p->name, "minutes") == 0)
			r->minutes = f->i;
		else if (p->type == SYNC_F_TEXTS) {
			r->list = f->texts;
			r->nlist = f->n;
		} else {
			r->choice = f->ints;
			r->nchoice = f->n;
		}
	}
	return NULL;
}

int
sync_rows_push(const struct sync_msg *m, const struct user *u,
    struct request *r, struct lib_meta *meta, const char **bad)
{
	const struct request_type *t;
	int			 k;

	*bad = "";
	memset(r, 0, sizeof(*r));
	if ((k = request_kind_named(m->push.kind)) < 0)
		return PERR_NOTFOUND;
	r->kind = (enum request_kind)k;
	t = request_type(r->kind);
	strlcpy_p(r->uuid, m->push.uuid, sizeof(r->uuid));
	r->user = u;
	memset(meta, 0, sizeof(*meta));
	meta->section = meta->title = meta->description = meta->grades =
	    meta->tags = "";
	if ((*bad = sync_rows_push_fields(m, t, r, meta)) != NULL)
		return PERR_REQ_DENIED;
	*bad = "";
	if ((t->fields & REQ_F(REQF_META)) && r->meta == NULL)
		r->meta = meta;
	return 0;
}

void
sync_rows_batch(struct sync_msg *m, struct sync_row *rows,
    struct sync_rowbuf *const *v, size_t n, uint64_t cursor, unsigned flags)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		rows[i] = v[i]->row;
	memset(m, 0, sizeof(*m));
	m->type = SYNC_BATCH;
	m->batch.rows = rows;
	m->batch.nrows = n;
	m->batch.cursor = cursor;
	m->batch.flags = flags;
}
