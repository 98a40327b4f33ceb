// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl mount | umount: the portable mount of a famfs over an interleave
 * set (or over member paths), served by famfsctl-fused (fuse/), which this
 * starts with what it resolved here (the set, this host's system uuid, the
 * fabric, the refresh interval): in the background, returning once the
 * mount serves, or in the foreground (-f, as the famfsctl-mount@.service
 * unit runs it: famfsctl is replaced by the server). umount unmounts, and
 * the server ends with its mount.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include "cmd/builtin.h"
#include "util/fs.h"
#include "util/members.h"

static const char mount_help[] =
	"usage: famfsctl mount [--mode auto|portable|famfs] [--refresh MS] [--cache] [--no-uring] [-f]\n"
	"                      SET MOUNTPOINT\n"
	"       famfsctl mount [-f] [--cache] [--no-uring] --policy NAME [MOUNTPOINT]\n"
	"       (SET: an interleave set's name, or member paths PRIMARY,MEMBER,...)\n"
	"       famfsctl umount MOUNTPOINT\n\n"
	"Mount the famfs over interleave set SET (famfsctl interleave). portable is\n"
	"famfsctl's own mount, served by famfsctl-fused through libfuse3: the tree\n"
	"from the log, file bytes straight from the members, .meta/.superblock and\n"
	".meta/.log; the master (this host's system uuid is the file system's) may\n"
	"create files and directories through it, every other host mounts\n"
	"read-only and replays the log on demand and every --refresh MS (default\n"
	"1000), as the master does for files famfsctl cp adds beside the mount.\n"
	"famfs hands the mount to famfs's own tools (famfs mount DEVICE MOUNTPOINT):\n"
	"it needs one member, a version 48 file system, famfs's kernel support and\n"
	"the famfs program; otherwise it says what is missing. auto (the default)\n"
	"hands over when all of that is there and mounts portable otherwise, saying\n"
	"which and why. The old names fuse (portable) and kernel (famfs) still\n"
	"work, with a notice. The portable server runs in the background (messages\n"
	"to syslog) unless -f. With --policy, the policy's set, mount point, mode,\n"
	"refresh interval and fabric (as the famfsctl-mount@.service unit mounts it).\n\n"
	"      --mode MODE      auto, portable or famfs\n"
	"      --refresh MS     clients: replay the log at least this often\n"
	"      --cache          let the kernel cache file data (only for data the\n"
	"                       master never rewrites in place)\n"
	"      --no-uring       serve /dev/fuse even when the kernel offers FUSE over\n"
	"                       io_uring (Linux 6.14+, fuse.enable_uring=1)\n"
	"  -f, --foreground    serve in the foreground\n"
	"      --policy NAME    mount what policy NAME says\n"
	"      --system-uuid U  this host's identity as master\n"
	CLI_GLOBAL_HELP
	"See famfsctl-mount(1).\n";

/* The mode's current name; the names before the rename with a notice. */
static const char *mode_name(const char *mode)
{
	static const char *const old[][2] = { { "fuse", "portable" }, { "kernel", "famfs" } };

	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++)
		if (!strcmp(mode, old[i][0])) {
			cli_printf(stderr, "famfsctl mount: --mode %s is deprecated; it is now %s\n",
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

	cli_printf(stderr, "famfsctl mount: handing %s to famfs: famfs mount %s %s\n", set, dev,
		mountpoint);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execl(famfs, "famfs", "mount", dev, mountpoint, (char *)NULL);
		cli_printf(stderr, "famfsctl mount: cannot run %s: %m\n", famfs);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		cli_printf(stderr, "famfsctl mount: cannot run %s: %m\n", famfs);
		return FC_EXIT_FAILED;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		cli_printf(stderr, "famfsctl mount: famfs mount %s %s failed (exit %d)\n", dev,
			mountpoint, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return FC_EXIT_FAILED;
	}
	return FC_EXIT_OK;
}

enum { OPT_MODE = 0x6000, OPT_REFRESH, OPT_SYS, OPT_CACHE, OPT_POLICY, OPT_NO_URING };
enum { MOUNT_CACHE = 1, MOUNT_NO_URING = 2 };  /* mount_with()'s flags */

#ifndef FAMFSCTL_FUSED_PATH /* cmd.am defines it from $(libexecdir) */
#define FAMFSCTL_FUSED_PATH "/usr/libexec/famfsctl/famfsctl-fused"
#endif

/* The server's path: $FAMFSCTL_FUSED (a build tree), else the installed one. */
static const char *fused_path(void)
{
	const char *p = getenv("FAMFSCTL_FUSED");

	return p && *p ? p : FAMFSCTL_FUSED_PATH;
}

static int mount_with(struct cli_env *env, const char *set, const char *mountpoint,
		      const char *mode, unsigned int refresh_ms, bool foreground,
		      const char *sys, unsigned int flags)
{
	char refresh[16], host[16], me_str[37];
	struct util_members paths = { 0 };
	const char *argv[24];
	struct fc_famfs *fs;
	unsigned int members = 0;
	int argc = 0, status, rc;
	uuid_t me, fs_master;
	pid_t pid;

	mode = mode_name(mode);
	if (!mode)
		return cli_usage_error("mount", "--mode: not auto, portable or famfs");
	if (util_is_set_name(set)) {
		if (fc_interleave_get(env->ctx, set, NULL, NULL, &members) < 0)
			return FC_EXIT_FAILED;
	} else {
		char *spec[] = { (char *)set };

		if (util_members_split(1, spec, &paths) < 0)
			return cli_usage_error("mount", "'%s' is neither a set name nor member paths", set);
		members = paths.n;
	}
	/* a member in famfs mode has no mmap (fsdev_dax): famfsctl cannot read
	 * it, only famfs's own mount can, and famfs checks it itself */
	if (strcmp(mode, "portable") && members == 1) {
		char why[512], famfs[4096], dev[4096];
		bool famfs_mode;

		if (member_device(env, set, paths.n ? paths.paths[0] : NULL, dev, sizeof(dev),
				  &famfs_mode) == 0 && famfs_mode) {
			famfs_missing(env, members, 0, why, sizeof(why), famfs, sizeof(famfs));
			util_members_free(&paths);
			if (!why[0])
				return hand_over(famfs, set, dev, mountpoint);
			cli_printf(stderr, "famfsctl mount: --mode %s: %s; and %s is in famfs mode, which famfsctl's portable mount cannot map (devdax mode can)\n",
				mode, why, dev);
			return FC_EXIT_FAILED;
		}
	}
	/* the master's open (as master) restores a log header a crash cut,
	 * before famfs or anyone appends; the server opens it again itself,
	 * read-write on the master, read-only anywhere else */
	if (fc_system_uuid_get(env->ctx, sys, me) < 0)
		goto fail;
	rc = fc_famfs_open_spec(env->ctx, set, NULL, &fs);
	if (rc < 0)
		goto fail;
	fc_famfs_system_uuid(fs, fs_master);
	if (!uuid_compare(me, fs_master)) {
		fc_famfs_close(fs);
		rc = fc_famfs_open_spec(env->ctx, set, me, &fs);
		if (rc < 0)
			goto fail;
	}
	if (strcmp(mode, "portable")) {
		char why[512], famfs[4096], dev[4096];
		bool famfs_mode;

		famfs_missing(env, members, fc_famfs_version(fs), why, sizeof(why), famfs,
			      sizeof(famfs));
		if (!why[0] && member_device(env, set, paths.n ? paths.paths[0] : NULL, dev,
					     sizeof(dev), &famfs_mode) < 0)
			snprintf(why, sizeof(why), "set %s's member is not on this host", set);
		if (!why[0]) {
			fc_famfs_close(fs);
			util_members_free(&paths);
			return hand_over(famfs, set, dev, mountpoint);
		}
		if (!strcmp(mode, "famfs")) {
			cli_printf(stderr, "famfsctl mount: --mode famfs: %s; --mode portable mounts it with famfsctl's own server\n",
				why);
			fc_famfs_close(fs);
			goto fail;
		}
		cli_printf(stderr, "famfsctl mount: auto chose portable, famfsctl's own mount (%s)\n", why);
	}
	fc_famfs_close(fs);
	util_members_free(&paths);
	uuid_unparse_lower(me, me_str);
	snprintf(refresh, sizeof(refresh), "%u", refresh_ms ? refresh_ms : 1000);
	snprintf(host, sizeof(host), "%u", env->host_id);
	argv[argc++] = "famfsctl-fused";
	if (foreground)
		argv[argc++] = "--foreground";
	argv[argc++] = "--system-uuid";
	argv[argc++] = me_str;
	argv[argc++] = "--refresh";
	argv[argc++] = refresh;
	if (flags & MOUNT_CACHE)
		argv[argc++] = "--cache";
	if (flags & MOUNT_NO_URING)
		argv[argc++] = "--no-uring";
	if (env->fabric) {
		argv[argc++] = "--fabric";
		argv[argc++] = env->fabric;
		argv[argc++] = "--host-id";
		argv[argc++] = host;
	}
	for (int v = 0; v < env->verbose && v < 2; v++)
		argv[argc++] = "--verbose";
	argv[argc++] = set;
	argv[argc++] = mountpoint;
	argv[argc] = NULL;
	fflush(NULL);
	if (foreground) {
		execv(fused_path(), (char *const *)argv);
		cli_printf(stderr, "famfsctl mount: cannot run %s: %m\n", fused_path());
		return FC_EXIT_FAILED;
	}
	pid = fork();
	if (pid == 0) {
		execv(fused_path(), (char *const *)argv);
		cli_printf(stderr, "famfsctl mount: cannot run %s: %m\n", fused_path());
		_exit(126);
	}
	/* the server's first process returns once the mount serves */
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		cli_printf(stderr, "famfsctl mount: %s: not mounted at %s\n", set, mountpoint);
		return FC_EXIT_FAILED;
	}
	return FC_EXIT_OK;
fail:
	util_members_free(&paths);
	return FC_EXIT_FAILED;
}

int cli_mount_set(struct cli_env *env, const char *set, const char *mountpoint,
		 const char *mode, unsigned int refresh_ms, bool foreground, const char *sys)
{
	return mount_with(env, set, mountpoint, mode, refresh_ms, foreground, sys, false);
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
		cli_printf(stderr, "famfsctl: %s: cannot mount at %s\n", name, mp);
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
		{ "cache", no_argument, NULL, OPT_CACHE },
		{ "no-uring", no_argument, NULL, OPT_NO_URING },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ NULL, 0, NULL, 0 },
	};
	const char *mode = NULL, *sys = NULL, *policy = NULL, *set, *mp;
	struct fc_policy *p = NULL;
	unsigned int refresh_ms = 0;
	unsigned int flags = 0;
	bool fg = false;
	char *end;
	int opt, rc;

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
		case OPT_CACHE: flags |= MOUNT_CACHE; break;
		case OPT_NO_URING: flags |= MOUNT_NO_URING; break;
		case OPT_POLICY: policy = optarg; break;
		}
	}
	if (opt == CLI_EXIT)
		return env->exit;
	if (!policy) {
		if (argc - optind != 2)
			return cli_usage_error("mount", "give SET and MOUNTPOINT");
		if (cli_env_setup(env) < 0)
			return FC_EXIT_FAILED;
		return mount_with(env, argv[optind], argv[optind + 1], mode ? mode : "auto",
				  refresh_ms, fg, sys, flags);
	}
	if (argc - optind > 1)
		return cli_usage_error("mount", "--policy takes at most a MOUNTPOINT");
	if (fc_policy_load(env->ctx, policy, 0, &p) < 0) {
		cli_printf(stderr, "famfsctl mount: cannot use policy '%s'\n", policy);
		return FC_EXIT_FAILED;
	}
	if (!env->fabric && *fc_policy_get_fabric(p)) {
		env->fabric = fc_policy_get_fabric(p);
		env->host_id = fc_policy_get_host_id(p);
	}
	set = fc_policy_get_name(p);
	mp = argc - optind == 1 ? argv[optind] : fc_policy_get_mount_point(p);
	if (!*mp) {
		cli_printf(stderr, "famfsctl mount: policy %s has no mount_point\n", set);
		fc_policy_unref(p);
		return FC_EXIT_FAILED;
	}
	rc = cli_env_setup(env) < 0 ? FC_EXIT_FAILED :
	     mount_with(env, set, mp, mode ? mode : fc_policy_get_mount_mode(p),
			refresh_ms ? refresh_ms : fc_policy_get_refresh_ms(p), fg, sys, flags);
	fc_policy_unref(p);
	return rc;
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
			cli_printf(stderr, "famfsctl umount: %s: %s\n", mountpoint,
				strerror(e != ENOTCONN ? e : errno ? errno : ENAMETOOLONG));
			return -1;
		}
	}
	if (!util_mount_source(abs, source, sizeof(source)) || strncmp(source, "famfsctl:", 9)) {
		cli_printf(stderr, "famfsctl umount: %s: not a famfsctl mount (%s); left alone\n",
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
		cli_printf(stderr, "famfsctl umount: %s: cannot unmount\n", mountpoint);
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
	/* '--' ends options, as everywhere: a mount point named like one */
	if (argc == 3 && !strcmp(argv[1], "--")) {
		argv++;
		argc--;
	}
	if (argc != 2)
		return cli_usage_error("umount", "give MOUNTPOINT");
	return cli_umount(argv[1]) < 0 ? FC_EXIT_FAILED : FC_EXIT_OK;
}
