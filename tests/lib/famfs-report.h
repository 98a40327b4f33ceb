/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading fsck reports in tests: problems are matched by code. */
#ifndef TESTS_FAMFS_REPORT_H
#define TESTS_FAMFS_REPORT_H

#include <json-c/json.h>

/* Field `key` ("code", "member", "text") of problem i of a report, or "". */
static inline const char *problem_field(struct json_object *report, size_t i, const char *key)
{
	struct json_object *p = json_object_array_get_idx(
		json_object_object_get(report, "problems"), i);
	const char *v = json_object_get_string(json_object_object_get(p, key));

	return v ? v : "";
}

#endif /* TESTS_FAMFS_REPORT_H */
