// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The event records (bpf/events.h) as user space sees them. */
#include "core/event.h"

const char *const ev_kind_names[NR_EV_KINDS] = {
	[EV_SWITCH] = "switch", [EV_WAKING] = "waking",
	[EV_WAKEUP_NEW] = "wakeup_new", [EV_MIGRATE] = "migrate",
	[EV_FORK] = "fork", [EV_EXEC] = "exec", [EV_EXIT] = "exit",
	[EV_FUTEX] = "futex",
};

size_t ev_record_size(__u32 kind)
{
	switch (kind) {
	case EV_SWITCH: return sizeof(struct ev_switch);
	case EV_WAKING: return sizeof(struct ev_waking);
	case EV_FUTEX: return sizeof(struct ev_futex);
	default: return kind < NR_EV_KINDS ? sizeof(struct ev_task) : 0;
	}
}
