/*
 * board-sql.h: SQL fragments that decide who sees what on the boards,
 * shared by board.c, post.c and poll.c so that every listing, the pager
 * and the new-scan agree.  Not a public interface: it expects the
 * statement to name the board "b", the thread "t", the post "p", and to
 * have the parameters :uid (the reader's id) and :role (the rank of the
 * reader's role, enum role), bound with board_bind_reader().
 */
#ifndef PARTA_BOARD_SQL_H
#define PARTA_BOARD_SQL_H

/* The rank of a role column, as enum role numbers them. */
#define SQL_RANK(col)							\
	"(CASE " col " WHEN 'teacher' THEN 1 WHEN 'expert' THEN 2"	\
	" WHEN 'coordinator' THEN 3 WHEN 'sysop' THEN 4 ELSE 0 END)"

/* The reader moderates board b: the sysop, or one of its coordinators. */
#define SQL_IS_MOD							\
	"(:role >= 4 OR EXISTS (SELECT 1 FROM board_coordinators bc"	\
	" WHERE bc.board_id = b.id AND bc.user_id = :uid))"

#define SQL_CAN_READ	"(:role >= " SQL_RANK("b.read_role") " OR " SQL_IS_MOD ")"
#define SQL_CAN_POST	"(:role >= " SQL_RANK("b.post_role") " OR " SQL_IS_MOD ")"

/* Thread t of board b is shown to the reader: not hidden, and approved
 * unless the reader wrote it or moderates the board. */
#define SQL_THREAD_SHOWN						\
	SQL_CAN_READ " AND t.hidden_at IS NULL AND (t.approved = 1 OR"	\
	" t.author_id = :uid OR " SQL_IS_MOD ")"

/* The open polls of board b the reader has not voted in (closes_at 0 or
 * NULL: never closes). */
#define SQL_POLLS_WAITING						\
	"(SELECT count(*) FROM polls pl WHERE pl.board_id = b.id AND"	\
	" (coalesce(pl.closes_at, 0) = 0 OR pl.closes_at >="		\
	" CAST(strftime('%s', 'now') AS INTEGER)) AND NOT EXISTS"	\
	" (SELECT 1 FROM poll_votes v WHERE v.poll_id = pl.id AND"	\
	" v.user_id = :uid))"

/* The reader's read mark for thread t: the higher of its own pointer and
 * the board's ("mark board read"). */
#define SQL_READ_MARK							\
	"max(coalesce((SELECT r.last_post_id FROM thread_reads r"	\
	" WHERE r.user_id = :uid AND r.thread_id = t.id), 0),"		\
	" coalesce((SELECT r.last_post_id FROM board_reads r"		\
	" WHERE r.user_id = :uid AND r.board_id = b.id), 0))"

/* Post p is new to the reader: shown, past the mark, not their own. */
#define SQL_POST_UNREAD							\
	"(p.hidden_at IS NULL AND p.id > " SQL_READ_MARK		\
	" AND p.author_id IS NOT :uid)"

/* The reader's choice for thread t: 1 she follows it, 0 she does not,
 * NULL she has not chosen (then her posts there decide). */
#define SQL_FOLLOW_CHOICE						\
	"(SELECT f.followed FROM thread_reads f WHERE f.user_id = :uid"	\
	" AND f.thread_id = t.id)"

/* The reader follows thread t: by choice, or she wrote in it. */
#define SQL_THREAD_FOLLOWED						\
	"coalesce(" SQL_FOLLOW_CHOICE ", EXISTS (SELECT 1 FROM posts q"	\
	" WHERE q.author_id = :uid AND q.thread_id = t.id))"

/* The threads of board b she follows that have posts new to her
 * (issue 15): in a thread followed by choice every such post; in one
 * she wrote in and did not leave, those after her first post there.  A
 * post older than hers is no reply to her, however unread (the thread's
 * opening post, in a digest reading whose read marks stayed behind).
 * Only her threads are looked into: those she wrote in (posts_author)
 * or chose, a set made once per statement, then each thread's posts by
 * posts_thread, so the cost goes with her threads, not the board's. */
#define SQL_REPLIES_WAITING						\
	"(SELECT count(*) FROM threads t WHERE t.board_id = b.id AND "	\
	SQL_THREAD_SHOWN " AND t.id IN (SELECT q.thread_id FROM posts q"	\
	" WHERE q.author_id = :uid UNION SELECT f.thread_id FROM"	\
	" thread_reads f WHERE f.user_id = :uid AND f.followed = 1)"	\
	" AND EXISTS (SELECT 1 FROM posts p WHERE p.thread_id = t.id"	\
	" AND " SQL_POST_UNREAD " AND CASE " SQL_FOLLOW_CHOICE		\
	" WHEN 1 THEN 1 WHEN 0 THEN 0 ELSE EXISTS (SELECT 1 FROM posts q"	\
	" WHERE q.author_id = :uid AND q.thread_id = t.id AND"		\
	" q.id < p.id) END))"

#endif
