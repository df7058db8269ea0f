// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The BPF side's lifecycle: open, decide what can attach on this machine,
 * load, attach, and read the maps back into a struct trace_data.
 *
 * Scheduler and process probes are tp_btf: they need BTF only. The syscall
 * probes (futex, clone entry) are classic tracepoints, whose ids libbpf reads
 * from tracefs at attach time: mount tracefs if it is missing, attach, and
 * unmount it again so the machine is left as it was. A syscall tracepoint
 * this kernel lacks (futex2 before 6.7) is left out and reported.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/hist.h"
#include "live/drain.h"
#include "live/excentry.h"
#include "live/loader.h"
#include "live/pidns.h"
#include "live/envcheck.h"
#include "live/stacks.h"
#include "core/log.h"
#include "tracer.skel.h"

#define TRACEFS		"/sys/kernel/tracing"
#define DEBUGFS_TRACING	"/sys/kernel/debug/tracing"	/* libbpf prefers it */

struct probes {
	struct tracer_bpf *skel;
	struct drain *drain;	/* the tasks gone, read as they go */
	struct stacks *stacks;	/* --stacks */
	int dwarf;		/* --unwind dwarf */
	int eh;			/* --unwind ehframe */
	__u32 max_tasks;
	__u32 max_pairs;
	int stats_fd;
	int ncpus;
	unsigned int features;
	char missing[256];
};

static const char *load_hint(int err)
{
	switch (err) {
	case -EPERM:
		return "; run as root, or grant CAP_BPF and CAP_PERFMON";
	case -EACCES:
		return "; the verifier rejected a program: rerun with -vv to see its log";
	case -ENOSYS:
		return "; this kernel has no bpf() system call (CONFIG_BPF_SYSCALL)";
	case -EINVAL:
	case -E2BIG:
		return "; rerun with -vv to see the verifier log";
	default:
		return "";
	}
}

static void note_missing(struct probes *p, const char *what)
{
	size_t n = strlen(p->missing);

	snprintf(p->missing + n, sizeof(p->missing) - n, "%s%s", n ? "; " : "", what);
}

/* The tracefs directory libbpf will read, mounting tracefs if need be. */
static const char *tracefs_dir(int *mounted)
{
	*mounted = 0;
	if (!access(DEBUGFS_TRACING, F_OK))
		return DEBUGFS_TRACING;
	if (!access(TRACEFS "/events", F_OK))
		return TRACEFS;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL)) {
		pr_debug("mount tracefs on %s: %s", TRACEFS, strerror(errno));
		return NULL;
	}
	*mounted = 1;
	return TRACEFS;
}

/*
 * The classic tracepoints of bpf/ and the figures each serves: named one
 * by one, so that a new one is placed here on purpose (a test checks that
 * every SEC("tracepoint/...") of bpf/ is listed).
 */
static const struct {
	const char *sec;
	unsigned int feature;
} syscall_probes[] = {
	{ "tracepoint/syscalls/sys_enter_futex", FEAT_FUTEX },
	{ "tracepoint/syscalls/sys_exit_futex", FEAT_FUTEX },
	{ "tracepoint/syscalls/sys_enter_futex_waitv", FEAT_FUTEX2 },
	{ "tracepoint/syscalls/sys_exit_futex_waitv", FEAT_FUTEX2 },
	{ "tracepoint/syscalls/sys_enter_futex_wait", FEAT_FUTEX2 },
	{ "tracepoint/syscalls/sys_exit_futex_wait", FEAT_FUTEX2 },
	{ "tracepoint/syscalls/sys_enter_futex_wake", FEAT_FUTEX2 },
	{ "tracepoint/syscalls/sys_exit_futex_wake", FEAT_FUTEX2 },
	{ "tracepoint/syscalls/sys_enter_futex_requeue", FEAT_FUTEX2 },
	{ "tracepoint/syscalls/sys_exit_futex_requeue", FEAT_FUTEX2 },
	{ "tracepoint/syscalls/sys_enter_clone", FEAT_CLONE },
	{ "tracepoint/syscalls/sys_enter_clone3", FEAT_CLONE },
	{ "tracepoint/syscalls/sys_enter_fork", FEAT_CLONE },
	{ "tracepoint/syscalls/sys_enter_vfork", FEAT_CLONE },
};

static unsigned int feature_of(const char *sec)
{
	for (size_t i = 0; i < sizeof(syscall_probes) / sizeof(syscall_probes[0]); i++)
		if (!strcmp(syscall_probes[i].sec, sec))
			return syscall_probes[i].feature;
	pr_warn("%s: a tracepoint program of no known feature (user/live/loader.c)", sec);
	return 0;
}

/*
 * Keep the classic tracepoints this kernel has; switch the others off, and
 * all of them unless --syscalls asked for them (leave_out): any syscall
 * tracepoint puts every system call of every task on the kernel's slow path
 * (~100 ns each here), whether or not it is a futex.
 */
static void choose_syscall_probes(struct probes *p, const char *tfs, int leave_out)
{
	unsigned int lacking = 0;
	struct bpf_program *prog;
	char path[512];

	p->features = FEAT_FUTEX | FEAT_FUTEX2 | FEAT_CLONE;
	bpf_object__for_each_program(prog, p->skel->obj) {
		const char *sec = bpf_program__section_name(prog);

		if (strncmp(sec, "tracepoint/", 11))
			continue;
		snprintf(path, sizeof(path), "%s/events/%s", tfs ? tfs : "", sec + 11);
		if (!leave_out && tfs && !access(path, F_OK))
			continue;
		bpf_program__set_autoload(prog, false);
		lacking |= feature_of(sec);
	}
	p->features &= ~lacking;
	if (leave_out) {
		note_missing(p, "futex calls and clone entry (with --syscalls)");
		return;
	}
	if (!tfs) {
		note_missing(p, "futex and clone-entry probes off: tracefs could not be mounted");
		return;
	}
	if (lacking & FEAT_FUTEX)
		note_missing(p, "futex(2) not traced: no syscall tracepoints (CONFIG_FTRACE_SYSCALLS)");
	if (lacking & FEAT_FUTEX2)
		note_missing(p, "futex_waitv/futex_wait/futex_wake not traced: this kernel lacks some");
	if (lacking & FEAT_CLONE)
		note_missing(p, "creation timed from the fork tracepoint: no clone syscall tracepoints");
}

static void *destroy_link(void *arg)
{
	struct bpf_link **link = arg;

	bpf_link__destroy(*link);
	*link = NULL;
	return NULL;
}

/*
 * Detach every program. Closing a classic tracepoint's perf event waits for
 * RCU grace periods (~80 ms each here); closing them all at once, one
 * thread each, lets them share the wait instead of queueing.
 */
static void detach_all(struct tracer_bpf *skel)
{
	struct bpf_object_skeleton *os = skel->skeleton;
	pthread_t th[64];
	int n = 0;

	for (int i = 0; i < os->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps = (void *)((char *)os->progs + i * os->prog_skel_sz);

		if (!*ps->link)
			continue;
		if (n < 64 && !pthread_create(&th[n], NULL, destroy_link, ps->link))
			n++;
		else
			destroy_link(ps->link);
	}
	while (n--)
		pthread_join(th[n], NULL);
}

/*
 * The timer callbacks' entry program goes on after their exit one: one
 * attached first saw callbacks begin whose end no program was there to
 * see, and the CPU then read as in a timer until its next callback ended
 * (a short run had 43 of its 50 futex wakes counted as timeouts).
 */
/*
 * launcher_tgid: tracer's pid as the kernel numbers it (proc.bpf.c). A
 * kernel that cannot run the program (no BPF_PROG_TEST_RUN) gets getpid(),
 * the same number outside a nested PID namespace.
 */
static int whoami(struct tracer_bpf *skel)
{
	LIBBPF_OPTS(bpf_test_run_opts, o);
	int err;

	if (!bpf_prog_test_run_opts(bpf_program__fd(skel->progs.whoami), &o))
		return skel->bss->launcher_tgid ? 0 : -ESRCH;
	err = -errno;
	if (envcheck_pid_ns_nested())
		return err;
	skel->bss->launcher_tgid = getpid();
	return 0;
}

/*
 * What must come after the others: the timer callbacks' entry program
 * (above), and --stacks' sched_switch program, which takes what
 * handle_sched_switch worked out for the same switch: a tracepoint calls
 * its programs in the order they were attached.
 */
static int attach_after(struct tracer_bpf *skel, int stacks)
{
	skel->links.handle_timer_entry = bpf_program__attach(skel->progs.handle_timer_entry);
	if (!skel->links.handle_timer_entry)
		return -errno;
	if (!stacks)
		return 0;
	skel->links.stacks_sched_switch = bpf_program__attach(skel->progs.stacks_sched_switch);
	return skel->links.stacks_sched_switch ? 0 : -errno;
}

/* Tids run from 1 to pid_max - 1; the kernel's ceiling if it cannot be read. */
static unsigned int pid_max(void)
{
	unsigned int n = 0;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");

	if (f) {
		if (fscanf(f, "%u", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n ? n : 4194304;	/* PID_MAX_LIMIT */
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	/* libbpf warnings are only useful once we failed; show them with -v
	 * (its messages carry their own "libbpf: ") */
	if ((level == LIBBPF_DEBUG && log_verbosity < 2) ||
	    (level != LIBBPF_DEBUG && log_verbosity < 1))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/*
 * Whether this kernel makes stack maps (--stacks); if not, say so once:
 * the run goes on without stacks.
 */
static int stack_maps_work(void)
{
	/* the depth of the real maps: kernel.perf_event_max_stack may be less */
	int fd = bpf_map_create(BPF_MAP_TYPE_STACK_TRACE, NULL, sizeof(__u32),
				USTACK_DEPTH * sizeof(__u64), 1, NULL);

	if (fd < 0) {
		pr_warn("--stacks: this kernel makes no stack map (%s): running without stacks",
			strerror(errno));
		return 0;
	}
	close(fd);
	return 1;
}

int probes_start(struct probes **out, const struct probes_opts *opts)
{
	struct probes *p = calloc(1, sizeof(*p));
	const char *tfs;
	int err, mounted, stacks;

	libbpf_set_print(libbpf_print);
	if (!p)
		return -ENOMEM;
	p->stats_fd = -1;
	p->ncpus = libbpf_num_possible_cpus();
	p->skel = tracer_bpf__open();
	if (!p->skel) {
		err = -errno;
		char msg[128];

		libbpf_strerror(err, msg, sizeof(msg));	/* libbpf's own codes too */
		pr_err("failed to open BPF object: %s", msg);
		goto fail;
	}
	p->skel->rodata->cfg_events = !!opts->events;
	/* to tell an exception's waking (a page fault's) from an interrupt's */
	excentry_ranges((uint64_t (*)[2])p->skel->rodata->cfg_exc,
			sizeof(p->skel->rodata->cfg_exc) / sizeof(p->skel->rodata->cfg_exc[0]));
	if (!opts->events)
		bpf_program__set_autoload(p->skel->progs.stage_task_rename, false);
	/* a power of two of pages; one page when not streaming */
	bpf_map__set_max_entries(p->skel->maps.events,
				 opts->events ? opts->ring_mb << 20 : (unsigned int)getpagesize());
	/* a task whose tid is above it cannot be followed: counted as lost */
	bpf_map__set_max_entries(p->skel->maps.tid_slot, pid_max());
	/* the tasks alive at once: past them, a new task is counted untracked */
	p->max_tasks = opts->max_tasks ? opts->max_tasks : MAX_TASKS;
	p->skel->rodata->cfg_max_tasks = p->max_tasks;
	bpf_map__set_max_entries(p->skel->maps.task_slots, p->max_tasks + 1);
	bpf_map__set_max_entries(p->skel->maps.task_stks, p->max_tasks + 1);
	bpf_map__set_max_entries(p->skel->maps.free_slots, p->max_tasks);
	bpf_map__set_max_entries(p->skel->maps.tasks, p->max_tasks);
	bpf_map__set_max_entries(p->skel->maps.task_keys, p->max_tasks + 1);
	/* the pairs alive at once in slots (as many more kept for good) */
	p->max_pairs = opts->max_pairs ? opts->max_pairs : MAX_PAIRS;
	p->skel->rodata->cfg_max_pairs = p->max_pairs;
	bpf_map__set_max_entries(p->skel->maps.pair_slots, p->max_pairs);
	bpf_map__set_max_entries(p->skel->maps.pair_hists, p->max_pairs);
	bpf_map__set_max_entries(p->skel->maps.pair_links, p->max_pairs);
	bpf_map__set_max_entries(p->skel->maps.pair_free, p->max_pairs);
	bpf_map__set_max_entries(p->skel->maps.pairs_more, p->max_pairs);
	stacks = opts->stacks && stack_maps_work();
	p->skel->rodata->cfg_stacks = stacks;
	p->skel->rodata->cfg_dwarf = stacks && opts->dwarf;
	p->dwarf = stacks && opts->dwarf;
	p->eh = stacks && opts->eh;
	p->skel->rodata->cfg_eh = p->eh;
	if (p->eh)	/* its user stacks are eh_stacks' */
		bpf_map__set_autocreate(p->skel->maps.ustacks, false);
	else {	/* ~31 MiB of maps: made only for it (its code is dead at load) */
		bpf_map__set_autocreate(p->skel->maps.eh_rows, false);
		bpf_map__set_autocreate(p->skel->maps.eh_idx, false);
		bpf_map__set_autocreate(p->skel->maps.eh_procs, false);
		bpf_map__set_autocreate(p->skel->maps.eh_stacks, false);
		bpf_map__set_autocreate(p->skel->maps.eh_buf, false);
	}
	if (p->dwarf)	/* ~10 KiB a blocking switch-out: ~1,500 of them behind */
		bpf_map__set_max_entries(p->skel->maps.stk_new, 16 << 20);
	else		/* unused: not made (its code is dead at load: cfg_dwarf) */
		bpf_map__set_autocreate(p->skel->maps.ustk_buf, false);
	if (!stacks) {	/* unused: not made (cfg_stacks), the waker's program not loaded */
		bpf_map__set_autocreate(p->skel->maps.ustacks, false);
		bpf_map__set_autocreate(p->skel->maps.kstacks, false);
		bpf_map__set_autocreate(p->skel->maps.offcpu, false);
		bpf_map__set_autocreate(p->skel->maps.task_stks, false);
		bpf_map__set_autocreate(p->skel->maps.stk_procs, false);
		bpf_map__set_autocreate(p->skel->maps.stk_new, false);
		bpf_map__set_autocreate(p->skel->maps.wk_kstacks, false);
		bpf_program__set_autoload(p->skel->progs.stacks_sched_waking, false);
		bpf_program__set_autoload(p->skel->progs.stacks_sched_switch, false);
	}
	mounted = 0;
	tfs = opts->syscalls ? tracefs_dir(&mounted) : NULL;
	choose_syscall_probes(p, tfs, !opts->syscalls);
	/* run, not attached */
	bpf_program__set_autoattach(p->skel->progs.flush_stage, false);
	bpf_program__set_autoattach(p->skel->progs.note_cpu, false);
	bpf_program__set_autoattach(p->skel->progs.whoami, false);
	/* the tids of a nested PID namespace: for its /proc (live/pidns.c) */
	bpf_program__set_autoattach(p->skel->progs.ns_pids, envcheck_pid_ns_nested());
	/* after its exit: see attach_after() */
	bpf_program__set_autoattach(p->skel->progs.handle_timer_entry, false);
	/* after handle_sched_switch: see attach_after() */
	bpf_program__set_autoattach(p->skel->progs.stacks_sched_switch, false);

	err = tracer_bpf__load(p->skel);
	if (err) {
		pr_err("failed to load BPF programs: %s%s", strerror(-err), load_hint(err));
		goto fail_umount;
	}
	err = whoami(p->skel);
	if (err) {
		pr_err("cannot tell the BPF programs tracer's pid (BPF_PROG_TEST_RUN): %s",
		       strerror(-err));
		goto fail_umount;
	}
	err = tracer_bpf__attach(p->skel);
	if (!err)
		err = attach_after(p->skel, stacks);
	if (err) {
		pr_err("failed to attach BPF programs: %s%s", strerror(-err), load_hint(err));
		goto fail_umount;
	}
	if (mounted)
		umount2(TRACEFS, MNT_DETACH);
	if (p->skel->links.ns_pids)
		pidns_set(bpf_link__fd(p->skel->links.ns_pids));
	/* a small --max-tasks folds early too: what tests use to see it fold */
	p->drain = drain_start(bpf_map__fd(p->skel->maps.done), bpf_map__fd(p->skel->maps.gone),
			       p->max_tasks < 64 ? 64 : p->max_tasks < TASKS_KEPT ? p->max_tasks :
			       TASKS_KEPT, p->max_pairs, MAX_FUTEX_KEYS);
	if (!p->drain) {
		err = -errno;
		pr_err("cannot read the figures of the tasks gone: %s", strerror(-err));
		goto fail;
	}
	if (stacks && !(p->stacks = stacks_start(bpf_map__fd(p->skel->maps.stk_new), p->dwarf,
						 p->eh ? bpf_map__fd(p->skel->maps.eh_rows) : -1,
						 p->eh ? bpf_map__fd(p->skel->maps.eh_idx) : -1,
						 p->eh ? bpf_map__fd(p->skel->maps.eh_procs) : -1))) {
		err = -errno;
		pr_err("cannot start the stack watcher thread: %s", strerror(-err));
		goto fail;
	}
	if (p->eh && stacks_eh_preload(p->stacks, opts->exe)) {
		err = -ENOMEM;
		pr_err("out of memory for the --unwind ehframe tables");
		goto fail;
	}
	if (opts->bpf_stats) {
		p->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (p->stats_fd < 0)
			pr_warn("cannot enable BPF run-time statistics: %s", strerror(errno));
	}
	*out = p;
	return 0;
fail_umount:
	if (mounted)
		umount2(TRACEFS, MNT_DETACH);
fail:
	probes_destroy(p);
	return err;
}

void probes_set_window(struct probes *p, uint64_t start_ns, uint64_t end_ns)
{
	if (start_ns)
		p->skel->bss->t_start = start_ns;
	if (end_ns) {
		p->skel->bss->t_stop = end_ns;
		p->skel->bss->t_end = end_ns;
	}
}

/*
 * Tell each CPU's program what runs there now, as the window begins (-p:
 * after its tasks were found): a CPU where nothing switches during the
 * window (a busy loop alone on it, or idle) is then charged to what ran,
 * not to what no switch told (charged to the tree: 160 ms of a busy
 * neighbour's loop). An interrupt on the CPU, so it never waits for it.
 */
void probes_note_cpus(struct probes *p)
{
	int fd = bpf_program__fd(p->skel->progs.note_cpu);

	for (int c = 0; c < p->ncpus; c++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = c);

		bpf_prog_test_run_opts(fd, &o);	/* fails on an offline CPU: none there */
	}
}

void probes_set_stop(struct probes *p, uint64_t end_ns)
{
	p->skel->bss->t_stop = end_ns;
}

/*
 * A task already running (-p): a slot of task_slots, taken as the BPF side
 * takes one (bpf/common.bpf.h), and its tid pointed at it. Its start time
 * is set at its first event there.
 */
int probes_track(struct probes *p, __u32 tid, __u32 tgid, __u32 ppid,
		  const char *comm, __u64 runtime)
{
	struct tracer_bpf *s = p->skel;
	struct task_stat st = {}, had;
	struct task_keys keys = {};
	__u32 slot;
	int err;

	/*
	 * Followed already: made by a task registered before it, whose fork
	 * gave it a slot (the programs run while /proc is read). A second
	 * slot would take its events from the first, whose figures are lost.
	 */
	if (!bpf_map__lookup_elem(s->maps.tid_slot, &tid, sizeof(tid), &slot, sizeof(slot), 0) &&
	    slot && !bpf_map__lookup_elem(s->maps.task_slots, &slot, sizeof(slot), &had,
					  sizeof(had), 0) && had.tid == tid && had.tgid == tgid)
		return -EEXIST;
	trace_task_found(&st, tgid, ppid, comm, runtime, s->bss->t_start);
	st.tid = tid;
	if (bpf_map__lookup_and_delete_elem(s->maps.free_slots, NULL, 0, &slot,
					    sizeof(slot), 0)) {
		slot = __atomic_add_fetch(&s->bss->slots_used, 1, __ATOMIC_RELAXED);
		if (slot > p->max_tasks)
			return -ENOSPC;
	}
	st.slot = slot;
	/* a new task in the slot, as task_new() says (bpf/keys.bpf.h) */
	bpf_map__lookup_elem(s->maps.task_keys, &slot, sizeof(slot), &keys, sizeof(keys), 0);
	keys.gen++;
	keys.walked = 0;
	err = bpf_map__update_elem(s->maps.task_keys, &slot, sizeof(slot), &keys,
				   sizeof(keys), BPF_ANY);
	if (!err)
		err = bpf_map__update_elem(s->maps.task_slots, &slot, sizeof(slot), &st,
					   sizeof(st), BPF_ANY);
	if (!err)
		err = bpf_map__update_elem(s->maps.tid_slot, &tid, sizeof(tid), &slot,
					   sizeof(slot), BPF_ANY);
	return err;
}

int probes_ncpus(struct probes *p)
{
	return p->ncpus;
}

int probes_ring_fd(struct probes *p)
{
	return bpf_map__fd(p->skel->maps.events);
}

int probes_flush_fd(struct probes *p)
{
	return bpf_program__fd(p->skel->progs.flush_stage);
}

const volatile __u32 *probes_tree_signals(struct probes *p)
{
	return p->skel->bss->tree_signals;
}

int probes_task_exited(struct probes *p, __u32 tid)
{
	(void)tid;	/* the launched task: the only one asked about */
	return p->skel->bss->root_exited;
}

/* The figures of the tasks still alive join those of the exited ones. */
static int snapshot_live_tasks(struct probes *p)
{
	struct bpf_link *link = p->skel->links.snapshot_tasks;
	char buf[64];
	int fd, n;

	if (!link)
		return -ENOENT;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n < 0 ? -errno : 0;
}

/*
 * Every entry of a hash map, as key + value pairs laid out in out[] with a
 * stride of `stride` bytes (the value follows the key at offset `voff`).
 */
static long read_hash(struct bpf_map *map, void *out, size_t max, size_t stride,
		      size_t voff)
{
	size_t ksz = bpf_map__key_size(map), vsz = bpf_map__value_size(map), n = 0;
	char key[64], next[64];
	void *prev = NULL;

	while (n < max && !bpf_map__get_next_key(map, prev, next, ksz)) {
		char *slot = (char *)out + n * stride;

		memcpy(key, next, ksz);
		prev = key;
		if (bpf_map__lookup_elem(map, key, ksz, slot + voff, vsz, 0))
			continue;
		memcpy(slot, key, ksz);
		n++;
	}
	return n;
}

/*
 * The entries of a slotted table (a hash of key -> 1 + index into an array
 * of values, bpf/common.bpf.h), as key + value in out[] with a stride of
 * `stride` bytes, the value at offset `voff`; -ENOMEM.
 */
static long read_slotted(struct bpf_map *slots, struct bpf_map *vals, void *out, size_t max,
			 size_t stride, size_t voff)
{
	size_t ksz = bpf_map__key_size(slots), vsz = bpf_map__value_size(vals);
	size_t kstride = (ksz + sizeof(__u32) + 7) & ~(size_t)7;
	char *d = calloc(max ? max : 1, kstride);
	long n, kept = 0;

	if (!d)
		return -ENOMEM;
	n = read_hash(slots, d, max, kstride, ksz);
	for (long i = 0; i < n; i++) {
		char *k = d + i * kstride, *o = (char *)out + kept * stride;
		__u32 slot, idx;

		memcpy(&slot, k + ksz, sizeof(slot));
		idx = slot - 1;
		if (!slot || bpf_map__lookup_elem(vals, &idx, sizeof(idx), o + voff, vsz, 0))
			continue;
		memcpy(o, k, ksz);
		kept++;
	}
	free(d);
	return kept;
}

/*
 * Each pair's histogram (counted here: the kernel keeps no count); and the
 * pairs that found the array full.
 */
static long read_pairs(struct tracer_bpf *s, struct trace_pair *out, size_t max)
{
	long kept = read_slotted(s->maps.pair_slots, s->maps.pair_hists, out, max,
				 sizeof(*out), offsetof(struct trace_pair, h)), more;

	if (kept < 0)
		return kept;
	more = read_hash(s->maps.pairs_more, out + kept, max - kept, sizeof(*out),
			 offsetof(struct trace_pair, h));
	for (long i = 0; i < kept + more; i++)
		hist_recount(&out[i].h);
	return kept + more;
}

/* The tasks alive at the end (keyed by tid and start time) into tt; -ENOMEM. */
static int read_tasks(struct bpf_map *map, struct tasktab *tt, size_t max)
{
	struct keyed {
		struct task_key key;
		struct task_stat st;
	} *d = calloc(max ? max : 1, sizeof(*d));
	long n;
	int err = 0;

	if (!d)
		return -ENOMEM;
	n = read_hash(map, d, max, sizeof(*d), offsetof(struct keyed, st));
	for (long i = 0; i < n && !err; i++)
		err = tasktab_add(tt, d[i].key.tid, &d[i].st);
	free(d);
	return err;
}

static int read_percpu(struct probes *p, struct trace_data *td)
{
	size_t pstride = (sizeof(struct pcpu) + 7) & ~7ul;
	struct level_state ls;
	char *buf;
	__u32 key = 0;
	int err;

	buf = calloc(p->ncpus, pstride);
	td->cpu_ns = calloc(p->ncpus, sizeof(*td->cpu_ns));
	if (!buf || !td->cpu_ns) {
		free(buf);
		return -ENOMEM;
	}
	td->ncpus = p->ncpus;
	err = bpf_map__lookup_elem(p->skel->maps.pcpu, &key, sizeof(key), buf,
				   pstride * p->ncpus, 0);
	for (int c = 0; !err && c < p->ncpus; c++) {
		struct pcpu *pc = (struct pcpu *)(buf + c * pstride);

		for (int i = 0; i < NR_CNT; i++)
			td->cnt[i] += pc->cnt[i];
		/* final figures the ring had no room for, folded there (an event
		 * file's replay takes its tasks from the events instead) */
		task_fold_merge(&td->folded, &pc->fold);
		for (int i = 0; i < NR_CATS; i++)
			td->cpu_ns[c][i] = pc->ns[i];
		/* close the interval still open when the window ended (unknown
		 * on a CPU never seen switching: probes_note_cpus) */
		if (td->t_end && pc->last_ts && pc->cur < NR_CATS) {
			__u64 from = pc->last_ts > td->t_start ? pc->last_ts : td->t_start;

			if (td->t_end > from)
				td->cpu_ns[c][pc->cur] += td->t_end - from;
		}
		for (int i = 0; i < NR_HISTS_KEPT; i++) {
			hist_recount(&pc->hists[i]);
			hist_merge(&td->hists[i], &pc->hists[i]);
		}
	}
	free(buf);
	if (!err)
		hists_final(td->hists);
	key = 0;
	if (!err)
		err = bpf_map__lookup_elem(p->skel->maps.levels, &key, sizeof(key),
					   &ls, sizeof(ls), 0);
	if (!err) {
		memcpy(td->level_ns, ls.ns, sizeof(td->level_ns));
		trace_close_level(td, ls.last_ts, ls.running);
	}
	return err;
}

/*
 * What each program cost (--bpf-stats), and the runs the kernel skipped
 * (always counted: a tracing program is not run again on a CPU where it is
 * already running, as when an interrupt's event comes in the middle of it).
 */
static void read_costs(struct probes *p, struct trace_data *td)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, p->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		struct bpf_prog_cost *c;
		int fd = bpf_program__fd(prog);

		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		td->cnt[CNT_RUNS_MISSED] += info.recursion_misses;
		if (p->stats_fd < 0 ||
		    td->ncosts >= (int)(sizeof(td->costs) / sizeof(td->costs[0])))
			continue;
		c = &td->costs[td->ncosts++];
		snprintf(c->name, sizeof(c->name), "%s", bpf_program__name(prog));
		c->run_cnt = info.run_cnt;
		c->run_time_ns = info.run_time_ns;
	}
}

int probes_collect(struct probes *p, struct trace_data *td)
{
	struct tracer_bpf *s = p->skel;
	struct tasktab tt;
	struct gone gone;
	long np, nf;
	int err, et;

	/* t_end is set: the probes stand still, the maps can be read */
	read_costs(p, td);
	td->t_start = s->bss->t_start;
	td->t_end = s->bss->t_end;
	td->features = p->features;
	snprintf(td->missing, sizeof(td->missing), "%s", p->missing);

	/* the tasks gone, then those alive */
	et = drain_stop(p->drain, &tt, &gone);
	p->drain = NULL;
	if (et) {
		tasktab_free(&tt);
		gone_free(&gone);
		pr_err("out of memory for the figures of the tasks gone");
		return et;
	}
	err = snapshot_live_tasks(p);
	if (err)
		pr_warn("cannot read the tasks still running: %s", strerror(-err));
	et = read_tasks(s->maps.tasks, &tt, p->max_tasks);
	trace_take_tasks(td, &tt);
	if (et) {
		gone_free(&gone);
		pr_err("out of memory reading the BPF maps");
		return et;
	}
	/* those alive at the end (in the maps), then the heaviest gone */
	td->pairs = calloc(2 * p->max_pairs, sizeof(*td->pairs));
	td->futex = calloc(MAX_FUTEX_KEYS, sizeof(*td->futex));
	if (!td->pairs || !td->futex) {
		gone_free(&gone);
		pr_err("out of memory for the figures in the BPF maps");
		return -ENOMEM;
	}
	np = read_pairs(s, td->pairs, 2 * p->max_pairs);
	nf = read_slotted(s->maps.futex_slots, s->maps.futex_vals, td->futex, MAX_FUTEX_KEYS,
			  sizeof(*td->futex), offsetof(struct trace_futex, val));
	td->npairs = np > 0 ? np : 0;
	td->nfutex = nf > 0 ? nf : 0;
	if (np < 0 || nf < 0 || gone_into(&gone, td)) {
		gone_free(&gone);
		pr_err("out of memory reading the BPF maps");
		return -ENOMEM;
	}
	td->stacks = !!p->stacks;
	td->unwind_dwarf = p->eh ? UNWIND_EH : p->dwarf ? UNWIND_DWARF : UNWIND_FP;
	if (p->stacks && stacks_collect(p->stacks, bpf_map__fd(s->maps.offcpu),
					bpf_map__fd(p->eh ? s->maps.eh_stacks : s->maps.ustacks),
					bpf_map__fd(s->maps.kstacks),
					td)) {
		pr_err("out of memory for the off-CPU stacks");
		return -ENOMEM;
	}
	err = read_percpu(p, td);
	if (err)
		pr_err("failed to read the BPF maps: %s", strerror(-err));
	return err;
}

int probes_name_words(struct probes *p, struct trace_data *td)
{
	if (!p->stacks || !stacks_name_words(p->stacks, td))
		return 0;
	pr_err("out of memory for the names of the futex words");
	return -ENOMEM;
}

void probes_destroy(struct probes *p)
{
	if (!p)
		return;
	if (p->stats_fd >= 0)
		close(p->stats_fd);
	drain_stop(p->drain, NULL, NULL);
	stacks_free(p->stacks);
	pidns_set(-1);
	if (p->skel)
		detach_all(p->skel);
	tracer_bpf__destroy(p->skel);
	free(p);
}
