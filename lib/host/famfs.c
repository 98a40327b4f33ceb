// SPDX-License-Identifier: LGPL-2.1-only
/*
 * What famfs's own tools and famfsctl share on a host: the master identity
 * file, and famfs's kernel support, detected the way famfs detects it
 * (doc/kernel-famfs-mode.md, doc/famfs-format.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lib/private.h"
#include "util/fs.h"

/* famfs's own file: a host that uses another one is a client to famfs */
#define FAMFS_SYSTEM_UUID_FILE "/opt/famfs/system_uuid"

static const char *system_uuid_path(void)
{
	const char *p = getenv("FAMFSCTL_SYSTEM_UUID_FILE");

	return p && *p ? p : FAMFS_SYSTEM_UUID_FILE;
}

/* famfs writes the 36 characters (and a NUL); any whitespace around them is
 * accepted. 1: parsed, 0: no such file, -errno. */
static int read_uuid_file(struct fc_ctx *ctx, const char *path, uuid_t out)
{
	char buf[64] = "", why[PATH_MAX + 96], *s;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		err(ctx, "%s: cannot read this host's system uuid: %s\n", path, strerror(errno));
		return -errno;
	}
	/* the identity decides who may append: only a file (and directory)
	 * of root's or this user's that nobody else can write is believed */
	if (util_check_trusted(path, why, sizeof(why)) < 0) {
		close(fd);
		err(ctx, "%s: not trusted as this host's system uuid: %s\n", path, why);
		return -EPERM;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		err(ctx, "%s: cannot read this host's system uuid: %s\n", path, strerror(errno));
		return -EIO;
	}
	buf[n] = '\0';
	for (s = buf; *s == ' ' || *s == '\t' || *s == '\n'; s++)
		;
	if (strlen(s) >= 36 && (s[36] == '\0' || s[36] == '\n' || s[36] == ' ')) {
		s[36] = '\0';
		if (uuid_parse(s, out) == 0)
			return 1;
	}
	err(ctx, "%s: does not hold a system uuid (36 characters)\n", path);
	return -EINVAL;
}

/* mkdir -p of path's directory, 0755 (famfs makes /opt/famfs so), then
 * util_check_dir: a directory others can write is not used. */
static int make_parent(struct fc_ctx *ctx, const char *path)
{
	char dir[PATH_MAX], why[PATH_MAX + 96];
	char *slash;
	int rc;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	/* made as famfs makes it, and refused when someone else could write it */
	rc = util_mkdir_p(dir, 0755);
	if (rc < 0) {
		err(ctx, "cannot create %s for this host's system uuid: %s\n", dir, strerror(-rc));
		return rc;
	}
	rc = util_check_dir(dir, why, sizeof(why));
	if (rc < 0)
		err(ctx, "not trusted for this host's system uuid: %s\n", why);
	return rc;
}

FC_EXPORT int fc_system_uuid_get(struct fc_ctx *ctx, const char *opt, uuid_t uuid)
{
	const char *env = getenv("FAMFSCTL_SYSTEM_UUID");
	const char *path = system_uuid_path();
	char s[40];
	int fd, rc;

	if (opt || (env && *env)) {
		if (uuid_parse(opt ? opt : env, uuid) == 0)
			return 0;
		err(ctx, "system uuid '%s' (%s) is not a UUID\n", opt ? opt : env,
		    opt ? "--system-uuid" : "FAMFSCTL_SYSTEM_UUID");
		return -EINVAL;
	}
	rc = read_uuid_file(ctx, path, uuid);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	/* first use on this host, as famfs does it: a new uuid, read-only */
	rc = make_parent(ctx, path);
	if (rc < 0)
		return rc;
	uuid_generate(uuid);
	uuid_unparse_lower(uuid, s);
	strcat(s, "\n");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0) {
		rc = -errno;
		if (errno == EEXIST) /* another process made it meanwhile */
			return read_uuid_file(ctx, path, uuid) == 1 ? 0 : -EINVAL;
		err(ctx, "cannot create %s: %s (give --system-uuid)\n", path, strerror(-rc));
		return rc;
	}
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s) || fsync(fd) < 0) {
		rc = -errno;
		err(ctx, "cannot write %s: %s\n", path, strerror(-rc));
		close(fd);
		unlink(path);
		return rc;
	}
	close(fd);
	info(ctx, "%s: this host's new system uuid %.36s\n", path, s);
	return 0;
}

/* /proc, or $FAMFSCTL_PROC_DIR (tests give a tree of their own) */
static FILE *open_proc(const char *name)
{
	const char *dir = getenv("FAMFSCTL_PROC_DIR");
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/proc", name);
	return fopen(path, "re");
}

FC_EXPORT unsigned int fc_famfs_kernel_support(struct fc_ctx *ctx)
{
	unsigned int found = 0;
	char line[512];
	FILE *f;

	/* the standalone module registers file system type "famfs":
	 * "nodev\tfamfs" */
	f = open_proc("filesystems");
	while (f && fgets(line, sizeof(line), f)) {
		char *tab = strrchr(line, '\t');
		char *name = tab ? tab + 1 : line;

		name[strcspn(name, "\n")] = '\0';
		if (!strcmp(name, "famfs"))
			found |= FC_FAMFS_KERNEL_MODULE;
	}
	if (f)
		fclose(f);
	/* the FUSE-based one: "ADDR t famfs_fuse_iomap_begin\t[fuse]" */
	f = open_proc("kallsyms");
	while (f && fgets(line, sizeof(line), f)) {
		char addr[32], type, sym[256], mod[64] = "";

		if (!strstr(line, "famfs_fuse_iomap_begin"))
			continue;
		if (sscanf(line, "%31s %c %255s [%63[^]]]", addr, &type, sym, mod) >= 3 &&
		    !strcmp(sym, "famfs_fuse_iomap_begin") && (!*mod || !strcmp(mod, "fuse")))
			found |= FC_FAMFS_KERNEL_FUSE;
	}
	if (f)
		fclose(f);
	dbg(ctx, "famfs kernel support: module %s, fuse %s\n",
	    found & FC_FAMFS_KERNEL_MODULE ? "yes" : "no", found & FC_FAMFS_KERNEL_FUSE ? "yes" : "no");
	return found;
}
