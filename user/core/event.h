/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_EVENT_H
#define TRACER_EVENT_H

#include <stddef.h>
#include "events.h"

/* The event kinds' names, as the event CSV and the summary's columns say them. */
extern const char *const ev_kind_names[NR_EV_KINDS];

/* Any event record, as user space sees it (a wire record decoded). */
union ev_any {
	struct ev_hdr hdr;
	struct ev_switch sw;
	struct ev_waking wk;
	struct ev_task tk;
	struct ev_futex fx;
	struct {		/* a task row (-p), not a kernel record */
		struct ev_hdr hdr;
		__u32 ppid;
		__u64 runtime_ns;
		char comm[COMM_LEN];
	} row;
};

/*
 * A chunk (one ring record) being decoded: the task parts its records said
 * last, as the stage that wrote it remembered them (bpf/stage.bpf.h).
 */
struct ev_chunk {
	struct {
		__u32 tid;
		__u32 set;
		struct ev_part_task part;
	} seen[EV_STAGE_SEEN];
};

/* A new chunk begins: nothing said yet. */
void ev_chunk_begin(struct ev_chunk *c);

/* The size of the record at p (len bytes there) on the wire; 0 if malformed. */
size_t ev_wire_size(const void *p, size_t len);

/*
 * The record at p (len bytes there), the next of chunk c, into e: its size
 * on the wire, 0 if malformed (a part left out that the chunk never said).
 */
size_t ev_decode(struct ev_chunk *c, const void *p, size_t len, union ev_any *e);

#endif
