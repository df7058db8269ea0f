// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The flush of a CPU's stage of event records (stage.bpf.h): never attached,
 * run by the reader on each CPU in turn (BPF_PROG_TEST_RUN, BPF_F_TEST_RUN_ON_CPU).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "common.bpf.h"

/* 0: flushed; 1: a program this run interrupted holds the stage, try again */
SEC("raw_tp")
int flush_stage(void *ctx)
{
	struct stage *st = stage_hold();

	if (!st)
		return 1;
	stage_flush(st, this_cpu());
	stage_release(st);
	return 0;
}

/*
 * Any task renamed (exec, prctl, /proc/PID/comm; before the new name is in
 * place): every stage says every task's comm anew (stage_part_task()).
 * Loaded with --events only.
 */
SEC("tp_btf/task_rename")
int BPF_PROG(stage_task_rename)
{
	__sync_fetch_and_add(&comm_gen, 1);
	return 0;
}
