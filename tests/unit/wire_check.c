// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * core/event.c's decoding of the wire records (bpf/events.h): a chunk of
 * switch and waking records whose task parts are left out where the
 * stage said them (bpf/stage.bpf.h), and the malformed records a damaged
 * capture may hold, each refused (0) rather than read past or guessed.
 * Prints "ok" or the first failed check.
 */
#include <stdio.h>
#include <string.h>
#include "core/event.h"

static char buf[1024];
static size_t len;

#define CHECK(c) do { if (!(c)) { printf("failed: %s (line %d)\n", #c, __LINE__); return 1; } } while (0)

static void put(const void *p, size_t n)
{
	memcpy(buf + len, p, n);
	len += n;
}

static void part(__u32 prio, const char *comm)
{
	struct ev_part_task t = { .prio = prio };

	strncpy(t.comm, comm, sizeof(t.comm) - 1);
	put(&t, sizeof(t));
}

/* A switch prev -> next; a NULL comm: that part left out */
static void sw(__u32 prev, const char *pc, __u32 next, const char *nc, int fx, int run)
{
	struct ev_switch_wire e = { .hdr = { .ts = len, .kind = EV_SWITCH, .tid = prev },
				    .next_tid = next, .prev_state = 1, .fx_block = !!fx };
	struct ev_part_fx f = { .fx_op = 9, .fx_uaddr = 0x1000 };
	__u64 r = 777;

	e.hdr.kind |= (pc ? EV_HAS_PREV : 0) | (nc ? EV_HAS_NEXT : 0) |
		      (fx ? EV_HAS_FX : 0) | (run ? EV_HAS_RUN : 0);
	put(&e, sizeof(e));
	if (pc)
		part(100 + prev, pc);
	if (nc)
		part(100 + next, nc);
	if (fx)
		put(&f, sizeof(f));
	if (run)
		put(&r, sizeof(r));
}

static void wk(__u32 tid, const char *c)
{
	struct ev_waking_wire e = { .hdr = { .ts = len, .kind = EV_WAKING, .tid = tid },
				    .waker_tid = 1, .wake_by = WAKE_BY_OTHER };

	e.hdr.kind |= c ? EV_HAS_NEXT : 0;
	put(&e, sizeof(e));
	if (c)
		part(100 + tid, c);
}

int main(void)
{
	struct ev_chunk ck;
	union ev_any e;
	size_t off = 0, n;

	/* a ping-pong: each task said once; tid 21 then takes tid 5's slot */
	sw(5, "five", 6, "six", 1, 0);
	sw(6, NULL, 5, NULL, 0, 1);
	wk(6, NULL);
	sw(5, NULL, 21, "twentyone", 0, 0);
	wk(5, NULL);
	ev_chunk_begin(&ck);
	CHECK((n = ev_decode(&ck, buf + off, len - off, &e)) == sizeof(struct ev_switch_wire) +
	      2 * sizeof(struct ev_part_task) + sizeof(struct ev_part_fx));
	CHECK(e.hdr.kind == EV_SWITCH && !strcmp(e.sw.prev_comm, "five") &&
	      !strcmp(e.sw.next_comm, "six") && e.sw.prev_prio == 105 && e.sw.next_prio == 106);
	CHECK(e.sw.fx_block && e.sw.fx_op == 9 && e.sw.fx_uaddr == 0x1000 && !e.sw.run_ns);
	off += n;
	CHECK((n = ev_decode(&ck, buf + off, len - off, &e)) == sizeof(struct ev_switch_wire) + 8);
	CHECK(!strcmp(e.sw.prev_comm, "six") && !strcmp(e.sw.next_comm, "five") &&
	      e.sw.prev_prio == 106 && e.sw.next_prio == 105);
	CHECK(!e.sw.fx_block && !e.sw.fx_op && !e.sw.fx_uaddr && e.sw.run_ns == 777);
	off += n;
	CHECK((n = ev_decode(&ck, buf + off, len - off, &e)) == sizeof(struct ev_waking_wire));
	CHECK(e.hdr.kind == EV_WAKING && !strcmp(e.wk.comm, "six") && e.wk.prio == 106);
	off += n;
	CHECK((n = ev_decode(&ck, buf + off, len - off, &e)) > 0);
	CHECK(!strcmp(e.sw.prev_comm, "five") && !strcmp(e.sw.next_comm, "twentyone"));
	off += n;
	/* tid 5's slot now holds 21's part: a part of 5 left out was never said */
	CHECK(!ev_decode(&ck, buf + off, len - off, &e));
	/* nor in a new chunk */
	ev_chunk_begin(&ck);
	off = sizeof(struct ev_switch_wire) + 2 * sizeof(struct ev_part_task) + sizeof(struct ev_part_fx);
	CHECK(!ev_decode(&ck, buf + off, len - off, &e));

	/* damaged records: no kind 0, no flag a kind does not take, nothing cut */
	struct ev_hdr h = { .kind = 0 };
	CHECK(!ev_wire_size(&h, sizeof(struct ev_task)));
	h.kind = EV_FORK | EV_HAS_FX;
	CHECK(!ev_wire_size(&h, 256));
	h.kind = EV_WAKING | EV_HAS_RUN;
	CHECK(!ev_wire_size(&h, 256));
	h.kind = NR_EV_KINDS;
	CHECK(!ev_wire_size(&h, 256));
	h.kind = EV_FORK;
	CHECK(ev_wire_size(&h, sizeof(struct ev_task)) == sizeof(struct ev_task));
	CHECK(!ev_wire_size(&h, sizeof(struct ev_task) - 1));
	CHECK(!ev_wire_size(&h, sizeof(h) - 1));
	len = 0;
	sw(7, "seven", 8, "eight", 1, 1);
	CHECK(len == EV_SWITCH_WIRE_MAX && ev_wire_size(buf, len) == len);
	CHECK(!ev_wire_size(buf, len - 8));
	ev_chunk_begin(&ck);
	CHECK(!ev_decode(&ck, buf, len - 1, &e));
	len = 0;
	wk(9, "nine");
	CHECK(ev_wire_size(buf, len) == len && len < EV_WAKING_WIRE_MAX);
	printf("ok\n");
	return 0;
}
