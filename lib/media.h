/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A member device's bytes as one contiguous, shared mapping: a file, a
 * devdax character device, or a simulated dax device (its extents mapped
 * back to back). famfs metadata and file data are read and written through
 * it; fc_media_flush/fc_media_invalidate are the cache maintenance famfs
 * does around shared metadata so other hosts see what was written.
 */
#ifndef FC_MEDIA_H
#define FC_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "topology.h"

struct fc_ctx;

struct fc_media {
	char name[FC_PATH_MAX]; /* "dax0.1", or the file's path */
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
int fc_media_open_path(struct fc_ctx *ctx, const char *path, bool writable,
		       struct fc_media **out);
void fc_media_close(struct fc_media *m);

/* Write back CPU caches over [addr, addr+len) and fence (clwb/clflushopt/
 * clflush + sfence), so another host's load sees the stores. */
void fc_media_flush(const void *addr, size_t len);
/* Drop cached lines over [addr, addr+len) before reading metadata another
 * host may have written. */
void fc_media_invalidate(const void *addr, size_t len);

#endif /* FC_MEDIA_H */
