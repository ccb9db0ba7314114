/*
 * t-data.h: the files of tests/unit/data/ for unit tests that compare
 * against them (charset tables, text samples).  Include after t.h.
 */
#ifndef PARTA_T_DATA_H
#define PARTA_T_DATA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole of tests/unit/data/name, NUL-terminated, *len without the
 * NUL; the caller frees it.  Exits when it cannot be read, since no later
 * check could mean anything. */
static inline char *
t_data(const char *name, size_t *len)
{
	const char	*top = getenv("PARTA_TOP");
	char		 path[4096];
	FILE		*fp;
	char		*buf;
	long		 n;

	if (top != NULL && *top != '\0')
		snprintf(path, sizeof(path), "%s/tests/unit/data/%s", top, name);
	else	/* __FILE__ is relative to where make runs */
		snprintf(path, sizeof(path), "%.*s/data/%s",
		    (int)(strrchr(__FILE__, '/') - __FILE__), __FILE__, name);
	if ((fp = fopen(path, "rb")) == NULL || fseek(fp, 0, SEEK_END) != 0 ||
	    (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

#endif
