// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl fabric create|info|tags|call: the fabric manager as famfsctl sees
 * it through its plugin. `create` makes a simulated fabric; `call` serves one
 * exec-protocol request (famfsctl-exec(7)) from stdin, so fabric-manager
 * scripts can drive any plugin with JSON.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cmd/builtin.h"

static const char fabric_help[] =
	"usage: famfsctl [--fabric URI] fabric create --devices N --capacity SIZE\n"
	"                [--block SIZE] [--sharable] [--hosts N] [--ports N]\n"
	"                [--max-extents N] [--max-tags N]\n"
	"       famfsctl [--fabric URI] [--host-id N] fabric info [-u]\n"
	"       famfsctl [--fabric URI] fabric tags [-u]\n"
	"       famfsctl [--fabric URI] fabric call < REQUEST.json\n\n"
	"create  make a simulated fabric (sim:DIR) of N dynamic capacity devices of\n"
	"        SIZE each (a multiple of 256 MiB), backed by sparse files in DIR.\n"
	"        --block: allocation block, a power of two from 64K to 1G (2M);\n"
	"        --sharable: regions can be shared between hosts; --hosts: hosts\n"
	"        the devices serve (8, at most 64); --ports: failure domains\n"
	"        (switch ports) the devices are spread over (1); --max-extents:\n"
	"        extents per device and host (512); --max-tags: per device (256).\n"
	"info    every device: identity, port, capacity, tagged and free bytes,\n"
	"        policies, its DC region as --host-id sees it.\n"
	"tags    every tag on every device: length, hosts holding it, hosts it is\n"
	"        offered to (pending) or being released from, FM reference.\n"
	"call    read one request of the exec protocol on stdin, send it to the\n"
	"        fabric, print the reply (exit 0 whenever a reply was printed).\n\n"
	"URI: sim:DIR (the simulator; sim alone: ~/.local/state/famfsctl/sim),\n"
	"exec:PROGRAM (famfsctl-exec(7)). Default: FAMFSCTL_FABRIC, else [fabric]\n"
	"uri in famfsctl.conf, else none (fabric commands then say how to name one).\n"
	"Simulator fault knobs: FAMFSCTL_SIM_FAULTS=fail=K[:RC],partial=N,delay=MS\n"
	"(see famfsctl-fabric(1)).\n\n"
	CLI_GLOBAL_HELP;

enum {
	OPT_DEVICES = 0x2000, OPT_CAPACITY, OPT_BLOCK, OPT_SHARABLE, OPT_HOSTS,
	OPT_PORTS, OPT_MAX_EXTENTS, OPT_MAX_TAGS,
};

static int opt_uint(const char *opt, const char *arg, unsigned long max,
		    unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(arg, &end, 0);
	if (errno || *end || !*arg || arg[0] == '-' || *v > max) {
		cli_usage_error("fabric", "%s: '%s' is not a number from 0 to %lu", opt,
			       arg, max);
		return -1;
	}
	return 0;
}

static int fabric_create(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "devices", required_argument, NULL, OPT_DEVICES },
		{ "capacity", required_argument, NULL, OPT_CAPACITY },
		{ "block", required_argument, NULL, OPT_BLOCK },
		{ "sharable", no_argument, NULL, OPT_SHARABLE },
		{ "hosts", required_argument, NULL, OPT_HOSTS },
		{ "ports", required_argument, NULL, OPT_PORTS },
		{ "max-extents", required_argument, NULL, OPT_MAX_EXTENTS },
		{ "max-tags", required_argument, NULL, OPT_MAX_TAGS },
		{ NULL, 0, NULL, 0 },
	};
	struct famfsctl_fm_create p = { 0 };
	unsigned long v;
	int opt;

	CLI_CMD(cmd, "fabric", fabric_help, "", opts);
	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0) {
		switch (opt) {
		case OPT_DEVICES:
			if (opt_uint("--devices", optarg, 4096, &v) < 0)
				return FC_EXIT_USAGE;
			p.devices = (uint32_t)v;
			break;
		case OPT_CAPACITY:
			if (cli_opt_size("fabric", "--capacity", optarg, &p.capacity) < 0)
				return FC_EXIT_USAGE;
			break;
		case OPT_BLOCK:
			if (cli_opt_size("fabric", "--block", optarg, &p.block_size) < 0)
				return FC_EXIT_USAGE;
			break;
		case OPT_SHARABLE:
			p.sharable = true;
			break;
		case OPT_HOSTS:
			if (opt_uint("--hosts", optarg, 64, &v) < 0)
				return FC_EXIT_USAGE;
			p.hosts = (uint16_t)v;
			break;
		case OPT_PORTS:
			if (opt_uint("--ports", optarg, 4096, &v) < 0)
				return FC_EXIT_USAGE;
			p.ports = (uint32_t)v;
			break;
		case OPT_MAX_EXTENTS:
			if (opt_uint("--max-extents", optarg, UINT_MAX, &v) < 0)
				return FC_EXIT_USAGE;
			p.max_extents = (uint32_t)v;
			break;
		case OPT_MAX_TAGS:
			if (opt_uint("--max-tags", optarg, UINT_MAX, &v) < 0)
				return FC_EXIT_USAGE;
			p.max_tags = (uint32_t)v;
			break;
		}
	}
	if (opt == CLI_EXIT)
		return env->exit;
	if (optind < argc)
		return cli_usage_error("fabric", "unexpected argument '%s'", argv[optind]);
	if (!p.devices)
		return cli_usage_error("fabric", "create: --devices N is required");
	if (!p.capacity)
		return cli_usage_error("fabric", "create: --capacity SIZE is required");
	if (fc_fabric_create(env->ctx, env->fabric, &p) < 0)
		return FC_EXIT_FAILED;
	return FC_EXIT_OK;
}

/* info, tags, call: only the global options. */
static int simple_opts(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	/* options: the global ones only */
	CLI_CMD(cmd, "fabric", fabric_help, "", opts);
	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0)
		;
	if (opt == CLI_EXIT)
		return env->exit;
	if (optind < argc)
		return cli_usage_error("fabric", "unexpected argument '%s'", argv[optind]);
	return cli_env_setup(env) < 0 ? FC_EXIT_FAILED : -1;
}

static int fabric_show(int argc, char **argv, struct cli_env *env, bool tags)
{
	unsigned long flags;
	json_object *doc;
	int rc = simple_opts(argc, argv, env);

	if (rc >= 0)
		return rc;
	flags = env->human ? FC_JSON_HUMAN : 0;
	doc = tags ? fc_fabric_tags_to_json(env->ctx, flags) :
		     fc_fabric_to_json(env->ctx, flags);
	if (!doc)
		return FC_EXIT_FAILED;
	cli_print_json(doc);
	json_object_put(doc);
	return FC_EXIT_OK;
}

static void quiet(struct fc_ctx *ctx, int prio, const char *file, int line,
		  const char *fn, const char *fmt, va_list ap)
{
}

static int fabric_call(int argc, char **argv, struct cli_env *env)
{
	json_tokener *tok;
	json_object *req = NULL, *reply = NULL;
	enum json_tokener_error jerr = json_tokener_continue;
	char buf[65536];
	size_t n;
	int rc = simple_opts(argc, argv, env);

	if (rc >= 0)
		return rc;
	/* the fabric's reasons travel in the reply's "message" */
	if (!env->verbose)
		fc_set_log_fn(env->ctx, quiet);
	tok = json_tokener_new();
	if (!tok)
		return FC_EXIT_FAILED;
	while (!req && (n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		req = json_tokener_parse_ex(tok, buf, (int)n);
		jerr = json_tokener_get_error(tok);
		if (jerr != json_tokener_continue && jerr != json_tokener_success)
			break;
	}
	json_tokener_free(tok);
	if (!req) {
		cli_printf(stderr, "famfsctl fabric call: the request on stdin is not JSON: %s\n",
			jerr == json_tokener_continue ? "unexpected end of input" :
			json_tokener_error_desc(jerr));
		return FC_EXIT_FAILED;
	}
	fc_fabric_call_json(env->ctx, req, &reply);
	json_object_put(req);
	if (!reply)
		return FC_EXIT_FAILED;
	cli_print_json_text(json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN));
	json_object_put(reply);
	return FC_EXIT_OK;
}

int cmd_fabric(int argc, char **argv, struct cli_env *env)
{
	const char *sub;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(fabric_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? FC_EXIT_USAGE : FC_EXIT_OK;
	}
	sub = argv[1];
	argc--;
	argv++;
	if (!strcmp(sub, "create"))
		return fabric_create(argc, argv, env);
	if (!strcmp(sub, "info"))
		return fabric_show(argc, argv, env, false);
	if (!strcmp(sub, "tags"))
		return fabric_show(argc, argv, env, true);
	if (!strcmp(sub, "call"))
		return fabric_call(argc, argv, env);
	return cli_usage_error("fabric", "'%s' is not a fabric command (create, info, tags, call)",
			      sub);
}
