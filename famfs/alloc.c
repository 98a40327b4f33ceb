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
#include "util/arith.h"
#include "util/log.h"

static bool unit_used(const struct famfs_member *mb, uint64_t u)
{
	return mb->used[u / 64] >> (u % 64) & 1;
}

uint64_t famfs_map_words(uint64_t units)
{
	return (units + 63) / 64;
}

/* The units [first, end) of a range, or -EUCLEAN when it is not on the member. */
static int unit_range(struct fc_famfs *fs, uint64_t dev, uint64_t off, uint64_t len,
		      uint64_t *first, uint64_t *end)
{
	uint64_t last;

	if (dev >= fs->n || off % FAMFS_ALLOC_UNIT || !len || util_add_u64(off, len - 1, &last) < 0)
		return -EUCLEAN;
	*first = off / FAMFS_ALLOC_UNIT;
	*end = last / FAMFS_ALLOC_UNIT + 1;
	return *end <= fs->mem[dev].units ? 0 : -EUCLEAN;
}

static void unmark(struct fc_famfs *fs, uint64_t dev, uint64_t off, uint64_t len)
{
	struct famfs_member *mb = &fs->mem[dev];
	uint64_t u, end;

	if (unit_range(fs, dev, off, len, &u, &end) < 0)
		return;
	for (; u < end; u++) {
		mb->used[u / 64] &= ~(1ULL << (u % 64));
		mb->nused--;
	}
}

/* Mark a range used: all of it, or (outside the member, overlapping) none. */
int famfs_mark(struct fc_famfs *fs, uint64_t dev, uint64_t off, uint64_t len)
{
	struct famfs_member *mb;
	uint64_t first, end;

	if (unit_range(fs, dev, off, len, &first, &end) < 0)
		return -EUCLEAN;
	mb = &fs->mem[dev];
	for (uint64_t u = first; u < end; u++)
		if (unit_used(mb, u))
			return -EUCLEAN;
	for (uint64_t u = first; u < end; u++) {
		mb->used[u / 64] |= 1ULL << (u % 64);
		mb->nused++;
	}
	return 0;
}

/* The extents of a file map: NULL (and n 0) when the map is malformed. */
static const struct famfs_simple_extent *fmap_extents(const struct famfs_log_fmap *f, uint64_t *n)
{
	*n = 0;
	if (f->fmap_ext_type == FAMFS_EXT_INTERLEAVE) {
		if (f->fmap_count != 1 || !f->ie.ie_nstrips || f->ie.ie_nstrips > FAMFS_MAX_STRIPS)
			return NULL;
		*n = f->ie.ie_nstrips;
		return f->ie.ie_strips;
	}
	if (f->fmap_ext_type != FAMFS_EXT_SIMPLE || !f->fmap_count ||
	    f->fmap_count > FAMFS_MAX_SIMPLE_EXTENTS)
		return NULL;
	*n = f->fmap_count;
	return f->se;
}

/* Free a file's extents again (space placed but never logged). */
void famfs_unmark_fmap(struct fc_famfs *fs, const struct famfs_log_fmap *f)
{
	uint64_t n;
	const struct famfs_simple_extent *se = fmap_extents(f, &n);

	for (uint64_t e = 0; e < n; e++)
		unmark(fs, se[e].se_devindex, se[e].se_offset, se[e].se_len);
}

/* Mark a file's extents: all of them, or none. */
int famfs_mark_fmap(struct fc_famfs *fs, const struct famfs_log_fmap *f)
{
	uint64_t n;
	const struct famfs_simple_extent *se = fmap_extents(f, &n);

	if (!se)
		return -EUCLEAN;
	for (uint64_t e = 0; e < n; e++)
		if (famfs_mark(fs, se[e].se_devindex, se[e].se_offset, se[e].se_len) < 0) {
			while (e-- > 0)
				unmark(fs, se[e].se_devindex, se[e].se_offset, se[e].se_len);
			return -EUCLEAN;
		}
	return 0;
}

int famfs_alloc_size(uint64_t size, uint64_t chunk, unsigned int strips, uint64_t *bytes)
{
	uint64_t stripe, per;

	if (size <= chunk || strips <= 1)
		return util_round_up_u64(size ? size : 1, FAMFS_ALLOC_UNIT, bytes) < 0 ? -EFBIG : 0;
	if (util_mul_u64(chunk, strips, &stripe) < 0 ||
	    util_mul_u64(util_div_round_up(size, stripe), chunk, &per) < 0 ||
	    util_mul_u64(per, strips, bytes) < 0)
		return -EFBIG;
	return 0;
}

/* First fit of `units` free units on member `dev`; returns the offset. */
static int find_free(struct fc_famfs *fs, unsigned int dev, uint64_t units, uint64_t *off)
{
	struct famfs_member *mb = &fs->mem[dev];
	uint64_t run = 0;

	if (!units || units > mb->units)
		return -ENOSPC;
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
	unsigned int order[FC_MAX_MEMBERS], got = 0;
	uint64_t bytes;

	if (strips > fs->n)
		strips = fs->n;
	if (famfs_alloc_size(size, chunk, strips, &bytes) < 0)
		return -EFBIG;
	by_usage(fs, order);
	memset(f, 0, sizeof(*f));
	if (size <= chunk || strips <= 1) {
		uint64_t off;

		for (unsigned int k = 0; k < fs->n; k++)
			if (find_free(fs, order[k], bytes / FAMFS_ALLOC_UNIT, &off) == 0) {
				f->fmap_ext_type = FAMFS_EXT_SIMPLE;
				f->fmap_count = 1;
				f->se[0] = (struct famfs_simple_extent){ order[k], off, bytes };
				return 0;
			}
		return -ENOSPC;
	}
	{
		uint64_t per = bytes / strips; /* whole chunks, at least one */

		f->fmap_ext_type = FAMFS_EXT_INTERLEAVE;
		f->fmap_count = 1;
		f->ie.ie_chunk_size = chunk;
		for (unsigned int k = 0; k < fs->n && got < strips; k++) {
			uint64_t off;

			if (find_free(fs, order[k], util_div_round_up(per, FAMFS_ALLOC_UNIT), &off) < 0)
				continue;
			f->ie.ie_strips[got++] = (struct famfs_simple_extent){ order[k], off, per };
		}
		f->ie.ie_nstrips = got;
		return got == strips ? 0 : -ENOSPC;
	}
}
