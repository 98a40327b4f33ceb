// SPDX-License-Identifier: GPL-2.0-only
/* Shared by the fabric tests: see fmtest.h. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <famfsctl/libfamfsctl.h>
#include "tests/lib/fmtest.h"

char fmt_root[64];
char fmt_log[16384];

void fmt_capture(struct fc_ctx *ctx, int prio, const char *file, int line,
		 const char *fn, const char *fmt, va_list ap)
{
	size_t n = strlen(fmt_log);

	if (n < sizeof(fmt_log) - 1)
		vsnprintf(fmt_log + n, sizeof(fmt_log) - n, fmt, ap);
}

void fmt_log_clear(void)
{
	fmt_log[0] = '\0';
}

struct fc_ctx *fmt_ctx_new(void)
{
	struct fc_ctx *ctx;

	unsetenv("FAMFSCTL_SIM_FAULTS");
	assert_int_equal(fc_new(&ctx), 0);
	fc_set_log_fn(ctx, fmt_capture);
	fmt_log_clear();
	return ctx;
}

void fmt_ctx_free(struct fc_ctx *ctx)
{
	fc_unref(ctx);
	unsetenv("FAMFSCTL_SIM_FAULTS");
}

int fmt_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	char cmd[128];
	int failed;

	snprintf(fmt_root, sizeof(fmt_root), "/tmp/famfsctl-%s-XXXXXX", name);
	if (!mkdtemp(fmt_root))
		return 1;
	failed = _cmocka_run_group_tests(name, tests, n, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fmt_root);
	if (system(cmd) != 0)
		failed++;
	return failed;
}
