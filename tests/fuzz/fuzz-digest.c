/*
 * fuzz-digest.c: the two parsers of what a stick carries (common/
 * digest.c, common/digest-dump.c), on bytes as a hostile teacher's
 * stick may carry them.  Every input goes to both.
 *
 * A reply packet that parses must say where its frames and its MAC
 * are, inside the input; one that does not must say why.  A digest's
 * dump (the payload of a digest file, decompressed: its checksum is
 * anyone's to make) is read table by table: every name and value must
 * lie inside the input, and no table may hold more values than the
 * input has bytes, so that no claimed count makes the reader allocate
 * more than the file allows.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "digest-dump.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
fuzz_inside(const uint8_t *data, size_t len, const void *p, size_t n)
{
	const uint8_t	*q = p;

	return q >= data && n <= len && q - data <= (ptrdiff_t)(len - n);
}

static void
fuzz_packet(const uint8_t *data, size_t len)
{
	struct digest_packet	 p;
	char			*cause = NULL;

	if (digest_packet_parse(data, len, &p, &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
		return;
	}
	if (cause != NULL || p.mac != data + len - DIGEST_KEY_LEN ||
	    p.signedlen != len - DIGEST_KEY_LEN ||
	    p.frames < data || p.frames + p.frameslen > p.mac ||
	    strlen(p.digest) != 36 || p.login[0] == '\0')
		abort();
}

static void
fuzz_dump(const uint8_t *data, size_t len)
{
	struct digest_dump		 d;
	struct digest_table		 t;
	const struct digest_value	*v;
	size_t				 i, values = 0;
	int				 got;

	if (digest_dump_open(&d, data, len) != 0)
		return;
	while ((got = digest_dump_next(&d, &t)) == 1) {
		if (!fuzz_inside(data, len, t.name, t.namelen) ||
		    t.namelen == 0 || (t.ncols != 0 && t.nrows > len / t.ncols))
			abort();
		values += t.nrows * t.ncols;
		if (values > len)
			abort();
		for (i = 0; i < t.ncols; i++)
			if (!fuzz_inside(data, len, t.cols[i], t.colslen[i]))
				abort();
		for (i = 0; i < t.nrows * t.ncols; i++) {
			v = &t.v[i];
			if (v->type > DIGEST_V_UUID)
				abort();
			if ((v->type == DIGEST_V_TEXT ||
			    v->type == DIGEST_V_BLOB) &&
			    !fuzz_inside(data, len, v->p, v->len))
				abort();
			if (v->type == DIGEST_V_UUID &&
			    !fuzz_inside(data, len, v->p, 16))
				abort();
		}
		digest_table_free(&t);
	}
	if (got != 0 && got != -1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fuzz_packet(data, len);
	fuzz_dump(data, len);
	return 0;
}
