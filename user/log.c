// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "log.h"

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

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	/* libbpf warnings are only useful once we failed; show them with -v
	 * (its messages carry their own "libbpf: ") */
	if ((level == LIBBPF_DEBUG && log_verbosity < 2) ||
	    (level != LIBBPF_DEBUG && log_verbosity < 1))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void log_setup_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}
