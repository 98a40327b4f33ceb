// SPDX-License-Identifier: LGPL-2.1-only
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "util/filemap.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

/* The copy this thread is in, and the bytes it reads: a SIGBUS from
 * inside them returns there. */
static __thread sigjmp_buf *guard_jmp;
static __thread const void *guard_lo, *guard_hi;
static struct sigaction guard_prev;   /* the handler before ours */
static pthread_mutex_t guard_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	if (guard_jmp && (const char *)si->si_addr >= (const char *)guard_lo &&
	    (const char *)si->si_addr < (const char *)guard_hi)
		siglongjmp(*guard_jmp, 1);
	/* not ours: as it would have been */
	if (guard_prev.sa_flags & SA_SIGINFO) {
		guard_prev.sa_sigaction(sig, si, uc);
	} else if (guard_prev.sa_handler != SIG_IGN && guard_prev.sa_handler != SIG_DFL) {
		guard_prev.sa_handler(sig);
	} else {
		signal(SIGBUS, SIG_DFL);
		raise(SIGBUS);
	}
}

/* Ours, unless it is already (a handler set since replaced ours: ours
 * again, before it, so a SIGBUS not ours still reaches it). */
static void guard_install(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO | SA_NODEFER };
	struct sigaction cur;

	sigemptyset(&sa.sa_mask);
	pthread_mutex_lock(&guard_lock);
	if (sigaction(SIGBUS, NULL, &cur) == 0 &&
	    !((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_sigbus))
		sigaction(SIGBUS, &sa, &guard_prev);
	pthread_mutex_unlock(&guard_lock);
}

int util_filemap_open(struct util_filemap *m, int fd, uint64_t off, size_t len)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), start = off & ~(page - 1);
	size_t skew = (size_t)(off - start);

	memset(m, 0, sizeof(*m));
	if (!len)
		return -EINVAL;
	m->map_len = (skew + len + page - 1) & ~(page - 1);
	m->map = mmap(NULL, m->map_len, PROT_READ, MAP_SHARED, fd, (off_t)start);
	if (m->map == MAP_FAILED) {
		m->map = NULL;
		return -errno;
	}
	/* every page now, or a fault per page as the copy goes; a range
	 * past the end of the file fails here (EFAULT), not in the copy */
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
