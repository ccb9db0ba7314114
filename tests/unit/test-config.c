/*
 * test-config.c: partad.conf parsing: the defaults, both line forms,
 * comments, and every kind of bad line, whose message must name the file
 * and line so a sysop can find it.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

/* A field of struct config and what it should hold. */
struct want_int {
	const char	*what;
	size_t		 off;
	int		 want;
};
struct want_str {
	const char	*what;
	size_t		 off;
	const char	*want;
};
#define CI(f)	offsetof(struct config, f)
#define DEFAULT(f, v)	{ "default " #f, CI(f), v }
#define TRIP(f, v)	{ "round trip: " #f, CI(f), v }
#define EXPECT(c, name) config_expect((c), name##_ints, nitems(name##_ints), \
	name##_strs, nitems(name##_strs))

/* Check each int and string field of c against its row. */
static void
config_expect(const struct config *c, const struct want_int *wi, size_t ni,
    const struct want_str *ws, size_t ns)
{
	const char	*base = (const char *)c;
	size_t		 i;

	for (i = 0; i < ni; i++)
		T_INT(*(const int *)(base + wi[i].off), wi[i].want, "%s", wi[i].what);
	for (i = 0; i < ns; i++)
		T_STR(*(char *const *)(base + ws[i].off), ws[i].want, "%s", ws[i].what);
}

/* Write text to a new file in the test directory; returns its path. */
static char *
write_file(const char *name, const char *text)
{
	char	*path = t_path(name);
	FILE	*fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) == EOF || fclose(fp) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	return path;
}

/* Load text (as a file) over the defaults; returns config_load's result
 * and the cause (caller frees) through *cause. */
static int
load_text(struct config *c, const char *text, char **cause, char **path_out)
{
	static int	 n;
	char		 name[32];
	char		*path;
	int		 rc;

	snprintf(name, sizeof(name), "conf-%d", ++n);
	path = write_file(name, text);
	config_defaults(c);
	rc = config_load(c, path, cause);
	if (path_out != NULL)
		*path_out = path;
	else
		free(path);
	return rc;
}

static void
test_defaults(void)
{
	struct config	 c;
	static const struct want_int	 def_ints[] = {
		DEFAULT(port, 2222),
		DEFAULT(auth_timeout, 120),
		DEFAULT(max_auth_tries, 3),
		DEFAULT(throttle_failures, 10),
		DEFAULT(throttle_address_failures, 30),
		DEFAULT(registration_per_address, 3),
		DEFAULT(registration_per_day, 50),
		DEFAULT(registration_expiry, 30),
		DEFAULT(throttle_window, 600),
		DEFAULT(throttle_block, 900),
		DEFAULT(idle_timeout, 1800),
		DEFAULT(keepalive_interval, 60),
		DEFAULT(compression, 1),
		DEFAULT(registration, 1),
		DEFAULT(syslog, 0),
	};
	static const struct want_str	 def_strs[] = {
		DEFAULT(listen_address, "0.0.0.0"),
		DEFAULT(data_dir, "/var/lib/parta"),
		DEFAULT(host_key, ""),
		DEFAULT(log_level, "info"),
		DEFAULT(default_language, "ru"),
	};

	config_defaults(&c);
	EXPECT(&c, def);
	config_free(&c);
	T_OK(c.data_dir == NULL && c.log_level == NULL,
	    "config_free clears the strings it frees");
	config_free(&c);	/* twice is harmless */
	config_free(NULL);
	T_OK(1, "config_free accepts NULL and a freed config");
}

static void
test_good_file(void)
{
	struct config	 c;
	static const struct want_int	 good_ints[] = {
		{ "\"key value\" form", CI(port), 2022 },
		{ "\"key = value\" form with a trailing comment", CI(auth_timeout), 300 },
		{ "\"key=value\" form without spaces", CI(max_auth_tries), 5 },
		{ "bool yes", CI(syslog), 1 },
		{ "bool false", CI(compression), 0 },
		{ "bool 0", CI(registration), 0 },
		{ "keys not in the file keep their defaults", CI(idle_timeout), 1800 },
	};
	static const struct want_str	 good_strs[] = {
		{ "leading/trailing blanks and a tab are trimmed", CI(listen_address), "127.0.0.1" },
		{ "a string value keeps its inner space", CI(data_dir), "/srv/parta data" },
		{ "enum log_level debug", CI(log_level), "debug" },
		{ "enum default_language en", CI(default_language), "en" },
		{ "a string key with no value is empty", CI(host_key), "" },
	};
	char		*cause = NULL;
	int		 rc;

	rc = load_text(&c,
	    "# partad.conf for the test\n"
	    "\n"
	    "   \t  \n"
	    "port 2022\n"
	    "auth_timeout = 300   # GPRS is slow\n"
	    "max_auth_tries=5\n"
	    "  listen_address\t127.0.0.1  \n"
	    "data_dir /srv/parta data\n"
	    "syslog yes\n"
	    "compression false\n"
	    "registration 0\n"
	    "log_level debug\n"
	    "default_language en\n"
	    "host_key\n"
	    "#port 1\n",
	    &cause, NULL);
	T_INT(rc, 0, "a file with comments, blank lines and both forms loads");
	T_OK(cause == NULL, "no cause on success");
	EXPECT(&c, good);
	free(cause);
	config_free(&c);

	rc = load_text(&c, "", &cause, NULL);
	T_INT(rc, 0, "an empty file is a valid configuration");
	T_INT(c.port, 2222, "... and leaves the defaults");
	free(cause);
	config_free(&c);

	rc = load_text(&c, "port 1\nport 65535", &cause, NULL);
	T_INT(rc, 0, "bounds are inclusive; a last line without newline is read");
	T_INT(c.port, 65535, "a later line overrides an earlier one");
	free(cause);
	config_free(&c);
}

/* 1 if the message cause starts with "path:line: ". */
static int
names_line(const char *cause, const char *path, int line)
{
	char	*prefix = xasprintf("%s:%d: ", path, line);
	int	 ok;

	ok = cause != NULL && strncmp(cause, prefix, strlen(prefix)) == 0;
	free(prefix);
	return ok;
}

/* After a refused load: show the message as a comment, free it all. */
static void
refused_free(struct config *c, char *cause, char *path)
{
	if (cause != NULL)
		printf("#   %s\n", cause);
	free(path);
	free(cause);
	config_free(c);
}

/* Load text, expect failure; check the message names path:line and
 * contains want. */
static void
bad_line(const char *text, int line, const char *want, const char *what)
{
	struct config	 c;
	char		*cause = NULL, *path = NULL;
	int		 rc;

	rc = load_text(&c, text, &cause, &path);
	T_INT(rc, -1, "%s: refused", what);
	T_OK(names_line(cause, path, line),
	    "%s: message starts with file:line", what);
	T_OK(cause != NULL && strstr(cause, want) != NULL,
	    "%s: message mentions \"%s\"", what, want);
	refused_free(&c, cause, path);
}

static void
test_bad_files(void)
{
	struct config	 c;
	char		*cause = NULL, *path;
	int		 rc;

	bad_line("# ok\nport 22\nprot 2222\n", 3, "prot", "unknown key");
	bad_line("port 0\n", 1, "out of range", "port 0 (below range)");
	bad_line("\n\nport 65536\n", 3, "out of range", "port 65536 (above range)");
	bad_line("auth_timeout 9\n", 1, "out of range", "auth_timeout 9");
	bad_line("max_auth_tries -1\n", 1, "out of range", "negative number");
	bad_line("port 99999999999999999999\n", 1, "not a number", "overflowing number");
	bad_line("port twenty\n", 1, "not a number", "non-number");
	bad_line("port 22x\n", 1, "not a number", "number with trailing junk");
	bad_line("port 0x16\n", 1, "not a number", "hex number");
	bad_line("port\n", 1, "not a number", "missing number");
	bad_line("port 22 23\n", 1, "not a number", "two numbers");
	bad_line("syslog maybe\n", 1, "maybe", "bad bool");
	bad_line("syslog YES\n", 1, "YES", "bool is case-sensitive");
	bad_line("syslog\n", 1, "syslog", "empty bool");
	bad_line("log_level verbose\n", 1, "verbose", "bad enum");
	bad_line("default_language tt\n", 1, "tt", "language not offered");
	bad_line("log_level\n", 1, "log_level", "empty enum");
	bad_line("= 5\n", 1, "unknown key", "line with no key");

	path = t_path("does-not-exist.conf");
	config_defaults(&c);
	rc = config_load(&c, path, &cause);
	T_INT(rc, -1, "missing file refused");
	T_OK(cause != NULL && strstr(cause, path) != NULL &&
	    strstr(cause, "No such file") != NULL,
	    "missing file: message names the file and the reason");
	T_INT(c.port, 2222, "missing file leaves the config alone");
	free(cause);
	free(path);
	config_free(&c);

	config_defaults(&c);
	rc = config_load(&c, t_tmp, &cause);
	T_INT(rc, -1, "a directory is not a config file");
	T_OK(cause != NULL, "... with a cause");
	free(cause);
	config_free(&c);
}

static void
test_set(void)
{
	struct config	 c;
	char		*cause = (char *)"junk";

	config_defaults(&c);
	T_INT(config_set(&c, "port", "2022", &cause), 0, "config_set a number");
	T_OK(cause == NULL, "config_set clears *cause on success");
	T_INT(c.port, 2022, "config_set took effect");
	T_INT(config_set(&c, "port", "70000", &cause), -1, "config_set out of range");
	T_INT(c.port, 2022, "a refused value leaves the old one");
	free(cause);
	T_INT(config_set(&c, "no_such_key", "1", &cause), -1, "config_set unknown key");
	T_OK(cause != NULL && strstr(cause, "no_such_key") != NULL,
	    "unknown key is named");
	free(cause);
	T_INT(config_set(&c, "log_level", "warn", &cause), 0, "config_set an enum");
	T_STR(c.log_level, "warn", "enum replaced (old string freed, see ASan)");
	config_free(&c);
}

/* What config_dump prints must load back to the same values. */
static void
test_dump_roundtrip(void)
{
	struct config	 a, b;
	static const struct want_int	 trip_ints[] = {
		TRIP(port, 2022),
		TRIP(syslog, 1),
		TRIP(compression, 0),
		TRIP(throttle_block, 86400),
	};
	static const struct want_str	 trip_strs[] = {
		TRIP(data_dir, "/srv/parta"),
		TRIP(log_level, "error"),
		TRIP(default_language, "en"),
		TRIP(host_key, ""),
	};
	char		*path = t_path("dump.conf"), *cause = NULL;
	char		*da = NULL, *db = NULL, *long_value;
	size_t		 la = 0, lb = 0;
	FILE		*fp, *ma, *mb;

	config_defaults(&a);
	T_INT(config_set(&a, "port", "2022", &cause), 0, "set port for dump");
	T_INT(config_set(&a, "data_dir", "/srv/parta", &cause), 0, "set data_dir");
	T_INT(config_set(&a, "syslog", "yes", &cause), 0, "set syslog");
	T_INT(config_set(&a, "compression", "no", &cause), 0, "set compression");
	T_INT(config_set(&a, "log_level", "error", &cause), 0, "set log_level");
	T_INT(config_set(&a, "default_language", "en", &cause), 0, "set language");
	T_INT(config_set(&a, "throttle_block", "86400", &cause), 0, "set throttle_block");

	fp = fopen(path, "w");
	config_dump(&a, fp);
	fclose(fp);

	config_defaults(&b);
	T_INT(config_load(&b, path, &cause), 0, "config_dump output loads");
	if (cause != NULL)
		printf("#   %s\n", cause);
	free(cause);
	EXPECT(&b, trip);

	/* Every key, not only the ones set: the two dumps are identical. */
	ma = open_memstream(&da, &la);
	mb = open_memstream(&db, &lb);
	config_dump(&a, ma);
	config_dump(&b, mb);
	fclose(ma);
	fclose(mb);
	T_OK(la > 0 && la == lb && memcmp(da, db, la) == 0,
	    "dump of the reloaded config equals the original dump");
	T_OK(strstr(da, "\nport 2022\n") != NULL, "dump has \"port 2022\"");
	T_OK(strstr(da, "\nhost_key \n") != NULL, "dump shows an empty host_key");
	free(da);
	free(db);
	config_free(&a);
	config_free(&b);

	/* A value starting with '=' (found by fuzz-config), and one
	 * longer than any buffer, come back whole. */
	config_defaults(&a);
	long_value = xmalloc(2001);
	memset(long_value, 'd', 2000);
	long_value[0] = '/';
	long_value[2000] = '\0';
	T_INT(config_set(&a, "public_host", "=bbs", &cause), 0, "set =bbs");
	T_INT(config_set(&a, "data_dir", long_value, &cause), 0, "set a long path");
	fp = fopen(path, "w");
	config_dump(&a, fp);
	fclose(fp);
	config_defaults(&b);
	T_INT(config_load(&b, path, &cause), 0, "that dump loads");
	free(cause);
	T_STR(b.public_host, "=bbs", "round trip: a value starting with =");
	T_STR(b.data_dir, long_value, "round trip: a 2000-byte value");
	free(long_value);
	free(path);
	config_free(&a);
	config_free(&b);
}

/* Rules between keys, checked after the whole file is read. */
static void
test_check(void)
{
	struct config	 c;
	char		*cause = NULL, *v;

	config_defaults(&c);
	T_INT(config_check(&c, &cause), 0, "the defaults pass config_check");
	T_OK(cause == NULL, "... with no cause");
	v = xasprintf("%d", c.idle_timeout);
	T_INT(config_set(&c, "idle_warning", v, &cause), 0,
	    "idle_warning as long as idle_timeout is in its own range");
	free(v);
	T_INT(config_check(&c, &cause), -1, "... but config_check refuses it");
	T_OK(cause != NULL && strstr(cause, "idle_warning") != NULL,
	    "... naming idle_warning");
	free(cause);
	config_free(&c);
}

/* A line holding a NUL byte is refused with its number, wherever the
 * NUL is: before, the part after it was silently dropped. */
static void
nul_line(const char *text, size_t len, int line, const char *what)
{
	struct config	 c;
	char		*cause = NULL, *path = t_path("nul.conf");
	FILE		*fp = fopen(path, "w");

	if (fp == NULL || fwrite(text, 1, len, fp) != len || fclose(fp) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	config_defaults(&c);
	T_INT(config_load(&c, path, &cause), -1, "%s: refused", what);
	T_OK(names_line(cause, path, line) && strstr(cause, "NUL") != NULL,
	    "%s: message names line %d and the NUL byte", what, line);
	refused_free(&c, cause, path);
}

static void
test_nul(void)
{
	static const char	 mid[] = "port 2223\nport 22\0\060\nsyslog yes\n";
	static const char	 start[] = "\0port 2223\n";
	static const char	 comment[] = "port 2223\n# a \0 comment\n";

	nul_line(mid, sizeof(mid) - 1, 2, "NUL inside a value");
	nul_line(start, sizeof(start) - 1, 1, "NUL at the start of a line");
	nul_line(comment, sizeof(comment) - 1, 2, "NUL inside a comment");
}

/* A key set on the defaults, and what config_check() must say of it: 0
 * or -1, and a word its cause must hold (NULL: any). */
struct check_case {
	const char	*key, *value;
	int		 want;
	const char	*says;
	const char	*what;
};

static void
check_one(const struct check_case *k)
{
	struct config	 c;
	char		*cause = NULL;

	config_defaults(&c);
	config_set(&c, k->key, k->value, &cause);
	free(cause);
	cause = NULL;
	T_INT(config_check(&c, &cause), k->want, "config_check %s", k->what);
	if (k->says != NULL)
		T_OK(cause != NULL && strstr(cause, k->says) != NULL,
		    "... saying so");
	free(cause);
	config_free(&c);
}

/* max_startups: "begin:rate:full" or "full", as OpenSSH's MaxStartups. */
static void
test_startups(void)
{
	static const struct check_case checks[] = {
		{ "max_startups", "ten", -1, NULL,
		  "refuses a bad max_startups" },
		{ "kex_timeout", "200", -1, "auth_timeout",
		  "refuses kex_timeout beyond auth_timeout" },
		{ "memory_limit", "4", -1, NULL, "refuses memory_limit 4" },
		/* The federation identity goes into Message-IDs: no
		 * capitals, blanks or '@'. */
		{ "news_identity", "Kazan 1", -1, NULL,
		  "refuses news_identity \"Kazan 1\"" },
		{ "news_identity", "kazan-1", 0, NULL,
		  "takes news_identity kazan-1" },
	};
	size_t		 i;
	int		 b = 0, r = 0, f = 0;

	T_INT(config_parse_startups("10:30:100", &b, &r, &f), 0,
	    "max_startups 10:30:100 parses");
	T_OK(b == 10 && r == 30 && f == 100, "... as begin 10, rate 30, full 100");
	T_INT(config_parse_startups("7", &b, &r, &f), 0, "a single number parses");
	T_OK(b == 7 && r == 100 && f == 7, "... as begin = full, rate 100");
	T_INT(config_parse_startups("10:30", &b, &r, &f), -1, "two fields refused");
	T_INT(config_parse_startups("10:30:100:1", &b, &r, &f), -1,
	    "four fields refused");
	T_INT(config_parse_startups("20:30:10", &b, &r, &f), -1,
	    "begin above full refused");
	T_INT(config_parse_startups("10:101:100", &b, &r, &f), -1,
	    "a rate above 100 refused");
	T_INT(config_parse_startups("0", &b, &r, &f), -1, "0 refused");
	T_INT(config_parse_startups("10::100", &b, &r, &f), -1, "an empty field refused");
	T_INT(config_parse_startups("", &b, &r, &f), -1, "empty refused");
	for (i = 0; i < nitems(checks); i++)
		check_one(&checks[i]);
}

static void
test_print_keys(void)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp = open_memstream(&buf, &len);

	config_print_keys(fp);
	fclose(fp);
	T_OK(strstr(buf, "port") != NULL && strstr(buf, "2222") != NULL,
	    "config_print_keys lists port and its default");
	T_OK(strstr(buf, "host_key") != NULL && strstr(buf, "\"\"") != NULL,
	    "config_print_keys shows an empty default as \"\"");
	free(buf);
}

int
main(void)
{
	t_tmpdir();
	test_defaults();
	test_good_file();
	test_bad_files();
	test_set();
	test_dump_roundtrip();
	test_check();
	test_print_keys();
	test_nul();
	test_startups();
	return t_done();
}
