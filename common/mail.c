/*
 * mail.c: private letters in the store.
 */
#include <stdlib.h>
#include <string.h>

#include "mail.h"
#include "perr.h"
#include "post.h"
#include "store.h"
#include "text.h"
#include "user.h"
#include "util.h"

STORE_ROWTYPE(mail_rows, struct letter,
	STORE_COL(I64, struct letter, id),
	STORE_COL(TEXT, struct letter, from),
	STORE_COL(TEXT, struct letter, from_name),
	STORE_COL(TEXT, struct letter, to),
	STORE_COL(TEXT, struct letter, to_name),
	STORE_COL(TEXT, struct letter, subject),
	STORE_COL(TEXT, struct letter, body),
	STORE_COL(I64, struct letter, created_at),
	STORE_COL(I64, struct letter, read_at),
	STORE_COL(I64, struct letter, recipients));

/* Insert the letter itself; the caller holds the transaction. */
static int
mail_insert(struct store *st, int64_t sender_id, const char *s,
    const char *b, int64_t reply_to, int64_t *id)
{
	return store_insert(st, "mail", id, "INSERT INTO mail(uuid, id,"
	    " sender_id, subject, body, reply_to, created_at) VALUES (?1, ?2,"
	    " nullif(?3, 0), ?4, ?5, (SELECT id FROM mail WHERE id = ?6), ?7)",
	    "ittii", sender_id, s, b, reply_to, now_unix());
}

/* File letter id: sql inserts into mail_boxes with ?1 the letter. */
static int
mail_file(struct store *st, const char *sql, int64_t id, int64_t a, int b,
    size_t *count)
{
	int	 rc, n;

	if ((rc = store_write(st, &n, sql, "iii", id, a, (int64_t)b)) == 0 &&
	    count != NULL)
		*count = (size_t)n;
	return rc;
}

int
mail_send(struct store *st, int64_t sender_id, const char *to_login,
    const char *subject, const char *body, int64_t reply_to, int64_t *id_out)
{
	struct user	*to = NULL;
	char		*s = NULL, *b = NULL;
	int64_t		 id = 0;
	int		 rc;

	if ((rc = user_get(st, to_login, &to)) == PERR_NOTFOUND ||
	    (rc == 0 && user_state(to) != USER_ACTIVE))
		rc = PERR_NO_USER;
	/* Refused before the transaction: not through out, which would roll
	 * back a caller's (store.h). */
	if (rc != 0 || (rc = post_texts(subject, body, &s, &b)) != 0) {
		user_free(to);
		return rc;
	}
	if ((rc = store_begin(st)) != 0)
		goto out;
	if ((rc = mail_insert(st, sender_id, s, b, reply_to, &id)) == 0)
		rc = mail_file(st, "INSERT INTO mail_boxes(mail_id, user_id,"
		    " folder) VALUES (?1, ?2, 'inbox')", id, to->id, 0, NULL);
	if (rc == 0 && sender_id != 0)
		rc = mail_file(st, "INSERT INTO mail_boxes(mail_id, user_id,"
		    " folder, read_at) VALUES (?1, ?2, 'sent', ?3)", id,
		    sender_id, 1, NULL);
out:
	if ((rc = store_end(st, rc)) == 0 && id_out != NULL)
		*id_out = id;
	user_free(to);
	free(s);
	free(b);
	return rc;
}

int
mail_broadcast(struct store *st, int64_t sender_id, int role,
    const char *subject, const char *body, size_t *count)
{
	char	*s = NULL, *b = NULL;
	int64_t	 id = 0;
	int	 rc;

	*count = 0;
	if ((rc = post_texts(subject, body, &s, &b)) != 0)
		return rc;
	if ((rc = store_begin(st)) != 0)
		goto out;
	if ((rc = mail_insert(st, sender_id, s, b, 0, &id)) == 0)
		rc = mail_file(st, "INSERT INTO mail_boxes(mail_id, user_id,"
		    " folder) SELECT ?1, id, 'inbox' FROM users WHERE banned_at"
		    " IS NULL AND role <> 'pending' AND (?3 < 0 OR role = CASE ?3"
		    " WHEN 1 THEN 'teacher' WHEN 2 THEN 'expert' WHEN 3 THEN"
		    " 'coordinator' WHEN 4 THEN 'sysop' ELSE '' END) AND ?2 = ?2",
		    id, 0, role, count);
	if (rc == 0 && sender_id != 0)
		rc = mail_file(st, "INSERT INTO mail_boxes(mail_id, user_id,"
		    " folder, read_at) VALUES (?1, ?2, 'sent', ?3)", id,
		    sender_id, 1, NULL);
out:
	if ((rc = store_end(st, rc)) != 0)
		*count = 0;
	free(s);
	free(b);
	return rc;
}

/* The columns of mail_rows for the box rows mb of a folder; ?1 is the
 * user, ?2 the folder. */
#define MAIL_SELECT							\
	"SELECT m.id, coalesce(s.login, ''),"				\
	" coalesce(s.display_name, ''), coalesce(r.login, ''),"		\
	" coalesce(r.display_name, ''), m.subject, m.body,"		\
	" m.created_at, coalesce(mb.read_at, 0),"			\
	" (SELECT count(*) FROM mail_boxes x WHERE x.mail_id = m.id"	\
	" AND x.folder = 'inbox')"					\
	" FROM mail_boxes mb JOIN mail m ON m.id = mb.mail_id"		\
	" LEFT JOIN users s ON s.id = m.sender_id"			\
	" LEFT JOIN users r ON r.id = (SELECT x.user_id FROM mail_boxes x" \
	" WHERE x.mail_id = m.id AND x.folder = 'inbox' LIMIT 1)"	\
	" WHERE mb.user_id = ?1 AND mb.folder = ?2 AND mb.deleted_at IS NULL"

int
mail_list(struct store *st, int64_t user_id, const char *folder,
    struct letter **out, size_t *n)
{
	return store_rows(st, store_stmt(st, MAIL_SELECT " ORDER BY m.id DESC",
	    "it", user_id, folder), &mail_rows, out, n, "mail list");
}

int
mail_newest(struct store *st, int64_t user_id, int64_t after,
    struct letter **out)
{
	return store_row_new(st, store_stmt(st, MAIL_SELECT " AND mb.mail_id > ?3"
	    " ORDER BY mb.mail_id DESC LIMIT 1", "iti", user_id, "inbox", after),
	    &mail_rows, out, "mail newest");
}

void
mail_list_free(struct letter *v, size_t n)
{
	store_rows_free(&mail_rows, v, n);
}

/* Run an UPDATE of one box row; PERR_NOTFOUND when none changed. */
static int
mail_update(struct store *st, const char *sql, int64_t user_id,
    const char *folder, int64_t id)
{
	int	 rc, n;

	rc = store_write(st, &n, sql, "iiti", now_unix(), user_id, folder, id);
	return rc == 0 && n == 0 ? PERR_NOTFOUND : rc;
}

int
mail_set_read(struct store *st, int64_t user_id, int64_t id, int read)
{
	return mail_update(st, read ?
	    "UPDATE mail_boxes SET read_at = coalesce(read_at, ?1) WHERE"
	    " user_id = ?2 AND folder = ?3 AND mail_id = ?4" :
	    "UPDATE mail_boxes SET read_at = NULL WHERE user_id = ?2 AND"
	    " folder = ?3 AND mail_id = ?4 AND ?1 = ?1", user_id, "inbox", id);
}

int
mail_delete(struct store *st, int64_t user_id, const char *folder, int64_t id)
{
	return mail_update(st, "UPDATE mail_boxes SET deleted_at = ?1 WHERE"
	    " user_id = ?2 AND folder = ?3 AND mail_id = ?4"
	    " AND deleted_at IS NULL", user_id, folder, id);
}

int64_t
mail_unread(struct store *st, int64_t user_id)
{
	int64_t	 n;
	int	 rc;

	rc = store_int(st, &n, "SELECT count(*) FROM mail_boxes WHERE"
	    " user_id = ? AND folder = 'inbox' AND read_at IS NULL"
	    " AND deleted_at IS NULL", "i", user_id);
	return rc != 0 ? rc : n;
}
