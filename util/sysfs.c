// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Reading and writing sysfs attributes: one value per read or write, values
 * trimmed of trailing newlines and blanks, errors as negative errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/sysfs.h"

int util_sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	close(fd);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

int util_sysfs_read_u64(const char *path, uint64_t *val)
{
	char buf[64], *end;
	int rc = util_sysfs_read(path, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

int util_sysfs_readf(char *buf, size_t len, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	return util_sysfs_read(path, buf, len);
}

int util_sysfs_readf_u64(uint64_t *val, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return util_sysfs_read_u64(path, val);
}

int util_sysfs_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	/* O_TRUNC as a shell redirection does: one whole value per write */
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, len) != (ssize_t)len)
		rc = errno ? -errno : -EIO;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc;
}
