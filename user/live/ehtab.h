/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_EHTAB_H
#define TRACER_EHTAB_H

#include <stdint.h>

/*
 * --unwind ehframe: the tables the kernel walks user stacks with. Each
 * executable file a traced process maps has its .eh_frame turned into
 * rows once (eh_rows, bpf/events.h), shared by every process that maps
 * it; each process gets the list of its mappings and their rows (eh_procs)
 * the moment it first blocks, and again after an exec.
 */
struct ehtab;

struct ehtab *ehtab_new(int rows_fd, int idx_fd, int procs_fd);
/* Process tgid's mappings, read now: 0, or -ENOMEM (a file without CFI is skipped, counted). */
int ehtab_note(struct ehtab *t, uint32_t tgid);
/*
 * The rows of the file at path, made now, before a process maps it (its
 * first waits would come before them): 0, or -ENOMEM; a file not there is
 * no error.
 */
int ehtab_preload(struct ehtab *t, const char *path);
/* Files whose rows did not fit in eh_rows, or that had no .eh_frame to read */
uint64_t ehtab_files_missed(const struct ehtab *t);
/* Processes past EH_MAPS executable mappings, or eh_procs' room */
uint64_t ehtab_procs_missed(const struct ehtab *t);
void ehtab_free(struct ehtab *t);

#endif
