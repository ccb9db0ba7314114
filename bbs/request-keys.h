/*
 * request-keys.h: the request kinds on SSH keys, applied by the server's
 * programs (request-keys.c).
 */
#ifndef PARTA_REQUEST_KEYS_H
#define PARTA_REQUEST_KEYS_H

struct request;
struct request_result;
struct store;

/* As request_apply(), with the key kinds' apply (REQ_KEY_ADD,
 * REQ_KEY_REMOVE); any other kind is request_apply()'s. */
int	 request_keys_apply(struct store *, const struct request *r,
	     int flags, struct request_result *res);

#endif
