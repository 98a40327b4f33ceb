/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sysfs testbeds: a kernel-shaped /sys (and /dev) for CXL Dynamic Capacity
 * topologies no machine here has, in a umockdev testbed, with the kernel's
 * side of every attribute write modelled from doc/kernel-dcd.md (the DCD v11
 * series and its predecessors; written from the patches, never run against
 * a DCD kernel).
 *
 * The static part (libcxl/libdaxctl 76.1 skip a device when any of it is
 * missing):
 *  - root0 under ACPI0017:00 with a dportN link per host bridge; one
 *    portN per host bridge (uport -> the pci0000:HH bridge), endpointN
 *    under it (uport -> the memdev);
 *  - memN under its PCI function (firmware_version, payload_max,
 *    label_storage_size, serial, numa_node, ram/size, pmem/size, driver,
 *    /dev/cxl/memN) with its DC partition in the series' naming;
 *  - per memdev two endpoint decoders decoderE.0 and decoderE.1 (.0 already
 *    maps the ram partition when the memdev has one);
 *  - root decoders: decoder0.0 a ram-only window over every host bridge,
 *    then one DC window per host bridge (decoder0.1 for bridge 0, ...),
 *    each with target_list and the series' create_*_region attribute.
 *
 * The kernel model: a program run with LD_PRELOAD=tb_preload() has every
 * write(2) to an
 * attribute of the testbed's /sys handed to the model (tests/testbed/tb-preload.c)
 * and returns what the kernel's store function would: the effect is done,
 * or the write fails with the kernel's errno and nothing changes. Uevents
 * (dax device add/remove, bind/unbind) are sent through umockdev where the
 * kernel sends them; extents raise none.
 */
#ifndef FC_TESTBED_H
#define FC_TESTBED_H

#include <stdbool.h>
#include <stdint.h>

enum tb_dc_gen {
	TB_DC_V3,  /* memX/dc/region0_size, mode dc0, create_dc_region, extent "tag" */
	TB_DC_V4,  /* v4-v8: memX/dc0/{size,read_only,shareable,qos_class}, mode dc0 */
	TB_DC_V9,  /* memX/dynamic_ram_a/size, extent "tag", no dax uuid */
	TB_DC_V10, /* memX/dynamic_ram_a/size, extent and dax "uuid" ("0" untagged) */
	TB_DC_V11, /* memX/dynamic_ram_1/{size,qos_class}, null UUID untagged */
};
#define TB_NGENS 5
extern const char *const tb_gen_name[TB_NGENS];

struct tb;

struct tb_memdev {
	int id;            /* memN */
	int host_bridge;   /* 0..: which host bridge it sits under */
	uint64_t serial;
	int numa_node;     /* -1: none */
	uint64_t ram_size, pmem_size;
	uint64_t dc_size;  /* 0: no DC partition */
};

/* A new, empty testbed; UMOCKDEV_DIR is set for child processes. The
 * calling process must itself run under umockdev's preload (uevents are
 * sent through it): see tb_reexec(). */
struct tb *tb_new(enum tb_dc_gen gen);
void tb_free(struct tb *tb);
const char *tb_root(struct tb *tb);
/* Re-execute the test program under umockdev-wrapper unless it already
 * runs under it. */
void tb_reexec(char **argv);

int tb_add_memdev(struct tb *tb, const struct tb_memdev *m);
/* A DC region that existed at boot: regionR over memdev `mem`, committed
 * and bound, with dax_regionR and its probe-time daxR.0. */
int tb_add_dc_region(struct tb *tb, int region, int mem, uint64_t size);
/* An extent of regionR accepted at boot; tag is a UUID string or NULL. */
int tb_add_extent(struct tb *tb, int region, int id, uint64_t offset,
		  uint64_t length, const char *tag);
/* A dax device daxR.ID that existed at boot, claiming the extents tagged
 * `uuid` (none when NULL); driver "device_dax", "fsdev_dax", "kmem" or NULL. */
int tb_add_dax_dev(struct tb *tb, int region, int id, uint64_t size,
		   const char *uuid, const char *driver);
/* Take a dax driver out of the kernel (no module to load). */
void tb_remove_driver(struct tb *tb, const char *driver);

/* Serve the model to programs under the preload (a thread). */
int tb_kernel_start(struct tb *tb);
void tb_kernel_stop(struct tb *tb);
/* The LD_PRELOAD a program under test runs with (instead of
 * umockdev-wrapper's): the model's hook, then umockdev's preload.
 * tb_kernel_start sets TB_KERNEL, which the hook needs, for children. */
const char *tb_preload(void);

/* Drive the model directly: the write a program makes to `path` (a /sys
 * path), 0 or the kernel's -errno. */
int tb_write(struct tb *tb, const char *path, const char *val);
/* The next write to an attribute whose path ends in `suffix` fails with
 * -err (a fault injected; the model changes nothing). The suffix
 * "device:release" makes the next tb_device_release return -err instead
 * (-EBUSY: dropped, as for a claimed tag). */
void tb_fail_next(struct tb *tb, const char *suffix, int err);
/* The dax region's driver unbound (the window during its teardown). */
void tb_unbind_dax_region(struct tb *tb, int region);

/* The device side (the FM's add and release reaching this host):
 * tb_device_add returns the new extent's id, or -errno for a dropped
 * group; tb_device_release returns 0 (released), -EBUSY (dropped: claimed
 * by a dax device; the kernel neither answers nor queues it), -ENOENT. */
int tb_device_add(struct tb *tb, int region, uint64_t offset, uint64_t length,
		  const char *tag);
int tb_device_release(struct tb *tb, int region, const char *tag);

/* How many uevents the model sent (all actions). */
unsigned int tb_uevents(struct tb *tb);

#endif
