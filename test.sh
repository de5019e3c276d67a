#!/usr/bin/env bash
# Runs every test of the project: generator unit, snapshot, freshness, determinism
# and CLI tests; the generated client against local servers and against Prism;
# the whole-spec generation and compile checks (Cloudflare 2024-01 and 2026-08,
# Discord's OpenAPI 3.1 spec with wire tests, GitHub), and the 3.0 and 3.1
# features fixtures built and tested as crates.
#
#   ./test.sh            everything
#   ./test.sh --quick    everything except the slow crate builds (the features
#                        fixtures, the hostile fixtures and fuzz sample, the
#                        everyday jobs and the whole-spec compile checks)
set -euo pipefail
cd "$(dirname "$0")"

quick=0
[[ "${1:-}" == "--quick" ]] && quick=1

echo "==> installing the Prism mock server (pinned by tests/mock/package-lock.json)"
bash tests/mock/install.sh

echo "==> generated/ is fresh, formatted, and warning- and clippy-clean (so is the rest of the workspace)"
cargo run --quiet -p apigen -- generate --check
cargo fmt --all -- --check
cargo clippy --quiet --workspace --all-targets --all-features -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --quiet -p cloudflare --no-deps

echo "==> tests"
cargo test --workspace --no-fail-fast

if [[ $quick == 0 ]]; then
  echo "==> generated crates built and tested on their own: the 3.0 and 3.1 features fixtures, the hostile fixtures"
  echo "    and a fuzz sample, everyday jobs on the Cloudflare client, whole Cloudflare, Discord and GitHub APIs (slow)"
  cargo test --release -p integration-tests --test spec_features --test hostile_crates --test real_api --test whole_spec -- --ignored --nocapture --test-threads 1
fi
