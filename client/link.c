/*
 * link.c: parta's SSH link to its server, with libssh, by the ssh
 * conventions a teacher's other programs follow.
 *
 * The destination is resolved as ssh(1) resolves it: the Host block of
 * ~/.ssh/config (or -F FILE) gives HostName, Port, User, IdentityFile
 * and UserKnownHostsFile, and the command line wins over it.  The
 * server's host key is checked against known_hosts before a byte of the
 * user's is sent: a key seen before must match; a new host shows its
 * key's fingerprint and asks, as OpenSSH does, and is remembered only
 * on "yes" (or the fingerprint typed back); a changed key is refused,
 * loudly, with what to check, and never replaced here.  Authentication
 * tries the agent and the key files, then a password read without echo
 * from the terminal; the password is wiped at once and never kept.
 *
 * Frames are read into a buffer that holds at most one frame more than
 * the codec's limit, and decoded whole with sync_decode().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sys/stat.h>

#include <libssh/libssh.h>

#include "bytes.h"
#include "client.h"
#include "i18n.h"
#include "perr.h"
#include "request.h"
#include "sync-local.h"
#include "sync-proto.h"
#include "sync-zstd.h"
#include "util.h"

#define LINK_SUBSYSTEM	"parta-sync"
#define LINK_PASSWORDS	3		/* tries, as ssh's NumberOfPasswordPrompts */
#define LINK_BUF	(4 + SYNC_FRAME_MAX)

struct link {
	ssh_session	 s;
	ssh_channel	 ch;
	int		 by_password;	/* no key was accepted */
	unsigned char	*buf;		/* bytes received, not yet a frame */
	size_t		 have;
	struct sync_zstd_in *z;		/* zstd granted: what buf is fed by */
	uint64_t	 sent, recvd;
};

/* Her own key, which link_offer_key() makes: $HOME/.ssh/id_ed25519
 * (libssh's default looks in the password file's home instead), or NULL;
 * the caller frees. */
static char *
link_own_key(void)
{
	const char	*home = getenv("HOME");

	return home != NULL && *home == '/' ?
	    xasprintf("%s/.ssh/id_ed25519", home) : NULL;
}

/* A new session for o with the config file read; NULL with *cause. */
static ssh_session
link_session(const struct link_opts *o, char **cause)
{
	ssh_session	 s;
	const char	*at, *host = o->dest;
	char		*login = NULL, *own;

	if ((s = ssh_new()) == NULL) {
		*cause = xstrdup(_("out of memory"));
		return NULL;
	}
	if ((at = strrchr(o->dest, '@')) != NULL) {
		login = xstrdup(o->dest);
		login[at - o->dest] = '\0';
		host = at + 1;
	}
	if (*host == '\0' || (login != NULL && *login == '\0')) {
		*cause = xasprintf(_("%s: not a [LOGIN@]HOST"), o->dest);
		goto fail;
	}
	if (ssh_options_set(s, SSH_OPTIONS_HOST, host) != 0 ||
	    ssh_options_parse_config(s, o->config) != 0) {
		*cause = xasprintf("%s: %s", o->config != NULL ? o->config :
		    "~/.ssh/config", ssh_get_error(s));
		goto fail;
	}
	/* The command line over ssh_config, as ssh(1). */
	if ((login != NULL && ssh_options_set(s, SSH_OPTIONS_USER, login) != 0) ||
	    (o->port != NULL &&
	    ssh_options_set(s, SSH_OPTIONS_PORT_STR, o->port) != 0) ||
	    (o->identity != NULL &&
	    ssh_options_set(s, SSH_OPTIONS_ADD_IDENTITY, o->identity) != 0)) {
		*cause = xasprintf("%s", ssh_get_error(s));
		goto fail;
	}
	own = link_own_key();
	if (own != NULL && access(own, R_OK) == 0)
		(void)ssh_options_set(s, SSH_OPTIONS_ADD_IDENTITY, own);
	free(own);
	free(login);
	return s;
fail:
	free(login);
	ssh_free(s);
	return NULL;
}

int
link_resolve(const struct link_opts *o, struct link_dest *d, char **cause)
{
	ssh_session	 s;
	char		*v = NULL;

	memset(d, 0, sizeof(*d));
	*cause = NULL;
	if ((s = link_session(o, cause)) == NULL)
		return -1;
	if (ssh_options_get(s, SSH_OPTIONS_USER, &v) == 0) {
		d->login = xstrdup(v);
		ssh_string_free_char(v);
	} else
		d->login = xstrdup(getenv("USER") != NULL ? getenv("USER") :
		    "parta");
	if (ssh_options_get(s, SSH_OPTIONS_HOST, &v) == 0) {
		d->host = xstrdup(v);
		ssh_string_free_char(v);
	} else
		d->host = xstrdup(o->dest);
	if (ssh_options_get_port(s, &d->port) != 0)
		d->port = 22;
	ssh_free(s);
	/* A name that is also a safe directory name. */
	if (strchr(d->login, '/') != NULL || strchr(d->host, '/') != NULL ||
	    d->login[0] == '.' || d->host[0] == '.') {
		*cause = xasprintf(_("%s: not a [LOGIN@]HOST"), o->dest);
		link_dest_free(d);
		return -1;
	}
	if (d->port == 22)
		d->name = xasprintf("%s@%s", d->login, d->host);
	else
		d->name = xasprintf("%s@%s:%u", d->login, d->host, d->port);
	return 0;
}

void
link_dest_free(struct link_dest *d)
{
	if (d == NULL)
		return;
	free(d->login);
	free(d->host);
	free(d->name);
	memset(d, 0, sizeof(*d));
}

/* A line typed on the terminal, echoed, into buf; -1 without one. */
static int
link_ask(const char *prompt, char *buf, size_t len)
{
	FILE	*tty;
	size_t	 n;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return -1;
	fputs(prompt, tty);
	fflush(tty);
	if (fgets(buf, (int)len, tty) == NULL) {
		fclose(tty);
		return -1;
	}
	fclose(tty);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

/* Check the server's host key; 0, or -1 with *cause. */
static int
link_hostkey(const struct link_opts *o, ssh_session s, char **cause)
{
	ssh_key			 key = NULL;
	unsigned char		*hash = NULL;
	size_t			 hlen;
	char			*fp = NULL, *host = NULL, answer[128];
	const char		*type;
	unsigned		 port = 22;
	enum ssh_known_hosts_e	 k;
	int			 rc = -1;

	if (ssh_get_server_publickey(s, &key) != 0 ||
	    ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) != 0 ||
	    (fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash,
	    hlen)) == NULL) {
		*cause = xasprintf(_("cannot read the server's key: %s"),
		    ssh_get_error(s));
		goto out;
	}
	type = ssh_key_type_to_char(ssh_key_type(key));
	(void)ssh_options_get(s, SSH_OPTIONS_HOST, &host);
	(void)ssh_options_get_port(s, &port);
	switch ((k = ssh_session_is_known_server(s))) {
	case SSH_KNOWN_HOSTS_OK:
		rc = 0;
		break;
	case SSH_KNOWN_HOSTS_CHANGED:
	case SSH_KNOWN_HOSTS_OTHER:
		fprintf(stderr, "%s\n", _("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
		    "@@@@@@@@@@@@@@@@@@@@@@@@@@"));
		fprintf(stderr, "%s\n", _("@    WARNING: REMOTE HOST "
		    "IDENTIFICATION HAS CHANGED!     @"));
		fprintf(stderr, "%s\n", _("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
		    "@@@@@@@@@@@@@@@@@@@@@@@@@@"));
		fprintf(stderr, _("The server %s:%u now shows another key "
		    "than the one remembered.\nSomeone may be listening in "
		    "between (a man-in-the-middle attack), or the server's key "
		    "was changed.\nThe key it shows now: %s %s.\nAsk your "
		    "server's sysop for its key's fingerprint; if it is this "
		    "one, delete the old line of this host from your "
		    "known_hosts file (ssh-keygen -R).\n"),
		    host != NULL ? host : "?", port, type, fp);
		*cause = xasprintf(_("the host key of %s has changed; nothing "
		    "was sent"), host != NULL ? host : "?");
		break;
	case SSH_KNOWN_HOSTS_NOT_FOUND:
	case SSH_KNOWN_HOSTS_UNKNOWN:
		if (!o->ask) {
			*cause = xasprintf(_("the host key of %s is not known "
			    "yet: connect once without --sync to check it"),
			    host != NULL ? host : "?");
			break;
		}
		fprintf(stderr, _("The authenticity of host '%s:%u' can't be "
		    "established.\n%s key fingerprint is %s.\n"),
		    host != NULL ? host : "?", port, type, fp);
		for (;;) {
			if (link_ask(_("Are you sure you want to continue "
			    "connecting (yes/no/[fingerprint])? "), answer,
			    sizeof(answer)) != 0 || strcmp(answer, "no") == 0) {
				*cause = xstrdup(_("host key verification "
				    "failed"));
				break;
			}
			if (strcmp(answer, "yes") == 0 ||
			    strcmp(answer, fp) == 0) {
				if (ssh_session_update_known_hosts(s) != 0) {
					*cause = xasprintf(_("cannot remember "
					    "the host key: %s"),
					    ssh_get_error(s));
					break;
				}
				fprintf(stderr, _("Warning: permanently added "
				    "'%s' to the list of known hosts.\n"),
				    host != NULL ? host : "?");
				rc = 0;
				break;
			}
			fprintf(stderr, "%s\n", _("Please type 'yes', 'no' or "
			    "the fingerprint."));
		}
		break;
	default:
		*cause = xasprintf(_("cannot read known_hosts: %s"),
		    ssh_get_error(s));
	}
out:
	ssh_string_free_char(host);
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	return rc;
}

/* Authenticate; 0, or -1 with *cause. */
static int
link_auth(const struct link_opts *o, ssh_session s, int *by_password,
    char **cause)
{
	char	 pw[512], *login = NULL, *host = NULL, *prompt;
	int	 rc, methods, i;

	if ((rc = ssh_userauth_none(s, NULL)) == SSH_AUTH_SUCCESS)
		return 0;
	if (rc == SSH_AUTH_ERROR)
		goto fail;
	methods = ssh_userauth_list(s, NULL);
	if ((methods & SSH_AUTH_METHOD_PUBLICKEY) &&
	    ssh_userauth_publickey_auto(s, NULL, NULL) == SSH_AUTH_SUCCESS)
		return 0;
	if (!(methods & SSH_AUTH_METHOD_PASSWORD) || !o->ask) {
		*cause = xstrdup(_("permission denied: no key was accepted"));
		return -1;
	}
	(void)ssh_options_get(s, SSH_OPTIONS_USER, &login);
	(void)ssh_options_get(s, SSH_OPTIONS_HOST, &host);
	prompt = xasprintf(_("%s@%s's password: "), login != NULL ? login : "",
	    host != NULL ? host : "");
	ssh_string_free_char(login);
	ssh_string_free_char(host);
	for (i = 0, rc = SSH_AUTH_DENIED; i < LINK_PASSWORDS &&
	    rc == SSH_AUTH_DENIED; i++) {
		if (i > 0)
			fprintf(stderr, "%s\n", _("Permission denied, please "
			    "try again."));
		if (ssh_getpass(prompt, pw, sizeof(pw), 0, 0) != 0)
			break;
		rc = ssh_userauth_password(s, NULL, pw);
		explicit_bzero(pw, sizeof(pw));
	}
	free(prompt);
	if (rc == SSH_AUTH_SUCCESS) {
		*by_password = 1;
		return 0;
	}
fail:
	*cause = xasprintf(_("permission denied%s%s"), rc == SSH_AUTH_ERROR ?
	    ": " : "", rc == SSH_AUTH_ERROR ? ssh_get_error(s) : "");
	return -1;
}

int
link_open(const struct link_opts *o, struct link **out, char **cause)
{
	struct link	*l;

	*out = NULL;
	*cause = NULL;
	l = xcalloc(1, sizeof(*l));
	if ((l->s = link_session(o, cause)) == NULL)
		goto fail;
	if (ssh_connect(l->s) != SSH_OK) {
		*cause = xasprintf(_("cannot connect: %s"), ssh_get_error(l->s));
		goto fail;
	}
	if (link_hostkey(o, l->s, cause) != 0 || link_auth(o, l->s, &l->by_password,
	    cause) != 0) {
		/* Trying again would not change the answer. */
		link_close(l);
		return -2;
	}
	if ((l->ch = ssh_channel_new(l->s)) == NULL ||
	    ssh_channel_open_session(l->ch) != SSH_OK) {
		*cause = xasprintf(_("cannot open a channel: %s"),
		    ssh_get_error(l->s));
		goto fail;
	}
	if (ssh_channel_request_subsystem(l->ch, LINK_SUBSYSTEM) != SSH_OK) {
		*cause = xstrdup(_("the server does not serve parta-sync (is it "
		    "a parta server, and new enough?)"));
		goto fail;
	}
	l->buf = xmalloc(LINK_BUF);
	*out = l;
	return 0;
fail:
	link_close(l);
	return -1;
}

void
link_close(struct link *l)
{
	if (l == NULL)
		return;
	if (l->ch != NULL) {
		ssh_channel_close(l->ch);
		ssh_channel_free(l->ch);
	}
	if (l->s != NULL) {
		ssh_disconnect(l->s);
		ssh_free(l->s);
	}
	free(l->buf);
	sync_zstd_in_free(l->z);
	free(l);
}

void
link_abandon(struct link *l)
{
	if (l == NULL)
		return;
	/* Neither ssh_disconnect() nor ssh_free(): either would write on
	 * the socket the other process goes on using. */
	if (ssh_get_fd(l->s) >= 0)
		close(ssh_get_fd(l->s));
}

int
link_send(struct link *l, const void *buf, size_t len, char **cause)
{
	const unsigned char	*p = buf;
	int			 n;

	while (len > 0) {
		n = ssh_channel_write(l->ch, p, (uint32_t)(len > 32768 ? 32768 :
		    len));
		if (n <= 0) {
			*cause = xasprintf(_("the link broke: %s"),
			    ssh_get_error(l->s));
			return -1;
		}
		p += n;
		len -= (size_t)n;
		l->sent += (uint64_t)n;
	}
	return 0;
}

int
link_recv(struct link *l, struct sync_msg *m, int timeout_ms, char **cause)
{
	unsigned char	*at;
	size_t		 len, room, made;
	int		 n, rc;

	memset(m, 0, sizeof(*m));
	for (;;) {
		rc = sync_frame_len(l->buf, l->have, &len);
		if (rc < 0) {
			*cause = xasprintf(_("the server sent a bad frame: %s"),
			    sync_strerror(rc));
			return -1;
		}
		if (rc == 1)
			break;
		at = l->buf + l->have;
		room = LINK_BUF - l->have;
		if (l->z != NULL) {
			/* Decompressed only into the room of one frame. */
			if (sync_zstd_in_take(l->z, at, room, &made) != 0) {
				*cause = xstrdup(_("the server sent a bad"
				    " compressed stream"));
				return -1;
			}
			l->have += made;
			if (made > 0)
				continue;
			at = sync_zstd_in_room(l->z, &room);
			if (room == 0) {
				*cause = xstrdup(_("the server sent a bad"
				    " compressed stream"));
				return -1;
			}
		}
		n = ssh_channel_read_timeout(l->ch, at, (uint32_t)room, 0,
		    timeout_ms);
		if (n == SSH_AGAIN || n == 0) {
			if (ssh_channel_is_eof(l->ch) ||
			    !ssh_channel_is_open(l->ch)) {
				*cause = xstrdup(_("the server closed the link"));
				return -1;
			}
			return 0;
		}
		if (n < 0) {
			*cause = xasprintf(_("the link broke: %s"),
			    ssh_get_error(l->s));
			return -1;
		}
		if (l->z != NULL)
			sync_zstd_in_got(l->z, (size_t)n);
		else
			l->have += (size_t)n;
		l->recvd += (uint64_t)n;
	}
	rc = sync_decode(l->buf, len, 1, m);
	memmove(l->buf, l->buf + len, l->have - len);
	l->have -= len;
	if (rc != 0) {
		*cause = xasprintf(_("the server sent a bad frame: %s (%s)"),
		    sync_strerror(rc), m->why != NULL ? m->why : "");
		sync_msg_free(m);
		return -1;
	}
	/* What follows WELCOME, here already or to come, is the stream. */
	if (l->z == NULL && sync_welcome_grants(m, SYNC_CAP_ZSTD)) {
		l->z = sync_zstd_in_new();
		(void)sync_zstd_in_put(l->z, l->buf, l->have);
		l->have = 0;
	}
	return 1;
}

void
link_counts(const struct link *l, uint64_t *sent, uint64_t *recvd)
{
	*sent = l->sent;
	*recvd = l->recvd;
}

/* ---- a key for her account, after a login with a password -------- */

#define LINK_KEY_FRAMES	64	/* frames read for the answer at most */

/* Her public key as an authorized_keys line, made (and its private
 * half written 0600) if she has none; NULL with *cause. */
static char *
link_key_line(char **cause)
{
	ssh_key	 key = NULL, pub = NULL;
	char	*priv = link_own_key(), *pubpath = NULL, *dir, *b64 = NULL;
	char	*line = NULL;
	mode_t	 mask;

	if (priv == NULL) {
		*cause = xstrdup(_("HOME is not set"));
		return NULL;
	}
	pubpath = xasprintf("%s.pub", priv);
	if (ssh_pki_import_pubkey_file(pubpath, &pub) != SSH_OK) {
		if (access(priv, F_OK) == 0) {
			*cause = xasprintf(_("%s has no %s beside it"), priv,
			    pubpath);
			goto out;
		}
		dir = xstrdup(priv);
		*strrchr(dir, '/') = '\0';
		(void)mkdir(dir, 0700);
		free(dir);
		mask = umask(077);
		if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK ||
		    ssh_pki_export_privkey_file(key, NULL, NULL, NULL,
		    priv) != SSH_OK ||
		    ssh_pki_export_privkey_to_pubkey(key, &pub) != SSH_OK ||
		    ssh_pki_export_pubkey_file(pub, pubpath) != SSH_OK) {
			umask(mask);
			*cause = xasprintf(_("cannot make a key in %s"), priv);
			goto out;
		}
		umask(mask);
		fprintf(stderr, _("parta: a new key, without a passphrase, "
		    "is in %s\n"), priv);
	}
	if (ssh_pki_export_pubkey_base64(pub, &b64) != SSH_OK) {
		*cause = xasprintf(_("cannot read the key in %s"), pubpath);
		goto out;
	}
	line = xasprintf("%s %s parta", ssh_key_type_to_char(ssh_key_type(pub)),
	    b64);
out:
	ssh_string_free_char(b64);
	ssh_key_free(key);
	ssh_key_free(pub);
	free(pubpath);
	free(priv);
	return line;
}

/* The answer to the push uuid: 0 applied (or the key was there), or -1
 * with *cause. */
static int
link_key_answer(struct link *l, const char *uuid, char **cause)
{
	struct sync_msg	 m;
	int		 i, rc;

	for (i = 0; i < LINK_KEY_FRAMES; i++) {
		if ((rc = link_recv(l, &m, 120 * 1000, cause)) <= 0) {
			if (rc == 0)
				*cause = xstrdup(_("the server did not answer "
				    "in time"));
			return -1;
		}
		rc = 1;
		if (m.type == SYNC_APPLIED && strcmp(m.applied.uuid, uuid) == 0)
			rc = 0;
		else if (m.type == SYNC_REFUSED &&
		    strcmp(m.refused.ref, uuid) == 0) {
			rc = m.refused.code == PERR_EXISTS ? 0 : -1;
			if (rc != 0)
				*cause = xstrdup(m.refused.reason != NULL &&
				    *m.refused.reason != '\0' ?
				    m.refused.reason : perr_str(m.refused.code));
		}
		sync_msg_free(&m);
		if (rc <= 0)
			return rc;
	}
	*cause = xstrdup(_("the server did not answer"));
	return -1;
}

int
link_offer_key(struct link *l, char **cause)
{
	struct bytes_writer	 w;
	struct request		 r;
	char			 ans[16], *line;
	int			 rc = -1;

	*cause = NULL;
	if (!l->by_password || !isatty(STDIN_FILENO))
		return 0;
	fprintf(stderr, "%s", _("Add a key to your account, so that later "
	    "logins and the sync in the background need no password? (y/n) "));
	/* "д" is "да" on a Russian keyboard layout. */
	if (fgets(ans, sizeof(ans), stdin) == NULL || (strchr("yY", ans[0]) ==
	    NULL && strncmp(ans, "д", 2) != 0 && strncmp(ans, "Д", 2) != 0))
		return 0;
	if ((line = link_key_line(cause)) == NULL)
		return -1;
	request_init(&r, REQ_KEY_ADD, NULL);
	r.text = line;
	bytes_writer_init(&w, 4 + SYNC_FRAME_MAX);
	if (sync_local_push(&w, &r) != 0)
		*cause = xstrdup(_("cannot encode a frame"));
	else if (link_send(l, bytes_writer_data(&w), bytes_writer_len(&w),
	    cause) == 0 && (rc = link_key_answer(l, r.uuid, cause)) == 0) {
		l->by_password = 0;
		fprintf(stderr, "%s\n", _("parta: the key is added to your "
		    "account: later logins need no password."));
	}
	bytes_writer_free(&w);
	free(line);
	return rc;
}
