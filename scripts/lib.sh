# Shared set-up steps for scripts/run.sh and scripts/test.sh. Each step checks first and only
# installs or starts what is missing, so running it again costs seconds.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WASM_BINDGEN_VERSION="0.2.130"   # must equal the wasm-bindgen crate pinned in Cargo.toml
BINARYEN_VERSION="132"           # Debian's wasm-opt 108 breaks hydration (see README)
export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# Each step says when it started and how long the whole run has taken, so a slow CI run shows where.
step() { printf '\n\033[1m==> %s\033[0m  (%s, +%dm%02ds)\n' "$*" "$(date +%H:%M:%S)" $((SECONDS / 60)) $((SECONDS % 60)); }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# A cold test run builds about 7 GB under target/; a full disk shows up much later as an
# obscure rustc I/O error, so say it up front.
check_disk() {
  mkdir -p "$CARGO_TARGET_DIR"
  local free_gb
  free_gb=$(df -Pk "$CARGO_TARGET_DIR" | awk 'NR==2 {print int($4 / 1048576)}')
  if [ "${free_gb:-0}" -lt 8 ]; then
    printf 'warning: only %s GB free where %s lives; a cold build needs about 8 GB\n' "$free_gb" "$CARGO_TARGET_DIR" >&2
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $* (install it by hand or run as root)"; fi
}

APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# Defaults for a local machine; real environment variables (or .env) win.
load_env() {
  if [ -f "$ROOT/.env" ]; then set -a; . "$ROOT/.env"; set +a; fi
  export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/badge_engine}"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
  export SITE_ROOT="${SITE_ROOT:-$ROOT/target/site}"
}

ensure_rust_tools() {
  command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs)"
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes, once)"
    # Not --locked: its lockfile pins a crate version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "$BINARYEN_VERSION" ]; then
    step "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
    command -v npm >/dev/null || apt_install nodejs npm
    npm install --prefix "$ROOT/.tools" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
  fi
}

ensure_chromium() {
  if ! [ -x /usr/bin/chromium ]; then
    step "installing Debian's Chromium for browser tests"
    apt_install chromium
  fi
}

is_local_url() { case "$1" in *@127.0.0.1[:/]*|*@localhost[:/]*|*://127.0.0.1[:/]*|*://localhost[:/]*|*://127.0.0.1|*://localhost) return 0;; *) return 1;; esac; }

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return; fi
  if ! is_local_url "$DATABASE_URL"; then
    echo "note: DATABASE_URL points at another host; not starting a local PostgreSQL"; return
  fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    step "installing PostgreSQL from Debian"
    apt_install postgresql postgresql-client
    local conf; conf=$(ls -d /etc/postgresql/*/main | head -1)
    # Local development trusts loopback connections, like the machines this project targets.
    as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$conf/pg_hba.conf"
  fi
  step "starting PostgreSQL"
  local version; version=$(ls /etc/postgresql | sort -V | tail -1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return; sleep 1; done
  die "PostgreSQL did not come up on 127.0.0.1:5432"
}

ensure_redis() {
  if [ -z "${REDIS_URL:-}" ]; then return; fi
  if ! is_local_url "$REDIS_URL"; then
    echo "note: REDIS_URL points at another host; not starting a local Redis"; return
  fi
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then return; fi
  if ! command -v redis-server >/dev/null; then
    step "installing Redis from Debian"
    apt_install redis-server redis-tools
  fi
  step "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && return; sleep 0.5; done
  die "Redis did not come up on 127.0.0.1:6379"
}

# Builds the browser bundle into $SITE_ROOT: WASM (optimised), JS glue, CSS and public assets,
# with content-hashed names and precompressed copies. The Dockerfile runs this same function.
build_site() {
  step "building the browser bundle (WASM)"
  (cd "$ROOT" && cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release)
  local pkg="$SITE_ROOT/pkg"
  mkdir -p "$pkg"
  wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name badge-engine \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/frontend.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$pkg/badge-engine_bg.wasm" -o "$pkg/badge-engine.wasm"
  rm -f "$pkg/badge-engine_bg.wasm"
  cp "$ROOT/style/main.css" "$pkg/badge-engine.css"
  # Content-hashed names (served as immutable) and .br/.gz copies (served as they are).
  node "$ROOT/scripts/site-assets.mjs" "$pkg"
  cp -r "$ROOT/public/." "$SITE_ROOT/"
}

# The local OpenID provider (dev/oidc-provider) standing in for Entra ID in development and tests.
DEV_OIDC_PORT="${DEV_OIDC_PORT:-4444}"
DEV_OIDC_ISSUER="http://127.0.0.1:$DEV_OIDC_PORT"
DEV_OIDC_ADMIN_GROUP="0a1d0000-0000-4000-8000-0000000000a1"     # fixed in dev/oidc-provider/server.mjs
DEV_OIDC_AWARDER_GROUP="0a1d0000-0000-4000-8000-0000000000a2"

http_ok() {
  if command -v curl >/dev/null; then curl -fsS -o /dev/null "$1" 2>/dev/null
  else node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$1"; fi
}

ensure_oidc_provider_deps() {
  command -v node >/dev/null || apt_install nodejs npm
  if ! [ -d "$ROOT/dev/oidc-provider/node_modules/oidc-provider" ]; then
    step "installing the local OpenID provider (npm ci in dev/oidc-provider)"
    (cd "$ROOT/dev/oidc-provider" && npm ci --no-audit --no-fund --silent)
  fi
}

# Starts the local provider unless OIDC_ISSUER_URL points elsewhere (e.g. Entra), and exports
# OIDC_* so the app signs in against it. It keeps running in the background; stop it with
# `kill $(cat .run/oidc-provider.pid)`.
ensure_oidc_provider() {
  if [ -n "${OIDC_ISSUER_URL:-}" ] && [ "${OIDC_ISSUER_URL%/}" != "$DEV_OIDC_ISSUER" ]; then
    echo "note: OIDC_ISSUER_URL is $OIDC_ISSUER_URL; not starting the local OpenID provider"; return
  fi
  export OIDC_ISSUER_URL="$DEV_OIDC_ISSUER"
  export OIDC_CLIENT_ID="${OIDC_CLIENT_ID:-badge-engine}"
  export OIDC_CLIENT_SECRET="${OIDC_CLIENT_SECRET:-badge-engine-dev-secret}"
  if http_ok "$DEV_OIDC_ISSUER/.well-known/openid-configuration"; then return; fi
  ensure_oidc_provider_deps
  step "starting the local OpenID provider on $DEV_OIDC_ISSUER (users admin, awarder, earner; any password)"
  mkdir -p "$ROOT/.run"
  # `cd` on its own line so that `$!` is node itself (nohup execs it), not a wrapping subshell.
  (cd "$ROOT/dev/oidc-provider" || exit 1
    OIDC_DEV_PORT="$DEV_OIDC_PORT" OIDC_DEV_CLIENT_ID="$OIDC_CLIENT_ID" OIDC_DEV_CLIENT_SECRET="$OIDC_CLIENT_SECRET" \
      nohup node server.mjs >"$ROOT/.run/oidc-provider.log" 2>&1 &
    echo $! >"$ROOT/.run/oidc-provider.pid")
  # Usually up in under a second; the first start after `npm ci` on a cold disk once took >10 s.
  local pid; pid=$(cat "$ROOT/.run/oidc-provider.pid")
  for _ in $(seq 1 300); do
    http_ok "$DEV_OIDC_ISSUER/.well-known/openid-configuration" && return
    kill -0 "$pid" 2>/dev/null || die "the local OpenID provider exited; see .run/oidc-provider.log"
    sleep 0.2
  done
  die "the local OpenID provider did not answer within 60 s; see .run/oidc-provider.log"
}
