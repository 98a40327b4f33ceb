// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfs format and check over many members (lib/famfs-format.c), on sparse
 * files. The layout is checked byte by byte at the offsets doc/famfs-format.md names,
 * with CRCs computed here independently, so a change to the structs that
 * kept the code self-consistent but broke famfs compatibility still fails.
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
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <zlib.h>
#include <famfsctl/libfamfsctl.h>
#include "tests/lib/famfs-report.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define LOG_OFF (2 * MiB)
#define MAXM 22

static char dir[] = "/tmp/famfsctl-format-XXXXXX";
static char paths[MAXM][128];
static const char *pp[MAXM];
static uuid_t tags[MAXM];
static struct fc_ctx *ctx;

static void quiet(struct fc_ctx *c, int prio, const char *file, int line,
		  const char *fn, const char *fmt, va_list ap)
{
}

/* n members: the primary 4 GiB, secondaries 64 MiB (sparse). */
static void make_members(unsigned int n, uint64_t primary_size)
{
	for (unsigned int i = 0; i < n; i++) {
		int fd;

		snprintf(paths[i], sizeof(paths[i]), "%s/m%u", dir, i);
		unlink(paths[i]);
		fd = open(paths[i], O_CREAT | O_RDWR | O_TRUNC, 0600);
		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, (off_t)(i ? 64 * MiB : primary_size)), 0);
		close(fd);
		pp[i] = paths[i];
		/* fixed tags: 11111111-..., member i in the last byte */
		memset(tags[i], 0x11, 16);
		tags[i][15] = (uint8_t)i;
	}
}

static struct fc_famfs_format_opts opts(void)
{
	struct fc_famfs_format_opts o = { .log_len = 8 * MiB, .tags = tags };

	memset(o.system_uuid, 0x5a, 16);
	return o;
}

static void read_at(unsigned int member, uint64_t off, void *buf, size_t len)
{
	int fd = open(paths[member], O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, len, (off_t)off), (ssize_t)len);
	close(fd);
}

static uint64_t u64_at(unsigned int m, uint64_t off)
{
	uint64_t v;

	read_at(m, off, &v, sizeof(v));
	return v;
}

static uint32_t u32_at(unsigned int m, uint64_t off)
{
	uint32_t v;

	read_at(m, off, &v, sizeof(v));
	return v;
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
	char cmd[128];

	fc_unref(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static void superblock_is_famfs_version_48_at_the_abi_offsets(void **state)
{
	struct fc_famfs_format_opts o = opts();
	uint8_t sb[200], u[16];
	uLong crc;

	make_members(1, 4 * GiB);
	assert_int_equal(fc_famfs_format(ctx, pp, 1, &o, NULL), 0);
	read_at(0, 0, sb, sizeof(sb));
	assert_int_equal(u64_at(0, 0), 0x87b282ffULL);       /* magic */
	assert_int_equal(u64_at(0, 8), 48);                  /* version */
	assert_int_equal(u64_at(0, 16), 0x200000);           /* log offset */
	assert_int_equal(u64_at(0, 24), 8 * MiB);            /* log length */
	assert_int_equal(u64_at(0, 32), 0x200000);           /* allocation unit */
	assert_int_equal(u32_at(0, 40), 2);                  /* omf major */
	assert_int_equal(u32_at(0, 44), 2);                  /* omf minor */
	assert_memory_equal(sb + 64, tags[0], 16);           /* dev uuid = tag */
	memset(u, 0x5a, 16);
	assert_memory_equal(sb + 80, u, 16);                 /* system uuid */
	/* crc32 fed field by field over magic..system_uuid */
	crc = crc32(0L, Z_NULL, 0);
	for (unsigned int off = 0; off < 48; off += off < 40 ? 8 : 4)
		crc = crc32(crc, sb + off, off < 40 ? 8 : 4);
	crc = crc32(crc, sb + 48, 16);
	crc = crc32(crc, sb + 64, 16);
	crc = crc32(crc, sb + 80, 16);
	assert_int_equal(u64_at(0, 96), crc);
	assert_int_equal(u32_at(0, 104), 1);                 /* PRIMARY */
	assert_int_equal(u64_at(0, 112), 4 * GiB);           /* daxdev size */
	assert_memory_equal(sb + 120, tags[0], 16);
	assert_string_equal((char *)sb + 136, paths[0]);     /* host-local path */
}

static void log_header_sizes_the_log_in_544_byte_entries(void **state)
{
	uint8_t lh[48];

	/* the file system the previous test formatted */
	read_at(0, LOG_OFF, lh, sizeof(lh));
	assert_int_equal(u64_at(0, LOG_OFF), 0xbadcafef00dULL);
	assert_int_equal(u64_at(0, LOG_OFF + 8), 8 * MiB);
	assert_int_equal(u64_at(0, LOG_OFF + 16), 15419);   /* 15,420 entries */
	assert_int_equal(u64_at(0, LOG_OFF + 24), crc32(crc32(0L, Z_NULL, 0), lh, 24));
	assert_int_equal(u64_at(0, LOG_OFF + 32), 0);       /* next seqnum */
	assert_int_equal(u64_at(0, LOG_OFF + 40), 0);       /* next index */
}

/* The ADD_DAXDEV entries format writes for members 1..3 (both versions). */
static void add_daxdev_entries_name_members_1_to_3(void)
{
	assert_int_equal(u64_at(0, LOG_OFF + 32), 3);
	assert_int_equal(u64_at(0, LOG_OFF + 40), 3);
	for (unsigned int i = 1; i < 4; i++) {
		uint64_t e = LOG_OFF + 48 + (i - 1) * 544;
		uint8_t entry[544];

		read_at(0, e, entry, sizeof(entry));
		assert_int_equal(u64_at(0, e), i - 1);           /* seqnum = slot */
		assert_int_equal(u32_at(0, e + 8), 3);           /* ADD_DAXDEV */
		assert_int_equal(u64_at(0, e + 16), 64 * MiB);   /* size */
		assert_memory_equal(entry + 24, tags[i], 16);    /* uuid = tag */
		assert_int_equal(u32_at(0, e + 40), i);          /* dense index */
		assert_int_equal(u64_at(0, e + 536), crc32(crc32(0L, Z_NULL, 0), entry, 536));
	}
}

/*
 * Several members: version 49 (OMF 2.3) by default, its secondaries naming
 * the primary in ts_primary_dev_uuid at 96, under the CRC (now at 112),
 * flags at 120, daxdev at 128; the primary with PRIMARY and a zero uuid.
 */
static void each_further_member_is_an_add_daxdev_entry_and_a_v49_secondary(void **state)
{
	struct fc_famfs_format_opts o = opts();
	static const uint8_t zero[16];
	struct json_object *r;
	uint8_t sb[216];
	uuid_t fs;

	make_members(4, 4 * GiB);
	assert_int_equal(fc_famfs_format(ctx, pp, 4, &o, fs), 0);
	add_daxdev_entries_name_members_1_to_3();
	read_at(0, 0, sb, sizeof(sb));
	assert_int_equal(u64_at(0, 8), 49);
	assert_int_equal(u32_at(0, 40), 2);
	assert_int_equal(u32_at(0, 44), 3);                  /* OMF 2.3 */
	assert_memory_equal(sb + 96, zero, 16);              /* the primary names none */
	assert_int_equal(u64_at(0, 112), crc32(crc32(0L, Z_NULL, 0), sb, 112));
	assert_int_equal(u32_at(0, 120), 1);                 /* PRIMARY */
	assert_int_equal(u64_at(0, 128), 4 * GiB);           /* daxdev size */
	assert_string_equal((char *)sb + 152, paths[0]);
	for (unsigned int i = 1; i < 4; i++) {
		read_at(i, 0, sb, sizeof(sb));
		assert_int_equal(u64_at(i, 0), 0x87b282ffULL);
		assert_int_equal(u64_at(i, 8), 49);
		assert_int_equal(u64_at(i, 16), 0);              /* no log */
		assert_int_equal(u64_at(i, 24), 0);
		assert_memory_equal(sb + 48, fs, 16);            /* same fs uuid */
		assert_memory_equal(sb + 64, tags[i], 16);       /* its own tag */
		assert_memory_equal(sb + 96, tags[0], 16);       /* the primary's, covered */
		assert_int_equal(u64_at(i, 112), crc32(crc32(0L, Z_NULL, 0), sb, 112));
		assert_int_equal(u32_at(i, 120), 2);             /* SECONDARY */
		assert_int_equal(u64_at(i, 128), 64 * MiB);
	}
	assert_int_equal(fc_famfs_check(ctx, pp, 4, &r), 0);
	assert_int_equal(json_object_get_int(json_object_object_get(r, "version")), 49);
	json_object_put(r);

	/* the primary's identity is under each secondary's CRC now: a
	 * secondary naming another primary is caught by its CRC */
	{
		int fd = open(paths[2], O_RDWR);
		uint8_t b;

		assert_int_equal(pread(fd, &b, 1, 100), 1);
		b ^= 0xff;
		assert_int_equal(pwrite(fd, &b, 1, 100), 1);
		close(fd);
		assert_int_equal(fc_famfs_check(ctx, pp, 4, &r), -EUCLEAN);
		assert_string_equal(problem_field(r, 0, "code"), "sb-crc");
		json_object_put(r);
	}
}

/* Version 48 over several members only when forced: its secondaries keep
 * the primary's tag in the uncovered dd_uuid (offset 120). */
static void version_48_over_several_members_only_when_forced(void **state)
{
	struct fc_famfs_format_opts o = opts();
	struct json_object *r;
	uuid_t fs;

	make_members(4, 4 * GiB);
	o.version = 48;
	assert_int_equal(fc_famfs_format(ctx, pp, 4, &o, fs), -EINVAL);
	assert_int_equal(u64_at(0, 0), 0);                   /* nothing written */
	o.version = 50;
	assert_int_equal(fc_famfs_format(ctx, pp, 1, &o, fs), -EINVAL);
	assert_int_equal(u64_at(0, 0), 0);
	o.version = 48;
	o.force = true;
	assert_int_equal(fc_famfs_format(ctx, pp, 4, &o, fs), 0);
	add_daxdev_entries_name_members_1_to_3();
	assert_int_equal(u64_at(0, 8), 48);
	assert_int_equal(u32_at(0, 104), 1);                 /* PRIMARY */
	for (unsigned int i = 1; i < 4; i++) {
		uint8_t sb[200];

		read_at(i, 0, sb, sizeof(sb));
		assert_int_equal(u64_at(i, 8), 48);
		assert_int_equal(u32_at(i, 44), 2);              /* OMF 2.2 */
		assert_int_equal(u32_at(i, 104), 2);             /* SECONDARY */
		assert_int_equal(u64_at(i, 16), 0);              /* no log */
		assert_int_equal(u64_at(i, 24), 0);
		assert_memory_equal(sb + 48, fs, 16);            /* same fs uuid */
		assert_memory_equal(sb + 64, tags[i], 16);       /* its own tag */
		assert_memory_equal(sb + 120, tags[0], 16);      /* the primary's tag */
		assert_int_equal(u64_at(i, 96), crc32(crc32(0L, Z_NULL, 0), sb, 96));
	}
	assert_int_equal(fc_famfs_check(ctx, pp, 4, &r), 0);
	assert_int_equal(json_object_get_int(json_object_object_get(r, "version")), 48);
	json_object_put(r);
	/* one member: 48 without asking (what today's famfs mounts) */
	o.version = 0;
	assert_int_equal(fc_famfs_format(ctx, pp, 1, &o, fs), 0);
	assert_int_equal(u64_at(0, 8), 48);
}

/* A secondary of another version than its primary's is not a member. */
static void members_of_mixed_versions_are_found(void **state)
{
	struct fc_famfs_format_opts o = opts();
	struct json_object *r;
	uint8_t sb[216] = { 0 };
	uint64_t v;
	uint32_t flags = 2;
	uLong crc;
	int fd;

	make_members(2, 4 * GiB);
	assert_int_equal(fc_famfs_format(ctx, pp, 2, &o, NULL), 0); /* 49 */
	/* member 1 rewritten as a valid version 48 secondary of the same file
	 * system (doc/famfs-format.md's 48 layout: flags @104, primary's tag @120) */
	v = 0x87b282ffULL;
	memcpy(sb, &v, 8);
	v = 48;
	memcpy(sb + 8, &v, 8);
	v = 0x200000;
	memcpy(sb + 32, &v, 8);
	memcpy(sb + 40, &(uint32_t){ 2 }, 4);
	memcpy(sb + 44, &(uint32_t){ 2 }, 4);
	read_at(0, 48, sb + 48, 16);                     /* the file system */
	memcpy(sb + 64, tags[1], 16);                    /* its own tag */
	read_at(0, 80, sb + 80, 16);                     /* the master */
	crc = crc32(crc32(0L, Z_NULL, 0), sb, 96);
	v = crc;
	memcpy(sb + 96, &v, 8);
	memcpy(sb + 104, &flags, 4);
	memcpy(sb + 120, tags[0], 16);                   /* the primary's tag */
	fd = open(paths[1], O_RDWR);
	assert_int_equal(pwrite(fd, sb, sizeof(sb), 0), (ssize_t)sizeof(sb));
	close(fd);
	assert_int_equal(fc_famfs_check(ctx, pp, 2, &r), -EUCLEAN);
	assert_string_equal(problem_field(r, 0, "code"), "sb-version-mix");
	assert_string_equal(problem_field(r, 0, "member"), paths[1]);
	json_object_put(r);
}

static void check_is_clean_for_1_4_and_22_members_in_any_order(void **state)
{
	static const unsigned int sizes[] = { 1, 4, 22 };
	struct fc_famfs_format_opts o = opts();

	for (size_t s = 0; s < 3; s++) {
		unsigned int n = sizes[s];
		const char *shuffled[MAXM];
		struct json_object *r, *mem;

		make_members(n, 4 * GiB);
		assert_int_equal(fc_famfs_format(ctx, pp, n, &o, NULL), 0);
		/* primary first, the others reversed: matched by tag */
		shuffled[0] = pp[0];
		for (unsigned int i = 1; i < n; i++)
			shuffled[i] = pp[n - i];
		assert_int_equal(fc_famfs_check(ctx, shuffled, n, &r), 0);
		assert_true(json_object_get_boolean(json_object_object_get(r, "clean")));
		mem = json_object_object_get(r, "members");
		assert_int_equal(json_object_array_length(mem), n);
		assert_int_equal(json_object_get_int(json_object_object_get(
			json_object_array_get_idx(mem, n - 1), "index")), n - 1);
		assert_int_equal(json_object_get_uint64(json_object_object_get(r, "log_entries_used")),
				 n - 1);
		json_object_put(r);
	}
}

static void refusals_change_nothing(void **state)
{
	struct fc_famfs_format_opts o = opts();
	uint8_t before[200], after[200];

	make_members(2, 4 * GiB);
	assert_int_equal(fc_famfs_format(ctx, pp, 2, &o, NULL), 0);
	read_at(0, 0, before, sizeof(before));

	/* already formatted: refused without force */
	assert_int_equal(fc_famfs_format(ctx, pp, 2, &o, NULL), -EEXIST);
	/* duplicate tags */
	o.force = true;
	memcpy(tags[1], tags[0], 16);
	assert_int_equal(fc_famfs_format(ctx, pp, 2, &o, NULL), -EINVAL);
	tags[1][15] = 1;
	/* a log that is not a power of two, or too small */
	o.log_len = 12 * MiB;
	assert_int_equal(fc_famfs_format(ctx, pp, 2, &o, NULL), -EINVAL);
	o.log_len = 4 * MiB;
	assert_int_equal(fc_famfs_format(ctx, pp, 2, &o, NULL), -EINVAL);
	read_at(0, 0, after, sizeof(after));
	assert_memory_equal(before, after, sizeof(before));
	assert_int_equal(fc_famfs_check(ctx, pp, 2, NULL), 0);

	/* a primary under 4 GiB */
	make_members(1, 4 * GiB - 2 * MiB);
	o.log_len = 8 * MiB;
	assert_int_equal(fc_famfs_format(ctx, pp, 1, &o, NULL), -ENOSPC);
	assert_int_equal(u64_at(0, 0), 0);
	assert_int_equal(fc_famfs_check(ctx, pp, 1, NULL), -ENOENT);
}

static void check_finds_damage_and_strangers(void **state)
{
	struct fc_famfs_format_opts o = opts();
	struct json_object *r;
	const char *three[3];
	uint8_t byte;
	int fd;

	make_members(3, 4 * GiB);
	assert_int_equal(fc_famfs_format(ctx, pp, 3, &o, NULL), 0);

	/* a missing member */
	assert_int_equal(fc_famfs_check(ctx, pp, 2, &r), -EUCLEAN);
	assert_int_equal(json_object_array_length(json_object_object_get(r, "problems")), 1);
	assert_string_equal(problem_field(r, 0, "code"), "member-missing");
	assert_non_null(strstr(problem_field(r, 0, "text"),
			       "member 2 (tag 11111111-1111-1111-1111-111111111102) is missing"));
	json_object_put(r);

	/* a secondary's superblock damaged: its CRC no longer matches (the
	 * byte is flipped: writing a constant would change nothing when the
	 * random fs uuid already held it, one run in 256) */
	fd = open(paths[2], O_RDWR);
	assert_int_equal(pread(fd, &byte, 1, 50), 1);
	byte ^= 0xff;
	assert_int_equal(pwrite(fd, &byte, 1, 50), 1);
	close(fd);
	assert_int_equal(fc_famfs_check(ctx, pp, 3, &r), -EUCLEAN);
	assert_string_equal(problem_field(r, 0, "code"), "sb-crc");
	assert_string_equal(problem_field(r, 0, "member"), paths[2]);
	json_object_put(r);

	/* a log entry damaged */
	make_members(3, 4 * GiB);
	assert_int_equal(fc_famfs_format(ctx, pp, 3, &o, NULL), 0);
	fd = open(paths[0], O_RDWR);
	assert_int_equal(pread(fd, &byte, 1, LOG_OFF + 48 + 544 + 20), 1);
	byte ^= 0xff;
	assert_int_equal(pwrite(fd, &byte, 1, LOG_OFF + 48 + 544 + 20), 1);
	close(fd);
	assert_int_equal(fc_famfs_check(ctx, pp, 3, &r), -EUCLEAN);
	assert_string_equal(problem_field(r, 0, "code"), "log-entry");
	assert_string_equal(problem_field(r, 0, "member"), paths[0]);
	json_object_put(r);

	/* a member of another file system, offered in place of a real one */
	make_members(3, 4 * GiB);
	assert_int_equal(fc_famfs_format(ctx, pp, 3, &o, NULL), 0);
	snprintf(paths[3], sizeof(paths[3]), "%s/stranger", dir);
	fd = open(paths[3], O_CREAT | O_RDWR | O_TRUNC, 0600);
	assert_int_equal(ftruncate(fd, (off_t)(4 * GiB)), 0);
	close(fd);
	three[0] = paths[3];
	three[1] = paths[2];
	tags[0][15] = 0x40; /* the stranger's own tag */
	tags[1][15] = 2;    /* ...and a copy of member 2's */
	o.force = true;     /* member 2 holds our secondary superblock */
	assert_int_equal(fc_famfs_format(ctx, three, 2, &o, NULL), 0);
	/* member 2 now belongs to the stranger's file system */
	assert_int_equal(fc_famfs_check(ctx, pp, 3, &r), -EUCLEAN);
	assert_false(json_object_get_boolean(json_object_object_get(r, "clean")));
	assert_string_equal(problem_field(r, 0, "code"), "member-foreign");
	json_object_put(r);
}

/*
 * Kill format before each of its write steps (FAMFSCTL_FAULT=format:N, a
 * power cut with no cleanup): afterwards the members hold either the old
 * file system untouched (crash before the first write), no file system, or
 * the complete new one -- never something check calls damaged.
 */
static void a_crash_at_any_step_leaves_old_none_or_new(void **state)
{
	struct fc_famfs_format_opts o = opts();
	const unsigned int n = 4, steps = n + 1 + (n - 1) + 1;
	unsigned int saw_none = 0, saw_new = 0;
	uint8_t old_fs[16], fs[16];

	for (unsigned int step = 1; step <= steps + 1; step++) {
		char fault[32];
		int status;
		pid_t pid;

		make_members(n, 4 * GiB);
		o.force = false;
		assert_int_equal(fc_famfs_format(ctx, pp, n, &o, NULL), 0); /* the old one */
		read_at(0, 48, old_fs, 16);
		o.force = true;
		snprintf(fault, sizeof(fault), "format:%u", step);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			setenv("FAMFSCTL_FAULT", fault, 1);
			_exit(fc_famfs_format(ctx, pp, n, &o, NULL) == 0 ? 0 : 1);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		if (step <= steps)
			assert_int_equal(WEXITSTATUS(status), 99); /* it did crash */
		else
			assert_int_equal(WEXITSTATUS(status), 0);  /* past the last step */

		switch (fc_famfs_check(ctx, pp, n, NULL)) {
		case -ENOENT:
			saw_none++;
			break;
		case 0:
			read_at(0, 48, fs, 16);
			if (step == 1)
				assert_memory_equal(fs, old_fs, 16);
			else {
				assert_memory_not_equal(fs, old_fs, 16);
				saw_new++;
			}
			break;
		default:
			fail_msg("crash before step %u left a damaged file system", step);
		}
	}
	assert_int_equal(saw_none, steps - 1);
	assert_int_equal(saw_new, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(superblock_is_famfs_version_48_at_the_abi_offsets),
		cmocka_unit_test(log_header_sizes_the_log_in_544_byte_entries),
		cmocka_unit_test(each_further_member_is_an_add_daxdev_entry_and_a_v49_secondary),
		cmocka_unit_test(version_48_over_several_members_only_when_forced),
		cmocka_unit_test(members_of_mixed_versions_are_found),
		cmocka_unit_test(check_is_clean_for_1_4_and_22_members_in_any_order),
		cmocka_unit_test(refusals_change_nothing),
		cmocka_unit_test(check_finds_damage_and_strangers),
		cmocka_unit_test(a_crash_at_any_step_leaves_old_none_or_new),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
