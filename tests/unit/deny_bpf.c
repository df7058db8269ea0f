// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * deny_bpf CMD PROG [ARG...]: run PROG with bpf(CMD, ...) failing with
 * EOPNOTSUPP, as on a kernel without that command. A seccomp filter, so the
 * tests reach tracer's error paths on the real kernel, not a mock.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH	AUDIT_ARCH_AARCH64
#else
#error "deny_bpf: unknown architecture"
#endif

#define DATA(f)	offsetof(struct seccomp_data, f)

int main(int argc, char **argv)
{
	char *end;
	long cmd;

	if (argc < 3) {
		fprintf(stderr, "usage: deny_bpf CMD PROG [ARG...]\n");
		return 64;
	}
	cmd = strtol(argv[1], &end, 0);
	if (*end || cmd < 0) {
		fprintf(stderr, "deny_bpf: not a bpf command number: %s\n", argv[1]);
		return 64;
	}
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, DATA(arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, DATA(nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, DATA(args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (__u32)cmd, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EOPNOTSUPP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	/* no_new_privs: allowed without CAP_SYS_ADMIN; root keeps its rights */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) {
		perror("deny_bpf: seccomp");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror("deny_bpf: exec");
	return 127;
}
