// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Checking a famfs over many members: the primary's superblock and log, each
 * ADD_DAXDEV entry matched to a member by its identity, each secondary's
 * superblock, and then the space every file claims (overlaps, extents
 * outside a member). Every problem is logged and listed in a JSON report.
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
#include "famfs/fsck.h"
#include "util/cacheflush.h"
#include "util/export.h"
#include "util/log.h"
#include <stdarg.h>

/* ---- check ---- */

/*
 * Every finding has a stable code (famfsctl-fsck(1) lists them, famfs/fsck.h
 * defines them), the member it concerns (NULL: the file system) and a text.
 * Scripts and tests match codes, never the text.
 */
static int problem(struct util_log_ctx *lc, struct json_object *problems,
		   enum famfs_problem code, const struct fc_media *member, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int problem(struct util_log_ctx *lc, struct json_object *problems,
		   enum famfs_problem code, const struct fc_media *member, const char *fmt, ...)
{
	struct json_object *o = json_object_new_object();
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* a repairable state is not damage: the files read fine */
	if (code == FAMFS_P_LOG_CUT_APPEND)
		log_warn(lc, "%s\n", buf);
	else
		log_err(lc, "%s\n", buf);
	json_object_object_add(o, "code", json_object_new_string(famfs_problem_code(code)));
	json_object_object_add(o, "member", member ? json_object_new_string(member->name) : NULL);
	json_object_object_add(o, "text", json_object_new_string(buf));
	json_object_array_add(problems, o);
	return -EUCLEAN;
}

int famfs_report_problem(struct util_log_ctx *lc, struct json_object *report, int code,
			 const struct fc_media *member, const char *fmt, ...)
{
	struct json_object *problems = json_object_object_get(report, "problems");
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_object_object_add(report, "clean", json_object_new_boolean(false));
	/* not what a writer restores */
	json_object_object_add(report, "repairable", json_object_new_boolean(false));
	if (!problems) {
		log_err(lc, "%s\n", buf);
		return -EUCLEAN;
	}
	return problem(lc, problems, (enum famfs_problem)code, member, "%s", buf);
}

static void add_uuid(struct json_object *o, const char *key, const uint8_t *u)
{
	char s[37];

	uuid_unparse_lower(u, s);
	json_object_object_add(o, key, json_object_new_string(s));
}

/*
 * A member's superblock: magic, a version read here (48 or 49), its CRC,
 * and the role its place needs. Named first, it is the primary: the PRIMARY
 * flag, or no flag at all -- mkfs.famfs never sets ts_sb_flags, so every
 * file system famfs has made has flags 0 (doc/famfs-format.md). A secondary has the
 * SECONDARY flag and no log.
 */
static int check_superblock(struct util_log_ctx *lc, struct fc_media *m,
			    struct json_object *problems, bool primary)
{
	struct famfs_superblock *sb = famfs_sb_of(m);
	uint32_t flags;

	util_cache_invalidate(sb, FAMFS_SB_MAX_BYTES);
	if (sb->ts_magic != FAMFS_SUPER_MAGIC) {
		if (primary) {
			log_err(lc, "%s: no famfs superblock\n", m->name);
			return -ENOENT;
		}
		return problem(lc, problems, FAMFS_P_SB_MISSING, m, "%s: no famfs superblock", m->name);
	}
	if (sb->ts_version != FAMFS_VERSION_48 && sb->ts_version != FAMFS_VERSION_49)
		return problem(lc, problems, FAMFS_P_SB_VERSION, m,
			       "%s: superblock version %llu; famfs versions 48 and 49 are read here",
			       m->name, (unsigned long long)sb->ts_version);
	if (*famfs_sb_crc_field(sb) != famfs_superblock_crc(sb))
		return problem(lc, problems, FAMFS_P_SB_CRC, m, "%s: superblock CRC mismatch", m->name);
	{
		struct famfs_finding f;

		if (famfs_check_superblock_format(sb, &f) < 0)
			return problem(lc, problems, f.code, m, "%s: %s", m->name, f.text);
	}
	flags = famfs_sb_flags(sb);
	if (primary) {
		static const uint8_t zero[16];

		if (flags & FAMFS_SB_SECONDARY)
			return problem(lc, problems, FAMFS_P_SB_ROLE, m,
				       "%s: a secondary superblock; name the primary first", m->name);
		if (flags & ~(uint32_t)FAMFS_SB_PRIMARY)
			return problem(lc, problems, FAMFS_P_SB_ROLE, m,
				       "%s: superblock flags 0x%x are neither primary nor secondary",
				       m->name, flags);
		if (famfs_sb_is_v49(sb) && memcmp(famfs_sb_primary_uuid(sb), zero, 16))
			return problem(lc, problems, FAMFS_P_SB_ROLE, m,
				       "%s: a version 49 primary that names a primary device", m->name);
		return 0;
	}
	if (flags != FAMFS_SB_SECONDARY)
		return problem(lc, problems, FAMFS_P_SB_ROLE, m,
			       "%s: not a secondary superblock (flags 0x%x)", m->name, flags);
	if (sb->ts_log_offset || sb->ts_log_len)
		return problem(lc, problems, FAMFS_P_SB_ROLE, m,
			       "%s: a secondary superblock with a log (%llu+%llu)", m->name,
			       (unsigned long long)sb->ts_log_offset,
			       (unsigned long long)sb->ts_log_len);
	return 0;
}

/*
 * Check a file system: m[0] must be the primary; the others are matched to
 * the log's ADD_DAXDEV entries by tag, in any order. On success *report
 * describes it (JSON); problems are logged and listed in the report.
 */
int famfs_check_media(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
			 struct json_object **report)
{
	struct json_object *r = json_object_new_object();
	struct json_object *problems = json_object_new_array();
	struct json_object *members = json_object_new_array();
	struct famfs_superblock *psb = famfs_sb_of(m[0]);
	struct famfs_log_header *lh;
	bool *seen = calloc(n, sizeof(*seen));
	uint8_t (*tags)[16] = calloc(FC_MAX_MEMBERS, 16);
	unsigned int nmembers = 1;
	bool repairable = false;
	uint64_t used;
	int rc;

	if (!r || !problems || !members || !seen || !tags) {
		rc = -ENOMEM;
		goto out;
	}
	rc = check_superblock(lc, m[0], problems, true);
	if (rc < 0)
		goto out;
	seen[0] = true;
	/* the on-media version found: 48 (OMF 2.2) or 49 (OMF 2.3) */
	json_object_object_add(r, "version", json_object_new_uint64(psb->ts_version));
	if (psb->ts_log_offset != FAMFS_LOG_OFFSET || !famfs_is_pow2(psb->ts_log_len) ||
	    psb->ts_log_len < FAMFS_LOG_LEN_DEFAULT ||
	    psb->ts_log_offset + psb->ts_log_len > m[0]->size) {
		rc = problem(lc, problems, FAMFS_P_LOG_PLACEMENT, m[0], "%s: log at %llu+%llu does not fit the device",
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
	    famfs_log_seq_state(lh) < 0) {
		rc = problem(lc, problems, FAMFS_P_LOG_HEADER, m[0], "%s: log header is damaged", m[0]->name);
		goto out;
	}
	if (famfs_log_seq_state(lh) == FAMFS_LOG_CUT) {
		/* readers see the committed entries; but famfs would stamp its
		 * next entry from next_seqnum and call it damaged */
		struct json_object *pr;

		problem(lc, problems, FAMFS_P_LOG_CUT_APPEND, m[0],
			"%s: an append was cut: next_seqnum %llu, next_index %llu; famfs's next append would be damaged",
			m[0]->name, (unsigned long long)lh->famfs_log_next_seqnum,
			(unsigned long long)lh->famfs_log_next_index);
		pr = json_object_array_get_idx(problems, json_object_array_length(problems) - 1);
		json_object_object_add(pr, "repair", json_object_new_string(
			lh->famfs_log_next_seqnum > lh->famfs_log_next_index ?
			"roll back the cut append: set next_seqnum to next_index" :
			"complete the committed append: set next_seqnum to next_index"));
		repairable = true;
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
	/* the member table: the primary, then each ADD_DAXDEV in log order */
	memcpy(tags[0], psb->ts_dev_uuid, 16);
	used = lh->famfs_log_next_index; /* checked above; read once */
	for (uint64_t i = 0; i < used; i++) {
		struct famfs_log_entry *le = (struct famfs_log_entry *)
			((uint8_t *)lh + sizeof(*lh) + i * sizeof(*le));
		struct famfs_add_daxdev *dd = &le->famfs_dd;
		struct famfs_finding f;
		unsigned int j;

		util_cache_invalidate(le, sizeof(*le));
		if (famfs_check_record(le, i, &f) < 0) {
			rc = problem(lc, problems, f.code, m[0], "%s: %s", m[0]->name, f.text);
			continue;
		}
		if (le->famfs_log_entry_type != FAMFS_LOG_ADD_DAXDEV)
			continue;
		if (famfs_check_add_daxdev(dd, i, (const uint8_t (*)[16])tags, nmembers, &f) < 0) {
			rc = problem(lc, problems, f.code, NULL, "%s", f.text);
			if (f.code == FAMFS_P_MEMBER_LIMIT)
				break; /* no slot to put it in */
			if (f.code == FAMFS_P_MEMBER_DUPLICATE)
				continue;
		}
		memcpy(tags[nmembers++], dd->dd_uuid, 16);
		for (j = 1; j < n; j++)
			if (!memcmp(famfs_sb_of(m[j])->ts_dev_uuid, dd->dd_uuid, 16))
				break;
		if (j == n) {
			char tag[37];

			uuid_unparse_lower(dd->dd_uuid, tag);
			rc = problem(lc, problems, FAMFS_P_MEMBER_MISSING, NULL, "member %u (tag %s) is missing", dd->dd_index, tag);
			continue;
		}
		if (seen[j]) {
			rc = problem(lc, problems, FAMFS_P_MEMBER_DUPLICATE, m[j], "%s: named by two log entries (entry %llu the second)",
				     m[j]->name, (unsigned long long)i);
			continue;
		}
		seen[j] = true;
		if (check_superblock(lc, m[j], problems, false) < 0) {
			rc = -EUCLEAN;
			continue;
		}
		if (famfs_sb_of(m[j])->ts_version != psb->ts_version)
			rc = problem(lc, problems, FAMFS_P_SB_VERSION_MIX, m[j],
				     "%s: a version %llu superblock in a version %llu file system",
				     m[j]->name, (unsigned long long)famfs_sb_of(m[j])->ts_version,
				     (unsigned long long)psb->ts_version);
		else if (memcmp(famfs_sb_of(m[j])->ts_uuid, psb->ts_uuid, 16) ||
			 memcmp(famfs_sb_primary_uuid(famfs_sb_of(m[j])), psb->ts_dev_uuid, 16))
			rc = problem(lc, problems, FAMFS_P_MEMBER_FOREIGN, m[j], "%s: belongs to another file system", m[j]->name);
		if (m[j]->size < dd->dd_size)
			rc = problem(lc, problems, FAMFS_P_MEMBER_SIZE, m[j], "%s: %llu bytes, the log says %llu", m[j]->name,
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
			rc = problem(lc, problems, FAMFS_P_MEMBER_EXTRA, m[j], "%s: not a member of this file system", m[j]->name);

	add_uuid(r, "uuid", psb->ts_uuid);
	add_uuid(r, "system_uuid", psb->ts_system_uuid);
	json_object_object_add(r, "log_len", json_object_new_uint64(psb->ts_log_len));
	json_object_object_add(r, "log_entries_used",
			       json_object_new_uint64(used));
	json_object_object_add(r, "log_entries",
			       json_object_new_uint64(lh->famfs_log_last_index + 1));
	/* nothing but what a writer (or fsck --repair) restores */
	if (rc == 0 && repairable)
		rc = FAMFS_CHECK_REPAIRABLE;
out:
	if (r) {
		json_object_object_add(r, "members", members);
		json_object_object_add(r, "problems", problems);
		json_object_object_add(r, "clean", json_object_new_boolean(rc == 0));
		json_object_object_add(r, "repairable", json_object_new_boolean(rc == FAMFS_CHECK_REPAIRABLE));
	}
	if (report)
		*report = r;
	else
		json_object_put(r);
	free(seen);
	free(tags);
	return rc;
}

struct space_findings {
	struct util_log_ctx *lc;
	struct json_object *problems;
};

static void space_finding(void *arg, const struct famfs_finding *f)
{
	struct space_findings *sf = arg;

	problem(sf->lc, sf->problems, f->code, NULL, "%s", f->text);
}

/*
 * fsck's second half, over media check_media found clean: replay the log
 * into the free-space map (two files sharing space, or space outside a
 * member, is damage) and add each member's used and free bytes to the
 * report's members (which are in log index order).
 */
int famfs_check_space(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
			 struct json_object *report)
{
	struct json_object *members = json_object_object_get(report, "members");
	struct json_object *problems = json_object_object_get(report, "problems");
	struct fc_famfs *fs;
	struct space_findings sf = { lc, problems };
	int rc = famfs_build(lc, m, n, &fs);

	if (rc < 0)
		return rc;
	rc = famfs_replay(fs, space_finding, &sf);
	if (rc < 0)
		json_object_object_add(report, "clean", json_object_new_boolean(false));
	for (unsigned int i = 0; i < n && rc == 0; i++) {
		struct json_object *mj = json_object_array_get_idx(members, i);
		uint64_t used = fs->mem[i].nused * FAMFS_ALLOC_UNIT;

		json_object_object_add(mj, "used", json_object_new_uint64(used));
		json_object_object_add(mj, "free", json_object_new_uint64(
			fs->mem[i].units * FAMFS_ALLOC_UNIT - used));
	}
	fc_famfs_close(fs);
	return rc;
}

int famfs_check(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
		struct json_object **report)
{
	struct json_object *r = NULL;
	int rc = famfs_check_media(lc, m, n, &r);

	/* the space files claim, also when the log is only repairable */
	if (rc >= 0 && r) {
		int space = famfs_check_space(lc, m, n, r);

		if (space < 0) {
			rc = space;
			json_object_object_add(r, "repairable", json_object_new_boolean(false));
		}
	}
	if (report)
		*report = r;
	else
		json_object_put(r);
	/* repairable is not clean: famfs's next append would damage it */
	return rc == FAMFS_CHECK_REPAIRABLE ? -EUCLEAN : rc;
}

const char *famfs_problem_code(enum famfs_problem p)
{
	static const char *const codes[] = {
#define FAMFS_PROBLEM_CODE(id, code, what) [FAMFS_P_##id] = code,
		FAMFS_PROBLEMS(FAMFS_PROBLEM_CODE)
#undef FAMFS_PROBLEM_CODE
	};

	return (unsigned int)p < ARRAY_SIZE(codes) ? codes[p] : "unknown";
}
