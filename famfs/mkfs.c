// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Formatting famfs over many members.
 *
 * Format writes in an order that leaves, after a crash at any point, either
 * no file system or a complete one: it first destroys every member's old
 * superblock (primary first), then writes the log with one ADD_DAXDEV entry
 * per further member, then the secondary superblocks, and the primary
 * superblock -- the one that makes the file system exist -- last. Each step
 * is flushed from CPU caches before the next, because the media is shared
 * memory that other hosts read without our caches.
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
#include "util/size.h"
#include "util/string.h"

static void write_flush(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
	util_cache_flush(dst, len);
}

static bool has_superblock(struct fc_media *m)
{
	util_cache_invalidate(m->base, sizeof(struct famfs_superblock));
	return famfs_sb_of(m)->ts_magic == FAMFS_SUPER_MAGIC;
}

static bool has_secondary_flag(const struct famfs_superblock *sb)
{
	bool known = sb->ts_version == FAMFS_VERSION_48 || sb->ts_version == FAMFS_VERSION_49;

	return known && (famfs_sb_flags(sb) & FAMFS_SB_SECONDARY);
}

static int check_format_args(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
			     const struct famfs_mkfs_opts *o)
{
	uint64_t log_len = o->log_len;

	if (n == 0 || n > FC_MAX_MEMBERS) {
		log_err(lc, "a file system has 1 to %d members, not %u\n", FC_MAX_MEMBERS, n);
		return -EINVAL;
	}
	if (o->version && o->version != FAMFS_VERSION_48 && o->version != FAMFS_VERSION_49) {
		log_err(lc, "format version %u: famfs versions are 48 (one member) and 49\n",
			o->version);
		return -EINVAL;
	}
	if (o->version == FAMFS_VERSION_48 && n > 1 && !o->force) {
		log_err(lc, "version 48 over %u members: famfs 48 mounts one member only and keeps the primary's identity outside the superblock CRC; use version 49 (or force)\n",
			n);
		return -EINVAL;
	}
	if (!famfs_is_pow2(log_len) || log_len < FAMFS_LOG_LEN_DEFAULT) {
		log_err(lc, "log size %llu: must be a power of two of at least 8 MiB\n",
		    (unsigned long long)log_len);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < n; i++) {
		uint64_t min = i == 0 ? FAMFS_PRIMARY_MIN_SIZE : FAMFS_SECONDARY_MIN_SIZE;
		char a[UTIL_SIZE_STR_MAX], b[UTIL_SIZE_STR_MAX];

		if (!m[i]->writable) {
			log_err(lc, "%s: opened read-only\n", m[i]->name);
			return -EROFS;
		}
		if (m[i]->size < min || (i == 0 && m[i]->size < FAMFS_LOG_OFFSET + log_len +
					 FAMFS_ALLOC_UNIT)) {
			log_err(lc, "%s: %s is too small for a %s member (at least %s)\n",
			    m[i]->name, util_format_size(m[i]->size, a, sizeof(a)),
			    i == 0 ? "primary" : "secondary", util_format_size(min, b, sizeof(b)));
			return -ENOSPC;
		}
		if (!o->force && has_superblock(m[i])) {
			log_err(lc, "%s: already holds a famfs %s superblock (use --force to overwrite)\n",
			    m[i]->name, has_secondary_flag(famfs_sb_of(m[i])) ?
			    "secondary" : "primary");
			return -EEXIST;
		}
		/* force overwrites this host's file systems; one another host
		 * masters (it may be writing it now) only on a stronger order */
		if (!o->take_over && has_superblock(m[i]) &&
		    memcmp(famfs_sb_of(m[i])->ts_system_uuid, o->system_uuid, 16)) {
			char theirs[37], ours[37];

			uuid_unparse_lower(famfs_sb_of(m[i])->ts_system_uuid, theirs);
			uuid_unparse_lower(o->system_uuid, ours);
			log_err(lc, "%s: holds a famfs superblock whose master is host %s, not this host (%s): --force overwrites only this host's file systems (--take-over formats it anyway)\n",
			    m[i]->name, theirs, ours);
			return -EPERM;
		}
		for (unsigned int j = 0; j < i; j++)
			if (!uuid_compare(o->tags[i], o->tags[j])) {
				log_err(lc, "%s and %s have the same tag\n", m[j]->name, m[i]->name);
				return -EINVAL;
			}
	}
	/* a mounted file system is served from these members: formatting
	 * it pulls the files from under its readers and writers */
	if (o->mounted_at && !o->take_over) {
		log_err(lc, "%s: mounted on this host at %s: unmount it first (famfsctl umount %s), or --take-over\n",
		    o->name ? o->name : m[0]->name, o->mounted_at, o->mounted_at);
		return -EBUSY;
	}
	return 0;
}

/*
 * A superblock of `version` into buf (FAMFS_SB_MAX_BYTES): version 48 puts
 * the primary's tag in a secondary's ts_daxdev.dd_uuid (outside the CRC),
 * version 49 in ts_primary_dev_uuid (under it), zero on the primary.
 */
static void fill_superblock(void *buf, unsigned int version, struct fc_media *m,
			    const struct famfs_mkfs_opts *o, const uuid_t fs_uuid,
			    const uuid_t tag, bool primary, const uuid_t primary_tag)
{
	struct famfs_superblock *sb = buf;
	struct famfs_daxdev *dd;

	memset(buf, 0, FAMFS_SB_MAX_BYTES);
	sb->ts_magic = FAMFS_SUPER_MAGIC;
	sb->ts_version = version;
	sb->ts_log_offset = primary ? FAMFS_LOG_OFFSET : 0;
	sb->ts_log_len = primary ? o->log_len : 0;
	sb->ts_alloc_unit = FAMFS_ALLOC_UNIT;
	sb->ts_omf_ver_major = FAMFS_OMF_VER_MAJOR;
	sb->ts_omf_ver_minor = version == FAMFS_VERSION_49 ? FAMFS_OMF_VER_MINOR_49 :
							     FAMFS_OMF_VER_MINOR;
	memcpy(sb->ts_uuid, fs_uuid, 16);
	memcpy(sb->ts_dev_uuid, tag, 16);
	memcpy(sb->ts_system_uuid, o->system_uuid, 16);
	if (version == FAMFS_VERSION_49) {
		struct famfs_superblock_v49 *v = buf;

		if (!primary)
			memcpy(v->ts_primary_dev_uuid, primary_tag, 16);
		v->ts_sb_flags = primary ? FAMFS_SB_PRIMARY : FAMFS_SB_SECONDARY;
		dd = &v->ts_daxdev;
		memcpy(dd->dd_uuid, tag, 16);
	} else {
		sb->ts_sb_flags = primary ? FAMFS_SB_PRIMARY : FAMFS_SB_SECONDARY;
		dd = &sb->ts_daxdev;
		memcpy(dd->dd_uuid, primary ? tag : primary_tag, 16);
	}
	*famfs_sb_crc_field(sb) = famfs_superblock_crc(sb);
	dd->dd_size = m->size;
	util_strlcpy(dd->dd_daxdev, m->name, sizeof(dd->dd_daxdev));
}

int famfs_mkfs(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
			  const struct famfs_mkfs_opts *o, uuid_t fs_uuid_out)
{
	static const uint8_t zero_sb[FAMFS_SB_MAX_BYTES];
	struct famfs_log_header lh = { 0 };
	uint64_t sb[FAMFS_SB_MAX_BYTES / 8];
	unsigned int version;
	uint8_t *log;
	unsigned int step = 0;
	uuid_t fs_uuid;
	int rc;

	rc = check_format_args(lc, m, n, o);
	if (rc < 0)
		return rc;
	version = o->version ? o->version : n > 1 ? FAMFS_VERSION_49 : FAMFS_VERSION_48;
	uuid_generate(fs_uuid);
	log = m[0]->base + FAMFS_LOG_OFFSET;

	/* 1. no old file system survives past this point, primary first */
	for (unsigned int i = 0; i < n; i++) {
		famfs_fault_point("format", ++step);
		write_flush(m[i]->base, zero_sb, sizeof(zero_sb));
	}

	/* 2. the log: empty entries, one ADD_DAXDEV per further member, header */
	famfs_fault_point("format", ++step);
	memset(log, 0, o->log_len);
	for (unsigned int i = 1; i < n; i++) {
		struct famfs_log_entry *le = (struct famfs_log_entry *)
			(log + sizeof(lh) + (i - 1) * sizeof(*le));

		le->famfs_log_entry_seqnum = i - 1;
		le->famfs_log_entry_type = FAMFS_LOG_ADD_DAXDEV;
		le->famfs_dd.dd_size = m[i]->size;
		memcpy(le->famfs_dd.dd_uuid, o->tags[i], 16);
		le->famfs_dd.dd_index = i;
		le->famfs_log_entry_crc = famfs_log_entry_crc(le);
	}
	lh.famfs_log_magic = FAMFS_LOG_MAGIC;
	lh.famfs_log_len = o->log_len;
	lh.famfs_log_last_index = famfs_log_entries(o->log_len) - 1;
	lh.famfs_log_crc = famfs_log_header_crc(&lh);
	lh.famfs_log_next_seqnum = n - 1;
	lh.famfs_log_next_index = n - 1;
	memcpy(log, &lh, sizeof(lh));
	util_cache_flush(log, o->log_len);

	/* 3. secondary superblocks */
	for (unsigned int i = 1; i < n; i++) {
		famfs_fault_point("format", ++step);
		fill_superblock(sb, version, m[i], o, fs_uuid, o->tags[i], false, o->tags[0]);
		write_flush(m[i]->base, sb, sizeof(sb));
	}

	/* 4. the primary superblock: now the file system exists */
	famfs_fault_point("format", ++step);
	fill_superblock(sb, version, m[0], o, fs_uuid, o->tags[0], true, o->tags[0]);
	write_flush(m[0]->base, sb, sizeof(sb));
	if (fs_uuid_out)
		uuid_copy(fs_uuid_out, fs_uuid);
	log_info(lc, "formatted famfs version %u over %u member%s\n", version, n,
		 n == 1 ? "" : "s");
	return 0;
}
