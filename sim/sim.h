/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The embedded DCD fabric simulator: a fabric of dynamic capacity devices
 * kept in a state directory (state.json plus one sparse backing file per
 * device, DEVNAME.img), shared by any number of simulated hosts from any
 * number of processes.
 *
 * Two faces over one state:
 *  - the fabric manager's (sim-fm.c): the FM-API Dynamic Capacity commands
 *    with the FM's rules (block size, policies, tags, sharing, references,
 *    extent and tag limits);
 *  - each host's kernel (sim-host.c): offered extents arrive as tag groups
 *    and are accepted or dropped whole by the kernel's acceptance rules
 *    (doc/kernel-dcd.md); a host claims a tagged allocation as one dax
 *    device whose bytes are the backing file's bytes at the extents' DPAs.
 *
 * Every operation is one transaction (sim-state.c): take the directory's
 * lock, load the state, let due extents arrive, apply, write the state
 * atomically (temporary file, fsync, rename), release the lock.
 *
 * Fault knobs, for the orchestration's rollback tests, from the environment
 * (FAMFSCTL_SIM_FAULTS, counted per process) or the state file's "faults"
 * object (counted in the state file):
 *   fail=K[:RC]   the K-th mutating FM command (add, release, add_ref,
 *                 remove_ref, set_region_config) answers RC (default 4,
 *                 Internal Error) and changes nothing;
 *   partial=N     only the first N adds are granted, later adds answer
 *                 Resources Exhausted (a multi-device request half granted);
 *   delay=MS      offered extents reach the host MS milliseconds later.
 */
#ifndef FC_SIM_H
#define FC_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <famfsctl/plugin.h>

#define SIM_STATE_VERSION 1
#define SIM_STATE_FILE "state.json"
#define SIM_LOCK_FILE "lock"
#define SIM_MAX_EVENTS 32

/* The kernel's acceptance rules for a group of offered extents. */
#define SIM_HOST_ALIGN (2ULL << 20)
#define SIM_HOST_MAX_PENDING 100

enum sim_hold_state { SIM_PENDING, SIM_ACCEPTED, SIM_RELEASING };
enum sim_dax_mode { SIM_DEVDAX, SIM_FAMFS };

/* One host's view of an allocation: offered, held, or being released. */
struct sim_hold {
	uint16_t host;
	uint8_t state;     /* enum sim_hold_state */
	int64_t arrive_ms; /* PENDING: when the offer reaches the host */
	uint32_t dax;      /* claimed as dax<device>.<dax>; 0: not claimed */
	uint8_t mode;      /* enum sim_dax_mode, when claimed */
};

/* One allocation on a device: its extents under one tag (or untagged). */
struct sim_alloc {
	uuid_t tag;
	uint8_t region;
	bool fm_ref;
	bool sanitize; /* zero the capacity when it is freed */
	uint32_t next;
	struct famfsctl_fm_extent *ext;
	uint32_t nholds;
	struct sim_hold *holds;
};

struct sim_dev {
	char name[FM_NAME_MAX];
	char port[FM_NAME_MAX];
	uint64_t serial;
	uint64_t capacity, block_size;
	bool sharable, sanitize_on_release;
	uint32_t max_extents, max_tags;
	uint32_t generation;
	uint32_t nallocs;
	struct sim_alloc *allocs;
};

struct sim_faults {
	uint32_t fail_at;   /* 0: off */
	uint32_t fail_rc;
	int64_t partial;    /* -1: off */
	int64_t delay_ms;
	uint32_t commands;  /* mutating commands counted so far */
	uint32_t adds;      /* adds granted so far */
};

struct sim_state {
	uint16_t hosts;
	uint32_t ndevs;
	struct sim_dev *devs;
	struct sim_faults faults;
	char *events[SIM_MAX_EVENTS]; /* the hosts' kernel messages, oldest first */
	uint32_t nevents;
};

struct sim {
	char *dir;
	int lockfd;
	const struct famfsctl_plugin_host *log;
	struct sim_state st;
	bool in_txn, dirty;
	bool env_faults; /* FAMFSCTL_SIM_FAULTS given: counted here */
	struct sim_faults faults;
};

#define sim_log(s, prio, ...)                                                \
	do {                                                                 \
		if ((s)->log && (s)->log->log)                               \
			(s)->log->log((s)->log->priv, (prio), __VA_ARGS__);  \
	} while (0)

/* sim-state.c */
int sim_open(const struct famfsctl_plugin_host *log, const char *dir,
	     struct sim **out);
void sim_close(struct sim *s);
int sim_create(const struct famfsctl_plugin_host *log, const char *dir,
	       const struct famfsctl_fm_create *params);
/* Lock, load, let due extents arrive. */
int sim_begin(struct sim *s);
/* Write back (when changed) and unlock; returns 0 or -errno. */
int sim_commit(struct sim *s);
/* Unlock without writing. */
void sim_abort(struct sim *s);
void sim_state_free(struct sim_state *st);
int64_t sim_now_ms(void);
char *sim_backing_path(struct sim *s, const struct sim_dev *d);
int sim_parse_faults(const char *spec, struct sim_faults *f, char *why,
		     size_t len);
void sim_event(struct sim *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* sim-fm.c: the FM-API commands, with the plugin ops' signatures. */
int sim_fm_fabric(void *h, struct famfsctl_fm_fabric *out);
int sim_fm_dcd_info(void *h, uint32_t dev, struct famfsctl_fm_dcd_info *out);
int sim_fm_region_config(void *h, uint32_t dev, uint16_t host,
			 struct famfsctl_fm_region *out, uint8_t *n);
int sim_fm_set_region_config(void *h, uint32_t dev,
			     const struct famfsctl_fm_region_set *req);
int sim_fm_extents(void *h, uint32_t dev, uint16_t host,
		   struct famfsctl_fm_page *page, struct famfsctl_fm_extent *out);
int sim_fm_add(void *h, uint32_t dev, const struct famfsctl_fm_add *req);
int sim_fm_release(void *h, uint32_t dev, const struct famfsctl_fm_release *req);
int sim_fm_add_ref(void *h, uint32_t dev, const uuid_t tag);
int sim_fm_remove_ref(void *h, uint32_t dev, const uuid_t tag);
int sim_fm_tags(void *h, uint32_t dev, struct famfsctl_fm_page *page,
		struct famfsctl_fm_tag *out);

/* sim-host.c: each host's kernel. */
/* Deliver due offers (acceptance rules), finish deferred releases, free
 * allocations nobody holds. Called inside every transaction. */
void sim_settle(struct sim *s, int64_t now_ms);
struct sim_hold *sim_hold_find(struct sim_alloc *a, uint16_t host);
void sim_hold_remove(struct sim *s, struct sim_dev *d, struct sim_alloc *a,
		     uint16_t host);
bool sim_tag_is_null(const uuid_t tag);
uint64_t sim_alloc_length(const struct sim_alloc *a);
/* Claim the allocation tagged `tag` that `host` holds on device `dev` as a
 * dax device: -ENOENT none, -EBUSY already claimed. *dax gets its id. */
int sim_host_claim(struct sim *s, uint16_t host, uint32_t dev,
		   const uuid_t tag, uint32_t *dax);
int sim_host_destroy(struct sim *s, uint16_t host, uint32_t dev, uint32_t dax);
int sim_host_set_mode(struct sim *s, uint16_t host, uint32_t dev, uint32_t dax,
		      enum sim_dax_mode mode);

#endif /* FC_SIM_H */
