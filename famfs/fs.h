/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Inside the famfs layer: the open file system's state and the functions
 * its files share (log.c, alloc.c, fs.c, files.c, fsck.c, mkfs.c).
 */
#ifndef FAMFS_FS_H
#define FAMFS_FS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <famfsctl/famfs.h>
#include "famfs/famfs.h"
#include "famfs/media.h"
#include "famfs/omf.h"

struct util_log_ctx;

/* A member at its log index, with its free-space map. */
struct famfs_member {
	struct fc_media *m;
	uint64_t units;   /* allocation units on the member */
	uint64_t *used;   /* the free-space map: one bit per 2 MiB unit */
	uint64_t nused;
};

/* An open file system (the installed API's struct fc_famfs). */
struct fc_famfs {
	struct util_log_ctx *lc;
	unsigned int n;
	struct famfs_member mem[FAMFS_MAX_MEMBERS];
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
	/* directories' children, by entry index + 1 (0 none; the root's in
	 * root_first/root_last): readdir walks a directory's own entries */
	uint32_t *first, *last, *next;
	uint32_t root_first, root_last;
	/*
	 * Threads (the contract is in <famfsctl/famfs.h>): `lock` is shared
	 * by readers of the index and the free map, exclusive while replay or
	 * an append changes them; `wmutex` makes one thread of this process
	 * the log writer at a time (flock does not tell threads of one process
	 * apart); `batch_owner` is the thread holding the writer lock across
	 * a batch.
	 */
	pthread_rwlock_t lock;
	pthread_mutex_t wmutex;
	pthread_t batch_owner;
	bool in_batch;
};


static inline struct famfs_superblock *famfs_sb_of(struct fc_media *m)
{
	return (struct famfs_superblock *)m->base;
}

static inline bool famfs_is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* log.c: entries, the path index, replay, append, the writer lock */
struct famfs_log_entry *famfs_entry(struct fc_famfs *fs, uint64_t i);
const char *famfs_entry_path(const struct famfs_log_entry *le);
void famfs_index_path(struct fc_famfs *fs, uint64_t i);
struct famfs_log_entry *famfs_lookup(struct fc_famfs *fs, const char *rel);
int famfs_replay(struct fc_famfs *fs);
int famfs_append(struct fc_famfs *fs, struct famfs_log_entry *le);
int famfs_writer_lock(struct fc_famfs *fs);
#define FAMFS_LOG_CUT 1
int famfs_log_seq_state(const struct famfs_log_header *lh);
int famfs_writer_unlock(struct fc_famfs *fs, int rc);

/* alloc.c: the free-space map and striped allocation */
uint64_t famfs_map_words(uint64_t units);
int famfs_mark(struct fc_famfs *fs, uint64_t dev, uint64_t off, uint64_t len);
int famfs_mark_fmap(struct fc_famfs *fs, const struct famfs_log_fmap *f);
int famfs_allocate(struct fc_famfs *fs, uint64_t size, uint64_t chunk,
		   unsigned int strips, struct famfs_log_fmap *f);

/* fs.c: the in-memory file system over checked media */
int famfs_build(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
		struct fc_famfs **out);

/* files.c: path rules and the extent map */
int famfs_check_path(struct util_log_ctx *lc, const char *path, char rel[FAMFS_MAX_PATHLEN]);
int famfs_map_offset(const struct famfs_log_fmap *f, uint64_t off, uint64_t *dev,
		     uint64_t *dev_off, uint64_t *avail);

#endif /* FAMFS_FS_H */
