// SPDX-License-Identifier: LGPL-2.1-only
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "util/filemap.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

/* The copy this thread is in, and the bytes it reads: a SIGBUS from
 * inside them returns there. Read by the handler: volatile. */
static __thread sigjmp_buf *volatile guard_jmp;
static __thread const void *volatile guard_lo, *volatile guard_hi;
static __thread volatile bool guard_chaining; /* in the handler before ours */
static struct sigaction guard_prev;   /* the handler before ours */
static pthread_mutex_t guard_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	/* a fault (not a kill(2): its si_addr is the sender's) at a page of
	 * the file gone (BUS_ADRERR) or lost to a memory error (BUS_MCEERR_AR) */
	if (guard_jmp && (si->si_code == BUS_ADRERR || si->si_code == BUS_MCEERR_AR) &&
	    (const char *)si->si_addr >= (const char *)guard_lo &&
	    (const char *)si->si_addr < (const char *)guard_hi)
		siglongjmp(*guard_jmp, 1);
	/* not ours: as it would have been; a handler that chains back to
	 * ours gets the default, not a loop */
	if (!guard_chaining && (guard_prev.sa_flags & SA_SIGINFO)) {
		guard_chaining = true;
		guard_prev.sa_sigaction(sig, si, uc);
		guard_chaining = false;
	} else if (!guard_chaining && guard_prev.sa_handler != SIG_IGN &&
		   guard_prev.sa_handler != SIG_DFL) {
		guard_chaining = true;
		guard_prev.sa_handler(sig);
		guard_chaining = false;
	} else {
		signal(SIGBUS, SIG_DFL);
		raise(SIGBUS);
	}
}

/* Ours, unless it is already (a handler set since replaced ours: ours
 * again, in front of it, so a SIGBUS not ours still reaches it). What was
 * there is kept before ours is live. */
static void guard_install(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO | SA_NODEFER };
	struct sigaction cur;

	sigemptyset(&sa.sa_mask);
	pthread_mutex_lock(&guard_lock);
	if (sigaction(SIGBUS, NULL, &cur) == 0 &&
	    !((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_sigbus)) {
		guard_prev = cur;
		sigaction(SIGBUS, &sa, NULL);
	}
	pthread_mutex_unlock(&guard_lock);
}

int util_filemap_open(struct util_filemap *m, int fd, uint64_t off, size_t len)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), start = off & ~(page - 1);
	size_t skew = (size_t)(off - start);

	memset(m, 0, sizeof(*m));
	if (!len)
		return -EINVAL;
	/* a hole would be filled: tmpfs gives a read fault on one a page of
	 * its own (read(2) gives the zero page), so a sparse source is read */
	if (lseek(fd, (off_t)off, SEEK_HOLE) < (off_t)(off + len))
		return -ENXIO;
	m->map_len = (skew + len + page - 1) & ~(page - 1);
	m->map = mmap(NULL, m->map_len, PROT_READ, MAP_SHARED, fd, (off_t)start);
	if (m->map == MAP_FAILED) {
		m->map = NULL;
		return -errno;
	}
	/* every page now, or a fault per page as the copy goes; a page past
	 * the end of the file fails here (EFAULT), not in the copy */
	madvise(m->map, m->map_len, MADV_SEQUENTIAL);
	if (madvise(m->map, m->map_len, MADV_POPULATE_READ) < 0) {
		int err = errno;

		util_filemap_close(m);
		return -err;
	}
	m->data = (const uint8_t *)m->map + skew;
	m->len = len;
	guard_install();
	return 0;
}

int util_filemap_whole(const struct util_filemap *m, int fd, uint64_t off)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	return (uint64_t)st.st_size < off + m->len ? -EIO : 0;
}

void util_filemap_close(struct util_filemap *m)
{
	if (m->map)
		munmap(m->map, m->map_len);
	memset(m, 0, sizeof(*m));
}

int util_filemap_copy(const struct util_filemap *m, size_t at, void *dst, size_t n,
		      void (*copy)(void *dst, const void *src, size_t n))
{
	sigjmp_buf jb;

	if (at > m->len || n > m->len - at)
		return -EINVAL;
	if (sigsetjmp(jb, 1)) {
		guard_jmp = NULL;
		return -EIO;
	}
	guard_lo = m->data + at;
	guard_hi = m->data + at + n;
	guard_jmp = &jb;
	copy(dst, m->data + at, n);
	guard_jmp = NULL;
	return 0;
}
