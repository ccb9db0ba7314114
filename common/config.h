/*
 * config.h: partad's configuration, a table of keys with types, bounds,
 * defaults and help.  The same table drives parsing, validation, the
 * defaults, `partad -T` and the partad.conf(5) man page check.
 */
#ifndef PARTA_CONFIG_H
#define PARTA_CONFIG_H

#include <stdio.h>

struct config {
	char	*listen_address;
	int	 port;
	char	*data_dir;
	char	*host_key;
	char	*locale_dir;
	char	*log_level;
	int	 syslog;
	int	 auth_timeout;
	int	 max_auth_tries;
	int	 throttle_failures;
	int	 throttle_address_failures;
	int	 throttle_window;
	int	 throttle_block;
	int	 idle_timeout;
	int	 guest_idle_timeout;
	int	 idle_warning;
	int	 sftp_idle_timeout;	/* seconds; 0: none */
	int	 keepalive_interval;
	int	 compression;
	int	 registration;
	int	 registration_per_address;
	int	 registration_per_day;
	int	 registration_expiry;	/* days */
	int	 max_sessions;
	char	*default_language;
	char	*public_host;		/* the library's download commands */
	char	*zmodem_sz;		/* lrzsz's sz; "": no ZMODEM */
	int	 memory_limit;		/* MiB per process; 0: none */
	char	*max_startups;		/* "begin:rate:full" or "full" */
	int	 per_source_max_startups;
	int	 max_guest_sessions;
	int	 kex_timeout;
	char	*user;			/* started as root: run as this user */
	int	 landlock;		/* confine sessions to data_dir */
	int	 edit_window;		/* minutes an author may edit; 0: never */
	int	 chat_history_days;	/* days chat lines are kept */
	/* federation (bbs/parta-news.c) */
	char	*news_identity;		/* "": not federated */
	char	*news_server;		/* host:port of the district's INN */
	char	*news_key;		/* "": data_dir/news_ed25519_key */
	char	*news_peers;		/* "": data_dir/news_peers */
	int	 news_max_article;	/* bytes */
	int	 news_batch;		/* articles per run and group */
	int	 sync_upload_expiry;	/* hours a held upload is kept */
};

/* Fill c with every key's default.  Free with config_free. */
void	config_defaults(struct config *c);
/* Release the strings c owns; c itself is the caller's.  Accepts NULL. */
void	config_free(struct config *c);

/*
 * Read path into c (which holds defaults or earlier values).  On error
 * returns -1 and sets *cause to a message the caller frees; c may then be
 * partly updated, so parse into a scratch copy when that matters.
 */
int	config_load(struct config *c, const char *path, char **cause);
/* Check rules between keys (each key's own range is checked when set):
 * 0, or -1 and *cause (caller frees). */
int	config_check(const struct config *c, char **cause);
/* Set one key from a string, as a config line would: 0, or -1 and *cause. */
int	config_set(struct config *c, const char *key, const char *value, char **cause);

/*
 * Parse max_startups, "begin:rate:full" or a single "full", into its
 * three numbers (a single number means begin = full, rate 100).
 * 0, or -1 when it is malformed or out of order.
 */
int	config_parse_startups(const char *v, int *begin, int *rate, int *full);

/* Print every key and its current value, one per line ("key value"). */
void	config_dump(const struct config *c, FILE *fp);
/* Print the table (key, default, help) as text, for --help. */
void	config_print_keys(FILE *fp);

#endif
