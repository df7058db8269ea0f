// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdarg.h>
#include <stdio.h>
#include "core/log.h"

int log_verbosity;

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "tracer: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define DEFINE_LOG(name, prefix, min)			\
	void name(const char *fmt, ...)			\
	{						\
		va_list ap;				\
		if (log_verbosity < (min))		\
			return;				\
		va_start(ap, fmt);			\
		vlog(prefix, fmt, ap);			\
		va_end(ap);				\
	}

DEFINE_LOG(pr_err, "error: ", 0)
DEFINE_LOG(pr_warn, "warning: ", 0)
DEFINE_LOG(pr_info, "", 1)
DEFINE_LOG(pr_debug, "debug: ", 2)
