// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The exec protocol's JSON codec; see fm-json.h and famfsctl-exec(7).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto/fm-json.h"

static const char *const policies[FM_ADD_POLICIES] = {
	"free", "contiguous", "prescriptive", "enable-shared-access",
};
static const char *const removals[] = { "tag-based", "prescriptive" };

const char *fmj_policy_name(int policy)
{
	return policy >= 0 && policy < FM_ADD_POLICIES ? policies[policy] : NULL;
}

int fmj_policy_parse(const char *name)
{
	for (int i = 0; i < FM_ADD_POLICIES; i++)
		if (name && !strcmp(name, policies[i]))
			return i;
	return -1;
}

/* ---- writing ---------------------------------------------------------------- */

void fmj_put_u64(json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_int64((int64_t)v));
}

static void put_bool(json_object *o, const char *key, bool v)
{
	json_object_object_add(o, key, json_object_new_boolean(v));
}

static void put_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v));
}

void fmj_put_tag(json_object *o, const char *key, const uuid_t tag)
{
	char buf[37];

	if (uuid_is_null(tag)) {
		json_object_object_add(o, key, NULL);
		return;
	}
	uuid_unparse_lower(tag, buf);
	put_str(o, key, buf);
}

static json_object *host_set_to(uint64_t bits)
{
	json_object *a = json_object_new_array();

	for (int h = 0; h < FM_MAX_HOSTS; h++)
		if (bits & (1ULL << h))
			json_object_array_add(a, json_object_new_int(h));
	return a;
}

json_object *fmj_request_new(const char *op, uint32_t device)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "famfsctl_exec", json_object_new_int(FMJ_VERSION));
	put_str(o, "op", op);
	if (strcmp(op, "fabric"))
		fmj_put_u64(o, "device", device);
	return o;
}

json_object *fmj_extents_to(const struct famfsctl_fm_extent *e, uint32_t n)
{
	json_object *a = json_object_new_array();

	for (uint32_t i = 0; i < n; i++) {
		json_object *x = json_object_new_object();

		fmj_put_u64(x, "dpa", e[i].dpa);
		fmj_put_u64(x, "length", e[i].length);
		fmj_put_tag(x, "tag", e[i].tag);
		fmj_put_u64(x, "shared_seq", e[i].shared_seq);
		json_object_array_add(a, x);
	}
	return a;
}

json_object *fmj_add_to(uint32_t device, const struct famfsctl_fm_add *a)
{
	json_object *o = fmj_request_new("add", device);
	const char *p = fmj_policy_name(a->policy);

	fmj_put_u64(o, "host", a->host);
	if (p)
		put_str(o, "policy", p);
	else
		fmj_put_u64(o, "policy", a->policy); /* let the FM refuse it */
	fmj_put_u64(o, "region", a->region);
	fmj_put_u64(o, "length", a->length);
	fmj_put_tag(o, "tag", a->tag);
	json_object_object_add(o, "extents", fmj_extents_to(a->extents, a->nextents));
	return o;
}

json_object *fmj_release_to(uint32_t device, const struct famfsctl_fm_release *r)
{
	json_object *o = fmj_request_new("release", device);
	unsigned pol = r->flags & FM_RELEASE_POLICY_MASK;

	fmj_put_u64(o, "host", r->host);
	if (pol < 2)
		put_str(o, "policy", removals[pol]);
	else
		fmj_put_u64(o, "policy", pol);
	put_bool(o, "forced", r->flags & FM_RELEASE_FORCED);
	put_bool(o, "sanitize", r->flags & FM_RELEASE_SANITIZE);
	if (r->flags & ~(FM_RELEASE_POLICY_MASK | FM_RELEASE_FORCED | FM_RELEASE_SANITIZE))
		fmj_put_u64(o, "reserved_flags", r->flags & ~0x3f);
	fmj_put_u64(o, "length", r->length);
	fmj_put_tag(o, "tag", r->tag);
	json_object_object_add(o, "extents", fmj_extents_to(r->extents, r->nextents));
	return o;
}

json_object *fmj_fabric_to(const struct famfsctl_fm_fabric *f)
{
	json_object *o = json_object_new_object();

	put_str(o, "name", f->name);
	fmj_put_u64(o, "devices", f->devices);
	return o;
}

json_object *fmj_dcd_info_to(const struct famfsctl_fm_dcd_info *i)
{
	json_object *o = json_object_new_object(), *a;

	put_str(o, "name", i->name);
	fmj_put_u64(o, "serial", i->serial);
	put_str(o, "port", i->port);
	fmj_put_u64(o, "hosts", i->hosts);
	fmj_put_u64(o, "regions", i->regions);
	a = json_object_new_array();
	for (int p = 0; p < FM_ADD_POLICIES; p++)
		if (i->add_policies & (1 << p))
			json_object_array_add(a, json_object_new_string(policies[p]));
	json_object_object_add(o, "add_policies", a);
	a = json_object_new_array();
	for (int p = 0; p < 2; p++)
		if (i->release_policies & (1 << p))
			json_object_array_add(a, json_object_new_string(removals[p]));
	json_object_object_add(o, "release_policies", a);
	put_bool(o, "sanitize_on_release_config", i->sanitize_on_release_config);
	fmj_put_u64(o, "total_capacity", i->total_capacity);
	a = json_object_new_array();
	for (int r = 0; r < i->regions && r < FM_MAX_REGIONS; r++)
		json_object_array_add(a, json_object_new_int64((int64_t)i->block_size_mask[r]));
	json_object_object_add(o, "block_size_masks", a);
	return o;
}

json_object *fmj_regions_to(const struct famfsctl_fm_region *r, uint8_t n)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();

	for (uint8_t i = 0; i < n; i++) {
		json_object *x = json_object_new_object();

		fmj_put_u64(x, "base", r[i].base);
		fmj_put_u64(x, "decode_length", r[i].decode_length);
		fmj_put_u64(x, "length", r[i].length);
		fmj_put_u64(x, "block_size", r[i].block_size);
		put_bool(x, "non_volatile", r[i].flags & FM_REGION_NONVOLATILE);
		put_bool(x, "sharable", r[i].flags & FM_REGION_SHARABLE);
		put_bool(x, "read_only", r[i].flags & FM_REGION_READ_ONLY);
		put_bool(x, "sanitize_on_release", r[i].sanitize_on_release);
		fmj_put_u64(x, "extents_supported", r[i].extents_supported);
		fmj_put_u64(x, "extents_available", r[i].extents_available);
		fmj_put_u64(x, "tags_supported", r[i].tags_supported);
		fmj_put_u64(x, "tags_available", r[i].tags_available);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "regions", a);
	return o;
}

static json_object *page_to(const struct famfsctl_fm_page *p)
{
	json_object *o = json_object_new_object();

	fmj_put_u64(o, "total", p->total);
	fmj_put_u64(o, "generation", p->generation);
	return o;
}

json_object *fmj_extent_page_to(const struct famfsctl_fm_page *p,
				const struct famfsctl_fm_extent *e)
{
	json_object *o = page_to(p);

	json_object_object_add(o, "extents", fmj_extents_to(e, p->returned));
	return o;
}

json_object *fmj_tag_page_to(const struct famfsctl_fm_page *p,
			     const struct famfsctl_fm_tag *t)
{
	json_object *o = page_to(p), *a = json_object_new_array();

	for (uint32_t i = 0; i < p->returned; i++) {
		json_object *x = json_object_new_object();

		fmj_put_tag(x, "tag", t[i].tag);
		put_bool(x, "fm_ref", t[i].fm_ref);
		json_object_object_add(x, "hosts", host_set_to(t[i].hosts));
		json_object_object_add(x, "pending", host_set_to(t[i].pending));
		json_object_object_add(x, "releasing", host_set_to(t[i].releasing));
		fmj_put_u64(x, "length", t[i].length);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "tags", a);
	return o;
}

json_object *fmj_reply_new(int rc, const char *status, const char *message)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "return_code", json_object_new_int(rc));
	put_str(o, "status", status);
	if (message && *message)
		put_str(o, "message", message);
	return o;
}

/* ---- reading ---------------------------------------------------------------- */

struct rd {
	char *why;
	size_t len;
	int bad;
};

static void fail(struct rd *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail(struct rd *r, const char *fmt, ...)
{
	va_list ap;

	if (r->bad++)
		return;
	va_start(ap, fmt);
	vsnprintf(r->why, r->len, fmt, ap);
	va_end(ap);
}

static json_object *get(struct rd *r, json_object *o, const char *key, json_type t,
			bool optional)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v) || !v) {
		if (!optional)
			fail(r, "field '%s' is missing", key);
		return NULL;
	}
	if (!json_object_is_type(v, t)) {
		if (t == json_type_int)
			fail(r, "field '%s': expected an unsigned integer", key);
		else if (t == json_type_boolean)
			fail(r, "field '%s': expected true or false", key);
		else if (t == json_type_string)
			fail(r, "field '%s': expected a string", key);
		else if (t == json_type_array)
			fail(r, "field '%s': expected an array", key);
		else
			fail(r, "field '%s': expected an object", key);
		return NULL;
	}
	return v;
}

static uint64_t u64(struct rd *r, json_object *o, const char *key, uint64_t max,
		    bool optional)
{
	json_object *v = get(r, o, key, json_type_int, optional);
	int64_t x;

	if (!v)
		return 0;
	x = json_object_get_int64(v);
	if (x < 0 || (uint64_t)x > max) {
		fail(r, "field '%s': out of range", key);
		return 0;
	}
	return (uint64_t)x;
}

static bool boolean(struct rd *r, json_object *o, const char *key, bool optional)
{
	json_object *v = get(r, o, key, json_type_boolean, optional);

	return v ? json_object_get_boolean(v) : false;
}

static void string(struct rd *r, json_object *o, const char *key, char *dst,
		   size_t len, bool optional)
{
	json_object *v = get(r, o, key, json_type_string, optional);

	snprintf(dst, len, "%s", v ? json_object_get_string(v) : "");
}

static void tag(struct rd *r, json_object *o, const char *key, uuid_t t)
{
	json_object *v = NULL;

	uuid_clear(t);
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return; /* absent or null: untagged */
	if (!json_object_is_type(v, json_type_string) ||
	    uuid_parse(json_object_get_string(v), t))
		fail(r, "field '%s': expected a UUID string", key);
}

static uint64_t host_set_from(struct rd *r, json_object *o, const char *key)
{
	json_object *a = get(r, o, key, json_type_array, false);
	uint64_t bits = 0;

	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		json_object *h = json_object_array_get_idx(a, i);

		if (!json_object_is_type(h, json_type_int) ||
		    json_object_get_int64(h) < 0 ||
		    json_object_get_int64(h) >= FM_MAX_HOSTS) {
			fail(r, "field '%s': expected host ids 0..63", key);
			break;
		}
		bits |= 1ULL << json_object_get_int64(h);
	}
	return bits;
}

static int done(struct rd *r)
{
	return r->bad ? -EPROTO : 0;
}

/* Decode an extents array into e[] (room for max); returns the count. */
static uint32_t extents_from(struct rd *r, json_object *a, struct famfsctl_fm_extent *e,
			     uint32_t max)
{
	uint32_t n = (uint32_t)json_object_array_length(a);

	if (n > max) {
		fail(r, "field '%s': more entries than asked for", "extents");
		return 0;
	}
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		json_object *x = json_object_array_get_idx(a, i);

		if (!json_object_is_type(x, json_type_object)) {
			fail(r, "field '%s': expected objects", "extents");
			break;
		}
		memset(&e[i], 0, sizeof(e[i]));
		e[i].dpa = u64(r, x, "dpa", UINT64_MAX, false);
		e[i].length = u64(r, x, "length", UINT64_MAX, false);
		tag(r, x, "tag", e[i].tag);
		e[i].shared_seq = (uint16_t)u64(r, x, "shared_seq", UINT16_MAX, true);
	}
	return n;
}

/* A request's "extents" (optional) into a new array owned by req. */
static uint32_t request_extents(struct rd *r, json_object *o, struct fmj_request *req)
{
	json_object *a = get(r, o, "extents", json_type_array, true);
	uint32_t n = a ? (uint32_t)json_object_array_length(a) : 0;

	if (!n)
		return 0;
	req->extents = calloc(n, sizeof(*req->extents));
	if (!req->extents) {
		fail(r, "%s", "out of memory");
		return 0;
	}
	return extents_from(r, a, req->extents, n);
}

int fmj_request_from(json_object *o, struct fmj_request *req, char *why, size_t len)
{
	struct rd r = { why, len, 0 };
	const char *op;

	memset(req, 0, sizeof(*req));
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(why, len, "the request is not a JSON object");
		return -EPROTO;
	}
	if (u64(&r, o, "famfsctl_exec", UINT32_MAX, false) != FMJ_VERSION && !r.bad)
		fail(&r, "%s: this famfsctl speaks protocol version 1", "famfsctl_exec");
	string(&r, o, "op", req->op, sizeof(req->op), false);
	if (r.bad)
		return done(&r);
	op = req->op;
	if (strcmp(op, "fabric"))
		req->device = (uint32_t)u64(&r, o, "device", UINT32_MAX, false);
	if (!strcmp(op, "fabric") || !strcmp(op, "dcd_info")) {
		/* nothing more */
	} else if (!strcmp(op, "region_config")) {
		req->host = (uint16_t)u64(&r, o, "host", UINT16_MAX, false);
	} else if (!strcmp(op, "extents") || !strcmp(op, "tags")) {
		if (!strcmp(op, "extents"))
			req->host = (uint16_t)u64(&r, o, "host", UINT16_MAX, false);
		req->page.start = (uint32_t)u64(&r, o, "start", UINT32_MAX, true);
		req->page.max = (uint32_t)u64(&r, o, "max", 4096, false);
	} else if (!strcmp(op, "set_region_config")) {
		req->set.region = (uint8_t)u64(&r, o, "region", UINT8_MAX, false);
		req->set.block_size = u64(&r, o, "block_size", UINT64_MAX, false);
		req->set.sanitize_on_release = boolean(&r, o, "sanitize_on_release", false);
	} else if (!strcmp(op, "add")) {
		json_object *p = NULL;
		struct famfsctl_fm_add *a = &req->add;

		a->host = (uint16_t)u64(&r, o, "host", UINT16_MAX, false);
		if (json_object_object_get_ex(o, "policy", &p) &&
		    json_object_is_type(p, json_type_int))
			a->policy = (uint8_t)u64(&r, o, "policy", UINT8_MAX, false);
		else {
			char name[32];

			string(&r, o, "policy", name, sizeof(name), false);
			if (!r.bad && fmj_policy_parse(name) < 0)
				fail(&r, "field '%s': expected free, contiguous, prescriptive or enable-shared-access",
				     "policy");
			a->policy = (uint8_t)(r.bad ? 0 : fmj_policy_parse(name));
		}
		a->region = (uint8_t)u64(&r, o, "region", UINT8_MAX, true);
		a->length = u64(&r, o, "length", UINT64_MAX, true);
		tag(&r, o, "tag", a->tag);
		a->nextents = request_extents(&r, o, req);
		a->extents = req->extents;
	} else if (!strcmp(op, "release")) {
		struct famfsctl_fm_release *rl = &req->release;
		json_object *p = NULL;

		rl->host = (uint16_t)u64(&r, o, "host", UINT16_MAX, false);
		if (json_object_object_get_ex(o, "policy", &p) &&
		    json_object_is_type(p, json_type_int)) {
			rl->flags = (uint8_t)u64(&r, o, "policy", FM_RELEASE_POLICY_MASK, false);
		} else {
			char name[32];

			string(&r, o, "policy", name, sizeof(name), false);
			if (!strcmp(name, removals[1]))
				rl->flags = FM_RELEASE_PRESCRIPTIVE;
			else if (strcmp(name, removals[0]) && !r.bad)
				fail(&r, "field '%s': expected tag-based or prescriptive", "policy");
		}
		if (boolean(&r, o, "forced", true))
			rl->flags |= FM_RELEASE_FORCED;
		if (boolean(&r, o, "sanitize", true))
			rl->flags |= FM_RELEASE_SANITIZE;
		rl->flags |= (uint8_t)u64(&r, o, "reserved_flags", 0xc0, true);
		rl->length = u64(&r, o, "length", UINT64_MAX, true);
		tag(&r, o, "tag", rl->tag);
		rl->nextents = request_extents(&r, o, req);
		rl->extents = req->extents;
	} else if (!strcmp(op, "add_ref") || !strcmp(op, "remove_ref")) {
		tag(&r, o, "tag", req->tag);
	} else {
		snprintf(why, len, "op '%s' is not known (fabric, dcd_info, region_config, set_region_config, extents, add, release, add_ref, remove_ref, tags)",
			 op);
		return -EPROTO;
	}
	return done(&r);
}

void fmj_request_free(struct fmj_request *req)
{
	free(req->extents);
	req->extents = NULL;
}

int fmj_fabric_from(json_object *o, struct famfsctl_fm_fabric *f, char *why, size_t len)
{
	struct rd r = { why, len, 0 };

	memset(f, 0, sizeof(*f));
	string(&r, o, "name", f->name, sizeof(f->name), false);
	f->devices = (uint32_t)u64(&r, o, "devices", UINT32_MAX, false);
	return done(&r);
}

int fmj_dcd_info_from(json_object *o, struct famfsctl_fm_dcd_info *i, char *why, size_t len)
{
	struct rd r = { why, len, 0 };
	json_object *a;

	memset(i, 0, sizeof(*i));
	string(&r, o, "name", i->name, sizeof(i->name), false);
	i->serial = u64(&r, o, "serial", UINT64_MAX, false);
	string(&r, o, "port", i->port, sizeof(i->port), true);
	i->hosts = (uint16_t)u64(&r, o, "hosts", UINT16_MAX, false);
	i->regions = (uint8_t)u64(&r, o, "regions", FM_MAX_REGIONS, false);
	a = get(&r, o, "add_policies", json_type_array, false);
	for (size_t k = 0; a && k < json_object_array_length(a); k++) {
		int p = fmj_policy_parse(json_object_get_string(json_object_array_get_idx(a, k)));

		if (p < 0)
			fail(&r, "field '%s': unknown policy", "add_policies");
		else
			i->add_policies |= (uint8_t)(1 << p);
	}
	a = get(&r, o, "release_policies", json_type_array, false);
	for (size_t k = 0; a && k < json_object_array_length(a); k++) {
		const char *s = json_object_get_string(json_object_array_get_idx(a, k));

		if (s && !strcmp(s, removals[0]))
			i->release_policies |= 1;
		else if (s && !strcmp(s, removals[1]))
			i->release_policies |= 2;
		else
			fail(&r, "field '%s': unknown policy", "release_policies");
	}
	i->sanitize_on_release_config = boolean(&r, o, "sanitize_on_release_config", false);
	i->total_capacity = u64(&r, o, "total_capacity", UINT64_MAX, false);
	a = get(&r, o, "block_size_masks", json_type_array, false);
	for (size_t k = 0; a && k < json_object_array_length(a) && k < FM_MAX_REGIONS; k++) {
		json_object *m = json_object_array_get_idx(a, k);

		if (!json_object_is_type(m, json_type_int))
			fail(&r, "field '%s': expected integers", "block_size_masks");
		else
			i->block_size_mask[k] = (uint64_t)json_object_get_int64(m);
	}
	return done(&r);
}

int fmj_regions_from(json_object *o, struct famfsctl_fm_region *reg, uint8_t *n,
		     char *why, size_t len)
{
	struct rd r = { why, len, 0 };
	json_object *a = get(&r, o, "regions", json_type_array, false);
	size_t cnt = a ? json_object_array_length(a) : 0;

	if (cnt > FM_MAX_REGIONS)
		fail(&r, "field '%s': more than 8 regions", "regions");
	for (size_t i = 0; i < cnt && !r.bad; i++) {
		json_object *x = json_object_array_get_idx(a, i);
		struct famfsctl_fm_region *g = &reg[i];

		memset(g, 0, sizeof(*g));
		g->base = u64(&r, x, "base", UINT64_MAX, false);
		g->decode_length = u64(&r, x, "decode_length", UINT64_MAX, false);
		g->length = u64(&r, x, "length", UINT64_MAX, false);
		g->block_size = u64(&r, x, "block_size", UINT64_MAX, false);
		g->flags = (boolean(&r, x, "non_volatile", false) ? FM_REGION_NONVOLATILE : 0) |
			   (boolean(&r, x, "sharable", false) ? FM_REGION_SHARABLE : 0) |
			   (boolean(&r, x, "read_only", false) ? FM_REGION_READ_ONLY : 0);
		g->sanitize_on_release = boolean(&r, x, "sanitize_on_release", false);
		g->extents_supported = (uint32_t)u64(&r, x, "extents_supported", UINT32_MAX, false);
		g->extents_available = (uint32_t)u64(&r, x, "extents_available", UINT32_MAX, false);
		g->tags_supported = (uint32_t)u64(&r, x, "tags_supported", UINT32_MAX, false);
		g->tags_available = (uint32_t)u64(&r, x, "tags_available", UINT32_MAX, false);
	}
	*n = (uint8_t)cnt;
	return done(&r);
}

static void page_from(struct rd *r, json_object *o, struct famfsctl_fm_page *p)
{
	p->total = (uint32_t)u64(r, o, "total", UINT32_MAX, false);
	p->generation = (uint32_t)u64(r, o, "generation", UINT32_MAX, false);
}

int fmj_extent_page_from(json_object *o, struct famfsctl_fm_page *p,
			 struct famfsctl_fm_extent *e, char *why, size_t len)
{
	struct rd r = { why, len, 0 };
	json_object *a;

	page_from(&r, o, p);
	a = get(&r, o, "extents", json_type_array, false);
	p->returned = a ? extents_from(&r, a, e, p->max) : 0;
	return done(&r);
}

int fmj_tag_page_from(json_object *o, struct famfsctl_fm_page *p,
		      struct famfsctl_fm_tag *t, char *why, size_t len)
{
	struct rd r = { why, len, 0 };
	json_object *a;
	uint32_t n;

	page_from(&r, o, p);
	a = get(&r, o, "tags", json_type_array, false);
	n = a ? (uint32_t)json_object_array_length(a) : 0;
	if (n > p->max)
		fail(&r, "field '%s': more entries than asked for", "tags");
	for (uint32_t i = 0; i < n && !r.bad; i++) {
		json_object *x = json_object_array_get_idx(a, i);

		memset(&t[i], 0, sizeof(t[i]));
		tag(&r, x, "tag", t[i].tag);
		t[i].fm_ref = boolean(&r, x, "fm_ref", false);
		t[i].hosts = host_set_from(&r, x, "hosts");
		t[i].pending = host_set_from(&r, x, "pending");
		t[i].releasing = host_set_from(&r, x, "releasing");
		t[i].length = u64(&r, x, "length", UINT64_MAX, false);
	}
	p->returned = r.bad ? 0 : n;
	return done(&r);
}

int fmj_reply_check(json_object *o, int *rc, const char **message, char *why,
		    size_t len)
{
	struct rd r = { why, len, 0 };
	json_object *m = NULL;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(why, len, "the reply is not a JSON object");
		return -EPROTO;
	}
	*rc = (int)u64(&r, o, "return_code", 0xffff, false);
	*message = NULL;
	if (json_object_object_get_ex(o, "message", &m) &&
	    json_object_is_type(m, json_type_string))
		*message = json_object_get_string(m);
	return done(&r);
}
