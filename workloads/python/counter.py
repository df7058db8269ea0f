#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""counter.py: T threads each add 1 to one global counter N times, the
article's `counter += 1` (--op inplace), or `counter = bump(counter)` (--op
call: a function call between the read and the store, where CPython may
hand the GIL over), with --sync lock around each increment or none. Lost
updates are the increments missing from the final count."""
import sys
import threading
import time

from wl_common import Parser, choice, cpu_ms, result, whole

SYNCS = ("none", "lock")
OPS = ("inplace", "call")
counter = 0


def bump(x):
    return x + 1


def inplace(n, lock):
    global counter
    if lock:
        for _ in range(n):
            with lock:
                counter += 1
    else:
        for _ in range(n):
            counter += 1


def call(n, lock):
    global counter
    if lock:
        for _ in range(n):
            with lock:
                counter = bump(counter)
    else:
        for _ in range(n):
            counter = bump(counter)


def main():
    p = Parser(prog="counter.py", description=__doc__,
               epilog="Result: expected, actual, lost_updates, ns_per_increment "
               "(wall time over all increments).")
    p.add_argument("--sync", type=choice(SYNCS), default="none", metavar="|".join(SYNCS),
                   help="none (default) or lock: a threading.Lock around each increment")
    p.add_argument("--op", type=choice(OPS), default="inplace", metavar="|".join(OPS),
                   help="inplace (default): counter += 1; call: counter = bump(counter)")
    p.add_argument("--threads", type=whole(1, 1024), default=2, metavar="T",
                   help="threads (default 2)")
    p.add_argument("--increments", type=whole(1, 1000000000), default=1000000, metavar="N",
                   help="increments per thread (default 1000000)")
    a = p.parse()

    lock = threading.Lock() if a.sync == "lock" else None
    fn = inplace if a.op == "inplace" else call
    threads = [threading.Thread(target=fn, args=(a.increments, lock))
               for _ in range(a.threads)]
    t0, c0 = time.monotonic(), cpu_ms()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = (time.monotonic() - t0) * 1e3, cpu_ms() - c0

    expected = a.threads * a.increments
    result({"sync": a.sync, "op": a.op, "threads": a.threads, "expected": expected,
            "actual": counter, "lost_updates": expected - counter, "wall_ms": wall,
            "cpu_ms": cpu, "ns_per_increment": wall * 1e6 / expected,
            "python_version": sys.version_info[0] * 100 + sys.version_info[1]})


if __name__ == "__main__":
    main()
