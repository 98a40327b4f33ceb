/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Policies (famfsctl-policy(5)): loading, checking and reading them.
 *
 * Part of libfamfsctl's installed API; <famfsctl/libfamfsctl.h> includes
 * every part. Conventions are those of libfamfsctl.h.
 */
#ifndef FAMFSCTL_POLICY_H
#define FAMFSCTL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uuid/uuid.h>
#include <famfsctl/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fc_policy;
struct json_object;

enum fc_policy_flags {
	/* Refuse files not owned by root or writable by group/others even
	 * when not running as root (as root this is always enforced). */
	FC_POLICY_STRICT_PERMS = 1 << 0,
	/* Do not merge DIR/famfsctl.conf under the policy. */
	FC_POLICY_NO_DEFAULTS = 1 << 1,
};
/*
 * Load a policy: `spec` is a path (contains '/') or a NAME found as
 * DIR/policies.d/NAME.conf, where DIR is $FAMFSCTL_POLICY_DIR or /etc/famfs.
 * DIR/famfsctl.conf, when present, supplies defaults. On error returns
 * -EINVAL and logs every problem as FILE:LINE: [section] key: what.
 */
int fc_policy_load(struct fc_ctx *ctx, const char *spec, unsigned long flags,
		   struct fc_policy **policy);
/* The same from memory (no defaults file); for tests and fuzzing. */
int fc_policy_parse_buffer(struct fc_ctx *ctx, const char *name,
			   const char *buf, size_t len, struct fc_policy **policy);
struct fc_policy *fc_policy_ref(struct fc_policy *policy);
void fc_policy_unref(struct fc_policy *policy);
const char *fc_policy_get_name(struct fc_policy *policy);
const char *fc_policy_get_path(struct fc_policy *policy);
/* The policy's [fabric] uri ("" for famfsctl's default) and host_id. */
const char *fc_policy_get_fabric(struct fc_policy *policy);
unsigned int fc_policy_get_host_id(struct fc_policy *policy);
/* [members] count: the members of the policy's set. */
unsigned int fc_policy_get_member_count(struct fc_policy *policy);
/* [famfs] copy_threads: threads famfsctl cp uses. */
unsigned int fc_policy_get_copy_threads(struct fc_policy *policy);
/* [famfs] mount_point ("" when none), mount_mode ("auto", "fuse",
 * "kernel"), refresh interval, log size; [sharing] role client? */
const char *fc_policy_get_mount_point(struct fc_policy *policy);
const char *fc_policy_get_mount_mode(struct fc_policy *policy);
unsigned int fc_policy_get_refresh_ms(struct fc_policy *policy);
uint64_t fc_policy_get_log_size(struct fc_policy *policy);
bool fc_policy_is_client(struct fc_policy *policy);
/* Does the policy claim a device tagged so (a member of its group, or a
 * tag its [udev] tag_patterns match)? */
bool fc_policy_claims_tag(struct fc_policy *policy, const uuid_t tag);
/* [udev] auto_setup */
bool fc_policy_get_auto_setup(struct fc_policy *policy);
/* The group id of a policy: derived from its name, the same on every host. */
void fc_policy_group(struct fc_policy *policy, uuid_t group);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_POLICY_H */
