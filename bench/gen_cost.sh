#!/usr/bin/env bash
# Run cost of generation against the parse floor (issue 14): for each spec, the floor
# (`generator/examples/floor.rs`: read + gunzip + deserialise into `openapiv3`, nothing
# else) and one or more `apigen generate` binaries run round-robin in one script run, so
# background load hits them alike. Prints a markdown table: wall median and min–max, peak
# RSS median (`/usr/bin/time`, KiB → MiB and MB), and each binary's median over the floor's.
#
#   bench/gen_cost.sh [RUNS] [LABEL=APIGEN_BINARY ...]
#   (default: 7 runs of this tree's release build; the floor is always this tree's)
#   SPECS="fragment 2026-08" selects specs (fragment, 2024-01, 2026-08).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
shift || true
cargo build --quiet --release -p apigen --bin apigen --example floor
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
FLOOR=$TARGET/release/examples/floor
if (( $# == 0 )); then
  set -- "apigen (this tree)=$TARGET/release/apigen"
fi
declare -A SPEC_PATH=(
  [fragment]=spec/openapi.yaml
  [2024-01]=tests/specs/cloudflare-2024-01.json.gz
  [2026-08]=tests/specs/cloudflare-2026-08.json.gz
)
SPECS=${SPECS:-"fragment 2026-08"}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
LOG=$WORK/log
echo "load before: $(uptime)" >&2
for ((r = 1; r <= RUNS; r++)); do
  for spec in $SPECS; do
    path=${SPEC_PATH[$spec]:?unknown spec $spec}
    # %e wall seconds, %M peak RSS KiB.
    /usr/bin/time -f "$spec	$r	floor	%e	%M" -a -o "$LOG" "$FLOOR" "$path" > /dev/null
    for pair in "$@"; do
      label=${pair%%=*} bin=${pair#*=}
      out=$WORK/out
      rm -rf "$out"
      if ! /usr/bin/time -f "$spec	$r	$label	%e	%M" -a -o "$LOG" \
        "$bin" generate --spec "$path" --out "$out" --crate-name cloudflare > /dev/null 2> "$WORK/err"; then
        echo "$label failed on $spec:" >&2
        tail -5 "$WORK/err" >&2
        exit 1
      fi
    done
  done
done
echo "load after: $(uptime)" >&2
python3 - "$LOG" <<'PY'
import sys, statistics
from collections import defaultdict
runs = defaultdict(list)          # (spec, label) -> [(round, wall, rss KiB)]
order = []
for line in open(sys.argv[1]):
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 5:
        continue                   # /usr/bin/time prints "Command exited ..." lines on failure
    spec, rnd, label, wall, rss = parts
    if (spec, label) not in runs:
        order.append((spec, label))
    runs[(spec, label)].append((int(rnd), float(wall), int(rss)))
print("| spec | program | runs | wall median | wall min–max | peak RSS median | × floor (medians) | × floor (median of per-round ratios) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for spec, label in order:
    rows = runs[(spec, label)]
    walls = [w for _, w, _ in rows]
    rss = statistics.median(k for _, _, k in rows)
    floor = {r: w for r, w, _ in runs[(spec, "floor")]}
    ratio = statistics.median(walls) / statistics.median(floor.values())
    per_round = statistics.median(w / floor[r] for r, w, _ in rows if floor.get(r))
    print(f"| {spec} | {label} | {len(rows)} | {statistics.median(walls):.3f} s "
          f"| {min(walls):.3f}–{max(walls):.3f} s | {rss / 1024:.0f} MiB ({rss * 1024 / 1e6:.0f} MB) "
          f"| {ratio:.2f} | {per_round:.2f} |")
PY
