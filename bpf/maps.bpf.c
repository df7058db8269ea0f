// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The one definition of the maps and globals every bpf/ program shares
 * (maps.bpf.h, and the stage of stage.bpf.h); the other objects declare
 * them extern. First into the link (Makefile).
 */
#define TRACER_DEFINE_MAPS
#include "maps.bpf.h"
#include "stage.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
