/*
 * ui-request.c: how the screens write.  Every write a user makes on a
 * screen is a request (request.h) applied here as the session's user, so
 * that the BBS and the client write through the one table; a write that
 * fails tells the user what failed, in the one way every screen uses.
 */
#include <stdio.h>

#include <curses.h>

#include "i18n.h"
#include "perr.h"
#include "request.h"
#include "ui.h"

int
ui_apply(struct ui *ui, struct request *r, struct request_result *res)
{
	struct request_result	 own;

	r->user = ui->user;
	/* A local copy's host will pass REQUEST_LOCAL here. */
	return request_apply(ui->st, r, 0, res != NULL ? res : &own);
}

void
ui_say_error(struct ui *ui, const char *prefix, int rc)
{
	char	 msg[512];

	if (prefix != NULL)
		snprintf(msg, sizeof(msg), "%s: %s", prefix, _(perr_str(rc)));
	else
		snprintf(msg, sizeof(msg), "%s", _(perr_str(rc)));
	ui_notice(ui, msg);
}

int
ui_request(struct ui *ui, struct request *r, struct request_result *res)
{
	int	 rc;

	if ((rc = ui_apply(ui, r, res)) != 0)
		ui_say_error(ui, NULL, rc);
	return rc;
}
