/*
 * ui-digest.c: the main menu's "Make me a digest of what is new"
 * (digest.h, parta-digest(5)).  The digest of her boards, her mail, the
 * news and the library listing since her last digest (the last 30 days
 * at the first) is written into the data directory's digests/LOGIN/,
 * the folder her SFTP tree is to show, and offered at once by ZMODEM,
 * as the library offers its files.
 */
#include <curses.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "digest.h"
#include "i18n.h"
#include "log.h"
#include "perr.h"
#include "store.h"
#include "ui/ui.h"
#include "ui-host.h"
#include "user.h"
#include "util.h"

#define UI_DIGEST_FIRST_DAYS	30
#define UI_DIGEST_LIMIT(size)	(600 + (size) / 512)

/* The folder of her digests, made when missing: caller frees. */
static char *
ui_digest_dir(struct ui *ui)
{
	char	*copy = xstrdup(store_path(ui->st)), *top, *dir;

	top = xasprintf("%s/digests", dirname(copy));
	free(copy);
	dir = xasprintf("%s/%s", top, ui->user->login);
	if ((mkdir(top, 0700) != 0 && errno != EEXIST) ||
	    (mkdir(dir, 0700) != 0 && errno != EEXIST)) {
		log_warn("digest: %s: %s", dir, strerror(errno));
		free(top);
		free(dir);
		return NULL;
	}
	free(top);
	return dir;
}

int
ui_digest(struct ui *ui)
{
	struct digest_spec	 spec;
	struct digest_info	 di;
	struct stat		 sb;
	struct tm		 tm;
	time_t			 now = time(NULL);
	char			 name[64], buf[1024], *dir, *path, *cause = NULL;
	int64_t			 last;
	int			 rc, y;

	memset(&spec, 0, sizeof(spec));
	spec.login = ui->user->login;
	spec.made_by = "partad";
	rc = store_int(ui->st, &last, "SELECT max(made_at) FROM digests"
	    " WHERE user_id = ?1", "i", ui->user->id);
	spec.since = rc == 0 && last > 0 ? last :
	    (int64_t)now - UI_DIGEST_FIRST_DAYS * 86400;
	if ((dir = ui_digest_dir(ui)) == NULL) {
		ui_notice(ui, _(perr_str(PERR_DB)));
		return 0;
	}
	gmtime_r(&now, &tm);
	strftime(name, sizeof(name), "parta-%Y%m%d-%H%M%S.pdg", &tm);
	path = xasprintf("%s/%s", dir, name);
	free(dir);
	ui_status(ui, "%s", _("Making your digest..."));
	refresh();
	if (digest_export(ui->st, &spec, path, &di, &cause) != 0) {
		log_warn("digest for %s: %s", ui->user->login, cause);
		free(cause);
		free(path);
		ui_notice(ui, _("The digest could not be made."));
		return 0;
	}
	erase();
	ui_header(ui, _("Your digest"));
	snprintf(buf, sizeof(buf), _("Your digest %s is made: %lld posts and "
	    "%lld letters since your last one."), name, (long long)di.posts,
	    (long long)di.letters);
	y = ui_wrap(3, 2, LINES - 2, COLS - 4, buf) + 1;
	snprintf(buf, sizeof(buf), _("Read it anywhere, with no network: "
	    "parta --digest %s. Your replies come back in a reply packet "
	    "for the sysop, or with your next sync."), name);
	(void)ui_wrap(y, 2, LINES - 2, COLS - 4, buf);
	digest_info_free(&di);
	if (ui_zmodem_available(ui) && stat(path, &sb) == 0 &&
	    ui_confirm(ui, _("Send it to this terminal by ZMODEM now?"))) {
		rc = ui_zmodem_send(ui, path, name,
		    UI_DIGEST_LIMIT((int64_t)sb.st_size));
		ui_notice(ui, ui_zmodem_strerror(rc));
	} else
		ui_notice(ui, _("Press a key."));
	free(path);
	return 0;
}
