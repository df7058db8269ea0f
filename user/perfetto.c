// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>
#include "csv.h"
#include "perfetto.h"

void perfetto_header(struct csv *c)
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

	csv__raw(c, h, sizeof(h) - 1);
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
		csv__raw(c, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void perfetto_event(struct csv *c, const union ev_any *e)
{
	char body[384], a[COMM_LEN], b[COMM_LEN];

	switch (e->hdr.kind) {
	case EV_SWITCH:
		clean(a, e->sw.prev_comm);
		clean(b, e->sw.next_comm);
		snprintf(body, sizeof(body), "sched_switch: prev_comm=%s prev_pid=%u "
			 "prev_prio=%d prev_state=%s ==> next_comm=%s next_pid=%u next_prio=%d",
			 a, e->hdr.tid, e->sw.prev_prio, state_str(&e->sw), b,
			 e->sw.next_tid, e->sw.next_prio);
		line(c, e->sw.prev_comm, e->hdr.tid, e->hdr.pid, &e->hdr, body);
		break;
	case EV_WAKING:
		clean(a, e->wk.comm);
		snprintf(body, sizeof(body), "sched_waking: comm=%s pid=%u prio=%d target_cpu=%03u",
			 a, e->hdr.tid, e->wk.prio, e->wk.target_cpu);
		line(c, "", e->wk.waker_tid, e->wk.waker_pid, &e->hdr, body);
		break;
	case EV_WAKEUP_NEW:
		clean(a, e->tk.comm);
		snprintf(body, sizeof(body), "sched_wakeup_new: comm=%s pid=%u prio=%d target_cpu=%03u",
			 a, e->hdr.tid, e->tk.prio, e->tk.orig_cpu);
		line(c, "", 0, 0, &e->hdr, body);
		break;
	case EV_FORK:
		clean(a, e->tk.comm);
		snprintf(body, sizeof(body), "sched_process_fork: comm=%s pid=%u child_comm=%s child_pid=%u",
			 a, e->tk.parent_tid, a, e->hdr.tid);
		line(c, e->tk.comm, e->tk.parent_tid, e->tk.parent_pid, &e->hdr, body);
		break;
	case EV_EXEC:
		clean(a, e->tk.comm);
		snprintf(body, sizeof(body), "task_rename: pid=%u oldcomm=%s newcomm=%s oom_score_adj=0",
			 e->hdr.tid, a, a);
		line(c, e->tk.comm, e->hdr.tid, e->hdr.pid, &e->hdr, body);
		break;
	case EV_EXIT:
		clean(a, e->tk.comm);
		snprintf(body, sizeof(body), "sched_process_exit: comm=%s pid=%u prio=%d",
			 a, e->hdr.tid, e->tk.prio);
		line(c, e->tk.comm, e->hdr.tid, e->hdr.pid, &e->hdr, body);
		break;
	}
}
