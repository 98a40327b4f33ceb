// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The simulator's fabric-manager face: the FM-API Dynamic Capacity command
 * set (56h) with the rules a DCD and its FM enforce. Each command is one
 * transaction over the state directory; a refused command changes nothing.
 *
 * The model, per device: one DC region (base 0, the device's whole dynamic
 * capacity), allocated in blocks. An allocation is a set of extents under
 * one tag; hosts hold it (shared allocations: several hosts, same extents
 * and sequence numbers). It is freed when no host holds it and the FM holds
 * no reference.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include "sim/sim.h"

#define MIB (1ULL << 20)
/* Block sizes a device supports: 64 KiB .. 1 GiB, powers of two. */
#define SIM_BLOCK_MASK (((2ULL << 30) - 1) & ~((64ULL << 10) - 1))

/* Refuse a command: log the FM's reason, leave the state untouched. */
static int refuse(struct sim *s, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int refuse(struct sim *s, int rc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sim_log(s, LOG_ERR, "%s\n", msg);
	if (s->in_txn)
		sim_abort(s);
	return rc;
}

/* Begin a transaction on device `dev`; NULL (and *rc) when it cannot. */
static struct sim_dev *begin_dev(struct sim *s, uint32_t dev, int *rc)
{
	*rc = sim_begin(s);
	if (*rc < 0)
		return NULL;
	if (dev >= s->st.ndevs) {
		*rc = refuse(s, FM_RC_INVALID_HANDLE,
			     "device %u: the fabric has devices 0..%u", dev,
			     s->st.ndevs - 1);
		return NULL;
	}
	return &s->st.devs[dev];
}

static int check_host(struct sim *s, const struct sim_dev *d, uint16_t host)
{
	if (host < s->st.hosts)
		return 0;
	return refuse(s, FM_RC_INVALID_INPUT, "%s: host %u: the device supports hosts 0..%u",
		      d->name, host, s->st.hosts - 1);
}

static struct sim_faults *faults(struct sim *s)
{
	return s->env_faults ? &s->faults : &s->st.faults;
}

/*
 * Count a mutating command that passed validation and apply the fault
 * knobs: returns 0 to go on, or the injected return code after ending the
 * transaction (the command's effects dropped, the count kept).
 */
static int gate(struct sim *s, bool is_add)
{
	struct sim_faults *f = faults(s);
	int rc = 0;

	f->commands++;
	s->dirty = true;
	if (f->fail_at && f->commands == f->fail_at) {
		rc = (int)f->fail_rc;
		sim_log(s, LOG_ERR, "sim: fault fail=%u: command %u answers %#x\n",
			f->fail_at, f->commands, rc);
	} else if (is_add && f->partial >= 0 && f->adds >= (uint64_t)f->partial) {
		rc = FM_RC_RESOURCES_EXHAUSTED;
		sim_log(s, LOG_ERR, "sim: fault partial=%lld: no more adds are granted\n",
			(long long)f->partial);
	}
	if (rc) {
		if (s->env_faults)
			sim_abort(s);
		else
			sim_commit(s); /* only the counters changed */
	}
	return rc;
}

/* ---- info ---------------------------------------------------------------- */

int sim_fm_fabric(void *h, struct famfsctl_fm_fabric *out)
{
	struct sim *s = h;
	int rc = sim_begin(s);

	if (rc < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "sim");
	out->devices = s->st.ndevs;
	return sim_commit(s);
}

int sim_fm_dcd_info(void *h, uint32_t dev, struct famfsctl_fm_dcd_info *out)
{
	struct sim *s = h;
	struct sim_dev *d = NULL;
	int rc;

	d = begin_dev(s, dev, &rc);
	if (!d)
		return rc;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", d->name);
	snprintf(out->port, sizeof(out->port), "%s", d->port);
	out->serial = d->serial;
	out->hosts = s->st.hosts;
	out->regions = 1;
	out->add_policies = (1 << FM_ADD_FREE) | (1 << FM_ADD_CONTIGUOUS) |
			    (1 << FM_ADD_PRESCRIPTIVE) |
			    (d->sharable ? 1 << FM_ADD_SHARED : 0);
	out->release_policies = (1 << FM_RELEASE_TAG_BASED) |
				(1 << FM_RELEASE_PRESCRIPTIVE);
	out->sanitize_on_release_config = true;
	out->total_capacity = d->capacity;
	out->block_size_mask[0] = SIM_BLOCK_MASK;
	return sim_commit(s);
}

static uint32_t host_extents(const struct sim_dev *d, uint16_t host)
{
	uint32_t n = 0;

	for (uint32_t a = 0; a < d->nallocs; a++)
		for (uint32_t h = 0; h < d->allocs[a].nholds; h++)
			if (d->allocs[a].holds[h].host == host)
				n += d->allocs[a].next;
	return n;
}

static uint32_t dev_tags(const struct sim_dev *d)
{
	uint32_t n = 0;

	for (uint32_t a = 0; a < d->nallocs; a++)
		n += !sim_tag_is_null(d->allocs[a].tag);
	return n;
}

int sim_fm_region_config(void *h, uint32_t dev, uint16_t host,
			 struct famfsctl_fm_region *out, uint8_t *n)
{
	struct sim *s = h;
	struct sim_dev *d = NULL;
	uint32_t used;
	int rc;

	d = begin_dev(s, dev, &rc);
	if (!d || (rc = check_host(s, d, host)))
		return rc;
	memset(out, 0, sizeof(*out));
	out->base = 0;
	out->decode_length = d->capacity;
	out->length = d->capacity;
	out->block_size = d->block_size;
	out->flags = d->sharable ? FM_REGION_SHARABLE : 0;
	out->sanitize_on_release = d->sanitize_on_release;
	used = host_extents(d, host);
	out->extents_supported = d->max_extents;
	out->extents_available = used < d->max_extents ? d->max_extents - used : 0;
	used = dev_tags(d);
	out->tags_supported = d->max_tags;
	out->tags_available = used < d->max_tags ? d->max_tags - used : 0;
	*n = 1;
	return sim_commit(s);
}

static bool dev_in_use(const struct sim_dev *d)
{
	return d->nallocs > 0;
}

int sim_fm_set_region_config(void *h, uint32_t dev,
			     const struct famfsctl_fm_region_set *req)
{
	struct sim *s = h;
	struct sim_dev *d = NULL;
	int rc;

	d = begin_dev(s, dev, &rc);
	if (!d)
		return rc;
	if (req->region != 0)
		return refuse(s, FM_RC_INVALID_INPUT, "%s: region %u: the device has region 0 only",
			      d->name, req->region);
	if (!(req->block_size & SIM_BLOCK_MASK) ||
	    (req->block_size & (req->block_size - 1)))
		return refuse(s, FM_RC_INVALID_INPUT,
			      "%s: block size %llu is not supported (powers of two, 64 KiB to 1 GiB)",
			      d->name, (unsigned long long)req->block_size);
	if (req->block_size != d->block_size && dev_in_use(d))
		return refuse(s, FM_RC_INVALID_INPUT,
			      "%s: the block size can change only while the region is fully released",
			      d->name);
	if ((rc = gate(s, false)))
		return rc;
	d->block_size = req->block_size;
	d->sanitize_on_release = req->sanitize_on_release;
	d->generation++;
	s->dirty = true;
	return sim_commit(s);
}

/* ---- lists --------------------------------------------------------------- */

int sim_fm_extents(void *h, uint32_t dev, uint16_t host,
		   struct famfsctl_fm_page *page, struct famfsctl_fm_extent *out)
{
	struct sim *s = h;
	struct sim_dev *d = NULL;
	uint32_t i = 0;
	int rc;

	d = begin_dev(s, dev, &rc);
	if (!d || (rc = check_host(s, d, host)))
		return rc;
	page->returned = 0;
	for (uint32_t a = 0; a < d->nallocs; a++) {
		const struct sim_alloc *al = &d->allocs[a];
		const struct sim_hold *ho = sim_hold_find((struct sim_alloc *)al, host);

		if (!ho || ho->state == SIM_PENDING)
			continue;
		for (uint32_t e = 0; e < al->next; e++, i++)
			if (i >= page->start && page->returned < page->max)
				out[page->returned++] = al->ext[e];
	}
	page->total = i;
	page->generation = d->generation;
	return sim_commit(s);
}

int sim_fm_tags(void *h, uint32_t dev, struct famfsctl_fm_page *page,
		struct famfsctl_fm_tag *out)
{
	struct sim *s = h;
	struct sim_dev *d = NULL;
	uint32_t i = 0;
	int rc;

	d = begin_dev(s, dev, &rc);
	if (!d)
		return rc;
	page->returned = 0;
	for (uint32_t a = 0; a < d->nallocs; a++) {
		const struct sim_alloc *al = &d->allocs[a];
		struct famfsctl_fm_tag *t;

		if (sim_tag_is_null(al->tag))
			continue;
		if (i++ < page->start || page->returned >= page->max)
			continue;
		t = &out[page->returned++];
		memset(t, 0, sizeof(*t));
		uuid_copy(t->tag, al->tag);
		t->fm_ref = al->fm_ref;
		t->length = sim_alloc_length(al);
		for (uint32_t k = 0; k < al->nholds; k++) {
			uint64_t bit = 1ULL << al->holds[k].host;

			if (al->holds[k].state == SIM_PENDING)
				t->pending |= bit;
			else
				t->hosts |= bit;
			if (al->holds[k].state == SIM_RELEASING)
				t->releasing |= bit;
		}
	}
	page->total = i;
	page->generation = d->generation;
	return sim_commit(s);
}

/* ---- add ----------------------------------------------------------------- */

static struct sim_alloc *find_tag(struct sim_dev *d, const uuid_t tag)
{
	if (sim_tag_is_null(tag))
		return NULL;
	for (uint32_t a = 0; a < d->nallocs; a++)
		if (!uuid_compare(d->allocs[a].tag, tag))
			return &d->allocs[a];
	return NULL;
}

static bool overlaps(const struct sim_dev *d, uint64_t dpa, uint64_t len)
{
	for (uint32_t a = 0; a < d->nallocs; a++)
		for (uint32_t e = 0; e < d->allocs[a].next; e++) {
			const struct famfsctl_fm_extent *x = &d->allocs[a].ext[e];

			if (dpa < x->dpa + x->length && x->dpa < dpa + len)
				return true;
		}
	return false;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The device's free ranges, ascending, as [start, end) pairs in *out
 * (malloc'd); returns the pair count or -ENOMEM.
 */
static int free_ranges(const struct sim_dev *d, uint64_t **out)
{
	uint32_t n = 0;
	uint64_t *used, *fr, pos = 0;
	int nf = 0;

	for (uint32_t a = 0; a < d->nallocs; a++)
		n += d->allocs[a].next;
	used = calloc(2 * (size_t)n + 1, sizeof(*used));
	fr = calloc(2 * ((size_t)n + 1), sizeof(*fr));
	if (!used || !fr) {
		free(used);
		free(fr);
		return -ENOMEM;
	}
	n = 0;
	for (uint32_t a = 0; a < d->nallocs; a++)
		for (uint32_t e = 0; e < d->allocs[a].next; e++) {
			used[2 * n] = d->allocs[a].ext[e].dpa;
			used[2 * n + 1] = d->allocs[a].ext[e].length;
			n++;
		}
	/* sort (dpa, length) pairs by dpa */
	qsort(used, n, 2 * sizeof(*used), cmp_u64);
	for (uint32_t i = 0; i < n; i++) {
		if (used[2 * i] > pos) {
			fr[2 * nf] = pos;
			fr[2 * nf + 1] = used[2 * i];
			nf++;
		}
		pos = used[2 * i] + used[2 * i + 1];
	}
	if (pos < d->capacity) {
		fr[2 * nf] = pos;
		fr[2 * nf + 1] = d->capacity;
		nf++;
	}
	free(used);
	*out = fr;
	return nf;
}

static struct sim_alloc *new_alloc(struct sim_dev *d)
{
	struct sim_alloc *n = realloc(d->allocs, (d->nallocs + 1) * sizeof(*n));

	if (!n)
		return NULL;
	d->allocs = n;
	memset(&n[d->nallocs], 0, sizeof(*n));
	return &n[d->nallocs++];
}

static int add_extent(struct sim_alloc *a, uint64_t dpa, uint64_t len)
{
	struct famfsctl_fm_extent *n = realloc(a->ext, (a->next + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	a->ext = n;
	memset(&n[a->next], 0, sizeof(*n));
	n[a->next].dpa = dpa;
	n[a->next].length = len;
	uuid_copy(n[a->next].tag, a->tag);
	a->next++;
	return 0;
}

static int add_hold(struct sim *s, struct sim_alloc *a, uint16_t host)
{
	struct sim_hold *n = realloc(a->holds, (a->nholds + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	a->holds = n;
	memset(&n[a->nholds], 0, sizeof(*n));
	n[a->nholds].host = host;
	n[a->nholds].state = SIM_PENDING;
	n[a->nholds].arrive_ms = sim_now_ms() + faults(s)->delay_ms;
	a->nholds++;
	return 0;
}

static int add_shared(struct sim *s, struct sim_dev *d,
		      const struct famfsctl_fm_add *req)
{
	struct sim_alloc *a = find_tag(d, req->tag);
	char t[37];
	int rc;

	uuid_unparse_lower(req->tag, t);
	if (!d->sharable)
		return refuse(s, FM_RC_INVALID_INPUT,
			      "%s: enable-shared-access: the region is not sharable", d->name);
	if (!a)
		return refuse(s, FM_RC_INVALID_INPUT,
			      "%s: enable-shared-access: no capacity is tagged %s to share",
			      d->name, sim_tag_is_null(req->tag) ? "(none given)" : t);
	if (sim_hold_find(a, req->host))
		return refuse(s, FM_RC_INVALID_INPUT,
			      "%s: host %u already has tag %s", d->name, req->host, t);
	if (req->length && req->length != sim_alloc_length(a))
		return refuse(s, FM_RC_INVALID_INPUT,
			      "%s: enable-shared-access: length %llu differs from the tag's %llu",
			      d->name, (unsigned long long)req->length,
			      (unsigned long long)sim_alloc_length(a));
	if (host_extents(d, req->host) + a->next > d->max_extents)
		return refuse(s, FM_RC_RESOURCES_EXHAUSTED,
			      "%s: host %u would exceed %u extents", d->name,
			      req->host, d->max_extents);
	if ((rc = gate(s, true)))
		return rc;
	rc = add_hold(s, a, req->host);
	if (rc < 0) {
		sim_abort(s);
		return rc;
	}
	return 0;
}

int sim_fm_add(void *h, uint32_t dev, const struct famfsctl_fm_add *req)
{
	struct sim *s = h;
	struct sim_dev *d = NULL;
	struct sim_alloc *a;
	uint64_t *fr = NULL, left = req->length;
	uint32_t nnew = 0;
	char t[37];
	int rc, nf;

	d = begin_dev(s, dev, &rc);
	if (!d || (rc = check_host(s, d, req->host)))
		return rc;
	uuid_unparse_lower(req->tag, t);
	if (req->region != 0)
		return refuse(s, FM_RC_INVALID_INPUT, "%s: region %u: the device has region 0 only",
			      d->name, req->region);
	if (req->policy >= FM_ADD_POLICIES)
		return refuse(s, FM_RC_INVALID_INPUT, "%s: selection policy %u is not defined",
			      d->name, req->policy);
	if (req->policy == FM_ADD_SHARED) {
		rc = add_shared(s, d, req);
		if (rc)
			return rc;
		goto granted;
	}
	if (find_tag(d, req->tag))
		return refuse(s, FM_RC_INVALID_INPUT,
			      "%s: tag %s already names an allocation on this device (share it with enable-shared-access)",
			      d->name, t);
	if (!sim_tag_is_null(req->tag) && dev_tags(d) >= d->max_tags)
		return refuse(s, FM_RC_RESOURCES_EXHAUSTED,
			      "%s: all %u tags are in use", d->name, d->max_tags);
	if (req->policy == FM_ADD_PRESCRIPTIVE) {
		uint64_t sum = 0;

		if (!req->nextents)
			return refuse(s, FM_RC_INVALID_EXTENT_LIST,
				      "%s: prescriptive add without extents", d->name);
		for (uint32_t i = 0; i < req->nextents; i++) {
			const struct famfsctl_fm_extent *x = &req->extents[i];

			if (!x->length || x->dpa % d->block_size || x->length % d->block_size)
				return refuse(s, FM_RC_INVALID_EXTENT_LIST,
					      "%s: extent %u (DPA %#llx, %llu bytes) is not a whole number of %llu-byte blocks",
					      d->name, i, (unsigned long long)x->dpa,
					      (unsigned long long)x->length,
					      (unsigned long long)d->block_size);
			if (x->dpa >= d->capacity || x->length > d->capacity - x->dpa)
				return refuse(s, FM_RC_INVALID_EXTENT_LIST,
					      "%s: extent %u (DPA %#llx, %llu bytes) lies outside the region (%llu bytes)",
					      d->name, i, (unsigned long long)x->dpa,
					      (unsigned long long)x->length,
					      (unsigned long long)d->capacity);
			if (overlaps(d, x->dpa, x->length))
				return refuse(s, FM_RC_INVALID_EXTENT_LIST,
					      "%s: extent %u (DPA %#llx) overlaps allocated capacity",
					      d->name, i, (unsigned long long)x->dpa);
			for (uint32_t j = 0; j < i; j++) {
				const struct famfsctl_fm_extent *y = &req->extents[j];

				if (x->dpa < y->dpa + y->length && y->dpa < x->dpa + x->length)
					return refuse(s, FM_RC_INVALID_EXTENT_LIST,
						      "%s: extents %u and %u overlap", d->name, j, i);
			}
			sum += x->length;
		}
		if (req->length && req->length != sum)
			return refuse(s, FM_RC_INVALID_INPUT,
				      "%s: length %llu differs from the extents' total %llu",
				      d->name, (unsigned long long)req->length,
				      (unsigned long long)sum);
		nnew = req->nextents;
	} else {
		if (!req->length || req->length % d->block_size)
			return refuse(s, FM_RC_INVALID_INPUT,
				      "%s: length %llu is not a non-zero multiple of the block size (%llu)",
				      d->name, (unsigned long long)req->length,
				      (unsigned long long)d->block_size);
		nf = free_ranges(d, &fr);
		if (nf < 0) {
			sim_abort(s);
			return nf;
		}
		if (req->policy == FM_ADD_CONTIGUOUS) {
			int i;

			for (i = 0; i < nf; i++)
				if (fr[2 * i + 1] - fr[2 * i] >= req->length)
					break;
			if (i == nf) {
				free(fr);
				return refuse(s, FM_RC_RESOURCES_EXHAUSTED,
					      "%s: no %llu contiguous free bytes", d->name,
					      (unsigned long long)req->length);
			}
			fr[0] = fr[2 * i];
			fr[1] = fr[0] + req->length;
			nf = 1;
			nnew = 1;
		} else {
			uint64_t avail = 0;

			for (int i = 0; i < nf && avail < req->length; i++, nnew++)
				avail += fr[2 * i + 1] - fr[2 * i];
			if (avail < req->length) {
				free(fr);
				return refuse(s, FM_RC_RESOURCES_EXHAUSTED,
					      "%s: %llu bytes asked, %llu free", d->name,
					      (unsigned long long)req->length,
					      (unsigned long long)avail);
			}
		}
	}
	if (host_extents(d, req->host) + nnew > d->max_extents) {
		free(fr);
		return refuse(s, FM_RC_RESOURCES_EXHAUSTED,
			      "%s: host %u would exceed %u extents", d->name,
			      req->host, d->max_extents);
	}
	if ((rc = gate(s, true))) {
		free(fr);
		return rc;
	}
	a = new_alloc(d);
	if (!a) {
		free(fr);
		sim_abort(s);
		return -ENOMEM;
	}
	uuid_copy(a->tag, req->tag);
	a->region = req->region;
	rc = 0;
	if (req->policy == FM_ADD_PRESCRIPTIVE) {
		for (uint32_t i = 0; i < req->nextents && !rc; i++)
			rc = add_extent(a, req->extents[i].dpa, req->extents[i].length);
	} else {
		for (uint32_t i = 0; left && !rc; i++) {
			uint64_t take = fr[2 * i + 1] - fr[2 * i];

			if (take > left)
				take = left;
			rc = add_extent(a, fr[2 * i], take);
			left -= take;
		}
	}
	free(fr);
	if (!rc && d->sharable)
		for (uint32_t i = 0; i < a->next; i++)
			a->ext[i].shared_seq = (uint16_t)i;
	if (!rc)
		rc = add_hold(s, a, req->host);
	if (rc) {
		sim_abort(s);
		return rc;
	}
granted:
	faults(s)->adds++;
	d->generation++;
	s->dirty = true;
	/* an offer with no delay reaches the host at once */
	sim_settle(s, sim_now_ms());
	return sim_commit(s);
}

/* ---- release ------------------------------------------------------------- */

/*
 * Let `host` go of `a`. A host's kernel answers a release only for a group
 * no dax device claims (bound or not, mounted or not); one it has claimed
 * is dropped without an answer and nothing is queued: the FM must ask again
 * once the device is gone (doc/kernel-dcd.md).
 */
static void release_hold(struct sim *s, struct sim_dev *d, struct sim_alloc *a,
			 uint16_t host)
{
	struct sim_hold *ho = sim_hold_find(a, host);
	char t[37];

	if (ho->state == SIM_PENDING || !ho->dax) {
		sim_hold_remove(s, d, a, host);
		return;
	}
	uuid_unparse_lower(a->tag, t);
	sim_event(s, "host %u: %s: dropped the release of tag %s: dax%u.%u claims it",
		  host, d->name, sim_tag_is_null(a->tag) ? "(none)" : t,
		  (unsigned)(d - s->st.devs), ho->dax);
}

int sim_fm_release(void *h, uint32_t dev, const struct famfsctl_fm_release *req)
{
	struct sim *s = h;
	struct sim_dev *d = NULL;
	unsigned policy = req->flags & FM_RELEASE_POLICY_MASK;
	struct sim_alloc **hit = NULL;
	uint32_t nhit = 0;
	char t[37];
	int rc;

	d = begin_dev(s, dev, &rc);
	if (!d || (rc = check_host(s, d, req->host)))
		return rc;
	uuid_unparse_lower(req->tag, t);
	if (req->flags & ~(FM_RELEASE_POLICY_MASK | FM_RELEASE_FORCED | FM_RELEASE_SANITIZE))
		return refuse(s, FM_RC_INVALID_INPUT, "%s: release flags %#x: reserved bits set",
			      d->name, req->flags);
	/* no kernel takes a forced release (an unknown event), nor does QEMU */
	if (req->flags & FM_RELEASE_FORCED)
		return refuse(s, FM_RC_UNSUPPORTED,
			      "%s: forced release: no host kernel or device supports it", d->name);
	hit = calloc(d->nallocs + 1, sizeof(*hit));
	if (!hit) {
		sim_abort(s);
		return -ENOMEM;
	}
	if (policy == FM_RELEASE_TAG_BASED) {
		struct sim_alloc *a = find_tag(d, req->tag);

		if (sim_tag_is_null(req->tag)) {
			free(hit);
			return refuse(s, FM_RC_INVALID_INPUT,
				      "%s: tag-based release needs a tag", d->name);
		}
		if (!a || !sim_hold_find(a, req->host)) {
			free(hit);
			return refuse(s, FM_RC_INVALID_INPUT,
				      "%s: host %u holds no capacity tagged %s", d->name,
				      req->host, t);
		}
		if (req->length && req->length != sim_alloc_length(a)) {
			free(hit);
			return refuse(s, FM_RC_INVALID_INPUT,
				      "%s: tag %s: release of %llu of its %llu bytes: a tag is released whole",
				      d->name, t, (unsigned long long)req->length,
				      (unsigned long long)sim_alloc_length(a));
		}
		hit[nhit++] = a;
	} else if (policy == FM_RELEASE_PRESCRIPTIVE) {
		/* every listed extent must be one the host holds; allocations
		 * are released whole (the kernel releases tag groups whole) */
		uint64_t *covered = calloc(d->nallocs + 1, sizeof(*covered));

		if (!covered || !req->nextents) {
			free(covered);
			free(hit);
			if (!req->nextents)
				return refuse(s, FM_RC_INVALID_EXTENT_LIST,
					      "%s: prescriptive release without extents", d->name);
			sim_abort(s);
			return -ENOMEM;
		}
		for (uint32_t i = 0; i < req->nextents; i++) {
			const struct famfsctl_fm_extent *x = &req->extents[i];
			uint32_t a, e = 0;

			for (a = 0; a < d->nallocs; a++) {
				if (!sim_hold_find(&d->allocs[a], req->host))
					continue;
				for (e = 0; e < d->allocs[a].next; e++)
					if (d->allocs[a].ext[e].dpa == x->dpa &&
					    d->allocs[a].ext[e].length == x->length)
						break;
				if (e < d->allocs[a].next)
					break;
			}
			if (a == d->nallocs) {
				free(covered);
				free(hit);
				return refuse(s, FM_RC_INVALID_EXTENT_LIST,
					      "%s: extent %u (DPA %#llx, %llu bytes) is not an extent host %u holds",
					      d->name, i, (unsigned long long)x->dpa,
					      (unsigned long long)x->length, req->host);
			}
			if (!covered[a])
				hit[nhit++] = &d->allocs[a];
			covered[a] += x->length;
		}
		for (uint32_t a = 0; a < d->nallocs; a++) {
			if (covered[a] && covered[a] != sim_alloc_length(&d->allocs[a])) {
				char at[37];

				uuid_unparse_lower(d->allocs[a].tag, at);
				free(covered);
				free(hit);
				return refuse(s, FM_RC_INVALID_INPUT,
					      "%s: the extents name part of allocation %s: a tag group is released whole",
					      d->name, at);
			}
		}
		free(covered);
	} else {
		free(hit);
		return refuse(s, FM_RC_INVALID_INPUT, "%s: removal policy %u is not defined",
			      d->name, policy);
	}
	if ((rc = gate(s, false))) {
		free(hit);
		return rc;
	}
	/* holds go now; allocations nobody holds are freed by the settle */
	for (uint32_t i = 0; i < nhit; i++) {
		if (req->flags & FM_RELEASE_SANITIZE)
			hit[i]->sanitize = true;
		release_hold(s, d, hit[i], req->host);
	}
	sim_settle(s, sim_now_ms());
	free(hit);
	d->generation++;
	s->dirty = true;
	return sim_commit(s);
}

/* ---- references ---------------------------------------------------------- */

static int set_ref(struct sim *s, uint32_t dev, const uuid_t tag, bool on)
{
	struct sim_dev *d = NULL;
	struct sim_alloc *a;
	char t[37];
	int rc;

	d = begin_dev(s, dev, &rc);
	if (!d)
		return rc;
	uuid_unparse_lower(tag, t);
	a = find_tag(d, tag);
	if (!a)
		return refuse(s, FM_RC_INVALID_INPUT, "%s: no capacity is tagged %s", d->name,
			      sim_tag_is_null(tag) ? "(none given)" : t);
	if (a->fm_ref == on)
		return refuse(s, FM_RC_INVALID_INPUT, "%s: tag %s: the FM %s a reference",
			      d->name, t, on ? "already holds" : "holds no");
	if ((rc = gate(s, false)))
		return rc;
	a->fm_ref = on;
	d->generation++;
	s->dirty = true;
	/* dropping the last reference may free the capacity */
	sim_settle(s, sim_now_ms());
	return sim_commit(s);
}

int sim_fm_add_ref(void *h, uint32_t dev, const uuid_t tag)
{
	return set_ref(h, dev, tag, true);
}

int sim_fm_remove_ref(void *h, uint32_t dev, const uuid_t tag)
{
	return set_ref(h, dev, tag, false);
}
