/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_ENVCHECK_H
#define TRACER_ENVCHECK_H

/*
 * What tracing needs from the machine, checked before any BPF object is
 * opened so that each failure gets one message that says what to do.
 * Returns 0 or a negative errno after printing the message.
 */
int envcheck_tracing(void);

/* Whether tracer runs in a nested PID namespace (its pids not the kernel's) */
int envcheck_pid_ns_nested(void);

#endif
