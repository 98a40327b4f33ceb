/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Checked size arithmetic. Every place that combines sizes, offsets or
 * counts that came from outside (media, policy files, the command line)
 * goes through these, so a sum or product that would wrap 2^64 is refused
 * instead of silently becoming a small number. Each returns 0 with the
 * result, or -ERANGE (and leaves *r alone) when it would not fit.
 */
#ifndef UTIL_ARITH_H
#define UTIL_ARITH_H

#include <errno.h>
#include <stdint.h>

static inline int util_add_u64(uint64_t a, uint64_t b, uint64_t *r)
{
	uint64_t v;

	if (__builtin_add_overflow(a, b, &v))
		return -ERANGE;
	*r = v;
	return 0;
}

static inline int util_mul_u64(uint64_t a, uint64_t b, uint64_t *r)
{
	uint64_t v;

	if (__builtin_mul_overflow(a, b, &v))
		return -ERANGE;
	*r = v;
	return 0;
}

/* v rounded up to a multiple of m (m > 0; 0 stays 0). */
static inline int util_round_up_u64(uint64_t v, uint64_t m, uint64_t *r)
{
	uint64_t q = v / m + (v % m != 0);

	return util_mul_u64(q, m, r);
}

/* ceil(a / b), b > 0: never wraps. */
static inline uint64_t util_div_round_up(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

/* Does [off, off + len) fit inside [0, size)? Without wrapping. */
static inline int util_range_fits(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

#endif /* UTIL_ARITH_H */
