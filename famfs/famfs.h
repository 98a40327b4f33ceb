/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The famfs layer's interface to the library: format, check and open a
 * famfs over member media (famfs/media.h), logging through a log context
 * (util/log.h). It knows no CXL, fabric, interleave set, policy or library
 * context: the library finds the members and hands their media here. An
 * open file system is the installed API's struct fc_famfs, whose
 * operations (<famfsctl/famfs.h>) this layer implements.
 *
 * The on-media structs are famfs/omf.h.
 */
#ifndef FAMFS_FAMFS_H
#define FAMFS_FAMFS_H

#include <stdbool.h>
#include <stdint.h>
#include <uuid/uuid.h>
#include <famfsctl/ctx.h>

struct util_log_ctx;
struct fc_media;
struct fc_famfs;
struct json_object;

/* A secondary holds its superblock (2 MiB reserved) and at least one
 * allocation unit of data. */
#define FAMFS_SECONDARY_MIN_SIZE (4ULL << 20)
/* Members of one file system: the log's ADD_DAXDEV indexes are dense from
 * 0 (the primary) and the in-memory member table has FC_MAX_MEMBERS slots
 * (<famfsctl/ctx.h>: the one limit every layer uses). */

struct famfs_mkfs_opts {
	uint64_t log_len;   /* a power of two of at least 8 MiB */
	bool force;         /* overwrite members that already hold a superblock */
	uuid_t system_uuid; /* the master host: only it may add files */
	const uuid_t *tags; /* one per member: its identity (dev_uuid) */
	unsigned int version; /* 48 or 49; 0: 48 for one member, 49 for several */
	bool take_over;     /* with force: also another host's, or one mounted here */
	const char *name;   /* the set's name or the primary's path, for messages */
	const char *mounted_at; /* where it is mounted on this host, or NULL */
};

/* Format m[0] as primary and m[1..n-1] as secondaries (ordered writes);
 * fs_uuid (may be NULL) receives the new file system's uuid. */
int famfs_mkfs(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
	       const struct famfs_mkfs_opts *opts, uuid_t fs_uuid);
/*
 * Check the file system whose primary is m[0]: superblocks and log. Returns
 * 0 when clean, FAMFS_CHECK_REPAIRABLE when its only problems are what the
 * master's next writer (or fsck --repair) restores -- the files read fine --
 * -ENOENT when m[0] holds no file system, -EUCLEAN when anything else is
 * wrong (every problem logged and listed in the report).
 */
#define FAMFS_CHECK_REPAIRABLE 1
int famfs_check_media(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
		      struct json_object **report);
/*
 * Add a problem the caller found (one famfs cannot know of, such as a
 * set's member identities) to a famfs_check_media report: logged, listed
 * in its "problems", the report no longer "clean". Returns -EUCLEAN.
 */
int famfs_report_problem(struct util_log_ctx *lc, struct json_object *report, int code,
			 const struct fc_media *member, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* After a clean (or repairable) famfs_check_media: replay files into the free map; overlaps
 * are damage; adds used/free per member to the report. */
int famfs_check_space(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
		      struct json_object *report);
/* All of fsck: famfs_check_media, then famfs_check_space when clean or
 * repairable; a repairable file system is -EUCLEAN here (not clean), with
 * "repairable" true in the report. */
int famfs_check(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
		struct json_object **report);
/*
 * Open the file system on checked media. With `master` (this host's system
 * uuid) the caller may add files, and appends take an flock on lock_path
 * (NULL: the primary's own path). The file system keeps m[] (not the array)
 * and closes the media when owns_media. The log context must outlive it.
 */
int famfs_open(struct util_log_ctx *lc, struct fc_media **m, unsigned int n,
	       const uint8_t *master, const char *lock_path, struct fc_famfs **out);
/* The file system closes its media at fc_famfs_close(). */
void famfs_own_media(struct fc_famfs *fs);

/* FAMFSCTL_FAULT=OP:N: end the process before the Nth write step of OP
 * (format, append), as a power cut would; for crash tests. */
void famfs_fault_point(const char *op, unsigned int step);

#endif /* FAMFS_FAMFS_H */
