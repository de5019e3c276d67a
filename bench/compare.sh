#!/usr/bin/env bash
# Compares apigen with openapi-generator (`rust` target) and progenitor on the
# OpenAPI fragment in spec/ and the vendored specs (Cloudflare 2024-01 and 2026-08, Discord, GitHub): generation
# success, wall time, peak memory, size of the output and, with --check,
# whether (and how fast) the generated crate passes `cargo check`.
#
#   bench/compare.sh [--check] [--n-apigen N] [--n-slow N] [--specs "fragment 2024-01 2026-08 discord github"]
#                    [--tools "apigen oag oag-skip progenitor"] [--gen-timeout S] [--check-timeout S]
#
# The competitors are installed on first use into target/bench-tools/ (pinned versions below);
# generated crates go to target/bench-out/; per-run logs to target/bench-out/runs/. Progress goes
# to stderr, the Markdown tables to stdout (and to target/bench-out/results.md).
#
# Every tool runs in the same script run, round-robin (round r runs every tool that has an r-th
# repetition), so background load on a shared machine hits all of them alike; the tables give
# medians. Wall time is measured with `date +%s%N` around the run, peak RSS with
# `/usr/bin/time -f %M`, which reports the largest single process of the tree (for
# openapi-generator the JVM the Python wrapper starts; for cargo check the largest rustc).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

OAG_VERSION=7.26.0          # PyPI openapi-generator-cli (bundles the jar; needs java)
PROGENITOR_VERSION=0.15.1   # crates.io cargo-progenitor

N_APIGEN=5
N_SLOW=2
GEN_TIMEOUT=600
CHECK_TIMEOUT=900
INSTALL_TIMEOUT=1800
CHECK=0
SPECS="fragment 2024-01 2026-08"
TOOLS="apigen oag oag-skip progenitor"

usage() { sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --check) CHECK=1 ;;
    --n-apigen) N_APIGEN=$2; shift ;;
    --n-slow) N_SLOW=$2; shift ;;
    --specs) SPECS=$2; shift ;;
    --tools) TOOLS=$2; shift ;;
    --gen-timeout) GEN_TIMEOUT=$2; shift ;;
    --check-timeout) CHECK_TIMEOUT=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

TOOLS_DIR=$ROOT/target/bench-tools
OUT=$ROOT/target/bench-out
RUNS=$OUT/runs
CHECK_TARGET=$TOOLS_DIR/check-target
OAG_CLI=$TOOLS_DIR/venv/bin/openapi-generator-cli
PROGENITOR=$TOOLS_DIR/bin/cargo-progenitor
APIGEN=$ROOT/target/release/apigen

log() { echo "[compare] $*" >&2; }

for t in /usr/bin/time timeout java python3 cargo gunzip; do
  command -v "$t" >/dev/null || { echo "missing required tool: $t" >&2; exit 2; }
done

# ---------------------------------------------------------------- installation

wants() { [[ " $TOOLS " == *" $1 "* ]]; }

if wants oag || wants oag-skip; then
  installed=$("$TOOLS_DIR/venv/bin/pip" show openapi-generator-cli 2>/dev/null | sed -n 's/^Version: //p')
  if [[ -x $OAG_CLI && $installed == "$OAG_VERSION" ]]; then
    :
  else
    log "installing openapi-generator-cli==$OAG_VERSION into $TOOLS_DIR/venv"
    mkdir -p "$TOOLS_DIR"
    timeout "$INSTALL_TIMEOUT" python3 -m venv "$TOOLS_DIR/venv" \
      && timeout "$INSTALL_TIMEOUT" "$TOOLS_DIR/venv/bin/pip" install -q "openapi-generator-cli==$OAG_VERSION" \
      || { echo "installing openapi-generator-cli failed" >&2; exit 2; }
  fi
fi

if wants progenitor; then
  if [[ -x $PROGENITOR ]] && grep -q "cargo-progenitor $PROGENITOR_VERSION " "$TOOLS_DIR/.crates.toml" 2>/dev/null; then
    :
  else
    log "installing cargo-progenitor $PROGENITOR_VERSION into $TOOLS_DIR (compiles it: a few minutes)"
    timeout "$INSTALL_TIMEOUT" cargo install cargo-progenitor --version "$PROGENITOR_VERSION" --locked \
      --root "$TOOLS_DIR" >&2 \
      || { echo "installing cargo-progenitor failed" >&2; exit 2; }
  fi
fi

if wants apigen; then
  log "building apigen (cargo build --release -p apigen)"
  timeout "$CHECK_TIMEOUT" cargo build --release -p apigen >&2 \
    || { echo "building apigen failed" >&2; exit 2; }
fi

# ---------------------------------------------------------------- specs

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# spec_base SPEC: the vendored file's name under tests/specs/, without .json.gz.
spec_base() {
  case $1 in
    discord) echo "discord-2026-07" ;;
    github) echo "github-octokit-23.0.2" ;;
    *) echo "cloudflare-$1" ;;
  esac
}

# crate_for SPEC: the generated crate's name.
crate_for() {
  case $1 in
    discord|github) echo "$1" ;;
    *) echo "cloudflare" ;;
  esac
}

# spec_for TOOL SPEC: the file the tool reads. apigen reads the .gz itself (so its times include
# decompression); the others get a copy decompressed once into a temp dir.
spec_for() {
  local tool=$1 spec=$2
  if [[ $spec == fragment ]]; then echo "$ROOT/spec/openapi.yaml"; return; fi
  local gz=$ROOT/tests/specs/$(spec_base "$spec").json.gz
  if [[ $tool == apigen ]]; then echo "$gz"; return; fi
  local plain=$TMP/$(spec_base "$spec").json
  [[ -f $plain ]] || gunzip -c "$gz" >"$plain"
  echo "$plain"
}

for spec in $SPECS; do
  case $spec in
    fragment|2024-01|2026-08|discord|github) ;;
    *) echo "unknown spec: $spec (fragment, 2024-01, 2026-08, discord, github)" >&2; exit 2 ;;
  esac
done

tool_label() {
  case $1 in
    apigen) echo "apigen" ;;
    oag) echo "openapi-generator $OAG_VERSION" ;;
    oag-skip) echo "openapi-generator $OAG_VERSION --skip-validate-spec" ;;
    progenitor) echo "cargo-progenitor $PROGENITOR_VERSION" ;;
  esac
}

reps_for() { if [[ $1 == apigen ]]; then echo "$N_APIGEN"; else echo "$N_SLOW"; fi; }

# gen_cmd TOOL SPEC_FILE OUT_DIR [CRATE]: sets the array CMD.
gen_cmd() {
  local tool=$1 in=$2 dir=$3 name=${4:-cloudflare}
  case $tool in
    apigen) CMD=("$APIGEN" generate --spec "$in" --out "$dir" --crate-name "$name") ;;
    oag) CMD=("$OAG_CLI" generate -g rust -i "$in" -o "$dir") ;;
    oag-skip) CMD=("$OAG_CLI" generate -g rust -i "$in" -o "$dir" --skip-validate-spec) ;;
    progenitor) CMD=("$PROGENITOR" progenitor -i "$in" -o "$dir" -n "$name" -v 0.1.0) ;;
  esac
}

# ---------------------------------------------------------------- helpers

# median of the numbers on stdin (mean of the middle two for an even count)
median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "" } else if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'
}

secs() { awk -v ms="$1" 'BEGIN { if (ms == "") print "–"; else if (ms < 10000) printf "%.3f s", ms / 1000; else if (ms < 120000) printf "%.1f s", ms / 1000; else printf "%dm %02ds", int(ms / 60000), int(ms / 1000) % 60 }'; }
mib() { awk -v kb="$1" 'BEGIN { if (kb == "") print "–"; else printf "%d MiB", kb / 1024 + 0.5 }'; }

# the first error a log reports, in one line, shortened and made safe for a table cell
first_error() {
  local f=$1 line=""
  # rustc (cargo --message-format=short)
  line=$(grep -m1 -E ': error(\[E[0-9]+\])?:' "$f")
  # a Java exception (openapi-generator): its message, with the validator's counts and first error
  if [[ -z $line ]] && grep -q 'Exception in thread' "$f"; then
    line=$(grep -m1 'Exception in thread' "$f" | sed -E 's/^Exception in thread "[^"]*" ([a-z]+\.)*//')
    if [[ $line == SpecValidationException* ]]; then
      line="SpecValidationException: $(grep -m1 -oE 'Error count: [0-9]+, Warning count: [0-9]+' "$f"); first: $(grep -m1 -A1 '^Errors:' "$f" | tail -1 | sed -E 's/^[[:space:]]*-//')"
    else
      local cause
      cause=$(grep -m1 '^Caused by:' "$f" | sed -E 's/^Caused by: ([a-z]+\.)*//')
      [[ -n $cause ]] && line="$line; caused by $cause"
    fi
  fi
  # a Rust panic: its message is on the next line
  [[ -z $line ]] && grep -q 'panicked at' "$f" && line="panic: $(grep -m1 -A1 'panicked at' "$f" | tail -1)"
  [[ -z $line ]] && line=$(grep -m1 -E 'gen fail|^[Ee]rror|timed out' "$f")
  [[ -n $line ]] || line=$(grep -v '^[[:space:]]*$' "$f" 2>/dev/null | tail -1)
  line=${line//|/\\|}
  line=${line//\`/\'}
  [[ ${#line} -gt 240 ]] && line="${line:0:237}..."
  echo "$line"
}

# timed LOG TIMEFILE TIMEOUT CMD...: runs CMD under timeout and /usr/bin/time; prints "rc wall_ms rss_kb"
timed() {
  local log=$1 tf=$2 limit=$3; shift 3
  local t0 t1 rc rss
  t0=$(date +%s%N)
  /usr/bin/time -o "$tf" -f '%e %M' timeout -k 30 "$limit" "$@" >"$log" 2>&1
  rc=$?
  t1=$(date +%s%N)
  rss=$(tail -1 "$tf" | awk '{ print $2 }')
  [[ $rc == 124 || $rc == 137 ]] && echo "timed out after ${limit}s" >>"$log"
  echo "$rc $(( (t1 - t0) / 1000000 )) $rss"
}

rust_files() { find "$1" -name '*.rs' -type f 2>/dev/null | wc -l; }
rust_lines() { find "$1" -name '*.rs' -type f -print0 2>/dev/null | xargs -0 -r cat | wc -l; }

# ---------------------------------------------------------------- generation

rm -rf "$OUT"
mkdir -p "$RUNS"

max_reps=0
for tool in $TOOLS; do r=$(reps_for "$tool"); (( r > max_reps )) && max_reps=$r; done

declare -A GAVE_UP
for (( round = 1; round <= max_reps; round++ )); do
  for spec in $SPECS; do
    for tool in $TOOLS; do
      (( round <= $(reps_for "$tool") )) || continue
      [[ -z ${GAVE_UP[$spec.$tool]:-} ]] || continue
      dir=$OUT/$spec/$tool
      rm -rf "$dir"
      mkdir -p "$(dirname "$dir")"
      gen_cmd "$tool" "$(spec_for "$tool" "$spec")" "$dir" "$(crate_for "$spec")"
      log "round $round: $spec / $(tool_label "$tool")"
      read -r rc ms kb < <(timed "$RUNS/$spec.$tool.gen$round.log" "$RUNS/$spec.$tool.gen$round.time" "$GEN_TIMEOUT" "${CMD[@]}")
      echo "$rc $ms $kb" >>"$RUNS/$spec.$tool.gen"
      log "  exit $rc, $(secs "$ms"), $(mib "$kb")"
      # a run that hit the time limit is not repeated
      [[ $rc == 124 || $rc == 137 ]] && GAVE_UP[$spec.$tool]=1
    done
  done
done

# ---------------------------------------------------------------- cargo check

declare -A CHECKED  # spec.tool(.variant) -> "rc ms kb errors warnings"

# check_crate KEY DIR ARGS...: timed `cargo check` of a generated crate with the shared target dir
check_crate() {
  local key=$1 dir=$2; shift 2
  local log=$RUNS/$key.check.log
  # the generated crates live inside this repo's directory tree: make each its own workspace
  grep -q '^\[workspace\]' "$dir/Cargo.toml" || printf '\n[workspace]\n' >>"$dir/Cargo.toml"
  local target=${CHECK_TARGET_OVERRIDE:-$CHECK_TARGET}
  (cd "$dir" && CARGO_TARGET_DIR=$target timeout 600 cargo generate-lockfile >"$RUNS/$key.lock.log" 2>&1)
  # only the generated crate is measured, as on its first check: its sources are touched and its
  # incremental-compilation cache (from an earlier run of this script) removed; dependencies
  # (never incremental) stay built
  find "$dir" -name '*.rs' -type f -exec touch {} +
  rm -rf "$target/debug/incremental"
  local rc ms kb errors warnings summary
  read -r rc ms kb < <(cd "$dir" && CARGO_TARGET_DIR=$target timed "$log" "$RUNS/$key.check.time" "$CHECK_TIMEOUT" \
    cargo check --message-format=short "$@")
  summary=$(grep -oE 'due to [0-9]+ previous errors?' "$log" | head -1 | grep -oE '[0-9]+')
  errors=${summary:-$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: error' "$log")}
  warnings=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: warning' "$log")
  CHECKED[$key]="$rc $ms $kb $errors $warnings"
  log "  cargo check $key: exit $rc, $(secs "$ms"), $(mib "$kb"), $errors errors, $warnings warnings"
}

if (( CHECK )); then
  mkdir -p "$CHECK_TARGET"
  for tool in $TOOLS; do
    # warm-up, not measured: build the tool's dependencies once, on its smallest successful output
    for spec in $SPECS; do
      dir=$OUT/$spec/$tool
      last=$(tail -1 "$RUNS/$spec.$tool.gen" 2>/dev/null | awk '{ print $1 }')
      [[ $last == 0 && -f $dir/Cargo.toml ]] || continue
      log "warm-up (dependencies) for $(tool_label "$tool") on $spec"
      grep -q '^\[workspace\]' "$dir/Cargo.toml" || printf '\n[workspace]\n' >>"$dir/Cargo.toml"
      (cd "$dir" && CARGO_TARGET_DIR=$CHECK_TARGET timeout "$CHECK_TIMEOUT" cargo check --quiet >"$RUNS/$spec.$tool.warmup.log" 2>&1)
      break
    done
    for spec in $SPECS; do
      dir=$OUT/$spec/$tool
      last=$(tail -1 "$RUNS/$spec.$tool.gen" 2>/dev/null | awk '{ print $1 }')
      [[ $last == 0 && -f $dir/Cargo.toml ]] || continue
      log "cargo check: $spec / $(tool_label "$tool")"
      check_crate "$spec.$tool" "$dir"
      if [[ $tool == apigen && $spec == 2026-08 ]]; then
        log "cargo check: $spec / apigen, one resource (--no-default-features --features user)"
        check_crate "$spec.$tool.user" "$dir" --no-default-features --features user
        log "cargo check: $spec / apigen, one resource, cold (empty target dir: dependencies included)"
        rm -rf "$CHECK_TARGET-cold"
        CHECK_TARGET_OVERRIDE=$CHECK_TARGET-cold check_crate "$spec.$tool.user-cold" "$dir" --no-default-features --features user
        rm -rf "$CHECK_TARGET-cold"
      fi
    done
  done
fi

# ---------------------------------------------------------------- report

report() {
  echo "### Generation"
  echo
  echo "Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/^Mem:/ { print $2 }') GiB;" \
    "$(rustc --version); $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d)." \
    "apigen at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD -- generator 2>/dev/null || echo ' (+ uncommitted changes in generator/)')."
  echo
  echo "| spec | tool | result | runs | wall median | wall min–max | peak RSS median | .rs files | Rust lines | first error |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for spec in $SPECS; do
    for tool in $TOOLS; do
      local f=$RUNS/$spec.$tool.gen
      [[ -f $f ]] || continue
      local n ok med lo hi rss result files lines err last
      n=$(wc -l <"$f")
      ok=$(awk '$1 == 0' "$f" | wc -l)
      med=$(awk '{ print $2 }' "$f" | median)
      lo=$(awk '{ print $2 }' "$f" | sort -n | head -1)
      hi=$(awk '{ print $2 }' "$f" | sort -n | tail -1)
      rss=$(awk '{ print $3 }' "$f" | median)
      last=$(tail -1 "$f" | awk '{ print $1 }')
      if (( ok == n )); then result="ok"
      elif (( ok == 0 )); then result="**fails** (exit $last)"
      else result="$ok/$n ok"; fi
      files="–"; lines="–"; err=""
      if [[ $last == 0 ]]; then
        files=$(rust_files "$OUT/$spec/$tool")
        lines=$(rust_lines "$OUT/$spec/$tool")
      else
        err=$(first_error "$RUNS/$spec.$tool.gen$n.log")
      fi
      echo "| $spec | $(tool_label "$tool") | $result | $n | $(secs "$med") | $(secs "$lo")–$(secs "$hi") | $(mib "$rss") | $files | $lines | $err |"
    done
  done
  if (( CHECK )); then
    echo
    echo "### cargo check of the generated crates"
    echo
    echo "Dependencies pre-built (shared CARGO_TARGET_DIR, warmed on each tool's smallest output), so the time is the generated crate's own, except in the row marked cold."
    echo
    echo "| spec | tool | compiles? | wall | peak RSS (largest process) | errors | warnings | first error |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    for spec in $SPECS; do
      for tool in $TOOLS; do
        for key in "$spec.$tool" "$spec.$tool.user" "$spec.$tool.user-cold"; do
          [[ -n ${CHECKED[$key]:-} ]] || continue
          local rc ms kb errors warnings label verdict err=""
          read -r rc ms kb errors warnings <<<"${CHECKED[$key]}"
          label=$(tool_label "$tool")
          [[ $key == *.user ]] && label="$label, one resource (\`--no-default-features --features user\`)"
          [[ $key == *.user-cold ]] && label="$label, one resource, cold (empty target dir: dependencies included)"
          if [[ $rc == 0 ]]; then verdict="yes"
          elif [[ $rc == 124 || $rc == 137 ]]; then verdict="**timed out**"
          else verdict="**no**"; err=$(first_error "$RUNS/$key.check.log"); fi
          echo "| $spec | $label | $verdict | $(secs "$ms") | $(mib "$kb") | $errors | $warnings | $err |"
        done
      done
    done
  fi
}

report | tee "$OUT/results.md"
