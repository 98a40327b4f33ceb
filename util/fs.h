/* SPDX-License-Identifier: LGPL-2.1-only */
/* File system helpers: directories, the mount table. */
#ifndef UTIL_FS_H
#define UTIL_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* mkdir -p: every missing directory of path with mode; 0 or -errno (an
 * existing directory is success, an existing non-directory -ENOTDIR). */
int util_mkdir_p(const char *path, mode_t mode);

/* Is `source` mounted at `target` (NULL: anywhere)? From the kernel's
 * mount table; where it is goes to where[len] (may be NULL). */
bool util_mount_find(const char *source, const char *target, char *where, size_t len);

/*
 * May this process trust what `path` holds (code it loads or runs, files
 * it reads its orders from)? The file and the directory holding it must be
 * owned by root or by this user, and writable by nobody else (no group or
 * other write bit; a sticky /tmp-style directory does not count). 0, or
 * -EPERM with the reason in why[len].
 */
int util_check_trusted(const char *path, char *why, size_t len);

#endif /* UTIL_FS_H */
