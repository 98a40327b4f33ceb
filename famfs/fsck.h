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
	X(MEMBER_IDENTITY, "member-identity", "a set member's superblock names another device: a foreign file system") \
	X(MEMBER_SIZE, "member-size", "a member is smaller than the log records")  \
	X(MEMBER_EXTRA, "member-extra", "a device given is not a member")          \
	X(EXTENT_OVERLAP, "extent-overlap", "a file's extents overlap another's or fall outside a member") \
	X(SB_VERSION_MIX, "sb-version-mix", "members' superblocks are of different famfs versions") \
	X(LOG_CUT_APPEND, "log-cut-append", "an append was cut before its commit: next_seqnum and next_index differ by one (repairable)") \
	X(SB_ALLOC_UNIT, "sb-alloc-unit", "a superblock's allocation unit is not famfs's 2 MiB") \
	X(SB_OMF_VERSION, "sb-omf-version", "a superblock's on-media format version is not one read here") \
	X(MEMBER_DUPLICATE, "member-duplicate", "one member (tag) is named at two indexes, or twice among the devices given") \
	X(MEMBER_LIMIT, "member-limit", "the log names more members than a file system has") \
	X(ENTRY_TYPE, "entry-type", "a committed log entry's type is not FILE, MKDIR or ADD_DAXDEV") \
	X(ENTRY_NAME, "entry-name", "a path is empty, lacks its NUL, is not a plain relative path or is the reserved .meta") \
	X(ENTRY_DUPLICATE, "entry-duplicate", "a second entry names a path that exists") \
	X(ENTRY_PARENT, "entry-parent", "a path's parent directory is not logged before it") \
	X(ENTRY_UNDER_FILE, "entry-under-file", "a path's parent is a file") \
	X(EXTENT_BOUNDS, "extent-bounds", "an extent names no member, is empty or unaligned, wraps 2^64 or ends past its member") \
	X(EXTENT_CHUNK, "extent-chunk", "an interleaved extent's chunk is 0 or not a power of two") \
	X(EXTENT_STRIP, "extent-strip", "an interleaved extent has no strips, more than 16, or a strip not a whole number of chunks") \
	X(FILE_SIZE, "file-size", "a file's size is beyond what its extents hold")

enum famfs_problem {
#define FAMFS_PROBLEM_ID(id, code, what) FAMFS_P_##id,
	FAMFS_PROBLEMS(FAMFS_PROBLEM_ID)
#undef FAMFS_PROBLEM_ID
	FAMFS_P_COUNT
};

/* The problem's stable code ("sb-crc"). */
const char *famfs_problem_code(enum famfs_problem p);

/* A finding about the log (entry checks, replay): its code and text. */
struct famfs_finding {
	enum famfs_problem code;
	char text[240];
};

#endif /* FAMFS_FSCK_H */
