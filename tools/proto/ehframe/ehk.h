/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* In-kernel .eh_frame unwinding: the table row both sides share */
#ifndef EHK_H
#define EHK_H
#define MAX_ROWS	(1 << 21)
#define MAX_FRAMES	32
enum { CFA_RSP, CFA_RBP, CFA_NONE };
struct row {
	__u64 pc;		/* absolute: the row applies from here to the next */
	__s32 cfa_off;
	__u8 cfa_reg;		/* CFA_* */
	__u8 bp_saved;		/* rbp saved at CFA + bp_off */
	__s16 bp_off;
};
struct skey { __u64 f[MAX_FRAMES]; };
#endif
