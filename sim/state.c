// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The simulator's state directory: creating a fabric, the lock, and the
 * state file (JSON, written atomically) that every transaction loads and
 * stores. See sim.h for the model.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "sim/sim.h"
#include "util/fs.h"
#include "util/text.h"

int64_t sim_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *path_in(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return NULL;
	return p;
}

char *sim_backing_path(struct sim *s, const struct sim_dev *d)
{
	char name[FM_NAME_MAX + 8];

	snprintf(name, sizeof(name), "%s.img", d->name);
	return path_in(s->dir, name);
}

void sim_event(struct sim *s, const char *fmt, ...)
{
	struct sim_state *st = &s->st;
	va_list ap;
	char *msg;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return;
	sim_log(s, LOG_WARNING, "sim: %s\n", msg);
	if (st->nevents == SIM_MAX_EVENTS) {
		free(st->events[0]);
		memmove(st->events, st->events + 1,
			(SIM_MAX_EVENTS - 1) * sizeof(st->events[0]));
		st->nevents--;
	}
	st->events[st->nevents++] = msg;
	s->dirty = true;
}

/* ---- faults ------------------------------------------------------------- */

int sim_parse_faults(const char *spec, struct sim_faults *f, char *why,
		     size_t len)
{
	char *copy = strdup(spec), *save = NULL, *item;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	memset(f, 0, sizeof(*f));
	f->partial = -1;
	f->fail_rc = FM_RC_INTERNAL_ERROR;
	for (item = strtok_r(copy, ", ", &save); item;
	     item = strtok_r(NULL, ", ", &save)) {
		char *eq = strchr(item, '='), *end;
		unsigned long long v;

		if (!eq) {
			snprintf(why, len, "'%s': expected KEY=VALUE", item);
			rc = -EINVAL;
			break;
		}
		*eq++ = '\0';
		errno = 0;
		v = strtoull(eq, &end, 0);
		if (errno || end == eq || (*end && !(*end == ':' &&
					  !strcmp(item, "fail")))) {
			snprintf(why, len, "%s: '%s' is not a number", item, eq);
			rc = -EINVAL;
			break;
		}
		if (!strcmp(item, "fail")) {
			f->fail_at = (uint32_t)v;
			if (*end == ':') {
				char *e2;

				f->fail_rc = (uint32_t)strtoul(end + 1, &e2, 0);
				if (*e2 || e2 == end + 1 || !f->fail_rc) {
					snprintf(why, len,
						 "fail: '%s' is not a non-zero return code",
						 end + 1);
					rc = -EINVAL;
					break;
				}
			}
		} else if (!strcmp(item, "partial")) {
			f->partial = (int64_t)v;
		} else if (!strcmp(item, "delay")) {
			f->delay_ms = (int64_t)v;
		} else {
			snprintf(why, len,
				 "unknown fault '%s' (known: fail=K[:RC], partial=N, delay=MS)",
				 item);
			rc = -EINVAL;
			break;
		}
	}
	free(copy);
	return rc;
}

/* ---- JSON <-> state ------------------------------------------------------ */

static const char *const hold_states[] = { "pending", "accepted", "releasing" };
static const char *const dax_modes[] = { "devdax", "famfs" };

static json_object *u64(uint64_t v)
{
	return json_object_new_int64((int64_t)v);
}

static json_object *tag_json(const uuid_t tag)
{
	char buf[37];

	if (sim_tag_is_null(tag))
		return NULL;
	uuid_unparse_lower(tag, buf);
	return json_object_new_string(buf);
}

static json_object *state_to_json(const struct sim_state *st)
{
	json_object *root = json_object_new_object(), *devs, *ev, *f;

	json_object_object_add(root, "famfsctl_sim", json_object_new_int(SIM_STATE_VERSION));
	json_object_object_add(root, "hosts", json_object_new_int(st->hosts));
	f = json_object_new_object();
	json_object_object_add(f, "fail", json_object_new_int64(st->faults.fail_at));
	json_object_object_add(f, "fail_rc", json_object_new_int64(st->faults.fail_rc));
	json_object_object_add(f, "partial", json_object_new_int64(st->faults.partial));
	json_object_object_add(f, "delay_ms", json_object_new_int64(st->faults.delay_ms));
	json_object_object_add(f, "commands", json_object_new_int64(st->faults.commands));
	json_object_object_add(f, "adds", json_object_new_int64(st->faults.adds));
	json_object_object_add(root, "faults", f);
	devs = json_object_new_array();
	for (uint32_t i = 0; i < st->ndevs; i++) {
		const struct sim_dev *d = &st->devs[i];
		json_object *jd = json_object_new_object(), *allocs;

		json_object_object_add(jd, "name", json_object_new_string(d->name));
		json_object_object_add(jd, "port", json_object_new_string(d->port));
		json_object_object_add(jd, "serial", u64(d->serial));
		json_object_object_add(jd, "capacity", u64(d->capacity));
		json_object_object_add(jd, "block_size", u64(d->block_size));
		json_object_object_add(jd, "sharable", json_object_new_boolean(d->sharable));
		json_object_object_add(jd, "sanitize_on_release",
				       json_object_new_boolean(d->sanitize_on_release));
		json_object_object_add(jd, "max_extents", u64(d->max_extents));
		json_object_object_add(jd, "max_tags", u64(d->max_tags));
		json_object_object_add(jd, "generation", u64(d->generation));
		allocs = json_object_new_array();
		for (uint32_t a = 0; a < d->nallocs; a++) {
			const struct sim_alloc *al = &d->allocs[a];
			json_object *ja = json_object_new_object(), *ext, *holds;

			json_object_object_add(ja, "tag", tag_json(al->tag));
			json_object_object_add(ja, "region", json_object_new_int(al->region));
			json_object_object_add(ja, "fm_ref", json_object_new_boolean(al->fm_ref));
			json_object_object_add(ja, "sanitize", json_object_new_boolean(al->sanitize));
			ext = json_object_new_array();
			for (uint32_t e = 0; e < al->next; e++) {
				json_object *je = json_object_new_object();

				json_object_object_add(je, "dpa", u64(al->ext[e].dpa));
				json_object_object_add(je, "length", u64(al->ext[e].length));
				json_object_object_add(je, "seq",
						       json_object_new_int(al->ext[e].shared_seq));
				json_object_array_add(ext, je);
			}
			json_object_object_add(ja, "extents", ext);
			holds = json_object_new_array();
			for (uint32_t h = 0; h < al->nholds; h++) {
				const struct sim_hold *ho = &al->holds[h];
				json_object *jh = json_object_new_object();

				json_object_object_add(jh, "host", json_object_new_int(ho->host));
				json_object_object_add(jh, "state",
						       json_object_new_string(hold_states[ho->state]));
				json_object_object_add(jh, "arrive_ms", json_object_new_int64(ho->arrive_ms));
				json_object_object_add(jh, "dax", u64(ho->dax));
				json_object_object_add(jh, "mode",
						       json_object_new_string(dax_modes[ho->mode]));
				json_object_array_add(holds, jh);
			}
			json_object_object_add(ja, "holds", holds);
			json_object_array_add(allocs, ja);
		}
		json_object_object_add(jd, "allocations", allocs);
		json_object_array_add(devs, jd);
	}
	json_object_object_add(root, "devices", devs);
	ev = json_object_new_array();
	for (uint32_t i = 0; i < st->nevents; i++)
		json_object_array_add(ev, json_object_new_string(st->events[i]));
	json_object_object_add(root, "host_events", ev);
	return root;
}

/* Reading: a field missing or of the wrong type makes the state unusable. */
struct rd {
	const char *path;
	char why[160];
};

static json_object *field(struct rd *r, json_object *o, const char *key,
			  json_type type)
{
	json_object *v;

	if (r->why[0])
		return NULL;
	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, type)) {
		if (type == json_type_string && v && json_object_is_type(v, json_type_null))
			return NULL; /* an untagged allocation */
		snprintf(r->why, sizeof(r->why), "'%s': missing or not of type %s", key,
			 json_type_to_name(type));
		return NULL;
	}
	return v;
}

static uint64_t num(struct rd *r, json_object *o, const char *key)
{
	json_object *v = field(r, o, key, json_type_int);

	return v ? (uint64_t)json_object_get_int64(v) : 0;
}

static bool flag(struct rd *r, json_object *o, const char *key)
{
	json_object *v = field(r, o, key, json_type_boolean);

	return v ? json_object_get_boolean(v) : false;
}

static void str(struct rd *r, json_object *o, const char *key, char *dst,
		size_t len)
{
	json_object *v = field(r, o, key, json_type_string);

	snprintf(dst, len, "%s", v ? json_object_get_string(v) : "");
}

static int name_index(struct rd *r, json_object *o, const char *key,
		      const char *const *names, int n)
{
	json_object *v = field(r, o, key, json_type_string);

	for (int i = 0; v && i < n; i++)
		if (!strcmp(json_object_get_string(v), names[i]))
			return i;
	if (!r->why[0])
		snprintf(r->why, sizeof(r->why), "'%s': unknown value", key);
	return 0;
}

static void read_tag(struct rd *r, json_object *o, uuid_t tag)
{
	json_object *v = NULL;

	uuid_clear(tag);
	if (!json_object_object_get_ex(o, "tag", &v) ||
	    json_object_is_type(v, json_type_null))
		return;
	if (!json_object_is_type(v, json_type_string) ||
	    uuid_parse(json_object_get_string(v), tag))
		snprintf(r->why, sizeof(r->why), "'tag' is not a UUID");
}

static int state_from_json(struct rd *r, json_object *root, struct sim_state *st)
{
	json_object *devs, *f, *ev;

	memset(st, 0, sizeof(*st));
	if (num(r, root, "famfsctl_sim") != SIM_STATE_VERSION && !r->why[0])
		snprintf(r->why, sizeof(r->why), "state version is not %d",
			 SIM_STATE_VERSION);
	st->hosts = (uint16_t)num(r, root, "hosts");
	f = field(r, root, "faults", json_type_object);
	if (f) {
		st->faults.fail_at = (uint32_t)num(r, f, "fail");
		st->faults.fail_rc = (uint32_t)num(r, f, "fail_rc");
		st->faults.partial = (int64_t)num(r, f, "partial");
		st->faults.delay_ms = (int64_t)num(r, f, "delay_ms");
		st->faults.commands = (uint32_t)num(r, f, "commands");
		st->faults.adds = (uint32_t)num(r, f, "adds");
	}
	devs = field(r, root, "devices", json_type_array);
	if (!devs)
		return -EINVAL;
	st->ndevs = (uint32_t)json_object_array_length(devs);
	st->devs = calloc(st->ndevs ? st->ndevs : 1, sizeof(*st->devs));
	if (!st->devs)
		return -ENOMEM;
	for (uint32_t i = 0; i < st->ndevs && !r->why[0]; i++) {
		json_object *jd = json_object_array_get_idx(devs, i), *allocs;
		struct sim_dev *d = &st->devs[i];

		str(r, jd, "name", d->name, sizeof(d->name));
		str(r, jd, "port", d->port, sizeof(d->port));
		d->serial = num(r, jd, "serial");
		d->capacity = num(r, jd, "capacity");
		d->block_size = num(r, jd, "block_size");
		d->sharable = flag(r, jd, "sharable");
		d->sanitize_on_release = flag(r, jd, "sanitize_on_release");
		d->max_extents = (uint32_t)num(r, jd, "max_extents");
		d->max_tags = (uint32_t)num(r, jd, "max_tags");
		d->generation = (uint32_t)num(r, jd, "generation");
		allocs = field(r, jd, "allocations", json_type_array);
		if (!allocs)
			break;
		d->nallocs = (uint32_t)json_object_array_length(allocs);
		d->allocs = calloc(d->nallocs ? d->nallocs : 1, sizeof(*d->allocs));
		if (!d->allocs)
			return -ENOMEM;
		for (uint32_t a = 0; a < d->nallocs && !r->why[0]; a++) {
			json_object *ja = json_object_array_get_idx(allocs, a), *ext, *holds;
			struct sim_alloc *al = &d->allocs[a];

			read_tag(r, ja, al->tag);
			al->region = (uint8_t)num(r, ja, "region");
			al->fm_ref = flag(r, ja, "fm_ref");
			al->sanitize = flag(r, ja, "sanitize");
			ext = field(r, ja, "extents", json_type_array);
			holds = field(r, ja, "holds", json_type_array);
			if (!ext || !holds)
				break;
			al->next = (uint32_t)json_object_array_length(ext);
			al->ext = calloc(al->next ? al->next : 1, sizeof(*al->ext));
			al->nholds = (uint32_t)json_object_array_length(holds);
			al->holds = calloc(al->nholds ? al->nholds : 1, sizeof(*al->holds));
			if (!al->ext || !al->holds)
				return -ENOMEM;
			for (uint32_t e = 0; e < al->next; e++) {
				json_object *je = json_object_array_get_idx(ext, e);

				al->ext[e].dpa = num(r, je, "dpa");
				al->ext[e].length = num(r, je, "length");
				al->ext[e].shared_seq = (uint16_t)num(r, je, "seq");
				uuid_copy(al->ext[e].tag, al->tag);
			}
			for (uint32_t h = 0; h < al->nholds; h++) {
				json_object *jh = json_object_array_get_idx(holds, h);
				struct sim_hold *ho = &al->holds[h];

				ho->host = (uint16_t)num(r, jh, "host");
				ho->state = (uint8_t)name_index(r, jh, "state", hold_states, 3);
				ho->arrive_ms = (int64_t)num(r, jh, "arrive_ms");
				ho->dax = (uint32_t)num(r, jh, "dax");
				ho->mode = (uint8_t)name_index(r, jh, "mode", dax_modes, 2);
			}
		}
	}
	ev = NULL;
	if (!r->why[0] && json_object_object_get_ex(root, "host_events", &ev) &&
	    json_object_is_type(ev, json_type_array)) {
		size_t n = json_object_array_length(ev);

		for (size_t i = n > SIM_MAX_EVENTS ? n - SIM_MAX_EVENTS : 0; i < n; i++) {
			json_object *m = json_object_array_get_idx(ev, i);

			if (json_object_is_type(m, json_type_string))
				st->events[st->nevents++] = strdup(json_object_get_string(m));
		}
	}
	return r->why[0] ? -EINVAL : 0;
}

void sim_state_free(struct sim_state *st)
{
	for (uint32_t i = 0; st->devs && i < st->ndevs; i++) {
		for (uint32_t a = 0; a < st->devs[i].nallocs; a++) {
			free(st->devs[i].allocs[a].ext);
			free(st->devs[i].allocs[a].holds);
		}
		free(st->devs[i].allocs);
	}
	free(st->devs);
	for (uint32_t i = 0; i < st->nevents; i++)
		free(st->events[i]);
	memset(st, 0, sizeof(*st));
}

static int state_write(struct sim *s, const struct sim_state *st)
{
	char *path = path_in(s->dir, SIM_STATE_FILE);
	json_object *root = state_to_json(st);
	const char *text = json_object_to_json_string_ext(root,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
	char *buf = NULL, why[PATH_MAX + 96];
	int rc;

	/* a new temporary file (never a planted link), synced, renamed */
	char *valid = util_utf8_dup(text);

	if (!path || !valid || asprintf(&buf, "%s\n", valid) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	rc = util_write_atomic(path, buf, strlen(buf), 0644, why, sizeof(why));
	if (rc < 0)
		sim_log(s, LOG_ERR, "sim: %s\n", why);
out:
	json_object_put(root);
	free(valid);
	free(buf);
	free(path);
	return rc;
}

static int state_read(struct sim *s, struct sim_state *st)
{
	char *path = path_in(s->dir, SIM_STATE_FILE);
	json_object *root;
	struct rd r = { .path = path };
	int rc;

	if (!path)
		return -ENOMEM;
	root = json_object_from_file(path);
	if (!root) {
		rc = access(path, F_OK) ? -ENOENT : -EINVAL;
		if (rc == -ENOENT)
			sim_log(s, LOG_ERR,
				"sim: %s: no simulated fabric here (create one with 'famfsctl --fabric sim:%s fabric create'; FAMFSCTL_FABRIC=none shows this host's kernel only)\n",
				s->dir, s->dir);
		else
			sim_log(s, LOG_ERR, "sim: %s: not a JSON state file: %s\n",
				path, json_util_get_last_err());
		free(path);
		return rc;
	}
	rc = state_from_json(&r, root, st);
	if (rc == -EINVAL)
		sim_log(s, LOG_ERR, "sim: %s: damaged state: %s\n", path, r.why);
	if (rc < 0)
		sim_state_free(st);
	json_object_put(root);
	free(path);
	return rc;
}

/* ---- transactions --------------------------------------------------------- */

int sim_begin(struct sim *s)
{
	int rc;

	while (flock(s->lockfd, LOCK_EX) < 0)
		if (errno != EINTR)
			return -errno;
	rc = state_read(s, &s->st);
	if (rc < 0) {
		flock(s->lockfd, LOCK_UN);
		return rc;
	}
	s->in_txn = true;
	s->dirty = false;
	sim_settle(s, sim_now_ms());
	return 0;
}

int sim_commit(struct sim *s)
{
	int rc = 0;

	if (s->dirty)
		rc = state_write(s, &s->st);
	sim_state_free(&s->st);
	s->in_txn = false;
	flock(s->lockfd, LOCK_UN);
	return rc;
}

void sim_abort(struct sim *s)
{
	sim_state_free(&s->st);
	s->in_txn = false;
	flock(s->lockfd, LOCK_UN);
}

static int open_lock(const struct famfsctl_plugin_host *log, const char *dir,
		     bool create)
{
	char *path = path_in(dir, SIM_LOCK_FILE), why[PATH_MAX + 96];
	int fd;

	if (!path)
		return -ENOMEM;
	/* the directory must be the user's and the lock a file, not a link */
	fd = util_open_safe(path, O_RDWR | (create ? O_CREAT : 0), 0644, why, sizeof(why));
	if (fd < 0 && log && log->log) {
		if (fd == -ENOENT)
			log->log(log->priv, LOG_ERR,
				 "sim: %s: no simulated fabric here (create one with 'famfsctl --fabric sim:%s fabric create'; FAMFSCTL_FABRIC=none shows this host's kernel only)\n",
				 dir, dir);
		else
			log->log(log->priv, LOG_ERR, "sim: cannot open the lock: %s\n", why);
	}
	free(path);
	return fd;
}

int sim_open(const struct famfsctl_plugin_host *log, const char *dir,
	     struct sim **out)
{
	struct sim *s;
	const char *env = getenv("FAMFSCTL_SIM_FAULTS");
	char why[160];
	int rc;

	if (!dir || !*dir) {
		if (log && log->log)
			log->log(log->priv, LOG_ERR, "sim: no state directory given (sim:DIR)\n");
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->dir = strdup(dir))) {
		free(s);
		return -ENOMEM;
	}
	s->log = log;
	if (env && *env) {
		rc = sim_parse_faults(env, &s->faults, why, sizeof(why));
		if (rc < 0) {
			sim_log(s, LOG_ERR, "sim: FAMFSCTL_SIM_FAULTS: %s\n", why);
			goto fail;
		}
		s->env_faults = true;
	}
	s->lockfd = open_lock(log, dir, false);
	if (s->lockfd < 0) {
		rc = s->lockfd;
		goto fail;
	}
	*out = s;
	return 0;
fail:
	free(s->dir);
	free(s);
	return rc;
}

void sim_close(struct sim *s)
{
	if (!s)
		return;
	if (s->in_txn)
		sim_abort(s);
	close(s->lockfd);
	free(s->dir);
	free(s);
}

#define MIB (1ULL << 20)

int sim_create(const struct famfsctl_plugin_host *log, const char *dir,
	       const struct famfsctl_fm_create *p)
{
	struct sim tmp = { .dir = (char *)dir, .log = log, .lockfd = -1 };
	struct sim_state *st = &tmp.st;
	uint64_t block = p->block_size ? p->block_size : 2 * MIB;
	uint32_t ports = p->ports ? p->ports : 1;
	char *state, why[PATH_MAX + 96];
	int rc;

	if (!p->devices || p->devices > 4096) {
		sim_log(&tmp, LOG_ERR, "sim: --devices %u: a fabric has 1 to 4096 devices\n",
			p->devices);
		return -EINVAL;
	}
	if (block < 64 * 1024 || block > 1024 * MIB || (block & (block - 1))) {
		sim_log(&tmp, LOG_ERR,
			"sim: block size %llu: must be a power of two from 64 KiB to 1 GiB\n",
			(unsigned long long)block);
		return -EINVAL;
	}
	if (!p->capacity || p->capacity % (256 * MIB)) {
		sim_log(&tmp, LOG_ERR,
			"sim: capacity %llu: must be a non-zero multiple of 256 MiB (the FM-API capacity unit)\n",
			(unsigned long long)p->capacity);
		return -EINVAL;
	}
	if (p->hosts > FM_MAX_HOSTS) {
		sim_log(&tmp, LOG_ERR, "sim: %u hosts: at most %d\n", p->hosts, FM_MAX_HOSTS);
		return -EINVAL;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		rc = -errno;
		sim_log(&tmp, LOG_ERR, "sim: %s: cannot create: %s\n", dir, strerror(errno));
		return rc;
	}
	rc = util_check_dir(dir, why, sizeof(why)); /* no one else's, writable by no one else */
	if (rc < 0) {
		sim_log(&tmp, LOG_ERR, "sim: refused: %s\n", why);
		return rc;
	}
	tmp.lockfd = open_lock(log, dir, true);
	if (tmp.lockfd < 0)
		return tmp.lockfd;
	flock(tmp.lockfd, LOCK_EX);
	state = path_in(dir, SIM_STATE_FILE);
	if (!state) {
		rc = -ENOMEM;
		goto out;
	}
	if (access(state, F_OK) == 0) {
		sim_log(&tmp, LOG_ERR, "sim: %s: a fabric already exists here\n", dir);
		rc = -EEXIST;
		goto out;
	}
	st->hosts = p->hosts ? p->hosts : 8;
	st->faults.partial = -1;
	st->faults.fail_rc = FM_RC_INTERNAL_ERROR;
	st->ndevs = p->devices;
	st->devs = calloc(p->devices, sizeof(*st->devs));
	if (!st->devs) {
		rc = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < p->devices; i++) {
		struct sim_dev *d = &st->devs[i];
		char *img;
		int fd;

		snprintf(d->name, sizeof(d->name), "dcd%u", i);
		snprintf(d->port, sizeof(d->port), "port%u", i % ports);
		d->serial = 0x5a5a000000000000ULL | i;
		d->capacity = p->capacity;
		d->block_size = block;
		d->sharable = p->sharable;
		d->max_extents = p->max_extents ? p->max_extents : 512;
		d->max_tags = p->max_tags ? p->max_tags : 256;
		img = sim_backing_path(&tmp, d);
		fd = img ? util_open_safe(img, O_RDWR | O_CREAT | O_TRUNC, 0644, why,
					  sizeof(why)) : -ENOMEM;
		if (fd >= 0 && ftruncate(fd, (off_t)d->capacity) < 0) {
			snprintf(why, sizeof(why), "%s: %s", img, strerror(errno));
			close(fd);
			fd = -EIO;
		}
		if (fd < 0) {
			rc = fd;
			sim_log(&tmp, LOG_ERR, "sim: cannot create the backing file: %s\n",
				img ? why : dir);
			free(img);
			goto out;
		}
		close(fd);
		free(img);
	}
	rc = state_write(&tmp, st);
out:
	free(state);
	sim_state_free(st);
	flock(tmp.lockfd, LOCK_UN);
	close(tmp.lockfd);
	return rc;
}
