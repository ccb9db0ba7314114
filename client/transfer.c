/*
 * transfer.c: library files over parta-sync, in the syncer (client.h):
 * the fetches she asked for and the uploads of her outbox
 * (sync-local.h, "files"), after each round of sync, never in the
 * screens' process.
 *
 * A fetch grows CACHEDIR/files/<sha>.part at its end only, so its
 * length is where a resume starts (FILE_GET from there).  Chunks go
 * several at a time (TRANSFER_WINDOW), so a long round trip is paid
 * once per window, not per chunk; answers come in order, and a chunk
 * whose digest does not match its data is asked again, the answers
 * already on their way after it being passed over (their offset is not
 * the one awaited).  The whole file is hashed before it is renamed to
 * CACHEDIR/files/<sha>: a mismatch (a partial file damaged on her disk,
 * a blob damaged on the server's) deletes it and says so in the fetch's
 * reason.  Only a file under its final name is ever shown as fetched.
 *
 * An upload is read from CACHEDIR/uploads/<uuid>, the copy made when
 * she queued it (so the file she named may change or go).  FILE_PUT
 * without data asks what the server holds; chunks go from there, each
 * answered FILE_HAVE; once the server holds it whole (hashed and
 * matched on its side), that is noted in the outbox and the item's PUSH
 * goes, with the UUID it always had: a cut before the answer sends the
 * same PUSH again and the server makes the item once.  A refusal of a
 * chunk (the quota, the largest file, the name) refuses the item with
 * the server's reason, kept in the outbox.
 *
 * While a file moves, CACHEDIR/progress says how far (transfer_progress
 * _*()), for the screens' header.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "blob.h"
#include "bytes.h"
#include "client.h"
#include "i18n.h"
#include "log.h"
#include "perr.h"
#include "request.h"
#include "sync-local.h"
#include "sync-proto.h"
#include "util.h"

#define TRANSFER_CHUNK	(32 * 1024)	/* bytes a FILE_GET or FILE_PUT */
#define TRANSFER_WINDOW	8		/* chunks in flight */
#define TRANSFER_RETRY	3		/* bad digests of one chunk */

/* The state of one file on the move, for the progress file. */
struct transfer {
	struct link		*l;
	struct sync_local	*sl;
	const char		*dir;
	struct syncer_stats	*st;
	int			 timeout_ms;
	int64_t			 started, from, shown;
};

/* ---- the progress file ----------------------------------------------- */

static int	transfer_echo;	/* transfer_progress_echo() */

void
transfer_progress_echo(int on)
{
	if (transfer_echo && !on) {
		printf("\n");
		fflush(stdout);
	}
	transfer_echo = on;
}

void
transfer_progress_write(const char *dir, char way, int64_t done,
    int64_t total, int64_t started, int64_t from)
{
	char	*path = xasprintf("%s/progress", dir), *tmp, line[128];
	FILE	*fp;

	tmp = xasprintf("%s.tmp", path);
	if ((fp = fopen(tmp, "w")) != NULL) {
		fprintf(fp, "%c %lld %lld %lld %lld\n", way, (long long)done,
		    (long long)total, (long long)started, (long long)from);
		if (fclose(fp) == 0)
			(void)rename(tmp, path);
	}
	/* The header's own words, on the line the first fetch printed. */
	if (transfer_echo && client_files_progress(dir, line,
	    sizeof(line)) == 0) {
		printf("\r%s\033[K", line);
		fflush(stdout);
	}
	free(tmp);
	free(path);
}

void
transfer_progress_clear(const char *dir)
{
	char	*path = xasprintf("%s/progress", dir);

	(void)unlink(path);
	free(path);
}

int
transfer_progress_read(const char *dir, struct transfer_progress *p)
{
	char		*path = xasprintf("%s/progress", dir);
	struct stat	 sb;
	FILE		*fp;
	long long	 a, b, c, d;
	char		 way;
	int		 rc = -1;

	memset(p, 0, sizeof(*p));
	/* A syncer killed mid-file leaves it: old news is none. */
	if (stat(path, &sb) == 0 && (int64_t)sb.st_mtime + 60 >= now_unix() &&
	    (fp = fopen(path, "r")) != NULL) {
		if (fscanf(fp, "%c %lld %lld %lld %lld", &way, &a, &b, &c,
		    &d) == 5) {
			p->way = way;
			p->done = a;
			p->total = b;
			p->started = c;
			p->from = d;
			rc = 0;
		}
		fclose(fp);
	}
	free(path);
	return rc;
}

/* Now and then (once a second), how far t has come. */
static void
transfer_show(struct transfer *t, char way, int64_t done, int64_t total)
{
	int64_t	 now = now_unix();

	if (now == t->shown && done < total)
		return;
	t->shown = now;
	transfer_progress_write(t->dir, way, done, total, t->started, t->from);
}

/* ---- frames ------------------------------------------------------------ */

/* Encode m and send it: 0, or -1 with *cause. */
static int
transfer_send(struct transfer *t, const struct sync_msg *m, char **cause)
{
	struct bytes_writer	 w;
	int			 rc;

	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	if ((rc = sync_encode(&w, m)) != 0) {
		*cause = xasprintf(_("cannot encode a frame: %s"),
		    sync_strerror(rc));
		bytes_writer_free(&w);
		return -1;
	}
	rc = link_send(t->l, bytes_writer_data(&w), bytes_writer_len(&w),
	    cause);
	bytes_writer_free(&w);
	return rc;
}

/* The next frame that is not a NOTICE (noted for the next round) or the
 * server's own rows (applied): 0, or
 * -1 with *cause (the link, ERROR, no answer in time). */
static int
transfer_recv(struct transfer *t, struct sync_msg *m, char **cause)
{
	int	 rc;

	for (;;) {
		if ((rc = link_recv(t->l, m, t->timeout_ms, cause)) <= 0) {
			if (rc == 0)
				*cause = xstrdup(_("the server did not answer "
				    "in time"));
			return -1;
		}
		if (m->type == SYNC_ERROR) {
			*cause = xasprintf(_("the server refused: %s (%s)"),
			    sync_strerror(m->error.code),
			    m->error.reason != NULL ? m->error.reason : "");
			sync_msg_free(m);
			return -1;
		}
		if (m->type == SYNC_BATCH &&
		    (m->batch.flags & SYNC_BATCH_PUSHED)) {
			/* New rows meanwhile (stream), as if pulled. */
			if (sync_local_batch(t->sl, m) != 0) {
				*cause = xstrdup(_("cannot write the local "
				    "copy (is the disk full?)"));
				sync_msg_free(m);
				return -1;
			}
		} else if (m->type != SYNC_NOTICE)
			return 0;
		else
			t->st->noticed = 1;
		sync_msg_free(m);
	}
}

/* What the outbox was told (rc, a PERR code, logged where it failed):
 * 0, or -1 with *cause.  A note the outbox did not take ends the round:
 * going on would send or fetch again what it does not know went. */
static int
transfer_noted(int rc, char **cause)
{
	if (rc == 0)
		return 0;
	*cause = xstrdup(_("cannot write the local copy (is the disk full?)"));
	return -1;
}

/* 64 hex digits into 32 bytes; -1 if s is not a digest. */
static int
transfer_unhex(const char *s, unsigned char out[32])
{
	unsigned int	 v;
	size_t		 i;

	if (!blob_valid_sha(s))
		return -1;
	for (i = 0; i < 32; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

/* The reason a refusal m gives, for her. */
static const char *
transfer_reason(const struct sync_msg *m)
{
	return m->refused.reason != NULL && *m->refused.reason != '\0' ?
	    m->refused.reason : perr_str(m->refused.code);
}

/* ---- fetches ------------------------------------------------------------- */

/* Hash the whole of part: renamed to final if it is sha, else deleted
 * (and *why set).  0, or -1 when the disk failed (why set too). */
static int
transfer_verify(int fd, const char *part, const char *final, const char *sha,
    const char **why)
{
	char	 got[BLOB_HEX];
	int64_t	 size;

	*why = NULL;
	if (fsync(fd) != 0 || blob_hash_file(part, got, &size) != 0) {
		*why = N_("the file could not be written to the cache (is the "
		    "disk full?)");
		(void)unlink(part);
		return -1;
	}
	if (strcmp(got, sha) != 0) {
		*why = N_("the file fetched did not match its SHA-256 and was "
		    "deleted: fetch it again");
		log_warn("fetch %s: the whole file hashes to %s", sha, got);
		(void)unlink(part);
		return 0;
	}
	if (rename(part, final) != 0) {
		*why = N_("the file could not be written to the cache (is the "
		    "disk full?)");
		return -1;
	}
	return 0;
}

/* One chunk of FILE_DATA m for the fetch at *have of fd: written if it
 * is the one awaited and its digest matches.  *bad counts the chunks
 * refused for their digest; 1 when the file ended before size. */
static int
transfer_chunk(const struct sync_msg *m, int fd, int64_t size, int64_t *have,
    int64_t *next, int *bad)
{
	unsigned char	 md[32];
	unsigned int	 mdlen = sizeof(md);

	if ((int64_t)m->file_data.offset != *have)
		return 0;	/* asked before a chunk was asked again */
	if (m->file_data.len == 0)
		return *have < size;
	if (m->file_data.len > (uint64_t)(size - *have)) {
		*bad = TRANSFER_RETRY + 1;	/* more than the file holds */
		return 0;
	}
	if (EVP_Digest(m->file_data.data, m->file_data.len, md, &mdlen,
	    EVP_sha256(), NULL) != 1 ||
	    memcmp(md, m->file_data.chunk_sha256, 32) != 0) {
		log_warn("fetch: a chunk at %lld does not match its digest",
		    (long long)*have);
		(*bad)++;
		*next = *have;	/* ask again from here */
		return 0;
	}
	if (pwrite(fd, m->file_data.data, m->file_data.len, (off_t)*have) !=
	    (ssize_t)m->file_data.len) {
		*bad = TRANSFER_RETRY + 1;
		return 0;
	}
	*have += (int64_t)m->file_data.len;
	return 0;
}

/* Fetch f into the cache.  0 (done, or failed with its reason noted),
 * or -1 with *cause when the link failed (what came is kept) or the
 * outbox did not take the fetch's end (it waits still). */
static int
transfer_fetch(struct transfer *t, const struct sync_fetch *f, char **cause)
{
	struct sync_msg	 m;
	struct stat	 sb;
	unsigned char	 sha[32];
	char		*dir, *final, *part;
	const char	*why = NULL;
	int64_t		 have, next, size = -1;	/* the server's word */
	int		 fd = -1, inflight = 0, bad = 0, rc = -1, shorter = 0;

	dir = xasprintf("%s/files", t->dir);
	final = xasprintf("%s/%s", dir, f->sha);
	part = xasprintf("%s.part", final);
	if (transfer_unhex(f->sha, sha) != 0) {
		why = N_("this is not a file's digest");
		goto done;
	}
	if (stat(final, &sb) == 0)
		goto done;
	if ((mkdir(dir, 0700) != 0 && errno != EEXIST) ||
	    (fd = open(part, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0 ||
	    fstat(fd, &sb) != 0) {
		why = N_("the file could not be written to the cache (is the "
		    "disk full?)");
		goto done;
	}
	have = next = sb.st_size;
	if (f->size > 0 && have > f->size && ftruncate(fd, 0) == 0)
		have = next = 0;
	t->started = now_unix();
	t->from = have;
	/* One chunk first: its answer says the file's size, then a window
	 * of them goes out. */
	while (size < 0 || have < size || inflight > 0) {
		while (size < 0 ? inflight == 0 :
		    inflight < TRANSFER_WINDOW && next < size) {
			memset(&m, 0, sizeof(m));
			m.type = SYNC_FILE_GET;
			memcpy(m.file_get.sha256, sha, 32);
			m.file_get.offset = (uint64_t)next;
			m.file_get.length = (uint32_t)(size < 0 ||
			    size - next > TRANSFER_CHUNK ? TRANSFER_CHUNK :
			    size - next);
			if (transfer_send(t, &m, cause) != 0)
				goto out;
			next += m.file_get.length;
			inflight++;
		}
		if (transfer_recv(t, &m, cause) != 0)
			goto out;
		if (m.type == SYNC_FILE_DATA &&
		    memcmp(m.file_data.sha256, sha, 32) == 0) {
			inflight--;
			/* The size the library showed her bounds what comes:
			 * a server that says more is not believed. */
			if (size < 0 && (m.file_data.size > INT64_MAX ||
			    (f->size > 0 && (int64_t)m.file_data.size !=
			    f->size))) {
				why = N_("the server's file is not the size "
				    "the library says");
				size = next = have;
				sync_msg_free(&m);
				continue;
			}
			if (size < 0)
				size = (int64_t)m.file_data.size;
			shorter |= transfer_chunk(&m, fd, size, &have, &next,
			    &bad);
			transfer_show(t, 'd', have, size);
		} else if (m.type == SYNC_REFUSED &&
		    strcmp(m.refused.ref, f->sha) == 0) {
			/* Gone from the library, or no longer hers to see. */
			why = transfer_reason(&m);
			log_warn("fetch %s: refused: %s", f->sha, why);
			rc = transfer_noted(sync_local_fetch_end(t->sl, f->sha,
			    _(why)), cause);
			sync_msg_free(&m);
			goto out;
		}
		sync_msg_free(&m);
		if (bad > TRANSFER_RETRY || shorter) {
			/* Let what is in flight come, then give up. */
			why = shorter ? N_("the server's file is shorter than "
			    "the library says") : N_("the file's chunks kept "
			    "arriving damaged: fetch it again");
			size = next = have;
		}
	}
	if (why == NULL && transfer_verify(fd, part, final, f->sha, &why) != 0)
		log_warn("fetch %s: %s", f->sha, strerror(errno));
	else if (why != NULL)
		(void)unlink(part);
done:
	if (why == NULL)
		log_info("fetch %s: in the cache", f->sha);
	rc = transfer_noted(sync_local_fetch_end(t->sl, f->sha, why != NULL ?
	    _(why) : NULL), cause);
out:
	if (fd >= 0)
		close(fd);
	free(part);
	free(final);
	free(dir);
	return rc;
}

/* ---- uploads ------------------------------------------------------------ */

/* The item's PUSH, once the server holds the file: 0 (applied or
 * refused, as the outbox now says), or -1 with *cause. */
static int
transfer_push(struct transfer *t, const struct sync_upload *u, char **cause)
{
	struct sync_msg	 m;
	int		 rc;

	if (link_send(t->l, u->frame, u->len, cause) != 0)
		return -1;
	for (;;) {
		if (transfer_recv(t, &m, cause) != 0)
			return -1;
		rc = 1;
		if (m.type == SYNC_APPLIED &&
		    strcmp(m.applied.uuid, u->uuid) == 0) {
			if ((rc = sync_local_applied(t->sl, &m)) == 0)
				t->st->applied++;
		} else if (m.type == SYNC_REFUSED &&
		    strcmp(m.refused.ref, u->uuid) == 0) {
			if ((rc = sync_local_refused(t->sl, &m)) == 0)
				t->st->refused++;
			/* The held upload is gone (it expired): sent
			 * again, it goes whole again. */
			if (rc == 0 && m.refused.code == PERR_NOTFOUND &&
			    m.refused.field != NULL &&
			    strcmp(m.refused.field, "file") == 0)
				rc = sync_local_upload_have(t->sl, u->uuid, 0,
				    0);
		}
		sync_msg_free(&m);
		if (rc == 0)
			return 0;
		if (rc < 0) {
			*cause = xstrdup(_("cannot write the local copy (is "
			    "the disk full?)"));
			return -1;
		}
	}
}

/* A FILE_PUT of u at offset off with len bytes of fd (none: ask what
 * the server holds).  0, or -1 with *cause. */
static int
transfer_put(struct transfer *t, const struct sync_upload *u,
    const unsigned char sha[32], int fd, int64_t off, size_t len,
    unsigned char *buf, char **cause)
{
	struct sync_msg	 m;

	if (len > 0 && pread(fd, buf, len, (off_t)off) != (ssize_t)len) {
		*cause = xasprintf(_("cannot read the upload %s"), u->name);
		return -1;
	}
	memset(&m, 0, sizeof(m));
	m.type = SYNC_FILE_PUT;
	memcpy(m.file_put.sha256, sha, 32);
	m.file_put.size = (uint64_t)u->size;
	m.file_put.offset = (uint64_t)off;
	m.file_put.name = u->name;
	m.file_put.data = buf;
	m.file_put.len = len;
	return transfer_send(t, &m, cause);
}

/* Send u's bytes until the server holds them whole.  1 held whole, 0
 * refused (the item is refused in the outbox), -1 with *cause. */
static int
transfer_bytes(struct transfer *t, const struct sync_upload *u, int fd,
    char **cause)
{
	struct sync_msg	 m;
	unsigned char	 sha[32], *buf = xmalloc(TRANSFER_CHUNK);
	int64_t		 have = -1, next = 0, sent, kept = 0;
	int		 inflight = 1, stalls = 0, rc = -1;
	size_t		 len;

	if (transfer_unhex(u->sha, sha) != 0 ||
	    transfer_put(t, u, sha, fd, 0, 0, buf, cause) != 0)
		goto out;
	t->started = now_unix();
	while (have < u->size || inflight > 0) {
		while (have >= 0 && inflight < TRANSFER_WINDOW &&
		    next < u->size) {
			len = u->size - next > TRANSFER_CHUNK ? TRANSFER_CHUNK :
			    (size_t)(u->size - next);
			if (transfer_put(t, u, sha, fd, next, len, buf,
			    cause) != 0)
				goto out;
			next += (int64_t)len;
			inflight++;
		}
		if (transfer_recv(t, &m, cause) != 0)
			goto out;
		if (m.type == SYNC_FILE_HAVE &&
		    memcmp(m.file_have.sha256, sha, 32) == 0) {
			inflight--;
			if (m.file_have.have > (uint64_t)u->size) {
				*cause = xasprintf("upload %s: the server says "
				    "it holds %llu bytes of %lld", u->uuid,
				    (unsigned long long)m.file_have.have,
				    (long long)u->size);
				sync_msg_free(&m);
				goto out;
			}
			sent = (int64_t)m.file_have.have;
			if (have < 0) {		/* the first answer */
				next = sent;
				t->from = sent;
			}
			have = sent;
			if (inflight == 0 && next > have) {
				/* A chunk was not kept: again from there, but
				 * not forever to a server that keeps none. */
				if (have > kept) {
					kept = have;
					stalls = 0;
				} else if (++stalls > TRANSFER_RETRY) {
					*cause = xasprintf("upload %s: the "
					    "server keeps no more than %lld "
					    "bytes of %lld", u->uuid,
					    (long long)have, (long long)u->size);
					sync_msg_free(&m);
					goto out;
				}
				next = have;
			}
			transfer_show(t, 'u', have, u->size);
			if (transfer_noted(sync_local_upload_have(t->sl,
			    u->uuid, have, have >= u->size), cause) != 0) {
				sync_msg_free(&m);
				goto out;
			}
		} else if (m.type == SYNC_REFUSED &&
		    strcmp(m.refused.ref, u->sha) == 0) {
			log_warn("upload %s: refused: %s", u->uuid,
			    transfer_reason(&m));
			rc = transfer_noted(sync_local_upload_refused(t->sl,
			    &m), cause);
			if (rc == 0)
				t->st->refused++;
			sync_msg_free(&m);
			goto out;
		}
		sync_msg_free(&m);
	}
	rc = 1;
out:
	free(buf);
	return rc;
}

/* Send u, then its PUSH.  0, or -1 with *cause. */
static int
transfer_upload(struct transfer *t, const struct sync_upload *u, char **cause)
{
	struct sync_msg	 m;
	char		*path = xasprintf("%s/uploads/%s", t->dir, u->uuid);
	int		 fd, rc = 0;

	if (!u->whole) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			/* Nothing to send: say so where she looks. */
			memset(&m, 0, sizeof(m));
			m.type = SYNC_REFUSED;
			strlcpy_p(m.refused.ref, u->sha, sizeof(m.refused.ref));
			m.refused.code = PERR_LIB_IO;
			m.refused.field = "";
			m.refused.reason = _("the copy of the file in the cache "
			    "is gone: delete this and upload it again");
			free(path);
			return transfer_noted(sync_local_upload_refused(t->sl,
			    &m), cause);
		}
		rc = transfer_bytes(t, u, fd, cause);
		close(fd);
	} else
		rc = 1;
	if (rc == 1)
		rc = transfer_push(t, u, cause);
	free(path);
	return rc;
}

/* Remove the copy of an upload whose item left the outbox. */
static void
transfer_forget(const char *uuid, void *arg)
{
	char	*path = xasprintf("%s/uploads/%s", (const char *)arg, uuid);

	(void)unlink(path);
	free(path);
}

int
transfer_run(struct link *l, struct sync_local *sl, const char *dir,
    int timeout_ms, struct syncer_stats *st, char **cause)
{
	struct transfer		 t;
	struct sync_upload	*u = NULL;
	struct sync_fetch	*f = NULL;
	size_t			 nu = 0, nf = 0, i;
	int			 rc = 0;

	*cause = NULL;
	memset(&t, 0, sizeof(t));
	t.l = l;
	t.sl = sl;
	t.dir = dir;
	t.st = st;
	t.timeout_ms = timeout_ms;
	/* A sweep that fails (logged) loses nothing: the copies of items
	 * gone wait for the next one. */
	(void)sync_local_upload_sweep(sl, transfer_forget, (void *)dir);
	if (sync_local_uploads(sl, &u, &nu) != 0 ||
	    sync_local_fetches(sl, &f, &nf) != 0) {
		*cause = xstrdup(_("cannot read the outbox"));
		rc = -1;
	}
	for (i = 0; i < nu && rc == 0; i++)
		rc = transfer_upload(&t, &u[i], cause);
	for (i = 0; i < nf && rc == 0; i++)
		rc = transfer_fetch(&t, &f[i], cause);
	if (nu + nf > 0)
		transfer_progress_clear(dir);
	(void)sync_local_upload_sweep(sl, transfer_forget, (void *)dir);
	sync_upload_free(u, nu);
	sync_fetch_free(f, nf);
	return rc;
}

int
transfer_queue(struct sync_local *sl, const char *dir, const char *path,
    struct request *r, char **cause)
{
	char	*copy, sha[BLOB_HEX], *updir;
	int64_t	 size = 0;
	int	 in, out, rc;

	*cause = NULL;
	updir = xasprintf("%s/uploads", dir);
	copy = xasprintf("%s/%s", updir, r->uuid);
	if ((in = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		rc = PERR_LIB_IO;
		goto out;
	}
	if ((mkdir(updir, 0700) != 0 && errno != EEXIST) ||
	    (out = open(copy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) < 0) {
		*cause = xasprintf("%s: %s", copy, strerror(errno));
		close(in);
		rc = PERR_LIB_IO;
		goto out;
	}
	rc = blob_hash_copy(in, out, sha, &size);
	close(in);
	if (fsync(out) != 0 && rc == 0)
		rc = PERR_LIB_IO;
	if (close(out) != 0 && rc == 0)
		rc = PERR_LIB_IO;
	if (rc == 0) {
		r->file = sha;
		rc = sync_local_upload(sl, r, size);
		r->file = NULL;
	}
	if (rc != 0) {
		(void)unlink(copy);
		*cause = xasprintf("%s: %s", path, _(perr_str(rc)));
	}
out:
	free(copy);
	free(updir);
	return rc;
}
