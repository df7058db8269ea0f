# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Section overhead: added round-trip time of pinned ping-pongs under each tool."""
from functools import partial
from .context import PINGPONG, Target, log, median
from .passes import failures, interleave, ok, paired, quartiles
from .peers import c_bpftrace, c_floor, c_offcputime, c_perf_sched, c_runqlat, c_tracer, c_tracer_events, c_tracer_stacks, c_tracer_sys, c_untraced, floor_missing, tracefs_ready, tracer_has_events


FLOOR_CLOCK = "floor: sched programs reading the clock"


FLOOR_ALL = "floor: ... and empty futex tracepoints"


# the least of each design of a tracer, over the clock floor (tools/floor)
FLOOR_DESIGNS = ("floor: per-task figures, the least", "floor: event records, the least")


# issue #15's targets per workload: added round trip, and over the clock
# floor of the same passes (met if either holds for the pipe, both for futex)
OVERHEAD_TARGETS = {"pipe-process": (5, 2), "futex-thread": (15, 3)}


def overhead_contenders(ctx):
    """(name, runner, target, anchor, why-not) in table order."""
    ev = tracer_has_events()
    no_ev = None if ev else "tracer has no --events yet"
    tp = None
    if ctx.tools["bpftrace"] and not tracefs_ready():
        tp = "tracefs is not mounted and mounting it failed"
    fl = floor_missing()
    return [
        ("untraced", c_untraced, None, "", None),
        # a control: the ratio of two untraced runs is the noise of this machine
        ("untraced, again", c_untraced, None, "the same untraced run: this machine's noise", None),
        ("tracer", c_tracer, "per workload", "", None),
        ("tracer --events csv", c_tracer_events(ctx, "csv"), Target("<=", 20), "", no_ev),
        ("tracer --events csv.gz", c_tracer_events(ctx, "csv.gz"), Target("<=", 20), "", no_ev),
        ("tracer --syscalls", c_tracer_sys, None, "plus the futex and clone-entry probes", None),
        ("tracer --stacks", c_tracer_stacks, None,
         "plus both stacks at each blocking switch-out and waking", None),
        # the floor: what no tracer on these hooks can avoid here
        (FLOOR_CLOCK, c_floor(ctx, "switch_clock", "waking_clock"),
         None, "sched_switch + sched_waking programs that only read bpf_ktime_get_ns, "
         "as any waking -> on-CPU latency must: the floor of tracer", fl),
        (FLOOR_DESIGNS[0], c_floor(ctx, "switch_per_task", "waking_per_task", "exec_pick"),
         None, "plus finding each task's figures (an array by tid, as tracer), a time at "
         "each switch-out and waking, two histograms at each switch-in (time off the CPU, "
         "wakeup latency): the least of a tracer that keeps its figures per task in the "
         "kernel, as tracer does", fl),
        (FLOOR_DESIGNS[1], c_floor(ctx, "switch_record", "waking_record", "exec_pick"),
         None, "plus the same finding of a traced task and a 32-byte record of each event "
         "in a per-CPU buffer, no reader: the least of a tracer that makes its figures "
         "from records in user space", fl),
        (FLOOR_ALL,
         c_floor(ctx, "switch_clock", "waking_clock", "futex_enter_empty", "futex_exit_empty"), None,
         "plus sys_enter/exit_futex programs that return at once (every syscall of the "
         "machine takes the slow path): the floor of tracer --syscalls",
         fl or (None if tracefs_ready() else "tracefs is not mounted and mounting it failed")),
        ("floor: empty sys_enter/sys_exit programs", c_floor(ctx, "sys_enter_empty", "sys_exit_empty"),
         None, "the alternative to the futex tracepoints (tp_btf): a program on every syscall", fl),
        ("perf sched record", partial(c_perf_sched, ctx), None, "issue anchor +60%",
         None if ctx.tools["perf"] else "perf is not installed"),
        ("runqlat", partial(c_runqlat, ctx), None, "issue anchor +25%",
         None if ctx.tools["runqlat"] else "runqlat (libbpf-tools) is not installed"),
        ("bpftrace counter", partial(c_bpftrace, ctx), None, "issue anchor +23%",
         tp or (None if ctx.tools["bpftrace"] else "bpftrace is not installed")),
        ("offcputime", partial(c_offcputime, ctx), None, "--stacks' peer (libbpf-tools)",
         None if ctx.tools["offcputime"] else "offcputime (libbpf-tools) is not installed"),
    ]


WORKLOADS = [
    ("pipe-process", ["--unit", "process", "--ipc", "pipe", "--cpus", "same"]),
    ("futex-thread", ["--unit", "thread", "--ipc", "futex", "--cpus", "same"]),
]


def bench_rt_ab(ctx, builds):
    """--ab-rt: the pinned ping-pongs' round trips under each tracer build,
    in summary mode and with --events, side by side in the same passes:
    what a change does to the round trip, which the overhead section's rows
    cannot tell (they move ~1 point from one run to the next)."""
    for wl, opts in WORKLOADS:
        argv = [PINGPONG, *opts, "--rounds", str(ctx.cfg["rt"])]
        live = [("untraced", partial(c_untraced, argv))]
        for b in builds:
            live += [(b, partial(c_tracer, argv, b)),
                     (f"{b} --events csv", partial(c_tracer_events(ctx, "csv", b), argv))]
        log(f"round trips, {wl}: {ctx.cfg['runs']} passes of {len(live)} contenders, "
            f"{ctx.cfg['rt']} round trips each")
        vals, errs = interleave(ctx, live, ctx.cfg["runs"], lambda res: float(res["round_trip_ns"]))
        for name, _ in live[1:]:
            if not ok(vals[name]) or not ok(vals["untraced"]):
                ctx.skip(name, f"added round-trip time, {wl}", errs.get(name, "no run"))
                continue
            r = paired(vals[name], vals["untraced"], lambda x, y: x / y)
            ctx.add(name, f"added round-trip time, {wl}", (r - 1) * 100, "%",
                note=f"median of per-pass ratios to untraced; {median(ok(vals[name])):.1f} ns")
            b, events = name.removesuffix(" --events csv"), name.endswith(" --events csv")
            if events and ok(vals[b]):
                r = paired(vals[name], vals[b], lambda x, y: x / y)
                ctx.add(name, f"added round-trip time over summary mode, {wl}", (r - 1) * 100,
                    "%", note="median of per-pass ratios to the same build without --events")
            ref = builds[0] + (" --events csv" if events else "")
            if b != builds[0] and ok(vals[ref]):
                r = paired(vals[name], vals[ref], lambda x, y: x / y)
                ctx.add(name, f"round trip against {ref}, {wl}", (r - 1) * 100, "%",
                    note="median of per-pass ratios, the same passes")


# what the targets of tracer's own round trips need, and nothing else
TARGET_CONTENDERS = ("untraced", "untraced, again", "tracer", "tracer --events csv",
                     "tracer --events csv.gz", FLOOR_CLOCK)


def bench_targets(ctx):
    """The rows whose targets judge tracer's own round trips, from passes of only
    the contenders they need: three times the overhead section's passes, so that
    a median moves less than the point its spread moved it (per-pass quartiles
    3-6 points apart at 11 passes)."""
    rt_bench(ctx, "targets", [c for c in overhead_contenders(ctx) if c[0] in TARGET_CONTENDERS],
             3 * ctx.cfg["runs"], True)


def bench_overhead(ctx):
    """Every contender side by side; tracer's own targets are judged in the
    targets section, from more passes; those against its peers, here."""
    rt_bench(ctx, "overhead", overhead_contenders(ctx), ctx.cfg["runs"], False)


def rt_bench(ctx, what, contenders, runs, own_targets):
    for wl, opts in WORKLOADS:
        argv = [PINGPONG, *opts, "--rounds", str(ctx.cfg["rt"])]
        live = [(name, (lambda r=r: r(argv))) for name, r, _, _, why in contenders if not why]
        log(f"{what}, {wl}: {runs} passes of {len(live)} contenders, "
            f"{ctx.cfg['rt']} round trips each")
        vals, errs = interleave(ctx, live, runs, lambda res: float(res["round_trip_ns"]))
        base = vals["untraced"]
        for name, _, target, anchor, why in contenders:
            figs = [f"round trip, {wl}"] + ([f"added round-trip time, {wl}"]
                                            if name != "untraced" else [])
            why = why or (None if ok(vals[name]) else errs.get(name, "no run"))
            if why:
                for fig in figs:
                    ctx.skip(name, fig, why)
                continue
            ctx.add(name, figs[0], median(vals[name]), "ns",
                note=f"median of {len(ok(vals[name]))} runs" + failures(vals[name], errs, name))
            if target == "per workload":
                target = Target("<=", OVERHEAD_TARGETS[wl][0])
            if not own_targets:
                target = None
            if name != "untraced" and ok(base):
                r = paired(vals[name], base, lambda x, y: x / y)
                ctx.add(name, figs[1], (r - 1) * 100, "%", target,
                    "median of per-pass ratios to untraced" + quartiles(vals[name], base)
                    + (f"; {anchor}" if anchor else ""))
            # the export's own cost: against summary mode in the same passes
            if name.startswith("tracer --events") and ok(vals.get("tracer", [])):
                r = paired(vals[name], vals["tracer"], lambda x, y: x / y)
                ctx.add(name, f"added round-trip time over summary mode, {wl}", (r - 1) * 100, "%",
                    Target("<=", 3) if own_targets else None,
                    "median of per-pass ratios to tracer without an output option"
                    + quartiles(vals[name], vals["tracer"]))
            # tracer's own work: what no tracer on its probes could avoid, taken
            # out (the clock floor: by default no syscall tracepoint is attached)
            floor = FLOOR_ALL if name == "tracer --syscalls" else FLOOR_CLOCK
            if name in FLOOR_DESIGNS and ok(vals.get(floor, [])):
                r = paired(vals[name], vals[floor], lambda x, y: x / y)
                ctx.add(name, f"added round-trip time over the floor, {wl}", (r - 1) * 100, "%",
                    None, f"median of per-pass ratios to '{floor}': that design's least work"
                    + quartiles(vals[name], vals[floor]))
            if name.startswith("tracer") and ok(vals.get(floor, [])):
                added = paired(vals[name], base, lambda x, y: x / y) - 1
                r = paired(vals[name], vals[floor], lambda x, y: x / y)
                ctx.add(name, f"added round-trip time over the floor, {wl}", (r - 1) * 100, "%",
                    Target("<=", OVERHEAD_TARGETS[wl][1])
                    if name == "tracer" and own_targets else None,
                    f"median of per-pass ratios to '{floor}': tracer's own work"
                    + quartiles(vals[name], vals[floor])
                    + (f"; target met by +{added * 100:.1f}% alone" if name == "tracer"
                       and wl == "pipe-process" and added * 100 <= OVERHEAD_TARGETS[wl][0]
                       else ""))
        # --stacks against the tool people use for off-CPU stacks (issue #12's target)
        if ok(vals.get("tracer --stacks", [])) and ok(vals.get("offcputime", [])):
            r = paired(vals["tracer --stacks"], vals["offcputime"], lambda x, y: x / y)
            ctx.add("tracer --stacks", f"round trip over offcputime's, {wl}", (r - 1) * 100, "%",
                Target("<=", 0), "median of per-pass ratios to offcputime (off-CPU stacks of "
                "every task) in the same passes")
        # lighter than each peer (the issue: "below runqlat and bpftrace in every
        # run"): the run's figure, and how many of its passes agree
        if wl == "futex-thread":
            for peer in ("runqlat", "bpftrace counter"):
                pairs_ = [(x, y) for x, y in zip(vals.get("tracer", []), vals.get(peer, []))
                          if x is not None and y is not None]
                if pairs_:
                    r = paired(vals["tracer"], vals[peer], lambda x, y: x / y)
                    ctx.add("tracer", f"round trip over {peer}'s, {wl}", (r - 1) * 100, "%",
                        Target("<", 0), f"median of per-pass ratios to {peer} in the same passes")
                    won = sum(x < y for x, y in pairs_)
                    ctx.add("tracer", f"passes lighter than {peer}, {wl}",
                        100.0 * won / len(pairs_), "%", None,
                        f"{won} of {len(pairs_)} passes: tracer's round trip below {peer}'s "
                        "(a pass is ~0.1 s of each: one a neighbour slowed can go either way)")
