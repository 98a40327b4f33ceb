// SPDX-License-Identifier: LGPL-2.1-only
/*
 * famfs over member paths or a named interleave set: the library finds and
 * maps the members (by path, or by tag through the host platform), then
 * hands their media to the famfs layer (famfs/famfs.h) to format, check or
 * open. Operations on an open file system are the famfs layer's own.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "lib/private.h"
#include "lib/interleave.h"
#include "famfs/famfs.h"
#include "famfs/media.h"
#include "famfs/fsck.h"
#include "famfs/omf.h"
#include "util/cacheflush.h"
#include "util/fs.h"
#include "util/members.h"
#include "famfs/map.h"

/* ---- by path: what famfsctl and library users call ---- */

static int mkfs(struct fc_ctx *ctx, const char *set, struct fc_media **m, unsigned int n,
		const struct fc_famfs_format_opts *opts, const uuid_t *tags, uuid_t fs_uuid)
{
	struct famfs_mkfs_opts o = {
		.log_len = opts->log_len,
		.force = opts->force,
		.tags = tags,
		.version = opts->version,
		.take_over = opts->take_over,
	};
	char where[PATH_MAX];

	/* famfs_mkfs refuses a mounted one, after what it refuses anyway */
	o.name = set;
	if (util_mount_of(set, m[0]->name, where, sizeof(where)))
		o.mounted_at = where;
	uuid_copy(o.system_uuid, opts->system_uuid);
	return famfs_mkfs(ctx_log(ctx), m, n, &o, fs_uuid);
}

/* ---- by path: what famfsctl and library users call ---- */

static void close_all(struct fc_media **m, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		fc_media_close(m[i]);
	free(m);
}

static int open_all(struct fc_ctx *ctx, const char *const *paths, unsigned int n,
		    bool writable, struct fc_media ***out)
{
	struct fc_media **m = calloc(n ? n : 1, sizeof(*m));
	int rc;

	if (!m)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		rc = famfs_media_open_path(ctx_log(ctx), paths[i], writable, &m[i]);
		if (rc < 0) {
			close_all(m, i);
			return rc;
		}
	}
	*out = m;
	return 0;
}

FC_EXPORT int fc_famfs_format(struct fc_ctx *ctx, const char *const *paths,
			      unsigned int n, const struct fc_famfs_format_opts *opts,
			      uuid_t fs_uuid)
{
	struct fc_media **m;
	int rc = open_all(ctx, paths, n, true, &m);

	if (rc < 0)
		return rc;
	rc = mkfs(ctx, NULL, m, n, opts, opts->tags, fs_uuid);
	close_all(m, n);
	return rc;
}

FC_EXPORT int fc_famfs_check(struct fc_ctx *ctx, const char *const *paths,
			     unsigned int n, struct json_object **report)
{
	struct fc_media **m;
	int rc;

	if (n == 0 || n > FC_MAX_MEMBERS) {
		err(ctx, "famfs: %u members: a file system has 1 to %d\n", n, FC_MAX_MEMBERS);
		return -EINVAL;
	}
	rc = open_all(ctx, paths, n, false, &m);
	if (rc < 0)
		return rc;
	rc = famfs_check(ctx_log(ctx), m, n, report);
	close_all(m, n);
	return rc;
}

FC_EXPORT int fc_famfs_open(struct fc_ctx *ctx, const char *const *paths, unsigned int n,
			    const uuid_t master, struct fc_famfs **out)
{
	struct fc_media *m[FC_MAX_MEMBERS];
	unsigned int opened = 0;
	int rc = 0;

	if (n == 0 || n > FC_MAX_MEMBERS) {
		err(ctx, "famfs: %u members: a file system has 1 to %d\n", n, FC_MAX_MEMBERS);
		return -EINVAL;
	}
	while (opened < n && rc == 0) {
		rc = famfs_media_open_path(ctx_log(ctx), paths[opened], master != NULL, &m[opened]);
		if (rc == 0)
			opened++;
	}
	if (rc == 0)
		rc = famfs_open(ctx_log(ctx), m, n, master, NULL, out);
	if (rc < 0) {
		while (opened > 0)
			fc_media_close(m[--opened]);
		return rc;
	}
	famfs_own_media(*out);
	return 0;
}

/*
 * A set member whose superblock names another device (its ts_dev_uuid is
 * not the member's tag) holds a file system that is not this set's: the
 * capacity of another policy, given back and handed on (its files are
 * that policy's). With a report: a member-identity problem in it; else
 * logged. -EUCLEAN when any member is foreign, else 0.
 */
static int check_identity(struct fc_ctx *ctx, const char *set, struct fc_media **m,
			  const uuid_t *tags, unsigned int n, struct json_object *report)
{
	int rc = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct famfs_superblock *sb = (struct famfs_superblock *)m[i]->base;
		char want[37], got[37];

		if (m[i]->size < sizeof(*sb))
			continue;
		util_cache_invalidate(sb, sizeof(*sb));
		if (sb->ts_magic != FAMFS_SUPER_MAGIC || !memcmp(sb->ts_dev_uuid, tags[i], 16))
			continue;
		uuid_unparse_lower(tags[i], want);
		uuid_unparse_lower(sb->ts_dev_uuid, got);
		if (report)
			rc = famfs_report_problem(ctx_log(ctx), report, FAMFS_P_MEMBER_IDENTITY, m[i],
				"%s: set %s's member %u (tag %s) holds a superblock of device %s: a foreign file system (formatted anew only by 'famfsctl format --force %s')",
				m[i]->name, set, i, want, got, set);
		else {
			err(ctx, "%s: set %s's member %u (tag %s) holds a superblock of device %s: a foreign file system, not opened (formatted anew only by 'famfsctl format --force %s')\n",
			    m[i]->name, set, i, want, got, set);
			rc = -EUCLEAN;
		}
	}
	return rc;
}

/* A named interleave set: members found by tag, the log lock in this
 * host's run directory (dax devices have no path to lock). */
FC_EXPORT int fc_famfs_open_set(struct fc_ctx *ctx, const char *set, const uuid_t master,
				struct fc_famfs **out)
{
	struct fc_media **m;
	uuid_t *tags;
	unsigned int n;
	char lock[PATH_MAX + 64];
	int rc = iset_open_media(ctx, set, master != NULL, &m, &tags, &n, NULL, NULL);

	if (rc < 0)
		return rc;
	rc = check_identity(ctx, set, m, (const uuid_t *)tags, n, NULL);
	if (rc == 0)
		rc = iset_log_lock_path(ctx, tags[0], true, lock, sizeof(lock));
	if (rc == 0)
		rc = famfs_open(ctx_log(ctx), m, n, master, lock, out);
	if (rc < 0) {
		iset_close_media(m, n);
		free(tags);
		return rc;
	}
	free(m); /* the file system keeps the media */
	free(tags);
	famfs_own_media(*out);
	return 0;
}

/* ---- by interleave set name: members found by tag ---- */

FC_EXPORT int fc_famfs_format_set(struct fc_ctx *ctx, const char *set,
				  const struct fc_famfs_format_opts *opts, uuid_t fs_uuid)
{
	struct fc_media **m;
	uuid_t *tags;
	unsigned int n;
	int rc = iset_open_media(ctx, set, true, &m, &tags, &n, NULL, NULL);

	if (rc < 0)
		return rc;
	/* each member's identity is its tag */
	rc = mkfs(ctx, set, m, n, opts, (const uuid_t *)tags, fs_uuid);
	iset_close_media(m, n);
	free(tags);
	return rc;
}

FC_EXPORT int fc_famfs_check_set(struct fc_ctx *ctx, const char *set,
				 struct json_object **report)
{
	struct json_object *r = NULL;
	struct fc_media **m;
	uuid_t *tags;
	unsigned int n;
	int rc = iset_open_media(ctx, set, false, &m, &tags, &n, NULL, NULL);

	if (rc < 0)
		return rc;
	rc = famfs_check(ctx_log(ctx), m, n, &r);
	if (r && rc != -ENOENT) { /* a file system there: is it this set's? */
		int irc = check_identity(ctx, set, m, (const uuid_t *)tags, n, r);

		rc = irc ? irc : rc;
	}
	iset_close_media(m, n);
	free(tags);
	if (report)
		*report = r;
	else
		json_object_put(r);
	return rc;
}

/* ---- by what a command line names: a set, or member paths ---- */

/* Split a spec into member paths; tags are refused (the superblocks hold
 * the members' identities). */
static int spec_paths(struct fc_ctx *ctx, const char *spec, struct util_members *m)
{
	char *argv[] = { (char *)spec };
	int rc = util_members_split(1, argv, m);

	if (rc < 0) {
		err(ctx, "'%s': neither an interleave set's name nor member paths (PRIMARY[,MEMBER]...)\n",
		    spec);
		return rc;
	}
	for (unsigned int i = 0; i < m->n; i++)
		if (m->tags[i]) {
			err(ctx, "'%s': a member's identity is read from its superblock; give paths only\n",
			    spec);
			util_members_free(m);
			return -EINVAL;
		}
	return 0;
}

/*
 * Does spec name a set (1) or member paths (0)? A word without '/', ',',
 * '=' or ':' is a recorded set of that name first, else an existing file
 * or character device (./member.img given as member.img), else neither:
 * -ENOENT, said.
 */
static int spec_is_set(struct fc_ctx *ctx, const char *spec)
{
	struct stat st;

	if (!util_is_set_name(spec))
		return 0;
	if (fc_interleave_exists(ctx, spec))
		return 1;
	if (stat(spec, &st) == 0 && (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
		return 0;
	err(ctx, "no interleave set or member named %s (famfsctl interleave list; a member file here: ./%s)\n",
	    spec, spec);
	return -ENOENT;
}

FC_EXPORT int fc_famfs_open_spec(struct fc_ctx *ctx, const char *spec, const uuid_t master,
				 struct fc_famfs **fs)
{
	struct util_members m;
	int rc;

	rc = spec_is_set(ctx, spec);
	if (rc)
		return rc < 0 ? rc : fc_famfs_open_set(ctx, spec, master, fs);
	rc = spec_paths(ctx, spec, &m);
	if (rc < 0)
		return rc;
	rc = fc_famfs_open(ctx, (const char *const *)m.paths, m.n, master, fs);
	util_members_free(&m);
	return rc;
}

FC_EXPORT int fc_famfs_check_spec(struct fc_ctx *ctx, const char *spec,
				  struct json_object **report)
{
	struct util_members m;
	int rc;

	rc = spec_is_set(ctx, spec);
	if (rc)
		return rc < 0 ? rc : fc_famfs_check_set(ctx, spec, report);
	rc = spec_paths(ctx, spec, &m);
	if (rc < 0)
		return rc;
	rc = fc_famfs_check(ctx, (const char *const *)m.paths, m.n, report);
	util_members_free(&m);
	return rc;
}

/* ---- repair: what the master's next writer would restore, on demand ---- */

/*
 * Check; when the only problems are repairable and `master` is given, open
 * the file system as master -- whose writer lock restores the log header --
 * and check again. Without master: a dry run, the report says what a
 * repair would do ("repair" of each repairable problem).
 */
static int repair(struct fc_ctx *ctx, const char *spec, const char *const *paths,
		  unsigned int n, const uuid_t master, struct json_object **report)
{
	struct json_object *r = NULL;
	struct fc_famfs *fs;
	int rc = spec ? fc_famfs_check_spec(ctx, spec, &r) : fc_famfs_check(ctx, paths, n, &r);
	bool can = r && json_object_get_boolean(json_object_object_get(r, "repairable"));

	if (rc == -EUCLEAN && can && master) {
		struct json_object *problems = json_object_object_get(r, "problems");
		struct json_object *done = json_object_new_array();

		/* what the repair restores, for the report after it */
		for (size_t i = 0; i < json_object_array_length(problems); i++) {
			struct json_object *what = json_object_object_get(
				json_object_array_get_idx(problems, i), "repair");

			if (what)
				json_object_array_add(done, json_object_get(what));
		}
		json_object_put(r);
		r = NULL;
		rc = spec ? fc_famfs_open_spec(ctx, spec, master, &fs) :
			    fc_famfs_open(ctx, paths, n, master, &fs);
		if (rc == 0) {
			fc_famfs_close(fs);
			rc = spec ? fc_famfs_check_spec(ctx, spec, &r) :
				    fc_famfs_check(ctx, paths, n, &r);
			if (r) {
				json_object_object_add(r, "repaired", json_object_new_boolean(rc == 0));
				json_object_object_add(r, "repairs", json_object_get(done));
			}
		}
		json_object_put(done);
	} else if (r) {
		json_object_object_add(r, "repaired", json_object_new_boolean(false));
	}
	if (report)
		*report = r;
	else
		json_object_put(r);
	return rc;
}

FC_EXPORT int fc_famfs_repair(struct fc_ctx *ctx, const char *const *paths, unsigned int n,
			      const uuid_t master, struct json_object **report)
{
	if (n == 0)
		return -EINVAL;
	return repair(ctx, NULL, paths, n, master, report);
}

FC_EXPORT int fc_famfs_repair_spec(struct fc_ctx *ctx, const char *spec, const uuid_t master,
				   struct json_object **report)
{
	return repair(ctx, spec, NULL, 0, master, report);
}

/* ---- direct maps from a layout (the preload library's way in) ---- */

FC_EXPORT int fc_famfs_map_layout(struct fc_ctx *ctx, struct json_object *layout, uint64_t off,
				  uint64_t len, unsigned int flags, struct fc_famfs_map **map)
{
	return famfs_map_layout(ctx_log(ctx), layout, off, len, flags, map);
}
