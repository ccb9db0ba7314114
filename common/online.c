/*
 * online.c: the "who" list.  partad and parta-sysop run on one host, so
 * kill(pid, 0) tells whether a row's process still lives.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "online.h"
#include "perr.h"
#include "store.h"
#include "util.h"

static int
pid_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

int
online_enter(struct store *st, pid_t pid, int64_t user_id, const char *addr)
{
	sqlite3_stmt	*stmt;
	int		 rc = 0;

	stmt = store_prepare(st, "INSERT OR REPLACE INTO online(pid, user_id,"
	    " addr, started_at) VALUES (?, ?, ?, ?)");
	if (stmt == NULL)
		return PERR_DB;
	sqlite3_bind_int64(stmt, 1, pid);
	if (user_id > 0)
		sqlite3_bind_int64(stmt, 2, user_id);
	else
		sqlite3_bind_null(stmt, 2);
	store_bind_text(stmt, 3, addr);
	sqlite3_bind_int64(stmt, 4, now_unix());
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = store_fail(st, "online enter");
	sqlite3_finalize(stmt);
	return rc;
}

int
online_doing(struct store *st, pid_t pid, const char *what)
{
	sqlite3_stmt	*stmt;
	int		 rc = 0;

	stmt = store_prepare(st, "UPDATE online SET doing = ? WHERE pid = ?");
	if (stmt == NULL)
		return PERR_DB;
	store_bind_text(stmt, 1, what);
	sqlite3_bind_int64(stmt, 2, pid);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = store_fail(st, "online doing");
	sqlite3_finalize(stmt);
	return rc;
}

int
online_leave(struct store *st, pid_t pid)
{
	sqlite3_stmt	*stmt;
	int		 rc = 0;

	stmt = store_prepare(st, "DELETE FROM online WHERE pid = ?");
	if (stmt == NULL)
		return PERR_DB;
	sqlite3_bind_int64(stmt, 1, pid);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		rc = store_fail(st, "online leave");
	sqlite3_finalize(stmt);
	return rc;
}

int
online_list(struct store *st, int guests, struct online **out, size_t *n)
{
	sqlite3_stmt	*stmt;
	struct online	*v = NULL;
	pid_t		*dead = NULL;
	size_t		 cap = 0, ndead = 0, i;
	pid_t		 pid;
	int		 step;

	*out = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT o.pid, coalesce(u.login, ''),"
	    " coalesce(u.display_name, ''), o.addr, o.started_at, o.doing"
	    " FROM online o LEFT JOIN users u ON u.id = o.user_id"
	    " ORDER BY coalesce(u.display_name, '') COLLATE RU, o.started_at,"
	    " o.pid");
	if (stmt == NULL)
		return PERR_DB;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		pid = (pid_t)sqlite3_column_int64(stmt, 0);
		if (!pid_alive(pid)) {
			/* A crashed session; its row goes after this read. */
			dead = xrealloc(dead, (ndead + 1) * sizeof(*dead));
			dead[ndead++] = pid;
			continue;
		}
		if (!guests && sqlite3_column_bytes(stmt, 1) == 0)
			continue;
		if (*n == cap)
			v = xrealloc(v, (cap = cap ? cap * 2 : 8) * sizeof(*v));
		v[*n].pid = pid;
		v[*n].login = store_column_dup(stmt, 1);
		v[*n].display_name = store_column_dup(stmt, 2);
		v[*n].addr = store_column_dup(stmt, 3);
		v[*n].started_at = sqlite3_column_int64(stmt, 4);
		v[*n].doing = store_column_dup(stmt, 5);
		(*n)++;
	}
	sqlite3_finalize(stmt);
	for (i = 0; i < ndead; i++)
		(void)online_leave(st, dead[i]);
	free(dead);
	*out = v;
	if (step != SQLITE_DONE) {
		online_list_free(v, *n);
		*out = NULL;
		*n = 0;
		return store_fail(st, "online list");
	}
	return 0;
}

void
online_list_free(struct online *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].login);
		free(v[i].display_name);
		free(v[i].addr);
		free(v[i].doing);
	}
	free(v);
}

/*
 * 1 if pid is a partad process.  A row outlives a crashed session and its
 * pid may belong to anything by now; SIGUSR1 would end whatever it is.
 * Session processes are forks of partad, never exec'd, so the kernel
 * knows them by that name.
 */
static int
online_is_partad(pid_t pid)
{
	char	 path[64], comm[32];
	FILE	*fp;
	int	 ok = 0;

	snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(comm, sizeof(comm), fp) != NULL)
		ok = strncmp(comm, "partad\n", 7) == 0;
	fclose(fp);
	return ok;
}

int
online_signal(struct store *st, int64_t user_id, int sig, int *denied)
{
	sqlite3_stmt	*stmt;
	pid_t		 pid;
	int		 n = 0, step;

	*denied = 0;
	stmt = store_prepare(st, "SELECT pid FROM online WHERE user_id = ?");
	if (stmt == NULL)
		return PERR_DB;
	sqlite3_bind_int64(stmt, 1, user_id);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		pid = (pid_t)sqlite3_column_int64(stmt, 0);
		/* Never a process group or everyone, never a stranger. */
		if (pid <= 1 || !online_is_partad(pid))
			continue;
		if (kill(pid, sig) == 0)
			n++;
		else if (errno == EPERM)
			(*denied)++;
	}
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE)
		return store_fail(st, "online signal");
	return n;
}
