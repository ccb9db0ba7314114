/*
 * ui-files.c: library files in the client's screens (client.h): the
 * library card's host rows (f fetches the file into the cache, o opens
 * it with the program she names, s saves a copy where she says), the
 * card's foot (where the file is: not fetched, waiting for the link,
 * coming, fetched, or why the fetch failed), the library menu's row
 * that uploads a file from her computer, and the header's progress.
 *
 * Nothing here touches the network: a fetch is a wish in the outbox
 * file that the syncer carries out (transfer.c), an upload a copy of
 * the file and an outbox item.  A file counts as fetched only under its
 * final name, CACHEDIR/files/<sha>, which the syncer gives it after
 * hashing it whole.  The program that opens files is asked for once
 * (offered: $PARTA_OPEN, else xdg-open when it is installed) and kept
 * in CACHEDIR/settings as "open=COMMAND"; the file's path is added to
 * the command as its last word.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curses.h>

#include "blob.h"
#include "client.h"
#include "i18n.h"
#include "library.h"
#include "log.h"
#include "perr.h"
#include "request.h"
#include "sync-local.h"
#include "translit.h"
#include "ui/ui.h"
#include "util.h"

/* The path of item it's file in the cache, fetched or (part) coming;
 * caller frees. */
static char *
ui_files_path(const struct client_files *cf, const struct lib_item *it,
    int part)
{
	return xasprintf("%s/files/%s%s", cf->dir, it->sha256,
	    part ? ".part" : "");
}

/* 1 if it's file is in the cache, whole and verified. */
static int
ui_files_fetched(const struct client_files *cf, const struct lib_item *it)
{
	struct stat	 sb;
	char		*path;
	int		 rc;

	if (*it->url != '\0' || !blob_valid_sha(it->sha256))
		return 0;
	path = ui_files_path(cf, it, 0);
	rc = stat(path, &sb) == 0;
	free(path);
	return rc;
}

static int
ui_files_may_fetch(struct ui *ui, void *arg)
{
	const struct client_files	*cf = ui->p->host->arg;
	const struct lib_item		*it = arg;

	return *it->url == '\0' && blob_valid_sha(it->sha256) &&
	    !ui_files_fetched(cf, it);
}

static int
ui_files_may_use(struct ui *ui, void *arg)
{
	return ui_files_fetched(ui->p->host->arg, arg);
}

static const char *
ui_files_fetch(struct ui *ui, const struct lib_item *it)
{
	const struct client_files	*cf = ui->p->host->arg;

	if (sync_local_fetch_ask(cf->sl, it->sha256, it->filename,
	    it->size) != 0)
		return _(perr_str(PERR_DB));
	return cf->linked != NULL && cf->linked(ui) ? _("Fetching: the header "
	    "shows how far it has come.") : _("The file is fetched when the "
	    "link returns.");
}

/* CACHEDIR/settings' value of key, or NULL; caller frees. */
static char *
ui_files_setting(const struct client_files *cf, const char *key)
{
	char	*path = xasprintf("%s/settings", cf->dir), line[1024], *v = NULL;
	size_t	 k = strlen(key), n;
	FILE	*fp;

	if ((fp = fopen(path, "r")) != NULL) {
		while (v == NULL && fgets(line, sizeof(line), fp) != NULL) {
			n = strcspn(line, "\r\n");
			line[n] = '\0';
			if (strncmp(line, key, k) == 0 && line[k] == '=')
				v = xstrdup(line + k + 1);
		}
		fclose(fp);
	}
	free(path);
	return v;
}

/* Keep key=value in CACHEDIR/settings (the other lines as they were). */
static int
ui_files_set(const struct client_files *cf, const char *key, const char *value)
{
	char	*path = xasprintf("%s/settings", cf->dir), line[1024];
	char	*tmp = xasprintf("%s.tmp", path);
	size_t	 k = strlen(key);
	FILE	*in, *out;
	int	 rc = -1;

	if ((out = fopen(tmp, "w")) != NULL) {
		if ((in = fopen(path, "r")) != NULL) {
			while (fgets(line, sizeof(line), in) != NULL)
				if (strncmp(line, key, k) != 0 ||
				    line[k] != '=')
					fputs(line, out);
			fclose(in);
		}
		fprintf(out, "%s=%s\n", key, value);
		if (fclose(out) == 0 && rename(tmp, path) == 0)
			rc = 0;
	}
	free(tmp);
	free(path);
	return rc;
}

/* The command that opens files: the settings', or asked for now (and
 * kept).  NULL when she gave none; caller frees. */
static char *
ui_files_opener(struct ui *ui, const struct client_files *cf)
{
	const char	*env = getenv("PARTA_OPEN");
	char		*cmd;

	if ((cmd = ui_files_setting(cf, "open")) != NULL && *cmd != '\0')
		return cmd;
	free(cmd);
	cmd = ui_ask(ui, _("Open files with"), _("Program (the file's name "
	    "goes last)"), env != NULL && *env != '\0' ? env :
	    access("/usr/bin/xdg-open", X_OK) == 0 ? "xdg-open" : "", 255);
	if (cmd == NULL || *cmd == '\0') {
		free(cmd);
		return NULL;
	}
	if (ui_files_set(cf, "open", cmd) != 0)
		log_warn("settings: cannot write the program that opens files");
	return cmd;
}

/* Run cmd with path as its last word, on her terminal, and wait. */
static int
ui_files_run(const char *cmd, const char *path)
{
	char	*line = xasprintf("%s \"$1\"", cmd);
	pid_t	 pid;
	int	 status = -1;

	def_prog_mode();
	endwin();
	if ((pid = fork()) == 0) {
		execl("/bin/sh", "sh", "-c", line, "sh", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	free(line);
	return pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *
ui_files_open(struct ui *ui, const struct lib_item *it)
{
	const struct client_files	*cf = ui->p->host->arg;
	char				*cmd, *path;
	int				 rc;

	if ((cmd = ui_files_opener(ui, cf)) == NULL)
		return _("No program to open it with: s saves a copy instead.");
	path = ui_files_path(cf, it, 0);
	rc = ui_files_run(cmd, path);
	free(path);
	free(cmd);
	if (rc != 0) {
		log_warn("open: the program ended with %d", rc);
		return _("The program could not open the file.");
	}
	return NULL;
}

static const char *
ui_files_save(struct ui *ui, const struct lib_item *it)
{
	const struct client_files	*cf = ui->p->host->arg;
	const char			*home = getenv("HOME");
	struct stat			 sb;
	char				*to, *def, *src, *dst, sha[BLOB_HEX];
	char				*name = NULL;
	int64_t				 size;
	int				 in, out, rc;

	/* The name is the server's word: cleaned again as the library
	 * cleans a name (no '/', no leading dot), so "../.profile" from
	 * a hostile server cannot leave the folder she chose. */
	if (translit_clean_name(it->filename, strlen(it->filename),
	    &name) != 0) {
		free(name);
		name = xstrdup(it->sha256);
	}
	def = xasprintf("%s/%s", home != NULL ? home : ".", name);
	to = ui_ask(ui, _("Save a copy"), _("Where (a folder or a file)"), def,
	    1024);
	free(def);
	if (to == NULL || *to == '\0') {
		free(to);
		free(name);
		return NULL;
	}
	dst = stat(to, &sb) == 0 && S_ISDIR(sb.st_mode) ?
	    xasprintf("%s/%s", to, name) : xstrdup(to);
	free(to);
	free(name);
	if (stat(dst, &sb) == 0 && !ui_confirm(ui, _("That file exists. "
	    "Replace it?"))) {
		free(dst);
		return NULL;
	}
	src = ui_files_path(cf, it, 0);
	rc = PERR_LIB_IO;
	if ((in = open(src, O_RDONLY | O_CLOEXEC)) >= 0) {
		if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644)) >= 0) {
			rc = blob_hash_copy(in, out, sha, &size);
			if (close(out) != 0 || (rc == 0 &&
			    strcmp(sha, it->sha256) != 0))
				rc = PERR_LIB_IO;
		}
		close(in);
	}
	free(src);
	if (rc != 0) {
		log_warn("save: %s: %s", dst, strerror(errno));
		free(dst);
		return _("The copy could not be written there.");
	}
	ui_status(ui, _("Saved: %s"), dst);
	refresh();
	free(dst);
	return _("Saved.");
}

static const struct ui_card_key ui_files_card[] = {
	{ .def = { .key = L'f', .label = N_("fetch"),
	  .help = N_("fetch the file into this computer's cache"),
	  .may = ui_files_may_fetch }, .fn = ui_files_fetch },
	{ .def = { .key = L'o', .label = N_("open"),
	  .help = N_("open the fetched file with your program"),
	  .may = ui_files_may_use }, .fn = ui_files_open },
	{ .def = { .key = L's', .label = N_("save a copy"),
	  .help = N_("copy the fetched file where you say"),
	  .may = ui_files_may_use }, .fn = ui_files_save },
};

const struct ui_card_key *
client_files_card(size_t *n)
{
	*n = nitems(ui_files_card);
	return ui_files_card;
}

void
client_files_foot(struct ui *ui, const struct lib_item *it, int y)
{
	const struct client_files	*cf = ui->p->host->arg;
	enum sync_fetch_state		 st;
	struct stat			 sb;
	char				 why[256], a[32], b[32], *part, *s;

	if (*it->url != '\0' || !blob_valid_sha(it->sha256))
		return;
	if (ui_files_fetched(cf, it)) {
		ui_text(y, 2, 0, _("The file is in this computer's cache: o opens "
		    "it, s saves a copy."));
		return;
	}
	st = sync_local_fetch_state(cf->sl, it->sha256, why, sizeof(why));
	part = ui_files_path(cf, it, 1);
	library_fmt_size(it->size, b, sizeof(b));
	if (st == SYNC_FETCH_WAITING && stat(part, &sb) == 0 &&
	    sb.st_size > 0) {
		library_fmt_size(sb.st_size, a, sizeof(a));
		s = xasprintf(_("Fetching: %s of %s are here."), a, b);
	} else if (st == SYNC_FETCH_WAITING)
		s = xasprintf("%s", _("Waiting for the link: the file is "
		    "fetched when it returns."));
	else if (st == SYNC_FETCH_FAILED)
		s = xasprintf(_("The fetch failed: %s. f fetches it again."), why);
	else if (st == SYNC_FETCH_ERROR)
		s = xasprintf("%s", _("The outbox cannot be read: whether the "
		    "file is asked for is not known."));
	else
		s = xasprintf(_("f fetches the file (%s) into this computer's "
		    "cache."), b);
	(void)ui_wrap(y, 2, y + 3, COLS - 4, s);
	free(s);
	free(part);
}

/* ---- uploads from her computer ------------------------------------------ */

int
client_files_upload(struct ui *ui)
{
	struct client_files	*cf = ui->p->host->arg;
	struct stat		 sb;
	char			*path;
	const char		*base;

	path = ui_ask(ui, _("Upload a file from this computer"), _("The file "
	    "(its path)"), "", 1024);
	if (path == NULL || *path == '\0') {
		free(path);
		return 0;
	}
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    access(path, R_OK) != 0) {
		ui_notice(ui, _("There is no file to read there."));
		free(path);
		return 0;
	}
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	cf->upload = path;
	ui_library_describe(ui, base);
	cf->upload = NULL;
	free(path);
	return 0;
}

int
client_files_queue(struct ui *ui, struct request *r, char **cause)
{
	struct client_files	*cf = ui->p->host->arg;

	*cause = NULL;
	if (cf->upload == NULL)
		return PERR_REQ_SERVER;
	return transfer_queue(cf->sl, cf->dir, cf->upload, r, cause);
}

/* ---- the header's progress ------------------------------------------------ */

/* n bytes in a few columns: "940K", "1.2M", "35M". */
static void
ui_files_size(int64_t n, char *buf, size_t len)
{
	if (n < (1 << 20))
		snprintf(buf, len, _("%lldK"), (long long)((n + 1023) >> 10));
	else if (n < (10LL << 20))
		snprintf(buf, len, _("%.1fM"), (double)n / (1 << 20));
	else
		snprintf(buf, len, _("%lldM"), (long long)(n >> 20));
}

int
client_files_progress(const char *dir, char *buf, size_t len)
{
	struct transfer_progress p;
	char			 bar[8], a[16], b[16], left[48];
	const char		*way;
	int64_t			 secs, moved, rest;
	int			 i, full;

	if (transfer_progress_read(dir, &p) != 0)
		return -1;
	way = p.way == 'u' ? _("out") : p.way == 'd' ? _("in") : _("sync");
	ui_files_size(p.done, a, sizeof(a));
	if (p.total <= 0) {
		snprintf(buf, len, "%s %s", way, a);
		return 0;
	}
	full = (int)(p.done * 5 / p.total);
	for (i = 0; i < 5; i++)
		bar[i] = i < full ? '#' : '.';
	bar[5] = '\0';
	ui_files_size(p.total, b, sizeof(b));
	secs = now_unix() - p.started;
	moved = p.done - p.from;
	if (secs > 0 && moved > 0) {
		rest = (p.total - p.done) * secs / moved;
		snprintf(left, sizeof(left), "%lld:%02lld",
		    (long long)(rest / 60), (long long)(rest % 60));
	} else
		snprintf(left, sizeof(left), "-:--");
	/* A sync's whole is the server's estimate, said so with "~"; its
	 * bar goes without a word, or it would not fit the header's third
	 * ("[##...] 940K/~1.2M 12:34"). */
	if (p.way == 's')
		snprintf(buf, len, "[%s] %s/~%s %s", bar, a, b, left);
	else
		snprintf(buf, len, "%s [%s] %s/%s %s", way, bar, a, b, left);
	return 0;
}
