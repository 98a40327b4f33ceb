// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-famfs: famfs over interleave sets on the simulator.
 *
 *  1. Copy throughput into a 4-member set (chunk 2 MiB, 4 strips): a 1 GiB
 *     file written through the library's file path (what famfsctl cp does:
 *     the extent math, memcpy into the members' mappings, cache flush) by
 *     1 and 2 threads, against plain memcpy between two buffers measured in
 *     the same run by as many threads (they share the memory bandwidth as
 *     the copy threads do), and per thread against 1-thread memcpy. The
 *     target is >= 0.8 of memcpy per copy thread. The
 *     first fill pays for the simulator's sparse backing pages; the rewrite
 *     is the steady state real (pre-mapped) CXL memory would show.
 *  2. Format time for a set of 22 members of 200 GiB each (sparse backing
 *     files), and the whole path to it: alloc, interleave create, format.
 *
 * Usage: bench-famfs   (FAMFSCTL_PLUGIN_DIR must name the plugins)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define FILE_SIZE (1 * GiB)
#define BUF (8 * MiB)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct mc {
	char *a, *b;
	size_t len;
};

static void *copy_part(void *arg)
{
	struct mc *m = arg;

	memcpy(m->b, m->a, m->len);
	return NULL;
}

/* Plain memcpy of 1 GiB by `threads` threads at once (best of 3), GiB/s. */
static double memcpy_gibs(unsigned int threads)
{
	char *a = malloc(FILE_SIZE), *b = malloc(FILE_SIZE);
	double t, best = 0;

	if (!a || !b)
		return 0;
	memset(a, 1, FILE_SIZE);
	memset(b, 2, FILE_SIZE); /* both faulted in */
	for (int r = 0; r < 3; r++) {
		struct mc m[2];
		pthread_t tid[2];

		t = now();
		for (unsigned int i = 0; i < threads; i++) {
			m[i] = (struct mc){ a + FILE_SIZE / threads * i, b + FILE_SIZE / threads * i,
					    FILE_SIZE / threads };
			pthread_create(&tid[i], NULL, copy_part, &m[i]);
		}
		for (unsigned int i = 0; i < threads; i++)
			pthread_join(tid[i], NULL);
		t = now() - t;
		if (FILE_SIZE / GiB / t > best)
			best = (double)FILE_SIZE / GiB / t;
	}
	free(a);
	free(b);
	return best;
}

struct worker {
	struct fc_famfs *fs;
	const char *path;
	uint64_t start, end;
	int rc;
};

static void *write_range(void *arg)
{
	struct worker *w = arg;
	char *buf = malloc(BUF);

	if (!buf) {
		w->rc = -1;
		return NULL;
	}
	memset(buf, 0x5a, BUF);
	for (uint64_t off = w->start; off < w->end; off += BUF)
		if (fc_famfs_pwrite(w->fs, w->path, buf, BUF, off) != (ssize_t)BUF)
			w->rc = -1;
	free(buf);
	return NULL;
}

/* A policy-free set: alloc `ways` x `part`, interleave it, name it. */
static int make_set(struct fc_ctx *ctx, const char *name, unsigned int ways, uint64_t part,
		    unsigned int strips)
{
	struct fc_alloc_opts o = { .size = part * ways, .ways = ways };
	json_object *r, *members, *t;
	uuid_t tags[32];
	struct fc_interleave_opts io = { .name = name, .members = (const uuid_t *)tags,
					 .nmembers = ways, .strips = strips };

	if (fc_alloc(ctx, &o, &r) < 0)
		return -1;
	json_object_object_get_ex(r, "members", &members);
	for (unsigned int i = 0; i < ways; i++) {
		json_object_object_get_ex(json_object_array_get_idx(members, i), "tag", &t);
		uuid_parse(json_object_get_string(t), tags[i]);
	}
	json_object_put(r);
	return fc_interleave_create(ctx, &io, NULL);
}

int main(void)
{
	char dir[] = "/tmp/famfsctl-benchfs-XXXXXX", uri[96], cmd[128];
	struct fc_famfs_format_opts fo = { .log_len = 8 * MiB };
	struct fc_ctx *ctx;
	struct fc_famfs *fs;
	double base, base2, t0, t1;
	int bad = 0;

	if (!mkdtemp(dir) || fc_new(&ctx) < 0)
		return 2;
	setenv("FAMFSCTL_STATE_DIR", dir, 1);
	setenv("FAMFSCTL_RUN_DIR", dir, 1);
	uuid_generate(fo.system_uuid);

	/* 1. copy throughput */
	snprintf(uri, sizeof(uri), "sim:%s/f4", dir);
	if (fc_fabric_create(ctx, uri, &(struct famfsctl_fm_create){ .devices = 4,
			     .capacity = 8 * GiB }) < 0 ||
	    fc_set_fabric(ctx, uri, 0) < 0 || make_set(ctx, "four", 4, 6 * GiB, 4) < 0 ||
	    fc_famfs_format_set(ctx, "four", &fo, NULL) < 0 ||
	    fc_famfs_open_set(ctx, "four", fo.system_uuid, &fs) < 0)
		return 1;
	base = memcpy_gibs(1);
	base2 = memcpy_gibs(2);
	printf("copy into a 4-member set (chunk 2 MiB, 4 strips), 1 GiB files\n");
	printf("  memcpy baseline: %.2f GiB/s with 1 thread, %.2f GiB/s with 2\n", base, base2);
	for (unsigned int threads = 1; threads <= 2; threads++) {
		struct fc_famfs_file_opts fopt = { .chunk = 2 * MiB, .strips = 4, .mode = 0644 };
		struct worker w[2];
		pthread_t tid[2];
		char path[32];
		double gibs;

		snprintf(path, sizeof(path), "f%u", threads);
		if (fc_famfs_creat(fs, path, FILE_SIZE, &fopt) < 0)
			return 1;
		/* first pass: the simulator's sparse backing files get their
		 * pages (a cost real CXL memory does not have); then the
		 * steady state, rewriting the same file */
		for (int pass = 0; pass < 2; pass++) {
			t0 = now();
			for (unsigned int i = 0; i < threads; i++) {
				w[i] = (struct worker){ fs, path, FILE_SIZE / threads * i,
							FILE_SIZE / threads * (i + 1), 0 };
				pthread_create(&tid[i], NULL, write_range, &w[i]);
			}
			for (unsigned int i = 0; i < threads; i++) {
				pthread_join(tid[i], NULL);
				bad |= w[i].rc;
			}
			t1 = now() - t0;
			gibs = FILE_SIZE / (double)GiB / t1;
			/* against memcpy by as many threads (they share the
			 * memory bandwidth as the copy threads do) */
			double ref = threads == 1 ? base : base2;

			printf("  %u thread%s, %s: %.2f GiB/s, %.2f of %u-thread memcpy, %.2f of 1-thread per thread%s\n",
			       threads, threads == 1 ? " " : "s",
			       pass ? "rewrite   " : "first fill", gibs, gibs / ref, threads,
			       gibs / threads / base,
			       gibs / ref >= 0.8 ? "" : "  (below the 0.8 target)");
		}
	}
	fc_famfs_close(fs);

	/* 2. format 22 x 200 GiB */
	snprintf(uri, sizeof(uri), "sim:%s/f22", dir);
	if (fc_fabric_create(ctx, uri, &(struct famfsctl_fm_create){ .devices = 22,
			     .capacity = 200 * GiB }) < 0 || fc_set_fabric(ctx, uri, 0) < 0)
		return 1;
	t0 = now();
	if (make_set(ctx, "wide", 22, 200 * GiB, 16) < 0)
		return 1;
	t1 = now();
	if (fc_famfs_format_set(ctx, "wide", &fo, NULL) < 0)
		return 1;
	printf("format a 22-member set of 200 GiB each (4.3 TiB, sparse):\n");
	printf("  alloc + interleave create: %.3f s\n  format: %.3f s\n", t1 - t0, now() - t1);
	t0 = now();
	if (fc_famfs_check_set(ctx, "wide", NULL) < 0)
		return 1;
	printf("  fsck: %.3f s\n", now() - t0);

	fc_unref(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return bad ? 1 : 0;
}
