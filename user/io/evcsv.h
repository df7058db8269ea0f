/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_EVCSV_H
#define TRACER_EVCSV_H

#include <stddef.h>
#include <stdint.h>
#include "core/event.h"
#include "core/sink.h"

/*
 * The event CSV (--events FILE): one row per event, one fixed set of
 * columns for every kind (docs/formats.md, "Event CSV"); a column a kind does not
 * use is empty. Columns are only ever added at the end, never renamed.
 */
#define EVCSV_SCHEMA	3
#define EVCSV_V1_COLS	33	/* schema 1 ended at value */

enum evcol {
	COL_TS, COL_TS_BOOT, COL_CPU, COL_KIND, COL_PID, COL_TID, COL_COMM,
	COL_PRIO, COL_PREV_STATE, COL_PREEMPT, COL_PREV_TREE, COL_NEXT_TREE,
	COL_NEXT_PID, COL_NEXT_TID, COL_NEXT_COMM, COL_NEXT_PRIO,
	COL_KNL_NVCSW, COL_KNL_NIVCSW, COL_WAKER_PID, COL_WAKER_TID,
	COL_TARGET_CPU, COL_PARENT_PID, COL_PARENT_TID, COL_CLONE_TS,
	COL_EXIT_CODE, COL_ORIG_CPU, COL_DEST_CPU, COL_OP, COL_UADDR,
	COL_DURATION, COL_RESULT, COL_KEY, COL_VALUE,
	COL_RUN_NS,		/* schema 2 */
	COL_WAKE_BY,		/* schema 3 */
	NR_EVCOLS,
};

extern const char *const evcsv_columns[NR_EVCOLS];

struct csv;
void evcsv_header(struct csv *c);
void evcsv_event(struct csv *c, const union ev_any *e, uint64_t t_start);
void evcsv_meta(struct csv *c, const char *key, const char *value);
/* A meta_put_fn (core/meta.h) writing meta rows to an event CSV (csv: struct csv *) */
void meta_csv(void *csv, const char *key, const char *value);
/* A task that existed before tracing began (-p); runtime: its CPU time then. */
void evcsv_task(struct csv *c, uint32_t tid, uint32_t tgid, uint32_t ppid,
		const char *comm, uint64_t runtime);

/*
 * The event CSV into c as an output of the run (core/sink.h), its header
 * written: 0, or -ENOMEM (c stays the caller's). The sink owns c after.
 */
int evcsv_sink(struct sink *out, struct csv *c, uint64_t t_start);

/* The kinds of row, as written in the kind column. */
enum row_kind { ROW_BAD, ROW_EVENT, ROW_META, ROW_TASK };

/*
 * Parse one row of n fields (n >= EVCSV_V1_COLS) back. ROW_EVENT fills e;
 * ROW_TASK fills e->row; ROW_META leaves key/value to the caller.
 * ROW_BAD: *why says what is wrong.
 */
enum row_kind evcsv_parse(char **f, size_t n, union ev_any *e, const char **why);

#endif
