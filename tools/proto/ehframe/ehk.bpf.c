// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "ehk.h"
char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, MAX_ROWS);
	 __type(key, __u32); __type(value, struct row); } rows SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct skey); } scratch SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16384);
	 __type(key, struct skey); __type(value, __u64); } counts SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_STACK_TRACE); __uint(max_entries, 16384);
	 __uint(key_size, 4); __uint(value_size, 127 * 8); } fpstacks SEC(".maps");

__u32 target_tgid, nrows, mode;	/* mode 0: eh_frame walk; 1: fp (bpf_get_stackid user) */
__u64 samples, frames, stops_norow, stops_read, stops_max, depth_hist[MAX_FRAMES + 1];

/* the row of pc: the last with row.pc <= pc; NULL if none */
static __always_inline struct row *find(__u64 pc)
{
	__u32 lo = 0, hi = nrows, mid;
	struct row *r;

	for (int i = 0; i < 22 && lo < hi; i++) {
		mid = lo + (hi - lo) / 2;
		r = bpf_map_lookup_elem(&rows, &mid);
		if (!r)
			return NULL;
		if (r->pc <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	lo--;
	return bpf_map_lookup_elem(&rows, &lo);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sw, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u64 ip, sp, bp, cfa, ra, one = 1, *c;
	struct pt_regs *regs;
	struct row *r;
	struct skey *k;
	__u32 z = 0, n = 0;

	if (prev->tgid != target_tgid || preempt || !prev_state)
		return 0;
	samples++;
	if (mode == 1) {
		long id = bpf_get_stackid(ctx, &fpstacks, BPF_F_USER_STACK);
		if (id >= 0)
			frames++;
		return 0;
	}
	k = bpf_map_lookup_elem(&scratch, &z);
	regs = (struct pt_regs *)bpf_task_pt_regs(prev);
	if (!k || !regs)
		return 0;
	ip = regs->ip;
	sp = regs->sp;
	bp = regs->bp;
	__builtin_memset(k, 0, sizeof(*k));
	for (int i = 0; i < MAX_FRAMES; i++) {
		k->f[i & (MAX_FRAMES - 1)] = ip;
		n = i + 1;
		/* a return address points past its call: look up the call */
		r = find(i ? ip - 1 : ip);
		if (!r || r->cfa_reg == CFA_NONE) {
			stops_norow++;
			break;
		}
		cfa = (r->cfa_reg == CFA_RSP ? sp : bp) + (__s64)r->cfa_off;
		if (bpf_probe_read_user(&ra, sizeof(ra), (void *)(cfa - 8))) {
			stops_read++;
			break;
		}
		if (r->bp_saved &&
		    bpf_probe_read_user(&bp, sizeof(bp), (void *)(cfa + (__s64)r->bp_off))) {
			stops_read++;
			break;
		}
		if (!ra)
			break;
		ip = ra;
		sp = cfa;
		if (i == MAX_FRAMES - 1)
			stops_max++;
	}
	frames += n;
	if (n <= MAX_FRAMES)
		depth_hist[n]++;
	c = bpf_map_lookup_elem(&counts, k);
	if (c)
		__sync_fetch_and_add(c, 1);
	else
		bpf_map_update_elem(&counts, k, &one, BPF_NOEXIST);
	return 0;
}
