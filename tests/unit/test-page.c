/*
 * test-page.c: teachers' pages and the directory (common/page.c): the
 * directory found by name, school and subject with the Russian search
 * rules (stems, ё as е, case, Tatar letters), in the Russian order of
 * names; whom a page shows to (everyone, the members of her boards, the
 * sysop, herself), and that a hidden page is found neither by its school
 * nor by its subjects, lists none of her posts, and reaches parta-sync's
 * rows (sync-rows.c) without its school, subjects and about.  Sharing a
 * board that begins or ends (a first post, the last one hidden, deleted
 * or moved away, a coordinator added or removed) has the change log tell
 * the readers whose view of a page it changes to fetch its row again,
 * and only them.  A list of none is empty (0), one that cannot be read an
 * error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "page.h"
#include "perr.h"
#include "post.h"
#include "request.h"
#include "store.h"
#include "sync-rows.h"
#include "user.h"
#include "util.h"
#include "t.h"
#include "t-tmp.h"

static struct store *st;

static void
profile(int64_t id, const char *name, const char *school,
    const char *subjects, const char *about)
{
	const char	*bad;

	T_INT(user_set_profile(st, id, name, school, subjects, about, &bad), 0,
	    "profile of %s", name);
}

/* The directory's logins for query as reader, comma-separated. */
static char *
found(const struct user *reader, const char *query)
{
	struct page_member *v;
	size_t		 n, i, len = 0;
	char		*s = xstrdup("");
	int		 rc;

	if ((rc = page_directory(st, reader, query, &v, &n)) != 0) {
		free(s);
		return xasprintf("error %d", rc);
	}
	for (i = 0; i < n; i++) {
		s = xrealloc(s, len + strlen(v[i].login) + 2);
		len += (size_t)sprintf(s + len, "%s%s", i > 0 ? "," : "",
		    v[i].login);
	}
	page_members_free(v, n);
	return s;
}

/* The directory as reader finds want for query. */
static void
finds(const struct user *reader, const char *query, const char *want,
    const char *what)
{
	char	*got = found(reader, query);

	T_STR(got, want, "directory: %s", what);
	free(got);
}

static const struct {
	const char	*what, *query, *want;
} directory_cases[] = {
	{ "everyone, in Russian order", NULL,
	  "anna,boris,yozh,gulnara,dina,sysop" },
	{ "by school with its number", "школа №2", "anna,dina" },
	{ "by school, another case", "ГИМНАЗИЯ", "boris" },
	{ "by subject", "математика", "anna,gulnara" },
	{ "by subject in another form", "математике", "anna,gulnara" },
	{ "ё as е", "Ежов", "yozh" },
	{ "ё typed for е", "Ёжов", "yozh" },
	{ "a Tatar name with ә and ү", "Гөлнара", "gulnara" },
	{ "a Tatar name in another case", "ГӨЛНАРА", "gulnara" },
	{ "a Tatar subject", "әдәбияты", "gulnara" },
	{ "a name and a school", "Анна школа", "anna" },
	{ "nobody", "биология", "" },
};

static void
test_directory(const struct user *reader)
{
	size_t	 i;

	for (i = 0; i < nitems(directory_cases); i++)
		finds(reader, directory_cases[i].query, directory_cases[i].want,
		    directory_cases[i].what);
	finds(reader, "\"школа", "error -401", "a query with an open quote");
}

/* Whether reader sees owner's page, and its school. */
static void
sees(const struct user *reader, int64_t owner, int want, const char *who)
{
	struct page_member *m = NULL;

	T_INT(page_member(st, reader, owner, &m), 0, "%s: her page reads", who);
	if (m == NULL)
		return;
	T_INT(m->shown, want, "%s: %s", who, want ? "shown" : "hidden");
	T_OK(want ? *m->school != '\0' : *m->school == '\0' &&
	    *m->subjects == '\0' && *m->about == '\0',
	    "%s: school, subjects and about %s", who, want ? "shown" : "empty");
	page_members_free(m, 1);
}

/* The fields parta-sync sends of owner's row to reader. */
static void
synced(const struct user *reader, const char *uuid, int want, const char *who)
{
	struct sync_rows	*s = sync_rows_new(st, reader->id);
	struct sync_rowbuf	*r = NULL;
	size_t			 i;
	int			 school = -1, shows = 0;

	sync_rows_user(s, reader);
	T_INT(sync_rows_fetch(s, sync_rows_entity("user"), uuid, &r), 0,
	    "%s: sync reads her row", who);
	for (i = 0; r != NULL && i < r->row.nfields; i++) {
		if (strcmp(r->row.fields[i].name, "school") == 0)
			school = r->row.fields[i].len > 0;
		if (strcmp(r->row.fields[i].name, "page_shows") == 0)
			shows = 1;
	}
	T_INT(school, want, "%s: sync sends her school %s", who,
	    want ? "as it is" : "empty");
	T_INT(shows, 1, "%s: sync sends whom her page shows to", who);
	sync_rowbuf_free(r);
	sync_rows_free(s);
}

/* How many times reader was told since seq since to fetch owner's row. */
static int
told(const struct user *reader, const struct user *owner, int64_t since)
{
	return t_changes(st, reader, since, "user", owner->uuid);
}

/* Since seq since, a and b were each told to fetch the other's row
 * want times. */
static void
told_both(const struct user *a, const struct user *b, int64_t since,
    int want, const char *what)
{
	T_INT(told(a, b, since), want, "%s: %s is told %s's row %d"
	    " times", what, a->login, b->login, want);
	T_INT(told(b, a, since), want, "%s: %s is told %s's row %d"
	    " times", what, b->login, a->login, want);
}

/*
 * Gulnara and yozh show their pages to members of their boards, dina
 * to all.  Each write that makes or ends their sharing a board has
 * each told the other's row (and every reader of the board hers), and
 * sync then sends it as it is now; writes that change no sharing tell
 * nobody.
 */
static void
test_share(void)
{
	struct user	*gul, *yozh, *dina, *sysop;
	int64_t		 bio, geo, tid, first, second, pid, since;
	int		 kept;

	user_get(st, "gulnara", &gul);
	user_get(st, "yozh", &yozh);
	user_get(st, "dina", &dina);
	user_get(st, "sysop", &sysop);
	T_INT(page_set_shows(st, gul->id, "boards"), 0, "gulnara: my boards");
	T_INT(page_set_shows(st, yozh->id, "boards"), 0, "yozh: my boards");
	T_INT(board_add(st, "bio", "Биология", "", "console"), 0, "bio");
	T_INT(board_add(st, "geo", "География", "", "console"), 0, "geo");
	bio = t_int(st, "SELECT id FROM boards WHERE name = 'bio'", NULL);
	geo = t_int(st, "SELECT id FROM boards WHERE name = 'geo'", NULL);
	T_INT(post_thread_new(st, gul, 0, bio, "Гербарий", "Что собирать?",
	    &tid, &pid), 0, "gulnara writes on bio");
	T_INT(post_thread_new(st, dina, 0, bio, "Опыты", "С растениями.",
	    &pid, &pid), 0, "so does dina");
	synced(yozh, gul->uuid, 0, "yozh, no board shared yet");

	since = t_changes_head(st);
	T_INT(post_reply(st, yozh, tid, 0, "Листья.", &first), 0,
	    "yozh's first post on bio");
	told_both(gul, yozh, since, 1, "his first post on her board");
	T_INT(told(dina, yozh, since), 1, "every reader of the board is"
	    " told his row");
	T_INT(told(yozh, dina, since), 0, "but not a page shown to all");
	synced(yozh, gul->uuid, 1, "yozh, a board shared");
	synced(gul, yozh->uuid, 1, "gulnara, a board shared");

	since = t_changes_head(st);
	T_INT(post_reply(st, yozh, tid, 0, "И цветы.", &second), 0,
	    "his second post");
	T_INT(post_hide(st, sysop, "sysop", first, "не по теме"), 0,
	    "his first hidden");
	told_both(gul, yozh, since, 0, "a second post, one of two hidden");

	since = t_changes_head(st);
	T_INT(post_hide(st, sysop, "sysop", second, "не по теме"), 0,
	    "his last post there hidden");
	told_both(gul, yozh, since, 1, "his last post hidden");
	synced(yozh, gul->uuid, 0, "yozh, his last post hidden");
	synced(gul, yozh->uuid, 0, "gulnara, his last post hidden");

	since = t_changes_head(st);
	T_INT(post_unhide(st, sysop, "sysop", second), 0, "shown again");
	told_both(gul, yozh, since, 1, "his post shown again");
	synced(yozh, gul->uuid, 1, "yozh, his post shown again");

	since = t_changes_head(st);
	T_INT(post_delete(st, yozh, second, 60, &kept), 0, "he deletes it");
	told_both(gul, yozh, since, 1, "his last post deleted");
	synced(yozh, gul->uuid, 0, "yozh, his last post deleted");

	since = t_changes_head(st);
	T_INT(board_coordinator(st, "bio", "yozh", 1, "console"), 0,
	    "yozh coordinates bio");
	told_both(gul, yozh, since, 1, "a coordinator added");
	synced(gul, yozh->uuid, 1, "gulnara, he coordinates her board");
	since = t_changes_head(st);
	T_INT(board_coordinator(st, "bio", "yozh", 0, "console"), 0,
	    "no longer");
	told_both(gul, yozh, since, 1, "a coordinator removed");
	synced(gul, yozh->uuid, 0, "gulnara, he no longer coordinates it");

	/* Her thread moved to geo, which he coordinates: she leaves bio,
	 * which dina reads, and joins geo. */
	T_INT(board_coordinator(st, "geo", "yozh", 1, "console"), 0,
	    "yozh coordinates geo");
	synced(dina, gul->uuid, 1, "dina, bio shared with gulnara");
	since = t_changes_head(st);
	T_INT(post_thread_move(st, sysop, "sysop", tid, geo), 0,
	    "her thread moved to geo");
	T_INT(told(dina, gul, since), 2, "dina is told her row, as a"
	    " reader of each board");
	synced(dina, gul->uuid, 0, "dina, bio no longer shared");
	T_INT(told(yozh, gul, since), 2, "so is yozh");
	T_INT(told(gul, yozh, since), 1, "she is told his row once");
	synced(yozh, gul->uuid, 1, "yozh, geo shared");

	/* Sharing one board more is no news to one who shares another. */
	T_INT(board_coordinator(st, "bio", "yozh", 1, "console"), 0,
	    "yozh coordinates bio again");
	since = t_changes_head(st);
	T_INT(post_thread_new(st, gul, 0, bio, "Ещё", "Про мхи.", &pid,
	    &pid), 0, "she writes on bio again");
	T_INT(told(gul, yozh, since), 0, "she is not told his row:"
	    " they share geo");
	synced(gul, yozh->uuid, 1, "gulnara, geo and bio shared");
	user_free(gul);
	user_free(yozh);
	user_free(dina);
	user_free(sysop);
}

static void
test_shown(void)
{
	struct user	*anna, *boris, *dina, *sysop;
	struct page_member *v;
	struct page_item *it;
	struct request	 r;
	struct request_result res;
	size_t		 n;
	int64_t		 math, tid, pid, head;
	char		*q;

	user_get(st, "anna", &anna);
	user_get(st, "boris", &boris);
	user_get(st, "dina", &dina);
	user_get(st, "sysop", &sysop);
	T_INT(board_add(st, "math", "Математика", "", "console"), 0, "board");
	T_INT(board_add(st, "chem", "Химия", "", "console"), 0, "board 2");
	math = t_int(st, "SELECT id FROM boards WHERE name = 'math'", NULL);
	T_INT(post_thread_new(st, anna, 0, math, "Дроби", "Как объяснять?",
	    &tid, &pid), 0, "anna writes on math");
	T_INT(post_reply(st, dina, tid, 0, "Наглядно.", &pid), 0,
	    "dina answers on math");
	T_INT(board_coordinator(st, "chem", "boris", 1, "console"), 0,
	    "boris coordinates chem");

	sees(boris, anna->id, 1, "a page for all");
	request_init(&r, REQ_PAGE_SHOWS, anna);
	r.text = "friends";
	T_INT(request_apply(st, &r, 0, &res), PERR_PAGE_SHOWS,
	    "an unknown setting is refused");
	head = t_int(st, "SELECT max(seq) FROM changes", NULL);
	request_init(&r, REQ_PAGE_SHOWS, anna);
	r.text = "boards";
	T_INT(request_apply(st, &r, 0, &res), 0, "anna: only my boards");
	T_INT(request_apply(st, &r, 0, &res), 0, "the same request again");
	T_INT(t_int(st, "SELECT count(*) FROM requests WHERE kind ="
	    " 'page-shows'", NULL), 1, "and it is one request");
	q = xasprintf("SELECT count(*) FROM changes WHERE entity = 'user'"
	    " AND uuid = ? AND op = 'update' AND scope = 'all' AND seq > %lld",
	    (long long)head);
	T_INT(t_int(st, q, anna->uuid), 1,
	    "the change log tells everyone of her row");
	free(q);

	sees(boris, anna->id, 0, "no shared board");
	sees(dina, anna->id, 1, "a shared board");
	sees(sysop, anna->id, 1, "the sysop");
	sees(anna, anna->id, 1, "her own");
	synced(boris, anna->uuid, 0, "no shared board");
	synced(dina, anna->uuid, 1, "a shared board");

	finds(boris, "школа №2", "dina", "a hidden page is not found by its"
	    " school");
	finds(boris, "математика", "gulnara", "nor by its subjects");
	finds(boris, "Анна", "anna", "but by her name");
	finds(dina, "математика", "anna,gulnara", "and by all to one who shares"
	    " a board");

	T_INT(page_items(st, boris, anna->id, PAGE_POSTS, &it, &n), 0,
	    "posts of a hidden page");
	T_INT(n, 0, "list none");
	page_items_free(it, n);
	T_INT(page_items(st, dina, anna->id, PAGE_POSTS, &it, &n), 0,
	    "posts of a shown page");
	T_INT(n, 1, "list hers");
	T_STR(n > 0 ? it[0].where : "", "Математика", "with her board");
	page_items_free(it, n);
	T_INT(page_items(st, dina, anna->id, PAGE_THREADS, &it, &n), 0,
	    "threads of a shown page");
	T_STR(n > 0 ? it[0].title : "", "Дроби", "list hers");
	page_items_free(it, n);
	/* None of hers is an empty list, not an error; a list that cannot
	 * be read is one. */
	T_INT(page_items(st, dina, anna->id, PAGE_EVENTS, &it, &n), 0,
	    "events of a page with none");
	T_INT(n, 0, "list none, as empty");
	page_items_free(it, n);
	T_INT(store_exec(st, "ALTER TABLE events RENAME TO events_kept"), 0,
	    "the events cannot be read");
	T_INT(page_items(st, dina, anna->id, PAGE_EVENTS, &it, &n), PERR_DB,
	    "a list that cannot be read fails");
	T_INT(n, 0, "and lists nothing");
	T_INT(store_exec(st, "ALTER TABLE events_kept RENAME TO events"), 0,
	    "the events back");

	/* Coordinating is being a member: boris's page for his board. */
	T_INT(page_set_shows(st, boris->id, "boards"), 0, "boris: my boards");
	sees(anna, boris->id, 0, "a coordinator of another board");
	T_INT(board_coordinator(st, "math", "boris", 1, "console"), 0,
	    "boris coordinates math too");
	sees(anna, boris->id, 1, "a coordinator of her board");

	T_INT(page_directory(st, boris, "   ", &v, &n), 0, "a blank query");
	T_INT(n, 6, "lists everyone");
	page_members_free(v, n);
	user_free(anna);
	user_free(boris);
	user_free(dina);
	user_free(sysop);
}

int
main(void)
{
	struct user	*reader;
	int64_t		 id;

	t_tmpdir();
	st = t_store("page.db");
	id = t_user(st, "anna", "Анна Петровна", ROLE_TEACHER);
	profile(id, "Анна Петровна", "Школа №2 с. Кукмор", "Математика, физика",
	    "Веду кружок.");
	id = t_user(st, "boris", "Борис Ильич", ROLE_TEACHER);
	profile(id, "Борис Ильич", "Гимназия №1", "Химия", "");
	id = t_user(st, "gulnara", "Гөлнара Сабирова", ROLE_TEACHER);
	profile(id, "Гөлнара Сабирова", "Мәктәп №5", "Татар әдәбияты,"
	    " математика", "");
	id = t_user(st, "yozh", "Всеволод Ёжов", ROLE_TEACHER);
	profile(id, "Всеволод Ёжов", "Лицей", "История", "");
	id = t_user(st, "dina", "Дина Ахмерова", ROLE_TEACHER);
	profile(id, "Дина Ахмерова", "Школа №2", "Русский язык", "");
	(void)t_user(st, "sysop", "Системный оператор", ROLE_SYSOP);
	(void)t_user(st, "pend", "Анна Ждущая", ROLE_PENDING);
	id = t_user(st, "banned", "Анна Забаненная", ROLE_TEACHER);
	T_INT(user_ban(st, "banned", "спам", "console"), 0, "a ban");

	T_INT(page_shows_parse("boards"), PAGE_SHOWS_BOARDS, "parse boards");
	T_INT(page_shows_parse("x"), -1, "parse an unknown word");
	T_STR(page_shows_name(PAGE_SHOWS_ALL), "all", "the name of all");

	user_get(st, "dina", &reader);
	test_directory(reader);
	user_free(reader);
	test_shown();
	test_share();
	store_close(st);
	return t_done();
}
