/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * This host's CXL and DAX topology as the kernel (or a simulated host)
 * shows it: memory devices, dax regions, DC extents, dax devices; and
 * managing dax devices (claim, destroy, mode) through the host platform.
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

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_HOST_H */
