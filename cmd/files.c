// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl mkdir | creat | cp | cat | ls: files in a famfs over an interleave
 * set, named SET:/path, without any mount (lib/famfs-files.c). Only the
 * master (the system uuid the file system was formatted with) adds files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "cmd/builtin.h"
#include "util/members.h"

#define MiB (1ULL << 20)
#define COPY_BUF (4 * MiB)
#define MAX_THREADS 64

/* "SET:/path" into its parts (set in set[], path after the colon). SET is
 * an interleave set's name, or its members' paths, comma-separated,
 * primary first (dax devices or files: "/dev/dax0.0,/dev/dax1.0:/f"). */
int cli_split_path(const char *cmd, const char *arg, char set[SET_MAX], const char **path)
{
	const char *colon = strchr(arg, ':');

	if (!colon || colon == arg || (size_t)(colon - arg) >= SET_MAX) {
		cli_usage_error(cmd, "'%s': expected SET:/path (an interleave set's name, a colon, a path)",
			       arg);
		return -1;
	}
	memcpy(set, arg, (size_t)(colon - arg));
	set[colon - arg] = '\0';
	*path = colon + 1;
	return 0;
}

/* Open the set's file system; as master to write. */
int cli_open_famfs(struct cli_env *env, const char *set, bool write, const char *sys,
		   struct fc_famfs **fs)
{
	uuid_t master;

	if (write && fc_system_uuid_get(env->ctx, sys, master) < 0)
		return -1;
	/* a set's members are found through the host platform; paths need none */
	if (util_is_set_name(set) && cli_env_setup(env) < 0)
		return -1;
	if (fc_famfs_open_spec(env->ctx, set, write ? master : NULL, fs) < 0) {
		fprintf(stderr, "famfsctl: cannot open the file system on %s\n", set);
		return -1;
	}
	return 0;
}

/* Options every writing command takes; returns the next argv index or -1. */
struct wopts {
	const char *sys;
	uint64_t size, chunk;
	unsigned int strips, threads;
	unsigned int mode;
	bool recursive, parents, longfmt;
};

static const char files_help[] =
	"usage: famfsctl mkdir [-p] [--mode 0755] SET:/dir\n"
	"       famfsctl creat -s SIZE [--chunk C] [--strips N] [--mode 0644] SET:/file\n"
	"       famfsctl cp [-r] [-j THREADS] SRC... SET:/dest\n"
	"       famfsctl cat SET:/file\n"
	"       famfsctl ls [-l] SET:/path\n\n"
	"Files in the famfs over interleave set SET (famfsctl interleave), or over\n"
	"members given by path (PRIMARY,MEMBER,...:/path), without a mount. mkdir, creat and cp add to the log and need this host to be the\n"
	"file system's master (--system-uuid, $FAMFSCTL_SYSTEM_UUID or\n"
	"/opt/famfs/system_uuid, as famfs). Paths are below the root, at most 79 bytes.\n\n"
	"creat allocates SIZE: files of at most one chunk get one extent on the\n"
	"least-used member; larger ones are striped over --strips members (default:\n"
	"the set's), chunk by chunk (default: the set's chunk).\n"
	"cp copies local files (directories with -r) into DEST (into it when it is\n"
	"a directory), each file striped as creat does, with THREADS threads\n"
	"(default: the set's policy's copy_threads, else 1), showing progress on a\n"
	"terminal. cat writes a file's bytes to standard output. ls lists a\n"
	"directory, one name a line, directories with a trailing '/' (a file: its\n"
	"name); -l adds type and mode, owner, group and size.\n\n"
	"  -s, --size SIZE       file size\n"
	"      --chunk SIZE      stripe unit (power-of-two multiple of 2M)\n"
	"      --strips N        members a file is striped over (1..16)\n"
	"      --mode MODE       octal permissions\n"
	"  -p, --parents         mkdir: make missing parents, no error if it exists\n"
	"  -r, --recursive       cp: copy directories\n"
	"  -j, --threads N       cp: copy threads\n"
	"  -l, --long            ls: type, mode, uid, gid, size before each name\n"
	"      --system-uuid U   this host's identity as master\n"
	CLI_GLOBAL_HELP
	"See famfsctl-files(1).\n";

enum { OPT_CHUNK = 0x5000, OPT_STRIPS, OPT_MODE, OPT_SYS };

static int parse(const char *cmd, int argc, char **argv, struct cli_env *env, struct wopts *w)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "chunk", required_argument, NULL, OPT_CHUNK },
		{ "strips", required_argument, NULL, OPT_STRIPS },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "parents", no_argument, NULL, 'p' },
		{ "recursive", no_argument, NULL, 'r' },
		{ "threads", required_argument, NULL, 'j' },
		{ "long", no_argument, NULL, 'l' },
		{ "system-uuid", required_argument, NULL, OPT_SYS },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int opt;

	const struct cli_cmd table = { cmd, files_help, "s:prj:l", opts };

	while ((opt = cli_getopt(env, &table, argc, argv)) > 0) {
		switch (opt) {
		case 's':
			if (cli_opt_size(cmd, "--size", optarg, &w->size) < 0)
				return -2;
			break;
		case OPT_CHUNK:
			if (cli_opt_size(cmd, "--chunk", optarg, &w->chunk) < 0)
				return -2;
			break;
		case OPT_STRIPS:
			w->strips = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || !w->strips || w->strips > FC_MAX_STRIPS) {
				cli_usage_error(cmd, "--strips: '%s' is not 1..%d", optarg, FC_MAX_STRIPS);
				return -2;
			}
			break;
		case OPT_MODE:
			w->mode = (unsigned int)strtoul(optarg, &end, 8);
			if (*end || w->mode > 07777) {
				cli_usage_error(cmd, "--mode: '%s' is not octal permissions", optarg);
				return -2;
			}
			break;
		case 'p':
			w->parents = true;
			break;
		case 'r':
			w->recursive = true;
			break;
		case 'l':
			w->longfmt = true;
			break;
		case 'j':
			w->threads = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || !w->threads || w->threads > MAX_THREADS) {
				cli_usage_error(cmd, "--threads: '%s' is not 1..%d", optarg, MAX_THREADS);
				return -2;
			}
			break;
		case OPT_SYS:
			w->sys = optarg;
			break;
		}
	}
	if (opt == CLI_EXIT)
		return env->exit == FC_EXIT_OK ? -1 : -2;
	return optind;
}

#define PARSE(cmd)                                                    \
	int first = parse(cmd, argc, argv, env, &w);                  \
	if (first == -1)                                              \
		return FC_EXIT_OK;                                    \
	if (first < 0)                                                \
		return FC_EXIT_USAGE

/* mkdir, with -p: every missing parent, and no error when it exists. */
static int make_dir(struct fc_famfs *fs, const char *path, unsigned int mode, bool parents)
{
	char buf[128];
	uint64_t size;
	bool dir;

	if (!parents)
		return fc_famfs_mkdir(fs, path, mode, getuid(), getgid());
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *s = buf + 1; ; s++) {
		bool last = !*s;

		if (*s && *s != '/')
			continue;
		*s = '\0';
		if (fc_famfs_stat(fs, buf, &size, &dir) < 0) {
			int rc = fc_famfs_mkdir(fs, buf, mode, getuid(), getgid());

			if (rc < 0)
				return rc;
		} else if (!dir) {
			fprintf(stderr, "famfsctl mkdir: '%s' is a file\n", buf);
			return -ENOTDIR;
		}
		if (last)
			break;
		*s = '/';
	}
	return 0;
}

int cmd_mkdir(int argc, char **argv, struct cli_env *env)
{
	struct wopts w = { .mode = 0755 };
	struct fc_famfs *fs;
	char set[SET_MAX];
	const char *path;
	int rc;
	PARSE("mkdir");

	if (argc - first != 1)
		return cli_usage_error("mkdir", "give one SET:/dir");
	if (cli_split_path("mkdir", argv[first], set, &path) < 0)
		return FC_EXIT_USAGE;
	if (cli_open_famfs(env, set, true, w.sys, &fs) < 0)
		return FC_EXIT_FAILED;
	rc = make_dir(fs, path, w.mode, w.parents);
	fc_famfs_close(fs);
	return rc < 0 ? FC_EXIT_FAILED : FC_EXIT_OK;
}

/* The file options: the command line's, else the set's. */
static void file_opts(struct cli_env *env, const char *set, const struct wopts *w,
		      struct fc_famfs_file_opts *o, unsigned int mode)
{
	uint64_t chunk = 2 * MiB;
	unsigned int strips = 1;

	if (util_is_set_name(set)) {
		fc_interleave_get(env->ctx, set, &chunk, &strips, NULL);
	} else { /* members by path: stripe over all of them, up to 16 */
		strips = 1;
		for (const char *c = set; *c; c++)
			strips += *c == ',';
		if (strips > FC_MAX_STRIPS)
			strips = FC_MAX_STRIPS;
	}
	o->chunk = w->chunk ? w->chunk : chunk;
	o->strips = w->strips ? w->strips : strips;
	o->mode = mode;
	o->uid = getuid();
	o->gid = getgid();
}

int cmd_creat(int argc, char **argv, struct cli_env *env)
{
	struct wopts w = { .mode = 0644 };
	struct fc_famfs_file_opts o;
	struct fc_famfs *fs;
	char set[SET_MAX];
	const char *path;
	int rc;
	PARSE("creat");

	if (argc - first != 1)
		return cli_usage_error("creat", "give one SET:/file");
	if (!w.size)
		return cli_usage_error("creat", "--size SIZE is required");
	if (cli_split_path("creat", argv[first], set, &path) < 0)
		return FC_EXIT_USAGE;
	if (cli_open_famfs(env, set, true, w.sys, &fs) < 0)
		return FC_EXIT_FAILED;
	file_opts(env, set, &w, &o, w.mode);
	rc = fc_famfs_creat(fs, path, w.size, &o);
	fc_famfs_close(fs);
	return rc < 0 ? FC_EXIT_FAILED : FC_EXIT_OK;
}

int cmd_cat(int argc, char **argv, struct cli_env *env)
{
	struct wopts w = { 0 };
	struct fc_famfs *fs;
	char set[SET_MAX], *buf;
	const char *path;
	uint64_t off = 0, size;
	bool dir;
	int rc = FC_EXIT_FAILED;
	PARSE("cat");

	if (argc - first != 1)
		return cli_usage_error("cat", "give one SET:/file");
	if (cli_split_path("cat", argv[first], set, &path) < 0)
		return FC_EXIT_USAGE;
	if (cli_open_famfs(env, set, false, NULL, &fs) < 0)
		return FC_EXIT_FAILED;
	if (fc_famfs_stat(fs, path, &size, &dir) < 0 || dir) {
		fprintf(stderr, "famfsctl cat: %s: no such file\n", argv[first]);
		goto out;
	}
	buf = malloc(COPY_BUF);
	while (buf && off < size) {
		ssize_t n = fc_famfs_pread(fs, path, buf, COPY_BUF, off);

		if (n <= 0 || fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
		off += (uint64_t)n;
	}
	free(buf);
	if (off == size && fflush(stdout) == 0)
		rc = FC_EXIT_OK;
out:
	fc_famfs_close(fs);
	return rc;
}

/* ---- ls ------------------------------------------------------------------- */

static void ls_entry(bool longfmt, const char *name, const struct fc_famfs_stat *st)
{
	if (longfmt)
		printf("%c %04o %u %u %llu ", st->is_dir ? 'd' : '-', st->mode & 07777,
		       st->uid, st->gid, (unsigned long long)st->size);
	printf("%s%s\n", name, st->is_dir ? "/" : "");
}

static int ls_one(void *arg, const char *name, const struct fc_famfs_stat *st)
{
	ls_entry(*(bool *)arg, name, st);
	return 0;
}

int cmd_ls(int argc, char **argv, struct cli_env *env)
{
	struct wopts w = { 0 };
	struct fc_famfs_stat st;
	struct fc_famfs *fs;
	char set[SET_MAX];
	const char *path;
	int rc = FC_EXIT_FAILED;
	PARSE("ls");

	if (argc - first != 1)
		return cli_usage_error("ls", "give one SET:/path");
	if (cli_split_path("ls", argv[first], set, &path) < 0)
		return FC_EXIT_USAGE;
	if (!*path)
		path = "/";
	if (cli_open_famfs(env, set, false, NULL, &fs) < 0)
		return FC_EXIT_FAILED;
	if (fc_famfs_getattr(fs, path, &st) < 0) {
		fprintf(stderr, "famfsctl ls: %s: no such file or directory\n", argv[first]);
		goto out;
	}
	if (!st.is_dir) {
		const char *base = strrchr(path, '/');

		ls_entry(w.longfmt, base ? base + 1 : path, &st);
		rc = FC_EXIT_OK;
	} else if (fc_famfs_readdir(fs, path, ls_one, &w.longfmt) == 0) {
		rc = FC_EXIT_OK;
	}
out:
	fc_famfs_close(fs);
	return rc;
}

/* ---- cp ------------------------------------------------------------------- */

struct copy {
	struct fc_famfs *fs;
	const char *dst;
	int fd;
	uint64_t size;
	uint64_t next;       /* next range to take */
	uint64_t done;       /* bytes copied: progress */
	int error;
	pthread_mutex_t lock;
};

/* Workers take 32 MiB ranges in turn: a member's bytes are written by
 * whichever thread reaches them, all members busy at once. */
#define RANGE (32 * MiB)

static void *copy_worker(void *arg)
{
	struct copy *c = arg;
	char *buf = malloc(COPY_BUF);

	while (buf) {
		uint64_t start, end;

		pthread_mutex_lock(&c->lock);
		start = c->next;
		c->next += RANGE;
		pthread_mutex_unlock(&c->lock);
		if (start >= c->size || __atomic_load_n(&c->error, __ATOMIC_RELAXED))
			break;
		end = start + RANGE < c->size ? start + RANGE : c->size;
		for (uint64_t off = start; off < end;) {
			size_t want = end - off < COPY_BUF ? end - off : COPY_BUF;
			ssize_t r = pread(c->fd, buf, want, (off_t)off);

			if (r <= 0 || fc_famfs_pwrite(c->fs, c->dst, buf, (size_t)r, off) != r) {
				__atomic_store_n(&c->error, r < 0 ? errno : EIO, __ATOMIC_RELAXED);
				break;
			}
			off += (uint64_t)r;
			__atomic_fetch_add(&c->done, (uint64_t)r, __ATOMIC_RELAXED);
		}
	}
	free(buf);
	return NULL;
}

struct cp_run {
	struct cli_env *env;
	struct fc_famfs *fs;
	const char *set;
	struct wopts *w;
	uint64_t total, copied;
	double start;
	bool progress;
	unsigned int files;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void show_progress(struct cp_run *run, uint64_t extra, bool final)
{
	double t = now_s() - run->start;
	uint64_t done = run->copied + extra;

	if (!run->progress)
		return;
	fprintf(stderr, "\rfamfsctl cp: %llu of %llu MiB, %u file%s, %.0f MiB/s%s",
		(unsigned long long)(done / MiB), (unsigned long long)(run->total / MiB),
		run->files, run->files == 1 ? "" : "s", t > 0 ? done / MiB / t : 0.0,
		final ? "\n" : "   ");
}

static int copy_file(struct cp_run *run, const char *src, const char *dst, const struct stat *st)
{
	struct fc_famfs_file_opts o;
	struct copy c = { .fs = run->fs, .dst = dst, .size = (uint64_t)st->st_size };
	pthread_t tid[MAX_THREADS];
	unsigned int n = run->w->threads, started = 0;
	int rc;

	file_opts(run->env, run->set, run->w, &o, st->st_mode & 07777);
	/* an empty source stays empty (size 0; it still holds one unit) */
	rc = fc_famfs_creat(run->fs, dst, c.size, &o);
	if (rc < 0)
		return rc;
	run->files++;
	if (!c.size)
		return 0;
	c.fd = open(src, O_RDONLY | O_CLOEXEC);
	if (c.fd < 0) {
		fprintf(stderr, "famfsctl cp: %s: %m\n", src);
		return -errno;
	}
	pthread_mutex_init(&c.lock, NULL);
	if (n > (c.size + RANGE - 1) / RANGE)
		n = (unsigned int)((c.size + RANGE - 1) / RANGE);
	for (unsigned int i = 0; i < n; i++)
		if (pthread_create(&tid[i], NULL, copy_worker, &c) == 0)
			started++;
	if (!started)
		copy_worker(&c);
	while (started && __atomic_load_n(&c.done, __ATOMIC_RELAXED) < c.size &&
	       !__atomic_load_n(&c.error, __ATOMIC_RELAXED)) {
		struct timespec ts = { 0, 200 * 1000 * 1000 };

		show_progress(run, __atomic_load_n(&c.done, __ATOMIC_RELAXED), false);
		nanosleep(&ts, NULL);
	}
	for (unsigned int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&c.lock);
	close(c.fd);
	run->copied += c.done;
	if (c.error || c.done != c.size) {
		fprintf(stderr, "famfsctl cp: %s -> %s: %s\n", src, dst,
			strerror(c.error ? c.error : EIO));
		return -(c.error ? c.error : EIO);
	}
	return 0;
}

static int copy_tree(struct cp_run *run, const char *src, const char *dst)
{
	struct stat st;
	char s[PATH_MAX], d[256];
	struct dirent *de;
	uint64_t size;
	bool dir;
	DIR *dh;
	int rc = 0;

	if (stat(src, &st) < 0) {
		fprintf(stderr, "famfsctl cp: %s: %m\n", src);
		return -errno;
	}
	if (S_ISREG(st.st_mode))
		return copy_file(run, src, dst, &st);
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "famfsctl cp: %s: not a file or directory, skipped\n", src);
		return 0;
	}
	if (!run->w->recursive) {
		fprintf(stderr, "famfsctl cp: %s is a directory (use -r)\n", src);
		return -EISDIR;
	}
	if (fc_famfs_stat(run->fs, dst, &size, &dir) < 0)
		rc = fc_famfs_mkdir(run->fs, dst, st.st_mode & 07777, getuid(), getgid());
	if (rc < 0)
		return rc;
	dh = opendir(src);
	if (!dh)
		return -errno;
	while (rc == 0 && (de = readdir(dh))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(s, sizeof(s), "%s/%s", src, de->d_name);
		if (snprintf(d, sizeof(d), "%s/%s", dst, de->d_name) >= (int)sizeof(d)) {
			fprintf(stderr, "famfsctl cp: %s/%s: path too long\n", dst, de->d_name);
			rc = -ENAMETOOLONG;
			break;
		}
		rc = copy_tree(run, s, d);
	}
	closedir(dh);
	return rc;
}

/* Bytes under a path, for progress. */
static uint64_t tree_bytes(const char *src)
{
	struct stat st;
	struct dirent *de;
	char s[PATH_MAX];
	uint64_t n = 0;
	DIR *dh;

	if (stat(src, &st) < 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	dh = opendir(src);
	while (dh && (de = readdir(dh))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(s, sizeof(s), "%s/%s", src, de->d_name);
		n += tree_bytes(s);
	}
	if (dh)
		closedir(dh);
	return n;
}

/* The set's policy's copy_threads, else 1. */
static unsigned int policy_threads(struct cli_env *env, const char *set)
{
	struct fc_policy *policy;
	char name[256];
	unsigned int n = 1;

	if (!util_is_set_name(set) ||
	    fc_interleave_get_policy(env->ctx, set, name, sizeof(name)) < 0 || !*name)
		return 1;
	if (fc_policy_load(env->ctx, name, 0, &policy) == 0) {
		n = fc_policy_get_copy_threads(policy);
		fc_policy_unref(policy);
	}
	return n ? n : 1;
}

int cmd_cp(int argc, char **argv, struct cli_env *env)
{
	struct wopts w = { 0 };
	struct cp_run run = { .env = env, .w = &w };
	char set[SET_MAX], d[256], *copy;
	const char *dest;
	uint64_t size;
	bool dir = false;
	int nsrc, rc = 0;
	PARSE("cp");

	nsrc = argc - first - 1;
	if (nsrc < 1)
		return cli_usage_error("cp", "give SRC... SET:/dest");
	if (cli_split_path("cp", argv[argc - 1], set, &dest) < 0)
		return FC_EXIT_USAGE;
	if (cli_open_famfs(env, set, true, w.sys, &run.fs) < 0)
		return FC_EXIT_FAILED;
	run.set = set;
	if (!w.threads)
		w.threads = policy_threads(env, set);
	if (fc_famfs_stat(run.fs, dest, &size, &dir) < 0)
		dir = false;
	if (nsrc > 1 && !dir) {
		fc_famfs_close(run.fs);
		fprintf(stderr, "famfsctl cp: %s is not a directory\n", argv[argc - 1]);
		return FC_EXIT_FAILED;
	}
	for (int i = first; i < argc - 1; i++)
		run.total += tree_bytes(argv[i]);
	run.progress = isatty(2) && run.total >= 64 * MiB;
	run.start = now_s();
	for (int i = first; i < argc - 1 && rc == 0; i++) {
		const char *dst = dest;

		if (dir) {
			copy = strdup(argv[i]);
			while (copy && strlen(copy) > 1 && copy[strlen(copy) - 1] == '/')
				copy[strlen(copy) - 1] = '\0';
			snprintf(d, sizeof(d), "%s/%s", strcmp(dest, "/") ? dest : "",
				 copy ? basename(copy) : argv[i]);
			free(copy);
			dst = d;
		}
		rc = copy_tree(&run, argv[i], dst);
	}
	show_progress(&run, 0, true);
	fc_famfs_close(run.fs);
	return rc < 0 ? FC_EXIT_FAILED : FC_EXIT_OK;
}
