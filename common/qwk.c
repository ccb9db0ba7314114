/*
 * qwk.c: QWK packets out, REP packets in (qwk.h).
 *
 * Writing reads the digest once (digest_fmt_read), lays each message out
 * as QWK's 128-byte blocks in memory, and zips the files with libzip.
 * Reading a REP is the one parser of untrusted bytes here: it walks the
 * blocks by the counts in each header and checks every count against
 * what is left before reading (tests/fuzz/fuzz-qwk.c).  The import turns
 * each reply into a request and lets request_apply() judge it, so a REP
 * can do nothing its user could not do at the BBS.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <zip.h>

#include "charset.h"
#include "digest-fmt.h"
#include "i18n.h"
#include "log.h"
#include "perr.h"
#include "qwk.h"
#include "request.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"

#define QWK_EOL		0xe3	/* QWK's line end; CP866's "у" */

/* A growing byte buffer. */
struct qwk_buf {
	unsigned char	*p;
	size_t		 len, cap;
};

static void
qwk_put(struct qwk_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 4096;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void
qwk_puts(struct qwk_buf *b, const char *s)
{
	qwk_put(b, s, strlen(s));
}

/* s (UTF-8) in CP866 with the substitutes; "у" becomes Latin "y", since
 * its byte is QWK's line end.  Newlines stay.  Caller frees. */
static char *
qwk_cp866(const char *s)
{
	char	*clean = text_sanitize(s, 1), *c, *p;

	c = charset_convert(CHARSET_CP866, CHARSET_OUT, clean);
	free(clean);
	for (p = c; *p != '\0'; p++)
		if ((unsigned char)*p == QWK_EOL)
			*p = 'y';
	return c;
}

/* A header field: s in CP866, cut to n bytes and padded with spaces. */
static void
qwk_field(unsigned char *dst, size_t n, const char *s)
{
	char	*c = qwk_cp866(s), *nl;
	size_t	 l;

	if ((nl = strchr(c, '\n')) != NULL)
		*nl = '\0';
	l = strlen(c);
	memset(dst, ' ', n);
	memcpy(dst, c, l < n ? l : n);
	free(c);
}

/* An ASCII number into a field of n bytes, left-aligned. */
static void
qwk_num(unsigned char *dst, size_t n, int64_t v)
{
	char	 tmp[24];
	int	 l = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);

	memset(dst, ' ', n);
	memcpy(dst, tmp, (size_t)l < n ? (size_t)l : n);
}

/* The block number n (1-based) as the 4-byte MSBIN float of .NDX files. */
static void
qwk_msbin(unsigned char out[4], uint32_t n)
{
	uint32_t	 m;
	int		 e = 0;

	memset(out, 0, 4);
	if (n == 0)
		return;
	while (e < 32 && (n >> e) != 0)
		e++;
	m = e <= 24 ? n << (24 - e) : n >> (e - 24);
	out[0] = m & 0xff;
	out[1] = (m >> 8) & 0xff;
	out[2] = (m >> 16) & 0x7f;	/* the top bit is implied; sign 0 */
	out[3] = (unsigned char)(0x80 + e);
}

/* The conferences of a packet: 0 her mail, then the boards. */
struct qwk_conf {
	int		 num;
	const char	*name;
	struct qwk_buf	 ndx;
};

struct qwk_out {
	struct qwk_buf	 dat;
	struct qwk_conf	*conf;
	size_t		 nconf;
	struct qwk_buf	 personal;
	size_t		 nmsg;
};

/* One message into o->dat, indexed in c (and PERSONAL.NDX). */
static void
qwk_message(struct qwk_out *o, struct qwk_conf *c, int64_t num, int64_t ref,
    const char *to, const struct digest_fmt_post *p, const char *subject,
    int personal)
{
	unsigned char	 h[QWK_BLOCK], rec[5];
	struct qwk_buf	 text = { 0 };
	char		*body, *line, *nl, when[40];
	struct tm	 tm;
	time_t		 t = (time_t)p->created_at;
	size_t		 blocks, start = o->dat.len / QWK_BLOCK + 1;

	memset(h, ' ', sizeof(h));
	h[0] = personal ? '+' : ' ';
	qwk_num(h + 1, 7, num);
	localtime_r(&t, &tm);
	/* QWK's two-digit year, as the format has it. */
	snprintf(when, sizeof(when), "%02d-%02d-%02d", tm.tm_mon + 1,
	    tm.tm_mday, (tm.tm_year % 100 + 100) % 100);
	memcpy(h + 8, when, 8);
	strftime(when, sizeof(when), "%H:%M", &tm);
	memcpy(h + 16, when, 5);
	qwk_field(h + 21, 25, to);
	qwk_field(h + 46, 25, *p->author != '\0' ? p->author : p->login);
	qwk_field(h + 71, 25, subject);
	if (ref > 0)
		qwk_num(h + 108, 8, ref);
	/* A subject longer than the field goes first in the text, as
	 * readers write and read it ("Subject:"). */
	if (text_width(subject) > 25) {
		body = qwk_cp866(subject);
		if ((nl = strchr(body, '\n')) != NULL)
			*nl = '\0';
		qwk_puts(&text, "Subject: ");
		qwk_puts(&text, body);
		qwk_put(&text, "\xe3\xe3", 2);
		free(body);
	}
	body = qwk_cp866(p->body);
	for (line = body; line != NULL; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		if (nl == NULL && *line == '\0')
			break;
		qwk_puts(&text, line);
		qwk_put(&text, "\xe3", 1);
	}
	free(body);
	while (text.len % QWK_BLOCK != 0 || text.len == 0)
		qwk_put(&text, " ", 1);
	blocks = 1 + text.len / QWK_BLOCK;
	qwk_num(h + 116, 6, (int64_t)blocks);
	h[122] = 0xe1;				/* active */
	h[123] = (unsigned char)(c->num & 0xff);
	h[124] = (unsigned char)((c->num >> 8) & 0xff);
	o->nmsg++;
	h[125] = (unsigned char)(o->nmsg & 0xff);
	h[126] = (unsigned char)((o->nmsg >> 8) & 0xff);
	qwk_put(&o->dat, h, sizeof(h));
	qwk_put(&o->dat, text.p, text.len);
	free(text.p);
	qwk_msbin(rec, (uint32_t)start);
	rec[4] = (unsigned char)(c->num & 0xff);
	qwk_put(&c->ndx, rec, 5);
	if (personal)
		qwk_put(&o->personal, rec, 5);
}

/* Lines of CRLF text, CP866. */
static void
qwk_line(struct qwk_buf *b, const char *s)
{
	char	*c = qwk_cp866(s), *nl;

	if ((nl = strchr(c, '\n')) != NULL)
		*nl = '\0';
	qwk_puts(b, c);
	qwk_puts(b, "\r\n");
	free(c);
}

static void
qwk_control(struct qwk_buf *b, const struct digest_fmt_doc *d,
    const struct qwk_out *o)
{
	char		 tmp[64], when[32];
	struct tm	 tm;
	time_t		 t = (time_t)d->now;
	size_t		 i;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%m-%d-%Y,%H:%M:%S", &tm);
	qwk_line(b, d->title);
	qwk_line(b, "");
	qwk_line(b, "");
	qwk_line(b, "Sysop");
	qwk_line(b, "00000," QWK_BBSID);
	qwk_line(b, when);
	qwk_line(b, *d->owner != '\0' ? d->owner : "ALL");
	qwk_line(b, "");
	qwk_line(b, "0");
	snprintf(tmp, sizeof(tmp), "%zu", o->nmsg);
	qwk_line(b, tmp);
	snprintf(tmp, sizeof(tmp), "%zu", o->nconf > 0 ? o->nconf - 1 : 0);
	qwk_line(b, tmp);
	for (i = 0; i < o->nconf; i++) {
		snprintf(tmp, sizeof(tmp), "%d", o->conf[i].num);
		qwk_line(b, tmp);
		qwk_line(b, o->conf[i].name);
	}
	qwk_line(b, "");
	qwk_line(b, d->nnews > 0 ? "NEWS" : "");
	qwk_line(b, "");
}

/* Lay out every message of d into o. */
static void
qwk_layout(struct qwk_out *o, const struct digest_fmt_doc *d)
{
	const struct digest_fmt_board	*bd;
	const struct digest_fmt_thread	*t;
	const struct digest_fmt_post	*p;
	struct qwk_conf			*c;
	size_t				 i, j, k;
	int64_t				 ref;

	o->conf = xcalloc(d->nboards + 1, sizeof(*o->conf));
	qwk_put(&o->dat, "Produced by parta", 17);
	while (o->dat.len < QWK_BLOCK)
		qwk_put(&o->dat, " ", 1);
	if (*d->owner != '\0') {
		c = &o->conf[o->nconf++];
		c->num = 0;
		c->name = _("Mail");
		for (i = 0; i < d->nmail; i++) {
			p = &d->mail[i];
			if (p->id >= 10000000)
				continue;
			qwk_message(o, c, p->id, p->reply_to, d->owner_name,
			    p, p->subject, 1);
		}
	}
	for (i = 0; i < d->nboards; i++) {
		bd = &d->boards[i];
		if (bd->id <= 0 || bd->id > 65535)
			continue;
		c = &o->conf[o->nconf++];
		c->num = (int)bd->id;
		c->name = bd->title;
		for (j = 0; j < bd->nthreads; j++) {
			t = &bd->threads[j];
			for (k = 0; k < t->nposts; k++) {
				p = &t->posts[k];
				if (p->id >= 10000000)
					continue;	/* beyond the field */
				ref = p->reply_to != 0 ? p->reply_to :
				    k > 0 ? t->posts[0].id : 0;
				qwk_message(o, c, p->id, ref, "ALL", p,
				    t->subject, 0);
			}
		}
	}
}

static void
qwk_news(struct qwk_buf *b, const struct digest_fmt_doc *d)
{
	char	 when[32], *s, *c, *p;
	size_t	 i;

	for (i = 0; i < d->nnews; i++) {
		text_date(d->news[i].created_at, TEXT_DATE_DAY, when,
		    sizeof(when));
		s = xasprintf("%s  %s\n\n%s\n", when, d->news[i].subject,
		    d->news[i].body);
		qwk_line(b, "");
		c = qwk_cp866(s);
		for (p = c; *p != '\0'; p++) {
			if (*p == '\n')
				qwk_put(b, "\r", 1);
			qwk_put(b, p, 1);
		}
		free(c);
		free(s);
	}
}

/* Add len bytes of p as name to za; the zip takes the buffer. */
static int
qwk_zip_add(zip_t *za, const char *name, struct qwk_buf *b)
{
	zip_source_t	*src;

	if ((src = zip_source_buffer(za, b->p, b->len, 1)) == NULL)
		return -1;
	b->p = NULL;
	b->len = b->cap = 0;
	if (zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(src);
		return -1;
	}
	return 0;
}

int
qwk_write(struct store *st, const struct digest_fmt_opts *opts,
    const char *path, size_t *nmsg, char **cause)
{
	struct digest_fmt_doc	*d;
	struct qwk_out		 o;
	struct qwk_buf		 ctl = { 0 }, door = { 0 }, news = { 0 };
	zip_t			*za;
	char			 name[16];
	size_t			 i;
	int			 err, rc = -1;

	*cause = NULL;
	if (digest_fmt_read(st, opts, &d, cause) != 0)
		return -1;
	memset(&o, 0, sizeof(o));
	qwk_layout(&o, d);
	qwk_control(&ctl, d, &o);
	qwk_puts(&door, "DOOR = parta\r\nVERSION = 1\r\nSYSTEM = parta\r\n"
	    "CONTROLNAME = PARTA\r\nMIXEDCASE = YES\r\n");
	qwk_news(&news, d);
	if ((za = zip_open(path, ZIP_CREATE | ZIP_EXCL, &err)) == NULL) {
		zip_error_t	 ze;

		zip_error_init_with_code(&ze, err);
		*cause = xasprintf("%s: %s", path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto out;
	}
	if (qwk_zip_add(za, "CONTROL.DAT", &ctl) != 0 ||
	    qwk_zip_add(za, "MESSAGES.DAT", &o.dat) != 0 ||
	    qwk_zip_add(za, "DOOR.ID", &door) != 0 ||
	    (o.personal.len > 0 &&
	    qwk_zip_add(za, "PERSONAL.NDX", &o.personal) != 0) ||
	    (news.len > 0 && qwk_zip_add(za, "NEWS", &news) != 0))
		goto zipfail;
	for (i = 0; i < o.nconf; i++) {
		if (o.conf[i].ndx.len == 0)
			continue;
		snprintf(name, sizeof(name), "%03d.NDX", o.conf[i].num);
		if (qwk_zip_add(za, name, &o.conf[i].ndx) != 0)
			goto zipfail;
	}
	if (zip_close(za) != 0)
		goto zipfail;
	za = NULL;
	if (nmsg != NULL)
		*nmsg = o.nmsg;
	rc = 0;
	goto out;
zipfail:
	*cause = xasprintf("%s: %s", path, zip_strerror(za));
	zip_discard(za);
	(void)remove(path);
out:
	for (i = 0; i < o.nconf; i++)
		free(o.conf[i].ndx.p);
	free(o.conf);
	free(o.dat.p);
	free(o.personal.p);
	free(ctl.p);
	free(door.p);
	free(news.p);
	digest_fmt_doc_free(d);
	return rc;
}

/* --- REP ----------------------------------------------------------- */

/* 1 if b is a letter of CP866's Cyrillic. */
static int
qwk_cyr866(unsigned char b)
{
	return (b >= 0x80 && b <= 0xaf) || (b >= 0xe0 && b <= 0xf7);
}

static int
qwk_latin(unsigned char b)
{
	return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

/* The nearest letter to t[i] in direction d (1 or -1) on its line:
 * 'c' Cyrillic, 'l' Latin, 0 none.  A lone "y" (no Latin letter next to
 * it) is passed over: it may be a "у" itself ("в лесy y школы"). */
static int
qwk_near(const unsigned char *t, size_t n, size_t i, int d)
{
	size_t	 j = i;

	for (;;) {
		if ((d < 0 && j == 0) || (d > 0 && j + 1 >= n))
			return 0;
		j = d < 0 ? j - 1 : j + 1;
		if (t[j] == '\n')
			return 0;
		if (t[j] == 'y' && !(j > 0 && qwk_latin(t[j - 1])) &&
		    !(j + 1 < n && qwk_latin(t[j + 1])))
			continue;
		if (qwk_latin(t[j]))
			return 'l';
		if (qwk_cyr866(t[j]))
			return 'c';
	}
}

/* 1 if the Latin "y" at t[i] stands for "у": no Latin letter next to
 * it, and the nearest letters on its line are Cyrillic ("у меня",
 * "могу."); "y" in "my" or in "x, y" stays. */
static int
qwk_is_u(const unsigned char *t, size_t n, size_t i)
{
	int	 a = qwk_near(t, n, i, -1), b = qwk_near(t, n, i, 1);

	if ((i > 0 && qwk_latin(t[i - 1])) || (i + 1 < n &&
	    qwk_latin(t[i + 1])))
		return 0;
	return (a == 'c' || b == 'c') && a != 'l' && b != 'l';
}

/* A field of n bytes: trailing spaces and NULs cut, into UTF-8. */
static char *
qwk_text_field(const unsigned char *p, size_t n)
{
	char	 tmp[QWK_BLOCK + 1];
	size_t	 i;

	for (i = 0; i < n; i++)
		tmp[i] = p[i] == '\0' || p[i] == QWK_EOL ? ' ' : (char)p[i];
	while (n > 0 && tmp[n - 1] == ' ')
		n--;
	tmp[n] = '\0';
	return charset_convert(CHARSET_CP866, CHARSET_IN, tmp);
}

/* An ASCII number field; -1 when it is none. */
static int64_t
qwk_num_field(const unsigned char *p, size_t n)
{
	int64_t	 v = 0;
	size_t	 i = 0;
	int	 digits = 0;

	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++, digits++) {
		if (v > 100000000000LL)
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	while (i < n && (p[i] == ' ' || p[i] == '\0'))
		i++;
	return i == n && digits > 0 ? v : (digits == 0 && i == n ? 0 : -1);
}

/* The text of a reply (n bytes at p) into UTF-8: 0xE3 ends lines, a
 * Latin "y" beside Cyrillic letters is "у" again, NULs are spaces,
 * trailing blanks and blank lines go. */
static char *
qwk_text(const unsigned char *p, size_t n)
{
	unsigned char	*t = xmalloc(n + 1);
	char		*u, *e;
	size_t		 i;

	for (i = 0; i < n; i++) {
		t[i] = p[i];
		if (t[i] == QWK_EOL)
			t[i] = '\n';
		else if (t[i] == '\0' || t[i] == '\r')
			t[i] = t[i] == '\r' ? '\n' : ' ';
	}
	for (i = 0; i < n; i++)
		if (t[i] == 'y' && qwk_is_u(t, n, i))
			t[i] = QWK_EOL;
	t[n] = '\0';
	u = charset_convert(CHARSET_CP866, CHARSET_IN, (char *)t);
	free(t);
	/* Trailing spaces of each line, then trailing blank lines. */
	{
		char	*r = u, *w = u, *ls = u;

		for (; *r != '\0'; r++) {
			if (*r == '\n') {
				while (w > ls && w[-1] == ' ')
					w--;
				*w++ = '\n';
				ls = w;
			} else
				*w++ = *r;
		}
		while (w > ls && w[-1] == ' ')
			w--;
		*w = '\0';
	}
	for (e = u + strlen(u); e > u && e[-1] == '\n'; e--)
		;
	*e = '\0';
	return u;
}

/* A "Subject: ..." first line (the reader's long subject) moves from
 * the body to r->subject. */
static void
qwk_long_subject(struct qwk_reply *r)
{
	char	*nl, *s;

	if (strncasecmp(r->body, "Subject:", 8) != 0)
		return;
	nl = strchr(r->body, '\n');
	s = xasprintf("%.*s", nl != NULL ? (int)(nl - r->body - 8) :
	    (int)strlen(r->body + 8), r->body + 8);
	free(r->subject);
	r->subject = xstrdup(text_trim(s));
	free(s);
	s = xstrdup(nl != NULL ? nl + 1 : "");
	while (*s == '\n')
		memmove(s, s + 1, strlen(s));
	free(r->body);
	r->body = s;
}

void
qwk_replies_free(struct qwk_reply *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].to);
		free(v[i].subject);
		free(v[i].body);
	}
	free(v);
}

int
qwk_rep_parse(const unsigned char *buf, size_t len, const char *bbsid,
    struct qwk_reply **out, size_t *n, char **cause)
{
	struct qwk_reply	*v = NULL, *r;
	const unsigned char	*h;
	size_t			 off, nv = 0, blocks, i;
	int64_t			 b, ref;
	struct qwk_buf		 hb = { 0 };

	*out = NULL;
	*n = 0;
	*cause = NULL;
	if (len < QWK_BLOCK || len % QWK_BLOCK != 0) {
		*cause = xasprintf("%s", _("the reply packet is damaged: its "
		    "length is not a whole number of blocks"));
		return -1;
	}
	if (bbsid != NULL) {
		i = strlen(bbsid);
		if (i > 8 || strncasecmp((const char *)buf, bbsid, i) != 0 ||
		    (i < QWK_BLOCK && buf[i] != ' ' && buf[i] != '\0')) {
			*cause = xasprintf(_("the reply packet is not for "
			    "this BBS (not %s)"), bbsid);
			return -1;
		}
	}
	for (off = QWK_BLOCK; off < len; off += blocks * QWK_BLOCK) {
		h = buf + off;
		b = qwk_num_field(h + 116, 6);
		if (b < 1 || (uint64_t)b > (len - off) / QWK_BLOCK) {
			*cause = xasprintf(_("the reply packet is damaged at "
			    "block %zu"), off / QWK_BLOCK + 1);
			goto fail;
		}
		blocks = (size_t)b;
		if (h[0] == '\0' || h[0] == 0xff || h[122] == 0xe2)
			continue;	/* net flags, a deleted reply */
		if (nv == QWK_REPLIES_MAX) {
			*cause = xasprintf("%s", _("the reply packet holds "
			    "too many replies"));
			goto fail;
		}
		ref = qwk_num_field(h + 108, 8);
		b = qwk_num_field(h + 1, 7);
		if (b < 0 || b > 65535 || ref < 0) {
			*cause = xasprintf(_("the reply packet is damaged at "
			    "block %zu"), off / QWK_BLOCK + 1);
			goto fail;
		}
		v = xrealloc(v, (nv + 1) * sizeof(*v));
		r = &v[nv++];
		memset(r, 0, sizeof(*r));
		r->conf = (int)b;
		r->ref = ref;
		r->to = qwk_text_field(h + 21, 25);
		r->subject = qwk_text_field(h + 71, 25);
		r->body = qwk_text(h + QWK_BLOCK, (blocks - 1) * QWK_BLOCK);
		qwk_long_subject(r);
		/* What the reply says, not where it sits in the packet nor
		 * its padding: the same reply hashes the same. */
		hb.len = 0;
		qwk_put(&hb, h + 1, 7);			/* conference */
		qwk_put(&hb, h + 8, 13);		/* date, time */
		qwk_put(&hb, h + 108, 8);		/* reference */
		qwk_put(&hb, r->to, strlen(r->to) + 1);
		qwk_put(&hb, r->subject, strlen(r->subject) + 1);
		qwk_put(&hb, r->body, strlen(r->body));
		if (EVP_Digest(hb.p, hb.len, r->digest, NULL, EVP_sha256(),
		    NULL) != 1)
			fatal("EVP_Digest");
	}
	free(hb.p);
	*out = v;
	*n = nv;
	return 0;
fail:
	free(hb.p);
	qwk_replies_free(v, nv);
	return -1;
}

int
qwk_rep_unzip(const void *buf, size_t len, unsigned char **msg,
    size_t *msglen, char **cause)
{
	zip_source_t	*src;
	zip_t		*za = NULL;
	zip_file_t	*zf;
	zip_error_t	 ze;
	zip_stat_t	 zs;
	zip_int64_t	 i, nent, got;
	const char	*name;
	size_t		 l;

	*msg = NULL;
	*msglen = 0;
	*cause = NULL;
	if (len < 4 || memcmp(buf, "PK\003\004", 4) != 0) {
		if (len > QWK_REP_MAX)
			goto toobig;
		*msg = xmalloc(len + 1);
		memcpy(*msg, buf, len);
		*msglen = len;
		return 0;
	}
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(buf, len, 0, &ze)) == NULL ||
	    (za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS,
	    &ze)) == NULL) {
		zip_source_free(src);
		zip_error_fini(&ze);
		*cause = xasprintf("%s", _("the reply packet is not a zip "
		    "file, or a damaged one"));
		return -1;
	}
	zip_error_fini(&ze);
	nent = zip_get_num_entries(za, 0);
	for (i = 0; i < nent; i++) {
		if ((name = zip_get_name(za, (zip_uint64_t)i, 0)) == NULL ||
		    (l = strlen(name)) < 4 ||
		    strcasecmp(name + l - 4, ".MSG") != 0)
			continue;
		if (zip_stat_index(za, (zip_uint64_t)i, 0, &zs) != 0 ||
		    !(zs.valid & ZIP_STAT_SIZE))
			break;
		if (zs.size > QWK_REP_MAX) {
			zip_discard(za);
			goto toobig;
		}
		*msg = xmalloc((size_t)zs.size + 1);
		if ((zf = zip_fopen_index(za, (zip_uint64_t)i, 0)) == NULL)
			break;
		got = zip_fread(zf, *msg, zs.size);
		zip_fclose(zf);
		if (got < 0 || (zip_uint64_t)got != zs.size)
			break;
		*msglen = (size_t)zs.size;
		zip_discard(za);
		return 0;
	}
	free(*msg);
	*msg = NULL;
	zip_discard(za);
	*cause = xasprintf("%s", i < nent ? _("the reply packet is not a "
	    "zip file, or a damaged one") : _("the reply packet holds no "
	    ".MSG file"));
	return -1;
toobig:
	*cause = xasprintf("%s", _("the reply packet is too large"));
	return -1;
}

void
qwk_reply_uuid(const char *user_uuid, const struct qwk_reply *r,
    char uuid[37])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	struct qwk_buf	 b = { 0 };
	char		 hex[33];

	qwk_put(&b, "parta-qwk-reply", 16);
	qwk_put(&b, user_uuid, strlen(user_uuid) + 1);
	qwk_put(&b, r->digest, sizeof(r->digest));
	if (EVP_Digest(b.p, b.len, md, NULL, EVP_sha256(), NULL) != 1)
		fatal("EVP_Digest");
	free(b.p);
	md[6] = (md[6] & 0x0f) | 0x50;		/* version 5: a name hash */
	md[8] = (md[8] & 0x3f) | 0x80;		/* RFC 4122 variant */
	hex_format(md, 16, hex);
	snprintf(uuid, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
	    hex + 12, hex + 16, hex + 20);
}

/* The request of one reply, its rows named by UUID (into the caller's
 * buffers).  0, or a PERR code with the reply not understood. */
static int
qwk_request(struct store *st, const struct user *u, const struct qwk_reply *q,
    struct request *r, char board[37], char thread[37], char post[37],
    char to[37])
{
	sqlite3_stmt	*s;
	int64_t		 bid;
	int		 rc;

	request_init(r, REQ_REPLY, u);
	qwk_reply_uuid(u->uuid, q, r->uuid);
	r->body = q->body;
	if (q->conf == 0) {
		/* A letter: answers one in her inbox, to its sender. */
		s = store_stmt(st, "SELECT m.uuid, su.uuid FROM mail m "
		    "JOIN mail_boxes b ON b.mail_id = m.id JOIN users su "
		    "ON su.id = m.sender_id WHERE m.id = ?1 AND "
		    "b.user_id = ?2 AND b.folder = 'inbox'", "ii", q->ref,
		    u->id);
		if ((rc = store_first(st, s, "rep letter")) == 0) {
			strlcpy_p(post, (const char *)sqlite3_column_text(s,
			    0), 37);
			strlcpy_p(to, (const char *)sqlite3_column_text(s, 1),
			    37);
		}
		sqlite3_finalize(s);
		if (rc != 0)
			return rc;
		r->kind = REQ_MAIL_SEND;
		r->letter = post;
		r->to = to;
		r->subject = q->subject;
		return 0;
	}
	if (q->ref == 0) {
		if ((rc = request_uuid_of(st, REQF_BOARD, q->conf,
		    board)) != 0)
			return rc;
		r->kind = REQ_THREAD_NEW;
		r->board = board;
		r->subject = q->subject;
		return 0;
	}
	s = store_stmt(st, "SELECT p.uuid, t.uuid, t.board_id FROM posts p "
	    "JOIN threads t ON t.id = p.thread_id WHERE p.id = ?1", "i",
	    q->ref);
	if ((rc = store_first(st, s, "rep post")) == 0) {
		strlcpy_p(post, (const char *)sqlite3_column_text(s, 0), 37);
		strlcpy_p(thread, (const char *)sqlite3_column_text(s, 1), 37);
		bid = sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	if (rc != 0)
		return rc;
	if (bid != q->conf)
		return PERR_NOTFOUND;	/* the thread moved, or a forgery */
	r->thread = thread;
	r->post = post;
	return 0;
}

static void
qwk_refuse(struct qwk_import *res, size_t i, const struct qwk_reply *q,
    int rc)
{
	char	*line, *was = res->why;

	line = xasprintf(_("reply %zu (\"%s\"): %s"), i + 1, q->subject,
	    _(perr_str(rc)));
	res->why = xasprintf("%s%s\n", was != NULL ? was : "", line);
	free(was);
	free(line);
	res->refused++;
}

int
qwk_import(struct store *st, const struct user *u, const char *path,
    struct qwk_import *res, char **cause)
{
	struct request_result	 rr;
	struct request		 r;
	struct qwk_reply	*v = NULL;
	unsigned char		*msg = NULL;
	char			*raw = NULL;
	char			 board[37], thread[37], post[37], to[37];
	size_t			 len, n = 0, i;
	FILE			*fp;
	int			 rc;

	memset(res, 0, sizeof(*res));
	*cause = NULL;
	if ((fp = fopen(path, "rb")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	raw = xmalloc(QWK_REP_MAX + 1);
	len = fread(raw, 1, QWK_REP_MAX + 1, fp);
	fclose(fp);
	if (qwk_rep_unzip(raw, len, &msg, &len, cause) != 0 ||
	    qwk_rep_parse(msg, len, QWK_BBSID, &v, &n, cause) != 0) {
		free(raw);
		free(msg);
		return -1;
	}
	free(raw);
	for (i = 0; i < n; i++) {
		if ((rc = qwk_request(st, u, &v[i], &r, board, thread, post,
		    to)) == 0)
			rc = request_apply(st, &r, 0, &rr);
		if (rc != 0) {
			log_info("rep %s: reply %zu of %s refused: %s", path,
			    i + 1, u->login, perr_str(rc));
			qwk_refuse(res, i, &v[i], rc);
		} else if (rr.again)
			res->again++;
		else {
			log_info("rep %s: reply %zu of %s applied (%s)", path,
			    i + 1, u->login, r.uuid);
			res->posted++;
		}
	}
	qwk_replies_free(v, n);
	free(msg);
	return 0;
}
