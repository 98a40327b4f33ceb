// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl's command line as a user meets it: global options, exit codes
 * (0 ok, 1 failed, 2 usage), --help and --version. Runs the built binary
 * ($FAMFSCTL) and checks its exit status and what it printed where.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "tests/lib/testutil.h"
#ifdef HAVE_UMOCKDEV
#include <umockdev.h>
#endif

/* Run famfsctl with @argv (NULL-terminated, argv[0] ignored). */
static void run_famfsctl(struct run *r, char **argv)
{
	run_program(r, getenv("FAMFSCTL"), argv);
}

#define RUN(r, ...) run_famfsctl(r, (char *[]){ "famfsctl", __VA_ARGS__, NULL })

static void version_prints_package_version_and_exits_0(void **state)
{
	struct run r;

	RUN(&r, "--version");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "famfsctl " PACKAGE_VERSION "\n");
}

static void help_goes_to_stdout_and_exits_0(void **state)
{
	struct run r;

	RUN(&r, "--help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "usage: famfsctl"));
	assert_string_equal(r.errout, "");
}

static void no_command_is_a_usage_error(void **state)
{
	struct run r;

	run_famfsctl(&r, (char *[]){ "famfsctl", NULL });
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.errout, "usage: famfsctl"));
	assert_string_equal(r.out, "");
}

static void unknown_command_exits_2_naming_it(void **state)
{
	struct run r;

	RUN(&r, "frobnicate");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.errout, "'frobnicate' is not a famfsctl command"));
	assert_string_equal(r.out, "");
}

static void unknown_global_option_is_a_usage_error(void **state)
{
	struct run r;

	RUN(&r, "--no-such-option", "list");
	assert_int_equal(r.status, 2);
	assert_string_equal(r.out, "");
}

static void bad_host_id_is_refused_naming_the_value(void **state)
{
	/* white space on either side alike (issue 18: ' 1' passed, '1 ' not) */
	static const char *const bad[] = { "65536", "-1", "abc", "", "12x", " 1", "1 ", "+1", "\t1" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run r;
		char want[64];

		RUN(&r, "--host-id", (char *)bad[i], "list");
		assert_int_equal(r.status, 2);
		snprintf(want, sizeof(want), "--host-id: '%s' is not a host id", bad[i]);
		assert_non_null(strstr(r.errout, want));
		assert_string_equal(r.out, "");
	}
}

static void command_help_exits_0(void **state)
{
	struct run r;

	RUN(&r, "list", "--help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "list"));
}

static void global_options_are_accepted_after_the_command(void **state)
{
	struct run r;

	/* a bad value is refused wherever the option appears */
	RUN(&r, "list", "--host-id", "99999");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.errout, "--host-id: '99999'"));
	RUN(&r, "list", "-v", "--help");
	assert_int_equal(r.status, 0);
}

#ifdef HAVE_UMOCKDEV
/*
 * A machine with no CXL at all (an empty sysfs, as umockdev presents it)
 * is not an error: list prints an empty array and exits 0.
 */
static void list_without_cxl_prints_empty_array(void **state)
{
	const char *wrapper = getenv("UMOCKDEV_WRAPPER");
	UMockdevTestbed *tb = umockdev_testbed_new();
	struct run r;

	assert_non_null(tb);
	assert_non_null(wrapper);
	assert_non_null(getenv("UMOCKDEV_DIR")); /* inherited by the child */
	/* famfsctl may be an ASan build; the preload comes before libasan */
	setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 1);
	run_program(&r, wrapper, (char *[]){ "umockdev-wrapper",
		getenv("FAMFSCTL"), "list", NULL });
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "[]\n");
	run_program(&r, wrapper, (char *[]){ "umockdev-wrapper",
		getenv("FAMFSCTL"), "list", "-M", "-R", "-E", "-X", "-u", NULL });
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "[]\n");
	g_object_unref(tb);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(version_prints_package_version_and_exits_0),
		cmocka_unit_test(help_goes_to_stdout_and_exits_0),
		cmocka_unit_test(no_command_is_a_usage_error),
		cmocka_unit_test(unknown_command_exits_2_naming_it),
		cmocka_unit_test(unknown_global_option_is_a_usage_error),
		cmocka_unit_test(bad_host_id_is_refused_naming_the_value),
		cmocka_unit_test(command_help_exits_0),
		cmocka_unit_test(global_options_are_accepted_after_the_command),
#ifdef HAVE_UMOCKDEV
		cmocka_unit_test(list_without_cxl_prints_empty_array),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
