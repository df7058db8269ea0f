#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Unit tests of user/ code, compiled here: no root, no kernel needed.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
}

@test "histograms: percentiles, max, avg, merge and log2 rows agree with the raw samples" {
	cc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror \
		-I"$ROOT/user" -I"$ROOT/bpf" "$ROOT/tests/unit/hist_pct.c" "$ROOT/user/hist.c" \
		-o "$BATS_TEST_TMPDIR/hist_pct"
	run -0 "$BATS_TEST_TMPDIR/hist_pct"
	[ "${#lines[@]}" = 1 ]
	[[ "${lines[0]}" == "hist_pct: "*" checks passed "* ]]
}
