/*
 * test-article.c: posts as netnews articles (common/article.c): the
 * writer and the parser agree (Cyrillic names and subjects, long lines,
 * threads, cancels), the origin checks (a known district's signature,
 * the From of its own users), and the refusals of bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "util.h"
#include "t.h"

#define U1	"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
#define U2	"11111111-2222-4333-8444-555555555555"

static struct article_key	 key_a, key_c;
static struct article_peers	 peers;

/* The peers: kazan-1 with key_a, chally with key_c. */
static void
peers_init(void)
{
	peers.n = 2;
	peers.v = xcalloc(2, sizeof(*peers.v));
	peers.v[0].ident = xstrdup("kazan-1");
	memcpy(peers.v[0].pub, key_a.pub, 32);
	peers.v[1].ident = xstrdup("chally");
	memcpy(peers.v[1].pub, key_c.pub, 32);
}

static struct article_out
post_out(void)
{
	static const char *const refs[] = { "<" U2 "@chally>" };
	struct article_out o = {
		.uuid = U1, .ident = "kazan-1",
		.newsgroup = "parta.tatarstan.math",
		.login = "gulnara", .name = "Гульнара Сафина",
		.subject = "Дроби в 5 классе: ёлки и задачи",
		.body = "Коллеги, как вы объясняете дроби?\n\n.точка в начале\n",
		.refs = refs, .nrefs = 1, .date = 1796140800,
	};
	return o;
}

/* Write o, parse it back: 0 and *out, or -1 (and a failed check). */
static int
roundtrip(const struct article_out *o, const struct article_key *k,
    struct article **out, char **text)
{
	char	*cause = NULL;
	int	 rc;

	*out = NULL;
	*text = article_write(o, k, &cause);
	T_OK(*text != NULL, "written (%s)", cause != NULL ? cause : "");
	free(cause);
	if (*text == NULL)
		return -1;
	rc = article_parse(*text, strlen(*text), 0, out, &cause);
	T_OK(rc == 0, "parsed back (%s)", cause != NULL ? cause : "");
	free(cause);
	return rc;
}

static void
test_roundtrip(void)
{
	struct article_out	 o = post_out();
	struct article		*a;
	char			*text, *cause = NULL, *big;

	if (roundtrip(&o, &key_a, &a, &text) == 0) {
		T_STR(a->uuid, U1, "the UUID from the Message-ID");
		T_STR(a->ident, "kazan-1", "the origin from the Message-ID");
		T_STR(a->login, "gulnara", "the author's login");
		T_STR(a->name, "Гульнара Сафина", "the Cyrillic name, RFC 2047");
		T_STR(a->subject, o.subject, "the Cyrillic subject");
		T_STR(a->body, o.body, "the body, a dot line and all");
		T_INT(a->nrefs, 1, "one reference");
		T_STR(a->refs[0], "<" U2 "@chally>", "the thread's reference");
		T_INT(a->date, o.date, "the date");
		T_OK(a->cancel == NULL, "not a cancel");
		T_INT(article_verify(a, &peers, &cause), 0,
		    "signed by kazan-1 (%s)", cause != NULL ? cause : "");
		free(cause);
		T_OK(strstr(text, "Content-Type: text/plain; charset=UTF-8\n")
		    != NULL && strstr(text, "Content-Transfer-Encoding: 8bit\n")
		    != NULL, "MIME headers, 8bit");
		T_OK(strstr(text, "From: =?UTF-8?B?") != NULL &&
		    strstr(text, "<gulnara@kazan-1>\n") != NULL,
		    "From: encoded name <login@kazan-1>");
		T_OK(strstr(text, "Message-ID: <" U1 "@kazan-1>\n") != NULL,
		    "Message-ID <UUID@ident>");
	}
	article_free(a);
	free(text);

	/* A line too long for 8bit: base64, the text the same. */
	big = xmalloc(3001);
	t_fill(big, 'x', 3000);
	memcpy(big, "Ж", 2);
	o.body = big;
	o.nrefs = 0;
	if (roundtrip(&o, &key_a, &a, &text) == 0) {
		T_STR(a->body, big, "a 3000-byte line comes back whole");
		T_OK(strstr(text, "Content-Transfer-Encoding: base64") != NULL,
		    "in base64");
		T_INT(a->nrefs, 0, "a thread's first post has no References");
	}
	article_free(a);
	free(text);
	free(big);

	/* A long Cyrillic subject: several encoded-words, folded. */
	o = post_out();
	o.subject = "Очень длинная тема о дробях, долях и процентах в пятом "
	    "и шестом классах сельской школы";
	if (roundtrip(&o, &key_a, &a, &text) == 0) {
		T_STR(a->subject, o.subject, "a folded subject comes back");
		T_INT(article_verify(a, &peers, &cause), 0,
		    "and its signature holds over the folding");
		free(cause);
	}
	article_free(a);
	free(text);
}

static void
test_cancel(void)
{
	struct article_out	 o = post_out();
	struct article		*a;
	char			*text, *cause = NULL;

	o.cancel = "<" U1 "@kazan-1>";
	o.subject = "cmsg cancel <" U1 "@kazan-1>";
	o.body = "hidden by its board's coordinators";
	o.nrefs = 0;
	if (roundtrip(&o, &key_a, &a, &text) == 0) {
		T_STR(a->cancel, "<" U1 "@kazan-1>", "a cancel's target");
		T_STR(a->uuid, U1, "names its target's UUID");
		T_OK(strstr(text, "Message-ID: <cancel." U1 "@kazan-1>") !=
		    NULL, "its own Message-ID <cancel.UUID@ident>");
		T_INT(article_verify(a, &peers, &cause), 0, "from kazan-1");
		free(cause);
	}
	article_free(a);
	free(text);
}

/* A signed article changed on the way: it still parses (what it says is
 * well-formed), and its signature no longer holds. */
static void
changed_refused(const char *text, const char *what)
{
	struct article	*a = NULL;
	char		*cause = NULL;

	if (article_parse(text, strlen(text), 0, &a, &cause) == 0)
		T_INT(article_verify(a, &peers, &cause), -1, "%s: refused",
		    what);
	else
		T_OK(0, "%s: it should still parse (%s)", what, cause);
	free(cause);
	article_free(a);
}

/* Origins: a third server (chally) cannot write as kazan-1. */
static void
test_forged(void)
{
	struct article_out	 o = post_out();
	struct article		*a;
	struct article_peers	 none = { 0 };
	char			*text, *cause = NULL, *p, *bad;

	/* chally signs an article that claims kazan-1. */
	if (roundtrip(&o, &key_c, &a, &text) == 0) {
		T_INT(article_verify(a, &peers, &cause), -1,
		    "kazan-1's Message-ID signed by chally: refused");
		T_OK(cause != NULL && strstr(cause, "does not verify") != NULL,
		    "says why (%s)", cause != NULL ? cause : "");
		free(cause);
		T_INT(article_verify(a, &none, &cause), -1,
		    "a district not among the peers: refused");
		free(cause);
	}
	article_free(a);

	/* A genuine article, its body changed on the way. */
	free(text);
	o = post_out();
	text = article_write(&o, &key_a, &cause);
	p = strstr(text, "Коллеги");
	memcpy(p, "Кол", strlen("Кол"));
	p[0] = 'X';
	p[1] = ' ';
	changed_refused(text, "a changed body");

	/* The date changed by a second (the seconds' last digit). */
	free(text);
	text = article_write(&o, &key_a, &cause);
	bad = xasprintf("%s", text);
	p = strstr(bad, " +0000\n");
	p[-1] = p[-1] == '0' ? '1' : '0';
	changed_refused(bad, "a changed date");
	free(bad);

	/* No signature at all. */
	bad = xasprintf("%s", text);
	p = strstr(bad, "X-Parta-Signature:");
	memcpy(p, "X-Other", 7);
	changed_refused(bad, "an unsigned article");
	free(bad);
	free(text);
}

/* Bad input, each refused by the parser with a cause. */
static void
test_refused(void)
{
	static const struct {
		const char	*text;
		const char	*what;
	} bad[] = {
#define H(mid, from, subj)						\
	"Path: x!not-for-mail\r\nMessage-ID: " mid "\r\n"		\
	"Newsgroups: parta.t\r\nFrom: " from "\r\nSubject: " subj "\r\n"	\
	"Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
/* The header of a post of g@kazan-1 with the subject subj. */
#define HK(subj)	H("<" U1 "@kazan-1>", "<g@kazan-1>", subj)
		{ HK("Тема") "\r\nтело\r\n", "an 8-bit header" },
		{ HK("=?UTF-8?B?G1szMW0=?=")
		  "\r\nbody\r\n", "an escape sequence in the subject" },
		{ HK("ok")
		  "Content-Type: text/plain; charset=UTF-8\r\n"
		  "\r\nred \x1b[31m text\r\n", "an escape sequence in the body" },
		{ HK("ok")
		  "Content-Type: text/plain; charset=UTF-8\r\n"
		  "\r\n\xd0\r\n", "a body that is not UTF-8" },
		{ HK("ok")
		  "Content-Type: text/plain; charset=KOI8-R\r\n"
		  "\r\nbody\r\n", "a charset other than UTF-8" },
		{ HK("ok")
		  "\r\nascii \xc3\xa9\r\n", "8-bit bytes without a charset" },
		{ HK("ok")
		  "Content-Transfer-Encoding: quoted-printable\r\n"
		  "\r\nbody\r\n", "an unknown transfer encoding" },
		{ HK("ok")
		  "Content-Transfer-Encoding: base64\r\n"
		  "\r\n!!!!\r\n", "a malformed base64 body" },
		{ H("<abc@kazan-1>", "<g@kazan-1>", "ok")
		  "\r\nbody\r\n", "a Message-ID without a UUID" },
		{ H("<" U1 "@Kazan 1>", "<g@kazan-1>", "ok")
		  "\r\nbody\r\n", "a Message-ID with a bad identity" },
		{ H("<" U1 "@kazan-1>", "<g@chally>", "ok")
		  "\r\nbody\r\n", "a From of another server" },
		{ H("<" U1 "@kazan-1>", "<g\"x@kazan-1>", "ok")
		  "\r\nbody\r\n", "a From with a bad login" },
		{ H("<" U1 "@kazan-1>", "=?UTF-8?B?\x01?= <g@kazan-1>", "ok")
		  "\r\nbody\r\n", "a control byte in a header" },
		{ H("<" U1 "@kazan-1>", "=?KOI8-R?B?8PLJ?= <g@kazan-1>", "ok")
		  "\r\nbody\r\n", "an encoded-word in KOI8-R" },
		{ HK("=?UTF-8?Q?a=1Bb?=")
		  "\r\nbody\r\n", "an ESC in a Q-encoded subject" },
		{ HK("ok")
		  "Subject: again\r\n\r\nbody\r\n", "a repeated Subject" },
		{ "Message-ID: <" U1 "@kazan-1>\r\nFrom: <g@kazan-1>\r\n\r\nb\r\n",
		  "no Newsgroups, Subject or Date" },
		{ HK("ok")
		  "References: <a@b> junk\r\n\r\nbody\r\n",
		  "a malformed References" },
		{ HK("ok")
		  "Control: cancel <" U2 "@kazan-1>\r\n\r\nbody\r\n",
		  "a cancel under a post's Message-ID" },
		{ H("<cancel." U1 "@kazan-1>", "<g@kazan-1>", "ok")
		  "Control: cancel <" U2 "@kazan-1>\r\n\r\nbody\r\n",
		  "a cancel of another post than its Message-ID names" },
		{ H("<cancel." U1 "@chally>", "<g@chally>", "ok")
		  "Control: cancel <" U1 "@kazan-1>\r\n\r\nbody\r\n",
		  "a cancel of another district's post" },
		{ HK("ok")
		  "Control: newgroup parta.evil\r\n\r\nbody\r\n",
		  "a control message other than cancel" },
		{ HK("ok") "\r\n\r\n", "an empty body" },
		{ HK("ok"),
		  "no end of the headers" },
		{ "Message-ID: <" U1 "@kazan-1>\r\nNewsgroups: x\r\nFrom: <g@kazan-1>"
		  "\r\nSubject: s\r\nDate: yesterday\r\n\r\nb\r\n",
		  "a malformed Date" },
#undef HK
#undef H
	};
	struct article	*a;
	char		*cause = NULL, *big;
	size_t		 i;
	int		 rc;

	for (i = 0; i < nitems(bad); i++) {
		rc = article_parse(bad[i].text, strlen(bad[i].text), 0, &a,
		    &cause);
		T_OK(rc == -1 && a == NULL && cause != NULL, "refused: %s (%s)",
		    bad[i].what, cause != NULL ? cause : "accepted");
		free(cause);
		article_free(a);
	}
	big = xmalloc(ARTICLE_MAX + 2);
	t_fill(big, 'a', ARTICLE_MAX + 1);
	rc = article_parse(big, strlen(big), 0, &a, &cause);
	T_OK(rc == -1 && cause != NULL && strcmp(cause, "too large") == 0,
	    "refused: an article over ARTICLE_MAX");
	free(cause);
	rc = article_parse("Message-ID: x\0y", 15, 0, &a, &cause);
	T_INT(rc, -1, "refused: a NUL byte");
	free(cause);
	free(big);
}

static void
test_names(void)
{
	static const struct t_int_case idents[] = {
		{ "kazan-1", 0, "kazan-1 is an identity" },
		{ "aktanysh.rt", 0, "dots inside" },
		{ "Kazan", -1, "no capitals" },
		{ "-x", -1, "no leading dash" },
		{ "a..b", -1, "no empty label" },
		{ "", -1, "not empty" },
		{ "a b", -1, "no blanks" },
	};
	char	 uuid[37], ident[ARTICLE_IDENT_MAX + 1];
	size_t	 i;
	int	 c;

	for (i = 0; i < nitems(idents); i++)
		T_INT(article_ident_check(idents[i].in), idents[i].want, "%s",
		    idents[i].what);
	T_INT(article_msgid_split("<" U1 "@kazan-1>", uuid, ident, &c), 0,
	    "a post's Message-ID splits");
	T_OK(strcmp(uuid, U1) == 0 && strcmp(ident, "kazan-1") == 0 && c == 0,
	    "into its UUID and server");
	T_INT(article_msgid_split("<cancel." U1 "@kazan-1>", uuid, ident, &c),
	    0, "a cancel's splits");
	T_INT(c, 1, "and says it is a cancel");
	T_INT(article_msgid_split("<" U1 "@>", uuid, ident, &c), -1,
	    "no server: refused");
}

static void
test_keys(void)
{
	struct article_key	 k;
	struct article_peers	 p;
	char			 dir[] = "/tmp/parta-art-XXXXXX", *path, *pp,
				 pub[45], *cause = NULL;
	FILE			*f;

	if (mkdtemp(dir) == NULL)
		return;
	path = xasprintf("%s/key", dir);
	pp = xasprintf("%s/peers", dir);
	T_INT(article_key_save(path, &key_a, &cause), 0, "a key is saved");
	free(cause);
	T_INT(article_key_save(path, &key_a, &cause), -1,
	    "never over an existing file");
	free(cause);
	T_INT(article_key_load(path, &k, &cause), 0, "and loaded");
	free(cause);
	T_OK(memcmp(k.pub, key_a.pub, 32) == 0, "to the same public key");
	article_key_pub(&key_a, pub);
	f = fopen(pp, "w");
	fprintf(f, "# districts\nkazan-1 %s\n\n", pub);
	fclose(f);
	T_INT(article_peers_load(pp, &p, &cause), 0, "a peers file loads");
	free(cause);
	T_OK(p.n == 1 && strcmp(p.v[0].ident, "kazan-1") == 0 &&
	    memcmp(p.v[0].pub, key_a.pub, 32) == 0, "one peer, its key");
	article_peers_free(&p);
	f = fopen(pp, "w");
	fprintf(f, "kazan-1 notakey\n");
	fclose(f);
	T_INT(article_peers_load(pp, &p, &cause), -1, "a bad line is refused");
	T_OK(cause != NULL && strstr(cause, ":1:") != NULL, "naming its line");
	free(cause);
	unlink(path);
	unlink(pp);
	rmdir(dir);
	free(path);
	free(pp);
}

int
main(void)
{
	if (article_key_make(&key_a) != 0 || article_key_make(&key_c) != 0) {
		printf("Bail out! no keys\n");
		return 1;
	}
	peers_init();
	test_roundtrip();
	test_cancel();
	test_forged();
	test_refused();
	test_names();
	test_keys();
	article_peers_free(&peers);
	return t_done();
}
