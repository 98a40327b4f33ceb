// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Allocation: from a request for tagged capacity to famfs-mode dax devices,
 * and back.
 *
 * An allocation group is capacity on one or more memory devices, each
 * member under its own tag (the kernel drops a tag group whose tag the host
 * already has: tags must be unique host-wide). Member i's tag is the group
 * id with its last 16 bits set to i + 1, so any member's tag names its group
 * and its place in the set, and the group id (last 16 bits zero) is never a
 * member's tag. Nothing else records a group: a host rebuilds its groups
 * from the tags it sees (fc_allocations_to_json).
 *
 * fc_alloc(): choose devices (equal parts, spread over ports), ask the
 * fabric for each part, wait for the extents to reach this host, claim each
 * tag as a dax device and switch it to famfs mode. Any failure on the way
 * rolls back what was done: dax devices destroyed, capacity released.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "lib/private.h"
#include "util/fs.h"
#include "lib/host/platform.h"
#include "lib/policy.h"
#include "util/arith.h"
#include "util/string.h"

#define MIB (1ULL << 20)
#define DEFAULT_TIMEOUT_MS 30000
/* A release the kernel dropped (the tag still claimed) is asked again. */
#define RELEASE_ATTEMPTS 5
#define RELEASE_FIRST_WAIT_MS 10

FC_EXPORT void fc_group_member_tag(const uuid_t group, unsigned int index, uuid_t tag)
{
	uuid_copy(tag, group);
	tag[14] = (uint8_t)((index + 1) >> 8);
	tag[15] = (uint8_t)(index + 1);
}

FC_EXPORT bool fc_group_of_tag(const uuid_t tag, uuid_t group, unsigned int *index)
{
	unsigned int n = (unsigned int)tag[14] << 8 | tag[15];

	uuid_copy(group, tag);
	group[14] = group[15] = 0;
	if (index)
		*index = n ? n - 1 : 0;
	return n != 0;
}

/* One fabric device as this host sees it. */
struct fdev {
	uint32_t dev;
	struct famfsctl_fm_dcd_info info;
	struct famfsctl_fm_region region;
	uint64_t free;
	char memdev[FC_NAME_MAX]; /* "" when this host does not see it */
	char port[FC_NAME_MAX];
	int region_id;            /* the host's DC dax region, -1 none */
	bool can_create;          /* none yet, but the platform can create it */
	bool taken;
	char excluded[320];       /* why the policy leaves it out, "" when it does not */
};

/* Does the policy's [members] selection admit this device? */
static bool admitted(struct fc_ctx *ctx, const struct fc_policy *p, const struct fdev *f,
		     char *why, size_t len)
{
	struct fc_memdev *m;
	bool ok;

	if (!p)
		return true;
	m = fc_memdev_find(ctx, f->memdev);
	if (!m)
		return false;
	if (p->serials.n) {
		ok = false;
		for (unsigned int i = 0; i < p->serials.n; i++)
			ok |= strtoull(p->serials.v[i], NULL, 0) == m->serial;
		if (!ok) {
			snprintf(why, len, "%s: serial %#llx is not in the policy's serials", m->name,
				 (unsigned long long)m->serial);
			return false;
		}
	}
	if (p->ports.n) {
		ok = false;
		for (unsigned int i = 0; i < p->ports.n; i++)
			ok |= !strcmp(p->ports.v[i], f->port) || !strcmp(p->ports.v[i], m->host_bridge);
		if (!ok) {
			snprintf(why, len, "%s: port %s is not in the policy's ports", m->name, f->port);
			return false;
		}
	}
	if (p->numa_node >= 0 && m->numa_node != p->numa_node) {
		snprintf(why, len, "%s: NUMA node %d, the policy wants %d", m->name, m->numa_node,
			 p->numa_node);
		return false;
	}
	return true;
}

struct member {
	unsigned int index;
	struct fdev *fd;
	uuid_t tag;
	uint64_t size;
	bool added, claimed;
	enum fc_dax_mode mode; /* once claimed */
	char dax[FC_NAME_MAX];
	char made_region[FC_NAME_MAX]; /* the CXL region this alloc created, "" none */
};

static bool interrupted(struct fc_ctx *ctx)
{
	if (!ctx->interrupt || !*ctx->interrupt)
		return false;
	err(ctx, "alloc: interrupted\n");
	return true;
}

static char *tagstr(const uuid_t t, char buf[37])
{
	uuid_unparse_lower(t, buf);
	return buf;
}

/* The host's DC dax region over memdev `name`, or NULL. */
static struct fc_dax_region *dc_region_of(struct fc_ctx *ctx, const char *name)
{
	struct fc_dax_region *r;

	fc_dax_region_foreach(ctx, r)
		if (r->dc && r->memdev && !strcmp(r->memdev->name, name))
			return r;
	return NULL;
}

/* Every fabric device, matched to this host's memdevs by serial number. */
static int scan_fabric(struct fc_ctx *ctx, struct fdev **out, uint32_t *n)
{
	struct famfsctl_fm_fabric fab;
	struct fdev *fds;
	int rc = fc_fabric_info(ctx, &fab);

	if (rc < 0)
		return rc;
	rc = fc_refresh(ctx);
	if (rc < 0)
		return rc;
	fds = calloc(fab.devices ? fab.devices : 1, sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	for (uint32_t d = 0; d < fab.devices; d++) {
		struct fdev *f = &fds[d];
		struct famfsctl_fm_region reg[FM_MAX_REGIONS];
		struct famfsctl_fm_tag *tags;
		struct fc_memdev *m;
		uint64_t tagged = 0;
		uint8_t nreg = 0;
		int nt;

		f->dev = d;
		f->region_id = -1;
		rc = fc_fabric_dcd_info(ctx, d, &f->info);
		if (!rc)
			rc = fc_fabric_region_config(ctx, d, (uint16_t)ctx->host_id, reg, &nreg);
		if (rc < 0)
			goto fail;
		f->region = reg[0];
		nt = fabric_all_tags(ctx, d, &tags);
		if (nt < 0) {
			rc = nt;
			goto fail;
		}
		for (int t = 0; t < nt; t++)
			tagged += tags[t].length;
		free(tags);
		f->free = f->info.total_capacity > tagged ? f->info.total_capacity - tagged : 0;
		fc_memdev_foreach(ctx, m) {
			struct fc_dax_region *r;

			if (m->serial != f->info.serial || !m->dc_partition[0])
				continue;
			util_set(f->memdev, m->name);
			util_set(f->port, m->host_bridge[0] ? m->host_bridge : f->info.port);
			r = dc_region_of(ctx, m->name);
			f->region_id = r ? r->id : -1;
			f->can_create = !r && ctx->platform->create_dc_region;
		}
	}
	*out = fds;
	*n = fab.devices;
	return 0;
fail:
	free(fds);
	return rc;
}

static struct fdev *fdev_by_memdev(struct fdev *fds, uint32_t n, const char *name)
{
	for (uint32_t i = 0; i < n; i++)
		if (fds[i].memdev[0] && !strcmp(fds[i].memdev, name))
			return &fds[i];
	return NULL;
}

/* Usable for a new part of `part` bytes? Says why not into why. */
static bool usable(const struct fdev *f, uint64_t part, bool shared, char *why, size_t len)
{
	char a[FC_SIZE_STR_MAX], b[FC_SIZE_STR_MAX];

	if (!f->memdev[0]) {
		snprintf(why, len, "fabric device %u (%s) is not visible to this host", f->dev,
			 f->info.name);
		return false;
	}
	if (f->excluded[0]) {
		util_strlcpy(why, f->excluded, len);
		return false;
	}
	if (f->region_id < 0 && !f->can_create) {
		snprintf(why, len, "%s has no DC dax region on this host (create its DC region first)",
			 f->memdev);
		return false;
	}
	if (shared && !(f->region.flags & FM_REGION_SHARABLE)) {
		snprintf(why, len, "%s: its DC region is not sharable", f->memdev);
		return false;
	}
	if (f->free < part) {
		snprintf(why, len, "%s has %s free, each member needs %s", f->memdev,
			 fc_format_size(f->free, a, sizeof(a)), fc_format_size(part, b, sizeof(b)));
		return false;
	}
	return true;
}

/*
 * Choose `ways` devices for parts of `part` bytes: the most free capacity
 * first, taking one device from each port in turn so members spread over
 * failure domains.
 */
static int choose(struct fc_ctx *ctx, struct fdev *fds, uint32_t n, unsigned int ways,
		  uint64_t part, bool shared, struct member *mem)
{
	unsigned int got = 0;
	char why[256];

	while (got < ways) {
		bool progress = false;
		char used_ports[64][FC_NAME_MAX];
		unsigned int nports = 0;

		/* one round: the best device of each port not used this round */
		for (;;) {
			struct fdev *best = NULL;

			for (uint32_t i = 0; i < n; i++) {
				struct fdev *f = &fds[i];
				bool port_used = false;

				if (f->taken || !usable(f, part, shared, why, sizeof(why)))
					continue;
				for (unsigned int p = 0; p < nports; p++)
					port_used |= !strcmp(used_ports[p], f->port);
				if (port_used)
					continue;
				if (!best || f->free > best->free)
					best = f;
			}
			if (!best || got == ways)
				break;
			best->taken = true;
			mem[got++].fd = best;
			progress = true;
			if (nports < 64)
				util_set(used_ports[nports++], best->port);
		}
		if (!progress)
			break;
	}
	if (got < ways) {
		char a[FC_SIZE_STR_MAX];
		unsigned int told = 0;

		for (uint32_t i = 0; i < n && told < 8; i++)
			if (!fds[i].taken && !usable(&fds[i], part, shared, why, sizeof(why))) {
				err(ctx, "alloc: %s\n", why);
				told++;
			}

		err(ctx, "alloc: only %u of %u memory devices can take %s each (have a DC region on this host%s and the free capacity)\n",
		    got, ways, fc_format_size(part, a, sizeof(a)),
		    shared ? ", a sharable region" : "");
		return -ENOSPC;
	}
	return 0;
}

/* ---- waiting, claiming, rolling back ------------------------------------ */

static uint64_t arrived_bytes(struct fc_ctx *ctx, const struct member *m)
{
	struct fc_extent *e;
	uint64_t n = 0;

	fc_extent_foreach(ctx, e)
		if (e->tagged && !uuid_compare(e->tag, m->tag) && e->region &&
		    e->region->id == m->fd->region_id)
			n += e->length;
	return n;
}

/* Does the FM list `tag` on fabric device `dev` as this host's (given or
 * offered)? 1, 0, or -errno when it cannot tell. */
static int host_has_tag(struct fc_ctx *ctx, uint32_t dev, const uuid_t tag)
{
	struct famfsctl_fm_tag *tags;
	uint64_t bit = 1ULL << ctx->host_id;
	int found = 0, nt = fabric_all_tags(ctx, dev, &tags);

	if (nt < 0)
		return nt;
	for (int t = 0; t < nt; t++)
		if (!uuid_compare(tags[t].tag, tag) &&
		    ((tags[t].hosts | tags[t].pending) & bit))
			found = 1;
	free(tags);
	return found;
}

/* Did the host drop member m's offer? (the FM no longer offers or gives it) */
static bool dropped(struct fc_ctx *ctx, const struct member *m)
{
	return host_has_tag(ctx, m->fd->dev, m->tag) == 0; /* -errno: the timeout decides */
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Poll until every member's extents have reached this host (adding an
 * extent raises no uevent, doc/kernel-dcd.md), or the timeout; a member the
 * host dropped fails at once.
 */
static int wait_arrival(struct fc_ctx *ctx, struct member *mem, unsigned int n,
			unsigned int timeout_ms)
{
	uint64_t start = ctx_now_ns(), limit = (uint64_t)timeout_ms * 1000000ULL;
	unsigned int delay = 2, round = 0;
	char t[37];

	for (;;) {
		unsigned int missing = 0;
		int rc = fc_refresh(ctx);

		if (rc < 0)
			return rc;
		for (unsigned int i = 0; i < n; i++)
			missing += arrived_bytes(ctx, &mem[i]) != mem[i].size;
		if (!missing)
			return 0;
		if (interrupted(ctx))
			return -EINTR;
		for (unsigned int i = 0; round % 8 == 7 && i < n; i++) {
			if (arrived_bytes(ctx, &mem[i]) == mem[i].size || !dropped(ctx, &mem[i]))
				continue;
			err(ctx, "alloc: %s: this host dropped member %u's extents (tag %s): the kernel refused the group (see its log)\n",
			    mem[i].fd->memdev, mem[i].index, tagstr(mem[i].tag, t));
			return -EIO;
		}
		if (ctx_now_ns() - start >= limit) {
			for (unsigned int i = 0; i < n; i++)
				if (arrived_bytes(ctx, &mem[i]) != mem[i].size)
					err(ctx, "alloc: %s: member %u's extents (tag %s) did not arrive within %u ms\n",
					    mem[i].fd->memdev, mem[i].index,
					    tagstr(mem[i].tag, t), timeout_ms);
			return -ETIMEDOUT;
		}
		sleep_ms(delay);
		if (delay < 64)
			delay *= 2;
		round++;
	}
}

static int claim(struct fc_ctx *ctx, struct member *m, enum fc_dax_mode mode)
{
	struct fc_dax_region *r;
	struct fc_dax_dev *dev;
	int rc;

	fc_dax_region_foreach(ctx, r)
		if (r->id == m->fd->region_id)
			break;
	if (!r)
		return -ENODEV;
	rc = fc_dax_region_create_dev(r, m->tag, &dev);
	if (rc < 0)
		return rc;
	util_set(m->dax, dev->name);
	m->claimed = true;
	rc = fc_dax_dev_set_mode(dev, mode);
	if (rc == 0)
		m->mode = mode;
	if (rc < 0)
		err(ctx, "alloc: %s: cannot switch to %s mode: %s\n", m->dax, fc_dax_mode_name(mode),
		    strerror(-rc));
	return rc;
}

/*
 * Release `tag` (its dax device already destroyed) and confirm through the
 * FM's extent list that this host no longer holds it. The kernel drops a
 * release of a tag a dax device still claims, answering nothing and
 * queueing nothing (doc/kernel-dcd.md), so a tag still listed is asked for
 * again, a bounded number of times. Capacity given back is sanitized (the
 * next owner must not read it) unless fc_release_flags(FC_RELEASE_NO_SANITIZE)
 * says otherwise.
 */
static int fm_release_flags(struct fc_ctx *ctx, uint32_t dev, const uuid_t tag, bool sanitize)
{
	struct famfsctl_fm_release r = { .host = (uint16_t)ctx->host_id,
					 .flags = FM_RELEASE_TAG_BASED |
						  (sanitize ? FM_RELEASE_SANITIZE : 0) };
	unsigned int wait = RELEASE_FIRST_WAIT_MS;
	char t[37];
	int rc = 0, has = 1;

	uuid_copy(r.tag, tag);
	for (int attempt = 1; attempt <= RELEASE_ATTEMPTS; attempt++) {
		rc = fc_fabric_release(ctx, dev, &r);
		has = host_has_tag(ctx, dev, tag);
		if (has == 0)
			return 0;
		if (has < 0)
			return rc < 0 ? rc : has;
		dbg(ctx, "release: tag %s still listed for this host after release %d\n",
		    tagstr(tag, t), attempt);
		sleep_ms(wait);
		wait *= 4;
		has = host_has_tag(ctx, dev, tag);
		if (has == 0)
			return 0;
	}
	err(ctx, "release: tag %s: the fabric still lists it for this host after %d releases (the kernel drops a release while a dax device claims the tag)%s%s\n",
	    tagstr(tag, t), RELEASE_ATTEMPTS, rc < 0 ? ": " : "", rc < 0 ? strerror(-rc) : "");
	return rc < 0 ? rc : -EBUSY;
}

/* Tear down the DC regions this alloc created (their dax devices gone). */
static void unmake_regions(struct fc_ctx *ctx, struct member *mem, unsigned int n)
{
	for (unsigned int k = n; k-- > 0;) {
		struct member *m = &mem[k];

		if (!m->made_region[0])
			continue;
		fc_refresh(ctx);
		if (!ctx->platform->destroy_dc_region ||
		    ctx->platform->destroy_dc_region(ctx, ctx->platform_data, m->made_region) < 0)
			err(ctx, "alloc: rollback: cannot tear down %s (made for %s)\n",
			    m->made_region, m->fd->memdev);
		else
			m->fd->region_id = -1;
		m->made_region[0] = '\0';
	}
	fc_refresh(ctx);
}

static int fm_release(struct fc_ctx *ctx, uint32_t dev, const uuid_t tag)
{
	return fm_release_flags(ctx, dev, tag, true);
}

/* Undo members in reverse: dax devices first, then the capacity. */
static void rollback(struct fc_ctx *ctx, struct member *mem, unsigned int n)
{
	unsigned int undone = 0, stuck = 0;
	char t[37];

	for (unsigned int k = n; k-- > 0;) {
		struct member *m = &mem[k];

		if (m->claimed) {
			struct fc_dax_dev *d;

			fc_refresh(ctx);
			d = fc_dax_dev_find(ctx, m->dax);
			if (d && fc_dax_dev_destroy(d) < 0) {
				err(ctx, "alloc: rollback: cannot destroy %s\n", m->dax);
				stuck++;
			}
			m->claimed = false;
		}
		if (m->added) {
			if (fm_release(ctx, m->fd->dev, m->tag) < 0) {
				err(ctx, "alloc: rollback: %s: tag %s is still allocated to this host: release it with 'famfsctl release %s'\n",
				    m->fd->memdev, tagstr(m->tag, t), t);
				stuck++;
			} else {
				info(ctx, "alloc: rollback: released %s on %s\n",
				     tagstr(m->tag, t), m->fd->memdev);
				undone++;
			}
			m->added = false;
		}
	}
	if (!stuck)
		unmake_regions(ctx, mem, n);
	if (undone && !stuck)
		err(ctx, "alloc: rolled back: the capacity of %u member%s released, nothing is left allocated\n",
		    undone, undone == 1 ? "" : "s");
}

static json_object *result_json(const uuid_t group, struct member *mem, unsigned int n,
				unsigned long flags)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	uint64_t total = 0;
	char t[37];

	for (unsigned int i = 0; i < n; i++) {
		json_object *m = json_object_new_object();

		json_object_object_add(m, "member", json_object_new_int((int)mem[i].index));
		json_object_object_add(m, "memdev", json_object_new_string(mem[i].fd->memdev));
		json_object_object_add(m, "device", json_object_new_int((int)mem[i].fd->dev));
		json_object_object_add(m, "tag", json_object_new_string(tagstr(mem[i].tag, t)));
		json_object_object_add(m, "daxdev", json_object_new_string(mem[i].dax));
		json_object_object_add(m, "size", fc_json_size(mem[i].size, flags));
		json_object_object_add(m, "mode", json_object_new_string(fc_dax_mode_name(mem[i].mode)));
		json_object_array_add(arr, m);
		total += mem[i].size;
	}
	json_object_object_add(o, "group", json_object_new_string(tagstr(group, t)));
	json_object_object_add(o, "size", fc_json_size(total, flags));
	json_object_object_add(o, "members", arr);
	return o;
}

/* Add (or share), wait, claim in `mode`; roll back on any failure. */
static int bring_in(struct fc_ctx *ctx, const uuid_t group, struct member *mem,
		    unsigned int n, bool join, unsigned int timeout_ms, enum fc_dax_mode mode,
		    unsigned long flags, struct json_object **result)
{
	char t[37];
	int rc = 0;

	for (unsigned int i = 0; i < n && !rc; i++) {
		struct famfsctl_fm_add a = {
			.host = (uint16_t)ctx->host_id,
			.policy = join ? FM_ADD_SHARED : FM_ADD_FREE,
			.length = join ? 0 : mem[i].size,
		};

		if (interrupted(ctx)) {
			rc = -EINTR;
			break;
		}

		uuid_copy(a.tag, mem[i].tag);
		rc = fc_fabric_add(ctx, mem[i].fd->dev, &a);
		if (rc < 0)
			err(ctx, "alloc: %s: the fabric refused member %u (tag %s)\n",
			    mem[i].fd->memdev, mem[i].index, tagstr(mem[i].tag, t));
		else
			mem[i].added = true;
	}
	if (!rc)
		rc = wait_arrival(ctx, mem, n, timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS);
	for (unsigned int i = 0; i < n && !rc; i++)
		rc = interrupted(ctx) ? -EINTR : claim(ctx, &mem[i], mode);
	if (rc < 0) {
		rollback(ctx, mem, n);
		fc_refresh(ctx);
		return rc;
	}
	if (result)
		*result = result_json(group, mem, n, flags);
	return 0;
}

/* The host must not have any of the tags already (the kernel would drop). */
static int tags_free_on_host(struct fc_ctx *ctx, struct member *mem, unsigned int n)
{
	struct fc_extent *e;
	char t[37];

	for (unsigned int i = 0; i < n; i++)
		fc_extent_foreach(ctx, e)
			if (e->tagged && !uuid_compare(e->tag, mem[i].tag)) {
				err(ctx, "alloc: tag %s is already present on this host (%s): tags are unique host-wide\n",
				    tagstr(mem[i].tag, t), e->region && e->region->memdev ?
				    e->region->memdev->name : e->name);
				return -EEXIST;
			}
	return 0;
}

/*
 * A chosen device without a DC region gets one now (before any capacity is
 * asked for, so a failure leaves nothing to roll back but the regions
 * made, which hold no capacity).
 */
static int ensure_dc_regions(struct fc_ctx *ctx, struct member *mem, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct fdev *f = mem[i].fd;
		struct fc_memdev *m;
		struct fc_dax_region *r;
		int rc;

		if (f->region_id >= 0)
			continue;
		m = fc_memdev_find(ctx, f->memdev);
		rc = m ? fc_memdev_create_dc_region(m) : -ENODEV;
		r = rc ? NULL : dc_region_of(ctx, f->memdev);
		if (!r) {
			err(ctx, "alloc: %s: cannot create its DC region\n", f->memdev);
			unmake_regions(ctx, mem, n);
			return rc ? rc : -ENODEV;
		}
		f->region_id = r->id;
		util_set(mem[i].made_region, r->cxl_region);
	}
	return 0;
}

/*
 * Tags, and claiming them as dax devices, exist from the v10 DCD series on
 * (doc/kernel-dcd.md); every alloc is tagged. A memdev whose kernel is
 * older fails the alloc, naming what it lacks. v9 and v10 look alike until
 * a DC dax region exists, so this runs again once the regions are made.
 */
static int tags_supported(struct fc_ctx *ctx, struct member *mem, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct fc_memdev *m = fc_memdev_find(ctx, mem[i].fd->memdev);
		const char *lacks = m ? host_dc_gen_lacks(m->dc_gen) : NULL;

		if (!lacks)
			continue;
		err(ctx, "alloc: %s: this kernel's dynamic capacity is the %s DCD series (%s): %s; famfsctl allocations are tagged and need v10 or later (untagged capacity can still be listed)\n",
		    m->name, host_dc_gen_name(m->dc_gen), m->dc_partition, lacks);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* The plan, for --dry-run: what would be asked of whom, and why others not. */
static json_object *plan_json(struct fc_ctx *ctx, const uuid_t group, struct member *mem,
			      unsigned int ways, struct fdev *fds, uint32_t n, uint64_t part,
			      const struct fc_alloc_opts *o)
{
	json_object *r = json_object_new_object(), *arr = json_object_new_array(), *ex;
	unsigned int ports = 0;
	char t[37], why[256], seen[FC_MAX_MEMBERS][FC_NAME_MAX];

	json_object_object_add(r, "dry_run", json_object_new_boolean(true));
	json_object_object_add(r, "group", json_object_new_string(tagstr(group, t)));
	json_object_object_add(r, "size", fc_json_size(part * ways, o->flags));
	json_object_object_add(r, "part", fc_json_size(part, o->flags));
	for (unsigned int i = 0; i < ways; i++) {
		json_object *m = json_object_new_object();
		bool known = false;
		uuid_t tag;

		fc_group_member_tag(group, i, tag);
		json_object_object_add(m, "member", json_object_new_int((int)i));
		json_object_object_add(m, "memdev", json_object_new_string(mem[i].fd->memdev));
		json_object_object_add(m, "device", json_object_new_int((int)mem[i].fd->dev));
		json_object_object_add(m, "port", json_object_new_string(mem[i].fd->port));
		json_object_object_add(m, "free", fc_json_size(mem[i].fd->free, o->flags));
		json_object_object_add(m, "tag", json_object_new_string(tagstr(tag, t)));
		if (mem[i].fd->region_id < 0)
			json_object_object_add(m, "create_dc_region", json_object_new_boolean(true));
		json_object_array_add(arr, m);
		for (unsigned int k = 0; k < ports; k++)
			known |= !strcmp(seen[k], mem[i].fd->port);
		if (!known)
			util_set(seen[ports++], mem[i].fd->port);
	}
	json_object_object_add(r, "members", arr);
	json_object_object_add(r, "ports", json_object_new_int((int)ports));
	ex = json_object_new_array();
	for (uint32_t i = 0; i < n; i++) {
		if (fds[i].taken)
			continue;
		if (usable(&fds[i], part, o->shared, why, sizeof(why)))
			snprintf(why, sizeof(why), "%s: usable, not needed", fds[i].memdev);
		json_object_array_add(ex, json_object_new_string(why));
	}
	json_object_object_add(r, "not_chosen", ex);
	json_object_object_add(r, "rule", json_object_new_string(
		"equal parts in whole blocks; the most free capacity first, one device per port in turn"));
	(void)ctx;
	return r;
}

/* The group a policy's members belong to: a name-based UUID of the policy's
 * name, its last 16 bits cleared, so every host derives the same one. */
FC_EXPORT void fc_policy_group(struct fc_policy *p, uuid_t group)
{
	static const uuid_t ns = { 0x6f, 0x2b, 0x0e, 0x1c, 0x5a, 0x3d, 0x4e, 0x7f,
				   0x9a, 0x11, 0xc4, 0x52, 0x8d, 0x06, 0x00, 0x00 };
	char name[FC_NAME_MAX + 24];

	snprintf(name, sizeof(name), "famfsctl-policy/%s", p->name);
	uuid_generate_sha1(group, ns, name, strlen(name));
	group[14] = group[15] = 0;
}

static int join_locked(struct fc_ctx *ctx, const uuid_t group, unsigned int timeout_ms,
		       enum fc_dax_mode mode, unsigned long flags, struct json_object **result);

FC_EXPORT int fc_alloc_policy(struct fc_ctx *ctx, struct fc_policy *p, unsigned int timeout_ms,
			      bool dry_run, unsigned long flags, struct json_object **result)
{
	const char *names[FC_POLICY_MAX_LIST];
	struct fc_alloc_opts o = {
		.ways = p->count,
		.size = p->total_size ? p->total_size : p->member_size * p->count, /* policy load refuses a wrap */
		.shared = p->shared,
		.timeout_ms = timeout_ms,
		.flags = flags,
		.policy = p,
		.dry_run = dry_run,
		.has_group = true,
		.memdevs = names,
	};

	fc_policy_group(p, o.group);
	if (p->role == FC_ROLE_CLIENT) {
		if (dry_run) {
			char t[37];

			uuid_unparse_lower(o.group, t);
			*result = json_object_new_object();
			json_object_object_add(*result, "dry_run", json_object_new_boolean(true));
			json_object_object_add(*result, "join", json_object_new_string(t));
			return 0;
		}
		return join_locked(ctx, o.group, timeout_ms, fc_policy_get_dax_mode(p), flags, result);
	}
	for (unsigned int i = 0; i < p->memdevs.n && i < p->count; i++)
		names[o.nmemdevs++] = p->memdevs.v[i];
	return fc_alloc(ctx, &o, result);
}

/*
 * One alloc, join or release at a time per host: choosing devices, checking
 * tags free and claiming seeds must not interleave with another famfsctl's
 * (two udev events, two scripts). The lock lives in the host's run
 * directory (host_dir). Returns the locked fd or -errno.
 */
static int host_lock(struct fc_ctx *ctx)
{
	char path[PATH_MAX + 16], dir[PATH_MAX], why[PATH_MAX + 96];
	int fd = host_dir(ctx, FC_HOST_RUN, dir, sizeof(dir));

	if (fd < 0)
		return fd; /* said why */
	snprintf(path, sizeof(path), "%s/host.lock", dir);
	fd = util_open_safe(path, O_RDWR | O_CREAT, 0644, why, sizeof(why));
	if (fd < 0) {
		err(ctx, "cannot open the host lock: %s\n", why);
		return fd;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	err(ctx, "waiting for another famfsctl alloc/release on this host (%s)\n", path);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR || interrupted(ctx)) {
			close(fd);
			return -EINTR;
		}
	}
	return fd;
}

static void host_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

static int do_alloc(struct fc_ctx *ctx, const struct fc_alloc_opts *o,
		    struct json_object **result)
{
	struct fdev *fds = NULL;
	struct member *mem = NULL;
	unsigned int ways = o->ways ? o->ways : (o->nmemdevs ? o->nmemdevs : 1);
	uint64_t block = 2 * MIB, part, total;
	uuid_t group;
	uint32_t n;
	char t[37];
	int rc;

	if (!o->size) {
		err(ctx, "alloc: a size is needed\n");
		return -EINVAL;
	}
	if (ways > FC_MAX_MEMBERS) {
		err(ctx, "alloc: %u ways: a group has at most %d members\n", ways,
		    FC_MAX_MEMBERS);
		return -EINVAL;
	}
	if (o->nmemdevs && ways != o->nmemdevs) {
		err(ctx, "alloc: %u memdevs named but %u ways asked\n", o->nmemdevs, ways);
		return -EINVAL;
	}
	if (o->has_group) {
		uuid_copy(group, o->group);
		if (group[14] || group[15]) {
			err(ctx, "alloc: group %s: a group id ends in 0000 (the last 16 bits number its members)\n",
			    tagstr(group, t));
			return -EINVAL;
		}
	} else {
		uuid_generate_random(group);
		group[14] = group[15] = 0;
	}
	rc = scan_fabric(ctx, &fds, &n);
	if (rc < 0)
		return rc;
	for (uint32_t i = 0; i < n && o->policy; i++)
		if (fds[i].memdev[0])
			admitted(ctx, o->policy, &fds[i], fds[i].excluded, sizeof(fds[i].excluded));
	mem = calloc(ways, sizeof(*mem));
	if (!mem) {
		rc = -ENOMEM;
		goto out;
	}
	/* equal parts in whole blocks of every device involved (and 2 MiB) */
	for (uint32_t i = 0; i < n; i++)
		if (fds[i].memdev[0] && fds[i].region.block_size > block)
			block = fds[i].region.block_size;
	{
		/* and the kernel's extent alignment: the mapping's PMD size */
		struct fc_dax_region *r;

		fc_dax_region_foreach(ctx, r)
			if (r->dc && r->align > block)
				block = r->align;
	}
	if (util_round_up_u64(util_div_round_up(o->size, ways), block, &part) < 0 ||
	    util_mul_u64(part, ways, &total) < 0) {
		char sz[FC_SIZE_STR_MAX];

		err(ctx, "alloc: size %s (%llu bytes) is too large: %u parts of whole %llu-byte blocks pass 2^64 bytes\n",
		    fc_format_size(o->size, sz, sizeof(sz)), (unsigned long long)o->size, ways,
		    (unsigned long long)block);
		rc = -EINVAL;
		goto out;
	}
	if (o->nmemdevs) {
		char why[256];

		for (unsigned int i = 0; i < o->nmemdevs; i++) {
			struct fdev *f = fdev_by_memdev(fds, n, o->memdevs[i]);

			if (!f) {
				err(ctx, "alloc: %s: no such memory device with dynamic capacity on the fabric\n",
				    o->memdevs[i]);
				rc = -ENODEV;
				goto out;
			}
			if (f->taken) {
				err(ctx, "alloc: %s named twice\n", o->memdevs[i]);
				rc = -EINVAL;
				goto out;
			}
			if (!usable(f, part, o->shared, why, sizeof(why))) {
				err(ctx, "alloc: %s\n", why);
				rc = -ENOSPC;
				goto out;
			}
			f->taken = true;
			mem[i].fd = f;
		}
	} else {
		rc = choose(ctx, fds, n, ways, part, o->shared, mem);
		if (rc < 0)
			goto out;
	}
	for (unsigned int i = 0; i < ways; i++) {
		mem[i].index = i;
		mem[i].size = part;
		fc_group_member_tag(group, i, mem[i].tag);
	}
	rc = tags_supported(ctx, mem, ways);
	if (rc < 0)
		goto out;
	if (o->dry_run) {
		if (result)
			*result = plan_json(ctx, group, mem, ways, fds, n, part, o);
		goto out;
	}
	rc = ensure_dc_regions(ctx, mem, ways);
	if (rc < 0)
		goto out;
	rc = tags_supported(ctx, mem, ways);
	if (rc < 0) {
		unmake_regions(ctx, mem, ways);
		goto out;
	}
	rc = tags_free_on_host(ctx, mem, ways);
	if (rc < 0)
		unmake_regions(ctx, mem, ways);
	if (!rc)
		/* claimed straight into the mode the policy's mount needs: a
		 * switch can take minutes on a large device */
		rc = bring_in(ctx, group, mem, ways, false, o->timeout_ms,
			      o->policy ? fc_policy_get_dax_mode(o->policy) : FC_DAX_MODE_FAMFS,
			      o->flags, result);
out:
	free(mem);
	free(fds);
	return rc;
}

static int by_index(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

FC_EXPORT int fc_alloc(struct fc_ctx *ctx, const struct fc_alloc_opts *o,
		       struct json_object **result)
{
	int lock = host_lock(ctx), rc;

	if (lock < 0)
		return lock;
	rc = do_alloc(ctx, o, result);
	host_unlock(lock);
	return rc;
}

static int do_join(struct fc_ctx *ctx, const uuid_t group, unsigned int timeout_ms,
		   enum fc_dax_mode mode, unsigned long flags, struct json_object **result)
{
	struct fdev *fds = NULL;
	struct member *mem = NULL;
	unsigned int nm = 0;
	uint32_t n;
	char t[37];
	int rc = scan_fabric(ctx, &fds, &n);

	if (rc < 0)
		return rc;
	mem = calloc(FC_MAX_MEMBERS, sizeof(*mem));
	if (!mem) {
		rc = -ENOMEM;
		goto out;
	}
	/* every tag of the group, on whichever device the FM put it */
	for (uint32_t d = 0; d < n && !rc; d++) {
		struct famfsctl_fm_tag *tags;
		int nt = fabric_all_tags(ctx, d, &tags);

		if (nt < 0) {
			rc = nt;
			break;
		}
		for (int k = 0; k < nt && nm < FC_MAX_MEMBERS; k++) {
			uuid_t g;
			unsigned int idx;

			if (!fc_group_of_tag(tags[k].tag, g, &idx) || uuid_compare(g, group))
				continue;
			if (!fds[d].memdev[0] || fds[d].region_id < 0) {
				err(ctx, "join: member %u of the group is on %s, which this host cannot reach\n",
				    idx, fds[d].info.name);
				rc = -ENODEV;
				break;
			}
			mem[nm].fd = &fds[d];
			mem[nm].index = idx;
			mem[nm].size = tags[k].length;
			uuid_copy(mem[nm].tag, tags[k].tag);
			nm++;
		}
		free(tags);
	}
	if (!rc && !nm) {
		err(ctx, "join: the fabric has no capacity of group %s\n", tagstr(group, t));
		rc = -ENOENT;
	}
	if (!rc)
		qsort(mem, nm, sizeof(*mem), by_index);
	if (!rc)
		rc = tags_free_on_host(ctx, mem, nm);
	if (!rc)
		rc = bring_in(ctx, group, mem, nm, true, timeout_ms, mode, flags, result);
out:
	free(mem);
	free(fds);
	return rc;
}

/* ---- release ------------------------------------------------------------- */

/* Where `dax` is mounted, or NULL. */
static char *mounted_at(const char *dax, char *buf, size_t len)
{
	char dev[80];

	snprintf(dev, sizeof(dev), "/dev/%s", dax);
	return util_mount_find(dev, NULL, buf, len) ? buf : NULL;
}

static int join_locked(struct fc_ctx *ctx, const uuid_t group, unsigned int timeout_ms,
		       enum fc_dax_mode mode, unsigned long flags, struct json_object **result)
{
	int lock = host_lock(ctx), rc;

	if (lock < 0)
		return lock;
	rc = do_join(ctx, group, timeout_ms, mode, flags, result);
	host_unlock(lock);
	return rc;
}

FC_EXPORT int fc_alloc_join(struct fc_ctx *ctx, const uuid_t group, unsigned int timeout_ms,
			    unsigned long flags, struct json_object **result)
{
	return join_locked(ctx, group, timeout_ms, FC_DAX_MODE_FAMFS, flags, result);
}

static int do_release(struct fc_ctx *ctx, const uuid_t id, unsigned int flags,
		      struct json_object **result)
{
	struct fdev *fds = NULL;
	struct fc_extent *e;
	uuid_t seen[FC_MAX_MEMBERS + 1];
	uint32_t n, nseen = 0, fm_dev[FC_MAX_MEMBERS + 1];
	json_object *released = json_object_new_array();
	bool whole_group = !id[14] && !id[15];
	char t[37], where[256];
	int rc = scan_fabric(ctx, &fds, &n);

	if (rc < 0)
		goto out;
	/* which tags: the one named, or every member of the group named */
	fc_extent_foreach(ctx, e) {
		uuid_t g;
		bool dup = false;

		if (!e->tagged)
			continue;
		fc_group_of_tag(e->tag, g, NULL);
		if (whole_group ? uuid_compare(g, id) : uuid_compare(e->tag, id))
			continue;
		for (uint32_t k = 0; k < nseen; k++)
			dup |= !uuid_compare(seen[k], e->tag);
		if (!dup && nseen <= FC_MAX_MEMBERS) {
			fm_dev[nseen] = UINT32_MAX;
			uuid_copy(seen[nseen++], e->tag);
		}
	}
	/* and what the fabric says this host holds or is offered without
	 * extents here yet: an alloc interrupted before the host took them */
	for (uint32_t i = 0; i < n && rc == 0; i++) {
		struct famfsctl_fm_tag *tags;
		int nt = fabric_all_tags(ctx, fds[i].dev, &tags);

		if (nt < 0) {
			rc = nt;
			goto out;
		}
		for (int j = 0; j < nt; j++) {
			uuid_t g;
			bool dup = false;

			if (ctx->host_id >= FM_MAX_HOSTS ||
			    !((tags[j].hosts | tags[j].pending) & (1ULL << ctx->host_id)))
				continue;
			fc_group_of_tag(tags[j].tag, g, NULL);
			if (whole_group ? uuid_compare(g, id) : uuid_compare(tags[j].tag, id))
				continue;
			for (uint32_t k = 0; k < nseen; k++)
				dup |= !uuid_compare(seen[k], tags[j].tag);
			if (!dup && nseen <= FC_MAX_MEMBERS) {
				fm_dev[nseen] = fds[i].dev;
				uuid_copy(seen[nseen++], tags[j].tag);
			}
		}
		free(tags);
	}
	if (!nseen) {
		err(ctx, "release: this host has no capacity tagged %s%s\n", tagstr(id, t),
		    whole_group ? " or in that group" : "");
		rc = -ENOENT;
		goto out;
	}
	/* refuse while any member is in use, before changing anything */
	for (uint32_t k = 0; k < nseen; k++) {
		struct fc_dax_dev *d;

		fc_dax_dev_foreach(ctx, d)
			if (d->has_uuid && !uuid_compare(d->uuid, seen[k]) &&
			    mounted_at(d->name, where, sizeof(where))) {
				err(ctx, "release: %s (tag %s) is mounted on %s: unmount it first\n",
				    d->name, tagstr(seen[k], t), where);
				rc = -EBUSY;
				goto out;
			}
	}
	for (uint32_t k = 0; k < nseen && !rc; k++) {
		struct fc_dax_dev *d;
		struct fc_extent *x;
		uint32_t dev = UINT32_MAX;

		fc_dax_dev_foreach(ctx, d)
			if (d->has_uuid && !uuid_compare(d->uuid, seen[k]))
				break;
		if (d) {
			rc = fc_dax_dev_destroy(d);
			if (rc < 0) {
				err(ctx, "release: cannot destroy the dax device of tag %s\n",
				    tagstr(seen[k], t));
				break;
			}
		}
		/* the fabric device the tag's extents come from */
		fc_extent_foreach(ctx, x)
			if (x->tagged && !uuid_compare(x->tag, seen[k]) && x->region &&
			    x->region->memdev)
				for (uint32_t i = 0; i < n; i++)
					if (!strcmp(fds[i].memdev, x->region->memdev->name))
						dev = fds[i].dev;
		if (dev == UINT32_MAX)
			dev = fm_dev[k];
		if (dev == UINT32_MAX) {
			err(ctx, "release: tag %s: no fabric device serves it\n", tagstr(seen[k], t));
			rc = -ENODEV;
			break;
		}
		rc = fm_release_flags(ctx, dev, seen[k], !(flags & FC_RELEASE_NO_SANITIZE));
		if (!rc)
			json_object_array_add(released, json_object_new_string(tagstr(seen[k], t)));
	}
	fc_refresh(ctx);
out:
	free(fds);
	if (result && !rc) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "released", released);
		*result = o;
	} else {
		json_object_put(released);
	}
	return rc;
}

FC_EXPORT int fc_release_flags(struct fc_ctx *ctx, const uuid_t id, unsigned int flags,
			       struct json_object **result)
{
	int lock = host_lock(ctx), rc;

	if (lock < 0)
		return lock;
	rc = do_release(ctx, id, flags, result);
	host_unlock(lock);
	return rc;
}

FC_EXPORT int fc_release(struct fc_ctx *ctx, const uuid_t id, struct json_object **result)
{
	return fc_release_flags(ctx, id, 0, result);
}

/* ---- listing -------------------------------------------------------------- */

FC_EXPORT struct json_object *fc_allocations_to_json(struct fc_ctx *ctx, unsigned long flags)
{
	json_object *allocs, *groups, *o;
	struct fc_extent *e;
	uuid_t seen[1024];
	unsigned int nseen = 0;
	char t[37];

	if (host_topology_ensure(ctx) < 0)
		return NULL;
	allocs = json_object_new_array();
	groups = json_object_new_array();
	fc_extent_foreach(ctx, e) {
		struct fc_extent *x;
		struct fc_dax_dev *d;
		uint64_t size = 0;
		uuid_t g;
		unsigned int idx;
		bool dup = false, grouped;
		json_object *a, *gr = NULL;

		if (!e->tagged)
			continue;
		for (unsigned int k = 0; k < nseen; k++)
			dup |= !uuid_compare(seen[k], e->tag);
		if (dup || nseen == ARRAY_SIZE(seen))
			continue;
		uuid_copy(seen[nseen++], e->tag);
		fc_extent_foreach(ctx, x)
			if (x->tagged && !uuid_compare(x->tag, e->tag) && x->region == e->region)
				size += x->length;
		a = json_object_new_object();
		json_object_object_add(a, "tag", json_object_new_string(tagstr(e->tag, t)));
		if (e->region && e->region->memdev)
			json_object_object_add(a, "memdev",
					       json_object_new_string(e->region->memdev->name));
		json_object_object_add(a, "size", fc_json_size(size, flags));
		fc_dax_dev_foreach(ctx, d)
			if (d->has_uuid && !uuid_compare(d->uuid, e->tag)) {
				json_object_object_add(a, "daxdev", json_object_new_string(d->name));
				json_object_object_add(a, "mode",
						       json_object_new_string(fc_dax_mode_name(d->mode)));
			}
		grouped = fc_group_of_tag(e->tag, g, &idx);
		if (grouped) {
			json_object_object_add(a, "group", json_object_new_string(tagstr(g, t)));
			json_object_object_add(a, "member", json_object_new_int((int)idx));
			/* the group's entry */
			for (size_t k = 0; k < json_object_array_length(groups); k++) {
				json_object *c = json_object_array_get_idx(groups, k), *v;

				json_object_object_get_ex(c, "group", &v);
				if (!strcmp(json_object_get_string(v), t))
					gr = c;
			}
			if (!gr) {
				gr = json_object_new_object();
				json_object_object_add(gr, "group", json_object_new_string(t));
				json_object_object_add(gr, "members", json_object_new_int(0));
				json_object_object_add(gr, "size", json_object_new_int64(0));
				json_object_object_add(gr, "memdevs", json_object_new_array());
				json_object_array_add(groups, gr);
			}
			{
				json_object *v;

				json_object_object_get_ex(gr, "members", &v);
				json_object_set_int(v, json_object_get_int(v) + 1);
				json_object_object_get_ex(gr, "size", &v);
				json_object_set_int64(v, json_object_get_int64(v) + (int64_t)size);
				json_object_object_get_ex(gr, "memdevs", &v);
				if (e->region && e->region->memdev)
					json_object_array_add(v, json_object_new_string(
						e->region->memdev->name));
			}
		}
		json_object_array_add(allocs, a);
	}
	/* sizes in the caller's units */
	for (size_t k = 0; (flags & FC_JSON_HUMAN) && k < json_object_array_length(groups); k++) {
		json_object *c = json_object_array_get_idx(groups, k), *v;

		json_object_object_get_ex(c, "size", &v);
		json_object_object_add(c, "size",
				       fc_json_size((uint64_t)json_object_get_int64(v), flags));
	}
	o = json_object_new_object();
	json_object_object_add(o, "allocations", allocs);
	json_object_object_add(o, "groups", groups);
	return o;
}

/* Does the policy claim a device with this tag: a member of its group, or
 * a tag its [udev] tag patterns match? */
FC_EXPORT bool fc_policy_claims_tag(struct fc_policy *p, const uuid_t tag)
{
	uuid_t group, g;
	char t[37];

	fc_policy_group(p, group);
	if (fc_group_of_tag(tag, g, NULL) && !uuid_compare(g, group))
		return true;
	uuid_unparse_lower(tag, t);
	return policy_matches_tag(p, t);
}

FC_EXPORT int fc_host_lock(struct fc_ctx *ctx)
{
	return host_lock(ctx);
}

FC_EXPORT void fc_host_unlock(int fd)
{
	host_unlock(fd);
}

FC_EXPORT int fc_group_set_mode(struct fc_ctx *ctx, const uuid_t group, enum fc_dax_mode mode)
{
	struct fc_dax_dev *d;
	int switched = 0, rc;

	rc = host_topology_ensure(ctx);
	/* a switch refreshes the topology: start over after each */
	while (rc == 0) {
		fc_dax_dev_foreach(ctx, d) {
			uuid_t tag, g;

			if (d->mode != mode && fc_dax_dev_get_uuid(d, tag) &&
			    fc_group_of_tag(tag, g, NULL) && !uuid_compare(g, group))
				break;
		}
		if (!d)
			return switched;
		info(ctx, "%s: switching to %s mode\n", d->name, fc_dax_mode_name(mode));
		rc = fc_dax_dev_set_mode(d, mode);
		switched++;
	}
	return rc;
}
