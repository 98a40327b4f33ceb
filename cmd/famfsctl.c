// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl: orchestrate CXL dynamic capacity into shared famfs file systems.
 * This file holds the command table, the global options, and the helpers
 * every builtin shares; each builtin lives in its own file under cmd/.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <json-c/json.h>

#include "cmd/builtin.h"

static const struct fc_cmd commands[] = {
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
	{ "mount", cmd_mount, "mount a set's famfs (portable FUSE mount, or famfs's kernel mount)" },
	{ "umount", cmd_umount, "unmount a famfsctl mount" },
	{ "udev", cmd_udev, "set up a dax device that appeared (what the udev rule runs)" },
	{ "format", cmd_format, "format famfs across the members of a set" },
	{ "fsck", cmd_fsck, "check a famfs file system and its members" },
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
		"\nGlobal options (also accepted after COMMAND):\n" FC_GLOBAL_HELP
		"      --version       print the version\n\n"
		"Environment: FAMFSCTL_FABRIC (the fabric: sim:DIR, exec:PROGRAM, or none\n"
		"for this host's kernel alone; default: the simulator in\n"
		"~/.local/state/famfsctl/sim), FAMFSCTL_LOG (err|info|debug).\n"
		"Exit status: 0 success, 1 the operation failed, 2 usage error.\n"
		"See famfsctl(1) and famfsctl-COMMAND(1).\n");
}

int fc_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "famfsctl %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'famfsctl %s --help'.\n", cmd);
	return FC_EXIT_USAGE;
}

int fc_opt_size(const char *cmd, const char *opt, const char *arg,
		uint64_t *size)
{
	int rc = fc_parse_size(arg, size);

	if (rc == -ERANGE)
		fc_usage_error(cmd, "%s: '%s' is too large", opt, arg);
	else if (rc < 0)
		fc_usage_error(cmd, "%s: '%s' is not a size in whole bytes (examples: 64G, 1.5G, 2MiB, 0x200000)",
			       opt, arg);
	return rc;
}

int fc_global_opt(struct fc_env *env, int opt, const char *arg)
{
	char *end;
	unsigned long v;

	switch (opt) {
	case FC_OPT_FABRIC:
		env->fabric = arg;
		return 0;
	case FC_OPT_HOST_ID:
		errno = 0;
		v = strtoul(arg, &end, 0);
		if (errno || *end || !*arg || v > 0xffff || arg[0] == '-') {
			fprintf(stderr, "famfsctl: --host-id: '%s' is not a host id (0..65535)\n",
				arg);
			return -1;
		}
		env->host_id = (unsigned int)v;
		return 0;
	case 'v':
		env->verbose++;
		return 0;
	case 'u':
		env->human = true;
		return 0;
	case 'h':
		return 1;
	default:
		return -1;
	}
}

void fc_env_apply(struct fc_env *env)
{
	if (env->verbose == 1 && fc_get_log_priority(env->ctx) < LOG_INFO)
		fc_set_log_priority(env->ctx, LOG_INFO);
	else if (env->verbose > 1)
		fc_set_log_priority(env->ctx, LOG_DEBUG);
}

int fc_env_setup(struct fc_env *env)
{
	/* the library said why it failed */
	return fc_set_fabric(env->ctx, env->fabric, env->host_id) < 0 ? -1 : 0;
}

void fc_print_json(struct json_object *jobj)
{
	/* json-c pretty-prints an empty array over two lines; scripts expect [] */
	if (json_object_is_type(jobj, json_type_array) &&
	    json_object_array_length(jobj) == 0) {
		printf("[]\n");
		return;
	}
	printf("%s\n", json_object_to_json_string_ext(jobj,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE));
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		FC_GLOBAL_LONGOPTS,
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct fc_env env = { 0 };
	const char *name;
	int opt, rc, cmd_index;

	env.fabric = getenv("FAMFSCTL_FABRIC");
	/* "+": stop at the command name; the rest is the command's. */
	while ((opt = getopt_long(argc, argv, "+" FC_GLOBAL_SHORTOPTS, opts, NULL)) != -1) {
		if (opt == 'V') {
			printf("famfsctl %s\n", PACKAGE_VERSION);
			return FC_EXIT_OK;
		}
		rc = fc_global_opt(&env, opt, optarg);
		if (rc == 1) {
			usage(stdout);
			return FC_EXIT_OK;
		}
		if (rc < 0) {
			usage(stderr);
			return FC_EXIT_USAGE;
		}
	}
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
			fprintf(stderr, "famfsctl: cannot create a context: %s\n",
				strerror(-rc));
			return FC_EXIT_FAILED;
		}
		fc_env_apply(&env);
		/*
		 * Each command sees argv[0] = its name; optind = 0 makes glibc's
		 * getopt start over for the command's own options.
		 */
		optind = 0;
		rc = commands[i].fn(argc - cmd_index, argv + cmd_index, &env);
		fc_unref(env.ctx);
		return rc;
	}
	fprintf(stderr, "famfsctl: '%s' is not a famfsctl command. See 'famfsctl --help'.\n",
		name);
	return FC_EXIT_USAGE;
}
