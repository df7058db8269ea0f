// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/csv.h"
#include "io/evcsv.h"
#include "io/metarows.h"

const char *const evcsv_columns[NR_EVCOLS] = {
	"ts_ns", "ts_boot_ns", "cpu", "kind", "pid", "tid", "comm", "prio",
	"prev_state", "preempt", "prev_tree", "next_tree", "next_pid",
	"next_tid", "next_comm", "next_prio", "knl_nvcsw", "knl_nivcsw",
	"waker_pid", "waker_tid", "target_cpu", "parent_pid", "parent_tid",
	"clone_ts_ns", "exit_code", "orig_cpu", "dest_cpu", "op", "uaddr",
	"duration_ns", "result", "key", "value", "run_ns", "wake_by",
};

static const char *const wake_by_names[] = {
	[WAKE_BY_NONE] = "", [WAKE_BY_OTHER] = "other",
	[WAKE_BY_FUTEX] = "futex", [WAKE_BY_TIMER] = "timer",
};

void evcsv_header(struct csv *c)
{
	for (int i = 0; i < NR_EVCOLS; i++)
		csv_field(c, evcsv_columns[i]);
	csv_end_row(c);
}

/* A futex record has no comm: field_comm() reads COMM_LEN bytes */
static const char no_comm[COMM_LEN];

/* comm is up to 16 bytes, not always NUL-terminated in a record */
static void field_comm(struct csv *c, const char *comm)
{
	char buf[COMM_LEN + 1];

	memcpy(buf, comm, COMM_LEN);
	buf[COMM_LEN] = '\0';
	csv_field(c, buf);
}

/* op and uaddr: the futex call a switch-out waits in, or a waker is in */
static void field_futex(struct csv *c, int in_call, __u32 op, __u64 uaddr)
{
	if (!in_call) {
		csv_empty(c, 2);
		return;
	}
	csv_field_u64(c, op);
	csv_field_u64(c, uaddr);
}

/* The columns every event has, through COL_PRIO. */
static void common(struct csv *c, const struct ev_hdr *h, uint64_t t_start,
		   const char *comm, int prio)
{
	csv_field_s64(c, (int64_t)(h->ts - t_start));
	csv_field_u64(c, h->ts);
	csv_field_u64(c, h->cpu);
	csv_field(c, h->kind < NR_EV_KINDS ? ev_kind_names[h->kind] : "?");
	csv_field_u64(c, h->pid);
	csv_field_u64(c, h->tid);
	field_comm(c, comm);
	csv_field_s64(c, prio);
}

void evcsv_event(struct csv *c, const union ev_any *e, uint64_t t_start)
{
	switch (e->hdr.kind) {
	case EV_SWITCH:
		common(c, &e->hdr, t_start, e->sw.prev_comm, e->sw.prev_prio);
		csv_field_u64(c, e->sw.prev_state);
		csv_field_u64(c, e->sw.preempt);
		csv_field_u64(c, e->sw.prev_tree);
		csv_field_u64(c, e->sw.next_tree);
		csv_field_u64(c, e->sw.next_pid);
		csv_field_u64(c, e->sw.next_tid);
		field_comm(c, e->sw.next_comm);
		csv_field_s64(c, e->sw.next_prio);
		csv_field_u64(c, e->sw.knl_nvcsw);
		csv_field_u64(c, e->sw.knl_nivcsw);
		csv_empty(c, COL_OP - COL_WAKER_PID);
		field_futex(c, e->sw.fx_block, e->sw.fx_op, e->sw.fx_uaddr);
		csv_empty(c, COL_RUN_NS - COL_DURATION);
		if (e->sw.run_ns)
			csv_field_u64(c, e->sw.run_ns);
		else
			csv_empty(c, 1);
		csv_empty(c, NR_EVCOLS - COL_WAKE_BY);
		break;
	case EV_WAKING:
		common(c, &e->hdr, t_start, e->wk.comm, e->wk.prio);
		csv_empty(c, COL_WAKER_PID - COL_PREV_STATE);
		csv_field_u64(c, e->wk.waker_pid);
		csv_field_u64(c, e->wk.waker_tid);
		csv_field_u64(c, e->wk.target_cpu);
		csv_empty(c, COL_OP - COL_PARENT_PID);
		field_futex(c, e->wk.wake_by == WAKE_BY_FUTEX, e->wk.fx_op, e->wk.fx_uaddr);
		csv_empty(c, COL_WAKE_BY - COL_DURATION);
		csv_field(c, e->wk.wake_by < WAKE_BY_TIMER + 1 ? wake_by_names[e->wk.wake_by] : "?");
		break;
	case EV_FUTEX:
		common(c, &e->hdr, t_start, no_comm, 0);
		csv_empty(c, COL_OP - COL_PREV_STATE);
		csv_field_u64(c, e->fx.op);
		csv_field_u64(c, e->fx.uaddr);
		csv_field_u64(c, e->fx.dur_ns);
		csv_field_s64(c, e->fx.ret);
		csv_empty(c, NR_EVCOLS - COL_KEY);
		break;
	default:	/* the ev_task kinds */
		common(c, &e->hdr, t_start, e->tk.comm, e->tk.prio);
		csv_empty(c, COL_PARENT_PID - COL_PREV_STATE);
		csv_field_u64(c, e->tk.parent_pid);
		csv_field_u64(c, e->tk.parent_tid);
		csv_field_u64(c, e->tk.clone_ts);
		csv_field_s64(c, e->tk.exit_code);
		csv_field_u64(c, e->tk.orig_cpu);
		csv_field_u64(c, e->tk.dest_cpu);
		csv_empty(c, NR_EVCOLS - COL_OP);
		break;
	}
	csv_end_row(c);
}

void meta_csv(void *csv, const char *key, const char *value)
{
	evcsv_meta(csv, key, value);
}

void evcsv_meta(struct csv *c, const char *key, const char *value)
{
	csv_empty(c, COL_KIND);
	csv_field(c, "meta");
	csv_empty(c, COL_KEY - COL_PID);
	csv_field(c, key);
	csv_field(c, value);
	csv_empty(c, NR_EVCOLS - COL_VALUE - 1);
	csv_end_row(c);
}

void evcsv_task(struct csv *c, uint32_t tid, uint32_t tgid, uint32_t ppid,
		const char *comm, uint64_t runtime)
{
	csv_empty(c, COL_KIND);
	csv_field(c, "task");
	csv_field_u64(c, tgid);
	csv_field_u64(c, tid);
	csv_field(c, comm);
	csv_empty(c, COL_PARENT_PID - COL_PRIO);
	csv_field_u64(c, ppid);
	csv_empty(c, COL_RUN_NS - COL_PARENT_TID);
	if (runtime)
		csv_field_u64(c, runtime);
	else
		csv_empty(c, 1);
	csv_empty(c, NR_EVCOLS - COL_WAKE_BY);
	csv_end_row(c);
}

static void comm_copy(char *dst, const char *src)
{
	snprintf(dst, COMM_LEN, "%s", src);
}

/* A whole number in a field; 0 for an empty field. */
static int num(const char *s, long long min, long long max, long long *out)
{
	char *end;

	if (!*s) {
		*out = 0;
		return 0;
	}
	errno = 0;
	if (*s == '-')
		*out = strtoll(s, &end, 10);
	else
		*out = (long long)strtoull(s, &end, 10);
	return errno || *end || *out < min || *out > max ? -1 : 0;
}

#define U32_MAX_	0xffffffffll

enum row_kind evcsv_parse(char **f, size_t n, union ev_any *e, const char **why)
{
	long long v[NR_EVCOLS] = {};
	static const int numeric[] = {
		COL_TS, COL_TS_BOOT, COL_CPU, COL_PID, COL_TID, COL_PRIO,
		COL_PREV_STATE, COL_PREEMPT, COL_PREV_TREE, COL_NEXT_TREE,
		COL_NEXT_PID, COL_NEXT_TID, COL_NEXT_PRIO, COL_KNL_NVCSW,
		COL_KNL_NIVCSW, COL_WAKER_PID, COL_WAKER_TID, COL_TARGET_CPU,
		COL_PARENT_PID, COL_PARENT_TID, COL_CLONE_TS, COL_EXIT_CODE,
		COL_ORIG_CPU, COL_DEST_CPU, COL_OP, COL_UADDR, COL_DURATION,
		COL_RESULT, COL_RUN_NS,
	};
	int kind, k;

	memset(e, 0, sizeof(*e));
	if (!strcmp(f[COL_KIND], "meta"))
		return ROW_META;
	for (size_t i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++) {
		int col = numeric[i];

		if ((size_t)col >= n)	/* a column of a later schema */
			continue;
		if (num(f[col], col == COL_TS || col == COL_PRIO || col == COL_NEXT_PRIO ||
			col == COL_EXIT_CODE || col == COL_RESULT ? -(1ll << 62) : 0,
			1ll << 62, &v[col])) {
			*why = evcsv_columns[col];
			return ROW_BAD;
		}
	}
	if (!strcmp(f[COL_KIND], "task")) {
		e->row.hdr.tid = v[COL_TID];
		e->row.hdr.pid = v[COL_PID];
		e->row.ppid = v[COL_PARENT_PID];
		e->row.runtime_ns = v[COL_RUN_NS];
		comm_copy(e->row.comm, f[COL_COMM]);
		return ROW_TASK;
	}
	for (kind = 1; kind < NR_EV_KINDS; kind++)
		if (!strcmp(f[COL_KIND], ev_kind_names[kind]))
			break;
	if (kind == NR_EV_KINDS) {
		*why = "kind";
		return ROW_BAD;
	}
	if (v[COL_PID] > U32_MAX_ || v[COL_TID] > U32_MAX_ || v[COL_CPU] > U32_MAX_) {
		*why = "pid";
		return ROW_BAD;
	}
	e->hdr.ts = v[COL_TS_BOOT];
	e->hdr.kind = kind;
	e->hdr.cpu = v[COL_CPU];
	e->hdr.pid = v[COL_PID];
	e->hdr.tid = v[COL_TID];
	switch (kind) {
	case EV_SWITCH:
		comm_copy(e->sw.prev_comm, f[COL_COMM]);
		comm_copy(e->sw.next_comm, f[COL_NEXT_COMM]);
		e->sw.prev_prio = v[COL_PRIO];
		e->sw.prev_state = v[COL_PREV_STATE];
		e->sw.preempt = !!v[COL_PREEMPT];
		e->sw.prev_tree = !!v[COL_PREV_TREE];
		e->sw.next_tree = !!v[COL_NEXT_TREE];
		e->sw.next_pid = v[COL_NEXT_PID];
		e->sw.next_tid = v[COL_NEXT_TID];
		e->sw.next_prio = v[COL_NEXT_PRIO];
		e->sw.knl_nvcsw = v[COL_KNL_NVCSW];
		e->sw.knl_nivcsw = v[COL_KNL_NIVCSW];
		e->sw.run_ns = v[COL_RUN_NS];
		e->sw.fx_block = *f[COL_OP] != '\0';
		e->sw.fx_op = v[COL_OP];
		e->sw.fx_uaddr = v[COL_UADDR];
		break;
	case EV_WAKING:
		comm_copy(e->wk.comm, f[COL_COMM]);
		e->wk.prio = v[COL_PRIO];
		e->wk.waker_pid = v[COL_WAKER_PID];
		e->wk.waker_tid = v[COL_WAKER_TID];
		e->wk.target_cpu = v[COL_TARGET_CPU];
		e->wk.fx_op = v[COL_OP];
		e->wk.fx_uaddr = v[COL_UADDR];
		if (n > COL_WAKE_BY) {
			for (k = 0; k <= WAKE_BY_TIMER; k++)
				if (!strcmp(f[COL_WAKE_BY], wake_by_names[k]))
					break;
			if (k > WAKE_BY_TIMER) {
				*why = "wake_by";
				return ROW_BAD;
			}
			e->wk.wake_by = k;
		}
		break;
	case EV_FUTEX:
		e->fx.op = v[COL_OP];
		e->fx.uaddr = v[COL_UADDR];
		e->fx.dur_ns = v[COL_DURATION];
		e->fx.ret = v[COL_RESULT];
		break;
	default:
		comm_copy(e->tk.comm, f[COL_COMM]);
		e->tk.prio = v[COL_PRIO];
		e->tk.parent_pid = v[COL_PARENT_PID];
		e->tk.parent_tid = v[COL_PARENT_TID];
		e->tk.clone_ts = v[COL_CLONE_TS];
		e->tk.exit_code = v[COL_EXIT_CODE];
		e->tk.orig_cpu = v[COL_ORIG_CPU];
		e->tk.dest_cpu = v[COL_DEST_CPU];
		break;
	}
	return ROW_EVENT;
}

/* The event CSV as an output of the run's events (core/sink.h) */
struct evcsv_out {
	struct csv *c;
	uint64_t t_start;
};

static void out_event(void *ctx, const union ev_any *e, const struct sink_step *st)
{
	struct evcsv_out *o = ctx;

	(void)st;
	evcsv_event(o->c, e, o->t_start);
}

static void out_task(void *ctx, const union ev_any *t)
{
	struct evcsv_out *o = ctx;

	evcsv_task(o->c, t->row.hdr.tid, t->row.hdr.pid, t->row.ppid, t->row.comm,
		   t->row.runtime_ns);
}

static void out_meta(void *ctx, const char *key, const char *value)
{
	evcsv_meta(((struct evcsv_out *)ctx)->c, key, value);
}

/* Meta rows last, so a file that has them is whole. */
static int out_finish(void *ctx, const struct sink_end *end)
{
	struct evcsv_out *o = ctx;
	int err;

	meta_write(meta_csv, o->c, end->m, end->td);
	evcsv_meta(o->c, "end", end->partial ? "partial" : "complete");
	err = csv_commit(o->c);
	free(o);
	return err;
}

static void out_abort(void *ctx)
{
	struct evcsv_out *o = ctx;

	csv_abort(o->c);
	free(o);
}

static const struct sink_ops evcsv_ops = { out_event, out_task, out_meta, out_finish, out_abort };

int evcsv_sink(struct sink *out, struct csv *c, uint64_t t_start)
{
	struct evcsv_out *o = malloc(sizeof(*o));

	if (!o)
		return -ENOMEM;
	o->c = c;
	o->t_start = t_start;
	evcsv_header(c);
	*out = (struct sink){ &evcsv_ops, o };
	return 0;
}
