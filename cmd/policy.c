// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl policy check|show: validate policy files, print the effective
 * policy (defaults merged) as JSON. The format is famfsctl-policy(5).
 */
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "cmd/builtin.h"

static const char policy_help[] =
	"usage: famfsctl policy check [--no-defaults] FILE|NAME...\n"
	"       famfsctl policy show [--no-defaults] [-u] NAME|FILE\n\n"
	"check  validate each policy (merged over the defaults file) and report\n"
	"       every problem as FILE:LINE: [section] key: what is wrong.\n"
	"       Exit 0 when all are valid, 1 otherwise.\n"
	"show   print the effective policy, defaults merged, as JSON.\n\n"
	"A NAME is looked up as DIR/policies.d/NAME.conf; DIR/famfsctl.conf holds\n"
	"defaults. DIR is $FAMFSCTL_POLICY_DIR, else " POLICYDIR ".\n"
	"As root, files not owned by root or writable by group/others are refused.\n\n"
	"      --no-defaults   do not merge DIR/famfsctl.conf\n"
	CLI_GLOBAL_HELP
	"See famfsctl-policy(5) for every key.\n";

/* Returns an exit code to stop with, or -1 to go on. */
static int parse_opts(int argc, char **argv, const char *shortopts,
		      struct cli_env *env, unsigned long *flags)
{
	static const struct option opts[] = {
		{ "no-defaults", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_cmd cmd = { "policy", policy_help, shortopts, opts };
	int opt;

	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0)
		if (opt == 'D')
			*flags |= FC_POLICY_NO_DEFAULTS;
	return opt == CLI_EXIT ? env->exit : -1;
}

int cmd_policy(int argc, char **argv, struct cli_env *env)
{
	unsigned long flags = 0;
	const char *sub;
	int rc, failed = 0;

	/* options may come before and after the subcommand */
	rc = parse_opts(argc, argv, "+", env, &flags);
	if (rc >= 0)
		return rc;
	if (optind >= argc)
		return cli_usage_error("policy", "missing subcommand: check or show");
	sub = argv[optind++];
	rc = parse_opts(argc, argv, "", env, &flags);
	if (rc >= 0)
		return rc;

	if (!strcmp(sub, "check")) {
		if (optind >= argc)
			return cli_usage_error("policy check", "no policy file given");
		for (; optind < argc; optind++) {
			struct fc_policy *p;

			if (fc_policy_load(env->ctx, argv[optind], flags, &p) < 0) {
				failed++;
				continue;
			}
			printf("%s: ok\n", fc_policy_get_path(p));
			fc_policy_unref(p);
		}
		return failed ? FC_EXIT_FAILED : FC_EXIT_OK;
	}
	if (!strcmp(sub, "show")) {
		struct fc_policy *p;
		struct json_object *j;

		if (optind + 1 != argc)
			return cli_usage_error("policy show", "give exactly one policy");
		if (fc_policy_load(env->ctx, argv[optind], flags, &p) < 0)
			return FC_EXIT_FAILED;
		j = fc_policy_to_json(p, env->human ? FC_JSON_HUMAN : 0);
		fc_policy_unref(p);
		if (!j)
			return FC_EXIT_FAILED;
		cli_print_json(j);
		json_object_put(j);
		return FC_EXIT_OK;
	}
	return cli_usage_error("policy", "unknown subcommand '%s' (check or show)", sub);
}
