// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation (lib/alloc.c) on the simulator: a group of equal parts, one tag
 * per member, spread over ports, claimed as famfs-mode dax devices; the
 * group rebuilt from tags alone; joining from a second host; release; and
 * rollback -- whatever fails half way (the fabric refusing the k-th add,
 * granting only part, extents that never arrive, a group the kernel drops),
 * nothing is left: no tag on the fabric, no extent, no dax device.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>
#include "tests/lib/fmtest.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static char uri[300];
static struct fc_ctx *ctx;


/* A fresh fabric: 8 devices of 4 GiB over 2 ports unless p says otherwise. */
static void fabric(struct famfsctl_fm_create p)
{
	static int n;

	if (!p.devices)
		p.devices = 8;
	if (!p.capacity)
		p.capacity = 4 * GiB;
	if (!p.ports)
		p.ports = 2;
	snprintf(uri, sizeof(uri), "sim:%s/f%d", fmt_root, n++);
	assert_int_equal(fc_fabric_create(ctx, uri, &p), 0);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
}

static int setup(void **state)
{
	ctx = fmt_ctx_new();
	return 0;
}

static int teardown(void **state)
{
	fmt_ctx_free(ctx);
	return 0;
}

/* Tags on the whole fabric, dax devices and extents on this host. */
static int fabric_tags(void)
{
	struct famfsctl_fm_fabric f;
	int n = 0;

	assert_int_equal(fc_fabric_info(ctx, &f), 0);
	for (uint32_t d = 0; d < f.devices; d++) {
		struct famfsctl_fm_page pg = { .max = 0 };

		assert_int_equal(fc_fabric_tags(ctx, d, &pg, NULL), 0);
		n += (int)pg.total;
	}
	return n;
}

static void assert_nothing_left(void)
{
	struct fc_dax_dev *d;
	struct fc_extent *e;

	assert_int_equal(fabric_tags(), 0);
	assert_int_equal(fc_refresh(ctx), 0);
	fc_dax_dev_foreach(ctx, d)
		fail_msg("dax device %s left behind", fc_dax_dev_get_name(d));
	fc_extent_foreach(ctx, e)
		fail_msg("extent %s left behind", fc_extent_get_name(e));
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return json_object_get_string(v);
}

static json_object *member(json_object *r, int i)
{
	json_object *m;

	assert_true(json_object_object_get_ex(r, "members", &m));
	return json_object_array_get_idx(m, i);
}

static int members(json_object *r)
{
	json_object *m;

	assert_true(json_object_object_get_ex(r, "members", &m));
	return (int)json_object_array_length(m);
}

/* ---- a group ------------------------------------------------------------- */

static void test_alloc_four_ways(void **state)
{
	struct fc_alloc_opts o = { .size = 5 * GiB, .ways = 4 };
	json_object *r;
	uuid_t group, tag, g;
	unsigned int idx;

	fabric((struct famfsctl_fm_create){ 0 });
	assert_int_equal(fc_alloc(ctx, &o, &r), 0);
	assert_int_equal(members(r), 4);
	assert_int_equal(uuid_parse(str(r, "group"), group), 0);
	assert_int_equal(group[14], 0);
	assert_int_equal(group[15], 0);
	for (int i = 0; i < 4; i++) {
		json_object *m = member(r, i), *v;
		struct fc_dax_dev *d;

		/* 5 GiB / 4 = 1280 MiB each, a whole number of 2 MiB blocks */
		assert_true(json_object_object_get_ex(m, "size", &v));
		assert_int_equal(json_object_get_int64(v), 1280 * MiB);
		/* member i's tag: the group id with i + 1 in its last 16 bits */
		fc_group_member_tag(group, (unsigned int)i, tag);
		assert_int_equal(uuid_parse(str(m, "tag"), g), 0);
		assert_memory_equal(g, tag, 16);
		assert_true(fc_group_of_tag(tag, g, &idx));
		assert_memory_equal(g, group, 16);
		assert_int_equal(idx, i);
		/* claimed as a famfs-mode dax device carrying that tag */
		d = fc_dax_dev_find(ctx, str(m, "daxdev"));
		assert_non_null(d);
		assert_int_equal(fc_dax_dev_get_mode(d), FC_DAX_MODE_FAMFS);
		assert_int_equal(fc_dax_dev_get_size(d), 1280 * MiB);
		assert_true(fc_dax_dev_get_uuid(d, g));
		assert_memory_equal(g, tag, 16);
	}
	/* spread over the two ports: members alternate */
	for (int i = 0; i < 4; i++) {
		struct fc_memdev *m = fc_memdev_find(ctx, str(member(r, i), "memdev"));

		assert_string_equal(fc_memdev_get_host_bridge(m), i % 2 ? "port1" : "port0");
	}
	json_object_put(r);
}

/* 8 x 1 GiB across 8 devices, listed, released: the fabric as it was. */
static void test_eight_by_one_gib(void **state)
{
	json_object *r, *l, *g;
	uuid_t group;
	char seen[8] = { 0 };

	fabric((struct famfsctl_fm_create){ .ports = 4 });
	assert_int_equal(fc_alloc(ctx, &(struct fc_alloc_opts){ .size = 8 * GiB, .ways = 8 },
				  &r), 0);
	assert_int_equal(members(r), 8);
	for (int i = 0; i < 8; i++) {
		const char *m = str(member(r, i), "memdev");

		seen[m[3] - '0']++; /* every device once */
	}
	assert_memory_equal(seen, "\1\1\1\1\1\1\1\1", 8);
	l = fc_allocations_to_json(ctx, 0);
	assert_true(json_object_object_get_ex(l, "groups", &g));
	assert_int_equal(json_object_array_length(g), 1);
	json_object_put(l);
	uuid_parse(str(r, "group"), group);
	assert_int_equal(fc_release(ctx, group, NULL), 0);
	assert_nothing_left();
	json_object_put(r);
}

static void test_alloc_named_memdevs(void **state)
{
	const char *names[] = { "mem5", "mem2", "mem7" };
	struct fc_alloc_opts o = { .size = 3 * GiB, .memdevs = names, .nmemdevs = 3 };
	json_object *r;

	fabric((struct famfsctl_fm_create){ 0 });
	uuid_parse("12345678-9abc-4def-8123-456789ab0000", o.group);
	o.has_group = true;
	assert_int_equal(fc_alloc(ctx, &o, &r), 0);
	for (int i = 0; i < 3; i++)
		assert_string_equal(str(member(r, i), "memdev"), names[i]);
	assert_string_equal(str(r, "group"), "12345678-9abc-4def-8123-456789ab0000");
	assert_string_equal(str(member(r, 2), "tag"), "12345678-9abc-4def-8123-456789ab0003");
	json_object_put(r);
	/* the same group id again: its tags are on this host already */
	names[0] = "mem0";
	assert_int_equal(fc_alloc(ctx, &o, NULL), -EEXIST);
	assert_non_null(strstr(fmt_log, "is already present on this host"));
}

static void test_alloc_refusals_change_nothing(void **state)
{
	const char *unknown[] = { "mem0", "mem42" }, *twice[] = { "mem1", "mem1" };
	struct fc_alloc_opts o = { .size = 2 * GiB, .memdevs = unknown, .nmemdevs = 2 };

	fabric((struct famfsctl_fm_create){ 0 });
	assert_int_equal(fc_alloc(ctx, &o, NULL), -ENODEV);
	assert_non_null(strstr(fmt_log, "mem42: no such memory device"));
	o.memdevs = twice;
	assert_int_equal(fc_alloc(ctx, &o, NULL), -EINVAL);
	assert_non_null(strstr(fmt_log, "mem1 named twice"));
	/* more than the fabric has */
	assert_int_equal(fc_alloc(ctx, &(struct fc_alloc_opts){ .size = 40 * GiB, .ways = 8 },
				  NULL), -ENOSPC);
	assert_non_null(strstr(fmt_log, "only 0 of 8 memory devices can take 5 GiB each"));
	assert_int_equal(fc_alloc(ctx, &(struct fc_alloc_opts){ .size = GiB, .ways = 9 }, NULL),
			 -ENOSPC);
	/* a group id must leave the member bits free */
	o = (struct fc_alloc_opts){ .size = GiB, .has_group = true };
	uuid_parse("12345678-9abc-4def-8123-456789ab0001", o.group);
	assert_int_equal(fc_alloc(ctx, &o, NULL), -EINVAL);
	assert_non_null(strstr(fmt_log, "a group id ends in 0000"));
	/* shared needs sharable regions */
	assert_int_equal(fc_alloc(ctx, &(struct fc_alloc_opts){ .size = GiB, .shared = true },
				  NULL), -ENOSPC);
	assert_non_null(strstr(fmt_log, "a sharable region"));
	assert_nothing_left();
}

/* ---- rollback ------------------------------------------------------------ */

static void test_rollback_when_the_kth_add_fails(void **state)
{
	fabric((struct famfsctl_fm_create){ 0 });
	for (int k = 1; k <= 4; k++) {
		char spec[32];

		snprintf(spec, sizeof(spec), "fail=%d", k);
		setenv("FAMFSCTL_SIM_FAULTS", spec, 1);
		assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
		fmt_log_clear();
		assert_int_equal(fc_alloc(ctx, &(struct fc_alloc_opts){ .size = 4 * GiB, .ways = 4 },
					  NULL), -EIO);
		assert_non_null(strstr(fmt_log, "the fabric refused member"));
		if (k > 1)
			assert_non_null(strstr(fmt_log, "nothing is left allocated"));
		assert_nothing_left();
	}
}

static void test_rollback_when_granted_in_part(void **state)
{
	fabric((struct famfsctl_fm_create){ 0 });
	setenv("FAMFSCTL_SIM_FAULTS", "partial=3", 1);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
	assert_int_equal(fc_alloc(ctx, &(struct fc_alloc_opts){ .size = 4 * GiB, .ways = 4 },
				  NULL), -ENOSPC);
	assert_non_null(strstr(fmt_log, "the capacity of 3 members released"));
	assert_nothing_left();
}

static void test_waits_for_late_extents_and_times_out(void **state)
{
	json_object *r;

	fabric((struct famfsctl_fm_create){ 0 });
	setenv("FAMFSCTL_SIM_FAULTS", "delay=200", 1);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
	/* late but within the timeout: alloc waits */
	assert_int_equal(fc_alloc(ctx, &(struct fc_alloc_opts){ .size = 2 * GiB, .ways = 2,
								 .timeout_ms = 5000 }, &r), 0);
	assert_int_equal(members(r), 2);
	json_object_put(r);
	/* later than the timeout: everything undone */
	setenv("FAMFSCTL_SIM_FAULTS", "delay=3000", 1);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
	assert_int_equal(fc_alloc(ctx, &(struct fc_alloc_opts){ .size = 2 * GiB, .ways = 2,
								 .timeout_ms = 300 }, NULL),
			 -ETIMEDOUT);
	assert_non_null(strstr(fmt_log, "did not arrive within 300 ms"));
	assert_int_equal(fabric_tags(), 2); /* only the first group's */
}

static void test_rollback_when_the_kernel_drops_a_member(void **state)
{
	struct famfsctl_fm_add other = { .host = 1, .policy = FM_ADD_FREE, .length = 1 * MiB };
	uint64_t t0;

	/* 1 MiB blocks: an offer to host 1 of mem1's first MiB (pending for a
	 * minute) makes our part there start at 1 MiB -- fine for the FM, not
	 * 2 MiB aligned for the kernel */
	fabric((struct famfsctl_fm_create){ .block_size = 1 * MiB, .devices = 2, .ports = 1 });
	setenv("FAMFSCTL_SIM_FAULTS", "delay=60000", 1);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
	uuid_generate(other.tag);
	assert_int_equal(fc_fabric_add(ctx, 1, &other), 0);
	unsetenv("FAMFSCTL_SIM_FAULTS");
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
	t0 = (uint64_t)time(NULL);
	assert_int_equal(fc_alloc(ctx, &(struct fc_alloc_opts){ .size = 4 * MiB, .ways = 2,
								 .timeout_ms = 20000 }, NULL),
			 -EIO);
	/* found out by asking the fabric, not by waiting out the timeout */
	assert_true((uint64_t)time(NULL) - t0 < 5);
	assert_non_null(strstr(fmt_log, "mem1: this host dropped member"));
	assert_int_equal(fabric_tags(), 1); /* host 1's, nothing of ours */
}

/* ---- a second host, release, listing ------------------------------------------ */

static void test_join_from_a_second_host(void **state)
{
	struct fc_ctx *c1;
	json_object *r, *r1;
	uuid_t group, none;

	fabric((struct famfsctl_fm_create){ .sharable = true });
	assert_int_equal(fc_alloc(ctx, &(struct fc_alloc_opts){ .size = 3 * GiB, .ways = 3,
								 .shared = true }, &r), 0);
	uuid_parse(str(r, "group"), group);
	assert_int_equal(fc_new(&c1), 0);
	fc_set_log_fn(c1, fmt_capture);
	assert_int_equal(fc_set_fabric(c1, uri, 1), 0);
	assert_int_equal(fc_alloc_join(c1, group, 0, 0, &r1), 0);
	assert_int_equal(members(r1), 3);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(str(member(r1, i), "tag"), str(member(r, i), "tag"));
		assert_string_equal(str(member(r1, i), "memdev"), str(member(r, i), "memdev"));
	}
	/* the master lets go; the client keeps the capacity */
	assert_int_equal(fc_release(ctx, group, NULL), 0);
	assert_int_equal(fabric_tags(), 3);
	assert_int_equal(fc_release(c1, group, NULL), 0);
	assert_int_equal(fabric_tags(), 0);
	/* nothing to join */
	uuid_generate(none);
	none[14] = none[15] = 0;
	assert_int_equal(fc_alloc_join(c1, none, 0, 0, NULL), -ENOENT);
	json_object_put(r);
	json_object_put(r1);
	fc_unref(c1);
}

static void test_release_a_member_then_the_group(void **state)
{
	json_object *r, *l, *g, *a;
	uuid_t group, tag;

	fabric((struct famfsctl_fm_create){ 0 });
	assert_int_equal(fc_alloc(ctx, &(struct fc_alloc_opts){ .size = 2 * GiB, .ways = 2 },
				  &r), 0);
	uuid_parse(str(r, "group"), group);
	/* the group, as rebuilt from tags alone */
	l = fc_allocations_to_json(ctx, 0);
	assert_true(json_object_object_get_ex(l, "groups", &g));
	assert_int_equal(json_object_array_length(g), 1);
	assert_string_equal(str(json_object_array_get_idx(g, 0), "group"), str(r, "group"));
	assert_true(json_object_object_get_ex(l, "allocations", &a));
	assert_int_equal(json_object_array_length(a), 2);
	assert_string_equal(str(json_object_array_get_idx(a, 1), "mode"), "famfs");
	json_object_put(l);

	fc_group_member_tag(group, 1, tag);
	assert_int_equal(fc_release(ctx, tag, NULL), 0);
	assert_int_equal(fabric_tags(), 1);
	assert_null(fc_dax_dev_find(ctx, str(member(r, 1), "daxdev")));
	assert_non_null(fc_dax_dev_find(ctx, str(member(r, 0), "daxdev")));
	assert_int_equal(fc_release(ctx, tag, NULL), -ENOENT);
	assert_non_null(strstr(fmt_log, "this host has no capacity tagged"));
	assert_int_equal(fc_release(ctx, group, NULL), 0);
	assert_nothing_left();
	json_object_put(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_alloc_four_ways),
		T(test_eight_by_one_gib),
		T(test_alloc_named_memdevs),
		T(test_alloc_refusals_change_nothing),
		T(test_rollback_when_the_kth_add_fails),
		T(test_rollback_when_granted_in_part),
		T(test_waits_for_late_extents_and_times_out),
		T(test_rollback_when_the_kernel_drops_a_member),
		T(test_join_from_a_second_host),
		T(test_release_a_member_then_the_group),
	};
	return fmt_run("alloc", tests, sizeof(tests) / sizeof(tests[0]));
}
