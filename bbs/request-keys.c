/*
 * request-keys.c: the apply of the request kinds on SSH keys (request.h),
 * which the server's programs supply: a key is parsed with libssh
 * (common/userkey.c), which the UI's test host and a local copy do not
 * link, so the request table in common/ names these kinds without an
 * apply of its own.
 */
#include <stdint.h>

#include "perr.h"
#include "request.h"
#include "request-keys.h"
#include "store.h"
#include "user.h"
#include "userkey.h"

static int
request_keys_fn(struct store *st, const struct request *r,
    const struct user *u, const int64_t *rows, struct request_result *res)
{
	int64_t	 key;
	int	 rc;

	(void)rows;
	(void)res;
	if (r->kind == REQ_KEY_ADD)
		return userkey_add(st, u->id, r->text);
	/* A key has no UUID: its fingerprint names it. */
	if ((rc = store_int(st, &key, "SELECT id FROM user_keys WHERE"
	    " user_id = ? AND fingerprint = ?", "it", u->id, r->text)) != 0)
		return rc;
	return userkey_remove(st, u->id, key);
}

int
request_keys_apply(struct store *st, const struct request *r, int flags,
    struct request_result *res)
{
	if (r->kind != REQ_KEY_ADD && r->kind != REQ_KEY_REMOVE)
		return request_apply(st, r, flags, res);
	return request_apply_with(st, r, flags, request_keys_fn, res);
}
