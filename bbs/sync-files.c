/*
 * sync-files.c: FILE_GET and FILE_PUT of parta-sync (see sync-files.h
 * and man/parta-sync.5, FILES).
 *
 * Downloads: a file is named by its SHA-256 and found among the library
 * items the user may see (library_find_sha(), the rule the BBS's
 * listings and the SFTP tree share); one she may not see is refused as
 * PERR_NOTFOUND, word for word as a file that does not exist.  Each
 * chunk is read from the blob at its offset into one buffer of
 * SYNC_MAX_CHUNK bytes and sent with its own digest.  A download is
 * counted as sftp.c counts one: once it has been read from its first
 * byte to its last without a gap, over one connection or several (the
 * store keeps how far an unfinished one got).
 *
 * Uploads: held in data_dir/held/<user id>/ (library_held_dir()) as
 * "<sha>-<size>.part", which only grows at its end, so its length is
 * what the server holds and nothing else need be kept: a reconnect or a
 * restart of partad finds it as it was.  Every FILE_PUT is judged,
 * with the user's uploads locked (library_upload_lock(), which SFTP
 * takes too), against the largest file and her quota, counting what she
 * holds elsewhere (items, the upload folder, her other held uploads)
 * and this upload at its whole size, before a byte of it is stored.  A
 * chunk is stored only at the offset the server holds; any other is
 * answered with what it holds, which is how a client resumes.  When the
 * last byte is there the whole file is hashed: a mismatch drops it; a
 * match renames it to "<sha>", which a PUSH of kind library-file with
 * the field file makes into an item (library_add_held(), through the
 * request table: its UUID makes it happen once); the held file goes
 * after that push committed (sync_files_made()).  Uploads whose last
 * chunk is older than sync_upload_expiry are removed, lazily, at the
 * first FILE_PUT of a connection.
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
#include "bytes.h"
#include "i18n.h"
#include "library.h"
#include "log.h"
#include "perr.h"
#include "store.h"
#include "sync-files.h"
#include "sync-proto.h"
#include "translit.h"
#include "user.h"
#include "util.h"

#define SYNC_FILES_SAVE	(1 << 20)	/* store a download's progress
					   this often */

/* The download being followed, to count it once it is read whole. */
struct sync_files_dl {
	int64_t		 item_id;	/* 0: none */
	int64_t		 size;
	int64_t		 readto;	/* read without a gap from 0 */
	int64_t		 saved;		/* as the store has it */
	int		 counted;
};

struct sync_files {
	struct store		*st;
	int64_t			 user_id;
	int64_t			 expiry;	/* seconds */
	int			 swept;		/* stale uploads removed */
	unsigned char		*buf;		/* one chunk */
	struct sync_files_dl	 dl;
};

struct sync_files *
sync_files_new(struct store *st, const struct user *u, int64_t expiry)
{
	struct sync_files	*sf = xcalloc(1, sizeof(*sf));

	sf->st = st;
	sf->user_id = u->id;
	sf->expiry = expiry;
	return sf;
}

/* Store how far the followed download got, if it is unfinished. */
static void
sync_files_dl_save(struct sync_files *sf)
{
	struct sync_files_dl	*d = &sf->dl;

	if (d->item_id != 0 && !d->counted && d->readto > d->saved &&
	    library_download_partial(sf->st, d->item_id, sf->user_id,
	    d->readto) == 0)
		d->saved = d->readto;
}

void
sync_files_free(struct sync_files *sf)
{
	if (sf == NULL)
		return;
	sync_files_dl_save(sf);
	free(sf->buf);
	free(sf);
}

/* A chunk of n bytes at off of item it was sent: follow its download. */
static void
sync_files_dl_read(struct sync_files *sf, const struct lib_item *it,
    int64_t off, int64_t n)
{
	struct sync_files_dl	*d = &sf->dl;
	int64_t			 prior = 0;

	if (d->item_id != it->id) {
		sync_files_dl_save(sf);
		memset(d, 0, sizeof(*d));
		d->item_id = it->id;
		d->size = it->size;
		/* Go on from where an earlier connection got. */
		if (library_download_progress(sf->st, it->id, sf->user_id,
		    &prior) == 0)
			d->readto = d->saved = prior;
	}
	if (d->counted)
		return;
	if (off <= d->readto && off + n > d->readto)
		d->readto = off + n;
	if (d->readto >= d->size && (n > 0 || d->size == 0)) {
		d->counted = 1;
		(void)library_download_done(sf->st, d->item_id, sf->user_id);
		log_info("sync: download %s", it->sha256);
	} else if (d->readto - d->saved >= SYNC_FILES_SAVE)
		sync_files_dl_save(sf);
}

/* Append m to out; -1 and *cause when it does not fit. */
static int
sync_files_send(struct bytes_writer *out, const struct sync_msg *m,
    char **cause)
{
	int	 rc;

	if ((rc = sync_encode(out, m)) != 0) {
		*cause = xasprintf("sync: %s: %s", sync_type_name(m->type),
		    sync_strerror(rc));
		return -1;
	}
	return 0;
}

/* REFUSED for file sha: code, the field to blame (or NULL) and the
 * teacher's sentence (NULL: code's own). */
static int
sync_files_refuse(struct bytes_writer *out, const char *sha, int code,
    const char *field, const char *reason, char **cause)
{
	struct sync_msg	 m;

	memset(&m, 0, sizeof(m));
	m.type = SYNC_REFUSED;
	strlcpy_p(m.refused.ref, sha, sizeof(m.refused.ref));
	m.refused.code = code;
	m.refused.field = field != NULL ? field : "";
	m.refused.reason = reason != NULL ? reason : _(perr_str(code));
	return sync_files_send(out, &m, cause);
}

static int
sync_files_have(struct bytes_writer *out, const unsigned char *sha256,
    int64_t have, char **cause)
{
	struct sync_msg	 m;

	memset(&m, 0, sizeof(m));
	m.type = SYNC_FILE_HAVE;
	memcpy(m.file_have.sha256, sha256, 32);
	m.file_have.have = (uint64_t)have;
	return sync_files_send(out, &m, cause);
}

static int
sync_files_db(char **cause)
{
	*cause = xstrdup("sync: the store failed");
	return -1;
}

/* The SHA-256 of the n bytes at p into md. */
static int
sync_files_digest(const void *p, size_t n, unsigned char md[32])
{
	unsigned int	 len = 32;

	return EVP_Digest(p, n, md, &len, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

static int
sync_files_get(struct sync_files *sf, const struct user *u,
    const struct sync_msg *in, const char *sha, struct bytes_writer *out,
    char **cause)
{
	struct lib_viewer v = { u->id, (int)u->role };
	struct lib_item	*it = NULL;
	struct sync_msg	 m;
	uint64_t	 off = in->file_get.offset;
	size_t		 n;
	char		*path = NULL;
	int		 rc, fd = -1;

	rc = library_find_sha(sf->st, &v, sha, &it);
	if (rc == PERR_DB) {
		rc = sync_files_db(cause);
		goto out;
	}
	/* Past the end there is no chunk, as there is none of no file. */
	if (rc == 0 && off > (uint64_t)it->size)
		rc = PERR_NOTFOUND;
	if (rc != 0) {
		rc = sync_files_refuse(out, sha, rc, NULL, NULL, cause);
		goto out;
	}
	n = in->file_get.length;
	if (n > (uint64_t)it->size - off)
		n = (size_t)((uint64_t)it->size - off);
	if (sf->buf == NULL)
		sf->buf = xmalloc(SYNC_MAX_CHUNK);
	memset(&m, 0, sizeof(m));
	path = blob_path(sf->st, sha);
	errno = 0;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    pread_all(fd, sf->buf, n, (int64_t)off) != 0 ||
	    sync_files_digest(sf->buf, n, m.file_data.chunk_sha256) != 0) {
		log_error("sync: %s: %s", path,
		    errno != 0 ? strerror(errno) : "shorter than recorded");
		rc = sync_files_refuse(out, sha, PERR_LIB_IO, NULL, NULL, cause);
		goto out;
	}
	m.type = SYNC_FILE_DATA;
	memcpy(m.file_data.sha256, in->file_get.sha256, 32);
	m.file_data.offset = off;
	m.file_data.size = (uint64_t)it->size;
	m.file_data.data = sf->buf;
	m.file_data.len = n;
	if ((rc = sync_files_send(out, &m, cause)) == 0)
		sync_files_dl_read(sf, it, (int64_t)off, (int64_t)n);
out:
	if (fd >= 0)
		close(fd);
	free(path);
	library_item_free(it);
	return rc;
}

/* Remove the uploads in dir of digest sha held under another size than
 * keep's: the digest fixes the size, so at most one can be right, and
 * the newest word is the client's. */
static void
sync_files_drop_others(const char *dir, const char *sha, const char *keep)
{
	struct dirent	*de;
	DIR		*d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, sha, 64) == 0 &&
		    de->d_name[64] == '-' && strcmp(de->d_name, keep) != 0 &&
		    unlinkat(dirfd(d), de->d_name, 0) != 0)
			log_warn("sync: %s/%s: %s", dir, de->d_name,
			    strerror(errno));
	closedir(d);
}

/* Write the n bytes at p at off of the file at path (made if missing),
 * to the disk: 0, or -1 (logged). */
static int
sync_files_append(const char *path, const unsigned char *p, size_t n,
    int64_t off)
{
	int	 fd, rc = -1;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600)) < 0)
		goto out;
	if (pwrite_all(fd, p, n, off) != 0)
		goto out;
	/* FILE_HAVE promises these bytes: they are on the disk first. */
	if (fdatasync(fd) == 0)
		rc = 0;
out:
	if (rc != 0)
		log_error("sync: %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The whole upload at part is there: 0 if it hashes to sha, and it is
 * renamed to whole; 1 if it does not, and it is removed; -1 if it
 * cannot be read or renamed (logged). */
static int
sync_files_complete(const char *dir, const char *part, const char *whole,
    const char *sha)
{
	char	 got[BLOB_HEX];
	int64_t	 size;
	int	 fd;

	if (blob_hash_file(part, got, &size) != 0) {
		log_error("sync: %s: %s", part, strerror(errno));
		return -1;
	}
	if (strcmp(got, sha) != 0) {
		log_info("sync: upload %s arrived as %s; dropped", sha, got);
		if (unlink(part) != 0)
			log_warn("sync: %s: %s", part, strerror(errno));
		return 1;
	}
	if (rename(part, whole) != 0) {
		log_error("sync: rename %s: %s", whole, strerror(errno));
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	return 0;
}

/* REFUSED for a file larger than maxsize, or one that passes quota by
 * need bytes. */
static int
sync_files_limit(struct bytes_writer *out, const char *sha, int code,
    int64_t limit, int64_t need, char **cause)
{
	char	 lim[64], more[64], *reason;
	int	 rc;

	library_fmt_size(limit, lim, sizeof(lim));
	library_fmt_size(need, more, sizeof(more));
	if (code == PERR_LIB_TOOBIG)
		reason = xasprintf(_("File too large: the library accepts files "
		    "up to %s. Nothing was kept."), lim);
	else
		reason = xasprintf(_("Quota exceeded: your library quota is %s, "
		    "and this file needs %s more. Describe or remove your "
		    "uploads, or ask the sysop for more."), lim, more);
	rc = sync_files_refuse(out, sha, code, NULL, reason, cause);
	free(reason);
	return rc;
}

static int
sync_files_put(struct sync_files *sf, const struct sync_msg *in,
    const char *sha, struct bytes_writer *out, char **cause)
{
	const unsigned char *sha256 = in->file_put.sha256;
	int64_t		 size = (int64_t)in->file_put.size, quota, maxsize;
	int64_t		 used, held = 0, off = (int64_t)in->file_put.offset;
	struct stat	 sb;
	char		*clean = NULL, *dir = NULL, *part = NULL, *whole = NULL;
	int		 rc, lock = -1;

	if (!sf->swept) {
		/* Before this user's lock is taken: the sweep takes it. */
		sf->swept = 1;
		(void)sync_files_expire(sf->st, sf->expiry);
	}
	if (translit_clean_name(in->file_put.name, strlen(in->file_put.name),
	    &clean) != 0) {
		rc = sync_files_refuse(out, sha, PERR_LIB_NAME, "name", NULL,
		    cause);
		goto out;
	}
	if (library_limits(sf->st, sf->user_id, &quota, &maxsize) != 0) {
		rc = sync_files_db(cause);
		goto out;
	}
	if (size > maxsize) {
		rc = sync_files_limit(out, sha, PERR_LIB_TOOBIG, maxsize, 0,
		    cause);
		goto out;
	}
	dir = library_held_dir(sf->st, sf->user_id);
	whole = xasprintf("%s/%s", dir, sha);
	part = xasprintf("%s/%s-%lld.part", dir, sha, (long long)size);
	/* From the quota check through the write, no other writer of her
	 * uploads, here, in SFTP or in another session, may grow them. */
	if (library_upload_lock(sf->st, sf->user_id, &lock) != 0) {
		rc = sync_files_refuse(out, sha, PERR_LIB_IO, NULL, NULL, cause);
		goto out;
	}
	if (lstat(whole, &sb) == 0 && S_ISREG(sb.st_mode)) {
		/* Whole already: waiting for its PUSH. */
		rc = sync_files_have(out, sha256, sb.st_size, cause);
		goto out;
	}
	sync_files_drop_others(dir, sha, part + strlen(dir) + 1);
	if (lstat(part, &sb) == 0 && S_ISREG(sb.st_mode))
		held = sb.st_size;
	if (library_used(sf->st, sf->user_id, &used) != 0) {
		rc = sync_files_db(cause);
		goto out;
	}
	/* used counts this upload at what is held of it. */
	if (used - held + size > quota) {
		rc = sync_files_limit(out, sha, PERR_LIB_QUOTA, quota,
		    used - held + size - quota, cause);
		goto out;
	}
	/* Only the next bytes are stored; an empty chunk asks how many are
	 * held (but an empty file is whole at once). */
	if (off != held || (in->file_put.len == 0 && size > 0)) {
		rc = sync_files_have(out, sha256, held, cause);
		goto out;
	}
	if (sync_files_append(part, in->file_put.data, in->file_put.len,
	    off) != 0) {
		rc = sync_files_refuse(out, sha, PERR_LIB_IO, NULL, NULL, cause);
		goto out;
	}
	held += (int64_t)in->file_put.len;
	if (held == size &&
	    (rc = sync_files_complete(dir, part, whole, sha)) != 0) {
		rc = sync_files_refuse(out, sha, PERR_LIB_IO, NULL, rc < 0 ?
		    NULL : _("The file arrived damaged (its SHA-256 does not "
		    "match) and was dropped; send it again."), cause);
		goto out;
	}
	if (held == size)
		log_info("sync: upload %s of %lld bytes (\"%s\") is whole", sha,
		    (long long)size, clean);
	rc = sync_files_have(out, sha256, held, cause);
out:
	library_upload_unlock(lock);
	free(clean);
	free(dir);
	free(part);
	free(whole);
	return rc;
}

int
sync_files_answer(struct sync_files *sf, const struct sync_msg *in,
    struct bytes_writer *out, char **cause)
{
	struct user	*u = NULL;
	char		 sha[BLOB_HEX];
	int		 rc;

	*cause = NULL;
	if (in->type != SYNC_FILE_GET && in->type != SYNC_FILE_PUT) {
		*cause = xasprintf("sync: %s is not a file frame",
		    sync_type_name(in->type));
		return -1;
	}
	hex_format(in->type == SYNC_FILE_GET ? in->file_get.sha256 :
	    in->file_put.sha256, 32, sha);
	/* The account as it is now: a ban or a new role counts at once. */
	if ((rc = user_get_by_id(sf->st, sf->user_id, &u)) == PERR_DB)
		return sync_files_db(cause);
	if (rc != 0 || user_state(u) != USER_ACTIVE)
		rc = sync_files_refuse(out, sha, PERR_REQ_DENIED, NULL, NULL,
		    cause);
	else if (in->type == SYNC_FILE_GET)
		rc = sync_files_get(sf, u, in, sha, out, cause);
	else
		rc = sync_files_put(sf, in, sha, out, cause);
	user_free(u);
	return rc;
}

void
sync_files_made(struct sync_files *sf, const char *sha)
{
	char	*dir, *path;
	int	 lock;

	if (sha == NULL || !blob_valid_sha(sha) ||
	    library_upload_lock(sf->st, sf->user_id, &lock) != 0)
		return;
	dir = library_held_dir(sf->st, sf->user_id);
	path = xasprintf("%s/%s", dir, sha);
	if (unlink(path) != 0 && errno != ENOENT)
		log_warn("sync: %s: %s", path, strerror(errno));
	library_upload_unlock(lock);
	free(path);
	free(dir);
}

/* Remove user_id's held uploads in dir older than before; how many. */
static int
sync_files_expire_user(struct store *st, int64_t user_id, int64_t before)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	char		*dir;
	int		 lock, n = 0;

	if (library_upload_lock(st, user_id, &lock) != 0)
		return 0;
	dir = library_held_dir(st, user_id);
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (fstatat(dirfd(d), de->d_name, &sb,
			    AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode) ||
			    sb.st_mtime >= before)
				continue;
			if (unlinkat(dirfd(d), de->d_name, 0) != 0) {
				log_warn("sync: %s/%s: %s", dir, de->d_name,
				    strerror(errno));
				continue;
			}
			log_info("sync: held upload %s of user %lld expired",
			    de->d_name, (long long)user_id);
			n++;
		}
		closedir(d);
	}
	free(dir);
	library_upload_unlock(lock);
	return n;
}

int
sync_files_expire(struct store *st, int64_t age)
{
	struct dirent	*de;
	DIR		*d;
	char		*copy = xstrdup(store_path(st)), *base, *end;
	long long	 id;
	int		 n = 0;

	base = xasprintf("%s/held", dirname(copy));
	free(copy);
	if ((d = opendir(base)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			errno = 0;
			id = strtoll(de->d_name, &end, 10);
			if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
			    *end != '\0' || errno != 0)
				continue;
			n += sync_files_expire_user(st, id, now_unix() - age);
		}
		closedir(d);
	}
	free(base);
	return n;
}
