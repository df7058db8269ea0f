#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""io.py: N tasks each wait M ms on real IO, run serially, as threads (the
GIL is released while a thread blocks) or as asyncio coroutines. With
--io socket (the default) each task sends a byte on its own socketpair and
waits for the reply, which a peer process sends M ms after the request;
with --io sleep it calls time.sleep / asyncio.sleep."""
import asyncio
import heapq
import os
import selectors
import socket
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

from wl_common import Parser, choice, cpu_ms, result, whole

MODES = ("serial", "threads", "asyncio")
IOS = ("socket", "sleep")


def peer(socks, delay):
    """Answer each request delay seconds after it came; exit when all close."""
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    due, seq, open_socks = [], 0, len(socks)
    while open_socks or due:
        timeout = max(0.0, due[0][0] - time.monotonic()) if due else None
        for key, _ in sel.select(timeout):
            if key.fileobj.recv(1):
                heapq.heappush(due, (time.monotonic() + delay, seq, key.fileobj))
                seq += 1
            else:
                sel.unregister(key.fileobj)
                open_socks -= 1
        while due and due[0][0] <= time.monotonic():
            heapq.heappop(due)[2].send(b"!")


def start_peer(tasks, delay):
    """Our ends of one socketpair per task, and the peer's pid."""
    try:
        pairs = [socket.socketpair() for _ in range(tasks)]
    except OSError as e:
        sys.exit(f"io.py: socketpair: {e.strerror} (each task needs two file "
                 "descriptors: raise ulimit -n or use --io sleep)")
    pid = os.fork()
    if pid == 0:
        for ours, _ in pairs:
            ours.close()
        try:
            peer([theirs for _, theirs in pairs], delay)
            os._exit(0)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
    for _, theirs in pairs:
        theirs.close()
    return [ours for ours, _ in pairs], pid


def blocking_wait(sock, delay):
    if sock is None:
        time.sleep(delay)
        return
    sock.sendall(b"?")
    if sock.recv(1) != b"!":
        sys.exit("io.py: the peer went away")


async def async_wait(sock, delay):
    if sock is None:
        await asyncio.sleep(delay)
        return
    loop = asyncio.get_running_loop()
    await loop.sock_sendall(sock, b"?")
    if await loop.sock_recv(sock, 1) != b"!":
        sys.exit("io.py: the peer went away")


async def run_asyncio(socks, delay):
    await asyncio.gather(*(async_wait(s, delay) for s in socks))


def main():
    p = Parser(prog="io.py", description=__doc__,
               epilog="Result: wall and CPU time, and overlap: tasks x wait / wall, "
               "how many waits were in progress at once on average.")
    p.add_argument("--mode", type=choice(MODES), default="serial", metavar="|".join(MODES),
                   help="serial (default), threads or asyncio")
    p.add_argument("--tasks", type=whole(1, 100000), default=20, metavar="N",
                   help="tasks (default 20)")
    p.add_argument("--wait-ms", type=whole(0, 3600000), default=50, metavar="M",
                   help="each task's wait (default 50)")
    p.add_argument("--io", type=choice(IOS), default="socket", metavar="|".join(IOS),
                   help="socket: a reply from a delayed peer (default); sleep")
    p.add_argument("--pool", type=whole(0, 100000), default=0, metavar="N",
                   help="threads: at most N threads (default 0: one per task)")
    a = p.parse()
    delay = a.wait_ms / 1e3

    socks, pid = start_peer(a.tasks, delay) if a.io == "socket" else ([None] * a.tasks, 0)
    if a.mode == "asyncio":
        for s in socks:
            if s:
                s.setblocking(False)
    t0, c0 = time.monotonic(), cpu_ms()
    if a.mode == "serial":
        for s in socks:
            blocking_wait(s, delay)
    elif a.mode == "threads":
        with ThreadPoolExecutor(max_workers=a.pool or a.tasks) as pool:
            for f in [pool.submit(blocking_wait, s, delay) for s in socks]:
                f.result()
    else:
        asyncio.run(run_asyncio(socks, delay))
    wall, cpu = (time.monotonic() - t0) * 1e3, cpu_ms() - c0
    if pid:
        for s in socks:
            s.close()
        _, status = os.waitpid(pid, 0)
        if status:
            sys.exit("io.py: the peer process failed")

    res = {"mode": a.mode, "io": a.io, "tasks": a.tasks, "wait_ms": a.wait_ms}
    if a.mode == "threads":
        res["pool"] = a.pool or a.tasks
    res.update(wall_ms=wall, cpu_ms=cpu)
    # How many waits were in progress at once, on average: 1 for serial.
    res["overlap"] = f"{a.tasks * a.wait_ms / wall:.2f}"
    result(res)


if __name__ == "__main__":
    main()
