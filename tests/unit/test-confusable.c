/*
 * test-confusable.c: look-alike names.  Mixed scripts in one word are
 * refused outright; a name whose skeleton another account's name has is
 * refused at registration (user_create, which parta-sysop's "user add"
 * uses too) and on rename (user_set_profile); NFC and NFD spellings are
 * one name; a member keeps their own name when saving a profile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confusable.h"
#include "perr.h"
#include "store.h"
#include "t.h"
#include "t-tmp.h"
#include "user.h"
#include "util.h"

static void
test_mixed(void)
{
	static const struct t_int_case c[] = {
		{ "Ivаnova", 1, "Ivаnova (Cyrillic а) mixes scripts" },
		{ "Аnna Иванова", 1, "Latin n in a Cyrillic word" },
		{ "Анна Ivanova", 0, "two words, two alphabets: allowed" },
		{ "Әнкәм Һава", 0, "Tatar letters are Cyrillic" },
		{ "Анна-Мария", 0, "a hyphenated Cyrillic name" },
		{ "Ann\xd0\xb0", 1, "a Cyrillic letter at the end" },
		{ "Анна\xe2\x80\x8bX", 1,
		  "a zero-width space does not split a word" },
		{ "Αлла", 1, "Greek Alpha in a Cyrillic word" },
		{ "Анна 2", 0, "digits are not a script" },
	};

	t_ints(c, nitems(c), confusable_mixed);
}

static void
skel(const char *a, const char *b, int same, const char *what)
{
	char	*x = confusable_skeleton(a), *y = confusable_skeleton(b);

	T_OK((strcmp(x, y) == 0) == same, "%s", what);
	if ((strcmp(x, y) == 0) != same)
		printf("#   \"%s\" vs \"%s\"\n", x, y);
	free(x);
	free(y);
}

static void
test_skeleton(void)
{
	skel("ОКСАНА", "OKCAHA", 1, "ОКСАНА and OKCAHA (Latin capitals) look alike");
	skel("Сорокина Ольга", "Copokина 0льга", 1, "Latin c o p and a zero");
	skel("Анна Иванова", "анна  иванова ", 1, "case and blanks do not matter");
	skel("Ёлкина", "Елкина", 1, "ё and е");
	skel("Йошкина", "И\xcc\x86ошкина", 1, "NFC and NFD spellings are one name");
	skel("Һава", "hава", 1, "Tatar һ and Latin h");
	skel("Анна", "Ана", 0, "different names differ");
	skel("Анна Иванова", "Анна Иванова-Петрова", 0, "a longer name differs");
	skel("Иван", "Йван", 0, "й and и are different letters");
	skel("boba", "вова", 0, "Latin lower-case b is not в");
}

static int
create(struct store *st, const char *login, const char *name, const char **bad)
{
	struct user_new	 n = {
		.login = login, .display_name = name, .password = "password-1",
		.role = ROLE_TEACHER, .lang = "ru",
	};

	return user_create(st, &n, NULL, bad);
}

static void
test_accounts(void)
{
	struct store	*st = t_store("names");
	struct user	*u = NULL;
	const char	*bad = NULL;

	T_INT(create(st, "oksana", "Оксана Сорокина", &bad), 0, "Оксана Сорокина registers");
	T_INT(create(st, "fake", "OKCAHA COPOKИHA", &bad), PERR_NAME_MIXED,
	    "a word mixing Latin and Cyrillic is refused");
	T_STR(bad, "display_name", "the name field is to blame");
	T_INT(create(st, "fake", "OKCAHA COPOKNHA", &bad), 0,
	    "an all-Latin name that does not look the same passes");
	T_INT(create(st, "fake2", "Оксана  сорокина", &bad), PERR_NAME_LOOKALIKE,
	    "the same name in other case and spacing is refused");
	T_INT(create(st, "fake3", "OKCAHA COPOKIHA", &bad), 0,
	    "Latin I is not И");
	T_INT(create(st, "fake4", "ОКСАНА СОРОКIНА", &bad), PERR_NAME_MIXED,
	    "Latin I in a Cyrillic word");
	T_INT(create(st, "yo", "Ёлкина Вера", &bad), 0, "Ёлкина Вера registers");
	T_INT(create(st, "yo2", "Е\xcc\x88лкина Вера", &bad), PERR_NAME_LOOKALIKE,
	    "the same name decomposed is refused");
	T_INT(create(st, "tatar", "Әнкәм Һава", &bad), 0, "a Tatar name registers");
	T_INT(create(st, "tatar2", "Әнкәм hава", &bad), PERR_NAME_MIXED,
	    "Latin h in a Tatar word");

	T_INT(user_get(st, "yo", &u), 0, "look up yo");
	if (u == NULL)
		return;
	T_INT(user_set_profile(st, u->id, "Ёлкина Вера", "Школа", "", "", &bad), 0,
	    "saving one's profile keeps one's own name");
	T_INT(user_set_profile(st, u->id, "Oксана Сорокина", "", "", "", &bad),
	    PERR_NAME_MIXED, "renaming to a mixed-script name is refused");
	T_INT(user_set_profile(st, u->id, "ОКСАНА СОРОКИНА", "", "", "", &bad),
	    PERR_NAME_LOOKALIKE, "renaming to another's name is refused");
	T_STR(bad, "display_name", "the name field is to blame");
	T_INT(user_set_profile(st, u->id, "Ёлкина Вера Ивановна", "", "", "", &bad),
	    0, "renaming to a new name passes");
	T_INT(create(st, "yo3", "Ёлкина Вера", &bad), 0,
	    "the old name is free again");
	T_INT(user_check_display_name(st, "Ёлкина Вера Ивановна", 0),
	    PERR_NAME_LOOKALIKE, "user_check_display_name asks early");
	T_INT(user_check_display_name(st, "Ёлкина Вера Ивановна", u->id), 0,
	    "and lets the owner keep it");
	user_free(u);
	store_close(st);
}

int
main(void)
{
	t_tmpdir();
	test_mixed();
	test_skeleton();
	test_accounts();
	return t_done();
}
