/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Event records (--events) are staged per CPU and reach the ring buffer a
 * stage (STAGE_BYTES) at a time: a ring reservation costs ~100 ns here (its
 * lock and bookkeeping), a record written to this CPU's stage ~30 ns.
 *
 * The reader (user/live/collector.c) has every CPU flush its stage every few ms
 * (flush_stage, run on that CPU by BPF_PROG_TEST_RUN) and then lets out, in
 * time order, the records older than the moment it asked: so none may still
 * be on its way. A program that runs with interrupts on holds its CPU's
 * stage from before its clock read to the end of its record; a flush that
 * finds the stage held fails and is retried. A program that interrupts the
 * holder (a wakeup from an interrupt handler) writes to the ring directly.
 * The flag needs no atomics: only this CPU's programs touch its stage.
 */
#ifndef TRACER_STAGE_BPF_H
#define TRACER_STAGE_BPF_H

#include "maps.bpf.h"
#include "task.bpf.h"

struct stage {
	__u32 len;			/* bytes of records staged */
	__u32 busy;			/* held by a program of this CPU */
	__u32 n[NR_EV_KINDS];		/* records staged, per kind */
	__u32 epoch;			/* seen[]'s: a new one forgets them all */
	__u32 comm_gen;			/* comm_gen as of the epoch */
	__u64 seen[EV_STAGE_SEEN];	/* tasks said since the epoch: stage_key() */
	__u8 data[STAGE_BYTES] __attribute__((aligned(8)));	/* records are 8-byte multiples */
};

SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stage);
} stage SEC(".maps");

/* Moves on at any rename or fork (stage_part_task()): a stage seeing it move forgets */
SHARED __u32 comm_gen;

#define stage_barrier()	asm volatile("" ::: "memory")

/* This CPU's stage, now held; NULL if not streaming or already held. */
static __always_inline struct stage *stage_hold(void)
{
	struct stage *st;
	__u32 zero = 0;

	if (!cfg_events)
		return NULL;
	st = bpf_map_lookup_elem(&stage, &zero);
	if (!st || st->busy)
		return NULL;
	st->busy = 1;
	stage_barrier();
	return st;
}

static __always_inline void stage_release(struct stage *st)
{
	if (!st)
		return;
	stage_barrier();
	st->busy = 0;
}

/*
 * A task said in this epoch of the stage, with this prio: one compare. The
 * comm compared too (two loads off a line the switch does not otherwise
 * touch) cost 313 ns of BPF a futex round trip with --events, against 301
 * for the key alone: a comm changes only where comm_gen moves. An epoch
 * is 24 bits: seen[] is cleared as they wrap.
 */
static __always_inline __u64 stage_key(struct stage *st, __u32 tid, __s32 prio)
{
	return (__u64)(st->epoch & 0xffffff) << 40 | (__u64)(prio & 0xff) << 32 | tid;
}

static __always_inline void stage_forget(struct stage *st)
{
	if (!(++st->epoch & 0xffffff))
		__builtin_memset(st->seen, 0, sizeof(st->seen));
}

/*
 * Hand the staged records to the ring as one record; counted per kind,
 * atomically: a flush may run with interrupts on, and a program that
 * interrupts it counts its own record in the same counters.
 */
static __always_inline void stage_flush(struct stage *st, struct pcpu *pc)
{
	__u32 len = st->len;
	long err = 0;

	if (len && len <= STAGE_BYTES)
		err = bpf_ringbuf_output(&events, st->data, len, BPF_RB_NO_WAKEUP);
	for (__u32 k = 0; k < NR_EV_KINDS; k++) {
		if (!st->n[k])
			continue;
		if (pc)
			__sync_fetch_and_add(&pc->cnt[(err ? CNT_EV_LOST : CNT_EV_SENT) + k],
					     st->n[k]);
		st->n[k] = 0;
	}
	st->len = 0;
	stage_forget(st);	/* the next chunk says each task's prio and comm anew */
}

/*
 * Task t's prio and comm at p (an ev_part_task), keyed by tid, the one its
 * record says (task_tid()), unless the stage said them
 * since its epoch began (in this chunk, for the same prio): the size
 * written, 0 or the part's. A record alone in the ring (st NULL) says them
 * always. A rename (exec, prctl, /proc/PID/comm) moves comm_gen on,
 * and so does a fork (a new task may have the tid of one said): the stage
 * then forgets (stage_fresh()). The task_rename tracepoint comes
 * before the new name is in place: a record written in between says the
 * old one, and the stage keeps it for the rest of the epoch (its chunk: a
 * few ms at most); an exec moves it on again once the name is in place.
 */
static __always_inline __u32 stage_part_task(struct stage *st, void *p,
					     struct task_struct *t, __u32 tid)
{
	struct ev_part_task *pt = p;
	__s32 prio = t->prio;
	__u64 key, *s;

	if (st) {
		key = stage_key(st, tid, prio);
		s = &st->seen[tid & (EV_STAGE_SEEN - 1)];
		if (*s == key)
			return 0;
		*s = key;
	}
	pt->prio = prio;
	pt->pad = 0;
	copy_comm(pt->comm, t);
	return sizeof(*pt);
}

/* Before a record's task parts: a rename or fork since the epoch began forgets all. */
static __always_inline void stage_fresh(struct stage *st)
{
	__u32 n = comm_gen;

	if (st && st->comm_gen != n) {
		st->comm_gen = n;
		stage_forget(st);
	}
}

/*
 * Room for a record of size bytes: in the held stage st, or, with st NULL,
 * in the ring itself. NULL when not streaming, or the ring is full.
 */
static __always_inline void *ev_reserve(struct pcpu *pc, struct stage *st,
					__u32 kind, __u32 size)
{
	void *e;
	__u32 len;

	if (!cfg_events)
		return NULL;
	if (!st) {
		e = bpf_ringbuf_reserve(&events, size, 0);
		pcpu_add(pc, (e ? CNT_EV_SENT : CNT_EV_LOST) + kind, 1);
		return e;
	}
	if (st->len > STAGE_BYTES - size)
		stage_flush(st, pc);
	len = st->len;
	if (len > STAGE_BYTES - size)	/* for the verifier */
		return NULL;
	return st->data + len;
}

static __always_inline void ev_submit(void *e, struct stage *st, __u32 kind,
				      __u32 size)
{
	if (!st) {
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
		return;
	}
	st->len += size;
	if (kind < NR_EV_KINDS)
		st->n[kind]++;
}

/*
 * A record with its header filled (but for a wire record's kind: its
 * flags are known once it is written), or NULL; st as for ev_reserve().
 * max: the most it may take, reserved (a ring record has to have a
 * constant size, and the verifier bounds the writes by it).
 */
#define EV_RESERVE(type, kind_, max_, pc_, st_, now_, task_)		\
	({								\
		type *__e = ev_reserve(pc_, st_, kind_, max_);		\
		if (__e) {						\
			__e->hdr.ts = (now_);				\
			__e->hdr.kind = (kind_);			\
			__e->hdr.cpu = bpf_get_smp_processor_id();	\
			__e->hdr.pid = (task_)->tgid;			\
			__e->hdr.tid = (task_)->pid;			\
		}							\
		__e;							\
	})

#define EV_SUBMIT(e, st_)	ev_submit((e), (st_), (e)->hdr.kind, sizeof(*(e)))

/* A process event (fork, exec, exit, wakeup_new, migrate) of task p. */
static __always_inline void emit_task(struct pcpu *pc, __u32 kind,
				      struct task_struct *p,
				      struct task_struct *parent, __u64 clone_ts,
				      int exit_code, int dest_cpu, __u32 tid_before)
{
	struct stage *st = stage_hold();
	struct ev_task *e;

	/* held before the clock read: see stage.bpf.h */
	if (tracing_over())
		goto out;
	e = EV_RESERVE(struct ev_task, kind, sizeof(struct ev_task), pc, st, bpf_ktime_get_ns(), p);
	if (!e)
		goto out;
	e->parent_pid = parent ? parent->tgid : 0;
	e->parent_tid = parent ? parent->pid : tid_before;	/* exec: see proc.bpf.c */
	e->clone_ts = clone_ts;
	e->exit_code = exit_code;
	e->orig_cpu = p->thread_info.cpu;
	e->dest_cpu = dest_cpu;
	e->prio = p->prio;
	copy_comm(e->comm, p);
	EV_SUBMIT(e, st);
out:
	stage_release(st);
}

#endif /* TRACER_STAGE_BPF_H */
