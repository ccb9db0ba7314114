/*
 * article.c: posts as netnews articles and back (see article.h).
 *
 * The writer and the parser agree on one canonical text, which the
 * signature covers: a version line, the unfolded values of Message-ID,
 * Newsgroups, From, Subject, Date, References and Control, each on its
 * line, an empty line and the decoded body.  INN prepends to Path and
 * adds Xref and the like, never rewrites those seven, so the signature
 * survives every hop; the transfer encoding of the body does not matter
 * since the decoded body is what is signed.
 *
 * The parser works on a private copy with CRLF made LF.  Headers must be
 * printable ASCII (names and subjects travel as RFC 2047 encoded-words);
 * the seven headers above and the MIME ones may appear once; everything
 * decoded goes through text_check() before anyone sees it.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "article.h"
#include "post.h"
#include "text.h"
#include "util.h"

#define ARTICLE_NAME_MAX	100	/* characters of a display name */
#define ARTICLE_LINE_MAX	998	/* bytes of an 8bit body line */
#define ARTICLE_FIELD_MAX	8192	/* bytes of one unfolded header */
#define ARTICLE_SIG_PREFIX	"ed25519 "

/* ---- base64 ------------------------------------------------------ */

static char *
article_b64(const unsigned char *p, size_t n)
{
	char	*out = xmalloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return out;
}

/* Decode n base64 characters (whitespace skipped) into a new buffer:
 * its length in *outlen, or NULL when s is not base64. */
static unsigned char *
article_unb64(const char *s, size_t n, size_t *outlen)
{
	char		*clean = xmalloc(n + 1);
	unsigned char	*out;
	size_t		 i, m = 0, pad = 0;
	int		 got;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
			continue;
		if (!isalnum((unsigned char)s[i]) && s[i] != '+' &&
		    s[i] != '/' && s[i] != '=') {
			free(clean);
			return NULL;
		}
		clean[m++] = s[i];
	}
	clean[m] = '\0';
	if (m % 4 != 0) {
		free(clean);
		return NULL;
	}
	if (m > 0 && clean[m - 1] == '=')
		pad++;
	if (m > 1 && clean[m - 2] == '=')
		pad++;
	out = xmalloc(m / 4 * 3 + 1);
	got = m == 0 ? 0 : EVP_DecodeBlock(out, (unsigned char *)clean,
	    (int)m);
	free(clean);
	if (got < 0 || (size_t)got < pad) {
		free(out);
		return NULL;
	}
	*outlen = (size_t)got - pad;
	out[*outlen] = '\0';
	return out;
}

/* ---- names, identities, Message-IDs ------------------------------- */

int
article_ident_check(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n > ARTICLE_IDENT_MAX || s[0] == '.' || s[0] == '-' ||
	    s[n - 1] == '.' || s[n - 1] == '-' || strstr(s, "..") != NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) ||
		    isdigit((unsigned char)s[i]) || s[i] == '-' || s[i] == '.'))
			return -1;
	return 0;
}

static int
article_uuid_check(const char *s, size_t n)
{
	size_t	 i;

	if (n != 36)
		return -1;
	for (i = 0; i < n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
		} else if (!isdigit((unsigned char)s[i]) &&
		    (s[i] < 'a' || s[i] > 'f'))
			return -1;
	}
	return 0;
}

static int
article_login_check(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n > ARTICLE_LOGIN_MAX)
		return -1;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-' && s[i] != '.')
			return -1;
	return 0;
}

int
article_msgid_split(const char *msgid, char uuid[37], char *ident,
    int *cancel)
{
	const char	*p = msgid, *at;
	size_t		 n = strlen(msgid), un;

	*cancel = 0;
	if (n < 3 || p[0] != '<' || p[n - 1] != '>')
		return -1;
	p++;
	if (strncmp(p, "cancel.", 7) == 0) {
		*cancel = 1;
		p += 7;
	}
	if ((at = strchr(p, '@')) == NULL)
		return -1;
	un = (size_t)(at - p);
	if (article_uuid_check(p, un) != 0)
		return -1;
	n = (size_t)(msgid + n - 1 - (at + 1));
	if (n == 0 || n > ARTICLE_IDENT_MAX)
		return -1;
	memcpy(ident, at + 1, n);
	ident[n] = '\0';
	if (article_ident_check(ident) != 0)
		return -1;
	memcpy(uuid, p, 36);
	uuid[36] = '\0';
	return 0;
}

/* A Message-ID as RFC 5536 has it: <left@right>, printable, no
 * spaces, at most 250 bytes. */
static int
article_msgid_check(const char *s, size_t n)
{
	size_t	 i;
	int	 at = 0;

	if (n < 5 || n > 250 || s[0] != '<' || s[n - 1] != '>')
		return -1;
	for (i = 1; i < n - 1; i++) {
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '<' || s[i] == '>')
			return -1;
		if (s[i] == '@')
			at++;
	}
	return at == 1 ? 0 : -1;
}

/* ---- RFC 2047 ---------------------------------------------------- */

static int
article_is_ascii_plain(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < ' ' || (unsigned char)*s > '~')
			return 0;
	return 1;
}

/* Encoded-words of s (UTF-8), each at most 45 bytes of text, folded
 * with "\n " between them. */
static void
article_2047_encode(struct strbuf *b, const char *s)
{
	size_t	 n = strlen(s), i = 0, k;
	char	*w;

	while (i < n) {
		k = n - i > 45 ? 45 : n - i;
		/* Never cut a character in two. */
		while (i + k < n && k > 0 &&
		    ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k--;
		if (i > 0)
			strbuf_str(b, "\n ");
		w = article_b64((const unsigned char *)s + i, k);
		strbuf_str(b, "=?UTF-8?B?");
		strbuf_str(b, w);
		strbuf_str(b, "?=");
		free(w);
		i += k;
	}
}

/* One encoded-word at s ("=?cs?e?text?="): its decoded bytes into b and
 * its length, or 0 when malformed or of a charset other than UTF-8. */
static size_t
article_2047_word(struct strbuf *b, const char *s)
{
	const char	*cs = s + 2, *q1, *q2, *end;
	unsigned char	*bytes;
	size_t		 n, i;
	unsigned	 v;

	if ((q1 = strchr(cs, '?')) == NULL || q1[1] == '\0' || q1[2] != '?')
		return 0;
	if ((end = strstr(q1 + 3, "?=")) == NULL)
		return 0;
	q2 = q1 + 3;
	if (!((q1 - cs == 5 && strncasecmp(cs, "utf-8", 5) == 0) ||
	    (q1 - cs == 8 && strncasecmp(cs, "us-ascii", 8) == 0)))
		return 0;
	n = (size_t)(end - q2);
	for (i = 0; i < n; i++)
		if (q2[i] == ' ' || q2[i] == '?')
			return 0;
	if (q1[1] == 'B' || q1[1] == 'b') {
		if ((bytes = article_unb64(q2, n, &n)) == NULL)
			return 0;
		if (memchr(bytes, '\0', n) != NULL) {
			free(bytes);
			return 0;
		}
		strbuf_add(b, (char *)bytes, n);
		free(bytes);
	} else if (q1[1] == 'Q' || q1[1] == 'q') {
		for (i = 0; i < n; i++) {
			char	 c = q2[i];

			if (c == '_')
				c = ' ';
			else if (c == '=') {
				if (i + 2 >= n ||
				    !isxdigit((unsigned char)q2[i + 1]) ||
				    !isxdigit((unsigned char)q2[i + 2]) ||
				    sscanf(q2 + i + 1, "%2x", &v) != 1 ||
				    v == 0)
					return 0;
				c = (char)v;
				i += 2;
			}
			strbuf_add(b, &c, 1);
		}
	} else
		return 0;
	return (size_t)(end + 2 - s);
}

/* s with its encoded-words decoded (whitespace between two of them
 * dropped), a new string; NULL when an encoded-word is malformed. */
static char *
article_2047_decode(const char *s)
{
	struct strbuf	 b = { 0 };
	const char		*p = s, *q;
	size_t			 n;
	int			 after_word = 0;

	strbuf_add(&b, "", 0);
	while (*p != '\0') {
		if (p[0] == '=' && p[1] == '?') {
			if ((n = article_2047_word(&b, p)) == 0) {
				free(b.s);
				return NULL;
			}
			p += n;
			after_word = 1;
			continue;
		}
		if (after_word && (*p == ' ' || *p == '\t')) {
			for (q = p; *q == ' ' || *q == '\t'; q++)
				;
			if (q[0] == '=' && q[1] == '?') {
				p = q;
				continue;
			}
		}
		after_word = 0;
		strbuf_add(&b, p, 1);
		p++;
	}
	return b.s;
}

/* ---- dates ------------------------------------------------------- */

static const char *const article_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static void
article_date_format(int64_t t, char *buf, size_t size)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	strftime(buf, size, "%a, %d ", &tm);
	snprintf(buf + strlen(buf), size - strlen(buf), "%s %04d %02d:%02d:%02d"
	    " +0000", article_months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
}

/* "[Day, ]DD Mon YYYY HH:MM[:SS] +HHMM": 0 and *t, or -1. */
static int
article_date_parse(const char *s, int64_t *t)
{
	struct tm	 tm;
	char		 mon[4], zone[8];
	int		 d, y, h, mi, sec = 0, i, n = 0, zh, zm;
	const char	*p = s, *c;

	if ((c = strchr(p, ',')) != NULL)
		p = c + 1;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(p, " %2d %3s %4d %2d:%2d:%2d %7s%n", &d, mon, &y, &h, &mi,
	    &sec, zone, &n) != 7 &&
	    (sec = 0, sscanf(p, " %2d %3s %4d %2d:%2d %7s%n", &d, mon, &y, &h,
	    &mi, zone, &n) != 6))
		return -1;
	for (i = 0; i < 12; i++)
		if (strcasecmp(mon, article_months[i]) == 0)
			break;
	if (i == 12 || d < 1 || d > 31 || y < 1970 || y > 9999 || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	tm.tm_mday = d;
	tm.tm_mon = i;
	tm.tm_year = y - 1900;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*t = (int64_t)timegm(&tm);
	if ((zone[0] == '+' || zone[0] == '-') && strlen(zone) == 5 &&
	    sscanf(zone + 1, "%2d%2d", &zh, &zm) == 2)
		*t -= (zone[0] == '+' ? 1 : -1) * (zh * 3600 + zm * 60);
	else if (strcmp(zone, "GMT") != 0 && strcmp(zone, "UT") != 0 &&
	    strcmp(zone, "UTC") != 0)
		return -1;
	return 0;
}

/* ---- signatures -------------------------------------------------- */

static int
article_sign(const struct article_key *key, const char *msg, size_t len,
    unsigned char sig[64])
{
	EVP_PKEY	*k;
	EVP_MD_CTX	*c = NULL;
	size_t		 sl = 64;
	int		 ok = 0;

	k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, key->priv, 32);
	if (k != NULL && (c = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestSignInit(c, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestSign(c, sig, &sl, (const unsigned char *)msg, len) == 1 &&
	    sl == 64)
		ok = 1;
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	return ok ? 0 : -1;
}

static int
article_sig_ok(const unsigned char pub[32], const char *msg, size_t len,
    const unsigned char sig[64])
{
	EVP_PKEY	*k;
	EVP_MD_CTX	*c = NULL;
	int		 ok = 0;

	k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	if (k != NULL && (c = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestVerifyInit(c, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestVerify(c, sig, 64, (const unsigned char *)msg, len) == 1)
		ok = 1;
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	return ok;
}

/* The signed text: the seven values (unfolded) and the body. */
static char *
article_canonical(const char *const v[7], const char *body, size_t *len)
{
	struct strbuf	 b = { 0 };
	const char		*p;
	int			 i;

	strbuf_str(&b, "parta-article-1\n");
	for (i = 0; i < 7; i++) {
		for (p = v[i] != NULL ? v[i] : ""; *p != '\0'; p++)
			if (*p != '\n')
				strbuf_add(&b, p, 1);
		strbuf_add(&b, "\n", 1);
	}
	strbuf_add(&b, "\n", 1);
	strbuf_str(&b, body);
	*len = b.len;
	return b.s;
}

/* ---- the writer -------------------------------------------------- */

/* A body line longer than 8bit allows, or a CR in it. */
static int
article_needs_base64(const char *s)
{
	size_t	 col = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\r')
			return 1;
		col = *s == '\n' ? 0 : col + 1;
		if (col > ARTICLE_LINE_MAX)
			return 1;
	}
	return 0;
}

char *
article_write(const struct article_out *a, const struct article_key *key,
    char **cause)
{
	struct strbuf	 b = { 0 }, from = { 0 }, subj = { 0 },
				 refs = { 0 };
	char			 msgid[128], date[64], control[300], *canon, *s;
	const char		*v[7];
	unsigned char		 sig[64];
	size_t			 i, len;
	int			 b64;

	*cause = NULL;
	if (article_uuid_check(a->uuid, strlen(a->uuid)) != 0 ||
	    article_ident_check(a->ident) != 0 ||
	    article_login_check(a->login) != 0 ||
	    text_check(a->name, ARTICLE_NAME_MAX, TEXT_EMPTY_OK | TEXT_NAME) != 0 ||
	    text_check(a->subject, POST_SUBJECT_MAX, 0) != 0 ||
	    text_check(a->body, POST_BODY_MAX, TEXT_MULTILINE |
	    TEXT_EMPTY_OK) != 0 || strchr(a->newsgroup, ' ') != NULL ||
	    *a->newsgroup == '\0' || !article_is_ascii_plain(a->newsgroup)) {
		*cause = xstrdup("a field cannot be written");
		return NULL;
	}
	snprintf(msgid, sizeof(msgid), "<%s%s@%s>", a->cancel != NULL ?
	    "cancel." : "", a->uuid, a->ident);
	article_date_format(a->date, date, sizeof(date));
	if (*a->name != '\0') {
		article_2047_encode(&from, a->name);
		strbuf_str(&from, " ");
	}
	strbuf_str(&from, "<");
	strbuf_str(&from, a->login);
	strbuf_str(&from, "@");
	strbuf_str(&from, a->ident);
	strbuf_str(&from, ">");
	if (article_is_ascii_plain(a->subject) &&
	    strstr(a->subject, "=?") == NULL && *a->subject != ' ' &&
	    (*a->subject == '\0' ||
	    a->subject[strlen(a->subject) - 1] != ' '))
		strbuf_str(&subj, a->subject);
	else
		article_2047_encode(&subj, a->subject);
	strbuf_add(&refs, "", 0);
	for (i = 0; i < a->nrefs; i++) {
		if (article_msgid_check(a->refs[i], strlen(a->refs[i])) != 0) {
			*cause = xstrdup("a reference cannot be written");
			goto fail;
		}
		if (i > 0)
			strbuf_str(&refs, "\n ");
		strbuf_str(&refs, a->refs[i]);
	}
	control[0] = '\0';
	if (a->cancel != NULL) {
		if (article_msgid_check(a->cancel, strlen(a->cancel)) != 0) {
			*cause = xstrdup("a cancel's target cannot be written");
			goto fail;
		}
		snprintf(control, sizeof(control), "cancel %s", a->cancel);
	}
	v[0] = msgid;
	v[1] = a->newsgroup;
	v[2] = from.s;
	v[3] = subj.s;
	v[4] = date;
	v[5] = refs.s;
	v[6] = control;
	canon = article_canonical(v, a->body, &len);
	if (article_sign(key, canon, len, sig) != 0) {
		free(canon);
		*cause = xstrdup("signing failed");
		goto fail;
	}
	free(canon);
	s = xasprintf("Path: %s!not-for-mail\n"
	    "Message-ID: %s\nNewsgroups: %s\nFrom: %s\nSubject: %s\n"
	    "Date: %s\n", a->ident, msgid, a->newsgroup, from.s, subj.s, date);
	strbuf_str(&b, s);
	free(s);
	if (a->nrefs > 0) {
		strbuf_str(&b, "References: ");
		strbuf_str(&b, refs.s);
		strbuf_str(&b, "\n");
	}
	if (*control != '\0') {
		strbuf_str(&b, "Control: ");
		strbuf_str(&b, control);
		strbuf_str(&b, "\n");
	}
	b64 = article_needs_base64(a->body);
	strbuf_str(&b, "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: ");
	strbuf_str(&b, b64 ? "base64\n" : "8bit\n");
	strbuf_str(&b, "User-Agent: parta-news\nX-Parta-Signature: "
	    ARTICLE_SIG_PREFIX);
	s = article_b64(sig, sizeof(sig));
	strbuf_str(&b, s);
	free(s);
	strbuf_str(&b, "\n\n");
	if (b64) {
		s = article_b64((const unsigned char *)a->body,
		    strlen(a->body));
		for (i = 0, len = strlen(s); i < len; i += 76) {
			strbuf_add(&b, s + i, len - i > 76 ? 76 : len - i);
			strbuf_str(&b, "\n");
		}
		free(s);
	} else {
		strbuf_str(&b, a->body);
		strbuf_str(&b, "\n");
	}
	free(from.s);
	free(subj.s);
	free(refs.s);
	return b.s;
fail:
	free(from.s);
	free(subj.s);
	free(refs.s);
	free(b.s);
	return NULL;
}

/* ---- the parser -------------------------------------------------- */

enum article_hdr {
	AH_MSGID, AH_GROUPS, AH_FROM, AH_SUBJECT, AH_DATE, AH_REFS,
	AH_CONTROL, AH_CTYPE, AH_CTE, AH_SIG, AH_SUPERSEDES, AH_N
};

static const char *const article_hdr_names[AH_N] = {
	[AH_MSGID] = "Message-ID",
	[AH_GROUPS] = "Newsgroups",
	[AH_FROM] = "From",
	[AH_SUBJECT] = "Subject",
	[AH_DATE] = "Date",
	[AH_REFS] = "References",
	[AH_CONTROL] = "Control",
	[AH_CTYPE] = "Content-Type",
	[AH_CTE] = "Content-Transfer-Encoding",
	[AH_SIG] = "X-Parta-Signature",
	[AH_SUPERSEDES] = "Supersedes",
};

static int
article_refuse(char **cause, const char *why)
{
	*cause = xstrdup(why);
	return -1;
}

/* The header section of text (LF line ends), unfolded, into hv[]:
 * 0, or -1 with *cause.  *body is where the body starts. */
static int
article_headers(char *text, char *hv[AH_N], char **body, char **cause)
{
	char		*line = text, *next, *colon, *v, *e;
	int		 i, count = 0;
	enum article_hdr cur = AH_N;

	for (;;) {
		if ((next = strchr(line, '\n')) == NULL)
			return article_refuse(cause, "no end of headers");
		*next = '\0';
		if (*line == '\0') {
			*body = next + 1;
			break;
		}
		for (e = line; *e != '\0'; e++)
			if ((*e < ' ' && *e != '\t') || (unsigned char)*e > '~')
				return article_refuse(cause,
				    "a header is not printable ASCII");
		if (*line == ' ' || *line == '\t') {
			/* A continuation: unfolding keeps the blank. */
			if (count == 0)
				return article_refuse(cause,
				    "a continuation opens the headers");
			if (cur != AH_N) {
				if (strlen(hv[cur]) + strlen(line) >
				    ARTICLE_FIELD_MAX)
					return article_refuse(cause,
					    "a header is too long");
				v = xasprintf("%s%s", hv[cur], line);
				free(hv[cur]);
				hv[cur] = v;
			}
			line = next + 1;
			continue;
		}
		if (++count > ARTICLE_HEADERS_MAX)
			return article_refuse(cause, "too many headers");
		if ((colon = strchr(line, ':')) == NULL || colon == line)
			return article_refuse(cause, "a header without a name");
		for (e = line; e < colon; e++)
			if (*e == ' ' || *e == '\t')
				return article_refuse(cause,
				    "a header name with a blank");
		*colon = '\0';
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		cur = AH_N;
		for (i = 0; i < AH_N; i++)
			if (strcasecmp(line, article_hdr_names[i]) == 0)
				cur = (enum article_hdr)i;
		if (cur != AH_N) {
			if (hv[cur] != NULL)
				return article_refuse(cause,
				    "a header appears twice");
			hv[cur] = xstrdup(v);
		}
		line = next + 1;
	}
	/* Trailing blanks are not part of a value. */
	for (i = 0; i < AH_N; i++) {
		if (hv[i] == NULL)
			continue;
		e = hv[i] + strlen(hv[i]);
		while (e > hv[i] && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
	}
	return 0;
}

/* From: "name <login@ident>", "<login@ident>", "login@ident" or
 * "login@ident (name)", into a->login and a->name; ident must be a's. */
static int
article_from(struct article *a, const char *v, char **cause)
{
	const char	*lt, *gt, *addr, *addr_end, *at, *name = "", *name_end;
	char		*raw, *dec;

	if ((lt = strchr(v, '<')) != NULL) {
		if ((gt = strchr(lt, '>')) == NULL || gt[1] != '\0')
			return article_refuse(cause, "a malformed From");
		addr = lt + 1;
		addr_end = gt;
		name = v;
		name_end = lt;
	} else {
		addr = v;
		for (addr_end = v; *addr_end != '\0' && *addr_end != ' ';
		    addr_end++)
			;
		name_end = name = addr_end;
		if (*addr_end == ' ') {
			for (name = addr_end; *name == ' '; name++)
				;
			if (*name != '(' || v[strlen(v) - 1] != ')')
				return article_refuse(cause,
				    "a malformed From");
			name++;
			name_end = v + strlen(v) - 1;
		}
	}
	if ((at = memchr(addr, '@', (size_t)(addr_end - addr))) == NULL)
		return article_refuse(cause, "a From without an address");
	a->login = xasprintf("%.*s", (int)(at - addr), addr);
	if (article_login_check(a->login) != 0)
		return article_refuse(cause, "a From with a bad login");
	if ((size_t)(addr_end - at - 1) != strlen(a->ident) ||
	    strncmp(at + 1, a->ident, strlen(a->ident)) != 0)
		return article_refuse(cause,
		    "the From address is not of the Message-ID's server");
	while (name < name_end && (*name == ' ' || *name == '"'))
		name++;
	while (name_end > name && (name_end[-1] == ' ' || name_end[-1] == '"'))
		name_end--;
	raw = xasprintf("%.*s", (int)(name_end - name), name);
	dec = article_2047_decode(raw);
	free(raw);
	if (dec == NULL)
		return article_refuse(cause, "a malformed encoded name");
	a->name = dec;
	if (text_check(a->name, ARTICLE_NAME_MAX, TEXT_EMPTY_OK | TEXT_NAME) != 0)
		return article_refuse(cause,
		    "a name that is not UTF-8 text or has control characters");
	return 0;
}

static int
article_refs(struct article *a, const char *v, char **cause)
{
	const char	*p = v, *e;
	size_t		 n;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != ' ' && *e != '\t'; e++)
			;
		n = (size_t)(e - p);
		if (article_msgid_check(p, n) != 0)
			return article_refuse(cause, "a malformed References");
		if (a->nrefs == ARTICLE_REFS_MAX) {
			free(a->refs[0]);
			memmove(a->refs, a->refs + 1,
			    (ARTICLE_REFS_MAX - 1) * sizeof(*a->refs));
			a->nrefs--;
		}
		a->refs[a->nrefs++] = xasprintf("%.*s", (int)n, p);
		p = e;
	}
	return 0;
}

/* Content-Type text/plain with charset UTF-8 or US-ASCII (or none):
 * 0, 1 for US-ASCII, or -1. */
static int
article_ctype(const char *v)
{
	const char	*cs;
	char		 name[16];
	size_t		 n = 0;

	if (v == NULL)
		return 1;
	if (strncasecmp(v, "text/plain", 10) != 0 ||
	    (v[10] != '\0' && v[10] != ';' && v[10] != ' '))
		return -1;
	if ((cs = strcasestr(v, "charset=")) == NULL)
		return 1;
	cs += 8;
	if (*cs == '"')
		cs++;
	while (n < sizeof(name) - 1 && cs[n] != '\0' && cs[n] != '"' &&
	    cs[n] != ';' && cs[n] != ' ')
		n++;
	memcpy(name, cs, n);
	name[n] = '\0';
	if (strcasecmp(name, "utf-8") == 0)
		return 0;
	if (strcasecmp(name, "us-ascii") == 0)
		return 1;
	return -1;
}

/* The body as sent (after the blank line) decoded into a->body. */
static int
article_body(struct article *a, const char *raw, const char *cte, int ascii,
    char **cause)
{
	size_t		 n = strlen(raw);
	unsigned char	*dec;
	const char	*p;

	if (cte == NULL || strcasecmp(cte, "7bit") == 0 ||
	    strcasecmp(cte, "8bit") == 0) {
		a->body = xstrdup(raw);
		/* The writer ends the text with a newline of its own. */
		if (n > 0 && a->body[n - 1] == '\n')
			a->body[n - 1] = '\0';
	} else if (strcasecmp(cte, "base64") == 0) {
		if ((dec = article_unb64(raw, n, &n)) == NULL)
			return article_refuse(cause, "a malformed base64 body");
		if (memchr(dec, '\0', n) != NULL) {
			free(dec);
			return article_refuse(cause, "a NUL in the body");
		}
		a->body = (char *)dec;
	} else
		return article_refuse(cause, "an unknown transfer encoding");
	if (ascii)
		for (p = a->body; *p != '\0'; p++)
			if ((unsigned char)*p > 0x7f)
				return article_refuse(cause,
				    "8-bit bytes in a US-ASCII body");
	if (text_check(a->body, POST_BODY_MAX, TEXT_MULTILINE |
	    TEXT_EMPTY_OK) != 0)
		return article_refuse(cause,
		    "a body that is not UTF-8 text or has control characters");
	return 0;
}

int
article_parse(const char *buf, size_t len, size_t max, struct article **out,
    char **cause)
{
	struct article	*a = NULL;
	char		*text = NULL, *hv[AH_N] = { 0 }, *body, *dec;
	const char	*v[7];
	unsigned char	*sig;
	size_t		 i, j, n;
	int		 rc = -1, ascii, cancel;

	*out = NULL;
	*cause = NULL;
	if (max == 0)
		max = ARTICLE_MAX;
	if (len > max)
		return article_refuse(cause, "too large");
	if (memchr(buf, '\0', len) != NULL)
		return article_refuse(cause, "a NUL byte");
	/* CRLF becomes LF; a CR alone stays (and is refused as a control). */
	text = xmalloc(len + 1);
	for (i = j = 0; i < len; i++)
		if (!(buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n'))
			text[j++] = buf[i];
	text[j] = '\0';
	a = xcalloc(1, sizeof(*a));
	if (article_headers(text, hv, &body, cause) != 0)
		goto out;
	for (i = AH_MSGID; i <= AH_DATE; i++)
		if (hv[i] == NULL) {
			*cause = xasprintf("no %s", article_hdr_names[i]);
			goto out;
		}
	if (hv[AH_SUPERSEDES] != NULL) {
		article_refuse(cause, "Supersedes is not handled");
		goto out;
	}
	a->message_id = xstrdup(hv[AH_MSGID]);
	a->ident = xcalloc(1, ARTICLE_IDENT_MAX + 1);
	if (article_msgid_check(a->message_id, strlen(a->message_id)) != 0 ||
	    article_msgid_split(a->message_id, a->uuid, a->ident,
	    &cancel) != 0) {
		article_refuse(cause, "a Message-ID not of parta's forms");
		goto out;
	}
	a->newsgroups = xstrdup(hv[AH_GROUPS]);
	if (article_from(a, hv[AH_FROM], cause) != 0)
		goto out;
	if ((dec = article_2047_decode(hv[AH_SUBJECT])) == NULL) {
		article_refuse(cause, "a malformed encoded subject");
		goto out;
	}
	/* Trimmed as a typed subject is, then checked as it stays: a blank
	 * or a CR at either end is not kept, one inside is refused. */
	a->subject = xstrdup(text_trim(dec));
	free(dec);
	if (text_check(a->subject, POST_SUBJECT_MAX, 0) != 0) {
		article_refuse(cause, "a subject that is not one line of text");
		goto out;
	}
	if (article_date_parse(hv[AH_DATE], &a->date) != 0) {
		article_refuse(cause, "a malformed Date");
		goto out;
	}
	if (hv[AH_REFS] != NULL && article_refs(a, hv[AH_REFS], cause) != 0)
		goto out;
	if (hv[AH_CONTROL] != NULL) {
		n = strlen(hv[AH_CONTROL]);
		if (strncmp(hv[AH_CONTROL], "cancel ", 7) != 0 ||
		    article_msgid_check(hv[AH_CONTROL] + 7, n - 7) != 0) {
			article_refuse(cause, "a control message not handled");
			goto out;
		}
		a->cancel = xstrdup(hv[AH_CONTROL] + 7);
		/* A cancel names its target: <cancel.UUID@IDENT> for
		 * <UUID@IDENT>, the same district's, nothing else. */
		{
			char	 tu[37], ti[ARTICLE_IDENT_MAX + 1];
			int	 tc;

			if (!cancel || article_msgid_split(a->cancel, tu, ti,
			    &tc) != 0 || tc || strcmp(tu, a->uuid) != 0 ||
			    strcmp(ti, a->ident) != 0) {
				article_refuse(cause,
				    "a cancel whose Message-ID is not its "
				    "target's");
				goto out;
			}
		}
	} else if (cancel) {
		article_refuse(cause, "a cancel's Message-ID without Control");
		goto out;
	}
	if ((ascii = article_ctype(hv[AH_CTYPE])) < 0) {
		article_refuse(cause, "a Content-Type not text/plain in UTF-8");
		goto out;
	}
	if (article_body(a, body, hv[AH_CTE], ascii, cause) != 0)
		goto out;
	if (a->cancel == NULL && post_check_body(a->body) != 0) {
		article_refuse(cause, "an empty or too long body");
		goto out;
	}
	if (hv[AH_SIG] != NULL) {
		n = strlen(ARTICLE_SIG_PREFIX);
		if (strncmp(hv[AH_SIG], ARTICLE_SIG_PREFIX, n) != 0 ||
		    (sig = article_unb64(hv[AH_SIG] + n, strlen(hv[AH_SIG] + n),
		    &i)) == NULL) {
			article_refuse(cause, "a malformed signature");
			goto out;
		}
		if (i == 64) {
			memcpy(a->sig, sig, 64);
			a->has_sig = 1;
		}
		free(sig);
		if (!a->has_sig) {
			article_refuse(cause, "a malformed signature");
			goto out;
		}
	}
	v[0] = hv[AH_MSGID];
	v[1] = hv[AH_GROUPS];
	v[2] = hv[AH_FROM];
	v[3] = hv[AH_SUBJECT];
	v[4] = hv[AH_DATE];
	v[5] = hv[AH_REFS];
	v[6] = hv[AH_CONTROL];
	a->signed_text = article_canonical(v, a->body, &a->signed_len);
	*out = a;
	a = NULL;
	rc = 0;
out:
	for (i = 0; i < AH_N; i++)
		free(hv[i]);
	free(text);
	article_free(a);
	return rc;
}

void
article_free(struct article *a)
{
	size_t	 i;

	if (a == NULL)
		return;
	free(a->message_id);
	free(a->ident);
	free(a->newsgroups);
	free(a->login);
	free(a->name);
	free(a->subject);
	free(a->body);
	for (i = 0; i < a->nrefs; i++)
		free(a->refs[i]);
	free(a->cancel);
	free(a->signed_text);
	free(a);
}

int
article_verify(const struct article *a, const struct article_peers *peers,
    char **cause)
{
	size_t	 i;

	*cause = NULL;
	for (i = 0; i < peers->n; i++)
		if (strcmp(peers->v[i].ident, a->ident) == 0)
			break;
	if (i == peers->n) {
		*cause = xasprintf("from %s, not a known district", a->ident);
		return -1;
	}
	if (!a->has_sig) {
		*cause = xasprintf("claims %s without a signature", a->ident);
		return -1;
	}
	if (!article_sig_ok(peers->v[i].pub, a->signed_text, a->signed_len,
	    a->sig)) {
		*cause = xasprintf("claims %s, and %s's key does not verify "
		    "its signature", a->ident, a->ident);
		return -1;
	}
	/* The From address was checked against the Message-ID's server
	 * when it was parsed (article_from()). */
	return 0;
}

/* ---- keys -------------------------------------------------------- */

static int
article_key_derive(struct article_key *key)
{
	EVP_PKEY	*k;
	size_t		 n = 32;
	int		 ok;

	k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, key->priv, 32);
	ok = k != NULL && EVP_PKEY_get_raw_public_key(k, key->pub, &n) == 1 &&
	    n == 32;
	EVP_PKEY_free(k);
	return ok ? 0 : -1;
}

int
article_key_make(struct article_key *key)
{
	if (RAND_bytes(key->priv, sizeof(key->priv)) != 1)
		return -1;
	return article_key_derive(key);
}

int
article_key_load(const char *path, struct article_key *key, char **cause)
{
	FILE		*f;
	char		 line[256], *p;
	unsigned char	*seed = NULL;
	size_t		 n = 0;

	*cause = NULL;
	if ((f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	p = fgets(line, sizeof(line), f);
	fclose(f);
	if (p != NULL && strncmp(line, "parta-ed25519 ", 14) == 0) {
		line[strcspn(line, "\n")] = '\0';
		seed = article_unb64(line + 14, strlen(line + 14), &n);
	}
	explicit_bzero(line, sizeof(line));
	if (seed == NULL || n != 32) {
		if (seed != NULL)
			explicit_bzero(seed, n);
		free(seed);
		*cause = xasprintf("%s: not a parta-ed25519 key", path);
		return -1;
	}
	memcpy(key->priv, seed, 32);
	explicit_bzero(seed, n);
	free(seed);
	if (article_key_derive(key) != 0) {
		*cause = xasprintf("%s: not a usable key", path);
		return -1;
	}
	return 0;
}

int
article_key_save(const char *path, const struct article_key *key,
    char **cause)
{
	char	*s;
	int	 fd, rc = 0;
	FILE	*f;

	*cause = NULL;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	s = article_b64(key->priv, sizeof(key->priv));
	if (fprintf(f, "parta-ed25519 %s\n", s) < 0)
		rc = -1;
	explicit_bzero(s, strlen(s));
	free(s);
	if (fclose(f) != 0 || rc != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

void
article_key_pub(const struct article_key *key, char out[45])
{
	char	*s = article_b64(key->pub, sizeof(key->pub));

	strlcpy_p(out, s, 45);
	free(s);
}

int
article_peers_load(const char *path, struct article_peers *peers,
    char **cause)
{
	FILE		*f;
	char		 line[512], ident[128], key[128];
	unsigned char	*pub;
	size_t		 n, lineno = 0;

	*cause = NULL;
	peers->v = NULL;
	peers->n = 0;
	if (path == NULL || *path == '\0')
		return 0;
	if ((f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		line[strcspn(line, "#\n")] = '\0';
		if (strspn(line, " \t") == strlen(line))
			continue;
		pub = NULL;
		if (sscanf(line, " %127s %127s", ident, key) != 2 ||
		    article_ident_check(ident) != 0 ||
		    (pub = article_unb64(key, strlen(key), &n)) == NULL ||
		    n != 32) {
			free(pub);
			*cause = xasprintf("%s:%zu: not \"IDENT KEY\"", path,
			    lineno);
			fclose(f);
			article_peers_free(peers);
			return -1;
		}
		peers->v = xrealloc(peers->v, (peers->n + 1) *
		    sizeof(*peers->v));
		peers->v[peers->n].ident = xstrdup(ident);
		memcpy(peers->v[peers->n].pub, pub, 32);
		peers->n++;
		free(pub);
	}
	fclose(f);
	return 0;
}

void
article_peers_free(struct article_peers *peers)
{
	size_t	 i;

	for (i = 0; i < peers->n; i++)
		free(peers->v[i].ident);
	free(peers->v);
	peers->v = NULL;
	peers->n = 0;
}
