/*
 * pwhash.c: yescrypt through libcrypt's crypt_rn(), with salts from
 * crypt_gensalt_rn() (which reads the kernel's random source).
 */
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "perr.h"
#include "pwhash.h"
#include "util.h"

#define PW_MIN	8
#define PW_MAX	128

/* A yescrypt hash of a random string nobody knows, for unknown users. */
static const char dummy_hash[] =
    "$y$j9T$eFHw8PKsc6tpf/Gh7QzRE.$vxhi8tk0xR3p57GN5IEAWT.buvXfdNUWghMzcSKS665";

int
pw_check_policy(const char *pw)
{
	const unsigned char	*p;
	size_t			 n = 0;

	/* The limits are in characters, as the messages say: a Cyrillic
	 * letter is two bytes, so count UTF-8 lead bytes, not bytes.  No
	 * character is longer than 4 bytes, which bounds the bytes too. */
	for (p = (const unsigned char *)pw; *p != '\0'; p++)
		if ((*p & 0xc0) != 0x80)
			n++;
	if (n < PW_MIN)
		return PERR_PW_SHORT;
	if (n > PW_MAX || (size_t)(p - (const unsigned char *)pw) > 4 * PW_MAX)
		return PERR_PW_LONG;
	return 0;
}

char *
pw_hash(const char *pw)
{
	char			 salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data	*cd;
	char			*res = NULL;

	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) == NULL) {
		log_error("crypt_gensalt_rn failed");
		return NULL;
	}
	cd = xcalloc(1, sizeof(*cd));
	if (crypt_rn(pw, salt, cd, sizeof(*cd)) != NULL && cd->output[0] != '*')
		res = xstrdup(cd->output);
	else
		log_error("crypt_rn failed");
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return res;
}

int
pw_verify(const char *pw, const char *hash)
{
	struct crypt_data	*cd;
	const char		*setting = hash != NULL ? hash : dummy_hash;
	size_t			 n;
	int			 ok = 0;

	cd = xcalloc(1, sizeof(*cd));
	if (crypt_rn(pw, setting, cd, sizeof(*cd)) != NULL &&
	    cd->output[0] != '*') {
		n = strlen(setting);
		ok = strlen(cd->output) == n && ct_equal(cd->output, setting, n);
	}
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return hash != NULL && ok;
}
