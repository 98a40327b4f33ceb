// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Statistics for dashboards (famfsctl-stats(1)): per interleave set and per
 * fabric device, gathered through the library's own interfaces -- the set
 * records, the file system opened read-only, this host's mount table, the
 * fabric manager -- and the fsck verdicts famfsctl fsck records in the
 * state directory (fsck/SET.json).
 *
 * What is not measured here: a mounted client's time since its last log
 * replay lives in its mount server's memory, which exposes no interface for
 * it; the set reports "log_replay_age_seconds": null until one exists.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <json-c/json.h>
#include <famfsctl/stats.h>
#include "lib/private.h"
#include "famfs/omf.h"
#include "util/fs.h"

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* ---- files and directories -------------------------------------------- */

struct walk {
	struct fc_famfs *fs;
	char path[PATH_MAX];
	uint64_t files, dirs;
	int depth;
};

static int count_entry(void *arg, const char *name, const struct fc_famfs_stat *st)
{
	struct walk *w = arg;
	size_t len = strlen(w->path);

	if (!st->is_dir) {
		w->files++;
		return 0;
	}
	w->dirs++;
	/* famfs paths are at most 79 bytes: a deeper walk is a damaged log */
	if (w->depth > 64 || len + strlen(name) + 2 > sizeof(w->path))
		return 0;
	snprintf(w->path + len, sizeof(w->path) - len, "%s%s", len > 1 ? "/" : "", name);
	w->depth++;
	fc_famfs_readdir(w->fs, w->path, count_entry, w);
	w->depth--;
	w->path[len] = '\0';
	return 0;
}

/* ---- the mount ---------------------------------------------------------- */

/*
 * The set's mount on this host: famfsctl's portable mount has the source
 * "famfsctl:SET"; famfs's own mount, the primary's dax device. Adds
 * mounted, mount_point, mount_mode (portable|famfs) and mount_access (ro|rw).
 */
static void add_mount(json_object *o, const char *set, const char *primary)
{
	char source[128], where[4096];
	const char *mode = NULL;
	struct statvfs vfs;

	snprintf(source, sizeof(source), "famfsctl:%s", set);
	if (util_mount_find(source, NULL, where, sizeof(where)))
		mode = "portable";
	else if (primary && util_mount_find(primary, NULL, where, sizeof(where)))
		mode = "famfs";
	json_object_object_add(o, "mounted", json_object_new_boolean(mode != NULL));
	json_object_object_add(o, "mount_point", mode ? json_object_new_string(where) : NULL);
	json_object_object_add(o, "mount_mode", mode ? json_object_new_string(mode) : NULL);
	json_object_object_add(o, "mount_access", !mode ? NULL : json_object_new_string(
		statvfs(where, &vfs) == 0 && (vfs.f_flag & ST_RDONLY) ? "ro" : "rw"));
}

/* ---- fsck verdicts ---------------------------------------------------- */

static int fsck_path(struct fc_ctx *ctx, const char *set, char *buf, size_t len)
{
	char dir[PATH_MAX];
	int rc = host_dir(ctx, FC_HOST_STATE, dir, sizeof(dir));

	if (rc < 0)
		return rc;
	if (strlen(dir) + 7 >= sizeof(dir))
		return -ENAMETOOLONG;
	strcat(dir, "/fsck");
	mkdir(dir, 0755);
	return snprintf(buf, len, "%s/%s.json", dir, set) < (int)len ? 0 : -ENAMETOOLONG;
}

static const char *verdict_name(int rc)
{
	switch (rc) {
	case 0: return "clean";
	case -EUCLEAN: return "damaged";
	case -ENOENT: return "no file system";
	default: return "not checked";
	}
}

FC_EXPORT int fc_stats_record_fsck(struct fc_ctx *ctx, const char *set, int rc,
				   struct json_object *report)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	json_object *rec, *problems = report ? get(report, "problems") : NULL;
	int r;

	if (!set || !*set || strchr(set, '/') || set[0] == '.') {
		err(ctx, "stats: '%s' is not a set name\n", set ? set : "");
		return -EINVAL;
	}
	r = fsck_path(ctx, set, path, sizeof(path));
	if (r < 0) {
		err(ctx, "stats: %s: no state directory for the fsck verdict: %s\n", set,
		    strerror(-r));
		return r;
	}
	rec = json_object_new_object();
	json_object_object_add(rec, "time", json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(rec, "verdict", json_object_new_string(verdict_name(rc)));
	json_object_object_add(rec, "errno", json_object_new_int(-rc));
	json_object_object_add(rec, "problems", json_object_new_int(
		json_object_is_type(problems, json_type_array) ?
		(int)json_object_array_length(problems) : 0));
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	r = 0;
	if (json_object_to_file_ext(tmp, rec, JSON_C_TO_STRING_PLAIN) < 0 || rename(tmp, path) < 0) {
		err(ctx, "stats: %s: cannot record the fsck verdict\n", path);
		unlink(tmp);
		r = -EIO;
	}
	json_object_put(rec);
	return r;
}

/* The recorded verdict, checked: a record that is not one is reported as such. */
static void add_fsck(struct fc_ctx *ctx, json_object *o, const char *set)
{
	char path[PATH_MAX];
	json_object *rec = NULL, *f = NULL, *t, *v, *p;

	if (fsck_path(ctx, set, path, sizeof(path)) == 0 && access(path, F_OK) == 0) {
		rec = json_object_from_file(path);
		t = get(rec, "time");
		v = get(rec, "verdict");
		p = get(rec, "problems");
		if (json_object_is_type(t, json_type_int) && json_object_is_type(v, json_type_string) &&
		    json_object_is_type(p, json_type_int)) {
			f = json_object_new_object();
			json_object_object_add(f, "verdict", json_object_get(v));
			json_object_object_add(f, "time", json_object_get(t));
			json_object_object_add(f, "problems", json_object_get(p));
		} else {
			err(ctx, "stats: %s: not an fsck record; ignored\n", path);
		}
		json_object_put(rec);
	}
	json_object_object_add(o, "fsck", f);
}

/* ---- sets -------------------------------------------------------------- */

static void add_u64(json_object *o, const char *key, uint64_t v, unsigned long flags)
{
	json_object_object_add(o, key, fc_json_size(v, flags));
}

static void add_count(json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

/* The file system's figures, or "formatted": false and why. */
static void add_fs(struct fc_ctx *ctx, json_object *o, const char *set, unsigned long flags)
{
	struct fc_famfs *fs = NULL;
	struct walk *w;
	const struct famfs_log_header *lh;
	uint64_t total = 0, used = 0;
	size_t len = 0;
	int prio = fc_get_log_priority(ctx), rc;

	/* a set without a file system is a state to report, not an error */
	fc_set_log_priority(ctx, 0);
	rc = fc_famfs_open_set(ctx, set, NULL, &fs);
	fc_set_log_priority(ctx, prio);
	json_object_object_add(o, "formatted", json_object_new_boolean(rc == 0));
	if (rc < 0) {
		json_object_object_add(o, "why", json_object_new_string(
			rc == -ENOENT ? "no file system, or a member is missing" : strerror(-rc)));
		return;
	}
	fc_famfs_space(fs, &total, &used);
	add_u64(o, "capacity", total, flags);
	add_u64(o, "used", used, flags);
	add_u64(o, "free", total > used ? total - used : 0, flags);
	w = calloc(1, sizeof(*w));
	if (w) {
		w->fs = fs;
		strcpy(w->path, "/");
		fc_famfs_readdir(fs, "/", count_entry, w);
		add_count(o, "files", w->files);
		add_count(o, "directories", w->dirs);
		free(w);
	}
	lh = fc_famfs_meta(fs, true, &len);
	if (lh && len >= sizeof(*lh)) {
		add_count(o, "log_entries_used", lh->famfs_log_next_index);
		add_count(o, "log_entries", lh->famfs_log_last_index + 1);
	}
	fc_famfs_close(fs);
}

static json_object *set_stats(struct fc_ctx *ctx, json_object *set, unsigned long flags)
{
	json_object *o = json_object_new_object(), *members = get(set, "members");
	const char *name = json_object_get_string(get(set, "name"));
	json_object *policy = get(set, "policy");
	json_object *first = members ? json_object_array_get_idx(members, 0) : NULL;
	const char *daxdev = json_object_get_string(get(first, "daxdev"));
	char primary[64];

	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "policy", policy ? json_object_get(policy) : NULL);
	add_count(o, "members_expected", members ? json_object_array_length(members) : 0);
	add_count(o, "members_present", (uint64_t)json_object_get_int(get(set, "present")));
	add_fs(ctx, o, name, flags);
	snprintf(primary, sizeof(primary), "/dev/%s", daxdev ? daxdev : "");
	add_mount(o, name, daxdev ? primary : NULL);
	/* no mount server exposes when it last replayed the log (see above) */
	json_object_object_add(o, "log_replay_age_seconds", NULL);
	add_fsck(ctx, o, name);
	return o;
}

/* ---- fabric devices ---------------------------------------------------- */

static json_object *devices(struct fc_ctx *ctx, unsigned long flags)
{
	json_object *arr = json_object_new_array(), *fab, *devs;

	if (!fc_get_fabric_uri(ctx))
		return arr; /* no fabric manager: nothing to ask */
	fab = fc_fabric_to_json(ctx, 0);
	devs = get(fab, "devices");
	for (size_t i = 0; devs && i < json_object_array_length(devs); i++) {
		json_object *d = json_object_array_get_idx(devs, i), *o = json_object_new_object();

		json_object_object_add(o, "device", json_object_get(get(d, "device")));
		json_object_object_add(o, "name", json_object_get(get(d, "name")));
		add_u64(o, "capacity", json_object_get_uint64(get(d, "total_capacity")), flags);
		add_u64(o, "allocated", json_object_get_uint64(get(d, "tagged")), flags);
		add_u64(o, "free", json_object_get_uint64(get(d, "free")), flags);
		add_count(o, "tags", json_object_get_uint64(get(d, "tags")));
		json_object_array_add(arr, o);
	}
	json_object_put(fab);
	return arr;
}

FC_EXPORT int fc_stats_collect(struct fc_ctx *ctx, const char *set, unsigned long flags,
		       struct json_object **stats)
{
	json_object *sets = fc_interleave_to_json(ctx, set, 0), *out, *arr;

	*stats = NULL;
	if (!sets) {
		err(ctx, "stats: cannot read this host's sets\n");
		return -EIO;
	}
	if (set && json_object_array_length(sets) == 0) {
		err(ctx, "stats: no set named %s on this host (famfsctl interleave list)\n", set);
		json_object_put(sets);
		return -ENOENT;
	}
	out = json_object_new_object();
	arr = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(sets); i++)
		json_object_array_add(arr, set_stats(ctx, json_object_array_get_idx(sets, i), flags));
	json_object_put(sets);
	json_object_object_add(out, "sets", arr);
	json_object_object_add(out, "devices", devices(ctx, flags));
	*stats = out;
	return 0;
}
