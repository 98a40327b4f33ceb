/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Allocation groups: tagged capacity on many memory devices, from the
 * fabric to famfs-mode dax devices, with rollback; release.
 *
 * Part of libfamfsctl's installed API; <famfsctl/libfamfsctl.h> includes
 * every part. Conventions are those of libfamfsctl.h.
 */
#ifndef FAMFSCTL_ALLOC_H
#define FAMFSCTL_ALLOC_H

#include <stdbool.h>
#include <stdint.h>
#include <uuid/uuid.h>
#include <famfsctl/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

struct json_object;
struct fc_policy;

/*
 * An allocation group: capacity on one or more memory devices, each member
 * under its own tag (tags are unique host-wide). Member i's tag is the
 * group id with its last 16 bits set to i + 1; a group id ends in 0000.
 */
#define FC_ALLOC_MAX_MEMBERS 255
void fc_group_member_tag(const uuid_t group, unsigned int index, uuid_t tag);
/* The group and member index a tag belongs to; false when it ends in 0000
 * (a group id itself, or not famfsctl's). */
bool fc_group_of_tag(const uuid_t tag, uuid_t group, unsigned int *index);

struct fc_alloc_opts {
	uint64_t size;              /* total; split in equal parts, whole blocks */
	unsigned int ways;          /* members; 0: nmemdevs, or 1 */
	const char *const *memdevs; /* these memory devices, in member order */
	unsigned int nmemdevs;
	bool has_group;             /* use `group` as the group id (else random) */
	uuid_t group;
	bool shared;                /* sharable regions only: other hosts may join */
	unsigned int timeout_ms;    /* for the extents to arrive; 0: 30 s */
	unsigned long flags;        /* FC_JSON_* for *result */
	struct fc_policy *policy;   /* its [members] filters (serials, ports, NUMA) */
	bool dry_run;               /* plan only: *result explains it, nothing changes */
};
/*
 * Ask the fabric for the parts, wait for their extents to reach this host,
 * claim each as a dax device, switch it to famfs mode. On failure nothing
 * is left: dax devices destroyed, capacity released. *result (may be NULL)
 * describes the group: id, size, members (memdev, device, tag, daxdev,
 * size, mode).
 */
int fc_alloc(struct fc_ctx *ctx, const struct fc_alloc_opts *opts,
	     struct json_object **result);
/* Give this host the shared capacity of a group another host allocated
 * (FM enable-shared-access for each member), then the same as fc_alloc. */
int fc_alloc_join(struct fc_ctx *ctx, const uuid_t group, unsigned int timeout_ms,
		  unsigned long flags, struct json_object **result);
/* Release a tag, or every member of a group (id ending in 0000): refused
 * with -EBUSY while a member's dax device is mounted; destroys the dax
 * devices, then releases the capacity through the fabric. */
int fc_release(struct fc_ctx *ctx, const uuid_t id, struct json_object **result);
/*
 * Allocate what a policy says ([members], [capacity], [sharing]) under the
 * policy's group id (fc_policy_group): a master allocates, a client joins.
 * Running it again finds the tags present and fails with -EEXIST.
 */
int fc_alloc_policy(struct fc_ctx *ctx, struct fc_policy *policy, unsigned int timeout_ms,
		    bool dry_run, unsigned long flags, struct json_object **result);
/* This host's lock for alloc, release and udev set-up: the fd, or -errno
 * (says when it waits for another famfsctl). */
int fc_host_lock(struct fc_ctx *ctx);
void fc_host_unlock(int fd);
/* This host's tagged allocations and the groups they form:
 * {"allocations": [...], "groups": [...]}. */
struct json_object *fc_allocations_to_json(struct fc_ctx *ctx, unsigned long flags);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_ALLOC_H */
