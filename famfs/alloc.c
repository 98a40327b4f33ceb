// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Space in a famfs over many members. There is no on-media bitmap: space is
 * one bit per 2 MiB allocation unit per member, rebuilt from the log each
 * time a file system is opened, with the superblock (and on the primary the
 * log) pre-marked. Space is never freed inside a file system (famfs's
 * rule). Files of at most one chunk get one simple extent on the least-used
 * member; larger ones one interleaved extent over distinct members.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <json-c/json.h>
#include "famfs/fs.h"
#include "util/cacheflush.h"
#include "util/export.h"
#include "util/log.h"

static bool unit_used(const struct famfs_member *mb, uint64_t u)
{
	return mb->used[u / 64] >> (u % 64) & 1;
}

uint64_t famfs_map_words(uint64_t units)
{
	return (units + 63) / 64;
}

int famfs_mark(struct fc_famfs *fs, uint64_t dev, uint64_t off, uint64_t len)
{
	struct famfs_member *mb;

	if (dev >= fs->n || off % FAMFS_ALLOC_UNIT || !len)
		return -EUCLEAN;
	mb = &fs->mem[dev];
	for (uint64_t u = off / FAMFS_ALLOC_UNIT; u * FAMFS_ALLOC_UNIT < off + len; u++) {
		if (u >= mb->units || unit_used(mb, u))
			return -EUCLEAN; /* outside the member, or overlapping */
		mb->used[u / 64] |= 1ULL << (u % 64);
		mb->nused++;
	}
	return 0;
}

int famfs_mark_fmap(struct fc_famfs *fs, const struct famfs_log_fmap *f)
{
	int rc = 0;

	if (f->fmap_ext_type == FAMFS_EXT_SIMPLE) {
		if (f->fmap_count > FAMFS_MAX_SIMPLE_EXTENTS)
			return -EUCLEAN;
		for (uint32_t i = 0; i < f->fmap_count && !rc; i++)
			rc = famfs_mark(fs, f->se[i].se_devindex, f->se[i].se_offset, f->se[i].se_len);
		return rc;
	}
	if (f->fmap_ext_type != FAMFS_EXT_INTERLEAVE || f->fmap_count != 1 ||
	    f->ie.ie_nstrips == 0 || f->ie.ie_nstrips > FAMFS_MAX_STRIPS)
		return -EUCLEAN;
	for (uint64_t s = 0; s < f->ie.ie_nstrips && !rc; s++)
		rc = famfs_mark(fs, f->ie.ie_strips[s].se_devindex, f->ie.ie_strips[s].se_offset,
			  f->ie.ie_strips[s].se_len);
	return rc;
}

/* First fit of `units` free units on member `dev`; returns the offset. */
static int find_free(struct fc_famfs *fs, unsigned int dev, uint64_t units, uint64_t *off)
{
	struct famfs_member *mb = &fs->mem[dev];
	uint64_t run = 0;

	for (uint64_t u = 0; u < mb->units; u++) {
		/* whole words at a time while they are all used */
		if (!(u % 64) && mb->used[u / 64] == ~0ULL && u + 64 <= mb->units) {
			run = 0;
			u += 63;
			continue;
		}
		run = unit_used(mb, u) ? 0 : run + 1;
		if (run == units) {
			*off = (u + 1 - units) * FAMFS_ALLOC_UNIT;
			return 0;
		}
	}
	return -ENOSPC;
}

/* Members ordered by use, least used first (ties: lower index). */
static void by_usage(struct fc_famfs *fs, unsigned int *order)
{
	for (unsigned int i = 0; i < fs->n; i++)
		order[i] = i;
	for (unsigned int i = 1; i < fs->n; i++)
		for (unsigned int j = i; j > 0 &&
		     fs->mem[order[j]].nused < fs->mem[order[j - 1]].nused; j--) {
			unsigned int t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
}

/*
 * Allocate a file's space: below one chunk (or with one strip) a single
 * simple extent on the least-used member that fits; otherwise one
 * interleaved extent over `strips` distinct members, least used first, each
 * strip holding an equal whole number of chunks.
 */
int famfs_allocate(struct fc_famfs *fs, uint64_t size, uint64_t chunk,
		    unsigned int strips, struct famfs_log_fmap *f)
{
	unsigned int order[FAMFS_MAX_MEMBERS], got = 0;

	by_usage(fs, order);
	memset(f, 0, sizeof(*f));
	if (strips > fs->n)
		strips = fs->n;
	if (size <= chunk || strips <= 1) {
		uint64_t units = (size + FAMFS_ALLOC_UNIT - 1) / FAMFS_ALLOC_UNIT, off;

		for (unsigned int k = 0; k < fs->n; k++)
			if (find_free(fs, order[k], units ? units : 1, &off) == 0) {
				f->fmap_ext_type = FAMFS_EXT_SIMPLE;
				f->fmap_count = 1;
				f->se[0] = (struct famfs_simple_extent){ order[k], off,
					(units ? units : 1) * FAMFS_ALLOC_UNIT };
				return 0;
			}
		return -ENOSPC;
	}
	{
		uint64_t stripe = chunk * strips;
		uint64_t per = (size + stripe - 1) / stripe * chunk;

		f->fmap_ext_type = FAMFS_EXT_INTERLEAVE;
		f->fmap_count = 1;
		f->ie.ie_chunk_size = chunk;
		for (unsigned int k = 0; k < fs->n && got < strips; k++) {
			uint64_t off;

			if (find_free(fs, order[k], per / FAMFS_ALLOC_UNIT, &off) < 0)
				continue;
			f->ie.ie_strips[got++] = (struct famfs_simple_extent){ order[k], off, per };
		}
		f->ie.ie_nstrips = got;
		return got == strips ? 0 : -ENOSPC;
	}
}
