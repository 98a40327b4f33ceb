// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Where a policy stands on this host (include/famfsctl/state.h): what
 * `famfsctl up`, `down` and `udev` converge on. Each question is answered
 * from what the host shows, never from a cache: members by the tags of its
 * dax devices, the set by its record, the file system by checking it, the
 * mount by the kernel's mount table.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
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

/* Count tag in seen[*n] once, when it is one of group's. */
static void add_seen(uuid_t *seen, unsigned int *n, const uuid_t group, const uuid_t tag)
{
	unsigned int k;
	uuid_t g;

	if (!fc_group_of_tag(tag, g, NULL) || uuid_compare(g, group))
		return;
	for (k = 0; k < *n && uuid_compare(seen[k], tag); k++)
		;
	if (k == *n && *n < FC_MAX_MEMBERS)
		uuid_copy(seen[(*n)++], tag);
}

/*
 * How many of the group's tags this host holds, dax device or not: by
 * its DC extents, and by the fabric (held or offered to this host), so an
 * allocation interrupted before its first claim is still found.
 */
static int members_held(struct fc_ctx *ctx, const uuid_t group, unsigned int *n)
{
	uuid_t seen[FC_MAX_MEMBERS];
	struct famfsctl_fm_fabric fab;
	struct fc_extent *e;

	*n = 0;
	fc_extent_foreach(ctx, e)
		if (e->tagged)
			add_seen(seen, n, group, e->tag);
	if (!ctx->fabric || fc_fabric_info(ctx, &fab) < 0)
		return 0; /* no fabric here: the host's view is all there is */
	for (uint32_t dev = 0; dev < fab.devices; dev++) {
		struct famfsctl_fm_tag *t;
		int nt = fabric_all_tags(ctx, dev, &t);

		if (nt < 0)
			return nt;
		for (int i = 0; i < nt; i++)
			if (ctx->host_id < FM_MAX_HOSTS &&
			    ((t[i].hosts | t[i].pending) & (1ULL << ctx->host_id)))
				add_seen(seen, n, group, t[i].tag);
		free(t);
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
	if (rc == 0 && (flags & FC_STATE_HELD))
		rc = members_held(ctx, group, &st->members_held);
	if (rc < 0)
		return rc;
	st->set_recorded = fc_interleave_exists(ctx, name);
	if ((flags & FC_STATE_FS) && st->set_recorded && st->members_here == st->members_expected)
		st->fs = probe_fs(ctx, name);
	st->mount = fc_mount_state(name, mount_point && *mount_point ? mount_point :
				   fc_policy_get_mount_point(policy));
	return 0;
}

/* The policy's lock file in this host's run directory. */
static int policy_lock_path(struct fc_ctx *ctx, struct fc_policy *policy, bool make,
			    char *buf, size_t len)
{
	char dir[PATH_MAX];
	int rc = make ? host_dir(ctx, FC_HOST_RUN, dir, sizeof(dir)) :
		 host_dir_find(ctx, FC_HOST_RUN, dir, sizeof(dir));

	if (rc < 0)
		return rc;
	return snprintf(buf, len, "%s/policy-%s.lock", dir, fc_policy_get_name(policy)) <
	       (int)len ? 0 : -ENAMETOOLONG;
}

FC_EXPORT int fc_policy_lock(struct fc_ctx *ctx, struct fc_policy *policy)
{
	char path[PATH_MAX + 80], why[PATH_MAX + 180];
	int fd = policy_lock_path(ctx, policy, true, path, sizeof(path));

	if (fd < 0)
		return fd; /* said why */
	/* the process's lock: a mount server up forks does not keep it */
	fd = util_lock_file(path, UTIL_LOCK_PROCESS, why, sizeof(why));
	if (fd == -EWOULDBLOCK) {
		err(ctx, "policy %s: waiting for another famfsctl up or down of it (%s)\n",
		    fc_policy_get_name(policy), path);
		fd = util_lock_file(path, UTIL_LOCK_PROCESS | UTIL_LOCK_WAIT, why, sizeof(why));
	}
	if (fd < 0)
		err(ctx, "policy %s: cannot take its lock: %s\n", fc_policy_get_name(policy), why);
	return fd;
}

FC_EXPORT void fc_policy_unlock(struct fc_ctx *ctx, struct fc_policy *policy, int fd,
				bool forget)
{
	char path[PATH_MAX + 80];

	if (fd < 0)
		return;
	if (forget && policy_lock_path(ctx, policy, false, path, sizeof(path)) == 0)
		util_unlock_remove(path, fd);
	else
		util_unlock(fd);
}
