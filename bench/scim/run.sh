#!/usr/bin/env bash
# SCIM provisioning benchmark: release `badge-engine serve` on a free loopback port with its own
# database (dropped afterwards), a token from the CLI, and the scim-load generator provisioning
# USERS users and GROUPS groups of MEMBERS members Entra-style with CONCURRENCY connections.
# Usage: bench/scim/run.sh [users=10000] [groups=200] [members=50] [concurrency=32]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${BADGE_ENGINE_BIN:-$TARGET/release/badge-engine}"
LOAD="${SCIM_LOAD_BIN:-$TARGET/bench/release/scim-load}"
PG="postgres://postgres@127.0.0.1:5432"
DB="badge_engine_scim_bench_$$"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
[ -x "$BIN" ] || { echo "build first: cargo build -p server --release" >&2; exit 1; }
[ -x "$LOAD" ] || { echo "build first: (cd bench/scim && CARGO_TARGET_DIR=$TARGET/bench cargo build --release)" >&2; exit 1; }
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  psql "$PG/postgres" -qAtc "drop database if exists $DB with (force)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
SERVER_ENV=(PATH="$PATH" HOME="${HOME:-/tmp}" DATABASE_URL="$PG/$DB" REDIS_URL="redis://127.0.0.1:6379"
  BIND_ADDR="127.0.0.1:$PORT" PUBLIC_BASE_URL="http://127.0.0.1:$PORT" RUST_LOG=warn
  SCIM_RATE_LIMIT_PER_MINUTE=1000000)
run() { env -i "${SERVER_ENV[@]}" "$BIN" "$@"; }
run migrate --create-database >/dev/null
TOKEN="$(run scim-token create bench 2>/dev/null | tail -n 1)"
# A plain command in the background (env execs the binary), so `$!` is the server itself and
# the cleanup stops it; a shell function here would leave `$!` pointing at a subshell.
env -i "${SERVER_ENV[@]}" "$BIN" serve >/tmp/scim-bench-server.log 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$LOAD" "http://127.0.0.1:$PORT/scim/v2" "$TOKEN" "${1:-10000}" "${2:-200}" "${3:-50}" "${4:-32}"
psql "$PG/$DB" -qAtc "select 'rows: users=' || (select count(*) from users) || ' groups=' || (select count(*) from groups) || ' members=' || (select count(*) from group_members) || ' audit=' || (select count(*) from audit_log)"
# Sequential scans of the big tables should stay near zero: each one means a lookup missed its index.
psql "$PG/$DB" -qAtc "select 'scans: ' || string_agg(relname || ' seq=' || seq_scan || ' (rows read ' || seq_tup_read || ') idx=' || coalesce(idx_scan, 0), ', ' order by relname) from pg_stat_user_tables where relname in ('users', 'groups', 'group_members', 'audit_log', 'scim_tokens')"
