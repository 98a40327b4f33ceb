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

/* Entry i of the checked private copy (i < replayed). */
struct famfs_log_entry *famfs_entry(struct fc_famfs *fs, uint64_t i)
{
	return &fs->log[i];
}

/* The entry in slot i of the log on the media. */
static struct famfs_log_entry *media_entry(struct fc_famfs *fs, uint64_t i)
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
static void index_path(struct fc_famfs *fs, uint64_t i)
{
	const char *p = famfs_entry_path(famfs_entry(fs, i)), *slash;
	uint32_t *first = &fs->root_first, *last = &fs->root_last;
	uint64_t k;

	if (!p)
		return;
	k = path_slot(fs, p);
	if (fs->paths[k])
		return; /* a second entry of one path (the check refuses it): the first stands */
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
 * The private copy has room for every slot of the log from the first
 * replay on and is never moved: entries [0, replayed) were checked and
 * never change, so a reader holding one (I/O by id) needs no lock, and
 * entries past `replayed` are written only by the replay or append that
 * then publishes them.
 */
static int log_alloc(struct fc_famfs *fs)
{
	if (fs->log)
		return 0;
	fs->log_cap = famfs_log_entries(fs->log_len);
	fs->log = calloc(fs->log_cap ? fs->log_cap : 1, sizeof(*fs->log));
	return fs->log ? 0 : -ENOMEM;
}

/* What replay rebuilds; kept aside so a damaged log leaves it as it was. */
struct replay_state {
	uint64_t *used[FC_MAX_MEMBERS];
	uint64_t nused[FC_MAX_MEMBERS];
	uint32_t *paths;
	uint64_t npaths_slots;
	uint32_t *first, *last, *next; /* children lists, log_cap long */
	uint32_t root_first, root_last;
	unsigned int known;
};

static void swap_state(struct fc_famfs *fs, struct replay_state *st)
{
	struct replay_state t = *st;

	for (unsigned int i = 0; i < fs->n; i++) {
		st->used[i] = fs->mem[i].used;
		st->nused[i] = fs->mem[i].nused;
		fs->mem[i].used = t.used[i];
		fs->mem[i].nused = t.nused[i];
	}
#define SWAP(field) (st->field = fs->field, fs->field = t.field)
	SWAP(paths);
	SWAP(npaths_slots);
	SWAP(first);
	SWAP(last);
	SWAP(next);
	SWAP(root_first);
	SWAP(root_last);
	SWAP(known);
#undef SWAP
}

static void free_state(struct fc_famfs *fs, struct replay_state *st)
{
	for (unsigned int i = 0; i < fs->n; i++)
		free(st->used[i]);
	free(st->paths);
	free(st->first);
	free(st->last);
	free(st->next);
}

/*
 * A copy of the current state to replay onto; with no state yet (before
 * the first replay), an empty one for a log of `entries` slots.
 */
static int copy_state(struct fc_famfs *fs, uint64_t entries, struct replay_state *st)
{
	bool empty = !fs->paths;

	memset(st, 0, sizeof(*st));
	/* a power of two at least twice the log's entries: probes stay short */
	for (st->npaths_slots = 1024; st->npaths_slots < 2 * entries;)
		st->npaths_slots *= 2;
	if (!empty)
		st->npaths_slots = fs->npaths_slots;
	st->paths = calloc(st->npaths_slots, sizeof(*st->paths));
	st->first = calloc(fs->log_cap ? fs->log_cap : 1, sizeof(*st->first));
	st->last = calloc(fs->log_cap ? fs->log_cap : 1, sizeof(*st->last));
	st->next = calloc(fs->log_cap ? fs->log_cap : 1, sizeof(*st->next));
	for (unsigned int i = 0; i < fs->n; i++) {
		uint64_t w = famfs_map_words(fs->mem[i].units);

		st->used[i] = calloc(w ? w : 1, sizeof(uint64_t));
		if (!st->used[i])
			break;
	}
	if (!st->paths || !st->first || !st->last || !st->next || !st->used[fs->n - 1]) {
		free_state(fs, st);
		return -ENOMEM;
	}
	if (empty)
		return 0;
	memcpy(st->paths, fs->paths, st->npaths_slots * sizeof(*st->paths));
	memcpy(st->first, fs->first, fs->log_cap * sizeof(*st->first));
	memcpy(st->last, fs->last, fs->log_cap * sizeof(*st->last));
	memcpy(st->next, fs->next, fs->log_cap * sizeof(*st->next));
	st->root_first = fs->root_first;
	st->root_last = fs->root_last;
	for (unsigned int i = 0; i < fs->n; i++) {
		memcpy(st->used[i], fs->mem[i].used, famfs_map_words(fs->mem[i].units) * sizeof(uint64_t));
		st->nused[i] = fs->mem[i].nused;
	}
	st->known = fs->known;
	return 0;
}

/*
 * The log is append-only: what was replayed is kept (a private copy, checked
 * then) and only entries appended since are read, checked and replayed, on
 * a copy of the state that replaces it only when all of them pass. The
 * first replay (open, fsck) reads them all. The new entries go into the
 * private copy past `replayed`, which moves (and makes them visible to
 * readers by id) only when all of them passed. Callers other than open
 * hold fs->lock exclusively.
 */
int famfs_replay(struct fc_famfs *fs, famfs_finding_fn fn, void *arg)
{
	struct famfs_log_header lh;
	struct famfs_finding f;
	struct replay_state st;
	bool bad = false, first = !fs->paths;
	uint64_t n = fs->replayed;
	int rc;

	/* a snapshot of the header: another host may move it meanwhile */
	util_cache_invalidate(fs->lh, sizeof(*fs->lh));
	memcpy(&lh, fs->lh, sizeof(lh));
	rc = famfs_check_log_header(fs->log_len, &lh, &f);
	if (rc == 0 && lh.famfs_log_next_index < fs->replayed)
		rc = famfs_finding(&f, FAMFS_P_LOG_HEADER, "log header: next index %llu went back from %llu",
				   (unsigned long long)lh.famfs_log_next_index,
				   (unsigned long long)fs->replayed);
	if (rc < 0) {
		if (fn)
			fn(arg, &f);
		else
			log_err(fs->lc, "%s: %s; the log is not replayed\n", fs->mem[0].m->name, f.text);
		return -EUCLEAN;
	}
	if (!first && lh.famfs_log_next_index == fs->replayed)
		return 0; /* nothing appended */
	rc = log_alloc(fs);
	if (rc < 0)
		return rc;
	if (lh.famfs_log_next_index > fs->log_cap) { /* the header check bounds it; kept all the same */
		log_err(fs->lc, "%s: log header: next index %llu is past the log's %llu entries\n",
			fs->mem[0].m->name, (unsigned long long)lh.famfs_log_next_index,
			(unsigned long long)fs->log_cap);
		return -EUCLEAN;
	}
	rc = copy_state(fs, lh.famfs_log_last_index + 1, &st);
	if (rc < 0)
		return rc;
	swap_state(fs, &st);
	if (first) {
		fs->known = 1; /* the primary */
		for (unsigned int i = 0; i < fs->n; i++)
			famfs_mark(fs, i, 0, FAMFS_SUPERBLOCK_SIZE);
		famfs_mark(fs, 0, FAMFS_LOG_OFFSET, fs->log_len);
	}
	for (uint64_t i = fs->replayed; i < lh.famfs_log_next_index; i++) {
		struct famfs_log_entry *le = &fs->log[i];

		util_cache_invalidate(media_entry(fs, i), sizeof(*le));
		memcpy(le, media_entry(fs, i), sizeof(*le));
		n = i + 1;
		if (famfs_check_entry(fs, le, i, &f) == 0) {
			if (le->famfs_log_entry_type != FAMFS_LOG_FILE ||
			    famfs_mark_fmap(fs, &le->famfs_fc.famfs_fc_fmap) == 0) {
				if (le->famfs_log_entry_type == FAMFS_LOG_ADD_DAXDEV)
					fs->known++;
				index_path(fs, i);
				continue;
			}
			f.code = FAMFS_P_EXTENT_OVERLAP;
			snprintf(f.text, sizeof(f.text),
				 "log entry %llu (%.79s): extents overlap another file or fall outside a member",
				 (unsigned long long)i, le->famfs_fc.famfs_relpath);
		}
		bad = true;
		/* not part of what is served: no path, no space */
		le->famfs_log_entry_type = FAMFS_LOG_INVALID;
		if (!fn) {
			log_err(fs->lc, "%s: %s; the log is not replayed\n", fs->mem[0].m->name, f.text);
			break;
		}
		fn(arg, &f);
	}
	if (bad)
		swap_state(fs, &st); /* the last good state again */
	else
		__atomic_store_n(&fs->replayed, n, __ATOMIC_RELEASE);
	free_state(fs, &st);
	return bad ? -EUCLEAN : 0;
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
 * Each entry is checked as replay will check it before it is written, so a
 * creat or mkdir that fails leaves the log as it was.
 */
int famfs_append(struct fc_famfs *fs, struct famfs_log_entry *le)
{
	struct famfs_log_header *lh = fs->lh;
	struct famfs_finding f;
	uint64_t i;

	if (fs->lock_fd < 0) {
		log_err(fs->lc, "%s: opened read-only; only the master adds entries\n", fs->mem[0].m->name);
		return -EROFS;
	}
	util_cache_invalidate(lh, sizeof(*lh));
	i = lh->famfs_log_next_index;
	if (i != fs->replayed) {
		log_err(fs->lc, "%s: the log moved under its writer lock (next index %llu, replayed %llu)\n",
			fs->mem[0].m->name, (unsigned long long)i, (unsigned long long)fs->replayed);
		return -EUCLEAN;
	}
	if (i > lh->famfs_log_last_index) {
		log_err(fs->lc, "log full: all %llu entries used\n",
		    (unsigned long long)lh->famfs_log_last_index + 1);
		return -ENOSPC;
	}
	if (i >= fs->log_cap) {
		log_err(fs->lc, "log full: all %llu entries used\n", (unsigned long long)fs->log_cap);
		return -ENOSPC;
	}
	le->famfs_log_entry_seqnum = i;
	le->famfs_log_entry_crc = famfs_log_entry_crc(le);
	if (famfs_check_entry(fs, le, i, &f) < 0) {
		log_err(fs->lc, "%s: not logged: %s\n", fs->mem[0].m->name, f.text);
		return -EINVAL;
	}
	famfs_fault_point("append", 1);
	memcpy(media_entry(fs, i), le, sizeof(*le));
	util_cache_flush(media_entry(fs, i), sizeof(*le));
	famfs_fault_point("append", 2);
	lh->famfs_log_next_seqnum = i + 1;
	famfs_fault_point("append", 3);
	lh->famfs_log_next_index = i + 1;
	util_cache_flush(lh, sizeof(*lh));
	memcpy(&fs->log[i], le, sizeof(*le));
	if (le->famfs_log_entry_type == FAMFS_LOG_ADD_DAXDEV)
		fs->known++;
	index_path(fs, i);
	__atomic_store_n(&fs->replayed, i + 1, __ATOMIC_RELEASE);
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
bool famfs_in_own_batch(struct fc_famfs *fs)
{
	return __atomic_load_n(&fs->in_batch, __ATOMIC_ACQUIRE) &&
	       pthread_equal(fs->batch_owner, pthread_self());
}

static int log_lock(struct fc_famfs *fs)
{
	int rc;

	if (fs->lock_fd < 0) {
		log_err(fs->lc, "%s: opened read-only; only the master adds entries\n", fs->mem[0].m->name);
		return -EROFS;
	}
	pthread_mutex_lock(&fs->wmutex);
	if (flock(fs->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK)
			goto fail;
		log_info(fs->lc, "waiting for another writer of %s's log\n", fs->mem[0].m->name);
		while (flock(fs->lock_fd, LOCK_EX) < 0)
			if (errno != EINTR)
				goto fail;
	}
	return 0;
fail:
	rc = -errno;
	log_err(fs->lc, "%s: cannot take the log lock: %s\n", fs->mem[0].m->name, strerror(-rc));
	pthread_mutex_unlock(&fs->wmutex);
	return rc;
}

static void log_unlock(struct fc_famfs *fs)
{
	flock(fs->lock_fd, LOCK_UN);
	pthread_mutex_unlock(&fs->wmutex);
}

int famfs_writer_lock(struct fc_famfs *fs)
{
	bool batch = famfs_in_own_batch(fs);
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
		rc = -EUCLEAN;
		break;
	}
	if (rc == 0 && fs->lh->famfs_log_next_index != fs->replayed)
		rc = famfs_replay(fs, NULL, NULL);
	if (rc < 0) {
		pthread_rwlock_unlock(&fs->lock);
		if (!batch)
			log_unlock(fs);
	}
	return rc;
}

int famfs_writer_unlock(struct fc_famfs *fs, int rc)
{
	pthread_rwlock_unlock(&fs->lock);
	if (!famfs_in_own_batch(fs))
		log_unlock(fs);
	return rc;
}

FC_EXPORT int fc_famfs_batch_begin(struct fc_famfs *fs)
{
	int rc;

	if (famfs_in_own_batch(fs))
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
	if (!famfs_in_own_batch(fs))
		return;
	famfs_unreserve_all(fs); /* unlocked, another writer could take it */
	__atomic_store_n(&fs->in_batch, false, __ATOMIC_RELEASE);
	log_unlock(fs);
}
