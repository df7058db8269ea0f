/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_MACHINE_H
#define TRACER_MACHINE_H

#include <stddef.h>

/*
 * This machine in one line, for a reader elsewhere: "Linux 6.1.0 x86_64, 2
 * CPUs (AMD EPYC), virtual machine, 23.5 GiB RAM". Returns the CPUs tracer
 * may run on.
 */
int machine_describe(char *buf, size_t len);

#endif
