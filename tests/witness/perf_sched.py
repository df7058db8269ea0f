#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""perf's view of a traced run, for tests/witness_sched.bats.

usage: perf_sched.py PERF_DATA TRACER_PID EVENTS_CSV SUMMARY_CSV [LO_PID]

PERF_DATA is a system-wide `perf record` of the sched tracepoints around
`tracer run`, whose pid is TRACER_PID. Everything on perf's side comes from
perf's own records, read back with `perf script`: the tree (perf's fork
records: the children of tracer's process that are not its threads, and
every task they create), the wakings (sched:sched_waking samples, and
sched:sched_wakeup), the switches (sched:sched_switch with perf's prev_state
letters: R and R+ still runnable) and perf's clock (sched_clock, not
tracer's CLOCK_MONOTONIC). tracer's event and summary CSVs are read only to
compare with. LO_PID: the perf recording was filtered to pids >= LO_PID; a
tree task below it (pid_max wrapped) makes the recording unusable.

Prints one line of key=value figures (for the `kv` helper), then both sides'
counts per task and per waker/wakee pair. Percentiles of perf's side are
exact, nearest rank (the value at rank ceil(n * p / 100)): tracer's pick the
histogram slot holding that same rank and report the slot's middle.
"""
import csv
import gzip
import math
import os
import re
import subprocess
import sys
from collections import Counter

perf_data, tracer_pid, events_csv, summary_csv = sys.argv[1:5]
tracer_pid = int(tracer_pid)
lo_pid = int(sys.argv[5]) if len(sys.argv) > 5 else 0
PERF = os.environ.get("PERF", "perf")

# "  PID/TID [CPU] SEC.NSEC: EVENT: FIELDS" (-F pid,tid,cpu,time,event,trace)
LINE = re.compile(r"^\s*(-?\d+)/(-?\d+)\s+\[(\d+)\]\s+(\d+)\.(\d{9}):\s+(\S+?):?\s+(.*)$")
FORK = re.compile(r"PERF_RECORD_FORK\((\d+):(\d+)\):\((\d+):(\d+)\)")
LOST = re.compile(r"PERF_RECORD_LOST(?:_SAMPLES)?\D*(\d+)")
SWITCH = re.compile(r" prev_pid=(\d+) prev_prio=-?\d+ prev_state=(\S+) ==> .* next_pid=(\d+) next_prio=-?\d+$")
WAKE = re.compile(r" pid=(\d+) prio=-?\d+ target_cpu=\d+$")


def rank(vals, p):
    """nearest rank, as tracer's hist_percentile picks its slot"""
    return max(1, math.ceil(len(vals) * p / 100.0))


def at(vals, k):
    """the value at rank k (1-based), clamped to the ranks there are"""
    return vals[min(len(vals), max(1, k)) - 1] if vals else 0


def pct(vals, p):
    return at(vals, rank(vals, p))


class Delays:
    """runqlat's bookkeeping: per task, how it last left a CPU ('R' still
    runnable, 'S' any sleep, None before its first run), when, and its
    latest waking since it last got on a CPU (the latest wins, as in
    tracer and runqlat)"""

    def __init__(self):
        self.out_state, self.out_ts, self.wake_ts, self.new_ts = {}, {}, {}, {}
        self.wake, self.preempt, self.new = [], [], []   # (tid, ns)
        self.unmatched = 0

    def born(self, tid):
        self.out_state[tid] = None

    def waking(self, tid, t):
        self.wake_ts[tid] = t

    def wakeup_new(self, tid, t):
        self.new_ts[tid] = t

    def switch_out(self, tid, runnable, t):
        self.out_state[tid] = "R" if runnable else "S"
        self.out_ts[tid] = t

    def switch_in(self, tid, t):
        st = self.out_state.get(tid)
        if st == "R":
            self.preempt.append((tid, t - self.out_ts[tid]))
        elif st == "S":
            if tid in self.wake_ts:
                self.wake.append((tid, t - self.wake_ts[tid]))
            else:
                self.unmatched += 1
        elif tid in self.new_ts:
            self.new.append((tid, t - self.new_ts.pop(tid)))
        self.out_state[tid] = "on"
        self.wake_ts.pop(tid, None)


# perf's side
proc = subprocess.Popen(
    [PERF, "script", "-i", perf_data, "--ns", "--show-task-events",
     "--show-lost-events", "-F", "pid,tid,cpu,time,event,trace"],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    errors="replace")
tree = set()
wakings, wakeups, pairs = Counter(), Counter(), Counter()
lost = 0
D = Delays()
for line in proc.stdout:
    if "PERF_RECORD_LOST" in line:
        m = LOST.search(line)
        lost += int(m.group(1)) if m else 1
        continue
    m = LINE.match(line)
    if not m:
        continue
    tid = int(m.group(2))
    t = int(m.group(4)) * 1000000000 + int(m.group(5))
    ev, rest = m.group(6), m.group(7)
    if ev.startswith("PERF_RECORD_FORK"):
        cpid, ctid, ppid, ptid = map(int, FORK.search(line).groups())
        if ptid in tree or (ppid == tracer_pid and cpid != tracer_pid):
            tree.add(ctid)
            D.born(ctid)
    elif ev == "sched:sched_switch":
        prev, state, nxt = SWITCH.search(rest).groups()
        prev, nxt = int(prev), int(nxt)
        if prev in tree:
            D.switch_out(prev, state.startswith("R"), t)
        if nxt in tree:
            D.switch_in(nxt, t)
    elif ev in ("sched:sched_waking", "sched:sched_wakeup", "sched:sched_wakeup_new"):
        w = int(WAKE.search(rest).group(1))
        if w not in tree:
            continue
        if ev == "sched:sched_waking":
            wakings[w] += 1
            pairs[(tid, w)] += 1
            D.waking(w, t)
        elif ev == "sched:sched_wakeup":
            wakeups[w] += 1
        else:
            D.wakeup_new(w, t)
proc.wait()
if proc.returncode:
    sys.exit(f"perf script failed: {proc.returncode}")

# tracer's side: its event CSV. The same bookkeeping on tracer's own
# records (its clock, its probes) only to tell apart, on a failure, the
# two parts of a percentile's difference: the timestamps and the slots.
op = gzip.open if events_csv.endswith(".gz") else open
t_tree, t_wakings, t_pairs = set(), Counter(), Counter()
T = Delays()
with op(events_csv, "rt", newline="") as f:
    for r in csv.DictReader(f):
        k = r["kind"]
        if k == "switch":
            t = int(r["ts_ns"])
            if r["prev_tree"] == "1":
                t_tree.add(int(r["tid"]))
                T.switch_out(int(r["tid"]), r["prev_state"] == "0" or r["preempt"] == "1", t)
            if r["next_tree"] == "1":
                t_tree.add(int(r["next_tid"]))
                T.switch_in(int(r["next_tid"]), t)
        elif k == "waking":
            t_wakings[int(r["tid"])] += 1
            t_pairs[(int(r["waker_tid"]), int(r["tid"]))] += 1
            T.waking(int(r["tid"]), int(r["ts_ns"]))
        elif k == "wakeup_new":
            T.wakeup_new(int(r["tid"]), int(r["ts_ns"]))
        if k in ("fork", "exec", "exit", "wakeup_new"):
            t_tree.add(int(r["tid"]))
        if k == "fork":
            T.born(int(r["tid"]))
s = next(csv.DictReader(open(summary_csv, newline="")))

wake_lat = sorted(v for _, v in D.wake)
replay_lat = sorted(v for _, v in T.wake)
# Event by event: the n-th wakeup latency of a task on both sides, and how
# many the two time more than 1/8 + 0.5 us apart (`outside`). With every
# other event within that, tracer's value at rank k lies within that of
# perf's values at ranks k - outside and k + outside (order statistics):
# perf_pP_lo_us, perf_pP_hi_us.
diffs, outside = [], 0
for x in tree:
    a = [v for tid, v in D.wake if tid == x]
    b = [v for tid, v in T.wake if tid == x]
    if len(a) == len(b):
        diffs += [bv - av for av, bv in zip(a, b)]
        outside += sum(1 for av, bv in zip(a, b) if abs(bv - av) > av / 8 + 500)
diffs.sort()
fig = {
    "perf_lost": lost,
    "below_lo": sum(1 for x in t_tree | {tracer_pid} if x < lo_pid),
    "tree_perf": len(tree),
    "tree_tracer": len(t_tree),
    "tree_equal": int(tree == t_tree),
    "wakings_perf": sum(wakings.values()),
    "wakings_tracer": sum(t_wakings.values()),
    "wakeups_perf": sum(wakeups.values()),
    "tasks_wakings_differ": sum(1 for x in tree | t_tree if wakings[x] != t_wakings[x]),
    "tasks_wakeup_differ": sum(1 for x in tree if wakeups[x] != wakings[x]),
    "pairs_differ": sum(1 for x in set(pairs) | set(t_pairs) if pairs[x] != t_pairs[x]),
    "wake_count": len(D.wake),
    "preempt_count": len(D.preempt),
    "new_count": len(D.new),
    "unmatched": D.unmatched,
    "paired": len(diffs),
    "paired_diff_min_ns": diffs[0] if diffs else 0,
    "paired_diff_p1_ns": pct(diffs, 1),
    "paired_diff_p50_ns": pct(diffs, 50),
    "paired_diff_p99_ns": pct(diffs, 99),
    "paired_diff_max_ns": diffs[-1] if diffs else 0,
    "paired_outside": outside,
}
for p in (50, 90, 99):
    us = lambda ns: "%.3f" % (ns / 1000.0)
    fig[f"perf_p{p}_us"] = us(pct(wake_lat, p))
    fig[f"perf_p{p}_lo_us"] = us(at(wake_lat, rank(wake_lat, p) - outside))
    fig[f"perf_p{p}_hi_us"] = us(at(wake_lat, rank(wake_lat, p) + outside))
    fig[f"replay_p{p}_us"] = us(pct(replay_lat, p))
    fig[f"tracer_p{p}_us"] = s[f"wakeup_latency_p{p}_us"]
    perf_v = float(fig[f"perf_p{p}_us"])
    fig[f"p{p}_reldiff"] = "%.4f" % (abs(float(s[f"wakeup_latency_p{p}_us"]) - perf_v) / perf_v
                                     if perf_v else 0.0)
print(" ".join(f"{k}={v}" for k, v in fig.items()))
for x in sorted(tree | t_tree):
    print(f"task {x}: in perf's tree {int(x in tree)}, tracer's {int(x in t_tree)}; "
          f"sched_waking perf {wakings[x]} tracer {t_wakings[x]}; sched_wakeup perf {wakeups[x]}")
for x in sorted(set(pairs) | set(t_pairs)):
    print(f"waker {x[0]} -> wakee {x[1]}: sched_waking perf {pairs[x]} tracer {t_pairs[x]}")
