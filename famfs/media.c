// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Member media: mapping files and devdax devices, and the cache maintenance
 * shared metadata needs (as famfs does it: flush after writing, invalidate
 * before reading, because CXL shared memory is not coherent across hosts).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "famfs/media.h"
#include "util/export.h"
#include "util/log.h"
#include "util/string.h"
#include "util/sysfs.h"
#include "util/cacheflush.h"

struct path_media {
	size_t map_len;
};

static void release_path(struct fc_media *m)
{
	struct path_media *pm = m->priv;

	if (m->base && m->base != MAP_FAILED)
		munmap(m->base, pm->map_len);
	free(pm);
	free(m);
}

/* Size of a devdax char device from /sys/dev/char/MAJ:MIN/size. */
static int chardev_size(struct util_log_ctx *lc, const char *path, const struct stat *st,
			uint64_t *size)
{
	int rc = util_sysfs_readf_u64(size, "/sys/dev/char/%u:%u/size",
				    major(st->st_rdev), minor(st->st_rdev));

	if (rc < 0)
		log_err(lc, "%s: cannot read its size from sysfs: %s\n", path,
		    strerror(-rc));
	return rc;
}

int famfs_media_open_path(struct util_log_ctx *lc, const char *path, bool writable,
		       struct fc_media **out)
{
	struct fc_media *m = calloc(1, sizeof(*m));
	struct path_media *pm = calloc(1, sizeof(*pm));
	struct stat st;
	uint64_t size;
	int fd = -1, rc;

	if (!m || !pm) {
		rc = -ENOMEM;
		goto fail;
	}
	fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		log_err(lc, "%s: cannot open: %s\n", path, strerror(errno));
		goto fail;
	}
	if (S_ISREG(st.st_mode)) {
		size = (uint64_t)st.st_size;
	} else if (S_ISCHR(st.st_mode)) {
		rc = chardev_size(lc, path, &st, &size);
		if (rc < 0)
			goto fail;
		/* devdax maps in whole pages of its align; kernels before the
		 * attribute (5.10) map in 2 MiB pages */
		if (util_sysfs_readf_u64(&m->map_align, "/sys/dev/char/%u:%u/align",
					 major(st.st_rdev), minor(st.st_rdev)) < 0 || !m->map_align)
			m->map_align = 2ULL << 20;
	} else {
		rc = -EINVAL;
		log_err(lc, "%s: neither a file nor a dax character device\n", path);
		goto fail;
	}
	if (size == 0) {
		rc = -EINVAL;
		log_err(lc, "%s: empty device\n", path);
		goto fail;
	}
	m->base = mmap(NULL, size, PROT_READ | (writable ? PROT_WRITE : 0),
		       MAP_SHARED, fd, 0);
	if (m->base == MAP_FAILED) {
		rc = -errno;
		m->base = NULL;
		log_err(lc, "%s: cannot map %llu bytes: %s\n", path,
		    (unsigned long long)size, strerror(errno));
		goto fail;
	}
	close(fd);
	fd = -1;
	util_set(m->name, path);
	m->size = size;
	if (famfs_media_set_map(m, path) < 0) {
		munmap(m->base, size);
		rc = -ENOMEM;
		goto fail;
	}
	m->writable = writable;
	pm->map_len = size;
	m->priv = pm;
	m->release = release_path;
	*out = m;
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	free(pm);
	free(m);
	return rc;
}

int famfs_media_set_map(struct fc_media *m, const char *path)
{
	m->map_path = strdup(path);
	m->segs = calloc(1, sizeof(*m->segs));
	if (!m->map_path || !m->segs) {
		free(m->map_path);
		free(m->segs);
		m->map_path = NULL;
		m->segs = NULL;
		return -ENOMEM;
	}
	m->segs[0].len = m->size;
	m->nsegs = 1;
	return 0;
}

FC_EXPORT void fc_media_close(struct fc_media *m)
{
	if (!m)
		return;
	free(m->map_path);
	free(m->segs);
	m->release(m);
}
