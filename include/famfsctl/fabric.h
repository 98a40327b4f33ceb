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

/**
 * fc_set_fabric() - Select the fabric manager.
 * @ctx: the context.
 * @uri: "NAME[:ARG]": the plugin NAME.so in the plugin directory
 *	($FAMFSCTL_PLUGIN_DIR, ignored in an elevated process; else
 *	PLUGINDIR) and its argument: "sim:DIR" (the embedded simulator;
 *	"sim" alone: the per-user one, fc_fabric_default_sim_dir()),
 *	"exec:PROGRAM". NULL or "": this host's configured fabric, [fabric]
 *	uri of DIR/famfsctl.conf (DIR: $FAMFSCTL_POLICY_DIR, else /etc/famfs),
 *	else none. "none": no fabric manager; this host only sees what its
 *	kernel shows, and fabric calls fail with -ENODEV saying how to name
 *	one. No fabric is ever selected behind the caller's back.
 * @host_id: this host's id in the fabric (the FM-API host number); 0 with
 *	a configured fabric takes the configuration's host_id.
 *
 * The plugin is loaded (its interface version checked; as root only a
 * plugin file and directory owned by root or this user and writable by
 * nobody else) and opened with ARG. The simulator also becomes the host
 * platform (its hosts are simulated); any other fabric, and none, set the
 * platform to the running kernel ("sysfs"), see fc_set_platform(). On
 * failure the previously selected fabric stays.
 *
 * Return: 0; -EINVAL for a malformed URI or configuration, or for "sim"
 * when neither $XDG_STATE_HOME nor $HOME is set; -ENOENT when the plugin
 * cannot be loaded; -EPERM when root refuses an untrusted plugin; -ENOEXEC
 * when it is not a usable plugin (no FAMFSCTL_PLUGIN_SYMBOL, another
 * interface version, a mandatory operation missing); -ENOMEM; or the
 * negative errno the plugin's open or the platform failed with (each
 * logged).
 */
int fc_set_fabric(struct fc_ctx *ctx, const char *uri, unsigned int host_id);
/**
 * fc_fabric_check_uri() - Could this host use a fabric?
 * @ctx: the context (for logging).
 * @uri: a fabric URI as for fc_set_fabric(); "" and "none" need nothing.
 *
 * The plugin must be installed in the plugin directory and, for
 * exec:PROGRAM, the program present, executable and (as root) owned by
 * root or this user and writable by nobody else. Nothing is loaded or run.
 *
 * Return: 0 when usable; -EINVAL for a malformed URI; -ENOENT, -EACCES or
 * -EPERM naming what is missing or untrusted (logged).
 */
int fc_fabric_check_uri(struct fc_ctx *ctx, const char *uri);
/**
 * fc_get_fabric_uri() - The selected fabric manager.
 * @ctx: the context.
 *
 * Return: the URI as given to fc_set_fabric() ("sim" resolved to
 * "sim:/home/me/.local/state/famfsctl/sim"); NULL when none is selected
 * (a new context, or "none"). Owned by the context until the next
 * fc_set_fabric().
 */
const char *fc_get_fabric_uri(struct fc_ctx *ctx);
/**
 * fc_fabric_default_sim_dir() - The per-user simulator's directory, which
 * "sim" alone names.
 *
 * Return: $XDG_STATE_HOME/famfsctl/sim, else ~/.local/state/famfsctl/sim,
 * malloc'd (the caller frees it); NULL when neither $XDG_STATE_HOME nor
 * $HOME is set, or out of memory.
 */
char *fc_fabric_default_sim_dir(void);
/**
 * fc_fabric_create() - Create a new fabric.
 * @ctx: the context (for logging; its selected fabric does not change).
 * @uri: the fabric, as for fc_set_fabric() (NULL or "" is refused with
 *	-ENODEV: creating needs a named fabric); for "sim", the per-user
 *	directory's parents are made.
 * @params: devices, capacity and limits of the new fabric.
 *
 * Only plugins with a create operation can (the simulator).
 *
 * Return: 0; -EOPNOTSUPP when the plugin cannot create a fabric; the
 * errors of loading a plugin as for fc_set_fabric(); or the negative errno
 * the plugin's create failed with (each logged).
 */
int fc_fabric_create(struct fc_ctx *ctx, const char *uri,
		     const struct famfsctl_fm_create *params);

/**
 * fc_fabric_info() - The fabric as a whole: its name and device count.
 * @ctx: the context.
 * @out: receives the fabric's name and how many dynamic capacity devices
 *	(DCDs) it has, addressed by index 0..devices-1 in the other commands.
 *
 * This and the FM-API commands below go to the selected fabric; with none
 * selected (a new context, or after "none") they fail with -ENODEV, logging
 * how to name one: none is ever selected behind the caller's back. An
 * FM-API failure is logged with the command, the device and the FM's
 * reason; fc_fabric_get_status() then returns its FM-API return code.
 *
 * Return: 0; -ENODEV when no fabric is selected; an FM-API failure
 * as -EINVAL (Invalid Input, Invalid Extent List, Invalid Handle),
 * -EOPNOTSUPP (Unsupported, or the plugin lacks the operation), -EAGAIN
 * (Retry Required), -EBUSY (Busy), -ENOSPC (Resources Exhausted), -EIO
 * (any other code); or the plugin's negative errno when the request did
 * not reach the FM or its answer was unusable.
 */
int fc_fabric_info(struct fc_ctx *ctx, struct famfsctl_fm_fabric *out);
/**
 * fc_fabric_dcd_info() - Get DCD Info (5600h) of a device.
 * @ctx: the context.
 * @dev: the device's index in the fabric.
 * @out: receives the device's identity (name, serial, port), its hosts,
 *	regions, policies and capacity.
 *
 * Return: 0, or a negative errno as for fc_fabric_info().
 */
int fc_fabric_dcd_info(struct fc_ctx *ctx, uint32_t dev,
		       struct famfsctl_fm_dcd_info *out);
/**
 * fc_fabric_region_config() - Get Host DC Region Config (5601h).
 * @ctx: the context.
 * @dev: the device's index in the fabric.
 * @host: the host whose view of the regions is asked for.
 * @out: room for FM_MAX_REGIONS regions.
 * @nregions: receives how many regions @out holds.
 *
 * Return: 0, or a negative errno as for fc_fabric_info().
 */
int fc_fabric_region_config(struct fc_ctx *ctx, uint32_t dev, uint16_t host,
			    struct famfsctl_fm_region *out, uint8_t *nregions);
/**
 * fc_fabric_set_region_config() - Set DC Region Config (5602h).
 * @ctx: the context.
 * @dev: the device's index in the fabric.
 * @req: the region, its block size and sanitize-on-release.
 *
 * Return: 0, or a negative errno as for fc_fabric_info() (-EOPNOTSUPP
 * from a plugin without the operation).
 */
int fc_fabric_set_region_config(struct fc_ctx *ctx, uint32_t dev,
				const struct famfsctl_fm_region_set *req);
/**
 * fc_fabric_extents() - Get DC Region Extent Lists (5603h): one page.
 * @ctx: the context.
 * @dev: the device's index in the fabric.
 * @host: the host whose extents are listed.
 * @page: in: the first entry wanted and the room in @out; out: entries
 *	written, entries in the whole list, and the list's generation.
 * @out: room for @page->max extents.
 *
 * Return: 0, or a negative errno as for fc_fabric_info().
 */
int fc_fabric_extents(struct fc_ctx *ctx, uint32_t dev, uint16_t host,
		      struct famfsctl_fm_page *page,
		      struct famfsctl_fm_extent *out);
/**
 * fc_fabric_add() - Initiate DC Add (5604h).
 * @ctx: the context.
 * @dev: the device's index in the fabric.
 * @req: the host, selection policy, region, length and tag (and for the
 *	prescriptive policy the extents).
 *
 * The FM offers the capacity to the host; it reaches the host's topology
 * as extents once the host accepts it (fc_alloc() waits for that).
 *
 * Return: 0, or a negative errno as for fc_fabric_info() (Resources
 * Exhausted: -ENOSPC).
 */
int fc_fabric_add(struct fc_ctx *ctx, uint32_t dev,
		  const struct famfsctl_fm_add *req);
/**
 * fc_fabric_release() - Initiate DC Release (5605h).
 * @ctx: the context.
 * @dev: the device's index in the fabric.
 * @req: the host, removal policy and flags, length and tag (and for the
 *	prescriptive policy the extents).
 *
 * Return: 0, or a negative errno as for fc_fabric_info().
 */
int fc_fabric_release(struct fc_ctx *ctx, uint32_t dev,
		      const struct famfsctl_fm_release *req);
/**
 * fc_fabric_add_ref() - DC Add Reference (5606h): the FM holds a tag.
 * @ctx: the context.
 * @dev: the device's index in the fabric.
 * @tag: the tag.
 *
 * Return: 0, or a negative errno as for fc_fabric_info() (-EOPNOTSUPP
 * from a plugin without the operation).
 */
int fc_fabric_add_ref(struct fc_ctx *ctx, uint32_t dev, const uuid_t tag);
/**
 * fc_fabric_remove_ref() - DC Remove Reference (5607h).
 * @ctx: the context.
 * @dev: the device's index in the fabric.
 * @tag: the tag whose FM reference is dropped.
 *
 * Return: 0, or a negative errno as for fc_fabric_info() (-EOPNOTSUPP
 * from a plugin without the operation).
 */
int fc_fabric_remove_ref(struct fc_ctx *ctx, uint32_t dev, const uuid_t tag);
/**
 * fc_fabric_tags() - DC List Tags (5608h): one page.
 * @ctx: the context.
 * @dev: the device's index in the fabric.
 * @page: in: the first entry wanted and the room in @out; out: entries
 *	written, entries in the whole list, and the list's generation.
 * @out: room for @page->max tags.
 *
 * Return: 0, or a negative errno as for fc_fabric_info().
 */
int fc_fabric_tags(struct fc_ctx *ctx, uint32_t dev,
		   struct famfsctl_fm_page *page, struct famfsctl_fm_tag *out);
/**
 * fc_fabric_get_status() - The FM-API return code of the last command.
 * @ctx: the context.
 *
 * Return: the FM-API return code (enum famfsctl_fm_rc) the last command
 * failed with (FM_RC_UNSUPPORTED when the plugin lacks the operation); 0
 * when it succeeded, failed before reaching the FM, or no fabric is
 * selected.
 */
int fc_fabric_get_status(struct fc_ctx *ctx);

/**
 * struct fc_stats - Where time went, for benchmarks.
 * @fabric_calls: commands sent to the selected fabric's plugin.
 * @fabric_ns: nanoseconds spent inside them.
 * @platform_calls: host platform operations (scans, claims, destroys,
 *	mode switches, DC region creation).
 * @platform_ns: nanoseconds spent inside them.
 *
 * Counted since the context was made (the fabric's since it was
 * selected), on CLOCK_MONOTONIC.
 */
struct fc_stats {
	uint64_t fabric_calls, fabric_ns;
	uint64_t platform_calls, platform_ns;
};
/**
 * fc_get_stats() - Read the context's time accounting.
 * @ctx: the context.
 * @stats: receives the counts and times (the fabric's 0 when none is
 *	selected).
 */
void fc_get_stats(struct fc_ctx *ctx, struct fc_stats *stats);

/**
 * fc_fm_rc_name() - An FM-API return code's name.
 * @rc: the code (enum famfsctl_fm_rc).
 *
 * Return: the specification's name, "Invalid Input", or "Unknown Return
 * Code"; static strings.
 */
const char *fc_fm_rc_name(int rc);
/**
 * fc_fm_policy_name() - A DC Add selection policy's name.
 * @policy: enum famfsctl_fm_add_policy.
 *
 * Return: "free", "contiguous", "prescriptive" or "enable-shared-access";
 * NULL for any other value.
 */
const char *fc_fm_policy_name(int policy);
/**
 * fc_fm_policy_parse() - A DC Add selection policy by name.
 * @name: as fc_fm_policy_name() returns them, or NULL.
 *
 * Return: the enum famfsctl_fm_add_policy value, or -1 when unknown.
 */
int fc_fm_policy_parse(const char *name);

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_FABRIC_H */
