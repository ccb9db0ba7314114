/*
 * config.c: the partad.conf key table and its parser.
 *
 * The file is lines of "key value" (an '=' between them is allowed);
 * '#' starts a comment.  Every key has a default in the table, so an empty
 * or missing file is a valid configuration.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "config.h"
#include "util.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

enum config_type { CT_INT, CT_BOOL, CT_STRING, CT_ENUM };

struct config_key {
	const char		*name;
	enum config_type	 type;
	size_t			 offset;
	long			 min, max;
	const char		*def;
	const char *const	*choices;	/* CT_ENUM: NULL-terminated */
	const char		*help;
};

static const char *const log_levels[] = { "error", "warn", "info", "debug", NULL };
static const char *const languages[] = { "ru", "en", NULL };

#define OFF(f) offsetof(struct config, f)
static const struct config_key config_keys[] = {
	{ "listen_address", CT_STRING, OFF(listen_address), 0, 0, "0.0.0.0", NULL,
	  "IPv4 or IPv6 address to listen on" },
	{ "port", CT_INT, OFF(port), 1, 65535, "2222", NULL,
	  "TCP port to listen on" },
	{ "data_dir", CT_STRING, OFF(data_dir), 0, 0, "/var/lib/parta", NULL,
	  "directory holding the store, the host key and the library files" },
	{ "host_key", CT_STRING, OFF(host_key), 0, 0, "", NULL,
	  "ed25519 host key file; empty means data_dir/ssh_host_ed25519_key, made on first start" },
	{ "locale_dir", CT_STRING, OFF(locale_dir), 0, 0, LOCALEDIR, NULL,
	  "directory of the message catalogues (ru/LC_MESSAGES/parta.mo)" },
	{ "log_level", CT_ENUM, OFF(log_level), 0, 0, "info", log_levels,
	  "most verbose messages logged: error, warn, info or debug" },
	{ "syslog", CT_BOOL, OFF(syslog), 0, 1, "no", NULL,
	  "also log to syslog (facility daemon)" },
	{ "auth_timeout", CT_INT, OFF(auth_timeout), 10, 3600, "120", NULL,
	  "seconds allowed from connect to finished authentication" },
	{ "max_auth_tries", CT_INT, OFF(max_auth_tries), 1, 20, "3", NULL,
	  "failed authentications that end a connection" },
	{ "throttle_failures", CT_INT, OFF(throttle_failures), 1, 1000, "10", NULL,
	  "failed logins of one account from one address, within throttle_window, after which its passwords from there are refused" },
	{ "throttle_address_failures", CT_INT, OFF(throttle_address_failures), 1, 10000, "30", NULL,
	  "failed logins from one address, any accounts, within throttle_window, that block its passwords for throttle_block" },
	{ "throttle_window", CT_INT, OFF(throttle_window), 1, 86400, "600", NULL,
	  "seconds over which failures from one address are counted" },
	{ "throttle_block", CT_INT, OFF(throttle_block), 1, 86400, "900", NULL,
	  "seconds an address stays blocked after too many failures" },
	{ "idle_timeout", CT_INT, OFF(idle_timeout), 10, 86400, "1800", NULL,
	  "seconds without input before a logged-in session is closed" },
	{ "guest_idle_timeout", CT_INT, OFF(guest_idle_timeout), 10, 86400, "600", NULL,
	  "seconds without input before registration or a pending account's session is closed" },
	{ "idle_warning", CT_INT, OFF(idle_warning), 1, 3600, "60", NULL,
	  "seconds before an idle close that the user is warned" },
	{ "sftp_idle_timeout", CT_INT, OFF(sftp_idle_timeout), 0, 86400, "1800", NULL,
	  "seconds an SFTP session may move no byte either way before it is closed; 0: never" },
	{ "keepalive_interval", CT_INT, OFF(keepalive_interval), 0, 3600, "60", NULL,
	  "seconds between SSH_MSG_IGNORE keepalives on a quiet link; 0 disables them" },
	{ "compression", CT_BOOL, OFF(compression), 0, 1, "yes", NULL,
	  "offer zlib@openssh.com compression to clients" },
	{ "registration", CT_BOOL, OFF(registration), 0, 1, "yes", NULL,
	  "let the user \"new\" register an account (approved by the sysop)" },
	{ "registration_per_address", CT_INT, OFF(registration_per_address), 1, 10000, "3", NULL,
	  "registrations from one address within 24 hours; more are refused" },
	{ "registration_per_day", CT_INT, OFF(registration_per_day), 1, 100000, "50", NULL,
	  "registrations from all addresses within 24 hours; more are refused" },
	{ "registration_expiry", CT_INT, OFF(registration_expiry), 1, 3650, "30", NULL,
	  "days a pending or rejected account is kept before it is deleted" },
	{ "max_sessions", CT_INT, OFF(max_sessions), 1, 100000, "1000", NULL,
	  "simultaneous connections accepted; more are refused" },
	{ "default_language", CT_ENUM, OFF(default_language), 0, 0, "ru", languages,
	  "language of the login screens and of new accounts: ru or en" },
	{ "public_host", CT_STRING, OFF(public_host), 0, 0, "", NULL,
	  "host name users connect to, shown in the library's sftp and scp commands; empty: this machine's name" },
	{ "zmodem_sz", CT_STRING, OFF(zmodem_sz), 0, 0, "/usr/bin/sz", NULL,
	  "lrzsz's sz, which sends library files to terminals that receive ZMODEM; empty or missing: ZMODEM is not offered" },
	{ "max_startups", CT_STRING, OFF(max_startups), 0, 0, "10:30:100", NULL,
	  "connections not yet logged in, begin:rate:full: from begin on, rate% of new ones are refused, rising to all at full" },
	{ "per_source_max_startups", CT_INT, OFF(per_source_max_startups), 1, 100000, "10", NULL,
	  "connections not yet logged in from one address; more are refused" },
	{ "max_guest_sessions", CT_INT, OFF(max_guest_sessions), 0, 100000, "20", NULL,
	  "simultaneous sessions of the user \"new\" (registration); more are refused" },
	{ "kex_timeout", CT_INT, OFF(kex_timeout), 5, 3600, "60", NULL,
	  "seconds allowed from connect to the end of the key exchange (within auth_timeout)" },
	{ "user", CT_STRING, OFF(user), 0, 0, "parta", NULL,
	  "the user partad runs as after binding, when started as root (never root itself); it is given data_dir" },
	{ "landlock", CT_BOOL, OFF(landlock), 0, 1, "yes", NULL,
	  "confine session, UI and SFTP processes to data_dir with Landlock, where the kernel has it" },
	{ "memory_limit", CT_INT, OFF(memory_limit), 0, 1048576, "256", NULL,
	  "MiB of data memory each session, UI and SFTP process may use; 0: no limit" },
	{ "edit_window", CT_INT, OFF(edit_window), 0, 525600, "30", NULL,
	  "minutes after posting that the author may edit or delete her post; 0: never" },
	{ "chat_history_days", CT_INT, OFF(chat_history_days), 0, 365, "7", NULL,
	  "days a chat line is kept and shown to whoever enters its room; 0: kept until the sysop prunes" },
	{ "news_identity", CT_STRING, OFF(news_identity), 0, 0, "", NULL,
	  "this server's name among the districts (as kazan-1), in its articles' Message-IDs and in its authors' login@NAME; empty: parta-news does not run" },
	{ "news_server", CT_STRING, OFF(news_server), 0, 0, "127.0.0.1:119", NULL,
	  "the district's INN server, host:port, which parta-news offers the shared boards' posts to and reads the other districts' from" },
	{ "news_key", CT_STRING, OFF(news_key), 0, 0, "", NULL,
	  "Ed25519 key file that signs this server's articles; empty means data_dir/news_ed25519_key (parta-news -K makes it)" },
	{ "news_peers", CT_STRING, OFF(news_peers), 0, 0, "", NULL,
	  "file of the districts whose articles are accepted, lines \"NAME PUBLIC-KEY\"; empty means data_dir/news_peers" },
	{ "news_max_article", CT_INT, OFF(news_max_article), 4096, 262144, "262144", NULL,
	  "bytes of an article from INN beyond which parta-news refuses it" },
	{ "news_batch", CT_INT, OFF(news_batch), 1, 100000, "500", NULL,
	  "articles parta-news sends, and reads per newsgroup, in one run" },
	{ "sync_upload_expiry", CT_INT, OFF(sync_upload_expiry), 1, 8760, "168", NULL,
	  "hours an unfinished parta-sync upload is kept after its last chunk arrived; then it is removed" },
};
#undef OFF

static const struct config_key *
config_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(config_keys); i++)
		if (strcmp(config_keys[i].name, name) == 0)
			return &config_keys[i];
	return NULL;
}

static int
parse_bool(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int
config_apply(struct config *c, const struct config_key *k, const char *v,
    char **cause)
{
	void	*field = (char *)c + k->offset;
	char	*end;
	long	 n;
	int	 b;
	size_t	 i;

	switch (k->type) {
	case CT_INT:
		errno = 0;
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0) {
			*cause = xasprintf("%s: not a number: \"%s\"", k->name, v);
			return -1;
		}
		if (n < k->min || n > k->max) {
			*cause = xasprintf("%s: %ld is out of range %ld..%ld",
			    k->name, n, k->min, k->max);
			return -1;
		}
		*(int *)field = (int)n;
		return 0;
	case CT_BOOL:
		if (parse_bool(v, &b) != 0) {
			*cause = xasprintf("%s: expected yes or no, got \"%s\"", k->name, v);
			return -1;
		}
		*(int *)field = b;
		return 0;
	case CT_ENUM:
		for (i = 0; k->choices[i] != NULL; i++)
			if (strcmp(k->choices[i], v) == 0)
				break;
		if (k->choices[i] == NULL) {
			*cause = xasprintf("%s: unknown value \"%s\"", k->name, v);
			return -1;
		}
		/* FALLTHROUGH */
	case CT_STRING:
		free(*(char **)field);
		*(char **)field = xstrdup(v);
		return 0;
	}
	return -1;
}

int
config_set(struct config *c, const char *key, const char *value, char **cause)
{
	const struct config_key	*k;

	*cause = NULL;
	if ((k = config_find(key)) == NULL) {
		*cause = xasprintf("unknown key \"%s\"", key);
		return -1;
	}
	return config_apply(c, k, value, cause);
}

void
config_defaults(struct config *c)
{
	size_t	 i;
	char	*cause;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < nitems(config_keys); i++)
		if (config_apply(c, &config_keys[i], config_keys[i].def, &cause) != 0)
			abort();	/* the table itself is wrong */
}

void
config_free(struct config *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < nitems(config_keys); i++) {
		const struct config_key	*k = &config_keys[i];
		if (k->type == CT_STRING || k->type == CT_ENUM) {
			char	**p = (char **)((char *)c + k->offset);
			free(*p);
			*p = NULL;
		}
	}
}

static char *
trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
config_parse_startups(const char *v, int *begin, int *rate, int *full)
{
	char	*end;
	long	 n[3];
	int	 i;

	for (i = 0; i < 3; i++) {
		errno = 0;
		n[i] = strtol(v, &end, 10);
		if (end == v || errno != 0 || n[i] < 1 || n[i] > 100000)
			return -1;
		v = end;
		if (*v == '\0')
			break;
		if (*v++ != ':' || i == 2)
			return -1;
	}
	if (i == 0) {
		*begin = *full = (int)n[0];
		*rate = 100;
		return 0;
	}
	if (i != 2 || n[0] > n[2] || n[1] > 100)
		return -1;
	*begin = (int)n[0];
	*rate = (int)n[1];
	*full = (int)n[2];
	return 0;
}

int
config_check(const struct config *c, char **cause)
{
	int	 b, r, f;

	*cause = NULL;
	if (c->idle_warning >= c->idle_timeout ||
	    c->idle_warning >= c->guest_idle_timeout) {
		*cause = xasprintf("idle_warning (%d) must be shorter than "
		    "idle_timeout (%d) and guest_idle_timeout (%d)",
		    c->idle_warning, c->idle_timeout, c->guest_idle_timeout);
		return -1;
	}
	if (config_parse_startups(c->max_startups, &b, &r, &f) != 0) {
		*cause = xasprintf("max_startups: \"%s\" is not begin:rate:full "
		    "(1 <= begin <= full, rate 1..100) or a number",
		    c->max_startups);
		return -1;
	}
	if (c->kex_timeout > c->auth_timeout) {
		*cause = xasprintf("kex_timeout (%d) must not be longer than "
		    "auth_timeout (%d)", c->kex_timeout, c->auth_timeout);
		return -1;
	}
	if (*c->news_identity != '\0' &&
	    article_ident_check(c->news_identity) != 0) {
		*cause = xasprintf("news_identity: \"%s\" is not a name of "
		    "lower-case Latin letters, digits, '-' and '.'",
		    c->news_identity);
		return -1;
	}
	/* Below this not even an 80x24 session starts (partad.conf(5)). */
	if (c->memory_limit != 0 && c->memory_limit < 8) {
		*cause = xasprintf("memory_limit (%d) must be 0 (no limit) or at "
		    "least 8 MiB", c->memory_limit);
		return -1;
	}
	return 0;
}

int
config_load(struct config *c, const char *path, char **cause)
{
	FILE	*fp;
	char	*line = NULL, *key, *value, *hash, *why;
	size_t	 cap = 0;
	ssize_t	 n;
	int	 lineno = 0, rc = -1;

	*cause = NULL;
	if ((fp = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, fp)) != -1) {
		lineno++;
		/* The C strings below would end at it and drop the rest. */
		if (memchr(line, '\0', (size_t)n) != NULL) {
			*cause = xasprintf("%s:%d: the line contains a NUL byte",
			    path, lineno);
			goto out;
		}
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		key = trim(line);
		if (*key == '\0')
			continue;
		value = key + strcspn(key, " \t=");
		if (*value != '\0')
			*value++ = '\0';
		value = trim(value);
		if (*value == '=')
			value = trim(value + 1);
		if (config_set(c, key, value, &why) != 0) {
			*cause = xasprintf("%s:%d: %s", path, lineno, why);
			free(why);
			goto out;
		}
	}
	if (ferror(fp)) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(line);
	fclose(fp);
	return rc;
}

static void
config_format(const struct config *c, const struct config_key *k, char *buf,
    size_t len)
{
	const void	*field = (const char *)c + k->offset;

	switch (k->type) {
	case CT_INT:
		snprintf(buf, len, "%d", *(const int *)field);
		break;
	case CT_BOOL:
		snprintf(buf, len, "%s", *(const int *)field ? "yes" : "no");
		break;
	case CT_STRING:
	case CT_ENUM:
		snprintf(buf, len, "%s", *(char *const *)field);
		break;
	}
}

void
config_dump(const struct config *c, FILE *fp)
{
	const struct config_key	*k;
	char			 buf[64];
	const char		*v;
	size_t			 i;

	for (i = 0; i < nitems(config_keys); i++) {
		k = &config_keys[i];
		/* A string is printed whole, however long. */
		if (k->type == CT_STRING || k->type == CT_ENUM)
			v = *(char *const *)((const char *)c + k->offset);
		else {
			config_format(c, k, buf, sizeof(buf));
			v = buf;
		}
		/* A value that starts with '=' needs the separator written
		 * out, or loading would take its '=' for one. */
		fprintf(fp, *v == '=' ? "%s = %s\n" : "%s %s\n", k->name, v);
	}
}

void
config_print_keys(FILE *fp)
{
	size_t	 i;

	for (i = 0; i < nitems(config_keys); i++)
		fprintf(fp, "  %-20s %-16s %s\n", config_keys[i].name,
		    *config_keys[i].def ? config_keys[i].def : "\"\"",
		    config_keys[i].help);
}
