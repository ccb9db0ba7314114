/*
 * sysop-digest.c: "digest export" and "digest import" (digest.h,
 * parta-digest(5)).  The console makes a digest of what is new for one
 * teacher, or for a school's shared computer, and takes back the reply
 * packets teachers wrote while reading theirs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "digest.h"
#include "i18n.h"
#include "perr.h"
#include "qwk.h"
#include "store.h"
#include "sysop.h"
#include "text.h"
#include "user.h"
#include "util.h"

enum { DIGEST_OPT_SINCE, DIGEST_OPT_DAYS, DIGEST_OPT_BOARD, DIGEST_OPT_USER,
    DIGEST_OPT_FORMAT, DIGEST_OPT_OUT };
enum { DIGEST_IMPORT_OPT_USER };
#define DIGEST_DAYS_MAX	3660

/* --since DAY or --days N into *since (neither: the last 7 days). */
static int
sysop_digest_since(struct sysop_args *a, int64_t *since)
{
	const char	*days = a->opt[DIGEST_OPT_DAYS];
	char		*end;
	long		 n;

	if (a->opt[DIGEST_OPT_SINCE] != NULL && days != NULL) {
		sysop_err("%s", _("say --since or --days, not both"));
		return -1;
	}
	if (a->opt[DIGEST_OPT_SINCE] != NULL) {
		if (text_parse_day(a->opt[DIGEST_OPT_SINCE], 0, since) != 0) {
			sysop_err(_("--since: %s is not a day (YYYY-MM-DD)"),
			    a->opt[DIGEST_OPT_SINCE]);
			return -1;
		}
		return 0;
	}
	n = 7;
	if (days != NULL) {
		n = strtol(days, &end, 10);
		if (end == days || *end != '\0' || n < 0 ||
		    n > DIGEST_DAYS_MAX) {
			sysop_err(_("--days: a number of days from 0 to %d"),
			    DIGEST_DAYS_MAX);
			return -1;
		}
	}
	*since = n == 0 ? 0 : (int64_t)time(NULL) - (int64_t)n * 86400;
	return 0;
}

int
sysop_digest_export(struct sysop *s, struct sysop_args *a)
{
	const struct digest_format *f;
	struct digest_spec	 spec;
	struct digest_info	 di;
	const char		*boards[DIGEST_MAX_BOARDS];
	char			*list = NULL, *p, *cause = NULL;
	size_t			 i;
	int			 rc;

	memset(&spec, 0, sizeof(spec));
	if (sysop_digest_since(a, &spec.since) != 0)
		return -1;
	if ((f = digest_format(a->opt[DIGEST_OPT_FORMAT] != NULL ?
	    a->opt[DIGEST_OPT_FORMAT] : "parta")) == NULL) {
		sysop_err(_("--format: %s is not a digest format; these are:"),
		    a->opt[DIGEST_OPT_FORMAT]);
		for (i = 0; i < digest_nformats; i++)
			sysop_err("  %-8s %s", digest_formats[i].name,
			    _(digest_formats[i].help));
		return -1;
	}
	if (a->opt[DIGEST_OPT_BOARD] != NULL) {
		list = xstrdup(a->opt[DIGEST_OPT_BOARD]);
		for (p = strtok(list, ","); p != NULL && spec.nboards <
		    nitems(boards); p = strtok(NULL, ","))
			boards[spec.nboards++] = p;
		spec.boards = boards;
	}
	spec.login = a->opt[DIGEST_OPT_USER];
	spec.made_by = "parta-sysop";
	rc = digest_make(s->st, &spec, f, a->opt[DIGEST_OPT_OUT], &di,
	    &cause);
	free(list);
	if (rc != 0) {
		sysop_err(_("no digest made: %s"), cause);
		free(cause);
		return -1;
	}
	if (*di.user != '\0')
		sysop_say(_("The digest for %s is in %s: %lld posts, %lld "
		    "letters (boards: %s)."), di.user, a->opt[DIGEST_OPT_OUT],
		    (long long)di.posts, (long long)di.letters, di.boards);
	else
		sysop_say(_("The board digest is in %s: %lld posts (boards: "
		    "%s)."), a->opt[DIGEST_OPT_OUT], (long long)di.posts,
		    di.boards);
	digest_info_free(&di);
	return 0;
}

struct sysop_digest_counts {
	int	 posted, again, refused;
};

static void
sysop_digest_item(void *arg, const struct digest_import_item *it)
{
	struct sysop_digest_counts *c = arg;

	if (it->rc != 0) {
		c->refused++;
		sysop_err(_("%s %s refused: %s (she is told by letter)"),
		    it->kind, it->uuid, _(perr_str(it->rc)));
	} else if (it->again)
		c->again++;
	else
		c->posted++;
}

/*
 * A QWK reader's REP packet (qwk.h) for the account --user names: a REP
 * carries no signature and no one's name, so the sysop says whose it is
 * (she handed the stick over), and each reply is a request as hers.
 */
static int
sysop_digest_import_rep(struct sysop *s, const char *login, const char *path)
{
	struct qwk_import	 res = { 0 };
	struct user		*u = NULL;
	char			*cause = NULL;
	int			 rc;

	if ((rc = user_get(s->st, login, &u)) != 0) {
		sysop_err("%s: %s", login, _(perr_str(rc)));
		return -1;
	}
	rc = qwk_import(s->st, u, path, &res, &cause);
	user_free(u);
	if (rc != 0) {
		sysop_err(_("%s: not imported: %s"), path, cause);
		free(cause);
		return -1;
	}
	if (res.why != NULL)
		sysop_err("%s", res.why);
	free(res.why);
	sysop_say(_("Imported %s: %d posted, %d posted before, %d refused."),
	    path, (int)res.posted, (int)res.again, (int)res.refused);
	return res.refused > 0 ? -1 : 0;
}

int
sysop_digest_import(struct sysop *s, struct sysop_args *a)
{
	struct sysop_digest_counts c = { 0 };
	unsigned char		*buf = NULL;
	size_t			 len;
	char			*cause = NULL;
	FILE			*fp;

	if ((fp = fopen(a->argv[0], "rb")) == NULL) {
		sysop_err("%s: %s", a->argv[0], strerror(errno));
		return -1;
	}
	buf = xmalloc(DIGEST_PACKET_MAX + 1);
	len = fread(buf, 1, DIGEST_PACKET_MAX + 1, fp);
	fclose(fp);
	/* A zip is a QWK reader's REP; parta's own packets are not. */
	if (a->opt[DIGEST_IMPORT_OPT_USER] != NULL || (len >= 4 &&
	    memcmp(buf, "PK\3\4", 4) == 0)) {
		free(buf);
		if (a->opt[DIGEST_IMPORT_OPT_USER] == NULL) {
			sysop_err(_("%s is a QWK reply packet, which names no "
			    "one: say whose with --user LOGIN"), a->argv[0]);
			return -1;
		}
		return sysop_digest_import_rep(s,
		    a->opt[DIGEST_IMPORT_OPT_USER], a->argv[0]);
	}
	if (len > DIGEST_PACKET_MAX) {
		sysop_err(_("%s: too large for a reply packet"), a->argv[0]);
		free(buf);
		return -1;
	}
	if (digest_import(s->st, buf, len, sysop_digest_item, &c,
	    &cause) != 0) {
		sysop_err(_("%s: not imported: %s"), a->argv[0], cause);
		free(cause);
		free(buf);
		return -1;
	}
	free(buf);
	/* An empty packet (a reading in which nothing was written, from
	 * a parta that still wrote one) is no import that worked. */
	if (c.posted + c.again + c.refused == 0) {
		sysop_err(_("%s holds no reply or letter: nothing was "
		    "imported"), a->argv[0]);
		return -1;
	}
	sysop_say(_("Imported %s: %d posted, %d posted before, %d refused."),
	    a->argv[0], c.posted, c.again, c.refused);
	return c.refused > 0 ? -1 : 0;
}
