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
 * Is a file system mounted on this host whose source is "famfsctl:NAME"
 * (famfsctl's portable mount of a set; name may be NULL), or names the
 * file `path` (famfs's own mount of a primary dax device, or a portable
 * mount over member paths, "famfsctl:PRIMARY"), compared by device and
 * inode? Its mount point in where[len].
 */
bool util_mount_of(const char *name, const char *path, char *where, size_t len);

/* What is mounted at `target` (the top mount): its source in
 * source[len]; false when nothing is. From the kernel's mount table. */
bool util_mount_source(const char *target, char *source, size_t len);

/*
 * May this process trust what `path` holds (code it loads or runs, files
 * it reads its orders from)? The file and the directory holding it must be
 * owned by root or by this user, and writable by nobody else (no group or
 * other write bit; a sticky /tmp-style directory does not count). 0, or
 * -EPERM with the reason in why[len].
 */
int util_check_trusted(const char *path, char *why, size_t len);

/*
 * May this process create files in directory `dir`: is it a directory
 * owned by this user or root and writable by no one else (group, other;
 * a sticky /tmp does not count)? A symbolic link to one is accepted only
 * when the link too is this user's or root's. 0, or -errno (-EPERM for
 * owner or mode) with the reason in why[len].
 */
int util_check_dir(const char *dir, char *why, size_t len);

/*
 * util_mkdir_p, then util_check_dir on the last component: a directory
 * someone else made (or made writable) is refused, not used. 0 or -errno
 * with the reason in why[len].
 */
int util_mkdir_safe(const char *path, mode_t mode, char *why, size_t len);

/*
 * open(2) for a file famfsctl creates or keeps (locks, records, images):
 * its directory must pass util_check_dir, a symbolic link is never
 * followed (O_NOFOLLOW), and what is opened must be a regular file owned
 * by this user or root. flags as open(2) (O_CLOEXEC is added). The fd, or
 * -errno with the reason in why[len].
 */
int util_open_safe(const char *path, int flags, mode_t mode, char *why, size_t len);

/*
 * Replace `path` by buf[len] atomically: a new temporary file in the same
 * (checked) directory, made with O_EXCL, written, synced and renamed over
 * path; a symbolic link at path is replaced, never followed. 0 or -errno
 * with the reason in why[wlen].
 */
int util_write_atomic(const char *path, const void *buf, size_t len, mode_t mode,
		      char *why, size_t wlen);

/* util_lock_file's flags. */
enum {
	UTIL_LOCK_WAIT = 1 << 0,    /* wait for it, else -EWOULDBLOCK when held */
	/* a lock of this process (fcntl F_SETLK), not of the open file: a
	 * child it forks (a mount server) does not hold it, and it goes when
	 * the process dies; else flock(2), which children share */
	UTIL_LOCK_PROCESS = 1 << 1,
};

/*
 * An exclusive lock on the lock file `path` (made by util_open_safe), as
 * `flags` say (UTIL_LOCK_*). The lock
 * is on the file path names when it is got: one removed meanwhile (by
 * util_unlock_remove) is opened again, so removing a lock file never lets
 * two holders in. The fd (close it to unlock), or -errno with why[len]
 * (-EINTR when a signal interrupted the wait).
 */
int util_lock_file(const char *path, unsigned int flags, char *why, size_t len);

/* Unlock and close fd from util_lock_file: unlocked also for processes
 * forked meanwhile that share it (a mount server), not only closed. */
void util_unlock(int fd);

/* Remove the lock file `path` that fd (from util_lock_file) holds, then
 * unlock: for a lock whose object is gone (a policy down, a set destroyed). */
void util_unlock_remove(const char *path, int fd);

#endif /* UTIL_FS_H */
