#!/usr/bin/env bash
# Does `apigen diff` agree with cargo-semver-checks on whether a regeneration is a major
# release? For every consecutive pair of spec snapshots (sorted by name) that differ, a few
# resources at a time: generate OLD (version 1.0.0) and regenerate NEW from OLD's names
# lock, as a maintainer does; ask `apigen diff OLD NEW --only SEL --lock OLD/apigen.lock`
# for the bump, and `cargo semver-checks` (the crate's public API, from rustdoc JSON) whether
# the new crate can be released as a minor version of the old. Prints a Markdown table; on a
# disagreement, the rules and lints behind each side.
#
#   bench/semver_agreement.sh [DIR] [SELECTOR...]
#
# DIR defaults to ../shared/specs/history. Without selectors, each pair is checked, one
# resource at a time (three levels deep, `accounts.access.apps`), on the two resources the
# pair changes most (by `apigen diff` with the lock, any level) and on the resource with the
# most changes none of which is breaking, so both answers get exercised; with selectors,
# every pair is checked on those, together.
#
# Needs cargo-semver-checks (crates.io): on PATH, or installed into target/tools with
#   cargo install cargo-semver-checks --version 0.51.0 --locked --root target/tools
# Slow (two rustdoc builds per check; the generated crates' dependencies are built once, in
# target/semver-checks): run it under `flock /tmp/heavy.lock` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-../shared/specs/history}
shift || true
FIXED=("$@")
ROOT=$PWD
OUT=$ROOT/target/bench-out/semver-agreement
# The generated crates are not members of this workspace: keep them outside it.
WORK=${TMPDIR:-/tmp}/apigen-semver-agreement
rm -rf "$OUT" "$WORK"
mkdir -p "$OUT" "$WORK"
export PATH=$ROOT/target/tools/bin:$PATH
if ! cargo semver-checks --version > /dev/null 2>&1; then
  echo "cargo-semver-checks is not installed (see the header of $0)" >&2
  exit 2
fi
cargo build --quiet --release -p apigen
BIN=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/apigen
# The generated crates' builds (rustdoc JSON and their dependencies) share one target dir.
export CARGO_TARGET_DIR=$ROOT/target/semver-checks
mapfile -t SPECS < <(ls "$DIR"/*.json.gz | sort)
if (( ${#SPECS[@]} < 2 )); then echo "need two specs in $DIR" >&2; exit 2; fi
short() { basename "$1" .json.gz | sed 's/^cloudflare-//'; }

# Selections for one pair: the fixed ones, or chosen from the whole-spec diff with the lock.
selections() { # OLD NEW -> one selection per line (space-separated selectors)
  if (( ${#FIXED[@]} )); then echo "${FIXED[*]}"; return; fi
  local old=$1 new=$2 whole="$WORK/whole"
  rm -rf "$whole"; mkdir -p "$whole"
  "$BIN" generate --spec "$old" --out "$whole" > /dev/null 2>&1
  local code=0
  "$BIN" diff "$old" "$new" --lock "$whole/apigen.lock" --format json > "$WORK/whole.json" || code=$?
  if (( code > 1 )); then echo "apigen diff failed on $(short "$old") → $(short "$new")" >&2; exit 1; fi
  python3 - "$WORK/whole.json" <<'PY'
import json, sys
from collections import Counter
changes = json.load(open(sys.argv[1]))["changes"]
top = lambda c: ".".join((c.get("resource") or c["operation"].rsplit(".", 1)[0]).split(".")[:3])
total, breaking, rules = Counter(), Counter(), {}
for c in changes:
    total[top(c)] += 1
    rules.setdefault(top(c), set()).add(c["rule"])
    if c["level"] == "breaking":
        breaking[top(c)] += 1
# Only resources both snapshots have: not ones the update added or removed whole.
whole = lambda r: rules[r] <= {"operation-added"} or rules[r] <= {"operation-removed"}
ranked = sorted((r for r in total if not whole(r)), key=lambda r: (-total[r], r))
for r in ranked[:2]:
    print(r)
calm = [r for r in ranked if breaking[r] == 0]
if calm and calm[0] not in ranked[:2]:
    print(calm[0])
PY
}

: > "$OUT/rows.tsv"
for ((i = 1; i < ${#SPECS[@]}; i++)); do
  old=${SPECS[i-1]} new=${SPECS[i]}
  if cmp -s <(gzip -dc "$old") <(gzip -dc "$new"); then continue; fi
  mapfile -t SELS < <(selections "$old" "$new")
  for sel in "${SELS[@]}"; do
    read -r -a only <<< "$sel"
    tag="$(short "$old")__$(short "$new")__${sel// /+}"
    a="$WORK/$tag/old" b="$WORK/$tag/new"
    mkdir -p "$a" "$b"
    "$BIN" generate --spec "$old" --out "$a" --crate-version 1.0.0 --only "${only[@]}" > /dev/null 2> "$OUT/$tag.gen.err" \
      || { echo "apigen generate failed on $tag (old): see $OUT/$tag.gen.err" >&2; exit 1; }
    cp "$a/apigen.lock" "$b/apigen.lock"
    "$BIN" generate --spec "$new" --out "$b" --crate-version 1.0.0 --only "${only[@]}" > /dev/null 2>> "$OUT/$tag.gen.err" \
      || { echo "apigen generate failed on $tag (new): see $OUT/$tag.gen.err" >&2; exit 1; }
    code=0
    "$BIN" diff "$old" "$new" --only "${only[@]}" --lock "$a/apigen.lock" --format json > "$OUT/$tag.diff.json" || code=$?
    if (( code > 1 )); then echo "apigen diff failed on $tag" >&2; exit 1; fi
    start=$(date +%s)
    code=0
    cargo semver-checks check-release --manifest-path "$b/Cargo.toml" --baseline-root "$a" \
      --release-type minor > "$OUT/$tag.csc.out" 2>&1 || code=$?
    end=$(date +%s)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(short "$old")" "$(short "$new")" "$sel" "$code" "$OUT/$tag" "$((end - start))" >> "$OUT/rows.tsv"
  done
done

python3 - "$OUT/rows.tsv" <<'PY'
import json, re, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print("| old → new | resources | apigen diff: breaking / behavioural / non-breaking | apigen bump | cargo-semver-checks: major lints failed | its bump | agree on major | csc time |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
agree = total = 0
details = []
for old, new, sel, code, base, secs in rows:
    report = json.load(open(base + ".diff.json"))
    s = report["summary"]
    out = open(base + ".csc.out").read()
    # Each failed lint is printed as `--- failure LINT: description ---`.
    failed = re.findall(r"--- failure ([a-z0-9_]+): ", out)
    summary = re.search(r"Summary semver requires new (major|minor) version: (\d+) major and (\d+) minor checks? failed", out)
    ok = re.search(r"Summary no semver update required", out)
    if summary:
        csc_bump, majors = summary.group(1), int(summary.group(2))
    elif ok or code == "0":
        csc_bump, majors = "minor or less", 0
    else:
        tail = "\n".join(out.strip().splitlines()[-15:])
        sys.exit(f"cargo-semver-checks failed on {old} → {new} [{sel}] (exit {code}):\n{tail}")
    csc_major = majors > 0
    ours_major = s["bump"] == "major"
    same = csc_major == ours_major
    total += 1
    agree += same
    print(f"| {old} → {new} | {sel} | {s['breaking']} / {s['behavioural']} / {s['non_breaking']} | {s['bump']} | {majors} | {'major' if csc_major else csc_bump} | {'yes' if same else '**no**'} | {secs} s |")
    if not same:
        rules = sorted({c["rule"] for c in report["changes"] if c["level"] == "breaking"})
        details.append(f"- {old} → {new} [{sel}]: apigen breaking rules {rules or 'none'}; cargo-semver-checks failed lints {sorted(set(failed)) or 'none'}")
print()
print(f"Agreement on \"is this a major release\": {agree} of {total} checks.")
if details:
    print()
    print("Disagreements:")
    print("\n".join(details))
PY
