// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile famfs images (issue 18): each crafted log or superblock that fsck
 * called clean, or that crashed a reader, is now a coded fsck finding, and
 * every reader (open read-only, open as master) refuses what fsck reports.
 * Crafted entries carry valid CRCs, so only the entry checks can tell.
 * Also: creat sizes whose rounding wraps, the reserved names, and a refresh
 * that finds the log damaged keeping the last good state.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "tests/lib/famfs-image.h"
#include "tests/lib/famfs-report.h"

#define MiB IMG_MiB
#define GiB IMG_GiB

static char dir[] = "/tmp/famfsctl-hostile-XXXXXX";
static struct fc_ctx *ctx;
static struct img im;

static void quiet(struct fc_ctx *c, int prio, const char *file, int line,
		  const char *fn, const char *fmt, va_list ap)
{
}

/*
 * The base image: 4 members; entries 0..2 ADD_DAXDEV, 3 MKDIR d, 4 FILE
 * d/small (one simple extent), 5 FILE big (interleaved, 4 strips of 2 MiB
 * chunks), 6 FILE f.
 */
static int base(void **state)
{
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .strips = 4, .mode = 0644 };
	struct fc_famfs *fs;

	if (img_create(ctx, &im, dir, 4, 256 * MiB) < 0 ||
	    fc_famfs_open(ctx, im.pp, 4, im.master, &fs) < 0)
		return -1;
	if (fc_famfs_mkdir(fs, "d", 0755, 0, 0) < 0 ||
	    fc_famfs_creat(fs, "d/small", 4096, &fo) < 0 ||
	    fc_famfs_creat(fs, "big", 40 * MiB, &fo) < 0 ||
	    fc_famfs_creat(fs, "f", 4096, &fo) < 0 ||
	    fc_famfs_pwrite(fs, "big", "hello", 5, 0) != 5)
		return -1;
	fc_famfs_close(fs);
	if (ENT32(&im, 5, FM_TYPE) != 1 || ENT64(&im, 5, FM_NSTRIPS) != 4 ||
	    fc_famfs_check(ctx, im.pp, 4, NULL) != 0)
		return -1;
	return 0;
}

static int unbase(void **state)
{
	img_destroy(&im);
	return 0;
}

/* fsck reports `code` (among its problems), and open refuses the image. */
static void refused_with(const char *code)
{
	struct json_object *r = NULL, *probs;
	struct fc_famfs *fs = NULL;
	bool found = false;

	assert_int_equal(fc_famfs_check(ctx, im.pp, im.n, &r), -EUCLEAN);
	assert_false(json_object_get_boolean(json_object_object_get(r, "clean")));
	probs = json_object_object_get(r, "problems");
	for (size_t i = 0; i < json_object_array_length(probs); i++)
		found |= !strcmp(problem_field(r, i, "code"), code);
	if (!found)
		fail_msg("no finding '%s' in %s", code, json_object_to_json_string(r));
	json_object_put(r);
	assert_int_equal(fc_famfs_open(ctx, im.pp, im.n, NULL, &fs), -EUCLEAN);
	assert_int_equal(fc_famfs_open(ctx, im.pp, im.n, im.master, &fs), -EUCLEAN);
}

/* ---- item 9: crafted extents that crashed readers ---- */

static void an_extent_whose_end_wraps(void **state)
{
	ENT64(&im, 4, FM_SE(0) + 8) = UINT64_MAX - 2 * MiB + 1; /* 2 MiB aligned */
	ENT64(&im, 4, FM_SE(0) + 16) = 4 * MiB;
	img_fix_entry(&im, 4);
	refused_with("extent-bounds");
}

static void an_extent_past_its_member(void **state)
{
	ENT64(&im, 4, FM_SE(0)) = 1; /* 256 MiB */
	ENT64(&im, 4, FM_SE(0) + 8) = 254 * MiB;
	ENT64(&im, 4, FM_SE(0) + 16) = 4 * MiB;
	img_fix_entry(&im, 4);
	refused_with("extent-bounds");
}

static void an_extent_on_no_member(void **state)
{
	ENT64(&im, 4, FM_SE(0)) = 4;
	img_fix_entry(&im, 4);
	refused_with("extent-bounds");
}

static void an_interleaved_chunk_of_zero(void **state)
{
	ENT64(&im, 5, FM_CHUNK) = 0;
	img_fix_entry(&im, 5);
	refused_with("extent-chunk");
}

static void a_chunk_not_a_power_of_two(void **state)
{
	ENT64(&im, 5, FM_CHUNK) = 3 * MiB;
	img_fix_entry(&im, 5);
	refused_with("extent-chunk");
}

static void a_strip_shorter_than_its_chunk(void **state)
{
	ENT64(&im, 5, FM_CHUNK) = 16 * MiB; /* strips are 10 MiB */
	img_fix_entry(&im, 5);
	refused_with("extent-strip");
}

static void no_strips(void **state)
{
	ENT64(&im, 5, FM_NSTRIPS) = 0;
	img_fix_entry(&im, 5);
	refused_with("extent-strip");
}

/* ---- item 10: the member table ---- */

static void one_member_at_two_indexes(void **state)
{
	memcpy(ENTSTR(&im, 1, A_UUID), ENTSTR(&im, 0, A_UUID), 16);
	img_fix_entry(&im, 1);
	refused_with("member-duplicate");
	ENT32(&im, 1, A_INDEX) = 7; /* and at a wrong index: both are said */
	img_fix_entry(&im, 1);
	refused_with("member-index");
	refused_with("member-duplicate");
}

/* Entries naming one member, past the member table: written past it before. */
static void more_add_daxdev_entries_than_the_table_holds(void **state)
{
	uint64_t last = 300;

	for (uint64_t i = 3; i < last; i++) {
		memcpy(im.map[0] + IMG_ENTRY(i), im.map[0] + IMG_ENTRY(0), 544);
		ENT64(&im, i, E_SEQ) = i;
		ENT32(&im, i, A_INDEX) = (uint32_t)i + 1;
		img_fix_entry(&im, i);
	}
	img_set_next(&im, last);
	refused_with("member-duplicate");
	/* the same count with distinct tags: the table's limit */
	for (uint64_t i = 3; i < last; i++) {
		ENTSTR(&im, i, A_UUID)[13] = (char)(i >> 8);
		ENTSTR(&im, i, A_UUID)[14] = (char)i;
		img_fix_entry(&im, i);
	}
	refused_with("member-limit");
}

/* ---- item 18: what fsck called clean ---- */

static void a_size_beyond_the_extents(void **state)
{
	ENT64(&im, 4, F_SIZE) = 2 * MiB + 1; /* one 2 MiB extent */
	img_fix_entry(&im, 4);
	refused_with("file-size");
	ENT64(&im, 5, F_SIZE) = 40 * MiB + 1; /* 4 strips of 10 MiB */
	img_fix_entry(&im, 5);
	refused_with("file-size");
}

static void a_second_entry_with_an_existing_name(void **state)
{
	strcpy(ENTSTR(&im, 6, F_PATH), "big");
	img_fix_entry(&im, 6);
	refused_with("entry-duplicate");
}

static void names_that_are_not_plain_paths(void **state)
{
	static const char *const bad[] = { "", "..", ".", "d/..", "d/.", "/f", "d//g", "g/",
					   ".meta", ".meta/x" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(ENTSTR(&im, 6, F_PATH), 0, 80);
		strcpy(ENTSTR(&im, 6, F_PATH), bad[i]);
		img_fix_entry(&im, 6);
		refused_with("entry-name");
	}
	memset(ENTSTR(&im, 6, F_PATH), 'x', 80); /* no NUL */
	img_fix_entry(&im, 6);
	refused_with("entry-name");
}

static void a_file_under_a_file(void **state)
{
	strcpy(ENTSTR(&im, 6, F_PATH), "big/x");
	img_fix_entry(&im, 6);
	refused_with("entry-under-file");
}

static void a_missing_parent(void **state)
{
	strcpy(ENTSTR(&im, 6, F_PATH), "nodir/x");
	img_fix_entry(&im, 6);
	refused_with("entry-parent");
	strcpy(ENTSTR(&im, 6, F_PATH), "f");
	img_fix_entry(&im, 6);
	strcpy(ENTSTR(&im, 3, D_PATH), "e"); /* d/small's parent */
	img_fix_entry(&im, 3);
	refused_with("entry-parent");
}

static void an_unknown_entry_type(void **state)
{
	ENT32(&im, 6, E_TYPE) = 7;
	img_fix_entry(&im, 6);
	refused_with("entry-type");
	ENT32(&im, 6, E_TYPE) = 2; /* DELETE: defined, never written */
	img_fix_entry(&im, 6);
	refused_with("entry-type");
}

static void a_superblock_alloc_unit_of_zero(void **state)
{
	*img_u64(&im, 0, 32) = 0;
	img_fix_superblock(&im, 0);
	refused_with("sb-alloc-unit");
}

static void an_omf_version_not_read_here(void **state)
{
	*img_u32(&im, 0, 40) = 99;
	*img_u32(&im, 0, 44) = 99;
	img_fix_superblock(&im, 0);
	refused_with("sb-omf-version");
	*img_u32(&im, 0, 40) = 2; /* a minor newer than 48's 2.2 and 49's 2.3 */
	*img_u32(&im, 0, 44) = 4;
	img_fix_superblock(&im, 0);
	refused_with("sb-omf-version");
}

/* ---- item 1: creat sizes whose rounding wraps ---- */

static void a_size_whose_rounding_wraps_is_refused_and_nothing_logged(void **state)
{
	static const uint64_t sizes[] = { UINT64_MAX, UINT64_MAX - 2 * MiB + 2, 1ULL << 63 | 1 };
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .mode = 0644 };
	uint64_t next = *img_u64(&im, 0, H_NEXT_INDEX);
	struct fc_famfs *fs;

	assert_int_equal(fc_famfs_open(ctx, im.pp, 4, im.master, &fs), 0);
	for (unsigned int strips = 1; strips <= 4; strips *= 2) {
		fo.strips = strips;
		for (size_t i = 0; i < 3; i++) {
			int rc = fc_famfs_creat(fs, "huge", sizes[i], &fo);

			/* too large to round, or no room: never logged */
			assert_true(rc == -EFBIG || rc == -ENOSPC);
			if (sizes[i] == UINT64_MAX)
				assert_int_equal(rc, -EFBIG);
		}
	}
	fo.chunk = 1ULL << 63; /* chunk x strips wraps */
	fo.strips = 4;
	assert_int_equal(fc_famfs_creat(fs, "huge", 3ULL << 62, &fo), -EFBIG);
	fc_famfs_close(fs);
	assert_int_equal(*img_u64(&im, 0, H_NEXT_INDEX), next);
	assert_int_equal(fc_famfs_check(ctx, im.pp, 4, NULL), 0);
}

/* ---- item 3: reserved and dot names, for every caller ---- */

static void dot_names_and_meta_are_refused(void **state)
{
	static const char *const bad[] = { ".", "..", "d/.", "d/..", ".meta", "/.meta",
					   ".meta/x", "d/./x" };
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .strips = 1, .mode = 0644 };
	struct fc_famfs *fs;

	assert_int_equal(fc_famfs_open(ctx, im.pp, 4, im.master, &fs), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(fc_famfs_mkdir(fs, bad[i], 0755, 0, 0), -EINVAL);
		assert_int_equal(fc_famfs_creat(fs, bad[i], 4096, &fo), -EINVAL);
	}
	/* not reserved below the root */
	assert_int_equal(fc_famfs_mkdir(fs, "d/.meta", 0755, 0, 0), 0);
	assert_int_equal(fc_famfs_creat(fs, "..x", 4096, &fo), 0);
	fc_famfs_close(fs);
	assert_int_equal(fc_famfs_check(ctx, im.pp, 4, NULL), 0);
}

/* ---- item 11: refresh validates and keeps the last good state ---- */

static int count(void *arg, const char *name, const struct fc_famfs_stat *st)
{
	(*(int *)arg)++;
	return 0;
}

static int entries(struct fc_famfs *fs)
{
	int n = 0;

	assert_int_equal(fc_famfs_readdir(fs, "/", count, &n), 0);
	return n;
}

static void a_refresh_keeps_the_last_good_state(void **state)
{
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .strips = 1, .mode = 0644 };
	struct fc_famfs *rd, *wr;
	uint64_t next, size;
	char buf[8] = { 0 };
	bool is_dir;

	assert_int_equal(fc_famfs_open(ctx, im.pp, 4, NULL, &rd), 0);
	assert_int_equal(entries(rd), 3); /* d, big, f */
	next = *img_u64(&im, 0, H_NEXT_INDEX);

	/* next_index is not CRC-covered: past the log, then onto garbage */
	*img_u64(&im, 0, H_NEXT_INDEX) = 1ULL << 40;
	assert_int_equal(fc_famfs_refresh(rd), -EUCLEAN);
	assert_int_equal(entries(rd), 3);
	*img_u64(&im, 0, H_NEXT_INDEX) = 15420 + 1;
	assert_int_equal(fc_famfs_refresh(rd), -EUCLEAN);
	img_set_next(&im, next + 1); /* an uncommitted, zeroed slot */
	assert_int_equal(fc_famfs_refresh(rd), -EUCLEAN);
	assert_int_equal(entries(rd), 3);
	assert_int_equal(fc_famfs_pread(rd, "big", buf, 5, 0), 5);
	assert_string_equal(buf, "hello");
	img_set_next(&im, next);

	/* an appended entry that breaks the rules: a second "f" */
	memcpy(im.map[0] + IMG_ENTRY(next), im.map[0] + IMG_ENTRY(6), 544);
	ENT64(&im, next, E_SEQ) = next;
	img_fix_entry(&im, next);
	img_set_next(&im, next + 1);
	assert_int_equal(fc_famfs_refresh(rd), -EUCLEAN);
	assert_int_equal(entries(rd), 3);
	img_set_next(&im, next);
	memset(im.map[0] + IMG_ENTRY(next), 0, 544);
	/* the log going back is damage too */
	img_set_next(&im, next - 1);
	assert_int_equal(fc_famfs_refresh(rd), -EUCLEAN);
	assert_int_equal(entries(rd), 3);
	img_set_next(&im, next);

	/* an entry rewritten under a reader: it keeps what it checked */
	ENT64(&im, 5, FM_CHUNK) = 0;
	img_fix_entry(&im, 5);
	assert_int_equal(fc_famfs_refresh(rd), 0); /* nothing appended */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(fc_famfs_pread(rd, "big", buf, 5, 0), 5);
	assert_string_equal(buf, "hello");
	ENT64(&im, 5, FM_CHUNK) = 2 * MiB;
	img_fix_entry(&im, 5);

	/* repaired, the master's new file shows */
	assert_int_equal(fc_famfs_open(ctx, im.pp, 4, im.master, &wr), 0);
	assert_int_equal(fc_famfs_creat(wr, "new", 4096, &fo), 0);
	fc_famfs_close(wr);
	assert_int_equal(fc_famfs_refresh(rd), 0);
	assert_int_equal(entries(rd), 4);
	assert_int_equal(fc_famfs_stat(rd, "new", &size, &is_dir), 0);
	fc_famfs_close(rd);
}

/* A writer whose log was damaged under it refuses to append. */
static void a_writer_does_not_append_to_a_damaged_log(void **state)
{
	struct fc_famfs *wr, *other;
	uint64_t next;

	assert_int_equal(fc_famfs_open(ctx, im.pp, 4, im.master, &wr), 0);
	assert_int_equal(fc_famfs_open(ctx, im.pp, 4, im.master, &other), 0);
	assert_int_equal(fc_famfs_mkdir(other, "x", 0755, 0, 0), 0);
	fc_famfs_close(other);
	next = *img_u64(&im, 0, H_NEXT_INDEX);
	strcpy(ENTSTR(&im, next - 1, D_PATH), "f"); /* now a duplicate of f */
	img_fix_entry(&im, next - 1);
	assert_int_equal(fc_famfs_mkdir(wr, "y", 0755, 0, 0), -EUCLEAN);
	assert_int_equal(*img_u64(&im, 0, H_NEXT_INDEX), next);
	fc_famfs_close(wr);
}

static int setup(void **state)
{
	if (!mkdtemp(dir) || fc_new(&ctx) < 0)
		return -1;
	fc_set_log_fn(ctx, quiet);
	return 0;
}

static int teardown(void **state)
{
	fc_unref(ctx);
	return rmdir(dir);
}

#define T(f) cmocka_unit_test_setup_teardown(f, base, unbase)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(an_extent_whose_end_wraps),
		T(an_extent_past_its_member),
		T(an_extent_on_no_member),
		T(an_interleaved_chunk_of_zero),
		T(a_chunk_not_a_power_of_two),
		T(a_strip_shorter_than_its_chunk),
		T(no_strips),
		T(one_member_at_two_indexes),
		T(more_add_daxdev_entries_than_the_table_holds),
		T(a_size_beyond_the_extents),
		T(a_second_entry_with_an_existing_name),
		T(names_that_are_not_plain_paths),
		T(a_file_under_a_file),
		T(a_missing_parent),
		T(an_unknown_entry_type),
		T(a_superblock_alloc_unit_of_zero),
		T(an_omf_version_not_read_here),
		T(a_size_whose_rounding_wraps_is_refused_and_nothing_logged),
		T(dot_names_and_meta_are_refused),
		T(a_refresh_keeps_the_last_good_state),
		T(a_writer_does_not_append_to_a_damaged_log),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
