/*
 * userkey.h: SSH public keys of accounts, as pasted from an
 * authorized_keys line ("ssh-ed25519 AAAA... comment").
 */
#ifndef PARTA_USERKEY_H
#define PARTA_USERKEY_H

#include <stdint.h>

struct store;

struct userkey {
	int64_t	 id;
	char	*type;		/* "ssh-ed25519", ... */
	char	*blob;		/* base64 */
	char	*comment;
	char	*fingerprint;	/* "SHA256:..." */
	int64_t	 added_at;
	int64_t	 last_used;
};

/*
 * Parse one authorized_keys-style line into k (fields the caller frees
 * with userkey_clear).  Options before the type are refused.  0 or
 * PERR_KEY_INVALID / PERR_KEY_TYPE / PERR_CONTROL.
 */
int	 userkey_parse(const char *line, struct userkey *k);
void	 userkey_clear(struct userkey *k);

/* Parse line and add it to user_id's keys.  0 or a PERR code. */
int	 userkey_add(struct store *, int64_t user_id, const char *line);
/* Remove key id if it belongs to user_id.  0 or PERR_NOTFOUND. */
int	 userkey_remove(struct store *, int64_t user_id, int64_t key_id);

/* The user's keys, oldest first.  *out is an array of *n keys, freed
 * with userkey_list_free. */
int	 userkey_list(struct store *, int64_t user_id, struct userkey **out,
	     size_t *n);
void	 userkey_list_free(struct userkey *, size_t n);

/* 0 if (type, blob) is one of user_id's keys, PERR_NOTFOUND if not,
 * PERR_DB on failure.  Only reads. */
int	 userkey_match(struct store *, int64_t user_id, const char *type,
	     const char *blob);
/* Note that the key (type, blob) of user_id was used now (best effort
 * for the caller: the login does not depend on it).  0 or PERR_DB. */
int	 userkey_touch(struct store *, int64_t user_id, const char *type,
	     const char *blob);

#endif
