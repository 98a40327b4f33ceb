/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A log context for code below the library (famfs/, util/): a priority and
 * a function to send messages to. The library context embeds one as its
 * first member (as ndctl's log_ctx), so lower layers log through the
 * caller's log function without knowing the library's context.
 */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include <stdarg.h>
#include <syslog.h>

struct util_log_ctx;
typedef void (*util_log_fn)(struct util_log_ctx *log, int priority, const char *file,
			    int line, const char *fn, const char *format, va_list args);

struct util_log_ctx {
	util_log_fn fn;
	int priority;   /* syslog priority: messages up to this one are sent */
};

/* Send one message (used through the macros below). */
void util_log(struct util_log_ctx *log, int priority, const char *file, int line,
	      const char *fn, const char *format, ...)
	__attribute__((format(printf, 6, 7)));

/* The priority a FAMFSCTL_LOG-style value names: "err", "info", "debug" or a
 * number; `dflt` when unset or unknown. */
int util_log_priority(const char *value, int dflt);

#define util_log_cond(log, prio, ...)                                        \
	do {                                                                 \
		struct util_log_ctx *l_ = (log);                             \
		if (l_ && l_->priority >= (prio))                            \
			util_log(l_, prio, __FILE__, __LINE__, __func__,     \
				 __VA_ARGS__);                               \
	} while (0)

#define log_err(log, ...) util_log_cond(log, LOG_ERR, __VA_ARGS__)
#define log_warn(log, ...) util_log_cond(log, LOG_WARNING, __VA_ARGS__)
#define log_info(log, ...) util_log_cond(log, LOG_INFO, __VA_ARGS__)
#define log_dbg(log, ...) util_log_cond(log, LOG_DEBUG, __VA_ARGS__)

#endif /* UTIL_LOG_H */
