// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl list: this host's CXL memory devices, DC extents, dax regions and
 * dax devices as one JSON document, in the shape `cxl list` uses: a single
 * kind prints as an array, several kinds as an object of arrays, nothing as
 * [].
 */
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "cmd/builtin.h"

static const char list_help[] =
	"usage: famfsctl list [-M] [-E] [-R] [-X] [-A] [-u]\n\n"
	"Print this host's topology as JSON. With no selector, everything that\n"
	"exists; with selectors, only those kinds.\n\n"
	"  -M, --memdevs       memory devices (DC partition name and size)\n"
	"  -E, --extents       dynamic-capacity extents (offset, length, tag)\n"
	"  -R, --regions       dax regions\n"
	"  -X, --daxdevs       dax devices (size, mode, claimed tag)\n"
	"  -A, --allocations   tagged allocations (memdev, size, dax device, group,\n"
	"                      member) and the allocation groups they form\n"
	CLI_GLOBAL_HELP;

enum { SEL_MEMDEVS = 1, SEL_EXTENTS = 2, SEL_REGIONS = 4, SEL_DAXDEVS = 8,
       SEL_ALLOCS = 16, SEL_GROUPS = 32 };

struct section {
	const char *key;
	int sel;
	struct json_object *arr;
};

static int fill(struct fc_ctx *ctx, struct section *s, unsigned long flags)
{
	struct json_object *o;

	switch (s->sel) {
	case SEL_MEMDEVS: {
		struct fc_memdev *m;

		fc_memdev_foreach(ctx, m) {
			if (!(o = fc_memdev_to_json(m, flags)))
				return -1;
			json_object_array_add(s->arr, o);
		}
		break;
	}
	case SEL_EXTENTS: {
		struct fc_extent *e;

		fc_extent_foreach(ctx, e) {
			if (!(o = fc_extent_to_json(e, flags)))
				return -1;
			json_object_array_add(s->arr, o);
		}
		break;
	}
	case SEL_REGIONS: {
		struct fc_dax_region *r;

		fc_dax_region_foreach(ctx, r) {
			if (!(o = fc_dax_region_to_json(r, flags)))
				return -1;
			json_object_array_add(s->arr, o);
		}
		break;
	}
	case SEL_DAXDEVS: {
		struct fc_dax_dev *d;

		fc_dax_dev_foreach(ctx, d) {
			if (!(o = fc_dax_dev_to_json(d, flags)))
				return -1;
			json_object_array_add(s->arr, o);
		}
		break;
	}
	case SEL_ALLOCS:
	case SEL_GROUPS: {
		struct json_object *all = fc_allocations_to_json(ctx, flags), *arr;

		if (!all)
			return -1;
		if (json_object_object_get_ex(all, s->key, &arr)) {
			json_object_put(s->arr);
			s->arr = json_object_get(arr);
		}
		json_object_put(all);
		break;
	}
	}
	return 0;
}

int cmd_list(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "memdevs", no_argument, NULL, 'M' },
		{ "extents", no_argument, NULL, 'E' },
		{ "regions", no_argument, NULL, 'R' },
		{ "daxdevs", no_argument, NULL, 'X' },
		{ "allocations", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	struct section sections[] = {
		{ "memdevs", SEL_MEMDEVS, NULL },
		{ "extents", SEL_EXTENTS, NULL },
		{ "dax_regions", SEL_REGIONS, NULL },
		{ "daxdevs", SEL_DAXDEVS, NULL },
		{ "allocations", SEL_ALLOCS, NULL },
		{ "groups", SEL_GROUPS, NULL },
	};
	struct json_object *doc = NULL, *only = NULL;
	int opt, sel = 0, nonempty = 0, rc = FC_EXIT_FAILED;
	unsigned long flags;

	CLI_CMD(cmd, "list", list_help, "MERXA", opts);
	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0) {
		switch (opt) {
		case 'M': sel |= SEL_MEMDEVS; break;
		case 'E': sel |= SEL_EXTENTS; break;
		case 'R': sel |= SEL_REGIONS; break;
		case 'X': sel |= SEL_DAXDEVS; break;
		case 'A': sel |= SEL_ALLOCS | SEL_GROUPS; break;
		}
	}
	if (opt == CLI_EXIT)
		return env->exit;
	if (optind < argc)
		return cli_usage_error("list", "unexpected argument '%s'", argv[optind]);
	if (cli_env_setup(env) < 0)
		return FC_EXIT_FAILED;
	flags = env->human ? FC_JSON_HUMAN : 0;

	/* A scan failure is an error; an empty topology is not. */
	if (fc_refresh(env->ctx) < 0) {
		cli_printf(stderr, "famfsctl list: cannot read the topology\n");
		return FC_EXIT_FAILED;
	}
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		struct section *s = &sections[i];

		if (sel && !(sel & s->sel))
			continue;
		s->arr = json_object_new_array();
		if (!s->arr || fill(env->ctx, s, flags) < 0)
			goto out;
		if (json_object_array_length(s->arr) == 0)
			continue;
		nonempty++;
		only = s->arr;
	}
	if (nonempty == 0) {
		doc = json_object_new_array();
	} else if (nonempty == 1) {
		doc = json_object_get(only);
	} else {
		doc = json_object_new_object();
		for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
			if (sections[i].arr && json_object_array_length(sections[i].arr))
				json_object_object_add(doc, sections[i].key,
						       json_object_get(sections[i].arr));
	}
	cli_print_json(doc);
	rc = FC_EXIT_OK;
out:
	json_object_put(doc);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		json_object_put(sections[i].arr);
	return rc;
}
