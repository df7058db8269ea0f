// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Exception entry ranges (live/excentry.h). A waking on a task's own stack
 * with no system call in its saved registers came in from user space by an
 * interrupt or by an exception; the BPF programs tell them apart by the
 * entry stub that called the handler (syscall.bpf.h, in_exception).
 * Only the lines up to the entry text's end are read (~90 here: ~1 ms; the
 * whole file, ~120,000 lines, takes ~30).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "live/excentry.h"

#define MAX_STUBS	64

int excentry_parse(FILE *f, uint64_t (*r)[2], int max)
{
	uint64_t m[MAX_STUBS][2], pf = 0, addr, open = 0, prev_end = 0;
	int n = 0, lines = 0, i;
	char name[128], type;

	/* open: the start of the stub whose end is the next address above it */
	while (++lines < 4096 &&
	       fscanf(f, "%" SCNx64 " %c %127s%*[^\n]", &addr, &type, name) == 3 && addr) {
		if (open && addr > open) {
			m[n - 1][1] = addr;
			open = 0;
		}
		if (!strcmp(name, "__entry_text_end"))
			break;
		/*
		 * Not a task's doing: an NMI (from user space it runs on the
		 * task's stack too), Xen PV's event callback (its interrupts)
		 */
		if (strncmp(name, "asm_exc_", 8) || strstr(name, "nmi") || strstr(name, "xen") ||
		    open)
			continue;
		if (!strcmp(name, "asm_exc_page_fault"))
			pf = addr;
		if (n && m[n - 1][1] == addr) {		/* adjacent: one range */
			prev_end = addr;
			open = addr;
		} else if (n < MAX_STUBS) {
			m[n][0] = addr;
			m[n++][1] = prev_end = 0;
			open = addr;
		}
	}
	if (open && !(m[n - 1][1] = prev_end))
		n--;	/* its end never seen: the range as it was before it */
	if (n <= max) {
		memcpy(r, m, n * sizeof(*m));
		return n;
	}
	for (i = 0; i < n && max > 0; i++)	/* more than fit: the page fault's */
		if (pf >= m[i][0] && pf < m[i][1]) {
			r[0][0] = m[i][0];
			r[0][1] = m[i][1];
			return 1;
		}
	return 0;
}

int excentry_ranges(uint64_t (*r)[2], int max)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	int n;

	if (!f)
		return 0;
	n = excentry_parse(f, r, max);
	fclose(f);
	return n;
}
