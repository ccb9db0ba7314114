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
/* Sessions now connected; rows of dead processes are ignored and purged. */
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

const char *const store_migrations[] = {
	v1,
};
const int store_nmigrations = sizeof(store_migrations) / sizeof(store_migrations[0]);
