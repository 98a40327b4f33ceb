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

/*
 * Members of an allocation group, an interleave set, a policy's set and a
 * famfs file system: one limit everywhere (a group numbers its members in
 * its tags' last 16 bits, famfs's member table has this many slots).
 */
#define FC_MAX_MEMBERS 255

/**
 * fc_new() - Make a library context.
 * @ctx: receives the new context, with one reference.
 *
 * The context logs to stderr at the priority $FAMFSCTL_LOG names ("err",
 * "warning", "info", "debug", or a syslog number 0..7; anything else, or
 * unset: err). Its host platform is the running kernel ("sysfs") and its
 * host id 0; no fabric is selected yet and no topology scanned.
 *
 * Return: 0, or -ENOMEM.
 */
int fc_new(struct fc_ctx **ctx);
/**
 * fc_ref() - Take another reference on a context.
 * @ctx: a context from fc_new(), or NULL.
 *
 * Return: @ctx (NULL stays NULL).
 */
struct fc_ctx *fc_ref(struct fc_ctx *ctx);
/**
 * fc_unref() - Drop a reference on a context.
 * @ctx: a context from fc_new(), or NULL (nothing happens).
 *
 * The last reference frees the context: the fabric plugin is closed and
 * unloaded, the host platform closed and the topology dropped, so every
 * object pointer obtained through the context is invalid afterwards. A
 * policy holds a reference of its own (fc_policy_load()).
 */
void fc_unref(struct fc_ctx *ctx);

/**
 * typedef fc_log_fn - A log callback.
 * @ctx: the context logging.
 * @priority: syslog's (LOG_ERR 3, LOG_WARNING 4, LOG_INFO 6, LOG_DEBUG 7).
 * @file: source file of the message.
 * @line: source line of the message.
 * @fn: function logging.
 * @format: printf format of the message; messages end with a newline.
 * @args: its arguments.
 *
 * Called only for messages at or below the context's log priority.
 */
typedef void (*fc_log_fn)(struct fc_ctx *ctx, int priority, const char *file,
			  int line, const char *fn, const char *format,
			  va_list args);
/**
 * fc_set_log_fn() - Send the context's log messages to a callback.
 * @ctx: the context.
 * @log_fn: the callback; NULL restores the default (stderr, prefixed
 *	"famfsctl: ", or "libfamfsctl: FUNCTION: " for debug messages).
 */
void fc_set_log_fn(struct fc_ctx *ctx, fc_log_fn log_fn);
/**
 * fc_get_log_priority() - The context's log priority.
 * @ctx: the context.
 *
 * Return: the highest syslog priority logged (LOG_ERR 3 .. LOG_DEBUG 7);
 * initially from $FAMFSCTL_LOG, see fc_new().
 */
int fc_get_log_priority(struct fc_ctx *ctx);
/**
 * fc_set_log_priority() - Set the context's log priority.
 * @ctx: the context.
 * @priority: the highest syslog priority to log (LOG_ERR 3 logs errors
 *	only, LOG_DEBUG 7 everything).
 */
void fc_set_log_priority(struct fc_ctx *ctx, int priority);
/**
 * fc_set_userdata() - Attach the caller's pointer to a context.
 * @ctx: the context.
 * @userdata: anything (for a log callback, say); the library never
 *	touches it.
 */
void fc_set_userdata(struct fc_ctx *ctx, void *userdata);
/**
 * fc_get_userdata() - The caller's pointer attached to a context.
 * @ctx: the context.
 *
 * Return: what fc_set_userdata() attached last, or NULL.
 */
void *fc_get_userdata(struct fc_ctx *ctx);

/**
 * fc_set_platform() - Select the host platform.
 * @ctx: the context.
 * @name: "sysfs" (the running kernel, the default) or "sim" (a simulated
 *	host of the fabric simulator).
 * @arg: the platform's argument: for "sim" the simulator's state
 *	directory; NULL for "sysfs".
 * @host_id: this host's id (the FM-API host number it asks the fabric for).
 *
 * The platform is where this host's memory devices, DC regions, extents
 * and dax devices are read from and managed through. fc_set_fabric()
 * selects the simulator's platform for "sim:DIR" and "sysfs" for any other
 * fabric, so few callers need this. Selecting a platform drops any topology
 * already scanned: object pointers obtained before are invalid. On failure
 * the previous platform and host id stay.
 *
 * Return: 0; -EINVAL for an unknown platform name; or the negative errno
 * the platform failed to attach with (the simulator's directory cannot be
 * opened, -ENOMEM).
 */
int fc_set_platform(struct fc_ctx *ctx, const char *name, const char *arg,
		    unsigned int host_id);
/**
 * fc_get_platform() - The selected host platform's name.
 * @ctx: the context.
 *
 * Return: "sysfs" or "sim" (owned by the library).
 */
const char *fc_get_platform(struct fc_ctx *ctx);
/**
 * fc_get_host_id() - This host's id.
 * @ctx: the context.
 *
 * Return: the host id given to fc_set_platform() or fc_set_fabric() last
 * (0 for a new context).
 */
unsigned int fc_get_host_id(struct fc_ctx *ctx);

/**
 * fc_refresh() - Scan this host's topology again.
 * @ctx: the context.
 *
 * The topology (memory devices, dax regions, extents, dax devices) is
 * scanned on first use and kept; this drops it and scans again. Iterators
 * and object pointers obtained before are invalid afterwards.
 *
 * Return: 0, or the negative errno the platform's scan failed with (the
 * topology is then empty until the next successful scan).
 */
int fc_refresh(struct fc_ctx *ctx);

/**
 * fc_set_interrupt() - Let a signal handler stop long operations.
 * @ctx: the context.
 * @flag: a flag the caller's signal handler (SIGINT, SIGTERM) sets to
 *	non-zero; NULL: none.
 *
 * Long operations (fc_alloc(), fc_alloc_join(), fc_alloc_policy(), and
 * waiting for the host lock) check the flag between steps and while
 * waiting; when it is set they stop with -EINTR and roll back what they
 * did.
 */
void fc_set_interrupt(struct fc_ctx *ctx, volatile sig_atomic_t *flag);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_CTX_H */
