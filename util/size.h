/* SPDX-License-Identifier: LGPL-2.1-only */
/* Sizes in and out (the installed API's fc_parse_size/fc_format_size). */
#ifndef UTIL_SIZE_H
#define UTIL_SIZE_H

#include <stddef.h>
#include <stdint.h>

#define UTIL_SIZE_STR_MAX 32

/* "64G", "2MiB", "1.5G", "0x200000": 0, -EINVAL (malformed) or -ERANGE. */
int util_parse_size(const char *str, uint64_t *size);
/* "64.00 GiB"; exact multiples print without decimals ("2 MiB"). */
char *util_format_size(uint64_t size, char *buf, size_t len);

#endif /* UTIL_SIZE_H */
