// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl fsck: check a famfs file system and its members
 * (famfsctl-fsck(1)): an interleave set's name, or the members' paths,
 * primary first.
 */
#include <stdio.h>
#include <json-c/json.h>
#include "cmd/builtin.h"
#include "util/members.h"

static const char fsck_help[] =
	"usage: famfsctl fsck SETNAME | PRIMARY[,MEMBER]...\n\n"
	"Check a famfs file system: the primary's superblock and log (CRCs,\n"
	"sequence), that every member the log names is present with its tag and\n"
	"size, in any order after the primary. Prints a JSON report; exit 0 when\n"
	"clean, 1 when not (every problem is listed).\n\n"
	CLI_GLOBAL_HELP;

int cmd_fsck(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};
	struct json_object *report = NULL;
	int opt, rc;

	/* options: the global ones only */
	CLI_CMD(cmd, "fsck", fsck_help, "", opts);
	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0)
		;
	if (opt == CLI_EXIT)
		return env->exit;
	if (argc - optind != 1)
		return cli_usage_error("fsck", "give one SETNAME or PRIMARY[,MEMBER]...");
	/* a set's members are found through the host platform; paths need none */
	if (util_is_set_name(argv[optind]) && cli_env_setup(env) < 0)
		return FC_EXIT_FAILED;
	rc = fc_famfs_check_spec(env->ctx, argv[optind], &report);
	if (report)
		cli_print_json(report);
	json_object_put(report);
	return rc == 0 ? FC_EXIT_OK : FC_EXIT_FAILED;
}
