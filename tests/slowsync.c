/*
 * slowsync.c: a slow disk, for the end-to-end tests (LD_PRELOAD).
 *
 * fsync() and fdatasync() wait SLOWSYNC_MS milliseconds before they
 * sync: a disk as busy as CI's once was, where a file took 20 s to
 * sync.  With SLOWSYNC_NICER set, only in a process that lowered its
 * priority after the program started (the nice value it had then is
 * kept when the library loads; children forked later inherit it), as
 * the digest reader's search indexer does: t-digest-bbs.sh slows it so,
 * and the screens' writes must not wait on it.  The nice value the test
 * runs at does not matter.  Without SLOWSYNC_MS nothing changes.  Built
 * without the sanitizers (a preloaded library comes before their
 * runtime; the tests say verify_asan_link_order=0).
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

int	fsync(int);
int	fdatasync(int);

static int	slowsync_nice;	/* when the program started */

__attribute__((constructor)) static void
slowsync_init(void)
{
	slowsync_nice = nice(0);
}

static void
slowsync_wait(void)
{
	const char	*ms = getenv("SLOWSYNC_MS");

	if (ms == NULL || (getenv("SLOWSYNC_NICER") != NULL &&
	    nice(0) <= slowsync_nice))
		return;
	(void)usleep((useconds_t)atoi(ms) * 1000);
}

int
fsync(int fd)
{
	int	(*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");

	slowsync_wait();
	return real(fd);
}

int
fdatasync(int fd)
{
	int	(*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");

	slowsync_wait();
	return real(fd);
}
