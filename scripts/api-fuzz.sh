#!/usr/bin/env bash
# REST API fuzz run: schemathesis (PyPI, pinned in scripts/api-fuzz-requirements.txt, installed
# into .tools/api-fuzz-venv on first use) reads the served /api/openapi.json of the built
# `badge-engine serve` (fresh database, demo data, a client app that holds every API
# permission) and sends generated requests to every operation: valid ones, edge cases and
# broken ones. Fails on any 5xx and on any answer that breaks the document (status, content
# type, body schema). Prints `api-fuzz: N passed, M failed` last (N operations). The server is always
# stopped and the database dropped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BADGE_ENGINE_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/badge-engine}"
VENV="$ROOT/.tools/api-fuzz-venv"
REQS="$ROOT/scripts/api-fuzz-requirements.txt"
PG="${API_FUZZ_PG:-postgres://postgres@127.0.0.1:5432}"
EXAMPLES="${API_FUZZ_EXAMPLES:-40}"

[ -x "$BIN" ] || { echo "error: $BIN is missing; run cargo build -p server first" >&2; exit 1; }
if ! "$VENV/bin/schemathesis" --version >/dev/null 2>&1 || ! cmp -s "$REQS" "$VENV/.requirements"; then
  echo "==> installing the API fuzzer into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQS"
  cp "$REQS" "$VENV/.requirements"
fi

PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DB="badge_engine_api_fuzz_$$"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  psql "$PG/postgres" -qAtc "drop database if exists $DB with (force)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

BASE="http://127.0.0.1:$PORT"
SERVER_ENV=(PATH="$PATH" HOME="${HOME:-/tmp}" DATABASE_URL="$PG/$DB" REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
  BIND_ADDR="127.0.0.1:$PORT" PUBLIC_BASE_URL="$BASE" RUST_LOG="${RUST_LOG:-warn}" OUTBOX_DIR="$WORK/outbox"
  API_RATE_LIMIT_PER_MINUTE=1000000)
run() { env -i "${SERVER_ENV[@]}" "$BIN" "$@"; }
run migrate --create-database >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
run seed-demo >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; exit 1; }
psql "$PG/$DB" -qAtc "insert into users (username, email, active) values ('fuzz-owner', 'fuzz@example.org', true)" >/dev/null
read -r CLIENT SECRET < <(run client-app create fuzz --owner fuzz-owner \
  --permissions view_admin,manage_achievements,award,revoke,manage_issuers,manage_jobs 2>"$WORK/app.log")
[ -n "${SECRET:-}" ] || { cat "$WORK/app.log" >&2; exit 1; }
(cd "$WORK" && exec env -i "${SERVER_ENV[@]}" "$BIN" serve >"$WORK/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done
TOKEN=$(curl -fsS -u "$CLIENT:$SECRET" -d grant_type=client_credentials "$BASE/oauth/token" \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "no access token" >&2; exit 1; }

CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
fuzz() { (cd "$WORK" && "$VENV/bin/schemathesis" run "$BASE/api/openapi.json" -H "Authorization: Bearer $TOKEN" \
  --checks "$CHECKS" --max-examples "$EXAMPLES" --workers 2 --seed 1 --no-color "$@"); }
set +e
(
  # Generated requests (valid and invalid) for every operation …
  fuzz --phases examples,fuzzing
  first=$?
  # … and the edge cases of each schema. Schemathesis 4.32's coverage phase crashes inside
  # Hypothesis ("AST constructor recursion depth mismatch", a CPython 3.11 `ast` issue) on the
  # achievements list, so that path gets only the phase above.
  fuzz --phases coverage --exclude-path /api/v1/achievements
  second=$?
  exit $(( first != 0 || second != 0 ))
) >"$WORK/result.txt" 2>&1
status=$?
set -e
cat "$WORK/result.txt"
if [ "$status" -ne 0 ]; then tail -n 30 "$WORK/server.log" >&2; fi
cases=$(grep -oE '[0-9]+ generated, [0-9]+ passed' "$WORK/result.txt" | grep -oE '^[0-9]+' | awk '{s+=$1} END {print s+0}')
operations=$(grep -oE 'Tested: [0-9]+' "$WORK/result.txt" | head -1 | grep -oE '[0-9]+' || echo 0)
# One line per operation tested, as the other suites count; the generated requests in brackets.
if [ "$status" -eq 0 ]; then
  echo "api-fuzz: ${operations} passed, 0 failed (${cases} generated requests)"
else
  echo "api-fuzz: 0 passed, ${operations} failed (${cases} generated requests)"
fi
[ "$status" -eq 0 ]
