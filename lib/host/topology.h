/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The host topology as plain objects: memory devices, dax regions, their
 * extents and dax devices. Platforms build it with the host_topo_add_*()
 * helpers during scan; the public accessors in topology.c read it.
 */
#ifndef FC_TOPOLOGY_H
#define FC_TOPOLOGY_H

#include <stdbool.h>
#include <stdint.h>
#include <uuid/uuid.h>
#include <famfsctl/libfamfsctl.h>
#include "util/string.h"

#define FC_NAME_MAX 64
#define FC_PATH_MAX 256

/*
 * The kernel DCD series a memdev's DC partition belongs to
 * (doc/kernel-dcd.md), told from its sysfs naming; v9 and v10 share the
 * naming and differ only in the dax devices' uuid attribute, so until the
 * memdev has a DC dax region it is "v9 or v10". Tags, and claiming them as dax devices, exist
 * from v10. NONE: no DC partition, or a platform without generations.
 */
enum host_dc_gen {
	HOST_DC_GEN_NONE = 0,
	HOST_DC_GEN_V3,
	HOST_DC_GEN_V4_V8,
	HOST_DC_GEN_V9,
	HOST_DC_GEN_V9_OR_V10,
	HOST_DC_GEN_V10,
	HOST_DC_GEN_V11,
};

/* "v3", "v4-v8", "v9", "v9 or v10", "v10", "v11" ("" for NONE). */
const char *host_dc_gen_name(enum host_dc_gen gen);
/* What a pre-v10 generation lacks for tagged use, or NULL when it has it
 * (or may: v9 or v10). */
const char *host_dc_gen_lacks(enum host_dc_gen gen);

struct fc_memdev {
	struct fc_memdev *next;
	struct fc_ctx *ctx;
	int id;
	char name[FC_NAME_MAX];
	char host[FC_NAME_MAX];
	char port_path[FC_PATH_MAX];
	char host_bridge[FC_NAME_MAX];
	char dc_partition[FC_NAME_MAX]; /* "" when none */
	enum host_dc_gen dc_gen;
	uint64_t serial;
	int numa_node;
	uint64_t ram_size, pmem_size, dc_size;
};

struct fc_dax_region {
	struct fc_dax_region *next;
	struct fc_ctx *ctx;
	int id;
	char name[FC_NAME_MAX];
	char cxl_region[FC_NAME_MAX]; /* "" when none */
	char path[FC_PATH_MAX];       /* platform's handle (sysfs directory) */
	uint64_t size, available_size, align;
	bool dc;
	struct fc_memdev *memdev;
};

struct fc_extent {
	struct fc_extent *next;
	struct fc_ctx *ctx;
	char name[FC_NAME_MAX];
	uint64_t offset, length;
	bool tagged;
	uuid_t tag;
	struct fc_dax_region *region;
};

struct fc_dax_dev {
	struct fc_dax_dev *next;
	struct fc_ctx *ctx;
	char name[FC_NAME_MAX];
	char path[FC_PATH_MAX]; /* the character device, "/dev/dax0.1" */
	uint64_t size, align;
	enum fc_dax_mode mode;
	bool has_uuid;
	uuid_t uuid;
	struct fc_dax_region *region;
};

struct host_topology {
	struct fc_ctx *ctx;
	struct fc_memdev *memdevs;
	struct fc_dax_region *dax_regions;
	struct fc_extent *extents;
	struct fc_dax_dev *dax_devs;
};

/* Builders for platforms; each returns NULL only when out of memory. */
struct fc_memdev *host_topo_add_memdev(struct host_topology *t, const char *name);
struct fc_dax_region *host_topo_add_dax_region(struct host_topology *t, int id);
struct fc_extent *host_topo_add_extent(struct host_topology *t,
				     struct fc_dax_region *region,
				     const char *name);
struct fc_dax_dev *host_topo_add_dax_dev(struct host_topology *t,
				       struct fc_dax_region *region,
				       const char *name);
/* Put every list in natural name order ("mem2" before "mem10"). */
void host_topology_sort(struct host_topology *t);
void host_topology_clear(struct host_topology *t);

#endif /* FC_TOPOLOGY_H */
