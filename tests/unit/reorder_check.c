// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * user/io/reorder.c against what the reader feeds it: chunks of time-ordered
 * records from up to 64 CPUs in any order (now and then one record of a
 * chunk ahead of the rest), a watermark below every CPU's next record. Every record must come out once, in time order, none late.
 * Exit 0 on success; prints the first failing trial otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/reorder.h"

static uint64_t last, count;
static int unordered;

static void out(void *ctx, const union ev_any *e)
{
	(void)ctx;
	unordered += e->hdr.ts < last;
	last = e->hdr.ts;
	count++;
}

int main(void)
{
	srand(1);
	for (int trial = 0; trial < 200; trial++) {
		int nq = 1 + rand() % 64;
		uint64_t t[64] = { 0 }, mark = 0, total = 0;
		struct reorder *ro = reorder_new(nq);

		if (!ro)
			return 2;
		last = count = 0;
		unordered = 0;
		for (int step = 0; step < 2000; step++) {
			int q = rand() % nq, k = 1 + rand() % 50, d = rand() % k;
			union ev_any e[50];

			memset(e, 0, sizeof(e));
			for (int i = 0; i < k; i++, total++) {
				t[q] = (t[q] > mark ? t[q] : mark) + 1 + rand() % 100;
				e[i].hdr.ts = t[q];
				e[i].hdr.cpu = q;
			}
			/*
			 * A record written straight to the ring by a program that
			 * interrupted the stage's holder arrives before the stage's
			 * older records.
			 */
			if (!d || rand() % 4)
				d = -1;
			else if (reorder_add(ro, &e[d]))
				out(NULL, &e[d]);
			for (int i = 0; i < k; i++)
				if (i != d && reorder_add(ro, &e[i]))
					out(NULL, &e[i]);
			if (rand() % 10 == 0) {	/* every CPU has flushed up to its last */
				uint64_t m = UINT64_MAX;

				for (int i = 0; i < nq; i++)
					m = t[i] < m ? t[i] : m;
				mark = m > mark ? m : mark;
				reorder_release(ro, mark, out, NULL);
			}
		}
		reorder_release(ro, UINT64_MAX, out, NULL);
		if (unordered || count != total || reorder_late(ro)) {
			printf("trial %d (%d CPUs): %d out of order, %llu of %llu out, %llu late\n",
			       trial, nq, unordered, (unsigned long long)count,
			       (unsigned long long)total, (unsigned long long)reorder_late(ro));
			return 1;
		}
		reorder_free(ro);
	}
	return 0;
}
