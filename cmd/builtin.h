/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The famfsctl command table and what every builtin shares: the library
 * context, the global options, exit codes and option parsing.
 */
#ifndef FC_BUILTIN_H
#define FC_BUILTIN_H

#include <getopt.h>
#include <stdbool.h>
#include <famfsctl/libfamfsctl.h>

/* Exit codes scripts can rely on (documented in famfsctl(1)). */
enum {
	FC_EXIT_OK = 0,
	FC_EXIT_FAILED = 1, /* the operation failed; stderr says why */
	FC_EXIT_USAGE = 2,  /* bad command line; nothing was done */
};

struct fc_env {
	struct fc_ctx *ctx;
	const char *fabric;   /* --fabric URI, or FAMFSCTL_FABRIC */
	unsigned int host_id; /* --host-id N */
	int verbose;          /* -v count */
	bool human;           /* -u: human units */
};

struct fc_cmd {
	const char *name;
	int (*fn)(int argc, char **argv, struct fc_env *env);
	const char *summary; /* one line for `famfsctl --help` */
};

/*
 * Global options every command also accepts after its name, so both
 * `famfsctl --fabric X list` and `famfsctl list --fabric X` work.
 * Commands put FC_GLOBAL_LONGOPTS in their option table, FC_GLOBAL_SHORTOPTS
 * in their short-option string, and pass unknown options to fc_global_opt().
 */
enum {
	FC_OPT_FABRIC = 0x1000,
	FC_OPT_HOST_ID,
	FC_OPT_HELP,
};
#define FC_GLOBAL_SHORTOPTS "vuh"
#define FC_GLOBAL_LONGOPTS                                                 \
	{ "fabric", required_argument, NULL, FC_OPT_FABRIC },              \
	{ "host-id", required_argument, NULL, FC_OPT_HOST_ID },            \
	{ "verbose", no_argument, NULL, 'v' },                             \
	{ "human", no_argument, NULL, 'u' },                               \
	{ "help", no_argument, NULL, 'h' }
#define FC_GLOBAL_HELP                                                     \
	"      --fabric URI    fabric manager plugin and its argument\n"   \
	"      --host-id N     this host's id on the fabric (default 0)\n"  \
	"  -u, --human         sizes in human units\n"                      \
	"  -v, --verbose       more messages (twice: debug)\n"              \
	"  -h, --help          this help\n"

/*
 * Handle a global option. Returns 0 if handled, 1 for --help (the caller
 * prints its help and exits 0), or -1 on a bad value (message printed).
 */
int fc_global_opt(struct fc_env *env, int opt, const char *arg);
/* Print "famfsctl CMD: MSG" and a hint to --help; returns FC_EXIT_USAGE. */
int fc_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Parse a size option (`--size 64G`); prints the error itself. */
int fc_opt_size(const char *cmd, const char *opt, const char *arg,
		uint64_t *size);
/* Print a JSON document to stdout in the pretty form `cxl list` uses. */
struct json_object;
void fc_print_json(struct json_object *jobj);
/* Apply verbosity to the context (after option parsing). */
void fc_env_apply(struct fc_env *env);
/*
 * Connect the context to what --fabric/--host-id name: the fabric plugin and
 * the host platform that goes with it. Prints the error itself.
 */
int fc_env_setup(struct fc_env *env);

int cmd_alloc(int argc, char **argv, struct fc_env *env);
int cmd_release(int argc, char **argv, struct fc_env *env);
/*
 * This host's identity as famfs master: opt (--system-uuid), else
 * $FAMFSCTL_SYSTEM_UUID, else POLICYDIR/system_uuid (created on first use).
 */
int fc_system_uuid(const char *opt, uuid_t out);
/* A named interleave set: one word, no '/', ',' or '=' (else member paths). */
bool fc_is_set_name(const char *arg);

int cmd_mkdir(int argc, char **argv, struct fc_env *env);
int cmd_creat(int argc, char **argv, struct fc_env *env);
int cmd_cp(int argc, char **argv, struct fc_env *env);
int cmd_cat(int argc, char **argv, struct fc_env *env);
int cmd_mount(int argc, char **argv, struct fc_env *env);
int cmd_umount(int argc, char **argv, struct fc_env *env);
/* Mount set at mountpoint (mode auto|fuse|kernel); returns an exit code. */
int fc_mount_set(struct fc_env *env, const char *set, const char *mountpoint,
		 const char *mode, unsigned int refresh_ms, bool foreground, const char *sys);
int fc_umount(const char *mountpoint);
int cmd_up(int argc, char **argv, struct fc_env *env);
int cmd_down(int argc, char **argv, struct fc_env *env);
/* Shared by up, down and udev (up.c). */
unsigned int fc_members_here(struct fc_ctx *ctx, const uuid_t group);
int fc_mounted(const char *set, const char *mp); /* 1 live, -1 dead server, 0 none */
bool fc_have_set(struct fc_ctx *ctx, const char *name);
int fc_probe_fs(struct fc_ctx *ctx, const char *name);
int fc_mount_child(struct fc_env *env, const char *name, const char *mp,
		   struct fc_policy *p, const char *sys, int lock_fd);
int cmd_udev(int argc, char **argv, struct fc_env *env);
int cmd_interleave(int argc, char **argv, struct fc_env *env);
int cmd_fabric(int argc, char **argv, struct fc_env *env);
int cmd_list(int argc, char **argv, struct fc_env *env);
int cmd_policy(int argc, char **argv, struct fc_env *env);
int cmd_format(int argc, char **argv, struct fc_env *env);
int cmd_fsck(int argc, char **argv, struct fc_env *env);

#endif /* FC_BUILTIN_H */
