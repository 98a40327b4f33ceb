// SPDX-License-Identifier: LGPL-2.1-only
/*
 * famfs across many members: format and check (the on-media format is
 * famfs-omf.h).
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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <zlib.h>
#include "lib/private.h"
#include "famfs/omf.h"
#include "famfs/famfs.h"
#include "famfs/media.h"
#include "util/cacheflush.h"
#include "lib/interleave.h"

uint64_t famfs_superblock_crc(const struct famfs_superblock *sb)
{
	return crc32(0, (const Bytef *)sb, offsetof(struct famfs_superblock, ts_crc));
}

uint64_t famfs_log_header_crc(const struct famfs_log_header *lh)
{
	return crc32(0, (const Bytef *)lh, offsetof(struct famfs_log_header, famfs_log_crc));
}

uint64_t famfs_log_entry_crc(const struct famfs_log_entry *le)
{
	return crc32(0, (const Bytef *)le, offsetof(struct famfs_log_entry, famfs_log_entry_crc));
}

/*
 * Crash injection for tests: FAMFSCTL_FAULT=OP:N ends the process (as a
 * power cut would, no cleanup) just before the Nth write step of OP
 * (format, append).
 */
void fc_fault_point(const char *op, unsigned int step)
{
	const char *f = getenv("FAMFSCTL_FAULT");
	size_t n = strlen(op);

	if (f && !strncmp(f, op, n) && f[n] == ':' && strtoul(f + n + 1, NULL, 10) == step)
		_exit(99);
}

static void write_flush(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
	util_cache_flush(dst, len);
}

static struct famfs_superblock *sb_of(struct fc_media *m)
{
	return (struct famfs_superblock *)m->base;
}

static bool has_superblock(struct fc_media *m)
{
	util_cache_invalidate(m->base, sizeof(struct famfs_superblock));
	return sb_of(m)->ts_magic == FAMFS_SUPER_MAGIC;
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static int check_format_args(struct fc_ctx *ctx, struct fc_media **m, unsigned int n,
			     const struct fc_famfs_format_opts *o)
{
	uint64_t log_len = o->log_len;

	if (n == 0 || n > FAMFS_MAX_MEMBERS) {
		err(ctx, "a file system has 1 to %d members, not %u\n", FAMFS_MAX_MEMBERS, n);
		return -EINVAL;
	}
	if (!is_pow2(log_len) || log_len < FAMFS_LOG_LEN_DEFAULT) {
		err(ctx, "log size %llu: must be a power of two of at least 8 MiB\n",
		    (unsigned long long)log_len);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < n; i++) {
		uint64_t min = i == 0 ? FAMFS_PRIMARY_MIN_SIZE : FAMFS_SECONDARY_MIN_SIZE;
		char a[FC_SIZE_STR_MAX], b[FC_SIZE_STR_MAX];

		if (!m[i]->writable) {
			err(ctx, "%s: opened read-only\n", m[i]->name);
			return -EROFS;
		}
		if (m[i]->size < min || (i == 0 && m[i]->size < FAMFS_LOG_OFFSET + log_len +
					 FAMFS_ALLOC_UNIT)) {
			err(ctx, "%s: %s is too small for a %s member (at least %s)\n",
			    m[i]->name, fc_format_size(m[i]->size, a, sizeof(a)),
			    i == 0 ? "primary" : "secondary", fc_format_size(min, b, sizeof(b)));
			return -ENOSPC;
		}
		if (!o->force && has_superblock(m[i])) {
			err(ctx, "%s: already holds a famfs %s superblock (use --force to overwrite)\n",
			    m[i]->name, sb_of(m[i])->ts_sb_flags & FAMFS_SB_SECONDARY ?
			    "secondary" : "primary");
			return -EEXIST;
		}
		for (unsigned int j = 0; j < i; j++)
			if (!uuid_compare(o->tags[i], o->tags[j])) {
				err(ctx, "%s and %s have the same tag\n", m[j]->name, m[i]->name);
				return -EINVAL;
			}
	}
	return 0;
}

static void fill_superblock(struct famfs_superblock *sb, struct fc_media *m,
			    const struct fc_famfs_format_opts *o, const uuid_t fs_uuid,
			    const uuid_t tag, bool primary, const uuid_t primary_tag)
{
	memset(sb, 0, sizeof(*sb));
	sb->ts_magic = FAMFS_SUPER_MAGIC;
	sb->ts_version = FAMFS_CURRENT_VERSION;
	sb->ts_log_offset = primary ? FAMFS_LOG_OFFSET : 0;
	sb->ts_log_len = primary ? o->log_len : 0;
	sb->ts_alloc_unit = FAMFS_ALLOC_UNIT;
	sb->ts_omf_ver_major = FAMFS_OMF_VER_MAJOR;
	sb->ts_omf_ver_minor = FAMFS_OMF_VER_MINOR;
	memcpy(sb->ts_uuid, fs_uuid, 16);
	memcpy(sb->ts_dev_uuid, tag, 16);
	memcpy(sb->ts_system_uuid, o->system_uuid, 16);
	sb->ts_crc = famfs_superblock_crc(sb);
	sb->ts_sb_flags = primary ? FAMFS_SB_PRIMARY : FAMFS_SB_SECONDARY;
	sb->ts_daxdev.dd_size = m->size;
	memcpy(sb->ts_daxdev.dd_uuid, primary ? tag : primary_tag, 16);
	fc_strlcpy(sb->ts_daxdev.dd_daxdev, m->name, sizeof(sb->ts_daxdev.dd_daxdev));
}

int fc_famfs_format_media(struct fc_ctx *ctx, struct fc_media **m, unsigned int n,
			  const struct fc_famfs_format_opts *o, uuid_t fs_uuid_out)
{
	static const struct famfs_superblock zero_sb;
	struct famfs_log_header lh = { 0 };
	struct famfs_superblock sb;
	uint8_t *log;
	unsigned int step = 0;
	uuid_t fs_uuid;
	int rc;

	rc = check_format_args(ctx, m, n, o);
	if (rc < 0)
		return rc;
	uuid_generate(fs_uuid);
	log = m[0]->base + FAMFS_LOG_OFFSET;

	/* 1. no old file system survives past this point, primary first */
	for (unsigned int i = 0; i < n; i++) {
		fc_fault_point("format", ++step);
		write_flush(m[i]->base, &zero_sb, sizeof(zero_sb));
	}

	/* 2. the log: empty entries, one ADD_DAXDEV per further member, header */
	fc_fault_point("format", ++step);
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
		fc_fault_point("format", ++step);
		fill_superblock(&sb, m[i], o, fs_uuid, o->tags[i], false, o->tags[0]);
		write_flush(m[i]->base, &sb, sizeof(sb));
	}

	/* 4. the primary superblock: now the file system exists */
	fc_fault_point("format", ++step);
	fill_superblock(&sb, m[0], o, fs_uuid, o->tags[0], true, o->tags[0]);
	write_flush(m[0]->base, &sb, sizeof(sb));
	if (fs_uuid_out)
		uuid_copy(fs_uuid_out, fs_uuid);
	info(ctx, "formatted famfs over %u member%s\n", n, n == 1 ? "" : "s");
	return 0;
}

/* ---- check ---- */

static int problem(struct fc_ctx *ctx, struct json_object *problems, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int problem(struct fc_ctx *ctx, struct json_object *problems, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	err(ctx, "%s\n", buf);
	json_object_array_add(problems, json_object_new_string(buf));
	return -EUCLEAN;
}

static void add_uuid(struct json_object *o, const char *key, const uint8_t *u)
{
	char s[37];

	uuid_unparse_lower(u, s);
	json_object_object_add(o, key, json_object_new_string(s));
}

static int check_superblock(struct fc_ctx *ctx, struct fc_media *m,
			    struct json_object *problems, bool primary)
{
	struct famfs_superblock *sb = sb_of(m);

	util_cache_invalidate(sb, sizeof(*sb));
	if (sb->ts_magic != FAMFS_SUPER_MAGIC) {
		if (primary) {
			err(ctx, "%s: no famfs superblock\n", m->name);
			return -ENOENT;
		}
		return problem(ctx, problems, "%s: no famfs superblock", m->name);
	}
	if (sb->ts_crc != famfs_superblock_crc(sb))
		return problem(ctx, problems, "%s: superblock CRC mismatch", m->name);
	if (sb->ts_version != FAMFS_CURRENT_VERSION)
		return problem(ctx, problems, "%s: superblock version %llu, not %d", m->name,
			       (unsigned long long)sb->ts_version, FAMFS_CURRENT_VERSION);
	if (primary && !(sb->ts_sb_flags & FAMFS_SB_PRIMARY))
		return problem(ctx, problems, "%s: a secondary superblock; name the primary first",
			       m->name);
	if (!primary && !(sb->ts_sb_flags & FAMFS_SB_SECONDARY))
		return problem(ctx, problems, "%s: not a secondary superblock", m->name);
	return 0;
}

/*
 * Check a file system: m[0] must be the primary; the others are matched to
 * the log's ADD_DAXDEV entries by tag, in any order. On success *report
 * describes it (JSON); problems are logged and listed in the report.
 */
int fc_famfs_check_media(struct fc_ctx *ctx, struct fc_media **m, unsigned int n,
			 struct json_object **report)
{
	struct json_object *r = json_object_new_object();
	struct json_object *problems = json_object_new_array();
	struct json_object *members = json_object_new_array();
	struct famfs_superblock *psb = sb_of(m[0]);
	struct famfs_log_header *lh;
	bool *seen = calloc(n, sizeof(*seen));
	unsigned int nmembers = 1;
	int rc;

	if (!r || !problems || !members || !seen) {
		rc = -ENOMEM;
		goto out;
	}
	rc = check_superblock(ctx, m[0], problems, true);
	if (rc < 0)
		goto out;
	seen[0] = true;
	if (psb->ts_log_offset != FAMFS_LOG_OFFSET || !is_pow2(psb->ts_log_len) ||
	    psb->ts_log_len < FAMFS_LOG_LEN_DEFAULT ||
	    psb->ts_log_offset + psb->ts_log_len > m[0]->size) {
		rc = problem(ctx, problems, "%s: log at %llu+%llu does not fit the device",
			     m[0]->name, (unsigned long long)psb->ts_log_offset,
			     (unsigned long long)psb->ts_log_len);
		goto out;
	}
	lh = (struct famfs_log_header *)(m[0]->base + psb->ts_log_offset);
	util_cache_invalidate(lh, sizeof(*lh));
	if (lh->famfs_log_magic != FAMFS_LOG_MAGIC || lh->famfs_log_crc != famfs_log_header_crc(lh) ||
	    lh->famfs_log_len != psb->ts_log_len ||
	    lh->famfs_log_last_index != famfs_log_entries(lh->famfs_log_len) - 1 ||
	    lh->famfs_log_next_index > lh->famfs_log_last_index + 1 ||
	    /* seqnum one ahead: an append cut before its commit (next_index);
	     * the entry is not part of the file system and will be rewritten */
	    (lh->famfs_log_next_seqnum != lh->famfs_log_next_index &&
	     lh->famfs_log_next_seqnum != lh->famfs_log_next_index + 1)) {
		rc = problem(ctx, problems, "%s: log header is damaged", m[0]->name);
		goto out;
	}
	{
		struct json_object *p = json_object_new_object();

		json_object_object_add(p, "index", json_object_new_int(0));
		json_object_object_add(p, "device", json_object_new_string(m[0]->name));
		add_uuid(p, "tag", psb->ts_dev_uuid);
		json_object_object_add(p, "size", json_object_new_uint64(m[0]->size));
		json_object_object_add(p, "role", json_object_new_string("primary"));
		json_object_array_add(members, p);
	}
	for (uint64_t i = 0; i < lh->famfs_log_next_index; i++) {
		struct famfs_log_entry *le = (struct famfs_log_entry *)
			((uint8_t *)lh + sizeof(*lh) + i * sizeof(*le));
		struct famfs_add_daxdev *dd = &le->famfs_dd;
		unsigned int j;

		util_cache_invalidate(le, sizeof(*le));
		if (le->famfs_log_entry_seqnum != i || le->famfs_log_entry_crc != famfs_log_entry_crc(le)) {
			rc = problem(ctx, problems, "%s: log entry %llu is damaged (seqnum or CRC)",
				     m[0]->name, (unsigned long long)i);
			continue;
		}
		if (le->famfs_log_entry_type != FAMFS_LOG_ADD_DAXDEV)
			continue;
		nmembers++;
		if (dd->dd_index != nmembers - 1)
			rc = problem(ctx, problems, "log entry %llu: member index %u, expected %u",
				     (unsigned long long)i, dd->dd_index, nmembers - 1);
		for (j = 1; j < n; j++)
			if (!memcmp(sb_of(m[j])->ts_dev_uuid, dd->dd_uuid, 16))
				break;
		if (j == n) {
			char tag[37];

			uuid_unparse_lower(dd->dd_uuid, tag);
			rc = problem(ctx, problems, "member %u (tag %s) is missing", dd->dd_index, tag);
			continue;
		}
		seen[j] = true;
		if (check_superblock(ctx, m[j], problems, false) < 0) {
			rc = -EUCLEAN;
			continue;
		}
		if (memcmp(sb_of(m[j])->ts_uuid, psb->ts_uuid, 16) ||
		    memcmp(sb_of(m[j])->ts_daxdev.dd_uuid, psb->ts_dev_uuid, 16))
			rc = problem(ctx, problems, "%s: belongs to another file system", m[j]->name);
		if (m[j]->size < dd->dd_size)
			rc = problem(ctx, problems, "%s: %llu bytes, the log says %llu", m[j]->name,
				     (unsigned long long)m[j]->size,
				     (unsigned long long)dd->dd_size);
		{
			struct json_object *p = json_object_new_object();

			json_object_object_add(p, "index", json_object_new_int((int)dd->dd_index));
			json_object_object_add(p, "device", json_object_new_string(m[j]->name));
			add_uuid(p, "tag", dd->dd_uuid);
			json_object_object_add(p, "size", json_object_new_uint64(dd->dd_size));
			json_object_object_add(p, "role", json_object_new_string("secondary"));
			json_object_array_add(members, p);
		}
	}
	for (unsigned int j = 1; j < n; j++)
		if (!seen[j])
			rc = problem(ctx, problems, "%s: not a member of this file system", m[j]->name);

	add_uuid(r, "uuid", psb->ts_uuid);
	add_uuid(r, "system_uuid", psb->ts_system_uuid);
	json_object_object_add(r, "log_len", json_object_new_uint64(psb->ts_log_len));
	json_object_object_add(r, "log_entries_used",
			       json_object_new_uint64(lh->famfs_log_next_index));
	json_object_object_add(r, "log_entries",
			       json_object_new_uint64(lh->famfs_log_last_index + 1));
out:
	if (r) {
		json_object_object_add(r, "members", members);
		json_object_object_add(r, "problems", problems);
		json_object_object_add(r, "clean", json_object_new_boolean(rc == 0));
	}
	if (report)
		*report = r;
	else
		json_object_put(r);
	free(seen);
	return rc;
}

/* ---- by path: what famfsctl and library users call ---- */

static void close_all(struct fc_media **m, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		fc_media_close(m[i]);
	free(m);
}

static int open_all(struct fc_ctx *ctx, const char *const *paths, unsigned int n,
		    bool writable, struct fc_media ***out)
{
	struct fc_media **m = calloc(n ? n : 1, sizeof(*m));
	int rc;

	if (!m)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		rc = fc_media_open_path(ctx, paths[i], writable, &m[i]);
		if (rc < 0) {
			close_all(m, i);
			return rc;
		}
	}
	*out = m;
	return 0;
}

FC_EXPORT int fc_famfs_format(struct fc_ctx *ctx, const char *const *paths,
			      unsigned int n, const struct fc_famfs_format_opts *opts,
			      uuid_t fs_uuid)
{
	struct fc_media **m;
	int rc = open_all(ctx, paths, n, true, &m);

	if (rc < 0)
		return rc;
	rc = fc_famfs_format_media(ctx, m, n, opts, fs_uuid);
	close_all(m, n);
	return rc;
}

FC_EXPORT int fc_famfs_check(struct fc_ctx *ctx, const char *const *paths,
			     unsigned int n, struct json_object **report)
{
	struct json_object *r = NULL;
	struct fc_media **m;
	int rc;

	if (n == 0)
		return -EINVAL;
	rc = open_all(ctx, paths, n, false, &m);
	if (rc < 0)
		return rc;
	rc = fc_famfs_check_media(ctx, m, n, &r);
	if (rc == 0 && r)
		rc = fc_famfs_check_space(ctx, m, n, r);
	close_all(m, n);
	if (report)
		*report = r;
	else
		json_object_put(r);
	return rc;
}

/* ---- by interleave set name: members found by tag ---- */

FC_EXPORT int fc_famfs_format_set(struct fc_ctx *ctx, const char *set,
				  const struct fc_famfs_format_opts *opts, uuid_t fs_uuid)
{
	struct fc_famfs_format_opts o = *opts;
	struct fc_media **m;
	uuid_t *tags;
	unsigned int n;
	int rc = fc_set_open_media(ctx, set, true, &m, &tags, &n, NULL, NULL);

	if (rc < 0)
		return rc;
	o.tags = (const uuid_t *)tags; /* each member's identity is its tag */
	rc = fc_famfs_format_media(ctx, m, n, &o, fs_uuid);
	fc_set_close_media(m, n);
	free(tags);
	return rc;
}

FC_EXPORT int fc_famfs_check_set(struct fc_ctx *ctx, const char *set,
				 struct json_object **report)
{
	struct json_object *r = NULL;
	struct fc_media **m;
	uuid_t *tags;
	unsigned int n;
	int rc = fc_set_open_media(ctx, set, false, &m, &tags, &n, NULL, NULL);

	if (rc < 0)
		return rc;
	rc = fc_famfs_check_media(ctx, m, n, &r);
	if (rc == 0 && r)
		rc = fc_famfs_check_space(ctx, m, n, r);
	fc_set_close_media(m, n);
	free(tags);
	if (report)
		*report = r;
	else
		json_object_put(r);
	return rc;
}
