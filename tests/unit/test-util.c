/*
 * test-util.c: the lookups of util.h that enum names and tables of rows
 * share: a name found, one missing, NULL, a value past the table's end.
 */
#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "t.h"

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

int
main(void)
{
	test_names();
	test_rows();
	return t_done();
}
