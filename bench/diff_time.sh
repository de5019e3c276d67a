#!/usr/bin/env bash
# Wall time and peak RSS of `apigen diff` on the whole Cloudflare API
# (2024-01 → 2026-08, tests/specs), for one or more apigen binaries, run
# round-robin so background load hits them alike; prints the median and range.
#
#   bench/diff_time.sh [RUNS] [LABEL=BINARY ...]
#   (default: 7 runs of this tree's target/release/apigen)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
shift || true
if (( $# == 0 )); then
  cargo build --quiet --release -p apigen
  TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  set -- "this tree=$TARGET/release/apigen"
fi
OLD=tests/specs/cloudflare-2024-01.json.gz
NEW=tests/specs/cloudflare-2026-08.json.gz
LOG=$(mktemp)
for ((r = 1; r <= RUNS; r++)); do
  for pair in "$@"; do
    label=${pair%%=*} bin=${pair#*=}
    # %e wall seconds, %M peak RSS KiB; exit 1 ("something breaks") is expected.
    /usr/bin/time -f "$label	%e	%M" -o "$LOG.one" "$bin" diff "$OLD" "$NEW" > /dev/null || true
    cat "$LOG.one" >> "$LOG"
  done
done
echo "| binary | runs | wall median | wall min–max | peak RSS median |"
echo "| --- | --- | --- | --- | --- |"
python3 - "$LOG" <<'PY'
import sys, statistics
from collections import defaultdict
rows = defaultdict(list)
for line in (l for l in open(sys.argv[1]) if "\t" in l):
    label, wall, rss = line.rstrip("\n").split("\t")
    rows[label].append((float(wall), int(rss)))
for label, runs in rows.items():
    walls = [w for w, _ in runs]
    rss = statistics.median(r for _, r in runs) / 1024
    print(f"| {label} | {len(runs)} | {statistics.median(walls):.2f} s | {min(walls):.2f}–{max(walls):.2f} s | {rss:.0f} MiB |")
PY
rm -f "$LOG" "$LOG.one"
