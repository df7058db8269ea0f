/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Coroutines for the workloads: a user-space context switch (our own
 * assembly, or glibc's swapcontext for comparison), mmap'ed stacks with a
 * guard page, and a one-thread scheduler that parks coroutines on file
 * descriptors through epoll, so their waits are real kernel IO.
 *
 * Not thread-safe: every coroutine of a process lives on the thread that
 * called coro_init(), which acts as the scheduler.
 */
#ifndef WL_CORO_H
#define WL_CORO_H

#include <stddef.h>
#include <stdint.h>

enum coro_impl { CORO_ASM, CORO_UCONTEXT };
extern const char *const coro_impl_names[];	/* "asm", "ucontext" */

#define CORO_STACK_DEFAULT	(16 * 1024)

struct coro;
typedef void coro_fn(void *arg);

/* Pick the switch; call once, on the thread that will run the coroutines. */
void coro_init(enum coro_impl impl);

/*
 * A coroutine that will run fn(arg) on its first switch. Its stack is
 * stack_bytes (rounded up to pages) above a PROT_NONE guard page; its
 * control block sits at the top of that stack. NULL with errno on failure.
 */
struct coro *coro_create(coro_fn *fn, void *arg, size_t stack_bytes);
void coro_free(struct coro *co);
int coro_done(const struct coro *co);	/* fn has returned */
/* The stack of co without its guard page, for mincore(). */
void coro_stack(const struct coro *co, void **lo, size_t *len);

/* Suspend the caller (a coroutine or the thread itself) and resume to. */
void coro_switch(struct coro *to);
struct coro *coro_self(void);		/* the running coroutine */

/*
 * Scheduler: the thread's own context runs coro_run(); coroutines park. A
 * coroutine that returns goes back to the thread's own context for good.
 */
void coro_ready(struct coro *co);	/* append to the run queue */
void coro_park(void);			/* back to the scheduler until coro_ready() */
void coro_run(void);			/* until nothing is ready or waiting */
/* Park until epoll reports fd (EPOLLIN, ...); the events seen, or -1. */
int coro_wait_fd(int fd, uint32_t events);
/* Park on a timerfd armed for ms milliseconds; 0, or -1 with errno. */
int coro_sleep_ms(uint64_t ms);

#endif
