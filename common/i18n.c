/*
 * i18n.c: choosing the language of one process.  glibc honours LANGUAGE
 * in the C.UTF-8 locale (not in plain "C"), and caches translations until
 * _nl_msg_cat_cntr changes, which is how a session switches from Russian
 * to English in the middle of a login.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

extern int _nl_msg_cat_cntr;

void
i18n_init(const char *localedir, const char *lang)
{
	setenv("LANGUAGE", lang, 1);
	/* readline and ncurses read the environment, not only setlocale(). */
	setenv("LC_ALL", "C.UTF-8", 1);
	setlocale(LC_ALL, "C.UTF-8");
	if (localedir != NULL)
		bindtextdomain(PARTA_DOMAIN, localedir);
	bind_textdomain_codeset(PARTA_DOMAIN, "UTF-8");
	++_nl_msg_cat_cntr;
}

const char *
i18n_localedir(const char *dflt)
{
	const char	*e = getenv("PARTA_LOCALEDIR");

	return e != NULL && *e != '\0' ? e : dflt;
}

const char *
i18n_env_lang(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*v;
	size_t		 i;

	for (i = 0; i < nitems(vars); i++)
		if ((v = getenv(vars[i])) != NULL && *v != '\0')
			return strncmp(v, "en", 2) == 0 ? "en" : "ru";
	return "ru";
}
