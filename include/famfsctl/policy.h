/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Policies (famfsctl-policy(5)): loading, checking and reading them.
 *
 * A policy is refcounted and holds a reference on the context it was
 * loaded with. Its strings belong to it, valid until its last
 * fc_policy_unref(); every value is the effective one, defaults applied.
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
#include <famfsctl/host.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fc_policy;
struct json_object;

/**
 * enum fc_policy_flags - How fc_policy_load() reads a policy.
 * @FC_POLICY_STRICT_PERMS: refuse files not owned by root or writable by
 *	group/others even when not running as root (as root this is always
 *	enforced).
 * @FC_POLICY_NO_DEFAULTS: do not merge DIR/famfsctl.conf under the policy.
 */
enum fc_policy_flags {
	FC_POLICY_STRICT_PERMS = 1 << 0,
	FC_POLICY_NO_DEFAULTS = 1 << 1,
};
/**
 * fc_policy_load() - Load and check a policy.
 * @ctx: the context (the policy takes a reference on it).
 * @spec: a path (contains '/'), or a NAME ([A-Za-z0-9_.-]) found as
 *	DIR/policies.d/NAME.conf, where DIR is $FAMFSCTL_POLICY_DIR, else
 *	$(sysconfdir)/famfs as built (/etc/famfs).
 * @flags: enum fc_policy_flags.
 * @policy: receives the policy, with one reference; untouched on error.
 *
 * DIR/famfsctl.conf, when present, supplies defaults (unless
 * FC_POLICY_NO_DEFAULTS). The policy's name is its file name without
 * ".conf". Every problem is logged as FILE:LINE: [section] key: what.
 *
 * Return: 0; -EINVAL when @spec is neither a name nor a path, or the
 * policy has problems; -EPERM when a file is refused for its owner or
 * mode; the errno of a file that cannot be opened (-ENOENT, -EACCES);
 * -ENOMEM.
 */
int fc_policy_load(struct fc_ctx *ctx, const char *spec, unsigned long flags,
		   struct fc_policy **policy);
/**
 * fc_policy_parse_buffer() - Load and check a policy held in memory.
 * @ctx: the context (the policy takes a reference on it).
 * @name: the policy's name (and its path, in messages and
 *	fc_policy_get_path()): [A-Za-z0-9_.-], not starting with '.'.
 * @buf: the policy file's text (need not be NUL-terminated).
 * @len: its length; 0 is an empty policy.
 * @policy: receives the policy, with one reference; untouched on error.
 *
 * The same as fc_policy_load() without a defaults file, for tests and
 * fuzzing.
 *
 * Return: 0; -EINVAL for a bad name, or a policy with problems (each
 * logged); -ENOMEM.
 */
int fc_policy_parse_buffer(struct fc_ctx *ctx, const char *name,
			   const char *buf, size_t len, struct fc_policy **policy);
/**
 * fc_policy_ref() - Take another reference on a policy.
 * @policy: a policy, or NULL.
 *
 * Return: @policy.
 */
struct fc_policy *fc_policy_ref(struct fc_policy *policy);
/**
 * fc_policy_unref() - Drop a reference on a policy.
 * @policy: a policy, or NULL (nothing happens).
 *
 * The last reference frees it and drops its reference on the context.
 */
void fc_policy_unref(struct fc_policy *policy);
/**
 * fc_policy_get_name() - A policy's name.
 * @policy: a policy.
 *
 * Return: its file name without ".conf" (or the name given to
 * fc_policy_parse_buffer()).
 */
const char *fc_policy_get_name(struct fc_policy *policy);
/**
 * fc_policy_get_path() - The file a policy was loaded from.
 * @policy: a policy.
 *
 * Return: the path (for fc_policy_parse_buffer(), the name).
 */
const char *fc_policy_get_path(struct fc_policy *policy);
/**
 * fc_policy_get_fabric() - The policy's [fabric] uri.
 * @policy: a policy.
 *
 * Return: the URI for fc_set_fabric() ("none" possible), or "" for
 * famfsctl's default fabric.
 */
const char *fc_policy_get_fabric(struct fc_policy *policy);
/**
 * fc_policy_get_host_id() - The policy's [fabric] host_id.
 * @policy: a policy.
 *
 * Return: this host's id in the fabric, 0..65535 (default 0).
 */
unsigned int fc_policy_get_host_id(struct fc_policy *policy);
/**
 * fc_policy_get_member_count() - The policy's [members] count.
 * @policy: a policy.
 *
 * Return: the members of the policy's set, 1..1024 (when [members] count
 * is not set: as many as its memdevs, or else its serials).
 */
unsigned int fc_policy_get_member_count(struct fc_policy *policy);
/**
 * fc_policy_get_copy_threads() - The policy's [famfs] copy_threads.
 * @policy: a policy.
 *
 * Return: threads `famfsctl cp` uses, 1..64 (default 4).
 */
unsigned int fc_policy_get_copy_threads(struct fc_policy *policy);
/**
 * fc_policy_get_mount_point() - The policy's [famfs] mount_point.
 * @policy: a policy.
 *
 * Return: an absolute path; /mnt/famfs/NAME when the policy sets none.
 */
const char *fc_policy_get_mount_point(struct fc_policy *policy);
/**
 * fc_policy_get_mount_mode() - The policy's [famfs] mount_mode.
 * @policy: a policy.
 *
 * The old names "fuse" and "kernel" in a policy file are read as
 * "portable" and "famfs", with a notice naming the file and line.
 *
 * Return: "auto" (the default), "portable" (famfsctl's own mount) or
 * "famfs" (famfs's own mount); static strings.
 */
const char *fc_policy_get_mount_mode(struct fc_policy *policy);
/**
 * fc_policy_get_refresh_ms() - The policy's [famfs] refresh_interval.
 * @policy: a policy.
 *
 * Return: how often clients replay the log for new files, in
 * milliseconds (default 10000).
 */
unsigned int fc_policy_get_refresh_ms(struct fc_policy *policy);
/**
 * fc_policy_get_log_size() - The policy's [famfs] log_size.
 * @policy: a policy.
 *
 * Return: bytes of famfs log to format with: a power of two of at least
 * 8 MiB (the default).
 */
uint64_t fc_policy_get_log_size(struct fc_policy *policy);
/**
 * fc_policy_is_client() - Is this host a client in the policy's [sharing]?
 * @policy: a policy.
 *
 * Return: true for role = client (it joins and mounts capacity another
 * host allocated and formatted), false for master (the default).
 */
bool fc_policy_is_client(struct fc_policy *policy);
/**
 * fc_policy_get_sanitize_on_release() - The policy's [sharing]
 * sanitize_on_release.
 * @policy: a policy.
 *
 * Return: true (the default) when capacity the policy gives back is to be
 * sanitized by the fabric (FM-API 5605h sanitize-on-release) so the next
 * owner cannot read it; false for sanitize_on_release = no.
 */
bool fc_policy_get_sanitize_on_release(struct fc_policy *policy);
/**
 * fc_policy_claims_tag() - Does the policy claim a device tagged so?
 * @policy: a policy.
 * @tag: the device's tag.
 *
 * Return: true when @tag is a member of the policy's group
 * (fc_policy_group()) or matches one of its [udev] tag_patterns (fnmatch,
 * any case, over the lower-case UUID); false otherwise.
 */
bool fc_policy_claims_tag(struct fc_policy *policy, const uuid_t tag);
/**
 * fc_policy_get_auto_setup() - The policy's [udev] auto_setup.
 * @policy: a policy.
 *
 * Return: true when a dax device of this policy appearing is to be set up
 * by udev (famfs mode, assembly, mount); false (the default) otherwise.
 */
bool fc_policy_get_auto_setup(struct fc_policy *policy);
/**
 * fc_policy_get_dax_mode() - the mode a policy's members are left in
 * @policy: a policy
 *
 * famfs's own mount (mount_mode famfs, or the old kernel) takes its
 * members in famfs mode; the portable mount and direct maps need devdax
 * (fsdev_dax has no mmap), so every other mount_mode means devdax.
 *
 * Return: FC_DAX_MODE_FAMFS or FC_DAX_MODE_DEVDAX.
 */
enum fc_dax_mode fc_policy_get_dax_mode(struct fc_policy *policy);
/**
 * fc_policy_group() - The allocation group id of a policy.
 * @policy: a policy.
 * @group: receives the group id: a name-based (SHA-1) UUID of the policy's
 *	name, ending in 0000, so the same on every host.
 */
void fc_policy_group(struct fc_policy *policy, uuid_t group);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_POLICY_H */
