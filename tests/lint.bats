#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The suite's own honesty: assertions that can fail, skips that show.
# (Fixtures are .bats.in files: bats would take @test lines in a heredoc
# here for tests of this file.)
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	F="$ROOT/tests/fixtures/lint"
	d="$BATS_TEST_TMPDIR/suite"
	mkdir -p "$d"
}

@test "lint: no assertion in the suite is one bats can never fail" {
	cd "$ROOT/tests"
	run -0 ./lint-asserts ./*.bats helpers.bash
	[ -z "$output" ]
}

@test "lint: it flags an && list and a negated pipeline that are not last, and only those" {
	run -1 "$ROOT/tests/lint-asserts" "$F/dead.bats.in"
	[ "${#lines[@]}" = 3 ]
	[[ "${lines[0]}" == "$F/dead.bats.in:4: '&&' list: a failure before its last command is ignored: "* ]]
	[[ "${lines[1]}" == "$F/dead.bats.in:5: negated pipeline: its failure is ignored: "* ]]
	[[ "${lines[2]}" == "$F/dead.bats.in:15: '&&' list: "* ]]
}

@test "lint: a false assertion fails its test in every style the suite uses; the dead forms pass" {
	cp "$F/false.bats.in" "$d/f.bats"
	run -1 env HELPERS="$ROOT/tests/helpers" bats --formatter tap "$d/f.bats"
	[ "$(grep -c '^not ok' <<<"$output")" = 8 ]
	[ "$(grep -c '^ok .* dead: ' <<<"$output")" = 2 ]
}

@test "tests/run: a skip that is no limit of the machine fails the run, one that is does not" {
	cp "$F/skip-ok.bats.in" "$d/a.bats"
	run -0 env TESTS="$d" "$ROOT/tests/run"
	[ "${lines[-1]}" = "1 passed, 0 failed, 1 skipped" ]
	cp "$F/skip-bad.bats.in" "$d/b.bats"
	run -1 env TESTS="$d" "$ROOT/tests/run"
	[ "${lines[-1]}" = "1 passed, 2 failed, 1 skipped" ]
	[[ "$output" == *"# a skip that is no limit of the machine: 3 skipped for want of a package # skip needs gnuplot"* ]]
}
