#!/usr/bin/env bash
# `apigen diff` on every consecutive pair of spec snapshots (sorted by name):
# per pair, the changes per level and per rule, and the type renames found with
# how many the spec itself caused. Prints Markdown tables; keeps the JSON reports.
#
#   bench/diff_history.sh [DIR]      # default: ../shared/specs/history
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-../shared/specs/history}
OUT=target/bench-out/diff-history
mkdir -p "$OUT"
cargo build --quiet --release -p apigen
BIN=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/apigen
mapfile -t SPECS < <(ls "$DIR"/*.json.gz | sort)
if (( ${#SPECS[@]} < 2 )); then echo "need two specs in $DIR" >&2; exit 2; fi
: > "$OUT/pairs.tsv"
for ((i = 1; i < ${#SPECS[@]}; i++)); do
  old=${SPECS[i-1]} new=${SPECS[i]}
  name="$(basename "$old" .json.gz)__$(basename "$new" .json.gz)"
  start=$(date +%s%N)
  # Exit 1 only means "something breaks"; 2 is a real failure.
  code=0; "$BIN" diff "$old" "$new" --format json > "$OUT/$name.json" || code=$?
  end=$(date +%s%N)
  if (( code > 1 )); then echo "apigen diff failed on $name" >&2; exit 1; fi
  printf '%s\t%s\t%s\t%s\n' "$(basename "$old")" "$(basename "$new")" "$OUT/$name.json" "$(( (end - start) / 1000000 ))" >> "$OUT/pairs.tsv"
done
python3 - "$OUT/pairs.tsv" <<'PY'
import json, sys
from collections import Counter
pairs = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
reports = [(o, n, json.load(open(p)), ms) for o, n, p, ms in pairs]
short = lambda f: f.replace("cloudflare-", "").replace(".json.gz", "")
print("| old → new | operations | breaking | behavioural | non-breaking | type renames | by the spec | by our naming | wall |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for o, n, r, ms in reports:
    s, rules = r["summary"], r["summary"]["by_rule"]
    spec, ours = rules.get("type-renamed-by-spec", 0), rules.get("type-renamed-by-naming", 0)
    print(f"| {short(o)} → {short(n)} | {r['old']['operations']} → {r['new']['operations']} | {s['breaking']} | {s['behavioural']} | {s['non_breaking']} | {spec + ours} | {spec} | {ours} | {int(ms)/1000:.2f} s |")
print()
all_rules = sorted({k for _, _, r, _ in reports for k in r["summary"]["by_rule"]})
level = {}
for _, _, r, _ in reports:
    for c in r["changes"]:
        level[c["rule"]] = c["level"]
order = {"breaking": 0, "behavioural": 1, "non-breaking": 2}
all_rules.sort(key=lambda k: (order[level[k]], k))
print("| rule | level | " + " | ".join(f"{short(o)} → {short(n)}" for o, n, _, _ in reports) + " |")
print("| --- | --- |" + " --- |" * len(reports))
for k in all_rules:
    print(f"| `{k}` | {level[k]} | " + " | ".join(str(r["summary"]["by_rule"].get(k, 0)) for _, _, r, _ in reports) + " |")
print()
print("Type renames by our naming (old → new, where first met):")
for o, n, r, _ in reports:
    ours = [c for c in r["changes"] if c["rule"] == "type-renamed-by-naming"]
    for c in ours:
        print(f"- {short(o)} → {short(n)}: `{c['old']}` → `{c['new']}` ({c['operation']} `{c['location']}`)")
PY
