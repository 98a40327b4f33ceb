// SPDX-License-Identifier: LGPL-2.1-only
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "util/populate.h"

int util_populate_write(const struct iovec *iov, int n)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

	for (int i = 0; i < n; i++) {
		uintptr_t a = (uintptr_t)iov[i].iov_base & ~(page - 1);
		uintptr_t e = ((uintptr_t)iov[i].iov_base + iov[i].iov_len + page - 1) & ~(page - 1);

		if (e > a && madvise((void *)a, e - a, MADV_POPULATE_WRITE) < 0)
			return -errno;
	}
	return 0;
#else
	(void)iov;
	(void)n;
	return -EOPNOTSUPP;
#endif
}
