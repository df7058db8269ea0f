// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * --flamegraph: the off-CPU stacks of --stacks as a self-contained SVG
 * flame graph. The root at the bottom, then the task's name, its user
 * frames from the outermost, its kernel frames down to the scheduler; a
 * frame's width is the off-CPU time of the stacks through it. Siblings in
 * name order (as flamegraph.pl), so two runs of one program line up. No
 * script: each frame's <title> is its tooltip.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/tasks.h"
#include "io/csv.h"
#include "core/log.h"
#include "render/flamegraph.h"

#define WIDTH		1200	/* px */
#define PAD		10
#define FRAME_H		16
#define TOP		52	/* the title and the legend */
#define CHAR_W		7.0	/* px of a 12 px monospace character */
#define MIN_W		0.3	/* px: narrower frames (and all above them) are left out */

enum kind { K_ROOT, K_TASK, K_USER, K_KERN, K_NOTE };

struct node {
	const char *name;
	enum kind kind;
	__u64 ns;
	struct node *kids;
	size_t nkids, cap;
};

static struct node *child(struct node *n, const char *name, enum kind kind)
{
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i].kind == kind && !strcmp(n->kids[i].name, name))
			return &n->kids[i];
	if (n->nkids == n->cap) {
		size_t cap = n->cap ? 2 * n->cap : 4;
		struct node *k = realloc(n->kids, cap * sizeof(*k));

		if (!k)
			return NULL;
		n->kids = k;
		n->cap = cap;
	}
	memset(&n->kids[n->nkids], 0, sizeof(n->kids[0]));
	n->kids[n->nkids].name = name;
	n->kids[n->nkids].kind = kind;
	return &n->kids[n->nkids++];
}

static void free_tree(struct node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		free_tree(&n->kids[i]);
	free(n->kids);
}

static int by_name(const void *a, const void *b)
{
	const struct node *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (int)x->kind - (int)y->kind;
}

static void sort_tree(struct node *n, int *depth, int d)
{
	if (d > *depth)
		*depth = d;
	qsort(n->kids, n->nkids, sizeof(*n->kids), by_name);
	for (size_t i = 0; i < n->nkids; i++)
		sort_tree(&n->kids[i], depth, d + 1);
}

/* The entries' frames into a tree; -1 out of memory. */
static int build(struct node *root, const struct trace_data *td)
{
	for (size_t i = 0; i < td->noffcpu; i++) {
		const struct trace_offcpu *o = &td->offcpu[i];
		const char *comm = tasktab_name(td->names, o->key.tid);
		struct node *n = root;

		if (o->key.state == OFF_R)	/* waits: a preemption is none */
			continue;

		root->ns += o->val.total_ns;
		n = child(n, comm ? comm : "?", K_TASK);
		for (__u32 f = o->nuser; n && f-- > 0;) {
			n->ns += o->val.total_ns;
			n = child(n, o->user[f], K_USER);
		}
		if (n && !o->nuser) {
			n->ns += o->val.total_ns;
			n = child(n, "[user stack not read]", K_NOTE);
		}
		for (__u32 f = o->nkern; n && f-- > 0;) {
			n->ns += o->val.total_ns;
			n = child(n, o->kern[f], K_KERN);
		}
		if (!n)
			return -1;
		n->ns += o->val.total_ns;
	}
	return 0;
}

static void put(struct csv *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len > 0)
		csv_raw(c, buf, (size_t)len < sizeof(buf) ? (size_t)len : sizeof(buf) - 1);
}

/* Bytes of the UTF-8 character at s (1 to 4), 0 if not one */
static int utf8_len(const unsigned char *s)
{
	int n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 :
		(s[0] & 0xf8) == 0xf0 ? 4 : 0;

	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/*
 * XML text: the five characters escaped, control bytes and bytes that are
 * not UTF-8 (a task's name is any bytes) as '?'; at most max characters,
 * then "..".
 */
static void put_text(struct csv *c, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;

	while (*p && chars < max) {
		int n = utf8_len(p);

		switch (*p) {
		case '&': csv_raw(c, "&amp;", 5); break;
		case '<': csv_raw(c, "&lt;", 4); break;
		case '>': csv_raw(c, "&gt;", 4); break;
		case '"': csv_raw(c, "&quot;", 6); break;
		case '\'': csv_raw(c, "&apos;", 6); break;
		default:
			if (!n || *p < 0x20)
				csv_raw(c, "?", 1);
			else
				csv_raw(c, (const char *)p, n);
		}
		p += n ? n : 1;
		chars++;
	}
	if (*p)
		csv_raw(c, "..", 2);
}

/* A stable colour per name: warm for user code, blue for the kernel's. */
static void colour(const struct node *n, char out[8])
{
	unsigned int h = 2166136261u;
	unsigned int r, g, b;

	for (const char *p = n->name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	switch (n->kind) {
	case K_KERN:
		r = 60 + h % 50, g = 130 + (h >> 8) % 80, b = 210 + (h >> 16) % 40;
		break;
	case K_USER:
		r = 215 + h % 40, g = 90 + (h >> 8) % 120, b = 30 + (h >> 16) % 40;
		break;
	case K_TASK:
		r = 170, g = 170, b = 110 + h % 40;
		break;
	default:
		r = g = b = 200;
	}
	snprintf(out, 8, "#%02x%02x%02x", r, g, b);
}

static void draw(struct csv *c, const struct node *n, double x, int depth, int height,
		 double scale, __u64 total)
{
	double w = n->ns * scale, cx = x;
	int y = height - PAD - (depth + 1) * FRAME_H;
	char fill[8];

	if (w < MIN_W)
		return;
	colour(n, fill);
	csv_raw(c, "<g><title>", 10);
	put_text(c, n->name, 4096);
	put(c, "%s (%.3f ms, %.2f%%)</title>", n->kind == K_KERN ? " [kernel]" : "",
	    n->ns / 1e6, total ? 100.0 * n->ns / total : 0.0);
	put(c, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" rx=\"2\"/>",
	    x, y, w, FRAME_H - 1, fill);
	if (w >= 3 * CHAR_W) {
		put(c, "<text x=\"%.1f\" y=\"%d\">", x + 3, y + FRAME_H - 4);
		put_text(c, n->name, (size_t)((w - 6) / CHAR_W) - 2);
		csv_raw(c, "</text>", 7);
	}
	csv_raw(c, "</g>\n", 5);
	for (size_t i = 0; i < n->nkids; i++) {
		draw(c, &n->kids[i], cx, depth + 1, height, scale, total);
		cx += n->kids[i].ns * scale;
	}
}

int flamegraph_write(struct csv *c, const struct trace_data *td, const char *command)
{
	struct node root = { .name = "all", .kind = K_ROOT };
	__u64 waits, total = trace_offcpu_total(td, 0, &waits);
	int depth = 0, height, err;

	if (build(&root, td)) {
		pr_err("out of memory drawing the flame graph");
		free_tree(&root);
		csv_abort(c);
		return -1;
	}
	sort_tree(&root, &depth, 0);
	height = TOP + (depth + 1) * FRAME_H + 2 * PAD;
	put(c, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
	    "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\">\n", WIDTH, height, WIDTH, height);
	put(c, "<style>text{font:12px monospace;fill:#000}"
	    ".t{font:bold 16px sans-serif}.s{font:12px sans-serif;fill:#444}</style>\n");
	put(c, "<rect width=\"100%%\" height=\"100%%\" fill=\"#f8f8f4\"/>\n");
	csv_raw(c, "<text class=\"t\" x=\"10\" y=\"22\">Off-CPU time: ", 44);
	put_text(c, command ? command : "", 100);
	csv_raw(c, "</text>\n", 8);
	put(c, "<text class=\"s\" x=\"10\" y=\"40\">tracer --stacks: %llu waits, %.3f ms off "
	    "the CPU, from each blocking switch-out (S or D) to the next switch-in. Width: "
	    "time; bottom up: task, user frames (warm), kernel frames (blue).</text>\n",
	    (unsigned long long)waits, total / 1e6);
	if (total)
		draw(c, &root, PAD, 0, height, (double)(WIDTH - 2 * PAD) / total, total);
	csv_raw(c, "</svg>\n", 7);
	free_tree(&root);
	err = csv_commit(c);
	return err;
}
