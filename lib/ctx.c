// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The library context: reference counting, logging, and the host platform
 * the topology is read from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>
#include <sys/stat.h>
#include "lib/private.h"
#include "util/fs.h"
#include "util/text.h"
#include "lib/host/platform.h"

static void log_stderr(struct fc_ctx *ctx, int priority, const char *file,
		       int line, const char *fn, const char *format,
		       va_list args)
{
	char msg[2048], safe[sizeof(msg) * 2];

	if (priority >= LOG_DEBUG)
		fprintf(stderr, "libfamfsctl: %s: ", fn);
	else
		fprintf(stderr, "famfsctl: ");
	/* names (devices, paths, values) cannot forge a log line */
	vsnprintf(msg, sizeof(msg), format, args);
	fputs(util_escape_ctl(msg, safe, sizeof(safe)), stderr);
}

/* The log context's function: the caller's fc_log_fn, with the context. */
static void log_to_ctx(struct util_log_ctx *log, int priority, const char *file,
		       int line, const char *fn, const char *format, va_list args)
{
	struct fc_ctx *ctx = (struct fc_ctx *)log;

	ctx->log_fn(ctx, priority, file, line, fn, format, args);
}

FC_EXPORT int fc_new(struct fc_ctx **out)
{
	struct fc_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->log.fn = log_to_ctx;
	/* FAMFSCTL_LOG=err|warning|info|debug, or a syslog priority number */
	ctx->log.priority = util_log_priority(getenv("FAMFSCTL_LOG"), LOG_ERR);
	ctx->log_fn = log_stderr;
	ctx->platform = &host_platform_sysfs;
	ctx->topo.ctx = ctx;
	*out = ctx;
	return 0;
}

FC_EXPORT struct fc_ctx *fc_ref(struct fc_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

static void platform_detach(struct fc_ctx *ctx)
{
	host_topology_clear(&ctx->topo);
	ctx->scanned = false;
	if (ctx->platform && ctx->platform->close && ctx->platform_data)
		ctx->platform->close(ctx, ctx->platform_data);
	ctx->platform_data = NULL;
	free(ctx->platform_arg);
	ctx->platform_arg = NULL;
}

FC_EXPORT void fc_unref(struct fc_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return;
	fabric_detach(ctx);
	platform_detach(ctx);
	free(ctx);
}

FC_EXPORT void fc_set_log_fn(struct fc_ctx *ctx, fc_log_fn log_fn)
{
	ctx->log_fn = log_fn ? log_fn : log_stderr;
}

FC_EXPORT int fc_get_log_priority(struct fc_ctx *ctx)
{
	return ctx->log.priority;
}

FC_EXPORT void fc_set_log_priority(struct fc_ctx *ctx, int priority)
{
	ctx->log.priority = priority;
}

FC_EXPORT void fc_set_userdata(struct fc_ctx *ctx, void *userdata)
{
	ctx->userdata = userdata;
}

FC_EXPORT void *fc_get_userdata(struct fc_ctx *ctx)
{
	return ctx->userdata;
}

static const struct host_platform_ops *const platforms[] = {
	&host_platform_sysfs,
	&host_platform_sim,
};

FC_EXPORT int fc_set_platform(struct fc_ctx *ctx, const char *name,
			      const char *arg, unsigned int host_id)
{
	const struct host_platform_ops *ops = NULL;
	unsigned int old_host = ctx->host_id;
	void *data = NULL;
	int rc;

	for (size_t i = 0; i < ARRAY_SIZE(platforms); i++)
		if (strcmp(platforms[i]->name, name) == 0)
			ops = platforms[i];
	if (!ops) {
		err(ctx, "unknown host platform '%s'\n", name);
		return -EINVAL;
	}
	ctx->host_id = host_id; /* the platform's open may look */
	if (ops->open) {
		rc = ops->open(ctx, arg, &data);
		if (rc < 0) {
			ctx->host_id = old_host;
			return rc;
		}
	}
	platform_detach(ctx);
	ctx->platform = ops;
	ctx->platform_data = data;
	ctx->platform_arg = arg ? strdup(arg) : NULL;
	ctx->host_id = host_id;
	return 0;
}

FC_EXPORT void fc_set_interrupt(struct fc_ctx *ctx, volatile sig_atomic_t *flag)
{
	ctx->interrupt = flag;
}

FC_EXPORT const char *fc_get_platform(struct fc_ctx *ctx)
{
	return ctx->platform->name;
}

FC_EXPORT unsigned int fc_get_host_id(struct fc_ctx *ctx)
{
	return ctx->host_id;
}

int host_dir_find(struct fc_ctx *ctx, enum host_dir_kind kind, char *buf, size_t len)
{
	const char *env = getenv(kind == FC_HOST_RUN ? "FAMFSCTL_RUN_DIR" : "FAMFSCTL_STATE_DIR");
	const char *xdg = getenv(kind == FC_HOST_RUN ? "XDG_RUNTIME_DIR" : "XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (!strcmp(ctx->platform->name, "sim") && ctx->platform_arg)
		n = snprintf(buf, len, "%s/host%u", ctx->platform_arg, ctx->host_id);
	else if (env && *env)
		n = snprintf(buf, len, "%s", env);
	else if (geteuid() == 0)
		n = snprintf(buf, len, "%s", kind == FC_HOST_RUN ? "/run/famfsctl" :
								"/var/lib/famfsctl");
	else if (xdg && *xdg)
		n = snprintf(buf, len, "%s/famfsctl", xdg);
	else if (kind == FC_HOST_STATE && home && *home)
		n = snprintf(buf, len, "%s/.local/state/famfsctl", home);
	else
		n = snprintf(buf, len, "/tmp/famfsctl-%u", (unsigned int)geteuid());
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int host_dir(struct fc_ctx *ctx, enum host_dir_kind kind, char *buf, size_t len)
{
	char why[PATH_MAX + 96];
	int rc = host_dir_find(ctx, kind, buf, len);

	if (rc < 0) {
		err(ctx, "this host's %s directory: the name is too long\n",
		    kind == FC_HOST_RUN ? "run" : "state");
		return rc;
	}
	/*
	 * Private (0700) and checked: in a shared /tmp another user may have
	 * made it first, and its locks and records would then be theirs.
	 */
	rc = util_mkdir_safe(buf, 0700, why, sizeof(why));
	if (rc < 0)
		err(ctx, "this host's %s directory is not safe to use: %s\n",
		    kind == FC_HOST_RUN ? "run" : "state", why);
	return rc;
}

int host_topology_ensure(struct fc_ctx *ctx)
{
	int rc;

	if (ctx->scanned)
		return 0;
	rc = FC_PLATFORM_TIMED(ctx, ctx->platform->scan(ctx, ctx->platform_data, &ctx->topo));
	if (rc < 0) {
		host_topology_clear(&ctx->topo);
		return rc;
	}
	host_topology_sort(&ctx->topo);
	ctx->scanned = true;
	return 0;
}

FC_EXPORT int fc_refresh(struct fc_ctx *ctx)
{
	host_topology_clear(&ctx->topo);
	ctx->scanned = false;
	return host_topology_ensure(ctx);
}
