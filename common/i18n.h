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

#endif
