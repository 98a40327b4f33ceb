// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The sysfs platform's dax device management, as the kernel's DCD series
 * and daxctl do it (doc/kernel-dcd.md, doc/kernel-famfs-mode.md):
 *
 *  claim    write the tag to the region's seed device's `uuid` (the kernel
 *           gives it every extent with that tag, in sequence order, and
 *           makes a new seed), then bind it to device_dax;
 *  mode     unbind from the current driver, bind to the new one: fsdev_dax
 *           for famfs (its module loaded with libkmod first when the driver
 *           is not there yet), device_dax for devdax;
 *  destroy  unbind, write 0 to `size` (the only size a DC dax device takes),
 *           write the name to the region's `delete`.
 *
 * Debian's libdaxctl (ndctl 76) has none of the DCD calls, so these are
 * direct attribute writes. After each write the effect is checked (sysfs
 * writes take effect before write() returns on the kernel; the check, with
 * a short grace period, also lets testbed kernel models catch up).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <libkmod.h>
#include "lib/private.h"
#include "lib/host/platform.h"
#include "lib/host/sysfs.h"

#define DAX_BUS "/sys/bus/dax"
#define EFFECT_WAIT_MS 2000

static bool wait_effect(bool (*done)(const char *, const char *), const char *a,
			const char *b)
{
	struct timespec ts = { 0, 1000000 };

	for (int i = 0; i < EFFECT_WAIT_MS; i++) {
		if (done(a, b))
			return true;
		nanosleep(&ts, NULL);
	}
	return done(a, b);
}

static bool has_size(const char *dev, const char *unused)
{
	uint64_t size;

	return fc_sysfs_readf_u64(&size, DAX_BUS "/devices/%s/size", dev) == 0 && size;
}

static bool size_zero(const char *dev, const char *unused)
{
	uint64_t size;

	return fc_sysfs_readf_u64(&size, DAX_BUS "/devices/%s/size", dev) == 0 && !size;
}

/* The device's driver name into buf, or "" when unbound. */
static const char *driver_of(const char *dev, char *buf, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *slash;
	ssize_t n;

	snprintf(path, sizeof(path), DAX_BUS "/devices/%s/driver", dev);
	n = readlink(path, link, sizeof(link) - 1);
	buf[0] = '\0';
	if (n > 0) {
		link[n] = '\0';
		slash = strrchr(link, '/');
		fc_strlcpy(buf, slash ? slash + 1 : link, len);
	}
	return buf;
}

static bool bound_to(const char *dev, const char *drv)
{
	char cur[64];

	return !strcmp(driver_of(dev, cur, sizeof(cur)), drv);
}

static bool gone(const char *dev, const char *unused)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), DAX_BUS "/devices/%s", dev);
	return access(path, F_OK) != 0;
}

static int write_attr(struct fc_ctx *ctx, const char *val, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int write_attr(struct fc_ctx *ctx, const char *val, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	rc = fc_sysfs_write(path, val);
	if (rc < 0)
		err(ctx, "%s: cannot write '%s': %s\n", path, val, strerror(-rc));
	return rc;
}

/* Make sure a dax driver is there, loading its module when it is not. */
static int need_driver(struct fc_ctx *ctx, const char *drv)
{
	struct kmod_ctx *kctx;
	struct kmod_module *mod = NULL;
	char path[PATH_MAX];
	int rc;

	snprintf(path, sizeof(path), DAX_BUS "/drivers/%s", drv);
	if (access(path, F_OK) == 0)
		return 0;
	kctx = kmod_new(NULL, NULL);
	if (!kctx)
		return -ENOMEM;
	rc = kmod_module_new_from_name(kctx, drv, &mod);
	if (rc == 0)
		rc = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL, NULL);
	kmod_module_unref(mod);
	kmod_unref(kctx);
	if (access(path, F_OK) == 0)
		return 0;
	err(ctx, "the kernel has no %s driver%s (module: %s)\n", drv,
	    !strcmp(drv, "fsdev_dax") ? " for famfs mode (CONFIG_DEV_DAX_FSDEV)" : "",
	    rc < 0 ? strerror(-rc) : "loaded, no driver");
	return -ENODEV;
}

static int rebind(struct fc_ctx *ctx, const char *dev, const char *drv)
{
	char cur[64];
	int rc;

	driver_of(dev, cur, sizeof(cur));
	if (!strcmp(cur, drv))
		return 0;
	if (cur[0]) {
		rc = write_attr(ctx, dev, DAX_BUS "/drivers/%s/unbind", cur);
		if (rc < 0)
			return rc;
		if (!wait_effect(bound_to, dev, "")) {
			err(ctx, "%s: still bound to %s after unbind\n", dev, cur);
			return -EBUSY;
		}
	}
	if (!*drv)
		return 0;
	rc = need_driver(ctx, drv);
	if (rc < 0)
		return rc;
	rc = write_attr(ctx, dev, DAX_BUS "/drivers/%s/bind", drv);
	if (rc < 0)
		return rc;
	if (!wait_effect(bound_to, dev, drv)) {
		err(ctx, "%s: %s did not take the device\n", dev, drv);
		return -EIO;
	}
	return 0;
}

/* The region's attribute directory (DEVICE/dax_region), whichever form
 * libdaxctl gave its path in. */
static void region_attrs(const struct fc_dax_region *r, char *buf, size_t len)
{
	size_t n = strlen(r->path);

	if (n >= 11 && !strcmp(r->path + n - 11, "/dax_region"))
		snprintf(buf, len, "%s", r->path);
	else
		snprintf(buf, len, "%s/dax_region", r->path);
}

int fc_sysfs_create_dax(struct fc_ctx *ctx, void *data, struct fc_dax_region *region,
			const uuid_t tag, char *name, size_t len)
{
	char seed[FC_NAME_MAX], t[37], attrs[PATH_MAX];
	int rc;

	region_attrs(region, attrs, sizeof(attrs));
	if (fc_sysfs_readf(seed, sizeof(seed), "%s/seed", attrs) < 0 || !seed[0]) {
		err(ctx, "%s: no seed dax device to claim a tag with\n", region->name);
		return -ENODEV;
	}
	uuid_unparse_lower(tag, t);
	rc = write_attr(ctx, t, DAX_BUS "/devices/%s/uuid", seed);
	if (rc < 0)
		return rc;
	if (!wait_effect(has_size, seed, NULL)) {
		err(ctx, "%s: claiming tag %s gave %s no capacity\n", region->name, t, seed);
		return -ENOENT;
	}
	rc = rebind(ctx, seed, "device_dax");
	if (rc < 0)
		return rc;
	fc_strlcpy(name, seed, len);
	return 0;
}

int fc_sysfs_set_mode(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev,
		      enum fc_dax_mode mode)
{
	switch (mode) {
	case FC_DAX_MODE_DEVDAX:
		return rebind(ctx, dev->name, "device_dax");
	case FC_DAX_MODE_FAMFS:
		return rebind(ctx, dev->name, "fsdev_dax");
	case FC_DAX_MODE_UNBOUND:
		return rebind(ctx, dev->name, "");
	default:
		err(ctx, "%s: famfsctl switches dax devices between devdax and famfs only\n",
		    dev->name);
		return -EOPNOTSUPP;
	}
}

int fc_sysfs_destroy_dax(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev)
{
	char attrs[PATH_MAX];
	int rc = rebind(ctx, dev->name, "");

	if (rc < 0)
		return rc;
	rc = write_attr(ctx, "0", DAX_BUS "/devices/%s/size", dev->name);
	if (rc < 0)
		return rc;
	if (!wait_effect(size_zero, dev->name, NULL)) {
		err(ctx, "%s: size did not go to 0\n", dev->name);
		return -EBUSY;
	}
	region_attrs(dev->region, attrs, sizeof(attrs));
	rc = write_attr(ctx, dev->name, "%s/delete", attrs);
	if (rc < 0)
		return rc;
	if (!wait_effect(gone, dev->name, NULL)) {
		err(ctx, "%s: still there after delete\n", dev->name);
		return -EBUSY;
	}
	return 0;
}

/* ---- DC regions ------------------------------------------------------------ */

#define CXL_BUS "/sys/bus/cxl/devices"

static bool exists(const char *path, const char *unused)
{
	return access(path, F_OK) == 0;
}

/* The region has its dax region (cxl_dax_region probed), with the seed
 * device it names present on the dax bus. */
static bool has_dax_region(const char *region, const char *unused)
{
	char path[PATH_MAX], seed[64];
	int id;

	if (sscanf(region, "region%d", &id) != 1 ||
	    fc_sysfs_readf(seed, sizeof(seed), CXL_BUS "/%s/dax_region%d/dax_region/seed",
			   region, id) < 0 || !seed[0])
		return false;
	snprintf(path, sizeof(path), DAX_BUS "/devices/%s", seed);
	return access(path, F_OK) == 0;
}

/* The first root decoder that can create regions of `attr`. */
static int root_decoder(char *buf, size_t len, const char *attr)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(CXL_BUS);
	int rc = -ENODEV;

	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "decoder", 7))
			continue;
		snprintf(path, sizeof(path), CXL_BUS "/%s/%s", de->d_name, attr);
		if (access(path, F_OK) == 0) {
			fc_strlcpy(buf, de->d_name, len);
			rc = 0;
			break;
		}
	}
	if (d)
		closedir(d);
	return rc;
}

/*
 * Create the DC region of a memory device, as `cxl create-region -m -w 1
 * -t MODE -d ROOT MEMDEV` does: the endpoint decoder set to the DC
 * partition, a region name taken from the root decoder's
 * create_MODE_region and written back, the region given one way, the
 * partition's size and the endpoint decoder as target, committed; then the
 * kernel's dax region under it.
 */
int fc_sysfs_create_dc_region(struct fc_ctx *ctx, void *data, struct fc_memdev *m,
			      char *name, size_t len)
{
	char attr[96], root[64], region[64], ep[64], path[PATH_MAX], val[64];
	const char *mode = m->dc_partition, *slash;
	int rc, epid;

	if (!mode[0]) {
		err(ctx, "%s: no dynamic capacity partition\n", m->name);
		return -EINVAL;
	}
	/* the endpoint decoder: the last port of the memdev's path */
	slash = strrchr(m->port_path, '/');
	if (!slash || sscanf(slash + 1, "endpoint%d", &epid) != 1) {
		err(ctx, "%s: no endpoint port to decode its capacity\n", m->name);
		return -ENODEV;
	}
	snprintf(ep, sizeof(ep), "decoder%d.0", epid);
	/* series v3 names the attribute create_dc_region, later ones by mode */
	snprintf(attr, sizeof(attr), "create_%s_region",
		 strncmp(mode, "dc", 2) ? mode : "dc");
	if (root_decoder(root, sizeof(root), attr) < 0) {
		err(ctx, "%s: no root decoder offers %s (a CXL window for dynamic capacity)\n",
		    m->name, attr);
		return -ENODEV;
	}
	if (fc_sysfs_readf(val, sizeof(val), CXL_BUS "/%s/mode", ep) < 0 || strcmp(val, mode)) {
		rc = write_attr(ctx, mode, CXL_BUS "/%s/mode", ep);
		if (rc < 0)
			return rc;
	}
	snprintf(val, sizeof(val), "%llu", (unsigned long long)m->dc_size);
	rc = write_attr(ctx, val, CXL_BUS "/%s/dpa_size", ep);
	if (rc < 0)
		return rc;
	if (fc_sysfs_readf(region, sizeof(region), CXL_BUS "/%s/%s", root, attr) < 0 ||
	    strncmp(region, "region", 6)) {
		err(ctx, "%s/%s: no region name to take\n", root, attr);
		return -EIO;
	}
	rc = write_attr(ctx, region, CXL_BUS "/%s/%s", root, attr);
	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), CXL_BUS "/%s", region);
	if (!wait_effect(exists, path, NULL)) {
		err(ctx, "%s: %s did not appear\n", root, region);
		return -EIO;
	}
	if ((rc = write_attr(ctx, "1", CXL_BUS "/%s/interleave_ways", region)) < 0 ||
	    (rc = write_attr(ctx, val, CXL_BUS "/%s/size", region)) < 0 ||
	    (rc = write_attr(ctx, ep, CXL_BUS "/%s/target0", region)) < 0 ||
	    (rc = write_attr(ctx, "1", CXL_BUS "/%s/commit", region)) < 0)
		return rc;
	if (!wait_effect(has_dax_region, region, NULL)) {
		err(ctx, "%s: committed, but no dax region appeared\n", region);
		return -EIO;
	}
	info(ctx, "%s: created DC region %s (%s, %s)\n", m->name, region, mode, val);
	fc_strlcpy(name, region, len);
	return 0;
}
