/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the fabric tests share: a temporary root for simulated fabrics, a
 * log function that keeps the library's messages for assertions, and
 * running a cmocka group with the root made and removed around it.
 */
#ifndef FC_FMTEST_H
#define FC_FMTEST_H

#include <stdarg.h>
#include <stddef.h>

struct fc_ctx;
struct CMUnitTest;

/* The temporary directory the fabrics of this run live in. */
extern char fmt_root[64];
/* Messages logged since fmt_log_clear(). */
extern char fmt_log[16384];
void fmt_capture(struct fc_ctx *ctx, int prio, const char *file, int line,
		 const char *fn, const char *fmt, va_list ap);
void fmt_log_clear(void);
/* A fresh context logging into fmt_log, no fault knobs in the environment;
 * and its end. For cmocka setup/teardown. */
struct fc_ctx *fmt_ctx_new(void);
void fmt_ctx_free(struct fc_ctx *ctx);
/* Make fmt_root, run the tests, remove fmt_root; returns failures. */
int fmt_run(const char *name, const struct CMUnitTest *tests, size_t n);

#endif
