/*
 * digest-fmt.h: a digest rendered for readers that are not parta.
 *
 * Each renderer reads a store of the common schema (a digest file, a
 * local copy, or in tests a server's store) and writes everything in it
 * that a reader may see: the boards with their shown threads and posts,
 * and, when the store is someone's (digest_fmt_opts.owner, else the
 * store's meta owner), her inbox; then the news.  A digest holds only
 * what its recipient may see, so the renderers filter only what no
 * printout should carry (hidden posts and threads, unapproved threads).
 *
 * text: 72 columns through text_wrap(), dates as text_date() writes
 *   them, quoted lines ("> ") rewrapped with their marks, UTF-8 or a
 *   legacy encoding through charset_convert() (the BBS's one-column
 *   substitutes), LF or CRLF line ends.
 * html: one UTF-8 file with its style inline: no script, no link to
 *   anything outside the file, every text escaped.
 * qwk: a QWK packet (qwk.h).
 */
#ifndef PARTA_DIGEST_FMT_H
#define PARTA_DIGEST_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct store;

struct digest_fmt_opts {
	int		 charset;	/* text: a CHARSET_ value (charset.h) */
	int		 crlf;		/* text: CRLF line ends (Notepad) */
	const char	*owner;		/* whose mail: a login; NULL: the
					   store's meta owner ("": nobody's) */
	int64_t		 since;		/* posts, letters and news from then
					   on (Unix time; 0: all) */
	const char	*title;		/* the heading; NULL: the default */
	int64_t		 now;		/* "made on" (0: now) */
};

/* What a digest holds, read once (digest-fmt.c). */
struct digest_fmt_post {
	int64_t	 id;
	int64_t	 reply_to;
	int64_t	 created_at;
	char	*author;	/* display name, or the login, or "" */
	char	*login;
	char	*subject;
	char	*body;
};

struct digest_fmt_thread {
	int64_t			 id;
	char			*subject;
	struct digest_fmt_post	*posts;
	size_t			 nposts;
};

struct digest_fmt_board {
	int64_t			 id;
	char			*name;
	char			*title;
	struct digest_fmt_thread *threads;
	size_t			 nthreads;
};

struct digest_fmt_doc {
	char			*title;
	char			*owner;		/* login, "" for nobody */
	char			*owner_name;
	int64_t			 now;
	struct digest_fmt_board	*boards;
	size_t			 nboards;
	struct digest_fmt_post	*mail;		/* her inbox; subject set */
	size_t			 nmail;
	struct digest_fmt_post	*news;		/* subject is the title */
	size_t			 nnews;
	size_t			 total;		/* posts on all boards */
};

/*
 * Read what st holds into a new *out as o says (caller frees with
 * digest_fmt_doc_free).  0, or -1 with *cause (caller frees).
 */
int	 digest_fmt_read(struct store *st, const struct digest_fmt_opts *o,
	     struct digest_fmt_doc **out, char **cause);
void	 digest_fmt_doc_free(struct digest_fmt_doc *);

/*
 * Write st rendered as text or HTML on fp.  0, or -1 with *cause
 * (caller frees): the store could not be read, or fp not written.
 */
int	 digest_fmt_text(struct store *st, const struct digest_fmt_opts *o,
	     FILE *fp, char **cause);
int	 digest_fmt_html(struct store *st, const struct digest_fmt_opts *o,
	     FILE *fp, char **cause);

/*
 * The text rendering of doc as a new UTF-8 string (LF line ends), for
 * digest_fmt_text() and for measuring; caller frees.
 */
char	*digest_fmt_text_string(const struct digest_fmt_doc *doc);

/*
 * The renderings, a row each: text (UTF-8), text-crlf, text-koi8r,
 * text-cp1251 and text-cp866 (both CRLF: Windows and DOS), html, qwk.
 * digest export's table (digest.h) has a row of the same name for each,
 * with its help; digest_fmt_file() finds this row by that name.
 */
enum digest_fmt_kind { DIGEST_FMT_TEXT, DIGEST_FMT_HTML, DIGEST_FMT_QWK };
struct digest_fmt_format {
	const char		*name;
	enum digest_fmt_kind	 kind;
	int			 charset;
	int			 crlf;
};
extern const struct digest_fmt_format digest_fmt_formats[];
extern const size_t digest_fmt_nformats;
/* The row named name, or NULL. */
const struct digest_fmt_format *digest_fmt_format(const char *name);

/*
 * Render st as f into the new file out (an existing file is refused).
 * o may be NULL (the store's owner, everything in it).  0, or -1 with
 * *cause (caller frees).
 */
int	 digest_fmt_render(struct store *st, const struct digest_fmt_format *f,
	     const struct digest_fmt_opts *o, const char *out, char **cause);

/*
 * A row of digest export's table (digest.h): unpack the digest file src
 * into a temporary directory, render it as the digest_fmt_formats[] row
 * of f's name into the new file out, for the digest's recipient (a board
 * digest: nobody's mail), and remove the directory.  0, or -1 with
 * *cause (caller frees): src is no digest (digest_unpack()'s words), or
 * the rendering failed.
 */
struct digest_format;
int	 digest_fmt_file(const struct digest_format *f, const char *src,
	     const char *out, char **cause);

/* Text and HTML rows of 72 columns. */
#define DIGEST_FMT_COLS	72

#endif
