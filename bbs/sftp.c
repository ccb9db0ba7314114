/*
 * sftp.c: the SFTP (version 3) server for the library, and the relay
 * between it and the SSH channel (see sftp.h).
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
 * user's quota first; a write that would pass either fails with a clear
 * message and the file is removed, so nothing half-written is left.  A
 * file cut by a broken link stays, visibly partial, to be resumed.
 *
 * Downloads: reads at any offset ("reget" resumes); a download is counted
 * when a handle has read up to the end of the file.
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
#include "i18n.h"
#include "library.h"
#include "log.h"
#include "partad.h"
#include "perr.h"
#include "sftp.h"
#include "store.h"
#include "text.h"
#include "translit.h"
#include "user.h"
#include "util.h"

static int	sftpd_serve(int, struct store *, int64_t);

/* ---- the relay, in the session process ---------------------------- */

/*
 * The relay watches the child's socket for reading only, registered once
 * and removed once, outside libssh's event loop (sftpd_finished): adding
 * or removing an fd from inside an event callback upsets the loop.
 * Client bytes go to the child as they come; when the child is slow to
 * take them, relay_pump() waits for the socket to drain, forwarding the
 * child's replies meanwhile, so neither side can wait on the other.
 */

#define RELAY_CHUNK	32768

struct sftpd {
	int		 fd;		/* our end of the socket pair */
	pid_t		 child;
	ssh_event	 event;
	int		 watched;	/* fd is registered with event */
	sftpd_write_fn	 out;
	void		*arg;
	int		 busy;		/* inside relay_pump or relay_event */
	int		 eof;		/* the child closed its end */
	int		 want_eof;	/* the client is done: shut down
					 * our writing once the queue is out */
	int		 reaped;
	int		 status;
	/*
	 * Client bytes the child has not taken yet.  SFTP clients wait for
	 * replies with a bounded number of requests in flight (OpenSSH: 64
	 * of 32 KB), so this stays small without a limit of its own.
	 */
	char		*q;
	size_t		 qlen, qcap;
	char		 buf[RELAY_CHUNK];
};

/* Write what the socket takes now, without waiting. */
static void
relay_flush(struct sftpd *r)
{
	ssize_t	 n;

	while (r->qlen > 0) {
		n = write(r->fd, r->q, r->qlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		memmove(r->q, r->q + n, r->qlen - (size_t)n);
		r->qlen -= (size_t)n;
	}
	if (r->qlen == 0 && r->want_eof == 1) {
		shutdown(r->fd, SHUT_WR);
		r->want_eof = 2;
	}
}

/* Forward one read of the child's replies to the client. */
static void
relay_read(struct sftpd *r)
{
	ssize_t	 n;

	do
		n = read(r->fd, r->buf, sizeof(r->buf));
	while (n < 0 && errno == EINTR);
	if (n > 0 && r->out(r->buf, (size_t)n, r->arg) != 0)
		n = 0;
	if (n == 0 || (n < 0 && errno != EAGAIN))
		r->eof = 1;
}

/*
 * Empty the queue into the child, forwarding its replies while waiting.
 * Writing to the client may run libssh's loop, which may call back into
 * sftpd_input (more bytes, queued) or relay_event (ignored while busy).
 */
static void
relay_pump(struct sftpd *r)
{
	struct pollfd	 pfd;

	if (r->busy)
		return;
	r->busy = 1;
	relay_flush(r);
	while (r->qlen > 0 && !r->eof) {
		pfd.fd = r->fd;
		pfd.events = POLLIN | POLLOUT;
		pfd.revents = 0;
		if (poll(&pfd, 1, 1000) < 0 && errno != EINTR)
			break;
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
			relay_read(r);
		relay_flush(r);
	}
	if (r->eof)
		r->qlen = 0;	/* the child is gone: nobody to take them */
	r->busy = 0;
}

static int
relay_event(socket_t fd, int revents, void *arg)
{
	struct sftpd	*r = arg;

	(void)fd;
	if (r->busy || r->eof)
		return 0;
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		r->busy = 1;
		relay_read(r);
		r->busy = 0;
	}
	relay_pump(r);
	return 0;
}

int
sftpd_input(struct sftpd *r, const void *data, size_t len)
{
	if (r->eof || r->want_eof)
		return -1;
	if (r->qlen + len > r->qcap) {
		r->qcap = r->qlen + len + RELAY_CHUNK;
		r->q = xrealloc(r->q, r->qcap);
	}
	memcpy(r->q + r->qlen, data, len);
	r->qlen += len;
	relay_pump(r);
	return 0;
}

void
sftpd_eof(struct sftpd *r)
{
	/* The child reads EOF once the queue is out. */
	if (r->want_eof == 0)
		r->want_eof = 1;
	relay_pump(r);
}

void
sftpd_signal(struct sftpd *r, int sig)
{
	if (!r->reaped)
		kill(r->child, sig);
}

int
sftpd_finished(struct sftpd *r, int *status)
{
	int	 st;

	if (r->busy)
		return 0;
	if (!r->reaped && waitpid(r->child, &st, WNOHANG) == r->child) {
		r->reaped = 1;
		r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	/* Drain the last replies the child wrote before it exited. */
	while (r->reaped && !r->eof)
		relay_read(r);
	if (r->eof && r->watched) {
		/* Here, outside the event loop, the watch may go. */
		ssh_event_remove_fd(r->event, r->fd);
		r->watched = 0;
	}
	if (!r->reaped || !r->eof)
		return 0;
	*status = r->status;
	return 1;
}

void
sftpd_free(struct sftpd *r)
{
	if (r == NULL)
		return;
	if (r->watched)
		ssh_event_remove_fd(r->event, r->fd);
	close(r->fd);
	if (!r->reaped) {
		kill(r->child, SIGTERM);
		waitpid(r->child, NULL, 0);
	}
	free(r->q);
	free(r);
}

struct sftpd *
sftpd_start(const struct sftpd_params *p, struct store **st, ssh_event event,
    sftpd_write_fn out, void *arg)
{
	struct sftpd	*r;
	struct user	*u = NULL;
	char		*cause = NULL;
	int		 sv[2], rc;
	pid_t		 pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		log_error("socketpair: %s", strerror(errno));
		return NULL;
	}
	store_close(*st);
	*st = NULL;
	switch (pid = fork()) {
	case -1:
		log_error("fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		break;
	case 0:
		close(sv[0]);
		close(p->close_fd);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGPIPE, SIG_IGN);
		alarm(0);
		log_init("partad-sftp",
		    (enum log_level)log_level_parse(server.cfg.log_level),
		    server.cfg.syslog);
		if (store_open(p->store_path, st, &cause) != 0) {
			log_error("%s", cause);
			_exit(1);
		}
		i18n_init(p->localedir, user_get_by_id(*st, p->user_id, &u) == 0 ?
		    u->lang : "ru");
		user_free(u);
		rc = sftpd_serve(sv[1], *st, p->user_id);
		store_close(*st);
		_exit(rc);
	default:
		close(sv[1]);
		break;
	}
	if (store_open(p->store_path, st, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
	}
	if (pid <= 0)
		return NULL;
	log_info("sftp for %s started", p->login);
	r = xcalloc(1, sizeof(*r));
	r->fd = sv[0];
	r->child = pid;
	r->event = event;
	r->out = out;
	r->arg = arg;
	fcntl(r->fd, F_SETFL, fcntl(r->fd, F_GETFL) | O_NONBLOCK);
	if (ssh_event_add_fd(event, r->fd, POLLIN, relay_event, r) != SSH_OK)
		fatal("cannot watch the sftp child");
	r->watched = 1;
	return r;
}

/* ---- the protocol, in the child ------------------------------------ */

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

enum fx_hkind { H_FREE, H_BLOB, H_UPLOAD, H_DIR };

struct fx_handle {
	enum fx_hkind	 kind;
	int		 fd;
	int64_t		 item_id;	/* H_BLOB */
	int64_t		 size;		/* H_BLOB: blob size; H_UPLOAD: now */
	int		 counted;
	int		 append;
	int		 writable;
	char		*path;		/* H_UPLOAD: on disk */
	char		*name;		/* for the log */
	int64_t		 others;	/* H_UPLOAD: quota used by other files */
	int64_t		 quota, maxsize; /* H_UPLOAD: the limits at open */
	int		 failed;	/* H_UPLOAD: the PERR that ended it */
	struct fx_entry	*ents;		/* H_DIR */
	size_t		 nents, pos;
};

struct fx {
	int		 fd;
	struct store	*st;
	struct lib_viewer v;
	char		*updir;
	struct fx_handle h[FX_HANDLES];
	/* the request being read */
	const unsigned char *p, *end;
	int		 bad;
	/* the reply being built */
	unsigned char	*o;
	size_t		 olen, ocap;
};

/* -- reading a request -- */

static uint32_t
get_u32(struct fx *x)
{
	uint32_t	 v;

	if (x->end - x->p < 4) {
		x->bad = 1;
		return 0;
	}
	v = (uint32_t)x->p[0] << 24 | (uint32_t)x->p[1] << 16 |
	    (uint32_t)x->p[2] << 8 | x->p[3];
	x->p += 4;
	return v;
}

static uint64_t
get_u64(struct fx *x)
{
	uint64_t	 hi = get_u32(x);

	return hi << 32 | get_u32(x);
}

/* A string: its bytes (not NUL-terminated) and length. */
static const char *
get_str(struct fx *x, size_t *len)
{
	uint32_t	 n = get_u32(x);
	const char	*s = (const char *)x->p;

	if (x->bad || (size_t)(x->end - x->p) < n) {
		x->bad = 1;
		*len = 0;
		return "";
	}
	x->p += n;
	*len = n;
	return s;
}

static void
get_attr(struct fx *x, struct fx_attr *a)
{
	uint32_t	 flags = get_u32(x), n, i;
	size_t		 l;

	memset(a, 0, sizeof(*a));
	a->size = -1;
	if (flags & ATTR_SIZE)
		a->size = (int64_t)get_u64(x);
	if (flags & ATTR_UIDGID) {
		(void)get_u32(x);
		(void)get_u32(x);
	}
	if (flags & ATTR_PERM)
		a->perm = get_u32(x);
	if (flags & ATTR_TIME) {
		(void)get_u32(x);
		a->mtime = get_u32(x);
	}
	if (flags & 0x80000000) {
		n = get_u32(x);
		for (i = 0; i < n && !x->bad; i++) {
			(void)get_str(x, &l);
			(void)get_str(x, &l);
		}
	}
}

/* -- building a reply -- */

static void
put_raw(struct fx *x, const void *d, size_t n)
{
	if (x->olen + n > x->ocap) {
		x->ocap = x->olen + n + 4096;
		x->o = xrealloc(x->o, x->ocap);
	}
	memcpy(x->o + x->olen, d, n);
	x->olen += n;
}

static void
put_u8(struct fx *x, unsigned v)
{
	unsigned char	 b = (unsigned char)v;

	put_raw(x, &b, 1);
}

static void
put_u32(struct fx *x, uint32_t v)
{
	unsigned char	 b[4] = { v >> 24, v >> 16, v >> 8, v };

	put_raw(x, b, 4);
}

static void
put_u64(struct fx *x, uint64_t v)
{
	put_u32(x, (uint32_t)(v >> 32));
	put_u32(x, (uint32_t)v);
}

static void
put_str(struct fx *x, const char *s, size_t n)
{
	put_u32(x, (uint32_t)n);
	put_raw(x, s, n);
}

static void
put_attr(struct fx *x, const struct fx_attr *a)
{
	put_u32(x, ATTR_SIZE | ATTR_UIDGID | ATTR_PERM | ATTR_TIME);
	put_u64(x, (uint64_t)a->size);
	put_u32(x, 0);
	put_u32(x, 0);
	put_u32(x, a->perm);
	put_u32(x, (uint32_t)a->mtime);
	put_u32(x, (uint32_t)a->mtime);
}

/* Start a reply of type with id; fx_send() fills in the length. */
static void
reply(struct fx *x, int type, uint32_t id)
{
	x->olen = 0;
	put_u32(x, 0);
	put_u8(x, (unsigned)type);
	put_u32(x, id);
}

static int
fx_send(struct fx *x)
{
	size_t	 off = 0, len = x->olen - 4;
	ssize_t	 n;

	x->o[0] = (unsigned char)(len >> 24);
	x->o[1] = (unsigned char)(len >> 16);
	x->o[2] = (unsigned char)(len >> 8);
	x->o[3] = (unsigned char)len;
	while (off < x->olen) {
		n = write(x->fd, x->o + off, x->olen - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

static const char *const fx_msgs[] = {
	"Success", "End of file", "No such file", "Permission denied",
	"Failure", "Bad message", "No connection", "Connection lost",
	"Operation unsupported",
};

/* Reply with a status; msg (translated already) or the code's default. */
static int
status(struct fx *x, uint32_t id, int code, const char *msg)
{
	if (msg == NULL)
		msg = fx_msgs[code];
	reply(x, FXP_STATUS, id);
	put_u32(x, (uint32_t)code);
	put_str(x, msg, strlen(msg));
	put_str(x, "", 0);
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
		attr_dir(a, 0);
		return 0;
	case LV_UPLOAD:
		attr_dir(a, 1);
		return 0;
	case LV_SECTION:
	case LV_ASCII_SECTION:
		rc = library_section_exists(x->st, vp->section, NULL);
		if (rc == 1)
			attr_dir(a, 0);
		return rc == 1 ? 0 : rc == 0 ? PERR_NOTFOUND : rc;
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
		path = upload_path(x, vp->name);
		rc = lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? 0 :
		    PERR_NOTFOUND;
		free(path);
		if (rc == 0) {
			a->size = sb.st_size;
			a->perm = S_IFREG | 0644;
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
	const char	*s = get_str(x, &len);

	if (x->bad)
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
	const char	*s = get_str(x, &len);
	char		 buf[16];
	unsigned long	 i;

	if (x->bad || len == 0 || len >= sizeof(buf))
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
	put_str(x, buf, (size_t)n);
	return fx_send(x);
}

static void
handle_close(struct fx *x, struct fx_handle *h)
{
	size_t	 i;

	if (h->fd >= 0)
		close(h->fd);
	if (h->kind == H_UPLOAD && h->writable)
		log_info("upload %s: %lld bytes", h->name, (long long)h->size);
	for (i = 0; i < h->nents; i++)
		free(h->ents[i].name);
	free(h->ents);
	free(h->path);
	free(h->name);
	(void)x;
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
	static const char *const top[] = { "library", "ascii", "upload" };
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
		if ((rc = library_section_exists(x->st, vp->section, NULL)) != 1)
			return rc == 0 ? PERR_NOTFOUND : rc;
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
		if ((d = opendir(x->updir)) == NULL)
			return PERR_LIB_IO;
		while ((de = readdir(d)) != NULL) {
			if (fstatat(dirfd(d), de->d_name, &sb,
			    AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
				continue;
			/* Only names the tree could have made. */
			if (translit_clean_name(de->d_name, strlen(de->d_name),
			    &clean) == 0 && strcmp(clean, de->d_name) == 0) {
				a.size = sb.st_size;
				a.perm = S_IFREG | 0644;
				a.mtime = sb.st_mtime;
				ents_add(h, de->d_name, &a);
			}
			free(clean);
		}
		closedir(d);
		return 0;
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
	put_u32(x, 1);
	put_str(x, vp.canon, strlen(vp.canon));
	put_str(x, vp.canon, strlen(vp.canon));
	put_u32(x, 0);		/* no attributes */
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
		a.perm = S_IFREG | (h->kind == H_BLOB ? 0444 : 0644);
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
	put_u32(x, (uint32_t)n);
	for (i = h->pos; i < h->pos + n; i++) {
		ln = longname(h->ents[i].name, &h->ents[i].a);
		put_str(x, h->ents[i].name, strlen(h->ents[i].name));
		put_str(x, ln, strlen(ln));
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
	h->others = used - before;
	h->quota = quota;
	h->maxsize = maxsize;
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
		if (x->bad)
			return status(x, id, FX_BAD_MESSAGE, NULL);
		return status_perr(x, id, rc);
	}
	pflags = get_u32(x);
	get_attr(x, &a);
	if (x->bad) {
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
	if ((rc = tree_stat(x, &vp, &a, &it)) != 0) {
		rc = status_perr(x, id, rc);
		goto out;
	}
	if (S_ISDIR(a.perm)) {
		rc = status(x, id, FX_FAILURE, _("This is a folder"));
		goto out;
	}
	path = it != NULL ? blob_path(x->st, it->sha256) :
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

static int
fx_read(struct fx *x, uint32_t id)
{
	struct fx_handle *h = get_handle(x);
	uint64_t	 off = get_u64(x);
	uint32_t	 len = get_u32(x);
	unsigned char	*buf;
	ssize_t		 n;

	if (x->bad)
		return status(x, id, FX_BAD_MESSAGE, NULL);
	if (h == NULL || (h->kind != H_BLOB && h->kind != H_UPLOAD) || h->fd < 0)
		return status(x, id, FX_FAILURE, _("Invalid handle"));
	if (len > FX_READ_MAX)
		len = FX_READ_MAX;
	buf = xmalloc(len > 0 ? len : 1);
	do
		n = pread(h->fd, buf, len, (off_t)off);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		free(buf);
		return status(x, id, FX_FAILURE, strerror(errno));
	}
	if (h->kind == H_BLOB && !h->counted &&
	    (int64_t)off + n >= h->size) {
		/* Read to the end: one download, however many resumes. */
		h->counted = 1;
		(void)library_count_download(x->st, h->item_id, x->v.user_id);
		log_info("download %s", h->name);
	}
	if (n == 0) {
		free(buf);
		return status(x, id, FX_EOF, NULL);
	}
	reply(x, FXP_DATA, id);
	put_str(x, (const char *)buf, (size_t)n);
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

static int
fx_write(struct fx *x, uint32_t id)
{
	struct fx_handle *h = get_handle(x);
	uint64_t	 off = get_u64(x);
	size_t		 len, done = 0;
	const char	*data = get_str(x, &len);
	int64_t		 end, quota, maxsize;
	ssize_t		 n;

	if (x->bad)
		return status(x, id, FX_BAD_MESSAGE, NULL);
	if (h == NULL || (h->kind != H_BLOB && h->kind != H_UPLOAD))
		return status(x, id, FX_FAILURE, _("Invalid handle"));
	quota = h->quota;
	maxsize = h->maxsize;
	if (h->failed != 0)
		return quota_status(x, id, h->failed,
		    h->failed == PERR_LIB_TOOBIG ? maxsize : quota);
	if (!h->writable)
		return status_perr(x, id, PERR_LIB_DENIED);
	if (h->append)
		off = (uint64_t)h->size;
	if (off > (uint64_t)INT64_MAX - len)
		return upload_fail(x, id, h, PERR_LIB_TOOBIG, maxsize);
	end = (int64_t)(off + len);
	if (end < h->size)
		end = h->size;
	if (end > maxsize)
		return upload_fail(x, id, h, PERR_LIB_TOOBIG, maxsize);
	if (h->others + end > quota)
		return upload_fail(x, id, h, PERR_LIB_QUOTA, quota);
	while (done < len) {
		n = pwrite(h->fd, data + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return status(x, id, FX_FAILURE, strerror(errno));
		done += (size_t)n;
	}
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
	if (x->bad)
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
	if (x->bad)
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
	if (user_get_by_id(st, user_id, &u) != 0)
		return 1;
	x.v.user_id = user_id;
	x.v.role = (int)u->role;
	user_free(u);
	x.updir = library_upload_dir(st, user_id);
	for (i = 0; i < FX_HANDLES; i++) {
		x.h[i].kind = H_FREE;
		x.h[i].fd = -1;
	}
	buf = xmalloc(FX_PACKET_MAX);
	for (;;) {
		if ((r = read_full(fd, hdr, 4)) <= 0)
			break;
		len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
		    (uint32_t)hdr[2] << 8 | hdr[3];
		if (len < 1 || len > FX_PACKET_MAX) {
			log_warn("sftp: a packet of %u bytes; hanging up", len);
			rc = 1;
			break;
		}
		if (read_full(fd, buf, len) <= 0)
			break;
		x.p = buf + 1;
		x.end = buf + len;
		x.bad = 0;
		type = buf[0];
		if (type == FXP_INIT) {
			x.olen = 0;
			put_u32(&x, 0);
			put_u8(&x, FXP_VERSION);
			put_u32(&x, 3);
			if (fx_send(&x) != 0)
				break;
			continue;
		}
		id = get_u32(&x);
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
	free(x.o);
	free(x.updir);
	return rc;
}
