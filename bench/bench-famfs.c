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
 *  3. famfsctl cp, the command (issue 17), with the simulator's backing
 *     files in tmpfs: (a) cp -r of a tree of 10,000 files of 1 KiB to 1 MiB
 *     (log-uniform, in 10 directories and 5 nested ones) against coreutils
 *     cp -r of the same tree into tmpfs; target: famfsctl's time <= 2x
 *     cp's. Each famfs file takes at least one 2 MiB allocation unit whose
 *     pages the simulator faults in on first touch, as tmpfs allocates
 *     the pages it writes. (b) cp of a 1 GiB file (from tmpfs) with -j 1
 *     and -j 2 into members whose pages exist (written before format, as
 *     real CXL memory's exist), per copy thread against 1-thread memcpy
 *     (target >= 0.9) and against coreutils cp of the same file into tmpfs
 *     (what reading a file through the page cache costs here). Best of 2
 *     runs each, the two sides alternating.
 *
 * Usage: bench-famfs [FAMFSCTL]   (FAMFSCTL_PLUGIN_DIR must name the
 * plugins; without FAMFSCTL part 3 is skipped)
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* 1-thread memcpy of 1 GiB in CPU time (best of 3), GiB per CPU second:
 * the copies below are compared in CPU time too, which a machine that
 * others share changes less than the wall clock. */
static double memcpy_cpu_gibs(void)
{
	char *a = malloc(FILE_SIZE), *b = malloc(FILE_SIZE);
	double best = 0;

	if (!a || !b)
		return 0;
	memset(a, 1, FILE_SIZE);
	memset(b, 2, FILE_SIZE);
	for (int r = 0; r < 3; r++) {
		struct timespec t0, t1;
		double t;

		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
		memcpy(b, a, FILE_SIZE);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
		t = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (FILE_SIZE / (double)GiB / t > best)
			best = FILE_SIZE / (double)GiB / t;
	}
	free(a);
	free(b);
	return best;
}

/* Run a command: its wall time and its CPU time (user + system). */
static int run_cmd(char *const argv[], double *secs, double *cpu)
{
	double t = now();
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1); /* cp's list of what it copied, on a failure */
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "bench-famfs: %s %s failed\n", argv[0], argv[1]);
		return -1;
	}
	*secs = now() - t;
	if (cpu)
		*cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
		       ru.ru_stime.tv_usec / 1e6;
	return 0;
}

/* The tree: 10,000 files of 1 KiB .. 1 MiB, log-uniform, deterministic. */
static int make_tree(const char *root, uint64_t *bytes)
{
	char path[512], *buf = malloc(MiB + 4096);
	unsigned int seed = 17;

	if (!buf || mkdir(root, 0755) < 0)
		return -1;
	for (size_t i = 0; i < MiB + 4096; i++)
		buf[i] = (char)rand_r(&seed);
	*bytes = 0;
	for (int d = 0; d < 10; d++) {
		snprintf(path, sizeof(path), "%s/d%d", root, d);
		if (mkdir(path, 0755) < 0)
			return -1;
		if (d < 5) {
			snprintf(path, sizeof(path), "%s/d%d/n", root, d);
			if (mkdir(path, 0755) < 0)
				return -1;
		}
	}
	for (int i = 0; i < 10000; i++) {
		double r = (double)rand_r(&seed) / RAND_MAX;
		size_t size = (size_t)(1024 * pow(1024, r)); /* 1 KiB .. 1 MiB */
		int fd;

		if (size > MiB)
			size = MiB;
		snprintf(path, sizeof(path), "%s/d%d/%sf%d", root, i % 10,
			 i % 10 < 5 && i % 3 == 0 ? "n/" : "", i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf + i % 4096, size) != (ssize_t)size ||
		    close(fd) < 0)
			return -1;
		*bytes += size;
	}
	free(buf);
	return 0;
}

/* Populate the first `len` bytes of each simulated device's backing file. */
/*
 * Give the first `len` bytes of each member's backing file real pages, as
 * real CXL memory has: written (zeros), since tmpfs keeps fallocated pages
 * "not up to date" and clears each on its first fault. Before format: it
 * overwrites what is there.
 */
static void populate(const char *fabric, unsigned int devices, uint64_t len)
{
	char path[300], *zero = calloc(1, BUF);

	for (unsigned int i = 0; zero && i < devices; i++) {
		uint64_t off = 0;
		int fd;

		snprintf(path, sizeof(path), "%s/dcd%u.img", fabric, i);
		fd = open(path, O_RDWR);
		while (fd >= 0 && off < len && pwrite(fd, zero, BUF, (off_t)off) == (ssize_t)BUF)
			off += BUF;
		if (off < len)
			fprintf(stderr, "bench-famfs: %s: not populated (%s)\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	free(zero);
}

static int part3(struct fc_ctx *ctx, const char *famfsctl, const char *dir, double base)
{
	struct fc_famfs_format_opts fo = { .log_len = 16 * MiB };
	char uri[300], fab[200], tree[256], shm[256], dst[64], big[256], rm[300], sys[37];
	double best_fc = 1e9, best_cp = 1e9, cpu_fc = 1e9, cpu_cp = 1e9, secs, cpu;
	double base_cpu = memcpy_cpu_gibs(), cp_gibs = 1, cp_cpu_gibs = 1;
	double load[1] = { 0 };
	uint64_t bytes;
	int fd;

	uuid_generate(fo.system_uuid);
	uuid_unparse_lower(fo.system_uuid, sys);
	setenv("FAMFSCTL_SYSTEM_UUID", sys, 1);
	/* (a) the tree: source on disk (its page cache warm), famfs in tmpfs */
	snprintf(tree, sizeof(tree), "%s/tree", dir);
	if (make_tree(tree, &bytes) < 0)
		return -1;
	snprintf(fab, sizeof(fab), "/dev/shm/famfsctl-benchfs-%d", (int)getpid());
	snprintf(uri, sizeof(uri), "sim:%s", fab);
	setenv("FAMFSCTL_FABRIC", uri, 1);
	if (fc_fabric_create(ctx, uri, &(struct famfsctl_fm_create){ .devices = 4,
			     .capacity = 16 * GiB }) < 0 ||
	    fc_set_fabric(ctx, uri, 0) < 0 || make_set(ctx, "tree", 4, 12 * GiB, 4) < 0 ||
	    fc_famfs_format_set(ctx, "tree", &fo, NULL) < 0)
		return -1;
	for (int r = 0; r < 2; r++) {
		snprintf(dst, sizeof(dst), "tree:/r%d", r);
		if (run_cmd((char *[]){ (char *)famfsctl, "mkdir", dst, NULL }, &secs, NULL) < 0 ||
		    run_cmd((char *[]){ (char *)famfsctl, "cp", "-r", "--no-progress", tree, dst,
					NULL }, &secs, &cpu) < 0)
			return -1;
		best_fc = secs < best_fc ? secs : best_fc;
		cpu_fc = cpu < cpu_fc ? cpu : cpu_fc;
		snprintf(shm, sizeof(shm), "%s-cp%d", fab, r);
		if (run_cmd((char *[]){ "cp", "-r", tree, shm, NULL }, &secs, &cpu) < 0)
			return -1;
		best_cp = secs < best_cp ? secs : best_cp;
		cpu_cp = cpu < cpu_cp ? cpu : cpu_cp;
		snprintf(rm, sizeof(rm), "rm -rf '%s'", shm);
		if (system(rm) != 0)
			return -1;
	}
	printf("famfsctl cp -r of 10,000 files (1 KiB..1 MiB, %.0f MiB, 15 directories) into a 4-member set\n",
	       bytes / (double)MiB);
	getloadavg(load, 1);
	printf("  famfsctl cp -r %.2f s, coreutils cp -r into tmpfs %.2f s: %.2fx cp's time%s\n",
	       best_fc, best_cp, best_fc / best_cp, best_fc / best_cp <= 2 ? "" :
	       "  (above the 2x target)");
	printf("  CPU time: famfsctl %.2f s, cp %.2f s: %.2fx (load average %.1f on %ld CPUs)\n",
	       cpu_fc, cpu_cp, cpu_fc / cpu_cp, load[0], sysconf(_SC_NPROCESSORS_ONLN));
	fc_interleave_destroy(ctx, "tree");
	snprintf(rm, sizeof(rm), "rm -rf '%s'", fab);
	if (system(rm) != 0)
		return -1;

	/* (b) a 1 GiB file, into populated members */
	snprintf(fab, sizeof(fab), "/dev/shm/famfsctl-benchfs-%d-big", (int)getpid());
	snprintf(uri, sizeof(uri), "sim:%s", fab);
	setenv("FAMFSCTL_FABRIC", uri, 1);
	fo.log_len = 8 * MiB;
	if (fc_fabric_create(ctx, uri, &(struct famfsctl_fm_create){ .devices = 4,
			     .capacity = 8 * GiB }) < 0 ||
	    fc_set_fabric(ctx, uri, 0) < 0 || make_set(ctx, "big", 4, 4 * GiB, 4) < 0)
		return -1;
	/* 4 copies striped over 4 members: 1 GiB of each, and the log */
	populate(fab, 4, 1 * GiB + 16 * MiB);
	if (fc_famfs_format_set(ctx, "big", &fo, NULL) < 0)
		return -1;
	snprintf(big, sizeof(big), "%s-src", fab);
	fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	{
		char *buf = malloc(BUF);

		if (!buf)
			return -1;
		memset(buf, 0x3c, BUF);
		for (uint64_t off = 0; off < FILE_SIZE; off += BUF)
			if (write(fd, buf, BUF) != (ssize_t)BUF)
				return -1;
		free(buf);
		close(fd);
	}
	printf("famfsctl cp of a 1 GiB file (from tmpfs) into a 4-member set, members populated\n");
	printf("  1-thread memcpy: %.2f GiB/s (wall), %.2f GiB per CPU second\n", base, base_cpu);
	{
		/* the same file by coreutils cp into tmpfs: what reading a
		 * file through the page cache costs on this machine */
		double best = 1e9, best_cpu = 1e9;

		snprintf(shm, sizeof(shm), "%s-cpdst", fab);
		for (int r = 0; r < 2; r++) {
			unlink(shm);
			if (run_cmd((char *[]){ "cp", big, shm, NULL }, &secs, &cpu) < 0)
				return -1;
			best = secs < best ? secs : best;
			best_cpu = cpu < best_cpu ? cpu : best_cpu;
		}
		unlink(shm);
		printf("  coreutils cp into tmpfs: %.2f GiB/s, %.2f GiB per CPU second (%.2f and %.2f of memcpy)\n",
		       1 / best, 1 / best_cpu, 1 / best / base, 1 / best_cpu / base_cpu);
		cp_gibs = 1 / best;
		cp_cpu_gibs = 1 / best_cpu;
	}
	for (int threads = 1, n = 0; threads <= 2; threads++) {
		double best = 1e9, best_cpu = 1e9;
		char j[8];

		snprintf(j, sizeof(j), "%d", threads);
		for (int r = 0; r < 2; r++, n++) {
			snprintf(dst, sizeof(dst), "big:/f%d", n);
			if (run_cmd((char *[]){ (char *)famfsctl, "cp", "-j", j, "--no-progress", big,
						dst, NULL }, &secs, &cpu) < 0)
				return -1;
			best = secs < best ? secs : best;
			best_cpu = cpu < best_cpu ? cpu : best_cpu;
		}
		printf("  -j %d: %.2f GiB/s, %.2f per thread: %.2f of 1-thread memcpy%s, %.2f of coreutils cp's; "
		       "%.2f GiB per CPU second: %.2f of memcpy's%s, %.2f of cp's\n",
		       threads, 1 / best, 1 / best / threads, 1 / best / threads / base,
		       1 / best / threads / base >= 0.9 ? "" : " (below 0.9)", 1 / best / threads / cp_gibs,
		       1 / best_cpu, 1 / best_cpu / base_cpu, 1 / best_cpu / base_cpu >= 0.9 ? "" : " (below 0.9)",
		       1 / best_cpu / cp_cpu_gibs);
	}
	getloadavg(load, 1);
	printf("  (load average %.1f on %ld CPUs)\n", load[0], sysconf(_SC_NPROCESSORS_ONLN));
	unlink(big);
	snprintf(rm, sizeof(rm), "rm -rf '%s'", fab);
	return system(rm) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/famfsctl-benchfs-XXXXXX", uri[96], cmd[128];

	if (argc > 2)
		return 2;
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

	/* 1. copy throughput, the simulated members in tmpfs as CXL memory
	 * is (no disk under them) */
	snprintf(uri, sizeof(uri), "sim:/dev/shm/famfsctl-benchfs-%d-f4", (int)getpid());
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
	fc_interleave_destroy(ctx, "four");
	snprintf(cmd, sizeof(cmd), "rm -rf /dev/shm/famfsctl-benchfs-%d-f4", (int)getpid());
	if (system(cmd) != 0)
		return 1;

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

	if (argc > 1 && part3(ctx, argv[1], dir, base) < 0)
		bad = 1;
	fc_unref(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return bad ? 1 : 0;
}
