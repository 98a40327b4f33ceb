// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sysfs testbed builder (see testbed.h for what it models). Files are
 * written straight into the umockdev testbed's directory; umockdev's preload
 * then presents them as /sys and /dev to the programs under test.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <umockdev.h>
#include "testbed.h"

struct tb {
	UMockdevTestbed *umock;
	char *root;
	enum tb_dc_gen gen;
	int mem_endpoint[256]; /* memN -> its endpoint port id, -1 when absent */
	int region_mem[256];   /* regionR -> memN */
	int next_port;         /* port/endpoint ids share one kernel ida */
	int bridge_port[64];   /* host bridge -> portN, 0 when not created */
};

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

/* Write ROOT/rel (creating directories) with printf-formatted content. */
static int wfile(struct tb *tb, const char *rel, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int wfile(struct tb *tb, const char *rel, const char *fmt, ...)
{
	char path[4096], *slash;
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tb->root, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	if (mkdirs(path) < 0)
		return -1;
	*slash = '/';
	f = fopen(path, "w");
	if (!f)
		return -1;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	return fclose(f);
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
	wdir(tb, "sys/bus/dax/drivers/device_dax");
	wdir(tb, "sys/bus/dax/drivers/fsdev_dax");
	wdir(tb, "sys/bus/dax/drivers/kmem");
	return tb;
}

void tb_free(struct tb *tb)
{
	if (!tb)
		return;
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
	bus_link(tb, "dax", name, dev);
	snprintf(rel, sizeof(rel), "dev/%s", name);
	return wfile(tb, rel, "%s", "");
}
