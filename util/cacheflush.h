/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * CPU cache maintenance for memory shared between hosts. CXL shared memory
 * is not kept coherent across hosts, so a writer writes back what it wrote
 * before another host may read it, and a reader drops its cached lines
 * before reading what another host wrote (famfs's rule for its metadata,
 * and famfsctl's direct map for file data).
 *
 * One implementation per architecture (cacheflush-x86_64.c,
 * cacheflush-aarch64.c) and a portable fallback (cacheflush-generic.c) that
 * only orders this CPU's accesses; configure picks one.
 */
#ifndef UTIL_CACHEFLUSH_H
#define UTIL_CACHEFLUSH_H

#include <stddef.h>

/* Write back every cache line over [addr, addr+len), then fence: after it
 * returns the stores are in memory, visible to another host's loads. */
void util_cache_flush(const void *addr, size_t len);
/* Write back and drop every cache line over [addr, addr+len), then fence:
 * the next loads come from memory, seeing another host's flushed stores. */
void util_cache_invalidate(const void *addr, size_t len);
/* Copy [src, src+len) to dst and write it back, as util_cache_flush() would
 * after a memcpy(); where the CPU has streaming (non-temporal) stores the
 * bytes go to memory directly, which costs about what a memcpy does. */
void util_copy_flush(void *dst, const void *src, size_t len);
/* The instruction set used, for messages and tests ("clwb", "dc civac"...). */
const char *util_cache_method(void);

#endif /* UTIL_CACHEFLUSH_H */
