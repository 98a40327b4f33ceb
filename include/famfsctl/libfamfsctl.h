/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libfamfsctl: the public interface of famfsctl's engine.
 *
 * Conventions (the same as libcxl and libdaxctl):
 *  - one opaque, refcounted context (fc_new / fc_ref / fc_unref);
 *  - objects are owned by the context and reached with *_get_first /
 *    *_get_next iterators, wrapped by *_foreach macros;
 *  - every operation returns 0 or a negative errno and logs why through the
 *    context's log function.
 *
 * Installed as <famfsctl/libfamfsctl.h>; link with
 * `pkg-config --cflags --libs libfamfsctl`.
 */
#ifndef LIBFAMFSCTL_H
#define LIBFAMFSCTL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>
#include <uuid/uuid.h>
#include <famfsctl/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- context ------------------------------------------------------------ */

struct fc_ctx;

int fc_new(struct fc_ctx **ctx);
struct fc_ctx *fc_ref(struct fc_ctx *ctx);
void fc_unref(struct fc_ctx *ctx);

/*
 * Logging. Priorities are syslog's (LOG_ERR 3, LOG_INFO 6, LOG_DEBUG 7). The
 * initial priority comes from the environment: FAMFSCTL_LOG=err|info|debug
 * (or a number); the default is err.
 */
typedef void (*fc_log_fn)(struct fc_ctx *ctx, int priority, const char *file,
			  int line, const char *fn, const char *format,
			  va_list args);
void fc_set_log_fn(struct fc_ctx *ctx, fc_log_fn log_fn);
int fc_get_log_priority(struct fc_ctx *ctx);
void fc_set_log_priority(struct fc_ctx *ctx, int priority);
void fc_set_userdata(struct fc_ctx *ctx, void *userdata);
void *fc_get_userdata(struct fc_ctx *ctx);

/*
 * The host platform: where this host's memory devices, DC regions, extents
 * and dax devices are read from. "sysfs" (the default) is the running kernel;
 * other platforms (the simulator's host side) are selected by the fabric.
 * Selecting a platform drops any topology already scanned.
 */
int fc_set_platform(struct fc_ctx *ctx, const char *name, const char *arg,
		    unsigned int host_id);
const char *fc_get_platform(struct fc_ctx *ctx);
unsigned int fc_get_host_id(struct fc_ctx *ctx);

/*
 * Topology is scanned on first use; fc_refresh() drops it and scans again
 * (iterators and object pointers obtained before are then invalid).
 */
int fc_refresh(struct fc_ctx *ctx);

/*
 * A flag a signal handler sets (SIGINT, SIGTERM): long operations (alloc,
 * join) check it between steps and while waiting, stop with -EINTR and roll
 * back what they did. NULL: none.
 */
#include <signal.h>
void fc_set_interrupt(struct fc_ctx *ctx, volatile sig_atomic_t *flag);

/* ---- fabric managers (plugins, famfsctl-plugin.h) ----------------------------- */

/*
 * Select the fabric manager: a URI "NAME[:ARG]" naming a plugin in the
 * plugin directory ($FAMFSCTL_PLUGIN_DIR, else PLUGINDIR) and its argument:
 * "sim:DIR" (the embedded simulator), "exec:PROGRAM". NULL or "" selects the
 * default, the simulator in the per-user state directory
 * ($XDG_STATE_HOME/famfsctl/sim, else ~/.local/state/famfsctl/sim).
 * "none" means no fabric manager: this host only sees what its kernel shows.
 * The simulator also becomes the host platform (its hosts are simulated);
 * any other fabric leaves the platform at the running kernel ("sysfs").
 */
int fc_set_fabric(struct fc_ctx *ctx, const char *uri, unsigned int host_id);
/* The selected fabric URI as given (default resolved), or NULL for "none". */
const char *fc_get_fabric_uri(struct fc_ctx *ctx);
/* The default simulator directory for this user (malloc'd), or NULL. */
char *fc_fabric_default_sim_dir(void);
/* Create a new fabric (plugins that can: the simulator). */
int fc_fabric_create(struct fc_ctx *ctx, const char *uri,
		     const struct famfsctl_fm_create *params);

/*
 * The FM-API Dynamic Capacity commands, addressed to device `dev` of the
 * selected fabric. Each returns 0 or a negative errno; an FM-API failure
 * is logged with the command, device and the FM's reason, and maps to
 * -EINVAL (Invalid Input, Invalid Extent List), -ENOSPC (Resources
 * Exhausted), -EAGAIN (Retry Required), -EBUSY, -EOPNOTSUPP (Unsupported),
 * -EIO (anything else). fc_fabric_get_status() returns the FM-API return
 * code of the last command (0 when it succeeded or never reached the FM).
 */
int fc_fabric_info(struct fc_ctx *ctx, struct famfsctl_fm_fabric *out);
int fc_fabric_dcd_info(struct fc_ctx *ctx, uint32_t dev,
		       struct famfsctl_fm_dcd_info *out);
int fc_fabric_region_config(struct fc_ctx *ctx, uint32_t dev, uint16_t host,
			    struct famfsctl_fm_region *out, uint8_t *nregions);
int fc_fabric_set_region_config(struct fc_ctx *ctx, uint32_t dev,
				const struct famfsctl_fm_region_set *req);
int fc_fabric_extents(struct fc_ctx *ctx, uint32_t dev, uint16_t host,
		      struct famfsctl_fm_page *page,
		      struct famfsctl_fm_extent *out);
int fc_fabric_add(struct fc_ctx *ctx, uint32_t dev,
		  const struct famfsctl_fm_add *req);
int fc_fabric_release(struct fc_ctx *ctx, uint32_t dev,
		      const struct famfsctl_fm_release *req);
int fc_fabric_add_ref(struct fc_ctx *ctx, uint32_t dev, const uuid_t tag);
int fc_fabric_remove_ref(struct fc_ctx *ctx, uint32_t dev, const uuid_t tag);
int fc_fabric_tags(struct fc_ctx *ctx, uint32_t dev,
		   struct famfsctl_fm_page *page, struct famfsctl_fm_tag *out);
int fc_fabric_get_status(struct fc_ctx *ctx);

/* Where time went, for benchmarks: commands sent to the fabric plugin and
 * host platform operations (scans, claims, mode switches), with the time
 * spent inside them since the context was made. */
struct fc_stats {
	uint64_t fabric_calls, fabric_ns;
	uint64_t platform_calls, platform_ns;
};
void fc_get_stats(struct fc_ctx *ctx, struct fc_stats *stats);

/* Names: "Invalid Input"; "free", "contiguous", "prescriptive",
 * "enable-shared-access" (and back: -1 when unknown). */
const char *fc_fm_rc_name(int rc);
const char *fc_fm_policy_name(int policy);
int fc_fm_policy_parse(const char *name);

/* ---- sizes ---------------------------------------------------------------- */

/*
 * Parse "64G", "512M", "2MiB", "1.5G", "4096", "0x200000", "2T" (binary
 * multiples: K/KiB = 1024). Returns 0 or -EINVAL (malformed) / -ERANGE.
 */
int fc_parse_size(const char *str, uint64_t *size);
/* "64.00 GiB"; exact multiples print without decimals ("2 MiB"). */
char *fc_format_size(uint64_t size, char *buf, size_t len);
#define FC_SIZE_STR_MAX 32

/* ---- memory devices --------------------------------------------------------- */

struct fc_memdev;

struct fc_memdev *fc_memdev_get_first(struct fc_ctx *ctx);
struct fc_memdev *fc_memdev_get_next(struct fc_memdev *memdev);
#define fc_memdev_foreach(ctx, m) \
	for (m = fc_memdev_get_first(ctx); m; m = fc_memdev_get_next(m))
struct fc_memdev *fc_memdev_find(struct fc_ctx *ctx, const char *name);

const char *fc_memdev_get_name(struct fc_memdev *memdev);   /* "mem0" */
uint64_t fc_memdev_get_serial(struct fc_memdev *memdev);
/* The device's host (e.g. its PCI function "0000:35:00.0"). */
const char *fc_memdev_get_host(struct fc_memdev *memdev);
/* Ports from the root down, "root0/port1/endpoint2" (failure domains). */
const char *fc_memdev_get_port_path(struct fc_memdev *memdev);
/* The host bridge the device sits under ("port1"), or NULL. */
const char *fc_memdev_get_host_bridge(struct fc_memdev *memdev);
int fc_memdev_get_numa_node(struct fc_memdev *memdev);       /* -1: none */
uint64_t fc_memdev_get_ram_size(struct fc_memdev *memdev);
uint64_t fc_memdev_get_pmem_size(struct fc_memdev *memdev);
/* Size of the first dynamic-capacity partition, 0 when there is none. */
uint64_t fc_memdev_get_dc_size(struct fc_memdev *memdev);
/*
 * The kernel's name for the DC partition as discovered at run time:
 * "dc0" (DCD series v3), "dynamic_ram_a" (v9/v10), "dynamic_ram_1" (v11),
 * or NULL when the device has no DC partition.
 */
const char *fc_memdev_get_dc_partition(struct fc_memdev *memdev);
struct fc_ctx *fc_memdev_get_ctx(struct fc_memdev *memdev);

/* ---- dax regions, extents, dax devices ---------------------------------------- */

struct fc_dax_region;
struct fc_extent;
struct fc_dax_dev;

struct fc_dax_region *fc_dax_region_get_first(struct fc_ctx *ctx);
struct fc_dax_region *fc_dax_region_get_next(struct fc_dax_region *region);
#define fc_dax_region_foreach(ctx, r) \
	for (r = fc_dax_region_get_first(ctx); r; r = fc_dax_region_get_next(r))
int fc_dax_region_get_id(struct fc_dax_region *region);
const char *fc_dax_region_get_name(struct fc_dax_region *region); /* "region0" */
uint64_t fc_dax_region_get_size(struct fc_dax_region *region);
uint64_t fc_dax_region_get_available_size(struct fc_dax_region *region);
uint64_t fc_dax_region_get_align(struct fc_dax_region *region);
/* The CXL region behind it ("region0"), or NULL. */
const char *fc_dax_region_get_cxl_region(struct fc_dax_region *region);
/* True for a region of dynamic capacity (extents, tags). */
bool fc_dax_region_is_dc(struct fc_dax_region *region);
/* The memory device a DC region's capacity comes from, or NULL. */
struct fc_memdev *fc_dax_region_get_memdev(struct fc_dax_region *region);

/* Extents are iterated host-wide, in region then kernel order. */
struct fc_extent *fc_extent_get_first(struct fc_ctx *ctx);
struct fc_extent *fc_extent_get_next(struct fc_extent *extent);
#define fc_extent_foreach(ctx, e) \
	for (e = fc_extent_get_first(ctx); e; e = fc_extent_get_next(e))
const char *fc_extent_get_name(struct fc_extent *extent); /* "extent0.1" */
uint64_t fc_extent_get_offset(struct fc_extent *extent);  /* in the dax region */
uint64_t fc_extent_get_length(struct fc_extent *extent);
/* Copies the tag and returns true, or returns false for an untagged extent. */
bool fc_extent_get_tag(struct fc_extent *extent, uuid_t tag);
struct fc_dax_region *fc_extent_get_dax_region(struct fc_extent *extent);

enum fc_dax_mode {
	FC_DAX_MODE_UNBOUND = 0,  /* no driver */
	FC_DAX_MODE_DEVDAX,       /* device_dax: mmap-able char device */
	FC_DAX_MODE_SYSTEM_RAM,   /* kmem: onlined as system memory */
	FC_DAX_MODE_FAMFS,        /* fsdev_dax: owned by famfs */
	FC_DAX_MODE_UNKNOWN,      /* some other driver */
};
const char *fc_dax_mode_name(enum fc_dax_mode mode); /* "devdax", "famfs", ... */

struct fc_dax_dev *fc_dax_dev_get_first(struct fc_ctx *ctx);
struct fc_dax_dev *fc_dax_dev_get_next(struct fc_dax_dev *dev);
#define fc_dax_dev_foreach(ctx, d) \
	for (d = fc_dax_dev_get_first(ctx); d; d = fc_dax_dev_get_next(d))
struct fc_dax_dev *fc_dax_dev_find(struct fc_ctx *ctx, const char *name);
const char *fc_dax_dev_get_name(struct fc_dax_dev *dev);  /* "dax0.1" */
const char *fc_dax_dev_get_path(struct fc_dax_dev *dev);  /* "/dev/dax0.1" */
uint64_t fc_dax_dev_get_size(struct fc_dax_dev *dev);
uint64_t fc_dax_dev_get_align(struct fc_dax_dev *dev);
enum fc_dax_mode fc_dax_dev_get_mode(struct fc_dax_dev *dev);
/* Copies the claimed tag and returns true; false when it has none. */
bool fc_dax_dev_get_uuid(struct fc_dax_dev *dev, uuid_t uuid);
struct fc_dax_region *fc_dax_dev_get_region(struct fc_dax_dev *dev);

/*
 * Managing dax devices through the host platform. Each refreshes the
 * topology: pointers obtained before are invalid afterwards.
 * fc_dax_region_create_dev() claims the tagged allocation in a DC region as
 * one dax device (the kernel's `uuid` attribute: every extent with the tag,
 * in sequence order): -ENOENT when the region has no such tag, -EBUSY when
 * a dax device already has it.
 */
int fc_dax_region_create_dev(struct fc_dax_region *region, const uuid_t tag,
			     struct fc_dax_dev **dev);
int fc_dax_dev_destroy(struct fc_dax_dev *dev);
int fc_dax_dev_set_mode(struct fc_dax_dev *dev, enum fc_dax_mode mode);
/* Create the DC region of a memory device with a DC partition but no region
 * (the kernel's create_*_region protocol), with its dax region. */
int fc_memdev_create_dc_region(struct fc_memdev *memdev);

/* A dax device's bytes as one shared mapping (devdax: its character
 * device; simulator: its extents back to back). */
struct fc_media;
int fc_dax_dev_open_media(struct fc_dax_dev *dev, bool writable,
			  struct fc_media **media);
void *fc_media_get_addr(struct fc_media *media);
uint64_t fc_media_get_size(struct fc_media *media);
void fc_media_close(struct fc_media *media);

/* ---- allocations (alloc.c) ---------------------------------------------------- */

struct json_object;
struct fc_policy;

/*
 * An allocation group: capacity on one or more memory devices, each member
 * under its own tag (tags are unique host-wide). Member i's tag is the
 * group id with its last 16 bits set to i + 1; a group id ends in 0000.
 */
#define FC_ALLOC_MAX_MEMBERS 255
void fc_group_member_tag(const uuid_t group, unsigned int index, uuid_t tag);
/* The group and member index a tag belongs to; false when it ends in 0000
 * (a group id itself, or not famfsctl's). */
bool fc_group_of_tag(const uuid_t tag, uuid_t group, unsigned int *index);

struct fc_alloc_opts {
	uint64_t size;              /* total; split in equal parts, whole blocks */
	unsigned int ways;          /* members; 0: nmemdevs, or 1 */
	const char *const *memdevs; /* these memory devices, in member order */
	unsigned int nmemdevs;
	bool has_group;             /* use `group` as the group id (else random) */
	uuid_t group;
	bool shared;                /* sharable regions only: other hosts may join */
	unsigned int timeout_ms;    /* for the extents to arrive; 0: 30 s */
	unsigned long flags;        /* FC_JSON_* for *result */
	struct fc_policy *policy;   /* its [members] filters (serials, ports, NUMA) */
	bool dry_run;               /* plan only: *result explains it, nothing changes */
};
/*
 * Ask the fabric for the parts, wait for their extents to reach this host,
 * claim each as a dax device, switch it to famfs mode. On failure nothing
 * is left: dax devices destroyed, capacity released. *result (may be NULL)
 * describes the group: id, size, members (memdev, device, tag, daxdev,
 * size, mode).
 */
int fc_alloc(struct fc_ctx *ctx, const struct fc_alloc_opts *opts,
	     struct json_object **result);
/* Give this host the shared capacity of a group another host allocated
 * (FM enable-shared-access for each member), then the same as fc_alloc. */
int fc_alloc_join(struct fc_ctx *ctx, const uuid_t group, unsigned int timeout_ms,
		  unsigned long flags, struct json_object **result);
/* Release a tag, or every member of a group (id ending in 0000): refused
 * with -EBUSY while a member's dax device is mounted; destroys the dax
 * devices, then releases the capacity through the fabric. */
int fc_release(struct fc_ctx *ctx, const uuid_t id, struct json_object **result);
/*
 * Allocate what a policy says ([members], [capacity], [sharing]) under the
 * policy's group id (fc_policy_group): a master allocates, a client joins.
 * Running it again finds the tags present and fails with -EEXIST.
 */
int fc_alloc_policy(struct fc_ctx *ctx, struct fc_policy *policy, unsigned int timeout_ms,
		    bool dry_run, unsigned long flags, struct json_object **result);
/* Does the policy claim a device tagged so (a member of its group, or a
 * tag its [udev] tag_patterns match)? */
bool fc_policy_claims_tag(struct fc_policy *policy, const uuid_t tag);
/* [udev] auto_setup */
bool fc_policy_get_auto_setup(struct fc_policy *policy);
/* This host's lock for alloc, release and udev set-up: the fd, or -errno
 * (says when it waits for another famfsctl). */
int fc_host_lock(struct fc_ctx *ctx);
void fc_host_unlock(int fd);
/* The group id of a policy: derived from its name, the same on every host. */
void fc_policy_group(struct fc_policy *policy, uuid_t group);
/* This host's tagged allocations and the groups they form:
 * {"allocations": [...], "groups": [...]}. */
struct json_object *fc_allocations_to_json(struct fc_ctx *ctx, unsigned long flags);

/* ---- interleave sets (sets.c) --------------------------------------------------- */

/*
 * An ordered set of members named by their tags, with famfs's stripe unit
 * (chunk) and strips per file. Recorded in this host's state directory;
 * the members are found by tag each time, so a set survives reboots and
 * device renumbering.
 */
struct fc_interleave_opts {
	const char *name;         /* letters, digits, '_', '.', '-' */
	struct fc_policy *policy; /* its group's members, its chunk and strips; or */
	const uuid_t *members;    /* these tags, in order */
	unsigned int nmembers;
	uint64_t chunk;           /* 0: the policy's, else 2 MiB */
	unsigned int strips;      /* 0: the policy's, else min(members, 16) */
	bool dry_run;             /* describe, record nothing */
	unsigned long flags;      /* FC_JSON_* */
};
int fc_interleave_create(struct fc_ctx *ctx, const struct fc_interleave_opts *opts,
			 struct json_object **result);
int fc_interleave_destroy(struct fc_ctx *ctx, const char *name);
/* A set's chunk, strips and member count (any may be NULL). */
int fc_interleave_get(struct fc_ctx *ctx, const char *name, uint64_t *chunk,
		      unsigned int *strips, unsigned int *members);
/* Every set (or only `name`) with where its members are now. */
struct json_object *fc_interleave_to_json(struct fc_ctx *ctx, const char *name,
					  unsigned long flags);

/* ---- policies (famfsctl-policy(5)) --------------------------------------------- */

struct fc_policy;

enum fc_policy_flags {
	/* Refuse files not owned by root or writable by group/others even
	 * when not running as root (as root this is always enforced). */
	FC_POLICY_STRICT_PERMS = 1 << 0,
	/* Do not merge DIR/famfsctl.conf under the policy. */
	FC_POLICY_NO_DEFAULTS = 1 << 1,
};
/*
 * Load a policy: `spec` is a path (contains '/') or a NAME found as
 * DIR/policies.d/NAME.conf, where DIR is $FAMFSCTL_POLICY_DIR or /etc/famfs.
 * DIR/famfsctl.conf, when present, supplies defaults. On error returns
 * -EINVAL and logs every problem as FILE:LINE: [section] key: what.
 */
int fc_policy_load(struct fc_ctx *ctx, const char *spec, unsigned long flags,
		   struct fc_policy **policy);
/* The same from memory (no defaults file); for tests and fuzzing. */
int fc_policy_parse_buffer(struct fc_ctx *ctx, const char *name,
			   const char *buf, size_t len, struct fc_policy **policy);
struct fc_policy *fc_policy_ref(struct fc_policy *policy);
void fc_policy_unref(struct fc_policy *policy);
const char *fc_policy_get_name(struct fc_policy *policy);
const char *fc_policy_get_path(struct fc_policy *policy);
/* The policy's [fabric] uri ("" for famfsctl's default) and host_id. */
const char *fc_policy_get_fabric(struct fc_policy *policy);
unsigned int fc_policy_get_host_id(struct fc_policy *policy);
/* [famfs] copy_threads: threads famfsctl cp uses. */
unsigned int fc_policy_get_copy_threads(struct fc_policy *policy);
/* [famfs] mount_point ("" when none), mount_mode ("auto", "fuse",
 * "kernel"), refresh interval, log size; [sharing] role client? */
const char *fc_policy_get_mount_point(struct fc_policy *policy);
const char *fc_policy_get_mount_mode(struct fc_policy *policy);
unsigned int fc_policy_get_refresh_ms(struct fc_policy *policy);
uint64_t fc_policy_get_log_size(struct fc_policy *policy);
bool fc_policy_is_client(struct fc_policy *policy);

/* ---- famfs over many members ----------------------------------------------------- */

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
/* Bytes allocated on the member with log index `index` (superblock and log included). */
uint64_t fc_famfs_member_used(struct fc_famfs *fs, unsigned int index);

/* ---- JSON (json-c objects, the shape of `famfsctl list`) ---------------------- */

struct json_object;

enum fc_json_flags {
	FC_JSON_HUMAN = 1 << 0, /* sizes as "64.00 GiB (68.72 GB)" strings */
};
struct json_object *fc_memdev_to_json(struct fc_memdev *memdev, unsigned long flags);
struct json_object *fc_extent_to_json(struct fc_extent *extent, unsigned long flags);
struct json_object *fc_dax_dev_to_json(struct fc_dax_dev *dev, unsigned long flags);
struct json_object *fc_dax_region_to_json(struct fc_dax_region *region,
					  unsigned long flags);
/* The effective policy, defaults merged, one object per section. */
struct json_object *fc_policy_to_json(struct fc_policy *policy, unsigned long flags);
/* `famfsctl fabric info`: the fabric, every device, its regions as host_id
 * sees them, free capacity. `fabric tags`: every tag on every device. */
struct json_object *fc_fabric_to_json(struct fc_ctx *ctx, unsigned long flags);
struct json_object *fc_fabric_tags_to_json(struct fc_ctx *ctx, unsigned long flags);
/*
 * One request of the exec protocol (famfsctl-exec(7)) served by the
 * selected fabric: `famfsctl fabric call` and the exec plugin's peer.
 * Always produces a reply object (errors included); returns 0, or a
 * negative errno when the request itself was unusable (reply says why).
 */
int fc_fabric_call_json(struct fc_ctx *ctx, struct json_object *request,
			struct json_object **reply);
/* A size as a JSON value: a number, or with FC_JSON_HUMAN a string. */
struct json_object *fc_json_size(uint64_t size, unsigned long flags);

#ifdef __cplusplus
}
#endif
#endif /* LIBFAMFSCTL_H */
