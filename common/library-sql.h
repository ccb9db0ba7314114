/*
 * library-sql.h: the SQL fragment that decides who sees which library
 * item, shared by library.c (listings, cards, the SFTP tree) and
 * search.c (library search), so that a search never shows what the
 * listings hide.  Not a public interface: the statement names the item
 * "i", and the caller chooses its own parameters, bound with
 * library_may_moderate() (library.h) for mod.
 */
#ifndef PARTA_LIBRARY_SQL_H
#define PARTA_LIBRARY_SQL_H

/*
 * Item i is shown to the viewer uid (0: the console, who sees
 * everything): approved, or the viewer may moderate the library (mod is
 * 1), or uploaded it.  uid and mod are parameter names such as "?1" or
 * ":uid".
 */
#define SQL_LIB_VISIBLE(uid, mod)					\
	"(i.approved_at IS NOT NULL OR " uid " = 0 OR " mod " = 1"	\
	" OR i.uploader_id = " uid ")"

#endif
