/* SPDX-License-Identifier: LGPL-2.1-only */
#ifndef UTIL_FILEMAP_H
#define UTIL_FILEMAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * A range of a regular file read through a mapping instead of read(): its
 * page-cache pages are mapped (one madvise(MADV_POPULATE_READ) fills the
 * page tables), so a copy out of it reads them where they are, one copy
 * where read() into a buffer and a copy out of that make two.
 *
 * A file truncated under its mapping would end the process with SIGBUS at
 * the first page gone; util_filemap_copy() turns that into -EIO for its
 * caller (a SIGBUS handler, installed once, returns to the copy that
 * faulted; any other SIGBUS is delivered as before).
 */
struct util_filemap {
	void *map;           /* the mapping, from a page boundary */
	size_t map_len;
	const uint8_t *data; /* the range asked for, inside it */
	size_t len;
};

/* Map `len` bytes of fd at `off`. 0, or -errno: the range has a hole
 * (mapping it would allocate its pages, on tmpfs), lies past the end of
 * the file (all but its last page), the file cannot be mapped, or the
 * kernel has no MADV_POPULATE_READ (before 5.14): the caller then reads it.
 * The page that holds the end of the file maps whole, zeros after the end:
 * util_filemap_whole() says, after the copy, whether the file still
 * reaches the end of the range. */
int util_filemap_open(struct util_filemap *m, int fd, uint64_t off, size_t len);
void util_filemap_close(struct util_filemap *m);

/* 0 if the file (fd, mapped at off) still holds all of m's range, -EIO if
 * it was cut short under the copy (what a short read(2) would say). */
int util_filemap_whole(const struct util_filemap *m, int fd, uint64_t off);

/* copy(dst, m->data + at, n), or -EIO if the file lost pages under it. */
int util_filemap_copy(const struct util_filemap *m, size_t at, void *dst, size_t n,
		      void (*copy)(void *dst, const void *src, size_t n));

#endif /* UTIL_FILEMAP_H */
