// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sizes in and out (lib/size.c). This is the manual for what `--size`
 * accepts: every suffix is a binary multiple, fractions must come out to
 * whole bytes, and anything else is refused rather than guessed at.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <famfsctl/libfamfsctl.h>

static uint64_t parse_ok(const char *s)
{
	uint64_t v = 0;

	assert_int_equal(fc_parse_size(s, &v), 0);
	return v;
}

static int parse_rc(const char *s)
{
	uint64_t v = 0xdeadbeef;
	int rc = fc_parse_size(s, &v);

	if (rc < 0) /* a refused size leaves the output alone */
		assert_int_equal(v, 0xdeadbeef);
	return rc;
}

static void plain_numbers_are_bytes(void **state)
{
	assert_int_equal(parse_ok("0"), 0);
	assert_int_equal(parse_ok("4096"), 4096);
	assert_int_equal(parse_ok("18446744073709551615"), UINT64_MAX);
	assert_int_equal(parse_ok("12B"), 12);
}

static void hex_is_accepted(void **state)
{
	assert_int_equal(parse_ok("0x200000"), 2ULL << 20);
	assert_int_equal(parse_ok("0X10"), 16);
	assert_int_equal(parse_ok("0x1G"), 1ULL << 30);
}

static void suffixes_are_binary(void **state)
{
	assert_int_equal(parse_ok("1K"), 1024);
	assert_int_equal(parse_ok("1k"), 1024);
	assert_int_equal(parse_ok("512M"), 512ULL << 20);
	assert_int_equal(parse_ok("2MiB"), 2ULL << 20);
	assert_int_equal(parse_ok("2MB"), 2ULL << 20);
	assert_int_equal(parse_ok("2Mi"), 2ULL << 20);
	assert_int_equal(parse_ok("64G"), 64ULL << 30);
	assert_int_equal(parse_ok("64g"), 64ULL << 30);
	assert_int_equal(parse_ok("2T"), 2ULL << 40);
	assert_int_equal(parse_ok("1P"), 1ULL << 50);
	assert_int_equal(parse_ok("1E"), 1ULL << 60);
}

static void fractions_must_be_whole_bytes(void **state)
{
	assert_int_equal(parse_ok("1.5G"), 3ULL << 29);
	assert_int_equal(parse_ok("0.5K"), 512);
	assert_int_equal(parse_ok("4.5T"), 9ULL << 39);
	assert_int_equal(parse_rc("4.6T"), -EINVAL); /* 5057647977676.8 bytes */
	assert_int_equal(parse_rc("1.3"), -EINVAL);   /* 1.3 bytes */
	assert_int_equal(parse_rc("1.0000001K"), -EINVAL);
	assert_int_equal(parse_rc("1."), -EINVAL);
}

static void malformed_sizes_are_refused(void **state)
{
	const char *bad[] = { "", " ", "G", "-1", "+1", "1X", "1GG", "1GiBs",
			      "1 G", "0x", "0xZ", "1.5.5", "abc", "1iB" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_rc(bad[i]) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
	}
	assert_int_equal(fc_parse_size(NULL, &(uint64_t){ 0 }), -EINVAL);
}

static void overflow_is_erange(void **state)
{
	assert_int_equal(parse_rc("18446744073709551616"), -ERANGE);
	assert_int_equal(parse_rc("16E"), -ERANGE);
	assert_int_equal(parse_rc("0x10000000000000000"), -ERANGE);
	assert_int_equal(parse_rc("17179869184G"), -ERANGE);
}

static void formatting_picks_the_largest_unit(void **state)
{
	char buf[FC_SIZE_STR_MAX];

	assert_string_equal(fc_format_size(0, buf, sizeof(buf)), "0 B");
	assert_string_equal(fc_format_size(1023, buf, sizeof(buf)), "1023 B");
	assert_string_equal(fc_format_size(2ULL << 20, buf, sizeof(buf)), "2 MiB");
	assert_string_equal(fc_format_size(64ULL << 30, buf, sizeof(buf)), "64 GiB");
	assert_string_equal(fc_format_size(3ULL << 29, buf, sizeof(buf)), "1.50 GiB");
	assert_string_equal(fc_format_size(UINT64_MAX, buf, sizeof(buf)), "16.00 EiB");
}

static void format_then_parse_round_trips(void **state)
{
	static const uint64_t sizes[] = { 1, 4096, 2ULL << 20, 256ULL << 20,
					  64ULL << 30, 5ULL << 40 };
	char buf[FC_SIZE_STR_MAX];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *sp;

		fc_format_size(sizes[i], buf, sizeof(buf));
		/* "64 GiB" -> "64GiB": the printed form is also valid input */
		sp = strchr(buf, ' ');
		memmove(sp, sp + 1, strlen(sp));
		assert_int_equal(parse_ok(buf), sizes[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_numbers_are_bytes),
		cmocka_unit_test(hex_is_accepted),
		cmocka_unit_test(suffixes_are_binary),
		cmocka_unit_test(fractions_must_be_whole_bytes),
		cmocka_unit_test(malformed_sizes_are_refused),
		cmocka_unit_test(overflow_is_erange),
		cmocka_unit_test(formatting_picks_the_largest_unit),
		cmocka_unit_test(format_then_parse_round_trips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
