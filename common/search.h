/*
 * search.h: full-text search over posts, one's own mail and the file
 * library, with SQLite FTS5 and parta's own tokenizer.
 *
 * The tokenizer "parta" folds a word as text_fold() does (NFC, lower
 * case for Cyrillic, Tatar and Latin, ё to е, й kept), drops stress
 * marks, and stems Russian words with Snowball (libstemmer); where
 * Hunspell's Russian dictionary (hunspell-ru) knows the word, the stems
 * of its lemmas stand beside its own, since no stemmer can see that
 * "ёлок" is a form of "ёлка" (a fleeting vowel).  A diminutive is a word
 * of its own ("ёлочка" is not "ёлка", as "ручка" is not "рука").  A word
 * with a letter only Tatar or Buryat has (ә ө ү җ ң һ) is kept whole, so
 * it is found by its exact form in any case.  Documents and queries pass
 * the same code, so "елка" finds "Ёлка" and "ЕЛКИ" but "заика" not
 * "зайка".  Lines that start with '>' are quotes and are not indexed.
 *
 * Users write queries in a small syntax (words, "phrases", -exclusion,
 * OR); search_compile() turns it into an FTS5 expression in which every
 * user word is a quoted string, so no input can reach FTS5's own syntax.
 */
#ifndef PARTA_SEARCH_H
#define PARTA_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct store;

/* The markers around a matched word in search_hit.snippet.  They are
 * control characters, so no stored text contains them (text_check()
 * refuses them); the UI turns them into attributes and the console into
 * brackets with search_mark(). */
#define SEARCH_MARK_ON	'\001'
#define SEARCH_MARK_OFF	'\002'

#define SEARCH_QUERY_MAX	200	/* characters a query may have */
#define SEARCH_TERMS_MAX	16	/* words and phrases in a query */
#define SEARCH_LIMIT		50	/* hits the UI asks for */

/*
 * Register the FTS5 tokenizer "parta" on db.  store_open() calls it on
 * every connection before migrating, since the FTS tables and the
 * triggers that fill them need it.  0 or PERR_DB.
 */
int	 search_register(sqlite3 *db);

/*
 * The folded, stemmed index forms of one word (no spaces), its own
 * first, then its lemmas' that differ, separated by spaces, into a new
 * string the caller frees: what the tokenizer stores for it.  For tests
 * and diagnostics.
 */
char	*search_term(const char *word);

/*
 * Use the Hunspell dictionary path (without .aff/.dic; NULL: hunspell-ru's
 * /usr/share/hunspell/ru_RU; "": none) from the next word on, dropping
 * the one loaded.  The index must then be rebuilt, as the migration that
 * brought the dictionary did: for tests and diagnostics.
 */
void	 search_dictionary(const char *path);

/*
 * Load the dictionary now rather than at the first word, and say once in
 * the log when it is missing.  1 when loaded, 0 when search is the
 * stemmer's alone.  partad's listener calls it before forking sessions.
 */
int	 search_preload(void);

/*
 * Translate a user's query into an FTS5 expression: *out is a new string
 * the caller frees.  0, or a PERR_SEARCH_* code for a malformed query,
 * whose perr_str() says what to fix.
 */
int	 search_compile(const char *query, char **out);

/* Where to search.  Each is one row of the sources table in search.c. */
enum search_source {
	SEARCH_POSTS,		/* the boards the user may read */
	SEARCH_MAIL,		/* the user's own letters, not deleted */
	SEARCH_LIBRARY,		/* the library items the user may see */
};

struct search_query {
	const char		*text;		/* the user's query */
	enum search_source	 source;
	int64_t			 user_id;	/* the reader; 0: the console */
	int			 role;		/* enum role: which boards, and
						 * pending library items */
	int64_t			 board_id;	/* 0: every board */
	const char		*section;	/* library section name; NULL:
						 * every section */
	int64_t			 author_id;	/* 0: anybody */
	int64_t			 from, to;	/* created_at in [from, to); 0: open */
	int			 limit;		/* at most this many hits */
};

struct search_hit {
	int64_t	 id;		/* post, mail or library item id */
	int64_t	 thread_id;	/* 0 for mail and library items */
	char	*where;		/* board title; mail: "inbox" or "sent";
				 * library: the section's title */
	char	*board;		/* board name; "" for mail; section name */
	char	*subject;	/* the post's, else its thread's; the
				 * item's title */
	char	*author;	/* login (the uploader's for an item), ""
				 * if the account is gone */
	char	*author_name;	/* display name */
	int64_t	 created_at;
	char	*snippet;	/* one line, matches between SEARCH_MARK_*;
				 * of the body, or the item's description */
};

/*
 * Run q: the best matches first (bm25, the subject or title weighing
 * more than the body), only what q's user may see: no hidden posts, none
 * of hidden or unapproved threads, none of boards above q->role, only the
 * user's own mail, library items pending approval only for their
 * uploader and those who may approve them (library.h); the console
 * (user_id 0) sees every item and no mail.  Among very many matches only
 * the newest few thousand are ranked (see search.c).  0 with *hits (free
 * with search_hits_free) and *n, or a PERR code (PERR_SEARCH_* for the
 * query's text).
 */
int	 search_run(struct store *, const struct search_query *q,
	     struct search_hit **hits, size_t *n);
void	 search_hits_free(struct search_hit *, size_t n);

/*
 * The board called name (its tag, any case) or whose title folds to the
 * same text, else the one board whose folded title contains it ("матем"
 * for "Математика"), among those the reader uid of this role may read:
 * 0 and *id, PERR_SEARCH_BOARDS when several titles contain it, or
 * PERR_SEARCH_BOARD.
 */
int	 search_find_board(struct store *, const char *name, int role,
	     int64_t uid, int64_t *id);
/*
 * The library section called name (its tag, any case) or whose title
 * folds to the same text: 0 and *section, its name, a new string the
 * caller frees; PERR_LIB_SECTION or PERR_DB with *section NULL.
 */
int	 search_find_section(struct store *, const char *name, char **section);
/*
 * The account with this login (any case) or display name (folded):
 * 0 and *id, PERR_SEARCH_AUTHOR, or PERR_SEARCH_AMBIGUOUS when several
 * display names match.
 */
int	 search_find_author(struct store *, const char *name, int64_t *id);

/*
 * Parse a day as text_parse_day() does (DD.MM.YYYY or YYYY-MM-DD) as
 * local midnight (end: the midnight after it, for an inclusive "to"
 * date).  0 and *t, or PERR_SEARCH_DATE.
 */
int	 search_parse_date(const char *s, int end, int64_t *t);

/*
 * Walk snippet: fn(NULL, on, arg) for each marker (on is 1 for
 * SEARCH_MARK_ON), fn(text, on, arg) for each run between markers,
 * sanitised for a terminal (one line), with on the last marker's.  The
 * walk stops when fn returns non-zero.
 */
void	 search_snippet_walk(const char *snippet,
	     int (*fn)(const char *text, int on, void *), void *arg);

/*
 * A copy of snippet with SEARCH_MARK_ON/OFF replaced by open and close,
 * sanitised for a terminal (one line).  Caller frees.
 */
char	*search_mark(const char *snippet, const char *open, const char *close);

#endif
