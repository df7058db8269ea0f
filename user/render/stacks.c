// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Off-CPU stacks (--stacks): the report's section and the folded file. */
#include <stdlib.h>
#include <string.h>
#include "core/tasks.h"
#include "io/csv.h"
#include "render/stacks.h"

#define TOP_STACKS	10
#define FRAMES_SHOWN	12

/* One stack over every task that waited in it: same frames, same state. */
struct group {
	const struct trace_offcpu *first;
	__u64 count, total_ns, max_ns;
	__u32 slots[OFFCPU_SLOTS];
	__u32 tasks;
};

static int same_frames(char **a, __u32 na, char **b, __u32 nb)
{
	if (na != nb)
		return 0;
	for (__u32 i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return 0;
	return 1;
}

static int same_stack(const struct trace_offcpu *x, const struct trace_offcpu *y)
{
	return x->key.state == y->key.state && same_frames(x->user, x->nuser, y->user, y->nuser) &&
	       same_frames(x->kern, x->nkern, y->kern, y->nkern);
}

static int by_total(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	return x->total_ns < y->total_ns ? 1 : x->total_ns > y->total_ns ? -1 : 0;
}

/* Groups of td's entries by stack (quadratic: at most MAX_OFFCPU entries, once). */
static struct group *group(const struct trace_data *td, size_t *n)
{
	struct group *g = calloc(td->noffcpu ? td->noffcpu : 1, sizeof(*g));

	*n = 0;
	for (size_t i = 0; g && i < td->noffcpu; i++) {
		const struct trace_offcpu *o = &td->offcpu[i];
		size_t k;

		for (k = 0; k < *n && !same_stack(g[k].first, o); k++)
			;
		if (k == *n)
			g[(*n)++].first = o;
		g[k].count += o->val.count;
		g[k].total_ns += o->val.total_ns;
		if (o->val.max_ns > g[k].max_ns)
			g[k].max_ns = o->val.max_ns;
		for (int s = 0; s < OFFCPU_SLOTS; s++)
			g[k].slots[s] += o->val.slots[s];
		g[k].tasks++;
	}
	if (g)
		qsort(g, *n, sizeof(*g), by_total);
	return g;
}

/* The pct-th percentile's log2 slot, as the geometric middle of [2^k, 2^k+1) in us */
static double pct_us(const struct group *g, double pct)
{
	__u64 want = (__u64)(g->count * pct / 100.0 + 0.999999), seen = 0;

	for (int k = 0; k < OFFCPU_SLOTS; k++) {
		seen += g->slots[k];
		if (seen >= want && seen)
			return (double)(1ull << k) * 1.4142 / 1e3;
	}
	return g->max_ns / 1e3;
}

void stacks_print(FILE *out, const struct trace_data *td)
{
	size_t n;
	struct group *g;
	__u64 count, total = trace_offcpu_total(td, &count);

	if (!td->stacks)
		return;
	g = group(td, &n);
	fprintf(out, "\nwhere the tree waited (off-CPU from a blocking switch-out to the next "
		"switch-in, by stack; --stacks)\n");
	fprintf(out, "  %llu waits, %.3f ms in %zu stacks; %llu stacks not read, %llu "
		"entries lost (table full), %llu processes gone before their mappings were "
		"read\n", (unsigned long long)count, total / 1e6, n,
		(unsigned long long)td->cnt[CNT_STACK_FAIL],
		(unsigned long long)td->cnt[CNT_OFFCPU_LOST],
		(unsigned long long)td->stacks_unresolved);
	for (size_t i = 0; g && i < n && i < TOP_STACKS; i++) {
		const struct trace_offcpu *o = g[i].first;

		fprintf(out, "  %.3f ms, %llu waits (%s), p50 ~%.1f us, p99 ~%.1f us, "
			"max %.1f us, %u task%s\n", g[i].total_ns / 1e6,
			(unsigned long long)g[i].count,
			o->key.state == OFF_D ? "D" : "S", pct_us(&g[i], 50), pct_us(&g[i], 99),
			g[i].max_ns / 1e3, g[i].tasks, g[i].tasks == 1 ? "" : "s");
		for (__u32 f = 0; f < o->nkern && f < FRAMES_SHOWN; f++)
			fprintf(out, "      %s\n", o->kern[f]);
		fprintf(out, "      --\n");
		for (__u32 f = 0; f < o->nuser && f < FRAMES_SHOWN; f++)
			fprintf(out, "      %s\n", o->user[f]);
		if (!o->nuser)
			fprintf(out, "      [user stack not read]\n");
	}
	free(g);
}

/* Folded frames keep ';' and ' ' out of names: they separate. */
static void put_frame(struct csv *c, const char *name)
{
	for (const char *p = name; *p; p++)
		csv_raw(c, *p == ';' || *p == ' ' ? "_" : p, 1);
}

int stacks_write_folded(struct csv *c, const struct trace_data *td)
{
	char num[32];

	for (size_t i = 0; i < td->noffcpu; i++) {
		const struct trace_offcpu *o = &td->offcpu[i];
		const char *comm = tasktab_name(td->names, o->key.tid);
		int len;

		put_frame(c, comm ? comm : "?");
		for (__u32 f = o->nuser; f-- > 0;) {
			csv_raw(c, ";", 1);
			put_frame(c, o->user[f]);
		}
		if (!o->nuser)
			csv_raw(c, ";[user_stack_not_read]", 22);
		for (__u32 f = o->nkern; f-- > 0;) {
			csv_raw(c, ";", 1);
			put_frame(c, o->kern[f]);
			csv_raw(c, "_[k]", 4);
		}
		len = snprintf(num, sizeof(num), " %llu\n",
			       (unsigned long long)(o->val.total_ns + 500) / 1000);
		csv_raw(c, num, len);
	}
	return csv_commit(c);
}
