/*
 * fuzz-pump.c: the pump's screen path (bbs/pump.c): the UI's in-band
 * markers (ESC _ parta;... ESC \) and the conversion to the terminal's
 * encoding, as bytes arrive from the pty in reads split anywhere.
 *
 * The seam: this file includes pump.c itself and calls its static
 * pump_convert_out() on a pump made without a pty or an event loop, so
 * pump.c needs no change for it.  Input: one byte picks the terminal's
 * encoding, one byte the number of reads to split into (up to 15), one
 * byte per read its length; the rest is what the UI writes.  The harness
 * aborts when the split stream's output, or the state it leaves (the
 * encoding, a binary transfer and its token, a kept partial marker),
 * differs from the same stream read in one piece.
 */
#include "pump.c"

#include <stdint.h>
#include <stdio.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_out {
	char	*s;
	size_t	 len;
};

/* Feed in (len bytes) to a fresh pump as reads of the given lengths
 * (the rest as reads as large as the buffer allows). */
static struct pump *
fuzz_pump(int cs, const uint8_t *in, size_t len, const uint8_t *cuts,
    size_t ncuts, struct fuzz_out *out)
{
	struct pump	*p = xcalloc(1, sizeof(*p));
	size_t		 i = 0, k = 0, chunk, o;

	p->master = -1;
	pump_use(p, CHARSET_UTF8, 1);
	pump_set_charset(p, cs);
	out->s = NULL;
	out->len = 0;
	while (i < len) {
		chunk = k < ncuts ? cuts[k++] : len - i;
		if (chunk > len - i)
			chunk = len - i;
		if (chunk > sizeof(p->buf) - p->carry)
			chunk = sizeof(p->buf) - p->carry;
		memcpy(p->buf + p->carry, in + i, chunk);
		i += chunk;
		o = pump_convert_out(p, p->carry + chunk);
		if (o > sizeof(p->conv))
			abort();
		out->s = xrealloc(out->s, out->len + o + 1);
		memcpy(out->s + out->len, p->conv, o);
		out->len += o;
	}
	return p;
}

static void
fuzz_pump_free(struct pump *p)
{
	charset_conv_free(p->in);
	charset_conv_free(p->out);
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pump	*a, *b;
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
	fuzz_pump_free(a);
	fuzz_pump_free(b);
	return 0;
}
