// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl alloc | release: tagged capacity from the fabric to famfs-mode
 * dax devices on this host, and back (lib/alloc.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cmd/builtin.h"

static const char alloc_help[] =
	"usage: famfsctl [--fabric URI] [--host-id N] alloc --size SIZE [--memdev M]...\n"
	"                [--ways N] [--tag GROUP] [--shared] [--timeout 30s] [-u]\n"
	"       famfsctl [--fabric URI] [--host-id N] alloc --join GROUP [--timeout 30s]\n"
	"       famfsctl alloc --policy NAME|FILE [--dry-run] [--timeout 30s]\n\n"
	"Ask the fabric for SIZE of dynamic capacity split in equal parts over N\n"
	"memory devices (the --memdev list in member order, or chosen: most free\n"
	"capacity first, spread over ports), each part under its own tag; wait for\n"
	"the extents to arrive, claim each tag as a dax device and switch it to\n"
	"famfs mode. Prints the allocation group as JSON. On any failure nothing is\n"
	"left behind: dax devices destroyed, capacity released.\n\n"
	"Member i's tag is the group id with its last 16 bits set to i+1; a group id\n"
	"ends in 0000.\n\n"
	"  -s, --size SIZE     total capacity (rounded up to whole blocks per member)\n"
	"  -m, --memdev M      a member device (repeat, in member order)\n"
	"  -w, --ways N        members (default: the --memdev count, else 1)\n"
	"  -t, --tag GROUP     the group id (default: random)\n"
	"      --shared        only sharable regions: other hosts may --join\n"
	"  -j, --join GROUP    take this host's share of another host's group\n"
	"      --timeout T     wait for the extents at most T (30s; ms, s, m)\n"
	"  -p, --policy P      what a policy says: its members, size, sharing, under\n"
	"                      the policy's group id (a client joins it); its\n"
	"                      fabric unless --fabric/FAMFSCTL_FABRIC say otherwise\n"
	"  -n, --dry-run       print the plan (members, ports, parts, devices left\n"
	"                      out and why) and change nothing\n"
	CLI_GLOBAL_HELP
	"See famfsctl-alloc(1).\n";

static const char release_help[] =
	"usage: famfsctl [--fabric URI] [--host-id N] release TAG|GROUP\n\n"
	"Release a tagged allocation, or every member of a group (an id ending in\n"
	"0000): refused while a member is mounted; destroys the dax devices, then\n"
	"releases the capacity through the fabric. Prints the released tags.\n\n"
	CLI_GLOBAL_HELP
	"See famfsctl-alloc(1).\n";

enum { OPT_SHARED = 0x3000, OPT_TIMEOUT };

/* --policy: load it; it names the fabric unless the command line did. */
static int with_policy(struct cli_env *env, const char *spec, struct fc_policy **p)
{
	if (fc_policy_load(env->ctx, spec, 0, p) < 0) {
		cli_printf(stderr, "famfsctl alloc: cannot use policy '%s'\n", spec);
		return -1;
	}
	if (!env->fabric && *fc_policy_get_fabric(*p)) {
		env->fabric = fc_policy_get_fabric(*p);
		env->host_id = fc_policy_get_host_id(*p);
	}
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* SIGINT, SIGTERM, SIGHUP: stop at the next step and roll back. */
static void catch_signals(struct fc_ctx *ctx)
{
	struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART */

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	fc_set_interrupt(ctx, &stop);
}

/* "30s", "500ms", "2m", "1.5s", or plain seconds. */
static int parse_timeout(const char *s, unsigned int *ms)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		return -1;
	if (!strcmp(end, "ms"))
		;
	else if (!*end || !strcmp(end, "s"))
		v *= 1000;
	else if (!strcmp(end, "m"))
		v *= 60000;
	else
		return -1;
	if (v > 86400000.0 || v < 1)
		return -1;
	*ms = (unsigned int)v;
	return 0;
}

static int parse_uuid(const char *cmd, const char *opt, const char *arg, uuid_t u)
{
	if (uuid_parse(arg, u) == 0)
		return 0;
	cli_usage_error(cmd, "%s: '%s' is not a UUID", opt, arg);
	return -1;
}

int cmd_alloc(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "memdev", required_argument, NULL, 'm' },
		{ "ways", required_argument, NULL, 'w' },
		{ "tag", required_argument, NULL, 't' },
		{ "join", required_argument, NULL, 'j' },
		{ "shared", no_argument, NULL, OPT_SHARED },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "policy", required_argument, NULL, 'p' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *memdevs[FC_MAX_MEMBERS];
	struct fc_alloc_opts o = { .memdevs = memdevs };
	json_object *result = NULL;
	bool join = false;
	const char *policy_spec = NULL;
	struct fc_policy *policy = NULL;
	uuid_t group;
	char *end;
	unsigned long v;
	int opt, rc;

	CLI_CMD(cmd, "alloc", alloc_help, "s:m:w:t:j:p:n", opts);
	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0) {
		switch (opt) {
		case 's':
			if (cli_opt_size("alloc", "--size", optarg, &o.size) < 0)
				return FC_EXIT_USAGE;
			if (!o.size) /* not "missing": given, and nothing to allocate */
				return cli_usage_error("alloc", "--size: '%s' is not a size to allocate: give more than 0 bytes",
						       optarg);
			break;
		case 'm':
			if (o.nmemdevs == FC_MAX_MEMBERS)
				return cli_usage_error("alloc", "at most %d --memdev", FC_MAX_MEMBERS);
			memdevs[o.nmemdevs++] = optarg;
			break;
		case 'w':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || !v || v > FC_MAX_MEMBERS || optarg[0] == '-')
				return cli_usage_error("alloc", "--ways: '%s' is not 1..%d", optarg,
						      FC_MAX_MEMBERS);
			o.ways = (unsigned int)v;
			break;
		case 't':
			if (parse_uuid("alloc", "--tag", optarg, o.group) < 0)
				return FC_EXIT_USAGE;
			o.has_group = true;
			break;
		case 'j':
			if (parse_uuid("alloc", "--join", optarg, group) < 0)
				return FC_EXIT_USAGE;
			join = true;
			break;
		case OPT_SHARED:
			o.shared = true;
			break;
		case 'p':
			policy_spec = optarg;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case OPT_TIMEOUT:
			if (parse_timeout(optarg, &o.timeout_ms) < 0)
				return cli_usage_error("alloc", "--timeout: '%s' is not a duration (30s, 500ms, 2m)",
						      optarg);
			break;
		}
	}
	if (opt == CLI_EXIT)
		return env->exit;
	if (optind < argc)
		return cli_usage_error("alloc", "unexpected argument '%s'", argv[optind]);
	if (join && (o.size || o.nmemdevs || o.ways || o.has_group || o.shared))
		return cli_usage_error("alloc", "--join takes only --timeout: the group says the rest");
	if (policy_spec && (join || o.size || o.nmemdevs || o.ways || o.has_group || o.shared))
		return cli_usage_error("alloc", "--policy says the rest: give only --timeout, --dry-run");
	if (join && o.dry_run)
		return cli_usage_error("alloc", "--dry-run plans a new allocation, not --join");
	if (!join && !policy_spec && !o.size)
		return cli_usage_error("alloc", "--size SIZE (or --policy P) is required");
	if (policy_spec && with_policy(env, policy_spec, &policy) < 0)
		return FC_EXIT_FAILED;
	if (cli_env_setup(env) < 0) {
		fc_policy_unref(policy);
		return FC_EXIT_FAILED;
	}
	o.flags = env->human ? FC_JSON_HUMAN : 0;
	catch_signals(env->ctx);
	if (policy)
		rc = fc_alloc_policy(env->ctx, policy, o.timeout_ms, o.dry_run, o.flags, &result);
	else
		rc = join ? fc_alloc_join(env->ctx, group, o.timeout_ms, o.flags, &result) :
			    fc_alloc(env->ctx, &o, &result);
	fc_policy_unref(policy);
	if (rc < 0) {
		cli_printf(stderr, "famfsctl alloc: %s\n", rc == -ETIMEDOUT ?
			"timed out waiting for the extents" : rc == -EINTR ?
			"interrupted" : strerror(-rc));
		return FC_EXIT_FAILED;
	}
	cli_print_json(result);
	json_object_put(result);
	return FC_EXIT_OK;
}

int cmd_release(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};
	json_object *result = NULL;
	uuid_t id;
	int opt;

	/* options: the global ones only */
	CLI_CMD(cmd, "release", release_help, "", opts);
	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0)
		;
	if (opt == CLI_EXIT)
		return env->exit;
	if (optind + 1 != argc)
		return cli_usage_error("release", "give one TAG or GROUP");
	if (parse_uuid("release", "TAG|GROUP", argv[optind], id) < 0)
		return FC_EXIT_USAGE;
	if (cli_env_setup(env) < 0)
		return FC_EXIT_FAILED;
	if (fc_release(env->ctx, id, &result) < 0)
		return FC_EXIT_FAILED;
	cli_print_json(result);
	json_object_put(result);
	return FC_EXIT_OK;
}
