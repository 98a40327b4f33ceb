// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Files and directories of a famfs: path rules, mkdir and creat (log
 * entries), attributes and directory listings from the log, and reading and
 * writing a file's bytes through its extent map (no mount needed).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/uio.h>
#include <unistd.h>
#include <json-c/json.h>
#include "famfs/fs.h"
#include "util/cacheflush.h"
#include "util/export.h"
#include "util/arith.h"
#include "util/log.h"
#include "util/size.h"

/* ---- paths ---- */

/* A path given to mkdir, creat, cp, a read: leading slashes dropped, then
 * the rule every stored path obeys (famfs_path_rule). */
int famfs_check_path(struct util_log_ctx *lc, const char *path, char rel[FAMFS_MAX_PATHLEN])
{
	const char *why;

	while (*path == '/')
		path++;
	if (!*path) {
		log_err(lc, "'/' is the root; give a path below it\n");
		return -EINVAL;
	}
	if (strlen(path) >= FAMFS_MAX_PATHLEN) {
		log_err(lc, "'%s': famfs paths are at most %d bytes\n", path, FAMFS_MAX_PATHLEN - 1);
		return -ENAMETOOLONG;
	}
	why = famfs_path_rule(path);
	if (why) {
		log_err(lc, "'%s': not a plain relative path: %s\n", path, why);
		return -EINVAL;
	}
	memset(rel, 0, FAMFS_MAX_PATHLEN);
	strcpy(rel, path);
	return 0;
}

/* May `rel` be added now: the rules replay will check it by. */
static int check_new_path(struct fc_famfs *fs, const char *rel)
{
	struct famfs_finding f;
	int rc = famfs_check_name(fs, rel, &f);

	if (rc == 0)
		return 0;
	log_err(fs->lc, "%s\n", f.text);
	return f.code == FAMFS_P_ENTRY_DUPLICATE ? -EEXIST :
	       f.code == FAMFS_P_ENTRY_NAME ? -EINVAL : -ENOENT;
}

FC_EXPORT int fc_famfs_mkdir(struct fc_famfs *fs, const char *path, uint32_t mode,
		   uint32_t uid, uint32_t gid)
{
	struct famfs_log_entry le = { .famfs_log_entry_type = FAMFS_LOG_MKDIR };
	int rc = famfs_check_path(fs->lc, path, le.famfs_md.famfs_relpath);

	if (rc < 0 || (rc = famfs_writer_lock(fs)) < 0)
		return rc;
	rc = check_new_path(fs, le.famfs_md.famfs_relpath);
	if (rc < 0)
		return famfs_writer_unlock(fs, rc);
	le.famfs_md.fc_uid = uid;
	le.famfs_md.fc_gid = gid;
	le.famfs_md.fc_mode = mode;
	return famfs_writer_unlock(fs, famfs_append(fs, &le));
}

/* A new file's entry before its space: the path, the layout, the size. */
static int file_entry(struct fc_famfs *fs, const char *path, uint64_t size,
		      const struct fc_famfs_file_opts *o, struct famfs_log_entry *le)
{
	struct famfs_file_creation *fc = &le->famfs_fc;
	uint64_t bytes;
	int rc;

	memset(le, 0, sizeof(*le));
	le->famfs_log_entry_type = FAMFS_LOG_FILE;
	rc = famfs_check_path(fs->lc, path, fc->famfs_relpath);
	if (rc < 0)
		return rc;
	/* size 0 is an empty file: famfs never makes one (famfs cp skips
	 * them), so it keeps one allocation unit -- an extent map like any
	 * other file's -- and its size 0 makes it read back empty */
	if (o->chunk < FAMFS_ALLOC_UNIT || (o->chunk & (o->chunk - 1)) ||
	    o->strips < 1 || o->strips > FC_MAX_STRIPS) {
		log_err(fs->lc, "'%s': chunk must be a power-of-two multiple of 2 MiB, strips 1..%d\n",
		    path, FC_MAX_STRIPS);
		return -EINVAL;
	}
	if (famfs_alloc_size(size, o->chunk, o->strips, &bytes) < 0) {
		log_err(fs->lc, "'%s': size %llu is too large: rounded up to whole stripes it passes 2^64 bytes\n",
			path, (unsigned long long)size);
		return -EFBIG;
	}
	fc->famfs_fc_size = size;
	fc->famfs_fc_flags = FAMFS_FILE_ALL_HOSTS_RW;
	fc->famfs_fc_uid = o->uid;
	fc->famfs_fc_gid = o->gid;
	fc->famfs_fc_mode = o->mode;
	return 0;
}

/* Its space, taken from the free map (under the writer lock). */
static int place(struct fc_famfs *fs, const struct fc_famfs_file_opts *o, struct famfs_log_entry *le)
{
	struct famfs_file_creation *fc = &le->famfs_fc;
	char sz[UTIL_SIZE_STR_MAX];
	int rc = famfs_allocate(fs, fc->famfs_fc_size, o->chunk, o->strips, &fc->famfs_fc_fmap);

	if (rc == -EFBIG) {
		log_err(fs->lc, "'%s': size %llu is too large: its space in whole %s stripes passes 2^64 bytes\n",
			fc->famfs_relpath, (unsigned long long)fc->famfs_fc_size,
			o->strips > 1 ? "chunk" : "allocation-unit");
		return rc;
	}
	if (rc < 0) {
		log_err(fs->lc, "'%s': no room for %s over %u strip%s\n", fc->famfs_relpath,
		    util_format_size(fc->famfs_fc_size, sz, sizeof(sz)), o->strips, o->strips == 1 ? "" : "s");
		return rc;
	}
	rc = famfs_mark_fmap(fs, &fc->famfs_fc_fmap);
	if (rc < 0)
		log_err(fs->lc, "'%s': the allocator chose space in use\n", fc->famfs_relpath);
	return rc;
}

/* Log a placed file; on failure its space is free again. */
static int commit(struct fc_famfs *fs, struct famfs_log_entry *le)
{
	int rc = check_new_path(fs, le->famfs_fc.famfs_relpath);

	if (rc == 0)
		rc = famfs_append(fs, le);
	if (rc < 0)
		famfs_unmark_fmap(fs, &le->famfs_fc.famfs_fc_fmap);
	return rc;
}

FC_EXPORT int fc_famfs_creat(struct fc_famfs *fs, const char *path, uint64_t size,
		   const struct fc_famfs_file_opts *o)
{
	struct famfs_log_entry le;
	int rc = file_entry(fs, path, size, o, &le);

	if (rc < 0 || (rc = famfs_writer_lock(fs)) < 0)
		return rc;
	/* the path's errors before the space's */
	rc = check_new_path(fs, le.famfs_fc.famfs_relpath);
	if (rc == 0)
		rc = place(fs, o, &le);
	if (rc == 0)
		rc = commit(fs, &le);
	return famfs_writer_unlock(fs, rc);
}

/* ---- files placed now, logged once their bytes are written ---- */

struct fc_famfs_pending {
	struct fc_famfs_pending *next;
	struct famfs_log_entry le;
};

/* Take p off the file system's list; false when it is not there. */
static bool unlink_pending(struct fc_famfs *fs, struct fc_famfs_pending *p)
{
	for (struct fc_famfs_pending **pp = &fs->pending; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			return true;
		}
	return false;
}

FC_EXPORT int fc_famfs_reserve(struct fc_famfs *fs, const char *path, uint64_t size,
			       const struct fc_famfs_file_opts *o, struct fc_famfs_pending **out)
{
	struct fc_famfs_pending *p;
	int rc;

	*out = NULL;
	if (!famfs_in_own_batch(fs)) {
		log_err(fs->lc, "'%s': space is reserved only inside this thread's batch\n", path);
		return -EPERM;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	rc = file_entry(fs, path, size, o, &p->le);
	if (rc == 0 && (rc = famfs_writer_lock(fs)) == 0) {
		/* a name taken already fails now, before its bytes are copied;
		 * the parent may be a directory of the same batch, so the
		 * whole check waits for the commit */
		if (famfs_lookup(fs, p->le.famfs_fc.famfs_relpath)) {
			log_err(fs->lc, "'%s' exists\n", p->le.famfs_fc.famfs_relpath);
			rc = -EEXIST;
		}
		if (rc == 0)
			rc = place(fs, o, &p->le);
		famfs_writer_unlock(fs, rc);
	}
	if (rc < 0) {
		free(p);
		return rc;
	}
	p->next = fs->pending;
	fs->pending = p;
	*out = p;
	return 0;
}

FC_EXPORT int fc_famfs_commit(struct fc_famfs *fs, struct fc_famfs_pending *p, uint64_t *id)
{
	int rc;

	if (!famfs_in_own_batch(fs) || !unlink_pending(fs, p))
		return -EPERM;
	famfs_fault_point("commit", ++fs->commits); /* tests: a crash before the Nth */
	rc = famfs_writer_lock(fs);
	if (rc == 0) {
		rc = commit(fs, &p->le);
		if (rc == 0 && id)
			*id = fs->replayed; /* the entry just appended: index + 1 */
		famfs_writer_unlock(fs, rc);
	} else {
		famfs_unmark_fmap(fs, &p->le.famfs_fc.famfs_fc_fmap);
	}
	free(p);
	return rc;
}

FC_EXPORT void fc_famfs_unreserve(struct fc_famfs *fs, struct fc_famfs_pending *p)
{
	if (!p || !unlink_pending(fs, p))
		return;
	pthread_rwlock_wrlock(&fs->lock);
	famfs_unmark_fmap(fs, &p->le.famfs_fc.famfs_fc_fmap);
	pthread_rwlock_unlock(&fs->lock);
	free(p);
}

/* Every reservation left when the batch ends or the file system closes. */
void famfs_unreserve_all(struct fc_famfs *fs)
{
	while (fs->pending)
		fc_famfs_unreserve(fs, fs->pending);
}

/* Map a file offset to (member, offset) through its extent map. */
int famfs_map_offset(const struct famfs_log_fmap *f, uint64_t off, uint64_t *dev,
		      uint64_t *devoff, uint64_t *avail)
{
	if (f->fmap_ext_type == FAMFS_EXT_SIMPLE) {
		for (uint32_t i = 0; i < f->fmap_count && i < FAMFS_MAX_SIMPLE_EXTENTS; i++) {
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
	if (f->fmap_ext_type != FAMFS_EXT_INTERLEAVE || !f->ie.ie_chunk_size || !f->ie.ie_nstrips ||
	    f->ie.ie_nstrips > FAMFS_MAX_STRIPS)
		return -EINVAL;
	{
		uint64_t chunk = f->ie.ie_chunk_size, c = off / chunk;
		const struct famfs_simple_extent *s = &f->ie.ie_strips[c % f->ie.ie_nstrips];
		uint64_t within = (c / f->ie.ie_nstrips) * chunk + off % chunk;

		if (within >= s->se_len)
			return -EINVAL;
		*dev = s->se_devindex;
		*devoff = s->se_offset + within;
		*avail = chunk - off % chunk;
		if (*avail > s->se_len - within) /* never past the strip */
			*avail = s->se_len - within;
		return 0;
	}
}

/* Copy between a buffer and the bytes of file entry `le`; to_media selects
 * the direction. Checked entries in the private copy never change or move
 * (famfs/log.c): no lock needed. */
static ssize_t entry_io(struct fc_famfs *fs, const struct famfs_log_entry *le, uint64_t off,
			void *buf, size_t len, bool to_media)
{
	size_t done = 0;

	if (off >= le->famfs_fc.famfs_fc_size)
		return 0;
	if (len > le->famfs_fc.famfs_fc_size - off)
		len = le->famfs_fc.famfs_fc_size - off;
	while (done < len) {
		uint64_t dev, devoff, avail;
		uint8_t *p;

		/* replay checked the extents; the bound is kept here all the same */
		if (famfs_map_offset(&le->famfs_fc.famfs_fc_fmap, off + done, &dev, &devoff, &avail) < 0 ||
		    dev >= fs->n || !avail || !util_range_fits(devoff, avail, fs->mem[dev].m->size)) {
			log_err(fs->lc, "'%.*s': offset %llu is not inside its extents\n", FAMFS_MAX_PATHLEN,
				le->famfs_fc.famfs_relpath, (unsigned long long)(off + done));
			return -EUCLEAN;
		}
		if (avail > len - done)
			avail = len - done;
		p = fs->mem[dev].m->base + devoff;
		if (to_media) {
			util_copy_flush(p, (uint8_t *)buf + done, avail);
		} else {
			util_cache_invalidate(p, avail);
			memcpy((uint8_t *)buf + done, p, avail);
		}
		done += avail;
	}
	return (ssize_t)done;
}

static ssize_t file_io(struct fc_famfs *fs, const char *path, uint64_t off,
		       void *buf, size_t len, bool to_media)
{
	char rel[FAMFS_MAX_PATHLEN];
	struct famfs_log_entry *le;
	int rc = famfs_check_path(fs->lc, path, rel);

	if (rc < 0)
		return rc;
	pthread_rwlock_rdlock(&fs->lock);
	le = famfs_lookup(fs, rel);
	pthread_rwlock_unlock(&fs->lock);
	if (!le || le->famfs_log_entry_type != FAMFS_LOG_FILE) {
		log_err(fs->lc, "'%s': no such file\n", rel);
		return -ENOENT;
	}
	return entry_io(fs, le, off, buf, len, to_media);
}

FC_EXPORT int fc_famfs_stat(struct fc_famfs *fs, const char *path, uint64_t *size,
			    bool *is_dir)
{
	struct fc_famfs_stat st;
	int rc = fc_famfs_getattr(fs, path, &st);

	if (rc == -ENAMETOOLONG)
		return -EINVAL;
	if (rc < 0)
		return rc;
	*size = st.size;
	*is_dir = st.is_dir;
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
	uint64_t id;

	return fc_famfs_resolve(fs, path, &id, st);
}

/* The entry of id (index + 1) in the checked private copy, when replay
 * covered it: it is immutable and never moves. */
static const struct famfs_log_entry *by_id(struct fc_famfs *fs, uint64_t id)
{
	if (!id || id > __atomic_load_n(&fs->replayed, __ATOMIC_ACQUIRE))
		return NULL;
	return famfs_entry(fs, id - 1);
}

static void root_stat(struct fc_famfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->is_dir = true;
	st->mode = 0755;
}

FC_EXPORT int fc_famfs_resolve(struct fc_famfs *fs, const char *path, uint64_t *id,
			       struct fc_famfs_stat *st)
{
	char rel[FAMFS_MAX_PATHLEN] = { 0 };
	struct famfs_log_entry *le;
	const char *p = path;

	while (*p == '/')
		p++;
	if (!*p) {
		*id = FC_FAMFS_ROOT;
		if (st)
			root_stat(st);
		return 0;
	}
	if (strlen(p) >= FAMFS_MAX_PATHLEN)
		return -ENAMETOOLONG;
	strcpy(rel, p);
	pthread_rwlock_rdlock(&fs->lock);
	le = famfs_lookup(fs, rel);
	pthread_rwlock_unlock(&fs->lock);
	if (!le)
		return -ENOENT;
	*id = (uint64_t)(le - famfs_entry(fs, 0)) + 1;
	if (st)
		fill_stat(le, st);
	return 0;
}

FC_EXPORT int fc_famfs_lookup(struct fc_famfs *fs, uint64_t dir, const char *name,
			      uint64_t *id, struct fc_famfs_stat *st)
{
	char path[FAMFS_MAX_PATHLEN + 1];
	const struct famfs_log_entry *d = NULL;
	int len;

	if (!*name || strchr(name, '/'))
		return -EINVAL;
	if (dir != FC_FAMFS_ROOT) {
		d = by_id(fs, dir);
		if (!d || d->famfs_log_entry_type != FAMFS_LOG_MKDIR)
			return d ? -ENOTDIR : -ENOENT;
	}
	len = snprintf(path, sizeof(path), "%.*s%s%s", d ? FAMFS_MAX_PATHLEN : 0,
		       d ? d->famfs_md.famfs_relpath : "", d ? "/" : "", name);
	if (len >= FAMFS_MAX_PATHLEN)
		return -ENAMETOOLONG;
	return fc_famfs_resolve(fs, path, id, st);
}

FC_EXPORT int fc_famfs_stat_id(struct fc_famfs *fs, uint64_t id, struct fc_famfs_stat *st)
{
	const struct famfs_log_entry *le;

	if (id == FC_FAMFS_ROOT) {
		root_stat(st);
		return 0;
	}
	le = by_id(fs, id);
	if (!le || (le->famfs_log_entry_type != FAMFS_LOG_FILE &&
		    le->famfs_log_entry_type != FAMFS_LOG_MKDIR))
		return -ENOENT;
	fill_stat(le, st);
	return 0;
}

FC_EXPORT int fc_famfs_path_id(struct fc_famfs *fs, uint64_t id, char *buf, size_t len)
{
	const struct famfs_log_entry *le;
	const char *p;

	if (id == FC_FAMFS_ROOT) {
		if (len)
			*buf = '\0';
		return len ? 0 : -ENAMETOOLONG;
	}
	le = by_id(fs, id);
	p = le ? famfs_entry_path(le) : NULL;
	if (!p)
		return -ENOENT;
	if (strnlen(p, FAMFS_MAX_PATHLEN) >= len)
		return -ENAMETOOLONG;
	memcpy(buf, p, strnlen(p, FAMFS_MAX_PATHLEN));
	buf[strnlen(p, FAMFS_MAX_PATHLEN)] = '\0';
	return 0;
}

FC_EXPORT int fc_famfs_readdir_id(struct fc_famfs *fs, uint64_t dir, uint64_t *pos,
				  fc_famfs_dirent_fn fn, void *arg)
{
	const struct famfs_log_entry *d = NULL;
	int rc = 0;

	if (dir != FC_FAMFS_ROOT) {
		d = by_id(fs, dir);
		if (!d || d->famfs_log_entry_type != FAMFS_LOG_MKDIR)
			return d ? -ENOTDIR : -ENOENT;
	}
	if (*pos && !by_id(fs, *pos))
		return -EINVAL;
	pthread_rwlock_rdlock(&fs->lock);
	for (;;) {
		uint64_t id = *pos ? fs->next[*pos - 1] : d ? fs->first[dir - 1] : fs->root_first;
		const struct famfs_log_entry *le;
		const char *p, *slash;
		struct fc_famfs_stat st;

		if (!id)
			break;
		le = famfs_entry(fs, id - 1);
		p = famfs_entry_path(le);
		slash = strrchr(p, '/');
		fill_stat(le, &st);
		/* the callback may call back in (a lookup): no lock across it */
		pthread_rwlock_unlock(&fs->lock);
		rc = fn(arg, slash ? slash + 1 : p, id, &st);
		pthread_rwlock_rdlock(&fs->lock);
		if (rc)
			break;
		*pos = id;
	}
	pthread_rwlock_unlock(&fs->lock);
	return rc;
}

struct by_name {
	fc_famfs_dir_fn fn;
	void *arg;
};

static int call_by_name(void *arg, const char *name, uint64_t id, const struct fc_famfs_stat *st)
{
	struct by_name *b = arg;

	return b->fn(b->arg, name, st);
}

FC_EXPORT int fc_famfs_readdir(struct fc_famfs *fs, const char *dir, fc_famfs_dir_fn fn,
			       void *arg)
{
	struct fc_famfs_stat st;
	struct by_name b = { fn, arg };
	uint64_t id, pos = 0;
	int rc = fc_famfs_resolve(fs, dir, &id, &st);

	if (rc < 0)
		return -ENOENT;
	if (!st.is_dir)
		return -ENOTDIR;
	return fc_famfs_readdir_id(fs, id, &pos, call_by_name, &b);
}

FC_EXPORT ssize_t fc_famfs_pread_id(struct fc_famfs *fs, uint64_t id, void *buf, size_t len,
				    uint64_t off)
{
	const struct famfs_log_entry *le = by_id(fs, id);

	if (!le || le->famfs_log_entry_type != FAMFS_LOG_FILE)
		return le ? -EISDIR : -ENOENT;
	return entry_io(fs, le, off, buf, len, false);
}

FC_EXPORT ssize_t fc_famfs_pwrite_id(struct fc_famfs *fs, uint64_t id, const void *buf,
				     size_t len, uint64_t off)
{
	const struct famfs_log_entry *le = by_id(fs, id);

	if (fs->lock_fd < 0)
		return -EROFS;
	if (!le || le->famfs_log_entry_type != FAMFS_LOG_FILE)
		return le ? -EISDIR : -ENOENT;
	return entry_io(fs, le, off, (void *)buf, len, true);
}

/* The pieces of [off, off + len) of a file's entry, in member mappings. */
static int entry_iov(struct fc_famfs *fs, const struct famfs_log_entry *le, uint64_t off,
		     size_t len, struct iovec *iov, unsigned int max, bool for_read)
{
	uint64_t size = le->famfs_fc.famfs_fc_size;
	unsigned int n = 0;

	if (off >= size)
		return 0;
	if (len > size - off)
		len = (size_t)(size - off);
	while (len && n < max) {
		uint64_t dev, devoff, avail;

		/* replay checked the extents; the bound is kept here all the same */
		if (famfs_map_offset(&le->famfs_fc.famfs_fc_fmap, off, &dev, &devoff, &avail) < 0 ||
		    dev >= fs->n || !avail || !util_range_fits(devoff, avail, fs->mem[dev].m->size))
			return -EUCLEAN;
		if (avail > len)
			avail = len;
		iov[n].iov_base = fs->mem[dev].m->base + devoff;
		iov[n].iov_len = (size_t)avail;
		if (for_read)
			util_cache_invalidate(iov[n].iov_base, iov[n].iov_len);
		n++;
		off += avail;
		len -= (size_t)avail;
	}
	return (int)n;
}

FC_EXPORT int fc_famfs_iov(struct fc_famfs *fs, uint64_t id, uint64_t off, size_t len,
			   struct iovec *iov, unsigned int max, bool for_read)
{
	const struct famfs_log_entry *le = by_id(fs, id);

	if (!le || le->famfs_log_entry_type != FAMFS_LOG_FILE)
		return le ? -EISDIR : -ENOENT;
	if (!for_read && fs->lock_fd < 0)
		return -EROFS;
	return entry_iov(fs, le, off, len, iov, max, for_read);
}

FC_EXPORT int fc_famfs_pending_iov(struct fc_famfs *fs, const struct fc_famfs_pending *p,
				   uint64_t off, size_t len, struct iovec *iov, unsigned int max)
{
	return entry_iov(fs, &p->le, off, len, iov, max, false);
}

FC_EXPORT void fc_famfs_flush_iov(const struct iovec *iov, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		util_cache_flush(iov[i].iov_base, iov[i].iov_len);
}
