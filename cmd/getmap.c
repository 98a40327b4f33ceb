// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl getmap SET:/path: a file's map as JSON, as famfs's getmap shows
 * one (size, chunk, strips; per extent its member, tag, device and range),
 * with where each member's bytes sit in a file this host can map -- what a
 * direct map (fc_famfs_map, famfsctl run) maps.
 */
#include <stdio.h>
#include <json-c/json.h>
#include "cmd/builtin.h"

static const char getmap_help[] =
	"usage: famfsctl getmap [-u] SET:/file\n\n"
	"Print the map of a file in the famfs over interleave set SET (or member\n"
	"paths PRIMARY,MEMBER,...:/file) as JSON: size, type (simple or interleaved),\n"
	"chunk, strips; for each extent or strip its member index, the member's tag,\n"
	"its device on this host, offset and length on the member; for each member\n"
	"the file that holds its bytes here (devdax device, member file, simulated\n"
	"device's backing file) and where. This is what a direct map maps.\n\n"
	CLI_GLOBAL_HELP
	"See famfsctl-getmap(1).\n";

int cmd_getmap(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	struct fc_famfs *fs;
	json_object *j;
	char set[SET_MAX];
	char path[CLI_PATH_MAX];
	bool slash;
	int opt;

	/* options: the global ones only */
	CLI_CMD(cmd, "getmap", getmap_help, "", opts);
	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0)
		;
	if (opt == CLI_EXIT)
		return env->exit;
	if (argc - optind != 1)
		return cli_usage_error("getmap", "give one SET:/file");
	if (cli_split_path("getmap", argv[optind], set, path, &slash) < 0)
		return FC_EXIT_USAGE;
	if (slash)
		return cli_usage_error("getmap", "'%s': a file's path does not end in '/'", argv[optind]);
	if (cli_open_famfs(env, set, false, NULL, &fs) < 0)
		return FC_EXIT_FAILED;
	j = fc_famfs_map_to_json(fs, path, env->human ? FC_JSON_HUMAN : 0);
	fc_famfs_close(fs);
	if (!j)
		return FC_EXIT_FAILED;
	cli_print_json(j);
	json_object_put(j);
	return FC_EXIT_OK;
}
