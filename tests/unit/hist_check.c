// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * bpf/histslot.h's histogram slot against the rule events.h states (v < 8: v;
 * else 8 * (e - 2) + the three bits below the top one, e = floor(log2 v),
 * capped at the last slot), computed here with the compiler's clz: every
 * v below 2^20, every power of two and its neighbours, 10^7 random values.
 * Exit 0 on success; prints the first wrong slot otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include "histslot.h"

static __u32 want(__u64 v)
{
	__u32 e, slot;

	if (v < 8)
		return v;
	e = 63 - __builtin_clzll(v);
	slot = 8 * (e - 2) + ((v >> (e - 3)) & 7);
	return slot < HIST_SLOTS ? slot : HIST_SLOTS - 1;
}

static int check(__u64 v)
{
	if (hist_slot(v) == want(v))
		return 0;
	printf("v=%llu: slot %u, want %u\n", (unsigned long long)v, hist_slot(v), want(v));
	return 1;
}

int main(void)
{
	for (__u64 v = 0; v < 1 << 20; v++)
		if (check(v))
			return 1;
	for (int e = 0; e < 64; e++) {
		__u64 p = 1ull << e;

		if (check(p) || check(p - 1) || check(p + 1) || check(~0ull - p))
			return 1;
	}
	srand(1);
	for (int i = 0; i < 10000000; i++) {
		__u64 v = ((__u64)rand() << 62) ^ ((__u64)rand() << 31) ^ rand();

		if (check(v >> (rand() % 64)))
			return 1;
	}
	return 0;
}
