// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>
#include "core/hist.h"

void hist_slot_range(unsigned int slot, __u64 *lo, __u64 *width)
{
	unsigned int sub = 1u << HIST_SUB_BITS, e;

	if (slot < sub) {
		*lo = slot;
		*width = 1;
		return;
	}
	e = (slot >> HIST_SUB_BITS) + HIST_SUB_BITS - 1;	/* floor(log2) */
	*width = 1ull << (e - HIST_SUB_BITS);
	*lo = (__u64)(sub + (slot & (sub - 1))) * *width;
}

double hist_percentile(const struct hist *h, double p)
{
	double want = h->count * p / 100.0, seen = 0, v;
	__u64 lo, width;

	if (!h->count)
		return 0;
	for (unsigned int s = 0; s < HIST_SLOTS; s++) {
		seen += h->slots[s];
		if (seen >= want && h->slots[s]) {
			hist_slot_range(s, &lo, &width);
			v = lo + (width - 1) / 2.0;
			return v < h->max_ns ? v : h->max_ns;
		}
	}
	return h->max_ns;
}

void hist_merge(struct hist *into, const struct hist *h)
{
	for (unsigned int s = 0; s < HIST_SLOTS; s++)
		into->slots[s] += h->slots[s];
	into->count += h->count;
	into->sum_ns += h->sum_ns;
	if (h->max_ns > into->max_ns)
		into->max_ns = h->max_ns;
}

void hist_recount(struct hist *h)
{
	h->count = 0;
	for (unsigned int s = 0; s < HIST_SLOTS; s++)
		h->count += h->slots[s];
}

void hists_final(struct hist h[NR_HISTS_KEPT])
{
	hist_merge(&h[HIST_OFF_S], &h[HIST_FUTEX_WAIT]);
	hist_merge(&h[HIST_FUTEX_WAIT], &h[HIST_FUTEX_UNSEEN]);
	memset(&h[HIST_FUTEX_UNSEEN], 0, sizeof(h[0]));
}

#define LOG2_BUCKETS	40
#define BAR_WIDTH	30

void hist_print_log2(FILE *out, const struct hist *h, const char *indent)
{
	__u64 b[LOG2_BUCKETS] = {}, lo, width, top = 0;
	int first = -1, last = -1;

	for (unsigned int s = 0; s < HIST_SLOTS; s++) {
		__u64 us;
		int k = 0;

		if (!h->slots[s])
			continue;
		hist_slot_range(s, &lo, &width);
		for (us = lo / 1000; us; us >>= 1)
			k++;		/* bucket k holds [2^(k-1), 2^k) us */
		if (k >= LOG2_BUCKETS)
			k = LOG2_BUCKETS - 1;
		b[k] += h->slots[s];
	}
	for (int k = 0; k < LOG2_BUCKETS; k++) {
		if (!b[k])
			continue;
		if (first < 0)
			first = k;
		last = k;
		if (b[k] > top)
			top = b[k];
	}
	if (first < 0)
		return;
	fprintf(out, "%s%21s : %-10s distribution\n", indent, "usecs", "count");
	for (int k = first; k <= last; k++) {
		char bar[BAR_WIDTH + 1];
		int n = top ? (int)(b[k] * BAR_WIDTH / top) : 0;
		__u64 from = k ? 1ull << (k - 1) : 0, to = (1ull << k) - 1;

		memset(bar, '*', n);
		memset(bar + n, ' ', BAR_WIDTH - n);
		bar[BAR_WIDTH] = '\0';
		fprintf(out, "%s%10llu -> %-8llu : %-10llu |%s|\n", indent,
			(unsigned long long)from, (unsigned long long)to,
			(unsigned long long)b[k], bar);
	}
}
