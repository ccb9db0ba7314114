/*
 * ui-host.c: partad's host for the UI (struct ui_host, common/ui/ui.h):
 * what a session's UI does that the companion client's does not.  The
 * UI runs in a child of the session process (session.c), so "what the
 * user is doing" is written under the session's pid, getppid(); its
 * writes go straight to the store; registration and the gate come
 * before the main menu; the menus offer who-is-online, the SSH keys, the
 * password, what waits for approval, reset codes and the SFTP upload
 * folder; a library card shows the sftp and scp command lines and
 * offers ZMODEM.
 *
 * This is the only UI code that reads partad's config (server.cfg): it
 * copies the values into struct ui_params, struct ui_host and struct
 * ui_host_conf (ui-host.h) before the session forks the UI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "i18n.h"
#include "library.h"
#include "online.h"
#include "partad.h"
#include "ui/ui.h"
#include "ui-host.h"
#include "user.h"
#include "util.h"

static struct ui_host_conf ui_host_c;

const struct ui_host_conf *
ui_host_conf(void)
{
	return &ui_host_c;
}

const char *
ui_host_public(char *buf, size_t size)
{
	const char	*h = ui_host_c.public_host;

	if (h != NULL && *h != '\0')
		return h;
	if (gethostname(buf, size) != 0 || *buf == '\0')
		strlcpy_p(buf, "localhost", size);
	buf[size - 1] = '\0';
	return buf;
}

/* The UI is the session's child: the session's row is the user's.
 * Called on every screen change; the row changes only when what does. */
static void
ui_host_doing(struct ui *ui, const char *what)
{
	static char	 last[64];

	if (strcmp(last, what) == 0)
		return;
	if (online_doing(ui->st, getppid(), what) == 0)
		strlcpy_p(last, what, sizeof(last));
}

/* Registration for "new", the gate for an account not yet active. */
static int
ui_host_enter(struct ui *ui)
{
	if (ui->user == NULL) {
		ui_register(ui);
		return 0;
	}
	if (user_state(ui->user) != USER_ACTIVE) {
		ui_gate(ui);
		return 0;
	}
	return 1;
}

static void
ui_host_header(struct ui *ui, char *buf, size_t size)
{
	strlcpy_p(buf, ui->user != NULL ? ui->user->login : "", size);
}

/* ---- who is online ------------------------------------------------- */

/*
 * The list holds the rows of one page at a time, read when a row
 * outside it is drawn: a list of a thousand sessions costs a screen's
 * worth of rows to open and to move in, not a thousand.
 */
#define UI_HOST_WHO_PAGE	64

struct ui_host_who {
	struct store	*st;
	struct online	*v;		/* rows lo .. lo + nv - 1 */
	size_t		 lo, nv;
};

static void
ui_host_who_draw(size_t i, int y, void *arg)
{
	struct ui_host_who	*w = arg;
	struct online		*o;
	int64_t			 mins;
	char			 since[32];

	if (w->v == NULL || i < w->lo || i >= w->lo + w->nv) {
		online_list_free(w->v, w->nv);
		w->lo = i - i % UI_HOST_WHO_PAGE;
		if (online_page(w->st, 0, w->lo, UI_HOST_WHO_PAGE, &w->v,
		    &w->nv) != 0)
			return;
	}
	if (i >= w->lo + w->nv)
		return;		/* gone since the list was counted */
	o = &w->v[i - w->lo];
	mins = (now_unix() - o->started_at) / 60;

	ui_text(y, 3, 16, o->login);
	ui_text(y, 20, COLS - 20 - 12, o->display_name);
	snprintf(since, sizeof(since), _("%lld min"), (long long)mins);
	ui_text(y, COLS - 11, 10, since);
}

static const struct ui_keydef ui_host_who_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("page"),
	  .help = N_("the marked member's page") },
	UI_KEY_PAGE(N_("the marked member's page")),
	UI_KEY_BACK,
};

static int
ui_host_who(struct ui *ui)
{
	struct ui_host_who	 w = { .st = ui->st };
	size_t			 sel = 0, n;
	char			 title[128], *login;
	int			 rc;

	if (online_count(ui->st, 0, &n) != 0 ||
	    online_page(ui->st, 0, 0, UI_HOST_WHO_PAGE, &w.v, &w.nv) != 0) {
		ui_notice(ui, _("The list is not available now."));
		return 0;
	}
	/* Dead rows the first page met are gone: a short list is exact. */
	if (w.nv < UI_HOST_WHO_PAGE)
		n = w.nv;
	snprintf(title, sizeof(title), _("Who is online (%zu)"), n);
	/* The marked row was drawn, so its page of rows is the one held. */
	while ((rc = ui_list(ui, title, UI_KEYS(ui_host_who_keys, NULL), n,
	    ui_host_who_draw, &w, &sel, NULL)) != UI_LIST_BACK) {
		if (sel < w.lo || sel >= w.lo + w.nv)
			continue;
		login = xstrdup(w.v[sel - w.lo].login);
		ui_page_login(ui, login);
		free(login);
	}
	online_list_free(w.v, w.nv);
	return 0;
}

/* ---- the library card's foot --------------------------------------- */

/* Exactly what to type: the ASCII path survives any terminal and
 * keyboard; the UTF-8 one keeps the name. */
static void
ui_host_card_foot(struct ui *ui, const struct lib_item *it, int y)
{
	char		 buf[512], hostbuf[256];
	const char	*host = ui_host_public(hostbuf, sizeof(hostbuf));
	int		 port = ui_host_c.port;

	ui_text(y++, 2, 0, _("Download with sftp or scp (your password"
	    " or key, as for the BBS):"));
	snprintf(buf, sizeof(buf), "sftp -P %d %s@%s:/ascii/%s/%s", port,
	    ui->user->login, host, it->section, it->filename_ascii);
	ui_text(y++, 4, 0, buf);
	snprintf(buf, sizeof(buf), "scp -P %d '%s@%s:/library/%s/%s' .",
	    port, ui->user->login, host, it->section, it->filename);
	ui_text(y, 4, 0, buf);
}

/* ---- the rows partad adds ------------------------------------------ */

static const struct ui_host_item ui_host_main[] = {
	{ .after = L'f', .item = { .key = L'w', .label = N_("Who is online"),
	  .fn = ui_host_who } },
	{ .after = L'p', .item = { .key = L'k', .label = N_("SSH keys"),
	  .fn = ui_keys } },
	{ .after = L'p', .item = { .key = L's', .label = N_("Change password"),
	  .fn = ui_password } },
	{ .after = L'i', .item = { .key = L'g',
	  .label = N_("What waits for you"), .fn = ui_waiting } },
	{ .after = L'a', .item = { .key = L'j',
	  .label = N_("Make me a digest of what is new"), .fn = ui_digest } },
	{ .after = L'e', .item = { .key = L'r',
	  .label = N_("Password reset code"), .fn = ui_reset_issue,
	  .role = ROLE_SYSOP } },
};

static const struct ui_host_item ui_host_library[] = {
	{ .after = L't', .item = { .key = L'u',
	  .label = N_("My upload folder: describe a file"),
	  .fn = ui_upload_folder } },
};

static const struct ui_card_key ui_host_card[] = {
	{ .def = { .key = L'z', .label = N_("ZMODEM"),
	  .help = N_("download the file into this terminal by ZMODEM"),
	  .may = ui_zmodem_card_offered }, .fn = ui_zmodem_card },
};

static const struct ui_event_key ui_host_event[] = {
	{ .def = { .key = L'z', .label = N_("ZMODEM .ics"),
	  .help = N_("the event's calendar file into this terminal by ZMODEM"),
	  .may = ui_zmodem_event_offered }, .fn = ui_zmodem_event },
};

static struct ui_host ui_host_partad = {
	.doing = ui_host_doing,
	.enter = ui_host_enter,
	.arrived = ui_waiting_login,
	.main_menu = ui_host_main,
	.main_menu_n = nitems(ui_host_main),
	.library_menu = ui_host_library,
	.library_menu_n = nitems(ui_host_library),
	.card_keys = ui_host_card,
	.card_keys_n = nitems(ui_host_card),
	.event_keys = ui_host_event,
	.event_keys_n = nitems(ui_host_event),
	.card_foot = ui_host_card_foot,
	.header_right = ui_host_header,
	.watch_store = 0,	/* see struct ui_host */
	.check_account = 2,	/* session.c closes its store meanwhile */
};

void
ui_host_setup(struct ui_params *p)
{
	const struct config	*c = &server.cfg;

	ui_host_partad.idle_limit = c->idle_timeout;
	ui_host_partad.guest_idle_limit = c->guest_idle_timeout;
	ui_host_partad.idle_warning = c->idle_warning;
	ui_host_c.throttle.failures = c->throttle_failures;
	ui_host_c.throttle.addr_failures = c->throttle_address_failures;
	ui_host_c.throttle.window = c->throttle_window;
	ui_host_c.throttle.block = c->throttle_block;
	ui_host_c.reg.per_address = c->registration_per_address;
	ui_host_c.reg.per_day = c->registration_per_day;
	ui_host_c.reg.expiry = (int64_t)c->registration_expiry * 86400;
	ui_host_c.port = c->port;
	ui_host_c.public_host = c->public_host != NULL ? c->public_host : "";
	ui_host_c.zmodem_sz = c->zmodem_sz != NULL ? c->zmodem_sz : "";
	p->edit_window = c->edit_window;
	p->chat_history_days = c->chat_history_days;
	strlcpy_p(p->default_language, c->default_language != NULL ?
	    c->default_language : "ru", sizeof(p->default_language));
	p->host = &ui_host_partad;
}
