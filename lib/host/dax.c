// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Dax device management through the host platform: claiming a tagged
 * allocation as a dax device, destroying it, switching its mode, and
 * mapping its bytes.
 */
#include <errno.h>
#include <string.h>
#include "lib/private.h"
#include "lib/host/platform.h"
#include "famfs/media.h"

static int need_op(struct fc_ctx *ctx, const void *op, const char *what)
{
	if (op)
		return 0;
	err(ctx, "the %s platform cannot %s yet\n", ctx->platform->name, what);
	return -EOPNOTSUPP;
}

FC_EXPORT int fc_dax_region_create_dev(struct fc_dax_region *region, const uuid_t tag,
				       struct fc_dax_dev **dev)
{
	struct fc_ctx *ctx = region->ctx;
	char name[FC_NAME_MAX];
	int rc = need_op(ctx, ctx->platform->create_dax, "claim tagged capacity");

	if (rc < 0)
		return rc;
	if (!region->dc) {
		err(ctx, "%s: not a dynamic capacity region\n", region->name);
		return -EOPNOTSUPP;
	}
	rc = FC_PLATFORM_TIMED(ctx, ctx->platform->create_dax(ctx, ctx->platform_data,
							      region, tag, name, sizeof(name)));
	if (rc < 0)
		return rc;
	rc = fc_refresh(ctx);
	if (rc < 0)
		return rc;
	*dev = fc_dax_dev_find(ctx, name);
	return *dev ? 0 : -ENODEV;
}

FC_EXPORT int fc_dax_dev_destroy(struct fc_dax_dev *dev)
{
	struct fc_ctx *ctx = dev->ctx;
	int rc = need_op(ctx, ctx->platform->destroy_dax, "destroy dax devices");

	if (rc < 0)
		return rc;
	rc = FC_PLATFORM_TIMED(ctx, ctx->platform->destroy_dax(ctx, ctx->platform_data, dev));
	if (rc < 0)
		return rc;
	return fc_refresh(ctx);
}

FC_EXPORT int fc_dax_dev_set_mode(struct fc_dax_dev *dev, enum fc_dax_mode mode)
{
	struct fc_ctx *ctx = dev->ctx;
	int rc = need_op(ctx, ctx->platform->set_mode, "switch dax device modes");

	if (rc < 0)
		return rc;
	if (dev->mode == mode)
		return 0;
	rc = FC_PLATFORM_TIMED(ctx, ctx->platform->set_mode(ctx, ctx->platform_data, dev, mode));
	if (rc < 0)
		return rc;
	return fc_refresh(ctx);
}

FC_EXPORT int fc_memdev_create_dc_region(struct fc_memdev *m)
{
	struct fc_ctx *ctx = m->ctx;
	char name[FC_NAME_MAX];
	int rc = need_op(ctx, ctx->platform->create_dc_region, "create DC regions");

	if (rc < 0)
		return rc;
	rc = FC_PLATFORM_TIMED(ctx, ctx->platform->create_dc_region(ctx, ctx->platform_data, m,
								    name, sizeof(name)));
	if (rc < 0)
		return rc;
	return fc_refresh(ctx);
}

FC_EXPORT int fc_dax_dev_open_media(struct fc_dax_dev *dev, bool writable,
				    struct fc_media **media)
{
	struct fc_ctx *ctx = dev->ctx;

	if (ctx->platform->open_media)
		return ctx->platform->open_media(ctx, ctx->platform_data, dev,
						 writable, media);
	return famfs_media_open_path(ctx_log(ctx), dev->path, writable, media);
}

FC_EXPORT void *fc_media_get_addr(struct fc_media *m)
{
	return m->base;
}

FC_EXPORT uint64_t fc_media_get_size(struct fc_media *m)
{
	return m->size;
}
