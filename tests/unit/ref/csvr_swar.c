// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The CSV reader's fast path as a machine without SSE2 runs it (8 bytes a word) */
#undef __SSE2__
#define CSVR_PREFIX	swar_
#include "csvr_rename.h"
#include "io/csvread.c"
