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

/**
 * enum fc_mount_state - A set's mount at a mount point.
 * @FC_MOUNT_NONE: nothing of the set's is mounted there.
 * @FC_MOUNT_LIVE: mounted, its server answering.
 * @FC_MOUNT_DEAD: mounted, its server gone (ENOTCONN): clear and remount.
 */
enum fc_mount_state {
	FC_MOUNT_NONE = 0, /* nothing of the set's is mounted there */
	FC_MOUNT_LIVE,     /* mounted, its server answering */
	FC_MOUNT_DEAD,     /* mounted, its server gone (ENOTCONN): clear and remount */
};
/**
 * fc_mount_state() - The mount of famfsctl's set at a mount point.
 * @set: the interleave set's name: its mounts' source is "famfsctl:SET".
 * @mount_point: where to look; NULL or "": nowhere.
 *
 * From the kernel's mount table (/proc/self/mounts); a FUSE mount whose
 * server is gone answers ENOTCONN to stat(2). Logs nothing.
 *
 * Return: FC_MOUNT_NONE when @mount_point is NULL or "" or holds no mount
 * of @set; FC_MOUNT_DEAD when it does but stat(2) of it fails with
 * ENOTCONN; FC_MOUNT_LIVE otherwise.
 */
enum fc_mount_state fc_mount_state(const char *set, const char *mount_point);

/**
 * enum fc_fs_state - The file system on a policy's set.
 * @FC_FS_UNKNOWN: not looked at: not asked for (FC_STATE_FS), or the set
 *	is not recorded or not complete.
 * @FC_FS_NONE: the primary holds no file system.
 * @FC_FS_CLEAN: a clean file system.
 * @FC_FS_DAMAGED: the check failed any other way: a file system fsck
 *	reports problems in, or members that could not be checked.
 */
enum fc_fs_state {
	FC_FS_UNKNOWN = 0, /* not looked at: the set is not recorded or not complete */
	FC_FS_NONE,        /* the primary holds no file system */
	FC_FS_CLEAN,       /* a clean file system (or one only a cut append left
			    * repairable: it reads fine, its master restores it) */
	FC_FS_DAMAGED,     /* a file system fsck reports problems in */
};

/**
 * struct fc_policy_state - Where a policy stands on this host.
 * @members_expected: the policy's [members] count.
 * @members_here: members of its group with a dax device on this host.
 * @set_recorded: its interleave set (named after the policy) is recorded.
 * @fs: the file system on the set, looked at only when asked for, the set
 *	recorded and every member here.
 * @mount: the set's mount at the mount point asked about.
 * @members_held: with FC_STATE_HELD, tags of its group this host holds by
 *	its DC extents or by the fabric's tag list (held or offered to this
 *	host), dax device or not: an allocation interrupted before its claims.
 */
struct fc_policy_state {
	unsigned int members_expected; /* the policy's [members] count */
	unsigned int members_here;     /* of its group, with a dax device on this host */
	bool set_recorded;             /* its interleave set (named after the policy) */
	enum fc_fs_state fs;           /* looked at only when recorded and complete */
	enum fc_mount_state mount;     /* at the mount point asked about */
	unsigned int members_held;     /* FC_STATE_HELD: its tags held here, dax device or not */
};
/**
 * enum fc_state_flags - What fc_policy_state() also looks at.
 * @FC_STATE_FS: check the file system (fs), quietly: its findings are
 *	fsck's to report; without it fs stays FC_FS_UNKNOWN.
 * @FC_STATE_HELD: also count members_held (asks the fabric, when one is
 *	configured, for every device's tags).
 */
enum fc_state_flags {
	/* also check the file system (fs), quietly: its findings are fsck's
	 * to report; without it fs stays FC_FS_UNKNOWN */
	FC_STATE_FS = 1 << 0,
	/* also count members_held: asks the fabric for every device's tags */
	FC_STATE_HELD = 1 << 1,
};
/**
 * fc_policy_state() - Where a policy stands on this host.
 * @ctx: the context.
 * @policy: the policy.
 * @mount_point: where to look for its mount; NULL or "": the policy's own
 *	mount_point.
 * @flags: enum fc_state_flags.
 * @state: receives the answers (zeroed first).
 *
 * The questions `famfsctl up`, `down` and `udev` converge on, answered from
 * what the host shows now: its group's members present (by the tags of its
 * dax devices), its set recorded (fc_interleave_exists()), a file system on
 * it (with FC_STATE_FS: fc_famfs_check_set() with the log priority held at
 * 0 meanwhile), its mount (fc_mount_state()). Refreshes the topology:
 * pointers obtained before are invalid afterwards.
 *
 * Return: 0, or the negative errno the topology scan failed with.
 */
int fc_policy_state(struct fc_ctx *ctx, struct fc_policy *policy, const char *mount_point,
		    unsigned int flags, struct fc_policy_state *state);

/**
 * fc_policy_lock() - Serialise `up` and `down` of one policy on this host.
 * @ctx: the context.
 * @policy: the policy.
 *
 * An exclusive lock on policy-NAME.lock in this host's run directory (made
 * safely: a private directory, no symbolic link followed). When another
 * process holds it, logs that it waits, then waits: the second `up` of a
 * policy then finds the first one's work instead of failing halfway.
 *
 * Return: the lock's file descriptor (give it to fc_policy_unlock()), or a
 * negative errno, logged (-EINTR when a signal interrupted the wait).
 */
int fc_policy_lock(struct fc_ctx *ctx, struct fc_policy *policy);

/**
 * fc_policy_unlock() - Release the lock fc_policy_lock() took.
 * @ctx: the context.
 * @policy: the policy.
 * @fd: the lock's file descriptor; a negative one is ignored.
 * @forget: also remove the lock file (the policy is down), while still
 *	holding it, so lock files do not accumulate; a process waiting for
 *	it takes a new one.
 */
void fc_policy_unlock(struct fc_ctx *ctx, struct fc_policy *policy, int fd, bool forget);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_STATE_H */
