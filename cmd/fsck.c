// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl fsck: check a famfs file system and its members
 * (famfsctl-fsck(1)): an interleave set's name, or the members' paths,
 * primary first; --repair restores what a crashed append left repairable.
 */
#include <stdio.h>
#include <json-c/json.h>
#include <famfsctl/stats.h>
#include "cmd/builtin.h"
#include "util/members.h"

static const char fsck_help[] =
	"usage: famfsctl fsck [--repair [--yes] [--system-uuid UUID]]\n"
	"                     SETNAME | PRIMARY[,MEMBER]...\n\n"
	"Check a famfs file system of version 48 or 49 (made by famfsctl or by\n"
	"famfs's mkfs.famfs): the primary's superblock and log (CRCs, sequence),\n"
	"that every member the log names is present with its tag and size, in any\n"
	"order after the primary. Prints a JSON report (its \"version\" is the one\n"
	"found); exit 0 when clean, 1 when not (every problem is listed).\n"
	"--repair says what it would restore of a repairable state (an append cut\n"
	"by a crash, which famfs's next append would turn into damage); with --yes\n"
	"it writes the repair, as the file system's master, and checks again.\n"
	"For a SETNAME the verdict is recorded in the state directory for\n"
	"famfsctl stats.\n\n"
	"      --repair          say what a repair would do (nothing is written)\n"
	"      --yes             with --repair: write it\n"
	"      --system-uuid U   this host's identity as master (for --yes)\n"
	CLI_GLOBAL_HELP;

/* What the report's repairable problems would restore, or what was. */
static void say_repairs(struct json_object *report, bool written)
{
	struct json_object *problems = json_object_object_get(report, "problems");
	struct json_object *done = json_object_object_get(report, "repairs");

	if (written) {
		for (size_t i = 0; i < json_object_array_length(done); i++)
			cli_printf(stderr, "famfsctl fsck: repaired: %s\n",
				json_object_get_string(json_object_array_get_idx(done, i)));
		cli_printf(stderr, "famfsctl fsck: the file system is clean\n");
		return;
	}
	for (size_t i = 0; i < json_object_array_length(problems); i++) {
		struct json_object *p = json_object_array_get_idx(problems, i);
		struct json_object *r = json_object_object_get(p, "repair");

		if (r)
			cli_printf(stderr, "famfsctl fsck: would repair %s: %s\n",
				json_object_get_string(json_object_object_get(p, "code")),
				json_object_get_string(r));
	}
	cli_printf(stderr, "famfsctl fsck: nothing written; --repair --yes writes the repair\n");
}

enum { OPT_REPAIR = 0x6100, OPT_YES, OPT_SYS };

int cmd_fsck(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "repair", no_argument, NULL, OPT_REPAIR },
		{ "yes", no_argument, NULL, OPT_YES },
		{ "system-uuid", required_argument, NULL, OPT_SYS },
		{ NULL, 0, NULL, 0 },
	};
	struct json_object *report = NULL;
	bool repair = false, yes = false;
	const char *sys = NULL;
	uuid_t master;
	int opt, rc;

	CLI_CMD(cmd, "fsck", fsck_help, "", opts);
	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0) {
		switch (opt) {
		case OPT_REPAIR: repair = true; break;
		case OPT_YES: yes = true; break;
		case OPT_SYS: sys = optarg; break;
		}
	}
	if (opt == CLI_EXIT)
		return env->exit;
	if (argc - optind != 1)
		return cli_usage_error("fsck", "give one SETNAME or PRIMARY[,MEMBER]...");
	if (yes && !repair)
		return cli_usage_error("fsck", "--yes writes a repair: give --repair too");
	if (yes && fc_system_uuid_get(env->ctx, sys, master) < 0)
		return FC_EXIT_FAILED;
	/* a set's members are found through the host platform; paths need none */
	if (util_is_set_name(argv[optind]) && cli_env_setup(env) < 0)
		return FC_EXIT_FAILED;
	rc = repair ? fc_famfs_repair_spec(env->ctx, argv[optind], yes ? master : NULL, &report) :
		      fc_famfs_check_spec(env->ctx, argv[optind], &report);
	/* the verdict famfsctl stats reports (a failure to record it is
	 * logged; the check itself stands) */
	if (util_is_set_name(argv[optind]) && fc_interleave_exists(env->ctx, argv[optind]))
		fc_stats_record_fsck(env->ctx, argv[optind], rc, report);
	if (report) {
		bool repairable = json_object_get_boolean(json_object_object_get(report, "repairable"));

		cli_print_json(report);
		if (json_object_get_boolean(json_object_object_get(report, "repaired")))
			say_repairs(report, true);
		else if (repairable && repair && !yes)
			say_repairs(report, false);
		else if (repairable)
			cli_printf(stderr, "famfsctl fsck: repairable: famfsctl fsck --repair says how\n");
	}
	json_object_put(report);
	return rc == 0 ? FC_EXIT_OK : FC_EXIT_FAILED;
}
