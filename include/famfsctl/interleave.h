/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Interleave sets: ordered members named by tag, recorded in this host's
 * state directory.
 *
 * Part of libfamfsctl's installed API; <famfsctl/libfamfsctl.h> includes
 * every part. Conventions are those of libfamfsctl.h.
 */
#ifndef FAMFSCTL_INTERLEAVE_H
#define FAMFSCTL_INTERLEAVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uuid/uuid.h>
#include <famfsctl/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * An ordered set of members named by their tags, with famfs's stripe unit
 * (chunk) and strips per file. Recorded in this host's state directory;
 * the members are found by tag each time, so a set survives reboots and
 * device renumbering.
 */
struct fc_policy;
struct json_object;

struct fc_interleave_opts {
	const char *name;         /* letters, digits, '_', '.', '-' */
	struct fc_policy *policy; /* its group's members, its chunk and strips; or */
	const uuid_t *members;    /* these tags, in order */
	unsigned int nmembers;
	uint64_t chunk;           /* 0: the policy's, else 2 MiB */
	unsigned int strips;      /* 0: the policy's, else min(members, 16) */
	bool dry_run;             /* describe, record nothing */
	unsigned long flags;      /* FC_JSON_* */
};
int fc_interleave_create(struct fc_ctx *ctx, const struct fc_interleave_opts *opts,
			 struct json_object **result);
int fc_interleave_destroy(struct fc_ctx *ctx, const char *name);
/* A set's chunk, strips and member count (any may be NULL). */
int fc_interleave_get(struct fc_ctx *ctx, const char *name, uint64_t *chunk,
		      unsigned int *strips, unsigned int *members);
/* Is a set of that name recorded on this host? (asked quietly) */
bool fc_interleave_exists(struct fc_ctx *ctx, const char *name);
/* The policy a set was created from into buf[len] ("" when none). */
int fc_interleave_get_policy(struct fc_ctx *ctx, const char *name, char *buf, size_t len);
/* Every set (or only `name`) with where its members are now. */
struct json_object *fc_interleave_to_json(struct fc_ctx *ctx, const char *name,
					  unsigned long flags);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_INTERLEAVE_H */
