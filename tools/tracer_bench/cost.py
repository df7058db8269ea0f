# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Section bpf-cost: each program's run time per event, and against a clock-only one."""
import json
import math
import os
import re
from functools import partial
from .context import FLOOR, Failed, PINGPONG, TRACER, Target, log, median, run
from .passes import interleave, ok
from .peers import bpftrace_bg, floor_bg, floor_missing, offcputime_bg, runqlat_bg, tracefs_ready


def prog_stats(fdinfo_text, progs_json):
    """Programs held by one process (from its /proc fdinfo: prog and link
    fds both name a prog_id) with bpftool's name and bpf_stats counters."""
    ids = {int(m) for m in re.findall(r"prog_id:\s*(\d+)", fdinfo_text)}
    return [p for p in json.loads(progs_json) if p.get("id") in ids]


def fdinfo_of(pid):
    text = []
    d = f"/proc/{pid}/fdinfo"
    for fd in os.listdir(d):
        try:
            with open(os.path.join(d, fd)) as f:
                text.append(f.read())
        except OSError:
            pass
    return "\n".join(text)


def bpftool_progs(ctx):
    return run([ctx.tools["bpftool"], "prog", "show", "-j"])


def add_costs(ctx, contender, progs, switch_target):
    """A row per program that ran; returns the sched_switch one's ns/run."""
    switch = None
    idle = sorted(p.get("name", "?") for p in progs if not p.get("run_cnt"))
    for p in sorted(progs, key=lambda p: p.get("name", "")):
        name, cnt = p.get("name", f"id{p.get('id')}"), p.get("run_cnt", 0)
        if not cnt:
            continue
        ns = p.get("run_time_ns", 0) / cnt
        if "switch" in name:
            switch = ns
        ctx.add(contender, f"BPF ns/event, {name}", ns, "ns",
            switch_target if "switch" in name else None,
            f"upper bound: bpf_stats adds ~60 ns/run; {cnt} runs")
    if not progs or len(idle) == len(progs):
        ctx.skip(contender, "BPF ns/event", "no program of it ran (or bpf_stats stayed off)")
    elif idle:
        ctx.add(contender, "BPF programs that did not fire", len(idle), "count",
            note="in this workload: " + " ".join(idle))
    return switch


def bench_bpf_cost(ctx):
    sysctl = "/proc/sys/kernel/bpf_stats_enabled"
    if not ctx.tools["bpftool"]:
        ctx.skip("tracer", "BPF ns/event", "bpftool is not installed")
        return
    with open(sysctl) as f:
        prev = f.read().strip()
    argv = [PINGPONG, "--unit", "thread", "--ipc", "futex", "--cpus", "same",
            "--rounds", str(ctx.cfg["bpf"])]
    bt = None if ctx.tools["bpftrace"] and tracefs_ready() else "bpftrace cannot run here"
    fl = floor_missing()
    peers = [("runqlat", partial(runqlat_bg, ctx), None if ctx.tools["runqlat"] else "runqlat is not installed"),
             ("bpftrace counter", partial(bpftrace_bg, ctx), bt),
             ("offcputime", partial(offcputime_bg, ctx),
              None if ctx.tools["offcputime"] else "offcputime is not installed"),
             # the floor: what bpf_stats and an empty program cost per run, and
             # what one clock read adds
             ("empty program", lambda: floor_bg(ctx, "switch_empty"), fl),
             ("clock read only", lambda: floor_bg(ctx, "switch_clock"), fl)]
    log(f"BPF cost: bpf_stats on, {ctx.cfg['bpf']} futex round trips per contender")
    cost = {}
    try:
        with open(sysctl, "w") as f:
            f.write("1")
        # programs exist only while tracer runs: sample from inside the
        # traced command, after the workload; $PPID is tracer
        fdi, pj = os.path.join(ctx.tmp, "fdinfo"), os.path.join(ctx.tmp, "progs.json")
        script = ('"$0" "$@" >/dev/null || exit; '
                  'cat /proc/$PPID/fdinfo/* > "$B_FDINFO" 2>/dev/null; '
                  '"$B_BPFTOOL" prog show -j > "$B_PROGS"')
        env = dict(os.environ, B_FDINFO=fdi, B_PROGS=pj, B_BPFTOOL=ctx.tools["bpftool"])
        # the same with every event exported: what a record costs in the programs
        hot = ("handle_sched_switch", "handle_sched_waking", "handle_exit_futex")
        for name, opts, target in (
                ("tracer", [], Target("<=", 100)),
                ("tracer --syscalls", ["--syscalls"], None),
                ("tracer --events csv", ["--events", os.path.join(ctx.tmp, "cost.csv")], None),
                # off-CPU stacks at each blocking switch-out (every switch here) and waking
                ("tracer --stacks", ["--stacks"], None),
                ("tracer --unwind dwarf", ["--unwind", "dwarf", "--csv",
                                           os.path.join(ctx.tmp, "dwarf.csv")], None),
                ("tracer --unwind ehframe", ["--unwind", "ehframe", "--csv",
                                             os.path.join(ctx.tmp, "ehframe.csv")], None)):
            try:
                run([TRACER, "run", *opts, "--", "sh", "-c", script, *argv], env=env)
                with open(fdi) as f, open(pj) as g:
                    progs = prog_stats(f.read(), g.read())
                if "--events" in opts:
                    progs = [p for p in progs if p.get("name") in hot]
                cost[name] = add_costs(ctx, name, progs, target)
                if "dwarf" in opts:
                    unwind_cpu(ctx, name, os.path.join(ctx.tmp, "dwarf.csv"),
                               "copies unwound with libdwfl while the command ran")
                if "ehframe" in opts:
                    unwind_cpu(ctx, name, os.path.join(ctx.tmp, "ehframe.csv"),
                               "walked in the kernel: tracer only reads each file's tables once")
            except (Failed, OSError, ValueError) as e:
                ctx.skip(name, "BPF ns/event", str(e))
        for name, bg, why in peers:
            if why:
                ctx.skip(name, "BPF ns/event", why)
                continue
            try:
                with bg() as b:
                    run(argv)
                    progs = prog_stats(fdinfo_of(b.p.pid), bpftool_progs(ctx))
                # bpftrace's BEGIN ran once: not an event
                cost[name] = add_costs(ctx, name, [p for p in progs if p.get("name") != "BEGIN"],
                                       None)
            except (Failed, OSError, ValueError) as e:
                ctx.skip(name, "BPF ns/event", str(e))
    finally:
        with open(sysctl, "w") as f:
            f.write(prev)
    mine = cost.get("tracer")
    if mine and cost.get("tracer --events csv"):
        ctx.add("tracer --events csv", "BPF ns/event, sched_switch, more than summary mode",
            cost["tracer --events csv"] - mine, "ns",
            note="an event record, staged per CPU (a ring reservation costs ~100 ns)")
    if mine and cost.get("empty program"):
        ctx.add("tracer", "BPF ns/event, sched_switch, less an empty program", mine -
            cost["empty program"], "ns", note="net of bpf_stats and the run itself")
    if cost.get("clock read only") and cost.get("empty program"):
        ctx.add("floor", "BPF ns/event, one clock read in sched_switch", cost["clock read only"] -
            cost["empty program"], "ns", note="bpf_ktime_get_ns() in place, less an empty program")
    for name in ("tracer --stacks", "tracer --unwind dwarf", "tracer --unwind ehframe"):
        if cost.get(name) and cost.get("offcputime"):
            ctx.add(name, "BPF sched_switch cost vs offcputime's", cost[name] / cost["offcputime"],
                    "x", note="sched_switch alone: both read the stacks of every blocking switch-out; "
                    "tracer also reads the waker's in a sched_waking program of its own")
    for name in ("runqlat", "bpftrace counter"):
        if mine and cost.get(name):
            ctx.add("tracer", f"BPF sched_switch cost vs {name}'s", mine / cost[name], "x",
                note="same run: the figure that carries across machines")
    bench_clock_ratio(ctx, argv)


def bench_clock_ab(ctx, builds):
    """--ab: only sched_switch's and sched_waking's cost against the clock,
    for each of several tracer builds, in the same passes."""
    bench_clock_ratio(ctx, [PINGPONG, "--unit", "thread", "--ipc", "futex", "--cpus", "same",
                            "--rounds", str(ctx.cfg["bpf"])], builds)


def unwind_cpu(ctx, name, path, how):
    """--unwind's work in tracer: its CPU while the command ran, per wait."""
    import csv
    with open(path, newline="") as f:
        row = next(csv.DictReader(f))
    waits = int(row["stack_waits"])
    if waits:
        ctx.add(name, "tracer's CPU per wait, unwinding",
                float(row["tracer_cpu_run_s"]) * 1e9 / waits, "ns", note=f"{waits} waits; {how}")


def ns_per_run(before, after, name):
    """A program's ns/run between two `bpftool prog show -j` snapshots."""
    b = {p.get("name"): p for p in json.loads(before)}
    a = {p.get("name"): p for p in json.loads(after)}
    if name not in a:
        raise Failed(f"no program {name} attached")
    cnt = a[name].get("run_cnt", 0) - b.get(name, {}).get("run_cnt", 0)
    t = a[name].get("run_time_ns", 0) - b.get(name, {}).get("run_time_ns", 0)
    if cnt <= 0:
        raise Failed(f"{name} did not run")
    return t / cnt


def clock_ab_rows(ctx, builds, vals, errs):
    """--ab: per build, sched_switch and sched_waking against the clock-only
    programs in one run (geometric mean of the two orders, per pass), and
    each build after the first against it, pass by pass."""
    geo = {}
    for b in builds:
        ff, tf = vals[f"{b}\0floor first"], vals[f"{b}\0tracer first"]
        for i, prog in enumerate(("sched_switch", "sched_waking")):
            g = [math.sqrt(x[i] / x[i + 2] * y[i] / y[i + 2]) if x and y else None
                 for x, y in zip(ff, tf)]
            geo[b, prog] = g
            if not ok(g):
                ctx.skip(b, f"{prog} / clock-only, one run",
                         errs.get(f"{b}\0floor first") or errs.get(f"{b}\0tracer first", "no run"))
                continue
            ns = [v[i] for v in ok(ff) + ok(tf)]
            ctx.add(b, f"{prog} / clock-only, one run", median(ok(g)), "x",
                    note=f"{median(ns):.1f} ns a run; geometric mean of the two orders, "
                    f"{len(ok(g))} passes ({min(ok(g)):.3f}-{max(ok(g)):.3f})")
    for b in builds[1:]:
        for prog in ("sched_switch", "sched_waking"):
            r = [x / y for x, y in zip(geo[b, prog], geo[builds[0], prog]) if x and y]
            if r:
                ctx.add(b, f"{prog} / clock-only, against {builds[0]}", median(r), "x",
                        note="median of per-pass ratios of the two builds' ratios")


def bench_clock_ratio(ctx, argv, builds=()):
    """tracer's sched_switch and sched_waking against programs that only
    read the clock (the floor) on the same workload, in bpf_stats ns/run
    over the workload alone: in separate runs (each alone on its hooks),
    alternating in the same passes; and in one run with both attached, in
    each order (the one that runs second pays less for its clock read).
    builds (--ab): tracer binaries side by side, in one run each order."""
    if floor_missing() or not ctx.tools["bpftool"]:
        for b in builds or ["tracer"]:
            ctx.skip(b, "sched_switch / clock-only", floor_missing() or "no bpftool")
        return
    sysctl = "/proc/sys/kernel/bpf_stats_enabled"
    names = ("handle_sched_switch", "handle_sched_waking", "switch_clock", "waking_clock")
    b4, af, fout = (os.path.join(ctx.tmp, f) for f in ("cr-before", "cr-after", "cr-floor"))
    # inside `tracer run`: the floor attached after tracer if asked, then
    # the workload between two snapshots of every program's counters
    script = ('if [ -n "$B_FLOOR" ]; then "$B_FLOOR" switch_clock waking_clock > "$B_FOUT" & '
              'fl=$!; i=0; until grep -q ready "$B_FOUT" || [ $i -gt 300 ]; do '
              'sleep 0.05; i=$((i+1)); done; fi; '
              '"$B_BPFTOOL" prog show -j > "$B_BEFORE"; "$0" "$@" >/dev/null || exit; '
              '"$B_BPFTOOL" prog show -j > "$B_AFTER"; [ -z "$fl" ] || kill $fl')

    def traced(floor_inside, tracer=TRACER):
        env = dict(os.environ, B_FLOOR=FLOOR if floor_inside else "", B_FOUT=fout,
                   B_BPFTOOL=ctx.tools["bpftool"], B_BEFORE=b4, B_AFTER=af)
        run([tracer, "run", "--", "sh", "-c", script, *argv], env=env)
        return open(b4).read(), open(af).read()

    def alone():
        t = traced(False)
        with floor_bg(ctx, "switch_clock", "waking_clock"):
            before = bpftool_progs(ctx)
            run(argv)
            f = (before, bpftool_progs(ctx))
        return [ns_per_run(*t, n) for n in names[:2]] + [ns_per_run(*f, n) for n in names[2:]]

    def floor_first(tracer=TRACER):
        with floor_bg(ctx, "switch_clock", "waking_clock"):
            t = traced(False, tracer)
        return [ns_per_run(*t, n) for n in names]

    def tracer_first(tracer=TRACER):
        t = traced(True, tracer)
        return [ns_per_run(*t, n) for n in names]

    with open(sysctl) as f:
        prev = f.read().strip()
    log(f"clock ratio: {ctx.cfg['runs']} passes, {ctx.cfg['bpf']} futex round trips"
        + (f", builds {', '.join(builds)}" if builds else ""))
    if builds:	# --ab: each build in both orders, all in the same passes
        runs = [(f"{b}\0{o}", partial(fn, b)) for b in builds
                for o, fn in (("floor first", floor_first), ("tracer first", tracer_first))]
    else:
        runs = [("alone", alone), ("floor first", floor_first), ("tracer first", tracer_first)]
    try:
        with open(sysctl, "w") as f:
            f.write("1")
        vals, errs = interleave(ctx, runs, ctx.cfg["runs"], lambda x: x)
    finally:
        with open(sysctl, "w") as f:
            f.write(prev)
    if builds:
        clock_ab_rows(ctx, builds, vals, errs)
        return
    for i, (prog, target) in enumerate((("sched_switch", 1.5), ("sched_waking", 1.3))):
        ratio = {m: [v[i] / v[i + 2] if v else None for v in vals[m]] for m in vals}
        for m, how in (("alone", "separate runs, the same passes"),
                       ("floor first", "one run, the floor attached first"),
                       ("tracer first", "one run, tracer attached first")):
            if not ok(ratio[m]):
                ctx.skip("tracer", f"{prog} / clock-only, {how}", errs.get(m, "no run"))
                continue
            ctx.add("tracer", f"{prog} / clock-only, {how}", median(ratio[m]), "x",
                note=f"{median([v[i] for v in ok(vals[m])]):.1f} ns against "
                f"{median([v[i + 2] for v in ok(vals[m])]):.1f} ns")
        both = [math.sqrt(x * y) for x, y in zip(ratio["floor first"], ratio["tracer first"])
                if x and y]
        if both:
            ctx.add("tracer", f"{prog} / clock-only, one run", median(both), "x",
                Target("<=", target), "geometric mean of the two orders, per pass")
