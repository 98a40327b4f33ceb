/* SPDX-License-Identifier: LGPL-2.1-only */
/* The sysfs host platform's internal interface (sysfs.c, sysfs-dax.c). */
#ifndef FC_SYSFS_H
#define FC_SYSFS_H

#include <stddef.h>
#include <stdint.h>

/* The generic attribute helpers are util/sysfs.h's. */
#include "util/sysfs.h"

/* The sysfs platform's dax device management (platform-sysfs-dax.c). */
#include <uuid/uuid.h>
#include <famfsctl/libfamfsctl.h>
struct fc_ctx;
struct fc_dax_region;
struct fc_dax_dev;
int host_sysfs_create_dax(struct fc_ctx *ctx, void *data, struct fc_dax_region *region,
			const uuid_t tag, char *name, size_t len);
int host_sysfs_set_mode(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev,
		      enum fc_dax_mode mode);
int host_sysfs_destroy_dax(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev);
struct fc_memdev;
int host_sysfs_create_dc_region(struct fc_ctx *ctx, void *data, struct fc_memdev *m,
			      char *name, size_t len);
int host_sysfs_destroy_dc_region(struct fc_ctx *ctx, void *data, const char *region);

#endif
