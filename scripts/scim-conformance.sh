#!/usr/bin/env bash
# SCIM conformance: runs the third-party checker scim2-tester (through scim2-cli, pinned in
# scripts/scim-conformance-requirements.txt, installed into .tools/scim-venv on first use)
# against the built `badge-engine serve` on a free port with a fresh database and a token made
# by the CLI. Prints `scim-conformance: N passed, M failed` last; exits non-zero on any failure.
# The server is always stopped and the database dropped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BADGE_ENGINE_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/badge-engine}"
VENV="$ROOT/.tools/scim-venv"
REQS="$ROOT/scripts/scim-conformance-requirements.txt"
PG="${SCIM_CONFORMANCE_PG:-postgres://postgres@127.0.0.1:5432}"

[ -x "$BIN" ] || { echo "error: $BIN is missing; run cargo build -p server first" >&2; exit 1; }
if ! "$VENV/bin/python" -c 'import scim2_tester, scim2_cli' 2>/dev/null \
   || ! cmp -s "$REQS" "$VENV/.requirements"; then
  echo "==> installing the SCIM conformance checker into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQS"
  cp "$REQS" "$VENV/.requirements"
fi

PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DB="badge_engine_scim_conformance_$$"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  psql "$PG/postgres" -qAtc "drop database if exists $DB with (force)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Only what the server needs; no OpenID provider (SCIM does not use it).
SERVER_ENV=(PATH="$PATH" HOME="${HOME:-/tmp}" DATABASE_URL="$PG/$DB" REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
  BIND_ADDR="127.0.0.1:$PORT" PUBLIC_BASE_URL="http://127.0.0.1:$PORT" RUST_LOG="${RUST_LOG:-warn}")
run() { env -i "${SERVER_ENV[@]}" "$BIN" "$@"; }
run migrate --create-database >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
TOKEN="$(run scim-token create conformance 2>"$WORK/token.log" | tail -n 1)"
[ -n "$TOKEN" ] || { cat "$WORK/token.log" >&2; exit 1; }
# `exec` so that `$!` is the server itself, which the cleanup then stops (not just a subshell).
(cd "$WORK" && exec env -i "${SERVER_ENV[@]}" "$BIN" serve >"$WORK/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done

set +e
"$VENV/bin/scim2" --url "http://127.0.0.1:$PORT/scim/v2" -h "Authorization: Bearer $TOKEN" test --verbose \
  >"$WORK/result.txt" 2>&1
status=$?
set -e
sed -e 's/\x1b\[[0-9;]*m//g' "$WORK/result.txt" > "$WORK/plain.txt"
cat "$WORK/plain.txt"
# The checker's verdicts: SUCCESS / COMPLIANT / ACCEPTABLE pass; DEVIATION / ERROR / CRITICAL
# fail; SKIPPED means an optional feature we do not offer (e.g. root `/.search`, answered 501).
passed=$(grep -cE '^(SUCCESS|COMPLIANT|ACCEPTABLE) ' "$WORK/plain.txt" || true)
failed=$(grep -cE '^(DEVIATION|ERROR|CRITICAL) ' "$WORK/plain.txt" || true)
skipped=$(grep -cE '^SKIPPED ' "$WORK/plain.txt" || true)
if [ "$passed" -eq 0 ]; then
  failed=$((failed + 1))
  echo "the checker reported nothing (exit status $status)" >&2
  tail -n 20 "$WORK/server.log" >&2
fi
echo "($skipped skipped)"
echo "scim-conformance: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
