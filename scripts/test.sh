#!/usr/bin/env bash
# Runs every check: formatting, clippy, unit and integration tests against the real PostgreSQL
# and Redis (each test in its own throwaway database), and the browser tests in end2end/.
# Installs and starts whatever is missing first, like scripts/run.sh.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
load_env
# Tests create their own databases; the maintenance database is only where they connect first.
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
# Prove the committed .sqlx/ metadata is enough to build without a database.
export SQLX_OFFLINE=true
# A one-off full run gains nothing from incremental caches, and they are the bulk of target/:
# a CI run on a clean clone once ran out of disk. A developer can still set it to 1.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
check_disk
ensure_rust_tools
ensure_chromium
ensure_postgres
ensure_redis
# Auth tests (Rust and browser) start their own local OpenID provider on a free port.
ensure_oidc_provider_deps

# Servers that were already running (a `scripts/run.sh` in another terminal) are not ours; any
# other `badge-engine serve|worker` still alive at the end was leaked by a suite and fails the run.
servers_running() { pgrep -f 'badge-engine (serve|worker)' 2>/dev/null | sort || true; }
SERVERS_BEFORE="$(servers_running)"

LOG="$CARGO_TARGET_DIR/test-summary.log"
mkdir -p "$CARGO_TARGET_DIR"; : > "$LOG"
cd "$ROOT"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (server side, all targets)"
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
step "cargo clippy (browser side, wasm32)"
cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

step "unit and integration tests"
# `frontend` is the WASM entry point; built for the host it would unify app's ssr and hydrate features.
cargo test --workspace --exclude frontend 2>&1 | tee -a "$LOG"

if [ -x openbadges/interop/run.sh ]; then
  step "interoperability with an independent Open Badges verifier"
  openbadges/interop/run.sh 2>&1 | tee -a "$LOG"
fi

step "SCIM conformance (third-party scim2-tester against the running server)"
# The server binary `cargo test` built above. `cargo build -p server` would resolve other
# features (no workspace dev-dependencies) and compile every dependency a second time.
cargo build --workspace --exclude frontend --all-targets
scripts/scim-conformance.sh 2>&1 | tee -a "$LOG"

step "REST API fuzz run (third-party schemathesis against the served OpenAPI document)"
scripts/api-fuzz.sh 2>&1 | tee -a "$LOG"

step "browser tests (Playwright + Debian Chromium)"
build_site   # the server binary was built for the SCIM step above
# `npm ci` again whenever package-lock.json changed since the last install.
(cd end2end && { cmp -s package-lock.json node_modules/.installed-lock 2>/dev/null \
    || { npm ci --no-audit --no-fund --silent && cp package-lock.json node_modules/.installed-lock; }; } \
  && BADGE_ENGINE_BIN="$CARGO_TARGET_DIR/debug/badge-engine" node --test --test-concurrency=1 tests/) 2>&1 | tee -a "$LOG"

step "no server left running"
sleep 1
leaked="$(comm -13 <(echo "$SERVERS_BEFORE") <(servers_running) | sed '/^$/d')"
if [ -n "$leaked" ]; then
  echo "error: these servers started by the tests are still running:" >&2
  for pid in $leaked; do ps -o pid=,args= -p "$pid" >&2 || true; done
  exit 1
fi
echo "none"

# Only totals count: cargo's per-binary results and each suite's final line (not its sub-totals).
passed=$(grep -hoE '^(test result: ok\.|interop:|scim-conformance:|api-fuzz:) [0-9]+ passed' "$LOG" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
node_pass=$(grep -hoE '^# pass [0-9]+' "$LOG" | awk '{s+=$3} END {print s+0}')
echo
echo "all: $((passed + node_pass)) passed, 0 failed"
