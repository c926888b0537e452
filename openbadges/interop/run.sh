#!/usr/bin/env bash
# Independent verification of the openbadges crate against Digital Bazaar's VC stack
# (@digitalbazaar/vc + eddsa-rdfc-2022-cryptosuite + jsonld), fully offline:
#   1. the crate signs credentials (incl. hashed email, typed numbers, status) -> JS verifies them
#   2. JS signs credentials -> the crate verifies them (and rejects tampered copies)
#   3. canonical N-Quads of 300 varied credentials: crate (with its context cache) == jsonld.js
# Prints a final line `interop: N passed, M failed` and exits non-zero on any failure.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cd "$here" || exit 1

if [ ! -d node_modules/@digitalbazaar/vc ] || [ ! -d node_modules/jsonld ]; then
  npm ci --no-audit --no-fund --loglevel=error || { echo "interop: 0 passed, 1 failed"; exit 1; }
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step_failures=0
if ! cargo run -q -p openbadges --example interop -- generate "$work"; then
  echo "interop: generating fixtures with the crate failed" >&2
  echo "interop: 0 passed, 1 failed"
  exit 1
fi
node interop.mjs "$work" || true  # failures are counted in js-results.json
if [ -f "$work/js-results.json" ]; then
  cargo run -q -p openbadges --example interop -- verify "$work" || true
fi

count() { # file key
  [ -f "$1" ] && node -e "console.log(JSON.parse(require('fs').readFileSync('$1','utf8')).$2)" || echo 0
}
js_pass=$(count "$work/js-results.json" passed)
js_fail=$(count "$work/js-results.json" failed)
rs_pass=$(count "$work/rust-results.json" passed)
rs_fail=$(count "$work/rust-results.json" failed)
[ -f "$work/js-results.json" ] || js_fail=1
[ -f "$work/rust-results.json" ] || rs_fail=1

passed=$((js_pass + rs_pass))
failed=$((js_fail + rs_fail + step_failures))
echo "interop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
