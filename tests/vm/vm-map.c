// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm-map: the two-host VM test's direct-map helper (tests/vm/init-share,
 * step 5). It maps one file of a famfs through libfamfsctl's map API, the
 * way an application gets memory-speed access, on the guest's real devdax.
 *
 *   vm-map write SET PATH SEED   master: map read-write, fill the file with
 *                                SEED's pattern, flush (fc_flush)
 *   vm-map read SET PATH SEED    map read-only, invalidate (fc_invalidate),
 *                                check the pattern: exit 1 at the first
 *                                differing word, naming its offset
 *   vm-map wait SET PATH SEED    map read-only, print "mapped", then
 *                                invalidate and check until the pattern is
 *                                there (another host writing it), at most 60 s
 *   vm-map cat SET PATH          map read-only, write the bytes to stdout
 *   vm-map refuse-rw SET PATH    open read-only, ask for a read-write map:
 *                                exit 0 only when the map refuses (-EPERM)
 *
 * SET is the members' paths, comma-separated, primary first. The master's
 * identity is $FAMFSCTL_SYSTEM_UUID (as famfsctl takes it).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

#include <famfsctl/libfamfsctl.h>
#include <famfsctl/famfs.h>
#include <famfsctl/map.h>

#define MAX_MEMBERS 16

/* The pattern: one 64-bit word per 8 bytes, from the seed and the offset. */
static uint64_t pattern(uint64_t seed, uint64_t off)
{
	return seed ^ (off * 0x9e3779b97f4a7c15ull) ^ (off >> 3);
}

/* The offset of the first word that is not the pattern, or size. */
static uint64_t first_wrong(const uint64_t *w, uint64_t size, uint64_t seed)
{
	for (uint64_t off = 0; off + 8 <= size; off += 8)
		if (w[off / 8] != pattern(seed, off))
			return off;
	return size;
}

static int open_fs(struct fc_ctx *ctx, char *set, bool master, struct fc_famfs **fs)
{
	const char *paths[MAX_MEMBERS], *env;
	unsigned int n = 0;
	uuid_t me;
	char *save = NULL;
	int rc;

	for (char *t = strtok_r(set, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == MAX_MEMBERS) {
			fprintf(stderr, "vm-map: more than %d members\n", MAX_MEMBERS);
			return -EINVAL;
		}
		paths[n++] = t;
	}
	if (master) {
		env = getenv("FAMFSCTL_SYSTEM_UUID");
		if (!env || uuid_parse(env, me) < 0) {
			fprintf(stderr, "vm-map: FAMFSCTL_SYSTEM_UUID is not a UUID\n");
			return -EINVAL;
		}
	}
	rc = fc_famfs_open(ctx, paths, n, master ? me : NULL, fs);
	if (rc < 0)
		fprintf(stderr, "vm-map: cannot open %s: %s\n", paths[0], strerror(-rc));
	return rc;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	bool write = !strcmp(mode, "write"), read = !strcmp(mode, "read");
	bool wait = !strcmp(mode, "wait");
	bool cat = !strcmp(mode, "cat"), refuse = !strcmp(mode, "refuse-rw");
	struct fc_famfs_map *map = NULL;
	struct fc_famfs *fs = NULL;
	struct fc_ctx *ctx = NULL;
	uint64_t seed = 0, size, *w;
	int rc, ret = 1;

	if (!((write || read || wait) && argc == 5) && !((cat || refuse) && argc == 4)) {
		fprintf(stderr, "usage: vm-map write|read|wait SET PATH SEED | cat|refuse-rw SET PATH\n");
		return 2;
	}
	if (argc == 5)
		seed = strtoull(argv[4], NULL, 0);
	if (fc_new(&ctx) < 0 || open_fs(ctx, argv[2], write, &fs) < 0)
		goto out;
	rc = fc_famfs_map(fs, argv[3], write || refuse ? FC_MAP_WRITE : 0, &map);
	if (refuse) {
		if (rc == -EPERM) {
			printf("refused: %s\n", strerror(-rc));
			ret = 0;
		} else {
			fprintf(stderr, "vm-map: a read-write map on a read-only open %s (%d)\n",
				rc == 0 ? "was granted" : "failed otherwise", rc);
		}
		goto out;
	}
	if (rc < 0) {
		fprintf(stderr, "vm-map: cannot map %s: %s\n", argv[3], strerror(-rc));
		goto out;
	}
	size = fc_famfs_map_size(map);
	w = fc_famfs_map_addr(map);
	if (write) {
		for (uint64_t off = 0; off + 8 <= size; off += 8)
			w[off / 8] = pattern(seed, off);
		fc_flush(w, size);
		printf("wrote %" PRIu64 " bytes\n", size);
		ret = 0;
	} else if (read || wait) {
		struct timespec pause = { 0, 50 * 1000 * 1000 };
		uint64_t off;
		int tries = wait ? 1200 : 1;

		if (wait) {
			printf("mapped\n");
			fflush(stdout);
		}
		do {
			fc_invalidate(w, size);
			off = first_wrong(w, size, seed);
		} while (off < size && --tries > 0 && nanosleep(&pause, NULL) == 0);
		if (off < size) {
			fprintf(stderr, "vm-map: %s: offset %" PRIu64 ": 0x%016" PRIx64
				", wanted 0x%016" PRIx64 "\n", argv[3], off, w[off / 8],
				pattern(seed, off));
			goto out;
		}
		printf("read %" PRIu64 " bytes: the pattern of seed 0x%" PRIx64 "\n", size, seed);
		ret = 0;
	} else {
		fc_invalidate(w, size);
		ret = fwrite(w, 1, size, stdout) == size ? 0 : 1;
	}
out:
	if (map)
		fc_famfs_unmap(map);
	if (fs)
		fc_famfs_close(fs);
	if (ctx)
		fc_unref(ctx);
	return ret;
}
