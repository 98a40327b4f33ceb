/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The fabric-manager plugin interface: how famfsctl asks a fabric manager
 * (FM) for dynamic capacity. Installed as <famfsctl/plugin.h>.
 *
 * A plugin is a shared object in famfsctl's plugin directory
 * ($(libdir)/famfsctl/plugins, or $FAMFSCTL_PLUGIN_DIR) named NAME.so. It
 * exports one symbol, FAMFSCTL_PLUGIN_SYMBOL, a `struct famfsctl_plugin`
 * whose first member is the interface version it was built for. famfsctl
 * refuses a plugin whose version it does not know.
 *
 * The operations are the FM-API Dynamic Capacity command set (CXL r3.2
 * section 7.6.7.6, command set 56h), one per opcode, addressed to one
 * dynamic capacity device (DCD) of the fabric by its index. The structures
 * carry the commands' fields in host byte order and bytes (the wire's
 * 256 MiB capacity unit is converted by the plugin).
 *
 * Every operation returns:
 *   0      Success;
 *   > 0    the FM-API command return code the FM answered with
 *          (enum famfsctl_fm_rc; CXL r3.1 Table 8-34), after logging why
 *          through the host's log callback when the FM said why;
 *   < 0    a negative errno: the request did not reach the FM or its answer
 *          was unusable (transport down, malformed reply, timeout).
 */
#ifndef FAMFSCTL_PLUGIN_H
#define FAMFSCTL_PLUGIN_H

#include <stdbool.h>
#include <stdint.h>
#include <uuid/uuid.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FAMFSCTL_PLUGIN_VERSION 1
#define FAMFSCTL_PLUGIN_SYMBOL "famfsctl_plugin"

/* FM-API command return codes famfsctl tells apart. */
enum famfsctl_fm_rc {
	FM_RC_SUCCESS = 0x00,
	FM_RC_BACKGROUND = 0x01,          /* Background Command Started */
	FM_RC_INVALID_INPUT = 0x02,
	FM_RC_UNSUPPORTED = 0x03,
	FM_RC_INTERNAL_ERROR = 0x04,
	FM_RC_RETRY_REQUIRED = 0x05,      /* e.g. the host's event log is full */
	FM_RC_BUSY = 0x06,
	FM_RC_INVALID_HANDLE = 0x0d,
	FM_RC_RESOURCES_EXHAUSTED = 0x1d,
	FM_RC_INVALID_EXTENT_LIST = 0x1e,
};

/* Initiate DC Add selection policy (5604h byte 2). */
enum famfsctl_fm_add_policy {
	FM_ADD_FREE = 0,
	FM_ADD_CONTIGUOUS = 1,
	FM_ADD_PRESCRIPTIVE = 2,
	FM_ADD_SHARED = 3, /* Enable Shared Access */
	FM_ADD_POLICIES
};

/* Initiate DC Release flags (5605h byte 2). */
enum famfsctl_fm_release_flags {
	FM_RELEASE_TAG_BASED = 0x0,    /* bits 3:0: removal policy */
	FM_RELEASE_PRESCRIPTIVE = 0x1,
	FM_RELEASE_POLICY_MASK = 0xf,
	FM_RELEASE_FORCED = 1 << 4,    /* do not wait for the host to let go */
	FM_RELEASE_SANITIZE = 1 << 5,  /* sanitize the capacity on release */
};

/* DC region attributes (5601h). */
enum famfsctl_fm_region_flags {
	FM_REGION_NONVOLATILE = 1 << 0,
	FM_REGION_SHARABLE = 1 << 1,
	FM_REGION_READ_ONLY = 1 << 2,
};

#define FM_MAX_REGIONS 8
/* Host ids are u16 on the wire; famfsctl's reference bitmaps cover 64. */
#define FM_MAX_HOSTS 64
#define FM_NAME_MAX 32

/* The fabric as a whole: how many DCDs this FM manages. */
struct famfsctl_fm_fabric {
	char name[FM_NAME_MAX];  /* e.g. "sim", the FM's own name */
	uint32_t devices;        /* DCDs, addressed by index 0..devices-1 */
};

/* 5600h Get DCD Info, plus the device's identity and place in the fabric. */
struct famfsctl_fm_dcd_info {
	char name[FM_NAME_MAX];   /* the FM's name for the device ("dcd3") */
	uint64_t serial;          /* device serial number (Identify) */
	char port[FM_NAME_MAX];   /* switch port / host bridge it sits behind: its
				   * failure domain; "" when the FM cannot tell */
	uint16_t hosts;           /* hosts the device supports */
	uint8_t regions;          /* DC regions, 1..8 */
	uint8_t add_policies;     /* bit (1 << enum famfsctl_fm_add_policy) */
	uint8_t release_policies; /* bit (1 << removal policy) */
	bool sanitize_on_release_config; /* 5602h may set sanitize-on-release */
	uint64_t total_capacity;  /* bytes of dynamic capacity */
	uint64_t block_size_mask[FM_MAX_REGIONS]; /* supported block sizes */
};

/* 5601h Get Host DC Region Config: one region as a host sees it. */
struct famfsctl_fm_region {
	uint64_t base, decode_length, length, block_size;
	uint32_t flags; /* enum famfsctl_fm_region_flags */
	bool sanitize_on_release;
	uint32_t extents_supported, extents_available;
	uint32_t tags_supported, tags_available;
};

/* A DC extent (40 bytes on the wire). A tag of all zeroes means untagged. */
struct famfsctl_fm_extent {
	uint64_t dpa, length;
	uuid_t tag;
	uint16_t shared_seq;
};

/* 5604h Initiate DC Add. */
struct famfsctl_fm_add {
	uint16_t host;
	uint8_t policy;  /* enum famfsctl_fm_add_policy */
	uint8_t region;
	uint64_t length;
	uuid_t tag;
	uint32_t nextents; /* prescriptive only */
	const struct famfsctl_fm_extent *extents;
};

/* 5605h Initiate DC Release. */
struct famfsctl_fm_release {
	uint16_t host;
	uint8_t flags;   /* enum famfsctl_fm_release_flags */
	uint64_t length;
	uuid_t tag;
	uint32_t nextents; /* prescriptive only */
	const struct famfsctl_fm_extent *extents;
};

/* 5608h DC List Tags: one entry. */
struct famfsctl_fm_tag {
	uuid_t tag;
	bool fm_ref;        /* the FM holds a reference (5606h) */
	uint64_t hosts;     /* bit h: host h holds the capacity */
	uint64_t pending;   /* bit h: offered to host h, not yet accepted */
	uint64_t releasing; /* bit h: release asked, the host still uses it */
	uint64_t length;    /* bytes under this tag */
};

/* A page of a list (5603h, 5608h): start index in, counts out. */
struct famfsctl_fm_page {
	uint32_t start;      /* in: first entry wanted */
	uint32_t max;        /* in: room in the caller's array */
	uint32_t returned;   /* out: entries written */
	uint32_t total;      /* out: entries in the whole list */
	uint32_t generation; /* out: changes whenever the list changes */
};

/* 5602h Set DC Region Config. */
struct famfsctl_fm_region_set {
	uint8_t region;
	uint64_t block_size;
	bool sanitize_on_release;
};

/* Parameters for plugins that can create a fabric (the simulator). */
struct famfsctl_fm_create {
	uint32_t devices;
	uint64_t capacity;    /* per device */
	uint64_t block_size;  /* 0: 2 MiB */
	bool sharable;
	uint16_t hosts;       /* 0: 8 */
	uint32_t ports;       /* failure domains the devices spread over; 0: 1 */
	uint32_t max_extents; /* per device and host; 0: 512 */
	uint32_t max_tags;    /* per device; 0: 256 */
};

/**
 * struct famfsctl_plugin_host - What famfsctl gives a plugin.
 * @version: FAMFSCTL_PLUGIN_VERSION, the interface famfsctl speaks.
 * @priv: famfsctl's; pass it back to @log.
 * @log: log a message through the famfsctl context's log function;
 *	@priority is syslog's, a newline ends each message. The first line
 *	of an error (LOG_ERR or more urgent) becomes the reason famfsctl
 *	reports for the failed command.
 *
 * Valid during create, and from open until close.
 */
struct famfsctl_plugin_host {
	uint32_t version; /* FAMFSCTL_PLUGIN_VERSION */
	void *priv;
	/* priority is syslog's; a newline ends each message */
	void (*log)(void *priv, int priority, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
};

/**
 * struct famfsctl_plugin - A fabric-manager plugin: what FAMFSCTL_PLUGIN_SYMBOL names.
 * @version: FAMFSCTL_PLUGIN_VERSION it was built for: checked before
 *	anything else; another version is refused.
 * @name: the plugin's name (famfsctl names it by its file, NAME.so).
 * @description: one line saying what it is, for people.
 * @open: attach to the fabric @arg names (what follows "NAME:" in the
 *	fabric URI, may be ""); *handle receives the plugin's state, passed
 *	to every other operation. Mandatory.
 * @close: detach and free the handle. Optional.
 * @create: create a new fabric at @arg with @params, without opening it.
 *	Optional (NULL: the plugin cannot).
 * @fabric: the fabric as a whole (name, device count). Mandatory.
 * @dcd_info: 5600h Get DCD Info of device @dev. Mandatory.
 * @region_config: 5601h Get Host DC Region Config as host @host sees
 *	device @dev; out[] has room for FM_MAX_REGIONS, *n receives the
 *	region count. Mandatory.
 * @set_region_config: 5602h Set DC Region Config. Optional.
 * @extents: 5603h Get DC Region Extent Lists, one page (struct
 *	famfsctl_fm_page); out[] has room for page->max. Mandatory.
 * @add: 5604h Initiate DC Add. Mandatory.
 * @release: 5605h Initiate DC Release. Mandatory.
 * @add_ref: 5606h DC Add Reference. Optional.
 * @remove_ref: 5607h DC Remove Reference. Optional.
 * @tags: 5608h DC List Tags, one page; out[] has room for page->max.
 *	Mandatory.
 *
 * famfsctl refuses a plugin without a mandatory operation; for a missing
 * optional command operation it answers Unsupported itself. Every
 * operation returns 0, an FM-API return code or a negative errno, as this
 * file's header says.
 */
struct famfsctl_plugin {
	uint32_t version; /* FAMFSCTL_PLUGIN_VERSION: checked before anything else */
	const char *name;
	const char *description;

	/* arg is what follows "NAME:" in the fabric URI (may be ""). */
	int (*open)(const struct famfsctl_plugin_host *host, const char *arg,
		    void **handle);
	void (*close)(void *handle);
	/* Optional: create a new fabric at arg (NULL: cannot). */
	int (*create)(const struct famfsctl_plugin_host *host, const char *arg,
		      const struct famfsctl_fm_create *params);

	int (*fabric)(void *h, struct famfsctl_fm_fabric *out);
	int (*dcd_info)(void *h, uint32_t dev, struct famfsctl_fm_dcd_info *out);
	/* out[] has room for FM_MAX_REGIONS; *n receives the region count. */
	int (*region_config)(void *h, uint32_t dev, uint16_t host,
			     struct famfsctl_fm_region *out, uint8_t *n);
	int (*set_region_config)(void *h, uint32_t dev,
				 const struct famfsctl_fm_region_set *req);
	int (*extents)(void *h, uint32_t dev, uint16_t host,
		       struct famfsctl_fm_page *page,
		       struct famfsctl_fm_extent *out);
	int (*add)(void *h, uint32_t dev, const struct famfsctl_fm_add *req);
	int (*release)(void *h, uint32_t dev,
		       const struct famfsctl_fm_release *req);
	int (*add_ref)(void *h, uint32_t dev, const uuid_t tag);
	int (*remove_ref)(void *h, uint32_t dev, const uuid_t tag);
	int (*tags)(void *h, uint32_t dev, struct famfsctl_fm_page *page,
		    struct famfsctl_fm_tag *out);
};

#ifdef __cplusplus
}
#endif
#endif /* FAMFSCTL_PLUGIN_H */
