/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * JSON renderings (json-c objects) in the shape of `famfsctl list`.
 *
 * Every rendering is a new object the caller owns and releases with
 * json_object_put(). Absent facts are left out rather than given as null.
 *
 * Part of libfamfsctl's installed API; <famfsctl/libfamfsctl.h> includes
 * every part. Conventions are those of libfamfsctl.h.
 */
#ifndef FAMFSCTL_JSON_H
#define FAMFSCTL_JSON_H

#include <stdint.h>
#include <famfsctl/ctx.h>
#include <famfsctl/host.h>

#ifdef __cplusplus
extern "C" {
#endif

struct json_object;
struct fc_policy;

/**
 * enum fc_json_flags - How renderings are made.
 * @FC_JSON_HUMAN: sizes as strings for people, fc_format_size()'s
 *	("64 GiB", "1.50 GiB"), instead of numbers of bytes.
 */
enum fc_json_flags {
	FC_JSON_HUMAN = 1 << 0,
};
/**
 * fc_memdev_to_json() - A memory device as JSON.
 * @memdev: a memory device from fc_memdev_get_first()/fc_memdev_find().
 * @flags: enum fc_json_flags.
 *
 * Return: {memdev, serial, and when known host, host_bridge, port_path,
 * numa_node; ram_size and pmem_size when non-zero; dc_partition and
 * dc_size when it has one}; NULL when out of memory.
 */
struct json_object *fc_memdev_to_json(struct fc_memdev *memdev, unsigned long flags);
/**
 * fc_extent_to_json() - A DC extent as JSON.
 * @extent: an extent from fc_extent_get_first().
 * @flags: enum fc_json_flags.
 *
 * Return: {extent, dax_region, memdev, offset, length, uuid (its tag, when
 * tagged)}; NULL when out of memory.
 */
struct json_object *fc_extent_to_json(struct fc_extent *extent, unsigned long flags);
/**
 * fc_dax_dev_to_json() - A dax device as JSON.
 * @dev: a dax device from fc_dax_dev_get_first()/fc_dax_dev_find().
 * @flags: enum fc_json_flags.
 *
 * Return: {chardev, size, align (when non-zero), mode, uuid (its claimed
 * tag, when any), dax_region, memdev}; NULL when out of memory.
 */
struct json_object *fc_dax_dev_to_json(struct fc_dax_dev *dev, unsigned long flags);
/**
 * fc_dax_region_to_json() - A dax region as JSON.
 * @region: a dax region from fc_dax_region_get_first().
 * @flags: enum fc_json_flags.
 *
 * Return: {id, size, available_size, align, dynamic_capacity, cxl_region,
 * memdev}; NULL when out of memory.
 */
struct json_object *fc_dax_region_to_json(struct fc_dax_region *region,
					  unsigned long flags);
/**
 * fc_policy_to_json() - The effective policy as JSON.
 * @policy: a policy.
 * @flags: enum fc_json_flags.
 *
 * Return: {policy, path, description} and one object per section
 * (fabric, members, capacity, interleave, sharing, famfs, udev), defaults
 * merged; NULL when out of memory.
 */
struct json_object *fc_policy_to_json(struct fc_policy *policy, unsigned long flags);
/**
 * fc_fabric_to_json() - The fabric, as `famfsctl fabric info` shows it.
 * @ctx: the context and its selected fabric (none selected: NULL, logged).
 * @flags: enum fc_json_flags.
 *
 * Return: {fabric (the URI), name, devices: [{device, name, serial, port,
 * hosts, total_capacity, tagged, free, tags, add_policies, regions: [{region,
 * base, length, block_size, sharable, extents_available,
 * tags_available}]}]}, the regions as this context's host id sees them;
 * NULL when a fabric command fails (logged).
 */
struct json_object *fc_fabric_to_json(struct fc_ctx *ctx, unsigned long flags);
/**
 * fc_fabric_tags_to_json() - Every tag on every device of the fabric.
 * @ctx: the context and its selected fabric (none selected: NULL, logged).
 * @flags: enum fc_json_flags.
 *
 * As `famfsctl fabric tags` shows them.
 *
 * Return: an array of {device, tag, length, hosts, pending (when any),
 * releasing (when any), fm_ref}, host sets as arrays of host ids; NULL
 * when a fabric command fails (logged).
 */
struct json_object *fc_fabric_tags_to_json(struct fc_ctx *ctx, unsigned long flags);
/**
 * fc_fabric_call_json() - Serve one exec-protocol request with the fabric.
 * @ctx: the context and its selected fabric (none selected: the reply
 *	says the request could not reach one).
 * @request: one request of the exec protocol (famfsctl-exec(7)).
 * @reply: receives the reply object (the caller puts it), errors
 *	included: the FM-API return code, its name, the reason and the
 *	command's payload.
 *
 * What `famfsctl fabric call` and the exec plugin's peer run. A command
 * the fabric refuses is a successful call whose reply carries the code;
 * one that cannot reach the fabric replies Internal Error.
 *
 * Return: 0 with a reply; -EINVAL when the request itself was unusable
 * (the reply, Invalid Input, says why); -ENOMEM when no reply could be
 * made.
 */
int fc_fabric_call_json(struct fc_ctx *ctx, struct json_object *request,
			struct json_object **reply);
/**
 * fc_json_size() - A size as a JSON value.
 * @size: bytes.
 * @flags: enum fc_json_flags.
 *
 * Return: a new number, or with FC_JSON_HUMAN a string as
 * fc_format_size() writes it.
 */
struct json_object *fc_json_size(uint64_t size, unsigned long flags);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_JSON_H */
