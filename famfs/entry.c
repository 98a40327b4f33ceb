// SPDX-License-Identifier: LGPL-2.1-only
/*
 * What a famfs log entry must be before anything reads, replays or writes
 * it: one set of rules, used by fsck (each failure a coded finding), by
 * open and refresh (replay refuses the log), by creat and mkdir (an entry
 * that would break them is never committed) and, through replay, by every
 * reader. Nothing on the media is trusted unchecked: a path must carry its
 * NUL and be a plain relative path whose parent is a directory logged
 * before it; an extent must name a member, be aligned, end inside it
 * without wrapping 2^64; an interleaved one needs a power-of-two chunk and
 * strips of whole chunks; and the extents must hold the file's size.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "famfs/fs.h"
#include "famfs/fsck.h"
#include "util/arith.h"

int famfs_finding(struct famfs_finding *f, enum famfs_problem code, const char *fmt, ...)
{
	va_list ap;

	f->code = code;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
	return -EUCLEAN;
}

const char *famfs_path_rule(const char *rel)
{
	const char *c = rel;

	if (!*rel)
		return "an empty path";
	if (*rel == '/')
		return "not a relative path";
	for (;;) {
		const char *end = strchr(c, '/');
		size_t len = end ? (size_t)(end - c) : strlen(c);

		if (!len)
			return "an empty component ('//' or a trailing '/')";
		if ((len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return "a '.' or '..' component";
		if (c == rel && len == 5 && !strncmp(c, ".meta", 5))
			return "'.meta' is reserved (a mount shows the superblock and log there)";
		if (!end)
			return NULL;
		c = end + 1;
	}
}

int famfs_check_superblock_format(const struct famfs_superblock *sb, struct famfs_finding *f)
{
	unsigned int minor = famfs_sb_is_v49(sb) ? FAMFS_OMF_VER_MINOR_49 : FAMFS_OMF_VER_MINOR;

	if (sb->ts_alloc_unit != FAMFS_ALLOC_UNIT)
		return famfs_finding(f, FAMFS_P_SB_ALLOC_UNIT, "allocation unit %llu, not %llu",
			       (unsigned long long)sb->ts_alloc_unit,
			       (unsigned long long)FAMFS_ALLOC_UNIT);
	if (sb->ts_omf_ver_major != FAMFS_OMF_VER_MAJOR || sb->ts_omf_ver_minor > minor)
		return famfs_finding(f, FAMFS_P_SB_OMF_VERSION,
				     "on-media format %u.%u, not %d.%u or older (version %llu)",
				     sb->ts_omf_ver_major, sb->ts_omf_ver_minor, FAMFS_OMF_VER_MAJOR,
				     minor, (unsigned long long)sb->ts_version);
	return 0;
}

int famfs_check_log_header(uint64_t log_len, const struct famfs_log_header *lh,
			   struct famfs_finding *f)
{
	if (lh->famfs_log_magic != FAMFS_LOG_MAGIC || lh->famfs_log_crc != famfs_log_header_crc(lh) ||
	    lh->famfs_log_len != log_len || lh->famfs_log_len < FAMFS_LOG_LEN_DEFAULT ||
	    lh->famfs_log_last_index != famfs_log_entries(lh->famfs_log_len) - 1)
		return famfs_finding(f, FAMFS_P_LOG_HEADER, "log header: magic, CRC, length or size is wrong");
	if (lh->famfs_log_next_index > lh->famfs_log_last_index + 1)
		return famfs_finding(f, FAMFS_P_LOG_HEADER, "log header: next index %llu past the last entry %llu",
			       (unsigned long long)lh->famfs_log_next_index,
			       (unsigned long long)lh->famfs_log_last_index);
	if (famfs_log_seq_state(lh) < 0) /* a cut append (one apart) reads fine */
		return famfs_finding(f, FAMFS_P_LOG_HEADER, "log header: sequence number %llu for next index %llu",
			       (unsigned long long)lh->famfs_log_next_seqnum,
			       (unsigned long long)lh->famfs_log_next_index);
	return 0;
}

int famfs_check_record(const struct famfs_log_entry *le, uint64_t i, struct famfs_finding *f)
{
	if (le->famfs_log_entry_seqnum != i || le->famfs_log_entry_crc != famfs_log_entry_crc(le))
		return famfs_finding(f, FAMFS_P_LOG_ENTRY, "log entry %llu is damaged (seqnum or CRC)",
			       (unsigned long long)i);
	switch (le->famfs_log_entry_type) {
	case FAMFS_LOG_FILE:
	case FAMFS_LOG_MKDIR:
	case FAMFS_LOG_ADD_DAXDEV:
		return 0;
	default: /* DELETE is defined but never written; nothing else is */
		return famfs_finding(f, FAMFS_P_ENTRY_TYPE, "log entry %llu: type %u is not FILE, MKDIR or ADD_DAXDEV",
			       (unsigned long long)i, le->famfs_log_entry_type);
	}
}

int famfs_check_add_daxdev(const struct famfs_add_daxdev *dd, uint64_t i,
			   const uint8_t (*tags)[16], unsigned int known, struct famfs_finding *f)
{
	char t[37];

	if (known >= FC_MAX_MEMBERS)
		return famfs_finding(f, FAMFS_P_MEMBER_LIMIT, "log entry %llu: a member beyond the %d a file system has",
			       (unsigned long long)i, FC_MAX_MEMBERS);
	if (dd->dd_index != known)
		return famfs_finding(f, FAMFS_P_MEMBER_INDEX, "log entry %llu: member index %u, expected %u",
			       (unsigned long long)i, dd->dd_index, known);
	for (unsigned int k = 0; k < known; k++)
		if (!memcmp(tags[k], dd->dd_uuid, 16)) {
			uuid_unparse_lower(dd->dd_uuid, t);
			return famfs_finding(f, FAMFS_P_MEMBER_DUPLICATE,
				       "log entry %llu: member %u (tag %s) is member %u already",
				       (unsigned long long)i, dd->dd_index, t, k);
		}
	return 0;
}

/* One extent: a member known when it was logged, aligned, inside it. */
static int check_extent(const struct fc_famfs *fs, unsigned int known,
			const struct famfs_simple_extent *se, uint64_t i, const char *what,
			struct famfs_finding *f)
{
	if (se->se_devindex >= known)
		return famfs_finding(f, FAMFS_P_EXTENT_BOUNDS, "log entry %llu: %s on member %llu, of %u",
			       (unsigned long long)i, what, (unsigned long long)se->se_devindex, known);
	if (!se->se_len || se->se_offset % FAMFS_ALLOC_UNIT)
		return famfs_finding(f, FAMFS_P_EXTENT_BOUNDS, "log entry %llu: %s at %llu+%llu is empty or not 2 MiB aligned",
			       (unsigned long long)i, what, (unsigned long long)se->se_offset,
			       (unsigned long long)se->se_len);
	if (!util_range_fits(se->se_offset, se->se_len, fs->mem[se->se_devindex].m->size))
		return famfs_finding(f, FAMFS_P_EXTENT_BOUNDS, "log entry %llu: %s at %llu+%llu ends past member %llu (%llu bytes)",
			       (unsigned long long)i, what, (unsigned long long)se->se_offset,
			       (unsigned long long)se->se_len, (unsigned long long)se->se_devindex,
			       (unsigned long long)fs->mem[se->se_devindex].m->size);
	return 0;
}

int famfs_check_fmap(const struct fc_famfs *fs, unsigned int known, const struct famfs_log_fmap *fm,
		     uint64_t size, uint64_t i, struct famfs_finding *f)
{
	uint64_t holds = 0;
	int rc;

	if (fm->fmap_ext_type == FAMFS_EXT_SIMPLE) {
		if (fm->fmap_count < 1 || fm->fmap_count > FAMFS_MAX_SIMPLE_EXTENTS)
			return famfs_finding(f, FAMFS_P_EXTENT_BOUNDS, "log entry %llu: %u simple extents, not 1..%d",
				       (unsigned long long)i, fm->fmap_count, FAMFS_MAX_SIMPLE_EXTENTS);
		for (uint32_t e = 0; e < fm->fmap_count; e++) {
			rc = check_extent(fs, known, &fm->se[e], i, "an extent", f);
			if (rc < 0)
				return rc;
			if (util_add_u64(holds, fm->se[e].se_len, &holds) < 0)
				return famfs_finding(f, FAMFS_P_EXTENT_BOUNDS, "log entry %llu: extents add up past 2^64",
					       (unsigned long long)i);
		}
	} else if (fm->fmap_ext_type == FAMFS_EXT_INTERLEAVE) {
		const struct famfs_interleaved_ext *ie = &fm->ie;
		uint64_t chunk = ie->ie_chunk_size, shortest = UINT64_MAX;

		if (fm->fmap_count != 1)
			return famfs_finding(f, FAMFS_P_EXTENT_STRIP, "log entry %llu: %u interleaved extents, not 1",
				       (unsigned long long)i, fm->fmap_count);
		if (!famfs_is_pow2(chunk))
			return famfs_finding(f, FAMFS_P_EXTENT_CHUNK, "log entry %llu: chunk %llu is not a power of two",
				       (unsigned long long)i, (unsigned long long)chunk);
		if (ie->ie_nstrips < 1 || ie->ie_nstrips > FAMFS_MAX_STRIPS)
			return famfs_finding(f, FAMFS_P_EXTENT_STRIP, "log entry %llu: %llu strips, not 1..%d",
				       (unsigned long long)i, (unsigned long long)ie->ie_nstrips,
				       FAMFS_MAX_STRIPS);
		for (uint64_t s = 0; s < ie->ie_nstrips; s++) {
			rc = check_extent(fs, known, &ie->ie_strips[s], i, "a strip", f);
			if (rc < 0)
				return rc;
			if (ie->ie_strips[s].se_len % chunk)
				return famfs_finding(f, FAMFS_P_EXTENT_STRIP,
					       "log entry %llu: strip %llu of %llu bytes is not whole %llu-byte chunks",
					       (unsigned long long)i, (unsigned long long)s,
					       (unsigned long long)ie->ie_strips[s].se_len,
					       (unsigned long long)chunk);
			if (ie->ie_strips[s].se_len < shortest)
				shortest = ie->ie_strips[s].se_len;
		}
		/* chunk c lives in strip c % nstrips at row c / nstrips: every
		 * offset below nstrips * shortest maps inside its strip */
		if (util_mul_u64(shortest, ie->ie_nstrips, &holds) < 0)
			holds = UINT64_MAX;
	} else {
		return famfs_finding(f, FAMFS_P_EXTENT_BOUNDS, "log entry %llu: extent type %u is neither simple nor interleaved",
			       (unsigned long long)i, fm->fmap_ext_type);
	}
	if (size > holds)
		return famfs_finding(f, FAMFS_P_FILE_SIZE, "log entry %llu: size %llu but its extents hold %llu",
			       (unsigned long long)i, (unsigned long long)size,
			       (unsigned long long)holds);
	return 0;
}

int famfs_check_name(struct fc_famfs *fs, const char *rel, struct famfs_finding *f)
{
	char parent[FAMFS_MAX_PATHLEN];
	const struct famfs_log_entry *p;
	const char *why = famfs_path_rule(rel);
	char *slash;

	if (why)
		return famfs_finding(f, FAMFS_P_ENTRY_NAME, "'%s': %s", rel, why);
	p = famfs_lookup(fs, rel);
	if (p)
		return famfs_finding(f, FAMFS_P_ENTRY_DUPLICATE, "'%s' exists (log entry %llu)", rel,
			       (unsigned long long)p->famfs_log_entry_seqnum);
	strcpy(parent, rel);
	slash = strrchr(parent, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	p = famfs_lookup(fs, parent);
	if (!p)
		return famfs_finding(f, FAMFS_P_ENTRY_PARENT, "'%s': no directory '%s'", rel, parent);
	if (p->famfs_log_entry_type != FAMFS_LOG_MKDIR)
		return famfs_finding(f, FAMFS_P_ENTRY_UNDER_FILE, "'%s': '%s' is a file", rel, parent);
	return 0;
}

int famfs_check_entry(struct fc_famfs *fs, const struct famfs_log_entry *le, uint64_t i,
		      struct famfs_finding *f)
{
	const char *path;
	int rc = famfs_check_record(le, i, f);

	if (rc < 0)
		return rc;
	if (le->famfs_log_entry_type == FAMFS_LOG_ADD_DAXDEV) {
		const struct famfs_add_daxdev *dd = &le->famfs_dd;
		char t[37];

		rc = famfs_check_add_daxdev(dd, i, (const uint8_t (*)[16])fs->tags, fs->known, f);
		if (rc < 0)
			return rc;
		uuid_unparse_lower(dd->dd_uuid, t);
		if (fs->known >= fs->n || memcmp(fs->tags[fs->known], dd->dd_uuid, 16))
			return famfs_finding(f, FAMFS_P_MEMBER_MISSING, "log entry %llu: member %u (tag %s) was not given",
				       (unsigned long long)i, dd->dd_index, t);
		if (fs->mem[fs->known].m->size < dd->dd_size)
			return famfs_finding(f, FAMFS_P_MEMBER_SIZE, "log entry %llu: member %u has %llu bytes, the log says %llu",
				       (unsigned long long)i, dd->dd_index,
				       (unsigned long long)fs->mem[fs->known].m->size,
				       (unsigned long long)dd->dd_size);
		return 0;
	}
	path = famfs_entry_path(le);
	if (!memchr(path, '\0', FAMFS_MAX_PATHLEN))
		return famfs_finding(f, FAMFS_P_ENTRY_NAME, "log entry %llu: a path of %d bytes without its NUL",
			       (unsigned long long)i, FAMFS_MAX_PATHLEN);
	rc = famfs_check_name(fs, path, f);
	if (rc < 0) {
		char why[sizeof(f->text)];

		memcpy(why, f->text, sizeof(why));
		return famfs_finding(f, f->code, "log entry %llu: %s", (unsigned long long)i, why);
	}
	if (le->famfs_log_entry_type == FAMFS_LOG_FILE)
		rc = famfs_check_fmap(fs, fs->known, &le->famfs_fc.famfs_fc_fmap,
				      le->famfs_fc.famfs_fc_size, i, f);
	return rc;
}
