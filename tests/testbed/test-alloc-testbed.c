// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl alloc and release on the real-kernel (sysfs) platform, against
 * a umockdev testbed whose kernel side is the model of tests/testbed/testbed.c
 * (every sysfs write famfsctl makes is refused or done as doc/kernel-dcd.md
 * says the DCD kernel does) and whose fabric manager is
 * tests/testbed/fm-testbed.sh behind the exec plugin, its grants and releases
 * reaching the model's device side. famfsctl runs under umockdev's preload
 * exactly as on a kernel: what it leaves are famfs-mode dax devices daxR.1
 * with the right tags, and after release or a failed alloc (a fault
 * injected at each step) nothing: no extent, no tag on the FM, no dax
 * device but the kernel's daxR.0, no region it made.
 */
#include <errno.h>
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
#include "tests/testbed/testbed.h"
#include "tests/lib/testutil.h"

#define GiB (1ULL << 30)
#define GROUP "6a7b8c9d-1e2f-4a3b-8c4d-5e6f7a8b0000"

static char state_file[] = "/tmp/famfsctl-fmtb-XXXXXX";

/* Run a program under umockdev's preload in the testbed (as
 * umockdev-wrapper would), its sysfs writes going to the kernel model. */
static void under_preload(struct run *r, const char *bin, char **argv)
{
	char *saved = getenv("LD_PRELOAD") ? strdup(getenv("LD_PRELOAD")) : NULL;

	setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 1);
	setenv("LD_PRELOAD", tb_preload(), 1);
	run_program(r, bin, argv);
	if (saved)
		setenv("LD_PRELOAD", saved, 1);
	else
		unsetenv("LD_PRELOAD");
	free(saved);
}

static void famfsctl(struct run *r, char *a1, char *a2, char *a3, char *a4, char *a5,
		     char *a6, char *a7)
{
	under_preload(r, getenv("FAMFSCTL"),
		      (char *[]){ "famfsctl", a1, a2, a3, a4, a5, a6, a7, NULL });
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
 * model running, the FM's state: fabric device i is memN i. mem0 has a ram
 * partition, so its first endpoint decoder is taken. */
static struct tb *testbed_gen(enum tb_dc_gen gen, bool bare)
{
	struct tb *tb = tb_new(gen);
	FILE *f;
	int fd;

	for (int i = 0; i < 3; i++) {
		tb_add_memdev(tb, &(struct tb_memdev){ .id = i, .host_bridge = i % 2,
			      .serial = 0x1000 + i, .numa_node = -1, .dc_size = 4 * GiB,
			      .ram_size = i == 0 ? 1 * GiB : 0 });
		if (!bare)
			tb_add_dc_region(tb, i, i, 4 * GiB);
	}
	assert_int_equal(tb_kernel_start(tb), 0);
	strcpy(state_file, "/tmp/famfsctl-fmtb-XXXXXX");
	fd = mkstemp(state_file);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "{\"adds\": 0, \"fail_add\": 0, \"devices\": [");
	for (int i = 0; i < 3; i++)
		fprintf(f, "%s{\"name\": \"fm%d\", \"serial\": %d, \"capacity\": %llu, \"mem\": %d, "
			"\"next\": 0, \"tags\": []}", i ? ", " : "", i, 0x1000 + i,
			(unsigned long long)(4 * GiB), i);
	fprintf(f, "]}\n");
	fclose(f);
	setenv("FMTB_STATE", state_file, 1);
	{
		char uri[1024];

		snprintf(uri, sizeof(uri), "exec:%s/tests/testbed/fm-testbed.sh", getenv("top_srcdir"));
		setenv("FAMFSCTL_FABRIC", uri, 1);
	}
	return tb;
}

static struct tb *testbed(void)
{
	return testbed_gen(TB_DC_V11, false);
}

static void done(struct tb *tb)
{
	tb_free(tb);
	unlink(state_file);
}

/* The FM's state: set "fail_add" (the k-th add refused). */
static void fm_fail_add(int k)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "jq '.fail_add = %d | .adds = 0' %s > %s.new && mv %s.new %s",
		 k, state_file, state_file, state_file, state_file);
	assert_int_equal(system(cmd), 0);
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

/* How many release requests the FM has seen (answered or dropped). */
static int fm_releases(void)
{
	json_object *st = json_object_from_file(state_file), *v;
	int n = 0;

	assert_non_null(st);
	if (json_object_object_get_ex(st, "releases", &v))
		n = json_object_get_int(v);
	json_object_put(st);
	return n;
}

/* Only the kernel's probe-time devices are left: zero-size, unbound, no
 * tag; no extent; the FM lists nothing for the host. */
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

/* How many times `needle` occurs in `hay`. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
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

		/* dax_region/create made daxR.1 (daxR.0 is the probe's) */
		snprintf(want, sizeof(want), "dax%s.1", str(m, "memdev") + 3);
		assert_string_equal(str(m, "daxdev"), want);
		assert_string_equal(str(m, "mode"), "famfs");
	}
	json_object_put(j);
	/* each switch said so, once */
	assert_int_equal(count(r.errout, "switching to famfs mode"), 3);

	/* what the kernel shows now, read back through libdaxctl */
	famfsctl(&r, "list", "-X", NULL, NULL, NULL, NULL, NULL);
	x = ok_json(&r);
	assert_int_equal(json_object_array_length(x), 6); /* 3 claimed + 3 daxR.0 */
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
	done(tb);
}

/* No famfs driver in this kernel: the mode switch fails, all is undone. */
static void a_failed_mode_switch_rolls_back(void **state)
{
	struct tb *tb = testbed();
	struct run r;

	tb_remove_driver(tb, "fsdev_dax");
	famfsctl(&r, "alloc", "--size", "2G", "--ways", "2", NULL, NULL);
	assert_int_equal(r.status, 1);
	if (!strstr(r.errout, "no fsdev_dax driver for famfs mode"))
		fail_msg("no reason given: %s", r.errout);
	if (!strstr(r.errout, "nothing is left allocated"))
		fail_msg("no rollback: %s", r.errout);
	assert_only_seeds();
	done(tb);
}

/* No CXL region is left: the regions alloc made are gone again. */
static void assert_no_regions(void)
{
	struct run r;

	famfsctl(&r, "list", "-R", NULL, NULL, NULL, NULL, NULL);
	assert_string_equal(r.out, "[]\n");
}

/*
 * End to end, per tagged generation (v10 dynamic_ram_a, v11
 * dynamic_ram_1), from memdevs without regions: alloc creates the DC
 * regions (through the free endpoint decoder and the root decoder routing
 * to each memdev's bridge), claims daxR.1 with each member's tag, switches
 * it to famfs; the waits for the dax devices are uevents; release leaves
 * the FM's extent list empty.
 */
static void alloc_and_release_per_generation(void **state)
{
	static const enum tb_dc_gen gens[] = { TB_DC_V10, TB_DC_V11 };

	for (size_t g = 0; g < sizeof(gens) / sizeof(gens[0]); g++) {
		struct tb *tb = testbed_gen(gens[g], true);
		char log[] = "/tmp/famfsctl-tblog-XXXXXX", cmd[512], *text;
		struct run r;
		json_object *j, *members;
		FILE *f;
		long n;
		int fd = mkstemp(log);

		assert_true(fd >= 0);
		close(fd);
		assert_no_regions();
		/* alloc with its debug log kept aside, to see the uevents it waited for */
		snprintf(cmd, sizeof(cmd), "FAMFSCTL_LOG=debug exec \"$FAMFSCTL\" "
			 "alloc --size 2G --memdev mem0 --memdev mem1 --tag " GROUP " 2>%s", log);
		under_preload(&r, "/bin/sh", (char *[]){ "sh", "-c", cmd, NULL });
		f = fopen(log, "r");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		text = calloc(1, (size_t)n + 1);
		assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
		fclose(f);
		unlink(log);
		if (r.status != 0)
			fail_msg("%s: alloc failed: %.4000s", tb_gen_name[gens[g]], text);
		j = ok_json(&r);
		assert_true(json_object_object_get_ex(j, "members", &members));
		for (int i = 0; i < 2; i++) {
			json_object *m = json_object_array_get_idx(members, i);
			char want[16];

			snprintf(want, sizeof(want), "dax%d.1", i);
			assert_string_equal(str(m, "daxdev"), want);
			assert_string_equal(str(m, "mode"), "famfs");
			assert_memory_equal(str(m, "tag"), GROUP, 32);
			/* the kernel raised these; famfsctl waited on them */
			snprintf(want, sizeof(want), "dax%d.1: ", i);
			if (!strstr(text, want) || count(text, "add uevent") < 4 ||
			    count(text, "bind uevent") < 4)
				fail_msg("%s: no uevents seen: %.4000s", tb_gen_name[gens[g]], text);
		}
		/* mem0's .0 decoder maps its ram; its region went through .1, and
		 * mem1 (bridge 1) through the window routing to bridge 1 */
		if (!strstr(text, "mem0: DC region through decoder0.1 and decoder2.1") ||
		    !strstr(text, "mem1: DC region through decoder0.2 and decoder4.0"))
			fail_msg("%s: wrong decoders: %.4000s", tb_gen_name[gens[g]], text);
		free(text);
		json_object_put(j);
		famfsctl(&r, "list", "-R", NULL, NULL, NULL, NULL, NULL);
		j = ok_json(&r);
		assert_int_equal(json_object_array_length(j), 2);
		json_object_put(j);

		famfsctl(&r, "release", GROUP, NULL, NULL, NULL, NULL, NULL);
		json_object_put(ok_json(&r));
		assert_only_seeds();
		done(tb);
	}
}

/*
 * A fault at each step of an alloc that creates its regions, claims and
 * switches, in each tagged generation: whatever fails, everything is
 * rolled back (no extent, FM tag, dax device but daxR.0, or region), and
 * (v11) the next alloc finds nothing half-made in its way.
 */
static void a_fault_at_each_step_rolls_back(void **state)
{
	static const struct { const char *suffix; int err; } faults[] = {
		{ "decoder2.1/dpa_size", EIO },          /* mem0's endpoint decoder */
		{ "_region", EBUSY },                     /* create_*_region: lost the name */
		{ "region1/interleave_granularity", EINVAL },
		{ "region1/size", ENOSPC },               /* member 1, after member 0's region */
		{ "region1/target0", ENXIO },
		{ "region1/commit", EIO },
		{ "cxl_region/bind", ENXIO },
		{ "dax_region/create", ENOMEM },
		{ "dax1.1/uuid", EIO },                   /* member 1's claim */
		{ "device_dax/bind", EIO },
		{ "fsdev_dax/bind", EIO },                /* the mode switch */
		{ NULL, 2 },                              /* the FM refuses member 1's add */
	};
	static const enum tb_dc_gen gens[] = { TB_DC_V10, TB_DC_V11 };

	for (size_t g = 0; g < sizeof(gens) / sizeof(gens[0]); g++)
		for (size_t k = 0; k < sizeof(faults) / sizeof(faults[0]); k++) {
			const char *what = faults[k].suffix ? faults[k].suffix : "the FM's add";
			struct tb *tb = testbed_gen(gens[g], true);
			struct run r;

			if (faults[k].suffix)
				tb_fail_next(tb, faults[k].suffix, faults[k].err);
			else
				fm_fail_add(faults[k].err);
			famfsctl(&r, "alloc", "--size", "2G", "--memdev", "mem0", "--memdev", "mem1");
			if (r.status == 0)
				fail_msg("%s: fault %s: alloc succeeded", tb_gen_name[gens[g]], what);
			assert_only_seeds();
			assert_no_regions();
			if (gens[g] == TB_DC_V11) { /* (once: each run costs seconds) */
				famfsctl(&r, "alloc", "--size", "2G", "--memdev", "mem0",
					 "--memdev", "mem1");
				if (r.status != 0)
					fail_msg("%s: after fault %s: %s", tb_gen_name[gens[g]], what,
						 r.errout);
			}
			done(tb);
		}
}

/*
 * Release destroys the dax device first, then asks the FM, then checks the
 * FM's extent list. A device that cannot be destroyed keeps its tag claimed
 * and nothing is released. A release the kernel drops (no answer, nothing
 * queued) is asked again until the FM no longer lists the tag, a bounded
 * number of times, after which release says so; the next one works.
 */
static void a_release_the_kernel_drops_is_asked_again(void **state)
{
	struct tb *tb = testbed();
	struct run r;
	char out[8192];

	famfsctl(&r, "alloc", "--size", "1G", "--memdev", "mem1", "--tag", GROUP);
	json_object_put(ok_json(&r));
	tb_fail_next(tb, "dax1.1/size", EBUSY);
	famfsctl(&r, "release", GROUP, NULL, NULL, NULL, NULL, NULL);
	assert_int_not_equal(r.status, 0);
	snprintf(out, sizeof(out), "%s", r.errout);
	if (!strstr(out, "cannot destroy the dax device"))
		fail_msg("release said: %s", out);
	assert_int_equal(fm_tags(), 1); /* nothing was released */

	/* dropped twice, answered the third time */
	tb_fail_next(tb, "device:release", EBUSY);
	tb_fail_next(tb, "device:release", EBUSY);
	famfsctl(&r, "release", GROUP, NULL, NULL, NULL, NULL, NULL);
	json_object_put(ok_json(&r));
	assert_only_seeds();
	assert_int_equal(fm_releases(), 3);

	/* dropped every time: release gives up saying why, then works */
	famfsctl(&r, "alloc", "--size", "1G", "--memdev", "mem1", "--tag", GROUP);
	json_object_put(ok_json(&r));
	for (int i = 0; i < 5; i++)
		tb_fail_next(tb, "device:release", EBUSY);
	famfsctl(&r, "release", GROUP, NULL, NULL, NULL, NULL, NULL);
	assert_int_not_equal(r.status, 0);
	snprintf(out, sizeof(out), "%s", r.errout);
	if (!strstr(out, "still lists it for this host after 5 releases"))
		fail_msg("release said: %s", out);
	assert_int_equal(fm_tags(), 1);
	famfsctl(&r, "release", GROUP, NULL, NULL, NULL, NULL, NULL);
	json_object_put(ok_json(&r));
	assert_only_seeds();
	done(tb);
}

/*
 * Kernels before v10 have no tags: alloc fails naming the series and what
 * it lacks, and changes nothing (v9 is told from v10 only once a region
 * exists: the one alloc made for it is torn down again). Untagged capacity
 * is listed as usual.
 */
static void tagged_alloc_needs_v10(void **state)
{
	static const struct { enum tb_dc_gen gen; bool bare; const char *says; } cases[] = {
		{ TB_DC_V3, false, "the v3 DCD series (dc0): it rejects tagged extents" },
		{ TB_DC_V4, false, "the v4-v8 DCD series (dc0): its extents carry no tags" },
		{ TB_DC_V9, false, "the v9 DCD series (dynamic_ram_a)" },
		{ TB_DC_V9, true, "the v9 DCD series (dynamic_ram_a)" },
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct tb *tb = testbed_gen(cases[c].gen, cases[c].bare);
		struct run r;
		json_object *j;

		if (!cases[c].bare)
			tb_add_extent(tb, 2, 1, 0, 1 * GiB, NULL);
		famfsctl(&r, "alloc", "--size", "2G", "--memdev", "mem0", "--memdev", "mem1");
		assert_int_equal(r.status, 1);
		if (!strstr(r.errout, cases[c].says) || !strstr(r.errout, "need v10 or later"))
			fail_msg("%s: said: %s", tb_gen_name[cases[c].gen], r.errout);
		assert_int_equal(fm_tags(), 0);
		if (cases[c].bare) {
			assert_no_regions();
		} else {
			famfsctl(&r, "list", "-E", NULL, NULL, NULL, NULL, NULL);
			j = ok_json(&r);
			assert_int_equal(json_object_array_length(j), 1); /* the untagged one */
			json_object_put(j);
			famfsctl(&r, "list", "-X", NULL, NULL, NULL, NULL, NULL);
			j = ok_json(&r);
			assert_int_equal(json_object_array_length(j), 3); /* the daxR.0 only */
			json_object_put(j);
		}
		done(tb);
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
 * member's event: alloc --policy claims the members in the mode the policy
 * names (famfs here); the policy then changes to the portable mount, and
 * udev finds the policy claiming the tag and switches each device (through
 * the kernel model's unbind/bind) to the devdax mode that mount needs, the set is recorded once both are here, and with no
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
		"[famfs]\nmount_point = %s/mnt\nmount_mode = famfs\n[udev]\nauto_setup = yes\n", etc);
	fclose(f);
	setenv("FAMFSCTL_POLICY_DIR", etc, 1);

	famfsctl(&r, "alloc", "--policy", "tb", NULL, NULL, NULL, NULL);
	json_object_put(ok_json(&r));
	assert_string_equal(mode_of("dax0.1", mode, sizeof(mode)), "famfs");
	assert_string_equal(mode_of("dax1.1", mode, sizeof(mode)), "famfs");
	f = fopen(path, "w");
	fprintf(f, "[members]\nmemdevs = mem0, mem1\n[capacity]\nmember_size = 1G\n"
		"[famfs]\nmount_point = %s/mnt\nmount_mode = portable\n[udev]\nauto_setup = yes\n", etc);
	fclose(f);

	famfsctl(&r, "udev", "dax1.1", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	if (!strstr(r.errout, "devdax mode for policy tb") ||
	    !strstr(r.errout, "holds no clean file system") ||
	    count(r.errout, "switching to devdax mode") != 1)
		fail_msg("udev dax1.1 said: %s", r.errout);
	assert_string_equal(mode_of("dax1.1", mode, sizeof(mode)), "devdax");
	assert_string_equal(mode_of("dax0.1", mode, sizeof(mode)), "famfs"); /* its own event */
	famfsctl(&r, "udev", "dax0.1", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(mode_of("dax0.1", mode, sizeof(mode)), "devdax");
	/* a device already in the mode it needs is not switched again */
	famfsctl(&r, "udev", "dax0.1", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	if (strstr(r.errout, "switching"))
		fail_msg("udev switched a devdax device again: %s", r.errout);
	famfsctl(&r, "interleave", "list", "tb", NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0); /* the set is recorded */

	/* a tag no policy claims */
	tb_add_extent(tb, 2, 1, 0, 1 * GiB, "0badbeef-0000-4000-8000-000000000001");
	tb_add_dax_dev(tb, 2, 5, 1 * GiB, "0badbeef-0000-4000-8000-000000000001", "device_dax");
	famfsctl(&r, "udev", "dax2.5", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	if (!strstr(r.errout, "no policy claims it; left alone"))
		fail_msg("udev dax2.5 said: %s", r.errout);
	assert_string_equal(mode_of("dax2.5", mode, sizeof(mode)), "devdax");

	unsetenv("FAMFSCTL_POLICY_DIR");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", etc);
	assert_int_equal(system(cmd), 0);
	done(tb);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alloc_and_release_on_the_sysfs_platform),
		cmocka_unit_test(alloc_and_release_per_generation),
		cmocka_unit_test(a_failed_mode_switch_rolls_back),
		cmocka_unit_test(a_fault_at_each_step_rolls_back),
		cmocka_unit_test(a_release_the_kernel_drops_is_asked_again),
		cmocka_unit_test(tagged_alloc_needs_v10),
		cmocka_unit_test(udev_sets_up_members_on_the_sysfs_platform),
	};

	tb_reexec(argv);
	return cmocka_run_group_tests_name("alloc on the testbed kernel model", tests, NULL, NULL);
}
