// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Files and directories of a famfs: path rules, mkdir and creat (log
 * entries), attributes and directory listings from the log, and reading and
 * writing a file's bytes through its extent map (no mount needed).
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

FC_EXPORT int fc_famfs_creat(struct fc_famfs *fs, const char *path, uint64_t size,
		   const struct fc_famfs_file_opts *o)
{
	struct famfs_log_entry le = { .famfs_log_entry_type = FAMFS_LOG_FILE };
	struct famfs_file_creation *fc = &le.famfs_fc;
	char sz[UTIL_SIZE_STR_MAX];
	int rc = famfs_check_path(fs->lc, path, fc->famfs_relpath);

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
	{
		uint64_t bytes;

		if (famfs_alloc_size(size, o->chunk, o->strips, &bytes) < 0) {
			log_err(fs->lc, "'%s': size %llu is too large: rounded up to whole stripes it passes 2^64 bytes\n",
				path, (unsigned long long)size);
			return -EFBIG;
		}
	}
	rc = famfs_writer_lock(fs);
	if (rc < 0)
		return rc;
	rc = check_new_path(fs, fc->famfs_relpath);
	if (rc < 0)
		return famfs_writer_unlock(fs, rc);
	rc = famfs_allocate(fs, size, o->chunk, o->strips, &fc->famfs_fc_fmap);
	if (rc == -EFBIG) {
		log_err(fs->lc, "'%s': size %llu is too large: its space in whole %s stripes passes 2^64 bytes\n",
			path, (unsigned long long)size, o->strips > 1 ? "chunk" : "allocation-unit");
		return famfs_writer_unlock(fs, rc);
	}
	if (rc < 0) {
		log_err(fs->lc, "'%s': no room for %s over %u strip%s\n", path,
		    util_format_size(size, sz, sizeof(sz)), o->strips, o->strips == 1 ? "" : "s");
		return famfs_writer_unlock(fs, rc);
	}
	fc->famfs_fc_size = size;
	fc->famfs_fc_flags = FAMFS_FILE_ALL_HOSTS_RW;
	fc->famfs_fc_uid = o->uid;
	fc->famfs_fc_gid = o->gid;
	fc->famfs_fc_mode = o->mode;
	rc = famfs_append(fs, &le);
	if (rc == 0)
		rc = famfs_mark_fmap(fs, &fc->famfs_fc_fmap);
	return famfs_writer_unlock(fs, rc);
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

/* Copy between a buffer and a file's bytes; to_media selects the direction. */
static ssize_t file_io(struct fc_famfs *fs, const char *path, uint64_t off,
		       void *buf, size_t len, bool to_media)
{
	char rel[FAMFS_MAX_PATHLEN];
	struct famfs_log_entry *le;
	size_t done = 0;
	int rc = famfs_check_path(fs->lc, path, rel);

	if (rc < 0)
		return rc;
	le = famfs_lookup(fs, rel);
	if (!le || le->famfs_log_entry_type != FAMFS_LOG_FILE) {
		log_err(fs->lc, "'%s': no such file\n", rel);
		return -ENOENT;
	}
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
			log_err(fs->lc, "'%s': offset %llu is not inside its extents\n", rel,
				(unsigned long long)(off + done));
			return -EUCLEAN;
		}
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
	if (famfs_check_path(fs->lc, path, rel) < 0)
		return -EINVAL;
	le = famfs_lookup(fs, rel);
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
	le = famfs_lookup(fs, rel);
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
	for (uint64_t i = 0; i < fs->replayed; i++) {
		struct famfs_log_entry *le = famfs_entry(fs, i);
		const char *p = famfs_entry_path(le), *name;
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
