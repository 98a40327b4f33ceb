/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * This host's CXL and DAX topology as the kernel (or a simulated host)
 * shows it: memory devices, dax regions, DC extents, dax devices; and
 * managing dax devices (claim, destroy, mode) through the host platform.
 *
 * Every object belongs to its context's topology, which is scanned on
 * first use: a pointer stays valid until fc_refresh(), any call documented
 * to refresh the topology, or the context's last fc_unref().
 *
 * Part of libfamfsctl's installed API; <famfsctl/libfamfsctl.h> includes
 * every part. Conventions are those of libfamfsctl.h.
 */
#ifndef FAMFSCTL_HOST_H
#define FAMFSCTL_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <uuid/uuid.h>
#include <famfsctl/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fc_memdev;

/**
 * fc_memdev_get_first() - Start iterating over this host's memory devices.
 * @ctx: the context; its topology is scanned if it was not yet.
 *
 * Memory devices come in natural name order ("mem2" before "mem10").
 *
 * Return: the first memory device, or NULL when there is none or the scan
 * failed (logged).
 */
struct fc_memdev *fc_memdev_get_first(struct fc_ctx *ctx);
/**
 * fc_memdev_get_next() - The next memory device.
 * @memdev: a memory device from fc_memdev_get_first() or this function,
 *	or NULL.
 *
 * Return: the memory device after @memdev, or NULL at the end.
 */
struct fc_memdev *fc_memdev_get_next(struct fc_memdev *memdev);
#define fc_memdev_foreach(ctx, m) \
	for (m = fc_memdev_get_first(ctx); m; m = fc_memdev_get_next(m))
/**
 * fc_memdev_find() - Look a memory device up by name.
 * @ctx: the context; its topology is scanned if it was not yet.
 * @name: the kernel's name, "mem0".
 *
 * Return: the memory device, or NULL when this host has none of that name.
 */
struct fc_memdev *fc_memdev_find(struct fc_ctx *ctx, const char *name);

/**
 * fc_memdev_get_name() - The memory device's name.
 * @memdev: a memory device from fc_memdev_get_first()/fc_memdev_find().
 *
 * Return: the kernel's name, "mem0" (owned by the topology).
 */
const char *fc_memdev_get_name(struct fc_memdev *memdev);
/**
 * fc_memdev_get_serial() - The memory device's serial number.
 * @memdev: a memory device from fc_memdev_get_first()/fc_memdev_find().
 *
 * Allocation matches this host's memory devices to the fabric's devices
 * (struct famfsctl_fm_dcd_info.serial) by this number.
 *
 * Return: the serial number the platform reports for the device.
 */
uint64_t fc_memdev_get_serial(struct fc_memdev *memdev);
/**
 * fc_memdev_get_host() - The device the memory device hangs off.
 * @memdev: a memory device from fc_memdev_get_first()/fc_memdev_find().
 *
 * Return: its host device, e.g. its PCI function "0000:35:00.0", or NULL
 * when unknown.
 */
const char *fc_memdev_get_host(struct fc_memdev *memdev);
/**
 * fc_memdev_get_port_path() - The CXL ports above the memory device.
 * @memdev: a memory device from fc_memdev_get_first()/fc_memdev_find().
 *
 * The ports are its failure domains: devices behind different ports fail
 * apart.
 *
 * Return: the ports from the root down, "root0/port1/endpoint2", or NULL
 * when unknown (no endpoint port).
 */
const char *fc_memdev_get_port_path(struct fc_memdev *memdev);
/**
 * fc_memdev_get_host_bridge() - The host bridge above the memory device.
 * @memdev: a memory device from fc_memdev_get_first()/fc_memdev_find().
 *
 * Return: the port just below the root in its port path ("port1"), or
 * NULL when there is none.
 */
const char *fc_memdev_get_host_bridge(struct fc_memdev *memdev);
/**
 * fc_memdev_get_numa_node() - The memory device's NUMA node.
 * @memdev: a memory device from fc_memdev_get_first()/fc_memdev_find().
 *
 * Return: the node, or -1 when none.
 */
int fc_memdev_get_numa_node(struct fc_memdev *memdev);
/**
 * fc_memdev_get_ram_size() - The memory device's static volatile capacity.
 * @memdev: a memory device from fc_memdev_get_first()/fc_memdev_find().
 *
 * Return: bytes in its ram partition (0 when none).
 */
uint64_t fc_memdev_get_ram_size(struct fc_memdev *memdev);
/**
 * fc_memdev_get_pmem_size() - The memory device's persistent capacity.
 * @memdev: a memory device from fc_memdev_get_first()/fc_memdev_find().
 *
 * Return: bytes in its pmem partition (0 when none).
 */
uint64_t fc_memdev_get_pmem_size(struct fc_memdev *memdev);
/**
 * fc_memdev_get_dc_size() - The memory device's dynamic capacity.
 * @memdev: a memory device from fc_memdev_get_first()/fc_memdev_find().
 *
 * Return: bytes in its first dynamic-capacity partition, 0 when there is
 * none.
 */
uint64_t fc_memdev_get_dc_size(struct fc_memdev *memdev);
/**
 * fc_memdev_get_dc_partition() - The kernel's name for the DC partition.
 * @memdev: a memory device from fc_memdev_get_first()/fc_memdev_find().
 *
 * The name is discovered at run time, as the DCD patch series named it:
 * "dc0" (series v3), "dynamic_ram_a" (v9/v10), "dynamic_ram_1" (v11).
 *
 * Return: the name, or NULL when the device has no DC partition.
 */
const char *fc_memdev_get_dc_partition(struct fc_memdev *memdev);
/**
 * fc_memdev_get_ctx() - The context a memory device belongs to.
 * @memdev: a memory device from fc_memdev_get_first()/fc_memdev_find().
 *
 * Return: its context (no reference is taken).
 */
struct fc_ctx *fc_memdev_get_ctx(struct fc_memdev *memdev);

/* ---- dax regions, extents, dax devices ---------------------------------------- */

struct fc_dax_region;
struct fc_extent;
struct fc_dax_dev;

/**
 * fc_dax_region_get_first() - Start iterating over this host's dax regions.
 * @ctx: the context; its topology is scanned if it was not yet.
 *
 * Dax regions come in id order.
 *
 * Return: the first dax region, or NULL when there is none or the scan
 * failed (logged).
 */
struct fc_dax_region *fc_dax_region_get_first(struct fc_ctx *ctx);
/**
 * fc_dax_region_get_next() - The next dax region.
 * @region: a dax region from fc_dax_region_get_first() or this function,
 *	or NULL.
 *
 * Return: the dax region after @region, or NULL at the end.
 */
struct fc_dax_region *fc_dax_region_get_next(struct fc_dax_region *region);
#define fc_dax_region_foreach(ctx, r) \
	for (r = fc_dax_region_get_first(ctx); r; r = fc_dax_region_get_next(r))
/**
 * fc_dax_region_get_id() - The dax region's id.
 * @region: a dax region from fc_dax_region_get_first().
 *
 * Return: the N of its name "regionN" (and of its dax devices "daxN.M").
 */
int fc_dax_region_get_id(struct fc_dax_region *region);
/**
 * fc_dax_region_get_name() - The dax region's name.
 * @region: a dax region from fc_dax_region_get_first().
 *
 * Return: "region0" (owned by the topology).
 */
const char *fc_dax_region_get_name(struct fc_dax_region *region);
/**
 * fc_dax_region_get_size() - The dax region's size.
 * @region: a dax region from fc_dax_region_get_first().
 *
 * Return: bytes the region spans.
 */
uint64_t fc_dax_region_get_size(struct fc_dax_region *region);
/**
 * fc_dax_region_get_available_size() - The dax region's unused capacity.
 * @region: a dax region from fc_dax_region_get_first().
 *
 * Return: bytes no dax device of the region holds yet.
 */
uint64_t fc_dax_region_get_available_size(struct fc_dax_region *region);
/**
 * fc_dax_region_get_align() - The dax region's alignment.
 * @region: a dax region from fc_dax_region_get_first().
 *
 * Return: the alignment of its dax devices, in bytes.
 */
uint64_t fc_dax_region_get_align(struct fc_dax_region *region);
/**
 * fc_dax_region_get_cxl_region() - The CXL region behind a dax region.
 * @region: a dax region from fc_dax_region_get_first().
 *
 * Return: the CXL region's name ("region0"), or NULL when the dax region
 * is not backed by a CXL region (a pmem namespace, say).
 */
const char *fc_dax_region_get_cxl_region(struct fc_dax_region *region);
/**
 * fc_dax_region_is_dc() - Is this a region of dynamic capacity?
 * @region: a dax region from fc_dax_region_get_first().
 *
 * On the running kernel: the region holds DC extents, or its CXL region is
 * in a dynamic-capacity mode (so before any extent arrived too).
 *
 * Return: true for a region of dynamic capacity, false otherwise.
 */
bool fc_dax_region_is_dc(struct fc_dax_region *region);
/**
 * fc_dax_region_get_memdev() - The memory device behind a DC region.
 * @region: a dax region from fc_dax_region_get_first().
 *
 * Return: the memory device the region's capacity comes from, or NULL
 * when it is not known (no CXL region, or no single target).
 */
struct fc_memdev *fc_dax_region_get_memdev(struct fc_dax_region *region);

/**
 * fc_extent_get_first() - Start iterating over this host's DC extents.
 * @ctx: the context; its topology is scanned if it was not yet.
 *
 * Extents are iterated host-wide, in dax region order, then in natural
 * name order within a region.
 *
 * Return: the first extent, or NULL when there is none or the scan failed
 * (logged).
 */
struct fc_extent *fc_extent_get_first(struct fc_ctx *ctx);
/**
 * fc_extent_get_next() - The next DC extent.
 * @extent: an extent from fc_extent_get_first() or this function, or NULL.
 *
 * Return: the extent after @extent, or NULL at the end.
 */
struct fc_extent *fc_extent_get_next(struct fc_extent *extent);
#define fc_extent_foreach(ctx, e) \
	for (e = fc_extent_get_first(ctx); e; e = fc_extent_get_next(e))
/**
 * fc_extent_get_name() - The extent's name.
 * @extent: an extent from fc_extent_get_first().
 *
 * Return: the kernel's name, "extent0.1" (owned by the topology).
 */
const char *fc_extent_get_name(struct fc_extent *extent);
/**
 * fc_extent_get_offset() - Where the extent starts.
 * @extent: an extent from fc_extent_get_first().
 *
 * Return: its offset in its dax region, in bytes.
 */
uint64_t fc_extent_get_offset(struct fc_extent *extent);
/**
 * fc_extent_get_length() - The extent's length.
 * @extent: an extent from fc_extent_get_first().
 *
 * Return: bytes.
 */
uint64_t fc_extent_get_length(struct fc_extent *extent);
/**
 * fc_extent_get_tag() - The extent's tag.
 * @extent: an extent from fc_extent_get_first().
 * @tag: receives the tag; untouched for an untagged extent.
 *
 * Return: true with the tag copied, or false for an untagged extent (a
 * null tag counts as none).
 */
bool fc_extent_get_tag(struct fc_extent *extent, uuid_t tag);
/**
 * fc_extent_get_dax_region() - The dax region an extent belongs to.
 * @extent: an extent from fc_extent_get_first().
 *
 * Return: its dax region.
 */
struct fc_dax_region *fc_extent_get_dax_region(struct fc_extent *extent);

/**
 * enum fc_dax_mode - The driver a dax device is bound to.
 * @FC_DAX_MODE_UNBOUND: no driver.
 * @FC_DAX_MODE_DEVDAX: device_dax: an mmap-able character device.
 * @FC_DAX_MODE_SYSTEM_RAM: kmem: onlined as system memory.
 * @FC_DAX_MODE_FAMFS: fsdev_dax: owned by famfs.
 * @FC_DAX_MODE_UNKNOWN: some other driver.
 */
enum fc_dax_mode {
	FC_DAX_MODE_UNBOUND = 0,  /* no driver */
	FC_DAX_MODE_DEVDAX,       /* device_dax: mmap-able char device */
	FC_DAX_MODE_SYSTEM_RAM,   /* kmem: onlined as system memory */
	FC_DAX_MODE_FAMFS,        /* fsdev_dax: owned by famfs */
	FC_DAX_MODE_UNKNOWN,      /* some other driver */
};
/**
 * fc_dax_mode_name() - A dax mode's name.
 * @mode: the mode.
 *
 * Return: "unbound", "devdax", "system-ram", "famfs", or "unknown" (for
 * FC_DAX_MODE_UNKNOWN and any value outside the enum); static strings.
 */
const char *fc_dax_mode_name(enum fc_dax_mode mode);

/**
 * fc_dax_dev_get_first() - Start iterating over this host's dax devices.
 * @ctx: the context; its topology is scanned if it was not yet.
 *
 * Dax devices come in natural name order ("dax0.2" before "dax0.10").
 *
 * Return: the first dax device, or NULL when there is none or the scan
 * failed (logged).
 */
struct fc_dax_dev *fc_dax_dev_get_first(struct fc_ctx *ctx);
/**
 * fc_dax_dev_get_next() - The next dax device.
 * @dev: a dax device from fc_dax_dev_get_first() or this function, or NULL.
 *
 * Return: the dax device after @dev, or NULL at the end.
 */
struct fc_dax_dev *fc_dax_dev_get_next(struct fc_dax_dev *dev);
#define fc_dax_dev_foreach(ctx, d) \
	for (d = fc_dax_dev_get_first(ctx); d; d = fc_dax_dev_get_next(d))
/**
 * fc_dax_dev_find() - Look a dax device up by name.
 * @ctx: the context; its topology is scanned if it was not yet.
 * @name: the kernel's name, "dax0.1".
 *
 * Return: the dax device, or NULL when this host has none of that name.
 */
struct fc_dax_dev *fc_dax_dev_find(struct fc_ctx *ctx, const char *name);
/**
 * fc_dax_dev_get_name() - The dax device's name.
 * @dev: a dax device from fc_dax_dev_get_first()/fc_dax_dev_find().
 *
 * Return: the kernel's name, "dax0.1" (owned by the topology).
 */
const char *fc_dax_dev_get_name(struct fc_dax_dev *dev);
/**
 * fc_dax_dev_get_path() - The dax device's character device.
 * @dev: a dax device from fc_dax_dev_get_first()/fc_dax_dev_find().
 *
 * Return: "/dev/" and its name, "/dev/dax0.1" (owned by the topology).
 */
const char *fc_dax_dev_get_path(struct fc_dax_dev *dev);
/**
 * fc_dax_dev_get_size() - The dax device's size.
 * @dev: a dax device from fc_dax_dev_get_first()/fc_dax_dev_find().
 *
 * Return: bytes (0 for an unconfigured seed device).
 */
uint64_t fc_dax_dev_get_size(struct fc_dax_dev *dev);
/**
 * fc_dax_dev_get_align() - The dax device's alignment.
 * @dev: a dax device from fc_dax_dev_get_first()/fc_dax_dev_find().
 *
 * Return: its mapping alignment in bytes.
 */
uint64_t fc_dax_dev_get_align(struct fc_dax_dev *dev);
/**
 * fc_dax_dev_get_mode() - The driver the dax device is bound to.
 * @dev: a dax device from fc_dax_dev_get_first()/fc_dax_dev_find().
 *
 * Return: its mode, as of the last scan.
 */
enum fc_dax_mode fc_dax_dev_get_mode(struct fc_dax_dev *dev);
/**
 * fc_dax_dev_get_uuid() - The tag the dax device claimed.
 * @dev: a dax device from fc_dax_dev_get_first()/fc_dax_dev_find().
 * @uuid: receives the tag (the kernel's uuid attribute); untouched when
 *	there is none.
 *
 * Return: true with the tag copied, or false when the device claimed no
 * tag.
 */
bool fc_dax_dev_get_uuid(struct fc_dax_dev *dev, uuid_t uuid);
/**
 * fc_dax_dev_get_region() - The dax region a dax device belongs to.
 * @dev: a dax device from fc_dax_dev_get_first()/fc_dax_dev_find().
 *
 * Return: its dax region.
 */
struct fc_dax_region *fc_dax_dev_get_region(struct fc_dax_dev *dev);

/**
 * fc_dax_region_create_dev() - Claim a tagged allocation as a dax device.
 * @region: a DC region (fc_dax_region_is_dc()).
 * @tag: the allocation's tag.
 * @dev: receives the new dax device (in devdax mode).
 *
 * The kernel's uuid attribute of the region's seed device: one dax device
 * made of every extent with the tag, in sequence order. Refreshes the
 * topology: pointers obtained before, @region included, are invalid
 * afterwards.
 *
 * Return: 0; -EOPNOTSUPP when @region is not a DC region or the platform
 * cannot claim capacity; -ENOENT when the region has no capacity with the
 * tag; -EBUSY when a dax device already has it; -ENODEV when the region
 * has no seed device or the new device is not found after the refresh;
 * another negative errno from sysfs or the platform (each logged).
 */
int fc_dax_region_create_dev(struct fc_dax_region *region, const uuid_t tag,
			     struct fc_dax_dev **dev);
/**
 * fc_dax_dev_destroy() - Destroy a dax device, returning its capacity.
 * @dev: a dax device from fc_dax_dev_get_first()/fc_dax_dev_find().
 *
 * The running kernel's device is unbound, shrunk to 0 and deleted; its
 * capacity goes back to the dax region, not to the fabric (fc_release()
 * gives it back to the fabric). Refreshes
 * the topology: pointers obtained before, @dev included, are invalid
 * afterwards.
 *
 * Return: 0; -EOPNOTSUPP when the platform cannot destroy dax devices;
 * -EBUSY when the kernel does not let go of it; another negative errno
 * from sysfs or the platform (each logged).
 */
int fc_dax_dev_destroy(struct fc_dax_dev *dev);
/**
 * fc_dax_dev_set_mode() - Bind a dax device to the driver of a mode.
 * @dev: a dax device from fc_dax_dev_get_first()/fc_dax_dev_find().
 * @mode: FC_DAX_MODE_DEVDAX or FC_DAX_MODE_FAMFS (the running kernel also
 *	takes FC_DAX_MODE_UNBOUND).
 *
 * Nothing happens when the device is in @mode already; otherwise refreshes
 * the topology: pointers obtained before, @dev included, are invalid
 * afterwards.
 *
 * Return: 0; -EOPNOTSUPP for a mode the platform does not switch to, or a
 * platform that cannot switch modes; another negative errno from sysfs or
 * the platform (each logged).
 */
int fc_dax_dev_set_mode(struct fc_dax_dev *dev, enum fc_dax_mode mode);
/**
 * fc_memdev_create_dc_region() - Make the DC region of a memory device.
 * @memdev: a memory device with a DC partition but no DC region yet.
 *
 * As `cxl create-region` does for dynamic capacity (the kernel's
 * create_*_region protocol through a root decoder that offers it), with
 * the dax region under it. Refreshes the topology: pointers obtained
 * before, @memdev included, are invalid afterwards.
 *
 * Return: 0; -EOPNOTSUPP when the platform cannot create DC regions (the
 * simulator's cannot); -EINVAL when the device
 * has no DC partition; -ENODEV when it has no endpoint port or no root
 * decoder offers dynamic capacity; another negative errno from sysfs
 * (each logged).
 */
int fc_memdev_create_dc_region(struct fc_memdev *memdev);

struct fc_media;
/**
 * fc_dax_dev_open_media() - Map a dax device's bytes.
 * @dev: a dax device from fc_dax_dev_get_first()/fc_dax_dev_find().
 * @writable: map for writing too.
 * @media: receives the mapping, to be closed with fc_media_close().
 *
 * One shared mapping of the whole device: a devdax device's character
 * device, or a simulated device's extents back to back. The mapping does
 * not depend on the topology and outlives fc_refresh().
 *
 * Return: 0; -EOPNOTSUPP when the running kernel's device is not in devdax
 * mode; -EINVAL for an empty device; -ENODEV when the simulator has no
 * such device for this host; -ENOMEM; another negative errno from open(2)
 * or mmap(2) (each logged).
 */
int fc_dax_dev_open_media(struct fc_dax_dev *dev, bool writable,
			  struct fc_media **media);
/**
 * fc_media_get_addr() - Where a mapping starts.
 * @media: a mapping from fc_dax_dev_open_media().
 *
 * Return: the first byte of the device, valid until fc_media_close().
 */
void *fc_media_get_addr(struct fc_media *media);
/**
 * fc_media_get_size() - A mapping's length.
 * @media: a mapping from fc_dax_dev_open_media().
 *
 * Return: bytes mapped (the device's size).
 */
uint64_t fc_media_get_size(struct fc_media *media);
/**
 * fc_media_close() - Unmap a dax device's bytes.
 * @media: a mapping from fc_dax_dev_open_media(), or NULL (nothing
 *	happens).
 */
void fc_media_close(struct fc_media *media);

/* ---- what famfs's own tools share with famfsctl on this host ---------------- */

/**
 * fc_system_uuid_get() - this host's identity as a famfs master
 * @ctx: library context (errors are logged through it)
 * @opt: a UUID given by the caller (famfsctl's --system-uuid), or NULL
 * @uuid: receives the identity
 *
 * Only the host whose system uuid a file system records (its master) adds
 * to its log. The identity is @opt, else $FAMFSCTL_SYSTEM_UUID, else the
 * file famfs's own tools use, /opt/famfs/system_uuid (so a host is master
 * for both tools), created with its directory on first use as famfs
 * creates it. $FAMFSCTL_SYSTEM_UUID_FILE names another file (tests).
 *
 * Return: 0, -EINVAL when @opt, the variable or the file does not hold a
 * UUID, or the negative errno of creating the file.
 */
int fc_system_uuid_get(struct fc_ctx *ctx, const char *opt, uuid_t uuid);

/* What fc_famfs_kernel_support() finds (a mask). */
#define FC_FAMFS_KERNEL_MODULE 1 /* the standalone famfs module (famfsv1) */
#define FC_FAMFS_KERNEL_FUSE 2   /* the FUSE-based famfs */
/**
 * fc_famfs_kernel_support() - famfs's kernel support, detected as famfs does
 * @ctx: library context
 *
 * The standalone module registers the file system type famfs in
 * /proc/filesystems; the FUSE-based famfs is known by the kallsyms symbol
 * famfs_fuse_iomap_begin in module fuse (/proc/kallsyms). With neither,
 * famfs's own mount cannot work on this host. $FAMFSCTL_PROC_DIR replaces
 * /proc (tests).
 *
 * Return: FC_FAMFS_KERNEL_MODULE and/or FC_FAMFS_KERNEL_FUSE, 0 for none.
 */
unsigned int fc_famfs_kernel_support(struct fc_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_HOST_H */
