// SPDX-License-Identifier: LGPL-2.1-only
/* File system helpers (util/fs.h). */
#include <errno.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/fs.h"

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
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(why, len, "%s: owned by uid %u, neither root nor this user", path,
			 (unsigned int)st.st_uid);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, len, "%s: writable by %s", path,
			 st.st_mode & S_IWOTH ? "everyone" : "its group");
		return -EPERM;
	}
	return 0;
}

int util_check_trusted(const char *path, char *why, size_t len)
{
	char dir[PATH_MAX], *slash;
	int rc = trusted_one(path, false, why, len);

	if (rc < 0)
		return rc;
	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return trusted_one(dir, true, why, len);
}
