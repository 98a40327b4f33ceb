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
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <json-c/json.h>
#include "cmd/builtin.h"
#include "util/cacheflush.h"
#include "util/filemap.h"
#include "util/members.h"
#include "util/populate.h"

#define MiB (1ULL << 20)
#define COPY_BUF (4 * MiB)
#define MAX_THREADS 64

#define FAMFS_PATH_MAX 80 /* famfs paths: at most 79 bytes */

/* "SET:/path" into its parts (set in set[], path after the colon, its
 * trailing slashes dropped: *slash says there were some, so the path must
 * name a directory). SET is an interleave set's name, or its members'
 * paths, comma-separated, primary first (dax devices or files:
 * "/dev/dax0.0,/dev/dax1.0:/f"). */
int cli_split_path(const char *cmd, const char *arg, char set[SET_MAX], char path[CLI_PATH_MAX],
		   bool *slash)
{
	const char *colon = strchr(arg, ':');
	size_t len;

	if (!colon || colon == arg || (size_t)(colon - arg) >= SET_MAX) {
		cli_usage_error(cmd, "'%s': expected SET:/path (an interleave set's name, a colon, a path)",
			       arg);
		return -1;
	}
	memcpy(set, arg, (size_t)(colon - arg));
	set[colon - arg] = '\0';
	len = strlen(colon + 1);
	if (len >= CLI_PATH_MAX) {
		cli_usage_error(cmd, "'%s': the path is longer than %d bytes", arg, CLI_PATH_MAX - 1);
		return -1;
	}
	memcpy(path, colon + 1, len + 1);
	*slash = false;
	while (len > 1 && path[len - 1] == '/') {
		path[--len] = '\0';
		*slash = true;
	}
	if (!strcmp(path, "/"))
		*slash = false; /* the root is a directory anyway */
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
		cli_printf(stderr, "famfsctl: cannot open the file system on %s\n", set);
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
	int progress; /* cp: 1 --progress, -1 --no-progress, 0 on a terminal */
};

static const char files_help[] =
	"usage: famfsctl mkdir [-p] [--mode 0755] SET:/dir\n"
	"       famfsctl creat -s SIZE [--chunk C] [--strips N] [--mode 0644] SET:/file\n"
	"       famfsctl cp [-r] [-j THREADS] [--[no-]progress] SRC... SET:/dest\n"
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
	"a directory), each file striped as creat does, with one pool of THREADS\n"
	"copy threads for the whole copy (default: the set's policy's\n"
	"copy_threads, else 1; at most twice the CPUs), showing progress on a\n"
	"terminal. -r skips symbolic links (famfs has none). cat writes a file's\n"
	"bytes to standard output. ls lists a directory, one name a line,\n"
	"directories with a trailing '/' (a file: its name); -l adds type and\n"
	"mode, owner, group and size.\n\n"
	"  -s, --size SIZE       file size\n"
	"      --chunk SIZE      stripe unit (power-of-two multiple of 2M)\n"
	"      --strips N        members a file is striped over (1..16)\n"
	"      --mode MODE       octal permissions\n"
	"  -p, --parents         mkdir: make missing parents, no error if it exists\n"
	"  -r, --recursive       cp: copy directories\n"
	"  -j, --threads N       cp: copy threads\n"
	"  -l, --long            ls: type, mode, uid, gid, size before each name\n"
	"      --[no-]progress   cp: show progress (default: on a terminal)\n"
	"      --system-uuid U   this host's identity as master\n"
	CLI_GLOBAL_HELP
	"See famfsctl-files(1).\n";

enum { OPT_CHUNK = 0x5000, OPT_STRIPS, OPT_MODE, OPT_SYS, OPT_PROGRESS, OPT_NO_PROGRESS };

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
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
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
		case OPT_PROGRESS:
			w->progress = 1;
			break;
		case OPT_NO_PROGRESS:
			w->progress = -1;
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

	if (!parents || strlen(path) >= sizeof(buf)) /* too long: mkdir says so */
		return fc_famfs_mkdir(fs, path, mode, getuid(), getgid());
	memcpy(buf, path, strlen(path) + 1);
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
			cli_printf(stderr, "famfsctl mkdir: '%s' is a file\n", buf);
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
	char path[CLI_PATH_MAX];
	bool slash;
	int rc;
	PARSE("mkdir");

	if (argc - first != 1)
		return cli_usage_error("mkdir", "give one SET:/dir");
	if (cli_split_path("mkdir", argv[first], set, path, &slash) < 0)
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
	char path[CLI_PATH_MAX];
	bool slash;
	int rc;
	PARSE("creat");

	if (argc - first != 1)
		return cli_usage_error("creat", "give one SET:/file");
	if (!w.size)
		return cli_usage_error("creat", "--size SIZE is required");
	if (cli_split_path("creat", argv[first], set, path, &slash) < 0)
		return FC_EXIT_USAGE;
	if (slash)
		return cli_usage_error("creat", "'%s': a file's path does not end in '/'", argv[first]);
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
	char path[CLI_PATH_MAX];
	bool slash;
	uint64_t off = 0, size;
	bool dir;
	int rc = FC_EXIT_FAILED;
	PARSE("cat");

	if (argc - first != 1)
		return cli_usage_error("cat", "give one SET:/file");
	if (cli_split_path("cat", argv[first], set, path, &slash) < 0)
		return FC_EXIT_USAGE;
	if (cli_open_famfs(env, set, false, NULL, &fs) < 0)
		return FC_EXIT_FAILED;
	if (fc_famfs_stat(fs, path, &size, &dir) < 0 || dir) {
		cli_printf(stderr, "famfsctl cat: %s: no such file\n", argv[first]);
		goto out;
	}
	if (slash) {
		cli_printf(stderr, "famfsctl cat: %s: not a directory\n", argv[first]);
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
		cli_printf(stdout, "%c %04o %u %u %llu ", st->is_dir ? 'd' : '-', st->mode & 07777,
		       st->uid, st->gid, (unsigned long long)st->size);
	cli_printf(stdout, "%s%s\n", name, st->is_dir ? "/" : "");
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
	char path[CLI_PATH_MAX];
	bool slash;
	int rc = FC_EXIT_FAILED;
	PARSE("ls");

	if (argc - first != 1)
		return cli_usage_error("ls", "give one SET:/path");
	if (cli_split_path("ls", argv[first], set, path, &slash) < 0)
		return FC_EXIT_USAGE;
	if (!*path)
		strcpy(path, "/");
	if (cli_open_famfs(env, set, false, NULL, &fs) < 0)
		return FC_EXIT_FAILED;
	if (fc_famfs_getattr(fs, path, &st) < 0) {
		cli_printf(stderr, "famfsctl ls: %s: no such file or directory\n", argv[first]);
		goto out;
	}
	if (slash && !st.is_dir) {
		cli_printf(stderr, "famfsctl ls: %s: not a directory\n", argv[first]);
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

/*
 * cp in three parts. The main thread walks the sources (never following a
 * symbolic link under -r: famfs has none, each is skipped with a message,
 * and a walk that follows none cannot loop). Then, holding the log's
 * writer lock for many entries at a time (fc_famfs_batch_begin), it
 * reserves each file's space (fc_famfs_reserve) a window ahead, and its
 * bytes become tasks -- the whole file, or ranges of large ones -- for one
 * pool of copy threads started once for the whole command, which read the
 * source straight into the members' mappings (one copy) and flush. Entries
 * are logged in the walk's order as soon as a file's bytes are all written
 * (fc_famfs_commit), directories when their turn comes: a crash or a
 * failure leaves a prefix of the copy, every file in it whole, and a
 * reserved file that was never logged leaves its space free. Progress is
 * printed from shared counters while the main thread waits on the pool's
 * condition variable with a timeout.
 */
struct cp_item {
	char *src;
	char dst[FAMFS_PATH_MAX];
	bool dir;
	uint64_t size;
	uint32_t mode;
	struct fc_famfs_pending *space; /* reserved, not logged yet */
	unsigned int pending; /* tasks not yet done (atomic) */
	bool logged;
};

struct cp_task {
	unsigned int item;
	uint64_t off, len;
};

struct cp_run {
	struct cli_env *env;
	struct fc_famfs *fs;
	struct fc_famfs_file_opts fo;
	struct wopts *w;
	struct cp_item *items;
	unsigned int nitems, cap;
	struct cp_task *tasks;
	unsigned int ntasks, published, taken, finished;
	uint64_t total, copied; /* copied: atomic */
	pthread_mutex_t lock;
	pthread_cond_t more, done;
	bool stop;             /* nothing more is published */
	unsigned int cut;      /* the first item that failed: it and those after are not logged */
	int error;             /* its errno */
	char error_src[PATH_MAX];
	bool progress;
	double start, shown;
	unsigned int files_done; /* atomic */
};

/* Tasks of at most RANGE bytes: a member's bytes are written by whichever
 * thread reaches them, every member busy at once. */
#define RANGE (32 * MiB)
#define HOLD 4096            /* log entries per hold of the writer lock */
#define WINDOW (512 * MiB)   /* bytes reserved ahead of the last logged file */
#define WINDOW_ITEMS 1024    /* entries reserved ahead */
#define PIECES 64
#define BOUNCE (256 * 1024) /* read from the source, in the cache, per copy thread */
#define MAPPED (1 * MiB)    /* tasks from this size read their source through a mapping */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A failure cuts the copy at its item: the items before it are still
 * copied and logged (whole), it and those after are not (their queued
 * tasks are dropped, their space given back).
 */
static void fail(struct cp_run *run, unsigned int item, int err)
{
	pthread_mutex_lock(&run->lock);
	if (item < run->cut) {
		__atomic_store_n(&run->cut, item, __ATOMIC_RELEASE);
		run->error = err;
		snprintf(run->error_src, sizeof(run->error_src), "%s", run->items[item].src);
	}
	pthread_cond_broadcast(&run->done);
	pthread_mutex_unlock(&run->lock);
}


/*
 * One task: the source range streamed into the file's pieces
 * (util_copy_flush: the bytes go to memory without a read of the
 * destination lines or a write-back pass after). A large range is read
 * where it is, through a mapping of the source's page cache: one copy. A
 * small one, or a source that cannot be mapped, is read into a bounce
 * buffer that stays in the cache, then streamed: the kernel's copy, then
 * ours.
 */
static int copy_task(struct cp_run *run, const struct cp_task *t, int *fd, unsigned int *fd_item,
		     uint8_t *bounce)
{
	struct cp_item *it = &run->items[t->item];
	struct util_filemap src = { 0 };
	struct iovec iov[PIECES];
	bool mapped = false;

	if (*fd_item != t->item) {
		if (*fd >= 0)
			close(*fd);
		*fd = open(it->src, O_RDONLY | O_CLOEXEC);
		*fd_item = t->item;
		if (*fd < 0)
			return -errno;
	}
	if (t->len >= MAPPED && util_filemap_open(&src, *fd, t->off, t->len) == 0)
		mapped = true;
	for (uint64_t off = t->off; off < t->off + t->len;) {
		int n = fc_famfs_pending_iov(run->fs, it->space, off, (size_t)(t->off + t->len - off),
					     iov, PIECES);

		if (n <= 0) {
			util_filemap_close(&src);
			return n < 0 ? n : -EIO;
		}
		util_populate_write(iov, n); /* a hint: a fault per page otherwise */
		for (int i = 0; mapped && i < n; i++) {
			/* -EIO: the source was truncated under the copy */
			int rc = util_filemap_copy(&src, (size_t)(off - t->off), iov[i].iov_base,
						   iov[i].iov_len, util_copy_flush);

			if (rc < 0) {
				util_filemap_close(&src);
				return rc;
			}
			off += iov[i].iov_len;
			__atomic_fetch_add(&run->copied, iov[i].iov_len, __ATOMIC_RELAXED);
		}
		for (int i = 0; !mapped && i < n; i++)
			for (size_t done = 0; done < iov[i].iov_len;) {
				size_t want = iov[i].iov_len - done < BOUNCE ? iov[i].iov_len - done : BOUNCE;
				ssize_t r = pread(*fd, bounce, want, (off_t)off);

				if (r < 0 && errno == EINTR)
					continue;
				if (r < 0)
					return -errno;
				if ((size_t)r != want)
					return -EIO; /* shorter than it was: changed while copied */
				util_copy_flush((uint8_t *)iov[i].iov_base + done, bounce, want);
				done += want;
				off += want;
				__atomic_fetch_add(&run->copied, want, __ATOMIC_RELAXED);
			}
	}
	if (mapped) {
		/* cut short under the copy within its last page: zeros, no
		 * fault; a short read says so on the other path */
		int rc = util_filemap_whole(&src, *fd, t->off);

		util_filemap_close(&src);
		return rc;
	}
	return 0;
}

static void *copy_worker(void *arg)
{
	struct cp_run *run = arg;
	unsigned int fd_item = UINT_MAX;
	uint8_t *bounce = aligned_alloc(4096, BOUNCE);
	int fd = -1;

	for (;;) {
		struct cp_task t;
		int rc = 0;

		pthread_mutex_lock(&run->lock);
		while (!run->stop && run->taken == run->published && run->taken < run->ntasks)
			pthread_cond_wait(&run->more, &run->lock);
		/* after a stop, nothing more is published: drain what was */
		if (run->taken == run->published) {
			pthread_mutex_unlock(&run->lock);
			break;
		}
		t = run->tasks[run->taken++];
		if (t.item >= run->cut)
			rc = -ECANCELED;
		pthread_mutex_unlock(&run->lock);
		if (!rc)
			rc = bounce ? copy_task(run, &t, &fd, &fd_item, bounce) : -ENOMEM;
		if (rc < 0 && rc != -ECANCELED)
			fail(run, t.item, -rc);
		if (!rc)
			__atomic_sub_fetch(&run->items[t.item].pending, 1, __ATOMIC_ACQ_REL);
		/* the main thread waits for a file's last task, or for all */
		pthread_mutex_lock(&run->lock);
		run->finished++;
		pthread_cond_broadcast(&run->done);
		pthread_mutex_unlock(&run->lock);
	}
	if (fd >= 0)
		close(fd);
	free(bounce);
	return NULL;
}

static void show_progress(struct cp_run *run, bool final)
{
	double t = now_s() - run->start;
	uint64_t done = __atomic_load_n(&run->copied, __ATOMIC_RELAXED);
	unsigned int files = __atomic_load_n(&run->files_done, __ATOMIC_RELAXED);

	if (!run->progress || (!final && t - run->shown < 0.5) ||
	    (final && run->w->progress <= 0 && !run->shown))
		return; /* a copy over before the first tick shows nothing */
	run->shown = t;
	fprintf(stderr, "\rfamfsctl cp: %llu of %llu MiB, %u file%s, %.0f MiB/s%s",
		(unsigned long long)(done / MiB), (unsigned long long)(run->total / MiB),
		files, files == 1 ? "" : "s", t > 0 ? done / MiB / t : 0.0,
		final ? "\n" : "   ");
}

static int add_item(struct cp_run *run, const char *src, const char *dst, const struct stat *st)
{
	struct cp_item *it;

	if (strlen(dst) >= FAMFS_PATH_MAX) {
		cli_printf(stderr, "famfsctl cp: %s: its famfs path %s is longer than %d bytes\n",
			src, dst, FAMFS_PATH_MAX - 1);
		return -ENAMETOOLONG;
	}
	if (run->nitems == run->cap) {
		unsigned int cap = run->cap ? 2 * run->cap : 256;
		struct cp_item *n = realloc(run->items, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		run->items = n;
		run->cap = cap;
	}
	it = &run->items[run->nitems];
	memset(it, 0, sizeof(*it));
	it->src = strdup(src);
	if (!it->src)
		return -ENOMEM;
	snprintf(it->dst, sizeof(it->dst), "%s", dst);
	it->dir = S_ISDIR(st->st_mode);
	it->size = it->dir ? 0 : (uint64_t)st->st_size;
	it->mode = st->st_mode & 07777;
	run->nitems++;
	if (!it->dir) {
		run->total += it->size;
		run->ntasks += it->size ? (unsigned int)((it->size + RANGE - 1) / RANGE) : 0;
	}
	return 0;
}

/* A directory on the walk's path: a loop if seen again (bind mounts). */
struct walk_dir {
	const struct walk_dir *up;
	dev_t dev;
	ino_t ino;
};

/* Collect what to copy: pre-order, so a directory comes before what is in it. */
static int walk(struct cp_run *run, const char *src, const char *dst, bool top,
		const struct walk_dir *up)
{
	struct walk_dir here;
	struct stat st;
	char s[PATH_MAX], d[FAMFS_PATH_MAX + 256];
	struct dirent *de;
	DIR *dh;
	int rc;

	/* cp -r copies links as links (-P): famfs has none, so skip them;
	 * without -r a named link is followed, as cp does */
	if ((run->w->recursive ? lstat(src, &st) : stat(src, &st)) < 0) {
		rc = -errno;
		cli_printf(stderr, "famfsctl cp: %s: %m\n", src);
		return rc;
	}
	if (S_ISLNK(st.st_mode)) {
		cli_printf(stderr, "famfsctl cp: %s: a symbolic link; famfs has none, skipped\n", src);
		return 0;
	}
	if (S_ISREG(st.st_mode))
		return add_item(run, src, dst, &st);
	if (!S_ISDIR(st.st_mode)) {
		cli_printf(stderr, "famfsctl cp: %s: not a file or directory, skipped\n", src);
		return 0;
	}
	if (!run->w->recursive) {
		cli_printf(stderr, "famfsctl cp: %s is a directory (use -r)\n", src);
		return -EISDIR;
	}
	for (const struct walk_dir *w = up; w; w = w->up)
		if (w->dev == st.st_dev && w->ino == st.st_ino) {
			cli_printf(stderr, "famfsctl cp: %s: a loop (the directory contains itself), skipped\n",
				src);
			return 0;
		}
	here = (struct walk_dir){ up, st.st_dev, st.st_ino };
	rc = add_item(run, src, dst, &st);
	dh = rc ? NULL : opendir(src);
	if (!rc && !dh) {
		rc = -errno;
		cli_printf(stderr, "famfsctl cp: %s: %m\n", src);
	}
	while (!rc && (de = readdir(dh))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(s, sizeof(s), "%s/%s", src, de->d_name);
		snprintf(d, sizeof(d), "%s/%s", dst, de->d_name);
		rc = walk(run, s, d, false, &here);
	}
	if (dh)
		closedir(dh);
	return rc;
}

/* Reserve item i's space (inside the batch); its tasks go to the pool. */
static int reserve_item(struct cp_run *run, unsigned int i)
{
	struct cp_item *it = &run->items[i];
	struct fc_famfs_file_opts o = run->fo;
	int rc;

	if (it->dir)
		return 0;
	o.mode = it->mode;
	/* an empty source stays empty (size 0; it still holds one unit) */
	rc = fc_famfs_reserve(run->fs, it->dst, it->size, &o, &it->space);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&run->lock);
	it->pending = (unsigned int)((it->size + RANGE - 1) / RANGE);
	for (uint64_t off = 0; off < it->size; off += RANGE)
		run->tasks[run->published++] = (struct cp_task){ i, off,
			it->size - off < RANGE ? it->size - off : RANGE };
	pthread_cond_broadcast(&run->more);
	pthread_mutex_unlock(&run->lock);
	return 0;
}

/* Log item i, whose bytes are all written (inside the batch). */
static int log_item(struct cp_run *run, unsigned int i)
{
	struct cp_item *it = &run->items[i];
	struct fc_famfs_stat st;
	uint64_t id;
	int rc;

	if (it->dir) {
		rc = fc_famfs_resolve(run->fs, it->dst, &id, &st);
		if (rc == 0 && !st.is_dir) {
			cli_printf(stderr, "famfsctl cp: %s: %s exists and is a file\n", it->src, it->dst);
			return -ENOTDIR;
		}
		if (rc < 0)
			rc = fc_famfs_mkdir(run->fs, it->dst, it->mode, getuid(), getgid());
		return rc;
	}
	rc = fc_famfs_commit(run->fs, it->space, NULL);
	it->space = NULL;
	it->logged = rc == 0;
	if (rc == 0)
		__atomic_fetch_add(&run->files_done, 1, __ATOMIC_RELAXED);
	return rc;
}

/* Where the copy is cut (UINT_MAX: not), as the main thread reads it. */
static unsigned int cut_at(struct cp_run *run)
{
	return __atomic_load_n(&run->cut, __ATOMIC_ACQUIRE);
}

/* Wait (showing progress) until item i's bytes are written or the copy
 * is cut at or before it; true when they are written. */
static bool wait_item(struct cp_run *run, unsigned int i)
{
	struct cp_item *it = &run->items[i];
	bool ready;

	pthread_mutex_lock(&run->lock);
	while (i < run->cut && __atomic_load_n(&it->pending, __ATOMIC_ACQUIRE)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 500 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&run->done, &run->lock, &ts);
		pthread_mutex_unlock(&run->lock);
		show_progress(run, false);
		pthread_mutex_lock(&run->lock);
	}
	ready = i < run->cut;
	pthread_mutex_unlock(&run->lock);
	return ready;
}

/* Until no task is running: nothing writes into reserved space after. */
static void wait_idle(struct cp_run *run)
{
	pthread_mutex_lock(&run->lock);
	while (run->finished < run->taken)
		pthread_cond_wait(&run->done, &run->lock);
	pthread_mutex_unlock(&run->lock);
}

/*
 * One hold of the writer lock: items [*logged, end) reserved a window
 * ahead and logged in order. After a failure the items before it are
 * logged, and the tasks still running finish before the reservations left
 * are given back (fc_famfs_batch_end) and the lock is released.
 */
static int copy_hold(struct cp_run *run, unsigned int *logged, unsigned int end)
{
	unsigned int next = *logged;
	uint64_t window = 0;
	int rc = fc_famfs_batch_begin(run->fs);

	if (rc < 0)
		return rc;
	while (*logged < end && *logged < cut_at(run)) {
		while (next < end && next < cut_at(run) && (next == *logged ||
		       (next - *logged < WINDOW_ITEMS && window + run->items[next].size <= WINDOW))) {
			int r = reserve_item(run, next);

			if (r < 0) {
				fail(run, next, -r);
				break;
			}
			window += run->items[next++].size;
		}
		while (*logged < next && wait_item(run, *logged)) {
			int r = log_item(run, *logged);

			if (r < 0) {
				fail(run, *logged, -r);
				break;
			}
			window -= run->items[(*logged)++].size;
			show_progress(run, false);
		}
	}
	if (*logged < end)
		rc = -ECANCELED; /* cut: run->error says why */
	wait_idle(run);
	fc_famfs_batch_end(run->fs);
	return rc;
}

/* After a stop: what was copied (on standard output, one per line, for
 * scripts); nothing else was logged. */
static void report_stop(struct cp_run *run, const char *set)
{
	unsigned int whole = 0, files = 0;

	for (unsigned int i = 0; i < run->nitems; i++) {
		struct cp_item *it = &run->items[i];

		if (it->dir)
			continue;
		files++;
		if (it->logged) {
			cli_printf(stdout, "%s:%s\n", set, it->dst);
			whole++;
		}
	}
	cli_printf(stderr, "famfsctl cp: stopped; %u of %u files copied (listed on standard output), "
		"none in part\n", whole, files);
}

/* The copy threads: the command line's, else the policy's; no more than
 * there are tasks, nor (memory copies) than twice the CPUs. */
static unsigned int pool_size(struct cp_run *run, unsigned int want)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int n = want;

	if (cpus > 0 && n > 2 * (unsigned int)cpus)
		n = 2 * (unsigned int)cpus;
	if (n > run->ntasks)
		n = run->ntasks;
	if (n < want && run->env->verbose)
		cli_printf(stderr, "famfsctl cp: %u copy threads of the %u asked for (%u tasks, %ld CPUs)\n",
			n, want, run->ntasks, cpus);
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
	struct cp_run run = { .env = env, .w = &w, .cut = UINT_MAX };
	char set[SET_MAX], d[CLI_PATH_MAX + NAME_MAX + 2], *copy;
	pthread_t tid[MAX_THREADS];
	unsigned int threads, started = 0, logged = 0;
	char dest[CLI_PATH_MAX];
	bool slash;
	uint64_t size;
	bool dir = false;
	int nsrc, rc = 0;
	PARSE("cp");

	nsrc = argc - first - 1;
	if (nsrc < 1)
		return cli_usage_error("cp", "give SRC... SET:/dest");
	if (cli_split_path("cp", argv[argc - 1], set, dest, &slash) < 0)
		return FC_EXIT_USAGE;
	if (cli_open_famfs(env, set, true, w.sys, &run.fs) < 0)
		return FC_EXIT_FAILED;
	file_opts(env, set, &w, &run.fo, 0);
	if (fc_famfs_stat(run.fs, dest, &size, &dir) < 0)
		dir = false;
	if ((nsrc > 1 || slash) && !dir) {
		fc_famfs_close(run.fs);
		cli_printf(stderr, "famfsctl cp: %s is not a directory\n", argv[argc - 1]);
		return FC_EXIT_FAILED;
	}
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
		rc = walk(&run, argv[i], dst, true, NULL);
	}
	run.tasks = calloc(run.ntasks ? run.ntasks : 1, sizeof(*run.tasks));
	if (rc == 0 && !run.tasks)
		rc = -ENOMEM;
	pthread_mutex_init(&run.lock, NULL);
	pthread_cond_init(&run.more, NULL);
	pthread_cond_init(&run.done, NULL);
	run.progress = w.progress > 0 || (w.progress == 0 && isatty(2));
	run.start = now_s();
	threads = rc == 0 ? pool_size(&run, w.threads ? w.threads : policy_threads(env, set)) : 0;
	for (unsigned int i = 0; i < threads; i++)
		if (pthread_create(&tid[started], NULL, copy_worker, &run) == 0)
			started++;
	if (threads && !started) {
		cli_printf(stderr, "famfsctl cp: cannot start a copy thread: %s\n", strerror(EAGAIN));
		rc = -EAGAIN;
	}
	/* the log, in order, HOLD entries per hold of the writer lock */
	while (rc == 0 && logged < run.nitems)
		rc = copy_hold(&run, &logged, logged + HOLD < run.nitems ? logged + HOLD : run.nitems);
	pthread_mutex_lock(&run.lock);
	run.stop = true; /* nothing more is published: the threads end */
	pthread_cond_broadcast(&run.more);
	pthread_mutex_unlock(&run.lock);
	for (unsigned int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	show_progress(&run, true);
	if (run.error) {
		cli_printf(stderr, "famfsctl cp: %s: %s\n", run.error_src, strerror(run.error));
		report_stop(&run, set);
		rc = -run.error;
	}
	for (unsigned int i = 0; i < run.nitems; i++)
		free(run.items[i].src);
	free(run.items);
	free(run.tasks);
	pthread_cond_destroy(&run.more);
	pthread_cond_destroy(&run.done);
	pthread_mutex_destroy(&run.lock);
	fc_famfs_close(run.fs);
	return rc < 0 ? FC_EXIT_FAILED : FC_EXIT_OK;
}
