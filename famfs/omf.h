/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * famfs on-media format, version 48 / on-media format 2.2 (doc/famfs-format.md),
 * and version 49 / OMF 2.3 (famfs's multi-device Phase 2): the same log, a
 * superblock that puts the primary's identity under the CRC.
 * Native-endian x86_64 structs; every offset and size below is normative for
 * compatibility with famfs's own tools, and pinned with static assertions.
 *
 * Multi-device (famfs's roadmap, built here): the primary member holds the
 * superblock and the log; each further member is named by an ADD_DAXDEV log
 * entry (its size, its tag as uuid, a dense index; index 0 is the primary).
 * Every further member carries a secondary superblock: FAMFS_SB_SECONDARY,
 * its own tag as ts_dev_uuid, the file system's ts_uuid, log offset and
 * length 0, and the PRIMARY's tag in ts_daxdev.dd_uuid. That field is not
 * covered by the superblock CRC, so the primary's log (whose entries are)
 * is what confirms membership; the secondary's copy is how a member found
 * alone (udev, incremental assembly) names the file system's primary.
 */
#ifndef FC_FAMFS_OMF_H
#define FC_FAMFS_OMF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAMFS_SUPER_MAGIC 0x87b282ffULL
#define FAMFS_LOG_MAGIC 0xbadcafef00dULL
/* famfs checks ts_version for an exact match: 48 and 49 tools reject each
 * other's superblocks. Both are read here; 48 is written for one member
 * (what today's famfs mounts), 49 for several. */
#define FAMFS_VERSION_48 48
#define FAMFS_VERSION_49 49
#define FAMFS_CURRENT_VERSION FAMFS_VERSION_48
#define FAMFS_OMF_VER_MAJOR 2
#define FAMFS_OMF_VER_MINOR 2    /* version 48 */
#define FAMFS_OMF_VER_MINOR_49 3 /* version 49 */

#define FAMFS_SUPERBLOCK_SIZE (2ULL << 20) /* reserved at offset 0 */
#define FAMFS_LOG_OFFSET (2ULL << 20)
#define FAMFS_LOG_LEN_DEFAULT (8ULL << 20)  /* a power of two, >= 8 MiB */
#define FAMFS_ALLOC_UNIT (2ULL << 20)
#define FAMFS_PRIMARY_MIN_SIZE (4ULL << 30) /* famfs mkfs refuses smaller */

#define FAMFS_SB_PRIMARY 1
#define FAMFS_SB_SECONDARY 2

#define FAMFS_DEVNAME_LEN 64
#define FAMFS_MAX_PATHLEN 80
#define FAMFS_MAX_SIMPLE_EXTENTS 16
#define FAMFS_MAX_STRIPS 16

struct famfs_daxdev {
	uint64_t dd_size;
	uint8_t dd_uuid[16];
	char dd_daxdev[FAMFS_DEVNAME_LEN]; /* host-local path, informational */
};

struct famfs_superblock {
	uint64_t ts_magic;
	uint64_t ts_version;
	uint64_t ts_log_offset;
	uint64_t ts_log_len;
	uint64_t ts_alloc_unit;
	uint32_t ts_omf_ver_major;
	uint32_t ts_omf_ver_minor;
	uint8_t ts_uuid[16];        /* the file system */
	uint8_t ts_dev_uuid[16];    /* this member: its DCD tag */
	uint8_t ts_system_uuid[16]; /* the master host */
	uint64_t ts_crc;            /* crc32 over ts_magic..ts_system_uuid */
	uint32_t ts_sb_flags;
	uint32_t ts_pad;
	struct famfs_daxdev ts_daxdev;
};

/*
 * Version 49: ts_primary_dev_uuid at 96, before the CRC (which covers it),
 * the later fields moved by 16. A primary sets FAMFS_SB_PRIMARY and a zero
 * primary uuid; a secondary FAMFS_SB_SECONDARY, no log, and its primary's
 * ts_dev_uuid here. Everything before offset 96 is the same in both
 * versions, so struct famfs_superblock reads those fields of either; what
 * comes after goes through the famfs_sb_*() accessors below.
 */
struct famfs_superblock_v49 {
	uint64_t ts_magic;
	uint64_t ts_version;
	uint64_t ts_log_offset;
	uint64_t ts_log_len;
	uint64_t ts_alloc_unit;
	uint32_t ts_omf_ver_major;
	uint32_t ts_omf_ver_minor;
	uint8_t ts_uuid[16];
	uint8_t ts_dev_uuid[16];
	uint8_t ts_system_uuid[16];
	uint8_t ts_primary_dev_uuid[16]; /* zero on the primary */
	uint64_t ts_crc;                 /* crc32 over ts_magic..ts_primary_dev_uuid */
	uint32_t ts_sb_flags;
	uint32_t ts_pad;
	struct famfs_daxdev ts_daxdev;
};

/* The larger of the two: what a superblock buffer must hold. */
#define FAMFS_SB_MAX_BYTES sizeof(struct famfs_superblock_v49)

struct famfs_log_header {
	uint64_t famfs_log_magic;
	uint64_t famfs_log_len;
	uint64_t famfs_log_last_index; /* inclusive */
	uint64_t famfs_log_crc;        /* crc32 over magic, len, last_index */
	uint64_t famfs_log_next_seqnum;
	uint64_t famfs_log_next_index;
};

enum famfs_log_entry_type {
	FAMFS_LOG_FILE = 0,
	FAMFS_LOG_MKDIR = 1,
	FAMFS_LOG_DELETE = 2, /* defined, never written */
	FAMFS_LOG_ADD_DAXDEV = 3,
	FAMFS_LOG_INVALID = 4,
};

enum famfs_extent_type { FAMFS_EXT_SIMPLE = 0, FAMFS_EXT_INTERLEAVE = 1 };

struct famfs_simple_extent {
	uint64_t se_devindex;
	uint64_t se_offset;
	uint64_t se_len;
};

struct famfs_interleaved_ext {
	uint64_t ie_nstrips;
	uint64_t ie_chunk_size;
	struct famfs_simple_extent ie_strips[FAMFS_MAX_STRIPS];
};

struct famfs_log_fmap {
	uint32_t fmap_ext_type;
	uint32_t fmap_reserved;
	uint32_t fmap_count; /* simple extents, or 1 interleaved extent */
	uint32_t fmap_pad;
	union {
		struct famfs_simple_extent se[FAMFS_MAX_SIMPLE_EXTENTS];
		struct famfs_interleaved_ext ie;
	};
};

#define FAMFS_FILE_ALL_HOSTS_RO 1
#define FAMFS_FILE_ALL_HOSTS_RW 2

struct famfs_file_creation {
	uint64_t famfs_fc_size;
	uint32_t famfs_fc_flags;
	uint32_t famfs_fc_uid;
	uint32_t famfs_fc_gid;
	uint32_t famfs_fc_mode;
	char famfs_relpath[FAMFS_MAX_PATHLEN];
	struct famfs_log_fmap famfs_fc_fmap;
};

struct famfs_mkdir {
	uint32_t fc_uid;
	uint32_t fc_gid;
	uint32_t fc_mode;
	char famfs_relpath[FAMFS_MAX_PATHLEN];
};

struct famfs_add_daxdev {
	uint64_t dd_size;
	uint8_t dd_uuid[16];
	uint32_t dd_index;
};

struct famfs_log_entry {
	uint64_t famfs_log_entry_seqnum; /* equals the entry's slot index */
	uint32_t famfs_log_entry_type;
	uint32_t famfs_log_entry_pad;
	union {
		struct famfs_file_creation famfs_fc;
		struct famfs_mkdir famfs_md;
		struct famfs_add_daxdev famfs_dd;
		uint8_t famfs_payload[520];
	};
	uint64_t famfs_log_entry_crc; /* crc32 over bytes [0, 536) */
};

/* doc/famfs-format.md, every offset and size it names */
#define OMF_AT(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field)
OMF_AT(famfs_superblock, ts_magic, 0);
OMF_AT(famfs_superblock, ts_version, 8);
OMF_AT(famfs_superblock, ts_log_offset, 16);
OMF_AT(famfs_superblock, ts_log_len, 24);
OMF_AT(famfs_superblock, ts_alloc_unit, 32);
OMF_AT(famfs_superblock, ts_omf_ver_major, 40);
OMF_AT(famfs_superblock, ts_omf_ver_minor, 44);
OMF_AT(famfs_superblock, ts_uuid, 48);
OMF_AT(famfs_superblock, ts_dev_uuid, 64);
OMF_AT(famfs_superblock, ts_system_uuid, 80);
OMF_AT(famfs_superblock, ts_crc, 96);
OMF_AT(famfs_superblock, ts_sb_flags, 104);
OMF_AT(famfs_superblock, ts_daxdev.dd_size, 112);
OMF_AT(famfs_superblock, ts_daxdev.dd_uuid, 120);
OMF_AT(famfs_superblock, ts_daxdev.dd_daxdev, 136);
_Static_assert(sizeof(struct famfs_superblock) == 200, "superblock is 200 bytes");
OMF_AT(famfs_superblock_v49, ts_version, 8);
OMF_AT(famfs_superblock_v49, ts_log_offset, 16);
OMF_AT(famfs_superblock_v49, ts_uuid, 48);
OMF_AT(famfs_superblock_v49, ts_dev_uuid, 64);
OMF_AT(famfs_superblock_v49, ts_system_uuid, 80);
OMF_AT(famfs_superblock_v49, ts_primary_dev_uuid, 96);
OMF_AT(famfs_superblock_v49, ts_crc, 112);
OMF_AT(famfs_superblock_v49, ts_sb_flags, 120);
OMF_AT(famfs_superblock_v49, ts_daxdev.dd_size, 128);
OMF_AT(famfs_superblock_v49, ts_daxdev.dd_uuid, 136);
OMF_AT(famfs_superblock_v49, ts_daxdev.dd_daxdev, 152);
_Static_assert(sizeof(struct famfs_superblock_v49) == 216, "v49 superblock is 216 bytes");
OMF_AT(famfs_log_header, famfs_log_magic, 0);
OMF_AT(famfs_log_header, famfs_log_len, 8);
OMF_AT(famfs_log_header, famfs_log_last_index, 16);
OMF_AT(famfs_log_header, famfs_log_crc, 24);
OMF_AT(famfs_log_header, famfs_log_next_seqnum, 32);
OMF_AT(famfs_log_header, famfs_log_next_index, 40);
_Static_assert(sizeof(struct famfs_log_header) == 48, "log header is 48 bytes");
OMF_AT(famfs_log_entry, famfs_log_entry_seqnum, 0);
OMF_AT(famfs_log_entry, famfs_log_entry_type, 8);
OMF_AT(famfs_log_entry, famfs_fc, 16);
OMF_AT(famfs_log_entry, famfs_log_entry_crc, 536);
_Static_assert(sizeof(struct famfs_log_entry) == 544, "log entry is 544 bytes");
OMF_AT(famfs_file_creation, famfs_fc_size, 0);
OMF_AT(famfs_file_creation, famfs_fc_flags, 8);
OMF_AT(famfs_file_creation, famfs_fc_uid, 12);
OMF_AT(famfs_file_creation, famfs_fc_gid, 16);
OMF_AT(famfs_file_creation, famfs_fc_mode, 20);
OMF_AT(famfs_file_creation, famfs_relpath, 24);
OMF_AT(famfs_file_creation, famfs_fc_fmap, 104);
_Static_assert(sizeof(struct famfs_log_fmap) == 416, "fmap is 416 bytes");
_Static_assert(sizeof(struct famfs_file_creation) <= 520, "FILE payload fits");
OMF_AT(famfs_log_fmap, fmap_ext_type, 0);
OMF_AT(famfs_log_fmap, fmap_count, 8);
OMF_AT(famfs_log_fmap, se, 16);
OMF_AT(famfs_log_fmap, ie.ie_nstrips, 16);
OMF_AT(famfs_log_fmap, ie.ie_chunk_size, 24);
OMF_AT(famfs_log_fmap, ie.ie_strips, 32);
_Static_assert(sizeof(struct famfs_simple_extent) == 24, "simple extent is 24 bytes");
OMF_AT(famfs_mkdir, fc_uid, 0);
OMF_AT(famfs_mkdir, fc_gid, 4);
OMF_AT(famfs_mkdir, fc_mode, 8);
OMF_AT(famfs_mkdir, famfs_relpath, 12);
OMF_AT(famfs_add_daxdev, dd_size, 0);
OMF_AT(famfs_add_daxdev, dd_uuid, 8);
OMF_AT(famfs_add_daxdev, dd_index, 24);
#undef OMF_AT

/* Entries a log of `len` bytes holds: 15,420 for the default 8 MiB. */
static inline uint64_t famfs_log_entries(uint64_t len)
{
	return (len - sizeof(struct famfs_log_header)) / sizeof(struct famfs_log_entry);
}

/*
 * The version-dependent fields of a superblock of either version (the
 * caller checked ts_version is 48 or 49). The primary's identity a
 * secondary carries: version 49's CRC-covered ts_primary_dev_uuid, version
 * 48's uncovered ts_daxdev.dd_uuid.
 */
static inline bool famfs_sb_is_v49(const struct famfs_superblock *sb)
{
	return sb->ts_version == FAMFS_VERSION_49;
}

static inline uint64_t famfs_sb_size(const struct famfs_superblock *sb)
{
	return famfs_sb_is_v49(sb) ? sizeof(struct famfs_superblock_v49) :
				     sizeof(struct famfs_superblock);
}

static inline uint64_t *famfs_sb_crc_field(struct famfs_superblock *sb)
{
	return famfs_sb_is_v49(sb) ? &((struct famfs_superblock_v49 *)sb)->ts_crc : &sb->ts_crc;
}

static inline uint32_t famfs_sb_flags(const struct famfs_superblock *sb)
{
	return famfs_sb_is_v49(sb) ? ((const struct famfs_superblock_v49 *)sb)->ts_sb_flags :
				     sb->ts_sb_flags;
}

static inline struct famfs_daxdev *famfs_sb_daxdev(struct famfs_superblock *sb)
{
	return famfs_sb_is_v49(sb) ? &((struct famfs_superblock_v49 *)sb)->ts_daxdev :
				     &sb->ts_daxdev;
}

static inline const uint8_t *famfs_sb_primary_uuid(struct famfs_superblock *sb)
{
	return famfs_sb_is_v49(sb) ? ((struct famfs_superblock_v49 *)sb)->ts_primary_dev_uuid :
				     sb->ts_daxdev.dd_uuid;
}

/* CRCs (zlib crc32, seed 0) exactly as famfs computes them; the
 * superblock's by its version (48: magic..system_uuid, 49: through
 * ts_primary_dev_uuid). */
uint64_t famfs_superblock_crc(const struct famfs_superblock *sb);
uint64_t famfs_log_header_crc(const struct famfs_log_header *lh);
uint64_t famfs_log_entry_crc(const struct famfs_log_entry *le);

#endif /* FC_FAMFS_OMF_H */
