# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The sections in the order they run: each one's function, its share of the time
budget by its end, and what it measures (docs/performance.md prints it)."""
from .overhead import bench_overhead, bench_targets
from .cost import bench_bpf_cost
from .loss import bench_loss
from .accuracy import bench_accuracy
from .footprint import bench_coroutine, bench_startup

# name, function, the cumulative share of the budget it may run until (the
# last two make single runs, so they cannot starve), what it measures
SECTIONS = [
    ("targets", bench_targets, 0.3,
     "The figures with a target of tracer's own round trips (the overhead section's "
     "method: pinned ping-pongs, medians of per-pass ratios) from passes of only "
     "the contenders they need: untraced, the clock-only floor, tracer, tracer "
     "--events; three times the overhead section's passes."),
    ("overhead", bench_overhead, 0.65,
     "Added time per round trip of a ping-pong pinned to one CPU (a pipe between "
     "two processes; a futex between two threads) under each tool, as the median "
     "of the per-pass ratios to the untraced run. The workload times itself, so "
     "tool startup is left out."),
    ("accuracy", bench_accuracy, 0.8,
     "tracer's hand-off time (half a pinned pipe round trip, measured under "
     "tracer) against `perf bench sched pipe` pinned with `taskset`, processes and "
     "threads (-T). Switch counts: `perf stat -e context-switches` run inside "
     "`tracer run`; tracer's count of the tree, less perf stat's own switches "
     "(tracer around `perf stat -- true` in the same pass), against perf's count."),
    ("startup", bench_startup, 0.88,
     "From spawning the tool to the first instruction of the command it runs "
     "(`date` prints when it started), less the same for `date` alone; the wall "
     "time to exit (detach and report included); peak RSS (wait4)."),
    ("coroutine", bench_coroutine, 0.9,
     "`pingpong --unit coroutine`: ns per user-space switch, our assembly against "
     "glibc's swapcontext."),
    ("bpf-cost", bench_bpf_cost, 1.0,
     "run_time_ns / run_cnt of each program that ran during a pinned futex thread "
     "ping-pong, with kernel.bpf_stats_enabled=1 (restored afterwards). An upper "
     "bound: the stats cost about what the empty program shows. sched_switch and "
     "sched_waking against programs that only read the clock, over the workload "
     "alone: in separate runs, and in one run in each order of attaching. With "
     "--stacks and --unwind (dwarf, ehframe) every switch here is a blocking switch-out whose "
     "stacks are read (and every waking, the waker's), beside libbpf-tools' "
     "offcputime, which reads the stacks at every switch-out of every task."),
    ("loss", bench_loss, 1.0,
     "Two pinned futex ping-pongs, one per CPU, under tracer: events it reports "
     "lost, and switches the kernel's rusage saw that tracer did not count. A "
     "futex storm (`perf bench futex hash` on every CPU, `--syscalls`: each call "
     "an event) captured with `--events`: events/s, records lost, tracer's own CPU "
     "per event while the storm ran and writing the file after it."),
]
