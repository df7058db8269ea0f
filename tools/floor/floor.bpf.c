// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The floor under any tracer of the same events (make bench): programs on
 * tracer's hooks that do nothing, or only read the clock that every
 * latency figure needs. What they add to a workload, no tracer on these
 * hooks can avoid on this machine.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u64 sink;	/* keeps the clock reads */

SEC("tp_btf/sched_switch")
int BPF_PROG(switch_empty) { return 0; }

SEC("tp_btf/sched_switch")
int BPF_PROG(switch_clock) { sink = bpf_ktime_get_ns(); return 0; }

SEC("tp_btf/sched_waking")
int BPF_PROG(waking_clock) { sink = bpf_ktime_get_ns(); return 0; }

SEC("tracepoint/syscalls/sys_enter_futex")
int futex_enter_empty(void *ctx) { return 0; }

SEC("tracepoint/syscalls/sys_exit_futex")
int futex_exit_empty(void *ctx) { return 0; }

/* the alternative for futex: every syscall of the machine runs a program */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_empty) { return 0; }

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_empty) { return 0; }

char LICENSE[] SEC("license") = "Dual BSD/GPL";
