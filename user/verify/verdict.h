/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_VERDICT_H
#define TRACER_VERDICT_H
/*
 * What the claim files (claims_*.c) share: measurements in, a verdict and
 * its words out. The rest of tracer sees claims.h only. A verdict compares
 * measurements with the article's figures through named thresholds, never
 * with figures of a particular machine; each file holds its claims'
 * thresholds, measurements and verdicts, and docs/verify.md repeats them.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "verify/claims.h"

/* "Agrees with the article": within this factor of its range, either way. */
#define ARTICLE_SLACK		2.0
/* Cross-CPU hand-off this many times the same-CPU one: placement dominates. */
#define PLACEMENT_DOMINATES	2.0
/*
 * The article's own benchmarks: E3-E5 reproduce a figure within this
 * factor of the article's; E1, E2 compare with a range (5-10 us,
 * 0.1-0.5 us) within ARTICLE_SLACK, as the claims do.
 */
#define E_TOLERANCE		1.25

/* A measurement of a claim: name, run, summary column (claims.h), unit, article's */
#define M(name, run, col, unit, article) { name, run, col, unit, article }

struct jc {
	struct mset *s;
	struct judgement *j;
	char missing[160];
};

static inline double get(struct jc *c, const char *name, int needed)
{
	size_t n = strlen(c->missing);
	double v;

	if (!mset_get(c->s, name, &v))
		return v;
	if (needed)
		snprintf(c->missing + n, sizeof(c->missing) - n, "%s%s", n ? ", " : "", name);
	return NAN;
}

#define NEED(name)	get(c, name, 1)
#define OPT(name)	get(c, name, 0)

/* Nothing to judge without these; says which are missing. */
static inline int missing(struct jc *c)
{
	if (!*c->missing)
		return 0;
	c->j->v = V_NONE;
	snprintf(c->j->why, sizeof(c->j->why), "missing %s", c->missing);
	return 1;
}

static inline void derive(struct jc *c, const char *name, double v, const char *unit,
		   const char *article)
{
	if (isfinite(v))
		mset_put(c->s, name, v, unit, article, 1);
}

static inline void cat(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline void cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

#define WHY(...)	cat(c->j->why, sizeof(c->j->why), __VA_ARGS__)
#define MEASURED(...)	cat(c->j->measured, sizeof(c->j->measured), __VA_ARGS__)
#define PLACEMENT(...)	cat(c->j->placement, sizeof(c->j->placement), __VA_ARGS__)
#define EVIDENCE(...)	cat(c->j->evidence, sizeof(c->j->evidence), __VA_ARGS__)

/*
 * Formatted numbers live in a ring of buffers: a few per message. Never
 * inlined: inlined, GCC took two buffers of the ring for one (-Wrestrict).
 */
static __attribute__((noinline, unused)) char *ring(void)
{
	static char bufs[24][40];
	static unsigned int i;

	return bufs[i++ % 24];
}

static inline const char *count(double v)
{
	char digits[32], *out = ring();
	int n, o = 0;

	if (!isfinite(v))
		return "?";
	n = snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	if (n < 0 || n >= (int)sizeof(digits))	/* no count has 32 digits */
		return "?";
	if (v < 0)
		out[o++] = '-';
	for (int i = 0; i < n && o < 38; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

static inline const char *scaled(double v, const char *const units[], double step, int nunits)
{
	char *out = ring();
	int u = 0;

	if (!isfinite(v))
		return "?";
	while (u < nunits - 1 && fabs(v) >= step * 0.9995) {
		v /= step;
		u++;
	}
	snprintf(out, 40, "%.3g %s", v, units[u]);
	return out;
}

static inline const char *ns(double v)
{
	static const char *const u[] = { "ns", "us", "ms", "s" };

	return scaled(v, u, 1000, 4);
}

static inline const char *kib(double v)
{
	static const char *const u[] = { "KiB", "MiB", "GiB", "TiB" };

	return scaled(v, u, 1024, 4);
}

static inline const char *num(double v)
{
	char *out = ring();

	snprintf(out, 40, "%.3g", v);
	return out;
}

static inline const char *times(double v)
{
	char *out = ring();

	snprintf(out, 40, v >= 100 ? "%.0fx" : "%.2gx", v);
	return out;
}

static inline int within(double v, double lo, double hi)
{
	return v >= lo / ARTICLE_SLACK && v <= hi * ARTICLE_SLACK;
}

static inline const char *vs(double v, double lo, double hi)
{
	return v < lo ? "below" : v > hi ? "above" : "within";
}

/* Say how cross-CPU hand-offs compare with same-CPU ones. */
static inline void placement(struct jc *c, const char *unit, double same, double cross)
{
	double r = cross / same;

	if (!isfinite(r))
		return;
	if (r >= PLACEMENT_DOMINATES)
		PLACEMENT("%s hand-off across CPUs %s vs %s on one CPU (%s): waking the other "
			  "CPU dominates, not the switch", unit, ns(cross), ns(same), times(r));
	else
		PLACEMENT("%s hand-off across CPUs %s vs %s on one CPU (%s): placement matters "
			  "little here", unit, ns(cross), ns(same), times(r));
}

/*
 * A claim about "coroutines" and "threads" is judged per implementation,
 * like with like: CPython (the article's: time.sleep(0) threads against
 * asyncio.sleep(0), its own methods), and C (a futex hand-off against our
 * asm switch, and against glibc's swapcontext). Those measured agree, or
 * the verdict depends on the implementation, naming each one's.
 */
enum { IMPL_PY, IMPL_ASM, IMPL_UCTX, NR_IMPLS };


static inline void combine(struct jc *c, const enum verdict *v)
{
	static const char *const impl_names[NR_IMPLS] = {
		"CPython (asyncio)", "C (our asm coroutines)", "C (glibc ucontext)",
	};
	enum verdict first = V_NONE;
	int n = 0, same = 1;

	for (int i = 0; i < NR_IMPLS; i++) {
		if (v[i] == V_NONE)
			continue;
		if (!n++)
			first = v[i];
		else if (v[i] != first)
			same = 0;
	}
	c->j->v = same ? first : V_DEPENDS;
	if (same)
		return;
	WHY("depends on the implementation: ");
	for (int i = 0, k = 0; i < NR_IMPLS; i++)
		if (v[i] != V_NONE)
			WHY("%s%s %s", k++ ? ", " : "", impl_names[i], verdict_name(v[i]));
	WHY(". ");
}

static inline const char *pct(double share)
{
	char *out = ring();

	snprintf(out, 40, "%.0f%%", 100 * share);
	return out;
}

/* v within E_TOLERANCE of the article's figure fig, either way */
static inline int near(double v, double fig)
{
	return v >= fig / E_TOLERANCE && v <= fig * E_TOLERANCE;
}

typedef void (*judge_fn)(struct jc *);

/* A claim and its verdict function: one per claim, in the claims_*.c files. */
struct claim_def {
	struct claim c;
	judge_fn fn;
};

extern const struct claim_def claim_C1, claim_C2, claim_C3, claim_C4, claim_C5,
	claim_C6, claim_C7, claim_C8, claim_C9, claim_C10, claim_C11, claim_C12,
	claim_C13, claim_C14, claim_C15, claim_E1, claim_E2, claim_E3, claim_E4,
	claim_E5;

#endif
