#!/usr/bin/env bash
# `apigen diff` on every consecutive pair of spec snapshots (sorted by name):
# per pair, the changes per level and per rule, and the type renames found with
# how many the spec itself caused. Each pair is compared twice: with fresh names
# (no lock), and as a maintainer regenerating with the names lock does (the lock
# written by generating the snapshots in order, each from the previous one's lock:
# `apigen diff OLD NEW --lock OLD-crate/apigen.lock`). Prints Markdown tables;
# keeps the JSON reports and the locks.
#
#   bench/diff_history.sh [DIR]      # default: ../shared/specs/history
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-../shared/specs/history}
OUT=target/bench-out/diff-history
rm -rf "$OUT"
mkdir -p "$OUT"
cargo build --quiet --release -p apigen
BIN=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/apigen
mapfile -t SPECS < <(ls "$DIR"/*.json.gz | sort)
if (( ${#SPECS[@]} < 2 )); then echo "need two specs in $DIR" >&2; exit 2; fi

# The lock chain: each snapshot generated into a crate holding the previous one's lock.
prev=""
for spec in "${SPECS[@]}"; do
  crate="$OUT/crate-$(basename "$spec" .json.gz)"
  mkdir -p "$crate"
  if [[ -n $prev ]]; then cp "$prev/apigen.lock" "$crate/apigen.lock"; fi
  "$BIN" generate --spec "$spec" --out "$crate" > /dev/null 2>&1
  prev=$crate
done

: > "$OUT/pairs.tsv"
for ((i = 1; i < ${#SPECS[@]}; i++)); do
  old=${SPECS[i-1]} new=${SPECS[i]}
  name="$(basename "$old" .json.gz)__$(basename "$new" .json.gz)"
  lock="$OUT/crate-$(basename "$old" .json.gz)/apigen.lock"
  start=$(date +%s%N)
  # Exit 1 only means "something breaks"; 2 is a real failure.
  code=0; "$BIN" diff "$old" "$new" --format json > "$OUT/$name.json" || code=$?
  end=$(date +%s%N)
  if (( code > 1 )); then echo "apigen diff failed on $name" >&2; exit 1; fi
  code=0; "$BIN" diff "$old" "$new" --lock "$lock" --format json > "$OUT/$name.lock.json" || code=$?
  if (( code > 1 )); then echo "apigen diff --lock failed on $name" >&2; exit 1; fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$(basename "$old")" "$(basename "$new")" "$OUT/$name.json" "$(( (end - start) / 1000000 ))" "$OUT/$name.lock.json" >> "$OUT/pairs.tsv"
done
python3 - "$OUT/pairs.tsv" <<'PY'
import json, sys
pairs = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
reports = [(o, n, json.load(open(p)), ms, json.load(open(lp))) for o, n, p, ms, lp in pairs]
short = lambda f: f.replace("cloudflare-", "").replace(".json.gz", "")
print("Without a lock (every type named afresh):")
print()
print("| old → new | operations | breaking | behavioural | non-breaking | bump | type renames | by the spec | by our naming | wall |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for o, n, r, ms, _ in reports:
    s, rules = r["summary"], r["summary"]["by_rule"]
    spec, ours = rules.get("type-renamed-by-spec", 0), rules.get("type-renamed-by-naming", 0)
    print(f"| {short(o)} → {short(n)} | {r['old']['operations']} → {r['new']['operations']} | {s['breaking']} | {s['behavioural']} | {s['non_breaking']} | {s['bump']} | {spec + ours} | {spec} | {ours} | {int(ms)/1000:.2f} s |")
print()
print("With the names lock (regenerating from the previous snapshot's lock):")
print()
print("| old → new | breaking | behavioural | non-breaking | bump | type renames | kept as deprecated aliases | by the spec, breaking | by our naming, breaking |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for o, n, _, _, r in reports:
    s, rules = r["summary"], r["summary"]["by_rule"]
    spec, ours, alias = (rules.get(k, 0) for k in ("type-renamed-by-spec", "type-renamed-by-naming", "type-renamed-with-alias"))
    print(f"| {short(o)} → {short(n)} | {s['breaking']} | {s['behavioural']} | {s['non_breaking']} | {s['bump']} | {spec + ours + alias} | {alias} | {spec} | {ours} |")
print()
changed = [(r, lr) for _, _, r, _, lr in reports if r["changes"] or lr["changes"]]
major = lambda rep: rep["summary"]["bump"] == "major"
count = lambda rule, which: sum(x["summary"]["by_rule"].get(rule, 0) for pair in changed for x in [pair[which]])
print(f"Pairs with any change: {len(changed)}. Major regenerations: {sum(major(r) for r, _ in changed)} without the lock, {sum(major(lr) for _, lr in changed)} with it.")
print(f"Type renames without the lock: {count('type-renamed-by-spec', 0) + count('type-renamed-by-naming', 0)} ({count('type-renamed-by-spec', 0)} caused by the spec, {count('type-renamed-by-naming', 0)} by our naming). With the lock: {count('type-renamed-with-alias', 1)} kept as deprecated aliases, {count('type-renamed-by-spec', 1)} by the spec and {count('type-renamed-by-naming', 1)} by our naming still breaking.")
additive = ["operation-added", "parameter-added-optional", "request-field-added-optional", "response-field-added-optional", "enum-value-added", "union-variant-added"]
print(f"Additive changes (rules {', '.join(additive)}), all non-breaking: {sum(count(k, 1) for k in additive)} with the lock.")
print()
all_rules = sorted({k for _, _, r, _, lr in reports for k in list(r["summary"]["by_rule"]) + list(lr["summary"]["by_rule"])})
level = {}
for _, _, r, _, lr in reports:
    for c in r["changes"] + lr["changes"]:
        level[c["rule"]] = c["level"]
order = {"breaking": 0, "behavioural": 1, "non-breaking": 2}
all_rules.sort(key=lambda k: (order[level[k]], k))
print("Changes per rule, without the lock / with it:")
print()
print("| rule | level | " + " | ".join(f"{short(o)} → {short(n)}" for o, n, _, _, _ in reports) + " |")
print("| --- | --- |" + " --- |" * len(reports))
for k in all_rules:
    cells = []
    for _, _, r, _, lr in reports:
        a, b = r["summary"]["by_rule"].get(k, 0), lr["summary"]["by_rule"].get(k, 0)
        cells.append(str(a) if a == b else f"{a} / {b}")
    print(f"| `{k}` | {level[k]} | " + " | ".join(cells) + " |")
print()
print("Type renames by our naming (old → new, where first met), without the lock:")
for o, n, r, _, _ in reports:
    for c in r["changes"]:
        if c["rule"] == "type-renamed-by-naming":
            print(f"- {short(o)} → {short(n)}: `{c['old']}` → `{c['new']}` ({c['operation']} `{c['location']}`)")
print()
print("Type renames the spec caused that the lock could not map to an alias (first 10 per pair):")
for o, n, _, _, r in reports:
    left = [c for c in r["changes"] if c["rule"] in ("type-renamed-by-spec", "type-renamed-by-naming")]
    for c in left[:10]:
        print(f"- {short(o)} → {short(n)}: `{c['old']}` → `{c['new']}` ({c['rule']})")
PY
