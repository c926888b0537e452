#!/usr/bin/env bash
# REST API benchmark (issue 14): `POST /api/v1/awards`, one award per request (signed, stored
# with its status entries and audit row), with wrk at 1 and 32 connections against a release
# `badge-engine serve` on a scratch database. The client app comes from `badge-engine
# client-app create` with a role that may award; the token from /oauth/token. Prints one summary line per run; the figures go into docs/benchmarks.md.
#
# Usage: bench/api/run.sh [seconds per measurement = 10]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
load_env
SECONDS_EACH="${1:-10}"
# BIN=… measures a binary built elsewhere (a before/after comparison) instead of building one.
BUILD=${BIN:+no}; BIN="${BIN:-$CARGO_TARGET_DIR/release/badge-engine}"
PG="postgres://postgres@127.0.0.1:5432"
DB="badge_engine_api_bench"
WORK="$(mktemp -d)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || apt_install wrk
ensure_postgres
ensure_redis
step "building the release server"
[ "$BUILD" = no ] || (cd "$ROOT" && SQLX_OFFLINE=true cargo build --release -p server)

SERVER_PID=""
cleanup() {
  [ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
  psql "$PG/postgres" -qAtc "drop database if exists $DB with (force)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
SERVER_ENV=(PATH="$PATH" HOME="${HOME:-/tmp}" DATABASE_URL="$PG/$DB" REDIS_URL="redis://127.0.0.1:6379"
  BIND_ADDR="127.0.0.1:$PORT" PUBLIC_BASE_URL="$BASE" SITE_ROOT="$SITE_ROOT" RUST_LOG=warn
  OUTBOX_DIR="$WORK/outbox" APP_ENV=development API_RATE_LIMIT_PER_MINUTE=100000000)
run() { env -i "${SERVER_ENV[@]}" "$BIN" "$@"; }
psql_db() { psql "$PG/$DB" -v ON_ERROR_STOP=1 -qAt "$@"; }

psql "$PG/postgres" -qAtc "drop database if exists $DB with (force)" >/dev/null
run migrate --create-database >/dev/null
run seed-demo >/dev/null
psql_db -c "insert into users (username, email, active) values ('bench-owner', 'owner@example.org', true)" >/dev/null
read -r CLIENT SECRET < <(run client-app create bench --owner bench-owner --permissions award,view_admin 2>/dev/null)
env -i "${SERVER_ENV[@]}" "$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
TOKEN=$(curl -fsS -u "$CLIENT:$SECRET" -d grant_type=client_credentials "$BASE/oauth/token" \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
cat >"$WORK/award.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.body = '{"achievement_id":"0192f000-0000-7000-8000-000000000002","recipient_name":"Bench Earner","recipient_email":"earner@example.org","notify":false}'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f req/s, p50 %.1f ms, p99 %.1f ms, errors %d non-2xx %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.errors.status))
end
LUA
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"achievement_id":"0192f000-0000-7000-8000-000000000002","recipient_name":"Warm","recipient_email":"warm@example.org","notify":false}' \
  "$BASE/api/v1/awards"
for c in 1 32; do
  t=$([ "$c" = 1 ] && echo 1 || echo 2)
  line=$(wrk -t"$t" -c"$c" -d"${SECONDS_EACH}s" --latency -s "$WORK/award.lua" "$BASE/api/v1/awards" | grep RESULT)
  echo "POST /api/v1/awards at $c connection(s): ${line#RESULT }"
done
echo "credentials stored: $(psql_db -c 'select count(*) from credentials')"
