// SPDX-License-Identifier: GPL-2.0-only
/*
 * The direct map from a test's point of view (tests/cli/test-map-cmd.sh):
 *   map-tool read SPEC PATH            the file's bytes through fc_famfs_map
 *   map-tool write SPEC PATH OFF TEXT  as master (or --force): write, flush
 *   map-tool watch SPEC PATH OFF LEN READY GO
 *                                      a client's read-only map: print the
 *                                      range, touch READY, wait for GO,
 *                                      invalidate, print it again
 *   map-tool layout JSON-FILE          map a layout (famfsctl getmap's JSON)
 *                                      read-only through fc_famfs_map_layout:
 *                                      "mapped LEN, base aligned to A" on
 *                                      stdout, the file's bytes to FD 3 if open
 *   map-tool mmap FILE                 an unmodified application: plain
 *                                      mmap(2) of FILE, its bytes to stdout,
 *                                      the /proc/self/maps lines of the
 *                                      mapping to stderr, then munmap
 * SPEC is an interleave set's name (FAMFSCTL_FABRIC, FAMFSCTL_HOST_ID) or
 * member paths PRIMARY,MEMBER,... The master is FAMFSCTL_SYSTEM_UUID.
 * Messages go to stderr; "mappings N" tells how many a map used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include <famfsctl/libfamfsctl.h>

static int open_as(struct fc_ctx *ctx, const char *spec, const uint8_t *master,
		   struct fc_famfs **fs)
{
	const char *host = getenv("FAMFSCTL_HOST_ID");
	int rc;

	if (strchr(spec, '/') || strchr(spec, ',')) {
		const char *paths[64];
		char *copy = strdup(spec), *save = NULL;
		unsigned int n = 0;

		for (char *t = strtok_r(copy, ",", &save); t && n < 64; t = strtok_r(NULL, ",", &save))
			paths[n++] = t;
		rc = fc_famfs_open(ctx, paths, n, master, fs);
		free(copy);
		return rc;
	}
	rc = fc_set_fabric(ctx, getenv("FAMFSCTL_FABRIC"), host ? (unsigned int)atoi(host) : 0);
	return rc < 0 ? rc : fc_famfs_open_set(ctx, spec, master, fs);
}

/* As a reader; to write, as the master when FAMFSCTL_SYSTEM_UUID is the
 * file system's (as the mount does): anyone else stays a client. */
static int open_fs(struct fc_ctx *ctx, const char *spec, bool write, struct fc_famfs **fs)
{
	const char *env = getenv("FAMFSCTL_SYSTEM_UUID");
	uuid_t me, master;
	int rc = open_as(ctx, spec, NULL, fs);

	if (rc < 0 || !write || !env || uuid_parse(env, me) < 0)
		return rc;
	fc_famfs_system_uuid(*fs, master);
	if (uuid_compare(me, master))
		return 0;
	fc_famfs_close(*fs);
	*fs = NULL;
	return open_as(ctx, spec, me, fs);
}

static int do_read(struct fc_famfs *fs, const char *path)
{
	struct fc_famfs_map *map;
	int rc = fc_famfs_map(fs, path, 0, &map);

	if (rc < 0)
		return rc;
	fprintf(stderr, "mappings %lu\n", fc_famfs_map_count(map));
	fc_invalidate(fc_famfs_map_addr(map), fc_famfs_map_size(map));
	if (fwrite(fc_famfs_map_addr(map), 1, fc_famfs_map_size(map), stdout) !=
	    fc_famfs_map_size(map))
		rc = -EIO;
	fc_famfs_unmap(map);
	return rc;
}

static int do_write(struct fc_famfs *fs, const char *path, unsigned long off, const char *text,
		    bool force)
{
	struct fc_famfs_map *map;
	int rc = fc_famfs_map(fs, path, force ? FC_MAP_FORCE_WRITE : FC_MAP_WRITE, &map);
	char *p;

	if (rc < 0)
		return rc;
	if (off + strlen(text) > fc_famfs_map_size(map)) {
		fc_famfs_unmap(map);
		return -EINVAL;
	}
	p = (char *)fc_famfs_map_addr(map) + off;
	memcpy(p, text, strlen(text));
	fc_flush(p, strlen(text));
	fc_famfs_unmap(map);
	return 0;
}

static int do_watch(struct fc_famfs *fs, const char *path, unsigned long off, unsigned long len,
		    const char *ready, const char *go)
{
	struct fc_famfs_map *map;
	int rc = fc_famfs_map(fs, path, 0, &map), fd;
	const char *p;

	if (rc < 0)
		return rc;
	p = (const char *)fc_famfs_map_addr(map) + off;
	fc_invalidate(p, len);
	printf("before: %.*s\n", (int)len, p);
	fflush(stdout);
	fd = open(ready, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < 3000 && access(go, F_OK) < 0; i++)
		usleep(10000);
	fc_invalidate(p, len);
	printf("after: %.*s\n", (int)len, p);
	fc_famfs_unmap(map);
	return 0;
}

/* The /proc/self/maps lines inside [lo, hi). */
static void show_maps(const void *lo, const void *hi)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long a, b;

		if (sscanf(line, "%lx-%lx", &a, &b) == 2 && a < (unsigned long)hi &&
		    b > (unsigned long)lo)
			fputs(line, stderr);
	}
	if (f)
		fclose(f);
}

static int do_layout(const char *file)
{
	struct json_object *j = json_object_from_file(file);
	struct fc_famfs_map *map = NULL;
	struct fc_ctx *ctx;
	uintptr_t base;
	int rc;

	if (!j)
		return -EINVAL;
	if (fc_new(&ctx) < 0) {
		json_object_put(j);
		return -ENOMEM;
	}
	rc = fc_famfs_map_layout(ctx, j, 0, 0, 0, &map);
	if (rc == 0) {
		base = (uintptr_t)fc_famfs_map_addr(map);
		printf("mapped %llu, base aligned to %llu\n",
		       (unsigned long long)fc_famfs_map_length(map),
		       (unsigned long long)(base & -base));
		if (fcntl(3, F_GETFD) >= 0 &&
		    write(3, fc_famfs_map_addr(map), fc_famfs_map_size(map)) < 0)
			rc = -errno;
		fc_famfs_unmap(map);
	}
	json_object_put(j);
	fc_unref(ctx);
	return rc;
}

static int do_mmap(const char *file)
{
	struct stat st;
	int fd = open(file, O_RDONLY);
	void *p;

	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	fwrite(p, 1, (size_t)st.st_size, stdout);
	show_maps(p, (char *)p + st.st_size);
	if (munmap(p, (size_t)st.st_size) < 0)
		return -errno;
	fprintf(stderr, "after munmap:\n");
	show_maps(p, (char *)p + st.st_size);
	return 0;
}

int main(int argc, char **argv)
{
	struct fc_famfs *fs = NULL;
	struct fc_ctx *ctx;
	bool force = argc > 1 && !strcmp(argv[argc - 1], "--force");
	int rc = -EINVAL;

	if (force)
		argc--;
	if (argc == 3 && !strcmp(argv[1], "layout")) {
		rc = do_layout(argv[2]);
		if (rc < 0)
			fprintf(stderr, "map-tool: %s: %s\n", argv[2], strerror(-rc));
		return rc < 0;
	}
	if (argc == 3 && !strcmp(argv[1], "mmap")) {
		rc = do_mmap(argv[2]);
		if (rc < 0)
			fprintf(stderr, "map-tool: %s: %s\n", argv[2], strerror(-rc));
		return rc < 0;
	}
	if (argc < 4 || fc_new(&ctx) < 0) {
		fprintf(stderr, "usage: map-tool read|write|watch SPEC PATH ... | mmap FILE\n");
		return 2;
	}
	rc = open_fs(ctx, argv[2], !strcmp(argv[1], "write"), &fs);
	if (rc == 0 && !strcmp(argv[1], "read") && argc == 4)
		rc = do_read(fs, argv[3]);
	else if (rc == 0 && !strcmp(argv[1], "write") && argc == 6)
		rc = do_write(fs, argv[3], strtoul(argv[4], NULL, 0), argv[5], force);
	else if (rc == 0 && !strcmp(argv[1], "watch") && argc == 8)
		rc = do_watch(fs, argv[3], strtoul(argv[4], NULL, 0), strtoul(argv[5], NULL, 0),
			      argv[6], argv[7]);
	else if (rc == 0)
		rc = -EINVAL;
	if (rc < 0)
		fprintf(stderr, "map-tool: %s: %s\n", argv[1], strerror(-rc));
	fc_famfs_close(fs);
	fc_unref(ctx);
	return rc < 0;
}
