// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * --unwind dwarf: user stacks unwound from a copy, with libdwfl. One Dwfl
 * per process (its modules from /proc/PID/maps), attached to a "thread"
 * whose registers and memory are the sample being unwound: libdwfl asks
 * for them through the callbacks below each time it unwinds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <elfutils/libdwfl.h>
#include "events.h"
#include "live/symbols.h"
#include "live/unwind.h"
#include "live/pidns.h"

#define KEPT	32	/* processes whose modules are kept at once, the least used replaced */
/*
 * A process's modules read again for an address in none of them: 10 ms
 * after they were, then twice as long each time, at most a second apart (a
 * process just started maps its libraries in its first milliseconds; JIT
 * code is in no module ever)
 */
#define RELOAD_MIN_NS	10000000ull
#define RELOAD_NS	1000000000ull
#define NAMES	4096	/* names cached by (process, pc): a symbol lookup costs ~2 us */

struct proc_dwfl {
	Dwfl *dwfl;
	__u32 tgid;
	__u32 exec_id;		/* the image its modules are of */
	__u64 used;		/* the unwinder's count of lookups at its last */
	__u64 loaded_ns;
	__u32 reloads;		/* of this process's modules so far */
};

struct name {
	__u64 pc;
	__u32 tgid;
	int libc;		/* in the C library */
	char *name;
};

struct unwinder {
	struct name names[NAMES];	/* direct-mapped */
	struct proc_dwfl p[KEPT];
	__u64 lookups;
	__u64 stale;		/* samples of an image the process had left */
	const struct ustk_sample *cur;	/* the sample being unwound */
};

struct frames {
	Dwarf_Addr pc[USTACK_DEPTH];
	int n;
};

/*
 * Separate debug files only from this machine's /usr/lib/debug, never
 * debuginfod: a download in the reader thread would stall it for seconds
 * while the ring fills.
 */
static int local_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			   Dwarf_Addr base, const char *file_name, const char *debuglink_file,
			   GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	return dwfl_build_id_find_debuginfo(mod, userdata, modname, base, file_name,
					    debuglink_file, debuglink_crc, debuginfo_file_name);
}

static const Dwfl_Callbacks proc_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = local_debuginfo,
};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_arg)
{
	struct unwinder *u = arg;

	(void)dwfl;
	if (*thread_arg)
		return 0;
	*thread_arg = u;
	return u->cur->tid;
}

/* Stack memory: the copy's bytes only (the rest is not there to read) */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	const struct ustk_sample *s = ((struct unwinder *)arg)->cur;

	(void)dwfl;
	if (addr < s->sp || addr - s->sp + sizeof(*result) > s->len)
		return false;
	memcpy(result, s->data + (addr - s->sp), sizeof(*result));
	return true;
}

/* ip, sp and the frame pointer: what the CFI of a frame's CFA needs (x86-64 DWARF 6, 7) */
static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	const struct ustk_sample *s = ((struct unwinder *)arg)->cur;
	Dwarf_Word regs[2] = { s->bp, s->sp };

	if (!dwfl_thread_state_registers(thread, 6, 2, regs))
		return false;
	dwfl_thread_state_register_pc(thread, s->ip);
	return true;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

static int on_frame(Dwfl_Frame *f, void *arg)
{
	struct frames *fr = arg;
	Dwarf_Addr pc;
	bool activation;

	if (!dwfl_frame_pc(f, &pc, &activation))
		return DWARF_CB_ABORT;
	/* a return address: the call is the instruction before it */
	fr->pc[fr->n++] = activation ? pc : pc - 1;
	return fr->n < USTACK_DEPTH ? DWARF_CB_OK : DWARF_CB_ABORT;
}

struct unwinder *unwind_new(void)
{
	return calloc(1, sizeof(struct unwinder));
}

static __u64 now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ull + t.tv_nsec;
}

/*
 * The process's Dwfl for image exec_id; its modules read now if not kept,
 * if the process has exec'd since they were, or if fresh is asked (an
 * address in none of them) and a while has passed since they were (JIT
 * code is in no module either). NULL for a sample of an image gone.
 */
static Dwfl *proc_dwfl(struct unwinder *u, __u32 tgid, __u32 exec_id, int fresh)
{
	struct proc_dwfl *p = NULL, *lru = &u->p[0];
	__u64 now = 0;

	for (int i = 0; i < KEPT; i++) {
		if (u->p[i].dwfl && u->p[i].tgid == tgid)
			p = &u->p[i];
		if (u->p[i].used < lru->used)
			lru = &u->p[i];
	}
	if (p && (int)(exec_id - p->exec_id) < 0) {
		u->stale++;
		return NULL;
	}
	if (p && exec_id == p->exec_id) {
		__u64 wait = p->reloads < 7 ? RELOAD_MIN_NS << p->reloads : RELOAD_NS;

		p->used = ++u->lookups;
		if (!fresh || (now = now_ns()) - p->loaded_ns < (wait < RELOAD_NS ? wait : RELOAD_NS))
			return p->dwfl;
		p->reloads++;
	} else if (!p) {
		p = lru;
	}
	if (p->dwfl)
		dwfl_end(p->dwfl);
	for (int i = 0; i < NAMES; i++)	/* its names may be another image's */
		if (u->names[i].tgid == p->tgid || u->names[i].tgid == tgid) {
			free(u->names[i].name);
			u->names[i].name = NULL;
		}
	if (p->tgid != tgid || p->exec_id != exec_id)
		p->reloads = 0;
	p->tgid = tgid;
	p->exec_id = exec_id;
	p->used = ++u->lookups;
	p->loaded_ns = now ? now : now_ns();
	p->dwfl = dwfl_begin(&proc_callbacks);
	if (!p->dwfl)
		return NULL;
	/* its modules from /proc: by the number this PID namespace knows it by */
	if (dwfl_linux_proc_report(p->dwfl, pidns_local(tgid)) ||
	    dwfl_report_end(p->dwfl, NULL, NULL) ||
	    !dwfl_attach_state(p->dwfl, NULL, pidns_local(tgid), &thread_callbacks, u)) {
		dwfl_end(p->dwfl);
		p->dwfl = NULL;
	}
	return p->dwfl;
}

static char *name_of(Dwfl *dwfl, Dwarf_Addr pc, int *libc)
{
	Dwfl_Module *m = dwfl_addrmodule(dwfl, pc);
	const char *sym, *file;
	Dwarf_Addr start;
	char buf[512];

	*libc = m && symbols_is_libc(dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, NULL,
							 NULL));
	if (!m) {
		snprintf(buf, sizeof(buf), "[unknown] 0x%llx", (unsigned long long)pc);
		return strdup(buf);
	}
	sym = dwfl_module_addrname(m, pc);
	if (sym)	/* its version (pthread_cond_wait@@GLIBC_2.3.2) left out */
		return strndup(sym, strcspn(sym, "@"));
	file = dwfl_module_info(m, NULL, &start, NULL, NULL, NULL, NULL, NULL);
	file = file && strrchr(file, '/') ? strrchr(file, '/') + 1 : file ? file : "?";
	snprintf(buf, sizeof(buf), "%s+0x%llx", file, (unsigned long long)(pc - start));
	return strdup(buf);
}

int unwind_sample(struct unwinder *u, const struct ustk_sample *s, char **names, int max,
		  int *own)
{
	struct frames fr = { .n = 0 };
	Dwfl *dwfl;
	int n = 0;

	*own = 0;
	u->cur = s;
	dwfl = proc_dwfl(u, s->tgid, s->exec_id, 0);
	if (dwfl && !dwfl_addrmodule(dwfl, s->ip))
		dwfl = proc_dwfl(u, s->tgid, s->exec_id, 1);
	if (!dwfl)
		return 0;
	dwfl_getthread_frames(dwfl, s->tid, on_frame, &fr);
	for (int i = 0; i < fr.n && n < max; i++) {
		struct name *c = &u->names[(fr.pc[i] ^ fr.pc[i] >> 12 ^ s->tgid) % NAMES];

		if (!c->name || c->pc != fr.pc[i] || c->tgid != s->tgid) {
			free(c->name);
			c->pc = fr.pc[i];
			c->tgid = s->tgid;
			c->name = name_of(dwfl, fr.pc[i], &c->libc);
		}
		if (c->name && (names[n] = strdup(c->name))) {
			if (*own == n && c->libc)
				(*own)++;
			n++;
		}
	}
	return n;
}

__u64 unwind_stale(const struct unwinder *u)
{
	return u->stale;
}

void unwind_free(struct unwinder *u)
{
	if (!u)
		return;
	for (int i = 0; i < KEPT; i++)
		if (u->p[i].dwfl)
			dwfl_end(u->p[i].dwfl);
	for (int i = 0; i < NAMES; i++)
		free(u->names[i].name);
	free(u);
}
