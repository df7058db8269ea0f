// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The event records (bpf/events.h) as user space sees them: decoded from the wire. */
#include <string.h>
#include "core/event.h"

const char *const ev_kind_names[NR_EV_KINDS] = {
	[EV_SWITCH] = "switch", [EV_WAKING] = "waking",
	[EV_WAKEUP_NEW] = "wakeup_new", [EV_MIGRATE] = "migrate",
	[EV_FORK] = "fork", [EV_EXEC] = "exec", [EV_EXIT] = "exit",
	[EV_FUTEX] = "futex",
};

/* The flags a kind may carry on the wire */
static __u32 kind_flags(__u32 kind)
{
	switch (kind) {
	case EV_SWITCH: return EV_HAS_PREV | EV_HAS_NEXT | EV_HAS_FX | EV_HAS_RUN;
	case EV_WAKING: return EV_HAS_NEXT | EV_HAS_FX;
	default: return 0;
	}
}

size_t ev_wire_size(const void *p, size_t len)
{
	const struct ev_hdr *h = p;
	__u32 kind, fl;
	size_t sz;

	if (len < sizeof(*h))
		return 0;
	kind = h->kind & EV_KIND_MASK;
	fl = h->kind & ~EV_KIND_MASK;
	if (!kind || kind >= NR_EV_KINDS || (fl & ~kind_flags(kind)))
		return 0;
	switch (kind) {
	case EV_SWITCH: sz = sizeof(struct ev_switch_wire); break;
	case EV_WAKING: sz = sizeof(struct ev_waking_wire); break;
	case EV_FUTEX: sz = sizeof(struct ev_futex); break;
	default: sz = sizeof(struct ev_task); break;
	}
	sz += (!!(fl & EV_HAS_PREV) + !!(fl & EV_HAS_NEXT)) * sizeof(struct ev_part_task);
	sz += fl & EV_HAS_FX ? sizeof(struct ev_part_fx) : 0;
	sz += fl & EV_HAS_RUN ? sizeof(__u64) : 0;
	return sz <= len ? sz : 0;
}

void ev_chunk_begin(struct ev_chunk *c)
{
	memset(c->seen, 0, sizeof(c->seen));
}

/*
 * Task tid's prio and comm: the part at *p if flag says one is there (and
 * the chunk remembers it, as the stage did), else the one it said last.
 */
static int task_part(struct ev_chunk *c, __u32 fl, __u32 flag, const char **p,
		     __u32 tid, __s32 *prio, char *comm)
{
	__typeof__(c->seen[0]) *s = &c->seen[tid & (EV_STAGE_SEEN - 1)];

	if (fl & flag) {
		memcpy(&s->part, *p, sizeof(s->part));
		s->tid = tid;
		s->set = 1;
		*p += sizeof(s->part);
	} else if (!s->set || s->tid != tid) {
		return -1;
	}
	*prio = s->part.prio;
	memcpy(comm, s->part.comm, COMM_LEN);
	return 0;
}

static void fx_part(__u32 fl, const char **p, __u32 *op, __u64 *uaddr)
{
	struct ev_part_fx fx = { 0 };

	if (fl & EV_HAS_FX) {
		memcpy(&fx, *p, sizeof(fx));
		*p += sizeof(fx);
	}
	*op = fx.fx_op;
	*uaddr = fx.fx_uaddr;
}

size_t ev_decode(struct ev_chunk *c, const void *p, size_t len, union ev_any *e)
{
	size_t sz = ev_wire_size(p, len);
	const struct ev_switch_wire *sw = p;
	const struct ev_waking_wire *wk = p;
	const char *q;
	__u32 fl;

	if (!sz)
		return 0;
	memset(e, 0, sizeof(*e));
	memcpy(&e->hdr, p, sizeof(e->hdr));
	fl = e->hdr.kind & ~EV_KIND_MASK;
	e->hdr.kind &= EV_KIND_MASK;
	switch (e->hdr.kind) {
	case EV_SWITCH:
		e->sw.next_pid = sw->next_pid;
		e->sw.next_tid = sw->next_tid;
		e->sw.prev_state = sw->prev_state;
		e->sw.preempt = sw->preempt;
		e->sw.prev_tree = sw->prev_tree;
		e->sw.next_tree = sw->next_tree;
		e->sw.fx_block = sw->fx_block;
		e->sw.knl_nvcsw = sw->knl_nvcsw;
		e->sw.knl_nivcsw = sw->knl_nivcsw;
		q = (const char *)(sw + 1);
		if (task_part(c, fl, EV_HAS_PREV, &q, e->hdr.tid, &e->sw.prev_prio,
			      e->sw.prev_comm) ||
		    task_part(c, fl, EV_HAS_NEXT, &q, sw->next_tid, &e->sw.next_prio,
			      e->sw.next_comm))
			return 0;
		fx_part(fl, &q, &e->sw.fx_op, &e->sw.fx_uaddr);
		if (fl & EV_HAS_RUN)
			memcpy(&e->sw.run_ns, q, sizeof(e->sw.run_ns));
		return sz;
	case EV_WAKING:
		e->wk.waker_pid = wk->waker_pid;
		e->wk.waker_tid = wk->waker_tid;
		e->wk.target_cpu = wk->target_cpu;
		e->wk.wake_by = wk->wake_by;
		q = (const char *)(wk + 1);
		if (task_part(c, fl, EV_HAS_NEXT, &q, e->hdr.tid, &e->wk.prio, e->wk.comm))
			return 0;
		fx_part(fl, &q, &e->wk.fx_op, &e->wk.fx_uaddr);
		return sz;
	default:
		memcpy(e, p, sz);
		return sz;
	}
}
