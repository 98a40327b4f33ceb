/* SPDX-License-Identifier: LGPL-2.1-only */
/* Small helpers for reading sysfs attributes (values trimmed of newlines). */
#ifndef FC_SYSFS_H
#define FC_SYSFS_H

#include <stddef.h>
#include <stdint.h>

int fc_sysfs_read(const char *path, char *buf, size_t len);
int fc_sysfs_read_u64(const char *path, uint64_t *val);
int fc_sysfs_readf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int fc_sysfs_readf_u64(uint64_t *val, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
