/*
 * sysop-chat.c: the console's chat commands: the rooms the sysop opens
 * and closes (a board's room comes and goes with its board), and the
 * list of every room with its lines kept.
 */
#include <stdio.h>
#include <stdlib.h>

#include "chat.h"
#include "i18n.h"
#include "perr.h"
#include "sysop.h"

/* chat list: every room, closed ones too. */
int
sysop_chat_list(struct sysop *s, struct sysop_args *a)
{
	struct chat_room	*v = NULL;
	struct sysop_grid	 g;
	char			 lines[24];
	size_t			 n = 0, i;
	int			 rc;

	(void)a;
	if ((rc = chat_rooms(s->st, NULL, &v, &n)) != 0)
		return sysop_fail(rc);
	sysop_grid_init(&g, 4, SYSOP_CELL_MAX, 1u << 2);
	sysop_grid_add(&g, _("ROOM"), _("OF"), _("LINES"), _("STATE"));
	for (i = 0; i < n; i++) {
		snprintf(lines, sizeof(lines), "%lld", (long long)v[i].lines);
		sysop_grid_add(&g, v[i].name, v[i].board_id != 0 ? _("board") :
		    _("sysop"), lines, v[i].closed_at != 0 ? _("closed") :
		    _("open"));
	}
	sysop_grid_list(&g, _("There are no chat rooms."));
	chat_rooms_free(v, n);
	return 0;
}

/* chat open NAME */
int
sysop_chat_open(struct sysop *s, struct sysop_args *a)
{
	int	 rc;

	if ((rc = chat_open(s->st, s->actor, a->argv[0], NULL)) != 0)
		return sysop_fail_exists(_("an open room \"%s\" exists"),
		    a->argv[0], NULL, rc);
	sysop_say(_("Chat room %s is open."), a->argv[0]);
	return 0;
}

/* chat close NAME */
int
sysop_chat_close(struct sysop *s, struct sysop_args *a)
{
	int64_t	 id = 0;
	int	 rc;

	if ((rc = chat_room_named(s->st, a->argv[0], &id)) == 0)
		rc = chat_close(s->st, s->actor, id);
	if (rc != 0)
		return sysop_fail_named(_("no open chat room \"%s\""),
		    a->argv[0], rc);
	sysop_say(_("Chat room %s is closed."), a->argv[0]);
	return 0;
}
