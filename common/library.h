/*
 * library.h: the file library: sections, items (a stored file or a
 * link) with their metadata, approval, recommendation, download counts,
 * quotas, and the virtual tree the SFTP server shows.
 *
 * Visibility: an item is seen by everyone once approved; before that only
 * by its uploader and by those who may approve it (experts, coordinators,
 * the sysop).  An item of a section without approval is approved when it
 * is made.  File contents are blobs (blob.h); a teacher's unfinished
 * uploads wait in data_dir/uploads/<user id>/ until described.
 */
#ifndef PARTA_LIBRARY_H
#define PARTA_LIBRARY_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct user;

#define LIB_TITLE_MAX		200
#define LIB_DESC_MAX		4000
#define LIB_TAGS_MAX		200
#define LIB_URL_MAX		1000
#define LIB_REVIEW_MAX		1000
#define LIB_SECTION_TITLE_MAX	80

struct lib_section {
	char	*name;		/* short ASCII tag, the SFTP directory */
	char	*title;		/* "Математика" */
	int	 approval;	/* new items wait for approval */
	int64_t	 items;		/* approved items */
};

struct lib_item {
	int64_t	 id;
	char	 uuid[37];
	char	*section;
	char	*title;
	char	*description;
	char	*grades;	/* "5,6,7" */
	char	*tags;		/* folded, "дроби,тест" */
	char	*filename;	/* "" for a link */
	char	*filename_ascii;
	char	*sha256;	/* "" for a link */
	char	*url;		/* "" for a file */
	int64_t	 size;
	int64_t	 uploader_id;
	char	*uploader;	/* login, "" if the account is gone */
	char	*uploader_name;
	int64_t	 created_at;
	int64_t	 approved_at;	/* 0: pending */
	int64_t	 recommended_at; /* 0: not recommended */
	char	*recommender;	/* display name */
	char	*review;
	int64_t	 downloads;
	int64_t	 thread_id;	/* comments; 0 until the first */
};

/* Who is looking, for visibility; role is an enum role (user.h). */
struct lib_viewer {
	int64_t	 user_id;	/* 0: the console, sees everything */
	int	 role;
};

/* What to list.  NULL / 0 fields do not filter. */
struct lib_filter {
	const char	*section;
	int		 grade;		/* 1..11 */
	const char	*tag;		/* as typed; folded here */
	int		 pending_only;
	int		 mine;		/* uploaded by the viewer */
	int		 files_only;	/* no links (the SFTP tree) */
};

/* The describing fields of a new item; strings borrowed, as typed. */
struct lib_meta {
	const char	*section;
	const char	*title;
	const char	*description;
	const char	*grades;	/* "5-7, 9" */
	const char	*tags;		/* "дроби, тест" */
};

/* 1 if role may approve, recommend and see pending items. */
int	 library_may_moderate(int role);

/* ---- sections ---------------------------------------------------- */

/* Add a section.  0, PERR_EXISTS or a PERR code for a bad name/title. */
int	 library_section_add(struct store *, const char *name,
	     const char *title, int approval, const char *actor);
/* All sections by position.  Free with library_section_list_free. */
int	 library_section_list(struct store *, struct lib_section **out,
	     size_t *n);
void	 library_section_list_free(struct lib_section *, size_t n);
/* 0 if the section exists (and *approval set), PERR_NOTFOUND if not,
 * PERR_DB. */
int	 library_section_exists(struct store *, const char *name,
	     int *approval);

/* ---- items ------------------------------------------------------- */

/* Items the viewer may see that pass f, newest first.  Free with
 * library_list_free. */
int	 library_list(struct store *, const struct lib_viewer *,
	     const struct lib_filter *f, struct lib_item **out, size_t *n);
void	 library_list_free(struct lib_item *, size_t n);

/* One item by id if the viewer may see it: 0 and *out (free with
 * library_item_free), PERR_NOTFOUND or PERR_DB. */
int	 library_get(struct store *, const struct lib_viewer *, int64_t id,
	     struct lib_item **out);
/* A file item whose contents are blob sha (64 hex digits), if the
 * viewer may see one: as library_get. */
int	 library_find_sha(struct store *, const struct lib_viewer *,
	     const char *sha, struct lib_item **out);
/* One file item by section and file name (ascii: by its ASCII name). */
int	 library_find_file(struct store *, const struct lib_viewer *,
	     const char *section, const char *name, int ascii,
	     struct lib_item **out);
void	 library_item_free(struct lib_item *);

/*
 * Make an item of the file name (as translit_clean_name gives it) in the
 * uploader's upload folder: validate m, store the file as a blob, insert
 * the item (pending if the section needs approval, unless the uploader
 * may approve it) and remove the upload.  0 and *id, or a PERR code with *bad_field set to "section",
 * "title", "description", "grades" or "tags" when one is to blame.
 */
int	 library_add_file(struct store *, int64_t uploader_id,
	     const char *name, const struct lib_meta *m, int64_t *id,
	     const char **bad_field);
/*
 * The console's import: make an item of the file at path (it is copied,
 * never moved) under its base name, cleaned, as uploaded by uploader_id;
 * actor names the sysop in the audit log.  The console approves what it
 * imports.  Only a regular file is taken (else PERR_LIB_SPECIAL), never
 * one in the store's own directory (PERR_LIB_DATA); unless force, not
 * one under a system directory (/etc, /proc, /usr, /var ...:
 * PERR_LIB_SYSTEM), nor one whose mode denies others reading it
 * (PERR_LIB_PRIVATE); symbolic links are
 * followed and judged by where they lead.  PERR_NOTFOUND when there is
 * no such file.  As library_add_file otherwise.
 */
int	 library_import(struct store *, int64_t uploader_id, const char *path,
	     int force, const struct lib_meta *m, const char *actor,
	     int64_t *id, const char **bad_field);
/* Make a link item.  As above; *bad_field may also be "url". */
int	 library_add_link(struct store *, int64_t uploader_id, const char *url,
	     const struct lib_meta *m, int64_t *id, const char **bad_field);

/* Approve a pending item.  0, PERR_NOTFOUND, PERR_EXISTS (approved
 * already) or PERR_DB.  actor_id 0 for the console. */
int	 library_approve(struct store *, int64_t id, int64_t actor_id,
	     const char *actor);
/* Mark as recommended with a review (1..LIB_REVIEW_MAX characters);
 * the expert's id is recorded (0 for the console). */
int	 library_recommend(struct store *, int64_t id, int64_t actor_id,
	     const char *review, const char *actor);
/* Remove an item, and its blob if nothing else uses it. */
int	 library_remove(struct store *, int64_t id, const char *actor);
/* "12 MB", "340 KB", "17 bytes", translated, into buf. */
void	 library_fmt_size(int64_t bytes, char *buf, size_t size);

/*
 * Comment on item id as u: the first comment starts a thread on the
 * board LIBRARY_BOARD (made if missing), titled like the item; later
 * ones reply to it.  0 and *thread_id, or a PERR code (post.h's for the
 * text).
 */
#define LIBRARY_BOARD	"library"
int	 library_comment(struct store *, const struct user *u, int64_t id,
	     const char *body, int64_t *thread_id);

/* Count one finished download of item id by user_id (0: none known), and
 * log it with its time for the growth report. */
int	 library_count_download(struct store *, int64_t id, int64_t user_id);
/*
 * Downloads in parts (an SFTP resume after a broken link).  _progress:
 * how many of item id's first bytes user_id has read in an unfinished
 * download, into *bytes (0: none).  _partial: remember that they have
 * read the first bytes (a smaller figure than the one kept changes
 * nothing).  _done: count one finished download and forget the
 * progress, in one transaction.  0 or PERR_DB.
 */
int	 library_download_progress(struct store *, int64_t id,
	     int64_t user_id, int64_t *bytes);
int	 library_download_partial(struct store *, int64_t id, int64_t user_id,
	     int64_t bytes);
int	 library_download_done(struct store *, int64_t id, int64_t user_id);

/* Normalise grades "5-7, 9" to "5,6,7,9": 0 and *out, or PERR_LIB_GRADES. */
int	 library_grades(const char *in, char **out);
/* Normalise tags "Дроби, тест" to "дроби,тест": 0 and *out, or a PERR. */
int	 library_tags(const char *in, char **out);

/* ---- uploads and quotas ------------------------------------------ */

/* data_dir/uploads/<user_id>, made if missing.  Caller frees. */
char	*library_upload_dir(struct store *, int64_t user_id);

/* The user's quota and the largest file accepted, in bytes. */
int	 library_limits(struct store *, int64_t user_id, int64_t *quota,
	     int64_t *maxsize);
/* Bytes the user holds: their items' distinct blobs plus uploads, in
 * the upload folder and held for parta-sync. */
int	 library_used(struct store *, int64_t user_id, int64_t *bytes);
/*
 * Lock user_id's uploads against every other writer, in any process
 * (flock on their upload folder): whoever grows an upload holds the lock
 * from the quota check (library_used) through the write, so that writes
 * in several handles or sessions cannot together pass the quota.  0 and
 * *fd, or PERR_LIB_IO (logged).  library_upload_unlock(*fd) releases.
 */
int	 library_upload_lock(struct store *, int64_t user_id, int *fd);
void	 library_upload_unlock(int fd);
/*
 * Uploads held for parta-sync (bbs/sync-files.c), by uploader and
 * SHA-256, in data_dir/held/<user id>/ (made if missing; caller frees):
 * "<sha>-<size>.part" while one grows, "<sha>" once it is whole and its
 * digest checked.  They count in library_used() and are guarded by
 * library_upload_lock(), as the upload folder is.
 */
char	*library_held_dir(struct store *, int64_t user_id);
/* data_dir/digests/<user_id>, the digests she made on the BBS (her SFTP
 * tree's /digests), made if missing.  Caller frees. */
char	*library_digest_dir(struct store *, int64_t user_id);
/*
 * Make an item of uploader_id's whole held upload sha (64 hex digits),
 * called name (cleaned here, translit_clean_name): as library_add_file
 * otherwise, but the held file is left for the caller to remove once
 * its transaction committed (bbs/sync-files.c: sync_files_made()).
 * PERR_NOTFOUND (*bad_field "file") when no whole upload of that digest
 * is held.
 */
int	 library_add_held(struct store *, int64_t uploader_id, const char *sha,
	     const char *name, const struct lib_meta *m, int64_t *id,
	     const char **bad_field);
/* Set the quota of one user (user_id > 0), or the default (0); bytes
 * < 0 removes a user's own quota.  Set the largest file size. */
int	 library_set_quota(struct store *, int64_t user_id, int64_t bytes,
	     const char *actor);
int	 library_set_maxsize(struct store *, int64_t bytes, const char *actor);

/* ---- the virtual tree (SFTP) ------------------------------------- */

/*
 *   /                     the root: library, ascii, upload
 *   /library/S/NAME       approved files of section S (UTF-8 names)
 *   /ascii/S/NAME         the same files under their ASCII names
 *   /upload/NAME          the user's own upload folder, the home
 *                         directory: relative paths start there
 *   /events/NAME          her calendar files, made when read (bbs/sftp.c:
 *                         mine.ics, and ID.ics for each event)
 */
enum lib_vkind {
	LV_ROOT, LV_LIBRARY, LV_SECTION, LV_ITEM,
	LV_ASCII, LV_ASCII_SECTION, LV_ASCII_ITEM,
	LV_UPLOAD, LV_UPLOAD_FILE,
	LV_DIGESTS, LV_DIGEST_FILE,	/* hers, made on the BBS; read-only */
	LV_EVENTS, LV_EVENT_FILE,
};

struct lib_vpath {
	enum lib_vkind	 kind;
	char		*section;	/* NULL above sections */
	char		*name;		/* a cleaned file name, or NULL */
	char		*canon;		/* "/library/math/x.pdf" */
};

/*
 * Resolve the path raw (len bytes, as a client sent it) in the virtual
 * tree: "." and empty components are skipped, ".." climbs but never
 * above the root, so no path can leave the tree.  0 and *out (free with
 * library_vpath_free), PERR_NOTFOUND (no such place), PERR_CONTROL (NUL
 * or control characters) or another translit_clean_name() error.  Does
 * not ask the store whether the section or file exists.
 */
int	 library_vpath(const char *raw, size_t len, struct lib_vpath *out);
void	 library_vpath_free(struct lib_vpath *);

#endif
