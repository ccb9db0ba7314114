/*
 * host.c: parta-uihost, the test host of the UI library (common/ui/,
 * libparta-ui.a): the screens run on this process's own terminal over a
 * store file, for one login, with no partad, no SSH and nothing of bbs/
 * linked in.  It proves the seam a second program (the companion
 * client) will use: everything program-specific comes from the struct
 * ui_host below.  tests/e2e/t-uihost.sh drives it inside tmux.
 *
 * Its host differs from partad's where a test can see it: the header's
 * right end shows the login and what the user is doing (the doing hook),
 * the main menu has a row of its own, writes go straight to the store,
 * and lists reload when another connection writes (watch_store).
 *
 * Usage: parta-uihost [-i idle_seconds] [-L localedir] STORE LOGIN
 * Logs go to stderr: redirect it away from the terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "log.h"
#include "store.h"
#include "ui/ui.h"
#include "user.h"
#include "util.h"

/* The host's own state: what the user does now, for the header. */
struct host_state {
	char	 doing[32];
};

static struct host_state host_state = { "menu" };

static void
host_doing(struct ui *ui, const char *what)
{
	(void)ui;
	strlcpy_p(host_state.doing, what, sizeof(host_state.doing));
}

static void
host_header(struct ui *ui, char *buf, size_t size)
{
	snprintf(buf, size, "%s [%s]", ui->user != NULL ? ui->user->login :
	    "-", host_state.doing);
}

static int
host_row(struct ui *ui)
{
	ui_notice(ui, "The test host's own row.");
	return 0;
}

static const struct ui_host_item host_main[] = {
	{ .after = 0, .item = { .key = L'h', .label = "Test host row",
	  .fn = host_row } },
};

static struct ui_host host = {
	.guest_idle_limit = 600,
	.idle_limit = 0,	/* -i */
	.idle_warning = 30,
	.doing = host_doing,
	.header_right = host_header,
	.main_menu = host_main,
	.main_menu_n = nitems(host_main),
	.watch_store = 1,
	.arg = &host_state,
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: parta-uihost [-i idle_seconds] "
	    "[-L localedir] STORE LOGIN\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct ui_params p;
	struct store	*st = NULL;
	struct user	*u = NULL;
	const char	*localedir = NULL;
	char		*cause = NULL;
	int		 ch;

	while ((ch = getopt(argc, argv, "i:L:")) != -1) {
		switch (ch) {
		case 'i':
			host.idle_limit = atoi(optarg);
			break;
		case 'L':
			localedir = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		usage();
	log_init("parta-uihost", LOG_LEVEL_INFO, 0);

	/* Only to find the account: the UI opens its own connection. */
	if (store_open(argv[0], &st, &cause) != 0) {
		fprintf(stderr, "parta-uihost: %s\n", cause);
		free(cause);
		return 1;
	}
	if (user_get(st, argv[1], &u) != 0) {
		fprintf(stderr, "parta-uihost: no user %s\n", argv[1]);
		store_close(st);
		return 1;
	}

	ui_params_local(&p, u, argv[0]);
	p.localedir = localedir;
	p.host = &host;
	user_free(u);
	store_close(st);
	return ui_run(&p);
}
