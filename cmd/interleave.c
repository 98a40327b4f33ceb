// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl interleave create|list|destroy: ordered interleave sets over
 * allocations, named by their members' tags (lib/sets.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cmd/builtin.h"

static const char interleave_help[] =
	"usage: famfsctl interleave create --name NAME (--policy P | --members TAG,...)\n"
	"                [--chunk 2M] [--strips N] [--dry-run] [-u]\n"
	"       famfsctl interleave list [--names] [NAME] [-u]\n"
	"       famfsctl interleave destroy NAME\n\n"
	"create   record an ordered interleave set: the members of a policy's\n"
	"         allocation group (alloc --policy P made them), or the tags given,\n"
	"         in order; each must have a dax device on this host. --chunk: the\n"
	"         stripe unit, a power-of-two multiple of 2M (default: the policy's,\n"
	"         else 2M); --strips: members per file, at most 16 (default: the\n"
	"         policy's, else min(members, 16)). With more members than strips,\n"
	"         files rotate over the members so each carries an even share.\n"
	"         --dry-run prints the set and records nothing.\n"
	"list     every set (or NAME) with where its members are now: dax device,\n"
	"         memdev, size, mode, present; complete when all are. --names:\n"
	"         only the names, one a line (scripts, the shell completion).\n"
	"destroy  forget a set (the capacity stays: see famfsctl release).\n\n"
	"Sets live in this host's state directory ($FAMFSCTL_STATE_DIR,\n"
	"/var/lib/famfsctl as root; a simulated host's in its fabric directory).\n\n"
	"      --names         list: set names only, one a line\n"
	CLI_GLOBAL_HELP
	"See famfsctl-interleave(1).\n";

enum { OPT_CHUNK = 0x4000, OPT_STRIPS, OPT_DRY };

static int parse_members(const char *arg, uuid_t **out, unsigned int *n)
{
	char *copy = strdup(arg), *save = NULL, *tok;
	uuid_t *tags = calloc(FC_MAX_MEMBERS, sizeof(*tags));

	*n = 0;
	if (!copy || !tags)
		goto fail;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == FC_MAX_MEMBERS || uuid_parse(tok, tags[*n])) {
			cli_usage_error("interleave", "--members: '%s' is not a tag (UUID)", tok);
			goto fail;
		}
		(*n)++;
	}
	free(copy);
	*out = tags;
	return 0;
fail:
	free(copy);
	free(tags);
	return -1;
}

static int create(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'N' },
		{ "policy", required_argument, NULL, 'p' },
		{ "members", required_argument, NULL, 'm' },
		{ "chunk", required_argument, NULL, OPT_CHUNK },
		{ "strips", required_argument, NULL, OPT_STRIPS },
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ NULL, 0, NULL, 0 },
	};
	struct fc_interleave_opts o = { 0 };
	const char *policy = NULL;
	uuid_t *tags = NULL;
	json_object *result = NULL;
	char *end;
	int opt, rc = FC_EXIT_FAILED;

	CLI_CMD(cmd, "interleave", interleave_help, "N:p:m:", opts);

	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0) {
		switch (opt) {
		case 'N':
			o.name = optarg;
			break;
		case 'p':
			policy = optarg;
			break;
		case 'm':
			free(tags);
			if (parse_members(optarg, &tags, &o.nmembers) < 0)
				return FC_EXIT_USAGE;
			o.members = (const uuid_t *)tags;
			break;
		case OPT_CHUNK:
			if (cli_opt_size("interleave", "--chunk", optarg, &o.chunk) < 0)
				goto usage;
			break;
		case OPT_STRIPS:
			o.strips = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || !o.strips || o.strips > FC_MAX_STRIPS) {
				cli_usage_error("interleave", "--strips: '%s' is not 1..%d", optarg,
						FC_MAX_STRIPS);
				goto usage;
			}
			break;
		case OPT_DRY:
			o.dry_run = true;
			break;
		}
	}
	if (opt == CLI_EXIT) {
		free(tags);
		return env->exit;
	}
	if (optind < argc) {
		cli_usage_error("interleave", "unexpected argument '%s'", argv[optind]);
		goto usage;
	}
	if (!o.name || !!policy == !!o.nmembers) {
		cli_usage_error("interleave", "create needs --name and one of --policy, --members");
		goto usage;
	}
	if (policy) {
		if (fc_policy_load(env->ctx, policy, 0, &o.policy) < 0) {
			cli_printf(stderr, "famfsctl interleave: cannot use policy '%s'\n", policy);
			goto out;
		}
		if (!env->fabric && *fc_policy_get_fabric(o.policy)) {
			env->fabric = fc_policy_get_fabric(o.policy);
			env->host_id = fc_policy_get_host_id(o.policy);
		}
	}
	if (cli_env_setup(env) < 0)
		goto out;
	o.flags = env->human ? FC_JSON_HUMAN : 0;
	if (fc_interleave_create(env->ctx, &o, &result) == 0) {
		cli_print_json(result);
		rc = FC_EXIT_OK;
	}
out:
	json_object_put(result);
	fc_policy_unref(o.policy);
	free(tags);
	return rc;
usage:
	free(tags);
	return FC_EXIT_USAGE;
}

static int list_or_destroy(int argc, char **argv, struct cli_env *env, bool destroy)
{
	enum { OPT_NAMES = 0x4100 };
	static const struct option opts[] = {
		{ "names", no_argument, NULL, OPT_NAMES },
		{ NULL, 0, NULL, 0 },
	};
	const char *name;
	json_object *doc;
	bool names = false;
	int opt;

	CLI_CMD(cmd, "interleave", interleave_help, "", opts);
	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0) {
		if (opt == OPT_NAMES && destroy)
			return cli_usage_error("interleave", "--names goes with list");
		names = true;
	}
	if (opt == CLI_EXIT)
		return env->exit;
	if (argc - optind > 1 || (destroy && argc - optind != 1))
		return cli_usage_error("interleave", destroy ? "destroy takes one NAME" :
				      "list takes at most one NAME");
	name = optind < argc ? argv[optind] : NULL;
	if (cli_env_setup(env) < 0)
		return FC_EXIT_FAILED;
	if (destroy)
		return fc_interleave_destroy(env->ctx, name) < 0 ? FC_EXIT_FAILED : FC_EXIT_OK;
	doc = fc_interleave_to_json(env->ctx, name, env->human ? FC_JSON_HUMAN : 0);
	if (!doc)
		return FC_EXIT_FAILED;
	if (name && json_object_array_length(doc) == 0) {
		cli_printf(stderr, "famfsctl interleave: no set named %s\n", name);
		json_object_put(doc);
		return FC_EXIT_FAILED;
	}
	for (size_t i = 0; names && i < json_object_array_length(doc); i++) {
		json_object *n;

		if (json_object_object_get_ex(json_object_array_get_idx(doc, i), "name", &n))
			cli_printf(stdout, "%s\n", json_object_get_string(n));
	}
	if (!names)
		cli_print_json(doc);
	json_object_put(doc);
	return FC_EXIT_OK;
}

int cmd_interleave(int argc, char **argv, struct cli_env *env)
{
	const char *sub;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(interleave_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? FC_EXIT_USAGE : FC_EXIT_OK;
	}
	sub = argv[1];
	argc--;
	argv++;
	if (!strcmp(sub, "create"))
		return create(argc, argv, env);
	if (!strcmp(sub, "list"))
		return list_or_destroy(argc, argv, env, false);
	if (!strcmp(sub, "destroy"))
		return list_or_destroy(argc, argv, env, true);
	return cli_usage_error("interleave", "'%s' is not an interleave command (create, list, destroy)",
			      sub);
}
