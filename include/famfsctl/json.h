/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * JSON renderings (json-c objects) in the shape of `famfsctl list`.
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

enum fc_json_flags {
	FC_JSON_HUMAN = 1 << 0, /* sizes as "64.00 GiB (68.72 GB)" strings */
};
struct json_object *fc_memdev_to_json(struct fc_memdev *memdev, unsigned long flags);
struct json_object *fc_extent_to_json(struct fc_extent *extent, unsigned long flags);
struct json_object *fc_dax_dev_to_json(struct fc_dax_dev *dev, unsigned long flags);
struct json_object *fc_dax_region_to_json(struct fc_dax_region *region,
					  unsigned long flags);
/* The effective policy, defaults merged, one object per section. */
struct json_object *fc_policy_to_json(struct fc_policy *policy, unsigned long flags);
/* `famfsctl fabric info`: the fabric, every device, its regions as host_id
 * sees them, free capacity. `fabric tags`: every tag on every device. */
struct json_object *fc_fabric_to_json(struct fc_ctx *ctx, unsigned long flags);
struct json_object *fc_fabric_tags_to_json(struct fc_ctx *ctx, unsigned long flags);
/*
 * One request of the exec protocol (famfsctl-exec(7)) served by the
 * selected fabric: `famfsctl fabric call` and the exec plugin's peer.
 * Always produces a reply object (errors included); returns 0, or a
 * negative errno when the request itself was unusable (reply says why).
 */
int fc_fabric_call_json(struct fc_ctx *ctx, struct json_object *request,
			struct json_object **reply);
/* A size as a JSON value: a number, or with FC_JSON_HUMAN a string. */
struct json_object *fc_json_size(uint64_t size, unsigned long flags);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_JSON_H */
