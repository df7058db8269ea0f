# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Section loss: events lost at the top rates, and the export's throughput."""
import csv
import os
import resource
from .context import Failed, PINGPONG, TRACER, Target, log, median, run, run_rss
from .peers import tracer_has_events


def csv_row(path):
    with open(path, newline="") as f:
        return next(csv.DictReader(f))


def bench_loss(ctx):
    ncpu = len(os.sched_getaffinity(0))
    cpus = sorted(os.sched_getaffinity(0))[:2]
    jobs = " ".join(f'taskset -c {c} "$0" "$@" >/dev/null &' for c in cpus)
    argv = ["sh", "-c", jobs + " wait", PINGPONG, "--unit", "thread", "--cpus", "same",
            "--rounds", str(ctx.cfg["loss"])]
    where = f"{len(cpus)} pinned futex ping-pongs, one per CPU" + (
        "" if ncpu >= 2 else " (only one CPU here)")
    log(f"loss: {where}, {ctx.cfg['loss']} round trips each")
    modes = [("tracer", [])]
    if tracer_has_events():
        for ext in ("csv", "csv.gz"):
            modes.append((f"tracer --events {ext}",
                          ["--events", os.path.join(ctx.tmp, "loss-ev." + ext)]))
    else:
        ctx.skip("tracer --events csv", "events lost at max rate", "tracer has no --events yet")
    for name, extra in modes:
        f = os.path.join(ctx.tmp, "loss.csv")
        try:
            run([TRACER, "run", "--csv", f, *extra, "--", *argv])
            r = csv_row(f)
        except (Failed, OSError, StopIteration) as e:
            ctx.skip(name, "events lost at max rate", str(e))
            continue
        rate = f"{float(r['switches_per_s']):.0f} switches/s, {where}"
        if "events_lost" in r:
            ctx.add(name, "events lost at max rate", int(r["events_lost"]), "count",
                Target("=", 0), rate)
        else:
            ctx.skip(name, "events lost at max rate", "tracer reports no events_lost yet")
        # summary mode counts in the kernel: a loss would show as fewer
        # switches than the kernel's own rusage (plus each exited thread's
        # final switch, which rusage leaves out)
        want = (int(r["rusage_switches_voluntary"]) + int(r["threads_exited"])
                + int(r["rusage_switches_involuntary"]))
        ctx.add(name, "switches missed vs kernel rusage", max(0, want - int(r["switches"])),
            "count", Target("=", 0), f"{r['switches']} counted; {rate}")
        ctx.add(name, "tasks untracked (task map full)", int(r["tasks_untracked"]), "count",
            Target("=", 0))
        if extra:
            read_back(ctx, name, extra[1], int(r["events_written"]))
    bench_storm(ctx)


def read_back(ctx, name, ev, n):
    """tracer report of a scheduler trace (switches and wakings: the rows a
    run's file is made of), one CPU; the storm's file below is futex calls.
    The median of 3 reads: a quick run's file takes a tenth of a second."""
    fig = "tracer report: events/s reading a scheduler trace back"
    try:
        rep_s = median([run_rss([TRACER, "report", ev])[0] for _ in range(3)])
        size = os.path.getsize(ev)
    except (Failed, OSError) as e:
        ctx.skip(name, fig, str(e))
        return
    finally:
        if os.path.exists(ev):
            os.unlink(ev)
    if n:
        ctx.add(name, fig, n / rep_s, "events/s", Target(">=", 2e6),
                f"{n} events, {size / 2**20:.0f} MiB in {rep_s:.2f} s (wall, median of 3 reads)")


def bench_storm(ctx):
    """Export throughput: perf bench futex hash on every CPU, each call of
    it one event (a futex wait that returns EAGAIN, seen with --syscalls),
    while tracer captures them all; its reader shares the CPUs with the
    storm. The outputs are written from the capture after the storm."""
    if not ctx.tools["perf"] or not tracer_has_events():
        ctx.skip("tracer --events", "events/s written, futex storm", "needs perf and --events")
        return
    ncpu = len(os.sched_getaffinity(0))
    argv = [ctx.tools["perf"], "bench", "futex", "hash", "-t", str(ncpu), "-r", str(ctx.cfg["storm"])]
    log(f"export throughput: {' '.join(argv[1:])}")
    for ext in ("csv", "csv.gz"):
        name, ev, f = f"tracer --events {ext}", os.path.join(ctx.tmp, "storm." + ext), \
            os.path.join(ctx.tmp, "storm-summary.csv")
        try:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            # the file is written after the storm: ~3 s of it a storm second (.gz)
            run([TRACER, "run", "--syscalls", "--events", ev, "--csv", f, "--", *argv],
                timeout=ctx.cfg["storm"] * 10 + 60)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            r = csv_row(f)
            size = os.path.getsize(ev)
            # reading it back: tracer report, one CPU, its peak RSS
            rep_s, rep_kib = run_rss([TRACER, "report", ev])
        except (Failed, OSError, StopIteration) as e:
            ctx.skip(name, "events/s written, futex storm", str(e))
            continue
        finally:
            if os.path.exists(ev):
                os.unlink(ev)
        n, wall = int(r["events_written"]), float(r["wall_s"])
        where = f"perf bench futex hash -t {ncpu}, {ctx.cfg['storm']} s, default ring"
        ctx.add(name, "events/s captured, futex storm", n / wall, "events/s", Target(">=", 1e6),
            f"{n} events in {wall:.2f} s; {where}")
        ctx.add(name, "events lost, futex storm", int(r["events_lost"]), "count",
            Target("=", 0), f"{size / max(n, 1):.1f} bytes/event in the file")
        if n:
            ctx.add(name, "tracer report: events/s reading the file back", n / rep_s, "events/s",
                Target(">=", 2e6), f"{n} events, {size / 2**20:.0f} MiB in {rep_s:.2f} s")
            ctx.add(name, "tracer report: peak RSS reading the file back", rep_kib / 1024, "MiB",
                note=f"a file of {size / 2**20:.0f} MiB: the memory of the figures, not of the file")
        # tracer's own CPU time, as it measures it (all its threads; BPF
        # time is charged to the workload's tasks): while the storm ran
        # (reading the ring, appending to the capture), then writing the
        # file from the capture
        run_s, post_s = float(r["tracer_cpu_run_s"]), float(r["tracer_cpu_post_s"])
        if n:
            ctx.add(name, "tracer's CPU per event while the command ran", run_s / n * 1e9, "ns",
                Target("<=", 50), "reading the ring into the capture file")
            ctx.add(name, "tracer's CPU per event writing the file after", post_s / n * 1e9, "ns",
                note=f"{post_s:.1f} s after the command, {n / max(post_s, 1e-9):.0f} events/s")
        # the whole tree's CPU less the workload's: the same, from outside
        cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
               - float(r["cpu_user_s"]) - float(r["cpu_sys_s"]))
        if n and cpu > 0:
            ctx.add(name, "tracer's CPU per event, all of it", cpu / n * 1e9, "ns",
                note="getrusage of tracer less the workload's: a check on the two above")
    bench_gz_size(ctx)


def bench_gz_size(ctx):
    """The gzip event file's size per event of a ping-pong trace."""
    rounds = ctx.cfg["rt"]
    for wl in ("thread-pingpong", "process-pingpong"):
        ev, f = os.path.join(ctx.tmp, "pp.csv.gz"), os.path.join(ctx.tmp, "pp-summary.csv")
        try:
            run([TRACER, "run", wl, "--rounds", str(rounds), "--events", ev, "--csv", f])
            n, size = int(csv_row(f)["events_written"]), os.path.getsize(ev)
        except (Failed, OSError, StopIteration, KeyError) as e:
            ctx.skip("tracer --events csv.gz", f"bytes per event, {wl}", str(e))
            continue
        finally:
            if os.path.exists(ev):
                os.unlink(ev)
        ctx.add("tracer --events csv.gz", f"bytes per event, {wl}", size / max(n, 1), "bytes",
            Target("<=", 20), f"{n} events, {rounds} round trips")
