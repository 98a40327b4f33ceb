/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Where a policy stands on this host: the questions `famfsctl up`, `down`
 * and `udev` converge on, answered in one place so the three agree.
 *
 * Part of libfamfsctl's installed API; <famfsctl/libfamfsctl.h> includes
 * every part. Conventions are those of libfamfsctl.h.
 */
#ifndef FAMFSCTL_STATE_H
#define FAMFSCTL_STATE_H

#include <stdbool.h>
#include <famfsctl/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fc_policy;

enum fc_mount_state {
	FC_MOUNT_NONE = 0, /* nothing of the set's is mounted there */
	FC_MOUNT_LIVE,     /* mounted, its server answering */
	FC_MOUNT_DEAD,     /* mounted, its server gone (ENOTCONN): clear and remount */
};
/* The mount of famfsctl's set `set` at mount_point. */
enum fc_mount_state fc_mount_state(const char *set, const char *mount_point);

enum fc_fs_state {
	FC_FS_UNKNOWN = 0, /* not looked at: the set is not recorded or not complete */
	FC_FS_NONE,        /* the primary holds no file system */
	FC_FS_CLEAN,       /* a clean file system */
	FC_FS_DAMAGED,     /* a file system fsck reports problems in */
};

struct fc_policy_state {
	unsigned int members_expected; /* the policy's [members] count */
	unsigned int members_here;     /* of its group, with a dax device on this host */
	bool set_recorded;             /* its interleave set (named after the policy) */
	enum fc_fs_state fs;           /* looked at only when recorded and complete */
	enum fc_mount_state mount;     /* at the mount point asked about */
};
enum fc_state_flags {
	/* also check the file system (fs), quietly: its findings are fsck's
	 * to report; without it fs stays FC_FS_UNKNOWN */
	FC_STATE_FS = 1 << 0,
};
/*
 * Where `policy` stands here: its group's members present, its set
 * recorded, a file system on it (with FC_STATE_FS), its mount at
 * mount_point (NULL or "": the policy's own mount_point; none:
 * FC_MOUNT_NONE). 0 or -errno.
 */
int fc_policy_state(struct fc_ctx *ctx, struct fc_policy *policy, const char *mount_point,
		    unsigned int flags, struct fc_policy_state *state);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_STATE_H */
