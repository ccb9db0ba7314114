/*
 * sysop-library.c: the console's commands on the library: listing,
 * approving, removing and recommending items, putting a file of the
 * server into it, checking its files, quotas and the largest file, and
 * its sections.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "board.h"
#include "i18n.h"
#include "library.h"
#include "perr.h"
#include "request.h"
#include "sysop.h"
#include "text.h"
#include "user.h"
#include "util.h"

/* "10M", "500K", "2G" or plain bytes: 0 and *out, or -1 (reported). */
static int
sysop_library_parse_bytes(const char *s, int64_t *out)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v < 0)
		goto bad;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end != '\0' || v < 0)
		goto bad;
	*out = v;
	return 0;
bad:
	sysop_err(_("\"%s\" is not a size (bytes, or with K, M or G)"), s);
	return -1;
}

enum { LIB_OPT_PENDING, LIB_OPT_SECTION };

/* library list [--pending] [--section NAME] */
/* n bytes as ls -h shows them: "812", "1.5K", "300K", "2.1G"; rounded up,
 * so a file is never shown smaller than it is. */
static const char *
sysop_library_size_human(int64_t n, char *buf, size_t size)
{
	static const char	 suffix[] = "KMGT";
	int64_t			 unit = 1024;
	size_t			 i;

	if (n < 1024) {
		snprintf(buf, size, "%lld", (long long)n);
		return buf;
	}
	for (i = 0; i + 1 < sizeof(suffix) - 1 && n >= unit * 1024; i++)
		unit *= 1024;
	if (n < unit * 10)	/* one decimal, in tenths, rounded up */
		snprintf(buf, size, "%lld.%lld%c",
		    (long long)((n * 10 + unit - 1) / unit / 10),
		    (long long)((n * 10 + unit - 1) / unit % 10), suffix[i]);
	else
		snprintf(buf, size, "%lld%c", (long long)((n + unit - 1) / unit),
		    suffix[i]);
	return buf;
}

int
sysop_library_list(struct sysop *s, struct sysop_args *a)
{
	struct lib_viewer v = { 0, ROLE_SYSOP };
	struct lib_filter f;
	struct lib_item		*it;
	struct sysop_grid	 g;
	char			 id[24], dl[24], sz[24];
	const char		*state;
	size_t			 n, i;
	int			 rc;

	memset(&f, 0, sizeof(f));
	f.pending_only = a->opt[LIB_OPT_PENDING] != NULL;
	f.section = a->opt[LIB_OPT_SECTION];
	if ((rc = library_list(s->st, &v, &f, &it, &n)) != 0)
		return sysop_fail(rc);
	sysop_grid_init(&g, 7, SYSOP_CELL_MAX, 1u << 0 | 1u << 3 | 1u << 4);
	sysop_grid_add(&g, _("ID"), _("SECTION"), _("STATE"), _("SIZE"),
	    _("DOWNLOADS"), _("FILE OR LINK"), _("TITLE"));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)it[i].id);
		snprintf(dl, sizeof(dl), "%lld", (long long)it[i].downloads);
		state = it[i].approved_at == 0 ? _("pending") :
		    it[i].recommended_at != 0 ? _("recommended") : _("approved");
		if (*it[i].filename != '\0')
			sysop_library_size_human(it[i].size, sz, sizeof(sz));
		else
			strlcpy_p(sz, "-", sizeof(sz));
		sysop_grid_add(&g, id, it[i].section, state, sz, dl,
		    *it[i].filename != '\0' ? it[i].filename : it[i].url,
		    it[i].title);
	}
	sysop_grid_list(&g, _("The library has no such items."));
	library_list_free(it, n);
	return 0;
}

/*
 * Apply a request of kind to the library item numbered arg: 0, or -1
 * after saying what failed (exists, with arg for its %s, when the item
 * is so already; NULL when that cannot be).
 */
static int
sysop_library_item_apply(struct sysop *s, const char *arg,
    enum request_kind kind, const char *exists)
{
	struct request r;
	char	 uuid[37];
	int64_t	 id;
	int	 rc;

	if (sysop_parse_id(arg, &id,
	    _("\"%s\" is not an item number")) != 0)
		return -1;
	request_init(&r, kind, NULL);
	r.item = uuid;
	if ((rc = request_uuid_of(s->st, REQF_ITEM, id, uuid)) == 0)
		rc = sysop_request(s, &r, NULL);
	if (rc == PERR_EXISTS && exists != NULL) {
		sysop_err(exists, arg);
		return -1;
	}
	if (rc != 0)
		return sysop_fail_named(_("no library item %s"), arg, rc);
	return 0;
}

int
sysop_library_approve(struct sysop *s, struct sysop_args *a)
{
	if (sysop_library_item_apply(s, a->argv[0], REQ_LIB_APPROVE,
	    _("item %s is approved already")) != 0)
		return -1;
	sysop_say(_("Item %s is approved."), a->argv[0]);
	return 0;
}

int
sysop_library_remove(struct sysop *s, struct sysop_args *a)
{
	if (sysop_library_item_apply(s, a->argv[0], REQ_LIB_REMOVE,
	    NULL) != 0)
		return -1;
	sysop_say(_("Item %s is removed."), a->argv[0]);
	return 0;
}

/* library add SECTION FILE --as USER --title TITLE [--description TEXT]
 * [--grades GRADES] [--tags TAGS] [--force]: the sysop puts a file of
 * the server's (a normative document, say) into the library, approved;
 * --force takes a system or a private file (library_import's rule). */
enum { LIB_OPT_AS, LIB_OPT_TITLE, LIB_OPT_DESC, LIB_OPT_GRADES, LIB_OPT_TAGS,
    LIB_OPT_FORCE };

int
sysop_library_add(struct sysop *s, struct sysop_args *a)
{
	static const struct { const char *name, *label; } fields[] = {
		{ "section", N_("section") }, { "title", N_("title") },
		{ "description", N_("description") }, { "grades", N_("grades") },
		{ "tags", N_("tags") },
	};
	struct lib_meta	 m;
	const char	*bad = NULL;
	int64_t		 uploader, id;
	size_t		 i;
	int		 rc;

	if (sysop_as(s, a->opt[LIB_OPT_AS], &uploader) != 0)
		return -1;
	m.section = a->argv[0];
	m.title = a->opt[LIB_OPT_TITLE];
	m.description = a->opt[LIB_OPT_DESC] != NULL ? a->opt[LIB_OPT_DESC] : "";
	m.grades = a->opt[LIB_OPT_GRADES] != NULL ? a->opt[LIB_OPT_GRADES] : "";
	m.tags = a->opt[LIB_OPT_TAGS] != NULL ? a->opt[LIB_OPT_TAGS] : "";
	rc = library_import(s->st, uploader, a->argv[1],
	    a->opt[LIB_OPT_FORCE] != NULL, &m, s->actor, &id, &bad);
	if (rc == PERR_NOTFOUND) {
		sysop_err(_("%s: no such file"), a->argv[1]);
		return -1;
	}
	if (rc == PERR_LIB_SPECIAL || rc == PERR_LIB_DATA ||
	    rc == PERR_LIB_SYSTEM || rc == PERR_LIB_PRIVATE) {
		sysop_err("%s: %s", a->argv[1], _(perr_str(rc)));
		return -1;
	}
	if (rc == PERR_LIB_SECTION) {
		sysop_err(_("no library section named \"%s\""), a->argv[0]);
		return -1;
	}
	for (i = 0; bad != NULL && i < nitems(fields); i++)
		if (strcmp(bad, fields[i].name) == 0)
			return sysop_fail_field(_(fields[i].label), rc);
	if (rc != 0)
		return sysop_fail_field(a->argv[1], rc);
	sysop_say(_("Item %lld is in the library."), (long long)id);
	return 0;
}

enum { LIB_OPT_BY };

/* library recommend ID [--by LOGIN] REVIEW... */
int
sysop_library_recommend(struct sysop *s, struct sysop_args *a)
{
	struct user	*u = NULL;
	struct request	 r;
	const char	*by = a->opt[LIB_OPT_BY];
	char		*review, uuid[37];
	int64_t		 id;
	int		 rc;

	if (sysop_parse_id(a->argv[0], &id,
	    _("\"%s\" is not an item number")) != 0)
		return -1;
	if (by != NULL && (rc = user_get(s->st, by, &u)) != 0)
		return sysop_fail_user(by, rc);
	review = sysop_join(a->argc - 1, a->argv + 1);
	request_init(&r, REQ_LIB_RECOMMEND, NULL);
	r.item = uuid;
	r.author = u != NULL ? u->uuid : NULL;
	r.text = review;
	if ((rc = request_uuid_of(s->st, REQF_ITEM, id, uuid)) == 0)
		rc = sysop_request(s, &r, NULL);
	free(review);
	user_free(u);
	if (rc == PERR_NOTFOUND || rc == PERR_DB)
		return sysop_fail_named(_("no library item %s"), a->argv[0], rc);
	if (rc != 0)
		return sysop_fail_field(_("review"), rc);
	sysop_say(_("Item %s is recommended."), a->argv[0]);
	return 0;
}

static void
sysop_library_verify_report(const char *sha, enum blob_problem p, void *arg)
{
	static const char *const what[] = {
		[BLOB_MISSING] = N_("missing"),
		[BLOB_SIZE] = N_("damaged: wrong size"),
		[BLOB_HASH] = N_("damaged: the contents do not match the hash"),
		[BLOB_STRAY] = N_("not in the store (left over?)"),
	};

	(void)arg;
	sysop_say("files/%s: %s", sha, _(what[p]));
}

int
sysop_library_verify(struct sysop *s, struct sysop_args *a)
{
	int64_t	 checked;
	int	 problems, rc;

	(void)a;
	if ((rc = blob_verify(s->st, sysop_library_verify_report, NULL,
	    &checked, &problems)) != 0)
		return sysop_fail(rc);
	sysop_say(_("%lld files checked, %d problems."), (long long)checked,
	    problems);
	if (problems > 0) {
		sysop_err(_("the library has missing or damaged files"));
		return -1;
	}
	return 0;
}

/* library quota BYTES | library quota LOGIN [BYTES|none] */
/* n bytes as "100M", "300K", "2G" when exact, else "1234567 bytes":
 * as the sysop types them. */
static const char *
sysop_library_size_str(int64_t n, char *buf, size_t size)
{
	static const struct { int64_t unit; const char *suffix; } u[] = {
		{ 1LL << 30, "G" }, { 1LL << 20, "M" }, { 1LL << 10, "K" },
	};
	size_t	 i;

	for (i = 0; i < nitems(u); i++)
		if (n > 0 && n % u[i].unit == 0) {
			snprintf(buf, size, "%lld%s", (long long)(n / u[i].unit),
			    u[i].suffix);
			return buf;
		}
	snprintf(buf, size, _("%lld bytes"), (long long)n);
	return buf;
}

int
sysop_library_quota(struct sysop *s, struct sysop_args *a)
{
	struct user	*u = NULL;
	int64_t		 bytes, quota, maxsize, used;
	char		 b1[32], b2[32], b3[32];
	int		 rc;

	if (a->argc == 0) {
		if ((rc = library_limits(s->st, 0, &quota, &maxsize)) != 0)
			return sysop_fail(rc);
		sysop_say(_("The default library quota is %s; the largest file"
		    " %s."), sysop_library_size_str(quota, b1, sizeof(b1)),
		    sysop_library_size_str(maxsize, b2, sizeof(b2)));
		return 0;
	}
	if (a->argc == 1 && a->argv[0][0] >= '0' && a->argv[0][0] <= '9') {
		if (sysop_library_parse_bytes(a->argv[0], &bytes) != 0)
			return -1;
		if ((rc = library_set_quota(s->st, 0, bytes, s->actor)) != 0)
			return sysop_fail(rc);
		sysop_say(_("The default library quota is %s."),
		    sysop_library_size_str(bytes, b1, sizeof(b1)));
		return 0;
	}
	if ((rc = user_get(s->st, a->argv[0], &u)) != 0)
		return sysop_fail_user(a->argv[0], rc);
	if (a->argc == 2) {
		if (strcmp(a->argv[1], "none") == 0)
			bytes = -1;
		else if (sysop_library_parse_bytes(a->argv[1], &bytes) != 0) {
			user_free(u);
			return -1;
		}
		if ((rc = library_set_quota(s->st, u->id, bytes, s->actor)) != 0) {
			user_free(u);
			return sysop_fail(rc);
		}
	}
	if ((rc = library_limits(s->st, u->id, &quota, &maxsize)) != 0 ||
	    (rc = library_used(s->st, u->id, &used)) != 0) {
		user_free(u);
		return sysop_fail(rc);
	}
	sysop_say(_("%s: quota %s, %s used; largest file %s."), u->login,
	    sysop_library_size_str(quota, b1, sizeof(b1)),
	    sysop_library_size_str(used, b2, sizeof(b2)),
	    sysop_library_size_str(maxsize, b3, sizeof(b3)));
	user_free(u);
	return 0;
}

int
sysop_library_maxsize(struct sysop *s, struct sysop_args *a)
{
	char	 b1[32];
	int64_t	 bytes;
	int	 rc;

	if (sysop_library_parse_bytes(a->argv[0], &bytes) != 0)
		return -1;
	if ((rc = library_set_maxsize(s->st, bytes, s->actor)) != 0)
		return sysop_fail(rc);
	sysop_say(_("The library accepts files up to %s."),
	    sysop_library_size_str(bytes, b1, sizeof(b1)));
	return 0;
}

enum { LIB_OPT_APPROVAL };

/* library section add NAME TITLE [--approval] */
int
sysop_library_section_add(struct sysop *s, struct sysop_args *a)
{
	const char	*name = a->argv[0];
	struct request	 r;
	int		 rc;

	if (board_check_name(name) != 0) {
		sysop_err(_("section name \"%s\": %s"), name,
		    _(perr_str(PERR_BOARD_NAME)));
		return -1;
	}
	request_init(&r, REQ_LIB_SECTION_ADD, NULL);
	r.name = name;
	r.subject = a->argv[1];
	r.number = a->opt[LIB_OPT_APPROVAL] != NULL;
	if ((rc = sysop_request(s, &r, NULL)) != 0)
		return sysop_fail_exists(
		    _("a library section named \"%s\" exists already"), name,
		    _("title"), rc);
	sysop_say(_("Library section %s is added."), name);
	return 0;
}

int
sysop_library_section_list(struct sysop *s, struct sysop_args *a)
{
	struct lib_section *sec;
	struct sysop_grid	 g;
	char			 items[24];
	size_t			 n, i;
	int			 rc;

	(void)a;
	if ((rc = library_section_list(s->st, &sec, &n)) != 0)
		return sysop_fail(rc);
	sysop_grid_init(&g, 4, SYSOP_CELL_MAX, 1u << 3);
	sysop_grid_add(&g, _("NAME"), _("TITLE"), _("APPROVAL"), _("ITEMS"));
	for (i = 0; i < n; i++) {
		snprintf(items, sizeof(items), "%lld", (long long)sec[i].items);
		sysop_grid_add(&g, sec[i].name, sec[i].title,
		    sec[i].approval ? _("yes") : _("no"), items);
	}
	sysop_grid_list(&g, _("The library has no sections yet."));
	library_section_list_free(sec, n);
	return 0;
}
