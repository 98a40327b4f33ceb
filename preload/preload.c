// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libfamfsctl-preload.so (famfsctl-run(1)): memory-speed access for
 * unmodified applications. Loaded with LD_PRELOAD, it replaces mmap() of a
 * file under a famfsctl portable mount with the file's direct map -- its
 * members mapped in place (devdax device, or a simulated device's backing
 * file) -- so loads and stores go to the memory instead of page-cache pages
 * the mount server filled.
 *
 * The mount server tells it each file's layout in the FC_MAP_XATTR
 * extended attribute; this library maps that (fc_famfs_map_layout) and
 * never reads the log. Everything else is passed through untouched:
 * anonymous and fixed-address mappings, other files, private writable
 * (copy-on-write) mappings, executable ones. When the direct map is not
 * possible (the members cannot be opened, a member is not devdax, too many
 * mappings) the normal mapping is returned and one warning printed.
 *
 * munmap() of a direct map releases it. A partial munmap() unmaps those
 * pages, as for any mapping; the up to 2 MiB of alignment slack on either
 * side goes once every page from one end to the other was unmapped (a
 * hole punched in the middle is a hole, as with any mapping).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>
#include "util/export.h"

#define FUSE_SUPER_MAGIC 0x65735546
#define ALIGN (2ULL << 20)

typedef void *(*mmap_fn)(void *, size_t, int, int, int, off_t);
typedef int (*munmap_fn)(void *, size_t);

struct dmap {
	struct dmap *next;
	uint8_t *lo, *hi; /* what the application still has mapped */
	uint8_t *start, *end; /* what it was given */
	struct fc_famfs_map *map;
};

static mmap_fn real_mmap;
static munmap_fn real_munmap;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct dmap *maps;
static struct fc_ctx *ctx;
static bool warned;
static char last_err[512];
/* our own calls (libfamfsctl's mmap/munmap) go straight through */
static __thread int inside;

static void capture(struct fc_ctx *c, int prio, const char *file, int line, const char *fn,
		    const char *fmt, va_list ap)
{
	vsnprintf(last_err, sizeof(last_err), fmt, ap);
	last_err[strcspn(last_err, "\n")] = '\0';
}

static void resolve(void)
{
	if (!real_mmap)
		real_mmap = (mmap_fn)dlsym(RTLD_NEXT, "mmap");
	if (!real_munmap)
		real_munmap = (munmap_fn)dlsym(RTLD_NEXT, "munmap");
}

static void warn_once(const char *why)
{
	if (warned)
		return;
	warned = true;
	fprintf(stderr, "famfsctl-preload: %s; using the normal mapping for files under the famfsctl mount\n",
		why);
}

/* The layout of a file under a portable mount, or NULL (not one). */
static json_object *layout_of(int fd)
{
	struct statfs sfs;
	json_object *j;
	ssize_t n;
	char *buf;

	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != FUSE_SUPER_MAGIC)
		return NULL;
	n = fgetxattr(fd, FC_MAP_XATTR, NULL, 0);
	if (n <= 0)
		return NULL;
	buf = malloc((size_t)n + 1);
	if (!buf)
		return NULL;
	n = fgetxattr(fd, FC_MAP_XATTR, buf, (size_t)n);
	if (n <= 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	j = json_tokener_parse(buf);
	free(buf);
	return j;
}

/* The direct map of [off, off+len) of fd's file, or NULL to pass through. */
static void *direct(size_t len, int prot, int flags, int fd, off_t off)
{
	bool shared = (flags & MAP_TYPE) == MAP_SHARED || (flags & MAP_TYPE) == MAP_SHARED_VALIDATE;
	struct fc_famfs_map *map = NULL;
	struct dmap *d;
	json_object *j;
	uint64_t aligned = (uint64_t)off & ~(ALIGN - 1), delta = (uint64_t)off - aligned;
	unsigned int mflags = 0;
	int rc;

	if (fd < 0 || (flags & (MAP_ANONYMOUS | MAP_FIXED)) || off < 0 || !len ||
	    (prot & ~(PROT_READ | PROT_WRITE)) || !(prot & PROT_READ))
		return NULL;
	if (prot & PROT_WRITE) {
		if (!shared)
			return NULL; /* copy-on-write: the page cache's job */
		if ((fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDWR)
			return NULL; /* the kernel refuses it (EACCES) */
		mflags = FC_MAP_WRITE;
	}
	j = layout_of(fd);
	if (!j)
		return NULL;
	if (!ctx && fc_new(&ctx) == 0)
		fc_set_log_fn(ctx, capture);
	last_err[0] = '\0';
	rc = ctx ? fc_famfs_map_layout(ctx, j, aligned, delta + len, mflags, &map) : -ENOMEM;
	json_object_put(j);
	if (rc == 0 && fc_famfs_map_length(map) < delta + len) {
		/* mapped beyond the file's allocation: let the kernel say what */
		fc_famfs_unmap(map);
		return NULL;
	}
	if (rc < 0) {
		warn_once(*last_err ? last_err : strerror(-rc));
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		fc_famfs_unmap(map);
		return NULL;
	}
	d->map = map;
	d->lo = (uint8_t *)fc_famfs_map_addr(map) + delta;
	d->hi = d->lo + ((len + (size_t)getpagesize() - 1) & ~((size_t)getpagesize() - 1));
	d->start = d->lo;
	d->end = d->hi;
	d->next = maps;
	maps = d;
	return d->lo;
}

/* Every page the application had is unmapped (and may hold a new mapping
 * by now): unmap only the slack around it, never given out. */
static void release(struct dmap *d)
{
	uint8_t *base = fc_famfs_map_addr(d->map), *end = base + fc_famfs_map_length(d->map);

	if (d->start > base)
		real_munmap(base, (size_t)(d->start - base));
	if (end > d->end)
		real_munmap(d->end, (size_t)(end - d->end));
	fc_famfs_map_free(d->map);
	free(d);
}

static void *do_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = NULL;

	resolve();
	if (inside || fd < 0 || (flags & MAP_ANONYMOUS))
		return real_mmap(addr, len, prot, flags, fd, off);
	pthread_mutex_lock(&lock);
	inside++;
	p = direct(len, prot, flags, fd, off);
	inside--;
	pthread_mutex_unlock(&lock);
	return p ? p : real_mmap(addr, len, prot, flags, fd, off);
}

FC_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return do_mmap(addr, len, prot, flags, fd, off);
}

FC_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return do_mmap(addr, len, prot, flags, fd, off);
}

FC_EXPORT int munmap(void *addr, size_t len)
{
	uint8_t *a = addr, *b = (uint8_t *)addr + len;
	struct dmap **pp, *d;
	int rc;

	resolve();
	if (inside || !maps)
		return real_munmap(addr, len);
	pthread_mutex_lock(&lock);
	inside++;
	rc = real_munmap(addr, len);
	for (pp = &maps; rc == 0 && (d = *pp);) {
		if (b <= d->lo || a >= d->hi) {
			pp = &d->next;
			continue;
		}
		if (a <= d->lo)
			d->lo = b < d->hi ? b : d->hi;
		if (b >= d->hi)
			d->hi = a > d->lo ? a : d->lo;
		if (d->lo >= d->hi) {
			*pp = d->next;
			release(d);
			continue;
		}
		pp = &d->next;
	}
	inside--;
	pthread_mutex_unlock(&lock);
	return rc;
}
