#!/usr/bin/env bash
# Runs Badge Engine on http://127.0.0.1:3000 from a fresh machine: installs what is missing,
# makes sure PostgreSQL and Redis are up, creates and migrates the database, seeds demo data
# and serves. Safe to run again: every step skips what is already done.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
load_env
check_disk
ensure_rust_tools
ensure_postgres
ensure_redis
ensure_oidc_provider
build_site
step "building the server"
# The committed .sqlx/ metadata checks the queries; the database may not exist yet at this point.
(cd "$ROOT" && SQLX_OFFLINE=true cargo build -p server)
BIN="$CARGO_TARGET_DIR/debug/badge-engine"
step "creating and migrating the database"
"$BIN" migrate --create-database
step "seeding demo data (one issuer, one achievement; skipped when present)"
"$BIN" seed-demo
if [ "${OIDC_ISSUER_URL%/}" = "$DEV_OIDC_ISSUER" ]; then
  step "mapping the local provider's demo groups to roles (admin → admin, awarder → awarder)"
  "$BIN" map-claim --claim "$DEV_OIDC_ADMIN_GROUP" --role admin
  "$BIN" map-claim --claim "$DEV_OIDC_AWARDER_GROUP" --role awarder
fi
step "serving on ${PUBLIC_BASE_URL:-http://127.0.0.1:3000}"
exec "$BIN" serve
