/*
 * backup.c: dated copies of the store and its library files, keeping the
 * last N (see backup.h for the layout).
 *
 * The store is copied first (one snapshot, which holds partad up in
 * nothing), then exactly the blobs that snapshot's blobs table names:
 * a file uploaded after the snapshot belongs to the next copy, and a file
 * removed since is counted as missing rather than failing the run.  The
 * blobs come from the data directory's files/ or, when the previous copy
 * has them, as hard links to that copy's (never to the live files, so a
 * copy shares nothing with the data directory).  A run holds a lock
 * file in DIR, and a second one there is refused, so an overlapping cron
 * job cannot remove a copy being made.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backup.h"
#include "blob.h"
#include "log.h"
#include "store.h"
#include "util.h"

#define BACKUP_PREFIX	"parta-"
#define BACKUP_BUF	65536

void
backup_result_clear(struct backup_result *r)
{
	free(r->path);
	memset(r, 0, sizeof(*r));
}

/* 1 if name is a copy's: parta-YYYYMMDD-HHMMSSZ, maybe with -N. */
static int
backup_is_copy(const char *name)
{
	const char	*p = name + strlen(BACKUP_PREFIX);
	int		 i;

	if (strncmp(name, BACKUP_PREFIX, strlen(BACKUP_PREFIX)) != 0)
		return 0;
	for (i = 0; i < 15; i++, p++)
		if (i == 8 ? *p != '-' : (*p < '0' || *p > '9'))
			return 0;
	if (*p++ != 'Z')
		return 0;
	if (*p == '\0')
		return 1;
	return p[0] == '-' && p[1] >= '2' && p[1] <= '9' && p[2] == '\0';
}

static int
backup_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The copies in dir, oldest first (their names sort by time). */
static int
backup_list(const char *dir, char ***names, size_t *n, char **cause)
{
	DIR		*d;
	struct dirent	*e;
	size_t		 cap = 0;

	*names = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (!backup_is_copy(e->d_name))
			continue;
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*names = xrealloc(*names, cap * sizeof(**names));
		}
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(*names, *n, sizeof(**names), backup_cmp);
	return 0;
}


static int
backup_rm_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
backup_rmtree(const char *path)
{
	return nftw(path, backup_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Copy src to the new file dst, mode 0600, fsynced.  0, or -1 with
 * errno (ENOENT: src is gone). */
static int
backup_copy_file(const char *src, const char *dst)
{
	char	*buf;
	ssize_t	 n, w, off;
	int	 in, out, rc = -1, saved;

	if ((in = open(src, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		saved = errno;
		close(in);
		errno = saved;
		return -1;
	}
	buf = xmalloc(BACKUP_BUF);
	for (;;) {
		if ((n = read(in, buf, BACKUP_BUF)) < 0) {
			if (errno == EINTR)
				continue;
			goto out;
		}
		if (n == 0)
			break;
		for (off = 0; off < n; off += w)
			if ((w = write(out, buf + off, (size_t)(n - off))) < 0) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				goto out;
			}
	}
	rc = fsync(out);
out:
	saved = errno;
	free(buf);
	close(in);
	if (close(out) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0)
		unlink(dst);
	errno = saved;
	return rc;
}

/*
 * Put every blob the snapshot at db names into files (a new directory):
 * linked from prev (the previous copy's files/, or NULL) when it has
 * the blob, else copied from live.
 */
static int
backup_blobs(const char *db, const char *live, const char *prev,
    const char *files, struct backup_result *r, char **cause)
{
	sqlite3		*snap = NULL;
	sqlite3_stmt	*stmt = NULL;
	struct stat	 sb;
	const char	*sha;
	char		*src = NULL, *old = NULL, *dst = NULL;
	int64_t		 size;
	int		 rc = -1, step;

	if (sqlite3_open_v2(db, &snap, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(snap, "SELECT sha256, size FROM blobs"
	    " ORDER BY sha256", -1, &stmt, NULL) != SQLITE_OK) {
		*cause = xasprintf("%s: %s", db, sqlite3_errmsg(snap));
		goto out;
	}
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		sha = (const char *)sqlite3_column_text(stmt, 0);
		size = sqlite3_column_int64(stmt, 1);
		if (sha == NULL || !blob_valid_sha(sha))
			continue;	/* never a path of our making */
		free(src);
		free(old);
		free(dst);
		src = xasprintf("%s/%s", live, sha);
		old = prev != NULL ? xasprintf("%s/%s", prev, sha) : NULL;
		dst = xasprintf("%s/%s", files, sha);
		if (old != NULL && stat(old, &sb) == 0 && sb.st_size == size &&
		    link(old, dst) == 0) {
			r->linked++;
			continue;
		}
		if (backup_copy_file(src, dst) == 0) {
			r->copied++;
			continue;
		}
		if (errno == ENOENT) {
			log_warn("backup: %s: missing from %s", sha, live);
			r->missing++;
			continue;
		}
		*cause = xasprintf("%s: %s", dst, strerror(errno));
		goto out;
	}
	if (step != SQLITE_DONE) {
		*cause = xasprintf("%s: %s", db, sqlite3_errmsg(snap));
		goto out;
	}
	if (fsync_path(files) != 0) {
		*cause = xasprintf("%s: %s", files, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(stmt);
	store_close_db(snap, db);
	free(src);
	free(old);
	free(dst);
	return rc;
}

/* A name for a new copy that no entry of dir has. */
static char *
backup_name(const char *dir)
{
	struct tm	 tm;
	struct stat	 sb;
	time_t		 now = time(NULL);
	char		 stamp[32], *path;
	int		 i;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%SZ", &tm);
	path = xasprintf("%s/" BACKUP_PREFIX "%s", dir, stamp);
	for (i = 2; i <= 9 && stat(path, &sb) == 0; i++) {
		free(path);
		path = xasprintf("%s/" BACKUP_PREFIX "%s-%d", dir, stamp, i);
	}
	return path;
}

int
backup_run(struct store *st, const char *dir, int keep,
    struct backup_result *r, char **cause)
{
	char	**names = NULL, *lockp, *part = NULL, *db = NULL, *files = NULL;
	char	*prev = NULL, *live = NULL, *path = NULL, *victim;
	size_t	 n = 0, i;
	int	 lock = -1, rc = -1;

	memset(r, 0, sizeof(*r));
	*cause = NULL;
	if (keep < 1) {
		*cause = xstrdup("keep at least one copy");
		return -1;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	lockp = xasprintf("%s/.lock", dir);
	lock = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lockp);
	if (lock == -1 || flock(lock, LOCK_EX | LOCK_NB) != 0) {
		*cause = xasprintf("%s: %s", dir, lock == -1 ? strerror(errno) :
		    "another backup is being made there");
		goto out;
	}
	/* What a run that died left. */
	part = xasprintf("%s/.partial", dir);
	(void)backup_rmtree(part);
	if (backup_list(dir, &names, &n, cause) != 0)
		goto out;
	if (mkdir(part, 0700) != 0) {
		*cause = xasprintf("%s: %s", part, strerror(errno));
		goto out;
	}
	db = xasprintf("%s/parta.db", part);
	files = xasprintf("%s/files", part);
	if (store_backup(st, db, cause) != 0)
		goto out;
	if (mkdir(files, 0700) != 0) {
		*cause = xasprintf("%s: %s", files, strerror(errno));
		goto out;
	}
	if (n > 0)
		prev = xasprintf("%s/%s/files", dir, names[n - 1]);
	live = blob_dir(st);
	if (backup_blobs(db, live, prev, files, r, cause) != 0)
		goto out;
	path = backup_name(dir);
	if (fsync_path(part) != 0 || rename(part, path) != 0 ||
	    fsync_path(dir) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	r->path = path;
	path = NULL;
	/* Only now that the new copy is whole: the oldest go. */
	for (i = 0; n + 1 > (size_t)keep + i && i < n; i++) {
		victim = xasprintf("%s/%s", dir, names[i]);
		if (backup_rmtree(victim) != 0)
			log_warn("backup: %s: %s", victim, strerror(errno));
		else
			r->removed++;
		free(victim);
	}
	rc = 0;
out:
	if (rc != 0) {
		if (part != NULL)
			(void)backup_rmtree(part);
		backup_result_clear(r);
	}
	if (lock != -1)
		close(lock);
	freev(names, n);
	free(part);
	free(db);
	free(files);
	free(prev);
	free(live);
	free(path);
	return rc;
}
