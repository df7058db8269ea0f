// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The workload runs verify performs (claims.h, enum run_id), each shared by
 * the claims that measure with it: the workload, its options with --quick
 * and without, repetitions, and whether an untraced twin times it.
 */
#include <stddef.h>
#include "verify/claims.h"

/*
 * C2: the article's scales, "tens" of processes, "hundreds" of threads,
 * "tens of thousands" of coroutines (and 10x them, until a limit).
 */
#define C2_PROC_SCALE		"50"
#define C2_THREAD_SCALE		"500"
#define C2_CORO_SCALE		"20000"

#define A(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define PINGPONG(unit, cpus, n) A("--unit", unit, "--cpus", cpus, "--rounds", n)
/* 512 pages a side: within the STLB here, not the L1 TLB */
#define C9_WS_KIB	"2048"
#define PINGPONG_WS(unit, n) A("--unit", unit, "--cpus", "same", "--rounds", n, \
			       "--touch-kib", C9_WS_KIB)
#define CPU(mode, work) A("--mode", mode, "--tasks", RUN_NCPU, "--work", work, \
			  "--switch-interval-ms", "5")
#define IO(mode, ms) A("--mode", mode, "--tasks", "20", "--wait-ms", ms)
#define IO_POOL(ms) A("--mode", "threads", "--pool", "10", "--tasks", "20", "--wait-ms", ms)
#define CNT(sync, n) A("--sync", sync, "--threads", RUN_NCPU, "--increments", n)
#define PYIO(mode, ms) A("--mode", mode, "--tasks", "20", "--wait-ms", ms)
#define IO_UCTX(n, ms) A("--mode", "coroutines", "--impl", "ucontext", "--tasks", n, \
			 "--wait-ms", ms)
/* the article's own IO comparison: 20 tasks sleeping, serially, in a pool of 10, asyncio */
#define PYSLEEP(mode, ms) A("--mode", mode, "--io", "sleep", "--tasks", "20", "--wait-ms", ms)
#define PYSLEEP_POOL(ms) A("--mode", "threads", "--pool", "10", "--io", "sleep", \
			   "--tasks", "20", "--wait-ms", ms)
#define PYCNT(sync, op, n) A("--sync", sync, "--op", op, "--threads", "2", "--increments", n)
#define PYCPU(mode, work) A("--mode", mode, "--tasks", RUN_NCPU, "--work", work)

const struct run_spec run_specs[R_COUNT] = {
	[R_THR_SAME] = { "thread-same", "thread-pingpong", "pingpong",
		PINGPONG("thread", "same", "20000"), PINGPONG("thread", "same", "100000"),
		3, "untraced_wl_handoff_ns", 0, 1, 1 },
	[R_THR_CROSS] = { "thread-cross", "thread-pingpong", "pingpong",
		PINGPONG("thread", "cross", "2000"), PINGPONG("thread", "cross", "10000"),
		3, "untraced_wl_handoff_ns", 0, 1 },
	[R_PROC_SAME] = { "process-same", "process-pingpong", "pingpong",
		PINGPONG("process", "same", "20000"), PINGPONG("process", "same", "100000"),
		3, "untraced_wl_handoff_ns", 0, 1, 1 },
	/* C9: a working set the TLB must hold across the switches */
	[R_THR_SAME_WS] = { "thread-same-2mib", "thread-pingpong", "pingpong",
		PINGPONG_WS("thread", "3000"), PINGPONG_WS("thread", "20000"),
		3, "untraced_wl_handoff_ns", 0, 1, 1 },
	[R_PROC_SAME_WS] = { "process-same-2mib", "process-pingpong", "pingpong",
		PINGPONG_WS("process", "3000"), PINGPONG_WS("process", "20000"),
		3, "untraced_wl_handoff_ns", 0, 1, 1 },
	[R_PROC_CROSS] = { "process-cross", "process-pingpong", "pingpong",
		PINGPONG("process", "cross", "2000"), PINGPONG("process", "cross", "10000"),
		3, "untraced_wl_handoff_ns", 0, 1 },
	[R_CORO] = { "coroutine", "coroutine-pingpong", "pingpong",
		A("--unit", "coroutine", "--rounds", "4000000"),
		A("--unit", "coroutine", "--rounds", "10000000"), 3, "untraced_wl_handoff_ns", 0, 1 },
	[R_UCTX] = { "ucontext", "ucontext-pingpong", "pingpong",
		A("--unit", "coroutine", "--impl", "ucontext", "--rounds", "50000"),
		A("--unit", "coroutine", "--impl", "ucontext", "--rounds", "200000"),
		1, NULL, 0, 1 },
	/* 10x the article's scales, or until the system refuses */
	[R_SPAWN_PROC] = { "spawn-process", "spawn", "spawn",
		A("--unit", "process", "--until-limit", "--max", "200"),
		A("--unit", "process", "--until-limit", "--max", "500"), 3, "untraced_wl_ns_per_create", 0, 1 },
	[R_SPAWN_EXEC] = { "spawn-exec", "spawn", "spawn",
		A("--unit", "process", "--exec", "--count", "50"),
		A("--unit", "process", "--exec", "--count", "200"), 1, NULL, 0, 1 },
	[R_SPAWN_THR] = { "spawn-thread", "spawn", "spawn",
		A("--unit", "thread", "--until-limit", "--max", "2000"),
		A("--unit", "thread", "--until-limit", "--max", "5000"), 3, "untraced_wl_ns_per_create", 0, 1 },
	[R_SPAWN_CORO] = { "spawn-coroutine", "spawn", "spawn",
		A("--unit", "coroutine", "--until-limit", "--max", "20000"),
		A("--unit", "coroutine", "--until-limit", "--max", "200000"), 1, NULL, 0, 1 },
	/* the article's scales */
	[R_SCALE_PROC] = { "scale-process", "spawn", "spawn",
		A("--unit", "process", "--count", C2_PROC_SCALE),
		A("--unit", "process", "--count", C2_PROC_SCALE), 3, "untraced_wl_ns_per_create", 0, 1 },
	[R_SCALE_THR] = { "scale-thread", "spawn", "spawn",
		A("--unit", "thread", "--count", C2_THREAD_SCALE),
		A("--unit", "thread", "--count", C2_THREAD_SCALE), 3, "untraced_wl_ns_per_create", 0, 1 },
	[R_SCALE_CORO] = { "scale-coroutine", "spawn", "spawn",
		A("--unit", "coroutine", "--count", C2_CORO_SCALE),
		A("--unit", "coroutine", "--count", C2_CORO_SCALE), 3, "untraced_wl_ns_per_create", 0, 1 },
	[R_CPU_SERIAL] = { "cpu-serial", "cpu-bound", "cpubound",
		CPU("serial", "30000000"), CPU("serial", "150000000"), 3, "untraced_wl_wall_ms", 0, 1 },
	[R_CPU_THREADS] = { "cpu-threads", "cpu-bound", "cpubound",
		CPU("threads", "30000000"), CPU("threads", "150000000"), 3, "untraced_wl_wall_ms", 0, 1,
		0, 1 },
	[R_CPU_PROCS] = { "cpu-processes", "cpu-bound", "cpubound",
		CPU("processes", "30000000"), CPU("processes", "150000000"), 3, "untraced_wl_wall_ms", 0, 1,
		0, 1 },
	[R_IO_SERIAL] = { "io-serial", "io-bound", "iobound",
		IO("serial", "20"), IO("serial", "50"), 1, NULL, 0, 1 },
	[R_IO_THREADS] = { "io-threads", "io-bound", "iobound",
		IO_POOL("20"), IO_POOL("50"), 1, NULL, 0, 1 },
	[R_IO_CORO] = { "io-coroutines", "io-bound", "iobound",
		IO("coroutines", "20"), IO("coroutines", "50"), 1, NULL, 0, 1 },
	[R_IO_10K] = { "io-10k", "io-10k-coroutines", "iobound",
		A("--mode", "coroutines", "--tasks", "10000", "--wait-ms", "100"),
		A("--mode", "coroutines", "--tasks", "10000", "--wait-ms", "100"), 1, NULL, 0, 1 },
	[R_IO_CORO_UCTX] = { "io-coroutines-ucontext", "io-bound", "iobound",
		IO_UCTX("20", "20"), IO_UCTX("20", "50"), 1, NULL, 0, 1 },
	[R_IO_10K_UCTX] = { "io-10k-ucontext", "io-bound", "iobound",
		IO_UCTX("10000", "100"), IO_UCTX("10000", "100"), 1, NULL, 0, 1 },
	/* CPython: the article's 20 x sleep(0.5) (E3, C5), 10,000 asyncio waits (C6) */
	[R_PY_SLEEP_SERIAL] = { "py-sleep-serial", "py-io", "python/io.py",
		PYSLEEP("serial", "50"), PYSLEEP("serial", "500"), 1, NULL, 1, 1 },
	[R_PY_SLEEP_POOL] = { "py-sleep-pool", "py-io", "python/io.py",
		PYSLEEP_POOL("50"), PYSLEEP_POOL("500"), 1, NULL, 1, 1 },
	[R_PY_SLEEP_ASYNC] = { "py-sleep-asyncio", "py-io", "python/io.py",
		PYSLEEP("asyncio", "50"), PYSLEEP("asyncio", "500"), 1, NULL, 1, 1 },
	[R_PY_IO_10K] = { "py-io-10k-asyncio", "py-io", "python/io.py",
		A("--mode", "asyncio", "--io", "sleep", "--tasks", "10000", "--wait-ms", "100"),
		A("--mode", "asyncio", "--io", "sleep", "--tasks", "10000", "--wait-ms", "100"),
		1, NULL, 1, 1 },
	[R_SLICE] = { "timeslice", "timeslice", "timeslice",
		A("--threads", "3", "--duration-ms", "300"),
		A("--threads", "3", "--duration-ms", "1000"), 3, "untraced_wl_slice_p50_us", 0, 1 },
	/* CPython: C4's subject, and the GIL's hand-offs of C8 */
	[R_PY_CPU] = { "py-cpu-threads", "py-cpu", "python/cpu.py",
		PYCPU("threads", "600000"), PYCPU("threads", "3000000"), 3, "untraced_wl_wall_ms",
		1, 1, 0, 1 },
	[R_PY_CPU_SERIAL] = { "py-cpu-serial", "py-cpu", "python/cpu.py",
		PYCPU("serial", "600000"), PYCPU("serial", "3000000"), 3, "untraced_wl_wall_ms",
		1, 1 },
	/*
	 * C8: two threads, one holding the GIL and one waiting, whose timed
	 * waits are then the forced hand-offs (with more, each waiter times out
	 * on its own, and timeouts outnumber hand-offs)
	 */
	[R_PY_GIL2] = { "py-gil-2-threads", "py-cpu", "python/cpu.py",
		A("--mode", "threads", "--tasks", "2", "--work", "600000"),
		A("--mode", "threads", "--tasks", "2", "--work", "3000000"), 3, "wl_wall_ms", 1 },
	[R_PY_CPU_PROCS] = { "py-cpu-processes", "py-cpu", "python/cpu.py",
		PYCPU("processes", "600000"), PYCPU("processes", "3000000"), 3,
		"untraced_wl_wall_ms", 1, 1, 0, 1 },
	[R_CNT_NONE] = { "counter-none", "counter", "counter",
		CNT("none", "5000000"), CNT("none", "10000000"), 3,
		"untraced_wl_ns_per_increment", 0, 1 },
	[R_CNT_MUTEX] = { "counter-mutex", "counter", "counter",
		CNT("mutex", "5000000"), CNT("mutex", "10000000"), 3,
		"untraced_wl_ns_per_increment", 0, 1 },
	[R_CNT_ATOMIC] = { "counter-atomic", "counter", "counter",
		CNT("atomic", "5000000"), CNT("atomic", "10000000"), 3,
		"untraced_wl_ns_per_increment", 0, 1 },
	[R_PRODCONS] = { "prodcons", "prodcons", "prodcons",
		A("--unit", "thread", "--items", "50000"),
		A("--unit", "thread", "--items", "200000"), 1, NULL, 0 },
	[R_PY_IO_SERIAL] = { "py-io-serial", "py-io", "python/io.py",
		PYIO("serial", "25"), PYIO("serial", "50"), 1, NULL, 1, 1 },
	[R_PY_IO_THREADS] = { "py-io-threads", "py-io", "python/io.py",
		PYIO("threads", "25"), PYIO("threads", "50"), 1, NULL, 1, 1 },
	/* C10 on CPython: the article's counter += 1, a call between read and store */
	[R_PY_CNT_INPLACE] = { "py-counter-inplace", "py-counter", "python/counter.py",
		PYCNT("none", "inplace", "1000000"), PYCNT("none", "inplace", "2000000"), 3,
		"untraced_wl_ns_per_increment", 1, 1 },
	[R_PY_CNT_CALL] = { "py-counter-call", "py-counter", "python/counter.py",
		PYCNT("none", "call", "1000000"), PYCNT("none", "call", "2000000"), 3,
		"untraced_wl_ns_per_increment", 1, 1 },
	[R_PY_CNT_LOCK] = { "py-counter-lock", "py-counter", "python/counter.py",
		PYCNT("lock", "call", "50000"), PYCNT("lock", "call", "500000"), 3,
		"untraced_wl_ns_per_increment", 1, 1 },
	/* the article's own switch benchmarks, timed untraced */
	[R_PY_SLEEP0] = { "py-sleep0-threads", "py-switch", "python/switch.py",
		A("--mode", "threads", "--iterations", "5000"),
		A("--mode", "threads", "--iterations", "20000"), 3,
		"untraced_wl_ns_per_iteration", 1, 1 },
	[R_PY_ASYNC0] = { "py-asyncio-sleep0", "py-switch", "python/switch.py",
		A("--mode", "asyncio", "--iterations", "100000"),
		A("--mode", "asyncio", "--iterations", "300000"), 3,
		"untraced_wl_ns_per_iteration", 1, 1 },
};
