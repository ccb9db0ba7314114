/*
 * fuzz-config.c: the partad.conf parser (common/config.c), on a file
 * whose bytes are the input.
 *
 * config_load() reads a path, so the input goes into a memfd opened by
 * its /proc/self/fd name: config.c needs no change.  Besides memory
 * errors and leaks, the harness checks that a file that loads gives a
 * dump (partad -T) that loads again to the same configuration.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Load len bytes of data as a config file into c: config_load's result. */
static int
fuzz_load(struct config *c, const void *data, size_t len, char **cause)
{
	char	 path[64];
	int	 fd, rc;

	*cause = NULL;
	if ((fd = memfd_create("partad.conf", MFD_CLOEXEC)) < 0)
		abort();
	if (len > 0 && write(fd, data, len) != (ssize_t)len)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rc = config_load(c, path, cause);
	close(fd);
	return rc;
}

/* What partad -T prints for c; caller frees. */
static char *
fuzz_dump(const struct config *c, size_t *len)
{
	char	*s = NULL;
	FILE	*fp;

	if ((fp = open_memstream(&s, len)) == NULL)
		abort();
	config_dump(c, fp);
	fclose(fp);
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 c, again;
	char		*cause, *d1, *d2;
	size_t		 l1, l2;

	config_defaults(&c);
	if (fuzz_load(&c, data, size, &cause) == 0) {
		if (config_check(&c, &cause) != 0)
			free(cause);
		d1 = fuzz_dump(&c, &l1);
		config_defaults(&again);
		if (fuzz_load(&again, d1, l1, &cause) != 0) {
			fprintf(stderr, "the dump does not load: %s\n", cause);
			abort();
		}
		d2 = fuzz_dump(&again, &l2);
		if (l1 != l2 || memcmp(d1, d2, l1) != 0) {
			fprintf(stderr, "the dump loads differently:\n%s---\n%s",
			    d1, d2);
			abort();
		}
		free(d1);
		free(d2);
		config_free(&again);
	} else
		free(cause);
	config_free(&c);
	return 0;
}
