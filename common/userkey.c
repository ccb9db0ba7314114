/*
 * userkey.c: public keys are checked by libssh's own parser (so what we
 * accept is what the SSH layer can verify) and stored as type + base64
 * blob, which is also how the server compares an offered key.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libssh/libssh.h>

#include "log.h"
#include "perr.h"
#include "store.h"
#include "text.h"
#include "userkey.h"
#include "util.h"

#define KEY_LINE_MAX	16384
#define KEY_COMMENT_MAX	200

STORE_ROWTYPE(userkey_rows, struct userkey,
	STORE_COL(I64, struct userkey, id),
	STORE_COL(TEXT, struct userkey, type),
	STORE_COL(TEXT, struct userkey, blob),
	STORE_COL(TEXT, struct userkey, comment),
	STORE_COL(TEXT, struct userkey, fingerprint),
	STORE_COL(I64, struct userkey, added_at),
	STORE_COL(I64, struct userkey, last_used));

void
userkey_clear(struct userkey *k)
{
	if (k != NULL)
		store_row_clear(&userkey_rows, k);
}

static int
key_type_accepted(enum ssh_keytypes_e t)
{
	switch (t) {
	case SSH_KEYTYPE_ED25519:
	case SSH_KEYTYPE_ECDSA_P256:
	case SSH_KEYTYPE_ECDSA_P384:
	case SSH_KEYTYPE_ECDSA_P521:
	case SSH_KEYTYPE_RSA:
	case SSH_KEYTYPE_SK_ED25519:
	case SSH_KEYTYPE_SK_ECDSA:
		return 1;
	default:
		return 0;
	}
}

/*
 * 1 if the key blob in base64 b64 starts with the SSH string type (a
 * 32-bit big-endian length, then the name), as every public key blob
 * names its own type.  Only the head of the blob is decoded.
 */
static int
blob_names_type(const char *b64, const char *type)
{
	static const char	 alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char		 head[4 + 64];
	size_t			 got = 0, tlen = strlen(type);
	uint32_t		 acc = 0;
	const char		*c;
	int			 bits = 0;

	if (tlen > sizeof(head) - 4)
		return 0;
	for (; *b64 != '\0' && got < 4 + tlen; b64++) {
		if ((c = strchr(alphabet, *b64)) == NULL)
			return 0;
		acc = (acc << 6) | (uint32_t)(c - alphabet);
		if ((bits += 6) >= 8) {
			bits -= 8;
			head[got++] = (unsigned char)(acc >> bits);
		}
	}
	return got == 4 + tlen && head[0] == 0 && head[1] == 0 &&
	    head[2] == 0 && head[3] == tlen && memcmp(head + 4, type, tlen) == 0;
}

int
userkey_parse(const char *line, struct userkey *k)
{
	char			*copy, *p, *type, *b64, *comment;
	ssh_key			 key = NULL;
	enum ssh_keytypes_e	 kt;
	unsigned char		*hash = NULL;
	size_t			 hlen = 0;
	char			*fp = NULL, *canon = NULL;
	int			 rc = PERR_KEY_INVALID;

	memset(k, 0, sizeof(*k));
	if (strlen(line) > KEY_LINE_MAX)
		return PERR_KEY_INVALID;
	/* A tab separates fields as a space does (authorized_keys allows
	 * either); any other control character refuses the line. */
	copy = xstrdup(line);
	for (p = copy; *p != '\0'; p++)
		if (*p == '\t')
			*p = ' ';
	if (text_check(copy, KEY_LINE_MAX, TEXT_MULTILINE) == PERR_CONTROL) {
		free(copy);
		return PERR_CONTROL;
	}
	p = text_trim(copy);
	type = strsep(&p, " \t");
	while (p != NULL && (*p == ' ' || *p == '\t'))
		p++;
	b64 = p != NULL ? strsep(&p, " \t\r\n") : NULL;
	comment = p != NULL ? text_trim(p) : (char *)"";
	if (type == NULL || b64 == NULL || *b64 == '\0')
		goto out;
	kt = ssh_key_type_from_name(type);
	if (kt == SSH_KEYTYPE_UNKNOWN)
		goto out;
	if (!key_type_accepted(kt)) {
		rc = PERR_KEY_TYPE;
		goto out;
	}
	/* libssh parses the blob as the type the line names, without
	 * comparing that with the type the blob names itself, and ignores
	 * bytes after the key.  The server matches an offered key by its
	 * type name and canonical blob (bbs/session.c), so accept only a
	 * blob that names the line's type and is canonical: anything else
	 * would be stored and never match. */
	if (!blob_names_type(b64, type) ||
	    ssh_pki_import_pubkey_base64(b64, kt, &key) != SSH_OK ||
	    ssh_pki_export_pubkey_base64(key, &canon) != SSH_OK ||
	    strcmp(canon, b64) != 0)
		goto out;
	if (text_check(comment, KEY_COMMENT_MAX, TEXT_EMPTY_OK) != 0) {
		rc = text_check(comment, KEY_COMMENT_MAX, TEXT_EMPTY_OK);
		goto out;
	}
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) != SSH_OK)
		goto out;
	if ((fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash,
	    hlen)) == NULL)
		goto out;
	k->type = xstrdup(type);
	k->blob = xstrdup(b64);
	k->comment = xstrdup(comment);
	k->fingerprint = xstrdup(fp);
	rc = 0;
out:
	ssh_string_free_char(canon);
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	free(copy);
	return rc;
}

int
userkey_add(struct store *st, int64_t user_id, const char *line)
{
	struct userkey	 k;
	int		 rc;

	if ((rc = userkey_parse(line, &k)) != 0)
		return rc;
	rc = store_write(st, NULL, "INSERT INTO user_keys(user_id, type, blob,"
	    " comment, fingerprint, added_at) VALUES (?, ?, ?, ?, ?, ?)",
	    "itttti", user_id, k.type, k.blob, k.comment, k.fingerprint,
	    now_unix());
	if (rc == PERR_EXISTS)
		rc = PERR_KEY_EXISTS;
	userkey_clear(&k);
	return rc;
}

int
userkey_remove(struct store *st, int64_t user_id, int64_t key_id)
{
	int	 rc, n;

	rc = store_write(st, &n, "DELETE FROM user_keys WHERE id = ?"
	    " AND user_id = ?", "ii", key_id, user_id);
	return rc == 0 && n == 0 ? PERR_NOTFOUND : rc;
}

int
userkey_list(struct store *st, int64_t user_id, struct userkey **out, size_t *n)
{
	return store_rows(st, store_stmt(st, "SELECT id, type, blob, comment,"
	    " fingerprint, added_at, last_used FROM user_keys WHERE user_id = ?"
	    " ORDER BY id", "i", user_id), &userkey_rows, out, n, "list keys");
}

void
userkey_list_free(struct userkey *v, size_t n)
{
	store_rows_free(&userkey_rows, v, n);
}

/* A read: logging in must work on a store that cannot be written (a
 * full disk); userkey_touch() is the bookkeeping, afterwards. */
int
userkey_match(struct store *st, int64_t user_id, const char *type,
    const char *blob)
{
	return store_int(st, NULL, "SELECT 1 FROM user_keys"
	    " WHERE user_id = ? AND type = ? AND blob = ?", "itt", user_id,
	    type, blob);
}

int
userkey_touch(struct store *st, int64_t user_id, const char *type,
    const char *blob)
{
	return store_write(st, NULL, "UPDATE user_keys SET last_used = ?"
	    " WHERE user_id = ? AND type = ? AND blob = ?", "iitt", now_unix(),
	    user_id, type, blob);
}
