/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libfamfsctl statistics: what a dashboard watches, per interleave set and
 * per fabric device (famfsctl-stats(1) renders them as JSON or in the
 * Prometheus text format). Installed as <famfsctl/stats.h>.
 */
#ifndef FAMFSCTL_STATS_H
#define FAMFSCTL_STATS_H

#ifdef __cplusplus
extern "C" {
#endif

struct fc_ctx;
struct json_object;

/**
 * fc_stats_collect() - collect the statistics of this host's sets and the fabric
 * @ctx: context, its fabric selected (fc_set_fabric)
 * @set: one interleave set's name, or NULL for every set
 * @flags: FC_JSON_* (sizes as numbers without FC_JSON_HUMAN)
 * @stats: receives {"sets": [...], "devices": [...]}
 *
 * Per set: members expected and present; when its file system opens:
 * capacity, used and free bytes, files, directories, log entries used and
 * log capacity; the mount (point, mode portable|famfs, ro|rw) from this host's
 * mount table; the last verdict fsck recorded (fc_stats_record_fsck). Per
 * fabric device (none without a fabric manager): capacity, allocated
 * (tagged), free bytes and tags. A set whose file system does not open is
 * reported with "formatted": false and why, not as an error.
 *
 * Return: 0, -ENOENT when @set is not a set of this host, or -errno (logged).
 */
int fc_stats_collect(struct fc_ctx *ctx, const char *set, unsigned long flags,
	     struct json_object **stats);

/**
 * fc_stats_record_fsck() - remember a set's fsck verdict for fc_stats_collect()
 * @ctx: context
 * @set: the set checked
 * @rc: what fc_famfs_check_set() returned (0 clean, -ENOENT no file system,
 *      -EUCLEAN damaged, other: the check could not run)
 * @report: its report (may be NULL): the problem count is kept
 *
 * Written atomically to the host's state directory (fsck/SET.json) with
 * the time of the check.
 *
 * Return: 0 or -errno (logged).
 */
int fc_stats_record_fsck(struct fc_ctx *ctx, const char *set, int rc,
			 struct json_object *report);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_STATS_H */
