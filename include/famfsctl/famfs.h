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

/**
 * struct fc_famfs_format_opts - How fc_famfs_format() formats.
 * @log_len: bytes of log: a power of two of at least 8 MiB (famfs's
 *	default: 8 MiB).
 * @force: overwrite members that already hold a superblock.
 * @system_uuid: the master host's system uuid: only it may add files.
 * @tags: one per member, in member order: its identity (dev_uuid), e.g.
 *	its DCD tag; distinct. Ignored by fc_famfs_format_set().
 * @version: the famfs on-media version: 48 (OMF 2.2, what today's famfs
 *	mounts) or 49 (OMF 2.3, famfs's multi-device format: the primary's
 *	identity under each secondary's CRC); 0 picks 48 for one member and
 *	49 for several. 48 over several members only with @force.
 * @take_over: with @force, overwrite also a file system whose master is
 *	another host (a superblock's system uuid that is not @system_uuid),
 *	or one mounted on this host. Zero-initialise the struct: a field
 *	added later is then off.
 */
struct fc_famfs_format_opts {
	uint64_t log_len;   /* a power of two of at least 8 MiB (famfs's default: 8 MiB) */
	bool force;         /* overwrite members that already hold a superblock */
	uuid_t system_uuid; /* the master host: only it may add files */
	const uuid_t *tags; /* one per member: its identity (dev_uuid), e.g. its DCD tag */
	/* famfs on-media version: 48 (OMF 2.2, what today's famfs mounts) or
	 * 49 (OMF 2.3, famfs's multi-device format: the primary's identity
	 * under each secondary's CRC); 0 picks 48 for one member and 49 for
	 * several. 48 over several members is refused unless force. */
	unsigned int version;
	/* with force: also another host's file system, or one mounted here */
	bool take_over;
};
/**
 * fc_famfs_format() - Format famfs over members given as paths.
 * @ctx: the context.
 * @paths: the members, dax devices or files, mapped read-write: paths[0]
 *	becomes the primary (superblock and log), the rest secondaries named
 *	by ADD_DAXDEV log entries, in this order.
 * @n: members, 1..255.
 * @opts: log size, force, the master's system uuid, the members' tags.
 * @fs_uuid: receives the new file system's uuid; may be NULL.
 *
 * Writes are ordered, each flushed from the CPU caches before the next, so
 * a crash leaves no file system or a complete one: every old superblock
 * cleared (primary first), the log, the secondary superblocks, the primary
 * superblock last.
 *
 * Return: 0; -EINVAL for a member count or log size out of range, two
 * members with the same tag, a version other than 0, 48 or 49, or version
 * 48 over several members without @opts->force; -ENOSPC for a member too small (a primary
 * under 4 GiB or without room for the log, a secondary under 4 MiB);
 * -EEXIST when a member holds a superblock and not @opts->force; -EPERM
 * when a member's superblock names another master host, -EBUSY when the
 * file system is mounted on this host, both unless @opts->take_over; or the
 * error opening or mapping a path (each logged).
 */
int fc_famfs_format(struct fc_ctx *ctx, const char *const *paths, unsigned int n,
		    const struct fc_famfs_format_opts *opts, uuid_t fs_uuid);
/**
 * fc_famfs_check() - Check a famfs over members given as paths.
 * @ctx: the context.
 * @paths: the members, mapped read-only: paths[0] the primary, the others
 *	in any order (matched to the log's ADD_DAXDEV entries by tag).
 * @n: members, at least 1.
 * @report: receives a JSON description (the caller puts it) whenever the
 *	members could be opened, damaged or not: uuid, system_uuid,
 *	log_len, log_entries_used, log_entries, members (index, device, tag,
 *	size, role, used, free), problems, clean, version (48 or 49),
 *	repairable. Each problem is {code, member, text}: a stable code
 *	("sb-crc"; famfsctl-fsck(1) lists them), the member's device (null:
 *	the whole file system) and a text for people; a repairable one also
 *	"repair", what fc_famfs_repair() would do. May be NULL.
 *
 * Superblocks, the log header and entries, each member's place, and the
 * space files take (no two files share space, none falls outside a
 * member). Nothing is written.
 *
 * Return: 0 when clean; -ENOENT when paths[0] holds no file system;
 * -EUCLEAN when it is damaged, or only repairable (an append a crash cut:
 * the files read fine, but famfs's next append would damage the log;
 * "repairable" in the report, see fc_famfs_repair()) (every problem logged
 * and listed in the report); -EINVAL when @n is 0; or the error opening or
 * mapping a path.
 */
int fc_famfs_check(struct fc_ctx *ctx, const char *const *paths, unsigned int n,
		   struct json_object **report);

/*
 * Files in a famfs over many members. Open with the members' paths (primary
 * first); pass this host's system uuid as `master` to add files (only the
 * master may), or NULL to read. Paths are relative to the file system's
 * root ("/" alone is the root), at most 79 bytes; a file's parent
 * directory must exist. Space is never freed inside a file system.
 *
 * Threads: one struct fc_famfs may be used by several threads at once,
 * except that fc_famfs_close() must be the last call. Look-ups, attributes,
 * readdir and fc_famfs_space() share a lock that fc_famfs_refresh() and the
 * index update of mkdir/creat take exclusively, only while the index
 * changes; writers of the log (mkdir, creat, a batch) are serialised among
 * this process's threads and, by flock, with other processes. Data I/O by
 * id (fc_famfs_pread_id(), fc_famfs_pwrite_id(), fc_famfs_iov()) takes no
 * lock: a committed log entry never changes, and an id names one entry for
 * the file system's life. Writers of one file's bytes coordinate among
 * themselves (famfs has no byte-range locks).
 */
struct fc_famfs;
/* Strips a file is striped over, at most (famfs's interleaved extent). */
#define FC_MAX_STRIPS 16
/**
 * struct fc_famfs_file_opts - How fc_famfs_creat() lays a file out.
 * @chunk: the stripe unit: a power-of-two multiple of 2 MiB.
 * @strips: 1..FC_MAX_STRIPS (16): members a file is striped over (a file system with
 *	fewer members stripes over all of them).
 * @mode: the file's mode, as recorded in the log.
 * @uid: its owner.
 * @gid: its group.
 */
struct fc_famfs_file_opts {
	uint64_t chunk;       /* stripe unit: power-of-two multiple of 2 MiB */
	unsigned int strips;  /* 1..16: members a file is striped over */
	uint32_t mode, uid, gid;
};
/**
 * fc_famfs_open() - Open a famfs over members given as paths, for files.
 * @ctx: the context.
 * @paths: the members: paths[0] the primary, the others in any order.
 * @n: members, 1..255.
 * @master: this host's system uuid, to add files: the members are mapped
 *	read-write and the uuid must be the one the superblock records. NULL:
 *	read-only.
 * @fs: receives the file system, for fc_famfs_close().
 *
 * The file system must check clean (fc_famfs_check()); its log is replayed
 * into the free-space map. A master takes an exclusive flock(2) on the
 * primary's path around each change, so writers of one log take turns.
 *
 * Return: 0; -EINVAL when @n is out of range; -ENOENT when paths[0] holds
 * no file system; -EUCLEAN when it is damaged; -EPERM when @master is not
 * the file system's master; -ENOMEM; or the error opening or mapping a
 * path (each logged).
 */
int fc_famfs_open(struct fc_ctx *ctx, const char *const *paths, unsigned int n,
		  const uuid_t master, struct fc_famfs **fs);
/**
 * fc_famfs_close() - Close a file system opened for files.
 * @fs: from fc_famfs_open() or fc_famfs_open_set(), or NULL (nothing
 *	happens).
 *
 * Unmaps its members and drops its log lock; pointers fc_famfs_meta()
 * returned are invalid afterwards.
 */
void fc_famfs_close(struct fc_famfs *fs);
/**
 * fc_famfs_mkdir() - Make a directory.
 * @fs: a file system opened as the master.
 * @path: the new directory, relative to the root.
 * @mode: its mode, as recorded in the log.
 * @uid: its owner.
 * @gid: its group.
 *
 * Appends a MKDIR entry to the log, under the log lock (what another
 * writer appended meanwhile is replayed first).
 *
 * Return: 0; -EINVAL when @path is the root or not a plain relative path
 * (a "." or ".." component, the final one included; an empty component; the
 * reserved top-level ".meta"); -ENAMETOOLONG when it is longer than 79
 * bytes; -EROFS when @fs is read-only; -EEXIST when @path exists; -ENOENT
 * when its parent directory does not (or is a file); -ENOSPC when the log
 * is full; -EUCLEAN when what another writer appended is damaged (nothing
 * is appended then). Every failure is logged.
 */
int fc_famfs_mkdir(struct fc_famfs *fs, const char *path, uint32_t mode,
		   uint32_t uid, uint32_t gid);
/**
 * fc_famfs_creat() - Allocate and log a file.
 * @fs: a file system opened as the master.
 * @path: the new file, relative to the root.
 * @size: its size in bytes, fixed from now on; 0 is an empty file (it
 *	keeps one allocation unit, so it has an extent map like any other,
 *	and reads back 0 bytes).
 * @opts: chunk, strips, mode, uid, gid.
 *
 * A file of at most one chunk (or with one strip) gets one simple extent on
 * the least-used member that has room; a larger one an interleaved extent
 * over @opts->strips distinct members, least used first, each strip an
 * equal whole number of chunks. Appended to the log under the log lock, as
 * for fc_famfs_mkdir().
 *
 * Return: 0; -EINVAL for a bad chunk or strips, or a bad path; -EFBIG
 * when @size rounded up to whole 2 MiB units (or whole stripes) passes
 * 2^64 bytes; -ENAMETOOLONG, -EROFS, -EEXIST, -ENOENT, -EUCLEAN as for
 * fc_famfs_mkdir(); -ENOSPC when there is no room ("log full", or not
 * enough free space on enough members). A failed call logs nothing to the
 * file system, and says why.
 */
int fc_famfs_creat(struct fc_famfs *fs, const char *path, uint64_t size,
		   const struct fc_famfs_file_opts *opts);
/**
 * fc_famfs_stat() - Does a path exist?
 * @fs: a file system opened for files.
 * @path: relative to the root; "/" is the root directory.
 * @size: receives a file's size (0 for a directory).
 * @is_dir: receives whether @path is a directory.
 *
 * Return: 0; -ENOENT when @path does not exist; -EINVAL when it is not a
 * plain relative path (or is longer than 79 bytes).
 */
int fc_famfs_stat(struct fc_famfs *fs, const char *path, uint64_t *size, bool *is_dir);
/**
 * struct fc_famfs_stat - A path's attributes as the log records them.
 * @size: a file's size in bytes (0 for a directory).
 * @is_dir: a directory.
 * @mode: the mode given at creation (the root's: 0755).
 * @uid: the owner given at creation (the root's: 0).
 * @gid: the group given at creation (the root's: 0).
 */
struct fc_famfs_stat {
	uint64_t size;
	bool is_dir;
	uint32_t mode, uid, gid;
};
/**
 * fc_famfs_getattr() - A path's attributes.
 * @fs: a file system opened for files.
 * @path: relative to the root (leading '/' ignored); "/" is the root.
 * @st: receives the attributes.
 *
 * Return: 0; -ENOENT when @path does not exist; -ENAMETOOLONG when it is
 * longer than 79 bytes.
 */
int fc_famfs_getattr(struct fc_famfs *fs, const char *path, struct fc_famfs_stat *st);
/**
 * typedef fc_famfs_dir_fn - Called by fc_famfs_readdir() for each entry.
 * @arg: the caller's argument to fc_famfs_readdir().
 * @name: the entry's name (no '/'), valid during the call.
 * @st: its attributes, valid during the call.
 *
 * Return: 0 to go on; anything else stops the listing, and
 * fc_famfs_readdir() returns it.
 */
typedef int (*fc_famfs_dir_fn)(void *arg, const char *name, const struct fc_famfs_stat *st);
/**
 * fc_famfs_readdir() - List a directory.
 * @fs: a file system opened for files.
 * @dir: the directory, relative to the root; "/" is the root.
 * @fn: called for every entry directly in @dir, in log order.
 * @arg: passed to @fn.
 *
 * Return: 0; what @fn returned when it stopped the listing; -ENOENT when
 * @dir does not exist; -ENOTDIR when it is a file.
 */
int fc_famfs_readdir(struct fc_famfs *fs, const char *dir, fc_famfs_dir_fn fn, void *arg);
/**
 * fc_famfs_refresh() - Replay the log again.
 * @fs: a file system opened for files.
 *
 * Checks and replays the entries appended since the last replay, as
 * fc_famfs_check() would, so a client sees the files the master added since
 * it opened. Entries replayed before are served from the copy checked then.
 *
 * Return: 0, or -EUCLEAN when the log header or an appended entry is damaged
 * (logged); @fs then keeps serving the state of the last good replay.
 */
int fc_famfs_refresh(struct fc_famfs *fs);
/**
 * fc_famfs_meta() - The primary's metadata bytes, as famfs shows them in .meta.
 * @fs: a file system opened for files.
 * @log: false for the superblock, true for the log.
 * @len: receives their length (the superblock's size, or the log's).
 *
 * The CPU caches over them are invalidated first, so the bytes are what
 * the media holds now.
 *
 * Return: the bytes, inside the primary's mapping: read-only for the
 * caller, valid until fc_famfs_close().
 */
const void *fc_famfs_meta(struct fc_famfs *fs, bool log, size_t *len);
/**
 * fc_famfs_is_master() - Was the file system opened as the master?
 * @fs: a file system opened for files.
 *
 * Return: true when opened with the master's system uuid (it may add
 * files), false when opened read-only.
 */
bool fc_famfs_is_master(struct fc_famfs *fs);
/**
 * fc_famfs_space() - Space over all members.
 * @fs: a file system opened for files.
 * @total: receives the bytes of all members (in whole 2 MiB allocation
 *	units).
 * @used: receives the bytes allocated: superblocks, the log, files (as of
 *	the last replay or change).
 */
void fc_famfs_space(struct fc_famfs *fs, uint64_t *total, uint64_t *used);
/**
 * fc_famfs_version() - The file system's famfs on-media version.
 * @fs: a file system opened for files.
 *
 * Return: 48 (OMF 2.2, what today's famfs mounts) or 49 (OMF 2.3, famfs's
 * multi-device format).
 */
unsigned int fc_famfs_version(struct fc_famfs *fs);
/**
 * fc_famfs_system_uuid() - The master's system uuid.
 * @fs: a file system opened for files.
 * @out: receives the system uuid the superblock records.
 *
 * Return: 0.
 */
int fc_famfs_system_uuid(struct fc_famfs *fs, uuid_t out);
/**
 * fc_famfs_pread() - Read a file's bytes.
 * @fs: a file system opened for files.
 * @path: the file, relative to the root.
 * @buf: where to read to.
 * @len: bytes wanted.
 * @off: offset in the file.
 *
 * Through the file's extent map, inside its size, the CPU caches
 * invalidated before each read.
 *
 * Return: bytes read (fewer at the end of the file, 0 at or past it);
 * -ENOENT when @path is not a file; -EINVAL or -ENAMETOOLONG for a bad
 * path; -EUCLEAN when the extent map points outside a member.
 */
ssize_t fc_famfs_pread(struct fc_famfs *fs, const char *path, void *buf,
		       size_t len, uint64_t off);
/**
 * fc_famfs_pwrite() - Write a file's bytes.
 * @fs: a file system opened as the master.
 * @path: the file, relative to the root.
 * @buf: the bytes.
 * @len: how many.
 * @off: offset in the file.
 *
 * Through the file's extent map, inside its size (a file never grows),
 * each write flushed from the CPU caches.
 *
 * Return: bytes written (fewer at the end of the file, 0 at or past it);
 * -EROFS when @fs is read-only; otherwise as for fc_famfs_pread().
 */
ssize_t fc_famfs_pwrite(struct fc_famfs *fs, const char *path, const void *buf,
			size_t len, uint64_t off);
/**
 * fc_famfs_format_set() - Format famfs over a named interleave set.
 * @ctx: the context.
 * @set: the set's name (famfsctl-interleave(1)).
 * @opts: as for fc_famfs_format(), but @opts->tags is ignored: each
 *	member's tag is its identity.
 * @fs_uuid: receives the new file system's uuid; may be NULL.
 *
 * The members are found on this host by tag and mapped in set order; the
 * first is the primary. Refreshes the topology: pointers obtained before
 * are invalid afterwards.
 *
 * Return: 0; -EINVAL for a bad set name or a damaged set record; -ENOENT
 * when there is no such set, or a member has no dax device on this host;
 * the error mapping a member's dax device (fc_dax_dev_open_media());
 * otherwise as for fc_famfs_format().
 */
int fc_famfs_format_set(struct fc_ctx *ctx, const char *set,
			const struct fc_famfs_format_opts *opts, uuid_t fs_uuid);
/**
 * fc_famfs_check_set() - Check a famfs over a named interleave set.
 * @ctx: the context.
 * @set: the set's name.
 * @report: as for fc_famfs_check(); may be NULL.
 *
 * The members are found on this host by tag and mapped read-only, in set
 * order; the first is the primary. Refreshes the topology.
 *
 * Return: as for fc_famfs_check(), and the set errors of
 * fc_famfs_format_set().
 */
int fc_famfs_check_set(struct fc_ctx *ctx, const char *set, struct json_object **report);
/**
 * fc_famfs_open_set() - Open a famfs over a named interleave set, for files.
 * @ctx: the context.
 * @set: the set's name.
 * @master: as for fc_famfs_open().
 * @fs: receives the file system, for fc_famfs_close().
 *
 * The members are found on this host by tag (refreshing the topology),
 * in set order; the first is the primary. A master's log lock is
 * famfs-log-TAG.lock (TAG the primary's) in this host's run directory, as
 * dax devices have no path to lock.
 *
 * Return: as for fc_famfs_open(), and the set errors of
 * fc_famfs_format_set().
 */
int fc_famfs_open_set(struct fc_ctx *ctx, const char *set, const uuid_t master,
		      struct fc_famfs **fs);
/**
 * fc_famfs_open_spec() - Open a famfs by what a command line names, for files.
 * @ctx: the context.
 * @spec: an interleave set's name (non-empty, under 64 bytes, without
 *	'/', ',', '=' or ':'), or the members' paths comma-separated, primary
 *	first ("/dev/dax0.1,/dev/dax1.1"; "./img" for a file here), as
 *	famfsctl-files(1) takes them.
 * @master: as for fc_famfs_open().
 * @fs: receives the file system, for fc_famfs_close().
 *
 * A set needs the fabric selected that finds its members (fc_set_fabric());
 * paths need none.
 *
 * Return: as for fc_famfs_open_set() or fc_famfs_open(); -EINVAL for
 * paths that do not split (an empty member, "a,,b") or that give a
 * member's tag (PATH=TAG: the superblocks hold the identities); -ENOMEM.
 */
int fc_famfs_open_spec(struct fc_ctx *ctx, const char *spec, const uuid_t master,
		       struct fc_famfs **fs);
/**
 * fc_famfs_check_spec() - Check a famfs by what a command line names.
 * @ctx: the context.
 * @spec: an interleave set's name or the members' paths, as for
 *	fc_famfs_open_spec().
 * @report: as for fc_famfs_check(); may be NULL.
 *
 * Return: as for fc_famfs_check_set() or fc_famfs_check(), and the @spec
 * errors of fc_famfs_open_spec().
 */
int fc_famfs_check_spec(struct fc_ctx *ctx, const char *spec, struct json_object **report);
/**
 * fc_famfs_repair() - Restore what a crash left repairable.
 * @ctx: the context.
 * @paths: the members: paths[0] the primary, the others in any order.
 * @n: members, at least 1.
 * @master: this host's system uuid, to write the repair; NULL for a dry
 *	run.
 * @report: receives the check report, as for fc_famfs_check(), with
 *	repaired (and repairs, what was restored); may be NULL.
 *
 * The only repairable state is an append cut between its two log header
 * stores (finding "log-cut-append"): next_seqnum and next_index one apart.
 * famfsctl reads such a log fine, but famfs stamps its next entry from
 * next_seqnum and would call that entry damaged; the repair sets
 * next_seqnum to next_index (rolling back an append cut before its commit).
 * Without @master nothing is written and each repairable problem in the
 * report says what the repair would do. With it (only the file system's
 * master writes) the repair is written under the log's writer lock and the
 * file system checked again; the report's "repaired" says whether it was.
 * Damage beyond repair is never touched.
 *
 * Return: 0 when clean (after the repair), -EUCLEAN when not (dry run, or
 * damage), -EPERM when @master is not the file system's, -ENOENT when no
 * file system, or another negative errno.
 */
int fc_famfs_repair(struct fc_ctx *ctx, const char *const *paths, unsigned int n,
		    const uuid_t master, struct json_object **report);
/**
 * fc_famfs_repair_spec() - fc_famfs_repair() by what a command line names.
 * @ctx: the context.
 * @spec: an interleave set's name, or member paths comma-separated, primary
 *	first, as for fc_famfs_open_spec().
 * @master: this host's system uuid, to write the repair; NULL for a dry
 *	run.
 * @report: as for fc_famfs_repair(); may be NULL.
 *
 * Return: as fc_famfs_repair().
 */
int fc_famfs_repair_spec(struct fc_ctx *ctx, const char *spec, const uuid_t master,
			 struct json_object **report);
/**
 * fc_famfs_member_used() - Bytes allocated on one member.
 * @fs: a file system opened for files.
 * @index: the member's log index (0: the primary).
 *
 * Return: bytes allocated on it, superblock and log included (as of the
 * last replay or change); 0 for an index past the last member.
 */
uint64_t fc_famfs_member_used(struct fc_famfs *fs, unsigned int index);

/*
 * Files and directories by id, for a server (a mount) that looks up each
 * name once: an id is a log entry's index + 1, stable for the file
 * system's life (the log only grows); the root is FC_FAMFS_ROOT. Ids come
 * from the path index, never from a scan of the log.
 */
#define FC_FAMFS_ROOT 0
struct iovec;
/**
 * fc_famfs_resolve() - the id and attributes of a path
 * @fs: the file system
 * @path: a path below the root ("/" or "" is the root)
 * @id: set to the path's id
 * @st: set to its attributes (may be NULL)
 *
 * Return: 0, -ENOENT when no entry names it (replay with fc_famfs_refresh()
 * to see other writers' entries), -ENAMETOOLONG.
 */
int fc_famfs_resolve(struct fc_famfs *fs, const char *path, uint64_t *id,
		     struct fc_famfs_stat *st);
/**
 * fc_famfs_lookup() - the id and attributes of a name in a directory
 * @fs: the file system
 * @dir: the directory's id
 * @name: one path component
 * @id: set to the entry's id
 * @st: set to its attributes (may be NULL)
 *
 * Return: 0, -ENOENT, -ENOTDIR when @dir is a file, -EINVAL for an empty
 * name or one with '/', -ENAMETOOLONG.
 */
int fc_famfs_lookup(struct fc_famfs *fs, uint64_t dir, const char *name,
		    uint64_t *id, struct fc_famfs_stat *st);
/**
 * fc_famfs_stat_id() - the attributes of an id
 * @fs: the file system
 * @id: a file's or directory's id
 * @st: set to its attributes
 *
 * Return: 0, or -ENOENT for an id no replayed entry has.
 */
int fc_famfs_stat_id(struct fc_famfs *fs, uint64_t id, struct fc_famfs_stat *st);
/**
 * fc_famfs_path_id() - the path of an id, below the root without a leading '/'
 * @fs: the file system
 * @id: a file's or directory's id ("" for FC_FAMFS_ROOT)
 * @buf: where to
 * @len: room in @buf (80 is always enough)
 *
 * Return: 0, -ENOENT, -ENAMETOOLONG when @buf is too small.
 */
int fc_famfs_path_id(struct fc_famfs *fs, uint64_t id, char *buf, size_t len);
/**
 * typedef fc_famfs_dirent_fn - Called by fc_famfs_readdir_id() for each entry.
 * @arg: the caller's argument to fc_famfs_readdir_id().
 * @name: the entry's name (no '/'), valid during the call.
 * @id: the entry's id.
 * @st: its attributes, valid during the call.
 *
 * Return: 0 to go on; anything else stops the walk before the position
 * moves past this entry, and fc_famfs_readdir_id() returns it.
 */
typedef int (*fc_famfs_dirent_fn)(void *arg, const char *name, uint64_t id,
				  const struct fc_famfs_stat *st);
/**
 * fc_famfs_readdir_id() - walk a directory's entries from a position
 * @fs: the file system
 * @dir: the directory's id
 * @pos: 0 to start; after each entry @fn accepts (returns 0), that entry's id
 * @fn: called per entry in log order, without the library's lock held; a
 *	non-zero return stops the walk before @pos moves past that entry
 * @arg: passed to @fn
 *
 * Entries appended later appear at the end, so a walk resumed at @pos
 * neither repeats nor skips one.
 *
 * Return: 0 at the end, @fn's non-zero value, -ENOENT, -ENOTDIR, or -EINVAL
 * for a @pos that is no entry.
 */
int fc_famfs_readdir_id(struct fc_famfs *fs, uint64_t dir, uint64_t *pos,
			fc_famfs_dirent_fn fn, void *arg);
/**
 * fc_famfs_pread_id() - read a file's bytes by id
 * @fs: the file system
 * @id: the file's id
 * @buf: where to
 * @len: at most this many bytes
 * @off: from this offset
 *
 * Return: bytes read (0 at or past the end), -ENOENT, -EISDIR, -EUCLEAN
 * for an extent outside its member.
 */
ssize_t fc_famfs_pread_id(struct fc_famfs *fs, uint64_t id, void *buf, size_t len,
			  uint64_t off);
/**
 * fc_famfs_pwrite_id() - write a file's bytes by id, inside its size
 * @fs: the file system, opened as master
 * @id: the file's id
 * @buf: the bytes
 * @len: at most this many (the file's size is fixed: the rest is cut off)
 * @off: at this offset
 *
 * The bytes are flushed from the CPU caches before it returns.
 *
 * Return: bytes written, -EROFS when not the master, -ENOENT, -EISDIR.
 */
ssize_t fc_famfs_pwrite_id(struct fc_famfs *fs, uint64_t id, const void *buf,
			   size_t len, uint64_t off);
/**
 * fc_famfs_iov() - where a file's bytes are, in the members' mappings
 * @fs: the file system
 * @id: the file's id
 * @off: from this offset
 * @len: at most this many bytes (cut at the file's size)
 * @iov: filled with up to @max pieces, in file order
 * @max: room in @iov
 * @for_read: invalidate the pieces' cache lines first, so the caller's
 *	loads see other hosts' flushed stores (a reader sending them on, e.g.
 *	as a FUSE reply, copies them once)
 *
 * Without @for_read the master may write the pieces itself (e.g. read(2)
 * a source file straight into them, one copy instead of two) and must then
 * call fc_famfs_flush_iov() before the bytes count as written.
 *
 * Return: the number of pieces (0 at or past the end), -ENOENT, -EISDIR,
 * -EROFS (not for_read and not the master), -EUCLEAN.
 */
int fc_famfs_iov(struct fc_famfs *fs, uint64_t id, uint64_t off, size_t len,
		 struct iovec *iov, unsigned int max, bool for_read);
/**
 * fc_famfs_flush_iov() - write pieces the caller wrote back from the CPU caches
 * @iov: pieces fc_famfs_iov() gave for writing
 * @n: how many
 *
 * After it returns, other hosts' loads (after their invalidation) see them.
 */
void fc_famfs_flush_iov(const struct iovec *iov, unsigned int n);
/**
 * fc_famfs_batch_begin() - hold the log's writer lock across many appends
 * @fs: the file system, opened as master
 *
 * Until fc_famfs_batch_end(), this thread's fc_famfs_mkdir() and
 * fc_famfs_creat() append without taking and dropping the lock each time;
 * every entry is still checksummed, flushed and committed in order, so a
 * crash leaves a prefix. Other writers (threads or processes) wait; readers
 * do not. Keep batches short.
 *
 * Return: 0, -EROFS when not the master, -EBUSY inside a batch already.
 */
int fc_famfs_batch_begin(struct fc_famfs *fs);
/**
 * fc_famfs_batch_end() - release the writer lock fc_famfs_batch_begin() took
 * @fs: the file system
 *
 * Space still reserved (fc_famfs_reserve()) and not committed is freed.
 */
void fc_famfs_batch_end(struct fc_famfs *fs);
/*
 * A file placed but not logged yet: its bytes are written first, then
 * fc_famfs_commit() logs it, so a reader or a crash never finds a file
 * whose bytes are not all there. Until then it is this process's only:
 * no other host, reader or look-up sees it, and a crash leaves its space
 * free again.
 */
struct fc_famfs_pending;
/**
 * fc_famfs_reserve() - place a new file's space without logging it
 * @fs: the file system, inside this thread's batch (fc_famfs_batch_begin()),
 *	which keeps other writers from allocating the same space
 * @path: the new file, relative to the root
 * @size: its size, as for fc_famfs_creat()
 * @opts: its layout and attributes, as for fc_famfs_creat()
 * @out: the reservation, for fc_famfs_pending_iov(), fc_famfs_commit() or
 *	fc_famfs_unreserve()
 *
 * The space is taken from the free map at once, as fc_famfs_creat() would
 * take it; the parent directory is checked at the commit (it may be logged
 * by the same batch meanwhile).
 *
 * Return: 0; -EPERM outside this thread's batch; -EEXIST when @path is
 * logged already; -EINVAL, -EFBIG, -ENAMETOOLONG, -ENOSPC, -EUCLEAN as for
 * fc_famfs_creat(); -ENOMEM. Every failure is logged.
 */
int fc_famfs_reserve(struct fc_famfs *fs, const char *path, uint64_t size,
		     const struct fc_famfs_file_opts *opts, struct fc_famfs_pending **out);
/**
 * fc_famfs_pending_iov() - where a reserved file's bytes go, for writing
 * @fs: the file system
 * @p: the reservation
 * @off: file offset
 * @len: bytes wanted
 * @iov: filled with pieces in the members' mappings
 * @max: room in @iov
 *
 * As fc_famfs_iov() for writing; flush what was written with
 * fc_famfs_flush_iov() before fc_famfs_commit().
 *
 * Return: the number of pieces (0 at or past the end), -EUCLEAN.
 */
int fc_famfs_pending_iov(struct fc_famfs *fs, const struct fc_famfs_pending *p,
			 uint64_t off, size_t len, struct iovec *iov, unsigned int max);
/**
 * fc_famfs_commit() - log a reserved file
 * @fs: the file system, inside the batch that reserved @p
 * @p: the reservation; freed, whatever the result
 * @id: set to the new file's id (as fc_famfs_resolve() gives), or NULL
 *
 * Appends its FILE entry (checksummed, flushed, committed in order). The
 * caller has written and flushed the bytes it wants the file to hold.
 *
 * Return: 0; -EPERM when @p is not a reservation of this batch; -EEXIST,
 * -ENOENT (the parent is not a logged directory), -ENOSPC (log full),
 * -EUCLEAN as for fc_famfs_creat(): the space is freed again then.
 */
int fc_famfs_commit(struct fc_famfs *fs, struct fc_famfs_pending *p, uint64_t *id);
/**
 * fc_famfs_unreserve() - give a reserved file's space back, logging nothing
 * @fs: the file system
 * @p: the reservation (freed), or NULL
 */
void fc_famfs_unreserve(struct fc_famfs *fs, struct fc_famfs_pending *p);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_FAMFS_H */
