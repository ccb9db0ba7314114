/*
 * test-digest-fmt.c: a digest for readers that are not parta
 * (common/digest-fmt.c, common/qwk.c): the text in every encoding, 72
 * columns, quotes rewrapped with their marks, CRLF on request; HTML
 * escaped, with no script and no link out of the file; the QWK packet's
 * files and blocks; a REP answered through the request table exactly
 * once, refused where the BBS would refuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "board.h"
#include "charset.h"
#include "digest.h"
#include "digest-fmt.h"
#include "mail.h"
#include "news.h"
#include "post.h"
#include "qwk.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

static const char body[] =
    "Коллеги, как вы объясняете дроби в 5 классе? Татарские буквы: "
    "әни, өй, үрдәк, җир, миң, һава. <b>Не</b> тег & не скрипт.\n"
    "\n"
    "> Это длинная цитата из прошлого письма, которую нужно переносить "
    "по словам, сохраняя знак цитаты в начале каждой строки.\n"
    "Конец.";

/* The largest display width of the lines of s (UTF-8). */
static int
widest(const char *s)
{
	char	*c = xstrdup(s), *l, *nl;
	int	 w = 0;

	for (l = c; l != NULL; l = nl) {
		if ((nl = strchr(l, '\n')) != NULL)
			*nl++ = '\0';
		if (text_width(l) > w)
			w = text_width(l);
	}
	free(c);
	return w;
}

/* Render into a new string. */
static char *
render(struct store *st, int (*fn)(struct store *,
    const struct digest_fmt_opts *, FILE *, char **),
    const struct digest_fmt_opts *o)
{
	char	*buf = NULL, *cause = NULL;
	size_t	 len = 0;
	FILE	*fp = open_memstream(&buf, &len);

	if (fn(st, o, fp, &cause) != 0) {
		printf("# %s\n", cause);
		free(cause);
	}
	fclose(fp);
	return buf;
}

/* The member name of the zip at path into a new buffer; NULL if none. */
static char *
member(const char *path, const char *name, size_t *len)
{
	zip_t		*za;
	zip_file_t	*zf;
	zip_stat_t	 zs;
	char		*b = NULL;
	int		 err;

	if ((za = zip_open(path, ZIP_RDONLY, &err)) == NULL)
		return NULL;
	if (zip_stat(za, name, 0, &zs) == 0 &&
	    (zf = zip_fopen(za, name, 0)) != NULL) {
		b = xmalloc(zs.size + 1);
		*len = (size_t)zip_fread(zf, b, zs.size);
		b[*len] = '\0';
		zip_fclose(zf);
	}
	zip_discard(za);
	return b;
}

/* A REP packet answering post ref on conference conf, as a reader writes
 * it: the BBS id block, a header, the CP866 text ending lines in 0xE3. */
static char *
rep(const char *dir, const char *name, int conf, int64_t ref,
    const char *subject, const char *text)
{
	unsigned char	 h[128], blk[128];
	char		*c = charset_convert(CHARSET_CP866, CHARSET_OUT, text);
	char		*path = xasprintf("%s/%s", dir, name), tmp[32];
	size_t		 n = strlen(c), i, blocks = 1 + (n + 1 + 127) / 128;
	FILE		*fp = fopen(path, "wb");

	for (i = 0; i < n; i++)
		if (c[i] == '\n')
			c[i] = (char)0xe3;
	memset(blk, ' ', 128);
	memcpy(blk, "PARTA", 5);
	fwrite(blk, 1, 128, fp);
	memset(h, ' ', 128);
	snprintf(tmp, sizeof(tmp), "%-7d", conf);
	memcpy(h + 1, tmp, 7);
	memcpy(h + 8, "12-01-2614:03", 13);
	memcpy(h + 21, "ALL", 3);
	memcpy(h + 46, "ANNA", 4);
	{
		char *cs = charset_convert(CHARSET_CP866, CHARSET_OUT, subject);

		memcpy(h + 71, cs, strlen(cs) < 25 ? strlen(cs) : 25);
		free(cs);
	}
	if (ref > 0) {
		snprintf(tmp, sizeof(tmp), "%-8lld", (long long)ref);
		memcpy(h + 108, tmp, 8);
	}
	snprintf(tmp, sizeof(tmp), "%-6zu", blocks);
	memcpy(h + 116, tmp, 6);
	h[122] = 0xe1;
	h[123] = (unsigned char)conf;
	h[124] = 0;
	fwrite(h, 1, 128, fp);
	fwrite(c, 1, n, fp);
	fputc(0xe3, fp);
	for (i = n + 1; i < (blocks - 1) * 128; i++)
		fputc(' ', fp);
	fclose(fp);
	free(c);
	return path;
}

int
main(void)
{
	struct digest_fmt_opts	 o = { .charset = CHARSET_UTF8, .owner = "anna",
				   .title = "Дайджест района", .now = 1764590000 };
	struct store		*st;
	struct user		*anna;
	struct qwk_import	 res;
	int64_t			 bid, tid, pid, p2, mid;
	char			*s, *cause, *path, *dat, *ctl, *u, *rp;
	size_t			 len, nmsg, i;
	int			 crlf;

	t_tmpdir();
	st = t_store("parta.db");
	anna = t_user_get(st, "anna", "Анна Ивановна", ROLE_TEACHER);
	(void)t_user(st, "ildar", "Ильдар Хасанов", ROLE_TEACHER);
	T_INT(board_add(st, "math", "Математика", "", "console"), 0,
	    "a board");
	bid = t_int(st, "SELECT id FROM boards WHERE name = 'math'", NULL);
	T_INT(post_thread_new(st, NULL, t_int(st, "SELECT id FROM users "
	    "WHERE login = 'ildar'", NULL), bid, "Дроби в 5 классе: как "
	    "объяснить <просто>?", body, &tid, &pid), 0, "a thread");
	T_INT(post_reply(st, anna, tid, pid, "Через пиццу.", &p2), 0,
	    "a reply");
	T_INT(mail_send(st, t_int(st, "SELECT id FROM users WHERE login = "
	    "'ildar'", NULL), "anna", "Привет", "Письмо Анне.", 0, &mid), 0,
	    "a letter");
	T_INT(news_add(st, 0, "Новости района", "Семинар в пятницу.",
	    "console", NULL), 0, "news");

	/* Text, UTF-8. */
	s = render(st, digest_fmt_text, &o);
	T_OK(s != NULL && strstr(s, "Contents") != NULL, "text: contents");
	T_OK(strstr(s, "Дроби в 5 классе") != NULL, "text: the thread");
	T_OK(strstr(s, "үрдәк") != NULL, "text: Tatar kept in UTF-8");
	T_OK(strstr(s, "Письмо Анне.") != NULL, "text: her mail");
	T_OK(strstr(s, "Семинар в пятницу.") != NULL, "text: news");
	T_OK(strstr(s, "01.12.2026") != NULL || strstr(s, ".2025") != NULL,
	    "text: dates dd.mm.yyyy");
	T_INT(widest(s) <= DIGEST_FMT_COLS, 1, "text: 72 columns at most");
	T_OK(strstr(s, "  > Это длинная цитата") != NULL, "text: quote kept");
	{
		/* Every row the quote became starts with its mark. */
		const char *q = strstr(s, "  > Это длинная цитата");
		const char *nl = q != NULL ? strchr(q, '\n') : NULL;

		T_OK(nl != NULL && strncmp(nl + 1, "  > ", 4) == 0,
		    "text: a wrapped quote line keeps \"> \"");
	}
	free(s);

	/* Text in each legacy encoding: the same rows, one column each. */
	{
		static const int cs[] = { CHARSET_KOI8R, CHARSET_CP1251,
		    CHARSET_CP866 };

		for (i = 0; i < nitems(cs); i++) {
			o.charset = cs[i];
			s = render(st, digest_fmt_text, &o);
			u = charset_convert(cs[i], CHARSET_IN, s);
			T_OK(strstr(u, "урдак") != NULL && strstr(u, "ани") !=
			    NULL, "%s: Tatar as its Russian base letters",
			    charset_name(cs[i]));
			T_INT(widest(u) <= DIGEST_FMT_COLS, 1,
			    "%s: 72 columns at most", charset_name(cs[i]));
			free(u);
			free(s);
		}
		o.charset = CHARSET_UTF8;
	}

	/* CRLF on request: every LF follows a CR. */
	o.crlf = 1;
	s = render(st, digest_fmt_text, &o);
	for (crlf = 1, i = 0; s[i] != '\0'; i++)
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			crlf = 0;
	T_INT(crlf, 1, "text: CRLF line ends on request");
	free(s);
	o.crlf = 0;

	/* A board digest holds nobody's mail. */
	o.owner = "";
	s = render(st, digest_fmt_text, &o);
	T_OK(strstr(s, "Письмо Анне.") == NULL, "text: no mail without owner");
	free(s);
	o.owner = "anna";

	/* HTML. */
	s = render(st, digest_fmt_html, &o);
	T_OK(strstr(s, "<meta charset=\"utf-8\">") != NULL, "html: UTF-8");
	T_OK(strstr(s, "<script") == NULL && strstr(s, "http") == NULL &&
	    strstr(s, "src=") == NULL && strstr(s, "@import") == NULL,
	    "html: no script, nothing fetched");
	T_OK(strstr(s, "&lt;b&gt;Не&lt;/b&gt; тег &amp; не") != NULL,
	    "html: the body escaped");
	T_OK(strstr(s, "&lt;просто&gt;") != NULL, "html: the subject escaped");
	T_OK(strstr(s, "<b>Не</b>") == NULL, "html: no tag from a post");
	path = xasprintf("href=\"#t%lld\"", (long long)tid);
	T_OK(strstr(s, path) != NULL, "html: contents link to the thread");
	free(path);
	path = xasprintf("id=\"t%lld\"", (long long)tid);
	T_OK(strstr(s, path) != NULL, "html: the thread's anchor");
	free(path);
	free(s);

	/* QWK. */
	path = t_path("PARTA.QWK");
	T_INT(qwk_write(st, &o, path, &nmsg, &cause), 0, "qwk: written");
	T_INT(nmsg, 3, "qwk: two posts and a letter");
	T_OK(qwk_write(st, &o, path, &nmsg, &cause) == -1 && cause != NULL,
	    "qwk: an existing file is not overwritten");
	free(cause);
	dat = member(path, "MESSAGES.DAT", &len);
	T_OK(dat != NULL && len % 128 == 0 && len >= 128 * 4,
	    "qwk: MESSAGES.DAT in 128-byte blocks");
	T_OK(dat != NULL && strncmp(dat, "Produced by parta", 17) == 0,
	    "qwk: the packet's first block");
	for (i = 0; dat != NULL && i < len; i++)
		if (dat[i] == '\0')
			dat[i] = ' ';	/* the headers' binary numbers */
	u = dat != NULL ? charset_convert(CHARSET_CP866, CHARSET_IN, dat +
	    128) : xstrdup("");
	T_OK(strstr(u, "Письмо Анне.") != NULL, "qwk: CP866 text");
	T_OK(strstr(u, "Через пиццy.") != NULL,
	    "qwk: \"у\" written as the Latin look-alike");
	free(u);
	free(dat);
	ctl = member(path, "CONTROL.DAT", &len);
	u = ctl != NULL ? charset_convert(CHARSET_CP866, CHARSET_IN, ctl) :
	    xstrdup("");
	s = xasprintf("\r\n%lld\r\nМатематика\r\n", (long long)bid);
	T_OK(strstr(u, s) != NULL, "qwk: the board listed as a conference");
	T_OK(strstr(u, "00000,PARTA\r\n") != NULL, "qwk: the BBS id");
	free(s);
	free(u);
	free(ctl);
	s = xasprintf("%03lld.NDX", (long long)bid);
	dat = member(path, s, &len);
	T_INT(dat != NULL ? (long long)len : -1, 10, "qwk: the board's index");
	/* The first message after the mail's 2 blocks: block 4, MSBIN. */
	T_OK(dat != NULL && (unsigned char)dat[3] == 0x83 &&
	    (unsigned char)dat[2] == 0x00 && dat[4] == (char)bid,
	    "qwk: the index names the header's block");
	free(dat);
	free(s);
	dat = member(path, "PERSONAL.NDX", &len);
	T_INT(dat != NULL ? (long long)len : -1, 5, "qwk: her letter indexed");
	free(dat);
	free(path);

	/* The table's rows write new files. */
	path = t_path("d.txt");
	T_INT(digest_fmt_render(st, digest_fmt_format("text-cp1251"), &o, path,
	    &cause), 0, "render: text-cp1251 written");
	T_OK(digest_fmt_render(st, digest_fmt_format("html"), &o, path,
	    &cause) == -1, "render: an existing file is refused");
	free(cause);
	T_OK(digest_fmt_format("text") != NULL &&
	    digest_fmt_format("pdf") == NULL, "render: formats by name");
	for (i = 0, nmsg = 0; i < digest_nformats; i++)
		if (digest_formats[i].render != NULL &&
		    digest_fmt_format(digest_formats[i].name) == NULL)
			nmsg++;
	T_INT((long long)nmsg, 0,
	    "render: each rendered row of digest export has its rendering");
	free(path);

	/* REP: a reply to the first post, imported twice: posted once. */
	rp = rep(t_tmp, "a.msg", (int)bid, pid, "Re: Дроби",
	    "Спасибо за совет!\nВторая строка, y меня так же.\n"
	    "В лесy y школы, x, y и my.");
	T_INT(qwk_import(st, anna, rp, &res, &cause), 0, "rep: imported");
	T_INT(res.posted, 1, "rep: one reply posted");
	T_INT(t_int(st, "SELECT count(*) FROM posts WHERE body = "
	    "'Спасибо за совет!\nВторая строка, у меня так же.\n"
	    "В лесу у школы, x, y и my.'", NULL), 1,
	    "rep: the reply is on the board, \"y\" read back as \"у\"");
	T_INT(qwk_import(st, anna, rp, &res, &cause), 0, "rep: again");
	T_INT(res.posted, 0, "rep: nothing posted the second time");
	T_INT(res.again, 1, "rep: the reply was applied before");
	T_INT(t_int(st, "SELECT count(*) FROM posts WHERE body LIKE "
	    "'Спасибо за совет!%'", NULL), 1, "rep: still once");
	free(rp);

	/* A conference that is not the post's board is refused. */
	rp = rep(t_tmp, "b.msg", (int)bid + 1, pid, "Re", "Чужая.");
	T_INT(qwk_import(st, anna, rp, &res, &cause), 0, "rep: read");
	T_INT(res.refused, 1, "rep: wrong conference refused");
	free(res.why);
	free(rp);

	/* A locked thread refuses with the reason. */
	T_INT(post_thread_flag(st, NULL, "console", tid, POST_LOCK, 1), 0,
	    "lock");
	rp = rep(t_tmp, "c.msg", (int)bid, pid, "Re", "Поздно.");
	T_INT(qwk_import(st, anna, rp, &res, &cause), 0, "rep: read");
	T_INT(res.refused, 1, "rep: a locked thread refuses");
	T_OK(res.why != NULL && strstr(res.why, "reply 1") != NULL,
	    "rep: the refusal names the reply");
	free(res.why);
	free(rp);

	/* A new thread (no reference) and a reply to her letter. */
	rp = rep(t_tmp, "d.msg", (int)bid, 0, "Новая тема", "Текст темы.");
	T_INT(qwk_import(st, anna, rp, &res, &cause), 0, "rep: read");
	T_INT(res.posted, 1, "rep: a new thread");
	T_INT(t_int(st, "SELECT count(*) FROM threads WHERE subject = "
	    "'Новая тема'", NULL), 1, "rep: the thread is there");
	free(rp);
	rp = rep(t_tmp, "e.msg", 0, mid, "Re: Привет", "Ответ на письмо.");
	T_INT(qwk_import(st, anna, rp, &res, &cause), 0, "rep: read");
	T_INT(res.posted, 1, "rep: a letter answered");
	T_INT(t_int(st, "SELECT count(*) FROM mail WHERE body = "
	    "'Ответ на письмо.'", NULL), 1, "rep: the letter is sent");
	free(rp);

	/* Damaged and foreign packets. */
	{
		static const unsigned char junk[] = "PK\003\004garbage";
		struct qwk_reply *v;
		unsigned char	 *m;
		size_t		  n;
		unsigned char	  blk[256];

		T_INT(qwk_rep_unzip(junk, sizeof(junk), &m, &n, &cause), -1,
		    "rep: a damaged zip refused");
		free(cause);
		memset(blk, ' ', sizeof(blk));
		memcpy(blk, "OTHERBBS", 8);
		T_INT(qwk_rep_parse(blk, sizeof(blk), "PARTA", &v, &n,
		    &cause), -1, "rep: another BBS's packet refused");
		free(cause);
		T_INT(qwk_rep_parse(blk, 200, NULL, &v, &n, &cause), -1,
		    "rep: a truncated packet refused");
		free(cause);
	}

	user_free(anna);
	store_close(st);
	return t_done();
}
