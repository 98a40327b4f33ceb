// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl alloc and release on the real-kernel (sysfs) platform, against
 * a umockdev testbed whose kernel side is modelled (tb_kernel_start: a
 * claimed tag sizes the seed device and makes a new seed; bind, unbind,
 * size 0 and delete act as the kernel's do) and whose fabric manager is
 * tests/fm-testbed.sh behind the exec plugin, writing the extents it grants
 * into the testbed. famfsctl runs under umockdev's preload exactly as on a
 * kernel: what it leaves are famfs-mode dax devices with the right tags,
 * and after release or a failed alloc, nothing but the seeds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "tests/testbed.h"
#include "tests/testutil.h"

#define GiB (1ULL << 30)
#define GROUP "6a7b8c9d-1e2f-4a3b-8c4d-5e6f7a8b0000"
#define REGION_DIR "sys/devices/platform/ACPI0017:00/root0/decoder0.0/region%d/dax_region%d"

static char state_file[] = "/tmp/famfsctl-fmtb-XXXXXX";

/* Run famfsctl under umockdev-wrapper in the testbed. */
static void famfsctl(struct run *r, char *a1, char *a2, char *a3, char *a4, char *a5,
		     char *a6, char *a7)
{
	setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 1);
	run_program(r, getenv("UMOCKDEV_WRAPPER"),
		    (char *[]){ "umockdev-wrapper", getenv("FAMFSCTL"), a1, a2, a3, a4, a5,
				a6, a7, NULL });
}

static json_object *ok_json(struct run *r)
{
	json_object *j;

	if (r->status != 0)
		fail_msg("famfsctl exited %d: %s", r->status, r->errout);
	j = json_tokener_parse(r->out);
	if (!j)
		fail_msg("not JSON: %s", r->out);
	return j;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no '%s' in %s", key, json_object_to_json_string(o));
	return json_object_get_string(v);
}

/* Three memdevs with DC partitions (and regions unless `bare`), the kernel
 * model running, the FM's state: device i is memN i, its extents go to
 * region i. */
static struct tb *testbed_gen(enum tb_dc_gen gen, bool bare)
{
	struct tb *tb = tb_new(gen);
	FILE *f;
	int fd;

	for (int i = 0; i < 3; i++) {
		tb_add_memdev(tb, &(struct tb_memdev){ .id = i, .host_bridge = i % 2,
			      .serial = 0x1000 + i, .numa_node = -1, .dc_size = 4 * GiB });
		if (!bare)
			tb_add_dc_region(tb, i, i, 4 * GiB);
	}
	assert_int_equal(tb_kernel_start(tb), 0);
	strcpy(state_file, "/tmp/famfsctl-fmtb-XXXXXX");
	fd = mkstemp(state_file);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "{\"devices\": [");
	for (int i = 0; i < 3; i++) {
		fprintf(f, "%s{\"name\": \"fm%d\", \"serial\": %d, \"capacity\": %llu, \"region\": %d, "
			"\"dir\": \"" REGION_DIR "\", \"next\": 0, \"k\": 0, \"tags\": []}",
			i ? ", " : "", i, 0x1000 + i, (unsigned long long)(4 * GiB), i, i, i);
	}
	fprintf(f, "]}\n");
	fclose(f);
	setenv("FMTB_STATE", state_file, 1);
	setenv("FMTB_ROOT", tb_root(tb), 1);
	{
		char uri[1024];

		snprintf(uri, sizeof(uri), "exec:%s/tests/fm-testbed.sh", getenv("top_srcdir"));
		setenv("FAMFSCTL_FABRIC", uri, 1);
	}
	return tb;
}

static struct tb *testbed(void)
{
	return testbed_gen(TB_DC_V11, false);
}

static int fm_tags(void)
{
	json_object *st = json_object_from_file(state_file), *devs;
	int n = 0;

	assert_non_null(st);
	json_object_object_get_ex(st, "devices", &devs);
	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		json_object *t;

		json_object_object_get_ex(json_object_array_get_idx(devs, i), "tags", &t);
		n += (int)json_object_array_length(t);
	}
	json_object_put(st);
	return n;
}

/* Only the kernel's seeds are left: zero-size, unbound, no tag. */
static void assert_only_seeds(void)
{
	struct run r;
	json_object *j;

	famfsctl(&r, "list", "-X", NULL, NULL, NULL, NULL, NULL);
	j = ok_json(&r);
	for (size_t i = 0; i < json_object_array_length(j); i++) {
		json_object *d = json_object_array_get_idx(j, i), *v;

		assert_true(json_object_object_get_ex(d, "size", &v));
		if (json_object_get_int64(v) != 0)
			fail_msg("%s left behind", str(d, "chardev"));
		assert_string_equal(str(d, "mode"), "unbound");
	}
	json_object_put(j);
	famfsctl(&r, "list", "-E", NULL, NULL, NULL, NULL, NULL);
	assert_string_equal(r.out, "[]\n");
	assert_int_equal(fm_tags(), 0);
}

static void alloc_and_release_on_the_sysfs_platform(void **state)
{
	struct tb *tb = testbed();
	struct run r;
	json_object *j, *members, *x;
	int famfs = 0;

	famfsctl(&r, "alloc", "--size", "3G", "--ways", "3", "--tag", GROUP);
	j = ok_json(&r);
	assert_true(json_object_object_get_ex(j, "members", &members));
	assert_int_equal(json_object_array_length(members), 3);
	for (int i = 0; i < 3; i++) {
		json_object *m = json_object_array_get_idx(members, i);
		char want[64];

		/* the region's seed took the tag */
		snprintf(want, sizeof(want), "dax%s.0", str(m, "memdev") + 3);
		assert_string_equal(str(m, "daxdev"), want);
		assert_string_equal(str(m, "mode"), "famfs");
	}
	json_object_put(j);

	/* what the kernel shows now, read back through libdaxctl */
	famfsctl(&r, "list", "-X", NULL, NULL, NULL, NULL, NULL);
	x = ok_json(&r);
	assert_int_equal(json_object_array_length(x), 6); /* 3 claimed + 3 new seeds */
	for (size_t i = 0; i < 6; i++) {
		json_object *d = json_object_array_get_idx(x, i), *v;

		if (strcmp(str(d, "mode"), "famfs"))
			continue;
		famfs++;
		assert_true(json_object_object_get_ex(d, "size", &v));
		assert_int_equal(json_object_get_int64(v), 1 * GiB);
		assert_memory_equal(str(d, "uuid"), GROUP, 32); /* the group's tags */
	}
	assert_int_equal(famfs, 3);
	json_object_put(x);

	famfsctl(&r, "list", "-A", NULL, NULL, NULL, NULL, NULL);
	j = ok_json(&r);
	assert_non_null(strstr(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN),
				  "\"group\":\"" GROUP "\""));
	json_object_put(j);

	famfsctl(&r, "release", GROUP, NULL, NULL, NULL, NULL, NULL);
	j = ok_json(&r);
	json_object_put(j);
	assert_only_seeds();
	tb_free(tb);
	unlink(state_file);
}

/* No famfs driver in this kernel: the mode switch fails, all is undone. */
static void a_failed_mode_switch_rolls_back(void **state)
{
	struct tb *tb = testbed();
	char path[4096];
	struct run r;

	snprintf(path, sizeof(path), "%s/sys/bus/dax/drivers/fsdev_dax/bind", tb_root(tb));
	unlink(path);
	snprintf(path, sizeof(path), "%s/sys/bus/dax/drivers/fsdev_dax/unbind", tb_root(tb));
	unlink(path);
	snprintf(path, sizeof(path), "%s/sys/bus/dax/drivers/fsdev_dax", tb_root(tb));
	assert_int_equal(rmdir(path), 0);

	famfsctl(&r, "alloc", "--size", "2G", "--ways", "2", NULL, NULL);
	assert_int_equal(r.status, 1);
	if (!strstr(r.errout, "no fsdev_dax driver for famfs mode"))
		fail_msg("no reason given: %s", r.errout);
	if (!strstr(r.errout, "nothing is left allocated"))
		fail_msg("no rollback: %s", r.errout);
	assert_only_seeds();
	tb_free(tb);
	unlink(state_file);
}

/* Memdevs with DC partitions but no regions yet, in each naming
 * generation: alloc creates the DC regions through the root decoder's
 * create_*_region, then claims as usual. */
static void dc_regions_are_created_when_missing(void **state)
{
	static const char *const gens[] = { "v3", "v10", "v11" };

	for (int g = TB_DC_V3; g <= TB_DC_V11; g++) {
		struct tb *tb = testbed_gen(g, true);
		struct run r;
		json_object *j;

		famfsctl(&r, "list", "-R", NULL, NULL, NULL, NULL, NULL);
		assert_string_equal(r.out, "[]\n");
		famfsctl(&r, "alloc", "--size", "2G", "--memdev", "mem0", "--memdev", "mem1");
		if (r.status != 0) {
			char err[8192];

			snprintf(err, sizeof(err), "%s", r.errout);
			famfsctl(&r, "list", "-v", NULL, NULL, NULL, NULL, NULL);
			fail_msg("%s: %s\nthe host shows: %s%s", gens[g], err, r.out, r.errout);
		}
		json_object_put(ok_json(&r));
		famfsctl(&r, "list", "-R", NULL, NULL, NULL, NULL, NULL);
		j = ok_json(&r);
		assert_int_equal(json_object_array_length(j), 2);
		for (int i = 0; i < 2; i++) {
			json_object *reg = json_object_array_get_idx(j, i);
			char want[16];

			snprintf(want, sizeof(want), "mem%d", i);
			assert_string_equal(str(reg, "memdev"), want);
		}
		json_object_put(j);
		famfsctl(&r, "list", "-X", NULL, NULL, NULL, NULL, NULL);
		if (!strstr(r.out, "\"famfs\""))
			fail_msg("%s: no famfs-mode device: %s", gens[g], r.out);
		tb_free(tb);
		unlink(state_file);
	}
}

/* The mode of dax device `name` as famfsctl list -X shows it. */
static char *mode_of(const char *name, char *buf, size_t len)
{
	struct run r;
	json_object *x;

	famfsctl(&r, "list", "-X", NULL, NULL, NULL, NULL, NULL);
	x = ok_json(&r);
	buf[0] = '\0';
	for (size_t i = 0; i < json_object_array_length(x); i++) {
		json_object *d = json_object_array_get_idx(x, i);

		if (!strcmp(str(d, "chardev"), name))
			snprintf(buf, len, "%s", str(d, "mode"));
	}
	json_object_put(x);
	return buf;
}

/*
 * famfsctl udev on the sysfs platform, as the rule's unit runs it for each
 * member's event: the policy claiming the tag is found, each device is
 * switched (through the kernel model's unbind/bind) to the devdax mode the
 * portable mount needs, the set is recorded once both are here, and with no
 * file system yet nothing is formatted or mounted. A device with a tag no
 * policy claims is left alone.
 */
static void udev_sets_up_members_on_the_sysfs_platform(void **state)
{
	struct tb *tb = testbed();
	char etc[] = "/tmp/famfsctl-udevtb-XXXXXX", path[256], mode[32], cmd[300];
	struct run r;
	FILE *f;

	assert_non_null(mkdtemp(etc));
	snprintf(path, sizeof(path), "%s/policies.d", etc);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/policies.d/tb.conf", etc);
	f = fopen(path, "w");
	fprintf(f, "[members]\nmemdevs = mem0, mem1\n[capacity]\nmember_size = 1G\n"
		"[famfs]\nmount_point = %s/mnt\nmount_mode = portable\n[udev]\nauto_setup = yes\n", etc);
	fclose(f);
	setenv("FAMFSCTL_POLICY_DIR", etc, 1);

	famfsctl(&r, "alloc", "--policy", "tb", NULL, NULL, NULL, NULL);
	json_object_put(ok_json(&r));
	assert_string_equal(mode_of("dax0.0", mode, sizeof(mode)), "famfs");

	famfsctl(&r, "udev", "dax1.0", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	if (!strstr(r.errout, "devdax mode for policy tb") ||
	    !strstr(r.errout, "holds no clean file system"))
		fail_msg("udev dax1.0 said: %s", r.errout);
	assert_string_equal(mode_of("dax1.0", mode, sizeof(mode)), "devdax");
	assert_string_equal(mode_of("dax0.0", mode, sizeof(mode)), "famfs"); /* its own event */
	famfsctl(&r, "udev", "dax0.0", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(mode_of("dax0.0", mode, sizeof(mode)), "devdax");
	famfsctl(&r, "interleave", "list", "tb", NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0); /* the set is recorded */

	/* a tag no policy claims */
	tb_add_extent(tb, 2, 0, 0, 1 * GiB, "0badbeef-0000-4000-8000-000000000001");
	tb_add_dax_dev(tb, 2, 5, 1 * GiB, "0badbeef-0000-4000-8000-000000000001", "device_dax");
	famfsctl(&r, "udev", "dax2.5", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	if (!strstr(r.errout, "no policy claims it; left alone"))
		fail_msg("udev dax2.5 said: %s", r.errout);
	assert_string_equal(mode_of("dax2.5", mode, sizeof(mode)), "devdax");

	unsetenv("FAMFSCTL_POLICY_DIR");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", etc);
	assert_int_equal(system(cmd), 0);
	tb_free(tb);
	unlink(state_file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alloc_and_release_on_the_sysfs_platform),
		cmocka_unit_test(dc_regions_are_created_when_missing),
		cmocka_unit_test(a_failed_mode_switch_rolls_back),
		cmocka_unit_test(udev_sets_up_members_on_the_sysfs_platform),
	};

	return cmocka_run_group_tests_name("alloc on the testbed kernel model", tests, NULL, NULL);
}
