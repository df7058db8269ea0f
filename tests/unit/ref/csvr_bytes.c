// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The CSV reader with its byte loop alone: the reference for csvr_diff.c */
#define CSVR_BYTES_ONLY	1
#define CSVR_PREFIX	bytes_
#include "csvr_rename.h"
#include "io/csvread.c"
