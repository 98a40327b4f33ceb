/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A member device's bytes as one contiguous, shared mapping: a file, a
 * devdax character device, or a simulated dax device (its extents mapped
 * back to back). famfs metadata and file data are read and written through
 * it, with util/cacheflush.h's maintenance around what other hosts share.
 */
#ifndef FC_MEDIA_H
#define FC_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
struct util_log_ctx;

#define FC_MEDIA_NAME_MAX 256

struct fc_media {
	char name[FC_MEDIA_NAME_MAX]; /* "dax0.1", or the file's path */
	uint64_t size;
	uint8_t *base;          /* size bytes, MAP_SHARED */
	bool writable;
	/* How the opener undoes the mapping; called by fc_media_close(). */
	void (*release)(struct fc_media *m);
	void *priv;
};

/*
 * Map a regular file or a devdax character device (/dev/daxX.Y) whole.
 * Character devices are mapped with their alignment (2 MiB), as devdax
 * requires.
 */
int famfs_media_open_path(struct util_log_ctx *lc, const char *path, bool writable,
		       struct fc_media **out);
void fc_media_close(struct fc_media *m);

#endif /* FC_MEDIA_H */
