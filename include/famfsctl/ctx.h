/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The library context: new/ref/unref, logging, the host platform, this
 * host's id, interruption. Every other part of the API takes one.
 */
#ifndef FAMFSCTL_CTX_H
#define FAMFSCTL_CTX_H

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fc_ctx;

int fc_new(struct fc_ctx **ctx);
struct fc_ctx *fc_ref(struct fc_ctx *ctx);
void fc_unref(struct fc_ctx *ctx);

/*
 * Logging. Priorities are syslog's (LOG_ERR 3, LOG_INFO 6, LOG_DEBUG 7). The
 * initial priority comes from the environment: FAMFSCTL_LOG=err|info|debug
 * (or a number); the default is err.
 */
typedef void (*fc_log_fn)(struct fc_ctx *ctx, int priority, const char *file,
			  int line, const char *fn, const char *format,
			  va_list args);
void fc_set_log_fn(struct fc_ctx *ctx, fc_log_fn log_fn);
int fc_get_log_priority(struct fc_ctx *ctx);
void fc_set_log_priority(struct fc_ctx *ctx, int priority);
void fc_set_userdata(struct fc_ctx *ctx, void *userdata);
void *fc_get_userdata(struct fc_ctx *ctx);

/*
 * The host platform: where this host's memory devices, DC regions, extents
 * and dax devices are read from. "sysfs" (the default) is the running kernel;
 * other platforms (the simulator's host side) are selected by the fabric.
 * Selecting a platform drops any topology already scanned.
 */
int fc_set_platform(struct fc_ctx *ctx, const char *name, const char *arg,
		    unsigned int host_id);
const char *fc_get_platform(struct fc_ctx *ctx);
unsigned int fc_get_host_id(struct fc_ctx *ctx);

/*
 * Topology is scanned on first use; fc_refresh() drops it and scans again
 * (iterators and object pointers obtained before are then invalid).
 */
int fc_refresh(struct fc_ctx *ctx);

/*
 * A flag a signal handler sets (SIGINT, SIGTERM): long operations (alloc,
 * join) check it between steps and while waiting, stop with -EINTR and roll
 * back what they did. NULL: none.
 */
void fc_set_interrupt(struct fc_ctx *ctx, volatile sig_atomic_t *flag);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_CTX_H */
