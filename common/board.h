/*
 * board.h: subject boards.  This issue lets the sysop create and list
 * them; threads and posts come with the boards issue.
 */
#ifndef PARTA_BOARD_H
#define PARTA_BOARD_H

#include <stdint.h>

struct store;

#define BOARD_TITLE_MAX	80
#define BOARD_DESC_MAX	500

struct board {
	int64_t	 id;
	char	 uuid[37];
	char	*name;		/* short ASCII tag: "math" */
	char	*title;		/* "Математика" */
	char	*description;
	int	 position;
	char	*read_role;
	char	*post_role;
	int	 premoderated;
	int64_t	 threads;	/* counts, for listings */
	int64_t	 posts;
};

/* Check a board's short name: 0 or PERR_BOARD_NAME. */
int	 board_check_name(const char *name);

/* Create a board at the end of the list.  0, PERR_EXISTS or a PERR
 * code for a bad name or title. */
int	 board_add(struct store *, const char *name, const char *title,
	     const char *description, const char *actor);

/* All boards in display order.  Free with board_list_free. */
int	 board_list(struct store *, struct board **out, size_t *n);
void	 board_list_free(struct board *, size_t n);

#endif
