// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl: orchestrate CXL dynamic capacity into shared famfs file systems.
 * This file holds the command table and main(); what every command shares
 * is cmd/cli.c, and each command lives in cmd/NAME.c beside its man page
 * man/famfsctl-NAME.N.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <json-c/json.h>

#include "cmd/builtin.h"

static const struct cmd_entry commands[] = {
	{ "up", cmd_up, "bring a policy up: alloc, interleave, format if new, mount" },
	{ "down", cmd_down, "bring a policy down: unmount, forget the set, release" },
	{ "alloc", cmd_alloc, "allocate tagged capacity on memory devices as famfs-mode dax devices" },
	{ "release", cmd_release, "release an allocation or a group: dax devices, then capacity" },
	{ "interleave", cmd_interleave, "record, list and forget interleave sets of allocations" },
	{ "fabric", cmd_fabric, "create a simulated fabric, show devices and tags, send FM requests" },
	{ "list", cmd_list, "list memory devices, extents, dax regions and dax devices as JSON" },
	{ "policy", cmd_policy, "check policy files, show the effective policy" },
	{ "mkdir", cmd_mkdir, "make a directory in a set's famfs (SET:/dir)" },
	{ "creat", cmd_creat, "allocate a striped file in a set's famfs (SET:/file)" },
	{ "cp", cmd_cp, "copy files and trees into a set's famfs, striped, threaded" },
	{ "cat", cmd_cat, "print a file of a set's famfs" },
	{ "getmap", cmd_getmap, "print a file's map (members, offsets) as JSON" },
	{ "run", cmd_run, "run a program whose mmap of mounted famfs files is the direct map" },
	{ "ls", cmd_ls, "list a directory of a set's famfs (SET:/dir)" },
	{ "mount", cmd_mount, "mount a set's famfs (portable FUSE mount, or famfs's kernel mount)" },
	{ "umount", cmd_umount, "unmount a famfsctl mount" },
	{ "udev", cmd_udev, "set up a dax device that appeared (what the udev rule runs)" },
	{ "format", cmd_format, "format famfs across the members of a set" },
	{ "fsck", cmd_fsck, "check a famfs file system and its members" },
	{ "stats", cmd_stats, "statistics of sets and fabric devices: JSON or Prometheus" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: famfsctl [--fabric URI] [--host-id N] [-v] COMMAND [ARGS]\n"
		"       famfsctl --version | --help\n"
		"       famfsctl COMMAND --help\n\n"
		"Orchestrate CXL dynamic capacity into shared famfs file systems.\n\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\nGlobal options (also accepted after COMMAND):\n" CLI_GLOBAL_HELP
		"      --version       print the version\n\n"
		"Environment: FAMFSCTL_FABRIC (the fabric: sim:DIR, exec:PROGRAM, or none\n"
		"for this host's kernel alone; default: [fabric] uri in famfsctl.conf,\n"
		"else none), FAMFSCTL_LOG (err|info|debug).\n"
		"Exit status: 0 success, 1 the operation failed, 2 usage error.\n"
		"See famfsctl(1) and famfsctl-COMMAND(1).\n");
}

int main(int argc, char **argv)
{
	struct cli_env env = { 0 };
	const char *name;
	int rc, cmd_index;

	/* for the shell completion (hidden): the command names, one a line */
	if (argc == 2 && !strcmp(argv[1], "--list-cmds")) {
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			printf("%s\n", commands[i].name);
		return FC_EXIT_OK;
	}
	env.fabric = getenv("FAMFSCTL_FABRIC");
	/* global options before the command name; "+": stop at the name */
	if (cli_main_options(&env, argc, argv, usage) == CLI_EXIT)
		return env.exit;
	if (optind >= argc) {
		usage(stderr);
		return FC_EXIT_USAGE;
	}
	cmd_index = optind;
	name = argv[cmd_index];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name))
			continue;
		rc = fc_new(&env.ctx);
		if (rc < 0) {
			cli_printf(stderr, "famfsctl: cannot create a context: %s\n",
				strerror(-rc));
			return FC_EXIT_FAILED;
		}
		/* warnings (a deprecated name, a repaired log) show unless
		 * FAMFSCTL_LOG says otherwise */
		if (!getenv("FAMFSCTL_LOG"))
			fc_set_log_priority(env.ctx, LOG_WARNING);
		/*
		 * Each command sees argv[0] = its name; optind = 0 makes glibc's
		 * getopt start over for the command's own options.
		 */
		optind = 0;
		rc = commands[i].fn(argc - cmd_index, argv + cmd_index, &env);
		fc_unref(env.ctx);
		return rc;
	}
	cli_printf(stderr, "famfsctl: '%s' is not a famfsctl command. See 'famfsctl --help'.\n",
		name);
	return FC_EXIT_USAGE;
}
