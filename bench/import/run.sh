#!/usr/bin/env bash
# Import benchmark: generates mongoexport fixtures (USERS users with ROLES roles each and
# CREDENTIALS credentials), imports them with the release binary into a scratch database,
# prints wall time and peak RSS (/usr/bin/time -v), then drops the database and the files.
# Usage: bench/import/run.sh [USERS] [ROLES] [CREDENTIALS]   (default 1000000 3 1000000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
USERS="${1:-1000000}" ROLES="${2:-3}" CREDENTIALS="${3:-1000000}"
PGURL="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
DB="bench_import_$$"
WORK="$(mktemp -d)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}" SQLX_OFFLINE=true
cleanup() {
  psql "$PGURL/postgres" -qc "drop database if exists $DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
# Two builds: naming an example limits a build to it, and the server binary would be missing.
cargo build --release -q -p server --bin badge-engine
cargo build --release -q -p engine --example mongo_fixtures
"$CARGO_TARGET_DIR/release/examples/mongo_fixtures" "$WORK/export" "$USERS" "$ROLES" "$CREDENTIALS"
du -sh "$WORK/export" | awk '{print "fixtures: " $1}'
psql "$PGURL/postgres" -qc "create database $DB" >/dev/null
export DATABASE_URL="$PGURL/$DB" KEY_ENCRYPTION_KEY="$(printf 'ab%.0s' {1..32})"
"$CARGO_TARGET_DIR/release/badge-engine" migrate >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v "$CARGO_TARGET_DIR/release/badge-engine" import-mongo --from "$WORK/export" \
  > "$WORK/summary.txt" 2> "$WORK/time.txt"
cat "$WORK/summary.txt"
wall=$(grep 'Elapsed (wall clock)' "$WORK/time.txt" | awk '{print $NF}')
rss=$(grep 'Maximum resident set size' "$WORK/time.txt" | awk '{print $NF}')
echo "import-mongo: users=$USERS roles/user=$ROLES credentials=$CREDENTIALS wall=$wall peak_rss_kb=$rss load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
