// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl up | down POLICY: a policy from nothing to a mounted file system
 * and back, idempotently. up allocates (or, as a client, joins) the
 * policy's group, records its interleave set (named after the policy),
 * formats it when the primary holds no file system -- never when it holds
 * one, damaged or not -- and mounts it at the policy's mount point. Run
 * again, it changes nothing and says so. down unmounts, forgets the set and
 * releases the capacity, leaving the fabric as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include "cmd/builtin.h"

static const char up_help[] =
	"usage: famfsctl up [--mount-point DIR] [--system-uuid U] POLICY\n"
	"       famfsctl down [--mount-point DIR] POLICY\n\n"
	"up brings POLICY (famfsctl-policy(5)) up, each step only when needed:\n"
	"  alloc       the policy's allocation group (a client joins the master's)\n"
	"  interleave  the set, named after the policy\n"
	"  format      when the primary holds no file system (master only; a\n"
	"              damaged one is left for fsck, never reformatted)\n"
	"  mount       at the policy's mount_point, in its mount_mode\n"
	"and prints what it did as JSON; \"changed\": false when it was up already.\n"
	"down unmounts, forgets the set and releases the capacity.\n\n"
	"      --mount-point D  mount there instead of the policy's mount_point\n"
	"      --system-uuid U  this host's identity as master\n"
	CLI_GLOBAL_HELP
	"See famfsctl-up(1).\n";

/* How many of the group's members have a dax device on this host. */
unsigned int cli_members_here(struct fc_ctx *ctx, const uuid_t group)
{
	struct fc_dax_dev *d;
	unsigned int n = 0;

	if (fc_refresh(ctx) < 0)
		return 0;
	fc_dax_dev_foreach(ctx, d) {
		uuid_t tag, g;

		if (fc_dax_dev_get_uuid(d, tag) && fc_group_of_tag(tag, g, NULL) &&
		    !uuid_compare(g, group))
			n++;
	}
	return n;
}

/* Is a famfsctl mount of `set` at `mp`? 1 live, -1 dead (its server gone), 0 none. */
int cli_mounted(const char *set, const char *mp)
{
	char src[300], dst[300], want[128];
	struct stat st;
	FILE *f = fopen("/proc/self/mounts", "re");
	int found = 0;

	snprintf(want, sizeof(want), "famfsctl:%s", set);
	while (f && fscanf(f, "%299s %299s %*[^\n]", src, dst) == 2)
		if (!strcmp(src, want) && !strcmp(dst, mp))
			found = 1;
	if (f)
		fclose(f);
	if (found && stat(mp, &st) < 0 && errno == ENOTCONN)
		return -1;
	return found;
}

/* Does this host have the set? (asked quietly: "no" is an answer here) */
bool cli_have_set(struct fc_ctx *ctx, const char *name)
{
	json_object *sets = fc_interleave_to_json(ctx, name, 0);
	bool yes = sets && json_object_array_length(sets) == 1;

	json_object_put(sets);
	return yes;
}

/* fsck of the set with its messages held back: 0, -ENOENT or damage */
int cli_probe_fs(struct fc_ctx *ctx, const char *name)
{
	int prio = fc_get_log_priority(ctx), rc;

	fc_set_log_priority(ctx, 0);
	rc = fc_famfs_check_set(ctx, name, NULL);
	fc_set_log_priority(ctx, prio);
	return rc;
}

/* mkdir -p */
static void make_dirs(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(buf, 0755);
		*s = '/';
	}
	mkdir(buf, 0755);
}

/* Mount a policy's set in a child (the FUSE server goes to the
 * background; the child returns once it serves). */
int cli_mount_child(struct cli_env *env, const char *name, const char *mp, struct fc_policy *p,
		   const char *sys, int lock_fd)
{
	int status;
	pid_t pid;

	make_dirs(mp);
	fflush(NULL);
	pid = fork();
	if (pid == 0 && lock_fd >= 0)
		close(lock_fd); /* the server must not hold the caller's lock */
	if (pid == 0)
		_exit(cli_mount_set(env, name, mp, fc_policy_get_mount_mode(p),
				   fc_policy_get_refresh_ms(p), false, sys));
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "famfsctl: %s: cannot mount at %s\n", name, mp);
		return -1;
	}
	return 0;
}

static void step(json_object *steps, const char *name, const char *what, bool *changed)
{
	json_object_object_add(steps, name, json_object_new_string(what));
	if (strcmp(what, "present"))
		*changed = true;
}

static int load(struct cli_env *env, const char *cmd, int argc, char **argv,
		const char **sys, const char **mp, struct fc_policy **p)
{
	static const struct option opts[] = {
		{ "system-uuid", required_argument, NULL, 'S' },
		{ "mount-point", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_cmd table = { cmd, up_help, "", opts };
	int opt;

	while ((opt = cli_getopt(env, &table, argc, argv)) > 0) {
		if (opt == 'S')
			*sys = optarg;
		else if (opt == 'M')
			*mp = optarg;
	}
	if (opt == CLI_EXIT)
		return env->exit;
	if (argc - optind != 1)
		return cli_usage_error(cmd, "give one POLICY");
	if (fc_policy_load(env->ctx, argv[optind], 0, p) < 0) {
		fprintf(stderr, "famfsctl %s: cannot use policy '%s'\n", cmd, argv[optind]);
		return FC_EXIT_FAILED;
	}
	if (!env->fabric && *fc_policy_get_fabric(*p)) {
		env->fabric = fc_policy_get_fabric(*p);
		env->host_id = fc_policy_get_host_id(*p);
	}
	if (cli_env_setup(env) < 0)
		return FC_EXIT_FAILED;
	return -1;
}

/* What up and down share: the policy, its names, and the JSON report. */
struct run {
	struct fc_policy *p;
	const char *sys, *name, *mp;
	json_object *out, *steps;
	bool changed;
	uuid_t group;
};

/* Returns -1 to go on, or the exit code to stop with. */
static int begin(struct cli_env *env, const char *cmd, int argc, char **argv, struct run *r)
{
	int rc = load(env, cmd, argc, argv, &r->sys, &r->mp, &r->p);

	r->out = json_object_new_object();
	r->steps = json_object_new_object();
	if (rc >= 0)
		return rc;
	r->name = fc_policy_get_name(r->p);
	if (!r->mp)
		r->mp = fc_policy_get_mount_point(r->p);
	fc_policy_group(r->p, r->group);
	json_object_object_add(r->out, "policy", json_object_new_string(r->name));
	return -1;
}

/* Print the report; say so when nothing changed. */
static int finish_run(struct run *r, const char *cmd, const char *state)
{
	json_object_object_add(r->out, "steps", json_object_get(r->steps));
	json_object_object_add(r->out, "changed", json_object_new_boolean(r->changed));
	if (!strcmp(cmd, "up") && *r->mp)
		json_object_object_add(r->out, "mount_point", json_object_new_string(r->mp));
	cli_print_json(r->out);
	if (!r->changed)
		fprintf(stderr, "famfsctl %s: %s is %s; nothing to do\n", cmd, r->name, state);
	return FC_EXIT_OK;
}

static void end(struct run *r)
{
	json_object_put(r->steps);
	json_object_put(r->out);
	fc_policy_unref(r->p);
}

int cmd_up(int argc, char **argv, struct cli_env *env)
{
	struct run r = { 0 };
	struct fc_policy *p;
	const char *sys, *name, *mp;
	json_object *steps;
	unsigned int count = 0, here;
	bool *changed = &r.changed;
	int fmt, rc = begin(env, "up", argc, argv, &r);

	if (rc >= 0)
		goto out;
	rc = FC_EXIT_FAILED;
	p = r.p;
	sys = r.sys;
	name = r.name;
	mp = r.mp;
	steps = r.steps;

	/* alloc (or join) */
	{
		json_object *a = NULL;
		json_object *pj = fc_policy_to_json(p, 0), *mem, *c;

		if (json_object_object_get_ex(pj, "members", &mem) &&
		    json_object_object_get_ex(mem, "count", &c))
			count = (unsigned int)json_object_get_int(c);
		json_object_put(pj);
		here = cli_members_here(env->ctx, r.group);
		if (here && here != count) {
			fprintf(stderr, "famfsctl up: %s: %u of %u members are here; 'famfsctl down %s' first\n",
				name, here, count, name);
			goto out;
		}
		if (!here) {
			if (fc_alloc_policy(env->ctx, p, 0, false, 0, &a) < 0)
				goto out;
			json_object_put(a);
			step(steps, "alloc", fc_policy_is_client(p) ? "joined" : "allocated", changed);
		} else {
			step(steps, "alloc", "present", changed);
		}
	}
	/* the set */
	if (cli_have_set(env->ctx, name)) {
		step(steps, "interleave", "present", changed);
	} else {
		struct fc_interleave_opts o = { .name = name, .policy = p };

		if (fc_interleave_create(env->ctx, &o, NULL) < 0)
			goto out;
		step(steps, "interleave", "created", changed);
	}
	/* format: only where there is no file system */
	switch (cli_probe_fs(env->ctx, name)) {
	case 0:
		step(steps, "format", "present", changed);
		break;
	case -ENOENT: {
		struct fc_famfs_format_opts fo = { .log_len = fc_policy_get_log_size(p) };

		if (fc_policy_is_client(p)) {
			fprintf(stderr, "famfsctl up: %s: no file system yet: the master formats it\n",
				name);
			goto out;
		}
		if (cli_system_uuid(sys, fo.system_uuid) < 0)
			goto out;
		fmt = fc_famfs_format_set(env->ctx, name, &fo, NULL);
		if (fmt == -EEXIST)
			/* no superblock on the primary, one on another member:
			 * a damaged file system, not a new one */
			fprintf(stderr, "famfsctl up: %s: the primary holds no file system but another member does: it looks damaged; see 'famfsctl fsck %s' (up never reformats)\n",
				name, name);
		if (fmt < 0)
			goto out;
		step(steps, "format", "formatted", changed);
		break;
	}
	default:
		fprintf(stderr, "famfsctl up: %s: the file system is damaged; see 'famfsctl fsck %s' (up never reformats)\n",
			name, name);
		goto out;
	}
	/* mount */
	if (!*mp) {
		step(steps, "mount", "none (no mount_point)", changed);
	} else {
		int m = cli_mounted(name, mp);

		if (m == 1) {
			step(steps, "mount", "present", changed);
		} else {
			if (m < 0)
				cli_umount(mp); /* its server died: clear the dead mount */
			if (cli_mount_child(env, name, mp, p, sys, -1) < 0)
				goto out;
			step(steps, "mount", m < 0 ? "remounted (the server had died)" : "mounted",
			     changed);
		}
	}
	rc = finish_run(&r, "up", "up");
out:
	end(&r);
	return rc;
}

int cmd_down(int argc, char **argv, struct cli_env *env)
{
	struct run r = { 0 };
	const char *name, *mp;
	json_object *steps;
	bool *changed = &r.changed;
	int rc = begin(env, "down", argc, argv, &r);

	if (rc >= 0)
		goto out;
	rc = FC_EXIT_FAILED;
	name = r.name;
	mp = r.mp;
	steps = r.steps;
	if (*mp && cli_mounted(name, mp)) {
		if (cli_umount(mp) < 0)
			goto out;
		step(steps, "mount", "unmounted", changed);
	}
	if (cli_have_set(env->ctx, name)) {
		if (fc_interleave_destroy(env->ctx, name) < 0)
			goto out;
		step(steps, "interleave", "forgotten", changed);
	}
	if (cli_members_here(env->ctx, r.group)) {
		if (fc_release(env->ctx, r.group, NULL) < 0)
			goto out;
		step(steps, "alloc", "released", changed);
	}
	rc = finish_run(&r, "down", "down");
out:
	end(&r);
	return rc;
}
