// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing famfs images: a seeded mutation fuzzer over a 1-member and a
 * 4-member file system (sparse files, formatted and filled through the API,
 * then mapped here). Each input mutates superblocks, the log header and log
 * entries -- bit flips, interesting values in 64- and 32-bit fields, bytes,
 * entries copied over others -- and, most of the time, fixes the CRCs so the
 * mutation reaches the checks behind them. Then, on each input:
 *
 *  - fsck (fc_famfs_check) returns 0, -EUCLEAN or -ENOENT;
 *  - open refuses exactly what fsck reports (read-only and as master);
 *  - an image that opens is read whole: every directory listed, every file
 *    stat'ed and read at its start, its end and a random offset;
 *  - a reader opened before the mutation refreshes: it refuses damaged
 *    appended entries (as fsck does) and then still serves what it served;
 *    entries it checked before stay as it checked them;
 *  - a master that opens adds a directory and a file, and fsck stays clean.
 *
 * A crash, a sanitizer report or a broken rule fails `make check`, naming
 * the seed and the input. The budget: FUZZ_ITERATIONS inputs (default 300)
 * or FUZZ_SECONDS (default 20), whichever ends first; FUZZ_SEED picks the
 * run (default 1). A longer run by hand, best in a sanitizer build
 * (../configure --enable-sanitizers):
 *
 *   FUZZ_SEED=7 FUZZ_ITERATIONS=1000000 FUZZ_SECONDS=3600 tests/unit/fuzz-famfs
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "tests/lib/famfs-image.h"

#define SNAP_PRIMARY (IMG_LOG_OFF + 64 * 1024) /* superblock, header, the first 120 entries */
#define SNAP_SECONDARY 4096

static struct fc_ctx *ctx;
static uint64_t rng, seed, iteration;
static uint64_t outcome[3]; /* clean, damaged, no file system */
/* a refresh reads only what was appended since (the log is append-only)
 * and never re-reads superblocks: what fsck and refresh must agree on */
static bool touched_sb, touched_old;
static char trail[2048]; /* what this input did, for the failure message */

static void quiet(struct fc_ctx *c, int prio, const char *file, int line,
		  const char *fn, const char *fmt, va_list ap)
{
}

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	size_t l = strlen(trail);
	va_list ap;

	va_start(ap, fmt);
	if (l < sizeof(trail) - 1)
		vsnprintf(trail + l, sizeof(trail) - l, fmt, ap);
	va_end(ap);
}

static void broken(const char *why)
{
	fprintf(stderr, "fuzz-famfs: seed %llu input %llu: %s\n  input: %s\n",
		(unsigned long long)seed, (unsigned long long)iteration, why, trail);
	abort();
}

struct image {
	struct img im;
	uint8_t *snap[IMG_MAX];
	uint64_t used; /* entries logged in the pristine image */
};

static void fill(struct image *x, const char *dir, unsigned int n)
{
	struct fc_famfs_file_opts fo = { .chunk = 2 * IMG_MiB, .strips = n, .mode = 0644 };
	struct fc_famfs *fs;
	char name[32];

	if (img_create(ctx, &x->im, dir, n, 128 * IMG_MiB) < 0 ||
	    fc_famfs_open(ctx, x->im.pp, n, x->im.master, &fs) < 0)
		broken("cannot make the image");
	if (fc_famfs_mkdir(fs, "d", 0755, 0, 0) < 0 || fc_famfs_mkdir(fs, "d/e", 0755, 0, 0) < 0 ||
	    fc_famfs_creat(fs, "d/small", 5000, &fo) < 0 ||
	    fc_famfs_creat(fs, "big", 24 * IMG_MiB + 7, &fo) < 0 ||
	    fc_famfs_pwrite(fs, "big", "famfs", 5, 0) != 5)
		broken("cannot fill the image");
	for (int i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "d/e/f%d", i);
		if (fc_famfs_creat(fs, name, 4096 * (uint64_t)(i + 1), &fo) < 0)
			broken("cannot fill the image");
	}
	fc_famfs_close(fs);
	x->used = *img_u64(&x->im, 0, H_NEXT_INDEX);
	for (unsigned int i = 0; i < n; i++) {
		size_t len = i ? SNAP_SECONDARY : SNAP_PRIMARY;

		x->snap[i] = malloc(len);
		memcpy(x->snap[i], x->im.map[i], len);
	}
}

static void restore(struct image *x)
{
	for (unsigned int i = 0; i < x->im.n; i++)
		memcpy(x->im.map[i], x->snap[i], i ? SNAP_SECONDARY : SNAP_PRIMARY);
}

static uint64_t interesting(void)
{
	static const uint64_t v[] = { 0, 1, 2, 3, 15, 16, 17, 254, 255, 256, 4096,
				      2ULL << 20, 3ULL << 20, 4ULL << 20, 1ULL << 30,
				      4ULL << 30, 1ULL << 32, 1ULL << 63, UINT64_MAX,
				      UINT64_MAX - (2ULL << 20) + 1, 0xffffffff, 15420, 15421 };

	return next() % 4 ? v[next() % (sizeof(v) / sizeof(v[0]))] : next();
}

/* One mutation of a superblock, the log header or an entry. */
static void mutate_one(struct image *x)
{
	struct img *im = &x->im;
	unsigned int what = next() % 8, m = 0;
	uint64_t base, len, e = 0;
	bool fix = next() % 4 != 0;

	if (what == 0) { /* a superblock */
		touched_sb = true;
		m = (unsigned int)(next() % im->n);
		base = 0;
		len = 200;
	} else if (what == 1) { /* the log header */
		base = IMG_LOG_OFF;
		len = 48;
	} else { /* an entry: mostly the used ones, sometimes just past them */
		e = next() % (x->used + 2);
		touched_old |= e < x->used;
		base = IMG_ENTRY(e);
		len = 544;
	}
	switch (next() % 5) {
	case 0: {
		uint64_t bit = next() % (len * 8);

		im->map[m][base + bit / 8] ^= (uint8_t)(1u << (bit % 8));
		note("[%u@%llu bit %llu]", m, (unsigned long long)base, (unsigned long long)bit);
		break;
	}
	case 1: {
		uint64_t off = (next() % (len / 8)) * 8, v = interesting();

		memcpy(im->map[m] + base + off, &v, 8);
		note("[%u@%llu+%llu=%llu]", m, (unsigned long long)base, (unsigned long long)off,
		     (unsigned long long)v);
		break;
	}
	case 2: {
		uint64_t off = (next() % (len / 4)) * 4;
		uint32_t v = (uint32_t)interesting();

		memcpy(im->map[m] + base + off, &v, 4);
		note("[%u@%llu+%llu=u32 %u]", m, (unsigned long long)base, (unsigned long long)off, v);
		break;
	}
	case 3: {
		uint64_t off = next() % len;

		im->map[m][base + off] = (uint8_t)next();
		note("[%u@%llu+%llu byte]", m, (unsigned long long)base, (unsigned long long)off);
		break;
	}
	case 4: /* another entry's bytes over this one (names, extents reused) */
		if (what >= 2) {
			uint64_t from = next() % x->used;

			memcpy(im->map[0] + base, im->map[0] + IMG_ENTRY(from), 544);
			note("[entry %llu over %llu]", (unsigned long long)from, (unsigned long long)e);
		}
		break;
	}
	if (!fix)
		return;
	note("[crc]");
	if (what == 0)
		img_fix_superblock(im, m);
	else if (what == 1)
		img_fix_header(im);
	else
		img_fix_entry(im, e);
}

/* ---- reading everything an open file system shows ---- */

struct walk {
	struct fc_famfs *fs;
	char dir[256];
	unsigned int depth, seen;
};

static void read_file(struct fc_famfs *fs, const char *path, uint64_t size)
{
	static uint8_t buf[1 << 20];
	uint64_t offs[3] = { 0, size > 4096 ? size - 4096 : 0, size ? next() % size : 0 };

	for (int i = 0; i < 3; i++) {
		ssize_t r = fc_famfs_pread(fs, path, buf, sizeof(buf), offs[i]);

		if (r < 0 && r != -EUCLEAN)
			broken("a read failed other than with -EUCLEAN");
		if (r > 0 && (uint64_t)r > size - offs[i])
			broken("a read past the file's size");
	}
}

static int visit(void *arg, const char *name, const struct fc_famfs_stat *st)
{
	struct walk *w = arg, sub;
	struct fc_famfs_stat st2;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", w->dir, name);
	w->seen++;
	if (fc_famfs_getattr(w->fs, path, &st2) < 0 || st2.is_dir != st->is_dir || st2.size != st->size)
		broken("readdir shows what getattr does not");
	if (!st->is_dir) {
		read_file(w->fs, path, st->size);
		return 0;
	}
	if (w->depth >= 8 || strlen(path) >= sizeof(sub.dir))
		return 0;
	sub = *w;
	snprintf(sub.dir, sizeof(sub.dir), "%s", path);
	sub.depth++;
	sub.seen = 0;
	if (fc_famfs_readdir(w->fs, path, visit, &sub) < 0)
		broken("a directory readdir showed cannot be listed");
	w->seen += sub.seen;
	return 0;
}

static unsigned int read_all(struct fc_famfs *fs)
{
	struct walk w = { .fs = fs };

	if (fc_famfs_readdir(fs, "/", visit, &w) < 0)
		broken("the root cannot be listed");
	return w.seen;
}

/* ---- one input ---- */

static void one(struct image *x)
{
	struct img *im = &x->im;
	struct fc_famfs_file_opts fo = { .chunk = 2 * IMG_MiB, .strips = im->n, .mode = 0600 };
	struct fc_famfs *before = NULL, *fs;
	unsigned int shown = 0, edits = 1 + (unsigned int)(next() % 4);
	int rc, orc, wrc;

	trail[0] = '\0';
	touched_sb = touched_old = false;
	note("%u members: ", im->n);
	restore(x);
	if (next() % 2) { /* a reader that was there before the damage */
		if (fc_famfs_open(ctx, im->pp, im->n, NULL, &before) < 0)
			broken("the pristine image does not open");
		shown = read_all(before);
	}
	while (edits--)
		mutate_one(x);

	rc = fc_famfs_check(ctx, im->pp, im->n, NULL);
	if (rc != 0 && rc != -EUCLEAN && rc != -ENOENT)
		broken("fsck returned something other than 0, -EUCLEAN or -ENOENT");
	outcome[rc == 0 ? 0 : rc == -EUCLEAN ? 1 : 2]++;
	orc = fc_famfs_open(ctx, im->pp, im->n, NULL, &fs);
	if ((rc == 0) != (orc == 0))
		broken(rc == 0 ? "fsck calls it clean but open refuses it" :
				 "open accepts what fsck reports");
	if (orc == 0) {
		read_all(fs);
		if (fc_famfs_refresh(fs) != 0)
			broken("a refresh of an unchanged clean log failed");
		fc_famfs_close(fs);
	}
	if (before) {
		int r = fc_famfs_refresh(before);

		if (r != 0 && read_all(before) != shown)
			broken("a failed refresh changed what the reader shows");
		if (r == 0 && rc != 0 && !touched_sb && !touched_old)
			broken("a refresh accepted appended entries fsck reports");
		if (r != 0 && rc == 0 && !touched_old)
			broken("a refresh refused a clean log");
		if (r == 0 && *img_u64(im, 0, H_NEXT_INDEX) == x->used && read_all(before) != shown)
			broken("a refresh with nothing appended changed what the reader shows");
		fc_famfs_close(before);
	}
	wrc = fc_famfs_open(ctx, im->pp, im->n, im->master, &fs);
	if ((wrc == 0) != (rc == 0) && wrc != -EPERM)
		broken("open as master disagrees with fsck");
	if (wrc == 0) {
		if (fc_famfs_mkdir(fs, "fuzzdir", 0755, 0, 0) == 0)
			fc_famfs_creat(fs, "fuzzdir/new", 3 * IMG_MiB, &fo);
		fc_famfs_close(fs);
		if (fc_famfs_check(ctx, im->pp, im->n, NULL) != 0)
			broken("a master's appends made a clean file system unclean");
	}
}

int main(void)
{
	const char *s = getenv("FUZZ_SEED"), *it = getenv("FUZZ_ITERATIONS"),
		   *sec = getenv("FUZZ_SECONDS");
	uint64_t iterations = it ? strtoull(it, NULL, 0) : 300;
	double seconds = sec ? strtod(sec, NULL) : 20;
	char dir[] = "/tmp/famfsctl-fuzz-XXXXXX", d1[64], d4[64];
	struct image one_member, four;
	struct timespec t0, t;
	uint64_t refused = 0;

	seed = s ? strtoull(s, NULL, 0) : 1;
	rng = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (!rng)
		rng = 1;
	if (!mkdtemp(dir) || fc_new(&ctx) < 0)
		return 1;
	fc_set_log_fn(ctx, quiet);
	snprintf(d1, sizeof(d1), "%s/one", dir);
	snprintf(d4, sizeof(d4), "%s/four", dir);
	if (mkdir(d1, 0700) < 0 || mkdir(d4, 0700) < 0)
		return 1;
	fill(&one_member, d1, 1);
	fill(&four, d4, 4);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (iteration = 0; iteration < iterations; iteration++) {
		struct image *x = iteration % 2 ? &four : &one_member;

		one(x);
		restore(x);
		refused += fc_famfs_check(ctx, x->im.pp, x->im.n, NULL) != 0; /* pristine again */
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 > seconds)
			break;
	}
	if (refused)
		broken("a restored image is not clean");
	printf("fuzz-famfs: seed %llu: %llu inputs (%llu clean, %llu damaged, %llu without a file system), every rule held\n",
	       (unsigned long long)seed, (unsigned long long)iteration,
	       (unsigned long long)outcome[0], (unsigned long long)outcome[1],
	       (unsigned long long)outcome[2]);
	img_destroy(&one_member.im);
	img_destroy(&four.im);
	for (unsigned int i = 0; i < 4; i++)
		free(four.snap[i]);
	free(one_member.snap[0]);
	rmdir(d1);
	rmdir(d4);
	rmdir(dir);
	fc_unref(ctx);
	return 0;
}
