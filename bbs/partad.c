/*
 * partad.c: the listener.
 *
 * It reads the configuration, opens (and migrates) the store once, makes
 * the host key on first start, then accepts TCP connections and forks one
 * session process per connection (session.c).  Like OpenSSH's sshd, the
 * listener itself never reads a byte from a client: a bug in protocol
 * handling can crash one session, not the server.  It counts sessions
 * not yet logged in, from the startup socket each holds (partad.h), and
 * refuses connections beyond max_startups and per_source_max_startups
 * before forking.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/landlock.h>

#include <libssh/libssh.h>

#include "i18n.h"
#include "log.h"
#include "online.h"
#include "partad.h"
#include "search.h"
#include "store.h"
#include "util.h"

#define DEFAULT_CONFIG	"/etc/parta/partad.conf"

struct server server;

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: partad [-htTv] [-d datadir] [-f config] [-l address] [-p port]\n"
	    "              [-u user]\n"
	    "  -d datadir  data directory (store, host key); default /var/lib/parta\n"
	    "  -f config   configuration file; default " DEFAULT_CONFIG " if it exists\n"
	    "  -l address  address to listen on\n"
	    "  -p port     port to listen on\n"
	    "  -t          check the configuration and the store, then exit\n"
	    "  -T          print the effective configuration and exit\n"
	    "  -u user     started as root, run as this user; default parta\n"
	    "  -v          log debug messages\n"
	    "  -h          this help\n"
	    "configuration keys (partad.conf(5)):\n");
	config_print_keys(fp);
}

/*
 * The C library's allocator without its per-thread cache (tcache), set
 * before anything is allocated: partad executes itself once more with
 * GLIBC_TUNABLES saying so.  Every session is a fork of this process and
 * every UI a fork of its session.  The cache keeps up to seven freed
 * chunks of each small size wherever they lie, never merged with their
 * neighbours, and a child's first allocations take them: each writes a
 * few bytes into a page it shared with its parent, which the kernel then
 * copies.  That was some 150 scattered pages per process, 0.6 MB of the
 * 2.2 MB an idle session held (tests/bench/RESULTS.md, issue 18); without
 * the cache freed chunks merge and a child allocates from few pages.
 * Allocation is a little slower (the fast bins still serve small sizes).
 * A tunable the operator set is kept; a C library that knows none
 * ignores it; if the execution fails, partad runs on as it is.  The
 * tunables the operator had are put back for what partad executes
 * (sz, rz).
 */
static void
partad_malloc_policy(char **argv)
{
	const char	*was = getenv("PARTAD_TUNABLES_WAS");
	const char	*t = getenv("GLIBC_TUNABLES");
	char		 self[4096], *v;
	ssize_t		 n;

	if (was != NULL) {
		if (*was != '\0')
			setenv("GLIBC_TUNABLES", was, 1);
		else
			unsetenv("GLIBC_TUNABLES");
		unsetenv("PARTAD_TUNABLES_WAS");
		return;
	}
	if (t != NULL && strstr(t, "glibc.malloc.tcache_count") != NULL)
		return;
	/* The file's own name, not /proc/self/exe: the kernel names the
	 * process after it (comm), and online.c knows sessions by it. */
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return;
	self[n] = '\0';
	v = xasprintf("%s%sglibc.malloc.tcache_count=0", t != NULL ? t : "",
	    t != NULL && *t != '\0' ? ":" : "");
	setenv("PARTAD_TUNABLES_WAS", t != NULL ? t : "", 1);
	setenv("GLIBC_TUNABLES", v, 1);
	free(v);
	execv(self, argv);
	/* Not executed: as before. */
	unsetenv("PARTAD_TUNABLES_WAS");
	if (t != NULL)
		setenv("GLIBC_TUNABLES", t, 1);
	else
		unsetenv("GLIBC_TUNABLES");
}

static void
on_signal(int sig)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		server.got_term = 1;
		break;
	case SIGHUP:
		server.got_hup = 1;
		break;
	case SIGCHLD:
		server.got_chld = 1;
		break;
	}
}

static void
signals_init(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * Build a configuration: defaults, then the file, then the command line
 * overrides (NULL when absent).  0, or -1 with *cause.
 */
struct overrides {
	const char	*data_dir, *address, *port, *user;
};

static int
config_build(struct config *c, const struct overrides *o, char **cause)
{
	struct stat	 sb;

	config_defaults(c);
	if (server.config_path != NULL &&
	    (server.config_required || stat(server.config_path, &sb) == 0) &&
	    config_load(c, server.config_path, cause) != 0)
		return -1;
	if (o->data_dir != NULL && config_set(c, "data_dir", o->data_dir, cause) != 0)
		return -1;
	if (o->address != NULL &&
	    config_set(c, "listen_address", o->address, cause) != 0)
		return -1;
	if (o->port != NULL && config_set(c, "port", o->port, cause) != 0)
		return -1;
	if (o->user != NULL && config_set(c, "user", o->user, cause) != 0)
		return -1;
	return config_check(c, cause);
}

/* Load the host key, making an ed25519 one if the file does not exist. */
static int
hostkey_init(char **cause)
{
	ssh_key		 key = NULL;
	char		*pub = NULL, *b64 = NULL, *hash_str = NULL;
	unsigned char	*hash = NULL;
	size_t		 hlen;
	struct stat	 sb;
	mode_t		 old;
	FILE		*fp;
	int		 rc = -1;

	if (stat(server.host_key, &sb) != 0) {
		if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
			*cause = xasprintf("cannot generate a host key");
			goto out;
		}
		old = umask(077);
		rc = ssh_pki_export_privkey_file(key, NULL, NULL, NULL,
		    server.host_key);
		umask(old);
		if (rc != SSH_OK) {
			*cause = xasprintf("%s: cannot write the host key",
			    server.host_key);
			rc = -1;
			goto out;
		}
		pub = xasprintf("%s.pub", server.host_key);
		if (ssh_pki_export_pubkey_base64(key, &b64) == SSH_OK &&
		    (fp = fopen(pub, "w")) != NULL) {
			fprintf(fp, "%s %s partad\n", ssh_key_type_to_char(
			    ssh_key_type(key)), b64);
			fclose(fp);
		}
		log_info("generated host key %s", server.host_key);
		ssh_key_free(key);
		key = NULL;
	}
	rc = -1;
	if (ssh_pki_import_privkey_file(server.host_key, NULL, NULL, NULL,
	    &key) != SSH_OK) {
		*cause = xasprintf("%s: cannot read the host key", server.host_key);
		goto out;
	}
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) == SSH_OK &&
	    (hash_str = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256,
	    hash, hlen)) != NULL)
		log_info("host key %s %s", ssh_key_type_to_char(ssh_key_type(key)),
		    hash_str);
	rc = 0;
out:
	ssh_string_free_char(hash_str);
	ssh_clean_pubkey_hash(&hash);
	ssh_string_free_char(b64);
	free(pub);
	/* Into the bind, which owns it now: sessions need not read the
	 * file after partad has dropped root. */
	if (rc == 0 && ssh_bind_options_set(server.bind,
	    SSH_BIND_OPTIONS_IMPORT_KEY, key) == SSH_OK)
		key = NULL;
	else if (rc == 0) {
		*cause = xasprintf("%s: %s", server.host_key,
		    ssh_get_error(server.bind));
		rc = -1;
	}
	ssh_key_free(key);
	return rc;
}

/* Resolve paths, create the data directory, open and migrate the store
 * (then close it: sessions open their own), load the host key. */
static int
server_prepare(char **cause)
{
	struct store	*st;
	const char	*tmp;

	free(server.store_path);
	free(server.host_key);
	server.store_path = xasprintf("%s/parta.db", server.cfg.data_dir);
	server.host_key = *server.cfg.host_key != '\0' ?
	    xstrdup(server.cfg.host_key) :
	    xasprintf("%s/ssh_host_ed25519_key", server.cfg.data_dir);
	if (mkdir(server.cfg.data_dir, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("%s: %s", server.cfg.data_dir, strerror(errno));
		return -1;
	}
	/* Temporary files (SQLite's, ZMODEM's staging) go to $TMPDIR, or
	 * else stay inside data_dir; Landlock lets sessions write in either
	 * (session.c), and nowhere else but data_dir. */
	free(server.tmp_dir);
	if ((tmp = getenv("TMPDIR")) != NULL && *tmp == '/')
		server.tmp_dir = xstrdup(tmp);
	else {
		server.tmp_dir = xasprintf("%s/tmp", server.cfg.data_dir);
		if (mkdir(server.tmp_dir, 0700) != 0 && errno != EEXIST) {
			*cause = xasprintf("%s: %s", server.tmp_dir,
			    strerror(errno));
			return -1;
		}
		setenv("TMPDIR", server.tmp_dir, 1);
	}
	if (store_open(server.store_path, &st, cause) != 0)
		return -1;
	/* Rows of who is online left by an earlier run name dead pids. */
	if (online_reset(st) != 0)
		log_warn("cannot empty who is online (%s-online)",
		    server.store_path);
	store_close(st);
	return hostkey_init(cause);
}

/*
 * Resolve and bind the listening socket, as start-up must.  For -t
 * (check set) the socket is closed again, and an address in use counts
 * as good: it is most likely the running partad's.  0, or -1 and *cause.
 */
static int
listen_open(int check, char **cause)
{
	struct addrinfo	 hints, *res = NULL;
	char		 port[16];
	int		 fd = -1, on = 1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	snprintf(port, sizeof(port), "%d", server.cfg.port);
	if ((rc = getaddrinfo(server.cfg.listen_address, port, &hints, &res)) != 0) {
		*cause = xasprintf("%s: %s", server.cfg.listen_address,
		    gai_strerror(rc));
		return -1;
	}
	fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    bind(fd, res->ai_addr, res->ai_addrlen) != 0 ||
	    listen(fd, 128) != 0) {
		rc = errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		if (check && rc == EADDRINUSE) {
			printf("partad: %s port %s is in use (by a running "
			    "partad?)\n", server.cfg.listen_address, port);
			return 0;
		}
		*cause = xasprintf("%s port %s: %s", server.cfg.listen_address,
		    port, strerror(rc));
		return -1;
	}
	freeaddrinfo(res);
	if (check)
		close(fd);
	else
		server.listen_fd = fd;
	return 0;
}

static struct child *
child_find(pid_t pid)
{
	size_t	 i;

	for (i = 0; i < server.nchildren; i++)
		if (server.children[i].pid == pid)
			return &server.children[i];
	return NULL;
}

static void
child_close_startup(struct child *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
}

/*
 * Started as root: the user to become (the key user), who must exist
 * and must not be root.  0 and *pw, or -1 and *cause.
 */
static int
privdrop_user(struct passwd **pw, char **cause)
{
	*pw = NULL;
	if ((*pw = getpwnam(server.cfg.user)) == NULL) {
		*cause = xasprintf("user %s does not exist: create it (useradd "
		    "--system --home-dir %s --shell /usr/sbin/nologin %s) or "
		    "name another with the key user", server.cfg.user,
		    server.cfg.data_dir, server.cfg.user);
		return -1;
	}
	if ((*pw)->pw_uid == 0) {
		*cause = xasprintf("user %s: sessions never run as root; name "
		    "an unprivileged user with the key user", server.cfg.user);
		return -1;
	}
	return 0;
}

static uid_t	privdrop_uid;
static gid_t	privdrop_gid;

static int
privdrop_chown_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	/* The host key stays root's: the sessions have it in memory. */
	if (strcmp(path, server.host_key) == 0)
		return 0;
	if ((sb->st_uid != privdrop_uid || sb->st_gid != privdrop_gid) &&
	    lchown(path, privdrop_uid, privdrop_gid) != 0)
		log_warn("chown %s: %s", path, strerror(errno));
	return 0;
}

/* Warn of what others could read or change: the host key, the store. */
static void
privdrop_check_modes(void)
{
	struct stat	 sb;

	if (stat(server.host_key, &sb) == 0 && (sb.st_mode & 077) != 0)
		log_warn("host key %s has mode %04o: others may read it "
		    "(chmod 600)", server.host_key, (unsigned)sb.st_mode & 07777);
	if (stat(server.cfg.data_dir, &sb) == 0 && (sb.st_mode & 077) != 0)
		log_warn("data_dir %s has mode %04o: others may reach the store "
		    "(chmod 700)", server.cfg.data_dir,
		    (unsigned)sb.st_mode & 07777);
	if (stat(server.store_path, &sb) == 0 && (sb.st_mode & 022) != 0)
		log_warn("store %s has mode %04o: others may change it "
		    "(chmod 600)", server.store_path, (unsigned)sb.st_mode & 07777);
}

/*
 * After binding: started as root, give data_dir to the user and become
 * it for good; sessions, the UI and SFTP then never run as root.  Not
 * root: stay who we are.  0, or -1 and *cause.
 */
static int
privdrop(char **cause)
{
	struct passwd	*pw;
	struct store	*st;

	privdrop_check_modes();
	if (geteuid() != 0)
		return 0;
	if (privdrop_user(&pw, cause) != 0)
		return -1;
	privdrop_uid = pw->pw_uid;
	privdrop_gid = pw->pw_gid;
	(void)nftw(server.cfg.data_dir, privdrop_chown_one, 16, FTW_PHYS);
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		*cause = xasprintf("cannot become user %s: %s", server.cfg.user,
		    strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {
		*cause = xasprintf("could become root again after dropping to %s",
		    server.cfg.user);
		return -1;
	}
	/* The store must open as the user, or every session would fail. */
	if (store_open(server.store_path, &st, cause) != 0) {
		char	*why = *cause;

		*cause = xasprintf("as user %s: %s", server.cfg.user, why);
		free(why);
		return -1;
	}
	store_close(st);
	log_info("running as user %s", server.cfg.user);
	return 0;
}

static void
children_reap(void)
{
	struct child	*c;
	pid_t		 pid;
	int		 status;

	server.got_chld = 0;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if ((c = child_find(pid)) != NULL) {
			/* SIGALRM: kex_timeout or auth_timeout (session.c). */
			if (c->state == CHILD_STARTUP && WIFSIGNALED(status) &&
			    WTERMSIG(status) == SIGALRM)
				log_info("%s: no login in time, session %ld ended",
				    c->addr, (long)pid);
			else if (WIFSIGNALED(status))
				log_warn("session %ld killed by signal %d",
				    (long)pid, WTERMSIG(status));
			else
				log_debug("session %ld exited %d", (long)pid,
				    WEXITSTATUS(status));
			child_close_startup(c);
			*c = server.children[--server.nchildren];
		}
	}
}

/* Connections not logged in yet: all of them, and those from addr. */
static void
children_startups(const char *addr, int *all, int *from)
{
	size_t	 i;

	*all = *from = 0;
	for (i = 0; i < server.nchildren; i++) {
		if (server.children[i].state != CHILD_STARTUP)
			continue;
		(*all)++;
		if (strcmp(server.children[i].addr, addr) == 0)
			(*from)++;
	}
}

static int
children_guests(void)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < server.nchildren; i++)
		n += server.children[i].state == CHILD_GUEST;
	return n;
}

/*
 * The child wrote on its startup socket: it has logged in, or asks
 * whether "new" may (max_guest_sessions); or it closed the socket,
 * ending before it logged in.
 */
static void
child_startup(struct child *c)
{
	char	 b, reply;
	ssize_t	 n;
	int	 guests;

	n = read(c->fd, &b, 1);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n == 1 && b == STARTUP_AUTHED)
		c->state = CHILD_AUTHED;
	else if (n == 1 && b == STARTUP_GUEST) {
		guests = children_guests();
		reply = guests < server.cfg.max_guest_sessions ? STARTUP_YES :
		    STARTUP_NO;
		if (reply == STARTUP_YES)
			c->state = CHILD_GUEST;
		else {
			c->state = CHILD_GONE;
			log_warn("refusing registration from %s: %d already "
			    "(max_guest_sessions %d)", c->addr, guests,
			    server.cfg.max_guest_sessions);
		}
		/* A session that went away needs no answer. */
		if (write(c->fd, &reply, 1) != 1)
			log_debug("startup socket of %ld: %s", (long)c->pid,
			    strerror(errno));
	}
	/* Otherwise it ends before logging in; it counts as not logged in
	 * until reaped (then children_reap can tell a deadline's SIGALRM). */
	child_close_startup(c);
}

/*
 * Refuse a connection before forking?  Like OpenSSH's MaxStartups: from
 * begin connections not logged in, refuse rate% of new ones, rising
 * linearly to all of them at full; and at most per_source_max_startups
 * from one address.  1 (and a log line) to refuse.
 */
/*
 * The connections not logged in crowd out a newcomer from addr, which
 * holds from of them: rather than turn away an address that holds few
 * (a teacher), end the oldest connection of the address that holds the
 * most, if it holds at least two more than addr.  Many connections from
 * a few addresses then crowd out only each other; only an attacker with
 * as many addresses as max_startups has places keeps newcomers out, as
 * with OpenSSH.  1 if a place was made.
 */
static int
startups_evict(const char *addr, int from)
{
	struct child	*c, *victim = NULL;
	size_t		 i;
	int		 all, most = 0, n;

	for (i = 0; i < server.nchildren; i++) {
		c = &server.children[i];
		if (c->state != CHILD_STARTUP)
			continue;
		children_startups(c->addr, &all, &n);
		if (n > most || (n == most && victim != NULL &&
		    c->started_ms < victim->started_ms)) {
			most = n;
			victim = c;
		}
	}
	if (victim == NULL || most < from + 2)
		return 0;
	log_warn("ending session %ld from %s, one of %d not logged in from "
	    "there, to make room for %s (max_startups %s)", (long)victim->pid,
	    victim->addr, most, addr, server.cfg.max_startups);
	kill(victim->pid, SIGKILL);
	victim->state = CHILD_GONE;
	return 1;
}

static int
startups_refuse(const char *addr)
{
	int	 all, from, begin, rate, full, p;

	children_startups(addr, &all, &from);
	if (from >= server.cfg.per_source_max_startups) {
		log_warn("refusing %s: %d connections from it not logged in yet "
		    "(per_source_max_startups %d)", addr, from,
		    server.cfg.per_source_max_startups);
		return 1;
	}
	if (config_parse_startups(server.cfg.max_startups, &begin, &rate,
	    &full) != 0 || all < begin)
		return 0;
	if (all < full && rate < 100) {
		p = rate + (100 - rate) * (all - begin) / (full - begin);
		if ((int)arc4random_uniform(100) >= p)
			return 0;
	}
	if (startups_evict(addr, from))
		return 0;
	log_warn("refusing %s: %d connections not logged in yet "
	    "(max_startups %s)", addr, all, server.cfg.max_startups);
	return 1;
}

static void
config_reload(const struct overrides *o)
{
	struct config	 c;
	char		*cause = NULL;

	server.got_hup = 0;
	if (config_build(&c, o, &cause) != 0) {
		log_error("SIGHUP: keeping the old configuration: %s", cause);
		free(cause);
		config_free(&c);
		return;
	}
	if (strcmp(c.listen_address, server.cfg.listen_address) != 0 ||
	    c.port != server.cfg.port || strcmp(c.data_dir, server.cfg.data_dir) != 0 ||
	    strcmp(c.user, server.cfg.user) != 0)
		log_warn("SIGHUP: listen_address, port, data_dir and user change "
		    "only after a restart");
	/* Keep what the running listener is bound to. */
	config_set(&c, "listen_address", server.cfg.listen_address, &cause);
	config_set(&c, "data_dir", server.cfg.data_dir, &cause);
	config_set(&c, "user", server.cfg.user, &cause);
	c.port = server.cfg.port;
	config_free(&server.cfg);
	server.cfg = c;
	log_init("partad", server.verbose ? LOG_LEVEL_DEBUG :
	    (enum log_level)log_level_parse(server.cfg.log_level), server.cfg.syslog);
	log_info("configuration re-read");
}

static void
peer_string(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	if (getnameinfo((const struct sockaddr *)ss, sizeof(*ss), buf, len,
	    NULL, 0, NI_NUMERICHOST) != 0)
		strlcpy_p(buf, "unknown", len);
}

static void
accept_one(void)
{
	static const char	 busy[] = "parta: too many connections are "
	    "logging in; try again in a minute.\r\n";
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	char			 addr[NI_MAXHOST];
	struct child		*c;
	pid_t			 pid;
	int			 fd, sv[2];

	if ((fd = accept4(server.listen_fd, (struct sockaddr *)&ss, &sslen,
	    SOCK_CLOEXEC)) < 0) {
		if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
			log_warn("accept: %s", strerror(errno));
		return;
	}
	peer_string(&ss, addr, sizeof(addr));
	if (server.nchildren >= (size_t)server.cfg.max_sessions) {
		log_warn("refusing %s: %zu sessions already", addr, server.nchildren);
		close(fd);
		return;
	}
	if (startups_refuse(addr)) {
		/* Plain text, as sshd's "Exceeded MaxStartups": a fresh
		 * socket's buffer takes it without blocking. */
		if (write(fd, busy, sizeof(busy) - 1) < 0)
			log_debug("%s: %s", addr, strerror(errno));
		close(fd);
		return;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		log_error("socketpair: %s", strerror(errno));
		close(fd);
		return;
	}
	switch (pid = fork()) {
	case -1:
		log_error("fork: %s", strerror(errno));
		close(fd);
		close(sv[0]);
		close(sv[1]);
		return;
	case 0:
		close(server.listen_fd);
		close(sv[0]);
		while (server.nchildren > 0)
			child_close_startup(&server.children[--server.nchildren]);
		free(server.children);
		server.children = NULL;
		server.startup_fd = sv[1];
		_exit(session_run(fd, addr));
	}
	close(fd);
	close(sv[1]);
	server.children = xrealloc(server.children,
	    (server.nchildren + 1) * sizeof(*server.children));
	c = &server.children[server.nchildren++];
	memset(c, 0, sizeof(*c));
	c->pid = pid;
	c->fd = sv[0];
	c->state = CHILD_STARTUP;
	c->started_ms = now_mono_ms();
	strlcpy_p(c->addr, addr, sizeof(c->addr));
	log_info("connection from %s, session %ld", addr, (long)pid);
}

/* Wait for a connection or a child's word on its startup socket. */
static void
listener_poll(void)
{
	struct pollfd	*pfd;
	pid_t		*pids;
	struct child	*c;
	size_t		 i, n = 1;

	pfd = xcalloc(server.nchildren + 1, sizeof(*pfd));
	pids = xcalloc(server.nchildren + 1, sizeof(*pids));
	pfd[0].fd = server.listen_fd;
	pfd[0].events = POLLIN;
	for (i = 0; i < server.nchildren; i++) {
		if (server.children[i].fd == -1)
			continue;
		pfd[n].fd = server.children[i].fd;
		pfd[n].events = POLLIN;
		pids[n++] = server.children[i].pid;
	}
	if (poll(pfd, n, 1000) > 0) {
		/* By pid: accept_one may move the array. */
		for (i = 1; i < n; i++)
			if (pfd[i].revents != 0 &&
			    (c = child_find(pids[i])) != NULL && c->fd != -1)
				child_startup(c);
		if (pfd[0].revents & POLLIN)
			accept_one();
	}
	free(pids);
	free(pfd);
}

static void
shutdown_sessions(void)
{
	size_t	 i;
	int	 waited;

	log_info("shutting down %zu session(s)", server.nchildren);
	for (i = 0; i < server.nchildren; i++)
		kill(server.children[i].pid, SIGTERM);
	/* Give sessions a few seconds to say goodbye, then insist. */
	for (waited = 0; server.nchildren > 0 && waited < 50; waited++) {
		children_reap();
		if (server.nchildren > 0)
			usleep(100000);
	}
	for (i = 0; i < server.nchildren; i++)
		kill(server.children[i].pid, SIGKILL);
	children_reap();
}

int
main(int argc, char **argv)
{
	struct overrides	 o = { NULL, NULL, NULL, NULL };
	char			*cause = NULL;
	int			 ch, check = 0, dump = 0;

	partad_malloc_policy(argv);
	log_init("partad", LOG_LEVEL_INFO, 0);
	server.config_path = xstrdup(DEFAULT_CONFIG);
	server.listen_fd = -1;
	server.startup_fd = -1;
	while ((ch = getopt(argc, argv, "d:f:hl:p:tTu:v")) != -1) {
		switch (ch) {
		case 'd':
			o.data_dir = optarg;
			break;
		case 'f':
			free(server.config_path);
			server.config_path = xstrdup(optarg);
			server.config_required = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'l':
			o.address = optarg;
			break;
		case 'p':
			o.port = optarg;
			break;
		case 't':
			check = 1;
			break;
		case 'T':
			dump = 1;
			break;
		case 'u':
			o.user = optarg;
			break;
		case 'v':
			server.verbose = 1;
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}
	if (config_build(&server.cfg, &o, &cause) != 0) {
		fprintf(stderr, "partad: %s\n", cause);
		return 1;
	}
	if (dump) {
		config_dump(&server.cfg, stdout);
		return 0;
	}
	log_init("partad", server.verbose ? LOG_LEVEL_DEBUG :
	    (enum log_level)log_level_parse(server.cfg.log_level), server.cfg.syslog);
	server.localedir = i18n_localedir(server.cfg.locale_dir);
	i18n_init(server.localedir, server.cfg.default_language);
	if (ssh_init() != SSH_OK)
		fatal("libssh failed to initialise");
	/* -t goes as far as start-up does, short of accepting. */
	server.bind = ssh_bind_new();
	if (server_prepare(&cause) != 0)
		fatal("%s", cause);
	if (!check)
		signals_init();
	if (listen_open(check, &cause) != 0)
		fatal("%s", cause);
	if (check && geteuid() == 0) {
		struct passwd	*pw;

		if (privdrop_user(&pw, &cause) != 0)
			fatal("%s", cause);
	}
	if (check) {
		printf("partad: configuration OK (%s, store %s)\n",
		    server.config_path, server.store_path);
		ssh_bind_free(server.bind);
		return 0;
	}
	if (privdrop(&cause) != 0)
		fatal("%s", cause);
	log_info("listening on %s port %d, data in %s", server.cfg.listen_address,
	    server.cfg.port, server.cfg.data_dir);
	if (server.cfg.landlock && syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION) < 1)
		log_info("Landlock is not available in this kernel: sessions "
		    "are not confined to %s", server.cfg.data_dir);
	if (PARTAD_ASAN && server.cfg.memory_limit != 0)
		log_info("memory_limit is not enforced: built with "
		    "AddressSanitizer");
	/* The search dictionary, before sessions fork: they share its pages
	 * rather than each loading 20 MB (and a missing one is said once). */
	(void)search_preload();

	while (!server.got_term) {
		if (server.got_chld)
			children_reap();
		if (server.got_hup)
			config_reload(&o);
		listener_poll();
	}
	close(server.listen_fd);
	shutdown_sessions();
	ssh_bind_free(server.bind);
	ssh_finalize();
	config_free(&server.cfg);
	free(server.config_path);
	free(server.store_path);
	free(server.host_key);
	free(server.tmp_dir);
	free(server.children);
	log_info("stopped");
	return 0;
}
