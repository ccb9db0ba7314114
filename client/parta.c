/*
 * parta.c: the companion client's command line.
 *
 *	parta [-p PORT] [-i KEYFILE] [-d CACHEDIR] [-F CONFIG] [LOGIN@]HOST
 *	parta --sync ... [LOGIN@]HOST		one round of sync, then exit
 *	parta --offline ... [LOGIN@]HOST	the local copy, never connecting
 *	parta --forget [LOGIN@]HOST		delete the local copy
 *	parta --digest FILE [--reply PACKET]	read a digest (reader.c)
 *	parta --replies PACKET [LOGIN@]HOST	queue a digest's replies
 *
 * Each server has its own cache directory (0700), by default
 * $XDG_DATA_HOME/parta/LOGIN@HOST[:PORT]/, holding the local copy and,
 * apart from it, the outbox (sync-local.h).  No password is ever written
 * anywhere.  The link (link.c) and a round of sync (syncer.c) are the
 * other files of client/.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "charset.h"
#include "client.h"
#include "i18n.h"
#include "log.h"
#include "sync-local.h"
#include "user.h"
#include "util.h"

#define PARTA_TIMEOUT_MS	(120 * 1000)	/* a frame's wait, on GPRS */

enum parta_mode { PARTA_UI, PARTA_SYNC, PARTA_OFFLINE, PARTA_FORGET,
    PARTA_DIGEST, PARTA_REPLIES, PARTA_MAKE_DIGEST };

static const struct option parta_long[] = {
	{ .name = "sync", .has_arg = no_argument, .val = 'S' },
	{ .name = "offline", .has_arg = no_argument, .val = 'O' },
	{ .name = "forget", .has_arg = no_argument, .val = 'X' },
	{ .name = "digest", .has_arg = required_argument, .val = 'G' },
	{ .name = "reply", .has_arg = required_argument, .val = 'R' },
	{ .name = "replies", .has_arg = required_argument, .val = 'P' },
	{ .name = "make-digest", .has_arg = required_argument, .val = 'M' },
	{ .name = "days", .has_arg = required_argument, .val = 'D' },
	{ .name = "help", .has_arg = no_argument, .val = 'h' },
	{ 0 }
};

static void
parta_usage(FILE *fp)
{
	fprintf(fp, "%s\n", _("usage: parta [-p PORT] [-i KEYFILE] "
	    "[-d CACHEDIR] [-e ENCODING] [-F CONFIG] [LOGIN@]HOST\n"
	    "       parta --sync [options] [LOGIN@]HOST\n"
	    "       parta --offline [options] [LOGIN@]HOST\n"
	    "       parta --forget [options] [LOGIN@]HOST\n"
	    "       parta --digest FILE [--reply PACKET] [-e ENCODING]\n"
	    "       parta --replies PACKET [options] [LOGIN@]HOST\n"
	    "       parta --make-digest FILE [--days N] [options] [LOGIN@]HOST"));
	fprintf(fp, "%s\n", _("\n"
	    "  -p PORT      the server's port (else ssh_config's, else 22)\n"
	    "  -i KEYFILE   a private key to log in with, besides the agent's\n"
	    "  -d CACHEDIR  the local copy's directory (else\n"
	    "               $XDG_DATA_HOME/parta/LOGIN@HOST[:PORT])\n"
	    "  -e ENCODING  the terminal's: UTF-8, KOI8-R, KOI8-U, CP1251, CP866\n"
	    "               (else the locale's)\n"
	    "  -F CONFIG    the ssh_config file (else ~/.ssh/config)\n"
	    "  --sync       sync once and exit: non-zero when it could not,\n"
	    "               or a write still waits in the outbox\n"
	    "  --offline    read and write the local copy, never connect\n"
	    "  --forget     delete the local copy (the outbox only if you "
	    "say so)\n"
	    "  --digest FILE  read a digest, with no network; replies go to\n"
	    "               FILE.reply (in $HOME if FILE's folder is read-only)\n"
	    "  --reply PACKET where --digest keeps the replies instead\n"
	    "  --replies PACKET  put a digest's replies in the outbox: the\n"
	    "               next sync sends them (non-zero: none queued)\n"
	    "  --make-digest FILE  a digest of the local copy, no network\n"
	    "  --days N     with --make-digest: the last N days (7; 0: all)\n"
	    "  --help       this text"));
}

/* The terminal's encoding as the locale names it (LC_ALL, LC_CTYPE,
 * LANG: the first set decides), else UTF-8; -e says otherwise. */
static int
parta_env_charset(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	const char	*v;
	size_t		 i;
	int		 cs;

	for (i = 0; i < nitems(vars); i++)
		if ((v = getenv(vars[i])) != NULL && *v != '\0')
			return (cs = charset_from_locale(v)) >= 0 ? cs :
			    CHARSET_UTF8;
	return CHARSET_UTF8;
}

static void
parta_err(const char *fmt, const char *arg)
{
	fprintf(stderr, "parta: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
}

/* Make path and the directories above it that are missing, 0700. */
static int
parta_mkdirs(const char *path)
{
	char	*p = xstrdup(path), *s;
	int	 rc = 0;

	for (s = p + 1; rc == 0 && (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (rc == 0 && mkdir(p, 0700) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

/* The cache directory of d, or NULL without a home. */
static char *
parta_cachedir(const struct link_dest *d)
{
	const char	*xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/parta/%s", xdg, d->name);
	if (home == NULL || *home == '\0')
		return NULL;
	return xasprintf("%s/.local/share/parta/%s", home, d->name);
}

/* Open the local copy in dir, made 0700: NULL after a message. */
static struct sync_local *
parta_open(const char *dir)
{
	struct sync_local	*sl;
	char			*cause;

	if (parta_mkdirs(dir) != 0 || chmod(dir, 0700) != 0) {
		fprintf(stderr, "parta: %s: %s\n", dir, strerror(errno));
		return NULL;
	}
	if (sync_local_open(dir, &sl, &cause) != 0) {
		parta_err(_("cannot open the local copy: %s"), cause);
		fprintf(stderr, "%s\n", _("parta --forget deletes the local copy "
		    "and keeps the outbox; the next sync fetches the copy "
		    "again and sends what waits."));
		free(cause);
		return NULL;
	}
	return sl;
}

static int
parta_sync(const struct link_opts *o, const char *dir)
{
	struct sync_local	*sl;
	struct link		*l = NULL;
	struct syncer_stats	 st;
	char			*cause = NULL;
	uint64_t		 sent, recvd;
	int64_t			 waiting, refused;
	int			 rc = 1;

	if ((sl = parta_open(dir)) == NULL)
		return 1;
	if (link_open(o, &l, &cause) != 0 ||
	    syncer_run(l, sl, 1, PARTA_TIMEOUT_MS, dir, &st, &cause) != 0 ||
	    transfer_run(l, sl, dir, PARTA_TIMEOUT_MS, &st, &cause) != 0) {
		parta_err(_("could not sync: %s"), cause);
		goto out;
	}
	if (link_offer_key(l, &cause) != 0) {
		parta_err(_("the key was not added: %s"), cause);
		free(cause);
		cause = NULL;
	}
	link_counts(l, &sent, &recvd);
	waiting = sync_local_outbox_count(sl, SYNC_OUTBOX_WAITING);
	refused = sync_local_outbox_count(sl, SYNC_OUTBOX_REFUSED);
	/* An outbox not counted (parta.log says why) may hold what was
	 * not sent: no success, and no -1 for a number. */
	if (waiting < 0 || refused < 0) {
		parta_err("%s", _("cannot read the outbox"));
		goto out;
	}
	printf(_("parta: synced %zu rows%s; sent %zu, refused %zu; %lld "
	    "waiting, %lld refused in the outbox; %llu bytes out, %llu in\n"),
	    st.rows, st.snapshot ? _(" (a snapshot)") : "", st.applied,
	    st.refused, (long long)waiting, (long long)refused,
	    (unsigned long long)sent, (unsigned long long)recvd);
	/* Every waiting item went out in the round (an upload's after its
	 * file): one still waiting was not sent, and a sync that leaves
	 * it so is no success. */
	if (waiting > 0) {
		fprintf(stderr, _("parta: %lld writes were not sent: they "
		    "wait in the outbox for the next sync\n"),
		    (long long)waiting);
		goto out;
	}
	rc = 0;
out:
	free(cause);
	link_close(l);
	sync_local_close(sl);
	return rc;
}

/* Unlink dir/name, if there; 0 or -1. */
static int
parta_unlink(const char *dir, const char *name)
{
	char	*p = xasprintf("%s/%s", dir, name);
	int	 rc = unlink(p) != 0 && errno != ENOENT ? -1 : 0;

	free(p);
	return rc;
}

/* Unlink an SQLite file and its -wal and -shm; 0 or -1. */
static int
parta_unlink_db(const char *dir, const char *name)
{
	static const char *const tails[] = { "", "-wal", "-shm", "-journal" };
	char	*p;
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < nitems(tails); i++) {
		p = xasprintf("%s/%s%s", dir, name, tails[i]);
		if (unlink(p) != 0 && errno != ENOENT)
			rc = -1;
		free(p);
	}
	return rc;
}

/* Unlink the files of dir/name and the folder; 0 or -1. */
static int
parta_unlink_dir(const char *dir, const char *name)
{
	char		*p = xasprintf("%s/%s", dir, name), *f;
	struct dirent	*de;
	DIR		*d;
	int		 rc = 0;

	if ((d = opendir(p)) == NULL) {
		rc = errno == ENOENT ? 0 : -1;
		free(p);
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		f = xasprintf("%s/%s", p, de->d_name);
		if (unlink(f) != 0)
			rc = -1;
		free(f);
	}
	closedir(d);
	if (rmdir(p) != 0)
		rc = -1;
	free(p);
	return rc;
}

static int
parta_forget(const char *dir)
{
	struct sync_local	*sl;
	struct stat		 sb;
	char			*cause, answer[16];
	int64_t			 kept;

	if (stat(dir, &sb) != 0) {
		parta_err(_("%s: there is no local copy to forget"), dir);
		return 1;
	}
	if (sync_local_open(dir, &sl, &cause) != 0) {
		/* A copy that cannot be opened is the one to forget. */
		free(cause);
		kept = -1;
	} else {
		kept = sync_local_outbox_held(sl);
		sync_local_close(sl);
	}
	/* The library files fetched go with the copy. */
	if (parta_unlink_db(dir, SYNC_LOCAL_COPY) != 0 ||
	    parta_unlink_dir(dir, "files") != 0) {
		fprintf(stderr, "parta: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	printf(_("parta: the local copy in %s is deleted.\n"), dir);
	if (kept != 0 && isatty(STDIN_FILENO)) {
		/* -1: not known, which is not a number of writes. */
		if (kept < 0)
			printf("%s", _("The outbox cannot be read: it may hold "
			    "writes the server has not accepted yet.\nDelete it "
			    "too? (yes/no) "));
		else
			printf(_("The outbox holds %lld writes the server has "
			    "not accepted yet.\nDelete them too? (yes/no) "),
			    (long long)kept);
		fflush(stdout);
		if (fgets(answer, sizeof(answer), stdin) != NULL &&
		    strncmp(answer, "yes", 3) == 0)
			kept = 0;
	}
	if (kept != 0) {
		printf(_("parta: the outbox is kept; the next sync sends it.\n"));
		return 0;
	}
	if (parta_unlink_db(dir, SYNC_LOCAL_OUTBOX) != 0 ||
	    parta_unlink_dir(dir, "uploads") != 0 ||
	    parta_unlink(dir, "settings") != 0 ||
	    parta_unlink(dir, "progress") != 0 ||
	    parta_unlink(dir, "status") != 0 ||
	    parta_unlink(dir, "parta.log") != 0 || rmdir(dir) != 0) {
		fprintf(stderr, "parta: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	return 0;
}

/*
 * The screens over the local copy.  A copy that holds her account opens
 * at once, and a child process connects beside it (keys only: it never
 * asks) and keeps the copy in step (syncer_loop()).  A first start
 * opens the link here, asking on the terminal for a new host key or a
 * password before the screens take it, and fetches the copy once.  The
 * screens run on a pty in another child, this process pumping her
 * terminal (term.c): a keystroke never waits for the network.
 */
/* What the screens' process is given (term_run() forks it). */
struct parta_ui {
	const char	*dir;
	const char	*login;
	int		 offline;
	int		 cs;
};

/* The screens, in their own process on the pty, with their own
 * connections to the copy and the outbox. */
static int
parta_ui(void *arg)
{
	struct parta_ui		*ui = arg;
	struct sync_local	*sl;
	int			 rc;

	term_log_to(ui->dir);
	if ((sl = parta_open(ui->dir)) == NULL)
		return 1;
	rc = client_ui_run(sl, ui->dir, ui->login, ui->offline, ui->cs);
	sync_local_close(sl);
	return rc;
}

static int
parta_screens(const struct link_opts *o, const struct link_dest *d,
    const char *dir, int offline, int cs)
{
	struct parta_ui		 ui;
	struct link_opts	 bg = *o;
	struct sync_local	*sl;
	struct link		*l = NULL;
	struct syncer_stats	 st;
	struct user		*u = NULL;
	char			*cause = NULL;
	pid_t			 child = -1, ppid = getpid();
	int			 rc, hello = 1;

	if ((sl = parta_open(dir)) == NULL)
		return 1;
	/* A copy that holds her account opens at once; only a first start
	 * waits for the link (and asks, on the terminal, what it must). */
	if (!offline && user_get(sync_local_store(sl), d->login, &u) == 0) {
		user_free(u);
		u = NULL;
	} else if (!offline && link_open(o, &l, &cause) != 0) {
		parta_err(_("%s: the screens show the local copy, and the link "
		    "is tried again in the background"), cause);
		free(cause);
		cause = NULL;
		/* Before the screens cover it (a changed host key must be
		 * read). */
		if (isatty(STDIN_FILENO)) {
			fprintf(stderr, "%s", _("Press Enter to go on. "));
			if (getchar() == EOF) {	/* her terminal went */
				sync_local_close(sl);
				return 1;
			}
		}
	}
	if (l != NULL) {
		printf(_("parta: fetching the local copy for the first time...\n"));
		fflush(stdout);
		transfer_progress_echo(isatty(STDOUT_FILENO));
		rc = syncer_run(l, sl, 1, PARTA_TIMEOUT_MS, dir, &st, &cause);
		transfer_progress_echo(0);
		if (rc != 0) {
			parta_err(_("could not sync: %s"), cause);
			free(cause);
			link_close(l);
			l = NULL;
		} else
			hello = 0;
		if (l != NULL && link_offer_key(l, &cause) != 0) {
			parta_err(_("the key was not added: %s"), cause);
			free(cause);
			cause = NULL;
		}
	}
	user_free(u);
	sync_local_close(sl);	/* no connection crosses the fork */
	if (!offline) {
		bg.ask = 0;
		if ((child = fork()) == 0) {
			term_log_to(dir);
			(void)close(STDIN_FILENO);
			syncer_loop(&bg, l, hello, dir, ppid);
		}
		link_abandon(l);
	}
	ui.dir = dir;
	ui.login = d->login;
	ui.offline = offline;
	ui.cs = cs;
	rc = term_run(cs, parta_ui, &ui);
	if (child > 0) {
		(void)kill(child, SIGTERM);
		(void)waitpid(child, NULL, 0);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	struct link_opts	 o;
	struct link_dest	 d;
	enum parta_mode		 mode = PARTA_UI;
	const char		*dir_opt = NULL, *digest = NULL, *reply = NULL;
	const char		*packet = NULL;
	struct sync_local	*sl;
	long			 days = 7;
	char			*end;
	char			*dir, *cause;
	int			 c, rc, cs = -1;

	umask(077);
	cs = parta_env_charset();	/* before i18n_init() sets C.UTF-8 */
	i18n_init(i18n_localedir(LOCALEDIR), i18n_env_lang());
	log_init("parta", LOG_LEVEL_ERROR, 0);
	memset(&o, 0, sizeof(o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "p:i:d:e:F:h", parta_long,
	    NULL)) != -1) {
		switch (c) {
		case 'p':
			o.port = optarg;
			break;
		case 'i':
			o.identity = optarg;
			break;
		case 'd':
			dir_opt = optarg;
			break;
		case 'F':
			o.config = optarg;
			break;
		case 'e':
			if ((cs = charset_parse(optarg)) < 0) {
				parta_err(_("%s: not an encoding parta knows "
				    "(UTF-8, KOI8-R, KOI8-U, CP1251, CP866)"),
				    optarg);
				return 2;
			}
			break;
		case 'S':
			mode = PARTA_SYNC;
			break;
		case 'O':
			mode = PARTA_OFFLINE;
			break;
		case 'X':
			mode = PARTA_FORGET;
			break;
		case 'G':
			mode = PARTA_DIGEST;
			digest = optarg;
			break;
		case 'R':
			reply = optarg;
			break;
		case 'P':
			mode = PARTA_REPLIES;
			packet = optarg;
			break;
		case 'M':
			mode = PARTA_MAKE_DIGEST;
			packet = optarg;
			break;
		case 'D':
			days = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || days < 0 ||
			    days > 3660) {
				parta_err("%s", _("--days: a number of days from "
				    "0 to 3660"));
				return 2;
			}
			break;
		case 'h':
			parta_usage(stdout);
			return 0;
		default:
			if (optopt != 0 && strchr("pideFGRPMD", optopt) != NULL)
				fprintf(stderr, _("parta: option -%c needs a "
				    "value\n"), optopt);
			else
				fprintf(stderr, "%s\n",
				    _("parta: unknown option"));
			parta_usage(stderr);
			return 2;
		}
	}
	if (mode == PARTA_DIGEST) {
		if (argc != optind) {
			parta_usage(stderr);
			return 2;
		}
		return reader_run(digest, reply, cs);
	}
	if (argc - optind != 1) {
		parta_usage(stderr);
		return 2;
	}
	o.dest = argv[optind];
	o.ask = isatty(STDIN_FILENO);
	if (link_resolve(&o, &d, &cause) != 0) {
		parta_err("%s", cause);
		free(cause);
		return 2;
	}
	if (dir_opt != NULL)
		dir = xstrdup(dir_opt);
	else if ((dir = parta_cachedir(&d)) == NULL) {
		parta_err("%s", _("no home directory: say where the local copy "
		    "lives with -d"));
		link_dest_free(&d);
		return 2;
	}
	switch (mode) {
	case PARTA_SYNC:
		rc = parta_sync(&o, dir);
		break;
	case PARTA_FORGET:
		rc = parta_forget(dir);
		break;
	case PARTA_MAKE_DIGEST:
		rc = 1;
		if ((sl = parta_open(dir)) != NULL) {
			rc = reader_make(sl, d.login, days, packet);
			sync_local_close(sl);
		}
		break;
	case PARTA_REPLIES:
		rc = 1;
		if ((sl = parta_open(dir)) != NULL) {
			rc = reader_replies(sl, d.login, packet);
			sync_local_close(sl);
		}
		break;
	case PARTA_OFFLINE:
		rc = parta_screens(&o, &d, dir, 1, cs);
		break;
	default:
		rc = parta_screens(&o, &d, dir, 0, cs);
	}
	free(dir);
	link_dest_free(&d);
	return rc;
}
