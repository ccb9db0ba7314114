/*
 * sysop-report.c: "report", what the community did: the activity of the
 * last N days, or the growth report period by period (by board, by
 * school) as tables with text charts, or as CSV for a spreadsheet.  The
 * figures come from report.c; this file only lays them out.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "perr.h"
#include "report.h"
#include "sysop.h"
#include "text.h"
#include "util.h"

/* report [--days N]: what the community did over the last N days. */
enum { REPORT_OPT_DAYS, REPORT_OPT_FROM, REPORT_OPT_TO, REPORT_OPT_BY,
    REPORT_OPT_BOARD, REPORT_OPT_SCHOOL, REPORT_OPT_CSV };
#define REPORT_DAYS_MAX	3660
#define REPORT_BAR	40	/* columns of the longest bar of a chart */

/* A figure as the console shows it: "—" where the row cannot count it. */
static const char *
sysop_report_num(int64_t n, char *buf, size_t size)
{
	if (n == REPORT_NA)
		return "—";
	snprintf(buf, size, "%lld", (long long)n);
	return buf;
}

/* One row of the growth table: its name then the figures. */
static void
sysop_report_grid_row(struct sysop_grid *g, const char *name,
    const struct report_figures *f)
{
	char	 b[8][24];

	sysop_grid_add(g, name, sysop_report_num(f->active, b[0], sizeof(b[0])),
	    sysop_report_num(f->members, b[1], sizeof(b[1])),
	    sysop_report_num(f->new_members, b[2], sizeof(b[2])),
	    sysop_report_num(f->posts, b[3], sizeof(b[3])),
	    sysop_report_num(f->threads, b[4], sizeof(b[4])),
	    sysop_report_num(f->letters, b[5], sizeof(b[5])),
	    sysop_report_num(f->uploads, b[6], sizeof(b[6])),
	    sysop_report_num(f->downloads, b[7], sizeof(b[7])));
}

static void
sysop_report_grid_head(struct sysop_grid *g, const char *first)
{
	sysop_grid_init(g, 9, SYSOP_CELL_MAX, 0x1feu);
	sysop_grid_add(g, first, _("ACTIVE"), _("MEMBERS"), _("NEW"),
	    _("POSTS"), _("THREADS"), _("LETTERS"), _("UPLOADS"),
	    _("DOWNLOADS"));
}

/* A text chart: one bar per period, as long as its share of the most. */
static void
sysop_report_chart(const char *title, const struct report_series *s, size_t off)
{
	int64_t	 v, max = 0;
	size_t	 i;
	int	 w, lw = 0;

	for (i = 0; i < s->nperiods; i++) {
		v = *(const int64_t *)(const void *)((const char *)&s->periods[i].f + off);
		if (v > max)
			max = v;
		if ((w = text_width(s->periods[i].name)) > lw)
			lw = w;
	}
	sysop_say("%s", "");
	sysop_say("%s", title);
	for (i = 0; i < s->nperiods; i++) {
		v = *(const int64_t *)(const void *)((const char *)&s->periods[i].f + off);
		w = max > 0 ? (int)((v * REPORT_BAR + max - 1) / max) : 0;
		printf("  %-*s  ", lw, s->periods[i].name);
		while (w-- > 0)
			fputs("#", stdout);
		printf(" %lld\n", (long long)v);
	}
}

/* A CSV field (RFC 4180): quoted when it must be; a text a spreadsheet
 * would take for a formula gets a leading apostrophe. */
static void
sysop_report_csv_text(const char *s)
{
	char	*t = text_sanitize(s != NULL ? s : "", 0), *p;

	if (*t != '\0' && strchr("=+-@", *t) != NULL) {
		p = xasprintf("'%s", t);
		free(t);
		t = p;
	}
	if (strpbrk(t, ",\"\r\n") == NULL) {
		fputs(t, stdout);
		free(t);
		return;
	}
	fputc('"', stdout);
	for (p = t; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', stdout);
		fputc(*p, stdout);
	}
	fputc('"', stdout);
	free(t);
}

static void
sysop_report_csv_row(const char *kind, const struct report_row *r)
{
	const int64_t	*f = &r->f.active;
	char		 d[32];
	size_t		 i;

	printf("%s,", kind);
	sysop_report_csv_text(r->name);
	printf(",%s", text_date(r->start, TEXT_DATE_ISO_DAY, d, sizeof(d)));
	printf(",%s", text_date(r->end - 1, TEXT_DATE_ISO_DAY, d, sizeof(d)));
	for (i = 0; i < sizeof(r->f) / sizeof(*f); i++)
		if (f[i] == REPORT_NA)
			fputs(",", stdout);
		else
			printf(",%lld", (long long)f[i]);
	fputs("\r\n", stdout);
}

static void
sysop_report_csv(const struct report_series *s)
{
	size_t	 i;

	fputs("kind,name,from,to,active,members,new_members,posts,threads,"
	    "letters,uploads,downloads\r\n", stdout);
	for (i = 0; i < s->nperiods; i++)
		sysop_report_csv_row("period", &s->periods[i]);
	sysop_report_csv_row("total", &s->total);
	for (i = 0; i < s->nboards; i++)
		sysop_report_csv_row("board", &s->boards[i]);
	for (i = 0; i < s->nschools; i++)
		sysop_report_csv_row("school", &s->schools[i]);
}

static void
sysop_report_text(const struct report_series *s)
{
	struct sysop_grid	 g;
	char			 d1[32], d2[32];
	size_t			 i;

	sysop_say(s->q.by == REPORT_WEEK ?
	    _("The community from %s to %s, by week:") :
	    _("The community from %s to %s, by month:"),
	    text_date(s->q.from, TEXT_DATE_ISO_DAY, d1, sizeof(d1)),
	    text_date(s->q.to - 1, TEXT_DATE_ISO_DAY, d2, sizeof(d2)));
	sysop_report_grid_head(&g, _("PERIOD"));
	for (i = 0; i < s->nperiods; i++)
		sysop_report_grid_row(&g, s->periods[i].name, &s->periods[i].f);
	sysop_report_grid_row(&g, _("total"), &s->total.f);
	sysop_grid_print(&g, stdout, 2);
	sysop_grid_free(&g);
	sysop_report_chart(_("Active participants:"), s,
	    offsetof(struct report_figures, active));
	sysop_report_chart(_("Posts:"), s, offsetof(struct report_figures, posts));
	sysop_say("%s", "");
	sysop_report_grid_head(&g, _("BOARD"));
	for (i = 0; i < s->nboards; i++)
		sysop_report_grid_row(&g, s->boards[i].name, &s->boards[i].f);
	sysop_grid_print(&g, stdout, 2);
	sysop_grid_free(&g);
	if (s->nschools == 0)
		return;
	sysop_say("%s", "");
	sysop_report_grid_head(&g, _("SCHOOL"));
	for (i = 0; i < s->nschools; i++)
		sysop_report_grid_row(&g, *s->schools[i].name != '\0' ?
		    s->schools[i].name : _("(not given)"), &s->schools[i].f);
	sysop_grid_print(&g, stdout, 2);
	sysop_grid_free(&g);
}

/* report --from DATE --to DATE --by week|month ...: the growth report. */
static int
sysop_report_series(struct sysop *s, struct sysop_args *a)
{
	const char		*by = a->opt[REPORT_OPT_BY];
	struct report_query	 q;
	struct report_series	*r = NULL;
	int64_t			 today;
	int			 rc;

	memset(&q, 0, sizeof(q));
	if (by == NULL || strcmp(by, "week") == 0)
		q.by = REPORT_WEEK;
	else if (strcmp(by, "month") == 0)
		q.by = REPORT_MONTH;
	else {
		sysop_err(_("--by: week or month"));
		return -1;
	}
	q.board = a->opt[REPORT_OPT_BOARD];
	q.school = a->opt[REPORT_OPT_SCHOOL];
	if (q.school != NULL && *q.school == '\0')
		q.school = NULL;
	/* The last day counted is --to (today), whole. */
	if (report_parse_day(text_date(now_unix(), TEXT_DATE_ISO_DAY,
	    (char[32]){ 0 }, 32), &today) != 0)
		today = now_unix();
	if (a->opt[REPORT_OPT_TO] == NULL)
		q.to = today;
	else if (report_parse_day(a->opt[REPORT_OPT_TO], &q.to) != 0)
		return sysop_fail_field("--to", PERR_DATE);
	q.to += 86400;
	if (a->opt[REPORT_OPT_FROM] == NULL)
		q.from = q.to - (q.by == REPORT_WEEK ? 12 * 7 : 365) * 86400LL;
	else if (report_parse_day(a->opt[REPORT_OPT_FROM], &q.from) != 0)
		return sysop_fail_field("--from", PERR_DATE);
	if (q.from >= q.to) {
		sysop_err(_("--from must not be after --to"));
		return -1;
	}
	if ((rc = report_series_make(s->st, &q, &r)) == PERR_NOTFOUND) {
		sysop_err(_("no board named \"%s\""), q.board);
		return -1;
	}
	if (rc == PERR_DATE) {
		sysop_err(_("the span is too long for --by %s"), by != NULL ?
		    by : "week");
		return -1;
	}
	if (rc != 0)
		return sysop_fail(rc);
	if (a->opt[REPORT_OPT_CSV] != NULL)
		sysop_report_csv(r);
	else
		sysop_report_text(r);
	report_series_free(r);
	return 0;
}

int
sysop_report_run(struct sysop *s, struct sysop_args *a)
{
	const char		*d = a->opt[REPORT_OPT_DAYS];
	struct report		*r = NULL;
	struct sysop_grid	 g;
	char			 t[32], n1[24], n2[24], *end;
	long			 days = 7;
	size_t			 i;
	int			 rc;

	for (i = REPORT_OPT_FROM; i <= REPORT_OPT_CSV; i++)
		if (a->opt[i] != NULL) {
			if (d != NULL) {
				sysop_err(_("--days goes with none of the other"
				    " options"));
				return -1;
			}
			return sysop_report_series(s, a);
		}
	if (d != NULL) {
		days = strtol(d, &end, 10);
		if (*d == '\0' || *end != '\0' || days < 1 ||
		    days > REPORT_DAYS_MAX) {
			sysop_err(_("--days: a number of days from 1 to %d"),
			    REPORT_DAYS_MAX);
			return -1;
		}
	}
	if ((rc = report_make(s->st, now_unix() - days * 86400, &r)) != 0)
		return sysop_fail(rc);
	sysop_say(_("Activity over the last %ld days, since %s:"), days,
	    text_date(r->since, TEXT_DATE_ISO_MINUTE, t, sizeof(t)));
	sysop_say(_("  accounts: %lld, logged in: %lld; new: %lld; awaiting "
	    "approval: %lld"), (long long)r->accounts, (long long)r->visitors,
	    (long long)r->new_accounts, (long long)r->pending);
	sysop_say(_("  posts: %lld; new threads: %lld; hidden: %lld"),
	    (long long)r->posts, (long long)r->threads, (long long)r->hidden);
	sysop_say(_("  letters: %lld; news: %lld"), (long long)r->letters,
	    (long long)r->news);
	sysop_say(_("  library: new items: %lld; awaiting approval: %lld"),
	    (long long)r->lib_items, (long long)r->lib_pending);
	if (r->nboards > 0) {
		sysop_say("%s", "");
		sysop_grid_init(&g, 4, SYSOP_CELL_MAX, 1u << 2 | 1u << 3);
		sysop_grid_add(&g, _("BOARD"), _("TITLE"), _("POSTS"),
		    _("THREADS"));
		for (i = 0; i < r->nboards; i++) {
			snprintf(n1, sizeof(n1), "%lld", (long long)r->boards[i].posts);
			snprintf(n2, sizeof(n2), "%lld",
			    (long long)r->boards[i].threads);
			sysop_grid_add(&g, r->boards[i].name, r->boards[i].title,
			    n1, n2);
		}
		sysop_grid_print(&g, stdout, 2);
		sysop_grid_free(&g);
		sysop_say("%s", "");
		sysop_grid_init(&g, 3, SYSOP_CELL_MAX, 1u << 2);
		sysop_grid_add(&g, _("AUTHOR"), _("NAME"), _("POSTS"));
		for (i = 0; i < r->nauthors; i++) {
			snprintf(n1, sizeof(n1), "%lld", (long long)r->authors[i].posts);
			sysop_grid_add(&g, r->authors[i].login,
			    r->authors[i].name, n1);
		}
		sysop_grid_print(&g, stdout, 2);
		sysop_grid_free(&g);
	}
	report_free(r);
	return 0;
}
