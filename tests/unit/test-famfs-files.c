// SPDX-License-Identifier: GPL-2.0-only
/*
 * Files in a famfs over many members (lib/famfs-files.c), on sparse files:
 * striping by the interleave math doc/famfs-format.md gives (checked against the raw
 * member bytes), small files on the least-used member, even usage across
 * wide sets, directories and path rules, the master rule, a full log.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <zlib.h>
#include <famfsctl/libfamfsctl.h>
#include "tests/lib/famfs-report.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define LOG_OFF (2 * MiB)
#define MAXM 22

static char dir[] = "/tmp/famfsctl-files-XXXXXX";
static char paths[MAXM][128];
static const char *pp[MAXM];
static uuid_t tags[MAXM], master;
static struct fc_ctx *ctx;

static void quiet(struct fc_ctx *c, int prio, const char *file, int line,
		  const char *fn, const char *fmt, va_list ap)
{
}

static void format(unsigned int n, uint64_t secondary_size)
{
	struct fc_famfs_format_opts o = { .log_len = 8 * MiB, .tags = tags, .force = true };

	for (unsigned int i = 0; i < n; i++) {
		int fd;

		snprintf(paths[i], sizeof(paths[i]), "%s/m%u", dir, i);
		fd = open(paths[i], O_CREAT | O_RDWR | O_TRUNC, 0600);
		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, (off_t)(i ? secondary_size : 4 * GiB)), 0);
		close(fd);
		pp[i] = paths[i];
		memset(tags[i], 0x22, 16);
		tags[i][15] = (uint8_t)i;
	}
	memcpy(o.system_uuid, master, 16);
	assert_int_equal(fc_famfs_format(ctx, pp, n, &o, NULL), 0);
}

static uint64_t raw_u64(unsigned int m, uint64_t off)
{
	uint64_t v;
	int fd = open(paths[m], O_RDONLY);

	assert_int_equal(pread(fd, &v, 8, (off_t)off), 8);
	close(fd);
	return v;
}

static int setup(void **state)
{
	if (!mkdtemp(dir) || fc_new(&ctx) < 0)
		return -1;
	fc_set_log_fn(ctx, quiet);
	memset(master, 0x5a, 16);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	fc_unref(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* Bytes that differ from chunk to chunk (a position hash), so data landing
 * in the wrong strip or chunk cannot go unnoticed. */
static void fill(uint8_t *buf, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++) {
		uint64_t x = (i + seed) * 0x9e3779b97f4a7c15ULL;

		x ^= x >> 29;
		x *= 0xbf58476d1ce4e5b9ULL;
		x ^= x >> 32;
		buf[i] = (uint8_t)x;
	}
}

static void a_large_file_is_striped_by_the_interleave_math(void **state)
{
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .strips = 4, .mode = 0644 };
	const size_t size = 40 * MiB + 12345; /* not a multiple of anything */
	uint8_t *w = malloc(size), *r = malloc(size);
	struct fc_famfs *fs;
	uint64_t e = LOG_OFF + 48 + 3 * 544; /* after the 3 ADD_DAXDEV entries */
	uint64_t nstrips, chunk;

	format(4, 1 * GiB);
	fill(w, size, 1);
	assert_int_equal(fc_famfs_open(ctx, pp, 4, master, &fs), 0);
	assert_int_equal(fc_famfs_creat(fs, "big", size, &fo), 0);
	assert_int_equal(fc_famfs_pwrite(fs, "big", w, size, 0), (ssize_t)size);
	fc_famfs_close(fs);

	/* the log entry: FILE, interleaved, 4 strips of 2 MiB chunks */
	assert_int_equal(raw_u64(0, e + 8) & 0xffffffff, 0);          /* FILE */
	assert_int_equal(raw_u64(0, e + 16), size);                    /* size */
	assert_int_equal(raw_u64(0, e + 120) & 0xffffffff, 1);        /* INTERLEAVE */
	nstrips = raw_u64(0, e + 136);
	chunk = raw_u64(0, e + 144);
	assert_int_equal(nstrips, 4);
	assert_int_equal(chunk, 2 * MiB);
	/* every 4 KiB, the byte on the member the math names is the file's byte */
	for (uint64_t off = 0; off < size; off += 4096 + 7) {
		uint64_t c = off / chunk, s = c % nstrips;
		uint64_t dev = raw_u64(0, e + 152 + s * 24);
		uint64_t soff = raw_u64(0, e + 152 + s * 24 + 8);
		uint64_t devoff = soff + (c / nstrips) * chunk + off % chunk;
		uint8_t b;
		int fd;

		/* with 4 members formatted in order, log index = file number */
		fd = open(paths[dev], O_RDONLY);
		assert_int_equal(pread(fd, &b, 1, (off_t)devoff), 1);
		close(fd);
		if (b != w[off])
			fail_msg("offset %llu: member %llu has %02x, file %02x",
				 (unsigned long long)off, (unsigned long long)dev, b, w[off]);
	}
	/* four distinct members */
	for (unsigned int i = 0; i < 4; i++)
		for (unsigned int j = 0; j < i; j++)
			assert_int_not_equal(raw_u64(0, e + 152 + i * 24), raw_u64(0, e + 152 + j * 24));

	/* reopened read-only, the file reads back identical */
	assert_int_equal(fc_famfs_open(ctx, pp, 4, NULL, &fs), 0);
	assert_int_equal(fc_famfs_pread(fs, "big", r, size, 0), (ssize_t)size);
	assert_memory_equal(w, r, size);
	/* reads stop at the file's size */
	assert_int_equal(fc_famfs_pread(fs, "big", r, 100, size - 10), 10);
	assert_int_equal(fc_famfs_pread(fs, "big", r, 100, size), 0);
	fc_famfs_close(fs);
	assert_int_equal(fc_famfs_check(ctx, pp, 4, NULL), 0);
	free(w);
	free(r);
}

/* The least and most space in use on the secondaries (members 1..n-1). */
static void spread(struct fc_famfs *fs, unsigned int n, uint64_t *lo, uint64_t *hi)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (unsigned int i = 1; i < n; i++) {
		uint64_t u = fc_famfs_member_used(fs, i);

		*lo = u < *lo ? u : *lo;
		*hi = u > *hi ? u : *hi;
	}
}

static void small_files_go_to_the_least_used_member(void **state)
{
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .strips = 4, .mode = 0644 };
	struct fc_famfs *fs;
	uint64_t lo, hi;

	format(4, 1 * GiB);
	assert_int_equal(fc_famfs_open(ctx, pp, 4, master, &fs), 0);
	/* the primary starts with its superblock and log in use */
	for (int i = 0; i < 40; i++) {
		char name[16];

		snprintf(name, sizeof(name), "f%d", i);
		assert_int_equal(fc_famfs_creat(fs, name, 100000, &fo), 0);
	}
	spread(fs, 4, &lo, &hi);
	/* 40 files of one unit spread over the secondaries first, evenly */
	assert_true(hi - lo <= 2 * MiB);
	assert_true(fc_famfs_member_used(fs, 0) <= hi + 2 * MiB);
	fc_famfs_close(fs);
}

static void wide_sets_spread_files_so_every_member_carries_its_share(void **state)
{
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .strips = 16, .mode = 0644 };
	struct fc_famfs *fs;
	uint64_t lo, hi;

	format(22, 512 * MiB);
	assert_int_equal(fc_famfs_open(ctx, pp, 22, master, &fs), 0);
	/* 11 files of 16 strips = 176 two-MiB strips over 22 members; the
	 * primary starts with 5 units (superblock, log), the others with 1, so
	 * the secondaries end level to within one unit */
	for (int i = 0; i < 11; i++) {
		char name[16];

		snprintf(name, sizeof(name), "w%d", i);
		assert_int_equal(fc_famfs_creat(fs, name, 32 * MiB, &fo), 0);
	}
	spread(fs, 22, &lo, &hi);
	assert_true(hi - lo <= 2 * MiB);
	assert_true(fc_famfs_member_used(fs, 0) <= hi + 2 * MiB);
	fc_famfs_close(fs);
	assert_int_equal(fc_famfs_check(ctx, pp, 22, NULL), 0);
}

static void directories_and_path_rules(void **state)
{
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .strips = 1, .mode = 0644 };
	char longname[100];
	struct fc_famfs *fs;

	format(2, 64 * MiB);
	assert_int_equal(fc_famfs_open(ctx, pp, 2, master, &fs), 0);
	assert_int_equal(fc_famfs_mkdir(fs, "/a", 0755, 0, 0), 0);
	assert_int_equal(fc_famfs_mkdir(fs, "a/b", 0755, 0, 0), 0);
	assert_int_equal(fc_famfs_creat(fs, "/a/b/file", 4096, &fo), 0);
	assert_int_equal(fc_famfs_mkdir(fs, "a", 0755, 0, 0), -EEXIST);
	assert_int_equal(fc_famfs_creat(fs, "a/b/file", 4096, &fo), -EEXIST);
	assert_int_equal(fc_famfs_creat(fs, "nodir/file", 4096, &fo), -ENOENT);
	assert_int_equal(fc_famfs_creat(fs, "a/b/file/x", 4096, &fo), -ENOENT); /* a file, not a dir */
	assert_int_equal(fc_famfs_mkdir(fs, "/", 0755, 0, 0), -EINVAL);
	assert_int_equal(fc_famfs_mkdir(fs, "a/../b", 0755, 0, 0), -EINVAL);
	assert_int_equal(fc_famfs_mkdir(fs, "a//b", 0755, 0, 0), -EINVAL);
	memset(longname, 'x', sizeof(longname));
	longname[80] = '\0';
	assert_int_equal(fc_famfs_creat(fs, longname, 4096, &fo), -ENAMETOOLONG);
	longname[79] = '\0';
	assert_int_equal(fc_famfs_creat(fs, longname, 4096, &fo), 0);
	/* an empty file: it reads back empty (it once read back one NUL) */
	{
		char b[8] = { 'x' };
		uint64_t sz = 1;
		bool d = true;

		assert_int_equal(fc_famfs_creat(fs, "zero", 0, &fo), 0);
		assert_int_equal(fc_famfs_stat(fs, "zero", &sz, &d), 0);
		assert_int_equal(sz, 0);
		assert_false(d);
		assert_int_equal(fc_famfs_pread(fs, "zero", b, sizeof(b), 0), 0);
		assert_int_equal(b[0], 'x');
	}
	fo.chunk = 3 * MiB;
	assert_int_equal(fc_famfs_creat(fs, "oddchunk", 4096, &fo), -EINVAL);
	fo.chunk = 2 * MiB;
	assert_int_equal(fc_famfs_creat(fs, "huge", 8 * GiB, &fo), -ENOSPC);
	assert_int_equal(fc_famfs_pread(fs, "a", (char[8]){ 0 }, 8, 0), -ENOENT);
	fc_famfs_close(fs);
	assert_int_equal(fc_famfs_check(ctx, pp, 2, NULL), 0);
}

static void only_the_master_adds_files(void **state)
{
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .strips = 1, .mode = 0644 };
	struct fc_famfs *fs;
	uuid_t other;

	format(2, 64 * MiB);
	memset(other, 0x77, 16);
	assert_int_equal(fc_famfs_open(ctx, pp, 2, other, &fs), -EPERM);
	assert_int_equal(fc_famfs_open(ctx, pp, 2, NULL, &fs), 0); /* a client reads */
	assert_int_equal(fc_famfs_creat(fs, "f", 4096, &fo), -EROFS);
	assert_int_equal(fc_famfs_mkdir(fs, "d", 0755, 0, 0), -EROFS);
	assert_int_equal(fc_famfs_pwrite(fs, "f", "x", 1, 0), -EROFS);
	fc_famfs_close(fs);
}

static void a_full_log_says_so_and_stays_valid(void **state)
{
	struct fc_famfs *fs;
	unsigned int made = 0;
	int rc;

	format(2, 64 * MiB);
	assert_int_equal(fc_famfs_open(ctx, pp, 2, master, &fs), 0);
	for (;;) {
		char name[16];

		snprintf(name, sizeof(name), "d%u", made);
		rc = fc_famfs_mkdir(fs, name, 0755, 0, 0);
		if (rc < 0)
			break;
		made++;
	}
	assert_int_equal(rc, -ENOSPC);
	assert_int_equal(made, 15420 - 1); /* one entry names the secondary */
	fc_famfs_close(fs);
	assert_int_equal(fc_famfs_check(ctx, pp, 2, NULL), 0);
}

/* fsck replays files into the free map: space in use per member, and two
 * files claiming the same space, are reported. */
static void fsck_reports_space_and_overlapping_files(void **state)
{
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .strips = 1, .mode = 0644 };
	struct json_object *r, *mem;
	struct fc_famfs *fs;
	uint64_t e1 = LOG_OFF + 48 + 1 * 544, e2 = LOG_OFF + 48 + 2 * 544;
	uint8_t le[544];
	uint64_t off1, crc;
	int fd;

	format(2, 64 * MiB);
	assert_int_equal(fc_famfs_open(ctx, pp, 2, master, &fs), 0);
	assert_int_equal(fc_famfs_creat(fs, "one", 4 * MiB, &fo), 0);
	assert_int_equal(fc_famfs_creat(fs, "two", 4 * MiB, &fo), 0);
	fc_famfs_close(fs);
	assert_int_equal(fc_famfs_check(ctx, pp, 2, &r), 0);
	mem = json_object_object_get(r, "members");
	/* both 4 MiB files went to the emptier secondary (index 1) */
	assert_int_equal(json_object_get_uint64(json_object_object_get(
		json_object_array_get_idx(mem, 1), "used")), 2 * MiB + 8 * MiB);
	assert_int_equal(json_object_get_uint64(json_object_object_get(
		json_object_array_get_idx(mem, 1), "free")), 64 * MiB - 10 * MiB);
	assert_int_equal(json_object_get_uint64(json_object_object_get(
		json_object_array_get_idx(mem, 0), "used")), 2 * MiB + 8 * MiB); /* sb + log */
	json_object_put(r);

	/* point "two" at "one"'s space, with a valid CRC: only replay can tell */
	off1 = raw_u64(0, e1 + 120 + 16 + 8);
	fd = open(paths[0], O_RDWR);
	assert_int_equal(pread(fd, le, sizeof(le), (off_t)e2), (ssize_t)sizeof(le));
	memcpy(le + 120 + 16 + 8, &off1, 8);
	crc = crc32(crc32(0L, Z_NULL, 0), le, 536);
	memcpy(le + 536, &crc, 8);
	assert_int_equal(pwrite(fd, le, sizeof(le), (off_t)e2), (ssize_t)sizeof(le));
	close(fd);
	assert_int_equal(fc_famfs_check(ctx, pp, 2, &r), -EUCLEAN);
	assert_false(json_object_get_boolean(json_object_object_get(r, "clean")));
	assert_string_equal(problem_field(r, 0, "code"), "extent-overlap");
	assert_non_null(strstr(problem_field(r, 0, "text"),
		"log entry 2 (two): extents overlap another file or fall outside a member"));
	json_object_put(r);
	assert_int_equal(fc_famfs_open(ctx, pp, 2, NULL, &fs), -EUCLEAN);
}

/*
 * Kill a writer before each write step of a log append (FAMFSCTL_FAULT=
 * append:N, a power cut): fsck then finds the old state (no new entry) or
 * the new one -- or, cut between the header's two stores (step 3), a log
 * whose committed files read fine but whose header famfs's next append
 * would turn into damage: "log-cut-append", repairable, not clean. The
 * master's next open restores it (next_seqnum == next_index) before
 * anything appends, and the log goes on clean.
 */
static void a_crash_during_an_append_leaves_old_new_or_repairable(void **state)
{
	format(3, 1 * GiB);
	for (unsigned int step = 1; step <= 4; step++) {
		struct json_object *r;
		struct fc_famfs *fs;
		char name[16], fault[32];
		uint64_t size, used;
		bool is_dir;
		int status;
		pid_t pid;

		snprintf(name, sizeof(name), "d%u", step);
		snprintf(fault, sizeof(fault), "append:%u", step);
		used = raw_u64(0, LOG_OFF + 40);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			if (fc_famfs_open(ctx, pp, 3, master, &fs) < 0)
				_exit(2);
			setenv("FAMFSCTL_FAULT", fault, 1);
			_exit(fc_famfs_mkdir(fs, name, 0755, 0, 0) == 0 ? 0 : 1);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), step <= 3 ? 99 : 0);
		if (step == 3) {
			/* seqnum stored, the commit (next_index) not */
			assert_int_equal(raw_u64(0, LOG_OFF + 32), used + 1);
			assert_int_equal(raw_u64(0, LOG_OFF + 40), used);
			assert_int_equal(fc_famfs_check(ctx, pp, 3, &r), -EUCLEAN);
			assert_string_equal(problem_field(r, 0, "code"), "log-cut-append");
			assert_true(json_object_get_boolean(json_object_object_get(r, "repairable")));
			assert_false(json_object_get_boolean(json_object_object_get(r, "clean")));
			json_object_put(r);
			/* a dry run changes nothing; a client may not repair */
			assert_int_equal(fc_famfs_repair(ctx, pp, 3, NULL, NULL), -EUCLEAN);
			assert_int_equal(raw_u64(0, LOG_OFF + 32), used + 1);
		} else {
			assert_int_equal(fc_famfs_check(ctx, pp, 3, NULL), 0);
		}
		/* readers see the committed entries either way */
		assert_int_equal(fc_famfs_open(ctx, pp, 3, NULL, &fs), 0);
		assert_int_equal(fc_famfs_stat(fs, name, &size, &is_dir), step <= 3 ? -ENOENT : 0);
		fc_famfs_close(fs);
		/* the master's next writer restores the header first, and the
		 * log goes on from there */
		snprintf(name, sizeof(name), "after%u", step);
		assert_int_equal(fc_famfs_open(ctx, pp, 3, master, &fs), 0);
		assert_int_equal(raw_u64(0, LOG_OFF + 32), raw_u64(0, LOG_OFF + 40));
		assert_int_equal(fc_famfs_mkdir(fs, name, 0755, 0, 0), 0);
		fc_famfs_close(fs);
		assert_int_equal(fc_famfs_check(ctx, pp, 3, NULL), 0);
	}
}

/* fsck --repair's library half: a dry run says what it would do, the
 * master writes it, and damage beyond repair is left alone. */
static void repair_restores_a_cut_header_only_as_master(void **state)
{
	struct json_object *r, *p;
	uint64_t idx;
	uuid_t other;
	int fd;

	format(2, 64 * MiB);
	idx = raw_u64(0, LOG_OFF + 40);
	/* an append cut after its seqnum store */
	fd = open(paths[0], O_RDWR);
	assert_int_equal(pwrite(fd, &(uint64_t){ idx + 1 }, 8, LOG_OFF + 32), 8);
	close(fd);
	assert_int_equal(fc_famfs_repair(ctx, pp, 2, NULL, &r), -EUCLEAN);
	p = json_object_array_get_idx(json_object_object_get(r, "problems"), 0);
	assert_non_null(strstr(json_object_get_string(json_object_object_get(p, "repair")),
			       "set next_seqnum to next_index"));
	assert_false(json_object_get_boolean(json_object_object_get(r, "repaired")));
	json_object_put(r);
	assert_int_equal(raw_u64(0, LOG_OFF + 32), idx + 1);
	memset(other, 0x77, 16);
	assert_int_equal(fc_famfs_repair(ctx, pp, 2, other, NULL), -EPERM);
	assert_int_equal(raw_u64(0, LOG_OFF + 32), idx + 1);
	assert_int_equal(fc_famfs_repair(ctx, pp, 2, master, &r), 0);
	assert_true(json_object_get_boolean(json_object_object_get(r, "repaired")));
	assert_true(json_object_get_boolean(json_object_object_get(r, "clean")));
	json_object_put(r);
	assert_int_equal(raw_u64(0, LOG_OFF + 32), idx);

	/* seqnum two ahead is damage: no repair, nothing written */
	fd = open(paths[0], O_RDWR);
	assert_int_equal(pwrite(fd, &(uint64_t){ idx + 2 }, 8, LOG_OFF + 32), 8);
	close(fd);
	assert_int_equal(fc_famfs_repair(ctx, pp, 2, master, &r), -EUCLEAN);
	assert_string_equal(problem_field(r, 0, "code"), "log-header");
	assert_false(json_object_get_boolean(json_object_object_get(r, "repairable")));
	json_object_put(r);
	assert_int_equal(raw_u64(0, LOG_OFF + 32), idx + 2);
}

struct names {
	char seen[64][80];
	uint64_t ids[64];
	unsigned int n, stop_after;
};

static int collect(void *arg, const char *name, uint64_t id, const struct fc_famfs_stat *st)
{
	struct names *nm = arg;

	if (nm->stop_after && nm->n == nm->stop_after)
		return 1;
	snprintf(nm->seen[nm->n], sizeof(nm->seen[0]), "%s", name);
	nm->ids[nm->n++] = id;
	return 0;
}

/* What a mount server uses: ids from the path index, a directory's own
 * entries from a resumable position, bytes by id and as pieces of the
 * members' mappings. */
static void files_by_id(void **state)
{
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .strips = 2, .mode = 0640,
					 .uid = 7, .gid = 8 };
	struct fc_famfs_stat st;
	struct names nm = { .n = 0 };
	struct iovec iov[4];
	struct fc_famfs *fs, *client;
	uint64_t d, f, big, id, pos = 0;
	uint8_t *buf = malloc(6 * MiB), *back = malloc(6 * MiB);

	format(3, 1 * GiB);
	assert_int_equal(fc_famfs_open(ctx, pp, 3, master, &fs), 0);
	assert_int_equal(fc_famfs_open(ctx, pp, 3, NULL, &client), 0);
	assert_int_equal(fc_famfs_mkdir(fs, "d", 0755, 1, 2), 0);
	assert_int_equal(fc_famfs_creat(fs, "top", 4096, &fo), 0);
	assert_int_equal(fc_famfs_creat(fs, "d/one", 4096, &fo), 0);
	assert_int_equal(fc_famfs_mkdir(fs, "d/sub", 0700, 1, 2), 0);
	assert_int_equal(fc_famfs_creat(fs, "d/sub/deep", 4096, &fo), 0);
	assert_int_equal(fc_famfs_creat(fs, "d/big", 6 * MiB, &fo), 0);
	assert_int_equal(fc_famfs_resolve(fs, "/", &id, &st), 0);
	assert_true(id == FC_FAMFS_ROOT && st.is_dir);
	assert_int_equal(fc_famfs_resolve(fs, "/d", &d, &st), 0);
	assert_true(st.is_dir && st.uid == 1 && st.gid == 2);
	assert_int_equal(fc_famfs_lookup(fs, d, "one", &f, &st), 0);
	assert_true(!st.is_dir && st.size == 4096 && st.mode == 0640 && st.uid == 7);
	assert_int_equal(fc_famfs_lookup(fs, d, "none", &id, NULL), -ENOENT);
	assert_int_equal(fc_famfs_lookup(fs, f, "x", &id, NULL), -ENOTDIR);
	assert_int_equal(fc_famfs_lookup(fs, d, "a/b", &id, NULL), -EINVAL);
	assert_int_equal(fc_famfs_stat_id(fs, 999999, &st), -ENOENT);
	/* d's own entries, in log order, not the deeper one nor the root's */
	assert_int_equal(fc_famfs_readdir_id(fs, d, &pos, collect, &nm), 0);
	assert_int_equal(nm.n, 3);
	assert_string_equal(nm.seen[0], "one");
	assert_string_equal(nm.seen[1], "sub");
	assert_string_equal(nm.seen[2], "big");
	/* stopped after one, resumed: neither repeats nor skips; a later entry
	 * shows up at the end */
	memset(&nm, 0, sizeof(nm));
	nm.stop_after = 1;
	pos = 0;
	assert_int_equal(fc_famfs_readdir_id(fs, d, &pos, collect, &nm), 1);
	assert_int_equal(pos, nm.ids[0]);
	assert_int_equal(fc_famfs_creat(fs, "d/later", 4096, &fo), 0);
	nm.stop_after = 0;
	assert_int_equal(fc_famfs_readdir_id(fs, d, &pos, collect, &nm), 0);
	assert_int_equal(nm.n, 4);
	assert_string_equal(nm.seen[1], "sub");
	assert_string_equal(nm.seen[3], "later");
	/* a client sees it after a refresh only */
	assert_int_equal(fc_famfs_resolve(client, "d/later", &id, NULL), -ENOENT);
	assert_int_equal(fc_famfs_refresh(client), 0);
	assert_int_equal(fc_famfs_resolve(client, "d/later", &id, NULL), 0);
	/* bytes by id; the pieces are the members' bytes, chunk by chunk */
	assert_int_equal(fc_famfs_lookup(fs, d, "big", &big, NULL), 0);
	fill(buf, 6 * MiB, 3);
	assert_int_equal(fc_famfs_pwrite_id(fs, big, buf, 6 * MiB, 0), (ssize_t)(6 * MiB));
	assert_int_equal(fc_famfs_pwrite_id(client, big, buf, 1, 0), -EROFS);
	assert_int_equal(fc_famfs_pread_id(client, big, back, 6 * MiB + 99, 0), (ssize_t)(6 * MiB));
	assert_memory_equal(buf, back, 6 * MiB);
	assert_int_equal(fc_famfs_pread_id(client, d, back, 1, 0), -EISDIR);
	/* copies that start and end inside a cache line (streaming stores
	 * between, the partial lines through the cache) */
	fill(buf, 300001, 5);
	assert_int_equal(fc_famfs_pwrite_id(fs, big, buf, 300001, 777), 300001);
	assert_int_equal(fc_famfs_pwrite_id(fs, big, buf + 7, 100, 12345), 100);
	assert_int_equal(fc_famfs_pread_id(client, big, back, 300001, 777), 300001);
	assert_memory_equal(back, buf, 12345 - 777);
	assert_memory_equal(back + 12345 - 777, buf + 7, 100);
	assert_memory_equal(back + 12345 - 777 + 100, buf + 12345 - 777 + 100,
			    300001 - (12345 - 777 + 100));
	fill(buf, 6 * MiB, 3);
	assert_int_equal(fc_famfs_pwrite_id(fs, big, buf, 6 * MiB, 0), (ssize_t)(6 * MiB));
	assert_int_equal(fc_famfs_iov(client, big, MiB, 4 * MiB, iov, 4, true), 3);
	assert_int_equal(iov[0].iov_len, MiB);     /* the rest of chunk 0 */
	assert_int_equal(iov[1].iov_len, 2 * MiB); /* chunk 1, on the other strip */
	assert_int_equal(iov[2].iov_len, MiB);
	assert_memory_equal(iov[1].iov_base, buf + 2 * MiB, 2 * MiB);
	assert_int_equal(fc_famfs_iov(client, big, 6 * MiB, 10, iov, 4, true), 0);
	assert_int_equal(fc_famfs_iov(client, big, 0, 10, iov, 4, false), -EROFS);
	fc_famfs_close(client);
	fc_famfs_close(fs);
	assert_int_equal(fc_famfs_check(ctx, pp, 3, NULL), 0);
	free(buf);
	free(back);
}

struct reader {
	struct fc_famfs *fs;
	volatile int *stop;
	unsigned int lookups, bad;
};

static void *read_while_writing(void *arg)
{
	struct reader *r = arg;

	while (!*r->stop) {
		struct fc_famfs_stat st;
		uint64_t id;

		fc_famfs_refresh(r->fs);
		if (fc_famfs_resolve(r->fs, "b/f0", &id, &st) == 0 && st.size != 4096)
			r->bad++;
		r->lookups++;
	}
	return NULL;
}

/* A batch holds the writer lock across appends: each entry is committed in
 * order (a crash leaves a prefix), another process waits for the batch;
 * threads refreshing and looking up meanwhile see whole entries. */
static void a_batch_of_appends_under_one_lock(void **state)
{
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .strips = 1, .mode = 0644 };
	struct fc_famfs *fs, *other;
	volatile int stop = 0;
	struct reader r[2];
	pthread_t tid[2];
	uint64_t id;
	int status;
	pid_t pid;

	format(2, 1 * GiB);
	assert_int_equal(fc_famfs_open(ctx, pp, 2, master, &fs), 0);
	assert_int_equal(fc_famfs_open(ctx, pp, 2, NULL, &other), 0);
	for (int i = 0; i < 2; i++) {
		r[i] = (struct reader){ .fs = i ? other : fs, .stop = &stop };
		assert_int_equal(pthread_create(&tid[i], NULL, read_while_writing, &r[i]), 0);
	}
	assert_int_equal(fc_famfs_batch_begin(fs), 0);
	assert_int_equal(fc_famfs_batch_begin(fs), -EBUSY);
	assert_int_equal(fc_famfs_mkdir(fs, "b", 0755, 0, 0), 0);
	for (int i = 0; i < 200; i++) {
		char name[32];

		snprintf(name, sizeof(name), "b/f%d", i);
		assert_int_equal(fc_famfs_creat(fs, name, 4096, &fo), 0);
	}
	/* another writer (process) waits for the batch */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct fc_famfs *w;

		if (fc_famfs_open(ctx, pp, 2, master, &w) < 0)
			_exit(2);
		_exit(fc_famfs_mkdir(w, "after", 0755, 0, 0) == 0 ? 0 : 1);
	}
	usleep(200 * 1000);
	assert_int_equal(waitpid(pid, &status, WNOHANG), 0); /* still waiting */
	assert_int_equal(fc_famfs_resolve(fs, "after", &id, NULL), -ENOENT);
	fc_famfs_batch_end(fs);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	stop = 1;
	for (int i = 0; i < 2; i++) {
		pthread_join(tid[i], NULL);
		assert_int_equal(r[i].bad, 0);
		assert_true(r[i].lookups > 0);
	}
	assert_int_equal(fc_famfs_refresh(other), 0);
	assert_int_equal(fc_famfs_resolve(other, "b/f199", &id, NULL), 0);
	assert_int_equal(fc_famfs_resolve(other, "after", &id, NULL), 0);
	fc_famfs_close(other);
	fc_famfs_close(fs);
	assert_int_equal(fc_famfs_check(ctx, pp, 2, NULL), 0);
}

/* A file's bytes before its entry: fc_famfs_reserve places the space inside
 * a batch (no reader, other handle or crash sees the file), the bytes are
 * written through fc_famfs_pending_iov, fc_famfs_commit logs it; what is
 * never committed -- given back, left at the batch's end, cut by a crash --
 * leaves its space free and the log clean. */
static void a_reserved_file_is_seen_only_once_committed(void **state)
{
	struct fc_famfs_file_opts fo = { .chunk = 2 * MiB, .strips = 2, .mode = 0644 };
	struct fc_famfs_pending *a, *b, *dup, *gone;
	uint64_t total, used0, used, id;
	struct fc_famfs *fs, *other;
	struct iovec iov[8];
	int n, status;
	pid_t pid;
	char back[64];

	format(2, 1 * GiB);
	assert_int_equal(fc_famfs_open(ctx, pp, 2, master, &fs), 0);
	assert_int_equal(fc_famfs_open(ctx, pp, 2, NULL, &other), 0);
	fc_famfs_space(fs, &total, &used0);
	assert_int_equal(fc_famfs_reserve(fs, "r/a", 4096, &fo, &a), -EPERM); /* no batch */
	assert_int_equal(fc_famfs_batch_begin(fs), 0);
	/* the parent may come later in the same batch */
	assert_int_equal(fc_famfs_reserve(fs, "r/a", 6 * MiB, &fo, &a), 0);
	assert_int_equal(fc_famfs_reserve(fs, "r/b", 4096, &fo, &b), 0);
	assert_int_equal(fc_famfs_reserve(fs, "r/gone", 4096, &fo, &gone), 0);
	fc_famfs_space(fs, &total, &used);
	assert_true(used > used0); /* placed: the next reservation goes elsewhere */
	/* a's and b's pieces are distinct: each reads back its own bytes */
	n = fc_famfs_pending_iov(fs, a, 0, 6 * MiB, iov, 8);
	assert_true(n >= 2); /* striped over both members */
	for (int i = 0; i < n; i++)
		memset(iov[i].iov_base, 'a', iov[i].iov_len);
	fc_famfs_flush_iov(iov, (unsigned int)n);
	n = fc_famfs_pending_iov(fs, b, 0, 4096, iov, 8);
	assert_int_equal(n, 1);
	memset(iov[0].iov_base, 'b', 4096);
	fc_famfs_flush_iov(iov, 1);
	/* nobody sees them yet */
	assert_int_equal(fc_famfs_refresh(other), 0);
	assert_int_equal(fc_famfs_resolve(other, "r/a", &id, NULL), -ENOENT);
	assert_int_equal(fc_famfs_resolve(fs, "r/a", &id, NULL), -ENOENT);
	/* committed before its parent exists: refused, the space given back */
	assert_int_equal(fc_famfs_commit(fs, b, NULL), -ENOENT);
	assert_int_equal(fc_famfs_commit(fs, b, NULL), -EPERM); /* freed: not ours any more */
	assert_int_equal(fc_famfs_mkdir(fs, "r", 0755, 0, 0), 0);
	assert_int_equal(fc_famfs_commit(fs, a, &id), 0);
	assert_int_equal(fc_famfs_pread_id(fs, id, back, sizeof(back), 5 * MiB), (ssize_t)sizeof(back));
	assert_int_equal(back[0], 'a');
	/* a logged name is refused at once */
	assert_int_equal(fc_famfs_reserve(fs, "r/a", 4096, &fo, &dup), -EEXIST);
	fc_famfs_unreserve(fs, NULL);
	fc_famfs_batch_end(fs); /* gives r/gone's space back */
	assert_int_equal(fc_famfs_refresh(other), 0);
	assert_int_equal(fc_famfs_pread(other, "r/a", back, sizeof(back), 0), (ssize_t)sizeof(back));
	assert_int_equal(back[63], 'a');
	assert_int_equal(fc_famfs_resolve(other, "r/b", &id, NULL), -ENOENT);
	assert_int_equal(fc_famfs_resolve(other, "r/gone", &id, NULL), -ENOENT);
	fc_famfs_space(other, &total, &used);
	{
		uint64_t a_only = used;

		fc_famfs_space(fs, &total, &used);
		assert_int_equal(used, a_only); /* what the master holds is what is logged */
	}
	/* a crash before the second commit: the first file is there, whole;
	 * the second never is, and its space is free for whoever opens next */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct fc_famfs_pending *c, *d;
		struct fc_famfs *w;

		setenv("FAMFSCTL_FAULT", "commit:2", 1);
		if (fc_famfs_open(ctx, pp, 2, master, &w) < 0 || fc_famfs_batch_begin(w) < 0 ||
		    fc_famfs_reserve(w, "r/c", 4096, &fo, &c) < 0 ||
		    fc_famfs_reserve(w, "r/d", 4096, &fo, &d) < 0)
			_exit(2);
		fc_famfs_commit(w, c, NULL);
		fc_famfs_commit(w, d, NULL); /* the process ends before it */
		_exit(3);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 99);
	assert_int_equal(fc_famfs_refresh(other), 0);
	assert_int_equal(fc_famfs_resolve(other, "r/c", &id, NULL), 0);
	assert_int_equal(fc_famfs_resolve(other, "r/d", &id, NULL), -ENOENT);
	fc_famfs_close(other);
	fc_famfs_close(fs);
	assert_int_equal(fc_famfs_check(ctx, pp, 2, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_large_file_is_striped_by_the_interleave_math),
		cmocka_unit_test(small_files_go_to_the_least_used_member),
		cmocka_unit_test(wide_sets_spread_files_so_every_member_carries_its_share),
		cmocka_unit_test(directories_and_path_rules),
		cmocka_unit_test(only_the_master_adds_files),
		cmocka_unit_test(a_full_log_says_so_and_stays_valid),
		cmocka_unit_test(fsck_reports_space_and_overlapping_files),
		cmocka_unit_test(a_crash_during_an_append_leaves_old_new_or_repairable),
		cmocka_unit_test(repair_restores_a_cut_header_only_as_master),
		cmocka_unit_test(files_by_id),
		cmocka_unit_test(a_batch_of_appends_under_one_lock),
		cmocka_unit_test(a_reserved_file_is_seen_only_once_committed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
