// SPDX-License-Identifier: LGPL-2.1-only
/* The installed API's sizes (include/famfsctl/size.h), over util/size.c. */
#include "lib/private.h"
#include "util/size.h"

FC_EXPORT int fc_parse_size(const char *str, uint64_t *size)
{
	return util_parse_size(str, size);
}

FC_EXPORT char *fc_format_size(uint64_t size, char *buf, size_t len)
{
	return util_format_size(size, buf, len);
}
