// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Off-CPU stacks (--stacks): the report's section and the folded file. */
#define _GNU_SOURCE	/* qsort_r */
#include <stdlib.h>
#include <string.h>
#include "core/tasks.h"
#include "io/csv.h"
#include "core/log.h"
#include "render/stacks.h"

#define TOP_STACKS	10
#define TOP_PREEMPTED	5
#define FRAMES_SHOWN	12
#define WAKER_KFRAMES	6	/* the waker's kernel side: try_to_wake_up and its callers */
#define PAIR_FRAMES	5	/* a pair's waker frames on one line */

/* One stack over every task that waited in it: same frames, same state. */
struct group {
	const struct trace_offcpu *first;
	__u64 count, total_ns, max_ns;
	__u32 slots[OFFCPU_SLOTS];
	__u32 tasks;
};

static int cmp_waker(const void *a, const void *b)
{
	const struct trace_offcpu *x = *(const struct trace_offcpu *const *)a;
	const struct trace_offcpu *y = *(const struct trace_offcpu *const *)b;
	int c = trace_frames_cmp(x->wuser, x->nwuser, y->wuser, y->nwuser);

	return c ? c : trace_frames_cmp(x->wkern, x->nwkern, y->wkern, y->nwkern);
}

/* What woke the waits of the entries match() takes: tasks, and the heaviest of their stacks. */
struct wakers {
	__u64 waits, woken;		/* all waits; those a task woke */
	const struct trace_offcpu *top;	/* one with the heaviest waker stack; NULL: none */
	__u64 top_waits, top_ns;	/* its waits and time over every entry */
	size_t stacks;			/* distinct waker stacks */
};

static struct wakers find_wakers(const struct trace_data *td,
				 int (*match)(const struct trace_offcpu *, const void *),
				 const void *arg)
{
	const struct trace_offcpu **v = calloc(td->noffcpu ? td->noffcpu : 1, sizeof(*v));
	struct wakers w = {};
	size_t m = 0;

	for (size_t i = 0; v && i < td->noffcpu; i++) {
		const struct trace_offcpu *o = &td->offcpu[i];

		if (!match(o, arg))
			continue;
		w.waits += o->val.count;
		if (o->key.wtid) {
			w.woken += o->val.count;
			v[m++] = o;
		}
	}
	if (v)
		qsort(v, m, sizeof(*v), cmp_waker);
	/* runs of the same waker stack, summed */
	for (size_t i = 0, j; v && i < m; i = j) {
		__u64 ns = 0, waits = 0;

		for (j = i; j < m && !cmp_waker(&v[i], &v[j]); j++) {
			ns += v[j]->val.total_ns;
			waits += v[j]->val.count;
		}
		w.stacks++;
		if (!w.top || ns > w.top_ns) {
			w.top = v[i];
			w.top_ns = ns;
			w.top_waits = waits;
		}
	}
	free(v);
	return w;
}

static int same_stack(const struct trace_offcpu *x, const struct trace_offcpu *y)
{
	return x->key.state == y->key.state &&
	       !trace_frames_cmp(x->user, x->nuser, y->user, y->nuser) &&
	       !trace_frames_cmp(x->kern, x->nkern, y->kern, y->nkern);
}

static int by_total(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	return x->total_ns < y->total_ns ? 1 : x->total_ns > y->total_ns ? -1 : 0;
}

/* Entries by state, user frames, kernel frames, then task */
static int cmp_stack(const void *a, const void *b)
{
	const struct trace_offcpu *x = *(const struct trace_offcpu *const *)a;
	const struct trace_offcpu *y = *(const struct trace_offcpu *const *)b;
	int c = (int)x->key.state - (int)y->key.state;

	if (!c)
		c = trace_frames_cmp(x->user, x->nuser, y->user, y->nuser);
	if (!c)
		c = trace_frames_cmp(x->kern, x->nkern, y->kern, y->nkern);
	return c ? c : x->key.tid < y->key.tid ? -1 : x->key.tid > y->key.tid;
}

/* td's entries in order of cmp_stack; NULL if out of memory */
static const struct trace_offcpu **sorted(const struct trace_data *td)
{
	const struct trace_offcpu **v = calloc(td->noffcpu ? td->noffcpu : 1, sizeof(*v));

	for (size_t i = 0; v && i < td->noffcpu; i++)
		v[i] = &td->offcpu[i];
	if (v)
		qsort(v, td->noffcpu, sizeof(*v), cmp_stack);
	return v;
}

/* Groups of td's entries by stack (the waker and the futex word aside), heaviest first */
static struct group *group(const struct trace_data *td, size_t *n)
{
	const struct trace_offcpu **v = sorted(td);
	struct group *g = calloc(td->noffcpu ? td->noffcpu : 1, sizeof(*g));

	*n = 0;
	for (size_t i = 0; v && g && i < td->noffcpu; i++) {
		const struct trace_offcpu *o = v[i];
		struct group *k;

		if (!*n || !same_stack(g[*n - 1].first, o))
			g[(*n)++].first = o;
		k = &g[*n - 1];
		k->count += o->val.count;
		k->total_ns += o->val.total_ns;
		if (o->val.max_ns > k->max_ns)
			k->max_ns = o->val.max_ns;
		for (int s = 0; s < OFFCPU_SLOTS; s++)
			k->slots[s] += o->val.slots[s];
		/* sorted by tid within the stack: a new tid, a task more */
		if (o == k->first || o->key.tid != v[i - 1]->key.tid)
			k->tasks++;
	}
	free(v);
	if (g)
		qsort(g, *n, sizeof(*g), by_total);
	return g;
}

static int in_group(const struct trace_offcpu *o, const void *arg)
{
	return same_stack(o, arg);
}

struct pair_of {
	__u32 waker, wakee;
};

static int in_pair(const struct trace_offcpu *o, const void *arg)
{
	const struct pair_of *p = arg;

	return o->key.wtid == p->waker && o->key.tid == p->wakee && o->key.state != OFF_R;
}

/* A name as the report shows it, whole: a control byte (a line break) as '?' */
static void put_shown(FILE *out, const char *name)
{
	for (const char *p = name; *p; p++)
		fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, out);
}

static void print_frames(FILE *out, char **f, __u32 n, __u32 most, const char *none)
{
	for (__u32 i = 0; i < n && i < most; i++) {
		fputs("      ", out);
		put_shown(out, f[i]);
		fputc('\n', out);
	}
	if (n > most) {
		fprintf(out, "      ... %u more, out to ", n - most);
		put_shown(out, f[n - 1]);
		fputc('\n', out);
	}
	if (!n)
		fprintf(out, "      %s\n", none);
}

/*
 * A whole user stack ends where a thread or a process began; one that ends
 * elsewhere was cut short: a frame without a frame pointer (glibc, Debian's
 * python3), an unwind that found no CFI, or the 16 KiB copied.
 */
static int cut_short(char **f, __u32 n)
{
	static const char *const entries[] = {
		"_start", "__libc_start_main", "__libc_start_call_main",
		"__libc_start_main_impl", "start_thread", "__clone3", "__clone", "clone",
		"clone3", "_dl_start_user",
	};

	const char *last = n ? f[n - 1] : "";

	if (!n)
		return 0;	/* not read: said as such */
	if (!strncmp(last, "__GI_", 5))	/* glibc's internal alias (its debug symbols) */
		last += 5;
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (!strcmp(last, entries[i]))
			return 0;
	return 1;
}

/* The waker's stack of a group's heaviest: who released the wait, and where */
static void print_waker(FILE *out, const struct trace_data *td, const struct trace_offcpu *o)
{
	struct wakers w = find_wakers(td, in_group, o);
	const char *comm;

	if (!w.top) {
		fprintf(out, "    woken by an interrupt or a timer, never by a task\n");
		return;
	}
	comm = tasktab_name(td->names, w.top->key.wtid);
	if (!comm && w.top->wcomm[0])
		comm = w.top->wcomm;
	fprintf(out, "    woken by a task in %llu of %llu waits (%zu waker stack%s); the heaviest, "
		"%llu waits, e.g. by %u ", (unsigned long long)w.woken,
		(unsigned long long)w.waits, w.stacks, w.stacks == 1 ? "" : "s",
		(unsigned long long)w.top_waits, w.top->key.wtid);
	put_shown(out, comm ? comm : "(not in tree)");
	fputs(":\n", out);
	print_frames(out, w.top->wkern, w.top->nwkern, WAKER_KFRAMES, "[kernel stack not read]");
	fprintf(out, "      --\n");
	print_frames(out, w.top->wuser, w.top->nwuser, FRAMES_SHOWN,
		     w.top->key.wuser < 0 ? "[no user stack: a kernel thread, an exiting task, or not read]" :
					    "[user stack not read]");
}

/* A frame a walk made up: an address in no mapping (a frame-pointer walk through code without them) */
static int bogus(const char *f)
{
	return !strncmp(f, "[unknown]", 9);
}

struct word_of {
	__u32 tgid;
	__u64 uaddr;
};

static int in_word(const struct trace_offcpu *o, const void *arg)
{
	const struct word_of *w = arg;

	return o->key.uaddr == w->uaddr && o->key.tgid == w->tgid;
}

static int cmp_own(const void *a, const void *b)
{
	const struct trace_offcpu *x = *(const struct trace_offcpu *const *)a;
	const struct trace_offcpu *y = *(const struct trace_offcpu *const *)b;

	return trace_frames_cmp(x->user + x->own, x->nuser - x->own, y->user + y->own,
				y->nuser - y->own);
}

/* The waits on a word: one of the user stack (from its own code on) that took the longest. */
static const struct trace_offcpu *word_waiter(const struct trace_data *td, const struct word_of *w)
{
	const struct trace_offcpu **v = calloc(td->noffcpu ? td->noffcpu : 1, sizeof(*v));
	const struct trace_offcpu *top = NULL;
	__u64 top_ns = 0;
	size_t m = 0;

	for (size_t i = 0; v && i < td->noffcpu; i++) {
		const struct trace_offcpu *o = &td->offcpu[i];

		if (in_word(o, w) && o->own < o->nuser && !bogus(o->user[o->own]))
			v[m++] = o;
	}
	if (v)
		qsort(v, m, sizeof(*v), cmp_own);
	for (size_t i = 0, j; v && i < m; i = j) {
		__u64 ns = 0;

		for (j = i; j < m && !cmp_own(&v[i], &v[j]); j++)
			ns += v[j]->val.total_ns;
		if (!top || ns > top_ns) {
			top = v[i];
			top_ns = ns;
		}
	}
	free(v);
	return top;
}

const char *stacks_word_site(const struct trace_data *td, __u32 tgid, __u64 uaddr)
{
	struct word_of w = { tgid, uaddr };
	const struct trace_offcpu *o = td->stacks ? word_waiter(td, &w) : NULL;

	return o ? o->user[o->own] : NULL;
}

/* Up to two frames from the first outside the C library, "a <- b"; 0 if none */
static int print_site(FILE *out, const char *what, char **f, __u32 n, __u32 own)
{
	if (own >= n || bogus(f[own]))
		return 0;
	fputs(what, out);
	put_shown(out, f[own]);
	if (own + 1 < n && !bogus(f[own + 1])) {
		fputs(" <- ", out);
		put_shown(out, f[own + 1]);
	}
	return 1;
}

void stacks_print_word(FILE *out, const struct trace_data *td, __u32 tgid, __u64 uaddr)
{
	struct word_of w = { tgid, uaddr };
	const struct trace_offcpu *o;
	struct wakers k;

	if (!td->stacks || !(o = word_waiter(td, &w)))
		return;
	k = find_wakers(td, in_word, &w);
	if (!print_site(out, "        waited on in ", o->user, o->nuser, o->own))
		return;
	if (k.top)
		print_site(out, "; released in ", k.top->wuser, k.top->nwuser, k.top->wown);
	fprintf(out, "\n");
}

void stacks_print_pair(FILE *out, const struct trace_data *td, __u32 waker, __u32 wakee)
{
	struct pair_of p = { waker, wakee };
	struct wakers w;

	if (!td->stacks)
		return;
	w = find_wakers(td, in_pair, &p);
	if (!w.top || !w.top->nwuser)
		return;
	fprintf(out, "    in");
	for (__u32 i = 0; i < w.top->nwuser && i < PAIR_FRAMES; i++) {
		fputs(i ? " <- " : " ", out);
		put_shown(out, w.top->wuser[i]);
	}
	fprintf(out, "%s\n", w.top->nwuser > PAIR_FRAMES ? " <- ..." : "");
}

/*
 * The pct-th percentile's log2 slot, as the geometric middle of [2^k, 2^k+1)
 * in us, and no more than the longest wait (in that slot, or one above)
 */
static double pct_us(const struct group *g, double pct)
{
	__u64 want = (__u64)(g->count * pct / 100.0 + 0.999999), seen = 0;
	double mid;

	for (int k = 0; k < OFFCPU_SLOTS; k++) {
		seen += g->slots[k];
		if (seen >= want && seen) {
			mid = (double)(1ull << k) * 1.4142;
			return (mid < g->max_ns ? mid : g->max_ns) / 1e3;
		}
	}
	return g->max_ns / 1e3;
}

/* The stack of group g: its line, its frames */
static void print_group(FILE *out, const struct group *g, const char *what)
{
	const struct trace_offcpu *o = g->first;

	fprintf(out, "  %.3f ms, %llu %.*s (%s), p50 ~%.1f us, p99 ~%.1f us, max %.1f us, "
		"%u task%s\n", g->total_ns / 1e6, (unsigned long long)g->count,
		(int)strlen(what) - (g->count == 1), what,
		o->key.state == OFF_D ? "D" : o->key.state == OFF_R ? "R" : "S", pct_us(g, 50),
		pct_us(g, 99), g->max_ns / 1e3, g->tasks, g->tasks == 1 ? "" : "s");
	print_frames(out, o->kern, o->nkern, FRAMES_SHOWN, "[kernel stack not read]");
	fprintf(out, "      --\n");
	print_frames(out, o->user, o->nuser, FRAMES_SHOWN, "[user stack not read]");
	if (cut_short(o->user, o->nuser))
		fprintf(out, "      (cut short: it ends in no thread or process entry)\n");
}

/* Preemptions (R) apart: where the tree ran when it lost the CPU, not where it waited */
static void print_preempted(FILE *out, const struct trace_data *td, const struct group *g,
			    size_t n)
{
	__u64 count, total = trace_offcpu_total(td, 1, &count);
	size_t shown = 0, stacks = 0;

	for (size_t i = 0; i < n; i++)
		stacks += g[i].first->key.state == OFF_R;
	if (!count)
		return;
	fprintf(out, "\nwhere the tree was preempted (R: runnable, off the CPU from a "
		"preemption to the next switch-in, by stack; --stacks)\n");
	fprintf(out, "  %llu preemptions, %.3f ms in %zu stacks; %llu more not noted (past a "
		"budget of 4,096, kept apart from the waits'), %llu stacks not read\n",
		(unsigned long long)count, total / 1e6, stacks,
		(unsigned long long)td->cnt[CNT_R_SKIPPED],
		(unsigned long long)td->cnt[CNT_RSTACK_FAIL]);
	for (size_t i = 0; i < n && shown < TOP_PREEMPTED; i++)
		if (g[i].first->key.state == OFF_R) {
			print_group(out, &g[i], "preemptions");
			shown++;
		}
}

void stacks_print(FILE *out, const struct trace_data *td)
{
	size_t n, shown = 0, stacks = 0, cut = 0;
	struct group *g;
	__u64 count, total = trace_offcpu_total(td, 0, &count);

	if (!td->stacks)
		return;
	g = group(td, &n);
	for (size_t i = 0; g && i < n; i++)
		if (g[i].first->key.state != OFF_R) {
			stacks++;
			cut += cut_short(g[i].first->user, g[i].first->nuser);
		}
	fprintf(out, "\nwhere the tree waited (off-CPU from a blocking switch-out to the next "
		"switch-in, by stack; --stacks)\n");
	if (td->unwind_dwarf == UNWIND_EH)
		fprintf(out, "  user stacks walked in the kernel at each blocking switch-out with "
			"the rows of the files' .eh_frame (--unwind ehframe)\n");
	else if (td->unwind_dwarf)
		fprintf(out, "  user stacks copied at each blocking switch-out and unwound with the "
			"files' DWARF CFI (--unwind dwarf); %llu waits with no user frame\n",
			(unsigned long long)td->stacks_unwound_none);
	else
		fprintf(out, "  user stacks walked by frame pointers in the kernel: code built "
			"without them (glibc, Debian's python3) cuts a stack short; --unwind "
			"dwarf does not\n");
	fprintf(out, "  %llu waits, %.3f ms in %zu stacks; %llu stacks not read (and %llu "
		"wakers'), %llu entries lost (table or ring full), %llu processes gone before "
		"their mappings were read\n", (unsigned long long)count, total / 1e6, stacks,
		(unsigned long long)td->cnt[CNT_STACK_FAIL],
		(unsigned long long)td->cnt[CNT_WSTACK_FAIL],
		(unsigned long long)td->cnt[CNT_OFFCPU_LOST],
		(unsigned long long)td->stacks_unresolved);
	fprintf(out, "  %zu of the %zu stacks look cut short: their user stack ends in no "
		"thread or process entry%s\n", cut, stacks,
		cut && td->unwind_dwarf == UNWIND_FP ? " (frame pointers missing: --unwind dwarf)" : "");
	for (size_t i = 0; g && i < n && shown < TOP_STACKS; i++) {
		if (g[i].first->key.state == OFF_R)
			continue;
		print_group(out, &g[i], "waits");
		print_waker(out, td, g[i].first);
		shown++;
	}
	if (g)
		print_preempted(out, td, g, n);
	free(g);
}

/* Folded frames keep ';' and ' ' out of names: they separate. */
/* ';' and ' ' end a frame or the stack in the folded format; a control
 * byte (a comm or a symbol may hold a line break) would cut the line */
static void put_frame(struct csv *c, const char *name)
{
	for (const char *p = name; *p; p++)
		csv_raw(c, *p == ';' || *p == ' ' ? "_" :
			   (unsigned char)*p < 0x20 || *p == 0x7f ? "?" : p, 1);
}

/* Entries by task name, then user and kernel frames: a folded line each */
static int cmp_folded(const void *a, const void *b, void *arg)
{
	const struct trace_offcpu *x = *(const struct trace_offcpu *const *)a;
	const struct trace_offcpu *y = *(const struct trace_offcpu *const *)b;
	const struct trace_data *td = arg;
	const char *cx = tasktab_name(td->names, x->key.tid);
	const char *cy = tasktab_name(td->names, y->key.tid);
	int c = strcmp(cx ? cx : "?", cy ? cy : "?");

	if (!c)
		c = trace_frames_cmp(x->user, x->nuser, y->user, y->nuser);
	return c ? c : trace_frames_cmp(x->kern, x->nkern, y->kern, y->nkern);
}

int stacks_write_folded(struct csv *c, const struct trace_data *td)
{
	const struct trace_offcpu **v = calloc(td->noffcpu ? td->noffcpu : 1, sizeof(*v));
	char num[32];
	size_t m = 0;

	if (!v) {
		pr_err("out of memory writing the folded stacks");
		csv_abort(c);
		return -1;
	}
	for (size_t i = 0; i < td->noffcpu; i++)	/* the waits: preemptions are no wait */
		if (td->offcpu[i].key.state != OFF_R)
			v[m++] = &td->offcpu[i];
	qsort_r(v, m, sizeof(*v), cmp_folded, (void *)td);
	for (size_t i = 0, j; i < m; i = j) {
		const struct trace_offcpu *o = v[i];
		const char *comm = tasktab_name(td->names, o->key.tid);
		__u64 ns = 0;
		int len;

		/* the same line for other tasks of the name, wakers, words: one */
		for (j = i; j < m && !cmp_folded(&v[i], &v[j], (void *)td); j++)
			ns += v[j]->val.total_ns;
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
		len = snprintf(num, sizeof(num), " %llu\n", (unsigned long long)(ns + 500) / 1000);
		csv_raw(c, num, len);
	}
	free(v);
	return csv_commit(c);
}
