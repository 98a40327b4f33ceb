// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-mount: the portable (FUSE) mount against tmpfs, in the same run.
 * A 4-member set on the simulator is formatted and mounted with
 * `famfsctl mount`; the same operations then run on a file in the mount
 * and on a file in tmpfs (/dev/shm):
 *   sequential write of 256 MiB (through the mount a new file is held
 *   until close, then allocated striped and written: famfs files have a
 *   fixed size), sequential read of it, and 20000 random 4 KiB reads.
 * Page caches are dropped before reads where this process may (root).
 *
 * Usage: bench-mount FAMFSCTL   (FAMFSCTL_PLUGIN_DIR must name the plugins)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define SIZE (256 * MiB)
#define RANDOM_READS 20000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	sync();
	if (fd >= 0) {
		if (write(fd, "3", 1) != 1)
			perror("drop_caches");
		close(fd);
	}
}

static int run(const char *prog, char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execv(prog, argv);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) ?
	       WEXITSTATUS(status) : -1;
}

/* MiB/s of sequential write, sequential read, and 4 KiB random reads/s. */
static int measure(const char *path, double out[3])
{
	char *buf = malloc(4 * MiB), page[4096];
	double t;
	int fd;

	if (!buf)
		return -1;
	memset(buf, 0x6b, 4 * MiB);
	t = now();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	for (uint64_t off = 0; fd >= 0 && off < SIZE; off += 4 * MiB)
		if (write(fd, buf, 4 * MiB) != (ssize_t)(4 * MiB))
			return -1;
	if (fd < 0 || close(fd) < 0)
		return -1;
	out[0] = SIZE / MiB / (now() - t);
	drop_caches();
	t = now();
	fd = open(path, O_RDONLY);
	for (uint64_t off = 0; fd >= 0 && off < SIZE; off += 4 * MiB)
		if (read(fd, buf, 4 * MiB) != (ssize_t)(4 * MiB))
			return -1;
	out[1] = SIZE / MiB / (now() - t);
	drop_caches();
	srand(7);
	t = now();
	for (int i = 0; fd >= 0 && i < RANDOM_READS; i++) {
		off_t off = (off_t)(rand() % (SIZE / 4096)) * 4096;

		if (pread(fd, page, sizeof(page), off) != (ssize_t)sizeof(page))
			return -1;
	}
	out[2] = RANDOM_READS / (now() - t);
	close(fd);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/famfsctl-benchmnt-XXXXXX", uri[96], mnt[96], file[128], shm[96];
	struct fc_famfs_format_opts fo = { .log_len = 8 * MiB };
	struct fc_alloc_opts ao = { .size = 4 * 4 * GiB, .ways = 4 };
	uuid_t tags[4];
	struct fc_interleave_opts io = { .name = "bench", .members = (const uuid_t *)tags,
					 .nmembers = 4, .strips = 4 };
	json_object *r, *members, *t;
	struct fc_ctx *ctx;
	double fuse[3], tmpfs[3];
	char sys[37];
	int rc = 1;

	if (argc < 2 || !mkdtemp(dir) || fc_new(&ctx) < 0)
		return 2;
	snprintf(uri, sizeof(uri), "sim:%s/fabric", dir);
	setenv("FAMFSCTL_FABRIC", uri, 1);
	uuid_generate(fo.system_uuid);
	uuid_unparse_lower(fo.system_uuid, sys);
	setenv("FAMFSCTL_SYSTEM_UUID", sys, 1);
	if (fc_fabric_create(ctx, uri, &(struct famfsctl_fm_create){ .devices = 4,
			     .capacity = 8 * GiB }) < 0 || fc_set_fabric(ctx, uri, 0) < 0 ||
	    fc_alloc(ctx, &ao, &r) < 0)
		return 1;
	json_object_object_get_ex(r, "members", &members);
	for (int i = 0; i < 4; i++) {
		json_object_object_get_ex(json_object_array_get_idx(members, i), "tag", &t);
		uuid_parse(json_object_get_string(t), tags[i]);
	}
	json_object_put(r);
	if (fc_interleave_create(ctx, &io, NULL) < 0 ||
	    fc_famfs_format_set(ctx, "bench", &fo, NULL) < 0)
		return 1;
	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	mkdir(mnt, 0755);
	if (run(argv[1], (char *[]){ argv[1], "mount", "--mode", "portable", "bench", mnt, NULL })) {
		fprintf(stderr, "bench-mount: cannot mount (FUSE)\n");
		return 1;
	}
	snprintf(file, sizeof(file), "%s/seq", mnt);
	snprintf(shm, sizeof(shm), "/dev/shm/famfsctl-bench-%d", (int)getpid());
	if (measure(file, fuse) == 0 && measure(shm, tmpfs) == 0) {
		printf("famfsctl FUSE mount of a 4-member set vs tmpfs, 256 MiB file\n");
		printf("%-24s %10s %10s %8s\n", "", "fuse", "tmpfs", "ratio");
		printf("%-24s %8.0f/s %8.0f/s %8.2f\n", "sequential write MiB", fuse[0], tmpfs[0],
		       fuse[0] / tmpfs[0]);
		printf("%-24s %8.0f/s %8.0f/s %8.2f\n", "sequential read MiB", fuse[1], tmpfs[1],
		       fuse[1] / tmpfs[1]);
		printf("%-24s %8.0f/s %8.0f/s %8.2f\n", "random 4 KiB reads", fuse[2], tmpfs[2],
		       fuse[2] / tmpfs[2]);
		rc = 0;
	}
	unlink(shm);
	run(argv[1], (char *[]){ argv[1], "umount", mnt, NULL });
	fc_unref(ctx);
	snprintf(file, sizeof(file), "rm -rf '%s'", dir);
	if (system(file) != 0)
		rc = 1;
	return rc;
}
