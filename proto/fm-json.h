/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The exec protocol's JSON codec (famfsctl-exec(7)): every structure of the
 * plugin interface to and from JSON, both directions, so the exec plugin
 * (requests out, replies in) and `famfsctl fabric call` (requests in,
 * replies out) share one definition of the wire format.
 *
 * Decoders check every field's presence and type and name the bad one in
 * `why` ("field 'length': expected an unsigned integer"); they return 0 or
 * -EPROTO.
 */
#ifndef FC_FM_JSON_H
#define FC_FM_JSON_H

#include <stddef.h>
#include <json-c/json.h>
#include <famfsctl/plugin.h>

#define FMJ_VERSION 1
#define FMJ_WHY_MAX 200

/* One request: the op name and everything any op may carry. */
struct fmj_request {
	char op[32];
	uint32_t device;
	uint16_t host;
	struct famfsctl_fm_page page;        /* extents, tags: start, max */
	struct famfsctl_fm_add add;          /* add */
	struct famfsctl_fm_release release;  /* release */
	struct famfsctl_fm_region_set set;   /* set_region_config */
	uuid_t tag;                          /* add_ref, remove_ref */
	struct famfsctl_fm_extent *extents;  /* decoded add/release extents (owned) */
};

/* Build a request object for `op` (only the fields that op uses). */
json_object *fmj_request_new(const char *op, uint32_t device);
void fmj_put_u64(json_object *o, const char *key, uint64_t v);
void fmj_put_tag(json_object *o, const char *key, const uuid_t tag);
json_object *fmj_extents_to(const struct famfsctl_fm_extent *e, uint32_t n);
json_object *fmj_add_to(uint32_t device, const struct famfsctl_fm_add *a);
json_object *fmj_release_to(uint32_t device, const struct famfsctl_fm_release *r);

/* Decode a request (server side); fmj_request_free() releases it. */
int fmj_request_from(json_object *o, struct fmj_request *req, char *why, size_t len);
void fmj_request_free(struct fmj_request *req);

/* Reply payloads. */
json_object *fmj_fabric_to(const struct famfsctl_fm_fabric *f);
int fmj_fabric_from(json_object *o, struct famfsctl_fm_fabric *f, char *why, size_t len);
json_object *fmj_dcd_info_to(const struct famfsctl_fm_dcd_info *i);
int fmj_dcd_info_from(json_object *o, struct famfsctl_fm_dcd_info *i, char *why, size_t len);
json_object *fmj_regions_to(const struct famfsctl_fm_region *r, uint8_t n);
int fmj_regions_from(json_object *o, struct famfsctl_fm_region *r, uint8_t *n,
		     char *why, size_t len);
/* extents and tags pages: "total", "generation" and the array */
json_object *fmj_extent_page_to(const struct famfsctl_fm_page *p,
				const struct famfsctl_fm_extent *e);
int fmj_extent_page_from(json_object *o, struct famfsctl_fm_page *p,
			 struct famfsctl_fm_extent *e, char *why, size_t len);
json_object *fmj_tag_page_to(const struct famfsctl_fm_page *p,
			     const struct famfsctl_fm_tag *t);
int fmj_tag_page_from(json_object *o, struct famfsctl_fm_page *p,
		      struct famfsctl_fm_tag *t, char *why, size_t len);

/* A reply: return code, status name, optional message; payload merged in. */
json_object *fmj_reply_new(int rc, const char *status, const char *message);
/* Check a reply's envelope; *rc gets return_code, *message its message. */
int fmj_reply_check(json_object *o, int *rc, const char **message, char *why,
		    size_t len);

const char *fmj_policy_name(int policy);
int fmj_policy_parse(const char *name);

#endif /* FC_FM_JSON_H */
