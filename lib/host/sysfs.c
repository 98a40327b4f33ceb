// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The sysfs host platform: the running kernel's CXL and DAX topology.
 *
 * libcxl and libdaxctl give the topology they know; the dynamic-capacity
 * attributes they lack (Debian's ndctl 76 predates DCD) are read directly
 * from the device directories those libraries report, discovering the
 * kernel's name for the DC partition at run time (doc/kernel-dcd.md).
 */
#include "util/string.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cxl/libcxl.h>
#include <daxctl/libdaxctl.h>
#include "lib/private.h"
#include "lib/host/platform.h"
#include "famfs/media.h"
#include "lib/host/sysfs.h"

#define CXL_BUS "/sys/bus/cxl/devices"
#define DAX_BUS "/sys/bus/dax/devices"

/*
 * The DC partition and the DCD series generation from its naming (newest
 * first, doc/kernel-dcd.md): v11 memX/dynamic_ram_1/size, v9/v10
 * memX/dynamic_ram_a/size (told apart later, by the dax devices),
 * v4-v8 memX/dcY/size (only the first partition, dc0, is exposed), v3
 * memX/dc/region0_size.
 */
static void read_dc_partition(struct fc_ctx *ctx, const char *memdir,
			      struct fc_memdev *m)
{
	static const struct {
		const char *file, *name;
		enum host_dc_gen gen;
	} gens[] = {
		{ "dynamic_ram_1/size", "dynamic_ram_1", HOST_DC_GEN_V11 },
		{ "dynamic_ram_a/size", "dynamic_ram_a", HOST_DC_GEN_V9_OR_V10 },
		{ "dc0/size", "dc0", HOST_DC_GEN_V4_V8 },
		{ "dc/region0_size", "dc0", HOST_DC_GEN_V3 },
	};
	uint64_t size;

	for (size_t i = 0; i < ARRAY_SIZE(gens); i++) {
		if (util_sysfs_readf_u64(&size, "%s/%s", memdir, gens[i].file) < 0)
			continue;
		util_set(m->dc_partition, gens[i].name);
		m->dc_size = size;
		m->dc_gen = gens[i].gen;
		dbg(ctx, "%s: DC partition %s, %llu bytes (DCD series %s)\n", m->name,
		    gens[i].name, (unsigned long long)size, host_dc_gen_name(m->dc_gen));
		return;
	}
}

/* Port path from the root port down to the memdev's endpoint. */
static void read_port_path(struct cxl_memdev *cm, struct fc_memdev *m)
{
	struct cxl_endpoint *ep = cxl_memdev_get_endpoint(cm);
	struct cxl_port *port;
	const char *names[16];
	int n = 0;
	size_t off = 0;

	if (!ep)
		return;
	for (port = cxl_endpoint_get_port(ep); port && n < 16;
	     port = cxl_port_get_parent(port))
		names[n++] = cxl_port_get_devname(port);
	/* names[n-1] is the root; the one below it is the host bridge. */
	if (n >= 2)
		util_set(m->host_bridge, names[n - 2]);
	for (int i = n - 1; i >= 0 && off < sizeof(m->port_path); i--)
		off += (size_t)snprintf(m->port_path + off,
					sizeof(m->port_path) - off, "%s%s",
					names[i], i ? "/" : "");
}

static int scan_memdevs(struct fc_ctx *ctx, struct cxl_ctx *cxl,
			struct host_topology *t)
{
	struct cxl_memdev *cm;

	cxl_memdev_foreach(cxl, cm) {
		const char *name = cxl_memdev_get_devname(cm);
		char dir[PATH_MAX];
		struct fc_memdev *m = host_topo_add_memdev(t, name);

		if (!m)
			return -ENOMEM;
		m->id = cxl_memdev_get_id(cm);
		m->serial = cxl_memdev_get_serial(cm);
		m->numa_node = cxl_memdev_get_numa_node(cm);
		m->ram_size = cxl_memdev_get_ram_size(cm);
		m->pmem_size = cxl_memdev_get_pmem_size(cm);
		util_set(m->host, cxl_memdev_get_host(cm));
		read_port_path(cm, m);
		snprintf(dir, sizeof(dir), CXL_BUS "/%s", name);
		read_dc_partition(ctx, dir, m);
	}
	return 0;
}

/*
 * The memdev behind a CXL region. A DC region is never interleaved by the
 * kernel, so its single target names it: regionN/target0 is an endpoint
 * decoder (decoderE.D), whose parent is the endpoint port, whose uport is
 * the memdev. Read from sysfs directly: Debian's libcxl cannot parse the
 * DC decoder modes.
 */
static struct fc_memdev *region_memdev(struct fc_ctx *ctx,
				       struct host_topology *t,
				       const char *cxl_region)
{
	char target[64], path[PATH_MAX], real[PATH_MAX], link[PATH_MAX];
	const char *mem;
	char *slash;
	ssize_t n;

	if (util_sysfs_readf(target, sizeof(target), CXL_BUS "/%s/target0", cxl_region) < 0 ||
	    !*target)
		return NULL;
	snprintf(path, sizeof(path), CXL_BUS "/%s", target);
	if (!realpath(path, real) || !(slash = strrchr(real, '/')))
		return NULL;
	strcpy(slash, "/uport"); /* the endpoint's uport */
	n = readlink(real, link, sizeof(link) - 1);
	if (n < 0) {
		dbg(ctx, "%s: %s has no endpoint uport\n", cxl_region, target);
		return NULL;
	}
	link[n] = '\0';
	mem = strrchr(link, '/');
	mem = mem ? mem + 1 : link;
	for (struct fc_memdev *m = t->memdevs; m; m = m->next)
		if (!strcmp(m->name, mem))
			return m;
	return NULL;
}

/*
 * The CXL region a dax region belongs to: the nearest ancestor directory that
 * is itself /sys/bus/cxl/devices/regionN. A DC region's dax_regionN sits
 * directly under its CXL region; a pmem namespace's dax region sits under an
 * nvdimm region (also called regionN, on another bus), which must not count.
 */
static bool cxl_region_above(const char *devdir, char *name, size_t len)
{
	char real[PATH_MAX], *slash;

	if (!realpath(devdir, real))
		return false;
	while ((slash = strrchr(real, '/')) && slash != real) {
		char bus_path[PATH_MAX], bus_real[PATH_MAX];
		const char *base = slash + 1;

		if (!strncmp(base, "region", 6) &&
		    snprintf(bus_path, sizeof(bus_path), CXL_BUS "/%s", base) < (int)sizeof(bus_path) &&
		    realpath(bus_path, bus_real) && !strcmp(bus_real, real)) {
			util_strlcpy(name, base, len);
			return true;
		}
		*slash = '\0';
	}
	return false;
}

static int scan_extents(struct fc_ctx *ctx, struct host_topology *t,
			struct fc_dax_region *r, const char *devdir)
{
	DIR *dir = opendir(devdir);
	struct dirent *de;
	int rc = 0;

	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		char tag[64];
		struct fc_extent *e;

		if (strncmp(de->d_name, "extent", 6))
			continue;
		e = host_topo_add_extent(t, r, de->d_name);
		if (!e) {
			rc = -ENOMEM;
			break;
		}
		r->dc = true;
		if (util_sysfs_readf_u64(&e->offset, "%s/%s/offset", devdir,
				       de->d_name) < 0 ||
		    util_sysfs_readf_u64(&e->length, "%s/%s/length", devdir,
				       de->d_name) < 0)
			warn(ctx, "%s: unreadable offset/length\n", de->d_name);
		/* "uuid" in current series, "tag" in older ones */
		if (util_sysfs_readf(tag, sizeof(tag), "%s/%s/uuid", devdir, de->d_name) < 0 &&
		    util_sysfs_readf(tag, sizeof(tag), "%s/%s/tag", devdir, de->d_name) < 0)
			tag[0] = '\0';
		if (tag[0] && uuid_parse(tag, e->tag) == 0 && !uuid_is_null(e->tag))
			e->tagged = true;
	}
	closedir(dir);
	return rc;
}

static enum fc_dax_mode dax_dev_mode(const char *name)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *drv;
	ssize_t n;

	snprintf(path, sizeof(path), DAX_BUS "/%s/driver", name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return FC_DAX_MODE_UNBOUND;
	link[n] = '\0';
	drv = strrchr(link, '/');
	drv = drv ? drv + 1 : link;
	if (!strcmp(drv, "device_dax"))
		return FC_DAX_MODE_DEVDAX;
	if (!strcmp(drv, "kmem"))
		return FC_DAX_MODE_SYSTEM_RAM;
	if (!strcmp(drv, "fsdev_dax"))
		return FC_DAX_MODE_FAMFS;
	return FC_DAX_MODE_UNKNOWN;
}

static int scan_dax(struct fc_ctx *ctx, struct daxctl_ctx *dax,
		    struct host_topology *t)
{
	struct daxctl_region *dr;

	daxctl_region_foreach(dax, dr) {
		struct fc_dax_region *r = host_topo_add_dax_region(t, daxctl_region_get_id(dr));
		char devdir[PATH_MAX], *slash;
		struct daxctl_dev *dd;

		if (!r)
			return -ENOMEM;
		r->size = daxctl_region_get_size(dr);
		r->available_size = daxctl_region_get_available_size(dr);
		r->align = daxctl_region_get_align(dr);
		/* region path is DEVICE/dax_region; extents are DEVICE/extent* */
		util_set(r->path, daxctl_region_get_path(dr));
		util_set(devdir, r->path);
		slash = strrchr(devdir, '/');
		if (slash && !strcmp(slash, "/dax_region"))
			*slash = '\0';
		if (cxl_region_above(devdir, r->cxl_region, sizeof(r->cxl_region))) {
			char mode[32];

			r->memdev = region_memdev(ctx, t, r->cxl_region);
			/* a DC region before any extent arrives: by its mode
			 * (dynamic_ram_1, dynamic_ram_a, dcN) */
			if (util_sysfs_readf(mode, sizeof(mode), CXL_BUS "/%s/mode",
					   r->cxl_region) == 0 &&
			    (!strncmp(mode, "dynamic_ram", 11) || !strncmp(mode, "dc", 2)))
				r->dc = true;
		}
		if (scan_extents(ctx, t, r, devdir) < 0)
			return -ENOMEM;

		daxctl_dev_foreach(dr, dd) {
			const char *name = daxctl_dev_get_devname(dd);
			struct fc_dax_dev *d = host_topo_add_dax_dev(t, r, name);
			char path[PATH_MAX], uuid[64];

			if (!d)
				return -ENOMEM;
			/* v10 added the dax devices' uuid attribute; v9 has none */
			if (r->memdev && r->memdev->dc_gen == HOST_DC_GEN_V9_OR_V10) {
				snprintf(path, sizeof(path), DAX_BUS "/%s/uuid", name);
				r->memdev->dc_gen = access(path, F_OK) == 0 ?
					HOST_DC_GEN_V10 : HOST_DC_GEN_V9;
				dbg(ctx, "%s: DCD series %s (%s)\n", r->memdev->name,
				    host_dc_gen_name(r->memdev->dc_gen), name);
			}
			d->size = daxctl_dev_get_size(dd);
			d->align = daxctl_dev_get_align(dd);
			d->mode = dax_dev_mode(name);
			snprintf(path, sizeof(path), DAX_BUS "/%s/uuid", name);
			if (util_sysfs_read(path, uuid, sizeof(uuid)) == 0 &&
			    uuid_parse(uuid, d->uuid) == 0 && !uuid_is_null(d->uuid))
				d->has_uuid = true;
		}
	}
	return 0;
}

static int sysfs_scan(struct fc_ctx *ctx, void *data, struct host_topology *t)
{
	struct cxl_ctx *cxl = NULL;
	struct daxctl_ctx *dax = NULL;
	int rc;

	rc = cxl_new(&cxl);
	if (rc < 0) {
		err(ctx, "cannot open libcxl: %s\n", strerror(-rc));
		return rc;
	}
	rc = daxctl_new(&dax);
	if (rc < 0) {
		err(ctx, "cannot open libdaxctl: %s\n", strerror(-rc));
		goto out;
	}
	rc = scan_memdevs(ctx, cxl, t);
	if (rc == 0)
		rc = scan_dax(ctx, dax, t);
out:
	daxctl_unref(dax);
	cxl_unref(cxl);
	return rc;
}

static int sysfs_open_media(struct fc_ctx *ctx, void *data,
			    struct fc_dax_dev *dev, bool writable,
			    struct fc_media **out)
{
	if (dev->mode != FC_DAX_MODE_DEVDAX) {
		err(ctx, "%s: is in %s mode; only devdax devices can be mapped: 'daxctl reconfigure-device --mode=devdax %s'\n",
		    dev->name, fc_dax_mode_name(dev->mode), dev->name);
		return -EMEDIUMTYPE;
	}
	return famfs_media_open_path(ctx_log(ctx), dev->path, writable, out);
}

const struct host_platform_ops host_platform_sysfs = {
	.name = "sysfs",
	.scan = sysfs_scan,
	.open_media = sysfs_open_media,
	.create_dax = host_sysfs_create_dax,
	.destroy_dax = host_sysfs_destroy_dax,
	.set_mode = host_sysfs_set_mode,
	.create_dc_region = host_sysfs_create_dc_region,
	.destroy_dc_region = host_sysfs_destroy_dc_region,
};
