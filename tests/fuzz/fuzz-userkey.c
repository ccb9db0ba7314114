/*
 * fuzz-userkey.c: the public-key parser (common/userkey.c), on a line
 * as a user pastes it into the profile screen.
 *
 * Besides memory errors and leaks (in our code and in libssh's key
 * parser beneath it), the harness checks that a line that parses gives
 * fields that parse again, as "type blob comment", to the same key and
 * fingerprint: what is stored is what the server will match.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perr.h"
#include "userkey.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct userkey	 k, k2;
	char		*line, *again;
	int		 rc;

	line = xmalloc(size + 1);
	memcpy(line, data, size);
	line[size] = '\0';
	rc = userkey_parse(line, &k);
	if (rc == 0) {
		if (k.type == NULL || k.blob == NULL || k.comment == NULL ||
		    k.fingerprint == NULL ||
		    strncmp(k.fingerprint, "SHA256:", 7) != 0)
			abort();
		again = xasprintf("%s %s %s", k.type, k.blob, k.comment);
		if (userkey_parse(again, &k2) != 0 ||
		    strcmp(k.type, k2.type) != 0 ||
		    strcmp(k.blob, k2.blob) != 0 ||
		    strcmp(k.comment, k2.comment) != 0 ||
		    strcmp(k.fingerprint, k2.fingerprint) != 0) {
			fprintf(stderr, "a parsed key does not parse again: %s\n",
			    again);
			abort();
		}
		userkey_clear(&k2);
		free(again);
	} else if (perr_str(rc) == NULL)	/* every refusal says why */
		abort();
	userkey_clear(&k);
	free(line);
	return 0;
}
