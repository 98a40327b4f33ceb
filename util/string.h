/* SPDX-License-Identifier: LGPL-2.1-only */
/* Copying strings into fixed-size fields. */
#ifndef UTIL_STRING_H
#define UTIL_STRING_H

#include <stddef.h>
#include <string.h>

/* Copy src (NULL: empty) into dst[size], truncating; always terminated.
 * Returns dst. */
static inline char *util_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
	return dst;
}
/* The same into an array field. */
#define util_set(field, src) util_strlcpy((field), (src), sizeof(field))

#endif /* UTIL_STRING_H */
