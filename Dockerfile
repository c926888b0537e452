# syntax=docker/dockerfile:1
# Production image for Badge Engine.
# Stage 1 builds the WASM bundle with the same build_site step as scripts/run.sh (content-hashed
# names, .br/.gz copies) and the server in release mode; stage 2 is a slim Debian
# runtime that runs the binary as an unprivileged user with only the site folder and migrations.
# (No Docker engine runs on the development machines: this file is kept correct by review.)

ARG RUST_VERSION=1.95
FROM rust:${RUST_VERSION}-bookworm AS build
WORKDIR /src
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown
# The bundle's tools, pinned to the versions scripts/lib.sh checks for.
RUN cargo install wasm-bindgen-cli --version 0.2.130 \
 && npm install --prefix /opt/binaryen binaryen@132
ENV PATH="/opt/binaryen/node_modules/.bin:${PATH}"
COPY . .
# The committed .sqlx/ metadata lets the sqlx macros compile without a database.
ENV SQLX_OFFLINE=true
RUN bash -c '. scripts/lib.sh && SITE_ROOT=/src/target/site build_site' \
 && cargo build --release -p server

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app --shell /usr/sbin/nologin badge
WORKDIR /app
COPY --from=build /src/target/release/badge-engine /app/badge-engine
COPY --from=build /src/target/site /app/site
COPY --from=build /src/migrations /app/migrations
USER badge
ENV APP_ENV=production \
    BIND_ADDR=0.0.0.0:3000 \
    SITE_ROOT=/app/site \
    LOG_FORMAT=json \
    RUST_LOG=info
EXPOSE 3000
# Probes: GET /healthz (liveness) and GET /readyz (database, Redis, migrations) — point the
# orchestrator's HTTP checks at them; the slim image carries no curl for a HEALTHCHECK.
ENTRYPOINT ["/usr/bin/tini", "--", "/app/badge-engine"]
CMD ["serve"]
