/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A policy as the rest of libfamfsctl reads it: every key of the policy
 * file format (man famfsctl-policy(5)) with defaults applied and the whole
 * validated. The public interface (libfamfsctl.h) is load / JSON / unref.
 */
#ifndef FC_POLICY_H
#define FC_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <famfsctl/libfamfsctl.h>
#include "lib/host/topology.h"

#define FC_POLICY_MAX_LIST 64     /* entries in one list-valued key */
#define FC_POLICY_MIN_CHUNK (2ULL << 20)
#define FC_POLICY_MIN_LOG (8ULL << 20)

enum policy_role { FC_ROLE_MASTER, FC_ROLE_CLIENT };
/* portable: famfsctl's own FUSE server; famfs: famfs's own mount */
enum policy_mount_mode { FC_MOUNT_AUTO, FC_MOUNT_PORTABLE, FC_MOUNT_FAMFS };

struct policy_str_list {
	unsigned int n;
	char *v[FC_POLICY_MAX_LIST];
};

struct fc_policy {
	int refcount;
	struct fc_ctx *ctx;
	char name[FC_NAME_MAX];
	char path[FC_PATH_MAX];      /* the policy file ("" for defaults only) */
	char description[FC_PATH_MAX];

	/* [fabric] */
	char fabric[FC_PATH_MAX];    /* "" = famfsctl's default fabric */
	unsigned int host_id;

	/* [members]: which memory devices qualify, and how many */
	struct policy_str_list memdevs;
	struct policy_str_list serials;  /* kept as text, compared numerically */
	struct policy_str_list ports;    /* host bridges or switch ports */
	int numa_node;               /* -1: any */
	unsigned int count;          /* members in the set */

	/* [capacity]: exactly one of the two is non-zero */
	uint64_t total_size;
	uint64_t member_size;

	/* [interleave] */
	uint64_t chunk;
	unsigned int strips;         /* per file, <= 16 and <= count */

	/* [sharing] */
	bool shared;
	enum policy_role role;
	bool sanitize_on_release;    /* default yes */

	/* [famfs] */
	uint64_t log_size;
	char mount_point[FC_PATH_MAX];
	enum policy_mount_mode mount_mode;
	uid_t root_uid;
	gid_t root_gid;
	unsigned int root_mode;
	unsigned int copy_threads;
	unsigned int refresh_ms;     /* metadata refresh interval */

	/* [udev] */
	bool auto_setup;
	struct policy_str_list tag_patterns; /* fnmatch patterns over tag UUIDs */
};

/* Does a tag (as a lower-case UUID string) match the policy's udev patterns? */
bool policy_matches_tag(const struct fc_policy *p, const char *tag);

/* This host's configured fabric ([fabric] of DIR/famfsctl.conf; "" when
 * none is configured) and host id. 0 or -errno (problems logged). */
int policy_config_fabric(struct fc_ctx *ctx, char *uri, size_t len, unsigned int *host_id);

#endif /* FC_POLICY_H */
