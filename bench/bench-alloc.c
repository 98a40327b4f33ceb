// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-alloc: how long `famfsctl alloc` takes on the simulator for groups
 * of 1, 8 and 32 members, and where the time goes -- in the fabric plugin
 * (FM-API commands), in the host platform (the simulated kernel: scans,
 * claims, mode switches), and in famfsctl itself (the rest). The baseline
 * is the 1-member group measured in the same run: per-member time at 8 and
 * 32 members against it shows whether allocation grows worse than
 * linearly.
 *
 * Usage: bench-alloc [ROUNDS]   (FAMFSCTL_PLUGIN_DIR must name the plugins)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	static const unsigned int ways[] = { 1, 8, 32 };
	int rounds = argc > 1 ? atoi(argv[1]) : 5;
	char dir[] = "/tmp/famfsctl-bench-XXXXXX", uri[64], cmd[96];
	struct famfsctl_fm_create p = { .devices = 32, .capacity = GiB, .ports = 4 };
	struct fc_ctx *ctx;
	double base = 0;
	int bad = 0;

	if (rounds < 1 || !mkdtemp(dir) || fc_new(&ctx) < 0)
		return 2;
	snprintf(uri, sizeof(uri), "sim:%s/fabric", dir);
	if (fc_fabric_create(ctx, uri, &p) < 0 || fc_set_fabric(ctx, uri, 0) < 0)
		return 1;
	printf("famfsctl alloc on the simulator: 32 devices, %d rounds each, median per group\n",
	       rounds);
	printf("%7s %10s %10s %10s %10s %12s %8s\n", "members", "total ms", "fabric ms",
	       "host ms", "famfsctl", "ms/member", "vs 1");
	for (size_t w = 0; w < sizeof(ways) / sizeof(ways[0]); w++) {
		double tot[64], fab[64], host[64];

		for (int r = 0; r < rounds && r < 64; r++) {
			struct fc_alloc_opts o = { .size = ways[w] * 64 * MiB, .ways = ways[w] };
			struct fc_stats s0, s1;
			json_object *res, *g;
			uuid_t group;
			double t0;

			fc_get_stats(ctx, &s0);
			t0 = now_ms();
			if (fc_alloc(ctx, &o, &res) < 0)
				return 1;
			tot[r] = now_ms() - t0;
			fc_get_stats(ctx, &s1);
			fab[r] = (s1.fabric_ns - s0.fabric_ns) / 1e6;
			host[r] = (s1.platform_ns - s0.platform_ns) / 1e6;
			json_object_object_get_ex(res, "group", &g);
			uuid_parse(json_object_get_string(g), group);
			json_object_put(res);
			if (fc_release(ctx, group, NULL) < 0)
				return 1;
		}
		/* medians (insertion sort of a handful) */
		for (int i = 1; i < rounds; i++)
			for (int j = i; j > 0 && tot[j] < tot[j - 1]; j--) {
				double x = tot[j]; tot[j] = tot[j - 1]; tot[j - 1] = x;
				x = fab[j]; fab[j] = fab[j - 1]; fab[j - 1] = x;
				x = host[j]; host[j] = host[j - 1]; host[j - 1] = x;
			}
		{
			int m = rounds / 2;
			double per = tot[m] / ways[w];

			if (w == 0)
				base = per;
			printf("%7u %10.1f %10.1f %10.1f %10.1f %12.2f %7.2fx\n", ways[w], tot[m],
			       fab[m], host[m], tot[m] - fab[m] - host[m], per, per / base);
			/* "no worse than linear": per-member time does not grow */
			if (per > base * 1.5)
				bad = 1;
		}
	}
	printf("per-member time %s with the group size (linear or better: ratio <= 1.5)\n",
	       bad ? "GROWS" : "does not grow");
	fc_unref(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return bad;
}
