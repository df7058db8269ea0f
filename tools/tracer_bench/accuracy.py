# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Section accuracy: tracer's hand-off and switch counts against perf's."""
import os
import re
from .context import Failed, PINGPONG, TRACER, Target, log, median, result_of, run
from .passes import failures, interleave, ok, paired
from .loss import csv_row


def perf_bench(ctx, threads):
    def runner():
        cmd = ["taskset", "-c", str(min(os.sched_getaffinity(0))), ctx.tools["perf"],
               "bench", "sched", "pipe", "-l", str(ctx.cfg["acc"])] + (["-T"] if threads else [])
        m = re.search(r"([\d.]+)\s+usecs/op", run(cmd))
        if not m:
            raise Failed("no usecs/op in perf bench's output")
        return float(m.group(1)) * 1000 / 2
    return runner


def tracer_pp(ctx, unit):
    def runner():
        res = result_of(run([TRACER, "run", "--", PINGPONG, "--unit", unit, "--ipc", "pipe",
                             "--cpus", "same", "--rounds", str(ctx.cfg["acc"])]))
        return float(res["handoff_ns"])
    return runner


def bench_accuracy(ctx):
    pairs = [("process", "perf bench sched pipe", False),
             ("thread", "perf bench sched pipe -T", True)]
    cont = []
    for unit, peer, threads in pairs:
        cont.append((f"tracer: pingpong {unit} pipe", tracer_pp(ctx, unit)))
        if ctx.tools["perf"]:
            cont.append((peer, perf_bench(ctx, threads)))
        else:
            ctx.skip(peer, "ns per hand-off, pinned", "perf is not installed")
    log(f"accuracy: {ctx.cfg['runs']} passes, {ctx.cfg['acc']} pipe round trips, one CPU")
    vals, errs = interleave(ctx, cont, ctx.cfg["runs"], float)
    for unit, peer, _ in pairs:
        me = f"tracer: pingpong {unit} pipe"
        for name in (me, peer):
            if name not in vals:
                continue
            if ok(vals[name]):
                ctx.add(name, "ns per hand-off, pinned", median(vals[name]), "ns",
                    note="half a pipe round trip; " + (
                        "under tracer, the workload's handoff_ns" if name == me
                        else "usecs/op / 2, taskset to one CPU")
                    + failures(vals[name], errs, name))
            else:
                ctx.skip(name, "ns per hand-off, pinned", errs.get(name, "no run"))
        if ok(vals.get(me, [])) and ok(vals.get(peer, [])):
            ctx.add(me, f"hand-off vs {peer}",
                (paired(vals[me], vals[peer], lambda x, y: x / y) - 1) * 100, "%",
                Target("abs<=", 10), "median of per-pass ratios, traced vs untraced peer")
    bench_counts(ctx)


def bench_counts(ctx):
    """Switch counts: perf stat counts the command it runs (inherited by its
    children and threads, from exec on); tracer counts the whole tree, so
    perf stat itself too. Run perf stat inside tracer, and subtract perf's
    own switches, measured the same way on `true` in the same pass."""
    if not ctx.tools["perf"]:
        ctx.skip("tracer", "switch count vs perf stat", "perf is not installed")
        return

    def nested(cmd):
        c, o = os.path.join(ctx.tmp, "cnt.csv"), os.path.join(ctx.tmp, "perfstat.txt")
        run([TRACER, "run", "--csv", c, "--", ctx.tools["perf"], "stat", "-e",
             "context-switches", "-x,", "-o", o, "--", *cmd])
        m = re.search(r"^(\d+),[^,]*,context-switches", open(o).read(), re.M)
        if not m:
            raise Failed("no context-switches count in perf stat's output")
        return int(csv_row(c)["switches"]), int(m.group(1))

    wl = [PINGPONG, "--unit", "thread", "--cpus", "same", "--rounds", str(ctx.cfg["cnt"])]
    log(f"switch counts: tracer around perf stat, {ctx.cfg['runs']} passes")
    vals, errs = interleave(ctx, [("own", lambda: nested(["true"])), ("wl", lambda: nested(wl))],
                            ctx.cfg["runs"], lambda x: x)
    both = [(w, o) for w, o in zip(vals["wl"], vals["own"]) if w and o]
    if not both:
        ctx.skip("tracer", "switch count vs perf stat", errs.get("wl") or errs.get("own", "no run"))
        return
    excess = [(t - p - (to - po)) / p * 100 for (t, p), (to, po) in both]
    ctx.add("perf stat", "context switches, pingpong thread", median([p for (_, p), _ in both]),
        "count", note=f"{ctx.cfg['cnt']} round trips; median of {len(both)}")
    ctx.add("tracer", "context switches, perf stat + pingpong", median([t for (t, _), _ in both]),
        "count", note="the whole tree, perf stat included")
    ctx.add("tracer", "perf stat's own switches", median([t - p for _, (t, p) in both]),
        "count", note="tracer around `perf stat -- true`, minus perf's count")
    ctx.add("tracer", "switch count vs perf stat", median(excess), "%", Target("abs<=", 1),
        "(tracer - perf stat - perf's own) / perf stat, per pass; "
        "harness's bound, the issue sets none")
