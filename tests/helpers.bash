# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Shared by every .bats file: where things are, and requirement gates.
ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
TOOL="${TOOL:-$ROOT/tracer}"
WLDIR="${WLDIR:-$ROOT/.output/workloads}"

requires() {
	local r
	for r in "$@"; do
		case "$r" in
		root) [ "$(id -u)" -eq 0 ] || skip "needs root" ;;
		btf) [ -r /sys/kernel/btf/vmlinux ] || skip "needs kernel BTF" ;;
		python3) command -v python3 >/dev/null || skip "needs python3" ;;
		*) echo "BUG: unknown requirement '$r'" >&2; return 1 ;;
		esac
	done
}

# csv_get FILE COLUMN: the value of COLUMN in the summary CSV's single row.
csv_get() {
	python3 - "$1" "$2" <<'PY'
import csv, gzip, sys
path, col = sys.argv[1], sys.argv[2]
f = gzip.open(path, "rt", newline="") if path.endswith(".gz") else open(path, newline="")
rows = list(csv.DictReader(f))
assert len(rows) == 1, f"{len(rows)} rows"
print(rows[0][col])
PY
}

# Our BPF programs still loaded anywhere on the machine.
our_progs() {
	bpftool prog show 2>/dev/null | grep -cE 'name handle_sched_' || true
}
