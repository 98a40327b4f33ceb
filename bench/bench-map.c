// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-map: the direct map (fc_famfs_map, famfsctl run) against one flat
 * mapping, measured side by side in the same run.
 *
 * A famfs over 4 member files and a plain file of the same size sit in one
 * directory (one file system: $BENCH_DIR, default /dev/shm). A 1 GiB file
 * is striped over the 4 members in 2 MiB chunks; it and the plain file
 * hold the same random cyclic permutation of their cache lines (each
 * line's first 8 bytes: the next line's index). Then:
 *   chase       dependent random 8-byte loads along the cycle, on a fresh
 *               mapping (cold: first touch) and again (warm), best of 3;
 *   random      independent random 64-byte reads (throughput);
 *   sequential  read bandwidth over the whole file;
 *   memory      page cache and cgroup memory before and after touching the
 *               whole file through the direct map, and through the
 *               portable mount's ordinary mmap;
 *   freshness   the master rewrites a range and flushes: what a reader's
 *               direct map (after invalidate) and the mount's mmap return;
 *   run         the chase by an unmodified program (this one, as a child)
 *               mmapping the file under the portable mount, with the
 *               preload library (famfsctl run) and without;
 *   map time    fc_famfs_map of files of 512 and 4096 chunks.
 * Ratios are flat time / candidate time (>= 1: as fast as flat).
 *
 * Usage: bench-map FAMFSCTL   (FAMFSCTL_PRELOAD names the preload library
 * when it is not installed; LD_LIBRARY_PATH the library it needs)
 *        bench-map --child FILE STEPS   (the unmodified program)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <famfsctl/libfamfsctl.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define SIZE GiB
#define LINE 64
#define LINES (SIZE / LINE)
#define STEPS (4ULL << 20)   /* chase steps per measurement */
#define RANDOM (4ULL << 20)  /* independent 64-byte reads */
#define ROUNDS 3
#define QUICK_ROUNDS 7       /* random and sequential: cheap, noisier */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* This thread's CPU time: on a loaded machine (other engineers' builds on
 * the same 2 CPUs) wall time mostly measures the scheduler; CPU time keeps
 * memory stalls and page faults and drops the time spent descheduled. */
static double cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* ---- the measurements ---------------------------------------------------- */

static volatile uint64_t sink;

/* STEPS dependent loads from line 0: seconds. */
static double chase(const uint8_t *base, uint64_t steps)
{
	uint64_t cur = 0;
	double t = cpu();

	for (uint64_t i = 0; i < steps; i++)
		cur = *(const volatile uint64_t *)(base + cur * LINE);
	sink = cur;
	return cpu() - t;
}

static double random_reads(const uint8_t *base, const uint32_t *idx)
{
	uint64_t sum = 0;
	double t = cpu();

	for (uint64_t i = 0; i < RANDOM; i++) {
		const uint64_t *l = (const uint64_t *)(base + (uint64_t)idx[i] * LINE);

		sum += l[0] ^ l[1] ^ l[2] ^ l[3] ^ l[4] ^ l[5] ^ l[6] ^ l[7];
	}
	sink = sum;
	return cpu() - t;
}

static double sequential(const uint8_t *base, uint64_t len)
{
	const uint64_t *p = (const uint64_t *)base;
	uint64_t a = 0, b = 0, c = 0, d = 0;
	double t = cpu();

	for (uint64_t i = 0; i < len / 8; i += 4) {
		a += p[i];
		b += p[i + 1];
		c += p[i + 2];
		d += p[i + 3];
	}
	sink = a + b + c + d;
	return cpu() - t;
}

/* Touch every page (first touch: the mapping fills in). */
static void touch(const uint8_t *base, uint64_t len)
{
	uint64_t s = 0;

	for (uint64_t off = 0; off < len; off += 4096)
		s += base[off];
	sink = s;
}

/* ---- memory accounting --------------------------------------------------- */

static uint64_t meminfo(const char *key)
{
	char line[256];
	unsigned long long v = 0;
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			sscanf(line + strlen(key) + 1, "%llu", &v);
	if (f)
		fclose(f);
	return v * 1024;
}

/* This process's memory cgroup's charge (v2 memory.current, v1 usage). */
static int64_t cgroup_mem(void)
{
	char line[512], path[700];
	long long v = -1;
	FILE *f = fopen("/proc/self/cgroup", "re");

	path[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':'), *q = p ? strchr(p + 1, ':') : NULL;

		if (!q)
			continue;
		q[strcspn(q, "\n")] = '\0';
		if (!strncmp(p, ":memory:", 8))
			snprintf(path, sizeof(path), "/sys/fs/cgroup/memory%s/memory.usage_in_bytes", q + 1);
		else if (!strncmp(p, "::", 2) && !path[0])
			snprintf(path, sizeof(path), "/sys/fs/cgroup%s/memory.current", q + 1);
	}
	if (f)
		fclose(f);
	f = path[0] ? fopen(path, "re") : NULL;
	if (f) {
		if (fscanf(f, "%lld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* ---- the unmodified program --------------------------------------------- */

/* Is [p, p+len) a mapping of `file` in /proc/self/maps? */
static int mapped_from(const void *p, const char *file)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[1024];
	int yes = 0;

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long a, b;

		if (sscanf(line, "%lx-%lx", &a, &b) == 2 && a <= (unsigned long)p &&
		    (unsigned long)p < b && strstr(line, file))
			yes = 1;
	}
	if (f)
		fclose(f);
	return yes;
}

static int child(const char *file, uint64_t steps)
{
	int fd = open(file, O_RDONLY);
	struct stat st;
	uint8_t *p;
	double cold, warm;

	if (fd < 0 || fstat(fd, &st) < 0)
		return 1;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) { /* a mount serving direct_io refuses mmap */
		printf("-1 -1 -1 -1 0 %d\n", errno);
		return 0;
	}
	double w0 = now(), w1, w2;

	cold = chase(p, steps);
	w1 = now();
	warm = chase(p, steps);
	w2 = now();
	printf("%.6f %.6f %.6f %.6f %d 0\n", cold, warm, w1 - w0, w2 - w1, !mapped_from(p, file));
	munmap(p, (size_t)st.st_size);
	return 0;
}

/* Run this program as the child on file, under `famfsctl run` or not. */
static int run_child(const char *famfsctl, const char *self, const char *file, bool preload,
		     uint64_t steps, double *cold, double *warm, double wall[2], int *direct)
{
	char cmd[4096];
	FILE *p;
	int rc, err = 0;

	snprintf(cmd, sizeof(cmd), "%s%s%s --child '%s' %llu", preload ? famfsctl : "",
		 preload ? " run -- " : "", self, file, (unsigned long long)steps);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	rc = fscanf(p, "%lf %lf %lf %lf %d %d", cold, warm, &wall[0], &wall[1], direct, &err) == 6 ? 0 : -1;
	if (rc == 0 && *cold < 0) {
		printf("  (%s: mmap refused: %s)\n", file, strerror(err));
		*cold = *warm = wall[0] = wall[1] = 1e9;
	}
	return pclose(p) == 0 ? rc : -1;
}

/* ---- set-up -------------------------------------------------------------- */

static int mount_set(const char *famfsctl, const char *set, const char *mnt)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "FAMFSCTL_FABRIC=none FAMFSCTL_SYSTEM_UUID=00000000-0000-4000-8000-000000000001 '%s' mount --mode portable '%s' '%s' 2>&1 | grep -v 'auto chose'",
		 famfsctl, set, mnt);
	if (system(cmd) < 0)
		return -1;
	for (int i = 0; i < 100; i++) {
		char f[4200];
		struct stat st;

		snprintf(f, sizeof(f), "%s/chase", mnt);
		if (stat(f, &st) == 0 && (uint64_t)st.st_size == SIZE)
			return 0;
		usleep(50000);
	}
	return -1;
}

static void umount_set(const char *famfsctl, const char *mnt)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "'%s' umount '%s'", famfsctl, mnt);
	if (system(cmd) != 0)
		fprintf(stderr, "bench-map: cannot unmount %s\n", mnt);
}

static double ratio(double flat, double cand)
{
	return cand > 0 ? flat / cand : 0;
}

static double best(double a, double b)
{
	return a < b ? a : b;
}

static void loadavg(const char *when)
{
	char buf[128] = "";
	FILE *f = fopen("/proc/loadavg", "re");

	if (f && fgets(buf, sizeof(buf), f))
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
	printf("load average %s: %s (%ld CPUs, shared)\n", when, buf, sysconf(_SC_NPROCESSORS_ONLN));
}

int main(int argc, char **argv)
{
	const char *famfsctl, *base = getenv("BENCH_DIR");
	char dir[512], paths[4][600] = { "", "", "", "" }, set[2600], flatpath[600] = "",
	     mnt[600] = "", mfile[700];
	const char *pv[4];
	struct fc_famfs_format_opts fo = { .log_len = 8 * MiB };
	struct fc_famfs_file_opts o = { .chunk = 2 * MiB, .strips = 4, .mode = 0644 };
	struct fc_famfs *fs = NULL, *reader = NULL;
	struct fc_famfs_map *wmap = NULL, *m;
	uuid_t tags[4];
	struct fc_ctx *ctx;
	uint32_t *perm, *idx;
	uint8_t *flat, *dm;
	double fc[ROUNDS], fw[ROUNDS], dc[ROUNDS], dw[ROUNDS];
	double t, tf, td, cold_f = 1e9, warm_f = 1e9, cold_d = 1e9, warm_d = 1e9;
	int fd, rc = 1;

	if (argc == 4 && !strcmp(argv[1], "--child"))
		return child(argv[2], strtoull(argv[3], NULL, 0));
	if (argc != 2) {
		fprintf(stderr, "usage: bench-map FAMFSCTL\n");
		return 2;
	}
	famfsctl = argv[1];
	snprintf(dir, sizeof(dir), "%s/bench-map.XXXXXX", base && *base ? base : "/dev/shm");
	if (!mkdtemp(dir) || fc_new(&ctx) < 0)
		return 1;
	loadavg("at start");
	printf("directory %s; a %llu MiB file, 4 strips of 2 MiB chunks, vs one flat mapping\n",
	       dir, (unsigned long long)(SIZE / MiB));

	/* the famfs: 4 member files; the flat file beside them */
	for (int i = 0; i < 4; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/m%d", dir, i);
		pv[i] = paths[i];
		fd = open(paths[i], O_RDWR | O_CREAT, 0644);
		if (fd < 0 || ftruncate(fd, 4 * (off_t)GiB) < 0)
			goto out;
		close(fd);
		uuid_generate(tags[i]);
	}
	snprintf(set, sizeof(set), "%s,%s,%s,%s", pv[0], pv[1], pv[2], pv[3]);
	uuid_generate(fo.system_uuid);
	fo.tags = (const uuid_t *)tags;
	if (fc_famfs_format(ctx, pv, 4, &fo, NULL) < 0 ||
	    fc_famfs_open(ctx, pv, 4, fo.system_uuid, &fs) < 0 ||
	    fc_famfs_creat(fs, "chase", SIZE, &o) < 0 ||
	    fc_famfs_map(fs, "chase", FC_MAP_WRITE, &wmap) < 0)
		goto out;
	snprintf(flatpath, sizeof(flatpath), "%s/flat", dir);
	fd = open(flatpath, O_RDWR | O_CREAT, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)SIZE) < 0)
		goto out;
	flat = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (flat == MAP_FAILED)
		goto out;

	/* a random cyclic permutation of the lines (Sattolo), in both */
	perm = malloc(LINES * sizeof(*perm));
	idx = malloc(RANDOM * sizeof(*idx));
	if (!perm || !idx)
		goto out;
	for (uint64_t i = 0; i < LINES; i++)
		perm[i] = (uint32_t)i;
	for (uint64_t i = LINES - 1; i > 0; i--) {
		uint64_t j = next_rand() % i;
		uint32_t x = perm[i];

		perm[i] = perm[j];
		perm[j] = x;
	}
	dm = fc_famfs_map_addr(wmap);
	for (uint64_t i = 0; i < LINES; i++) {
		uint64_t v[8] = { perm[i], i, i * 3, i * 5, i * 7, i * 11, i * 13, i * 17 };

		memcpy(flat + i * LINE, v, LINE);
		memcpy(dm + i * LINE, v, LINE);
	}
	fc_flush(dm, SIZE);
	free(perm);
	for (uint64_t i = 0; i < RANDOM; i++)
		idx[i] = (uint32_t)(next_rand() % LINES);
	munmap(flat, SIZE);
	printf("mapping: %lu mappings for %llu chunks (fc_famfs_map_count)\n",
	       fc_famfs_map_count(wmap), (unsigned long long)(SIZE / (2 * MiB)));

	/* chase: fresh mappings each round, flat and direct in turn */
	for (int r = 0; r < ROUNDS; r++) {
		fd = open(flatpath, O_RDONLY);
		flat = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
		close(fd);
		fc[r] = chase(flat, STEPS);
		fw[r] = chase(flat, STEPS);
		if (fc_famfs_map(fs, "chase", 0, &m) < 0)
			goto out;
		dc[r] = chase(fc_famfs_map_addr(m), STEPS);
		dw[r] = chase(fc_famfs_map_addr(m), STEPS);
		fc_famfs_unmap(m);
		munmap(flat, SIZE);
		cold_f = best(cold_f, fc[r]);
		warm_f = best(warm_f, fw[r]);
		cold_d = best(cold_d, dc[r]);
		warm_d = best(warm_d, dw[r]);
	}
	printf("\n== pointer chase, %llu dependent 8-byte loads (best of %d; ns per load, CPU time)\n",
	       (unsigned long long)STEPS, ROUNDS);
	printf("  cold  flat %7.1f   direct map %7.1f   ratio %.3f\n", cold_f * 1e9 / STEPS,
	       cold_d * 1e9 / STEPS, ratio(cold_f, cold_d));
	printf("  warm  flat %7.1f   direct map %7.1f   ratio %.3f\n", warm_f * 1e9 / STEPS,
	       warm_d * 1e9 / STEPS, ratio(warm_f, warm_d));

	/* independent random reads and sequential bandwidth, warm */
	fd = open(flatpath, O_RDONLY);
	flat = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (fc_famfs_map(fs, "chase", 0, &m) < 0)
		goto out;
	dm = fc_famfs_map_addr(m);
	touch(flat, SIZE);
	touch(dm, SIZE);
	tf = td = 1e9;
	for (int r = 0; r < QUICK_ROUNDS; r++) { /* in turn, each first every other round */
		if (r % 2)
			td = best(td, random_reads(dm, idx));
		tf = best(tf, random_reads(flat, idx));
		if (!(r % 2))
			td = best(td, random_reads(dm, idx));
	}
	printf("\n== independent random 64-byte reads (%llu, best of %d; million reads/s)\n",
	       (unsigned long long)RANDOM, QUICK_ROUNDS);
	printf("  flat %7.2f   direct map %7.2f   ratio %.3f\n", RANDOM / tf / 1e6, RANDOM / td / 1e6,
	       ratio(tf, td));
	tf = td = 1e9;
	for (int r = 0; r < QUICK_ROUNDS; r++) {
		if (r % 2)
			td = best(td, sequential(dm, SIZE));
		tf = best(tf, sequential(flat, SIZE));
		if (!(r % 2))
			td = best(td, sequential(dm, SIZE));
	}
	printf("\n== sequential read of the whole file (best of %d; MiB/s)\n", QUICK_ROUNDS);
	printf("  flat %7.0f   direct map %7.0f   ratio %.3f\n", SIZE / MiB / tf, SIZE / MiB / td,
	       ratio(tf, td));
	munmap(flat, SIZE);
	fc_famfs_unmap(m);

	/* the portable mount */
	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	snprintf(mfile, sizeof(mfile), "%s/chase", mnt);
	mkdir(mnt, 0755);
	if (mount_set(famfsctl, set, mnt) < 0) {
		fprintf(stderr, "bench-map: cannot mount %s at %s\n", set, mnt);
		goto out;
	}

	/* local memory: touch the whole file through each */
	{
		int64_t c0, c1, g0, g1;
		uint8_t *fm;

		if (fc_famfs_map(fs, "chase", 0, &m) < 0)
			goto unmount;
		c0 = (int64_t)meminfo("Cached");
		g0 = cgroup_mem();
		touch(fc_famfs_map_addr(m), SIZE);
		c1 = (int64_t)meminfo("Cached");
		g1 = cgroup_mem();
		printf("\n== local memory added by touching all %llu MiB (page cache; this cgroup)\n",
		       (unsigned long long)(SIZE / MiB));
		printf("  direct map             %+6lld MiB; %+6lld MiB\n", (long long)(c1 - c0) / (long long)MiB,
		       g0 >= 0 ? (long long)(g1 - g0) / (long long)MiB : 0LL);
		fc_famfs_unmap(m);
		fd = open(mfile, O_RDONLY);
		fm = fd >= 0 ? mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
		if (fd >= 0)
			close(fd);
		if (fm == MAP_FAILED) { /* a mount serving direct_io refuses mmap */
			printf("  portable mount's mmap  refused: %s\n", strerror(errno));
			goto children;
		}
		c0 = (int64_t)meminfo("Cached");
		g0 = cgroup_mem();
		t = now();
		touch(fm, SIZE);
		t = now() - t;
		c1 = (int64_t)meminfo("Cached");
		g1 = cgroup_mem();
		printf("  portable mount's mmap  %+6lld MiB; %+6lld MiB (the touch took %.2f s)\n",
		       (long long)(c1 - c0) / (long long)MiB,
		       g0 >= 0 ? (long long)(g1 - g0) / (long long)MiB : 0LL, t);

		/* freshness: the mount's mmap has the range cached now */
		{
			const uint64_t off = 512 * MiB + 4096;
			const char fresh[] = "rewritten by the master";
			char got_d[sizeof(fresh)], got_f[sizeof(fresh)];
			struct fc_famfs_map *rm;

			if (fc_famfs_open(ctx, pv, 4, NULL, &reader) < 0 ||
			    fc_famfs_map(reader, "chase", 0, &rm) < 0) {
				munmap(fm, SIZE);
				goto unmount;
			}
			fc_invalidate((uint8_t *)fc_famfs_map_addr(rm) + off, sizeof(fresh));
			sink = ((uint8_t *)fc_famfs_map_addr(rm))[off];
			memcpy((uint8_t *)fc_famfs_map_addr(wmap) + off, fresh, sizeof(fresh));
			fc_flush((uint8_t *)fc_famfs_map_addr(wmap) + off, sizeof(fresh));
			fc_invalidate((uint8_t *)fc_famfs_map_addr(rm) + off, sizeof(fresh));
			memcpy(got_d, (uint8_t *)fc_famfs_map_addr(rm) + off, sizeof(fresh));
			memcpy(got_f, fm + off, sizeof(fresh));
			printf("\n== freshness: the master rewrites %zu bytes at %llu and flushes\n",
			       sizeof(fresh), (unsigned long long)off);
			printf("  reader's direct map after invalidate: %s\n",
			       memcmp(got_d, fresh, sizeof(fresh)) ? "OLD bytes" : "the new bytes");
			printf("  portable mount's mmap (cached before): %s\n",
			       memcmp(got_f, fresh, sizeof(fresh)) ? "the OLD bytes (stale page cache)" :
								      "the new bytes");
			fc_famfs_unmap(rm);
		}
		munmap(fm, SIZE);
	}

children:
	/* an unmodified program: flat file, the mount with and without preload */
	{
		double c[3] = { 1e9, 1e9, 1e9 }, w[3] = { 1e9, 1e9, 1e9 }, cc, ww, wall[3][2], wl[2];
		int direct[3] = { 0 }, d;

		for (int r = 0; r < ROUNDS; r++) {
			if (run_child(famfsctl, argv[0], flatpath, false, STEPS, &cc, &ww, wl, &d) < 0)
				goto unmount;
			if (cc < c[0])
				memcpy(wall[0], wl, sizeof(wl));
			c[0] = best(c[0], cc);
			w[0] = best(w[0], ww);
			if (run_child(famfsctl, argv[0], mfile, true, STEPS, &cc, &ww, wl, &direct[1]) < 0)
				goto unmount;
			if (cc < c[1])
				memcpy(wall[1], wl, sizeof(wl));
			c[1] = best(c[1], cc);
			w[1] = best(w[1], ww);
		}
		/* a fresh open: the server keeps no page cache across opens */
		if (run_child(famfsctl, argv[0], mfile, false, STEPS, &c[2], &w[2], wall[2],
			      &direct[2]) < 0)
			goto unmount;
		printf("\n== the chase by an unmodified program mmapping the file (ns per load, CPU; best of %d)\n",
		       ROUNDS);
		printf("  flat file               cold %7.1f  warm %7.1f\n", c[0] * 1e9 / STEPS,
		       w[0] * 1e9 / STEPS);
		printf("  mount, famfsctl run     cold %7.1f  warm %7.1f  ratio cold %.3f warm %.3f (%s)\n",
		       c[1] * 1e9 / STEPS, w[1] * 1e9 / STEPS, ratio(c[0], c[1]), ratio(w[0], w[1]),
		       direct[1] ? "direct map" : "NOT the direct map");
		printf("  mount, no preload       cold %7.1f  warm %7.1f  ratio cold %.3f warm %.3f (%s, one run)\n",
		       c[2] * 1e9 / STEPS, w[2] * 1e9 / STEPS, ratio(c[0], c[2]), ratio(w[0], w[2]),
		       direct[2] ? "direct map" : "page cache through FUSE");
		printf("  wall time, cold (includes the FUSE server's work and waiting for a CPU):\n"
		       "    flat %.1f, run %.1f, no preload %.1f ns per load; no preload ratio %.3f\n",
		       wall[0][0] * 1e9 / STEPS, wall[1][0] * 1e9 / STEPS, wall[2][0] * 1e9 / STEPS,
		       ratio(wall[0][0], wall[2][0]));
	}

	/* time to map, by chunk count */
	if (fc_famfs_creat(fs, "big", 8 * GiB, &o) < 0)
		goto unmount;
	printf("\n== time to map (fc_famfs_map, CPU time, best of %d)\n", ROUNDS);
	for (int f = 0; f < 2; f++) {
		const char *name = f ? "big" : "chase";
		uint64_t chunks = (f ? 8 * GiB : SIZE) / (2 * MiB);
		double tm = 1e9;
		unsigned long count = 0;

		for (int r = 0; r < ROUNDS; r++) {
			t = cpu();
			if (fc_famfs_map(fs, name, 0, &m) < 0)
				goto unmount;
			t = cpu() - t;
			count = fc_famfs_map_count(m);
			fc_famfs_unmap(m);
			tm = best(tm, t);
		}
		printf("  %5llu chunks (%lu mappings): %8.3f ms, %.3f ms per 1,000 chunks\n",
		       (unsigned long long)chunks, count, tm * 1e3, tm * 1e3 * 1000 / chunks);
	}
	rc = 0;
unmount:
	umount_set(famfsctl, mnt);
out:
	if (rc)
		fprintf(stderr, "bench-map: failed\n");
	loadavg("at end");
	fc_famfs_unmap(wmap);
	fc_famfs_close(reader);
	fc_famfs_close(fs);
	for (int i = 0; i < 4; i++)
		unlink(paths[i]);
	unlink(flatpath);
	rmdir(mnt);
	rmdir(dir);
	fc_unref(ctx);
	return rc;
}
