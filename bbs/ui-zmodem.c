/*
 * ui-zmodem.c: a library file straight into the user's terminal by
 * ZMODEM, for teachers whose terminal receives it (Tera Term, SecureCRT,
 * ZOC, SyncTERM, ...) but who have no SFTP client.  lrzsz's sz speaks
 * the protocol; this file lends it the terminal and takes it back.
 *
 * Order of events: leave curses; put the pty in raw mode; tell the pump
 * (pump.c) to pass bytes untouched in both directions until a marker
 * with a random token that only this transfer knows; run sz with stdin
 * and stdout on the pty; wait for it, or end it on a hang-up, a shutdown
 * or a deadline; then the pty's mode back, the pump back to the
 * terminal's encoding, and a full repaint at the next refresh.
 *
 * sz runs with --escape.  lrzsz's zsendline_init() then escapes, in
 * every ZMODEM header and data subpacket, each byte whose bits 0x60 are
 * clear (0x00-0x1F and 0x80-0x9F) as ZDLE and the byte xor 0x40; hex
 * headers are printable.  So no ESC, no 8-bit CSI and no other control
 * reaches the pump or a terminal on the way (a terminal multiplexer, say)
 * from inside a file: nothing in the data can look like an escape
 * sequence.  The token, not the escaping, is what keeps a file from
 * ending the binary mode early: sz falls back to YMODEM, which escapes
 * nothing, when the other side answers 'C', 'G' or NAK instead of
 * ZMODEM, and lrzsz has no switch against that.  (A terminal without
 * ZMODEM whose user types C then shows the file's bytes as they are.)
 * The escaping costs a quarter more bytes for a binary file.
 *
 * The receiver sees the file under a name of our choosing through a
 * symlink in a private temporary directory, removed whatever happens
 * short of SIGKILL.
 *
 * The library card offers it through partad's host (ui-host.c): a key
 * of its own, "z".  On a slow link that costs up to a quarter more bytes
 * than SFTP (ZMODEM escapes the 64 control byte values), a fair price
 * for a file that could not be had otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "blob.h"
#include "charset.h"
#include "event.h"
#include "i18n.h"
#include "library.h"
#include "log.h"
#include "pump-conv.h"
#include "ui/ui.h"
#include "ui-host.h"
#include "util.h"

#define ZM_BODY_TOP	3	/* the first row under the header */
#define ZM_GRACE_MS	2000	/* from SIGTERM to SIGKILL for sz */
#define ZM_SETTLE_S	1	/* after sz, before the BBS speaks again */

static const struct {
	int		 code;
	const char	*msg;		/* message id */
} zm_errors[] = {
	{ UI_ZM_SENT, N_("The file was sent.") },
	{ UI_ZM_FAILED, N_("The transfer did not finish: it was cancelled, or "
	    "the terminal did not answer.") },
	{ UI_ZM_NOSTART, N_("ZMODEM is not available now.") },
	{ UI_ZM_CUT, N_("The transfer was interrupted.") },
};

const char *
ui_zmodem_strerror(int code)
{
	size_t	 i;

	for (i = 0; i < nitems(zm_errors); i++)
		if (zm_errors[i].code == code)
			return _(zm_errors[i].msg);
	return _(zm_errors[1].msg);
}

int
ui_zmodem_available(const struct ui *ui)
{
	const char	*sz = ui_host_conf()->zmodem_sz;
	struct stat	 sb;

	(void)ui;
	return sz != NULL && *sz != '\0' && stat(sz, &sb) == 0 &&
	    S_ISREG(sb.st_mode) && access(sz, X_OK) == 0;
}

/*
 * Make a private directory holding one symlink, name, to the file at
 * target.  0 with *dir and *link set (undo with zm_unstage), or -1 with
 * whatever was made already in *dir and *link, for zm_unstage too.
 */
static int
zm_stage(const char *target, const char *name, char **dir, char **link)
{
	const char	*base = getenv("TMPDIR");
	char		*abs = NULL;
	int		 rc = -1;

	*dir = *link = NULL;
	if (*name == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -1;
	/* The link sits elsewhere: a relative target would dangle. */
	if ((abs = realpath(target, NULL)) == NULL)
		goto out;
	if (base == NULL || *base != '/')
		base = "/tmp";
	*dir = xasprintf("%s/parta-zmodem.XXXXXX", base);
	if (mkdtemp(*dir) == NULL) {
		free(*dir);
		*dir = NULL;
		goto out;
	}
	*link = xasprintf("%s/%s", *dir, name);
	if (symlink(abs, *link) != 0) {
		free(*link);
		*link = NULL;
		goto out;
	}
	rc = 0;
out:
	free(abs);
	return rc;
}

/* Remove what zm_stage made and free the names; accepts NULLs. */
static void
zm_unstage(char *dir, char *link)
{
	if (link != NULL)
		(void)unlink(link);
	if (dir != NULL)
		(void)rmdir(dir);
	free(link);
	free(dir);
}

/*
 * Wait for sz, pid, to exit; end it after limit_ms, or at once on a
 * hang-up or shutdown, which sets *sig.  The caller has blocked SIGCHLD,
 * SIGHUP and SIGTERM, so none is lost between a check and the wait:
 * sigtimedwait() takes them here.  Returns a UI_ZM_ code.
 */
static int
zm_wait(pid_t pid, int64_t limit_ms, int *sig)
{
	const struct timespec	 tick = { 1, 0 };
	sigset_t		 set;
	int64_t			 start = now_mono_ms(), now, kill_at = 0;
	pid_t			 r;
	int			 st = 0, s;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	*sig = ui_ending();
	for (;;) {
		if ((r = waitpid(pid, &st, WNOHANG)) == pid)
			break;
		if (r < 0 && errno != EINTR)
			return UI_ZM_FAILED;	/* not ours any more */
		now = now_mono_ms();
		if (kill_at == 0 && (*sig != 0 || now - start >= limit_ms)) {
			/* sz cancels the receiver (CAN x 10) and exits. */
			kill(pid, SIGTERM);
			kill_at = now + ZM_GRACE_MS;
		} else if (kill_at != 0 && now >= kill_at)
			kill(pid, SIGKILL);	/* stuck writing to a dead link */
		s = sigtimedwait(&set, NULL, &tick);
		if ((s == SIGHUP || s == SIGTERM) && *sig == 0)
			*sig = s;
	}
	if (*sig != 0)
		return UI_ZM_CUT;
	if (kill_at != 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return UI_ZM_FAILED;
	return UI_ZM_SENT;
}

/*
 * After sz has ended: wait a moment before the BBS writes again, so that
 * the receiver has left ZMODEM and shows what comes (a receiver reads
 * ahead, and what it reads while still in ZMODEM is lost: lrzsz's rz
 * ends on sz's last "OO" and takes whatever came with it).  A hang-up or
 * shutdown meanwhile sets *sig.
 */
static void
zm_settle(int *sig)
{
	const struct timespec	 pause = { ZM_SETTLE_S, 0 };
	sigset_t		 set;
	int64_t			 until = now_mono_ms() + ZM_SETTLE_S * 1000;
	int			 s;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	while (*sig == 0 && now_mono_ms() < until) {
		s = sigtimedwait(&set, NULL, &pause);
		if (s == SIGHUP || s == SIGTERM)
			*sig = s;
	}
}

/* In the child: sz on the terminal, its messages nowhere. */
static void __attribute__((noreturn))
zm_exec(const char *sz, const char *link, const sigset_t *mask)
{
	/*
	 * --escape: see the top of this file.  --binary: the file as it
	 * is, no newline conversion.  --rename: a receiver that has a
	 * file of that name already keeps it and saves this one under a
	 * new name, rather than skipping it (which sz counts a success).
	 */
	const char	*argv[] = {
		sz, "--escape", "--binary", "--rename", "--quiet", "--", link,
		NULL
	};
	int		 fd;

	sigprocmask(SIG_SETMASK, mask, NULL);
	if ((fd = open("/dev/null", O_WRONLY)) >= 0 && fd != STDERR_FILENO) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	execv(sz, (char *const *)argv);
	_exit(127);
}

int
ui_zmodem_send(struct ui *ui, const char *path, const char *name,
    int64_t limit_s)
{
	struct termios	 saved, raw;
	sigset_t	 block, old;
	char		 token[37], mark[PUMP_MARK_BUF], *dir = NULL, *link = NULL;
	int		 rc = UI_ZM_NOSTART, tty, sig = 0;
	pid_t		 pid;

	if (!ui_zmodem_available(ui) || zm_stage(path, name, &dir, &link) != 0)
		goto out;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);

	endwin();
	fflush(stdout);
	/* sz sets a raw mode of its own, but a killed sz cannot undo it:
	 * this is the mode to restore, and raw is right from the start. */
	tty = tcgetattr(STDIN_FILENO, &saved) == 0;
	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &raw);
	}
	uuid_v4(token);
	/* The pump passes what follows untouched (pump-conv.h). */
	pump_mark(mark, sizeof(mark), PUMP_MARK_BIN, token);
	ui_charset_raw_write(mark);
	(void)tcflush(STDIN_FILENO, TCIFLUSH);	/* keys typed ahead */

	switch (pid = fork()) {
	case -1:
		break;
	case 0:
		zm_exec(ui_host_conf()->zmodem_sz, link, &old);
	default:
		rc = zm_wait(pid, limit_s * 1000, &sig);
		/*
		 * sz's last words are "OO", which tell the receiver to leave
		 * ZMODEM; then it resets the tty with tcflush(TCIOFLUSH),
		 * which on a pty drops what the pump has not read yet, often
		 * the "OO" (strace shows it).  A receiver without it waits
		 * 10 s a try and takes the screen that follows for garbage.
		 * So again: one that had them shows "OO" until the repaint.
		 */
		if (rc == UI_ZM_SENT)
			ui_charset_raw_write("OO");
		zm_settle(&sig);
		break;
	}

	if (tty)
		(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
	/* What the receiver still sends (the rest of a Ctrl-X x 5) is not
	 * keys for the BBS. */
	(void)tcflush(STDIN_FILENO, TCIFLUSH);
	pump_mark(mark, sizeof(mark), PUMP_MARK_TEXT, token);
	ui_charset_raw_write(mark);
	explicit_bzero(token, sizeof(token));
	explicit_bzero(mark, sizeof(mark));
	clearok(curscr, TRUE);
	/* The user was busy receiving, not idle: a transfer longer than
	 * idle_timeout must not end the session at the next key wait. */
	ui->last_input_ms = now_mono_ms();
	ui->warned = 0;
	/* A hang-up or shutdown that sigtimedwait() took: again, for the
	 * UI's own handler once the mask is back. */
	if (sig != 0)
		raise(sig);
	sigprocmask(SIG_SETMASK, &old, NULL);
out:
	zm_unstage(dir, link);
	return rc;
}

/* ---- the library card's key --------------------------------------- */

/* The seconds a ZMODEM transfer of size bytes may take: ten minutes to
 * start, then at least 512 bytes a second (4 kbit/s, a poor GPRS link);
 * only a guard against a transfer that never ends. */
#define ZM_LIMIT(size)	(600 + (size) / 512)

/*
 * Tell what is about to happen and how to receive, under the name the
 * receiver will see.  1 when the user presses Enter to start.
 */
static const struct ui_keydef zm_intro_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("start"),
	  .help = N_("send the file to this terminal by ZMODEM") },
	UI_KEY_BACK,
	{ .key = L'q', .label = N_("back"), .help = N_("back, as Esc"),
	  .flags = UI_KEY_NOLEGEND },
};

static int
zm_intro(struct ui *ui, int64_t bytes, const char *name)
{
	const struct ui_keys *ks = UI_KEYS(zm_intro_keys, NULL);
	const struct ui_keydef *d;
	char	 buf[1024], size[32];
	wint_t	 wch;
	int	 y, k;

	for (;;) {
		erase();
		ui_header(ui, _("Download by ZMODEM"));
		library_fmt_size(bytes, size, sizeof(size));
		snprintf(buf, sizeof(buf), _("The file %s (%s) will be sent to "
		    "this terminal by ZMODEM."), name, size);
		y = ui_wrap(ZM_BODY_TOP, 2, LINES - 2, COLS - 4, buf) + 1;
		y = ui_wrap(y, 2, LINES - 2, COLS - 4, _("Your terminal must "
		    "receive ZMODEM: Tera Term, SecureCRT, ZOC, SyncTERM, "
		    "Xshell, Konsole (with lrzsz) do. PuTTY does not: use "
		    "the sftp or scp command from the card with it, or psftp "
		    "or WinSCP.")) + 1;
		y = ui_wrap(y, 2, LINES - 2, COLS - 4, _("Most terminals start "
		    "receiving by themselves; if yours does not, start its "
		    "ZMODEM receive (Tera Term: File > Transfer > ZMODEM > "
		    "Receive).")) + 1;
		(void)ui_wrap(y, 2, LINES - 2, COLS - 4, _("Ctrl-X five times "
		    "cancels the transfer and brings the BBS back."));
		ui_keys_legend(ui, ks, COLS - 1, buf, sizeof(buf));
		ui_status(ui, "%s", buf);
		refresh();
		do {
			k = ui_key(ui, &wch);
			if (k == UI_CHAR && wch == L'\n')
				wch = UI_KEY_ENTER;
			d = ui_keys_find(ui, ks, k, wch);
		} while (d == NULL && !ui_keys_is_help(ks, k, wch) &&
		    !(k == UI_FUNC && wch == KEY_RESIZE));
		if (d != NULL)
			return d->key == UI_KEY_ENTER;
		if (ui_keys_is_help(ks, k, wch))
			ui_keys_help(ui, _("Download by ZMODEM"), ks, NULL, 0);
	}
}

/* The card's "z": the item's file into this terminal (ui-host.h). */
const char *
ui_zmodem_card(struct ui *ui, const struct lib_item *it)
{
	/* A UTF-8 terminal gets the real name; an 8-bit one the ASCII
	 * name, which any receiver can store whatever its code page. */
	const char	*name = ui->charset == CHARSET_UTF8 ? it->filename :
			    it->filename_ascii;
	char		*path;
	int		 rc;

	if (!zm_intro(ui, it->size, name))
		return NULL;
	path = blob_path(ui->st, it->sha256);
	rc = ui_zmodem_send(ui, path, name, ZM_LIMIT(it->size));
	free(path);
	/* The file arrived; a count that could not be kept is the sysop's
	 * matter, not the reader's. */
	if (rc == UI_ZM_SENT &&
	    library_count_download(ui->st, it->id, ui->user->id) != 0)
		log_warn("library: download of item %lld not counted",
		    (long long)it->id);
	return ui_zmodem_strerror(rc);
}

/* Offered for a file whose blob is there, when sz is (ui-host.h). */
int
ui_zmodem_card_offered(struct ui *ui, void *arg)
{
	const struct lib_item	*it = arg;

	return *it->url == '\0' && blob_valid_sha(it->sha256) &&
	    ui_zmodem_available(ui);
}

/*
 * The event card's "z": its calendar file (event_ics()), written to a
 * private temporary file, into this terminal (ui-host.h).
 */
const char *
ui_zmodem_event(struct ui *ui, const struct event *e)
{
	const char	*base = getenv("TMPDIR");
	char		*ics, *path, name[40];
	size_t		 len;
	int		 fd, rc = UI_ZM_NOSTART;

	if ((ics = event_ics(e, 1)) == NULL)
		return ui_zmodem_strerror(UI_ZM_NOSTART);
	len = strlen(ics);
	snprintf(name, sizeof(name), "event-%lld.ics", (long long)e->id);
	if (!zm_intro(ui, (int64_t)len, name)) {
		free(ics);
		return NULL;
	}
	path = xasprintf("%s/parta-ics.XXXXXX", base != NULL && *base == '/' ?
	    base : "/tmp");
	if ((fd = mkstemp(path)) >= 0) {
		if (write(fd, ics, len) == (ssize_t)len && close(fd) == 0)
			rc = ui_zmodem_send(ui, path, name, ZM_LIMIT(len));
		else
			close(fd);
		unlink(path);
	}
	free(path);
	free(ics);
	return ui_zmodem_strerror(rc);
}

int
ui_zmodem_event_offered(struct ui *ui, void *arg)
{
	(void)arg;
	return ui_zmodem_available(ui);
}
