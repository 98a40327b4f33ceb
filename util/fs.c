// SPDX-License-Identifier: LGPL-2.1-only
/* File system helpers (util/fs.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/fs.h"

/* The directory part of path in dir[len]. */
static int dir_of(const char *path, char *dir, size_t len)
{
	char *slash;

	if (snprintf(dir, len, "%s", path) >= (int)len)
		return -ENAMETOOLONG;
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return 0;
}

static int mkdir_one(const char *path, mode_t mode)
{
	struct stat st;

	if (mkdir(path, mode) == 0)
		return 0;
	if (errno != EEXIST)
		return -errno;
	if (stat(path, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int util_mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	int rc;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		rc = mkdir_one(buf, mode);
		*s = '/';
		if (rc < 0)
			return rc;
	}
	return mkdir_one(buf, mode);
}

bool util_mount_find(const char *source, const char *target, char *where, size_t len)
{
	FILE *f = setmntent("/proc/self/mounts", "re");
	struct mntent *m;
	bool found = false;

	if (!f)
		return false;
	while (!found && (m = getmntent(f))) {
		found = !strcmp(m->mnt_fsname, source) && (!target || !strcmp(m->mnt_dir, target));
		if (found && where)
			snprintf(where, len, "%s", m->mnt_dir);
	}
	endmntent(f);
	return found;
}

/* One file by device and inode; a character device also by its number. */
static bool same_file(const struct stat *a, const char *path)
{
	struct stat b;

	if (stat(path, &b) < 0)
		return false;
	if (S_ISCHR(a->st_mode) && S_ISCHR(b.st_mode))
		return a->st_rdev == b.st_rdev;
	return a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

bool util_mount_of(const char *name, const char *path, char *where, size_t len)
{
	FILE *f = setmntent("/proc/self/mounts", "re");
	struct stat st;
	struct mntent *m;
	bool have = path && stat(path, &st) == 0, found = false;

	if (!f)
		return false;
	while (!found && (m = getmntent(f))) {
		const char *src = m->mnt_fsname;

		if (!strncmp(src, "famfsctl:", 9)) {
			src += 9;
			found = name && !strcmp(src, name);
		}
		/* only a path names a file (a set's name has no '/') */
		if (!found && have && strchr(src, '/'))
			found = same_file(&st, src);
		if (found && where)
			snprintf(where, len, "%s", m->mnt_dir);
	}
	endmntent(f);
	return found;
}

static bool owner_ok(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/* Owned by root or this user, writable by no one else. */
static int owner_mode_ok(const char *path, const struct stat *st, char *why, size_t len)
{
	if (!owner_ok(st->st_uid)) {
		snprintf(why, len, "%s: owned by uid %u, neither root nor this user", path,
			 (unsigned int)st->st_uid);
		return -EPERM;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, len, "%s: writable by %s (mode %04o)", path,
			 st->st_mode & S_IWOTH ? "everyone" : "its group",
			 (unsigned int)(st->st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

bool util_mount_source(const char *target, char *source, size_t len)
{
	FILE *f = setmntent("/proc/self/mounts", "re");
	struct mntent *m;
	bool found = false;

	if (!f)
		return false;
	while ((m = getmntent(f))) /* the last one listed is on top */
		if (!strcmp(m->mnt_dir, target)) {
			found = true;
			snprintf(source, len, "%s", m->mnt_fsname);
		}
	endmntent(f);
	return found;
}

/* One path's owner and mode: root's or ours, writable by no one else. */
static int trusted_one(const char *path, bool dir, char *why, size_t len)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
		snprintf(why, len, "%s: not a %s", path, dir ? "directory" : "regular file");
		return -EPERM;
	}
	return owner_mode_ok(path, &st, why, len);
}

int util_check_trusted(const char *path, char *why, size_t len)
{
	char dir[PATH_MAX];
	int rc = trusted_one(path, false, why, len);

	if (rc < 0)
		return rc;
	if (dir_of(path, dir, sizeof(dir)) < 0)
		return -ENAMETOOLONG;
	return trusted_one(dir, true, why, len);
}


int util_check_dir(const char *dir, char *why, size_t len)
{
	struct stat st;

	if (lstat(dir, &st) < 0) {
		snprintf(why, len, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	if (S_ISLNK(st.st_mode)) {
		if (!owner_ok(st.st_uid)) {
			snprintf(why, len, "%s: a symbolic link owned by uid %u, neither root nor this user",
				 dir, (unsigned int)st.st_uid);
			return -EPERM;
		}
		if (stat(dir, &st) < 0) {
			snprintf(why, len, "%s: %s", dir, strerror(errno));
			return -errno;
		}
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, len, "%s: not a directory", dir);
		return -ENOTDIR;
	}
	return owner_mode_ok(dir, &st, why, len);
}

int util_mkdir_safe(const char *path, mode_t mode, char *why, size_t len)
{
	int rc = util_mkdir_p(path, mode);

	if (rc < 0) {
		snprintf(why, len, "%s: cannot create: %s", path, strerror(-rc));
		return rc;
	}
	return util_check_dir(path, why, len);
}

int util_open_safe(const char *path, int flags, mode_t mode, char *why, size_t len)
{
	char dir[PATH_MAX];
	struct stat st;
	int fd, rc;

	rc = dir_of(path, dir, sizeof(dir));
	if (rc == 0)
		rc = util_check_dir(dir, why, len);
	else
		snprintf(why, len, "%s: %s", path, strerror(-rc));
	if (rc < 0)
		return rc;
	fd = open(path, flags | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, mode);
	if (fd < 0) {
		rc = -errno;
		snprintf(why, len, "%s: %s", path,
			 errno == ELOOP ? "a symbolic link (not followed)" : strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !owner_ok(st.st_uid)) {
		snprintf(why, len, "%s: %s", path,
			 !S_ISREG(st.st_mode) ? "not a regular file" :
			 "owned by another user");
		close(fd);
		return -EPERM;
	}
	return fd;
}

int util_write_atomic(const char *path, const void *buf, size_t len, mode_t mode,
		      char *why, size_t wlen)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 16];
	const char *p = buf;
	int fd, rc;

	rc = dir_of(path, dir, sizeof(dir));
	if (rc == 0)
		rc = util_check_dir(dir, why, wlen);
	else
		snprintf(why, wlen, "%s: %s", path, strerror(-rc));
	if (rc < 0)
		return rc;
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		snprintf(why, wlen, "%s: %s", path, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	fd = mkostemp(tmp, O_CLOEXEC); /* O_EXCL: a new file, never a link */
	if (fd < 0) {
		rc = -errno;
		snprintf(why, wlen, "%s: cannot create: %s", tmp, strerror(errno));
		return rc;
	}
	if (fchmod(fd, mode) < 0)
		goto fail;
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	return 0;
fail:
	rc = errno ? -errno : -EIO;
	snprintf(why, wlen, "%s: cannot write: %s", path, strerror(-rc));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return rc;
}

int util_lock_file(const char *path, unsigned int flags, char *why, size_t len)
{
	bool wait = flags & UTIL_LOCK_WAIT;

	for (;;) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		struct stat a, b;
		int fd = util_open_safe(path, O_RDWR | O_CREAT, 0644, why, len), r;

		if (fd < 0)
			return fd;
		if (flags & UTIL_LOCK_PROCESS)
			r = fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl);
		else
			r = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
		if (r < 0) {
			int rc = errno == EACCES || errno == EAGAIN ? -EWOULDBLOCK : -errno;

			snprintf(why, len, "%s: %s", path,
				 rc == -EWOULDBLOCK ? "held by another process" : strerror(-rc));
			close(fd);
			return rc;
		}
		/* still the file at path? (not one removed while we waited) */
		if (fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return fd;
		close(fd);
	}
}

void util_unlock_remove(const char *path, int fd)
{
	if (fd < 0)
		return;
	unlink(path); /* while held: the next holder opens a new one */
	util_unlock(fd);
}

void util_unlock(int fd)
{
	if (fd < 0)
		return;
	/* unlocked for every process sharing it (a forked mount server);
	 * a process lock (UTIL_LOCK_PROCESS) goes with the close */
	flock(fd, LOCK_UN);
	close(fd);
}
