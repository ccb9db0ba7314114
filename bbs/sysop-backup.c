/*
 * sysop-backup.c: "backup", a copy of the store to a new file (SQLite's
 * online backup, also while partad runs), or with --keep a dated copy of
 * the store and the library's files in a directory, keeping the last N
 * (backup.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "backup.h"
#include "i18n.h"
#include "store.h"
#include "sysop.h"
#include "util.h"

enum { BACKUP_OPT_KEEP };
#define BACKUP_KEEP_MAX	1000

/* backup --keep N DIR: a dated copy in DIR, the last N kept. */
static int
sysop_backup_keep(struct sysop *s, const char *keep, const char *dir)
{
	struct backup_result r;
	char		*end, *cause = NULL;
	long		 n;

	errno = 0;
	n = strtol(keep, &end, 10);
	if (errno != 0 || end == keep || *end != '\0' || n < 1 ||
	    n > BACKUP_KEEP_MAX) {
		sysop_err(_("--keep: a number of copies from 1 to %d"),
		    BACKUP_KEEP_MAX);
		return -1;
	}
	if (backup_run(s->st, dir, (int)n, &r, &cause) != 0) {
		sysop_err(_("the backup failed: %s"), cause);
		free(cause);
		return -1;
	}
	sysop_say(_("The store and its library files are copied to %s "
	    "(%lld files copied, %lld linked from the previous copy)."),
	    r.path, (long long)r.copied, (long long)r.linked);
	if (r.missing > 0)
		sysop_err(_("%lld library files named in the store are missing "
		    "from the data directory; see \"library verify\""),
		    (long long)r.missing);
	if (r.removed > 0)
		sysop_say(_("Older copies removed: %d; %ld are kept."), r.removed, n);
	backup_result_clear(&r);
	return 0;
}

int
sysop_backup_run(struct sysop *s, struct sysop_args *a)
{
	struct stat	 sb;
	char		*cause = NULL;

	if (a->opt[BACKUP_OPT_KEEP] != NULL)
		return sysop_backup_keep(s, a->opt[BACKUP_OPT_KEEP], a->argv[0]);
	/* store_backup() checks too, but its message is not translated. */
	if (stat(a->argv[0], &sb) == 0) {
		sysop_err(_("%s exists already; not overwriting it"), a->argv[0]);
		return -1;
	}
	if (store_backup(s->st, a->argv[0], &cause) != 0) {
		sysop_err("%s", cause);
		free(cause);
		return -1;
	}
	sysop_say(_("The store is copied to %s."), a->argv[0]);
	return 0;
}
