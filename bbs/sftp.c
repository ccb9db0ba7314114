/*
 * sftp.c: the SFTP (version 3) server for the library (see sftp.h); the
 * session relays the channel to it (relay.c).
 *
 * The tree is virtual: nothing a client sends is ever used as a path on
 * disk.  library_vpath() resolves it inside the tree first; on disk only
 * two kinds of names are opened: a blob by its hash, and a file of the
 * user's own upload folder by a cleaned single name (no '/', no control
 * characters, no leading dot), with O_NOFOLLOW.
 *
 * Uploads: open without truncation and writes at any offset, or with
 * APPEND, so OpenSSH's "reput", psftp's "reput" and lftp's "put -c"
 * resume.  Every write is checked against the largest file size and the
 * user's quota first, counting what the user holds at that moment, with
 * their uploads locked through the write (library_upload_lock), so that
 * handles written at once, in one session or several, cannot together
 * pass the quota.  A write that would pass either limit fails with a
 * clear message and its file is removed, so nothing half-written is
 * left.  A file cut by a broken link stays, visibly partial, to be
 * resumed.
 *
 * Calendars: /events holds mine.ics (the events she signed up for or
 * organises) and ID.ics for each coming event she may see, made by
 * event_ics() when opened (or stat'ed) and read from memory: always as
 * the store is now, never kept on disk.
 *
 * Downloads: reads at any offset ("reget" resumes).  A download is
 * counted once the file has been read whole: from its first byte to its
 * last without a gap, in one handle, or in a resumed one that starts no
 * later than where the same user's unfinished download got (the store
 * keeps how far: library_download_partial).  Reads past the end, or of
 * the last bytes alone, count nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "blob.h"
#include "bytes.h"
#include "event.h"
#include "i18n.h"
#include "library.h"
#include "log.h"
#include "partad.h"
#include "perr.h"
#include "relay.h"
#include "sftp.h"
#include "store.h"
#include "text.h"
#include "translit.h"
#include "user.h"
#include "util.h"
#include "worker.h"

static int	sftpd_serve(int, struct store *, int64_t);
struct fx_handle;
struct fx_attr;
static void	ents_add(struct fx_handle *, const char *, const struct fx_attr *);
static void	sftpd_term(int);

/*
 * The child's socket, for its SIGTERM handler: shutting it down ends the
 * child's loop wherever it waits, so that it still stores how far its
 * unfinished downloads got (handle_close) before it exits.
 */
static volatile sig_atomic_t sftpd_term_fd = -1;

/* The child's work (worker.h): serve SFTP on fd for the user. */
static int
sftpd_child(int fd, struct store *st, void *arg)
{
	const struct relay_user *u = arg;

	sftpd_term_fd = fd;
	relay_child_init(st, u, sftpd_term);
	return sftpd_serve(fd, st, u->user_id);
}

struct relay *
sftpd_start(const struct relay_user *u, struct store **st, ssh_event event)
{
	struct relay_kind k = {
		.worker = "partad-sftp",
		.name = "sftp",
		.idle_timeout = server.cfg.sftp_idle_timeout,
		.run = sftpd_child,
	};

	return relay_start(&k, u, st, event);
}

/* ---- the protocol, in the child ------------------------------------ */

static void
sftpd_term(int sig)
{
	(void)sig;
	if (sftpd_term_fd >= 0)
		shutdown(sftpd_term_fd, SHUT_RDWR);	/* async-signal-safe */
}

enum {
	FXP_INIT = 1, FXP_VERSION = 2, FXP_OPEN = 3, FXP_CLOSE = 4,
	FXP_READ = 5, FXP_WRITE = 6, FXP_LSTAT = 7, FXP_FSTAT = 8,
	FXP_SETSTAT = 9, FXP_FSETSTAT = 10, FXP_OPENDIR = 11,
	FXP_READDIR = 12, FXP_REMOVE = 13, FXP_MKDIR = 14, FXP_RMDIR = 15,
	FXP_REALPATH = 16, FXP_STAT = 17, FXP_RENAME = 18, FXP_READLINK = 19,
	FXP_SYMLINK = 20,
	FXP_STATUS = 101, FXP_HANDLE = 102, FXP_DATA = 103, FXP_NAME = 104,
	FXP_ATTRS = 105,
};
enum {
	FX_OK, FX_EOF, FX_NO_SUCH_FILE, FX_PERMISSION_DENIED, FX_FAILURE,
	FX_BAD_MESSAGE, FX_NO_CONNECTION, FX_CONNECTION_LOST,
	FX_OP_UNSUPPORTED,
};
#define FXF_READ	0x01
#define FXF_WRITE	0x02
#define FXF_APPEND	0x04
#define FXF_CREAT	0x08
#define FXF_TRUNC	0x10
#define FXF_EXCL	0x20
#define ATTR_SIZE	0x01
#define ATTR_UIDGID	0x02
#define ATTR_PERM	0x04
#define ATTR_TIME	0x08

#define FX_PACKET_MAX	(512 * 1024)	/* larger than any client sends */
#define FX_READ_MAX	(64 * 1024)
/* What OpenSSH's client takes at most (SFTP_MAX_MSG_LENGTH); the
 * largest reply, a directory chunk, stays far below it. */
#define FX_REPLY_MAX	(256 * 1024)
#define FX_HANDLES	64
#define FX_DIR_CHUNK	64

struct fx_attr {
	int64_t		 size;
	uint32_t	 perm;
	int64_t		 mtime;
};

struct fx_entry {
	char		*name;
	struct fx_attr	 a;
};

enum fx_hkind { H_FREE, H_BLOB, H_UPLOAD, H_DIR, H_MEM };

struct fx_handle {
	enum fx_hkind	 kind;
	int		 fd;
	int64_t		 item_id;	/* H_BLOB */
	int64_t		 size;		/* H_BLOB: blob size; H_UPLOAD: now */
	int		 counted;	/* H_BLOB: the download was counted */
	int		 from0;		/* H_BLOB: what was read follows on
					 * from the first byte */
	int64_t		 readto;	/* H_BLOB: read, without a gap, up
					 * to here */
	int64_t		 saved;		/* H_BLOB: readto as last stored */
	int		 append;
	int		 writable;
	char		*path;		/* H_UPLOAD: on disk */
	char		*name;		/* for the log */
	int64_t		 quota, maxsize; /* H_UPLOAD: the limits at open */
	int		 failed;	/* H_UPLOAD: the PERR that ended it */
	struct fx_entry	*ents;		/* H_DIR */
	size_t		 nents, pos;
	char		*mem;		/* H_MEM: the file, made at open */
};

struct fx {
	int		 fd;
	struct store	*st;
	struct lib_viewer v;
	char		*updir;
	char		*digdir;	/* her digests (read-only) */
	struct fx_handle h[FX_HANDLES];
	struct bytes_reader in;		/* the request being read */
	struct bytes_writer out;	/* the reply being built */
	uint32_t	 out_id;	/* its request's id */
};

/* -- reading a request, building a reply (bytes.h) -- */

static void
get_attr(struct fx *x, struct fx_attr *a)
{
	struct bytes_reader *in = &x->in;
	uint32_t	 flags = bytes_get_u32(in), n, i;
	size_t		 l;

	memset(a, 0, sizeof(*a));
	a->size = -1;
	if (flags & ATTR_SIZE)
		a->size = (int64_t)bytes_get_u64(in);
	if (flags & ATTR_UIDGID) {
		(void)bytes_get_u32(in);
		(void)bytes_get_u32(in);
	}
	if (flags & ATTR_PERM)
		a->perm = bytes_get_u32(in);
	if (flags & ATTR_TIME) {
		(void)bytes_get_u32(in);
		a->mtime = bytes_get_u32(in);
	}
	if (flags & 0x80000000) {
		n = bytes_get_u32(in);
		for (i = 0; i < n && !bytes_failed(in); i++) {
			(void)bytes_get_str(in, &l);
			(void)bytes_get_str(in, &l);
		}
	}
}

static void
put_attr(struct fx *x, const struct fx_attr *a)
{
	struct bytes_writer *o = &x->out;

	bytes_put_u32(o, ATTR_SIZE | ATTR_UIDGID | ATTR_PERM | ATTR_TIME);
	bytes_put_u64(o, (uint64_t)a->size);
	bytes_put_u32(o, 0);
	bytes_put_u32(o, 0);
	bytes_put_u32(o, a->perm);
	bytes_put_u32(o, (uint32_t)a->mtime);
	bytes_put_u32(o, (uint32_t)a->mtime);
}

static const char *const fx_msgs[] = {
	"Success", "End of file", "No such file", "Permission denied",
	"Failure", "Bad message", "No connection", "Connection lost",
	"Operation unsupported",
};

/* Start a reply of type with id; fx_send() fills in the length. */
static void
reply(struct fx *x, int type, uint32_t id)
{
	bytes_writer_reset(&x->out);
	x->out_id = id;
	bytes_put_u32(&x->out, 0);
	bytes_put_u8(&x->out, (uint8_t)type);
	bytes_put_u32(&x->out, id);
}

/* Send the reply built since reply(); one that outgrew FX_REPLY_MAX is
 * not sent: a failure goes in its place. */
static int
fx_send(struct fx *x)
{
	size_t		 len;

	if (bytes_writer_failed(&x->out)) {
		log_warn("sftp: a reply over %d bytes; failing it instead",
		    FX_REPLY_MAX);
		reply(x, FXP_STATUS, x->out_id);
		bytes_put_u32(&x->out, FX_FAILURE);
		bytes_put_str(&x->out, fx_msgs[FX_FAILURE],
		    strlen(fx_msgs[FX_FAILURE]));
		bytes_put_str(&x->out, "", 0);
	}
	len = bytes_writer_len(&x->out);
	bytes_set_u32(&x->out, 0, (uint32_t)(len - 4));
	return write_all(x->fd, bytes_writer_data(&x->out), len);
}

/* Reply with a status; msg (translated already) or the code's default. */
static int
status(struct fx *x, uint32_t id, int code, const char *msg)
{
	if (msg == NULL)
		msg = fx_msgs[code];
	reply(x, FXP_STATUS, id);
	bytes_put_u32(&x->out, (uint32_t)code);
	bytes_put_str(&x->out, msg, strlen(msg));
	bytes_put_str(&x->out, "", 0);
	return fx_send(x);
}

static int
status_fmt(struct fx *x, uint32_t id, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int
status_fmt(struct fx *x, uint32_t id, int code, const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return status(x, id, code, buf);
}

/* A status for what library_vpath() or the store said. */
static int
status_perr(struct fx *x, uint32_t id, int rc)
{
	switch (rc) {
	case PERR_NOTFOUND:
		return status(x, id, FX_NO_SUCH_FILE, NULL);
	case PERR_LIB_DENIED:
		return status(x, id, FX_PERMISSION_DENIED,
		    _("The library is read-only; upload into /upload."));
	case PERR_CONTROL:
	case PERR_UTF8:
	case PERR_EMPTY:
	case PERR_TOOLONG:
		return status_fmt(x, id, FX_FAILURE, "%s: %s",
		    _("Bad file name"), _(perr_str(rc)));
	default:
		return status(x, id, FX_FAILURE, _(perr_str(rc)));
	}
}

/* -- the tree -- */

static void
attr_dir(struct fx_attr *a, int writable)
{
	a->size = 0;
	a->perm = S_IFDIR | (writable ? 0755 : 0555);
	a->mtime = now_unix();	/* a virtual folder is as new as the view */
}

/* An upload's on-disk path for name (cleaned).  Caller frees. */
static char *
upload_path(struct fx *x, const char *name)
{
	return xasprintf("%s/%s", x->updir, name);
}

/* The file of her digests folder named name. */
static char *
digest_file(struct fx *x, const char *name)
{
	return xasprintf("%s/%s", x->digdir, name);
}

/*
 * The calendar file name of /events (mine.ics or ID.ics) as the user
 * sees it now, into *out (caller frees): 0, or PERR_NOTFOUND.
 */
static int
events_file(struct fx *x, const char *name, char **out)
{
	struct event_query q = { .from = now_unix(), .mine = 1,
	    .cancelled = 1 };
	struct event	*v = NULL;
	struct user	*u = NULL;
	char		*end;
	size_t		 n = 0;
	long long	 id;
	int		 rc;

	*out = NULL;
	if ((rc = user_get_by_id(x->st, x->v.user_id, &u)) != 0)
		return rc;
	if (strcmp(name, "mine.ics") == 0)
		rc = event_list(x->st, u, &q, &v, &n);
	else {
		id = strtoll(name, &end, 10);
		if (id <= 0 || strcmp(end, ".ics") != 0)
			rc = PERR_NOTFOUND;
		else if ((rc = event_get(x->st, u, id, &v)) == 0)
			n = 1;
		if (rc == PERR_NO_READ)
			rc = PERR_NOTFOUND;	/* not hers to know of */
	}
	if (rc == 0 && (*out = event_ics(v, n)) == NULL)
		rc = PERR_DB;
	event_list_free(v, n);
	user_free(u);
	return rc;
}

/* The entries of /events: her own calendar, then each coming event. */
static int
events_dir(struct fx *x, struct fx_handle *h)
{
	struct event_query q = { .from = now_unix() };
	struct event	*v = NULL;
	struct user	*u = NULL;
	struct fx_attr	 a;
	char		*ics, name[32];
	size_t		 n = 0, i;
	int		 rc;

	if ((rc = events_file(x, "mine.ics", &ics)) != 0)
		return rc;
	a.size = (int64_t)strlen(ics);
	a.perm = S_IFREG | 0444;
	a.mtime = now_unix();
	ents_add(h, "mine.ics", &a);
	free(ics);
	if ((rc = user_get_by_id(x->st, x->v.user_id, &u)) == 0)
		rc = event_list(x->st, u, &q, &v, &n);
	for (i = 0; rc == 0 && i < n; i++) {
		if ((ics = event_ics(&v[i], 1)) == NULL) {
			rc = PERR_DB;
			break;
		}
		a.size = (int64_t)strlen(ics);
		a.mtime = v[i].updated_at;
		free(ics);
		snprintf(name, sizeof(name), "%lld.ics", (long long)v[i].id);
		ents_add(h, name, &a);
	}
	event_list_free(v, n);
	user_free(u);
	return rc;
}

/*
 * Look up vp: 0 and a (for an item also *it, caller frees), or a PERR
 * code.
 */
static int
tree_stat(struct fx *x, const struct lib_vpath *vp, struct fx_attr *a,
    struct lib_item **it)
{
	struct stat	 sb;
	char		*path;
	int		 rc;

	*it = NULL;
	memset(a, 0, sizeof(*a));
	switch (vp->kind) {
	case LV_ROOT:
	case LV_LIBRARY:
	case LV_ASCII:
	case LV_DIGESTS:
	case LV_EVENTS:
		attr_dir(a, 0);
		return 0;
	case LV_UPLOAD:
		attr_dir(a, 1);
		return 0;
	case LV_EVENT_FILE:
		if ((rc = events_file(x, vp->name, &path)) != 0)
			return rc;
		a->size = (int64_t)strlen(path);
		a->perm = S_IFREG | 0444;
		a->mtime = now_unix();
		free(path);
		return 0;
	case LV_SECTION:
	case LV_ASCII_SECTION:
		if ((rc = library_section_exists(x->st, vp->section, NULL)) == 0)
			attr_dir(a, 0);
		return rc;
	case LV_ITEM:
	case LV_ASCII_ITEM:
		rc = library_find_file(x->st, &x->v, vp->section, vp->name,
		    vp->kind == LV_ASCII_ITEM, it);
		if (rc != 0)
			return rc;
		a->size = (*it)->size;
		a->perm = S_IFREG | 0444;
		a->mtime = (*it)->created_at;
		return 0;
	case LV_UPLOAD_FILE:
	case LV_DIGEST_FILE:
		path = vp->kind == LV_DIGEST_FILE ? digest_file(x, vp->name) :
		    upload_path(x, vp->name);
		rc = lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? 0 :
		    PERR_NOTFOUND;
		free(path);
		if (rc == 0) {
			a->size = sb.st_size;
			a->perm = S_IFREG | (vp->kind == LV_DIGEST_FILE ? 0444 :
			    0644);
			a->mtime = sb.st_mtime;
		}
		return rc;
	}
	return PERR_NOTFOUND;
}

/* Resolve the path argument of a request. */
static int
get_path(struct fx *x, struct lib_vpath *vp)
{
	size_t		 len;
	const char	*s = bytes_get_str(&x->in, &len);

	if (bytes_failed(&x->in))
		return PERR_NOTFOUND;
	return library_vpath(s, len, vp);
}

static struct fx_handle *
handle_new(struct fx *x, enum fx_hkind kind, uint32_t *idx)
{
	uint32_t	 i;

	for (i = 0; i < FX_HANDLES; i++)
		if (x->h[i].kind == H_FREE) {
			memset(&x->h[i], 0, sizeof(x->h[i]));
			x->h[i].kind = kind;
			x->h[i].fd = -1;
			*idx = i;
			return &x->h[i];
		}
	return NULL;
}

static struct fx_handle *
get_handle(struct fx *x)
{
	size_t		 len;
	const char	*s = bytes_get_str(&x->in, &len);
	char		 buf[16];
	unsigned long	 i;

	if (bytes_failed(&x->in) || len == 0 || len >= sizeof(buf))
		return NULL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	i = strtoul(buf, NULL, 10);
	if (i >= FX_HANDLES || x->h[i].kind == H_FREE)
		return NULL;
	return &x->h[i];
}

static int
reply_handle(struct fx *x, uint32_t id, uint32_t idx)
{
	char	 buf[16];
	int	 n = snprintf(buf, sizeof(buf), "%u", idx);

	reply(x, FXP_HANDLE, id);
	bytes_put_str(&x->out, buf, (size_t)n);
	return fx_send(x);
}

static void
handle_close(struct fx *x, struct fx_handle *h)
{
	size_t	 i;

	/* An unfinished download: remember how far, for a resume. */
	if (h->kind == H_BLOB && h->from0 && !h->counted && h->readto > h->saved)
		(void)library_download_partial(x->st, h->item_id, x->v.user_id,
		    h->readto);
	if (h->fd >= 0)
		close(h->fd);
	if (h->kind == H_UPLOAD && h->writable)
		log_info("upload %s: %lld bytes", h->name, (long long)h->size);
	for (i = 0; i < h->nents; i++)
		free(h->ents[i].name);
	free(h->ents);
	free(h->path);
	free(h->name);
	free(h->mem);
	memset(h, 0, sizeof(*h));
	h->kind = H_FREE;
	h->fd = -1;
}

static void
ents_add(struct fx_handle *h, const char *name, const struct fx_attr *a)
{
	h->ents = xrealloc(h->ents, (h->nents + 1) * sizeof(*h->ents));
	h->ents[h->nents].name = xstrdup(name);
	h->ents[h->nents].a = *a;
	h->nents++;
}

/* Fill a directory handle with the entries of vp. */
static int
dir_fill(struct fx *x, const struct lib_vpath *vp, struct fx_handle *h)
{
	static const char *const top[] = { "library", "ascii", "upload",
	    "digests", "events" };
	struct lib_section *secs;
	struct lib_item	*items;
	struct lib_filter f;
	struct fx_attr	 a;
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	char		*clean;
	size_t		 n, i;
	int		 rc;

	switch (vp->kind) {
	case LV_ROOT:
		for (i = 0; i < nitems(top); i++) {
			attr_dir(&a, i == 2);
			ents_add(h, top[i], &a);
		}
		return 0;
	case LV_LIBRARY:
	case LV_ASCII:
		if ((rc = library_section_list(x->st, &secs, &n)) != 0)
			return rc;
		attr_dir(&a, 0);
		for (i = 0; i < n; i++)
			ents_add(h, secs[i].name, &a);
		library_section_list_free(secs, n);
		return 0;
	case LV_SECTION:
	case LV_ASCII_SECTION:
		if ((rc = library_section_exists(x->st, vp->section, NULL)) != 0)
			return rc;
		memset(&f, 0, sizeof(f));
		f.section = vp->section;
		f.files_only = 1;
		if ((rc = library_list(x->st, &x->v, &f, &items, &n)) != 0)
			return rc;
		/* Pending items too, for those who may see them: an
		 * expert reads a file before approving it. */
		for (i = 0; i < n; i++) {
			a.size = items[i].size;
			a.perm = S_IFREG | 0444;
			a.mtime = items[i].created_at;
			ents_add(h, vp->kind == LV_SECTION ? items[i].filename :
			    items[i].filename_ascii, &a);
		}
		library_list_free(items, n);
		return 0;
	case LV_UPLOAD:
	case LV_DIGESTS:
		if ((d = opendir(vp->kind == LV_DIGESTS ? x->digdir :
		    x->updir)) == NULL)
			return PERR_LIB_IO;
		while ((de = readdir(d)) != NULL) {
			if (fstatat(dirfd(d), de->d_name, &sb,
			    AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
				continue;
			/* Only names the tree could have made. */
			if (translit_clean_name(de->d_name, strlen(de->d_name),
			    &clean) == 0 && strcmp(clean, de->d_name) == 0) {
				a.size = sb.st_size;
				a.perm = S_IFREG | (vp->kind == LV_DIGESTS ?
				    0444 : 0644);
				a.mtime = sb.st_mtime;
				ents_add(h, de->d_name, &a);
			}
			free(clean);
		}
		closedir(d);
		return 0;
	case LV_EVENTS:
		return events_dir(x, h);
	default:
		return PERR_NOTFOUND;
	}
}

/* "-rw-r--r--    1 parta    parta      1234 Nov 22 13:50 name", as
 * OpenSSH's ls -l shows it. */
static char *
longname(const char *name, const struct fx_attr *a)
{
	char		 mode[11], date[32];
	int		 i;

	mode[0] = S_ISDIR(a->perm) ? 'd' : '-';
	for (i = 0; i < 9; i++)
		mode[i + 1] = (a->perm & (0400u >> i)) ? "rwxrwxrwx"[i] : '-';
	mode[10] = '\0';
	text_date(a->mtime, TEXT_DATE_LS, date, sizeof(date));
	return xasprintf("%s    1 %-8s %-8s %8lld %s %s", mode, "parta", "parta",
	    (long long)a->size, date, name);
}

static int
reply_attr(struct fx *x, uint32_t id, const struct fx_attr *a)
{
	reply(x, FXP_ATTRS, id);
	put_attr(x, a);
	return fx_send(x);
}

static int
fx_realpath(struct fx *x, uint32_t id)
{
	struct lib_vpath vp;
	struct fx_attr	 a;
	int		 rc;

	if ((rc = get_path(x, &vp)) != 0)
		return status_perr(x, id, rc);
	memset(&a, 0, sizeof(a));
	reply(x, FXP_NAME, id);
	bytes_put_u32(&x->out, 1);
	bytes_put_str(&x->out, vp.canon, strlen(vp.canon));
	bytes_put_str(&x->out, vp.canon, strlen(vp.canon));
	bytes_put_u32(&x->out, 0);		/* no attributes */
	library_vpath_free(&vp);
	return fx_send(x);
}

static int
fx_stat(struct fx *x, uint32_t id)
{
	struct lib_vpath vp;
	struct lib_item	*it;
	struct fx_attr	 a;
	int		 rc;

	if ((rc = get_path(x, &vp)) != 0)
		return status_perr(x, id, rc);
	rc = tree_stat(x, &vp, &a, &it);
	library_item_free(it);
	library_vpath_free(&vp);
	return rc != 0 ? status_perr(x, id, rc) : reply_attr(x, id, &a);
}

static int
fx_fstat(struct fx *x, uint32_t id)
{
	struct fx_handle *h = get_handle(x);
	struct fx_attr	 a;

	if (h == NULL)
		return status(x, id, FX_FAILURE, _("Invalid handle"));
	memset(&a, 0, sizeof(a));
	if (h->kind == H_DIR)
		attr_dir(&a, 0);
	else {
		a.size = h->size;
		a.perm = S_IFREG | (h->kind == H_BLOB || h->kind == H_MEM ?
		    0444 : 0644);
		a.mtime = now_unix();
	}
	return reply_attr(x, id, &a);
}

static int
fx_opendir(struct fx *x, uint32_t id)
{
	struct lib_vpath vp;
	struct fx_handle *h;
	uint32_t	 idx;
	int		 rc;

	if ((rc = get_path(x, &vp)) != 0)
		return status_perr(x, id, rc);
	if ((h = handle_new(x, H_DIR, &idx)) == NULL) {
		library_vpath_free(&vp);
		return status(x, id, FX_FAILURE, _("Too many open files"));
	}
	rc = dir_fill(x, &vp, h);
	library_vpath_free(&vp);
	if (rc != 0) {
		handle_close(x, h);
		return status_perr(x, id, rc);
	}
	return reply_handle(x, id, idx);
}

static int
fx_readdir(struct fx *x, uint32_t id)
{
	struct fx_handle *h = get_handle(x);
	size_t		 i, n;
	char		*ln;

	if (h == NULL || h->kind != H_DIR)
		return status(x, id, FX_FAILURE, _("Invalid handle"));
	if (h->pos >= h->nents)
		return status(x, id, FX_EOF, NULL);
	n = h->nents - h->pos;
	if (n > FX_DIR_CHUNK)
		n = FX_DIR_CHUNK;
	reply(x, FXP_NAME, id);
	bytes_put_u32(&x->out, (uint32_t)n);
	for (i = h->pos; i < h->pos + n; i++) {
		ln = longname(h->ents[i].name, &h->ents[i].a);
		bytes_put_str(&x->out, h->ents[i].name, strlen(h->ents[i].name));
		bytes_put_str(&x->out, ln, strlen(ln));
		put_attr(x, &h->ents[i].a);
		free(ln);
	}
	h->pos += n;
	return fx_send(x);
}

static int
fx_close(struct fx *x, uint32_t id)
{
	struct fx_handle *h = get_handle(x);

	if (h == NULL)
		return status(x, id, FX_FAILURE, _("Invalid handle"));
	handle_close(x, h);
	return status(x, id, FX_OK, NULL);
}

static int
quota_status(struct fx *x, uint32_t id, int rc, int64_t limit)
{
	char	 lim[64];

	library_fmt_size(limit, lim, sizeof(lim));
	if (rc == PERR_LIB_TOOBIG)
		return status_fmt(x, id, FX_FAILURE, _("File too large: the "
		    "library accepts files up to %s. Nothing was kept."), lim);
	return status_fmt(x, id, FX_FAILURE, _("Quota exceeded: your library "
	    "quota is %s. Nothing was kept; describe or remove your uploads, "
	    "or ask the sysop for more."), lim);
}

/* Open an upload for writing (flags as the client gave them). */
static int
open_upload(struct fx *x, uint32_t id, const struct lib_vpath *vp,
    uint32_t pflags)
{
	struct fx_handle *h;
	struct stat	 sb;
	int64_t		 quota, maxsize, used, before = 0;
	uint32_t	 idx;
	char		*path = upload_path(x, vp->name);
	int		 fd, flags, created;

	if (library_limits(x->st, x->v.user_id, &quota, &maxsize) != 0 ||
	    library_used(x->st, x->v.user_id, &used) != 0) {
		free(path);
		return status_perr(x, id, PERR_DB);
	}
	if (lstat(path, &sb) == 0) {
		if (!S_ISREG(sb.st_mode)) {
			free(path);
			return status(x, id, FX_PERMISSION_DENIED, NULL);
		}
		before = sb.st_size;
	}
	created = before == 0 && access(path, F_OK) != 0;
	if (used - before >= quota) {
		free(path);
		return quota_status(x, id, PERR_LIB_QUOTA, quota);
	}
	flags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC;
	if (pflags & FXF_CREAT)
		flags |= O_CREAT;
	if (pflags & FXF_TRUNC)
		flags |= O_TRUNC;
	if (pflags & FXF_EXCL)
		flags |= O_EXCL;
	if ((fd = open(path, flags, 0600)) < 0 || fstat(fd, &sb) != 0) {
		int	 e = errno;

		if (fd >= 0)
			close(fd);
		free(path);
		return status(x, id, e == ENOENT ? FX_NO_SUCH_FILE :
		    e == EEXIST ? FX_FAILURE : FX_PERMISSION_DENIED, NULL);
	}
	if ((h = handle_new(x, H_UPLOAD, &idx)) == NULL) {
		close(fd);
		if (created)
			unlink(path);
		free(path);
		return status(x, id, FX_FAILURE, _("Too many open files"));
	}
	h->fd = fd;
	h->writable = 1;
	h->append = (pflags & FXF_APPEND) != 0;
	h->size = sb.st_size;
	h->path = path;
	h->name = xstrdup(vp->name);
	h->quota = quota;
	h->maxsize = maxsize;
	return reply_handle(x, id, idx);
}

/* Open a calendar file of /events: made now, read from memory. */
static int
open_events(struct fx *x, uint32_t id, const struct lib_vpath *vp)
{
	struct fx_handle *h;
	uint32_t	 idx;
	char		*ics;
	int		 rc;

	if ((rc = events_file(x, vp->name, &ics)) != 0)
		return status_perr(x, id, rc);
	if ((h = handle_new(x, H_MEM, &idx)) == NULL) {
		free(ics);
		return status(x, id, FX_FAILURE, _("Too many open files"));
	}
	h->mem = ics;
	h->size = (int64_t)strlen(ics);
	h->name = xstrdup(vp->canon);
	log_info("calendar %s", vp->canon);
	return reply_handle(x, id, idx);
}

static int
fx_open(struct fx *x, uint32_t id)
{
	struct lib_vpath vp;
	struct lib_item	*it = NULL;
	struct fx_handle *h;
	struct fx_attr	 a;
	uint32_t	 pflags, idx;
	char		*path = NULL;
	int		 rc, fd = -1;

	if ((rc = get_path(x, &vp)) != 0) {
		if (bytes_failed(&x->in))
			return status(x, id, FX_BAD_MESSAGE, NULL);
		return status_perr(x, id, rc);
	}
	pflags = bytes_get_u32(&x->in);
	get_attr(x, &a);
	if (bytes_failed(&x->in)) {
		rc = status(x, id, FX_BAD_MESSAGE, NULL);
		goto out;
	}
	if (vp.kind == LV_UPLOAD_FILE && (pflags & FXF_WRITE)) {
		rc = open_upload(x, id, &vp, pflags);
		goto out;
	}
	if (pflags & (FXF_WRITE | FXF_APPEND | FXF_CREAT | FXF_TRUNC)) {
		rc = status_perr(x, id, PERR_LIB_DENIED);
		goto out;
	}
	if (vp.kind == LV_EVENT_FILE) {
		rc = open_events(x, id, &vp);
		goto out;
	}
	if ((rc = tree_stat(x, &vp, &a, &it)) != 0) {
		rc = status_perr(x, id, rc);
		goto out;
	}
	if (S_ISDIR(a.perm)) {
		rc = status(x, id, FX_FAILURE, _("This is a folder"));
		goto out;
	}
	path = it != NULL ? blob_path(x->st, it->sha256) :
	    vp.kind == LV_DIGEST_FILE ? digest_file(x, vp.name) :
	    upload_path(x, vp.name);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		log_error("%s: %s", path, strerror(errno));
		rc = status(x, id, FX_FAILURE, _(perr_str(PERR_LIB_IO)));
		goto out;
	}
	if ((h = handle_new(x, it != NULL ? H_BLOB : H_UPLOAD, &idx)) == NULL) {
		close(fd);
		rc = status(x, id, FX_FAILURE, _("Too many open files"));
		goto out;
	}
	h->fd = fd;
	h->size = a.size;
	h->item_id = it != NULL ? it->id : 0;
	h->name = xstrdup(vp.canon);
	rc = reply_handle(x, id, idx);
out:
	free(path);
	library_item_free(it);
	library_vpath_free(&vp);
	return rc;
}

#define DL_SAVE	(1 << 20)	/* store a download's progress this often */

/* A read of n bytes at off from a library file: count the download once
 * it has been read whole (see the top of this file). */
static void
download_read(struct fx *x, struct fx_handle *h, int64_t off, int64_t n)
{
	int64_t	 prior;

	if (off == 0 && !h->from0) {
		h->from0 = 1;
		h->readto = 0;
	} else if (!h->from0 && h->readto == 0) {
		/* The first read, not at the start: a resume, if the same
		 * user's earlier download got this far. */
		if (library_download_progress(x->st, h->item_id, x->v.user_id,
		    &prior) == 0 && prior > 0 && off <= prior) {
			h->from0 = 1;
			h->readto = h->saved = prior;
		} else
			h->readto = -1;	/* nothing to follow on from */
	}
	if (!h->from0)
		return;
	if (off <= h->readto && off + n > h->readto)
		h->readto = off + n;
	if (h->readto >= h->size && (n > 0 || h->size == 0)) {
		h->counted = 1;
		(void)library_download_done(x->st, h->item_id, x->v.user_id);
		log_info("download %s", h->name);
	} else if (h->readto - h->saved >= DL_SAVE) {
		/* Now and then, so that a broken link loses little. */
		if (library_download_partial(x->st, h->item_id, x->v.user_id,
		    h->readto) == 0)
			h->saved = h->readto;
	}
}

static int
fx_read(struct fx *x, uint32_t id)
{
	struct fx_handle *h = get_handle(x);
	uint64_t	 off = bytes_get_u64(&x->in);
	uint32_t	 len = bytes_get_u32(&x->in);
	unsigned char	*buf;
	ssize_t		 n;

	if (bytes_failed(&x->in))
		return status(x, id, FX_BAD_MESSAGE, NULL);
	if (len > FX_READ_MAX)
		len = FX_READ_MAX;
	if (h != NULL && h->kind == H_MEM) {
		if (off >= (uint64_t)h->size)
			return status(x, id, FX_EOF, NULL);
		if (len > (uint64_t)h->size - off)
			len = (uint32_t)((uint64_t)h->size - off);
		reply(x, FXP_DATA, id);
		bytes_put_str(&x->out, h->mem + off, len);
		return fx_send(x);
	}
	if (h == NULL || (h->kind != H_BLOB && h->kind != H_UPLOAD) || h->fd < 0)
		return status(x, id, FX_FAILURE, _("Invalid handle"));
	buf = xmalloc(len > 0 ? len : 1);
	do
		n = pread(h->fd, buf, len, (off_t)off);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		free(buf);
		return status(x, id, FX_FAILURE, strerror(errno));
	}
	if (h->kind == H_BLOB && !h->counted)
		download_read(x, h, (int64_t)off, (int64_t)n);
	if (n == 0) {
		free(buf);
		return status(x, id, FX_EOF, NULL);
	}
	reply(x, FXP_DATA, id);
	bytes_put_str(&x->out, (const char *)buf, (size_t)n);
	free(buf);
	return fx_send(x);
}

/* Refuse an upload past a limit: the partial file goes. */
static int
upload_fail(struct fx *x, uint32_t id, struct fx_handle *h, int rc,
    int64_t limit)
{
	log_info("upload %s refused: %s", h->name, perr_str(rc));
	close(h->fd);
	h->fd = -1;
	h->writable = 0;
	h->failed = rc;		/* later writes on this handle fail alike */
	if (unlink(h->path) != 0 && errno != ENOENT)
		log_warn("%s: %s", h->path, strerror(errno));
	return quota_status(x, id, rc, limit);
}

/*
 * Check a write of len bytes at *off (the end, for APPEND) against the
 * limits, with the uploads locked: against the file's size now, which
 * another handle may have grown, and what the user holds now, in every
 * session.  0 and *end, the file's size after the write, or a PERR.
 */
static int
upload_check(struct fx *x, struct fx_handle *h, uint64_t *off, size_t len,
    int64_t *end)
{
	struct stat	 sb;
	int64_t		 used;

	if (fstat(h->fd, &sb) != 0)
		return PERR_LIB_IO;
	if (h->append)
		*off = (uint64_t)sb.st_size;
	if (*off > (uint64_t)INT64_MAX - len)
		return PERR_LIB_TOOBIG;
	*end = (int64_t)(*off + len);
	if (*end < sb.st_size)
		*end = sb.st_size;
	if (*end > h->maxsize)
		return PERR_LIB_TOOBIG;
	if (library_used(x->st, x->v.user_id, &used) != 0)
		return PERR_DB;
	/* used counts this file at its size now, unless it was removed. */
	if (sb.st_nlink > 0)
		used -= sb.st_size;
	return used + *end > h->quota ? PERR_LIB_QUOTA : 0;
}

static int
fx_write(struct fx *x, uint32_t id)
{
	struct fx_handle *h = get_handle(x);
	uint64_t	 off = bytes_get_u64(&x->in);
	size_t		 len;
	const char	*data = bytes_get_str(&x->in, &len);
	int64_t		 end = 0;
	int		 rc, lock, werr = 0;

	if (bytes_failed(&x->in))
		return status(x, id, FX_BAD_MESSAGE, NULL);
	if (h == NULL || (h->kind != H_BLOB && h->kind != H_UPLOAD))
		return status(x, id, FX_FAILURE, _("Invalid handle"));
	if (h->failed != 0)
		return quota_status(x, id, h->failed,
		    h->failed == PERR_LIB_TOOBIG ? h->maxsize : h->quota);
	if (!h->writable)
		return status_perr(x, id, PERR_LIB_DENIED);
	/* From the check through the write, no other writer of this
	 * user's uploads, here or in another session, may grow them. */
	if ((rc = library_upload_lock(x->st, x->v.user_id, &lock)) != 0)
		return status_perr(x, id, rc);
	rc = upload_check(x, h, &off, len, &end);
	if (rc == 0 && pwrite_all(h->fd, data, len, (int64_t)off) != 0)
		werr = errno;
	library_upload_unlock(lock);
	if (rc == PERR_LIB_TOOBIG || rc == PERR_LIB_QUOTA)
		return upload_fail(x, id, h, rc,
		    rc == PERR_LIB_TOOBIG ? h->maxsize : h->quota);
	if (rc != 0)
		return status_perr(x, id, rc);
	if (werr != 0)
		return status(x, id, FX_FAILURE, strerror(werr));
	h->size = end;
	return status(x, id, FX_OK, NULL);
}

static void
set_times(int fd, const char *path, const struct fx_attr *a)
{
	struct timespec	 ts[2];

	if (a->mtime == 0)
		return;
	ts[0].tv_sec = ts[1].tv_sec = (time_t)a->mtime;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	if (fd >= 0)
		(void)futimens(fd, ts);
	else if (path != NULL)
		(void)utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW);
}

static int
fx_setstat(struct fx *x, uint32_t id)
{
	struct lib_vpath vp;
	struct fx_attr	 a;
	char		*path;
	int		 rc;

	if ((rc = get_path(x, &vp)) != 0)
		return status_perr(x, id, rc);
	get_attr(x, &a);
	if (bytes_failed(&x->in))
		rc = status(x, id, FX_BAD_MESSAGE, NULL);
	else if (vp.kind == LV_UPLOAD)
		rc = status(x, id, FX_OK, NULL);
	else if (vp.kind != LV_UPLOAD_FILE)
		rc = status_perr(x, id, PERR_LIB_DENIED);
	else {
		/* Times only: a size change goes through open and write. */
		path = upload_path(x, vp.name);
		if (access(path, F_OK) != 0)
			rc = status(x, id, FX_NO_SUCH_FILE, NULL);
		else {
			set_times(-1, path, &a);
			rc = status(x, id, FX_OK, NULL);
		}
		free(path);
	}
	library_vpath_free(&vp);
	return rc;
}

static int
fx_fsetstat(struct fx *x, uint32_t id)
{
	struct fx_handle *h = get_handle(x);
	struct fx_attr	 a;

	get_attr(x, &a);
	if (bytes_failed(&x->in))
		return status(x, id, FX_BAD_MESSAGE, NULL);
	if (h == NULL)
		return status(x, id, FX_FAILURE, _("Invalid handle"));
	if (h->kind != H_UPLOAD || !h->writable)
		return status_perr(x, id, PERR_LIB_DENIED);
	set_times(h->fd, NULL, &a);
	return status(x, id, FX_OK, NULL);
}

static int
fx_remove(struct fx *x, uint32_t id)
{
	struct lib_vpath vp;
	char		*path;
	int		 rc;

	if ((rc = get_path(x, &vp)) != 0)
		return status_perr(x, id, rc);
	if (vp.kind != LV_UPLOAD_FILE)
		rc = status_perr(x, id, PERR_LIB_DENIED);
	else {
		path = upload_path(x, vp.name);
		rc = unlink(path) == 0 ? status(x, id, FX_OK, NULL) :
		    status(x, id, FX_NO_SUCH_FILE, NULL);
		free(path);
	}
	library_vpath_free(&vp);
	return rc;
}

static int
fx_rename(struct fx *x, uint32_t id)
{
	struct lib_vpath from, to;
	char		*a, *b;
	int		 rc;

	if ((rc = get_path(x, &from)) != 0)
		return status_perr(x, id, rc);
	if ((rc = get_path(x, &to)) != 0) {
		library_vpath_free(&from);
		return status_perr(x, id, rc);
	}
	if (from.kind != LV_UPLOAD_FILE || to.kind != LV_UPLOAD_FILE)
		rc = status_perr(x, id, PERR_LIB_DENIED);
	else {
		a = upload_path(x, from.name);
		b = upload_path(x, to.name);
		/* Version 3: renaming onto an existing file fails. */
		if (access(b, F_OK) == 0)
			rc = status(x, id, FX_FAILURE, _("A file of that name exists"));
		else if (rename(a, b) != 0)
			rc = status(x, id, errno == ENOENT ? FX_NO_SUCH_FILE :
			    FX_FAILURE, NULL);
		else
			rc = status(x, id, FX_OK, NULL);
		free(a);
		free(b);
	}
	library_vpath_free(&from);
	library_vpath_free(&to);
	return rc;
}

static int
fx_mkdir(struct fx *x, uint32_t id)
{
	return status(x, id, FX_PERMISSION_DENIED,
	    _("Folders cannot be made here; upload files into /upload."));
}

static int
fx_unsupported(struct fx *x, uint32_t id)
{
	return status(x, id, FX_OP_UNSUPPORTED, NULL);
}

static const struct {
	int	 type;
	int	(*fn)(struct fx *, uint32_t);
} fx_ops[] = {
	{ FXP_OPEN, fx_open },
	{ FXP_CLOSE, fx_close },
	{ FXP_READ, fx_read },
	{ FXP_WRITE, fx_write },
	{ FXP_LSTAT, fx_stat },
	{ FXP_STAT, fx_stat },
	{ FXP_FSTAT, fx_fstat },
	{ FXP_SETSTAT, fx_setstat },
	{ FXP_FSETSTAT, fx_fsetstat },
	{ FXP_OPENDIR, fx_opendir },
	{ FXP_READDIR, fx_readdir },
	{ FXP_REMOVE, fx_remove },
	{ FXP_MKDIR, fx_mkdir },
	{ FXP_RMDIR, fx_mkdir },
	{ FXP_REALPATH, fx_realpath },
	{ FXP_RENAME, fx_rename },
};

/* Read exactly n bytes: 1, 0 on EOF before any, -1 on error. */
static int
read_full(int fd, unsigned char *buf, size_t n)
{
	size_t	 got = 0;
	ssize_t	 r;

	while (got < n) {
		r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return got == 0 && r == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return 1;
}

/*
 * The child's side: serve SFTP on fd until EOF, for user_id (the store is
 * borrowed).  Returns the exit status.
 */
static int
sftpd_serve(int fd, struct store *st, int64_t user_id)
{
	struct fx	 x;
	struct user	*u = NULL;
	unsigned char	 hdr[4], *buf = NULL;
	uint32_t	 len, id;
	size_t		 i;
	int		 type, rc = 0, r;

	memset(&x, 0, sizeof(x));
	x.fd = fd;
	x.st = st;
	bytes_writer_init(&x.out, FX_REPLY_MAX);
	if (user_get_by_id(st, user_id, &u) != 0)
		return 1;
	x.v.user_id = user_id;
	x.v.role = (int)u->role;
	user_free(u);
	x.updir = library_upload_dir(st, user_id);
	x.digdir = library_digest_dir(st, user_id);
	for (i = 0; i < FX_HANDLES; i++) {
		x.h[i].kind = H_FREE;
		x.h[i].fd = -1;
	}
	buf = xmalloc(FX_PACKET_MAX);
	for (;;) {
		if ((r = read_full(fd, hdr, 4)) <= 0)
			break;
		bytes_reader_init(&x.in, hdr, sizeof(hdr));
		len = bytes_get_u32(&x.in);
		if (len < 1 || len > FX_PACKET_MAX) {
			log_warn("sftp: a packet of %u bytes; hanging up", len);
			rc = 1;
			break;
		}
		if (read_full(fd, buf, len) <= 0)
			break;
		bytes_reader_init(&x.in, buf, len);
		type = bytes_get_u8(&x.in);
		if (type == FXP_INIT) {
			bytes_writer_reset(&x.out);
			bytes_put_u32(&x.out, 0);
			bytes_put_u8(&x.out, FXP_VERSION);
			bytes_put_u32(&x.out, 3);
			if (fx_send(&x) != 0)
				break;
			continue;
		}
		id = bytes_get_u32(&x.in);
		/* Rights as they are now: a role the sysop changed applies
		 * from the next request; a banned account is done. */
		if (user_get_by_id(st, user_id, &u) == 0) {
			x.v.role = (int)u->role;
			r = user_state(u) == USER_BANNED;
			user_free(u);
			u = NULL;
			if (r)
				break;
		}
		for (i = 0; i < nitems(fx_ops); i++)
			if (fx_ops[i].type == type)
				break;
		r = i < nitems(fx_ops) ? fx_ops[i].fn(&x, id) :
		    fx_unsupported(&x, id);
		if (r != 0)
			break;
	}
	for (i = 0; i < FX_HANDLES; i++)
		if (x.h[i].kind != H_FREE)
			handle_close(&x, &x.h[i]);
	free(buf);
	bytes_writer_free(&x.out);
	free(x.updir);
	free(x.digdir);
	return rc;
}
