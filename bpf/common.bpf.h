/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * logic.h on the BPF maps: its hooks, then logic.h itself. Every program
 * file includes this; never included by user/.
 */
#ifndef TRACER_COMMON_BPF_H
#define TRACER_COMMON_BPF_H

#include "maps.bpf.h"
#include "task.bpf.h"
#include "stage.bpf.h"
#include "histslot.h"

/*
 * What a classic tracepoint program returns: 0 would drop the event for
 * every perf user of that tracepoint on the machine (perf trace, perf
 * record -e syscalls:...), which a helper's perf witness ran into.
 */
#define TP_KEEP		1

/* The hooks of logic.h, on BPF maps; the context is this CPU's counters. */
#define LOGIC_CTX	struct pcpu *
#define LOGIC_FN	static __always_inline
/* global: checked once, not at each call site (logic_level's comment) */
#define LOGIC_RARE_FN	__weak __noinline

LOGIC_FN void logic_add(struct pcpu *pc, __u32 id, __u64 n)
{
	pcpu_add(pc, id, n);
}

LOGIC_FN void logic_hist(struct pcpu *pc, __u32 id, __u64 v)
{
	if (pc && id < NR_HISTS_KEPT)	/* pc: a global function's argument may be NULL */
		hist_add_to(&pc->hists[id], v);
}

#include "keys.bpf.h"	/* the hooks logic_wakeup and logic_futex_wait */

/*
 * Time at the current concurrency level, then move to the next one. A
 * global function: the verifier checks it once, not again at each of its
 * call sites in sched_switch (each inlined copy multiplied the paths it
 * walks); a call costs a few ns, only where the level changes, never on a
 * hand-off between two tree tasks. Weak: every object that includes this
 * file defines it, the linker keeps one. A global function returns a scalar.
 */
__weak __noinline int logic_level(struct pcpu *pc, int up, __u64 now)
{
	__u32 zero = 0, lvl;
	struct level_state *ls = bpf_map_lookup_elem(&levels, &zero);

	if (!ls || !t_start)
		return 0;
	bpf_spin_lock(&ls->lock);
	if (!ls->last_ts)
		ls->last_ts = t_start;
	lvl = ls->running < MAX_LEVEL ? ls->running : MAX_LEVEL - 1;
	if (t_end && now > t_end)
		now = t_end;
	if (now > ls->last_ts && lvl < MAX_LEVEL)
		ls->ns[lvl] += now - ls->last_ts;
	if (now > ls->last_ts)
		ls->last_ts = now;
	if (up)
		ls->running++;
	else if (ls->running)
		ls->running--;
	bpf_spin_unlock(&ls->lock);
	return 0;
}

#include "logic.h"

#endif /* TRACER_COMMON_BPF_H */
