#!/usr/bin/env bash
# Bulk award benchmark: the whole path `badge-engine award-csv` waits on — read and validate
# the CSV, store the validated award, confirm, and let one worker sign and store every
# credential with its two status entries, audit row and queued e-mail — for 1,000, 10,000 and
# 100,000 rows, on a scratch database, with the release binary. Each run uses fresh addresses
# so nothing is skipped as awarded before.
#   bench/bulk/run.sh [sizes…]      (default: 1000 10000 100000)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${BIN:-$TARGET/release/badge-engine}"
[ -x "$BIN" ] || { echo "build first: cargo build -p server --release" >&2; exit 1; }
PG="postgres://postgres@127.0.0.1:5432"
DB="badge_engine_bulk_bench_$$"
WORK="$(mktemp -d)"
cleanup() {
  psql "$PG/postgres" -qAtc "drop database if exists $DB with (force)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
SERVER_ENV=(PATH="$PATH" HOME="${HOME:-/tmp}" DATABASE_URL="$PG/$DB" REDIS_URL="redis://127.0.0.1:6379"
  PUBLIC_BASE_URL="http://127.0.0.1:3000" APP_ENV=development OUTBOX_DIR="$WORK/outbox" RUST_LOG=warn)
run() { env -i "${SERVER_ENV[@]}" "$BIN" "$@"; }
run migrate --create-database >/dev/null
run seed-demo >/dev/null
ACHIEVEMENT="0192f000-0000-7000-8000-000000000002"   # the demo achievement (engine::seed)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rows | wall s | rows/s | peak RSS MB"
echo "---: | ---: | ---: | ---:"
for n in "${@:-1000 10000 100000}"; do
  for size in $n; do
    file="$WORK/people-$size.csv"
    python3 - "$size" "$file" <<'PY'
import sys, uuid
n, path = int(sys.argv[1]), sys.argv[2]
salt = uuid.uuid4().hex[:8]
with open(path, "w") as f:
    f.write("name,email,narrative\n")
    for i in range(n):
        f.write(f"Person {i},p{i}.{salt}@bench.example.org,Completed the course\n")
PY
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$WORK/rss" env -i "${SERVER_ENV[@]}" "$BIN" award-csv \
      --achievement "$ACHIEVEMENT" --file "$file" >"$WORK/out" 2>"$WORK/err" \
      || { cat "$WORK/out" "$WORK/err" >&2; exit 1; }
    end=$(date +%s.%N)
    grep -q "succeeded: $size issued" "$WORK/out" || { cat "$WORK/out" >&2; exit 1; }
    awk -v s="$start" -v e="$end" -v n="$size" -v rss="$(cat "$WORK/rss")" \
      'BEGIN { w = e - s; printf "%d | %.2f | %.0f | %.0f\n", n, w, n / w, rss / 1024 }'
  done
done
psql "$PG/$DB" -qAtc "select 'credentials: ' || count(*) || ', e-mails queued: ' || (select count(*) from emails) from credentials"
