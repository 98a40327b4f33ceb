// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The famfs log: the path index (paths -> entries, built at replay), replay
 * (the free-space map and index rebuilt from the log), append (stamp, CRC,
 * copy, commit, flush) and the writer lock famfs serialises appends with.
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

const char *famfs_entry_path(const struct famfs_log_entry *le)
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

struct famfs_log_entry *famfs_entry(struct fc_famfs *fs, uint64_t i)
{
	return (struct famfs_log_entry *)((uint8_t *)fs->lh + sizeof(*fs->lh) +
					  i * sizeof(struct famfs_log_entry));
}

/* The slot for `rel`: where it is, or the empty one where it would go. */
static uint64_t path_slot(struct fc_famfs *fs, const char *rel)
{
	uint64_t mask = fs->npaths_slots - 1, k = path_hash(rel) & mask;

	while (fs->paths[k]) {
		const char *p = famfs_entry_path(famfs_entry(fs, fs->paths[k] - 1));

		if (!strncmp(p, rel, FAMFS_MAX_PATHLEN))
			break;
		k = (k + 1) & mask;
	}
	return k;
}

/* Index entry i by path, and link it into its directory's children. */
void famfs_index_path(struct fc_famfs *fs, uint64_t i)
{
	const char *p = famfs_entry_path(famfs_entry(fs, i)), *slash;
	uint32_t *first = &fs->root_first, *last = &fs->root_last;
	uint64_t k;

	if (!p)
		return;
	k = path_slot(fs, p);
	if (fs->paths[k])
		return; /* a second entry of one path: the first one stands */
	fs->paths[k] = (uint32_t)(i + 1);
	slash = memrchr(p, '/', strnlen(p, FAMFS_MAX_PATHLEN));
	if (slash) {
		char parent[FAMFS_MAX_PATHLEN] = { 0 };
		struct famfs_log_entry *d;

		memcpy(parent, p, (size_t)(slash - p));
		d = famfs_lookup(fs, parent);
		if (!d || d->famfs_log_entry_type != FAMFS_LOG_MKDIR)
			return;
		first = &fs->first[d - famfs_entry(fs, 0)];
		last = &fs->last[d - famfs_entry(fs, 0)];
	}
	if (*last)
		fs->next[*last - 1] = (uint32_t)(i + 1);
	else
		*first = (uint32_t)(i + 1);
	*last = (uint32_t)(i + 1);
}

/*
 * Bring the free-space map and the path index up to the log: the entries
 * appended since the last replay (entries never change once committed), or
 * all of them again when the log is not the one replayed (it shrank).
 */
int famfs_replay(struct fc_famfs *fs)
{
	uint64_t start = fs->replayed, slots = fs->lh->famfs_log_last_index + 1;

	util_cache_invalidate(fs->lh, sizeof(*fs->lh));
	if (fs->lh->famfs_log_next_index > slots)
		return -EUCLEAN; /* the check refused such a log; it changed since */
	if (fs->lh->famfs_log_next_index < start || !start) {
		start = 0;
		for (unsigned int i = 0; i < fs->n; i++) {
			memset(fs->mem[i].used, 0, famfs_map_words(fs->mem[i].units) * sizeof(uint64_t));
			fs->mem[i].nused = 0;
			famfs_mark(fs, i, 0, FAMFS_SUPERBLOCK_SIZE);
		}
		famfs_mark(fs, 0, FAMFS_LOG_OFFSET, fs->sb->ts_log_len);
		memset(fs->paths, 0, fs->npaths_slots * sizeof(*fs->paths));
		memset(fs->first, 0, slots * sizeof(*fs->first));
		memset(fs->last, 0, slots * sizeof(*fs->last));
		memset(fs->next, 0, slots * sizeof(*fs->next));
		fs->root_first = fs->root_last = 0;
	}
	for (uint64_t i = start; i < fs->lh->famfs_log_next_index; i++) {
		struct famfs_log_entry *le = famfs_entry(fs, i);

		util_cache_invalidate(le, sizeof(*le));
		famfs_index_path(fs, i);
		if (le->famfs_log_entry_type == FAMFS_LOG_FILE &&
		    famfs_mark_fmap(fs, &le->famfs_fc.famfs_fc_fmap) < 0) {
			fs->bad_entry = (int64_t)i;
			log_err(fs->lc, "log entry %llu (%.80s): extents overlap or fall outside a member\n",
			    (unsigned long long)i, le->famfs_fc.famfs_relpath);
			fs->replayed = 0; /* replay all of it next time */
			return -EUCLEAN;
		}
		fs->replayed = i + 1;
	}
	return 0;
}

/* The log entry naming `rel` (FILE or MKDIR), or NULL. */
struct famfs_log_entry *famfs_lookup(struct fc_famfs *fs, const char *rel)
{
	uint32_t e = fs->paths[path_slot(fs, rel)];

	return e ? famfs_entry(fs, e - 1) : NULL;
}

/*
 * The header's sequence state. famfs stamps a new entry's seqnum from
 * next_seqnum and validates entry i by seqnum == i, so the only clean state
 * is next_seqnum == next_index. An append cut between its two header stores
 * leaves them one apart: repairable (FAMFS_LOG_CUT), by setting next_seqnum
 * to next_index -- rolling back an append cut before its commit
 * (next_index, which is what makes an entry exist), or completing one whose
 * commit landed first. Anything else is damage.
 */
int famfs_log_seq_state(const struct famfs_log_header *lh)
{
	if (lh->famfs_log_next_seqnum == lh->famfs_log_next_index)
		return 0;
	if (lh->famfs_log_next_seqnum == lh->famfs_log_next_index + 1 ||
	    lh->famfs_log_next_seqnum + 1 == lh->famfs_log_next_index)
		return FAMFS_LOG_CUT;
	return -EUCLEAN;
}

/* Restore a clean header after a cut append (under the writer lock). */
static void repair_header(struct fc_famfs *fs)
{
	struct famfs_log_header *lh = fs->lh;

	log_warn(fs->lc, "%s: log header: an append was cut (next_seqnum %llu, next_index %llu); next_seqnum set to %llu\n",
		 fs->mem[0].m->name, (unsigned long long)lh->famfs_log_next_seqnum,
		 (unsigned long long)lh->famfs_log_next_index,
		 (unsigned long long)lh->famfs_log_next_index);
	lh->famfs_log_next_seqnum = lh->famfs_log_next_index;
	util_cache_flush(lh, sizeof(*lh));
}

/*
 * Append one entry: stamp seqnum and CRC, write and flush the entry, then
 * publish it: next_seqnum and next_index, the two in one cache line, then
 * one flush. famfs validates entry i by seqnum == i and stamps from
 * next_seqnum, so the two must never stay apart: a cut between the stores
 * (the fault point between them) is repaired by the next writer
 * (famfs_writer_lock) or fsck --repair before anything else appends.
 */
int famfs_append(struct fc_famfs *fs, struct famfs_log_entry *le)
{
	struct famfs_log_header *lh = fs->lh;
	uint64_t i;

	if (fs->lock_fd < 0)
		return -EROFS;
	util_cache_invalidate(lh, sizeof(*lh));
	i = lh->famfs_log_next_index;
	if (i > lh->famfs_log_last_index) {
		log_err(fs->lc, "log full: all %llu entries used\n",
		    (unsigned long long)lh->famfs_log_last_index + 1);
		return -ENOSPC;
	}
	le->famfs_log_entry_seqnum = i;
	le->famfs_log_entry_crc = famfs_log_entry_crc(le);
	famfs_fault_point("append", 1);
	memcpy(famfs_entry(fs, i), le, sizeof(*le));
	util_cache_flush(famfs_entry(fs, i), sizeof(*le));
	famfs_fault_point("append", 2);
	lh->famfs_log_next_seqnum = i + 1;
	famfs_fault_point("append", 3);
	lh->famfs_log_next_index = i + 1;
	util_cache_flush(lh, sizeof(*lh));
	famfs_index_path(fs, i);
	return 0;
}

/*
 * One writer of the log at a time: the lock is held across checking the
 * path, allocating and appending, and whatever another writer appended
 * meanwhile is replayed first so its space and paths are known. In this
 * process, wmutex orders threads (flock does not), and readers are kept out
 * (the rwlock) only while the index and the free map change, not while
 * this waits for another process's writer. Inside a batch its thread holds
 * wmutex and the flock already.
 */
static bool in_own_batch(struct fc_famfs *fs)
{
	return __atomic_load_n(&fs->in_batch, __ATOMIC_ACQUIRE) &&
	       pthread_equal(fs->batch_owner, pthread_self());
}

static int log_lock(struct fc_famfs *fs)
{
	if (fs->lock_fd < 0)
		return -EROFS;
	pthread_mutex_lock(&fs->wmutex);
	if (flock(fs->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK) {
			pthread_mutex_unlock(&fs->wmutex);
			return -errno;
		}
		log_info(fs->lc, "waiting for another writer of %s's log\n", fs->mem[0].m->name);
		while (flock(fs->lock_fd, LOCK_EX) < 0)
			if (errno != EINTR) {
				int rc = -errno;

				pthread_mutex_unlock(&fs->wmutex);
				return rc;
			}
	}
	return 0;
}

static void log_unlock(struct fc_famfs *fs)
{
	flock(fs->lock_fd, LOCK_UN);
	pthread_mutex_unlock(&fs->wmutex);
}

int famfs_writer_lock(struct fc_famfs *fs)
{
	bool batch = in_own_batch(fs);
	int rc = batch ? 0 : log_lock(fs);

	if (rc < 0)
		return rc;
	pthread_rwlock_wrlock(&fs->lock);
	util_cache_invalidate(fs->lh, sizeof(*fs->lh));
	switch (famfs_log_seq_state(fs->lh)) {
	case 0:
		break;
	case FAMFS_LOG_CUT:
		repair_header(fs);
		break;
	default:
		log_err(fs->lc, "%s: log header is damaged (next_seqnum %llu, next_index %llu); nothing appended\n",
			fs->mem[0].m->name, (unsigned long long)fs->lh->famfs_log_next_seqnum,
			(unsigned long long)fs->lh->famfs_log_next_index);
		flock(fs->lock_fd, LOCK_UN);
		return -EUCLEAN;
	}
	if (fs->lh->famfs_log_next_index != fs->replayed) {
		rc = famfs_replay(fs);
		if (rc < 0) {
			pthread_rwlock_unlock(&fs->lock);
			if (!batch)
				log_unlock(fs);
			return rc;
		}
	}
	return 0;
}

int famfs_writer_unlock(struct fc_famfs *fs, int rc)
{
	fs->replayed = fs->lh->famfs_log_next_index;
	pthread_rwlock_unlock(&fs->lock);
	if (!in_own_batch(fs))
		log_unlock(fs);
	return rc;
}

FC_EXPORT int fc_famfs_batch_begin(struct fc_famfs *fs)
{
	int rc;

	if (in_own_batch(fs))
		return -EBUSY;
	rc = log_lock(fs);
	if (rc < 0)
		return rc;
	fs->batch_owner = pthread_self();
	__atomic_store_n(&fs->in_batch, true, __ATOMIC_RELEASE);
	return 0;
}

FC_EXPORT void fc_famfs_batch_end(struct fc_famfs *fs)
{
	if (!in_own_batch(fs))
		return;
	__atomic_store_n(&fs->in_batch, false, __ATOMIC_RELEASE);
	log_unlock(fs);
}
