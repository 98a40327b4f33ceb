// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Topology objects: the builders platforms fill them with, their order, and
 * the public accessors and iterators.
 */
#include "util/string.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/private.h"

/* Every topology object starts with its `next` link; lists append at the tail. */
struct link {
	struct link *next;
};

static void *append(void *headp, size_t size)
{
	struct link **pos = headp;
	struct link *obj = calloc(1, size);

	if (!obj)
		return NULL;
	while (*pos)
		pos = &(*pos)->next;
	*pos = obj;
	return obj;
}

static void free_list(void *headp)
{
	struct link **head = headp, *l = *head, *next;

	for (; l; l = next) {
		next = l->next;
		free(l);
	}
	*head = NULL;
}

struct fc_memdev *host_topo_add_memdev(struct host_topology *t, const char *name)
{
	struct fc_memdev *m = append(&t->memdevs, sizeof(*m));

	if (!m)
		return NULL;
	m->ctx = t->ctx;
	m->numa_node = -1;
	m->id = -1;
	util_set(m->name, name);
	return m;
}

struct fc_dax_region *host_topo_add_dax_region(struct host_topology *t, int id)
{
	struct fc_dax_region *r = append(&t->dax_regions, sizeof(*r));

	if (!r)
		return NULL;
	r->ctx = t->ctx;
	r->id = id;
	snprintf(r->name, sizeof(r->name), "region%d", id);
	return r;
}

struct fc_extent *host_topo_add_extent(struct host_topology *t,
				     struct fc_dax_region *region,
				     const char *name)
{
	struct fc_extent *e = append(&t->extents, sizeof(*e));

	if (!e)
		return NULL;
	e->ctx = t->ctx;
	e->region = region;
	util_set(e->name, name);
	return e;
}

struct fc_dax_dev *host_topo_add_dax_dev(struct host_topology *t,
				       struct fc_dax_region *region,
				       const char *name)
{
	struct fc_dax_dev *d = append(&t->dax_devs, sizeof(*d));

	if (!d)
		return NULL;
	d->ctx = t->ctx;
	d->region = region;
	util_set(d->name, name);
	snprintf(d->path, sizeof(d->path), "/dev/%s", name);
	return d;
}

void host_topology_clear(struct host_topology *t)
{
	free_list(&t->extents);
	free_list(&t->dax_devs);
	free_list(&t->dax_regions);
	free_list(&t->memdevs);
}

/* Sort a list by a comparator over its elements (natural name order). */
static void sort_list(void *headp, int (*cmp)(const void *, const void *))
{
	struct link **head = headp, *l, **v;
	size_t n = 0, i;

	for (l = *head; l; l = l->next)
		n++;
	if (n < 2)
		return;
	v = malloc(n * sizeof(*v));
	if (!v)
		return; /* stays in scan order: correct, only less tidy */
	for (i = 0, l = *head; l; l = l->next)
		v[i++] = l;
	qsort(v, n, sizeof(*v), cmp);
	for (i = 0; i + 1 < n; i++)
		v[i]->next = v[i + 1];
	v[n - 1]->next = NULL;
	*head = v[0];
	free(v);
}

#define NAME_CMP(type)                                                     \
	static int cmp_##type(const void *a, const void *b)                \
	{                                                                  \
		const struct type *x = *(struct type *const *)a;           \
		const struct type *y = *(struct type *const *)b;           \
		return strverscmp(x->name, y->name);                       \
	}
NAME_CMP(fc_memdev)
NAME_CMP(fc_dax_dev)

static int cmp_fc_dax_region(const void *a, const void *b)
{
	const struct fc_dax_region *x = *(struct fc_dax_region *const *)a;
	const struct fc_dax_region *y = *(struct fc_dax_region *const *)b;

	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_fc_extent(const void *a, const void *b)
{
	const struct fc_extent *x = *(struct fc_extent *const *)a;
	const struct fc_extent *y = *(struct fc_extent *const *)b;
	int rx = x->region ? x->region->id : -1;
	int ry = y->region ? y->region->id : -1;

	if (rx != ry)
		return (rx > ry) - (rx < ry);
	return strverscmp(x->name, y->name);
}

void host_topology_sort(struct host_topology *t)
{
	sort_list(&t->memdevs, cmp_fc_memdev);
	sort_list(&t->dax_regions, cmp_fc_dax_region);
	sort_list(&t->extents, cmp_fc_extent);
	sort_list(&t->dax_devs, cmp_fc_dax_dev);
}

/* ---- iterators ---- */

#define FIRST(type, list)                                                  \
	FC_EXPORT struct type *type##_get_first(struct fc_ctx *ctx)        \
	{                                                                  \
		if (host_topology_ensure(ctx) < 0)                           \
			return NULL;                                       \
		return ctx->topo.list;                                     \
	}                                                                  \
	FC_EXPORT struct type *type##_get_next(struct type *obj)           \
	{                                                                  \
		return obj ? obj->next : NULL;                             \
	}
FIRST(fc_memdev, memdevs)
FIRST(fc_dax_region, dax_regions)
FIRST(fc_extent, extents)
FIRST(fc_dax_dev, dax_devs)

FC_EXPORT struct fc_memdev *fc_memdev_find(struct fc_ctx *ctx, const char *name)
{
	struct fc_memdev *m;

	fc_memdev_foreach(ctx, m)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

FC_EXPORT struct fc_dax_dev *fc_dax_dev_find(struct fc_ctx *ctx, const char *name)
{
	struct fc_dax_dev *d;

	fc_dax_dev_foreach(ctx, d)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

static const char *or_null(const char *s)
{
	return s[0] ? s : NULL;
}

/* ---- memdev ---- */

FC_EXPORT const char *fc_memdev_get_name(struct fc_memdev *m) { return m->name; }
FC_EXPORT uint64_t fc_memdev_get_serial(struct fc_memdev *m) { return m->serial; }
FC_EXPORT const char *fc_memdev_get_host(struct fc_memdev *m) { return or_null(m->host); }
FC_EXPORT const char *fc_memdev_get_port_path(struct fc_memdev *m) { return or_null(m->port_path); }
FC_EXPORT const char *fc_memdev_get_host_bridge(struct fc_memdev *m) { return or_null(m->host_bridge); }
FC_EXPORT int fc_memdev_get_numa_node(struct fc_memdev *m) { return m->numa_node; }
FC_EXPORT uint64_t fc_memdev_get_ram_size(struct fc_memdev *m) { return m->ram_size; }
FC_EXPORT uint64_t fc_memdev_get_pmem_size(struct fc_memdev *m) { return m->pmem_size; }
FC_EXPORT uint64_t fc_memdev_get_dc_size(struct fc_memdev *m) { return m->dc_size; }
FC_EXPORT const char *fc_memdev_get_dc_partition(struct fc_memdev *m) { return or_null(m->dc_partition); }
FC_EXPORT struct fc_ctx *fc_memdev_get_ctx(struct fc_memdev *m) { return m->ctx; }

/* ---- dax region ---- */

FC_EXPORT int fc_dax_region_get_id(struct fc_dax_region *r) { return r->id; }
FC_EXPORT const char *fc_dax_region_get_name(struct fc_dax_region *r) { return r->name; }
FC_EXPORT uint64_t fc_dax_region_get_size(struct fc_dax_region *r) { return r->size; }
FC_EXPORT uint64_t fc_dax_region_get_available_size(struct fc_dax_region *r) { return r->available_size; }
FC_EXPORT uint64_t fc_dax_region_get_align(struct fc_dax_region *r) { return r->align; }
FC_EXPORT const char *fc_dax_region_get_cxl_region(struct fc_dax_region *r) { return or_null(r->cxl_region); }
FC_EXPORT bool fc_dax_region_is_dc(struct fc_dax_region *r) { return r->dc; }
FC_EXPORT struct fc_memdev *fc_dax_region_get_memdev(struct fc_dax_region *r) { return r->memdev; }

/* ---- extent ---- */

FC_EXPORT const char *fc_extent_get_name(struct fc_extent *e) { return e->name; }
FC_EXPORT uint64_t fc_extent_get_offset(struct fc_extent *e) { return e->offset; }
FC_EXPORT uint64_t fc_extent_get_length(struct fc_extent *e) { return e->length; }
FC_EXPORT struct fc_dax_region *fc_extent_get_dax_region(struct fc_extent *e) { return e->region; }

FC_EXPORT bool fc_extent_get_tag(struct fc_extent *e, uuid_t tag)
{
	if (!e->tagged)
		return false;
	uuid_copy(tag, e->tag);
	return true;
}

/* ---- dax device ---- */

FC_EXPORT const char *fc_dax_mode_name(enum fc_dax_mode mode)
{
	switch (mode) {
	case FC_DAX_MODE_UNBOUND: return "unbound";
	case FC_DAX_MODE_DEVDAX: return "devdax";
	case FC_DAX_MODE_SYSTEM_RAM: return "system-ram";
	case FC_DAX_MODE_FAMFS: return "famfs";
	default: return "unknown";
	}
}

FC_EXPORT const char *fc_dax_dev_get_name(struct fc_dax_dev *d) { return d->name; }
FC_EXPORT const char *fc_dax_dev_get_path(struct fc_dax_dev *d) { return d->path; }
FC_EXPORT uint64_t fc_dax_dev_get_size(struct fc_dax_dev *d) { return d->size; }
FC_EXPORT uint64_t fc_dax_dev_get_align(struct fc_dax_dev *d) { return d->align; }
FC_EXPORT enum fc_dax_mode fc_dax_dev_get_mode(struct fc_dax_dev *d) { return d->mode; }
FC_EXPORT struct fc_dax_region *fc_dax_dev_get_region(struct fc_dax_dev *d) { return d->region; }

FC_EXPORT bool fc_dax_dev_get_uuid(struct fc_dax_dev *d, uuid_t uuid)
{
	if (!d->has_uuid)
		return false;
	uuid_copy(uuid, d->uuid);
	return true;
}

const char *host_dc_gen_name(enum host_dc_gen gen)
{
	static const char *const names[] = { "", "v3", "v4-v8", "v9", "v9 or v10", "v10", "v11" };

	return (unsigned int)gen < ARRAY_SIZE(names) ? names[gen] : "";
}

const char *host_dc_gen_lacks(enum host_dc_gen gen)
{
	switch (gen) {
	case HOST_DC_GEN_V3:
		return "it rejects tagged extents and its dax devices have no uuid attribute to claim a tag with";
	case HOST_DC_GEN_V4_V8:
	case HOST_DC_GEN_V9:
		return "its extents carry no tags and its dax devices have no uuid attribute to claim a tag with";
	default:
		return NULL;
	}
}
