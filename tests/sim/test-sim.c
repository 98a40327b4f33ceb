// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulator's host side and its operational knobs (plugins/sim/,
 * lib/platform-sim.c): what a simulated host's kernel shows after the FM
 * offers capacity, which extent groups it drops and why, claiming a tag as
 * a dax device whose bytes are the backing file's, a release dropped while
 * a dax device claims the tag, forced release refused, sanitize, the fault knobs, and two hosts in two processes
 * sharing one tag without corrupting the state.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>
#include "tests/lib/fmtest.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static char dir[256], uri[300];
static struct fc_ctx *ctx;


static void mktag(uuid_t t, int n)
{
	memset(t, 0xb0, sizeof(uuid_t));
	t[14] = (uint8_t)(n >> 8);
	t[15] = (uint8_t)n;
}

/* A fresh fabric (4 x 1 GiB unless p says otherwise), host 0 attached. */
static void fabric(struct famfsctl_fm_create p)
{
	static int n;

	if (!p.devices)
		p.devices = 4;
	if (!p.capacity)
		p.capacity = GiB;
	snprintf(dir, sizeof(dir), "%s/f%d", fmt_root, n++);
	snprintf(uri, sizeof(uri), "sim:%s", dir);
	assert_int_equal(fc_fabric_create(ctx, uri, &p), 0);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
	assert_string_equal(fc_get_platform(ctx), "sim");
}

static int setup(void **state)
{
	ctx = fmt_ctx_new();
	/* the hosts' kernel messages (dropped groups) are warnings */
	fc_set_log_priority(ctx, LOG_WARNING);
	return 0;
}

static int teardown(void **state)
{
	fmt_ctx_free(ctx);
	return 0;
}

static int add(uint32_t dev, uint16_t host, int policy, uint64_t len, int tag)
{
	struct famfsctl_fm_add a = { .host = host, .policy = (uint8_t)policy, .length = len };

	mktag(a.tag, tag);
	if (fc_fabric_add(ctx, dev, &a) < 0)
		return fc_fabric_get_status(ctx) ? fc_fabric_get_status(ctx) : -1;
	return 0;
}

static int release(uint32_t dev, uint16_t host, int tag, uint8_t flags)
{
	struct famfsctl_fm_release r = { .host = host, .flags = flags };

	mktag(r.tag, tag);
	if (fc_fabric_release(ctx, dev, &r) < 0)
		return fc_fabric_get_status(ctx) ? fc_fabric_get_status(ctx) : -1;
	return 0;
}

static struct famfsctl_fm_tag tag_state(uint32_t dev, int tag)
{
	struct famfsctl_fm_tag t[16], none = { 0 };
	struct famfsctl_fm_page pg = { .max = 16 };
	uuid_t want;

	mktag(want, tag);
	assert_int_equal(fc_fabric_tags(ctx, dev, &pg, t), 0);
	for (uint32_t i = 0; i < pg.returned; i++)
		if (!uuid_compare(t[i].tag, want))
			return t[i];
	return none;
}

static int count_extents(void)
{
	struct fc_extent *e;
	int n = 0;

	assert_int_equal(fc_refresh(ctx), 0);
	fc_extent_foreach(ctx, e)
		n++;
	return n;
}

static struct fc_dax_region *region(int id)
{
	struct fc_dax_region *r;

	fc_dax_region_foreach(ctx, r)
		if (fc_dax_region_get_id(r) == id)
			return r;
	fail_msg("no dax region %d", id);
	return NULL;
}

/* ---- what the host sees ------------------------------------------------ */

static void test_host_topology(void **state)
{
	struct fc_memdev *m;
	struct fc_extent *e;
	struct fc_dax_region *r;
	uuid_t got, want;
	int n = 0;

	fabric((struct famfsctl_fm_create){ .ports = 2 });
	assert_int_equal(fc_refresh(ctx), 0);
	fc_memdev_foreach(ctx, m) {
		char name[16];

		snprintf(name, sizeof(name), "mem%d", n);
		assert_string_equal(fc_memdev_get_name(m), name);
		assert_int_equal(fc_memdev_get_dc_size(m), GiB);
		assert_string_equal(fc_memdev_get_dc_partition(m), "dynamic_ram_1");
		/* devices spread over the ports round-robin: failure domains */
		assert_string_equal(fc_memdev_get_host_bridge(m), n % 2 ? "port1" : "port0");
		n++;
	}
	assert_int_equal(n, 4);
	assert_int_equal(count_extents(), 0);

	assert_int_equal(add(2, 0, 0, 64 * MiB, 1), 0);
	/* another host's capacity is not ours */
	assert_int_equal(add(1, 3, 0, 64 * MiB, 2), 0);
	assert_int_equal(count_extents(), 1);
	e = fc_extent_get_first(ctx);
	assert_string_equal(fc_extent_get_name(e), "extent2.0");
	assert_int_equal(fc_extent_get_length(e), 64 * MiB);
	assert_true(fc_extent_get_tag(e, got));
	mktag(want, 1);
	assert_memory_equal(got, want, 16);
	r = fc_extent_get_dax_region(e);
	assert_true(fc_dax_region_is_dc(r));
	assert_int_equal(fc_dax_region_get_available_size(r), 64 * MiB);
	assert_string_equal(fc_memdev_get_name(fc_dax_region_get_memdev(r)), "mem2");
}

static void test_claim_and_bytes(void **state)
{
	struct famfsctl_fm_extent x[2] = { { .dpa = 512 * MiB, .length = 2 * MiB },
					   { .dpa = 4 * MiB, .length = 2 * MiB } };
	struct famfsctl_fm_add a = { .policy = FM_ADD_PRESCRIPTIVE, .nextents = 2, .extents = x };
	struct fc_dax_dev *dev, *again;
	struct fc_media *m;
	uint8_t *p, buf[16];
	uuid_t t, got;
	char img[300];
	int fd;

	fabric((struct famfsctl_fm_create){ 0 });
	mktag(a.tag, 7);
	mktag(t, 7);
	assert_int_equal(fc_fabric_add(ctx, 1, &a), 0);
	assert_int_equal(fc_refresh(ctx), 0);
	assert_int_equal(fc_dax_region_create_dev(region(1), t, &dev), 0);
	assert_string_equal(fc_dax_dev_get_name(dev), "dax1.1");
	assert_int_equal(fc_dax_dev_get_size(dev), 4 * MiB);
	assert_int_equal(fc_dax_dev_get_mode(dev), FC_DAX_MODE_DEVDAX);
	assert_true(fc_dax_dev_get_uuid(dev, got));
	assert_memory_equal(got, t, 16);
	assert_int_equal(fc_dax_region_get_available_size(region(1)), 0);
	/* one tag, one dax device */
	assert_int_equal(fc_dax_region_create_dev(region(1), t, &again), -EBUSY);
	mktag(t, 8);
	assert_int_equal(fc_dax_region_create_dev(region(1), t, &again), -ENOENT);
	assert_non_null(strstr(fmt_log, "no extents tagged"));

	/* the dax device's bytes are the extents, in order, in the backing file */
	dev = fc_dax_dev_find(ctx, "dax1.1");
	assert_int_equal(fc_dax_dev_open_media(dev, true, &m), 0);
	assert_int_equal(fc_media_get_size(m), 4 * MiB);
	p = fc_media_get_addr(m);
	memcpy(p + 100, "first-extent", 12);
	memcpy(p + 2 * MiB + 7, "second-extent", 13);
	fc_media_close(m);
	snprintf(img, sizeof(img), "%s/dcd1.img", dir);
	fd = open(img, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, 12, 512 * MiB + 100), 12);
	assert_memory_equal(buf, "first-extent", 12);
	assert_int_equal(pread(fd, buf, 13, 4 * MiB + 7), 13);
	assert_memory_equal(buf, "second-extent", 13);
	close(fd);

	/* famfs mode, and back */
	assert_int_equal(fc_dax_dev_set_mode(dev, FC_DAX_MODE_FAMFS), 0);
	dev = fc_dax_dev_find(ctx, "dax1.1");
	assert_int_equal(fc_dax_dev_get_mode(dev), FC_DAX_MODE_FAMFS);
	assert_int_equal(fc_dax_dev_set_mode(dev, FC_DAX_MODE_SYSTEM_RAM), -EOPNOTSUPP);
	assert_int_equal(fc_dax_dev_destroy(dev), 0);
	assert_null(fc_dax_dev_find(ctx, "dax1.1"));
	assert_int_equal(fc_dax_region_get_available_size(region(1)), 4 * MiB);
}

/* ---- the kernel's acceptance rules ---------------------------------------- */

static void test_drop_duplicate_tag(void **state)
{
	struct famfsctl_fm_tag t;

	fabric((struct famfsctl_fm_create){ 0 });
	assert_int_equal(add(0, 0, 0, 4 * MiB, 1), 0);
	/* the FM grants the same tag on another device; the host drops it */
	assert_int_equal(add(3, 0, 0, 4 * MiB, 1), 0);
	assert_int_equal(count_extents(), 1);
	t = tag_state(3, 1);
	assert_int_equal(t.length, 0); /* gone from the fabric: capacity free */
	assert_non_null(strstr(fmt_log, "host 0: mem3: dropped the extent group tagged"));
	assert_non_null(strstr(fmt_log, "already present on mem0"));
	/* another host may have it */
	assert_int_equal(add(3, 1, 0, 4 * MiB, 1), 0);
	assert_int_equal(tag_state(3, 1).hosts, 1ULL << 1);
}

static void test_drop_unaligned(void **state)
{
	fabric((struct famfsctl_fm_create){ .block_size = 1 * MiB });
	/* a 1 MiB block is fine for the FM, not for the kernel */
	assert_int_equal(add(0, 0, 0, 1 * MiB, 1), 0);
	assert_int_equal(count_extents(), 0);
	assert_non_null(strstr(fmt_log, "is not 2 MiB aligned"));
	assert_int_equal(add(0, 0, 0, 2 * MiB, 2), 0);
	assert_int_equal(count_extents(), 1);
}

static void test_drop_too_many_extents(void **state)
{
	struct famfsctl_fm_extent x[101];
	struct famfsctl_fm_add a = { .policy = FM_ADD_PRESCRIPTIVE, .extents = x };

	fabric((struct famfsctl_fm_create){ 0 });
	for (int i = 0; i < 101; i++)
		x[i] = (struct famfsctl_fm_extent){ .dpa = (uint64_t)i * 4 * MiB, .length = 2 * MiB };
	mktag(a.tag, 1);
	a.nextents = 101;
	assert_int_equal(fc_fabric_add(ctx, 0, &a), 0);
	assert_int_equal(count_extents(), 0);
	assert_non_null(strstr(fmt_log, "101 extents, more than the 100"));
	mktag(a.tag, 2);
	a.nextents = 100;
	assert_int_equal(fc_fabric_add(ctx, 0, &a), 0);
	assert_int_equal(count_extents(), 100);
}

/* ---- release from the host's side ------------------------------------------- */

static void test_release_dropped_while_claimed(void **state)
{
	struct fc_dax_dev *dev;
	struct famfsctl_fm_tag t;
	uuid_t tag;

	fabric((struct famfsctl_fm_create){ 0 });
	mktag(tag, 3);
	assert_int_equal(add(0, 0, 0, 8 * MiB, 3), 0);
	assert_int_equal(fc_refresh(ctx), 0);
	assert_int_equal(fc_dax_region_create_dev(region(0), tag, &dev), 0);
	assert_int_equal(release(0, 0, 3, FM_RELEASE_TAG_BASED), 0);
	/* in use: the host's kernel drops the release; nothing is queued */
	t = tag_state(0, 3);
	assert_int_equal(t.hosts, 1);
	assert_int_equal(t.releasing, 0);
	assert_int_equal(count_extents(), 1);
	assert_non_null(strstr(fmt_log, "dropped the release of tag"));
	dev = fc_dax_dev_find(ctx, "dax0.1");
	assert_int_equal(fc_dax_dev_destroy(dev), 0);
	/* destroying the device does not complete it by itself */
	assert_int_equal(tag_state(0, 3).hosts, 1);
	assert_int_equal(count_extents(), 1);
	assert_int_equal(release(0, 0, 3, FM_RELEASE_TAG_BASED), 0);
	assert_int_equal(tag_state(0, 3).length, 0);
	assert_int_equal(count_extents(), 0);
}

static void test_release_forced_refused_then_sanitize(void **state)
{
	struct fc_dax_dev *dev;
	struct fc_media *m;
	char img[300], buf[8];
	uuid_t tag;
	int fd;

	fabric((struct famfsctl_fm_create){ 0 });
	mktag(tag, 4);
	assert_int_equal(add(2, 0, 0, 2 * MiB, 4), 0);
	assert_int_equal(fc_refresh(ctx), 0);
	assert_int_equal(fc_dax_region_create_dev(region(2), tag, &dev), 0);
	assert_int_equal(fc_dax_dev_open_media(dev, true, &m), 0);
	memcpy(fc_media_get_addr(m), "secret!", 8);
	fc_media_close(m);
	/* forced: supported by no kernel or device, refused */
	assert_int_equal(release(2, 0, 4, FM_RELEASE_TAG_BASED | FM_RELEASE_FORCED),
			 FM_RC_UNSUPPORTED);
	assert_int_equal(count_extents(), 1);
	dev = fc_dax_dev_find(ctx, "dax2.1");
	assert_int_equal(fc_dax_dev_destroy(dev), 0);
	assert_int_equal(release(2, 0, 4, FM_RELEASE_TAG_BASED | FM_RELEASE_SANITIZE), 0);
	assert_int_equal(count_extents(), 0);
	assert_null(fc_dax_dev_find(ctx, "dax2.1"));
	snprintf(img, sizeof(img), "%s/dcd2.img", dir);
	fd = open(img, O_RDONLY);
	assert_int_equal(pread(fd, buf, 8, 0), 8);
	close(fd);
	assert_memory_equal(buf, "\0\0\0\0\0\0\0\0", 8);
}

static void test_release_keeps_bytes_without_sanitize(void **state)
{
	struct fc_dax_dev *dev;
	struct fc_media *m;
	uuid_t tag;

	fabric((struct famfsctl_fm_create){ 0 });
	mktag(tag, 5);
	assert_int_equal(add(0, 0, 0, 2 * MiB, 5), 0);
	assert_int_equal(fc_refresh(ctx), 0);
	assert_int_equal(fc_dax_region_create_dev(region(0), tag, &dev), 0);
	assert_int_equal(fc_dax_dev_open_media(dev, true, &m), 0);
	memcpy(fc_media_get_addr(m), "kept", 4);
	fc_media_close(m);
	assert_int_equal(fc_dax_dev_destroy(fc_dax_dev_find(ctx, "dax0.1")), 0);
	assert_int_equal(release(0, 0, 5, FM_RELEASE_TAG_BASED), 0);
	/* the same DPA given again shows the old bytes: no sanitize asked */
	assert_int_equal(add(0, 0, 0, 2 * MiB, 6), 0);
	mktag(tag, 6);
	assert_int_equal(fc_refresh(ctx), 0);
	assert_int_equal(fc_dax_region_create_dev(region(0), tag, &dev), 0);
	assert_int_equal(fc_dax_dev_open_media(dev, false, &m), 0);
	assert_memory_equal(fc_media_get_addr(m), "kept", 4);
	fc_media_close(m);
}

/* ---- fault knobs ----------------------------------------------------------- */

static void test_fault_fail(void **state)
{
	fabric((struct famfsctl_fm_create){ 0 });
	setenv("FAMFSCTL_SIM_FAULTS", "fail=2:0x1d", 1);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0); /* knobs are read at open */
	assert_int_equal(add(0, 0, 0, 2 * MiB, 1), 0);
	assert_int_equal(add(1, 0, 0, 2 * MiB, 2), FM_RC_RESOURCES_EXHAUSTED);
	assert_non_null(strstr(fmt_log, "fault fail=2"));
	assert_int_equal(tag_state(1, 2).length, 0); /* nothing changed */
	assert_int_equal(add(1, 0, 0, 2 * MiB, 2), 0);
	/* refused commands do not count; releases do */
	assert_int_equal(add(1, 0, 0, 3 * MiB, 3), FM_RC_INVALID_INPUT);
	assert_int_equal(release(1, 0, 2, FM_RELEASE_TAG_BASED), 0);
}

static void test_fault_partial(void **state)
{
	fabric((struct famfsctl_fm_create){ 0 });
	setenv("FAMFSCTL_SIM_FAULTS", "partial=2", 1);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
	assert_int_equal(add(0, 0, 0, 2 * MiB, 1), 0);
	assert_int_equal(add(1, 0, 0, 2 * MiB, 2), 0);
	assert_int_equal(add(2, 0, 0, 2 * MiB, 3), FM_RC_RESOURCES_EXHAUSTED);
	assert_int_equal(add(3, 0, 0, 2 * MiB, 4), FM_RC_RESOURCES_EXHAUSTED);
	assert_int_equal(count_extents(), 2);
}

static void test_fault_delay(void **state)
{
	struct timespec ts = { 1, 300 * 1000 * 1000 };

	fabric((struct famfsctl_fm_create){ 0 });
	setenv("FAMFSCTL_SIM_FAULTS", "delay=1000", 1);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
	assert_int_equal(add(0, 0, 0, 2 * MiB, 1), 0);
	assert_int_equal(count_extents(), 0);
	assert_int_equal(tag_state(0, 1).pending, 1);
	nanosleep(&ts, NULL);
	assert_int_equal(count_extents(), 1);
	assert_int_equal(tag_state(0, 1).hosts, 1);
}

static void test_fault_knob_errors(void **state)
{
	fabric((struct famfsctl_fm_create){ 0 });
	setenv("FAMFSCTL_SIM_FAULTS", "explode=1", 1);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), -EINVAL);
	assert_non_null(strstr(fmt_log, "unknown fault 'explode'"));
	setenv("FAMFSCTL_SIM_FAULTS", "delay=soon", 1);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), -EINVAL);
	assert_non_null(strstr(fmt_log, "delay: 'soon' is not a number"));
}

/* State-file knobs count across processes (here: two contexts). */
static void test_fault_in_state_file(void **state)
{
	char path[300];
	json_object *st, *f;

	fabric((struct famfsctl_fm_create){ 0 });
	snprintf(path, sizeof(path), "%s/state.json", dir);
	st = json_object_from_file(path);
	assert_non_null(st);
	assert_true(json_object_object_get_ex(st, "faults", &f));
	json_object_object_add(f, "fail", json_object_new_int(1));
	assert_int_equal(json_object_to_file(path, st), 0);
	json_object_put(st);
	assert_int_equal(add(0, 0, 0, 2 * MiB, 1), FM_RC_INTERNAL_ERROR);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
	assert_int_equal(add(0, 0, 0, 2 * MiB, 1), 0);
}

/* ---- errors about the state directory ------------------------------------- */

static void test_state_errors(void **state)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "sim:%s/nowhere", fmt_root);
	assert_int_equal(fc_set_fabric(ctx, path, 0), -ENOENT);
	assert_non_null(strstr(fmt_log, "no simulated fabric here"));

	fabric((struct famfsctl_fm_create){ 0 });
	assert_int_equal(fc_fabric_create(ctx, uri, &(struct famfsctl_fm_create){
		.devices = 1, .capacity = GiB }), -EEXIST);
	snprintf(path, sizeof(path), "%s/state.json", dir);
	f = fopen(path, "w");
	fputs("{\"famfsctl_sim\": 1, \"hosts\": \"many\"}", f);
	fclose(f);
	fmt_log_clear();
	assert_int_equal(fc_refresh(ctx), -EINVAL);
	assert_non_null(strstr(fmt_log, "damaged state: 'hosts': missing or not of type int"));

	/* bad create parameters change nothing */
	snprintf(path, sizeof(path), "sim:%s/bad", fmt_root);
	assert_int_equal(fc_fabric_create(ctx, path, &(struct famfsctl_fm_create){
		.devices = 1, .capacity = 100 * MiB }), -EINVAL);
	assert_non_null(strstr(fmt_log, "multiple of 256 MiB"));
	assert_int_equal(fc_fabric_create(ctx, path, &(struct famfsctl_fm_create){
		.devices = 1, .capacity = GiB, .block_size = 3 * MiB }), -EINVAL);
	snprintf(path, sizeof(path), "%s/bad", fmt_root);
	assert_int_equal(access(path, F_OK), -1);
}

/* ---- two hosts, two processes, one tag ------------------------------------- */

#define ROUNDS 150

/* One host's loop: take the shared tag, let it go; returns failures. */
static int host_loop(uint16_t host)
{
	struct fc_ctx *c;
	int failures = 0;

	if (fc_new(&c) < 0 || fc_set_fabric(c, uri, host) < 0)
		return ROUNDS;
	for (int i = 0; i < ROUNDS; i++) {
		struct famfsctl_fm_add a = { .host = host, .policy = FM_ADD_SHARED };
		struct famfsctl_fm_release r = { .host = host };
		struct famfsctl_fm_add own = { .host = host, .policy = FM_ADD_FREE,
					       .length = 2 * MiB };

		mktag(a.tag, 1);
		mktag(r.tag, 1);
		failures += fc_fabric_add(c, 0, &a) < 0;
		failures += fc_fabric_release(c, 0, &r) < 0;
		/* and some capacity of its own on the same device */
		mktag(own.tag, 100 + host * ROUNDS + i);
		failures += fc_fabric_add(c, 0, &own) < 0;
		memcpy(r.tag, own.tag, 16);
		failures += fc_fabric_release(c, 0, &r) < 0;
	}
	fc_unref(c);
	return failures;
}

static void test_two_hosts_share_concurrently(void **state)
{
	pid_t pid[2];
	struct famfsctl_fm_tag t;
	struct famfsctl_fm_dcd_info info;
	char path[300];
	json_object *st;
	uuid_t tag;

	fabric((struct famfsctl_fm_create){ .sharable = true });
	mktag(tag, 1);
	/* the FM creates the tag and pins it so it outlives every host */
	assert_int_equal(add(0, 5, FM_ADD_FREE, 64 * MiB, 1), 0);
	assert_int_equal(fc_fabric_add_ref(ctx, 0, tag), 0);
	assert_int_equal(release(0, 5, 1, FM_RELEASE_TAG_BASED), 0);

	for (int h = 0; h < 2; h++) {
		pid[h] = fork();
		assert_true(pid[h] >= 0);
		if (pid[h] == 0)
			_exit(host_loop((uint16_t)(h + 1)) ? 1 : 0);
	}
	for (int h = 0; h < 2; h++) {
		int status;

		assert_int_equal(waitpid(pid[h], &status, 0), pid[h]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	/* the state file is whole, and says what both loops left */
	snprintf(path, sizeof(path), "%s/state.json", dir);
	st = json_object_from_file(path);
	assert_non_null(st);
	json_object_put(st);
	t = tag_state(0, 1);
	assert_int_equal(t.length, 64 * MiB);
	assert_true(t.fm_ref);
	assert_int_equal(t.hosts, 0);
	/* nothing leaked: the tag is the only allocation */
	assert_int_equal(fc_fabric_dcd_info(ctx, 0, &info), 0);
	assert_int_equal(add(0, 1, FM_ADD_FREE, GiB - 64 * MiB, 2), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_host_topology),
		T(test_claim_and_bytes),
		T(test_drop_duplicate_tag),
		T(test_drop_unaligned),
		T(test_drop_too_many_extents),
		T(test_release_dropped_while_claimed),
		T(test_release_forced_refused_then_sanitize),
		T(test_release_keeps_bytes_without_sanitize),
		T(test_fault_fail),
		T(test_fault_partial),
		T(test_fault_delay),
		T(test_fault_knob_errors),
		T(test_fault_in_state_file),
		T(test_state_errors),
		T(test_two_hosts_share_concurrently),
	};
	return fmt_run("sim", tests, sizeof(tests) / sizeof(tests[0]));
}
