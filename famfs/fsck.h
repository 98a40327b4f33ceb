/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * fsck findings. Each has a stable code that the JSON report carries
 * ({"code": "sb-crc", "member": "dax0.1", "text": "..."}) so scripts and
 * tests match codes, not prose; famfsctl-fsck(1) lists them. A new kind of
 * damage gets a new code; a code's meaning never changes.
 */
#ifndef FAMFS_FSCK_H
#define FAMFS_FSCK_H

/* X(identifier, code, what it means) */
#define FAMFS_PROBLEMS(X)                                                          \
	X(SB_MISSING, "sb-missing", "a member named has no famfs superblock")      \
	X(SB_CRC, "sb-crc", "a superblock's CRC does not match its contents")      \
	X(SB_VERSION, "sb-version", "a superblock of a famfs version not read here") \
	X(SB_ROLE, "sb-role", "a superblock's primary/secondary role is not the one its place needs") \
	X(LOG_PLACEMENT, "log-placement", "the log does not fit the primary")      \
	X(LOG_HEADER, "log-header", "the log header is damaged")                   \
	X(LOG_ENTRY, "log-entry", "a committed log entry's seqnum or CRC is wrong") \
	X(MEMBER_INDEX, "member-index", "ADD_DAXDEV member indexes are not dense from 1") \
	X(MEMBER_MISSING, "member-missing", "a member the log names was not given") \
	X(MEMBER_FOREIGN, "member-foreign", "a member belongs to another file system") \
	X(MEMBER_SIZE, "member-size", "a member is smaller than the log records")  \
	X(MEMBER_EXTRA, "member-extra", "a device given is not a member")          \
	X(EXTENT_OVERLAP, "extent-overlap", "a file's extents overlap another's or fall outside a member") \
	X(SB_VERSION_MIX, "sb-version-mix", "members' superblocks are of different famfs versions") \
	X(LOG_CUT_APPEND, "log-cut-append", "an append was cut before its commit: next_seqnum and next_index differ by one (repairable)")

enum famfs_problem {
#define FAMFS_PROBLEM_ID(id, code, what) FAMFS_P_##id,
	FAMFS_PROBLEMS(FAMFS_PROBLEM_ID)
#undef FAMFS_PROBLEM_ID
	FAMFS_P_COUNT
};

/* The problem's stable code ("sb-crc"). */
const char *famfs_problem_code(enum famfs_problem p);

#endif /* FAMFS_FSCK_H */
