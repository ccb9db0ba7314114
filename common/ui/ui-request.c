/*
 * ui-request.c: how the screens write.  Every write a user makes on a
 * screen is a request (request.h) applied here as the session's user, so
 * that the BBS and the client write through the one table; a write that
 * fails tells the user what failed, in the one way every screen uses;
 * so does a list that could not be read (ui_list_ready()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "i18n.h"
#include "log.h"
#include "perr.h"
#include "request.h"
#include "ui.h"

int
ui_apply(struct ui *ui, struct request *r, struct request_result *res)
{
	struct request_result	 own;
	char			*cause = NULL;
	int			 rc;

	if (res == NULL)
		res = &own;
	r->user = ui->user;
	if (ui->p->host == NULL || ui->p->host->apply == NULL)
		return request_apply(ui->st, r, 0, res);
	/* The host carries it out (a client queues it in its outbox and
	 * shows it in its copy). */
	memset(res, 0, sizeof(*res));
	if ((rc = ui->p->host->apply(ui, r, res, &cause)) != 0 &&
	    cause != NULL)
		log_warn("request %s: %s", request_type(r->kind)->name, cause);
	free(cause);
	return rc;
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
ui_list_ready(struct ui *ui, int rc, size_t n, const char *empty)
{
	if (rc != 0) {
		ui_say_error(ui, NULL, rc);
		return 0;
	}
	if (n == 0 && empty != NULL) {
		ui_notice(ui, _(empty));
		return 0;
	}
	return 1;
}

int
ui_request(struct ui *ui, struct request *r, struct request_result *res)
{
	int	 rc;

	if ((rc = ui_apply(ui, r, res)) != 0)
		ui_say_error(ui, NULL, rc);
	return rc;
}
