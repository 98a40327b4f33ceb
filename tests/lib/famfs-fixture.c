// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfs file systems as famfs's own tools make them, for the compatibility
 * tests: written byte by byte from doc/famfs-format.md's facts alone (offsets,
 * sizes, zlib crc32), never through famfsctl's writer or its structs, so a
 * famfsctl that drifted from famfs cannot agree with itself here.
 *
 *   famfs-fixture mkfs DEV SYSUUID [49]      mkfs.famfs: flags 0, empty log
 *                                            (49: a version 49 primary)
 *   famfs-fixture secondary DEV PRIMARY      a version 49 secondary of PRIMARY,
 *                                            named by an ADD_DAXDEV entry
 *   famfs-fixture mkdir PRIMARY PATH         a famfs-style MKDIR append
 *   famfs-fixture file PRIMARY PATH SRC NSTRIPS CHUNK [DEV1...]
 *                                            a FILE append: one interleaved
 *                                            extent of NSTRIPS strips, strip s
 *                                            on device s % ndevs (PRIMARY is
 *                                            0, DEV1.. the secondaries in log
 *                                            order; default: all on 0), SRC's
 *                                            bytes placed by the interleave
 *                                            math; NSTRIPS 0: one simple extent
 *   famfs-fixture cut PRIMARY PATH           an append of MKDIR PATH cut before
 *                                            its commit: entry written,
 *                                            next_seqnum bumped, next_index not
 *   famfs-fixture check PRIMARY              what famfs calls clean: superblock
 *                                            magic, exact version, CRC; log
 *                                            magic and CRC; next_seqnum ==
 *                                            next_index; entry i has seqnum i
 *                                            and a good CRC
 *
 * famfs stamps a new entry's seqnum from the header's next_seqnum, as here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>
#include <zlib.h>

#define MiB (1ULL << 20)
#define SB_MAGIC 0x87b282ffULL
#define LOG_MAGIC 0xbadcafef00dULL
#define LOG_OFF (2 * MiB)
#define LOG_LEN (8 * MiB)
#define AU (2 * MiB)
#define HDR 48
#define ENTRY 544
#define MAXDEV 16

struct dev {
	const char *path;
	uint8_t *p;
	uint64_t size;
};

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "famfs-fixture: %s: %s\n", arg, what);
	exit(2);
}

static void map(struct dev *d, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDWR);

	if (fd < 0 || fstat(fd, &st) < 0)
		die("cannot open", path);
	d->path = path;
	d->size = (uint64_t)st.st_size;
	d->p = mmap(NULL, d->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (d->p == MAP_FAILED)
		die("cannot map", path);
}

static uint64_t get64(const uint8_t *p, uint64_t off)
{
	uint64_t v;

	memcpy(&v, p + off, 8);
	return v;
}

static uint32_t get32(const uint8_t *p, uint64_t off)
{
	uint32_t v;

	memcpy(&v, p + off, 4);
	return v;
}

static void put64(uint8_t *p, uint64_t off, uint64_t v)
{
	memcpy(p + off, &v, 8);
}

static void put32(uint8_t *p, uint64_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
}

static uint64_t crc(const uint8_t *p, size_t len)
{
	return crc32(crc32(0L, Z_NULL, 0), p, (uInt)len);
}

/* mkfs.famfs: superblock (flags never set), a log of 8 MiB, no entries. */
static void mkfs(const char *path, const char *sys, int version)
{
	struct dev d;
	uint8_t *sb, *lh;
	uuid_t u;

	map(&d, path);
	sb = d.p;
	lh = d.p + LOG_OFF;
	memset(sb, 0, 2 * MiB);
	memset(lh, 0, LOG_LEN);
	put64(sb, 0, SB_MAGIC);
	put64(sb, 8, (uint64_t)version);
	put64(sb, 16, LOG_OFF);
	put64(sb, 24, LOG_LEN);
	put64(sb, 32, AU);
	put32(sb, 40, 2);
	put32(sb, 44, version == 49 ? 3 : 2);
	uuid_generate(u);
	memcpy(sb + 48, u, 16);               /* the file system */
	uuid_generate(u);
	memcpy(sb + 64, u, 16);               /* the device */
	if (uuid_parse(sys, u) < 0)
		die("not a uuid", sys);
	memcpy(sb + 80, u, 16);               /* the master */
	if (version == 49) {
		/* primary uuid @96 zero, crc @112, flags @120 PRIMARY, daxdev @128 */
		put64(sb, 112, crc(sb, 112));
		put32(sb, 120, 1);
		put64(sb, 128, d.size);
		snprintf((char *)sb + 152, 64, "%s", path);
	} else {
		/* crc @96, flags @104 left 0 as mkfs.famfs does, daxdev @112 */
		put64(sb, 96, crc(sb, 96));
		put64(sb, 112, d.size);
		snprintf((char *)sb + 136, 64, "%s", path);
	}
	put64(lh, 0, LOG_MAGIC);
	put64(lh, 8, LOG_LEN);
	put64(lh, 16, (LOG_LEN - HDR) / ENTRY - 1);
	put64(lh, 24, crc(lh, 24));
	put64(lh, 32, 0);
	put64(lh, 40, 0);
	munmap(d.p, d.size);
}

/* Stamp entry e from next_seqnum, CRC it, write it at next_index; commit
 * (bump both) unless cut. */
static void append(uint8_t *prim, uint8_t *e, int cut)
{
	uint8_t *lh = prim + LOG_OFF;
	uint64_t seq = get64(lh, 32), idx = get64(lh, 40);

	put64(e, 0, seq);
	put64(e, 536, crc(e, 536));
	memcpy(lh + HDR + idx * ENTRY, e, ENTRY);
	put64(lh, 32, seq + 1);
	if (!cut)
		put64(lh, 40, idx + 1);
}

/* A version 49 secondary of the primary, and its ADD_DAXDEV entry. */
static void secondary(const char *path, const char *ppath)
{
	struct dev d, p;
	uint8_t e[ENTRY] = { 0 };
	uint64_t n = 0;
	uuid_t u;

	map(&d, path);
	map(&p, ppath);
	memset(d.p, 0, 2 * MiB);
	memcpy(d.p, p.p, 96);                 /* magic .. master */
	put64(d.p, 16, 0);                    /* no log */
	put64(d.p, 24, 0);
	uuid_generate(u);
	memcpy(d.p + 64, u, 16);              /* its own identity */
	memcpy(d.p + 96, p.p + 64, 16);       /* the primary's, under the CRC */
	put64(d.p, 112, crc(d.p, 112));
	put32(d.p, 120, 2);                   /* SECONDARY */
	put64(d.p, 128, d.size);
	for (uint64_t i = 0; i < get64(p.p + LOG_OFF, 40); i++)
		n += get32(p.p + LOG_OFF + HDR + i * ENTRY, 8) == 3;
	put32(e, 8, 3);                       /* ADD_DAXDEV */
	put64(e, 16, d.size);
	memcpy(e + 24, u, 16);
	put32(e, 40, (uint32_t)(n + 1));      /* dense, the primary is 0 */
	append(p.p, e, 0);
	munmap(d.p, d.size);
	munmap(p.p, p.size);
}

static void dir_entry(const char *ppath, const char *rel, int cut)
{
	struct dev p;
	uint8_t e[ENTRY] = { 0 };

	map(&p, ppath);
	put32(e, 8, 1);                       /* MKDIR */
	put32(e, 16 + 8, 0755);
	snprintf((char *)e + 16 + 12, 80, "%s", rel);
	append(p.p, e, cut);
	munmap(p.p, p.size);
}

/* The first free offset on device index dev: past the superblock (and on
 * the primary the log) and every extent the log records there. */
static uint64_t free_at(uint8_t *prim, uint64_t dev)
{
	uint8_t *lh = prim + LOG_OFF;
	uint64_t end = dev ? 2 * MiB : LOG_OFF + LOG_LEN;

	for (uint64_t i = 0; i < get64(lh, 40); i++) {
		uint8_t *e = lh + HDR + i * ENTRY, *f = e + 16 + 104;

		if (get32(e, 8) != 0)
			continue;
		if (get32(f, 0) == 0) {
			for (uint32_t k = 0; k < get32(f, 8); k++)
				if (get64(f, 16 + k * 24) == dev &&
				    get64(f, 16 + k * 24 + 8) + get64(f, 16 + k * 24 + 16) > end)
					end = get64(f, 16 + k * 24 + 8) + get64(f, 16 + k * 24 + 16);
		} else {
			for (uint64_t s = 0; s < get64(f, 16); s++) {
				uint8_t *x = f + 32 + s * 24;

				if (get64(x, 0) == dev && get64(x, 8) + get64(x, 16) > end)
					end = get64(x, 8) + get64(x, 16);
			}
		}
	}
	return end;
}

static void file_entry(const char *ppath, const char *rel, const char *src, unsigned int nstrips,
		       uint64_t chunk, char **devs, int ndevs)
{
	struct dev d[MAXDEV];
	uint8_t e[ENTRY] = { 0 }, *fc = e + 16, *f = fc + 104, *buf;
	uint64_t size, next[MAXDEV];
	struct stat st;
	int fd;

	map(&d[0], ppath);
	for (int i = 1; i < ndevs; i++)
		map(&d[i], devs[i]);
	fd = open(src, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		die("cannot read", src);
	size = (uint64_t)st.st_size;
	buf = malloc(size ? size : 1);
	if (!buf || read(fd, buf, size) != (ssize_t)size)
		die("cannot read", src);
	close(fd);
	for (int i = 0; i < ndevs; i++)
		next[i] = free_at(d[0].p, (uint64_t)i);
	put32(e, 8, 0);                       /* FILE */
	put64(fc, 0, size);
	put32(fc, 8, 2);                      /* ALL_HOSTS_RW */
	put32(fc, 20, 0644);
	snprintf((char *)fc + 24, 80, "%s", rel);
	if (nstrips == 0) {
		uint64_t len = (size + AU - 1) / AU * AU;

		put32(f, 0, 0);               /* SIMPLE */
		put32(f, 8, 1);
		put64(f, 16, 0);
		put64(f, 24, next[0]);
		put64(f, 32, len);
		memcpy(d[0].p + next[0], buf, size);
	} else {
		uint64_t per = (size + chunk * nstrips - 1) / (chunk * nstrips) * chunk;

		put32(f, 0, 1);               /* INTERLEAVE */
		put32(f, 8, 1);
		put64(f, 16, nstrips);
		put64(f, 24, chunk);
		for (unsigned int s = 0; s < nstrips; s++) {
			uint64_t dev = s % (unsigned int)ndevs;

			/* several strips on one device: one after another */
			put64(f, 32 + s * 24, dev);
			put64(f, 32 + s * 24 + 8, next[dev]);
			put64(f, 32 + s * 24 + 16, per);
			next[dev] += per;
		}
		for (uint64_t off = 0; off < size; off += chunk) {
			uint64_t c = off / chunk, s = c % nstrips;
			uint64_t dev = get64(f, 32 + s * 24);
			uint64_t at = get64(f, 32 + s * 24 + 8) + (c / nstrips) * chunk;
			uint64_t n = size - off < chunk ? size - off : chunk;

			memcpy(d[dev].p + at, buf + off, n);
		}
	}
	append(d[0].p, e, 0);
	free(buf);
	for (int i = 0; i < ndevs; i++)
		munmap(d[i].p, d[i].size);
}

/* What famfs's own tools call clean; prints what is not. */
static int check(const char *ppath)
{
	struct dev p;
	uint8_t *sb, *lh;
	uint64_t v, n;
	int bad = 0;

	map(&p, ppath);
	sb = p.p;
	lh = p.p + LOG_OFF;
	v = get64(sb, 8);
	if (get64(sb, 0) != SB_MAGIC || (v != 48 && v != 49)) {
		printf("superblock: bad magic or version %llu\n", (unsigned long long)v);
		return 1;
	}
	if (get64(sb, v == 49 ? 112 : 96) != crc(sb, v == 49 ? 112 : 96)) {
		printf("superblock: CRC\n");
		bad = 1;
	}
	if (get64(lh, 0) != LOG_MAGIC || get64(lh, 24) != crc(lh, 24)) {
		printf("log header: magic or CRC\n");
		bad = 1;
	}
	if (get64(lh, 32) != get64(lh, 40)) {
		printf("log header: next_seqnum %llu, next_index %llu\n",
		       (unsigned long long)get64(lh, 32), (unsigned long long)get64(lh, 40));
		bad = 1;
	}
	n = get64(lh, 40);
	for (uint64_t i = 0; i < n && i <= get64(lh, 16); i++) {
		uint8_t *e = lh + HDR + i * ENTRY;

		if (get64(e, 0) != i || get64(e, 536) != crc(e, 536)) {
			printf("log entry %llu: seqnum %llu or CRC\n", (unsigned long long)i,
			       (unsigned long long)get64(e, 0));
			bad = 1;
		}
	}
	if (!bad)
		printf("clean: version %llu, %llu entries\n", (unsigned long long)v,
		       (unsigned long long)n);
	return bad;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "mkfs"))
		mkfs(argv[2], argv[3], argc > 4 ? atoi(argv[4]) : 48);
	else if (argc == 4 && !strcmp(argv[1], "secondary"))
		secondary(argv[2], argv[3]);
	else if (argc == 4 && !strcmp(argv[1], "mkdir"))
		dir_entry(argv[2], argv[3], 0);
	else if (argc == 4 && !strcmp(argv[1], "cut"))
		dir_entry(argv[2], argv[3], 1);
	else if (argc >= 7 && !strcmp(argv[1], "file"))
		file_entry(argv[2], argv[3], argv[4], (unsigned int)atoi(argv[5]),
			   strtoull(argv[6], NULL, 0), argv + 6, argc > 7 ? argc - 6 : 1);
	else if (argc == 3 && !strcmp(argv[1], "check"))
		return check(argv[2]);
	else
		die("see the comment at the top of tests/lib/famfs-fixture.c", argv[0]);
	return 0;
}
