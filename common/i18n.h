/*
 * i18n.h: gettext for parta.  Message ids are English; Russian is the
 * default language of the BBS (share/po/ru.po).  N_() marks a string for
 * translation where it is defined and _() translates where it is shown.
 */
#ifndef PARTA_I18N_H
#define PARTA_I18N_H

#include <libintl.h>

#define PARTA_DOMAIN "parta"
#define _(s)	dgettext(PARTA_DOMAIN, s)
#define N_(s)	(s)

/*
 * Switch this process's messages to lang ("ru" or "en") using the
 * catalogues under localedir (NULL keeps the last one), in the C.UTF-8
 * locale.  Sets LC_CTYPE too, so ncurses and readline count Cyrillic in
 * columns, not bytes.
 */
void	i18n_init(const char *localedir, const char *lang);

/* The directory given by $PARTA_LOCALEDIR, or dflt when unset. */
const char *i18n_localedir(const char *dflt);

/*
 * The language the environment asks a console program for: "en" when
 * the first of LC_ALL, LC_MESSAGES and LANG (setlocale()'s order) that
 * is set and not empty starts with "en", else "ru", the BBS's language.
 * Call it before i18n_init(), which sets LC_ALL.  A static string.
 */
const char *i18n_env_lang(void);

#endif
