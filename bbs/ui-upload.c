/*
 * ui-upload.c: the library menu's "My upload folder" (partad's, through
 * its host): the files a teacher put into her upload folder by SFTP
 * (sftp.c), to describe as library items (ui_library_describe()) or
 * delete.  Only names that are already clean (translit.h) are shown:
 * the SFTP server stores no others.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curses.h>

#include "i18n.h"
#include "library.h"
#include "text.h"
#include "translit.h"
#include "ui/ui.h"
#include "ui-host.h"
#include "user.h"
#include "util.h"

#define BODY_TOP	3

struct ui_upload_list {
	char		**name;
	int64_t		*size;
	size_t		 n;
};

static void
ui_upload_free(struct ui_upload_list *u)
{
	size_t	 i;

	for (i = 0; i < u->n; i++)
		free(u->name[i]);
	free(u->name);
	free(u->size);
	memset(u, 0, sizeof(*u));
}

static int
ui_upload_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of the user's upload folder, sorted by name. */
static void
ui_upload_read(struct ui *ui, struct ui_upload_list *u)
{
	char		*dir = library_upload_dir(ui->st, ui->user->id), *clean;
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;

	memset(u, 0, sizeof(*u));
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (fstatat(dirfd(d), de->d_name, &sb,
			    AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
				continue;
			if (translit_clean_name(de->d_name, strlen(de->d_name),
			    &clean) != 0 || strcmp(clean, de->d_name) != 0) {
				free(clean);
				continue;
			}
			u->name = xrealloc(u->name, (u->n + 1) * sizeof(*u->name));
			u->size = xrealloc(u->size, (u->n + 1) * sizeof(*u->size));
			u->name[u->n] = clean;
			u->size[u->n++] = sb.st_size;
		}
		closedir(d);
	}
	free(dir);
	/* Sort names and sizes together: sort the names, then restat. */
	if (u->n > 1) {
		char	**names = xmalloc(u->n * sizeof(*names));
		int64_t	*sizes = xmalloc(u->n * sizeof(*sizes));
		size_t	 i, j;

		memcpy(names, u->name, u->n * sizeof(*names));
		qsort(names, u->n, sizeof(*names), ui_upload_cmp);
		for (i = 0; i < u->n; i++)
			for (j = 0; j < u->n; j++)
				if (names[i] == u->name[j])
					sizes[i] = u->size[j];
		free(u->name);
		free(u->size);
		u->name = names;
		u->size = sizes;
	}
}

static const struct ui_keydef ui_upload_keys[] = {
	{ .key = UI_KEY_ENTER, .label = N_("describe"),
	  .help = N_("describe the marked file for the library") },
	{ .key = L'd', .label = N_("delete"),
	  .help = N_("delete the marked file from the folder") },
	UI_KEY_BACK,
};

static void
ui_upload_draw(size_t i, int y, void *arg)
{
	struct ui_upload_list	*u = arg;
	char		 size[32];

	library_fmt_size(u->size[i], size, sizeof(size));
	ui_text_pair(y, 3, 2, u->name[i], size);
}

int
ui_upload_folder(struct ui *ui)
{
	struct ui_upload_list	 u;
	size_t		 sel = 0;
	wint_t		 key;
	char		*dir, *path, host[256], help[512];
	int		 r;

	for (;;) {
		ui_upload_read(ui, &u);
		if (u.n == 0) {
			erase();
			ui_header(ui, _("My upload folder"));
			ui_wrap(BODY_TOP, 2, LINES - 6, COLS - 4, _("Your upload "
			    "folder is empty. Upload files with any SFTP client "
			    "(WinSCP, FileZilla, sftp) using your login and "
			    "password, into the folder /upload; then describe "
			    "them here. For example:"));
			snprintf(help, sizeof(help), "sftp -P %d %s@%s",
			    ui_host_conf()->port, ui->user->login,
			    ui_host_public(host, sizeof(host)));
			ui_text(LINES - 5, 4, 0, help);
			ui_text(LINES - 4, 4, 0, "put plan.docx");
			ui_notice(ui, "");
			ui_upload_free(&u);
			return 0;
		}
		r = ui_list(ui, _("My upload folder"),
		    UI_KEYS(ui_upload_keys, NULL), u.n, ui_upload_draw, &u, &sel,
		    &key);
		if (r == UI_LIST_BACK) {
			ui_upload_free(&u);
			return 0;
		}
		if (r == UI_LIST_PICK)
			ui_library_describe(ui, u.name[sel]);
		else if (ui_confirm(ui, _("Delete this file from your upload "
		    "folder?"))) {
			dir = library_upload_dir(ui->st, ui->user->id);
			path = xasprintf("%s/%s", dir, u.name[sel]);
			if (unlink(path) != 0 && errno != ENOENT)
				ui_notice(ui, strerror(errno));
			free(path);
			free(dir);
		}
		ui_upload_free(&u);
	}
}
