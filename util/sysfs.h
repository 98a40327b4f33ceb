/* SPDX-License-Identifier: LGPL-2.1-only */
/* sysfs attributes: read (trimmed of newlines), read as u64, write. */
#ifndef UTIL_SYSFS_H
#define UTIL_SYSFS_H

#include <stddef.h>
#include <stdint.h>

/* Read an attribute into buf (NUL-terminated, trailing blanks trimmed). */
int util_sysfs_read(const char *path, char *buf, size_t len);
/* Read an attribute holding one number (decimal, 0x hex or octal). */
int util_sysfs_read_u64(const char *path, uint64_t *val);
/* The same with a printf-style path. */
int util_sysfs_readf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int util_sysfs_readf_u64(uint64_t *val, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Write one whole value (O_TRUNC, as a shell redirection); 0 or -errno. */
int util_sysfs_write(const char *path, const char *val);

#endif /* UTIL_SYSFS_H */
