/*
 * test-online.c: the "who" list.  Rows are keyed by session pid; a row
 * whose process is gone (a crashed session) is neither listed nor kept.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "online.h"
#include "store.h"
#include "t.h"
#include "t-tmp.h"
#include "user.h"
#include "util.h"

static long long
rows(struct store *st)
{
	sqlite3_stmt	*stmt = store_prepare(st, "SELECT count(*) FROM live.online");
	long long	 n = -1;

	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

/* The pid of a child that has exited and been reaped: a dead session. */
static pid_t
dead_pid(void)
{
	pid_t	 pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

/*
 * The list in Russian order, read a page at a time as the UI does:
 * offset and limit count rows of that order.
 */
static void
test_pages(void)
{
	static const struct { const char *login, *name; } who[] = {
		{ "elka", "Ёлкина Ольга" }, { "abr", "Абрамова Инна" },
		{ "elena", "Елена Петрова" },
	};
	/* Live pids: this process, its parent, init (EPERM counts). */
	pid_t		 pids[] = { getpid(), getppid(), 1 };
	struct store	*st = t_store("pages.db");
	struct user_new	 nu = { .role = ROLE_TEACHER };
	struct online	*v = NULL;
	const char	*bad;
	int64_t		 id;
	size_t		 i, n = 0;

	for (i = 0; i < nitems(who); i++) {
		nu.login = who[i].login;
		nu.display_name = who[i].name;
		user_create(st, &nu, &id, &bad);
		online_enter(st, pids[i], id, "192.0.2.5");
	}
	T_INT(online_count(st, 0, &n), 0, "online_count");
	T_INT(n, 3, "... three sessions");
	T_INT(online_page(st, 0, 0, 2, &v, &n), 0, "the first page of two");
	T_OK(n == 2 && strcmp(v[0].login, "abr") == 0 &&
	    strcmp(v[1].login, "elena") == 0, "... А, then Е");
	online_list_free(v, n);
	T_INT(online_page(st, 0, 2, 2, &v, &n), 0, "the next page");
	T_OK(n == 1 && strcmp(v[0].login, "elka") == 0, "... Ё after Е, alone");
	online_list_free(v, n);
	T_INT(online_page(st, 0, 3, 2, &v, &n), 0, "past the end");
	T_INT(n, 0, "... no rows");
	online_list_free(v, n);
	for (i = 0; i < nitems(pids); i++)
		online_leave(st, pids[i]);
	store_close(st);
}

int
main(void)
{
	struct store	*st;
	struct online	*v = NULL;
	size_t		 n = 99;
	struct user_new	 nu = { .login = "anna", .display_name = "Петрова Анна",
	    .role = ROLE_TEACHER };
	const char	*bad;
	int64_t		 anna;
	pid_t		 me = getpid(), parent = getppid(), dead, live;
	int		 denied = -1, signalled = -1, up[2], st_live = 0;
	char		 c;
	struct store	*other = NULL;
	char		*cause = NULL;
	int64_t		 dv0 = -1, dv1 = -2;

	t_tmpdir();
	st = t_store("online.db");
	user_create(st, &nu, &anna, &bad);

	T_INT(online_list(st, 1, &v, &n), 0, "list with nobody online");
	T_INT(n, 0, "... is empty");
	online_list_free(v, n);

	/*
	 * Who is online is nobody's writing: entering, screens and leaving
	 * commit nothing to the store (whose every commit waits for the
	 * disk), as another connection's data_version shows.
	 */
	T_INT(store_open(store_path(st), &other, &cause), 0, "a second connection");
	T_INT(store_int(other, &dv0, "PRAGMA data_version", ""), 0, "its data_version");
	T_INT(online_enter(st, me, anna, "192.0.2.1"), 0, "anna enters");
	T_INT(online_doing(st, me, "читает доску math"), 0, "online_doing");
	T_INT(online_enter(st, parent, 0, "192.0.2.2"), 0, "a guest enters");
	T_INT(store_int(other, &dv1, "PRAGMA data_version", ""), 0, "again");
	T_OK(dv0 == dv1, "the store saw no commit");
	T_INT(online_list(other, 1, &v, &n), 0, "the other connection lists");
	T_INT(n, 2, "... both sessions");
	online_list_free(v, n);
	store_close(other);

	T_INT(online_list(st, 0, &v, &n), 0, "list without guests");
	T_INT(n, 1, "one logged-in session");
	if (n == 1) {
		const struct t_str_case	 f[] = {
			{ v[0].login, "anna", "its login" },
			{ v[0].display_name, "Петрова Анна", "its display name" },
			{ v[0].addr, "192.0.2.1", "its address" },
			{ v[0].doing, "читает доску math", "what it is doing" },
		};

		T_INT(v[0].pid, me, "its pid");
		t_strs(f, sizeof(f) / sizeof(f[0]));
		T_OK(v[0].started_at > 0, "started_at set");
	}
	online_list_free(v, n);

	T_INT(online_list(st, 1, &v, &n), 0, "list with guests");
	T_INT(n, 2, "two sessions");
	T_OK(n == 2 && ((v[0].pid == parent && strcmp(v[0].login, "") == 0) ||
	    (v[1].pid == parent && strcmp(v[1].login, "") == 0)),
	    "the guest is listed with an empty login");
	online_list_free(v, n);

	/* Entering again replaces the row, it does not add one. */
	T_INT(online_enter(st, me, anna, "192.0.2.9"), 0, "anna enters again");
	T_INT(rows(st), 2, "still two rows");

	/* A session that died without leaving. */
	dead = dead_pid();
	T_OK(kill(dead, 0) != 0, "the child %ld is gone", (long)dead);
	T_INT(online_enter(st, dead, anna, "192.0.2.3"), 0, "a row for a dead pid");
	T_INT(rows(st), 3, "three rows in the table");
	T_INT(online_list(st, 1, &v, &n), 0, "list");
	T_INT(n, 2, "the dead session is not listed");
	T_OK(n == 2 && v[0].pid != dead && v[1].pid != dead, "... by pid");
	online_list_free(v, n);
	T_INT(rows(st), 2, "... and its row was purged");

	/* A live child is listed while it lives. */
	live = fork();
	if (live == 0) {
		pause();
		_exit(0);
	}
	T_INT(online_enter(st, live, anna, "192.0.2.4"), 0, "a row for a live child");
	T_INT(online_list(st, 0, &v, &n), 0, "list");
	T_INT(n, 2, "the live child is listed");
	online_list_free(v, n);
	/* kick: the child is no partad (a stale row's pid reused). */
	T_INT(online_signal(st, anna, SIGUSR1, &signalled, &denied), 0,
	    "online_signal succeeds");
	T_INT(signalled, 0, "... and spares a process that is not partad");
	T_INT(denied, 0, "... and it is not denied either");
	T_INT(kill(live, 0), 0, "the child still lives");
	kill(live, SIGKILL);
	waitpid(live, NULL, 0);
	T_INT(online_list(st, 0, &v, &n), 0, "list after the child was killed");
	T_INT(n, 1, "the killed child is no longer listed");
	online_list_free(v, n);

	/* kick: a child that the kernel knows as partad is signalled. */
	T_INT(pipe(up), 0, "a pipe to hear the child is ready");
	live = fork();
	if (live == 0) {
		prctl(PR_SET_NAME, "partad");
		if (write(up[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	T_INT(read(up[0], &c, 1), 1, "the child calls itself partad");
	close(up[0]);
	close(up[1]);
	T_INT(online_enter(st, live, anna, "192.0.2.5"), 0, "its row");
	T_INT(online_signal(st, anna, SIGUSR1, &signalled, &denied), 0,
	    "online_signal succeeds");
	T_INT(signalled, 1, "... and counts the one session it signalled");
	T_INT(denied, 0, "... denied none");
	T_OK(waitpid(live, &st_live, 0) == live && WIFSIGNALED(st_live) &&
	    WTERMSIG(st_live) == SIGUSR1, "the session got SIGUSR1");
	T_INT(online_leave(st, live), 0, "its row goes");

	T_INT(online_leave(st, me), 0, "anna leaves");
	T_INT(online_leave(st, me), 0, "leaving twice is harmless");
	T_INT(online_list(st, 1, &v, &n), 0, "list");
	T_INT(n, 1, "only the guest is left");
	T_OK(n == 1 && v[0].pid == parent, "... the guest");
	online_list_free(v, n);
	T_INT(online_leave(st, parent), 0, "the guest leaves");
	T_INT(rows(st), 0, "the table is empty");
	online_list_free(NULL, 0);

	store_close(st);
	test_pages();
	return t_done();
}
