/*
 * parta-news.c: the gateway between the store's shared boards and the
 * district's INN server (parta-news(8)); INN carries the articles
 * between districts, batching and retrying over weak links.
 *
 * One run is bounded and idempotent, and is started by a timer
 * (share/parta-news.timer, every minute; cron does as well):
 *   1. out: the shared boards' new posts (share_outgoing()) are offered
 *      to INN by IHAVE as signed articles (common/article.c), then the
 *      cancels of those hidden since (share_cancels()).  A post is
 *      marked sent only when INN took it (235) or had it (435); 436 (try
 *      later) leaves it for the next run; a 437 refusal is logged and
 *      not offered again.
 *   2. in: in reader mode, each shared newsgroup and control.cancel is
 *      read from the gateway's cursor (news_cursors) by article number,
 *      at most news_batch a group; each article is parsed, its origin
 *      checked (the signature of the district its Message-ID names,
 *      article_verify()) and applied as a request whose UUID is the
 *      post's, so a second path or a run that died half way never
 *      applies it twice; the cursor moves after each article.
 * Bad input is refused and logged with the group and the article's
 * number, and never stored.
 *
 * Why a timer and not a channel feed from INN: the reader cursor needs
 * nothing of INN's configuration beyond a reader's access, survives
 * INN's restarts and the gateway's, and a run that fails is simply the
 * next one; a minute's delay is nothing beside a GPRS link's.  Why not
 * inside partad: untrusted articles are parsed here, in a process of
 * its own that holds no listener and no session.
 */
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "article.h"
#include "config.h"
#include "log.h"
#include "perr.h"
#include "request.h"
#include "share.h"
#include "store.h"
#include "util.h"

#define DEFAULT_CONFIG	"/etc/parta/partad.conf"
#define NEWS_TIMEOUT	120		/* seconds for any one read or write */
#define NEWS_LINE_MAX	(64 * 1024)
#define NEWS_CANCELS	"control.cancel"

struct news {
	struct config		 cfg;
	struct store		*st;
	struct article_key	 key;
	struct article_peers	 peers;
	int			 dry;		/* -n: read, refuse, log; apply nothing */
	/* this run's figures */
	int			 sent, cancels, deferred, rejected;
	int			 received, again, refused;
};

/* ---- NNTP -------------------------------------------------------- */

struct nntp {
	int	 fd;
	char	 buf[8192];
	size_t	 len, off;
};

static int
news_connect(struct nntp *c, const char *server, char **cause)
{
	struct addrinfo	 hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	struct timeval	 tv = { .tv_sec = NEWS_TIMEOUT };
	char		*host = xstrdup(server), *port;
	int		 rc;

	c->fd = -1;
	c->len = c->off = 0;
	if ((port = strrchr(host, ':')) == NULL) {
		port = xstrdup("119");
	} else {
		*port++ = '\0';
		port = xstrdup(port);
	}
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		*cause = xasprintf("%s: %s", server, gai_strerror(rc));
		free(host);
		free(port);
		return -1;
	}
	for (ai = res; ai != NULL && c->fd == -1; ai = ai->ai_next) {
		if ((c->fd = socket(ai->ai_family, ai->ai_socktype,
		    ai->ai_protocol)) == -1)
			continue;
		setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			close(c->fd);
			c->fd = -1;
		}
	}
	freeaddrinfo(res);
	free(host);
	free(port);
	if (c->fd == -1) {
		*cause = xasprintf("%s: %s", server, strerror(errno));
		return -1;
	}
	return 0;
}

static void
news_close(struct nntp *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
}

/* One line without its CRLF into *line (caller frees): its length, or
 * -1 when the connection failed or the line is longer than max. */
static ssize_t
news_line(struct nntp *c, char **line, size_t max)
{
	char	*s = NULL;
	size_t	 n = 0;
	ssize_t	 r;
	char	 ch;

	*line = NULL;
	for (;;) {
		if (c->off == c->len) {
			r = read(c->fd, c->buf, sizeof(c->buf));
			if (r == -1 && errno == EINTR)
				continue;
			if (r <= 0) {
				free(s);
				return -1;
			}
			c->len = (size_t)r;
			c->off = 0;
		}
		ch = c->buf[c->off++];
		if (ch == '\n')
			break;
		if (n >= max) {
			free(s);
			return -1;
		}
		if (n % 256 == 0)
			s = xrealloc(s, n + 257);
		s[n++] = ch;
	}
	if (s == NULL)
		s = xmalloc(1);
	if (n > 0 && s[n - 1] == '\r')
		n--;
	s[n] = '\0';
	*line = s;
	return (ssize_t)n;
}

/* Send a command (NULL: none) and read the answer's code, and its line
 * into *text if not NULL (caller frees).  The code, or -1. */
static int
news_cmd(struct nntp *c, const char *cmd, char **text)
{
	char	*line, *s;
	int	 code;

	if (text != NULL)
		*text = NULL;
	if (cmd != NULL) {
		s = xasprintf("%s\r\n", cmd);
		code = write_all(c->fd, s, strlen(s));
		free(s);
		if (code != 0)
			return -1;
	}
	if (news_line(c, &line, 1024) < 3) {
		free(line);
		return -1;
	}
	code = atoi(line);
	if (text != NULL)
		*text = line;
	else
		free(line);
	return code;
}

/* An article (LF line ends) as NNTP has it: CRLF, dot-stuffed, ended
 * with a line of one dot. */
static int
news_send_text(struct nntp *c, const char *text)
{
	const char	*p = text, *e;
	char		*out = xmalloc(strlen(text) * 2 + 8), *o = out;
	int		 rc;

	while (*p != '\0') {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		if (*p == '.')
			*o++ = '.';
		memcpy(o, p, (size_t)(e - p));
		o += e - p;
		*o++ = '\r';
		*o++ = '\n';
		p = *e == '\n' ? e + 1 : e;
	}
	memcpy(o, ".\r\n", 3);
	o += 3;
	rc = write_all(c->fd, out, (size_t)(o - out));
	free(out);
	return rc;
}

/*
 * Read a multi-line block after a 220 into *text (LF line ends, dot
 * stuffing undone; caller frees) and *len: 0, 1 when it was larger than
 * max (read to its end and dropped), -1 when the connection failed.
 */
static int
news_block(struct nntp *c, size_t max, char **text, size_t *len)
{
	char	*line, *s = NULL, *l;
	size_t	 n = 0, cap = 0, ln;
	ssize_t	 r;
	int	 big = 0;

	*text = NULL;
	*len = 0;
	for (;;) {
		if ((r = news_line(c, &line, NEWS_LINE_MAX)) < 0) {
			free(s);
			return -1;
		}
		if (strcmp(line, ".") == 0) {
			free(line);
			break;
		}
		l = line[0] == '.' ? line + 1 : line;
		ln = strlen(l);
		if (!big && n + ln + 1 > max)
			big = 1;
		if (!big) {
			if (n + ln + 2 > cap) {
				cap = (n + ln + 2) * 2;
				s = xrealloc(s, cap);
			}
			memcpy(s + n, l, ln);
			n += ln;
			s[n++] = '\n';
		}
		free(line);
	}
	if (big) {
		free(s);
		return 1;
	}
	if (s == NULL)
		s = xmalloc(1);
	s[n] = '\0';
	*text = s;
	*len = n;
	return 0;
}

/* ---- out --------------------------------------------------------- */

/* Offer text under msgid by IHAVE: INN's code (235 taken, 435 not
 * wanted, 436 later, 437 refused), or -1 when the link failed. */
static int
news_ihave(struct nntp *c, const char *msgid, const char *text)
{
	char	*cmd = xasprintf("IHAVE %s", msgid);
	int	 code;

	code = news_cmd(c, cmd, NULL);
	free(cmd);
	if (code != 335)
		return code;
	if (news_send_text(c, text) != 0)
		return -1;
	return news_cmd(c, NULL, NULL);
}

/* After an IHAVE answered code for post id: mark it (done(st, id)) and
 * count, or leave it.  -1 when the link failed (stop sending). */
static int
news_offered(struct news *n, int code, int64_t id, const char *msgid,
    int cancel)
{
	int	 rc = 0;

	switch (code) {
	case 235:
	case 435:
		if (cancel)
			rc = share_cancel_sent(n->st, id);
		else
			rc = share_sent(n->st, id, msgid);
		if (rc != 0)
			log_warn("%s sent, but not marked: %s", msgid,
			    perr_str(rc));
		if (cancel)
			n->cancels++;
		else
			n->sent++;
		return 0;
	case 437:
		/* INN will never take it (a group it does not carry, a
		 * filter): said once, not offered again. */
		log_warn("INN refused %s%s; it is not offered again", cancel ?
		    "the cancel of " : "", msgid);
		n->rejected++;
		if (cancel)
			share_cancel_sent(n->st, id);
		else
			share_sent(n->st, id, msgid);
		return 0;
	case -1:
		return -1;
	default:
		log_info("INN answered %d for %s: offered again next run",
		    code, msgid);
		n->deferred++;
		return code == 436 ? 0 : -1;
	}
}

/*
 * Offer o, signed with the district's key, as msgid (post id's article,
 * or with cancel its cancel) and count INN's answer (news_offered()).
 * An article that cannot be written is logged and skipped: 0.  -1 when
 * the link failed.
 */
static int
news_send(struct news *n, struct nntp *c, const struct article_out *o,
    const char *msgid, int64_t id, int cancel)
{
	char	*text, *cause = NULL;
	int	 code;

	if ((text = article_write(o, &n->key, &cause)) == NULL) {
		log_warn("%s%s cannot be sent: %s", cancel ? "the cancel of " :
		    "", msgid, cause);
		free(cause);
		return 0;
	}
	code = news_ihave(c, msgid, text);
	free(text);
	return news_offered(n, code, id, msgid, cancel);
}

static int
news_out(struct news *n, struct nntp *c)
{
	struct share_post	*v = NULL;
	struct article_out	 o;
	const char		*refs[2];
	char			 msgid[128], *subj;
	size_t			 i, nv = 0, nr;
	int			 rc = 0;

	if (share_outgoing(n->st, n->cfg.news_identity,
	    (size_t)n->cfg.news_batch, &v, &nv) != 0)
		return -1;
	for (i = 0; i < nv && rc == 0; i++) {
		nr = 0;
		if (*v[i].thread_ref != '\0')
			refs[nr++] = v[i].thread_ref;
		if (*v[i].parent_ref != '\0')
			refs[nr++] = v[i].parent_ref;
		o = (struct article_out){
			.uuid = v[i].uuid, .ident = n->cfg.news_identity,
			.newsgroup = v[i].newsgroup, .login = v[i].login,
			.name = v[i].name, .subject = v[i].subject,
			.body = v[i].body, .refs = refs, .nrefs = nr,
			.date = v[i].created_at,
		};
		snprintf(msgid, sizeof(msgid), "<%s@%s>", v[i].uuid,
		    n->cfg.news_identity);
		rc = news_send(n, c, &o, msgid, v[i].id, 0);
	}
	share_posts_free(v, nv);
	if (rc != 0 || share_cancels(n->st, (size_t)n->cfg.news_batch, &v,
	    &nv) != 0)
		return -1;
	for (i = 0; i < nv && rc == 0; i++) {
		subj = xasprintf("cmsg cancel %s", v[i].message_id);
		o = (struct article_out){
			.uuid = v[i].uuid, .ident = n->cfg.news_identity,
			.newsgroup = v[i].newsgroup,
			.login = *v[i].login != '\0' ? v[i].login : "sysop",
			.name = "", .subject = subj,
			.body = "Hidden on its home server.",
			.cancel = v[i].message_id, .date = now_unix(),
		};
		snprintf(msgid, sizeof(msgid), "<cancel.%s@%s>", v[i].uuid,
		    n->cfg.news_identity);
		rc = news_send(n, c, &o, msgid, v[i].id, 1);
		free(subj);
	}
	share_posts_free(v, nv);
	return rc;
}

/* ---- in ---------------------------------------------------------- */

/* Why article number num of group (Message-ID msgid, or NULL) was not
 * taken, in the log. */
static void
news_refuse(struct news *n, const char *group, int64_t num,
    const char *msgid, const char *why)
{
	char	 id[LOG_NAME_BUF];

	log_warn("refused article %lld of %s%s%s: %s", (long long)num, group,
	    msgid != NULL ? " " : "", msgid != NULL ? log_name(id, msgid) : "",
	    why);
	n->refused++;
}

/* The Message-ID of an article the parser refused, for the log only:
 * what follows "Message-ID:" on its line, cut to fit buf; NULL if none. */
static const char *
news_msgid(const char *text, size_t len, char buf[LOG_NAME_BUF])
{
	const char	*p = text, *e = text + len, *q;
	size_t		 n;

	while (p < e && *p != '\n') {
		q = memchr(p, '\n', (size_t)(e - p));
		if (q == NULL)
			q = e;
		if ((size_t)(q - p) > 12 &&
		    strncasecmp(p, "Message-ID:", 11) == 0) {
			for (p += 11; p < q && *p == ' '; p++)
				;
			n = (size_t)(q - p);
			if (n > 0 && p[n - 1] == '\r')
				n--;
			if (n > LOG_NAME_MAX)
				n = LOG_NAME_MAX;
			memcpy(buf, p, n);
			buf[n] = '\0';
			return buf;
		}
		p = q + 1;
	}
	return NULL;
}

/* Newsgroups (commas, maybe blanks) names group. */
static int
news_in_group(const char *groups, const char *group)
{
	size_t		 len = strlen(group);
	const char	*p = groups;

	while (*p != '\0') {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, group, len) == 0 && (p[len] == '\0' ||
		    p[len] == ',' || p[len] == ' ' || p[len] == '\t'))
			return 1;
		p += strcspn(p, ", \t");
	}
	return 0;
}

static void
news_apply_cancel(struct news *n, const char *group, int64_t num,
    const struct article *a)
{
	struct request		 r;
	struct request_result	 res;
	int			 rc;

	request_init(&r, REQ_ARTICLE_CANCEL, NULL);
	r.actor = "parta-news";
	r.post = a->uuid;
	r.text = a->ident;
	if (n->dry)
		return;
	rc = request_apply(n->st, &r, 0, &res);
	if (rc == 0) {
		log_info("%s from %s: post %s hidden", a->message_id, a->ident,
		    a->uuid);
		n->received++;
	} else if (rc == PERR_NOTFOUND) {
		/* Not here yet (a later batch, another path): kept, so
		 * that it is stored hidden if it comes. */
		if (share_cancel_early(n->st, a->uuid, a->ident) != 0)
			log_warn("%s: not kept", a->message_id);
		log_info("%s from %s: no such post here yet", a->message_id,
		    a->ident);
	}
	else
		news_refuse(n, group, num, a->message_id,
		    rc == PERR_REQ_DENIED ?
		    "a cancel of a post not from the cancelling district" :
		    perr_str(rc));
}

static void
news_apply_post(struct news *n, const char *group, int64_t num,
    const struct article *a)
{
	struct share_foreign	 f = {
		.uuid = a->uuid, .message_id = a->message_id,
		.origin = a->ident, .login = a->login, .name = a->name,
		.subject = a->subject, .body = a->body, .when = a->date,
	};
	struct request		 r;
	struct request_result	 res;
	char			 board[37], thread[37], post[37];
	int64_t			 board_id;
	int			 rc;

	if (!news_in_group(a->newsgroups, group)) {
		news_refuse(n, group, num, a->message_id,
		    "not posted to this group");
		return;
	}
	if ((rc = share_board_of(n->st, group, board)) != 0 ||
	    (rc = request_id_of(n->st, REQF_BOARD, board, &board_id)) != 0 ||
	    (rc = share_thread_of(n->st, board_id,
	    (const char *const *)a->refs, a->nrefs, thread, post)) != 0) {
		log_warn("article %lld of %s: %s", (long long)num, group,
		    perr_str(rc));
		return;
	}
	request_init(&r, REQ_ARTICLE, NULL);
	memcpy(r.uuid, a->uuid, sizeof(r.uuid));
	r.actor = "parta-news";
	r.board = board;
	r.thread = *thread != '\0' ? thread : NULL;
	r.post = *post != '\0' ? post : NULL;
	r.foreign = &f;
	if (n->dry)
		return;
	if ((rc = request_apply(n->st, &r, 0, &res)) != 0) {
		news_refuse(n, group, num, a->message_id, perr_str(rc));
		return;
	}
	if (res.again)
		n->again++;
	else {
		n->received++;
		log_info("%s from %s: post %lld on %s%s", a->message_id,
		    a->ident, (long long)res.id, group, r.thread != NULL ?
		    ", in its thread" : ", a new thread");
	}
}

/* Article number num of group, as INN sent it. */
static void
news_take(struct news *n, const char *group, int64_t num, const char *text,
    size_t len)
{
	struct article	*a = NULL;
	char		*cause = NULL, id[LOG_NAME_BUF];

	if (article_parse(text, len, (size_t)n->cfg.news_max_article, &a,
	    &cause) != 0) {
		news_refuse(n, group, num, news_msgid(text, len, id), cause);
		free(cause);
		return;
	}
	if (strcmp(a->ident, n->cfg.news_identity) == 0) {
		/* Ours, back by another path: we have it. */
		article_free(a);
		return;
	}
	if (article_verify(a, &n->peers, &cause) != 0) {
		news_refuse(n, group, num, a->message_id, cause);
		free(cause);
	} else if (a->cancel != NULL)
		news_apply_cancel(n, group, num, a);
	else if (strcmp(group, NEWS_CANCELS) == 0)
		news_refuse(n, group, num, a->message_id, "not a cancel");
	else
		news_apply_post(n, group, num, a);
	article_free(a);
}

/* Read group from the cursor on: -1 when the link failed. */
static int
news_group(struct news *n, struct nntp *c, const char *group)
{
	char		*cmd, *line, *text;
	long long	 count, low, high;
	int64_t		 last, num, end;
	size_t		 len;
	int		 code, rc;

	cmd = xasprintf("GROUP %s", group);
	code = news_cmd(c, cmd, &line);
	free(cmd);
	if (code != 211) {
		if (code == -1) {
			free(line);
			return -1;
		}
		log_warn("INN has no group %s (%s)", group, line != NULL ?
		    line : "");
		free(line);
		return 0;
	}
	if (sscanf(line, "%*d %lld %lld %lld", &count, &low, &high) != 3) {
		free(line);
		return -1;
	}
	free(line);
	if (share_cursor(n->st, group, &last) != 0)
		return -1;
	if (high < last && count > 0) {
		/* INN numbered the group anew (a rebuilt spool): read it
		 * again from its start; what was taken is taken once. */
		log_warn("%s: INN's numbers went back (%lld < %lld); reading it"
		    " again from %lld", group, high, (long long)last, low);
		last = low - 1;
		if (!n->dry && share_cursor_reset(n->st, group, last) != 0)
			return -1;
	}
	num = last + 1 > low ? last + 1 : low;
	end = high;
	if (end - num + 1 > n->cfg.news_batch)
		end = num + n->cfg.news_batch - 1;
	for (; num <= end; num++) {
		cmd = xasprintf("ARTICLE %lld", (long long)num);
		code = news_cmd(c, cmd, NULL);
		free(cmd);
		if (code == -1)
			return -1;
		if (code == 220) {
			if ((rc = news_block(c, (size_t)n->cfg.news_max_article,
			    &text, &len)) < 0)
				return -1;
			if (rc == 1)
				news_refuse(n, group, num, NULL, "too large");
			else
				news_take(n, group, num, text, len);
			free(text);
		}
		/* 423: cancelled or expired on INN; nothing to take. */
		if (!n->dry && share_cursor_set(n->st, group, num) != 0)
			return -1;
	}
	return 0;
}

static int
news_in(struct news *n, struct nntp *c)
{
	struct share	*v = NULL;
	size_t		 i, nv = 0;
	int		 rc = 0;

	if (share_list(n->st, &v, &nv) != 0)
		return -1;
	for (i = 0; i < nv && rc == 0; i++)
		rc = news_group(n, c, v[i].newsgroup);
	share_list_free(v, nv);
	if (rc == 0 && nv > 0)
		rc = news_group(n, c, NEWS_CANCELS);
	return rc;
}

/* ---- the run ----------------------------------------------------- */

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: parta-news [-nv] [-d data_dir] [-f config]\n"
	    "       parta-news -K | -P [-d data_dir] [-f config]\n"
	    "  (none)  one run: send the shared boards' new posts and cancels to\n"
	    "          INN, then read the other districts' articles\n"
	    "  -n      read and check, but send and apply nothing\n"
	    "  -K      make this server's signing key (news_key)\n"
	    "  -P      print the line for the other districts' news_peers\n"
	    "  -d dir  data directory (the store is dir/parta.db)\n"
	    "  -f file configuration file; default " DEFAULT_CONFIG
	    " if it exists\n"
	    "  -v      log debug messages\n");
}

static char *
news_path(const struct config *c, const char *set, const char *name)
{
	if (*set != '\0')
		return xstrdup(set);
	return xasprintf("%s/%s", c->data_dir, name);
}

/* One run, under the lock: 0, or 1 when the link or the store failed. */
static int
news_run(struct news *n)
{
	struct nntp	 c;
	char		*cause = NULL, *path;
	int		 code, rc = 0;

	path = xasprintf("%s/parta.db", n->cfg.data_dir);
	if (store_open(path, &n->st, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
		free(path);
		return 1;
	}
	free(path);
	if (!n->dry) {
		if (news_connect(&c, n->cfg.news_server, &cause) != 0) {
			log_warn("cannot reach INN: %s", cause);
			free(cause);
			cause = NULL;
			rc = 1;
		} else {
			code = news_cmd(&c, NULL, NULL);
			if ((code != 200 && code != 201) || news_out(n, &c) != 0) {
				log_warn("sending to INN at %s stopped (%d); the"
				    " rest goes next run", n->cfg.news_server,
				    code);
				rc = 1;
			}
			news_cmd(&c, "QUIT", NULL);
			news_close(&c);
		}
	}
	if (news_connect(&c, n->cfg.news_server, &cause) != 0) {
		log_warn("cannot reach INN: %s", cause);
		free(cause);
		rc = 1;
	} else {
		code = news_cmd(&c, NULL, NULL);
		if ((code != 200 && code != 201) ||
		    ((code = news_cmd(&c, "MODE READER", NULL)) != 200 &&
		    code != 201) || news_in(n, &c) != 0) {
			log_warn("reading from INN at %s stopped (%d); the rest"
			    " comes next run", n->cfg.news_server, code);
			rc = 1;
		}
		news_cmd(&c, "QUIT", NULL);
		news_close(&c);
	}
	log_info("sent %d, cancels %d, deferred %d, refused by INN %d;"
	    " received %d, again %d, refused %d", n->sent, n->cancels,
	    n->deferred, n->rejected, n->received, n->again, n->refused);
	store_close(n->st);
	return rc;
}

int
main(int argc, char **argv)
{
	struct news	 n = { 0 };
	struct stat	 sb;
	const char	*config = DEFAULT_CONFIG, *data_dir = NULL;
	char		*cause = NULL, *path, pub[45];
	int		 ch, make_key = 0, print_key = 0, verbose = 0, lock, rc;
	int		 required = 0;

	log_init("parta-news", LOG_LEVEL_INFO, 0);
	while ((ch = getopt(argc, argv, "d:f:hKnPv")) != -1) {
		switch (ch) {
		case 'd':
			data_dir = optarg;
			break;
		case 'f':
			config = optarg;
			required = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'K':
			make_key = 1;
			break;
		case 'n':
			n.dry = 1;
			break;
		case 'P':
			print_key = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	config_defaults(&n.cfg);
	if ((required || stat(config, &sb) == 0) &&
	    config_load(&n.cfg, config, &cause) != 0)
		goto fail;
	if (data_dir != NULL &&
	    config_set(&n.cfg, "data_dir", data_dir, &cause) != 0)
		goto fail;
	if (config_check(&n.cfg, &cause) != 0)
		goto fail;
	log_init("parta-news", verbose ? LOG_LEVEL_DEBUG :
	    (enum log_level)log_level_parse(n.cfg.log_level), n.cfg.syslog);
	if (*n.cfg.news_identity == '\0') {
		/* Not federated: a timer's run has nothing to do. */
		if (!make_key && !print_key) {
			log_info("news_identity is not set: no board is shared");
			config_free(&n.cfg);
			return 0;
		}
		cause = xstrdup("news_identity is not set: no board is shared");
		goto fail;
	}
	path = news_path(&n.cfg, n.cfg.news_key, "news_ed25519_key");
	if (make_key) {
		if (article_key_make(&n.key) != 0)
			cause = xstrdup("no random bytes for a key");
		else if (article_key_save(path, &n.key, &cause) == 0) {
			article_key_pub(&n.key, pub);
			printf("%s %s\n", n.cfg.news_identity, pub);
		}
		explicit_bzero(&n.key, sizeof(n.key));
		free(path);
		if (cause != NULL)
			goto fail;
		return 0;
	}
	rc = article_key_load(path, &n.key, &cause);
	free(path);
	if (rc != 0)
		goto fail;
	if (print_key) {
		article_key_pub(&n.key, pub);
		printf("%s %s\n", n.cfg.news_identity, pub);
		explicit_bzero(&n.key, sizeof(n.key));
		return 0;
	}
	path = news_path(&n.cfg, n.cfg.news_peers, "news_peers");
	rc = article_peers_load(path, &n.peers, &cause);
	if (rc != 0 && errno == ENOENT && *n.cfg.news_peers == '\0') {
		/* No peers yet: nothing is accepted, ours still go. */
		free(cause);
		cause = NULL;
		rc = 0;
	}
	free(path);
	if (rc != 0)
		goto fail;
	/* One run at a time: a timer that fires while one is slow. */
	path = xasprintf("%s/parta-news.lock", n.cfg.data_dir);
	lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(path);
	if (lock == -1 || flock(lock, LOCK_EX | LOCK_NB) != 0) {
		if (lock != -1 && errno == EWOULDBLOCK) {
			log_info("another run is under way");
			return 0;
		}
		cause = xasprintf("the lock: %s", strerror(errno));
		goto fail;
	}
	rc = news_run(&n);
	explicit_bzero(&n.key, sizeof(n.key));
	article_peers_free(&n.peers);
	config_free(&n.cfg);
	close(lock);
	return rc;
fail:
	fprintf(stderr, "parta-news: %s\n", cause);
	free(cause);
	return 1;
}
