/*
 * test-draft.c: drafts in the store (common/draft.c): saved, found again
 * for the same kind and target (the editor opened again), listed newest
 * first with where each goes (the board's title, the thread's subject,
 * the recipient), another user's never, and a target gone leaves the
 * place empty rather than the draft unlisted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "draft.h"
#include "perr.h"
#include "post.h"
#include "store.h"
#include "user.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

static void
uuid_of(struct store *st, const char *sql, char *out)
{
	sqlite3_stmt	*stmt = store_stmt(st, sql, "");
	char		*s;

	out[0] = '\0';
	if (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW) {
		s = store_column_dup(stmt, 0);
		strlcpy_p(out, s, 37);
		free(s);
	}
	sqlite3_finalize(stmt);
}

int
main(void)
{
	struct store	*st;
	struct user	*anna, *boris;
	struct board	*b = NULL;
	struct draft	*d = NULL, *v = NULL;
	char		 board[37], thread[37], to[37];
	int64_t		 tid, pid, id1 = 0, id2 = 0, id3 = 0, other = 0, dup = 0;
	size_t		 n = 0;

	t_tmpdir();
	st = t_store("draft.db");
	anna = t_user_get(st, "anna", "Анна", ROLE_TEACHER);
	boris = t_user_get(st, "boris", "Борис", ROLE_TEACHER);
	T_INT(board_add(st, "math", "Математика", "", "test"), 0, "board add");
	T_INT(board_get_for(st, NULL, "math", 0, &b), 0, "board get");
	T_INT(post_thread_new(st, anna, anna->id, b->id, "Олимпиада", "Текст.",
	    &tid, &pid), 0, "a thread");
	uuid_of(st, "SELECT uuid FROM boards", board);
	uuid_of(st, "SELECT uuid FROM threads", thread);
	uuid_of(st, "SELECT uuid FROM users WHERE login = 'boris'", to);

	T_INT(draft_find(st, anna->id, "post", board, &d), PERR_NOTFOUND,
	    "no draft yet");
	T_OK(d == NULL, "and none handed back");
	T_INT(draft_save(st, anna->id, &id1, NULL, "post", board, "План",
	    "Первый."), 0, "a new thread's draft");
	T_INT(draft_save(st, anna->id, &id2, NULL, "reply", thread, "",
	    "Ответ."), 0, "a reply's draft");
	T_INT(draft_save(st, anna->id, &id3, NULL, "mail", to, "Письмо",
	    "Здравствуйте."), 0, "a letter's draft");
	T_INT(draft_save(st, boris->id, &other, NULL, "post", board, "Чужой",
	    "Борис."), 0, "another user's draft for the same board");
	/* A UUID another draft has is PERR_EXISTS, as draft.h says (the
	 * store's extended codes once made it a logged PERR_DB). */
	T_INT(draft_save(st, anna->id, &dup, "7a1d6e0e-3b0e-4c3f-9d4e-"
	    "0a0b0c0d0e0f", "post", board, "Копия", "Раз."), 0,
	    "a draft under a given UUID");
	dup = 0;
	T_INT(draft_save(st, anna->id, &dup, "7a1d6e0e-3b0e-4c3f-9d4e-"
	    "0a0b0c0d0e0f", "post", board, "Копия", "Два."), PERR_EXISTS,
	    "another under the same UUID is refused as taken");
	T_INT(dup, 0, "and gets no id");
	T_INT(store_write(st, NULL, "DELETE FROM drafts WHERE uuid = ?", "t",
	    "7a1d6e0e-3b0e-4c3f-9d4e-0a0b0c0d0e0f"), 0, "it goes again");

	T_INT(draft_find(st, anna->id, "post", board, &d), 0,
	    "the editor opened again for the board finds hers");
	T_OK(d != NULL && d->id == id1, "the right one");
	T_STR(d != NULL ? d->place : "", "Математика", "with the board's title");
	draft_free(d);
	d = NULL;
	T_INT(draft_find(st, anna->id, "reply", board, &d), PERR_NOTFOUND,
	    "another kind for the same target is not it");
	T_INT(draft_find(st, anna->id, "reply", thread, &d), 0, "the reply's");
	T_STR(d != NULL ? d->place : "", "Математика", "its board");
	T_STR(d != NULL ? d->place_sub : "", "Олимпиада", "and its thread");
	draft_free(d);
	d = NULL;

	/* Touched last: listed first. */
	T_INT(store_write(st, NULL, "UPDATE drafts SET updated_at = 1000"
	    " WHERE id = ?", "i", id1), 0, "age the first");
	T_INT(draft_list(st, anna->id, &v, &n), 0, "her drafts");
	T_OK(n == 3, "three, not Boris's (%zu)", n);
	T_OK(n == 3 && v[2].id == id1, "the oldest last");
	/* Saved in the same second: the later id first. */
	T_STR(n == 3 ? v[0].kind : "", "mail", "the letter first");
	T_STR(n == 3 ? v[0].place : "", "boris", "its recipient's login");
	T_STR(n == 3 ? v[0].place_sub : "", "Борис", "and name");
	draft_list_free(v, n);

	/* The board goes: the draft stays listed, its place empty. */
	T_INT(store_write(st, NULL, "UPDATE drafts SET target = 'gone'"
	    " WHERE id = ?", "i", id1), 0, "its target gone");
	T_INT(draft_list(st, anna->id, &v, &n), 0, "listed again");
	T_OK(n == 3 && *v[2].place == '\0', "still listed, nowhere to go");
	draft_list_free(v, n);
	T_INT(draft_list(st, 9999, &v, &n), 0, "a user with none");
	T_OK(n == 0 && v == NULL, "an empty list");

	board_free(b);
	user_free(anna);
	user_free(boris);
	store_close(st);
	return t_done();
}
