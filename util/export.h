/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * FC_EXPORT marks a definition of the installed API (include/famfsctl/):
 * objects are built with hidden visibility and lib/libfamfsctl.sym lists
 * what the library exports, so both must agree (tests/check/check-api.sh).
 */
#ifndef UTIL_EXPORT_H
#define UTIL_EXPORT_H

#define FC_EXPORT __attribute__((visibility("default")))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* UTIL_EXPORT_H */
