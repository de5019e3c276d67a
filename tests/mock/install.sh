#!/usr/bin/env bash
# Installs the Prism mock server that tests/tests/contract_prism.rs runs, exactly
# as pinned by tests/mock/package-lock.json, into tests/mock/node_modules.
#
# Does nothing (and prints nothing) when the install is already there and is
# newer than package.json and package-lock.json; otherwise runs `npm ci`.
# Safe to run any number of times. Needs Node.js >= 18.20 with npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

bin=node_modules/.bin/prism
# Written after a successful install. The files npm unpacks keep the tarballs'
# fixed 1985 mtimes, so the stamp, not .bin/prism's target, tells when the
# install happened.
stamp=node_modules/.apigen-install-stamp

if [[ -x $bin && -e $stamp && ! package-lock.json -nt $stamp && ! package.json -nt $stamp ]]; then
  exit 0
fi

fail() {
  echo "tests/mock/install.sh: $*" >&2
  exit 1
}

command -v node >/dev/null 2>&1 ||
  fail "node was not found on PATH; install Node.js >= 18.20 with npm (e.g. apt-get install nodejs npm) and run this script again."
command -v npm >/dev/null 2>&1 ||
  fail "npm was not found on PATH; install npm (e.g. apt-get install npm) and run this script again."
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 18)) ||
  fail "Prism needs Node.js >= 18.20, but node is $(node --version)."

echo "tests/mock/install.sh: installing Prism from package-lock.json (npm ci)" >&2
rm -f "$stamp"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
  cat "$log" >&2
  fail "npm ci failed (output above)."
fi
[[ -x $bin ]] || fail "npm ci succeeded but $bin is missing."
touch "$stamp"
