/*
 * backup.h: dated copies of the store and of the library's files, the
 * last N of them kept ("parta-sysop backup --keep N DIR").
 *
 * Each run makes DIR/parta-YYYYMMDD-HHMMSS/ holding parta.db (a snapshot
 * of the store, store_backup()) and files/, every blob that snapshot
 * names.  A blob is immutable and named by its SHA-256, so one that the
 * newest earlier copy in DIR has already is hard-linked from there: each
 * copy is whole by itself, and only new files cost space.  A copy is made
 * under a hidden name and renamed into place when it is complete, so DIR
 * never holds half a copy under a dated name.
 */
#ifndef PARTA_BACKUP_H
#define PARTA_BACKUP_H

#include <stdint.h>

struct store;

/* What one run did, for the sysop. */
struct backup_result {
	char	*path;		/* the new copy, DIR/parta-... */
	int64_t	 copied;	/* blobs copied from the data directory */
	int64_t	 linked;	/* blobs linked from the previous copy */
	int64_t	 missing;	/* blobs the store names but files/ lacks */
	int	 removed;	/* older copies removed to keep the last N */
};

/*
 * Make a new dated copy of st in dir (created, mode 0700, if missing),
 * then remove the oldest copies there until keep are left (keep >= 1).
 * 0 with *r filled (free it with backup_result_clear()), or -1 with
 * *cause (caller frees); a failed run leaves the older copies alone.
 */
int	 backup_run(struct store *st, const char *dir, int keep,
	     struct backup_result *r, char **cause);
void	 backup_result_clear(struct backup_result *);

#endif
