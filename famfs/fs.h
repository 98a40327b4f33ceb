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
#include "famfs/fsck.h"

struct util_log_ctx;

_Static_assert(FAMFS_MAX_STRIPS == FC_MAX_STRIPS, "the API's strip limit is famfs's");

/* A member at its log index, with its free-space map. */
struct famfs_member {
	struct fc_media *m;
	uint64_t units;   /* allocation units on the member */
	uint64_t *used;   /* the free-space map: one bit per 2 MiB unit */
	uint64_t nused;
};

/*
 * An open file system (the installed API's struct fc_famfs). What it serves
 * is a private copy of the log entries last replayed and checked (log[]),
 * not the shared media, so an entry another host rewrites or damages later
 * cannot reach a reader; a replay that finds the log damaged keeps this
 * last good state.
 */
struct fc_famfs {
	struct util_log_ctx *lc;
	unsigned int n;
	struct famfs_member mem[FC_MAX_MEMBERS];
	uint8_t tags[FC_MAX_MEMBERS][16]; /* each member's identity, from its superblock at open */
	struct famfs_superblock *sb;
	struct famfs_log_header *lh;
	uint64_t log_len; /* the superblock's, checked at open: what is mapped */
	int lock_fd;
	bool owns_media; /* opened by path: close the media too */
	/* paths -> log entries (index + 1; 0 empty), open addressing, built at
	 * replay: lookups are O(1) instead of a walk of the log */
	uint32_t *paths;
	uint64_t npaths_slots;
	struct famfs_log_entry *log; /* entries [0, log_cap): [0, replayed) checked, never moved */
	uint64_t log_cap; /* the log's slots */
	uint64_t replayed; /* entries replayed (next_index then); readers load it acquire */
	unsigned int known; /* members the replayed ADD_DAXDEV entries named, the primary included */
	/* directories' children, by entry index + 1 (0 none; the root's in
	 * root_first/root_last), log_cap long: readdir walks a directory's own
	 * entries. Rebuilt with the index, from the checked copy. */
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
	/* files placed inside the batch, not logged yet (fc_famfs_reserve):
	 * their space is marked in the free map; the batch's end frees it */
	struct fc_famfs_pending *pending;
	unsigned int commits; /* fc_famfs_commit calls, for FAMFSCTL_FAULT=commit:N */
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
struct famfs_log_entry *famfs_lookup(struct fc_famfs *fs, const char *rel);
/*
 * Rebuild the free-space map, the path index and the private copy of the
 * log from the media, every entry checked (famfs_check_entry) and its space
 * marked. With `fn`, every finding is passed to it and replay goes on past
 * the entry (fsck); without, the first is logged. Either way a damaged log
 * returns -EUCLEAN and the state before the replay is kept.
 */
typedef void (*famfs_finding_fn)(void *arg, const struct famfs_finding *f);
int famfs_replay(struct fc_famfs *fs, famfs_finding_fn fn, void *arg);
int famfs_append(struct fc_famfs *fs, struct famfs_log_entry *le);
int famfs_writer_lock(struct fc_famfs *fs);
#define FAMFS_LOG_CUT 1
int famfs_log_seq_state(const struct famfs_log_header *lh);
int famfs_writer_unlock(struct fc_famfs *fs, int rc);
/* Whether this thread holds the writer lock across a batch. */
bool famfs_in_own_batch(struct fc_famfs *fs);

/* entry.c: what an entry must be (every check a coded finding, -EUCLEAN) */
/* Fill a finding; returns -EUCLEAN. */
int famfs_finding(struct famfs_finding *f, enum famfs_problem code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A stored path's syntax: NULL when fine, else why not. */
const char *famfs_path_rule(const char *rel);
/* Superblock fields the others rest on: the allocation unit, the OMF version. */
int famfs_check_superblock_format(const struct famfs_superblock *sb, struct famfs_finding *f);
/* The log header's bounds against the log's length at open: magic, CRC,
 * length, next index, sequence number. */
int famfs_check_log_header(uint64_t log_len, const struct famfs_log_header *lh,
			   struct famfs_finding *f);
/* The record alone: seqnum is its slot i, CRC, a type famfs writes. */
int famfs_check_record(const struct famfs_log_entry *le, uint64_t i, struct famfs_finding *f);
/* An ADD_DAXDEV record after `known` members whose tags are tags[]: within
 * the member table, the next index, a tag not named before. */
int famfs_check_add_daxdev(const struct famfs_add_daxdev *dd, uint64_t i,
			   const uint8_t (*tags)[16], unsigned int known, struct famfs_finding *f);
/* A new path: its syntax, not there yet, its parent a logged directory. */
int famfs_check_name(struct fc_famfs *fs, const char *rel, struct famfs_finding *f);
/* An extent map over the first `known` members, holding `size` bytes. */
int famfs_check_fmap(const struct fc_famfs *fs, unsigned int known, const struct famfs_log_fmap *fm,
		     uint64_t size, uint64_t i, struct famfs_finding *f);
/* Entry i where it stands in the log: all of the above that apply. */
int famfs_check_entry(struct fc_famfs *fs, const struct famfs_log_entry *le, uint64_t i,
		      struct famfs_finding *f);

/* alloc.c: the free-space map and striped allocation */
uint64_t famfs_map_words(uint64_t units);
int famfs_mark(struct fc_famfs *fs, uint64_t dev, uint64_t off, uint64_t len);
int famfs_mark_fmap(struct fc_famfs *fs, const struct famfs_log_fmap *f);
void famfs_unmark_fmap(struct fc_famfs *fs, const struct famfs_log_fmap *f);
/* The bytes famfs_allocate gives `size` (whole units; whole stripes of
 * `strips` chunks when interleaved), or -EFBIG when that would pass 2^64. */
int famfs_alloc_size(uint64_t size, uint64_t chunk, unsigned int strips, uint64_t *bytes);
int famfs_allocate(struct fc_famfs *fs, uint64_t size, uint64_t chunk,
		   unsigned int strips, struct famfs_log_fmap *f);

/* fs.c: the in-memory file system over checked media */
int famfs_build(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
		struct fc_famfs **out);

/* files.c: path rules and the extent map */
int famfs_check_path(struct util_log_ctx *lc, const char *path, char rel[FAMFS_MAX_PATHLEN]);
int famfs_map_offset(const struct famfs_log_fmap *f, uint64_t off, uint64_t *dev,
		     uint64_t *dev_off, uint64_t *avail);
/* Free the space of every file reserved and not committed. */
void famfs_unreserve_all(struct fc_famfs *fs);

#endif /* FAMFS_FS_H */
