// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Futex probes: every wait and wake of the tree, whatever the op.
 *
 * glibc's condition variables and semaphores wait with FUTEX_WAIT_BITSET,
 * mutexes with FUTEX_WAIT, PI mutexes with FUTEX_LOCK_PI; newer code uses
 * futex_waitv and the futex2 calls. A wait that returns EAGAIN found the
 * value already changed and never slept: counted apart from real waits.
 *
 * Classic syscalls:sys_{enter,exit}_* tracepoints: each adds a few ns to
 * the calls it watches only, where a raw_tp on sys_enter would add ~30 ns to
 * every system call of the machine.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "common.bpf.h"

#define FUTEX_CMD_MASK	0x7f	/* less FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME */

enum {
	FUTEX_WAIT, FUTEX_WAKE, FUTEX_FD, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE,
	FUTEX_WAKE_OP, FUTEX_LOCK_PI, FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI,
	FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET, FUTEX_WAIT_REQUEUE_PI,
	FUTEX_CMP_REQUEUE_PI, FUTEX_LOCK_PI2,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_FUTEX_KEYS);
	__type(key, struct fx_key);
	__type(value, struct fx_val);
} futex_waits SEC(".maps");

static __always_inline int is_wait(__u32 op)
{
	return op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET ||
	       op == FUTEX_LOCK_PI || op == FUTEX_LOCK_PI2 ||
	       op == FUTEX_WAIT_REQUEUE_PI || op == FX_OP_WAITV ||
	       op == FX_OP_WAIT2;
}

static __always_inline int is_wake(__u32 op)
{
	return op == FUTEX_WAKE || op == FUTEX_WAKE_BITSET ||
	       op == FUTEX_WAKE_OP || op == FUTEX_REQUEUE ||
	       op == FUTEX_CMP_REQUEUE || op == FUTEX_CMP_REQUEUE_PI ||
	       op == FUTEX_UNLOCK_PI || op == FX_OP_WAKE2 ||
	       op == FX_OP_REQUEUE2;
}

static __always_inline int futex_enter(__u32 op, __u64 uaddr)
{
	struct task_stat *ts = current_task_of();

	if (!ts || tracing_over())
		return 0;
	ts->fx_ts = bpf_ktime_get_ns();
	ts->fx_op = op;
	ts->fx_uaddr = uaddr;
	return 0;
}

static __always_inline void waited(struct task_stat *ts, __u32 tid, __u64 dur,
				   struct pcpu *pc)
{
	struct fx_key key = { .uaddr = ts->fx_uaddr, .tgid = ts->tgid, .tid = tid };
	static const struct fx_val zero;
	struct fx_val *v;

	count(pc, CNT_FUTEX_WAITS);
	hist_add(HIST_FUTEX_WAIT, dur);
	v = bpf_map_lookup_elem(&futex_waits, &key);
	if (!v) {
		if (bpf_map_update_elem(&futex_waits, &key, &zero, BPF_NOEXIST) &&
		    !bpf_map_lookup_elem(&futex_waits, &key)) {
			count(pc, CNT_LOST_FUTEX);
			return;
		}
		v = bpf_map_lookup_elem(&futex_waits, &key);
		if (!v)
			return;
	}
	v->waits++;
	v->wait_ns += dur;
	if (dur > v->max_ns)
		v->max_ns = dur;
}

static __always_inline int futex_exit(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct task_stat *ts = current_task_of();
	struct pcpu *pc;
	__u32 op;

	if (!ts || !ts->fx_ts || tracing_over())
		return 0;	/* entered before tracing began, or after the end */
	pc = this_cpu();
	op = ts->fx_op;
	count(pc, CNT_FUTEX_CALLS);
	if (op < NR_CNT - CNT_FUTEX_OP)
		count(pc, CNT_FUTEX_OP + op);
	if (is_wait(op)) {
		if (ret == -EAGAIN) {
			count(pc, CNT_FUTEX_EAGAIN);
		} else {
			if (ret == -ETIMEDOUT)
				count(pc, CNT_FUTEX_TIMEOUTS);
			waited(ts, tid, bpf_ktime_get_ns() - ts->fx_ts, pc);
		}
	} else if (is_wake(op) && ret >= 0) {
		count(pc, CNT_FUTEX_WAKES);
		if (pc)
			pc->cnt[CNT_FUTEX_WOKEN] += ret;
	} else {
		count(pc, CNT_FUTEX_OTHER);
	}
	ts->fx_ts = 0;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_futex")
int handle_enter_futex(struct trace_event_raw_sys_enter *ctx)
{
	return futex_enter(ctx->args[1] & FUTEX_CMD_MASK, ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_exit_futex")
int handle_exit_futex(struct trace_event_raw_sys_exit *ctx)
{
	return futex_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_futex_waitv")
int handle_enter_futex_waitv(struct trace_event_raw_sys_enter *ctx)
{
	return futex_enter(FX_OP_WAITV, 0);	/* several addresses */
}

SEC("tracepoint/syscalls/sys_exit_futex_waitv")
int handle_exit_futex_waitv(struct trace_event_raw_sys_exit *ctx)
{
	return futex_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_futex_wait")
int handle_enter_futex_wait(struct trace_event_raw_sys_enter *ctx)
{
	return futex_enter(FX_OP_WAIT2, ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_exit_futex_wait")
int handle_exit_futex_wait(struct trace_event_raw_sys_exit *ctx)
{
	return futex_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_futex_wake")
int handle_enter_futex_wake(struct trace_event_raw_sys_enter *ctx)
{
	return futex_enter(FX_OP_WAKE2, ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_exit_futex_wake")
int handle_exit_futex_wake(struct trace_event_raw_sys_exit *ctx)
{
	return futex_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_futex_requeue")
int handle_enter_futex_requeue(struct trace_event_raw_sys_enter *ctx)
{
	return futex_enter(FX_OP_REQUEUE2, 0);	/* an array of two */
}

SEC("tracepoint/syscalls/sys_exit_futex_requeue")
int handle_exit_futex_requeue(struct trace_event_raw_sys_exit *ctx)
{
	return futex_exit(ctx->ret);
}
