// SPDX-License-Identifier: LGPL-2.1-only
/*
 * An open famfs over member media: built from media fsck found clean, the
 * master's writer state, and what the whole file system reports (space,
 * identity, the .meta files).
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
#include "util/fs.h"
#include "util/log.h"

FC_EXPORT void fc_famfs_close(struct fc_famfs *fs)
{
	if (!fs)
		return;
	famfs_unreserve_all(fs); /* reserved, never logged: nothing on media */
	free(fs->paths);
	free(fs->log);
	free(fs->first);
	free(fs->last);
	free(fs->next);
	pthread_rwlock_destroy(&fs->lock);
	pthread_mutex_destroy(&fs->wmutex);
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
 * The in-memory file system over checked media: m[0] the primary, the
 * others in any order, placed at the index their ADD_DAXDEV entry gives
 * (found by tag). The log's size and each member's tag are taken now, once:
 * what later replays check the shared media against.
 */
int famfs_build(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
		 struct fc_famfs **out)
{
	struct fc_famfs *fs;
	uint64_t used;

	if (n == 0 || n > FC_MAX_MEMBERS) {
		log_err(lc, "%u members: a file system has 1 to %d\n", n, FC_MAX_MEMBERS);
		return -EINVAL;
	}
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->lc = lc;
	fs->n = n;
	fs->lock_fd = -1;
	{
		/* writers first: with glibc's default (readers first) a stream
		 * of look-ups -- a mount server's threads -- can keep an append
		 * or a refresh waiting forever. No reader takes the lock twice
		 * (readdir drops it around its callback), so this cannot
		 * deadlock a reader against a waiting writer. */
		pthread_rwlockattr_t a;

		pthread_rwlockattr_init(&a);
		pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
		pthread_rwlock_init(&fs->lock, &a);
		pthread_rwlockattr_destroy(&a);
	}
	pthread_mutex_init(&fs->wmutex, NULL);
	fs->sb = (struct famfs_superblock *)m[0]->base;
	fs->log_len = fs->sb->ts_log_len;
	fs->lh = (struct famfs_log_header *)(m[0]->base + FAMFS_LOG_OFFSET);
	fs->mem[0].m = m[0];
	/* check passed: every ADD_DAXDEV names exactly one of m[1..] by tag,
	 * at a dense index; still, nothing read here indexes past the table */
	used = fs->lh->famfs_log_next_index;
	if (used > famfs_log_entries(fs->log_len))
		used = famfs_log_entries(fs->log_len);
	for (uint64_t i = 0; i < used; i++) {
		const struct famfs_log_entry *le = (const struct famfs_log_entry *)
			((uint8_t *)fs->lh + sizeof(*fs->lh) + i * sizeof(*le));
		uint32_t idx = le->famfs_dd.dd_index;

		if (le->famfs_log_entry_type != FAMFS_LOG_ADD_DAXDEV || idx == 0 || idx >= n)
			continue;
		for (unsigned int j = 1; j < n; j++)
			if (!memcmp(famfs_sb_of(m[j])->ts_dev_uuid, le->famfs_dd.dd_uuid, 16))
				fs->mem[idx].m = m[j];
	}
	for (unsigned int i = 0; i < n; i++) {
		if (!fs->mem[i].m) {
			log_err(lc, "%s: the log places no device at member index %u\n", m[0]->name, i);
			fc_famfs_close(fs);
			return -EUCLEAN;
		}
		memcpy(fs->tags[i], famfs_sb_of(fs->mem[i].m)->ts_dev_uuid, 16);
		fs->mem[i].units = fs->mem[i].m->size / FAMFS_ALLOC_UNIT;
	}
	*out = fs;
	return 0;
}

int famfs_open(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
		      const uint8_t *master, const char *lock_path, struct fc_famfs **out)
{
	struct fc_famfs *fs;
	int rc;

	rc = famfs_check_media(lc, m, n, NULL);
	if (rc >= 0)
		rc = famfs_build(lc, m, n, &fs);
	if (rc < 0)
		return rc;
	if (master) {
		if (memcmp(fs->sb->ts_system_uuid, master, 16)) {
			log_err(lc, "%s: this host is not the file system's master; only it adds files\n",
			    m[0]->name);
			fc_famfs_close(fs);
			return -EPERM;
		}
		/* taken around each append (writer_lock), so a long-lived
		 * writer (a mount) and famfsctl cp share the log */
		char why[PATH_MAX + 96];

		/* a lock file of its own is made safely (no planted link) */
		fs->lock_fd = lock_path ?
			util_open_safe(lock_path, O_RDONLY | O_CREAT, 0644, why, sizeof(why)) :
			open(m[0]->name, O_RDONLY | O_CLOEXEC);
		if (fs->lock_fd < 0 && !lock_path)
			snprintf(why, sizeof(why), "%s", strerror(errno));
		if (fs->lock_fd < 0) {
			rc = lock_path ? fs->lock_fd : -errno;
			log_err(lc, "%s: cannot open the log lock: %s\n", m[0]->name, why);
			fc_famfs_close(fs);
			return rc;
		}
	}
	rc = famfs_replay(fs, NULL, NULL);
	/* the master restores a header cut by a crashed append at once (the
	 * writer lock does), so famfs's own next append finds it clean */
	if (rc == 0 && master && (rc = famfs_writer_lock(fs)) == 0)
		famfs_writer_unlock(fs, 0);
	if (rc < 0) {
		fc_famfs_close(fs);
		return rc;
	}
	*out = fs;
	return 0;
}

FC_EXPORT uint64_t fc_famfs_member_used(struct fc_famfs *fs, unsigned int index)
{
	uint64_t used;

	pthread_rwlock_rdlock(&fs->lock);
	used = index < fs->n ? fs->mem[index].nused * FAMFS_ALLOC_UNIT : 0;
	pthread_rwlock_unlock(&fs->lock);
	return used;
}

/*
 * A log that fails replay's checks leaves the last good state served.
 * Only what was appended since is replayed (cheap when nothing was), under
 * the exclusive lock: readers never see the index half built. The header
 * is checked even when nothing was appended, as replay checks it.
 */
FC_EXPORT int fc_famfs_refresh(struct fc_famfs *fs)
{
	struct famfs_log_header lh;
	struct famfs_finding f;
	int rc;

	util_cache_invalidate(fs->lh, sizeof(*fs->lh));
	memcpy(&lh, fs->lh, sizeof(lh));
	if (lh.famfs_log_next_index == __atomic_load_n(&fs->replayed, __ATOMIC_ACQUIRE) &&
	    famfs_check_log_header(fs->log_len, &lh, &f) == 0)
		return 0;
	pthread_rwlock_wrlock(&fs->lock);
	rc = famfs_replay(fs, NULL, NULL);
	pthread_rwlock_unlock(&fs->lock);
	return rc;
}

FC_EXPORT const void *fc_famfs_meta(struct fc_famfs *fs, bool log, size_t *len)
{
	uint8_t *base = fs->mem[0].m->base;

	if (log) {
		*len = fs->log_len;
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
	pthread_rwlock_rdlock(&fs->lock);
	for (unsigned int i = 0; i < fs->n; i++) {
		*total += fs->mem[i].units * FAMFS_ALLOC_UNIT;
		*used += fs->mem[i].nused * FAMFS_ALLOC_UNIT;
	}
	pthread_rwlock_unlock(&fs->lock);
}

FC_EXPORT unsigned int fc_famfs_version(struct fc_famfs *fs)
{
	return (unsigned int)fs->sb->ts_version;
}

FC_EXPORT int fc_famfs_system_uuid(struct fc_famfs *fs, uuid_t out)
{
	memcpy(out, fs->sb->ts_system_uuid, 16);
	return 0;
}

void famfs_own_media(struct fc_famfs *fs)
{
	fs->owns_media = true;
}
