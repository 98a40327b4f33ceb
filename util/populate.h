/* SPDX-License-Identifier: LGPL-2.1-only */
#ifndef UTIL_POPULATE_H
#define UTIL_POPULATE_H

#include <sys/uio.h>

/*
 * Fill this process's page tables for writing over the pieces, in one
 * madvise(MADV_POPULATE_WRITE) each instead of a fault per page: the pages
 * of a member exist (devdax, populated backing files), only a new mapping
 * of them lacks entries. A hint: kernels before 5.14 and mappings that
 * refuse it fault the pages in as the copy touches them. Returns 0, or
 * -errno of the first piece refused (the rest are not tried).
 */
int util_populate_write(const struct iovec *iov, int n);

#endif /* UTIL_POPULATE_H */
