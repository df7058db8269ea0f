#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""switch.py: the article's own switch-cost benchmarks, as it runs them.
--mode threads: N threads each call time.sleep(0) in a loop; --mode asyncio:
N tasks under asyncio.gather each await asyncio.sleep(0) in a loop. The
article counts each iteration as one switch and divides the wall time by
them: that is ns_per_iteration. What an iteration really costs (a GIL
hand-off, a cross-CPU wakeup, an event-loop turn) is for the trace to say."""
import asyncio
import threading
import time

from wl_common import Parser, choice, cpu_ms, result, whole

MODES = ("threads", "asyncio")


def sleep0_loop(n):
    for _ in range(n):
        time.sleep(0)


async def async_sleep0_loop(n):
    for _ in range(n):
        await asyncio.sleep(0)


async def gather(tasks, n):
    await asyncio.gather(*(async_sleep0_loop(n) for _ in range(tasks)))


def main():
    p = Parser(prog="switch.py", description=__doc__,
               epilog="Result: iterations (all tasks'), wall and CPU time, "
               "ns_per_iteration = wall / iterations, the article's figure.")
    p.add_argument("--mode", type=choice(MODES), default="threads", metavar="|".join(MODES),
                   help="threads (default): time.sleep(0); asyncio: asyncio.sleep(0)")
    p.add_argument("--tasks", type=whole(1, 64), default=2, metavar="N",
                   help="threads or coroutines (default 2, as the article)")
    p.add_argument("--iterations", type=whole(1, 100000000), default=50000, metavar="N",
                   help="loop iterations of each task (default 50000)")
    a = p.parse()

    t0, c0 = time.monotonic(), cpu_ms()
    if a.mode == "threads":
        threads = [threading.Thread(target=sleep0_loop, args=(a.iterations,))
                   for _ in range(a.tasks)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        asyncio.run(gather(a.tasks, a.iterations))
    wall, cpu = (time.monotonic() - t0) * 1e3, cpu_ms() - c0

    total = a.tasks * a.iterations
    result({"mode": a.mode, "tasks": a.tasks, "iterations": total, "wall_ms": wall,
            "cpu_ms": cpu, "ns_per_iteration": wall * 1e6 / total})


if __name__ == "__main__":
    main()
