/*
 * test-pump.c: the pump's core (common/pump-conv.c), without a pty or
 * libssh.  The encoding markers convert; a binary transfer ("bin=TOKEN")
 * passes every byte untouched in both directions, markers in the data
 * too, until "text=TOKEN" with its own token, also when that marker
 * arrives split across reads; then conversion resumes both ways.  The
 * markers the UI sends are built by pump_mark(), which builds only what
 * the pump obeys; malformed ones are spelt out here, as a hostile or
 * broken UI would send them.
 *
 * Then the window-size clamp (pump_clamp_size), which keeps a client's
 * 10000 x 10000 from becoming gigabytes of ncurses cells.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "pump-conv.h"
#include "t.h"

#define TOKEN	"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"

static const char koi8_privet[] = "\xd0\xd2\xc9\xd7\xc5\xd4";
static const char cp866_privet[] = "\xaf\xe0\xa8\xa2\xa5\xe2";

/* What the pump sent to "the client" since sent_reset(). */
static char	 sent[65536];
static size_t	 nsent;

static struct pump_conv *c;

static void
sent_reset(void)
{
	nsent = 0;
}

/* The UI writes len bytes, read by the pump in one piece. */
static void
ui_says(const void *s, size_t len)
{
	const char	*out;
	char		*space;
	size_t		 room, o;

	space = pump_conv_space(c, &room);
	if (len > room || nsent + CHARSET_OUT_MAX(len) > sizeof(sent)) {
		printf("Bail out! %zu bytes do not fit\n", len);
		exit(1);
	}
	memcpy(space, s, len);
	out = pump_conv_out(c, len, &o);
	memcpy(sent + nsent, out, o);
	nsent += o;
}

static void
ui_str(const char *s)
{
	ui_says(s, strlen(s));
}

/* The marker kind with value, as the UI writes it. */
static void
ui_mark(enum pump_mark kind, const char *value)
{
	char	 buf[PUMP_MARK_BUF];

	if (pump_mark(buf, sizeof(buf), kind, value) == 0) {
		printf("Bail out! marker %d not built\n", (int)kind);
		exit(1);
	}
	ui_str(buf);
}

/* 1 if what was sent since sent_reset() is exactly want (len bytes). */
static int
sent_is(const void *want, size_t len)
{
	return nsent == len && memcmp(sent, want, len) == 0;
}

/* What the UI reads after the client typed len bytes: into buf. */
static size_t
ui_reads(const void *typed, size_t len, char *buf)
{
	return pump_conv_in(c, typed, len, buf);
}

static void
marks(void)
{
	char	 buf[PUMP_MARK_BUF], small[12], name[PUMP_MARK_MAX];
	size_t	 n;

	n = pump_mark(buf, sizeof(buf), PUMP_MARK_CS, "KOI8-R");
	T_OK(n == strlen(buf) && strcmp(buf, "\033_parta;cs=KOI8-R\033\\") == 0,
	    "cs= is built as the APC string the pump obeys");
	pump_mark(buf, sizeof(buf), PUMP_MARK_OUT_END, NULL);
	T_STR(buf, "\033_parta;out\033\\", "out (the end of a sample) takes no "
	    "value");
	pump_mark(buf, sizeof(buf), PUMP_MARK_TEXT, TOKEN);
	T_STR(buf, "\033_parta;text=" TOKEN "\033\\", "text= carries its token");
	T_OK(pump_mark(buf, sizeof(buf), PUMP_MARK_BIN, NULL) == 0 &&
	    buf[0] == '\0' &&
	    pump_mark(buf, sizeof(buf), PUMP_MARK_BIN, "") == 0,
	    "bin= without a token is not built");
	T_OK(pump_mark(buf, sizeof(buf), PUMP_MARK_OUT_END, "x") == 0,
	    "nor a value where none is taken");
	T_OK(pump_mark(buf, sizeof(buf), PUMP_MARK_CS, "KOI8\033R") == 0 &&
	    pump_mark(buf, sizeof(buf), PUMP_MARK_CS, "KOI8 R") == 0 &&
	    pump_mark(buf, sizeof(buf), PUMP_MARK_CS, "KOI8-\xd0") == 0,
	    "nor a value with ESC, a space or a byte past ASCII");
	memset(name, 'a', sizeof(name) - 1);
	name[PUMP_TOKEN_MAX + 1] = '\0';
	T_OK(pump_mark(buf, sizeof(buf), PUMP_MARK_BIN, name) == 0,
	    "nor a token longer than the pump keeps");
	name[PUMP_TOKEN_MAX] = '\0';
	T_OK(pump_mark(buf, sizeof(buf), PUMP_MARK_BIN, name) > 0,
	    "a token of the longest kept is built");
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	T_OK(pump_mark(buf, sizeof(buf), PUMP_MARK_CS, name) == 0,
	    "nor a marker longer than the pump takes as its own");
	T_OK(pump_mark(small, sizeof(small), PUMP_MARK_CS, "UTF-8") == 0 &&
	    small[0] == '\0', "nor one that does not fit the buffer");
	T_OK(pump_mark(buf, sizeof(buf), (enum pump_mark)99, "x") == 0,
	    "nor an unknown kind");
}

static void
encodings(void)
{
	char	 buf[4096];
	size_t	 n;

	sent_reset();
	ui_mark(PUMP_MARK_CS, "KOI8-R");
	ui_str("привет");
	T_OK(sent_is(koi8_privet, 6), "cs= switches output to KOI8-R, the "
	    "marker consumed");
	T_INT(pump_conv_charset(c), CHARSET_KOI8R, "and the pump says so");
	n = ui_reads(koi8_privet, 6, buf);
	T_OK(n == 12 && memcmp(buf, "привет", 12) == 0,
	    "and input from KOI8-R to UTF-8");
	sent_reset();
	ui_mark(PUMP_MARK_OUT, "CP866");
	ui_str("привет");
	ui_mark(PUMP_MARK_OUT_END, NULL);
	ui_str("привет");
	T_OK(nsent == 12 && memcmp(sent, cp866_privet, 6) == 0 &&
	    memcmp(sent + 6, koi8_privet, 6) == 0,
	    "out= sends a sample in CP866, out goes back to KOI8-R");
	T_INT(pump_conv_charset(c), CHARSET_KOI8R, "a sample changes not the "
	    "terminal's encoding");
	sent_reset();
	ui_str("\033_parta;whatever\033\\x");
	T_OK(sent_is("x", 1), "an unknown marker is dropped outside a transfer");
	sent_reset();
	ui_str("\033[1mx\033_part");
	T_OK(sent_is("\033[1mx", 5), "an ordinary escape passes; the start of "
	    "a marker is kept back");
	ui_str("a;cs=UTF-8\033\\привет");
	T_OK(nsent == 5 + 12 && memcmp(sent + 5, "привет", 12) == 0,
	    "and completed by the next read");
	ui_mark(PUMP_MARK_CS, "KOI8-R");
}

static void
long_marker(void)
{
	char	 data[256];
	size_t	 n;

	/* A body longer than any of ours, ended: sent as it is. */
	sent_reset();
	ui_mark(PUMP_MARK_CS, "UTF-8");
	n = (size_t)snprintf(data, sizeof(data), "\033_parta;cs=%0*d\033\\z",
	    PUMP_MARK_MAX, 0);
	ui_says(data, n);
	T_OK(sent_is(data, n), "a marker-like string too long to be ours "
	    "passes as data");
	ui_mark(PUMP_MARK_CS, "KOI8-R");
}

static void
transfer(void)
{
	char	 all[256], buf[4096], data[1024], m[4][PUMP_MARK_BUF];
	size_t	 i, n, cut;

	for (i = 0; i < sizeof(all); i++)
		all[i] = (char)i;
	sent_reset();
	ui_str("\033_parta;bin=\033\\");
	ui_str("привет");
	T_OK(sent_is(koi8_privet, 6) && !pump_conv_binary(c),
	    "bin= without a token is ignored");
	sent_reset();
	ui_mark(PUMP_MARK_BIN, TOKEN);
	ui_says(all, sizeof(all));
	T_OK(sent_is(all, sizeof(all)) && pump_conv_binary(c),
	    "during a transfer all 256 byte values pass out untouched");
	n = ui_reads(all, sizeof(all), buf);
	T_OK(n == sizeof(all) && memcmp(buf, all, n) == 0,
	    "and in, untouched");
	sent_reset();
	pump_mark(m[0], sizeof(m[0]), PUMP_MARK_CS, "UTF-8");
	pump_mark(m[1], sizeof(m[1]), PUMP_MARK_OUT_END, NULL);
	pump_mark(m[2], sizeof(m[2]), PUMP_MARK_TEXT, "not-the-token");
	n = (size_t)snprintf(data, sizeof(data), "%s%s%s%s", m[0], m[1], m[2],
	    "\033_parta;text\033\\");
	ui_says(data, n);
	T_OK(sent_is(data, n), "markers in the data pass as data, a wrong "
	    "token too");
	sent_reset();
	ui_str("привет");
	T_OK(sent_is("привет", 12), "and change nothing: still untouched");

	/* The end, split at every place: the rest converts again. */
	pump_mark(m[0], sizeof(m[0]), PUMP_MARK_TEXT, TOKEN);
	n = (size_t)snprintf(data, sizeof(data), "%sпривет", m[0]);
	for (cut = 1; cut < n - 12; cut++) {
		ui_mark(PUMP_MARK_BIN, TOKEN);	/* data, the 1st time */
		sent_reset();
		ui_says(data, cut);
		ui_says(data + cut, n - cut);
		if (!sent_is(koi8_privet, 6))
			break;
	}
	T_OK(cut == n - 12, "text= with the token ends the transfer, also "
	    "split between reads (cut at %zu of %zu)", cut, n - 12);
	n = ui_reads(koi8_privet, 6, buf);
	T_OK(n == 12 && memcmp(buf, "привет", 12) == 0 && !pump_conv_binary(c),
	    "after it input converts from KOI8-R again");
}

/* Window sizes a client asks for, brought within partad(8)'s bounds. */
static void
clamp_checks(void)
{
	int	 cols, rows, changed;

	cols = 10000, rows = 10000;
	changed = pump_clamp_size(&cols, &rows);
	T_OK(changed && cols == PUMP_COLS_MAX && rows == PUMP_ROWS_MAX,
	    "10000x10000 is clamped to %dx%d", PUMP_COLS_MAX, PUMP_ROWS_MAX);
	cols = 65535, rows = 3;
	pump_clamp_size(&cols, &rows);
	T_OK(cols == PUMP_COLS_MAX && rows == PUMP_ROWS_MIN,
	    "each dimension is clamped on its own");
	cols = 0, rows = -1;
	changed = pump_clamp_size(&cols, &rows);
	T_OK(changed && cols == 80 && rows == 24,
	    "an unspecified (0) or negative size becomes 80x24");
	cols = 1, rows = 1;
	pump_clamp_size(&cols, &rows);
	T_OK(cols == PUMP_COLS_MIN && rows == PUMP_ROWS_MIN,
	    "1x1 is raised to %dx%d", PUMP_COLS_MIN, PUMP_ROWS_MIN);
	cols = 132, rows = 43;
	changed = pump_clamp_size(&cols, &rows);
	T_OK(!changed && cols == 132 && rows == 43,
	    "an ordinary size is left alone");
	cols = PUMP_COLS_MAX, rows = PUMP_ROWS_MAX;
	changed = pump_clamp_size(&cols, &rows);
	T_OK(!changed, "the bounds themselves are allowed");
}

int
main(void)
{
	marks();
	c = pump_conv_new(CHARSET_UTF8);
	encodings();
	long_marker();
	transfer();
	pump_conv_free(c);
	pump_conv_free(NULL);
	clamp_checks();
	return t_done();
}
