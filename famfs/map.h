/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The direct map's entry for the library (famfs/map.c): map a window of a
 * file from its layout, logging through a log context. The installed API
 * is <famfsctl/map.h>.
 */
#ifndef FAMFS_MAP_H
#define FAMFS_MAP_H

#include <stdint.h>

struct util_log_ctx;
struct json_object;
struct fc_famfs_map;

int famfs_map_layout(struct util_log_ctx *lc, struct json_object *layout, uint64_t off,
		     uint64_t len, unsigned int flags, struct fc_famfs_map **map);

#endif /* FAMFS_MAP_H */
