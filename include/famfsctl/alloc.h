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
#include <famfsctl/host.h>

#ifdef __cplusplus
extern "C" {
#endif

struct json_object;
struct fc_policy;

/*
 * An allocation group: capacity on one or more memory devices, each member
 * under its own tag (tags are unique host-wide). Member i's tag is the
 * group id with its last 16 bits set to i + 1; a group id ends in 0000.
 * Nothing else records a group: a host rebuilds its groups from the tags
 * it sees. A group has at most FC_MAX_MEMBERS (<famfsctl/ctx.h>).
 */
/**
 * fc_group_member_tag() - The tag of a group's member.
 * @group: the group id.
 * @index: the member's index, from 0.
 * @tag: receives @group with its last 16 bits set to @index + 1.
 */
void fc_group_member_tag(const uuid_t group, unsigned int index, uuid_t tag);
/**
 * fc_group_of_tag() - The group and member index a tag belongs to.
 * @tag: a tag.
 * @group: receives @tag with its last 16 bits cleared.
 * @index: receives the member index (0 when the tag ends in 0000); may be
 *	NULL.
 *
 * Return: true for a member's tag; false when @tag ends in 0000 (a group
 * id itself, or not famfsctl's).
 */
bool fc_group_of_tag(const uuid_t tag, uuid_t group, unsigned int *index);

/**
 * struct fc_alloc_opts - What fc_alloc() allocates.
 * @size: total bytes; split in equal parts of whole blocks.
 * @ways: members; 0: @nmemdevs, or 1 when none are named.
 * @memdevs: use these memory devices, in member order (NULL: choose).
 * @nmemdevs: entries in @memdevs; must equal @ways when both are set.
 * @has_group: use @group as the group id (else a random one).
 * @group: the group id; must end in 0000.
 * @shared: sharable regions only: other hosts may join (fc_alloc_join()).
 * @timeout_ms: how long to wait for the extents to arrive; 0: 30 s.
 * @flags: FC_JSON_* for *result.
 * @policy: choose only among devices its [members] admit (serials, ports,
 *	NUMA node); may be NULL.
 * @dry_run: plan only: *result explains it, nothing changes.
 */
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
/**
 * fc_alloc() - Allocate a group from the fabric, as famfs-mode dax devices.
 * @ctx: the context.
 * @opts: what to allocate.
 * @result: receives a JSON description (the caller puts it): the group
 *	id, size and members (member, memdev, device, tag, daxdev, size,
 *	mode); for a dry run the plan and why other devices were not chosen.
 *	May be NULL.
 *
 * Under the host lock (fc_host_lock()): the size is split in @opts->ways
 * equal parts, in whole blocks of every device involved (at least 2 MiB);
 * without named memory devices, the devices with the most free capacity
 * are chosen, one per port in turn. A chosen device without a DC region on
 * this host gets one. Then the fabric is asked for each part under its
 * member's tag, the extents are awaited on this host, each tag is claimed
 * as a dax device and switched to famfs mode. On failure nothing is left:
 * dax devices destroyed, capacity released (a member whose release fails
 * is logged with the command that releases it); DC regions made on the
 * way stay, holding no capacity. Refreshes the topology:
 * pointers obtained before are invalid afterwards.
 *
 * Return: 0; -EINVAL for a bad request (no size, more than
 * FC_MAX_MEMBERS ways, @opts->nmemdevs not @opts->ways, a group id
 * not ending in 0000, a memory device named twice); -ENODEV when a named
 * memory device has no dynamic capacity on the fabric; -ENOSPC when too
 * few devices have a DC region here and the free capacity; -EEXIST when a
 * member's tag is already on this host; -ETIMEDOUT when extents did not
 * arrive in time; -EIO when this host dropped a member's extents (the
 * kernel refused them); -EINTR when interrupted (fc_set_interrupt()); or
 * the error of a fabric command or platform operation (each logged).
 */
int fc_alloc(struct fc_ctx *ctx, const struct fc_alloc_opts *opts,
	     struct json_object **result);
/**
 * fc_alloc_join() - Bring another host's shared group to this host.
 * @ctx: the context.
 * @group: the group id another host allocated (fc_alloc_opts.shared).
 * @timeout_ms: how long to wait for the extents to arrive; 0: 30 s.
 * @flags: FC_JSON_* for *result.
 * @result: receives a JSON description as for fc_alloc(); may be NULL.
 *
 * Under the host lock: every tag of the group is found on the fabric's
 * devices, and each member is asked for with the Enable Shared Access
 * policy; then the same as fc_alloc(): awaited, claimed, famfs mode,
 * rolled back on failure. Refreshes the topology.
 *
 * Return: 0; -ENOENT when the fabric has no capacity of @group; -ENODEV
 * when a member is on a device this host cannot reach (no memory device
 * or DC region here); otherwise as for fc_alloc().
 */
int fc_alloc_join(struct fc_ctx *ctx, const uuid_t group, unsigned int timeout_ms,
		  unsigned long flags, struct json_object **result);
/**
 * enum fc_release_flags - How fc_release_flags() gives capacity back.
 * @FC_RELEASE_NO_SANITIZE: do not ask the fabric to sanitize it (a
 *	policy's sanitize_on_release = no); by default every release asks.
 */
enum fc_release_flags {
	FC_RELEASE_NO_SANITIZE = 1 << 0,
};
/**
 * fc_release_flags() - fc_release() with enum fc_release_flags.
 * @ctx: the context.
 * @id: a member's tag, or a group id, as for fc_release().
 * @flags: enum fc_release_flags.
 * @result: as for fc_release(); may be NULL.
 *
 * As fc_release(), which is fc_release_flags() with @flags 0: the fabric
 * is asked to sanitize the capacity it takes back (FM-API 5605h flag bit
 * 5) unless FC_RELEASE_NO_SANITIZE.
 *
 * Return: as for fc_release().
 */
int fc_release_flags(struct fc_ctx *ctx, const uuid_t id, unsigned int flags,
		     struct json_object **result);
/**
 * fc_release() - Give a tag's or a group's capacity back to the fabric.
 * @ctx: the context.
 * @id: a member's tag, or a group id (ending in 0000) for every member of
 *	the group this host has.
 * @result: receives {"released": [tags]} on success (the caller puts
 *	it); may be NULL.
 *
 * Under the host lock. Refused before anything changes while a member's
 * dax device is mounted (/proc/self/mounts). Each member's dax device is
 * destroyed, then its capacity released through the fabric (tag-based
 * removal, sanitized: the next owner reads zeroes). Members released before a failure stay released. Refreshes
 * the topology.
 *
 * Return: 0; -ENOENT when this host has no capacity with the tag or in the
 * group; -EBUSY while a member's dax device is mounted; -ENODEV when no
 * fabric device serves a tag; or the error of destroying a dax device or
 * of the fabric's release (each logged).
 */
int fc_release(struct fc_ctx *ctx, const uuid_t id, struct json_object **result);
/**
 * fc_alloc_policy() - Allocate what a policy says.
 * @ctx: the context.
 * @policy: its [members] (count, memdevs, filters), [capacity] and
 *	[sharing] decide.
 * @timeout_ms: how long to wait for the extents to arrive; 0: 30 s.
 * @dry_run: plan only, nothing changes.
 * @flags: FC_JSON_* for *result.
 * @result: receives a JSON description as for fc_alloc(); may be NULL,
 *	except for a client's dry run, which always writes it.
 *
 * Under the policy's group id (fc_policy_group()): a master allocates
 * (fc_alloc()), a client joins (fc_alloc_join(); its dry run only names
 * the group it would join). Each member is claimed straight into the mode
 * the policy's mount needs (fc_policy_get_dax_mode(): devdax for the
 * portable mount and direct maps, famfs for mount_mode = famfs), not
 * switched afterwards: a switch can take minutes on a large device.
 * Running it again finds the tags present and fails with -EEXIST.
 *
 * Return: as for fc_alloc() or fc_alloc_join().
 */
int fc_alloc_policy(struct fc_ctx *ctx, struct fc_policy *policy, unsigned int timeout_ms,
		    bool dry_run, unsigned long flags, struct json_object **result);
/**
 * fc_host_lock() - Take this host's lock for alloc, release and udev set-up.
 * @ctx: the context.
 *
 * An exclusive flock(2) on host.lock in this host's run directory
 * ($FAMFSCTL_RUN_DIR; /run/famfsctl as root; else
 * $XDG_RUNTIME_DIR/famfsctl or /tmp/famfsctl-UID; a simulated host's is in
 * its fabric's directory). When another famfsctl holds it, says so and
 * waits. fc_alloc(), fc_alloc_join(), fc_alloc_policy() and fc_release()
 * take it themselves: a caller holding it would wait for itself.
 *
 * Return: the locked fd, for fc_host_unlock(); -EINTR when the wait was
 * interrupted; -ENOMEM when the run directory cannot be named; or the
 * negative errno of opening the lock file (logged).
 */
int fc_host_lock(struct fc_ctx *ctx);
/**
 * fc_host_unlock() - Release this host's lock.
 * @fd: what fc_host_lock() returned (a negative value is ignored).
 */
void fc_host_unlock(int fd);
/**
 * fc_group_set_mode() - switch a group's dax devices on this host to a mode
 * @ctx: a context
 * @group: the group id
 * @mode: FC_DAX_MODE_DEVDAX or FC_DAX_MODE_FAMFS
 *
 * Devices already in @mode are left alone (a switch can take minutes on
 * large devices: each one is logged at info level). The topology is
 * refreshed: pointers obtained before are invalid afterwards.
 *
 * Return: how many devices were switched, or a negative errno (logged).
 */
int fc_group_set_mode(struct fc_ctx *ctx, const uuid_t group, enum fc_dax_mode mode);
/**
 * fc_allocations_to_json() - This host's tagged allocations and groups.
 * @ctx: the context; its topology is scanned if it was not yet.
 * @flags: FC_JSON_* (FC_JSON_HUMAN: sizes as strings).
 *
 * Return: a new JSON object the caller puts, {"allocations": [...],
 * "groups": [...]}: each tag with its memdev, size, dax device and mode,
 * group and member index; each group with its member count, size and
 * memdevs. NULL when the topology cannot be scanned.
 */
struct json_object *fc_allocations_to_json(struct fc_ctx *ctx, unsigned long flags);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_ALLOC_H */
