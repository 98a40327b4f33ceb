// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The portable fallback: a full memory barrier only. It orders this CPU's
 * accesses but moves nothing between its caches and memory, so on such an
 * architecture memory shared with another host is only as coherent as the
 * platform makes it. famfsctl builds and runs everywhere; sharing between
 * hosts without coherent memory needs an architecture file.
 */
#include <string.h>
#include "util/cacheflush.h"

void util_cache_flush(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void util_cache_invalidate(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void util_copy_flush(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
	util_cache_flush(dst, len);
}

const char *util_cache_method(void)
{
	return "none (memory barrier only)";
}
