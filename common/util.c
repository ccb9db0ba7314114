/*
 * util.c: checked allocation, bounded copies, secret wiping, clocks and
 * UUIDs, growing strings.  Nothing here knows about users or the store.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

void *
xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		fatal("out of memory (%zu x %zu bytes)", n, sz);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void	*q = realloc(p, n ? n : 1);

	if (q == NULL)
		fatal("out of memory (%zu bytes)", n);
	return q;
}

char *
xstrdup(const char *s)
{
	char	*p = strdup(s);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	return s;
}

void
freev(char **v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
names_find(const char *const *names, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

const void *
names_row(const void *table, size_t n, size_t size, const char *name)
{
	const char	*row = table;
	const char	*rowname;
	size_t		 i;

	for (i = 0; name != NULL && i < n; i++, row += size) {
		/* A pointer to a struct points to its first member too. */
		memcpy(&rowname, row, sizeof(rowname));
		if (strcmp(rowname, name) == 0)
			return row;
	}
	return NULL;
}

const char *
names_get(const char *const *names, size_t n, unsigned v)
{
	return v < n ? names[v] : "?";
}

size_t
strlcpy_p(char *dst, const char *src, size_t dstsz)
{
	size_t	 n = strlen(src);

	if (dstsz > 0) {
		size_t	 c = n < dstsz - 1 ? n : dstsz - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

void
freezero_str(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

int64_t
now_unix(void)
{
	return (int64_t)time(NULL);
}

int64_t
now_mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
uuid_v4(char out[37])
{
	unsigned char	 b[16];
	size_t		 got = 0;

	while (got < sizeof(b)) {
		ssize_t	 r = getrandom(b + got, sizeof(b) - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fatal("getrandom: %s", strerror(errno));
		}
		got += (size_t)r;
	}
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	uuid_format(b, out);
}

void
uuid_format(const unsigned char b[16], char out[37])
{
	snprintf(out, 37,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
	    b[10], b[11], b[12], b[13], b[14], b[15]);
}

int
ct_equal(const void *a, const void *b, size_t n)
{
	const volatile unsigned char	*x = a, *y = b;
	unsigned char			 d = 0;
	size_t				 i;

	for (i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

void
hex_format(const void *b, size_t n, char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p = b;
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* The loop of write_all(), pread_all() and pwrite_all(): op moves at
 * most the n bytes at p, at offset off; errno is eof_errno when it
 * moves none. */
static int
io_all(ssize_t (*op)(int, void *, size_t, off_t), int fd, void *p,
    size_t n, int64_t off, int eof_errno)
{
	size_t	 done = 0;
	ssize_t	 r;

	while (done < n) {
		r = op(fd, (char *)p + done, n - done, (off_t)off + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = eof_errno;
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

static ssize_t
io_write(int fd, void *p, size_t n, off_t off)
{
	(void)off;
	return write(fd, p, n);
}

static ssize_t
io_pwrite(int fd, void *p, size_t n, off_t off)
{
	return pwrite(fd, p, n, off);
}

int
write_all(int fd, const void *p, size_t n)
{
	return io_all(io_write, fd, (void *)p, n, 0, EIO);
}

int
pread_all(int fd, void *p, size_t n, int64_t off)
{
	return io_all(pread, fd, p, n, off, 0);
}

int
pwrite_all(int fd, const void *p, size_t n, int64_t off)
{
	return io_all(io_pwrite, fd, (void *)p, n, off, EIO);
}

int
fsync_path(const char *path)
{
	int	 fd, rc, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

int
fsync_dir_of(const char *path)
{
	char	*copy = xstrdup(path), *slash = strrchr(copy, '/');
	int	 rc;

	if (slash == copy)
		slash[1] = '\0';	/* "/name": the root */
	else if (slash != NULL)
		*slash = '\0';
	rc = fsync_path(slash != NULL ? copy : ".");
	free(copy);
	return rc;
}

int
hex_parse(const char *s, size_t n, void *b)
{
	unsigned char	*p = b;
	size_t		 i;
	int		 d, j, v;

	for (i = 0; i < n; i++) {
		for (v = 0, j = 0; j < 2; j++, s++) {
			if (*s >= '0' && *s <= '9')
				d = *s - '0';
			else if (*s >= 'a' && *s <= 'f')
				d = *s - 'a' + 10;
			else
				return -1;
			v = v << 4 | d;
		}
		p[i] = (unsigned char)v;
	}
	return 0;
}

void
strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
strbuf_str(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}
