/*
 * pump-conv.h: the pump's core, without a pty, a socket or libssh: the
 * conversion between the UI's UTF-8 and the terminal's encoding, the
 * in-band markers by which the UI steers it (built and obeyed here
 * alone), and the bounds of a window's size.
 *
 * The pump (partad's is bbs/pump.c; the client's parent will have one
 * too) moves the bytes; this module decides what they become.  Its
 * functions share the pump_ prefix with bbs/pump.h, as one module in two
 * files: this one is the part every program may link.
 */
#ifndef PARTA_PUMP_CONV_H
#define PARTA_PUMP_CONV_H

#include <stddef.h>

#define PUMP_OUT_MAX	32768	/* the screen bytes converted at once */
#define PUMP_MARK_MAX	64	/* a marker's body; longer is not ours */
#define PUMP_TOKEN_MAX	40	/* a binary transfer's token (a UUID) */
/* Room for any marker pump_mark() builds, with its NUL. */
#define PUMP_MARK_BUF	(PUMP_MARK_MAX + 16)

/*
 * The markers, private APC strings "ESC _ parta;BODY ESC \" that the UI
 * writes among its screen bytes and the pump consumes (pump-conv.c
 * describes each and the binary mode).
 */
enum pump_mark {
	PUMP_MARK_CS,		/* cs=NAME: the terminal speaks NAME, both ways */
	PUMP_MARK_OUT,		/* out=NAME: what follows is sent in NAME */
	PUMP_MARK_OUT_END,	/* out: back to the terminal's encoding */
	PUMP_MARK_BIN,		/* bin=TOKEN: a binary transfer starts */
	PUMP_MARK_TEXT,		/* text=TOKEN: it has ended */
};

/*
 * Write the marker kind, with value (a charset name, a token; NULL for
 * PUMP_MARK_OUT_END) into buf, NUL-terminated.  Returns its length, or
 * 0 with buf empty (if size > 0) when it does not fit in size, or it
 * would not be obeyed: a value missing, one where none is taken, or one
 * with a control character or too long.
 */
size_t	 pump_mark(char *buf, size_t size, enum pump_mark kind,
	     const char *value);

struct pump_conv;

/* A converter for a terminal in cs (enum charset, charset.h).  Free
 * with pump_conv_free(). */
struct pump_conv *pump_conv_new(int cs);
/* Accepts NULL. */
void		 pump_conv_free(struct pump_conv *);

/* The terminal's encoding from now on, both ways, until a marker says
 * otherwise. */
void		 pump_conv_set_charset(struct pump_conv *, int cs);
/* The terminal's encoding now (the last cs= obeyed). */
int		 pump_conv_charset(const struct pump_conv *);
/* 1 during a binary transfer (between bin= and its text=). */
int		 pump_conv_binary(const struct pump_conv *);

/*
 * Screen bytes, UI to terminal, in two steps without a copy: the pump
 * reads up to *room bytes into the space pump_conv_space() returns (it
 * follows the part of a marker the last call kept), then
 * pump_conv_out() converts the len bytes it put there, obeying and
 * removing the markers, and returns what to send: *olen bytes, valid
 * until the next call.  A marker cut at the end is kept for the next
 * call, however the stream is split.
 */
char		*pump_conv_space(struct pump_conv *, size_t *room);
const char	*pump_conv_out(struct pump_conv *, size_t len, size_t *olen);

/*
 * Keystrokes, terminal to UI: len bytes at s into out, which has room
 * for CHARSET_OUT_MAX(len) bytes (charset.h); during a binary transfer
 * they pass untouched.  Returns the bytes written.
 */
size_t		 pump_conv_in(struct pump_conv *, const char *s, size_t len,
		     char *out);

/*
 * The window sizes a client may ask for, in columns and rows.  ncurses
 * allocates cols x rows cells several times over, so an unchecked
 * request (10000 x 10000 is ~8 GB) would exhaust the host; partad(8)
 * documents these bounds.
 */
#define PUMP_COLS_MIN	20
#define PUMP_COLS_MAX	500
#define PUMP_ROWS_MIN	5
#define PUMP_ROWS_MAX	200
/* Bring *cols and *rows within those bounds; 0 or less (the client did
 * not say) becomes 80 x 24.  Returns 1 if either changed, else 0. */
int		 pump_clamp_size(int *cols, int *rows);

#endif
