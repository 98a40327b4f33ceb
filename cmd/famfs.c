// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl format | fsck: famfs over the members of a set.
 *
 * A SET is the name of an interleave set (famfsctl interleave: members
 * found on this host by tag), or its members spelled out: comma-separated
 * paths (dax devices or files), the primary first, each optionally
 * PATH=TAG to give its identity.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cmd/builtin.h"

#define MAX_MEMBERS 255

bool fc_is_set_name(const char *arg)
{
	return *arg && !strpbrk(arg, "/,=:") && strlen(arg) < 64;
}

struct set {
	unsigned int n;
	char *paths[MAX_MEMBERS];
	uuid_t tags[MAX_MEMBERS];
	bool tagged[MAX_MEMBERS];
	char *buf;
};

static void free_set(struct set *s)
{
	free(s->buf);
}

/* Split "a=TAG,b,c" (possibly over several arguments) into members. */
static int parse_set(const char *cmd, int argc, char **argv, struct set *s)
{
	size_t len = 0;
	char *p;

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s->buf = calloc(1, len + 1);
	if (!s->buf)
		return -ENOMEM;
	for (int i = 0; i < argc; i++) {
		strcat(s->buf, argv[i]);
		strcat(s->buf, ",");
	}
	for (p = strtok(s->buf, ","); p; p = strtok(NULL, ",")) {
		char *eq = strchr(p, '=');

		if (s->n == MAX_MEMBERS)
			return fc_usage_error(cmd, "more than %d members", MAX_MEMBERS);
		if (eq) {
			*eq = '\0';
			if (uuid_parse(eq + 1, s->tags[s->n]) < 0)
				return fc_usage_error(cmd, "%s: '%s' is not a UUID", p, eq + 1);
			s->tagged[s->n] = true;
		}
		s->paths[s->n++] = p;
	}
	if (!s->n)
		return fc_usage_error(cmd, "no members given");
	return 0;
}

/*
 * This host's identity as famfs master: --system-uuid, FAMFSCTL_SYSTEM_UUID,
 * or POLICYDIR/system_uuid (created on first use, as famfs keeps its own).
 */
int fc_system_uuid(const char *opt, uuid_t out)
{
	const char *env = getenv("FAMFSCTL_SYSTEM_UUID");
	const char *path = POLICYDIR "/system_uuid";
	char buf[64] = "";
	FILE *f;

	if (opt || (env && *env)) {
		if (uuid_parse(opt ? opt : env, out) == 0)
			return 0;
		fprintf(stderr, "famfsctl: system uuid '%s' is not a UUID\n", opt ? opt : env);
		return -EINVAL;
	}
	f = fopen(path, "re");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
		buf[strcspn(buf, "\n")] = '\0';
		if (uuid_parse(buf, out) == 0)
			return 0;
		fprintf(stderr, "famfsctl: %s does not hold a UUID\n", path);
		return -EINVAL;
	}
	uuid_generate(out);
	uuid_unparse_lower(out, buf);
	f = fopen(path, "wxe");
	if (!f || fprintf(f, "%s\n", buf) < 0 || fclose(f) != 0) {
		fprintf(stderr, "famfsctl: cannot create %s: %m (give --system-uuid)\n", path);
		return -errno;
	}
	return 0;
}

static const char format_help[] =
	"usage: famfsctl format [--log-size SIZE] [--force] [--system-uuid UUID]\n"
	"                       SETNAME | PRIMARY[=TAG][,MEMBER[=TAG]]...\n\n"
	"SETNAME is an interleave set (famfsctl interleave): its members, found by\n"
	"tag, each identified by its tag.\n"
	"Format famfs across the members: the first is the primary (superblock and\n"
	"log, at least 4 GiB), each further member gets a secondary superblock and\n"
	"an ADD_DAXDEV log entry. Members are dax devices or files; TAG is the\n"
	"member's identity (its DCD tag), generated when not given. Writes are\n"
	"ordered so a crash leaves no file system or a complete one. Prints the\n"
	"new file system as JSON (the fsck report).\n\n"
	"      --log-size SIZE   metadata log, a power of two >= 8M (default 8M)\n"
	"  -f, --force           overwrite members that hold a famfs superblock\n"
	"      --system-uuid U   the master host's identity (default: $FAMFSCTL_SYSTEM_UUID,\n"
	"                        else " POLICYDIR "/system_uuid, created on first use)\n"
	FC_GLOBAL_HELP;

int cmd_format(int argc, char **argv, struct fc_env *env)
{
	static const struct option opts[] = {
		{ "log-size", required_argument, NULL, 'L' },
		{ "force", no_argument, NULL, 'f' },
		{ "system-uuid", required_argument, NULL, 'S' },
		FC_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct fc_famfs_format_opts o = { .log_len = 8ULL << 20 };
	const char *sys = NULL;
	struct json_object *report = NULL;
	struct set s;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "f" FC_GLOBAL_SHORTOPTS, opts, NULL)) != -1) {
		switch (opt) {
		case 'L':
			if (fc_opt_size("format", "--log-size", optarg, &o.log_len) < 0)
				return FC_EXIT_USAGE;
			break;
		case 'f': o.force = true; break;
		case 'S': sys = optarg; break;
		default:
			switch (fc_global_opt(env, opt, optarg)) {
			case 0: break;
			case 1: fputs(format_help, stdout); return FC_EXIT_OK;
			default: return fc_usage_error("format", "bad option");
			}
		}
	}
	fc_env_apply(env);
	rc = parse_set("format", argc - optind, argv + optind, &s);
	if (rc) {
		free_set(&s);
		return rc > 0 ? rc : FC_EXIT_FAILED;
	}
	for (unsigned int i = 0; i < s.n; i++)
		if (!s.tagged[i])
			uuid_generate(s.tags[i]);
	o.tags = (const uuid_t *)s.tags;
	rc = FC_EXIT_FAILED;
	if (fc_system_uuid(sys, o.system_uuid) < 0)
		goto out;
	if (s.n == 1 && !s.tagged[0] && fc_is_set_name(s.paths[0])) {
		/* a named interleave set: members by tag through the platform */
		if (fc_env_setup(env) < 0)
			goto out;
		if (fc_famfs_format_set(env->ctx, s.paths[0], &o, NULL) < 0) {
			fprintf(stderr, "famfsctl format: nothing was formatted\n");
			goto out;
		}
		if (fc_famfs_check_set(env->ctx, s.paths[0], &report) < 0)
			goto out;
	} else {
		if (fc_famfs_format(env->ctx, (const char *const *)s.paths, s.n, &o, NULL) < 0) {
			fprintf(stderr, "famfsctl format: nothing was formatted\n");
			goto out;
		}
		if (fc_famfs_check(env->ctx, (const char *const *)s.paths, s.n, &report) < 0)
			goto out;
	}
	fc_print_json(report);
	rc = FC_EXIT_OK;
out:
	json_object_put(report);
	free_set(&s);
	return rc;
}

static const char fsck_help[] =
	"usage: famfsctl fsck SETNAME | PRIMARY[,MEMBER]...\n\n"
	"Check a famfs file system: the primary's superblock and log (CRCs,\n"
	"sequence), that every member the log names is present with its tag and\n"
	"size, in any order after the primary. Prints a JSON report; exit 0 when\n"
	"clean, 1 when not (every problem is listed).\n\n"
	FC_GLOBAL_HELP;

int cmd_fsck(int argc, char **argv, struct fc_env *env)
{
	static const struct option opts[] = {
		FC_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct json_object *report = NULL;
	struct set s;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, FC_GLOBAL_SHORTOPTS, opts, NULL)) != -1) {
		switch (fc_global_opt(env, opt, optarg)) {
		case 0: break;
		case 1: fputs(fsck_help, stdout); return FC_EXIT_OK;
		default: return fc_usage_error("fsck", "bad option");
		}
	}
	fc_env_apply(env);
	rc = parse_set("fsck", argc - optind, argv + optind, &s);
	if (rc) {
		free_set(&s);
		return rc > 0 ? rc : FC_EXIT_FAILED;
	}
	for (unsigned int i = 0; i < s.n; i++)
		if (s.tagged[i]) {
			free_set(&s);
			return fc_usage_error("fsck", "fsck reads tags from the superblocks; give paths only");
		}
	if (s.n == 1 && fc_is_set_name(s.paths[0]))
		rc = fc_env_setup(env) < 0 ? -ENODEV :
		     fc_famfs_check_set(env->ctx, s.paths[0], &report);
	else
		rc = fc_famfs_check(env->ctx, (const char *const *)s.paths, s.n, &report);
	if (report)
		fc_print_json(report);
	json_object_put(report);
	free_set(&s);
	return rc == 0 ? FC_EXIT_OK : FC_EXIT_FAILED;
}
