/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --stacks: where the tree waited. At a tree task's blocking switch-out
 * (S or D), or its preemption (R, kept apart), its user and kernel stacks
 * go to the stacks map; as another
 * task wakes it, that task's stacks (stacks.bpf.c); at its next switch-in
 * the time off the CPU goes to offcpu under (task, stacks, state, waker,
 * waker's stacks). With cfg_stacks 0 (a constant at load) the verifier
 * drops the switch side and the waking program is not loaded: the default
 * run pays nothing.
 */
#ifndef TRACER_STACKS_BPF_H
#define TRACER_STACKS_BPF_H

#include "common.bpf.h"
#include <bpf/bpf_tracing.h>
#include "syscall.bpf.h"	/* PF_KTHREAD_ */

static __always_inline __u32 log2_ns(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) r += 1;
	return r < OFFCPU_SLOTS ? r : OFFCPU_SLOTS - 1;
}

/* The --stacks state of a task's slot */
static __always_inline struct task_stk *stk_of(struct task_stat *ts)
{
	__u32 slot = ts->slot;

	return bpf_map_lookup_elem(&task_stks, &slot);
}

/*
 * A process's first stack: user space reads its mappings now, while it
 * lives; and again, from a switch-out (now: else 0) at least STK_RENOTE_NS
 * after, for code it mapped since (a library it loaded). A note from a
 * preemption, an uninterruptible wait or a waking (wait 0) is provisional,
 * marked by the time's low bit: a process just made or exec'd may leave
 * its CPU in its dynamic loader (preempted, or waiting for the mmap lock
 * our own read of its mappings holds), its libraries not mapped yet (CI
 * saw libc unnamed so); its first sleep (S) notes it again.
 */
#define STK_RENOTE_NS	1000000000ull
static __always_inline void note_proc(__u32 tgid, __u64 now, int wait)
{
	/* a lookup first: a refused update takes the bucket's lock, at every switch */
	__u64 *said = bpf_map_lookup_elem(&stk_procs, &tgid);
	__u64 mark = wait ? now & ~1ull : now | 1;

	if (said) {
		if (!(wait && (*said & 1)) && (!now || now - *said < STK_RENOTE_NS))
			return;
		*said = mark;
	} else if (bpf_map_update_elem(&stk_procs, &tgid, &mark, BPF_NOEXIST)) {
		return;
	}
	bpf_ringbuf_output(&stk_new, &tgid, sizeof(tgid), 0);
}

/*
 * --unwind dwarf: the current task's user registers and the top of its
 * user stack, from sp up to USTK_COPY bytes or the first page that cannot
 * be read (the stack's end), to the ring. 0, or -1.
 */
static __always_inline int ustack_copy(__u32 kind, __u32 tgid, __u32 tid, __u32 seq,
				       __u32 wakee)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct ustk_sample *s;
	struct pt_regs *regs;
	__u32 zero = 0, off;

	s = bpf_map_lookup_elem(&ustk_buf, &zero);
	regs = (struct pt_regs *)bpf_task_pt_regs(cur);
	if (!s || !regs || (cur->flags & PF_KTHREAD_))
		return -1;
	/* the ring's last MiB kept for the waits (64 bytes): a lost sample loses frames, not time */
	if (bpf_ringbuf_query(&stk_new, BPF_RB_AVAIL_DATA) + sizeof(*s) + (1 << 20) >
	    bpf_ringbuf_query(&stk_new, BPF_RB_RING_SIZE))
		return -1;
	s->kind = kind;
	s->tgid = tgid;
	s->tid = tid;
	s->seq = seq;
	s->wakee = wakee;
	s->exec_id = cur->self_exec_id;
	s->pad = 0;
	s->ip = PT_REGS_IP(regs);
	s->sp = PT_REGS_SP(regs);
	s->bp = PT_REGS_FP(regs);
	off = 4096 - (s->sp & 4095);	/* to the page's end first */
	if (off > 4096 || bpf_probe_read_user(s->data, off, (void *)s->sp))
		return -1;
	for (int i = 0; i < USTK_COPY / 4096 - 1; i++) {
		barrier_var(off);	/* tested as it is: the compiler's OR lost the verifier its bound */
		if (off > USTK_COPY - 4096 ||
		    bpf_probe_read_user(s->data + off, 4096, (void *)(s->sp + off)))
			break;
		off += 4096;
	}
	s->len = off;
	if (off > USTK_COPY)
		return -1;
	return bpf_ringbuf_output(&stk_new, s, offsetof(struct ustk_sample, data) + off, 0) ?
	       -1 : 0;
}

/* The row in force at pc (a file's address) in m's file: NULL if none */
static __always_inline struct eh_row *eh_row_of(struct eh_map *m, __u64 pc)
{
	__u32 b, i, *first, k;
	struct eh_row *r;

	if (pc < m->lo || (pc - m->lo) >> EH_BUCKET_SHIFT >= m->nidx)
		return NULL;
	b = m->idx + ((pc - m->lo) >> EH_BUCKET_SHIFT);
	first = bpf_map_lookup_elem(&eh_idx, &b);
	if (!first)
		return NULL;
	/* on while the next row starts at or before pc: one way goes on */
	for (i = *first, k = 0; k < EH_SCAN && i + 1 < m->nrows; k++, i++) {
		__u32 next = m->row + i + 1;

		r = bpf_map_lookup_elem(&eh_rows, &next);
		if (!r || r->pc > pc)
			break;
	}
	i += m->row;
	return bpf_map_lookup_elem(&eh_rows, &i);
}

/*
 * The mapping of pc among a process's: NULL if none (a library loaded
 * later). A scan: one path goes on at each step, where a binary search's
 * two had the verifier walk every way through it.
 */
static __always_inline struct eh_map *eh_map_of(struct eh_proc *p, __u64 pc)
{
	for (int k = 0; k < EH_MAPS; k++) {
		if (k >= p->n)
			return NULL;
		if (pc >= p->m[k].start && pc < p->m[k].end)
			return &p->m[k];
	}
	return NULL;
}

/* A walk's state, from one frame to the next (bpf_loop's context) */
struct eh_walk {
	__u64 ip, sp, bp, h;
	__u32 n, tgid;
	__u32 miss;		/* a pc in no mapping with rows */
	__u32 pad;
};

/*
 * Frame i: note ip, then find the caller's registers; 1 ends the walk.
 * Global: the verifier checks it once for any w, where a bpf_loop callback
 * is walked again for each step until its states converge (they did not).
 */
__weak __noinline int eh_frame(struct eh_walk *w, __u32 i)
{
	__u32 zero = 0;
	__u64 pc, cfa, ra = 0;
	struct eh_stack *st = bpf_map_lookup_elem(&eh_buf, &zero);
	struct eh_proc *p;
	struct eh_map *m;
	struct eh_row *r;

	if (!w)
		return 1;
	p = bpf_map_lookup_elem(&eh_procs, &w->tgid);
	if (!st || !p || !w->ip || i >= EH_FRAMES)
		return 1;
	st->ips[i] = w->ip;
	w->n = i + 1;
	w->h = (w->h ^ w->ip) * 1099511628211ull;	/* FNV-1a, a frame a step */
	pc = i ? w->ip - 1 : w->ip;	/* a return address is past its call: the call's row */
	m = eh_map_of(p, pc);
	if (!m)
		w->miss = 1;
	r = m ? eh_row_of(m, pc - m->bias) : NULL;
	if (!r || r->cfa_reg == EH_CFA_NONE)
		return 1;	/* an entry, or code it has no rows for */
	cfa = (r->cfa_reg == EH_CFA_RSP ? w->sp : w->bp) + (__s64)r->cfa_off;
	if (bpf_probe_read_user(&ra, sizeof(ra), (void *)(cfa - 8)) ||
	    (r->bp_saved && bpf_probe_read_user(&w->bp, sizeof(w->bp),
						 (void *)(cfa + (__s64)r->bp_off))))
		return 1;
	w->ip = ra;
	w->sp = cfa;
	return 0;
}

static long eh_step(__u64 i, struct eh_walk *w)
{
	return eh_frame(w, i) ? 1 : 0;	/* bpf_loop wants 0 or 1, seen so */
}

/*
 * --unwind ehframe: the user stack of process tgid from its registers,
 * walked with its files' rows (eh_rows), into eh_stacks under a hash of its
 * frames: the id, or -1 (no rows for it yet, a hash taken by another
 * stack, the map full). A frame a bpf_loop step: the verifier checks one.
 * Global: checked once, not in each caller.
 */
__weak __noinline int eh_stackid(__u64 ip, __u64 sp, __u64 bp, __u32 tgid)
{
	struct eh_walk w = { .ip = ip, .sp = sp, .bp = bp, .h = 14695981039346656037ull,
			     .tgid = tgid };
	struct eh_stack *st, *old;
	struct eh_proc *p;
	__u32 zero = 0, id;

	st = bpf_map_lookup_elem(&eh_buf, &zero);
	if (!st || !bpf_map_lookup_elem(&eh_procs, &tgid))
		return -1;
	__builtin_memset(st, 0, sizeof(*st));
	bpf_loop(EH_FRAMES, eh_step, &w, 0);
	if (w.miss && (p = bpf_map_lookup_elem(&eh_procs, &tgid))) {
		__u64 now = bpf_ktime_get_ns();

		if (now - p->asked_ns > EH_ASK_NS) {
			struct eh_ask a = { .kind = USTK_EH_ASK, .tgid = tgid };

			p->asked_ns = now;
			bpf_ringbuf_output(&stk_new, &a, sizeof(a), 0);
		}
	}
	if (!w.n || w.miss)
		return -1;	/* a walk cut by code with no rows yet: not read */
	id = (__u32)(w.h ^ (w.h >> 32)) & 0x7fffffff;
	old = bpf_map_lookup_elem(&eh_stacks, &id);
	if (!old) {
		if (!bpf_map_update_elem(&eh_stacks, &id, st, BPF_NOEXIST))
			return id;
		/* full, or another CPU's stack just took the id: which? */
		old = bpf_map_lookup_elem(&eh_stacks, &id);
		if (!old)
			return -1;
	}
	for (int i = 0; i < EH_FRAMES; i++)
		if (old->ips[i] != st->ips[i])
			return -1;	/* another stack's hash */
	return id;
}

/* The current task's user stack, walked in the kernel: an id in eh_stacks, or -1 */
static __always_inline long eh_current(__u32 tgid)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(cur);

	if (!regs || (cur->flags & PF_KTHREAD_))
		return -1;
	return eh_stackid(PT_REGS_IP(regs), PT_REGS_SP(regs), PT_REGS_FP(regs), tgid);
}

/*
 * Preemptions noted over the run: a budget of their own, so that a long
 * CPU-bound run (a preemption at each tick, each at a new instruction: a
 * new stack) cannot take the stack maps and the table from the waits
 */
#define MAX_R_NOTES	4096
static __u64 r_notes;

/*
 * A blocking switch-out of ts (the current task: sched_switch fires before
 * the switch). nouser: it has no user memory (an exiting task past
 * exit_mm()): no user stack to read, and none failed.
 */
static __always_inline void stack_note(void *ctx, struct task_stat *ts, struct pcpu *pc,
				       __u32 state, __u64 now, int nouser)
{
	struct task_stk *k = stk_of(ts);
	long us = -1, ks;

	if (!k)
		return;
	if (state == OFF_R && __sync_fetch_and_add(&r_notes, 1) >= MAX_R_NOTES) {
		pcpu_add(pc, CNT_R_SKIPPED, 1);
		return;
	}
	if (nouser) {
		if (cfg_dwarf)
			++k->seq;	/* a wait with no sample */
	} else if (cfg_eh)
		us = eh_current(ts->tgid);
	else if (!cfg_dwarf)
		us = bpf_get_stackid(ctx, &ustacks, BPF_F_USER_STACK);
	else if ((ts->flags & (TASK_F_ROOT | TASK_F_EXECED)) == TASK_F_ROOT)
		++k->seq;	/* the command before its exec: tracer's code, gone when unwound */
	else if (!ustack_copy(USTK_SAMPLE, ts->tgid, ts->tid, ++k->seq, 0))
		us = 0;	/* in the sample */
	ks = bpf_get_stackid(ctx, &kstacks, 0);
	if ((us < 0 && !nouser) || ks < 0)
		pcpu_add(pc, state == OFF_R ? CNT_RSTACK_FAIL : CNT_STACK_FAIL, 1);
	note_proc(ts->tgid, now, state == OFF_S);
	k->user = us < 0 ? -1 : us;
	k->kern = ks < 0 ? -1 : ks;
	k->state = state;
	k->uaddr = pc->stk_uaddr;
	k->ts = now;
}

/*
 * ts woken by the current task (tid, tgid) in its own context, not an
 * interrupt's: the waker's stacks as it wakes it, for the wait's entry at
 * the next switch-in (which forgets them). The first waking counts. A
 * waking can come before the blocking switch-out is seen: the waker's
 * CPU wakes the task while __schedule on its own has taken it off the run
 * queue (on_rq 0) but not yet switched. Still on it, the wakee does not
 * block: not a wait's waker. No user stack (nouser): a kernel thread, a
 * task past exit_mm().
 */
/*
 * The waker's kernel stack, read the first time a (process, user stack,
 * system call, wakee) is seen and then taken from wk_kstacks: from one
 * user stack one call takes one kernel path to the waking. Read each time
 * without a user stack id (a kernel thread, --unwind dwarf's copies).
 */
static __always_inline long waker_kstack(void *ctx, __u32 tgid, long us, __s64 nr,
					 __u32 wakee)
{
	struct wk_key key = { .tgid = tgid, .ustack = us, .nr = nr, .wakee = wakee };
	__s64 *kept, ks;

	if (us < 0 || cfg_dwarf)
		return bpf_get_stackid(ctx, &kstacks, 0);
	kept = bpf_map_lookup_elem(&wk_kstacks, &key);
	if (kept)
		return *kept;
	ks = bpf_get_stackid(ctx, &kstacks, 0);
	if (ks >= 0)
		bpf_map_update_elem(&wk_kstacks, &key, &ks, BPF_ANY);
	return ks;
}

static __always_inline void stack_waker(void *ctx, struct task_stat *ts, struct pcpu *pc,
					__u32 tid, __u32 tgid, int nouser, int on_rq, __s64 nr)
{
	struct task_stk *k = stk_of(ts);
	long us = -1, ks;

	if (!k || k->wtid || !tid || (!k->ts && on_rq) || (k->ts && k->state == OFF_R))
		return;	/* a preempted task is runnable: no waker of a wait */
	if (!nouser && cfg_eh) {
		us = eh_current(tgid);
		note_proc(tgid, 0, 0);
	} else if (!nouser && !cfg_dwarf) {
		us = bpf_get_stackid(ctx, &ustacks, BPF_F_USER_STACK);
		note_proc(tgid, 0, 0);
	} else if (!nouser) {
		/* for the wait the switch-out began, or the one it is about to (seq + 1) */
		if (!ustack_copy(USTK_WAKER, tgid, tid, k->ts ? k->seq : k->seq + 1, ts->tid))
			us = 0;	/* in the sample */
	}
	ks = waker_kstack(ctx, tgid, us, nr, ts->tid);
	if ((us < 0 && !nouser) || ks < 0)
		pcpu_add(pc, CNT_WSTACK_FAIL, 1);
	k->wtid = tid;
	k->wtgid = tgid;
	k->wuser = us < 0 ? -1 : us;
	k->wkern = ks < 0 ? -1 : ks;
}

/* ts back on a CPU: its time off it, if it left to wait, goes to its stacks' entry */
static __always_inline void stack_account(struct task_stat *ts, struct pcpu *pc, __u64 now)
{
	struct task_stk *k = stk_of(ts);
	static const struct offcpu_val zero;
	struct offcpu_key key = {};
	struct offcpu_val *v;
	__u32 wtid;
	__u64 d;

	if (!k)
		return;
	wtid = k->wtid;
	k->wtid = 0;	/* a waker is the next wait's only from here on */
	if (!k->ts || now <= k->ts)
		return;
	key.tgid = ts->tgid;
	key.tid = ts->tid;
	key.user = k->user;
	key.kern = k->kern;
	key.state = k->state;
	key.uaddr = k->uaddr;
	key.wtid = wtid;
	if (wtid) {
		key.wtgid = k->wtgid;
		key.wuser = k->wuser;
		key.wkern = k->wkern;
	}
	d = now - k->ts;
	k->ts = 0;
	if (cfg_dwarf) {
		/* the wait of the sample k->seq (if its copy was sent: user 0) */
		struct ustk_wait w = { .kind = USTK_WAIT, .seq = k->seq, .key = key, .ns = d };

		if (bpf_ringbuf_output(&stk_new, &w, sizeof(w), 0))
			pcpu_add(pc, CNT_OFFCPU_LOST, 1);
		return;
	}
	v = lookup_or_init(&offcpu, &key, &zero, pc, CNT_OFFCPU_LOST);
	if (!v)
		return;
	/* only the task's own switch-in gets here: no two CPUs on one key */
	v->count++;
	v->total_ns += d;
	if (d > v->max_ns)
		v->max_ns = d;
	v->slots[log2_ns(d)]++;
}

/* A task is gone: its slot's state is the next task's, clean */
static __always_inline void stack_forget(struct task_stat *ts)
{
	struct task_stk *k = stk_of(ts);

	if (k) {
		k->ts = 0;
		k->wtid = 0;
	}
}

#endif /* TRACER_STACKS_BPF_H */
