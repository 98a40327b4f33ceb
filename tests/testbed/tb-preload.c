// SPDX-License-Identifier: GPL-2.0-only
/*
 * Preloaded (after umockdev's preload) into programs under test: a write(2)
 * to an attribute under the umockdev testbed's /sys goes to the testbed's
 * kernel model ($TB_KERNEL, tests/testbed/testbed.c) instead of the file, and
 * returns what the kernel's store function would: the whole length, or -1
 * with the kernel's errno. O_TRUNC is dropped when such an attribute is
 * opened (a sysfs attribute is not truncated; the file must keep showing
 * the model's value when a write is refused). Without $TB_KERNEL it does
 * nothing. It must come before umockdev's preload, which calls libc
 * directly.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <stdarg.h>

ssize_t write(int fd, const void *buf, size_t n);
int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);

/* Flags for opening `path`: no O_TRUNC on the testbed's /sys. */
static int flags_for(const char *path, int flags)
{
	if (getenv("TB_KERNEL") && path && !strncmp(path, "/sys/", 5))
		flags &= ~O_TRUNC;
	return flags;
}

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);

static mode_t mode_arg(int flags, va_list ap)
{
	return flags & (O_CREAT | O_TMPFILE) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
	static open_fn next;
	va_list ap;
	mode_t mode;

	if (!next)
		next = (open_fn)dlsym(RTLD_NEXT, "open");
	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return next(path, flags_for(path, flags), mode);
}

int open64(const char *path, int flags, ...)
{
	static open_fn next;
	va_list ap;
	mode_t mode;

	if (!next)
		next = (open_fn)dlsym(RTLD_NEXT, "open64");
	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return next(path, flags_for(path, flags), mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	static openat_fn next;
	va_list ap;
	mode_t mode;

	if (!next)
		next = (openat_fn)dlsym(RTLD_NEXT, "openat");
	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return next(dirfd, path, flags_for(path, flags), mode);
}

/* 0 or -errno from the model, or 1 when it could not be asked. */
static int ask(const char *sock, const char *rel, const void *buf, size_t n)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char req[4096], reply[32];
	int c, len, rc = 1;
	ssize_t k;

	len = snprintf(req, sizeof(req), "W %s\n", rel);
	if (len < 0 || (size_t)len + n >= sizeof(req) || strlen(sock) >= sizeof(a.sun_path))
		return 1;
	memcpy(req + len, buf, n);
	strcpy(a.sun_path, sock);
	c = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (c < 0)
		return 1;
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    send(c, req, (size_t)len + n, MSG_NOSIGNAL) == (ssize_t)(len + n) &&
	    (k = recv(c, reply, sizeof(reply) - 1, 0)) > 0) {
		reply[k] = '\0';
		rc = atoi(reply);
	}
	close(c);
	return rc;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*next)(int, const void *, size_t);
	const char *sock = getenv("TB_KERNEL"), *root = getenv("UMOCKDEV_DIR");
	char link[64], path[PATH_MAX];
	ssize_t k;

	if (!next)
		next = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (sock && root && fd > 2) {
		size_t rl = strlen(root);

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		k = syscall(SYS_readlinkat, AT_FDCWD, link, path, sizeof(path) - 1);
		if (k > 0) {
			path[k] = '\0';
			if (!strncmp(path, root, rl) && !strncmp(path + rl, "/sys/", 5)) {
				int saved = errno, rc = ask(sock, path + rl, buf, n);

				if (rc <= 0) {
					if (rc < 0) {
						errno = -rc;
						return -1;
					}
					errno = saved;
					return (ssize_t)n;
				}
			}
		}
	}
	return next(fd, buf, n);
}
