// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The `sim` fabric plugin (`sim:DIR`): the embedded DCD fabric simulator's
 * fabric-manager face (plugins/sim/), for any machine without a fabric.
 * The same engine is the host platform of simulated hosts (lib/platform-sim.c).
 */
#include <errno.h>
#include <famfsctl/plugin.h>
#include "sim/sim.h"

static int sim_plugin_open(const struct famfsctl_plugin_host *host,
			   const char *arg, void **handle)
{
	struct sim *s;
	int rc = sim_open(host, arg, &s);

	if (rc < 0)
		return rc;
	*handle = s;
	return 0;
}

static void sim_plugin_close(void *handle)
{
	sim_close(handle);
}

__attribute__((visibility("default")))
const struct famfsctl_plugin famfsctl_plugin = {
	.version = FAMFSCTL_PLUGIN_VERSION,
	.name = "sim",
	.description = "embedded DCD fabric simulator (sim:DIR)",
	.open = sim_plugin_open,
	.close = sim_plugin_close,
	.create = sim_create,
	.fabric = sim_fm_fabric,
	.dcd_info = sim_fm_dcd_info,
	.region_config = sim_fm_region_config,
	.set_region_config = sim_fm_set_region_config,
	.extents = sim_fm_extents,
	.add = sim_fm_add,
	.release = sim_fm_release,
	.add_ref = sim_fm_add_ref,
	.remove_ref = sim_fm_remove_ref,
	.tags = sim_fm_tags,
};
