// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl list on the real-kernel (sysfs) platform, against umockdev
 * testbeds of dynamic-capacity topologies (tests/testbed/testbed.h) in each of the
 * five naming generations the kernel's DCD series used. famfsctl reads
 * them through Debian's real libcxl and libdaxctl, under umockdev's preload,
 * exactly as it reads a kernel; the JSON it prints is checked field by field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "tests/testbed/testbed.h"
#include "tests/lib/testutil.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
#define TAG_A "5f3c0e2a-8a7b-4d3c-9e1f-000000000001"
#define TAG_B "9a1e7c44-1b2d-4e5f-8a9b-000000000002"

#define gen_name tb_gen_name
static const char *const gen_partition[TB_NGENS] = { "dc0", "dc0", "dynamic_ram_a",
	"dynamic_ram_a", "dynamic_ram_1" };

/* Run famfsctl under umockdev-wrapper in the testbed; parse its JSON. */
static struct json_object *list(const char *a1, const char *a2)
{
	struct run r;
	struct json_object *j;

	setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 1);
	run_program(&r, getenv("UMOCKDEV_WRAPPER"),
		    (char *[]){ "umockdev-wrapper", getenv("FAMFSCTL"), "list",
				(char *)a1, (char *)a2, NULL });
	if (r.status != 0)
		fail_msg("famfsctl list exited %d: %s", r.status, r.errout);
	j = json_tokener_parse(r.out);
	if (!j)
		fail_msg("not JSON: %s", r.out);
	return j;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static uint64_t num(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no '%s' in %s", key, json_object_to_json_string(o));
	return json_object_get_uint64(v);
}

static bool has(struct json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

/* A memory device without dynamic capacity: listed, no DC partition. */
static void zero_dcd_memdevs(void **state)
{
	for (int g = TB_DC_V3; g <= TB_DC_V11; g++) {
		struct tb *tb = tb_new(g);
		struct json_object *j, *m;

		tb_add_memdev(tb, &(struct tb_memdev){ .id = 0, .serial = 0x4d2,
			      .numa_node = 0, .ram_size = 16 * GiB });
		j = list(NULL, NULL);
		/* one kind of object: an array of memdevs */
		assert_true(json_object_is_type(j, json_type_array));
		assert_int_equal(json_object_array_length(j), 1);
		m = json_object_array_get_idx(j, 0);
		assert_string_equal(str(m, "memdev"), "mem0");
		assert_int_equal(num(m, "serial"), 0x4d2);
		assert_int_equal(num(m, "ram_size"), 16 * GiB);
		assert_false(has(m, "pmem_size"));
		assert_false(has(m, "dc_partition"));
		assert_false(has(m, "dc_size"));
		assert_int_equal(num(m, "numa_node"), 0);
		assert_string_equal(str(m, "host_bridge"), "port1");
		assert_string_equal(str(m, "port_path"), "root0/port1/endpoint2");
		json_object_put(j);
		tb_free(tb);
	}
}

/*
 * One DCD memdev: a 64 GiB DC partition, region0 over it holding a tagged
 * allocation of two extents (claimed as dax0.1 in famfs mode) and one
 * untagged extent; dax0.0 is the kernel's unclaimed seed.
 */
static void one_dcd_memdev(void **state)
{
	for (int g = TB_DC_V3; g <= TB_DC_V11; g++) {
		struct tb *tb = tb_new(g);
		struct json_object *j, *a, *o;

		tb_add_memdev(tb, &(struct tb_memdev){ .id = 0, .serial = 7,
			      .numa_node = 1, .dc_size = 64 * GiB });
		tb_add_dc_region(tb, 0, 0, 64 * GiB);
		tb_add_extent(tb, 0, 0, 0, 1 * GiB, TAG_A);
		tb_add_extent(tb, 0, 1, 4 * GiB, 1 * GiB, TAG_A);
		tb_add_extent(tb, 0, 2, 8 * GiB, 512 * MiB, NULL);
		tb_add_dax_dev(tb, 0, 1, 2 * GiB, TAG_A, "fsdev_dax");

		j = list(NULL, NULL);
		assert_true(json_object_is_type(j, json_type_object));

		a = json_object_object_get(j, "memdevs");
		assert_int_equal(json_object_array_length(a), 1);
		o = json_object_array_get_idx(a, 0);
		if (strcmp(str(o, "dc_partition"), gen_partition[g]))
			fail_msg("%s: partition %s", gen_name[g], str(o, "dc_partition"));
		assert_int_equal(num(o, "dc_size"), 64 * GiB);
		assert_int_equal(num(o, "serial"), 7);
		assert_int_equal(num(o, "numa_node"), 1);

		a = json_object_object_get(j, "extents");
		assert_int_equal(json_object_array_length(a), 3);
		o = json_object_array_get_idx(a, 0);
		assert_string_equal(str(o, "extent"), "extent0.0");
		assert_string_equal(str(o, "dax_region"), "region0");
		assert_string_equal(str(o, "memdev"), "mem0");
		assert_int_equal(num(o, "offset"), 0);
		assert_int_equal(num(o, "length"), 1 * GiB);
		assert_string_equal(str(o, "uuid"), TAG_A);
		o = json_object_array_get_idx(a, 1);
		assert_int_equal(num(o, "offset"), 4 * GiB);
		assert_string_equal(str(o, "uuid"), TAG_A);
		o = json_object_array_get_idx(a, 2);
		assert_string_equal(str(o, "extent"), "extent0.2");
		assert_int_equal(num(o, "length"), 512 * MiB);
		assert_false(has(o, "uuid")); /* untagged */

		a = json_object_object_get(j, "dax_regions");
		assert_int_equal(json_object_array_length(a), 1);
		o = json_object_array_get_idx(a, 0);
		assert_int_equal(num(o, "id"), 0);
		assert_int_equal(num(o, "size"), 64 * GiB);
		assert_true(json_object_get_boolean(json_object_object_get(o, "dynamic_capacity")));
		assert_string_equal(str(o, "cxl_region"), "region0");
		assert_string_equal(str(o, "memdev"), "mem0");

		a = json_object_object_get(j, "daxdevs");
		assert_int_equal(json_object_array_length(a), 2);
		o = json_object_array_get_idx(a, 0);
		assert_string_equal(str(o, "chardev"), "dax0.0");
		assert_int_equal(num(o, "size"), 0);
		assert_string_equal(str(o, "mode"), "unbound");
		assert_false(has(o, "uuid"));
		o = json_object_array_get_idx(a, 1);
		assert_string_equal(str(o, "chardev"), "dax0.1");
		assert_int_equal(num(o, "size"), 2 * GiB);
		assert_string_equal(str(o, "mode"), "famfs");
		if (g >= TB_DC_V10)
			assert_string_equal(str(o, "uuid"), TAG_A);
		else /* the dax uuid attribute came with v10 */
			assert_false(has(o, "uuid"));
		assert_string_equal(str(o, "memdev"), "mem0");
		json_object_put(j);

		/* selectors: just the extents, in human units */
		j = list("-E", "-u");
		assert_true(json_object_is_type(j, json_type_array));
		assert_int_equal(json_object_array_length(j), 3);
		assert_string_equal(str(json_object_array_get_idx(j, 0), "length"), "1 GiB");
		json_object_put(j);
		tb_free(tb);
	}
}

/*
 * Eight DCD memdevs over two host bridges, named so that natural order
 * matters (mem2 before mem10), each with its own DC region, one tagged
 * extent and a devdax device claiming it.
 */
static void eight_dcd_memdevs(void **state)
{
	static const int ids[] = { 10, 0, 1, 2, 3, 4, 5, 6 };
	static const int order[] = { 0, 1, 2, 3, 4, 5, 6, 10 };

	for (int g = TB_DC_V3; g <= TB_DC_V11; g++) {
		struct tb *tb = tb_new(g);
		struct json_object *j;

		for (int i = 0; i < 8; i++) {
			char tag[40];

			snprintf(tag, sizeof(tag), "00000000-0000-4000-8000-0000000000%02d", ids[i]);
			tb_add_memdev(tb, &(struct tb_memdev){ .id = ids[i],
				      .host_bridge = ids[i] % 2, .serial = 1000 + (uint64_t)ids[i],
				      .numa_node = -1, .dc_size = 32 * GiB });
			tb_add_dc_region(tb, ids[i], ids[i], 32 * GiB);
			tb_add_extent(tb, ids[i], 0, 2 * MiB * (uint64_t)ids[i], 1 * GiB, tag);
			tb_add_dax_dev(tb, ids[i], 1, 1 * GiB, tag, "device_dax");
		}

		j = list("-M", NULL);
		assert_int_equal(json_object_array_length(j), 8);
		for (int i = 0; i < 8; i++) {
			struct json_object *m = json_object_array_get_idx(j, i);
			char name[16];

			snprintf(name, sizeof(name), "mem%d", order[i]);
			assert_string_equal(str(m, "memdev"), name);
			assert_int_equal(num(m, "serial"), 1000 + (uint64_t)order[i]);
			assert_string_equal(str(m, "dc_partition"), gen_partition[g]);
			assert_int_equal(num(m, "dc_size"), 32 * GiB);
			assert_false(has(m, "numa_node"));
		}
		/* two failure domains: the even and the odd devices */
		assert_string_equal(str(json_object_array_get_idx(j, 0), "host_bridge"),
				    str(json_object_array_get_idx(j, 2), "host_bridge"));
		assert_string_not_equal(str(json_object_array_get_idx(j, 0), "host_bridge"),
					str(json_object_array_get_idx(j, 1), "host_bridge"));
		json_object_put(j);

		j = list("-X", NULL);
		/* each region: the seed daxR.0 and the claimed daxR.1 */
		assert_int_equal(json_object_array_length(j), 16);
		for (int i = 0; i < 8; i++) {
			struct json_object *d = json_object_array_get_idx(j, 2 * i + 1);
			char name[16], tag[40], mem[16];

			snprintf(name, sizeof(name), "dax%d.1", order[i]);
			snprintf(mem, sizeof(mem), "mem%d", order[i]);
			snprintf(tag, sizeof(tag), "00000000-0000-4000-8000-0000000000%02d", order[i]);
			assert_string_equal(str(d, "chardev"), name);
			assert_string_equal(str(d, "mode"), "devdax");
			if (g >= TB_DC_V10)
				assert_string_equal(str(d, "uuid"), tag);
			else
				assert_false(has(d, "uuid"));
			assert_string_equal(str(d, "memdev"), mem);
			assert_int_equal(num(d, "size"), 1 * GiB);
		}
		json_object_put(j);

		j = list("-E", NULL);
		assert_int_equal(json_object_array_length(j), 8);
		assert_string_equal(str(json_object_array_get_idx(j, 7), "memdev"), "mem10");
		assert_int_equal(num(json_object_array_get_idx(j, 7), "offset"), 20 * MiB);
		json_object_put(j);
		tb_free(tb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zero_dcd_memdevs),
		cmocka_unit_test(one_dcd_memdev),
		cmocka_unit_test(eight_dcd_memdevs),
	};

	if (!getenv("UMOCKDEV_WRAPPER") || !*getenv("UMOCKDEV_WRAPPER")) {
		printf("SKIP: umockdev-wrapper not found (Debian package umockdev)\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
