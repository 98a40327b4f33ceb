// SPDX-License-Identifier: LGPL-2.1-only
/* File system helpers (util/fs.h). */
#include <errno.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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
