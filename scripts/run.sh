#!/usr/bin/env bash
# `make run`: installs what is missing, starts the private PostgreSQL cluster
# (unless DATABASE_URL is set), builds the release site, loads the demo data
# and serves it. Ctrl-C stops the server; the cluster keeps running
# (`make db-stop` stops it, `make db-wipe` deletes it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup.sh"
cd "$ROOT"
use_build_cache

if [ -z "${DATABASE_URL:-}" ]; then
  port=${TIEPDAN_PG_PORT:-55432}
  dir=$(dev_cluster_dir)
  say "Starting the private PostgreSQL cluster ($dir, 127.0.0.1:$port)"
  pg_start "$dir" "$port"
  pg_create_db "postgres://postgres@127.0.0.1:$port/postgres" tiepdan
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/tiepdan"
else
  say "Using DATABASE_URL from the environment"
fi

say "Building the release site (the first build takes several minutes)"
SQLX_OFFLINE=true cargo leptos build --release --precompress
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
target/release/server seed-demo
exec target/release/server serve
