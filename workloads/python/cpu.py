#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""cpu.py: N tasks of identical pure-Python CPU work (the hash chain of
cpubound.c, so the same --work gives the same checksum) run serially, as
threads (which the GIL serialises) or as forked processes."""
import os
import sys
import threading
import time

from wl_common import Parser, choice, cpu_ms, result, whole

MODES = ("serial", "threads", "processes")
MASK = (1 << 64) - 1


def work(task, rounds):
    x = task + 1
    for _ in range(rounds):
        x = ((x ^ (x >> 29)) * 0xBF58476D1CE4E5B9 + 1) & MASK
    return x


def run_threads(tasks, rounds):
    out = [0] * tasks

    def task(i):
        out[i] = work(i, rounds)
    threads = [threading.Thread(target=task, args=(i,)) for i in range(tasks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def run_processes(tasks, rounds):
    children = []
    for i in range(tasks):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            os.write(w, str(work(i, rounds)).encode())
            os._exit(0)
        os.close(w)
        children.append((pid, r))
    out = []
    for pid, r in children:
        with os.fdopen(r, "rb") as f:
            data = f.read()
        _, status = os.waitpid(pid, 0)
        if status or not data:
            sys.exit("cpu.py: a task process failed")
        out.append(int(data))
    return out


def run(mode, tasks, rounds):
    """Checksum, wall and CPU time (ms) of every task run in a mode."""
    t0, c0 = time.monotonic(), cpu_ms()
    if mode == "serial":
        out = [work(i, rounds) for i in range(tasks)]
    elif mode == "threads":
        out = run_threads(tasks, rounds)
    else:
        out = run_processes(tasks, rounds)
    return sum(out) & MASK, (time.monotonic() - t0) * 1e3, cpu_ms() - c0


def main():
    p = Parser(prog="cpu.py", description=__doc__,
               epilog="Result: checksum (equal in every mode), wall and CPU time (this "
               "process and its children), speedup over serial when known.")
    p.add_argument("--mode", type=choice(MODES), default="serial", metavar="|".join(MODES),
                   help="serial (default), threads or processes")
    p.add_argument("--tasks", type=whole(1, 1024), default=2, metavar="N",
                   help="tasks (default 2)")
    p.add_argument("--work", type=whole(1, 10**12), default=2000000, metavar="N",
                   help="hash rounds per task (default 2000000, about 0.5 s)")
    p.add_argument("--switch-interval-ms", type=whole(1, 10000),
                   metavar="N", help="sys.setswitchinterval (CPython's default is 5 ms)")
    base = p.add_mutually_exclusive_group()
    base.add_argument("--baseline-ms", type=whole(1, 10**8), metavar="N",
                      help="serial wall time known from elsewhere, for speedup")
    base.add_argument("--serial-first", action="store_true",
                      help="time the serial run first, in this process")
    a = p.parse()
    if a.switch_interval_ms:
        sys.setswitchinterval(a.switch_interval_ms / 1e3)

    if a.serial_first:
        serial_sum, baseline, _ = run("serial", a.tasks, a.work)
    else:
        baseline = a.baseline_ms
    checksum, wall, cpu = run(a.mode, a.tasks, a.work)
    if a.serial_first and checksum != serial_sum:
        sys.exit(f"cpu.py: checksum {checksum} differs from serial's {serial_sum}")

    res = {"mode": a.mode, "tasks": a.tasks, "work": a.work, "checksum": checksum,
           "wall_ms": wall, "cpu_ms": cpu}
    if a.serial_first:
        res["serial_ms"] = baseline
    if baseline:
        res["speedup"] = f"{baseline / wall:.2f}"
    res["switch_interval_ms"] = sys.getswitchinterval() * 1e3
    result(res)


if __name__ == "__main__":
    main()
