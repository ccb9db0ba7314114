/*
 * news.h: announcements from the sysop and coordinators.  Each user has
 * a pointer to the last item seen (news_reads), so news is shown once at
 * login, when new since the last visit.
 */
#ifndef PARTA_NEWS_H
#define PARTA_NEWS_H

#include <stddef.h>
#include <stdint.h>

struct store;

#define NEWS_TITLE_MAX	120
#define NEWS_SHOWN_MAX	5	/* at most this many at login */

struct news_item {
	int64_t	 id;
	char	*title;
	char	*body;
	char	*author;	/* login, "" from the console */
	char	*author_name;	/* her display name, or "" */
	int64_t	 created_at;
};

/* 1 if user_id (of role) may publish news: the sysop, a coordinator,
 * or a coordinator of any board. */
int	 news_may_publish(struct store *, int64_t user_id, int role);

/* Publish an item by author_id (0: the console); validated like a post.
 * 0 and *id (may be NULL), or a PERR code.  Audited as actor. */
int	 news_add(struct store *, int64_t author_id, const char *title,
	     const char *body, const char *actor, int64_t *id);

/* The items user_id has not seen (oldest first, at most NEWS_SHOWN_MAX,
 * the newest ones), or all news newest first when user_id is 0.  Free
 * with news_list_free. */
int	 news_list(struct store *, int64_t user_id, struct news_item **out,
	     size_t *n);
void	 news_list_free(struct news_item *, size_t n);

/* Remove item id, audited as actor: 0, PERR_NOTFOUND or PERR_DB. */
int	 news_remove(struct store *, int64_t id, const char *actor);

/* user_id has seen the news up to last_id. */
int	 news_seen(struct store *, int64_t user_id, int64_t last_id);

#endif
