/*
 * search.c: the FTS5 tokenizer "parta", the translation of the users'
 * query syntax into FTS5 expressions, and the search itself over the
 * sources: posts, one's mail, the library, each a row of sources[].
 *
 * The tokenizer reads the original text and reports every word at its
 * original byte offsets, so FTS5's snippet() highlights the text as it
 * was written; only the term it stores is folded and stemmed.  The FTS
 * tables are external-content tables over posts, mail and library items,
 * kept in step by triggers (store-schema.c), and hidden posts and pending
 * items stay indexed: visibility is decided at query time, so hiding,
 * showing or approving costs no re-index.
 *
 * Ranking: FTS5 computes bm25 for every matching row before it can order
 * them, and each costs a look-up of the row's size.  A word found in a
 * hundred thousand posts would take a tenth of a second, so when there
 * are more than RANK_WINDOW matches only the newest RANK_WINDOW of them
 * are ranked: for a frequent word recent posts are the useful ones, and
 * the time stays bounded.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hunspell.h>
#include <libstemmer.h>
#include <utf8proc.h>

#include "board-sql.h"
#include "library.h"
#include "library-sql.h"
#include "log.h"
#include "perr.h"
#include "search.h"
#include "store.h"
#include "text.h"
#include "util.h"

#define TOKEN_MAX	256	/* bytes of a word; longer ones are cut */
#define TERMS_MAX	4	/* index forms of one word: its stem, and
				 * those of at most 3 dictionary lemmas */
#define TERM_SIZE	(TOKEN_MAX * 2 + 8)
#ifndef SEARCH_DICT
#define SEARCH_DICT	"/usr/share/hunspell/ru_RU"	/* hunspell-ru */
#endif
#define RANK_WINDOW	2000	/* matches ranked at most; see above */
#define SNIPPET_TOKENS	12

#define STR_(x)		#x
#define STRINGIFY(x)	STR_(x)

/* ---- the lemmatizer -------------------------------------------------- */

/*
 * Hunspell's Russian dictionary, one per process, loaded on first use or
 * by search_preload() (partad's listener, before it forks, so that every
 * session shares its 20 MB of pages).  It is read-only once loaded; the
 * FTS tables of every connection in the process use it.  Without it
 * search is the stemmer's alone, said once in the log.  A look-up the
 * dictionary must answer by trying its affixes costs about 10 us, so
 * the answers for the last DICT_SLOTS words are kept (256 KB, made when
 * a process first indexes or searches).
 */
#define DICT_SLOTS	1024	/* words whose lemmas are remembered */
#define DICT_WORD	64	/* bytes of a remembered word or term */

/* A word the dictionary was asked about, and the terms its lemmas gave
 * (beyond the word's own): text repeats its words, and a look-up costs
 * a few microseconds, a tenth of a post's indexing. */
struct dict_slot {
	char	 word[DICT_WORD];	/* folded; "" for an empty slot */
	char	 terms[TERMS_MAX - 1][DICT_WORD];
	int	 n;
};

static struct {
	Hunhandle		*h;
	int			 tried;		/* loaded or given up */
	char			*path;		/* NULL: SEARCH_DICT; "": none */
	struct dict_slot	*cache;		/* DICT_SLOTS, made on first use */
} dict;

static Hunhandle *
dict_get(void)
{
	const char	*path = dict.path != NULL ? dict.path : SEARCH_DICT;
	char		*aff, *dic;

	if (dict.tried)
		return dict.h;
	dict.tried = 1;
	if (*path == '\0')
		return NULL;
	aff = xasprintf("%s.aff", path);
	dic = xasprintf("%s.dic", path);
	if (access(aff, R_OK) != 0 || access(dic, R_OK) != 0)
		log_warn("search: no dictionary %s.dic (Debian hunspell-ru):"
		    " words are found by their stem only (\"ёлок\" will not"
		    " find \"ёлка\")", path);
	else if ((dict.h = Hunspell_create(aff, dic)) == NULL)
		log_warn("search: cannot load the dictionary %s", path);
	else if (strcmp(Hunspell_get_dic_encoding(dict.h), "UTF-8") != 0) {
		log_warn("search: dictionary %s is in %s, not UTF-8: not used",
		    path, Hunspell_get_dic_encoding(dict.h));
		Hunspell_destroy(dict.h);
		dict.h = NULL;
	}
	free(aff);
	free(dic);
	return dict.h;
}

void
search_dictionary(const char *path)
{
	if (dict.h != NULL)
		Hunspell_destroy(dict.h);
	dict.h = NULL;
	dict.tried = 0;
	free(dict.cache);
	dict.cache = NULL;
	free(dict.path);
	dict.path = path != NULL ? xstrdup(path) : NULL;
}

int
search_preload(void)
{
	return dict_get() != NULL;
}

/* ---- the tokenizer --------------------------------------------------- */

struct tok {
	struct sb_stemmer	*stemmer;
};

/* 1 if cp belongs to a word: letters, digits and combining marks (a
 * decomposed й is и plus a mark, and must stay one word). */
static int
is_word_cp(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return 1;
	default:
		return 0;
	}
}

/* Stress marks (combining acute and grave) are a reading aid: "доро́га"
 * is the word "дорога". */
static int
is_stress(utf8proc_int32_t cp)
{
	return cp == 0x0301 || cp == 0x0300;
}

/*
 * Code points for which text_fold() is plain lower-casing: NFC leaves
 * them alone (no combining marks, no singletons in these blocks).  Words
 * made only of them skip the normalisation's allocation; test-search.c
 * checks that both ways agree.
 */
static int
is_plain_cp(utf8proc_int32_t cp)
{
	return (cp >= 0 && cp < 0x0300) || (cp >= 0x0400 && cp < 0x0530);
}

/*
 * Fold the word w (len bytes, valid UTF-8 of word characters) into out
 * (at least TOKEN_MAX * 2 + 8 bytes) as text_fold() does, then drop
 * stress marks and unstress ѐ and ѝ.  Returns the length, 0 when nothing
 * is left.  *russian is set when every letter is one of а..я, so that the
 * Russian stemmer applies.
 */
static size_t
fold_word(const char *w, size_t len, char *out, int *russian)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)w;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	char			*copy = NULL, *folded = NULL;
	size_t			 i, o = 0;
	int			 plain = 1;

	for (i = 0; i < len; i += (size_t)n) {
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return 0;
		if (!is_plain_cp(cp))
			plain = 0;
	}
	if (!plain) {
		copy = xmalloc(len + 1);
		memcpy(copy, w, len);
		copy[len] = '\0';
		folded = text_fold(copy);
		p = (const utf8proc_uint8_t *)folded;
		len = strlen(folded);
	}
	*russian = 1;
	for (i = 0; i < len; i += (size_t)n) {
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			break;
		if (plain) {
			cp = utf8proc_tolower(cp);
			if (cp == 0x0451)	/* ё */
				cp = 0x0435;
		}
		if (is_stress(cp))
			continue;
		if (cp == 0x0450)		/* ѐ: е with a stress mark */
			cp = 0x0435;
		else if (cp == 0x045d)		/* ѝ */
			cp = 0x0438;
		if (cp < 0x0430 || cp > 0x044f)
			*russian = 0;
		if (o + 4 > TOKEN_MAX * 2)
			break;
		o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + o);
	}
	out[o] = '\0';
	free(copy);
	free(folded);
	return o;
}

/* The index form of the word w into out; returns its length. */
static size_t
term_of(struct sb_stemmer *stemmer, const char *w, size_t len, int stem,
    char *out)
{
	const sb_symbol	*s;
	size_t		 n;
	int		 russian, sn;

	if ((n = fold_word(w, len, out, &russian)) == 0)
		return 0;
	if (!stem || !russian || stemmer == NULL)
		return n;
	if ((s = sb_stemmer_stem(stemmer, (const sb_symbol *)out, (int)n)) == NULL)
		return n;		/* out of memory: the word unstemmed */
	sn = sb_stemmer_length(stemmer);
	if (sn <= 0)
		return n;
	memcpy(out, s, (size_t)sn);
	out[sn] = '\0';
	return (size_t)sn;
}

/* FNV-1a: the cache's slot for a folded word. */
static uint32_t
dict_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/*
 * Every index form of the word w into out[0..TERMS_MAX-1] (each
 * TERM_SIZE bytes): its own (term_of()), then, for a Russian word the
 * dictionary knows, the stem of each of its lemmas that differs, so that
 * "ёлок" (stem "елок", lemma "ёлка") also stands for "елк", the stem
 * of every other form of ёлка.  A document stores all of them at one
 * position, a query asks for any of them: the two match when their sets
 * meet, and the stem alone still matches when either side had no
 * dictionary.  Returns how many, 0 for none.
 */
static int
terms_of(struct sb_stemmer *stemmer, const char *w, size_t len, int stem,
    char out[][TERM_SIZE])
{
	Hunhandle		*h;
	struct dict_slot	*slot = NULL;
	char			**lemmas = NULL;
	char			 folded[TERM_SIZE];
	size_t			 n;
	int			 nt = 0, nl, i, j, russian;

	if ((n = term_of(stemmer, w, len, stem, out[0])) == 0)
		return 0;
	nt = 1;
	if (!stem || stemmer == NULL || (h = dict_get()) == NULL)
		return nt;
	if ((n = fold_word(w, len, folded, &russian)) == 0 || !russian)
		return nt;
	if (n < DICT_WORD) {
		if (dict.cache == NULL)
			dict.cache = xcalloc(DICT_SLOTS, sizeof(*dict.cache));
		slot = &dict.cache[dict_hash(folded) % DICT_SLOTS];
		if (strcmp(slot->word, folded) == 0) {
			for (i = 0; i < slot->n; i++)
				memcpy(out[nt++], slot->terms[i],
				    strlen(slot->terms[i]) + 1);
			return nt;
		}
	}
	nl = Hunspell_stem(h, &lemmas, folded);
	for (i = 0; i < nl && nt < TERMS_MAX; i++) {
		if (term_of(stemmer, lemmas[i], strnlen(lemmas[i], TOKEN_MAX),
		    1, out[nt]) == 0)
			continue;
		for (j = 0; j < nt && strcmp(out[j], out[nt]) != 0; j++)
			;
		if (j == nt)
			nt++;
	}
	if (lemmas != NULL)
		Hunspell_free_list(h, &lemmas, nl);
	/* Remembered only when every term fits its slot. */
	for (i = 1; slot != NULL && i < nt; i++)
		if (strlen(out[i]) >= DICT_WORD)
			slot = NULL;
	if (slot != NULL) {
		memcpy(slot->word, folded, n + 1);
		for (i = 1; i < nt; i++)
			memcpy(slot->terms[i - 1], out[i], strlen(out[i]) + 1);
		slot->n = nt - 1;
	}
	return nt;
}

static int
tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	struct tok	*t;

	(void)ctx;
	(void)argv;
	if (argc != 0)
		return SQLITE_ERROR;
	t = xcalloc(1, sizeof(*t));
	if ((t->stemmer = sb_stemmer_new("russian", "UTF_8")) == NULL) {
		free(t);
		return SQLITE_NOMEM;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void
tok_delete(Fts5Tokenizer *ft)
{
	struct tok	*t = (struct tok *)ft;

	if (t == NULL)
		return;
	sb_stemmer_delete(t->stemmer);
	free(t);
}

/*
 * Split text into words at the boundaries is_word_cp() draws; invalid
 * bytes separate words.  In a document (and in the snippet's reading of
 * it, which must see the same words), a line that starts with '>' is a
 * quote, as post_quote() writes them: what the author replied to, not
 * what she wrote, so it is not indexed.  A query is read whole.
 */
static int
tok_tokenize(Fts5Tokenizer *ft, void *ctx, int flags, const char *text,
    int ntext, int (*emit)(void *, int, const char *, int, int, int))
{
	struct tok		*t = (struct tok *)ft;
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)text;
	const char		*nl;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	char			 term[TERMS_MAX][TERM_SIZE];
	int			 i = 0, start = -1, end, rc, stem, nt, k;
	int			 quotes;

	stem = !(flags & FTS5_TOKENIZE_PREFIX);
	quotes = !(flags & FTS5_TOKENIZE_QUERY);
	while (i <= ntext) {
		if (quotes && start < 0 && i < ntext && text[i] == '>' &&
		    (i == 0 || text[i - 1] == '\n')) {
			nl = memchr(text + i, '\n', (size_t)(ntext - i));
			i = nl != NULL ? (int)(nl - text) : ntext;
			continue;	/* a quoted line: up to its newline */
		}
		if (i < ntext) {
			n = utf8proc_iterate(p + i, ntext - i, &cp);
			if (n <= 0) {
				n = 1;
				cp = -1;
			}
		} else {
			n = 1;
			cp = -1;		/* the end closes the last word */
		}
		if (cp >= 0 && is_word_cp(cp)) {
			if (start < 0)
				start = i;
			/* A word longer than TOKEN_MAX ends there. */
			if (i + n - start <= TOKEN_MAX) {
				i += (int)n;
				continue;
			}
		}
		if (start >= 0) {
			end = i;
			nt = terms_of(t->stemmer, text + start,
			    (size_t)(end - start), stem, term);
			for (k = 0; k < nt; k++) {
				if ((rc = emit(ctx, k > 0 ? FTS5_TOKEN_COLOCATED :
				    0, term[k], (int)strlen(term[k]), start,
				    end)) != SQLITE_OK)
					return rc;
			}
			start = -1;
			if (cp >= 0 && is_word_cp(cp))
				continue;	/* cut: the rest is a new word */
		}
		i += (int)n;
	}
	return SQLITE_OK;
}

int
search_register(sqlite3 *db)
{
	static fts5_tokenizer	 tokenizer = {
		tok_create, tok_delete, tok_tokenize
	};
	fts5_api		*api = NULL;
	sqlite3_stmt		*stmt = NULL;
	int			 rc = PERR_DB;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) !=
	    SQLITE_OK) {
		log_error("search: no FTS5 in this SQLite: %s", sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
	if (sqlite3_step(stmt) != SQLITE_ROW || api == NULL) {
		log_error("search: cannot reach FTS5: %s", sqlite3_errmsg(db));
		goto out;
	}
	if (api->xCreateTokenizer(api, "parta", NULL, &tokenizer, NULL) !=
	    SQLITE_OK) {
		log_error("search: cannot register the tokenizer");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(stmt);
	return rc;
}

char *
search_term(const char *word)
{
	struct sb_stemmer	*stemmer = sb_stemmer_new("russian", "UTF_8");
	char			 term[TERMS_MAX][TERM_SIZE], *s;
	size_t			 len = strlen(word), o = 0;
	int			 nt, k;

	if (len > TOKEN_MAX)
		len = TOKEN_MAX;
	nt = terms_of(stemmer, word, len, 1, term);
	sb_stemmer_delete(stemmer);
	s = xmalloc(TERMS_MAX * TERM_SIZE);
	s[0] = '\0';
	for (k = 0; k < nt; k++) {
		if (k > 0)
			s[o++] = ' ';
		memcpy(s + o, term[k], strlen(term[k]) + 1);
		o += strlen(term[k]);
	}
	return s;
}

/* ---- the query syntax ------------------------------------------------- */

/* A word or phrase as an FTS5 string: FTS5 runs the tokenizer on it, so
 * query and document are folded by the same code.  '"' doubles. */
static void
buf_term(struct strbuf *b, const char *s, size_t n, int prefix)
{
	size_t	 i;

	strbuf_add(b, "\"", 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			strbuf_add(b, "\"", 1);
		strbuf_add(b, s + i, 1);
	}
	strbuf_add(b, "\"", 1);
	if (prefix)
		strbuf_add(b, " *", 2);
}

/* 1 if s (n bytes) holds a word the tokenizer keeps. */
static int
has_word(const char *s, size_t n)
{
	const utf8proc_uint8_t	*p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 k;
	size_t			 i;

	for (i = 0; i < n; i += (size_t)k) {
		if ((k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i),
		    &cp)) <= 0) {
			k = 1;
			continue;
		}
		if (is_word_cp(cp) && !is_stress(cp))
			return 1;
	}
	return 0;
}

static int
is_space(const char *s, size_t *n)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
		*n = 1;
		return 1;
	}
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0) {
		*n = 2;			/* no-break space */
		return 1;
	}
	return 0;
}

/*
 * The grammar: a query is terms separated by spaces, all required; "OR"
 * (or "ИЛИ") between two terms makes either do; a term is a word or a
 * "quoted phrase", either may end in * (a prefix) or start with - (must
 * not occur).  Words are written out as FTS5 strings, so characters
 * FTS5 would read as syntax (: ^ * ( ) NEAR AND NOT) are only text.
 */
int
search_compile(const char *query, char **out)
{
	struct strbuf	 pos = { 0 }, neg = { 0 };
	const char	*s, *t, *e;
	size_t		 sp, n;
	int		 rc = PERR_SEARCH_EMPTY, terms = 0, groups = 0, or = 0;
	int		 in_group = 0, minus, prefix, phrase;
	int		 last_neg = 0;

	*out = NULL;
	for (s = query, n = 0; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;	/* characters */
	if (n > SEARCH_QUERY_MAX)
		return PERR_SEARCH_LONG;
	for (s = query; *s != '\0';) {
		if (is_space(s, &sp)) {
			s += sp;
			continue;
		}
		minus = *s == '-';
		if (minus && (s[1] == '\0' || is_space(s + 1, &sp))) {
			s++;		/* a dash between words */
			continue;
		}
		if (minus)
			s++;
		phrase = *s == '"';
		if (phrase) {
			t = s + 1;
			if ((e = strchr(t, '"')) == NULL) {
				rc = PERR_SEARCH_QUOTE;
				goto out;
			}
			s = e + 1;
		} else {
			for (t = e = s; *e != '\0' && *e != '"' &&
			    !is_space(e, &sp); e++)
				;
			s = e;
		}
		prefix = 0;
		while (*s == '*') {		/* "phrase"* */
			prefix = 1;
			s++;
		}
		while (!phrase && e > t && e[-1] == '*') {	/* word* */
			prefix = 1;
			e--;
		}
		n = (size_t)(e - t);
		if (!phrase && !minus && !prefix && ((n == 2 &&
		    memcmp(t, "OR", 2) == 0) || (n == 6 &&
		    memcmp(t, "ИЛИ", 6) == 0))) {
			if (!in_group || or || last_neg) {
				rc = PERR_SEARCH_OR;
				goto out;
			}
			or = 1;
			continue;
		}
		if (!has_word(t, n)) {
			if (minus) {
				rc = PERR_SEARCH_MINUS;
				goto out;
			}
			continue;	/* punctuation: nothing to find */
		}
		if (++terms > SEARCH_TERMS_MAX) {
			rc = PERR_SEARCH_LONG;
			goto out;
		}
		if (minus) {
			if (or) {
				rc = PERR_SEARCH_OR;
				goto out;
			}
			if (neg.len > 0)
				strbuf_str(&neg, " OR ");
			buf_term(&neg, t, n, prefix);
			last_neg = 1;
			continue;
		}
		last_neg = 0;
		if (or)
			strbuf_str(&pos, " OR ");
		else {
			if (in_group)
				strbuf_str(&pos, ") AND (");
			else
				strbuf_str(&pos, "(");
			groups++;
		}
		buf_term(&pos, t, n, prefix);
		in_group = 1;
		or = 0;
	}
	if (or) {
		rc = PERR_SEARCH_OR;
		goto out;
	}
	if (groups == 0) {
		rc = neg.len > 0 ? PERR_SEARCH_ONLY_NOT : PERR_SEARCH_EMPTY;
		goto out;
	}
	strbuf_str(&pos, ")");
	if (neg.len > 0) {
		struct strbuf	 all = { 0 };

		strbuf_str(&all, "(");
		strbuf_str(&all, pos.s);
		strbuf_str(&all, ") NOT (");
		strbuf_str(&all, neg.s);
		strbuf_str(&all, ")");
		free(pos.s);
		pos = all;
	}
	*out = pos.s;
	pos.s = NULL;
	rc = 0;
out:
	free(pos.s);
	free(neg.s);
	return rc;
}

/* ---- the sources ------------------------------------------------------ */

/* Parameters: :q the FTS5 expression, :uid and :role the reader (who may
 * read a board is board-sql.h's rule, as for every listing), :board,
 * :author, :from, :to (0: none), :cut the lowest rowid to rank (0: all).
 * Unlike the boards, search never shows an unapproved thread, not even
 * to its author or a coordinator. */
#define POSTS_FROM							\
	" FROM posts_fts f JOIN posts p ON p.id = f.rowid"		\
	" JOIN threads t ON t.id = p.thread_id"				\
	" JOIN boards b ON b.id = t.board_id"				\
	" LEFT JOIN users u ON u.id = p.author_id"			\
	" WHERE posts_fts MATCH :q AND f.rowid >= :cut"			\
	" AND p.hidden_at IS NULL AND t.hidden_at IS NULL"		\
	" AND t.approved = 1 AND " SQL_CAN_READ				\
	" AND (:board = 0 OR t.board_id = :board)"			\
	" AND (:author = 0 OR p.author_id = :author)"			\
	" AND (:from = 0 OR p.created_at >= :from)"			\
	" AND (:to = 0 OR p.created_at < :to)"

/* A letter sent to oneself is in both folders: one row, the inbox's. */
#define MAIL_FROM							\
	" FROM mail_fts f JOIN mail m ON m.id = f.rowid"		\
	" JOIN mail_boxes x ON x.mail_id = m.id AND x.user_id = :uid"	\
	" AND x.deleted_at IS NULL"					\
	" LEFT JOIN users u ON u.id = m.sender_id"			\
	" WHERE mail_fts MATCH :q AND f.rowid >= :cut"			\
	" AND NOT EXISTS (SELECT 1 FROM mail_boxes y"			\
	" WHERE y.mail_id = m.id AND y.user_id = :uid"			\
	" AND y.deleted_at IS NULL AND y.folder < x.folder)"		\
	" AND (:author = 0 OR m.sender_id = :author)"			\
	" AND (:from = 0 OR m.created_at >= :from)"			\
	" AND (:to = 0 OR m.created_at < :to)"

/* Who sees an item is library.c's rule (library-sql.h): :uid 0 is the
 * console; :libmod is library_may_moderate(:role).  The section's title
 * is the item's own tag if the section row were ever missing. */
#define LIBRARY_FROM							\
	" FROM library_fts f JOIN library_items i ON i.id = f.rowid"	\
	" LEFT JOIN library_sections s ON s.name = i.section"		\
	" LEFT JOIN users u ON u.id = i.uploader_id"			\
	" WHERE library_fts MATCH :q AND f.rowid >= :cut"		\
	" AND " SQL_LIB_VISIBLE(":uid", ":libmod")			\
	" AND (:section IS NULL OR i.section = :section)"		\
	" AND (:author = 0 OR i.uploader_id = :author)"			\
	" AND (:from = 0 OR i.created_at >= :from)"			\
	" AND (:to = 0 OR i.created_at < :to)"

struct source {
	const char	*hits;		/* the columns of struct search_hit */
	const char	*cutoff;	/* the RANK_WINDOW-th newest match */
	const char	*cutoff_any;	/* the same among all rows: NULL, or
					 * quicker when there is no filter */
	int		 per_user;	/* nothing to find for the console */
};

/* The snippet is of the body (column 1) even when the subject matched:
 * the subject is shown beside it anyway.  For an item, column 1 is the
 * description, beside its title. */
static const struct source sources[] = {
	[SEARCH_POSTS] = {
		"SELECT p.id, p.thread_id, b.title, b.name,"
		" CASE WHEN p.subject <> '' THEN p.subject ELSE t.subject END,"
		/* Another district's author is kept with the post. */
		" COALESCE(u.login, p.foreign_login, ''),"
		" COALESCE(u.display_name, p.foreign_name, ''),"
		" p.created_at, snippet(posts_fts, 1, char(1), char(2), '…', "
		STRINGIFY(SNIPPET_TOKENS) ")" POSTS_FROM
		" ORDER BY rank LIMIT :limit",
		"SELECT f.rowid" POSTS_FROM
		" ORDER BY f.rowid DESC LIMIT 1 OFFSET " STRINGIFY(RANK_WINDOW),
		/* Without a filter the window ignores visibility: hidden
		 * posts are few, and the index alone answers in a blink. */
		"SELECT rowid FROM posts_fts WHERE posts_fts MATCH :q"
		" ORDER BY rowid DESC LIMIT 1 OFFSET " STRINGIFY(RANK_WINDOW),
		0
	},
	[SEARCH_MAIL] = {
		"SELECT m.id, 0, x.folder, '', m.subject,"
		" COALESCE(u.login, ''), COALESCE(u.display_name, ''),"
		" m.created_at, snippet(mail_fts, 1, char(1), char(2), '…', "
		STRINGIFY(SNIPPET_TOKENS) ")" MAIL_FROM
		" ORDER BY rank LIMIT :limit",
		"SELECT f.rowid" MAIL_FROM
		" ORDER BY f.rowid DESC LIMIT 1 OFFSET " STRINGIFY(RANK_WINDOW),
		NULL,
		1
	},
	/* A library holds thousands of items, not millions: the window
	 * seldom applies, and then with the visibility filter. */
	[SEARCH_LIBRARY] = {
		"SELECT i.id, 0, coalesce(s.title, i.section), i.section,"
		" i.title, COALESCE(u.login, ''), COALESCE(u.display_name, ''),"
		" i.created_at, CASE WHEN i.description <> ''"
		" THEN snippet(library_fts, 1, char(1), char(2), '…', "
		STRINGIFY(SNIPPET_TOKENS) ")"
		/* No description: the file's name or the link says most. */
		" ELSE COALESCE(i.filename, i.url, '') END" LIBRARY_FROM
		" ORDER BY rank LIMIT :limit",
		"SELECT f.rowid" LIBRARY_FROM
		" ORDER BY f.rowid DESC LIMIT 1 OFFSET " STRINGIFY(RANK_WINDOW),
		NULL,
		0
	},
};

static void
bind_query(sqlite3_stmt *stmt, const struct search_query *q, const char *expr,
    int64_t cut)
{
	store_bind_named_text(stmt, ":q", expr);
	store_bind_named(stmt, ":cut", cut);
	store_bind_named(stmt, ":role", q->role);
	store_bind_named(stmt, ":libmod", library_may_moderate(q->role));
	store_bind_named_text(stmt, ":section", q->section);
	store_bind_named(stmt, ":board", q->board_id);
	store_bind_named(stmt, ":author", q->author_id);
	store_bind_named(stmt, ":from", q->from);
	store_bind_named(stmt, ":to", q->to);
	store_bind_named(stmt, ":uid", q->user_id);
	store_bind_named(stmt, ":limit", q->limit > 0 ? q->limit : SEARCH_LIMIT);
}

STORE_ROWTYPE(search_hit_rows, struct search_hit,
	STORE_COL(I64, struct search_hit, id),
	STORE_COL(I64, struct search_hit, thread_id),
	STORE_COL(TEXT, struct search_hit, where),
	STORE_COL(TEXT, struct search_hit, board),
	STORE_COL(TEXT, struct search_hit, subject),
	STORE_COL(TEXT, struct search_hit, author),
	STORE_COL(TEXT, struct search_hit, author_name),
	STORE_COL(I64, struct search_hit, created_at),
	STORE_COL(TEXT, struct search_hit, snippet));

int
search_run(struct store *st, const struct search_query *q,
    struct search_hit **hits, size_t *n)
{
	const struct source	*src;
	sqlite3_stmt		*stmt = NULL;
	void			*v;
	char			*expr = NULL;
	int64_t			 cut = 0;
	int			 rc, step, filtered;

	*hits = NULL;
	*n = 0;
	if ((unsigned)q->source >= nitems(sources))
		return PERR_NOTFOUND;
	src = &sources[q->source];
	if ((rc = search_compile(q->text, &expr)) != 0)
		return rc;
	if (src->per_user && q->user_id == 0) {
		rc = 0;
		goto out;
	}
	rc = PERR_DB;
	filtered = q->board_id != 0 || q->section != NULL ||
	    q->author_id != 0 || q->from != 0 || q->to != 0;
	if ((stmt = store_prepare(st, filtered || src->cutoff_any == NULL ?
	    src->cutoff : src->cutoff_any)) == NULL)
		goto out;
	bind_query(stmt, q, expr, 0);
	if ((step = sqlite3_step(stmt)) == SQLITE_ROW)
		cut = sqlite3_column_int64(stmt, 0);
	else if (step != SQLITE_DONE) {
		store_fail(st, "search window");
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = store_prepare(st, src->hits);
	if (stmt != NULL)
		bind_query(stmt, q, expr, cut);
	rc = store_rows(st, stmt, &search_hit_rows, &v, n, "search");
	*hits = v;
	stmt = NULL;
out:
	sqlite3_finalize(stmt);
	free(expr);
	return rc;
}

void
search_hits_free(struct search_hit *v, size_t n)
{
	store_rows_free(&search_hit_rows, v, n);
}

/* ---- filters ---------------------------------------------------------- */

int
search_find_board(struct store *st, const char *name, int role, int64_t uid,
    int64_t *id)
{
	sqlite3_stmt	*stmt;
	char		*want = text_fold(name), *title;
	int64_t		 part = 0;
	int		 rc = PERR_SEARCH_BOARD, step, nparts = 0;

	*id = 0;
	stmt = store_prepare(st, "SELECT b.id, b.name, b.title FROM boards b"
	    " WHERE " SQL_CAN_READ " ORDER BY b.position, b.id");
	if (stmt == NULL) {
		free(want);
		return PERR_DB;
	}
	store_bind_named(stmt, ":role", role);
	store_bind_named(stmt, ":uid", uid);
	/* The tag or the whole title first: "Математика" is that board even
	 * when "Математика 5-6" exists too.  Then a part of one title. */
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(stmt, 1);

		title = text_fold((const char *)sqlite3_column_text(stmt, 2));
		if ((n != NULL && strcasecmp(n, name) == 0) ||
		    strcmp(title, want) == 0) {
			*id = sqlite3_column_int64(stmt, 0);
			rc = 0;
		} else if (*want != '\0' && strstr(title, want) != NULL &&
		    nparts++ == 0)
			part = sqlite3_column_int64(stmt, 0);
		free(title);
		if (rc == 0)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "search board");
	else if (rc != 0 && nparts == 1) {
		*id = part;
		rc = 0;
	} else if (rc != 0 && nparts > 1)
		rc = PERR_SEARCH_BOARDS;
	sqlite3_finalize(stmt);
	free(want);
	return rc;
}

int
search_find_section(struct store *st, const char *name, char **section)
{
	struct lib_section	*v = NULL;
	char			*want = text_fold(name), *title;
	size_t			 n = 0, i;
	int			 rc;

	*section = NULL;
	if ((rc = library_section_list(st, &v, &n)) != 0)
		goto out;
	rc = PERR_LIB_SECTION;
	for (i = 0; i < n && rc != 0; i++) {
		title = text_fold(v[i].title);
		if (strcasecmp(v[i].name, name) == 0 || strcmp(title, want) == 0) {
			*section = xstrdup(v[i].name);
			rc = 0;
		}
		free(title);
	}
out:
	library_section_list_free(v, n);
	free(want);
	return rc;
}

int
search_find_author(struct store *st, const char *name, int64_t *id)
{
	sqlite3_stmt	*stmt;
	char		*want = text_fold(name), *dn;
	int64_t		 part = 0;
	int		 rc = PERR_SEARCH_AUTHOR, step = SQLITE_DONE;
	int		 nexact = 0, npart = 0;

	*id = 0;
	/* A login first: it is unique.  Then a display name, whole or in
	 * part ("Хәйруллин"): those need not be unique. */
	stmt = store_prepare(st, "SELECT id, login = ?1, display_name FROM users"
	    " ORDER BY login = ?1 DESC, id");
	if (stmt == NULL) {
		free(want);
		return PERR_DB;
	}
	store_bind_text(stmt, 1, name);
	while (*want != '\0' && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (sqlite3_column_int(stmt, 1)) {
			*id = sqlite3_column_int64(stmt, 0);
			nexact = 1;
			npart = 0;
			break;
		}
		dn = text_fold((const char *)sqlite3_column_text(stmt, 2));
		if (strcmp(dn, want) == 0 && nexact++ == 0)
			*id = sqlite3_column_int64(stmt, 0);
		else if (strstr(dn, want) != NULL && npart++ == 0)
			part = sqlite3_column_int64(stmt, 0);
		free(dn);
	}
	if (*want != '\0' && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "search author");
	else if (nexact == 1 || (nexact == 0 && npart == 1)) {
		if (nexact == 0)
			*id = part;
		rc = 0;
	} else if (nexact > 1 || npart > 1) {
		*id = 0;
		rc = PERR_SEARCH_AMBIGUOUS;
	}
	sqlite3_finalize(stmt);
	free(want);
	return rc;
}

int
search_parse_date(const char *s, int end, int64_t *t)
{
	/* The day's last second, and one more: the midnight after it. */
	if (text_parse_day(s, end, t) != 0)
		return PERR_SEARCH_DATE;
	if (end)
		(*t)++;
	return 0;
}

void
search_snippet_walk(const char *snippet,
    int (*fn)(const char *text, int on, void *), void *arg)
{
	char	*part, *clean;
	size_t	 n;
	int	 on = 0, stop;

	/* Sanitise between the markers; the markers themselves are ours. */
	while (*snippet != '\0') {
		if (*snippet == SEARCH_MARK_ON || *snippet == SEARCH_MARK_OFF) {
			on = *snippet++ == SEARCH_MARK_ON;
			if (fn(NULL, on, arg) != 0)
				return;
			continue;
		}
		n = strcspn(snippet, "\001\002");
		part = xmalloc(n + 1);
		memcpy(part, snippet, n);
		part[n] = '\0';
		clean = text_sanitize(part, 0);
		stop = fn(clean, on, arg);
		free(clean);
		free(part);
		if (stop != 0)
			return;
		snippet += n;
	}
}

struct search_mark {
	struct strbuf	 b;
	const char	*open, *close;
};

static int
search_mark_part(const char *text, int on, void *arg)
{
	struct search_mark	*m = arg;

	strbuf_str(&m->b, text != NULL ? text : on ? m->open : m->close);
	return 0;
}

char *
search_mark(const char *snippet, const char *open, const char *close)
{
	struct search_mark	 m = { { 0 }, open, close };

	strbuf_str(&m.b, "");
	search_snippet_walk(snippet, search_mark_part, &m);
	return m.b.s;
}
