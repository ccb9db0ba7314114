/*
 * library.c: the file library in the store (see library.h): sections,
 * items, approval, recommendation, downloads, quotas, and the resolution
 * of SFTP paths in the virtual tree.
 *
 * File contents go through blob.c; a new item's file is copied into its
 * blob before the transaction that makes the item, and the upload is
 * removed only after that transaction committed, so a failure at any
 * point leaves the upload where it was and no item without its file.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blob.h"
#include "board.h"
#include "i18n.h"
#include "log.h"
#include "library.h"
#include "library-sql.h"
#include "mail.h"
#include "perr.h"
#include "post.h"
#include "store.h"
#include "text.h"
#include "translit.h"
#include "user.h"
#include "util.h"

int
library_may_moderate(int role)
{
	return role == ROLE_EXPERT || role == ROLE_COORDINATOR ||
	    role == ROLE_SYSOP;
}

/* ---- sections ---------------------------------------------------- */

int
library_section_add(struct store *st, const char *name, const char *title,
    int approval, const char *actor)
{
	char	*t = NULL;
	int	 rc;

	if (board_check_name(name) != 0)
		return PERR_BOARD_NAME;
	if ((rc = text_field(title, LIB_SECTION_TITLE_MAX, 0, &t)) != 0)
		return rc;
	if (store_begin(st) != 0) {
		free(t);
		return PERR_DB;
	}
	rc = store_write(st, NULL, "INSERT INTO library_sections(name, title,"
	    " approval, position, created_at) VALUES (?, ?, ?,"
	    " (SELECT coalesce(max(position), 0) + 1 FROM library_sections), ?)",
	    "ttii", name, t, (int64_t)(approval != 0), now_unix());
	rc = audit_end(st, rc, actor, "library section add", name, t);
	free(t);
	return rc;
}

STORE_ROWTYPE(section_rows, struct lib_section,
	STORE_COL(TEXT, struct lib_section, name),
	STORE_COL(TEXT, struct lib_section, title),
	STORE_COL(INT, struct lib_section, approval),
	STORE_COL(I64, struct lib_section, items));

int
library_section_list(struct store *st, struct lib_section **out, size_t *n)
{
	return store_rows(st, store_stmt(st, "SELECT s.name, s.title, s.approval,"
	    " (SELECT count(*) FROM library_items i WHERE i.section = s.name"
	    "  AND i.approved_at IS NOT NULL)"
	    " FROM library_sections s ORDER BY s.position, s.name", ""),
	    &section_rows, out, n, "library section list");
}

void
library_section_list_free(struct lib_section *v, size_t n)
{
	store_rows_free(&section_rows, v, n);
}

int
library_section_exists(struct store *st, const char *name, int *approval)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stmt = store_prepare(st, "SELECT approval FROM library_sections"
	    " WHERE name = ?");
	if (stmt == NULL)
		return PERR_DB;
	store_bind_text(stmt, 1, name);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		if (approval != NULL)
			*approval = sqlite3_column_int(stmt, 0);
		rc = 0;
	} else
		rc = rc == SQLITE_DONE ? PERR_NOTFOUND :
		    store_fail(st, "library section");
	sqlite3_finalize(stmt);
	return rc;
}

/* ---- items ------------------------------------------------------- */

#define ITEM_COLUMNS \
	"i.id, i.uuid, i.section, i.title, i.description, i.grades, i.tags," \
	" coalesce(i.filename, ''), coalesce(i.filename_ascii, '')," \
	" coalesce(i.sha256, ''), coalesce(i.url, ''), coalesce(b.size, 0)," \
	" coalesce(i.uploader_id, 0), coalesce(u.login, '')," \
	" coalesce(u.display_name, ''), i.created_at," \
	" coalesce(i.approved_at, 0), coalesce(i.recommended_at, 0)," \
	" coalesce(r.display_name, ''), coalesce(i.review, ''), i.downloads," \
	" coalesce(i.thread_id, 0)" \
	" FROM library_items i" \
	" LEFT JOIN blobs b ON b.sha256 = i.sha256" \
	" LEFT JOIN users u ON u.id = i.uploader_id" \
	" LEFT JOIN users r ON r.id = i.recommended_by"

/* Whom the viewer may see (library-sql.h): ?1 the viewer's id (0:
 * everything), ?2 1 if the viewer moderates; viewer_bind() binds them. */
#define ITEM_VISIBLE	" " SQL_LIB_VISIBLE("?1", "?2")

STORE_ROWTYPE(item_rows, struct lib_item,
	STORE_COL(I64, struct lib_item, id),
	STORE_COL(UUID, struct lib_item, uuid),
	STORE_COL(TEXT, struct lib_item, section),
	STORE_COL(TEXT, struct lib_item, title),
	STORE_COL(TEXT, struct lib_item, description),
	STORE_COL(TEXT, struct lib_item, grades),
	STORE_COL(TEXT, struct lib_item, tags),
	STORE_COL(TEXT, struct lib_item, filename),
	STORE_COL(TEXT, struct lib_item, filename_ascii),
	STORE_COL(TEXT, struct lib_item, sha256),
	STORE_COL(TEXT, struct lib_item, url),
	STORE_COL(I64, struct lib_item, size),
	STORE_COL(I64, struct lib_item, uploader_id),
	STORE_COL(TEXT, struct lib_item, uploader),
	STORE_COL(TEXT, struct lib_item, uploader_name),
	STORE_COL(I64, struct lib_item, created_at),
	STORE_COL(I64, struct lib_item, approved_at),
	STORE_COL(I64, struct lib_item, recommended_at),
	STORE_COL(TEXT, struct lib_item, recommender),
	STORE_COL(TEXT, struct lib_item, review),
	STORE_COL(I64, struct lib_item, downloads),
	STORE_COL(I64, struct lib_item, thread_id));

void
library_item_free(struct lib_item *it)
{
	store_rows_free(&item_rows, it, it != NULL);
}

void
library_list_free(struct lib_item *v, size_t n)
{
	store_rows_free(&item_rows, v, n);
}

static void
viewer_bind(sqlite3_stmt *stmt, const struct lib_viewer *v)
{
	sqlite3_bind_int64(stmt, 1, v->user_id);
	sqlite3_bind_int(stmt, 2, library_may_moderate(v->role));
}

int
library_list(struct store *st, const struct lib_viewer *v,
    const struct lib_filter *f, struct lib_item **out, size_t *n)
{
	sqlite3_stmt	*stmt;
	void		*items;
	char		*tag = NULL, grade[16];
	int		 rc;

	*out = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT " ITEM_COLUMNS " WHERE" ITEM_VISIBLE
	    " AND (?3 IS NULL OR i.section = ?3)"
	    " AND (?4 IS NULL OR instr(',' || i.grades || ',', ',' || ?4 || ',') > 0)"
	    " AND (?5 IS NULL OR instr(',' || i.tags || ',', ',' || ?5 || ',') > 0)"
	    " AND (?6 = 0 OR i.approved_at IS NULL)"
	    " AND (?7 = 0 OR i.uploader_id = ?1)"
	    " AND (?8 = 0 OR i.sha256 IS NOT NULL)"
	    " ORDER BY i.created_at DESC, i.id DESC");
	if (stmt == NULL)
		return PERR_DB;
	viewer_bind(stmt, v);
	store_bind_text(stmt, 3, f->section);
	if (f->grade > 0) {
		snprintf(grade, sizeof(grade), "%d", f->grade);
		store_bind_text(stmt, 4, grade);
	}
	if (f->tag != NULL && *f->tag != '\0') {
		tag = text_fold(f->tag);
		text_trim(tag);
		store_bind_text(stmt, 5, tag);
	}
	sqlite3_bind_int(stmt, 6, f->pending_only != 0);
	sqlite3_bind_int(stmt, 7, f->mine != 0);
	sqlite3_bind_int(stmt, 8, f->files_only != 0);
	rc = store_rows(st, stmt, &item_rows, &items, n, "library list");
	free(tag);
	*out = items;
	return rc;
}

/*
 * At most one item into *out (store_row_new()): sql and its values as
 * store_stmt() takes them, ?1 and ?2 left NULL ('n') for the viewer v.
 */
static int
item_one(struct store *st, const struct lib_viewer *v, struct lib_item **out,
    const char *sql, const char *types, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;

	va_start(ap, types);
	stmt = store_stmtv(st, sql, types, ap);
	va_end(ap);
	if (stmt != NULL)
		viewer_bind(stmt, v);
	return store_row_new(st, stmt, &item_rows, out, "library item");
}

int
library_get(struct store *st, const struct lib_viewer *v, int64_t id,
    struct lib_item **out)
{
	return item_one(st, v, out, "SELECT " ITEM_COLUMNS " WHERE"
	    ITEM_VISIBLE " AND i.id = ?3", "nni", id);
}

int
library_find_file(struct store *st, const struct lib_viewer *v,
    const char *section, const char *name, int ascii, struct lib_item **out)
{
	return item_one(st, v, out, ascii ?
	    "SELECT " ITEM_COLUMNS " WHERE" ITEM_VISIBLE " AND i.section = ?3"
	    " AND i.filename_ascii = ?4 COLLATE NOCASE" :
	    "SELECT " ITEM_COLUMNS " WHERE" ITEM_VISIBLE " AND i.section = ?3"
	    " AND i.filename = ?4", "nntt", section, name);
}

/* Several items may share a blob: an approved one first. */
int
library_find_sha(struct store *st, const struct lib_viewer *v,
    const char *sha, struct lib_item **out)
{
	return item_one(st, v, out, "SELECT " ITEM_COLUMNS " WHERE"
	    ITEM_VISIBLE " AND i.sha256 = ?3"
	    " ORDER BY i.approved_at IS NULL, i.id LIMIT 1", "nnt", sha);
}

int
library_grades(const char *in, char **out)
{
	int		 have[12] = { 0 }, a, b, i;
	const char	*p = in;
	char		*end, *s;
	size_t		 o = 0;

	*out = NULL;
	while (*p != '\0') {
		while (*p == ' ' || *p == ',' || *p == ';')
			p++;
		if (*p == '\0')
			break;
		if (!isdigit((unsigned char)*p))
			return PERR_LIB_GRADES;
		a = b = (int)strtol(p, &end, 10);
		p = end;
		while (*p == ' ')
			p++;
		if (*p == '-') {
			p++;
			while (*p == ' ')
				p++;
			if (!isdigit((unsigned char)*p))
				return PERR_LIB_GRADES;
			b = (int)strtol(p, &end, 10);
			p = end;
		}
		if (a < 1 || b > 11 || a > b)
			return PERR_LIB_GRADES;
		for (i = a; i <= b; i++)
			have[i] = 1;
		if (*p != '\0' && *p != ',' && *p != ' ' && *p != ';')
			return PERR_LIB_GRADES;
	}
	s = xmalloc(40);
	s[0] = '\0';
	for (i = 1; i <= 11; i++)
		if (have[i])
			o += (size_t)snprintf(s + o, 40 - o, "%s%d", o ? "," : "", i);
	*out = s;
	return 0;
}

int
library_tags(const char *in, char **out)
{
	char	*fold, *tok, *save = NULL, *s;
	size_t	 o = 0;
	int	 rc;

	*out = NULL;
	if ((rc = text_check(in, LIB_TAGS_MAX, TEXT_EMPTY_OK)) != 0)
		return rc;
	fold = text_fold(in);
	s = xmalloc(strlen(fold) + 1);
	s[0] = '\0';
	for (tok = strtok_r(fold, ",;", &save); tok != NULL;
	    tok = strtok_r(NULL, ",;", &save)) {
		text_trim(tok);
		if (*tok == '\0')
			continue;
		o += (size_t)sprintf(s + o, "%s%s", o ? "," : "", tok);
	}
	free(fold);
	*out = s;
	return 0;
}

/* Validated, normalised copies of m's fields. */
struct meta_clean {
	char	*title, *description, *grades, *tags;
	int	 approval;	/* the item waits for approval */
	int64_t	 approved_by;	/* who approved it at once; 0: nobody, or
				 * the console */
};

static void
meta_clear(struct meta_clean *c)
{
	free(c->title);
	free(c->description);
	free(c->grades);
	free(c->tags);
	memset(c, 0, sizeof(*c));
}

/*
 * Check m for an item by uploader_id, made in the BBS or (console) by the
 * sysop's console.  In a section that needs approval, an item made by
 * someone who may approve it (an expert, a coordinator, the sysop, the
 * console) is approved at once: approving one's own item is only a step.
 */
static int
meta_check(struct store *st, int64_t uploader_id, int console,
    const struct lib_meta *m, struct meta_clean *c, const char **bad)
{
	struct user	*u = NULL;
	int		 rc;

	memset(c, 0, sizeof(*c));
	*bad = "section";
	if (m->section == NULL)
		return PERR_LIB_SECTION;
	if ((rc = library_section_exists(st, m->section, &c->approval)) != 0)
		return rc == PERR_NOTFOUND ? PERR_LIB_SECTION : rc;
	if (c->approval && console)
		c->approval = 0;
	else if (c->approval && user_get_by_id(st, uploader_id, &u) == 0 &&
	    library_may_moderate((int)u->role)) {
		c->approval = 0;
		c->approved_by = uploader_id;
	}
	user_free(u);
	*bad = "title";
	if ((rc = text_check(m->title, LIB_TITLE_MAX, 0)) != 0)
		return rc;
	*bad = "description";
	if ((rc = text_check(m->description, LIB_DESC_MAX,
	    TEXT_EMPTY_OK | TEXT_MULTILINE)) != 0)
		return rc;
	*bad = "grades";
	if ((rc = library_grades(m->grades, &c->grades)) != 0)
		return rc;
	*bad = "tags";
	if ((rc = library_tags(m->tags, &c->tags)) != 0)
		return rc;
	c->title = text_nfc(m->title);
	c->description = text_nfc(m->description);
	*bad = NULL;
	return 0;
}

/* 1 if the section already has a file called name (or, ascii, an ASCII
 * name equal but for case), 0 if not, PERR_DB. */
static int
name_taken(struct store *st, const char *section, const char *name, int ascii)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stmt = store_prepare(st, ascii ?
	    "SELECT 1 FROM library_items WHERE section = ?"
	    " AND filename_ascii = ? COLLATE NOCASE" :
	    "SELECT 1 FROM library_items WHERE section = ? AND filename = ?");
	if (stmt == NULL)
		return PERR_DB;
	store_bind_text(stmt, 1, section);
	store_bind_text(stmt, 2, name);
	rc = sqlite3_step(stmt);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 :
	    store_fail(st, "library name");
	sqlite3_finalize(stmt);
	return rc;
}

/* Pick free names in the section for name: *utf and *ascii (caller
 * frees), suffixed on collision.  0 or PERR_DB. */
static int
names_pick(struct store *st, const char *section, const char *name,
    char **utf, char **ascii)
{
	char	*base_a = translit_ascii(name);
	int	 n, t;

	*utf = xstrdup(name);
	for (n = 2; (t = name_taken(st, section, *utf, 0)) == 1; n++) {
		free(*utf);
		*utf = translit_suffix(name, n, 0);
	}
	*ascii = xstrdup(base_a);
	if (t == 0)
		for (n = 2; (t = name_taken(st, section, *ascii, 1)) == 1; n++) {
			free(*ascii);
			*ascii = translit_suffix(base_a, n, 1);
		}
	free(base_a);
	return t == 0 ? 0 : PERR_DB;
}

/* Insert the item; the caller holds the transaction. */
static int
item_insert(struct store *st, int64_t uploader_id, const char *section,
    const struct meta_clean *c, const char *filename, const char *ascii,
    const char *sha, const char *url, int64_t *id)
{
	int64_t	 now = now_unix();

	return store_insert(st, "library_items", id, "INSERT INTO"
	    " library_items(uuid, id, section, title, description, grades,"
	    " tags, filename, filename_ascii, sha256, url, uploader_id,"
	    " created_at, approved_at, approved_by) VALUES (?1, ?2, ?3, ?4,"
	    " ?5, ?6, ?7, ?8, ?9, ?10, ?11, CASE WHEN ?12 > 0 THEN ?12 END,"
	    " ?13, nullif(?14, 0), CASE WHEN ?15 > 0 THEN ?15 END)",
	    "tttttttttiiii", section, c->title, c->description, c->grades,
	    c->tags, filename, ascii, sha, url, uploader_id, now,
	    c->approval ? (int64_t)0 : now, c->approved_by);
}

/* data_dir/NAME/<user_id>, both made if missing when make is 1.
 * Caller frees. */
static char *
user_dir(struct store *st, const char *name, int64_t user_id, int make)
{
	char	*copy = xstrdup(store_path(st)), *base, *dir;

	base = xasprintf("%s/%s", dirname(copy), name);
	free(copy);
	if (make && mkdir(base, 0700) != 0 && errno != EEXIST)
		log_error("%s: %s", base, strerror(errno));
	dir = xasprintf("%s/%lld", base, (long long)user_id);
	free(base);
	if (make && mkdir(dir, 0700) != 0 && errno != EEXIST)
		log_error("%s: %s", dir, strerror(errno));
	return dir;
}

char *
library_upload_dir(struct store *st, int64_t user_id)
{
	return user_dir(st, "uploads", user_id, 1);
}

char *
library_digest_dir(struct store *st, int64_t user_id)
{
	return user_dir(st, "digests", user_id, 1);
}

char *
library_held_dir(struct store *st, int64_t user_id)
{
	return user_dir(st, "held", user_id, 1);
}

/*
 * Store the regular file open on fd (path names it in log lines) as a
 * new item called name (cleaned already) by uploader_id: its blob, its
 * row and an audit line by actor, in one transaction.  The file itself
 * is left alone, fd open.
 */
static int
add_file(struct store *st, int64_t uploader_id, int console, int fd,
    const char *path, const char *name, const struct lib_meta *m,
    const char *actor, int64_t *id, const char **bad_field)
{
	struct meta_clean c;
	char		 sha[BLOB_HEX];
	char		*utf = NULL, *ascii = NULL;
	int64_t		 size;
	int		 rc;

	if ((rc = meta_check(st, uploader_id, console, m, &c, bad_field)) != 0)
		goto out;
	if ((rc = blob_put_fd(st, fd, path, sha, &size)) != 0)
		goto out;
	if ((rc = store_begin(st)) != 0)
		goto out;
	if ((rc = blob_insert(st, sha, size)) == 0 &&
	    (rc = names_pick(st, m->section, name, &utf, &ascii)) == 0)
		rc = item_insert(st, uploader_id, m->section, &c, utf, ascii,
		    sha, NULL, id);
	if ((rc = audit_end(st, rc, actor, "library add", utf, c.title)) != 0)
		(void)blob_drop_unused(st, sha);
out:
	meta_clear(&c);
	free(utf);
	free(ascii);
	return rc;
}

int
library_add_file(struct store *st, int64_t uploader_id, const char *name,
    const struct lib_meta *m, int64_t *id, const char **bad_field)
{
	struct stat	 sb;
	char		*dir = NULL, *path = NULL, *clean = NULL;
	int		 rc, fd;

	*bad_field = NULL;
	if (translit_clean_name(name, strlen(name), &clean) != 0 ||
	    strcmp(clean, name) != 0) {
		rc = PERR_LIB_NAME;
		goto out;
	}
	dir = library_upload_dir(st, uploader_id);
	path = xasprintf("%s/%s", dir, name);
	if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		rc = PERR_NOTFOUND;
		goto out;
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		log_error("%s: %s", path, strerror(errno));
		rc = PERR_LIB_IO;
		goto out;
	}
	if ((rc = add_file(st, uploader_id, 0, fd, path, name, m, "library",
	    id, bad_field)) == 0 && unlink(path) != 0)
		log_warn("%s: %s", path, strerror(errno));
	close(fd);
out:
	free(clean);
	free(dir);
	free(path);
	return rc;
}

int
library_add_held(struct store *st, int64_t uploader_id, const char *sha,
    const char *name, const struct lib_meta *m, int64_t *id,
    const char **bad_field)
{
	struct stat	 sb;
	char		*dir = NULL, *path = NULL, *clean = NULL;
	int		 rc, fd = -1;

	*bad_field = "file";
	if (sha == NULL || !blob_valid_sha(sha))
		return PERR_NOTFOUND;
	*bad_field = "name";
	if (translit_clean_name(name, strlen(name), &clean) != 0) {
		rc = PERR_LIB_NAME;
		goto out;
	}
	*bad_field = "file";
	dir = library_held_dir(st, uploader_id);
	path = xasprintf("%s/%s", dir, sha);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		rc = errno == ENOENT ? PERR_NOTFOUND : PERR_LIB_IO;
		if (rc != PERR_NOTFOUND)
			log_error("%s: %s", path, strerror(errno));
		goto out;
	}
	*bad_field = NULL;
	/* The held file stays until the caller's transaction committed
	 * (sync_files_made()): a failure after this leaves it to retry. */
	rc = add_file(st, uploader_id, 0, fd, path, clean, m, "library", id,
	    bad_field);
out:
	if (fd >= 0)
		close(fd);
	free(clean);
	free(dir);
	free(path);
	return rc;
}

/*
 * Where the console's import refuses to look unless forced: the
 * system's own files (configuration, secrets, devices, programs, state)
 * are never a library's by accident.
 */
static const char *const import_system_dirs[] = {
	"/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32",
	"/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/usr", "/var",
};

/* 1 if path is dir or under it (both absolute, resolved). */
static int
import_under(const char *path, const char *dir)
{
	size_t	 n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/*
 * The console's rule for what it may publish (issue: "library add"
 * published /etc/shadow): only a regular file, never one in the store's
 * own directory (the store, the host key, the blobs), and unless force,
 * not a system file and not one its mode keeps from others (no read
 * permission for "other": private).  fd is open on the file checked:
 * the file's identity is taken from the open descriptor, so a symbolic
 * link or a rename between the checks and the copy changes nothing.
 * 0, or PERR_NOTFOUND, PERR_LIB_SPECIAL, PERR_LIB_DATA, PERR_LIB_SYSTEM,
 * PERR_LIB_PRIVATE (fd closed again).
 */
static int
import_open(struct store *st, const char *path, int force, int *fd)
{
	struct stat	 sb, fsb, rsb;
	char		*real = NULL, *copy = NULL, *data = NULL;
	size_t		 i;
	int		 rc = PERR_NOTFOUND;

	*fd = -1;
	/* Look before opening: opening a device or a FIFO has effects. */
	if (stat(path, &sb) != 0)
		return PERR_NOTFOUND;
	if (!S_ISREG(sb.st_mode))
		return PERR_LIB_SPECIAL;
	if ((*fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0)
		return PERR_NOTFOUND;
	if (fstat(*fd, &fsb) != 0 || !S_ISREG(fsb.st_mode)) {
		rc = PERR_LIB_SPECIAL;
		goto out;
	}
	/* The real place of what is open, links resolved. */
	if ((real = realpath(path, NULL)) == NULL || stat(real, &rsb) != 0 ||
	    rsb.st_dev != fsb.st_dev || rsb.st_ino != fsb.st_ino)
		goto out;
	/* The store, its host key, its blobs: never, forced or not. */
	copy = xstrdup(store_path(st));
	if ((data = realpath(dirname(copy), NULL)) == NULL ||
	    import_under(real, data)) {
		rc = PERR_LIB_DATA;
		goto out;
	}
	rc = 0;
	if (force)
		goto out;
	for (i = 0; i < sizeof(import_system_dirs) / sizeof(import_system_dirs[0]);
	    i++)
		if (import_under(real, import_system_dirs[i]))
			rc = PERR_LIB_SYSTEM;
	if (rc == 0 && (fsb.st_mode & S_IROTH) == 0)
		rc = PERR_LIB_PRIVATE;
out:
	if (rc != 0) {
		close(*fd);
		*fd = -1;
	}
	free(real);
	free(copy);
	free(data);
	return rc;
}

int
library_import(struct store *st, int64_t uploader_id, const char *path,
    int force, const struct lib_meta *m, const char *actor, int64_t *id,
    const char **bad_field)
{
	const char	*base = strrchr(path, '/') != NULL ?
			    strrchr(path, '/') + 1 : path;
	char		*clean = NULL;
	int		 rc, fd;

	*bad_field = NULL;
	if ((rc = import_open(st, path, force, &fd)) != 0)
		return rc;
	if (translit_clean_name(base, strlen(base), &clean) != 0) {
		free(clean);
		close(fd);
		return PERR_LIB_NAME;
	}
	rc = add_file(st, uploader_id, 1, fd, path, clean, m, actor, id,
	    bad_field);
	close(fd);
	free(clean);
	return rc;
}

static int
url_check(const char *url)
{
	int	 rc;

	if ((rc = text_check(url, LIB_URL_MAX, 0)) != 0)
		return rc;
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0 &&
	    strncmp(url, "ftp://", 6) != 0)
		return PERR_LIB_URL;
	if (strpbrk(url, " \"<>") != NULL || strlen(url) < 10)
		return PERR_LIB_URL;
	return 0;
}

int
library_add_link(struct store *st, int64_t uploader_id, const char *url,
    const struct lib_meta *m, int64_t *id, const char **bad_field)
{
	struct meta_clean c;
	int		 rc;

	if ((rc = meta_check(st, uploader_id, 0, m, &c, bad_field)) != 0)
		goto out;
	if ((rc = url_check(url)) != 0) {
		*bad_field = "url";
		goto out;
	}
	if ((rc = store_begin(st)) != 0)
		goto out;
	rc = item_insert(st, uploader_id, m->section, &c, NULL, NULL, NULL, url,
	    id);
	rc = audit_end(st, rc, "library", "library link", url, c.title);
out:
	meta_clear(&c);
	return rc;
}

/* End the transaction of a one-row write on item id (rc and changes are
 * store_write()'s) with its audit line; PERR_NOTFOUND when no row
 * changed. */
static int
item_update(struct store *st, int rc, int changes, const char *actor,
    const char *action, int64_t id, const char *detail)
{
	char	 target[32];

	if (rc == 0 && changes == 0)
		rc = PERR_NOTFOUND;
	snprintf(target, sizeof(target), "%lld", (long long)id);
	return audit_end(st, rc, actor, action, target, detail);
}

/* What the uploader is told, by kind of news (enum lib_tell): the
 * subject, and the body of the actor's name, the title and a text. */
enum lib_tell { LIB_TELL_APPROVED, LIB_TELL_RECOMMENDED, LIB_TELL_COMMENTED };

static const struct {
	const char	*subject;
	const char	*body;
} lib_tell_texts[] = {
	[LIB_TELL_APPROVED] = { N_("Your library item is approved"),
	    N_("%s has approved your item \"%s\" in the library: everyone "
	    "sees it now.%s") },
	[LIB_TELL_RECOMMENDED] = { N_("Your library item is recommended"),
	    N_("%s has recommended your item \"%s\" in the library.\n"
	    "Review: %s") },
	[LIB_TELL_COMMENTED] = { N_("A comment on your library item"),
	    N_("%s has commented on your item \"%s\" in the library:\n\n%s"
	    "\n\nThe comments are on the item's card in the library.") },
};

/*
 * Tell the uploader of item id what actor_id (0: the console) did to it,
 * by a letter from actor_id; text is the review or the comment ("" for
 * an approval).  Her own doing needs no letter.  A failure is logged:
 * what was done stays done.
 */
static void
library_tell(struct store *st, int64_t id, int64_t actor_id,
    enum lib_tell what, const char *text)
{
	struct lib_viewer v = { 0, ROLE_SYSOP };
	struct lib_item	*it = NULL;
	struct user	*a = NULL;
	char		*body;
	const char	*name;
	int		 rc;

	if (library_get(st, &v, id, &it) != 0 || *it->uploader == '\0' ||
	    it->uploader_id == actor_id) {
		library_item_free(it);
		return;
	}
	if (actor_id != 0)
		(void)user_get_by_id(st, actor_id, &a);
	name = a == NULL ? _("The sysop") : *a->display_name != '\0' ?
	    a->display_name : a->login;
	body = xasprintf(_(lib_tell_texts[what].body), name, it->title, text);
	if (strlen(body) > POST_BODY_MAX)
		body[text_fit(body, 2000)] = '\0';	/* a long comment */
	if ((rc = mail_send(st, actor_id, it->uploader,
	    _(lib_tell_texts[what].subject), body, 0, NULL)) != 0)
		log_warn("library item %lld: the letter to %s failed: %s",
		    (long long)id, it->uploader, perr_str(rc));
	free(body);
	user_free(a);
	library_item_free(it);
}

int
library_approve(struct store *st, int64_t id, int64_t actor_id,
    const char *actor)
{
	struct lib_item	*it = NULL;
	struct lib_viewer v = { 0, ROLE_SYSOP };
	int		 rc, changes;

	if ((rc = library_get(st, &v, id, &it)) != 0)
		return rc;
	rc = it->approved_at != 0 ? PERR_EXISTS : 0;
	library_item_free(it);
	if (rc != 0)
		return rc;
	if (store_begin(st) != 0)
		return PERR_DB;
	rc = store_write(st, &changes, "UPDATE library_items SET"
	    " approved_at = ?1, approved_by = CASE WHEN ?2 > 0 THEN ?2 END"
	    " WHERE id = ?3 AND approved_at IS NULL", "iii", now_unix(),
	    actor_id, id);
	if ((rc = item_update(st, rc, changes, actor, "library approve", id,
	    "")) == 0)
		library_tell(st, id, actor_id, LIB_TELL_APPROVED, "");
	return rc;
}

int
library_recommend(struct store *st, int64_t id, int64_t actor_id,
    const char *review, const char *actor)
{
	char	*r;
	int	 rc, changes;

	if ((rc = text_field(review, LIB_REVIEW_MAX, TEXT_MULTILINE, &r)) != 0)
		return rc;
	if (store_begin(st) != 0) {
		free(r);
		return PERR_DB;
	}
	rc = store_write(st, &changes, "UPDATE library_items SET"
	    " recommended_at = ?1, recommended_by = CASE WHEN ?2 > 0 THEN ?2"
	    " END, review = ?3 WHERE id = ?4", "iiti", now_unix(), actor_id, r,
	    id);
	rc = item_update(st, rc, changes, actor, "library recommend", id, r);
	if (rc == 0)
		library_tell(st, id, actor_id, LIB_TELL_RECOMMENDED, r);
	free(r);
	return rc;
}

int
library_remove(struct store *st, int64_t id, const char *actor)
{
	struct lib_item	*it = NULL;
	struct lib_viewer v = { 0, ROLE_SYSOP };
	int		 rc, changes;

	if ((rc = library_get(st, &v, id, &it)) != 0)
		return rc;
	if (store_begin(st) != 0) {
		library_item_free(it);
		return PERR_DB;
	}
	rc = store_write(st, &changes, "DELETE FROM library_items WHERE id = ?",
	    "i", id);
	rc = item_update(st, rc, changes, actor, "library remove", id,
	    it->title);
	if (rc == 0 && it->sha256[0] != '\0')
		rc = blob_drop_unused(st, it->sha256);
	library_item_free(it);
	return rc;
}

/* The id of the comments board, made if missing.  0 or a PERR code. */
static int
comment_board(struct store *st, int64_t *board_id)
{
	struct board	*b = NULL;
	int		 rc;

	rc = board_get_for(st, NULL, LIBRARY_BOARD, 0, &b);
	if (rc == PERR_NOTFOUND) {
		rc = board_add(st, LIBRARY_BOARD, _("Library: comments"),
		    _("Comments on the items of the library."), "library");
		if (rc == 0 || rc == PERR_EXISTS)
			rc = board_get_for(st, NULL, LIBRARY_BOARD, 0, &b);
	}
	if (rc == 0)
		*board_id = b->id;
	board_free(b);
	return rc;
}

int
library_comment(struct store *st, const struct user *u, int64_t id,
    const char *body, int64_t *thread_id)
{
	struct lib_viewer v = { u->id, (int)u->role };
	struct lib_item	*it = NULL;
	int64_t		 board_id;
	char		*subject = NULL;
	size_t		 n;
	int		 rc;

	*thread_id = 0;
	if ((rc = post_check_body(body)) != 0)
		return rc;
	/* One transaction from reading whether the item has its thread to
	 * linking the new one: two first comments at once queue here, and
	 * the second finds the first's thread and replies to it. */
	if ((rc = store_begin(st)) != 0)
		return rc;
	if ((rc = library_get(st, &v, id, &it)) != 0)
		goto out;
	if (it->thread_id != 0) {
		rc = post_reply(st, u, it->thread_id, 0, body, NULL);
		if (rc == 0)
			*thread_id = it->thread_id;
		goto out;
	}
	if ((rc = comment_board(st, &board_id)) != 0)
		goto out;
	/* The subject is the item's title, cut to what a subject holds. */
	n = text_fit(it->title, POST_SUBJECT_MAX);
	subject = xasprintf("%.*s", (int)n, it->title);
	if ((rc = post_thread_new(st, u, 0, board_id, subject, body, thread_id,
	    NULL)) != 0)
		goto out;
	rc = store_write(st, NULL, "UPDATE library_items SET thread_id = ?"
	    " WHERE id = ? AND thread_id IS NULL", "ii", *thread_id, id);
out:
	if ((rc = store_end(st, rc)) != 0)
		*thread_id = 0;
	else
		library_tell(st, id, u->id, LIB_TELL_COMMENTED, body);
	free(subject);
	library_item_free(it);
	return rc;
}

void
library_fmt_size(int64_t n, char *buf, size_t size)
{
	if (n >= 10LL << 20)
		snprintf(buf, size, _("%lld MB"), (long long)(n >> 20));
	else if (n >= 10LL << 10)
		snprintf(buf, size, _("%lld KB"), (long long)(n >> 10));
	else
		snprintf(buf, size, _("%lld bytes"), (long long)n);
}

int
library_count_download(struct store *st, int64_t id, int64_t user_id)
{
	int	 rc;

	/* Both in one transaction, which nests in the caller's. */
	if ((rc = store_begin(st)) != 0)
		return rc;
	rc = store_write(st, NULL, "UPDATE library_items SET downloads ="
	    " downloads + 1 WHERE id = ?1", "i", id);
	if (rc == 0)
		rc = store_write(st, NULL, "INSERT INTO library_downloads(item_id,"
		    " user_id, at) SELECT id, (SELECT id FROM users WHERE id = ?2),"
		    " ?3 FROM library_items WHERE id = ?1", "iii", id, user_id,
		    now_unix());
	return store_end(st, rc);
}

int
library_download_progress(struct store *st, int64_t id, int64_t user_id,
    int64_t *bytes)
{
	int	 rc;

	rc = store_int(st, bytes, "SELECT bytes FROM library_partial"
	    " WHERE item_id = ?1 AND user_id = ?2", "ii", id, user_id);
	return rc == PERR_NOTFOUND ? 0 : rc;
}

int
library_download_partial(struct store *st, int64_t id, int64_t user_id,
    int64_t bytes)
{
	return store_write(st, NULL, "INSERT INTO library_partial(item_id,"
	    " user_id, bytes, at) VALUES (?1, ?2, ?3, ?4)"
	    " ON CONFLICT(item_id, user_id) DO UPDATE"
	    " SET bytes = max(bytes, excluded.bytes), at = excluded.at",
	    "iiii", id, user_id, bytes, now_unix());
}

int
library_download_done(struct store *st, int64_t id, int64_t user_id)
{
	int	 rc;

	if ((rc = store_begin(st)) != 0)
		return rc;
	if ((rc = library_count_download(st, id, user_id)) == 0 &&
	    (rc = store_write(st, NULL, "DELETE FROM library_partial"
	    " WHERE item_id = ?1 AND user_id = ?2", "ii", id, user_id)) == 0 &&
	    (rc = store_commit(st)) == 0)
		return 0;
	store_rollback(st);
	return rc;
}

/* ---- quotas ------------------------------------------------------ */

/* *value from a one-column query with one parameter; left as it is (the
 * caller's default stands) when there is no row. */
static int
limit_get(struct store *st, int64_t *value, const char *sql,
    const char *types, const char *key, int64_t id)
{
	int64_t	 v;
	int	 rc;

	if (types[0] == 't')
		rc = store_int(st, &v, sql, types, key);
	else
		rc = store_int(st, &v, sql, types, id);
	if (rc == 0)
		*value = v;
	return rc == PERR_NOTFOUND ? 0 : rc;
}

int
library_limits(struct store *st, int64_t user_id, int64_t *quota,
    int64_t *maxsize)
{
	int	 rc;

	*quota = 100LL << 20;
	*maxsize = 50LL << 20;
	if ((rc = limit_get(st, quota, "SELECT value FROM library_settings"
	    " WHERE key = ?", "t", "quota", 0)) != 0 ||
	    (rc = limit_get(st, maxsize, "SELECT value FROM library_settings"
	    " WHERE key = ?", "t", "maxsize", 0)) != 0)
		return rc;
	return limit_get(st, quota, "SELECT bytes FROM library_quotas"
	    " WHERE user_id = ?", "i", NULL, user_id);
}

/* The sizes of the regular files in dir (which the caller frees). */
static int64_t
dir_bytes(char *dir)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	int64_t		 n = 0;

	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (fstatat(dirfd(d), de->d_name, &sb,
			    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode))
				n += sb.st_size;
		closedir(d);
	}
	free(dir);
	return n;
}

int
library_used(struct store *st, int64_t user_id, int64_t *bytes)
{
	int	 rc;

	rc = store_int(st, bytes, "SELECT coalesce(sum(size), 0) FROM blobs"
	    " WHERE sha256 IN (SELECT sha256 FROM library_items"
	    " WHERE uploader_id = ?)", "i", user_id);
	/* Held uploads' folder is not made for every account asked about. */
	*bytes += dir_bytes(library_upload_dir(st, user_id)) +
	    dir_bytes(user_dir(st, "held", user_id, 0));
	return rc;
}

int
library_upload_lock(struct store *st, int64_t user_id, int *fd)
{
	char	*dir = library_upload_dir(st, user_id);
	int	 rc = 0;

	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0 || flock(*fd, LOCK_EX) != 0) {
		log_error("%s: %s", dir, strerror(errno));
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		rc = PERR_LIB_IO;
	}
	free(dir);
	return rc;
}

void
library_upload_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* releases the flock */
}

static int
setting_write(struct store *st, const char *sql, int64_t a, int64_t b,
    int nargs, const char *actor, const char *action, const char *target)
{
	char	 detail[32];
	int	 rc;

	if (store_begin(st) != 0)
		return PERR_DB;
	rc = store_write(st, NULL, sql, nargs > 1 ? "ii" : "i", a, b);
	snprintf(detail, sizeof(detail), "%lld", (long long)(nargs > 1 ? b : a));
	return audit_end(st, rc, actor, action, target, detail);
}

int
library_set_quota(struct store *st, int64_t user_id, int64_t bytes,
    const char *actor)
{
	char	 target[32];

	snprintf(target, sizeof(target), "%lld", (long long)user_id);
	if (user_id == 0)
		return setting_write(st, "INSERT OR REPLACE INTO library_settings"
		    "(key, value) VALUES ('quota', ?)", bytes, 0, 1, actor,
		    "library quota", "default");
	if (bytes < 0)
		return setting_write(st, "DELETE FROM library_quotas WHERE"
		    " user_id = ?", user_id, 0, 1, actor, "library quota", target);
	return setting_write(st, "INSERT OR REPLACE INTO library_quotas"
	    "(user_id, bytes) VALUES (?, ?)", user_id, bytes, 2, actor,
	    "library quota", target);
}

int
library_set_maxsize(struct store *st, int64_t bytes, const char *actor)
{
	return setting_write(st, "INSERT OR REPLACE INTO library_settings"
	    "(key, value) VALUES ('maxsize', ?)", bytes, 0, 1, actor,
	    "library maxsize", "");
}

/* ---- the virtual tree -------------------------------------------- */

void
library_vpath_free(struct lib_vpath *p)
{
	if (p == NULL)
		return;
	free(p->section);
	free(p->name);
	free(p->canon);
	memset(p, 0, sizeof(*p));
}

/* 1 if the component c (n bytes) holds a control byte or NUL. */
static int
has_control(const char *c, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)c[i] < 0x20 || c[i] == 0x7f)
			return 1;
	return 0;
}

int
library_vpath(const char *raw, size_t len, struct lib_vpath *out)
{
	const char	*comp[32], *p = raw, *end = raw + len, *slash;
	size_t		 clen[32], n = 0, l;
	char		*sec = NULL, *name = NULL;
	int		 rc = 0, i;

	memset(out, 0, sizeof(*out));
	/* A relative path starts in the user's home, the upload folder. */
	if (len == 0 || raw[0] != '/') {
		comp[n] = "upload";
		clen[n++] = 6;
	}
	while (p < end) {
		slash = memchr(p, '/', (size_t)(end - p));
		l = (size_t)((slash != NULL ? slash : end) - p);
		if (has_control(p, l))
			return PERR_CONTROL;
		if (l == 0 || (l == 1 && p[0] == '.'))
			;
		else if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (n > 0)
				n--;
		} else if (n == nitems(comp))
			return PERR_NOTFOUND;	/* deeper than the tree */
		else {
			comp[n] = p;
			clen[n++] = l;
		}
		p += l + 1;
	}
	if (n >= 4)
		return PERR_NOTFOUND;
	if (n == 0) {
		out->kind = LV_ROOT;
		out->canon = xstrdup("/");
		return 0;
	}
#define IS(i, s) (clen[i] == strlen(s) && memcmp(comp[i], s, clen[i]) == 0)
	if (IS(0, "events")) {
		if (n > 2)
			return PERR_NOTFOUND;
		out->kind = n == 1 ? LV_EVENTS : LV_EVENT_FILE;
		if (n == 2 && (rc = translit_clean_name(comp[1], clen[1],
		    &out->name)) != 0)
			return rc;
		out->canon = xasprintf("/events%s%s", n == 2 ? "/" : "",
		    n == 2 ? out->name : "");
		return 0;
	}
	if (IS(0, "upload")) {
		if (n > 2)
			return PERR_NOTFOUND;
		out->kind = n == 1 ? LV_UPLOAD : LV_UPLOAD_FILE;
	} else if (IS(0, "digests")) {
		if (n > 2)
			return PERR_NOTFOUND;
		out->kind = n == 1 ? LV_DIGESTS : LV_DIGEST_FILE;
	} else if (IS(0, "library"))
		out->kind = n == 1 ? LV_LIBRARY : n == 2 ? LV_SECTION : LV_ITEM;
	else if (IS(0, "ascii"))
		out->kind = n == 1 ? LV_ASCII : n == 2 ? LV_ASCII_SECTION :
		    LV_ASCII_ITEM;
	else
		return PERR_NOTFOUND;
#undef IS
	if (out->kind < LV_UPLOAD && n >= 2) {
		sec = xmalloc(clen[1] + 1);
		memcpy(sec, comp[1], clen[1]);
		sec[clen[1]] = '\0';
		if (board_check_name(sec) != 0) {
			rc = PERR_NOTFOUND;
			goto out;
		}
	}
	i = (int)n - 1;
	if (out->kind == LV_ITEM || out->kind == LV_ASCII_ITEM ||
	    out->kind == LV_UPLOAD_FILE || out->kind == LV_DIGEST_FILE) {
		if ((rc = translit_clean_name(comp[i], clen[i], &name)) != 0)
			goto out;
	}
	out->section = sec;
	out->name = name;
	sec = name = NULL;
	out->canon = xasprintf("/%s%s%s%s%s",
	    out->kind >= LV_DIGESTS ? "digests" :
	    out->kind >= LV_UPLOAD ? "upload" :
	    out->kind >= LV_ASCII ? "ascii" : "library",
	    out->section != NULL ? "/" : "",
	    out->section != NULL ? out->section : "",
	    out->name != NULL ? "/" : "",
	    out->name != NULL ? out->name : "");
out:
	free(sec);
	free(name);
	return rc;
}
