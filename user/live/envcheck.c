// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "live/envcheck.h"
#include "core/log.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif

#define BTF_PATH "/sys/kernel/btf/vmlinux"

static int has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return !!(d[cap / 32].effective & (1u << (cap % 32)));
}

static int check_privileges(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	if (has_cap(data, CAP_SYS_ADMIN) ||
	    (has_cap(data, CAP_BPF) && has_cap(data, CAP_PERFMON)))
		return 0;
	pr_err("tracing needs root or CAP_BPF+CAP_PERFMON: run it with sudo");
	return -EPERM;
}

/* Without the JIT the probes still run, interpreted: several times slower. */
static void check_jit(void)
{
	FILE *f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	int on = 1;

	if (!f)
		return;
	if (fscanf(f, "%d", &on) == 1 && !on)
		pr_warn("the BPF JIT is off (net.core.bpf_jit_enable=0): the probes run "
			"interpreted and cost more; sysctl net.core.bpf_jit_enable=1 turns it on");
	fclose(f);
}

/*
 * The BPF programs see the kernel's pids. In a nested PID namespace (a
 * container without the host's) proc.bpf.c learns tracer's own pid as the
 * kernel numbers it, -p's and /proc's pids are translated (live/pidns.c),
 * and the report's pids are the kernel's. The initial namespace's inode is
 * fixed (PROC_PID_INIT_INO).
 */
#define PID_NS_INIT_INO	0xEFFFFFFCu

int envcheck_pid_ns_nested(void)
{
	struct stat st;

	/* unknown (no /proc): taken as not, the rest will say */
	return !stat("/proc/self/ns/pid", &st) && st.st_ino != PID_NS_INIT_INO;
}

static int check_pid_ns(void)
{
	char self[32] = "";

	if (!envcheck_pid_ns_nested())
		return 0;
	/* the tree's leftovers are found in /proc by their parent's pid: ours */
	if (readlink("/proc/self", self, sizeof(self) - 1) <= 0 || atoi(self) != getpid()) {
		pr_err("in a nested PID namespace tracer needs a /proc of its own (unshare "
		       "--mount-proc; a container has one)");
		return -EPERM;
	}
	return 0;
}

int envcheck_tracing(void)
{
	int err = check_privileges();

	if (!err)
		err = check_pid_ns();
	if (err)
		return err;
	check_jit();
	if (access(BTF_PATH, R_OK)) {
		pr_err("no kernel BTF at %s: tracer needs a kernel built with CONFIG_DEBUG_INFO_BTF=y",
		       BTF_PATH);
		return -ENOENT;
	}
	return 0;
}
