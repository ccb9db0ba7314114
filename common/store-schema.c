/*
 * store-schema.c: the store's schema and its migrations, in one place.
 *
 * migrations[i] takes the store from user_version i to i + 1; a new
 * version appends one entry and never edits an old one.  Version 1 lays
 * out the whole community, even the parts later issues fill (boards,
 * posts, mail, library), so that the sync protocol and digests find stable
 * UUIDs, a change log with a monotonic sequence number, and read pointers
 * from the start.
 */
#include "page.h"
#include "store-schema.h"

static const char v1[] =
"CREATE TABLE users ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  login         TEXT NOT NULL UNIQUE COLLATE NOCASE,"	/* ASCII only */
"  display_name  TEXT NOT NULL,"
"  school        TEXT NOT NULL DEFAULT '',"
"  subjects      TEXT NOT NULL DEFAULT '',"
"  about         TEXT NOT NULL DEFAULT '',"
"  role          TEXT NOT NULL DEFAULT 'pending'"
"                CHECK (role IN ('pending','teacher','expert','coordinator','sysop')),"
"  lang          TEXT NOT NULL DEFAULT 'ru',"
"  encoding      TEXT NOT NULL DEFAULT 'UTF-8',"
"  pw_hash       TEXT,"
"  created_at    INTEGER NOT NULL,"
"  approved_at   INTEGER,"
"  approved_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  rejected_at   INTEGER,"
"  reject_reason TEXT,"
"  banned_at     INTEGER,"
"  ban_reason    TEXT,"
"  last_login    INTEGER"
");"
"CREATE TABLE user_keys ("
"  id            INTEGER PRIMARY KEY,"
"  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  type          TEXT NOT NULL,"
"  blob          TEXT NOT NULL,"		/* base64 of the public key */
"  comment       TEXT NOT NULL DEFAULT '',"
"  fingerprint   TEXT NOT NULL,"
"  added_at      INTEGER NOT NULL,"
"  last_used     INTEGER,"
"  UNIQUE (user_id, blob)"
");"
/* Unused: who is online moved to parta.db-online (online.c), where a
 * screen change costs no fsync.  Left until a migration drops it. */
"CREATE TABLE online ("
"  pid           INTEGER PRIMARY KEY,"
"  user_id       INTEGER REFERENCES users(id) ON DELETE CASCADE,"
"  addr          TEXT NOT NULL,"
"  started_at    INTEGER NOT NULL,"
"  doing         TEXT NOT NULL DEFAULT ''"
");"
"CREATE TABLE auth_failures ("
"  id            INTEGER PRIMARY KEY,"
"  addr          TEXT NOT NULL,"
"  login         TEXT NOT NULL,"
"  at            INTEGER NOT NULL"
");"
"CREATE INDEX auth_failures_addr ON auth_failures(addr, at);"
"CREATE TABLE auth_blocks ("
"  addr          TEXT PRIMARY KEY,"
"  until         INTEGER NOT NULL"
");"
/* Moderation and administration leave a trail here. */
"CREATE TABLE audit ("
"  id            INTEGER PRIMARY KEY,"
"  at            INTEGER NOT NULL,"
"  actor         TEXT NOT NULL,"		/* login, or 'console' */
"  action        TEXT NOT NULL,"
"  target        TEXT NOT NULL DEFAULT '',"
"  detail        TEXT NOT NULL DEFAULT ''"
");"
"CREATE TABLE boards ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  name          TEXT NOT NULL UNIQUE COLLATE NOCASE,"	/* short ASCII tag */
"  title         TEXT NOT NULL,"
"  description   TEXT NOT NULL DEFAULT '',"
"  position      INTEGER NOT NULL DEFAULT 0,"
"  read_role     TEXT NOT NULL DEFAULT 'teacher',"
"  post_role     TEXT NOT NULL DEFAULT 'teacher',"
"  premoderated  INTEGER NOT NULL DEFAULT 0,"
"  created_at    INTEGER NOT NULL"
");"
"CREATE TABLE board_coordinators ("
"  board_id      INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,"
"  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  PRIMARY KEY (board_id, user_id)"
");"
"CREATE TABLE threads ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  board_id      INTEGER NOT NULL REFERENCES boards(id),"
"  subject       TEXT NOT NULL,"
"  author_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  created_at    INTEGER NOT NULL,"
"  last_post_at  INTEGER NOT NULL,"
"  pinned        INTEGER NOT NULL DEFAULT 0,"
"  locked        INTEGER NOT NULL DEFAULT 0,"
"  approved      INTEGER NOT NULL DEFAULT 1,"
"  hidden_at     INTEGER,"
"  hide_reason   TEXT"
");"
"CREATE INDEX threads_board ON threads(board_id, last_post_at);"
"CREATE TABLE posts ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  thread_id     INTEGER NOT NULL REFERENCES threads(id),"
"  author_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  reply_to      INTEGER REFERENCES posts(id),"
"  subject       TEXT NOT NULL DEFAULT '',"
"  body          TEXT NOT NULL,"
"  created_at    INTEGER NOT NULL,"
"  edited_at     INTEGER,"
"  hidden_at     INTEGER,"
"  hidden_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  hide_reason   TEXT"
");"
"CREATE INDEX posts_thread ON posts(thread_id, id);"
/* Read pointers: the highest post id a user has read, per thread and per
 * board (the new-scan's high-water mark). */
"CREATE TABLE thread_reads ("
"  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  thread_id     INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,"
"  last_post_id  INTEGER NOT NULL,"
"  PRIMARY KEY (user_id, thread_id)"
");"
"CREATE TABLE board_reads ("
"  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  board_id      INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,"
"  last_post_id  INTEGER NOT NULL,"
"  PRIMARY KEY (user_id, board_id)"
");"
"CREATE TABLE drafts ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  kind          TEXT NOT NULL,"		/* post, reply, mail */
"  target        TEXT NOT NULL DEFAULT '',"	/* board/thread/user uuid */
"  subject       TEXT NOT NULL DEFAULT '',"
"  body          TEXT NOT NULL DEFAULT '',"
"  updated_at    INTEGER NOT NULL"
");"
"CREATE TABLE mail ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  sender_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  subject       TEXT NOT NULL,"
"  body          TEXT NOT NULL,"
"  reply_to      INTEGER REFERENCES mail(id),"
"  created_at    INTEGER NOT NULL"
");"
"CREATE TABLE mail_boxes ("
"  mail_id       INTEGER NOT NULL REFERENCES mail(id) ON DELETE CASCADE,"
"  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  folder        TEXT NOT NULL CHECK (folder IN ('inbox','sent')),"
"  read_at       INTEGER,"
"  deleted_at    INTEGER,"
"  PRIMARY KEY (mail_id, user_id, folder)"
");"
"CREATE TABLE news ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  author_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  title         TEXT NOT NULL,"
"  body          TEXT NOT NULL,"
"  created_at    INTEGER NOT NULL"
");"
"CREATE TABLE polls ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  board_id      INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,"
"  author_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  question      TEXT NOT NULL,"
"  multiple      INTEGER NOT NULL DEFAULT 0,"
"  closes_at     INTEGER,"
"  created_at    INTEGER NOT NULL"
");"
"CREATE TABLE poll_options ("
"  id            INTEGER PRIMARY KEY,"
"  poll_id       INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,"
"  position      INTEGER NOT NULL,"
"  text          TEXT NOT NULL"
");"
"CREATE TABLE poll_votes ("
"  poll_id       INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,"
"  option_id     INTEGER NOT NULL REFERENCES poll_options(id) ON DELETE CASCADE,"
"  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  at            INTEGER NOT NULL,"
"  PRIMARY KEY (poll_id, option_id, user_id)"
");"
/* Library file contents live in data_dir/files, named by SHA-256. */
"CREATE TABLE blobs ("
"  sha256        TEXT PRIMARY KEY,"
"  size          INTEGER NOT NULL,"
"  created_at    INTEGER NOT NULL"
");"
"CREATE TABLE library_items ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  section       TEXT NOT NULL,"
"  title         TEXT NOT NULL,"
"  description   TEXT NOT NULL DEFAULT '',"
"  grades        TEXT NOT NULL DEFAULT '',"
"  tags          TEXT NOT NULL DEFAULT '',"
"  filename      TEXT,"
"  sha256        TEXT REFERENCES blobs(sha256),"
"  url           TEXT,"
"  uploader_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  created_at    INTEGER NOT NULL,"
"  approved_at   INTEGER,"
"  recommended_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  review        TEXT,"
"  downloads     INTEGER NOT NULL DEFAULT 0"
");"
/*
 * The change log: one row per change a client or digest must learn of.
 * AUTOINCREMENT keeps seq strictly increasing, never reused, so "what is
 * new since N" is one indexed query.  Triggers fill it, so no code path
 * can forget to.
 */
"CREATE TABLE changes ("
"  seq           INTEGER PRIMARY KEY AUTOINCREMENT,"
"  at            INTEGER NOT NULL,"
"  entity        TEXT NOT NULL,"
"  uuid          TEXT NOT NULL,"
"  op            TEXT NOT NULL CHECK (op IN ('insert','update','delete'))"
");"
#define CHANGE_TRIGGERS(t, e)						\
"CREATE TRIGGER " t "_ins AFTER INSERT ON " t " BEGIN "			\
"  INSERT INTO changes(at, entity, uuid, op)"				\
"  VALUES (strftime('%s','now'), '" e "', NEW.uuid, 'insert'); END;"	\
"CREATE TRIGGER " t "_upd AFTER UPDATE ON " t " BEGIN "			\
"  INSERT INTO changes(at, entity, uuid, op)"				\
"  VALUES (strftime('%s','now'), '" e "', NEW.uuid, 'update'); END;"	\
"CREATE TRIGGER " t "_del AFTER DELETE ON " t " BEGIN "			\
"  INSERT INTO changes(at, entity, uuid, op)"				\
"  VALUES (strftime('%s','now'), '" e "', OLD.uuid, 'delete'); END;"
CHANGE_TRIGGERS("boards", "board")
CHANGE_TRIGGERS("threads", "thread")
CHANGE_TRIGGERS("posts", "post")
CHANGE_TRIGGERS("mail", "mail")
CHANGE_TRIGGERS("news", "news")
CHANGE_TRIGGERS("polls", "poll")
CHANGE_TRIGGERS("library_items", "library")
/* Profiles change rarely; clients show display names from their cache.
 * last_login moves on every login and is not worth a change row. */
"CREATE TRIGGER users_ins AFTER INSERT ON users BEGIN"
"  INSERT INTO changes(at, entity, uuid, op)"
"  VALUES (strftime('%s','now'), 'user', NEW.uuid, 'insert'); END;"
"CREATE TRIGGER users_upd AFTER UPDATE OF display_name, school, subjects,"
"  about, role, banned_at ON users BEGIN"
"  INSERT INTO changes(at, entity, uuid, op)"
"  VALUES (strftime('%s','now'), 'user', NEW.uuid, 'update'); END;"
"CREATE TRIGGER users_del AFTER DELETE ON users BEGIN"
"  INSERT INTO changes(at, entity, uuid, op)"
"  VALUES (strftime('%s','now'), 'user', OLD.uuid, 'delete'); END;"
;

/*
 * Boards, posts, mail, news and polls (issue 3): the news each user has
 * seen, and the indexes the listings and the new-scan read by.
 */
static const char v_boards[] =
"CREATE TABLE news_reads ("
"  user_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
"  last_news_id  INTEGER NOT NULL"
");"
"CREATE INDEX mail_boxes_user ON mail_boxes(user_id, folder, mail_id);"
"CREATE INDEX drafts_user ON drafts(user_id, updated_at);"
"CREATE INDEX polls_board ON polls(board_id, id);"
"CREATE INDEX poll_votes_user ON poll_votes(poll_id, user_id);"
"CREATE INDEX threads_author ON threads(author_id);"
;

/*
 * The file library (issue 5): sections (some need approval), the ASCII
 * twin of each file name, who approved, when recommended, the thread of
 * comments, quotas.  A file
 * name is unique within its section in both spellings.
 */
static const char v_library[] =
"CREATE TABLE library_sections ("
"  name          TEXT PRIMARY KEY COLLATE NOCASE,"	/* short ASCII tag */
"  title         TEXT NOT NULL,"
"  approval      INTEGER NOT NULL DEFAULT 0,"
"  position      INTEGER NOT NULL DEFAULT 0,"
"  created_at    INTEGER NOT NULL"
");"
"ALTER TABLE library_items ADD COLUMN filename_ascii TEXT;"
"ALTER TABLE library_items ADD COLUMN approved_by INTEGER"
"  REFERENCES users(id) ON DELETE SET NULL;"
"ALTER TABLE library_items ADD COLUMN recommended_at INTEGER;"
/* Comments on an item are a thread on the board "library". */
"ALTER TABLE library_items ADD COLUMN thread_id INTEGER"
"  REFERENCES threads(id) ON DELETE SET NULL;"
"CREATE UNIQUE INDEX library_items_file ON library_items(section, filename)"
"  WHERE filename IS NOT NULL;"
"CREATE UNIQUE INDEX library_items_ascii ON library_items(section,"
"  filename_ascii COLLATE NOCASE) WHERE filename_ascii IS NOT NULL;"
"CREATE INDEX library_items_section ON library_items(section, created_at);"
/* A download is no change a client must sync: as users_upd does, list
 * the columns that are. */
"DROP TRIGGER library_items_upd;"
"CREATE TRIGGER library_items_upd AFTER UPDATE OF section, title,"
"  description, grades, tags, filename, filename_ascii, sha256, url,"
"  approved_at, recommended_by, recommended_at, review, thread_id"
"  ON library_items BEGIN"
"  INSERT INTO changes(at, entity, uuid, op)"
"  VALUES (strftime('%s','now'), 'library', NEW.uuid, 'update'); END;"
"CREATE INDEX library_items_sha ON library_items(sha256);"
"CREATE TABLE library_quotas ("
"  user_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
"  bytes         INTEGER NOT NULL"
");"
"CREATE TABLE library_settings ("
"  key           TEXT PRIMARY KEY,"
"  value         INTEGER NOT NULL"
");"
"INSERT INTO library_settings(key, value) VALUES ('quota', 104857600),"
"  ('maxsize', 52428800);"
;

/*
 * Full-text search (issue 3, common/search.c): FTS5 indexes over posts
 * and mail with the "parta" tokenizer (folding, ё as е, Russian stems),
 * as external-content tables kept in step by triggers, and filled at once
 * from the rows already there.  Only a change of subject or body touches
 * the index: hiding a post is decided when searching.
 */
/*
 * The triggers that keep the index fts in step with table t; they are
 * named after the index.  FTS_TRIGGERS is the case of an index called
 * t_fts.  (Generalised for library_fts; the text v_search expands to is
 * unchanged, byte for byte, as an old migration must be.)
 */
#define FTS_INDEX_TRIGGERS(t, fts, cols, newcols, oldcols)		\
"CREATE TRIGGER " fts "_ins AFTER INSERT ON " t " BEGIN"		\
"  INSERT INTO " fts "(rowid, " cols ") VALUES (NEW.id, " newcols ");"	\
"  END;"								\
"CREATE TRIGGER " fts "_del AFTER DELETE ON " t " BEGIN"		\
"  INSERT INTO " fts "(" fts ", rowid, " cols ")"			\
"  VALUES ('delete', OLD.id, " oldcols "); END;"			\
"CREATE TRIGGER " fts "_upd AFTER UPDATE OF " cols " ON " t " BEGIN"	\
"  INSERT INTO " fts "(" fts ", rowid, " cols ")"			\
"  VALUES ('delete', OLD.id, " oldcols ");"				\
"  INSERT INTO " fts "(rowid, " cols ") VALUES (NEW.id, " newcols ");"	\
"  END;"
#define FTS_TRIGGERS(t, cols, newcols, oldcols)				\
	FTS_INDEX_TRIGGERS(t, t "_fts", cols, newcols, oldcols)
static const char v_search[] =
"CREATE VIRTUAL TABLE posts_fts USING fts5(subject, body,"
"  content='posts', content_rowid='id', tokenize='parta');"
"CREATE VIRTUAL TABLE mail_fts USING fts5(subject, body,"
"  content='mail', content_rowid='id', tokenize='parta');"
/* A word in the subject counts three times one in the body. */
"INSERT INTO posts_fts(posts_fts, rank) VALUES ('rank', 'bm25(3.0, 1.0)');"
"INSERT INTO mail_fts(mail_fts, rank) VALUES ('rank', 'bm25(3.0, 1.0)');"
FTS_TRIGGERS("posts", "subject, body", "NEW.subject, NEW.body",
    "OLD.subject, OLD.body")
FTS_TRIGGERS("mail", "subject, body", "NEW.subject, NEW.body",
    "OLD.subject, OLD.body")
"INSERT INTO posts_fts(posts_fts) VALUES ('rebuild');"
"INSERT INTO mail_fts(mail_fts) VALUES ('rebuild');"
;

/*
 * Terminal encodings and look-alike names (issue 4): whether the user
 * has chosen an encoding (else the menu comes at the next login), and
 * the skeleton of each display name (confusable.c), which a new or
 * changed name must not share with another account's.  name_key() is
 * registered on every connection (store.c).
 */
static const char v_charset[] =
"ALTER TABLE users ADD COLUMN encoding_chosen INTEGER NOT NULL DEFAULT 0;"
"ALTER TABLE users ADD COLUMN name_key TEXT;"
"UPDATE users SET name_key = name_key(display_name);"
"CREATE INDEX users_name_key ON users(name_key);"
;

/*
 * Search of the library (issue 5): an index over each item's title,
 * description, tags and file name (so "Дроби.pdf" is found by "дроби"),
 * with the "parta" tokenizer, kept in step by triggers as posts_fts is
 * and filled at once from the items already there.  Who may see an item
 * is decided when searching, so approving one costs no re-index.  A link
 * has no file name: FTS5 indexes the NULL as an empty text, and the
 * triggers hand it the same NULL back when the row changes.
 */
static const char v_libsearch[] =
"CREATE VIRTUAL TABLE library_fts USING fts5(title, description, tags,"
"  filename, content='library_items', content_rowid='id',"
"  tokenize='parta');"
/* The title weighs most, then the tags a teacher chose; the file name
 * often repeats the title, and the description is long. */
"INSERT INTO library_fts(library_fts, rank)"
"  VALUES ('rank', 'bm25(4.0, 1.0, 2.0, 1.0)');"
FTS_INDEX_TRIGGERS("library_items", "library_fts",
    "title, description, tags, filename",
    "NEW.title, NEW.description, NEW.tags, NEW.filename",
    "OLD.title, OLD.description, OLD.tags, OLD.filename")
"INSERT INTO library_fts(library_fts) VALUES ('rebuild');"
;

/*
 * What the file is (the reshaping issue): one row saying the kind of
 * store, the server whose community it holds, whose copy it is and the
 * schema version that last wrote it.  A store made before this version is
 * a server's; store.c fills in the server's UUID and, for a new local
 * copy, the kind, in the same transaction.  PRAGMA application_id (set
 * by store.c, not here: it is not a part of the schema) says the file is
 * parta's at all.
 */
static const char v_meta[] =
"CREATE TABLE meta ("
"  one           INTEGER PRIMARY KEY CHECK (one = 1),"
"  kind          TEXT NOT NULL DEFAULT 'server'"
"                CHECK (kind IN ('server','local','digest')),"
"  server_uuid   TEXT NOT NULL DEFAULT '',"
"  owner         TEXT NOT NULL DEFAULT '',"
"  schema        INTEGER NOT NULL DEFAULT 0,"
"  created_at    INTEGER NOT NULL"
");"
"INSERT INTO meta(one, created_at) VALUES (1, CAST(strftime('%s', 'now') AS INTEGER));"
;

/*
 * Downloads in parts (SFTP "reget" after a broken link): how far each
 * user's unfinished download of an item got, so that the resumed part
 * completes one download, and a read of the last bytes alone counts
 * none.  No client syncs it: no change-log trigger.
 */
static const char v_partial[] =
"CREATE TABLE library_partial ("
"  item_id       INTEGER NOT NULL REFERENCES library_items(id) ON DELETE CASCADE,"
"  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  bytes         INTEGER NOT NULL,"
"  at            INTEGER NOT NULL,"
"  PRIMARY KEY (item_id, user_id)"
") WITHOUT ROWID;"
;

/*
 * The growth report (common/report.c): who downloaded what and when, as
 * library_items.downloads only counts; a download is activity.  Deleting
 * an account keeps its downloads in the counts.
 */
static const char v_growth[] =
"CREATE TABLE library_downloads ("
"  item_id       INTEGER NOT NULL REFERENCES library_items(id)"
"                ON DELETE CASCADE,"
"  user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  at            INTEGER NOT NULL"
");"
"CREATE INDEX library_downloads_at ON library_downloads(at);"
"CREATE INDEX library_downloads_item ON library_downloads(item_id);"
"CREATE INDEX posts_created ON posts(created_at);"
;

/*
 * Password reset codes (common/reset.c): the hash of each account's one
 * outstanding code, never the code.
 */
static const char v_reset[] =
"CREATE TABLE reset_codes ("
"  user_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
"  hash          TEXT NOT NULL,"
"  expires_at    INTEGER NOT NULL,"
"  issued_by     TEXT NOT NULL DEFAULT ''"
");"
;

/*
 * The complete change log (the reshaping issue; common/changes.c reads
 * it, changes.h states the contract).  Every row a client or a digest
 * must learn of leaves a change, deletes included, and each change says
 * who may see the row as it is after the change:
 *
 *   scope         who sees it
 *   all           every account
 *   board         whoever may read board_id (board-sql.h's rule)
 *   board-mods    of those, the board's moderators and author_id: a
 *                 hidden post, a hidden or not yet approved thread
 *   library-mods  the library's moderators (expert and up) and author_id:
 *                 an item waiting for approval
 *   sysop         the sysop and author_id: an account waiting for approval
 *   user          user_id alone: mail, read pointers, votes, drafts
 *   gone          nobody: a thread moved off board_id, a deleted letter
 *
 * narrows is 1 when the change may have taken the row out of the sight
 * of some who saw it (a hide, a move, a board made stricter, a letter
 * deleted): those who may not see it now are told it is gone.  A change
 * that narrows nothing is not shown at all to those who may not see it,
 * so an item waiting for approval is never announced to a teacher.
 *
 * Rows without an identity get one (mail_boxes, poll_options,
 * library_sections): the trigger that logs an insert first fills in a
 * missing uuid, so that no write path needs to know.  The old change rows
 * carried no scope and cannot be served: they are dropped, and
 * sqlite_sequence keeps seq growing past them, so a cursor from before
 * is too old (changes_floor()).  A trigger that forgets the scope fails
 * its write instead of publishing a row to everyone.
 */
#define CHG_NOW		"CAST(strftime('%s', 'now') AS INTEGER)"
#define CHG_INTO							\
	" INSERT INTO changes(at, entity, uuid, op, scope, board_id,"	\
	" user_id, author_id, narrows)"
/* A random (version 4) UUID, as util.c's uuid_v4() writes them. */
#define CHG_UUID							\
	"lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||" \
	" substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 +"	\
	" (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' ||" \
	" hex(randomblob(6)))"
#define CHG_IDENTITY(t)							\
"ALTER TABLE " t " ADD COLUMN uuid TEXT;"				\
"UPDATE " t " SET uuid = " CHG_UUID ";"					\
"CREATE UNIQUE INDEX " t "_uuid ON " t "(uuid);"
#define CHG_FILL_UUID(t)						\
" UPDATE " t " SET uuid = " CHG_UUID " WHERE rowid = NEW.rowid"		\
" AND uuid IS NULL;"
/* A thread readers do not see; a post likewise, and who else may. */
#define CHG_THREAD_HID(t)						\
	"(" t ".hidden_at IS NOT NULL OR " t ".approved = 0)"
#define CHG_THREAD_SCOPE(t)						\
	"CASE WHEN " CHG_THREAD_HID(t) " THEN 'board-mods' ELSE 'board' END"
#define CHG_POST_SCOPE(p, t)						\
	"CASE WHEN " CHG_THREAD_HID(t) " OR " p ".hidden_at IS NOT NULL"	\
	" THEN 'board-mods' ELSE 'board' END"
#define CHG_POST_AUTHOR(p, t)						\
	"CASE WHEN NOT " CHG_THREAD_HID(t) " THEN " p ".author_id"	\
	" WHEN " p ".hidden_at IS NULL OR " p ".author_id = " t ".author_id" \
	" THEN " t ".author_id END"
/*
 * A row of table t that is one user's alone, logged as entity e: uuid
 * and board are the expressions naming it after an insert or update
 * (uuid_o, board_o: before a delete); when, the update that matters.  A
 * row whose target is gone already (a cascade) is not logged: the
 * target's own delete says it.
 */
#define CHG_OWN(t, e, uuid, board, uuid_o, board_o, when)		\
"CREATE TRIGGER " t "_ins AFTER INSERT ON " t " BEGIN" CHG_INTO	\
" SELECT " CHG_NOW ", '" e "', u, 'insert', 'user', b, NEW.user_id,"	\
" NULL, 0 FROM (SELECT " uuid " AS u, " board " AS b)"		\
" WHERE u IS NOT NULL; END;"						\
"CREATE TRIGGER " t "_upd AFTER UPDATE ON " t " WHEN " when " BEGIN"	\
	CHG_INTO							\
" SELECT " CHG_NOW ", '" e "', u, 'update', 'user', b, NEW.user_id,"	\
" NULL, 0 FROM (SELECT " uuid " AS u, " board " AS b)"		\
" WHERE u IS NOT NULL; END;"						\
"CREATE TRIGGER " t "_del AFTER DELETE ON " t " BEGIN" CHG_INTO	\
" SELECT " CHG_NOW ", '" e "', u, 'delete', 'user', b, OLD.user_id,"	\
" NULL, 0 FROM (SELECT " uuid_o " AS u, " board_o " AS b)"		\
" WHERE u IS NOT NULL; END;"
/* A reader's row of thread_reads, told as her thread_read of the thread
 * when the condition when holds of an update. */
#define CHG_THREAD_READS(when)						\
CHG_OWN("thread_reads", "thread_read",					\
    "(SELECT uuid FROM threads WHERE id = NEW.thread_id)",		\
    "(SELECT board_id FROM threads WHERE id = NEW.thread_id)",		\
    "(SELECT uuid FROM threads WHERE id = OLD.thread_id)",		\
    "(SELECT board_id FROM threads WHERE id = OLD.thread_id)", when)
/* Table t's rows, entity e, seen by scope with board and author: the
 * same expressions of NEW and OLD (nb, na, ob, oa), narrows on update. */
#define CHG_ROW(t, e, upd, sn, nb, na, so, ob, oa, narrows)		\
"CREATE TRIGGER " t "_ins AFTER INSERT ON " t " BEGIN" CHG_INTO	\
" VALUES (" CHG_NOW ", '" e "', NEW.uuid, 'insert', " sn ", " nb ","	\
" NULL, " na ", 0); END;"						\
"CREATE TRIGGER " t "_upd AFTER UPDATE" upd " ON " t " BEGIN" CHG_INTO	\
" VALUES (" CHG_NOW ", '" e "', NEW.uuid, 'update', " sn ", " nb ","	\
" NULL, " na ", " narrows "); END;"					\
"CREATE TRIGGER " t "_del AFTER DELETE ON " t " BEGIN" CHG_INTO	\
" VALUES (" CHG_NOW ", '" e "', OLD.uuid, 'delete', " so ", " ob ","	\
" NULL, " oa ", 0); END;"
static const char v_changes[] =
CHG_IDENTITY("mail_boxes")
CHG_IDENTITY("poll_options")
CHG_IDENTITY("library_sections")
"DROP TRIGGER IF EXISTS boards_ins; DROP TRIGGER IF EXISTS boards_upd;"
"DROP TRIGGER IF EXISTS boards_del; DROP TRIGGER IF EXISTS threads_ins;"
"DROP TRIGGER IF EXISTS threads_upd; DROP TRIGGER IF EXISTS threads_del;"
"DROP TRIGGER IF EXISTS posts_ins; DROP TRIGGER IF EXISTS posts_upd;"
"DROP TRIGGER IF EXISTS posts_del; DROP TRIGGER IF EXISTS mail_ins;"
"DROP TRIGGER IF EXISTS mail_upd; DROP TRIGGER IF EXISTS mail_del;"
"DROP TRIGGER IF EXISTS news_ins; DROP TRIGGER IF EXISTS news_upd;"
"DROP TRIGGER IF EXISTS news_del; DROP TRIGGER IF EXISTS polls_ins;"
"DROP TRIGGER IF EXISTS polls_upd; DROP TRIGGER IF EXISTS polls_del;"
"DROP TRIGGER IF EXISTS library_items_ins;"
"DROP TRIGGER IF EXISTS library_items_upd;"
"DROP TRIGGER IF EXISTS library_items_del;"
"DROP TRIGGER IF EXISTS users_ins; DROP TRIGGER IF EXISTS users_upd;"
"DROP TRIGGER IF EXISTS users_del;"
"DELETE FROM changes;"
"ALTER TABLE changes ADD COLUMN scope TEXT CHECK (scope IN ('all',"
"  'board','board-mods','library-mods','sysop','user','gone'));"
"ALTER TABLE changes ADD COLUMN board_id INTEGER;"
"ALTER TABLE changes ADD COLUMN user_id INTEGER;"
"ALTER TABLE changes ADD COLUMN author_id INTEGER;"
"ALTER TABLE changes ADD COLUMN narrows INTEGER NOT NULL DEFAULT 0;"
/* changes_since() reads by owner (NULL: no one user's) and seq. */
"CREATE INDEX changes_user ON changes(user_id, seq);"
"CREATE TRIGGER changes_scope BEFORE INSERT ON changes"
"  WHEN NEW.scope IS NULL BEGIN"
"  SELECT RAISE(ABORT, 'a change row without its scope'); END;"
/* Boards and their coordinators.  A board removed is no one's to read. */
CHG_ROW("boards", "board", "", "'board'", "NEW.id", "NULL",
    "'all'", "OLD.id", "NULL", "OLD.read_role IS NOT NEW.read_role")
"CREATE TRIGGER board_coordinators_ins AFTER INSERT ON board_coordinators"
"  BEGIN" CHG_INTO
"  SELECT " CHG_NOW ", 'coordinator', u.uuid, 'insert', 'board',"
"  NEW.board_id, NULL, NULL, 0 FROM users u WHERE u.id = NEW.user_id; END;"
"CREATE TRIGGER board_coordinators_del AFTER DELETE ON board_coordinators"
"  BEGIN" CHG_INTO
"  SELECT " CHG_NOW ", 'coordinator', u.uuid, 'delete', 'board',"
"  OLD.board_id, NULL, NULL, 0 FROM users u WHERE u.id = OLD.user_id; END;"
/*
 * Threads.  A thread moved off a board is gone there; moved, unhidden or
 * approved, its posts arrive where they were not seen.  One trigger, so
 * that these land in this order.
 */
"CREATE TRIGGER threads_ins AFTER INSERT ON threads BEGIN" CHG_INTO
"  VALUES (" CHG_NOW ", 'thread', NEW.uuid, 'insert', "
	CHG_THREAD_SCOPE("NEW") ", NEW.board_id, NULL, NEW.author_id, 0); END;"
"CREATE TRIGGER threads_upd AFTER UPDATE ON threads BEGIN" CHG_INTO
"  SELECT " CHG_NOW ", 'thread', OLD.uuid, 'update', 'gone', OLD.board_id,"
"  NULL, NULL, 1 WHERE OLD.board_id <> NEW.board_id;" CHG_INTO
"  VALUES (" CHG_NOW ", 'thread', NEW.uuid, 'update', "
	CHG_THREAD_SCOPE("NEW") ", NEW.board_id, NULL, NEW.author_id, "
	CHG_THREAD_HID("NEW") " AND NOT " CHG_THREAD_HID("OLD") ");" CHG_INTO
"  SELECT " CHG_NOW ", 'post', p.uuid, 'update', "
	CHG_POST_SCOPE("p", "NEW") ", NEW.board_id, NULL, "
	CHG_POST_AUTHOR("p", "NEW") ", 0 FROM posts p WHERE p.thread_id ="
"  NEW.id AND (OLD.board_id <> NEW.board_id OR (" CHG_THREAD_HID("OLD")
"  AND NOT " CHG_THREAD_HID("NEW") ")) ORDER BY p.id; END;"
"CREATE TRIGGER threads_del AFTER DELETE ON threads BEGIN" CHG_INTO
"  VALUES (" CHG_NOW ", 'thread', OLD.uuid, 'delete', "
	CHG_THREAD_SCOPE("OLD") ", OLD.board_id, NULL, OLD.author_id, 0); END;"
/* Posts, seen as their thread lets them be. */
"CREATE TRIGGER posts_ins AFTER INSERT ON posts BEGIN" CHG_INTO
"  SELECT " CHG_NOW ", 'post', NEW.uuid, 'insert', "
	CHG_POST_SCOPE("NEW", "t") ", t.board_id, NULL, "
	CHG_POST_AUTHOR("NEW", "t") ", 0 FROM threads t"
"  WHERE t.id = NEW.thread_id; END;"
"CREATE TRIGGER posts_upd AFTER UPDATE ON posts BEGIN" CHG_INTO
"  SELECT " CHG_NOW ", 'post', NEW.uuid, 'update', "
	CHG_POST_SCOPE("NEW", "t") ", t.board_id, NULL, "
	CHG_POST_AUTHOR("NEW", "t") ", NEW.hidden_at IS NOT NULL AND"
"  OLD.hidden_at IS NULL FROM threads t WHERE t.id = NEW.thread_id; END;"
"CREATE TRIGGER posts_del AFTER DELETE ON posts BEGIN" CHG_INTO
"  SELECT " CHG_NOW ", 'post', OLD.uuid, 'delete', "
	CHG_POST_SCOPE("OLD", "t") ", t.board_id, NULL, "
	CHG_POST_AUTHOR("OLD", "t") ", 0 FROM threads t"
"  WHERE t.id = OLD.thread_id; END;"
/* Read pointers and drafts are their user's alone. */
CHG_THREAD_READS("OLD.last_post_id IS NOT NEW.last_post_id")
CHG_OWN("board_reads", "board_read",
    "(SELECT uuid FROM boards WHERE id = NEW.board_id)", "NEW.board_id",
    "(SELECT uuid FROM boards WHERE id = OLD.board_id)", "OLD.board_id",
    "OLD.last_post_id IS NOT NEW.last_post_id")
CHG_OWN("news_reads", "news_read",
    "(SELECT uuid FROM users WHERE id = NEW.user_id)", "NULL",
    "(SELECT uuid FROM users WHERE id = OLD.user_id)", "NULL",
    "OLD.last_news_id IS NOT NEW.last_news_id")
CHG_OWN("drafts", "draft", "NEW.uuid", "NULL", "OLD.uuid", "NULL", "1")
/*
 * Mail: a letter is seen only through its boxes, by their owners.  A box
 * brings its letter; a box deleted (deleted_at) is gone for its owner,
 * and so is the letter once no other box of hers shows it.  A letter
 * deleted is told to each owner before its boxes cascade away.
 */
"CREATE TRIGGER mail_upd AFTER UPDATE ON mail BEGIN" CHG_INTO
"  SELECT DISTINCT " CHG_NOW ", 'mail', NEW.uuid, 'update', 'user', NULL,"
"  mb.user_id, NULL, 0 FROM mail_boxes mb WHERE mb.mail_id = NEW.id"
"  AND mb.deleted_at IS NULL; END;"
"CREATE TRIGGER mail_del BEFORE DELETE ON mail BEGIN" CHG_INTO
"  SELECT DISTINCT " CHG_NOW ", 'mail', OLD.uuid, 'delete', 'user', NULL,"
"  mb.user_id, NULL, 0 FROM mail_boxes mb WHERE mb.mail_id = OLD.id"
"  AND mb.deleted_at IS NULL; END;"
"CREATE TRIGGER mail_boxes_ins AFTER INSERT ON mail_boxes BEGIN"
	CHG_FILL_UUID("mail_boxes") CHG_INTO
"  SELECT " CHG_NOW ", 'mail', m.uuid, 'insert', 'user', NULL,"
"  NEW.user_id, NULL, 0 FROM mail m WHERE m.id = NEW.mail_id"
"  AND NEW.deleted_at IS NULL;" CHG_INTO
"  SELECT " CHG_NOW ", 'mail_box', x.uuid, 'insert', CASE WHEN"
"  x.deleted_at IS NULL THEN 'user' ELSE 'gone' END, NULL, x.user_id,"
"  NULL, 0 FROM mail_boxes x WHERE x.rowid = NEW.rowid; END;"
"CREATE TRIGGER mail_boxes_upd AFTER UPDATE OF read_at, deleted_at"
"  ON mail_boxes WHEN NEW.uuid IS NOT NULL BEGIN" CHG_INTO
"  VALUES (" CHG_NOW ", 'mail_box', NEW.uuid, 'update', CASE WHEN"
"  NEW.deleted_at IS NULL THEN 'user' ELSE 'gone' END, NULL, NEW.user_id,"
"  NULL, NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL);" CHG_INTO
"  SELECT " CHG_NOW ", 'mail', m.uuid, 'update', CASE WHEN NEW.deleted_at"
"  IS NULL THEN 'user' ELSE 'gone' END, NULL, NEW.user_id, NULL,"
"  NEW.deleted_at IS NOT NULL FROM mail m WHERE m.id = NEW.mail_id"
"  AND (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)"
"  AND NOT EXISTS (SELECT 1 FROM mail_boxes x WHERE x.mail_id ="
"  NEW.mail_id AND x.user_id = NEW.user_id AND x.deleted_at IS NULL"
"  AND x.rowid <> NEW.rowid); END;"
"CREATE TRIGGER mail_boxes_del AFTER DELETE ON mail_boxes"
"  WHEN OLD.uuid IS NOT NULL BEGIN" CHG_INTO
"  VALUES (" CHG_NOW ", 'mail_box', OLD.uuid, 'delete', 'user', NULL,"
"  OLD.user_id, NULL, 0); END;"
/* News and the library's sections are everyone's. */
CHG_ROW("news", "news", "", "'all'", "NULL", "NULL", "'all'", "NULL",
    "NULL", "0")
"CREATE TRIGGER library_sections_ins AFTER INSERT ON library_sections BEGIN"
	CHG_FILL_UUID("library_sections") CHG_INTO
"  SELECT " CHG_NOW ", 'library_section', s.uuid, 'insert', 'all', NULL,"
"  NULL, NULL, 0 FROM library_sections s WHERE s.rowid = NEW.rowid; END;"
"CREATE TRIGGER library_sections_upd AFTER UPDATE OF name, title, approval,"
"  position ON library_sections WHEN NEW.uuid IS NOT NULL BEGIN" CHG_INTO
"  VALUES (" CHG_NOW ", 'library_section', NEW.uuid, 'update', 'all',"
"  NULL, NULL, NULL, 0); END;"
"CREATE TRIGGER library_sections_del AFTER DELETE ON library_sections"
"  WHEN OLD.uuid IS NOT NULL BEGIN" CHG_INTO
"  VALUES (" CHG_NOW ", 'library_section', OLD.uuid, 'delete', 'all',"
"  NULL, NULL, NULL, 0); END;"
/* An item waiting for approval is its uploader's and the moderators'.  A
 * download is no change (v_library's list of columns). */
#define CHG_LIB_SCOPE(i)						\
	"CASE WHEN " i ".approved_at IS NULL THEN 'library-mods' ELSE 'all' END"
CHG_ROW("library_items", "library", " OF section, title, description,"
    " grades, tags, filename, filename_ascii, sha256, url, approved_at,"
    " approved_by, recommended_by, recommended_at, review, thread_id",
    CHG_LIB_SCOPE("NEW"), "NULL", "NEW.uploader_id",
    CHG_LIB_SCOPE("OLD"), "NULL", "OLD.uploader_id",
    "NEW.approved_at IS NULL AND OLD.approved_at IS NOT NULL")
/* Polls and their options are their board's; a vote is its voter's,
 * named by the option, and changes the poll's counts for all. */
CHG_ROW("polls", "poll", "", "'board'", "NEW.board_id", "NULL",
    "'board'", "OLD.board_id", "NULL", "0")
"CREATE TRIGGER poll_options_ins AFTER INSERT ON poll_options BEGIN"
	CHG_FILL_UUID("poll_options") CHG_INTO
"  SELECT " CHG_NOW ", 'poll_option', o.uuid, 'insert', 'board',"
"  p.board_id, NULL, NULL, 0 FROM poll_options o JOIN polls p"
"  ON p.id = o.poll_id WHERE o.rowid = NEW.rowid; END;"
"CREATE TRIGGER poll_options_upd AFTER UPDATE OF poll_id, position, text"
"  ON poll_options WHEN NEW.uuid IS NOT NULL BEGIN" CHG_INTO
"  SELECT " CHG_NOW ", 'poll_option', NEW.uuid, 'update', 'board',"
"  p.board_id, NULL, NULL, 0 FROM polls p WHERE p.id = NEW.poll_id; END;"
"CREATE TRIGGER poll_options_del AFTER DELETE ON poll_options"
"  WHEN OLD.uuid IS NOT NULL BEGIN" CHG_INTO
"  SELECT " CHG_NOW ", 'poll_option', OLD.uuid, 'delete', 'board',"
"  p.board_id, NULL, NULL, 0 FROM polls p WHERE p.id = OLD.poll_id; END;"
#define CHG_VOTE(op, when, r)						\
"CREATE TRIGGER poll_votes_" op " AFTER " when " ON poll_votes BEGIN"	\
	CHG_INTO							\
" SELECT " CHG_NOW ", 'vote', o.uuid, '" op "', 'user', p.board_id,"	\
" " r ".user_id, NULL, 0 FROM poll_options o JOIN polls p"		\
" ON p.id = o.poll_id WHERE o.id = " r ".option_id;" CHG_INTO		\
" SELECT " CHG_NOW ", 'poll', p.uuid, 'update', 'board', p.board_id,"	\
" NULL, NULL, 0 FROM polls p WHERE p.id = " r ".poll_id; END;"
CHG_VOTE("insert", "INSERT", "NEW")
CHG_VOTE("update", "UPDATE", "NEW")
CHG_VOTE("delete", "DELETE", "OLD")
/*
 * Accounts: a profile is everyone's once approved; one waiting is the
 * sysop's (and its owner's).  Language and terminal encoding are the
 * owner's alone; last_login and the password are no one's to sync.
 */
#define CHG_USER_SCOPE(u)						\
	"CASE WHEN " u ".role = 'pending' THEN 'sysop' ELSE 'all' END"
CHG_ROW("users", "user", " OF display_name, school, subjects, about, role,"
    " approved_at, rejected_at, reject_reason, banned_at, ban_reason",
    CHG_USER_SCOPE("NEW"), "NULL", "NEW.id",
    CHG_USER_SCOPE("OLD"), "NULL", "OLD.id",
    "NEW.role = 'pending' AND OLD.role <> 'pending'")
"CREATE TRIGGER users_own AFTER UPDATE OF lang, encoding, encoding_chosen"
"  ON users BEGIN" CHG_INTO
"  VALUES (" CHG_NOW ", 'user', NEW.uuid, 'update', 'user', NULL, NEW.id,"
"  NULL, 0); END;"
;

/*
 * Requests (common/request.c): the UUID of every request applied, with
 * what it made, so that one applied again (a resent draft, a retried
 * packet) changes nothing and returns the first result.  Drafts name
 * their target by UUID, as the drafts table says: those kept before
 * named it by row id (board, thread, post) or login (mail).
 */
static const char v_requests[] =
"CREATE TABLE requests ("
"  uuid          TEXT PRIMARY KEY,"
"  kind          TEXT NOT NULL,"		/* request_type.name */
"  user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  result_uuid   TEXT NOT NULL DEFAULT '',"
"  result_id     INTEGER NOT NULL DEFAULT 0,"
"  result_value  INTEGER NOT NULL DEFAULT 0,"
"  at            INTEGER NOT NULL"
") WITHOUT ROWID;"
"UPDATE drafts SET target = coalesce((SELECT uuid FROM boards b"
"  WHERE b.id = CAST(drafts.target AS INTEGER)), '') WHERE kind = 'post';"
"UPDATE drafts SET target = coalesce((SELECT uuid FROM threads t"
"  WHERE t.id = CAST(drafts.target AS INTEGER)), '') WHERE kind = 'reply';"
"UPDATE drafts SET target = coalesce((SELECT uuid FROM posts p"
"  WHERE p.id = CAST(drafts.target AS INTEGER)), '') WHERE kind = 'edit';"
"UPDATE drafts SET target = coalesce((SELECT uuid FROM users u"
"  WHERE u.login = drafts.target), '') WHERE kind = 'mail';"
;

/*
 * Search, issue 15 (common/search.c): the tokenizer no longer indexes
 * quoted lines ('>' first) and adds the stems of a word's dictionary
 * lemmas (hunspell-ru), so every index is read anew from its table.
 */
static const char v_search_lemmas[] =
"INSERT INTO posts_fts(posts_fts) VALUES ('rebuild');"
"INSERT INTO mail_fts(mail_fts) VALUES ('rebuild');"
"INSERT INTO library_fts(library_fts) VALUES ('rebuild');"
;

/*
 * Federation, issue 17 (common/share.c, bbs/parta-news.c): the boards
 * shared through INN under a newsgroup, the articles sent and received
 * (a post's Message-ID and its home server), the gateway's cursor per
 * group on the district's INN, and the author of a post from another
 * district, kept as text: she is no user here.  Server-side tables:
 * they are not synced, so they need no change triggers.
 */
static const char v_federation[] =
"CREATE TABLE board_shares ("
"  board_id      INTEGER PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,"
"  newsgroup     TEXT NOT NULL UNIQUE,"
"  from_post     INTEGER NOT NULL DEFAULT 0,"	/* posts up to it stay here */
"  shared_at     INTEGER NOT NULL"
");"
"CREATE TABLE articles ("
"  post_id       INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,"
"  message_id    TEXT NOT NULL UNIQUE,"
"  origin        TEXT NOT NULL,"		/* '': ours, sent */
"  at            INTEGER NOT NULL,"
"  cancelled_at  INTEGER"			/* ours: the cancel sent */
");"
"CREATE TABLE news_cursors ("
"  newsgroup     TEXT PRIMARY KEY,"
"  last          INTEGER NOT NULL"
") WITHOUT ROWID;"
/* Cancels that came before their post (another path, a later batch):
 * the post is stored hidden when it comes. */
"CREATE TABLE news_cancels ("
"  uuid          TEXT PRIMARY KEY,"
"  origin        TEXT NOT NULL,"
"  at            INTEGER NOT NULL"
") WITHOUT ROWID;"
"ALTER TABLE posts ADD COLUMN foreign_login TEXT;"	/* login@district */
"ALTER TABLE posts ADD COLUMN foreign_name TEXT;"
"ALTER TABLE threads ADD COLUMN foreign_login TEXT;"
;

/*
 * Digests made for a user (common/digest.c): the key their reply packets
 * are signed with.  Server-side: no client syncs it.
 */
static const char v_digests[] =
"CREATE TABLE digests ("
"  uuid          TEXT PRIMARY KEY,"
"  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  reply_key     TEXT NOT NULL,"		/* hex, 32 bytes */
"  made_at       INTEGER NOT NULL,"
"  since         INTEGER NOT NULL"
") WITHOUT ROWID;"
;

/*
 * Events, issue 16 (common/event.c): seminars, master classes, webinars
 * and olympiads on a board, and who signed up.  Times are UTC seconds;
 * they are typed and shown in the server's local time (its TZ).  An
 * event cancelled keeps its row (cancelled_at), so that those signed up
 * still see what was cancelled.  A sign-up is the board's moderators'
 * and its teacher's to see (board-mods, author_id her): the organiser
 * sees the list, each teacher her own.  Six triggers, no more: schema
 * memory is paid by every connection.
 */
static const char v_events[] =
"CREATE TABLE events ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  board_id      INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,"
"  organiser_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  kind          TEXT NOT NULL CHECK (kind IN ('seminar','masterclass',"
"                'webinar','olympiad')),"
"  title         TEXT NOT NULL,"
"  starts_at     INTEGER NOT NULL,"
"  minutes       INTEGER NOT NULL DEFAULT 90,"
"  place         TEXT NOT NULL DEFAULT '',"	/* a room or a link */
"  description   TEXT NOT NULL DEFAULT '',"
"  cap           INTEGER NOT NULL DEFAULT 0,"	/* 0: no cap */
/* Kept by event.c, so that a copy without others' sign-ups counts. */
"  going         INTEGER NOT NULL DEFAULT 0,"
"  waiting       INTEGER NOT NULL DEFAULT 0,"
"  sequence      INTEGER NOT NULL DEFAULT 0,"	/* iCalendar SEQUENCE */
"  created_at    INTEGER NOT NULL,"
"  updated_at    INTEGER NOT NULL,"
"  cancelled_at  INTEGER,"
"  cancel_reason TEXT"
");"
"CREATE INDEX events_start ON events(starts_at);"
"CREATE INDEX events_board ON events(board_id, starts_at);"
"CREATE TABLE event_signups ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  event_id      INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
"  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  waiting       INTEGER NOT NULL DEFAULT 0,"	/* 1: on the waiting list */
"  at            INTEGER NOT NULL,"
"  UNIQUE (event_id, user_id)"
");"
"CREATE INDEX event_signups_user ON event_signups(user_id, event_id);"
CHG_ROW("events", "event", "", "'board'", "NEW.board_id",
    "NEW.organiser_id", "'board'", "OLD.board_id", "OLD.organiser_id", "0")
CHG_ROW("event_signups", "event_signup", "", "'board-mods'",
    "(SELECT board_id FROM events WHERE id = NEW.event_id)", "NEW.user_id",
    "'board-mods'", "(SELECT board_id FROM events WHERE id = OLD.event_id)",
    "OLD.user_id", "0")
;

/*
 * Chat, issue 16 (common/chat.c): rooms, one per board (made with it by
 * boards_chat, and here for the boards there are) and the sysop's; and
 * their lines, kept for chat_history_days.  A line is its room's
 * board's (scope board) or everyone's (a room of the sysop's); hidden,
 * its moderators' and its author's (narrows: gone for the others).
 * Seven triggers: each costs every connection its schema memory
 * (measured in tests/bench/RESULTS.md).
 */
#define CHG_CHAT_SCOPE(r, l)						\
	"CASE WHEN " l ".hidden_at IS NULL THEN CASE WHEN " r ".board_id" \
	" IS NULL THEN 'all' ELSE 'board' END WHEN " r ".board_id IS NULL" \
	" THEN 'sysop' ELSE 'board-mods' END"
#define CHG_CHAT_LINE(op, when, l, narrows)				\
"CREATE TRIGGER chat_lines_" op " AFTER " when " ON chat_lines BEGIN"	\
	CHG_INTO							\
" SELECT " CHG_NOW ", 'chat_line', " l ".uuid, '" op "', "		\
	CHG_CHAT_SCOPE("r", l) ", r.board_id, NULL, " l ".author_id, "	\
	narrows " FROM chat_rooms r WHERE r.id = " l ".room_id; END;"
static const char v_chat[] =
"CREATE TABLE chat_rooms ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  name          TEXT,"			/* the sysop's; NULL: the board's */
"  board_id      INTEGER UNIQUE REFERENCES boards(id) ON DELETE CASCADE,"
"  created_at    INTEGER NOT NULL,"
"  closed_at     INTEGER"
");"
"CREATE TABLE chat_lines ("
"  id            INTEGER PRIMARY KEY,"
"  uuid          TEXT NOT NULL UNIQUE,"
"  room_id       INTEGER NOT NULL REFERENCES chat_rooms(id) ON DELETE CASCADE,"
"  author_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,"
"  body          TEXT NOT NULL,"
"  at            INTEGER NOT NULL,"
"  hidden_at     INTEGER,"
"  hidden_by     INTEGER REFERENCES users(id) ON DELETE SET NULL"
");"
"CREATE INDEX chat_lines_room ON chat_lines(room_id, id);"
"CREATE INDEX chat_lines_at ON chat_lines(at);"
"INSERT INTO chat_rooms(uuid, board_id, created_at)"
"  SELECT " CHG_UUID ", id, " CHG_NOW " FROM boards;"
"CREATE TRIGGER boards_chat AFTER INSERT ON boards BEGIN"
"  INSERT INTO chat_rooms(uuid, board_id, created_at)"
"  VALUES (" CHG_UUID ", NEW.id, " CHG_NOW "); END;"
CHG_ROW("chat_rooms", "chat_room", " OF name, closed_at",
    "CASE WHEN NEW.board_id IS NULL THEN 'all' ELSE 'board' END",
    "NEW.board_id", "NULL",
    "CASE WHEN OLD.board_id IS NULL THEN 'all' ELSE 'board' END",
    "OLD.board_id", "NULL", "0")
CHG_CHAT_LINE("insert", "INSERT", "NEW", "0")
CHG_CHAT_LINE("update", "UPDATE OF hidden_at", "NEW",
    "NEW.hidden_at IS NOT NULL AND OLD.hidden_at IS NULL")
CHG_CHAT_LINE("delete", "DELETE", "OLD", "0")
;

/* The threads a user wrote in, for the replies she follows (issue 15:
 * the board list and the login screen count them). */
static const char v_follow[] =
"CREATE INDEX posts_author ON posts(author_id, thread_id);"
;

/*
 * Teachers' pages and the directory (issue 16, common/page.c): whom her
 * page shows its fields to ('all': every approved member; 'boards': those
 * who share a board with her, page.h's rule), logged as a change of her
 * row, so every reader's copy gets the row again as she may now see it;
 * and her posts by author, for her page.  The directory keeps no index
 * in the store (page.c says why).
 */
static const char v_pages[] =
"ALTER TABLE users ADD COLUMN page_shows TEXT NOT NULL DEFAULT 'all'"
"  CHECK (page_shows IN ('all', 'boards'));"
"DROP TRIGGER users_ins; DROP TRIGGER users_upd; DROP TRIGGER users_del;"
CHG_ROW("users", "user", " OF display_name, school, subjects, about, role,"
    " approved_at, rejected_at, reject_reason, banned_at, ban_reason,"
    " page_shows",
    CHG_USER_SCOPE("NEW"), "NULL", "NEW.id",
    CHG_USER_SCOPE("OLD"), "NULL", "OLD.id",
    "NEW.role = 'pending' AND OLD.role <> 'pending'")
"CREATE INDEX posts_author_id ON posts(author_id, id);"
;

/*
 * Named UUIDs (store_new_row()): a server names its new threads, posts,
 * letters and accounts after its own namespace (meta.names, 64 random bits made
 * here once), the table and the row id, so that parta-sync can send the
 * UUID of such a row as a bit (BATCH_NAMED).  row_names keeps the
 * largest id each table has named, so that an id freed by a delete is
 * never named twice.  Rows made before keep their random UUIDs.
 */
static const char v_names[] =
"ALTER TABLE meta ADD COLUMN names INTEGER NOT NULL DEFAULT 0;"
"UPDATE meta SET names = random();"
"CREATE TABLE row_names ("
"  tbl           TEXT PRIMARY KEY,"
"  last          INTEGER NOT NULL"
") WITHOUT ROWID;"
;

/* Following by choice (issue 15): thread_reads.followed is NULL while
 * she has not chosen (her posts decide), 1 or 0 as she chose; its
 * change is her row's change, as the pointer's is. */
static const char v_followed[] =
"ALTER TABLE thread_reads ADD COLUMN followed INTEGER;"
"DROP TRIGGER thread_reads_ins;"
"DROP TRIGGER thread_reads_upd;"
"DROP TRIGGER thread_reads_del;"
CHG_THREAD_READS("OLD.last_post_id IS NOT NEW.last_post_id OR"
    " OLD.followed IS NOT NEW.followed")
;

/*
 * Sharing a board (issue 16, page.h's PAGE_SQL_SHOWN): a page set to
 * 'boards' shows school, subjects and about only to those who share a
 * board with her, and sync-rows.c blanks them for the others as it reads
 * her row.  So when she becomes a member of a board or stops being one
 * (her first shown post there, her last one hidden, deleted or moved
 * away, a coordinator added or removed), the rows whose fields that may
 * change are logged again, to be read as they are now: hers to every
 * reader of the board (scope board, which syncd does not count as a
 * change of her rights), and to her (scope user) those of the board's
 * members she shares no other board with.
 *
 * The triggers only say which membership may have changed, by a write to
 * the view page_moved (nothing is stored in it): user_id's of board_id,
 * not counting post post_id, the posts of thread thread_id, nor (with
 * coordinator 1) her coordinating it.  Its one trigger judges and logs,
 * so the rule is parsed once in each connection's schema (each trigger
 * costs every connection its parse: tests/bench/RESULTS.md).  The
 * membership written here is page.h's rule: a change there must be
 * mirrored here.
 */
static const char v_page_share[] =
/* Those who chose 'boards', found without reading every account. */
"CREATE INDEX users_page_boards ON users(id) WHERE page_shows = 'boards';"
"CREATE VIEW page_moved(user_id, board_id, post_id, thread_id,"
"  coordinator) AS SELECT NULL, NULL, NULL, NULL, NULL WHERE 0;"
"CREATE TRIGGER page_moved INSTEAD OF INSERT ON page_moved WHEN NOT"
"  (NEW.coordinator = 0 AND EXISTS (SELECT 1 FROM board_coordinators"
"  WHERE board_id = NEW.board_id AND user_id = NEW.user_id)) AND NOT"
"  EXISTS (SELECT 1 FROM posts p JOIN threads t ON t.id = p.thread_id"
"  WHERE p.author_id = NEW.user_id AND t.board_id = NEW.board_id AND"
"  p.hidden_at IS NULL AND p.id IS NOT NEW.post_id AND p.thread_id IS NOT"
"  NEW.thread_id) BEGIN" CHG_INTO
"  SELECT " CHG_NOW ", 'user', uuid, 'update', 'board', NEW.board_id,"
"  NULL, NULL, 0 FROM users WHERE id = NEW.user_id"
"  AND page_shows = 'boards';" CHG_INTO
/* The board's members whose boards, of hers and this one, are this one
 * alone (the members found once, and only if someone chose 'boards'). */
"  SELECT " CHG_NOW ", 'user', m.uuid, 'update', 'user', NULL,"
"  NEW.user_id, NULL, 0 FROM users m WHERE m.page_shows = 'boards'"
"  AND m.id <> NEW.user_id AND m.id IN (SELECT user_id FROM"
"  board_coordinators WHERE board_id = NEW.board_id UNION ALL SELECT"
"  p.author_id FROM threads t JOIN posts p ON p.thread_id = t.id WHERE"
"  t.board_id = NEW.board_id AND p.hidden_at IS NULL)"
"  AND (SELECT min(b = NEW.board_id) FROM"
"  (SELECT board_id AS b FROM board_coordinators WHERE user_id = m.id"
"  UNION ALL SELECT t.board_id FROM posts p JOIN threads t ON t.id ="
"  p.thread_id WHERE p.author_id = m.id AND p.hidden_at IS NULL) WHERE"
"  b = NEW.board_id OR b IN " PAGE_SQL_BOARDS("NEW.user_id") ") = 1; END;"
"CREATE TRIGGER posts_page_ins AFTER INSERT ON posts WHEN NEW.hidden_at"
"  IS NULL AND NEW.author_id IS NOT NULL BEGIN INSERT INTO page_moved"
"  SELECT NEW.author_id, board_id, NEW.id, NULL, 0 FROM threads"
"  WHERE id = NEW.thread_id; END;"
/* Hidden or shown again (no write moves a post to another thread). */
"CREATE TRIGGER posts_page_upd AFTER UPDATE OF hidden_at ON posts WHEN"
"  (OLD.hidden_at IS NULL) <> (NEW.hidden_at IS NULL) AND NEW.author_id"
"  IS NOT NULL BEGIN INSERT INTO page_moved SELECT NEW.author_id,"
"  board_id, NEW.id, NULL, 0 FROM threads WHERE id = NEW.thread_id; END;"
"CREATE TRIGGER posts_page_del AFTER DELETE ON posts WHEN OLD.hidden_at"
"  IS NULL AND OLD.author_id IS NOT NULL BEGIN INSERT INTO page_moved"
"  SELECT OLD.author_id, board_id, NULL, NULL, 0 FROM threads"
"  WHERE id = OLD.thread_id; END;"
/* A thread moved: its authors may have left the old board and joined
 * the new one. */
"CREATE TRIGGER threads_page AFTER UPDATE OF board_id ON threads"
"  WHEN OLD.board_id <> NEW.board_id BEGIN INSERT INTO page_moved"
"  SELECT DISTINCT p.author_id, x.b, NULL, x.t, 0 FROM posts p,"
"  (SELECT OLD.board_id AS b, NULL AS t UNION ALL SELECT NEW.board_id,"
"  NEW.id) x WHERE p.thread_id = NEW.id AND p.hidden_at IS NULL"
"  AND p.author_id IS NOT NULL; END;"
"CREATE TRIGGER board_coordinators_page_ins AFTER INSERT ON"
"  board_coordinators BEGIN INSERT INTO page_moved"
"  VALUES (NEW.user_id, NEW.board_id, NULL, NULL, 1); END;"
"CREATE TRIGGER board_coordinators_page_del AFTER DELETE ON"
"  board_coordinators BEGIN INSERT INTO page_moved"
"  VALUES (OLD.user_id, OLD.board_id, NULL, NULL, 1); END;"
;

const char *const store_migrations[] = {
	v1,
	v_boards,
	v_library,
	v_search,
	v_charset,
	v_libsearch,
	v_meta,
	v_partial,
	v_growth,
	v_reset,
	v_changes,
	v_requests,
	v_search_lemmas,
	v_federation,
	v_digests,
	v_events,
	v_chat,
	v_follow,
	v_pages,
	v_names,
	v_followed,
	v_page_share,
};
const int store_nmigrations = sizeof(store_migrations) / sizeof(store_migrations[0]);
