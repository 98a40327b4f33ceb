// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-fragmentation: why software interleave. A simulated fabric is
 * churned with random allocations and releases; after every step the free
 * capacity is measured two ways, in the same run:
 *
 *   famfsctl   a W-way set takes equal shares from any W devices, and a
 *              member's share may be any free blocks of its device (the
 *              FM gathers them into extents): the usable capacity is W*R
 *              for the largest R with sum_i min(free_i, R) >= W*R.
 *   same-DPA   CXL hardware interleave needs the same DPA range free on all
 *              W devices: block p can serve floor(c(p)/W) W-way sets, c(p)
 *              the devices where p is free (generously allowing any number
 *              of regions and any device subsets).
 *
 * Each is printed as a fraction of the free capacity, every 10 steps. A
 * step is balanced when no device holds more than 1/W of the free
 * capacity (else no equal-share set can use all of it, marked *); over
 * the balanced steps the summary gives famfsctl's minimum and same-DPA's
 * median and minimum. Exit 1 if famfsctl uses less than 99% at any
 * balanced step.
 *
 * Usage: bench-fragmentation [STEPS [WAYS [SEED]]]  (FAMFSCTL_PLUGIN_DIR set)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define DEVS 8
#define CAP (16 * GiB)
#define BLOCK (2 * MiB)
#define NBLK (CAP / BLOCK)

struct live {
	uint32_t dev;
	uuid_t tag;
};

static uint8_t used[DEVS][NBLK];

/* Our own generator: libuuid stirs the C library's, which would make runs
 * with the same seed differ. */
static uint64_t rng_state;

static unsigned int rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned int)(rng_state >> 33);
}

/* Host 0's allocations on every device, as block maps, from the FM. */
static int read_maps(struct fc_ctx *ctx)
{
	static struct famfsctl_fm_extent ext[4096];

	memset(used, 0, sizeof(used));
	for (uint32_t d = 0; d < DEVS; d++) {
		struct famfsctl_fm_page pg = { .max = 4096 };

		do {
			if (fc_fabric_extents(ctx, d, 0, &pg, ext) < 0)
				return -1;
			for (uint32_t i = 0; i < pg.returned; i++)
				for (uint64_t b = ext[i].dpa / BLOCK;
				     b < (ext[i].dpa + ext[i].length) / BLOCK; b++)
					used[d][b] = 1;
			pg.start += pg.returned;
		} while (pg.returned && pg.start < pg.total);
	}
	return 0;
}

static uint64_t soft_usable(const uint64_t *freeb, int ways)
{
	uint64_t lo = 0, hi = (uint64_t)DEVS * NBLK / (uint64_t)ways;

	while (lo < hi) { /* the largest R with sum min(f_i, R) >= W R */
		uint64_t r = (lo + hi + 1) / 2, sum = 0;

		for (int d = 0; d < DEVS; d++)
			sum += freeb[d] < r ? freeb[d] : r;
		if (sum >= (uint64_t)ways * r)
			lo = r;
		else
			hi = r - 1;
	}
	return (uint64_t)ways * lo;
}

static uint64_t same_dpa_usable(int ways)
{
	uint64_t n = 0;

	for (uint64_t b = 0; b < NBLK; b++) {
		int c = 0;

		for (int d = 0; d < DEVS; d++)
			c += !used[d][b];
		n += (uint64_t)ways * (c / ways);
	}
	return n;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int steps = argc > 1 ? atoi(argv[1]) : 1000;
	int ways = argc > 2 ? atoi(argv[2]) : 4;
	unsigned int seed = argc > 3 ? (unsigned int)atoi(argv[3]) : 42;
	char dir[] = "/tmp/famfsctl-frag-XXXXXX", uri[64], cmd[96];
	struct famfsctl_fm_create p = { .devices = DEVS, .capacity = CAP, .max_extents = 4096,
					.max_tags = 4096 };
	struct live *live = calloc((size_t)steps + 1, sizeof(*live));
	double *hw = calloc((size_t)steps + 1, sizeof(*hw)), soft_min = 1.0, soft_min_bal = 1.0;
	int nlive = 0, nhw = 0, bad = 0;
	struct fc_ctx *ctx;

	if (steps < 1 || ways < 2 || ways > DEVS || !live || !hw || !mkdtemp(dir) ||
	    fc_new(&ctx) < 0)
		return 2;
	rng_state = 0x9e3779b97f4a7c15ULL ^ seed;
	snprintf(uri, sizeof(uri), "sim:%s/fabric", dir);
	if (fc_fabric_create(ctx, uri, &p) < 0 || fc_set_fabric(ctx, uri, 0) < 0)
		return 1;
	printf("fragmentation: %d devices of %llu GiB, %d-way sets, %d steps, seed %u\n",
	       DEVS, (unsigned long long)(CAP / GiB), ways, steps, seed);
	printf("fraction of free capacity usable by a %d-way set\n", ways);
	printf("%6s %7s %9s %10s %11s\n", "step", "used", "free GiB", "famfsctl", "same-DPA");
	for (int s = 1; s <= steps; s++) {
		uint64_t freeb[DEVS], total_free = 0, soft, hard;
		bool alloc = nlive == 0 || rnd() % 100 < 65;
		int shared_devs = 0;

		if (alloc) {
			struct famfsctl_fm_add a = { .policy = FM_ADD_FREE };

			live[nlive].dev = (uint32_t)(rnd() % DEVS);
			a.length = (uint64_t)(1 + rnd() % 512) * BLOCK; /* 2 MiB .. 1 GiB */
			uuid_generate(live[nlive].tag);
			uuid_copy(a.tag, live[nlive].tag);
			fc_set_log_priority(ctx, 0); /* a full device is expected */
			if (fc_fabric_add(ctx, live[nlive].dev, &a) == 0)
				nlive++;
			else
				alloc = false;
			fc_set_log_priority(ctx, 3);
		}
		if (!alloc && nlive) {
			int k = rnd() % nlive;
			struct famfsctl_fm_release r = { .flags = FM_RELEASE_TAG_BASED };

			uuid_copy(r.tag, live[k].tag);
			if (fc_fabric_release(ctx, live[k].dev, &r) < 0)
				return 1;
			live[k] = live[--nlive];
		}
		if (read_maps(ctx) < 0)
			return 1;
		for (int d = 0; d < DEVS; d++) {
			freeb[d] = 0;
			for (uint64_t b = 0; b < NBLK; b++)
				freeb[d] += !used[d][b];
			total_free += freeb[d];
			shared_devs += freeb[d] > 0;
		}
		soft = soft_usable(freeb, ways);
		hard = same_dpa_usable(ways);
		if (total_free && shared_devs >= ways) {
			double fs = (double)soft / total_free, fh = (double)hard / total_free;

			uint64_t maxf = 0;

			for (int d = 0; d < DEVS; d++)
				maxf = freeb[d] > maxf ? freeb[d] : maxf;
			if (fs < soft_min)
				soft_min = fs;
			/* balanced: no device holds more than 1/W of the free
			 * capacity, so equal shares can use all of it */
			if (maxf * (uint64_t)ways <= total_free) {
				if (fs < soft_min_bal)
					soft_min_bal = fs;
				hw[nhw++] = fh;
				if (fs < 0.99)
					bad = 1;
			}
			if (s % 10 == 0) {
				printf("%6d %6.1f%% %9.1f %9.1f%%%s %9.1f%%\n", s,
				       100.0 * (1.0 - (double)total_free / (DEVS * NBLK)),
				       total_free * (double)BLOCK / GiB, 100 * fs,
				       maxf * (uint64_t)ways > total_free ? "*" : " ", 100 * fh);
			}
		}
	}
	qsort(hw, (size_t)nhw, sizeof(*hw), cmp_d);
	printf("* one device holds more than 1/%d of the free capacity: no equal-share set can use it all\n",
	       ways);
	printf("over the %d balanced steps (no *):\n", nhw);
	printf("  famfsctl: at least %.2f%% of free capacity usable\n", 100 * soft_min_bal);
	if (nhw)
		printf("  same-DPA: median %.1f%%, minimum %.1f%%\n", 100 * hw[nhw / 2], 100 * hw[0]);
	printf("over all steps, famfsctl at least %.2f%%\n", 100 * soft_min);
	printf("%s\n", bad ? "famfsctl fell below 99% where the free capacity was spread over enough devices" :
	       "famfsctl >= 99% wherever the free capacity is spread over enough devices");
	fc_unref(ctx);
	free(live);
	free(hw);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return bad;
}
