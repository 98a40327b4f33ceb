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
	"usage: famfsctl policy check [--no-defaults] [--other-host] FILE|NAME...\n"
	"       famfsctl policy show [--no-defaults] [-u] NAME|FILE\n\n"
	"check  validate each policy (merged over the defaults file) and report\n"
	"       every problem as FILE:LINE: [section] key: what is wrong.\n"
	"       The fabric each names must be usable here (its plugin installed, an\n"
	"       exec program present); --other-host, for policies meant for\n"
	"       another machine, makes that a warning. Exit 0 when all are valid,\n"
	"       1 otherwise.\n"
	"show   print the effective policy, defaults merged, as JSON.\n\n"
	"A NAME is looked up as DIR/policies.d/NAME.conf; DIR/famfsctl.conf holds\n"
	"defaults. DIR is $FAMFSCTL_POLICY_DIR, else " POLICYDIR ".\n"
	"As root, files not owned by root or writable by group/others are refused.\n\n"
	"      --no-defaults   do not merge DIR/famfsctl.conf\n"
	"      --other-host    the fabric is another host's: only warn when it is not here\n"
	CLI_GLOBAL_HELP
	"See famfsctl-policy(5) for every key.\n";

/* Returns an exit code to stop with, or -1 to go on. */
static int parse_opts(int argc, char **argv, const char *shortopts,
		      struct cli_env *env, unsigned long *flags, bool *other_host)
{
	static const struct option opts[] = {
		{ "no-defaults", no_argument, NULL, 'D' },
		{ "other-host", no_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_cmd cmd = { "policy", policy_help, shortopts, opts };
	int opt;

	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0) {
		if (opt == 'D')
			*flags |= FC_POLICY_NO_DEFAULTS;
		else if (opt == 'O')
			*other_host = true;
	}
	return opt == CLI_EXIT ? env->exit : -1;
}

int cmd_policy(int argc, char **argv, struct cli_env *env)
{
	unsigned long flags = 0;
	bool other_host = false;
	const char *sub;
	int rc, failed = 0;

	/* options may come before and after the subcommand */
	rc = parse_opts(argc, argv, "+", env, &flags, &other_host);
	if (rc >= 0)
		return rc;
	if (optind >= argc)
		return cli_usage_error("policy", "missing subcommand: check or show");
	sub = argv[optind++];
	rc = parse_opts(argc, argv, "", env, &flags, &other_host);
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
			/* the fabric it names, as this host would use it */
			if (other_host) {
				int prio = fc_get_log_priority(env->ctx);

				fc_set_log_priority(env->ctx, 0);
				if (fc_fabric_check_uri(env->ctx, fc_policy_get_fabric(p)) < 0)
					cli_printf(stderr, "famfsctl policy check: %s: warning: on this host: fabric '%s' is not usable (fine if it is another host's)\n",
						fc_policy_get_path(p), fc_policy_get_fabric(p));
				fc_set_log_priority(env->ctx, prio);
			} else if (fc_fabric_check_uri(env->ctx, fc_policy_get_fabric(p)) < 0) {
				cli_printf(stderr, "famfsctl policy check: %s: its [fabric] uri is not usable on this host (--other-host if it is meant for another)\n",
					fc_policy_get_path(p));
				fc_policy_unref(p);
				failed++;
				continue;
			}
			cli_printf(stdout, "%s: ok\n", fc_policy_get_path(p));
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
