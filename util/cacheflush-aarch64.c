// SPDX-License-Identifier: LGPL-2.1-only
/*
 * AArch64 cache maintenance by virtual address to the point of coherency:
 * `dc cvac` writes a line back, `dc civac` writes back and invalidates; a
 * `dsb sy` completes them before the caller goes on. The line size is the
 * smallest data cache line CTR_EL0 reports (DminLine, log2 of words).
 */
#include <stdint.h>
#include <string.h>
#include "util/cacheflush.h"

static uintptr_t line_size(void)
{
	static uintptr_t cached;
	uint64_t ctr;

	if (!cached) {
		asm volatile("mrs %0, ctr_el0" : "=r"(ctr));
		cached = (uintptr_t)4 << ((ctr >> 16) & 0xf);
	}
	return cached;
}

void util_cache_flush(const void *addr, size_t len)
{
	uintptr_t line = line_size();
	uintptr_t p = (uintptr_t)addr & ~(line - 1), end = (uintptr_t)addr + len;

	for (; p < end; p += line)
		asm volatile("dc cvac, %0" : : "r"(p) : "memory");
	asm volatile("dsb sy" ::: "memory");
}

void util_cache_invalidate(const void *addr, size_t len)
{
	uintptr_t line = line_size();
	uintptr_t p = (uintptr_t)addr & ~(line - 1), end = (uintptr_t)addr + len;

	for (; p < end; p += line)
		asm volatile("dc civac, %0" : : "r"(p) : "memory");
	asm volatile("dsb sy" ::: "memory");
}

void util_copy_flush(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
	util_cache_flush(dst, len);
}

const char *util_cache_method(void)
{
	return "dc cvac/civac";
}
