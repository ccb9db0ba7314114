/*
 * test-pwhash.c: yescrypt hashes, their verification, and the length
 * policy for new passwords.
 */
#include <stdlib.h>
#include <string.h>

#include "perr.h"
#include "pwhash.h"
#include "t.h"

static void
test_policy(void)
{
	char	 buf[700];

	T_INT(pw_check_policy(""), PERR_PW_SHORT, "empty password refused");
	T_INT(pw_check_policy("1234567"), PERR_PW_SHORT, "7 characters refused");
	T_INT(pw_check_policy("12345678"), 0, "8 characters accepted");
	T_INT(pw_check_policy(t_fill(buf, 'x', 128)), 0, "128 characters accepted");
	T_INT(pw_check_policy(t_fill(buf, 'x', 129)), PERR_PW_LONG,
	    "129 characters refused");

	/* The rule and its message speak of characters, and Russian
	 * teachers type Cyrillic passwords: 2 bytes per letter. */
	T_INT(pw_check_policy("пароль1"), PERR_PW_SHORT,
	    "7 Cyrillic characters (13 bytes) refused");
	T_INT(pw_check_policy("пароль12"), 0, "8 Cyrillic characters accepted");
	buf[0] = '\0';
	while (strlen(buf) < 2 * 64)
		strcat(buf, "я");
	T_INT(pw_check_policy(buf), 0, "64 Cyrillic characters (128 bytes) accepted");
	strcat(buf, "я");
	T_INT(pw_check_policy(buf), 0, "65 Cyrillic characters (130 bytes) accepted");
	while (strlen(buf) < 2 * 128)
		strcat(buf, "я");
	T_INT(pw_check_policy(buf), 0, "128 Cyrillic characters accepted");
	strcat(buf, "я");
	T_INT(pw_check_policy(buf), PERR_PW_LONG, "129 Cyrillic characters refused");
	/* Stray continuation bytes are not characters but do count as
	 * bytes: 8 letters padded to 600 bytes is refused. */
	memset(buf, 0x80, 600);
	memcpy(buf, "abcdefgh", 8);
	buf[600] = '\0';
	T_INT(pw_check_policy(buf), PERR_PW_LONG, "600 bytes are too long whatever they count as");
}

static void
test_hash(void)
{
	char	*h1, *h2;

	h1 = pw_hash("correct horse");
	h2 = pw_hash("correct horse");
	T_OK(h1 != NULL && h2 != NULL, "pw_hash returns hashes");
	if (h1 == NULL || h2 == NULL) {
		free(h1);
		free(h2);
		return;
	}
	T_OK(strncmp(h1, "$y$", 3) == 0, "hash is yescrypt ($y$): %s", h1);
	T_OK(strstr(h1, "correct") == NULL, "hash does not contain the password");
	T_OK(strcmp(h1, h2) != 0, "two hashes of one password differ (salt)");
	T_OK(pw_verify("correct horse", h1), "right password verifies");
	T_OK(pw_verify("correct horse", h2), "right password verifies the other hash");
	T_OK(!pw_verify("correct horsE", h1), "wrong case refused");
	T_OK(!pw_verify("correct horse ", h1), "trailing space refused");
	T_OK(!pw_verify("correct hors", h1), "prefix refused");
	T_OK(!pw_verify("", h1), "empty password refused");
	T_OK(!pw_verify("correct horse", NULL), "NULL hash never verifies");
	T_OK(!pw_verify("", NULL), "NULL hash never verifies the empty password");
	T_OK(!pw_verify("correct horse", ""), "empty hash never verifies");
	T_OK(!pw_verify("correct horse", "*"), "locked hash \"*\" never verifies");
	T_OK(!pw_verify("correct horse", "$y$"), "truncated setting never verifies");
	free(h1);
	free(h2);

	h1 = pw_hash("пароль-Ёлка");
	T_OK(h1 != NULL && pw_verify("пароль-Ёлка", h1), "Cyrillic password verifies");
	T_OK(h1 != NULL && !pw_verify("пароль-Елка", h1), "ё and е are different");
	free(h1);
}

int
main(void)
{
	test_policy();
	test_hash();
	return t_done();
}
