// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl mount | umount: the portable mount, served by famfsctl through
 * libfuse3, of a famfs over an interleave set. The tree comes from the log;
 * a file's bytes go straight to the members' mappings through the extent
 * math. The master may create files (striped when they are closed: famfs
 * files have a fixed size) and directories; other hosts mount read-only and
 * replay the log on demand and every refresh interval, so they see the
 * master's new files. .meta/.superblock and .meta/.log show the primary's
 * metadata, as famfs does.
 */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include "cmd/builtin.h"
#include "util/fs.h"
#include "util/members.h"

#define META "/.meta"
#define MiB (1ULL << 20)

/* A file created through the mount: its bytes wait here until release,
 * when its size is known and it is allocated and logged. */
struct pending {
	struct pending *next;
	char path[128];
	uint32_t mode;
	char *data;
	size_t len, cap;
};

struct mnt {
	struct fc_famfs *fs;
	struct fc_ctx *ctx;
	char set[64];
	uint64_t chunk;
	unsigned int strips;
	unsigned int refresh_ms;
	double last_refresh;
	time_t since; /* famfs keeps no times: everything shows the mount's */
	struct pending *pending;
};

static struct mnt *M(void)
{
	return fuse_get_context()->private_data;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Replay the log when it is older than the refresh interval, or at once
 * when asked for something not known: clients see the master's new files,
 * the master those famfsctl cp added beside the mount. */
static void refresh(struct mnt *m, bool miss)
{
	double t = now();

	if (!miss && (t - m->last_refresh) * 1000 < m->refresh_ms)
		return;
	if (miss && t - m->last_refresh < 0.05)
		return;
	fc_famfs_refresh(m->fs);
	m->last_refresh = t;
}

static struct pending *find_pending(struct mnt *m, const char *path)
{
	for (struct pending *p = m->pending; p; p = p->next)
		if (!strcmp(p->path, path))
			return p;
	return NULL;
}

static int meta_file(const char *path, bool *log)
{
	if (!strcmp(path, META "/.superblock")) {
		*log = false;
		return 1;
	}
	if (!strcmp(path, META "/.log")) {
		*log = true;
		return 1;
	}
	return 0;
}

static int op_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	struct mnt *m = M();
	struct fc_famfs_stat fst;
	struct pending *p;
	bool log;
	size_t len;

	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_atime = st->st_mtime = st->st_ctime = m->since;
	if (!strcmp(path, META)) {
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
		return 0;
	}
	if (meta_file(path, &log)) {
		fc_famfs_meta(m->fs, log, &len);
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = (off_t)len;
		return 0;
	}
	if ((p = find_pending(m, path))) {
		st->st_mode = S_IFREG | p->mode;
		st->st_nlink = 1;
		st->st_size = (off_t)p->len;
		return 0;
	}
	refresh(m, false);
	if (fc_famfs_getattr(m->fs, path, &fst) < 0) {
		refresh(m, true);
		if (fc_famfs_getattr(m->fs, path, &fst) < 0)
			return -ENOENT;
	}
	st->st_mode = (fst.is_dir ? S_IFDIR : S_IFREG) | (fst.mode & 07777);
	st->st_nlink = fst.is_dir ? 2 : 1;
	st->st_size = (off_t)fst.size;
	st->st_uid = fst.uid;
	st->st_gid = fst.gid;
	st->st_blksize = 2 * MiB;
	st->st_blocks = (blkcnt_t)((fst.size + 511) / 512);
	return 0;
}

struct fill {
	void *buf;
	fuse_fill_dir_t filler;
};

static int one_entry(void *arg, const char *name, const struct fc_famfs_stat *st)
{
	struct fill *f = arg;

	f->filler(f->buf, name, NULL, 0, 0);
	return 0;
}

static int op_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
		      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	struct mnt *m = M();
	struct fill f = { buf, filler };
	size_t plen = strlen(path);

	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	if (!strcmp(path, META)) {
		filler(buf, ".superblock", NULL, 0, 0);
		filler(buf, ".log", NULL, 0, 0);
		return 0;
	}
	refresh(m, false);
	if (!strcmp(path, "/"))
		filler(buf, ".meta", NULL, 0, 0);
	for (struct pending *p = m->pending; p; p = p->next) {
		const char *slash = strrchr(p->path, '/');

		if ((size_t)(slash - p->path) == (plen == 1 ? 0 : plen) &&
		    !strncmp(p->path, path, (size_t)(slash - p->path)))
			filler(buf, slash + 1, NULL, 0, 0);
	}
	return fc_famfs_readdir(m->fs, path, one_entry, &f);
}

static int op_open(const char *path, struct fuse_file_info *fi)
{
	struct mnt *m = M();
	struct fc_famfs_stat st;
	bool log;

	if (meta_file(path, &log))
		return (fi->flags & O_ACCMODE) == O_RDONLY ? 0 : -EACCES;
	if (find_pending(m, path))
		return 0;
	if (fc_famfs_getattr(m->fs, path, &st) < 0 || st.is_dir)
		return -ENOENT;
	if ((fi->flags & O_ACCMODE) != O_RDONLY && !fc_famfs_is_master(m->fs))
		return -EROFS;
	fi->direct_io = 0;
	fi->keep_cache = 0;
	return 0;
}

static int op_read(const char *path, char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	struct mnt *m = M();
	struct pending *p;
	bool log;
	size_t len;

	if (meta_file(path, &log)) {
		const char *b = fc_famfs_meta(m->fs, log, &len);

		if ((size_t)off >= len)
			return 0;
		if (size > len - (size_t)off)
			size = len - (size_t)off;
		memcpy(buf, b + off, size);
		return (int)size;
	}
	if ((p = find_pending(m, path))) {
		if ((size_t)off >= p->len)
			return 0;
		if (size > p->len - (size_t)off)
			size = p->len - (size_t)off;
		memcpy(buf, p->data + off, size);
		return (int)size;
	}
	return (int)fc_famfs_pread(m->fs, path, buf, size, (uint64_t)off);
}

static int op_write(const char *path, const char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct mnt *m = M();
	struct fc_famfs_stat st;
	struct pending *p = find_pending(m, path);

	if (p) {
		if ((size_t)off + size > p->cap) {
			size_t cap = p->cap ? p->cap : MiB;
			char *n;

			while (cap < (size_t)off + size)
				cap *= 2;
			n = realloc(p->data, cap);
			if (!n)
				return -ENOMEM;
			memset(n + p->cap, 0, cap - p->cap);
			p->data = n;
			p->cap = cap;
		}
		memcpy(p->data + off, buf, size);
		if ((size_t)off + size > p->len)
			p->len = (size_t)off + size;
		return (int)size;
	}
	if (!fc_famfs_is_master(m->fs))
		return -EROFS;
	if (fc_famfs_getattr(m->fs, path, &st) < 0)
		return -ENOENT;
	if ((uint64_t)off + size > st.size)
		return -EFBIG; /* famfs files keep the size they were created with */
	return (int)fc_famfs_pwrite(m->fs, path, buf, size, (uint64_t)off);
}

static int op_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	struct mnt *m = M();
	struct fc_famfs_stat st;
	struct pending *p;

	if (!fc_famfs_is_master(m->fs))
		return -EROFS;
	if (strlen(path) >= sizeof(p->path) || strlen(path) > 80)
		return -ENAMETOOLONG;
	if (fc_famfs_getattr(m->fs, path, &st) == 0 || find_pending(m, path))
		return -EEXIST;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	snprintf(p->path, sizeof(p->path), "%s", path);
	p->mode = mode & 07777;
	p->next = m->pending;
	m->pending = p;
	return 0;
}

/* A created file's last close: allocate its final size, write, log it. */
static int op_release(const char *path, struct fuse_file_info *fi)
{
	struct mnt *m = M();
	struct pending **pp = &m->pending, *p;
	struct fc_famfs_file_opts o = { .chunk = m->chunk, .strips = m->strips };
	int rc = 0;

	while (*pp && strcmp((*pp)->path, path))
		pp = &(*pp)->next;
	p = *pp;
	if (!p)
		return 0;
	*pp = p->next;
	o.mode = p->mode;
	o.uid = fuse_get_context()->uid;
	o.gid = fuse_get_context()->gid;
	rc = fc_famfs_creat(m->fs, path, p->len, &o); /* an empty file stays empty */
	if (rc == 0 && p->len && fc_famfs_pwrite(m->fs, path, p->data, p->len, 0) != (ssize_t)p->len)
		rc = -EIO;
	free(p->data);
	free(p);
	return rc;
}

static int op_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	struct pending *p = find_pending(M(), path);
	struct fc_famfs_stat st;

	if (p && (size_t)size <= p->len) {
		p->len = (size_t)size;
		return 0;
	}
	/* famfs files cannot change size; allow the no-op O_TRUNC of a new file */
	if (!p && fc_famfs_getattr(M()->fs, path, &st) == 0 && (uint64_t)size == st.size)
		return 0;
	return -EPERM;
}

static int op_mkdir(const char *path, mode_t mode)
{
	struct mnt *m = M();

	if (!fc_famfs_is_master(m->fs))
		return -EROFS;
	return fc_famfs_mkdir(m->fs, path, mode & 07777, fuse_get_context()->uid,
			      fuse_get_context()->gid);
}

static int op_statfs(const char *path, struct statvfs *s)
{
	uint64_t total, used;

	fc_famfs_space(M()->fs, &total, &used);
	memset(s, 0, sizeof(*s));
	s->f_bsize = s->f_frsize = 2 * MiB;
	s->f_blocks = total / (2 * MiB);
	s->f_bfree = s->f_bavail = (total - used) / (2 * MiB);
	s->f_namemax = 79;
	return 0;
}

static int op_unsupported(const char *path)
{
	return -EPERM; /* famfs logs only add: no unlink, rmdir or rename */
}

static int op_rename(const char *a, const char *b, unsigned int flags)
{
	return -EPERM;
}

static int op_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	return 0; /* famfs keeps no times; cp -p and touch must not fail */
}

static int op_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return -EPERM;
}

/* FC_MAP_XATTR: the file's layout, so the preload library (famfsctl run)
 * maps it directly without replaying the log. */
static int op_getxattr(const char *path, const char *name, char *value, size_t size)
{
	struct mnt *m = M();
	struct fc_famfs_stat st;
	json_object *j;
	size_t len;
	int rc;

	if (strcmp(name, FC_MAP_XATTR) || find_pending(m, path) ||
	    fc_famfs_getattr(m->fs, path, &st) < 0 || st.is_dir)
		return -ENODATA;
	j = fc_famfs_map_to_json(m->fs, path, 0);
	if (!j)
		return -ENODATA;
	len = strlen(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
	rc = size == 0 ? (int)len : len > size ? -ERANGE : (int)len;
	if (size && len <= size)
		memcpy(value, json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN), len);
	json_object_put(j);
	return rc;
}

static const struct fuse_operations ops = {
	.getxattr = op_getxattr,
	.getattr = op_getattr,
	.readdir = op_readdir,
	.open = op_open,
	.read = op_read,
	.write = op_write,
	.create = op_create,
	.release = op_release,
	.truncate = op_truncate,
	.mkdir = op_mkdir,
	.statfs = op_statfs,
	.unlink = op_unsupported,
	.rmdir = op_unsupported,
	.rename = op_rename,
	.utimens = op_utimens,
	.chmod = op_chmod,
};

static const char mount_help[] =
	"usage: famfsctl mount [--mode auto|portable|famfs] [--refresh MS] [-f] SET MOUNTPOINT\n"
	"       (SET: an interleave set's name, or member paths PRIMARY,MEMBER,...)\n"
	"       famfsctl umount MOUNTPOINT\n\n"
	"Mount the famfs over interleave set SET (famfsctl interleave). portable is\n"
	"famfsctl's own mount, served through libfuse3: the tree from the log, file\n"
	"bytes straight from the members, .meta/.superblock and .meta/.log; the\n"
	"master (this host's system uuid is the file system's) may create files and\n"
	"directories through it, every other host mounts read-only and replays the\n"
	"log on demand and every --refresh MS (default 1000), as the master does\n"
	"for files famfsctl cp adds beside the mount. famfs hands the mount to\n"
	"famfs's own tools (famfs mount DEVICE MOUNTPOINT): it needs one member, a\n"
	"version 48 file system, famfs's kernel support and the famfs program;\n"
	"otherwise it says what is missing. auto (the default) hands over when all\n"
	"of that is there and mounts portable otherwise, saying which and why.\n"
	"The old names fuse (portable) and kernel (famfs) still work, with a notice.\n"
	"The portable server runs in the background unless -f.\n\n"
	"      --mode MODE      auto, portable or famfs\n"
	"      --refresh MS     clients: replay the log at least this often\n"
	"  -f, --foreground    serve in the foreground\n"
	"      --system-uuid U  this host's identity as master\n"
	CLI_GLOBAL_HELP
	"See famfsctl-mount(1).\n";

/* The mode's current name; the names before the rename with a notice. */
static const char *mode_name(const char *mode)
{
	static const char *const old[][2] = { { "fuse", "portable" }, { "kernel", "famfs" } };

	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++)
		if (!strcmp(mode, old[i][0])) {
			fprintf(stderr, "famfsctl mount: --mode %s is deprecated; it is now %s\n",
				old[i][0], old[i][1]);
			return old[i][1];
		}
	if (!strcmp(mode, "auto") || !strcmp(mode, "portable") || !strcmp(mode, "famfs"))
		return mode;
	return NULL;
}

/* `name` on $PATH into buf, or false. */
static bool find_program(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH");
	char *copy = strdup(path && *path ? path : "/usr/bin:/bin"), *save = NULL;
	bool found = false;

	for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		snprintf(buf, len, "%s/%s", d, name);
		found = access(buf, X_OK) == 0;
	}
	free(copy);
	return found;
}

/* The member device a single-member set's famfs lives on, into dev. */
/* The member device a single-member set's famfs lives on, into dev, and
 * whether it is in famfs mode (*famfs_mode; false for plain files). */
static int member_device(struct cli_env *env, const char *set, const char *path,
			 char *dev, size_t len, bool *famfs_mode)
{
	struct json_object *j = NULL, *mem;
	struct fc_dax_dev *d = NULL;
	const char *name = NULL;

	*famfs_mode = false;
	if (path) {
		snprintf(dev, len, "%s", path);
		/* /dev/daxX.Y: the topology knows its mode */
		if (!strncmp(path, "/dev/dax", 8))
			d = fc_dax_dev_find(env->ctx, path + 5);
		*famfs_mode = d && fc_dax_dev_get_mode(d) == FC_DAX_MODE_FAMFS;
		return 0;
	}
	j = fc_interleave_to_json(env->ctx, set, 0);
	mem = j ? json_object_array_get_idx(json_object_object_get(
		json_object_array_get_idx(j, 0), "members"), 0) : NULL;
	name = json_object_get_string(json_object_object_get(mem, "daxdev"));
	d = name ? fc_dax_dev_find(env->ctx, name) : NULL;
	if (d) {
		snprintf(dev, len, "%s", fc_dax_dev_get_path(d));
		*famfs_mode = fc_dax_dev_get_mode(d) == FC_DAX_MODE_FAMFS;
	}
	json_object_put(j);
	return d ? 0 : -ENODEV;
}

/*
 * What famfs's own mount of this file system lacks, "" when nothing: one
 * member (no kernel maps extents on another), version 48 (famfs checks it
 * exactly; 0: not known here), famfs's kernel support, the famfs program.
 */
static void famfs_missing(struct cli_env *env, unsigned int members, unsigned int version,
			  char *why, size_t len, char *famfs, size_t flen)
{
	unsigned int k = fc_famfs_kernel_support(env->ctx);
	size_t n = 0;

	why[0] = '\0';
	if (members > 1)
		n += (size_t)snprintf(why + n, len - n, "%sthe set has %u members and famfs mounts one",
				      n ? "; " : "", members);
	if (n < len && version && version != 48)
		n += (size_t)snprintf(why + n, len - n, "%sthe file system is version %u and famfs mounts version 48",
				      n ? "; " : "", version);
	if (n < len && !k)
		n += (size_t)snprintf(why + n, len - n,
				      "%sthis kernel has no famfs (no famfs in /proc/filesystems, no famfs_fuse_iomap_begin in /proc/kallsyms)",
				      n ? "; " : "");
	if (n < len && !find_program("famfs", famfs, flen))
		snprintf(why + n, len - n, "%sfamfs's tools are not installed (no famfs program on PATH)",
			 n ? "; " : "");
}

/* Run `famfs mount DEV MOUNTPOINT`; its exit status is ours. */
static int hand_over(const char *famfs, const char *set, const char *dev, const char *mountpoint)
{
	int status;
	pid_t pid;

	fprintf(stderr, "famfsctl mount: handing %s to famfs: famfs mount %s %s\n", set, dev,
		mountpoint);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execl(famfs, "famfs", "mount", dev, mountpoint, (char *)NULL);
		fprintf(stderr, "famfsctl mount: cannot run %s: %m\n", famfs);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "famfsctl mount: cannot run %s: %m\n", famfs);
		return FC_EXIT_FAILED;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "famfsctl mount: famfs mount %s %s failed (exit %d)\n", dev,
			mountpoint, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return FC_EXIT_FAILED;
	}
	return FC_EXIT_OK;
}

enum { OPT_MODE = 0x6000, OPT_REFRESH, OPT_SYS };

int cli_mount_set(struct cli_env *env, const char *set, const char *mountpoint,
		 const char *mode, unsigned int refresh_ms, bool foreground, const char *sys)
{
	struct mnt m = { .ctx = env->ctx, .refresh_ms = refresh_ms ? refresh_ms : 1000 };
	uuid_t me, fs_master;
	char fsname[128];
	char *argv[16];
	int argc = 0, rc;
	unsigned int members = 0;

	struct util_members paths = { 0 };
	unsigned int npaths = 0;

	mode = mode_name(mode);
	if (!mode)
		return cli_usage_error("mount", "--mode: not auto, portable or famfs");
	if (util_is_set_name(set)) {
		if (fc_interleave_get(env->ctx, set, &m.chunk, &m.strips, &members) < 0)
			return FC_EXIT_FAILED;
	} else {
		/* members by path: PRIMARY,MEMBER,... */
		char *spec[] = { (char *)set };

		if (util_members_split(1, spec, &paths) < 0)
			return cli_usage_error("mount", "'%s' is neither a set name nor member paths", set);
		npaths = members = paths.n;
		m.chunk = 2 * MiB;
		m.strips = npaths < 16 ? npaths : 16;
	}
	snprintf(m.set, sizeof(m.set), "%s", set);
	/* a member in famfs mode has no mmap (fsdev_dax): famfsctl cannot read
	 * it, only famfs's own mount can, and famfs checks it itself */
	if (strcmp(mode, "portable") && members == 1) {
		char why[512], famfs[4096], dev[4096];
		bool famfs_mode;

		if (member_device(env, set, npaths ? paths.paths[0] : NULL, dev, sizeof(dev),
				  &famfs_mode) == 0 && famfs_mode) {
			famfs_missing(env, members, 0, why, sizeof(why), famfs, sizeof(famfs));
			util_members_free(&paths);
			if (!why[0])
				return hand_over(famfs, set, dev, mountpoint);
			fprintf(stderr, "famfsctl mount: --mode %s: %s; and %s is in famfs mode, which famfsctl's portable mount cannot map (devdax mode can)\n",
				mode, why, dev);
			return FC_EXIT_FAILED;
		}
	}
	/* the master mounts read-write (and its open restores a log header a
	 * crash cut, before famfs or anyone appends), anyone else read-only */
	if (fc_system_uuid_get(env->ctx, sys, me) < 0)
		goto fail;
	rc = fc_famfs_open_spec(env->ctx, set, NULL, &m.fs);
	if (rc < 0)
		goto fail;
	fc_famfs_system_uuid(m.fs, fs_master);
	if (!uuid_compare(me, fs_master)) {
		fc_famfs_close(m.fs);
		rc = fc_famfs_open_spec(env->ctx, set, me, &m.fs);
		if (rc < 0)
			goto fail;
	}
	if (strcmp(mode, "portable")) {
		char why[512], famfs[4096], dev[4096];

		bool famfs_mode;

		famfs_missing(env, members, fc_famfs_version(m.fs), why, sizeof(why), famfs,
			      sizeof(famfs));
		if (!why[0] && member_device(env, set, npaths ? paths.paths[0] : NULL, dev, sizeof(dev),
					     &famfs_mode) < 0)
			snprintf(why, sizeof(why), "set %s's member is not on this host", set);
		if (!why[0]) {
			fc_famfs_close(m.fs);
			rc = hand_over(famfs, set, dev, mountpoint);
			util_members_free(&paths);
			return rc;
		}
		if (!strcmp(mode, "famfs")) {
			fprintf(stderr, "famfsctl mount: --mode famfs: %s; --mode portable mounts it with famfsctl's own server\n",
				why);
			fc_famfs_close(m.fs);
			goto fail;
		}
		fprintf(stderr, "famfsctl mount: auto chose portable, famfsctl's own mount (%s)\n", why);
	}
	m.last_refresh = now();
	m.since = time(NULL);
	snprintf(fsname, sizeof(fsname), "fsname=famfsctl:%s,subtype=famfs%s",
		 npaths ? paths.paths[0] : set, fc_famfs_is_master(m.fs) ? "" : ",ro");
	argv[argc++] = "famfsctl";
	argv[argc++] = "-s"; /* one thread: the log and the maps are not shared state */
	if (foreground)
		argv[argc++] = "-f";
	argv[argc++] = "-o";
	argv[argc++] = fsname;
	if (getuid() == 0) {
		argv[argc++] = "-o";
		argv[argc++] = "allow_other,default_permissions";
	}
	argv[argc++] = (char *)mountpoint;
	argv[argc] = NULL;
	rc = fuse_main(argc, argv, &ops, &m);
	fc_famfs_close(m.fs);
	util_members_free(&paths);
	return rc == 0 ? FC_EXIT_OK : FC_EXIT_FAILED;
fail:
	util_members_free(&paths);
	return FC_EXIT_FAILED;
}

/* Mount a policy's set in a child (the FUSE server goes to the
 * background; the child returns once it serves). */
int cli_mount_child(struct cli_env *env, const char *name, const char *mp, struct fc_policy *p,
		   const char *sys, int lock_fd)
{
	int status;
	pid_t pid;

	util_mkdir_p(mp, 0755);
	fflush(NULL);
	pid = fork();
	if (pid == 0 && lock_fd >= 0)
		close(lock_fd); /* the server must not hold the caller's lock */
	if (pid == 0)
		_exit(cli_mount_set(env, name, mp, fc_policy_get_mount_mode(p),
				   fc_policy_get_refresh_ms(p), false, sys));
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "famfsctl: %s: cannot mount at %s\n", name, mp);
		return -1;
	}
	return 0;
}

int cmd_mount(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "refresh", required_argument, NULL, OPT_REFRESH },
		{ "foreground", no_argument, NULL, 'f' },
		{ "system-uuid", required_argument, NULL, OPT_SYS },
		{ NULL, 0, NULL, 0 },
	};
	const char *mode = "auto", *sys = NULL;
	unsigned int refresh_ms = 0;
	bool fg = false;
	char *end;
	int opt;

	CLI_CMD(cmd, "mount", mount_help, "f", opts);
	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0) {
		switch (opt) {
		case OPT_MODE: mode = optarg; break;
		case OPT_REFRESH:
			refresh_ms = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || !refresh_ms)
				return cli_usage_error("mount", "--refresh: '%s' is not milliseconds", optarg);
			break;
		case 'f': fg = true; break;
		case OPT_SYS: sys = optarg; break;
		}
	}
	if (opt == CLI_EXIT)
		return env->exit;
	if (argc - optind != 2)
		return cli_usage_error("mount", "give SET and MOUNTPOINT");
	if (cli_env_setup(env) < 0)
		return FC_EXIT_FAILED;
	return cli_mount_set(env, argv[optind], argv[optind + 1], mode, refresh_ms, fg, sys);
}

/*
 * Unmount famfsctl's mount at mountpoint, and nothing else: the top mount
 * there must be a famfsctl one (source famfsctl:SET); fusermount3 gets its
 * absolute path after "--", never an option.
 */
int cli_umount(const char *mountpoint)
{
	char abs[PATH_MAX], dir[PATH_MAX], source[PATH_MAX] = "";
	const char *slash = strrchr(mountpoint, '/');
	int status;
	pid_t pid;

	/* absolute, links resolved; a dead FUSE mount cannot be resolved
	 * itself (ENOTCONN): its parent then, and its name */
	if (!realpath(mountpoint, abs)) {
		int e = errno;

		snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - mountpoint) : 0,
			 mountpoint);
		if (e != ENOTCONN || !realpath(!slash ? "." : dir[0] ? dir : "/", dir) ||
		    snprintf(abs, sizeof(abs), "%s/%s", strcmp(dir, "/") ? dir : "",
			     slash ? slash + 1 : mountpoint) >= (int)sizeof(abs)) {
			fprintf(stderr, "famfsctl umount: %s: %s\n", mountpoint,
				strerror(e != ENOTCONN ? e : errno ? errno : ENAMETOOLONG));
			return -1;
		}
	}
	if (!util_mount_source(abs, source, sizeof(source)) || strncmp(source, "famfsctl:", 9)) {
		fprintf(stderr, "famfsctl umount: %s: not a famfsctl mount (%s); left alone\n",
			mountpoint, source[0] ? source : "nothing is mounted there");
		return -1;
	}
	if (umount2(abs, 0) == 0)
		return 0;
	pid = fork();
	if (pid == 0) {
		execlp("fusermount3", "fusermount3", "-u", "-q", "--", abs, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "famfsctl umount: %s: cannot unmount\n", mountpoint);
		return -1;
	}
	return 0;
}

int cmd_umount(int argc, char **argv, struct cli_env *env)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(mount_help, stdout);
		return FC_EXIT_OK;
	}
	if (argc != 2)
		return cli_usage_error("umount", "give MOUNTPOINT");
	return cli_umount(argv[1]) < 0 ? FC_EXIT_FAILED : FC_EXIT_OK;
}
