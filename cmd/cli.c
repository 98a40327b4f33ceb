// SPDX-License-Identifier: GPL-2.0-only
/*
 * Option tables, the global options, messages and JSON output for every
 * famfsctl command (cli.h says how a command uses them).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <json-c/json.h>
#include "cmd/cli.h"
#include "util/text.h"

enum {
	CLI_OPT_FABRIC = 0x1000,
	CLI_OPT_HOST_ID,
	CLI_OPT_VERSION,
};

/* The one definition of the global options. */
#define CLI_GLOBAL_SHORTOPTS "vuh"
static const struct option global_opts[] = {
	{ "fabric", required_argument, NULL, CLI_OPT_FABRIC },
	{ "host-id", required_argument, NULL, CLI_OPT_HOST_ID },
	{ "verbose", no_argument, NULL, 'v' },
	{ "human", no_argument, NULL, 'u' },
	{ "help", no_argument, NULL, 'h' },
};
#define NGLOBAL (sizeof(global_opts) / sizeof(global_opts[0]))
#define MAX_LONGOPTS 64

int cli_vprintf(FILE *f, const char *fmt, va_list ap)
{
	char *text, *safe;
	size_t len;
	int n = vasprintf(&text, fmt, ap);

	if (n < 0)
		return n;
	len = strlen(text) * 4 + 1; /* each byte at most \xNN */
	safe = malloc(len);
	if (!safe) {
		free(text);
		return -1;
	}
	n = fputs(util_escape_ctl(text, safe, len), f);
	free(safe);
	free(text);
	return n;
}

int cli_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = cli_vprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	cli_printf(stderr, "famfsctl %s: ", cmd);
	va_start(ap, fmt);
	cli_vprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cli_printf(stderr, "Try 'famfsctl %s --help'.\n", cmd);
	return FC_EXIT_USAGE;
}

int cli_opt_size(const char *cmd, const char *opt, const char *arg, uint64_t *size)
{
	int rc = fc_parse_size(arg, size);

	if (rc == -ERANGE)
		cli_usage_error(cmd, "%s: '%s' is too large", opt, arg);
	else if (rc < 0)
		cli_usage_error(cmd, "%s: '%s' is not a size in whole bytes (examples: 64G, 1.5G, 2MiB, 0x200000)",
				opt, arg);
	return rc;
}

int cli_opt_uint(const char *cmd, const char *opt, const char *arg, unsigned long min,
		 unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || arg[0] == ' ' || v < min || v > max) {
		cli_usage_error(cmd, "%s: '%s' is not a whole number from %lu to %lu", opt, arg,
				min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* A global option: 0 handled, 1 --help, -1 a bad value (message printed). */
static int global_opt(struct cli_env *env, int opt, const char *arg)
{
	unsigned long v;
	char *end;

	switch (opt) {
	case CLI_OPT_FABRIC:
		env->fabric = arg;
		return 0;
	case CLI_OPT_HOST_ID:
		errno = 0;
		v = strtoul(arg, &end, 10);
		/* digits only: no sign, no blanks on either side */
		if (errno || *end || arg[0] < '0' || arg[0] > '9' || v > 0xffff) {
			cli_printf(stderr, "famfsctl: --host-id: '%s' is not a host id (0..65535)\n",
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

/* Verbosity from -v, applied once the options are read. */
static void env_apply(struct cli_env *env)
{
	if (!env->ctx)
		return;
	if (env->verbose == 1 && fc_get_log_priority(env->ctx) < LOG_INFO)
		fc_set_log_priority(env->ctx, LOG_INFO);
	else if (env->verbose > 1)
		fc_set_log_priority(env->ctx, LOG_DEBUG);
}

/* The command's long options followed by the global ones. */
static const struct option *merged_longopts(const struct cli_cmd *cmd)
{
	static struct option merged[MAX_LONGOPTS + NGLOBAL + 1];
	size_t n = 0;

	for (const struct option *o = cmd->longopts; o && o->name && n < MAX_LONGOPTS; o++)
		merged[n++] = *o;
	for (size_t i = 0; i < NGLOBAL; i++)
		merged[n++] = global_opts[i];
	memset(&merged[n], 0, sizeof(merged[n]));
	return merged;
}

int cli_getopt(struct cli_env *env, const struct cli_cmd *cmd, int argc, char **argv)
{
	char shortopts[64];
	int opt, rc;

	snprintf(shortopts, sizeof(shortopts), "%s%s" CLI_GLOBAL_SHORTOPTS,
		 cmd->shortopts && cmd->shortopts[0] == '+' ? "+" : "",
		 cmd->shortopts ? cmd->shortopts + (cmd->shortopts[0] == '+') : "");
	for (;;) {
		opt = getopt_long(argc, argv, shortopts, merged_longopts(cmd), NULL);
		if (opt == -1) {
			env_apply(env);
			return CLI_DONE;
		}
		if (opt == '?' || opt == ':') {
			/* getopt said which option; the top level prints its usage */
			env->exit = cmd->help ? cli_usage_error(cmd->name, "bad option") :
				    FC_EXIT_USAGE;
			return CLI_EXIT;
		}
		if ((opt > 0xff || !strchr(CLI_GLOBAL_SHORTOPTS, opt)) && opt != CLI_OPT_FABRIC &&
		    opt != CLI_OPT_HOST_ID)
			return opt; /* the command's */
		rc = global_opt(env, opt, optarg);
		if (rc == 1) {
			if (cmd->help)
				fputs(cmd->help, stdout); /* it ends with CLI_GLOBAL_HELP */
			env->exit = FC_EXIT_OK;
			return CLI_EXIT;
		}
		if (rc < 0) {
			env->exit = FC_EXIT_USAGE;
			return CLI_EXIT;
		}
	}
}

int cli_main_options(struct cli_env *env, int argc, char **argv, void (*usage)(FILE *))
{
	static const struct option opts[] = {
		{ "version", no_argument, NULL, CLI_OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	/* no help text: the caller's usage() lists the commands */
	static const struct cli_cmd top = { "famfsctl", NULL, "+", opts };
	int opt;

	while ((opt = cli_getopt(env, &top, argc, argv)) > 0) {
		if (opt == CLI_OPT_VERSION) {
			printf("famfsctl %s\n", PACKAGE_VERSION);
			env->exit = FC_EXIT_OK;
			return CLI_EXIT;
		}
	}
	if (opt == CLI_EXIT) {
		usage(env->exit == FC_EXIT_OK ? stdout : stderr);
		return CLI_EXIT;
	}
	return CLI_DONE;
}

int cli_env_setup(struct cli_env *env)
{
	/* the library said why it failed */
	return fc_set_fabric(env->ctx, env->fabric, env->host_id) < 0 ? -1 : 0;
}

void cli_print_json(struct json_object *jobj)
{
	/* json-c pretty-prints an empty array over two lines; scripts expect [] */
	if (json_object_is_type(jobj, json_type_array) &&
	    json_object_array_length(jobj) == 0) {
		printf("[]\n");
		return;
	}
	cli_print_json_text(json_object_to_json_string_ext(jobj,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE));
}

void cli_print_json_text(const char *text)
{
	/* names, paths and values are bytes: what is printed is UTF-8 */
	char *valid = util_utf8_dup(text);

	printf("%s\n", valid ? valid : "null");
	free(valid);
}
