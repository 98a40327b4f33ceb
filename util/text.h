/* SPDX-License-Identifier: LGPL-2.1-only */
/* Text famfsctl shows others: valid UTF-8, no forged lines. */
#ifndef UTIL_TEXT_H
#define UTIL_TEXT_H

#include <stddef.h>

/*
 * A malloc'd copy of s that is valid UTF-8: every byte that does not
 * begin a well-formed sequence (RFC 3629: no overlong forms, surrogates or
 * code points past U+10FFFF) becomes U+FFFD. For JSON famfsctl emits,
 * whose strings come from device names, paths and files: json-c copies
 * bytes as they are. NULL when out of memory.
 */
char *util_utf8_dup(const char *s);

/*
 * Copy s into out[len] with control characters (below 0x20 and 0x7f,
 * except a final newline and tabs) written as \xNN, so a name with a
 * newline cannot forge a log line. Truncates; always terminated; returns
 * out.
 */
char *util_escape_ctl(const char *s, char *out, size_t len);

#endif /* UTIL_TEXT_H */
