/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sysfs testbeds: a kernel-shaped /sys (and /dev) for CXL Dynamic Capacity
 * topologies no machine here has, written into a umockdev testbed so that
 * famfsctl, libcxl and libdaxctl read it through umockdev's preload exactly
 * as they read the real kernel.
 *
 * What is modelled, and why each piece is there (libcxl/libdaxctl 76.1 skip
 * a device when any of it is missing):
 *  - root0 under ACPI0017:00, one portN per host bridge (uport -> the
 *    pci0000:HH bridge), endpointN under it (uport -> the memdev);
 *  - memN under its PCI function with firmware_version, payload_max,
 *    label_storage_size, serial, numa_node, ram/size, pmem/size, a driver
 *    link, /dev/cxl/memN, and the DC partition in the kernel series' naming
 *    (v3 dc/region0_size, v9/v10 dynamic_ram_a/size, v11
 *    dynamic_ram_1/{size,qos_class});
 *  - endpoint decoders decoderE.0, root decoders decoder0.N with the
 *    create_*_region attribute of the series;
 *  - CXL regionR (mode, size, interleave_ways 1, target0) with its
 *    dax_regionR: the dax_region attribute group, extentR.M directories
 *    (offset in hex, length, uuid -- "tag" in v3 -- absent when untagged)
 *    and daxR.M devices (size, align, uuid, driver link, /dev/daxR.M).
 */
#ifndef FC_TESTBED_H
#define FC_TESTBED_H

#include <stdint.h>

enum tb_dc_gen {
	TB_DC_V3,  /* memX/dc/region0_size, mode dc0, extent attribute "tag" */
	TB_DC_V10, /* memX/dynamic_ram_a/size, mode dynamic_ram_a */
	TB_DC_V11, /* memX/dynamic_ram_1/{size,qos_class}, mode dynamic_ram_1 */
};

struct tb;

struct tb_memdev {
	int id;            /* memN */
	int host_bridge;   /* 0..: which host bridge it sits under */
	uint64_t serial;
	int numa_node;     /* -1: none */
	uint64_t ram_size, pmem_size;
	uint64_t dc_size;  /* 0: no DC partition */
};

/* A new, empty testbed; UMOCKDEV_DIR is set for child processes. */
struct tb *tb_new(enum tb_dc_gen gen);
void tb_free(struct tb *tb);
const char *tb_root(struct tb *tb);

int tb_add_memdev(struct tb *tb, const struct tb_memdev *m);
/* CXL regionR over memdev `mem` (its DC partition) with dax_regionR and a
 * zero-size seed device daxR.0. */
int tb_add_dc_region(struct tb *tb, int region, int mem, uint64_t size);
/* An extent of regionR; tag is a UUID string or NULL for untagged. */
int tb_add_extent(struct tb *tb, int region, int id, uint64_t offset,
		  uint64_t length, const char *tag);
/* A dax device daxR.ID; driver "device_dax", "fsdev_dax", "kmem" or NULL. */
int tb_add_dax_dev(struct tb *tb, int region, int id, uint64_t size,
		   const char *uuid, const char *driver);

/*
 * The kernel's side of the dax attributes a program writes, played by a
 * thread watching the testbed (inotify), since testbed files cannot act:
 *  - a tag written to a seed device's `uuid` gives it every extent of the
 *    region with that tag (its `size`) and makes the next seed (a tag with
 *    no extents is refused: the `uuid` goes back to zeros);
 *  - a name written to /sys/bus/dax/drivers/X/{bind,unbind} sets or
 *    removes the device's `driver` link;
 *  - 0 written to `size` gives the capacity back (the tag goes);
 *  - a name written to dax_region/delete removes the device;
 *  - the name read from the root decoder's create_*_region, written back,
 *    makes that CXL region; commit = 1 on it (with size and target0 set)
 *    makes its dax region and seed.
 * Extents themselves come from outside (tb_add_extent, or a fabric script
 * writing the same directories).
 */
int tb_kernel_start(struct tb *tb);
void tb_kernel_stop(struct tb *tb);

#endif
