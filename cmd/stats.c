// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl stats [SET]: the library's statistics (lib/stats.c) as JSON, or
 * in the Prometheus text exposition format (version 0.0.4) for
 * node_exporter's textfile collector. Every metric is a gauge; a metric's
 * samples are printed together, after its HELP and TYPE lines.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include <famfsctl/stats.h>
#include "config.h"
#include "cmd/builtin.h"
#include "util/members.h"

static const char stats_help[] =
	"usage: famfsctl stats [--prometheus] [-o FILE] [-u] [SET]\n\n"
	"Statistics of this host's interleave sets (or SET) and the fabric's\n"
	"devices, as JSON. Per set: members expected and present, capacity, used\n"
	"and free bytes, files, directories, log entries used and the log's\n"
	"capacity, the mount (point, portable|famfs, ro|rw), the last fsck verdict\n"
	"(famfsctl fsck records it). Per fabric device: capacity, allocated, free\n"
	"bytes and tags.\n\n"
	"      --prometheus    the Prometheus text format (node_exporter textfile)\n"
	"  -o, --output FILE   write to FILE atomically (FILE.tmp, then renamed)\n"
	CLI_GLOBAL_HELP
	"See famfsctl-stats(1).\n";

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* A label value or HELP text escaped as the exposition format wants:
 * backslash and newline always, the double quote inside label values. */
static void put_escaped(FILE *f, const char *s, bool label)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '"' && label)
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

enum source { SETS, DEVICES };

struct metric {
	const char *name, *help;
	enum source from;
	const char *key;       /* the JSON field; NULL: computed (see value()) */
};

static const struct metric metrics[] = {
	{ "famfsctl_set_members_expected", "Members the interleave set has.", SETS, "members_expected" },
	{ "famfsctl_set_members_present", "Members of the set with a dax device on this host.", SETS, "members_present" },
	{ "famfsctl_set_formatted", "1 when the set's famfs file system opens, else 0.", SETS, NULL },
	{ "famfsctl_set_capacity_bytes", "Bytes over all members of the file system.", SETS, "capacity" },
	{ "famfsctl_set_used_bytes", "Bytes allocated: superblocks, log and files.", SETS, "used" },
	{ "famfsctl_set_free_bytes", "Bytes not allocated.", SETS, "free" },
	{ "famfsctl_set_files", "Files in the file system.", SETS, "files" },
	{ "famfsctl_set_directories", "Directories in the file system, the root not counted.", SETS, "directories" },
	{ "famfsctl_set_log_entries_used", "Metadata log entries used.", SETS, "log_entries_used" },
	{ "famfsctl_set_log_entries_capacity", "Metadata log entries the log holds.", SETS, "log_entries" },
	{ "famfsctl_set_mounted", "1 when the set is mounted on this host (labels: where, portable|famfs, ro|rw).", SETS, NULL },
	{ "famfsctl_set_fsck_clean", "1 when the last fsck found the file system clean (label: its verdict).", SETS, NULL },
	{ "famfsctl_set_fsck_timestamp_seconds", "When the last fsck ran, seconds since the epoch.", SETS, NULL },
	{ "famfsctl_set_fsck_problems", "Problems the last fsck reported.", SETS, NULL },
	{ "famfsctl_device_capacity_bytes", "Dynamic capacity of the fabric device.", DEVICES, "capacity" },
	{ "famfsctl_device_allocated_bytes", "Capacity of the device allocated under tags.", DEVICES, "allocated" },
	{ "famfsctl_device_free_bytes", "Capacity of the device free to allocate.", DEVICES, "free" },
	{ "famfsctl_device_tags", "Tags (allocations) on the device.", DEVICES, "tags" },
};

static const char *str(json_object *o, const char *key)
{
	json_object *v = get(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

/* Print the sample of metric m for object o, if it has one. */
static void sample(FILE *f, const struct metric *m, json_object *o)
{
	json_object *v = m->key ? get(o, m->key) : NULL, *fsck = get(o, "fsck");
	const char *name = m->name;
	bool extra = false;
	char value[32];

	if (m->key) {
		if (!v)
			return; /* not known for this object (no file system) */
		snprintf(value, sizeof(value), "%llu", (unsigned long long)json_object_get_uint64(v));
	} else if (!strcmp(name, "famfsctl_set_formatted")) {
		snprintf(value, sizeof(value), "%d", json_object_get_boolean(get(o, "formatted")));
	} else if (!strcmp(name, "famfsctl_set_mounted")) {
		snprintf(value, sizeof(value), "%d", json_object_get_boolean(get(o, "mounted")));
		extra = true;
	} else {
		if (!fsck)
			return; /* never checked */
		if (!strcmp(name, "famfsctl_set_fsck_clean"))
			snprintf(value, sizeof(value), "%d", !strcmp(str(fsck, "verdict"), "clean"));
		else
			snprintf(value, sizeof(value), "%lld", (long long)json_object_get_int64(
				get(fsck, strstr(name, "timestamp") ? "time" : "problems")));
		extra = !strcmp(name, "famfsctl_set_fsck_clean");
	}
	fprintf(f, "%s{", name);
	if (m->from == SETS) {
		fputs("set=\"", f);
		put_escaped(f, str(o, "name"), true);
		fputc('"', f);
	} else {
		fprintf(f, "device=\"%d\",name=\"", json_object_get_int(get(o, "device")));
		put_escaped(f, str(o, "name"), true);
		fputc('"', f);
	}
	if (extra && fsck && strstr(name, "fsck")) {
		fputs(",verdict=\"", f);
		put_escaped(f, str(fsck, "verdict"), true);
		fputc('"', f);
	} else if (extra) {
		static const char *const labels[][2] = {
			{ "mount_point", "mount_point" }, { "mode", "mount_mode" },
			{ "access", "mount_access" },
		};

		for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
			fprintf(f, ",%s=\"", labels[i][0]);
			put_escaped(f, str(o, labels[i][1]), true);
			fputc('"', f);
		}
	}
	fprintf(f, "} %s\n", value);
}

static void prometheus(FILE *f, json_object *stats)
{
	for (size_t i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++) {
		const struct metric *m = &metrics[i];
		json_object *arr = get(stats, m->from == SETS ? "sets" : "devices");

		fprintf(f, "# HELP %s ", m->name);
		put_escaped(f, m->help, false);
		fprintf(f, "\n# TYPE %s gauge\n", m->name);
		for (size_t j = 0; arr && j < json_object_array_length(arr); j++)
			sample(f, m, json_object_array_get_idx(arr, j));
	}
	fprintf(f, "# HELP famfsctl_stats_info famfsctl's version (always 1).\n"
		   "# TYPE famfsctl_stats_info gauge\n"
		   "famfsctl_stats_info{version=\"%s\"} 1\n", PACKAGE_VERSION);
}

int cmd_stats(int argc, char **argv, struct cli_env *env)
{
	enum { OPT_PROM = 0x6000 };
	static const struct option opts[] = {
		{ "prometheus", no_argument, NULL, OPT_PROM },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *set = NULL;
	char tmp[4096];
	bool prom = false;
	json_object *stats = NULL;
	FILE *f = stdout;
	int opt, rc = FC_EXIT_FAILED;

	CLI_CMD(cmd, "stats", stats_help, "o:", opts);
	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0) {
		if (opt == OPT_PROM)
			prom = true;
		else if (opt == 'o')
			output = optarg;
	}
	if (opt == CLI_EXIT)
		return env->exit;
	if (argc - optind > 1)
		return cli_usage_error("stats", "give at most one SET");
	if (argc - optind == 1) {
		set = argv[optind];
		if (!util_is_set_name(set))
			return cli_usage_error("stats", "'%s' is not a set name", set);
	}
	if (cli_env_setup(env) < 0)
		return FC_EXIT_FAILED;
	if (fc_stats_collect(env->ctx, set, prom || !env->human ? 0 : FC_JSON_HUMAN, &stats) < 0)
		return FC_EXIT_FAILED;
	if (output) {
		if (snprintf(tmp, sizeof(tmp), "%s.tmp", output) >= (int)sizeof(tmp)) {
			cli_printf(stderr, "famfsctl stats: %s: path too long\n", output);
			goto out;
		}
		f = fopen(tmp, "we");
		if (!f) {
			cli_printf(stderr, "famfsctl stats: cannot write %s: %m\n", tmp);
			goto out;
		}
	}
	if (prom)
		prometheus(f, stats);
	else if (f == stdout)
		cli_print_json(stats);
	else
		fprintf(f, "%s\n", json_object_to_json_string_ext(stats, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_SPACED));
	rc = FC_EXIT_OK;
	if (output && (fclose(f) != 0 || rename(tmp, output) < 0)) {
		cli_printf(stderr, "famfsctl stats: cannot write %s: %m\n", output);
		unlink(tmp);
		rc = FC_EXIT_FAILED;
	}
out:
	json_object_put(stats);
	return rc;
}
