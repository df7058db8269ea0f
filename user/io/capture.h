/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_CAPTURE_H
#define TRACER_CAPTURE_H

#include <stdint.h>
#include "core/event.h"

/*
 * The capture file: while the command runs, the reader only appends the
 * ring buffer's records to it as they come (a few ns an event), so the
 * workload shares its CPUs with no formatting or compression; the event
 * CSV, the timeline and the Perfetto trace are written from it once the
 * command has exited (or by `tracer report` from a capture kept with
 * --capture). docs/formats.md, "Capture file", documents the format:
 *
 *   header  struct cap_header (magic, CAP_VERSION, EV_ABI_VERSION, CPUs)
 *   records struct cap_rec, then len bytes, padded to 8:
 *     CAP_CHUNK  one ring record: one CPU's event records (bpf/events.h),
 *                back to back, in time order
 *     CAP_MARK   a __u64 time: every event at or before it is in an
 *                earlier chunk (the reader had every CPU flush its stage)
 *     CAP_META   "key\0value\0": a meta row of the event CSV
 *     CAP_TASK   a task tracing found running (-p): union ev_any's row
 *     CAP_PAD    nothing: fills the header's block and each written
 *                buffer to a multiple of 4 KiB (O_DIRECT writes)
 *
 * Integers are the host's (the header's byte-order word tells), as in
 * perf.data: a capture is read back on the machine kind that wrote it.
 */
#define CAP_MAGIC	"tracecap"
#define CAP_VERSION	2	/* 1: no pad records */

struct cap_header {
	char magic[8];
	__u32 version;		/* CAP_VERSION */
	__u32 ev_abi;		/* EV_ABI_VERSION of the event records */
	__u32 byte_order;	/* 0x01020304 as the writer stored it */
	__u32 ncpus;		/* the CPU numbers events carry are below this */
	__u64 reserved;
};

enum cap_type { CAP_CHUNK = 1, CAP_MARK, CAP_META, CAP_TASK, CAP_PAD };

struct cap_rec {
	__u32 type;
	__u32 len;		/* of what follows, before padding */
};

struct capture;
struct runas;

/*
 * A capture kept at keep (a temporary name until capture_commit), or, with
 * keep NULL, an unnamed file in dir that goes when closed. ra: the user
 * a kept file belongs to. Prints what is wrong; returns 0 or -errno.
 */
int capture_create(struct capture **out, const char *keep, const char *dir,
		   const struct runas *ra, int ncpus);
/*
 * Append a record. After a write error (a full disk) nothing more is
 * written: the file ends with its last whole record, and the events of the
 * chunks that did not fit are counted per kind (capture_dropped).
 */
void capture_put(struct capture *c, enum cap_type type, const void *data, uint32_t len);
/* For meta_begin()/meta_write(): ctx is the capture. */
void capture_meta(void *ctx, const char *key, const char *value);
/* The first write error as -errno, or 0; the bytes written before it. */
int capture_error(const struct capture *c, uint64_t *bytes);
/* Event records of chunks left out after a write error, by kind. */
const uint64_t *capture_dropped(const struct capture *c);

/* What a capture's records become; each returns 0, or non-0 to stop reading. */
struct capture_ops {
	int (*event)(void *ctx, const union ev_any *e);	/* in time order */
	int (*task)(void *ctx, const union ev_any *row);
	int (*meta)(void *ctx, const char *key, const char *value);
};

/*
 * Read the capture written so far from its start: events in time order
 * (chunks merged across CPUs at each mark), tasks and meta rows where they
 * were written. With progress (what the reading is for, or NULL), a
 * terminal on stderr hears how far it got when it takes more than ~2 s.
 * An unnamed capture gives the disk of what it read back as it goes (it
 * is read once). Returns 0, 1 if the file stops short of whole records (a
 * full disk), or -errno after saying what is wrong.
 */
int capture_replay(struct capture *c, const struct capture_ops *ops, void *ctx,
		   const char *progress);
/* The same for a kept file; name: for messages. */
int capture_read_file(const char *path, const struct capture_ops *ops, void *ctx,
		      const char *progress);
/* Whether path is a regular file that starts with CAP_MAGIC (a pipe is never probed). */
int capture_is_file(const char *path);
/* Close it; a kept file gets its name (fsync, rename). 0 or -errno. */
int capture_commit(struct capture *c);
/* Close it; a kept file is removed. */
void capture_abort(struct capture *c);

#endif
