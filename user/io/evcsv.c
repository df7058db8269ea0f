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

/* comm is up to 16 bytes, not always NUL-terminated in a record */
static void field_comm(struct csv *c, const char *comm)
{
	char buf[COMM_LEN + 1];

	memcpy(buf, comm, COMM_LEN);
	buf[COMM_LEN] = '\0';
	csv_field(c, buf);
}

/*
 * Each kind's row, described once: the record field of each column after
 * the common ones (ts_ns .. tid); a column no field names is empty. The
 * writer and the reader both walk these tables. A new kind is a table
 * here, and its name and record size in core/event.c.
 */
enum ftype {
	FT_U,		/* unsigned, of size bytes */
	FT_S,		/* signed */
	FT_FLAG,	/* 0 or 1: the reader takes anything else as 1 */
	FT_COMM,	/* COMM_LEN bytes, not always NUL-terminated */
	FT_ZERO,	/* no field: written 0, read as nothing */
	FT_WAKE_BY,	/* enum wake_by, by its name */
	FT_IS_SET,	/* read only: 1 if the column is not empty */
};
#define F_EMPTY0	1	/* written empty when 0 */
#define F_IN_FUTEX	2	/* written only when the record was in a futex call */

struct evfield {
	unsigned char col, type, size, flags;
	unsigned short off;
};

#define FLD(t, m, col, type, flags) \
	{ col, type, sizeof(((struct t *)0)->m), flags, offsetof(struct t, m) }

static const struct evfield switch_row[] = {
	FLD(ev_switch, prev_comm, COL_COMM, FT_COMM, 0),
	FLD(ev_switch, prev_prio, COL_PRIO, FT_S, 0),
	FLD(ev_switch, prev_state, COL_PREV_STATE, FT_U, 0),
	FLD(ev_switch, preempt, COL_PREEMPT, FT_FLAG, 0),
	FLD(ev_switch, prev_tree, COL_PREV_TREE, FT_FLAG, 0),
	FLD(ev_switch, next_tree, COL_NEXT_TREE, FT_FLAG, 0),
	FLD(ev_switch, next_pid, COL_NEXT_PID, FT_U, 0),
	FLD(ev_switch, next_tid, COL_NEXT_TID, FT_U, 0),
	FLD(ev_switch, next_comm, COL_NEXT_COMM, FT_COMM, 0),
	FLD(ev_switch, next_prio, COL_NEXT_PRIO, FT_S, 0),
	FLD(ev_switch, knl_nvcsw, COL_KNL_NVCSW, FT_U, 0),
	FLD(ev_switch, knl_nivcsw, COL_KNL_NIVCSW, FT_U, 0),
	FLD(ev_switch, fx_block, COL_OP, FT_IS_SET, 0),
	FLD(ev_switch, fx_op, COL_OP, FT_U, F_IN_FUTEX),
	FLD(ev_switch, fx_uaddr, COL_UADDR, FT_U, F_IN_FUTEX),
	FLD(ev_switch, run_ns, COL_RUN_NS, FT_U, F_EMPTY0),
};

static const struct evfield waking_row[] = {
	FLD(ev_waking, comm, COL_COMM, FT_COMM, 0),
	FLD(ev_waking, prio, COL_PRIO, FT_S, 0),
	FLD(ev_waking, waker_pid, COL_WAKER_PID, FT_U, 0),
	FLD(ev_waking, waker_tid, COL_WAKER_TID, FT_U, 0),
	FLD(ev_waking, target_cpu, COL_TARGET_CPU, FT_U, 0),
	FLD(ev_waking, fx_op, COL_OP, FT_U, F_IN_FUTEX),
	FLD(ev_waking, fx_uaddr, COL_UADDR, FT_U, F_IN_FUTEX),
	FLD(ev_waking, wake_by, COL_WAKE_BY, FT_WAKE_BY, 0),
};

static const struct evfield futex_row[] = {
	{ COL_PRIO, FT_ZERO, 0, 0, 0 },
	FLD(ev_futex, op, COL_OP, FT_U, 0),
	FLD(ev_futex, uaddr, COL_UADDR, FT_U, 0),
	FLD(ev_futex, dur_ns, COL_DURATION, FT_U, 0),
	FLD(ev_futex, ret, COL_RESULT, FT_S, 0),
};

/* fork, exec, exit, migrate, wakeup_new: one record, each its columns */
static const struct evfield task_row[] = {
	FLD(ev_task, comm, COL_COMM, FT_COMM, 0),
	FLD(ev_task, prio, COL_PRIO, FT_S, 0),
	FLD(ev_task, parent_pid, COL_PARENT_PID, FT_U, 0),
	FLD(ev_task, parent_tid, COL_PARENT_TID, FT_U, 0),
	FLD(ev_task, clone_ts, COL_CLONE_TS, FT_U, 0),
	FLD(ev_task, exit_code, COL_EXIT_CODE, FT_S, 0),
	FLD(ev_task, orig_cpu, COL_ORIG_CPU, FT_U, 0),
	FLD(ev_task, dest_cpu, COL_DEST_CPU, FT_U, 0),
};

static int switch_in_futex(const union ev_any *e)
{
	return e->sw.fx_block;
}

static int waking_in_futex(const union ev_any *e)
{
	return e->wk.wake_by == WAKE_BY_FUTEX;
}

struct evrow {
	const struct evfield *f;
	size_t n;
	int (*in_futex)(const union ev_any *e);	/* or NULL */
};

#define ROW(fields, in_futex) { fields, sizeof(fields) / sizeof(fields[0]), in_futex }

static const struct evrow rows[NR_EV_KINDS] = {
	[EV_SWITCH] = ROW(switch_row, switch_in_futex),
	[EV_WAKING] = ROW(waking_row, waking_in_futex),
	[EV_FUTEX] = ROW(futex_row, NULL),
};
static const struct evrow task_rows = ROW(task_row, NULL);

static const struct evrow *row_of(__u32 kind)
{
	return kind < NR_EV_KINDS && rows[kind].f ? &rows[kind] : &task_rows;
}

static __u64 get_u(const void *p, int size)
{
	switch (size) {
	case 1: return *(const __u8 *)p;
	case 2: return *(const __u16 *)p;
	case 4: return *(const __u32 *)p;
	default: return *(const __u64 *)p;
	}
}

static __s64 get_s(const void *p, int size)
{
	switch (size) {
	case 1: return *(const __s8 *)p;
	case 2: return *(const __s16 *)p;
	case 4: return *(const __s32 *)p;
	default: return *(const __s64 *)p;
	}
}

/* As an assignment to a field of that size would: the low bytes */
static void set_u(void *p, int size, long long v)
{
	switch (size) {
	case 1: *(__u8 *)p = v; break;
	case 2: *(__u16 *)p = v; break;
	case 4: *(__u32 *)p = v; break;
	default: *(__u64 *)p = v; break;
	}
}

static void put_field(struct csv *c, const union ev_any *e, const struct evfield *f)
{
	const char *p = (const char *)e + f->off;
	__u64 v;

	switch (f->type) {
	case FT_COMM:
		field_comm(c, p);
		return;
	case FT_ZERO:
		csv_field_s64(c, 0);
		return;
	case FT_S:
		csv_field_s64(c, get_s(p, f->size));
		return;
	case FT_WAKE_BY:
		v = get_u(p, f->size);
		csv_field(c, v <= WAKE_BY_TIMER ? wake_by_names[v] : "?");
		return;
	default:
		v = get_u(p, f->size);
		if (!v && (f->flags & F_EMPTY0))
			csv_empty(c, 1);
		else
			csv_field_u64(c, v);
	}
}

void evcsv_event(struct csv *c, const union ev_any *e, uint64_t t_start)
{
	const struct ev_hdr *h = &e->hdr;
	const struct evrow *row = row_of(h->kind);
	int fx = row->in_futex && row->in_futex(e);
	size_t i = 0;

	csv_field_s64(c, (int64_t)(h->ts - t_start));
	csv_field_u64(c, h->ts);
	csv_field_u64(c, h->cpu);
	csv_field(c, h->kind < NR_EV_KINDS ? ev_kind_names[h->kind] : "?");
	csv_field_u64(c, h->pid);
	csv_field_u64(c, h->tid);
	for (int col = COL_COMM; col < NR_EVCOLS; col++) {
		while (i < row->n && row->f[i].type == FT_IS_SET)
			i++;
		if (i < row->n && row->f[i].col == col) {
			if (fx || !(row->f[i].flags & F_IN_FUTEX))
				put_field(c, e, &row->f[i]);
			else
				csv_empty(c, 1);
			i++;
		} else {
			csv_empty(c, 1);
		}
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

/* src, cut to COMM_LEN - 1 bytes (snprintf's "%s" was a tenth of a report's time) */
static void comm_copy(char *dst, const char *src)
{
	size_t i;

	for (i = 0; i < COMM_LEN - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

/* A whole number in a field; 0 for an empty field. */
static inline __attribute__((always_inline)) int
num(const char *s, long long min, long long max, long long *out)
{
	long long v = 0;
	const char *d = s;
	char *end;

	if (!*s) {
		*out = 0;
		return 0;
	}
	/* digits only, at most 18 (below 1e18: no overflow): strtoull's work
	 * without its locale and base, the most of what a report reads; two a
	 * step, half the chain of multiplies and the loop's exits */
	while (d - s < 18) {
		unsigned int a = (unsigned char)d[0] - '0', b;

		if (a > 9)
			break;
		b = (unsigned char)d[1] - '0';
		if (b > 9 || d - s == 17) {
			v = v * 10 + a;
			d++;
			break;
		}
		v = v * 100 + a * 10 + b;
		d += 2;
	}
	if (!*d) {
		*out = v;
		return v < min || v > max ? -1 : 0;
	}
	errno = 0;
	if (*s == '-')
		*out = strtoll(s, &end, 10);
	else
		*out = (long long)strtoull(s, &end, 10);
	return errno || *end || *out < min || *out > max ? -1 : 0;
}

#define U32_MAX_	0xffffffffll

/*
 * A futex word's address past what num() takes: any 64-bit value the call
 * was given (a bad one fails with EFAULT, its row still written), kept as
 * its bits. Apart from num(), whose one call site stays inlined in the
 * parse loop (a second one cost ~15% of reading a file back).
 */
static int num_u64_wide(const char *s, long long *out)
{
	unsigned long long u;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	u = strtoull(s, &end, 10);
	*out = (long long)u;
	return errno || *end ? -1 : 0;
}

/* A field narrower than 8 bytes takes a value that fits it, signed or not. */
static int fits(int size, long long v)
{
	return size >= 8 || (v >= -(1ll << (size * 8 - 1)) && v < 1ll << (size * 8));
}

enum row_kind evcsv_parse(char **f, size_t n, union ev_any *e, const char **why)
{
	long long v[NR_EVCOLS];	/* the numeric columns only: each set below */
	static const int numeric[] = {
		COL_TS, COL_TS_BOOT, COL_CPU, COL_PID, COL_TID, COL_PRIO,
		COL_PREV_STATE, COL_PREEMPT, COL_PREV_TREE, COL_NEXT_TREE,
		COL_NEXT_PID, COL_NEXT_TID, COL_NEXT_PRIO, COL_KNL_NVCSW,
		COL_KNL_NIVCSW, COL_WAKER_PID, COL_WAKER_TID, COL_TARGET_CPU,
		COL_PARENT_PID, COL_PARENT_TID, COL_CLONE_TS, COL_EXIT_CODE,
		COL_ORIG_CPU, COL_DEST_CPU, COL_OP, COL_UADDR, COL_DURATION,
		COL_RESULT, COL_RUN_NS,
	};
	const struct evrow *row;
	int kind, k;

	memset(e, 0, sizeof(*e));
	if (!strcmp(f[COL_KIND], "meta"))
		return ROW_META;
	for (size_t i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++) {
		int col = numeric[i];

		if ((size_t)col >= n) {	/* a column of a later schema */
			v[col] = 0;
			continue;
		}
		if (num(f[col], col == COL_TS || col == COL_PRIO || col == COL_NEXT_PRIO ||
			col == COL_EXIT_CODE || col == COL_RESULT ? -(1ll << 62) : 0,
			1ll << 62, &v[col]) &&
		    (col != COL_UADDR || num_u64_wide(f[col], &v[col]))) {
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
	row = row_of(kind);
	for (size_t i = 0; i < row->n; i++) {
		const struct evfield *fl = &row->f[i];
		char *p = (char *)e + fl->off;

		if (fl->col >= n)	/* a column of a later schema */
			continue;
		switch (fl->type) {
		case FT_COMM:
			comm_copy(p, f[fl->col]);
			break;
		case FT_ZERO:
			break;
		case FT_IS_SET:
			set_u(p, fl->size, *f[fl->col] != '\0');
			break;
		case FT_FLAG:
			set_u(p, fl->size, !!v[fl->col]);
			break;
		case FT_WAKE_BY:
			for (k = 0; k <= WAKE_BY_TIMER; k++)
				if (!strcmp(f[fl->col], wake_by_names[k]))
					break;
			if (k > WAKE_BY_TIMER) {
				*why = evcsv_columns[fl->col];
				return ROW_BAD;
			}
			set_u(p, fl->size, k);
			break;
		default:
			if (!fits(fl->size, v[fl->col])) {
				*why = evcsv_columns[fl->col];
				return ROW_BAD;
			}
			set_u(p, fl->size, v[fl->col]);
		}
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

	meta_write(meta_csv, o->c, end->m, end->td, end->partial);
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
