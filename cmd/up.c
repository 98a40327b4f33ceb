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
	"       famfsctl down [--mount-point DIR] POLICY\n"
	"       famfsctl up --enable POLICY | famfsctl down --disable POLICY\n\n"
	"up brings POLICY (famfsctl-policy(5)) up, each step only when needed:\n"
	"  alloc       the policy's allocation group (a client joins the master's)\n"
	"  mode        its dax devices in devdax (the portable mount, direct maps),\n"
	"              or famfs mode for mount_mode = famfs\n"
	"  interleave  the set, named after the policy\n"
	"  format      when the primary holds no file system (master only; a\n"
	"              damaged one is left for fsck, never reformatted)\n"
	"  mount       at the policy's mount_point, in its mount_mode\n"
	"and prints what it did as JSON; \"changed\": false when it was up already.\n"
	"down unmounts, forgets the set and releases the capacity.\n"
	"--enable makes systemd bring POLICY up at boot (famfsctl-up@POLICY.service,\n"
	"after udev has settled; stopping the unit takes it down); --disable undoes\n"
	"it. Neither brings the policy up or down now.\n\n"
	"      --mount-point D  mount there instead of the policy's mount_point\n"
	"      --enable         systemctl enable famfsctl-up@POLICY.service\n"
	"      --disable        systemctl disable famfsctl-up@POLICY.service\n"
	"      --system-uuid U  this host's identity as master\n"
	CLI_GLOBAL_HELP
	"See famfsctl-up(1).\n";

static void step(json_object *steps, const char *name, const char *what, bool *changed)
{
	json_object_object_add(steps, name, json_object_new_string(what));
	if (strcmp(what, "present"))
		*changed = true;
}

/*
 * systemctl VERB famfsctl-up@NAME.service ($FAMFSCTL_SYSTEMCTL: another
 * systemctl, for tests); prints what it did as JSON. Returns an exit code.
 */
static int unit_ctl(const char *cmd, const char *verb, const char *spec, const char *name)
{
	const char *systemctl = getenv("FAMFSCTL_SYSTEMCTL");
	char unit[128];
	json_object *out;
	int status;
	pid_t pid;

	if (strchr(spec, '/')) {
		cli_printf(stderr, "famfsctl %s: --%s takes a policy NAME from the policies directory, not a path ('%s'): the unit runs 'famfsctl up NAME'\n",
			cmd, verb, spec);
		return FC_EXIT_USAGE;
	}
	snprintf(unit, sizeof(unit), "famfsctl-up@%s.service", name);
	if (!systemctl || !*systemctl)
		systemctl = "systemctl";
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execlp(systemctl, systemctl, verb, unit, (char *)NULL);
		cli_printf(stderr, "famfsctl %s: cannot run %s: %m\n", cmd, systemctl);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		cli_printf(stderr, "famfsctl %s: '%s %s %s' failed\n", cmd, systemctl, verb, unit);
		return FC_EXIT_FAILED;
	}
	out = json_object_new_object();
	json_object_object_add(out, "policy", json_object_new_string(name));
	json_object_object_add(out, "unit", json_object_new_string(unit));
	json_object_object_add(out, "enabled", json_object_new_boolean(!strcmp(verb, "enable")));
	cli_print_json(out);
	json_object_put(out);
	return FC_EXIT_OK;
}

static int load(struct cli_env *env, const char *cmd, int argc, char **argv,
		const char **sys, const char **mp, struct fc_policy **p)
{
	static const struct option opts[] = {
		{ "system-uuid", required_argument, NULL, 'S' },
		{ "mount-point", required_argument, NULL, 'M' },
		{ "enable", no_argument, NULL, 'E' },
		{ "disable", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_cmd table = { cmd, up_help, "", opts };
	const char *unit_verb = NULL;
	int opt;

	while ((opt = cli_getopt(env, &table, argc, argv)) > 0) {
		if (opt == 'S') {
			*sys = optarg;
		} else if (opt == 'M') {
			*mp = optarg;
		} else if (opt == 'E' || opt == 'D') {
			if ((opt == 'E') != !strcmp(cmd, "up"))
				return cli_usage_error(cmd, "--%s goes with '%s'",
						       opt == 'E' ? "enable" : "disable",
						       opt == 'E' ? "up" : "down");
			unit_verb = opt == 'E' ? "enable" : "disable";
		}
	}
	if (opt == CLI_EXIT)
		return env->exit;
	if (argc - optind != 1)
		return cli_usage_error(cmd, "give one POLICY");
	if (fc_policy_load(env->ctx, argv[optind], 0, p) < 0) {
		cli_printf(stderr, "famfsctl %s: cannot use policy '%s'\n", cmd, argv[optind]);
		return FC_EXIT_FAILED;
	}
	if (unit_verb)
		return unit_ctl(cmd, unit_verb, argv[optind], fc_policy_get_name(*p));
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

/* What the policy says about capacity it gives back. */
static unsigned int release_flags(struct fc_policy *p)
{
	return fc_policy_get_sanitize_on_release(p) ? 0 : FC_RELEASE_NO_SANITIZE;
}

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
		cli_printf(stderr, "famfsctl %s: %s is %s; nothing to do\n", cmd, r->name, state);
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
	struct fc_policy_state st;
	struct fc_policy *p;
	const char *sys, *name, *mp;
	json_object *steps;
	bool *changed = &r.changed, resumed = false;
	int fmt, lock = -1, rc = begin(env, "up", argc, argv, &r);

	if (rc >= 0)
		goto out;
	rc = FC_EXIT_FAILED;
	p = r.p;
	sys = r.sys;
	name = r.name;
	mp = r.mp;
	steps = r.steps;

	/* one up or down of a policy at a time: a second one waits, then finds
	 * the first one's work */
	lock = fc_policy_lock(env->ctx, p);
	if (lock < 0)
		goto out;
	if (fc_policy_state(env->ctx, p, mp, FC_STATE_FS | FC_STATE_HELD, &st) < 0)
		goto out;
	/* an alloc interrupted before its set was recorded (no file system can
	 * be on it yet): give back what it got, then allocate again */
	if (!st.set_recorded && st.members_here != st.members_expected &&
	    (st.members_here || st.members_held)) {
		if (fc_release_flags(env->ctx, r.group, release_flags(r.p), NULL) < 0) {
			cli_printf(stderr, "famfsctl up: %s: cannot release the half-done allocation of an interrupted up\n",
				name);
			goto out;
		}
		resumed = true;
		st.members_here = 0;
	}
	/* alloc (or join) */
	if (st.members_here && st.members_here != st.members_expected) {
		cli_printf(stderr, "famfsctl up: %s: %u of %u members are here; 'famfsctl down %s' first\n",
			name, st.members_here, st.members_expected, name);
		goto out;
	}
	if (!st.members_here) {
		json_object *a = NULL;

		if (fc_alloc_policy(env->ctx, p, 0, false, 0, &a) < 0)
			goto out;
		json_object_put(a);
		step(steps, "alloc", resumed ? "allocated again (an interrupted up had left part of it)" :
		     fc_policy_is_client(p) ? "joined" : "allocated", changed);
	} else {
		step(steps, "alloc", "present", changed);
	}
	/* the members' mode: what the policy's mount (and direct maps) need */
	{
		enum fc_dax_mode want = fc_policy_get_dax_mode(p);
		int n = fc_group_set_mode(env->ctx, r.group, want);
		char what[64];

		if (n < 0)
			goto out;
		snprintf(what, sizeof(what), "switched to %s", fc_dax_mode_name(want));
		step(steps, "mode", n ? what : "present", changed);
	}
	/* the set */
	if (st.set_recorded) {
		step(steps, "interleave", "present", changed);
	} else {
		struct fc_interleave_opts o = { .name = name, .policy = p };

		if (fc_interleave_create(env->ctx, &o, NULL) < 0)
			goto out;
		step(steps, "interleave", "created", changed);
	}
	/* what the first two steps made */
	if (fc_policy_state(env->ctx, p, mp, FC_STATE_FS, &st) < 0)
		goto out;
	/* format: only where there is no file system */
	switch (st.fs) {
	case FC_FS_CLEAN:
		step(steps, "format", "present", changed);
		break;
	case FC_FS_NONE: {
		struct fc_famfs_format_opts fo = { .log_len = fc_policy_get_log_size(p) };

		if (fc_policy_is_client(p)) {
			cli_printf(stderr, "famfsctl up: %s: no file system yet: the master formats it\n",
				name);
			goto out;
		}
		if (fc_system_uuid_get(env->ctx, sys, fo.system_uuid) < 0)
			goto out;
		fmt = fc_famfs_format_set(env->ctx, name, &fo, NULL);
		if (fmt == -EEXIST)
			/* no superblock on the primary, one on another member:
			 * a damaged file system, not a new one */
			cli_printf(stderr, "famfsctl up: %s: the primary holds no file system but another member does: it looks damaged; see 'famfsctl fsck %s' (up never reformats)\n",
				name, name);
		if (fmt < 0)
			goto out;
		step(steps, "format", "formatted", changed);
		break;
	}
	default:
		cli_printf(stderr, "famfsctl up: %s: the file system is damaged; see 'famfsctl fsck %s' (up never reformats)\n",
			name, name);
		goto out;
	}
	/* mount */
	if (!*mp) {
		step(steps, "mount", "none (no mount_point)", changed);
	} else if (st.mount == FC_MOUNT_LIVE) {
		step(steps, "mount", "present", changed);
	} else {
		if (st.mount == FC_MOUNT_DEAD)
			cli_umount(mp); /* its server died: clear the dead mount */
		if (cli_mount_child(env, name, mp, p, sys, -1) < 0)
			goto out;
		step(steps, "mount", st.mount == FC_MOUNT_DEAD ? "remounted (the server had died)" :
			"mounted", changed);
	}
	rc = finish_run(&r, "up", "up");
out:
	fc_policy_unlock(env->ctx, r.p, lock, false);
	end(&r);
	return rc;
}

int cmd_down(int argc, char **argv, struct cli_env *env)
{
	struct run r = { 0 };
	struct fc_policy_state st;
	const char *name, *mp;
	json_object *steps;
	bool *changed = &r.changed;
	int lock = -1, rc = begin(env, "down", argc, argv, &r);

	if (rc >= 0)
		goto out;
	rc = FC_EXIT_FAILED;
	name = r.name;
	mp = r.mp;
	steps = r.steps;
	lock = fc_policy_lock(env->ctx, r.p);
	if (lock < 0)
		goto out;
	if (fc_policy_state(env->ctx, r.p, mp, FC_STATE_HELD, &st) < 0)
		goto out;
	if (st.mount != FC_MOUNT_NONE) {
		if (cli_umount(mp) < 0)
			goto out;
		step(steps, "mount", "unmounted", changed);
	}
	if (st.set_recorded) {
		if (fc_interleave_destroy(env->ctx, name) < 0)
			goto out;
		step(steps, "interleave", "forgotten", changed);
	}
	/* the group's tags, dax devices or not (an up killed before its claims) */
	if (st.members_here || st.members_held) {
		if (fc_release_flags(env->ctx, r.group, release_flags(r.p), NULL) < 0)
			goto out;
		step(steps, "alloc", "released", changed);
	}
	rc = finish_run(&r, "down", "down");
out:
	/* down: the lock file goes too (nothing of the policy is left) */
	fc_policy_unlock(env->ctx, r.p, lock, rc == FC_EXIT_OK);
	end(&r);
	return rc;
}
