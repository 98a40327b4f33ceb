// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fabric-manager conformance: the same FM-API Dynamic Capacity scenarios
 * run against every plugin that can reach a fabric --
 *   sim   the simulator plugin directly (sim:DIR);
 *   exec  the exec plugin driving tests/sim/fabric-exec-sim.sh, a fabric
 *         script that answers each request with `famfsctl fabric call` on
 *         the same simulated fabric -- so every field and return code must
 *         survive the JSON protocol both ways.
 * Each scenario gets a fresh fabric: 4 devices of 1 GiB, 2 MiB blocks,
 * sharable regions, 4 hosts. This file is the FM rules' manual: what the
 * fabric grants, and what it refuses with which return code.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <famfsctl/libfamfsctl.h>
#include "tests/lib/fmtest.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static char simdir[256];
static char backend[8];
static struct fc_ctx *ctx;


static void mktag(uuid_t t, int n)
{
	memset(t, 0xa0, sizeof(uuid_t));
	t[15] = (uint8_t)n;
}

/* A fabric at root/NAME with `p` (defaults filled in), connected. */
static void connect_fabric(const char *name, struct famfsctl_fm_create p)
{
	char uri[512];

	if (!p.devices)
		p.devices = 4;
	if (!p.capacity)
		p.capacity = GiB;
	if (!p.hosts)
		p.hosts = 4;
	snprintf(simdir, sizeof(simdir), "%s/%s-%s", fmt_root, backend, name);
	snprintf(uri, sizeof(uri), "sim:%s", simdir);
	assert_int_equal(fc_fabric_create(ctx, uri, &p), 0);
	if (!strcmp(backend, "exec")) {
		setenv("FABRIC_SIM_DIR", simdir, 1);
		snprintf(uri, sizeof(uri), "exec:%s/tests/sim/fabric-exec-sim.sh",
			 getenv("top_srcdir"));
	}
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
}

static int setup(void **state)
{
	static int n;
	char name[32];

	ctx = fmt_ctx_new();
	snprintf(name, sizeof(name), "f%d", n++);
	connect_fabric(name, (struct famfsctl_fm_create){ .sharable = true });
	return 0;
}

static int teardown(void **state)
{
	fmt_ctx_free(ctx);
	ctx = NULL;
	return 0;
}

/* ---- helpers: one FM command each, returning the FM status ------------- */

static int add(uint32_t dev, uint16_t host, int policy, uint64_t len, int tag)
{
	struct famfsctl_fm_add a = { .host = host, .policy = (uint8_t)policy, .length = len };

	if (tag >= 0)
		mktag(a.tag, tag);
	if (fc_fabric_add(ctx, dev, &a) < 0)
		return fc_fabric_get_status(ctx) ? fc_fabric_get_status(ctx) : -1;
	return 0;
}

static int add_at(uint32_t dev, uint16_t host, int tag, uint32_t n,
		  const struct famfsctl_fm_extent *ext, uint64_t len)
{
	struct famfsctl_fm_add a = { .host = host, .policy = FM_ADD_PRESCRIPTIVE,
				     .length = len, .nextents = n, .extents = ext };

	mktag(a.tag, tag);
	if (fc_fabric_add(ctx, dev, &a) < 0)
		return fc_fabric_get_status(ctx) ? fc_fabric_get_status(ctx) : -1;
	return 0;
}

static int release(uint32_t dev, uint16_t host, int tag, uint64_t len, uint8_t flags)
{
	struct famfsctl_fm_release r = { .host = host, .flags = flags, .length = len };

	if (tag >= 0)
		mktag(r.tag, tag);
	if (fc_fabric_release(ctx, dev, &r) < 0)
		return fc_fabric_get_status(ctx) ? fc_fabric_get_status(ctx) : -1;
	return 0;
}

static uint32_t extents(uint32_t dev, uint16_t host, struct famfsctl_fm_extent *out,
			uint32_t max)
{
	struct famfsctl_fm_page pg = { .max = max };

	assert_int_equal(fc_fabric_extents(ctx, dev, host, &pg, out), 0);
	assert_int_equal(pg.returned, pg.total < max ? pg.total : max);
	return pg.total;
}

static uint32_t tags(uint32_t dev, struct famfsctl_fm_tag *out, uint32_t max)
{
	struct famfsctl_fm_page pg = { .max = max };

	assert_int_equal(fc_fabric_tags(ctx, dev, &pg, out), 0);
	return pg.total;
}

static struct famfsctl_fm_region region(uint32_t dev, uint16_t host)
{
	struct famfsctl_fm_region r[FM_MAX_REGIONS];
	uint8_t n = 0;

	assert_int_equal(fc_fabric_region_config(ctx, dev, host, r, &n), 0);
	assert_int_equal(n, 1);
	return r[0];
}

/* ---- info ------------------------------------------------------------------ */

static void test_info(void **state)
{
	struct famfsctl_fm_fabric f;
	struct famfsctl_fm_dcd_info i;
	struct famfsctl_fm_region r;

	assert_int_equal(fc_fabric_info(ctx, &f), 0);
	assert_int_equal(f.devices, 4);
	assert_string_equal(f.name, "sim");

	assert_int_equal(fc_fabric_dcd_info(ctx, 3, &i), 0);
	assert_string_equal(i.name, "dcd3");
	assert_int_equal(i.hosts, 4);
	assert_int_equal(i.regions, 1);
	assert_int_equal(i.total_capacity, GiB);
	assert_int_equal(i.add_policies, 0xf); /* all four on a sharable fabric */
	assert_int_equal(i.release_policies, 0x3);
	assert_true(i.block_size_mask[0] & (2 * MiB));
	assert_false(i.block_size_mask[0] & (32 * 1024));

	r = region(0, 2);
	assert_int_equal(r.base, 0);
	assert_int_equal(r.length, GiB);
	assert_int_equal(r.decode_length, GiB);
	assert_int_equal(r.block_size, 2 * MiB);
	assert_true(r.flags & FM_REGION_SHARABLE);
	assert_int_equal(r.extents_supported, 512);
	assert_int_equal(r.extents_available, 512);
	assert_int_equal(r.tags_supported, 256);
	assert_int_equal(r.tags_available, 256);
}

static void test_info_errors(void **state)
{
	struct famfsctl_fm_dcd_info i;
	struct famfsctl_fm_region r[FM_MAX_REGIONS];
	uint8_t n;

	assert_int_equal(fc_fabric_dcd_info(ctx, 4, &i), -EINVAL);
	assert_int_equal(fc_fabric_get_status(ctx), FM_RC_INVALID_HANDLE);
	assert_non_null(strstr(fmt_log, "device 4: the fabric has devices 0..3"));
	assert_int_equal(fc_fabric_region_config(ctx, 0, 4, r, &n), -EINVAL);
	assert_int_equal(fc_fabric_get_status(ctx), FM_RC_INVALID_INPUT);
	assert_non_null(strstr(fmt_log, "host 4: the device supports hosts 0..3"));
	/* a success clears the status */
	assert_int_equal(fc_fabric_dcd_info(ctx, 0, &i), 0);
	assert_int_equal(fc_fabric_get_status(ctx), 0);
}

/* ---- add, each policy ------------------------------------------------------- */

static void test_add_free(void **state)
{
	struct famfsctl_fm_extent e[4];
	struct famfsctl_fm_tag t[4];
	uuid_t want;

	assert_int_equal(add(1, 2, FM_ADD_FREE, 64 * MiB, 1), 0);
	assert_int_equal(extents(1, 2, e, 4), 1);
	assert_int_equal(e[0].dpa, 0);
	assert_int_equal(e[0].length, 64 * MiB);
	mktag(want, 1);
	assert_memory_equal(e[0].tag, want, 16);
	assert_int_equal(e[0].shared_seq, 0);
	/* other hosts and devices see nothing */
	assert_int_equal(extents(1, 0, e, 4), 0);
	assert_int_equal(extents(0, 2, e, 4), 0);

	assert_int_equal(tags(1, t, 4), 1);
	assert_memory_equal(t[0].tag, want, 16);
	assert_int_equal(t[0].length, 64 * MiB);
	assert_int_equal(t[0].hosts, 1ULL << 2);
	assert_int_equal(t[0].pending, 0);
	assert_false(t[0].fm_ref);
	assert_int_equal(region(1, 2).tags_available, 255);
	assert_int_equal(region(1, 2).extents_available, 511);

	/* a second allocation goes after the first */
	assert_int_equal(add(1, 2, FM_ADD_FREE, 2 * MiB, 2), 0);
	assert_int_equal(extents(1, 2, e, 4), 2);
	assert_int_equal(e[1].dpa, 64 * MiB);
}

static void test_add_contiguous_and_fragments(void **state)
{
	/* holes of 4 MiB between 2 MiB allocations: 0-2 used, 2-6 free, ... */
	struct famfsctl_fm_extent x[3] = {
		{ .dpa = 0, .length = 2 * MiB },
		{ .dpa = 6 * MiB, .length = 2 * MiB },
		{ .dpa = 12 * MiB, .length = GiB - 12 * MiB },
	};
	struct famfsctl_fm_extent e[8];

	assert_int_equal(add_at(0, 0, 1, 3, x, 0), 0);
	/* 8 MiB free in total, no 6 MiB in one piece */
	assert_int_equal(add(0, 1, FM_ADD_CONTIGUOUS, 6 * MiB, 2), FM_RC_RESOURCES_EXHAUSTED);
	assert_non_null(strstr(fmt_log, "no 6291456 contiguous free bytes"));
	assert_int_equal(add(0, 1, FM_ADD_CONTIGUOUS, 4 * MiB, 2), 0);
	assert_int_equal(extents(0, 1, e, 8), 1);
	assert_int_equal(e[0].dpa, 2 * MiB);
	/* free policy gathers pieces: 4 MiB left at 8..12 after the 2..6 hole */
	assert_int_equal(add(0, 1, FM_ADD_FREE, 6 * MiB, 3), FM_RC_RESOURCES_EXHAUSTED);
	assert_int_equal(add(0, 1, FM_ADD_FREE, 4 * MiB, 3), 0);
	assert_int_equal(extents(0, 1, e, 8), 2);
	assert_int_equal(e[1].dpa, 8 * MiB);
	assert_int_equal(add(0, 1, FM_ADD_FREE, 2 * MiB, 4), FM_RC_RESOURCES_EXHAUSTED);
}

static void test_add_prescriptive(void **state)
{
	struct famfsctl_fm_extent two[2] = {
		{ .dpa = 100 * MiB, .length = 4 * MiB },
		{ .dpa = 10 * MiB, .length = 2 * MiB },
	};
	struct famfsctl_fm_extent e[4];

	assert_int_equal(add_at(2, 3, 7, 2, two, 6 * MiB), 0);
	assert_int_equal(extents(2, 3, e, 4), 2);
	/* in the order given; sequence numbers on a sharable region 0..n-1 */
	assert_int_equal(e[0].dpa, 100 * MiB);
	assert_int_equal(e[0].shared_seq, 0);
	assert_int_equal(e[1].dpa, 10 * MiB);
	assert_int_equal(e[1].shared_seq, 1);
}

static void test_add_prescriptive_errors(void **state)
{
	struct famfsctl_fm_extent odd = { .dpa = 1 * MiB, .length = 2 * MiB };
	struct famfsctl_fm_extent out = { .dpa = GiB - 2 * MiB, .length = 4 * MiB };
	struct famfsctl_fm_extent a = { .dpa = 0, .length = 4 * MiB };
	struct famfsctl_fm_extent dup[2] = { { .dpa = 8 * MiB, .length = 4 * MiB },
					     { .dpa = 10 * MiB, .length = 2 * MiB } };
	struct famfsctl_fm_extent e[4];

	assert_int_equal(add_at(0, 0, 1, 1, &odd, 0), FM_RC_INVALID_EXTENT_LIST);
	assert_non_null(strstr(fmt_log, "not a whole number of 2097152-byte blocks"));
	assert_int_equal(add_at(0, 0, 1, 1, &out, 0), FM_RC_INVALID_EXTENT_LIST);
	assert_non_null(strstr(fmt_log, "outside the region"));
	assert_int_equal(add_at(0, 0, 1, 2, dup, 0), FM_RC_INVALID_EXTENT_LIST);
	assert_int_equal(add_at(0, 0, 1, 0, NULL, 0), FM_RC_INVALID_EXTENT_LIST);
	assert_int_equal(add_at(0, 0, 1, 1, &a, 2 * MiB), FM_RC_INVALID_INPUT);
	/* none of that changed anything */
	assert_int_equal(extents(0, 0, e, 4), 0);
	assert_int_equal(add_at(0, 0, 1, 1, &a, 4 * MiB), 0);
	/* overlap with allocated capacity */
	assert_int_equal(add_at(0, 1, 2, 1, &a, 0), FM_RC_INVALID_EXTENT_LIST);
	assert_non_null(strstr(fmt_log, "overlaps allocated capacity"));
}

static void test_add_errors(void **state)
{
	struct famfsctl_fm_add bad_region = { .policy = FM_ADD_FREE, .region = 1,
					      .length = 2 * MiB };
	struct famfsctl_fm_extent e[4];

	assert_int_equal(add(0, 0, FM_ADD_FREE, 3 * MiB, 1), FM_RC_INVALID_INPUT);
	assert_non_null(strstr(fmt_log, "not a non-zero multiple of the block size"));
	assert_int_equal(add(0, 0, FM_ADD_FREE, 0, 1), FM_RC_INVALID_INPUT);
	assert_int_equal(add(0, 0, 7, 2 * MiB, 1), FM_RC_INVALID_INPUT);
	assert_int_equal(add(0, 9, FM_ADD_FREE, 2 * MiB, 1), FM_RC_INVALID_INPUT);
	assert_int_equal(add(9, 0, FM_ADD_FREE, 2 * MiB, 1), FM_RC_INVALID_HANDLE);
	mktag(bad_region.tag, 1);
	assert_int_equal(fc_fabric_add(ctx, 0, &bad_region), -EINVAL);
	assert_int_equal(add(0, 0, FM_ADD_FREE, 2 * GiB, 1), FM_RC_RESOURCES_EXHAUSTED);
	assert_int_equal(fc_fabric_get_status(ctx), FM_RC_RESOURCES_EXHAUSTED);
	assert_int_equal(extents(0, 0, e, 4), 0);

	/* a tag names one allocation per device; another host shares it, not adds it */
	assert_int_equal(add(0, 0, FM_ADD_FREE, 2 * MiB, 1), 0);
	assert_int_equal(add(0, 1, FM_ADD_FREE, 2 * MiB, 1), FM_RC_INVALID_INPUT);
	assert_non_null(strstr(fmt_log, "already names an allocation"));
	/* the same tag on another device passes the FM (the host's kernel
	 * is what refuses duplicates host-wide; see test-sim) */
	assert_int_equal(add(1, 0, FM_ADD_FREE, 2 * MiB, 1), 0);
	/* untagged capacity can be added many times */
	assert_int_equal(add(2, 0, FM_ADD_FREE, 2 * MiB, -1), 0);
	assert_int_equal(add(2, 0, FM_ADD_FREE, 2 * MiB, -1), 0);
	assert_int_equal(extents(2, 0, e, 4), 2);
}

static void test_limits(void **state)
{
	struct famfsctl_fm_extent holes[3] = {
		{ .dpa = 2 * MiB, .length = 2 * MiB },
		{ .dpa = 6 * MiB, .length = 2 * MiB },
		{ .dpa = 10 * MiB, .length = 2 * MiB },
	};

	connect_fabric("limits", (struct famfsctl_fm_create){ .max_tags = 2, .max_extents = 3 });
	assert_int_equal(region(0, 0).tags_available, 2);
	assert_int_equal(add(0, 0, FM_ADD_FREE, 2 * MiB, 1), 0);
	assert_int_equal(add(0, 0, FM_ADD_FREE, 2 * MiB, 2), 0);
	assert_int_equal(add(0, 0, FM_ADD_FREE, 2 * MiB, 3), FM_RC_RESOURCES_EXHAUSTED);
	assert_non_null(strstr(fmt_log, "all 2 tags are in use"));
	assert_int_equal(region(0, 0).tags_available, 0);

	/* extents per host: host 1 may hold 3; a free add over 4 holes needs 4 */
	assert_int_equal(add_at(1, 0, 10, 3, holes, 0), 0);
	assert_int_equal(add(1, 1, FM_ADD_FREE, 8 * MiB, -1), FM_RC_RESOURCES_EXHAUSTED);
	assert_non_null(strstr(fmt_log, "host 1 would exceed 3 extents"));
	assert_int_equal(add(1, 1, FM_ADD_FREE, 6 * MiB, -1), 0);
	assert_int_equal(region(1, 1).extents_available, 0);
}

/* ---- release --------------------------------------------------------------- */

static void test_release_tag_based(void **state)
{
	struct famfsctl_fm_extent e[4];
	struct famfsctl_fm_tag t[4];

	assert_int_equal(add(0, 0, FM_ADD_FREE, 8 * MiB, 1), 0);
	assert_int_equal(release(0, 0, 1, 2 * MiB, FM_RELEASE_TAG_BASED), FM_RC_INVALID_INPUT);
	assert_non_null(strstr(fmt_log, "a tag is released whole"));
	assert_int_equal(release(0, 1, 1, 0, FM_RELEASE_TAG_BASED), FM_RC_INVALID_INPUT);
	assert_non_null(strstr(fmt_log, "host 1 holds no capacity tagged"));
	assert_int_equal(release(0, 0, 2, 0, FM_RELEASE_TAG_BASED), FM_RC_INVALID_INPUT);
	assert_int_equal(release(0, 0, -1, 0, FM_RELEASE_TAG_BASED), FM_RC_INVALID_INPUT);
	assert_int_equal(release(0, 0, 1, 0, 0x7), FM_RC_INVALID_INPUT); /* no such policy */
	assert_int_equal(release(0, 0, 1, 0, 0x80), FM_RC_INVALID_INPUT); /* reserved bit */
	assert_int_equal(extents(0, 0, e, 4), 1);

	assert_int_equal(release(0, 0, 1, 8 * MiB, FM_RELEASE_TAG_BASED), 0);
	assert_int_equal(extents(0, 0, e, 4), 0);
	assert_int_equal(tags(0, t, 4), 0);
	/* the capacity is free again: the whole device can be added */
	assert_int_equal(add(0, 0, FM_ADD_CONTIGUOUS, GiB, 1), 0);
}

static void test_release_prescriptive(void **state)
{
	struct famfsctl_fm_extent x[2] = { { .dpa = 0, .length = 2 * MiB },
					   { .dpa = 8 * MiB, .length = 2 * MiB } };
	struct famfsctl_fm_extent e[4];

	assert_int_equal(add_at(0, 0, 1, 2, x, 0), 0);
	/* part of a tag group: the host releases groups whole */
	assert_int_equal(fc_fabric_release(ctx, 0, &(struct famfsctl_fm_release){
		.flags = FM_RELEASE_PRESCRIPTIVE, .nextents = 1, .extents = x }), -EINVAL);
	assert_int_equal(fc_fabric_get_status(ctx), FM_RC_INVALID_INPUT);
	/* not an extent the host holds */
	assert_int_equal(fc_fabric_release(ctx, 0, &(struct famfsctl_fm_release){
		.flags = FM_RELEASE_PRESCRIPTIVE, .nextents = 1,
		.extents = &(struct famfsctl_fm_extent){ .dpa = 4 * MiB, .length = 2 * MiB } }),
		-EINVAL);
	assert_int_equal(fc_fabric_get_status(ctx), FM_RC_INVALID_EXTENT_LIST);
	assert_int_equal(extents(0, 0, e, 4), 2);
	assert_int_equal(fc_fabric_release(ctx, 0, &(struct famfsctl_fm_release){
		.flags = FM_RELEASE_PRESCRIPTIVE, .nextents = 2, .extents = x }), 0);
	assert_int_equal(extents(0, 0, e, 4), 0);
}

/* ---- sharing ----------------------------------------------------------------- */

static void test_sharing(void **state)
{
	struct famfsctl_fm_extent e0[4], e1[4];
	struct famfsctl_fm_tag t[4];

	assert_int_equal(add(3, 0, FM_ADD_FREE, 16 * MiB, 5), 0);
	assert_int_equal(add(3, 1, FM_ADD_SHARED, 0, 5), 0);
	assert_int_equal(add(3, 2, FM_ADD_SHARED, 16 * MiB, 5), 0);
	/* every host sees the same extents and sequence numbers */
	assert_int_equal(extents(3, 0, e0, 4), 1);
	assert_int_equal(extents(3, 2, e1, 4), 1);
	assert_memory_equal(&e0[0], &e1[0], sizeof(e0[0]));
	assert_int_equal(tags(3, t, 4), 1);
	assert_int_equal(t[0].hosts, 0x7);
	assert_int_equal(t[0].length, 16 * MiB);

	/* refusals */
	assert_int_equal(add(3, 1, FM_ADD_SHARED, 0, 5), FM_RC_INVALID_INPUT);
	assert_non_null(strstr(fmt_log, "host 1 already has tag"));
	assert_int_equal(add(3, 3, FM_ADD_SHARED, 0, 6), FM_RC_INVALID_INPUT);
	assert_non_null(strstr(fmt_log, "no capacity is tagged"));
	assert_int_equal(add(3, 3, FM_ADD_SHARED, 4 * MiB, 5), FM_RC_INVALID_INPUT);
	assert_int_equal(release(3, 1, 5, 2 * MiB, FM_RELEASE_TAG_BASED), FM_RC_INVALID_INPUT);

	/* capacity lives until every host has released it */
	assert_int_equal(release(3, 0, 5, 0, FM_RELEASE_TAG_BASED), 0);
	assert_int_equal(release(3, 2, 5, 0, FM_RELEASE_TAG_BASED), 0);
	assert_int_equal(tags(3, t, 4), 1);
	assert_int_equal(t[0].hosts, 1ULL << 1);
	assert_int_equal(add(3, 3, FM_ADD_CONTIGUOUS, GiB, 9), FM_RC_RESOURCES_EXHAUSTED);
	assert_int_equal(release(3, 1, 5, 0, FM_RELEASE_TAG_BASED), 0);
	assert_int_equal(tags(3, t, 4), 0);
	assert_int_equal(add(3, 3, FM_ADD_CONTIGUOUS, GiB, 9), 0);
}

static void test_sharing_needs_sharable(void **state)
{
	struct famfsctl_fm_dcd_info i;

	connect_fabric("private", (struct famfsctl_fm_create){ 0 });
	assert_int_equal(fc_fabric_dcd_info(ctx, 0, &i), 0);
	assert_false(i.add_policies & (1 << FM_ADD_SHARED));
	assert_false(region(0, 0).flags & FM_REGION_SHARABLE);
	assert_int_equal(add(0, 0, FM_ADD_FREE, 4 * MiB, 1), 0);
	assert_int_equal(add(0, 1, FM_ADD_SHARED, 0, 1), FM_RC_INVALID_INPUT);
	assert_non_null(strstr(fmt_log, "the region is not sharable"));
}

/* ---- references -------------------------------------------------------------- */

static void test_references(void **state)
{
	struct famfsctl_fm_tag t[4];
	uuid_t tag, other;

	mktag(tag, 1);
	mktag(other, 2);
	assert_int_equal(add(0, 0, FM_ADD_FREE, 4 * MiB, 1), 0);
	assert_int_equal(fc_fabric_add_ref(ctx, 0, tag), 0);
	assert_int_equal(fc_fabric_add_ref(ctx, 0, tag), -EINVAL);
	assert_int_equal(fc_fabric_add_ref(ctx, 0, other), -EINVAL);
	assert_int_equal(fc_fabric_get_status(ctx), FM_RC_INVALID_INPUT);
	/* the FM's reference keeps the capacity after the host let go */
	assert_int_equal(release(0, 0, 1, 0, FM_RELEASE_TAG_BASED), 0);
	assert_int_equal(tags(0, t, 4), 1);
	assert_true(t[0].fm_ref);
	assert_int_equal(t[0].hosts, 0);
	/* ... and another host can still be given it */
	assert_int_equal(add(0, 2, FM_ADD_SHARED, 0, 1), 0);
	assert_int_equal(release(0, 2, 1, 0, FM_RELEASE_TAG_BASED), 0);
	assert_int_equal(fc_fabric_remove_ref(ctx, 0, tag), 0);
	assert_int_equal(tags(0, t, 4), 0);
	assert_int_equal(fc_fabric_remove_ref(ctx, 0, tag), -EINVAL);
}

/* ---- region config, paging ------------------------------------------------------ */

static void test_set_region_config(void **state)
{
	struct famfsctl_fm_region_set s = { .block_size = 4 * MiB, .sanitize_on_release = true };

	assert_int_equal(fc_fabric_set_region_config(ctx, 0, &s), 0);
	assert_int_equal(region(0, 0).block_size, 4 * MiB);
	assert_true(region(0, 0).sanitize_on_release);
	assert_int_equal(add(0, 0, FM_ADD_FREE, 2 * MiB, 1), FM_RC_INVALID_INPUT);
	assert_int_equal(add(0, 0, FM_ADD_FREE, 4 * MiB, 1), 0);
	s.block_size = 2 * MiB;
	assert_int_equal(fc_fabric_set_region_config(ctx, 0, &s), -EINVAL);
	assert_non_null(strstr(fmt_log, "only while the region is fully released"));
	s.block_size = 3 * MiB;
	assert_int_equal(fc_fabric_set_region_config(ctx, 1, &s), -EINVAL);
	s.block_size = 2 * MiB;
	s.region = 1;
	assert_int_equal(fc_fabric_set_region_config(ctx, 1, &s), -EINVAL);
}

static void test_paging(void **state)
{
	struct famfsctl_fm_tag t[2];
	struct famfsctl_fm_extent e[2];
	struct famfsctl_fm_page pg = { .max = 2 };
	uint32_t seen = 0, gen;

	for (int i = 0; i < 5; i++)
		assert_int_equal(add(0, 0, FM_ADD_FREE, 2 * MiB, i + 1), 0);
	do {
		assert_int_equal(fc_fabric_tags(ctx, 0, &pg, t), 0);
		assert_int_equal(pg.total, 5);
		for (uint32_t i = 0; i < pg.returned; i++)
			assert_int_equal(t[i].tag[15], seen + i + 1);
		seen += pg.returned;
		pg.start += pg.returned;
	} while (pg.returned);
	assert_int_equal(seen, 5);

	pg = (struct famfsctl_fm_page){ .start = 4, .max = 2 };
	assert_int_equal(fc_fabric_extents(ctx, 0, 0, &pg, e), 0);
	assert_int_equal(pg.returned, 1);
	assert_int_equal(e[0].dpa, 8 * MiB);
	/* the generation moves with every change */
	gen = pg.generation;
	assert_int_equal(release(0, 0, 1, 0, FM_RELEASE_TAG_BASED), 0);
	assert_int_equal(fc_fabric_extents(ctx, 0, 0, &pg, e), 0);
	assert_int_not_equal(pg.generation, gen);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
static const struct CMUnitTest scenarios[] = {
	T(test_info),
	T(test_info_errors),
	T(test_add_free),
	T(test_add_contiguous_and_fragments),
	T(test_add_prescriptive),
	T(test_add_prescriptive_errors),
	T(test_add_errors),
	T(test_limits),
	T(test_release_tag_based),
	T(test_release_prescriptive),
	T(test_sharing),
	T(test_sharing_needs_sharable),
	T(test_references),
	T(test_set_region_config),
	T(test_paging),
};

int main(void)
{
	int failed = 0;

	/* the same scenarios against each plugin */
	snprintf(backend, sizeof(backend), "sim");
	failed += fmt_run("conformance-sim", scenarios, sizeof(scenarios) / sizeof(scenarios[0]));
	snprintf(backend, sizeof(backend), "exec");
	failed += fmt_run("conformance-exec", scenarios, sizeof(scenarios) / sizeof(scenarios[0]));
	return failed;
}
