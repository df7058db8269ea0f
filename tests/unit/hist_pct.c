// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * user/core/hist.c against figures computed here from the raw samples, so that
 * the percentiles, max and avg the report shows are proved right, not just
 * self-consistent. The histograms are filled by bpf/histslot.h's hist_add_to
 * (what the BPF programs and the replay run); every expected figure comes
 * from the samples themselves, sorted, or from events.h's slot rule written
 * out again here:
 *  - hist_slot_range: each slot's [lo, lo + width) is the rule's, the slots
 *    tile 0 .. 2^42 with no gap or overlap, and both edge values of every
 *    slot go into that slot;
 *  - hist_percentile: for 0.1 .. 100 %, the exact nearest-rank percentile of
 *    the samples (the smallest sample with at least p % of them <= it: what
 *    hist_percentile's "seen >= count * p / 100" finds) lies in the slot of
 *    the reported value, which is within 12.5 % of it (events.h's bound) and
 *    <= max; a one-sample histogram at either edge of every slot; a value
 *    repeated; uniform; bimodal (p50 in the low mode, p90/p99 in the high
 *    one); 0, 1; past the last slot (it saturates: see check_sat);
 *  - count, max_ns and sum_ns / count (the report's avg) are exact;
 *  - hist_merge of two histograms equals the histogram of the samples of
 *    both, at any split, and with an empty one either side;
 *  - hist_print_log2: rows are [2^(k-1), 2^k - 1] us (0 -> 0 first), back
 *    to back; counts sum to the total and equal the samples bucketed here
 *    by their slot's lower edge; that differs from bucketing the raw value
 *    only for values in [1000 * 2^k, 1024 * 2^k) ns, which share a slot with
 *    values below 1000 * 2^k and show one row down; bars scale to the top.
 * Exit 0 with a one-line summary; otherwise each failed check is printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/hist.h"
#include "histslot.h"

typedef unsigned long long ull;

static unsigned long checks, failures, saturated, displaced;
static const char *cur = "";	/* the case being checked, for messages */

#define CHECK(cond, ...) do {						\
	checks++;							\
	if (!(cond)) {							\
		if (++failures <= 40) {					\
			printf("FAIL [%s] %s: ", cur, #cond);		\
			printf(__VA_ARGS__);				\
			putchar('\n');					\
		}							\
	}								\
} while (0)

/* events.h's rule, written out again: v < 8 -> v; else with e = floor(log2 v)
 * 8 * (e - 2) + the three bits below the top one, capped at the last slot */
static unsigned int rule_slot(ull v)
{
	unsigned int e, s;

	if (v < 8)
		return v;
	e = 63 - __builtin_clzll(v);
	s = 8 * (e - 2) + ((v >> (e - 3)) & 7);
	return s < HIST_SLOTS ? s : HIST_SLOTS - 1;
}

/* the values the rule puts in slot s: [lo, lo + width) */
static void rule_range(unsigned int s, ull *lo, ull *width)
{
	unsigned int e = s / 8 + 2;

	if (s < 8) {
		*lo = s;
		*width = 1;
		return;
	}
	*width = 1ull << (e - 3);
	*lo = (1ull << e) + (s % 8) * *width;
}

/* first value past the last slot's range: those saturate into it */
static ull cover_end(void)
{
	ull lo, w;

	rule_range(HIST_SLOTS - 1, &lo, &w);
	return lo + w;
}

static void fill(struct hist *h, const ull *v, size_t n)
{
	memset(h, 0, sizeof(*h));
	for (size_t i = 0; i < n; i++)
		hist_add_to(h, v[i]);
}

static int cmp_ull(const void *a, const void *b)
{
	ull x = *(const ull *)a, y = *(const ull *)b;

	return x < y ? -1 : x > y;
}

/* percentiles as num / den %: exact integer ranks, no rounding */
static const struct { ull num, den; } pcts[] = {
	{ 1, 10 }, { 1, 1 }, { 10, 1 }, { 25, 1 }, { 50, 1 }, { 75, 1 },
	{ 90, 1 }, { 99, 1 }, { 999, 10 }, { 100, 1 },
};
#define NPCT (sizeof(pcts) / sizeof(pcts[0]))

/* nearest rank: the ceil(n * p / 100)-th smallest sample (at least the 1st) */
static ull exact_pct(const ull *sorted, size_t n, ull num, ull den)
{
	ull rank = ((unsigned __int128)n * num + 100 * den - 1) / (100 * den);

	return sorted[rank ? rank - 1 : 0];
}

static double dabs(double x)
{
	return x < 0 ? -x : x;
}

/* The reported percentile r against the exact one t. */
static void check_pct(const struct hist *h, double p, ull t, double r)
{
	ull lo, w, rlo, rw;
	unsigned int rs = rule_slot((ull)r);

	CHECK(r <= (double)h->max_ns, "p%g: %.1f > max %llu", p, r, (ull)h->max_ns);
	if (t >= cover_end()) {
		/* past the last slot: the value is not kept, the slot's is
		 * reported (its midpoint, as for any slot) */
		saturated++;
		rule_range(HIST_SLOTS - 1, &lo, &w);
		CHECK(rs == HIST_SLOTS - 1, "p%g: exact %llu saturates, reported %.1f in slot %u",
		      p, t, r, rs);
		CHECK(r == lo + (w - 1) / 2.0, "p%g: %.1f, not the last slot's midpoint", p, r);
		return;
	}
	hist_slot_range(rs, &lo, &w);
	rule_range(rs, &rlo, &rw);
	CHECK(lo == rlo && w == rw, "slot %u: range [%llu, +%llu), rule [%llu, +%llu)",
	      rs, lo, w, rlo, rw);
	CHECK(t >= lo && t - lo < w,
	      "p%g: exact %llu outside [%llu, %llu], slot %u of the reported %.1f",
	      p, t, lo, lo + w - 1, rs, r);
	CHECK(dabs(r - (double)t) <= (double)t / 8,
	      "p%g: reported %.1f, exact %llu: off by more than 12.5%%", p, r, t);
}

static int bucket(ull us)	/* hist_print_log2's row k: [2^(k-1), 2^k) us */
{
	return us ? 64 - __builtin_clzll(us) : 0;
}

#define ROWS 64

static void check_log2(const struct hist *h, const ull *v, size_t n)
{
	ull want[ROWS] = {}, got_sum = 0, top = 0, prev_to = 0;
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	int first = -1, last = -1, k, nrows = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		CHECK(0, "open_memstream");
		return;
	}
	hist_print_log2(f, h, "  ");
	fclose(f);
	for (size_t i = 0; i < n; i++) {
		ull lo, w;
		int kv = bucket(v[i] / 1000), ks;

		rule_range(rule_slot(v[i]), &lo, &w);
		ks = bucket(lo / 1000);
		want[ks]++;
		/* the row of its slot against the row of the value itself
		 * (past the last slot, the value is not kept) */
		if (ks != kv && v[i] < cover_end()) {
			ull edge = 1000ull << (kv - 1);

			displaced++;
			CHECK(ks == kv - 1 && v[i] >= edge && v[i] < edge / 1000 * 1024,
			      "%llu ns: row %d, its value's row %d", v[i], ks, kv);
		}
	}
	for (k = 0; k < ROWS; k++) {
		if (!want[k])
			continue;
		if (first < 0)
			first = k;
		last = k;
		if (want[k] > top)
			top = want[k];
	}
	if (!n) {
		CHECK(len == 0, "empty histogram printed %zu bytes", len);
		free(buf);
		return;
	}
	line = strtok_r(buf, "\n", &save);
	CHECK(line && strstr(line, "usecs") && strstr(line, "count"),
	      "header: \"%s\"", line ? line : "(none)");
	for (k = first; (line = strtok_r(NULL, "\n", &save)); k++, nrows++) {
		ull from, to, cnt, ef = k ? 1ull << (k - 1) : 0, et = (1ull << k) - 1;
		int at = -1, stars = 0, bar = 0;

		if (sscanf(line, " %llu -> %llu : %llu |%n", &from, &to, &cnt, &at) != 3 || at < 0) {
			CHECK(0, "unparsed row \"%s\"", line);
			break;
		}
		for (const char *c = line + at; *c && *c != '|'; c++, bar++)
			stars += *c == '*';
		CHECK(from == ef && to == et, "row %d is %llu -> %llu, want %llu -> %llu",
		      k, from, to, ef, et);
		/* a power-of-two range, right after the previous row */
		CHECK(from == 0 ? to == 0 : (from & (from - 1)) == 0 && to == 2 * from - 1,
		      "row %llu -> %llu is not a power-of-two range", from, to);
		CHECK(nrows == 0 || from == prev_to + 1, "row %llu -> %llu after .. %llu",
		      from, to, prev_to);
		prev_to = to;
		CHECK(k < ROWS && cnt == want[k], "row %llu -> %llu: %llu, want %llu",
		      from, to, cnt, k < ROWS ? want[k] : 0);
		CHECK(bar == 30 && (ull)stars == cnt * 30 / top,
		      "row %llu -> %llu: %d stars of %d, want %llu", from, to, stars, bar,
		      cnt * 30 / top);
		got_sum += cnt;
	}
	CHECK(k == last + 1, "rows end at %d, want %d", k - 1, last);
	CHECK(got_sum == n && got_sum == h->count, "rows sum to %llu, count %llu, samples %zu",
	      got_sum, (ull)h->count, n);
	free(buf);
}

static void check_same(const struct hist *a, const struct hist *b, const char *what)
{
	unsigned int s;

	for (s = 0; s < HIST_SLOTS && a->slots[s] == b->slots[s]; s++)
		;
	CHECK(s == HIST_SLOTS, "%s: slot %u has %u, want %u", what, s,
	      s < HIST_SLOTS ? a->slots[s] : 0, s < HIST_SLOTS ? b->slots[s] : 0);
	CHECK(a->count == b->count && a->sum_ns == b->sum_ns && a->max_ns == b->max_ns,
	      "%s: count/sum/max %llu/%llu/%llu, want %llu/%llu/%llu", what,
	      (ull)a->count, (ull)a->sum_ns, (ull)a->max_ns,
	      (ull)b->count, (ull)b->sum_ns, (ull)b->max_ns);
}

static void check_merge(const struct hist *all, const ull *v, size_t n)
{
	static struct hist a, b, e;
	size_t cuts[] = { 0, n / 3, n / 2, n };

	memset(&e, 0, sizeof(e));
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		fill(&a, v, cuts[i]);
		fill(&b, v + cuts[i], n - cuts[i]);
		hist_merge(&a, &b);
		check_same(&a, all, "merge of two parts");
	}
	a = *all;
	hist_merge(&a, &e);
	check_same(&a, all, "merge of an empty one");
	memset(&a, 0, sizeof(a));
	hist_merge(&a, all);
	check_same(&a, all, "merge into an empty one");
}

/*
 * hists_final: S sleeps kept apart by futex or not, and futex waits by
 * seen or unseen switch-in (events.h), become every S sleep and every
 * futex wait, once; the kept-only histogram ends empty.
 */
static void check_final(const ull *v, size_t n)
{
	static struct hist h[NR_HISTS_KEPT], all, fx;
	size_t a = n / 3, b = n / 2;	/* v[0..a) S, v[a..b) futex seen, the rest unseen */

	memset(h, 0, sizeof(h));
	fill(&h[HIST_OFF_S], v, a);
	fill(&h[HIST_FUTEX_WAIT], v + a, b - a);
	fill(&h[HIST_FUTEX_UNSEEN], v + b, n - b);
	fill(&all, v, b);
	fill(&fx, v + a, n - a);
	hists_final(h);
	check_same(&h[HIST_OFF_S], &all, "final S sleeps");
	check_same(&h[HIST_FUTEX_WAIT], &fx, "final futex waits");
	CHECK(h[HIST_FUTEX_UNSEEN].count == 0, "kept-only histogram left with %llu",
	      (ull)h[HIST_FUTEX_UNSEEN].count);
}

/*
 * Every check on the samples v (any order): returns the reported
 * percentiles in rep[NPCT] for the caller's own checks.
 */
static void check_dist(const char *name, const ull *v, size_t n, double *rep)
{
	static struct hist h;
	ull *s = malloc((n + 1) * sizeof(*s)), lo, w;
	unsigned __int128 sum = 0;

	cur = name;
	if (!s) {
		CHECK(0, "out of memory");
		return;
	}
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_ull);
	fill(&h, v, n);
	for (size_t i = 0; i < n; i++)
		sum += v[i];

	/* the slots hold what the rule says */
	for (unsigned int sl = 0; sl < HIST_SLOTS; sl++) {
		size_t a = 0, b;

		rule_range(sl, &lo, &w);
		/* samples in [lo, lo + w), from the sorted copy */
		while (a < n && s[a] < lo)
			a++;
		for (b = a; b < n && (sl == HIST_SLOTS - 1 || s[b] - lo < w); b++)
			;
		CHECK(h.slots[sl] == b - a, "slot %u [%llu, +%llu): %u, want %zu",
		      sl, lo, w, h.slots[sl], b - a);
	}
	CHECK(h.count == n, "count %llu, want %zu", (ull)h.count, n);
	if (!n) {
		for (size_t i = 0; i < NPCT; i++)
			CHECK(hist_percentile(&h, (double)pcts[i].num / pcts[i].den) == 0,
			      "p%g of an empty histogram", (double)pcts[i].num / pcts[i].den);
	} else {
		CHECK(h.max_ns == s[n - 1], "max %llu, want %llu", (ull)h.max_ns, s[n - 1]);
		if (!(sum >> 64)) {
			double avg = (double)h.sum_ns / h.count;
			double exact = (double)(long double)sum / n;

			CHECK(h.sum_ns == (ull)sum, "sum %llu, want %llu", (ull)h.sum_ns, (ull)sum);
			CHECK(dabs(avg - exact) <= exact * 1e-12, "avg %f, want %f", avg, exact);
		}
		for (size_t i = 0; i < NPCT; i++) {
			double p = (double)pcts[i].num / pcts[i].den;
			double r = hist_percentile(&h, p);

			check_pct(&h, p, exact_pct(s, n, pcts[i].num, pcts[i].den), r);
			if (rep)
				rep[i] = r;
		}
	}
	check_log2(&h, v, n);
	check_merge(&h, v, n);
	check_final(v, n);
	free(s);
}

static ull rng = 88172645463325252ull;

static ull xrand(void)		/* xorshift64: the same samples every run */
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void shuffle(ull *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = xrand() % i;
		ull t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

static size_t pct_index(ull num)
{
	for (size_t i = 0; i < NPCT; i++)
		if (pcts[i].num == num && pcts[i].den == 1)
			return i;
	return 0;
}

#define N 100000

int main(void)
{
	static ull v[N];
	double rep[NPCT];
	char name[96];
	ull lo, w, plo, pw;

	/* the slots tile 0 .. cover_end(): no gap, no overlap, edges inside */
	cur = "slot ranges";
	for (unsigned int s = 0; s < HIST_SLOTS; s++) {
		hist_slot_range(s, &lo, &w);
		rule_range(s, &plo, &pw);
		CHECK(lo == plo && w == pw, "slot %u: [%llu, +%llu), rule [%llu, +%llu)",
		      s, lo, w, plo, pw);
		CHECK(hist_slot(lo) == s && rule_slot(lo) == s, "lower edge %llu: slot %u",
		      lo, hist_slot(lo));
		CHECK(hist_slot(lo + w - 1) == s, "upper edge %llu: slot %u, want %u",
		      lo + w - 1, hist_slot(lo + w - 1), s);
		if (s) {
			hist_slot_range(s - 1, &plo, &pw);
			CHECK(plo + pw == lo, "slot %u starts at %llu, slot %u ends at %llu",
			      s, lo, s - 1, plo + pw);
			CHECK(hist_slot(lo - 1) == s - 1, "%llu: slot %u, want %u",
			      lo - 1, hist_slot(lo - 1), s - 1);
		}
		/* at most 1/8 of its lower edge wide: the 12.5 % */
		CHECK(w == 1 || w * 8 <= lo, "slot %u: width %llu at %llu", s, w, lo);
	}
	CHECK(cover_end() == 1ull << 42, "the slots end at %llu", cover_end());
	CHECK(hist_slot(cover_end()) == HIST_SLOTS - 1 && hist_slot(~0ull) == HIST_SLOTS - 1,
	      "past the end: slots %u, %u", hist_slot(cover_end()), hist_slot(~0ull));

	/* one sample at either edge of every slot: percentiles in that slot;
	 * at the lower edge the midpoint is capped at max, the edge itself */
	for (unsigned int s = 0; s < HIST_SLOTS; s++) {
		static struct hist h;

		rule_range(s, &lo, &w);
		snprintf(name, sizeof(name), "one sample at slot %u's lower edge %llu", s, lo);
		v[0] = lo;
		check_dist(name, v, 1, NULL);
		fill(&h, v, 1);
		CHECK(hist_percentile(&h, 50) == lo, "p50 %f", hist_percentile(&h, 50));
		snprintf(name, sizeof(name), "one sample at slot %u's upper edge %llu", s, lo + w - 1);
		v[0] = lo + w - 1;
		check_dist(name, v, 1, rep);
		CHECK(rep[0] == lo + (w - 1) / 2.0 && rep[NPCT - 1] == rep[0],
		      "p0.1 %f, p100 %f, want the midpoint", rep[0], rep[NPCT - 1]);
	}

	check_dist("empty", v, 0, NULL);

	/* a value repeated: every percentile in its slot, the same value */
	{
		static const ull vals[] = {
			0, 1, 2, 7, 8, 9, 15, 16, 17, 100, 999, 1000, 1023, 1024,
			4095, 4096, 12345, 999999, 1000000, 123456789, 1ull << 40,
			(1ull << 42) - 1,
		};

		for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
			for (size_t j = 0; j < 1000; j++)
				v[j] = vals[i];
			snprintf(name, sizeof(name), "%llu repeated", vals[i]);
			check_dist(name, v, 1000, rep);
			for (size_t k = 0; k < NPCT; k++)
				CHECK(rule_slot((ull)rep[k]) == rule_slot(vals[i]) && rep[k] == rep[0],
				      "p%g %f, p0.1 %f", (double)pcts[k].num / pcts[k].den,
				      rep[k], rep[0]);
		}
	}
	cur = "0";
	v[0] = 0;
	check_dist("0 alone", v, 1, rep);
	CHECK(rep[pct_index(50)] == 0, "p50 %f", rep[pct_index(50)]);
	v[0] = 1;
	check_dist("1 alone", v, 1, rep);
	CHECK(rep[pct_index(50)] == 1, "p50 %f", rep[pct_index(50)]);

	/* past the last slot: kept in it, max exact, percentiles saturate */
	{
		static const ull big[] = { 1ull << 42, (1ull << 42) + 1, 1ull << 50,
					   (1ull << 63) - 1, 1ull << 63, ~0ull };

		for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
			v[0] = big[i];
			snprintf(name, sizeof(name), "%llu alone", big[i]);
			check_dist(name, v, 1, NULL);
			for (size_t j = 0; j < 10; j++)
				v[j] = j < 9 ? 1000 : big[i];
			snprintf(name, sizeof(name), "9 x 1000 and %llu", big[i]);
			check_dist(name, v, 10, NULL);
		}
	}

	/* uniform: each of 0 .. N-1 once, in random order */
	for (size_t i = 0; i < N; i++)
		v[i] = i;
	shuffle(v, N);
	check_dist("uniform 0 .. 99999, each once", v, N, NULL);
	/* uniform random over ranges, and every sample count 1 .. 200 */
	for (int r = 0; r < 4; r++) {
		static const ull from[] = { 0, 1000, 1000000, 1ull << 30 };
		static const ull span[] = { 64, 1000000, 50000000, 1ull << 41 };

		for (size_t i = 0; i < N; i++)
			v[i] = from[r] + xrand() % span[r];
		snprintf(name, sizeof(name), "uniform random in [%llu, %llu)", from[r],
			 from[r] + span[r]);
		check_dist(name, v, N, NULL);
	}
	for (size_t n = 1; n <= 200; n++) {
		for (size_t i = 0; i < n; i++)
			v[i] = xrand() % 100000;
		snprintf(name, sizeof(name), "uniform random, %zu samples", n);
		check_dist(name, v, n, NULL);
	}
	/* log-uniform: every slot's scale, a few past the end */
	for (size_t i = 0; i < N; i++)
		v[i] = xrand() >> (xrand() % 64);
	check_dist("log-uniform over 0 .. 2^64", v, N, NULL);

	/* bimodal: 70 % around 10 us, 30 % around 50 ms */
	for (size_t i = 0; i < N; i++)
		v[i] = i < N * 7 / 10 ? 9000 + xrand() % 2001 : 45000000 + xrand() % 10000001;
	shuffle(v, N);
	check_dist("bimodal 10 us / 50 ms", v, N, rep);
	for (size_t k = 0; k < NPCT; k++) {
		int high = pcts[k].num >= 75 * pcts[k].den;	/* ranks past 70 % */
		double r = rep[k];

		CHECK(high ? r >= 45000000 * 0.875 && r <= 55000000 * 1.125
			   : r >= 9000 * 0.875 && r <= 11000 * 1.125,
		      "p%g = %.1f, not in the %s mode", (double)pcts[k].num / pcts[k].den, r,
		      high ? "high" : "low");
	}
	/* the boundary between the modes: the 70000th sample is the low mode's
	 * last, the 70001st the high mode's first */
	{
		static struct hist h;

		fill(&h, v, N);
		CHECK(hist_percentile(&h, 70) <= 11000 * 1.125, "p70 %f", hist_percentile(&h, 70));
		CHECK(hist_percentile(&h, 70.001) >= 45000000 * 0.875, "p70.001 %f",
		      hist_percentile(&h, 70.001));
	}

	if (failures) {
		printf("hist_pct: %lu of %lu checks failed\n", failures, checks);
		return 1;
	}
	printf("hist_pct: %lu checks passed (%lu percentiles past the last slot, "
	       "%lu samples printed one log2 row down)\n", checks, saturated, displaced);
	return 0;
}
