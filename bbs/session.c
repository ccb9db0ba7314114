/*
 * session.c: one SSH connection, in its own process.
 *
 * Order of events: key exchange within kex_timeout; authentication
 * (password, public key, or the user "new" for registration, if the
 * listener has room for one more: max_guest_sessions) within
 * auth_timeout, each attempt weighed by the throttle first (throttle.h),
 * and told to the listener on the startup socket (partad.h); then one
 * session channel whose shell request starts the UI child on a pty
 * (pump.c), or whose sftp or parta-sync subsystem starts the SFTP child
 * (sftp.c) or the sync server's (syncd.c), relayed by relay.c.  The
 * process ends when the child exits, the client goes away, or the
 * account is banned or kicked (a look at the store every
 * SESSION_CHECK_MS, and SIGUSR1 from parta-sysop).
 *
 * Once the UI runs and the session is listed as online, the session
 * process closes its store connection and gives the memory back
 * (session_release): an idle session is two processes, and a
 * connection holds some 300 kB of its own (the parsed schema, 190 kB of
 * it the triggers, and the pages read).  The UI then looks at the
 * account itself (ui_host check_account); the connection is opened
 * again only to leave the online list at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "charset.h"
#include "log.h"
#include "online.h"
#include "partad.h"
#include "perr.h"
#include "pump.h"
#include "relay.h"
#include "sftp.h"
#include "store.h"
#include "syncd.h"
#include "throttle.h"
#include "ui/ui.h"
#include "ui-host.h"
#include "user.h"
#include "userkey.h"
#include "util.h"
#include "worker.h"

/* Unknown keys one connection may offer (each counts as a failure);
 * agents often hold several, so this is more than max_auth_tries. */
#define SESSION_KEY_TRIES	10
/* After our close: how long the client may take to hang up after its
 * close, and in all (session_end_channel). */
#define SESSION_HANGUP_MS	2000
#define SESSION_LINGER_MS	10000
/* How often a logged-in session looks whether its account was banned. */
#define SESSION_CHECK_MS	2000

struct session {
	ssh_session	 ssh;
	ssh_event	 event;
	ssh_channel	 chan;
	struct ssh_server_callbacks_struct	scb;
	struct ssh_channel_callbacks_struct	ccb;
	struct store	*st;
	const char	*addr;
	int		 failures;	/* failed password attempts */
	int		 key_failures;	/* keys offered that are not on file */
	int64_t		 key_fail_ids[SESSION_KEY_TRIES]; /* throttle.h ids */
	int		 pw_closed;	/* blocked: told so, passwords refused */
	int		 authed;
	struct ui_params ui;		/* who logged in, their terminal */
	struct pump	*pump;
	struct relay	*relay;		/* a subsystem's (sftp, parta-sync) */
	int		 done;
	int		 kicked;	/* banned or kicked: ending */
	int		 was_banned;	/* at login: the gate shows it */
	int64_t		 next_check_ms;	/* SESSION_CHECK_MS */
	int64_t		 last_out_ms;	/* for keepalives */
	int		 refuse_exec;	/* 1: refuse the exec request now */
	int		 guest_refused;	/* max_guest_sessions: say so, end */
	int64_t		 linger_until;	/* then wait for the client's close */
	int		 released;	/* st closed while the UI runs */
	int		 pw_charset;	/* how a non-ASCII password was typed */
	int		 ending;	/* our close sent: waiting for theirs */
	int64_t		 peer_closed_ms; /* the client's close came then */
};

/* parta-sysop kick (and ban) signal a session with SIGUSR1. */
static volatile sig_atomic_t session_got_kick;

static void
session_on_kick(int sig)
{
	(void)sig;
	session_got_kick = 1;
}

static int
registration_login(const char *user)
{
	return server.cfg.registration && strcmp(user, "new") == 0;
}

/* Tell the listener an account has logged in: it no longer counts this
 * connection against max_startups. */
static void
session_startup_done(void)
{
	char	 b = STARTUP_AUTHED;

	if (server.startup_fd == -1)
		return;
	/* If the listener is gone, so is the reason to tell it. */
	if (write(server.startup_fd, &b, 1) != 1)
		log_debug("startup socket: %s", strerror(errno));
	close(server.startup_fd);
	server.startup_fd = -1;
}

/*
 * May "new" log in?  The listener counts registrations
 * (max_guest_sessions) and answers at once; no answer within 10 s is a
 * no.
 */
static int
session_guest_allowed(void)
{
	struct pollfd	 pfd;
	char		 b = STARTUP_GUEST;
	int		 ok = 0;

	if (server.startup_fd == -1)
		return 1;	/* asked and answered before */
	pfd.fd = server.startup_fd;
	pfd.events = POLLIN;
	if (write(server.startup_fd, &b, 1) == 1 && poll(&pfd, 1, 10000) == 1 &&
	    read(server.startup_fd, &b, 1) == 1)
		ok = b == STARTUP_YES;
	close(server.startup_fd);
	server.startup_fd = -1;
	return ok;
}

static void
session_policy(struct throttle_policy *p)
{
	p->failures = server.cfg.throttle_failures;
	p->addr_failures = server.cfg.throttle_address_failures;
	p->window = server.cfg.throttle_window;
	p->block = server.cfg.throttle_block;
}

/*
 * Authentication reads only (a full disk must not keep anyone out); what
 * it writes is bookkeeping, and may fail: the keys this connection
 * offered in vain were the client's other keys, not guesses, and the
 * login's earlier failures from here are forgiven.
 */
static void
session_authed(struct session *s, int64_t user_id, const char *login, int guest,
    int64_t attempt)
{
	int64_t	 ids[SESSION_KEY_TRIES + 1], last;

	if (!guest)
		session_startup_done();
	s->authed = 1;
	s->ui.user_id = user_id;
	s->ui.guest = guest;
	/* Never logged in before (read before the login is noted): the UI
	 * offers its tour. */
	if (!guest && store_int(s->st, &last, "SELECT coalesce(last_login, 0)"
	    " FROM users WHERE id = ?", "i", user_id) == 0)
		s->ui.first_login = last == 0;
	strlcpy_p(s->ui.login, login, sizeof(s->ui.login));
	log_info("%s authenticated from %s", guest ? "registration" : login,
	    s->addr);
	memcpy(ids, s->key_fail_ids, sizeof(s->key_fail_ids));
	ids[s->key_failures] = attempt;
	if (!guest && throttle_success(s->st, ids, s->key_failures + 1,
	    s->addr, login) != 0)
		log_warn("could not forget the failed logins of %s", login);
}

/*
 * Passwords from this address (for this login) are blocked: say so, in
 * both languages since the user's is not known yet, in a banner, which
 * OpenSSH and PuTTY print, and offer only keys from now on.  A line
 * before the version string would not do: clients show it only when
 * debugging.
 */
static void
session_pw_closed(struct session *s, int64_t left)
{
	ssh_string	 str;
	char		*msg;
	long long	 mins = (long long)(left + 59) / 60;

	if (!s->pw_closed) {
		s->pw_closed = 1;
		msg = xasprintf("parta: слишком много неудачных попыток входа с "
		    "адреса %s: вход по паролю закрыт на %lld мин.; вход по "
		    "ключу открыт.\r\nparta: too many failed logins from %s: "
		    "password login is closed for %lld min.; key login still "
		    "works.\r\n", s->addr, mins, s->addr, mins);
		if ((str = ssh_string_from_char(msg)) != NULL) {
			(void)ssh_send_issue_banner(s->ssh, str);
			ssh_string_free(str);
		}
		free(msg);
		/* For clients that show only the reason of a disconnect
		 * (OpenSSH with LogLevel ERROR); it must be ASCII there. */
		msg = xasprintf("too many failed logins from %s: password login"
		    " is closed for %lld min.", s->addr, mins);
		ssh_session_set_disconnect_message(s->ssh, msg);
		free(msg);
	}
	ssh_set_auth_methods(s->ssh, SSH_AUTH_METHOD_PUBLICKEY);
}

/*
 * Authentication of "new" succeeded: go on to the registration form,
 * or, over max_guest_sessions, let the client in only to read why it is
 * turned away (a refused authentication would leave OpenSSH asking for
 * a password instead).  Returns SSH_AUTH_SUCCESS.
 */
static int
session_guest(struct session *s)
{
	if (session_guest_allowed()) {
		session_authed(s, 0, "new", 1, 0);
		return SSH_AUTH_SUCCESS;
	}
	log_info("registration from %s refused: too many at once", s->addr);
	s->guest_refused = 1;
	s->authed = 1;
	return SSH_AUTH_SUCCESS;
}

static void
auth_failed(struct session *s, const char *user, const char *how,
    int64_t attempt)
{
	struct throttle_policy	 p;
	int64_t			 left;

	char			 name[LOG_NAME_BUF];

	session_policy(&p);
	s->failures++;
	log_info("failed %s for %s from %s (%d of %d)", how,
	    log_name(name, user), s->addr, s->failures,
	    server.cfg.max_auth_tries);
	if (attempt > 0 && throttle_failed(s->st, &p, attempt, s->addr) != 0)
		log_warn("could not count a failed login from %s", s->addr);
	if ((left = throttle_login_blocked(s->st, &p, s->addr, user)) > 0) {
		log_info("blocked password logins for %s from %s for %lld s",
		    log_name(name, user), s->addr, (long long)left);
		session_pw_closed(s, left);
	}
	if (s->failures >= server.cfg.max_auth_tries)
		s->done = 1;
}

static int
auth_none(ssh_session ssh, const char *user, void *arg)
{
	struct session		*s = arg;
	struct throttle_policy	 p;
	int64_t			 left;

	(void)ssh;
	if (s->done)
		return SSH_AUTH_DENIED;
	if (!registration_login(user)) {
		/* Clients ask "none" first: tell a blocked one before it
		 * asks its user for a password in vain. */
		session_policy(&p);
		if ((left = throttle_login_blocked(s->st, &p, s->addr, user)) > 0) {
			log_info("told: passwords of %s from %s blocked for %lld"
			    " more seconds", user, s->addr, (long long)left);
			session_pw_closed(s, left);
		}
		return SSH_AUTH_DENIED;
	}
	return session_guest(s);
}

static int
auth_password(ssh_session ssh, const char *user, const char *password, void *arg)
{
	struct session		*s = arg;
	struct throttle_policy	 p;
	int64_t			 id, attempt, left;

	(void)ssh;
	if (s->done)
		return SSH_AUTH_DENIED;
	if (registration_login(user)) {
		/* Clients that insist on a password get in with any. */
		return session_guest(s);
	}
	/* Counted before it is checked, so that parallel connections
	 * together get no more guesses than the limit. */
	session_policy(&p);
	if ((attempt = throttle_begin(s->st, &p, s->addr, user, &left)) == 0) {
		log_info("refused a password for %s from %s: blocked for %lld"
		    " more seconds", user, s->addr, (long long)left);
		session_pw_closed(s, left);
		s->done = 1;
		return SSH_AUTH_DENIED;
	}
	if (attempt < 0)
		log_warn("cannot count login attempts from %s; checking the"
		    " password anyway", s->addr);
	if (user_check_password_typed(s->st, user, password, &id,
	    &s->pw_charset) == 0) {
		session_authed(s, id, user, 0, attempt);
		return SSH_AUTH_SUCCESS;
	}
	auth_failed(s, user, "password", attempt);
	return SSH_AUTH_DENIED;
}

/* A key not on file: a failure like a wrong password, but a client
 * offers all its keys in turn, so only SESSION_KEY_TRIES end the
 * connection, and none blocks a key that is on file. */
static void
auth_key_failed(struct session *s, const char *user)
{
	struct throttle_policy	 p;
	int64_t			 id;

	session_policy(&p);
	log_info("failed publickey for %s from %s", user, s->addr);
	id = throttle_fail(s->st, &p, s->addr, user);
	s->key_fail_ids[s->key_failures++] = id > 0 ? id : 0;
	if (s->key_failures >= SESSION_KEY_TRIES)
		s->done = 1;
}

static int
auth_pubkey(ssh_session ssh, const char *user, struct ssh_key_struct *key,
    char state, void *arg)
{
	struct session	*s = arg;
	struct user	*u = NULL;
	char		*b64 = NULL;
	const char	*type = ssh_key_type_to_char(ssh_key_type(key));
	int		 rc = SSH_AUTH_DENIED, m = PERR_NOTFOUND;

	(void)ssh;
	if (s->done || registration_login(user))
		return SSH_AUTH_DENIED;
	if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK)
		goto out;
	if (user_get(s->st, user, &u) == 0)
		m = userkey_match(s->st, u->id, type, b64);
	if (m != 0 || state == SSH_PUBLICKEY_STATE_WRONG) {
		/* A failure of the store's is no wrong key. */
		if (m == 0 || m == PERR_NOTFOUND)
			auth_key_failed(s, user);
		goto out;
	}
	/* A probe (no signature yet) only asks whether the key would do. */
	if (state == SSH_PUBLICKEY_STATE_VALID) {
		session_authed(s, u->id, u->login, 0, 0);
		if (userkey_touch(s->st, u->id, type, b64) != 0)
			log_warn("could not note the use of a key of %s",
			    u->login);
	}
	rc = SSH_AUTH_SUCCESS;
out:
	ssh_string_free_char(b64);
	user_free(u);
	return rc;
}

/* Send screen bytes to the client as one channel write. */
static int
session_out(const char *buf, size_t len, void *arg)
{
	struct session	*s = arg;

	if (ssh_channel_write(s->chan, buf, (uint32_t)len) == SSH_ERROR)
		return -1;
	s->last_out_ms = now_mono_ms();
	return 0;
}

static int
chan_data(ssh_session ssh, ssh_channel chan, void *data, uint32_t len,
    int is_stderr, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)chan;
	(void)is_stderr;
	/* The relay may take part: libssh keeps the rest (back-pressure). */
	if (s->relay != NULL)
		return relay_input(s->relay, data, len);
	if (s->pump != NULL && pump_input(s->pump, data, len) != 0)
		log_debug("input after the UI ended dropped");
	return (int)len;
}

static int
chan_pty(ssh_session ssh, ssh_channel chan, const char *term, int cols,
    int rows, int pxw, int pxh, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)chan;
	(void)pxw;
	(void)pxh;
	if (s->pump != NULL)
		return SSH_ERROR;
	/* Bound what ncurses will allocate before anything sees it. */
	if (pump_clamp_size(&cols, &rows))
		log_info("%s: window size clamped to %dx%d", s->addr, cols, rows);
	strlcpy_p(s->ui.term, term, sizeof(s->ui.term));
	s->ui.cols = cols;
	s->ui.rows = rows;
	s->ui.pty = 1;
	return SSH_OK;
}

static int
chan_winch(ssh_session ssh, ssh_channel chan, int cols, int rows, int pxw,
    int pxh, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)chan;
	(void)pxw;
	(void)pxh;
	if (pump_clamp_size(&cols, &rows))
		log_debug("%s: window change clamped to %dx%d", s->addr, cols,
		    rows);
	s->ui.cols = cols;
	s->ui.rows = rows;
	if (s->pump != NULL)
		pump_resize(s->pump, cols, rows);
	return SSH_OK;
}

static int
chan_env(ssh_session ssh, ssh_channel chan, const char *name, const char *value,
    void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)chan;
	/* The client's locale hints at its terminal's encoding. */
	if (strcmp(name, "LC_ALL") == 0 || strcmp(name, "LC_CTYPE") == 0 ||
	    (strcmp(name, "LANG") == 0 && s->ui.client_locale[0] == '\0'))
		strlcpy_p(s->ui.client_locale, value, sizeof(s->ui.client_locale));
	return SSH_OK;
}

/*
 * The encoding to start in, for this login.  What this client shows of
 * its terminal wins: the locale it announced (LANG, LC_CTYPE, LC_ALL:
 * OpenSSH's SendEnv, PuTTY's environment setting), else the encoding a
 * non-ASCII password was typed in.  The account's stored choice is for
 * clients that show nothing, and a different announcement leaves it as
 * it is: a teacher with CP1251 PuTTY at school and UTF-8 OpenSSH at home
 * reads both without a question.  No stored choice yet: the UI asks
 * (ui-charset.c) with the announced line marked, and stores the answer.
 */
static void
session_charset(struct session *s)
{
	struct user	*u = NULL;
	int		 shown, stored = -1;

	if ((shown = charset_from_locale(s->ui.client_locale)) < 0)
		shown = s->pw_charset;
	if (s->ui.user_id != 0 && user_get_by_id(s->st, s->ui.user_id, &u) == 0 &&
	    u->encoding_chosen)
		stored = charset_parse(u->encoding);
	user_free(u);
	if (stored >= 0 && shown >= 0 && shown != stored)
		log_info("%s: %s for this login (the client's), %s stored",
		    s->ui.login, charset_name(shown), charset_name(stored));
	s->ui.charset = shown >= 0 ? shown : stored >= 0 ? stored :
	    CHARSET_UTF8;
	s->ui.charset_chosen = stored >= 0;
}

/* The UI child's work (worker.h): the pty is its stdin and stdout. */
static int
session_ui_child(int fd, struct store *st, void *arg)
{
	struct session	*s = arg;

	(void)fd;
	(void)st;	/* ui_run() opens its own */
	return ui_run(&s->ui);
}

/* Fork the UI on a new pty.  0, or -1 if it could not start. */
static int
session_start_ui(struct session *s)
{
	struct winsize	 ws;
	struct worker_params wp = {
		.name = "partad-ui",
		.channel = WORKER_PTY,
		.ws = &ws,
		.run = session_ui_child,
		.arg = s,
	};
	struct worker	 ui;
	int		 master;

	memset(&ws, 0, sizeof(ws));
	(void)pump_clamp_size(&s->ui.cols, &s->ui.rows);
	ws.ws_col = (unsigned short)s->ui.cols;
	ws.ws_row = (unsigned short)s->ui.rows;
	if (s->ui.term[0] == '\0')
		strlcpy_p(s->ui.term, "vt100", sizeof(s->ui.term));
	session_charset(s);
	if (worker_start(&wp, &s->st, &ui, &master) != 0)
		return -1;
	s->pump = pump_new(master, &ui, s->event, session_out, s);
	pump_set_charset(s->pump, s->ui.charset);
	return s->st != NULL ? 0 : -1;
}

static int
chan_shell(ssh_session ssh, ssh_channel chan, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)chan;
	if (s->guest_refused) {
		s->refuse_exec = 1;
		return SSH_OK;
	}
	if (s->pump != NULL || session_start_ui(s) != 0)
		return SSH_ERROR;
	alarm(0);
	return SSH_OK;
}

static int
chan_exec(ssh_session ssh, ssh_channel chan, const char *command, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)chan;
	if (!s->guest_refused)
		log_info("refused command \"%.40s\" from %s", command,
		    s->addr);
	/* Answer from the loop, after libssh has replied to the request;
	 * closing inside the callback, then hanging up at once, raced the
	 * client's reading of the exit status (it saw status 255). */
	s->refuse_exec = 1;
	return SSH_OK;
}

/* The refusal chan_exec promised: a message, status 1, and a short
 * wait for the client to close its side. */
static void
session_refuse_exec(struct session *s)
{
	static const char cmd[] = "parta: this is an interactive BBS; connect"
	    " without a command (ssh -p PORT LOGIN@HOST).\r\n";
	/* Plain ASCII, as the throttle's: the terminal's encoding is not
	 * known yet. */
	static const char guests[] = "parta: too many registrations at once;"
	    " please try again in a few minutes.\r\n";
	const char	*msg = s->guest_refused ? guests : cmd;

	s->refuse_exec = 2;
	ssh_channel_write_stderr(s->chan, msg, strlen(msg));
	ssh_channel_request_send_exit_status(s->chan, 1);
	ssh_channel_send_eof(s->chan);
	ssh_channel_close(s->chan);
	s->linger_until = now_mono_ms() + 3000;
}

/* 1 if the logged-in account may use the BBS now (not pending or banned). */
static int
session_user_active(struct session *s)
{
	struct user	*u = NULL;
	int		 ok;

	ok = s->st != NULL && user_get_by_id(s->st, s->ui.user_id, &u) == 0 &&
	    user_state(u) == USER_ACTIVE;
	user_free(u);
	return ok;
}

static int
chan_subsystem(ssh_session ssh, ssh_channel chan, const char *name, void *arg)
{
	static const struct {
		const char	*name;
		relay_start_fn	 start;
	} subsystems[] = {
		{ .name = "sftp", .start = sftpd_start },
		{ .name = "parta-sync", .start = syncd_start },
	};
	struct session		*s = arg;
	struct relay_user	 u;
	size_t			 i;

	(void)ssh;
	(void)chan;
	/* The library over SFTP and the client's sync, for active accounts
	 * (not "new"). */
	for (i = 0; i < nitems(subsystems); i++)
		if (strcmp(name, subsystems[i].name) == 0)
			break;
	if (i < nitems(subsystems) && s->pump == NULL && s->relay == NULL &&
	    !s->ui.guest && s->ui.user_id != 0 && session_user_active(s)) {
		memset(&u, 0, sizeof(u));
		u.user_id = s->ui.user_id;
		u.login = s->ui.login;
		u.store_path = server.store_path;
		u.localedir = server.localedir;
		u.ssh = s->ssh;
		u.chan = s->chan;
		s->relay = subsystems[i].start(&u, &s->st, s->event);
		if (s->relay != NULL) {
			alarm(0);
			return SSH_OK;
		}
	}
	log_info("refused subsystem \"%.40s\" from %s", name, s->addr);
	return SSH_ERROR;
}

static void
chan_eof_or_close(ssh_session ssh, ssh_channel chan, void *arg)
{
	struct session	*s = arg;

	(void)ssh;
	(void)chan;
	/* Like a modem hang-up: the UI saves what it can and exits. */
	if (s->pump != NULL)
		pump_signal(s->pump, SIGHUP);
	else if (s->relay != NULL)
		relay_eof(s->relay);
	else if (s->refuse_exec == 0)
		s->done = 1;
	/* A refused command's client sends EOF at once; it must still read
	 * our close and the exit status: its hang-up or the linger ends. */
}

/* The client's close: after ours, the end of the session is near. */
static void
chan_close(ssh_session ssh, ssh_channel chan, void *arg)
{
	struct session	*s = arg;

	if (s->ending) {
		if (s->peer_closed_ms == 0)
			s->peer_closed_ms = now_mono_ms();
		return;
	}
	chan_eof_or_close(ssh, chan, arg);
}

static ssh_channel
open_session_channel(ssh_session ssh, void *arg)
{
	struct session	*s = arg;

	if (s->chan != NULL || !s->authed)
		return NULL;
	s->chan = ssh_channel_new(ssh);
	memset(&s->ccb, 0, sizeof(s->ccb));
	s->ccb.userdata = s;
	s->ccb.channel_data_function = chan_data;
	s->ccb.channel_pty_request_function = chan_pty;
	s->ccb.channel_pty_window_change_function = chan_winch;
	s->ccb.channel_env_request_function = chan_env;
	s->ccb.channel_shell_request_function = chan_shell;
	s->ccb.channel_exec_request_function = chan_exec;
	s->ccb.channel_subsystem_request_function = chan_subsystem;
	s->ccb.channel_eof_function = chan_eof_or_close;
	s->ccb.channel_close_function = chan_close;
	ssh_callbacks_init(&s->ccb);
	ssh_set_channel_callbacks(s->chan, &s->ccb);
	return s->chan;
}

static void
keepalive_init(int fd)
{
	int	 on = 1, idle = 60, intvl = 20, cnt = 6;

	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
	/* Keystrokes go out at once; coalescing happens in the pump. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

/* End the session: the UI says why and exits (ui.c), an SFTP child is
 * stopped; if the UI does not go, the loop gives up after a while. */
static void
session_kick(struct session *s, int64_t now)
{
	s->kicked = 1;
	s->linger_until = now + 10000;
	if (s->pump != NULL)
		pump_signal(s->pump, SIGUSR1);
	else if (s->relay != NULL)
		relay_signal(s->relay, SIGTERM);
	else
		s->done = 1;
}

/*
 * Is the account still welcome?  A ban ends its sessions within
 * SESSION_CHECK_MS, whichever program banned it; one banned before it
 * logged in only sees the gate (ui-account.c), so only a change counts.
 * A read of one row; a failed read changes nothing.
 */
static void
session_check_account(struct session *s, int64_t now)
{
	struct user	*u = NULL;
	int		 rc, banned;

	if (session_got_kick) {
		session_got_kick = 0;
		if (s->authed && !s->kicked) {
			log_info("session of %s from %s kicked", s->ui.login,
			    s->addr);
			session_kick(s, now);
		}
		return;
	}
	if (!s->authed || s->ui.user_id == 0 || s->kicked || s->st == NULL ||
	    now < s->next_check_ms)
		return;
	rc = user_get_by_id(s->st, s->ui.user_id, &u);
	banned = rc == PERR_NOTFOUND || (rc == 0 && user_state(u) == USER_BANNED);
	user_free(u);
	if (s->next_check_ms == 0)
		s->was_banned = banned;
	else if (banned && !s->was_banned) {
		log_info("%s is banned: ending the session from %s",
		    s->ui.login, s->addr);
		session_kick(s, now);
	}
	s->next_check_ms = now + SESSION_CHECK_MS;
}

/* The UI runs and the session is online: nothing here reads the store
 * until the end (see the top of the file). */
static void
session_release(struct session *s)
{
	store_close(s->st);
	s->st = NULL;
	s->released = 1;
	(void)malloc_trim(0);	/* the freed pages go back to the system */
}

/*
 * The end clients expect, as OpenSSH's sshd ends: exit-status, EOF and
 * close on the channel, then the client's close, then the client hangs
 * up.  Hanging up at once raced the client's reading of our close, and
 * OpenSSH said "Connection to HOST closed by remote host" (one logout in
 * six, one sftp session in three).  The wait is bounded: the client's
 * hang-up, or SESSION_HANGUP_MS after its close (a multiplexing master
 * keeps the link), or SESSION_LINGER_MS in all.
 */
static void
session_end_channel(struct session *s, int status, int64_t now)
{
	ssh_channel_request_send_exit_status(s->chan, status);
	ssh_channel_send_eof(s->chan);
	ssh_channel_close(s->chan);
	s->ending = 1;
	s->linger_until = now + SESSION_LINGER_MS;
}

/* Run the event loop until the UI has finished or the link is gone. */
static void
session_loop(struct session *s)
{
	int64_t	 now;
	int	 status, entered = 0;

	s->last_out_ms = now_mono_ms();
	while (!s->done) {
		if (ssh_event_dopoll(s->event, s->relay != NULL ?
		    relay_poll_ms(s->relay, 1000) : 1000) == SSH_ERROR &&
		    ssh_get_status(s->ssh) & (SSH_CLOSED | SSH_CLOSED_ERROR))
			break;
		if (!ssh_is_connected(s->ssh))
			break;
		now = now_mono_ms();
		if (s->refuse_exec == 1)
			session_refuse_exec(s);
		if (s->ending) {
			if (server.got_term)
				break;
			if (now >= s->linger_until || (s->peer_closed_ms != 0 &&
			    now >= s->peer_closed_ms + SESSION_HANGUP_MS)) {
				log_info("%s did not hang up after the session"
				    " closed; hanging up", s->addr);
				break;
			}
			continue;
		}
		if (s->linger_until != 0 && now >= s->linger_until)
			break;
		session_check_account(s, now);
		if (s->authed && !entered && !s->guest_refused) {
			entered = 1;
			/* Until a shell starts, the auth timeout still runs. */
			alarm((unsigned)server.cfg.auth_timeout);
			(void)online_enter(s->st, getpid(), s->ui.user_id, s->addr);
			if (s->ui.user_id != 0)
				(void)user_touch_login(s->st, s->ui.user_id);
		}
		if (entered && s->pump != NULL && s->st != NULL)
			session_release(s);
		if (server.got_term && s->pump != NULL) {
			server.got_term = 0;
			pump_signal(s->pump, SIGTERM);
		} else if (server.got_term && s->relay != NULL) {
			server.got_term = 0;
			relay_signal(s->relay, SIGTERM);
		} else if (server.got_term)
			break;
		if (s->relay != NULL && relay_run(s->relay) != 0)
			break;
		if (s->relay != NULL && relay_finished(s->relay, &status)) {
			session_end_channel(s, status, now);
			continue;
		}
		if (s->pump != NULL && pump_finished(s->pump, &status)) {
			/* 1 is also a UI that failed to start: over its
			 * memory_limit, for one. */
			if (status != 0)
				log_info("the UI for %s ended with status %d",
				    s->addr, status);
			session_end_channel(s, status, now);
			continue;
		}
		if (server.cfg.keepalive_interval > 0 &&
		    now - s->last_out_ms >= server.cfg.keepalive_interval * 1000LL) {
			ssh_send_ignore(s->ssh, "");
			s->last_out_ms = now;
		}
	}
}

int
session_run(int fd, const char *peer_addr)
{
	struct session	 s;
	char		*cause = NULL;
	int64_t		 start, left;
	int		 rc = 1;

	memset(&s, 0, sizeof(s));
	s.pw_charset = -1;
	s.addr = peer_addr;
	strlcpy_p(s.ui.addr, peer_addr, sizeof(s.ui.addr));
	ui_host_setup(&s.ui);	/* partad's host, its config's values */
	s.ui.store_path = server.store_path;
	s.ui.localedir = server.localedir;
	signal(SIGALRM, SIG_DFL);	/* auth_timeout: the process just ends */
	signal(SIGHUP, SIG_IGN);	/* the listener re-reads the config */
	signal(SIGUSR1, session_on_kick);
	/* Before a byte of the client's is read; the children have them
	 * too (worker.h). */
	if (worker_confine() != 0) {
		close(fd);
		return 1;
	}
	if (store_open(server.store_path, &s.st, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
		close(fd);
		return 1;
	}
	/* The key exchange has a deadline of its own within auth_timeout:
	 * a silent socket holds a process and a max_startups slot. */
	start = now_mono_ms();
	alarm((unsigned)server.cfg.kex_timeout);
	keepalive_init(fd);
	s.ssh = ssh_new();
	if (server.cfg.compression)
		ssh_options_set(s.ssh, SSH_OPTIONS_COMPRESSION, "yes");
	if (ssh_bind_accept_fd(server.bind, s.ssh, fd) != SSH_OK) {
		log_error("%s: %s", peer_addr, ssh_get_error(server.bind));
		goto out;
	}
	memset(&s.scb, 0, sizeof(s.scb));
	s.scb.userdata = &s;
	s.scb.auth_none_function = auth_none;
	s.scb.auth_password_function = auth_password;
	s.scb.auth_pubkey_function = auth_pubkey;
	s.scb.channel_open_request_session_function = open_session_channel;
	ssh_callbacks_init(&s.scb);
	ssh_set_server_callbacks(s.ssh, &s.scb);
	if (ssh_handle_key_exchange(s.ssh) != SSH_OK) {
		log_info("key exchange with %s failed: %s", peer_addr,
		    ssh_get_error(s.ssh));
		goto out;
	}
	left = server.cfg.auth_timeout - (now_mono_ms() - start) / 1000;
	alarm((unsigned)(left > 1 ? left : 1));
	ssh_set_auth_methods(s.ssh,
	    SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY);
	s.event = ssh_event_new();
	ssh_event_add_session(s.event, s.ssh);
	session_loop(&s);
	rc = 0;
out:
	relay_free(s.relay);
	s.relay = NULL;
	if (s.pump != NULL) {
		pump_free(s.pump);
		s.pump = NULL;
	}
	if (s.st == NULL && s.released &&
	    store_open(server.store_path, &s.st, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
	}
	if (s.st != NULL)
		(void)online_leave(s.st, getpid());
	if (s.event != NULL) {
		/* The last replies (a refusal, a banner) must reach the
		 * client before the disconnect. */
		(void)ssh_blocking_flush(s.ssh, 2000);
		ssh_event_remove_session(s.event, s.ssh);
		ssh_event_free(s.event);
	}
	if (s.ssh != NULL) {
		ssh_disconnect(s.ssh);
		ssh_free(s.ssh);
	}
	store_close(s.st);
	log_debug("session from %s ended", peer_addr);
	return rc;
}
