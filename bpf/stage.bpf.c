// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The flush of a CPU's stage of event records (stage.bpf.h): never attached,
 * run by the reader on each CPU in turn (BPF_PROG_TEST_RUN, BPF_F_TEST_RUN_ON_CPU).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
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
