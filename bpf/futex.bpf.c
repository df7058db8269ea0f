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

/*
 * Only a wait's duration is a figure; a wake's is read only for the event
 * file. Each clock read costs ~60 ns here, and a ping-pong makes as many
 * wakes as waits, so wakes skip it in summary mode.
 */
static __always_inline int timed(__u32 op)
{
	return cfg_events || futex_is_wait(op);
}

static __always_inline int futex_enter(__u32 op, __u64 uaddr)
{
	struct task_stat *ts = current_task_of();

	if (!ts || tracing_over())
		return 0;
	ts->fx_ts = timed(op) ? bpf_ktime_get_ns() : 1;	/* non-zero: in a call */
	ts->fx_op = op;
	ts->fx_uaddr = uaddr;
	return 0;
}

static __always_inline void emit_futex(struct pcpu *pc, struct stage *st,
				      struct task_stat *ts, long ret, __u64 now)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct ev_futex *e = EV_RESERVE(struct ev_futex, EV_FUTEX, sizeof(struct ev_futex), pc, st, now, cur);

	if (!e)
		return;
	e->op = ts->fx_op;
	e->ret = ret;
	e->uaddr = ts->fx_uaddr;
	e->dur_ns = now - ts->fx_ts;
	EV_SUBMIT(e, st);
}

static __always_inline int futex_exit(long ret)
{
	struct task_stat *ts = current_task_of();
	struct stage *st;
	struct pcpu *pc;
	__u64 now = 0;

	if (!ts || !ts->fx_ts)
		return 0;	/* entered before tracing began */
	st = stage_hold();	/* before the clock read: see stage.bpf.h */
	if (tracing_over())
		goto out;
	pc = this_cpu();
	if (timed(ts->fx_op))
		now = bpf_ktime_get_ns();
	logic_futex(pc, ts, ts->fx_op, ret, now, now ? now - ts->fx_ts : 0);
	if (cfg_events)
		emit_futex(pc, st, ts, ret, now);
	ts->fx_ts = 0;
out:
	stage_release(st);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_futex")
int handle_enter_futex(struct trace_event_raw_sys_enter *ctx)
{
	futex_enter(ctx->args[1] & FUTEX_CMD_MASK, ctx->args[0]);
	return TP_KEEP;
}

SEC("tracepoint/syscalls/sys_exit_futex")
int handle_exit_futex(struct trace_event_raw_sys_exit *ctx)
{
	futex_exit(ctx->ret);
	return TP_KEEP;
}

SEC("tracepoint/syscalls/sys_enter_futex_waitv")
int handle_enter_futex_waitv(struct trace_event_raw_sys_enter *ctx)
{
	futex_enter(FX_OP_WAITV, 0);	/* several addresses */
	return TP_KEEP;
}

SEC("tracepoint/syscalls/sys_exit_futex_waitv")
int handle_exit_futex_waitv(struct trace_event_raw_sys_exit *ctx)
{
	futex_exit(ctx->ret);
	return TP_KEEP;
}

SEC("tracepoint/syscalls/sys_enter_futex_wait")
int handle_enter_futex_wait(struct trace_event_raw_sys_enter *ctx)
{
	futex_enter(FX_OP_WAIT2, ctx->args[0]);
	return TP_KEEP;
}

SEC("tracepoint/syscalls/sys_exit_futex_wait")
int handle_exit_futex_wait(struct trace_event_raw_sys_exit *ctx)
{
	futex_exit(ctx->ret);
	return TP_KEEP;
}

SEC("tracepoint/syscalls/sys_enter_futex_wake")
int handle_enter_futex_wake(struct trace_event_raw_sys_enter *ctx)
{
	futex_enter(FX_OP_WAKE2, ctx->args[0]);
	return TP_KEEP;
}

SEC("tracepoint/syscalls/sys_exit_futex_wake")
int handle_exit_futex_wake(struct trace_event_raw_sys_exit *ctx)
{
	futex_exit(ctx->ret);
	return TP_KEEP;
}

SEC("tracepoint/syscalls/sys_enter_futex_requeue")
int handle_enter_futex_requeue(struct trace_event_raw_sys_enter *ctx)
{
	futex_enter(FX_OP_REQUEUE2, 0);	/* an array of two */
	return TP_KEEP;
}

SEC("tracepoint/syscalls/sys_exit_futex_requeue")
int handle_exit_futex_requeue(struct trace_event_raw_sys_exit *ctx)
{
	futex_exit(ctx->ret);
	return TP_KEEP;
}
