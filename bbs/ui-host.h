/*
 * ui-host.h: partad's side of the UI (common/ui/ui.h): its host (struct
 * ui_host, bbs/ui-host.c), the one place where the UI meets partad's
 * config, and the screens that are partad's alone, as they need the
 * server: registration and the approval gate, password and SSH keys
 * (ui-register.c), reset codes (ui-reset.c), what waits for approval
 * (ui-waiting.c), ZMODEM (ui-zmodem.c) and the SFTP upload folder
 * (ui-upload.c).
 */
#ifndef PARTA_UI_HOST_H
#define PARTA_UI_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "throttle.h"
#include "user.h"

struct lib_item;
struct ui;
struct ui_params;

/* What partad's screens need of its config, as plain values. */
struct ui_host_conf {
	struct throttle_policy	 throttle;	/* reset codes, as logins */
	struct user_reg_limits	 reg;		/* registrations */
	int			 port;		/* for command lines */
	const char		*public_host;	/* "": the machine's name */
	const char		*zmodem_sz;	/* "": no ZMODEM */
};

/*
 * Fill p's values from partad's config (server.cfg) and point it at
 * partad's host.  Called by the session before it forks the UI; what it
 * sets lives as long as the process.
 */
void	ui_host_setup(struct ui_params *p);
/* The values of the last ui_host_setup(). */
const struct ui_host_conf *ui_host_conf(void);
/* The host name users reach the server by, for command lines: the
 * config's public_host, else this machine's name, in buf of size. */
const char *ui_host_public(char *buf, size_t size);

/* ui-register.c: registration, the gate (pending, rejected, banned),
 * the password and the SSH keys. */
void	ui_register(struct ui *);
void	ui_gate(struct ui *);
int	ui_password(struct ui *);
int	ui_keys(struct ui *);

/* ui-reset.c: after Esc on the registration form: back to it (also
 * with Esc), log out, or set a new password with a reset code (then the
 * session ends).  With why (registration is closed to her, and why),
 * there is no form to go back to, and logging out says why again.  When
 * typed (she has filled in some of the form), logging out asks first, as
 * the form is lost then.  Returns only to the form. */
void	ui_reset(struct ui *, const char *why, int typed);
/* ui-reset.c: a rejected applicant corrects her form and applies
 * again; 1 if she did (ui->user is read again). */
int	ui_reapply(struct ui *);
/* ui-reset.c: the sysop issues a one-time reset code for an account and
 * sees it once, to pass on by phone. */
int	ui_reset_issue(struct ui *);

/* ui-waiting.c: what waits for the sysop, coordinators and experts: the
 * main menu item, and the summary at login (shown only if something
 * waits). */
int	ui_waiting(struct ui *);
void	ui_waiting_login(struct ui *);

/* ui-digest.c: the main menu's "Make me a digest of what is new",
 * written into her digests folder and offered by ZMODEM. */
int	ui_digest(struct ui *);

/* ui-upload.c: the library menu's "My upload folder": the files the
 * user put there by SFTP, to describe (ui_library_describe) or delete. */
int	ui_upload_folder(struct ui *);

/* ---- ui-zmodem.c: a file straight into the terminal by ZMODEM -------- */

/* 1 if ZMODEM can be offered: zmodem_sz names an executable file. */
int	ui_zmodem_available(const struct ui *);

/* What ui_zmodem_send() returns. */
enum {
	UI_ZM_SENT = 0,		/* sz says the receiver has the whole file */
	UI_ZM_FAILED = -1,	/* cancelled, refused, or no answer in time */
	UI_ZM_NOSTART = -2,	/* sz could not be started */
	UI_ZM_CUT = -3,		/* the link dropped or the server stops */
};

/*
 * Send the file at path to the terminal with sz, named name (no '/') for
 * the receiver; give up after limit_s seconds.  Leaves curses and marks
 * the whole screen for repainting: the caller draws its screen again.
 * A hang-up or shutdown during the transfer ends sz; the next ui_key()
 * then ends the session as usual.  Returns a UI_ZM_ code.
 */
int	ui_zmodem_send(struct ui *, const char *path, const char *name,
	    int64_t limit_s);
/* A translated sentence saying what a UI_ZM_ code means to the user. */
const char *ui_zmodem_strerror(int code);
/* The library card's "z": the item's file by ZMODEM, after saying how
 * to receive it (a struct ui_card_key's fn and offered). */
const char *ui_zmodem_card(struct ui *, const struct lib_item *);
int	ui_zmodem_card_offered(struct ui *, void *item);
/* The event card's "z": the event's .ics by ZMODEM, offered when
 * ZMODEM is. */
struct event;
const char *ui_zmodem_event(struct ui *, const struct event *);
int	ui_zmodem_event_offered(struct ui *, void *event);

#endif
