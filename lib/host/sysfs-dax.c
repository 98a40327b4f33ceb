// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The sysfs platform's DC regions and dax devices, in exactly the
 * sequences `cxl create-region`/`destroy-region` and `daxctl
 * create-device`/`destroy-device`/`reconfigure-device` use on a DCD kernel
 * (doc/kernel-dcd.md and doc/kernel-famfs-mode.md):
 *
 *  region   a free endpoint decoder of the memdev: mode = the DC name, then
 *           dpa_size; on a root decoder routing to the memdev's host bridge
 *           that offers the DC mode, create_MODE_region read and written
 *           back; interleave_granularity (before size: the kernel refuses
 *           size with ENXIO without it), interleave_ways = 1, size,
 *           target0, commit = 1; then the region bound to the cxl_region
 *           driver, whose probe alone makes the dax region (and daxR.0);
 *  claim    1 to dax_region/create, the new device read from seed, the tag
 *           written to its uuid (it takes every extent of that tag), then
 *           bound explicitly (new_id, bind) and the driver link checked;
 *  mode     unbind, bind the other driver (fsdev_dax for famfs, its module
 *           loaded with libkmod first; device_dax for devdax), or
 *           libdaxctl's daxctl_dev_enable_famfs() where it exists; a device
 *           already in the mode is left alone; a switch is announced;
 *  destroy  unbind, size 0, name to dax_region/delete (EBUSY for daxR.0,
 *           which the kernel never deletes: success, as for daxctl);
 *  region teardown (a rollback): unbind, commit 0, target0 cleared, the
 *           endpoint decoder's dpa_size 0, delete_region.
 *
 * Debian's libdaxctl/libcxl (ndctl 76) have none of the DCD calls, so these
 * are attribute writes. The kernel's stores are synchronous; dax device
 * add/remove and bind/unbind also raise uevents on subsystem dax, which are
 * waited for with a libudev monitor (a bounded wait; the attribute is the
 * final word). Extents raise none: alloc polls for them.
 */
#include "util/string.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <libkmod.h>
#include <libudev.h>
#ifdef HAVE_DAXCTL_DEV_ENABLE_FAMFS
#include <daxctl/libdaxctl.h>
#endif
#include "lib/private.h"
#include "lib/host/platform.h"
#include "lib/host/sysfs.h"

#define DAX_BUS "/sys/bus/dax"
#define CXL_BUS "/sys/bus/cxl/devices"
#define CXL_REGION_DRV "/sys/bus/cxl/drivers/cxl_region"
#define UEVENT_WAIT_MS 5000
#define SZ_256M (256ULL << 20)
/* Said whatever the log level: a mode switch can take minutes on a large
 * device (doc/kernel-famfs-mode.md), so the user hears when one runs. */
#define announce(ctx, ...) \
	util_log(ctx_log(ctx), LOG_NOTICE, __FILE__, __LINE__, __func__, __VA_ARGS__)

/* Write an attribute (the path a format), 0 or the store's -errno; logged
 * as an error unless `quiet` (the caller explains the failure). */
static int vwrite_attr(struct fc_ctx *ctx, bool quiet, const char *val, const char *fmt,
		       va_list ap)
{
	char path[PATH_MAX];
	int rc;

	vsnprintf(path, sizeof(path), fmt, ap);
	rc = util_sysfs_write(path, val);
	if (rc < 0 && !quiet)
		err(ctx, "%s: cannot write '%s': %s\n", path, val, strerror(-rc));
	else
		dbg(ctx, "%s <- %s%s%s\n", path, val, rc < 0 ? ": " : "", rc < 0 ? strerror(-rc) : "");
	return rc;
}

static int write_attr(struct fc_ctx *ctx, const char *val, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int write_attr(struct fc_ctx *ctx, const char *val, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vwrite_attr(ctx, false, val, fmt, ap);
	va_end(ap);
	return rc;
}

static int write_quiet(struct fc_ctx *ctx, const char *val, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int write_quiet(struct fc_ctx *ctx, const char *val, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vwrite_attr(ctx, true, val, fmt, ap);
	va_end(ap);
	return rc;
}

/* ---- uevents ---------------------------------------------------------------- */

/* A monitor of subsystem dax, opened before the write whose uevent it
 * waits for; mon NULL when there is none (then the attributes decide). */
struct uev {
	struct udev *udev;
	struct udev_monitor *mon;
};

static void uev_open(struct fc_ctx *ctx, struct uev *u)
{
	u->udev = udev_new();
	u->mon = u->udev ? udev_monitor_new_from_netlink(u->udev, "kernel") : NULL;
	if (u->mon && (udev_monitor_filter_add_match_subsystem_devtype(u->mon, "dax", NULL) < 0 ||
		       udev_monitor_enable_receiving(u->mon) < 0)) {
		udev_monitor_unref(u->mon);
		u->mon = NULL;
	}
	if (!u->mon)
		dbg(ctx, "no uevent monitor; reading sysfs only\n");
}

static void uev_close(struct uev *u)
{
	udev_monitor_unref(u->mon);
	udev_unref(u->udev);
	u->mon = NULL;
	u->udev = NULL;
}

/* Wait for `action` on dax device `name` (any device when name is NULL;
 * its name goes to out[len]). False when none came in time. */
static bool uev_wait(struct fc_ctx *ctx, struct uev *u, const char *name, const char *action,
		     char *out, size_t len)
{
	uint64_t end = ctx_now_ns() + (uint64_t)UEVENT_WAIT_MS * 1000000ULL;

	while (u->mon) {
		struct pollfd p = { .fd = udev_monitor_get_fd(u->mon), .events = POLLIN };
		uint64_t now = ctx_now_ns();
		struct udev_device *d;
		int rc;

		if (now >= end)
			break;
		rc = poll(&p, 1, (int)((end - now) / 1000000ULL) + 1);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			break;
		d = udev_monitor_receive_device(u->mon);
		if (!d)
			continue;
		if (!strcmp(udev_device_get_action(d) ?: "", action) &&
		    (!name || !strcmp(udev_device_get_sysname(d) ?: "", name))) {
			dbg(ctx, "%s: %s uevent\n", udev_device_get_sysname(d), action);
			if (out)
				util_strlcpy(out, udev_device_get_sysname(d), len);
			udev_device_unref(d);
			return true;
		}
		udev_device_unref(d);
	}
	if (u->mon)
		dbg(ctx, "%s: no %s uevent within %d ms; reading sysfs\n", name ? name : "dax",
		    action, UEVENT_WAIT_MS);
	return false;
}

/* ---- dax devices -------------------------------------------------------- */

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
		util_strlcpy(buf, slash ? slash + 1 : link, len);
	}
	return buf;
}

static bool dax_exists(const char *dev)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), DAX_BUS "/devices/%s", dev);
	return access(path, F_OK) == 0;
}

static uint64_t dax_size(const char *dev)
{
	uint64_t size = 0;

	if (util_sysfs_readf_u64(&size, DAX_BUS "/devices/%s/size", dev) < 0)
		return 0;
	return size;
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

static int unbind_dax(struct fc_ctx *ctx, const char *dev)
{
	char cur[64];
	struct uev u;
	int rc;

	if (!driver_of(dev, cur, sizeof(cur))[0])
		return 0;
	uev_open(ctx, &u);
	rc = write_attr(ctx, dev, DAX_BUS "/drivers/%s/unbind", cur);
	if (rc == 0)
		uev_wait(ctx, &u, dev, "unbind", NULL, 0);
	uev_close(&u);
	if (rc == 0 && driver_of(dev, cur, sizeof(cur))[0]) {
		err(ctx, "%s: still bound to %s after unbind\n", dev, cur);
		rc = -EBUSY;
	}
	return rc;
}

/*
 * Bind an unbound device to drv as libdaxctl does (new_id, then bind). A
 * module load can bind the device by itself, so the driver link, not the
 * write's return code, says whether it worked.
 */
static int bind_dax(struct fc_ctx *ctx, const char *dev, const char *drv)
{
	char cur[64];
	struct uev u;
	int rc = need_driver(ctx, drv);

	if (rc < 0)
		return rc;
	uev_open(ctx, &u);
	rc = write_attr(ctx, dev, DAX_BUS "/drivers/%s/new_id", drv);
	if (rc == 0 || rc == -EEXIST)
		rc = write_quiet(ctx, dev, DAX_BUS "/drivers/%s/bind", drv);
	if (rc == 0)
		uev_wait(ctx, &u, dev, "bind", NULL, 0);
	uev_close(&u);
	if (strcmp(driver_of(dev, cur, sizeof(cur)), drv)) {
		err(ctx, "%s: %s did not take the device%s%s\n", dev, drv,
		    rc < 0 ? ": " : "", rc < 0 ? strerror(-rc) : "");
		return rc < 0 ? rc : -EIO;
	}
	if (rc < 0)
		dbg(ctx, "%s: bind said %s, but %s has it\n", dev, strerror(-rc), drv);
	return 0;
}

static const char *driver_for(enum fc_dax_mode mode)
{
	return mode == FC_DAX_MODE_DEVDAX ? "device_dax" :
	       mode == FC_DAX_MODE_FAMFS ? "fsdev_dax" : "";
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

/* Give a claimed or fresh device back: unbind, size 0, delete. daxR.0 is
 * never deleted (EBUSY), which counts as done. */
static int destroy_dev(struct fc_ctx *ctx, const char *attrs, const char *dev)
{
	struct uev u;
	int rc = unbind_dax(ctx, dev), id = -1;

	if (rc < 0)
		return rc;
	if (dax_size(dev)) {
		rc = write_attr(ctx, "0", DAX_BUS "/devices/%s/size", dev);
		if (rc < 0)
			return rc;
		if (dax_size(dev)) {
			err(ctx, "%s: size did not go to 0\n", dev);
			return -EBUSY;
		}
	}
	sscanf(dev, "dax%*d.%d", &id);
	uev_open(ctx, &u);
	rc = write_quiet(ctx, dev, "%s/delete", attrs);
	if (rc == -EBUSY && id == 0) {
		dbg(ctx, "%s: stays (the kernel never deletes a region's device 0)\n", dev);
		rc = 0;
	} else if (rc < 0) {
		err(ctx, "%s/delete: cannot delete %s: %s\n", attrs, dev, strerror(-rc));
	} else {
		uev_wait(ctx, &u, dev, "remove", NULL, 0);
		if (dax_exists(dev)) {
			err(ctx, "%s: still there after delete\n", dev);
			rc = -EBUSY;
		}
	}
	uev_close(&u);
	return rc;
}

int host_sysfs_create_dax(struct fc_ctx *ctx, void *data, struct fc_dax_region *region,
			const uuid_t tag, char *name, size_t len)
{
	char seed[FC_NAME_MAX], added[FC_NAME_MAX] = "", t[37], attrs[PATH_MAX];
	struct uev u;
	int rc;

	region_attrs(region, attrs, sizeof(attrs));
	uuid_unparse_lower(tag, t);
	uev_open(ctx, &u);
	rc = write_quiet(ctx, "1", "%s/create", attrs);
	if (rc == 0)
		uev_wait(ctx, &u, NULL, "add", added, sizeof(added));
	uev_close(&u);
	if (rc == -ENOSPC) {
		err(ctx, "%s: no unclaimed capacity to make a dax device of (tag %s)\n",
		    region->name, t);
		return -ENOENT;
	}
	if (rc < 0) {
		err(ctx, "%s/create: %s\n", attrs, strerror(-rc));
		return rc;
	}
	if (util_sysfs_readf(seed, sizeof(seed), "%s/seed", attrs) < 0 || !seed[0] ||
	    !dax_exists(seed)) {
		err(ctx, "%s: create gave no seed device\n", region->name);
		if (added[0])
			destroy_dev(ctx, attrs, added);
		return -EIO;
	}
	rc = write_quiet(ctx, t, DAX_BUS "/devices/%s/uuid", seed);
	if (rc < 0 || !dax_size(seed)) {
		if (rc == -ENOENT || rc == 0)
			err(ctx, "%s: no capacity tagged %s here\n", region->name, t);
		else if (rc == -ENOTTY || rc == -EACCES || rc == -EOPNOTSUPP)
			err(ctx, "%s: %s cannot claim a tag: %s\n", region->name, seed, strerror(-rc));
		else
			err(ctx, "%s: claiming tag %s with %s: %s\n", region->name, t, seed,
			    strerror(-rc));
		destroy_dev(ctx, attrs, seed);
		return rc < 0 ? rc : -ENOENT;
	}
	rc = bind_dax(ctx, seed, "device_dax");
	if (rc < 0) {
		destroy_dev(ctx, attrs, seed);
		return rc;
	}
	util_strlcpy(name, seed, len);
	return 0;
}

#ifdef HAVE_DAXCTL_DEV_ENABLE_FAMFS
/* libdaxctl's own switch (ndctl v85 and later). */
static int daxctl_switch(struct fc_ctx *ctx, const char *name, enum fc_dax_mode mode)
{
	struct daxctl_ctx *dax;
	struct daxctl_region *dr;
	struct daxctl_dev *dd, *hit = NULL;
	int rc = daxctl_new(&dax);

	if (rc < 0)
		return rc;
	daxctl_region_foreach(dax, dr)
		daxctl_dev_foreach(dr, dd)
			if (!strcmp(daxctl_dev_get_devname(dd), name))
				hit = dd;
	if (!hit) {
		rc = -ENODEV;
	} else {
		rc = daxctl_dev_is_enabled(hit) ? daxctl_dev_disable(hit) : 0;
		if (rc == 0)
			rc = mode == FC_DAX_MODE_FAMFS ? daxctl_dev_enable_famfs(hit) :
			     daxctl_dev_enable_devdax(hit);
	}
	daxctl_unref(dax);
	if (rc < 0)
		err(ctx, "%s: libdaxctl could not switch it to %s mode: %s\n", name,
		    fc_dax_mode_name(mode), strerror(-rc));
	return rc;
}
#endif

int host_sysfs_set_mode(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev,
		      enum fc_dax_mode mode)
{
	char cur[64];
	const char *drv = driver_for(mode);
	int rc;

	if (mode != FC_DAX_MODE_DEVDAX && mode != FC_DAX_MODE_FAMFS &&
	    mode != FC_DAX_MODE_UNBOUND) {
		err(ctx, "%s: famfsctl switches dax devices between devdax and famfs only\n",
		    dev->name);
		return -EOPNOTSUPP;
	}
	if (!strcmp(driver_of(dev->name, cur, sizeof(cur)), drv)) {
		dbg(ctx, "%s: already in %s mode\n", dev->name, fc_dax_mode_name(mode));
		return 0;
	}
	if (mode == FC_DAX_MODE_UNBOUND)
		return unbind_dax(ctx, dev->name);
	announce(ctx, "%s: switching to %s mode (%s); this can take minutes on a large device\n",
	     dev->name, fc_dax_mode_name(mode), drv);
#ifdef HAVE_DAXCTL_DEV_ENABLE_FAMFS
	rc = need_driver(ctx, drv);
	if (rc == 0)
		rc = daxctl_switch(ctx, dev->name, mode);
	if (rc == 0 && strcmp(driver_of(dev->name, cur, sizeof(cur)), drv)) {
		err(ctx, "%s: libdaxctl switched it, but its driver is %s\n", dev->name,
		    cur[0] ? cur : "none");
		rc = -EIO;
	}
	return rc;
#else
	rc = unbind_dax(ctx, dev->name);
	return rc < 0 ? rc : bind_dax(ctx, dev->name, drv);
#endif
}

int host_sysfs_destroy_dax(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev)
{
	char attrs[PATH_MAX];

	region_attrs(dev->region, attrs, sizeof(attrs));
	return destroy_dev(ctx, attrs, dev->name);
}

/* ---- DC regions ------------------------------------------------------------ */

/* The real path of a link's target, base name into base (when given). */
static bool resolve(const char *path, char *real, char *base, size_t len)
{
	char *slash;

	if (!realpath(path, real))
		return false;
	slash = strrchr(real, '/');
	if (base)
		util_strlcpy(base, slash ? slash + 1 : real, len);
	return true;
}

/* The first endpoint decoder of `ep` (in id order, as the kernel hands out
 * DPA) with no DPA and no region: .0 may already map ram or pmem. */
static int free_ep_decoder(struct fc_ctx *ctx, const char *ep, char *buf, size_t len)
{
	int epid;

	if (sscanf(ep, "endpoint%d", &epid) != 1)
		return -ENODEV;
	for (int n = 0; n < 64; n++) {
		char region[64] = "";
		uint64_t dpa;

		if (util_sysfs_readf_u64(&dpa, CXL_BUS "/%s/decoder%d.%d/dpa_size", ep, epid, n) < 0)
			break;
		util_sysfs_readf(region, sizeof(region), CXL_BUS "/%s/decoder%d.%d/region", ep, epid, n);
		if (dpa || region[0]) {
			dbg(ctx, "decoder%d.%d: in use (%llu bytes of DPA%s%s)\n", epid, n,
			    (unsigned long long)dpa, region[0] ? ", " : "", region);
			continue;
		}
		snprintf(buf, len, "decoder%d.%d", epid, n);
		return 0;
	}
	return -ENOSPC;
}

/* The root decoder that routes to the memdev's host bridge and offers
 * `create` (and cap_MODE when the kernel shows one). */
static int root_decoder(struct fc_ctx *ctx, const struct fc_memdev *m, const char *create,
			char *buf, size_t len)
{
	char root[FC_NAME_MAX], hb[PATH_MAX], path[PATH_MAX], real[PATH_MAX], list[256];
	const char *slash = strchr(m->port_path, '/');
	struct dirent *de;
	int dport = -1, rc = -ENODEV;
	DIR *d;

	if (!slash || !m->host_bridge[0])
		return -ENODEV;
	snprintf(root, sizeof(root), "%.*s", (int)(slash - m->port_path), m->port_path);
	snprintf(path, sizeof(path), CXL_BUS "/%s/uport", m->host_bridge);
	if (!resolve(path, hb, NULL, 0))
		return -ENODEV;
	/* the root port's dport that is this host bridge */
	snprintf(path, sizeof(path), CXL_BUS "/%s", root);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		int id;

		if (sscanf(de->d_name, "dport%d", &id) != 1)
			continue;
		snprintf(path, sizeof(path), CXL_BUS "/%s/%s", root, de->d_name);
		if (resolve(path, real, NULL, 0) && !strcmp(real, hb))
			dport = id;
	}
	if (d)
		closedir(d);
	if (dport < 0) {
		err(ctx, "%s: %s has no downstream port for %s\n", m->name, root, m->host_bridge);
		return -ENODEV;
	}
	d = opendir(CXL_BUS);
	while (d && (de = readdir(d)) && rc) {
		char parent[PATH_MAX], cap[128], *s, *tok, *save;
		const char *ps;

		if (strncmp(de->d_name, "decoder", 7))
			continue;
		snprintf(path, sizeof(path), CXL_BUS "/%s", de->d_name);
		if (!resolve(path, parent, NULL, 0) || !(s = strrchr(parent, '/')))
			continue;
		*s = '\0';
		ps = strrchr(parent, '/');
		if (strcmp(ps ? ps + 1 : parent, root))
			continue; /* not a root decoder */
		snprintf(path, sizeof(path), CXL_BUS "/%s/%s", de->d_name, create);
		if (access(path, F_OK) != 0)
			continue;
		if (util_sysfs_readf(cap, sizeof(cap), CXL_BUS "/%s/cap_%s", de->d_name,
				   m->dc_partition) == 0 && strcmp(cap, "1"))
			continue;
		if (util_sysfs_readf(list, sizeof(list), CXL_BUS "/%s/target_list", de->d_name) < 0)
			continue;
		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (atoi(tok) == dport) {
				util_strlcpy(buf, de->d_name, len);
				rc = 0;
				break;
			}
	}
	if (d)
		closedir(d);
	if (rc)
		err(ctx, "%s: no root decoder routes to %s and offers %s (a CXL window for dynamic capacity)\n",
		    m->name, m->host_bridge, create);
	return rc;
}

/* What a region creation has done so far, for its undoing. */
struct made {
	char root[FC_NAME_MAX], region[FC_NAME_MAX], ep[FC_NAME_MAX], epdec[FC_NAME_MAX];
	bool dpa, region_made, target, committed, bound;
};

/* Undo in reverse, as `cxl destroy-region` does. */
static int unmake(struct fc_ctx *ctx, struct made *w)
{
	int rc = 0, r;

	if (w->bound && (r = write_attr(ctx, w->region, CXL_REGION_DRV "/unbind")) < 0)
		rc = r;
	if (w->committed && (r = write_attr(ctx, "0", CXL_BUS "/%s/commit", w->region)) < 0)
		rc = r;
	if (w->target && (r = write_attr(ctx, "", CXL_BUS "/%s/target0", w->region)) < 0)
		rc = r;
	if (w->dpa && (r = write_attr(ctx, "0", CXL_BUS "/%s/%s/dpa_size", w->ep, w->epdec)) < 0)
		rc = r;
	if (w->region_made &&
	    (r = write_attr(ctx, w->region, CXL_BUS "/%s/delete_region", w->root)) < 0)
		rc = r;
	return rc;
}

static void create_attr(const char *mode, char *buf, size_t len)
{
	/* v3 to v8 name it create_dc_region, later ones by the mode */
	snprintf(buf, len, "create_%s_region", strncmp(mode, "dc", 2) ? mode : "dc");
}

/*
 * Create the DC region of a memory device, as `cxl create-region -m -w 1
 * -t MODE MEMDEV` does, and bind it so the kernel makes its dax region.
 */
int host_sysfs_create_dc_region(struct fc_ctx *ctx, void *data, struct fc_memdev *m,
			      char *name, size_t len)
{
	char attr[96], val[64], size[32], gran[32], mode[32], added[FC_NAME_MAX] = "";
	const char *slash;
	struct made w = { 0 };
	struct uev u;
	uint64_t bytes = m->dc_size / SZ_256M * SZ_256M;
	int rc, id;

	if (!m->dc_partition[0] || !bytes) {
		err(ctx, "%s: no dynamic capacity partition%s\n", m->name,
		    m->dc_partition[0] ? " of 256 MiB or more" : "");
		return -EINVAL;
	}
	slash = strrchr(m->port_path, '/');
	if (!slash || strncmp(slash + 1, "endpoint", 8)) {
		err(ctx, "%s: no endpoint port to decode its capacity\n", m->name);
		return -ENODEV;
	}
	util_strlcpy(w.ep, slash + 1, sizeof(w.ep));
	create_attr(m->dc_partition, attr, sizeof(attr));
	rc = root_decoder(ctx, m, attr, w.root, sizeof(w.root));
	if (rc < 0)
		return rc;
	rc = free_ep_decoder(ctx, w.ep, w.epdec, sizeof(w.epdec));
	if (rc < 0) {
		err(ctx, "%s: no free endpoint decoder under %s\n", m->name, w.ep);
		return rc;
	}
	dbg(ctx, "%s: DC region through %s and %s\n", m->name, w.root, w.epdec);
	/* 1. the endpoint decoder: mode while it has no DPA, then dpa_size */
	if (util_sysfs_readf(mode, sizeof(mode), CXL_BUS "/%s/%s/mode", w.ep, w.epdec) < 0 ||
	    strcmp(mode, m->dc_partition)) {
		rc = write_attr(ctx, m->dc_partition, CXL_BUS "/%s/%s/mode", w.ep, w.epdec);
		if (rc < 0)
			return rc;
	}
	snprintf(size, sizeof(size), "%#llx", (unsigned long long)bytes);
	rc = write_attr(ctx, size, CXL_BUS "/%s/%s/dpa_size", w.ep, w.epdec);
	if (rc < 0)
		goto fail;
	w.dpa = true;
	/* 2. the region name, compare-exchanged */
	if (util_sysfs_readf(w.region, sizeof(w.region), CXL_BUS "/%s/%s", w.root, attr) < 0 ||
	    sscanf(w.region, "region%d", &id) != 1) {
		err(ctx, "%s/%s: no region name to take\n", w.root, attr);
		rc = -EIO;
		goto fail;
	}
	rc = write_attr(ctx, w.region, CXL_BUS "/%s/%s", w.root, attr);
	if (rc < 0)
		goto fail;
	w.region_made = true;
	/* 3. granularity (the root decoder's), one way, size, target, commit */
	if (util_sysfs_readf(gran, sizeof(gran), CXL_BUS "/%s/interleave_granularity", w.root) < 0)
		snprintf(gran, sizeof(gran), "256");
	if ((rc = write_attr(ctx, gran, CXL_BUS "/%s/interleave_granularity", w.region)) < 0 ||
	    (rc = write_attr(ctx, "1", CXL_BUS "/%s/interleave_ways", w.region)) < 0 ||
	    (rc = write_attr(ctx, size, CXL_BUS "/%s/size", w.region)) < 0)
		goto fail;
	rc = write_attr(ctx, w.epdec, CXL_BUS "/%s/target0", w.region);
	if (rc < 0)
		goto fail;
	w.target = true;
	rc = write_attr(ctx, "1", CXL_BUS "/%s/commit", w.region);
	if (rc < 0)
		goto fail;
	w.committed = true;
	/* 4. bind: only the region driver's probe makes the dax region */
	uev_open(ctx, &u);
	rc = write_attr(ctx, w.region, CXL_REGION_DRV "/bind");
	if (rc == 0) {
		w.bound = true;
		snprintf(val, sizeof(val), "dax%d.0", id);
		uev_wait(ctx, &u, val, "add", added, sizeof(added));
	}
	uev_close(&u);
	if (rc < 0)
		goto fail;
	if (util_sysfs_readf(val, sizeof(val), CXL_BUS "/%s/dax_region%d/dax_region/id",
			   w.region, id) < 0) {
		err(ctx, "%s: bound, but no dax region appeared\n", w.region);
		rc = -EIO;
		goto fail;
	}
	info(ctx, "%s: created DC region %s (%s, %s bytes) through %s\n", m->name, w.region,
	     m->dc_partition, size, w.root);
	util_strlcpy(name, w.region, len);
	return 0;
fail:
	if (unmake(ctx, &w) < 0)
		err(ctx, "%s: could not undo the half-made %s\n", m->name,
		    w.region[0] ? w.region : "region");
	return rc;
}

int host_sysfs_destroy_dc_region(struct fc_ctx *ctx, void *data, const char *region)
{
	char path[PATH_MAX], real[PATH_MAX], *s, drv[64];
	struct made w = { .target = true, .committed = true, .region_made = true, .dpa = true };

	util_strlcpy(w.region, region, sizeof(w.region));
	snprintf(path, sizeof(path), CXL_BUS "/%s", region);
	if (!resolve(path, real, NULL, 0) || !(s = strrchr(real, '/')))
		return -ENODEV;
	*s = '\0';
	s = strrchr(real, '/');
	util_strlcpy(w.root, s ? s + 1 : real, sizeof(w.root));
	if (util_sysfs_readf(w.epdec, sizeof(w.epdec), CXL_BUS "/%s/target0", region) < 0 ||
	    !w.epdec[0]) {
		w.target = w.dpa = false;
	} else {
		snprintf(path, sizeof(path), CXL_BUS "/%s", w.epdec);
		if (!resolve(path, real, NULL, 0) || !(s = strrchr(real, '/')))
			return -ENODEV;
		*s = '\0';
		s = strrchr(real, '/');
		util_strlcpy(w.ep, s ? s + 1 : real, sizeof(w.ep));
	}
	snprintf(path, sizeof(path), CXL_BUS "/%s/driver", region);
	w.bound = resolve(path, real, drv, sizeof(drv));
	info(ctx, "%s: tearing the DC region down\n", region);
	return unmake(ctx, &w);
}
