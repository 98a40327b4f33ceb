// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Interleave sets: an ordered list of members, each named by its tag (so a
 * set survives reboots and device renumbering), with the stripe unit
 * (chunk) and strips per file famfs files use. A set is a small JSON record
 * in this host's state directory (host_dir): sets/NAME.json, written
 * atomically. Where the members are now is looked up by tag each time.
 *
 * With more members than strips per file (the reference deployment has 22
 * members, famfs allows 16 strips), each file is striped over the least
 * used members (famfs-files.c), so files rotate over the set and every
 * member carries an even share.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "lib/private.h"
#include "lib/policy.h"
#include "famfs/media.h"
#include "lib/interleave.h"
#include "util/fs.h"
#include "util/text.h"

#define MIB (1ULL << 20)

/* The sets directory (make: made and checked, for a new record; else only
 * named, so a command that reads creates nothing) and NAME's record in it. */
static int set_path(struct fc_ctx *ctx, const char *name, bool make, char *buf, size_t len)
{
	char dir[PATH_MAX], why[PATH_MAX + 96];
	int rc = make ? host_dir(ctx, FC_HOST_STATE, dir, sizeof(dir)) :
		 host_dir_find(ctx, FC_HOST_STATE, dir, sizeof(dir));

	if (rc < 0)
		return rc;
	if (strlen(dir) + 6 < sizeof(dir))
		strcat(dir, "/sets");
	if (make && util_mkdir_safe(dir, 0700, why, sizeof(why)) < 0) {
		err(ctx, "interleave: the sets directory is not safe to use: %s\n", why);
		return -EPERM;
	}
	if (!name) {
		snprintf(buf, len, "%s", dir);
		return 0;
	}
	return snprintf(buf, len, "%s/%s.json", dir, name) < (int)len ? 0 : -ENAMETOOLONG;
}

static bool good_name(const char *n)
{
	size_t len = strlen(n);

	if (!len || len > 63 || n[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)n[i]) && !strchr("_.-", n[i]))
			return false;
	return true;
}

/* The dax device claiming `tag` on this host, or NULL. */
static struct fc_dax_dev *dax_of(struct fc_ctx *ctx, const uuid_t tag)
{
	struct fc_dax_dev *d;

	fc_dax_dev_foreach(ctx, d)
		if (d->has_uuid && !uuid_compare(d->uuid, tag))
			return d;
	return NULL;
}

/* A set's description, with where each member is now. */
static json_object *describe(struct fc_ctx *ctx, const char *name, uint64_t chunk,
			     unsigned int strips, const uuid_t *tags, unsigned int n,
			     const char *policy, unsigned long flags)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	unsigned int present = 0;
	uint64_t size = 0;
	char t[37];

	json_object_object_add(o, "name", json_object_new_string(name));
	if (policy && *policy)
		json_object_object_add(o, "policy", json_object_new_string(policy));
	json_object_object_add(o, "chunk", fc_json_size(chunk, flags));
	json_object_object_add(o, "strips", json_object_new_int((int)strips));
	for (unsigned int i = 0; i < n; i++) {
		json_object *m = json_object_new_object();
		struct fc_dax_dev *d = dax_of(ctx, tags[i]);

		uuid_unparse_lower(tags[i], t);
		json_object_object_add(m, "member", json_object_new_int((int)i));
		json_object_object_add(m, "tag", json_object_new_string(t));
		if (d) {
			json_object_object_add(m, "daxdev", json_object_new_string(d->name));
			if (d->region && d->region->memdev)
				json_object_object_add(m, "memdev",
						       json_object_new_string(d->region->memdev->name));
			json_object_object_add(m, "size", fc_json_size(d->size, flags));
			json_object_object_add(m, "mode",
					       json_object_new_string(fc_dax_mode_name(d->mode)));
			present++;
			size += d->size;
		}
		json_object_object_add(m, "present", json_object_new_boolean(d != NULL));
		json_object_array_add(arr, m);
	}
	json_object_object_add(o, "members", arr);
	json_object_object_add(o, "present", json_object_new_int((int)present));
	json_object_object_add(o, "complete", json_object_new_boolean(present == n));
	json_object_object_add(o, "size", fc_json_size(size, flags));
	if (n > strips)
		json_object_object_add(o, "rotation", json_object_new_string(
			"each file is striped over the least used strips-many members, so files rotate over the set and every member carries an even share"));
	return o;
}

/* A policy's members on this host, in member order. */
static int policy_members(struct fc_ctx *ctx, struct fc_policy *p, uuid_t *tags,
			  unsigned int *n)
{
	uuid_t group;
	char t[37];
	unsigned int found = 0;

	if (p->count > FC_MAX_MEMBERS) {
		err(ctx, "interleave: policy %s: %u members, at most %d\n", p->name, p->count,
		    FC_MAX_MEMBERS);
		return -EINVAL;
	}
	fc_policy_group(p, group);
	for (unsigned int i = 0; i < p->count; i++) {
		fc_group_member_tag(group, i, tags[i]);
		if (dax_of(ctx, tags[i]))
			found++;
		else
			err(ctx, "interleave: policy %s: member %u (tag %s) has no dax device on this host (run 'famfsctl alloc --policy %s' first)\n",
			    p->name, i, (uuid_unparse_lower(tags[i], t), t), p->name);
	}
	*n = p->count;
	return found == p->count ? 0 : -ENOENT;
}

FC_EXPORT int fc_interleave_create(struct fc_ctx *ctx, const struct fc_interleave_opts *o,
				   struct json_object **result)
{
	uuid_t *tags = NULL;
	unsigned int n = 0, strips;
	uint64_t chunk;
	char path[PATH_MAX], t[37];
	json_object *rec = NULL, *arr;
	int rc;

	if (!o->name || !good_name(o->name)) {
		err(ctx, "interleave: '%s' is not a set name (letters, digits, '_', '.', '-'; at most 63)\n",
		    o->name ? o->name : "");
		return -EINVAL;
	}
	if (o->name[0] == '-') {
		/* it would read as an option; older sets named so are still
		 * reached after "--" (famfsctl interleave destroy -- -x) */
		err(ctx, "interleave: '%s' is not a set name: it must not start with '-' (an existing one is addressed after '--', e.g. famfsctl interleave destroy -- %s)\n",
		    o->name, o->name);
		return -EINVAL;
	}
	if (!!o->policy == !!o->nmembers) {
		err(ctx, "interleave: give a policy or the members' tags, not both or neither\n");
		return -EINVAL;
	}
	chunk = o->chunk ? o->chunk : o->policy ? o->policy->chunk : 2 * MIB;
	if (chunk < 2 * MIB || (chunk & (chunk - 1))) {
		err(ctx, "interleave: chunk %llu: a power-of-two multiple of 2 MiB\n",
		    (unsigned long long)chunk);
		return -EINVAL;
	}
	rc = fc_refresh(ctx);
	if (rc < 0)
		return rc;
	tags = calloc(FC_MAX_MEMBERS + 1, sizeof(*tags));
	if (!tags)
		return -ENOMEM;
	if (o->policy) {
		rc = policy_members(ctx, o->policy, tags, &n);
		if (rc < 0)
			goto out;
	} else {
		if (o->nmembers > FC_MAX_MEMBERS) {
			err(ctx, "interleave: %u members: at most %d\n", o->nmembers,
			    FC_MAX_MEMBERS);
			rc = -EINVAL;
			goto out;
		}
		for (unsigned int i = 0; i < o->nmembers; i++) {
			uuid_copy(tags[i], o->members[i]);
			uuid_unparse_lower(tags[i], t);
			for (unsigned int k = 0; k < i; k++)
				if (!uuid_compare(tags[k], tags[i])) {
					err(ctx, "interleave: tag %s named twice\n", t);
					rc = -EINVAL;
					goto out;
				}
			if (!dax_of(ctx, tags[i])) {
				err(ctx, "interleave: member %u: no dax device on this host claims tag %s\n",
				    i, t);
				rc = -ENOENT;
				goto out;
			}
		}
		n = o->nmembers;
	}
	strips = o->strips ? o->strips : o->policy ? o->policy->strips : 0;
	if (!strips)
		strips = n < FC_MAX_STRIPS ? n : FC_MAX_STRIPS;
	if (strips > FC_MAX_STRIPS || strips > n) {
		err(ctx, "interleave: %u strips per file: at most %d and at most the %u members\n",
		    strips, FC_MAX_STRIPS, n);
		rc = -EINVAL;
		goto out;
	}
	if (result)
		*result = describe(ctx, o->name, chunk, strips, tags, n,
				   o->policy ? o->policy->name : NULL, o->flags);
	if (o->dry_run)
		goto out;
	rc = set_path(ctx, o->name, true, path, sizeof(path));
	if (rc < 0)
		goto out;
	if (access(path, F_OK) == 0) {
		err(ctx, "interleave: a set named %s exists already (%s)\n", o->name, path);
		rc = -EEXIST;
		goto out;
	}
	rec = json_object_new_object();
	json_object_object_add(rec, "famfsctl_set", json_object_new_int(1));
	json_object_object_add(rec, "name", json_object_new_string(o->name));
	if (o->policy)
		json_object_object_add(rec, "policy", json_object_new_string(o->policy->name));
	json_object_object_add(rec, "chunk", json_object_new_int64((int64_t)chunk));
	json_object_object_add(rec, "strips", json_object_new_int((int)strips));
	arr = json_object_new_array();
	for (unsigned int i = 0; i < n; i++) {
		uuid_unparse_lower(tags[i], t);
		json_object_array_add(arr, json_object_new_string(t));
	}
	json_object_object_add(rec, "members", arr);
	{
		char *text = util_utf8_dup(json_object_to_json_string_ext(rec,
						JSON_C_TO_STRING_PRETTY));
		char why[PATH_MAX + 96] = "out of memory";

		/* a new temporary file renamed over: never through a planted link */
		rc = text ? util_write_atomic(path, text, strlen(text), 0644, why, sizeof(why)) :
		     -ENOMEM;
		if (rc < 0)
			err(ctx, "interleave: cannot write the set: %s\n", why);
		free(text);
	}
out:
	if (rc < 0 && result && *result) {
		json_object_put(*result);
		*result = NULL;
	}
	json_object_put(rec);
	free(tags);
	return rc;
}

/* A record's integer field `key` in [min, max], or why not. */
static const char *int_field(json_object *rec, const char *key, int64_t min, int64_t max,
			     int64_t *v, char *why, size_t wlen)
{
	json_object *o;

	if (!json_object_object_get_ex(rec, key, &o) || !json_object_is_type(o, json_type_int)) {
		snprintf(why, wlen, "no integer '%s'", key);
		return why;
	}
	*v = json_object_get_int64(o);
	if (*v < min || *v > max) {
		snprintf(why, wlen, "'%s' %lld is out of range %lld..%lld", key, (long long)*v,
			 (long long)min, (long long)max);
		return why;
	}
	return NULL;
}

/*
 * Check a set record as read (nothing in the state directory is trusted):
 * a JSON object whose name is a set name and the file's, a policy name if
 * any, a power-of-two chunk of at least 2 MiB, 1..16 strips, and 1..
 * FC_MAX_MEMBERS members, each a tag (UUID string) named once, at least
 * strips of them. NULL when it is one, else why not.
 */
static const char *check_set(json_object *rec, const char *file, char *name, size_t nlen,
			     uint64_t *chunk, unsigned int *strips, uuid_t *tags,
			     unsigned int *n, char *policy, size_t plen, char *why, size_t wlen)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	json_object *v, *m;
	int64_t c, st;
	size_t len;

	if (!rec || !json_object_is_type(rec, json_type_object))
		return "not a JSON object";
	if (!json_object_object_get_ex(rec, "name", &v) || !json_object_is_type(v, json_type_string))
		return "no string 'name'";
	if (!good_name(json_object_get_string(v)))
		return "'name' is not a set name (letters, digits, '_', '.', '-'; at most 63)";
	snprintf(name, nlen, "%s", json_object_get_string(v));
	if (strncmp(base, name, strlen(name)) || strcmp(base + strlen(name), ".json"))
		return "'name' is not the file's name";
	if (json_object_object_get_ex(rec, "policy", &v)) {
		if (!json_object_is_type(v, json_type_string) || !good_name(json_object_get_string(v)))
			return "'policy' is not a policy name";
		snprintf(policy, plen, "%s", json_object_get_string(v));
	}
	if (int_field(rec, "chunk", 2 * MIB, INT64_MAX, &c, why, wlen))
		return why;
	if (c & (c - 1))
		return "'chunk' is not a power of two";
	if (int_field(rec, "strips", 1, FC_MAX_STRIPS, &st, why, wlen))
		return why;
	if (!json_object_object_get_ex(rec, "members", &m) || !json_object_is_type(m, json_type_array))
		return "no array 'members'";
	len = json_object_array_length(m);
	if (len < 1 || len > FC_MAX_MEMBERS) {
		snprintf(why, wlen, "%zu members, not 1..%d", len, FC_MAX_MEMBERS);
		return why;
	}
	if (len < (size_t)st) {
		snprintf(why, wlen, "%lld strips but %zu members", (long long)st, len);
		return why;
	}
	for (size_t i = 0; i < len; i++) {
		json_object *t = json_object_array_get_idx(m, i);

		if (!json_object_is_type(t, json_type_string) ||
		    uuid_parse(json_object_get_string(t), tags[i])) {
			snprintf(why, wlen, "member %zu is not a tag (a UUID string)", i);
			return why;
		}
		for (size_t k = 0; k < i; k++)
			if (!uuid_compare(tags[k], tags[i])) {
				snprintf(why, wlen, "members %zu and %zu are one tag", k, i);
				return why;
			}
	}
	*chunk = (uint64_t)c;
	*strips = (unsigned int)st;
	*n = (unsigned int)len;
	return NULL;
}

/* Read a set record into tags (room for FC_MAX_MEMBERS). */
static int read_set(struct fc_ctx *ctx, const char *path, char *name, size_t nlen,
		    uint64_t *chunk, unsigned int *strips, uuid_t *tags, unsigned int *n,
		    char *policy, size_t plen)
{
	json_object *rec = json_object_from_file(path);
	char why[128];
	const char *bad;

	*n = 0;
	policy[0] = '\0';
	bad = check_set(rec, path, name, nlen, chunk, strips, tags, n, policy, plen, why,
			sizeof(why));
	if (bad) {
		*n = 0;
		err(ctx, "not a set record: %s: %s\n", path,
		    rec ? bad : "cannot read it as JSON");
	}
	json_object_put(rec);
	return bad ? -EINVAL : 0;
}

FC_EXPORT struct json_object *fc_interleave_to_json(struct fc_ctx *ctx, const char *only,
						    unsigned long flags)
{
	char dir[PATH_MAX], path[PATH_MAX + 300], name[64], policy[FC_NAME_MAX];
	json_object *arr;
	struct dirent **ents;
	uuid_t *tags;
	int ne;

	if (fc_refresh(ctx) < 0 || set_path(ctx, NULL, false, dir, sizeof(dir)) < 0)
		return NULL;
	tags = calloc(FC_MAX_MEMBERS, sizeof(*tags));
	if (!tags)
		return NULL;
	arr = json_object_new_array();
	ne = scandir(dir, &ents, NULL, alphasort);
	for (int i = 0; i < ne; i++) {
		size_t l = strlen(ents[i]->d_name);
		uint64_t chunk;
		unsigned int strips, n;

		if (l > 5 && !strcmp(ents[i]->d_name + l - 5, ".json")) {
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			if (read_set(ctx, path, name, sizeof(name), &chunk, &strips, tags, &n,
				     policy, sizeof(policy)) == 0 &&
			    (!only || !strcmp(only, name)))
				json_object_array_add(arr, describe(ctx, name, chunk, strips, tags,
								    n, policy, flags));
		}
		free(ents[i]);
	}
	if (ne > 0)
		free(ents);
	free(tags);
	return arr;
}

static int load_set(struct fc_ctx *ctx, const char *name, uint64_t *chunk,
		    unsigned int *strips, uuid_t **tags, unsigned int *n, char policy[FC_NAME_MAX]);

int iset_log_lock_path(struct fc_ctx *ctx, const uuid_t tag0, bool make, char *buf,
			 size_t len)
{
	char dir[PATH_MAX], t[37];
	int rc = make ? host_dir(ctx, FC_HOST_RUN, dir, sizeof(dir)) :
		 host_dir_find(ctx, FC_HOST_RUN, dir, sizeof(dir));

	if (rc < 0)
		return rc;
	uuid_unparse_lower(tag0, t);
	return snprintf(buf, len, "%s/famfs-log-%s.lock", dir, t) < (int)len ? 0 : -ENAMETOOLONG;
}

/* The set's log lock (fc_famfs_open_set) goes with it, when no one holds it. */
static void forget_log_lock(struct fc_ctx *ctx, const char *name)
{
	char lock[PATH_MAX + 64], why[PATH_MAX + 96];
	unsigned int strips, n;
	uint64_t chunk;
	uuid_t *tags;
	int fd, prio = fc_get_log_priority(ctx);

	fc_set_log_priority(ctx, 0); /* a damaged record is destroy's to report */
	fd = load_set(ctx, name, &chunk, &strips, &tags, &n, NULL);
	fc_set_log_priority(ctx, prio);
	if (fd < 0)
		return;
	if (n && iset_log_lock_path(ctx, tags[0], false, lock, sizeof(lock)) == 0) {
		fd = access(lock, F_OK) == 0 ? util_lock_file(lock, 0, why, sizeof(why)) : -1;
		util_unlock_remove(lock, fd);
	}
	free(tags);
}

FC_EXPORT int fc_interleave_destroy(struct fc_ctx *ctx, const char *name)
{
	char path[PATH_MAX];
	int rc;

	if (!good_name(name)) {
		err(ctx, "interleave: '%s' is not a set name\n", name);
		return -EINVAL;
	}
	rc = set_path(ctx, name, false, path, sizeof(path));
	if (rc < 0)
		return rc;
	forget_log_lock(ctx, name);
	if (unlink(path) < 0) {
		rc = -errno;
		err(ctx, "interleave: no set named %s%s\n", name, rc == -ENOENT ? "" : strerror(-rc));
		return rc;
	}
	return 0;
}

/* ---- a set's members as media ------------------------------------------- */

static int load_set(struct fc_ctx *ctx, const char *name, uint64_t *chunk,
		    unsigned int *strips, uuid_t **tags, unsigned int *n, char policy[FC_NAME_MAX])
{
	char path[PATH_MAX], got[64], pbuf[FC_NAME_MAX];
	int rc;

	if (!good_name(name)) {
		err(ctx, "'%s' is not a set name\n", name);
		return -EINVAL;
	}
	rc = set_path(ctx, name, false, path, sizeof(path));
	if (rc < 0)
		return rc;
	if (access(path, F_OK) < 0) {
		err(ctx, "no interleave set named %s on this host (famfsctl interleave list)\n",
		    name);
		return -ENOENT;
	}
	*tags = calloc(FC_MAX_MEMBERS, sizeof(**tags));
	if (!*tags)
		return -ENOMEM;
	rc = read_set(ctx, path, got, sizeof(got), chunk, strips, *tags, n,
		      policy ? policy : pbuf, FC_NAME_MAX);
	if (rc < 0) {
		free(*tags);
		*tags = NULL;
	}
	return rc;
}

FC_EXPORT int fc_interleave_get(struct fc_ctx *ctx, const char *name, uint64_t *chunk,
				unsigned int *strips, unsigned int *members)
{
	uuid_t *tags;
	uint64_t c;
	unsigned int s, n;
	int rc = load_set(ctx, name, &c, &s, &tags, &n, NULL);

	if (rc < 0)
		return rc;
	free(tags);
	if (chunk)
		*chunk = c;
	if (strips)
		*strips = s;
	if (members)
		*members = n;
	return 0;
}

FC_EXPORT bool fc_interleave_exists(struct fc_ctx *ctx, const char *name)
{
	char path[PATH_MAX];

	return good_name(name) && set_path(ctx, name, false, path, sizeof(path)) == 0 &&
	       access(path, F_OK) == 0;
}

FC_EXPORT int fc_interleave_get_policy(struct fc_ctx *ctx, const char *name, char *buf,
				       size_t len)
{
	char policy[FC_NAME_MAX] = "";
	uint64_t c;
	unsigned int s, n;
	uuid_t *tags;
	int rc = load_set(ctx, name, &c, &s, &tags, &n, policy);

	if (rc < 0)
		return rc;
	free(tags);
	return snprintf(buf, len, "%s", policy) < (int)len ? 0 : -ENAMETOOLONG;
}

void iset_close_media(struct fc_media **m, unsigned int n)
{
	for (unsigned int i = 0; m && i < n; i++)
		fc_media_close(m[i]);
	free(m);
}

int iset_open_media(struct fc_ctx *ctx, const char *name, bool writable,
		      struct fc_media ***out, uuid_t **tagsp, unsigned int *np,
		      uint64_t *chunk, unsigned int *strips)
{
	struct fc_media **m = NULL;
	uuid_t *tags;
	uint64_t c;
	unsigned int s, n, opened = 0;
	char t[37];
	int rc = load_set(ctx, name, &c, &s, &tags, &n, NULL);

	if (rc < 0)
		return rc;
	rc = fc_refresh(ctx);
	if (rc == 0 && !(m = calloc(n ? n : 1, sizeof(*m))))
		rc = -ENOMEM;
	for (unsigned int i = 0; i < n && rc == 0; i++) {
		struct fc_dax_dev *d = dax_of(ctx, tags[i]);

		if (!d) {
			uuid_unparse_lower(tags[i], t);
			err(ctx, "set %s: member %u (tag %s) has no dax device on this host\n",
			    name, i, t);
			rc = -ENOENT;
			break;
		}
		rc = fc_dax_dev_open_media(d, writable, &m[i]);
		if (rc == 0)
			opened++;
	}
	if (rc < 0) {
		iset_close_media(m, opened);
		free(tags);
		return rc;
	}
	*out = m;
	*tagsp = tags;
	*np = n;
	if (chunk)
		*chunk = c;
	if (strips)
		*strips = s;
	return 0;
}
