// SPDX-License-Identifier: GPL-2.0-only
/*
 * famfsctl udev DEVNAME: what the udev rule's unit runs when a dax device
 * appears or binds. Like mdadm's incremental assembly: find the policy that
 * claims the device's tag, set the device's mode for the policy's mount,
 * and when every member of the policy's set is present, mount it where the
 * policy says -- once, however many events arrive and in whatever order
 * (the host lock serialises them). A device no policy claims is left alone.
 * udev never formats: a set without a file system waits for `famfsctl up`
 * on the master. Every message goes to syslog (the journal) too, naming the
 * device and the policy.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include "cmd/builtin.h"
#include "util/fs.h"
#include "util/text.h"

static const char udev_help[] =
	"usage: famfsctl udev [--dry-run] DEVNAME\n\n"
	"Set up what a dax device (daxX.Y) belongs to, as the udev rule's unit\n"
	"does on add and bind: the policy claiming its tag (a member of the\n"
	"policy's group, or a [udev] tag_patterns match) and allowing it\n"
	"([udev] auto_setup = yes) gets the device in the mode its mount needs\n"
	"(devdax for fuse, famfs for kernel); once every member of the policy's\n"
	"set is here, the set is recorded and mounted at the policy's\n"
	"mount_point, once. Devices no policy claims are left alone; nothing is\n"
	"ever formatted here. Messages go to standard error and syslog.\n"
	"The host is the running kernel unless --fabric names a simulator.\n\n"
	"  -n, --dry-run     say what would be done, change nothing (JSON)\n"
	CLI_GLOBAL_HELP
	"See famfsctl-udev(8).\n";

static void say(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(int prio, const char *fmt, ...)
{
	va_list ap;

	char msg[1024], safe[1024];

	/* device names and tags come from the kernel and the fabric */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	util_escape_ctl(msg, safe, sizeof(safe));
	syslog(prio, "%s", safe);
	cli_printf(stderr, "famfsctl udev: %s\n", safe);
}

/*
 * Under systemd, the mount is a unit of its own (famfsctl-mount@POLICY),
 * not a child of this oneshot unit: when systemd runs, the host is the
 * running kernel (no simulator) and the policies are the system's, and the
 * policy's name can be a unit instance as it is. Otherwise (tests, no
 * systemd) the server starts as famfsctl mount starts it.
 */
static bool through_unit(struct cli_env *env, const char *name)
{
	if (access("/run/systemd/system", F_OK) < 0 || getenv("FAMFSCTL_POLICY_DIR") ||
	    (env->fabric && strcmp(env->fabric, "none")))
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_.-") ==
	       strlen(name);
}

static int start_unit(const char *name, const char *mp)
{
	char unit[300];
	int status;
	pid_t pid;

	util_mkdir_p(mp, 0755); /* the unit mounts there; famfsctl mount makes none */
	snprintf(unit, sizeof(unit), "famfsctl-mount@%s.service", name);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execlp("systemctl", "systemctl", "start", "--no-block", unit, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		say(LOG_ERR, "policy %s: systemctl start %s failed", name, unit);
		return -1;
	}
	return 0;
}

/* The first policy in policies.d claiming `tag`, or NULL. */
static struct fc_policy *claiming(struct fc_ctx *ctx, const uuid_t tag)
{
	const char *env = getenv("FAMFSCTL_POLICY_DIR");
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent **ents;
	struct fc_policy *found = NULL;
	int n, prio = fc_get_log_priority(ctx);

	snprintf(dir, sizeof(dir), "%s/policies.d", env && *env ? env : POLICYDIR);
	n = scandir(dir, &ents, NULL, alphasort);
	fc_set_log_priority(ctx, 0); /* a broken policy is not this device's business */
	for (int i = 0; i < n; i++) {
		size_t l = strlen(ents[i]->d_name);
		struct fc_policy *p;

		if (!found && l > 5 && !strcmp(ents[i]->d_name + l - 5, ".conf")) {
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			if (fc_policy_load(ctx, path, 0, &p) == 0) {
				if (fc_policy_claims_tag(p, tag))
					found = p;
				else
					fc_policy_unref(p);
			}
		}
		free(ents[i]);
	}
	if (n > 0)
		free(ents);
	fc_set_log_priority(ctx, prio);
	return found;
}

int cmd_udev(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	json_object *plan = json_object_new_object(), *acts = json_object_new_array();
	struct fc_policy *p = NULL;
	struct fc_dax_dev *d;
	const char *dev, *name, *mp;
	enum fc_dax_mode want;
	struct fc_policy_state st;
	bool dry = false;
	uuid_t tag;
	char t[37];
	int opt, lock = -1, rc = FC_EXIT_FAILED;

	CLI_CMD(cmd, "udev", udev_help, "n", opts);

	while ((opt = cli_getopt(env, &cmd, argc, argv)) > 0)
		if (opt == 'n')
			dry = true;
	if (opt == CLI_EXIT) {
		rc = env->exit;
		goto out;
	}
	if (argc - optind != 1) {
		rc = cli_usage_error("udev", "give one DEVNAME (daxX.Y)");
		goto out;
	}
	dev = argv[optind];
	if (!strncmp(dev, "/dev/", 5))
		dev += 5;
	openlog("famfsctl", LOG_PID, LOG_DAEMON);
	if (!env->fabric)
		env->fabric = "none"; /* udev events come from the running kernel */
	if (cli_env_setup(env) < 0 || fc_refresh(env->ctx) < 0)
		goto out;
	json_object_object_add(plan, "device", json_object_new_string(dev));
	d = fc_dax_dev_find(env->ctx, dev);
	if (!d) {
		say(LOG_ERR, "%s: no such dax device", dev);
		goto out;
	}
	if (!fc_dax_dev_get_uuid(d, tag)) {
		say(LOG_INFO, "%s: no tag; left alone", dev);
		rc = FC_EXIT_OK;
		goto done;
	}
	uuid_unparse_lower(tag, t);
	json_object_object_add(plan, "tag", json_object_new_string(t));
	p = claiming(env->ctx, tag);
	if (!p) {
		say(LOG_INFO, "%s (tag %s): no policy claims it; left alone", dev, t);
		rc = FC_EXIT_OK;
		goto done;
	}
	name = fc_policy_get_name(p);
	mp = fc_policy_get_mount_point(p);
	json_object_object_add(plan, "policy", json_object_new_string(name));
	if (!fc_policy_get_auto_setup(p)) {
		say(LOG_INFO, "%s (tag %s): policy %s claims it but does not set up from udev ([udev] auto_setup = no)",
		    dev, t, name);
		rc = FC_EXIT_OK;
		goto done;
	}
	if (!dry) {
		lock = fc_host_lock(env->ctx);
		if (lock < 0)
			goto out;
		if (fc_refresh(env->ctx) < 0)
			goto out;
		d = fc_dax_dev_find(env->ctx, dev);
		if (!d)
			goto out;
	}
	/* the mode the mount needs: famfs's kernel mount takes famfs mode, the
	 * portable mount maps the device (devdax) */
	want = fc_policy_get_dax_mode(p);
	if (fc_dax_dev_get_mode(d) != want) {
		json_object_array_add(acts, json_object_new_string(
			want == FC_DAX_MODE_FAMFS ? "famfs mode" : "devdax mode"));
		if (!dry) {
			if (fc_dax_dev_set_mode(d, want) < 0)
				goto out;
			say(LOG_NOTICE, "%s: %s mode for policy %s", dev, fc_dax_mode_name(want), name);
		}
	}
	/* the set, when complete */
	if (fc_policy_state(env->ctx, p, NULL, 0, &st) < 0)
		goto out;
	json_object_object_add(plan, "present", json_object_new_int((int)st.members_here));
	json_object_object_add(plan, "members", json_object_new_int((int)st.members_expected));
	if (st.members_here < st.members_expected) {
		say(LOG_INFO, "%s: policy %s: %u of %u members here; waiting for the rest", dev, name,
		    st.members_here, st.members_expected);
		rc = FC_EXIT_OK;
		goto done;
	}
	if (!st.set_recorded) {
		struct fc_interleave_opts o = { .name = name, .policy = p };

		json_object_array_add(acts, json_object_new_string("record the set"));
		if (!dry && fc_interleave_create(env->ctx, &o, NULL) < 0)
			goto out;
	}
	if (!dry && (fc_policy_state(env->ctx, p, NULL, FC_STATE_FS, &st) < 0 ||
		     st.fs != FC_FS_CLEAN)) {
		say(LOG_WARNING, "%s: policy %s: the set holds no clean file system; 'famfsctl up %s' on the master formats a new one, 'famfsctl fsck %s' checks",
		    dev, name, name, name);
		rc = FC_EXIT_OK;
		goto done;
	}
	if (!*mp) {
		say(LOG_INFO, "%s: policy %s: complete; no mount_point to mount it at", dev, name);
	} else if (st.mount == FC_MOUNT_LIVE) {
		say(LOG_INFO, "%s: policy %s: already mounted at %s", dev, name, mp);
	} else {
		json_object_array_add(acts, json_object_new_string("mount"));
		if (!dry) {
			if (st.mount == FC_MOUNT_DEAD)
				cli_umount(mp);
			if (through_unit(env, name)) {
				if (start_unit(name, mp) < 0)
					goto out;
				say(LOG_NOTICE, "%s: policy %s: set complete, mounting at %s (famfsctl-mount@%s.service)",
				    dev, name, mp, name);
			} else {
				if (cli_mount_child(env, name, mp, p, NULL, lock) < 0)
					goto out;
				say(LOG_NOTICE, "%s: policy %s: set complete, mounted at %s", dev, name, mp);
			}
		}
	}
	rc = FC_EXIT_OK;
done:
	if (dry) {
		json_object_object_add(plan, "actions", json_object_get(acts));
		cli_print_json(plan);
	}
out:
	fc_host_unlock(lock);
	fc_policy_unref(p);
	json_object_put(acts);
	json_object_put(plan);
	return rc;
}
