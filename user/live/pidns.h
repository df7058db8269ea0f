/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_PIDNS_H
#define TRACER_PIDNS_H

#include <stdint.h>

/*
 * In a nested PID namespace: the link of the iterator that lists each
 * task's tid as the kernel and as this namespace number it (proc.bpf.c's
 * ns_pids). -1, or never set: not nested, both are the same.
 */
void pidns_set(int iter_link_fd);

/* kernel's tid -> this namespace's (for /proc); 0 if it has none here */
uint32_t pidns_local(uint32_t kernel);

/* this namespace's tid -> the kernel's (for the BPF maps); 0 if none */
uint32_t pidns_kernel(uint32_t local);

#endif
