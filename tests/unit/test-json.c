// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON size values (lib/json.c fc_json_size): what `famfsctl list` prints
 * for every size field — a plain byte count for scripts, or with -u
 * (FC_JSON_HUMAN) a string in binary units, as fc_format_size() writes it.
 * NOTE: STYLE.md shows "64.00 GiB (68.72 GB)" for -u; lib/size.c prints
 * "64 GiB" without the decimal size. These tests pin today's behaviour;
 * whoever settles the format updates them together with test-size.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>

static void sizes_are_byte_counts_by_default(void **state)
{
	struct json_object *v = fc_json_size(64ULL << 30, 0);

	assert_non_null(v);
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_uint64(v), 64ULL << 30);
	json_object_put(v);
}

static void largest_size_survives_as_a_number(void **state)
{
	struct json_object *v = fc_json_size(UINT64_MAX, 0);

	assert_non_null(v);
	assert_int_equal(json_object_get_uint64(v), UINT64_MAX);
	assert_string_equal(json_object_to_json_string(v), "18446744073709551615");
	json_object_put(v);
}

static void human_sizes_are_strings_in_binary_units(void **state)
{
	struct json_object *v = fc_json_size(64ULL << 30, FC_JSON_HUMAN);

	assert_non_null(v);
	assert_true(json_object_is_type(v, json_type_string));
	assert_string_equal(json_object_get_string(v), "64 GiB");
	json_object_put(v);
	v = fc_json_size(3ULL << 29, FC_JSON_HUMAN);
	assert_string_equal(json_object_get_string(v), "1.50 GiB");
	json_object_put(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes_are_byte_counts_by_default),
		cmocka_unit_test(largest_size_survives_as_a_number),
		cmocka_unit_test(human_sizes_are_strings_in_binary_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
