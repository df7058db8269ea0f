#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The event-file and capture reader under libFuzzer: a short run from the kept corpus
# (tests/fuzz/corpus; regress-* are inputs that once crashed it).
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	FUZZ="$ROOT/.output/fuzz_evload"
}

@test "fuzz: the event-file reader survives 20 s of libFuzzer" {
	# make deps installs clang's libFuzzer runtime: a failed build is a failure
	run -0 make -C "$ROOT" fuzz V=0
	new="$BATS_TEST_TMPDIR/new"
	mkdir -p "$new"
	cd "$BATS_TEST_TMPDIR"
	run -0 "$FUZZ" -max_total_time=20 -rss_limit_mb=1024 -close_fd_mask=2 \
		"$new" "$ROOT/tests/fuzz/corpus"
	! ls crash-* oom-* timeout-* 2>/dev/null
}

@test "fuzz: every kept input, regressions included, runs clean" {
	make -C "$ROOT" fuzz V=0 >/dev/null
	for f in "$ROOT"/tests/fuzz/corpus/*; do
		run -0 "$FUZZ" -close_fd_mask=2 "$f"
	done
}
