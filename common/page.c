/*
 * page.c: teachers' pages and the directory of members (page.h).
 *
 * Everything here is read with the reader's own rules: the boards'
 * (board-sql.h), the library's (library-sql.h) and the page's own
 * (PAGE_SQL_SHOWN), written once in SQL, so the server, a client's copy
 * and parta-sync's rows (sync-rows.c) judge alike.  On a client's copy
 * the rule reads the posts and coordinators the copy holds, which are
 * those of the boards she reads: the boards she could share.
 *
 * The directory searches with search.c's own rules by putting the
 * members, as the reader may see them (a hidden page with no school and
 * no subjects), into a temporary FTS5 table with the "parta" tokenizer
 * for the one query: a district's few thousand members are tokenized in
 * milliseconds, and an index kept in the store by triggers on users
 * would make every program that writes users without the tokenizer
 * (the sqlite3 shell a sysop or a test uses) fail its write.
 */
#include <stdlib.h>
#include <string.h>

#include "board-sql.h"
#include "board.h"
#include "library-sql.h"
#include "library.h"
#include "page.h"
#include "perr.h"
#include "search.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"

static const char *const page_shows_names[] = {
	[PAGE_SHOWS_ALL] = "all",
	[PAGE_SHOWS_BOARDS] = "boards",
};

const char *
page_shows_name(enum page_shows s)
{
	return names_get(page_shows_names, nitems(page_shows_names), s);
}

int
page_shows_parse(const char *s)
{
	return names_find(page_shows_names, nitems(page_shows_names), s);
}

int
page_set_shows(struct store *st, int64_t id, const char *shows)
{
	int	 changed = 0, rc;

	if (page_shows_parse(shows) < 0)
		return PERR_PAGE_SHOWS;
	if ((rc = store_write(st, &changed, "UPDATE users SET page_shows = ?2"
	    " WHERE id = ?1 AND page_shows <> ?2", "it", id, shows)) != 0)
		return rc;
	if (changed == 0 && store_int(st, NULL, "SELECT 1 FROM users"
	    " WHERE id = ?", "i", id) == PERR_NOTFOUND)
		return PERR_NOTFOUND;
	return 0;
}

/* ---- members ---------------------------------------------------------- */

/* A member's columns as the reader (:uid, :role) may see them. */
#define PAGE_MEMBER_COLUMNS						\
	"u.id, u.login, u.display_name,"				\
	" CASE WHEN " PAGE_SQL_SHOWN("u") " THEN u.school ELSE '' END,"	\
	" CASE WHEN " PAGE_SQL_SHOWN("u") " THEN u.subjects ELSE '' END,"	\
	" CASE WHEN " PAGE_SQL_SHOWN("u") " THEN u.about ELSE '' END,"	\
	" " SQL_RANK("u.role") ","					\
	" CASE u.page_shows WHEN 'boards' THEN 1 ELSE 0 END,"		\
	" " PAGE_SQL_SHOWN("u")

STORE_ROWTYPE(page_member_rows, struct page_member,
	STORE_COL(I64, struct page_member, id),
	STORE_COL(TEXT, struct page_member, login),
	STORE_COL(TEXT, struct page_member, display_name),
	STORE_COL(TEXT, struct page_member, school),
	STORE_COL(TEXT, struct page_member, subjects),
	STORE_COL(TEXT, struct page_member, about),
	STORE_COL(INT, struct page_member, role),
	STORE_COL(INT, struct page_member, shows),
	STORE_COL(INT, struct page_member, shown));

int
page_member(struct store *st, const struct user *reader, int64_t id,
    struct page_member **out)
{
	sqlite3_stmt	*stmt;

	*out = NULL;
	stmt = store_stmt(st, "SELECT " PAGE_MEMBER_COLUMNS " FROM users u"
	    " WHERE u.id = :id AND u.role <> 'pending'", "");
	store_bind_named(stmt, ":id", id);
	board_bind_reader(stmt, reader);
	return store_row_new(st, stmt, &page_member_rows, out, "page member");
}

/* The members the directory lists, and their order. */
#define PAGE_DIRECTORY_WHERE						\
	" FROM users u WHERE u.role <> 'pending' AND u.banned_at IS NULL"
#define PAGE_DIRECTORY_ORDER						\
	" ORDER BY u.display_name COLLATE RU, u.login LIMIT :limit"

/* Fill temp.page_fts with the members as the reader may see them. */
static int
page_directory_index(struct store *st, const struct user *reader)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if ((rc = store_write(st, NULL, "CREATE VIRTUAL TABLE IF NOT EXISTS"
	    " temp.page_fts USING fts5(display_name, school, subjects,"
	    " tokenize='parta')", "")) != 0 ||
	    (rc = store_write(st, NULL, "DELETE FROM temp.page_fts", "")) != 0)
		return rc;
	stmt = store_stmt(st, "INSERT INTO temp.page_fts(rowid, display_name,"
	    " school, subjects) SELECT u.id, u.display_name, CASE WHEN "
	    PAGE_SQL_SHOWN("u") " THEN u.school ELSE '' END, CASE WHEN "
	    PAGE_SQL_SHOWN("u") " THEN u.subjects ELSE '' END"
	    PAGE_DIRECTORY_WHERE, "");
	board_bind_reader(stmt, reader);
	if (stmt == NULL)
		return PERR_DB;
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "directory index");
}

int
page_directory(struct store *st, const struct user *reader, const char *query,
    struct page_member **out, size_t *n)
{
	sqlite3_stmt	*stmt;
	char		*expr = NULL;
	const char	*s;
	int		 rc;

	*out = NULL;
	*n = 0;
	for (s = query; s != NULL && *s == ' '; s++)
		;
	if (s != NULL && *s != '\0') {
		if ((rc = search_compile(query, &expr)) != 0)
			return rc;
		if ((rc = page_directory_index(st, reader)) != 0)
			goto out;
	}
	/* Without a query there is no table to name. */
	stmt = store_stmt(st, expr == NULL ? "SELECT " PAGE_MEMBER_COLUMNS
	    PAGE_DIRECTORY_WHERE PAGE_DIRECTORY_ORDER : "SELECT "
	    PAGE_MEMBER_COLUMNS PAGE_DIRECTORY_WHERE " AND u.id IN (SELECT"
	    " rowid FROM temp.page_fts WHERE page_fts MATCH :q)"
	    PAGE_DIRECTORY_ORDER, "");
	store_bind_named_text(stmt, ":q", expr);
	store_bind_named(stmt, ":limit", PAGE_DIRECTORY_MAX);
	board_bind_reader(stmt, reader);
	rc = store_rows(st, stmt, &page_member_rows, out, n, "directory");
out:
	/* The table goes with its query: its schema costs memory in a
	 * connection that lives as long as the session. */
	if (expr != NULL)
		(void)store_write(st, NULL, "DROP TABLE IF EXISTS temp.page_fts",
		    "");
	free(expr);
	return rc;
}

void
page_members_free(struct page_member *v, size_t n)
{
	store_rows_free(&page_member_rows, v, n);
}

/* ---- her work ---------------------------------------------------------- */

/*
 * Each list's statement: :id is hers, :uid and :role the reader's,
 * :libmod library_may_moderate(:role).  Her page's own rule comes first,
 * so a page hidden from the reader lists nothing.
 */
#define PAGE_ITEMS_SHOWN						\
	" EXISTS (SELECT 1 FROM users o WHERE o.id = :id AND "		\
	PAGE_SQL_SHOWN("o") ") AND "

static const char *const page_items_sql[PAGE_NLISTS] = {
	[PAGE_THREADS] =
	"SELECT t.id, 0, t.created_at, t.subject, b.title, '', 0"
	" FROM threads t JOIN boards b ON b.id = t.board_id WHERE"
	PAGE_ITEMS_SHOWN "t.author_id = :id AND " SQL_THREAD_SHOWN
	" ORDER BY t.created_at DESC, t.id DESC",
	[PAGE_POSTS] =
	"SELECT p.id, p.thread_id, p.created_at, CASE WHEN p.subject <> ''"
	" THEN p.subject ELSE t.subject END, b.title, '', 0"
	" FROM posts p JOIN threads t ON t.id = p.thread_id"
	" JOIN boards b ON b.id = t.board_id WHERE" PAGE_ITEMS_SHOWN
	"p.author_id = :id AND p.hidden_at IS NULL AND p.body <> '' AND "
	SQL_THREAD_SHOWN " ORDER BY p.id DESC",
	[PAGE_LIBRARY] =
	"SELECT i.id, 0, i.created_at, i.title, coalesce(s.title, i.section),"
	" coalesce(i.review, ''), coalesce(i.recommended_at, 0) <> 0"
	" FROM library_items i LEFT JOIN library_sections s"
	" ON s.name = i.section WHERE" PAGE_ITEMS_SHOWN
	"i.uploader_id = :id AND " SQL_LIB_VISIBLE(":uid", ":libmod")
	" ORDER BY i.created_at DESC, i.id DESC",
	[PAGE_EVENTS] =
	"SELECT e.id, 0, e.starts_at, e.title, b.title, e.place,"
	" e.cancelled_at IS NOT NULL FROM events e JOIN boards b"
	" ON b.id = e.board_id WHERE" PAGE_ITEMS_SHOWN
	"e.organiser_id = :id AND " SQL_CAN_READ
	" ORDER BY e.starts_at DESC, e.id DESC",
};

STORE_ROWTYPE(page_item_rows, struct page_item,
	STORE_COL(I64, struct page_item, id),
	STORE_COL(I64, struct page_item, thread_id),
	STORE_COL(I64, struct page_item, at),
	STORE_COL(TEXT, struct page_item, title),
	STORE_COL(TEXT, struct page_item, where),
	STORE_COL(TEXT, struct page_item, note),
	STORE_COL(INT, struct page_item, flag));

int
page_items(struct store *st, const struct user *reader, int64_t id,
    enum page_list which, struct page_item **out, size_t *n)
{
	sqlite3_stmt	*stmt;
	char		*sql;

	*out = NULL;
	*n = 0;
	if ((unsigned)which >= PAGE_NLISTS)
		return PERR_NOTFOUND;
	sql = xasprintf("%s LIMIT %d", page_items_sql[which], PAGE_LIST_MAX);
	stmt = store_stmt(st, sql, "");
	free(sql);
	store_bind_named(stmt, ":id", id);
	store_bind_named(stmt, ":libmod", library_may_moderate(reader != NULL ?
	    (int)reader->role : ROLE_SYSOP));
	board_bind_reader(stmt, reader);
	return store_rows(st, stmt, &page_item_rows, out, n, "page items");
}

void
page_items_free(struct page_item *v, size_t n)
{
	store_rows_free(&page_item_rows, v, n);
}
