// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The "sim" host platform: a simulated host's kernel, over the embedded
 * simulator's state (plugins/sim/). It shows what the real kernel would:
 * one memory device with a DC partition per fabric device (memN), one DC
 * dax region per device (regionN), the extents this host accepted, and the
 * dax devices it claimed (daxN.M), whose bytes are the backing file's bytes
 * at the extents' DPAs, in sequence order.
 *
 * Names follow DCD series v11 (dynamic_ram_1). Differences from the kernel:
 * no 0-size seed dax device is shown, and untagged capacity cannot be
 * claimed (famfsctl always tags).
 */
#include "util/string.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "lib/private.h"
#include "lib/host/platform.h"
#include "famfs/media.h"
#include "sim/sim.h"

struct simp {
	struct sim *sim;
	struct famfsctl_plugin_host log;
};

static void simp_log(void *priv, int prio, const char *fmt, ...)
{
	struct fc_ctx *ctx = priv;
	char buf[512];
	va_list ap;

	if (fc_get_log_priority(ctx) < prio)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	util_log(ctx_log(ctx), prio, "sim", 0, "sim", "%s", buf);
}

static int simp_open(struct fc_ctx *ctx, const char *arg, void **data)
{
	struct simp *p = calloc(1, sizeof(*p));
	int rc;

	if (!p)
		return -ENOMEM;
	p->log.version = FAMFSCTL_PLUGIN_VERSION;
	p->log.priv = ctx;
	p->log.log = simp_log;
	rc = sim_open(&p->log, arg, &p->sim);
	if (rc < 0) {
		free(p);
		return rc;
	}
	/* a host the fabric does not have is an error, not a new host DIR/hostN */
	rc = sim_begin(p->sim);
	if (rc == 0) {
		uint16_t hosts = p->sim->st.hosts;

		sim_abort(p->sim);
		if (ctx->host_id >= hosts) {
			err(ctx, "--host-id %u: the simulated fabric %s has hosts 0 to %u\n",
			    ctx->host_id, arg, (unsigned int)hosts - 1);
			rc = -EINVAL;
		}
	}
	if (rc < 0) {
		sim_close(p->sim);
		free(p);
		return rc;
	}
	*data = p;
	return 0;
}

static void simp_close(struct fc_ctx *ctx, void *data)
{
	struct simp *p = data;

	sim_close(p->sim);
	free(p);
}

static int simp_scan(struct fc_ctx *ctx, void *data, struct host_topology *topo)
{
	struct simp *p = data;
	struct sim_state *st;
	uint16_t host = (uint16_t)ctx->host_id;
	int rc = sim_begin(p->sim);

	if (rc < 0)
		return rc;
	st = &p->sim->st;
	for (uint32_t i = 0; i < st->ndevs; i++) {
		struct sim_dev *d = &st->devs[i];
		struct fc_memdev *m;
		struct fc_dax_region *r;
		char name[FC_NAME_MAX];
		uint32_t k = 0;

		snprintf(name, sizeof(name), "mem%u", i);
		m = host_topo_add_memdev(topo, name);
		r = m ? host_topo_add_dax_region(topo, (int)i) : NULL;
		if (!r) {
			rc = -ENOMEM;
			break;
		}
		m->id = (int)i;
		m->serial = d->serial;
		m->numa_node = -1;
		m->dc_size = d->capacity;
		util_set(m->host, "sim");
		util_set(m->host_bridge, d->port);
		util_set(m->dc_partition, "dynamic_ram_1");
		snprintf(m->port_path, sizeof(m->port_path), "root0/%s/endpoint%u",
			 d->port, i);
		snprintf(r->name, sizeof(r->name), "region%u", i);
		util_set(r->cxl_region, r->name);
		r->size = d->capacity;
		r->align = SIM_HOST_ALIGN;
		r->dc = true;
		r->memdev = m;
		for (uint32_t a = 0; a < d->nallocs && !rc; a++) {
			struct sim_alloc *al = &d->allocs[a];
			struct sim_hold *ho = sim_hold_find(al, host);

			if (!ho || ho->state == SIM_PENDING)
				continue;
			if (!ho->dax)
				r->available_size += sim_alloc_length(al);
			for (uint32_t e = 0; e < al->next; e++, k++) {
				struct fc_extent *x;

				snprintf(name, sizeof(name), "extent%u.%u", i, k);
				x = host_topo_add_extent(topo, r, name);
				if (!x) {
					rc = -ENOMEM;
					break;
				}
				x->offset = al->ext[e].dpa;
				x->length = al->ext[e].length;
				x->tagged = !sim_tag_is_null(al->tag);
				uuid_copy(x->tag, al->tag);
			}
			if (ho->dax && !rc) {
				struct fc_dax_dev *dd;

				snprintf(name, sizeof(name), "dax%u.%u", i, ho->dax);
				dd = host_topo_add_dax_dev(topo, r, name);
				if (!dd) {
					rc = -ENOMEM;
					break;
				}
				dd->size = sim_alloc_length(al);
				dd->align = SIM_HOST_ALIGN;
				dd->mode = ho->mode == SIM_FAMFS ? FC_DAX_MODE_FAMFS :
								   FC_DAX_MODE_DEVDAX;
				dd->has_uuid = true;
				uuid_copy(dd->uuid, al->tag);
				/* no character device: the simulator maps it */
				snprintf(dd->path, sizeof(dd->path), "sim:%s", name);
			}
		}
		if (rc)
			break;
	}
	if (rc) {
		sim_abort(p->sim);
		return rc;
	}
	return sim_commit(p->sim);
}

static int dax_ids(struct fc_dax_dev *dev, uint32_t *region, uint32_t *id)
{
	return sscanf(dev->name, "dax%u.%u", region, id) == 2 ? 0 : -EINVAL;
}

struct sim_media {
	size_t len;
};

static void release_sim(struct fc_media *m)
{
	struct sim_media *sm = m->priv;

	if (m->base)
		munmap(m->base, sm->len);
	free(sm);
	free(m);
}

static int simp_open_media(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev,
			   bool writable, struct fc_media **out)
{
	struct simp *p = data;
	struct famfsctl_fm_extent *ext = NULL;
	struct fc_media *m = NULL;
	struct sim_media *sm = NULL;
	uint32_t region, id, n = 0;
	bool famfs_mode = false;
	char *img = NULL;
	uint64_t off = 0;
	int rc, fd = -1;

	if (dax_ids(dev, &region, &id) < 0)
		return -EINVAL;
	rc = sim_begin(p->sim);
	if (rc < 0)
		return rc;
	if (region < p->sim->st.ndevs) {
		struct sim_dev *d = &p->sim->st.devs[region];

		for (uint32_t a = 0; a < d->nallocs; a++) {
			struct sim_hold *ho = sim_hold_find(&d->allocs[a], (uint16_t)ctx->host_id);

			if (!ho || ho->dax != id)
				continue;
			n = d->allocs[a].next;
			ext = calloc(n, sizeof(*ext));
			if (ext)
				memcpy(ext, d->allocs[a].ext, n * sizeof(*ext));
			img = sim_backing_path(p->sim, d);
			famfs_mode = ho->mode == SIM_FAMFS;
			break;
		}
	}
	sim_commit(p->sim);
	if (!n) {
		err(ctx, "%s: no such dax device on host %u\n", dev->name, ctx->host_id);
		rc = -ENODEV;
		goto fail;
	}
	m = calloc(1, sizeof(*m));
	sm = calloc(1, sizeof(*sm));
	if (!ext || !img || !m || !sm) {
		rc = -ENOMEM;
		goto fail;
	}
	fd = open(img, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		err(ctx, "%s: %s: cannot open: %s\n", dev->name, img, strerror(errno));
		goto fail;
	}
	for (uint32_t i = 0; i < n; i++)
		sm->len += ext[i].length;
	/* reserve the whole range, then map each extent over its part */
	m->base = mmap(NULL, sm->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	if (m->base == MAP_FAILED) {
		m->base = NULL;
		rc = -errno;
		goto fail;
	}
	for (uint32_t i = 0; i < n; i++) {
		void *at = mmap(m->base + off, ext[i].length,
				PROT_READ | (writable ? PROT_WRITE : 0),
				MAP_SHARED | MAP_FIXED, fd, (off_t)ext[i].dpa);

		if (at == MAP_FAILED) {
			rc = -errno;
			err(ctx, "%s: cannot map DPA %#llx: %s\n", dev->name,
			    (unsigned long long)ext[i].dpa, strerror(errno));
			munmap(m->base, sm->len);
			m->base = NULL;
			goto fail;
		}
		off += ext[i].length;
	}
	close(fd);
	fd = -1;
	/* mapped directly through to the backing file, extent by extent
	 * (famfs/map.c); famfs mode has no mmap, as fsdev_dax has none */
	m->segs = calloc(n, sizeof(*m->segs));
	if (!m->segs) {
		munmap(m->base, sm->len);
		m->base = NULL;
		rc = -ENOMEM;
		goto fail;
	}
	off = 0;
	for (uint32_t i = 0; i < n; off += ext[i].length, i++)
		m->segs[i] = (struct famfs_media_seg){ .off = off, .len = ext[i].length,
						    .file_off = ext[i].dpa };
	m->nsegs = n;
	m->map_path = img;
	m->nomap_mode = famfs_mode ? "famfs" : NULL;
	util_set(m->name, dev->name);
	m->size = sm->len;
	m->writable = writable;
	m->release = release_sim;
	m->priv = sm;
	free(ext);
	*out = m;
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	free(ext);
	free(img);
	free(m);
	free(sm);
	return rc;
}

static int simp_create_dax(struct fc_ctx *ctx, void *data, struct fc_dax_region *region,
			   const uuid_t tag, char *name, size_t len)
{
	struct simp *p = data;
	uint32_t dax;
	int rc = sim_host_claim(p->sim, (uint16_t)ctx->host_id, (uint32_t)region->id, tag, &dax);

	if (rc == 0)
		snprintf(name, len, "dax%d.%u", region->id, dax);
	return rc;
}

static int simp_destroy_dax(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev)
{
	struct simp *p = data;
	uint32_t region, id;

	if (dax_ids(dev, &region, &id) < 0)
		return -EINVAL;
	return sim_host_destroy(p->sim, (uint16_t)ctx->host_id, region, id);
}

static int simp_set_mode(struct fc_ctx *ctx, void *data, struct fc_dax_dev *dev,
			 enum fc_dax_mode mode)
{
	struct simp *p = data;
	uint32_t region, id;

	if (dax_ids(dev, &region, &id) < 0)
		return -EINVAL;
	if (mode != FC_DAX_MODE_DEVDAX && mode != FC_DAX_MODE_FAMFS) {
		err(ctx, "%s: the simulator has devdax and famfs modes only\n", dev->name);
		return -EOPNOTSUPP;
	}
	return sim_host_set_mode(p->sim, (uint16_t)ctx->host_id, region, id,
				 mode == FC_DAX_MODE_FAMFS ? SIM_FAMFS : SIM_DEVDAX);
}

const struct host_platform_ops host_platform_sim = {
	.name = "sim",
	.open = simp_open,
	.close = simp_close,
	.scan = simp_scan,
	.open_media = simp_open_media,
	.create_dax = simp_create_dax,
	.destroy_dax = simp_destroy_dax,
	.set_mode = simp_set_mode,
};
