#!/bin/sh
# A measured sketch, not part of tracer (docs/report.md, "--unwind"): user
# stacks unwound in the kernel from .eh_frame rows in a BPF map, at each
# blocking switch-out of one process, against frame pointers.
#   tools/proto/ehframe/build.sh && cd .output/proto-ehframe
#   ./ehk PID eh|fp SECONDS     (root; prints ns a wait, frames, the heaviest stack)
set -e
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=$root/.output/proto-ehframe
mkdir -p "$out"
cd "$(dirname "$0")"
clang -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -I"$root/vmlinux/x86" -I. \
	-c ehk.bpf.c -o "$out/ehk.bpf.o"
bpftool gen skeleton "$out/ehk.bpf.o" name ehk_bpf > "$out/ehk.skel.h"
gcc -O2 -g -Wall -I. -I"$out" ehk.c -o "$out/ehk" -lbpf -ldw -lelf -lz
