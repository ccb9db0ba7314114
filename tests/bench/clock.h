/*
 * clock.h: the benchmarks' one clock, monotonic milliseconds, shared by
 * parta-load and parta-ptytime so both measure the same way.  Header
 * only: each bench program is one source file and links nothing else.
 */
#ifndef PARTA_BENCH_CLOCK_H
#define PARTA_BENCH_CLOCK_H

#include <time.h>

/* Milliseconds on CLOCK_MONOTONIC, from an arbitrary origin. */
static inline double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

#endif
