/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every famfsctl command shares: the environment (library context and
 * global options), option parsing through tables, exit codes, messages and
 * JSON output.
 *
 * A command lists only its own options; cli_getopt() adds the global ones
 * (one definition, CLI_GLOBAL_OPTIONS), handles them and --help, and
 * reports bad options, so no command has a switch for them:
 *
 *	static const struct option opts[] = { { "force", no_argument, NULL, 'f' }, {} };
 *	CLI_CMD(cmd, "format", format_help, "f", opts);
 *	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0)
 *		switch (opt) { case 'f': force = true; break; }
 *	if (opt == CLI_EXIT)
 *		return env->exit;
 *	... operands from argv[optind] ...
 */
#ifndef CMD_CLI_H
#define CMD_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <famfsctl/libfamfsctl.h>

/* Exit codes scripts can rely on (documented in famfsctl(1)). */
enum {
	FC_EXIT_OK = 0,
	FC_EXIT_FAILED = 1, /* the operation failed; stderr says why */
	FC_EXIT_USAGE = 2,  /* bad command line; nothing was done */
};

struct cli_env {
	struct fc_ctx *ctx;
	const char *fabric;   /* --fabric URI, or FAMFSCTL_FABRIC */
	unsigned int host_id; /* --host-id N */
	int verbose;          /* -v count */
	bool human;           /* -u: human units */
	int exit;             /* when cli_getopt() returns CLI_EXIT: the exit code */
};

/* A command's option table: its own options only. */
struct cli_cmd {
	const char *name;              /* "format", "policy check": for messages */
	const char *help;              /* printed by --help; lists CLI_GLOBAL_HELP too */
	const char *shortopts;         /* its short options ("f", "s:m:"); a leading
					* '+' stops at the first operand (subcommands) */
	const struct option *longopts; /* its long options, ending with { 0 }; may be NULL */
};

/* Declare a command's table: CLI_CMD(cmd, "format", format_help, "f", opts). */
#define CLI_CMD(var, name, help, shortopts, longopts) \
	static const struct cli_cmd var = { name, help, shortopts, longopts }

/* The global options: accepted before the command name and after it. */
#define CLI_GLOBAL_HELP                                                    \
	"      --fabric URI    fabric manager plugin and its argument\n"   \
	"      --host-id N     this host's id on the fabric (default 0)\n"  \
	"  -u, --human         sizes in human units\n"                      \
	"  -v, --verbose       more messages (twice: debug)\n"              \
	"  -h, --help          this help\n"

enum { CLI_DONE = 0, CLI_EXIT = -1 };
/*
 * The next of the command's options (its `val`), CLI_DONE when the options
 * end (operands from argv[optind]; the verbosity is applied), or CLI_EXIT
 * when the command should stop with env->exit: after --help (0), or a bad
 * option or value (the message is printed; FC_EXIT_USAGE). optarg holds the
 * option's argument.
 */
int cli_getopt(struct cli_env *env, const struct cli_cmd *cmd, int argc, char **argv);
/* The top level: global options before the command name (and --version). */
int cli_main_options(struct cli_env *env, int argc, char **argv, void (*usage)(FILE *));

/* Print "famfsctl CMD: MSG" and a hint to --help; returns FC_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Parse a size option (`--size 64G`); prints the error itself. */
int cli_opt_size(const char *cmd, const char *opt, const char *arg, uint64_t *size);
/* Parse a whole number in [min, max] for an option; prints the error itself. */
int cli_opt_uint(const char *cmd, const char *opt, const char *arg, unsigned long min,
		 unsigned long max, unsigned long *out);
/*
 * fprintf for text famfsctl shows: the whole text with control characters
 * (but tabs and a final newline) written as \xNN (util_escape_ctl), so a
 * name from the media, a policy, an FM reply or the command line cannot
 * forge a line or move the terminal's cursor. Every message and text line
 * cmd/ prints goes through it (JSON has its own escaping).
 */
int cli_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_vprintf(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Print a JSON document to stdout in the pretty form `cxl list` uses. */
struct json_object;
void cli_print_json(struct json_object *jobj);
/* Print JSON text as valid UTF-8 (bad bytes become U+FFFD), with a newline. */
void cli_print_json_text(const char *text);
/*
 * Connect the context to what --fabric/--host-id name: the fabric plugin and
 * the host platform that goes with it. Prints the error itself; 0 or -1.
 */
int cli_env_setup(struct cli_env *env);

/* ---- shared by several commands ---- */

/* SET:/path operands (files.c): split one into set[] and the path after
 * the colon; open the file system of SET (a set's name or member paths
 * PRIMARY,MEMBER,...), as master to write. Both print the error. */
#define SET_MAX 1024
#define CLI_PATH_MAX 4096
int cli_split_path(const char *cmd, const char *arg, char set[SET_MAX], char path[CLI_PATH_MAX],
		   bool *slash);
struct fc_famfs;
int cli_open_famfs(struct cli_env *env, const char *set, bool write, const char *sys,
		   struct fc_famfs **fs);


/* Mount set at mountpoint (mode auto|portable|famfs, or the old fuse|kernel);
 * returns an exit code. */
int cli_mount_set(struct cli_env *env, const char *set, const char *mountpoint,
		 const char *mode, unsigned int refresh_ms, bool foreground, const char *sys);
int cli_umount(const char *mountpoint);

/* Mount a policy\'s set in a child; the server keeps serving (mount.c). */
int cli_mount_child(struct cli_env *env, const char *name, const char *mp,
		   struct fc_policy *p, const char *sys, int lock_fd);

#endif /* CMD_CLI_H */
