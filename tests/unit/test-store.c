/*
 * test-store.c: opening and migrating the store (WAL, foreign keys,
 * schema version), refusing a store from a newer program, transactions,
 * the online backup, and the change log the sync protocol will read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "board.h"
#include "perr.h"
#include "store-schema.h"
#include "store.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

/* The first column of the first row of sql on db, as a new string
 * ("(none)" when there is no row, "(error)" on failure). */
static char *
query_str(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*stmt;
	char		*s;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return strdup("(error)");
	if (sqlite3_step(stmt) == SQLITE_ROW)
		s = strdup(sqlite3_column_text(stmt, 0) != NULL ?
		    (const char *)sqlite3_column_text(stmt, 0) : "(null)");
	else
		s = strdup("(none)");
	sqlite3_finalize(stmt);
	return s;
}

static long long
query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*stmt;
	long long	 v = -999;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return -998;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static void
str_is(sqlite3 *db, const char *sql, const char *want, const char *what)
{
	char	*got = query_str(db, sql);

	T_STR(got, want, "%s", what);
	free(got);
}

static void
test_open(void)
{
	struct store	*st, *st2;
	struct stat	 sb;
	char		*path = t_path("open.db"), *cause = (char *)"junk";

	T_OK(stat(path, &sb) != 0, "no store file before store_open");
	T_INT(store_open(path, &st, &cause), 0, "store_open creates a store");
	T_OK(cause == NULL, "no cause on success");
	if (st == NULL) {
		free(path);
		return;
	}
	T_OK(stat(path, &sb) == 0 && S_ISREG(sb.st_mode), "the store file exists");
	T_INT(sb.st_mode & 077, 0, "the store file is private (it holds password hashes)");
	T_STR(store_path(st), path, "store_path");
	str_is(store_db(st), "PRAGMA journal_mode", "wal", "journal_mode is WAL");
	T_INT(query_int(store_db(st), "PRAGMA foreign_keys"), 1, "foreign_keys on");
	T_OK(query_int(store_db(st), "PRAGMA busy_timeout") >= 1000,
	    "a busy timeout is set");
	T_OK(store_nmigrations >= 1, "there is at least one migration");
	T_INT(query_int(store_db(st), "PRAGMA user_version"), store_nmigrations,
	    "user_version equals the number of migrations");
	T_INT(query_int(store_db(st), "SELECT count(*) FROM sqlite_master WHERE"
	    " type = 'table' AND name IN ('users', 'user_keys', 'online',"
	    " 'auth_failures', 'auth_blocks', 'audit', 'boards', 'changes')"), 8,
	    "the tables of this issue exist");
	str_is(store_db(st), "PRAGMA integrity_check", "ok", "integrity_check ok");

	/* Foreign keys are enforced, not merely declared. */
	T_INT(store_exec(st, "INSERT INTO user_keys(user_id, type, blob,"
	    " fingerprint, added_at) VALUES (4242, 't', 'b', 'f', 0)"), PERR_DB,
	    "a key for a user who does not exist is refused");

	T_INT(board_add(st, "math", "Математика", "", "console"), 0,
	    "board_add on the new store");
	{
		char	*wal = xasprintf("%s-wal", path);
		T_OK(stat(wal, &sb) == 0 && (sb.st_mode & 077) == 0,
		    "the WAL file, made after store_open, is private too");
		free(wal);
	}
	store_close(st);

	/* Reopening migrates nothing and loses nothing. */
	T_INT(store_open(path, &st, &cause), 0, "reopen");
	if (st != NULL) {
		T_INT(query_int(store_db(st), "PRAGMA user_version"), store_nmigrations,
		    "user_version unchanged by reopening");
		T_INT(query_int(store_db(st), "SELECT count(*) FROM boards"), 1,
		    "the board survived reopening");
		str_is(store_db(st), "SELECT title FROM boards", "Математика",
		    "Cyrillic title stored as given");
		/* Two connections at once, as two session processes have. */
		T_INT(store_open(path, &st2, &cause), 0, "a second connection opens");
		if (st2 != NULL) {
			T_INT(board_add(st2, "bio", "Биология", "", "console"), 0,
			    "the second connection writes");
			T_INT(query_int(store_db(st), "SELECT count(*) FROM boards"), 2,
			    "the first connection sees the write");
		}
		store_close(st2);
	}
	store_close(st);
	store_close(NULL);
	free(path);
}

static void
test_open_refused(void)
{
	struct store	*st = (struct store *)1;
	sqlite3		*db;
	char		*path = t_path("newer.db"), *cause = NULL, *sql;
	FILE		*fp;

	/* A store written by a newer parta. */
	sqlite3_open(path, &db);
	sql = xasprintf("PRAGMA user_version = %d", store_nmigrations + 1);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_exec(db, "CREATE TABLE future (x)", NULL, NULL, NULL);
	free(sql);
	sqlite3_close(db);
	T_INT(store_open(path, &st, &cause), -1, "a store with a newer schema is refused");
	T_OK(st == NULL, "... and *out is NULL");
	T_OK(cause != NULL && strstr(cause, "newer") != NULL && strstr(cause, path),
	    "... with a message naming the file and saying why");
	if (cause != NULL)
		printf("#   %s\n", cause);
	free(cause);
	sqlite3_open(path, &db);
	T_INT(query_int(db, "PRAGMA user_version"), store_nmigrations + 1,
	    "the refused store is left as it was");
	T_INT(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'users'"),
	    0, "... no tables were added to it");
	sqlite3_close(db);
	free(path);

	path = t_path("not-a-db");
	fp = fopen(path, "w");
	fputs("this is a text file, not SQLite, and long enough to have a header\n"
	    "0123456789012345678901234567890123456789012345678901234567890123\n", fp);
	fclose(fp);
	T_INT(store_open(path, &st, &cause), -1, "a file that is not SQLite is refused");
	T_OK(cause != NULL, "... with a cause");
	if (cause != NULL)
		printf("#   %s\n", cause);
	free(cause);
	free(path);

	path = t_path("no/such/dir/x.db");
	T_INT(store_open(path, &st, &cause), -1, "a store in a missing directory is refused");
	T_OK(cause != NULL && st == NULL, "... with a cause and no store");
	free(cause);
	free(path);
}

static void
test_transactions(void)
{
	struct store	*st = t_store("tx.db");
	sqlite3_stmt	*stmt;
	char		*s;

	T_INT(store_begin(st), 0, "store_begin");
	T_INT(store_begin(st), PERR_DB, "a nested store_begin fails");
	T_INT(store_exec(st, "INSERT INTO audit(at, actor, action) VALUES (1, 'a', 'x')"),
	    0, "insert inside a transaction");
	store_rollback(st);
	T_INT(query_int(store_db(st), "SELECT count(*) FROM audit"), 0,
	    "store_rollback undoes the insert");
	store_rollback(st);
	T_OK(1, "store_rollback with no transaction open is harmless");
	T_INT(store_commit(st), PERR_DB, "store_commit with no transaction fails");
	T_INT(store_begin(st), 0, "store_begin again");
	T_INT(store_exec(st, "INSERT INTO audit(at, actor, action) VALUES (2, 'b', 'y')"),
	    0, "insert");
	T_INT(store_commit(st), 0, "store_commit");
	T_INT(query_int(store_db(st), "SELECT count(*) FROM audit"), 1,
	    "the committed row is there");
	T_INT(store_exec(st, "SELEKT 1"), PERR_DB, "store_exec of bad SQL is PERR_DB");
	T_OK(store_prepare(st, "SELECT nonsense FROM nowhere") == NULL,
	    "store_prepare of bad SQL is NULL");

	stmt = store_prepare(st, "SELECT ?, ?");
	T_OK(stmt != NULL, "store_prepare");
	store_bind_text(stmt, 1, NULL);
	store_bind_text(stmt, 2, "Ёж");
	T_INT(sqlite3_step(stmt), SQLITE_ROW, "step");
	T_INT(sqlite3_column_type(stmt, 0), SQLITE_NULL, "store_bind_text(NULL) binds NULL");
	s = store_column_dup(stmt, 0);
	T_STR(s, "", "store_column_dup of NULL is \"\"");
	free(s);
	s = store_column_dup(stmt, 1);
	T_STR(s, "Ёж", "store_column_dup copies text");
	free(s);
	sqlite3_finalize(stmt);
	store_close(st);
}

static void
test_backup(void)
{
	struct store	*st = t_store("live.db"), *copy;
	sqlite3		*db;
	char		*dest = t_path("backup.db"), *cause = NULL, *buf;
	char		*exists = t_path("precious.db");
	FILE		*fp;
	struct stat	 sb;
	size_t		 n;

	board_add(st, "math", "Математика", "Алгебра и геометрия", "console");
	board_add(st, "rus", "Русский язык", "", "console");
	board_add(st, "tat", "Татар теле", "Әнкәм өйдә", "console");

	T_INT(store_backup(st, dest, &cause), 0, "store_backup to a new file");
	T_OK(cause == NULL, "no cause on success");
	free(cause);
	T_OK(sqlite3_open_v2(dest, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK,
	    "the copy opens read-only with plain SQLite");
	T_INT(query_int(db, "SELECT count(*) FROM boards"), 3, "the copy has the boards");
	str_is(db, "SELECT group_concat(name || '=' || title || '=' || description, ';')"
	    " FROM (SELECT * FROM boards ORDER BY id)",
	    "math=Математика=Алгебра и геометрия;rus=Русский язык=;tat=Татар теле=Әнкәм өйдә",
	    "the copy has the same rows");
	T_INT(query_int(db, "SELECT count(*) FROM changes"),
	    query_int(store_db(st), "SELECT count(*) FROM changes"),
	    "the copy has the same change log");
	T_INT(query_int(db, "PRAGMA user_version"), store_nmigrations,
	    "the copy has the schema version");
	str_is(db, "PRAGMA integrity_check", "ok", "the copy passes integrity_check");
	sqlite3_close(db);
	T_INT(store_open(dest, &copy, &cause), 0, "the copy opens as a store");
	free(cause);
	store_close(copy);

	/* Refuses to overwrite, and leaves the file alone. */
	fp = fopen(exists, "w");
	fputs("do not overwrite me", fp);
	fclose(fp);
	T_INT(store_backup(st, exists, &cause), -1, "store_backup refuses an existing file");
	T_OK(cause != NULL && strstr(cause, "exists") != NULL, "... saying it exists");
	free(cause);
	buf = calloc(1, 64);
	n = 0;
	if ((fp = fopen(exists, "r")) != NULL) {
		n = fread(buf, 1, 63, fp);
		fclose(fp);
	}
	T_OK(n == 19 && strcmp(buf, "do not overwrite me") == 0,
	    "the existing file is unchanged");
	free(buf);
	T_INT(store_backup(st, dest, &cause), -1, "store_backup refuses its own earlier copy");
	free(cause);

	free(dest);
	dest = t_path("missing-dir/backup.db");
	T_INT(store_backup(st, dest, &cause), -1, "store_backup into a missing directory fails");
	T_OK(cause != NULL, "... with a cause");
	T_OK(stat(dest, &sb) != 0, "... and leaves no file");
	free(cause);
	free(dest);
	free(exists);
	store_close(st);
}

/* The change log: every board insert leaves a row, seq only grows. */
static void
test_changes(void)
{
	struct store	*st = t_store("changes.db");
	sqlite3		*db = store_db(st);
	long long	 s1, s2, s3, s4, base;

	base = query_int(db, "SELECT coalesce(max(seq), 0) FROM changes");
	T_INT(board_add(st, "math", "Математика", "", "console"), 0, "board_add math");
	s1 = query_int(db, "SELECT max(seq) FROM changes");
	T_OK(s1 > base, "board_add wrote a change row (seq %lld)", s1);
	str_is(db, "SELECT entity || ' ' || op FROM changes ORDER BY seq DESC LIMIT 1",
	    "board insert", "the change is a board insert");
	T_INT(query_int(db, "SELECT count(*) FROM changes c JOIN boards b"
	    " ON b.uuid = c.uuid WHERE b.name = 'math' AND c.entity = 'board'"), 1,
	    "the change row carries the board's uuid");
	T_INT(query_int(db, "SELECT length(uuid) FROM boards WHERE name = 'math'"), 36,
	    "the board has a 36-character uuid");
	T_OK(query_int(db, "SELECT at FROM changes ORDER BY seq DESC LIMIT 1") > 1600000000,
	    "the change row has a time");

	T_INT(board_add(st, "bio", "Биология", "", "console"), 0, "board_add bio");
	s2 = query_int(db, "SELECT max(seq) FROM changes");
	T_OK(s2 > s1, "seq increases (%lld > %lld)", s2, s1);

	T_INT(board_add(st, "bad name", "x", "", "console"), PERR_BOARD_NAME,
	    "a refused board");
	T_INT(query_int(db, "SELECT max(seq) FROM changes"), s2,
	    "a refused board leaves no change row");

	T_INT(store_exec(st, "UPDATE boards SET title = 'Биология 5-9' WHERE name = 'bio'"),
	    0, "update a board");
	s3 = query_int(db, "SELECT max(seq) FROM changes");
	T_OK(s3 > s2, "an update adds a change row");
	str_is(db, "SELECT op FROM changes WHERE seq = (SELECT max(seq) FROM changes)",
	    "update", "... marked update");

	/* seq is never reused, even when the newest change row is gone. */
	T_INT(store_exec(st, "DELETE FROM changes WHERE seq = (SELECT max(seq) FROM changes)"),
	    0, "drop the newest change row");
	T_INT(board_add(st, "geo", "География", "", "console"), 0, "board_add geo");
	s4 = query_int(db, "SELECT max(seq) FROM changes");
	T_OK(s4 > s3, "seq is not reused after a delete (%lld > %lld)", s4, s3);
	T_INT(query_int(db, "SELECT count(*) FROM audit WHERE action = 'board add'"), 3,
	    "each board_add is audited");
	store_close(st);
}

int
main(void)
{
	t_tmpdir();
	test_open();
	test_open_refused();
	test_transactions();
	test_backup();
	test_changes();
	return t_done();
}
