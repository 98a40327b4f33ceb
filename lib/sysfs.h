/* SPDX-License-Identifier: LGPL-2.1-only */
/* Small helpers for reading sysfs attributes (values trimmed of newlines). */
#ifndef FC_SYSFS_H
#define FC_SYSFS_H

#include <stddef.h>
#include <stdint.h>

int fc_sysfs_read(const char *path, char *buf, size_t len);
int fc_sysfs_read_u64(const char *path, uint64_t *val);
int fc_sysfs_readf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int fc_sysfs_readf_u64(uint64_t *val, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Write an attribute; 0 or -errno. */
int fc_sysfs_write(const char *path, const char *val);

/* The sysfs platform's dax device management (platform-sysfs-dax.c). */
#include <uuid/uuid.h>
#include "libfamfsctl.h"
struct fc_ctx;
struct fc_dax_region;
struct fc_dax_dev;
int fc_sysfs_create_dax(struct fc_ctx *ctx, void *data, struct fc_dax_region *region,
			const uuid_t tag, char *name, size_t len);
int fc_sysfs_set_mode(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev,
		      enum fc_dax_mode mode);
int fc_sysfs_destroy_dax(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev);
struct fc_memdev;
int fc_sysfs_create_dc_region(struct fc_ctx *ctx, void *data, struct fc_memdev *m,
			      char *name, size_t len);

#endif
