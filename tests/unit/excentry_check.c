// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * live/excentry.c on kallsyms texts: this machine kind's layout (with Xen
 * PV's event callback, an interrupt's stub named asm_exc_), an alias
 * at a merged stub's address, a file cut inside a merged range, hidden
 * addresses, more ranges than fit, no entry text. Prints "ok" or the
 * first difference.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "live/excentry.h"

struct want {
	const char *name, *text;
	int max, n;
	uint64_t r[4][2];
};

static const struct want cases[] = {
	{ "6.18 layout",
	  "ffffffff81000300 T irq_entries_start\n"
	  "ffffffff81000a10 T asm_exc_divide_error\n"
	  "ffffffff81000a30 T asm_exc_overflow\n"
	  "ffffffff81000c60 T asm_exc_page_fault\n"
	  "ffffffff81000c90 T asm_int80_emulation\n"
	  "ffffffff81000cb0 T asm_exc_nmi_kvm_vmx\n"
	  "ffffffff81000cd0 T asm_exc_debug\n"
	  "ffffffff81000d10 T asm_exc_double_fault\n"
	  "ffffffff81000d40 T asm_common_interrupt\n"
	  "ffffffff81000d80 T asm_exc_xen_hypervisor_callback\n"
	  "ffffffff81000da0 T asm_sysvec_error_interrupt\n"
	  "ffffffff810015b0 T asm_exc_nmi\n"
	  "ffffffff810016b1 t nested_nmi\n"
	  "ffffffff81001a87 T __entry_text_end\n"
	  "ffffffff81001a90 T asm_exc_after\n",
	  4, 2, { { 0xffffffff81000a10, 0xffffffff81000c90 },
		  { 0xffffffff81000cd0, 0xffffffff81000d40 } } },
	{ "an alias at a merged stub's address",
	  "0000000000000a10 T asm_exc_a\n"
	  "0000000000000a30 T asm_exc_b\n"
	  "0000000000000a30 T zz\n"
	  "0000000000000a50 T asm_exc_c\n"
	  "0000000000000a70 T other\n"
	  "0000000000000b00 T __entry_text_end\n",
	  4, 1, { { 0xa10, 0xa70 } } },
	{ "a file cut inside a merged range",
	  "0000000000000a10 T asm_exc_a\n"
	  "0000000000000a30 T asm_exc_b\n",
	  4, 1, { { 0xa10, 0xa30 } } },
	{ "addresses hidden",
	  "0000000000000000 T asm_exc_a\n"
	  "0000000000000000 T other\n",
	  4, 0, { { 0 } } },
	{ "more ranges than fit: the page fault's alone",
	  "0000000000000a10 T asm_exc_a\n"
	  "0000000000000a20 T x\n"
	  "0000000000000a30 T asm_exc_page_fault\n"
	  "0000000000000a40 T y\n"
	  "0000000000000a50 T asm_exc_c\n"
	  "0000000000000a60 T z\n",
	  2, 1, { { 0xa30, 0xa40 } } },
	{ "no exception stubs",
	  "0000000000000a10 T entry_SYSCALL_64\n"
	  "0000000000000a60 T __entry_text_end\n",
	  4, 0, { { 0 } } },
};

int main(void)
{
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct want *w = &cases[c];
		uint64_t r[4][2] = { { 0 } };
		FILE *f = fmemopen((void *)w->text, strlen(w->text), "r");
		int n = f ? excentry_parse(f, r, w->max) : -1;

		if (f)
			fclose(f);
		if (n != w->n || memcmp(r, w->r, sizeof(r))) {
			printf("%s: %d ranges, not %d; first [%" PRIx64 ", %" PRIx64 ")\n",
			       w->name, n, w->n, r[0][0], r[0][1]);
			return 1;
		}
	}
	printf("ok\n");
	return 0;
}
