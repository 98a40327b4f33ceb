// SPDX-License-Identifier: LGPL-2.1-only
/*
 * JSON rendering of topology objects, in the style of `cxl list` and
 * `daxctl list`: absent facts are omitted rather than printed as null, sizes
 * are numbers unless human units were asked for.
 */
#include <json-c/json.h>
#include "lib/private.h"

FC_EXPORT struct json_object *fc_json_size(uint64_t size, unsigned long flags)
{
	char buf[FC_SIZE_STR_MAX];

	if (flags & FC_JSON_HUMAN)
		return json_object_new_string(fc_format_size(size, buf, sizeof(buf)));
	return json_object_new_uint64(size);
}

static void add_str(struct json_object *o, const char *key, const char *val)
{
	if (val && *val)
		json_object_object_add(o, key, json_object_new_string(val));
}

static void add_size(struct json_object *o, const char *key, uint64_t v,
		     unsigned long flags)
{
	json_object_object_add(o, key, fc_json_size(v, flags));
}

static void add_uuid(struct json_object *o, const char *key, const uuid_t u)
{
	char s[37];

	uuid_unparse_lower(u, s);
	json_object_object_add(o, key, json_object_new_string(s));
}

FC_EXPORT struct json_object *fc_memdev_to_json(struct fc_memdev *m,
						unsigned long flags)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	add_str(o, "memdev", m->name);
	json_object_object_add(o, "serial", json_object_new_uint64(m->serial));
	add_str(o, "host", m->host);
	add_str(o, "host_bridge", m->host_bridge);
	add_str(o, "port_path", m->port_path);
	if (m->numa_node >= 0)
		json_object_object_add(o, "numa_node",
				       json_object_new_int(m->numa_node));
	if (m->ram_size)
		add_size(o, "ram_size", m->ram_size, flags);
	if (m->pmem_size)
		add_size(o, "pmem_size", m->pmem_size, flags);
	if (m->dc_partition[0]) {
		add_str(o, "dc_partition", m->dc_partition);
		add_size(o, "dc_size", m->dc_size, flags);
	}
	return o;
}

FC_EXPORT struct json_object *fc_dax_region_to_json(struct fc_dax_region *r,
						    unsigned long flags)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "id", json_object_new_int(r->id));
	add_size(o, "size", r->size, flags);
	add_size(o, "available_size", r->available_size, flags);
	add_size(o, "align", r->align, flags);
	json_object_object_add(o, "dynamic_capacity", json_object_new_boolean(r->dc));
	add_str(o, "cxl_region", r->cxl_region);
	if (r->memdev)
		add_str(o, "memdev", r->memdev->name);
	return o;
}

FC_EXPORT struct json_object *fc_extent_to_json(struct fc_extent *e,
						unsigned long flags)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	add_str(o, "extent", e->name);
	if (e->region) {
		add_str(o, "dax_region", e->region->name);
		if (e->region->memdev)
			add_str(o, "memdev", e->region->memdev->name);
	}
	add_size(o, "offset", e->offset, flags);
	add_size(o, "length", e->length, flags);
	if (e->tagged)
		add_uuid(o, "uuid", e->tag);
	return o;
}

FC_EXPORT struct json_object *fc_dax_dev_to_json(struct fc_dax_dev *d,
						 unsigned long flags)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	add_str(o, "chardev", d->name);
	add_size(o, "size", d->size, flags);
	if (d->align)
		add_size(o, "align", d->align, flags);
	add_str(o, "mode", fc_dax_mode_name(d->mode));
	if (d->has_uuid)
		add_uuid(o, "uuid", d->uuid);
	if (d->region) {
		add_str(o, "dax_region", d->region->name);
		if (d->region->memdev)
			add_str(o, "memdev", d->region->memdev->name);
	}
	return o;
}
