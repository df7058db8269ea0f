# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Shared by every .bats file: where things are, and requirement gates.
ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
TOOL="${TOOL:-$ROOT/tracer}"
WLDIR="${WLDIR:-$ROOT/.output/workloads}"
# Debian's python3, not a wrapper script from PATH (pyenv's shims fork a
# dozen processes, which would show up in process counts)
PY=/usr/bin/python3

requires() {
	local r
	for r in "$@"; do
		case "$r" in
		root) [ "$(id -u)" -eq 0 ] || skip "needs root" ;;
		btf) [ -r /sys/kernel/btf/vmlinux ] || skip "needs kernel BTF" ;;
		python3) [ -x "$PY" ] || skip "needs python3" ;;
		chromium) command -v chromium-headless-shell >/dev/null ||
			skip "needs chromium-headless-shell (make deps)" ;;
		*) echo "BUG: unknown requirement '$r'" >&2; return 1 ;;
		esac
	done
}

# csv_get FILE COLUMN: the value of COLUMN in the summary CSV's single row.
csv_get() {
	"$PY" - "$1" "$2" <<'PY'
import csv, gzip, sys
path, col = sys.argv[1], sys.argv[2]
f = gzip.open(path, "rt", newline="") if path.endswith(".gz") else open(path, newline="")
rows = list(csv.DictReader(f))
assert len(rows) == 1, f"{len(rows)} rows"
print(rows[0][col])
PY
}

# Our BPF programs loaded on the machine that no running tracer holds: a
# leftover (another tracer at work, a test's or a user's, is no leftover).
# The holders are read before and after the list, so a tracer starting or
# ending meanwhile is seen holding its programs.
our_progs() {
	local held
	held=$(tracer_prog_ids)
	bpftool prog show 2>/dev/null |
		awk '/ name handle_sched_/ { sub(":", "", $1); print $1 }' |
		grep -vxF -f <(echo "$held"; tracer_prog_ids) | wc -l
}

# No program of ours left, within 5 s: a closed tracepoint link lets go of
# its program only after an RCU grace period (seen: the programs of a
# tracer that had just exited, listed).
no_bpf_left() {
	for _ in $(seq 50); do
		[ "$(our_progs)" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# The ids of the BPF programs open in tracer processes (fdinfo's prog_id).
tracer_prog_ids() {
	local p
	for p in $(pgrep -x tracer); do
		grep -hs '^prog_id:' /proc/"$p"/fdinfo/* | awk '{ print $2 }'
	done
	echo none
}

# csv_load FILE: the summary CSV's row into the associative array C[column].
csv_load() {
	local line
	declare -gA C=()
	while IFS= read -r -d '' line; do
		C["${line%%=*}"]="${line#*=}"
	done < <("$PY" - "$1" <<'PY'
import csv, gzip, sys
path = sys.argv[1]
f = gzip.open(path, "rt", newline="") if path.endswith(".gz") else open(path, newline="")
rows = list(csv.DictReader(f))
assert len(rows) == 1, f"{len(rows)} rows"
for k, v in rows[0].items():
    sys.stdout.write(f"{k}={v}\0")
PY
)
	[ "${#C[@]}" -gt 0 ]
}

# fcmp EXPR: a floating-point comparison, e.g. fcmp "$a < 1.02 * $b".
fcmp() {
	"$PY" -c "import sys; sys.exit(0 if ($1) else 1)" || {
		echo "false: $1" >&2
		return 1
	}
}

# kv KEY: the value of KEY in the result line in $output (after `run`).
kv() {
	[[ "$output" =~ (^|[[:space:]])$1=([^[:space:]]+) ]] && echo "${BASH_REMATCH[2]}"
}

# Witness programs built from tests/progs/ (make testprogs)
PROGS="$ROOT/.output/progs"

# pixels P "r,g,b" [TOL]: pixels of PNG P (960x600, as the pictures are) of
# that colour, each channel within TOL (default 0: exactly; text and thin
# lines blend into the background)
pixels() {
	PYTHONPATH="$BATS_TEST_DIRNAME/witness" "$PY" -c '
import sys, png
w, h, rows = png.read(sys.argv[1])
assert (w, h) == (960, 600), (w, h)
c = tuple(int(x) for x in sys.argv[2].split(","))
tol = int(sys.argv[3])
print(sum(all(abs(a - b) <= tol for a, b in zip(p, c)) for r in rows for p in r))' "$1" "$2" "${3:-0}"
}
