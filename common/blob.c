/*
 * blob.c: content-addressed storage of library files (see blob.h).
 * SHA-256 comes from OpenSSL's libcrypto, which libssh links already.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "blob.h"
#include "log.h"
#include "perr.h"
#include "store.h"
#include "util.h"

#define BLOB_BUF	65536

char *
blob_dir(struct store *st)
{
	char	*copy = xstrdup(store_path(st)), *dir;

	dir = xasprintf("%s/files", dirname(copy));
	free(copy);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		log_error("%s: %s", dir, strerror(errno));
	return dir;
}

char *
blob_path(struct store *st, const char *sha)
{
	char	*dir = blob_dir(st), *p;

	p = xasprintf("%s/%s", dir, sha);
	free(dir);
	return p;
}

int
blob_valid_sha(const char *s)
{
	size_t	 i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

/*
 * Read fd to its end, hashing; when out >= 0 also write every byte there.
 * 0 with sha and *size, or PERR_LIB_IO.
 */
static int
blob_stream(int fd, int out, char sha[BLOB_HEX], int64_t *size)
{
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	unsigned char	 md[32], *buf = xmalloc(BLOB_BUF);
	ssize_t		 n, w, off;
	int		 rc = PERR_LIB_IO;

	*size = 0;
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto out;
	for (;;) {
		n = read(fd, buf, BLOB_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		EVP_DigestUpdate(ctx, buf, (size_t)n);
		*size += n;
		for (off = 0; out >= 0 && off < n; off += w)
			if ((w = write(out, buf + off, (size_t)(n - off))) < 0) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				goto out;
			}
	}
	if (EVP_DigestFinal_ex(ctx, md, NULL) != 1)
		goto out;
	hex_format(md, sizeof(md), sha);
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	free(buf);
	return rc;
}

int
blob_hash_copy(int in, int out, char sha[BLOB_HEX], int64_t *size)
{
	return blob_stream(in, out, sha, size);
}

int
blob_hash_file(const char *path, char sha[BLOB_HEX], int64_t *size)
{
	int	 fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return PERR_LIB_IO;
	rc = blob_stream(fd, -1, sha, size);
	close(fd);
	return rc;
}

int
blob_put_file(struct store *st, const char *src, char sha[BLOB_HEX],
    int64_t *size)
{
	int	 in, rc;

	if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0) {
		log_error("%s: %s", src, strerror(errno));
		return PERR_LIB_IO;
	}
	rc = blob_put_fd(st, in, src, sha, size);
	close(in);
	return rc;
}

int
blob_put_fd(struct store *st, int in, const char *src, char sha[BLOB_HEX],
    int64_t *size)
{
	char		*dir = blob_dir(st), *tmp = NULL, *dst = NULL;
	char		 have[BLOB_HEX];
	int64_t		 have_size;
	struct stat	 sb;
	int		 out = -1, rc = PERR_LIB_IO;

	tmp = xasprintf("%s/.tmp-XXXXXX", dir);
	if ((out = mkstemp(tmp)) < 0) {
		log_error("%s: %s", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (blob_stream(in, out, sha, size) != 0 || fsync(out) != 0 ||
	    fchmod(out, 0600) != 0) {
		log_error("storing %s: %s", src, strerror(errno));
		goto out;
	}
	close(out);
	out = -1;
	dst = xasprintf("%s/%s", dir, sha);
	/* The same file is kept once; a damaged copy is replaced. */
	if (stat(dst, &sb) == 0 && sb.st_size == *size &&
	    blob_hash_file(dst, have, &have_size) == 0 &&
	    strcmp(have, sha) == 0) {
		rc = 0;
		goto out;
	}
	if (rename(tmp, dst) != 0) {
		log_error("rename %s: %s", dst, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	if (fsync_path(dir) != 0)
		log_warn("fsync %s: %s", dir, strerror(errno));
	rc = 0;
out:
	if (out >= 0)
		close(out);
	if (tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(dst);
	free(dir);
	return rc;
}

int
blob_insert(struct store *st, const char *sha, int64_t size)
{
	return store_write(st, NULL, "INSERT OR IGNORE INTO blobs(sha256, size,"
	    " created_at) VALUES (?, ?, ?)", "tii", sha, size, now_unix());
}

int
blob_drop_unused(struct store *st, const char *sha)
{
	char	*path;
	int	 rc, gone;

	if (!blob_valid_sha(sha))
		return 0;
	rc = store_write(st, &gone, "DELETE FROM blobs WHERE sha256 = ?1 AND"
	    " NOT EXISTS (SELECT 1 FROM library_items WHERE sha256 = ?1)", "t",
	    sha);
	if (rc == 0 && gone > 0) {
		path = blob_path(st, sha);
		if (unlink(path) != 0 && errno != ENOENT)
			log_warn("%s: %s", path, strerror(errno));
		free(path);
	}
	return rc;
}

/* 0 if sha is a row of blobs, PERR_NOTFOUND if not, PERR_DB. */
static int
blob_known(struct store *st, const char *sha)
{
	return store_int(st, NULL, "SELECT 1 FROM blobs WHERE sha256 = ?", "t",
	    sha);
}

int
blob_verify(struct store *st, void (*fn)(const char *, enum blob_problem,
    void *), void *arg, int64_t *checked, int *problems)
{
	sqlite3_stmt	*stmt;
	struct dirent	*de;
	DIR		*d;
	char		 got[BLOB_HEX], *path, *dir;
	const char	*sha;
	int64_t		 size, want;
	int		 step, rc;

	*checked = 0;
	*problems = 0;
	stmt = store_prepare(st, "SELECT sha256, size FROM blobs ORDER BY sha256");
	if (stmt == NULL)
		return PERR_DB;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		sha = (const char *)sqlite3_column_text(stmt, 0);
		want = sqlite3_column_int64(stmt, 1);
		(*checked)++;
		if (sha == NULL || !blob_valid_sha(sha))
			continue;
		path = blob_path(st, sha);
		if (blob_hash_file(path, got, &size) != 0) {
			(*problems)++;
			fn(sha, BLOB_MISSING, arg);
		} else if (size != want) {
			(*problems)++;
			fn(sha, BLOB_SIZE, arg);
		} else if (strcmp(got, sha) != 0) {
			(*problems)++;
			fn(sha, BLOB_HASH, arg);
		}
		free(path);
	}
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE)
		return store_fail(st, "blob verify");
	dir = blob_dir(st);
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			rc = blob_valid_sha(de->d_name) ?
			    blob_known(st, de->d_name) : PERR_NOTFOUND;
			if (rc == PERR_NOTFOUND) {
				(*problems)++;
				fn(de->d_name, BLOB_STRAY, arg);
			}
		}
		closedir(d);
	}
	free(dir);
	return 0;
}
