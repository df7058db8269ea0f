# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""A bench run: its settings, the rows it has measured, running commands."""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TRACER = str(ROOT / "tracer")
PINGPONG = str(ROOT / ".output" / "workloads" / "pingpong")
FLOOR = str(ROOT / ".output" / "floor")	# tools/floor: do-nothing programs
SETTLE_S = 0.2	# between runs: let the previous one's teardown finish
COLUMNS = ["contender", "figure", "value", "unit", "target", "met", "note"]

# Per mode: interleaved passes, workload sizes, and the wall-time budget
# after which remaining passes are dropped (a full run takes ~810 s, a quick ~100 s).
MODES = {
    "default": dict(runs=11, rt=50000, acc=50000, cnt=50000, bpf=300000,
                    loss=150000, coro=10000000, budget=800, storm=30),
    "quick": dict(runs=3, rt=20000, acc=20000, cnt=20000, bpf=100000,
                  loss=50000, coro=2000000, budget=100, storm=2),
    "smoke": dict(runs=1, rt=200, acc=200, cnt=200, bpf=1000,
                  loss=500, coro=1000, budget=50, storm=1),
}

PEERS = {"perf": "linux-perf", "bpftrace": "bpftrace", "runqlat": "libbpf-tools"}
BPFTRACE_COUNTER = ("tracepoint:sched:sched_switch { @[cpu] = count(); } "
                    'BEGIN { printf("ready\\n"); }')


class Failed(Exception):
    """A contender could not run: its rows are skipped with this reason."""


class Target:
    def __init__(self, op, limit):
        self.op, self.limit = op, limit

    def __str__(self):
        return {"<=": "<= %g", "<": "< %g", ">=": ">= %g", "=": "= %g",
                "abs<=": "|x| <= %g"}[self.op] % self.limit

    def met(self, v):
        if self.op == "<=":
            return v <= self.limit
        if self.op == "<":
            return v < self.limit
        if self.op == ">=":
            return v >= self.limit
        if self.op == "=":
            return v == self.limit
        return abs(v) <= self.limit


class Bench:
    """One bench run: its mode's sizes (cfg), its scratch directory, the
    peers found, the peers running now, and the rows measured so far."""

    def __init__(self, cfg=None):
        self.cfg = cfg
        self.rows = []
        self.t0 = time.monotonic()
        self.tmp = None
        self.tools = {}
        self.background = []
        self.share = 1.0        # the part of the budget the current section may run until
        self.section = ""

    def add(self, contender, figure, value, unit, target=None, note=""):
        met = "n/a" if target is None else ("yes" if target.met(value) else "no")
        self.rows.append(dict(contender=contender, figure=figure, value=value, unit=unit,
                              target=str(target) if target else "", met=met, note=note,
                              section=self.section))

    def skip(self, contender, figure, why):
        log(f"skip: {contender}: {figure}: {why}")
        self.rows.append(dict(contender=contender, figure=figure, value=None, unit="",
                              target="", met="n/a", note="skipped: " + why,
                              section=self.section))

    def out_of_time(self):
        return time.monotonic() - self.t0 > self.cfg["budget"] * self.share


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def last_line(text):
    lines = [l for l in (text or "").strip().splitlines() if l.strip()]
    return lines[-1].strip() if lines else "no message"


def run(cmd, timeout=120, env=None):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=timeout, env=env)
    except FileNotFoundError:
        raise Failed(f"{cmd[0]} not found")
    except subprocess.TimeoutExpired:
        raise Failed(f"{Path(cmd[0]).name} took more than {timeout} s")
    if p.returncode != 0:
        raise Failed(f"{Path(cmd[0]).name} exited {p.returncode}: {last_line(p.stderr)}")
    return p.stdout


def result_of(out):
    """The workload's 'result: key=value ...' line as a dict."""
    for line in out.splitlines():
        if line.startswith("result: "):
            return dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
    raise Failed("no result line in the workload's output")


def run_rss(cmd):
    """Run cmd, its output thrown away: wall seconds and its peak RSS in KiB
    (wait4: cmd alone, not the other children of this run)."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read().decode(errors="replace")
    _, status, ru = os.wait4(p.pid, 0)
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise Failed(f"{Path(cmd[0]).name} exited {os.waitstatus_to_exitcode(status)}: "
                     f"{last_line(err)}")
    return time.monotonic() - start, ru.ru_maxrss


def run_started(ctx, cmd):
    """Run cmd, whose command prints `date +%s.%N` as it starts: seconds
    from spawn to that start, total wall seconds, and peak RSS in KiB (the
    max over cmd and the children it reaped, from wait4)."""
    with tempfile.TemporaryFile(dir=ctx.tmp) as err:
        spawned, start = time.time(), time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        out = p.stdout.read().decode(errors="replace")
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - start
        p.stdout.close()
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            err.seek(0)
            raise Failed(f"{Path(cmd[0]).name} exited {p.returncode}: "
                         f"{last_line(err.read().decode(errors='replace'))}")
    m = re.search(r"^(\d+\.\d+)$", out, re.M)
    if not m:
        raise Failed("the command's start time is missing from the output")
    return float(m.group(1)) - spawned, wall, ru.ru_maxrss
