// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Serving one exec-protocol request (famfsctl-exec(7)) with the selected
 * fabric: `famfsctl fabric call`, which is what a fabric-manager script
 * runs to reach any plugin with JSON (and how the conformance suite drives
 * the exec plugin against the simulator).
 */
#include <errno.h>
#include <string.h>
#include <json-c/json.h>
#include "lib/private.h"
#include "proto/fm-json.h"

/* Merge a payload object's fields into the reply. */
static void merge(json_object *reply, json_object *payload)
{
	json_object_object_foreach(payload, key, val)
		json_object_object_add(reply, key, json_object_get(val));
	json_object_put(payload);
}

#define PAGE_MAX 4096

FC_EXPORT int fc_fabric_call_json(struct fc_ctx *ctx, struct json_object *request,
				  struct json_object **reply)
{
	struct fmj_request req;
	json_object *payload = NULL;
	char why[FMJ_WHY_MAX];
	int rc, status;

	rc = fmj_request_from(request, &req, why, sizeof(why));
	if (rc < 0) {
		*reply = fmj_reply_new(FM_RC_INVALID_INPUT, fc_fm_rc_name(FM_RC_INVALID_INPUT),
				       why);
		return -EINVAL;
	}
	if (!strcmp(req.op, "fabric")) {
		struct famfsctl_fm_fabric f;

		rc = fc_fabric_info(ctx, &f);
		if (!rc)
			payload = fmj_fabric_to(&f);
	} else if (!strcmp(req.op, "dcd_info")) {
		struct famfsctl_fm_dcd_info i;

		rc = fc_fabric_dcd_info(ctx, req.device, &i);
		if (!rc)
			payload = fmj_dcd_info_to(&i);
	} else if (!strcmp(req.op, "region_config")) {
		struct famfsctl_fm_region r[FM_MAX_REGIONS];
		uint8_t n = 0;

		rc = fc_fabric_region_config(ctx, req.device, req.host, r, &n);
		if (!rc)
			payload = fmj_regions_to(r, n);
	} else if (!strcmp(req.op, "set_region_config")) {
		rc = fc_fabric_set_region_config(ctx, req.device, &req.set);
	} else if (!strcmp(req.op, "extents")) {
		struct famfsctl_fm_extent *e = calloc(req.page.max ? req.page.max : 1, sizeof(*e));

		rc = e ? fc_fabric_extents(ctx, req.device, req.host, &req.page, e) : -ENOMEM;
		if (!rc)
			payload = fmj_extent_page_to(&req.page, e);
		free(e);
	} else if (!strcmp(req.op, "tags")) {
		struct famfsctl_fm_tag *t = calloc(req.page.max ? req.page.max : 1, sizeof(*t));

		rc = t ? fc_fabric_tags(ctx, req.device, &req.page, t) : -ENOMEM;
		if (!rc)
			payload = fmj_tag_page_to(&req.page, t);
		free(t);
	} else if (!strcmp(req.op, "add")) {
		rc = fc_fabric_add(ctx, req.device, &req.add);
	} else if (!strcmp(req.op, "release")) {
		rc = fc_fabric_release(ctx, req.device, &req.release);
	} else if (!strcmp(req.op, "add_ref")) {
		rc = fc_fabric_add_ref(ctx, req.device, req.tag);
	} else {
		rc = fc_fabric_remove_ref(ctx, req.device, req.tag);
	}
	fmj_request_free(&req);

	status = fc_fabric_get_status(ctx);
	if (rc == 0) {
		*reply = fmj_reply_new(0, fc_fm_rc_name(0), NULL);
		if (payload)
			merge(*reply, payload);
	} else if (status) {
		*reply = fmj_reply_new(status, fc_fm_rc_name(status),
				       fabric_last_message(ctx));
	} else {
		/* the fabric could not be reached: the FM's Internal Error */
		const char *m = fabric_last_message(ctx);

		*reply = fmj_reply_new(FM_RC_INTERNAL_ERROR,
				       fc_fm_rc_name(FM_RC_INTERNAL_ERROR),
				       m ? m : strerror(-rc));
	}
	return *reply ? 0 : -ENOMEM;
}
