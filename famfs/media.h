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

/* A range of the media and where its bytes sit in media->map_path. */
struct famfs_media_seg {
	uint64_t off, len;  /* in the media */
	uint64_t file_off;  /* in map_path */
};

struct fc_media {
	char name[FC_MEDIA_NAME_MAX]; /* "dax0.1", or the file's path */
	uint64_t size;
	uint8_t *base;          /* size bytes, MAP_SHARED */
	bool writable;
	/* How the opener undoes the mapping; called by fc_media_close(). */
	void (*release)(struct fc_media *m);
	void *priv;
	/*
	 * How to map its bytes directly (famfs/map.c): the file that holds
	 * them on this host (a devdax character device, a regular file, a
	 * simulated device's backing file) and where each media range sits in
	 * it, in media order. Set by the opener, freed by fc_media_close().
	 * nomap_mode names the device's mode when that mode has no mmap
	 * ("famfs": fsdev_dax); the media is then not mappable directly.
	 */
	char *map_path;
	struct famfs_media_seg *segs;
	unsigned int nsegs;
	const char *nomap_mode;
	/* The alignment a direct map of its bytes needs: a devdax device
	 * maps only in pieces of its align (2 MiB or 1 GiB); 0 for files. */
	uint64_t map_align;
};

/* Record that the whole media is `path` from offset 0 (files, devdax). */
int famfs_media_set_map(struct fc_media *m, const char *path);

/*
 * Map a regular file or a devdax character device (/dev/daxX.Y) whole.
 * Character devices are mapped with their alignment (2 MiB), as devdax
 * requires.
 */
int famfs_media_open_path(struct util_log_ctx *lc, const char *path, bool writable,
		       struct fc_media **out);
void fc_media_close(struct fc_media *m);

#endif /* FC_MEDIA_H */
