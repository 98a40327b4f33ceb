/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The famfsctl commands: cmd_NAME is in cmd/NAME.c, documented in
 * man/famfsctl-NAME.N. What they share is cmd/cli.h.
 */
#ifndef FC_BUILTIN_H
#define FC_BUILTIN_H

#include <stdbool.h>
#include <famfsctl/libfamfsctl.h>
#include "cmd/cli.h"

struct cmd_entry {
	const char *name;
	int (*fn)(int argc, char **argv, struct cli_env *env);
	const char *summary; /* one line for `famfsctl --help` */
};

int cmd_alloc(int argc, char **argv, struct cli_env *env);
int cmd_release(int argc, char **argv, struct cli_env *env);

int cmd_mkdir(int argc, char **argv, struct cli_env *env);
int cmd_creat(int argc, char **argv, struct cli_env *env);
int cmd_cp(int argc, char **argv, struct cli_env *env);
int cmd_cat(int argc, char **argv, struct cli_env *env);
int cmd_getmap(int argc, char **argv, struct cli_env *env);
int cmd_run(int argc, char **argv, struct cli_env *env);
int cmd_ls(int argc, char **argv, struct cli_env *env);
int cmd_stats(int argc, char **argv, struct cli_env *env);
int cmd_mount(int argc, char **argv, struct cli_env *env);
int cmd_umount(int argc, char **argv, struct cli_env *env);
int cmd_up(int argc, char **argv, struct cli_env *env);
int cmd_down(int argc, char **argv, struct cli_env *env);
int cmd_udev(int argc, char **argv, struct cli_env *env);
int cmd_interleave(int argc, char **argv, struct cli_env *env);
int cmd_fabric(int argc, char **argv, struct cli_env *env);
int cmd_list(int argc, char **argv, struct cli_env *env);
int cmd_policy(int argc, char **argv, struct cli_env *env);
int cmd_format(int argc, char **argv, struct cli_env *env);
int cmd_fsck(int argc, char **argv, struct cli_env *env);

#endif /* FC_BUILTIN_H */
