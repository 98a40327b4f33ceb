// SPDX-License-Identifier: LGPL-2.1-only
/*
 * famfs's checksums (zlib crc32 over the fields famfs covers) and the crash
 * injection point the tests use.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "famfs/fs.h"

uint64_t famfs_superblock_crc(const struct famfs_superblock *sb)
{
	return crc32(0, (const Bytef *)sb, famfs_sb_is_v49(sb) ?
		     offsetof(struct famfs_superblock_v49, ts_crc) :
		     offsetof(struct famfs_superblock, ts_crc));
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
 * (format, append), or before the Nth reserved file is logged (commit).
 */
void famfs_fault_point(const char *op, unsigned int step)
{
	const char *f = getenv("FAMFSCTL_FAULT");
	size_t n = strlen(op);

	if (f && !strncmp(f, op, n) && f[n] == ':' && strtoul(f + n + 1, NULL, 10) == step)
		_exit(99);
}
