/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Fabric managers: selecting one (a plugin, <famfsctl/plugin.h>) and the
 * FM-API Dynamic Capacity commands sent to it.
 *
 * Part of libfamfsctl's installed API; <famfsctl/libfamfsctl.h> includes
 * every part. Conventions are those of libfamfsctl.h.
 */
#ifndef FAMFSCTL_FABRIC_H
#define FAMFSCTL_FABRIC_H

#include <stdint.h>
#include <uuid/uuid.h>
#include <famfsctl/ctx.h>
#include <famfsctl/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Select the fabric manager: a URI "NAME[:ARG]" naming a plugin in the
 * plugin directory ($FAMFSCTL_PLUGIN_DIR, else PLUGINDIR) and its argument:
 * "sim:DIR" (the embedded simulator; "sim" alone: the per-user state
 * directory's, $XDG_STATE_HOME/famfsctl/sim, else
 * ~/.local/state/famfsctl/sim), "exec:PROGRAM". NULL or "" selects this
 * host's configured fabric, [fabric] uri (and host_id, when host_id is 0)
 * of DIR/famfsctl.conf (DIR: $FAMFSCTL_POLICY_DIR, else /etc/famfs), else
 * none. "none" means no fabric manager: this host only sees what its kernel
 * shows, and fabric calls fail with -ENODEV saying how to name one.
 * The simulator also becomes the host platform (its hosts are simulated);
 * any other fabric leaves the platform at the running kernel ("sysfs").
 */
int fc_set_fabric(struct fc_ctx *ctx, const char *uri, unsigned int host_id);
/*
 * Could this host use the fabric `uri` names: its plugin installed in the
 * plugin directory, and for exec:PROGRAM the program present, executable
 * and (as root) owned by root or this user and writable by nobody else.
 * "" and "none" need nothing. 0, or a negative errno with the reason logged.
 */
int fc_fabric_check_uri(struct fc_ctx *ctx, const char *uri);
/* The selected fabric URI as given (default resolved), or NULL for "none". */
const char *fc_get_fabric_uri(struct fc_ctx *ctx);
/* The simulator directory "sim" alone names for this user (malloc'd), or NULL. */
char *fc_fabric_default_sim_dir(void);
/* Create a new fabric (plugins that can: the simulator). */
int fc_fabric_create(struct fc_ctx *ctx, const char *uri,
		     const struct famfsctl_fm_create *params);

/*
 * The FM-API Dynamic Capacity commands, addressed to device `dev` of the
 * selected fabric. Each returns 0 or a negative errno; an FM-API failure
 * is logged with the command, device and the FM's reason, and maps to
 * -EINVAL (Invalid Input, Invalid Extent List), -ENOSPC (Resources
 * Exhausted), -EAGAIN (Retry Required), -EBUSY, -EOPNOTSUPP (Unsupported),
 * -EIO (anything else). fc_fabric_get_status() returns the FM-API return
 * code of the last command (0 when it succeeded or never reached the FM).
 */
int fc_fabric_info(struct fc_ctx *ctx, struct famfsctl_fm_fabric *out);
int fc_fabric_dcd_info(struct fc_ctx *ctx, uint32_t dev,
		       struct famfsctl_fm_dcd_info *out);
int fc_fabric_region_config(struct fc_ctx *ctx, uint32_t dev, uint16_t host,
			    struct famfsctl_fm_region *out, uint8_t *nregions);
int fc_fabric_set_region_config(struct fc_ctx *ctx, uint32_t dev,
				const struct famfsctl_fm_region_set *req);
int fc_fabric_extents(struct fc_ctx *ctx, uint32_t dev, uint16_t host,
		      struct famfsctl_fm_page *page,
		      struct famfsctl_fm_extent *out);
int fc_fabric_add(struct fc_ctx *ctx, uint32_t dev,
		  const struct famfsctl_fm_add *req);
int fc_fabric_release(struct fc_ctx *ctx, uint32_t dev,
		      const struct famfsctl_fm_release *req);
int fc_fabric_add_ref(struct fc_ctx *ctx, uint32_t dev, const uuid_t tag);
int fc_fabric_remove_ref(struct fc_ctx *ctx, uint32_t dev, const uuid_t tag);
int fc_fabric_tags(struct fc_ctx *ctx, uint32_t dev,
		   struct famfsctl_fm_page *page, struct famfsctl_fm_tag *out);
int fc_fabric_get_status(struct fc_ctx *ctx);

/* Where time went, for benchmarks: commands sent to the fabric plugin and
 * host platform operations (scans, claims, mode switches), with the time
 * spent inside them since the context was made. */
struct fc_stats {
	uint64_t fabric_calls, fabric_ns;
	uint64_t platform_calls, platform_ns;
};
void fc_get_stats(struct fc_ctx *ctx, struct fc_stats *stats);

/* Names: "Invalid Input"; "free", "contiguous", "prescriptive",
 * "enable-shared-access" (and back: -1 when unknown). */
const char *fc_fm_rc_name(int rc);
const char *fc_fm_policy_name(int policy);
int fc_fm_policy_parse(const char *name);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_FABRIC_H */
