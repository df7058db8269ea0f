# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The command line and the order of the sections."""
import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from .context import MODES, PINGPONG, TRACER, Bench, log
from .peers import install_peers
from .sections import SECTIONS
from .cost import bench_clock_ab
from .overhead import bench_rt_ab
from .output import check_readme, machine, print_table, write_csv, write_markdown, write_readme


def on_term(*_):
    raise KeyboardInterrupt


def main():
    ap = argparse.ArgumentParser(
        prog="tools/bench",
        description="tracer's overhead, BPF cost, loss, accuracy, startup and footprint, "
        "side by side with perf, runqlat and bpftrace (installed from Debian when missing). "
        "Contenders alternate within each pass; figures are medians and per-pass ratios.",
        epilog="Sections: overhead, accuracy, startup, coroutine, bpf-cost, loss. "
        "Needs root. Default run < 10 min, --quick < 2 min, --smoke < 1 min.")
    ap.add_argument("--quick", action="store_true", help="3 passes, smaller workloads")
    ap.add_argument("--smoke", action="store_true",
                    help="each contender once on a tiny workload (for tests; figures meaningless)")
    ap.add_argument("--csv", metavar="FILE", help="write one row per figure to FILE")
    ap.add_argument("--markdown", metavar="FILE", help="write docs/performance.md")
    ap.add_argument("--readme", metavar="FILE",
                    help="rewrite the block of FILE (README.md) between its "
                    "'<!-- make bench: targets -->' markers: the figures with a target")
    ap.add_argument("--no-install", action="store_true",
                    help="do not apt-get install missing peers; skip them")
    ap.add_argument("--only", metavar="LIST",
                    help="comma-separated sections to run (default: all)")
    ap.add_argument("--ab", metavar="BUILDS",
                    help="comma-separated tracer binaries: only their sched_switch and "
                    "sched_waking cost against a clock-only program, in the same passes "
                    "(the first is the reference)")
    ap.add_argument("--ab-rt", metavar="BUILDS",
                    help="comma-separated tracer binaries: only the pinned ping-pongs' round "
                    "trips under each, in summary mode and with --events, in the same passes "
                    "(the first is the reference)")
    a = ap.parse_args()

    mode = "smoke" if a.smoke else "quick" if a.quick else "default"
    ctx = Bench(MODES[mode])
    sections = [name for name, _, _, _ in SECTIONS]
    only = a.only.split(",") if a.only else list(sections)
    for s in only:
        if s not in sections:
            ap.error(f"--only: unknown section '{s}' (one of {', '.join(sections)})")
    if a.ab and a.ab_rt:
        ap.error("--ab and --ab-rt: one at a time")
    opt = "--ab-rt" if a.ab_rt else "--ab"
    builds = (a.ab or a.ab_rt).split(",") if a.ab or a.ab_rt else []
    for b in builds:
        if not os.path.isfile(b) or not os.access(b, os.X_OK):
            ap.error(f"{opt}: '{b}' is not an executable file")
    if len({os.path.realpath(b) for b in builds}) < len(builds):
        ap.error(f"{opt}: a build is named twice (copy it to compare it with itself)")
    if builds and (a.only or a.markdown or a.readme):
        ap.error(f"{opt} runs no section and writes no page: drop --only, --markdown and --readme")
    if a.readme and check_readme(a.readme):
        ap.error(check_readme(a.readme))
    if os.geteuid() != 0:
        print("tools/bench: needs root (BPF, perf, sysctl)", file=sys.stderr)
        return 1
    for f in (TRACER, PINGPONG):
        if not os.access(f, os.X_OK):
            print(f"tools/bench: {f} is missing: run make first", file=sys.stderr)
            return 1
    if a.csv:
        open(a.csv, "w").close()        # a bad path fails now, not after minutes

    signal.signal(signal.SIGTERM, on_term)
    install_peers(ctx, not a.no_install)
    with open("/proc/sys/kernel/bpf_stats_enabled") as f:
        if f.read().strip() != "0":
            log("warning: kernel.bpf_stats_enabled is already on: every BPF peer pays ~60 ns/run")
    ctx.tmp = tempfile.mkdtemp(prefix="tracer-bench.")
    status = 0
    try:
        for ctx.section, fn, ctx.share, _ in SECTIONS:
            if builds and a.ab and ctx.section == "bpf-cost":
                bench_clock_ab(ctx, builds)
            elif builds and a.ab_rt and ctx.section == "overhead":
                bench_rt_ab(ctx, builds)
            elif ctx.section in only and not builds:
                fn(ctx)
    except KeyboardInterrupt:
        log("interrupted: partial table")
        status = 130
    finally:
        for p in list(ctx.background):
            p.kill()
            p.wait()
        shutil.rmtree(ctx.tmp, ignore_errors=True)
    elapsed = time.monotonic() - ctx.t0
    print_table(ctx)
    print(f"({mode} run, {elapsed:.0f} s; {machine()})")
    if a.csv:
        write_csv(ctx, a.csv)
    if a.markdown:
        write_markdown(ctx, a.markdown, mode, elapsed)
    if a.readme:
        write_readme(ctx, a.readme, mode, elapsed)
    return status
