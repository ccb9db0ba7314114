/*
 * fuzz-qwk.c: the REP packet reader (common/qwk.c), on a file as a QWK
 * reader wrote it, or anything else a stick may carry: the zip layer
 * (qwk_rep_unzip) and the block parser (qwk_rep_parse) behind it.
 *
 * Besides memory errors and leaks, the harness checks what the import
 * relies on: every reply parsed has texts that are valid UTF-8 with no
 * control character but newlines, and a conference within 16 bits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qwk.h"
#include "text.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qwk_reply	*v;
	unsigned char		*msg;
	char			*cause;
	size_t			 len, n, i;

	if (qwk_rep_unzip(data, size, &msg, &len, &cause) != 0) {
		free(cause);
		return 0;
	}
	if (qwk_rep_parse(msg, len, NULL, &v, &n, &cause) != 0) {
		free(cause);
		free(msg);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (v[i].conf < 0 || v[i].conf > 65535 || v[i].ref < 0 ||
		    text_check(v[i].subject, 1000, TEXT_EMPTY_OK) != 0 ||
		    text_check(v[i].to, 1000, TEXT_EMPTY_OK) != 0 ||
		    text_check(v[i].body, QWK_REP_MAX, TEXT_MULTILINE |
		    TEXT_EMPTY_OK) != 0)
			abort();
	}
	qwk_replies_free(v, n);
	free(msg);
	return 0;
}
