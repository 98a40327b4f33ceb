/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The host platform ops table: what this host's kernel (or the simulator's
 * host side) shows and accepts. Every platform fills the same topology
 * (topology.h) so everything above it is platform-blind.
 *
 * Later capabilities (DC region creation, claiming a tag as a dax device,
 * mode switches, waiting for extents) are added here as ops, implemented by
 * every platform.
 */
#ifndef FC_PLATFORM_H
#define FC_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <uuid/uuid.h>
#include <famfsctl/libfamfsctl.h>

struct fc_ctx;
struct host_topology;
struct fc_dax_dev;
struct fc_media;

struct host_platform_ops {
	const char *name;
	/* Attach: arg is the platform's argument (sim: its state directory). */
	int (*open)(struct fc_ctx *ctx, const char *arg, void **data);
	void (*close)(struct fc_ctx *ctx, void *data);
	/* Fill an empty topology with what the host shows now. */
	int (*scan)(struct fc_ctx *ctx, void *data, struct host_topology *topo);
	/* Map a dax device's bytes (devdax: /dev/daxX.Y; sim: its extents). */
	int (*open_media)(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev,
			  bool writable, struct fc_media **out);
	/* Claim the tagged allocation in a DC region as one dax device;
	 * its name goes to name[len]. -ENOENT: no such tag here. Optional. */
	int (*create_dax)(struct fc_ctx *ctx, void *data,
			  struct fc_dax_region *region, const uuid_t tag,
			  char *name, size_t len);
	int (*destroy_dax)(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev);
	int (*set_mode)(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev,
			enum fc_dax_mode mode);
	/* Create the DC region (and its dax region) of a memdev that has none;
	 * its name goes to name[len]. Optional. */
	int (*create_dc_region)(struct fc_ctx *ctx, void *data, struct fc_memdev *m,
				char *name, size_t len);
	/* Tear down a DC region create_dc_region made (CXL region name), its
	 * dax devices already destroyed. Optional (with create_dc_region). */
	int (*destroy_dc_region)(struct fc_ctx *ctx, void *data, const char *region);
};

extern const struct host_platform_ops host_platform_sysfs;
extern const struct host_platform_ops host_platform_sim;

#endif /* FC_PLATFORM_H */
