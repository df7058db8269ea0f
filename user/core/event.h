/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_EVENT_H
#define TRACER_EVENT_H

#include <stddef.h>
#include "events.h"

/* The event kinds' names, as the event CSV and the summary's columns say them. */
extern const char *const ev_kind_names[NR_EV_KINDS];

/* Any event record, as the ring buffer delivers it. */
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

/* The size of a record of this kind (bpf/events.h), 0 for none. */
size_t ev_record_size(__u32 kind);

#endif
