/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What every file inside libfamfsctl shares: the context and its logging.
 * Nothing here is exported; the public interface is libfamfsctl.h.
 */
#ifndef FC_PRIVATE_H
#define FC_PRIVATE_H

#include <syslog.h>
#include <famfsctl/libfamfsctl.h>
#include "lib/host/topology.h"
#include "util/export.h"
#include "util/log.h"

struct host_platform_ops;
struct fabric_conn;

struct fc_ctx {
	/* first: lower layers log through it (ctx_log) */
	struct util_log_ctx log;
	int refcount;
	fc_log_fn log_fn;
	void *userdata;

	/* host platform: its ops, its private data and this host's id */
	const struct host_platform_ops *platform;
	void *platform_data;
	char *platform_arg;
	unsigned int host_id;

	/* the fabric manager's plugin (fabric.c), loaded on first use */
	struct fabric_conn *fabric;
	/* set by the caller's signal handler (fc_set_interrupt) */
	volatile sig_atomic_t *interrupt;
	/* time spent in the host platform's ops (fc_get_stats) */
	uint64_t platform_calls, platform_ns;

	/* topology, scanned on first use (topology.c) */
	struct host_topology topo;
	bool scanned;
};

/* The context's log context, for famfs/ and util/ (NULL stays NULL: the
 * log context is the first member). */
static inline struct util_log_ctx *ctx_log(struct fc_ctx *ctx)
{
	return (struct util_log_ctx *)ctx;
}

#define err(ctx, ...) log_err(ctx_log(ctx), __VA_ARGS__)
#define warn(ctx, ...) log_warn(ctx_log(ctx), __VA_ARGS__)
#define info(ctx, ...) log_info(ctx_log(ctx), __VA_ARGS__)
#define dbg(ctx, ...) log_dbg(ctx_log(ctx), __VA_ARGS__)

/* Ensure the topology is scanned; returns 0 or a negative errno. */
int host_topology_ensure(struct fc_ctx *ctx);
/* Unload the fabric plugin (fabric.c). */
void fabric_detach(struct fc_ctx *ctx);
/* Every tag on fabric device `dev` (malloc'd array); count or -errno. */
struct famfsctl_fm_tag;
int fabric_all_tags(struct fc_ctx *ctx, uint32_t dev, struct famfsctl_fm_tag **out);
/* CLOCK_MONOTONIC in ns. */
uint64_t ctx_now_ns(void);
/* Account a platform op's time. */
#define FC_PLATFORM_TIMED(ctx, expr)                                        \
	({                                                                  \
		uint64_t t0_ = ctx_now_ns();                                 \
		int r_ = (expr);                                            \
		(ctx)->platform_ns += ctx_now_ns() - t0_;                    \
		(ctx)->platform_calls++;                                    \
		r_;                                                         \
	})
/*
 * This host's own directories, made on demand: FC_HOST_RUN for locks
 * ($FAMFSCTL_RUN_DIR, /run/famfsctl as root, else $XDG_RUNTIME_DIR/famfsctl,
 * else /tmp/famfsctl-UID), FC_HOST_STATE for records such as interleave
 * sets ($FAMFSCTL_STATE_DIR, /var/lib/famfsctl as root, else
 * $XDG_STATE_HOME/famfsctl or ~/.local/state/famfsctl). A simulated host
 * keeps both in its fabric's directory (DIR/hostN), so simulated hosts on
 * one machine stay apart. host_dir makes the directory (0700 in a
 * shared /tmp) and refuses one another user owns or others may write
 * (util_check_dir; the reason is logged); host_dir_find only names it,
 * for commands that only read.
 */
enum host_dir_kind { FC_HOST_RUN, FC_HOST_STATE };
int host_dir(struct fc_ctx *ctx, enum host_dir_kind kind, char *buf, size_t len);
int host_dir_find(struct fc_ctx *ctx, enum host_dir_kind kind, char *buf, size_t len);
/* The plugin's reason for the last failed command (one line), or NULL. */
const char *fabric_last_message(struct fc_ctx *ctx);

#endif /* FC_PRIVATE_H */
