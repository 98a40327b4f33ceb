// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sysfs testbed builder (see testbed.h for what it models). Files are
 * written straight into the umockdev testbed's directory; umockdev's preload
 * then presents them as /sys and /dev to the programs under test.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/inotify.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <umockdev.h>
#include "tests/testbed.h"

struct tb_watch {
	int wd;
	enum { W_DEV, W_DRIVER, W_REGION, W_ROOTDEC, W_CXLREGION } kind;
	int region, id;
	const char *driver;
};

struct tb {
	/* the kernel model (tb_kernel_start) */
	pthread_t model;
	bool model_running;
	int ifd, stop[2];
	struct tb_watch watch[512];
	int nwatch;
	UMockdevTestbed *umock;
	char *root;
	enum tb_dc_gen gen;
	int mem_endpoint[256]; /* memN -> its endpoint port id, -1 when absent */
	int region_mem[256];   /* regionR -> memN */
	int next_port;         /* port/endpoint ids share one kernel ida */
	int bridge_port[64];   /* host bridge -> portN, 0 when not created */
};

static const char *const drivers[] = { "device_dax", "fsdev_dax", "kmem" };

#define PLATFORM "sys/devices/platform/ACPI0017:00"
#define ROOT PLATFORM "/root0"

static int mkdirs(const char *path)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Write ROOT/rel (creating directories) with printf-formatted content,
 * atomically (a temporary file renamed over it), as a kernel attribute
 * changes: a reader never sees it half written. */
static int wfile(struct tb *tb, const char *rel, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int wfile(struct tb *tb, const char *rel, const char *fmt, ...)
{
	char path[4096], tmp[4200], *slash;
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tb->root, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	if (mkdirs(path) < 0)
		return -1;
	*slash = '/';
	snprintf(tmp, sizeof(tmp), "%s.tb-new", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, path);
}

static int wdir(struct tb *tb, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", tb->root, rel);
	return mkdirs(path);
}

/* A relative symlink ROOT/from -> ROOT/to, as sysfs links are. */
static int wlink(struct tb *tb, const char *from, const char *to)
{
	char path[4096], target[4096] = "";
	const char *f = from, *t = to;

	/* strip the common directory prefix, then climb out of the rest */
	for (;;) {
		const char *fs = strchr(f, '/'), *ts = strchr(t, '/');

		if (!fs || !ts || fs - f != ts - t || strncmp(f, t, (size_t)(fs - f)))
			break;
		f = fs + 1;
		t = ts + 1;
	}
	for (const char *c = f; (c = strchr(c, '/')); c++)
		strcat(target, "../");
	strcat(target, t);
	snprintf(path, sizeof(path), "%s/%s", tb->root, from);
	{
		char dir[4096], *slash;

		snprintf(dir, sizeof(dir), "%s", path);
		slash = strrchr(dir, '/');
		*slash = '\0';
		if (mkdirs(dir) < 0)
			return -1;
	}
	unlink(path);
	return symlink(target, path);
}

static int bus_link(struct tb *tb, const char *bus, const char *name, const char *dev)
{
	char from[512];

	snprintf(from, sizeof(from), "sys/bus/%s/devices/%s", bus, name);
	return wlink(tb, from, dev);
}

struct tb *tb_new(enum tb_dc_gen gen)
{
	struct tb *tb = calloc(1, sizeof(*tb));

	if (!tb)
		return NULL;
	tb->umock = umockdev_testbed_new();
	tb->root = umockdev_testbed_get_root_dir(tb->umock);
	tb->gen = gen;
	tb->next_port = 1;
	memset(tb->mem_endpoint, -1, sizeof(tb->mem_endpoint));
	memset(tb->region_mem, -1, sizeof(tb->region_mem));
	wdir(tb, "sys/bus/cxl/devices");
	wdir(tb, "sys/bus/cxl/drivers/cxl_mem");
	wdir(tb, "sys/bus/dax/devices");
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		char rel[128];

		snprintf(rel, sizeof(rel), "sys/bus/dax/drivers/%s/bind", drivers[i]);
		wfile(tb, rel, "%s", "");
		snprintf(rel, sizeof(rel), "sys/bus/dax/drivers/%s/unbind", drivers[i]);
		wfile(tb, rel, "%s", "");
	}
	return tb;
}

void tb_free(struct tb *tb)
{
	if (!tb)
		return;
	tb_kernel_stop(tb);
	g_object_unref(tb->umock); /* removes the directory */
	g_free(tb->root);
	free(tb);
}

const char *tb_root(struct tb *tb)
{
	return tb->root;
}

static const char *dc_mode(const struct tb *tb)
{
	static const char *modes[] = { "dc0", "dynamic_ram_a", "dynamic_ram_1" };

	return modes[tb->gen];
}

static void root_port(struct tb *tb)
{
	static const char *create[] = { "create_dc_region", "create_dynamic_ram_a_region",
					"create_dynamic_ram_1_region" };
	char rel[512];

	if (tb->next_port > 1)
		return;
	wdir(tb, PLATFORM);
	wlink(tb, ROOT "/uport", PLATFORM);
	bus_link(tb, "cxl", "root0", ROOT);
	/* the root decoder DC regions are created through */
	snprintf(rel, sizeof(rel), ROOT "/decoder0.0/%s", create[tb->gen]);
	wfile(tb, rel, "region0");
	wfile(tb, ROOT "/decoder0.0/cap_ram", "1");
	bus_link(tb, "cxl", "decoder0.0", ROOT "/decoder0.0");
}

static int host_bridge_port(struct tb *tb, int hb)
{
	char dir[1024], uport[512], name[32];

	if (tb->bridge_port[hb])
		return tb->bridge_port[hb];
	tb->bridge_port[hb] = tb->next_port++;
	snprintf(uport, sizeof(uport), "sys/devices/pci0000:%02x", 0x34 + hb * 0x10);
	wdir(tb, uport);
	snprintf(name, sizeof(name), "port%d", tb->bridge_port[hb]);
	snprintf(dir, sizeof(dir), ROOT "/%s", name);
	wdir(tb, dir);
	snprintf(dir, sizeof(dir), ROOT "/%s/uport", name);
	wlink(tb, dir, uport);
	snprintf(dir, sizeof(dir), ROOT "/%s", name);
	bus_link(tb, "cxl", name, dir);
	return tb->bridge_port[hb];
}

int tb_add_memdev(struct tb *tb, const struct tb_memdev *m)
{
	char dev[512], rel[1024], ep[512], name[32];
	int port, epid, bus = 0x35 + m->host_bridge * 0x10 + m->id;

	root_port(tb);
	port = host_bridge_port(tb, m->host_bridge);
	snprintf(dev, sizeof(dev), "sys/devices/pci0000:%02x/0000:%02x:00.0/0000:%02x:00.0/mem%d",
		 0x34 + m->host_bridge * 0x10, 0x34 + m->host_bridge * 0x10, bus & 0xff, m->id);
	snprintf(rel, sizeof(rel), "%s/firmware_version", dev);
	wfile(tb, rel, "famfsctl-testbed");
	snprintf(rel, sizeof(rel), "%s/payload_max", dev);
	wfile(tb, rel, "2048");
	snprintf(rel, sizeof(rel), "%s/label_storage_size", dev);
	wfile(tb, rel, "0");
	snprintf(rel, sizeof(rel), "%s/serial", dev);
	wfile(tb, rel, "0x%llx", (unsigned long long)m->serial);
	snprintf(rel, sizeof(rel), "%s/numa_node", dev);
	wfile(tb, rel, "%d", m->numa_node);
	snprintf(rel, sizeof(rel), "%s/ram/size", dev);
	wfile(tb, rel, "0x%llx", (unsigned long long)m->ram_size);
	snprintf(rel, sizeof(rel), "%s/pmem/size", dev);
	wfile(tb, rel, "0x%llx", (unsigned long long)m->pmem_size);
	if (m->dc_size) {
		/* the partition's size, and the one extra attribute each series has */
		static const char *const size_file[] = { "dc/region0_size",
			"dynamic_ram_a/size", "dynamic_ram_1/size" };
		static const char *const extra[][2] = { { "dc/region_count", "1" },
			{ NULL, NULL }, { "dynamic_ram_1/qos_class", "42" } };

		snprintf(rel, sizeof(rel), "%s/%s", dev, size_file[tb->gen]);
		wfile(tb, rel, "0x%llx", (unsigned long long)m->dc_size);
		if (extra[tb->gen][0]) {
			snprintf(rel, sizeof(rel), "%s/%s", dev, extra[tb->gen][0]);
			wfile(tb, rel, "%s", extra[tb->gen][1]);
		}
	}
	snprintf(rel, sizeof(rel), "%s/driver", dev);
	wlink(tb, rel, "sys/bus/cxl/drivers/cxl_mem");
	snprintf(name, sizeof(name), "mem%d", m->id);
	bus_link(tb, "cxl", name, dev);
	snprintf(rel, sizeof(rel), "dev/cxl/mem%d", m->id);
	wfile(tb, rel, "%s", "");

	/* its endpoint port, and the endpoint decoder a DC region targets */
	epid = tb->next_port++;
	snprintf(ep, sizeof(ep), ROOT "/port%d/endpoint%d", port, epid);
	snprintf(rel, sizeof(rel), "%s/uport", ep);
	wlink(tb, rel, dev);
	snprintf(name, sizeof(name), "endpoint%d", epid);
	bus_link(tb, "cxl", name, ep);
	snprintf(rel, sizeof(rel), "%s/decoder%d.0/mode", ep, epid);
	wfile(tb, rel, "%s", m->dc_size ? dc_mode(tb) : "none");
	snprintf(rel, sizeof(rel), "%s/decoder%d.0/dpa_size", ep, epid);
	wfile(tb, rel, "0x%llx", (unsigned long long)m->dc_size);
	snprintf(rel, sizeof(rel), "%s/decoder%d.0", ep, epid);
	snprintf(name, sizeof(name), "decoder%d.0", epid);
	bus_link(tb, "cxl", name, rel);
	tb->mem_endpoint[m->id] = epid;
	return 0;
}

static void region_dir(int region, char *buf, size_t len)
{
	snprintf(buf, len, ROOT "/decoder0.0/region%d", region);
}

static int add_dax_region(struct tb *tb, int region, uint64_t size);

int tb_add_dc_region(struct tb *tb, int region, int mem, uint64_t size)
{
	char dir[512], rel[1024], name[32];

	if (mem < 0 || mem >= 256 || tb->mem_endpoint[mem] < 0)
		return -EINVAL;
	tb->region_mem[region] = mem;
	region_dir(region, dir, sizeof(dir));
	snprintf(rel, sizeof(rel), "%s/mode", dir);
	wfile(tb, rel, "%s", dc_mode(tb));
	snprintf(rel, sizeof(rel), "%s/size", dir);
	wfile(tb, rel, "0x%llx", (unsigned long long)size);
	snprintf(rel, sizeof(rel), "%s/interleave_ways", dir);
	wfile(tb, rel, "1");
	snprintf(rel, sizeof(rel), "%s/target0", dir);
	wfile(tb, rel, "decoder%d.0", tb->mem_endpoint[mem]);
	snprintf(name, sizeof(name), "region%d", region);
	bus_link(tb, "cxl", name, dir);
	return add_dax_region(tb, region, size);
}

/* The dax side of a committed DC region: dax_regionR and its seed daxR.0. */
static int add_dax_region(struct tb *tb, int region, uint64_t size)
{
	char dir[512], rel[1024], name[32];

	region_dir(region, dir, sizeof(dir));
	snprintf(rel, sizeof(rel), "%s/dax_region%d/dax_region/id", dir, region);
	wfile(tb, rel, "%d", region);
	snprintf(rel, sizeof(rel), "%s/dax_region%d/dax_region/size", dir, region);
	wfile(tb, rel, "%llu", (unsigned long long)size);
	snprintf(rel, sizeof(rel), "%s/dax_region%d/dax_region/available_size", dir, region);
	wfile(tb, rel, "0");
	snprintf(rel, sizeof(rel), "%s/dax_region%d/dax_region/align", dir, region);
	wfile(tb, rel, "2097152");
	snprintf(rel, sizeof(rel), "%s/dax_region%d/dax_region/seed", dir, region);
	wfile(tb, rel, "dax%d.0", region);
	snprintf(rel, sizeof(rel), "%s/dax_region%d/dax_region/delete", dir, region);
	wfile(tb, rel, "%s", "");
	snprintf(rel, sizeof(rel), "%s/dax_region%d", dir, region);
	snprintf(name, sizeof(name), "dax_region%d", region);
	bus_link(tb, "cxl", name, rel);
	/* the kernel's zero-size seed device, claimed later by writing a tag */
	return tb_add_dax_dev(tb, region, 0, 0, NULL, NULL);
}

int tb_add_extent(struct tb *tb, int region, int id, uint64_t offset,
		  uint64_t length, const char *tag)
{
	char dir[512], rel[1024];

	region_dir(region, dir, sizeof(dir));
	snprintf(rel, sizeof(rel), "%s/dax_region%d/extent%d.%d/offset", dir, region, region, id);
	wfile(tb, rel, "0x%llx", (unsigned long long)offset);
	snprintf(rel, sizeof(rel), "%s/dax_region%d/extent%d.%d/length", dir, region, region, id);
	wfile(tb, rel, "0x%llx", (unsigned long long)length);
	if (tag) {
		snprintf(rel, sizeof(rel), "%s/dax_region%d/extent%d.%d/%s", dir, region,
			 region, id, tb->gen == TB_DC_V3 ? "tag" : "uuid");
		wfile(tb, rel, "%s", tag);
	}
	return 0;
}

int tb_add_dax_dev(struct tb *tb, int region, int id, uint64_t size,
		   const char *uuid, const char *driver)
{
	char dir[512], dev[1024], rel[2048], name[32], drv[128];

	region_dir(region, dir, sizeof(dir));
	snprintf(dev, sizeof(dev), "%s/dax_region%d/dax%d.%d", dir, region, region, id);
	snprintf(rel, sizeof(rel), "%s/size", dev);
	wfile(tb, rel, "%llu", (unsigned long long)size);
	snprintf(rel, sizeof(rel), "%s/align", dev);
	wfile(tb, rel, "2097152");
	snprintf(rel, sizeof(rel), "%s/target_node", dev);
	wfile(tb, rel, "-1");
	snprintf(rel, sizeof(rel), "%s/uuid", dev);
	wfile(tb, rel, "%s", uuid ? uuid : "00000000-0000-0000-0000-000000000000");
	if (driver) {
		snprintf(rel, sizeof(rel), "%s/driver", dev);
		snprintf(drv, sizeof(drv), "sys/bus/dax/drivers/%s", driver);
		wlink(tb, rel, drv);
	}
	snprintf(name, sizeof(name), "dax%d.%d", region, id);
	snprintf(rel, sizeof(rel), "dev/%s", name);
	wfile(tb, rel, "%s", "");
	/* on the bus last: a device is complete when it is visible */
	return bus_link(tb, "dax", name, dev);
}

/* ---- the kernel model ---------------------------------------------------- */

/* Read the first word of ROOT/rel into buf[len]. */
static int rword(struct tb *tb, const char *rel, char *buf, size_t len)
{
	char path[4096];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", tb->root, rel);
	f = fopen(path, "r");
	if (!f)
		return -1;
	rc = fgets(buf, (int)len, f) ? 0 : -1;
	fclose(f);
	if (rc == 0) {
		buf[strcspn(buf, " \t\n")] = '\0';
		rc = buf[0] ? 0 : -1;
	}
	return rc;
}

static void dax_dir(int region, int id, char *buf, size_t len)
{
	char dir[512];

	region_dir(region, dir, sizeof(dir));
	snprintf(buf, len, "%s/dax_region%d/dax%d.%d", dir, region, region, id);
}

static void add_watch(struct tb *tb, const char *rel, int kind, int region, int id,
		      const char *driver)
{
	char path[4096];
	struct tb_watch *w;

	if (tb->nwatch == (int)(sizeof(tb->watch) / sizeof(tb->watch[0])))
		return;
	snprintf(path, sizeof(path), "%s/%s", tb->root, rel);
	w = &tb->watch[tb->nwatch];
	w->wd = inotify_add_watch(tb->ifd, path, IN_CLOSE_WRITE);
	if (w->wd < 0)
		return;
	w->kind = kind;
	w->region = region;
	w->id = id;
	w->driver = driver;
	tb->nwatch++;
}

/* Bytes of region R's extents tagged `tag`. */
static uint64_t tagged_bytes(struct tb *tb, int region, const char *tag)
{
	char dir[512], path[4096], rel[4096], buf[128];
	struct dirent *de;
	uint64_t sum = 0;
	DIR *d;

	region_dir(region, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s/dax_region%d", tb->root, dir, region);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "extent", 6))
			continue;
		snprintf(rel, sizeof(rel), "%s/dax_region%d/%s/uuid", dir, region, de->d_name);
		if (rword(tb, rel, buf, sizeof(buf)) < 0 || strcmp(buf, tag))
			continue;
		snprintf(rel, sizeof(rel), "%s/dax_region%d/%s/length", dir, region, de->d_name);
		if (rword(tb, rel, buf, sizeof(buf)) == 0)
			sum += strtoull(buf, NULL, 0);
	}
	if (d)
		closedir(d);
	return sum;
}

static int next_dax_id(struct tb *tb, int region)
{
	char dir[512], path[4096];
	struct dirent *de;
	int next = 0, r, id;
	DIR *d;

	region_dir(region, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s/dax_region%d", tb->root, dir, region);
	d = opendir(path);
	while (d && (de = readdir(d)))
		if (sscanf(de->d_name, "dax%d.%d", &r, &id) == 2 && id >= next)
			next = id + 1;
	if (d)
		closedir(d);
	return next;
}

#define ZERO_UUID "00000000-0000-0000-0000-000000000000"

/* A write to daxR.M/uuid or daxR.M/size. */
static void dev_attr(struct tb *tb, struct tb_watch *w, const char *name)
{
	char dev[1024], rel[2048], val[128], size[64], dir[512];
	uint64_t bytes;
	int seed;

	dax_dir(w->region, w->id, dev, sizeof(dev));
	snprintf(rel, sizeof(rel), "%s/%s", dev, name);
	if (rword(tb, rel, val, sizeof(val)) < 0)
		return;
	snprintf(rel, sizeof(rel), "%s/size", dev);
	if (rword(tb, rel, size, sizeof(size)) < 0)
		return;
	if (!strcmp(name, "uuid") && strcmp(val, ZERO_UUID) && !strcmp(size, "0")) {
		/* claiming a tag: every extent with it; then a new seed */
		bytes = tagged_bytes(tb, w->region, val);
		snprintf(rel, sizeof(rel), "%s/uuid", dev);
		if (!bytes) {
			wfile(tb, rel, "%s", ZERO_UUID); /* the kernel: ENOENT */
			return;
		}
		snprintf(rel, sizeof(rel), "%s/size", dev);
		wfile(tb, rel, "%llu", (unsigned long long)bytes);
		seed = next_dax_id(tb, w->region);
		tb_add_dax_dev(tb, w->region, seed, 0, NULL, NULL);
		region_dir(w->region, dir, sizeof(dir));
		snprintf(rel, sizeof(rel), "%s/dax_region%d/dax_region/seed", dir, w->region);
		wfile(tb, rel, "dax%d.%d", w->region, seed);
		dax_dir(w->region, seed, dev, sizeof(dev));
		add_watch(tb, dev, W_DEV, w->region, seed, NULL);
	} else if (!strcmp(name, "size") && !strcmp(val, "0")) {
		/* giving the capacity back: the device keeps no tag */
		snprintf(rel, sizeof(rel), "%s/uuid", dev);
		wfile(tb, rel, "%s", ZERO_UUID);
	}
}

static void driver_attr(struct tb *tb, struct tb_watch *w, const char *name)
{
	char rel[2048], devname[128], dev[1024], link[2048], drv[128];
	int region, id;

	snprintf(rel, sizeof(rel), "sys/bus/dax/drivers/%s/%s", w->driver, name);
	if (rword(tb, rel, devname, sizeof(devname)) < 0 ||
	    sscanf(devname, "dax%d.%d", &region, &id) != 2)
		return;
	dax_dir(region, id, dev, sizeof(dev));
	snprintf(link, sizeof(link), "%s/%s/driver", tb->root, dev);
	if (!strcmp(name, "unbind")) {
		unlink(link);
	} else if (!strcmp(name, "bind")) {
		snprintf(rel, sizeof(rel), "%s/driver", dev);
		snprintf(drv, sizeof(drv), "sys/bus/dax/drivers/%s", w->driver);
		wlink(tb, rel, drv);
	}
}

static void region_attr(struct tb *tb, struct tb_watch *w, const char *name)
{
	char rel[2048], devname[128], dev[1024], path[4096];
	static const char *const attrs[] = { "size", "align", "target_node", "uuid", "driver" };
	int region, id;

	if (strcmp(name, "delete"))
		return;
	region_dir(w->region, dev, sizeof(dev));
	snprintf(rel, sizeof(rel), "%s/dax_region%d/dax_region/delete", dev, w->region);
	if (rword(tb, rel, devname, sizeof(devname)) < 0 ||
	    sscanf(devname, "dax%d.%d", &region, &id) != 2 || region != w->region)
		return;
	dax_dir(region, id, dev, sizeof(dev));
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", tb->root, dev, attrs[i]);
		unlink(path);
	}
	for (int i = 0; i < tb->nwatch; i++)
		if (tb->watch[i].kind == W_DEV && tb->watch[i].region == region &&
		    tb->watch[i].id == id) {
			inotify_rm_watch(tb->ifd, tb->watch[i].wd);
			tb->watch[i].wd = -1;
		}
	snprintf(path, sizeof(path), "%s/%s", tb->root, dev);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sys/bus/dax/devices/%s", tb->root, devname);
	unlink(path);
	snprintf(path, sizeof(path), "%s/dev/%s", tb->root, devname);
	unlink(path);
}

/* A write to the root decoder's create_*_region: the named region appears. */
static void rootdec_attr(struct tb *tb, struct tb_watch *w, const char *name)
{
	static const char *const create[] = { "create_dc_region",
		"create_dynamic_ram_a_region", "create_dynamic_ram_1_region" };
	char rel[2048], val[64], dir[512], link[32];
	int region;

	if (strcmp(name, create[tb->gen]))
		return;
	snprintf(rel, sizeof(rel), ROOT "/decoder0.0/%s", name);
	if (rword(tb, rel, val, sizeof(val)) < 0 || sscanf(val, "region%d", &region) != 1 ||
	    region < 0 || region >= 255 || tb->region_mem[region] >= 0)
		return;
	region_dir(region, dir, sizeof(dir));
	snprintf(rel, sizeof(rel), "%s/mode", dir);
	wfile(tb, rel, "%s", dc_mode(tb));
	snprintf(rel, sizeof(rel), "%s/size", dir);
	wfile(tb, rel, "0");
	snprintf(rel, sizeof(rel), "%s/interleave_ways", dir);
	wfile(tb, rel, "0");
	snprintf(rel, sizeof(rel), "%s/target0", dir);
	wfile(tb, rel, "%s", "");
	snprintf(rel, sizeof(rel), "%s/commit", dir);
	wfile(tb, rel, "0");
	/* watched before it becomes visible on the bus: no write is missed */
	add_watch(tb, dir, W_CXLREGION, region, -1, NULL);
	snprintf(rel, sizeof(rel), ROOT "/decoder0.0/%s", name);
	wfile(tb, rel, "region%d", region + 1);
	snprintf(link, sizeof(link), "region%d", region);
	bus_link(tb, "cxl", link, dir);
}

/* commit = 1 on a region: the DC region is live and its dax region probes. */
static void cxlregion_attr(struct tb *tb, struct tb_watch *w, const char *name)
{
	char dir[512], rel[1024], val[64];
	uint64_t size;
	int ep;

	if (strcmp(name, "commit"))
		return;
	region_dir(w->region, dir, sizeof(dir));
	snprintf(rel, sizeof(rel), "%s/commit", dir);
	if (rword(tb, rel, val, sizeof(val)) < 0 || strcmp(val, "1"))
		return;
	snprintf(rel, sizeof(rel), "%s/target0", dir);
	if (rword(tb, rel, val, sizeof(val)) < 0 || sscanf(val, "decoder%d.0", &ep) != 1)
		return;
	snprintf(rel, sizeof(rel), "%s/size", dir);
	if (rword(tb, rel, val, sizeof(val)) < 0)
		return;
	size = strtoull(val, NULL, 0);
	for (int m = 0; m < 256; m++)
		if (tb->mem_endpoint[m] == ep)
			tb->region_mem[w->region] = m;
	if (tb->region_mem[w->region] < 0)
		return;
	add_dax_region(tb, w->region, size);
	snprintf(rel, sizeof(rel), "%s/dax_region%d/dax_region", dir, w->region);
	add_watch(tb, rel, W_REGION, w->region, -1, NULL);
	dax_dir(w->region, 0, rel, sizeof(rel));
	add_watch(tb, rel, W_DEV, w->region, 0, NULL);
}

static void *model(void *arg)
{
	struct tb *tb = arg;
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (;;) {
		struct pollfd p[2] = { { .fd = tb->ifd, .events = POLLIN },
				       { .fd = tb->stop[0], .events = POLLIN } };
		ssize_t n;

		if (poll(p, 2, -1) < 0 || p[1].revents)
			break;
		n = read(tb->ifd, buf, sizeof(buf));
		for (char *c = buf; n > 0 && c < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)c;

			for (int i = 0; i < tb->nwatch && ev->len; i++) {
				struct tb_watch *w = &tb->watch[i];

				if (w->wd != ev->wd)
					continue;
				if (w->kind == W_DEV)
					dev_attr(tb, w, ev->name);
				else if (w->kind == W_DRIVER)
					driver_attr(tb, w, ev->name);
				else if (w->kind == W_ROOTDEC)
					rootdec_attr(tb, w, ev->name);
				else if (w->kind == W_CXLREGION)
					cxlregion_attr(tb, w, ev->name);
				else
					region_attr(tb, w, ev->name);
				break;
			}
			c += sizeof(*ev) + ev->len;
		}
	}
	return NULL;
}

int tb_kernel_start(struct tb *tb)
{
	char dir[512], rel[1024];

	tb->ifd = inotify_init1(IN_CLOEXEC);
	if (tb->ifd < 0 || pipe(tb->stop) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		snprintf(rel, sizeof(rel), "sys/bus/dax/drivers/%s", drivers[i]);
		add_watch(tb, rel, W_DRIVER, -1, -1, drivers[i]);
	}
	add_watch(tb, ROOT "/decoder0.0", W_ROOTDEC, -1, -1, NULL);
	for (int r = 0; r < 256; r++) {
		int next;

		if (tb->region_mem[r] < 0)
			continue;
		region_dir(r, dir, sizeof(dir));
		snprintf(rel, sizeof(rel), "%s/dax_region%d/dax_region", dir, r);
		add_watch(tb, rel, W_REGION, r, -1, NULL);
		next = next_dax_id(tb, r);
		for (int id = 0; id < next; id++) {
			dax_dir(r, id, rel, sizeof(rel));
			add_watch(tb, rel, W_DEV, r, id, NULL);
		}
	}
	if (pthread_create(&tb->model, NULL, model, tb) != 0)
		return -1;
	tb->model_running = true;
	return 0;
}

void tb_kernel_stop(struct tb *tb)
{
	if (!tb->model_running)
		return;
	if (write(tb->stop[1], "x", 1) != 1)
		return;
	pthread_join(tb->model, NULL);
	close(tb->ifd);
	close(tb->stop[0]);
	close(tb->stop[1]);
	tb->model_running = false;
}
