/*
 * reader.c: parta --digest FILE, a digest read with the client's own
 * screens, with no network (digest.h, parta-digest(5)).
 *
 * The digest is checked and its store made again into a directory of
 * its own under $TMPDIR (0700), opened there as a working copy, and
 * removed at the end: nothing is written beside the digest, which may
 * sit on a write-protected stick.  What she writes goes, as online, into
 * the outbox of that directory (and into the copy, so she sees it); at
 * the end the outbox becomes the reply packet, next to the digest when
 * that directory may be written, else in her home directory, or where
 * --reply says.  A packet already there is read first, so that what she
 * wrote in an earlier reading is kept.  A reading in which she wrote
 * nothing leaves no packet (read marks stay in the digest), and says
 * so; the count of what a packet holds is always said.
 *
 * The directory is scratch (store_is_scratch()): its commits are not
 * synced, so that the indexer's commits, on a slow disk, do not hold
 * the copy's write lock past the screens' busy timeout.  So the packet
 * is what keeps her replies, and it is kept current: after each reply
 * or letter the outbox takes (or an item the outbox screen changes),
 * the screens' process writes the whole packet again (synced, renamed,
 * the rename synced: digest_packet_write()) before the screen says
 * "Sent.", so that a window closed, a kill or the power gone loses
 * nothing she was told went.  Whole, not appended: a packet is a few
 * KB, signed over all of it, and one rename keeps it whole at every
 * moment.  Read marks write nothing (the packet does not carry them):
 * reading costs no sync.  The end writes it once more (the same bytes)
 * and says what it holds.  A packet already there whose items do not
 * all go back into this copy (a thread the digest does not hold) is not
 * overwritten: the reading is refused, saying so.
 *
 * A hang-up or SIGTERM ends the screens as the end of the terminal does
 * (term.c): the directory is removed and the packet's place said.  A
 * SIGKILL or a crash leaves the directory behind; it is held by an
 * flock() on its "lock" file for as long as a process of the reading
 * (the screens, the indexer) lives, and the next reading removes every
 * parta-read.* of hers whose lock is free: they hold only what the
 * packet holds (each reply went into it before she was told), and each
 * is a whole copy of a digest, which a small disk that is not emptied
 * at boot would fill with.
 *
 * parta --make-digest FILE makes one from the local copy, with the same
 * builder as the server's; it has no reply key (only a server keeps
 * those), so its replies go back through her client, --replies.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "digest.h"
#include "i18n.h"
#include "perr.h"
#include "sync-local.h"
#include "util.h"

#define READER_PREFIX	"parta-read."

struct reader {
	const char			*dir;
	const char			*login;
	int				 cs;
	const struct digest_info	*di;
	const char			*out;	/* the reply packet */
	int				 packet; /* out holds this reading's */
};

/* Lock dir for this reading: the fd (its processes inherit it, so the
 * lock lasts while one of them lives), or -1. */
static int
reader_lock(const char *dir)
{
	char	*p = xasprintf("%s/%s", dir, DIGEST_UNPACK_LOCK);
	int	 fd;

	if ((fd = open(p, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) != -1 &&
	    flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		fd = -1;
	}
	free(p);
	return fd;
}

/* Remove the reading's directory name in tmpdir if it is hers and no
 * process holds its lock (killed, crashed, the power gone); locked
 * while it goes.  One with no lock file is being made, or not ours. */
static void
reader_sweep_one(const char *tmpdir, const char *name)
{
	struct stat	 sb;
	char		*dir = xasprintf("%s/%s", tmpdir, name), *lock;
	int		 fd;

	lock = xasprintf("%s/%s", dir, DIGEST_UNPACK_LOCK);
	if (lstat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    sb.st_uid == getuid() && (fd = open(lock, O_RDWR | O_NOFOLLOW |
	    O_CLOEXEC)) != -1) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			digest_unpack_remove(dir);
		close(fd);
	}
	free(lock);
	free(dir);
}

static int
reader_is_reading(const struct dirent *e)
{
	return strncmp(e->d_name, READER_PREFIX, strlen(READER_PREFIX)) == 0;
}

/* Remove the directories of her readings in tmpdir left behind. */
static void
reader_sweep(const char *tmpdir)
{
	struct dirent	**v;
	int		  n, i;

	if ((n = scandir(tmpdir, &v, reader_is_reading, NULL)) < 0)
		return;
	for (i = 0; i < n; i++) {
		reader_sweep_one(tmpdir, v[i]->d_name);
		free(v[i]);
	}
	free(v);
}

/* The screens' keep (client_ui_keep()): after each write the outbox took
 * that a packet carries, the packet written again from the outbox; one
 * that no longer holds anything (the outbox screen deleted it all) is
 * removed. */
static int
reader_keep(struct sync_local *sl, const char *kind, void *arg, char **cause)
{
	struct reader	*r = arg;
	size_t		 n;

	if (kind != NULL && !digest_packet_carries(kind))
		return 0;
	if (digest_packet_write(sl, r->di, r->out, &n, cause) != 0)
		return -1;
	if (n > 0)
		r->packet = 1;
	else if (r->packet && unlink(r->out) == 0) {
		r->packet = 0;
		(void)fsync_dir_of(r->out);
	}
	return 0;
}

/* What the screens logged (into dir, which goes at the end), on the
 * terminal now that they are gone; the log is removed. */
static void
reader_log_show(const char *dir)
{
	char	*path = xasprintf("%s/parta.log", dir), buf[4096];
	FILE	*f;
	size_t	 n;

	if ((f = fopen(path, "re")) != NULL) {
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			(void)fwrite(buf, 1, n, stderr);
		fclose(f);
		(void)unlink(path);
	}
	free(path);
}

/* The screens' process: its own connections to the copy and outbox. */
static int
reader_ui(void *arg)
{
	struct reader		*r = arg;
	struct sync_local	*sl;
	char			*cause = NULL;
	int			 rc;

	term_log_to(r->dir);
	if (sync_local_open(r->dir, &sl, &cause) != 0) {
		fprintf(stderr, "parta: %s\n", cause);
		free(cause);
		return 1;
	}
	client_ui_keep(reader_keep, r);
	rc = client_ui_run(sl, r->dir, r->login, 1, r->cs);
	sync_local_close(sl);
	return rc;
}

char *
reader_reply_path(const char *digest)
{
	char		*copy = xstrdup(digest), *dir, *base, *p;
	const char	*home = getenv("HOME");

	dir = dirname(copy);
	if (access(dir, W_OK) == 0) {
		p = xasprintf("%s.reply", digest);
		free(copy);
		return p;
	}
	free(copy);
	copy = xstrdup(digest);
	base = basename(copy);
	p = xasprintf("%s/%s.reply", home != NULL && *home != '\0' ? home :
	    ".", base);
	free(copy);
	return p;
}

int
reader_run(const char *digest, const char *reply, int cs)
{
	struct digest_info	 di;
	struct sync_local	*sl = NULL;
	struct reader		 r;
	const char		*tmpdir = getenv("TMPDIR");
	struct digest_load	 dl;
	char			 dir[4096], *cause = NULL, *out;
	size_t			 n = 0;
	pid_t			 indexer = -1;
	int			 rc = 1, lock, sig = 0;

	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	reader_sweep(tmpdir);
	snprintf(dir, sizeof(dir), "%s/" READER_PREFIX "XXXXXX", tmpdir);
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "parta: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if ((lock = reader_lock(dir)) == -1) {
		fprintf(stderr, "parta: %s: %s\n", dir, strerror(errno));
		(void)rmdir(dir);
		return 1;
	}
	memset(&r, 0, sizeof(r));
	out = reply != NULL ? xstrdup(reply) : reader_reply_path(digest);
	if (digest_unpack(digest, dir, &di, DIGEST_UNPACK_NOINDEX,
	    &cause) != 0) {
		fprintf(stderr, "parta: %s\n", cause);
		goto out;
	}
	if (*di.user == '\0' && digest_add_reader(dir) != 0) {
		fprintf(stderr, "parta: %s\n", _("cannot open the digest"));
		goto out;
	}
	if (sync_local_open(dir, &sl, &cause) != 0) {
		fprintf(stderr, "parta: %s\n", cause);
		goto out;
	}
	if (access(out, R_OK) == 0) {
		if (digest_packet_load(sl, out, di.uuid, *di.user != '\0' ?
		    di.user : NULL, &dl, &cause) != 0) {
			fprintf(stderr, "parta: %s\n", cause);
			goto out;
		}
		/* Written again at her first reply, it would lose them. */
		if (dl.queued + dl.again < dl.items) {
			fprintf(stderr, _("parta: %zu of the %zu items of %s do "
			    "not go back into this digest (%s): give that "
			    "packet to the sysop first, or name another with "
			    "--reply\n"), dl.items - dl.queued - dl.again,
			    dl.items, out, _(perr_str(dl.why)));
			goto out;
		}
		r.packet = dl.items > 0;
	}
	sync_local_close(sl);
	sl = NULL;
	/* The search index is made beside the screens, which open at once
	 * (a search in the first second or two finds what is indexed so
	 * far). */
	if ((indexer = fork()) == 0) {
		(void)close(STDIN_FILENO);
		errno = 0;	/* below the screens, which come first */
		if (nice(10) == -1 && errno != 0)
			_exit(1);
		_exit(digest_reindex(dir, &cause) == 0 ? 0 : 1);
	}
	r.dir = dir;
	r.login = *di.user != '\0' ? di.user : DIGEST_READER;
	r.cs = cs;
	r.di = &di;
	r.out = out;
	rc = term_run(cs, reader_ui, &r);
	/* A hang-up or SIGTERM: the screens have ended, the packet holds
	 * all she sent; the index is not waited for. */
	if ((sig = term_signal()) != 0 && indexer > 0)
		(void)kill(indexer, SIGTERM);
	if (indexer > 0)
		(void)waitpid(indexer, NULL, 0);
	reader_log_show(dir);
	if (sync_local_open(dir, &sl, &cause) != 0) {
		fprintf(stderr, "parta: %s\n", cause);
		rc = 1;
		goto out;
	}
	if (digest_packet_write(sl, &di, out, &n, &cause) != 0) {
		fprintf(stderr, _("parta: your replies could not be saved: "
		    "%s\n"), cause);
		rc = 1;
		goto out;
	}
	if (sig != 0) {
		printf("%s\n", _("parta: the reading was ended from outside "
		    "(a signal): nothing you sent is lost"));
		rc = 128 + sig;
	}
	/* Read marks alone make no packet: said, so that a reply she
	 * thinks she wrote is not looked for in a file that is not
	 * there. */
	if (n == 0)
		printf("%s\n", _("parta: you wrote no reply or letter: no "
		    "reply packet was written"));
	else
		printf(_("parta: %zu replies and letters are in %s: give it "
		    "to the sysop (parta-sysop digest import), or send it "
		    "with parta --replies %s [LOGIN@]HOST\n"), n, out, out);
out:
	free(cause);
	free(out);
	sync_local_close(sl);
	digest_info_free(&di);
	digest_unpack_remove(dir);
	close(lock);
	return rc;
}

int
reader_replies(struct sync_local *sl, const char *login, const char *packet)
{
	struct digest_load	 dl;
	char			*cause = NULL;
	size_t			 lost;

	if (digest_packet_load(sl, packet, NULL, login, &dl, &cause) != 0) {
		fprintf(stderr, "parta: %s\n", cause);
		free(cause);
		return 1;
	}
	/* A step that did nothing must not read as one that worked. */
	if (dl.items == 0) {
		fprintf(stderr, _("parta: %s holds no reply or letter: nothing "
		    "was put in the outbox\n"), packet);
		return 1;
	}
	if (dl.queued > 0)
		printf(_("parta: %zu replies and letters from %s wait in the "
		    "outbox; the next sync sends them\n"), dl.queued, packet);
	if (dl.again > 0)
		printf(_("parta: %zu replies and letters from %s were in the "
		    "outbox or sent before: each is posted once\n"), dl.again,
		    packet);
	if ((lost = dl.items - dl.queued - dl.again) > 0) {
		fprintf(stderr, _("parta: %zu of the %zu items of %s could not "
		    "be put in the outbox: %s\n"), lost, dl.items, packet,
		    _(perr_str(dl.why)));
		return 1;
	}
	return 0;
}

int
reader_make(struct sync_local *sl, const char *login, long days,
    const char *path)
{
	struct digest_spec	 spec;
	struct digest_info	 di;
	char			*cause = NULL;

	memset(&spec, 0, sizeof(spec));
	spec.login = login;
	spec.since = days > 0 ? (int64_t)time(NULL) - days * 86400 : 0;
	spec.made_by = "parta";
	if (digest_export(sync_local_store(sl), &spec, path, &di,
	    &cause) != 0) {
		fprintf(stderr, _("parta: no digest made: %s\n"), cause);
		free(cause);
		return 1;
	}
	printf(_("parta: the digest for %s is in %s: %lld posts, %lld "
	    "letters\n"), di.user, path, (long long)di.posts,
	    (long long)di.letters);
	digest_info_free(&di);
	return 0;
}
