/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * famfs file systems over member media (lib/media.h), inside libfamfsctl:
 * format and check. The on-media structs are in famfs-omf.h.
 */
#ifndef FC_FAMFS_H
#define FC_FAMFS_H

#include <stdbool.h>
#include <stdint.h>
#include <uuid/uuid.h>
#include <famfsctl/libfamfsctl.h>

struct fc_ctx;
struct fc_media;
struct json_object;

/* A secondary holds its superblock (2 MiB reserved) and at least one
 * allocation unit of data. */
#define FAMFS_SECONDARY_MIN_SIZE (4ULL << 20)
#define FAMFS_MAX_MEMBERS 255

/* Format m[0] as primary and m[1..n-1] as secondaries (ordered writes). */
/* FAMFSCTL_FAULT=OP:N: end the process before the Nth write step of OP. */
void fc_fault_point(const char *op, unsigned int step);
int fc_famfs_format_media(struct fc_ctx *ctx, struct fc_media **m, unsigned int n,
			  const struct fc_famfs_format_opts *opts, uuid_t fs_uuid);
/*
 * Check the file system whose primary is m[0]. Returns 0 when clean,
 * -ENOENT when m[0] holds no file system, -EUCLEAN when anything is wrong
 * (every problem logged and listed in the report).
 */
int fc_famfs_check_media(struct fc_ctx *ctx, struct fc_media **m, unsigned int n,
			 struct json_object **report);

/* After a clean check_media: replay files into the free map; overlaps are
 * damage; adds used/free per member to the report. */
int fc_famfs_check_space(struct fc_ctx *ctx, struct fc_media **m, unsigned int n,
			 struct json_object *report);

#endif
