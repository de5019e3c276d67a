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
#   SKIP_BUILD=1 uses the release build as it is.
#   Output goes to a fresh directory under OUT_ROOT (default /dev/shm when it exists: a
#   tmpfs, so the shared disk's write contention is not what is measured).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
shift || true
[[ ${SKIP_BUILD:-0} == 1 ]] || cargo build --quiet --release -p apigen --bin apigen --example floor
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
OUT_ROOT=${OUT_ROOT:-$( [[ -d /dev/shm && -w /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}
WORK=$(mktemp -d "$OUT_ROOT/gen_cost.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p target/bench-out
LOG=target/bench-out/gen_cost.log   # kept: the raw runs behind the table
: > "$LOG"
# run SPEC ROUND LABEL COMMAND...: appends "spec round label wall_s rss_kib cpu_s" to $LOG
# (cpu = user + sys seconds over all threads, 10 ms steps: less sensitive to other load than wall).
run() {
  local spec=$1 round=$2 label=$3
  shift 3
  local start end
  start=$(date +%s%N)
  if ! /usr/bin/time -f "%M %U %S" -o "$WORK/rss" "$@" > /dev/null 2> "$WORK/err"; then
    echo "$label failed on $spec:" >&2
    tail -5 "$WORK/err" >&2
    exit 1
  fi
  end=$(date +%s%N)
  read -r rss user sys < <(tail -1 "$WORK/rss")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$spec" "$round" "$label" \
    "$(awk -v ns=$((end - start)) 'BEGIN { printf "%.4f", ns / 1e9 }')" "$rss" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" >> "$LOG"
}
echo "output under $OUT_ROOT; load before: $(uptime)" >&2
for ((r = 1; r <= RUNS; r++)); do
  for spec in $SPECS; do
    path=${SPEC_PATH[$spec]:?unknown spec $spec}
    # Wall time from `date +%s%N` (ns; /usr/bin/time's %e has 10 ms steps), peak RSS from %M (KiB).
    run "$spec" "$r" floor "$FLOOR" "$path"
    for pair in "$@"; do
      label=${pair%%=*} bin=${pair#*=}
      out=$WORK/out
      rm -rf "$out"
      run "$spec" "$r" "$label" "$bin" generate --spec "$path" --out "$out" --crate-name cloudflare
    done
  done
done
echo "load after: $(uptime)" >&2
python3 - "$LOG" <<'PY'
import sys, statistics
from collections import defaultdict
runs = defaultdict(list)          # (spec, label) -> [(round, wall s, rss KiB, cpu s)]
order = []
for line in open(sys.argv[1]):
    spec, rnd, label, wall, rss, cpu = line.rstrip("\n").split("\t")
    if (spec, label) not in runs:
        order.append((spec, label))
    runs[(spec, label)].append((int(rnd), float(wall), int(rss), float(cpu)))
med = statistics.median
def ratio(a, b):
    return f"{a / b:.2f}" if b > 0 else "–"
print("| spec | program | runs | wall median | wall min–max | × floor wall (medians) | × floor wall (median of per-round ratios) | CPU median (user+sys) | × floor CPU | peak RSS median |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for spec, label in order:
    rows = runs[(spec, label)]
    walls = [w for _, w, _, _ in rows]
    rss = med(k for _, _, k, _ in rows)
    cpu = med(c for _, _, _, c in rows)
    floor = runs[(spec, "floor")]
    floor_wall = {r: w for r, w, _, _ in floor}
    per_round = med(w / floor_wall[r] for r, w, _, _ in rows if floor_wall.get(r))
    print(f"| {spec} | {label} | {len(rows)} | {med(walls):.3f} s | {min(walls):.3f}–{max(walls):.3f} s "
          f"| {ratio(med(walls), med(floor_wall.values()))} | {per_round:.2f} "
          f"| {cpu:.2f} s | {ratio(cpu, med(c for _, _, _, c in floor))} "
          f"| {rss / 1024:.0f} MiB ({rss * 1024 / 1e6:.0f} MB) |")
PY
