/*
 * fuzz-pump.c: the pump's screen path (common/pump-conv.c): the UI's in-band
 * markers (ESC _ parta;... ESC \) and the conversion to the terminal's
 * encoding, as bytes arrive from the pty in reads split anywhere.
 *
 * The seam: this file includes pump-conv.c itself, to compare the state
 * it keeps, and feeds it as the pump does (pump_conv_space, then
 * pump_conv_out), so pump-conv.c needs no change for it (the harness
 * links every other object of common/).  Input: one byte picks the terminal's
 * encoding, one byte the number of reads to split into (up to 15), one
 * byte per read its length; the rest is what the UI writes.  The harness
 * aborts when the split stream's output, or the state it leaves (the
 * encoding, a binary transfer and its token, a kept partial marker),
 * differs from the same stream read in one piece.
 */
#include "pump-conv.c"

#include <stdint.h>
#include <stdio.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_out {
	char	*s;
	size_t	 len;
};

/* Feed in (len bytes) to a fresh pump as reads of the given lengths
 * (the rest as reads as large as the buffer allows). */
static struct pump_conv *
fuzz_pump(int cs, const uint8_t *in, size_t len, const uint8_t *cuts,
    size_t ncuts, struct fuzz_out *out)
{
	struct pump_conv *p = pump_conv_new(CHARSET_UTF8);
	const char	*conv;
	char		*space;
	size_t		 i = 0, k = 0, chunk, room, o;

	pump_conv_set_charset(p, cs);
	out->s = NULL;
	out->len = 0;
	while (i < len) {
		chunk = k < ncuts ? cuts[k++] : len - i;
		if (chunk > len - i)
			chunk = len - i;
		space = pump_conv_space(p, &room);
		if (chunk > room)
			chunk = room;
		memcpy(space, in + i, chunk);
		i += chunk;
		conv = pump_conv_out(p, chunk, &o);
		if (o > sizeof(p->conv))
			abort();
		out->s = xrealloc(out->s, out->len + o + 1);
		memcpy(out->s + out->len, conv, o);
		out->len += o;
	}
	return p;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pump_conv *a, *b;
	struct fuzz_out	 wa, wb;
	const uint8_t	*cuts, *in;
	size_t		 ncuts, len;
	int		 cs;

	if (size < 2)
		return 0;
	cs = data[0] % CHARSET_N;
	ncuts = data[1] & 15;
	if (size - 2 < ncuts)
		ncuts = size - 2;
	cuts = data + 2;
	in = data + 2 + ncuts;
	len = size - 2 - ncuts;
	if (len > PUMP_OUT_MAX / 2)	/* one read must hold it whole */
		len = PUMP_OUT_MAX / 2;

	a = fuzz_pump(cs, in, len, NULL, 0, &wa);
	b = fuzz_pump(cs, in, len, cuts, ncuts, &wb);
	if (wa.len != wb.len || (wa.len > 0 && memcmp(wa.s, wb.s, wa.len) != 0)) {
		fprintf(stderr, "split output differs (%zu, %zu bytes)\n",
		    wa.len, wb.len);
		abort();
	}
	if (a->cs != b->cs || a->bin != b->bin ||
	    strcmp(a->token, b->token) != 0 ||
	    charset_conv_charset(a->out) != charset_conv_charset(b->out) ||
	    a->carry != b->carry || memcmp(a->buf, b->buf, a->carry) != 0) {
		fprintf(stderr, "split state differs\n");
		abort();
	}
	free(wa.s);
	free(wb.s);
	pump_conv_free(a);
	pump_conv_free(b);
	return 0;
}
