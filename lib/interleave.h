/* SPDX-License-Identifier: LGPL-2.1-only */
/* Interleave sets inside the library: a named set's members as media. */
#ifndef FC_SETS_H
#define FC_SETS_H

#include <stdbool.h>
#include <stdint.h>
#include <uuid/uuid.h>

struct fc_ctx;
struct fc_media;

/*
 * Map every member of set `name`, in set order, through the host platform
 * (dax devices found by tag). *m and *tags are malloc'd arrays of *n;
 * chunk and strips (may be NULL) get the set's. -ENOENT naming the member
 * when one has no dax device on this host.
 */
int iset_open_media(struct fc_ctx *ctx, const char *name, bool writable,
		      struct fc_media ***m, uuid_t **tags, unsigned int *n,
		      uint64_t *chunk, unsigned int *strips);
/* Close media and free the array. */
void iset_close_media(struct fc_media **m, unsigned int n);
/* The log lock of the set whose first member is tag0, in this host's run
 * directory (make: made and checked; else only named). 0 or -errno. */
int iset_log_lock_path(struct fc_ctx *ctx, const uuid_t tag0, bool make, char *buf,
			 size_t len);

#endif
