/*
 * fuzz-sftp.c: the SFTP server's packet decoder and request handlers
 * (bbs/sftp.c), on the byte stream a client sends.
 *
 * The seam: this file includes sftp.c itself and calls its static
 * sftpd_serve(), the loop the forked child runs, so sftp.c needs no
 * change for it (and keeps none of a fuzzing hook).  The child's side of
 * the socket pair is what sftpd_serve() gets; a helper thread writes the
 * input into the other end, reads every reply and checks that each is a
 * well-formed SFTP v3 packet (length, a reply type).  Behind the server
 * is a real store in a private temporary directory, with one teacher, a
 * section holding one file and small limits (8 KB a file, a 12 KB
 * quota, reached with a few sparse writes), so that opens, reads,
 * uploads over quota, renames and removals all run; the upload folder is
 * emptied after every input so inputs stay independent.
 */
#include "sftp.c"

#include "board.h"

#include <ftw.h>
#include <poll.h>
#include <pthread.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct server	 server;	/* partad's global; sftp.c reads its log
				 * settings only in sftpd_start() */

static struct store	*fuzz_st;
static int64_t		 fuzz_uid;
static char		 fuzz_dir[4096];
static char		*fuzz_updir;

static int
fuzz_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

static void
fuzz_cleanup(void)
{
	store_close(fuzz_st);
	free(fuzz_updir);
	(void)nftw(fuzz_dir, fuzz_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* Remove what the last input uploaded (the folder itself stays). */
static int
fuzz_rm_upload(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb; (void)flag;
	if (ftw->level > 0)
		(void)remove(path);
	return 0;
}

/* A seminar on a board anna reads, which she signed up for: /events
 * holds mine.ics and 1.ics (issue 16). */
static void
fuzz_event(void)
{
	struct event_fields f = { .kind = "seminar", .title = "Дроби; части",
	    .place = "https://example.org/room", .description = "Строка\nещё",
	    .starts_at = now_unix() + 30 * 86400 };
	struct user	*u = NULL;
	int64_t		 board, event;

	if (board_add(fuzz_st, "math", "Математика", "", "fuzz") != 0 ||
	    store_int(fuzz_st, &board, "SELECT id FROM boards", "") != 0 ||
	    event_add(fuzz_st, NULL, "fuzz", board, &f, &event) != 0 ||
	    user_get_by_id(fuzz_st, fuzz_uid, &u) != 0 ||
	    event_join(fuzz_st, u, event, NULL) != 0)
		abort();
	user_free(u);
}

static void
fuzz_setup(void)
{
	const char	*tmp = getenv("TMPDIR");
	struct user_new	 n;
	struct lib_meta	 m;
	const char	*bad;
	char		*path, *cause;
	int64_t		 id;
	FILE		*fp;

	log_init("fuzz-sftp", LOG_LEVEL_ERROR, 0);
	signal(SIGPIPE, SIG_IGN);
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/parta-fuzz-sftp.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(fuzz_dir) == NULL)
		abort();
	path = xasprintf("%s/parta.db", fuzz_dir);
	if (store_open(path, &fuzz_st, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		abort();
	}
	free(path);
	atexit(fuzz_cleanup);
	memset(&n, 0, sizeof(n));
	n.login = "anna";
	n.display_name = "Анна";
	n.school = n.subjects = "";
	n.role = ROLE_TEACHER;
	n.lang = "ru";
	if (user_create(fuzz_st, &n, &fuzz_uid, &bad) != 0 ||
	    library_section_add(fuzz_st, "math", "Математика", 0, "fuzz") != 0 ||
	    library_set_quota(fuzz_st, fuzz_uid, 12 * 1024, "fuzz") != 0 ||
	    library_set_maxsize(fuzz_st, 8 * 1024, "fuzz") != 0)
		abort();
	fuzz_updir = library_upload_dir(fuzz_st, fuzz_uid);
	path = xasprintf("%s/Дроби.txt", fuzz_updir);
	if ((fp = fopen(path, "w")) == NULL)
		abort();
	fputs("одна вторая\n", fp);
	fclose(fp);
	free(path);
	memset(&m, 0, sizeof(m));
	m.section = "math";
	m.title = "Дроби";
	m.description = "";
	m.grades = "5";
	m.tags = "";
	if (library_add_file(fuzz_st, fuzz_uid, "Дроби.txt", &m, &id, &bad) != 0)
		abort();
	fuzz_event();
}

struct fuzz_io {
	int		 fd;
	const uint8_t	*in;
	size_t		 len;
};

/* Check one reply: a known type and, for most, the request's id. */
static void
fuzz_check_reply(const unsigned char *p, uint32_t len)
{
	if (len < 1)
		abort();
	switch (p[0]) {
	case FXP_VERSION:
	case FXP_STATUS:
	case FXP_HANDLE:
	case FXP_DATA:
	case FXP_NAME:
	case FXP_ATTRS:
		if (len < 5)
			abort();
		break;
	default:
		fprintf(stderr, "a reply of type %u\n", p[0]);
		abort();
	}
}

/* The client: write the input, read and check the replies. */
static void *
fuzz_client(void *arg)
{
	struct fuzz_io	*io = arg;
	struct pollfd	 pfd;
	unsigned char	*buf = NULL;
	size_t		 have = 0, cap = 0, off = 0, done;
	uint32_t	 len;
	ssize_t		 n;

	fcntl(io->fd, F_SETFL, fcntl(io->fd, F_GETFL) | O_NONBLOCK);
	if (io->len == 0)
		shutdown(io->fd, SHUT_WR);
	for (;;) {
		pfd.fd = io->fd;
		pfd.events = POLLIN | (off < io->len ? POLLOUT : 0);
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			abort();
		}
		if ((pfd.revents & POLLOUT) && off < io->len) {
			n = write(io->fd, io->in + off, io->len - off);
			if (n > 0 && (off += (size_t)n) == io->len)
				shutdown(io->fd, SHUT_WR);
			else if (n < 0 && errno != EAGAIN && errno != EINTR) {
				off = io->len;	/* the server hung up */
				shutdown(io->fd, SHUT_WR);
			}
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			if (have + 65536 > cap) {
				cap = have + 65536;
				buf = xrealloc(buf, cap);
			}
			n = read(io->fd, buf + have, cap - have);
			if (n == 0 || (n < 0 && errno != EAGAIN &&
			    errno != EINTR))
				break;
			if (n > 0)
				have += (size_t)n;
		}
	}
	/* Every byte is part of a whole reply. */
	for (done = 0; done < have; done += 4 + len) {
		if (have - done < 4)
			abort();
		len = (uint32_t)buf[done] << 24 | (uint32_t)buf[done + 1] << 16 |
		    (uint32_t)buf[done + 2] << 8 | buf[done + 3];
		if (len > have - done - 4) {
			fprintf(stderr, "a reply cut short\n");
			abort();
		}
		fuzz_check_reply(buf + done + 4, len);
	}
	free(buf);
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_io	 io;
	pthread_t	 t;
	int		 sv[2];

	if (fuzz_st == NULL)
		fuzz_setup();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		abort();
	io.fd = sv[0];
	io.in = data;
	io.len = size;
	if (pthread_create(&t, NULL, fuzz_client, &io) != 0)
		abort();
	(void)sftpd_serve(sv[1], fuzz_st, fuzz_uid);
	close(sv[1]);
	pthread_join(t, NULL);
	close(sv[0]);
	(void)nftw(fuzz_updir, fuzz_rm_upload, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
