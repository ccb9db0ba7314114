/*
 * pump.h: the bytes between the SSH channel and the UI's pty.
 *
 * The interactive UI runs in a child process on a real pty; the session
 * process owns the master side and pumps: client keystrokes into the
 * master, screen updates out of it.  This is the one place where terminal
 * encodings are converted (UTF-8 inside, the user's charset outside;
 * a binary transfer such as ZMODEM passes untouched: pump-conv.h), and
 * where output is coalesced into few, large SSH packets, because every
 * packet costs ~64 bytes of framing on a slow link.
 */
#ifndef PARTA_PUMP_H
#define PARTA_PUMP_H

#include <sys/types.h>

#include <libssh/libssh.h>

#include "pump-conv.h"

struct pump;
struct worker;

/* Write out: sends bytes to the client; returns 0 or -1. */
typedef int (*pump_write_fn)(const char *buf, size_t len, void *arg);

/*
 * Start a pump on pty master fd, whose other side the UI worker ui
 * (copied: the pump signals, reaps and stops it) runs on; out() delivers
 * screen bytes to the client.  The pump adds master to event.  Free with
 * pump_free().
 */
struct pump	*pump_new(int master, const struct worker *ui, ssh_event event,
		     pump_write_fn out, void *arg);
/* Close the master, which hangs the UI up; a UI still running gets
 * SIGHUP and a few seconds to save and exit, then SIGKILL.  The UI is
 * reaped either way.  Accepts NULL. */
void		 pump_free(struct pump *);

/* The terminal's encoding (enum charset, charset.h) until the UI says
 * otherwise (pump-conv.c describes how); UTF-8 until this is called. */
void		 pump_set_charset(struct pump *, int cs);

/* Feed bytes the client typed, in the terminal's encoding.  Returns 0,
 * or -1 when the UI is gone. */
int		 pump_input(struct pump *, const void *data, size_t len);

/* Tell the UI its window is now cols x rows (clamped: pump_clamp_size()). */
void		 pump_resize(struct pump *, int cols, int rows);

/* The window sizes a client may ask for, and pump_clamp_size():
 * pump-conv.h. */

/* Ask the UI to end (SIGTERM: server shutdown; SIGHUP: client gone). */
void		 pump_signal(struct pump *, int sig);

/*
 * 1 once the UI has exited and its last output has been sent; then
 * *status holds its exit status.
 */
int		 pump_finished(struct pump *, int *status);

#endif
