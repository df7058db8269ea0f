// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "core/clock.h"
#include "core/progress.h"

double progress_after(void)
{
	const char *env = getenv("TRACER_PROGRESS_AFTER_S");
	char *end;
	double s;

	if (!env || !*env)
		return PROGRESS_AFTER_S;
	s = strtod(env, &end);
	return *end || !(s >= 0) ? PROGRESS_AFTER_S : s;
}

void progress_init(struct progress *p, const char *what, uint64_t size)
{
	*p = (struct progress){ .what = what, .size = size, .t0 = mono_s(), .last = -1,
				.after = progress_after(), .on = isatty(STDERR_FILENO) };
}

void progress_show(struct progress *p, uint64_t at, uint64_t events)
{
	double now, frac, left, rate;

	if (!p->on)
		return;
	now = mono_s();
	if (now - p->t0 < p->after || now - p->last < 0.5)
		return;
	p->last = now;
	p->shown = 1;
	rate = now > p->t0 ? events / (now - p->t0) : 0;
	if (!p->size) {	/* a pipe: how far to go is not known */
		fprintf(stderr, "\rtracer: %s: %.0f MiB, %llu events, %.1fM events/s ",
			p->what, at / 1048576.0, (unsigned long long)events, rate / 1e6);
		return;
	}
	frac = at < p->size ? (double)at / p->size : 1;
	left = frac > 0 ? (now - p->t0) * (1 - frac) / frac : 0;
	fprintf(stderr, "\rtracer: %s: %3.0f%% of %.0f MiB, %llu events, %.1fM events/s, "
		"%.0f s left ", p->what, 100 * frac, p->size / 1048576.0,
		(unsigned long long)events, rate / 1e6, left);
}

void progress_done(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}
