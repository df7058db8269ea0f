#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Install the Debian packages that building and testing tracer need, only
# those missing. Idempotent; everything comes from Debian's archive.
set -eu

# package:command-or-file that proves it is present
need=(
	make:/usr/bin/make
	gcc:/usr/bin/gcc
	libc6-dev:/usr/include/stdio.h
	linux-libc-dev:/usr/include/linux/types.h
	pkg-config:/usr/bin/pkg-config
	clang:/usr/bin/clang
	llvm:/usr/bin/llvm-strip
	libbpf-dev:/usr/include/bpf/libbpf.h
	bpftool:/usr/sbin/bpftool
	libelf-dev:/usr/include/libelf.h
	libdw-dev:/usr/include/elfutils/libdwfl.h
	# glibc's symbol table (by build id): its internal frames named (start_thread)
	libc6-dbg:/usr/share/doc/libc6-dbg
	# python3's symbol file, by build id: CPython's static GIL functions named
	# (take_gil); it brings python3.11 to the same version
	python3-dbg:/usr/share/doc/python3-dbg
	zlib1g-dev:/usr/include/zlib.h
	bats:/usr/bin/bats
	libclang-rt-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
	python3:/usr/bin/python3
	util-linux:/usr/bin/unshare
	procps:/usr/bin/pgrep
	gnuplot-nox:/usr/bin/gnuplot
	# the tests' independent witnesses: perf sched, strace -c
	linux-perf:/usr/bin/perf
	strace:/usr/bin/strace
	# a real browser draws the SVG flame graph in a test
	chromium-headless-shell:/usr/bin/chromium-headless-shell
	# the man pages (rst2man), read by man in a test; make deb and its check
	python3-docutils:/usr/bin/rst2man
	man-db:/usr/bin/man
	dpkg-dev:/usr/bin/dpkg-buildpackage
	debhelper:/usr/bin/dh
	lintian:/usr/bin/lintian
)

missing=()
for entry in "${need[@]}"; do
	pkg=${entry%%:*}
	path=${entry#*:}
	[ -e "$path" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all build and test packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}; run 'sudo make deps'" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null; then
	echo "deps: missing packages: ${missing[*]}; no apt-get here, install them by hand" >&2
	exit 1
fi

echo "deps: installing from Debian: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
