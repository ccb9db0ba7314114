/*
 * replay.c: a main() for a fuzz harness without libFuzzer, so that
 * "make check" replays every harness's corpus (tests/fuzz/NAME/: the
 * seeds and every crash once fixed) with gcc, in the normal and the
 * ASan/UBSan builds.
 *
 * Each file is fed once to LLVMFuzzerTestOneInput; each prints a TAP
 * line.  A harness that finds a bug aborts, which tests/run.sh reports
 * as a failure with the file named on the line before.
 *
 *   test-fuzz-NAME [FILE|DIR...]   default: $PARTA_TOP/tests/fuzz/NAME
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));

static int	 replay_n;

static int
replay_file(const char *path)
{
	FILE		*fp;
	uint8_t		*buf = NULL;
	size_t		 len = 0, cap = 0, n;

	if ((fp = fopen(path, "rb")) == NULL) {
		printf("not ok %d - fuzz-%s: %s: cannot open\n", ++replay_n,
		    FUZZ_NAME, path);
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap == 0 ? 4096 : cap * 2;
			if ((buf = realloc(buf, cap)) == NULL)
				abort();
		}
		if ((n = fread(buf + len, 1, cap - len, fp)) == 0)
			break;
		len += n;
	}
	fclose(fp);
	printf("# %s (%zu bytes)\n", path, len);
	fflush(stdout);
	/* An exact-size copy, so that ASan sees a read past the end. */
	{
		uint8_t	*exact = malloc(len > 0 ? len : 1);

		if (exact == NULL)
			abort();
		memcpy(exact, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	printf("ok %d - fuzz-%s: %s\n", ++replay_n, FUZZ_NAME,
	    strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path);
	fflush(stdout);
	return 0;
}

static int
replay_path(const char *path)
{
	struct dirent	**names;
	struct stat	 sb;
	char		*file;
	int		 n, i, rc = 0;

	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return replay_file(path);
	if ((n = scandir(path, &names, NULL, alphasort)) < 0) {
		printf("not ok %d - fuzz-%s: %s: cannot list\n", ++replay_n,
		    FUZZ_NAME, path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			if (asprintf(&file, "%s/%s", path, names[i]->d_name) < 0)
				abort();
			if (replay_file(file) != 0)
				rc = -1;
			free(file);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	const char	*top = getenv("PARTA_TOP");
	char		*dir;
	int		 i, rc = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (replay_path(argv[i]) != 0)
				rc = 1;
	} else {
		if (asprintf(&dir, "%s/tests/fuzz/%s", top != NULL ? top : ".",
		    FUZZ_NAME) < 0)
			abort();
		rc = replay_path(dir) != 0;
		free(dir);
	}
	if (replay_n == 0)
		printf("not ok 1 - fuzz-%s: no corpus\n", FUZZ_NAME), rc = 1;
	printf("1..%d\n", replay_n == 0 ? 1 : replay_n);
	return rc;
}
