// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where a policy stands (lib/state.c), the one answer `up`, `down` and
 * `udev` converge on: on the simulator, a policy is walked from nothing to a
 * formatted set and back, and after each step fc_policy_state() says what a
 * reader of the host would: members here, the set recorded, the file
 * system (only when asked for, and only once the set is complete), and no
 * mount (a FUSE mount is the command tests' business).
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
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>
#include "tests/lib/fmtest.h"

#define GiB (1ULL << 30)

static struct fc_ctx *ctx;
static struct fc_policy *policy;

static int setup(void **state)
{
	static const char text[] =
		"[members]\ncount = 2\n[capacity]\nmember_size = 4G\n"
		"[famfs]\nmount_point = /nonexistent/famfsctl-state-test\n";
	struct famfsctl_fm_create p = { .devices = 2, .capacity = 8 * GiB, .ports = 2 };
	char uri[128], dir[128];

	ctx = fmt_ctx_new();
	snprintf(uri, sizeof(uri), "sim:%s/fabric", fmt_root);
	snprintf(dir, sizeof(dir), "%s/state", fmt_root);
	setenv("FAMFSCTL_STATE_DIR", dir, 1);
	assert_int_equal(fc_fabric_create(ctx, uri, &p), 0);
	assert_int_equal(fc_set_fabric(ctx, uri, 0), 0);
	assert_int_equal(fc_policy_parse_buffer(ctx, "st", text, sizeof(text) - 1, &policy), 0);
	return 0;
}

static int teardown(void **state)
{
	fc_policy_unref(policy);
	fmt_ctx_free(ctx);
	return 0;
}

static struct fc_policy_state now(unsigned int flags)
{
	struct fc_policy_state st;

	assert_int_equal(fc_policy_state(ctx, policy, NULL, flags, &st), 0);
	return st;
}

static void a_policy_walks_from_nothing_to_a_file_system_and_back(void **state)
{
	struct fc_famfs_format_opts fo = { .log_len = 8ULL << 20 };
	struct fc_interleave_opts io = { .name = "st", .policy = policy };
	struct fc_policy_state st;
	json_object *r = NULL;
	uuid_t group;

	/* nothing yet */
	st = now(FC_STATE_FS);
	assert_int_equal(st.members_expected, 2);
	assert_int_equal(st.members_here, 0);
	assert_false(st.set_recorded);
	assert_int_equal(st.fs, FC_FS_UNKNOWN);
	assert_int_equal(st.mount, FC_MOUNT_NONE);

	/* allocated: both members here, no set */
	assert_int_equal(fc_alloc_policy(ctx, policy, 0, false, 0, &r), 0);
	json_object_put(r);
	st = now(FC_STATE_FS);
	assert_int_equal(st.members_here, 2);
	assert_false(st.set_recorded);
	assert_int_equal(st.fs, FC_FS_UNKNOWN);

	/* recorded: the file system is looked at only when asked for */
	assert_int_equal(fc_interleave_create(ctx, &io, NULL), 0);
	assert_true(fc_interleave_exists(ctx, "st"));
	st = now(0);
	assert_true(st.set_recorded);
	assert_int_equal(st.fs, FC_FS_UNKNOWN);
	assert_int_equal(now(FC_STATE_FS).fs, FC_FS_NONE);

	/* formatted */
	uuid_generate(fo.system_uuid);
	assert_int_equal(fc_famfs_format_set(ctx, "st", &fo, NULL), 0);
	assert_int_equal(now(FC_STATE_FS).fs, FC_FS_CLEAN);

	/* an append cut between its header stores (next_seqnum one ahead):
	 * not clean to fsck, but a file system up mounts (its master's open
	 * restores the header), not damage that stops it */
	{
		struct fc_famfs *fs;
		uint64_t *lh;
		size_t len;

		assert_int_equal(fc_famfs_open_set(ctx, "st", fo.system_uuid, &fs), 0);
		lh = (uint64_t *)fc_famfs_meta(fs, true, &len);
		lh[4]++; /* next_seqnum, offset 32 of the log header */
		fc_famfs_close(fs);
		assert_int_equal(fc_famfs_check_set(ctx, "st", NULL), -EUCLEAN);
		assert_int_equal(now(FC_STATE_FS).fs, FC_FS_CLEAN);
		assert_int_equal(fc_famfs_repair_spec(ctx, "st", fo.system_uuid, NULL), 0);
		assert_int_equal(fc_famfs_check_set(ctx, "st", NULL), 0);
	}

	/* and back: forgotten, released */
	assert_int_equal(fc_interleave_destroy(ctx, "st"), 0);
	assert_false(fc_interleave_exists(ctx, "st"));
	fc_policy_group(policy, group);
	assert_int_equal(fc_release(ctx, group, NULL), 0);
	st = now(FC_STATE_FS);
	assert_int_equal(st.members_here, 0);
	assert_false(st.set_recorded);
	assert_int_equal(st.fs, FC_FS_UNKNOWN);
}

static void a_mount_point_nobody_mounted_is_no_mount(void **state)
{
	assert_int_equal(fc_mount_state("st", "/"), FC_MOUNT_NONE);
	assert_int_equal(fc_mount_state("st", ""), FC_MOUNT_NONE);
	assert_int_equal(fc_mount_state("st", NULL), FC_MOUNT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_policy_walks_from_nothing_to_a_file_system_and_back,
						setup, teardown),
		cmocka_unit_test(a_mount_point_nobody_mounted_is_no_mount),
	};

	return fmt_run("state", tests, sizeof(tests) / sizeof(tests[0]));
}
