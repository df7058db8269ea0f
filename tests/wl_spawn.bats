#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# spawn on its own (no tracing, no root): counts, bounds, memory figures
# that must hold by construction, and no unit left behind.
bats_require_minimum_version 1.5.0

setup() { load helpers; }

# In a session of its own, so that any unit left behind can be found.
spawn_in_session() {
	run -0 setsid bash -c 'echo $$ >"$0.sid"; exec "$@"' \
		"$BATS_TEST_TMPDIR/run" "$WLDIR/spawn" "$@"
	SID=$(cat "$BATS_TEST_TMPDIR/run.sid")
}

@test "spawn: every unit reaches N" {
	for unit in process thread coroutine; do
		run -0 "$WLDIR/spawn" --unit $unit --count 40
		[[ "$output" == "result: unit=$unit "* ]]
		[ "$(kv count)" = 40 ]
	done
	run -0 "$WLDIR/spawn" --unit process --exec --count 20
	[[ "$output" == "result: unit=process exec=1 count=20 "* ]]
	run -0 "$WLDIR/spawn" --unit coroutine --impl ucontext --count 20
	[[ "$output" == "result: unit=coroutine impl=ucontext count=20 "* ]]
}

@test "spawn: --until-limit stops at --max and says why" {
	for unit in process thread coroutine; do
		run -0 "$WLDIR/spawn" --unit $unit --until-limit --max 25
		[ "$(kv count)" = 25 ]
		[ "$(kv limit_reached)" = 25 ]
		[ "$(kv limit_reason)" = bound ]
	done
}

@test "spawn: no unit outlives the run" {
	for args in "--unit process --count 100" "--unit process --exec --count 30" \
		    "--unit process --until-limit --max 50"; do
		spawn_in_session $args
		[ "$(kv count)" -ge 30 ]
		run -1 pgrep -s "$SID"
	done
}

@test "spawn: stacks: reserved as configured, touched within it" {
	run -0 "$WLDIR/spawn" --unit coroutine --count 100 --stack-kib 64
	[ "$(kv stack_reserved_kib)" = 64 ]
	# each coroutine maps its stack and a guard page, and touches at least a page
	fcmp "$(kv vsz_per_unit_kib) >= 64 and 4 <= $(kv stack_touched_kib) <= 64"
	run -0 "$WLDIR/spawn" --unit thread --count 20 --stack-kib 256
	[ "$(kv stack_reserved_kib)" = 256 ]
	fcmp "$(kv vsz_per_unit_kib) >= 256 and 4 <= $(kv stack_touched_kib) <= 256"
	run -0 "$WLDIR/spawn" --unit thread --count 20
	[ "$(kv stack_reserved_kib)" -gt 0 ]
	run -0 "$WLDIR/spawn" --unit coroutine --count 20
	[ "$(kv stack_reserved_kib)" = 16 ]
}

@test "spawn: bad options are one-line errors with exit 2" {
	run --separate-stderr -2 "$WLDIR/spawn" --unit fiber
	[ "$stderr" = "spawn: --unit: 'fiber' is not one of process|thread|coroutine" ]
	run --separate-stderr -2 "$WLDIR/spawn" --unit thread --exec
	[ "$stderr" = "spawn: --exec applies to --unit process only" ]
	run --separate-stderr -2 "$WLDIR/spawn" --unit process --stack-kib 64
	[ "$stderr" = "spawn: --stack-kib applies to threads and coroutines only" ]
	run --separate-stderr -2 "$WLDIR/spawn" --unit thread --stack-kib 4 --count 1
	[ "$stderr" = "spawn: --stack-kib: 4 is too small for a thread" ]
	run --separate-stderr -2 "$WLDIR/spawn" --max 10
	[ "$stderr" = "spawn: --max applies to --until-limit only" ]
	run --separate-stderr -2 "$WLDIR/spawn" --until-limit --count 10
	[ "$stderr" = "spawn: --count and --until-limit exclude each other" ]
	run --separate-stderr -2 "$WLDIR/spawn" --unit thread --impl asm
	[ "$stderr" = "spawn: --impl applies to --unit coroutine only" ]
	run --separate-stderr -2 "$WLDIR/spawn" --count 0
	[ "$stderr" = "spawn: --count: 0 is out of range [1, 1000000]" ]
}

@test "spawn: --help describes the options" {
	run -0 "$WLDIR/spawn" --help
	[[ "$output" == *"--unit"*"--count"*"--exec"*"--until-limit"*"--max"*"--stack-kib"*"--impl"* ]]
	[[ "$output" != *"--exec-child"* ]]
}
