// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/csv.h"
#include "core/index.h"
#include "core/log.h"
#include "render/perfetto.h"

/*
 * What earlier events told of a tid, for the lines whose record lacks it: a
 * waker's comm, a new task's creator, the comm before an exec. As with
 * ftrace's saved_cmdlines, a tid not known shows as <...>.
 */
struct name {
	__u32 tid;
	__u32 creator_tid;	/* the task that forked it */
	__u32 creator_pid;
	char comm[COMM_LEN];	/* the last one seen */
	char exec_comm[COMM_LEN];	/* as its fork or last exec set it */
};

struct perfetto {
	struct csv *c;
	struct index ix;	/* tid -> 1 + its name in names */
	struct name *names;
	size_t n, cap;
	struct name none;	/* where a name goes when memory runs out */
};

/* tid's name, made if new; pf->none, cleared, if there is no room */
static struct name *name_of(struct perfetto *pf, __u32 tid)
{
	uint32_t *v = index_slot(&pf->ix, tid);

	if (v && !*v && pf->n == pf->cap) {
		size_t cap = pf->cap ? 2 * pf->cap : 1024;
		struct name *nn = realloc(pf->names, cap * sizeof(*nn));

		if (nn) {
			pf->names = nn;
			pf->cap = cap;
		}
	}
	if (!v || (!*v && pf->n == pf->cap)) {
		pf->none = (struct name){ .tid = tid };
		return &pf->none;
	}
	if (!*v) {
		pf->names[pf->n] = (struct name){ .tid = tid };
		*v = ++pf->n;
		pf->ix.used++;
	}
	return &pf->names[*v - 1];
}

/* tid's name if known, else NULL */
static const struct name *known(struct perfetto *pf, __u32 tid)
{
	const struct name *n = name_of(pf, tid);

	return n == &pf->none ? NULL : n;
}

static struct name *seen(struct perfetto *pf, __u32 tid, const char *comm)
{
	struct name *n = name_of(pf, tid);

	memcpy(n->comm, comm, COMM_LEN);
	return n;
}

/* Its fork or an exec gave it comm. */
static struct name *named(struct perfetto *pf, __u32 tid, const char *comm)
{
	struct name *n = seen(pf, tid, comm);

	memcpy(n->exec_comm, comm, COMM_LEN);
	return n;
}

/* As ftrace names tid 0, every CPU's idle task; "" if not known. */
static const char *comm_of(struct perfetto *pf, __u32 tid)
{
	const struct name *n = known(pf, tid);

	if (!tid)
		return "<idle>";
	return n ? n->comm : "";
}

struct perfetto *perfetto_open(struct csv *c)
{
	static const char h[] =
		"# tracer: nop\n"
		"#\n"
		"#                                          _-----=> irqs-off/BH-disabled\n"
		"#                                         / _----=> need-resched\n"
		"#                                        | / _---=> hardirq/softirq\n"
		"#                                        || / _--=> preempt-depth\n"
		"#                                        ||| / _-=> migrate-disable\n"
		"#                                        |||| /     delay\n"
		"#           TASK-PID       TGID    CPU#  |||||  TIMESTAMP  FUNCTION\n"
		"#              | |           |       |   |||||     |         |\n";

	struct perfetto *pf = calloc(1, sizeof(*pf));

	if (!pf) {
		pr_err("out of memory for the Perfetto trace");
		return NULL;
	}
	pf->c = c;
	csv_raw(c, h, sizeof(h) - 1);
	return pf;
}

void perfetto_free(struct perfetto *pf)
{
	if (!pf)
		return;
	index_free(&pf->ix);
	free(pf->names);
	free(pf);
}

/*
 * ftrace prints a comm as is; here any byte but printable ASCII is _, so a
 * comm cannot split a line or a field, nor be invalid UTF-8.
 */
static void clean(char *dst, const char *src)
{
	int i;

	for (i = 0; i < COMM_LEN - 1 && src[i]; i++)
		dst[i] = src[i] > ' ' && src[i] <= '~' ? src[i] : '_';
	dst[i] = '\0';
	if (!i)
		strcpy(dst, "<...>");
}

/*
 * The prev_state letter ftrace prints: R+ for a preempted task, else the
 * kernel's __task_state_index() of the state word: TASK_IDLE is I,
 * TASK_RTLOCK_WAIT and TASK_FROZEN are D, else the highest TASK_REPORT bit
 * (none: R, still runnable). A dying task's letter comes from its
 * exit_state (Z or X), which the record lacks: X.
 */
static const char *state_str(const struct ev_switch *e)
{
	static const char *const letter[] = { "R", "S", "D", "T", "t", "X", "Z", "P" };
	__u32 s = e->prev_state;

	if (e->preempt)
		return "R+";
	if ((s & 0x402) == 0x402)
		return "I";
	if (s & 0x9000)
		return "D";
	if (s & 0x80)
		return "X";
	s &= 0x7f;
	return letter[s ? 32 - __builtin_clz(s) : 0];
}

static void line(struct csv *c, const char *comm, __u32 tid, __u32 tgid,
		 const struct ev_hdr *h, const char *fmt_body)
{
	char buf[512], cm[COMM_LEN];
	int n;

	clean(cm, comm);
	n = snprintf(buf, sizeof(buf), "%16s-%-7u (%7u) [%03u] d..2. %llu.%06llu: %s\n",
		     cm, tid, tgid, h->cpu, (unsigned long long)(h->ts / 1000000000),
		     (unsigned long long)(h->ts % 1000000000 / 1000), fmt_body);
	if (n > 0)
		csv_raw(c, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void perfetto_event(struct perfetto *pf, const union ev_any *e)
{
	char body[384], a[COMM_LEN], b[COMM_LEN];
	struct csv *c = pf->c;
	const struct name *k;
	struct name *n;

	switch (e->hdr.kind) {
	case EV_SWITCH:
		clean(a, e->sw.prev_comm);
		clean(b, e->sw.next_comm);
		snprintf(body, sizeof(body), "sched_switch: prev_comm=%s prev_pid=%u "
			 "prev_prio=%d prev_state=%s ==> next_comm=%s next_pid=%u next_prio=%d",
			 a, e->hdr.tid, e->sw.prev_prio, state_str(&e->sw), b,
			 e->sw.next_tid, e->sw.next_prio);
		line(c, e->hdr.tid ? e->sw.prev_comm : "<idle>", e->hdr.tid, e->hdr.pid,
		     &e->hdr, body);
		seen(pf, e->hdr.tid, e->sw.prev_comm);
		seen(pf, e->sw.next_tid, e->sw.next_comm);
		break;
	case EV_WAKING:
		clean(a, e->wk.comm);
		snprintf(body, sizeof(body), "sched_waking: comm=%s pid=%u prio=%d target_cpu=%03u",
			 a, e->hdr.tid, e->wk.prio, e->wk.target_cpu);
		line(c, comm_of(pf, e->wk.waker_tid), e->wk.waker_tid, e->wk.waker_pid, &e->hdr,
		     body);
		seen(pf, e->hdr.tid, e->wk.comm);
		break;
	case EV_WAKEUP_NEW:
		/* its creator wakes it, right after the fork */
		k = known(pf, e->hdr.tid);
		clean(a, e->tk.comm);
		snprintf(body, sizeof(body), "sched_wakeup_new: comm=%s pid=%u prio=%d target_cpu=%03u",
			 a, e->hdr.tid, e->tk.prio, e->tk.orig_cpu);
		if (k && k->creator_tid)
			line(c, comm_of(pf, k->creator_tid), k->creator_tid, k->creator_pid,
			     &e->hdr, body);
		else	/* its fork was not seen */
			line(c, "", 0, 0, &e->hdr, body);
		break;
	case EV_FORK:
		/* the child's comm is a copy of the parent's, made by the fork */
		clean(a, e->tk.comm);
		snprintf(body, sizeof(body), "sched_process_fork: comm=%s pid=%u child_comm=%s child_pid=%u",
			 a, e->tk.parent_tid, a, e->hdr.tid);
		line(c, e->tk.comm, e->tk.parent_tid, e->tk.parent_pid, &e->hdr, body);
		seen(pf, e->tk.parent_tid, e->tk.comm);
		n = named(pf, e->hdr.tid, e->tk.comm);
		n->creator_tid = e->tk.parent_tid;
		n->creator_pid = e->tk.parent_pid;
		break;
	case EV_EXEC:
		/*
		 * The comm before is the one its fork or last exec set, if
		 * seen: the exec renames it before this event, so a switch
		 * in between may show the new one already.
		 */
		k = known(pf, e->hdr.tid);
		clean(a, !k ? "" : k->exec_comm[0] ? k->exec_comm : k->comm);
		clean(b, e->tk.comm);
		snprintf(body, sizeof(body), "task_rename: pid=%u oldcomm=%s newcomm=%s oom_score_adj=0",
			 e->hdr.tid, a, b);
		line(c, e->tk.comm, e->hdr.tid, e->hdr.pid, &e->hdr, body);
		named(pf, e->hdr.tid, e->tk.comm);
		break;
	case EV_EXIT:
		clean(a, e->tk.comm);
		snprintf(body, sizeof(body), "sched_process_exit: comm=%s pid=%u prio=%d",
			 a, e->hdr.tid, e->tk.prio);
		line(c, e->tk.comm, e->hdr.tid, e->hdr.pid, &e->hdr, body);
		seen(pf, e->hdr.tid, e->tk.comm);
		break;
	}
}

/* The trace as an output of the run's events (core/sink.h) */
static void out_event(void *ctx, const union ev_any *e, const struct sink_step *st)
{
	(void)st;
	perfetto_event(ctx, e);
}

static int out_finish(void *ctx, const struct sink_end *end)
{
	struct perfetto *pf = ctx;
	int err = csv_commit(pf->c);

	(void)end;
	perfetto_free(pf);
	return err;
}

static void out_abort(void *ctx)
{
	struct perfetto *pf = ctx;

	csv_abort(pf->c);
	perfetto_free(pf);
}

static const struct sink_ops perfetto_ops = { out_event, NULL, NULL, out_finish, out_abort };

int perfetto_sink(struct sink *out, struct csv *c)
{
	struct perfetto *pf = perfetto_open(c);

	if (!pf)
		return -1;
	*out = (struct sink){ &perfetto_ops, pf };
	return 0;
}
