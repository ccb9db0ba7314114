/*
 * t-tmp.h: a private temporary directory for a unit test, removed again
 * at the end, and a fresh store inside it, with its accounts and change
 * log at hand.  Tests that touch files or the store include this after
 * t.h; nothing is left behind in $TMPDIR.
 */
#ifndef PARTA_T_TMP_H
#define PARTA_T_TMP_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "changes.h"
#include "log.h"
#include "store.h"
#include "user.h"

static char t_tmp[4096];

static inline int
t_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

/* Remove the directory made by t_tmpdir() and all it holds. */
static inline void
t_tmp_cleanup(void)
{
	if (t_tmp[0] != '\0')
		(void)nftw(t_tmp, t_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	t_tmp[0] = '\0';
}

/* Make the test's directory under $TMPDIR (or /tmp); exits if it cannot. */
static inline const char *
t_tmpdir(void)
{
	const char	*base = getenv("TMPDIR");

	if (base == NULL || *base == '\0')
		base = "/tmp";
	snprintf(t_tmp, sizeof(t_tmp), "%s/parta-unit.XXXXXX", base);
	if (mkdtemp(t_tmp) == NULL) {
		perror(t_tmp);
		printf("Bail out! no temporary directory\n");
		exit(1);
	}
	atexit(t_tmp_cleanup);
	/* Expected failures log errors; keep the TAP output readable. */
	log_init("unit", LOG_LEVEL_WARN, 0);
	return t_tmp;
}

/* A new path name inside the test's directory; caller frees. */
static inline char *
t_path(const char *name)
{
	char	*p;

	if (asprintf(&p, "%s/%s", t_tmp, name) < 0)
		abort();
	return p;
}

/* Open (creating) the store "name" in the test's directory; exits on
 * failure, since no later check could mean anything. */
static inline struct store *
t_store(const char *name)
{
	struct store	*st;
	char		*path = t_path(name), *cause;

	if (store_open(path, &st, &cause) != 0) {
		printf("Bail out! store_open %s: %s\n", path, cause);
		exit(1);
	}
	free(path);
	return st;
}

/* The first column of the first row of sql, with param (NULL: none)
 * bound to its "?"; -1 when there is no row or the query fails. */
static inline int64_t
t_int(struct store *st, const char *sql, const char *param)
{
	sqlite3_stmt	*stmt;
	int64_t		 v = -1;

	if ((stmt = store_prepare(st, sql)) == NULL)
		return -1;
	if (param != NULL)
		store_bind_text(stmt, 1, param);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* How many of the changes u (NULL: the console) may see since seq since
 * name entity (NULL: any) and, unless uuid is NULL, the row uuid; -1 if
 * the log cannot be read. */
static inline int
t_changes(struct store *st, const struct user *u, int64_t since,
    const char *entity, const char *uuid)
{
	struct change	*v = NULL;
	size_t		 n = 0, i;
	int		 c = 0;

	if (changes_since(st, u, since, 100000, &v, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		c += (entity == NULL || strcmp(v[i].entity, entity) == 0) &&
		    (uuid == NULL || strcmp(v[i].uuid, uuid) == 0);
	changes_free(v);
	return c;
}

/* The change log's newest seq (changes_head()); -1 if it cannot be read. */
static inline int64_t
t_changes_head(struct store *st)
{
	int64_t	 h = -1;

	changes_head(st, &h);
	return h;
}

/* A new account of role (an enum role) with an empty profile and no
 * password; exits if it cannot be made.  Returns its id. */
static inline int64_t
t_user(struct store *st, const char *login, const char *name, int role)
{
	struct user_new	 n;
	const char	*bad;
	int64_t		 id = 0;

	memset(&n, 0, sizeof(n));
	n.login = login;
	n.display_name = name;
	n.school = n.subjects = "";
	n.role = (enum role)role;
	n.lang = "ru";
	if (user_create(st, &n, &id, &bad) != 0) {
		printf("Bail out! cannot create the account %s\n", login);
		exit(1);
	}
	return id;
}

/* The same, as a struct user the caller frees with user_free(). */
static inline struct user *
t_user_get(struct store *st, const char *login, const char *name, int role)
{
	struct user	*u = NULL;

	if (user_get_by_id(st, t_user(st, login, name, role), &u) != 0) {
		printf("Bail out! cannot read the account %s\n", login);
		exit(1);
	}
	return u;
}

#endif
