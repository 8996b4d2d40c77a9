#!/usr/bin/env bash
# A sign-in flood against a release server started on its own, and the
# server's memory around it, read from /proc (VmRSS, VmHWM):
#   1. the release server on a throwaway database (FLOOD_DATABASE_URL, or a
#      private cluster of its own), idle;
#   2. FLOOD_REQUESTS (200) simultaneous sign-ins for unknown accounts from
#      distinct addresses, FLOOD_ROUNDS (3) times;
#   3. peak (VmHWM) and resident memory after, and again after a rest.
# Fails when the peak passes FLOOD_PEAK_LIMIT_MB (300). Needs the release
# build (`cargo leptos build --release`); builds the flood client itself.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
export SQLX_OFFLINE=true
export_leptos_env
use_build_cache

REQUESTS=${FLOOD_REQUESTS:-200}
ROUNDS=${FLOOD_ROUNDS:-3}
LIMIT_MB=${FLOOD_PEAK_LIMIT_MB:-300}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiepdan-flood.XXXXXX")
chmod 755 "$WORK"
SERVER_PID=""
PG_DIR=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [ -n "$PG_DIR" ] && pg_stop "$PG_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -x target/release/server ] || die "no release server: run cargo leptos build --release first"
cargo build --release --locked -p testkit --bin signin-flood --quiet || die "could not build the flood client"

if [ -n "${FLOOD_DATABASE_URL:-}" ]; then
  db="$FLOOD_DATABASE_URL"
else
  PG_DIR="$WORK/pg"
  pg_start "$PG_DIR"
  pg_create_db "postgres://postgres@localhost/postgres?host=$PG_DIR" tiepdan_flood
  db="postgres://postgres@localhost/tiepdan_flood?host=$PG_DIR"
fi

port=$(free_port)
APP_ENV=test DATABASE_URL="$db" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
  SMTP_URL="smtp://127.0.0.1:1" RUST_LOG=error STAFF_LOGIN_FAILURES_PER_15_MIN=1000000 \
  target/release/server serve > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
wait_http "http://127.0.0.1:$port/readyz" 60 || { tail -n 20 "$WORK/server.log"; die "the server did not start"; }

kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$SERVER_PID/status"; }
mb() { echo "$(( $1 / 1024 ))"; }
idle_before=$(kib VmRSS)
result=$(target/release/signin-flood "http://127.0.0.1:$port" "$REQUESTS" "$ROUNDS")
peak=$(kib VmHWM)
after=$(kib VmRSS)
sleep 5
rested=$(kib VmRSS)

echo "sign-in flood: $REQUESTS at once × $ROUNDS rounds: $result"
echo "server memory: idle $(mb "$idle_before") MB, peak (VmHWM) $(mb "$peak") MB, right after $(mb "$after") MB, 5 s later $(mb "$rested") MB (limit $LIMIT_MB MB)"
if [ "$(mb "$peak")" -ge "$LIMIT_MB" ]; then
  echo "FAILED: the peak passed $LIMIT_MB MB"
  exit 1
fi
echo "passed"
