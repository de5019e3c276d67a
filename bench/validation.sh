#!/usr/bin/env bash
# Runs the criterion benchmark tests/benches/validation.rs R times (default 3) and prints, per
# benchmark, criterion's median estimate of each run and the median of those, as a Markdown table.
#
#   bench/validation.sh [R]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
R=${1:-3}
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
RESULTS=$(mktemp -d)
trap 'rm -rf "$RESULTS"' EXIT

for (( i = 1; i <= R; i++ )); do
  echo "[validation] run $i/$R" >&2
  touch "$RESULTS/stamp"
  cargo bench --quiet -p integration-tests --bench validation >&2
  # criterion keeps each benchmark's latest estimates in target/criterion/<group>/<bench>/new/
  find "$TARGET/criterion" -path '*/new/estimates.json' -newer "$RESULTS/stamp" -print0 | while IFS= read -r -d '' f; do
    bench=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["full_id"])' "${f%estimates.json}benchmark.json")
    median=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["median"]["point_estimate"])' "$f")
    printf '%s\t%s\n' "$bench" "$median" >>"$RESULTS/runs.tsv"
  done
done

python3 - "$RESULTS/runs.tsv" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, ns = line.rstrip("\n").split("\t")
    runs.setdefault(name, []).append(float(ns))
print("| benchmark | median of runs | each run's median |")
print("| --- | --- | --- |")
for name in sorted(runs):
    values = runs[name]
    print(f"| `{name}` | {statistics.median(values):.1f} ns | {', '.join(f'{v:.1f}' for v in values)} ns |")
PY
