// SPDX-License-Identifier: LGPL-2.1-only
/*
 * The simulator's host side: what each host's kernel does with capacity
 * the FM offers (doc/kernel-dcd.md).
 *
 * An offer (a tag group: every extent of one allocation) reaches the host
 * when its arrival time has passed. The kernel accepts the group whole or
 * drops it whole; it drops a group that
 *   - has an extent not aligned to 2 MiB (offset or length),
 *   - has more than 100 extents (the pending limit),
 *   - on a sharable region, whose sequence numbers are not exactly 0..n-1,
 *   - carries a tag this host already has on any device (tags are unique
 *     host-wide).
 * A dropped group never becomes the host's: the FM sees the offer vanish
 * and the capacity is free again (unless other hosts or the FM hold it).
 *
 * A host claims an accepted tagged allocation as one dax device (writing
 * the tag to a dax device's uuid); a release the FM asks for while that
 * dax device exists is dropped (no answer, nothing queued): the FM asks
 * again after the device is destroyed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include "sim/sim.h"

bool sim_tag_is_null(const uuid_t tag)
{
	return uuid_is_null(tag);
}

uint64_t sim_alloc_length(const struct sim_alloc *a)
{
	uint64_t n = 0;

	for (uint32_t e = 0; e < a->next; e++)
		n += a->ext[e].length;
	return n;
}

struct sim_hold *sim_hold_find(struct sim_alloc *a, uint16_t host)
{
	for (uint32_t h = 0; h < a->nholds; h++)
		if (a->holds[h].host == host)
			return &a->holds[h];
	return NULL;
}

void sim_hold_remove(struct sim *s, struct sim_dev *d, struct sim_alloc *a,
		     uint16_t host)
{
	for (uint32_t h = 0; h < a->nholds; h++) {
		if (a->holds[h].host != host)
			continue;
		memmove(&a->holds[h], &a->holds[h + 1],
			(a->nholds - h - 1) * sizeof(a->holds[0]));
		a->nholds--;
		d->generation++;
		s->dirty = true;
		return;
	}
}

/* Which device (other than `skip`) already gives `host` the tag, or -1. */
static int tag_on_host(struct sim *s, uint16_t host, const uuid_t tag,
		       const struct sim_alloc *skip)
{
	for (uint32_t i = 0; i < s->st.ndevs; i++) {
		struct sim_dev *d = &s->st.devs[i];

		for (uint32_t a = 0; a < d->nallocs; a++) {
			struct sim_alloc *al = &d->allocs[a];
			struct sim_hold *ho;

			if (al == skip || uuid_compare(al->tag, tag))
				continue;
			ho = sim_hold_find(al, host);
			if (ho && ho->state != SIM_PENDING)
				return (int)i;
		}
	}
	return -1;
}

/* The kernel's verdict on a group; NULL: accept. */
static const char *acceptance(struct sim *s, const struct sim_dev *d,
			      const struct sim_alloc *a, uint16_t host,
			      char *why, size_t len)
{
	int other;

	if (a->next > SIM_HOST_MAX_PENDING) {
		snprintf(why, len, "%u extents, more than the %d the kernel takes at once",
			 a->next, SIM_HOST_MAX_PENDING);
		return why;
	}
	for (uint32_t e = 0; e < a->next; e++) {
		if (a->ext[e].dpa % SIM_HOST_ALIGN || a->ext[e].length % SIM_HOST_ALIGN) {
			snprintf(why, len, "extent at DPA %#llx (%llu bytes) is not 2 MiB aligned",
				 (unsigned long long)a->ext[e].dpa,
				 (unsigned long long)a->ext[e].length);
			return why;
		}
		if (d->sharable && a->ext[e].shared_seq != e) {
			snprintf(why, len, "sequence number %u where %u was due",
				 a->ext[e].shared_seq, e);
			return why;
		}
	}
	if (!sim_tag_is_null(a->tag)) {
		other = tag_on_host(s, host, a->tag, a);
		if (other >= 0) {
			snprintf(why, len, "the tag is already present on mem%d", other);
			return why;
		}
	}
	return NULL;
}

static void sanitize(struct sim *s, const struct sim_dev *d, const struct sim_alloc *a)
{
	char *path = sim_backing_path(s, d);
	int fd = path ? open(path, O_RDWR | O_CLOEXEC) : -1;

	for (uint32_t e = 0; fd >= 0 && e < a->next; e++)
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)a->ext[e].dpa, (off_t)a->ext[e].length) < 0)
			sim_log(s, LOG_ERR, "sim: %s: cannot sanitize: %s\n", path,
				strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
}

void sim_settle(struct sim *s, int64_t now_ms)
{
	char why[160], t[37];

	for (uint32_t i = 0; i < s->st.ndevs; i++) {
		struct sim_dev *d = &s->st.devs[i];

		for (uint32_t a = 0; a < d->nallocs; a++) {
			struct sim_alloc *al = &d->allocs[a];

			for (uint32_t h = 0; h < al->nholds;) {
				struct sim_hold *ho = &al->holds[h];

				if (ho->state == SIM_PENDING && ho->arrive_ms <= now_ms) {
					if (acceptance(s, d, al, ho->host, why, sizeof(why))) {
						uuid_unparse_lower(al->tag, t);
						sim_event(s, "host %u: mem%u: dropped the extent group tagged %s: %s",
							  ho->host, i, sim_tag_is_null(al->tag) ? "(none)" : t,
							  why);
						sim_hold_remove(s, d, al, ho->host);
						continue;
					}
					ho->state = SIM_ACCEPTED;
					s->dirty = true;
				}
				h++;
			}
		}
		/* free what nobody holds */
		for (uint32_t a = 0; a < d->nallocs;) {
			struct sim_alloc *al = &d->allocs[a];

			if (al->nholds || al->fm_ref) {
				a++;
				continue;
			}
			if (al->sanitize || d->sanitize_on_release)
				sanitize(s, d, al);
			free(al->ext);
			free(al->holds);
			memmove(al, al + 1, (d->nallocs - a - 1) * sizeof(*al));
			d->nallocs--;
			d->generation++;
			s->dirty = true;
		}
	}
}

/* ---- dax devices ----------------------------------------------------------- */

/* Begin a transaction on host's dax<dev>.<dax>; NULL (and *rc) when none. */
static struct sim_hold *begin_claimed(struct sim *s, uint16_t host, uint32_t dev,
				      uint32_t dax, int *rc)
{
	*rc = sim_begin(s);
	if (*rc < 0)
		return NULL;
	if (dev < s->st.ndevs && dax) {
		struct sim_dev *d = &s->st.devs[dev];

		for (uint32_t a = 0; a < d->nallocs; a++) {
			struct sim_hold *ho = sim_hold_find(&d->allocs[a], host);

			if (ho && ho->dax == dax)
				return ho;
		}
	}
	sim_abort(s);
	sim_log(s, LOG_ERR, "sim: dax%u.%u: no such dax device\n", dev, dax);
	*rc = -ENODEV;
	return NULL;
}

int sim_host_claim(struct sim *s, uint16_t host, uint32_t dev,
		   const uuid_t tag, uint32_t *dax)
{
	struct sim_dev *d;
	struct sim_hold *ho = NULL;
	uint32_t next = 1;
	char t[37];
	int rc = sim_begin(s);

	if (rc < 0)
		return rc;
	uuid_unparse_lower(tag, t);
	if (dev >= s->st.ndevs) {
		sim_abort(s);
		sim_log(s, LOG_ERR, "sim: region%u: no such dax region\n", dev);
		return -ENODEV;
	}
	d = &s->st.devs[dev];
	for (uint32_t a = 0; a < d->nallocs; a++) {
		struct sim_hold *x = sim_hold_find(&d->allocs[a], host);

		if (x && x->dax >= next)
			next = x->dax + 1;
		if (x && x->state == SIM_ACCEPTED && !uuid_compare(d->allocs[a].tag, tag))
			ho = x;
	}
	if (!ho) {
		sim_abort(s);
		sim_log(s, LOG_ERR, "sim: region%u: no extents tagged %s\n", dev, t);
		return -ENOENT;
	}
	if (ho->dax) {
		*dax = ho->dax;
		sim_abort(s);
		sim_log(s, LOG_ERR, "sim: region%u: tag %s is already claimed by dax%u.%u\n",
			dev, t, dev, *dax);
		return -EBUSY;
	}
	ho->dax = next;
	ho->mode = SIM_DEVDAX;
	*dax = next;
	s->dirty = true;
	return sim_commit(s);
}

int sim_host_destroy(struct sim *s, uint16_t host, uint32_t dev, uint32_t dax)
{
	int rc;
	struct sim_hold *ho = begin_claimed(s, host, dev, dax, &rc);

	if (!ho)
		return rc;
	ho->dax = 0;
	s->dirty = true;
	/* nothing was queued: the capacity stays until a release is asked again */
	return sim_commit(s);
}

int sim_host_set_mode(struct sim *s, uint16_t host, uint32_t dev, uint32_t dax,
		      enum sim_dax_mode mode)
{
	int rc;
	struct sim_hold *ho = begin_claimed(s, host, dev, dax, &rc);

	if (!ho)
		return rc;
	if (ho->mode != mode) {
		ho->mode = (uint8_t)mode;
		s->dirty = true;
	}
	return sim_commit(s);
}
