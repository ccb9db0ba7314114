/*
 * test-collate.c: Russian alphabetical order (collate.h), in C and as
 * SQLite's collation "RU" with fold() on a store's connection: ё right
 * after е, case ignored, Tatar letters after their base letters, Latin
 * before Cyrillic, stress marks ignored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collate.h"
#include "store.h"
#include "t.h"
#include "t-tmp.h"
#include "util.h"

/* Each word must sort strictly before the next. */
static void
check_order(const char *what, const char *const *v, size_t n)
{
	size_t	 i;
	int	 ok = 1;

	for (i = 0; i + 1 < n; i++) {
		if (collate_strcmp(v[i], v[i + 1]) >= 0 ||
		    collate_strcmp(v[i + 1], v[i]) <= 0) {
			printf("# \"%s\" should sort before \"%s\"\n", v[i], v[i + 1]);
			ok = 0;
		}
	}
	T_OK(ok, "%s", what);
}

/* memcmp of two collate_key()s, then the shorter first, as SQLite
 * compares BLOBs. */
static int
key_cmp(const char *a, const char *b)
{
	size_t	 na, nb;
	char	*ka = collate_key(a, (int)strlen(a), &na);
	char	*kb = collate_key(b, (int)strlen(b), &nb);
	int	 r = memcmp(ka, kb, na < nb ? na : nb);

	if (r == 0)
		r = (na > nb) - (na < nb);
	free(ka);
	free(kb);
	return (r > 0) - (r < 0);
}

/* The sort key orders every pair as collate_cmp() does. */
static void
test_key(void)
{
	static const char *const v[] = {
		"", " пробел", "1 класс", "Abel", "Ábel", "Ab", "Abfa", "ivan",
		"Zoe", "Анна", "анна", "Анна Иванова", "Ёлка", "ёлка",
		"ёлочка", "Елена", "Әлфия", "Алсу", "доро\xcc\x81га", "дорога",
		"дорогой", "Ива", "Иванова", "ЯКОВЛЕВА", "Яковлева Юлия",
		"\xff\xfe", "日本",
	};
	size_t	 i, j;
	int	 c, ok = 1;

	for (i = 0; i < nitems(v); i++)
		for (j = 0; j < nitems(v); j++) {
			c = collate_strcmp(v[i], v[j]);
			if (key_cmp(v[i], v[j]) != (c > 0) - (c < 0)) {
				printf("# key order of \"%s\" and \"%s\"\n", v[i],
				    v[j]);
				ok = 0;
			}
		}
	T_OK(ok, "collate_key orders as collate_cmp, every pair");
}

static void
test_order(void)
{
	static const char *const alpha[] = {
		"а", "Б", "в", "г", "д", "е", "ё", "ж", "з", "и", "й", "к",
		"л", "м", "н", "о", "п", "р", "с", "т", "у", "ф", "х", "ц",
		"ч", "ш", "щ", "ъ", "ы", "ь", "э", "ю", "я",
	};
	static const char *const yo[] = {
		"Елена", "елка", "Ермак", "Ёлка", "ёлочка", "Ёрш", "Жанна",
	};
	static const char *const tatar[] = {
		"Алсу", "Әлфия", "Бакыр", "Жанна", "Җәмилә", "Зөлфия",
		"Нурия", "Ңа", "Олег", "Өмет", "Павел", "Уфа", "Үзәк", "Фаина",
		"Хәйдәр", "Һава", "Цапля",
	};
	static const char *const scripts[] = {
		"", " пробел", "1 класс", "2 класс", "Abel", "Ábel", "Anna",
		"ivan", "Zoe", "Анна",
	};
	static const char *const people[] = {
		"Абрамова Анна", "абрамова Инна", "Ёжикова Вера",
		"Ёлкина Ольга", "Иванова Анна", "Иванова Анна Петровна",
		"ЯКОВЛЕВА", "Яковлева Юлия",
	};

	check_order("the Russian alphabet, case ignored", alpha, nitems(alpha));
	check_order("ё is a letter right after е", yo, nitems(yo));
	check_order("Tatar letters after their base letters", tatar, nitems(tatar));
	check_order("blanks, digits, Latin, then Cyrillic", scripts,
	    nitems(scripts));
	check_order("people's names", people, nitems(people));
	T_OK(collate_strcmp("ivan", "Иван") < 0, "Latin before Cyrillic");
	T_OK(collate_strcmp("Zoe", "Анна") < 0, "even Z before А");
	T_OK(collate_strcmp("10", "Anna") < 0, "digits before letters");
	T_OK(collate_strcmp("ёлка", "Ёлка") < 0 && collate_strcmp("Ёлка", "ёлка") > 0,
	    "same letters: lower case first, and a total order");
	T_INT(collate_strcmp("Ёлка", "Ёлка"), 0, "equal strings compare equal");
	T_OK(collate_strcmp("доро\xcc\x81га", "дорогой") < 0,
	    "a stress mark does not change the order");
	T_OK(collate_strcmp("Ábel", "Abel") > 0 && collate_strcmp("Ábel", "Abfa") < 0 &&
	    collate_strcmp("Ábel", "Ab") > 0,
	    "an accented Latin letter sorts by its base letter");
	T_OK(collate_strcmp("Ива", "Иванова") < 0, "a prefix sorts first");
	T_OK(collate_cmp("Анна", 2, "Анна", 8) < 0,
	    "lengths are bytes, as SQLite gives them");
}

static void
test_sql(void)
{
	static const char *const in[] = {
		"Яковлева", "ёлкина", "Ёжиков", "Елисеев", "Әхмәтова",
		"Ахмадуллина", "Борисов", "Smith", "абрамов",
	};
	static const char *const want =
	    "Smith,абрамов,Ахмадуллина,Әхмәтова,Борисов,Елисеев,Ёжиков,ёлкина,Яковлева";
	struct store	*st = t_store("collate");
	sqlite3_stmt	*stmt;
	char		 got[512] = "";
	size_t		 i;

	T_INT(store_exec(st, "CREATE TABLE names(n TEXT)"), 0, "a table");
	for (i = 0; i < nitems(in); i++) {
		stmt = store_prepare(st, "INSERT INTO names VALUES (?)");
		store_bind_text(stmt, 1, in[i]);
		(void)sqlite3_step(stmt);
		sqlite3_finalize(stmt);
	}
	stmt = store_prepare(st, "SELECT group_concat(n, ',') FROM"
	    " (SELECT n FROM names ORDER BY n COLLATE RU)");
	T_OK(stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW, "ORDER BY COLLATE RU");
	if (stmt != NULL && sqlite3_column_text(stmt, 0) != NULL)
		strlcpy_p(got, (const char *)sqlite3_column_text(stmt, 0), sizeof(got));
	sqlite3_finalize(stmt);
	T_STR(got, want, "the store sorts names in Russian order");

	stmt = store_prepare(st, "SELECT count(*) FROM names"
	    " WHERE instr(fold(n), fold(?)) > 0");
	store_bind_text(stmt, 1, "ЁЛ");
	T_OK(stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_int(stmt, 0) == 2,
	    "fold(): ЁЛ is found in ёлкина and Елисеев");
	sqlite3_finalize(stmt);
	stmt = store_prepare(st, "SELECT n FROM names WHERE fold(n) = fold(?)");
	store_bind_text(stmt, 1, "ӘХМӘТОВА");
	T_OK(stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(stmt, 0), "Әхмәтова") == 0,
	    "fold(): ӘХМӘТОВА finds Әхмәтова");
	sqlite3_finalize(stmt);
	store_close(st);
}

int
main(void)
{
	t_tmpdir();
	test_order();
	test_key();
	test_sql();
	t_tmp_cleanup();
	return t_done();
}
