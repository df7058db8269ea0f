# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Sections startup and coroutine: time to the command, RSS, user-space switches."""
import os
import shutil
from .context import BPFTRACE_COUNTER, Failed, PINGPONG, TRACER, Target, log, median, result_of, run, run_started
from .passes import failures, interleave, ok, paired
from .peers import tracefs_ready


def bench_startup(ctx):
    """Attach time: from spawning X to the first instruction of the command
    it runs, less the same for the command alone. `date` tells when it
    started; what each tool does after the command (detach, write, report)
    shows in the second figure, the wall time."""
    date = [shutil.which("date") or "/bin/date", "+%s.%N"]
    cont = [("untraced", date), ("tracer", [TRACER, "run", "--", *date]),
            ("tracer --syscalls", [TRACER, "run", "--syscalls", "--", *date])]
    if ctx.tools["perf"]:
        cont.append(("perf sched record", [ctx.tools["perf"], "sched", "record", "-q", "-o",
                                           os.path.join(ctx.tmp, "st.data"), "--", *date]))
    else:
        ctx.skip("perf sched record", "attach", "perf is not installed")
    if ctx.tools["bpftrace"] and tracefs_ready():
        # -c: bpftrace runs the command once its probes are attached
        cont.append(("bpftrace counter", [ctx.tools["bpftrace"], "-e", BPFTRACE_COUNTER,
                                          "-c", " ".join(date)]))
    else:
        ctx.skip("bpftrace counter", "attach", "bpftrace cannot run here")
    runs = max(ctx.cfg["runs"], 3) if ctx.cfg["runs"] > 1 else 1
    log(f"startup: {runs} passes of {len(cont)}")
    vals, errs = interleave(ctx, [(n, (lambda c=c: run_started(ctx, c))) for n, c in cont],
                            runs, lambda x: x)
    base = vals["untraced"]
    for name, _ in cont[1:]:
        if not ok(vals[name]) or not ok(base):
            ctx.skip(name, "attach", errs.get(name, "no run"))
            continue
        anchor = {"tracer": "", "tracer --syscalls": "", "perf sched record": "",
                  "bpftrace counter": "; issue anchor ~1 s or more"}[name]
        ctx.add(name, "attach: start to command start",
            paired(vals[name], base, lambda x, y: (x[0] - y[0]) * 1000), "ms",
            Target("<=", 100) if name == "tracer" else None,
            "spawn to the command's first instruction, less that of `date` alone" + anchor
            + failures(vals[name], errs, name))
        ctx.add(name, "wall, start to exit", paired(vals[name], base,
                                                lambda x, y: (x[1] - y[1]) * 1000), "ms",
            Target("<=", 150) if name == "tracer" else None,
            "of `X -- date`, less `date` alone: attach + detach + report"
            + ("; detaching classic tracepoints waits for RCU" if name == "tracer --syscalls"
               else ""))
        ctx.add(name, "peak RSS", max(x[2] for x in ok(vals[name])) / 1024, "MiB",
            Target("<=", 20) if name == "tracer" else None,
            "wait4 ru_maxrss" + (", summary mode" if name == "tracer" else ""))


def bench_coroutine(ctx):
    try:
        has = "coroutine" in run([PINGPONG, "--help"])
    except Failed:
        has = False
    if not has:
        for impl in ("asm", "ucontext"):
            ctx.skip(f"coroutine {impl}", "ns per switch", "pingpong has no --unit coroutine yet")
        return

    # ucontext is ~100x slower: a tenth of the rounds keeps its runs short
    rounds = {"asm": ctx.cfg["coro"], "ucontext": max(ctx.cfg["coro"] // 10, 1)}

    def runner(impl):
        def go():
            res = result_of(run([PINGPONG, "--unit", "coroutine", "--impl", impl,
                                 "--rounds", str(rounds[impl])]))
            if "ns_per_switch" not in res:
                raise Failed("no ns_per_switch in the coroutine result line")
            return float(res["ns_per_switch"])
        return go

    log(f"coroutine: {ctx.cfg['runs']} passes, {rounds['asm']} and {rounds['ucontext']} rounds")
    vals, errs = interleave(ctx, [(i, runner(i)) for i in ("asm", "ucontext")],
                            ctx.cfg["runs"], float)
    anchors = {"asm": "anchors: Boost fcontext ~9 ns, libaco ~10 ns, floor ~3 ns",
               "ucontext": "anchor: glibc swapcontext ~230-550 ns"}
    for impl in ("asm", "ucontext"):
        if ok(vals[impl]):
            ctx.add(f"coroutine {impl}", "ns per switch", median(vals[impl]), "ns",
                Target("<=", 5) if impl == "asm" else None, anchors[impl])
        else:
            ctx.skip(f"coroutine {impl}", "ns per switch", errs.get(impl, "no run"))
    if ok(vals["asm"]) and ok(vals["ucontext"]):
        ctx.add("coroutine ucontext", "ucontext / asm", paired(vals["ucontext"], vals["asm"],
                                                           lambda x, y: x / y), "x")
