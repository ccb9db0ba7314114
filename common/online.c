/*
 * online.c: the "who" list.  partad and parta-sysop run on one host, so
 * kill(pid, 0) tells whether a row's process still lives.
 *
 * The rows are not in the store: they live in the file beside it whose
 * name adds "-online" to the store's (parta.db-online), attached to the
 * store's connection as "live" on first use.  Who is online and what they are doing is nobody's writing, yet
 * each screen a teacher opens updates it; in the store, whose
 * synchronous = FULL makes every commit wait for an fsync of the log,
 * every keystroke that opened a screen would wait for the disk and hold
 * the store's one write lock meanwhile.  parta.db-online is a WAL database
 * of its own with synchronous = OFF: a commit there is a write to the page
 * cache.  A power cut may lose or tear it; partad empties it when it
 * starts (online_reset), and every row it had then was of a process
 * gone.  It is never backed up, and no foreign key can reach the
 * store's users, so a row names its user by id and the reader joins
 * main.users.
 *
 * The list is read a page at a time in the order of an index (the
 * display name's collate_key, taken when the row is made; then the
 * start, then the pid): a thousand sessions are a thousand rows, and a
 * session that opens the list reads only the rows its screen shows.
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

/* Attach STORE-online (made if missing) unless this connection has it. */
static int
online_attach(struct store *st)
{
	sqlite3		*db = store_db(st);
	char		*file;
	int		 rc = 0, keep = 1;

	if (sqlite3_db_filename(db, "live") != NULL)
		return 0;
	file = xasprintf("%s-online", store_path(st));
	rc = store_write(st, NULL, "ATTACH DATABASE ? AS live", "t", file);
	free(file);
	if (rc != 0)
		return rc;
	/*
	 * Keep its -wal and -shm, as the store keeps its own: made by
	 * partad as its user when it starts, they stay that user's, and a
	 * parta-sysop run as root while no session is open makes none that
	 * partad's user could not open.
	 */
	(void)sqlite3_file_control(db, "live", SQLITE_FCNTL_PERSIST_WAL, &keep);
	/*
	 * A few pages of cache, set before the first read makes it: SQLite
	 * allocates up to 20 pages at once for a new cache, 80 kB in every
	 * process of every session for a table of a few pages.
	 */
	if (store_exec(st, "PRAGMA live.cache_size = 8") != 0 ||
	    store_exec(st, "PRAGMA live.journal_mode = WAL") != 0 ||
	    store_exec(st, "PRAGMA live.synchronous = OFF") != 0 ||
	    store_exec(st, "CREATE TABLE IF NOT EXISTS live.online ("
	    "  pid        INTEGER PRIMARY KEY,"
	    "  user_id    INTEGER,"		/* main.users(id); NULL: a guest */
	    "  addr       TEXT NOT NULL,"
	    "  started_at INTEGER NOT NULL,"
	    "  doing      TEXT NOT NULL DEFAULT '',"
	    "  sort_key   BLOB"		/* ru_key(display_name) */
	    ")") != 0 ||
	    store_exec(st, "CREATE INDEX IF NOT EXISTS live.online_order"
	    " ON online(sort_key, started_at)") != 0 ||
	    /* Who is in a chat room (online_in), read once a second by
	     * everyone in one. */
	    store_exec(st, "CREATE INDEX IF NOT EXISTS live.online_doing"
	    " ON online(doing, sort_key)") != 0) {
		(void)store_exec(st, "DETACH DATABASE live");
		return PERR_DB;
	}
	return 0;
}

int
online_reset(struct store *st)
{
	int	 rc;

	if ((rc = online_attach(st)) != 0)
		return rc;
	return store_exec(st, "DELETE FROM live.online") != 0 ? PERR_DB : 0;
}

static int
pid_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

int
online_enter(struct store *st, pid_t pid, int64_t user_id, const char *addr)
{
	int	 rc;

	if ((rc = online_attach(st)) != 0)
		return rc;
	/* A user_id of 0 or less is a guest's: NULL. */
	return store_write(st, NULL, "INSERT OR REPLACE INTO live.online(pid,"
	    " user_id, addr, started_at, sort_key) VALUES (?1,"
	    " CASE WHEN ?2 > 0 THEN ?2 END, ?3, ?4,"
	    " (SELECT ru_key(display_name) FROM main.users WHERE id = ?2))",
	    "iiti", (int64_t)pid, user_id, addr, now_unix());
}

int
online_doing(struct store *st, pid_t pid, const char *what)
{
	int	 rc;

	if ((rc = online_attach(st)) != 0)
		return rc;
	return store_write(st, NULL,
	    "UPDATE live.online SET doing = ?1 WHERE pid = ?2",
	    "ti", what, (int64_t)pid);
}

int
online_leave(struct store *st, pid_t pid)
{
	int	 rc;

	if ((rc = online_attach(st)) != 0)
		return rc;
	return store_write(st, NULL, "DELETE FROM live.online WHERE pid = ?1",
	    "i", (int64_t)pid);
}

int
online_count(struct store *st, int guests, size_t *n)
{
	int64_t	 v;
	int	 rc;

	*n = 0;
	if ((rc = online_attach(st)) != 0)
		return rc;
	if ((rc = store_int(st, &v, "SELECT count(*) FROM live.online"
	    " WHERE ?1 OR user_id IS NOT NULL", "i", (int64_t)guests)) != 0)
		return rc;
	*n = (size_t)v;
	return 0;
}

STORE_ROWTYPE(online_rows, struct online,
	STORE_COL(INT, struct online, pid),
	STORE_COL(TEXT, struct online, login),
	STORE_COL(TEXT, struct online, display_name),
	STORE_COL(TEXT, struct online, addr),
	STORE_COL(I64, struct online, started_at),
	STORE_COL(TEXT, struct online, doing));
_Static_assert(sizeof(pid_t) == sizeof(int), "a pid is read as STORE_INT");

/* online_page(), of the sessions doing doing (NULL: any). */
static int
online_select(struct store *st, int guests, const char *doing,
    size_t offset, size_t limit, struct online **out, size_t *n)
{
	sqlite3_stmt	*stmt;
	struct online	*v;
	size_t		 nv, i;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((rc = online_attach(st)) != 0)
		return rc;
	stmt = store_stmt(st, "SELECT o.pid, coalesce(u.login, ''),"
	    " coalesce(u.display_name, ''), o.addr, o.started_at, o.doing"
	    " FROM live.online o LEFT JOIN main.users u ON u.id = o.user_id"
	    " WHERE (?1 OR o.user_id IS NOT NULL) AND (?4 IS NULL OR"
	    " o.doing = ?4) ORDER BY o.sort_key, o.started_at, o.pid"
	    " LIMIT ?2 OFFSET ?3", "iiit", (int64_t)guests,
	    limit == 0 ? (int64_t)-1 : (int64_t)limit, (int64_t)offset, doing);
	if ((rc = store_rows(st, stmt, &online_rows, &v, &nv,
	    "online list")) != 0)
		return rc;
	/* A crashed session's row goes now; a user deleted while online
	 * is not listed. */
	for (i = 0; i < nv; i++) {
		if (!pid_alive(v[i].pid))
			(void)online_leave(st, v[i].pid);
		else if (guests || *v[i].login != '\0') {
			v[(*n)++] = v[i];
			continue;
		}
		store_row_clear(&online_rows, &v[i]);
	}
	if (*n == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	return 0;
}

int
online_page(struct store *st, int guests, size_t offset, size_t limit,
    struct online **out, size_t *n)
{
	return online_select(st, guests, NULL, offset, limit, out, n);
}

int
online_in(struct store *st, const char *doing, size_t limit,
    struct online **out, size_t *n)
{
	return online_select(st, 0, doing, 0, limit, out, n);
}

int
online_list(struct store *st, int guests, struct online **out, size_t *n)
{
	return online_page(st, guests, 0, 0, out, n);
}

void
online_list_free(struct online *v, size_t n)
{
	store_rows_free(&online_rows, v, n);
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
online_signal(struct store *st, int64_t user_id, int sig, int *signalled,
    int *denied)
{
	sqlite3_stmt	*stmt;
	pid_t		 pid;
	int		 rc, step;

	*signalled = 0;
	*denied = 0;
	if ((rc = online_attach(st)) != 0)
		return rc;
	stmt = store_prepare(st, "SELECT pid FROM live.online WHERE user_id = ?");
	if (stmt == NULL)
		return PERR_DB;
	sqlite3_bind_int64(stmt, 1, user_id);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		pid = (pid_t)sqlite3_column_int64(stmt, 0);
		/* Never a process group or everyone, never a stranger. */
		if (pid <= 1 || !online_is_partad(pid))
			continue;
		if (kill(pid, sig) == 0)
			(*signalled)++;
		else if (errno == EPERM)
			(*denied)++;
	}
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE)
		return store_fail(st, "online signal");
	return 0;
}
