/*
 * util.h: small helpers every parta program uses: checked allocation,
 * bounded string copies, secret wiping, time.
 */
#ifndef PARTA_UTIL_H
#define PARTA_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that cannot fail: on exhaustion the process logs and exits. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
/* printf into a new string the caller frees. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Free the n strings of v, then v itself; accepts NULL. */
void	 freev(char **v, size_t n);

/*
 * An enum's names as a table of strings indexed by its values
 * (role_names, page_shows_names).  names_find: the value whose name is
 * s among the n names, -1 when s is NULL or names none.  names_get: the
 * name of value v, "?" for a value past the table's end.
 */
int	 names_find(const char *const *names, size_t n, const char *s);
const char *names_get(const char *const *names, size_t n, unsigned v);
/*
 * The row named name of table, an array of n structs of size bytes each
 * whose first member is their const char *name (a table of formats, of
 * entities): a pointer into table, or NULL when name is NULL or names
 * no row.
 */
const void *names_row(const void *table, size_t n, size_t size,
	     const char *name);

/* Copy src into dst of size dstsz, always NUL-terminated; returns strlen(src). */
size_t	 strlcpy_p(char *dst, const char *src, size_t dstsz);

/* Overwrite a secret in memory, then free it; accepts NULL. */
void	 freezero_str(char *);

/* Wall-clock seconds since the epoch, and a monotonic clock in ms. */
int64_t	 now_unix(void);
int64_t	 now_mono_ms(void);

/* A random RFC 4122 version 4 UUID into out (37 bytes). */
void	 uuid_v4(char out[37]);
/* The 16 bytes b as a UUID's 36 lower-case characters. */
void	 uuid_format(const unsigned char b[16], char out[37]);

/* Constant-time comparison of two buffers of length n: 1 if equal. */
int	 ct_equal(const void *, const void *, size_t);

/* The n bytes of b in lower-case hex into out (2 * n + 1 bytes). */
void	 hex_format(const void *b, size_t n, char *out);
/* The n bytes written as the 2 * n lower-case hex digits at the start
 * of s, into b: 0, or -1 if one of them is not a hex digit (then b is
 * partly written).  What follows them in s is not looked at. */
int	 hex_parse(const char *s, size_t n, void *b);

/*
 * All n bytes of p to fd, or from or to fd at offset off, each call
 * retried on EINTR: 0, or -1 with errno set: EIO for a write that took
 * nothing, 0 for a read past the end of the file.  For a blocking fd.
 */
int	 write_all(int fd, const void *p, size_t n);
int	 pread_all(int fd, void *p, size_t n, int64_t off);
int	 pwrite_all(int fd, const void *p, size_t n, int64_t off);

/*
 * fsync the file or directory path; fsync the directory that holds
 * path (its name up to the last '/', or "."), so that a file created,
 * renamed or removed there stays so after a crash.  0, or -1 with errno.
 * Not for a store this process has open: closing the descriptor drops
 * the process's locks on it (store.c's store_read_head()).
 */
int	 fsync_path(const char *path);
int	 fsync_dir_of(const char *path);

/*
 * A growing string, on the caller's stack, starting as { 0 }: s stays
 * NULL until the first append, then is always NUL-terminated.  The caller
 * owns s and frees it.
 */
struct strbuf {
	char	*s;
	size_t	 len, cap;
};

/* Append the n bytes at s (n may be 0: then s becomes ""). */
void	 strbuf_add(struct strbuf *, const char *s, size_t n);
/* Append the string s. */
void	 strbuf_str(struct strbuf *, const char *s);

#endif
