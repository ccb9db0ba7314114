/*
 * fuzz-digest.c: the reply packet parser (common/digest.c) on bytes as a
 * hostile teacher's stick may carry them.  A packet that parses must
 * say where its frames and its MAC are, inside the input; one that does
 * not must say why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct digest_packet	 p;
	char			*cause = NULL;

	if (digest_packet_parse(data, len, &p, &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
		return 0;
	}
	if (cause != NULL || p.mac != data + len - DIGEST_KEY_LEN ||
	    p.signedlen != len - DIGEST_KEY_LEN ||
	    p.frames < data || p.frames + p.frameslen > p.mac ||
	    strlen(p.digest) != 36 || p.login[0] == '\0')
		abort();
	return 0;
}
