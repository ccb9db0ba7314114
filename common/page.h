/*
 * page.h: teachers' pages and the directory of members.  A member's page
 * is her name, school, subjects and "about", her threads and recent
 * posts, her library items and the events she organises; she chooses
 * whom it shows to: every approved member, or only those who share a
 * board with her (PAGE_SQL_SHOWN).  The same rule hides her school,
 * subjects and "about" from the directory's search and from parta-sync
 * (common/sync-rows.c), so nothing the page hides leaves the server.
 */
#ifndef PARTA_PAGE_H
#define PARTA_PAGE_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct user;

/* Whom her page shows to (users.page_shows). */
enum page_shows {
	PAGE_SHOWS_ALL,		/* "all": every approved member */
	PAGE_SHOWS_BOARDS,	/* "boards": members of her boards */
};

/*
 * A member of a board: one of its coordinators, or one who has a shown
 * post in it; PAGE_SQL_BOARDS(uid) are the boards uid is a member of.
 * Two members share a board when both are members of it.  The page of
 * account o (an alias of users) shows to the reader bound as :uid and
 * :role (board_bind_reader()): when it shows to all, when it is her
 * own, to the sysop, or when they share a board.  The reader's boards
 * are an uncorrelated subquery, made once per statement, so judging a
 * page reads only her own coordinators' rows and posts.
 */
#define PAGE_SQL_BOARDS(uid)						\
	"(SELECT pc.board_id FROM board_coordinators pc WHERE"		\
	" pc.user_id = " uid " UNION SELECT pt.board_id FROM posts pp"	\
	" JOIN threads pt ON pt.id = pp.thread_id WHERE pp.author_id = "	\
	uid " AND pp.hidden_at IS NULL)"
#define PAGE_SQL_SHOWN(o)						\
	"(" o ".page_shows = 'all' OR " o ".id = :uid OR :role >= 4 OR"	\
	" EXISTS (SELECT 1 FROM board_coordinators oc WHERE oc.user_id"	\
	" = " o ".id AND oc.board_id IN " PAGE_SQL_BOARDS(":uid") ") OR"	\
	" EXISTS (SELECT 1 FROM posts op JOIN threads ot ON ot.id ="	\
	" op.thread_id WHERE op.author_id = " o ".id AND op.hidden_at IS"	\
	" NULL AND ot.board_id IN " PAGE_SQL_BOARDS(":uid") "))"

/* "all" or "boards"; page_shows_parse(): the value named s, or -1. */
const char	*page_shows_name(enum page_shows);
int		 page_shows_parse(const char *s);

/* Set whom account id's page shows to (a page_shows_name()).  0,
 * PERR_PAGE_SHOWS, PERR_NOTFOUND or PERR_DB. */
int	 page_set_shows(struct store *, int64_t id, const char *shows);

/* A member as her page and the directory show her.  With shown 0 the
 * reader may not see her page: school, subjects and about are "". */
struct page_member {
	int64_t		 id;
	char		*login;
	char		*display_name;
	char		*school;
	char		*subjects;
	char		*about;
	int		 role;		/* enum role */
	int		 shows;		/* enum page_shows */
	int		 shown;
};

/* Member id as reader (NULL: the console) may see her, into *out (free
 * with page_members_free(*out, 1)).  0, PERR_NOTFOUND (no such account,
 * or one pending) or PERR_DB. */
int	 page_member(struct store *, const struct user *reader, int64_t id,
	     struct page_member **out);

#define PAGE_DIRECTORY_MAX	5000	/* members a directory lists */

/*
 * The directory: approved, not banned members whose name, school or
 * subjects match query (search.h's syntax and rules: stems, ё as е,
 * Tatar letters, case; school and subjects only of pages the reader may
 * see), or all of them for a NULL or blank query, in the Russian order
 * of their names (collate.h), at most PAGE_DIRECTORY_MAX.  0 with *out
 * (free with page_members_free) and *n, a PERR_SEARCH_* code for the
 * query's text, or PERR_DB.
 */
int	 page_directory(struct store *, const struct user *reader,
	     const char *query, struct page_member **out, size_t *n);
void	 page_members_free(struct page_member *, size_t n);

/* What a page lists of her work, newest first, as the reader may see it
 * (the boards' and the library's own rules). */
enum page_list {
	PAGE_THREADS,		/* threads she started */
	PAGE_POSTS,		/* her posts */
	PAGE_LIBRARY,		/* her library items, with recommendations */
	PAGE_EVENTS,		/* the events she organises */
	PAGE_NLISTS
};
#define PAGE_LIST_MAX	50	/* rows of each list */

struct page_item {
	int64_t		 id;		/* thread, post, item or event */
	int64_t		 thread_id;	/* a post's thread; else 0 */
	int64_t		 at;		/* when written, or an event's start */
	char		*title;		/* subject, item title, event title */
	char		*where;		/* board title, or library section */
	char		*note;		/* a recommendation's review ("" if
					   none), an event's place */
	int		 flag;		/* an item recommended, an event
					   cancelled */
};

/* List which of member id's rows as reader sees them, at most
 * PAGE_LIST_MAX, into *out (free with page_items_free) and *n; nothing
 * when her page does not show to the reader.  0 or PERR_DB. */
int	 page_items(struct store *, const struct user *reader, int64_t id,
	     enum page_list which, struct page_item **out, size_t *n);
void	 page_items_free(struct page_item *, size_t n);

#endif
