// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Files in a multi-member famfs: the log (append, replay), the free-space
 * map rebuilt from it, striped allocation, mkdir/creat, and reading a file's
 * bytes through its extent map (no mount needed).
 *
 * There is no on-media bitmap: space is one bit per 2 MiB allocation unit
 * per member, rebuilt from the log each time a file system is opened, with
 * the superblock (and on the primary the log) pre-marked. Space is never
 * freed inside a file system (famfs's rule).
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
#include "lib/private.h"
#include "famfs/omf.h"
#include "famfs/famfs.h"
#include "lib/interleave.h"
#include "famfs/media.h"
#include "util/cacheflush.h"

struct member {
	struct fc_media *m;
	uint64_t units;   /* allocation units on the member */
	uint64_t *used;   /* the free-space map: one bit per 2 MiB unit */
	uint64_t nused;
};

struct fc_famfs {
	struct fc_ctx *ctx;
	unsigned int n;
	struct member mem[FAMFS_MAX_MEMBERS];
	struct famfs_superblock *sb;
	struct famfs_log_header *lh;
	int lock_fd;
	bool owns_media; /* opened by path: close the media too */
	/* paths -> log entries (index + 1; 0 empty), open addressing, built at
	 * replay: lookups are O(1) instead of a walk of the log */
	uint32_t *paths;
	uint64_t npaths_slots;
	int64_t bad_entry; /* replay: the first entry whose extents collide */
	uint64_t replayed; /* next_index when the log was last replayed */
};

static const char *entry_path(const struct famfs_log_entry *le)
{
	if (le->famfs_log_entry_type == FAMFS_LOG_FILE)
		return le->famfs_fc.famfs_relpath;
	if (le->famfs_log_entry_type == FAMFS_LOG_MKDIR)
		return le->famfs_md.famfs_relpath;
	return NULL;
}

static uint64_t path_hash(const char *p)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (size_t i = 0; i < FAMFS_MAX_PATHLEN && p[i]; i++)
		h = (h ^ (uint8_t)p[i]) * 1099511628211ULL;
	return h;
}

static struct famfs_log_entry *entry(struct fc_famfs *fs, uint64_t i)
{
	return (struct famfs_log_entry *)((uint8_t *)fs->lh + sizeof(*fs->lh) +
					  i * sizeof(struct famfs_log_entry));
}

static bool unit_used(const struct member *mb, uint64_t u)
{
	return mb->used[u / 64] >> (u % 64) & 1;
}

static uint64_t map_words(uint64_t units)
{
	return (units + 63) / 64;
}

static int mark(struct fc_famfs *fs, uint64_t dev, uint64_t off, uint64_t len)
{
	struct member *mb;

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

static int mark_fmap(struct fc_famfs *fs, const struct famfs_log_fmap *f)
{
	int rc = 0;

	if (f->fmap_ext_type == FAMFS_EXT_SIMPLE) {
		if (f->fmap_count > FAMFS_MAX_SIMPLE_EXTENTS)
			return -EUCLEAN;
		for (uint32_t i = 0; i < f->fmap_count && !rc; i++)
			rc = mark(fs, f->se[i].se_devindex, f->se[i].se_offset, f->se[i].se_len);
		return rc;
	}
	if (f->fmap_ext_type != FAMFS_EXT_INTERLEAVE || f->fmap_count != 1 ||
	    f->ie.ie_nstrips == 0 || f->ie.ie_nstrips > FAMFS_MAX_STRIPS)
		return -EUCLEAN;
	for (uint64_t s = 0; s < f->ie.ie_nstrips && !rc; s++)
		rc = mark(fs, f->ie.ie_strips[s].se_devindex, f->ie.ie_strips[s].se_offset,
			  f->ie.ie_strips[s].se_len);
	return rc;
}

static struct famfs_log_entry *entry(struct fc_famfs *fs, uint64_t i);

/* The slot for `rel`: where it is, or the empty one where it would go. */
static uint64_t path_slot(struct fc_famfs *fs, const char *rel)
{
	uint64_t mask = fs->npaths_slots - 1, k = path_hash(rel) & mask;

	while (fs->paths[k]) {
		const char *p = entry_path(entry(fs, fs->paths[k] - 1));

		if (!strncmp(p, rel, FAMFS_MAX_PATHLEN))
			break;
		k = (k + 1) & mask;
	}
	return k;
}

static void index_path(struct fc_famfs *fs, uint64_t i)
{
	const char *p = entry_path(entry(fs, i));

	if (p)
		fs->paths[path_slot(fs, p)] = (uint32_t)(i + 1);
}

/* Rebuild the free-space map and the path index from the log. */
static int replay(struct fc_famfs *fs)
{
	for (unsigned int i = 0; i < fs->n; i++) {
		memset(fs->mem[i].used, 0, map_words(fs->mem[i].units) * sizeof(uint64_t));
		fs->mem[i].nused = 0;
		mark(fs, i, 0, FAMFS_SUPERBLOCK_SIZE);
	}
	mark(fs, 0, FAMFS_LOG_OFFSET, fs->sb->ts_log_len);
	util_cache_invalidate(fs->lh, sizeof(*fs->lh));
	for (uint64_t i = 0; i < fs->lh->famfs_log_next_index; i++) {
		struct famfs_log_entry *le = entry(fs, i);

		util_cache_invalidate(le, sizeof(*le));
		index_path(fs, i);
		if (le->famfs_log_entry_type == FAMFS_LOG_FILE &&
		    mark_fmap(fs, &le->famfs_fc.famfs_fc_fmap) < 0) {
			fs->bad_entry = (int64_t)i;
			err(fs->ctx, "log entry %llu (%.80s): extents overlap or fall outside a member\n",
			    (unsigned long long)i, le->famfs_fc.famfs_relpath);
			return -EUCLEAN;
		}
	}
	fs->replayed = fs->lh->famfs_log_next_index;
	return 0;
}

FC_EXPORT void fc_famfs_close(struct fc_famfs *fs)
{
	if (!fs)
		return;
	free(fs->paths);
	for (unsigned int i = 0; i < fs->n; i++) {
		free(fs->mem[i].used);
		if (fs->owns_media)
			fc_media_close(fs->mem[i].m);
	}
	if (fs->lock_fd >= 0)
		close(fs->lock_fd);
	free(fs);
}

/*
 * Open a clean file system for files: m[0] the primary, the others in any
 * order (they are placed at their log index). A writer passes its system
 * uuid: only the master (the superblock's system uuid) may add files, and
 * it takes an exclusive flock on the primary's path, as famfs serialises log
 * writers.
 */
/* The in-memory file system over checked media: members at their log index. */
static int build(struct fc_ctx *ctx, struct fc_media **m, unsigned int n,
		 struct fc_famfs **out)
{
	struct fc_famfs *fs;

	if (n > FAMFS_MAX_MEMBERS)
		return -EINVAL;
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->ctx = ctx;
	fs->n = n;
	fs->lock_fd = -1;
	fs->bad_entry = -1;
	fs->sb = (struct famfs_superblock *)m[0]->base;
	fs->lh = (struct famfs_log_header *)(m[0]->base + fs->sb->ts_log_offset);
	fs->mem[0].m = m[0];
	/* check passed: every ADD_DAXDEV names exactly one of m[1..] by tag */
	for (uint64_t i = 0; i < fs->lh->famfs_log_next_index; i++) {
		struct famfs_log_entry *le = entry(fs, i);

		if (le->famfs_log_entry_type != FAMFS_LOG_ADD_DAXDEV)
			continue;
		for (unsigned int j = 1; j < n; j++)
			if (!memcmp(((struct famfs_superblock *)m[j]->base)->ts_dev_uuid,
				    le->famfs_dd.dd_uuid, 16))
				fs->mem[le->famfs_dd.dd_index].m = m[j];
	}
	/* a power of two at least twice the log's entries: probes stay short */
	for (fs->npaths_slots = 1024; fs->npaths_slots < 2 * (fs->lh->famfs_log_last_index + 1);)
		fs->npaths_slots *= 2;
	fs->paths = calloc(fs->npaths_slots, sizeof(*fs->paths));
	if (!fs->paths) {
		fc_famfs_close(fs);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < n; i++) {
		fs->mem[i].units = fs->mem[i].m->size / FAMFS_ALLOC_UNIT;
		fs->mem[i].used = calloc(map_words(fs->mem[i].units) ? map_words(fs->mem[i].units) : 1,
					 sizeof(uint64_t));
		if (!fs->mem[i].used) {
			fc_famfs_close(fs);
			return -ENOMEM;
		}
	}
	*out = fs;
	return 0;
}

static int open_media(struct fc_ctx *ctx, struct fc_media **m, unsigned int n,
		      const uint8_t *master, const char *lock_path, struct fc_famfs **out)
{
	struct fc_famfs *fs;
	int rc;

	rc = fc_famfs_check_media(ctx, m, n, NULL);
	if (rc == 0)
		rc = build(ctx, m, n, &fs);
	if (rc < 0)
		return rc;
	if (master) {
		if (memcmp(fs->sb->ts_system_uuid, master, 16)) {
			err(ctx, "%s: this host is not the file system's master; only it adds files\n",
			    m[0]->name);
			fc_famfs_close(fs);
			return -EPERM;
		}
		/* taken around each append (writer_lock), so a long-lived
		 * writer (a mount) and famfsctl cp share the log */
		fs->lock_fd = open(lock_path ? lock_path : m[0]->name,
				   O_RDONLY | O_CLOEXEC | (lock_path ? O_CREAT : 0), 0644);
		if (fs->lock_fd < 0) {
			rc = -errno;
			err(ctx, "%s: cannot open the log lock: %s\n", m[0]->name, strerror(errno));
			fc_famfs_close(fs);
			return rc;
		}
	}
	rc = replay(fs);
	if (rc < 0) {
		fc_famfs_close(fs);
		return rc;
	}
	*out = fs;
	return 0;
}

/* ---- paths ---- */

static int check_path(struct fc_ctx *ctx, const char *path, char rel[FAMFS_MAX_PATHLEN])
{
	while (*path == '/')
		path++;
	if (!*path) {
		err(ctx, "'/' is the root; give a path below it\n");
		return -EINVAL;
	}
	if (strlen(path) >= FAMFS_MAX_PATHLEN) {
		err(ctx, "'%s': famfs paths are at most %d bytes\n", path, FAMFS_MAX_PATHLEN - 1);
		return -ENAMETOOLONG;
	}
	if (path[strlen(path) - 1] == '/' || strstr(path, "//") || !strcmp(path, "..") ||
	    !strncmp(path, "../", 3) || strstr(path, "/../") || strstr(path, "/./") ||
	    !strncmp(path, "./", 2)) {
		err(ctx, "'%s': not a plain relative path\n", path);
		return -EINVAL;
	}
	memset(rel, 0, FAMFS_MAX_PATHLEN);
	strcpy(rel, path);
	return 0;
}

/* The log entry naming `rel` (FILE or MKDIR), or NULL. */
static struct famfs_log_entry *lookup(struct fc_famfs *fs, const char *rel)
{
	uint32_t e = fs->paths[path_slot(fs, rel)];

	return e ? entry(fs, e - 1) : NULL;
}

static int check_new_path(struct fc_famfs *fs, const char *rel)
{
	char parent[FAMFS_MAX_PATHLEN];
	char *slash;
	struct famfs_log_entry *p;

	if (lookup(fs, rel)) {
		err(fs->ctx, "'%s' exists\n", rel);
		return -EEXIST;
	}
	strcpy(parent, rel);
	slash = strrchr(parent, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	p = lookup(fs, parent);
	if (!p || p->famfs_log_entry_type != FAMFS_LOG_MKDIR) {
		err(fs->ctx, "'%s': no directory '%s'\n", rel, parent);
		return -ENOENT;
	}
	return 0;
}

/* Append one entry: stamp seqnum and CRC, write, flush, then publish. */
static int append(struct fc_famfs *fs, struct famfs_log_entry *le)
{
	struct famfs_log_header *lh = fs->lh;
	uint64_t i;

	if (fs->lock_fd < 0)
		return -EROFS;
	util_cache_invalidate(lh, sizeof(*lh));
	i = lh->famfs_log_next_index;
	if (i > lh->famfs_log_last_index) {
		err(fs->ctx, "log full: all %llu entries used\n",
		    (unsigned long long)lh->famfs_log_last_index + 1);
		return -ENOSPC;
	}
	le->famfs_log_entry_seqnum = i;
	le->famfs_log_entry_crc = famfs_log_entry_crc(le);
	fc_fault_point("append", 1);
	memcpy(entry(fs, i), le, sizeof(*le));
	util_cache_flush(entry(fs, i), sizeof(*le));
	/* the entry exists once next_index covers it: seqnum first, then the
	 * commit, each flushed, so a cut leaves seqnum at most one ahead */
	fc_fault_point("append", 2);
	lh->famfs_log_next_seqnum = i + 1;
	util_cache_flush(&lh->famfs_log_next_seqnum, sizeof(lh->famfs_log_next_seqnum));
	fc_fault_point("append", 3);
	lh->famfs_log_next_index = i + 1;
	util_cache_flush(lh, sizeof(*lh));
	index_path(fs, i);
	return 0;
}

FC_EXPORT int fc_famfs_open(struct fc_ctx *ctx, const char *const *paths, unsigned int n,
			    const uuid_t master, struct fc_famfs **out)
{
	struct fc_media *m[FAMFS_MAX_MEMBERS];
	unsigned int opened = 0;
	int rc = 0;

	if (n == 0 || n > FAMFS_MAX_MEMBERS)
		return -EINVAL;
	while (opened < n && rc == 0) {
		rc = fc_media_open_path(ctx, paths[opened], master != NULL, &m[opened]);
		if (rc == 0)
			opened++;
	}
	if (rc == 0)
		rc = open_media(ctx, m, n, master, NULL, out);
	if (rc < 0) {
		while (opened > 0)
			fc_media_close(m[--opened]);
		return rc;
	}
	(*out)->owns_media = true;
	return 0;
}

/*
 * One writer of the log at a time: the lock is held across checking the
 * path, allocating and appending, and whatever another writer appended
 * meanwhile is replayed first so its space and paths are known.
 */
static int writer_lock(struct fc_famfs *fs)
{
	if (fs->lock_fd < 0)
		return -EROFS;
	if (flock(fs->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK)
			return -errno;
		info(fs->ctx, "waiting for another writer of %s's log\n", fs->mem[0].m->name);
		while (flock(fs->lock_fd, LOCK_EX) < 0)
			if (errno != EINTR)
				return -errno;
	}
	util_cache_invalidate(fs->lh, sizeof(*fs->lh));
	if (fs->lh->famfs_log_next_index != fs->replayed) {
		int rc = replay(fs);

		if (rc < 0) {
			flock(fs->lock_fd, LOCK_UN);
			return rc;
		}
	}
	return 0;
}

static int writer_unlock(struct fc_famfs *fs, int rc)
{
	fs->replayed = fs->lh->famfs_log_next_index;
	flock(fs->lock_fd, LOCK_UN);
	return rc;
}

FC_EXPORT int fc_famfs_mkdir(struct fc_famfs *fs, const char *path, uint32_t mode,
		   uint32_t uid, uint32_t gid)
{
	struct famfs_log_entry le = { .famfs_log_entry_type = FAMFS_LOG_MKDIR };
	int rc = check_path(fs->ctx, path, le.famfs_md.famfs_relpath);

	if (rc < 0 || (rc = writer_lock(fs)) < 0)
		return rc;
	rc = check_new_path(fs, le.famfs_md.famfs_relpath);
	if (rc < 0)
		return writer_unlock(fs, rc);
	le.famfs_md.fc_uid = uid;
	le.famfs_md.fc_gid = gid;
	le.famfs_md.fc_mode = mode;
	return writer_unlock(fs, append(fs, &le));
}

/* First fit of `units` free units on member `dev`; returns the offset. */
static int find_free(struct fc_famfs *fs, unsigned int dev, uint64_t units, uint64_t *off)
{
	struct member *mb = &fs->mem[dev];
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
static int allocate(struct fc_famfs *fs, uint64_t size, uint64_t chunk,
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

FC_EXPORT int fc_famfs_creat(struct fc_famfs *fs, const char *path, uint64_t size,
		   const struct fc_famfs_file_opts *o)
{
	struct famfs_log_entry le = { .famfs_log_entry_type = FAMFS_LOG_FILE };
	struct famfs_file_creation *fc = &le.famfs_fc;
	char sz[FC_SIZE_STR_MAX];
	int rc = check_path(fs->ctx, path, fc->famfs_relpath);

	if (rc < 0)
		return rc;
	if (!size || o->chunk < FAMFS_ALLOC_UNIT || (o->chunk & (o->chunk - 1)) ||
	    o->strips < 1 || o->strips > FAMFS_MAX_STRIPS) {
		err(fs->ctx, "'%s': size must be non-zero, chunk a power-of-two multiple of 2 MiB, strips 1..16\n",
		    path);
		return -EINVAL;
	}
	rc = writer_lock(fs);
	if (rc < 0)
		return rc;
	rc = check_new_path(fs, fc->famfs_relpath);
	if (rc < 0)
		return writer_unlock(fs, rc);
	rc = allocate(fs, size, o->chunk, o->strips, &fc->famfs_fc_fmap);
	if (rc < 0) {
		err(fs->ctx, "'%s': no room for %s over %u strip%s\n", path,
		    fc_format_size(size, sz, sizeof(sz)), o->strips, o->strips == 1 ? "" : "s");
		return writer_unlock(fs, rc);
	}
	fc->famfs_fc_size = size;
	fc->famfs_fc_flags = FAMFS_FILE_ALL_HOSTS_RW;
	fc->famfs_fc_uid = o->uid;
	fc->famfs_fc_gid = o->gid;
	fc->famfs_fc_mode = o->mode;
	rc = append(fs, &le);
	if (rc == 0)
		rc = mark_fmap(fs, &fc->famfs_fc_fmap);
	return writer_unlock(fs, rc);
}

/* Map a file offset to (member, offset) through its extent map. */
static int map_offset(const struct famfs_log_fmap *f, uint64_t off, uint64_t *dev,
		      uint64_t *devoff, uint64_t *avail)
{
	if (f->fmap_ext_type == FAMFS_EXT_SIMPLE) {
		for (uint32_t i = 0; i < f->fmap_count; i++) {
			if (off < f->se[i].se_len) {
				*dev = f->se[i].se_devindex;
				*devoff = f->se[i].se_offset + off;
				*avail = f->se[i].se_len - off;
				return 0;
			}
			off -= f->se[i].se_len;
		}
		return -EINVAL;
	}
	{
		uint64_t chunk = f->ie.ie_chunk_size, c = off / chunk;
		const struct famfs_simple_extent *s = &f->ie.ie_strips[c % f->ie.ie_nstrips];
		uint64_t within = (c / f->ie.ie_nstrips) * chunk + off % chunk;

		if (within >= s->se_len)
			return -EINVAL;
		*dev = s->se_devindex;
		*devoff = s->se_offset + within;
		*avail = chunk - off % chunk;
		return 0;
	}
}

/* Copy between a buffer and a file's bytes; to_media selects the direction. */
static ssize_t file_io(struct fc_famfs *fs, const char *path, uint64_t off,
		       void *buf, size_t len, bool to_media)
{
	char rel[FAMFS_MAX_PATHLEN];
	struct famfs_log_entry *le;
	size_t done = 0;
	int rc = check_path(fs->ctx, path, rel);

	if (rc < 0)
		return rc;
	le = lookup(fs, rel);
	if (!le || le->famfs_log_entry_type != FAMFS_LOG_FILE) {
		err(fs->ctx, "'%s': no such file\n", rel);
		return -ENOENT;
	}
	if (off >= le->famfs_fc.famfs_fc_size)
		return 0;
	if (len > le->famfs_fc.famfs_fc_size - off)
		len = le->famfs_fc.famfs_fc_size - off;
	while (done < len) {
		uint64_t dev, devoff, avail;
		uint8_t *p;

		if (map_offset(&le->famfs_fc.famfs_fc_fmap, off + done, &dev, &devoff, &avail) < 0 ||
		    dev >= fs->n || devoff >= fs->mem[dev].m->size)
			return -EUCLEAN;
		if (avail > len - done)
			avail = len - done;
		p = fs->mem[dev].m->base + devoff;
		if (to_media) {
			memcpy(p, (uint8_t *)buf + done, avail);
			util_cache_flush(p, avail);
		} else {
			util_cache_invalidate(p, avail);
			memcpy((uint8_t *)buf + done, p, avail);
		}
		done += avail;
	}
	return (ssize_t)done;
}

FC_EXPORT int fc_famfs_stat(struct fc_famfs *fs, const char *path, uint64_t *size,
			    bool *is_dir)
{
	char rel[FAMFS_MAX_PATHLEN];
	struct famfs_log_entry *le;
	const char *p = path;

	while (*p == '/')
		p++;
	if (!*p) { /* the root */
		*size = 0;
		*is_dir = true;
		return 0;
	}
	if (check_path(fs->ctx, path, rel) < 0)
		return -EINVAL;
	le = lookup(fs, rel);
	if (!le)
		return -ENOENT;
	*is_dir = le->famfs_log_entry_type == FAMFS_LOG_MKDIR;
	*size = *is_dir ? 0 : le->famfs_fc.famfs_fc_size;
	return 0;
}

FC_EXPORT ssize_t fc_famfs_pread(struct fc_famfs *fs, const char *path, void *buf, size_t len,
		       uint64_t off)
{
	return file_io(fs, path, off, buf, len, false);
}

FC_EXPORT ssize_t fc_famfs_pwrite(struct fc_famfs *fs, const char *path, const void *buf,
			size_t len, uint64_t off)
{
	if (fs->lock_fd < 0)
		return -EROFS;
	return file_io(fs, path, off, (void *)buf, len, true);
}

/*
 * fsck's second half, over media check_media found clean: replay the log
 * into the free-space map (two files sharing space, or space outside a
 * member, is damage) and add each member's used and free bytes to the
 * report's members (which are in log index order).
 */
int fc_famfs_check_space(struct fc_ctx *ctx, struct fc_media **m, unsigned int n,
			 struct json_object *report)
{
	struct json_object *members = json_object_object_get(report, "members");
	struct json_object *problems = json_object_object_get(report, "problems");
	struct fc_famfs *fs;
	int rc = build(ctx, m, n, &fs);

	if (rc < 0)
		return rc;
	rc = replay(fs);
	if (rc < 0) {
		char buf[160];
		struct famfs_log_entry *le = entry(fs, (uint64_t)fs->bad_entry);

		snprintf(buf, sizeof(buf), "log entry %lld (%.80s): extents overlap another file or fall outside a member",
			 (long long)fs->bad_entry, le->famfs_fc.famfs_relpath);
		json_object_array_add(problems, json_object_new_string(buf));
		json_object_object_add(report, "clean", json_object_new_boolean(false));
	}
	for (unsigned int i = 0; i < n && rc == 0; i++) {
		struct json_object *mj = json_object_array_get_idx(members, i);
		uint64_t used = fs->mem[i].nused * FAMFS_ALLOC_UNIT;

		json_object_object_add(mj, "used", json_object_new_uint64(used));
		json_object_object_add(mj, "free", json_object_new_uint64(
			fs->mem[i].units * FAMFS_ALLOC_UNIT - used));
	}
	fc_famfs_close(fs);
	return rc;
}

FC_EXPORT uint64_t fc_famfs_member_used(struct fc_famfs *fs, unsigned int index)
{
	return index < fs->n ? fs->mem[index].nused * FAMFS_ALLOC_UNIT : 0;
}

/* A named interleave set: members found by tag, the log lock in this
 * host's run directory (dax devices have no path to lock). */
FC_EXPORT int fc_famfs_open_set(struct fc_ctx *ctx, const char *set, const uuid_t master,
				struct fc_famfs **out)
{
	struct fc_media **m;
	uuid_t *tags;
	unsigned int n;
	char dir[PATH_MAX], lock[PATH_MAX + 64], t[37];
	int rc = fc_set_open_media(ctx, set, master != NULL, &m, &tags, &n, NULL, NULL);

	if (rc < 0)
		return rc;
	uuid_unparse_lower(tags[0], t);
	rc = fc_host_dir(ctx, FC_HOST_RUN, dir, sizeof(dir));
	snprintf(lock, sizeof(lock), "%s/famfs-log-%s.lock", dir, t);
	if (rc == 0)
		rc = open_media(ctx, m, n, master, lock, out);
	if (rc < 0) {
		fc_set_close_media(m, n);
		free(tags);
		return rc;
	}
	free(m); /* the file system keeps the media */
	free(tags);
	(*out)->owns_media = true;
	return 0;
}

/* ---- what a mount needs: attributes, directories, refresh, metadata ---- */

static void fill_stat(const struct famfs_log_entry *le, struct fc_famfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	if (le->famfs_log_entry_type == FAMFS_LOG_MKDIR) {
		st->is_dir = true;
		st->mode = le->famfs_md.fc_mode;
		st->uid = le->famfs_md.fc_uid;
		st->gid = le->famfs_md.fc_gid;
	} else {
		st->size = le->famfs_fc.famfs_fc_size;
		st->mode = le->famfs_fc.famfs_fc_mode;
		st->uid = le->famfs_fc.famfs_fc_uid;
		st->gid = le->famfs_fc.famfs_fc_gid;
	}
}

FC_EXPORT int fc_famfs_getattr(struct fc_famfs *fs, const char *path, struct fc_famfs_stat *st)
{
	char rel[FAMFS_MAX_PATHLEN];
	struct famfs_log_entry *le;
	const char *p = path;

	while (*p == '/')
		p++;
	if (!*p) {
		memset(st, 0, sizeof(*st));
		st->is_dir = true;
		st->mode = 0755;
		return 0;
	}
	if (strlen(p) >= FAMFS_MAX_PATHLEN)
		return -ENAMETOOLONG;
	memset(rel, 0, sizeof(rel));
	strcpy(rel, p);
	le = lookup(fs, rel);
	if (!le)
		return -ENOENT;
	fill_stat(le, st);
	return 0;
}

FC_EXPORT int fc_famfs_readdir(struct fc_famfs *fs, const char *dir, fc_famfs_dir_fn fn,
			       void *arg)
{
	const char *d = dir;
	size_t dlen;
	struct fc_famfs_stat st;

	while (*d == '/')
		d++;
	dlen = strlen(d);
	if (fc_famfs_getattr(fs, dir, &st) < 0)
		return -ENOENT;
	if (!st.is_dir)
		return -ENOTDIR;
	for (uint64_t i = 0; i < fs->lh->famfs_log_next_index; i++) {
		struct famfs_log_entry *le = entry(fs, i);
		const char *p = entry_path(le), *name;
		int rc;

		if (!p)
			continue;
		if (dlen) {
			if (strncmp(p, d, dlen) || p[dlen] != '/')
				continue;
			name = p + dlen + 1;
		} else {
			name = p;
		}
		if (strchr(name, '/'))
			continue; /* deeper down */
		fill_stat(le, &st);
		rc = fn(arg, name, &st);
		if (rc)
			return rc;
	}
	return 0;
}

FC_EXPORT int fc_famfs_refresh(struct fc_famfs *fs)
{
	return replay(fs);
}

FC_EXPORT const void *fc_famfs_meta(struct fc_famfs *fs, bool log, size_t *len)
{
	uint8_t *base = fs->mem[0].m->base;

	if (log) {
		*len = fs->sb->ts_log_len;
		util_cache_invalidate(base + FAMFS_LOG_OFFSET, *len);
		return base + FAMFS_LOG_OFFSET;
	}
	*len = FAMFS_SUPERBLOCK_SIZE;
	util_cache_invalidate(base, *len);
	return base;
}

FC_EXPORT bool fc_famfs_is_master(struct fc_famfs *fs)
{
	return fs->lock_fd >= 0;
}

FC_EXPORT void fc_famfs_space(struct fc_famfs *fs, uint64_t *total, uint64_t *used)
{
	*total = *used = 0;
	for (unsigned int i = 0; i < fs->n; i++) {
		*total += fs->mem[i].units * FAMFS_ALLOC_UNIT;
		*used += fs->mem[i].nused * FAMFS_ALLOC_UNIT;
	}
}

FC_EXPORT int fc_famfs_system_uuid(struct fc_famfs *fs, uuid_t out)
{
	memcpy(out, fs->sb->ts_system_uuid, 16);
	return 0;
}
