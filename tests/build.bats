#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Build and install: header tracking, install layout, use from anywhere.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	# The builds here start from nothing, the caller's make too: under
	# `make -jN test-unpriv` MAKEFLAGS names the jobserver's pipe fds, which
	# the test has not (or has as bats's own), and make printed "warning:
	# jobserver unavailable" into the output
	unset MAKEFLAGS MFLAGS MAKELEVEL
}

# A copy of the sources, so the build under test starts from nothing.
fresh_tree() {
	src="$BATS_TEST_TMPDIR/src"
	mkdir -p "$src"
	cp -r "$ROOT"/Makefile "$ROOT"/bpf "$ROOT"/user "$ROOT"/workloads \
		"$ROOT"/vmlinux "$ROOT"/tools "$ROOT"/debian "$src"/
}

@test "make builds with no warnings and V=1 shows full commands" {
	fresh_tree
	run -0 make -C "$src" V=1
	[[ "$output" == *"clang -g -O2"*"-target bpf"* ]]
	[[ "$output" == *"gen skeleton"* ]]
	[[ "$output" != *"warning:"* ]]
}

@test "a shared header change rebuilds what includes it" {
	fresh_tree
	make -C "$src" V=0 >/dev/null
	run -0 make -C "$src" V=0
	[[ "$output" != *"CC"* ]]
	touch -d '+2 sec' "$src/bpf/events.h"
	run -0 make -C "$src" V=0
	[[ "$output" == *"BPF"*"sched.bpf.o"* ]]
	[[ "$output" == *"CC"*"summary.o"* ]]
}

# bats test_tags=root
@test "make install puts tracer on the PATH with its workloads, usable from anywhere" {
	requires root btf
	dest="$BATS_TEST_TMPDIR/dest"
	run -0 make -C "$ROOT" install DESTDIR="$dest" PREFIX=/usr
	[ -x "$dest/usr/bin/tracer" ]
	[ -x "$dest/usr/libexec/tracer/pingpong" ]
	[ -x "$dest/usr/libexec/tracer/python/cpu.py" ]
	[ -f "$dest/usr/share/man/man1/tracer-run.1" ]
	[ -f "$dest/usr/share/bash-completion/completions/tracer" ]
	[ -f "$dest/usr/share/doc/tracer/formats.md" ]
	cd /
	run -0 env PATH="$dest/usr/bin:$PATH" tracer run thread-pingpong --rounds 500
	[[ "$output" == *"round_trips=500"* ]]
}

@test "every user-space header compiles on its own, with no warning" {
	# a header that needs another included first, or a name defined by
	# its includer, fails here; bpf/logic.h is meant for includers that
	# define its hooks (its own comment), and is left out
	local n=0 h
	for h in "$ROOT"/user/*/*.h "$ROOT"/bpf/events.h; do
		printf '#include "%s"\n' "${h#"$ROOT"/*/}" >"$BATS_TEST_TMPDIR/one.c"
		run -0 cc -fsyntax-only -Wall -Wextra -Werror -I"$ROOT/user" -I"$ROOT/bpf" \
			-I"$ROOT/.output" "$BATS_TEST_TMPDIR/one.c"
		n=$((n + 1))
	done
	[ "$n" -ge 30 ]
}

@test "user/'s layers include only their own and those below: core, io, render, live, verify, cmd" {
	# docs/design.md: a file may use its own layer and the ones before it;
	# core, io and render use no libbpf (make fuzz links them without it)
	"$PY" - "$ROOT" <<'PY'
import glob, re, sys
order = ["core", "io", "render", "live", "verify", "cmd"]
bad, n = [], 0
for f in glob.glob(sys.argv[1] + "/user/*/*.[ch]"):
    layer = f.split("/")[-2]
    assert layer in order, f"{f}: not a layer of docs/design.md"
    text = open(f).read()
    for inc in re.findall(r'#include [<"]([^>"]+)[>"]', text):
        n += 1
        top = inc.split("/")[0]
        if top in order and order.index(top) > order.index(layer):
            bad.append(f"{f}: {inc}")
        if top == "bpf" and order.index(layer) < order.index("live") and inc != "bpf/bpf_helpers.h":
            bad.append(f"{f}: {inc} (libbpf)")
    if layer != "live" and "tracer.skel.h" in text:
        bad.append(f"{f}: the skeleton outside live/")
assert not bad, bad
assert n > 200, n
PY
}

@test "every BPF-side header compiles on its own, with no warning" {
	# bpf/logic.h is the exception by design: its includer defines its
	# hooks (common.bpf.h on the maps, user/core/replay.c on the replay)
	local n=0 h arch
	arch=$(uname -m | sed 's/x86_64/x86/; s/aarch64/arm64/')
	for h in "$ROOT"/bpf/*.h; do
		[ "$(basename "$h")" != logic.h ] || continue
		printf '#include "%s"\n' "$(basename "$h")" >"$BATS_TEST_TMPDIR/one.bpf.c"
		run -0 clang -g -O2 -Wall -Werror -target bpf -mcpu=v3 -D__TARGET_ARCH_"$arch" \
			-I"$ROOT/vmlinux/$arch" -I"$ROOT/bpf" -fsyntax-only "$BATS_TEST_TMPDIR/one.bpf.c"
		n=$((n + 1))
	done
	[ "$n" -ge 7 ]
}

@test "every classic tracepoint program of bpf/ is placed in loader.c's table of features" {
	local n=0 sec
	for sec in $(grep -ho 'SEC("tracepoint/[^"]*")' "$ROOT"/bpf/*.c | sed 's/SEC("\(.*\)")/\1/'); do
		grep -qF "{ \"$sec\", FEAT_" "$ROOT/user/live/loader.c"
		n=$((n + 1))
	done
	[ "$n" -ge 14 ]
}
