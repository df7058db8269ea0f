// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The switch saves the callee-saved registers on the old stack, stores its
 * stack pointer, loads the new one and restores the same set. It resumes with
 * pop + indirect jump, not ret (as Boost.Context's jump_fcontext does): a ret
 * would be predicted by the return stack, which holds the caller's own return
 * address, so every switch between different call sites would mispredict
 * (~15 ns against ~4 ns per switch, measured here). coro_switch() tail-calls it, so a loop
 * that switches executes no ret at all.
 *
 * A new coroutine's stack holds a frame the switch can "resume": zeroed
 * registers and coro_entry() as the address to jump to.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <ucontext.h>
#include <unistd.h>
#include "wl_common.h"
#include "wl_coro.h"

const char *const coro_impl_names[] = { "asm", "ucontext", NULL };

struct coro {
	void *sp;		/* asm: saved stack pointer */
	struct coro *next;	/* run queue */
	coro_fn *fn;
	void *arg;
	void *map;		/* guard page + stack */
	size_t map_len;
	uint32_t revents;
	int done;
	ucontext_t uc;		/* last: not allocated for the asm switch */
};

void wl_coro_swap(void **save_sp, void *sp);

#if defined(__x86_64__)
/*
 * Saved frame, from the saved sp up: r15..r12, rbx, rbp, pc. The MXCSR and
 * x87 control words are not switched (Boost does): ldmxcsr + fldcw took the
 * switch from ~3.5 to ~7 ns on this machine's AMD EPYC, and no workload
 * changes rounding or exception masks, so coroutines share the thread's.
 */
__asm__(
	".text\n"
	".globl wl_coro_swap\n"
	".hidden wl_coro_swap\n"
	".type wl_coro_swap, @function\n"
	".p2align 4\n"
	"wl_coro_swap:\n"		/* rdi: where to save sp, rsi: sp to load */
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	popq %rcx\n"
	"	jmpq *%rcx\n"
	".size wl_coro_swap, .-wl_coro_swap\n");

/* Above the frame, a zero return address: functions start at sp = 8 mod 16. */
enum { FRAME_WORDS = 7, FRAME_PC = 6, FRAME_PAD = 1 };
#elif defined(__aarch64__)
/* Saved frame, from the saved sp up: x19..x28, x29 (fp), x30 (pc), d8..d15. */
__asm__(
	".text\n"
	".globl wl_coro_swap\n"
	".hidden wl_coro_swap\n"
	".type wl_coro_swap, %function\n"
	".p2align 4\n"
	"wl_coro_swap:\n"		/* x0: where to save sp, x1: sp to load */
	"	sub sp, sp, #160\n"
	"	stp x19, x20, [sp, #0]\n"
	"	stp x21, x22, [sp, #16]\n"
	"	stp x23, x24, [sp, #32]\n"
	"	stp x25, x26, [sp, #48]\n"
	"	stp x27, x28, [sp, #64]\n"
	"	stp x29, x30, [sp, #80]\n"
	"	stp d8, d9, [sp, #96]\n"
	"	stp d10, d11, [sp, #112]\n"
	"	stp d12, d13, [sp, #128]\n"
	"	stp d14, d15, [sp, #144]\n"
	"	mov x2, sp\n"
	"	str x2, [x0]\n"
	"	mov sp, x1\n"
	"	ldp x19, x20, [sp, #0]\n"
	"	ldp x21, x22, [sp, #16]\n"
	"	ldp x23, x24, [sp, #32]\n"
	"	ldp x25, x26, [sp, #48]\n"
	"	ldp x27, x28, [sp, #64]\n"
	"	ldp x29, x30, [sp, #80]\n"
	"	ldp d8, d9, [sp, #96]\n"
	"	ldp d10, d11, [sp, #112]\n"
	"	ldp d12, d13, [sp, #128]\n"
	"	ldp d14, d15, [sp, #144]\n"
	"	add sp, sp, #160\n"
	"	br x30\n"		/* not ret: see the top of this file */
	".size wl_coro_swap, .-wl_coro_swap\n");

enum { FRAME_WORDS = 20, FRAME_PC = 11, FRAME_PAD = 0 };	/* sp = 0 mod 16 */
#else
#error "wl_coro: no context switch for this architecture"
#endif

static enum coro_impl impl;
static struct coro main_co;
static struct coro *cur = &main_co;
static struct coro *runq_head, *runq_tail;
static uint64_t nwaiting;	/* parked in coro_wait_fd() */
static int epfd = -1;

void coro_init(enum coro_impl which)
{
	impl = which;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		wl_die("epoll_create1");
}

struct coro *coro_self(void)
{
	return cur;
}

int coro_done(const struct coro *co)
{
	return co->done;
}

void coro_switch(struct coro *to)
{
	struct coro *from = cur;

	cur = to;
	if (impl == CORO_ASM)
		wl_coro_swap(&from->sp, to->sp);	/* a tail call: no ret */
	else if (swapcontext(&from->uc, &to->uc))
		wl_die("swapcontext");
}

static __attribute__((noreturn)) void coro_entry(void)
{
	cur->fn(cur->arg);
	cur->done = 1;
	coro_switch(&main_co);
	abort();		/* a finished coroutine is never resumed */
}

/* Apart, because getcontext() returns twice. */
static void ucontext_prepare(struct coro *co, void *stack, size_t size)
{
	if (getcontext(&co->uc))
		wl_die("getcontext");
	co->uc.uc_stack.ss_sp = stack;
	co->uc.uc_stack.ss_size = size;
	co->uc.uc_link = NULL;
	makecontext(&co->uc, coro_entry, 0);
}

struct coro *coro_create(coro_fn *fn, void *arg, size_t stack_bytes)
{
	size_t page = sysconf(_SC_PAGESIZE);
	size_t len = (stack_bytes + page - 1) / page * page + page;
	size_t ctl = impl == CORO_ASM ? offsetof(struct coro, uc) : sizeof(struct coro);
	struct coro *co;
	uint64_t *frame;
	char *map;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (map == MAP_FAILED)
		return NULL;
	if (mprotect(map, page, PROT_NONE)) {
		int err = errno;

		munmap(map, len);
		errno = err;
		return NULL;
	}
	co = (struct coro *)((uintptr_t)(map + len - ctl) & ~(uintptr_t)63);
	memset(co, 0, ctl);
	co->fn = fn;
	co->arg = arg;
	co->map = map;
	co->map_len = len;
	if (impl == CORO_ASM) {
		frame = (uint64_t *)((uintptr_t)co & ~(uintptr_t)15) -
			FRAME_WORDS - FRAME_PAD;
		memset(frame, 0, (FRAME_WORDS + FRAME_PAD) * sizeof(*frame));
		frame[FRAME_PC] = (uint64_t)(uintptr_t)coro_entry;
		co->sp = frame;
	} else {
		ucontext_prepare(co, map + page, (char *)co - (map + page));
	}
	return co;
}

void coro_free(struct coro *co)
{
	munmap(co->map, co->map_len);
}

void coro_stack(const struct coro *co, void **lo, size_t *len)
{
	size_t page = sysconf(_SC_PAGESIZE);

	*lo = (char *)co->map + page;
	*len = co->map_len - page;
}

void coro_ready(struct coro *co)
{
	co->next = NULL;
	if (runq_tail)
		runq_tail->next = co;
	else
		runq_head = co;
	runq_tail = co;
}

void coro_park(void)
{
	coro_switch(&main_co);
}

void coro_run(void)
{
	struct epoll_event ev[256];
	struct coro *co;
	int n;

	for (;;) {
		while ((co = runq_head)) {
			runq_head = co->next;
			if (!runq_head)
				runq_tail = NULL;
			coro_switch(co);
		}
		if (!nwaiting)
			return;
		n = epoll_wait(epfd, ev, sizeof(ev) / sizeof(ev[0]), -1);
		if (n < 0 && errno != EINTR)
			wl_die("epoll_wait");
		for (int i = 0; i < n; i++) {
			co = ev[i].data.ptr;
			co->revents = ev[i].events;
			nwaiting--;
			coro_ready(co);
		}
	}
}

int coro_wait_fd(int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events | EPOLLONESHOT, .data.ptr = cur };

	if (cur == &main_co) {		/* the scheduler itself cannot park */
		errno = EINVAL;
		return -1;
	}
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev))
		return -1;
	nwaiting++;
	coro_park();
	if (epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL))
		wl_die("epoll_ctl(DEL)");
	return cur->revents;
}

int coro_sleep_ms(uint64_t ms)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 },
	};
	uint64_t expirations;
	int fd, ret = -1;

	if (!ms)
		its.it_value.tv_nsec = 1;	/* zero would disarm the timer */
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fd < 0)
		return -1;
	if (!timerfd_settime(fd, 0, &its, NULL) && coro_wait_fd(fd, EPOLLIN) >= 0 &&
	    read(fd, &expirations, sizeof(expirations)) == sizeof(expirations))
		ret = 0;
	close(fd);
	return ret;
}
