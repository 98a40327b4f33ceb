// SPDX-License-Identifier: LGPL-2.1-only
/*
 * x86-64 cache maintenance: clwb (write back, keep the line) for flushes
 * where the CPU has it, clflushopt or clflush otherwise; invalidation always
 * evicts (clflushopt, else clflush). sfence orders the flushes before
 * whatever the caller stores or reads next. The CPU's support is read once
 * from CPUID leaf 7 (EBX bit 24 clwb, bit 23 clflushopt). Bulk copies to
 * shared memory use SSE2 streaming stores (every x86-64 has them), which
 * write whole lines to memory without reading them first or leaving them
 * in the cache, so nothing is left to write back.
 */
#include <cpuid.h>
#include <emmintrin.h>
#include <stdint.h>
#include <string.h>
#include "util/cacheflush.h"

#define CACHELINE 64

enum flush_insn { FLUSH_CLFLUSH, FLUSH_CLFLUSHOPT, FLUSH_CLWB };

static enum flush_insn flush_insn(void)
{
	static int cached = -1;
	unsigned int a, b, c, d;

	if (cached >= 0)
		return (enum flush_insn)cached;
	cached = FLUSH_CLFLUSH;
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		if (b & (1u << 24))
			cached = FLUSH_CLWB;
		else if (b & (1u << 23))
			cached = FLUSH_CLFLUSHOPT;
	}
	return (enum flush_insn)cached;
}

static void flush_lines(const void *addr, size_t len, enum flush_insn insn)
{
	uintptr_t p = (uintptr_t)addr & ~(uintptr_t)(CACHELINE - 1);
	uintptr_t end = (uintptr_t)addr + len;

	for (; p < end; p += CACHELINE) {
		switch (insn) {
		case FLUSH_CLWB: /* 66 0f ae /6: clwb, spelt for old assemblers */
			asm volatile(".byte 0x66; xsaveopt %0" : "+m"(*(volatile char *)p));
			break;
		case FLUSH_CLFLUSHOPT: /* 66 0f ae /7 */
			asm volatile(".byte 0x66; clflush %0" : "+m"(*(volatile char *)p));
			break;
		default:
			asm volatile("clflush %0" : "+m"(*(volatile char *)p));
		}
	}
	asm volatile("sfence" ::: "memory");
}

void util_cache_flush(const void *addr, size_t len)
{
	flush_lines(addr, len, flush_insn());
}

void util_cache_invalidate(const void *addr, size_t len)
{
	enum flush_insn insn = flush_insn();

	/* clwb may keep the line: invalidation needs an evicting flush */
	flush_lines(addr, len, insn == FLUSH_CLWB ? FLUSH_CLFLUSHOPT : insn);
	/* and no load of the range may pass the evictions */
	asm volatile("mfence" ::: "memory");
}

void util_copy_flush(void *dst, const void *src, size_t len)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	size_t head = (size_t)(-(uintptr_t)d & (CACHELINE - 1));

	if (len < 4 * CACHELINE || head >= len) {
		memcpy(d, s, len);
		util_cache_flush(d, len);
		return;
	}
	/* the partial line before the first whole one, through the cache */
	memcpy(d, s, head);
	util_cache_flush(d, head);
	d += head;
	s += head;
	len -= head;
	for (; len >= CACHELINE; d += CACHELINE, s += CACHELINE, len -= CACHELINE) {
		const __m128i *from = (const __m128i *)(const void *)s;
		__m128i a = _mm_loadu_si128(from), b = _mm_loadu_si128(from + 1),
			c = _mm_loadu_si128(from + 2), e = _mm_loadu_si128(from + 3);

		_mm_stream_si128((__m128i *)(void *)d, a);
		_mm_stream_si128((__m128i *)(void *)d + 1, b);
		_mm_stream_si128((__m128i *)(void *)d + 2, c);
		_mm_stream_si128((__m128i *)(void *)d + 3, e);
	}
	/* and the partial one after; then the streaming stores are ordered */
	memcpy(d, s, len);
	util_cache_flush(d, len);
}

const char *util_cache_method(void)
{
	static const char *const names[] = { "clflush", "clflushopt", "clwb" };

	return names[flush_insn()];
}
