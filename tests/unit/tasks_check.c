// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A run with many more tasks than are kept one by one:
 * 1. core/tasks.c: 100,000 finished tasks into a table keeping 16; the
 *    totals equal the sums over every task, the 16 busiest are all kept,
 *    reused tids are counted, tasks alive are never folded.
 * 2. core/replay.c: 200,000 tasks forked and ended, at most 40 alive at
 *    once, tids reused at random: its task entries stay at what is alive
 *    at once, every switch is counted, every task checked (index_del keeps
 *    every other tid found).
 * Exit 0 on success; prints the first difference otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/replay.h"
#include "core/tasks.h"

#define FAIL(...) do { printf(__VA_ARGS__); putchar('\n'); fflush(stdout); return 1; } while (0)

static int table(void)
{
	enum { N = 100000, KEEP = 16 };
	struct tasktab tt;
	struct task_fold want = {}, got;
	__u64 top[KEEP] = {}, reused = 0;
	__u32 last_tid = 0;
	static unsigned char seen[N];

	tasktab_init(&tt, KEEP);
	{	/* alive, and idle: first in, never folded however many come after */
		struct task_stat alive = { .run_ns = 0, .tgid = 7 };

		task_fold_add(&want, 7, &alive);
		if (tasktab_add(&tt, 7, &alive))
			FAIL("tasktab_add: out of memory");
		seen[7]++;
	}
	srandom(1);
	for (int i = 0; i < N; i++) {
		struct task_stat st = { .flags = TASK_F_EXITED };
		__u32 tid = 1 + random() % (N / 2);

		st.tgid = i % 3 ? tid + 1 : tid;
		st.run_ns = random();
		st.switches_vol = st.knl_nvcsw = random() % 100;
		st.switches_invol = random() % 7;
		st.knl_nivcsw = st.switches_invol + (i % 1000 == 0);
		st.migrations = i % 5;
		snprintf(st.comm, sizeof(st.comm), "t%d", i);
		reused += seen[tid]++ != 0;
		last_tid = tid;
		task_fold_add(&want, tid, &st);
		for (int k = 0; k < KEEP; k++) {	/* insert into the top KEEP */
			if (st.run_ns > top[k]) {
				memmove(&top[k + 1], &top[k], (KEEP - k - 1) * sizeof(top[0]));
				top[k] = st.run_ns;
				break;
			}
		}
		if (tasktab_add(&tt, tid, &st))
			FAIL("tasktab_add: out of memory");
	}
	{
		size_t i;

		for (i = 0; i < tt.n && (tt.v[i].tid != 7 || (tt.v[i].st.flags & TASK_F_EXITED)); i++)
			;
		if (i == tt.n)
			FAIL("the task alive was folded");
	}
	if (tt.n > 2 * KEEP + 1)
		FAIL("kept %zu tasks, at most %d", tt.n, 2 * KEEP + 1);
	got = tt.folded;
	for (size_t i = 0; i < tt.n; i++)
		task_fold_add(&got, tt.v[i].tid, &tt.v[i].st);
	if (memcmp(&got, &want, sizeof(got)))
		FAIL("totals differ: tasks %llu/%llu run %llu/%llu failed %llu/%llu",
		     (unsigned long long)got.tasks, (unsigned long long)want.tasks,
		     (unsigned long long)got.run_ns, (unsigned long long)want.run_ns,
		     (unsigned long long)got.check_failed, (unsigned long long)want.check_failed);
	if (want.check_failed != N / 1000)
		FAIL("check_failed %llu, want %d", (unsigned long long)want.check_failed, N / 1000);
	for (int k = 0; k < KEEP; k++) {
		size_t i;

		for (i = 0; i < tt.n && tt.v[i].st.run_ns != top[k]; i++)
			;
		if (i == tt.n)
			FAIL("the %d-th busiest task (run %llu) was folded", k + 1,
			     (unsigned long long)top[k]);
	}
	if (tt.reused != reused)
		FAIL("reused %llu, want %llu", (unsigned long long)tt.reused,
		     (unsigned long long)reused);
	/* the name of a tid is its last task's */
	if (!tasktab_name(tt.names, last_tid) || strcmp(tasktab_name(tt.names, last_tid), "t99999"))
		FAIL("the name of tid %u is not its last task's", last_tid);
	tasktab_free(&tt);
	return 0;
}

static void ev(struct replay *r, union ev_any *e)
{
	replay_event(r, e);
	memset(e, 0, sizeof(*e));
}

static int replay(void)
{
	enum { N = 200000, ALIVE = 40, ROOT = 1, TIDS = 5000 };
	struct replay *r = replay_new(1, 0);
	struct trace_data td = {};
	__u32 alive[ALIVE] = {};
	static unsigned char used[TIDS];
	union ev_any e = {};
	__u64 ts = 10, switches = 0;
	int made = 0, ended = 0;

	if (!r)
		FAIL("replay_new: out of memory");
	srandom(2);
	e.tk.hdr = (struct ev_hdr){ .ts = ts++, .kind = EV_FORK, .pid = ROOT, .tid = ROOT };
	ev(r, &e);	/* the root: its parent is not traced */
	while (ended < N) {
		int k = random() % ALIVE;

		if (!alive[k] && made < N) {	/* fork a task there, run it */
			__u32 tid;

			do
				tid = 2 + random() % (TIDS - 2);
			while (used[tid]);
			used[tid] = 1;
			alive[k] = tid;
			made++;
			e.tk.hdr = (struct ev_hdr){ .ts = ts++, .kind = EV_FORK, .pid = tid, .tid = tid };
			e.tk.parent_pid = e.tk.parent_tid = ROOT;
			ev(r, &e);
			e.sw.hdr = (struct ev_hdr){ .ts = ts++, .kind = EV_SWITCH, .cpu = 0 };
			e.sw.next_pid = e.sw.next_tid = tid;
			e.sw.next_tree = 1;
			ev(r, &e);
		} else if (alive[k]) {		/* its final switch */
			e.sw.hdr = (struct ev_hdr){ .ts = ts++, .kind = EV_SWITCH, .cpu = 0,
						    .pid = alive[k], .tid = alive[k] };
			e.sw.prev_tree = 1;
			e.sw.prev_state = 0x80;	/* TASK_DEAD */
			e.sw.knl_nvcsw = 1;
			ev(r, &e);
			switches++;
			used[alive[k]] = 0;
			alive[k] = 0;
			ended++;
		}
		if (replay_task_slots(r) > ALIVE + 1)
			FAIL("%zu task entries with at most %d tasks alive", replay_task_slots(r),
			     ALIVE + 1);
	}
	if (replay_result(r, &td))
		FAIL("replay_result: out of memory");
	{
		struct task_fold f = td.folded;

		for (size_t i = 0; i < td.ntasks; i++)
			task_fold_add(&f, td.tasks[i].tid, &td.tasks[i].st);
		if (f.tasks != N + 1 || f.exited != N || f.checked != N || f.check_failed ||
		    f.switches_vol != switches)
			FAIL("tasks %llu (want %d), exited %llu, checked %llu, failed %llu, "
			     "switches %llu (want %llu)", (unsigned long long)f.tasks, N + 1,
			     (unsigned long long)f.exited, (unsigned long long)f.checked,
			     (unsigned long long)f.check_failed,
			     (unsigned long long)f.switches_vol, (unsigned long long)switches);
		if (td.ntasks > 2 * TASKS_KEPT + 1)
			FAIL("%zu tasks kept one by one", td.ntasks);
	}
	trace_data_free(&td);
	replay_free(r);
	return 0;
}

int main(void)
{
	if (table() || replay())
		return 1;
	puts("ok");
	return 0;
}
