/*
 * t.h: a minimal TAP producer for parta's unit tests.  Each check prints
 * "ok N - what" or "not ok N - what" with the file and line; main()
 * returns t_done(), non-zero when anything failed.  tests/run.sh counts.
 */
#ifndef PARTA_T_H
#define PARTA_T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_n, t_failed;

#define T_OK(cond, ...) do {						\
	int t_c_ = (cond) ? 1 : 0;					\
	printf("%s %d - ", t_c_ ? "ok" : "not ok", ++t_n);		\
	printf(__VA_ARGS__);						\
	if (!t_c_) {							\
		printf("  (%s:%d: %s)", __FILE__, __LINE__, #cond);	\
		t_failed++;						\
	}								\
	printf("\n");							\
} while (0)

#define T_INT(got, want, ...) do {					\
	long long t_g_ = (long long)(got), t_w_ = (long long)(want);	\
	T_OK(t_g_ == t_w_, __VA_ARGS__);				\
	if (t_g_ != t_w_)						\
		printf("#   got %lld, want %lld\n", t_g_, t_w_);	\
} while (0)

#define T_STR(got, want, ...) do {					\
	const char *t_g_ = (got), *t_w_ = (want);			\
	int t_eq_ = t_g_ != NULL && t_w_ != NULL && strcmp(t_g_, t_w_) == 0; \
	T_OK(t_eq_, __VA_ARGS__);					\
	if (!t_eq_)							\
		printf("#   got \"%s\", want \"%s\"\n",			\
		    t_g_ ? t_g_ : "(null)", t_w_ ? t_w_ : "(null)");	\
} while (0)

/* A row of a table of cases: a string in, the number it must give, and
 * the check's description. */
struct t_int_case {
	const char	*in;
	long long	 want;
	const char	*what;
};

/* Check fn(in) against want, one check a row of c (n rows). */
static inline void
t_ints(const struct t_int_case *c, size_t n, int (*fn)(const char *))
{
	size_t	 i;

	for (i = 0; i < n; i++)
		T_INT(fn(c[i].in), c[i].want, "%s", c[i].what);
}

/* A row of a table of cases for a function from string to string: what
 * goes in, what must come out, and the check's description. */
struct t_map_case {
	const char	*in;
	const char	*want;
	const char	*what;
};

/* Check fn(in), freed after, against want, one check a row of c (n
 * rows), each described as "name: what". */
static inline void
t_maps(const struct t_map_case *c, size_t n, char *(*fn)(const char *),
    const char *name)
{
	size_t	 i;
	char	*got;

	for (i = 0; i < n; i++) {
		got = fn(c[i].in);
		T_STR(got, c[i].want, "%s: %s", name, c[i].what);
		free(got);
	}
}

/* A row of a table of strings to check: what came, what must, and the
 * check's description; t_strs() makes one check a row. */
struct t_str_case {
	const char	*got;
	const char	*want;
	const char	*what;
};

static inline void
t_strs(const struct t_str_case *c, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		T_STR(c[i].got, c[i].want, "%s", c[i].what);
}

/* buf filled with n copies of the byte c and a NUL; buf holds n + 1. */
static inline char *
t_fill(char *buf, int c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

static inline int
t_done(void)
{
	printf("1..%d\n", t_n);
	return t_failed != 0;
}

#endif
