/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * famfs file systems over many members: format, check, and files
 * (mkdir, creat, read, write, attributes, directories) over member paths
 * or a named interleave set.
 *
 * Part of libfamfsctl's installed API; <famfsctl/libfamfsctl.h> includes
 * every part. Conventions are those of libfamfsctl.h.
 */
#ifndef FAMFSCTL_FAMFS_H
#define FAMFSCTL_FAMFS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uuid/uuid.h>
#include <famfsctl/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

struct json_object;

struct fc_famfs_format_opts {
	uint64_t log_len;   /* a power of two of at least 8 MiB (famfs's default: 8 MiB) */
	bool force;         /* overwrite members that already hold a superblock */
	uuid_t system_uuid; /* the master host: only it may add files */
	const uuid_t *tags; /* one per member: its identity (dev_uuid), e.g. its DCD tag */
};
/*
 * Format famfs over members given as paths (dax devices or files): paths[0]
 * becomes the primary (superblock + log), the rest secondaries named by
 * ADD_DAXDEV log entries. Writes are ordered so a crash leaves no file system
 * or a complete one. Refuses members that hold a superblock unless force,
 * members too small (primary 4 GiB), duplicate tags. fs_uuid may be NULL.
 */
int fc_famfs_format(struct fc_ctx *ctx, const char *const *paths, unsigned int n,
		    const struct fc_famfs_format_opts *opts, uuid_t fs_uuid);
/*
 * Check the file system whose primary is paths[0] (members in any order
 * after it): 0 clean, -ENOENT no file system on paths[0], -EUCLEAN damaged
 * (every problem logged). *report (may be NULL) receives a JSON description.
 */
int fc_famfs_check(struct fc_ctx *ctx, const char *const *paths, unsigned int n,
		   struct json_object **report);

/*
 * Files in a famfs over many members. Open with the members' paths (primary
 * first); pass this host's system uuid as `master` to add files (only the
 * master may: -EPERM otherwise), or NULL to read. Paths are relative to the
 * file system's root, at most 79 bytes; a file's parent directory must exist.
 */
struct fc_famfs;
struct fc_famfs_file_opts {
	uint64_t chunk;       /* stripe unit: power-of-two multiple of 2 MiB */
	unsigned int strips;  /* 1..16: members a file is striped over */
	uint32_t mode, uid, gid;
};
int fc_famfs_open(struct fc_ctx *ctx, const char *const *paths, unsigned int n,
		  const uuid_t master, struct fc_famfs **fs);
void fc_famfs_close(struct fc_famfs *fs);
int fc_famfs_mkdir(struct fc_famfs *fs, const char *path, uint32_t mode,
		   uint32_t uid, uint32_t gid);
/* Allocate and log a file: files of at most one chunk (or one strip) get one
 * simple extent on the least-used member; larger ones one interleaved extent
 * over `strips` distinct members, least used first. -ENOSPC "log full" or
 * when no room. */
int fc_famfs_creat(struct fc_famfs *fs, const char *path, uint64_t size,
		   const struct fc_famfs_file_opts *opts);
/* Does `path` exist: 0 with its size (files) or is_dir; -ENOENT; "/" is
 * the root directory. */
int fc_famfs_stat(struct fc_famfs *fs, const char *path, uint64_t *size, bool *is_dir);
/* A path's attributes as the log records them ("/" is the root). */
struct fc_famfs_stat {
	uint64_t size;
	bool is_dir;
	uint32_t mode, uid, gid;
};
int fc_famfs_getattr(struct fc_famfs *fs, const char *path, struct fc_famfs_stat *st);
/* Call fn for every entry directly in dir (a non-zero return stops). */
typedef int (*fc_famfs_dir_fn)(void *arg, const char *name, const struct fc_famfs_stat *st);
int fc_famfs_readdir(struct fc_famfs *fs, const char *dir, fc_famfs_dir_fn fn, void *arg);
/* Replay the log again: a client sees the master's new files. */
int fc_famfs_refresh(struct fc_famfs *fs);
/* The primary's superblock (log false) or log bytes, as famfs shows them in .meta. */
const void *fc_famfs_meta(struct fc_famfs *fs, bool log, size_t *len);
/* Opened as the master (may add files)? */
bool fc_famfs_is_master(struct fc_famfs *fs);
/* Bytes over all members, and allocated (superblocks, log, files). */
void fc_famfs_space(struct fc_famfs *fs, uint64_t *total, uint64_t *used);
/* The master's system uuid recorded in the superblock. */
int fc_famfs_system_uuid(struct fc_famfs *fs, uuid_t out);
/* Read/write a file's bytes inside its size, through its extent map. */
ssize_t fc_famfs_pread(struct fc_famfs *fs, const char *path, void *buf,
		       size_t len, uint64_t off);
ssize_t fc_famfs_pwrite(struct fc_famfs *fs, const char *path, const void *buf,
			size_t len, uint64_t off);
/*
 * The same over a named interleave set (famfsctl-interleave(1)): members
 * found on this host by tag, in set order; the first is the primary. A
 * format takes each member's tag as its identity (opts->tags is ignored).
 */
int fc_famfs_format_set(struct fc_ctx *ctx, const char *set,
			const struct fc_famfs_format_opts *opts, uuid_t fs_uuid);
int fc_famfs_check_set(struct fc_ctx *ctx, const char *set, struct json_object **report);
int fc_famfs_open_set(struct fc_ctx *ctx, const char *set, const uuid_t master,
		      struct fc_famfs **fs);
/*
 * The same by what famfsctl's command lines name (famfsctl-files(1)): an
 * interleave set's name, or the members' paths comma-separated, primary
 * first ("/dev/dax0.1,/dev/dax1.1"). A set needs the fabric selected that
 * finds its members (fc_set_fabric); paths need none.
 */
int fc_famfs_open_spec(struct fc_ctx *ctx, const char *spec, const uuid_t master,
		       struct fc_famfs **fs);
int fc_famfs_check_spec(struct fc_ctx *ctx, const char *spec, struct json_object **report);
/* Bytes allocated on the member with log index `index` (superblock and log included). */
uint64_t fc_famfs_member_used(struct fc_famfs *fs, unsigned int index);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_FAMFS_H */
