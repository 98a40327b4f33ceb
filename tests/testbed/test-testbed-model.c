// SPDX-License-Identifier: GPL-2.0-only
/*
 * The testbed's kernel model, driven directly: every refusal
 * doc/kernel-dcd.md records is refused with the kernel's errno and changes
 * nothing, and objects appear only where the kernel makes them (the dax
 * region on the region driver's bind, a new device and seed on create, the
 * first claimed device daxR.1, the first extent extentR.1). A model that drifts
 * back to an order the kernel refuses fails here, before famfsctl's tests
 * can pass against it.
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
#include "tests/testbed/testbed.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TAG "5eed0000-1111-4222-8333-444455556666"
#define TAG2 "5eed0000-1111-4222-8333-777788889999"
#define DEC(x) "/sys/bus/cxl/devices/" x
#define DAXR0 "/sys/bus/cxl/devices/dax_region0/dax_region/"
#define DAX(x) "/sys/bus/dax/devices/" x

static bool exists(struct tb *tb, const char *path)
{
	char full[4096];

	snprintf(full, sizeof(full), "%s%s", tb_root(tb), path);
	return access(full, F_OK) == 0;
}

static const char *attr(struct tb *tb, const char *path)
{
	static char buf[256];
	char full[4096];
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", tb_root(tb), path);
	buf[0] = '\0';
	f = fopen(full, "r");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* mem0 under host bridge 0 with a ram partition (its decoder .0 maps it),
 * mem1 under bridge 1 without: endpoints 2 and 4. */
static struct tb *two_memdevs(enum tb_dc_gen gen)
{
	struct tb *tb = tb_new(gen);

	assert_non_null(tb);
	assert_int_equal(tb_add_memdev(tb, &(struct tb_memdev){ .id = 0, .host_bridge = 0,
				       .serial = 1, .numa_node = -1, .ram_size = 1 * GiB,
				       .dc_size = 4 * GiB }), 0);
	assert_int_equal(tb_add_memdev(tb, &(struct tb_memdev){ .id = 1, .host_bridge = 1,
				       .serial = 2, .numa_node = -1, .dc_size = 4 * GiB }), 0);
	return tb;
}

/* The sequence of `cxl create-region -t dynamic_ram_1`, each step's
 * refusals tried first. */
static void region_creation_refuses_every_other_order(void **state)
{
	struct tb *tb = two_memdevs(TB_DC_V11);

	/* decoder2.0 already maps ram; the free one is decoder2.1 */
	assert_int_equal(tb_write(tb, DEC("decoder2.0/mode"), "dynamic_ram_1"), -EBUSY);
	assert_int_equal(tb_write(tb, DEC("decoder2.1/mode"), "dynamic_ram_9"), -EINVAL);
	assert_int_equal(tb_write(tb, DEC("decoder2.1/mode"), "dynamic_ram_1"), 0);
	assert_int_equal(tb_write(tb, DEC("decoder2.1/dpa_size"), "0x10000000"), 0);
	assert_int_equal(tb_write(tb, DEC("decoder2.1/mode"), "ram"), -EBUSY);
	assert_int_equal(tb_write(tb, DEC("decoder2.1/dpa_size"), "0"), 0);
	assert_int_equal(tb_write(tb, DEC("decoder2.1/dpa_size"), "0x100000"), -EINVAL);
	assert_int_equal(tb_write(tb, DEC("decoder2.1/dpa_size"), "0x100000000"), 0);
	/* decoder4.1 before decoder4.0: DPA goes in decoder order */
	assert_int_equal(tb_write(tb, DEC("decoder4.1/mode"), "dynamic_ram_1"), 0);
	assert_int_equal(tb_write(tb, DEC("decoder4.1/dpa_size"), "0x100000000"), -EBUSY);

	/* decoder0.0 is a ram window: no DC region from it; decoder0.1 routes
	 * to bridge 0 and offers dynamic_ram_1 */
	assert_false(exists(tb, DEC("decoder0.0/create_dynamic_ram_1_region")));
	assert_string_equal(attr(tb, DEC("decoder0.1/cap_dynamic_ram_1")), "1");
	assert_string_equal(attr(tb, DEC("decoder0.1/create_dynamic_ram_1_region")), "region0");
	assert_int_equal(tb_write(tb, DEC("decoder0.1/create_dynamic_ram_1_region"), "region3"),
			 -EBUSY);
	assert_false(exists(tb, DEC("region0")));
	assert_int_equal(tb_write(tb, DEC("decoder0.1/create_dynamic_ram_1_region"), "region0"), 0);
	assert_true(exists(tb, DEC("region0/mode")));
	assert_string_equal(attr(tb, DEC("region0/interleave_granularity")), "0");
	assert_string_equal(attr(tb, DEC("decoder0.1/create_dynamic_ram_1_region")), "region1");

	/* size before granularity: ENXIO; ways other than 1: EINVAL */
	assert_int_equal(tb_write(tb, DEC("region0/interleave_ways"), "1"), 0);
	assert_int_equal(tb_write(tb, DEC("region0/size"), "0x100000000"), -ENXIO);
	assert_int_equal(tb_write(tb, DEC("region0/interleave_ways"), "2"), -EINVAL);
	assert_int_equal(tb_write(tb, DEC("region0/interleave_granularity"), "100"), -EINVAL);
	assert_int_equal(tb_write(tb, DEC("region0/interleave_granularity"), "256"), 0);
	/* the target needs a size first */
	assert_int_equal(tb_write(tb, DEC("region0/target0"), "decoder2.1"), -ENXIO);
	assert_int_equal(tb_write(tb, DEC("region0/size"), "0x1000000"), -EINVAL);
	assert_int_equal(tb_write(tb, DEC("region0/size"), "0x100000000"), 0);
	assert_int_equal(tb_write(tb, DEC("region0/interleave_granularity"), "512"), -EBUSY);
	/* not a DC decoder (ram mode), then a decoder behind the other bridge */
	assert_int_equal(tb_write(tb, DEC("region0/target0"), "decoder2.0"), -EINVAL);
	assert_int_equal(tb_write(tb, DEC("decoder4.1/mode"), "ram"), 0);
	assert_int_equal(tb_write(tb, DEC("decoder4.0/mode"), "dynamic_ram_1"), 0);
	assert_int_equal(tb_write(tb, DEC("decoder4.0/dpa_size"), "0x100000000"), 0);
	assert_int_equal(tb_write(tb, DEC("region0/target0"), "decoder4.0"), -ENXIO);
	assert_int_equal(tb_write(tb, DEC("region0/commit"), "1"), -ENXIO);
	assert_int_equal(tb_write(tb, DEC("region0/target0"), "decoder2.1"), 0);
	assert_string_equal(attr(tb, DEC("decoder2.1/region")), "region0");
	assert_int_equal(tb_write(tb, DEC("decoder2.1/dpa_size"), "0"), -EBUSY);
	assert_int_equal(tb_write(tb, DEC("region0/commit"), "1"), 0);

	/* commit only programs decoders: no dax side until the region binds */
	assert_false(exists(tb, DEC("dax_region0")));
	assert_false(exists(tb, DAX("dax0.0")));
	assert_int_equal(tb_write(tb, "/sys/bus/cxl/drivers/cxl_region/bind", "region7"), -ENODEV);
	assert_int_equal(tb_write(tb, "/sys/bus/cxl/drivers/cxl_region/bind", "region0"), 0);
	assert_true(exists(tb, DAXR0 "available_size"));
	assert_string_equal(attr(tb, DAXR0 "seed"), "");       /* a fresh region's seed is empty */
	assert_string_equal(attr(tb, DAX("dax0.0/size")), "0"); /* the probe's 0-size device */
	assert_string_equal(attr(tb, DAXR0 "align"), "2097152");
	assert_int_equal(tb_write(tb, "/sys/bus/cxl/drivers/cxl_region/bind", "region0"), -EBUSY);

	/* teardown, as cxl destroy-region: unbind, decommit, detach, free, delete */
	assert_int_equal(tb_write(tb, DEC("region0/commit"), "0"), -EBUSY);
	assert_int_equal(tb_write(tb, DEC("decoder0.1/delete_region"), "region0"), -EBUSY);
	assert_int_equal(tb_write(tb, "/sys/bus/cxl/drivers/cxl_region/unbind", "region0"), 0);
	assert_false(exists(tb, DAX("dax0.0")));
	assert_int_equal(tb_write(tb, DEC("region0/commit"), "0"), 0);
	assert_int_equal(tb_write(tb, DEC("region0/target0"), ""), 0);
	assert_int_equal(tb_write(tb, DEC("decoder2.1/dpa_size"), "0"), 0);
	assert_int_equal(tb_write(tb, DEC("decoder0.1/delete_region"), "region0"), 0);
	assert_false(exists(tb, DEC("region0")));
	assert_string_equal(attr(tb, DEC("decoder0.1/create_dynamic_ram_1_region")), "region0");
	tb_free(tb);
}

/* A bound DC region over mem1 (region0), made through the model. */
static void bound_region(struct tb *tb)
{
	assert_int_equal(tb_write(tb, DEC("decoder4.0/mode"), "dynamic_ram_1"), 0);
	assert_int_equal(tb_write(tb, DEC("decoder4.0/dpa_size"), "0x100000000"), 0);
	assert_int_equal(tb_write(tb, DEC("decoder0.2/create_dynamic_ram_1_region"), "region0"), 0);
	assert_int_equal(tb_write(tb, DEC("region0/interleave_granularity"), "256"), 0);
	assert_int_equal(tb_write(tb, DEC("region0/interleave_ways"), "1"), 0);
	assert_int_equal(tb_write(tb, DEC("region0/size"), "0x100000000"), 0);
	assert_int_equal(tb_write(tb, DEC("region0/target0"), "decoder4.0"), 0);
	assert_int_equal(tb_write(tb, DEC("region0/commit"), "1"), 0);
	assert_int_equal(tb_write(tb, "/sys/bus/cxl/drivers/cxl_region/bind", "region0"), 0);
}

/* `daxctl create-device --uuid`, then destroy-device, then the release. */
static void claiming_and_destroying_refuse_every_other_order(void **state)
{
	struct tb *tb = two_memdevs(TB_DC_V11);
	unsigned int ev;

	bound_region(tb);
	/* nothing to claim yet */
	assert_int_equal(tb_write(tb, DAXR0 "create", "1"), -ENOSPC);
	assert_false(exists(tb, DAX("dax0.1")));
	/* the device side: misaligned and out-of-range groups are dropped */
	assert_int_equal(tb_device_add(tb, 1, 1 * MiB, 1 * GiB, TAG), -EINVAL);
	assert_int_equal(tb_device_add(tb, 1, 4 * GiB, 2 * MiB, TAG), -ERANGE);
	assert_int_equal(tb_device_add(tb, 0, 0, 1 * GiB, TAG), -ENXIO); /* mem0 has no region */
	ev = tb_uevents(tb);
	assert_int_equal(tb_device_add(tb, 1, 0, 1 * GiB, TAG), 1);    /* extent0.1 */
	assert_int_equal(tb_uevents(tb), ev);                          /* extents raise none */
	assert_string_equal(attr(tb, DEC("dax_region0/extent0.1/uuid")), TAG);
	assert_int_equal(tb_device_add(tb, 1, 2 * GiB, 1 * GiB, TAG), -EEXIST); /* unique tags */
	assert_int_equal(tb_device_add(tb, 1, 512 * MiB, 1 * GiB, TAG2), -EINVAL); /* overlap */
	assert_string_equal(attr(tb, DAXR0 "available_size"), "1073741824");

	assert_int_equal(tb_write(tb, DAXR0 "create", "2"), -EINVAL);
	assert_int_equal(tb_write(tb, DAXR0 "create", "1"), 0);
	assert_int_equal(tb_uevents(tb), ev + 1); /* add */
	assert_string_equal(attr(tb, DAXR0 "seed"), "dax0.1");
	assert_string_equal(attr(tb, DAX("dax0.1/size")), "0");
	/* a 0-size device refuses to bind; an unknown tag claims nothing */
	assert_int_equal(tb_write(tb, "/sys/bus/dax/drivers/device_dax/bind", "dax0.1"), -ENXIO);
	assert_int_equal(tb_write(tb, DAX("dax0.1/uuid"), TAG2), -ENOENT);
	assert_int_equal(tb_write(tb, DAX("dax0.1/uuid"), "not-a-uuid"), -EINVAL);
	assert_string_equal(attr(tb, DAX("dax0.1/size")), "0");
	assert_int_equal(tb_write(tb, DAX("dax0.1/uuid"), TAG), 0);
	assert_string_equal(attr(tb, DAX("dax0.1/size")), "1073741824");
	assert_string_equal(attr(tb, DAX("dax0.1/uuid")), TAG);
	assert_string_equal(attr(tb, DAXR0 "available_size"), "0");
	/* already sized: EBUSY */
	assert_int_equal(tb_write(tb, DAX("dax0.1/uuid"), TAG), -EBUSY);
	/* a release of a claimed group: dropped, nothing changes */
	assert_int_equal(tb_device_release(tb, 1, TAG), -EBUSY);
	assert_true(exists(tb, DEC("dax_region0/extent0.1/length")));
	assert_string_equal(attr(tb, DAX("dax0.1/size")), "1073741824");

	assert_int_equal(tb_write(tb, "/sys/bus/dax/drivers/device_dax/new_id", "dax0.1"), 0);
	assert_int_equal(tb_write(tb, "/sys/bus/dax/drivers/device_dax/bind", "dax0.1"), 0);
	assert_int_equal(tb_uevents(tb), ev + 2); /* bind */
	assert_string_equal(attr(tb, DAXR0 "seed"), ""); /* cleared when the seed binds */
	assert_int_equal(tb_write(tb, "/sys/bus/dax/drivers/fsdev_dax/bind", "dax0.1"), -EBUSY);
	/* destroy: unbind, size 0, delete, in that order only */
	assert_int_equal(tb_write(tb, DAX("dax0.1/size"), "0"), -EBUSY);
	assert_int_equal(tb_write(tb, DAXR0 "delete", "dax0.1"), -EBUSY);
	assert_int_equal(tb_write(tb, "/sys/bus/dax/drivers/fsdev_dax/unbind", "dax0.1"), -ENODEV);
	assert_int_equal(tb_write(tb, "/sys/bus/dax/drivers/device_dax/unbind", "dax0.1"), 0);
	assert_int_equal(tb_device_release(tb, 1, TAG), -EBUSY); /* unbound but still claimed */
	assert_int_equal(tb_write(tb, DAXR0 "delete", "dax0.1"), -EBUSY);
	assert_int_equal(tb_write(tb, DAX("dax0.1/size"), "0x40000000"), -EOPNOTSUPP);
	assert_int_equal(tb_write(tb, DAX("dax0.1/size"), "0"), 0);
	assert_string_equal(attr(tb, DAXR0 "available_size"), "1073741824");
	assert_int_equal(tb_write(tb, DAXR0 "delete", "dax0.0"), -EBUSY); /* never deleted */
	assert_true(exists(tb, DAX("dax0.0")));
	assert_int_equal(tb_write(tb, DAXR0 "delete", "dax0.1"), 0);
	assert_false(exists(tb, DAX("dax0.1")));
	assert_int_equal(tb_uevents(tb), ev + 4); /* unbind, remove */
	/* now the release is answered */
	assert_int_equal(tb_device_release(tb, 1, TAG), 0);
	assert_false(exists(tb, DEC("dax_region0/extent0.1")));
	assert_int_equal(tb_device_release(tb, 1, TAG), -ENOENT);
	assert_string_equal(attr(tb, DAXR0 "available_size"), "0");
	tb_free(tb);
}

/* uuid with the region driver unbound: ENXIO; an injected fault changes
 * nothing and is used once. */
static void uuid_needs_the_region_driver(void **state)
{
	struct tb *tb = two_memdevs(TB_DC_V11);

	bound_region(tb);
	assert_int_equal(tb_device_add(tb, 1, 0, 1 * GiB, TAG), 1);
	assert_int_equal(tb_write(tb, DAXR0 "create", "1"), 0);
	tb_fail_next(tb, "/uuid", EIO);
	assert_int_equal(tb_write(tb, DAX("dax0.1/uuid"), TAG), -EIO);
	assert_string_equal(attr(tb, DAX("dax0.1/size")), "0");
	tb_unbind_dax_region(tb, 0);
	assert_int_equal(tb_write(tb, DAX("dax0.1/uuid"), TAG), -ENXIO);
	assert_int_equal(tb_write(tb, DAXR0 "create", "1"), -ENXIO);
	tb_free(tb);
}

/* The generations: v10 reads "0" for no tag; before v10 there is no dax
 * uuid attribute to claim with, and extents call the tag "tag". */
static void generations_differ_where_the_series_did(void **state)
{
	struct tb *tb = tb_new(TB_DC_V10);

	tb_add_memdev(tb, &(struct tb_memdev){ .id = 0, .serial = 1, .numa_node = -1,
		      .dc_size = 4 * GiB });
	tb_add_dc_region(tb, 0, 0, 4 * GiB);
	assert_true(exists(tb, DEC("mem0/dynamic_ram_a/size")));
	assert_string_equal(attr(tb, DAX("dax0.0/uuid")), "0");
	assert_int_equal(tb_device_add(tb, 0, 0, 2 * MiB, NULL), 1);
	assert_false(exists(tb, DEC("dax_region0/extent0.1/uuid"))); /* hidden when null */
	tb_free(tb);

	tb = tb_new(TB_DC_V9);
	tb_add_memdev(tb, &(struct tb_memdev){ .id = 0, .serial = 1, .numa_node = -1,
		      .dc_size = 4 * GiB });
	tb_add_dc_region(tb, 0, 0, 4 * GiB);
	assert_false(exists(tb, DAX("dax0.0/uuid")));
	assert_int_equal(tb_write(tb, DAX("dax0.0/uuid"), TAG), -ENOENT);
	assert_int_equal(tb_device_add(tb, 0, 0, 2 * MiB, TAG), 1);
	assert_string_equal(attr(tb, DEC("dax_region0/extent0.1/tag")), TAG);
	tb_free(tb);

	tb = tb_new(TB_DC_V4);
	tb_add_memdev(tb, &(struct tb_memdev){ .id = 0, .serial = 1, .numa_node = -1,
		      .dc_size = 4 * GiB });
	assert_string_equal(attr(tb, DEC("mem0/dc0/size")), "0x100000000");
	assert_true(exists(tb, DEC("decoder0.1/create_dc_region")));
	tb_free(tb);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(region_creation_refuses_every_other_order),
		cmocka_unit_test(claiming_and_destroying_refuse_every_other_order),
		cmocka_unit_test(uuid_needs_the_region_driver),
		cmocka_unit_test(generations_differ_where_the_series_did),
	};

	tb_reexec(argv);
	return cmocka_run_group_tests_name("the testbed's kernel model", tests, NULL, NULL);
}
