// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The plugin host: selecting a fabric manager by URI, loading its plugin
 * with dlopen from the plugin directory only, checking its interface
 * version, and the fc_fabric_*() wrappers that turn FM-API return codes into
 * errnos and readable messages.
 */
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>
#include <json-c/json.h>
#include "lib/private.h"
#include "lib/policy.h"
#include "util/fs.h"
#include "proto/fm-json.h"

struct fabric_conn {
	char *uri;
	char *name; /* the plugin's name: the URI's scheme */
	void *dl;
	const struct famfsctl_plugin *plugin;
	void *handle;
	struct famfsctl_plugin_host host;
	int status; /* FM-API return code of the last command */
	uint64_t calls, ns; /* commands sent and time spent in the plugin */
	char why[256]; /* the plugin's last error message */
};

static const struct {
	int rc;
	const char *name;
} rc_names[] = {
	{ FM_RC_SUCCESS, "Success" },
	{ FM_RC_BACKGROUND, "Background Command Started" },
	{ FM_RC_INVALID_INPUT, "Invalid Input" },
	{ FM_RC_UNSUPPORTED, "Unsupported" },
	{ FM_RC_INTERNAL_ERROR, "Internal Error" },
	{ FM_RC_RETRY_REQUIRED, "Retry Required" },
	{ FM_RC_BUSY, "Busy" },
	{ FM_RC_INVALID_HANDLE, "Invalid Handle" },
	{ FM_RC_RESOURCES_EXHAUSTED, "Resources Exhausted" },
	{ FM_RC_INVALID_EXTENT_LIST, "Invalid Extent List" },
};

FC_EXPORT const char *fc_fm_rc_name(int rc)
{
	for (size_t i = 0; i < ARRAY_SIZE(rc_names); i++)
		if (rc_names[i].rc == rc)
			return rc_names[i].name;
	return "Unknown Return Code";
}

FC_EXPORT const char *fc_fm_policy_name(int policy)
{
	return fmj_policy_name(policy);
}

FC_EXPORT int fc_fm_policy_parse(const char *name)
{
	return fmj_policy_parse(name);
}

/* ---- loading ----------------------------------------------------------------- */

static void plugin_log(void *priv, int prio, const char *fmt, ...)
{
	struct fc_ctx *ctx = priv;
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (ctx->fabric && prio <= LOG_ERR) {
		size_t n = strcspn(buf, "\n");

		snprintf(ctx->fabric->why, sizeof(ctx->fabric->why), "%.*s", (int)n, buf);
	}
	if (fc_get_log_priority(ctx) < prio)
		return;
	util_log(ctx_log(ctx), prio, "plugin", 0, ctx->fabric ? ctx->fabric->name : "plugin",
	       "%s", buf);
}

/* $FAMFSCTL_PLUGIN_DIR, ignored in a setuid or otherwise elevated process
 * (secure_getenv), else PLUGINDIR. */
static const char *plugin_dir(void)
{
	const char *env = secure_getenv("FAMFSCTL_PLUGIN_DIR");

	return env && *env ? env : PLUGINDIR;
}

FC_EXPORT char *fc_fabric_default_sim_dir(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir = NULL;

	if (state && *state) {
		if (asprintf(&dir, "%s/famfsctl/sim", state) < 0)
			return NULL;
	} else if (home && *home) {
		if (asprintf(&dir, "%s/.local/state/famfsctl/sim", home) < 0)
			return NULL;
	}
	return dir;
}

/* Split "NAME[:ARG]"; NAME must be a plain plugin name. */
static int parse_uri(struct fc_ctx *ctx, const char *uri, char **name, char **arg)
{
	const char *colon = strchr(uri, ':');
	size_t n = colon ? (size_t)(colon - uri) : strlen(uri);

	if (!n || n > 32) {
		err(ctx, "fabric '%s': expected NAME:ARG (sim:DIR, exec:PROGRAM)\n", uri);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)uri[i]) && !isdigit((unsigned char)uri[i]) &&
		    uri[i] != '_' && uri[i] != '-') {
			err(ctx, "fabric '%s': '%.*s' is not a plugin name (lower case letters, digits, '-', '_')\n",
			    uri, (int)n, uri);
			return -EINVAL;
		}
	*name = strndup(uri, n);
	*arg = strdup(colon ? colon + 1 : "");
	if (!*name || !*arg) {
		free(*name);
		free(*arg);
		return -ENOMEM;
	}
	return 0;
}

static int load(struct fc_ctx *ctx, const char *name, struct fabric_conn *f)
{
	char *path;
	const struct famfsctl_plugin *p;

	char why[PATH_MAX + 64];

	if (asprintf(&path, "%s/%s.so", plugin_dir(), name) < 0)
		return -ENOMEM;
	/* code this process runs: as root, only what others cannot replace */
	if (geteuid() == 0 && access(path, F_OK) == 0 &&
	    util_check_trusted(path, why, sizeof(why)) < 0) {
		err(ctx, "fabric plugin '%s': refusing to load %s as root: %s\n", name, path, why);
		free(path);
		return -EPERM;
	}
	f->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!f->dl) {
		err(ctx, "fabric plugin '%s': cannot load %s: %s\n", name, path, dlerror());
		free(path);
		return -ENOENT;
	}
	p = dlsym(f->dl, FAMFSCTL_PLUGIN_SYMBOL);
	if (!p) {
		err(ctx, "fabric plugin '%s': %s exports no '%s'\n", name, path,
		    FAMFSCTL_PLUGIN_SYMBOL);
		goto bad;
	}
	if (p->version != FAMFSCTL_PLUGIN_VERSION) {
		err(ctx, "fabric plugin '%s': %s speaks plugin interface version %u; this famfsctl knows version %d\n",
		    name, path, p->version, FAMFSCTL_PLUGIN_VERSION);
		goto bad;
	}
	if (!p->open || !p->fabric || !p->dcd_info || !p->region_config ||
	    !p->extents || !p->add || !p->release || !p->tags) {
		err(ctx, "fabric plugin '%s': %s lacks a mandatory operation\n", name, path);
		goto bad;
	}
	f->plugin = p;
	free(path);
	return 0;
bad:
	dlclose(f->dl);
	f->dl = NULL;
	free(path);
	return -ENOEXEC;
}

static void fabric_free(struct fabric_conn *f)
{
	if (!f)
		return;
	if (f->handle && f->plugin->close)
		f->plugin->close(f->handle);
	if (f->dl)
		dlclose(f->dl);
	free(f->uri);
	free(f->name);
	free(f);
}

void fabric_detach(struct fc_ctx *ctx)
{
	fabric_free(ctx->fabric);
	ctx->fabric = NULL;
}

/* The selected fabric; never a default one picked behind the caller's back
 * (FAMFSCTL_FABRIC=none means none). */
static struct fabric_conn *need_fabric(struct fc_ctx *ctx)
{
	if (!ctx->fabric)
		err(ctx, "no fabric manager is configured: name one with [fabric] uri in %s/famfsctl.conf, FAMFSCTL_FABRIC or --fabric (exec:PROGRAM, man 7 famfsctl-exec), or try the simulator: --fabric sim (famfsctl --fabric sim fabric create --devices 4 --capacity 8G)\n",
		    getenv("FAMFSCTL_POLICY_DIR") && *getenv("FAMFSCTL_POLICY_DIR") ?
		    getenv("FAMFSCTL_POLICY_DIR") : POLICYDIR);
	return ctx->fabric;
}

/* Load the plugin a URI names, resolving the default; *arg gets its argument. */
static int fabric_load(struct fc_ctx *ctx, const char *uri, struct fabric_conn **out,
		       char **argp)
{
	struct fabric_conn *f = calloc(1, sizeof(*f));
	char *def = NULL, *arg = NULL;
	int rc;

	if (!f)
		return -ENOMEM;
	if (!uri || !*uri) {
		free(f);
		need_fabric(ctx); /* says how to name one */
		return -ENODEV;
	}
	if (!strcmp(uri, "sim")) {
		def = fc_fabric_default_sim_dir();
		if (!def) {
			err(ctx, "no default fabric: set HOME or XDG_STATE_HOME, or give --fabric sim:DIR\n");
			free(f);
			return -EINVAL;
		}
		rc = asprintf(&f->uri, "sim:%s", def);
		free(def);
		if (rc < 0) {
			free(f);
			return -ENOMEM;
		}
	} else if (!(f->uri = strdup(uri))) {
		free(f);
		return -ENOMEM;
	}
	rc = parse_uri(ctx, f->uri, &f->name, &arg);
	if (rc < 0)
		goto fail;
	f->host.version = FAMFSCTL_PLUGIN_VERSION;
	f->host.priv = ctx;
	f->host.log = plugin_log;
	rc = load(ctx, f->name, f);
	if (rc < 0)
		goto fail;
	*out = f;
	*argp = arg;
	return 0;
fail:
	free(arg);
	fabric_free(f);
	return rc;
}

FC_EXPORT int fc_set_fabric(struct fc_ctx *ctx, const char *uri,
			    unsigned int host_id)
{
	struct fabric_conn *f, *old = ctx->fabric;
	char *arg = NULL;
	int rc;

	char configured[FC_PATH_MAX];
	unsigned int config_host;

	/* none named: what this host's famfsctl.conf names, else no fabric */
	if (!uri || !*uri) {
		rc = policy_config_fabric(ctx, configured, sizeof(configured), &config_host);
		if (rc < 0)
			return rc;
		uri = *configured ? configured : "none";
		if (*configured && !host_id)
			host_id = config_host;
	}
	if (!strcmp(uri, "none")) {
		fabric_detach(ctx);
		return fc_set_platform(ctx, "sysfs", NULL, host_id);
	}
	rc = fabric_load(ctx, uri, &f, &arg);
	if (rc < 0)
		return rc;
	ctx->fabric = f; /* the plugin's log messages name it */
	rc = f->plugin->open(&f->host, arg, &f->handle);
	if (rc < 0) {
		err(ctx, "fabric %s: cannot open: %s\n", f->uri, strerror(-rc));
		goto fail;
	}
	rc = fc_set_platform(ctx, strcmp(f->name, "sim") ? "sysfs" : "sim",
			     strcmp(f->name, "sim") ? NULL : arg, host_id);
	if (rc < 0)
		goto fail;
	fabric_free(old);
	free(arg);
	return 0;
fail:
	ctx->fabric = old;
	fabric_free(f);
	free(arg);
	return rc;
}

FC_EXPORT int fc_fabric_check_uri(struct fc_ctx *ctx, const char *uri)
{
	char *name = NULL, *arg = NULL, *path = NULL;
	char why[PATH_MAX + 64];
	int rc;

	if (!uri || !*uri || !strcmp(uri, "none"))
		return 0;
	rc = parse_uri(ctx, uri, &name, &arg);
	if (rc < 0)
		return rc;
	if (asprintf(&path, "%s/%s.so", plugin_dir(), name) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	if (access(path, R_OK) < 0) {
		rc = -errno;
		err(ctx, "fabric '%s': no plugin '%s' here (%s: %s)\n", uri, name, path,
		    strerror(errno));
		goto out;
	}
	if (!strcmp(name, "exec") && *arg) {
		if (access(arg, X_OK) < 0) {
			rc = -errno;
			err(ctx, "fabric '%s': program %s: %s\n", uri, arg, strerror(errno));
		} else if (geteuid() == 0 && util_check_trusted(arg, why, sizeof(why)) < 0) {
			rc = -EPERM;
			err(ctx, "fabric '%s': root would not run it: %s\n", uri, why);
		}
	}
out:
	free(path);
	free(name);
	free(arg);
	return rc;
}

FC_EXPORT const char *fc_get_fabric_uri(struct fc_ctx *ctx)
{
	return ctx->fabric ? ctx->fabric->uri : NULL;
}

FC_EXPORT int fc_fabric_create(struct fc_ctx *ctx, const char *uri,
			       const struct famfsctl_fm_create *params)
{
	struct fabric_conn *f, *old = ctx->fabric;
	char *arg = NULL;
	int rc;

	rc = fabric_load(ctx, uri, &f, &arg);
	if (rc < 0)
		return rc;
	ctx->fabric = f;
	if (!f->plugin->create) {
		err(ctx, "fabric %s: the '%s' plugin cannot create a fabric\n", f->uri, f->name);
		rc = -EOPNOTSUPP;
	} else {
		if (!strcmp(uri, "sim")) {
			/* the default directory's parents (the plugin makes it) */
			char *parent = strdup(arg), *slash = parent ? strrchr(parent, '/') : NULL;

			if (slash && slash != parent) {
				*slash = '\0';
				util_mkdir_p(parent, 0755);
			}
			free(parent);
		}
		rc = f->plugin->create(&f->host, arg, params);
	}
	ctx->fabric = old;
	fabric_free(f);
	free(arg);
	return rc;
}

/* ---- the commands ------------------------------------------------------------ */

static int errno_of(int rc)
{
	switch (rc) {
	case FM_RC_INVALID_INPUT:
	case FM_RC_INVALID_EXTENT_LIST:
	case FM_RC_INVALID_HANDLE:
		return -EINVAL;
	case FM_RC_UNSUPPORTED:
		return -EOPNOTSUPP;
	case FM_RC_RETRY_REQUIRED:
		return -EAGAIN;
	case FM_RC_BUSY:
		return -EBUSY;
	case FM_RC_RESOURCES_EXHAUSTED:
		return -ENOSPC;
	default:
		return -EIO;
	}
}


/* Finish a command: record the FM status, say what failed. */
static int done(struct fc_ctx *ctx, struct fabric_conn *f, const char *cmd,
		long dev, int rc)
{
	char where[32] = "";

	f->status = rc > 0 ? rc : 0;
	if (!rc) {
		f->why[0] = '\0';
		return 0;
	}
	if (dev >= 0)
		snprintf(where, sizeof(where), "device %ld: ", dev);
	if (rc > 0) {
		err(ctx, "fabric %s: %s%s: %s (%#x)\n", f->uri, where, cmd,
		    fc_fm_rc_name(rc), rc);
		return errno_of(rc);
	}
	err(ctx, "fabric %s: %s%s: %s\n", f->uri, where, cmd, strerror(-rc));
	return rc;
}

#define CALL(ctx, dev, cmd, op, ...)                                        \
	({                                                                  \
		struct fabric_conn *f_ = need_fabric(ctx);                    \
		int rc_;                                                    \
		if (!f_)                                                    \
			rc_ = -ENODEV;                                      \
		else if (!f_->plugin->op)                                   \
			rc_ = done(ctx, f_, cmd, dev, FM_RC_UNSUPPORTED);   \
		else {                                                      \
			uint64_t t0_ = ctx_now_ns();                         \
			int r_ = f_->plugin->op(f_->handle, __VA_ARGS__);   \
			f_->ns += ctx_now_ns() - t0_;                        \
			f_->calls++;                                        \
			rc_ = done(ctx, f_, cmd, dev, r_);                  \
		}                                                           \
		rc_;                                                        \
	})

FC_EXPORT int fc_fabric_info(struct fc_ctx *ctx, struct famfsctl_fm_fabric *out)
{
	return CALL(ctx, -1, "fabric info", fabric, out);
}

FC_EXPORT int fc_fabric_dcd_info(struct fc_ctx *ctx, uint32_t dev,
				 struct famfsctl_fm_dcd_info *out)
{
	return CALL(ctx, (long)dev, "Get DCD Info (5600h)", dcd_info, dev, out);
}

FC_EXPORT int fc_fabric_region_config(struct fc_ctx *ctx, uint32_t dev, uint16_t host,
				      struct famfsctl_fm_region *out, uint8_t *n)
{
	return CALL(ctx, (long)dev, "Get Host DC Region Config (5601h)", region_config,
		    dev, host, out, n);
}

FC_EXPORT int fc_fabric_set_region_config(struct fc_ctx *ctx, uint32_t dev,
					  const struct famfsctl_fm_region_set *req)
{
	return CALL(ctx, (long)dev, "Set DC Region Config (5602h)", set_region_config,
		    dev, req);
}

FC_EXPORT int fc_fabric_extents(struct fc_ctx *ctx, uint32_t dev, uint16_t host,
				struct famfsctl_fm_page *page,
				struct famfsctl_fm_extent *out)
{
	return CALL(ctx, (long)dev, "Get DC Region Extent Lists (5603h)", extents,
		    dev, host, page, out);
}

FC_EXPORT int fc_fabric_add(struct fc_ctx *ctx, uint32_t dev,
			    const struct famfsctl_fm_add *req)
{
	return CALL(ctx, (long)dev, "Initiate DC Add (5604h)", add, dev, req);
}

FC_EXPORT int fc_fabric_release(struct fc_ctx *ctx, uint32_t dev,
				const struct famfsctl_fm_release *req)
{
	return CALL(ctx, (long)dev, "Initiate DC Release (5605h)", release, dev, req);
}

FC_EXPORT int fc_fabric_add_ref(struct fc_ctx *ctx, uint32_t dev, const uuid_t tag)
{
	return CALL(ctx, (long)dev, "DC Add Reference (5606h)", add_ref, dev, tag);
}

FC_EXPORT int fc_fabric_remove_ref(struct fc_ctx *ctx, uint32_t dev, const uuid_t tag)
{
	return CALL(ctx, (long)dev, "DC Remove Reference (5607h)", remove_ref, dev, tag);
}

FC_EXPORT int fc_fabric_tags(struct fc_ctx *ctx, uint32_t dev,
			     struct famfsctl_fm_page *page, struct famfsctl_fm_tag *out)
{
	return CALL(ctx, (long)dev, "DC List Tags (5608h)", tags, dev, page, out);
}

uint64_t ctx_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

FC_EXPORT void fc_get_stats(struct fc_ctx *ctx, struct fc_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (ctx->fabric) {
		st->fabric_calls = ctx->fabric->calls;
		st->fabric_ns = ctx->fabric->ns;
	}
	st->platform_calls = ctx->platform_calls;
	st->platform_ns = ctx->platform_ns;
}

FC_EXPORT int fc_fabric_get_status(struct fc_ctx *ctx)
{
	return ctx->fabric ? ctx->fabric->status : 0;
}

const char *fabric_last_message(struct fc_ctx *ctx)
{
	return ctx->fabric && ctx->fabric->why[0] ? ctx->fabric->why : NULL;
}

/* ---- JSON views -------------------------------------------------------------- */

static json_object *host_set(uint64_t bits)
{
	json_object *a = json_object_new_array();

	for (int h = 0; h < FM_MAX_HOSTS; h++)
		if (bits & (1ULL << h))
			json_object_array_add(a, json_object_new_int(h));
	return a;
}

#define TAG_PAGE 64
/* No device lists more tags than this (an FM's tags_supported is far less):
 * a reply's `total` beyond it is refused, never paged through. */
#define TAG_LIST_MAX 65536

static int tag_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(uuid_t));
}

/* Does tags[n] name one tag twice? (sorted copy: n may be 65536) */
static bool has_duplicate(const struct famfsctl_fm_tag *tags, uint32_t n)
{
	uuid_t *u = n ? calloc(n, sizeof(*u)) : NULL;
	bool dup = false;

	if (!u)
		return false;
	for (uint32_t i = 0; i < n; i++)
		memcpy(u[i], tags[i].tag, sizeof(uuid_t));
	qsort(u, n, sizeof(*u), tag_cmp);
	for (uint32_t i = 1; i < n && !dup; i++)
		dup = !memcmp(u[i - 1], u[i], sizeof(uuid_t));
	free(u);
	return dup;
}

/*
 * Every tag of a device, page by page; returns the count or -errno. The
 * FM's pages are checked, not trusted: a page larger than asked for or
 * than the total left, a total beyond TAG_LIST_MAX or changing between
 * pages, a page that does not advance, or a tag already listed is -EPROTO.
 * A list that changed (its generation) while paging is read again, thrice
 * at most.
 */
int fabric_all_tags(struct fc_ctx *ctx, uint32_t dev, struct famfsctl_fm_tag **out)
{
	struct famfsctl_fm_tag *tags = NULL, *n;
	struct famfsctl_fm_page page;
	uint32_t total = 0, gen = 0;
	const char *bad = NULL;
	int rc, tries = 0;

again:
	memset(&page, 0, sizeof(page));
	page.max = TAG_PAGE;
	do {
		n = realloc(tags, ((size_t)page.start + TAG_PAGE) * sizeof(*tags));
		if (!n) {
			free(tags);
			return -ENOMEM;
		}
		tags = n;
		rc = fc_fabric_tags(ctx, dev, &page, tags + page.start);
		if (rc < 0) {
			free(tags);
			return rc;
		}
		if (page.start == 0) {
			total = page.total;
			gen = page.generation;
		} else if (page.generation != gen && tries++ < 3) {
			goto again; /* the list changed under us */
		}
		if (page.returned > page.max)
			bad = "more tags than asked for";
		else if (page.total > TAG_LIST_MAX)
			bad = "a total beyond any device's tags";
		else if (page.total != total || page.generation != gen)
			bad = "the total changed between pages";
		else if (page.returned > total - page.start)
			bad = "more tags than its total";
		else if (!page.returned && page.start < total)
			bad = "a page that does not advance";
		page.start += bad ? 0 : page.returned;
		if (!bad && page.start >= total && has_duplicate(tags, page.start))
			bad = "a tag listed twice";
		if (bad) {
			err(ctx, "fabric %s: device %u: DC List Tags (5608h): bad paging at entry %u of %u (total %u): %s\n",
			    ctx->fabric ? ctx->fabric->uri : "?", dev, page.start, total,
			    page.total, bad);
			free(tags);
			return -EPROTO;
		}
	} while (page.start < total);
	*out = tags;
	return (int)page.start;
}

FC_EXPORT struct json_object *fc_fabric_to_json(struct fc_ctx *ctx, unsigned long flags)
{
	struct famfsctl_fm_fabric fab;
	json_object *root, *devs;

	if (fc_fabric_info(ctx, &fab) < 0)
		return NULL;
	root = json_object_new_object();
	json_object_object_add(root, "fabric", json_object_new_string(ctx->fabric->uri));
	json_object_object_add(root, "name", json_object_new_string(fab.name));
	devs = json_object_new_array();
	json_object_object_add(root, "devices", devs);
	for (uint32_t i = 0; i < fab.devices; i++) {
		struct famfsctl_fm_dcd_info info;
		struct famfsctl_fm_region reg[FM_MAX_REGIONS];
		struct famfsctl_fm_tag *tags;
		json_object *d, *pol, *regs;
		uint64_t allocated = 0;
		uint8_t nreg = 0;
		int ntags;

		if (fc_fabric_dcd_info(ctx, i, &info) < 0 ||
		    fc_fabric_region_config(ctx, i, (uint16_t)ctx->host_id, reg, &nreg) < 0 ||
		    (ntags = fabric_all_tags(ctx, i, &tags)) < 0) {
			json_object_put(root);
			return NULL;
		}
		for (int t = 0; t < ntags; t++)
			allocated += tags[t].length;
		free(tags);
		d = json_object_new_object();
		json_object_object_add(d, "device", json_object_new_int((int)i));
		json_object_object_add(d, "name", json_object_new_string(info.name));
		json_object_object_add(d, "serial", json_object_new_int64((int64_t)info.serial));
		if (info.port[0])
			json_object_object_add(d, "port", json_object_new_string(info.port));
		json_object_object_add(d, "hosts", json_object_new_int(info.hosts));
		json_object_object_add(d, "total_capacity", fc_json_size(info.total_capacity, flags));
		json_object_object_add(d, "tagged", fc_json_size(allocated, flags));
		json_object_object_add(d, "free", fc_json_size(info.total_capacity > allocated ?
							       info.total_capacity - allocated : 0, flags));
		json_object_object_add(d, "tags", json_object_new_int(ntags));
		pol = json_object_new_array();
		for (int p = 0; p < FM_ADD_POLICIES; p++)
			if (info.add_policies & (1 << p))
				json_object_array_add(pol, json_object_new_string(fmj_policy_name(p)));
		json_object_object_add(d, "add_policies", pol);
		regs = json_object_new_array();
		for (uint8_t r = 0; r < nreg; r++) {
			json_object *jr = json_object_new_object();

			json_object_object_add(jr, "region", json_object_new_int(r));
			json_object_object_add(jr, "base", json_object_new_int64((int64_t)reg[r].base));
			json_object_object_add(jr, "length", fc_json_size(reg[r].length, flags));
			json_object_object_add(jr, "block_size", fc_json_size(reg[r].block_size, flags));
			json_object_object_add(jr, "sharable",
					       json_object_new_boolean(reg[r].flags & FM_REGION_SHARABLE));
			json_object_object_add(jr, "extents_available",
					       json_object_new_int64(reg[r].extents_available));
			json_object_object_add(jr, "tags_available",
					       json_object_new_int64(reg[r].tags_available));
			json_object_array_add(regs, jr);
		}
		json_object_object_add(d, "regions", regs);
		json_object_array_add(devs, d);
	}
	return root;
}

FC_EXPORT struct json_object *fc_fabric_tags_to_json(struct fc_ctx *ctx, unsigned long flags)
{
	struct famfsctl_fm_fabric fab;
	json_object *arr;

	if (fc_fabric_info(ctx, &fab) < 0)
		return NULL;
	arr = json_object_new_array();
	for (uint32_t i = 0; i < fab.devices; i++) {
		struct famfsctl_fm_tag *tags;
		int n = fabric_all_tags(ctx, i, &tags);

		if (n < 0) {
			json_object_put(arr);
			return NULL;
		}
		for (int t = 0; t < n; t++) {
			json_object *o = json_object_new_object();
			char buf[37];

			uuid_unparse_lower(tags[t].tag, buf);
			json_object_object_add(o, "device", json_object_new_int((int)i));
			json_object_object_add(o, "tag", json_object_new_string(buf));
			json_object_object_add(o, "length", fc_json_size(tags[t].length, flags));
			json_object_object_add(o, "hosts", host_set(tags[t].hosts));
			if (tags[t].pending)
				json_object_object_add(o, "pending", host_set(tags[t].pending));
			if (tags[t].releasing)
				json_object_object_add(o, "releasing", host_set(tags[t].releasing));
			json_object_object_add(o, "fm_ref", json_object_new_boolean(tags[t].fm_ref));
			json_object_array_add(arr, o);
		}
		free(tags);
	}
	return arr;
}
