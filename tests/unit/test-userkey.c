/*
 * test-userkey.c: SSH public keys as a teacher pastes them.  The keys
 * below were made once with ssh-keygen and their fingerprints taken from
 * "ssh-keygen -l -E sha256", so the test needs no ssh-keygen and no
 * randomness; the hostile lines are built from them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perr.h"
#include "store.h"
#include "t.h"
#include "t-tmp.h"
#include "user.h"
#include "userkey.h"

#define ED_B64	"AAAAC3NzaC1lZDI1NTE5AAAAID3IrK9UuFwRFjL2vmqUUwBqdbPk+WwzcCkI1BQM7IiC"
#define ED_FP	"SHA256:dZ5u9hpSTFlEinmClQi2Wh8etSg7Rz+Vzb5ZH2V4Ei0"
#define ED2_B64	"AAAAC3NzaC1lZDI1NTE5AAAAICCyqpIf4SWGPzW0nc1ByMsoZrxSAc6azHuBteTe8cCm"
#define ED2_FP	"SHA256:i2loN+2XF2x5eOlSDsgcu0/sHLOfC0AsLgCl8w28ROY"
#define EC_B64	"AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBKAWACp3yd/hCTPD" \
		"WUsHSZwnkk/pdeKWiA6pS4FMQaa/D5M7JmojyeqZoiFa8mk8UTqudCnAh2Y7wSCBrEbZhkE="
#define EC_FP	"SHA256:FmQooPz/3xHKcy3HIFsQU4xes3FJ7UEFZOd0MO/NEoY"
#define RSA_B64	"AAAAB3NzaC1yc2EAAAADAQABAAABAQDKPQr4oHJk4t2Pp2t91W+TreoJlzEW5hsFGOt3" \
		"FPLdaTwip2JCq6aB1gILcASbNp9r4sO4XiFIDByOlVcKEq0yXkj1pWXVNVZZwFKKaifn" \
		"QGCSrGn2SrP3Ft+30WIcSP77u/SYDFMdl7szQhc5NAY9z/i8Mdvp+tz9tVxI5Lfb6ZV2" \
		"touOqZWCSw6fC4XF/1RLDdrcRD8x9dBcJxb+vCzRwEi2DWBkVXupZ53Z4za4Xf0RW5iL" \
		"P+WHMsWx9Ms5IdVdbH5lyTh3A7FlRn5zLurAwOBccevLdTo5mKXf3P8Dm4T/geUbeu/t" \
		"7Xw/YNs9qxgd8sTH363QsUl5PqHyeUD3"
#define RSA_FP	"SHA256:xGT45B7/lfsb6JtPxq5o7vhBPyA4BOduw5PGZFqNmtI"
#define DSA_B64	"AAAAB3NzaC1kc3MAAACBANKCF12k7DxdJLYtFQX2txIt9l30u6/d83mxgo+dIQRF0Ivs" \
		"UNb9RnjUXcTJO4wz6VlZ5z7m3UDjkdQ2ssEGY8YdHUb8Ip8XZxwl2Kl8uIG1DhmzIx3V" \
		"DEWPx97o3xD0FNAzQzGkJ2xCgySUDRLb7igEU/jU1PEyBRPVocZM8FbdAAAAFQC51pja" \
		"4BAU/+eCzi23RraGo1V2aQAAAIB/3UfGpD6o20Xmp0xx576cISEct+PKNWPTzUWMuGxB" \
		"sx3FZSw/RFrs/UW6BcY4CvIkqweENd2klVpOSbBwesbhHeHdXxtmS492HGSr1S0rOVbY" \
		"iTQnAiSDpF+4oiAZWPU7Y7lYIgO0EcPyxtp1NFRWG6OJv3cuwnp9JMQfzIKXYQAAAIEA" \
		"tfeonwE6hrj/VMhZWmzgNWPNEtXp0BC2kjqPdSVE4ufg78quACe+DIhuzg6Lbi7AvZ56" \
		"fSVoYQIcjMKq3WiUfjuYhG4YjyyRjSuwJ+XFAom3H+90e2h5rbtlMzKxNyA3msbAOfch" \
		"u2XeOt0spJcQrQOCF3qit/C2Z8pfykCWUJQ="
/* string "ssh-rsa" then ED's 32-byte public key: an ed25519 key body
 * whose blob names another type. */
#define LYING_B64 "AAAAB3NzaC1yc2EAAAAgPcisr1S4XBEWMva+apRTAGp1s+T5bDNwKQjUFAzsiII="
/* ED's blob with the key cut to 31 bytes, and with a byte appended. */
#define SHORT_B64 "AAAAC3NzaC1lZDI1NTE5AAAAHz3IrK9UuFwRFjL2vmqUUwBqdbPk+WwzcCkI1BQM7Ig="
#define LONG_B64  "AAAAC3NzaC1lZDI1NTE5AAAAID3IrK9UuFwRFjL2vmqUUwBqdbPk+WwzcCkI1BQM7IiCAA=="

static void
parse_ok(const char *line, const char *type, const char *blob, const char *comment,
    const char *fp, const char *what)
{
	struct userkey	 k;
	int		 rc = userkey_parse(line, &k);

	T_INT(rc, 0, "parse %s", what);
	T_STR(k.type, type, "%s: type", what);
	T_STR(k.blob, blob, "%s: blob", what);
	T_STR(k.comment, comment, "%s: comment", what);
	T_STR(k.fingerprint, fp, "%s: fingerprint as ssh-keygen -l shows it", what);
	userkey_clear(&k);
}

static void
parse_bad(const char *line, int want, const char *what)
{
	struct userkey	 k;
	int		 rc = userkey_parse(line, &k);

	T_INT(rc, want, "refuse %s", what);
	T_OK(k.type == NULL && k.blob == NULL && k.comment == NULL &&
	    k.fingerprint == NULL, "%s: nothing returned", what);
	userkey_clear(&k);
}

static void
test_parse(void)
{
	static const struct {
		const char	*line, *what;
	} mislabeled[] = {
		{ "ssh-rsa " ED_B64 " x", "an ssh-rsa label on an ed25519 blob" },
		{ "ssh-ed25519 " RSA_B64 " x", "an ssh-ed25519 label on an RSA blob" },
		{ "ecdsa-sha2-nistp384 " EC_B64 " x", "a P-384 label on a P-256 blob" },
		{ "rsa-sha2-256 " RSA_B64 " x",
		  "a signature name instead of the key type" },
		{ "ssh-ed25519 " LYING_B64 " x",
		  "an ed25519 key body in a blob that says ssh-rsa" },
	};
	struct userkey	 k;
	size_t		 i;
	char		*big;

	parse_ok("ssh-ed25519 " ED_B64 " teacher@school", "ssh-ed25519", ED_B64,
	    "teacher@school", ED_FP, "an ed25519 key");
	T_OK(strncmp(ED_FP, "SHA256:", 7) == 0, "fingerprints start \"SHA256:\"");
	parse_ok("ssh-ed25519 " ED_B64, "ssh-ed25519", ED_B64, "", ED_FP,
	    "a key without a comment");
	parse_ok("  ssh-ed25519\t" ED_B64 "   Анна Петрова, школа № 3  \n",
	    "ssh-ed25519", ED_B64, "Анна Петрова, школа № 3", ED_FP,
	    "a pasted line with blanks, a tab, a Cyrillic comment and a newline");
	parse_ok("ssh-ed25519\t" ED_B64 "\tмой\tключ", "ssh-ed25519", ED_B64,
	    "мой ключ", ED_FP, "tabs between fields, and a tab in the comment as a space");
	parse_ok("ecdsa-sha2-nistp256 " EC_B64 " ec key", "ecdsa-sha2-nistp256",
	    EC_B64, "ec key", EC_FP, "an ECDSA P-256 key");
	parse_ok("ssh-rsa " RSA_B64 " rsa", "ssh-rsa", RSA_B64, "rsa", RSA_FP,
	    "an RSA key");

	parse_bad("", PERR_KEY_INVALID, "an empty line");
	parse_bad("   \n", PERR_KEY_INVALID, "a blank line");
	parse_bad("ssh-ed25519", PERR_KEY_INVALID, "a type without a key");
	parse_bad("ssh-ed25519 ", PERR_KEY_INVALID, "a type and a blank");
	parse_bad(ED_B64, PERR_KEY_INVALID, "a key without a type");
	parse_bad("ssh-ed25519 AAAA!!!notbase64### x", PERR_KEY_INVALID,
	    "malformed base64");
	parse_bad("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 x", PERR_KEY_INVALID,
	    "a blob cut after its type");
	parse_bad("ssh-ed25519 " SHORT_B64, PERR_KEY_INVALID, "a 31-byte ed25519 key");
	parse_bad("ssh-foo " ED_B64 " x", PERR_KEY_INVALID, "an unknown type");
	parse_bad("ssh-dss " DSA_B64 " dsa", PERR_KEY_TYPE, "a DSA key (type not accepted)");
	/* A type that is not the blob's own, or a blob that lies. */
	for (i = 0; i < sizeof(mislabeled) / sizeof(mislabeled[0]); i++)
		parse_bad(mislabeled[i].line, PERR_KEY_INVALID, mislabeled[i].what);
	parse_bad("from=\"10.0.0.1\" ssh-ed25519 " ED_B64 " x", PERR_KEY_INVALID,
	    "an options prefix (from=)");
	parse_bad("command=\"/bin/sh\" ssh-ed25519 " ED_B64, PERR_KEY_INVALID,
	    "an options prefix (command=)");
	parse_bad("no-pty ssh-ed25519 " ED_B64, PERR_KEY_INVALID, "an options prefix (no-pty)");
	parse_bad("ssh-ed25519 " ED_B64 " evil\x1b[2J", PERR_CONTROL, "ESC in the comment");
	parse_bad("ssh-ed25519 " ED_B64 " evil\xc2\x9b" "2J", PERR_CONTROL, "C1 in the comment");
	parse_bad("ssh-ed25519 " ED_B64 " abc\xe2\x80\xae" "cba", PERR_CONTROL,
	    "BiDi override in the comment");
	parse_bad("ssh-ed25519 " ED_B64 " a\rb", PERR_CONTROL, "CR in the comment");
	parse_bad("ssh-ed25519 " ED_B64 " a\x7f", PERR_CONTROL, "DEL in the comment");
	parse_bad("ssh-ed25519 " ED_B64 " bad\xff", PERR_UTF8, "broken UTF-8 in the comment");
	parse_bad("ssh-ed25519 " ED_B64 " one\ntwo", PERR_MULTILINE,
	    "a comment over two lines");
	parse_bad("ssh-ed25519 " ED_B64 " " "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789x", PERR_TOOLONG,
	    "a comment of 201 characters");

	/* Much too long to be a key line, and nothing at all after the key. */
	big = malloc(20000);
	memset(big, 'A', 19999);
	memcpy(big, "ssh-ed25519 ", 12);
	big[19999] = '\0';
	parse_bad(big, PERR_KEY_INVALID, "a 20000-byte line");
	free(big);

	userkey_clear(NULL);
	memset(&k, 0, sizeof(k));
	userkey_clear(&k);
	T_OK(1, "userkey_clear accepts NULL and an empty key");
}

/* A key body with trailing bytes after the key: OpenSSH refuses these. */
static void
test_trailing(void)
{
	struct userkey	 k;
	int		 rc = userkey_parse("ssh-ed25519 " LONG_B64 " x", &k);

	T_INT(rc, PERR_KEY_INVALID, "refuse an ed25519 blob with trailing bytes");
	userkey_clear(&k);
}

static void
test_store(void)
{
	struct store	*st;
	struct userkey	*v = NULL;
	size_t		 n = 99;
	int64_t		 anna, boris;
	const char	*bad;
	struct user_new	 nu = { .login = "anna", .display_name = "Анна",
	    .role = ROLE_TEACHER };

	st = t_store("keys.db");
	user_create(st, &nu, &anna, &bad);
	nu.login = "boris";
	nu.display_name = "Борис";
	user_create(st, &nu, &boris, &bad);

	T_INT(userkey_list(st, anna, &v, &n), 0, "list with no keys");
	T_INT(n, 0, "... is empty");
	userkey_list_free(v, n);

	T_INT(userkey_add(st, anna, "ssh-ed25519 " ED_B64 " anna@home"), 0, "add a key");
	T_INT(userkey_add(st, anna, "ssh-ed25519 " ED_B64 " anna@home"), PERR_KEY_EXISTS,
	    "the same key again: PERR_KEY_EXISTS");
	T_INT(userkey_add(st, anna, "ssh-ed25519 " ED_B64 " other comment"),
	    PERR_KEY_EXISTS, "the same key with another comment: PERR_KEY_EXISTS");
	T_INT(userkey_add(st, anna, "ssh-ed25519 " ED2_B64 " anna@school"), 0,
	    "add a second key");
	T_INT(userkey_add(st, anna, "ssh-ed25519 " ED_B64 " x\x1b[2J"), PERR_CONTROL,
	    "userkey_add refuses what userkey_parse refuses");
	T_INT(userkey_add(st, boris, "ssh-ed25519 " ED_B64 " boris"), 0,
	    "another user may add the same key");

	T_INT(userkey_list(st, anna, &v, &n), 0, "list anna's keys");
	T_INT(n, 2, "anna has two keys");
	if (n == 2) {
		T_STR(v[0].blob, ED_B64, "oldest first");
		T_STR(v[0].comment, "anna@home", "comment kept");
		T_STR(v[0].type, "ssh-ed25519", "type kept");
		T_STR(v[0].fingerprint, ED_FP, "fingerprint stored");
		T_OK(v[0].added_at > 0, "added_at set");
		T_INT(v[0].last_used, 0, "never used yet");
		T_STR(v[1].fingerprint, ED2_FP, "second key's fingerprint");
	}

	T_INT(userkey_match(st, anna, "ssh-ed25519", ED_B64), 0, "match anna's key");
	T_INT(userkey_match(st, anna, "ssh-ed25519", ED2_B64), 0, "match anna's second key");
	T_INT(userkey_match(st, anna, "ssh-rsa", ED_B64), PERR_NOTFOUND, "wrong type does not match");
	T_INT(userkey_match(st, anna, "ssh-ed25519", RSA_B64), PERR_NOTFOUND, "unknown blob does not match");
	T_INT(userkey_match(st, 999999, "ssh-ed25519", ED_B64), PERR_NOTFOUND,
	    "unknown user does not match");
	userkey_list_free(v, n);
	T_INT(userkey_list(st, anna, &v, &n), 0, "list again");
	T_OK(n == 2 && v[0].last_used == 0, "a match only reads");
	userkey_list_free(v, n);
	T_INT(userkey_touch(st, anna, "ssh-ed25519", ED_B64), 0, "userkey_touch");
	T_INT(userkey_list(st, anna, &v, &n), 0, "list again");
	T_OK(n == 2 && v[0].last_used > 0, "userkey_touch records last_used");
	T_INT(userkey_remove(st, boris, v[0].id), PERR_NOTFOUND,
	    "boris cannot remove anna's key: PERR_NOTFOUND");
	T_INT(userkey_remove(st, anna, 999999), PERR_NOTFOUND,
	    "removing a key that does not exist: PERR_NOTFOUND");
	T_INT(userkey_remove(st, anna, v[0].id), 0, "anna removes her key");
	T_INT(userkey_remove(st, anna, v[0].id), PERR_NOTFOUND, "... only once");
	T_INT(userkey_match(st, anna, "ssh-ed25519", ED_B64), PERR_NOTFOUND,
	    "a removed key no longer matches");
	T_INT(userkey_match(st, boris, "ssh-ed25519", ED_B64), 0,
	    "boris's copy of that key still does");
	userkey_list_free(v, n);
	T_INT(userkey_list(st, anna, &v, &n), 0, "list after removal");
	T_INT(n, 1, "anna has one key left");
	T_STR(n == 1 ? v[0].blob : NULL, ED2_B64, "the second one");
	userkey_list_free(v, n);
	userkey_list_free(NULL, 0);

	/* Accounts go, their keys with them. */
	T_INT(store_exec(st, "DELETE FROM users WHERE login = 'boris'"), 0, "delete boris");
	T_INT(userkey_match(st, boris, "ssh-ed25519", ED_B64), PERR_NOTFOUND,
	    "a deleted account's keys are gone");
	store_close(st);
}

/*
 * A store that takes no writes (on a full disk every write fails, as
 * here with query_only): key and password logins still work, since
 * they only read; the bookkeeping after them fails, and the session
 * goes on without it.
 */
static void
test_readonly(void)
{
	struct store	*st = t_store("readonly.db");
	struct user_new	 nu = { .login = "vera", .display_name = "Вера",
	    .password = "a-long-enough-password", .role = ROLE_TEACHER };
	const char	*bad;
	int64_t		 vera = 0, id = 0;

	T_INT(user_create(st, &nu, &vera, &bad), 0, "vera with a password");
	T_INT(userkey_add(st, vera, "ssh-ed25519 " ED_B64 " vera@school"), 0,
	    "and a key");
	T_INT(store_exec(st, "PRAGMA query_only = 1"), 0,
	    "the store takes no more writes");
	T_INT(userkey_match(st, vera, "ssh-ed25519", ED_B64), 0,
	    "her key still matches");
	T_INT(user_check_password(st, "vera", "a-long-enough-password", &id), 0,
	    "her password still checks");
	T_INT(id, vera, "... as hers");
	T_INT(userkey_touch(st, vera, "ssh-ed25519", ED_B64), PERR_DB,
	    "noting the key's use fails (best effort)");
	T_INT(user_touch_login(st, vera), PERR_DB, "so does the last login");
	store_close(st);
}

int
main(void)
{
	t_tmpdir();
	test_parse();
	test_trailing();
	test_store();
	test_readonly();
	return t_done();
}
