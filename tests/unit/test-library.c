/*
 * test-library.c: the library in the store (sections, items, approval,
 * recommendation, blobs stored once, verify, quotas) and the resolution
 * of SFTP paths in the virtual tree.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blob.h"
#include "library.h"
#include "perr.h"
#include "t.h"
#include "t-tmp.h"
#include "user.h"
#include "util.h"

static struct store *st;

static int64_t
mkuser(const char *login, enum role role)
{
	return t_user(st, login, login, (int)role);
}

/* Put a file called name with contents body into user's upload folder. */
static void
upload(int64_t user, const char *name, const char *body)
{
	char	*dir = library_upload_dir(st, user), *path;
	FILE	*fp;

	path = xasprintf("%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL) {
		printf("Bail out! %s\n", path);
		exit(1);
	}
	fputs(body, fp);
	fclose(fp);
	free(path);
	free(dir);
}

/* Write body (fopen's mode) over the blob of item id, behind the
 * store's back; returns the blob's path, which the caller frees. */
static char *
blob_overwrite(int64_t id, const char *mode, const char *body)
{
	struct lib_viewer	 console = { 0, ROLE_SYSOP };
	struct lib_item		*it;
	char			*path;
	FILE			*fp;

	if (library_get(st, &console, id, &it) != 0) {
		printf("Bail out! no item %lld\n", (long long)id);
		exit(1);
	}
	path = blob_path(st, it->sha256);
	library_item_free(it);
	if ((fp = fopen(path, mode)) == NULL) {
		printf("Bail out! %s\n", path);
		exit(1);
	}
	fputs(body, fp);
	fclose(fp);
	return path;
}

static int
upload_exists(int64_t user, const char *name)
{
	char	*dir = library_upload_dir(st, user), *path;
	int	 rc;

	path = xasprintf("%s/%s", dir, name);
	rc = access(path, F_OK) == 0;
	free(path);
	free(dir);
	return rc;
}

static void
vpath_is(const char *raw, int kind, const char *canon, const char *what)
{
	struct lib_vpath vp;
	int		 rc = library_vpath(raw, strlen(raw), &vp);

	T_INT(rc, 0, "%s: resolves", what);
	T_INT(vp.kind, kind, "%s: kind", what);
	T_STR(vp.canon, canon, "%s: canonical path", what);
	library_vpath_free(&vp);
}

static void
vpath_fails(const char *raw, size_t len, int want, const char *what)
{
	struct lib_vpath vp;

	T_INT(library_vpath(raw, len, &vp), want, "%s", what);
	library_vpath_free(&vp);
}

static int problems_seen;
static enum blob_problem last_problem;

static void
on_problem(const char *sha, enum blob_problem p, void *arg)
{
	(void)sha;
	(void)arg;
	problems_seen++;
	last_problem = p;
}

static void
test_vpath(void)
{
	vpath_is("/", LV_ROOT, "/", "the root");
	vpath_is(".", LV_UPLOAD, "/upload", "\".\" is home, the upload folder");
	vpath_is("", LV_UPLOAD, "/upload", "the empty path is home");
	vpath_is("plan.doc", LV_UPLOAD_FILE, "/upload/plan.doc",
	    "a relative name lands in the upload folder");
	vpath_is("/library", LV_LIBRARY, "/library", "/library");
	vpath_is("/library/math/", LV_SECTION, "/library/math", "a section");
	vpath_is("/library/math/Дроби.pdf", LV_ITEM, "/library/math/Дроби.pdf",
	    "an item");
	vpath_is("/ascii/math/Drobi.pdf", LV_ASCII_ITEM, "/ascii/math/Drobi.pdf",
	    "an item by its ASCII name");
	vpath_is("/upload/../../..", LV_ROOT, "/", "../ cannot climb above the"
	    " root");
	vpath_fails("/upload/../../../etc/passwd", 27, PERR_NOTFOUND,
	    "../../../etc/passwd stays inside the tree, and is not found");
	vpath_is("/upload/../library/./math//x.txt", LV_ITEM,
	    "/library/math/x.txt", ".. . and // are resolved inside the tree");
	vpath_is("../../upload/a.txt", LV_UPLOAD_FILE, "/upload/a.txt",
	    "relative ../ stops at the root");
	vpath_is("/upload/и\xcc\x86.txt", LV_UPLOAD_FILE, "/upload/й.txt",
	    "an NFD name is made NFC");
	vpath_is("/upload/\xcf\xeb\xe0\xed.txt", LV_UPLOAD_FILE,
	    "/upload/План.txt", "a CP1251 name is decoded");
	vpath_is("/upload/a:b.txt", LV_UPLOAD_FILE, "/upload/ab.txt",
	    "a Windows-forbidden character is dropped");
	vpath_fails("/etc/passwd", 11, PERR_NOTFOUND, "/etc is no part of the tree");
	vpath_fails("/upload/sub/x", 13, PERR_NOTFOUND, "no folders in /upload");
	vpath_fails("/library/../../etc/passwd", 25, PERR_NOTFOUND,
	    "/etc/passwd after ../ is not found either");
	vpath_fails("/library/ma th", 14, PERR_NOTFOUND, "a bad section name");
	vpath_fails("/upload/a\nb", 11, PERR_CONTROL, "a newline in a name");
	vpath_fails("/upload/a\x1b" "b", 11, PERR_CONTROL, "ESC in a name");
	vpath_fails("/upload/a\0b", 11, PERR_CONTROL, "NUL in a path");
	vpath_fails("/upload/..", 10, 0, "/upload/.. is the root");
}

int
main(void)
{
	struct lib_viewer	 anna_v, boris_v, expert_v, console = { 0, ROLE_SYSOP };
	struct lib_filter	 f;
	struct lib_meta		 m;
	struct lib_item		*items, *it;
	struct lib_section	*secs;
	int64_t			 anna, boris, expert, id1, id2, id3, id4, quota,
				 maxsize, used, checked;
	size_t			 n;
	const char		*bad;
	char			*s, *path, *link, *copy, *outside;
	int			 problems;
	FILE			*fp;
	int			 rc;

	t_tmpdir();
	st = t_store("parta.db");
	anna = mkuser("anna", ROLE_TEACHER);
	boris = mkuser("boris", ROLE_TEACHER);
	expert = mkuser("elena", ROLE_EXPERT);
	anna_v = (struct lib_viewer){ anna, ROLE_TEACHER };
	boris_v = (struct lib_viewer){ boris, ROLE_TEACHER };
	expert_v = (struct lib_viewer){ expert, ROLE_EXPERT };

	test_vpath();

	/* Grades and tags. */
	T_INT(library_grades("5-7, 9", &s), 0, "grades 5-7, 9 parse");
	T_STR(s, "5,6,7,9", "grades are listed one by one");
	free(s);
	T_INT(library_grades("", &s), 0, "no grades is fine");
	free(s);
	T_INT(library_grades("0-3", &s), PERR_LIB_GRADES, "grade 0 is refused");
	T_INT(library_grades("5-12", &s), PERR_LIB_GRADES, "grade 12 is refused");
	T_INT(library_grades("пятый", &s), PERR_LIB_GRADES, "words are refused");
	T_INT(library_tags(" Дроби , ТЕСТ,,ёлка ", &s), 0, "tags parse");
	T_STR(s, "дроби,тест,елка", "tags are folded and trimmed");
	free(s);

	/* Sections. */
	T_INT(library_section_add(st, "math", "Математика", 0, "t"), 0,
	    "a section is added");
	T_INT(library_section_add(st, "tatar", "Татар теле", 1, "t"), 0,
	    "a section with approval is added");
	T_INT(library_section_add(st, "MATH", "x", 0, "t"), PERR_EXISTS,
	    "section names are unique regardless of case");
	T_INT(library_section_add(st, "a b", "x", 0, "t"), PERR_BOARD_NAME,
	    "a section name with a space is refused");
	T_INT(library_section_list(st, &secs, &n), 0, "sections are listed");
	T_INT(n, 2, "two sections");
	library_section_list_free(secs, n);

	/* A file in a section without approval: visible at once. */
	upload(anna, "Дроби.txt", "одна вторая\n");
	m = (struct lib_meta){ .section = "math", .title = "Дроби, 5 класс",
	    .description = "Карточки", .grades = "5", .tags = "дроби" };
	T_INT(library_add_file(st, anna, "Дроби.txt", &m, &id1, &bad), 0,
	    "an upload becomes an item");
	T_OK(!upload_exists(anna, "Дроби.txt"), "the upload is gone from the folder");
	T_INT(library_get(st, &boris_v, id1, &it), 0, "another teacher sees it");
	T_STR(it->filename, "Дроби.txt", "its file name is kept");
	T_STR(it->filename_ascii, "Drobi.txt", "and transliterated");
	T_INT(it->size, 22, "its size is the file's");
	T_OK(it->approved_at != 0, "it is approved by itself");
	T_OK(blob_valid_sha(it->sha256), "it has a blob");
	path = blob_path(st, it->sha256);
	T_OK(access(path, R_OK) == 0, "the blob file exists");
	free(path);
	library_item_free(it);

	/* The same content and name again: stored once, named apart. */
	upload(boris, "Дроби.txt", "одна вторая\n");
	T_INT(library_add_file(st, boris, "Дроби.txt", &m, &id2, &bad), 0,
	    "the same file is added again");
	T_INT(library_get(st, &anna_v, id2, &it), 0, "the second item is there");
	T_STR(it->filename, "Дроби (2).txt", "a collision gets a suffix");
	T_STR(it->filename_ascii, "Drobi_2.txt", "in ASCII too");
	library_item_free(it);
	{
		sqlite3_stmt	*q = store_prepare(st, "SELECT count(*) FROM blobs");
		sqlite3_step(q);
		T_INT(sqlite3_column_int(q, 0), 1, "the content is stored once");
		sqlite3_finalize(q);
	}

	/* Bad metadata: nothing is made, the upload stays. */
	upload(anna, "x.txt", "x");
	m.section = "nosuch";
	T_INT(library_add_file(st, anna, "x.txt", &m, &id3, &bad),
	    PERR_LIB_SECTION, "an unknown section is refused");
	T_STR(bad, "section", "and the section field blamed");
	m.section = "math";
	m.grades = "13";
	T_INT(library_add_file(st, anna, "x.txt", &m, &id3, &bad),
	    PERR_LIB_GRADES, "bad grades are refused");
	T_STR(bad, "grades", "and the grades field blamed");
	m.grades = "5";
	m.title = "a\x1b[2Jb";
	T_INT(library_add_file(st, anna, "x.txt", &m, &id3, &bad),
	    PERR_CONTROL, "a title with an escape sequence is refused");
	T_OK(upload_exists(anna, "x.txt"), "the upload stays after a refusal");
	m.title = "Икс";
	T_INT(library_add_file(st, anna, "../x.txt", &m, &id3, &bad),
	    PERR_LIB_NAME, "a name with a slash is refused");

	/* A section with approval: pending, seen by uploader and experts. */
	m.section = "tatar";
	m.title = "Әлифба";
	m.grades = "1-2";
	m.tags = "әлифба, уен";
	T_INT(library_add_file(st, anna, "x.txt", &m, &id3, &bad), 0,
	    "an item in a section with approval");
	T_INT(library_get(st, &boris_v, id3, &it), PERR_NOTFOUND,
	    "a pending item is invisible to another teacher");
	T_INT(library_get(st, &anna_v, id3, &it), 0, "its uploader sees it");
	T_INT(it->approved_at, 0, "as pending");
	library_item_free(it);
	T_INT(library_find_file(st, &boris_v, "tatar", "x.txt", 0, &it),
	    PERR_NOTFOUND, "not even by its file name");
	memset(&f, 0, sizeof(f));
	f.pending_only = 1;
	T_INT(library_list(st, &expert_v, &f, &items, &n), 0, "experts list pending");
	T_INT(n, 1, "one pending item");
	library_list_free(items, n);
	T_INT(library_approve(st, id3, expert, "elena"), 0, "an expert approves");
	T_INT(library_approve(st, id3, expert, "elena"), PERR_EXISTS,
	    "approving twice says so");
	T_INT(library_get(st, &boris_v, id3, &it), 0, "then everyone sees it");
	library_item_free(it);

	/* Filters. */
	memset(&f, 0, sizeof(f));
	f.grade = 2;
	library_list(st, &boris_v, &f, &items, &n);
	T_INT(n, 1, "grade 2 finds the alphabet");
	library_list_free(items, n);
	memset(&f, 0, sizeof(f));
	f.tag = "УЕН";
	library_list(st, &boris_v, &f, &items, &n);
	T_INT(n, 1, "a tag matches regardless of case");
	library_list_free(items, n);
	memset(&f, 0, sizeof(f));
	f.section = "math";
	library_list(st, &boris_v, &f, &items, &n);
	T_INT(n, 2, "the section math has two items");
	library_list_free(items, n);

	/* A link. */
	m.section = "math";
	m.grades = "";
	m.tags = "";
	T_INT(library_add_link(st, boris, "javascript:alert(1)", &m, &id4, &bad),
	    PERR_LIB_URL, "a javascript: link is refused");
	T_STR(bad, "url", "and the url field blamed");
	T_INT(library_add_link(st, boris, "https://resh.edu.ru/subject/12/", &m,
	    &id4, &bad), 0, "a link is added");
	T_INT(library_get(st, &anna_v, id4, &it), 0, "the link is visible");
	T_STR(it->url, "https://resh.edu.ru/subject/12/", "with its URL");
	T_STR(it->filename, "", "and no file");
	library_item_free(it);

	/* Recommendation and downloads. */
	T_INT(library_recommend(st, id1, expert, "Хорошие карточки", "elena"), 0,
	    "an expert recommends");
	{
		sqlite3_stmt	*q;
		int64_t		 before, after;

		q = store_prepare(st, "SELECT count(*) FROM changes");
		sqlite3_step(q);
		before = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
		T_INT(library_count_download(st, id1, 0), 0, "a download is counted");
		sqlite3_step(q);
		after = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		T_INT(after, before, "a download is no change to sync");
	}
	T_INT(library_get(st, &boris_v, id1, &it), 0, "the item again");
	T_OK(it->recommended_at != 0, "is recommended");
	T_STR(it->recommender, "elena", "by the expert");
	T_STR(it->review, "Хорошие карточки", "with the review");
	T_INT(it->downloads, 1, "downloaded once");
	library_item_free(it);

	/* A download in parts: progress is kept, the larger figure wins,
	 * and the finished download counts once and forgets it. */
	{
		int64_t	 got = -1;

		T_INT(library_download_progress(st, id1, boris, &got), 0,
		    "no progress is no error");
		T_INT(got, 0, "and reads as 0");
		T_INT(library_download_partial(st, id1, boris, 5000), 0,
		    "progress is stored");
		T_INT(library_download_partial(st, id1, boris, 3000), 0,
		    "a smaller figure too");
		T_INT(library_download_progress(st, id1, boris, &got), 0,
		    "progress is read");
		T_INT(got, 5000, "the larger figure is kept");
		T_INT(library_download_progress(st, id1, anna, &got), 0,
		    "another user's");
		T_INT(got, 0, "is their own");
		T_INT(library_download_done(st, id1, boris), 0,
		    "the download finishes");
		T_INT(library_download_progress(st, id1, boris, &got), 0,
		    "progress after it");
		T_INT(got, 0, "is forgotten");
		T_INT(library_get(st, &boris_v, id1, &it), 0, "the item again");
		T_INT(it->downloads, 2, "the finished download counted once");
		library_item_free(it);
	}

	/* The upload lock holds across processes. */
	{
		int	 fd = -1, fd2 = -1, st2, p[2];
		pid_t	 pid;
		char	 c = 0;

		char	*dir = library_upload_dir(st, anna);

		T_INT(library_upload_lock(st, anna, &fd), 0, "the uploads lock");
		T_OK(pipe(p) == 0, "a pipe");
		if ((pid = fork()) == 0) {
			int	 d = open(dir, O_RDONLY | O_DIRECTORY);

			/* The lock is the parent's open file, not ours. */
			close(fd);
			/* Busy while the parent holds it. */
			_exit(flock(d, LOCK_EX | LOCK_NB) == 0 ? 1 :
			    (write(p[1], "x", 1), flock(d, LOCK_EX) == 0 ? 0 : 2));
		}
		T_OK(read(p[0], &c, 1) == 1, "another process finds it busy");
		library_upload_unlock(fd);
		waitpid(pid, &st2, 0);
		T_INT(WIFEXITED(st2) ? WEXITSTATUS(st2) : -1, 0,
		    "and gets it once released");
		close(p[0]);
		close(p[1]);
		free(dir);
		T_INT(library_upload_lock(st, anna, &fd2), 0, "it locks again");
		library_upload_unlock(fd2);
	}

	/* Comments: the first starts a thread on the board "library". */
	{
		struct user	*ub = NULL, *ua = NULL;
		int64_t		 tid = 0, tid2 = 0;

		user_get_by_id(st, boris, &ub);
		user_get_by_id(st, anna, &ua);
		T_INT(library_comment(st, ub, id1, "Спасибо!", &tid), 0,
		    "a first comment is written");
		T_OK(tid > 0, "it starts a thread");
		T_INT(library_comment(st, ua, id1, "Пожалуйста", &tid2), 0,
		    "a second comment is written");
		T_INT(tid2, tid, "in the same thread");
		T_INT(library_get(st, &boris_v, id1, &it), 0, "the item again");
		T_INT(it->thread_id, tid, "knows its thread");
		library_item_free(it);
		T_INT(library_comment(st, ub, id1, "", &tid), PERR_EMPTY,
		    "an empty comment is refused");
		T_INT(library_comment(st, ub, 999, "x", &tid), PERR_NOTFOUND,
		    "a comment on no item is refused");
		user_free(ub);
		user_free(ua);
	}

	/* Quotas. */
	T_INT(library_limits(st, anna, &quota, &maxsize), 0, "limits are read");
	T_INT(quota, 100LL << 20, "the default quota is 100 MB");
	T_INT(maxsize, 50LL << 20, "the default largest file is 50 MB");
	T_INT(library_set_quota(st, anna, 1000, "t"), 0, "a user's quota is set");
	T_INT(library_set_maxsize(st, 500, "t"), 0, "the largest file is set");
	library_limits(st, anna, &quota, &maxsize);
	T_INT(quota, 1000, "the user's quota applies");
	T_INT(maxsize, 500, "the new largest file applies");
	library_limits(st, boris, &quota, &maxsize);
	T_INT(quota, 100LL << 20, "others keep the default");
	upload(anna, "partial.bin", "12345");
	T_INT(library_used(st, anna, &used), 0, "usage is counted");
	T_INT(used, 22 + 1 + 5, "blobs of one's items plus uploads");
	T_INT(library_set_quota(st, anna, -1, "t"), 0, "a user's quota is dropped");
	library_limits(st, anna, &quota, &maxsize);
	T_INT(quota, 100LL << 20, "back to the default");

	/* Verify: all good, then a blob altered on disk. */
	problems_seen = 0;
	rc = blob_verify(st, on_problem, NULL, &checked, &problems);
	T_INT(rc, 0, "verify runs");
	T_INT(problems, 0, "verify finds nothing wrong");
	T_INT(checked, 2, "two blobs checked");
	path = blob_overwrite(id1, "r+", "Z");
	rc = blob_verify(st, on_problem, NULL, &checked, &problems);
	T_INT(problems, 1, "verify finds the altered blob");
	T_INT(last_problem, BLOB_HASH, "as a wrong hash");
	unlink(path);
	problems_seen = 0;
	rc = blob_verify(st, on_problem, NULL, &checked, &problems);
	T_INT(last_problem, BLOB_MISSING, "a deleted blob is missing");
	free(path);
	upload(anna, "again.txt", "одна вторая\n");
	m.section = "math";
	m.title = "Снова";
	T_INT(library_add_file(st, anna, "again.txt", &m, &id3, &bad), 0,
	    "the same content is uploaded again");
	T_INT(blob_verify(st, on_problem, NULL, &checked, &problems) == 0 &&
	    problems == 0, 1, "which restores the lost blob");
	T_INT(library_remove(st, id3, "t"), 0, "that item is removed again");
	id3 = 0;

	/* Remove: the shared blob stays until its last item goes. */
	T_INT(library_remove(st, id4, "t"), 0, "an item is removed");
	T_INT(library_get(st, &console, id4, &it), PERR_NOTFOUND, "it is gone");
	path = blob_overwrite(id2, "w", "одна вторая\n");
	T_INT(library_remove(st, id1, "t"), 0, "the first copy is removed");
	T_OK(access(path, F_OK) == 0, "the shared blob stays");
	T_INT(library_remove(st, id2, "t"), 0, "the second copy is removed");
	T_OK(access(path, F_OK) != 0, "then the blob file goes");
	free(path);
	T_INT(library_remove(st, id2, "t"), PERR_NOTFOUND, "removing twice");

	/* Who may approve an item is not asked to approve their own. */
	upload(expert, "Тест.txt", "әлифба\n");
	m = (struct lib_meta){ .section = "tatar", .title = "Тест по әлифба",
	    .description = "", .grades = "", .tags = "" };
	T_INT(library_add_file(st, expert, "Тест.txt", &m, &id1, &bad), 0,
	    "an expert adds an item to a section with approval");
	T_INT(library_get(st, &boris_v, id1, &it), 0,
	    "a teacher sees it at once");
	T_OK(it->approved_at != 0, "it is approved");
	library_item_free(it);
	T_INT(library_remove(st, id1, "t"), 0, "it is removed");

	/* The console imports a file of the server: copied, approved.  It
	 * lies outside the store's directory (which is refused, below). */
	outside = xasprintf("%s-import", t_tmp);
	T_INT(mkdir(outside, 0755), 0, "a directory outside the store's");
	path = xasprintf("%s/Приказ №1.txt", outside);
	fp = fopen(path, "w");
	fputs("приказ\n", fp);
	fclose(fp);
	m.title = "Приказ";
	T_INT(library_import(st, anna, path, 0, &m, "console", &id1, &bad), 0,
	    "the console imports a file as anna's");
	T_OK(access(path, F_OK) == 0, "the file imported stays where it was");
	T_INT(library_get(st, &boris_v, id1, &it), 0, "everyone sees it at once");
	T_OK(it->approved_at != 0, "it is approved");
	T_STR(it->uploader, "anna", "it is anna's");
	T_STR(it->filename, "Приказ №1.txt", "it keeps its file's name");
	T_STR(it->filename_ascii, "Prikaz_N1.txt", "and has an ASCII twin");
	library_item_free(it);
	T_INT(library_import(st, anna, t_tmp, 0, &m, "console", &id2, &bad),
	    PERR_LIB_SPECIAL, "a directory is not imported");
	T_INT(library_import(st, anna, t_tmp, 1, &m, "console", &id2, &bad),
	    PERR_LIB_SPECIAL, "... not even with force");
	T_INT(library_import(st, anna, "/dev/null", 1, &m, "console", &id2,
	    &bad), PERR_LIB_SPECIAL, "a device is never imported");
	T_INT(library_import(st, anna, "/nonexistent/x.pdf", 0, &m, "console",
	    &id2, &bad), PERR_NOTFOUND, "a missing file is not found");
	T_INT(library_import(st, anna, "/etc/passwd", 0, &m, "console", &id2,
	    &bad), PERR_LIB_SYSTEM, "a system file is refused");
	link = t_path("innocent.txt");
	T_INT(symlink("/etc/passwd", link), 0, "a link to it");
	T_INT(library_import(st, anna, link, 0, &m, "console", &id2, &bad),
	    PERR_LIB_SYSTEM, "... is judged by where it leads");
	free(link);
	copy = xstrdup(store_path(st));
	link = xasprintf("%s/parta-copy.txt", dirname(copy));
	free(copy);
	fp = fopen(link, "w");
	fputs("secret\n", fp);
	fclose(fp);
	chmod(link, 0644);
	T_INT(library_import(st, anna, link, 0, &m, "console", &id2, &bad),
	    PERR_LIB_DATA, "a file in the store's own directory is refused");
	T_INT(library_import(st, anna, link, 1, &m, "console", &id2, &bad),
	    PERR_LIB_DATA, "... even with force");
	free(link);
	chmod(path, 0600);
	T_INT(library_import(st, anna, path, 0, &m, "console", &id2, &bad),
	    PERR_LIB_PRIVATE, "a file others may not read is refused");
	T_INT(library_import(st, anna, path, 1, &m, "console", &id2, &bad), 0,
	    "... and taken with force");
	T_OK(id2 != id1, "as an item of its own");
	chmod(path, 0644);
	link = xasprintf("%s/innocent.txt", outside);
	T_INT(symlink(path, link), 0, "a link to a file outside");
	T_INT(library_import(st, anna, link, 0, &m, "console", &id3, &bad), 0,
	    "... is imported, under the link's name");
	T_INT(library_get(st, &boris_v, id3, &it), 0, "the item by the link");
	T_STR(it->filename, "innocent.txt", "... keeps the link's name");
	library_item_free(it);
	unlink(link);
	free(link);
	m.title = "";
	T_INT(library_import(st, anna, path, 0, &m, "console", &id2, &bad),
	    PERR_EMPTY, "an import without a title is refused");
	T_STR(bad, "title", "and the title is blamed");
	unlink(path);
	rmdir(outside);
	free(outside);
	free(path);

	store_close(st);
	return t_done();
}
