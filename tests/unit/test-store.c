/*
 * test-store.c: opening and migrating the store (WAL, foreign keys,
 * schema version), refusing a store from a newer program, transactions,
 * the online backup, and the change log the sync protocol will read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "board.h"
#include "collate.h"
#include "mail.h"
#include "confusable.h"
#include "perr.h"
#include "search.h"
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

static void
test_helpers(void)
{
	struct store	*st = t_store("helpers.db");
	sqlite3_stmt	*stmt;
	char		*text;
	int64_t		 v = -1;
	int		 changes = -1;

	T_INT(store_write(st, &changes, "INSERT INTO audit(at, actor, action, detail)"
	    " VALUES (?1, ?2, ?3, ?4)", "ittt", (int64_t)7, "console", "Проверка",
	    "подробно"), 0, "store_write inserts with bound values");
	T_INT(changes, 1, "... one row changed");
	T_INT(store_int(st, &v, "SELECT at FROM audit WHERE action = ?1", "t",
	    "Проверка"), 0, "store_int finds it");
	T_INT(v, 7, "... with its value");
	T_INT(store_int(st, &v, "SELECT ?1 IS NULL AND ?2 IS NULL", "nt",
	    (const char *)NULL), 0, "'n' binds NULL, and so does 't' of NULL");
	T_INT(v, 1, "... both are NULL");
	T_INT(store_int(st, &v, "SELECT at FROM audit WHERE action = ?1", "t",
	    "нет такого"), PERR_NOTFOUND, "store_int with no row is PERR_NOTFOUND");
	T_INT(store_text(st, &text, "SELECT detail FROM audit WHERE at = ?1",
	    "i", (int64_t)7), 0, "store_text finds a text");
	T_STR(text, "подробно", "... a copy of it");
	free(text);
	T_INT(store_text(st, &text, "SELECT NULL", ""), 0, "store_text of NULL");
	T_STR(text, "", "... is \"\"");
	free(text);
	T_OK(store_text(st, &text, "SELECT 1 WHERE 0", "") == PERR_NOTFOUND &&
	    text == NULL, "store_text with no row: PERR_NOTFOUND, NULL");
	T_INT(store_write(st, &changes, "UPDATE audit SET at = ?1 WHERE at = ?2",
	    "ii", (int64_t)8, (int64_t)7), 0, "store_write updates");
	T_INT(changes, 1, "... and says how many rows");
	T_INT(board_add(st, "math", "Математика", "", "console"), 0, "a board");
	T_INT(store_write(st, NULL, "INSERT INTO boards(uuid, name, title, position,"
	    " created_at) SELECT ?1, name, title, 9, 0 FROM boards", "t",
	    "00000000-0000-4000-8000-00000000000f"), PERR_EXISTS,
	    "a UNIQUE conflict is PERR_EXISTS");
	T_INT(store_write(st, NULL, "SELEKT", ""), PERR_DB, "bad SQL is PERR_DB");
	T_INT(store_write(st, NULL, "SELECT ?1", "x", (int64_t)1), PERR_DB,
	    "an unknown type letter is refused");
	stmt = store_stmt(st, "SELECT ?1 || ?2", "tt", "Ёж", "ик");
	T_OK(stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW, "store_stmt");
	if (stmt != NULL)
		T_STR((const char *)sqlite3_column_text(stmt, 0), "Ёжик",
		    "... binds and runs");
	sqlite3_finalize(stmt);
	store_close(st);
}

/* A row in audit with this action, counted on st's own connection. */
static long long
audit_count(struct store *st, const char *action)
{
	char		*sql = xasprintf("SELECT count(*) FROM audit WHERE action = '%s'",
			    action);
	long long	 n = query_int(store_db(st), sql);

	free(sql);
	return n;
}

/* What a module function does: its own transaction, which fails after
 * writing when fail is set. */
static int
inner_write(struct store *st, const char *action, int fail)
{
	char	*sql;
	int	 rc;

	if ((rc = store_begin(st)) != 0)
		return rc;
	sql = xasprintf("INSERT INTO audit(at, actor, action) VALUES (1, 'in', '%s')",
	    action);
	rc = store_exec(st, sql);
	free(sql);
	if (rc == 0 && fail)
		rc = store_exec(st, "INSERT INTO user_keys(user_id, type, blob,"
		    " fingerprint, added_at) VALUES (4242, 't', 'b', 'f', 0)");
	return store_end(st, rc);
}

static void
test_nested(void)
{
	struct store	*st = t_store("nested.db"), *other;
	char		*path = t_path("nested.db"), *cause = NULL;

	T_INT(store_begin(st), 0, "the caller begins");
	T_INT(store_exec(st, "INSERT INTO audit(at, actor, action) VALUES (1, 'out', 'outer')"),
	    0, "the caller writes");
	T_INT(store_depth(st), 1, "one level open");
	T_INT(inner_write(st, "inner-bad", 1), PERR_DB,
	    "an inner transaction fails (a foreign key) after writing");
	T_INT(store_depth(st), 1, "... and only its own level is gone");
	T_INT(audit_count(st, "inner-bad"), 0, "the inner write is undone");
	T_INT(audit_count(st, "outer"), 1, "the caller's write is still there");
	T_INT(inner_write(st, "inner-good", 0), 0, "a second inner transaction commits");
	T_INT(store_depth(st), 1, "... into the caller's");
	/* Nothing is visible to another connection before the outer COMMIT. */
	T_INT(store_open(path, &other, &cause), 0, "another connection");
	T_INT(audit_count(other, "inner-good"), 0,
	    "an inner commit is not visible outside before the caller commits");
	T_INT(store_commit(st), 0, "the caller commits");
	T_INT(store_depth(st), 0, "no level open");
	T_INT(audit_count(other, "inner-good"), 1, "the inner write is committed with it");
	T_INT(audit_count(other, "outer"), 1, "and the caller's");
	T_INT(audit_count(other, "inner-bad"), 0, "and not the failed one");

	/* A caller that rolls back takes the inner commit with it. */
	T_INT(store_begin(st), 0, "begin");
	T_INT(inner_write(st, "inner-undone", 0), 0, "an inner commit");
	store_rollback(st);
	T_INT(audit_count(other, "inner-undone"), 0, "the caller's rollback undoes it");
	T_INT(store_depth(st), 0, "no level open after the rollback");

	/* Three deep: the middle fails, the outermost stays. */
	T_INT(store_begin(st), 0, "level 1");
	T_INT(store_begin(st), 0, "level 2");
	T_INT(store_exec(st, "INSERT INTO audit(at, actor, action) VALUES (1, 'm', 'mid')"),
	    0, "level 2 writes");
	T_INT(inner_write(st, "deep", 0), 0, "level 3 commits into level 2");
	store_rollback(st);
	T_INT(store_depth(st), 1, "level 2 rolled back");
	T_INT(audit_count(st, "deep") + audit_count(st, "mid"), 0,
	    "levels 2 and 3 are undone");
	T_INT(store_commit(st), 0, "level 1 commits");

	/* The modules' own functions, refused before their transaction
	 * (no such user), leave the caller's alone. */
	T_INT(store_begin(st), 0, "begin");
	T_INT(store_exec(st, "INSERT INTO audit(at, actor, action) VALUES (1, 'o', 'keep')"),
	    0, "the caller writes");
	T_INT(mail_send(st, 0, "nobody", "Тема", "Текст", 0, NULL), PERR_NO_USER,
	    "mail_send to nobody inside it is refused");
	T_INT(board_add(st, "math", "Математика", "", "console"), 0,
	    "board_add inside it");
	T_INT(board_add(st, "math", "Математика", "", "console"), PERR_EXISTS,
	    "a second board_add of the same name fails inside it");
	T_INT(store_depth(st), 1, "the caller's level is still open");
	T_INT(store_commit(st), 0, "the caller commits");
	T_INT(audit_count(other, "keep"), 1, "the caller's write is there");
	T_INT(query_int(store_db(other), "SELECT count(*) FROM boards WHERE name = 'math'"),
	    1, "and the board of the inner call that succeeded");

	/* A full store (max_page_count stands in for a full disk): the
	 * inner write fails with PERR_FULL, the caller's stays. */
	T_INT(store_begin(st), 0, "begin");
	T_INT(store_exec(st, "INSERT INTO audit(at, actor, action) VALUES (1, 'o', 'before-full')"),
	    0, "the caller writes");
	T_INT(store_exec(st, "PRAGMA max_page_count = 1"), 0, "the store may grow no more");
	T_INT(store_begin(st), 0, "an inner level");
	T_INT(store_exec(st, "INSERT INTO audit(at, actor, action, detail)"
	    " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
	    " SELECT 1, 'in', 'full', printf('%0900d', i) FROM n"),
	    PERR_FULL, "a write that does not fit is PERR_FULL");
	store_rollback(st);
	T_INT(store_depth(st), 1, "the inner level is gone, the caller's is open");
	T_INT(store_exec(st, "PRAGMA max_page_count = 1073741823"), 0, "room again");
	T_INT(store_commit(st), 0, "the caller commits");
	T_INT(audit_count(other, "before-full"), 1, "with its own write");
	T_INT(audit_count(other, "full"), 0, "and none of the refused one");

	/* SQLite ends the whole transaction itself on some errors (an I/O
	 * error, a full disk at COMMIT); a ROLLBACK behind the store's back
	 * does the same.  The caller carrying on must not write outside any
	 * transaction, and no level may commit. */
	T_INT(store_begin(st), 0, "level 1");
	T_INT(store_begin(st), 0, "level 2");
	sqlite3_exec(store_db(st), "ROLLBACK", NULL, NULL, NULL);
	T_INT(store_exec(st, "INSERT INTO audit(at, actor, action) VALUES (1, 'x', 'escaped')"),
	    PERR_DB, "a statement after the transaction was lost is refused");
	T_OK(store_prepare(st, "SELECT 1") == NULL, "... store_prepare too");
	T_INT(store_begin(st), PERR_DB, "... and a new inner level");
	T_INT(store_commit(st), PERR_DB, "level 2 cannot commit");
	store_rollback(st);
	T_INT(store_commit(st), PERR_DB, "nor level 1");
	store_rollback(st);
	T_INT(store_depth(st), 0, "both rolled back, nothing open");
	T_INT(audit_count(other, "escaped"), 0, "nothing escaped into autocommit");
	T_INT(store_exec(st, "INSERT INTO audit(at, actor, action) VALUES (1, 'x', 'after')"),
	    0, "the connection works again afterwards");

	/* A read transaction holds a snapshot, and a write inside it is a
	 * savepoint too. */
	T_INT(store_begin_read(st), 0, "a read transaction");
	T_INT(inner_write(st, "in-read", 0), 0, "a write inside it");
	store_rollback(st);
	T_INT(audit_count(other, "in-read"), 0, "its rollback undoes the write");
	T_INT(store_depth(st), 0, "no level open");
	store_close(other);
	store_close(st);
	free(path);
}

/* A file of n bytes: the first n of src, or junk. */
static void
write_file(const char *path, const void *buf, size_t n)
{
	FILE	*fp = fopen(path, "w");

	if (fp != NULL) {
		fwrite(buf, 1, n, fp);
		fclose(fp);
	}
}

/* store_open_mode of path must fail with a cause containing want. */
static void
refused(const char *path, enum store_mode mode, const char *want,
    const char *what)
{
	struct store	*st = (struct store *)1;
	char		*cause = NULL;

	T_INT(store_open_mode(path, mode, &st, &cause), -1, "%s is refused", what);
	T_OK(st == NULL && cause != NULL && strstr(cause, want) != NULL &&
	    strstr(cause, path) != NULL,
	    "... with its own message naming the file (\"%s\")", want);
	if (cause != NULL)
		printf("#   %s\n", cause);
	free(cause);
}

/* The bytes of a file, for "left as it was". */
static char *
slurp(const char *path, size_t *n)
{
	FILE	*fp = fopen(path, "r");
	char	*buf = calloc(1, 1 << 20);

	*n = 0;
	if (fp != NULL) {
		*n = fread(buf, 1, 1 << 20, fp);
		fclose(fp);
	}
	return buf;
}

/* The size of path's -wal (or -shm), -1 when there is none. */
static long long
side_size(const char *path, const char *suffix)
{
	char		*p = xasprintf("%s%s", path, suffix);
	struct stat	 sb;
	long long	 n = stat(p, &sb) == 0 ? (long long)sb.st_size : -1;

	free(p);
	return n;
}

/* A file as it was: its bytes and its -wal's and -shm's sizes. */
struct snap {
	char		*bytes;
	size_t		 n;
	long long	 wal, shm;
};

static void
snap_take(struct snap *s, const char *path)
{
	s->bytes = slurp(path, &s->n);
	s->wal = side_size(path, "-wal");
	s->shm = side_size(path, "-shm");
}

static void
unchanged(const char *path, struct snap *before, const char *what)
{
	struct snap	 now;

	snap_take(&now, path);
	T_OK(now.n == before->n && memcmp(now.bytes, before->bytes, now.n) == 0,
	    "%s: the file is unchanged", what);
	T_OK(now.wal == before->wal && now.shm == before->shm,
	    "%s: no -wal or -shm made or changed (%lld/%lld, were %lld/%lld)",
	    what, now.wal, now.shm, before->wal, before->shm);
	free(now.bytes);
	free(before->bytes);
	before->bytes = NULL;
}

static void
test_refusals(void)
{
	sqlite3		*db;
	struct store	*st;
	struct snap	 before;
	char		*path, *sql, *buf, *cause = NULL;
	size_t		 n;
	FILE		*fp;

	/* Another program's SQLite file: no application_id of ours, its own
	 * tables.  It must not be "migrated" into. */
	path = t_path("places.sqlite");
	sqlite3_open(path, &db);
	sqlite3_exec(db, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
	    "INSERT INTO moz_places(url) VALUES ('http://example.org/')", NULL, NULL, NULL);
	sqlite3_close(db);
	snap_take(&before, path);
	refused(path, STORE_SERVER, "other tables", "another program's SQLite file");
	unchanged(path, &before, "a foreign SQLite file");
	free(path);

	/* One that says whose it is. */
	path = t_path("fossil.db");
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA application_id = 252006673;"
	    "CREATE TABLE blob (rid INTEGER PRIMARY KEY)", NULL, NULL, NULL);
	sqlite3_close(db);
	refused(path, STORE_SERVER, "another program", "an SQLite file with another application_id");
	free(path);

	/* Not SQLite at all. */
	path = t_path("notes.txt");
	write_file(path, "Заметки учителя: это не база данных, а текст.\n", 80);
	snap_take(&before, path);
	refused(path, STORE_SERVER, "not an SQLite database", "a text file");
	unchanged(path, &before, "a text file");
	free(path);

	/* Truncated: a store cut in half, and one cut inside its header. */
	path = t_path("cut.db");
	st = t_store("cut.db");
	T_INT(store_exec(st, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
	    " SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO audit(at, actor,"
	    " action, detail) SELECT i, 'x', 'fill', printf('%0400d', i) FROM n"), 0,
	    "fill a store");
	store_close(st);
	buf = slurp(path, &n);
	T_OK(n > 200000, "the store has %zu bytes", n);
	write_file(path, buf, n / 2);
	refused(path, STORE_SERVER, "truncated", "a store cut in half");
	refused(path, STORE_READONLY, "truncated", "... also read-only");
	write_file(path, buf, 60);
	refused(path, STORE_SERVER, "truncated", "a store cut inside its header");
	free(buf);
	free(path);

	/* A negative user_version: the old code read outside the table of
	 * migrations (ASan) and ran garbage as SQL. */
	path = t_path("negative.db");
	st = t_store("negative.db");
	store_exec(st, "PRAGMA user_version = -3");
	store_close(st);
	snap_take(&before, path);
	refused(path, STORE_SERVER, "not one any parta wrote", "user_version -3");
	refused(path, STORE_READONLY, "not one any parta wrote", "... also read-only");
	unchanged(path, &before, "user_version -3");
	free(path);

	/* From a newer parta: refused, and not touched, not even switched
	 * to WAL (the file is in rollback-journal mode here). */
	path = t_path("newer2.db");
	sqlite3_open(path, &db);
	sql = xasprintf("PRAGMA application_id = %d; PRAGMA user_version = %d;"
	    " CREATE TABLE users (x); CREATE TABLE changes (y)", 0x50727461,
	    store_nmigrations + 5);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	free(sql);
	sqlite3_close(db);
	snap_take(&before, path);
	refused(path, STORE_SERVER, "newer parta", "a store of a newer parta");
	refused(path, STORE_LOCAL, "newer parta", "... as a local copy");
	refused(path, STORE_READONLY, "newer parta", "... read-only");
	unchanged(path, &before, "a newer store");
	sqlite3_open(path, &db);
	str_is(db, "PRAGMA journal_mode", "delete", "the newer store was not switched to WAL");
	sqlite3_close(db);
	free(path);

	/* Not a regular file. */
	path = t_path("");
	refused(path, STORE_SERVER, "not a regular file", "a directory");
	free(path);
	path = t_path("absent.db");
	refused(path, STORE_READONLY, "no store there", "a missing file read-only");
	free(path);
	(void)fp;
	(void)cause;
}

static void
test_meta(void)
{
	struct store		*st, *copy;
	const struct store_meta	*m;
	sqlite3			*db;
	char			*path = t_path("meta.db"), *lpath = t_path("local.db");
	char			*opath = t_path("old.db"), *cause = NULL, *server, *sql;
	int			 i;

	T_INT(store_open(path, &st, &cause), 0, "a new server store");
	m = store_meta(st);
	T_STR(m->kind, "server", "its kind is server");
	T_INT(strlen(m->server), 36, "it has a server UUID");
	T_STR(m->owner, "", "no owner");
	T_INT(m->schema, store_nmigrations, "the schema version is recorded");
	T_INT(query_int(store_db(st), "PRAGMA application_id"), 0x50727461,
	    "the application_id is parta's");
	server = xstrdup(m->server);
	store_close(st);
	T_INT(store_open(path, &st, &cause), 0, "reopened");
	T_STR(store_meta(st)->server, server, "the server UUID stays the same");
	store_close(st);
	refused(path, STORE_LOCAL, "not a local copy", "a server's store opened as a local copy");

	T_INT(store_open_mode(lpath, STORE_LOCAL, &copy, &cause), 0, "a new local copy");
	if (copy != NULL) {
		T_STR(store_meta(copy)->kind, "local", "its kind is local");
		T_STR(store_meta(copy)->server, "", "no server yet");
		T_INT(store_set_copy(copy, server, "anna"), 0, "store_set_copy");
		store_close(copy);
	}
	T_INT(store_open_mode(lpath, STORE_LOCAL, &copy, &cause), 0, "reopened");
	if (copy != NULL) {
		T_STR(store_meta(copy)->server, server, "whose server it copies");
		T_STR(store_meta(copy)->owner, "anna", "whose copy it is");
		store_close(copy);
	}
	refused(lpath, STORE_SERVER, "not a server's store", "a local copy opened as a server's");
	T_INT(store_open(path, &st, &cause), 0, "the server store");
	T_INT(store_set_copy(st, server, "anna"), PERR_DB,
	    "store_set_copy refuses a server's store");
	store_close(st);

	/* A store of the current code before this issue: no application_id,
	 * no meta table, parta's tables.  It is adopted. */
	sqlite3_open(opath, &db);
	T_INT(sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL), 0, "wal");
	collate_register(db);
	confusable_register(db);
	search_register(db);
	/* Every migration before the one that made the meta table. */
	for (i = 0; i < store_nmigrations &&
	    strstr(store_migrations[i], "CREATE TABLE meta") == NULL; i++)
		T_INT(sqlite3_exec(db, store_migrations[i], NULL, NULL, NULL), 0,
		    "old migration %d", i + 1);
	sql = sqlite3_mprintf("PRAGMA user_version = %d;"
	    " INSERT INTO boards(uuid, name, title, position, created_at)"
	    " VALUES ('00000000-0000-4000-8000-000000000001', 'math', 'Математика', 1, 1)",
	    i);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_free(sql);
	sqlite3_close(db);
	T_INT(store_open(opath, &st, &cause), 0, "a store made before application_id opens");
	free(cause);
	cause = NULL;
	if (st != NULL) {
		T_INT(query_int(store_db(st), "PRAGMA application_id"), 0x50727461,
		    "... and is adopted: the application_id is set");
		T_STR(store_meta(st)->kind, "server", "... as a server's store");
		T_INT(strlen(store_meta(st)->server), 36, "... given a server UUID");
		T_INT(query_int(store_db(st), "SELECT count(*) FROM boards"), 1,
		    "... its board kept");
		store_close(st);
	}
	free(server);
	free(path);
	free(lpath);
	free(opath);
}

/* How many of path's -wal and -shm exist. */
static int
side_files(const char *path)
{
	return (side_size(path, "-wal") >= 0) + (side_size(path, "-shm") >= 0);
}

/* Open path read-only, read its one board, try to write: 0 when all went
 * as it should and nothing beside path was made or changed. */
static int
readonly_check(const char *path)
{
	struct store	*st;
	struct snap	 before, now;
	char		*cause = NULL;
	int		 rc = 0;

	snap_take(&before, path);
	if (store_open_mode(path, STORE_READONLY, &st, &cause) != 0) {
		printf("#   %s\n", cause);
		fflush(stdout);
		free(cause);
		free(before.bytes);
		return 2;
	}
	if (query_int(store_db(st), "SELECT count(*) FROM boards") != 1)
		rc = 3;
	else if (store_exec(st, "INSERT INTO audit(at, actor, action)"
	    " VALUES (1, 'x', 'y')") == 0)
		rc = 4;
	else if (side_size(path, "-wal") != before.wal ||
	    side_size(path, "-shm") != before.shm)
		rc = 5;		/* made while open */
	store_close(st);
	snap_take(&now, path);
	if (rc == 0 && (now.n != before.n || memcmp(now.bytes, before.bytes,
	    now.n) != 0 || now.wal != before.wal || now.shm != before.shm))
		rc = 6;
	free(now.bytes);
	free(before.bytes);
	return rc;
}

/* In a child that cannot write dir (an unprivileged uid when we are
 * root, since root writes through any mode bits): readonly_check() of
 * each file.  Exit 10 when that cannot be arranged. */
static int
readonly_child(const char *dir, const char *copy, const char *live,
    const char *bare)
{
	char	*probe;
	int	 fd, rc;

	if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
		return 10;
	probe = xasprintf("%s/probe", dir);
	fd = open(probe, O_WRONLY | O_CREAT, 0600);
	free(probe);
	if (fd != -1)
		return 11;	/* the directory is writable: the test means nothing */
	if ((rc = readonly_check(copy)) != 0)
		return 20 + rc;
	if ((rc = readonly_check(live)) != 0)
		return 30 + rc;
	if ((rc = readonly_check(bare)) != 0)
		return 40 + rc;
	return 0;
}

static void
test_readonly(void)
{
	struct store	*st;
	char		*dir = t_path("stick"), *live, *copy, *bare, *cause = NULL;
	char		*buf;
	size_t		 n;
	pid_t		 pid;
	int		 status;

	mkdir(dir, 0755);
	live = xasprintf("%s/live.db", dir);
	copy = xasprintf("%s/digest.db", dir);
	bare = xasprintf("%s/bare.db", dir);
	T_INT(store_open(live, &st, &cause), 0, "make a store");
	board_add(st, "math", "Математика", "", "console");
	T_INT(store_backup(st, copy, &cause), 0, "and a copy of it, as on a stick");
	store_close(st);
	T_INT(side_files(copy), 0, "the copy has no -wal or -shm");
	/* The store file alone, as someone might copy it: its header says
	 * WAL, and there is no -wal or -shm beside it. */
	buf = slurp(live, &n);
	write_file(bare, buf, n);
	free(buf);
	T_INT(side_files(bare), 0, "a WAL store's file copied alone");
	T_INT(side_size(live, "-wal"), 0,
	    "the server's store keeps an empty -wal after the last close");
	T_OK(side_size(live, "-shm") > 0, "... and its -shm (a full disk can"
	    " still be read)");

	/* In a writable directory: nothing made, nothing changed. */
	T_INT(readonly_check(copy), 0, "the copy opens read-only, reads, refuses"
	    " a write, makes no -wal or -shm and changes nothing");
	T_INT(readonly_check(live), 0, "so does the server's store with its"
	    " empty -wal");
	T_INT(readonly_check(bare), 0, "and a WAL store's file alone: no -wal"
	    " or -shm made");
	T_INT(store_open_mode(copy, STORE_READONLY, &st, &cause), 0, "read-only");
	if (st != NULL) {
		T_INT(store_begin(st), PERR_DB, "BEGIN IMMEDIATE is refused");
		T_STR(store_meta(st)->kind, "server", "its meta row is read");
		store_close(st);
	}

	/* In a directory this process cannot write. */
	chmod(t_tmp, 0711);	/* uid 65534 must reach the files */
	chmod(copy, 0644);
	chmod(live, 0644);
	chmod(bare, 0644);
	{
		char	*w = xasprintf("%s-wal", live), *m = xasprintf("%s-shm", live);

		chmod(w, 0644);
		chmod(m, 0644);
		free(w);
		free(m);
	}
	chmod(dir, 0555);
	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(readonly_child(dir, copy, live, bare));
	status = -1;
	waitpid(pid, &status, 0);
	chmod(dir, 0755);
	chmod(t_tmp, 0700);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 10)
		T_OK(1, "# SKIP cannot drop to uid 65534 to make a read-only directory");
	else
		T_INT(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0,
		    "in a directory it cannot write (%s): both open, read, write"
		    " nothing, make no -wal or -shm",
		    getuid() == 0 ? "as uid 65534" : "mode 0555");

	/* An older schema is not migrated read-only. */
	T_INT(store_open(copy, &st, &cause), 0, "reopen the copy writable");
	store_exec(st, "PRAGMA user_version = 1");
	store_close(st);
	refused(copy, STORE_READONLY, "does not migrate", "an older store read-only");
	free(live);
	free(copy);
	free(bare);
	free(dir);
}

/* A server names a new row after its id; a row that came from
 * elsewhere holding that name already (a foreign post's UUID is its
 * article's choice) must not block every later row of the table. */
static void
test_named_taken(void)
{
	struct store	*st = t_store("named.db");
	char		 taken[37], *got;
	int64_t		 ns = 0, anna, boris;

	anna = t_user(st, "anna", "Анна", ROLE_TEACHER);
	T_OK(store_int(st, &ns, "SELECT names FROM meta", "") == 0,
	    "the store has a namespace");
	store_uuid_named(ns, 4, anna + 2, taken);
	T_OK(store_write(st, NULL, "INSERT INTO users(id, uuid, login,"
	    " display_name, role, created_at) VALUES (?1, ?2, 'far', 'Далёкий',"
	    " 'teacher', 0)", "it", anna + 1, taken) == 0,
	    "a row holding the name of the next id");
	boris = t_user(st, "boris", "Борис", ROLE_TEACHER);
	T_OK(boris == anna + 2, "the next account is made, with the next id");
	got = query_str(store_db(st), "SELECT uuid FROM users WHERE"
	    " login = 'boris'");
	T_OK(strcmp(got, taken) != 0 && strlen(got) == 36,
	    "under a UUID of its own (%s)", got);
	free(got);
	store_close(st);
}

/* store_write_db on a plain connection, as the client's outbox has: one
 * without the extended result codes a store turns on. */
static void
test_write_db(void)
{
	sqlite3	*db = NULL;
	int	 n = -1;

	T_OK(sqlite3_open(":memory:", &db) == SQLITE_OK, "a plain connection");
	T_INT(store_write_db(db, NULL, "CREATE TABLE w (k TEXT UNIQUE,"
	    " v INTEGER)", ""), 0, "a statement with no values");
	T_INT(store_write_db(db, &n, "INSERT INTO w VALUES (?1, ?2)", "ti",
	    "a", (int64_t)1), 0, "an insert");
	T_INT(n, 1, "it changed one row");
	T_INT(store_write_db(db, &n, "INSERT INTO w VALUES (?1, ?2)", "ti",
	    "a", (int64_t)2), PERR_EXISTS,
	    "a UNIQUE conflict is PERR_EXISTS without extended result codes");
	T_INT(n, 0, "and changed nothing");
	T_INT(store_write_db(db, &n, "UPDATE w SET v = ?2 WHERE k = ?1", "ti",
	    "b", (int64_t)3), 0, "an update of no row");
	T_INT(n, 0, "changed none");
	T_INT(store_write_db(db, NULL, "UPDATE nosuch SET v = 1", ""), PERR_DB,
	    "a statement that does not prepare is PERR_DB");
	sqlite3_close(db);
}

/* Who else holds a lock on SQLite's SHARED range of path: another
 * process's F_GETLK sees it (the one that holds it sees none). */
static int
shared_held_elsewhere(const char *path)
{
	pid_t	 pid;
	int	 status;

	if ((pid = fork()) == 0) {
		struct flock	 fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
		    .l_start = 0x40000002, .l_len = 510 };
		int		 fd = open(path, O_RDWR);

		_exit(fd >= 0 && fcntl(fd, F_GETLK, &fl) == 0 &&
		    fl.l_type == F_RDLCK ? 0 : 1);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* A second connection opened in the same process must not drop the
 * first one's locks: a plain close() of the file would, and another
 * process's last close would then delete the log under its reads. */
static void
test_second_open(void)
{
	struct store	*a = NULL, *b = NULL;
	char		*path = t_path("second.db"), *cause = NULL;
	int64_t		 v = 0;

	T_INT(store_open(path, &a, &cause), 0, "a store");
	T_INT(store_int(a, &v, "SELECT count(*) FROM users", ""), 0,
	    "read through the first connection");
	T_OK(shared_held_elsewhere(path), "its SHARED lock is held");
	T_INT(store_open(path, &b, &cause), 0, "a second connection");
	T_OK(shared_held_elsewhere(path),
	    "the first connection's lock is held still");
	store_close(b);
	T_OK(shared_held_elsewhere(path), "and after the second is closed");
	store_close(a);
	free(path);
}

int
main(void)
{
	t_tmpdir();
	test_open();
	test_open_refused();
	test_transactions();
	test_nested();
	test_helpers();
	test_refusals();
	test_meta();
	test_readonly();
	test_backup();
	test_changes();
	test_named_taken();
	test_write_db();
	test_second_open();
	return t_done();
}
