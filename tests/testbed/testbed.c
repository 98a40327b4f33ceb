// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sysfs testbed and its kernel model (see testbed.h). Files are written
 * straight into the umockdev testbed's directory; umockdev's preload then
 * presents them as /sys and /dev to the programs under test.
 *
 * The model keeps the kernel's state in memory and renders it into the
 * attribute files after every change. Every write a program makes reaches
 * tb_write() (through tests/testbed/tb-preload.c and a socket served by a thread),
 * which does what doc/kernel-dcd.md says the kernel's store function does:
 *
 *  endpoint decoder  mode (ram, pmem or the DC name; EBUSY once it has DPA),
 *                    dpa_size (256 MiB multiples, in decoder order, EBUSY
 *                    while a region uses it);
 *  root decoder      create_*_region (compare-exchange of the next region
 *                    name: EBUSY on mismatch), delete_region;
 *  region            interleave_granularity, interleave_ways (1 only:
 *                    EINVAL), size (ENXIO before granularity and ways),
 *                    target0 (ENXIO without size, EINVAL for a decoder not
 *                    in the region's mode, ENXIO when the root decoder does
 *                    not route to its host bridge), commit;
 *  cxl_region driver bind (ENXIO until committed): only this makes the dax
 *                    region, with a 0-size daxR.0 and an empty seed;
 *  dax region        create (ENOSPC at available_size 0; a new daxR.K, the
 *                    first daxR.1, named in seed when seed is empty),
 *                    delete (EBUSY for id 0, while bound or sized);
 *  dax device        uuid (v10+: claims the tag group, ENOENT without
 *                    one, EBUSY when sized, ENXIO with the region driver
 *                    unbound), size (0 only: EOPNOTSUPP; EBUSY while bound);
 *  dax drivers       new_id, bind (ENXIO for a 0-size device; clears seed),
 *                    unbind.
 *
 * The device side (tb_device_add/release) is the FM's capacity reaching
 * the host: a group is accepted whole or dropped (PMD alignment, inside the
 * partition, no overlap, tags unique host-wide); a release of a group any
 * dax device claims is dropped, with no answer and nothing queued.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <umockdev.h>
#include "tests/testbed/testbed.h"

#define MAX_MEM 256
#define MAX_REG 64
#define MAX_EXT 128
#define MAX_DAX 64
#define MAX_HB 16
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define PMD_SIZE (2 * MiB) /* the x86-64 mapping's PMD_SIZE */
#define ZERO_UUID "00000000-0000-0000-0000-000000000000"

const char *const tb_gen_name[TB_NGENS] = { "v3", "v4-v8", "v9", "v10", "v11" };
static const char *const gen_mode[TB_NGENS] = { "dc0", "dc0", "dynamic_ram_a",
	"dynamic_ram_a", "dynamic_ram_1" };
static const char *const gen_create[TB_NGENS] = { "create_dc_region", "create_dc_region",
	"create_dynamic_ram_a_region", "create_dynamic_ram_a_region",
	"create_dynamic_ram_1_region" };
static const char *const drivers[] = { "device_dax", "fsdev_dax", "kmem" };

struct tb_dec {             /* endpoint decoder decoderE.N */
	char mode[16];
	uint64_t dpa_size;
	int region;         /* -1: none */
};

struct tb_mem {
	bool present;
	int ep, hb;
	uint64_t ram_size, dc_size;
	struct tb_dec dec[2];
	char dev[512];      /* its sysfs directory, relative */
};

struct tb_ext {
	bool used;
	uint64_t offset, length;
	char tag[37];       /* "" when untagged */
	int dax;            /* the claiming device's id, -1 */
};

struct tb_dax {
	bool used;
	uint64_t size;
	char uuid[37];      /* "" when none claimed */
	char driver[16];    /* "" when unbound */
};

struct tb_region {
	bool used;
	int root;           /* the root decoder decoder0.K */
	int mem, dec;       /* target0 (mem -1: none) */
	unsigned int gran, ways;
	uint64_t size;
	bool committed, bound, daxr_bound;
	char seed[32];
	struct tb_ext ext[MAX_EXT];
	struct tb_dax dax[MAX_DAX];
};

struct tb_fault {
	char suffix[128];
	int err;
};

struct tb {
	UMockdevTestbed *umock;
	char *root;
	enum tb_dc_gen gen;
	pthread_mutex_t lock;
	/* the model's server (tb_kernel_start) */
	pthread_t thread;
	bool running;
	int sock, stop[2];
	char sock_path[PATH_MAX];
	struct tb_mem mem[MAX_MEM];
	struct tb_region *reg[MAX_REG];
	int next_port;            /* port/endpoint ids share one kernel ida */
	int bridge_port[MAX_HB];  /* host bridge -> portN, 0 when not created */
	int nbridges;
	bool no_driver[3];
	struct tb_fault faults[16];
	int nfaults;
	unsigned int uevents;
};

#define PLATFORM "sys/devices/platform/ACPI0017:00"
#define ROOT PLATFORM "/root0"

/* ---- files ---------------------------------------------------------------- */

static int mkdirs(const char *path)
{
	char buf[PATH_MAX], *p;

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

/* Write ROOT/dir/name (creating directories), atomically (a temporary file
 * renamed over it), as a kernel attribute changes: never half written. */
static int put(struct tb *tb, const char *dir, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int put(struct tb *tb, const char *dir, const char *name, const char *fmt, ...)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16], *slash;
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", tb->root, dir, name);
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

static void rm(struct tb *tb, const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/%s", tb->root, dir, name);
	unlink(path);
}

static void rmtree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char sub[PATH_MAX];
	struct stat st;

	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			rmtree(sub);
		else
			unlink(sub);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

static void rmdir_rel(struct tb *tb, const char *dir)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", tb->root, dir);
	rmtree(path);
}

static int wdir(struct tb *tb, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", tb->root, rel);
	return mkdirs(path);
}

/* A relative symlink ROOT/from -> ROOT/to, as sysfs links are. */
static int wlink(struct tb *tb, const char *from, const char *to)
{
	char path[PATH_MAX], target[PATH_MAX] = "", dir[PATH_MAX], *slash;
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
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	*slash = '\0';
	if (mkdirs(dir) < 0)
		return -1;
	unlink(path);
	return symlink(target, path);
}

static int bus_link(struct tb *tb, const char *bus, const char *name, const char *dev)
{
	char from[512], sub[PATH_MAX], bus_dir[64];

	snprintf(from, sizeof(from), "sys/bus/%s/devices/%s", bus, name);
	snprintf(sub, sizeof(sub), "%s/subsystem", dev);
	snprintf(bus_dir, sizeof(bus_dir), "sys/bus/%s", bus);
	wlink(tb, sub, bus_dir);
	return wlink(tb, from, dev);
}

static void uevent(struct tb *tb, const char *dev, const char *action)
{
	char syspath[PATH_MAX];

	snprintf(syspath, sizeof(syspath), "/%s", dev);
	umockdev_testbed_uevent(tb->umock, syspath, action);
	tb->uevents++;
}

/* ---- the static topology -------------------------------------------------- */

void tb_reexec(char **argv)
{
	const char *pre = getenv("LD_PRELOAD"), *wrapper = getenv("UMOCKDEV_WRAPPER");
	int n = 0;

	if ((pre && strstr(pre, "libumockdev-preload")) || !wrapper || !*wrapper)
		return;
	while (argv[n])
		n++;
	{
		char *args[n + 2];

		args[0] = (char *)wrapper;
		for (int i = 0; i <= n; i++)
			args[i + 1] = argv[i];
		setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 1);
		execv(wrapper, args);
	}
	perror(wrapper);
	exit(99);
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
	tb->sock = -1;
	pthread_mutex_init(&tb->lock, NULL);
	wdir(tb, "sys/bus/cxl/devices");
	wdir(tb, "sys/bus/cxl/drivers/cxl_mem");
	put(tb, "sys/bus/cxl/drivers/cxl_region", "bind", "%s", "");
	put(tb, "sys/bus/cxl/drivers/cxl_region", "unbind", "%s", "");
	wdir(tb, "sys/bus/cxl/drivers/cxl_dax_region");
	wdir(tb, "sys/bus/dax/devices");
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		char rel[128];

		snprintf(rel, sizeof(rel), "sys/bus/dax/drivers/%s", drivers[i]);
		put(tb, rel, "bind", "%s", "");
		put(tb, rel, "unbind", "%s", "");
		put(tb, rel, "new_id", "%s", "");
	}
	return tb;
}

void tb_free(struct tb *tb)
{
	if (!tb)
		return;
	tb_kernel_stop(tb);
	for (int r = 0; r < MAX_REG; r++)
		free(tb->reg[r]);
	g_object_unref(tb->umock); /* removes the directory */
	g_free(tb->root);
	pthread_mutex_destroy(&tb->lock);
	free(tb);
}

const char *tb_root(struct tb *tb)
{
	return tb->root;
}

void tb_remove_driver(struct tb *tb, const char *driver)
{
	char rel[128];

	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (!strcmp(drivers[i], driver))
			tb->no_driver[i] = true;
	snprintf(rel, sizeof(rel), "sys/bus/dax/drivers/%s", driver);
	rmdir_rel(tb, rel);
}

static void root_decoder_dir(int k, char *buf, size_t len)
{
	snprintf(buf, len, ROOT "/decoder0.%d", k);
}

/* Root decoders: decoder0.0 a ram window over every bridge (no dynamic
 * capacity), decoder0.(1+hb) a DC window routing to bridge hb only. */
static void render_root_decoders(struct tb *tb)
{
	char dir[256], list[128] = "", name[32];
	int next = 0;

	while (next < MAX_REG && tb->reg[next] && tb->reg[next]->used)
		next++;
	for (int hb = 0; hb < tb->nbridges; hb++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%d", hb ? "," : "", hb);
	for (int k = 0; k <= tb->nbridges; k++) {
		root_decoder_dir(k, dir, sizeof(dir));
		put(tb, dir, "start", "0x%llx", (unsigned long long)(k + 1) * 0x1000000000ULL);
		put(tb, dir, "size", "0x%llx", 0x1000000000ULL);
		put(tb, dir, "interleave_ways", "1");
		put(tb, dir, "interleave_granularity", "256");
		put(tb, dir, "locked", "0");
		put(tb, dir, "cap_pmem", "0");
		put(tb, dir, "cap_type2", "0");
		put(tb, dir, "cap_type3", "1");
		put(tb, dir, "cap_ram", "1");
		put(tb, dir, "qos_class", "42");
		if (k == 0) {
			put(tb, dir, "target_list", "%s", list);
			put(tb, dir, "create_ram_region", "region%d", next);
		} else {
			put(tb, dir, "target_list", "%d", k - 1);
			put(tb, dir, gen_create[tb->gen], "region%d", next);
			if (tb->gen >= TB_DC_V9)
				put(tb, dir, tb->gen == TB_DC_V11 ? "cap_dynamic_ram_1" :
				    "cap_dynamic_ram_a", "1");
			put(tb, dir, "delete_region", "%s", "");
		}
		snprintf(name, sizeof(name), "decoder0.%d", k);
		bus_link(tb, "cxl", name, dir);
	}
}

static void root_port(struct tb *tb)
{
	if (tb->next_port > 1)
		return;
	wdir(tb, PLATFORM);
	wlink(tb, ROOT "/uport", PLATFORM);
	bus_link(tb, "cxl", "root0", ROOT);
}

static int host_bridge_port(struct tb *tb, int hb)
{
	char dir[1024], uport[512], name[32];

	if (hb < 0 || hb >= MAX_HB)
		return -1;
	if (tb->bridge_port[hb])
		return tb->bridge_port[hb];
	tb->bridge_port[hb] = tb->next_port++;
	if (hb + 1 > tb->nbridges)
		tb->nbridges = hb + 1;
	snprintf(uport, sizeof(uport), "sys/devices/pci0000:%02x", 0x34 + hb * 0x10);
	wdir(tb, uport);
	snprintf(name, sizeof(name), "port%d", tb->bridge_port[hb]);
	snprintf(dir, sizeof(dir), ROOT "/%s/uport", name);
	wlink(tb, dir, uport);
	snprintf(dir, sizeof(dir), ROOT "/dport%d", hb);
	wlink(tb, dir, uport);
	snprintf(dir, sizeof(dir), ROOT "/%s", name);
	bus_link(tb, "cxl", name, dir);
	render_root_decoders(tb);
	return tb->bridge_port[hb];
}

static void ep_decoder_dir(struct tb *tb, int mem, int n, char *buf, size_t len)
{
	const struct tb_mem *m = &tb->mem[mem];

	snprintf(buf, len, ROOT "/port%d/endpoint%d/decoder%d.%d", tb->bridge_port[m->hb],
		 m->ep, m->ep, n);
}

static void render_ep_decoder(struct tb *tb, int mem, int n)
{
	const struct tb_dec *d = &tb->mem[mem].dec[n];
	char dir[512];

	ep_decoder_dir(tb, mem, n, dir, sizeof(dir));
	put(tb, dir, "mode", "%s", d->mode);
	put(tb, dir, "dpa_size", "0x%llx", (unsigned long long)d->dpa_size);
	if (d->region >= 0)
		put(tb, dir, "region", "region%d", d->region);
	else
		put(tb, dir, "region", "%s", "");
}

int tb_add_memdev(struct tb *tb, const struct tb_memdev *m)
{
	static const char *const part[TB_NGENS] = { "dc", "dc0", "dynamic_ram_a",
		"dynamic_ram_a", "dynamic_ram_1" };
	char dev[512], ep[512], name[32], rel[1024], pdir[600];
	struct tb_mem *tm;
	int port, epid, bus = 0x35 + m->host_bridge * 0x10 + m->id;

	if (m->id < 0 || m->id >= MAX_MEM)
		return -EINVAL;
	pthread_mutex_lock(&tb->lock);
	root_port(tb);
	port = host_bridge_port(tb, m->host_bridge);
	tm = &tb->mem[m->id];
	snprintf(dev, sizeof(dev), "sys/devices/pci0000:%02x/0000:%02x:00.0/0000:%02x:00.0/mem%d",
		 0x34 + m->host_bridge * 0x10, 0x34 + m->host_bridge * 0x10, bus & 0xff, m->id);
	put(tb, dev, "firmware_version", "famfsctl-testbed");
	put(tb, dev, "payload_max", "2048");
	put(tb, dev, "label_storage_size", "0");
	put(tb, dev, "serial", "0x%llx", (unsigned long long)m->serial);
	put(tb, dev, "numa_node", "%d", m->numa_node);
	put(tb, dev, "ram/size", "0x%llx", (unsigned long long)m->ram_size);
	put(tb, dev, "pmem/size", "0x%llx", (unsigned long long)m->pmem_size);
	if (m->dc_size) {
		/* the partition in the series' naming ("size" shown when non-zero) */
		snprintf(pdir, sizeof(pdir), "%s/%s", dev, part[tb->gen]);
		switch (tb->gen) {
		case TB_DC_V3:
			put(tb, pdir, "region0_size", "0x%llx", (unsigned long long)m->dc_size);
			put(tb, pdir, "region_count", "1");
			break;
		case TB_DC_V4:
			put(tb, pdir, "size", "%#llx", (unsigned long long)m->dc_size);
			put(tb, pdir, "read_only", "0");
			put(tb, pdir, "shareable", "0");
			put(tb, pdir, "qos_class", "42");
			break;
		case TB_DC_V9:
		case TB_DC_V10:
			put(tb, pdir, "size", "%#llx", (unsigned long long)m->dc_size);
			break;
		case TB_DC_V11:
			put(tb, pdir, "size", "%#llx", (unsigned long long)m->dc_size);
			put(tb, pdir, "qos_class", "42");
			break;
		}
	}
	snprintf(rel, sizeof(rel), "%s/driver", dev);
	wlink(tb, rel, "sys/bus/cxl/drivers/cxl_mem");
	snprintf(name, sizeof(name), "mem%d", m->id);
	bus_link(tb, "cxl", name, dev);
	put(tb, "dev/cxl", name, "%s", "");

	/* its endpoint port, with two endpoint decoders; .0 maps the ram
	 * partition when there is one (so it is not free) */
	epid = tb->next_port++;
	tm->present = true;
	tm->ep = epid;
	tm->hb = m->host_bridge;
	tm->ram_size = m->ram_size;
	tm->dc_size = m->dc_size;
	snprintf(tm->dev, sizeof(tm->dev), "%s", dev);
	snprintf(ep, sizeof(ep), ROOT "/port%d/endpoint%d", port, epid);
	snprintf(rel, sizeof(rel), "%s/uport", ep);
	wlink(tb, rel, dev);
	snprintf(name, sizeof(name), "endpoint%d", epid);
	bus_link(tb, "cxl", name, ep);
	for (int n = 0; n < 2; n++) {
		struct tb_dec *d = &tm->dec[n];

		snprintf(d->mode, sizeof(d->mode), "ram");
		d->dpa_size = n == 0 ? m->ram_size : 0;
		d->region = -1;
		render_ep_decoder(tb, m->id, n);
		ep_decoder_dir(tb, m->id, n, rel, sizeof(rel));
		snprintf(name, sizeof(name), "decoder%d.%d", epid, n);
		bus_link(tb, "cxl", name, rel);
	}
	pthread_mutex_unlock(&tb->lock);
	return 0;
}

/* ---- regions ---------------------------------------------------------------- */

static void region_dir(struct tb *tb, int r, char *buf, size_t len)
{
	snprintf(buf, len, ROOT "/decoder0.%d/region%d", tb->reg[r]->root, r);
}

static void daxr_dir(struct tb *tb, int r, char *buf, size_t len)
{
	char dir[256];

	region_dir(tb, r, dir, sizeof(dir));
	snprintf(buf, len, "%s/dax_region%d", dir, r);
}

static void dax_dir(struct tb *tb, int r, int id, char *buf, size_t len)
{
	char dir[512];

	daxr_dir(tb, r, dir, sizeof(dir));
	snprintf(buf, len, "%s/dax%d.%d", dir, r, id);
}

static uint64_t available(const struct tb_region *g)
{
	uint64_t n = 0;

	for (int e = 0; e < MAX_EXT; e++)
		if (g->ext[e].used && g->ext[e].dax < 0)
			n += g->ext[e].length;
	return n;
}

/* DEVICE/driver -> sys/bus/BUS/drivers/NAME (drv "BUS/drivers/NAME"), or
 * no link when unbound. */
static void driver_link(struct tb *tb, const char *dev, const char *drv)
{
	char from[PATH_MAX], to[256];

	if (!drv) {
		rm(tb, dev, "driver");
		return;
	}
	snprintf(from, sizeof(from), "%s/driver", dev);
	snprintf(to, sizeof(to), "sys/bus/%s", drv);
	wlink(tb, from, to);
}

static void render_region(struct tb *tb, int r)
{
	const struct tb_region *g = tb->reg[r];
	char dir[256];

	region_dir(tb, r, dir, sizeof(dir));
	put(tb, dir, "mode", "%s", gen_mode[tb->gen]);
	put(tb, dir, "size", "0x%llx", (unsigned long long)g->size);
	put(tb, dir, "interleave_granularity", "%u", g->gran);
	put(tb, dir, "interleave_ways", "%u", g->ways);
	put(tb, dir, "commit", "%d", g->committed);
	if (g->mem >= 0)
		put(tb, dir, "target0", "decoder%d.%d", tb->mem[g->mem].ep, g->dec);
	else
		put(tb, dir, "target0", "%s", "");
	driver_link(tb, dir, g->bound ? "cxl/drivers/cxl_region" : NULL);
}

static void render_daxr(struct tb *tb, int r)
{
	const struct tb_region *g = tb->reg[r];
	char dir[512], rel[600];

	daxr_dir(tb, r, dir, sizeof(dir));
	snprintf(rel, sizeof(rel), "%s/dax_region", dir);
	put(tb, rel, "id", "%d", r);
	put(tb, rel, "size", "%llu", (unsigned long long)g->size);
	put(tb, rel, "available_size", "%llu", (unsigned long long)available(g));
	put(tb, rel, "align", "%llu", (unsigned long long)PMD_SIZE);
	put(tb, rel, "seed", "%s", g->seed);
	put(tb, rel, "create", "%s", "");
	put(tb, rel, "delete", "%s", "");
	driver_link(tb, dir, g->daxr_bound ? "cxl/drivers/cxl_dax_region" : NULL);
}

static const char *null_uuid(const struct tb *tb)
{
	return tb->gen == TB_DC_V10 ? "0" : ZERO_UUID;
}

static void render_dax(struct tb *tb, int r, int id)
{
	const struct tb_region *g = tb->reg[r];
	const struct tb_dax *x = &g->dax[id];
	char dev[600], rel[700], drv[128];
	int k = 0;

	dax_dir(tb, r, id, dev, sizeof(dev));
	put(tb, dev, "size", "%llu", (unsigned long long)x->size);
	put(tb, dev, "align", "%llu", (unsigned long long)PMD_SIZE);
	put(tb, dev, "target_node", "-1");
	put(tb, dev, "uevent", "MAJOR=252\nMINOR=%d\nDEVNAME=dax%d.%d", r * MAX_DAX + id, r, id);
	if (tb->gen >= TB_DC_V10)
		put(tb, dev, "uuid", "%s", x->uuid[0] ? x->uuid : null_uuid(tb));
	/* one mapping per claimed extent, in sequence (id) order */
	for (int i = 0; i < 8; i++) {
		snprintf(rel, sizeof(rel), "%s/mapping%d", dev, i);
		rmdir_rel(tb, rel);
	}
	for (int e = 0; e < MAX_EXT; e++) {
		const struct tb_ext *x2 = &g->ext[e];
		uint64_t base = 0x1000000000ULL * (uint64_t)(g->root + 1);

		if (!x2->used || x2->dax != id || k >= 8)
			continue;
		snprintf(rel, sizeof(rel), "%s/mapping%d", dev, k++);
		put(tb, rel, "start", "0x%llx", (unsigned long long)(base + x2->offset));
		put(tb, rel, "end", "0x%llx", (unsigned long long)(base + x2->offset + x2->length - 1));
		put(tb, rel, "page_offset", "0x0");
	}
	snprintf(drv, sizeof(drv), "dax/drivers/%s", x->driver);
	driver_link(tb, dev, x->driver[0] ? drv : NULL);
}

static void render_ext(struct tb *tb, int r, int e)
{
	const struct tb_ext *x = &tb->reg[r]->ext[e];
	char dir[512], rel[600];
	bool old = tb->gen == TB_DC_V3 || tb->gen == TB_DC_V4 || tb->gen == TB_DC_V9;

	daxr_dir(tb, r, dir, sizeof(dir));
	snprintf(rel, sizeof(rel), "%s/extent%d.%d", dir, r, e);
	if (!x->used) {
		rmdir_rel(tb, rel);
		return;
	}
	put(tb, rel, "offset", "0x%llx", (unsigned long long)x->offset);
	put(tb, rel, "length", "0x%llx", (unsigned long long)x->length);
	if (x->tag[0]) /* hidden when the tag is null */
		put(tb, rel, old ? "tag" : "uuid", "%s", x->tag);
}

/* A new dax device daxR.id, on the bus (and announced) last. */
static void add_dax(struct tb *tb, int r, int id, bool announce)
{
	char dev[600], name[32];

	tb->reg[r]->dax[id] = (struct tb_dax){ .used = true };
	render_dax(tb, r, id);
	snprintf(name, sizeof(name), "dax%d.%d", r, id);
	put(tb, "dev", name, "%s", "");
	dax_dir(tb, r, id, dev, sizeof(dev));
	bus_link(tb, "dax", name, dev);
	if (announce)
		uevent(tb, dev, "add");
}

static void remove_dax(struct tb *tb, int r, int id)
{
	char dev[600], name[32];

	dax_dir(tb, r, id, dev, sizeof(dev));
	uevent(tb, dev, "remove");
	snprintf(name, sizeof(name), "dax%d.%d", r, id);
	rm(tb, "dev", name);
	rm(tb, "sys/bus/dax/devices", name);
	rmdir_rel(tb, dev);
	tb->reg[r]->dax[id].used = false;
	if (!strcmp(tb->reg[r]->seed, name))
		tb->reg[r]->seed[0] = '\0';
}

/* The region driver's probe: the dax region, the extents already accepted,
 * a 0-size daxR.0; seed stays empty. */
static void probe_region(struct tb *tb, int r, bool announce)
{
	struct tb_region *g = tb->reg[r];
	char dir[512], name[32];

	g->bound = true;
	g->daxr_bound = true;
	g->seed[0] = '\0';
	render_region(tb, r);
	render_daxr(tb, r);
	daxr_dir(tb, r, dir, sizeof(dir));
	snprintf(name, sizeof(name), "dax_region%d", r);
	bus_link(tb, "cxl", name, dir);
	for (int e = 0; e < MAX_EXT; e++)
		if (g->ext[e].used)
			render_ext(tb, r, e);
	add_dax(tb, r, 0, announce);
}

static void unprobe_region(struct tb *tb, int r)
{
	struct tb_region *g = tb->reg[r];
	char dir[512], name[32];

	for (int id = MAX_DAX - 1; id >= 0; id--)
		if (g->dax[id].used)
			remove_dax(tb, r, id);
	for (int e = 0; e < MAX_EXT; e++)
		g->ext[e].dax = -1;
	daxr_dir(tb, r, dir, sizeof(dir));
	rmdir_rel(tb, dir);
	snprintf(name, sizeof(name), "dax_region%d", r);
	rm(tb, "sys/bus/cxl/devices", name);
	g->bound = g->daxr_bound = false;
	g->seed[0] = '\0';
	render_region(tb, r);
}

static int new_region(struct tb *tb, int r, int root)
{
	char dir[256], name[32];

	if (r < 0 || r >= MAX_REG)
		return -EINVAL;
	if (!tb->reg[r])
		tb->reg[r] = calloc(1, sizeof(*tb->reg[r]));
	if (!tb->reg[r])
		return -ENOMEM;
	memset(tb->reg[r], 0, sizeof(*tb->reg[r]));
	tb->reg[r]->used = true;
	tb->reg[r]->root = root;
	tb->reg[r]->mem = -1;
	for (int e = 0; e < MAX_EXT; e++)
		tb->reg[r]->ext[e].dax = -1;
	render_region(tb, r);
	region_dir(tb, r, dir, sizeof(dir));
	snprintf(name, sizeof(name), "region%d", r);
	bus_link(tb, "cxl", name, dir);
	render_root_decoders(tb);
	return 0;
}

static int free_decoder(const struct tb_mem *m)
{
	for (int n = 0; n < 2; n++)
		if (!m->dec[n].dpa_size && m->dec[n].region < 0)
			return n;
	return -1;
}

int tb_add_dc_region(struct tb *tb, int region, int mem, uint64_t size)
{
	struct tb_mem *m;
	struct tb_region *g;
	int n, rc;

	if (mem < 0 || mem >= MAX_MEM || !tb->mem[mem].present)
		return -EINVAL;
	pthread_mutex_lock(&tb->lock);
	m = &tb->mem[mem];
	n = free_decoder(m);
	rc = n < 0 ? -EBUSY : new_region(tb, region, 1 + m->hb);
	if (rc == 0) {
		snprintf(m->dec[n].mode, sizeof(m->dec[n].mode), "%s", gen_mode[tb->gen]);
		m->dec[n].dpa_size = size;
		m->dec[n].region = region;
		render_ep_decoder(tb, mem, n);
		g = tb->reg[region];
		g->gran = 256;
		g->ways = 1;
		g->size = size;
		g->mem = mem;
		g->dec = n;
		g->committed = true;
		probe_region(tb, region, false);
	}
	pthread_mutex_unlock(&tb->lock);
	return rc;
}

int tb_add_extent(struct tb *tb, int region, int id, uint64_t offset,
		  uint64_t length, const char *tag)
{
	struct tb_ext *x;

	if (region < 0 || region >= MAX_REG || !tb->reg[region] || id < 0 || id >= MAX_EXT)
		return -EINVAL;
	pthread_mutex_lock(&tb->lock);
	x = &tb->reg[region]->ext[id];
	*x = (struct tb_ext){ .used = true, .offset = offset, .length = length, .dax = -1 };
	snprintf(x->tag, sizeof(x->tag), "%s", tag ? tag : "");
	render_ext(tb, region, id);
	render_daxr(tb, region);
	pthread_mutex_unlock(&tb->lock);
	return 0;
}

int tb_add_dax_dev(struct tb *tb, int region, int id, uint64_t size,
		   const char *uuid, const char *driver)
{
	struct tb_region *g;
	struct tb_dax *x;

	if (region < 0 || region >= MAX_REG || !tb->reg[region] || id < 0 || id >= MAX_DAX)
		return -EINVAL;
	pthread_mutex_lock(&tb->lock);
	g = tb->reg[region];
	add_dax(tb, region, id, false);
	x = &g->dax[id];
	x->size = size;
	snprintf(x->uuid, sizeof(x->uuid), "%s", uuid ? uuid : "");
	snprintf(x->driver, sizeof(x->driver), "%s", driver ? driver : "");
	for (int e = 0; uuid && e < MAX_EXT; e++)
		if (g->ext[e].used && g->ext[e].dax < 0 && !strcmp(g->ext[e].tag, uuid))
			g->ext[e].dax = id;
	render_dax(tb, region, id);
	render_daxr(tb, region);
	pthread_mutex_unlock(&tb->lock);
	return 0;
}

void tb_unbind_dax_region(struct tb *tb, int region)
{
	pthread_mutex_lock(&tb->lock);
	if (region >= 0 && region < MAX_REG && tb->reg[region]) {
		tb->reg[region]->daxr_bound = false;
		render_daxr(tb, region);
	}
	pthread_mutex_unlock(&tb->lock);
}

void tb_fail_next(struct tb *tb, const char *suffix, int err)
{
	pthread_mutex_lock(&tb->lock);
	if (tb->nfaults < (int)(sizeof(tb->faults) / sizeof(tb->faults[0]))) {
		snprintf(tb->faults[tb->nfaults].suffix, sizeof(tb->faults[0].suffix), "%s", suffix);
		tb->faults[tb->nfaults++].err = err;
	}
	pthread_mutex_unlock(&tb->lock);
}

unsigned int tb_uevents(struct tb *tb)
{
	return tb->uevents;
}

/* ---- the kernel's store functions ----------------------------------------- */

static int parse_u64(const char *val, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(val, &end, 0);
	return errno || end == val || *end ? -EINVAL : 0;
}

static bool valid_uuid(const char *s)
{
	static const char pat[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++)
		if (pat[i] == '-' ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	return true;
}

static int region_of_name(struct tb *tb, const char *name)
{
	int r;

	if (sscanf(name, "region%d", &r) != 1 || r < 0 || r >= MAX_REG || !tb->reg[r] ||
	    !tb->reg[r]->used)
		return -1;
	return r;
}

/* decoderE.N of a memdev: its index, or -1. */
static int ep_decoder(struct tb *tb, const char *name, int *n)
{
	int ep;

	if (sscanf(name, "decoder%d.%d", &ep, n) != 2 || *n < 0 || *n > 1)
		return -1;
	for (int m = 0; m < MAX_MEM; m++)
		if (tb->mem[m].present && tb->mem[m].ep == ep)
			return m;
	return -1;
}

static int ep_decoder_store(struct tb *tb, int mem, int n, const char *attr, const char *val)
{
	struct tb_mem *m = &tb->mem[mem];
	struct tb_dec *d = &m->dec[n];
	uint64_t size;

	if (!strcmp(attr, "mode")) {
		if (strcmp(val, "ram") && strcmp(val, "pmem") && strcmp(val, gen_mode[tb->gen]))
			return -EINVAL;
		if (d->dpa_size)
			return -EBUSY;
		snprintf(d->mode, sizeof(d->mode), "%s", val);
	} else if (!strcmp(attr, "dpa_size")) {
		if (parse_u64(val, &size) < 0 || size % (256 * MiB))
			return -EINVAL;
		if (d->region >= 0)
			return -EBUSY;
		if (size && n > 0 && !m->dec[n - 1].dpa_size)
			return -EBUSY; /* decoders take DPA in id order */
		if (size && !strcmp(d->mode, gen_mode[tb->gen]) && size > m->dc_size)
			return -ENOSPC;
		if (size && strcmp(d->mode, gen_mode[tb->gen]))
			return -ENOSPC; /* the model has no free ram/pmem DPA */
		d->dpa_size = size;
	} else {
		return -EACCES;
	}
	render_ep_decoder(tb, mem, n);
	return 0;
}

static int root_decoder_store(struct tb *tb, int k, const char *attr, const char *val)
{
	char want[32];
	int next = 0, r;

	if (k >= 1 && !strcmp(attr, gen_create[tb->gen])) {
		while (next < MAX_REG && tb->reg[next] && tb->reg[next]->used)
			next++;
		snprintf(want, sizeof(want), "region%d", next);
		if (strcmp(val, want))
			return -EBUSY;
		return new_region(tb, next, k);
	}
	if (k >= 1 && !strcmp(attr, "delete_region")) {
		r = region_of_name(tb, val);
		if (r < 0 || tb->reg[r]->root != k)
			return -ENODEV;
		if (tb->reg[r]->bound || tb->reg[r]->committed || tb->reg[r]->mem >= 0)
			return -EBUSY;
		{
			char dir[256], name[32];

			region_dir(tb, r, dir, sizeof(dir));
			snprintf(name, sizeof(name), "region%d", r);
			rm(tb, "sys/bus/cxl/devices", name);
			rmdir_rel(tb, dir);
		}
		tb->reg[r]->used = false;
		render_root_decoders(tb);
		return 0;
	}
	return -EACCES;
}

static bool pow2_gran(uint64_t g)
{
	return g >= 256 && g <= 16384 && !(g & (g - 1));
}

static int region_store(struct tb *tb, int r, const char *attr, const char *val)
{
	struct tb_region *g = tb->reg[r];
	uint64_t v;

	if (!strcmp(attr, "interleave_granularity")) {
		if (parse_u64(val, &v) < 0 || !pow2_gran(v))
			return -EINVAL;
		if (g->size)
			return -EBUSY;
		g->gran = (unsigned int)v;
	} else if (!strcmp(attr, "interleave_ways")) {
		if (parse_u64(val, &v) < 0 || v != 1)
			return -EINVAL; /* a DC region is never interleaved */
		if (g->size)
			return -EBUSY;
		g->ways = 1;
	} else if (!strcmp(attr, "size")) {
		if (parse_u64(val, &v) < 0)
			return -EINVAL;
		if (!v) {
			if (g->mem >= 0)
				return -EBUSY;
			g->size = 0;
		} else {
			if (!g->gran || !g->ways)
				return -ENXIO;
			if (v % (256 * MiB * g->ways))
				return -EINVAL;
			if (g->size)
				return -EBUSY;
			if (v > 0x1000000000ULL)
				return -ENOSPC;
			g->size = v;
		}
	} else if (!strcmp(attr, "target0")) {
		int mem, n;

		if (!*val) {
			if (g->committed)
				return -EBUSY;
			if (g->mem >= 0)
				tb->mem[g->mem].dec[g->dec].region = -1, render_ep_decoder(tb, g->mem, g->dec);
			g->mem = -1;
		} else {
			mem = ep_decoder(tb, val, &n);
			if (mem < 0)
				return -ENODEV;
			if (!g->size)
				return -ENXIO;
			if (g->committed || g->mem >= 0 || tb->mem[mem].dec[n].region >= 0)
				return -EBUSY;
			if (!tb->mem[mem].dc_size || strcmp(tb->mem[mem].dec[n].mode, gen_mode[tb->gen]))
				return -EINVAL; /* not a DC-capable memdev's DC decoder */
			if (!tb->mem[mem].dec[n].dpa_size)
				return -ENXIO;
			if (tb->mem[mem].dec[n].dpa_size != g->size)
				return -EINVAL;
			if (g->root != 1 + tb->mem[mem].hb)
				return -ENXIO; /* the window does not route to its bridge */
			g->mem = mem;
			g->dec = n;
			tb->mem[mem].dec[n].region = r;
			render_ep_decoder(tb, mem, n);
		}
	} else if (!strcmp(attr, "commit")) {
		if (parse_u64(val, &v) < 0 || v > 1)
			return -EINVAL;
		if (v && g->mem < 0)
			return -ENXIO;
		if (!v && g->bound)
			return -EBUSY;
		g->committed = v;
	} else {
		return -EACCES;
	}
	render_region(tb, r);
	return 0;
}

static int cxl_region_driver_store(struct tb *tb, const char *attr, const char *val)
{
	int r = region_of_name(tb, val);

	if (r < 0)
		return -ENODEV;
	if (!strcmp(attr, "bind")) {
		if (tb->reg[r]->bound)
			return -EBUSY;
		if (!tb->reg[r]->committed)
			return -ENXIO;
		probe_region(tb, r, true);
		return 0;
	}
	if (!strcmp(attr, "unbind")) {
		if (!tb->reg[r]->bound)
			return -ENODEV;
		unprobe_region(tb, r);
		return 0;
	}
	return -EACCES;
}

static int dax_of_name(struct tb *tb, const char *name, int *id)
{
	int r;

	if (sscanf(name, "dax%d.%d", &r, id) != 2 || r < 0 || r >= MAX_REG || !tb->reg[r] ||
	    !tb->reg[r]->used || !tb->reg[r]->bound || *id < 0 || *id >= MAX_DAX ||
	    !tb->reg[r]->dax[*id].used)
		return -1;
	return r;
}

static int daxr_store(struct tb *tb, int r, const char *attr, const char *val)
{
	struct tb_region *g = tb->reg[r];
	int id;

	if (!strcmp(attr, "create")) {
		if (strcmp(val, "1"))
			return -EINVAL;
		if (!g->daxr_bound)
			return -ENXIO;
		if (!available(g))
			return -ENOSPC;
		for (id = 1; id < MAX_DAX && g->dax[id].used; id++)
			;
		if (id == MAX_DAX)
			return -ENOMEM;
		add_dax(tb, r, id, true);
		if (!g->seed[0])
			snprintf(g->seed, sizeof(g->seed), "dax%d.%d", r, id);
	} else if (!strcmp(attr, "delete")) {
		if (dax_of_name(tb, val, &id) != r)
			return -ENODEV;
		if (id == 0 || g->dax[id].driver[0] || g->dax[id].size)
			return -EBUSY; /* daxR.0 is never deleted */
		remove_dax(tb, r, id);
	} else {
		return -EACCES;
	}
	render_daxr(tb, r);
	return 0;
}

static int dax_store(struct tb *tb, int r, int id, const char *attr, const char *val)
{
	struct tb_region *g = tb->reg[r];
	struct tb_dax *x = &g->dax[id];
	uint64_t v;

	if (!strcmp(attr, "uuid") && tb->gen >= TB_DC_V10) {
		bool untagged = !strcmp(val, "0") || !strcmp(val, ZERO_UUID);
		uint64_t got = 0;

		if (!untagged && !valid_uuid(val))
			return -EINVAL;
		if (!g->daxr_bound)
			return -ENXIO;
		if (x->size)
			return -EBUSY;
		for (int e = 0; e < MAX_EXT; e++) {
			struct tb_ext *t = &g->ext[e];

			if (!t->used || t->dax >= 0 || (untagged ? t->tag[0] != '\0' :
							strcasecmp(t->tag, val)))
				continue;
			t->dax = id;
			got += t->length;
			if (untagged)
				break; /* one untagged resource */
		}
		if (!got)
			return -ENOENT;
		x->size = got;
		snprintf(x->uuid, sizeof(x->uuid), "%s", untagged ? "" : val);
		render_daxr(tb, r);
	} else if (!strcmp(attr, "size")) {
		if (parse_u64(val, &v) < 0)
			return -EINVAL;
		if (v)
			return -EOPNOTSUPP; /* the only size a DC dax device takes */
		if (x->driver[0])
			return -EBUSY;
		for (int e = 0; e < MAX_EXT; e++)
			if (g->ext[e].dax == id)
				g->ext[e].dax = -1;
		x->size = 0;
		x->uuid[0] = '\0';
		render_daxr(tb, r);
	} else {
		return -EACCES;
	}
	render_dax(tb, r, id);
	return 0;
}

static int dax_driver_store(struct tb *tb, const char *drv, const char *attr, const char *val)
{
	char dev[600], name[32];
	struct tb_dax *x;
	int r, id;

	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (!strcmp(drivers[i], drv) && tb->no_driver[i])
			return -ENOENT;
	r = dax_of_name(tb, val, &id);
	if (r < 0)
		return -ENODEV;
	x = &tb->reg[r]->dax[id];
	if (!strcmp(attr, "new_id"))
		return 0;
	dax_dir(tb, r, id, dev, sizeof(dev));
	if (!strcmp(attr, "bind")) {
		if (x->driver[0])
			return -EBUSY;
		if (!x->size)
			return -ENXIO; /* a 0-size device refuses to probe */
		snprintf(x->driver, sizeof(x->driver), "%.15s", drv);
		snprintf(name, sizeof(name), "dax%d.%d", r, id);
		if (!strcmp(tb->reg[r]->seed, name)) {
			tb->reg[r]->seed[0] = '\0';
			render_daxr(tb, r);
		}
		render_dax(tb, r, id);
		uevent(tb, dev, "bind");
		return 0;
	}
	if (!strcmp(attr, "unbind")) {
		if (strcmp(x->driver, drv))
			return -ENODEV;
		uevent(tb, dev, "unbind");
		x->driver[0] = '\0';
		render_dax(tb, r, id);
		return 0;
	}
	return -EACCES;
}

/* An injected fault for `what` (consumed), as -errno, or 0. */
static int take_fault(struct tb *tb, const char *what)
{
	for (int i = 0; i < tb->nfaults; i++) {
		size_t a = strlen(what), b = strlen(tb->faults[i].suffix);

		if (a >= b && !strcmp(what + a - b, tb->faults[i].suffix)) {
			int err = tb->faults[i].err;

			memmove(&tb->faults[i], &tb->faults[i + 1],
				(size_t)(tb->nfaults - i - 1) * sizeof(tb->faults[0]));
			tb->nfaults--;
			return -err;
		}
	}
	return 0;
}

/* The write a program makes to ROOT/rel, already resolved to the device's
 * own directory (no bus links in it). */
static int store(struct tb *tb, const char *rel, const char *val)
{
	char dir[PATH_MAX], *attr, *base, *parent_base;
	const char *p;
	int r, id, n, mem, k, err;

	if ((err = take_fault(tb, rel)))
		return err;
	if (sscanf(rel, "sys/bus/dax/drivers/%31[^/]/", dir) == 1 &&
	    (p = strrchr(rel, '/')))
		return dax_driver_store(tb, dir, p + 1, val);
	if (!strncmp(rel, "sys/bus/cxl/drivers/cxl_region/", 31))
		return cxl_region_driver_store(tb, rel + 31, val);
	snprintf(dir, sizeof(dir), "%s", rel);
	attr = strrchr(dir, '/');
	if (!attr)
		return -EACCES;
	*attr++ = '\0';
	base = strrchr(dir, '/');
	if (!base)
		return -EACCES;
	*base++ = '\0';
	parent_base = strrchr(dir, '/');
	parent_base = parent_base ? parent_base + 1 : dir;
	if (!strcmp(base, "dax_region") && sscanf(parent_base, "dax_region%d", &r) == 1 &&
	    r >= 0 && r < MAX_REG && tb->reg[r] && tb->reg[r]->bound)
		return daxr_store(tb, r, attr, val);
	if ((r = dax_of_name(tb, base, &id)) >= 0)
		return dax_store(tb, r, id, attr, val);
	if ((r = region_of_name(tb, base)) >= 0 && !strncmp(parent_base, "decoder0.", 9))
		return region_store(tb, r, attr, val);
	if (!strcmp(parent_base, "root0") && sscanf(base, "decoder0.%d", &k) == 1 &&
	    k >= 0 && k <= tb->nbridges)
		return root_decoder_store(tb, k, attr, val);
	if (!strncmp(parent_base, "endpoint", 8) && (mem = ep_decoder(tb, base, &n)) >= 0)
		return ep_decoder_store(tb, mem, n, attr, val);
	return -EACCES;
}

int tb_write(struct tb *tb, const char *path, const char *val)
{
	char full[PATH_MAX], real[PATH_MAX], v[256];
	size_t rl = strlen(tb->root), n;
	int rc;

	snprintf(full, sizeof(full), "%s%s", tb->root, path);
	if (!realpath(full, real))
		return -errno;
	if (strncmp(real, tb->root, rl) || real[rl] != '/')
		return -EACCES;
	snprintf(v, sizeof(v), "%s", val);
	n = strlen(v);
	while (n && (v[n - 1] == '\n' || v[n - 1] == ' '))
		v[--n] = '\0';
	pthread_mutex_lock(&tb->lock);
	rc = store(tb, real + rl + 1, v);
	pthread_mutex_unlock(&tb->lock);
	return rc;
}

/* ---- the device side ------------------------------------------------------ */

/* The bound region whose target is memdev `mem`'s DC decoder, or -1. */
static int region_of_mem(struct tb *tb, int mem)
{
	for (int r = 0; r < MAX_REG; r++)
		if (tb->reg[r] && tb->reg[r]->used && tb->reg[r]->mem == mem)
			return r;
	return -1;
}

int tb_device_add(struct tb *tb, int mem, uint64_t offset, uint64_t length, const char *tag)
{
	struct tb_region *g;
	int r, id, rc = 0;

	pthread_mutex_lock(&tb->lock);
	r = mem >= 0 && mem < MAX_MEM ? region_of_mem(tb, mem) : -1;
	if (r < 0 || !tb->reg[r]->bound) {
		rc = -ENXIO; /* no region to take it */
		goto out;
	}
	g = tb->reg[r];
	if (offset % PMD_SIZE || length % PMD_SIZE || !length) {
		rc = -EINVAL;
		goto out;
	}
	if (offset + length > g->size) {
		rc = -ERANGE;
		goto out;
	}
	for (int e = 0; e < MAX_EXT; e++)
		if (g->ext[e].used && offset < g->ext[e].offset + g->ext[e].length &&
		    g->ext[e].offset < offset + length) {
			rc = -EINVAL;
			goto out;
		}
	if (tag && *tag && strcmp(tag, ZERO_UUID)) {
		for (int q = 0; q < MAX_REG; q++)
			for (int e = 0; tb->reg[q] && e < MAX_EXT; e++)
				if (tb->reg[q]->ext[e].used && !strcasecmp(tb->reg[q]->ext[e].tag, tag)) {
					rc = -EEXIST; /* "dropping group, tag already committed" */
					goto out;
				}
	}
	for (id = 1; id < MAX_EXT && g->ext[id].used; id++) /* an ALLOC1 xarray */
		;
	if (id == MAX_EXT) {
		rc = -ENOSPC;
		goto out;
	}
	g->ext[id] = (struct tb_ext){ .used = true, .offset = offset, .length = length, .dax = -1 };
	snprintf(g->ext[id].tag, sizeof(g->ext[id].tag), "%s",
		 tag && strcmp(tag, ZERO_UUID) ? tag : "");
	render_ext(tb, r, id);
	render_daxr(tb, r);
	rc = id;
out:
	pthread_mutex_unlock(&tb->lock);
	return rc;
}

int tb_device_release(struct tb *tb, int mem, const char *tag)
{
	struct tb_region *g;
	int r, found = 0, rc = 0;

	pthread_mutex_lock(&tb->lock);
	r = mem >= 0 && mem < MAX_MEM ? region_of_mem(tb, mem) : -1;
	if (r < 0) {
		rc = -ENOENT;
		goto out;
	}
	g = tb->reg[r];
	if ((rc = take_fault(tb, "device:release")))
		goto out;
	for (int e = 0; e < MAX_EXT; e++)
		if (g->ext[e].used && !strcasecmp(g->ext[e].tag, tag)) {
			found++;
			if (g->ext[e].dax >= 0)
				rc = -EBUSY; /* in use: dropped, no answer, not queued */
		}
	if (!found)
		rc = -ENOENT;
	if (rc)
		goto out;
	for (int e = 0; e < MAX_EXT; e++)
		if (g->ext[e].used && !strcasecmp(g->ext[e].tag, tag)) {
			g->ext[e].used = false;
			if (g->bound)
				render_ext(tb, r, e);
		}
	if (g->bound)
		render_daxr(tb, r);
out:
	pthread_mutex_unlock(&tb->lock);
	return rc;
}

/* ---- serving the model ---------------------------------------------------- */

const char *tb_preload(void)
{
	static char path[PATH_MAX];
	const char *top = getenv("top_builddir");

	/* ahead of umockdev's preload: its write() calls libc's directly */
	snprintf(path, sizeof(path), "%s/tests/testbed/.libs/libtbpreload.so:libumockdev-preload.so.0",
		 top ? top : ".");
	return path;
}

/* One request per connection: "W path\nvalue", "A mem offset length tag",
 * "R mem tag"; the answer is the result as a decimal number. */
static void serve(struct tb *tb, int c)
{
	char buf[4096], reply[32], *nl, tag[64];
	ssize_t n = recv(c, buf, sizeof(buf) - 1, 0);
	unsigned long long off, len;
	int rc = -EINVAL, mem;

	if (n <= 0)
		return;
	buf[n] = '\0';
	if (buf[0] == 'W' && (nl = strchr(buf, '\n'))) {
		*nl = '\0';
		rc = tb_write(tb, buf + 2, nl + 1);
	} else if (sscanf(buf, "A %d %llu %llu %63s", &mem, &off, &len, tag) == 4) {
		rc = tb_device_add(tb, mem, off, len, strcmp(tag, "-") ? tag : NULL);
	} else if (sscanf(buf, "R %d %63s", &mem, tag) == 2) {
		rc = tb_device_release(tb, mem, tag);
	}
	snprintf(reply, sizeof(reply), "%d", rc);
	if (send(c, reply, strlen(reply), MSG_NOSIGNAL) < 0)
		return;
}

static void *server(void *arg)
{
	struct tb *tb = arg;

	for (;;) {
		fd_set fds;
		int c, max = tb->sock > tb->stop[0] ? tb->sock : tb->stop[0];

		FD_ZERO(&fds);
		FD_SET(tb->sock, &fds);
		FD_SET(tb->stop[0], &fds);
		if (select(max + 1, &fds, NULL, NULL, NULL) < 0 && errno != EINTR)
			break;
		if (FD_ISSET(tb->stop[0], &fds))
			break;
		if (!FD_ISSET(tb->sock, &fds))
			continue;
		c = accept(tb->sock, NULL, NULL);
		if (c < 0)
			continue;
		serve(tb, c);
		close(c);
	}
	return NULL;
}

int tb_kernel_start(struct tb *tb)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	snprintf(tb->sock_path, sizeof(tb->sock_path), "%s/tb-kernel.sock", tb->root);
	if (strlen(tb->sock_path) >= sizeof(a.sun_path))
		return -1;
	strcpy(a.sun_path, tb->sock_path);
	tb->sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (tb->sock < 0 || bind(tb->sock, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(tb->sock, 16) < 0 || pipe(tb->stop) < 0)
		return -1;
	setenv("TB_KERNEL", tb->sock_path, 1);
	if (pthread_create(&tb->thread, NULL, server, tb) != 0)
		return -1;
	tb->running = true;
	return 0;
}

void tb_kernel_stop(struct tb *tb)
{
	if (!tb->running)
		return;
	if (write(tb->stop[1], "x", 1) == 1)
		pthread_join(tb->thread, NULL);
	close(tb->sock);
	close(tb->stop[0]);
	close(tb->stop[1]);
	unlink(tb->sock_path);
	unsetenv("TB_KERNEL");
	tb->running = false;
}
