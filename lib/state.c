// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Where a policy stands on this host (include/famfsctl/state.h): what
 * `famfsctl up`, `down` and `udev` converge on. Each question is answered
 * from what the host shows, never from a cache: members by the tags of its
 * dax devices, the set by its record, the file system by checking it, the
 * mount by the kernel's mount table.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "lib/private.h"
#include "util/fs.h"

FC_EXPORT enum fc_mount_state fc_mount_state(const char *set, const char *mount_point)
{
	char source[128];
	struct stat st;

	if (!mount_point || !*mount_point)
		return FC_MOUNT_NONE;
	snprintf(source, sizeof(source), "famfsctl:%s", set);
	if (!util_mount_find(source, mount_point, NULL, 0))
		return FC_MOUNT_NONE;
	/* a FUSE mount whose server is gone answers ENOTCONN */
	return stat(mount_point, &st) < 0 && errno == ENOTCONN ? FC_MOUNT_DEAD : FC_MOUNT_LIVE;
}

/* How many of the group's members have a dax device on this host. */
static int members_here(struct fc_ctx *ctx, const uuid_t group, unsigned int *n)
{
	struct fc_dax_dev *d;
	int rc = fc_refresh(ctx);

	*n = 0;
	if (rc < 0)
		return rc;
	fc_dax_dev_foreach(ctx, d) {
		uuid_t tag, g;

		if (fc_dax_dev_get_uuid(d, tag) && fc_group_of_tag(tag, g, NULL) &&
		    !uuid_compare(g, group))
			(*n)++;
	}
	return 0;
}

/*
 * fsck of the set with its messages held back. A log only a cut append
 * left repairable counts as clean here: it reads fine, and the master's
 * open restores it before anything appends (fc_famfs_repair()).
 */
static enum fc_fs_state probe_fs(struct fc_ctx *ctx, const char *name)
{
	int prio = fc_get_log_priority(ctx), rc;
	struct json_object *r = NULL;

	fc_set_log_priority(ctx, 0);
	rc = fc_famfs_check_set(ctx, name, &r);
	fc_set_log_priority(ctx, prio);
	if (rc == -EUCLEAN && json_object_get_boolean(json_object_object_get(r, "repairable")))
		rc = 0;
	json_object_put(r);
	return rc == 0 ? FC_FS_CLEAN : rc == -ENOENT ? FC_FS_NONE : FC_FS_DAMAGED;
}

FC_EXPORT int fc_policy_state(struct fc_ctx *ctx, struct fc_policy *policy,
			      const char *mount_point, unsigned int flags,
			      struct fc_policy_state *st)
{
	const char *name = fc_policy_get_name(policy);
	uuid_t group;
	int rc;

	*st = (struct fc_policy_state){ .members_expected = fc_policy_get_member_count(policy) };
	fc_policy_group(policy, group);
	rc = members_here(ctx, group, &st->members_here);
	if (rc < 0)
		return rc;
	st->set_recorded = fc_interleave_exists(ctx, name);
	if ((flags & FC_STATE_FS) && st->set_recorded && st->members_here == st->members_expected)
		st->fs = probe_fs(ctx, name);
	st->mount = fc_mount_state(name, mount_point && *mount_point ? mount_point :
				   fc_policy_get_mount_point(policy));
	return 0;
}
