/*
 * test-util.c: the lookups of util.h that enum names and tables of rows
 * share: a name found, one missing, NULL, a value past the table's end;
 * the syncs of a file and of the directory that holds it.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "t.h"
#include "t-tmp.h"

static const char *const colours[] = { "red", "green", "blue" };

struct shade {
	const char	*name;
	int		 level;
};

static const struct shade shades[] = {
	{ .name = "light", .level = 1 },
	{ .name = "dark", .level = 9 },
};

static void
test_names(void)
{
	T_INT(names_find(colours, nitems(colours), "red"), 0, "the first name");
	T_INT(names_find(colours, nitems(colours), "blue"), 2, "the last name");
	T_INT(names_find(colours, nitems(colours), "Blue"), -1,
	    "names are matched exactly");
	T_INT(names_find(colours, nitems(colours), NULL), -1, "NULL names none");
	T_STR(names_get(colours, nitems(colours), 1), "green", "a value's name");
	T_STR(names_get(colours, nitems(colours), 3), "?",
	    "a value past the end");
}

static void
test_rows(void)
{
	const struct shade	*s;

	s = names_row(shades, nitems(shades), sizeof(shades[0]), "dark");
	T_OK(s == &shades[1], "the row named dark");
	T_INT(s != NULL ? s->level : 0, 9, "its other members");
	T_OK(names_row(shades, nitems(shades), sizeof(shades[0]), "grey") ==
	    NULL, "a name no row has");
	T_OK(names_row(shades, nitems(shades), sizeof(shades[0]), NULL) ==
	    NULL, "NULL");
	T_OK(names_row(shades, 0, sizeof(shades[0]), "light") == NULL,
	    "an empty table");
}

static void
test_fsync(void)
{
	char	*file = t_path("f"), *gone = t_path("none/f");
	FILE	*fp;

	if ((fp = fopen(file, "w")) != NULL)
		fclose(fp);
	T_INT(fsync_path(file), 0, "a file");
	T_INT(fsync_path(t_tmp), 0, "a directory");
	T_INT(fsync_dir_of(file), 0, "the directory of a file");
	T_INT(fsync_dir_of(gone), -1, "the directory of a path in none");
	T_INT(errno, ENOENT, "says there is none");
	T_INT(fsync_path(gone), -1, "a file that is not there");
	T_INT(fsync_dir_of("/etc"), 0, "a name in the root: the root");
	T_INT(fsync_dir_of("f"), 0, "a bare name: the working directory");
	free(file);
	free(gone);
}

int
main(void)
{
	t_tmpdir();
	test_names();
	test_rows();
	test_fsync();
	return t_done();
}
