/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The maps and globals of the bpf/ programs, and what every program reads
 * first (this CPU's counters, whether the run is over). maps.bpf.c defines
 * them (TRACER_DEFINE_MAPS); every other object declares them extern, and
 * the linker joins them (bpftool gen object).
 */
#ifndef TRACER_MAPS_BPF_H
#define TRACER_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "events.h"

#ifdef TRACER_DEFINE_MAPS
#define SHARED
#else
#define SHARED extern
#endif

SHARED __u32 launcher_tgid;	/* tracer's own, as the kernel numbers it (whoami) */
SHARED __u32 self_ns_level;	/* tracer's PID namespace: its level, 0 the host's (whoami) */
SHARED __u64 self_ns;		/* ... and its struct pid_namespace (a number, compared) */
SHARED const volatile __u32 cfg_events;	/* stream events (--events) */
SHARED const volatile __u32 cfg_max_tasks;	/* alive at once (--max-tasks; set at load) */
SHARED const volatile __u32 cfg_max_pairs;	/* alive at once, in slots (--max-pairs) */
SHARED const volatile __u32 cfg_stacks;	/* --stacks: off-CPU stacks */
SHARED const volatile __u32 cfg_dwarf;	/* --unwind dwarf: user stacks copied */
SHARED const volatile __u32 cfg_eh;	/* --unwind ehframe: walked in the kernel */
/*
 * The kernel's entry stubs of exceptions (a page fault: asm_exc_*), each
 * [lo, hi), from /proc/kallsyms at load; none where it shows no addresses
 */
#define EXC_RANGES	4
SHARED const volatile __u64 cfg_exc[EXC_RANGES][2];
SHARED __u64 t_start;	/* set by user space just before the launch */
SHARED __u64 t_end;	/* set when the tree is gone: every probe stops there */
/*
 * The window's end, set as soon as the command exits: the CPU shares stop
 * there, though the probes run on to t_end (its final switch, leftovers).
 */
SHARED __u64 t_stop;
SHARED __u32 root_exited;	/* the launched task made its final switch */
SHARED __u32 tree_signals[NSIG_MAX + 1];	/* sent tracer by a tree task, by number */

/*
 * A traced task's figures: a slot of task_slots, found from its tid through
 * tid_slot (sized to pid_max at load). Two array lookups the verifier
 * inlines: finding both tasks of a switch cost 12 ns over reading the
 * clock this way, 45 ns with task-local storage (a helper call each;
 * medians of 5 runs of a sketch); a hash by tid cost ~45 ns a lookup. The
 * slot holds the address of the task's task_struct, so a later task of the
 * same tid is never taken for it. Slots come from free_slots (those of
 * tasks gone), else a new one; -p takes them from user space alike.
 */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);		/* pid_max, set by user space */
	__type(key, __u32);
	__type(value, __u32);		/* slot in task_slots; 0: not traced */
} tid_slot SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_TASKS + 1);	/* slot 0 is no task; cfg_max_tasks + 1 */
	__type(key, __u32);
	__type(value, struct task_stat);
} task_slots SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, MAX_TASKS);
	__type(value, __u32);
} free_slots SEC(".maps");

SHARED __u32 slots_used;	/* slots ever handed out: 1..slots_used */
SHARED __u32 tasks_gone;	/* final switches so far (keys.bpf.h) */

SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_TASKS + 1);	/* as task_slots */
	__type(key, __u32);
	__type(value, struct task_keys);
} task_keys SEC(".maps");

/* The figures of the tasks alive at the end of the run (snapshot_tasks). */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_TASKS);
	__type(key, struct task_key);
	__type(value, struct task_stat);
} tasks SEC(".maps");

/*
 * A task's final figures, at its final switch: user space reads them as the
 * run goes on and folds them into its totals, so that a run may create any
 * number of tasks. Only the tasks alive at once are bounded (cfg_max_tasks).
 */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);	/* ~15,800 tasks' figures: a burst of 10,000 exits while the reader waits for a CPU; each MiB is a MiB of tracer's RSS (mapped whole) */
} done SEC(".maps");

/* The figures of pairs and futex keys of tasks gone (bpf/keys.bpf.h): ~1.3 KiB a pair */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 2 << 20);	/* ~1,570 pairs or ~37,000 futex keys (a task has at most MAX_FUTEX_KEYS) while the reader waits for a CPU; RSS as done's */
} gone SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pcpu);
} pcpu SEC(".maps");

/* Once the run is over the maps must hold still while user space reads them. */
static __always_inline int tracing_over(void)
{
	return t_end != 0;
}

SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct level_state);
} levels SEC(".maps");

/*
 * Waker -> wakee pairs: the hash gives a pair its slot in an array of
 * histograms once; the wakee keeps its last waker's slot, so a repeated
 * pair (every hand-off of a ping-pong) costs an array lookup, not a hash one.
 * The hash is preallocated: allocating in sched_switch draws on a per-CPU
 * cache that a burst of new pairs (10,000 threads started at once) can empty.
 * A slot goes back (pair_free) when its wakee is gone, or under pressure its
 * waker (keys.bpf.h). All sized cfg_max_pairs at load.
 */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_PAIRS);
	__type(key, struct pair_key);
	__type(value, __u32);		/* 1 + index in pair_hists */
} pair_slots SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_PAIRS);
	__type(key, __u32);
	__type(value, struct hist);
} pair_hists SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_PAIRS);
	__type(key, __u32);
	__type(value, struct pair_link);
} pair_links SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, MAX_PAIRS);
	__type(value, __u32);
} pair_free SEC(".maps");

SHARED __u32 pairs_used;

/*
 * A walk of a task's pairs or futex keys (bpf/keys.bpf.h), in a map: on
 * bpf_loop's stack its values, exact to the verifier, made each round a
 * state of its own (8,193 jumps: refused). Per CPU; only sched_switch
 * walks, and it does not nest.
 */
struct keys_walk {
	__u32 task;		/* the task's slot */
	__u32 all;		/* every pair, else those whose waker is gone */
	__u32 prev, cur;	/* 1-based slots */
	__u32 freed;
};

SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct keys_walk);
} keys_walks SEC(".maps");

/*
 * Pairs beyond the slots' room (none given back): a hash of histograms,
 * allocated as used, kept to the end.
 */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_PAIRS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct pair_key);
	__type(value, struct hist);
} pairs_more SEC(".maps");

/*
 * Futex words and their waiters, as the pairs: a (word, waiter) gets its
 * slot in an array once; the waiter keeps its last word's slot, so a wait
 * on the same word again (a lock, a ping-pong) costs an array lookup at the
 * switch-in, not a hash one (~32 ns).
 */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_FUTEX_KEYS);
	__type(key, struct fx_key);
	__type(value, __u32);		/* 1 + index in futex_vals */
} futex_slots SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_FUTEX_KEYS);
	__type(key, __u32);
	__type(value, struct fx_val);
} futex_vals SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_FUTEX_KEYS);
	__type(key, __u32);
	__type(value, struct fx_link);
} futex_links SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, MAX_FUTEX_KEYS);
	__type(value, __u32);
} futex_free SEC(".maps");

SHARED __u32 futex_used;

SHARED struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);	/* resized from user space */
} events SEC(".maps");

/* --stacks (1 entry each without it: set from user space) */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_TASKS + 1);	/* as task_slots */
	__type(key, __u32);
	__type(value, struct task_stk);
} task_stks SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, MAX_STACKS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, USTACK_DEPTH * sizeof(__u64));
} ustacks SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, MAX_STACKS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, KSTACK_DEPTH * sizeof(__u64));
} kstacks SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_OFFCPU);
	__type(key, struct offcpu_key);
	__type(value, struct offcpu_val);
} offcpu SEC(".maps");

/*
 * --stacks: the waker's kernel stack, read once per key and kept (a read
 * costs ~2 us here: most of what a waking costs with --stacks)
 */
struct wk_key {
	__u32 tgid;		/* the waker's process */
	__s32 ustack;		/* its user stack's id */
	__s64 nr;		/* the system call it is in (orig_ax) */
	__u32 wakee;		/* the task it wakes */
	__u32 pad;
};

SHARED struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, MAX_OFFCPU);
	__type(key, struct wk_key);
	__type(value, __s64);	/* the kernel stack's id */
} wk_kstacks SEC(".maps");

/*
 * --stacks: processes seen blocking (when they were last said), and a ring
 * that says each new one at once
 */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_OFFCPU);
	__type(key, __u32);
	__type(value, __u64);
} stk_procs SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 << 10);	/* --unwind dwarf: set larger at load */
} stk_new SEC(".maps");

/*
 * --unwind dwarf: a sample is built here (too big for a program's stack).
 * Sizes, not BTF types: without it the value shrinks to 8 bytes at load.
 */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct ustk_sample));
} ustk_buf SEC(".maps");

/* --unwind ehframe (made only then): the rows, each process's mappings, the stacks (sizes, as ustk_buf) */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_EH_ROWS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct eh_row));
} eh_rows SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_EH_IDX);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} eh_idx SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_EH_PROCS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct eh_proc));
} eh_procs SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_STACKS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct eh_stack));
} eh_stacks SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct eh_stack));
} eh_buf SEC(".maps");

static __always_inline struct pcpu *this_cpu(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&pcpu, &zero);
}

/* n more of counter id of this CPU */
static __always_inline void pcpu_add(struct pcpu *pc, __u32 id, __u64 n)
{
	if (pc && id < NR_CNT)
		pc->cnt[id] += n;
}

/* The value of key in a hash map, created zeroed if missing; NULL if full. */
static __always_inline void *lookup_or_init(void *map, const void *key,
					    const void *zero, struct pcpu *pc,
					    __u32 lost_id)
{
	void *v = bpf_map_lookup_elem(map, key);

	if (v)
		return v;
	if (bpf_map_update_elem(map, key, zero, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(map, key)) {
		pcpu_add(pc, lost_id, 1);
		return NULL;
	}
	return bpf_map_lookup_elem(map, key);
}

#endif /* TRACER_MAPS_BPF_H */
