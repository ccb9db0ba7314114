/*
 * test-log.c: every log line is escaped and bounded (issue: log
 * injection): a newline cannot forge a line, no escape sequence reaches
 * the sysop's terminal, printable Cyrillic stays readable, long input is
 * cut between characters and the cut is marked.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

static void
test_vis(void)
{
	static const struct { const char *in, *want, *what; } c[] = {
		{ "Пётр Петров, Гөлназ",
		  "Пётр Петров, Гөлназ",
		  "Cyrillic and Tatar are kept" },
		{ "a\nb\r\tc",
		  "a\\nb\\r\\tc",
		  "newline, CR and tab are escaped" },
		{ "x\033]0;owned\007\033[2J",
		  "x\\033]0;owned\\007\\033[2J",
		  "ESC, OSC and BEL are escaped" },
		{ "back\\slash",
		  "back\\\\slash",
		  "a backslash is doubled: escapes stay unambiguous" },
		{ "c1 \xc2\x9b" "31m raw \x9b" "31m",
		  "c1 \\xC2\\x9B31m raw \\x9B31m",
		  "C1 CSI, as UTF-8 and as a raw byte, is escaped" },
		{ "del\x7f",
		  "del\\177",
		  "DEL is escaped" },
		{ "bad \xff\xfe \xc0\xaf \xed\xa0\x80 \xd0",
		  "bad \\xFF\\xFE \\xC0\\xAF \\xED\\xA0\\x80 \\xD0",
		  "invalid UTF-8, overlong forms and surrogates are escaped per byte" },
		{ "rlo \xe2\x80\xae" "gnp.exe",
		  "rlo \\xE2\\x80\\xAEgnp.exe",
		  "a BiDi override is escaped" },
	};
	char	 b[256];
	size_t	 i;

	T_INT(log_vis(b, sizeof(b), "plain ascii"), 0, "ascii fits");
	T_STR(b, "plain ascii", "ascii is kept");
	for (i = 0; i < nitems(c); i++) {
		log_vis(b, sizeof(b), c[i].in);
		T_STR(b, c[i].want, "%s", c[i].what);
	}
}

static void
test_vis_cut(void)
{
	char	 b[12];

	T_INT(log_vis(b, sizeof(b), "01234567890"), 0, "11 bytes fit in 12");
	T_STR(b, "01234567890", "... whole");
	T_INT(log_vis(b, sizeof(b), "012345678901"), 1, "12 bytes do not");
	T_STR(b, "01234567...", "... cut and marked within the size");
	log_vis(b, sizeof(b), "абвгдеёжз");
	T_STR(b, "абвг...", "a cut falls between characters");
	log_vis(b, sizeof(b), "0123456\n89ab");
	T_STR(b, "0123456...", "a cut never splits an escape");
	T_INT(log_vis(b, 3, "abc"), 1, "a buffer too small for the mark");
	T_STR(b, "", "... is left empty");
}

static void
test_name(void)
{
	char	 b[LOG_NAME_BUF], big[5001];

	T_STR(log_name(b, "petrov"), "petrov", "a short name is kept");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_name(b, big);
	T_INT(strlen(b), LOG_NAME_MAX + 3, "a 5000-byte name is cut to 64 bytes and a mark");
	T_STR(b + LOG_NAME_MAX, "...", "... the mark says it was cut");
	memset(big, 0, sizeof(big));
	for (int i = 0; i < 40; i++)
		strcat(big, "ж");
	log_name(b, big);
	T_INT(strlen(b), LOG_NAME_MAX + 3, "Cyrillic is cut between characters");
}

/* A real line through log_info, with the test's stderr on a file. */
static void
test_line(void)
{
	char	*path = t_path("log.txt"), line[8192], big[3000];
	FILE	*fp;
	int	 fd, saved, lines = 0, esc = 0;
	size_t	 longest = 0;

	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	log_init("unit", LOG_LEVEL_INFO, 0);
	log_info("failed password for %s from %s", "x\n2026-12-01 00:00:00 "
	    "partad[1] info: root authenticated\033[2J", "192.0.2.1");
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_info("long: %s", big);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	log_init("unit", LOG_LEVEL_WARN, 0);
	if ((fp = fopen(path, "r")) == NULL) {
		T_OK(0, "the log file opens");
		free(path);
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lines++;
		if (strchr(line, '\033') != NULL)
			esc = 1;
		if (strlen(line) > longest)
			longest = strlen(line);
		if (lines == 1)
			T_OK(strstr(line, "for x\\n2026-12-01") != NULL &&
			    strstr(line, "\\033[2J from 192.0.2.1") != NULL,
			    "the forged line is one escaped line");
		if (lines == 2)
			T_OK(strstr(line, "AAA...\n") != NULL,
			    "a long line ends in the cut mark");
	}
	fclose(fp);
	T_INT(lines, 2, "two messages are two lines");
	T_INT(esc, 0, "no raw ESC in the log");
	T_OK(longest < 1100, "a line is at most about 1 KB (%zu)", longest);
	free(path);
}

int
main(void)
{
	t_tmpdir();
	test_vis();
	test_vis_cut();
	test_name();
	test_line();
	return t_done();
}
