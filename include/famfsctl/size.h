/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Sizes in and out: "64G", "2MiB", "0x200000"; "64.00 GiB".
 *
 * Part of libfamfsctl's installed API; <famfsctl/libfamfsctl.h> includes
 * every part. Conventions are those of libfamfsctl.h.
 */
#ifndef FAMFSCTL_SIZE_H
#define FAMFSCTL_SIZE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Parse "64G", "512M", "2MiB", "1.5G", "4096", "0x200000", "2T" (binary
 * multiples: K/KiB = 1024). Returns 0 or -EINVAL (malformed) / -ERANGE.
 */
int fc_parse_size(const char *str, uint64_t *size);
/* "64.00 GiB"; exact multiples print without decimals ("2 MiB"). */
char *fc_format_size(uint64_t size, char *buf, size_t len);
#define FC_SIZE_STR_MAX 32

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_SIZE_H */
