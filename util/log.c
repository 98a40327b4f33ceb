// SPDX-License-Identifier: LGPL-2.1-only
/* The log context's one function and the FAMFSCTL_LOG priority parser. */
#include <stdlib.h>
#include <string.h>
#include "util/log.h"

void util_log(struct util_log_ctx *log, int priority, const char *file, int line,
	      const char *fn, const char *format, ...)
{
	va_list ap;

	if (!log->fn)
		return;
	va_start(ap, format);
	log->fn(log, priority, file, line, fn, format, ap);
	va_end(ap);
}

int util_log_priority(const char *value, int dflt)
{
	char *end;
	long n;

	if (!value || !*value)
		return dflt;
	if (!strcmp(value, "err") || !strcmp(value, "error"))
		return LOG_ERR;
	if (!strcmp(value, "warn") || !strcmp(value, "warning"))
		return LOG_WARNING;
	if (!strcmp(value, "info"))
		return LOG_INFO;
	if (!strcmp(value, "debug"))
		return LOG_DEBUG;
	n = strtol(value, &end, 10);
	if (*end || n < 0 || n > LOG_DEBUG)
		return dflt;
	return (int)n;
}
