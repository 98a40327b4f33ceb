// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl format: famfs across the members of a set (famfsctl-format(1)).
 *
 * The members are an interleave set's name (famfsctl interleave: members
 * found on this host by tag, each identified by its tag), or spelled out:
 * comma-separated paths (dax devices or files), the primary first, each
 * optionally PATH=TAG to give its identity.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cmd/builtin.h"
#include "util/members.h"

static const char format_help[] =
	"usage: famfsctl format [--log-size SIZE] [--format-version 48|49]\n"
	"                       [--force [--take-over]]\n"
	"                       [--system-uuid UUID] SETNAME | PRIMARY[=TAG][,MEMBER[=TAG]]...\n\n"
	"SETNAME is an interleave set (famfsctl interleave): its members, found by\n"
	"tag, each identified by its tag.\n"
	"Format famfs across the members: the first is the primary (superblock and\n"
	"log, at least 4 GiB), each further member gets a secondary superblock and\n"
	"an ADD_DAXDEV log entry. Members are dax devices or files; TAG is the\n"
	"member's identity (its DCD tag), generated when not given. Writes are\n"
	"ordered so a crash leaves no file system or a complete one. Prints the\n"
	"new file system as JSON (the fsck report).\n\n"
	"      --log-size SIZE   metadata log, a power of two >= 8M (default 8M)\n"
	"      --format-version V  famfs on-media version: 48 (one member, what famfs\n"
	"                        mounts today) or 49 (famfs's multi-device format);\n"
	"                        default 48 for one member, 49 for several\n"
	"  -f, --force           overwrite members that hold a famfs superblock of\n"
	"                        this host's (its master's system uuid is ours);\n"
	"                        allow version 48 over several members\n"
	"      --take-over       with --force: also a file system another host\n"
	"                        masters, or one mounted on this host\n"
	"      --system-uuid U   the master host's identity (default: $FAMFSCTL_SYSTEM_UUID,\n"
	"                        else /opt/famfs/system_uuid, famfs's own, created on\n"
	"                        first use)\n"
	CLI_GLOBAL_HELP;

int cmd_format(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "log-size", required_argument, NULL, 'L' },
		{ "force", no_argument, NULL, 'f' },
		{ "system-uuid", required_argument, NULL, 'S' },
		{ "format-version", required_argument, NULL, 'V' },
		{ "take-over", no_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	struct fc_famfs_format_opts o = { .log_len = 8ULL << 20 };
	const char *sys = NULL;
	struct json_object *report = NULL;
	struct util_members s;
	uuid_t *tags = NULL;
	int opt, rc;

	CLI_CMD(cmd, "format", format_help, "f", opts);
	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0) {
		switch (opt) {
		case 'L':
			if (cli_opt_size("format", "--log-size", optarg, &o.log_len) < 0)
				return FC_EXIT_USAGE;
			break;
		case 'f': o.force = true; break;
		case 'T': o.take_over = true; break;
		case 'S': sys = optarg; break;
		case 'V':
			if (strcmp(optarg, "48") && strcmp(optarg, "49"))
				return cli_usage_error("format", "--format-version: '%s' is not 48 or 49",
						       optarg);
			o.version = (unsigned int)atoi(optarg);
			break;
		}
	}
	if (opt == CLI_EXIT)
		return env->exit;
	if (optind >= argc)
		return cli_usage_error("format", "no members given");
	if (o.take_over && !o.force)
		return cli_usage_error("format", "--take-over goes with --force");
	if (util_members_split(argc - optind, argv + optind, &s) < 0)
		return cli_usage_error("format", "'%s': an empty member", argv[optind]);
	rc = FC_EXIT_FAILED;
	tags = calloc(s.n, sizeof(*tags));
	if (!tags)
		goto out;
	/* each member's identity: PATH=TAG, else a new one */
	for (unsigned int i = 0; i < s.n; i++) {
		if (!s.tags[i])
			uuid_generate(tags[i]);
		else if (uuid_parse(s.tags[i], tags[i]) < 0) {
			rc = cli_usage_error("format", "%s: '%s' is not a UUID", s.paths[i], s.tags[i]);
			goto out;
		}
	}
	o.tags = (const uuid_t *)tags;
	if (fc_system_uuid_get(env->ctx, sys, o.system_uuid) < 0)
		goto out;
	if (s.n == 1 && !s.tags[0] && util_is_set_name(s.paths[0])) {
		/* a named interleave set: members by tag through the platform */
		if (cli_env_setup(env) < 0)
			goto out;
		if (fc_famfs_format_set(env->ctx, s.paths[0], &o, NULL) < 0) {
			cli_printf(stderr, "famfsctl format: nothing was formatted\n");
			goto out;
		}
		if (fc_famfs_check_set(env->ctx, s.paths[0], &report) < 0)
			goto out;
	} else {
		if (fc_famfs_format(env->ctx, (const char *const *)s.paths, s.n, &o, NULL) < 0) {
			cli_printf(stderr, "famfsctl format: nothing was formatted\n");
			goto out;
		}
		if (fc_famfs_check(env->ctx, (const char *const *)s.paths, s.n, &report) < 0)
			goto out;
	}
	cli_print_json(report);
	rc = FC_EXIT_OK;
out:
	json_object_put(report);
	free(tags);
	util_members_free(&s);
	return rc;
}

