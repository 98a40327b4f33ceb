// SPDX-License-Identifier: GPL-2.0-only
/*
 * A file's range read through a mapping (util/filemap.c), as famfsctl cp
 * reads large sources. This is its manual: the range is mapped wherever it
 * starts (the page boundary is the module's business), a range past the
 * end of the file is refused at open (the caller then reads it), a copy
 * out of it is the file's bytes, and a file truncated under the mapping
 * makes the copy fail with -EIO instead of ending the process with
 * SIGBUS (or, cut inside its last page, which maps with zeros, is seen by
 * util_filemap_whole()); a range with a hole is not mapped (tmpfs would
 * fill it); a SIGBUS outside a guarded copy, or sent by kill(2), still
 * ends the process.
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
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "util/filemap.h"

#define LEN (4 << 20)

static int make_file(char *path, size_t len)
{
	int fd;

	strcpy(path, "/tmp/famfsctl-test-filemap-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	for (size_t off = 0; off < len; off += 4096) {
		uint8_t page[4096];

		for (size_t i = 0; i < sizeof(page); i++)
			page[i] = (uint8_t)((off + i) * 7 + 3);
		assert_int_equal(pwrite(fd, page, sizeof(page), (off_t)off), (ssize_t)sizeof(page));
	}
	return fd;
}

static void plain_copy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}

/* a "copy" that sends itself SIGBUS, as another process could */
static void kill_self(void *dst, const void *src, size_t n)
{
	(void)dst;
	(void)src;
	(void)n;
	kill(getpid(), SIGBUS);
}

static void a_range_reads_as_the_file(void **state)
{
	char path[64];
	int fd = make_file(path, LEN);
	struct util_filemap m;
	uint8_t *got = malloc(LEN), *want = malloc(LEN);

	/* not at a page boundary, and not a whole number of pages */
	assert_int_equal(util_filemap_open(&m, fd, 12345, LEN - 20000), 0);
	assert_int_equal(util_filemap_copy(&m, 0, got, LEN - 20000, plain_copy), 0);
	assert_int_equal(pread(fd, want, LEN - 20000, 12345), LEN - 20000);
	assert_memory_equal(got, want, LEN - 20000);
	/* a piece from inside it */
	assert_int_equal(util_filemap_copy(&m, 1000, got, 5000, plain_copy), 0);
	assert_memory_equal(got, want + 1000, 5000);
	/* nothing outside the range */
	assert_int_equal(util_filemap_copy(&m, LEN - 20000 - 10, got, 11, plain_copy), -EINVAL);
	util_filemap_close(&m);
	free(got);
	free(want);
	close(fd);
}

static void a_range_past_the_end_is_refused(void **state)
{
	char path[64];
	int fd = make_file(path, LEN);
	struct util_filemap m;

	assert_true(util_filemap_open(&m, fd, LEN - 4096, 3 * 4096) < 0);
	assert_null(m.map);
	assert_int_equal(util_filemap_open(&m, fd, 0, 0), -EINVAL);
	close(fd);
}

static void a_file_truncated_under_the_copy_fails_it(void **state)
{
	char path[64];
	int fd = make_file(path, LEN);
	struct util_filemap m;
	uint8_t *got = malloc(LEN);

	assert_int_equal(util_filemap_open(&m, fd, 0, LEN), 0);
	/* the first MiB stays, the rest is gone from the page cache and the
	 * mapping: the copy faults at 1 MiB */
	assert_int_equal(ftruncate(fd, 1 << 20), 0);
	assert_int_equal(util_filemap_copy(&m, 0, got, LEN, plain_copy), -EIO);
	/* what is still there still copies, and a second fault is caught too */
	assert_int_equal(util_filemap_copy(&m, 0, got, 1 << 20, plain_copy), 0);
	assert_int_equal(util_filemap_copy(&m, 2 << 20, got, 4096, plain_copy), -EIO);
	util_filemap_close(&m);
	free(got);
	close(fd);
}

static void a_file_cut_inside_its_last_page_is_seen_after_the_copy(void **state)
{
	char path[64];
	int fd = make_file(path, LEN);
	struct util_filemap m;
	uint8_t *got = malloc(LEN);

	/* 100 bytes off the end: the last page still maps (zeros after the
	 * end, no fault), so only the file's size tells */
	assert_int_equal(util_filemap_open(&m, fd, 0, LEN), 0);
	assert_int_equal(util_filemap_whole(&m, fd, 0), 0);
	assert_int_equal(ftruncate(fd, LEN - 100), 0);
	assert_int_equal(util_filemap_copy(&m, 0, got, LEN, plain_copy), 0);
	assert_int_equal(util_filemap_whole(&m, fd, 0), -EIO);
	util_filemap_close(&m);
	/* and cut before the open: refused, so the caller reads it short */
	assert_true(util_filemap_open(&m, fd, 0, LEN) < 0);
	free(got);
	close(fd);
}

static void a_range_with_a_hole_is_refused_and_left_sparse(void **state)
{
	char path[64];
	int fd = make_file(path, 1 << 20);
	struct util_filemap m;
	struct stat st;
	off_t blocks;

	/* 1 MiB of data, then 7 MiB of hole: mapping it would give the hole
	 * pages on tmpfs (read(2) does not) */
	assert_int_equal(ftruncate(fd, 8 << 20), 0);
	assert_int_equal(fstat(fd, &st), 0);
	blocks = st.st_blocks;
	assert_int_equal(util_filemap_open(&m, fd, 0, 8 << 20), -ENXIO);
	assert_int_equal(util_filemap_open(&m, fd, 4 << 20, 1 << 20), -ENXIO);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_blocks, blocks);
	/* the data before the hole maps */
	assert_int_equal(util_filemap_open(&m, fd, 0, 1 << 20), 0);
	util_filemap_close(&m);
	close(fd);
}

static void a_sigbus_sent_by_kill_is_not_taken_for_a_truncation(void **state)
{
	char path[64];
	int fd = make_file(path, LEN), status;
	pid_t pid;

	/* a child in a guarded copy that signals itself: SIGBUS from kill(2)
	 * carries no fault address, and ends the process as before */
	pid = fork();
	if (pid == 0) {
		struct util_filemap m;
		static uint8_t got[LEN];

		signal(SIGBUS, SIG_DFL);
		if (util_filemap_open(&m, fd, 0, LEN) < 0)
			_exit(2);
		util_filemap_copy(&m, 0, got, LEN, kill_self);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGBUS);
	close(fd);
}

static void a_sigbus_elsewhere_still_ends_the_process(void **state)
{
	char path[64];
	int fd = make_file(path, LEN), status;
	struct util_filemap m;
	pid_t pid;

	/* in a child with SIGBUS as a process starts with (the test runner
	 * catches it), the guard is installed by an open, then a mapping of
	 * its own is touched past the file's end, outside any guarded copy */
	pid = fork();
	if (pid == 0) {
		volatile uint8_t *p;

		signal(SIGBUS, SIG_DFL);
		if (util_filemap_open(&m, fd, 0, LEN) < 0)
			_exit(2);
		p = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED || ftruncate(fd, 4096) < 0)
			_exit(2);
		(void)p[4096];
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGBUS);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_range_reads_as_the_file),
		cmocka_unit_test(a_range_past_the_end_is_refused),
		cmocka_unit_test(a_file_truncated_under_the_copy_fails_it),
		cmocka_unit_test(a_file_cut_inside_its_last_page_is_seen_after_the_copy),
		cmocka_unit_test(a_range_with_a_hole_is_refused_and_left_sparse),
		cmocka_unit_test(a_sigbus_sent_by_kill_is_not_taken_for_a_truncation),
		cmocka_unit_test(a_sigbus_elsewhere_still_ends_the_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
